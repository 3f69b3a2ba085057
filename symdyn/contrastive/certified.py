"""Certified contrastive results: Krawczyk enclosures over the closed-form right-hand side.

When every Gaussian expectation of the moment ODEs has a closed form (erf
and polynomial activations, after :meth:`GaussExpectation.doit`), the
right-hand side is an elementary / special-function expression that
:mod:`symdyn._arb` encloses in ball arithmetic.  The generic machinery of
:mod:`symdyn._krawczyk` then proves:

* :func:`certified_threshold` -- ``Q*`` at the uninformative state (a unique
  zero of ``dQ/dt|_{R=0}`` in a ball), ``G(Q*)``, ``S(Q*)``, the threshold
  ``(beta - S) / G`` and each feature's R-eigenvalue as enclosures, and the
  uninformative state's stability (Routh count in ball arithmetic);
* :func:`certified_fixed_point` -- a unique fixed point of any model's
  system near a numerical one, with its certified stability;
* :func:`certified_steady_state_grid` -- each ``m*`` of
  :func:`~symdyn.contrastive.steadystate.steady_state_grid` as an
  enclosure, its sink property certified.

Parameters are read as exact rationals: ``0.2`` means ``1/5`` (its decimal
string), never the binary float.  Anything that cannot be enclosed (a
quadrature node left, e.g. ``tanh``) raises :class:`NoClosedForm` -- the
numerical route then applies.
"""

from __future__ import annotations

import sympy

from .._krawczyk import KrawczykFailed, ball_str, certified_stability, krawczyk_zero
from . import fixedpoints as fpm

__all__ = ["NoClosedForm", "closed_rhs", "exact_number", "certified_threshold", "certified_fixed_point",
           "certified_steady_state_grid", "arb_interval", "KrawczykFailed", "ball_of", "compare_balls"]

PREC = 192


class NoClosedForm(ValueError):
    """The right-hand side still contains quadrature nodes: nothing can be certified."""


def exact_number(v):
    """An exact SymPy number for a user value: rationals as they are, floats by their decimal string."""
    from .._sympify import as_expr

    s = as_expr(v, "value") if not isinstance(v, float) else sympy.Rational(repr(v))  # strings refused
    if s.is_Float:
        s = sympy.Rational(str(s))
    if not (s.is_Rational or s.is_number):
        raise TypeError(f"expected a number, got {v!r}")
    return s


def _no_nodes(exprs, what):
    from ._nodes import GaussExpectation

    for e in exprs:
        if sympy.S(e).atoms(GaussExpectation):
            raise NoClosedForm(f"{what} still contains Gaussian-expectation nodes (no closed form for this "
                               "activation): it can only be evaluated numerically")


def closed_rhs(system) -> list:
    """The system's right-hand side with every node in closed form (``doit``); raises :class:`NoClosedForm`."""
    rhs = [sympy.S(e).doit() for e in system.rhs]
    _no_nodes(rhs, "the right-hand side")
    return rhs


def _exactify(expr):
    """Floats (numeric model fields stored as Floats) replaced by their decimal rationals."""
    fl = expr.atoms(sympy.Float)
    return expr.xreplace({f: sympy.Rational(str(f)) for f in fl}) if fl else expr


def arb_interval(b) -> list:
    """``[lower, upper]`` of a ball as floats rounded outwards (for JSON figures)."""
    import math

    lo, hi = float(b.lower()), float(b.upper())
    return [math.nextafter(lo, -math.inf), math.nextafter(hi, math.inf)]


def _ball(b, digits=25) -> dict:
    return {"ball": ball_str(b, digits), "interval": arb_interval(b), "radius": float(b.rad())}


def certified_threshold(model, system=None, *, prec: int = PREC) -> dict:
    """Enclosures of ``Q*``, ``G(Q*)``, ``S(Q*)``, the threshold and the R-eigenvalues.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, one neuron; an activation with closed forms (e.g. erf).
    system : ODESystem, optional
    prec : int
        Ball precision in bits (192: radii about 1e-50).

    Returns
    -------
    dict with ``Q_star``, ``G``, ``S``, ``threshold_c2`` (each ``{"ball",
    "interval", "radius"}``), ``eigenvalues`` (per feature, with the
    certified sign), ``learnable`` (per feature, decided by the sign),
    ``R_equations_vanish_at_R0`` (exact), ``stability`` of the uninformative
    state (certified Routh count over its box) and ``level`` = ``certified``.

    Raises
    ------
    NoClosedForm
        If the right-hand side or ``G``, ``S`` keep quadrature nodes.
    KrawczykFailed
        If the Krawczyk test does not prove the root.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, certified_threshold
    >>> c = certified_threshold(ContrastiveModel(activation=sympy.erf))  # doctest: +SKIP
    >>> c["Q_star"]["radius"] < 1e-12                                    # doctest: +SKIP
    True
    """
    from flint import arb, ctx

    from .._arb import arb_eval
    from .thresholds import spec_G_S

    if model.d2 != 1:
        raise ValueError("the certified threshold is implemented for one neuron (d2 = 1)")
    system = fpm.contrastive_system(model) if system is None else system
    states = fpm._states(system)
    n_R = model.d * model.d2
    R_syms, Qs = states[:n_R], states[n_R]
    rhs = [_exactify(e) for e in closed_rhs(system)]
    at0 = {r: 0 for r in R_syms}
    r_vanish = all(sympy.simplify(e.xreplace(at0)) == 0 for e in rhs[:n_R])
    f = rhs[n_R].xreplace(at0)
    uni = fpm.uninformative_state(model, system)
    q0 = float(uni.values[n_R])
    enc = krawczyk_zero([f], [Qs], [q0], prec=prec)
    qb = enc.box[0]
    G, S = spec_G_S(model, Qs)
    G, S = _exactify(sympy.S(G).doit()), _exactify(sympy.S(S).doit())
    _no_nodes([G, S], "G(Q) or S(Q)")
    old = ctx.prec
    ctx.prec = prec
    try:
        Gb = arb_eval(G, {Qs: qb}, prec=prec)
        Sb = arb_eval(S, {Qs: qb}, prec=prec) if S != 0 else arb(0)
        tau, beta = exact_number(model.tau), exact_number(model.beta)
        beta_b = arb_eval(sympy.S(beta), {}, prec=prec)
        tau_b = arb_eval(sympy.S(tau), {}, prec=prec)
        th = (beta_b - Sb) / Gb
        eigs, learnable = [], []
        for law in model.laws:
            m2 = arb_eval(sympy.S(law.second_moment), {}, prec=prec)
            lam = tau_b * (m2 * Gb + Sb - beta_b)
            sign = 1 if lam > 0 else -1 if lam < 0 else 0
            eigs.append({**_ball(lam), "sign": sign})
            learnable.append(True if sign > 0 else False if sign < 0 else None)
        g_sign = 1 if Gb > 0 else -1 if Gb < 0 else 0
    finally:
        ctx.prec = old
    # the uninformative state's linear stability, certified over the box R = 0 (exact), Q in qb
    from .._krawczyk import Enclosure

    box = Enclosure(tuple(states), [arb(0)] * n_R + [qb], prec, float(qb.rad()))
    stab = certified_stability(rhs, states, box)
    return {
        "Q_star": _ball(qb), "G": _ball(Gb), "S": _ball(Sb), "threshold_c2": _ball(th),
        "G_sign": g_sign, "direction": ("learnable iff <c^2> > threshold" if g_sign > 0 else
                                        "learnable iff <c^2> < threshold" if g_sign < 0 else "undecided"),
        "eigenvalues": eigs, "learnable": learnable, "R_equations_vanish_at_R0": bool(r_vanish),
        "stability": stab.as_dict(), "prec": prec, "level": "certified",
        "method": "Krawczyk test on the closed-form dQ/dt|_{R=0} in arb; G, S by arb_eval over the Q* ball",
        "max_radius": max(float(b.rad()) for b in (qb, Gb, Sb, th)),
        "floats": {"Q_star": float(qb.mid()), "G": float(Gb.mid()), "S": float(Sb.mid()),
                   "threshold_c2": float(th.mid())},
    }


def certified_fixed_point(system, guess, *, values=None, rhs=None, prec: int = PREC) -> dict:
    """A unique fixed point of ``system`` in a ball around ``guess``, with certified stability.

    Parameters
    ----------
    system : ODESystem
        Fully numeric after ``values`` (exact rationals for its parameters).
    guess : sequence of float
        A numerical fixed point (e.g. ``FixedPointInfo.values``).
    values : dict Symbol -> number, optional
        Exact parameter values.
    rhs : list, optional
        The closed right-hand side if already computed (:func:`closed_rhs`).

    Returns
    -------
    dict with ``enclosure`` (:class:`~symdyn._krawczyk.Enclosure`), ``state``
    (balls as strings), ``radius``, ``stability`` (certified kind,
    ``unstable_dim``, eigenvalue enclosures), ``level`` = ``certified``.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.odesystem import ODESystem
    >>> from symdyn.contrastive import certified_fixed_point
    >>> x, y = sympy.symbols("x y")
    >>> c = certified_fixed_point(ODESystem([x, y], [y, -sympy.erf(x) - y]), [0.01, 0.0])
    >>> c["stability"]["kind"], c["radius"] < 1e-30
    ('sink', True)
    """
    from .._arb import arb_eval

    states = fpm._states(system)
    rhs = [_exactify(e) for e in (closed_rhs(system) if rhs is None else rhs)]
    if values:
        sub = {k: exact_number(v) for k, v in values.items()}
        rhs = [e.xreplace(sub) for e in rhs]
    _ = arb_eval  # the evaluator behind the Krawczyk tapes
    enc = krawczyk_zero(rhs, states, list(guess), prec=prec)
    stab = certified_stability(rhs, states, enc)
    return {"enclosure": enc, "state": enc.as_dict(20), "radius": enc.radius, "stability": stab.as_dict(),
            "kind": stab.kind, "unstable_dim": stab.unstable_dim, "level": "certified"}


def certified_steady_state_grid(rows, info, *, prec: int = PREC) -> list:
    """Enclose every row of :func:`~symdyn.contrastive.steadystate.steady_state_grid` (closed forms).

    For a row with an informative sink: the Krawczyk enclosure of ``(R, Q)``
    at the row's exact ``(tau, Delta, rho)``, ``m* = |R| / sqrt(Q)`` as a
    ball, and the certified sink property.  For a row whose steady state is
    the uninformative sink: ``Q*`` enclosed, the sink property certified and
    ``m* = 0`` exactly; that no informative sink exists there is *not*
    certified (a numerical search found none) -- the row says so.

    Parameters
    ----------
    rows, info : the output of ``steady_state_grid(..., activation=sympy.erf)``
    prec : int
        Ball precision in bits.

    Returns
    -------
    list of dicts (one per row): ``m``, ``R``, ``Q`` (``{"ball", "interval",
    "radius"}``), ``kind`` (certified Routh count), ``certified`` (what
    exactly was certified for that row) and ``balls`` (the ``flint.arb``
    enclosures of ``R``, ``Q``, ``m`` for further ball arithmetic).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import steady_state_grid, certified_steady_state_grid
    >>> rows, info = steady_state_grid([0.5], [0.5], [-1.0], activation=sympy.erf)   # doctest: +SKIP
    >>> certified_steady_state_grid(rows, info)[0]["kind"]                          # doctest: +SKIP
    'sink'
    """
    from flint import arb, ctx

    from .model import PARAM_SYMBOLS

    system = info["system"]
    states = fpm._states(system)
    R, Q = states
    base = [_exactify(e) for e in closed_rhs(system)]
    out = []
    for row in rows:
        vals = {PARAM_SYMBOLS["tau"]: exact_number(row["tau"]), PARAM_SYMBOLS["Delta"]: exact_number(row["Delta"]),
                PARAM_SYMBOLS["rho"]: exact_number(row["rho"])}
        rhs = [e.xreplace(vals) for e in base]
        rec = {"tau": row["tau"], "Delta": row["Delta"], "rho": row["rho"]}
        if not row.get("converged"):
            rec.update(certified="nothing (the numerical steady state was not found)", kind="failed")
            out.append(rec)
            continue
        old = ctx.prec
        try:
            if abs(row["R"]) > 0:
                enc = krawczyk_zero(rhs, states, [row["R"], row["Q"]], prec=prec)
                stab = certified_stability(rhs, states, enc)
                ctx.prec = prec
                Rb, Qb = enc.box
                mb = abs(Rb) / Qb.sqrt()
                rec.update(R=_ball(Rb), Q=_ball(Qb), m=_ball(mb), kind=stab.kind, stability=stab.as_dict(),
                           certified="unique fixed point in the box, its sink property and m*",
                           balls={"R": Rb, "Q": Qb, "m": mb})
            else:
                f = rhs[1].xreplace({R: 0})
                enc = krawczyk_zero([f], [Q], [row["Q"]], prec=prec)
                from .._krawczyk import Enclosure

                box = Enclosure(tuple(states), [arb(0), enc.box[0]], prec, enc.radius)
                stab = certified_stability(rhs, states, box)
                rec.update(R=_ball(arb(0)), Q=_ball(enc.box[0]), m=_ball(arb(0)), kind=stab.kind,
                           stability=stab.as_dict(), balls={"R": arb(0), "Q": enc.box[0], "m": arb(0)},
                           certified="uninformative Q* and its sink property (m* = 0); the absence of an "
                                     "informative sink is numerical")
        except KrawczykFailed as exc:
            rec.update(certified=f"nothing (Krawczyk failed: {exc})", kind="undecided")
        finally:
            ctx.prec = old
        out.append(rec)
    return out


def ball_of(rec, prec: int = PREC):
    """The arb ball of a ``{"ball", ...}`` record (parsed at ``prec`` bits, outward)."""
    from flint import arb, ctx

    old = ctx.prec
    ctx.prec = prec
    try:
        return arb(rec["ball"])
    finally:
        ctx.prec = old


def compare_balls(a, b, prec: int = PREC):
    """Decide ``a`` vs ``b`` (ball records or arb balls) by disjoint enclosures.

    Returns ``-1`` (every point of ``a`` is below ``b``), ``1`` (above),
    ``0`` (both are the same exact point, radius 0) or ``None`` (the balls
    overlap: undecided -- never guessed from the midpoints).

    Examples
    --------
    >>> from flint import arb
    >>> compare_balls(arb(1), arb(2)), compare_balls(arb(0), arb(0)), compare_balls(arb("1 +/- 1"), arb(1))
    (-1, 0, None)
    """
    from flint import ctx

    a = ball_of(a, prec) if isinstance(a, dict) else a
    b = ball_of(b, prec) if isinstance(b, dict) else b
    old = ctx.prec
    ctx.prec = prec
    try:
        if a < b:
            return -1
        if a > b:
            return 1
        if a.rad() == 0 and b.rad() == 0 and a == b:
            return 0
        return None
    finally:
        ctx.prec = old
