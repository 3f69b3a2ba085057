"""Certified zeros of SymPy systems and their linear stability, in ``arb`` ball arithmetic.

:func:`krawczyk_zero` proves that ``F(x) = 0`` has exactly one solution in
a small box around an approximate zero, with the Krawczyk operator

    ``K(X) = x~ - Y F(x~) + (I - Y J(X)) (X - x~)``,

``x~`` the (refined) midpoint, ``Y`` an approximate inverse of ``J(x~)`` and
``J(X)`` the Jacobian evaluated over the whole box in ball arithmetic.  If
``K(X)`` lies in the interior of ``X`` then ``X`` contains a unique zero and
``K(X) ∩ X`` encloses it (Krawczyk 1969; Moore).  Every evaluation goes
through :func:`symdyn._arb.arb_compile` of the *symbolic* right-hand side,
so any system whose right-hand side has ball enclosures (closed forms: erf,
polynomials, exp, the bivariate normal CDF) can be certified this way.

:func:`certified_stability` encloses the Jacobian over the zero's box
(``arb_mat``), its characteristic polynomial (``arb_mat.charpoly``) and
counts roots with positive real part by the Routh array in ball arithmetic;
the count is valid for every matrix in the box, so for the true Jacobian.
Eigenvalue enclosures (``acb_mat.eig``, rigorous for simple eigenvalues)
are returned as figures.

Examples
--------
>>> import sympy
>>> from symdyn._krawczyk import krawczyk_zero, certified_stability
>>> x, y = sympy.symbols("x y")
>>> F = [x**2 + y**2 - 1, x - y]
>>> z = krawczyk_zero(F, [x, y], [0.7, 0.7])
>>> z.contains_point([sympy.sqrt(2) / 2, sympy.sqrt(2) / 2]), z.radius < 1e-30
(True, True)
>>> certified_stability([-x - y**3, -2 * y + x], [x, y], krawczyk_zero([-x - y**3, -2 * y + x], [x, y], [0.1, 0.0])).kind
'sink'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

__all__ = ["Enclosure", "Stability", "KrawczykFailed", "krawczyk_zero", "certified_stability",
           "routh_unstable_count_arb", "ball_str"]


class KrawczykFailed(ValueError):
    """The Krawczyk test did not prove a unique zero near the given point."""


def ball_str(b, digits: int = 20) -> str:
    """``'mid +/- rad'`` of an ``arb`` with ``digits`` significant digits."""
    return b.str(digits, radius=True)


@dataclass
class Enclosure:
    """A box that provably contains exactly one zero of the system.

    Attributes
    ----------
    states : tuple of Symbol
    box : list of flint.arb
        One ball per state (``K(X) ∩ X``).
    prec : int
        Working precision (bits).
    radius : float
        Largest ball radius (upper bound, a float).
    iterations : int
        Krawczyk attempts used.
    """

    states: tuple
    box: list
    prec: int
    radius: float
    iterations: int = 1
    exprs: list = field(default_factory=list, repr=False)

    def mid(self) -> list:
        return [float(b.mid()) for b in self.box]

    def as_dict(self, digits: int = 20) -> dict:
        return {str(s): ball_str(b, digits) for s, b in zip(self.states, self.box)}

    def contains_point(self, point) -> bool:
        """Whether every ball contains the corresponding exact number (SymPy / rational)."""
        from flint import arb, ctx

        old = ctx.prec
        ctx.prec = self.prec + 64
        try:
            for b, p in zip(self.box, point):
                v = sympy.S(p)
                from ._arb import arb_eval

                pb = arb_eval(v, {}, prec=self.prec + 64) if not v.is_Float else arb(float(v))
                if not b.contains(pb):
                    return False
            return True
        finally:
            ctx.prec = old


def _rationalize(expr):
    """Floats in ``expr`` (e.g. from numeric parameters) replaced by the exact binary rationals they are."""
    expr = sympy.S(expr)
    floats = expr.atoms(sympy.Float)
    if not floats:
        return expr
    from fractions import Fraction

    return expr.xreplace({f: sympy.Rational(Fraction(float(f))) for f in floats})


def _off_zero(b):
    """The same interval (or a slightly larger one) as a ball whose midpoint is not exactly 0.

    python-flint 0.9 returns ``nan`` for ``arb(0, r) ** n`` (a ball centred
    exactly at 0 raised to an integer power), which would make every
    polynomial term in ``R`` non-finite at ``R = 0``; shifting the midpoint
    by a tiny amount (and widening the radius by the same amount) keeps the
    enclosure valid and the powers finite.
    """
    from flint import arb

    if b.mid() != 0 or b.rad() == 0:
        return b
    eps = arb(2) ** -1100
    return arb(eps.mid(), float(b.rad()) * (1 + 2.0 ** -40) + 2.0 ** -1000)


def _compile(exprs, states, values):
    from ._arb import arb_compile

    values = dict(values or {})
    extra = tuple(values)
    exprs = [_rationalize(e) for e in exprs]
    tape = arb_compile(exprs, tuple(states) + extra)
    vals = [values[s] for s in extra]

    def call(*x, prec):
        return tape(*[_off_zero(v) for v in x], *vals, prec=prec)

    return call, exprs


def _point(v):
    """An exact rational (``fmpq``) for a float / SymPy number / arb midpoint."""
    from fractions import Fraction

    from flint import arb, fmpq

    if isinstance(v, arb):
        v = v.mid()
        man, exp = v.man_exp()
        man, exp = int(man), int(exp)
        return fmpq(man * 2 ** exp) if exp >= 0 else fmpq(man, 2 ** (-exp))
    fr = Fraction(float(v)) if not isinstance(v, sympy.Basic) else Fraction(str(sympy.nsimplify(v))) \
        if v.is_Rational else Fraction(float(v))
    return fmpq(fr.numerator, fr.denominator)


def krawczyk_zero(exprs, states, guess, *, values=None, jacobian=None, prec: int = 192, rel_radius: float = 1e-6,
                  newton_steps: int = 40, attempts: int = 6) -> Enclosure:
    """Enclose the unique zero of ``exprs`` (in ``states``) near ``guess``.

    Parameters
    ----------
    exprs : sequence of SymPy expressions
        The right-hand side; its functions must have ball versions
        (:mod:`symdyn._arb`); Floats are read as the exact binary rationals.
    states : sequence of Symbol
    guess : sequence of numbers
        An approximate zero (floats are fine: it is refined by Newton's
        method at ``prec`` bits before the test).
    values : dict, optional
        Exact values (rationals / ``arb``) of any other symbols.
    jacobian : SymPy Matrix, optional
        ``d exprs / d states`` if already available.
    prec : int
        Working precision in bits.
    rel_radius : float
        Initial box half-width relative to the last Newton correction (and at
        least ``2^(-prec/2)``); doubled on failure, ``attempts`` times.

    Returns
    -------
    Enclosure

    Raises
    ------
    KrawczykFailed
        When no attempt proves a unique zero (e.g. a singular Jacobian, or
        the guess is not near a zero).
    """
    from flint import arb, arb_mat, ctx

    states = tuple(states)
    n = len(states)
    exprs = [sympy.S(e) for e in exprs]
    if len(exprs) != n:
        raise ValueError(f"need as many expressions as states ({n}), got {len(exprs)}")
    J = sympy.Matrix(exprs).jacobian(states) if jacobian is None else sympy.Matrix(jacobian)
    F, exprs_r = _compile(exprs, states, values)
    Jf, _ = _compile(list(J), states, values)
    old = ctx.prec
    ctx.prec = prec
    try:
        x = [arb(_point(g)) for g in guess]
        last = None
        for _ in range(newton_steps):
            Fx = F(*x, prec=prec)
            Jx = arb_mat(n, n, Jf(*x, prec=prec))
            try:
                dx = Jx.solve(arb_mat(n, 1, [-v for v in Fx]))
            except ZeroDivisionError:
                raise KrawczykFailed("the Jacobian is numerically singular at the Newton iterate") from None
            x = [arb(_point(x[i] + dx[i, 0])) for i in range(n)]
            step = max(abs(float(dx[i, 0].mid())) for i in range(n))
            last = step
            if step < 2.0 ** (-prec + 16) * max(1.0, max(abs(float(v.mid())) for v in x)):
                break
        # approximate inverse of J at the midpoint (midpoints only: any matrix works in Krawczyk)
        Jx = arb_mat(n, n, [arb(v.mid()) for v in Jf(*x, prec=prec)])
        try:
            Ym = Jx.inv()
        except ZeroDivisionError:
            raise KrawczykFailed("the Jacobian is singular at the zero") from None
        Y = arb_mat(n, n, [arb(Ym[i, j].mid()) for i in range(n) for j in range(n)])
        Fx = arb_mat(n, 1, F(*x, prec=prec))
        base = max(last or 0.0, 2.0 ** (-prec / 2))
        r = base / rel_radius * 1e-6 if rel_radius else base
        r = max(r, 2.0 ** (-prec / 2))
        I = arb_mat(n, n, [1 if i == j else 0 for i in range(n) for j in range(n)])
        for attempt in range(1, attempts + 1):
            rad = arb(0, r) if False else arb(0).union(arb(r)).union(arb(-r))
            X = [x[i] + rad for i in range(n)]
            JX = arb_mat(n, n, Jf(*X, prec=prec))
            D = arb_mat(n, 1, [X[i] - x[i] for i in range(n)])
            K = arb_mat(n, 1, x) - Y * Fx + (I - Y * JX) * D
            if all(X[i].contains_interior(K[i, 0]) for i in range(n)):
                box = [K[i, 0].intersection(X[i]) for i in range(n)]
                radius = max(float(b.rad()) for b in box)
                return Enclosure(states, box, prec, radius, attempt, exprs_r)
            r *= 16
        raise KrawczykFailed(f"the Krawczyk test failed {attempts} times near {[float(v.mid()) for v in x]}")
    finally:
        ctx.prec = old


@dataclass
class Stability:
    """Certified linear stability of a zero (valid for every point of its box).

    Attributes
    ----------
    kind : str
        ``sink``, ``source``, ``saddle``, or ``undecided`` (a Routh pivot not
        provably non-zero: then nothing is claimed).
    unstable_dim : int or None
    charpoly : list of str
        Coefficient enclosures (highest degree first).
    eigenvalues : list of str or None
        ``acb_mat.eig`` enclosures (simple eigenvalues), ``None`` if that failed.
    eigenvalue_real_parts : list of (float, float) or None
        Certified lower/upper bounds of each real part.
    """

    kind: str
    unstable_dim: int | None
    charpoly: list
    eigenvalues: list | None = None
    eigenvalue_real_parts: list | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "unstable_dim": self.unstable_dim, "charpoly": self.charpoly,
                "eigenvalues": self.eigenvalues, "eigenvalue_real_parts": self.eigenvalue_real_parts}


def _sign(b) -> int:
    if b > 0:
        return 1
    if b < 0:
        return -1
    return 0


def routh_unstable_count_arb(coeffs):
    """Roots with positive real part for every polynomial in the ball coefficients (highest first).

    ``None`` when a first-column entry of the Routh array is not provably
    non-zero; a completed array also proves no root is on the imaginary axis.
    """
    from flint import arb

    n = len(coeffs) - 1
    if n == 0:
        return 0
    r0 = list(coeffs[0::2])
    r1 = list(coeffs[1::2])
    width = len(r0)
    r1 += [arb(0)] * (width - len(r1))
    first = [r0[0], r1[0]]
    if _sign(r0[0]) == 0 or _sign(r1[0]) == 0:
        return None
    rows = [r0, r1]
    for _ in range(n - 1):
        a, b = rows[-2], rows[-1]
        new = [(b[0] * a[j + 1] - a[0] * b[j + 1]) / b[0] for j in range(width - 1)] + [arb(0)]
        if _sign(new[0]) == 0:
            return None
        rows.append(new)
        first.append(new[0])
    signs = [_sign(v) for v in first[: n + 1]]
    return sum(1 for s, t in zip(signs, signs[1:]) if s != t)


def certified_stability(exprs, states, enclosure: Enclosure, *, values=None, jacobian=None) -> Stability:
    """Routh count (and eigenvalue enclosures) of the Jacobian over ``enclosure``'s box."""
    from flint import acb_mat, arb_mat, ctx

    states = tuple(states)
    n = len(states)
    J = sympy.Matrix([sympy.S(e) for e in exprs]).jacobian(states) if jacobian is None else sympy.Matrix(jacobian)
    Jf, _ = _compile(list(J), states, values)
    prec = enclosure.prec
    old = ctx.prec
    ctx.prec = prec
    try:
        JX = arb_mat(n, n, Jf(*enclosure.box, prec=prec))
        cp = JX.charpoly()
        coeffs = [cp[k] for k in range(n, -1, -1)]
        n_u = routh_unstable_count_arb(coeffs)
        if n_u is None:
            kind = "undecided"
        elif n_u == 0:
            kind = "sink"
        elif n_u == n:
            kind = "source"
        else:
            kind = "saddle"
        eig, re_parts = None, None
        try:
            ev = acb_mat(JX).eig()
            eig = [e.str(15, radius=True) for e in ev]
            import math

            re_parts = [(math.nextafter(float(e.real.lower()), -math.inf),
                         math.nextafter(float(e.real.upper()), math.inf)) for e in ev]
        except (ValueError, ZeroDivisionError):  # multiple / clustered eigenvalues: Routh still decides
            pass
        return Stability(kind, n_u, [ball_str(c, 15) for c in coeffs], eig, re_parts)
    finally:
        ctx.prec = old
