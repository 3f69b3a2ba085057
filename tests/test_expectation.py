"""Gaussian and hidden-law expectations: exact forms against quadrature, quadrature against mpmath."""

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn.contrastive._nodes import ETA, Gaussian, GaussExpectation, canonicalize
from symdyn.expectation import (
    NoClosedForm,
    average_over_laws,
    compile_integrand,
    erf_closed_form,
    gauss_hermite_expectation,
    gaussian_quadrature,
    gaussian_expectation,
    isserlis,
    mp_gaussian_expectation,
    psd_sqrt,
    stein,
)
from symdyn.hidden import DiscreteLaw, GeneralLaw, Rademacher, SparseTernary

x, y, z = sympy.symbols("x y z", real=True)


def _cov2(a, b, r):
    """A PSD 2x2 covariance from standard deviations and a correlation (exact rationals)."""
    a, b, r = (sympy.Rational(v).limit_denominator(1000) for v in (a, b, r))
    return sympy.Matrix([[a**2, r * a * b], [r * a * b, b**2]])


cov_params = st.tuples(st.floats(0.2, 1.6), st.floats(0.2, 1.6), st.floats(-0.95, 0.95))
means = st.tuples(st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))


def test_isserlis_known_moments():
    V, K, m = sympy.symbols("V K m")
    assert isserlis(x**4, [x], [0], [[V]]) == 3 * V**2
    assert isserlis(x**6, [x], [0], [[V]]) == 15 * V**3
    assert isserlis(x * y, [x, y], [0, 0], [[V, K], [K, V]]) == K
    assert isserlis(x**3 * y, [x, y], [0, 0], [[V, K], [K, V]]) == 3 * K * V
    assert sympy.expand(isserlis(x**4, [x], [m], [[V]]) - (m**4 + 6 * m**2 * V + 3 * V**2)) == 0
    assert isserlis(x**3, [x], [0], [[V]]) == 0
    with pytest.raises(ValueError, match="polynomial"):
        isserlis(sympy.tanh(x), [x], [0], [[1]])


@settings(max_examples=20)
@given(cv=cov_params, mu=means, i=st.integers(0, 4), j=st.integers(0, 4))
def test_isserlis_matches_gauss_hermite(cv, mu, i, j):
    C = _cov2(*cv)
    m = [sympy.Rational(v).limit_denominator(100) for v in mu]
    exact = isserlis(x**i * y**j + 3 * x, [x, y], m, C)
    f = compile_integrand(x**i * y**j + 3 * x, [x, y])
    num = gauss_hermite_expectation(f, np.array([float(v) for v in m]), np.array(C.tolist(), dtype=float), order=12)
    assert math.isclose(float(exact), float(num), rel_tol=1e-10, abs_tol=1e-10)


@settings(max_examples=8)
@given(cv=cov_params, mu=means, a=st.floats(-2, 2), b=st.floats(-1, 1))
def test_stein_lemma_numerically(cv, mu, a, b):
    C = _cov2(*cv)
    m = [sympy.Rational(v).limit_denominator(100) for v in mu]
    lin = sympy.Rational(a).limit_denominator(100) * x + sympy.Rational(b).limit_denominator(100) + y
    f = sympy.tanh(x) * sympy.tanh(y) ** 2
    Cn = np.array(C.tolist(), dtype=float)
    mn = np.array([float(v) for v in m])
    lhs = gaussian_quadrature(compile_integrand(lin * f, [x, y]), mn, Cn)
    rhs = sum(float(c) * gaussian_quadrature(compile_integrand(g, [x, y]), mn, Cn)
              for c, g in stein(lin, f, [x, y], m, C))
    assert math.isclose(lhs, rhs, rel_tol=1e-9, abs_tol=1e-11)


def test_erf_closed_forms_against_mpmath():
    C = _cov2(0.9, 1.3, 0.4)
    # single erf, nonzero mean: closed
    e1 = erf_closed_form(sympy.erf(2 * x + 1), [x, y], [sympy.Rational(1, 3), 0], C)
    n1 = mp_gaussian_expectation(sympy.erf(2 * x + 1), [x, y], [sympy.Rational(1, 3), 0], C)
    assert abs(float(e1) - float(n1)) < 1e-12
    # product, zero mean: arcsine law (against 200^2-point Gauss--Hermite)
    e2 = erf_closed_form(3 * sympy.erf(x) * sympy.erf(y), [x, y], [0, 0], C)
    f2 = compile_integrand(3 * sympy.erf(x) * sympy.erf(y), [x, y])
    n2 = gauss_hermite_expectation(f2, np.zeros(2), np.array(C.tolist(), dtype=float), order=200)
    assert abs(float(e2) - float(n2)) < 1e-12
    # product with nonzero means: the bivariate normal orthant probability
    # (2-D reference: Gauss--Hermite of order 200, as above; 30-digit checks in test_closed_forms.py)
    e3 = erf_closed_form(sympy.erf(x) * sympy.erf(y), [x, y], [1, 0], C)
    n3 = gauss_hermite_expectation(f2, np.array([1.0, 0.0]), np.array(C.tolist(), dtype=float), order=200)
    assert abs(3 * float(e3) - float(n3)) < 1e-12
    # three erf factors: no closed form
    assert erf_closed_form(sympy.erf(x) * sympy.erf(y) * sympy.erf(x - y), [x, y], [1, 0], C) is None
    with pytest.raises(NoClosedForm):
        gaussian_expectation(sympy.erf(x) ** 3, [x, y], [1, 0], C)
    with pytest.raises(NoClosedForm):
        gaussian_expectation(sympy.tanh(x), [x], [1], [[1]])


def test_erf_symbolic_centred():
    V, K = sympy.symbols("V K", positive=True)
    got = gaussian_expectation(sympy.erf(x) * sympy.erf(y) + sympy.erf(x), [x, y], [0, 0], [[V, K], [K, V]])
    assert got == 2 * sympy.asin(2 * K / (2 * V + 1)) / sympy.pi


@pytest.mark.slow
@settings(max_examples=3)
@given(cv=cov_params, mu=means)
def test_quadrature_error_bounded_by_mpmath(cv, mu):
    """The compiled rule used by the ODEs is within 1e-9 of a 25-digit mpmath integral."""
    C = _cov2(*cv)
    f = sympy.tanh(x) ** 2 * sympy.tanh(y) + x * (1 - sympy.tanh(x) ** 2) * sympy.tanh(y) ** 2
    m = [float(v) for v in mu]
    fn = compile_integrand(f, [x, y])
    q = gaussian_quadrature(fn, np.array(m), np.array(C.tolist(), dtype=float))
    mp = mp_gaussian_expectation(f, [x, y], m, C, dps=25)
    assert abs(q - float(mp)) < 1e-9


@settings(max_examples=6)
@given(cv=cov_params, mu=means)
def test_quadrature_agrees_with_high_order_gauss_hermite(cv, mu):
    """Fast stand-in for the mpmath bound: an independent 200^2-point rule."""
    C = np.array(_cov2(*cv).tolist(), dtype=float)
    f = compile_integrand(sympy.tanh(x) ** 2 * sympy.tanh(y) + x * (1 - sympy.tanh(x) ** 2) * sympy.tanh(y) ** 2, [x, y])
    m = np.array(mu)
    assert abs(gaussian_quadrature(f, m, C) - gauss_hermite_expectation(f, m, C, order=200)) < 1e-9


def test_one_dimensional_quadrature_against_mpmath():
    f = x * sympy.tanh(x) ** 2 + (1 - sympy.tanh(x) ** 2)
    fn = compile_integrand(f, [x])
    for m, V in ((0.0, 0.5), (0.7, 2.0), (-1.2, 4.0)):
        mp = mp_gaussian_expectation(f, [x], [m], [[V]], dps=25)
        assert abs(gaussian_quadrature(fn, np.array([m]), np.array([[V]])) - float(mp)) < 1e-11


@pytest.mark.slow
def test_gauss_hermite_is_accurate_for_narrow_gaussians_only():
    """Measured: tensor Gauss--Hermite (48^2 points) degrades for wide Gaussians; the trapezoid rule does not."""
    f = x * (1 - sympy.tanh(x) ** 2) * sympy.tanh(y)
    fn = compile_integrand(f, [x, y])
    errs = {}
    for V in (1.0, 4.0):
        C = np.array([[V, V / 2], [V / 2, V]])
        m = np.array([0.3, 0.3])
        ref = float(mp_gaussian_expectation(f, [x, y], m, C, dps=20))
        errs[V] = (abs(gauss_hermite_expectation(fn, m, C) - ref), abs(gaussian_quadrature(fn, m, C) - ref))
    assert errs[1.0][0] < 1e-7 and errs[1.0][1] < 1e-9
    assert errs[4.0][0] > 1e-6 and errs[4.0][1] < 1e-9


def test_gauss_hermite_vectorised_and_psd():
    f = compile_integrand(sympy.tanh(x) * y, [x, y])
    mean = np.array([[0.0, 0.0], [0.5, -0.2], [0.1, 0.1]])
    cov = np.array([[[1.0, 0.3], [0.3, 1.0]], [[1.0, 1.0], [1.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]])
    out = gauss_hermite_expectation(f, mean, cov)
    assert out.shape == (3,)
    assert np.isfinite(out[:2]).all() and np.isnan(out[2])  # singular PSD fine, indefinite -> NaN
    L = psd_sqrt(cov)
    np.testing.assert_allclose(L[0] @ L[0].T, cov[0], atol=1e-12)
    with pytest.raises(ValueError, match="positive semi-definite"):
        mp_gaussian_expectation(x * y, [x, y], [0, 0], [[1, 2], [2, 1]])


def test_compile_integrand_rejects_strings_and_extra_symbols():
    with pytest.raises(TypeError):
        compile_integrand("tanh(x)", [x])
    with pytest.raises(ValueError, match="free symbols"):
        compile_integrand(sympy.tanh(x * z), [x])


def test_average_over_laws():
    c1, c2, R = sympy.symbols("c1 c2 R")
    st3 = SparseTernary(2, sympy.Rational(1, 2))
    assert average_over_laws(c1**2 * c2**2, [c1, c2], [Rademacher(), st3]) == 2
    assert average_over_laws(sympy.tanh(R * c1), [c1], [DiscreteLaw([1, 3], [sympy.Rational(1, 2)] * 2)]) == (
        sympy.tanh(R) + sympy.tanh(3 * R)) / 2
    g = GeneralLaw()
    m2, m4 = g.moment(2), g.moment(4)
    assert average_over_laws(c1**4 * R + c1**2 * c2**2 + c1 * c2, [c1, c2], [g, g]) == R * m4 + m2**2
    # moments also for discrete laws when asked
    assert average_over_laws(c1**4, [c1], [st3], use_atoms=False) == st3.moment(4)
    with pytest.raises(ValueError, match="polynomial"):
        average_over_laws(sympy.tanh(c1), [c1], [g])
    with pytest.raises(ValueError, match="one law per"):
        average_over_laws(c1, [c1, c2], [g])


# --- nodes -------------------------------------------------------------------

def test_node_price_theorem_against_finite_differences():
    V, K, m1, m2 = sympy.symbols("V K m1 m2", real=True)
    G = Gaussian([x, y], [m1, m2], [[V, K], [K, V]])
    node = G.expect(sympy.tanh(x) ** 2 * sympy.tanh(y + 1))
    point = {m1: 0.3, m2: -0.2, V: 1.1, K: 0.4}
    f = sympy.lambdify([m1, m2, V, K], node)
    base = np.array([point[s] for s in (m1, m2, V, K)])
    for k, s in enumerate((m1, m2, V, K)):
        d = sympy.lambdify([m1, m2, V, K], node.diff(s))(*base)
        e = np.eye(4)[k] * 1e-5
        fd = (f(*(base + e)) - f(*(base - e))) / 2e-5
        assert abs(d - fd) < 1e-7


def test_node_doit_exact_and_parity():
    V, K, m = sympy.symbols("V K m", real=True)
    G = Gaussian([x, y], [m, 0], [[V, K], [K, V]])
    assert sympy.expand(G.expect(x**2 * y).doit() - 2 * K * m) == 0
    G0 = Gaussian([x, y], [0, 0], [[V, K], [K, V]])
    assert G0.expect(sympy.tanh(x) * sympy.tanh(y) ** 2) == 0  # odd integrand, centred
    assert G0.expect(sympy.tanh(x) * sympy.tanh(y)) != 0
    node = G0.expect(sympy.tanh(x) * sympy.tanh(y))
    assert node.doit() == node  # no closed form: stays a node


def test_node_marginalises_and_merges():
    V, K = sympy.symbols("V K", positive=True)
    G = Gaussian([x, y, z], [0, 0, 0], [[V, K, 0], [K, V, 0], [0, 0, 1]])
    node = G.expect(sympy.tanh(x) * sympy.tanh(y))
    assert isinstance(node, GaussExpectation) and node.n == 2
    same = Gaussian([x, y], [1, 1], [[V, V], [V, V]])  # x = y almost surely
    n1 = same.expect(sympy.tanh(x) * sympy.tanh(y))
    assert n1.n == 1 and n1.integrand == sympy.tanh(ETA[0]) ** 2


def test_node_lambdify_vectorised_and_canonicalize():
    V, K = sympy.symbols("V K", positive=True)
    G = Gaussian([x, y], [0, 0], [[V, K], [K, V]])
    e = G.expect((1 - sympy.tanh(x) ** 2) * sympy.tanh(y) ** 2)
    c = canonicalize(e)
    assert len(c.atoms(GaussExpectation)) == 2
    f1 = sympy.lambdify([V, K], e)
    f2 = sympy.lambdify([V, K], c)
    Vs, Ks = np.array([1.0, 2.0]), np.array([0.5, -0.3])
    np.testing.assert_allclose(f1(Vs, Ks), f2(Vs, Ks), rtol=1e-12)
    one_d = G.expect(sympy.tanh(x) ** 2)
    assert float(one_d.subs({V: 1, K: sympy.Rational(1, 2)}).evalf(20)) == pytest.approx(
        float(sympy.lambdify([V], one_d)(1.0)), abs=1e-11)  # evalf: mpmath path
    assert r"\mathbb{E}" in sympy.latex(e)


def test_node_rejects_strings_and_mixed_integrands():
    G = Gaussian([x], [0], [[1]])
    with pytest.raises(TypeError):
        G.expect("tanh(x)")
    with pytest.raises(ValueError, match="mixes"):
        G.expect(sympy.tanh(x * z))
