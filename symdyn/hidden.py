"""Hidden-variable laws P_c with exact symbolic moments.

Every law exposes exact moments (``moment``), exact expectations of functions
(``expect``), sampling (``sample``) and a few derived properties.  Concrete laws
have Rational / algebraic moments; :class:`GeneralLaw` has free positive moment
symbols ``m2, m4, ...`` for proofs that must hold for *every* law.

Numbers given as Python floats are converted to the exact decimal they denote
(``0.3 -> 3/10``); strings are never parsed.

Examples
--------
>>> from symdyn.hidden import Rademacher, SparseTernary, GeneralLaw
>>> Rademacher(2).moment(4)
16
>>> SparseTernary(2, 0.25).kurtosis
4
>>> GeneralLaw().moment(4)
m4
"""

from __future__ import annotations

import numbers

import numpy as np
import sympy

from ._sympify import as_exact_number

__all__ = [
    "HiddenLaw",
    "Rademacher",
    "SparseTernary",
    "GaussianLaw",
    "UniformLaw",
    "DiscreteLaw",
    "GeneralLaw",
    "law_with_moments",
]

_c = sympy.Symbol("c", real=True)


def _exact(value, name: str, *, allow_symbol: bool = False) -> sympy.Expr:
    """Convert a number to an exact SymPy number (floats via their decimal repr)."""
    return as_exact_number(value, name, allow_symbols=allow_symbol)


def _positive(value, name: str) -> sympy.Expr:
    v = _exact(value, name)
    if not (v.is_real and v.is_positive):
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return v


class HiddenLaw:
    """Base class of hidden-variable laws (one feature ``c``).

    Subclasses implement :meth:`moment`, :meth:`expect`, :meth:`sample`.
    """

    is_symmetric: bool = True

    def moment(self, k: int) -> sympy.Expr:
        """Exact ``E[c^k]``."""
        raise NotImplementedError

    def expect(self, f) -> sympy.Expr:
        """Exact ``E[f(c)]``; ``f`` maps a SymPy expression to a SymPy expression."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size) -> np.ndarray:
        """Draw i.i.d. samples (float array of shape ``size``)."""
        raise NotImplementedError

    def atoms(self):
        """``[(value, prob), ...]`` for finite discrete laws, else ``None``."""
        return None

    @property
    def second_moment(self) -> sympy.Expr:
        """``E[c^2]``."""
        return self.moment(2)

    @property
    def kurtosis(self) -> sympy.Expr:
        """``E[c^4] / E[c^2]^2``."""
        return sympy.simplify(self.moment(4) / self.moment(2) ** 2)

    @staticmethod
    def _check_k(k) -> int:
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 0:
            raise ValueError(f"k must be a non-negative integer, got {k!r}")
        return int(k)

    @staticmethod
    def _apply(f):
        if isinstance(f, str):
            raise TypeError("f must be a callable on SymPy expressions, not a string")
        if not callable(f):
            raise TypeError(f"f must be callable, got {type(f).__name__}")
        out = f(_c)
        if isinstance(out, str):
            raise TypeError("f must return a SymPy expression, not a string")
        if isinstance(out, numbers.Number):
            return _exact(out, "f(c)")
        if not isinstance(out, sympy.Expr):
            raise TypeError(f"f must return a SymPy expression, got {type(out).__name__}")
        return out

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__, self._key()))

    def _key(self):  # pragma: no cover - overridden
        return ()


class DiscreteLaw(HiddenLaw):
    """Finite discrete law with exact values and probabilities.

    Parameters
    ----------
    values : sequence of numbers
        Distinct support points.
    probs : sequence of numbers
        Non-negative probabilities summing exactly to 1.

    Examples
    --------
    >>> from symdyn.hidden import DiscreteLaw
    >>> from fractions import Fraction as F
    >>> DiscreteLaw([-1, 2], [F(2, 3), F(1, 3)]).moment(1)
    0
    """

    def __init__(self, values, probs):
        if isinstance(values, str) or isinstance(probs, str):
            raise TypeError("values and probs must be sequences of numbers, not strings")
        values = [_exact(v, f"values[{i}]") for i, v in enumerate(values)]
        probs = [_exact(p, f"probs[{i}]") for i, p in enumerate(probs)]
        if len(values) == 0:
            raise ValueError("values must not be empty")
        if len(values) != len(probs):
            raise ValueError(f"values and probs must have the same length, got {len(values)} and {len(probs)}")
        if len(set(values)) != len(values):
            raise ValueError("values must be distinct")
        for i, p in enumerate(probs):
            if p.is_negative:
                raise ValueError(f"probs[{i}] must be in [0, 1], got {p}")
        total = sympy.Add(*probs)
        if sympy.simplify(total - 1) != 0:
            raise ValueError(f"probs must sum to 1 exactly, got {sympy.N(total, 6)}")
        self._values = tuple(values)
        self._probs = tuple(probs)
        self._fvalues = np.array([float(v) for v in values])
        self._fprobs = np.array([float(p) for p in probs])
        self._fprobs = self._fprobs / self._fprobs.sum()
        self.is_symmetric = self._symmetric()

    def _symmetric(self) -> bool:
        table = dict(zip(self._values, self._probs))
        return all(sympy.simplify(table.get(-v, sympy.S.Zero) - p) == 0 for v, p in table.items())

    def _key(self):
        return (self._values, self._probs)

    def atoms(self):
        return list(zip(self._values, self._probs))

    def moment(self, k: int) -> sympy.Expr:
        k = self._check_k(k)
        return sympy.expand(sympy.Add(*[p * v**k for v, p in zip(self._values, self._probs)]))

    def expect(self, f) -> sympy.Expr:
        expr = self._apply(f)
        return sympy.Add(*[p * expr.subs(_c, v) for v, p in zip(self._values, self._probs)])

    def sample(self, rng: np.random.Generator, size) -> np.ndarray:
        idx = rng.choice(len(self._fvalues), size=size, p=self._fprobs)
        return self._fvalues[idx]

    def __repr__(self):
        return f"DiscreteLaw(values={list(self._values)}, probs={list(self._probs)})"


class Rademacher(DiscreteLaw):
    """Scaled Rademacher law: ``c = +-scale`` with probability 1/2 each.

    Examples
    --------
    >>> from symdyn.hidden import Rademacher
    >>> Rademacher(3).second_moment, Rademacher().kurtosis
    (9, 1)
    """

    def __init__(self, scale=1):
        self.scale = _positive(scale, "scale")
        half = sympy.Rational(1, 2)
        super().__init__([-self.scale, self.scale], [half, half])

    def sample(self, rng, size):
        return float(self.scale) * (2.0 * rng.integers(0, 2, size=size) - 1.0)

    def __repr__(self):
        return f"Rademacher(scale={self.scale})"


class SparseTernary(DiscreteLaw):
    """Sparse ternary law: values ``(-a, 0, a)`` with probabilities ``(p/2, 1-p, p/2)``.

    Parameters
    ----------
    a : positive number
    p : number in (0, 1]

    Examples
    --------
    >>> from symdyn.hidden import SparseTernary
    >>> law = SparseTernary(2, 0.25)
    >>> law.second_moment, law.moment(4)
    (1, 4)
    """

    def __init__(self, a, p):
        self.a = _positive(a, "a")
        self.p = _exact(p, "p")
        if not (self.p.is_positive and self.p <= 1):
            raise ValueError(f"p must be in (0, 1], got {p!r}")
        if self.p == 1:
            super().__init__([-self.a, self.a], [sympy.Rational(1, 2)] * 2)
        else:
            super().__init__([-self.a, sympy.S.Zero, self.a], [self.p / 2, 1 - self.p, self.p / 2])

    def __repr__(self):
        return f"SparseTernary(a={self.a}, p={self.p})"


class GaussianLaw(HiddenLaw):
    """Centred Gaussian law ``N(0, variance)``.

    Examples
    --------
    >>> from symdyn.hidden import GaussianLaw
    >>> GaussianLaw(2).moment(4), GaussianLaw().kurtosis
    (12, 3)
    """

    is_symmetric = True

    def __init__(self, variance=1):
        self.variance = _positive(variance, "variance")

    def _key(self):
        return (self.variance,)

    def moment(self, k: int) -> sympy.Expr:
        k = self._check_k(k)
        if k % 2:
            return sympy.S.Zero
        return self.variance ** (k // 2) * sympy.factorial2(k - 1)

    def expect(self, f) -> sympy.Expr:
        expr = self._apply(f)
        s2 = self.variance
        dens = sympy.exp(-_c**2 / (2 * s2)) / sympy.sqrt(2 * sympy.pi * s2)
        res = sympy.integrate(expr * dens, (_c, -sympy.oo, sympy.oo))
        if res.has(sympy.Integral):
            raise ValueError(f"E[f(c)] has no closed form for f(c) = {expr} under {self!r}")
        return sympy.simplify(res.rewrite(sympy.erf))

    def sample(self, rng, size):
        return np.sqrt(float(self.variance)) * rng.standard_normal(size)

    def __repr__(self):
        return f"GaussianLaw(variance={self.variance})"


class UniformLaw(HiddenLaw):
    """Uniform law on ``[-half_width, half_width]``.

    Examples
    --------
    >>> from symdyn.hidden import UniformLaw
    >>> UniformLaw(3).second_moment, UniformLaw().kurtosis
    (3, 9/5)
    """

    is_symmetric = True

    def __init__(self, half_width=1):
        self.half_width = _positive(half_width, "half_width")

    def _key(self):
        return (self.half_width,)

    def moment(self, k: int) -> sympy.Expr:
        k = self._check_k(k)
        if k % 2:
            return sympy.S.Zero
        return self.half_width**k / (k + 1)

    def expect(self, f) -> sympy.Expr:
        expr = self._apply(f)
        a = self.half_width
        res = sympy.integrate(expr / (2 * a), (_c, -a, a))
        if res.has(sympy.Integral):
            raise ValueError(f"E[f(c)] has no closed form for f(c) = {expr} under {self!r}")
        return sympy.simplify(res.rewrite(sympy.erf))

    def sample(self, rng, size):
        a = float(self.half_width)
        return rng.uniform(-a, a, size=size)

    def __repr__(self):
        return f"UniformLaw(half_width={self.half_width})"


class GeneralLaw(HiddenLaw):
    """A law known only through its moments: free positive symbols ``m2, m4, ...``.

    Parameters
    ----------
    max_order : int
        Highest moment available (>= 2).
    symmetric : bool
        If True, odd moments are 0; otherwise ``m1, m3, ...`` are real symbols.

    Examples
    --------
    >>> from symdyn.hidden import GeneralLaw
    >>> law = GeneralLaw()
    >>> law.expect(lambda c: (1 + c)**2)
    m2 + 1
    >>> law.kurtosis
    m4/m2**2
    """

    def __init__(self, max_order=8, symmetric=True):
        if isinstance(max_order, bool) or not isinstance(max_order, numbers.Integral) or max_order < 2:
            raise ValueError(f"max_order must be an integer >= 2, got {max_order!r}")
        self.max_order = int(max_order)
        self.is_symmetric = bool(symmetric)
        self._symbols = {}
        for k in range(1, self.max_order + 1):
            if k % 2 == 0:
                self._symbols[k] = sympy.Symbol(f"m{k}", positive=True)
            elif not self.is_symmetric:
                self._symbols[k] = sympy.Symbol(f"m{k}", real=True)

    def _key(self):
        return (self.max_order, self.is_symmetric)

    @property
    def symbols(self) -> dict:
        """``{k: Symbol}`` of the free moments."""
        return dict(self._symbols)

    def moment(self, k: int) -> sympy.Expr:
        k = self._check_k(k)
        if k == 0:
            return sympy.S.One
        if k > self.max_order:
            raise ValueError(f"k must be <= max_order={self.max_order}, got {k}")
        if k % 2 and self.is_symmetric:
            return sympy.S.Zero
        return self._symbols[k]

    def expect(self, f) -> sympy.Expr:
        expr = self._apply(f)
        if not expr.has(_c):
            return expr
        try:
            poly = sympy.Poly(sympy.expand(expr), _c)
        except sympy.PolynomialError:
            raise ValueError(f"GeneralLaw.expect needs f polynomial in c, got {expr}") from None
        if any(s.has(_c) for s in poly.coeffs()):
            raise ValueError(f"GeneralLaw.expect needs f polynomial in c, got {expr}")
        return sympy.Add(*[coef * self.moment(m[0]) for m, coef in zip(poly.monoms(), poly.coeffs())])

    def sample(self, rng, size):
        raise ValueError("GeneralLaw has symbolic moments and cannot be sampled; use a concrete law")

    def __repr__(self):
        return f"GeneralLaw(max_order={self.max_order}, symmetric={self.is_symmetric})"


def law_with_moments(second_moment, kurtosis) -> SparseTernary:
    """The sparse ternary law with given ``E[c^2]`` and kurtosis ``E[c^4]/E[c^2]^2``.

    ``p = 1/kurtosis`` and ``a^2 p = second_moment``; needs ``kurtosis >= 1``.

    Examples
    --------
    >>> from symdyn.hidden import law_with_moments
    >>> law = law_with_moments(2, 4)
    >>> law.second_moment, law.kurtosis
    (2, 4)
    """
    m2 = _positive(second_moment, "second_moment")
    kurt = _exact(kurtosis, "kurtosis")
    if not (kurt.is_real and kurt >= 1):
        raise ValueError(f"kurtosis must be >= 1, got {kurtosis!r}")
    p = 1 / kurt
    a = sympy.sqrt(m2 * kurt)
    return SparseTernary(a, p)
