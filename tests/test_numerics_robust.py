"""Robust numerics: time budgets, Newton kept in the physical domain, high-precision quadrature."""

import math

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from symdyn._budget import Budget, BudgetExceeded
from symdyn._hpquad import hp_gaussian_expectations
from symdyn.contrastive import fixedpoints as fpm


def test_budget_raises_with_a_clear_message():
    b = Budget(1e-9, "toy search")
    import time

    time.sleep(0.001)
    with pytest.raises(BudgetExceeded, match="toy search exceeded its time budget"):
        b.check()
    with pytest.raises(ValueError, match="budget"):
        Budget(-1)


def test_uninformative_state_respects_its_budget():
    from symdyn.contrastive.model import ContrastiveModel

    model = ContrastiveModel(activation=sympy.erf)
    with pytest.raises(BudgetExceeded):
        fpm.uninformative_state(model, budget=1e-6)


class _Toy:
    """A NumericField-like toy: f = (Q - 1, R - 2) pulls R outside |R|^2 <= Q; f(Q <= 0) = NaN."""

    n = 2

    def f(self, Y):
        Y = np.asarray(Y, float)
        with np.errstate(invalid="ignore"):
            out = np.vstack([Y[0] - 2.0 + 0 * Y[1], Y[1] - 1.0])
        return np.where(Y[1] > 0, out, np.nan)

    def J(self, Y):
        Y = np.asarray(Y, float)
        J = np.zeros((2, 2) + Y.shape[1:])
        J[0, 0] = 1.0
        J[1, 1] = 1.0
        return J


def test_damped_newton_reports_a_start_that_must_leave_the_domain():
    # the zero (R, Q) = (2, 1) has |m| = 2 > 1: Newton must stop at the boundary and say so
    Y, res, status = fpm.damped_newton(_Toy(), np.array([[0.1, 0.2], [0.5, 0.8]]), 1, iters=50)
    assert set(status) <= {"left the domain"} and np.all(np.isnan(Y))
    assert fpm.in_domain(np.array([[0.5], [1.0]]), 1).all() and not fpm.in_domain(np.array([[0.5], [-1.0]]), 1).any()


@settings(max_examples=4, deadline=None)
@given(V=st.floats(0.2, 2.0), c=st.floats(-0.9, 0.9))
def test_hp_quadrature_reproduces_the_arcsine_law(V, c):
    # E[erf(h1) erf(h2)] = (2/pi) asin(2K / (1 + 2V)) for equal variances V and covariance K
    x, y = sympy.symbols("x y")
    V = sympy.Rational(V).limit_denominator(1000)
    K = sympy.Rational(c).limit_denominator(1000) * V
    [(val, err)] = hp_gaussian_expectations([sympy.erf(x) * sympy.erf(y)], [x, y], [0, 0], [[V, K], [K, V]],
                                            digits=25)
    with mpmath.workdps(40):
        exact = 2 / mpmath.pi * mpmath.asin(2 * mpmath.mpf(K.p) / K.q / (1 + 2 * mpmath.mpf(V.p) / V.q))
        assert abs(val - exact) < mpmath.mpf(10) ** -25
    assert err < 1e-25


def test_hp_quadrature_rejects_bad_input():
    x = sympy.Symbol("x")
    with pytest.raises(ValueError, match="positive semi-definite"):
        hp_gaussian_expectations([x], [x, sympy.Symbol("y")], [0, 0], [[1, 2], [2, 1]])
    with pytest.raises(ValueError, match="digits"):
        hp_gaussian_expectations([x], [x], [0], [[1]], digits=3)
    with pytest.raises(BudgetExceeded):
        hp_gaussian_expectations([sympy.tanh(x) * sympy.tanh(sympy.Symbol("y"))], [x, sympy.Symbol("y")], [0, 0],
                                 [[1, 0], [0, 1]], digits=40, budget=0.05)


def test_tanh_threshold_cross_check_at_25_digits_agrees():
    from symdyn.contrastive import learnability_threshold
    from symdyn.contrastive.model import ContrastiveModel

    # Delta = 1/2, rho = 0: a genuinely 2-D pair of views
    th = learnability_threshold(ContrastiveModel(activation=sympy.tanh, Delta=sympy.Rational(1, 2), rho=0),
                                confirm_digits=25)
    hp = th["high_precision"]
    assert hp["digits"] == 25 and hp["secant_converged"]
    assert hp["max_difference"] < 1e-9 and hp["quadrature_error_estimate"] < 1e-20


@pytest.mark.slow
def test_tanh_grid_point_that_used_to_raise():
    from symdyn.contrastive import steady_state_grid

    rows, _ = steady_state_grid([0.2], [1.0], [-1.0], activation=sympy.tanh)
    assert rows[0]["converged"] and rows[0]["kind"] == "sink" and 0 < rows[0]["m"] <= 1
