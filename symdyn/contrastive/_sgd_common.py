"""Pieces shared by the two SGD engines: numeric model, view mixing, error signals.

Every view is ``x^(v) = U c + sum_a A[v, a] M_a g_a`` with independent standard
Gaussian vectors ``g_a`` in R^N, where ``M_a`` is ``P = I - U U^T`` for
background vectors and ``I`` for additive augmentation noise:

- additive: ``g = (z, xi_a, xi_b)``, ``xi^(1) = xi_a``,
  ``xi^(2) = rho xi_a + sqrt(1 - rho^2) xi_b``, so
  ``A = [[1, sqrt(D), 0], [1, sqrt(D) rho, sqrt(D) sqrt(1 - rho^2)]]``,
  ``in_U = (False, True, True)``;
- resample: ``g = (z_a, z_b)``, ``z^(1) = z_a``, ``z^(2) = rho z_a + sqrt(1 - rho^2) z_b``,
  ``A = [[1, 0], [rho, sqrt(1 - rho^2)]]``, ``in_U = (False, False)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class NumericModel:
    """Float view of a :class:`ContrastiveModel` for the simulators."""

    d: int
    d2: int
    tau: float
    beta: float
    lam: float
    A: np.ndarray          # (2, m) view mixing coefficients
    in_U: np.ndarray       # (m,) bool: vector has a component along span(U)
    s: Callable
    ds: Callable
    dg: Callable
    samplers: tuple        # per-feature callables (rng, size) -> array
    l1: bool

    @property
    def m(self) -> int:
        return self.A.shape[1]


def numeric_model(model) -> NumericModel:
    """Build the :class:`NumericModel` (ValueError if a parameter is symbolic)."""
    if not model.is_numeric:
        sym = [n for n in ("Delta", "rho", "tau", "beta", "lam") if getattr(model, n).free_symbols]
        raise ValueError(f"SGD needs numeric parameters; symbolic: {', '.join(sym)}")
    D = model.numeric("Delta")
    rho = model.numeric("rho")
    r2 = float(np.sqrt(max(0.0, 1.0 - rho * rho)))
    if model.augmentation == "additive":
        sD = float(np.sqrt(D))
        A = np.array([[1.0, sD, 0.0], [1.0, sD * rho, sD * r2]])
        in_U = np.array([False, True, True])
        if D == 0:  # the noise vectors do not enter: drop them
            A, in_U = A[:, :1], in_U[:1]
    else:
        A = np.array([[1.0, 0.0], [rho, r2]])
        in_U = np.array([False, False])
    s, ds, _ = model.numeric_activation()
    _, dg = model.numeric_g()
    samplers = tuple(law.sample for law in model.laws)
    return NumericModel(
        d=model.d, d2=model.d2, tau=model.numeric("tau"), beta=model.numeric("beta"),
        lam=model.numeric("lam"), A=A, in_U=in_U, s=s, ds=ds, dg=dg,
        samplers=samplers, l1=model.regularizer == "l1",
    )


def sample_c(nm: NumericModel, rng: np.random.Generator, shape) -> np.ndarray:
    """Hidden variables of shape ``shape + (d,)``."""
    out = np.empty(tuple(shape) + (nm.d,))
    for k, sampler in enumerate(nm.samplers):
        out[..., k] = sampler(rng, tuple(shape))
    return out


def error_signals(nm: NumericModel, h: np.ndarray) -> np.ndarray:
    """``phi^(v) = -dF/dh^(v)`` for pre-activations ``h`` of shape ``(..., 2, d2)``.

    ``F = -sum_i y1_i y2_i + lam sum_{i != j} g(y1_i y2_j)``, so
    ``phi1_i = s'(h1_i) [y2_i - lam sum_{j != i} g'(y1_i y2_j) y2_j]`` and
    ``phi2_j = s'(h2_j) [y1_j - lam sum_{i != j} g'(y1_i y2_j) y1_i]``.
    """
    y = nm.s(h)
    dy = nm.ds(h)
    y1, y2 = y[..., 0, :], y[..., 1, :]
    if nm.d2 == 1 or nm.lam == 0.0:
        return dy * np.stack([y2, y1], axis=-2)
    C = y1[..., :, None] * y2[..., None, :]
    Gp = nm.dg(C).copy()
    idx = np.arange(nm.d2)
    Gp[..., idx, idx] = 0.0
    f1 = y2 - nm.lam * np.einsum("...ij,...j->...i", Gp, y2)
    f2 = y1 - nm.lam * np.einsum("...ij,...i->...j", Gp, y1)
    return dy * np.stack([f1, f2], axis=-2)
