"""LSGD exact counts and the sigma-robust lower bound on constructed diagonal saddles."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from symdyn.lsgd import (attraction_dimension, eigenvalue_counts, is_reflection_symmetric,
                         robust_lower_bound)
from symdyn.strategies import lsgd_diagonals

sigmas = st.builds(Fraction, st.integers(0, 12), st.sampled_from((1, 2, 4)))


@given(lsgd_diagonals(max_n=12), sigmas)
def test_one_unstable_direction_for_every_sigma(case, sigma):
    assert tuple(eigenvalue_counts(list(case.b), case.eta, sigma)) == case.unit_counts
    assert attraction_dimension(list(case.b), case.eta, sigma) == case.n - 1


@given(lsgd_diagonals(max_n=12))
def test_reflection_symmetry_and_lower_bound(case):
    assert is_reflection_symmetric(list(case.b)) == case.reflection_symmetric
    lb = robust_lower_bound(list(case.b), case.eta)
    if case.reflection_symmetric:
        assert lb.holds and lb.dim == case.antisymmetric_dim
    else:
        assert not lb.holds and lb.dim == 0
