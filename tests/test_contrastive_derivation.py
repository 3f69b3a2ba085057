"""The contrastive moment ODEs: two derivations agree, the spec's reference form comes out."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn.contrastive._nodes import Gaussian, GaussExpectation, canonicalize, nodes_in
from symdyn.contrastive.model import PARAM_SYMBOLS as P
from symdyn.contrastive.model import ContrastiveModel, order_parameters
from symdyn.contrastive.odes import conditional_rhs, moment_odes
from symdyn.contrastive.pde import McKeanVlasovPDE, NotClosedError
from symdyn.expectation import isserlis
from symdyn.hidden import DiscreteLaw, GaussianLaw, GeneralLaw, Rademacher, SparseTernary, UniformLaw
from symdyn.odesystem import ODESystem

tau, beta, Delta, rho, lam = (P[k] for k in ("tau", "beta", "Delta", "rho", "lam"))


def assert_same(sys_a, sys_b):
    assert sys_a.states == sys_b.states
    for ea, eb in zip(sys_a.rhs, sys_b.rhs):
        assert sympy.expand(canonicalize(ea) - canonicalize(eb)) == 0


@pytest.mark.parametrize(
    "model",
    [
        ContrastiveModel(tau=tau, beta=beta, Delta=Delta, rho=rho),
        ContrastiveModel(augmentation="resample", rho=rho, tau=tau),
        ContrastiveModel(d=2, Delta=Delta, laws=(Rademacher(), SparseTernary(2, sympy.Rational(1, 4)))),
        ContrastiveModel(activation=sympy.erf, Delta=1, rho=-1),
    ],
    ids=["additive-symbolic", "resample-symbolic", "two-features", "erf"],
)
def test_pde_and_increments_agree(model):
    # the proof compares the node forms (closed=False): equal canonical forms
    a = moment_odes(model, method="pde", closed=False)
    b = moment_odes(model, method="increments", closed=False)
    assert isinstance(a, ODESystem)
    assert_same(a, b)
    assert nodes_in(a.rhs[0])  # genuinely Gaussian expectations, not trivial


def test_erf_closed_routes_agree_and_are_node_free():
    model = ContrastiveModel(activation=sympy.erf, Delta=1, rho=-1)
    a = moment_odes(model, method="pde")
    b = moment_odes(model, method="increments")
    assert not any(nodes_in(e) for e in a.rhs + b.rhs)
    (R,), (Q,) = order_parameters(1, 1)
    pt = {R: sympy.Rational(3, 10), Q: sympy.Rational(7, 5)}
    quad = moment_odes(model, closed=False).compile().fun(0.0, np.array([0.3, 1.4]))
    for ea, eb, vq in zip(a.rhs, b.rhs, quad):
        va, vb = sympy.N(ea.xreplace(pt), 30), sympy.N(eb.xreplace(pt), 30)
        assert abs(va - vb) < 1e-28
        assert abs(float(va) - vq) < 1e-12  # node form by compiled quadrature


def test_two_neurons_agree_and_lambda_enters():
    model = ContrastiveModel(d2=2, lam=lam, Delta=sympy.Rational(1, 2))
    a = moment_odes(model)
    b = moment_odes(model, method="increments")
    assert_same(a, b)
    assert a.params == (lam,)
    assert len(a.states) == 2 + 3
    # the off-diagonal penalty couples the neurons
    assert all(e.has(lam) for e in a.rhs)


def _reference(augmentation, stein=False):
    """The spec's one-neuron form, written out independently (a check, not the implementation).

    ``stein=True`` evaluates ``E[a h1 + b h2]`` with Stein's lemma; otherwise it
    stays one node with the affine factor inside.
    """
    s = sympy.tanh
    x = sympy.Symbol("x")
    ds = sympy.Lambda(x, sympy.diff(s(x), x))
    dds = sympy.Lambda(x, sympy.diff(s(x), x, 2))
    (R,), (Q,) = order_parameters(1, 1)
    h1, h2 = sympy.symbols("h1 h2", real=True)
    a = ds(h1) * s(h2)
    b = s(h1) * ds(h2)
    dR = dQ = 0
    for c in (1, -1):  # Rademacher
        if augmentation == "additive":
            V = (1 + Delta) * Q - R**2
            K = (1 + rho * Delta) * Q - R**2
        else:
            V = Q - R**2
            K = rho * V
        G = Gaussian([h1, h2], [R * c, R * c], [[V, K], [K, V]])
        E = lambda f: G.expect(f, split=True)  # noqa: E731
        if augmentation == "additive":
            dR += tau * (E((a + b) * c) + Delta * R * E(dds(h1) * s(h2) + s(h1) * dds(h2) + 2 * rho * ds(h1) * ds(h2))) / 2
            var = (1 + Delta) * E(a**2 + b**2) + 2 * (1 + rho * Delta) * E(a * b)
        else:
            dR += tau * E((a + b) * c) / 2
            var = E(a**2 + b**2) + 2 * rho * E(a * b)
        drift = G.stein(h1, a) + G.stein(h2, b) if stein else E(a * h1 + b * h2)
        dQ += (2 * tau * drift + tau**2 * var) / 2
    return dR - tau * beta * R, dQ - 2 * tau * beta * Q


@pytest.mark.parametrize("augmentation", ["additive", "resample"])
def test_reference_one_neuron_form(augmentation):
    model = ContrastiveModel(tau=tau, beta=beta, Delta=Delta, rho=rho, augmentation=augmentation)
    sys = moment_odes(model)
    ref_R, ref_Q = _reference(augmentation, stein=True)
    assert sympy.expand(canonicalize(sys.rhs[0]) - canonicalize(ref_R)) == 0
    assert sympy.expand(canonicalize(sys.rhs[1]) - canonicalize(ref_Q)) == 0


def test_reference_numerically_without_stein():
    """With E[a h1 + b h2] kept as one quadrature, the values agree to quadrature accuracy."""
    sys = moment_odes(ContrastiveModel(tau=tau, beta=beta, Delta=Delta, rho=rho))
    ref = _reference("additive", stein=False)
    vals = {tau: sympy.Rational(1, 2), beta: 1, Delta: sympy.Rational(1, 2), rho: sympy.Rational(-1, 2)}
    (R,), (Q,) = order_parameters(1, 1)
    # Compile through ODESystem (states as arguments): lambdify of an expression whose
    # nodes have all-numeric arguments would evaluate them with the slow mpmath path.
    ours = sys.subs(vals).compile().fun(0.0, np.array([0.3, 1.2]))
    theirs = ODESystem([R, Q], [e.subs(vals) for e in ref]).compile().fun(0.0, np.array([0.3, 1.2]))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_l1_does_not_close_and_names_the_moments():
    model = ContrastiveModel(regularizer="l1")
    with pytest.raises(NotClosedError) as err:
        moment_odes(model)
    u1, w1 = sympy.symbols("u_1 w_1", real=True)
    assert u1 * sympy.sign(w1) in err.value.moments
    assert "E[u_1*sign(w_1)]" in str(err.value)
    with pytest.raises(NotClosedError):
        moment_odes(model, method="increments")
    pde = McKeanVlasovPDE(model)
    with pytest.raises(NotClosedError) as err2:
        pde.moment_derivative(w1**2)
    assert any(m.has(sympy.sign) for m in err2.value.moments)


def test_weak_form_is_integration_by_parts():
    """Against an explicit Gaussian density, int f d_tP dw equals int weak_form(f) P dw."""
    pde = McKeanVlasovPDE(ContrastiveModel(tau=tau, beta=beta, Delta=Delta, rho=rho))
    u, w = pde.u[0], pde.w[0]
    # replace the Gaussian-expectation nodes by constants so the drift is an explicit polynomial
    consts = {n: sympy.Symbol(f"k{i}") for i, n in enumerate(sorted(nodes_in(pde.drift[0]) | nodes_in(pde.diffusion[0, 0]), key=str))}
    mu, s2 = sympy.Symbol("mu", real=True), sympy.Symbol("s2", positive=True)
    dens = sympy.exp(-(w - mu) ** 2 / (2 * s2)) / sympy.sqrt(2 * sympy.pi * s2)
    pde_rhs = pde.rhs().xreplace(consts).subs(pde.P, dens).doit()
    ratio = sympy.expand(sympy.powsimp(sympy.expand(pde_rhs / dens)))  # d_tP / P: a polynomial in w
    assert ratio.is_polynomial(w)
    for f in (u * w, w**2, w**3):
        # int g P dw for polynomial g: exact Gaussian moments
        lhs = isserlis(sympy.expand(f * ratio), [w], [mu], [[s2]])
        rhs = isserlis(pde.weak_form(f).xreplace(consts), [w], [mu], [[s2]])
        assert sympy.expand(lhs - rhs) == 0
        assert sympy.expand(pde.weak_form(f) - pde.generator(f)) == 0


def test_uninformative_state_is_invariant():
    sys = moment_odes(ContrastiveModel(tau=sympy.Rational(1, 2), Delta=sympy.Rational(1, 2)))
    (R,), (Q,) = order_parameters(1, 1)
    assert sys.rhs[0].subs(R, 0) == 0
    assert sys.rhs[1].subs(R, 0) != 0


def test_polynomial_activation_is_exact():
    x = sympy.Symbol("x")
    model = ContrastiveModel(activation=sympy.Lambda(x, x - x**3 / 3), Delta=Delta, rho=rho)
    sys = moment_odes(model)
    exact = [sympy.expand(e.doit()) for e in sys.rhs]
    assert not any(nodes_in(e) for e in exact)
    # cross-check one value against quadrature of the compiled rhs
    f = sys.subs({Delta: sympy.Rational(1, 2), rho: 0}).compile().fun
    (R,), (Q,) = order_parameters(1, 1)
    y = np.array([0.3, 1.1])
    val = [float(e.subs({Delta: sympy.Rational(1, 2), rho: 0, R: sympy.Rational(3, 10), Q: sympy.Rational(11, 10)})) for e in exact]
    np.testing.assert_allclose(f(0.0, y), val, rtol=1e-11)


finite_laws = st.sampled_from([Rademacher(), SparseTernary(sympy.Rational(3, 2), sympy.Rational(1, 2)),
                               DiscreteLaw([-1, sympy.Rational(1, 2)], [sympy.Rational(1, 3), sympy.Rational(2, 3)])])


@pytest.mark.slow
@settings(max_examples=2)
@given(
    r=st.floats(-0.8, 0.8),
    q=st.floats(0.7, 2.0),
    delta=st.sampled_from([0, sympy.Rational(1, 2), 1]),
    rh=st.sampled_from([-1, sympy.Rational(-1, 2), 0, 1]),
    law=finite_laws,
)
def test_compiled_rhs_matches_mpmath(r, q, delta, rh, law):
    model = ContrastiveModel(Delta=delta, rho=rh, tau=sympy.Rational(1, 2), laws=(law,))
    sys = moment_odes(model)
    (R,), (Q,) = order_parameters(1, 1)
    scale = float(max(abs(v) for v, _ in law.atoms()))
    r = r / scale
    y = np.array([r, max(q, 1.2 * r**2 * scale**2 + 0.1)])
    got = sys.compile().fun(0.0, y)
    state = {R: sympy.Float(y[0], 30), Q: sympy.Float(y[1], 30)}
    want = [float(e.xreplace(state).evalf(20)) for e in sys.rhs]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-11)


def test_non_psd_states_give_nan_and_vectorised_shapes():
    sys = moment_odes(ContrastiveModel(Delta=0))
    f = sys.compile().fun
    y = np.array([[0.5, 2.0, 0.1], [1.0, 1.0, 0.001]])  # V = Q - R^2 < 0 in the last two columns
    out = f(0.0, y)
    assert out.shape == (2, 3)
    assert np.all(np.isfinite(out[:, 0]))
    assert np.all(np.isnan(out[:, 1:]))
    (R,), (Q,) = order_parameters(1, 1)
    with pytest.raises(ValueError, match="positive semi-definite"):
        sys.rhs[0].xreplace({R: sympy.Float(2), Q: sympy.Float(1)}).evalf()


def test_jacobian_is_symbolic_and_matches_finite_differences():
    sys = moment_odes(ContrastiveModel(Delta=sympy.Rational(1, 2), rho=0, tau=sympy.Rational(1, 2)))
    J = sys.jacobian()
    assert nodes_in(J[0, 0])
    cs = sys.compile()
    y = np.array([0.2, 1.3])
    eps = 1e-6
    fd = np.column_stack([(cs.fun(0, y + eps * e) - cs.fun(0, y - eps * e)) / (2 * eps) for e in np.eye(2)])
    np.testing.assert_allclose(cs.jac(0, y), fd, rtol=1e-6, atol=1e-8)


def test_bad_input():
    with pytest.raises(ValueError, match="method"):
        moment_odes(ContrastiveModel(), method="euler")
    with pytest.raises(TypeError):
        moment_odes("tanh")
    with pytest.raises(ValueError, match="moment_expansion"):
        moment_odes(ContrastiveModel(laws=(GeneralLaw(),)))
    with pytest.raises(ValueError, match="finite discrete"):
        moment_odes(ContrastiveModel(laws=(UniformLaw(),)))


def test_conditional_rhs_keeps_c():
    rhs = conditional_rhs(ContrastiveModel())
    c1 = sympy.Symbol("c_1", real=True)
    assert rhs[0].has(c1)
    assert all(isinstance(n, GaussExpectation) for n in nodes_in(rhs[0]))


def test_gaussian_law_is_folded_exactly():
    """Gaussian features folded into the Gaussian agree with the exact moment average (polynomial sigma)."""
    from symdyn.contrastive._views import c_symbols
    from symdyn.expectation import average_over_laws

    x = sympy.Symbol("x")
    law = GaussianLaw(sympy.Rational(3, 2))
    model = ContrastiveModel(activation=sympy.Lambda(x, x - x**3 / 3), Delta=Delta, rho=rho, laws=(law,))
    folded = [sympy.expand(e.doit()) for e in moment_odes(model).rhs]
    direct = [sympy.expand(average_over_laws(sympy.expand(e.doit()), c_symbols(1), (law,), use_atoms=False))
              for e in conditional_rhs(model)]
    assert all(sympy.expand(a - b) == 0 for a, b in zip(folded, direct))
    tanh_model = ContrastiveModel(laws=(law,), Delta=sympy.Rational(1, 2))
    assert_same(moment_odes(tanh_model), moment_odes(tanh_model, method="increments"))
