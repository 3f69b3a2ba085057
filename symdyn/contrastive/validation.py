"""ODE vs SGD: the moment ODEs as the N -> infinity limit of online SGD.

Tools used by the ``ode_limit_of_sgd`` check, the CLI and the notebook:

- :func:`ode_trajectory`: integrate the moment ODEs from ``(R0, Q0)`` and return
  ``R, Q, m`` on given times;
- :func:`sup_error`: ``sup_t max_kj |mean_runs m_SGD(t) - m_ODE(t)|``;
- :func:`fit_loglog_slope`: least-squares slope of ``log err`` against ``log N``;
- :func:`error_sweep`: the sup-error for a list of N with the reduced engine;
- :func:`compare_engines`: two-sample tests (Kolmogorov-Smirnov) of ``R_t``
  and ``Q_t`` between two SGD ensembles.

Floats here *suggest*; verdicts built on them are of level ``numerical``.
"""

from __future__ import annotations

import numbers

import numpy as np

from .model import ContrastiveModel, cosine_similarity, state_symbols

__all__ = [
    "ode_trajectory",
    "state_vector",
    "sup_error",
    "fit_loglog_slope",
    "error_sweep",
    "compare_engines",
]


def state_vector(R0, Q0) -> np.ndarray:
    """Flatten ``(R, Q)`` in the order of :func:`state_symbols` (R row-major, Q upper triangle)."""
    R0 = np.asarray(R0, float)
    Q0 = np.asarray(Q0, float)
    d2 = Q0.shape[0]
    iu = np.triu_indices(d2)
    return np.concatenate([R0.ravel(), Q0[iu]])


def _unflatten(y: np.ndarray, d: int, d2: int):
    """``y (n_states, T)`` -> ``R (T, d, d2)``, ``Q (T, d2, d2)``."""
    T = y.shape[1]
    R = y[: d * d2].T.reshape(T, d, d2)
    Q = np.empty((T, d2, d2))
    iu = np.triu_indices(d2)
    Q[:, iu[0], iu[1]] = y[d * d2:].T
    Q[:, iu[1], iu[0]] = y[d * d2:].T
    return R, Q


def ode_trajectory(model: ContrastiveModel, times, R0, Q0, *, system=None, rtol=1e-9, atol=1e-11,
                   method="LSODA") -> dict:
    """Integrate the moment ODEs of ``model``.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric parameters.
    times : array-like (T,)
        Non-decreasing times starting at 0.
    R0, Q0 : array-like
        Initial order parameters.
    system : ODESystem, optional
        The ODEs to integrate (states in :func:`state_symbols` order);
        default ``moment_odes(model)``.  Passing another system is how a check
        is shown to fail on a wrong hypothesis.
    rtol, atol, method :
        Passed to ``ODESystem.integrate``.

    Returns
    -------
    dict with ``t``, ``R (T, d, d2)``, ``Q (T, d2, d2)``, ``m (T, d, d2)``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> from symdyn.contrastive.validation import ode_trajectory
    >>> out = ode_trajectory(ContrastiveModel(), [0.0, 1.0], [[0.1]], [[1.0]])  # doctest: +SKIP
    >>> out["m"].shape  # doctest: +SKIP
    (2, 1, 1)
    """
    if system is None:
        from .odes import moment_odes

        system = moment_odes(model)
    expected = state_symbols(model.d, model.d2)
    if tuple(system.states) != expected:
        raise ValueError(f"system states must be {expected}, got {tuple(system.states)}")
    times = np.asarray(times, float)
    if times.ndim != 1 or times.size == 0 or times[0] != 0 or np.any(np.diff(times) < 0):
        raise ValueError("times must be a non-empty non-decreasing 1-D array starting at 0")
    y0 = state_vector(R0, Q0)
    t_end = float(times[-1])
    if t_end == 0:
        y = y0[:, None]
    else:
        uniq, inv = np.unique(times, return_inverse=True)
        res = system.integrate(y0, (0.0, t_end), t_eval=uniq, rtol=rtol, atol=atol, method=method)
        if res.status != 0 or res.y.shape[1] != uniq.size:
            raise RuntimeError(f"ODE integration failed: {res.message}")
        y = res.y[:, inv]
    R, Q = _unflatten(y, model.d, model.d2)
    return {"t": times, "R": R, "Q": Q, "m": cosine_similarity(R, Q)}


def sup_error(mean_m: np.ndarray, m_ode: np.ndarray) -> float:
    """``max_t max_kj |mean_m - m_ode|`` (arrays of shape ``(T, d, d2)``)."""
    mean_m = np.asarray(mean_m, float)
    m_ode = np.asarray(m_ode, float)
    if mean_m.shape != m_ode.shape:
        raise ValueError(f"shapes differ: {mean_m.shape} vs {m_ode.shape}")
    return float(np.max(np.abs(mean_m - m_ode)))


def fit_loglog_slope(N, err) -> tuple:
    """Least-squares ``(slope, intercept)`` of ``log err = intercept + slope log N``.

    Examples
    --------
    >>> from symdyn.contrastive.validation import fit_loglog_slope
    >>> slope, _ = fit_loglog_slope([1e3, 1e4, 1e5], [1e-2, 1e-2 / 10**0.5, 1e-3])
    >>> round(slope, 6)
    -0.5
    """
    N = np.asarray(N, float)
    err = np.asarray(err, float)
    if N.shape != err.shape or N.size < 2:
        raise ValueError("N and err must be 1-D of the same length >= 2")
    if np.any(N <= 0) or np.any(err <= 0) or not np.all(np.isfinite(err)):
        raise ValueError("N and err must be positive and finite")
    slope, intercept = np.polyfit(np.log(N), np.log(err), 1)
    return float(slope), float(intercept)


def error_sweep(model: ContrastiveModel, Ns, t_max: float, *, n_runs: int = 20, n_batches: int = 1,
                n_times: int = 21, R0=None, Q0=None, seed: int = 0, system=None, ode=None,
                progress: bool = False) -> dict:
    """Sup-error of the ensemble-mean cosine similarity against the ODE, for each N.

    Parameters
    ----------
    model : ContrastiveModel
    Ns : sequence of int
        Dimensions (reduced engine).
    t_max : float
    n_runs : int
        Runs per N (split into ``n_batches`` equal batches).
    n_batches : int
        The reported error is the mean over batches of the batch's sup-error
        (an estimate of ``E sup_t |mean m - m_ODE|`` for ``n_runs / n_batches``
        runs, with less sampling noise than a single sup, so the slope fit is
        steadier); ``errors_pooled`` is the sup-error of the mean of all runs.
    n_times : int
        Equispaced recording times in ``[0, t_max]``.
    R0, Q0 : array-like, optional
    seed : int
        Base seed; run set ``i`` uses ``seed + i``.
    system : ODESystem, optional
        ODEs to compare with (default ``moment_odes(model)``).
    ode : dict, optional
        A precomputed :func:`ode_trajectory` on the same times.

    Returns
    -------
    dict with ``N``, ``errors``, ``errors_pooled``, ``slope``, ``intercept``,
    ``times``, ``m_ode``, ``mean_m`` (per N), ``seconds_sgd``.
    """
    import time

    from .._validation import check_cap, check_int, check_real
    from .sgd import _check_initial, check_sgd_arguments, simulate_sgd

    if isinstance(Ns, numbers.Number):
        Ns = [Ns]
    if isinstance(Ns, (str, bytes)) or not hasattr(Ns, "__iter__"):
        raise TypeError(f"Ns must be an integer or a sequence of integers, got {type(Ns).__name__}")
    def count(name, v, low):  # integral floats (grid cells, 1e3) are accepted, as simulate_sgd accepts N
        if isinstance(v, numbers.Real) and not isinstance(v, (bool, numbers.Integral)) and float(v).is_integer():
            v = int(v)
        return check_int(name, v, low=low)

    Ns = [count(f"Ns[{i}]", n, 1) for i, n in enumerate(Ns)]
    if not Ns:
        raise ValueError("Ns must not be empty")
    t_max = float(check_real("t_max", t_max, low=0, low_open=True))
    n_times = count("n_times", n_times, 2)
    check_cap("n_times", n_times, "n_times")
    n_runs = check_int("n_runs", n_runs, low=1)
    n_batches = check_int("n_batches", n_batches, low=1)
    if n_runs % n_batches:
        raise ValueError(f"n_batches must be >= 1 and divide n_runs={n_runs}, got {n_batches}")
    R0, Q0 = _check_initial(model, R0, Q0)
    times = np.linspace(0.0, t_max, n_times)
    for N in Ns:  # every SGD run is validated before the ODE or any run starts
        check_sgd_arguments(model, N, t_max, n_runs=n_runs, times=times, R0=R0, Q0=Q0)
    if ode is None:
        ode = ode_trajectory(model, times, R0, Q0, system=system)
    errors, pooled, means, secs = [], [], [], []
    for i, N in enumerate(Ns):
        t0 = time.perf_counter()
        res = simulate_sgd(model, N, t_max, n_runs=n_runs, times=times, R0=R0, Q0=Q0, seed=seed + i,
                           progress=progress)
        secs.append(time.perf_counter() - t0)
        mm = res.mean_m()
        # recorded times are round(t N) / N, within 1/(2N) of `times`: an O(1/N) offset
        pooled.append(sup_error(mm, ode["m"]))
        batches = res.m.reshape((n_batches, n_runs // n_batches) + res.m.shape[1:]).mean(axis=1)
        errors.append(float(np.mean([sup_error(b, ode["m"]) for b in batches])))
        means.append(mm)
    out = {"N": Ns, "errors": errors, "errors_pooled": pooled, "times": times, "m_ode": ode["m"],
           "mean_m": means, "seconds_sgd": secs}
    if len(Ns) >= 2:
        out["slope"], out["intercept"] = fit_loglog_slope(Ns, errors)
    return out


def compare_engines(first, second, *, time_index: int = -1) -> dict:
    """Two-sample Kolmogorov-Smirnov tests of every entry of ``R_t`` and ``Q_t``.

    Parameters
    ----------
    first, second : SGDResult
        Ensembles at the same N and recording times.
    time_index : int
        Which recorded time to compare.

    Returns
    -------
    dict with ``pvalues`` (entry name -> p), ``min_p``, ``bonferroni_min_p``
    (``min_p`` times the number of tests, capped at 1), ``mean_diff_z`` (largest
    |difference of means| in standard errors).
    """
    from scipy.stats import ks_2samp

    if first.R.shape[1:] != second.R.shape[1:] or not np.allclose(first.t, second.t):
        raise ValueError("the two results must have the same recording times and shapes")
    pvals = {}
    zs = []
    d, d2 = first.R.shape[2:]
    entries = [(f"R[{k},{j}]", first.R[:, time_index, k, j], second.R[:, time_index, k, j])
               for k in range(d) for j in range(d2)]
    entries += [(f"Q[{i},{j}]", first.Q[:, time_index, i, j], second.Q[:, time_index, i, j])
                for i in range(d2) for j in range(i, d2)]
    for name, a, b in entries:
        pvals[name] = float(ks_2samp(a, b).pvalue)
        se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        zs.append(abs(a.mean() - b.mean()) / se if se > 0 else 0.0)
    min_p = min(pvals.values())
    return {"pvalues": pvals, "min_p": min_p, "bonferroni_min_p": min(1.0, min_p * len(pvals)),
            "mean_diff_z": float(max(zs))}
