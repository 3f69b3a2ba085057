"""Safe conversion of user values to SymPy objects (never parses strings)."""

from __future__ import annotations

import numbers
from fractions import Fraction

import numpy as np
import sympy

__all__ = ["as_expr", "as_symbol_tuple", "param_values"]


def _reject_non_numeric(value, name: str, what: str) -> None:
    """TypeError for strings (never parsed), booleans, and non-scalar SymPy objects."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be {what}, not a string")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {what}, got bool")
    if isinstance(value, sympy.Basic) and (
        not isinstance(value, sympy.Expr) or isinstance(value, sympy.MatrixBase)
    ):
        raise TypeError(f"{name} must be a scalar SymPy expression, got {type(value).__name__}")


def as_expr(value, name: str) -> sympy.Expr:
    """Convert a number or SymPy expression to a SymPy ``Expr``.

    Strings are rejected with ``TypeError`` (they would be parsed by
    ``sympify``); so are booleans, relations and matrices.

    >>> from symdyn._sympify import as_expr
    >>> as_expr(0.5, "v"), as_expr(3, "v")
    (0.500000000000000, 3)
    >>> as_expr("x", "v")
    Traceback (most recent call last):
    ...
    TypeError: v must be a SymPy expression or a number, not a string
    """
    _reject_non_numeric(value, name, "a SymPy expression or a number")
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    if isinstance(value, numbers.Real):
        return sympy.Float(float(value))
    if isinstance(value, numbers.Complex):
        return sympy.Float(value.real) + sympy.I * sympy.Float(value.imag)
    raise TypeError(f"{name} must be a SymPy expression or a number, got {type(value).__name__}")


def as_exact_number(value, name: str, *, allow_symbols: bool = False) -> sympy.Expr:
    """Convert a number to an exact SymPy number; floats become the decimal they print as.

    Parameters
    ----------
    value : int, Fraction, float, or SymPy expression
        ``0.3`` becomes ``3/10`` (its shortest decimal repr), SymPy Floats likewise.
    name : str
        Parameter name used in error messages.
    allow_symbols : bool
        Whether a SymPy expression with free symbols is accepted (kept as is).

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> from symdyn._sympify import as_exact_number
    >>> as_exact_number(0.3, "p"), as_exact_number(2, "p")
    (3/10, 2)
    """
    what = "a number or a SymPy expression" if allow_symbols else "a number"
    _reject_non_numeric(value, name, what)
    if isinstance(value, sympy.Basic):
        if value.free_symbols and not allow_symbols:
            raise TypeError(f"{name} must be a number, got the symbolic {value}")
        if value.is_Float:
            return sympy.Rational(str(value))
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    if isinstance(value, numbers.Real):
        v = float(value)
        if not np.isfinite(v):
            raise ValueError(f"{name} must be finite, got {value!r}")
        return sympy.Rational(repr(v))
    raise TypeError(f"{name} must be {what}, got {type(value).__name__}")


def as_symbol_tuple(values, name: str) -> tuple:
    """Validate a sequence of distinct SymPy Symbols."""
    if isinstance(values, str):
        raise TypeError(f"{name} must be a sequence of SymPy Symbols, not a string")
    if isinstance(values, sympy.Symbol):
        values = (values,)
    try:
        values = tuple(values)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of SymPy Symbols, got {type(values).__name__}") from None
    for v in values:
        if isinstance(v, str):
            raise TypeError(f"{name} must contain SymPy Symbols, not strings (got {v!r})")
        if not isinstance(v, sympy.Symbol):
            raise TypeError(f"{name} must contain SymPy Symbols, got {type(v).__name__} {v!r}")
    if len(set(values)) != len(values):
        dup = sorted({str(v) for v in values if values.count(v) > 1})
        raise ValueError(f"{name} contains duplicate symbols: {', '.join(dup)}")
    return values


def param_values(params, order: tuple, name: str = "params", *, allow_partial=False) -> dict:
    """Normalise ``params`` (None, dict or sequence in ``order``) to ``{Symbol: Expr}``."""
    if params is None:
        return {}
    if isinstance(params, str):
        raise TypeError(f"{name} must be a dict or a sequence of values, not a string")
    if isinstance(params, dict):
        out = {}
        for k, v in params.items():
            if not isinstance(k, sympy.Symbol):
                raise TypeError(f"{name} keys must be SymPy Symbols, got {type(k).__name__} {k!r}")
            if k not in order:
                raise ValueError(f"{name}: {k} is not a parameter of the system (parameters: {order})")
            out[k] = _finite(as_expr(v, f"{name}[{k}]"), f"{name}[{k}]")
        if not allow_partial and len(out) != len(order):
            missing = [str(p) for p in order if p not in out]
            raise ValueError(f"{name} is missing values for: {', '.join(missing)}")
        return out
    try:
        vals = list(params)
    except TypeError:
        raise TypeError(f"{name} must be a dict or a sequence of values, got {type(params).__name__}") from None
    if len(vals) != len(order):
        raise ValueError(f"{name} must have {len(order)} value(s) (order {order}), got {len(vals)}")
    return {p: _finite(as_expr(v, f"{name}[{i}]"), f"{name}[{i}]") for i, (p, v) in enumerate(zip(order, vals))}


def _finite(value: sympy.Expr, name: str) -> sympy.Expr:
    """``value`` unless it is a non-finite number (nan, +-oo, zoo): those give empty or wrong answers."""
    if value.is_number and (value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or value.is_finite is False):
        raise ValueError(f"{name} must be finite, got {value}")
    return value
