"""Hostile inputs to the core symbolic API: ODESystem / MapSystem, expectation, latex.

Issue 11: item 3 (strings evaluated), 5 (classify of a non-equilibrium), 7 (silent empty
fixed points), 9 (hangs: fixed_points(x**1000 - 1), integrate over (0, 1e-300)) and the
campaign's findings (iterate without a step cap, start beyond max_norm).
"""

import warnings

import numpy as np
import pytest
import sympy

from symdyn import MapSystem, ODESystem
from symdyn import expectation as E
from symdyn.latex import tex
from symdyn._fixedpoints import NoFixedPointWarning

x, y, r = sympy.symbols("x y r")


def pitch():
    return ODESystem([x], [r * x - x**3], [r])


# ---------------------------------------------------------------- classify (item 5)
@pytest.mark.parametrize("point", [[1], [1.0], [2.001], [sympy.Rational(3, 2)]])
def test_classify_refuses_non_equilibrium(point):
    with pytest.raises(ValueError, match="not an equilibrium|not a fixed point"):
        pitch().classify(point, {r: 4})


def test_classify_equilibria_still_classified():
    s = pitch()
    c = s.classify([2], {r: 4})
    assert c.kind == "sink" and c.level == "proved"
    c0 = s.classify({x: 0}, {r: 4})
    assert c0.kind == "source" and c0.level == "proved"
    assert s.classify([2.0], {r: 4}).kind == "sink"


@pytest.mark.parametrize("system,point", [
    (lambda: MapSystem([x], [x / 2]), [1]),
    (lambda: ODESystem([x], [sympy.sin(x)]), [1]),
    (lambda: ODESystem([x, y], [y, -x - y]), [1, 0]),
])
def test_classify_non_equilibria_other_systems(system, point):
    with pytest.raises(ValueError):
        system().classify(point)


def test_classify_transcendental_equilibrium():
    assert ODESystem([x], [sympy.sin(x)]).classify([sympy.pi]).kind == "sink"
    assert ODESystem([x], [sympy.sin(x)]).classify([3.141592653589793]).kind == "sink"


@pytest.mark.parametrize("point,params,exc", [
    ([float("nan")], {r: 4}, ValueError),
    ([float("inf")], {r: 4}, ValueError),
    ("1", {r: 4}, TypeError),
    (["1"], {r: 4}, TypeError),
    ([1, 2], {r: 4}, ValueError),
    ([sympy.zoo], {r: 4}, ValueError),
    ([0], [float("nan")], ValueError),
    ([0], {}, ValueError),
])
def test_classify_bad_points_and_params(point, params, exc):
    with pytest.raises(exc):
        pitch().classify(point, params)


# ---------------------------------------------------------------- fixed points (items 7, 9)
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), sympy.nan, sympy.oo, sympy.zoo])
@pytest.mark.parametrize("method", ["auto", "numeric"])
def test_fixed_points_non_finite_parameter(value, method):
    with pytest.raises(ValueError, match="finite"):
        pitch().fixed_points({r: value}, method=method)


def test_fixed_points_string_parameter():
    with pytest.raises(TypeError, match="string"):
        pitch().fixed_points({r: "4"})


def test_fixed_points_outside_box_warns_naming_the_box():
    s = ODESystem([x], [sympy.exp(x) - 10**10])          # root log(1e10) = 23.03
    with pytest.warns(NoFixedPointWarning, match=r"search box \[-10, 10\]"):
        assert s.fixed_points() == []
    with pytest.raises(ValueError, match="box"):
        s.fixed_points(on_empty="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(s.fixed_points(bounds=(0, 30))) == 1


@pytest.mark.parametrize("degree", [1000, 5000, 10**6])
def test_fixed_points_degree_cap(degree):
    with pytest.raises(ValueError, match="exceeds the cap"):
        ODESystem([x], [x**degree - 1]).fixed_points()


@pytest.mark.parametrize("kw,exc", [
    (dict(bounds=(float("nan"), 1)), ValueError), (dict(bounds=(1, -1)), ValueError),
    (dict(bounds="(-1,1)"), TypeError), (dict(n_starts=-1), ValueError),
    (dict(n_starts=10**12), ValueError), (dict(prec=10**6), ValueError), (dict(prec=3), ValueError),
    (dict(guesses=[[float("nan")]]), ValueError), (dict(guesses="1"), TypeError),
    (dict(method="magic"), ValueError), (dict(domain="quaternion"), ValueError),
])
def test_fixed_points_bad_options(kw, exc):
    with pytest.raises(exc):
        pitch().fixed_points({r: 4}, **{"method": "numeric", **kw})


def test_fixed_points_answers():
    assert [int(p.values[0]) for p in ODESystem([x], [x**3 - x]).fixed_points()] == [-1, 0, 1]
    assert len(ODESystem([x], [x**20 - 1]).fixed_points()) == 2
    with pytest.raises(ValueError, match="identically"):
        ODESystem([x], [x - x]).fixed_points()


# ---------------------------------------------------------------- integrate / iterate
@pytest.mark.parametrize("t_span", [(0, 1e-300), (0, 5e-324), (0, 1e-12), (0, 1e300), (-1e300, 0),
                                    (1e15, 1e15 + 1e-3)])
def test_integrate_time_span_caps(t_span):
    with pytest.raises(ValueError, match="t_span"):
        pitch().integrate([0.1], t_span, (1.0,))


@pytest.mark.parametrize("t_span,exc", [((0, float("inf")), ValueError), ((0, float("nan")), ValueError),
                                        ((0, 0), ValueError), ("0,1", TypeError), ((0,), ValueError),
                                        ((0, "1"), TypeError)])
def test_integrate_bad_time_span(t_span, exc):
    with pytest.raises(exc):
        pitch().integrate([0.1], t_span, (1.0,))


def test_integrate_start_beyond_max_norm():
    with pytest.raises(ValueError, match="max_norm"):
        pitch().integrate([0.1], (0, 10), (1.0,), max_norm=1e-3)
    with pytest.raises(ValueError, match="max_norm"):
        pitch().integrate([1e308], (0, 1), (1.0,))


@pytest.mark.parametrize("y0,exc", [([float("nan")], ValueError), (["0.1"], TypeError), ([0.1, 0.2], ValueError)])
def test_integrate_bad_start(y0, exc):
    with pytest.raises(exc):
        pitch().integrate(y0, (0, 1), (1.0,))


def test_integrate_right_answer():
    res = pitch().integrate([0.1], (0, 1), (1.0,))
    e = np.e
    assert res.success and abs(res.y[0, -1] - 0.1 * e / np.sqrt(1 + 0.01 * (e**2 - 1))) < 1e-6


def logistic():
    return MapSystem([x], [r * x * (1 - x)], [r])


@pytest.mark.parametrize("n,exc", [(-1, ValueError), (2.5, TypeError), (10**12, ValueError), ("10", TypeError),
                                   (True, TypeError)])
def test_iterate_bad_steps(n, exc):
    with pytest.raises(exc):
        logistic().iterate([0.5], n, (2.5,))


def test_iterate_orbit_cap():
    with pytest.raises(ValueError, match="return_orbit"):
        logistic().iterate([[0.5] * 10], 10**7, (2.5,), return_orbit=True)
    assert abs(float(logistic().iterate([0.5], 200, (2.5,))[0]) - 0.6) < 1e-9


# ---------------------------------------------------------------- constructor
@pytest.mark.parametrize("build,exc", [
    (lambda: ODESystem([x], ["x"]), TypeError),
    (lambda: ODESystem([x], ["__import__('os').system('true')"]), TypeError),
    (lambda: ODESystem(["x"], [x]), TypeError),
    (lambda: ODESystem([x], [x, x]), ValueError),
    (lambda: ODESystem([x], [x * sympy.nan]), ValueError),
    (lambda: ODESystem([x], [sympy.zoo]), ValueError),
    (lambda: ODESystem([x, x], [x, x]), ValueError),
    (lambda: ODESystem([x], [x], [x]), ValueError),
    (lambda: ODESystem([], []), ValueError),
    (lambda: ODESystem([x], [True]), TypeError),
])
def test_constructor(build, exc):
    with pytest.raises(exc):
        build()


# ---------------------------------------------------------------- strings never evaluated (item 3)
def _payload(tmp_path):
    marker = tmp_path / "P"
    return marker, f"__import__('os').system('touch {marker}')"


def test_expectation_never_evaluates_strings(tmp_path):
    marker, s = _payload(tmp_path)
    calls = [
        lambda: E.isserlis(s, [x], [0], [[1]]),
        lambda: E.isserlis(x**2, [x], [s], [[1]]),
        lambda: E.isserlis(x**2, [x], [0], [[s]]),
        lambda: E.isserlis(x**2, [x], [0], s),
        lambda: E.isserlis(x**2, [x], [0], np.array([[s]])),
        lambda: E.isserlis(x**2, [s], [0], [[1]]),
        lambda: E.gaussian_expectation(s, [x], [0], [[1]]),
        lambda: E.gaussian_expectation(x, [x], np.array([s]), [[1]]),
        lambda: E.stein(s, x, [x], [0], [[1]]),
        lambda: E.stein(x, s, [x], [0], [[1]]),
        lambda: E.erf_closed_form(s, [x], [0], [[1]]),
        lambda: E.erf_closed_form(sympy.erf(x), [x], [0], [[s]]),
        lambda: E.average_over_laws(s, [x], [None]),
        lambda: E.mp_gaussian_expectation(s, [x], [0], [[1]]),
        lambda: E.compile_integrand(s, [x]),
    ]
    for call in calls:
        with pytest.raises(TypeError, match="string"):
            call()
    assert not marker.exists()


def test_high_precision_paths_never_evaluate_strings(tmp_path):
    from symdyn._hpquad import hp_gaussian_expectations
    from symdyn.contrastive.highprec import hp_value

    marker, s = _payload(tmp_path)
    for call in (lambda: hp_value(s, {}, digits=20), lambda: hp_gaussian_expectations([s], [x], [0], [[1]]),
                 lambda: hp_gaussian_expectations([x**2], [x], [s], [[1]]),
                 lambda: hp_gaussian_expectations([x**2], [x], [0], [[s]])):
        with pytest.raises(TypeError, match="string"):
            call()
    assert not marker.exists()


def test_latex_never_evaluates_strings(tmp_path):
    marker, s = _payload(tmp_path)
    for value in (np.array([s]), np.array([s, 1], dtype=object), s, s.encode(), np.array(s), [s]):
        with pytest.raises(TypeError):
            tex(value)
    assert not marker.exists()
    assert tex(np.array([1, 2])) .startswith("\\left[")


def test_numeric_quadrature_guards(tmp_path):
    marker, s = _payload(tmp_path)
    f = E.compile_integrand(x**2, [x])
    for call in (lambda: E.gauss_hermite_expectation(s, [0.0], [[1.0]]),
                 lambda: E.gaussian_quadrature(s, [0.0], [[1.0]])):
        with pytest.raises(TypeError, match="callable"):
            call()
    for call in (lambda: E.gaussian_quadrature(f, [s], [[1.0]]), lambda: E.gauss_hermite_expectation(f, [0.0], [[s]])):
        with pytest.raises(TypeError, match="strings"):
            call()
    with pytest.raises(ValueError, match="scalar"):
        E.gaussian_quadrature(f, 0.0, [[1.0]])
    assert not marker.exists()
    assert abs(float(E.gaussian_quadrature(f, [1.0], [[2.0]])) - 3.0) < 1e-9
