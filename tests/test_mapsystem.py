"""MapSystem: iteration, fixed points of F(x) - x, unit-disk classification."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn.odesystem import DivergenceError, MapSystem

x, y, r, a, b = sympy.symbols("x y r a b")
LOGISTIC = MapSystem([x], [r * x * (1 - x)], [r], name="logistic")
HENON = MapSystem([x, y], [1 - a * x**2 + y, b * x], [a, b], name="henon")


def test_construction_and_validation():
    assert HENON.n == 2 and HENON.params == (a, b)
    assert HENON.jacobian() == sympy.Matrix([[-2 * a * x, 1], [b, 0]])
    with pytest.raises(ValueError, match="t"):
        MapSystem([x], [x], t=sympy.Symbol("t"))
    with pytest.raises(TypeError, match="rhs"):
        MapSystem([x], ["x/2"])
    with pytest.raises(ValueError, match="duplicate"):
        MapSystem([x, x], [x, x])


@settings(max_examples=20)
@given(st.floats(0.0, 1.0), st.floats(0.5, 4.0), st.integers(0, 12))
def test_iterate_equals_repeated_substitution(x0, rv, n):
    got = LOGISTIC.iterate([x0], n, [rv])
    v = sympy.Float(x0, 30)
    for _ in range(n):
        v = LOGISTIC.rhs[0].xreplace({x: v, r: sympy.Float(rv, 30)})
    assert got.shape == (1,)
    assert abs(got[0] - float(v)) <= 1e-9 * 2.0**n  # logistic map: errors grow at most like |f'| <= 4


@settings(max_examples=15)
@given(st.lists(st.tuples(st.floats(-0.5, 0.5), st.floats(-0.5, 0.5)), min_size=1, max_size=5), st.integers(0, 5))
def test_iterate_vectorised_equals_columns(cols, n):
    X0 = np.array(cols).T
    out = HENON.iterate(X0, n, [1.4, 0.3])
    for k in range(X0.shape[1]):
        np.testing.assert_allclose(out[:, k], HENON.iterate(X0[:, k], n, [1.4, 0.3]), rtol=1e-13, atol=1e-15)
    orbit = HENON.iterate(X0, n, [1.4, 0.3], return_orbit=True)
    assert orbit.shape == (n + 1,) + X0.shape
    np.testing.assert_array_equal(orbit[0], X0)
    np.testing.assert_array_equal(orbit[-1], out)


def test_compiled_map_signature_and_jacobian():
    cs = HENON.compile()
    np.testing.assert_allclose(cs.fun(np.array([0.5, 0.1]), 1.4, 0.3), [1 - 1.4 * 0.25 + 0.1, 0.15])
    np.testing.assert_allclose(cs.jac(np.array([0.5, 0.1]), 1.4, 0.3), [[-1.4, 1.0], [0.3, 0.0]])
    assert "y, *params" in cs.fun.__doc__


def test_divergence_names_step():
    with pytest.raises(DivergenceError, match="step") as info:
        MapSystem([x], [x**2]).iterate([2.0], 100)
    assert info.value.t == 5  # 2**(2**5) > 1e6 first at step 5
    with pytest.raises(DivergenceError):
        MapSystem([x], [sympy.log(x)]).iterate([0.5], 3)  # log of a negative number -> NaN


def test_iterate_validation():
    with pytest.raises(ValueError, match="x0"):
        LOGISTIC.iterate([np.inf], 3, [2.0])
    with pytest.raises(ValueError, match="x0"):
        LOGISTIC.iterate([0.1, 0.2], 3, [2.0])
    with pytest.raises(ValueError, match="n_steps"):
        LOGISTIC.iterate([0.1], -1, [2.0])
    with pytest.raises(TypeError, match="n_steps"):
        LOGISTIC.iterate([0.1], 2.5, [2.0])
    with pytest.raises(ValueError, match="params"):
        LOGISTIC.iterate([0.1], 3, [])


def test_fixed_points_solve_F_minus_identity():
    fps = LOGISTIC.fixed_points()
    assert [fp.values for fp in fps] == [(0,), ((r - 1) / r,)]
    fps = HENON.fixed_points({a: sympy.Rational(7, 5), b: sympy.Rational(3, 10)})
    assert len(fps) == 2
    for fp in fps:
        d = fp.as_dict()
        for s, e in zip(HENON.states, HENON.rhs.xreplace({a: sympy.Rational(7, 5), b: sympy.Rational(3, 10)})):
            assert sympy.simplify(e.xreplace(d) - d[s]) == 0


@pytest.mark.parametrize(
    "rv, kinds",
    [
        (sympy.Rational(1, 2), ["source", "sink"]),  # sorted by value: x* = -1 (multiplier 3/2), 0 (1/2)
        (sympy.Rational(5, 2), ["source", "sink"]),
        (3, ["source", "non-hyperbolic"]),
        (sympy.Rational(301, 100), ["source", "source"]),
    ],
)
def test_logistic_classification_unit_disk(rv, kinds):
    fps = LOGISTIC.fixed_points({r: rv})
    got = [LOGISTIC.classify(fp, {r: rv}) for fp in fps]
    assert [c.kind for c in got] == kinds
    assert all(c.level == "proved" and c.discrete for c in got)


def test_map_classification_focus_and_saddle():
    # rotation-scaling map: eigenvalues (1/2)(1 +- i) inside the disk -> focus sink
    m = MapSystem([x, y], [(x - y) / 2, (x + y) / 2])
    c = m.classify([0, 0])
    assert (c.kind, c.subtype, c.stable_dim) == ("sink", "focus", 2)
    c = MapSystem([x, y], [2 * x, y / 3]).classify([0, 0])
    assert (c.kind, c.unstable_dim, c.stable_dim, c.subtype) == ("saddle", 1, 1, "node")
    c = MapSystem([x, y], [-y, x]).classify([0, 0])  # rotation by pi/2: on the circle
    assert c.kind == "non-hyperbolic" and c.center_dim == 2


def test_map_numeric_fixed_point_and_certified_classification():
    m = MapSystem([x], [sympy.cos(x)])
    fps = m.fixed_points(prec=25, n_starts=8)
    assert len(fps) == 1 and fps[0].residual < 1e-20
    c = m.classify(fps[0])
    assert (c.kind, c.level) == ("sink", "certified")  # |sin(0.739...)| = 0.67 < 1


def test_latex_uses_subscripts():
    tex = HENON.latex()
    assert "x_{k+1} &= - a x_{k}^{2} + y_{k} + 1" in tex
    assert "y_{k+1} &= b x_{k}" in tex
