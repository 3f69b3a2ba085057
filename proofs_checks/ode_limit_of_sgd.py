"""Claim 4 of the contrastive letter: the moment ODEs are the N -> infinity limit of SGD.

For each regime, the ensemble mean of the cosine similarity m(t) of the exact
reduced SGD engine is compared with the ODE solution; the sup-error over t must
shrink with N with a log-log slope between -1.3 and -0.3 (about -1/2 when
fluctuations dominate, -1 when the O(1/N) bias does), and be small at the
largest N.  At the smallest N the reduced engine is cross-checked against the
literal full-dimensional update by two-sample Kolmogorov-Smirnov tests on R_t
and Q_t.  Floating point and statistics: level ``numerical``.
"""

from __future__ import annotations

import numpy as np

from symdyn.verdict import Stopwatch, Verdict

NAME = "ode_limit_of_sgd"
CLAIM = ("The closed moment ODEs are the high-dimensional limit of online SGD: "
         "sup_t |mean m_SGD(t) - m_ODE(t)| shrinks like a power of N with exponent between -1 and -1/2.")


def regimes() -> dict:
    """The validation regimes: name -> (model, R0, Q0)."""
    from symdyn.contrastive.model import ContrastiveModel
    from symdyn.hidden import Rademacher

    law = Rademacher(2)          # <c^2> = 4: learnable at tau = 0.5, beta = 1
    one = dict(R0=[[0.1]], Q0=[[1.0]])
    return {
        "tanh": (ContrastiveModel(laws=(law,)), one),
        "additive_D0.5_rho0": (ContrastiveModel(laws=(law,), Delta=0.5, rho=0), one),
        "additive_D0.5_rho-1": (ContrastiveModel(laws=(law,), Delta=0.5, rho=-1), one),
        "resample_rho0.5": (ContrastiveModel(laws=(law,), augmentation="resample", rho=0.5), one),
        "two_features": (ContrastiveModel(d=2, laws=(law, law)), dict(R0=[[0.1], [0.05]], Q0=[[1.0]])),
    }


DEFAULT = dict(names=("tanh", "additive_D0.5_rho-1", "two_features"), Ns=(500, 2000, 8000, 32000),
               n_runs=48, n_batches=8, t_max=3.0, cross_check=("tanh",), cross_runs=60, cross_t=1.0)
FULL = dict(names=tuple(regimes()), Ns=(1000, 10000, 100000, 1000000), n_runs=32, n_batches=8, t_max=3.0,
            cross_check=tuple(regimes()), cross_runs=100, cross_t=2.0)


def evaluate(names=DEFAULT["names"], *, Ns=DEFAULT["Ns"], n_runs=DEFAULT["n_runs"],
             n_batches=DEFAULT["n_batches"], t_max=DEFAULT["t_max"], n_times=16, systems=None, slope_range=(-1.3, -0.3), max_error=0.01,
             cross_check=DEFAULT["cross_check"], cross_runs=DEFAULT["cross_runs"], cross_t=DEFAULT["cross_t"],
             alpha=1e-3, seed=0, progress=False) -> Verdict:
    """Run the ODE-vs-SGD comparison.

    Parameters
    ----------
    names : sequence of str
        Regimes from :func:`regimes`.
    Ns : sequence of int
        Dimensions for the reduced engine (>= 2, increasing).
    n_runs, n_batches, t_max, n_times :
        Runs per N, batches they are split into (the error is the batch
        average of the sup-error, see ``error_sweep``), horizon, number of
        recorded times.
    systems : dict, optional
        ``name -> ODESystem`` replacing ``moment_odes(model)``: the hook for
        feeding a wrong hypothesis (the check must then fail).
    slope_range : (low, high)
        Accepted log-log slopes of the sup-error.
    max_error : float
        Accepted sup-error at the largest N.
    cross_check : sequence of str
        Regimes cross-checked full vs reduced at ``min(Ns)``.
    cross_runs, cross_t : int, float
        Ensemble size and horizon of the cross-check.
    alpha : float
        Significance of the Bonferroni-corrected KS tests.
    seed : int

    Returns
    -------
    Verdict
    """
    from symdyn.contrastive.sgd import simulate_sgd
    from symdyn.contrastive.validation import compare_engines, error_sweep

    table = regimes()
    unknown = [n for n in names if n not in table]
    if unknown:
        raise ValueError(f"unknown regime(s) {unknown}; available: {sorted(table)}")
    Ns = sorted(int(n) for n in Ns)
    if len(Ns) < 2:
        raise ValueError("Ns must hold at least two dimensions")
    systems = systems or {}
    figures = {"Ns": Ns, "n_runs": n_runs, "n_batches": n_batches, "t_max": t_max, "slope_range": list(slope_range),
               "max_error": max_error, "regimes": {}}
    passed = True
    with Stopwatch() as sw:
        for i, name in enumerate(names):
            model, init = table[name]
            sweep = error_sweep(model, Ns, t_max, n_runs=n_runs, n_batches=n_batches, n_times=n_times, seed=seed + 100 * i,
                                system=systems.get(name), progress=progress, **init)
            ok_slope = slope_range[0] <= sweep["slope"] <= slope_range[1]
            ok_err = sweep["errors"][-1] <= max_error
            entry = {"errors": sweep["errors"], "errors_pooled": sweep["errors_pooled"], "slope": sweep["slope"], "slope_ok": ok_slope,
                     "final_error_ok": ok_err, "sgd_seconds": sweep["seconds_sgd"]}
            if name in cross_check:
                N0 = Ns[0]
                times = np.linspace(0.0, cross_t, 5)
                kw = dict(n_runs=cross_runs, times=times, **init)
                red = simulate_sgd(model, N0, cross_t, engine="reduced", seed=seed + 100 * i + 7, **kw)
                full = simulate_sgd(model, N0, cross_t, engine="full", seed=seed + 100 * i + 8, **kw)
                cmp = compare_engines(full, red)
                ok_cross = cmp["bonferroni_min_p"] >= alpha
                entry["cross_check"] = {"N": N0, "runs": cross_runs, "t": cross_t,
                                        "bonferroni_min_p": cmp["bonferroni_min_p"],
                                        "mean_diff_z": cmp["mean_diff_z"], "ok": ok_cross}
            else:
                ok_cross = True
            entry["passed"] = bool(ok_slope and ok_err and ok_cross)
            passed &= entry["passed"]
            figures["regimes"][name] = entry
    slopes = [figures["regimes"][n]["slope"] for n in names]
    figures["min_slope"] = float(min(slopes))
    figures["max_slope"] = float(max(slopes))
    figures["worst_final_error"] = float(max(figures["regimes"][n]["errors"][-1] for n in names))
    return Verdict(name=NAME, claim=CLAIM, passed=bool(passed), level="numerical", figures=figures,
                   seconds=sw.seconds)


def run(full: bool = False) -> Verdict:
    """Default: 3 regimes, N = 500..32000; ``full``: 5 regimes, N = 1e3..1e6."""
    cfg = dict(FULL if full else DEFAULT)
    names = cfg.pop("names")
    return evaluate(names, **cfg)
