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
        for j in range(n):
            h = fd_step * np.maximum(1.0, np.abs(Y[j]))
            Yp = Y.copy()
            Ym = Y.copy()
            Yp[j] += h
            Ym[j] -= h
            out[:, j] = (fun(t, Yp, *p) - fun(t, Ym, *p)) / (2 * h)
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


def uninformative_state(model, system=None, *, q_max: float = 20.0) -> FixedPointInfo:
    """The uninformative fixed point ``R = 0, Q = Q*`` (one neuron), classified.

    ``Q*`` is the positive root of ``dQ/dt|_{R=0}`` at which that scalar
    field decreases (stable in ``Q``); exact when the field is rational in
    ``Q`` with exact coefficients.

    Raises
    ------
    ValueError
        If no such root exists in ``(0, q_max]``.
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
        grid = np.concatenate([np.geomspace(1e-4, 1e-1, 30, endpoint=False), np.linspace(0.1, q_max, 400)])
        Y = np.zeros((n, grid.size))
        Y[len(R_syms)] = grid
        vals = fld.f(Y)[len(R_syms)]
        ok = np.isfinite(vals)
        roots = []
        for i in range(grid.size - 1):
            if ok[i] and ok[i + 1] and vals[i] > 0 >= vals[i + 1]:
                roots.append((grid[i], grid[i + 1]))
        if not roots:
            raise ValueError(
                "no uninformative fixed point: dQ/dt at R = 0 has no root with Q in "
                f"(0, {q_max}] where it decreases (parameters: {model})"
            )
        from scipy.optimize import brentq

        def g(q):
            y = np.zeros(n)
            y[len(R_syms)] = q
            return float(fld.f(y)[len(R_syms)])

        rejected = []
        for a, b in roots:
            q = brentq(g, a, b, xtol=1e-15, rtol=4 * np.finfo(float).eps)
            # confirm with high-precision quadrature (mpmath) of the same symbolic f:
            # fixed-order Gauss-Hermite loses accuracy at large variance
            try:
                hp = float(sympy.S(f).xreplace({Qs: sympy.Float(q, 30)}).evalf(20))
            except (TypeError, ValueError):
                hp = float("nan")
            if np.isfinite(hp) and abs(hp) <= 1e-7 * max(1.0, q):
                q_star = q
                break
            rejected.append((q, hp))
        if q_star is None:
            raise ValueError(
                "no uninformative fixed point: the sign changes of dQ/dt at R = 0 found by quadrature "
                f"are not confirmed by high-precision quadrature (Q, f) = {rejected} (parameters: {model})"
            )
    y = np.zeros(n)
    y[len(R_syms)] = q_star
    res = float(np.max(np.abs(fld.f(y))))
    info = FixedPointInfo("uninformative", y, exact, level, res)
    return _finish(fld, info)


def jacobian_at_uninformative(system, model):
    """Symbolic Jacobian of ``system`` at ``R = 0`` (``Q`` left symbolic)."""
    R_syms, _ = _split_states(system, model)
    J = sympy.Matrix(system.jacobian())
    return J.xreplace({r: 0 for r in R_syms})


# ---------------------------------------------------------------------------
# selected states and mixed saddles (numeric Newton on the compiled field)
# ---------------------------------------------------------------------------

def _newton_batch(fld: NumericField, Y0: np.ndarray, *, iters: int = 60, tol: float = 1e-11):
    """Damped Newton from every column of ``Y0``; returns converged points."""
    Y = np.array(Y0, dtype=float)
    for _ in range(iters):
        F = fld.f(Y)
        J = fld.J(Y)
        good = np.all(np.isfinite(F), axis=0) & np.all(np.isfinite(J), axis=(0, 1))
        step = np.zeros_like(Y)
        for k in np.nonzero(good)[0]:
            try:
                step[:, k] = np.linalg.solve(J[:, :, k], -F[:, k])
            except np.linalg.LinAlgError:
                good[k] = False
        norm = np.max(np.abs(step), axis=0)
        damp = np.minimum(1.0, 0.3 / np.maximum(norm, 1e-300))
        Y = np.where(good, Y + damp * step, np.nan)
    F = fld.f(Y)
    res = np.max(np.abs(F), axis=0)
    ok = np.isfinite(res) & (res < tol)
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

    Raises ValueError if none exists (e.g. the uninformative state is stable).
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
    pts, res = _newton_batch(fld, np.array(starts).T)
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

    Returned in the first quadrant and its images under ``R_k -> -R_k``.
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
    pts, res = _newton_batch(fld, np.array(starts).T)
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
    """``{'uninformative': FixedPointInfo, 'selected': [...], 'mixed': [...]}``."""
    system = contrastive_system(model) if system is None else system
    fld = fast_field(system)
    out = {"uninformative": uninformative_state(model, system)}
    try:
        out["selected"] = selected_states(model, system, fld=fld)
    except ValueError:
        out["selected"] = []
    out["mixed"] = mixed_saddles(model, system, fld=fld) if (model.d == 2 and model.d2 == 1) else []
    return out
