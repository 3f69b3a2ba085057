"""Rigorous ball-arithmetic evaluation of SymPy expressions (python-flint ``arb``).

:func:`arb_eval` walks a SymPy expression once (shared sub-expressions are
evaluated once) and returns an ``arb`` ball that contains the exact value of
the expression at the given values of its symbols.  :func:`arb_compile`
turns a list of expressions into a straight-line *tape* of ``arb`` operations
(built from the expression tree -- no strings, no ``eval``), for evaluating
the same expressions at many points, e.g. inside a Krawczyk iteration.

Supported nodes
    ``Symbol`` (value from ``values``), ``Integer``, ``Rational``, ``pi``,
    ``E``, ``Add``, ``Mul``, ``Pow`` (integer, rational and ball exponents),
    ``exp``, ``log``, ``sqrt`` (a ``Pow``), ``erf``, ``erfc``, ``asin``,
    ``acos``, ``atan``, ``sin``, ``cos``, ``tanh``, ``Abs`` and
    :class:`symdyn.special.BivariateNormalCDF`.  ``Float`` is refused (not an
    exact number: convert it to a ``Rational`` first), and so is every other
    node (``UnsupportedNode``, a ``TypeError``).

Values
    ``arb``, ``fmpq``, ``fmpz``, ``int``, ``fractions.Fraction`` or SymPy
    ``Integer``/``Rational``; never floats or strings.

Enclosures are rigorous: functions outside their domain (``log`` of a ball
containing 0, ``asin`` of a ball leaving ``[-1, 1]``) give non-finite balls,
never wrong finite ones.

Examples
--------
>>> import sympy
>>> from flint import arb, fmpq
>>> from symdyn._arb import arb_eval
>>> x, y = sympy.symbols("x y")
>>> b = arb_eval(sympy.erf(x) * sympy.sqrt(y) + sympy.pi, {x: fmpq(1, 2), y: 2}, prec=64)
>>> b.str(12, radius=False), b.rad() < 1e-15
('3.87769064001', True)
"""

from __future__ import annotations

import numbers
from fractions import Fraction

import sympy

__all__ = ["arb_eval", "arb_compile", "ArbTape", "UnsupportedNode", "to_arb"]


class UnsupportedNode(TypeError):
    """The expression contains a node :func:`arb_eval` cannot enclose."""


def to_arb(value, name="value"):
    """Exact conversion of an ``arb``/``fmpq``/``fmpz``/``int``/``Fraction``/SymPy rational to ``arb``."""
    from flint import arb, fmpq, fmpz

    if isinstance(value, arb):
        return value
    if isinstance(value, (bool, str)) or not isinstance(value, (fmpq, fmpz, numbers.Integral, Fraction, sympy.Basic)):
        raise TypeError(f"{name} must be an arb, fmpq, fmpz, int, Fraction or SymPy Rational, "
                        f"got {type(value).__name__}")
    if isinstance(value, (fmpz, fmpq)):
        return arb(value)
    if isinstance(value, numbers.Integral):
        return arb(fmpz(int(value)))
    if isinstance(value, Fraction):
        return arb(fmpq(value.numerator, value.denominator))
    if isinstance(value, sympy.Rational):
        return arb(fmpq(int(value.p), int(value.q)))
    raise TypeError(f"{name} must be an exact number, got the SymPy object {value!r}")


def _unary():
    from flint import arb

    from .special import BivariateNormalCDF, bvn_cdf_arb

    return {
        sympy.exp: arb.exp,
        sympy.log: arb.log,
        sympy.erf: arb.erf,
        sympy.erfc: arb.erfc,
        sympy.asin: arb.asin,
        sympy.acos: arb.acos,
        sympy.atan: arb.atan,
        sympy.sin: arb.sin,
        sympy.cos: arb.cos,
        sympy.tanh: arb.tanh,
        sympy.Abs: abs,
    }, {BivariateNormalCDF: bvn_cdf_arb}


def _pow(base, e_node, e_val):
    """``base ** e`` with exact handling of integer and half-integer exponents."""
    from flint import arb

    if e_node is not None and e_node.is_Integer:
        n = int(e_node)
        return base ** n if n >= 0 else 1 / base ** (-n)
    if e_node is not None and e_node.is_Rational:
        p, q = int(e_node.p), int(e_node.q)
        root = base.sqrt() if q == 2 else base.root(q)
        return root ** p if p >= 0 else 1 / root ** (-p)
    return arb.exp(e_val * arb.log(base))


class ArbTape:
    """A straight-line program of ``arb`` operations computing a list of expressions.

    Built by :func:`arb_compile`; call it with the values of ``symbols`` in
    order (see :func:`to_arb` for the accepted types) to get a list of balls.
    """

    def __init__(self, exprs, symbols):
        from flint import arb

        self.symbols = tuple(symbols)
        unary, special = _unary()
        slots: dict = {}      # node -> slot
        ops: list = []        # (kind, payload, argument slots)

        def visit(node):
            if node in slots:
                return slots[node]
            if isinstance(node, sympy.Symbol):
                if node not in self.symbols:
                    raise ValueError(f"no value for the symbol {node}")
                op = ("sym", self.symbols.index(node), ())
            elif node.is_Float:
                raise UnsupportedNode(f"Float {node} is not exact: convert it to a Rational first")
            elif node.is_Rational:
                op = ("const", (int(node.p), int(node.q)), ())
            elif node is sympy.pi:
                op = ("pi", None, ())  # evaluated at the call's precision
            elif node is sympy.E:
                op = ("e", None, ())
            elif isinstance(node, sympy.Add):
                op = ("add", None, tuple(visit(a) for a in node.args))
            elif isinstance(node, sympy.Mul):
                op = ("mul", None, tuple(visit(a) for a in node.args))
            elif isinstance(node, sympy.Pow):
                b, e = node.args
                if e.is_Rational:
                    op = ("powq", e, (visit(b),))
                else:
                    op = ("pow", None, (visit(b), visit(e)))
            elif node.func in unary and len(node.args) == 1:
                op = ("fn", unary[node.func], (visit(node.args[0]),))
            elif node.func in special:
                op = ("fn", special[node.func], tuple(visit(a) for a in node.args))
            elif isinstance(node, sympy.Function) and type(node).__name__ == "GaussExpectation":
                raise UnsupportedNode("a GaussExpectation node (a quadrature) has no ball enclosure here; "
                                      "use an activation with closed forms (erf, polynomial)")
            else:
                raise UnsupportedNode(f"arb_eval does not support {type(node).__name__}: {node}")
            slots[node] = len(ops)
            ops.append(op)
            return slots[node]

        for e in exprs:
            if not isinstance(e, sympy.Basic):
                raise TypeError(f"expressions must be SymPy expressions, got {type(e).__name__}")
        self.outputs = [visit(e) for e in exprs]
        self.ops = ops

    def __call__(self, *values, prec=None):
        from flint import arb, ctx, fmpq

        if len(values) != len(self.symbols):
            raise TypeError(f"expected {len(self.symbols)} value(s) ({self.symbols}), got {len(values)}")
        for v, s in zip(values, self.symbols):  # type check before changing the precision
            to_arb(v, str(s))
        old = ctx.prec
        if prec is not None:
            ctx.prec = _check_prec(prec)
        try:
            # rationals become balls at the working precision (arb(fmpq(1, 3)) rounds)
            vals = [to_arb(v, str(s)) for v, s in zip(values, self.symbols)]
            reg = []
            for kind, payload, args in self.ops:
                if kind == "sym":
                    r = vals[payload]
                elif kind == "const":
                    r = arb(fmpq(*payload))
                elif kind == "pi":
                    r = arb.pi()
                elif kind == "e":
                    r = arb.const_e()
                elif kind == "add":
                    r = reg[args[0]]
                    for a in args[1:]:
                        r = r + reg[a]
                elif kind == "mul":
                    r = reg[args[0]]
                    for a in args[1:]:
                        r = r * reg[a]
                elif kind == "powq":
                    r = _pow(reg[args[0]], payload, None)
                elif kind == "pow":
                    r = _pow(reg[args[0]], None, reg[args[1]])
                else:  # fn
                    r = payload(*[reg[a] for a in args])
                reg.append(r)
            return [reg[i] for i in self.outputs]
        finally:
            ctx.prec = old


def _check_prec(prec):
    if isinstance(prec, bool) or not isinstance(prec, numbers.Integral) or not 10 <= int(prec) <= 100000:
        raise ValueError(f"prec must be an integer number of bits in [10, 100000], got {prec!r}")
    return int(prec)


def arb_compile(exprs, symbols) -> ArbTape:
    """Compile SymPy expressions into an :class:`ArbTape` over ``symbols`` (in that order).

    Parameters
    ----------
    exprs : sequence of sympy.Expr
    symbols : sequence of sympy.Symbol

    Returns
    -------
    ArbTape
        ``tape(*values, prec=None) -> list of arb``.

    Examples
    --------
    >>> import sympy
    >>> from symdyn._arb import arb_compile
    >>> x = sympy.Symbol("x")
    >>> tape = arb_compile([sympy.exp(x), sympy.exp(x) + x], [x])
    >>> [b.contains(v) for b, v in zip(tape(0), (1, 1))]
    [True, True]
    """
    if isinstance(exprs, (str, sympy.Basic)):
        exprs = [exprs]
    exprs = list(exprs)
    for i, e in enumerate(exprs):
        if not isinstance(e, sympy.Basic):
            raise TypeError(f"exprs[{i}] must be a SymPy expression, got {type(e).__name__}")
    symbols = tuple(symbols)
    for s in symbols:
        if not isinstance(s, sympy.Symbol):
            raise TypeError(f"symbols must be SymPy Symbols, got {type(s).__name__}")
    return ArbTape(exprs, symbols)


def arb_eval(expr, values, prec=128):
    """Rigorous ``arb`` enclosure of the SymPy expression ``expr`` at ``values``.

    Parameters
    ----------
    expr : sympy.Expr
        Built from the supported nodes (module docstring).
    values : dict
        ``{Symbol: arb | fmpq | fmpz | int | Fraction | sympy.Rational}`` for
        every free symbol of ``expr``.
    prec : int
        Working precision in bits (10 .. 100000).

    Returns
    -------
    flint.arb
        A ball containing the exact value.

    Raises
    ------
    UnsupportedNode
        (a ``TypeError``) for nodes without a ball implementation, including ``Float``.
    ValueError
        A free symbol without a value, or a bad ``prec``.

    Examples
    --------
    >>> import sympy
    >>> from symdyn._arb import arb_eval
    >>> r = sympy.Symbol("r")
    >>> arb_eval(2 * sympy.asin(r) / sympy.pi, {r: 1}, prec=53).contains(1)
    True
    """
    if not isinstance(expr, sympy.Basic):
        if isinstance(expr, numbers.Integral) and not isinstance(expr, bool):
            expr = sympy.Integer(int(expr))
        else:
            raise TypeError(f"expr must be a SymPy expression, got {type(expr).__name__}")
    if not isinstance(values, dict):
        raise TypeError(f"values must be a dict {{Symbol: number}}, got {type(values).__name__}")
    _check_prec(prec)
    free = sorted(expr.free_symbols, key=str)
    missing = [str(s) for s in free if s not in values]
    if missing:
        raise ValueError(f"no value for the symbol(s) {', '.join(missing)}")
    tape = ArbTape([expr], free)
    return tape(*[values[s] for s in free], prec=prec)[0]
