"""Hypothesis strategies for dynamical objects whose exact answers are known.

Each strategy draws an object *together with its ground truth* (a small frozen
dataclass: ``case.poly`` and ``case.half_plane``, ``case.system`` and
``case.fixed_points`` ...), built from small integers and rationals so that
Hypothesis shrinks failures to small readable examples. Use them to property-test
a claim or a numerical method against the truth:

>>> from hypothesis import given
>>> from symdyn.strategies import polynomials
>>> from symdyn.stability import unit_disk_count
>>> @given(polynomials(inside=2, on=0))
... def test_schur_cohn(case):
...     assert unit_disk_count(case.poly) == case.disk
>>> test_schur_cohn()

Strategies
----------
:func:`polynomials`
    prescribed root counts (half plane or unit disk, boundary, multiplicities),
    rational or algebraic coefficients.
:func:`symmetric_matrices`, :func:`spd_matrices`
    prescribed inertia (congruence ``P^T D P``); SPD with exact spectrum and bounded
    condition number.
:func:`polynomial_systems`, :func:`gradient_systems`
    flows and maps with every fixed point and its classification known; planar
    gradient flows with a known saddle, sinks and basins.
:func:`hidden_laws`, :func:`contrastive_models`, :func:`lsgd_diagonals`, :func:`point_clouds`
    hidden laws with given ``<c^2>`` and kurtosis; contrastive models in the spec's
    regimes; reflection-symmetric / generic LSGD diagonals; clustered point clouds with
    known labels and separation.
"""

from ._clouds import CloudCase, point_clouds
from ._matrices import InertiaCase, SPDCase, spd_matrices, symmetric_matrices
from ._models import (ContrastiveCase, DiagonalCase, LawCase, contrastive_models, hidden_laws,
                      lsgd_diagonals)
from ._polynomials import PolynomialCase, polynomials
from ._systems import (ExpectedClassification, GradientCase, SystemCase, gradient_systems,
                       polynomial_systems)

__all__ = [
    "polynomials", "symmetric_matrices", "spd_matrices", "polynomial_systems", "gradient_systems",
    "hidden_laws", "contrastive_models", "lsgd_diagonals", "point_clouds",
    "PolynomialCase", "InertiaCase", "SPDCase", "SystemCase", "GradientCase", "ExpectedClassification",
    "LawCase", "ContrastiveCase", "DiagonalCase", "CloudCase",
]
