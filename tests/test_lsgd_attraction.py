"""Exact eigenvalue counts: inertia route == charpoly route; stable subspaces; schedules."""

from fractions import Fraction as F

import numpy as np
import pytest
from flint import fmpq, fmpq_mat, fmpq_poly
from hypothesis import given
from hypothesis import strategies as st

from symdyn.lsgd import (attraction_dimension, eigenvalue_counts, eigenvalue_counts_charpoly, iteration_matrix,
                         schedule_counts, schedule_matrix, stable_subspace)
from symdyn.lsgd._exact import ldl_inertia, sturm_counts

rat = st.fractions(min_value=F(-3), max_value=F(3), max_denominator=4)


@given(b=st.lists(rat.filter(lambda x: x != 0), min_size=2, max_size=6),
       eta=st.fractions(F(1, 8), F(3), max_denominator=8), sigma=st.fractions(0, 4, max_denominator=4),
       order=st.integers(1, 2))
def test_inertia_route_equals_charpoly_route(b, eta, sigma, order):
    """Both exact routes agree for every B (any signs), eta (inside or beyond stability) and sigma."""
    T = iteration_matrix(b, eta, sigma, order)
    assert tuple(eigenvalue_counts(b, eta, sigma, order)) == tuple(eigenvalue_counts_charpoly(T))


@given(b=st.lists(rat.filter(lambda x: x != 0), min_size=2, max_size=5),
       eta=st.fractions(F(1, 8), F(2), max_denominator=8), sigma=st.fractions(0, 4, max_denominator=4))
def test_counts_agree_with_float_eigenvalues_away_from_circle(b, eta, sigma):
    T = iteration_matrix([float(x) for x in b], float(eta), float(sigma), exact=False)
    ev = np.abs(np.linalg.eigvals(T))
    if np.min(np.abs(ev - 1)) > 1e-6:
        c = eigenvalue_counts(b, eta, sigma)
        assert c.inside == int(np.sum(ev < 1)) and c.outside == int(np.sum(ev > 1))


@given(entries=st.lists(st.integers(-3, 3), min_size=10, max_size=10))
def test_ldl_inertia_matches_stability_inertia(entries):
    stability = pytest.importorskip("symdyn.stability")
    n = 4
    M = fmpq_mat(n, n)
    it = iter(entries)
    for i in range(n):
        for j in range(i, n):
            v = next(it)
            M[i, j] = M[j, i] = v
    ref = stability.inertia([[int(M[i, j]) for j in range(n)] for i in range(n)])
    assert tuple(ldl_inertia(M)) == (ref.positive, ref.negative, ref.zero)


def test_ldl_inertia_zero_pivots_and_asymmetric():
    assert tuple(ldl_inertia(fmpq_mat([[0, 0, 1], [0, 0, 0], [1, 0, 0]]))) == (1, 1, 1)
    with pytest.raises(ValueError, match="symmetric"):
        ldl_inertia(fmpq_mat([[0, 1], [0, 0]]))


def test_sturm_counts_refuses_complex_roots():
    with pytest.raises(ValueError, match="real roots"):
        sturm_counts(fmpq_poly([1, 0, 1]))
    assert sturm_counts(fmpq_poly([-1, 1]) ** 2 * fmpq_poly([1, 2])) == (1, 2, 0)


@pytest.mark.parametrize("n", [2, 3, 5, 8])
def test_gd_stable_subspace_is_coordinate_hyperplane(n):
    T = iteration_matrix([-1] + [1] * (n - 1), 1, 0)
    E = stable_subspace(T)
    assert E.ncols() == n - 1
    assert all(E[0, j] == 0 for j in range(n - 1))


def test_stable_subspace_none_when_irrational():
    # sigma > 0 mixes e_0 into a quadratic factor with one root inside and one outside
    T = iteration_matrix([-1, 1, 1], 1, 1)
    E = stable_subspace(T)
    if E is not None:  # rational after all: then it must have the right dimension
        assert E.ncols() == 2


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_schedule_product_counts(n):
    b = [-1] + [1] * (n - 1)
    c = schedule_counts(b, F(1, 2), [0, F(1, 2), 2])
    assert c.inside == n - 1 and c.outside == 1
    P = schedule_matrix(b, F(1, 2), [0, F(1, 2), 2])
    ev = np.linalg.eigvals(np.array([[float(P[i, j]) for j in range(n)] for i in range(n)]))
    assert int(np.sum(np.abs(ev) < 1)) == n - 1


def test_fixed_sigma_dimension_is_n_minus_1():
    for s in (0, F(1, 3), 5, 1000):
        assert attraction_dimension([-1, 2, 3, 3, 2], F(1, 2), s) == 4


def test_counts_validation():
    with pytest.raises(ValueError, match="eta"):
        eigenvalue_counts([-1, 1], -1, 0)
    with pytest.raises(TypeError, match="exact rational"):
        eigenvalue_counts([-1.0, 1.0], 1, 0)
    with pytest.raises(ValueError):
        schedule_counts([-1, 1], 1, [])


@pytest.mark.parametrize("b, sigma", [([-1, 1, 1], 0), ([-1, 2, 3, 2], F(1, 2)), ([-1, 1, 1, 1, 1], 3)])
def test_core_map_classifier_agrees(b, sigma):
    from symdyn.lsgd.attraction import as_map_system

    m = as_map_system(b, F(1, 2), sigma)
    c = m.classify({s: 0 for s in m.states})
    counts = eigenvalue_counts(b, F(1, 2), sigma)
    assert (c.stable_dim, c.unstable_dim, c.level) == (counts.inside, counts.outside, "proved")
