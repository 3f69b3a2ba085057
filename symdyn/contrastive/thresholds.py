"""The learnability threshold at the uninformative state (spec claim 1, numbers).

At ``R = 0, Q = Q*`` the R-eigenvalue of the moment ODEs is
``tau (<c^2> G(Q*) + S(Q*) - beta)`` (proved symbolically by
:func:`symdyn.contrastive.claims.learnability_structure`), so a feature is
learnable iff ``<c^2> > (beta - S(Q*)) / G(Q*)`` (for ``G > 0``).

:func:`learnability_threshold` computes ``Q*``, ``G``, ``S`` and the
threshold.  Three levels:

* ``numerical`` (default, any activation): ``Q*`` by a bracketing root
  finder on the compiled field, ``G`` and ``S`` by the compiled quadrature;
* ``confirm_digits=25`` (opt-in, any activation): the same quantities again
  from the symbolic expressions with ``>= 25``-digit quadrature
  (:mod:`symdyn.contrastive.highprec`), reported side by side;
* ``certify=True`` (closed-form right-hand sides, e.g. ``erf``): ``Q*`` by
  the Krawczyk test in ball arithmetic and ``G``, ``S``, the threshold as
  rigorous enclosures (:mod:`symdyn.contrastive.certified`).
"""

from __future__ import annotations

import numpy as np
import sympy

from .._budget import as_budget
from . import fixedpoints as fpm

__all__ = ["spec_G_S", "learnability_threshold"]


def spec_G_S(model, Q):
    """``G(Q)`` and ``S(Q)`` of the spec at ``R = 0`` as Gaussian-expectation nodes.

    ``G = E[s''(h1) s(h2) + s(h1) s''(h2) + 2 s'(h1) s'(h2)]`` and ``S`` the
    Delta term ``Delta E[s'' s + s s'' + 2 rho s' s']`` (additive; 0 for resample),
    with ``(h1, h2)`` centred Gaussian of variance ``V`` and covariance ``K``.

    Parameters
    ----------
    model : ContrastiveModel
    Q : SymPy expression (usually the state symbol ``Q_{1,1}``)

    Returns
    -------
    ``(G, S)`` : SymPy expressions (nodes; closed forms after ``doit()`` for erf)
    """
    from ._nodes import Gaussian

    x1, x2 = sympy.symbols("x_1 x_2", real=True)
    s = model.sigma
    v = s.variables[0]
    d0 = lambda x: s.expr.subs(v, x)  # noqa: E731
    d1 = lambda x: sympy.diff(s.expr, v).subs(v, x)  # noqa: E731
    d2 = lambda x: sympy.diff(s.expr, v, 2).subs(v, x)  # noqa: E731
    Delta, rho = model.Delta, model.rho
    if model.augmentation == "additive":
        V, K = (1 + Delta) * Q, (1 + rho * Delta) * Q
    else:
        V, K = Q, rho * Q
    gauss = Gaussian([x1, x2], [0, 0], [[V, K], [K, V]])
    G = gauss.expect(d2(x1) * d0(x2) + d0(x1) * d2(x2) + 2 * d1(x1) * d1(x2))
    if model.augmentation == "additive":
        S = Delta * gauss.expect(d2(x1) * d0(x2) + d0(x1) * d2(x2) + 2 * rho * d1(x1) * d1(x2))
    else:
        S = sympy.S.Zero
    return G, S


def _value_at(expr, symbol, value: float) -> float:
    """Float value of ``expr`` (Gaussian nodes allowed) at ``symbol = value``.

    The symbol stays an argument of the generated function, so the nodes go
    through their compiled quadrature (``_imp_``); a constant expression
    would be printed through ``evalf`` -- 2-D mpmath quadrature.
    """
    from .._codegen import lambdify_modules

    f = sympy.lambdify([symbol], sympy.S(expr), modules=lambdify_modules())
    return float(np.asarray(f(float(value)), dtype=float))


def _direction(G):
    if G > 0:
        return "learnable iff <c^2> > threshold"
    if G < 0:
        return "learnable iff <c^2> < threshold"
    return "G(Q*) = 0: no threshold"  # pragma: no cover - degenerate


def learnability_threshold(model, system=None, *, budget: float | None = 60.0, confirm_digits: int | None = None,
                           confirm_budget: float | None = 300.0, certify: bool = False) -> dict:
    """``Q*``, ``G(Q*)``, ``S(Q*)``, the R-eigenvalue and the threshold on ``<c^2>``.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, one neuron (``d2 = 1``); any ``d`` (the eigenvalue is
        reported per feature).
    system : ODESystem, optional
        ``fixedpoints.contrastive_system(model)`` if already built.
    budget : float or None
        Seconds for the numerical ``Q*`` scan.
    confirm_digits : int or None
        Opt-in high-precision cross-check (e.g. 25): ``Q*``, ``G``, ``S`` and
        the threshold recomputed with ``confirm_digits``-digit quadrature of
        the same symbolic expressions; result under ``"high_precision"``.
    confirm_budget : float or None
        Seconds for that cross-check.
    certify : bool
        Also compute rigorous enclosures (requires node-free right-hand
        sides, e.g. ``erf``); result under ``"certified"``; ``level`` becomes
        ``certified`` when it succeeds.

    Returns
    -------
    dict
        ``Q_star``, ``Q_star_level``, ``G``, ``S``, ``threshold_c2``,
        ``direction``, ``eigenvalue_formula`` (per feature),
        ``eigenvalue_jacobian`` (diagonal of the compiled Jacobian's R block),
        ``uninformative`` (:class:`~symdyn.contrastive.fixedpoints.FixedPointInfo`),
        ``level``, ``seconds`` and optionally ``high_precision`` /
        ``certified``.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, learnability_threshold
    >>> th = learnability_threshold(ContrastiveModel(activation=sympy.erf, Delta=0.5, rho=-1))
    >>> th["direction"], th["level"]
    ('learnable iff <c^2> > threshold', 'numerical')
    >>> 0 < th["threshold_c2"] < 5
    True
    """
    clock = as_budget(None, "learnability threshold")
    system = fpm.contrastive_system(model) if system is None else system
    uni = fpm.uninformative_state(model, system, budget=budget)
    states = fpm._states(system)
    Qs = states[model.d * model.d2]
    q = float(uni.values[model.d * model.d2])
    G, S = spec_G_S(model, Qs)
    Gv = _value_at(G, Qs, q)
    Sv = _value_at(S, Qs, q)
    tau, beta = float(model.tau), float(model.beta)
    m2s = [float(law.second_moment) for law in model.laws]
    predicted = [tau * (m2 * Gv + Sv - beta) for m2 in m2s]
    J = fpm.fast_field(system).J(uni.values)
    jac_eigs = [float(J[k, k]) for k in range(model.d)]
    threshold = (beta - Sv) / Gv if Gv != 0 else float("nan")
    out = {
        "Q_star": q, "Q_star_level": uni.level, "Q_star_exact": uni.exact,
        "G": Gv, "S": Sv, "threshold_c2": threshold, "direction": _direction(Gv),
        "eigenvalue_formula": predicted, "eigenvalue_jacobian": jac_eigs,
        "uninformative": uni, "level": uni.level,
    }
    if confirm_digits is not None:
        out["high_precision"] = _high_precision(model, system, uni, G, S, Qs, q, Gv, Sv, threshold,
                                                confirm_digits, confirm_budget)
    if certify:
        from .certified import certified_threshold

        cert = certified_threshold(model, system)
        out["certified"] = cert
        out["level"] = "certified"
    out["seconds"] = clock.elapsed()
    return out


def _high_precision(model, system, uni, G, S, Qs, q, Gv, Sv, threshold, digits, budget) -> dict:
    """The cross-check of the float route with ``digits``-digit quadrature (same symbolic objects)."""
    from .highprec import hp_value

    budget = as_budget(budget, "high-precision threshold cross-check")
    _, f = fpm.q_equation(model, system)
    n_R = model.d * model.d2
    conf = fpm.confirm_q_star(f, Qs, q, fld=fpm.fast_field(system), n_R=n_R, digits=digits,
                              budget=budget.remaining() if budget.seconds is not None else None)
    qh = conf["Q_star"]
    Gh, eG = hp_value(G, {Qs: qh}, digits=digits, budget=budget.remaining() if budget.seconds is not None else None)
    if S == 0:
        Sh, eS = sympy.Float(0), 0.0
    else:
        Sh, eS = hp_value(S, {Qs: qh}, digits=digits, budget=budget.remaining() if budget.seconds is not None else None)
    beta = sympy.S(model.beta)
    th = (beta - Sh) / Gh
    diffs = {"Q_star": abs(q - float(qh)), "G": abs(Gv - float(Gh)), "S": abs(Sv - float(Sh)),
             "threshold_c2": abs(threshold - float(th))}
    return {
        "digits": digits, "Q_star": sympy.sstr(sympy.Float(qh, digits)), "G": sympy.sstr(sympy.Float(Gh, digits)),
        "S": sympy.sstr(sympy.Float(Sh, digits)), "threshold_c2": sympy.sstr(sympy.Float(th, digits)),
        "float_minus_hp": diffs, "max_difference": max(diffs.values()),
        "agrees_to_1e-9": bool(max(diffs.values()) < 1e-9),
        "quadrature_error_estimate": max(conf["quadrature_error_estimate"], eG, eS),
        "secant_converged": conf["converged"], "seconds": budget.elapsed(),
        "method": f"nested trapezoid sums in arb at {digits + 12} digits, step halved until successive sums agree",
    }
