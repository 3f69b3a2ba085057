"""symdyn.stability against constructed ground truth (symdyn.strategies)."""

from fractions import Fraction

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn import stability
from symdyn.strategies import polynomials, spd_matrices, symmetric_matrices


@given(st.data())
def test_half_plane_count_matches_construction(data):
    counts = {k: data.draw(st.integers(0, 3)) for k in ("left", "imaginary", "right")}
    if not any(counts.values()):
        counts["left"] = 1
    case = data.draw(polynomials(**counts))
    assert stability.half_plane_count(case.poly) == case.half_plane
    assert tuple(case.half_plane) == tuple(counts.values())


@given(st.data())
def test_unit_disk_count_matches_construction(data):
    counts = {k: data.draw(st.integers(0, 3)) for k in ("inside", "on", "outside")}
    if not any(counts.values()):
        counts["inside"] = 1
    case = data.draw(polynomials(**counts))
    assert stability.unit_disk_count(list(case.coeffs)) == case.disk == tuple(counts.values())


@settings(max_examples=15)
@given(polynomials(coefficients="algebraic", max_degree=4))
def test_algebraic_coefficients(case):
    assert stability.half_plane_count(case.poly) == case.half_plane
    assert stability.unit_disk_count(case.poly) == case.disk


@given(polynomials(max_degree=5), st.integers(-3, 3), st.integers(1, 4))
def test_real_root_count_on_an_interval(case, a, width):
    lo, hi = Fraction(a, 2), Fraction(a, 2) + Fraction(width, 2)
    want = sum(m for r, m in case.roots if r.is_real and lo < r < hi)
    assert stability.interval_real_root_count(case.poly, lo, hi) == want


@given(symmetric_matrices(max_size=4))
def test_inertia_matches_sylvester(case):
    assert stability.inertia(case.matrix) == case.inertia
    assert stability.inertia(case.matrix, method="ldl") == case.inertia


@given(spd_matrices(max_size=4, max_condition=8))
def test_spd_spectrum(case):
    n = case.matrix.rows
    assert stability.matrix_half_plane_count(-case.matrix) == (n, 0, 0)
    # eigenvalues of M / (2 lambda_max) lie in (0, 1/2]: all inside the unit disk
    assert stability.matrix_unit_disk_count(case.matrix / (2 * case.eigenvalues[-1])) == (n, 0, 0)
    # shifting by the median eigenvalue splits the spectrum exactly as constructed
    mid = case.eigenvalues[n // 2]
    below = sum(1 for v in case.eigenvalues if v < mid)
    above = sum(1 for v in case.eigenvalues if v > mid)
    assert stability.inertia(case.matrix - mid * sympy.eye(n)) == (above, below, n - above - below)
