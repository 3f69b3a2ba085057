"""High-precision values of expressions with Gaussian-expectation nodes.

:func:`hp_value` substitutes numbers, evaluates every
:class:`~symdyn.contrastive._nodes.GaussExpectation` node with
:func:`symdyn._hpquad.hp_gaussian_expectations` (nodes over the same Gaussian
share one set of points) and the rest of the expression with SymPy at the
same precision.  It is the opt-in >= 25-digit reference for the numerical
(``tanh``) route; it is never called by default.
"""

from __future__ import annotations

import sympy

from .._budget import as_budget

__all__ = ["hp_value"]


def hp_value(expr, subs=None, *, digits: int = 25, budget=120.0) -> tuple:
    """``(value, error_estimate)`` of ``expr`` after ``subs`` (all symbols must get numbers).

    Parameters
    ----------
    expr : SymPy expression, possibly with Gaussian-expectation nodes (1 or 2 variables)
    subs : dict Symbol -> number
    digits : int
        Target significant digits (>= 10).
    budget : float or None
        Seconds for all the quadratures together.

    Returns
    -------
    ``(sympy.Float, float)``: the value at ``digits + 5`` digits and the
    nodes' estimated errors propagated to first order (an estimate, see
    :mod:`symdyn._hpquad`).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive._nodes import Gaussian
    >>> from symdyn.contrastive.highprec import hp_value
    >>> x, Q = sympy.symbols("x Q", real=True)
    >>> e = 2 * Gaussian([x], [0], [[Q]]).expect(x**2 * sympy.tanh(x)**2) - Q
    >>> v, err = hp_value(e, {Q: sympy.Rational(1, 2)}, digits=20)
    >>> abs(v - sympy.Float("0.0983063039256059089946782402498", 30)) < 1e-20, err < 1e-18
    (True, True)
    """
    from .._hpquad import hp_gaussian_expectations
    from ._nodes import GaussExpectation

    budget = as_budget(budget, "high-precision node evaluation")
    from .._sympify import as_expr
    from .._validation import check_cap, check_int

    check_cap("digits", check_int("digits", digits, low=10), "hp_digits",
              what="digits of high-precision quadrature")  # also when the expression has no node
    e = as_expr(expr, "expr")  # never parses a string
    if subs:
        e = e.xreplace({k: as_expr(v, f"subs[{k}]") for k, v in subs.items()})
    nodes = sorted(e.atoms(GaussExpectation), key=sympy.default_sort_key)
    groups: dict = {}
    for node in nodes:
        key = tuple(node.args[1:])
        for a in key:
            if not a.is_number:
                raise ValueError(f"node argument {a} is not a number: give values for {sorted(map(str, a.free_symbols))}")
        groups.setdefault((node.n, key), []).append(node)
    rep, errs = {}, {}
    for (n, key), group in groups.items():
        g = group[0]
        left = budget.remaining() if budget.seconds is not None else None
        vals = hp_gaussian_expectations([nd.integrand for nd in group], g.gaussian().variables,
                                        g.mean, g.cov.tolist(), digits=digits, budget=left)
        for nd, (v, dv) in zip(group, vals):
            rep[nd] = sympy.Float(v, digits + 5)
            errs[nd] = dv * max(1.0, abs(float(v)))  # dv is relative to max(1, |value|)
    # first-order propagation of the node errors through the (polynomial) outer expression
    dummies = {nd: sympy.Dummy() for nd in nodes}
    outer = e.xreplace(dummies)
    at = {dummies[nd]: rep[nd] for nd in nodes}
    err = 0.0
    for nd in nodes:
        slope = sympy.diff(outer, dummies[nd]).xreplace(at).evalf(15)
        err += abs(complex(slope)) * errs[nd]
    rest = e.xreplace(rep)
    if rest.free_symbols:
        raise ValueError(f"free symbols left: {sorted(map(str, rest.free_symbols))}")
    return sympy.Float(rest.evalf(digits + 5), digits + 5), err
