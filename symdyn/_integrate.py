"""Integration of compiled flows with divergence detection (wraps ``solve_ivp``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["DivergenceError", "IntegrationResult", "integrate_compiled", "check_time_span"]

IMPLICIT_METHODS = ("Radau", "BDF", "LSODA")


class DivergenceError(RuntimeError):
    """A trajectory left every bounded set (or became NaN/inf).

    Attributes
    ----------
    t : float
        Time (flows) or step (maps) at which divergence was detected.
    state : str
        Name of the offending state component.
    result : IntegrationResult or None
        The partial result up to the divergence (flows), with ``status`` 2.
    """

    def __init__(self, message, *, t=None, state=None, result=None):
        super().__init__(message)
        self.t = t
        self.state = state
        self.result = result


@dataclass
class IntegrationResult:
    """Outcome of :meth:`symdyn.ODESystem.integrate`.

    Attributes
    ----------
    t : ndarray (m,)
    y : ndarray (n, m)
    status : int
        ``0`` reached the end, ``1`` a user event terminated, ``-1`` solver
        failure, ``2`` divergence (``|y| > max_norm`` or non-finite).
    message : str
    success : bool
    nfev, njev : int
    sol : callable or None
        Dense output when requested (``dense_output=True``).
    state_order : tuple
    """

    t: np.ndarray
    y: np.ndarray
    status: int
    message: str
    success: bool
    nfev: int
    njev: int
    sol: Any
    state_order: tuple
    t_events: Any = None
    y_events: Any = None


class _NonFinite(Exception):
    def __init__(self, t, y):
        self.t = t
        self.y = y


def _offender(y, state_order, max_norm):
    y = np.asarray(y, dtype=float)
    bad = ~np.isfinite(y)
    if bad.any():
        i = int(np.argmax(bad))
        return i, f"state {state_order[i]} is {y[i]}"
    i = int(np.argmax(np.abs(y)))
    return i, f"|{state_order[i]}| = {abs(y[i]):.6g} exceeds max_norm={max_norm:g}"


def check_time_span(t0: float, t1: float) -> None:
    """ValueError unless ``|t0|, |t1| <= CAPS['t_abs']`` and the span is resolvable.

    The span must satisfy ``|t1 - t0| >= CAPS['t_span_rel'] * max(1, |t0|, |t1|)``:
    shorter spans are below what a float step can resolve at that time scale, and LSODA
    never returns on them (``t_span = (0, 1e-300)``).
    """
    from ._validation import CAPS, check_cap

    for name, t in (("t_span[0]", t0), ("t_span[1]", t1)):
        check_cap(f"|{name}|", abs(t), "t_abs")
    scale = max(1.0, abs(t0), abs(t1))
    rel = CAPS["t_span_rel"]
    if abs(t1 - t0) < rel * scale:
        raise ValueError(f"t_span = ({t0:g}, {t1:g}) is too short: |t1 - t0| must be >= {rel:g} * "
                         f"max(1, |t0|, |t1|) = {rel * scale:g} (CAPS['t_span_rel']; see 'Input caps' "
                         "in the README)")


def integrate_compiled(compiled, y0, t_span, params, *, t_eval=None, method="LSODA", rtol=1e-8,
                       atol=1e-10, use_jac=True, max_norm=1e6, **kwargs) -> IntegrationResult:
    """Integrate an already validated compiled flow (see ``ODESystem.integrate``).

    Checks the time span (:func:`check_time_span`) and that ``max |y0| <= max_norm``
    before the solver starts (ValueError).
    """
    from scipy.integrate import solve_ivp

    check_time_span(float(t_span[0]), float(t_span[1]))
    y0_norm = float(np.max(np.abs(y0))) if np.size(y0) else 0.0
    if y0_norm > max_norm:
        raise ValueError(f"y0 has max |y0_i| = {y0_norm:g} > max_norm = {max_norm:g}: the start is "
                         "already beyond the divergence threshold (raise max_norm)")

    states = compiled.state_order
    f = compiled.fun
    jf = compiled.jac

    def fun(t, y):
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):  # non-finite values are caught below
            out = f(t, y, *params)
        if not np.all(np.isfinite(out)):
            raise _NonFinite(t, np.array(y, dtype=float))
        return out

    def blowup(t, y):
        y = np.asarray(y)
        if not np.all(np.isfinite(y)):
            return -1.0
        return max_norm - float(np.max(np.abs(y)))

    blowup.terminal = True
    blowup.direction = -1
    user_events = kwargs.pop("events", None)
    if user_events is None:
        events = [blowup]
    elif callable(user_events):
        events = [blowup, user_events]
    else:
        events = [blowup, *user_events]
    if use_jac and method in IMPLICIT_METHODS and compiled.has_jac:
        kwargs["jac"] = lambda t, y: jf(t, y, *params)
    try:
        sol = solve_ivp(fun, t_span, y0, method=method, t_eval=t_eval, rtol=rtol, atol=atol,
                        events=events, **kwargs)
    except _NonFinite as exc:
        i, what = _offender(exc.y, states, max_norm)
        msg = f"divergence: the vector field is not finite at t={exc.t:.6g} ({what}; state {states[i]})"
        res = IntegrationResult(np.array([exc.t]), exc.y[:, None], 2, msg, False, 0, 0, None, states)
        raise DivergenceError(msg, t=float(exc.t), state=str(states[i]), result=res) from None
    t_ev = sol.t_events[0] if sol.t_events is not None else []
    y_ev_all = sol.y_events if sol.y_events is not None else None
    other_t = sol.t_events[1:] if sol.t_events is not None else None
    other_y = y_ev_all[1:] if y_ev_all is not None else None
    res = IntegrationResult(
        t=sol.t, y=sol.y, status=int(sol.status), message=str(sol.message), success=bool(sol.success),
        nfev=int(sol.nfev), njev=int(getattr(sol, "njev", 0)), sol=sol.sol, state_order=states,
        t_events=other_t if user_events is not None else None,
        y_events=other_y if user_events is not None else None,
    )
    if len(t_ev):
        tb = float(t_ev[0])
        yb = y_ev_all[0][0]
        i, what = _offender(yb, states, max_norm)
        res.status = 2
        res.success = False
        res.message = f"divergence at t={tb:.6g}: {what}"
        raise DivergenceError(res.message + f" (state {states[i]})", t=tb, state=str(states[i]), result=res)
    if sol.status == 1 and user_events is None:  # pragma: no cover - only the blow-up event exists
        res.status = 0
    if sol.y.size and not np.all(np.isfinite(sol.y)):
        bad_col = int(np.argmax(~np.all(np.isfinite(sol.y), axis=0)))
        i, what = _offender(sol.y[:, bad_col], states, max_norm)
        res.status = 2
        res.success = False
        res.message = f"divergence at t={sol.t[bad_col]:.6g}: {what}"
        raise DivergenceError(res.message, t=float(sol.t[bad_col]), state=str(states[i]), result=res)
    return res
