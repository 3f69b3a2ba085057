"""Reduced SGD engine: the exact Markov chain of (R, Q) at finite N.

Why it is exact
---------------
Write ``W = sqrt(N) (U R + V S)`` with ``V`` (N x d2) orthonormal in span(U)^perp
and ``S^T S = Q - R^T R``.  Each view is ``x^(v) = U c + sum_a A_va M_a g_a``
(see :mod:`._sgd_common`) with independent standard Gaussian vectors ``g_a``.
A step uses the ``g_a`` only through (i) their coordinates ``[U V]^T g_a`` and
(ii) the Gram matrix of their residuals in the complement of span(U, V); (ii) is
independent of (i) and Wishart with ``N - d - d2`` degrees of freedom.  Only
the two combinations ``x^(v)`` matter, so with ``C_A C_A^T = A A^T`` and
``C_U C_U^T = A_U A_U^T`` (``A_U`` = the columns of noise vectors, which also
have a component along U):

- ``U^T x^(v) = c + (C_U zu)_v`` and ``V^T x^(v) = (C_A zv)_v`` with standard
  normal ``zu (d x 2)``, ``zv (d2 x 2)``;
- the residual Gram of ``(x^(1), x^(2))`` is ``C_A Wish_2(N - d - d2, I) C_A^T``,
  drawn by the Bartlett decomposition (two chi-square and one normal draw);
- ``h^(v) = W^T x^(v) / sqrt(N) = R^T U^T x^(v) + S^T V^T x^(v)``;
- ``x^(v) . x^(v')`` = U-part + V-part + residual Gram.

The update ``W' = a W + (tau / sqrt N) sum_v x^(v) phi^(v)T`` (``a = 1 - tau beta / N``)
gives exactly

- ``R' = a R + (tau / N) sum_v (U^T x^(v)) phi^(v)T``,
- ``Q' = a^2 Q + a (tau / N) sum_v (h^(v) phi^(v)T + phi^(v) h^(v)T)
  + (tau / N)^2 sum_{v v'} (x^(v) . x^(v')) phi^(v) phi^(v')T``.

The law of the next step depends on ``W'`` only through (R', Q'): the samples'
law is invariant under rotations of span(U)^perp, and any orthonormal frame
``V'`` with ``S'^T S' = Q' - R'^T R'`` is such a rotation of the true one.
So (R, Q) is a Markov chain and this engine samples it exactly, with work per
step independent of N.  The random inputs of a chunk of steps are drawn at
once; the sequential part runs in C (:mod:`._ckernel`) or in NumPy.
"""

from __future__ import annotations

import numpy as np

from .._integrate import DivergenceError
from ._sgd_common import NumericModel, error_signals, sample_c


def _bartlett2(rng, dof: float, size) -> np.ndarray:
    """Lower-triangular 2 x 2 ``L`` with ``L L^T ~ Wishart(dof, I_2)``; shape ``size + (2, 2)``.

    Diagonal: ``sqrt(chi2(dof))``, ``sqrt(chi2(dof - 1))`` (as ``2 Gamma(k/2)``);
    below: a standard normal.
    """
    L = np.zeros(tuple(size) + (2, 2))
    L[..., 0, 0] = np.sqrt(2.0 * rng.standard_gamma(dof / 2.0, size=size))
    L[..., 1, 1] = np.sqrt(2.0 * rng.standard_gamma((dof - 1) / 2.0, size=size))
    L[..., 1, 0] = rng.standard_normal(size)
    return L


def psd_factor(M: np.ndarray) -> np.ndarray:
    """``S`` with ``S^T S = M`` for a batch of PSD matrices (negative eigenvalues clipped).

    Upper-triangular ``S = L^T`` from the Cholesky factor when it exists.
    """
    if M.shape[-1] == 1:
        return np.sqrt(np.maximum(M, 0.0))
    try:
        return np.swapaxes(np.linalg.cholesky(M), -1, -2)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(M)
        return np.swapaxes(v * np.sqrt(np.maximum(w, 0.0))[..., None, :], -1, -2)


def mixing_factors(nm: NumericModel) -> tuple:
    """``(C_A, C_U)``: 2 x 2 with ``C_A C_A^T = A A^T`` and ``C_U C_U^T = A_U A_U^T``."""
    A = nm.A
    AU = A * nm.in_U[None, :]
    CA = np.swapaxes(psd_factor((A @ A.T)[None]), -1, -2)[0]
    CU = np.swapaxes(psd_factor((AU @ AU.T)[None]), -1, -2)[0]
    return np.ascontiguousarray(CA), np.ascontiguousarray(CU)


def _owned_state(value, shape) -> np.ndarray:
    """A fresh float64 array of ``shape`` (broadcast from ``value``) that native code may write."""
    out = np.empty(shape, dtype=np.float64, order="C")
    out[...] = np.asarray(value, dtype=np.float64)
    return out


def run_reduced(nm: NumericModel, N: int, R0, Q0, record_steps, rng, *, n_runs: int,
                progress=None, chunk: int | None = None, kernel=None, _wrong: str | None = None):
    """Simulate; return ``R (n_runs, T, d, d2)``, ``Q (n_runs, T, d2, d2)``.

    ``kernel`` is the compiled inner loop from :mod:`._ckernel` (None: NumPy
    loop); both consume the same random numbers.  ``_wrong`` (testing only)
    makes the step deliberately wrong, to show that the two-sample tests have
    power: ``'no_wishart'`` drops the residual Gram matrix (the orthogonal
    complement's contribution to ``x^(v) . x^(v')``), ``'wishart_mean'``
    replaces it by its mean (a subtle error, of relative size N^-1/2).
    """
    d, d2 = nm.d, nm.d2
    dof = N - d - d2
    tau_N = nm.tau / N
    a = 1.0 - nm.tau * nm.beta / N
    CA, CU = mixing_factors(nm)
    n = n_runs
    # Owned, writeable, C-contiguous copies: the C kernel updates R and Q in place, and
    # np.ascontiguousarray(broadcast_to(...)) would hand it the caller's own memory when n = 1.
    R = _owned_state(R0, (n, d, d2))
    Q = _owned_state(Q0, (n, d2, d2))
    T = len(record_steps)
    R_out = np.full((n, T, d, d2), np.nan)
    Q_out = np.full((n, T, d2, d2), np.nan)
    k_max = int(record_steps[-1]) if T else 0
    if chunk is None:
        chunk = int(max(1, min(16384, 1_000_000 // max(1, n * (3 * (d + d2) + 8)))))
    rec = 0
    step = 0
    while rec < T and record_steps[rec] == 0:
        R_out[:, rec], Q_out[:, rec] = R, Q
        rec += 1
    with np.errstate(over="ignore", invalid="ignore"):
        while step < k_max:
            K = int(min(chunk, record_steps[rec] - step))
            c = np.ascontiguousarray(sample_c(nm, rng, (K, n)))     # (K, n, d)
            zu = rng.standard_normal((K, n, d, 2))
            zv = rng.standard_normal((K, n, d2, 2))
            if _wrong == "no_wishart":
                L = np.zeros((K, n, 2, 2))
            elif _wrong == "wishart_mean":
                L = np.zeros((K, n, 2, 2))
                L[..., 0, 0] = L[..., 1, 1] = np.sqrt(dof)
            else:
                L = _bartlett2(rng, dof, (K, n))
            if kernel is not None:
                status = kernel(K, n, d, d2, R, Q, c, zu, zv, L, CA, CU, a, tau_N, nm.lam)
                if status != 0:
                    raise RuntimeError(f"compiled reduced kernel failed with status {status}")
            else:
                R, Q = numpy_chunk(nm, R, Q, c, zu, zv, L, CA, CU, a, tau_N)
            step += K
            if not (np.all(np.isfinite(R)) and np.all(np.isfinite(Q))):
                raise DivergenceError(
                    f"reduced SGD produced NaN/overflow between t={(step - K) / N:.6g} and t={step / N:.6g} "
                    f"(steps {step - K}..{step}, N={N})", t=step / N)
            while rec < T and record_steps[rec] == step:
                R_out[:, rec], Q_out[:, rec] = R, Q
                rec += 1
            if progress is not None:
                progress.update(K)
    return R_out, Q_out


def numpy_chunk(nm, R, Q, c, zu, zv, L, CA, CU, a, tau_N):
    """A chunk of steps in NumPy from the drawn inputs (same arguments as the C kernel)."""
    Ux = c[:, :, None, :] + np.einsum("vb,tnqb->tnvq", CU, zu)   # (K, n, 2, d)
    Vx = np.einsum("vb,tnib->tnvi", CA, zv)                      # (K, n, 2, d2)
    AL = np.einsum("vb,tnbe->tnve", CA, L)
    XX = (Ux @ np.swapaxes(Ux, -1, -2) + Vx @ np.swapaxes(Vx, -1, -2)
          + AL @ np.swapaxes(AL, -1, -2))                        # (K, n, 2, 2)
    return _numpy_loop(nm, R, Q, Ux, Vx, XX, a, tau_N)


def _numpy_loop(nm, R, Q, Ux, Vx, XX, a, tau_N):
    """The sequential part of a chunk, in NumPy (reference for the C kernel)."""
    UxT = np.swapaxes(Ux, -1, -2)                               # (K, n, d, 2)
    for k in range(Ux.shape[0]):
        S = psd_factor(Q - np.swapaxes(R, -1, -2) @ R)
        h = Ux[k] @ R + Vx[k] @ S                              # (n, 2, d2)
        phi = error_signals(nm, h)
        H = np.swapaxes(h, -1, -2) @ phi
        Q = (a * a) * Q + (a * tau_N) * (H + np.swapaxes(H, -1, -2)) \
            + (tau_N * tau_N) * (np.swapaxes(phi, -1, -2) @ (XX[k] @ phi))
        R = a * R + tau_N * (UxT[k] @ phi)
    return np.ascontiguousarray(R), np.ascontiguousarray(Q)
