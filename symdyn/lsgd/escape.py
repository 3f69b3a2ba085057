"""Monte Carlo escape experiment: does (scheduled) LSGD leave the saddle where GD does not?

Starts (``kind``):

* ``gd_region`` — exactly in GD's attraction region of the saddle of the
  canonical quadratic: ``x_0 = 0`` (for GD the exact zero is preserved);
* ``perturbed`` — the same plus ``1e-12`` Gaussian noise;
* ``robust`` — in ``E_rob``: exactly antisymmetric vectors ``v_j = -v_{-j}``.

Problems: the canonical quadratic ``f = x^T diag(-1, 1, ..., 1) x / 2`` and a
non-convex function with a strict saddle at 0 (same Hessian) and two minima
``+-e_0`` (:func:`double_well_problem`). For each method (GD, fixed-sigma LSGD,
periodic schedules) and start kind we report the fraction converging to the
saddle, the fraction escaping, the escape-time quantiles and, for the
non-convex problem, where the escaped runs end (attractors estimated by
clustering the end points).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .._progress import Progress
from .._validation import check_cap, check_int, check_real
from .optimizers import lsgd

__all__ = ["Problem", "quadratic_problem", "double_well_problem", "sample_starts",
           "escape_experiment", "cluster_end_points", "estimate_attractors", "DEFAULT_METHODS"]

DEFAULT_METHODS = {
    "GD": 0.0,
    "LSGD sigma=1": 1.0,
    "schedule (0, 1/2, 1, 2)": (0.0, 0.5, 1.0, 2.0),
}

KINDS = ("gd_region", "perturbed", "robust")
#: ``progress=None`` reports experiments of at least this many gradient-step coordinates (about a second)
_LONG_RUN = 200_000_000


@dataclass
class Problem:
    """A smooth function with a strict saddle at ``saddle`` (gradient vectorised over rows)."""

    name: str
    n: int
    grad: Callable
    f: Callable
    saddle: np.ndarray
    minima: list = field(default_factory=list)
    escape_radius: float = 1.0  # default "left the saddle" distance


def quadratic_problem(n: int) -> Problem:
    """``f = x^T B x / 2`` with ``B = diag(-1, 1, ..., 1)`` (unbounded below: escapes go to infinity)."""
    n = check_int("n", n, low=2)
    check_cap("n", n, "lsgd_n")
    b = np.ones(n)
    b[0] = -1.0
    return Problem("quadratic", n, lambda X: X * b, lambda X: 0.5 * np.sum(b * X**2, axis=-1), np.zeros(n))


def double_well_problem(n: int, kappa: float = 0.5) -> Problem:
    """``f = (x_0^2-1)^2/4 + sum_{j>0} (x_j^2/2 + x_j^4/4) + kappa/2 x_0^2 sum_{j>0} x_j^2``.

    Hessian at 0 is ``diag(-1, 1, ..., 1)`` (strict saddle, canonical class);
    the only other critical points are the minima ``+-e_0``; the
    antisymmetric subspace is invariant under the gradient flow and LSGD.
    """
    n = check_int("n", n, low=2)
    check_cap("n", n, "lsgd_n")
    kappa = float(check_real("kappa", kappa, low=0.0))

    def grad(X):
        X = np.atleast_2d(X)
        x0 = X[:, :1]
        rest = X[:, 1:]
        S = np.sum(rest**2, axis=1, keepdims=True)
        g0 = x0**3 - x0 + kappa * x0 * S
        gr = rest + rest**3 + kappa * x0**2 * rest
        return np.hstack([g0, gr])

    def f(X):
        X = np.atleast_2d(X)
        x0, rest = X[:, 0], X[:, 1:]
        return (x0**2 - 1) ** 2 / 4 + np.sum(rest**2 / 2 + rest**4 / 4, axis=1) + kappa / 2 * x0**2 * np.sum(rest**2, axis=1)

    e0 = np.zeros(n)
    e0[0] = 1.0
    return Problem("double_well", n, grad, f, np.zeros(n), [e0, -e0], escape_radius=0.5)


def sample_starts(kind: str, n: int, n_samples: int, rng: np.random.Generator, scale: float = 0.1) -> np.ndarray:
    """Random starts of the given kind (see module docstring), rows of norm about ``scale``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    n = check_int("n", n, low=2)
    n_samples = check_int("n_samples", n_samples, low=1)
    check_cap("n * n_samples", n * n_samples, "escape_values", what="stored start points")
    X = rng.normal(size=(n_samples, n)) * scale / np.sqrt(n)
    if kind in ("gd_region", "perturbed"):
        X[:, 0] = 0.0
        if kind == "perturbed":
            X = X + 1e-12 * rng.normal(size=X.shape)
        return X
    # robust: exact antisymmetrisation v_j = -v_{-j} (exact in floating point)
    Y = np.zeros_like(X)
    for j in range(1, (n - 1) // 2 + 1):
        Y[:, j] = X[:, j]
        Y[:, n - j] = -X[:, j]
    return Y


def cluster_end_points(X: np.ndarray, tol: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """Group end points closer than ``tol`` (greedy leader clustering); returns ``(centers, labels)``.

    End points of a converged descent method sit on isolated critical points,
    so a distance threshold is enough; use :func:`estimate_attractors` for the
    Quickshift++ route.
    """
    centers: list[np.ndarray] = []
    labels = np.empty(len(X), dtype=int)
    for i, x in enumerate(X):
        for c, ctr in enumerate(centers):
            if np.linalg.norm(x - ctr) < tol:
                labels[i] = c
                break
        else:
            centers.append(x.copy())
            labels[i] = len(centers) - 1
    return np.array(centers), labels


def estimate_attractors(problem: Problem, sigma=0.0, eta: float = 0.5, n_samples: int = 200,
                        n_iter: int = 2000, box: float = 1.0, seed: int = 0) -> dict:
    """Attractors and basin probabilities by sampling uniform starts in ``[-box, box]^n``.

    Uses ``symdyn.basins.estimate_basins`` (Quickshift++ on end points) when
    that module exists, otherwise the distance-threshold clustering of
    :func:`cluster_end_points`; the result says which.
    """
    rng = np.random.default_rng(seed)
    X0 = rng.uniform(-box, box, size=(n_samples, problem.n))
    r = lsgd(problem.grad, X0, eta, sigma, n_iter=n_iter, gtol=1e-10)
    ok = r.status != 2
    centers, labels = cluster_end_points(r.x[ok])
    counts = np.bincount(labels, minlength=len(centers)) if len(centers) else np.array([])
    order = np.argsort(-counts)
    return {
        "method": "distance-threshold clustering of end points (symdyn.basins not used)",
        "attractors": [np.round(centers[i], 6).tolist() for i in order],
        "probabilities": [float(counts[i] / ok.sum()) for i in order],
        "diverged": int((~ok).sum()),
        "n_samples": n_samples,
    }


def escape_experiment(problem: Problem, methods: dict | None = None, kinds=KINDS, n_samples: int = 200,
                      n_iter: int = 400, eta: float = 0.5, escape_radius: float | None = None,
                      saddle_tol: float = 1e-6, seed: int = 0, split_reflection: bool = False,
                      progress: bool | None = None) -> dict:
    """Fractions converging to the saddle / escaping and escape-time quantiles, per method and start kind.

    Returns ``{method: {kind: {...}}}`` with keys ``to_saddle``, ``escaped``,
    ``escape_time_median``, ``escape_time_p10``, ``escape_time_p90`` and, if
    the problem has known minima, ``end_points`` (fraction near each minimum).
    ``split_reflection`` is passed to :func:`lsgd` (exact preservation of E_rob in
    floating point, to separate round-off escapes from genuine ones).
    ``progress``: report each finished (method, start kind) run on stderr (a
    tqdm bar on a terminal, plain lines otherwise); ``None`` (default) reports
    only runs of at least ``_LONG_RUN`` gradient-step coordinates in total.

    >>> res = escape_experiment(quadratic_problem(8), n_samples=20, n_iter=200)
    >>> res["GD"]["gd_region"]["to_saddle"], res["GD"]["perturbed"]["escaped"]
    (1.0, 1.0)
    """
    methods = DEFAULT_METHODS if methods is None else methods
    escape_radius = problem.escape_radius if escape_radius is None else escape_radius
    n_samples = check_int("n_samples", n_samples, low=1)
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, got {type(progress).__name__}")
    kinds = tuple(kinds)
    runs = len(methods) * len(kinds)
    show = progress if progress is not None else runs * problem.n * n_samples * int(n_iter) >= _LONG_RUN
    out: dict = {}
    bar = Progress(runs, f"escape n={problem.n}", enabled=show, unit="run", every=1.0 / max(1, runs))
    for mi, (name, sigma) in enumerate(methods.items()):
        out[name] = {}
        for ki, kind in enumerate(kinds):
            if bar.bar is not None:
                bar.bar.set_description(f"escape: {name}, {kind}")
            rng = np.random.default_rng([seed, ki])  # same starts for every method
            X0 = sample_starts(kind, problem.n, n_samples, rng)
            r = lsgd(problem.grad, X0, eta, sigma, n_iter=n_iter, escape_radius=escape_radius,
                     center=problem.saddle, max_norm=1e6, split_reflection=split_reflection)
            dist = np.linalg.norm(r.x - problem.saddle, axis=1)
            to_saddle = (dist < saddle_tol) & (r.escape_iter < 0)
            escaped = r.escape_iter >= 0
            times = r.escape_iter[escaped]
            row = {
                "to_saddle": float(np.mean(to_saddle)),
                "escaped": float(np.mean(escaped)),
                "escape_time_median": float(np.median(times)) if times.size else None,
                "escape_time_p10": float(np.percentile(times, 10)) if times.size else None,
                "escape_time_p90": float(np.percentile(times, 90)) if times.size else None,
            }
            if problem.minima:
                near = [float(np.mean(np.linalg.norm(r.x - m, axis=1) < 1e-3)) for m in problem.minima]
                row["end_points_near_minima"] = near
            out[name][kind] = row
            bar.update()
    bar.close()
    return out
