"""Parameter grids of a sweep: typed parameters, grid specs, cells, cell ids and seeds.

A grid spec is text typed by the user (``tau=0.2:1:9``, ``rho=-1,0,1``,
``activation=erf,tanh``).  Numbers are read with :class:`fractions.Fraction`
only (never ``eval``/``sympify``), so ``0.2:1:9`` gives exactly the decimals
``0.2, 0.3, ..., 1`` before the one conversion to float at the edge.

A *cell* is one point of the grid: a dict with a value for every parameter
of the study (defaults for those not on the grid).  Its id and its seed are
hashes of the canonical parameter tuple, so they depend on nothing else
(not the worker count, not the order of completion).

Examples
--------
>>> from symdyn.sweep.grid import Param, parse_values
>>> tau = Param("tau", "real", 0.5, lo=0, lo_open=True)
>>> parse_values(tau, "0.2:1:5")
[0.2, 0.4, 0.6, 0.8, 1.0]
>>> parse_values(tau, "1/4,0.5")
[0.25, 0.5]
>>> parse_values(tau, "0:1:3")
Traceback (most recent call last):
...
ValueError: tau must be in (0, inf), got 0.0
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Param", "Grid", "parse_values", "parse_grid", "cell_id", "cell_seed", "MAX_CELLS", "MAX_AXIS"]

#: caps checked before anything is allocated
MAX_CELLS = 100_000
MAX_AXIS = 10_000
_MAX_TEXT = 4096
_KINDS = ("real", "int", "choice")


@dataclass(frozen=True)
class Param:
    """One parameter of a study.

    Parameters
    ----------
    name : str
    kind : {'real', 'int', 'choice'}
    default : float, int or str
    lo, hi : number, optional
        Range; ``lo_open`` / ``hi_open`` make the bound strict.
    choices : tuple of str
        For ``kind='choice'``.
    help : str
    """

    name: str
    kind: str
    default: object
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple = ()
    help: str = ""

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {self.kind!r}")

    def describe_range(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        lo = "-inf" if self.lo is None else f"{self.lo:g}"
        hi = "inf" if self.hi is None else f"{self.hi:g}"
        left = "(" if (self.lo_open or self.lo is None) else "["
        right = ")" if (self.hi_open or self.hi is None) else "]"
        return f"{'integers in ' if self.kind == 'int' else ''}{left}{lo}, {hi}{right}"

    def check(self, value):
        """``value`` converted to the parameter's type; ValueError/TypeError naming the range otherwise."""
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise ValueError(f"{self.name} must be {self.describe_range()}, got {value!r}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
            raise TypeError(f"{self.name} must be a number, got {type(value).__name__}")
        if self.kind == "int":
            if isinstance(value, float) and not value.is_integer() or \
                    isinstance(value, Fraction) and value.denominator != 1:
                raise ValueError(f"{self.name} must be an integer, got {value}")
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"{self.name} must be finite, got {value}")
        ok = True
        if self.lo is not None:
            ok &= value > self.lo if self.lo_open else value >= self.lo
        if self.hi is not None:
            ok &= value < self.hi if self.hi_open else value <= self.hi
        if not ok:
            raise ValueError(f"{self.name} must be in {self.describe_range().removeprefix('integers in ')}, "
                             f"got {value}")
        return value


def _number(text: str, name: str) -> Fraction:
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name}: {text.strip()!r} is not a number (write e.g. 0.5, 1/3, 1e-3)") from None


def parse_values(param: Param, spec: str) -> list:
    """The values denoted by ``spec`` for ``param``.

    ``a,b,c`` is a list; ``a:b:n`` is ``n`` equispaced points from ``a`` to
    ``b`` inclusive (computed in exact rationals).  Choices are names
    separated by commas.  Values are checked against the parameter's range.
    """
    if not isinstance(spec, str):
        raise TypeError(f"the grid spec of {param.name} must be a string, got {type(spec).__name__}")
    if len(spec) > _MAX_TEXT:
        raise ValueError(f"the grid spec of {param.name} is longer than {_MAX_TEXT} characters")
    spec = spec.strip()
    if not spec:
        raise ValueError(f"{param.name}: empty grid spec")
    if param.kind == "choice":
        values = [s.strip() for s in spec.split(",")]
    elif ":" in spec:
        parts = spec.split(":")
        if len(parts) != 3:
            raise ValueError(f"{param.name}: a range is START:STOP:COUNT, got {spec!r}")
        a, b = _number(parts[0], param.name), _number(parts[1], param.name)
        try:
            n = int(parts[2].strip())
        except ValueError:
            raise ValueError(f"{param.name}: COUNT in START:STOP:COUNT must be an integer, got {parts[2]!r}") from None
        if not 1 <= n <= MAX_AXIS:
            raise ValueError(f"{param.name}: COUNT must be in [1, {MAX_AXIS}], got {n}")
        if n == 1 and a != b:
            raise ValueError(f"{param.name}: COUNT = 1 needs START = STOP, got {spec!r}")
        step = (b - a) / (n - 1) if n > 1 else Fraction(0)
        values = [a + i * step for i in range(n)]
    else:
        values = [_number(s, param.name) for s in spec.split(",")]
    if len(values) > MAX_AXIS:
        raise ValueError(f"{param.name}: at most {MAX_AXIS} values per parameter, got {len(values)}")
    values = [param.check(v) for v in values]
    if len(set(values)) != len(values):
        raise ValueError(f"{param.name}: repeated values in {spec!r}")
    return values


@dataclass(frozen=True)
class Grid:
    """Ordered ``(name, values)`` axes; the first varying axis is the x axis of plots."""

    axes: tuple

    @property
    def names(self) -> tuple:
        return tuple(n for n, _ in self.axes)

    @property
    def varying(self) -> tuple:
        return tuple(n for n, v in self.axes if len(v) > 1)

    @property
    def size(self) -> int:
        return math.prod(len(v) for _, v in self.axes)

    def values(self, name):
        return dict(self.axes)[name]

    def cells(self, params) -> list:
        """Every grid point as a full parameter dict (study order; defaults elsewhere)."""
        fixed = {p.name: p.default for p in params}
        out = []
        for combo in itertools.product(*(v for _, v in self.axes)):
            cell = dict(fixed)
            cell.update(zip(self.names, combo))
            out.append({p.name: cell[p.name] for p in params})
        return out


def parse_grid(params, specs) -> Grid:
    """A :class:`Grid` from ``{'name': spec or values}`` or ``['name=spec', ...]``.

    Parameters
    ----------
    params : sequence of Param
        The study's parameters.
    specs : mapping or sequence of str
        Strings are parsed with :func:`parse_values`; sequences of values are
        checked one by one.
    """
    by_name = {p.name: p for p in params}
    items = []
    if isinstance(specs, dict):
        items = list(specs.items())
    else:
        for s in specs:
            if not isinstance(s, str) or "=" not in s:
                raise ValueError(f"--grid expects NAME=VALUES (e.g. tau=0.2:1:9 or rho=-1,0,1), got {s!r}")
            name, spec = s.split("=", 1)
            items.append((name.strip(), spec))
    axes = []
    seen = set()
    for name, spec in items:
        if name not in by_name:
            raise ValueError(f"unknown parameter {name!r}; parameters: {', '.join(by_name)}")
        if name in seen:
            raise ValueError(f"parameter {name!r} is given twice")
        seen.add(name)
        p = by_name[name]
        if isinstance(spec, str):
            values = parse_values(p, spec)
        else:
            try:
                values = list(spec)
            except TypeError:
                values = [spec]
            if not values or len(values) > MAX_AXIS:
                raise ValueError(f"{name}: give between 1 and {MAX_AXIS} values")
            values = [p.check(v) for v in values]
            if len(set(values)) != len(values):
                raise ValueError(f"{name}: repeated values")
        axes.append((name, tuple(values)))
    grid = Grid(tuple(axes))
    if grid.size > MAX_CELLS:
        raise ValueError(f"the grid has {grid.size} cells; at most {MAX_CELLS} per sweep")
    return grid


def _canonical(study: str, version: int, cell: dict) -> str:
    # json writes floats with repr: the shortest text that round-trips, so equal floats give equal text
    return json.dumps([study, version, sorted(cell.items())], separators=(",", ":"))


def cell_id(study: str, version: int, cell: dict) -> str:
    """Hex id of a cell (the name of its result shard)."""
    return hashlib.sha256(_canonical(study, version, cell).encode()).hexdigest()[:24]


def cell_seed(study: str, version: int, cell: dict) -> int:
    """Seed of a cell: a hash of its canonical parameters (``< 2**56``)."""
    h = hashlib.sha256(("seed:" + _canonical(study, version, cell)).encode()).digest()
    return int.from_bytes(h[:7], "big")
