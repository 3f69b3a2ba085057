"""Fixed points of the contrastive moment ODEs: uninformative, selected, mixed; bad input."""

import numpy as np
import pytest
import sympy

from symdyn.contrastive import fixedpoints as fpm
from symdyn.contrastive.model import ContrastiveModel
from symdyn.hidden import Rademacher, SparseTernary


@pytest.fixture(scope="module")
def one_feature():
    model = ContrastiveModel(d=1, activation=sympy.erf, tau=sympy.Rational(1, 2), laws=(Rademacher(sympy.sqrt(2)),))
    return model, fpm.contrastive_system(model)


def test_uninformative_state_is_a_root_and_a_saddle_when_learnable(one_feature):
    model, system = one_feature
    u = fpm.uninformative_state(model, system)
    assert u.values[0] == 0 and u.values[1] > 0
    assert u.residual < 1e-12
    # <c^2> = 2 is above the threshold for erf at tau = 1/2: R grows, Q relaxes
    assert u.kind == "saddle" and u.unstable_dim == 1
    # the Jacobian at R = 0 is block diagonal
    J = fpm.fast_field(system).J(u.values)
    assert abs(J[0, 1]) < 1e-12 and abs(J[1, 0]) < 1e-12


def test_selected_state_is_a_sink_and_the_ode_converges_to_it(one_feature):
    model, system = one_feature
    fld = fpm.fast_field(system)
    sel = fpm.selected_states(model, system, fld=fld)
    plus = [s for s in sel if s.values[0] > 0][0]
    assert plus.kind == "sink" and plus.residual < 1e-10
    end = fld.integrate(np.array([[0.05], [1.0]]), 80.0, dt=0.1)
    assert np.max(np.abs(end[:, 0] - plus.values)) < 1e-6


def test_q_equation_has_no_R(one_feature):
    model, system = one_feature
    Q, f = fpm.q_equation(model, system)
    R = fpm._states(system)[0]
    assert R not in f.free_symbols and Q in f.free_symbols


def test_no_uninformative_state_is_a_clear_error():
    # without weight decay dQ/dt > 0 at R = 0 for every Q: no fixed point
    model = ContrastiveModel(d=1, activation=sympy.erf, tau=sympy.Rational(1, 2), beta=0)
    with pytest.raises(ValueError, match="no uninformative fixed point"):
        fpm.uninformative_state(model)


def test_unlearnable_feature_has_no_selected_state():
    # tiny <c^2>: below the threshold, the uninformative state is a sink
    model = ContrastiveModel(d=1, activation=sympy.erf, tau=sympy.Rational(1, 2),
                             laws=(Rademacher(sympy.Rational(1, 4)),))
    system = fpm.contrastive_system(model)
    u = fpm.uninformative_state(model, system)
    assert u.kind == "sink"
    with pytest.raises(ValueError, match="no selected"):
        fpm.selected_states(model, system)


def test_classify_numeric_kinds():
    assert fpm.classify_numeric(np.diag([-1.0, -2.0]))[0] == "sink"
    assert fpm.classify_numeric(np.diag([1.0, -2.0]))[:2] == ("saddle", 1)
    assert fpm.classify_numeric(np.diag([1.0, 2.0]))[0] == "source"
    assert fpm.classify_numeric(np.diag([0.0, -2.0]))[0] == "non-hyperbolic"


@pytest.mark.slow
def test_two_features_fixed_point_census():
    model = ContrastiveModel(d=2, activation=sympy.erf, tau=sympy.Rational(1, 2),
                             laws=(Rademacher(sympy.sqrt(2)), SparseTernary(2, sympy.Rational(1, 2))))
    fps = fpm.all_fixed_points(model)
    assert fps["uninformative"].unstable_dim == 2
    assert sum(s.kind == "sink" for s in fps["selected"]) == 4
    assert len(fps["mixed"]) == 4 and all(s.unstable_dim == 1 for s in fps["mixed"])
