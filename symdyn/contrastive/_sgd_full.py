"""Full SGD engine: the literal online update in R^N, vectorised across runs.

Memory is ``O(N d2 n_runs)`` (plus ``O(N d)`` for a random basis U); nothing of
size N^2 is formed.  Per step it draws ``m`` Gaussian vectors of length N per run
(``m = 3`` for additive augmentation with Delta > 0, ``2`` for resample, ``1``
for Delta = 0), projects the background ones with ``P = I - U U^T`` and applies

``W <- (1 - tau beta / N) W + (tau / sqrt N) sum_v x^(v) phi^(v)T``

(L1: ``W <- W - (tau beta / N) sign(W) + ...``).
"""

from __future__ import annotations

import numpy as np

from .._integrate import DivergenceError
from ._sgd_common import NumericModel, error_signals, sample_c
from ._sgd_reduced import psd_factor


def make_basis(N: int, d: int, d2: int, basis: str, rng) -> tuple:
    """``(U, V)``: U (N x d) orthonormal, V (N x d2) orthonormal in span(U)^perp.

    ``basis='coordinate'`` returns ``(None, None)`` (U = first d coordinate
    vectors, V = the next d2); ``'random'`` uses the QR factor of an
    N x (d + d2) Gaussian matrix.
    """
    if basis == "coordinate":
        return None, None
    Qm, Rm = np.linalg.qr(rng.standard_normal((N, d + d2)))
    Qm = Qm * np.sign(np.diag(Rm))[None, :]
    return np.ascontiguousarray(Qm[:, :d]), np.ascontiguousarray(Qm[:, d:])


def run_full(nm: NumericModel, N: int, R0, Q0, record_steps, rng, *, n_runs: int, basis="coordinate",
             progress=None):
    """Simulate; return ``R (n_runs, T, d, d2)``, ``Q (n_runs, T, d2, d2)``."""
    d, d2, m = nm.d, nm.d2, nm.m
    n = n_runs
    sN = np.sqrt(N)
    tau_sN = nm.tau / sN
    a = 1.0 - nm.tau * nm.beta / N
    A = nm.A
    U, V = make_basis(N, d, d2, basis, rng)
    R0 = np.asarray(R0, float)
    S0 = psd_factor((np.asarray(Q0, float) - R0.T @ R0)[None])[0]
    # Storage: Wt (n, d2, N) with W^T = scale * Wt; the L2 shrinkage multiplies
    # `scale` instead of sweeping over W (one pass per step saved).
    Wt = np.zeros((n, d2, N))
    if U is None:
        Wt[:, :, :d] = sN * R0.T
        Wt[:, :, d:d + d2] = sN * S0.T
    else:
        Wt[:] = sN * (U @ R0 + V @ S0).T
    scale = 1.0
    bg = np.flatnonzero(~nm.in_U)       # background vectors: projected by P
    T = len(record_steps)
    R_out = np.full((n, T, d, d2), np.nan)
    Q_out = np.full((n, T, d2, d2), np.nan)
    k_max = int(record_steps[-1]) if T else 0
    G = np.empty((n, m, N))
    tmp = np.empty((n, d2, N))
    rec = 0

    def record():
        if U is None:
            R_out[:, rec] = np.swapaxes(Wt[:, :, :d], -1, -2) * (scale / sN)
        else:
            R_out[:, rec] = np.swapaxes(Wt @ U, -1, -2) * (scale / sN)
        Q_out[:, rec] = (Wt @ np.swapaxes(Wt, -1, -2)) * (scale * scale / N)

    while rec < T and record_steps[rec] == 0:
        record()
        rec += 1
    check_every = max(1, min(1000, k_max // 20 or 1))
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, k_max + 1):
            rng.standard_normal(out=G)
            c = sample_c(nm, rng, (n,))                                  # (n, d)
            if U is None:
                G[:, bg, :d] = 0.0                                       # P g for background
                RU = np.swapaxes(Wt[:, :, :d], -1, -2) * (scale / sN)    # (n, d, d2)
            else:
                if len(bg):
                    G[:, bg, :] -= (G[:, bg, :] @ U) @ U.T
                RU = np.swapaxes(Wt @ U, -1, -2) * (scale / sN)
            WG = (G @ np.swapaxes(Wt, -1, -2)) * (scale / sN)            # (n, m, d2) = W^T g / sqrt N
            # h^(v) = W^T x^(v) / sqrt N: the U c part, plus sum_a A_va W^T (M_a g_a) / sqrt N
            # (G holds P g for background vectors and g for noise, U-part included).
            h = c[:, None, :] @ RU + np.einsum("wa,naj->nwj", A, WG)   # (n, 2, d2)
            phi = error_signals(nm, h)
            Bt = np.einsum("wa,nwj->nja", A, phi)                         # (n, d2, m)
            cphi = phi.sum(axis=1)[:, :, None] * c[:, None, :]            # (n, d2, d)
            if nm.l1:
                Wt -= (nm.tau * nm.beta / N) * np.sign(Wt)
            else:
                scale *= a
            coef = tau_sN / scale
            np.matmul(Bt * coef, G, out=tmp)
            Wt += tmp
            if U is None:
                Wt[:, :, :d] += coef * cphi
            else:
                Wt += (coef * cphi) @ U.T
            if scale < 1e-150:
                Wt *= scale
                scale = 1.0
            if step % check_every == 0 or step == k_max:
                if not np.all(np.isfinite(Wt[:, :, :8])) or not np.isfinite(h).all():
                    raise DivergenceError(f"full SGD produced NaN/overflow by t={step / N:.6g} (step {step}, N={N})",
                                          t=step / N)
            while rec < T and record_steps[rec] == step:
                record()
                if not (np.all(np.isfinite(R_out[:, rec])) and np.all(np.isfinite(Q_out[:, rec]))):
                    raise DivergenceError(f"full SGD produced NaN/overflow by t={step / N:.6g} (N={N})", t=step / N)
                rec += 1
            if progress is not None and step % 1000 == 0:
                progress.update(1000)
    return R_out, Q_out
