"""Rigorous interval evaluation (``mpmath.iv``) of SymPy expressions and root counts.

Only functions with rigorous interval versions are accepted (``sin``, ``cos``,
``tan``, ``exp``, ``log``, powers, and ``sinh``/``cosh``/``tanh`` through
``exp``); everything else makes :func:`supported` return ``False`` so callers
fall back to another method instead of producing a non-rigorous enclosure.
"""

from __future__ import annotations

import mpmath
import sympy

__all__ = ["supported", "lambdify_iv", "interval_charpoly", "routh_unstable_count", "mobius_to_half_plane"]

IV_FUNCS = (sympy.sin, sympy.cos, sympy.tan, sympy.exp, sympy.log, sympy.tanh, sympy.sinh, sympy.cosh)


def supported(exprs) -> bool:
    """Whether every function in ``exprs`` has a rigorous interval version here."""
    for e in exprs:
        e = sympy.sympify(e) if not isinstance(e, sympy.Basic) else e
        for f in e.atoms(sympy.Function):
            if f.func not in IV_FUNCS:
                return False
    return True


def _namespace():
    from mpmath import iv

    return {
        "mpf": lambda v: iv.mpf(mpmath.mpf(v)),  # exact binary constants; Rationals become mpf(p)/mpf(q)
        "sin": iv.sin, "cos": iv.cos, "tan": iv.tan, "exp": iv.exp, "log": iv.log, "sqrt": iv.sqrt,
        "tanh": lambda z: 1 - 2 / (iv.exp(2 * z) + 1),
        "sinh": lambda z: (iv.exp(z) - iv.exp(-z)) / 2,
        "cosh": lambda z: (iv.exp(z) + iv.exp(-z)) / 2,
        "pi": iv.pi, "e": iv.e, "E": iv.e,
    }


def lambdify_iv(args, expr):
    """``lambdify`` whose generated code evaluates in interval arithmetic.

    Call the result with ``mpmath.iv.mpf`` intervals; check :func:`supported`
    first.

    >>> import sympy
    >>> from mpmath import iv
    >>> from symdyn._interval import lambdify_iv
    >>> x = sympy.Symbol("x")
    >>> f = lambdify_iv([x], sympy.cos(x) - x / 3)
    >>> y = f(iv.mpf([0, 1]))
    >>> bool(y.a <= 1 - 1/3 and y.b >= 1)
    True
    """
    return sympy.lambdify(args, expr, modules=[_namespace(), "mpmath"])


def _zero():
    from mpmath import iv

    return iv.mpf(0)


def interval_charpoly(A) -> list:
    """Coefficients (highest first, monic) of det(lambda I - A) for an interval matrix.

    Faddeev--LeVerrier recursion in interval arithmetic: every coefficient
    encloses the exact coefficient of every point matrix inside ``A``.
    """
    from mpmath import iv

    n = len(A)
    M = [[iv.mpf(1) if i == j else _zero() for j in range(n)] for i in range(n)]
    coeffs = [iv.mpf(1)]
    for k in range(1, n + 1):
        AM = [[sum((A[i][m] * M[m][j] for m in range(n)), _zero()) for j in range(n)] for i in range(n)]
        c = -sum((AM[i][i] for i in range(n)), _zero()) / k
        coeffs.append(c)
        M = [[AM[i][j] + (c if i == j else 0) for j in range(n)] for i in range(n)]
    return coeffs


def _excludes_zero(v) -> int:
    """Sign of an interval that excludes 0, else 0."""
    if v.a > 0:
        return 1
    if v.b < 0:
        return -1
    return 0


def routh_unstable_count(coeffs):
    """Number of roots with positive real part, valid for every polynomial in the box.

    Routh array in interval arithmetic; returns ``None`` when a first-column
    entry is not provably non-zero (then a root may lie on the imaginary axis
    or the array is singular).  A completed array with non-zero first column
    also proves that no root lies on the imaginary axis.
    """
    n = len(coeffs) - 1
    if n == 0:
        return 0
    r0 = list(coeffs[0::2])
    r1 = list(coeffs[1::2])
    width = len(r0)
    r1 += [_zero()] * (width - len(r1))
    first = [r0[0], r1[0]]
    if _excludes_zero(r0[0]) == 0 or _excludes_zero(r1[0]) == 0:
        return None
    rows = [r0, r1]
    for _ in range(n - 1):
        a, b = rows[-2], rows[-1]
        new = [(b[0] * a[j + 1] - a[0] * b[j + 1]) / b[0] for j in range(width - 1)] + [_zero()]
        if _excludes_zero(new[0]) == 0:
            return None
        rows.append(new)
        first.append(new[0])
    signs = [_excludes_zero(v) for v in first[: n + 1]]
    return sum(1 for s, t in zip(signs, signs[1:]) if s != t)


def mobius_to_half_plane(coeffs) -> list:
    """Coefficients of q(s) = (s - 1)^n p((s + 1)/(s - 1)): |z| < 1 <=> Re s < 0.

    Interval coefficients in, interval coefficients out (highest first).
    """
    n = len(coeffs) - 1
    out = [_zero() for _ in range(n + 1)]
    for k, a in enumerate(coeffs):  # a z^(n-k) -> a (s+1)^(n-k) (s-1)^k
        poly = sympy.Poly((sympy.Symbol("s") + 1) ** (n - k) * (sympy.Symbol("s") - 1) ** k, sympy.Symbol("s"))
        pc = poly.all_coeffs()
        pc = [0] * (n + 1 - len(pc)) + pc
        for i, c in enumerate(pc):
            if c:
                out[i] = out[i] + a * int(c)
    return out
