"""Period doubling in the logistic map x -> r x (1 - x).

Textbook answer: the fixed point x* = 1 - 1/r has multiplier 2 - r, so it loses
stability at r = 3 where the multiplier is -1 (a flip); the 2-cycle born there
is real exactly for r > 3 (the cycle points solve r^2 x^2 - r(r+1) x + (r+1) = 0,
discriminant r^2 (r+1)(r-3)) and has multiplier 4 + 2r - r^2, which equals -1 at
r = 1 + sqrt(6).

Everything is derived symbolically from the map, the bifurcation values are
solved exactly and compared with the claimed ones by exact equality, and the
fixed points of F (and of F o F for the cycle) are classified with the exact
unit-disk count at, just below and just above each claimed value: sink below,
non-hyperbolic at, source above (level ``proved``, algebraic numbers handled
exactly).
"""

from __future__ import annotations

import sympy

from symdyn.odesystem import MapSystem
from symdyn.verdict import Stopwatch, Verdict

NAME = "textbook_logistic_map"
CLAIM = ("The logistic map's fixed point 1 - 1/r loses stability exactly at r = 3 (multiplier -1), where a "
         "2-cycle is born that loses stability exactly at r = 1 + sqrt(6).")

x, r = sympy.symbols("x r")
MAP = MapSystem([x], [r * x * (1 - x)], [r], name="logistic")
F = MAP.rhs[0]
MAP2 = MapSystem([x], [F.xreplace({x: F})], [r], name="logistic, second iterate")

TEXTBOOK = (sympy.Integer(3), 1 + sympy.sqrt(6))


def _bracket(rv, eps):
    """Rationals lo < rv < hi with hi - lo <= 2 eps (decided exactly for algebraic rv)."""
    lo = sympy.Rational(sympy.floor(rv / eps)) * eps
    if sympy.simplify(rv - lo) == 0:
        lo -= eps
    hi = lo + 2 * eps if rv.is_Rational else lo + eps
    if not (sympy.simplify(rv - lo) > 0 and sympy.simplify(hi - rv) > 0):  # pragma: no cover
        raise ArithmeticError(f"could not bracket {rv}")
    return lo, hi


def _is_zero(e) -> bool:
    """Exact zero test of an algebraic number (its minimal polynomial is w)."""
    w = sympy.Symbol("w")
    return sympy.minimal_polynomial(e, w) == w


def _kinds_near(system, rv, eps, select):
    """Kinds of the selected fixed points just below rv, at rv and just above rv.

    "Just below/above" are rationals bracketing rv within ``eps`` (rational
    parameters keep the algebraic fixed points of low degree).
    """
    lo, hi = _bracket(rv, eps)
    out = []
    for val in (lo, rv, hi):
        fps = [fp for fp in system.fixed_points({r: val}, method="exact") if select(fp, val)]
        out.append(sorted({system.classify(fp, {r: val}).kind for fp in fps}))
    return out, (str(lo), str(hi))


def evaluate(claimed=TEXTBOOK, *, eps=sympy.Rational(1, 100)) -> Verdict:
    """Check the claimed (first, second) period-doubling values ``claimed``.

    Parameters
    ----------
    claimed : pair of exact SymPy numbers (or ints / Rationals)
    eps : exact offset of the "just below / just above" parameter values
    """
    r1, r2 = (sympy.sympify(c) if not isinstance(c, str) else None for c in claimed)
    if r1 is None or r2 is None:
        raise TypeError("claimed values must be numbers or SymPy expressions, not strings")
    with Stopwatch() as sw:
        problems = []
        # --- derivation: fixed point branch and its multiplier
        branch = [fp.values[0] for fp in MAP.fixed_points() if fp.values[0] != 0]
        mult1 = sympy.simplify(sympy.diff(F, x).xreplace({x: branch[0]}))
        flip1 = sympy.solve(sympy.Eq(mult1, -1), r)
        # --- 2-cycle: F(F(x)) - x divided by the fixed-point factor
        num = sympy.factor(sympy.numer(sympy.together(MAP2.rhs[0] - x)))
        cyc = sympy.Poly(sympy.quo(sympy.expand(num), sympy.expand(x * (r * x - r + 1)), x), x)
        disc = sympy.factor(cyc.discriminant())
        # cycle multiplier F'(p) F'(q) over the two roots: Res(A, B) = lc(A)^deg(B) prod_{A(p)=0} B(p)
        d = sympy.diff(F, x)
        mult2 = sympy.factor(sympy.resultant(cyc.as_expr(), d, x) / cyc.LC() ** sympy.degree(d, x))
        flip2 = sorted(sympy.solve(sympy.Eq(mult2, -1), r), key=lambda e: float(e))
        born = sorted(sympy.solve(disc, r), key=lambda e: float(e))
        derived_r1 = [s for s in flip1 if s > 1]
        derived_r2 = [s for s in flip2 if s > 3]
        if len(derived_r1) != 1 or sympy.simplify(derived_r1[0] - r1) != 0:
            problems.append(f"first flip derived at r = {derived_r1}, claimed {r1}")
        if len(derived_r2) != 1 or sympy.simplify(derived_r2[0] - r2) != 0:
            problems.append(f"2-cycle flip derived at r = {derived_r2}, claimed {r2}")
        if max(born) != r1:
            problems.append(f"2-cycle becomes real at r = {max(born)}, not at the claimed {r1}")
        # --- exact classification around the claimed values
        near1, around1 = _kinds_near(MAP, r1, eps, lambda fp, val: fp.values[0] != 0)
        if near1 != [["sink"], ["non-hyperbolic"], ["source"]]:
            problems.append(f"fixed point 1 - 1/r near r = {r1}: {near1}")

        def on_cycle(fp, val):  # fixed points of F o F that are not fixed points of F
            v = fp.values[0]
            return not _is_zero(v) and not _is_zero(val * v - val + 1)

        near2, around2 = _kinds_near(MAP2, r2, eps, on_cycle)
        if near2 != [["sink"], ["non-hyperbolic"], ["source"]]:
            problems.append(f"2-cycle (fixed points of F o F) near r = {r2}: {near2}")
    return Verdict(
        name=NAME, claim=CLAIM, passed=not problems, level="proved", seconds=sw.seconds,
        figures={
            "first_flip": ", ".join(str(s) for s in derived_r1), "second_flip": ", ".join(str(s) for s in derived_r2),
            "multiplier": str(mult1), "cycle_multiplier": str(mult2),
            "fixed_point": str(branch[0]), "cycle_polynomial": str(cyc.as_expr()), "cycle_discriminant": str(disc),
            "kinds_near_first": near1, "kinds_near_second": near2, "brackets": [around1, around2],
            "claimed": [str(r1), str(r2)], "problems": problems,
        },
    )


def run(full: bool = False) -> Verdict:
    return evaluate(TEXTBOOK, eps=sympy.Rational(1, 1000) if full else sympy.Rational(1, 100))
