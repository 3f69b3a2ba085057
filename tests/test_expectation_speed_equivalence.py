"""The fast quadrature paths give the same numbers as the plain rules (correctness only).

* :func:`gaussian_quadrature` / :func:`gauss_hermite_expectation` (points built
  coordinate by coordinate, cached rules) against the rule applied with
  ``einsum`` as before;
* compiled moment ODEs (``GaussExpectation._imp_`` with shared points per
  Gaussian and grouped integrands, memoised by argument values) against every
  node evaluated on its own with :func:`gaussian_quadrature`.
"""

import math

import numpy as np
import pytest
import sympy

from symdyn.expectation import (
    DEFAULT_ORDER,
    compile_integrand,
    gauss_hermite_expectation,
    gauss_hermite_rule,
    gaussian_quadrature,
    psd_sqrt,
    trapezoid_rule,
)


def _plain(f, mean, cov, z, w):
    L = psd_sqrt(cov)
    pts = mean[..., None, :] + np.einsum("...ij,pj->...pi", L, z)
    vals = f(*[pts[..., i] for i in range(mean.shape[-1])])
    return vals @ w


def _plain_auto(f, mean, cov):
    n = mean.shape[-1]
    if n > 2:
        return _plain(f, mean, cov, *gauss_hermite_rule(n, DEFAULT_ORDER.get(n, 10)))
    smax = np.nanmax(np.sqrt(np.abs(np.diagonal(cov, axis1=-2, axis2=-1))), initial=1.0)
    step = 0.3 / (math.ceil(4 * max(1.0, float(smax))) / 4)
    return _plain(f, mean, cov, *trapezoid_rule(n, step))


def _random_batch(rng, n, k):
    A = rng.normal(size=(k, n, n)) * 0.8
    cov = A @ np.swapaxes(A, -1, -2)
    mean = rng.normal(size=(k, n))
    return mean, cov


X = sympy.symbols("x0:3", real=True)
INTEGRANDS = {
    1: [sympy.tanh(X[0]) ** 2, X[0] ** 2 * (1 - sympy.tanh(X[0]) ** 2), sympy.erf(X[0])],
    2: [sympy.tanh(X[0]) * sympy.tanh(X[1]), (1 - sympy.tanh(X[1]) ** 2) * sympy.tanh(X[0]) * X[1]],
    3: [sympy.tanh(X[0]) * sympy.tanh(X[1]) * sympy.tanh(X[2])],
}


@pytest.mark.parametrize("n", [1, 2, 3])
def test_quadrature_matches_plain_rule(n):
    rng = np.random.default_rng(n)
    mean, cov = _random_batch(rng, n, 7)
    cov[3] = -cov[3]                      # not PSD: NaN either way
    for expr in INTEGRANDS[n]:
        f = compile_integrand(expr, X[:n])
        got = gaussian_quadrature(f, mean, cov)
        want = _plain_auto(f, mean, cov)
        assert got.shape == want.shape == (7,)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        assert np.isnan(got[3])
        ok = ~np.isnan(want)
        np.testing.assert_allclose(got[ok], want[ok], rtol=1e-12, atol=1e-14)
        # single Gaussian (no batch axis)
        g1 = gaussian_quadrature(f, mean[0], cov[0])
        assert np.ndim(g1) == 0
        assert abs(float(g1) - want[0]) <= 1e-12 * max(1.0, abs(want[0]))
        gh = gauss_hermite_expectation(f, mean, cov, order=20)
        np.testing.assert_allclose(gh[ok], _plain(f, mean, cov, *gauss_hermite_rule(n, 20))[ok],
                                   rtol=1e-12, atol=1e-14)


def test_psd_sqrt_one_by_one_matches_eigh():
    c = np.array([[[2.0]], [[-1.0]], [[0.0]], [[np.nan]], [[-1e-12]], [[np.inf]]])
    L = psd_sqrt(c)
    assert L.shape == c.shape
    np.testing.assert_allclose(L[0, 0, 0], math.sqrt(2.0))
    assert np.isnan(L[1, 0, 0]) and np.isnan(L[3, 0, 0]) and np.isnan(L[5, 0, 0])
    assert L[2, 0, 0] == 0.0 and L[4, 0, 0] == 0.0


def _node_by_node(system, y):
    """rhs with every node evaluated on its own by gaussian_quadrature (no memo, no grouping)."""
    from symdyn.contrastive._nodes import ETA, GaussExpectation, _EXPRS

    states = list(system.states)
    vals = dict(zip(states, y))
    rhs = [sympy.S(e) for e in system.rhs]
    rep = {}
    for nd in set().union(*[e.atoms(GaussExpectation) for e in rhs]):
        n, expr = _EXPRS[int(nd.args[0])]
        a = [float(sympy.S(x).xreplace(vals)) for x in nd.args[1:]]
        mean = np.array(a[:n])
        cov = np.empty((n, n))
        k = n
        for i in range(n):
            for j in range(i, n):
                cov[i, j] = cov[j, i] = a[k]
                k += 1
        rep[nd] = float(gaussian_quadrature(compile_integrand(expr, ETA[:n]), mean[None], cov[None])[0])
    return np.array([float(e.xreplace(rep).xreplace(vals)) for e in rhs])


@pytest.fixture(scope="module")
def additive_system():
    from symdyn.contrastive.model import ContrastiveModel
    from symdyn.contrastive.odes import moment_odes
    from symdyn.hidden import Rademacher

    return moment_odes(ContrastiveModel(laws=(Rademacher(2),), Delta=0.5, rho=-0.5))


def test_compiled_rhs_matches_node_by_node(additive_system):
    system = additive_system
    fun = system.compile().fun
    rng = np.random.default_rng(0)
    Y = np.stack([rng.uniform(0.05, 0.5, 5), rng.uniform(0.8, 1.2, 5)])
    batch = fun(0.0, Y)
    for k in range(Y.shape[1]):
        want = _node_by_node(system, Y[:, k])
        # single state, twice (second call served by the memo), and a fresh state in between
        a = fun(0.0, Y[:, k])
        fun(0.0, Y[:, (k + 1) % Y.shape[1]])
        b = fun(0.0, Y[:, k])
        np.testing.assert_allclose(a, want, rtol=1e-10, atol=1e-13)
        np.testing.assert_array_equal(a, b)
        system.compile().jac(0.0, Y[:, k] * (1 + 1e-7))   # other integrands, same-shaped Gaussians
        np.testing.assert_allclose(fun(0.0, Y[:, k] * (1 + 1e-7)), _node_by_node(system, Y[:, k] * (1 + 1e-7)),
                                   rtol=1e-10, atol=1e-13)
    # the batch uses one rule for all columns (step from the widest Gaussian): compare to
    # the node-by-node values of the same rule up to the rule's accuracy
    for k in range(Y.shape[1]):
        np.testing.assert_allclose(batch[:, k], _node_by_node(system, Y[:, k]), rtol=1e-9, atol=1e-11)


def test_compiled_rhs_nan_outside_psd(additive_system):
    fun = additive_system.compile().fun
    out = fun(0.0, np.array([2.0, 0.1]))   # (1 + Delta) Q - R^2 < 0
    assert np.all(np.isnan(out))
    assert np.all(np.isfinite(fun(0.0, np.array([0.3, 0.9]))))
