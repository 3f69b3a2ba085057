r"""A user system from a declarative description, parsed safely (no ``eval``, no ``sympify``).

Used by ``symdyn latex system``.  The right-hand sides are arithmetic
expressions in a small grammar: numbers (read exactly: ``0.1`` is ``1/10``),
the declared state and parameter names, ``+ - * / **`` (``^`` is accepted as
``**``), parentheses, ``pi`` and the functions in :data:`FUNCTIONS` with one
argument.  The text is read by Python's own parser (:func:`ast.parse`, which
builds a syntax tree and executes nothing) and the tree is walked against that
whitelist: any other construct (attributes, calls of other names, subscripts,
comparisons, lambdas, ...) is refused with a ``ValueError`` naming it.

A description is a dict (e.g. loaded from JSON)::

    {"name": "pitchfork", "kind": "flow",
     "states": ["x"], "params": {"r": "1/2"},
     "rhs": ["r*x - x**3"]}

``kind`` is ``flow`` (``dx/dt = f``, default) or ``map`` (``x -> F(x)``);
parameter values are numbers or numeric strings (``"1/2"``, ``"0.25"``); a
parameter given as ``null`` stays symbolic.

Examples
--------
>>> from symdyn._system_spec import system_from_spec
>>> system, params = system_from_spec({"states": ["x"], "params": {"r": "1/2"}, "rhs": ["r*x - x^3"]})
>>> system.rhs[0], params
(r*x - x**3, {r: 1/2})
>>> system_from_spec({"states": ["x"], "rhs": ["__import__('os')"]})
Traceback (most recent call last):
...
ValueError: rhs[0]: function '__import__' is not allowed (allowed: atan, cos, cosh, erf, exp, log, sin, sinh, sqrt, tan, tanh)
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction

import sympy

__all__ = ["system_from_spec", "parse_expression", "parse_number", "FUNCTIONS", "MAX_EXPRESSION_CHARS",
           "MAX_STATES", "MAX_EXPONENT"]

#: functions a right-hand side may call (one argument each)
FUNCTIONS = {
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "sin": sympy.sin, "cos": sympy.cos,
    "tan": sympy.tan, "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "atan": sympy.atan,
    "erf": sympy.erf,
}
_CONSTANTS = {"pi": sympy.pi}
#: longest accepted right-hand side (characters)
MAX_EXPRESSION_CHARS = 4000
#: most syntax-tree nodes in one right-hand side
MAX_NODES = 2000
#: most states (and, separately, parameters) of a described system
MAX_STATES = 12
#: largest |exponent| of a power (keeps ``10**10**10`` from being evaluated)
MAX_EXPONENT = 64
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")
_KEYS = {"name", "kind", "states", "params", "rhs", "description", "title"}


def parse_number(text, name: str) -> sympy.Rational:
    """An exact rational from an int, a float (its shortest decimal form) or a string ``"3"``, ``"-1/2"``, ``"0.25"``.

    Raises
    ------
    TypeError, ValueError
        Anything else (booleans, non-finite floats, other strings).
    """
    if isinstance(text, bool):
        raise TypeError(f"{name} must be a number, got bool")
    if isinstance(text, int):
        return sympy.Integer(text)
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise ValueError(f"{name} must be finite, got {text}")
        text = repr(text)
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a number or a numeric string, got {type(text).__name__}")
    s = text.strip()
    if len(s) > 200 or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?(/\d+)?", s):
        raise ValueError(f"{name} must be a number such as 2, -1/2 or 0.25, got {text[:40]!r}")
    try:
        f = Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name} must be a number such as 2, -1/2 or 0.25, got {text[:40]!r}") from None
    return sympy.Rational(f.numerator, f.denominator)


def _check_name(n, what: str) -> str:
    if not isinstance(n, str):
        raise TypeError(f"{what} must be a name string, got {type(n).__name__}")
    if not _NAME.match(n):
        raise ValueError(f"{what} {n[:40]!r} is not a plain name (a letter, then letters, digits or _; at most 31)")
    if n in FUNCTIONS or n in _CONSTANTS:
        raise ValueError(f"{what} {n!r} is reserved (a function or constant name)")
    return n


def parse_expression(text: str, symbols: dict, name: str = "expression") -> sympy.Expr:
    """The SymPy expression of ``text`` over ``symbols`` (``{name: Symbol}``), by the whitelist grammar above."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a string, got {type(text).__name__}")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ValueError(f"{name} has {len(text)} characters; at most {MAX_EXPRESSION_CHARS} are accepted")
    if not text.strip():
        raise ValueError(f"{name} is empty")
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")  # ^ means power here
    except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
        raise ValueError(f"{name} is not an arithmetic expression: {getattr(exc, 'msg', exc)}") from None
    nodes = sum(1 for _ in ast.walk(tree))
    if nodes > MAX_NODES:
        raise ValueError(f"{name} has {nodes} syntax nodes; at most {MAX_NODES} are accepted")
    binops = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
              ast.Div: lambda a, b: a / b, ast.Pow: None}

    def power(a, b):
        if not b.is_number or not b.is_rational:
            raise ValueError(f"{name}: exponents must be rational numbers, got {b}")
        if abs(b) > MAX_EXPONENT:
            raise ValueError(f"{name}: exponent {b} exceeds the cap |exponent| <= {MAX_EXPONENT}")
        if a.is_number and a.is_rational and (not b.is_integer) and abs(a) > 10**100:
            raise ValueError(f"{name}: base of a fractional power too large")
        return a ** b

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"{name}: only numbers are allowed as constants, got {v!r}")
            if isinstance(v, int) and abs(v) > 10**100:
                raise ValueError(f"{name}: integer constant too large")
            return parse_number(v, name)
        if isinstance(node, ast.Name):
            if node.id in symbols:
                return symbols[node.id]
            if node.id in _CONSTANTS:
                return _CONSTANTS[node.id]
            raise ValueError(f"{name}: unknown name {node.id!r} (declared: {', '.join(symbols) or 'none'})")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = walk(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and type(node.op) in binops:
            a, b = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Pow):
                return power(a, b)
            if isinstance(node.op, ast.Div) and b == 0:
                raise ValueError(f"{name}: division by zero")
            return binops[type(node.op)](a, b)
        if isinstance(node, ast.Call):
            fname = node.func.id if isinstance(node.func, ast.Name) else None
            if fname not in FUNCTIONS:
                shown = repr(fname) if fname else "of a non-name (attribute, call, ...)"
                raise ValueError(f"{name}: function {shown} is not allowed (allowed: {', '.join(sorted(FUNCTIONS))})")
            if len(node.args) != 1 or node.keywords:
                raise ValueError(f"{name}: {fname}() takes exactly one argument")
            return FUNCTIONS[fname](walk(node.args[0]))
        raise ValueError(f"{name}: {type(node).__name__} is not allowed (numbers, names, + - * / ** ^, "
                         f"parentheses and {', '.join(sorted(FUNCTIONS))} only)")

    try:
        expr = walk(tree)
    except RecursionError:
        raise ValueError(f"{name} is nested too deeply") from None
    if expr.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise ValueError(f"{name} is not finite")
    return expr


def system_from_spec(spec: dict):
    """``(system, params)`` from a description dict (see the module docstring).

    Returns
    -------
    (ODESystem or MapSystem, dict {Symbol: Rational})
        ``params`` holds the parameters that were given values.

    Raises
    ------
    TypeError, ValueError
        Naming the key at fault.
    """
    from .odesystem import MapSystem, ODESystem

    if not isinstance(spec, dict):
        raise TypeError(f"the system description must be a JSON object, got {type(spec).__name__}")
    extra = set(spec) - _KEYS
    if extra:
        raise ValueError(f"unknown key(s) {', '.join(sorted(map(str, extra)))}; allowed: {', '.join(sorted(_KEYS))}")
    kind = spec.get("kind", "flow")
    if kind not in ("flow", "map"):
        raise ValueError(f"kind must be 'flow' or 'map', got {kind!r}")
    states = spec.get("states")
    if not isinstance(states, list) or not states:
        raise ValueError("states must be a non-empty list of names")
    if len(states) > MAX_STATES:
        raise ValueError(f"states has {len(states)} names; at most {MAX_STATES} are accepted")
    state_names = [_check_name(s, "state") for s in states]
    raw_params = spec.get("params", {})
    if isinstance(raw_params, list):
        raw_params = {p: None for p in raw_params}
    if not isinstance(raw_params, dict):
        raise TypeError("params must be an object {name: value or null} or a list of names")
    if len(raw_params) > MAX_STATES:
        raise ValueError(f"params has {len(raw_params)} names; at most {MAX_STATES} are accepted")
    param_names = [_check_name(p, "parameter") for p in raw_params]
    dup = (set(state_names) & set(param_names)) | {n for n in state_names if state_names.count(n) > 1}
    if dup:
        raise ValueError(f"name(s) declared twice: {', '.join(sorted(dup))}")
    symbols = {n: sympy.Symbol(n) for n in state_names + param_names}
    rhs = spec.get("rhs")
    if not isinstance(rhs, list):
        raise ValueError("rhs must be a list of expression strings, one per state")
    if len(rhs) != len(state_names):
        raise ValueError(f"rhs has {len(rhs)} expression(s) but there are {len(state_names)} states")
    exprs = [parse_expression(e, symbols, f"rhs[{i}]") for i, e in enumerate(rhs)]
    values = {}
    for p, v in raw_params.items():
        if v is not None:
            values[symbols[p]] = parse_number(v, f"params[{p}]")
    name = spec.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > 80):
        raise ValueError("name must be a string of at most 80 characters")
    cls = MapSystem if kind == "map" else ODESystem
    system = cls([symbols[s] for s in state_names], exprs, [symbols[p] for p in param_names], name=name)
    return system, values
