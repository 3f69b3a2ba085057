"""Exact rational helpers for the LSGD proofs (python-flint ``fmpq``/``fmpq_mat``).

Everything here is exact: no floating point decides anything.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import NamedTuple, Sequence

from flint import fmpq, fmpq_mat, fmpq_poly, fmpz


class Inertia(NamedTuple):
    """Numbers of positive, negative and zero eigenvalues of a symmetric matrix."""

    positive: int
    negative: int
    zero: int


def to_fmpq(name: str, value) -> fmpq:
    """Convert an exact rational (int, Fraction, SymPy Rational, fmpq) to ``fmpq``.

    Floats are refused: the exact path never rounds silently.

    >>> to_fmpq("eta", Fraction(1, 3))
    1/3
    >>> to_fmpq("eta", 0.5)
    Traceback (most recent call last):
    ...
    TypeError: eta must be an exact rational (int, Fraction, sympy.Rational), got float 0.5; write Fraction(1, 2) instead of 0.5
    """
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an exact rational, got bool")
    if isinstance(value, fmpq):
        return value
    if isinstance(value, (int, fmpz)):
        return fmpq(int(value))
    if isinstance(value, Fraction):
        return fmpq(value.numerator, value.denominator)
    try:  # SymPy Rational / Integer without importing sympy eagerly
        import sympy

        if isinstance(value, sympy.Basic):
            if value.is_Rational:
                return fmpq(int(value.p), int(value.q))
            raise TypeError(f"{name} must be an exact rational, got SymPy {type(value).__name__} {value}")
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, numbers.Integral):
        return fmpq(int(value))
    if isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be an exact rational (int, Fraction, sympy.Rational), got "
            f"{type(value).__name__} {value!r}; write Fraction{_ratio(value)} instead of {value!r}"
        )
    raise TypeError(f"{name} must be an exact rational, got {type(value).__name__}")


def _ratio(value) -> str:
    try:
        f = Fraction(str(value))
        return f"({f.numerator}, {f.denominator})"
    except (ValueError, ZeroDivisionError):
        return "(p, q)"


def to_fraction(q: fmpq) -> Fraction:
    """``fmpq`` -> ``fractions.Fraction``."""
    return Fraction(int(q.p), int(q.q))


def dyadic(x) -> fmpq:
    """The exact rational value of an arb midpoint (a dyadic number)."""
    man, exp = x.mid().man_exp()
    man, exp = int(man), int(exp)
    return fmpq(man * 2**exp) if exp >= 0 else fmpq(man, 2 ** (-exp))


def diag(values: Sequence[fmpq]) -> fmpq_mat:
    n = len(values)
    M = fmpq_mat(n, n)
    for i, v in enumerate(values):
        M[i, i] = v
    return M


def identity(n: int) -> fmpq_mat:
    return diag([fmpq(1)] * n)


def is_symmetric(M: fmpq_mat) -> bool:
    n = M.nrows()
    return M.ncols() == n and all(M[i, j] == M[j, i] for i in range(n) for j in range(i + 1, n))


def ldl_inertia(M: fmpq_mat) -> Inertia:
    """Exact inertia of a symmetric rational matrix by symmetric elimination over QQ.

    Uses 1x1 pivots and, when the remaining diagonal vanishes, a 2x2 pivot
    ``[[0, b], [b, *]]`` (which contributes one positive and one negative
    eigenvalue). Sylvester's law of inertia makes each step exact. Zero
    entries are skipped, so banded matrices cost about ``O(n * bandwidth^2)``.

    >>> ldl_inertia(diag([fmpq(-1), fmpq(2), fmpq(0)]))
    Inertia(positive=1, negative=1, zero=1)
    >>> ldl_inertia(fmpq_mat([[0, 1], [1, 0]]))
    Inertia(positive=1, negative=1, zero=0)
    """
    n = M.nrows()
    if M.ncols() != n:
        raise ValueError("M must be square")
    ent = M.entries()
    rows = [dict() for _ in range(n)]
    for idx, v in enumerate(ent):
        if v != 0:
            rows[idx // n][idx % n] = v
    for i in range(n):
        for j, v in rows[i].items():
            if rows[j].get(i) != v:
                raise ValueError("M must be symmetric for an inertia computation")
    return sparse_inertia(rows)


def diagonal_inertia(values) -> Inertia:
    """Inertia of ``diag(values)`` (exact signs)."""
    pos = sum(1 for v in values if v > 0)
    neg = sum(1 for v in values if v < 0)
    return Inertia(pos, neg, len(values) - pos - neg)


def sparse_inertia(rows: list) -> Inertia:
    """Exact inertia of a symmetric matrix given as rows ``{col: fmpq}`` (the rows are consumed)."""
    n = len(rows)
    active = dict.fromkeys(range(n))  # ordered set
    pos = neg = 0
    while active:
        piv = next((i for i in active if rows[i].get(i, 0) != 0), None)
        if piv is not None:
            d = rows[piv][piv]
            if d > 0:
                pos += 1
            else:
                neg += 1
            del active[piv]
            prow = {j: v for j, v in rows[piv].items() if j != piv}
            for i in list(prow):
                f = prow[i] / d
                ri = rows[i]
                for j, v in prow.items():
                    nv = ri.get(j, 0) - f * v
                    if nv == 0:
                        ri.pop(j, None)
                    else:
                        ri[j] = nv
                ri.pop(piv, None)
            continue
        # all remaining diagonal entries vanish: find an off-diagonal pair
        pair = next(((i, j) for i in active for j in rows[i] if j != i and j in active), None)
        if pair is None:
            break  # the remaining block is zero
        i, j = pair
        # 2x2 pivot [[0, b], [b, c]] has det -b^2 < 0: one positive, one negative
        pos += 1
        neg += 1
        del active[i]
        del active[j]
        b = rows[i][j]
        c = rows[j].get(j, 0)
        # inverse of [[0,b],[b,c]] = 1/b^2 [[-c, b],[b, 0]]
        ri_ = {k: v for k, v in rows[i].items() if k not in (i, j)}
        rj_ = {k: v for k, v in rows[j].items() if k not in (i, j)}
        others = set(ri_) | set(rj_)
        for k in others:
            xk, yk = ri_.get(k, 0), rj_.get(k, 0)
            # row k of the Schur complement: subtract [xk yk] P^{-1} [xl yl]^T
            ak = (-c * xk + b * yk) / (b * b)
            bk = (b * xk) / (b * b)
            rk = rows[k]
            for l in others:
                xl, yl = ri_.get(l, 0), rj_.get(l, 0)
                nv = rk.get(l, 0) - (ak * xl + bk * yl)
                if nv == 0:
                    rk.pop(l, None)
                else:
                    rk[l] = nv
            rk.pop(i, None)
            rk.pop(j, None)
    zero = n - pos - neg
    return Inertia(pos, neg, zero)


def nullspace(M: fmpq_mat) -> fmpq_mat:
    """Exact basis of the right null space of ``M`` (columns of the result)."""
    R, rank = M.rref()
    n = M.ncols()
    pivots = []
    r = 0
    for c in range(n):
        if r < rank and R[r, c] != 0:
            pivots.append(c)
            r += 1
    free = [c for c in range(n) if c not in pivots]
    N = fmpq_mat(n, len(free))
    for k, f in enumerate(free):
        N[f, k] = fmpq(1)
        for r, p in enumerate(pivots):
            N[p, k] = -R[r, f]
    return N


def rank(M: fmpq_mat) -> int:
    return M.rref()[1]


def poly_eval_matrix(p: fmpq_poly, M: fmpq_mat) -> fmpq_mat:
    """``p(M)`` by Horner's rule."""
    n = M.nrows()
    coeffs = p.coeffs()
    R = fmpq_mat(n, n)
    I = identity(n)
    for c in reversed(coeffs):
        R = R * M + I * c
    return R


def sturm_counts(p: fmpq_poly) -> tuple[int, int, int]:
    """Distinct-root-free counts for a polynomial with only real roots.

    Returns ``(inside, on, outside)`` numbers of roots (with multiplicity) in
    ``(-1, 1)``, at ``{-1, 1}`` and outside ``[-1, 1]``. Requires that every
    root of ``p`` is real (true for the charpoly of a matrix similar to a
    symmetric one); the total is checked against the degree and a
    ``ValueError`` is raised otherwise.

    >>> sturm_counts(fmpq_poly([-1, 0, 4]))  # roots +-1/2
    (2, 0, 0)
    >>> sturm_counts(fmpq_poly([-4, 0, 1]) * fmpq_poly([-1, 1]))  # +-2 and 1
    (0, 1, 2)
    """
    deg = p.degree()
    if deg < 0:
        raise ValueError("zero polynomial")
    on = 0
    for r in (fmpq(1), fmpq(-1)):
        lin = fmpq_poly([-r, 1])
        while p.degree() > 0 and p(r) == 0:
            p = p // lin
            on += 1
    inside = _sturm_multiplicity_count(p, fmpq(-1), fmpq(1))
    total_real = _sturm_multiplicity_count(p, None, None)
    if total_real != p.degree():
        raise ValueError("sturm_counts requires a polynomial with only real roots")
    return inside, on, total_real - inside


def _sturm_multiplicity_count(p: fmpq_poly, a, b) -> int:
    """Number of real roots in (a, b) counted with multiplicity (None = infinite end)."""
    total = 0
    # square-free decomposition by repeated gcd with the derivative
    while p.degree() > 0:
        g = p.gcd(p.derivative())
        sq = p // g  # product of distinct irreducible factors
        total += _sturm_distinct(sq, a, b)
        p = g
    return total


def _sturm_distinct(p: fmpq_poly, a, b) -> int:
    seq = [p, p.derivative()]
    while seq[-1].degree() > 0:
        r = -(seq[-2] % seq[-1])
        if r.is_zero():
            break
        seq.append(r)

    def changes(x):
        if x is None:
            return None
        vals = [q(x) for q in seq]
        vals = [v for v in vals if v != 0]
        return sum(1 for u, v in zip(vals, vals[1:]) if (u > 0) != (v > 0))

    def changes_inf(sign):
        vals = []
        for q in seq:
            lc = q.coeffs()[-1]
            s = lc if (sign > 0 or q.degree() % 2 == 0) else -lc
            vals.append(s)
        return sum(1 for u, v in zip(vals, vals[1:]) if (u > 0) != (v > 0))

    va = changes(a) if a is not None else changes_inf(-1)
    vb = changes(b) if b is not None else changes_inf(+1)
    return va - vb
