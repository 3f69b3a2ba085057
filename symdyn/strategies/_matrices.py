"""Exact rational symmetric matrices with known inertia or known spectrum."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy
from hypothesis import strategies as st

from ._rationals import check_count, positive_rationals

__all__ = ["InertiaCase", "SPDCase", "symmetric_matrices", "spd_matrices"]


@dataclass(frozen=True)
class InertiaCase:
    """``matrix = P.T * diag(diagonal) * P`` with an invertible rational ``P``.

    Attributes
    ----------
    matrix : sympy.ImmutableMatrix
        Symmetric, rational.
    diagonal : tuple of sympy.Rational
        The chosen diagonal ``D``.
    congruence : sympy.ImmutableMatrix
        ``P`` (``det P != 0``; unimodular integer when ``unimodular=True``).
    inertia : symdyn.stability.Inertia
        Signs of ``D`` (Sylvester's law of inertia: the inertia of ``matrix``).
    """

    matrix: sympy.ImmutableMatrix
    diagonal: tuple
    congruence: sympy.ImmutableMatrix
    inertia: tuple


@dataclass(frozen=True)
class SPDCase:
    """``matrix = Q.T * diag(eigenvalues) * Q`` with a rational orthogonal ``Q``.

    Attributes
    ----------
    matrix : sympy.ImmutableMatrix
        Symmetric positive definite, rational.
    eigenvalues : tuple of sympy.Rational
        Its exact eigenvalues (positive), sorted increasingly.
    orthogonal : sympy.ImmutableMatrix
        ``Q``, with ``Q.T * Q == I`` exactly (Cayley transform of a skew integer matrix).
    condition_number : sympy.Rational
        ``max(eigenvalues) / min(eigenvalues)`` (2-norm condition number), ``<= max_condition``.
    """

    matrix: sympy.ImmutableMatrix
    eigenvalues: tuple
    orthogonal: sympy.ImmutableMatrix
    condition_number: sympy.Rational


def _q(f: Fraction) -> sympy.Rational:
    return sympy.Rational(f.numerator, f.denominator)


def _unimodular(draw, n: int, bound: int) -> sympy.Matrix:
    """``Pi * L * U``: permutation times unit-triangular small-integer factors (``det = +-1``)."""
    ints = st.integers(-bound, bound)
    L = sympy.eye(n)
    U = sympy.eye(n)
    for i in range(n):
        for j in range(i):
            L[i, j] = draw(ints)
            U[j, i] = draw(ints)
    perm = draw(st.permutations(range(n)))
    Pi = sympy.zeros(n, n)
    for i, j in enumerate(perm):
        Pi[i, j] = 1
    return Pi * L * U


def symmetric_matrices(*, size=None, min_size: int = 1, max_size: int = 4, positive=None, negative=None,
                       zero=None, unimodular: bool = False, entry_bound: int = 2):
    """Rational symmetric matrices with prescribed (or drawn) inertia.

    ``M = P^T D P`` where ``D`` is diagonal with chosen signs and ``P`` is invertible:
    a permutation times unit lower and unit upper triangular integer matrices
    (entries in ``[-entry_bound, entry_bound]``), with its rows scaled by nonzero
    rationals unless ``unimodular=True``.

    Parameters
    ----------
    size : int, optional
        Fixed size ``n``; otherwise drawn in ``[min_size, max_size]`` (at least the
        sum of the prescribed counts).
    positive, negative, zero : int, optional
        Prescribed numbers of positive, negative and zero eigenvalues.
    unimodular : bool
        Keep ``P`` an integer matrix with ``det P = +-1``.
    entry_bound : int
        Bound of the integer entries of the triangular factors (0..5).

    Returns
    -------
    SearchStrategy of InertiaCase

    Guarantees
    ----------
    ``case.matrix == P.T * diag(D) * P`` exactly with ``det P != 0``; by Sylvester's law
    of inertia ``case.inertia`` (the sign counts of ``D``) is the inertia of
    ``case.matrix`` and equals the prescribed counts.

    Examples
    --------
    >>> from symdyn.strategies import symmetric_matrices
    >>> case = symmetric_matrices(positive=1, negative=1, zero=0).example()
    >>> case.inertia
    Inertia(positive=1, negative=1, zero=0)
    """
    for name, v in (("positive", positive), ("negative", negative), ("zero", zero)):
        check_count(name, v, 0, 8)
    check_count("min_size", min_size, 1, 8)
    check_count("max_size", max_size, 1, 8)
    check_count("size", size, 1, 8)
    check_count("entry_bound", entry_bound, 0, 5)
    if min_size > max_size:
        raise ValueError(f"min_size={min_size} exceeds max_size={max_size}")
    fixed = sum(v for v in (positive, negative, zero) if v is not None)
    if size is not None and fixed > size:
        raise ValueError(f"prescribed counts sum to {fixed} > size={size}")
    if size is not None and all(v is not None for v in (positive, negative, zero)) and fixed != size:
        raise ValueError(f"prescribed counts sum to {fixed}, not size={size}")
    if size is None and fixed > max_size and not all(v is not None for v in (positive, negative, zero)):
        raise ValueError(f"prescribed counts sum to {fixed} > max_size={max_size}")

    @st.composite
    def draw_case(draw):
        from ..stability import Inertia

        counts = {"positive": positive, "negative": negative, "zero": zero}
        if all(v is not None for v in counts.values()):
            n = fixed
        else:
            n = size if size is not None else draw(st.integers(max(min_size, fixed, 1), max_size))
        rest = n - fixed
        free = [k for k, v in counts.items() if v is None]
        for k in free[:-1]:
            counts[k] = draw(st.integers(0, rest))
            rest -= counts[k]
        if free:
            counts[free[-1]] = rest
        signs = [1] * counts["positive"] + [-1] * counts["negative"] + [0] * counts["zero"]
        signs = draw(st.permutations(signs))
        D = [sgn * _q(draw(positive_rationals(6, 3))) for sgn in signs]
        P = _unimodular(draw, n, entry_bound)
        if not unimodular:
            for i in range(n):
                scale = _q(draw(positive_rationals(3, 3))) * draw(st.sampled_from((1, -1)))
                P[i, :] = scale * P[i, :]
        M = P.T * sympy.diag(*D) * P
        return InertiaCase(sympy.ImmutableMatrix(M), tuple(D), sympy.ImmutableMatrix(P),
                           Inertia(counts["positive"], counts["negative"], counts["zero"]))

    return draw_case()


def _cayley(draw, n: int, bound: int) -> sympy.Matrix:
    """``Q = (I - S)(I + S)^{-1}`` for a skew-symmetric integer ``S``: exactly orthogonal."""
    S = sympy.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            v = draw(st.integers(-bound, bound))
            S[i, j], S[j, i] = v, -v
    I = sympy.eye(n)
    return (I - S) * (I + S).inv()  # I + S is invertible: S has imaginary eigenvalues


def spd_matrices(*, size=None, min_size: int = 1, max_size: int = 4, max_condition=16, entry_bound: int = 2):
    """Rational symmetric positive definite matrices with exact spectrum and bounded condition number.

    ``M = Q^T diag(lambda) Q`` with ``Q`` the Cayley transform of a skew-symmetric
    integer matrix (rational and exactly orthogonal) and positive rational eigenvalues
    ``lambda_min <= lambda_i <= max_condition * lambda_min``.

    Parameters
    ----------
    size, min_size, max_size : int
        As in :func:`symmetric_matrices`.
    max_condition : int or Fraction >= 1
        Upper bound of the condition number ``lambda_max / lambda_min``.
    entry_bound : int
        Bound of the integer entries of the skew-symmetric generator (0..5).

    Returns
    -------
    SearchStrategy of SPDCase

    Guarantees
    ----------
    ``Q.T * Q == I`` and ``case.matrix == Q.T * diag(case.eigenvalues) * Q`` exactly, so the
    eigenvalues are exactly ``case.eigenvalues`` (all positive) and the condition number
    is ``case.condition_number <= max_condition``.

    Examples
    --------
    >>> from symdyn.strategies import spd_matrices
    >>> case = spd_matrices(size=3, max_condition=4).example()
    >>> case.condition_number <= 4 and min(case.eigenvalues) > 0
    True
    """
    check_count("min_size", min_size, 1, 8)
    check_count("max_size", max_size, 1, 8)
    check_count("size", size, 1, 8)
    check_count("entry_bound", entry_bound, 0, 5)
    if min_size > max_size:
        raise ValueError(f"min_size={min_size} exceeds max_size={max_size}")
    if isinstance(max_condition, bool) or not isinstance(max_condition, (int, Fraction)):
        raise TypeError(f"max_condition must be an int or Fraction, got {type(max_condition).__name__}")
    kappa = Fraction(max_condition)
    if kappa < 1:
        raise ValueError(f"max_condition must be >= 1, got {max_condition}")

    @st.composite
    def draw_case(draw):
        n = size if size is not None else draw(st.integers(min_size, max_size))
        lam_min = draw(positive_rationals(4, 3))
        # lambda_i = lam_min * (1 + (kappa - 1) * k/8), k in 0..8
        steps = [draw(st.integers(0, 8)) for _ in range(n - 1)]
        lams = sorted([lam_min] + [lam_min * (1 + (kappa - 1) * Fraction(k, 8)) for k in steps])
        Q = _cayley(draw, n, entry_bound)
        ev = tuple(_q(v) for v in lams)
        M = Q.T * sympy.diag(*ev) * Q
        return SPDCase(sympy.ImmutableMatrix(M), ev, sympy.ImmutableMatrix(Q), _q(lams[-1] / lams[0]))

    return draw_case()
