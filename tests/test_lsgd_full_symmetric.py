"""Full symmetric B with one negative eigenvalue: exact closure lower bound, certified upper bound."""

from fractions import Fraction as F

import mpmath
import numpy as np
import pytest
import sympy
from flint import fmpq_mat
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn.lsgd import robust_dimension, robust_lower_bound
from symdyn.lsgd.fullsym import negative_closure, as_exact_matrix, symmetric_lower_bound


def _householder(v):
    v = sympy.Matrix(v)
    return sympy.eye(len(v)) - 2 * v * v.T / (v.T * v)[0, 0]


def test_issue11_matrix_is_not_flattened():
    r = robust_dimension(fmpq_mat([[-1, 1], [1, 1]]), F(1, 2))
    assert r.n == 2 and r.lower.dim == 0 and r.upper.dim == 0 and r.level == "certified"


@pytest.mark.parametrize("order", [0, -3, 1.5, True])
def test_order_must_be_positive_int(order):
    with pytest.raises((TypeError, ValueError), match="order"):
        robust_dimension([-1, 1, 1], 1, order=order)
    with pytest.raises((TypeError, ValueError), match="order"):
        robust_dimension([[-1, 0], [0, 1]], F(1, 2), order=order)


@pytest.mark.parametrize("B, eta, exc, match", [
    ([[-1, 1], [2, 1]], F(1, 2), ValueError, "symmetric"),
    ([[-1, 0, 0], [0, 1, 0]], 1, ValueError, "square"),
    ([[1, 0], [0, 1]], 1, ValueError, "exactly one negative"),
    ([[-1, 0], [0, -1]], 1, ValueError, "exactly one negative"),
    ([[-1, 0], [0, 0]], 1, ValueError, "no zero eigenvalue"),
    ([[-1, 0], [0, 1]], 2, ValueError, "eta"),
    ([[-1, 0], [0, 1]], 0, ValueError, "eta"),
    ([[-1.0, 0], [0, 1]], 1, TypeError, "exact rational"),
    ([[-1]], 1, ValueError, "n >= 2"),
])
def test_rejects_outside_class(B, eta, exc, match):
    with pytest.raises(exc, match=match):
        robust_dimension(B, eta)


def test_diagonal_functions_refuse_matrices():
    with pytest.raises(TypeError, match="diagonal"):
        robust_lower_bound(fmpq_mat([[-1, 1], [1, 1]]), 1)


@pytest.mark.parametrize("b", [[-1, 1, 1, 1, 1, 1], [-1, 2, 3, 4, 3, 2], [-1, 1, 2, 3, 4], [-2, 1, 3, 1]])
def test_diagonal_matrix_gives_diagonal_answer(b):
    eta = F(1, 4)
    d = robust_dimension(b, eta)
    f = robust_dimension(sympy.diag(*b), eta)
    assert f.dim == d.dim is not None


@settings(max_examples=8, deadline=None)
@given(n=st.integers(3, 7), which=st.sampled_from(["ones", "alternating"]), data=st.data())
def test_householder_congruent_diagonal_gives_diagonal_answer(n, which, data):
    """H D H with H orthogonal, rational, commuting with L: E_rob(HDH) = H E_rob(D), same dimension."""
    if which == "alternating" and n % 2:
        which = "ones"
    v = [1] * n if which == "ones" else [(-1) ** j for j in range(n)]
    H = _householder(v)
    Lm = sympy.Matrix(n, n, lambda i, j: -2 if i == j else (1 if (i - j) % n in (1, n - 1) else 0))
    assert H * Lm == Lm * H
    half = data.draw(st.lists(st.integers(1, 4), min_size=n // 2, max_size=n // 2))
    b = [-1] + [half[min(j, n - j) - 1] for j in range(1, n)]
    B = H * sympy.diag(*b) * H
    d = robust_dimension(b, F(1, 5))
    f = robust_dimension(B, F(1, 5))
    assert d.dim == (n - 1) // 2
    assert f.dim == d.dim


def _independent_dim(B, eta, n_sigma):
    """Independent computation (mpmath, 80 digits): n - numerical rank of normals B u(sigma)."""
    n = B.shape[0]
    with mpmath.workdps(80):
        Bm = mpmath.matrix([[mpmath.mpf(sympy.Rational(B[i, j]).p) / sympy.Rational(B[i, j]).q for j in range(n)]
                            for i in range(n)])
        cols = []
        for k in range(1, n_sigma + 1):
            s = mpmath.mpf(k) / 3
            A = mpmath.matrix(n, n)
            for i in range(n):
                A[i, i] = 1 + 2 * s
                A[i, (i + 1) % n] -= s
                A[i, (i - 1) % n] -= s
            # symmetric-definite pencil via Cholesky
            Lc = mpmath.cholesky(A)
            Li = Lc ** -1
            C = Li * Bm * Li.T
            w, V = mpmath.eigsy(C)
            i0 = min(range(n), key=lambda i: w[i])
            u = Li.T * V[:, i0]
            cols.append(Bm * u)
        Mx = mpmath.matrix(n, n_sigma)
        for j, c in enumerate(cols):
            for i in range(n):
                Mx[i, j] = c[i]
        sv = mpmath.svd_r(Mx, compute_uv=False)
        return n - sum(1 for x in sv if x > mpmath.mpf(10) ** -50)


@settings(max_examples=6, deadline=None)
@given(n=st.integers(2, 5), data=st.data())
def test_random_symmetric_matches_independent_computation(n, data):
    """B = M^T diag(-1, p...) M has exactly one negative eigenvalue (Sylvester)."""
    entries = data.draw(st.lists(st.integers(-3, 3), min_size=n * n, max_size=n * n))
    Mm = sympy.Matrix(n, n, entries) + 4 * sympy.eye(n)
    if Mm.det() == 0:
        return
    pos = data.draw(st.lists(st.integers(1, 3), min_size=n - 1, max_size=n - 1))
    B = Mm.T * sympy.diag(-1, *pos) * Mm
    eta = sympy.Rational(1, max(sum(abs(x) for x in B.row(i)) for i in range(n)))
    r = robust_dimension(B, F(int(eta.p), int(eta.q)))
    assert r.dim is not None
    assert r.dim == _independent_dim(B, eta, n + 1)


def test_reflection_commuting_full_matrix():
    """A non-diagonal B commuting with the reflection and L keeps the antisymmetric modes."""
    n = 6
    R = sympy.Matrix(n, n, lambda i, j: 1 if j == (-i) % n else 0)
    X = sympy.Matrix(n, n, lambda i, j: ((i + 2 * j) % 3) - 1 + (i == j) * 6)
    X = (X + X.T) / 2
    X[0, 0] = -20
    B = (X + R * X * R) / 2
    lb = symmetric_lower_bound(B, F(1, 20))
    if lb.holds:
        assert lb.dim >= 0
    r = robust_dimension(B, F(1, 40))
    assert r.lower.holds and r.dim is not None
    assert r.dim == _independent_dim(B, sympy.Rational(1, 40), n + 1)


def test_closure_of_canonical_is_symmetric_subspace():
    Q = negative_closure(as_exact_matrix(sympy.diag(-1, 1, 2, 2, 1)))
    assert Q.ncols() == 3
