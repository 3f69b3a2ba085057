"""Rigorous ball-arithmetic evaluation of SymPy expressions (python-flint ``arb``).

:func:`arb_eval` walks a SymPy expression once (shared sub-expressions are
evaluated once) and returns an ``arb`` ball that contains the exact value of
the expression at the given values of its symbols.  :func:`arb_compile`
turns a list of expressions into a straight-line *tape* of ``arb`` operations
(built from the expression tree -- no strings, no ``eval``), for evaluating
the same expressions at many points, e.g. inside a Krawczyk iteration or at
the points of a high-precision quadrature (:mod:`symdyn._hpquad`).  This is
the project's one SymPy -> ``arb`` code path.

Supported nodes
    ``Symbol`` (value from ``values``), ``Integer``, ``Rational``, ``pi``,
    ``E``, ``Add``, ``Mul``, ``Pow`` (integer, rational and ball exponents),
    ``exp``, ``log``, ``sqrt`` (a ``Pow``), ``erf``, ``erfc``, ``asin``,
    ``acos``, ``atan``, ``sin``, ``cos``, ``tan``, ``sinh``, ``cosh``,
    ``tanh``, ``Abs`` and :class:`symdyn.special.BivariateNormalCDF`.
    ``Float`` is refused (not an exact number: convert it to a ``Rational``
    first) unless a tape is compiled with ``floats="binary"``; every other
    node is refused too (``UnsupportedNode``, a ``TypeError``).

Values
    ``arb``, ``fmpq``, ``fmpz``, ``int``, ``fractions.Fraction`` or SymPy
    ``Integer``/``Rational``; never floats or strings (:func:`binary_to_arb`
    makes the exact ball of a float where a float is meant).

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
import operator
from fractions import Fraction

import sympy

__all__ = ["arb_eval", "arb_compile", "ArbTape", "UnsupportedNode", "to_arb", "binary_to_arb", "arb_supported"]


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
        sympy.tan: arb.tan,
        sympy.tanh: arb.tanh,
        sympy.sinh: arb.sinh,
        sympy.cosh: arb.cosh,
        sympy.Abs: abs,
    }, {BivariateNormalCDF: bvn_cdf_arb}


def _rational_power(e):
    """``base -> base ** e`` for a SymPy rational ``e``: exact integer powers, square / q-th roots."""
    p, q = int(e.p), int(e.q)
    if q == 1:
        return (lambda b: b ** p) if p >= 0 else (lambda b: 1 / b ** (-p))
    root = (lambda b: b.sqrt()) if q == 2 else (lambda b: b.root(q))
    if p == 1:
        return root
    return (lambda b: root(b) ** p) if p >= 0 else (lambda b: 1 / root(b) ** (-p))


def _ball_power(base, exponent):
    """``base ** exponent`` for a ball exponent, as ``exp(exponent log(base))``."""
    from flint import arb

    return arb.exp(exponent * arb.log(base))


def _binary_ball(mpf):
    """The exact ball of a binary floating-point number given as mpmath's ``(sign, man, exp, bc)``."""
    from flint import arb

    sign, man, exp, _ = mpf
    if not man:
        if exp:  # inf / nan have a zero mantissa and a non-zero exponent
            raise ValueError("cannot convert a non-finite floating-point number to an arb ball")
        return arb(0)
    x = arb(-man if sign else man)  # exact
    # man * 2**exp: exact when the mantissa fits the working precision, else a rigorous rounding
    return x * arb(2) ** exp if exp >= 0 else x / arb(2) ** (-exp)


def binary_to_arb(value, name="value"):
    """The exact ball of a binary floating-point number (``float``, ``mpmath.mpf``, SymPy ``Float``).

    For numerical references (quadrature nodes, Cholesky factors) whose
    floating-point values are to be used as they are; user parameters
    should go through :func:`to_arb` (exact rationals) instead.

    Examples
    --------
    >>> from symdyn._arb import binary_to_arb
    >>> binary_to_arb(0.1).rad() == 0, binary_to_arb(0.5) == 0.5
    (True, True)
    """
    import mpmath

    if isinstance(value, bool):
        raise TypeError(f"{name} must be a float, mpmath.mpf or SymPy Float, got bool")
    if isinstance(value, float):
        value = mpmath.mpf(value)
    if isinstance(value, mpmath.mpf):
        return _binary_ball(value._mpf_)
    if isinstance(value, sympy.Float):
        return _binary_ball(value._mpf_)
    return to_arb(value, name)


class ArbTape:
    """A straight-line program of ``arb`` operations computing a list of expressions.

    Built by :func:`arb_compile`; call it with the values of ``symbols`` in
    order (see :func:`to_arb` for the accepted types) to get a list of balls.
    Each sub-expression is one register (common sub-expressions are shared);
    ``n``-ary sums and products are chains of binary operations, constants
    are enclosed once per precision.

    ``floats="binary"`` reads a SymPy ``Float`` as the exact binary number it
    stores (for numerical references such as :mod:`symdyn._hpquad`); the
    default ``"refuse"`` raises :class:`UnsupportedNode` (a Float is not the
    decimal the user typed).
    """

    def __init__(self, exprs, symbols, floats="refuse"):
        if floats not in ("refuse", "binary"):
            raise ValueError(f"floats must be 'refuse' or 'binary', got {floats!r}")
        self.symbols = tuple(symbols)
        unary, special = _unary()
        slots: dict = {}      # node -> register
        consts: list = []     # (register, kind, payload): enclosed per precision
        sym_slots: list = []  # (register, index into the call's values)
        prog: list = []       # (register, function, argument registers)
        count = [0]

        def new_slot():
            count[0] += 1
            return count[0] - 1

        def chain(fn, regs):
            r = regs[0]
            for a in regs[1:]:
                out = new_slot()
                prog.append((out, fn, (r, a)))
                r = out
            return r

        def visit(node):
            if node in slots:
                return slots[node]
            if isinstance(node, sympy.Symbol):
                if node not in self.symbols:
                    raise ValueError(f"no value for the symbol {node}")
                r = new_slot()
                sym_slots.append((r, self.symbols.index(node)))
            elif node.is_Float:
                if floats == "refuse":
                    raise UnsupportedNode(f"Float {node} is not exact: convert it to a Rational first")
                r = new_slot()
                consts.append((r, "binary", node._mpf_))
            elif node.is_Rational:
                r = new_slot()
                consts.append((r, "q", (int(node.p), int(node.q))))
            elif node is sympy.pi or node is sympy.E:
                r = new_slot()
                consts.append((r, "pi" if node is sympy.pi else "e", None))  # at the call's precision
            elif isinstance(node, sympy.Add):
                r = chain(operator.add, [visit(a) for a in node.args])
            elif isinstance(node, sympy.Mul):
                r = chain(operator.mul, [visit(a) for a in node.args])
            elif isinstance(node, sympy.Pow):
                b, e = node.args
                r = new_slot()
                if e.is_Rational:
                    prog.append((r, _rational_power(e), (visit(b),)))
                else:
                    prog.append((r, _ball_power, (visit(b), visit(e))))
            elif node.func in unary and len(node.args) == 1:
                r = new_slot()
                prog.append((r, unary[node.func], (visit(node.args[0]),)))
            elif node.func in special:
                args = tuple(visit(a) for a in node.args)
                r = new_slot()
                prog.append((r, special[node.func], args))
            elif isinstance(node, sympy.Function) and type(node).__name__ == "GaussExpectation":
                raise UnsupportedNode("a GaussExpectation node (a quadrature) has no ball enclosure here; "
                                      "use an activation with closed forms (erf, polynomial)")
            else:
                raise UnsupportedNode(f"arb_eval does not support {type(node).__name__}: {node}")
            slots[node] = r
            return r

        for e in exprs:
            if not isinstance(e, sympy.Basic):
                raise TypeError(f"expressions must be SymPy expressions, got {type(e).__name__}")
        self.outputs = [visit(e) for e in exprs]
        self._n = count[0]
        self._consts, self._sym_slots = consts, sym_slots
        # (register, function, first argument, second argument, all arguments); -1: unused
        self._steps = [(r, fn, args[0] if len(args) <= 2 else -1, args[1] if len(args) == 2 else -1, args)
                       for r, fn, args in prog]
        self._const_cache: dict = {}

    @property
    def size(self) -> int:
        """Number of registers (symbols, constants and operations; shared sub-expressions once)."""
        return self._n

    def _constants(self, prec):
        from flint import arb, fmpq

        got = self._const_cache.get(prec)
        if got is None:
            got = []
            for r, kind, payload in self._consts:
                if kind == "q":
                    b = arb(fmpq(*payload))
                elif kind == "binary":
                    b = _binary_ball(payload)
                elif kind == "pi":
                    b = arb.pi()
                else:
                    b = arb.const_e()
                got.append((r, b))
            self._const_cache[prec] = got
        return got

    def __call__(self, *values, prec=None):
        from flint import arb, ctx

        if len(values) != len(self.symbols):
            raise TypeError(f"expected {len(self.symbols)} value(s) ({self.symbols}), got {len(values)}")
        if not all(type(v) is arb for v in values):
            for v, s in zip(values, self.symbols):  # type check before changing the precision
                to_arb(v, str(s))
        old = ctx.prec
        if prec is not None:
            ctx.prec = _check_prec(prec)
        try:
            # rationals become balls at the working precision (arb(fmpq(1, 3)) rounds)
            reg = [None] * self._n
            for r, i in self._sym_slots:
                v = values[i]
                reg[r] = v if type(v) is arb else to_arb(v, str(self.symbols[i]))
            for r, b in self._constants(ctx.prec):
                reg[r] = b
            for r, fn, a0, a1, args in self._steps:
                if a1 >= 0:
                    reg[r] = fn(reg[a0], reg[a1])
                elif a0 >= 0:
                    reg[r] = fn(reg[a0])
                else:
                    reg[r] = fn(*[reg[a] for a in args])
            return [reg[i] for i in self.outputs]
        finally:
            ctx.prec = old


def _check_prec(prec):
    if isinstance(prec, bool) or not isinstance(prec, numbers.Integral) or not 10 <= int(prec) <= 100000:
        raise ValueError(f"prec must be an integer number of bits in [10, 100000], got {prec!r}")
    return int(prec)


def arb_supported(exprs, floats="refuse") -> bool:
    """Whether :func:`arb_compile` can enclose every expression of ``exprs`` (SymPy expressions)."""
    try:
        ArbTape(list(exprs), sorted(set().union(*[sympy.S(e).free_symbols for e in exprs]), key=str),
                floats=floats)
    except (UnsupportedNode, TypeError):
        return False
    return True


def arb_compile(exprs, symbols, *, floats: str = "refuse") -> ArbTape:
    """Compile SymPy expressions into an :class:`ArbTape` over ``symbols`` (in that order).

    Parameters
    ----------
    exprs : sequence of sympy.Expr
    symbols : sequence of sympy.Symbol
    floats : {'refuse', 'binary'}
        How a SymPy ``Float`` is read (see :class:`ArbTape`).

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
    return ArbTape(exprs, symbols, floats=floats)


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
