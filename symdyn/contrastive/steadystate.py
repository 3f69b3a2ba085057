"""Steady states of one feature and one neuron over a grid of ``(tau, Delta, rho)`` (spec claim 3).

One symbolic system (``tau, Delta, rho`` symbolic) is compiled once and
evaluated for all grid points at once (one column per point).  Per point:

* the **uninformative** candidate ``R = 0``: ``Q*`` by a scan of
  ``dQ/dt|_{R=0}`` on a geometric grid of ``Q`` and vectorised bisection of
  the first ``+ -> -`` bracket;
* the **informative** candidates: damped Newton from two starts, kept in
  the physical domain (``Q > 0``, ``|m| <= 1``,
  :func:`~symdyn.contrastive.fixedpoints.damped_newton`); a failed start is
  reported in the row's ``status``, never raised.

The steady state is the informative sink if one was found, else the
uninformative sink (``m* = 0``).  Every row says how it was decided
(level ``numerical``; :mod:`symdyn.contrastive.certified` encloses the
erf grid rigorously).
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from .._budget import as_budget
from . import fixedpoints as fpm

__all__ = ["steady_state", "steady_state_grid", "gradient_variance_term", "variance_term_values", "grid_model"]


def gradient_variance_term(system, model):
    """The ``tau^2`` coefficient of ``dQ/dt`` (the gradient-variance term), symbolic.

    ``system`` must keep ``tau`` symbolic; returns ``(1/2) d^2/dtau^2 (dQ/dt)``.
    """
    from .model import PARAM_SYMBOLS

    tau = PARAM_SYMBOLS["tau"]
    dQ = list(system.rhs)[model.d]
    B = sympy.diff(dQ, tau, 2) / 2
    if B.has(tau):
        raise ValueError("dQ/dt is not quadratic in tau")
    return B


def _check_values(name, values, lo=None, hi=None, positive=False):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of numbers, got {type(values).__name__}")
    vals = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float, sympy.Rational)) and not (
                isinstance(v, sympy.Basic) and v.is_number):
            raise TypeError(f"{name} entries must be numbers, got {v!r}")
        f = float(v)
        if not math.isfinite(f) or (positive and f <= 0) or (lo is not None and f < lo) or (hi is not None and f > hi):
            rng = "> 0" if positive else f"in [{lo}, {hi}]" if hi is not None else f">= {lo}"
            raise ValueError(f"{name} entries must be {rng}, got {v!r}")
        from .._validation import check_cap

        check_cap(f"|{name} entry|", abs(f), "param_abs")  # the model's own cap on |tau|, |Delta|
        vals.append(f)
    if not vals:
        raise ValueError(f"{name} must not be empty")
    return vals


def grid_model(*, activation=None, law=None, beta=1, augmentation="additive"):
    """The one-feature model with symbolic ``tau, Delta, rho`` used by :func:`steady_state_grid`."""
    from ..hidden import Rademacher
    from .model import PARAM_SYMBOLS, ContrastiveModel

    law = Rademacher(sympy.sqrt(2)) if law is None else law
    kw = {} if activation is None else {"activation": activation}
    return ContrastiveModel(d=1, d2=1, tau=PARAM_SYMBOLS["tau"], Delta=PARAM_SYMBOLS["Delta"],
                            rho=PARAM_SYMBOLS["rho"], beta=beta, laws=(law,), augmentation=augmentation, **kw)


def _uninformative_batch(fld, k, budget, q_min=1e-3, q_max=20.0, n_scan=60, n_bisect=60):
    """``Q*`` per column (NaN where no ``+ -> -`` crossing of ``dQ/dt|_{R=0}`` in ``[q_min, q_max]``)."""
    lo = np.full(k, np.nan)
    hi = np.full(k, np.nan)
    prev_q, prev_v = None, None
    for q in np.geomspace(q_min, q_max, n_scan):
        budget.check(f"uninformative scan at Q = {q:.3g}")
        Y = np.vstack([np.zeros(k), np.full(k, q)])
        v = fld.f(Y)[1]
        if prev_v is not None:
            new = np.isnan(lo) & np.isfinite(v) & np.isfinite(prev_v) & (prev_v > 0) & (v <= 0)
            lo[new], hi[new] = prev_q, q
        if not np.any(np.isnan(lo)):
            break
        prev_q, prev_v = q, v
    ok = np.isfinite(lo)
    a, b = lo.copy(), hi.copy()
    for _ in range(n_bisect):
        budget.check("uninformative bisection")
        if not ok.any():
            break
        mid = np.where(ok, 0.5 * (a + b), 1.0)
        v = fld.f(np.vstack([np.zeros(k), mid]))[1]
        pos = v > 0
        a = np.where(ok & pos, mid, a)
        b = np.where(ok & ~pos, mid, b)
        if np.all(np.where(ok, b - a, 0) <= 4e-16 * np.where(ok, b, 1)):
            break
    return np.where(ok, 0.5 * (a + b), np.nan)


def steady_state_grid(taus, Deltas, rhos, *, activation=None, law=None, beta=1, system=None,
                      augmentation: str = "additive", budget: float | None = 600.0) -> tuple:
    """Steady-state cosine ``m*`` over a grid of ``(tau, Delta, rho)`` (one feature, one neuron).

    Parameters
    ----------
    taus, Deltas, rhos : sequences of numbers
        Step sizes (> 0), noise strengths (>= 0), view correlations in ``[-1, 1]``;
        the grid is their product (``tau`` slowest).
    activation : SymPy function, optional
        Default: the :class:`~symdyn.contrastive.model.ContrastiveModel`
        default (``tanh``) -- the same default as everywhere in the package.
    law : HiddenLaw, optional
        The feature's law (default ``Rademacher(sqrt(2))``: ``<c^2> = 2``).
    beta : number
        L2 strength.
    system : ODESystem, optional
        The symbolic system of :func:`grid_model` if already built.
    augmentation : {'additive', 'resample'}
    budget : float or None
        Seconds for the whole grid (:class:`~symdyn._budget.BudgetExceeded` after).

    Returns
    -------
    ``(rows, info)``: one dict per grid point with ``tau, Delta, rho, R, Q, m``
    (``m = |R| / sqrt(Q)``), ``residual``, ``kind``, ``eigenvalues``,
    ``converged`` (bool), ``status`` (how it was decided or why it failed) and
    ``uninformative_Q``; ``info`` holds the symbolic ``system``, the
    gradient-variance term ``B``, the ``model`` and ``params``.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import steady_state_grid
    >>> rows, info = steady_state_grid([0.5], [0.0, 0.5], [0.0], activation=sympy.erf)
    >>> [r["converged"] for r in rows], rows[1]["m"] < rows[0]["m"]
    ([True, True], True)
    """
    from .model import PARAM_SYMBOLS

    taus = _check_values("taus", taus, positive=True)
    Deltas = _check_values("Deltas", Deltas, lo=0.0)
    rhos = _check_values("rhos", rhos, lo=-1.0, hi=1.0)
    budget = as_budget(budget, "steady-state grid")
    sym = grid_model(activation=activation, law=law, beta=beta, augmentation=augmentation)
    system = fpm.contrastive_system(sym) if system is None else system
    params = fpm._param_symbols(system)
    grid = [(t, D, r) for t in taus for D in Deltas for r in rhos]
    k = len(grid)
    names = {PARAM_SYMBOLS["tau"]: 0, PARAM_SYMBOLS["Delta"]: 1, PARAM_SYMBOLS["rho"]: 2}
    missing = [p for p in params if p not in names]
    if missing:
        raise ValueError(f"unexpected symbolic parameters {missing}")
    base = fpm.fast_field(system, allow_params=True)

    def field_for(copies):
        return base.with_params(*[np.array([g[names[p]] for g in grid] * copies, float) for p in params])

    # uninformative candidates
    q_uni = _uninformative_batch(field_for(1), k, budget)
    # informative candidates: two starts per point, Newton kept in the physical domain
    starts = [(0.8, 0.7), (0.4, 0.6)]
    Y0 = np.hstack([np.vstack([np.full(k, r), np.full(k, q)]) for r, q in starts])
    fld = field_for(len(starts))
    Y, res, status = fpm.damped_newton(fld, Y0, 1, iters=60, tol=1e-10, max_step=0.2, budget=budget)
    J = fld.J(np.nan_to_num(Y, nan=0.5))
    uni_fld = field_for(1)
    Yu = np.vstack([np.zeros(k), np.nan_to_num(q_uni, nan=0.5)])
    Ju = uni_fld.J(Yu)
    Fu = uni_fld.f(Yu)
    B = gradient_variance_term(system, sym)
    rows = []
    for j, (t, D, r) in enumerate(grid):
        cands = []
        for s in range(len(starts)):
            c = j + s * k
            if status[c] != "converged" or abs(Y[0, c]) < 1e-6:
                continue
            if not np.all(np.isfinite(J[:, :, c])):
                continue
            kind, _, w, _ = fpm.classify_numeric(J[:, :, c])
            cands.append({"R": float(Y[0, c]), "Q": float(Y[1, c]), "residual": float(res[c]), "kind": kind,
                          "eigenvalues": [float(np.real(x)) for x in w]})
        sinks = [c for c in cands if c["kind"] == "sink"]
        notes = [f"start {starts[s]}: {status[j + s * k]}" for s in range(len(starts))]
        row = {"tau": t, "Delta": D, "rho": r, "uninformative_Q": float(q_uni[j])}
        if sinks:
            best = max(sinks, key=lambda c: abs(c["R"]))
            row.update(best, converged=True, status="informative sink (" + "; ".join(notes) + ")")
        elif np.isfinite(q_uni[j]) and np.all(np.isfinite(Ju[:, :, j])):
            kind, _, w, _ = fpm.classify_numeric(Ju[:, :, j])
            uni = {"R": 0.0, "Q": float(q_uni[j]), "residual": float(np.max(np.abs(Fu[:, j]))), "kind": kind,
                   "eigenvalues": [float(np.real(x)) for x in w]}
            row.update(uni, converged=kind == "sink",
                       status=("uninformative sink, no informative sink found" if kind == "sink"
                               else f"no sink: uninformative state is a {kind}") + " (" + "; ".join(notes) + ")")
        else:
            row.update({"R": float("nan"), "Q": float("nan"), "residual": float("nan"), "kind": "failed",
                        "eigenvalues": []}, converged=False,
                       status="no steady state found (" + "; ".join(notes) + "; no uninformative root)")
        row["m"] = float(abs(row["R"]) / math.sqrt(row["Q"])) if row["Q"] > 0 else float("nan")
        row["residual_reference"] = row["residual"]  # same compiled field (kept for older callers)
        rows.append(row)
    return rows, {"system": system, "B": B, "model": sym, "params": params, "seconds": budget.elapsed()}


def variance_term_values(B, system, params, state, tau, Delta, rhos) -> list:
    """Numeric gradient-variance term at a fixed state for several ``rho`` (compiled quadrature)."""
    from .._codegen import lambdify_modules
    from .model import PARAM_SYMBOLS

    states = fpm._states(system)
    args = (states[0], states[1], PARAM_SYMBOLS["tau"], PARAM_SYMBOLS["Delta"], PARAM_SYMBOLS["rho"])
    key = (id(B), B)
    f = _B_CACHE.get(key)
    if f is None:
        f = _B_CACHE.setdefault(key, sympy.lambdify(args, B, modules=lambdify_modules(), cse=True))
    r = np.asarray(rhos, dtype=float)
    out = f(np.full_like(r, state[0]), np.full_like(r, state[1]), np.full_like(r, tau), np.full_like(r, Delta), r)
    return [float(v) for v in np.broadcast_to(out, r.shape)]


_B_CACHE: dict = {}


def steady_state(model, system=None, *, budget: float | None = 120.0) -> dict:
    """The attracting steady state of a numeric one-feature, one-neuron model.

    The same decision as one cell of :func:`steady_state_grid`: the
    informative sink found by damped Newton (kept in ``Q > 0``,
    ``|m| <= 1``) from two starts, else the uninformative sink.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, ``d = d2 = 1``.
    system : ODESystem, optional
    budget : float or None
        Seconds.

    Returns
    -------
    dict with ``R, Q, m, kind, eigenvalues, residual, converged, status``.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, steady_state
    >>> from symdyn.hidden import Rademacher
    >>> st = steady_state(ContrastiveModel(activation=sympy.erf, laws=(Rademacher(sympy.sqrt(2)),)))
    >>> st["kind"], 0.5 < st["m"] <= 1
    ('sink', True)
    """
    if model.d != 1 or model.d2 != 1:
        raise ValueError(f"steady_state needs one feature and one neuron (d = d2 = 1), got d={model.d}, d2={model.d2}")
    budget = as_budget(budget, "steady state")
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.fast_field(system)
    starts = np.array([[0.8, 0.4], [0.7, 0.6]])
    Y, res, status = fpm.damped_newton(fld, starts, 1, iters=60, tol=1e-10, max_step=0.2, budget=budget)
    best = None
    for c in range(Y.shape[1]):
        if status[c] == "converged" and abs(Y[0, c]) > 1e-6:
            kind, _, w, _ = fpm.classify_numeric(fld.J(Y[:, c]))
            if kind == "sink" and (best is None or abs(Y[0, c]) > abs(best["R"])):
                best = {"R": float(Y[0, c]), "Q": float(Y[1, c]), "kind": kind, "residual": float(res[c]),
                        "eigenvalues": [complex(x) if abs(np.imag(x)) > 0 else float(np.real(x)) for x in w],
                        "converged": True, "status": "informative sink"}
    if best is None:
        try:
            u = fpm.uninformative_state(model, system, budget=budget.remaining() if budget.seconds else None)
        except ValueError as exc:
            return {"R": float("nan"), "Q": float("nan"), "m": float("nan"), "kind": "failed", "eigenvalues": [],
                    "residual": float("nan"), "converged": False,
                    "status": f"no informative sink ({'; '.join(status)}) and {exc}"}
        best = {"R": 0.0, "Q": float(u.values[1]), "kind": u.kind, "residual": u.residual,
                "eigenvalues": [float(np.real(x)) for x in u.eigenvalues], "converged": u.kind == "sink",
                "status": "uninformative sink" if u.kind == "sink" else f"no sink: uninformative state is a {u.kind}"}
    best["m"] = float(abs(best["R"]) / math.sqrt(best["Q"])) if best["Q"] > 0 else float("nan")
    return best
