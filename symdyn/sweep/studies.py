"""Named studies: thin adapters from one grid cell to one single-cell computation.

Each study maps a cell (a dict of plain numbers and names) to a dict of
results by calling one function of :mod:`symdyn.contrastive` (the adapters
below are the only place that knows those names).  Everything a worker needs
is rebuilt from the cell's parameters: the symbolic system and its compiled
functions are made once per worker process and cached
(:func:`functools.lru_cache` keyed by the model parameters), so only numbers
and strings cross the wire.

Verdict level: every row carries the level of what was actually decided.
``steady_state`` and ``learnability`` first compute the numerical answer
(Newton / quadrature), then ask the certified API of
:mod:`symdyn.contrastive` (:func:`~symdyn.contrastive.certified_steady_state_grid`,
:func:`~symdyn.contrastive.certified_threshold`) for ball-arithmetic
enclosures: where the right-hand side has closed forms (erf, polynomial
activations) the row reports the enclosure's midpoint, the interval, level
``certified`` and, in the ``certified`` column, exactly what was certified;
otherwise (``tanh``: quadrature nodes remain) the row stays ``numerical`` and
the ``certified`` column says why.  Monte Carlo studies are ``numerical``.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass
from typing import Callable

from .grid import Param

__all__ = ["Study", "CellFailure", "STUDIES", "get_study", "compute_cell", "ACTIVATION_NAMES", "LAW_NAMES"]

LEVELS = ("proved", "certified", "numerical")
ACTIVATION_NAMES = ("erf", "tanh", "linear", "cubic", "sin", "atan", "sigmoid")
LAW_NAMES = ("rademacher", "gaussian", "uniform", "sparse-ternary")
#: columns every row has besides parameters and results (``seconds`` is timing, never compared)
META = (("level", "str"), ("status", "str"), ("message", "str"), ("seed", "int"), ("seconds", "float"))


class CellFailure(Exception):
    """A cell whose computation ended without a result (e.g. no verified fixed point).

    ``partial`` holds the results that are known (recorded in the row).
    """

    def __init__(self, message: str, partial: dict | None = None, level: str = "numerical"):
        super().__init__(message)
        self.partial = dict(partial or {})
        self.level = level


@dataclass(frozen=True)
class Study:
    """A named computation over cells.

    Attributes
    ----------
    name, summary : str
    params : tuple of Param
    results : tuple of (column, kind)
        kind in ``float``, ``int``, ``bool``, ``str``.
    compute : callable ``(cell: dict, seed: int) -> dict``
        Results (and optionally ``level``); raises :class:`CellFailure` or any
        exception on failure.  Must be a module-level function (pickled by name).
    value : str
        Default column of plots.
    version : int
        Part of every cell id: bump it when the adapter's meaning changes.
    """

    name: str
    summary: str
    params: tuple
    results: tuple
    compute: Callable
    value: str
    version: int = 1

    def param(self, name) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ValueError(f"study {self.name!r} has no parameter {name!r}")

    @property
    def columns(self) -> tuple:
        """``(column, kind)`` of a row: cell id, parameters, results, meta."""
        kinds = {"real": "float", "int": "int", "choice": "str"}
        return (("cell", "str"),) + tuple((p.name, kinds[p.kind]) for p in self.params) + self.results + META


def _weakest(*levels) -> str:
    return max(levels, key=LEVELS.index)


def compute_cell(study: Study, cell: dict, seed: int) -> dict:
    """Run one cell; never raises for a failure of the computation itself.

    Returns ``{result columns..., level, status, message, seconds}`` with
    ``status`` ``ok`` or ``failed`` (and the exception's message).
    """
    t0 = time.perf_counter()
    out = {name: None for name, _ in study.results}
    try:
        res = dict(study.compute(dict(cell), seed))
        level = res.pop("level", "numerical")
        status, message = "ok", ""
    except CellFailure as exc:
        res, level, status, message = exc.partial, exc.level, "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 - a failing cell is recorded, the sweep goes on
        res, level, status, message = {}, "numerical", "failed", f"{type(exc).__name__}: {exc}"
    unknown = set(res) - set(out)
    if unknown:
        raise RuntimeError(f"study {study.name!r} returned undeclared columns {sorted(unknown)}")
    out.update(res)
    out.update(level=level, status=status, message=message, seconds=time.perf_counter() - t0)
    return out


# ---------------------------------------------------------------------------
# model construction (cached per worker process)
# ---------------------------------------------------------------------------

def _activation(name):
    from ..contrastive.cli import ACTIVATIONS

    return ACTIVATIONS[name]


def _law(name: str, second_moment: float, kurtosis: float):
    import sympy

    from .._sympify import as_exact_number
    from ..hidden import GaussianLaw, Rademacher, UniformLaw, law_with_moments

    m2 = as_exact_number(second_moment, "second_moment")
    if name != "sparse-ternary" and kurtosis != 1:
        raise ValueError(f"kurtosis applies to the sparse-ternary law only; law {name} has kurtosis fixed "
                         f"by its shape (got kurtosis={kurtosis})")
    if name == "rademacher":
        return Rademacher(sympy.sqrt(m2))
    if name == "gaussian":
        return GaussianLaw(m2)
    if name == "uniform":
        return UniformLaw(sympy.sqrt(3 * m2))
    return law_with_moments(m2, as_exact_number(kurtosis, "kurtosis"))


def _model(cell: dict, *, d: int = 1, laws=None, symbolic=()):
    from ..contrastive.model import PARAM_SYMBOLS, ContrastiveModel

    if laws is None:
        laws = (_law(cell["law"], cell["second_moment"], cell.get("kurtosis", 1.0)),) * d
    values = {k: (PARAM_SYMBOLS[k] if k in symbolic else cell[k]) for k in ("tau", "Delta", "rho", "beta")}
    if "lam" in cell:
        values["lam"] = cell["lam"]
    return ContrastiveModel(d=d, d2=1, activation=_activation(cell["activation"]),
                            augmentation=cell.get("augmentation", "additive"), laws=tuple(laws), **values)


@functools.lru_cache(maxsize=32)
def _steady_system(activation: str, law: str, second_moment: float, kurtosis: float, beta: float):
    """Moment ODEs with ``tau, Delta, rho`` symbolic: one compiled system for all such cells."""
    from ..contrastive import fixedpoints as fpm

    cell = dict(activation=activation, law=law, second_moment=second_moment, kurtosis=kurtosis,
                beta=beta, tau=None, Delta=None, rho=None)
    model = _model(cell, symbolic=("tau", "Delta", "rho"))
    system = fpm.contrastive_system(model)
    system.compile()
    return model, system


@functools.lru_cache(maxsize=32)
def _learn_system(activation: str, augmentation: str, law: str, second_moment: float, kurtosis: float):
    """Moment ODEs with ``tau, Delta, rho, beta`` symbolic (derived once per worker)."""
    from ..contrastive import fixedpoints as fpm

    cell = dict(activation=activation, augmentation=augmentation, law=law, second_moment=second_moment,
                kurtosis=kurtosis, tau=None, Delta=None, rho=None, beta=None)
    return fpm.contrastive_system(_model(cell, symbolic=("tau", "Delta", "rho", "beta")))


@functools.lru_cache(maxsize=8)
def _numeric_system(model):
    from ..contrastive import fixedpoints as fpm

    return fpm.contrastive_system(model)


@functools.lru_cache(maxsize=32)
def _ode_reference(model, t_max: float, n_times: int):
    import numpy as np

    from ..contrastive.sgd import _check_initial
    from ..contrastive.validation import ode_trajectory

    R0, Q0 = _check_initial(model, None, None)
    return ode_trajectory(model, np.linspace(0.0, t_max, n_times), R0, Q0, system=_numeric_system(model))


# ---------------------------------------------------------------------------
# the adapters
# ---------------------------------------------------------------------------

def _not_certified(exc) -> str:
    return f"nothing ({type(exc).__name__}: {exc})"


def _steady_state(cell: dict, seed: int) -> dict:
    import numpy as np

    from ..contrastive import certified_steady_state_grid, steady_state_grid

    model, system = _steady_system(cell["activation"], cell["law"], cell["second_moment"], cell["kurtosis"],
                                   cell["beta"])
    rows, info = steady_state_grid([cell["tau"]], [cell["Delta"]], [cell["rho"]], activation=model.sigma,
                                   law=model.laws[0], beta=model.beta, system=system)
    row = rows[0]
    eig = row["eigenvalues"]
    res = {"R": row["R"], "Q": row["Q"], "m": row["m"], "m_lo": math.nan, "m_hi": math.nan, "kind": row["kind"],
           "max_real_eigenvalue": float(np.max(np.real(eig))) if len(eig) else math.nan,
           "residual": row["residual"], "residual_reference": row["residual_reference"],
           "converged": bool(row["converged"]), "certified": "nothing (no numerical steady state)"}
    if not row["converged"]:
        raise CellFailure("no verified steady state: Newton from the informative and the uninformative start "
                          "did not reach a sink with a small residual", res, "numerical")
    level = "numerical"  # Newton on a compiled field, unless the enclosure below succeeds
    try:
        cert = certified_steady_state_grid(rows, info)[0]
    except Exception as exc:  # noqa: BLE001 - no closed form (tanh) or not provable here: stays numerical
        res["certified"] = _not_certified(exc)
    else:
        res["certified"] = cert.get("certified", "")
        if "m" in cert and cert.get("kind") in ("sink", "source", "saddle"):
            lo_m, hi_m = cert["m"]["interval"]
            res.update(R=float(np.mean(cert["R"]["interval"])), Q=float(np.mean(cert["Q"]["interval"])),
                       m=0.5 * (lo_m + hi_m), m_lo=float(lo_m), m_hi=float(hi_m), kind=cert["kind"])
            level = "certified"
    res["level"] = level
    return res


def _learnability(cell: dict, seed: int) -> dict:
    from ..contrastive import certified_threshold, learnability_threshold
    from ..contrastive.model import PARAM_SYMBOLS

    model = _model(cell)
    system = _learn_system(cell["activation"], cell["augmentation"], cell["law"], cell["second_moment"],
                           cell["kurtosis"])
    system = system.subs({PARAM_SYMBOLS[k]: getattr(model, k) for k in ("tau", "Delta", "rho", "beta")})
    th = learnability_threshold(model, system)
    lam = float(th["eigenvalue_formula"][0])
    q_level = th.get("Q_star_level", "numerical")
    res = {"Q_star": float(th["Q_star"]), "Q_star_level": q_level, "G": float(th["G"]), "S": float(th["S"]),
           "threshold_c2": float(th["threshold_c2"]), "threshold_lo": math.nan, "threshold_hi": math.nan,
           "direction": th["direction"], "eigenvalue": lam,
           "eigenvalue_jacobian": float(th["eigenvalue_jacobian"][0]), "learnable": lam > 0}
    # G(Q*) and S(Q*) are float quadrature values: numerical unless the enclosures below succeed
    level = _weakest(th.get("level", "numerical"), q_level)
    try:
        cert = certified_threshold(model, system)
        sign = cert["eigenvalues"][0]["sign"]
        if sign == 0:
            raise ValueError("the R-eigenvalue's enclosure contains 0: its sign is not decided")
    except Exception as exc:  # noqa: BLE001 - no closed form (tanh) or not provable here: stays numerical
        res["certified"] = _not_certified(exc)
    else:
        mid = lambda key: 0.5 * sum(cert[key]["interval"])  # noqa: E731
        lo_t, hi_t = cert["threshold_c2"]["interval"]
        res.update(Q_star=mid("Q_star"), Q_star_level="certified", G=mid("G"), S=mid("S"),
                   threshold_c2=0.5 * (lo_t + hi_t), threshold_lo=float(lo_t), threshold_hi=float(hi_t),
                   direction=cert["direction"], eigenvalue=0.5 * sum(cert["eigenvalues"][0]["interval"]),
                   learnable=sign > 0,
                   certified="Q* (unique zero in its ball), G, S, the threshold and the sign of the R-eigenvalue")
        level = "certified"
    res["level"] = level
    return res


def _selection(cell: dict, seed: int) -> dict:
    from ..contrastive.claims import basin_probabilities

    laws = tuple(_law("sparse-ternary", cell["second_moment"], cell[k]) for k in ("kurtosis1", "kurtosis2"))
    model = _model(cell, d=2, laws=laws)
    with_sgd = cell["sgd_N"] > 0
    out = basin_probabilities(model, _numeric_system(model), r0=cell["r0"], Q0=cell["Q0"], n_mc=cell["n_mc"],
                              sgd_N=max(cell["sgd_N"], 10), seed=seed, with_sgd=with_sgd)
    g, mc = out["geometry"], out["ode_mc"]
    res = {"p1_geometry": float(g["p1"]), "saddle_distance": float(g["saddle_distance"]),
           "p1_ode_mc": float(mc["p1"]), "k": int(mc["k"]), "n": int(mc["n"]),
           "ci_low": float(mc["ci"][0]), "ci_high": float(mc["ci"][1])}
    if with_sgd:
        s = out["sgd"]
        res.update(p1_sgd=float(s["p1"]), sgd_ci_low=float(s["ci"][0]), sgd_ci_high=float(s["ci"][1]),
                   sgd_n=int(s["n"]))
    res["level"] = out.get("level", "numerical")  # Monte Carlo and float geometry
    return res


def _sgd_error(cell: dict, seed: int) -> dict:
    from ..contrastive.validation import error_sweep

    model = _model(cell)
    ode = _ode_reference(model, cell["t_max"], cell["n_times"])
    out = error_sweep(model, [cell["N"]], cell["t_max"], n_runs=cell["runs"], n_times=cell["n_times"], seed=seed,
                      ode=ode)
    err = float(out["errors"][0])
    res = {"sup_error": err, "m_ode_final": float(ode["m"][-1, 0, 0]),
           "m_sgd_final": float(out["mean_m"][0][-1, 0, 0])}
    if not math.isfinite(err):
        raise CellFailure("SGD diverged: the sup-error is not finite", res)
    res["level"] = "numerical"  # a Monte Carlo estimate
    return res


def _trivial(cell: dict, seed: int) -> dict:
    return {"value": cell["x"] * 2.0, "level": "proved"}


# ---------------------------------------------------------------------------
# parameter tables
# ---------------------------------------------------------------------------

def _model_params(*, activation="erf", second_moment=2.0, with_law=True, with_lam=False, augmentation=False):
    ps = [Param("activation", "choice", activation, choices=ACTIVATION_NAMES, help="activation by name")]
    if augmentation:
        ps.append(Param("augmentation", "choice", "additive", choices=("additive", "resample")))
    if with_law:
        ps += [Param("law", "choice", "rademacher", choices=LAW_NAMES, help="hidden law of the feature"),
               Param("second_moment", "real", second_moment, lo=0, lo_open=True, hi=1e6, help="<c^2>"),
               Param("kurtosis", "real", 1.0, lo=1, hi=1e6, help="<c^4>/<c^2>^2 (sparse-ternary)")]
    ps += [Param("tau", "real", 0.5, lo=0, lo_open=True, hi=100, help="step size"),
           Param("Delta", "real", 0.0, lo=0, hi=1e6, help="augmentation noise strength"),
           Param("rho", "real", 0.0, lo=-1, hi=1, help="view correlation"),
           Param("beta", "real", 1.0, lo=0, hi=1e6, help="L2 strength")]
    if with_lam:
        ps.append(Param("lam", "real", 0.5, lo=0, hi=1e6, help="off-diagonal penalty weight"))
    return tuple(ps)


STUDIES = {
    "steady_state": Study(
        "steady_state", "steady-state cosine m* of one feature and the stability of that state",
        _model_params(),
        (("R", "float"), ("Q", "float"), ("m", "float"), ("m_lo", "float"), ("m_hi", "float"), ("kind", "str"),
         ("max_real_eigenvalue", "float"), ("residual", "float"), ("residual_reference", "float"),
         ("converged", "bool"), ("certified", "str")),
        _steady_state, "m", version=2),
    "learnability": Study(
        "learnability", "uninformative Q*, R-eigenvalue there and the learnability threshold on <c^2>",
        _model_params(augmentation=True, second_moment=2.0),
        (("Q_star", "float"), ("Q_star_level", "str"), ("G", "float"), ("S", "float"), ("threshold_c2", "float"),
         ("threshold_lo", "float"), ("threshold_hi", "float"), ("direction", "str"), ("eigenvalue", "float"),
         ("eigenvalue_jacobian", "float"), ("learnable", "bool"), ("certified", "str")),
        _learnability, "eigenvalue", version=2),
    "selection": Study(
        "selection", "probability of selecting feature 1 (two sparse-ternary features), Wilson interval",
        (Param("kurtosis1", "real", 1.0, lo=1, hi=1e3, help="kurtosis of feature 1"),
         Param("kurtosis2", "real", 2.0, lo=1, hi=1e3, help="kurtosis of feature 2"),
         Param("second_moment", "real", 2.0, lo=0, lo_open=True, hi=1e6, help="<c^2> of both features"))
        + _model_params(with_law=False, with_lam=True)
        + (Param("r0", "real", 0.05, lo=0, lo_open=True, hi=1, help="initial |R|"),
           Param("Q0", "real", 1.0, lo=0, lo_open=True, hi=1e3, help="initial Q"),
           Param("n_mc", "int", 64, lo=1, hi=100_000, help="ODE Monte Carlo starts"),
           Param("sgd_N", "int", 0, lo=0, hi=10**7, help="SGD dimension (0: no SGD route)"),
           Param("seed", "int", 0, lo=0, hi=2**31, help="mixed into the cell's seed")),
        (("p1_geometry", "float"), ("saddle_distance", "float"), ("p1_ode_mc", "float"), ("k", "int"), ("n", "int"),
         ("ci_low", "float"), ("ci_high", "float"), ("p1_sgd", "float"), ("sgd_ci_low", "float"),
         ("sgd_ci_high", "float"), ("sgd_n", "int")),
        _selection, "p1_ode_mc"),
    "sgd_error": Study(
        "sgd_error", "sup-error of the SGD ensemble-mean cosine against the moment ODE (reduced engine)",
        (Param("N", "int", 1000, lo=10, hi=10**7, help="dimension"),
         Param("runs", "int", 10, lo=1, hi=100_000, help="independent SGD runs"),
         Param("t_max", "real", 2.0, lo=0, lo_open=True, hi=1e3, help="horizon"),
         Param("n_times", "int", 11, lo=2, hi=10_000, help="recorded times"))
        + _model_params(second_moment=1.0)
        + (Param("seed", "int", 0, lo=0, hi=2**31, help="mixed into the cell's seed"),),
        (("sup_error", "float"), ("m_ode_final", "float"), ("m_sgd_final", "float")),
        _sgd_error, "sup_error"),
}

#: a cell that only doubles ``x``: measures the per-task overhead (``symdyn bench sweep``)
TRIVIAL = Study("trivial", "value = 2 x (overhead measurement)", (Param("x", "real", 0.0),),
                (("value", "float"),), _trivial, "value")


def get_study(study) -> Study:
    """A :class:`Study` from its name (or the study itself)."""
    if isinstance(study, Study):
        return study
    if not isinstance(study, str) or study not in STUDIES:
        raise ValueError(f"unknown study {study!r}; studies: {', '.join(STUDIES)}")
    return STUDIES[study]
