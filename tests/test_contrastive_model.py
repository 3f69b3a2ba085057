"""ContrastiveModel: validation, normalisation, numeric activation, order parameters."""

import numpy as np
import pytest
import sympy

from symdyn.contrastive.model import (
    PARAM_SYMBOLS,
    ContrastiveModel,
    cosine_similarity,
    order_parameters,
    state_symbols,
)
from symdyn.hidden import GaussianLaw, Rademacher

x = sympy.Symbol("x")


def test_defaults_and_normalisation():
    m = ContrastiveModel()
    assert m.sigma == sympy.Lambda(sympy.Symbol("x", real=True), sympy.tanh(sympy.Symbol("x", real=True)))
    assert m.laws == (Rademacher(),) and m.tau == sympy.Rational(1, 2)
    assert ContrastiveModel(tau=0.3).tau == sympy.Rational(3, 10)
    assert ContrastiveModel(d=3).laws == (Rademacher(),) * 3
    assert ContrastiveModel(d=2, laws=GaussianLaw()).laws == (GaussianLaw(),) * 2
    lam = ContrastiveModel(activation=sympy.Lambda(x, x - x**3 / 3))
    assert lam.sigma.expr.has(sympy.Pow)


def test_symbolic_parameters_are_kept_and_not_validated():
    rho = PARAM_SYMBOLS["rho"]
    m = ContrastiveModel(rho=rho, Delta=PARAM_SYMBOLS["Delta"])
    assert m.rho == rho and not m.is_numeric
    assert set(m.param_values()) == {PARAM_SYMBOLS[n] for n in ("tau", "beta", "lam")}
    with pytest.raises(ValueError, match="symbolic"):
        m.numeric("rho")


@pytest.mark.parametrize("kw, match", [
    (dict(rho=1.5), "rho"), (dict(rho=-2), "rho"), (dict(Delta=-0.1), "Delta"), (dict(tau=0), "tau"),
    (dict(beta=-1), "beta"), (dict(lam=-1), "lam"), (dict(d=0), "d must"), (dict(d2=0), "d2"),
    (dict(augmentation="mix"), "augmentation"), (dict(regularizer="l3"), "regularizer"),
    (dict(activation=sympy.Abs), "activation"), (dict(activation=sympy.Function("f")), "activation"),
    (dict(d=2, laws=(Rademacher(),)), "laws"),
])
def test_bad_values_raise_valueerror_naming_parameter(kw, match):
    with pytest.raises(ValueError, match=match):
        ContrastiveModel(**kw)


@pytest.mark.parametrize("kw", [dict(activation="tanh"), dict(tau="0.5"), dict(g="x**2"), dict(laws="rademacher"),
                                dict(d=1.5), dict(laws=(1,))])
def test_strings_and_wrong_types_raise_typeerror(kw):
    with pytest.raises(TypeError):
        ContrastiveModel(**kw)


def test_replace_revalidates():
    m = ContrastiveModel()
    assert m.replace(rho=-1).rho == -1
    with pytest.raises(ValueError, match="rho"):
        m.replace(rho=3)
    assert m.replace(tau=0.5) == m


@pytest.mark.parametrize("act, ref", [
    (sympy.tanh, (np.tanh, lambda h: 1 - np.tanh(h) ** 2, lambda h: -2 * np.tanh(h) * (1 - np.tanh(h) ** 2))),
    (sympy.Lambda(x, x), (lambda h: h, lambda h: np.ones_like(h), lambda h: np.zeros_like(h))),
])
def test_numeric_activation(act, ref):
    h = np.linspace(-3, 3, 13).reshape(13, 1)
    for f, g in zip(ContrastiveModel(activation=act).numeric_activation(), ref):
        np.testing.assert_allclose(f(h), g(h), rtol=1e-12, atol=1e-14)
        assert f(h).shape == h.shape


def test_erf_activation_numeric():
    from scipy.special import erf

    s, ds, _ = ContrastiveModel(activation=sympy.erf).numeric_activation()
    h = np.linspace(-2, 2, 5)
    np.testing.assert_allclose(s(h), erf(h))
    np.testing.assert_allclose(ds(h), 2 / np.sqrt(np.pi) * np.exp(-h**2))


def test_order_parameters_and_state_order():
    R, Q = order_parameters(2, 2)
    assert R.shape == (2, 2) and Q.shape == (2, 2) and Q == Q.T
    assert str(R[1, 0]) == "R_{2,1}" and str(Q[1, 0]) == "Q_{1,2}"
    assert [str(s) for s in state_symbols(2, 2)] == ["R_{1,1}", "R_{1,2}", "R_{2,1}", "R_{2,2}",
                                                      "Q_{1,1}", "Q_{1,2}", "Q_{2,2}"]
    with pytest.raises(ValueError):
        order_parameters(0, 1)


def test_cosine_similarity_sympy_and_numpy():
    R, Q = order_parameters(1, 2)
    m = cosine_similarity(R, Q)
    assert m[0, 1] == R[0, 1] / sympy.sqrt(Q[1, 1])
    Rn = np.array([[[1.0, 2.0]]] * 3)
    Qn = np.array([[[4.0, 0.1], [0.1, 16.0]]] * 3)
    np.testing.assert_allclose(cosine_similarity(Rn, Qn), np.array([[[0.5, 0.5]]] * 3))
