"""Exact root location: half-plane and unit-disk counts, inertia, certified fallbacks.

Every count here is **exact** (level ``proved``): coefficients are rational or
algebraic, all decisions are signs of exact numbers (rationals directly, algebraic
numbers by an exact zero test in a number field plus interval refinement), and the
methods are Routh--Hurwitz / Cauchy indices via Sturm sequences, a Moebius map for
the unit disk, and Descartes' rule (exact for real-rooted polynomials) for inertia.
The ``certified_*`` functions take floating-point coefficients as exact binary values
and locate roots with rigorous ball arithmetic (python-flint, level ``certified``);
they raise :class:`UndecidableError` rather than guess when a root enclosure
touches the boundary.

Polynomials may be given as a ``sympy.Poly``, a SymPy expression plus its variable,
a flint ``fmpq_poly`` / ``fmpz_poly``, or a sequence of coefficients, highest degree
first. Counts are with multiplicity.

Number fields for algebraic coefficients are built by SymPy (``primitive_element``);
each generator's representation is cross-checked against an interval enclosure, and
from then on every decision is an exact zero test or a sign refined by intervals
until it is certain.

Examples
========
>>> from sympy import symbols, sqrt
>>> from symdyn.stability import half_plane_count, unit_disk_count, inertia
>>> s = symbols('s')
>>> half_plane_count((s**2 + 4)*(s + 1)**2*(s - 3), s)
HalfPlaneCount(left=2, imaginary=2, right=1)
>>> unit_disk_count([1, -sqrt(2), 1])          # z**2 - sqrt(2) z + 1: |z| = 1
DiskCount(inside=0, on=2, outside=0)
>>> inertia([[2, 1], [1, -3]])
Inertia(positive=1, negative=1, zero=0)
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import NamedTuple

import flint
import sympy
from flint import fmpq, fmpq_mat, fmpq_poly, fmpz_poly

from ._stability_inertia import congruence_inertia
from ._validation import check_cap
from ._stability_numbers import _conj as conjugate
from ._stability_numbers import exact_number, number_field, real_imag
from ._stability_rings import (AlgRing, QQRing, half_plane_real, real_roots_open,
                               root_multiplicity, unit_disk_real)

__all__ = [
    "HalfPlaneCount", "DiskCount", "Inertia", "UndecidableError",
    "half_plane_count", "unit_disk_count", "matrix_half_plane_count",
    "matrix_unit_disk_count", "inertia", "charpoly", "interval_real_root_count",
    "certified_half_plane_count", "certified_unit_disk_count",
]

_X = sympy.Dummy("x")
LAMBDA = sympy.Symbol("lambda")


class HalfPlaneCount(NamedTuple):
    """Roots in the open left half-plane, on the imaginary axis, in the open right."""

    left: int
    imaginary: int
    right: int

    @property
    def total(self) -> int:
        return self.left + self.imaginary + self.right


class DiskCount(NamedTuple):
    """Roots with ``|z| < 1``, ``|z| = 1`` and ``|z| > 1``."""

    inside: int
    on: int
    outside: int

    @property
    def total(self) -> int:
        return self.inside + self.on + self.outside


class Inertia(NamedTuple):
    """Numbers of positive, negative and zero eigenvalues of a Hermitian matrix."""

    positive: int
    negative: int
    zero: int


class UndecidableError(ValueError):
    """A root enclosure touches the boundary: interval arithmetic cannot decide."""


# --------------------------------------------------------------------------- #
# input normalisation
# --------------------------------------------------------------------------- #

def _degree_bound(expr, x) -> int:
    """An upper bound on the degree in ``x`` of ``expr``, read off its tree without expanding.

    ``Add`` takes the maximum, ``Mul`` the sum, ``b**e`` (integer ``e >= 0``) ``e`` times the
    bound of ``b``; anything else counts 1 if it contains ``x`` (``Poly`` rejects it later).
    """
    if not expr.has(x):
        return 0
    if expr == x:
        return 1
    if isinstance(expr, sympy.Add):
        return max(_degree_bound(a, x) for a in expr.args)
    if isinstance(expr, sympy.Mul):
        return sum(_degree_bound(a, x) for a in expr.args)
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and expr.exp >= 0:
        return int(expr.exp) * _degree_bound(expr.base, x)
    return 1


def _check_degree(degree: int, name: str, cap_key: str, *, bound: bool = False) -> None:
    what = "degree bound before cancellation" if bound else "degree"
    check_cap(f"{what} of {name}", degree, cap_key,
              what="exact root counting; CAPS['" + cap_key + "']")


def _coefficients(poly, x, name: str = "poly", cap_key: str = "poly_degree") -> list:
    """Exact SymPy coefficients, highest degree first, of a univariate polynomial.

    The degree is checked against ``CAPS[cap_key]`` before any expansion (ValueError).
    """
    if isinstance(poly, (str, bytes)):
        raise TypeError(f"{name} must be a sympy.Poly, a SymPy expression or a sequence "
                        "of coefficients; strings are never parsed")
    if x is not None and not isinstance(x, sympy.Symbol):
        raise TypeError(f"x must be a SymPy Symbol, got {type(x).__name__}")
    if isinstance(poly, sympy.MatrixBase):
        raise TypeError(f"{name} must be a polynomial, got a matrix (use the matrix_* "
                        "functions)")
    if isinstance(poly, (fmpq_poly, fmpz_poly)):
        if poly.is_zero():
            raise ValueError(f"{name} is the zero polynomial")
        _check_degree(poly.degree(), name, cap_key)
        return [exact_number(c, name) for c in reversed(poly.coeffs())]
    if isinstance(poly, sympy.Poly):
        if len(poly.gens) != 1:
            raise ValueError(f"{name} must be univariate, got generators {poly.gens}")
        if x is not None and poly.gen != x:
            raise ValueError(f"x={x} is not the generator {poly.gen} of {name}")
        _check_degree(poly.degree(), name, cap_key)
        coeffs = poly.all_coeffs()
    elif isinstance(poly, sympy.Basic):
        if not isinstance(poly, sympy.Expr):
            raise TypeError(f"{name} must be a SymPy expression, got {type(poly).__name__}")
        free = poly.free_symbols
        if x is None:
            if len(free) > 1:
                raise ValueError(f"{name} has symbols {sorted(map(str, free))}; pass x")
            x = next(iter(free)) if free else _X
        if free - {x}:
            raise ValueError(f"{name} has symbols other than x={x}: "
                             f"{sorted(map(str, free - {x}))}")
        if poly.has(sympy.Float):
            raise TypeError(f"{name} has floating-point coefficients; use the certified_* "
                            "functions for float input")
        # CRootOf / AlgebraicNumber atoms may mention x in their own polynomial:
        # hide them behind dummies while extracting coefficients.
        hidden = {a: sympy.Dummy() for a in poly.atoms(sympy.CRootOf, sympy.AlgebraicNumber)}
        back = {d: a for a, d in hidden.items()}
        _check_degree(_degree_bound(poly.xreplace(hidden), x), name, cap_key, bound=True)
        try:
            coeffs = sympy.Poly(poly.xreplace(hidden), x).all_coeffs()
        except sympy.PolynomialError as exc:
            raise ValueError(f"{name} is not a polynomial in {x}: {exc}") from None
        coeffs = [sympy.sympify(c).xreplace(back) for c in coeffs]
    else:
        try:
            coeffs = list(poly)
        except TypeError:
            raise TypeError(f"{name} must be a sympy.Poly, a SymPy expression or a "
                            f"sequence of coefficients, got {type(poly).__name__}") from None
    coeffs = [exact_number(c, f"{name} coefficient {i}") for i, c in enumerate(coeffs)]
    while coeffs and coeffs[0] == 0:
        coeffs.pop(0)
    if not coeffs:
        raise ValueError(f"{name} is the zero polynomial")
    _check_degree(len(coeffs) - 1, name, cap_key)
    return coeffs


def _ring_for(numbers_: list):
    """Ring for a list of real exact numbers and their images in it."""
    if all(c.is_Rational for c in numbers_):
        return QQRing(), [fmpq(int(c.p), int(c.q)) for c in numbers_]
    K, elems, signs = number_field(numbers_)
    return AlgRing(K, _X, signs), elems


def _real_problem(poly, x, name="poly", cap_key="poly_degree"):
    """Ring ``R``, real part ``Pa`` and imaginary part ``Pb`` (ring polynomials)."""
    coeffs = _coefficients(poly, x, name, cap_key)
    parts = [real_imag(c, f"{name} coefficient") for c in coeffs]
    flat = [p for pair in parts for p in pair]
    R, elems = _ring_for(flat)
    Pa = R.from_low(list(reversed(elems[0::2])))
    Pb = R.from_low(list(reversed(elems[1::2])))
    if R.is_zero(Pa) and R.is_zero(Pb):
        # e.g. (1 + sqrt(2))**2 - 3 - 2*sqrt(2), zero but not syntactically so
        raise ValueError(f"{name} is the zero polynomial")
    return R, Pa, Pb


def _halve(counts):
    if any(c % 2 for c in counts):
        raise ArithmeticError("internal: odd count for p * conj(p)")  # pragma: no cover
    return tuple(c // 2 for c in counts)


def _located(poly, x, real_counter, cap_key="poly_degree"):
    R, Pa, Pb = _real_problem(poly, x, cap_key=cap_key)
    if R.is_zero(Pb):
        return real_counter(R, R.low(Pa))
    # p = Pa + i Pb; Pa^2 + Pb^2 = p * conj(p) has the roots of p and their
    # conjugates: same real parts and moduli, so every count doubles.
    q = R.add(R.mul(Pa, Pa), R.mul(Pb, Pb))
    return _halve(real_counter(R, R.low(q)))


# --------------------------------------------------------------------------- #
# polynomials
# --------------------------------------------------------------------------- #

def half_plane_count(poly, x=None) -> HalfPlaneCount:
    """Count roots in the open left half-plane, on the imaginary axis, in the open right.

    Exact (Routh--Hurwitz via Sturm / Cauchy index), counted with multiplicity.

    Parameters
    ==========
    poly : sympy.Poly, SymPy expression, or sequence of coefficients (highest first)
        Coefficients must be exact: int, ``Fraction``, SymPy rationals or algebraic
        numbers (radicals, ``I``, ``CRootOf``). Floats raise ``TypeError``.
    x : sympy.Symbol, optional
        The variable, when ``poly`` is an expression with several symbols.

    Returns
    =======
    HalfPlaneCount
        ``(left, imaginary, right)``; ``total`` equals the degree.

    Examples
    ========
    >>> from sympy import I
    >>> from symdyn.stability import half_plane_count
    >>> half_plane_count([1, 3, 2])                  # (s + 1)(s + 2)
    HalfPlaneCount(left=2, imaginary=0, right=0)
    >>> half_plane_count([1, 0, 2, 0, 1])            # (s**2 + 1)**2
    HalfPlaneCount(left=0, imaginary=4, right=0)
    >>> half_plane_count([1, -I])                    # s - i
    HalfPlaneCount(left=0, imaginary=1, right=0)
    """
    return HalfPlaneCount(*_located(poly, x, half_plane_real))


def unit_disk_count(poly, x=None) -> DiskCount:
    """Count roots with ``|z| < 1``, ``|z| = 1`` and ``|z| > 1`` (exact, with multiplicity).

    Roots at ``z = -1`` are divided out exactly, then the Moebius map
    ``z = (1 + w)/(1 - w)`` sends the disk to the left half-plane.

    Parameters
    ==========
    poly, x
        As in :func:`half_plane_count`.

    Returns
    =======
    DiskCount

    Examples
    ========
    >>> from symdyn.stability import unit_disk_count
    >>> unit_disk_count([1, -1, 1])                  # primitive 6th roots of unity
    DiskCount(inside=0, on=2, outside=0)
    >>> unit_disk_count([2, -1])                     # 2 z - 1
    DiskCount(inside=1, on=0, outside=0)
    """
    return DiskCount(*_located(poly, x, unit_disk_real, "disk_degree"))


def _endpoint(value, name):
    if isinstance(value, float) and math.isinf(value):
        return ("inf", 1 if value > 0 else -1), value
    if isinstance(value, sympy.Basic) and value in (sympy.oo, -sympy.oo):
        return ("inf", 1 if value == sympy.oo else -1), value
    if isinstance(value, float):
        raise TypeError(f"{name} must be rational (int, Fraction, SymPy Rational) or "
                        f"+-oo, got the float {value!r}")
    v = exact_number(value, name)
    if not v.is_Rational:
        raise TypeError(f"{name} must be rational or +-oo, got {v}")
    return ("pt", v), v


def interval_real_root_count(poly, a, b, *, closed=(False, False), x=None) -> int:
    """Exact number of real roots, with multiplicity, of ``poly`` between ``a`` and ``b``.

    Parameters
    ==========
    poly : as in :func:`half_plane_count` (complex coefficients allowed)
    a, b : rational (int, Fraction, SymPy Rational) or ``sympy.oo`` / ``float('inf')``
        Endpoints with ``a <= b``.
    closed : (bool, bool)
        Whether ``a`` and ``b`` belong to the interval (open by default).

    Returns
    =======
    int

    Examples
    ========
    >>> from symdyn.stability import interval_real_root_count
    >>> interval_real_root_count([1, 0, -1], -1, 1)                 # x**2 - 1
    0
    >>> interval_real_root_count([1, 0, -1], -1, 1, closed=(True, True))
    2
    >>> interval_real_root_count([1, -2, 1, 0], 0, 2)               # x (x - 1)**2
    2
    """
    if (not isinstance(closed, (tuple, list)) or len(closed) != 2
            or not all(isinstance(c, bool) for c in closed)):
        raise TypeError("closed must be a pair of bools")
    (ka, va), (kb, vb) = _endpoint(a, "a"), _endpoint(b, "b")
    lo = -math.inf if ka[0] == "inf" and ka[1] < 0 else (math.inf if ka[0] == "inf" else va)
    hi = -math.inf if kb[0] == "inf" and kb[1] < 0 else (math.inf if kb[0] == "inf" else vb)
    if ka == ("inf", 1) or kb == ("inf", -1) or lo > hi:
        raise ValueError(f"need a <= b with a < +oo and b > -oo, got a={a}, b={b}")
    if (closed[0] and ka[0] == "inf") or (closed[1] and kb[0] == "inf"):
        raise ValueError("closed must be False at an infinite endpoint")
    R, Pa, Pb = _real_problem(poly, x)
    g = Pa if R.is_zero(Pb) else R.gcd(Pa, Pb)
    if R.deg(g) <= 0:
        return 0
    pa = ("pt", R.point(va)) if ka[0] == "pt" else ka
    pb = ("pt", R.point(vb)) if kb[0] == "pt" else kb
    if ka[0] == "pt" and kb[0] == "pt" and va == vb:
        return root_multiplicity(R, g, pa[1])[0] if all(closed) else 0
    total = real_roots_open(R, g, pa, pb)
    for flag, end in zip(closed, (pa, pb)):
        if flag:
            total += root_multiplicity(R, g, end[1])[0]
    return total


# --------------------------------------------------------------------------- #
# matrices
# --------------------------------------------------------------------------- #

def _exact_matrix(M, name: str = "M", cap_key: str = "matrix_size") -> list[list]:
    if isinstance(M, (str, bytes)):
        raise TypeError(f"{name} must be a matrix, got a string")
    try:
        from sympy.polys.matrices import DomainMatrix
    except ImportError:  # pragma: no cover
        DomainMatrix = ()
    if isinstance(M, DomainMatrix):
        M = M.to_Matrix()
    if isinstance(M, sympy.MatrixBase):
        rows = M.tolist()
    else:
        try:
            rows = [list(r) for r in M]
        except TypeError:
            raise TypeError(f"{name} must be a square matrix (nested sequences, SymPy "
                            f"Matrix or DomainMatrix), got {type(M).__name__}") from None
    n = len(rows)
    check_cap(f"size of {name}", n, cap_key, what=f"exact eigenvalue counting; CAPS['{cap_key}']")
    if n == 0 or any(len(r) != n for r in rows):
        shape = (n, len(rows[0]) if n else 0)
        raise ValueError(f"{name} must be a non-empty square matrix, got shape {shape}"
                         + ("" if all(len(r) == len(rows[0]) for r in rows) else " (ragged)"))
    return [[exact_number(v, f"{name}[{i}][{j}]") for j, v in enumerate(r)]
            for i, r in enumerate(rows)]


def _flint_charpoly(rows) -> fmpq_poly:
    n = len(rows)
    flat = [fmpq(int(v.p), int(v.q)) for r in rows for v in r]
    return fmpq_mat(n, n, flat).charpoly()


def _alg_charpoly(rows, K, elems):
    from sympy.polys.matrices import DomainMatrix

    n = len(rows)
    dm = DomainMatrix([elems[i * n:(i + 1) * n] for i in range(n)], (n, n), K)
    return dm.charpoly()


def charpoly(M) -> sympy.Poly:
    """Exact characteristic polynomial ``det(lambda I - M)`` as a ``sympy.Poly``.

    Rational matrices use flint ``fmpq_mat.charpoly`` (domain ``QQ``); matrices with
    algebraic entries use ``DomainMatrix.charpoly`` over ``QQ<theta>``.

    Parameters
    ==========
    M : square matrix of exact numbers (nested lists, SymPy Matrix, DomainMatrix)

    Returns
    =======
    sympy.Poly
        Monic, in the symbol ``lambda``.

    Examples
    ========
    >>> from symdyn.stability import charpoly
    >>> charpoly([[0, 1], [-2, -3]]).all_coeffs()
    [1, 3, 2]
    """
    rows = _exact_matrix(M)
    entries = [v for r in rows for v in r]
    if all(v.is_Rational for v in entries):
        cp = _flint_charpoly(rows)
        coeffs = [sympy.Rational(int(c.p), int(c.q)) for c in reversed(cp.coeffs())]
        return sympy.Poly(coeffs, LAMBDA, domain=sympy.QQ)
    K, elems, _ = number_field(entries)
    return sympy.Poly.from_list(_alg_charpoly(rows, K, elems), LAMBDA, domain=K)


def matrix_half_plane_count(M) -> HalfPlaneCount:
    """Eigenvalues of an exact square matrix in the left half-plane / on the axis / right.

    Examples
    ========
    >>> from symdyn.stability import matrix_half_plane_count
    >>> matrix_half_plane_count([[0, 1], [-1, 0]])
    HalfPlaneCount(left=0, imaginary=2, right=0)
    """
    return half_plane_count(charpoly(M))


def matrix_unit_disk_count(M) -> DiskCount:
    """Eigenvalues of an exact square matrix inside / on / outside the unit circle.

    Examples
    ========
    >>> from fractions import Fraction
    >>> from symdyn.stability import matrix_unit_disk_count
    >>> matrix_unit_disk_count([[Fraction(1, 2), 1], [0, 2]])
    DiskCount(inside=1, on=0, outside=1)
    """
    return unit_disk_count(charpoly(M))


def _descartes(signs) -> int:
    s = [v for v in signs if v != 0]
    return sum(1 for u, v in zip(s, s[1:]) if u != v)


def _inertia_from_signs(signs_low: list[int], n: int) -> Inertia:
    """Inertia from the coefficient signs (lowest first) of a real-rooted charpoly."""
    zero = next(i for i, s in enumerate(signs_low) if s != 0)
    pos = _descartes(signs_low)
    neg = _descartes([s if k % 2 == 0 else -s for k, s in enumerate(signs_low)])
    if pos + neg + zero != n:
        raise ArithmeticError("internal: characteristic polynomial is not real-rooted")
    return Inertia(pos, neg, zero)


def inertia(M, *, method: str = "charpoly") -> Inertia:
    """Exact inertia (positive, negative, zero eigenvalues) of a Hermitian matrix.

    ``method='charpoly'`` (default): the characteristic polynomial of a Hermitian
    matrix has only real roots, so Descartes' rule of signs counts its positive and
    negative roots exactly; the zero eigenvalues are its trailing zero coefficients
    (flint ``fmpq_mat.charpoly`` for rational matrices). ``method='ldl'``: exact
    congruence to a block diagonal matrix (Sylvester's law of inertia), pure Python,
    meant as an independent cross-check (much slower for large rational matrices).
    Both are exact; singular matrices and vanishing leading minors need no special
    care.

    Parameters
    ==========
    M : square symmetric (Hermitian) matrix of exact numbers
    method : {'charpoly', 'ldl'}

    Returns
    =======
    Inertia

    Raises
    ======
    ValueError
        If ``M`` is not square or not symmetric / Hermitian, or ``method`` is unknown.

    Examples
    ========
    >>> from symdyn.stability import inertia
    >>> inertia([[0, 1], [1, 0]])
    Inertia(positive=1, negative=1, zero=0)
    >>> inertia([[1, 1], [1, 1]], method="ldl")
    Inertia(positive=1, negative=0, zero=1)
    """
    if method not in ("charpoly", "ldl"):
        raise ValueError(f"method must be 'charpoly' or 'ldl', got {method!r}")
    rows = _exact_matrix(M, cap_key="matrix_size_ldl" if method == "ldl" else "matrix_size")
    n = len(rows)
    entries = [v for r in rows for v in r]
    if all(v.is_Rational for v in entries):
        for i in range(n):
            for j in range(i):
                if rows[i][j] != rows[j][i]:
                    raise ValueError(f"M must be symmetric: M[{i}][{j}] != M[{j}][{i}]")
        if method == "ldl":
            q = [[fmpq(int(v.p), int(v.q)) for v in r] for r in rows]
            return Inertia(*congruence_inertia(q, lambda c: (c > 0) - (c < 0)))
        cp = _flint_charpoly(rows)
        return _inertia_from_signs([(c > 0) - (c < 0) for c in cp.coeffs()], n)
    conj = [[conjugate(v) for v in r] for r in rows]
    if any(c is None for r in conj for c in r):
        raise TypeError("M has entries whose complex conjugate is not an explicit "
                        "algebraic number")
    K, elems, signs = number_field(entries + [c for r in conj for c in r])
    mat, cmat = elems[:n * n], elems[n * n:]
    for i in range(n):
        for j in range(i + 1):
            if mat[i * n + j] != cmat[j * n + i]:
                raise ValueError(f"M must be Hermitian: M[{i}][{j}] != conj(M[{j}][{i}])")
    if method == "ldl":
        grid = [mat[i * n:(i + 1) * n] for i in range(n)]
        return Inertia(*congruence_inertia(grid, signs.sign))
    cp = _alg_charpoly(rows, K, mat)
    return _inertia_from_signs([signs.sign(c) for c in reversed(cp)], n)


# --------------------------------------------------------------------------- #
# certified (interval) counts for floating-point coefficients
# --------------------------------------------------------------------------- #

def _binary_exact(value, name) -> tuple[Fraction, Fraction]:
    """Exact (real, imag) rational value of a float / mpf / exact rational."""
    import mpmath

    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number, got a string {value!r}")
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got bool")
    if isinstance(value, mpmath.mpc):
        return _binary_exact(value.real, name)[0], _binary_exact(value.imag, name)[0]
    if isinstance(value, mpmath.mpf):
        if not mpmath.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value}")
        man, exp = mpmath.mpf(value).man_exp
        return Fraction(int(man)) * Fraction(2) ** int(exp), Fraction(0)
    if isinstance(value, sympy.Basic):
        if isinstance(value, sympy.Float):
            return _binary_exact(mpmath.mpf(value._mpf_), name)
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q)), Fraction(0)
        raise TypeError(f"{name} must be a float or rational, got {value}; use "
                        "half_plane_count / unit_disk_count for exact algebraic input")
    if isinstance(value, numbers.Rational):
        return Fraction(value), Fraction(0)
    if isinstance(value, numbers.Real):
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"{name} must be finite, got {value}")
        return Fraction(v), Fraction(0)
    if isinstance(value, numbers.Complex):
        c = complex(value)
        return _binary_exact(c.real, name)[0], _binary_exact(c.imag, name)[0]
    raise TypeError(f"{name} must be a number, got {type(value).__name__}")


def _certified_roots(coeffs, prec, maxprec, decide, name="coeffs"):
    """Root classes of the polynomial via rigorous root balls; ``decide(ball) -> -1/1/None``."""
    if isinstance(coeffs, (str, bytes)) or not hasattr(coeffs, "__iter__"):
        raise TypeError(f"{name} must be a sequence of numbers (highest degree first)")
    if isinstance(prec, bool) or not isinstance(prec, numbers.Integral) or prec < 16:
        raise ValueError(f"prec must be an integer >= 16, got {prec!r}")
    if isinstance(maxprec, bool) or not isinstance(maxprec, numbers.Integral) \
            or maxprec < prec:
        raise ValueError(f"maxprec must be an integer >= prec, got {maxprec!r}")
    check_cap("maxprec", maxprec, "certified_maxprec", what="bits of working precision")
    if hasattr(coeffs, "__len__"):
        check_cap(f"degree of {name}", len(coeffs) - 1, "certified_degree")
    parts = [_binary_exact(c, f"{name}[{i}]") for i, c in enumerate(coeffs)]
    while parts and parts[0] == (0, 0):
        parts.pop(0)
    if not parts:
        raise ValueError(f"{name} is the zero polynomial")
    re = fmpq_poly([fmpq(p[0].numerator, p[0].denominator) for p in reversed(parts)])
    im = fmpq_poly([fmpq(p[1].numerator, p[1].denominator) for p in reversed(parts)])
    halve = not im.is_zero()
    q = re * re + im * im if halve else re
    counts = {-1: 0, 1: 0}
    for factor, mult in q.numer().factor_squarefree()[1]:
        if factor.degree() <= 0:
            continue
        p = prec
        while True:
            with flint.ctx.workprec(p):
                balls = [flint.acb(r) for r, _m in factor.complex_roots()]
                verdicts = [decide(b) for b in balls]
            if all(v is not None for v in verdicts):
                break
            if p >= maxprec:
                bad = [b for b, v in zip(balls, verdicts) if v is None]
                raise UndecidableError(
                    f"root enclosure {bad[0]} touches the boundary at {p} bits; the "
                    "count cannot be certified (use the exact functions on exact input)")
            p = min(2 * p, maxprec)
        for v in verdicts:
            counts[v] += mult
    if halve:
        return counts[-1] // 2, counts[1] // 2
    return counts[-1], counts[1]


def _side_of_axis(ball):
    if ball.real < 0:
        return -1
    if ball.real > 0:
        return 1
    return None


def _side_of_circle(ball):
    r = abs(ball)
    if r < 1:
        return -1
    if r > 1:
        return 1
    return None


def certified_half_plane_count(coeffs, *, prec: int = 64, maxprec: int = 4096) -> HalfPlaneCount:
    """Rigorous left/right half-plane count for float (or rational) coefficients.

    Each coefficient (float, ``mpmath.mpf``, SymPy ``Float``, complex, int,
    ``Fraction``) is taken as its exact binary value. After an exact square-free
    decomposition, flint's certified complex root isolation encloses every root in a
    ball; the count is returned only if every ball lies strictly on one side of the
    imaginary axis (so ``imaginary`` is always 0).

    Parameters
    ==========
    coeffs : sequence of numbers, highest degree first
    prec : int
        Starting working precision in bits (>= 16).
    maxprec : int
        Precision at which to give up (>= prec).

    Returns
    =======
    HalfPlaneCount

    Raises
    ======
    UndecidableError
        If a root enclosure still touches the imaginary axis at ``maxprec`` bits
        (e.g. a root exactly on the axis).

    Examples
    ========
    >>> from symdyn.stability import certified_half_plane_count
    >>> certified_half_plane_count([1.0, 0.5, -0.25])
    HalfPlaneCount(left=1, imaginary=0, right=1)
    """
    left, right = _certified_roots(coeffs, prec, maxprec, _side_of_axis)
    return HalfPlaneCount(left, 0, right)


def certified_unit_disk_count(coeffs, *, prec: int = 64, maxprec: int = 4096) -> DiskCount:
    """Rigorous inside/outside unit-disk count for float (or rational) coefficients.

    As :func:`certified_half_plane_count`, with the unit circle as boundary
    (``on`` is always 0; :class:`UndecidableError` if a ball meets the circle).

    Examples
    ========
    >>> from symdyn.stability import certified_unit_disk_count
    >>> certified_unit_disk_count([1.0, -0.5, 0.06])       # roots 0.2 and 0.3
    DiskCount(inside=2, on=0, outside=0)
    """
    inside, outside = _certified_roots(coeffs, prec, maxprec, _side_of_circle)
    return DiskCount(inside, 0, outside)
