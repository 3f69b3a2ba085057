"""Fixed points of the closed moment ODEs of the contrastive model, and their stability.

Every computation starts from the symbolic :class:`~symdyn.odesystem.ODESystem`
returned by :func:`symdyn.contrastive.odes.moment_odes` (never a retyped
formula).  Three families of fixed points (one neuron, ``d2 = 1``):

* the **uninformative** state ``R = 0, Q = Q*``: ``Q*`` solves the scalar
  equation ``dQ/dt |_{R=0} = 0``.  When the right-hand side is rational in
  ``Q`` after exact Gaussian integration (polynomial activations) ``Q*`` is an
  exact algebraic number (level ``proved``); otherwise it is bracketed by a
  sign change of the compiled right-hand side and polished by Brent's method
  (level ``numerical``, with the residual reported);
* the **selected** states ``R = +-R_k e_k``: one feature learnt;
* the **mixed saddles**: several features learnt partially.

Numeric fixed points are found with vectorised damped Newton iterations on the
compiled field ``fun(t, y)`` / ``jac(t, y)`` and accepted only with a residual
below ``tol``; their stability comes from the eigenvalues of the compiled
Jacobian (``numerical``) or from :meth:`ODESystem.classify` when exact.

Bad input (parameters for which no uninformative state with ``Q* > 0``
exists, or where the field is not finite) raises ``ValueError`` with a
message saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy

from .._budget import as_budget

__all__ = [
    "FixedPointInfo",
    "NumericField",
    "contrastive_system",
    "numeric_field",
    "q_equation",
    "uninformative_state",
    "selected_states",
    "mixed_saddles",
    "all_fixed_points",
    "classify_numeric",
    "jacobian_at_uninformative",
    "confirm_q_star",
    "damped_newton",
    "in_domain",
]


# ---------------------------------------------------------------------------
# the symbolic system and its compiled form
# ---------------------------------------------------------------------------

def contrastive_system(model, method: str = "pde"):
    """The closed moment ODEs of ``model`` as an :class:`ODESystem`.

    Numeric model parameters are substituted, so the returned system has no
    parameters left when the model is fully numeric.
    """
    from .odes import moment_odes

    system = moment_odes(model, method=method)
    values = {}
    try:
        values = {p: v for p, v in model.param_values().items() if p in set(system.params)}
    except AttributeError:  # pragma: no cover - older ODESystem without .params
        pass
    if values:
        system = system.subs(values)
    return system


def _states(system):
    return tuple(getattr(system, "states", None) or system._states)


def _states_of(model):
    from .model import state_symbols

    return state_symbols(model.d, model.d2)


def _param_symbols(system):
    return tuple(getattr(system, "params", ()) or ())


@dataclass
class NumericField:
    """Compiled field of a fully numeric system: ``f(y)``, ``J(y)`` (vectorised)."""

    system: object
    states: tuple
    fun_raw: object
    jac_raw: object
    params: tuple = ()

    @property
    def n(self) -> int:
        return len(self.states)

    def f(self, y):
        y = np.asarray(y, dtype=float)
        with np.errstate(all="ignore"):
            out = self.fun_raw(0.0, y, *self.params)
            return np.broadcast_to(np.asarray(out, dtype=float), y.shape).copy()

    def J(self, y):
        y = np.asarray(y, dtype=float)
        with np.errstate(all="ignore"):
            out = np.asarray(self.jac_raw(0.0, y, *self.params), dtype=float)
            return np.broadcast_to(out, (self.n,) + y.shape).copy()

    def with_params(self, *params) -> "NumericField":
        """The same field with numeric parameter values (scalars or arrays, one per column)."""
        return NumericField(self.system, self.states, self.fun_raw, self.jac_raw, tuple(params))

    def integrate(self, y0, t_max, *, dt=0.05, record=None):
        """Classical RK4 on a batch ``y0 (n, k)``; returns the end states (and records).

        Raises ValueError when a trajectory becomes non-finite.
        """
        y = np.array(y0, dtype=float)
        n_steps = max(1, int(np.ceil(t_max / dt)))
        h = t_max / n_steps
        rec = [] if record else None
        for i in range(n_steps):
            k1 = self.f(y)
            k2 = self.f(y + 0.5 * h * k1)
            k3 = self.f(y + 0.5 * h * k2)
            k4 = self.f(y + h * k3)
            y = y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
            if rec is not None and (i + 1) % record == 0:
                rec.append(y.copy())
            if not np.all(np.isfinite(y)):
                raise ValueError(
                    f"the moment ODE diverged (non-finite state) at t = {(i + 1) * h:.4g}; "
                    "the parameters give no bounded trajectory from this initial state"
                )
        if rec is not None:
            return y, np.array(rec)
        return y


def fast_field(system, *, order: int | None = None, allow_params: bool = False, fd_step: float = 1e-6) -> NumericField:
    """Like :func:`numeric_field` (the same compiled vector field, ``system.compile().fun``)
    but with a central-difference Jacobian: ``2 n`` field evaluations instead of the
    symbolic Jacobian's many more quadrature nodes -- a cheaper field for long
    integrations and Newton searches.  Results are always re-checked with
    :func:`numeric_field`.

    ``order`` is accepted for backward compatibility and ignored: the field uses the
    library's quadrature (:func:`symdyn.expectation.gaussian_quadrature`), which is
    evaluated with shared points per Gaussian and is faster than the former private
    Gauss--Hermite rule.
    """
    if _param_symbols(system) and not allow_params:
        raise ValueError("the system still has symbolic parameters; give numbers for them")
    states = _states(system)
    c = system.compile()
    n = len(states)

    def fun(t, Y, *p):
        return c.fun(t, Y, *p)

    def jac(t, Y, *p):
        Y = np.asarray(Y, dtype=float)
        out = np.empty((n,) + Y.shape)
        F0 = None
        for j in range(n):
            h = fd_step * np.maximum(1.0, np.abs(Y[j]))
            Yp = Y.copy()
            Ym = Y.copy()
            Yp[j] += h
            Ym[j] -= h
            Fp, Fm = np.asarray(fun(t, Yp, *p), float), np.asarray(fun(t, Ym, *p), float)
            d = (Fp - Fm) / (2 * h)
            bad = ~np.isfinite(Fm)
            if np.any(bad):  # the backward point left the domain (e.g. Q - h < 0): forward difference
                if F0 is None:
                    F0 = np.asarray(fun(t, Y, *p), float)
                d = np.where(bad, (Fp - F0) / h, d)
            out[:, j] = d
        return out

    return NumericField(system, states, fun, jac)


def numeric_field(system, *, allow_params: bool = False) -> NumericField:
    """Compile ``system`` (no free parameters unless ``allow_params``; then give them
    with :meth:`NumericField.with_params`, in ``system.params`` order)."""
    if _param_symbols(system) and not allow_params:
        raise ValueError(
            "the system still has symbolic parameters "
            + ", ".join(map(str, _param_symbols(system)))
            + "; give numbers for them"
        )
    c = system.compile()

    def fun(t, y, *p):
        return c.fun(t, y, *p)

    def jac(t, y, *p):
        return c.jac(t, y, *p)

    return NumericField(system, _states(system), fun, jac)


# ---------------------------------------------------------------------------
# fixed point records
# ---------------------------------------------------------------------------

@dataclass
class FixedPointInfo:
    """A fixed point of the moment ODEs with its linear stability.

    Attributes
    ----------
    name : str
        ``uninformative``, ``selected k=..`` or ``mixed saddle``.
    values : ndarray (n,)
        State in the system's state order.
    exact : dict or None
        ``{Symbol: exact value}`` when known exactly.
    level : str
        ``proved`` (exact), ``certified`` or ``numerical``.
    residual : float
        ``max |f(point)|`` (float evaluation).
    kind : str
        ``sink``, ``source``, ``saddle`` or ``non-hyperbolic``.
    eigenvalues : ndarray
    unstable_dim : int
    """

    name: str
    values: np.ndarray
    exact: dict | None
    level: str
    residual: float
    kind: str = ""
    eigenvalues: np.ndarray = field(default_factory=lambda: np.zeros(0))
    unstable_dim: int = 0
    eigenvectors: np.ndarray | None = None
    high_precision: dict | None = None

    def as_dict(self, states) -> dict:
        return {
            "name": self.name,
            "state": {str(s): float(v) for s, v in zip(states, self.values)},
            "kind": self.kind,
            "unstable_dim": self.unstable_dim,
            "eigenvalues": [complex(e) if abs(np.imag(e)) > 0 else float(np.real(e)) for e in self.eigenvalues],
            "level": self.level,
            "residual": float(self.residual),
        }


def classify_numeric(J: np.ndarray, margin: float = 1e-9) -> tuple:
    """``(kind, unstable_dim, eigenvalues, eigenvectors)`` from a float Jacobian."""
    w, v = np.linalg.eig(J)
    re = np.real(w)
    scale = max(1.0, float(np.max(np.abs(w)))) * margin
    n_u = int(np.sum(re > scale))
    n_s = int(np.sum(re < -scale))
    if n_u + n_s < len(w):
        kind = "non-hyperbolic"
    elif n_u == 0:
        kind = "sink"
    elif n_s == 0:
        kind = "source"
    else:
        kind = "saddle"
    return kind, n_u, w, v


def _finish(field_: NumericField, info: FixedPointInfo) -> FixedPointInfo:
    J = field_.J(info.values)
    if not np.all(np.isfinite(J)):
        raise ValueError(f"the Jacobian is not finite at the {info.name} state {info.values}")
    kind, n_u, w, v = classify_numeric(J)
    info.kind, info.unstable_dim, info.eigenvalues, info.eigenvectors = kind, n_u, w, v
    return info


# ---------------------------------------------------------------------------
# uninformative state
# ---------------------------------------------------------------------------

def _split_states(system, model):
    states = _states(system)
    d, d2 = model.d, model.d2
    R_syms = states[: d * d2]
    Q_syms = states[d * d2:]
    return R_syms, Q_syms


def q_equation(model, system=None):
    """``(Q, f)``: the right-hand side of ``dQ/dt`` at ``R = 0`` (one neuron).

    ``f`` is exact (Gaussian expectations done in closed form where possible).
    """
    if model.d2 != 1:
        raise ValueError("the uninformative-state equation is implemented for one neuron (d2 = 1)")
    system = contrastive_system(model) if system is None else system
    R_syms, Q_syms = _split_states(system, model)
    Qs = Q_syms[0]
    rhs = list(system.rhs)
    f = rhs[len(R_syms)].xreplace({r: 0 for r in R_syms})
    try:
        f_done = f.doit()
    except Exception:  # noqa: BLE001 - a failed closed form keeps the nodes
        f_done = f
    return Qs, f_done


def _is_exact_rational(expr, x) -> bool:
    from ._nodes import GaussExpectation

    if expr.atoms(GaussExpectation):
        return False
    if not expr.is_rational_function(x):
        return False
    others = expr.free_symbols - {x}
    if others:
        return False
    return not any(a.is_Float for a in expr.atoms(sympy.Number))


def uninformative_state(model, system=None, *, q_max: float = 20.0, budget: float | None = 60.0,
                        confirm_digits: int | None = None, confirm_budget: float | None = 300.0) -> FixedPointInfo:
    """The uninformative fixed point ``R = 0, Q = Q*`` (one neuron), classified.

    ``Q*`` is the smallest positive root of ``dQ/dt|_{R=0}`` at which that
    scalar field decreases (stable in ``Q``).  It is exact (level ``proved``)
    when the field is rational in ``Q`` with exact coefficients; otherwise
    it is bracketed on a geometric grid of ``Q`` by the compiled field
    (one state per evaluation) and polished by Brent's method (level
    ``numerical``).

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, one neuron (``d2 = 1``).
    system : ODESystem, optional
        ``contrastive_system(model)`` if already built.
    q_max : float
        Upper end of the search interval ``(0, q_max]``.
    budget : float or None
        Seconds for the scan (:class:`~symdyn._budget.BudgetExceeded` after).
    confirm_digits : int or None
        Opt-in: refine ``Q*`` by the secant method on the same symbolic
        ``dQ/dt`` evaluated with ``confirm_digits``-digit quadrature
        (:func:`symdyn.contrastive.highprec.hp_value`) and record the
        comparison in ``info.high_precision`` (a dict).  Off by default: a
        2-D ``tanh`` node costs about a second per evaluation.
    confirm_budget : float or None
        Seconds for that confirmation.

    Returns
    -------
    FixedPointInfo
        ``values`` in the system's state order; ``high_precision`` is
        ``None`` unless ``confirm_digits`` was given.

    Raises
    ------
    ValueError
        If no such root exists in ``(0, q_max]``.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, uninformative_state
    >>> u = uninformative_state(ContrastiveModel(activation=sympy.erf, tau=0.5))
    >>> u.name, u.kind in ("sink", "saddle"), round(float(u.values[1]), 6) > 0
    ('uninformative', True, True)
    """
    system = contrastive_system(model) if system is None else system
    R_syms, Q_syms = _split_states(system, model)
    Qs, f = q_equation(model, system)
    fld = fast_field(system)
    n = fld.n
    exact = None
    level = "numerical"
    q_star = None
    if _is_exact_rational(f, Qs):
        num, _ = sympy.fraction(sympy.together(f))
        poly = sympy.Poly(sympy.expand(num), Qs)
        fp = sympy.diff(f, Qs)
        cands = []
        for r in sympy.real_roots(poly):
            if r.is_positive and sympy.sign(fp.subs(Qs, r).evalf(50)) < 0:
                cands.append(r)
        if cands:
            r = cands[0]
            exact = {s: sympy.S.Zero for s in R_syms}
            exact[Qs] = r
            q_star = float(r.evalf(30))
            level = "proved"
    if q_star is None:
        from scipy.optimize import brentq

        budget = as_budget(budget, "uninformative state (Q* scan)")

        def g(q):
            budget.check(f"Q = {q:.4g}")
            y = np.zeros(n)
            y[len(R_syms)] = q
            return float(fld.f(y)[len(R_syms)])

        # one state per call: each gets a quadrature rule fitted to its own variance (a batch
        # would use the widest Gaussian's fine rule for every point); stop at the first
        # crossing from + to - (the smallest Q* at which dQ/dt decreases)
        bracket = None
        q_prev, v_prev = None, None
        for q in np.geomspace(1e-4, q_max, 72):
            v = g(q)
            if v_prev is not None and np.isfinite(v) and np.isfinite(v_prev) and v_prev > 0 >= v:
                bracket = (q_prev, q)
                break
            q_prev, v_prev = q, v
        if bracket is None:
            raise ValueError(
                "no uninformative fixed point: dQ/dt at R = 0 has no root with Q in "
                f"(0, {q_max}] where it decreases (parameters: {model})"
            )
        q_star = brentq(g, *bracket, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    hp = None
    if confirm_digits is not None:
        hp = confirm_q_star(f, Qs, q_star, fld=fld, n_R=len(R_syms), digits=confirm_digits, budget=confirm_budget)
    y = np.zeros(n)
    y[len(R_syms)] = q_star
    res = float(np.max(np.abs(fld.f(y))))
    info = FixedPointInfo("uninformative", y, exact, level, res)
    info.high_precision = hp
    return _finish(fld, info)


def confirm_q_star(f, Qs, q_float: float, *, fld=None, n_R=None, digits: int = 25, budget=300.0) -> dict:
    """Refine ``Q*`` with ``digits``-digit quadrature of the symbolic ``f = dQ/dt|_{R=0}``.

    Secant iterations on ``q -> hp_value(f, {Q: q})`` from the float root
    (the first step uses the float slope of the compiled field), until two
    iterates agree to ``10**-digits`` relative.  Returns a dict with the
    high-precision root (string), its difference from the float root, the
    high-precision residual at the float root and the number of
    evaluations -- the cross-check of the numerical route.
    """
    from .highprec import hp_value

    budget = as_budget(budget, "high-precision confirmation of Q*")

    def F(q):
        left = budget.remaining() if budget.seconds is not None else None
        v, err = hp_value(f, {Qs: q}, digits=digits, budget=left)
        return v, err

    q0 = sympy.Float(q_float, digits + 5)
    f0, e0 = F(q0)
    if fld is not None and n_R is not None:
        h = 1e-6 * max(1.0, q_float)
        yp = np.zeros(fld.n)
        ym = np.zeros(fld.n)
        yp[n_R], ym[n_R] = q_float + h, q_float - h
        slope = float((fld.f(yp)[n_R] - fld.f(ym)[n_R]) / (2 * h))
    else:
        slope = float(sympy.diff(f, Qs).xreplace({Qs: q0}).evalf(15))
    q1 = q0 - f0 / sympy.Float(slope, digits + 5)
    f1, e1 = F(q1)
    evals = 2
    qa, fa, qb, fb = q0, f0, q1, f1
    for _ in range(6):
        if abs(qb - qa) <= sympy.Float(10, 5) ** (-digits) * abs(qb) or fb == fa:
            break
        qc = qb - fb * (qb - qa) / (fb - fa)
        fc, e1 = F(qc)
        evals += 1
        qa, fa, qb, fb = qb, fb, qc, fc
    converged = bool(abs(qb - qa) <= sympy.Float(10, 5) ** (-digits) * abs(qb))
    return {
        "digits": digits, "Q_star": sympy.Float(qb, digits + 5), "Q_star_str": sympy.sstr(sympy.Float(qb, digits)),
        "float_minus_hp": float(q0 - qb), "residual_hp_at_float_root": float(f0),
        "quadrature_error_estimate": float(max(e0, e1)), "evaluations": evals, "converged": converged,
        "seconds": budget.elapsed(),
    }


def jacobian_at_uninformative(system, model):
    """Symbolic Jacobian of ``system`` at ``R = 0`` (``Q`` left symbolic)."""
    R_syms, _ = _split_states(system, model)
    J = sympy.Matrix(system.jacobian())
    return J.xreplace({r: 0 for r in R_syms})


# ---------------------------------------------------------------------------
# selected states and mixed saddles (numeric Newton on the compiled field)
# ---------------------------------------------------------------------------

def in_domain(Y: np.ndarray, n_R: int) -> np.ndarray:
    """Columns of ``Y`` in the physical domain of one neuron: ``Q > 0`` and ``|R|^2 <= Q`` (``|m| <= 1``)."""
    Y = np.asarray(Y, dtype=float)
    Q = Y[n_R]
    R2 = np.sum(Y[:n_R] ** 2, axis=0)
    with np.errstate(invalid="ignore"):
        return np.isfinite(Q) & (Q > 0) & (R2 <= Q * (1 + 1e-12))


def damped_newton(fld: NumericField, Y0: np.ndarray, n_R: int, *, iters: int = 60, tol: float = 1e-11,
                  max_step: float = 0.3, budget=None) -> tuple:
    """Damped Newton from every column of ``Y0`` that stays in the physical domain.

    A step is at most ``max_step`` (max norm) and is halved (up to 30
    times) until the new point is in the domain (:func:`in_domain`) with a
    finite field; a column whose step cannot be made admissible, or whose
    Jacobian is singular or not finite, is *failed* (NaN) and the others go
    on -- one bad start never stops the batch.

    Returns
    -------
    ``(Y, residual, status)``: final columns, ``max |f|`` per column and a
    status string per column (``converged``, ``left the domain``,
    ``singular Jacobian``, ``not converged (residual ...)``).
    """
    budget = as_budget(budget, "damped Newton search")
    Y = np.array(Y0, dtype=float)
    k = Y.shape[1]
    status = np.array(["running"] * k, dtype=object)
    status[~in_domain(Y, n_R)] = "start outside the domain"
    for _ in range(iters):
        budget.check()
        act = np.nonzero(status == "running")[0]
        if act.size == 0:
            break
        Ya = Y[:, act]
        # per-column parameter arrays follow the active columns (a subset broke the broadcast)
        params = tuple(getattr(fld, "params", ()))
        per_column = [np.ndim(p) == 1 and np.size(p) == k for p in params]
        fa = fld if act.size == k or not any(per_column) else fld.with_params(
            *[np.asarray(p)[act] if c else p for p, c in zip(params, per_column)])
        F = fa.f(Ya)
        res = np.max(np.abs(F), axis=0)
        done = np.isfinite(res) & (res < tol * 1e-2)
        J = fa.J(Ya)
        step = np.zeros_like(Ya)
        for a in range(act.size):
            if done[a]:
                continue
            if not (np.all(np.isfinite(F[:, a])) and np.all(np.isfinite(J[:, :, a]))):
                status[act[a]] = "field not finite"
                continue
            try:
                step[:, a] = np.linalg.solve(J[:, :, a], -F[:, a])
            except np.linalg.LinAlgError:
                status[act[a]] = "singular Jacobian"
        norm = np.max(np.abs(step), axis=0)
        t = np.minimum(1.0, max_step / np.maximum(norm, 1e-300))
        cand = Ya + t * step
        for _half in range(30):
            ok = in_domain(cand, n_R)
            if ok.all():
                break
            t = np.where(ok, t, t / 2)
            cand = np.where(ok, cand, Ya + t * step)
        ok = in_domain(cand, n_R)
        for a in range(act.size):
            if status[act[a]] != "running":
                continue
            if not ok[a]:
                status[act[a]] = "left the domain"
            else:
                Y[:, act[a]] = cand[:, a]
        run = status[act] == "running"
        if not run.any() or np.all(norm[run] < 1e-14):
            break
    F = fld.f(Y)
    res = np.max(np.abs(F), axis=0)
    for c in range(k):
        if status[c] == "running":
            status[c] = "converged" if (np.isfinite(res[c]) and res[c] < tol) else f"not converged (residual {res[c]:.3g})"
    bad = status != "converged"
    Y[:, bad] = np.nan
    return Y, res, status


def _newton_batch(fld: NumericField, Y0: np.ndarray, *, iters: int = 60, tol: float = 1e-11, n_R=None):
    """Converged points of :func:`damped_newton` (in the domain) and their residuals."""
    n_R = fld.n - 1 if n_R is None else n_R
    Y, res, status = damped_newton(fld, Y0, n_R, iters=iters, tol=tol)
    ok = status == "converged"
    return Y[:, ok], res[ok]


def _unique(points: np.ndarray, res: np.ndarray, tol: float = 1e-6):
    out = []
    for k in range(points.shape[1]):
        p = points[:, k]
        if all(np.max(np.abs(p - q)) > tol for q, _ in out):
            out.append((p, res[k]))
    return out


def _physical(p, n_R, d2=1) -> bool:
    """Q >= |R|^2 (a Gram matrix) and Q > 0."""
    R = p[:n_R]
    Q = p[n_R]
    return Q > 0 and Q - float(R @ R) >= -1e-9


def selected_states(model, system=None, *, fld: NumericField | None = None) -> list:
    """The states with exactly one feature learnt (``R = +-r e_k``), classified.

    Damped Newton (kept in ``Q > 0``, ``|m| <= 1``) from a grid of starts on
    each axis; converged points are deduplicated and classified from the
    Jacobian's eigenvalues (level ``numerical``; see
    :func:`symdyn.contrastive.certified_fixed_point` for enclosures).

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, one neuron.
    system : ODESystem, optional
    fld : NumericField, optional
        A compiled field to reuse.

    Returns
    -------
    list of FixedPointInfo
        Both signs ``+-`` for each feature found.

    Raises
    ------
    ValueError
        If none exists (e.g. the uninformative state is stable).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, selected_states
    >>> from symdyn.hidden import Rademacher
    >>> sel = selected_states(ContrastiveModel(activation=sympy.erf, laws=(Rademacher(sympy.sqrt(2)),)))
    >>> sorted(s.kind for s in sel)
    ['sink', 'sink']
    """
    system = contrastive_system(model) if system is None else system
    fld = fast_field(system) if fld is None else fld
    n_R = model.d * model.d2
    n = fld.n
    starts = []
    for k in range(n_R):
        for r in np.linspace(0.1, 2.0, 12):
            for q in (0.3, 0.7, 1.2, 2.0, 4.0):
                if q >= r * r:
                    y = np.zeros(n)
                    y[k] = r
                    y[n_R] = q
                    starts.append(y)
    pts, res = _newton_batch(fld, np.array(starts).T, n_R=n_R)
    out = []
    for p, r in _unique(pts, res):
        nz = np.abs(p[:n_R]) > 1e-8
        if nz.sum() == 1 and _physical(p, n_R):
            k = int(np.argmax(nz))
            for sgn in (1, -1):
                q = p.copy()
                q[k] = sgn * abs(p[k])
                out.append(_finish(fld, FixedPointInfo(f"selected k={k + 1} ({'+' if sgn > 0 else '-'})", q, None,
                                                       "numerical", float(np.max(np.abs(fld.f(q)))))))
    if not out:
        raise ValueError("no selected (informative) fixed point found: for these parameters "
                         "no feature is learnt (check the learnability threshold)")
    return out


def mixed_saddles(model, system=None, *, fld: NumericField | None = None) -> list:
    """Fixed points with every ``R_k`` non-zero (one neuron, ``d = 2``), classified.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, ``d = 2``, ``d2 = 1``.
    system : ODESystem, optional
    fld : NumericField, optional

    Returns
    -------
    list of FixedPointInfo
        The first-quadrant points and their images under ``R_k -> -R_k``
        (level ``numerical``).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, mixed_saddles
    >>> from symdyn.hidden import Rademacher, SparseTernary
    >>> m = ContrastiveModel(d=2, activation=sympy.erf,
    ...                      laws=(Rademacher(sympy.sqrt(2)), SparseTernary(2, sympy.Rational(1, 2))))
    >>> {s.kind for s in mixed_saddles(m)}          # doctest: +SKIP
    {'saddle'}
    """
    if model.d != 2 or model.d2 != 1:
        raise ValueError("mixed saddles are computed for two features and one neuron (d = 2, d2 = 1)")
    system = contrastive_system(model) if system is None else system
    fld = fast_field(system) if fld is None else fld
    starts = []
    for a in np.linspace(0.1, 1.2, 8):
        for b in np.linspace(0.1, 1.2, 8):
            for q in (0.5, 1.0, 2.0):
                if q >= a * a + b * b:
                    starts.append([a, b, q])
    pts, res = _newton_batch(fld, np.array(starts).T, n_R=2)
    out = []
    for p, r in _unique(pts, res):
        if np.all(np.abs(p[:2]) > 1e-6) and _physical(p, 2):
            base = np.abs(p)
            base[2] = p[2]
            for s1, s2 in ((1, 1), (-1, 1), (-1, -1), (1, -1)):
                q = base.copy()
                q[0] *= s1
                q[1] *= s2
                out.append(_finish(fld, FixedPointInfo("mixed saddle", q, None, "numerical",
                                                       float(np.max(np.abs(fld.f(q)))))))
    # the same point can be reached with several sign patterns: deduplicate
    uniq = []
    for fp in out:
        if all(np.max(np.abs(fp.values - u.values)) > 1e-6 for u in uniq):
            uniq.append(fp)
    return uniq


def all_fixed_points(model, system=None) -> dict:
    """All three families of fixed points of a numeric one-neuron model.

    Parameters
    ----------
    model : ContrastiveModel
    system : ODESystem, optional

    Returns
    -------
    ``{'uninformative': FixedPointInfo, 'selected': [...], 'mixed': [...]}``
    (``mixed`` only for ``d = 2``; ``selected`` empty when no feature is learnt).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, all_fixed_points
    >>> fps = all_fixed_points(ContrastiveModel(activation=sympy.erf))
    >>> fps["uninformative"].name, fps["mixed"]
    ('uninformative', [])
    """
    system = contrastive_system(model) if system is None else system
    fld = fast_field(system)
    out = {"uninformative": uninformative_state(model, system)}
    try:
        out["selected"] = selected_states(model, system, fld=fld)
    except ValueError:
        out["selected"] = []
    out["mixed"] = mixed_saddles(model, system, fld=fld) if (model.d == 2 and model.d2 == 1) else []
    return out
