"""Lotka--Volterra predator--prey model x' = alpha x - beta x y, y' = delta x y - gamma y.

Claims checked (alpha, beta, gamma, delta > 0):

1. the fixed points are exactly (0, 0) and (gamma/delta, alpha/beta) -- from the
   exact (Gröbner basis) solver with *symbolic* parameters;
2. (0, 0) is a saddle and (gamma/delta, alpha/beta) is non-hyperbolic with
   characteristic polynomial lambda^2 + alpha gamma (a linear centre) -- exact
   classification on a grid of rational parameters, and the symbolic
   characteristic polynomial;
3. V = delta x - gamma log x + beta y - alpha log y is a first integral: its
   derivative along the flow simplifies to 0 exactly, and along the compiled
   LSODA integration its relative drift stays below ``tol`` (numerical figure).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy

from symdyn.odesystem import ODESystem
from symdyn.verdict import Stopwatch, Verdict

NAME = "textbook_lotka_volterra"
CLAIM = ("Lotka-Volterra has exactly the fixed points (0,0) (a saddle) and (gamma/delta, alpha/beta) "
         "(non-hyperbolic, eigenvalues +-i sqrt(alpha gamma)), and V = delta x - gamma log x + beta y - "
         "alpha log y is conserved.")

x, y = sympy.symbols("x y", positive=True)
alpha, beta, gamma, delta = sympy.symbols("alpha beta gamma delta", positive=True)
PARAMS = (alpha, beta, gamma, delta)
SYSTEM = ODESystem([x, y], [alpha * x - beta * x * y, delta * x * y - gamma * y], PARAMS, name="Lotka-Volterra")

TEXTBOOK_POINTS = ((0, 0), (gamma / delta, alpha / beta))
TEXTBOOK_KINDS = ("saddle", "non-hyperbolic")
TEXTBOOK_V = delta * x - gamma * sympy.log(x) + beta * y - alpha * sympy.log(y)


def evaluate(points=TEXTBOOK_POINTS, kinds=TEXTBOOK_KINDS, first_integral=TEXTBOOK_V, *,
             grid: Sequence = ((1, 1, 1, 1), (2, Fraction(1, 2), 3, 1), (Fraction(2, 3), Fraction(4, 3), 1, 1)),
             tol: float = 1e-7, t_end: float = 30.0) -> Verdict:
    """Check claimed ``points`` (symbolic), their ``kinds`` and the ``first_integral``."""
    if isinstance(first_integral, str):
        raise TypeError("first_integral must be a SymPy expression, not a string")
    with Stopwatch() as sw:
        problems = []
        found = SYSTEM.fixed_points()
        got = {tuple(sympy.simplify(c) for c in fp.values) for fp in found}
        want = {tuple(sympy.simplify(sympy.sympify(c)) for c in p) for p in points}
        points_ok = got == want
        if not points_ok:
            problems.append(f"fixed points {sorted(map(str, got))} != claimed {sorted(map(str, want))}")
        lam = sympy.Symbol("lambda")
        J = SYSTEM.jacobian()
        charpolys = []
        for p in points:
            M = J.xreplace(dict(zip(SYSTEM.states, [sympy.sympify(c) for c in p])))
            charpolys.append(sympy.factor(M.charpoly(lam).as_expr()))
        grid_rows = []
        for vals in grid:
            label = "(" + ", ".join(str(Fraction(v)) for v in vals) + ")"
            sub = {s: sympy.Rational(Fraction(val)) for s, val in zip(PARAMS, vals)}
            for p, kind in zip(points, kinds):
                pt = [sympy.sympify(c).xreplace(sub) for c in p]
                try:
                    c = SYSTEM.classify(pt, sub)
                except ValueError as exc:  # the claimed point is not an equilibrium
                    problems.append(f"at params {label} point {pt}: {exc}")
                    grid_rows.append((label, str(pt), "not an equilibrium", "proved"))
                    continue
                grid_rows.append((label, str(pt), c.kind, c.level))
                if c.kind != kind or c.level != "proved":
                    problems.append(f"at params {label} point {pt}: {c.kind} ({c.level}), claimed {kind}")
        dV = sum(sympy.diff(first_integral, s) * f for s, f in zip(SYSTEM.states, SYSTEM.rhs))
        dV_exact = sympy.simplify(dV)
        if dV_exact != 0:
            problems.append(f"dV/dt = {dV_exact} is not identically 0")
        Vnum = sympy.lambdify((x, y) + PARAMS, first_integral, "numpy")
        pvals = [2.0, 1.0, 3.0, 1.5]
        res = SYSTEM.integrate([1.0, 1.0], (0.0, t_end), pvals, t_eval=np.linspace(0, t_end, 601),
                               rtol=1e-11, atol=1e-13)
        V = Vnum(res.y[0], res.y[1], *pvals)
        drift = float(np.max(np.abs(V - V[0])) / abs(V[0]))
        if not res.success or not drift < tol:
            problems.append(f"relative drift of V along the integration {drift:.3g} >= {tol}")
    return Verdict(
        name=NAME, claim=CLAIM, passed=not problems, level="proved", seconds=sw.seconds,
        figures={
            "fixed_points": sorted(map(str, got)), "charpolys": [str(cp) for cp in charpolys],
            "dV_dt": str(dV_exact), "grid": grid_rows, "problems": problems,
            "first_integral_relative_drift": drift, "drift_level": "numerical", "tol": tol,
        },
    )


def run(full: bool = False) -> Verdict:
    grid = [(1, 1, 1, 1), (2, Fraction(1, 2), 3, 1), (Fraction(2, 3), Fraction(4, 3), 1, 1)]
    if full:
        grid += [(a, b, c, d) for a in (1, 3) for b in (Fraction(1, 3), 2) for c in (1, Fraction(5, 2)) for d in (1, 4)]
    return evaluate(grid=grid, t_end=100.0 if full else 30.0)
