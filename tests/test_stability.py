"""Tests for symdyn.stability: exact root location, inertia, certified fallbacks."""

from __future__ import annotations

import doctest
import random
from fractions import Fraction

import mpmath
from flint import fmpq_poly, fmpz_poly
import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sympy import I, Rational, sqrt

import symdyn._stability_numbers as stability_numbers
import symdyn.stability as stability
from symdyn.stability import (DiskCount, HalfPlaneCount, Inertia, UndecidableError,
                              certified_half_plane_count, certified_unit_disk_count,
                              charpoly, half_plane_count, inertia,
                              interval_real_root_count, matrix_half_plane_count,
                              matrix_unit_disk_count, unit_disk_count)

z = sympy.Symbol("z")


def coeffs_of(expr):
    return sympy.Poly(sympy.expand(expr), z).all_coeffs()


def numpy_counts(c):
    r = np.roots(np.array(c, dtype=float))
    hp = (int((r.real < 0).sum()), 0, int((r.real > 0).sum()))
    dk = (int((abs(r) < 1).sum()), 0, int((abs(r) > 1).sum()))
    return r, hp, dk


def far_from(r, boundary):
    if len(r) == 0:
        return True
    scale = np.maximum(1.0, abs(r))
    dist = abs(r.real) if boundary == "axis" else abs(abs(r) - 1)
    return bool(np.all(dist > 1e-3 * scale))


int_polys = st.lists(st.integers(-20, 20), min_size=2, max_size=11).filter(lambda c: c[0] != 0)


# --------------------------------------------------------------------------- #
# agreement with numpy away from the boundary
# --------------------------------------------------------------------------- #

@given(int_polys)
def test_half_plane_matches_numpy(c):
    r, hp, _ = numpy_counts(c)
    assume(far_from(r, "axis"))
    assert tuple(half_plane_count(c)) == hp


@given(int_polys)
def test_unit_disk_matches_numpy(c):
    r, _, dk = numpy_counts(c)
    assume(far_from(r, "circle"))
    assert tuple(unit_disk_count(c)) == dk


# --------------------------------------------------------------------------- #
# exact boundary cases: products of factors with known root locations
# --------------------------------------------------------------------------- #

# factor, (left, axis, right), (inside, on, outside)
CATALOG = [
    (z, (0, 1, 0), (1, 0, 0)),
    (z + 1, (1, 0, 0), (0, 1, 0)),
    (z - 1, (0, 0, 1), (0, 1, 0)),
    (z**2 + 1, (0, 2, 0), (0, 2, 0)),
    (z**2 + 4, (0, 2, 0), (0, 0, 2)),
    (4 * z**2 + 1, (0, 2, 0), (2, 0, 0)),
    (z**2 - z + 1, (0, 0, 2), (0, 2, 0)),        # primitive 6th roots of unity
    (z**2 + z + 1, (2, 0, 0), (0, 2, 0)),        # primitive cube roots of unity
    (5 * z**2 - 6 * z + 5, (0, 0, 2), (0, 2, 0)),  # (3 +- 4i)/5
    (z**4 + 1, (2, 0, 2), (0, 4, 0)),
    (2 * z - 1, (0, 0, 1), (1, 0, 0)),
    (z + 3, (1, 0, 0), (0, 0, 1)),
    (z**2 + 2 * z + 5, (2, 0, 0), (0, 0, 2)),
    (z**2 - 2 * z + 2, (0, 0, 2), (0, 0, 2)),
    (9 * z**2 - 6 * z + 2, (0, 0, 2), (2, 0, 0)),  # (1 +- i)/3
]


def _expected(choice, which):
    total = [0, 0, 0]
    for idx, mult in choice:
        counts = CATALOG[idx][which]
        for k in range(3):
            total[k] += mult * counts[k]
    return tuple(total)


products = st.lists(st.tuples(st.integers(0, len(CATALOG) - 1), st.integers(1, 3)),
                    min_size=1, max_size=4)


@given(products, st.sampled_from([1, -1, 3, Rational(-2, 7)]))
def test_products_with_boundary_roots(choice, scale):
    expr = scale * sympy.Mul(*[CATALOG[i][0] ** m for i, m in choice])
    c = coeffs_of(expr)
    hp, dk = half_plane_count(c), unit_disk_count(c)
    assert tuple(hp) == _expected(choice, 1)
    assert tuple(dk) == _expected(choice, 2)
    assert hp.total == dk.total == len(c) - 1


@pytest.mark.parametrize("expr, hp, dk", [
    ((z**2 + 1) ** 2, (0, 4, 0), (0, 4, 0)),
    ((z - 1) ** 3, (0, 0, 3), (0, 3, 0)),
    (z**5, (0, 5, 0), (5, 0, 0)),
    ((z + 1) ** 4 * z**3, (4, 3, 0), (3, 4, 0)),
    (z**2 - z + 1, (0, 0, 2), (0, 2, 0)),
    ((z**2 + 4) * (z + 1) ** 2 * (z - 3), (2, 2, 1), (0, 2, 3)),
    (z**6 - 1, (3, 0, 3), (0, 6, 0)),
    (z**4 - 1, (1, 2, 1), (0, 4, 0)),
    (z**3 + z, (0, 3, 0), (1, 2, 0)),         # odd polynomial
    (z**4 + 5 * z**2 + 4, (0, 4, 0), (0, 2, 2)),  # even polynomial
    (z**4 - 5 * z**2 + 4, (2, 0, 2), (0, 2, 2)),
    (sympy.Integer(7), (0, 0, 0), (0, 0, 0)),
])
def test_known_boundary_cases(expr, hp, dk):
    assert tuple(half_plane_count(expr, z)) == hp
    assert tuple(unit_disk_count(sympy.Poly(expr, z))) == dk


# --------------------------------------------------------------------------- #
# invariance laws
# --------------------------------------------------------------------------- #

@given(int_polys)
def test_reflection_swaps_left_and_right(c):
    n = len(c) - 1
    hp = half_plane_count(c)
    reflected = [a * (-1) ** (n - k) for k, a in enumerate(c)]      # p(-z)
    assert half_plane_count(reflected) == HalfPlaneCount(hp.right, hp.imaginary, hp.left)
    assert hp.total == n


@given(int_polys)
def test_reciprocal_swaps_inside_and_outside(c):
    assume(c[-1] != 0)
    dk = unit_disk_count(c)
    assert unit_disk_count(c[::-1]) == DiskCount(dk.outside, dk.on, dk.inside)
    assert dk.total == len(c) - 1


@given(int_polys, st.integers(1, 2))
def test_multiplying_boundary_factors_adds_boundary_roots(c, m):
    base_hp, base_dk = half_plane_count(c), unit_disk_count(c)
    expr = sympy.Poly(c, z).as_expr() * (z**2 + 1) ** m
    hp, dk = half_plane_count(expr, z), unit_disk_count(expr, z)
    assert hp == base_hp._replace(imaginary=base_hp.imaginary + 2 * m)
    assert dk == base_dk._replace(on=base_dk.on + 2 * m)


# --------------------------------------------------------------------------- #
# algebraic and complex coefficients
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("expr, hp, dk", [
    # roots sqrt(2) ~ 1.414 and sqrt(3) - 1 ~ 0.732
    ((z - sqrt(2)) * (z + 1 - sqrt(3)), (0, 0, 2), (1, 0, 1)),
    # (z - sqrt(2)/2)**2: a double root at 0.707, inside (not on) the circle
    (z**2 - sqrt(2) * z + Rational(1, 2), (0, 0, 2), (2, 0, 0)),
    # roots exp(+-i pi/4): on the circle
    (z**2 - sqrt(2) * z + 1, (0, 0, 2), (0, 2, 0)),
    ((z**2 + sqrt(3) * z + 1) ** 2, (4, 0, 0), (0, 4, 0)),
    ((z + sqrt(2) - 1) * (z - 1 / (1 + sqrt(2))), (1, 0, 1), (2, 0, 0)),
    (z**2 - 2 * sqrt(2) * z + 2, (0, 0, 2), (0, 0, 2)),      # (z - sqrt 2)^2
    (z - sqrt(1 + sqrt(2)), (0, 0, 1), (0, 0, 1)),
    (z - I, (0, 1, 0), (0, 1, 0)),
    ((z - I) ** 2 * (z + 2 + 3 * I), (1, 2, 0), (0, 2, 1)),
    (2 * z - sqrt(2) * (1 + I), (0, 0, 1), (0, 1, 0)),       # exp(i pi/4)
    (z + sqrt(2) * I / 2, (0, 1, 0), (1, 0, 0)),
    (z - sympy.CRootOf(z**3 - 2, 0), (0, 0, 1), (0, 0, 1)),
    (z**2 + sympy.CRootOf(z**5 - z - 1, 0) * z + 1, (2, 0, 0), (0, 2, 0)),
])
def test_algebraic_coefficients(expr, hp, dk):
    assert tuple(half_plane_count(expr, z)) == hp
    assert tuple(unit_disk_count(expr, z)) == dk


@pytest.mark.parametrize("expr, hp, dk", [
    (z - sympy.cos(sympy.pi / 7), (0, 0, 1), (1, 0, 0)),
    (z - sympy.exp(sympy.I * sympy.pi / 3), (0, 0, 1), (0, 1, 0)),
    ((z + 1) * (z - sympy.exp(2 * sympy.I * sympy.pi / 7)), (1, 0, 1), (0, 2, 0)),
    (z - sqrt(1 + I), (0, 0, 1), (0, 0, 1)),
    (z - (-2) ** Rational(1, 3), (0, 0, 1), (0, 0, 1)),      # principal cube root
    (z**2 - sqrt(2 + I) * z + 3, (0, 0, 2), (0, 0, 2)),
    (z**3 - (3 + 4 * I) ** Rational(1, 3) * z - 1, (2, 0, 1), (1, 0, 2)),
])
def test_complex_radical_and_root_of_unity_coefficients(expr, hp, dk):
    c = [complex(v) for v in sympy.Poly(expr, z).all_coeffs()]
    r = np.roots(c)
    assert far_from(r, "axis") or hp[1]
    assert tuple(half_plane_count(expr, z)) == hp
    assert tuple(unit_disk_count(expr, z)) == dk


gauss = st.lists(st.tuples(st.integers(-6, 6), st.integers(-6, 6)), min_size=2,
                 max_size=6).filter(lambda c: c[0] != (0, 0))


@given(gauss)
def test_gaussian_integer_coefficients_match_numpy(c):
    r = np.roots([complex(a, b) for a, b in c])
    assume(far_from(r, "axis") and far_from(r, "circle"))
    coeffs = [a + b * I for a, b in c]
    assert tuple(half_plane_count(coeffs)) == (int((r.real < 0).sum()), 0,
                                               int((r.real > 0).sum()))
    assert tuple(unit_disk_count(coeffs)) == (int((abs(r) < 1).sum()), 0,
                                              int((abs(r) > 1).sum()))
    assert certified_half_plane_count([complex(a, b) for a, b in c]) == \
        half_plane_count(coeffs)


def test_unsupported_algebraic_forms_are_refused():
    t = sympy.Symbol("t")
    with pytest.raises(TypeError, match="CRootOf"):
        half_plane_count([1, sympy.CRootOf(t**3 - 2, 1)])
    with pytest.raises(TypeError, match="CRootOf"):
        inertia([[1, sympy.CRootOf(t**3 - 2, 1)], [sympy.CRootOf(t**3 - 2, 2), 1]])
    # a single complex CRootOf is fine for the characteristic polynomial
    assert charpoly([[1, sympy.CRootOf(t**3 - 2, 1)], [0, 1]]).all_coeffs() == [1, -2, 1]


@settings(max_examples=15)
@given(st.lists(st.tuples(st.integers(-9, 9), st.integers(-9, 9)), min_size=2, max_size=9)
       .filter(lambda c: c[0] != (0, 0)))
def test_sqrt2_coefficients_match_numpy(c):
    r = np.roots([a + b * np.sqrt(2) for a, b in c])
    assume(far_from(r, "axis") and far_from(r, "circle"))
    coeffs = [a + b * sqrt(2) for a, b in c]
    assert tuple(half_plane_count(coeffs)) == (int((r.real < 0).sum()), 0,
                                               int((r.real > 0).sum()))
    assert tuple(unit_disk_count(coeffs)) == (int((abs(r) < 1).sum()), 0,
                                              int((abs(r) > 1).sum()))


@settings(max_examples=10)
@given(st.integers(1, 5), st.integers(0, 10**6))
def test_inertia_over_q_sqrt3_matches_numpy(n, seed):
    rng = random.Random(seed)
    pairs = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            pairs[i][j] = pairs[j][i] = (rng.randint(-5, 5), rng.randint(-5, 5))
    ev = np.linalg.eigvalsh(np.array([[a + b * np.sqrt(3) for a, b in r] for r in pairs]))
    assume(np.all(abs(ev) > 1e-6 * (1 + abs(ev).max())))
    S = [[a + b * sqrt(3) for a, b in r] for r in pairs]
    assert tuple(inertia(S)) == (int((ev > 0).sum()), int((ev < 0).sum()), 0)


ALG_ROOTS = [sqrt(2), -sqrt(2), 1 - sqrt(2), sqrt(2) / 2, -sqrt(2) / 2,
             Rational(3, 2), Rational(-1, 3), 1, -1, 0, I, -I, sqrt(2) * I / 2,
             (1 + I) * sqrt(2) / 2, 1 + I, -Rational(1, 2) + I / 3]


@settings(max_examples=10)
@given(st.lists(st.sampled_from(range(len(ALG_ROOTS))), min_size=1, max_size=3))
def test_algebraic_products(idx):
    roots = [ALG_ROOTS[i] for i in idx]
    expr = sympy.Mul(*[z - r for r in roots])
    vals = [complex(r) for r in roots]   # well separated from the boundary or exactly on it
    exact_re = [sympy.sign(sympy.re(r)) for r in roots]
    exact_mod = [sympy.sign(sympy.Abs(r) ** 2 - 1) for r in roots]
    hp = half_plane_count(expr, z)
    dk = unit_disk_count(expr, z)
    assert tuple(hp) == (exact_re.count(-1), exact_re.count(0), exact_re.count(1))
    assert tuple(dk) == (exact_mod.count(-1), exact_mod.count(0), exact_mod.count(1))
    assert hp.total == len(vals)


# --------------------------------------------------------------------------- #
# interval_real_root_count
# --------------------------------------------------------------------------- #

RATS = [Rational(k, 2) for k in range(-6, 7)]


@given(st.lists(st.tuples(st.sampled_from(RATS), st.integers(1, 3)), min_size=1, max_size=4),
       st.sampled_from(RATS), st.sampled_from(RATS), st.booleans(), st.booleans(),
       st.integers(0, 2))
def test_interval_count_of_known_factors(factors, a, b, ca, cb, irr):
    a, b = min(a, b), max(a, b)
    expr = sympy.Mul(*[(z - r) ** m for r, m in factors]) * (z**2 + 1) ** irr
    def inside(r):
        return (a < r < b) or (ca and r == a) or (cb and r == b)
    expected = 0
    for r, m in factors:
        if a == b:
            expected += m if (ca and cb and r == a) else 0
        elif inside(r):
            expected += m
    assert interval_real_root_count(expr, a, b, closed=(ca, cb), x=z) == expected


def test_interval_count_infinite_and_algebraic():
    p = (z - sqrt(2)) ** 2 * (z + 1) * (z**2 + 2)
    assert interval_real_root_count(p, -sympy.oo, sympy.oo, x=z) == 3
    assert interval_real_root_count(p, 0, float("inf"), x=z) == 2
    assert interval_real_root_count(p, Fraction(7, 5), Fraction(3, 2), x=z) == 2
    assert interval_real_root_count(p, -1, 1, x=z) == 0
    assert interval_real_root_count(p, -1, 1, closed=(True, False), x=z) == 1
    # complex coefficients: real roots are those of gcd(Re p, Im p)
    q = (z - 1) ** 2 * (z - I)
    assert interval_real_root_count(q, 0, 2, x=z) == 2


def test_interval_count_bad_input():
    with pytest.raises(ValueError):
        interval_real_root_count([1, 0, -1], 2, 1)
    with pytest.raises(TypeError):
        interval_real_root_count([1, 0, -1], sqrt(2), 3)
    with pytest.raises(TypeError):
        interval_real_root_count([1, 0, -1], 0.5, 3)
    with pytest.raises(ValueError):
        interval_real_root_count([1, 0, -1], -sympy.oo, 3, closed=(True, False))
    with pytest.raises(TypeError):
        interval_real_root_count([1, 0, -1], 0, 3, closed=(1, 0))


# --------------------------------------------------------------------------- #
# matrices: charpoly, eigenvalue counts, inertia
# --------------------------------------------------------------------------- #

def _rand_matrix(rng, n, lo=-5, hi=5):
    return [[rng.randint(lo, hi) for _ in range(n)] for _ in range(n)]


@given(st.integers(1, 6), st.integers(0, 10**6))
def test_charpoly_matches_sympy(n, seed):
    M = sympy.Matrix(_rand_matrix(random.Random(seed), n))
    lam = sympy.Symbol("lambda")
    assert charpoly(M).all_coeffs() == M.charpoly(lam).all_coeffs()


def test_charpoly_inputs():
    from sympy.polys.matrices import DomainMatrix

    dm = DomainMatrix([[sympy.ZZ(1), sympy.ZZ(2)], [sympy.ZZ(3), sympy.ZZ(4)]], (2, 2), sympy.ZZ)
    assert charpoly(dm).all_coeffs() == [1, -5, -2]
    assert charpoly([[Fraction(1, 2)]]).all_coeffs() == [1, Rational(-1, 2)]
    cp = charpoly([[1, sqrt(2)], [sqrt(2), 2]])
    assert [sympy.simplify(c) for c in cp.all_coeffs()] == [1, -3, 0]
    assert charpoly(np.array([[1, 2], [3, 4]])).all_coeffs() == [1, -5, -2]


@given(st.integers(1, 6), st.integers(0, 10**6))
def test_matrix_counts_match_numpy(n, seed):
    M = _rand_matrix(random.Random(seed), n)
    ev = np.linalg.eigvals(np.array(M, dtype=float))
    assume(np.all(abs(ev.real) > 1e-6) and np.all(abs(abs(ev) - 1) > 1e-6))
    assert tuple(matrix_half_plane_count(M)) == (int((ev.real < 0).sum()), 0,
                                                 int((ev.real > 0).sum()))
    assert tuple(matrix_unit_disk_count(M)) == (int((abs(ev) < 1).sum()), 0,
                                                int((abs(ev) > 1).sum()))


def test_matrix_counts_exact_boundary():
    rot = [[0, -1], [1, 0]]                        # eigenvalues +-i
    assert matrix_half_plane_count(rot) == HalfPlaneCount(0, 2, 0)
    assert matrix_unit_disk_count(rot) == DiskCount(0, 2, 0)
    jordan = [[1, 1, 0], [0, 1, 1], [0, 0, 1]]     # defective, eigenvalue 1 (x3)
    assert matrix_unit_disk_count(jordan) == DiskCount(0, 3, 0)
    c, s = Rational(3, 5), Rational(4, 5)          # rational rotation on the circle
    assert matrix_unit_disk_count([[c, -s], [s, c]]) == DiskCount(0, 2, 0)
    damped = [[0, 1], [-1, -sqrt(2)]]              # s^2 + sqrt(2) s + 1
    assert matrix_half_plane_count(damped) == HalfPlaneCount(2, 0, 0)
    assert matrix_unit_disk_count(damped) == DiskCount(0, 2, 0)


def _sym(rng, n, lo=-9, hi=9):
    S = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            S[i][j] = S[j][i] = rng.randint(lo, hi)
    return S


@given(st.integers(1, 7), st.integers(0, 10**6))
def test_inertia_matches_numpy(n, seed):
    S = _sym(random.Random(seed), n)
    ev = np.linalg.eigvalsh(np.array(S, dtype=float))
    assume(np.all(abs(ev) > 1e-6 * (1 + abs(ev).max())))
    assert tuple(inertia(S)) == (int((ev > 0).sum()), int((ev < 0).sum()), 0)


@given(st.integers(1, 7), st.integers(0, 10**6), st.integers(0, 3))
def test_inertia_two_routes_agree(n, seed, zeros):
    # Descartes on the charpoly vs exact congruence (block LDL^T); zero rows and
    # zero diagonals force singular matrices and 2x2 pivots
    rng = random.Random(seed)
    S = _sym(rng, n, -2, 2)
    for _ in range(zeros):
        k = rng.randrange(n)
        S[k][k] = 0
        if rng.random() < 0.5:
            for j in range(n):
                S[k][j] = S[j][k] = 0
    assert inertia(S) == inertia(S, method="ldl")


def test_inertia_two_routes_agree_algebraic():
    S = [[0, sqrt(2), 1], [sqrt(2), 0, 1 - sqrt(3)], [1, 1 - sqrt(3), 0]]
    H = [[0, 1 + I, 0], [1 - I, 0, 2 * I], [0, -2 * I, 1]]
    for M in (S, H):
        ev = np.linalg.eigvalsh(np.array(sympy.Matrix(M).evalf(), dtype=complex))
        expected = Inertia(int((ev > 1e-9).sum()), int((ev < -1e-9).sum()),
                           int((abs(ev) <= 1e-9).sum()))
        assert inertia(M) == inertia(M, method="ldl") == expected
    with pytest.raises(ValueError, match="method"):
        inertia([[1]], method="qr")


def _unimodular(rng, n, steps=12):
    P = sympy.eye(n)
    for _ in range(steps):
        i, j = rng.sample(range(n), 2) if n > 1 else (0, 0)
        if i != j:
            P[i, :] = P[i, :] + rng.choice([-2, -1, 1, 2]) * P[j, :]
        if rng.random() < 0.3:
            P[i, :] = -P[i, :]
    return P


@given(st.integers(1, 6), st.integers(0, 10**6))
def test_inertia_congruence_invariant(n, seed):
    rng = random.Random(seed)
    S = sympy.Matrix(_sym(rng, n, -3, 3))
    P = _unimodular(rng, n)
    assert inertia(P.T * S * P) == inertia(S)


@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 10**6))
def test_inertia_of_low_rank_congruence(n, k, seed):
    # S = B^T D B with B (k x n) of full row rank: inertia = (pos D, neg D, n - k).
    assume(k <= n)
    rng = random.Random(seed)
    B = sympy.Matrix(k, n, lambda i, j: rng.randint(-3, 3))
    assume(B.rank() == k)
    d = [rng.choice([-3, -2, -1, 1, 2, 3]) for _ in range(k)]
    S = B.T * sympy.diag(*d) * B
    pos = sum(v > 0 for v in d)
    assert inertia(S) == Inertia(pos, k - pos, n - k)


def test_inertia_degenerate_and_algebraic():
    assert inertia([[0, 0], [0, 0]]) == Inertia(0, 0, 2)
    assert inertia([[0, 1], [1, 0]]) == Inertia(1, 1, 0)        # zero leading minor
    assert inertia([[0, 0], [0, 1]]) == Inertia(1, 0, 1)
    assert inertia([[0, 0, 1], [0, 0, 0], [1, 0, 0]]) == Inertia(1, 1, 1)
    assert inertia([[1, sqrt(2)], [sqrt(2), 2]]) == Inertia(1, 0, 1)
    assert inertia([[sqrt(2), 1], [1, sqrt(2)]]) == Inertia(2, 0, 0)
    assert inertia([[1, sqrt(3)], [sqrt(3), 1]]) == Inertia(1, 1, 0)
    assert inertia(sympy.Matrix([[1, I], [-I, 1]])) == Inertia(1, 0, 1)  # Hermitian
    assert inertia([[2, 1 + I], [1 - I, 3]]) == Inertia(2, 0, 0)         # eigen 1, 4
    assert inertia([[Fraction(1, 3), Fraction(1, 2)], [Fraction(1, 2), Fraction(3, 4)]]) \
        == Inertia(1, 0, 1)


def test_matrix_bad_input():
    with pytest.raises(ValueError, match="M"):
        inertia([[1, 2], [3, 4]])                   # not symmetric
    with pytest.raises(ValueError, match="Hermitian"):
        inertia([[1, I], [I, 1]])
    with pytest.raises(ValueError, match="square"):
        charpoly([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="square"):
        inertia([])
    with pytest.raises(ValueError, match="square"):
        matrix_half_plane_count([[1, 2], [3]])
    with pytest.raises(TypeError, match="certified"):
        matrix_unit_disk_count(np.eye(2))           # float entries
    with pytest.raises(TypeError):
        charpoly("[[1]]")
    with pytest.raises(TypeError):
        inertia([["1", 0], [0, 1]])


# --------------------------------------------------------------------------- #
# certified (interval) counts
# --------------------------------------------------------------------------- #

@given(int_polys)
def test_certified_agrees_with_exact_off_boundary(c):
    r, _, _ = numpy_counts(c)
    assume(far_from(r, "axis") and far_from(r, "circle"))
    floats = [float(a) for a in c]
    assert certified_half_plane_count(floats) == half_plane_count(c)
    assert certified_unit_disk_count(floats) == unit_disk_count(c)


def test_certified_and_exact_agree_on_a_degree_50_polynomial():
    # two independent methods (Sturm/Routh-Hurwitz vs certified root isolation)
    rng = random.Random(7)
    c = [rng.randint(1, 100)] + [rng.randint(-100, 100) for _ in range(50)]
    assert certified_half_plane_count(c) == half_plane_count(c)
    assert certified_unit_disk_count(c) == unit_disk_count(c)


def test_certified_boundary_is_undecidable():
    with pytest.raises(UndecidableError):
        certified_half_plane_count([1.0, 0.0, 1.0])        # +-i
    with pytest.raises(UndecidableError):
        certified_half_plane_count([1.0, 0.0])             # 0
    with pytest.raises(UndecidableError):
        certified_unit_disk_count([1.0, -1.0])             # 1
    with pytest.raises(UndecidableError):
        certified_unit_disk_count([1.0, -1.0, 1.0], maxprec=256)
    with pytest.raises(UndecidableError):
        certified_half_plane_count([1, -1j])
    assert issubclass(UndecidableError, ValueError)


def test_certified_input_kinds():
    # 0.1 is not 1/10: the binary value 0.1000000000000000055... is used
    assert certified_unit_disk_count([1.0, -0.1]) == DiskCount(1, 0, 0)
    assert certified_half_plane_count([mpmath.mpf(1), mpmath.mpf("0.25")]) \
        == HalfPlaneCount(1, 0, 0)
    assert certified_half_plane_count([sympy.Float(2), np.float64(-3.5)]) \
        == HalfPlaneCount(0, 0, 1)
    assert certified_unit_disk_count([1, 0.5 + 0.5j]) == DiskCount(1, 0, 0)
    assert certified_half_plane_count([1, 0.5 + 0.5j]) == HalfPlaneCount(1, 0, 0)
    assert certified_half_plane_count([1.0, 2.0, 1.0]) == HalfPlaneCount(2, 0, 0)  # (z+1)^2
    assert certified_unit_disk_count([Fraction(1), Fraction(-1, 3)]) == DiskCount(1, 0, 0)
    # a root 2**-60 off the axis is resolved
    assert certified_half_plane_count([1.0, 2.0**-60]) == HalfPlaneCount(1, 0, 0)


def test_certified_bad_input():
    with pytest.raises(TypeError):
        certified_half_plane_count("1 2")
    with pytest.raises(TypeError):
        certified_half_plane_count([1.0, "2"])
    with pytest.raises(TypeError):
        certified_unit_disk_count([1, sqrt(2)])
    with pytest.raises(ValueError):
        certified_unit_disk_count([0.0, 0.0])
    with pytest.raises(ValueError):
        certified_unit_disk_count([1.0, float("nan")])
    with pytest.raises(ValueError, match="prec"):
        certified_half_plane_count([1.0, 1.0], prec=4)
    with pytest.raises(ValueError, match="maxprec"):
        certified_half_plane_count([1.0, 1.0], prec=128, maxprec=64)


# --------------------------------------------------------------------------- #
# bad inputs for the exact functions
# --------------------------------------------------------------------------- #

def test_exact_bad_input():
    x, y = sympy.symbols("x y")
    with pytest.raises(TypeError):
        half_plane_count("x + 1")
    with pytest.raises(TypeError, match="certified"):
        half_plane_count([1.0, 2])
    with pytest.raises(TypeError, match="certified"):
        unit_disk_count(x + 0.5, x)
    with pytest.raises(TypeError, match="certified"):
        unit_disk_count(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="zero polynomial"):
        half_plane_count([0, 0])
    with pytest.raises(ValueError, match="zero polynomial"):
        unit_disk_count([])
    with pytest.raises(ValueError):
        half_plane_count(sympy.Poly(x * y + 1, x, y))
    with pytest.raises(ValueError):
        half_plane_count(x * y + 1)                  # two symbols, no x
    with pytest.raises(ValueError):
        half_plane_count(x * y + 1, x)               # y is not a number
    with pytest.raises(ValueError):
        half_plane_count(1 / x + 1, x)
    with pytest.raises(TypeError):
        half_plane_count([1, sympy.pi])              # transcendental
    with pytest.raises(TypeError):
        half_plane_count(x + 1, "x")
    with pytest.raises(TypeError):
        half_plane_count([True, 1])
    with pytest.raises(TypeError):
        half_plane_count(3.5)
    with pytest.raises(ValueError):
        half_plane_count(sympy.Poly(x + 1, x), y)
    with pytest.raises(ValueError, match="zero polynomial"):
        unit_disk_count(fmpq_poly([]))


def test_hidden_zero_coefficients():
    hidden_zero = (1 + sqrt(2)) ** 2 - 3 - 2 * sqrt(2)
    assert hidden_zero != 0                          # not syntactically zero
    hp = half_plane_count([hidden_zero, 1, -1])      # really z - 1
    assert hp == HalfPlaneCount(0, 0, 1) and hp.total == 1
    assert unit_disk_count([1, hidden_zero]) == DiskCount(1, 0, 0)   # really z
    with pytest.raises(ValueError, match="zero polynomial"):
        half_plane_count([hidden_zero, hidden_zero * I])
    with pytest.raises(TypeError, match="matrix"):
        half_plane_count(sympy.Matrix([1, 2]))


def test_inputs_accepted():
    x = sympy.Symbol("x")
    expected = HalfPlaneCount(1, 0, 1)
    for p in ([1, 0, -1], (1, 0, -1), [Fraction(1), 0, Fraction(-1)],
              [sympy.Integer(1), 0, -1], np.array([1, 0, -1]), x**2 - 1,
              sympy.Poly(x**2 - 1, x), sympy.Poly(x**2 - 1, x, domain="QQ<sqrt(2)>"),
              fmpq_poly([-1, 0, 1]), fmpz_poly([-1, 0, 1])):
        assert half_plane_count(p) == expected


def test_total_property_and_names():
    assert HalfPlaneCount(1, 2, 3).total == 6
    assert DiskCount(1, 2, 3).total == 6
    assert Inertia(1, 2, 3)._fields == ("positive", "negative", "zero")


def test_field_signs_are_exact_for_nearly_equal_numbers():
    # 1393/985 approximates sqrt(2) to ~4e-7; a root 1e-12 away is resolved too
    eps = Rational(1, 10**12)
    assert half_plane_count([1, -(sqrt(2) - Rational(1393, 985))]) == HalfPlaneCount(0, 0, 1)
    assert unit_disk_count([1, -(sqrt(2) - 1 + eps) * (sqrt(2) + 1)]) == DiskCount(0, 0, 1)
    assert unit_disk_count([1, -(sqrt(2) - 1 - eps) * (sqrt(2) + 1)]) == DiskCount(1, 0, 0)


def test_doctests():
    for mod in (stability, stability_numbers):
        result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
        assert result.attempted > 0
        assert result.failed == 0


def test_degree_128_exact_vs_certified():
    rng = random.Random(11)
    c = [rng.randint(1, 100)] + [rng.randint(-100, 100) for _ in range(128)]
    assert certified_half_plane_count(c) == half_plane_count(c)
    assert certified_unit_disk_count(c) == unit_disk_count(c)
