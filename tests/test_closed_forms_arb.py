"""Ball-arithmetic evaluation (symdyn._arb) and the bivariate normal CDF (symdyn.special)."""

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from flint import arb, fmpq
from hypothesis import given, settings, strategies as st

from symdyn._arb import UnsupportedNode, arb_compile, arb_eval
from symdyn.special import BivariateNormalCDF, bvn_cdf_arb, bvn_cdf_mpmath, bvn_cdf_numpy

x, y, z = sympy.symbols("x y z", real=True)

EXPRS = [
    sympy.erf(x) * sympy.exp(-y**2) + sympy.sqrt(1 + x**2) / (2 + y),
    sympy.asin(x / (1 + y**2)) * sympy.pi + sympy.E**x,
    sympy.atan(x * y) - sympy.acos(x / 3) + sympy.log(2 + y**2) * sympy.erfc(y),
    (1 + x**2) ** sympy.Rational(-3, 2) + (2 + y**2) ** sympy.Rational(1, 3) + (3 + x**2) ** y,
    BivariateNormalCDF(x, y, sympy.Rational(1, 3)) + BivariateNormalCDF(x - y, 2 * y, -sympy.Rational(9, 10)),
]

rat = st.fractions(min_value=-1, max_value=1, max_denominator=50)


def _mp(expr, vals):
    sub = {s: sympy.Rational(v.numerator, v.denominator) for s, v in vals.items()}
    return mpmath.mpf(str(sympy.N(expr.subs(sub), 40)))


@settings(max_examples=15, deadline=None)
@given(rat, rat, st.sampled_from(range(len(EXPRS))))
def test_enclosure_contains_high_precision_value(a, b, i):
    expr = EXPRS[i]
    vals = {x: Fraction(a), y: Fraction(b)}
    ball = arb_eval(expr, vals, prec=120)
    assert ball.is_finite()
    assert ball.rad() < 1e-25
    with mpmath.workdps(40):
        ref = _mp(expr, vals)
    assert ball.contains(arb(mpmath.nstr(ref, 35)).mid()) or abs(float(ball.mid()) - float(ref)) < 1e-30
    # negative control: a value off by 1e-20 is outside the ball
    assert not ball.contains(arb(ball.mid()) + arb("1e-20"))


def test_ball_inputs_propagate_and_domain_errors_are_non_finite():
    ball = arb_eval(sympy.log(x), {x: arb(0, 1)}, prec=64)
    assert not ball.is_finite()
    wide = arb_eval(x**2, {x: arb(1, fmpq(1, 10).__float__())}, prec=64)
    assert wide.contains(arb("1.21")) and wide.contains(arb("0.81"))


def test_compiled_tape_matches_eval_and_shares_subexpressions():
    tape = arb_compile(EXPRS, [x, y])
    out = tape(fmpq(1, 3), fmpq(-1, 2), prec=100)
    for e, b in zip(EXPRS, out):
        ref = arb_eval(e, {x: fmpq(1, 3), y: fmpq(-1, 2)}, prec=100)
        assert b.overlaps(ref)
    n_unique = tape.size
    assert n_unique < sum(sympy.count_ops(e) + 5 for e in EXPRS)


def test_unsupported_nodes_and_bad_values_raise():
    with pytest.raises(UnsupportedNode, match="Float"):
        arb_eval(x + sympy.Float(0.1), {x: 1})
    with pytest.raises(UnsupportedNode, match="gamma"):
        arb_eval(sympy.gamma(x), {x: 1})
    with pytest.raises(ValueError, match="no value"):
        arb_eval(x + y, {x: 1})
    with pytest.raises(TypeError, match="arb, fmpq"):
        arb_eval(x, {x: 0.5})
    with pytest.raises(TypeError):
        arb_eval(x, {x: "1"})
    with pytest.raises(TypeError):
        arb_eval("x + 1", {})
    with pytest.raises(ValueError, match="prec"):
        arb_eval(x, {x: 1}, prec=3)


@settings(max_examples=25, deadline=None)
@given(st.floats(-4, 4), st.floats(-4, 4), st.floats(-0.995, 0.995))
def test_bvn_numpy_arb_mpmath_agree(h, k, r):
    with mpmath.workdps(30):
        ref = bvn_cdf_mpmath(h, k, r)
    assert abs(bvn_cdf_numpy(h, k, r) - float(ref)) < 1e-13
    ball = bvn_cdf_arb(arb(h), arb(k), arb(r))
    assert ball.rad() < 1e-12
    assert abs(float(ball.mid()) - float(ref)) < 1e-14


def test_bvn_symbolic_derivatives_match_finite_differences():
    h, k, r = sympy.symbols("h k r", real=True)
    F = BivariateNormalCDF(h, k, r)
    pt = {h: sympy.Rational(3, 10), k: -sympy.Rational(7, 10), r: sympy.Rational(2, 5)}
    with mpmath.workdps(30):
        for var in (h, k, r):
            sym = sympy.N(F.diff(var).subs(pt), 25)
            args = [pt[h], pt[k], pt[r]]
            i = (h, k, r).index(var)
            num = mpmath.diff(lambda t: bvn_cdf_mpmath(*[t if j == i else mpmath.mpf(args[j].p) / args[j].q
                                                         for j in range(3)]),
                              mpmath.mpf(args[i].p) / args[i].q)
            assert abs(float(sym) - float(num)) < 1e-15


def test_bvn_special_values_and_latex():
    r = sympy.Symbol("r")
    assert BivariateNormalCDF(0, 0, r) == sympy.Rational(1, 4) + sympy.asin(r) / (2 * sympy.pi)
    assert "Phi_{2}" in sympy.latex(BivariateNormalCDF(x, y, r))
    with pytest.raises(ValueError, match="rho"):
        BivariateNormalCDF(x, y, 1)
    assert np.isnan(bvn_cdf_numpy(0.1, 0.2, 1.0))


def test_tape_hyperbolic_and_tan_match_mpmath():
    tape = arb_compile([sympy.sinh(x) + sympy.cosh(y) * sympy.tan(x), sympy.tanh(x * y)], [x, y])
    a, b = tape(fmpq(1, 3), fmpq(-2, 5), prec=120)
    with mpmath.workdps(40):
        xa, ya = mpmath.mpf(1) / 3, mpmath.mpf(-2) / 5
        ra = mpmath.sinh(xa) + mpmath.cosh(ya) * mpmath.tan(xa)
        rb = mpmath.tanh(xa * ya)
    for ball, ref in ((a, ra), (b, rb)):
        assert ball.rad() < 1e-30 and abs(float(ball.mid()) - float(ref)) < 1e-15


def test_floats_refused_by_default_and_read_exactly_in_binary_mode():
    from symdyn._arb import arb_supported, binary_to_arb

    e = sympy.Float(0.1) * x
    with pytest.raises(UnsupportedNode, match="Float"):
        arb_compile([e], [x])
    assert arb_supported([x * sympy.tanh(x)]) and not arb_supported([e])
    assert arb_supported([e], floats="binary") and not arb_supported([sympy.besselj(0, x)])
    [b] = arb_compile([e], [x], floats="binary")(1, prec=200)
    assert b.rad() == 0 and b == binary_to_arb(0.1)  # the binary value of 0.1, not 1/10
    assert not b.contains(arb(fmpq(1, 10)))
    assert binary_to_arb(sympy.Float("0.25")) == arb(fmpq(1, 4))
    with pytest.raises(ValueError, match="non-finite"):
        binary_to_arb(float("inf"))
    with pytest.raises(TypeError):
        binary_to_arb(True)


@settings(max_examples=20, deadline=None)
@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(-60, 60))
def test_binary_to_arb_is_exact(v, k):
    import math

    from symdyn._arb import binary_to_arb

    w = math.ldexp(v, k)
    b = binary_to_arb(w)
    assert b.rad() == 0 and b == arb(w)  # flint's own float conversion is exact too
