"""Expected O(1/N) SGD increments of ``R`` and ``Q`` (the second derivation).

The literal update ``W <- W + (tau/sqrt(N)) sum_v x^(v) phi^(v)^T - (tau/N) grad psi(W)``
gives, with ``t = k/N``,

* ``N E[dR] = tau sum_v E[(U^T x^(v)) phi^(v)^T] - tau E[u grad psi^T]`` where
  ``U^T x^(v) = c + sqrt(Delta) xi_u^(v)`` (additive; ``c`` for resample);
* ``N E[dQ] = tau sum_v (E[h^(v) phi^(v)^T] + E[phi^(v) h^(v)^T])
  + tau^2 sum_{v,v'} kappa'_{vv'} E[phi^(v) phi^(v')^T] - tau (E[w grad psi^T] + transpose)``,
  the ``tau^2`` term being ``E[(x^(v) . x^(v') / N) phi phi^T]`` with
  ``x^(v) . x^(v') / N -> kappa'`` independent of ``phi`` as ``N -> infinity``.

Given ``c``, ``(xi_u^(1), xi_u^(2), h^(1), h^(2))`` is jointly Gaussian with
``Cov(xi_u^(v)_k, xi_u^(v')_k') = kxi_vv' delta_kk'`` and
``Cov(xi_u^(v)_k, h^(v')_l) = sqrt(Delta) kxi_vv' R_kl``; the affine factors
are removed by Stein's lemma over this joint law
(:func:`symdyn.expectation.stein`).  Nothing here uses the PDE.
"""

from __future__ import annotations

import sympy

from ._nodes import Gaussian
from ._views import model_views
from .model import ContrastiveModel
from .pde import NotClosedError

__all__ = ["increment_drifts"]


def _joint(V):
    """Gaussian of ``(h^(1), h^(2), xi_u^(1), xi_u^(2))`` given ``c``."""
    d, d2 = V.model.d, V.model.d2
    xi = tuple(tuple(sympy.Symbol(f"xi^{{({v + 1})}}_{k + 1}", real=True) for k in range(d)) for v in range(2))
    n_h = 2 * d2
    n = n_h + 2 * d
    cov = sympy.zeros(n, n)
    cov[:n_h, :n_h] = V.gaussian.cov
    sq = sympy.sqrt(V.Delta)
    for v in range(2):
        for vp in range(2):
            r0 = n_h + v * d
            cov[r0:r0 + d, n_h + vp * d:n_h + (vp + 1) * d] = V.kxi[v, vp] * sympy.eye(d)
            block = sq * V.kxi[v, vp] * V.R   # Cov(xi^(v), h^(v')) : d x d2
            cov[r0:r0 + d, vp * d2:(vp + 1) * d2] = block
            cov[vp * d2:(vp + 1) * d2, r0:r0 + d] = block.T
    mean = list(V.gaussian.mean) + [sympy.S.Zero] * (2 * d)
    return Gaussian(V.variables + xi[0] + xi[1], mean, cov), xi


def increment_drifts(model: ContrastiveModel) -> list:
    """Conditional (given ``c``) drifts ``N E[dR]``, ``N E[dQ]`` in the state order.

    Raises
    ------
    NotClosedError
        Under L1, where ``E[u sign(w)^T]`` and ``E[w sign(w)^T]`` are not
        functions of ``(R, Q)``.

    Examples
    --------
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> from symdyn.contrastive.increments import increment_drifts
    >>> dR, dQ = increment_drifts(ContrastiveModel(tau=1, beta=0))
    >>> sorted(map(str, dR.free_symbols))
    ['Q_{1,1}', 'R_{1,1}', 'c_1']
    """
    if not isinstance(model, ContrastiveModel):
        raise TypeError(f"model must be a ContrastiveModel, got {type(model).__name__}")
    d, d2 = model.d, model.d2
    if model.regularizer == "l1":
        u = [sympy.Symbol(f"u_{k + 1}", real=True) for k in range(d)]
        w = [sympy.Symbol(f"w_{j + 1}", real=True) for j in range(d2)]
        extra = [u[k] * sympy.sign(w[j]) for k in range(d) for j in range(d2)]
        extra += [w[i] * sympy.sign(w[j]) for i in range(d2) for j in range(d2)]
        raise NotClosedError(extra, " (L1 increments)")
    V = model_views(model)
    joint, xi = _joint(V)
    tau, beta = model.tau, model.beta
    sq = sympy.sqrt(V.Delta)
    R, Q = V.R, V.Q
    out = []
    for k in range(d):
        for j in range(d2):
            acc = sympy.S.Zero
            for v in range(2):
                proj = V.c[k] + sq * xi[v][k]           # (U^T x^(v))_k
                acc += joint.stein(proj, V.phi[v][j])
            out.append(tau * acc - tau * beta * R[k, j])
    for i in range(d2):
        for j in range(i, d2):
            acc = sympy.S.Zero
            for v in range(2):
                acc += joint.stein(V.h[v][i], V.phi[v][j]) + joint.stein(V.h[v][j], V.phi[v][i])
            var = sympy.Add(*[V.kappa_prime[v, vp] * joint.expect(V.phi[v][i] * V.phi[vp][j])
                              for v in range(2) for vp in range(2)])
            out.append(tau * acc + tau**2 * var - 2 * tau * beta * Q[i, j])
    return out
