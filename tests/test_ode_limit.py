"""ODE-vs-SGD validation tools and the ode_limit_of_sgd check (which must be able to fail)."""

import numpy as np
import pytest
import sympy

from proofs_checks import ode_limit_of_sgd as check
from symdyn.contrastive.model import ContrastiveModel, state_symbols
from symdyn.contrastive.validation import (
    _unflatten,
    fit_loglog_slope,
    ode_trajectory,
    state_vector,
    sup_error,
)
from symdyn.hidden import Rademacher
from symdyn.odesystem import ODESystem

SMALL = dict(Ns=(300, 1200, 4800), n_runs=16, n_batches=4, t_max=2.0, n_times=9, cross_check=(), max_error=0.03)


def test_fit_loglog_slope_exact_and_bad_input():
    N = np.array([1e3, 1e4, 1e5, 1e6])
    slope, icpt = fit_loglog_slope(N, 3.0 / N)
    assert slope == pytest.approx(-1.0) and icpt == pytest.approx(np.log(3.0))
    with pytest.raises(ValueError):
        fit_loglog_slope([1e3], [0.1])
    with pytest.raises(ValueError):
        fit_loglog_slope([1e3, 1e4], [0.1, 0.0])


def test_state_vector_roundtrip_follows_state_symbols():
    R = np.arange(6.0).reshape(2, 3)
    Q = np.array([[1.0, 0.1, 0.2], [0.1, 2.0, 0.3], [0.2, 0.3, 3.0]])
    y = state_vector(R, Q)
    names = [str(s) for s in state_symbols(2, 3)]
    assert len(y) == len(names)
    assert y[names.index("R_{2,1}")] == R[1, 0] and y[names.index("Q_{2,3}")] == Q[1, 2]
    R2, Q2 = _unflatten(y[:, None], 2, 3)
    np.testing.assert_array_equal(R2[0], R)
    np.testing.assert_array_equal(Q2[0], Q)


def test_ode_trajectory_on_a_linear_system():
    R, Q = state_symbols(1, 1)
    system = ODESystem([R, Q], [-R, sympy.Integer(0)])
    out = ode_trajectory(ContrastiveModel(), [0.0, 0.5, 1.0, 1.0], [[0.2]], [[4.0]], system=system)
    np.testing.assert_allclose(out["m"][:, 0, 0], 0.1 * np.exp(-np.array([0, 0.5, 1.0, 1.0])), rtol=1e-7)
    with pytest.raises(ValueError, match="states"):
        ode_trajectory(ContrastiveModel(d=2), [0.0, 1.0], [[0.1], [0.1]], [[1.0]], system=system)
    assert sup_error(out["m"], out["m"] + 0.25) == pytest.approx(0.25)


def test_check_fails_on_a_frozen_ode():
    """Broken hypothesis: dR/dt = dQ/dt = 0. The SGD error against it cannot shrink."""
    R, Q = state_symbols(1, 1)
    frozen = ODESystem([R, Q], [sympy.Integer(0), sympy.Integer(0)])
    v = check.evaluate(("tanh",), systems={"tanh": frozen}, **SMALL)
    assert v.passed is False
    assert v.level == "numerical"
    assert abs(v.figures["regimes"]["tanh"]["slope"]) < 0.2


# --- the real moment ODEs (engineer B's derivation) ----------------------------------------

@pytest.fixture(scope="module")
def additive_system():
    from symdyn.contrastive.odes import moment_odes

    model, init = check.regimes()["additive_D0.5_rho-1"]
    return model, init, moment_odes(model)


def test_check_passes_on_the_moment_odes(additive_system):
    model, init, system = additive_system
    v = check.evaluate(("additive_D0.5_rho-1",), systems={"additive_D0.5_rho-1": system}, **SMALL)
    entry = v.figures["regimes"]["additive_D0.5_rho-1"]
    assert v.passed is True, entry
    assert -1.3 <= entry["slope"] <= -0.3


@pytest.mark.slow
def test_check_fails_on_a_shifted_rhs(additive_system):
    model, init, system = additive_system
    # broken hypothesis: the moment ODEs with dR/dt perturbed by R/20
    R, Q = state_symbols(1, 1)
    shifted = ODESystem(system.states, [system.rhs[0] + sympy.Rational(1, 20) * R, system.rhs[1]], system.params)
    bad = check.evaluate(("additive_D0.5_rho-1",), systems={"additive_D0.5_rho-1": shifted}, **SMALL)
    assert bad.passed is False


def _reference_rhs(model, n_gh=200):
    """TEST-ONLY: the spec's one-neuron reference form, by Gauss-Hermite quadrature (additive)."""
    tau, beta = model.numeric("tau"), model.numeric("beta")
    D, rho = model.numeric("Delta"), model.numeric("rho")
    s, ds, dds = model.numeric_activation()
    atoms = [(float(v), float(p)) for v, p in model.laws[0].atoms()]
    x, w = np.polynomial.hermite_e.hermegauss(n_gh)
    w = w / w.sum()
    X1, X2 = np.meshgrid(x, x, indexing="ij")
    W = np.outer(w, w)

    def rhs(y):
        R, Q = y
        V = (1 + D) * Q - R**2
        K = (1 + rho * D) * Q - R**2
        L11 = np.sqrt(V)
        L21 = K / L11
        L22 = np.sqrt(max(V - L21**2, 0.0))
        dR = dQ = 0.0
        for c, p in atoms:
            h1 = R * c + L11 * X1
            h2 = R * c + L21 * X1 + L22 * X2
            a, b = ds(h1) * s(h2), s(h1) * ds(h2)
            E = lambda f: float(np.sum(W * f))  # noqa: E731
            dR += p * tau * (E((a + b) * c) + D * R * E(dds(h1) * s(h2) + s(h1) * dds(h2)
                                                     + 2 * rho * ds(h1) * ds(h2)))
            dQ += p * (2 * tau * E(a * h1 + b * h2)
                       + tau**2 * ((1 + D) * E(a * a + b * b) + 2 * (1 + rho * D) * E(a * b)))
        return np.array([dR - tau * beta * R, dQ - 2 * tau * beta * Q])

    return rhs


def test_moment_odes_match_spec_reference_form(additive_system):
    model, _, system = additive_system
    ref = _reference_rhs(model)
    f = system.compile().fun
    for y in ([0.1, 1.0], [0.5, 0.8], [0.7, 0.6]):
        np.testing.assert_allclose(f(0.0, np.array(y)), ref(np.array(y)), rtol=1e-5, atol=1e-9)


@pytest.mark.slow
def test_default_check_passes():
    v = check.run()
    assert v.passed is True, v.figures
