"""The two views of the contrastive model, conditional on the hidden features.

Shared by both derivations (:mod:`.pde`, :mod:`.increments`): the
pre-activations ``h^(v) = W^T x^(v) / sqrt(N)``, their Gaussian law given
``c``, the output error signals ``phi^(v) = -dF/dh^(v)`` and the noise
structure of the two views.

Noise structure
---------------
Per coordinate, the noise of view ``v`` is ``n^(v) = P z^(v) + sqrt(Delta) xi^(v)``
and ``Cov(n^(v)_i, n^(v')_l) = kz[v,v'] P_il + Delta kxi[v,v'] delta_il``:

* additive: ``z`` shared (``kz = [[1,1],[1,1]]``), ``kxi = [[1,rho],[rho,1]]``;
* resample: ``kz = [[1,rho],[rho,1]]``, no ``xi`` (``Delta`` plays no role).

Hence, given ``c``, ``h^(v) = R^T c + g^(v)`` with ``g`` centred Gaussian,
``Cov(g^(v), g^(v')) = kz[v,v'] (Q - R^T R) + Delta kxi[v,v'] Q``, and
``x^(v) . x^(v') / N -> kappa'[v,v'] = kz[v,v'] + Delta kxi[v,v']``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from .._validation import check_cap
from ._nodes import Gaussian
from .model import ContrastiveModel, order_parameters

__all__ = ["Views", "model_views", "c_symbols"]


def c_symbols(d: int) -> tuple:
    """Hidden features ``c_1, ..., c_d`` (real symbols)."""
    return tuple(sympy.Symbol(f"c_{k + 1}", real=True) for k in range(d))


@dataclass(frozen=True)
class Views:
    model: ContrastiveModel
    R: sympy.Matrix
    Q: sympy.Matrix
    c: tuple
    h: tuple            # (h^(1) tuple, h^(2) tuple), d2 symbols each
    kz: sympy.Matrix
    kxi: sympy.Matrix
    Delta: sympy.Expr   # effective Delta (0 for resample)
    kappa_prime: sympy.Matrix
    phi: tuple          # (phi^(1) Matrix d2x1, phi^(2) Matrix d2x1)
    gaussian: Gaussian  # law of (h^(1), h^(2)) given c

    @property
    def variables(self) -> tuple:
        return self.h[0] + self.h[1]

    def block_cov(self, v: int, vp: int) -> sympy.Matrix:
        """``Cov(h^(v), h^(v'))`` given ``c`` (d2 x d2)."""
        R, Q = self.R, self.Q
        return self.kz[v, vp] * (Q - R.T * R) + self.Delta * self.kxi[v, vp] * Q

    def dphi(self, v: int, vp: int) -> sympy.Matrix:
        """Integrands ``d phi^(v)_j / d h^(v')_l`` (d2 x d2)."""
        d2 = self.model.d2
        return sympy.Matrix(d2, d2, lambda j, l: sympy.diff(self.phi[v][j], self.h[vp][l]))


def loss(model: ContrastiveModel, h1, h2) -> sympy.Expr:
    """``F = -sum_i y1_i y2_i + lam sum_{i != j} g(y1_i y2_j)``."""
    s, g = model.sigma, model.g
    y1 = [s(a) for a in h1]
    y2 = [s(b) for b in h2]
    d2 = len(h1)
    F = -sympy.Add(*[y1[i] * y2[i] for i in range(d2)])
    off = sympy.Add(*[g(y1[i] * y2[j]) for i in range(d2) for j in range(d2) if i != j])
    return F + model.lam * off


def model_views(model: ContrastiveModel) -> Views:
    """Build :class:`Views` for ``model``.

    Examples
    --------
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> from symdyn.contrastive._views import model_views
    >>> V = model_views(ContrastiveModel(Delta=1, rho=0))
    >>> V.phi[0]
    Matrix([[(1 - tanh(h^{(1)}_1)**2)*tanh(h^{(2)}_1)]])
    >>> V.block_cov(0, 1)
    Matrix([[Q_{1,1} - R_{1,1}**2]])
    """
    if not isinstance(model, ContrastiveModel):
        raise TypeError(f"model must be a ContrastiveModel, got {type(model).__name__}")
    d, d2 = model.d, model.d2
    # the symbolic expectations grow combinatorially: refuse sizes that would not finish
    check_cap("d2", d2, "ode_neurons", what="symbolic derivation")
    check_cap("d * d2", d * d2, "ode_size", what="symbolic derivation")
    R, Q = order_parameters(d, d2)
    c = c_symbols(d)
    h = tuple(tuple(sympy.Symbol(f"h^{{({v + 1})}}_{i + 1}", real=True) for i in range(d2)) for v in range(2))
    rho = model.rho
    if model.augmentation == "additive":
        kz = sympy.Matrix([[1, 1], [1, 1]])
        kxi = sympy.Matrix([[1, rho], [rho, 1]])
        Delta = model.Delta
    else:
        kz = sympy.Matrix([[1, rho], [rho, 1]])
        kxi = sympy.zeros(2, 2)
        Delta = sympy.S.Zero
    F = loss(model, *h)
    phi = tuple(sympy.Matrix([-sympy.diff(F, hv) for hv in h[v]]) for v in range(2))
    mean_one = list(R.T * sympy.Matrix(c))
    views = Views(model=model, R=R, Q=Q, c=c, h=h, kz=kz, kxi=kxi, Delta=Delta,
                  kappa_prime=kz + Delta * kxi, phi=phi, gaussian=None)
    cov = sympy.zeros(2 * d2, 2 * d2)
    for v in range(2):
        for vp in range(2):
            cov[v * d2:(v + 1) * d2, vp * d2:(vp + 1) * d2] = views.block_cov(v, vp)
    gauss = Gaussian(h[0] + h[1], mean_one + mean_one, cov)
    object.__setattr__(views, "gaussian", gauss)
    return views
