"""Attraction regions from samples: integrate many initial states at once,
cluster the end points with Quickshift++, count.

The estimate is statistical: each attractor's basin probability (under the
sampling law of the initial states) comes with a Wilson 95% interval; samples
whose trajectory left every bounded set are their own outcome, ``diverged``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import binomtest

from ._progress import Progress, note
from ._validation import check_int, check_real
from .cluster import QuickshiftPP

__all__ = ["Attractor", "BasinEstimate", "estimate_basins", "wilson_interval"]


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    successes, n : int
        Count and number of trials (``0 <= successes <= n``, ``n >= 1``).
    confidence : float
        Confidence level in (0, 1).

    Returns
    -------
    (low, high) : tuple of float

    Examples
    --------
    >>> lo, hi = wilson_interval(50, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.4038, 0.5962)
    """
    successes = check_int("successes", successes, low=0)
    n = check_int("n", n, low=1)
    if successes > n:
        raise ValueError(f"successes must be <= n={n}, got {successes}")
    ci = binomtest(successes, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


@dataclass
class Attractor:
    """One estimated attractor.

    Attributes
    ----------
    location : ndarray (n_states,)
        Median end state of the members (robust to stragglers).
    members : ndarray of int
        Indices of the samples whose end points were clustered here.
    probability : float
        ``len(members) / n_samples``.
    interval : (float, float)
        Wilson 95% interval of the probability.
    spread : float
        Largest distance of a member's end point from ``location`` (a small
        value means the trajectories settled on a point).
    """

    location: np.ndarray
    members: np.ndarray
    probability: float
    interval: tuple
    spread: float


@dataclass
class BasinEstimate:
    """Result of :func:`estimate_basins`.

    Attributes
    ----------
    attractors : list of Attractor
        Sorted by decreasing probability.
    labels : ndarray (n_samples,)
        Attractor index of each sample, ``-1`` for diverged samples.
    diverged : ndarray of int
        Samples whose trajectory became non-finite or exceeded ``max_norm``.
    diverged_probability : float
    diverged_interval : (float, float)
    initial, final : ndarray (n_samples, n_states)
        Initial states and end states (``nan`` rows for diverged samples).
    n_samples : int
    """

    attractors: list
    labels: np.ndarray
    diverged: np.ndarray
    diverged_probability: float
    diverged_interval: tuple
    initial: np.ndarray
    final: np.ndarray
    n_samples: int
    info: dict = field(default_factory=dict)

    def table(self) -> str:
        """Plain-text table of outcomes."""
        rows = ["outcome               probability   95% Wilson interval"]
        for i, a in enumerate(self.attractors):
            loc = ", ".join(f"{v:.4g}" for v in a.location)
            rows.append(f"#{i} ({loc})".ljust(22) + f"{a.probability:<14.4f}[{a.interval[0]:.4f}, {a.interval[1]:.4f}]")
        rows.append("diverged".ljust(22) + f"{self.diverged_probability:<14.4f}"
                    f"[{self.diverged_interval[0]:.4f}, {self.diverged_interval[1]:.4f}]")
        return "\n".join(rows)


def _draw(sampler, n_samples, n_states, rng):
    if callable(sampler):
        X0 = sampler(rng, n_samples)
    else:
        box = np.asarray(sampler, dtype=float)
        if box.shape != (n_states, 2) or not np.all(np.isfinite(box)) or np.any(box[:, 1] <= box[:, 0]):
            raise ValueError(
                f"sampler must be a callable (rng, n) -> (n, {n_states}) array or a box "
                f"[[low, high]] * {n_states} with low < high, got {sampler!r}"
            )
        X0 = rng.uniform(box[:, 0], box[:, 1], size=(n_samples, n_states))
    X0 = np.asarray(X0, dtype=float)
    if X0.shape != (n_samples, n_states):
        raise ValueError(f"sampler returned shape {X0.shape}, expected ({n_samples}, {n_states})")
    if not np.all(np.isfinite(X0)):
        raise ValueError("sampler returned NaN or infinite initial states")
    return X0


#: ``progress=None`` reports runs with at least this many sample-steps.
_LONG_RUN = 20_000_000


def _run_flow(fun, Y, params, horizon, dt, max_norm, progress):
    """Classical RK4 on all samples at once; Y has shape (n_states, n_samples)."""
    n_steps = max(1, math.ceil(horizon / dt))
    h = horizon / n_steps
    alive = np.ones(Y.shape[1], dtype=bool)
    t = 0.0
    bar = Progress(n_steps, "estimate_basins: RK4", enabled=_show(progress, n_steps * Y.shape[1]))
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_steps):  # loop over time steps; every sample moves at once
            bar.update()
            y = Y[:, alive]
            k1 = fun(t, y, *params)
            k2 = fun(t + h / 2, y + h / 2 * k1, *params)
            k3 = fun(t + h / 2, y + h / 2 * k2, *params)
            k4 = fun(t + h, y + h * k3, *params)
            y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            bad = ~np.all(np.isfinite(y), axis=0) | (np.max(np.abs(y), axis=0) > max_norm)
            Y[:, alive] = y
            if bad.any():
                idx = np.flatnonzero(alive)[bad]
                alive[idx] = False
            if not alive.any():
                break
            t += h
    bar.close()
    return Y, alive, n_steps


def _show(progress, work):
    return bool(progress) if progress is not None else work >= _LONG_RUN


def _run_map(fun, Y, params, n_steps, max_norm, progress):
    alive = np.ones(Y.shape[1], dtype=bool)
    bar = Progress(n_steps, "estimate_basins: map", enabled=_show(progress, n_steps * Y.shape[1]))
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_steps):
            bar.update()
            y = fun(Y[:, alive], *params)
            bad = ~np.all(np.isfinite(y), axis=0) | (np.max(np.abs(y), axis=0) > max_norm)
            Y[:, alive] = y
            if bad.any():
                alive[np.flatnonzero(alive)[bad]] = False
            if not alive.any():
                break
    bar.close()
    return Y, alive, n_steps


def _absorb_small(points, labels, min_size):
    """Move members of clusters smaller than ``min_size`` to the nearest large cluster."""
    from scipy.spatial import cKDTree

    sizes = np.bincount(labels)
    small = sizes[labels] < min_size
    if not small.any() or small.all():
        return labels, 0
    big = np.flatnonzero(~small)
    _, j = cKDTree(points[big]).query(points[small], k=1)
    labels = labels.copy()
    labels[small] = labels[big[j]]
    _, labels = np.unique(labels, return_inverse=True)
    return labels, int(small.sum())


def estimate_basins(system, sampler, n_samples, horizon, *, params=(), k=None, beta=0.5, seed=None,
                    dt=None, max_norm=1e6, resolution=1e-6, min_size=5, progress=None):
    """Estimate attractors and their basin probabilities by sampling.

    Parameters
    ----------
    system : symdyn.ODESystem or symdyn.MapSystem
        Autonomous flow (integrated with fixed-step RK4, all samples as one
        vectorised system through ``system.compile().fun``) or map (iterated).
    sampler : callable or array-like
        ``sampler(rng, n) -> (n, n_states)`` initial states, or a box
        ``[[low_1, high_1], ...]`` sampled uniformly.
    n_samples : int >= 2
    horizon : float > 0 (flows) or int >= 1 (maps)
        Integration time, or number of iterations.
    params : sequence or dict
        Numeric parameter values, as for ``ODESystem.integrate``.
    k : int, optional
        Quickshift++ neighbours; default ``max(10, round(2 sqrt(n)))``, capped at 200
        (k must grow with n).
    beta : float in [0, 1)
        Quickshift++ fluctuation parameter.
    seed : int or numpy.random.Generator, optional
    dt : float, optional
        RK4 step (flows); default ``horizon / 2000``.
    max_norm : float
        A sample whose state exceeds this (or becomes NaN/inf) has diverged.
    resolution : float > 0
        Distance below which two end points count as the same state.  Converged
        trajectories end on (numerically) identical points, and exact duplicates
        have infinite k-NN density, so each distinct floating-point value would
        be its own mode; Quickshift++ therefore clusters the end points plus
        isotropic Gaussian noise of this standard deviation, which turns every
        point attractor into one smooth blob.
    min_size : int >= 1
        Clusters with fewer end points are stragglers (trajectories still in
        transit, which Quickshift++ may isolate as tiny cores); their samples
        join the cluster of the nearest end point in a larger cluster.  Their
        number is reported in ``info["stragglers"]``.  Use 1 to keep every cluster.
    progress : bool, optional
        Report the integration on stderr (a tqdm bar on a terminal, a plain line
        per 10% otherwise).  Default: only for runs of at least 2e7 sample-steps.

    Returns
    -------
    BasinEstimate

    Examples
    --------
    >>> import sympy
    >>> from symdyn.odesystem import ODESystem
    >>> x = sympy.Symbol("x")
    >>> est = estimate_basins(ODESystem([x], [x - x**3]), [[-1.0, 3.0]], 400, 10.0, seed=0)
    >>> [round(float(a.location[0]), 3) for a in est.attractors]
    [1.0, -1.0]
    >>> lo, hi = est.attractors[0].interval
    >>> bool(lo < 0.75 < hi)
    True
    """
    from .odesystem import MapSystem, ODESystem

    if not isinstance(system, (ODESystem, MapSystem)):
        raise TypeError(f"system must be an ODESystem or MapSystem, got {type(system).__name__}")
    n_samples = check_int("n_samples", n_samples, low=2)
    is_flow = isinstance(system, ODESystem)
    if is_flow:
        if system.t is not None:
            raise ValueError("estimate_basins needs an autonomous ODESystem (t must be None)")
        horizon = float(check_real("horizon", horizon, low=0, low_open=True))
        dt = horizon / 2000 if dt is None else float(check_real("dt", dt, low=0, low_open=True))
    else:
        horizon = check_int("horizon", horizon, low=1)
        if dt is not None:
            raise ValueError("dt applies to ODESystem only")
    max_norm = float(check_real("max_norm", max_norm, low=0, low_open=True))
    resolution = float(check_real("resolution", resolution, low=0, low_open=True))
    min_size = check_int("min_size", min_size, low=1)
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, got {type(progress).__name__}")
    if k is None:
        k = int(min(200, max(10, round(2 * math.sqrt(n_samples)))))
    check_int("k", k, low=1)
    check_real("beta", beta, low=0, high=1, high_open=True)
    if seed is not None and not isinstance(seed, (numbers.Integral, np.random.Generator)):
        raise TypeError(f"seed must be an int, a numpy Generator or None, got {type(seed).__name__}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    p = system._numeric_params(params)
    X0 = _draw(sampler, n_samples, system.n, rng)
    fun = system.compile().fun
    Y = X0.T.copy()
    if is_flow:
        Y, alive, steps = _run_flow(fun, Y, p, horizon, dt, max_norm, progress)
    else:
        Y, alive, steps = _run_map(fun, Y, p, horizon, max_norm, progress)
    final = Y.T.copy()
    final[~alive] = np.nan
    labels = np.full(n_samples, -1, dtype=np.int64)
    attractors = []
    ok = np.flatnonzero(alive)
    n_stragglers = 0
    if ok.size:
        ends = final[ok]
        if ok.size == 1:
            sub = np.zeros(1, dtype=np.int64)
        else:
            jitter = rng.normal(scale=resolution, size=ends.shape)
            if _show(progress, steps * n_samples):
                note(f"estimate_basins: clustering {ok.size} end points")
            sub = QuickshiftPP(k=min(k, ok.size), beta=beta).fit(ends + jitter).labels_
            sub, n_stragglers = _absorb_small(ends, sub, min_size)
        groups = [ok[sub == c] for c in range(int(sub.max()) + 1)]
        groups.sort(key=lambda g: (-g.size, int(g[0])))
        for i, members in enumerate(groups):
            labels[members] = i
            loc = np.median(final[members], axis=0)
            spread = float(np.max(np.linalg.norm(final[members] - loc, axis=1)))
            attractors.append(Attractor(loc, members, members.size / n_samples,
                                        wilson_interval(int(members.size), n_samples), spread))
    diverged = np.flatnonzero(~alive)
    return BasinEstimate(
        attractors=attractors, labels=labels, diverged=diverged,
        diverged_probability=diverged.size / n_samples,
        diverged_interval=wilson_interval(int(diverged.size), n_samples),
        initial=X0, final=final, n_samples=n_samples,
        info={"stragglers": n_stragglers, "k": k, "beta": beta, "steps": steps, "resolution": resolution, "kind": "flow" if is_flow else "map"},
    )
