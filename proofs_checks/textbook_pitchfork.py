"""Supercritical pitchfork x' = r x - x^3.

Textbook answer: for r < 0 the only equilibrium is x = 0, a sink; at r = 0 it is
non-hyperbolic; for r > 0 there are three equilibria, x = 0 (a source) and
x = +-sqrt(r) (sinks). The bifurcation is supercritical: the cubic normal-form
coefficient f'''(0)/6 = -1 is negative, so the branches born at r = 0 exist on
the side where the origin is unstable and are stable.

The check computes, for every r of a rational grid, the fixed points with the
exact solver and classifies each one exactly (level ``proved``), then compares
with a claimed table ``r -> list of (point kind)`` sorted by position. It also
derives the branches with r symbolic and the normal-form coefficient exactly.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Sequence

import sympy

from symdyn.odesystem import ODESystem
from symdyn.verdict import Stopwatch, Verdict

NAME = "textbook_pitchfork"
CLAIM = ("x' = r x - x^3 has one equilibrium (a sink) for r < 0 and three for r > 0 (source at 0, sinks "
         "at +-sqrt(r)); the pitchfork at r = 0 is supercritical.")

x, r = sympy.symbols("x r", real=True)
SYSTEM = ODESystem([x], [r * x - x**3], [r], name="pitchfork")


def textbook_kinds(rv) -> list[str]:
    """Kinds of the equilibria sorted by position, as the textbook states them."""
    if rv < 0:
        return ["sink"]
    if rv == 0:
        return ["non-hyperbolic"]
    return ["sink", "source", "sink"]


def evaluate(rs: Sequence, expected: Callable = textbook_kinds, *, supercritical: bool = True) -> Verdict:
    """Compare the exact equilibria and their classification with ``expected(r)``.

    Parameters
    ----------
    rs : rationals (int or Fraction)
    expected : callable r -> list of kinds sorted by position
    supercritical : the claimed criticality of the bifurcation at r = 0
    """
    with Stopwatch() as sw:
        problems, rows = [], []
        for rv in rs:
            rq = sympy.Rational(Fraction(rv))
            fps = SYSTEM.fixed_points({r: rq}, method="exact")
            kinds = []
            for fp in fps:
                c = SYSTEM.classify(fp, {r: rq})
                if c.level != "proved":  # pragma: no cover
                    problems.append(f"r={rq}: classification not proved")
                kinds.append(c.kind)
            rows.append((str(rq), [str(fp.values[0]) for fp in fps], kinds))
            want = list(expected(Fraction(rv)))
            if kinds != want:
                problems.append(f"r={rq}: equilibria {rows[-1][1]} are {kinds}, claimed {want}")
        # symbolic branches and their stability: f'(x) at x = +-sqrt(r) is -2 r
        branches = [fp.values[0] for fp in SYSTEM.fixed_points()]
        fprime = sympy.diff(SYSTEM.rhs[0], x)
        slopes = {str(b): sympy.simplify(fprime.xreplace({x: b})) for b in branches}
        c3 = sympy.diff(SYSTEM.rhs[0], x, 3).xreplace({x: 0}) / 6
        is_super = bool(c3 < 0)
        if is_super != supercritical:
            problems.append(f"normal-form coefficient {c3}: supercritical={is_super}, claimed {supercritical}")
    return Verdict(
        name=NAME, claim=CLAIM, passed=not problems, level="proved", seconds=sw.seconds,
        figures={"r_values": len(rows), "n_problems": len(problems), "grid": rows, "branches": sorted(slopes), "branch_slopes": slopes,
                 "normal_form_coefficient": str(c3), "problems": problems},
    )


def run(full: bool = False) -> Verdict:
    n = 25 if full else 6
    rs = sorted({Fraction(k, 4) for k in range(-n, n + 1)} | {Fraction(-1, 1000), Fraction(1, 1000)})
    return evaluate(rs)
