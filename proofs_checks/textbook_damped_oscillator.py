"""Damped harmonic oscillator x'' + 2 zeta omega x' + omega^2 x = 0.

As the first-order system (x, v)' = (v, -2 zeta omega v - omega^2 x) the
origin is, for every omega > 0, a stable focus when 0 < zeta < 1 and a stable
node when zeta >= 1 (degenerate node at zeta = 1). The check classifies the
origin **exactly** (characteristic polynomial, Routh--Hurwitz count, Sturm
count of real roots) on a grid of rational (zeta, omega): level ``proved``.

As a consistency check of the generated code, the compiled system is integrated
with ``solve_ivp`` and compared with the textbook closed-form solution; that
agreement is a floating-point figure (``integration_max_error``, level
numerical) and must be below ``tol`` for the check to pass.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable, Sequence

import numpy as np
import sympy

from symdyn.odesystem import ODESystem
from symdyn.verdict import Stopwatch, Verdict

NAME = "textbook_damped_oscillator"
CLAIM = ("For x'' + 2 zeta omega x' + omega^2 x = 0 the origin is a stable focus for 0 < zeta < 1 and a "
         "stable node for zeta >= 1, and the compiled integration matches the closed-form solution.")

x, v = sympy.symbols("x v")
zeta, omega = sympy.symbols("zeta omega", positive=True)
SYSTEM = ODESystem([x, v], [v, -2 * zeta * omega * v - omega**2 * x], [zeta, omega], name="damped oscillator")


def textbook_subtype(z) -> str:
    """The textbook answer: focus below critical damping, node at and above it."""
    return "focus" if z < 1 else "node"


def closed_form(t, x0, v0, z: float, w: float):
    """Textbook solution x(t) of the damped oscillator (under-, critically and over-damped)."""
    t = np.asarray(t, dtype=float)
    if z < 1:
        wd = w * math.sqrt(1 - z * z)
        return np.exp(-z * w * t) * (x0 * np.cos(wd * t) + (v0 + z * w * x0) / wd * np.sin(wd * t))
    if z == 1:
        return (x0 + (v0 + w * x0) * t) * np.exp(-w * t)
    s = math.sqrt(z * z - 1)
    r1, r2 = -w * (z - s), -w * (z + s)
    c1 = (v0 - r2 * x0) / (r1 - r2)
    c2 = x0 - c1
    return c1 * np.exp(r1 * t) + c2 * np.exp(r2 * t)


def evaluate(zetas: Sequence, omegas: Sequence = (1,), *, expected: Callable = textbook_subtype,
             integrate_zetas: Sequence = (Fraction(1, 4), 1, 3), t_end: float = 10.0,
             tol: float = 1e-6) -> Verdict:
    """Check ``expected(zeta)`` (``'focus'``/``'node'``, kind ``'sink'``) on the grid.

    Parameters
    ----------
    zetas, omegas : sequences of positive rationals (int or Fraction)
    expected : callable zeta -> 'focus' or 'node'
        The hypothesis under test.
    integrate_zetas : zetas whose integration is compared with the closed form
    tol : maximal admitted absolute error of the integration
    """
    with Stopwatch() as sw:
        mismatches, table = [], []
        for w in omegas:
            for z in zetas:
                zq, wq = sympy.Rational(Fraction(z)), sympy.Rational(Fraction(w))
                if zq <= 0 or wq <= 0:
                    raise ValueError(f"zeta and omega must be positive, got zeta={z}, omega={w}")
                c = SYSTEM.classify([0, 0], {zeta: zq, omega: wq})
                if c.level != "proved":  # pragma: no cover - exact input always gives proved
                    mismatches.append((str(zq), str(wq), "not proved"))
                want = expected(Fraction(z))
                table.append((str(zq), str(wq), c.kind, c.subtype))
                if c.kind != "sink" or c.subtype != want:
                    mismatches.append((str(zq), str(wq), f"{c.kind}/{c.subtype}", f"claimed sink/{want}"))
        errors = {}
        t = np.linspace(0.0, t_end, 201)
        for z in integrate_zetas:
            zf, wf = float(Fraction(z)), 1.5
            res = SYSTEM.integrate([1.0, 0.5], (0.0, t_end), [zf, wf], t_eval=t, rtol=1e-10, atol=1e-12)
            errors[str(Fraction(z))] = float(np.max(np.abs(res.y[0] - closed_form(t, 1.0, 0.5, zf, wf))))
        max_err = max(errors.values()) if errors else 0.0
        passed = not mismatches and max_err < tol
    return Verdict(
        name=NAME, claim=CLAIM, passed=passed, level="proved", seconds=sw.seconds,
        figures={
            "grid_points": len(table), "mismatches": mismatches[:10], "n_mismatches": len(mismatches),
            "classification_level": "proved", "integration_level": "numerical",
            "integration_max_error": max_err, "integration_errors": errors, "tol": tol,
        },
    )


def run(full: bool = False) -> Verdict:
    n = 40 if full else 12
    zetas = sorted({Fraction(k, n // 4) for k in range(1, n + 1)} | {Fraction(1), Fraction(99, 100), Fraction(101, 100)})
    omegas = (1, Fraction(3, 2), 7) if full else (1, Fraction(3, 2))
    return evaluate(zetas, omegas)
