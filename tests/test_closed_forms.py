"""Closed Gaussian expectations (symdyn._gauss_closed / symdyn.expectation): literature formulas,
30-digit quadrature references, and laws (symmetry, Price's identity, exact vs float, input guards)."""

import os
import random
import subprocess
import sys

import mpmath
import numpy as np
import pytest
import sympy
from flint import arb
from hypothesis import given, settings, strategies as st

from symdyn._arb import arb_eval
from symdyn._gauss_closed import NoClosedForm, closed_expectation
from symdyn.expectation import average_over_laws, erf_closed_form, gaussian_expectation, isserlis, stein
from symdyn.hidden import Rademacher

x, y, z, w = sympy.symbols("x y z w", real=True)
erf, exp, sqrt, pi = sympy.erf, sympy.exp, sympy.sqrt, sympy.pi
Rat = sympy.Rational
DIGITS = 30


def _mp(v, digits):
    if isinstance(v, arb):
        assert v.rad() < 1e-36, v
        return mpmath.mpf(v.mid().str(digits + 5, radius=False))
    if isinstance(v, sympy.Basic):
        return mpmath.mpf(sympy.N(v, digits))
    return mpmath.mpf(v)


def _close(a, b, digits=DIGITS):
    """``a`` and ``b`` (SymPy numbers or mpf) agree to ``digits`` significant digits (absolute below 1)."""
    with mpmath.workdps(digits + 15):
        va, vb = (_mp(v, digits + 12) for v in (a, b))
        return abs(va - vb) <= mpmath.mpf(10) ** (-digits) * max(1, abs(vb))


# ---------------------------------------------------------------------------
# random PSD covariances with small rational entries
# ---------------------------------------------------------------------------

def _cov_from(entries, n, scale):
    """``(B B^T + I) / scale`` for an integer matrix ``B``: symmetric positive definite, rational."""
    B = sympy.Matrix(n, n, entries)
    return (B * B.T + sympy.eye(n)) / scale


def covariances(n, scale=4, entries=2):
    return st.lists(st.integers(-entries, entries), min_size=n * n, max_size=n * n).map(lambda e: _cov_from(e, n, scale))


def means(n):
    return st.lists(st.fractions(-1, 1, max_denominator=4), min_size=n, max_size=n).map(
        lambda ms: [Rat(m.numerator, m.denominator) for m in ms])


# ---------------------------------------------------------------------------
# the 30-digit reference: trapezoidal rule in ball arithmetic on standardised coordinates
# ---------------------------------------------------------------------------
#
# h = mean + L z with L the exact Cholesky factor of cov and z ~ N(0, I_n), n <= 2, so
# E[f(h)] = int g(z) phi(z) dz with g(z) = f(mean + L z).  Our integrands are entire:
# polynomial x exp(-quadratic) x erf(affine).  For an entire integrand F = g phi the tensor
# trapezoidal rule with steps s_j has error sum_{k != 0} F^(2 pi k / s) (Poisson summation),
# dominated by k = e_j, and along axis j F^ decays like exp(-omega^2 / (4 S_j)) with
# S_j = 1/2 + sum_k a_kj^2 + c_j (a_kj the z_j-coefficients of the erf arguments, c_j the
# kernel curvature: every factor is, or is an integral of, a Gaussian in z).  So the error is
# about sum_j exp(-(2 pi / s_j)^2 / (4 S_j)) -- far faster than Gauss--Hermite for steep erf
# (GH converges only geometrically there: 60 vs 76 nodes differ by 1e-30 for erf(z / sqrt 2)).
# We do not trust the estimate alone: the rule is run twice, with exponent E = 80 (steps
# s_j = 2 pi / sqrt(4 E S_j)) and with steps 8/9 as large (exponent 1.27 E); the two must agree
# to 1e-34.  As the error behaves like exp(-const / s^2), the finer rule's error is then below
# about (1e-34)^1.27 < 1e-43.  The domain is truncated at |z| <= 14 (phi < 1e-42 there; the
# integrands grow at most polynomially).  Sums are done in arb (140 bits), so rounding is
# controlled; the integrand is evaluated by symdyn._arb's tape (exact rationals, no floats).

_REF_PREC = 140
_Z1, _Z2, _E = sympy.symbols("_z1 _z2 _E", real=True)


def _spread(g, zs):
    """``S_j`` above, one per axis: 1/2 + squared z_j-coefficients of erf arguments + kernel curvature."""
    S = [sympy.Rational(1, 2)] * len(zs)
    for f in g.atoms(sympy.erf, sympy.erfc):
        p = sympy.Poly(sympy.expand(f.args[0]), *zs)
        power = max(1, sympy.degree(sympy.expand(g).xreplace({f: _E}), _E))  # erf(.)^2 counts twice
        S = [Sj + power * p.coeff_monomial(v) ** 2 for Sj, v in zip(S, zs)]
    for f in g.atoms(sympy.exp):
        p = sympy.Poly(sympy.expand(f.args[0]), *zs)
        S = [Sj + max(0, -p.coeff_monomial(v**2)) for Sj, v in zip(S, zs)]
    return [float(Sj) for Sj in S]


def _axis(s):
    from flint import fmpq

    K = int(14 / s) + 1
    nodes = [arb(fmpq(k) * s) for k in range(-K, K + 1)]
    norm = arb(s) / (2 * arb.pi()).sqrt()
    return nodes, [(-(t * t) / 2).exp() * norm for t in nodes]


def _trapezoid(tape, steps):
    tiny = arb(10) ** -46
    total = arb(0)
    if len(steps) == 1:
        for t, wt in zip(*_axis(steps[0])):
            total += wt * tape(t, prec=_REF_PREC)[0]
        return total
    (n1, w1s), (n2, w2s) = _axis(steps[0]), _axis(steps[1])
    for t1, w1 in zip(n1, w1s):
        if w1 < tiny:
            continue
        for t2, w2 in zip(n2, w2s):
            ww = w1 * w2
            if ww < tiny:
                continue
            total += ww * tape(t1, t2, prec=_REF_PREC)[0]
    return total


def reference(expr, variables, mean, cov):
    """``E[expr]`` under ``N(mean, cov)`` (n <= 2, cov positive definite) as an arb, self-checked."""
    from flint import ctx, fmpq

    from symdyn._arb import arb_compile

    n = len(variables)
    assert n <= 2
    zs = (_Z1, _Z2)[:n]
    L = sympy.Matrix(cov).cholesky(hermitian=False)
    h = [sympy.S(mean[i]) + sum((L[i, j] * zs[j] for j in range(i + 1)), sympy.S.Zero) for i in range(n)]
    g = sympy.S(expr).xreplace(dict(zip(variables, h)))
    tape = arb_compile([g], list(zs))
    coarse = [fmpq(max(1, int(2 * 3.14159 / (320 * Sj) ** 0.5 * 256)), 256) for Sj in _spread(g, zs)]
    fine = [c * fmpq(8, 9) for c in coarse]
    old = ctx.prec
    ctx.prec = _REF_PREC
    try:
        a, b = _trapezoid(tape, fine), _trapezoid(tape, coarse)
        gap = abs(a - b)
        assert gap < arb(10) ** -34 * max(1, abs(float(a.mid()))), f"reference not converged: {gap}"
        return a
    finally:
        ctx.prec = old


def test_reference_is_a_real_check():
    """The reference detects a wrong closed form (a 1e-20 perturbation of the exact value)."""
    C = sympy.Matrix([[Rat(1, 2)]])
    exact = erf(Rat(1, 3) / sqrt(1 + 2 * Rat(1, 2)))
    ref = reference(erf(x), [x], [Rat(1, 3)], C)
    assert _close(exact, ref)
    assert not _close(exact + sympy.Rational(1, 10**20), ref)


# ---------------------------------------------------------------------------
# literature formulas
# ---------------------------------------------------------------------------

def test_classic_arcsine_formula_exactly():
    """E[erf(x) erf(y)] = (2/pi) asin(2 C12 / sqrt((1 + 2 C11)(1 + 2 C22))) for zero means."""
    a, b, c = sympy.symbols("a b c", positive=True)
    got = closed_expectation(erf(x) * erf(y), (x, y), (0, 0), sympy.Matrix([[a, c], [c, b]]))
    want = 2 / pi * sympy.asin(2 * c / sqrt((1 + 2 * a) * (1 + 2 * b)))
    assert sympy.simplify(got - want) == 0
    # scaled arguments: E[erf(u x) erf(v y)] with u, v > 0
    u, v = sympy.symbols("u v", positive=True)
    got = closed_expectation(erf(u * x) * erf(v * y), (x, y), (0, 0), sympy.Matrix([[a, c], [c, b]]))
    want = 2 / pi * sympy.asin(2 * u * v * c / sqrt((1 + 2 * u**2 * a) * (1 + 2 * v**2 * b)))
    assert sympy.simplify(got - want) == 0


def _g(t):
    """Saad & Solla's activation g(x) = erf(x / sqrt(2))."""
    return erf(t / sqrt(2))


def _dg(t):
    """g'(x) = sqrt(2/pi) exp(-x^2 / 2)."""
    return sqrt(2 / pi) * exp(-t**2 / 2)


def saad_solla_I2(C):
    return 2 / pi * sympy.asin(C[0, 1] / sqrt((1 + C[0, 0]) * (1 + C[1, 1])))


def saad_solla_I3(C):
    """I3 = E[g'(u) v g(w)] = (2/pi) (C23 (1 + C11) - C12 C13) / ((1 + C11) sqrt(Lambda3)),
    Lambda3 = (1 + C11)(1 + C33) - C13^2 (Saad & Solla 1995, variables u, v, w = 1, 2, 3)."""
    lam3 = (1 + C[0, 0]) * (1 + C[2, 2]) - C[0, 2]**2
    return 2 / pi / sqrt(lam3) * (C[1, 2] * (1 + C[0, 0]) - C[0, 1] * C[0, 2]) / (1 + C[0, 0])


def saad_solla_I4(C):
    """I4 = E[g'(u) g'(v) g(w) g(z)] = (4/pi^2) Lambda4^{-1/2} asin(Lambda0 / sqrt(Lambda1 Lambda2))."""
    c = lambda i, j: C[i - 1, j - 1]  # noqa: E731 - 1-based, as in the paper
    lam4 = (1 + c(1, 1)) * (1 + c(2, 2)) - c(1, 2)**2
    lam0 = (lam4 * c(3, 4) - c(2, 3) * c(2, 4) * (1 + c(1, 1)) - c(1, 3) * c(1, 4) * (1 + c(2, 2))
            + c(1, 2) * c(1, 3) * c(2, 4) + c(1, 2) * c(1, 4) * c(2, 3))
    lam1 = lam4 * (1 + c(3, 3)) - c(2, 3)**2 * (1 + c(1, 1)) - c(1, 3)**2 * (1 + c(2, 2)) + 2 * c(1, 2) * c(1, 3) * c(2, 3)
    lam2 = lam4 * (1 + c(4, 4)) - c(2, 4)**2 * (1 + c(1, 1)) - c(1, 4)**2 * (1 + c(2, 2)) + 2 * c(1, 2) * c(1, 4) * c(2, 4)
    return 4 / pi**2 / sqrt(lam4) * sympy.asin(lam0 / sqrt(lam1 * lam2))


@settings(max_examples=6, deadline=None)
@given(covariances(2, scale=3))
def test_saad_solla_I2(C):
    assert _close(closed_expectation(_g(x) * _g(y), (x, y), (0, 0), C), saad_solla_I2(C))


@settings(max_examples=6, deadline=None)
@given(covariances(3, scale=3))
def test_saad_solla_I3(C):
    got = closed_expectation(_dg(x) * y * _g(z), (x, y, z), (0, 0, 0), C)
    assert _close(got, saad_solla_I3(C))


@settings(max_examples=6, deadline=None)
@given(covariances(4, scale=4))
def test_saad_solla_I4(C):
    got = closed_expectation(_dg(x) * _dg(y) * _g(z) * _g(w), (x, y, z, w), (0, 0, 0, 0), C)
    assert _close(got, saad_solla_I4(C))


def test_saad_solla_I3_symbolically():
    """I3 with symbolic covariance entries (positive-definite assumptions) simplifies to 0."""
    c = sympy.symbols("c11 c12 c13 c22 c23 c33", real=True)
    C = sympy.Matrix([[c[0], c[1], c[2]], [c[1], c[3], c[4]], [c[2], c[4], c[5]]])
    pos = {c[0]: sympy.Symbol("a", positive=True), c[5]: sympy.Symbol("b", positive=True)}
    C = C.xreplace(pos)
    got = closed_expectation(_dg(x) * y * _g(z), (x, y, z), (0, 0, 0), C)
    diff = got - saad_solla_I3(C)
    assert sympy.simplify(diff) == 0


def test_literature_check_can_fail():
    """A wrong I3 (the C12 C13 correction dropped) is detected."""
    C = _cov_from([1, 0, 1, -1, 2, 0, 0, 1, 1], 3, 3)
    got = closed_expectation(_dg(x) * y * _g(z), (x, y, z), (0, 0, 0), C)
    lam3 = (1 + C[0, 0]) * (1 + C[2, 2]) - C[0, 2]**2
    wrong = 2 / pi / sqrt(lam3) * C[1, 2]
    assert not _close(got, wrong)


# ---------------------------------------------------------------------------
# every closed-form family vs the 30-digit reference
# ---------------------------------------------------------------------------

HALF = Rat(1, 2)
C2 = sympy.Matrix([[Rat(3, 4), Rat(1, 4)], [Rat(1, 4), Rat(1, 2)]])
FAMILIES = [
    ("one erf, mean", erf(2 * x - HALF), [x], [Rat(1, 3)], sympy.Matrix([[Rat(2, 3)]])),
    ("one erf of an affine form, 2-D", erf(x - 2 * y + Rat(1, 5)), [x, y], [HALF, -Rat(1, 4)], C2),
    ("polynomial x erf (Stein)", (x**2 - 3 * x * y + 1) * erf(y + HALF), [x, y], [Rat(1, 4), -HALF], C2),
    ("Gaussian kernel x erf", exp(-(x - y)**2 / 2 - x / 3) * erf(x + y), [x, y], [HALF, Rat(1, 3)], C2),
    ("erf' x erf (kernel from the derivative)", exp(-x**2) * x * erf(y), [x, y], [Rat(-1, 3), HALF], C2),
    ("two erfs, zero means (arcsine)", erf(x) * erf(x - y), [x, y], [0, 0], C2),
    ("two erfs, non-zero means (Phi2)", erf(x + HALF) * erf(2 * y - Rat(1, 3)), [x, y], [Rat(1, 4), HALF], C2),
    ("erf squared (Phi2 on the diagonal)", erf(x - Rat(1, 5))**2, [x], [Rat(1, 3)], sympy.Matrix([[HALF]])),
    ("polynomial x kernel x two erfs", y * exp(-x**2 / 2) * erf(x) * erf(y - HALF), [x, y], [HALF, -Rat(1, 4)], C2),
    ("erfc", x * sympy.erfc(x + y), [x, y], [Rat(1, 5), Rat(1, 5)], C2),
]


@pytest.mark.parametrize("name, expr, vs, mean, cov", FAMILIES, ids=[f[0] for f in FAMILIES])
def test_family_matches_30_digit_quadrature(name, expr, vs, mean, cov):
    exact = closed_expectation(expr, tuple(vs), tuple(mean), cov)
    assert not exact.has(sympy.Integral)
    assert _close(exact, reference(expr, vs, mean, cov))


def test_outside_the_class_raises():
    with pytest.raises(NoClosedForm, match="tanh"):
        closed_expectation(sympy.tanh(x), (x,), (0,), sympy.Matrix([[1]]))
    with pytest.raises(NoClosedForm, match="3 erf"):
        closed_expectation(erf(x) * erf(y) * erf(x + y), (x, y), (0, 0), C2)
    assert erf_closed_form(sympy.tanh(x), [x], [0], [[1]]) is None


# ---------------------------------------------------------------------------
# laws (hypothesis)
# ---------------------------------------------------------------------------

PAIRS = [
    (erf(x), erf(y)),
    (erf(x + HALF), erf(y - Rat(1, 3))),
    (x * erf(x), erf(2 * y)),
    (exp(-x**2), erf(y + Rat(1, 4))),
]


@settings(max_examples=5, deadline=None)
@given(means(2), covariances(2, scale=4, entries=1), st.sampled_from(range(len(PAIRS))))
def test_random_gaussians_match_quadrature(m, C, i):
    f, g = PAIRS[i]
    exact = closed_expectation(f * g, (x, y), tuple(m), C)
    assert _close(exact, reference(f * g, [x, y], m, C))


@settings(max_examples=10, deadline=None)
@given(means(2), covariances(2, scale=4), st.sampled_from(range(len(PAIRS))))
def test_symmetry_under_swapping_variables(m, C, i):
    f, g = PAIRS[i]
    expr = f * g
    a = closed_expectation(expr, (x, y), tuple(m), C)
    swapped = expr.xreplace({x: y, y: x})
    P = sympy.Matrix([[0, 1], [1, 0]])
    b = closed_expectation(swapped, (x, y), (m[1], m[0]), P * C * P)
    assert _close(a, b)


PRICE = [
    (erf(x), erf(y)),
    (erf(x + HALF), erf(2 * y - Rat(1, 3))),
    (x * erf(x), erf(y + Rat(1, 4))),
    (x**2, erf(y)),
]


@settings(max_examples=10, deadline=None)
@given(means(2), covariances(2, scale=4), st.sampled_from(range(len(PRICE))))
def test_price_identity(m, C, i):
    """d/dC12 E[f(x) g(y)] = E[f'(x) g'(y)]: symbolic derivative of the closed form at C12 vs
    the closed form of the derivative integrand, compared at 30 digits."""
    f, g = PRICE[i]
    c12 = sympy.Symbol("c12", real=True)
    Cs = sympy.Matrix([[C[0, 0], c12], [c12, C[1, 1]]])
    lhs = sympy.diff(closed_expectation(f * g, (x, y), tuple(m), Cs), c12).xreplace({c12: C[0, 1]})
    rhs = closed_expectation(sympy.diff(f, x) * sympy.diff(g, y), (x, y), tuple(m), C)
    assert _close(lhs, rhs)


def test_price_identity_check_can_fail():
    """Differentiating in C11 instead of C12 does not satisfy the identity."""
    c11 = sympy.Symbol("c11", positive=True)
    Cs = sympy.Matrix([[c11, C2[0, 1]], [C2[0, 1], C2[1, 1]]])
    lhs = sympy.diff(closed_expectation(erf(x + HALF) * erf(y), (x, y), (0, 0), Cs), c11).xreplace({c11: C2[0, 0]})
    rhs = closed_expectation(sympy.diff(erf(x + HALF), x) * sympy.diff(erf(y), y), (x, y), (0, 0), C2)
    assert not _close(lhs, rhs)


FLOAT_EXPRS = [erf(x) * erf(y - HALF), x * exp(-y**2) * erf(x + y), erf(2 * x + Rat(1, 5))**2]


@settings(max_examples=10, deadline=None)
@given(means(2), covariances(2, scale=4), st.sampled_from(range(len(FLOAT_EXPRS))))
def test_arb_enclosure_contains_float_value(m, C, i):
    """The closed form in ball arithmetic (rational inputs) and its lambdified float value agree:
    the float, with a 1e-12 error allowance, contains the enclosure; the enclosure is tight."""
    a, b, c = sympy.symbols("a b c", real=True)
    mu1, mu2 = sympy.symbols("mu1 mu2", real=True)
    Cs = sympy.Matrix([[a, c], [c, b]])
    exact = closed_expectation(FLOAT_EXPRS[i], (x, y), (mu1, mu2), Cs)
    vals = {a: C[0, 0], b: C[1, 1], c: C[0, 1], mu1: m[0], mu2: m[1]}
    from flint import fmpq

    ball = arb_eval(exact, {s: fmpq(int(v.p), int(v.q)) for s, v in vals.items()}, prec=128)
    assert ball.is_finite() and ball.rad() < 1e-30
    f = sympy.lambdify(list(vals), exact, modules=["numpy", "scipy"])
    val = float(f(*[float(v) for v in vals.values()]))
    assert arb(val, 1e-12).contains(ball)
    assert not arb(val + 1e-9, 1e-12).contains(ball)


# ---------------------------------------------------------------------------
# gaussian_expectation and friends agree with the closed forms; polynomials by Isserlis
# ---------------------------------------------------------------------------

def test_gaussian_expectation_mixes_isserlis_and_closed_forms():
    m = [HALF, -Rat(1, 4)]
    expr = x**2 * y + 3 * erf(x) * erf(y + 1) - x * exp(-y**2)
    got = gaussian_expectation(expr, [x, y], m, C2)
    want = (isserlis(x**2 * y, [x, y], m, C2) + 3 * closed_expectation(erf(x) * erf(y + 1), (x, y), tuple(m), C2)
            - closed_expectation(x * exp(-y**2), (x, y), tuple(m), C2))
    assert sympy.simplify(got - want) == 0
    assert _close(got, reference(expr, [x, y], m, C2))


def test_closed_contrastive_rhs_averaged_over_law_matches_quadrature():
    """average_over_laws of a closed erf expectation over a discrete law equals the average of quadratures."""
    c = sympy.Symbol("c", real=True)
    inner = closed_expectation(erf(x) * erf(y), (x, y), (c, c / 2), C2)
    avg = average_over_laws(inner, [c], [Rademacher()])
    with mpmath.workdps(50):
        ref = (_mp(reference(erf(x) * erf(y), [x, y], [1, HALF], C2), 45)
               + _mp(reference(erf(x) * erf(y), [x, y], [-1, -HALF], C2), 45)) / 2
    assert _close(avg, ref)


# ---------------------------------------------------------------------------
# string guard: user text is never parsed
# ---------------------------------------------------------------------------

EVIL = "__import__('os').system('touch P')"


def _guarded_calls():
    one = [[1]]
    return [
        ("isserlis expr", lambda: isserlis(EVIL, [x], [0], one)),
        ("isserlis mean", lambda: isserlis(x**2, [x], EVIL, one)),
        ("isserlis mean entry", lambda: isserlis(x**2, [x], [EVIL], one)),
        ("isserlis cov", lambda: isserlis(x**2, [x], [0], EVIL)),
        ("isserlis cov entry", lambda: isserlis(x**2, [x], [0], [[EVIL]])),
        ("gaussian_expectation expr", lambda: gaussian_expectation(EVIL, [x], [0], one)),
        ("gaussian_expectation mean", lambda: gaussian_expectation(erf(x), [x], EVIL, one)),
        ("gaussian_expectation mean entry", lambda: gaussian_expectation(erf(x), [x], [EVIL], one)),
        ("gaussian_expectation cov", lambda: gaussian_expectation(erf(x), [x], [0], EVIL)),
        ("gaussian_expectation cov entry", lambda: gaussian_expectation(erf(x), [x], [0], [[EVIL]])),
        ("stein linear", lambda: stein(EVIL, erf(x), [x], [0], one)),
        ("stein f", lambda: stein(x, EVIL, [x], [0], one)),
        ("stein mean", lambda: stein(x, erf(x), [x], EVIL, one)),
        ("stein cov", lambda: stein(x, erf(x), [x], [0], [[EVIL]])),
        ("erf_closed_form expr", lambda: erf_closed_form(EVIL, [x], [0], one)),
        ("erf_closed_form mean", lambda: erf_closed_form(erf(x), [x], [EVIL], one)),
        ("erf_closed_form cov", lambda: erf_closed_form(erf(x), [x], [0], EVIL)),
        ("average_over_laws expr", lambda: average_over_laws(EVIL, [x], [Rademacher()])),
        ("average_over_laws cs", lambda: average_over_laws(x, EVIL, [Rademacher()])),
        ("average_over_laws laws", lambda: average_over_laws(x, [x], EVIL)),
        ("isserlis variables", lambda: isserlis(x, EVIL, [0], one)),
    ]


@pytest.mark.parametrize("name, call", _guarded_calls(), ids=[n for n, _ in _guarded_calls()])
def test_strings_are_rejected_and_never_executed(name, call, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError):
        call()
    assert not (tmp_path / "P").exists()
    assert os.listdir(tmp_path) == []


def test_string_guard_in_a_fresh_process(tmp_path):
    """The same calls in a clean interpreter (no state from other tests) create no file."""
    code = (
        "import sympy\n"
        "from symdyn.expectation import isserlis, gaussian_expectation\n"
        "x = sympy.Symbol('x')\n"
        f"s = {EVIL!r}\n"
        "for call in (lambda: isserlis(s, [x], [0], [[1]]), lambda: gaussian_expectation(sympy.erf(x), [x], s, [[1]]),\n"
        "             lambda: gaussian_expectation(sympy.erf(x), [x], [0], s)):\n"
        "    try:\n"
        "        call()\n"
        "    except TypeError:\n"
        "        pass\n"
        "    else:\n"
        "        raise SystemExit('no TypeError')\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd()] + sys.path))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "P").exists()
