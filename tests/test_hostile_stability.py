"""Hostile inputs to :mod:`symdyn.stability` (issue 11, item 9 and the campaign).

Sizes where GMP/FLINT abort the process or an exact count runs for hours are refused by
documented caps (``symdyn._validation.CAPS``) with a ValueError naming the parameter and
the cap, *before* any expansion or native call; strings are never parsed; non-finite and
floating-point coefficients are refused by the exact functions.
"""

import random

import pytest
import sympy

from symdyn import stability
from symdyn._validation import CAPS

x = sympy.Symbol("x")


# ---------------------------------------------------------------- caps (no hang, no abort)
@pytest.mark.parametrize("call,word", [
    (lambda: stability.unit_disk_count(x**5000 - 1), "disk_degree"),          # issue: GMP abort
    (lambda: stability.unit_disk_count(x**100000 - 2), "disk_degree"),        # campaign: SIGABRT
    (lambda: stability.half_plane_count((x + 1)**100000), "poly_degree"),     # refused before expanding
    (lambda: stability.half_plane_count(x**(10**9) + 1), "poly_degree"),
    (lambda: stability.half_plane_count([1] + [0] * 2000 + [1]), "poly_degree"),
    (lambda: stability.half_plane_count(sympy.Poly(x**1001 + 1, x)), "poly_degree"),
    (lambda: stability.interval_real_root_count(x**3000 - 2, 0, 2), "poly_degree"),
    (lambda: stability.unit_disk_count([1] + [0] * 600 + [1]), "disk_degree"),
])
def test_polynomial_degree_caps(call, word):
    with pytest.raises(ValueError, match=rf"exceeds the cap .*{word}"):
        call()  # without the cap: hours, or SIGABRT from GMP/FLINT


def test_flint_polynomial_degree_cap():
    from flint import fmpq_poly

    with pytest.raises(ValueError, match="poly_degree"):
        stability.half_plane_count(fmpq_poly([1] + [0] * 1500 + [1]))


def _sym(n, seed=0):
    rnd = random.Random(seed)
    rows = [[sympy.Rational(rnd.randint(-9, 9), rnd.randint(1, 9)) for _ in range(n)] for _ in range(n)]
    for i in range(n):
        for j in range(i):
            rows[i][j] = rows[j][i]
    return rows


@pytest.mark.parametrize("call,key", [
    (lambda: stability.inertia([[1] * 300] * 300), "matrix_size"),            # issue: FLINT abort
    (lambda: stability.inertia(_sym(101), method="ldl"), "matrix_size_ldl"),  # campaign: hang
    (lambda: stability.matrix_half_plane_count([[1] * 300] * 300), "matrix_size"),  # campaign: hang
    (lambda: stability.matrix_unit_disk_count([[1] * 201] * 201), "matrix_size"),
    (lambda: stability.charpoly(sympy.ones(250, 250)), "matrix_size"),
])
def test_matrix_size_caps(call, key):
    with pytest.raises(ValueError, match=rf"size of M = \d+ exceeds the cap .*{key}"):
        call()  # without the cap: hours, or SIGABRT from GMP/FLINT


@pytest.mark.parametrize("fn", [stability.certified_half_plane_count, stability.certified_unit_disk_count])
def test_certified_caps(fn):
    with pytest.raises(ValueError, match="maxprec = 1000000000 exceeds the cap"):
        fn([1.0, 0.0, 1.0], maxprec=10**9)
    with pytest.raises(ValueError, match="degree of coeffs = 4999 exceeds the cap"):
        fn([1.0] + [0.0] * 4998 + [0.5])


def test_caps_are_not_too_tight():
    """Just under each cap still answers (and correctly)."""
    n = CAPS["disk_degree"]
    assert stability.unit_disk_count(x**n - 1) == (0, n, 0)
    assert stability.half_plane_count(x**CAPS["poly_degree"] + 1).total == CAPS["poly_degree"]
    assert stability.inertia([[2, 1], [1, -3]]) == (1, 1, 0)


def test_degree_bound_is_read_without_expanding():
    # (x + 1)**999 * x is within the bound; cancellation is not needed to answer
    assert stability.half_plane_count((x + 1)**999 * x) == (999, 1, 0)


# ---------------------------------------------------------------- types and values
@pytest.mark.parametrize("poly,exc", [
    ("x**2 + 1", TypeError),
    (["1", "2"], TypeError),
    ([1, float("nan")], TypeError),
    ([1, 0.5], TypeError),
    ([0, 0], ValueError),
    ([], ValueError),
    (x**2 + sympy.nan, ValueError),
    ([1, sympy.oo], ValueError),
    (sympy.Matrix([[1, 2]]), TypeError),
    (x * sympy.Symbol("y"), ValueError),
    (sympy.sin(x), ValueError),
])
def test_bad_polynomials(poly, exc):
    for fn in (stability.half_plane_count, stability.unit_disk_count):
        with pytest.raises(exc):
            fn(poly)


def test_string_never_evaluated(tmp_path):
    marker = tmp_path / "P"
    payload = f"__import__('os').system('touch {marker}')"
    for call in (lambda: stability.half_plane_count(payload), lambda: stability.half_plane_count([payload, 1]),
                 lambda: stability.inertia(payload), lambda: stability.inertia([[payload]]),
                 lambda: stability.certified_unit_disk_count([payload, 1.0]),
                 lambda: stability.interval_real_root_count(x - 1, payload, 2)):
        with pytest.raises(TypeError):
            call()
    assert not marker.exists()


@pytest.mark.parametrize("M,exc,word", [
    ([[1, 2], [3, 4]], ValueError, "symmetric"),
    ([[float("nan")]], TypeError, "floating-point"),
    ([[1, 2], [3]], ValueError, "ragged"),
    ([], ValueError, "non-empty"),
    ([[[1]]], TypeError, "exact number"),
])
def test_bad_matrices(M, exc, word):
    with pytest.raises(exc, match=word):
        stability.inertia(M)


def test_inertia_unknown_method():
    with pytest.raises(ValueError, match="method"):
        stability.inertia([[1]], method="qr")


@pytest.mark.parametrize("a,b,exc", [(float("nan"), 1, TypeError), (2, 1, ValueError), (0.5, 1, TypeError)])
def test_interval_endpoints(a, b, exc):
    with pytest.raises(exc):
        stability.interval_real_root_count(x**2 - 2, a, b)


def test_certified_non_finite_and_boundary():
    with pytest.raises(ValueError, match="finite"):
        stability.certified_half_plane_count([1.0, float("inf")])
    with pytest.raises(stability.UndecidableError):      # root -1 on the unit circle: never guessed
        stability.certified_unit_disk_count([1.0, 3.0, 2.0])
    assert stability.certified_unit_disk_count([1.0, -0.5, 0.06]) == (2, 0, 0)
