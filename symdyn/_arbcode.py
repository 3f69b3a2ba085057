"""SymPy expressions compiled to python-flint ``arb`` ball arithmetic.

:func:`lambdify_arb` is :func:`sympy.lambdify` with a namespace whose
functions act on :class:`flint.arb` balls, so the generated code returns
rigorous enclosures of the expression over its (ball) arguments.  Only
functions with a ball version in the namespace are accepted
(:func:`arb_supported`); numbers are converted exactly (binary floats,
rationals as exact quotients of balls).  Used where the same expression is
evaluated many times (quadrature points); for one-off evaluation of
expressions with special functions use the project's ``arb_eval``.
"""

from __future__ import annotations

import functools

import sympy

__all__ = ["ARB_FUNCS", "arb_supported", "lambdify_arb", "to_arb"]

ARB_FUNCS = {
    sympy.exp: "exp", sympy.log: "log", sympy.sin: "sin", sympy.cos: "cos", sympy.tan: "tan",
    sympy.tanh: "tanh", sympy.sinh: "sinh", sympy.cosh: "cosh", sympy.erf: "erf", sympy.erfc: "erfc",
    sympy.atan: "atan", sympy.asin: "asin", sympy.acos: "acos",
}


def arb_supported(exprs) -> bool:
    """Whether every function in ``exprs`` has a ball version in :func:`lambdify_arb`."""
    for e in exprs:
        for f in sympy.S(e).atoms(sympy.Function):
            if f.func not in ARB_FUNCS:
                return False
    return True


def to_arb(v):
    """An exact (or tightly enclosed) ``arb`` for a Python / SymPy / mpmath number."""
    import mpmath
    from flint import arb

    if isinstance(v, arb):
        return v
    if isinstance(v, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(v, int):
        return arb(v)
    if isinstance(v, float):
        return arb(v)  # binary float: exact
    if isinstance(v, mpmath.mpf):
        v = v._mpf_
        if not v[1] and v[2]:  # special values (inf, nan) have a zero mantissa and non-zero exponent
            raise ValueError("cannot convert a non-finite mpmath number to an arb ball")
    if isinstance(v, tuple):  # mpmath's (sign, man, exp, bc) as printed by lambdify
        sign, man, exp, _ = v
        x = arb(-man if sign else man)
        return x * arb(2) ** exp if exp >= 0 else x / arb(2) ** (-exp)
    s = sympy.S(v)
    if s.is_Integer:
        return arb(int(s))
    if s.is_Rational:
        return arb(int(s.p)) / arb(int(s.q))
    if s.is_Float:
        return to_arb(mpmath.mpf(s._mpf_))
    raise TypeError(f"cannot convert {v!r} to an arb ball exactly")


@functools.lru_cache(maxsize=None)
def _namespace(prec: int) -> dict:
    from flint import arb

    def unary(name):
        return lambda z: getattr(to_arb(z), name)()

    ns = {name: unary(name) for name in set(ARB_FUNCS.values())}
    ns.update({"sqrt": unary("sqrt"), "mpf": to_arb, "pi": arb.pi(), "e": arb(1).exp(), "E": arb(1).exp()})
    return ns


def lambdify_arb(args, exprs, *, prec: int = 128):
    """``lambdify(args, exprs)`` evaluated in ``arb`` ball arithmetic at ``prec`` bits.

    The caller sets ``flint.ctx.prec`` (at least ``prec``) while calling the
    result; constants (``pi``) are enclosed at ``prec`` bits.

    Examples
    --------
    >>> import sympy
    >>> from flint import arb, ctx
    >>> from symdyn._arbcode import lambdify_arb
    >>> x = sympy.Symbol("x")
    >>> f = lambdify_arb([x], sympy.tanh(x) / 3 + sympy.pi)
    >>> ctx.prec = 128
    >>> y = f(arb("0.5"))
    >>> bool(abs(float(y.mid()) - (0.46211715726000974 / 3 + 3.141592653589793)) < 1e-15)
    True
    >>> ctx.prec = 53
    """
    exprs_s = [sympy.S(e) for e in exprs] if isinstance(exprs, (list, tuple)) else sympy.S(exprs)
    if not arb_supported(exprs_s if isinstance(exprs_s, list) else [exprs_s]):
        raise ValueError("expression contains functions without a ball (arb) version")
    from flint import ctx

    old = ctx.prec
    try:
        ctx.prec = prec
        ns = dict(_namespace(prec))
    finally:
        ctx.prec = old
    return sympy.lambdify(args, exprs_s, modules=[ns, "mpmath"], cse=True)
