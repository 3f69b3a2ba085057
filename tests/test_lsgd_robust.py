"""The sigma-robust region: exact lower bound, structural and certified upper bounds."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symdyn.lsgd import (canonical_b, certified_upper_bound, is_reflection_symmetric, robust_dimension,
                         robust_lower_bound, saddle_facts, structural_upper_bound)
from symdyn.lsgd.robust import _full_pencil, _symmetric_pencil
from flint import fmpq, fmpq_mat


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 11, 16])
def test_structural_and_certified_agree_on_canonical(n):
    b = canonical_b(n)
    s = robust_dimension(b, 1, method="structural")
    c = robust_dimension(b, 1, method="certified")
    assert s.dim == c.dim == (n - 1) // 2
    assert s.level == "proved" and c.level == "certified"
    assert c.upper.rank == n // 2 + 1


@given(half=st.lists(st.fractions(F(1, 4), 4, max_denominator=4), min_size=1, max_size=6),
       b0=st.fractions(F(-4), F(-1, 4), max_denominator=4), odd=st.booleans())
def test_certified_bound_on_random_symmetric_profiles(half, b0, odd):
    m = len(half)
    n = 2 * m if not odd else 2 * m + 1
    rel = [b0] + [half[min(j, n - j) - 1] if min(j, n - j) <= m else half[-1] for j in range(1, n)]
    assert is_reflection_symmetric(rel)
    eta = 1 / max(rel)
    r = robust_dimension(rel, eta, method="certified")
    assert r.dim == (n - 1) // 2


def test_lower_bound_degrades_without_symmetry():
    lb = robust_lower_bound([-1, 1, 2, 3], F(1, 2))
    assert not lb.holds and lb.dim == 0
    assert lb.facts["R B = B R"] is False


def test_lower_bound_facts_all_hold_on_canonical():
    lb = robust_lower_bound(canonical_b(9), 1)
    assert lb.holds and lb.dim == 4 and all(lb.facts.values())


def test_non_symmetric_gives_trivial_region():
    ub = certified_upper_bound([-1, 1, 2, 3, F(1, 2)], F(1, 2), block="full")
    assert ub.certified and ub.dim == 0


def test_certified_eigenvector_matches_float_eigenproblem():
    from scipy.linalg import eigh

    vals = [fmpq(v) for v in (-1, 2, 3, 1, 3, 2)]
    p = _symmetric_pencil(vals, 1)
    ball, y, (lo, hi) = p.eigvec(fmpq(3, 4), 64)
    A = np.diag(p.Gf) + 0.75 * p.Kf
    w, V = eigh(np.diag(p.df), A)
    assert lo < hi < 0
    assert ball.contains(float(w[0])) or abs(float(ball.mid()) - w[0]) < 1e-12
    assert np.allclose([float(t.mid()) for t in y], V[:, 0] / V[0, 0])
    q = _full_pencil([fmpq(v) for v in (-1, 2, 3)], 2)
    assert q.bw == 1  # order-2 on n=3 removes index 0: the trailing block is banded


def test_order_two_smoothing():
    r = robust_dimension(canonical_b(7), 1, order=2, method="certified")
    assert r.dim == 3


def test_structural_hypotheses_are_checked():
    with pytest.raises(ValueError, match="hypotheses"):
        structural_upper_bound([-1, 1, 2, 1], F(1, 2))
    with pytest.raises(ValueError, match="distinct"):
        structural_upper_bound(canonical_b(4), 1, sigmas=[1, 1, 2])
    with pytest.raises(ValueError, match="> 0"):
        structural_upper_bound(canonical_b(4), 1, sigmas=[0, 1, 2])


def test_too_few_sigmas_fails_certification():
    with pytest.raises(ValueError, match="at least"):
        certified_upper_bound(canonical_b(6), 1, sigmas=[1, 2])


@pytest.mark.parametrize("b, eta, exc, match", [
    ([1, 1, 1], 1, ValueError, "negative entry"),
    ([-1, -1, 1], 1, ValueError, "exactly one negative"),
    ([-1, 0, 1], 1, ValueError, "zero entry"),
    ([-1, 1, 1], 2, ValueError, "stability range"),
    ([-1, 1, 1], 0, ValueError, "eta must be > 0"),
    ([-1, 1, 1], 0.5, TypeError, "exact rational"),
    ([-1.0, 1, 1], 1, TypeError, "exact rational"),
    ([-1], 1, ValueError, "n >= 2"),
])
def test_bad_input(b, eta, exc, match):
    with pytest.raises(exc, match=match):
        robust_dimension(b, eta)


def test_saddle_facts_all_true():
    assert all(saddle_facts(canonical_b(5), F(3, 2)).values())


@pytest.mark.parametrize("b, sigma", [([-1, 1, 1, 1], F(1, 2)), ([2, 3, -1, 1, 2], 3), ([-1, 1, 1], 0)])
def test_certified_stable_normal_matches_float(b, sigma):
    from symdyn.lsgd import certified_stable_normal, iteration_matrix

    w, mu = certified_stable_normal(b, F(1, 2), sigma)
    T = iteration_matrix([float(v) for v in b], 0.5, float(sigma), exact=False)
    ev, V = np.linalg.eig(T)
    stable = np.real(V[:, np.abs(ev) < 1])
    wf = np.array([float(x.mid()) for x in w])
    assert np.allclose(wf @ stable, 0, atol=1e-10)
    assert abs(1 - 0.5 * float(mu.mid()) - np.max(np.abs(ev))) < 1e-10


def test_lower_bound_basis_is_invariant_and_stable_off_zero_index():
    """The basis is in the original coordinates (antisymmetric about the negative index)."""
    from symdyn.lsgd import iteration_matrix
    from symdyn.lsgd.attraction import _unit_disk_count

    b = [2, 3, -1, 3, 2]  # negative at index 2
    lb = robust_lower_bound(b, F(1, 2))
    assert lb.holds and lb.dim == 2
    Q = lb.basis
    for s in (0, F(1, 3), 7):
        T = iteration_matrix(b, F(1, 2), s)
        TQ = T * Q
        # T Q = Q C for the 2x2 block C (invariance), C stable (exact count)
        sol = Q.transpose() * Q
        C = sol.solve(Q.transpose() * TQ)
        assert Q * C == TQ
        assert _unit_disk_count(C.charpoly()).inside == 2
