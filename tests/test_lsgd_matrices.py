"""LSGD matrices: exact/float agreement, FFT smoothing vs dense solve, symmetry, validation."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symdyn.lsgd import (antisymmetric_basis, apply_smoothing_inverse, iteration_matrix, laplacian, reflection,
                         smoothing_eigenvalues, smoothing_matrix, symmetric_basis)
from symdyn.lsgd._exact import ldl_inertia


def to_np(M):
    return np.array([[float(M[i, j]) for j in range(M.ncols())] for i in range(M.nrows())])


@pytest.mark.parametrize("n", [2, 3, 4, 7])
def test_laplacian_rows_sum_to_zero_and_first_row(n):
    L = to_np(laplacian(n))
    assert np.allclose(L.sum(axis=1), 0)
    assert np.allclose(L, L.T)
    if n > 2:
        row = np.zeros(n)
        row[0], row[1], row[-1] = -2, 1, 1
        assert np.array_equal(L[0], row)
    else:
        assert np.array_equal(L, [[-2, 2], [2, -2]])


@given(n=st.integers(2, 12), sigma=st.fractions(0, 5, max_denominator=6), order=st.integers(1, 3))
def test_smoothing_eigenvalues_match_formula(n, sigma, order):
    A = to_np(smoothing_matrix(n, sigma, order))
    assert np.allclose(np.sort(np.linalg.eigvalsh(A)), np.sort(smoothing_eigenvalues(n, float(sigma), order)))


@given(n=st.integers(2, 40), sigma=st.floats(0, 50), order=st.integers(1, 3),
       seed=st.integers(0, 2**16))
def test_fft_smoothing_matches_dense_solve(n, sigma, order, seed):
    v = np.random.default_rng(seed).normal(size=(3, n))
    A = smoothing_matrix(n, sigma, order, exact=False)
    dense = np.linalg.solve(A, v.T).T
    assert np.allclose(apply_smoothing_inverse(v, sigma, order), dense, atol=1e-10)


def test_exact_and_float_iteration_matrix_agree():
    b = [F(-1), F(2), F(3), F(2)]
    T = to_np(iteration_matrix(b, F(1, 3), F(1, 2)))
    Tf = iteration_matrix([-1.0, 2.0, 3.0, 2.0], 1 / 3, 0.5, exact=False)
    assert np.allclose(T, Tf)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8, 9])
def test_reflection_subspaces(n):
    R = reflection(n)
    L = laplacian(n)
    assert R * L == L * R
    Qs, Qa = symmetric_basis(n), antisymmetric_basis(n)
    assert Qs.ncols() == n // 2 + 1 and Qa.ncols() == (n - 1) // 2
    assert Qs.ncols() + Qa.ncols() == n
    assert R * Qs == Qs
    if Qa.ncols():
        assert R * Qa == -Qa
        assert (Qs.transpose() * Qa) == (Qs.transpose() * Qa) * 0  # orthogonal


def test_neg_laplacian_psd_exact():
    for n in (2, 3, 10, 33):
        i = ldl_inertia(-laplacian(n))
        assert i.negative == 0 and i.zero == 1


@pytest.mark.parametrize("bad, exc", [
    (dict(n=1, sigma=0), ValueError), (dict(n=3, sigma=F(-1, 2)), ValueError),
    (dict(n=3, sigma=0.5), TypeError), (dict(n=3.0, sigma=0), TypeError), (dict(n=3, sigma=0, order=0), ValueError),
])
def test_smoothing_matrix_validation(bad, exc):
    with pytest.raises(exc):
        smoothing_matrix(**bad)


def test_iteration_matrix_validation():
    with pytest.raises(ValueError, match="eta"):
        iteration_matrix([-1, 1], 0, 0)
    with pytest.raises(TypeError, match="eta"):
        iteration_matrix([-1, 1], 0.5, 0)
    with pytest.raises(ValueError, match="sigma"):
        iteration_matrix([-1, 1], 1, -1)
    with pytest.raises(ValueError, match="n >= 2"):
        iteration_matrix([-1], 1, 0)
    with pytest.raises(TypeError):
        iteration_matrix("-1,1", 1, 0)
