"""High-precision Gaussian expectations (1 or 2 variables) with a time budget.

``E[f_k(h)]``, ``h ~ N(mean, cov)``, for several integrands at once, by the
trapezoidal rule in standardised coordinates ``h = mean + L z`` on the disc
``|z| <= W`` (``W`` chosen so the Gaussian tail is below the target), evaluated
in python-flint ``arb`` at ``digits + 12`` digits.  For integrands analytic
in a strip around the real axis (``tanh``, ``erf``, polynomials times those)
the trapezoidal error decays like ``exp(-c / step)``, so each halving of the
step roughly doubles the number of correct digits; the step is halved (the
grid is nested, earlier points are reused) until two successive sums agree
to ``10**-(digits + 2)`` relative to ``max(1, |E|)``.  The last difference is
used for the error estimate (its square: the digits double).  This is a *numerical* high-precision
reference (the agreement of successive step sizes is evidence, not a
rigorous bound); it replaces 2-D ``mpmath.quad`` (about 20 s for one
``tanh`` node at 20 digits) by about a second per Gaussian.
"""

from __future__ import annotations

import math

import mpmath
import sympy

from ._arb import UnsupportedNode, arb_compile, binary_to_arb
from ._budget import as_budget
from ._sympify import as_expr
from ._validation import check_cap

__all__ = ["hp_gaussian_expectations"]


def _sqrt_factor(cov, dps):
    """``L`` with ``L L^T = cov`` (mpmath, symmetric eigen-decomposition)."""
    n = len(cov)
    with mpmath.workdps(dps):
        C = mpmath.matrix([[mpmath.mpf(sympy.Float(as_expr(cov[i][j], f"cov[{i}][{j}]"), dps)._mpf_) for j in range(n)]
                           for i in range(n)])
        E, U = mpmath.eigsy(C)
        scale = max(1, max(abs(E[i]) for i in range(n)))
        if min(E[i] for i in range(n)) < -mpmath.mpf(10) ** (-(dps // 2)) * scale:
            raise ValueError(f"covariance is not positive semi-definite (eigenvalues {[float(E[i]) for i in range(n)]})")
        return [[U[i, j] * mpmath.sqrt(max(E[j], 0)) for j in range(n)] for i in range(n)]


def hp_gaussian_expectations(integrands, variables, mean, cov, *, digits: int = 30, budget=60.0,
                             max_halvings: int = 8) -> list:
    """High-precision ``[E[f(h)] for f in integrands]``, ``h ~ N(mean, cov)``, ``n <= 2``.

    Parameters
    ----------
    integrands : sequence of SymPy expressions in ``variables``
        Functions must have ball versions (:func:`symdyn._arb.arb_supported`);
        Floats are read as their binary values.
    variables : sequence of Symbol (1 or 2)
    mean, cov : numbers (exact or float), ``cov`` positive semi-definite
    digits : int
        Target number of correct significant digits (>= 10).
    budget : float or None
        Seconds before :class:`~symdyn._budget.BudgetExceeded` is raised.

    Returns
    -------
    list of ``(value, error_estimate)``: ``mpmath.mpf`` at ``digits + 5``
    digits and the estimated error (square of the difference of the last two
    step sizes, relative to ``max(1, |value|)``; a float).

    Examples
    --------
    >>> import sympy
    >>> from symdyn._hpquad import hp_gaussian_expectations
    >>> x = sympy.Symbol("x")
    >>> [(v, err)] = hp_gaussian_expectations([x**4], [x], [0], [[2]], digits=25)
    >>> abs(v - 12) < 1e-25, err < 1e-25
    (True, True)
    """
    from flint import arb, ctx

    variables = tuple(variables)
    n = len(variables)
    if n not in (1, 2):
        raise ValueError(f"hp_gaussian_expectations supports 1 or 2 variables, got {n}")
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 10:
        raise ValueError(f"digits must be an integer >= 10, got {digits!r}")
    check_cap("digits", digits, "hp_digits", what="digits of high-precision quadrature")
    budget = as_budget(budget, "high-precision Gaussian quadrature")
    integrands = [as_expr(f, f"integrands[{i}]") for i, f in enumerate(integrands)]  # never parsed
    dps = digits + 12
    prec = int(dps * 3.33) + 8
    L = _sqrt_factor(cov, dps)
    W = math.sqrt(2 * (digits + 6) * math.log(10)) + 0.5  # Gaussian tail below 10^-(digits+6)
    try:
        f = arb_compile(list(integrands), list(variables), floats="binary")
    except UnsupportedNode as exc:
        raise ValueError(f"an integrand has no ball (arb) version: {exc}") from None
    k = len(integrands)
    old = ctx.prec
    try:
        ctx.prec = prec
        m = [binary_to_arb(sympy.Float(as_expr(v, f"mean[{i}]"), dps)) for i, v in enumerate(mean)]
        La = [[binary_to_arb(L[i][j]) for j in range(n)] for i in range(n)]
        norm = (2 * arb.pi()) ** (-arb(n) / 2)

        step = 0.5
        total = [arb(0)] * k  # sum over all grid points so far (weights without the step^n factor)
        seen = set()
        prev = None
        thr = 10.0 ** (-(digits + 2))
        for level in range(max_halvings + 1):
            N = int(math.ceil(W / step))
            s = arb(step)
            coord = {i: s * i for i in range(-N, N + 1)}
            w1 = {i: (-(c * c) / 2).exp() for i, c in coord.items()}
            Lz = [[{i: La[r][j] * c for i, c in coord.items()} for j in range(n)] for r in range(n)]
            if n == 1:
                grid = [(i,) for i in range(-N, N + 1)]
            else:
                grid = [(i, j) for i in range(-N, N + 1) for j in range(-N, N + 1)
                        if (i * i + j * j) * step * step <= W * W]
            unit = 1 << (max_halvings - level)
            count = 0
            for g in grid:
                key = tuple(x * unit for x in g)
                if key in seen:
                    continue
                seen.add(key)
                count += 1
                if count % 2048 == 0:
                    budget.check(f"step {step:g}, {len(seen)} points")
                h = [m[r] + sum((Lz[r][j][g[j]] for j in range(n)), arb(0)) for r in range(n)]
                w = w1[g[0]] if n == 1 else w1[g[0]] * w1[g[1]]
                vals = f(*h)
                total = [a + v * w for a, v in zip(total, vals)]
            values = [t * s ** n * norm for t in total]
            if prev is not None:
                diffs = [abs(float((v - p).mid())) for v, p in zip(values, prev)]
                scale = [max(1.0, abs(float(v.mid()))) for v in values]
                # geometric convergence: each halving about doubles the correct digits, so the
                # error of the finer sum is about (difference of the last two)^2
                est = [dv * dv / sc for dv, sc in zip(diffs, scale)]
                if all(dv <= 1e-6 * sc and e <= thr * sc for dv, e, sc in zip(diffs, est, scale)):
                    out = []
                    with mpmath.workdps(digits + 5):
                        for v, e in zip(values, est):
                            out.append((mpmath.mpf(v.mid().str(digits + 8, radius=False)), e))
                    return out
            prev = values
            step /= 2
        raise ValueError(f"the trapezoidal sums did not settle to {digits} digits after {max_halvings} halvings")
    finally:
        ctx.prec = old
