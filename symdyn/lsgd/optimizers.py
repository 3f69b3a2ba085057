"""Numeric LSGD and scheduled LSGD (FFT smoothing) for any gradient function.

``x_{k+1} = x_k - eta A_{sigma_k}^{-1} grad f(x_k)`` with
``A_sigma^{-1} v = ifft(fft(v) / (1 + sigma (4 sin^2(pi k/n))^p))``; sigma = 0 is
GD. A schedule is a sequence (applied periodically) or a callable ``k -> sigma``.
Batched: ``x0`` may be ``(n_samples, n)``, with ``grad`` vectorised over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .._validation import check_cap, check_finite_array, check_int, check_real
from .matrices import smoothing_eigenvalues

__all__ = ["LSGDResult", "lsgd", "sigma_schedule"]

STATUS = {0: "converged", 1: "max_iter", 2: "diverged"}


@dataclass
class LSGDResult:
    """Result of :func:`lsgd` (per row when batched).

    Attributes
    ----------
    x : final iterate(s)
    n_iter : iterations performed
    status : int array (0 converged: ``|grad| < gtol``; 1 max_iter; 2 diverged: non-finite or ``|x| > max_norm``)
    escape_iter : first iteration with ``|x - center| > escape_radius`` (-1 if never), when requested
    """

    x: np.ndarray
    n_iter: int
    status: np.ndarray
    escape_iter: np.ndarray | None = None

    @property
    def message(self) -> list[str]:
        return [STATUS[int(s)] for s in np.atleast_1d(self.status)]


def sigma_schedule(schedule) -> Callable[[int], float]:
    """Normalise a schedule: a number, a non-empty sequence (periodic) or a callable ``k -> sigma``."""
    if callable(schedule):
        return lambda k: float(check_real("sigma_k", schedule(k), low=0.0))
    if np.isscalar(schedule):
        s = float(check_real("sigma", schedule, low=0.0))
        return lambda k: s
    seq = [float(check_real(f"schedule[{i}]", v, low=0.0)) for i, v in enumerate(schedule)]
    if not seq:
        raise ValueError("schedule must not be empty")
    return lambda k: seq[k % len(seq)]


def _reflect(G: np.ndarray) -> np.ndarray:
    """Rows ``g`` -> ``(g_{-j mod n})_j``."""
    return np.roll(G[:, ::-1], 1, axis=1)


def _split_smooth(G: np.ndarray, lam: np.ndarray) -> np.ndarray:
    RG = _reflect(G)
    out = []
    for part, sign in (((G + RG) / 2, 1.0), ((G - RG) / 2, -1.0)):
        z = np.fft.ifft(np.fft.fft(part, axis=1) / lam, axis=1).real
        out.append((z + sign * _reflect(z)) / 2)
    return out[0] + out[1]


def lsgd(grad: Callable, x0, eta: float, sigma=0.0, order: int = 1, n_iter: int = 1000,
         gtol: float = 0.0, max_norm: float = 1e8, escape_radius: float | None = None,
         center=None, split_reflection: bool = False) -> LSGDResult:
    """Run (scheduled) LSGD from ``x0``.

    Parameters
    ----------
    grad : callable
        ``grad(X)`` for ``X`` of shape ``(n,)`` or ``(n_samples, n)`` (row-wise gradients).
    x0 : array ``(n,)`` or ``(n_samples, n)``
    eta : step size > 0
    sigma : number, periodic sequence, or callable ``k -> sigma_k`` (all >= 0)
    order : smoothing order p
    n_iter : maximum number of iterations
    gtol : stop a row once ``|grad| < gtol`` (0: never stop early)
    max_norm : a row with ``|x| > max_norm`` or non-finite values is marked diverged and frozen
    escape_radius, center : record the first iteration with ``|x - center| > escape_radius``
    split_reflection : smooth the reflection-symmetric and antisymmetric parts of the
        gradient separately and re-(anti)symmetrise them, so that the invariant subspaces
        of ``x_j -> x_{-j}`` are preserved exactly in floating point (plain FFT round-off
        leaks ~1e-16 into the symmetric part, which the saddle then amplifies)

    Examples
    --------
    >>> import numpy as np
    >>> B = np.diag([-1.0, 1.0, 1.0, 1.0])
    >>> r = lsgd(lambda X: X @ B, np.array([0.0, 1.0, 0.0, -1.0]), eta=0.5, sigma=1.0, n_iter=200)
    >>> bool(np.linalg.norm(r.x) < 1e-10)      # an antisymmetric start stays in E_rob
    True
    """
    eta = float(check_real("eta", eta, low=0.0, low_open=True))
    order = check_int("order", order, low=1)
    n_iter = check_int("n_iter", n_iter, low=0)
    X = check_finite_array("x0", x0).copy()
    check_cap("n_iter * x0.size", n_iter * max(X.size, 1), "escape_work", what="gradient-step coordinates")
    single = X.ndim == 1
    X = np.atleast_2d(X)
    if X.ndim != 2:
        raise ValueError(f"x0 must be 1-D or 2-D, got shape {X.shape}")
    m, n = X.shape
    if n < 2:
        raise ValueError(f"x0 must have n >= 2 coordinates, got {n}")
    sched = sigma_schedule(sigma)
    c = None if center is None else check_finite_array("center", center, shape=(n,))
    status = np.ones(m, dtype=int)
    active = np.ones(m, dtype=bool)
    esc = np.full(m, -1, dtype=int) if escape_radius is not None else None
    cache: dict[float, np.ndarray] = {}
    k = 0
    for k in range(1, n_iter + 1):
        s = sched(k - 1)
        if s not in cache:
            cache[s] = smoothing_eigenvalues(n, s, order)
        idx = np.nonzero(active)[0]
        if idx.size == 0:
            k -= 1
            break
        G = np.asarray(grad(X[idx]), dtype=float).reshape(idx.size, n)
        if gtol > 0:
            done = np.linalg.norm(G, axis=1) < gtol
            status[idx[done]] = 0
            active[idx[done]] = False
            keep = ~done
            idx, G = idx[keep], G[keep]
        if s == 0.0:
            step = G
        elif split_reflection:
            step = _split_smooth(G, cache[s])
        else:
            step = np.fft.ifft(np.fft.fft(G, axis=1) / cache[s], axis=1).real
        X[idx] = X[idx] - eta * step
        bad = ~np.all(np.isfinite(X[idx]), axis=1) | (np.linalg.norm(X[idx], axis=1) > max_norm)
        status[idx[bad]] = 2
        active[idx[bad]] = False
        if esc is not None:
            d = np.linalg.norm(X[idx] - (0.0 if c is None else c), axis=1)
            newly = (d > escape_radius) & (esc[idx] < 0)
            esc[idx[newly]] = k
    if single:
        return LSGDResult(X[0], k, status[:1], None if esc is None else esc[:1])
    return LSGDResult(X, k, status, esc)
