"""ODESystem: construction, code generation, integration, fixed points, classification."""

import math

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from symdyn.odesystem import Classification, DivergenceError, FixedPoint, IntegrationResult, ODESystem

x, y, z, a, b, t = sympy.symbols("x y z a b t")

# a system mixing polynomial, rational and transcendental terms
MIXED = ODESystem(
    [x, y, z],
    [a * x - y * z + sympy.sin(y), sympy.exp(-x**2) * b - y / (1 + z**2), sympy.tanh(x * y) - a * z**3],
    [a, b],
    name="mixed",
)

finite = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)


# ------------------------------------------------------------- construction
def test_basic_attributes():
    s = ODESystem([x, y], [y, -x], name="osc")
    assert s.n == 2 and s.states == (x, y) and s.params == () and s.name == "osc"
    assert s.rhs.shape == (2, 1) and isinstance(s.rhs, sympy.ImmutableMatrix)
    assert s.jacobian() == sympy.Matrix([[0, 1], [-1, 0]])


@pytest.mark.parametrize(
    "kwargs, exc, words",
    [
        (dict(states=[x, x], rhs=[y, x]), ValueError, "duplicate"),
        (dict(states=[x, y], rhs=[y]), ValueError, "component"),
        (dict(states=[x], rhs=[x * y]), ValueError, "y"),
        (dict(states=["x"], rhs=[x]), TypeError, "states"),
        (dict(states=[x], rhs=["x**2"]), TypeError, "rhs"),
        (dict(states=[x], rhs="x"), TypeError, "rhs"),
        (dict(states=[x], rhs=[x], params=["a"]), TypeError, "params"),
        (dict(states=[x], rhs=[x], params=[x]), ValueError, "share"),
        (dict(states=[x], rhs=[True]), TypeError, "rhs"),
        (dict(states=[], rhs=[]), ValueError, "states"),
        (dict(states=[x], rhs=sympy.Matrix([[x, x], [x, x]])), ValueError, "column"),
        (dict(states=[x], rhs=[x], implementations={"f": np.sin}), TypeError, "implementations"),
        (dict(states=[x], rhs=[x], t="t"), TypeError, "t"),
        (dict(states=[x], rhs=[float("nan")]), ValueError, "finite"),
        (dict(states=[x], rhs=[x / sympy.Integer(0)]), ValueError, "finite"),
    ],
)
def test_bad_construction(kwargs, exc, words):
    with pytest.raises(exc, match=words):
        ODESystem(**kwargs)


def test_subs_fixes_params_and_validates():
    s = ODESystem([x], [a * x + b], [a, b])
    s2 = s.subs({a: 2})
    assert s2.params == (b,) and s2.rhs[0] == 2 * x + b
    with pytest.raises(ValueError, match="not a parameter"):
        s.subs({x: 1})
    with pytest.raises(TypeError):
        s.subs({a: "2"})
    with pytest.raises(ValueError, match="remaining"):
        s.subs({a: y})


def test_time_dependent_rhs():
    s = ODESystem([x], [sympy.cos(t) - x], t=t)
    res = s.integrate([0.0], (0.0, 3.0), rtol=1e-10, atol=1e-12)
    T = res.t[-1]
    exact = (math.cos(T) + math.sin(T) - math.exp(-T)) / 2
    assert abs(res.y[0, -1] - exact) < 1e-7
    with pytest.raises(ValueError, match="autonomous"):
        s.fixed_points()
    with pytest.raises(ValueError):
        ODESystem([x], [x * y], t=y).fixed_points()  # t-dependence via y


# ---------------------------------------------------------------- compile
@given(st.tuples(finite, finite, finite), st.tuples(finite, finite))
def test_compile_matches_substitution(state, params):
    cs = MIXED.compile()
    got = cs.fun(0.0, np.array(state), *params)
    sub = dict(zip(MIXED.states + MIXED.params, [sympy.Float(v) for v in state + params]))
    want = np.array([float(e.xreplace(sub).evalf(20)) for e in MIXED.rhs])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@given(st.lists(st.tuples(finite, finite, finite), min_size=1, max_size=6), st.tuples(finite, finite))
def test_compile_vectorised_equals_columns(cols, params):
    cs = MIXED.compile()
    Y = np.array(cols).T
    F = cs.fun(0.0, Y, *params)
    Jv = cs.jac(0.0, Y, *params)
    assert F.shape == Y.shape and Jv.shape == (3, 3, Y.shape[1])
    for k in range(Y.shape[1]):
        np.testing.assert_allclose(F[:, k], cs.fun(0.0, Y[:, k], *params), rtol=1e-14)
        np.testing.assert_allclose(Jv[:, :, k], cs.jac(0.0, Y[:, k], *params), rtol=1e-14)


@given(st.tuples(finite, finite, finite), st.tuples(finite, finite))
def test_compiled_jacobian_matches_finite_differences(state, params):
    cs = MIXED.compile()
    y0 = np.array(state)
    J = cs.jac(0.0, y0, *params)
    h = 1e-6
    fd = np.empty((3, 3))
    for j in range(3):
        e = np.zeros(3)
        e[j] = h
        fd[:, j] = (cs.fun(0.0, y0 + e, *params) - cs.fun(0.0, y0 - e, *params)) / (2 * h)
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-6)


def test_compile_docstring_and_orders():
    cs = MIXED.compile()
    assert cs.state_order == (x, y, z) and cs.param_order == (a, b)
    assert "State order (rows of y): x, y, z" in cs.fun.__doc__
    assert "Parameter order: a, b" in cs.jac.__doc__
    with pytest.raises(TypeError, match="parameter"):
        cs.fun(0.0, np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="shape"):
        cs.fun(0.0, np.zeros(2), 1.0, 2.0)


def test_compile_constant_components_broadcast():
    s = ODESystem([x, y], [sympy.Integer(1), x])
    F = s.compile().fun(0.0, np.zeros((2, 4)))
    np.testing.assert_array_equal(F[0], np.ones(4))
    assert s.compile().jac(0.0, np.zeros((2, 4))).shape == (2, 2, 4)


class gauss_like(sympy.Function):
    """A custom function node with a derivative (like the Gaussian-expectation nodes)."""

    nargs = 1

    def fdiff(self, argindex=1):
        return -2 * self.args[0] * gauss_like(self.args[0])


def test_compile_with_implementations_mapping():
    s = ODESystem([x], [gauss_like(a * x) - x], [a], implementations={gauss_like: lambda u: np.exp(-u**2)})
    cs = s.compile()
    np.testing.assert_allclose(cs.fun(0.0, np.array([0.5]), 2.0), [math.exp(-1) - 0.5])
    np.testing.assert_allclose(cs.jac(0.0, np.array([0.5]), 2.0), [[-4 * math.exp(-1) - 1]])
    # numeric fixed point through the NumPy implementation (float fallback residual)
    fps = s.fixed_points({a: 1.0}, bounds=(-2, 2), n_starts=8)
    assert len(fps) == 1 and abs(math.exp(-float(fps[0].values[0]) ** 2) - float(fps[0].values[0])) < 1e-12
    # classification evaluates the Jacobian through the compiled implementation
    c = s.classify(fps[0], {a: 1.0})
    assert c.kind == "sink" and c.level in ("certified", "numerical")
    assert c.eigenvalues[0].real == pytest.approx(-2 * 0.6529186404 * math.exp(-0.6529186404**2) - 1, rel=1e-8)


class gauss_imp(sympy.Function):
    """Custom node carrying its NumPy implementation in ``_imp_``."""

    nargs = 1
    _imp_ = staticmethod(lambda u: np.exp(-u**2))

    def fdiff(self, argindex=1):
        return -2 * self.args[0] * gauss_imp(self.args[0])


def test_function_subclass_with_imp_compiles_integrates_and_classifies():
    s = ODESystem([x], [gauss_imp(a * x) - x], [a])
    np.testing.assert_allclose(s.compile().fun(0.0, np.array([0.5]), 2.0), [math.exp(-1) - 0.5])
    res = s.integrate([0.0], (0.0, 20.0), [1.0])
    assert abs(res.y[0, -1] - 0.6529186404) < 1e-6
    (fp,) = s.fixed_points({a: 1.0}, n_starts=8)
    assert s.classify(fp, {a: 1.0}).kind == "sink"


def test_compile_with_imp_attribute():
    from sympy.utilities.lambdify import implemented_function

    f = implemented_function("softplus", lambda u: np.log1p(np.exp(u)))
    s = ODESystem([x], [f(x) - 2 * x])
    cs = s.compile()
    np.testing.assert_allclose(cs.fun(0.0, np.array([0.3])), [math.log1p(math.exp(0.3)) - 0.6])
    # no fdiff: the Jacobian cannot be generated, integration falls back to finite differences
    assert cs.has_jac is False
    with pytest.raises(NotImplementedError, match="fdiff"):
        cs.jac(0.0, np.array([0.3]))
    res = s.integrate([0.0], (0.0, 5.0))
    assert res.success and abs(res.y[0, -1] - 0.4812) < 0.01


def test_compile_erf_uses_scipy():
    s = ODESystem([x], [sympy.erf(x) - x / 2])
    np.testing.assert_allclose(s.compile().fun(0.0, np.array([0.7])), [math.erf(0.7) - 0.35])


# ------------------------------------------------------------- integrate
DAMPED = ODESystem([x, y], [y, -a * x - b * y], [a, b])


@settings(max_examples=10)
@given(st.floats(0.5, 4.0), st.floats(0.1, 2.0), st.tuples(finite, finite))
def test_integrate_with_and_without_jacobian_agree(k, c, y0):
    r1 = DAMPED.integrate(y0, (0.0, 2.0), [k, c], method="LSODA", use_jac=True, t_eval=[2.0])
    r2 = DAMPED.integrate(y0, (0.0, 2.0), [k, c], method="LSODA", use_jac=False, t_eval=[2.0])
    r3 = DAMPED.integrate(y0, (0.0, 2.0), [k, c], method="Radau", use_jac=True, t_eval=[2.0])
    assert r1.success and r2.success and r3.success and r1.status == 0
    np.testing.assert_allclose(r1.y, r2.y, atol=1e-6)
    np.testing.assert_allclose(r1.y, r3.y, atol=1e-6)


def test_integrate_result_fields():
    res = DAMPED.integrate([1.0, 0.0], (0.0, 1.0), {a: 1.0, b: 0.5}, dense_output=True)
    assert isinstance(res, IntegrationResult)
    assert res.y.shape == (2, res.t.size) and res.nfev > 0 and res.sol is not None
    np.testing.assert_allclose(res.sol(1.0), res.y[:, -1], atol=1e-8)
    assert res.state_order == (x, y)


def test_divergence_error_mentions_time_and_state():
    s = ODESystem([x], [x**2])
    with pytest.raises(DivergenceError) as info:
        s.integrate([1.0], (0.0, 2.0))
    err = info.value
    assert abs(err.t - 1.0) < 1e-3 and err.state == "x"
    assert "t=0.99999" in str(err) or "t=1" in str(err)
    assert "x" in str(err) and err.result.status == 2 and err.result.success is False


def test_divergence_error_on_nan():
    s = ODESystem([x], [sympy.sqrt(x) - 2])  # x decreases through 0 -> NaN
    with pytest.raises(DivergenceError, match="not finite"):
        s.integrate([0.5], (0.0, 5.0), method="RK45")


@pytest.mark.parametrize(
    "args, kwargs, exc, words",
    [
        (([1.0], (0, 1), [1, 1]), {}, ValueError, "y0"),
        (([np.nan, 0.0], (0, 1), [1, 1]), {}, ValueError, "y0"),
        (([1.0, 0.0], (0, 1), [1]), {}, ValueError, "params"),
        (([1.0, 0.0], (0, 1), ["1", 1]), {}, TypeError, "params"),
        (([1.0, 0.0], (0, 0), [1, 1]), {}, ValueError, "t_span"),
        (([1.0, 0.0], "ab", [1, 1]), {}, TypeError, "t_span"),
        (([1.0, 0.0], (0, 1), [1, 1]), {"rtol": -1}, ValueError, "rtol"),
        (([1.0, 0.0], (0, 1), [1, 1]), {"max_norm": 0}, ValueError, "max_norm"),
        (([1.0, 0.0], (0, 1), [1, 1]), {"t_eval": [2.0]}, ValueError, "t_eval"),
    ],
)
def test_integrate_validation(args, kwargs, exc, words):
    with pytest.raises(exc, match=words):
        DAMPED.integrate(*args, **kwargs)


# ----------------------------------------------------------- fixed points
@settings(max_examples=15)
@given(st.lists(st.integers(-5, 5), min_size=2, max_size=5).filter(lambda c: c[0] != 0))
def test_fixed_points_of_polynomials_are_exact_roots(coeffs):
    p = sum(c * x**i for i, c in enumerate(reversed(coeffs)))
    s = ODESystem([x], [p])
    fps = s.fixed_points(method="exact")
    distinct_real = sympy.Poly(p, x).count_roots()  # Sturm: distinct real roots
    assert len(fps) == distinct_real
    for fp in fps:
        assert fp.exact and fp.residual == 0.0 and fp.method == "groebner"
        v = fp.values[0]
        assert v.is_real
        # exact residual: the minimal polynomial of the root divides p
        w = sympy.Symbol("w")
        assert sympy.rem(p.xreplace({x: w}), sympy.minimal_polynomial(v, w), w) == 0


def test_fixed_points_2d_polynomial_exact_zero_residual():
    s = ODESystem([x, y], [x**2 + y**2 - 4, x * y - 1])
    fps = s.fixed_points()
    assert len(fps) == 4
    w = sympy.Symbol("w")
    for fp in fps:
        (root,) = {r for v in fp.values for r in v.atoms(sympy.CRootOf)}  # shape position: one root
        q = sympy.minimal_polynomial(root, w)
        for e in s.rhs:  # residual is a polynomial in the root: reduce it modulo the minimal polynomial
            res = sympy.expand(e.xreplace(fp.as_dict()).xreplace({root: w}))
            assert sympy.rem(res, q, w) == 0


def test_fixed_points_symbolic_params_and_complex_domain():
    s = ODESystem([x, y], [a * x - x * y, x * y - b * y], [a, b])
    assert [fp.values for fp in s.fixed_points()] == [(0, 0), (b, a)]
    c = ODESystem([x], [x**3 + x])
    assert [fp.values for fp in c.fixed_points()] == [(0,)]
    cfps = c.fixed_points(domain="complex")
    assert len(cfps) == 3
    assert c.classify(cfps[0]).subtype == "node"  # f'(+-i) = -2: real Jacobian at a complex point
    q = ODESystem([x], [x**2 + 4])
    cls = q.classify(q.fixed_points(domain="complex")[0])  # f'(-2i) = -4i
    assert cls.level == "proved" and cls.kind == "non-hyperbolic" and cls.subtype is None


def test_fixed_points_rational_system_drops_poles():
    s = ODESystem([x], [(x**2 - 1) / (x - 1)])
    assert [fp.values for fp in s.fixed_points()] == [(-1,)]


def test_fixed_points_non_isolated_and_method_errors():
    with pytest.raises(ValueError, match="isolated"):
        ODESystem([x, y], [x * y, x * y]).fixed_points()
    with pytest.raises(ValueError, match="exact"):
        ODESystem([x], [sympy.cos(x) - x]).fixed_points(method="exact")
    with pytest.raises(ValueError, match="method"):
        ODESystem([x], [x]).fixed_points(method="newton")
    with pytest.raises(ValueError, match="parameter"):
        ODESystem([x], [sympy.cos(a * x) - x], [a]).fixed_points()
    with pytest.raises(ValueError, match="domain"):
        ODESystem([x], [x]).fixed_points(domain="reals")


@pytest.mark.parametrize("prec", [20, 40])
def test_transcendental_cos_root_residual(prec):
    s = ODESystem([x], [sympy.cos(x) - x])
    fps = s.fixed_points(prec=prec, n_starts=16)
    assert len(fps) == 1
    fp = fps[0]
    assert not fp.exact and fp.method == "mpmath" and fp.residual < 10.0 ** (-(prec - 5))
    assert fp.enclosure_radius is not None and fp.enclosure_radius < 10.0 ** (-(prec // 2))
    with mpmath.workdps(prec + 10):
        dottie = mpmath.findroot(lambda u: mpmath.cos(u) - u, 0.7)
        assert abs(fp.values[0] - dottie) < mpmath.mpf(10) ** (-(prec - 5))


def test_transcendental_tanh_system():
    s = ODESystem([x, y], [sympy.tanh(2 * x) - y, sympy.tanh(y) - x])
    fps = s.fixed_points(prec=30, n_starts=32, bounds=(-3, 3))
    assert len(fps) == 3
    for fp in fps:
        assert fp.residual < 1e-25
    xs = sorted(float(fp.values[0]) for fp in fps)
    assert xs[1] == 0.0 and xs[0] == pytest.approx(-xs[2])
    kinds = [s.classify(fp).kind for fp in fps]
    assert sorted(kinds) == ["saddle", "saddle", "source"]


def test_krawczyk_enclosure_can_fail():
    from symdyn._fixedpoints import _krawczyk_radius

    F = sympy.Matrix([sympy.cos(x) - x])
    Jm = F.jacobian([x])
    with mpmath.workdps(40):
        root = mpmath.findroot(lambda u: mpmath.cos(u) - u, 0.7)
        assert _krawczyk_radius((x,), F, Jm, [root], 40) is not None
        assert _krawczyk_radius((x,), F, Jm, [root + mpmath.mpf("1e-5")], 40) is None  # not a root
    G = sympy.Matrix([x**2])  # double root: singular Jacobian, no uniqueness proof
    assert _krawczyk_radius((x,), G, G.jacobian([x]), [mpmath.mpf(0)], 40) is None
    H = sympy.Matrix([sympy.erf(x) - x / 2])  # erf has no rigorous interval version here
    assert _krawczyk_radius((x,), H, H.jacobian([x]), [mpmath.mpf(0)], 40) is None


def test_numeric_guesses_and_bounds():
    s = ODESystem([x], [sympy.sin(x)])
    fps = s.fixed_points(method="numeric", guesses=[[3.0]], n_starts=0, bounds=(0, 4))
    with mpmath.workdps(40):
        assert len(fps) == 1 and abs(fps[0].values[0] - mpmath.pi) < 1e-25
    assert s.fixed_points(method="numeric", guesses=[[3.0]], n_starts=0, bounds=(-1, 1)) == []
    with pytest.raises(ValueError, match="bounds"):
        s.fixed_points(method="numeric", bounds=(1, 0))


def test_fixed_point_dataclass():
    fp = ODESystem([x, y], [x - 1, y + 2]).fixed_points()[0]
    assert isinstance(fp, FixedPoint)
    assert fp.as_dict() == {x: 1, y: -2}
    np.testing.assert_array_equal(fp.as_array(), [1.0, -2.0])


# ---------------------------------------------------------- classification
@settings(max_examples=25)
@given(st.lists(st.integers(-4, 4), min_size=4, max_size=4) | st.lists(st.integers(-3, 3), min_size=9, max_size=9))
def test_exact_classification_matches_numpy(entries):
    n = int(round(math.sqrt(len(entries))))
    M = np.array(entries, dtype=float).reshape(n, n)
    ev = np.linalg.eigvals(M)
    syms = sympy.symbols(f"u0:{n}")
    rhs = list(sympy.Matrix(n, n, entries) * sympy.Matrix(syms))
    c = ODESystem(syms, rhs).classify([0] * n)
    assert c.level == "proved" and c.charpoly is not None
    if np.all(np.abs(ev.real) > 1e-6):
        assert c.unstable_dim == int(np.sum(ev.real > 0))
        assert c.stable_dim == int(np.sum(ev.real < 0))
        assert c.center_dim == 0
        if np.all(np.abs(ev.imag) < 1e-6):
            assert c.subtype == "node"
        elif np.any(np.abs(ev.imag) > 1e-3):
            assert c.subtype == "focus"
    if abs(np.linalg.det(M)) < 0.5:  # integer matrix: singular exactly -> eigenvalue 0
        assert c.kind == "non-hyperbolic" and c.center_dim >= 1


@pytest.mark.parametrize(
    "M, kind, subtype",
    [
        ([[-1, 0], [0, -2]], "sink", "node"),
        ([[-1, 2], [-2, -1]], "sink", "focus"),
        ([[1, 2], [-2, 1]], "source", "focus"),
        ([[1, 0], [0, -1]], "saddle", "node"),
        ([[0, 1], [-1, 0]], "non-hyperbolic", None),
        ([[-1, 1], [0, -1]], "sink", "node"),  # defective, repeated real eigenvalue
    ],
)
def test_classification_table(M, kind, subtype):
    rhs = list(sympy.Matrix(M) * sympy.Matrix([x, y]))
    c = ODESystem([x, y], rhs).classify({x: 0, y: 0})
    assert (c.kind, c.subtype, c.level) == (kind, subtype, "proved")
    assert isinstance(c, Classification)


def test_classification_algebraic_point():
    s = ODESystem([x], [2 - x**2])  # x* = +-sqrt(2), f' = -2x
    cls = [s.classify(fp).kind for fp in s.fixed_points()]
    assert cls == ["source", "sink"]


def test_classification_numerical_margin_and_certified():
    s = ODESystem([x], [a * x], [a])
    assert s.classify([0.0], {a: 1e-12}).kind == "non-hyperbolic"
    assert s.classify([0.0], {a: 1e-12}).level == "numerical"
    c = s.classify([0.0], {a: 1e-12}, margin=1e-15)
    assert (c.kind, c.level) == ("source", "certified")
    c = s.classify([0.0], {a: -0.5})
    assert (c.kind, c.level) == ("sink", "certified")
    with pytest.raises(ValueError, match="margin"):
        s.classify([0.0], {a: 1}, margin=-1)
    with pytest.raises(ValueError, match="missing"):
        s.classify([0])
    with pytest.raises(ValueError, match="point"):
        s.classify([0, 1], {a: 1})
    with pytest.raises(TypeError):
        s.classify("0", {a: 1})


def test_latex():
    s = ODESystem([x, y], [y, -sympy.sin(x)])
    tex = s.latex()
    assert r"\dot{x} &= y" in tex and r"\sin{\left(x \right)}" in tex and tex.startswith(r"\begin{aligned}")


def test_docstring_examples_run():
    import doctest

    import symdyn._classify
    import symdyn._codegen
    import symdyn._fixedpoints
    import symdyn._interval
    import symdyn._sympify
    import symdyn.odesystem

    for mod in (symdyn.odesystem, symdyn._codegen, symdyn._fixedpoints, symdyn._classify, symdyn._sympify,
                symdyn._interval):
        result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted > 0, mod.__name__


@settings(max_examples=30)
@given(st.lists(st.integers(-6, 6), min_size=2, max_size=6).filter(lambda c: c[0] != 0))
def test_hermite_criterion_agrees_with_sturm(coeffs):
    from symdyn._classify import has_nonreal_roots, hermite_has_nonreal_roots

    lam = sympy.Symbol("lam")
    P = sympy.Poly(coeffs, lam)
    sq = P.sqf_part()
    sturm = sq.count_roots() < sq.degree()
    assert hermite_has_nonreal_roots(P) == sturm == has_nonreal_roots(P)


def test_hermite_criterion_algebraic_coefficients():
    from symdyn._classify import hermite_has_nonreal_roots

    lam = sympy.Symbol("lam")
    s2 = sympy.sqrt(2)
    assert hermite_has_nonreal_roots(sympy.Poly(lam**2 - 2 * s2 * lam + 2, lam)) is False  # double root sqrt(2)
    assert hermite_has_nonreal_roots(sympy.Poly(lam**2 - 2 * s2 * lam + sympy.Rational(21, 10), lam)) is True


@settings(max_examples=6)
@given(st.lists(st.integers(-3, 3), min_size=6, max_size=6), st.lists(st.integers(-3, 3), min_size=6, max_size=6))
def test_exact_and_numeric_fixed_points_agree(c1, c2):
    monos = [1, x, y, x**2, x * y, y**2]
    f = sum(c * m for c, m in zip(c1, monos))
    g = sum(c * m for c, m in zip(c2, monos))
    s = ODESystem([x, y], [f, g])
    try:
        exact = s.fixed_points(method="exact")
    except ValueError:  # non-isolated solution set (common factor): nothing to compare
        assume(False)
    pts_exact = sorted(tuple(float(v) for v in fp.values) for fp in exact)
    assume(all(max(abs(u) for u in p) < 4 for p in pts_exact))
    numeric = s.fixed_points(method="numeric", n_starts=32, bounds=(-5, 5), prec=20, seed=1)
    for p in pts_exact:  # every exact root is found numerically (Newton from 32 starts)
        if any(max(abs(u - float(v)) for u, v in zip(p, fp.values)) < 1e-8 for fp in numeric):
            continue
        J = s.jacobian().xreplace(dict(zip(s.states, p)))
        assume(abs(float(J.det())) > 1e-6)  # multiple roots may be missed by Newton
        raise AssertionError(f"exact root {p} not found numerically")
    for fp in numeric:  # and every numeric root is one of the exact ones
        assert any(max(abs(u - float(v)) for u, v in zip(p, fp.values)) < 1e-8 for p in pts_exact)


def test_user_events_pass_through():
    def crossing(t, yv):
        return yv[0]

    crossing.terminal = True
    crossing.direction = -1
    res = DAMPED.integrate([1.0, 0.0], (0.0, 10.0), [1.0, 0.0], events=crossing)  # undamped: x = cos t
    assert res.status == 1 and abs(res.t[-1] - math.pi / 2) < 1e-6
    assert abs(res.t_events[0][0] - math.pi / 2) < 1e-6


def test_interval_routh_counts_and_failure():
    from mpmath import iv

    from symdyn._classify import classify_interval
    from symdyn._interval import interval_charpoly, mobius_to_half_plane, routh_unstable_count

    m = lambda v: iv.mpf(v)  # noqa: E731
    assert routh_unstable_count([m(1), m(4), m(1), m(-6)]) == 1  # (s - 1)(s + 2)(s + 3)
    assert routh_unstable_count([m(1), m(2), m(-1), m(-2)]) is None  # roots +-1: singular array, no guess
    assert routh_unstable_count([m(1), m(3), m(3), m(1)]) == 0  # (s + 1)^3
    assert routh_unstable_count([m(1), m(-3), m(2)]) == 2  # (s - 1)(s - 2)
    assert routh_unstable_count([m(1), m(0), m(1)]) is None  # +-i on the axis: undecidable, not a guess
    assert routh_unstable_count([m(1), m([-1e-3, 1e-3]), m(1)]) is None  # box straddles the boundary
    # charpoly enclosure of [[0, 1], [-2, -3]] is lambda^2 + 3 lambda + 2
    cp = interval_charpoly([[m(0), m(1)], [m(-2), m(-3)]])
    assert [float(c.mid) for c in cp] == [1.0, 3.0, 2.0]
    # unit disk via Moebius: z^2 - z/2 (roots 0, 1/2) -> both inside
    assert routh_unstable_count(mobius_to_half_plane([m(1), m(-0.5), m(0)])) == 0
    assert routh_unstable_count(mobius_to_half_plane([m(1), m(-3), m(2)])) is None  # root z = 1 on the circle
    c = classify_interval([[m([-1.01, -0.99]), m(0)], [m(0), m([1.99, 2.01])]])
    assert (c.kind, c.level, c.unstable_dim) == ("saddle", "certified", 1)
    assert classify_interval([[m([-0.01, 0.01])]]) is None


def test_transcendental_classification_is_certified_on_the_enclosure():
    p = ODESystem([x, y], [y, -sympy.sin(x) - a * y], [a])
    fps = p.fixed_points({a: sympy.Rational(1, 2)}, bounds=[(-4, 4), (-1, 1)], n_starts=16)
    kinds = [(p.classify(fp, {a: sympy.Rational(1, 2)}).kind, p.classify(fp, {a: sympy.Rational(1, 2)}).level)
             for fp in fps]
    assert [k for k, _ in kinds] == ["saddle", "sink", "saddle"]
    assert {lvl for _, lvl in kinds} <= {"certified", "proved"}
    assert all(fp.enclosure_radius for fp in fps)


@settings(max_examples=40)
@given(st.lists(st.integers(-5, 5), min_size=2, max_size=6).filter(lambda c: c[0] != 0),
       st.booleans())
def test_interval_routh_agrees_with_exact_counts(coeffs, disk):
    from mpmath import iv

    from symdyn import stability
    from symdyn._interval import mobius_to_half_plane, routh_unstable_count

    ivc = [iv.mpf(c) for c in coeffs]
    if disk:
        got = routh_unstable_count(mobius_to_half_plane(ivc))
        exact = stability.unit_disk_count(coeffs)
        want, boundary = exact.outside, exact.on
    else:
        got = routh_unstable_count(ivc)
        exact = stability.half_plane_count(coeffs)
        want, boundary = exact.right, exact.imaginary
    if got is not None:  # decided: must be right, and nothing on the boundary
        assert got == want and boundary == 0
    else:
        assume(False)
