"""The full-symmetric-B API is public: importable from `symdyn.lsgd` and listed in `__all__`."""

from fractions import Fraction

import pytest
from flint import fmpq

import symdyn.lsgd as lsgd
from symdyn.lsgd import fullsym

FULL_SYMMETRIC = ["MAX_FULL_N", "MAX_ORDER", "as_exact_matrix", "check_symmetric_saddle", "negative_closure",
                  "symmetric_lower_bound", "symmetric_certified_upper_bound", "symmetric_robust_dimension"]


@pytest.mark.parametrize("name", FULL_SYMMETRIC)
def test_exported_and_listed(name):
    assert name in lsgd.__all__
    assert getattr(lsgd, name) is getattr(fullsym, name)


def test_every_name_in_all_resolves():
    missing = [name for name in lsgd.__all__ if not hasattr(lsgd, name)]
    assert not missing and len(set(lsgd.__all__)) == len(lsgd.__all__)


def test_public_functions_work_together():
    B = lsgd.as_exact_matrix([[-1, 1, 0], [1, 2, 0], [0, 0, 1]])
    _, eta, facts = lsgd.check_symmetric_saddle(B, Fraction(1, 2))
    assert all(facts.values()) and eta == fmpq(1, 2)
    W = lsgd.negative_closure(B)
    lb = lsgd.symmetric_lower_bound(B, eta)
    ub = lsgd.symmetric_certified_upper_bound(B, eta)
    r = lsgd.symmetric_robust_dimension(B, eta)
    assert lb.dim == 3 - W.ncols() == r.lower.dim and ub.certified and r.upper.dim == ub.dim == lb.dim
    assert lsgd.robust_dimension(B, eta).dim == r.dim
    assert lsgd.MAX_FULL_N >= 64 and lsgd.MAX_ORDER >= 1


def test_public_boundary_refuses_outside_the_class():
    with pytest.raises(ValueError, match="exactly one negative"):
        lsgd.symmetric_robust_dimension([[1, 0], [0, 1]], 1)
    with pytest.raises(ValueError, match=str(lsgd.MAX_FULL_N)):
        lsgd.as_exact_matrix([[0] * (lsgd.MAX_FULL_N + 1)] * (lsgd.MAX_FULL_N + 1))
