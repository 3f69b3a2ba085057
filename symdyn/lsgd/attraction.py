"""Exact eigenvalue counts and stable subspaces of LSGD iteration matrices.

Two exact routes for a fixed ``sigma``:

* **inertia route** (fast, any ``n``): ``A_sigma^{-1} B`` is similar to the
  symmetric ``A^{-1/2} B A^{-1/2}``, congruent to ``B``. With ``lambda`` its
  eigenvalues, ``|1 - eta lambda| < 1`` iff ``0 < lambda < 2/eta``; so
  ``outside = neg(B) + pos(eta B - 2A)``, ``on = zero(B) + zero(eta B - 2A)``
  (Sylvester's law of inertia on the pencils ``B - t A``), computed by exact
  LDL^T over QQ.
* **charpoly route** (small ``n``): Sturm counts of the exact characteristic
  polynomial of ``T`` on ``(-1, 1)`` with exact checks at ``+-1`` (valid since
  the spectrum is real). Tests prove both routes agree.

Products over a periodic schedule are not symmetric-like: their counts come
from a unit-disk (Schur–Cohn) count of the exact characteristic polynomial.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from flint import fmpq, fmpq_mat, fmpq_poly

from .._validation import check_int
from ._exact import (diagonal_inertia, identity, ldl_inertia, nullspace, poly_eval_matrix, sparse_inertia,
                     sturm_counts, to_fmpq)
from .matrices import check_diagonal, diagonal_matrix, iteration_matrix, laplacian_rows, smoothing_matrix

__all__ = [
    "UnitCounts",
    "eigenvalue_counts",
    "eigenvalue_counts_charpoly",
    "schedule_counts",
    "schedule_matrix",
    "stable_subspace",
    "attraction_dimension",
    "as_map_system",
]


class UnitCounts(NamedTuple):
    """Eigenvalues (with algebraic multiplicity) inside / on / outside the unit circle."""

    inside: int
    on: int
    outside: int


def _as_B(b) -> fmpq_mat:
    if isinstance(b, fmpq_mat):
        if b.nrows() != b.ncols():
            raise ValueError("B must be square")
        return b
    return diagonal_matrix(b, exact=True)


def _eta(eta) -> fmpq:
    e = to_fmpq("eta", eta)
    if e <= 0:
        raise ValueError(f"eta must be > 0, got {e}")
    return e


def eigenvalue_counts(b, eta, sigma, order: int = 1) -> UnitCounts:
    """Exact unit-circle counts of ``T(sigma) = I - eta A_sigma^{-1} B`` by inertia.

    Parameters
    ----------
    b : sequence of rationals (diagonal of ``B``) or symmetric ``fmpq_mat``
    eta : rational > 0
    sigma : rational >= 0
    order : smoothing order ``p``

    Returns
    -------
    UnitCounts

    Examples
    --------
    >>> eigenvalue_counts([-1, 1, 1, 1], 1, 0)      # GD on diag(-1, 1, 1, 1)
    UnitCounts(inside=3, on=0, outside=1)
    >>> eigenvalue_counts([-1, 1, 1, 1], 2, 0)      # eta = 2/b_max: on the circle
    UnitCounts(inside=0, on=3, outside=1)
    """
    e = _eta(eta)
    if isinstance(b, fmpq_mat):
        B = _as_B(b)
        n = B.nrows()
        A = smoothing_matrix(n, sigma, order, exact=True)
        iB = ldl_inertia(B)
        iC = ldl_inertia(B * e - A * 2)
    else:  # diagonal B: stay sparse (O(n) work for order 1)
        vals = check_diagonal(b, exact=True, require_saddle=False)
        n = len(vals)
        s = to_fmpq("sigma", sigma)
        if s < 0:
            raise ValueError(f"sigma must be >= 0, got {s}")
        rows = _neg_laplacian_power_rows(n, order)
        C = []
        for i in range(n):
            r = {j: -2 * s * v for j, v in rows[i].items() if v != 0}
            r[i] = r.get(i, 0) + e * vals[i] - 2
            C.append({j: v for j, v in r.items() if v != 0})
        iB = diagonal_inertia(vals)
        iC = sparse_inertia(C)
    outside = iB.negative + iC.positive
    on = iB.zero + iC.zero
    return UnitCounts(n - outside - on, on, outside)


def _neg_laplacian_power_rows(n: int, order: int) -> list:
    """Sparse rows of ``(-L)^p``."""
    base = [{j: -v for j, v in r.items()} for r in laplacian_rows(n)]
    P = base
    for _ in range(check_int("order", order, low=1) - 1):
        Q = []
        for r in P:
            acc: dict = {}
            for k, v in r.items():
                for j, w in base[k].items():
                    acc[j] = acc.get(j, 0) + v * w
            Q.append({j: v for j, v in acc.items() if v != 0})
        P = Q
    return P


def eigenvalue_counts_charpoly(T: fmpq_mat) -> UnitCounts:
    """Exact counts from the characteristic polynomial of a matrix with real spectrum.

    Raises ``ValueError`` if the characteristic polynomial has non-real roots
    (use :func:`schedule_counts` for those).

    >>> from symdyn.lsgd.matrices import iteration_matrix
    >>> eigenvalue_counts_charpoly(iteration_matrix([-1, 1, 1], 1, 1))
    UnitCounts(inside=2, on=0, outside=1)
    """
    return UnitCounts(*sturm_counts(T.charpoly()))


def schedule_matrix(b, eta, sigmas: Sequence, order: int = 1) -> fmpq_mat:
    """Exact product ``T(sigma_K) ... T(sigma_1)`` over one period of a schedule."""
    sigmas = list(sigmas)
    if not sigmas:
        raise ValueError("sigmas must contain at least one value")
    B = _as_B(b)
    n = B.nrows()
    P = identity(n)
    e = _eta(eta)
    for s in sigmas:
        P = iteration_matrix(B, e, s, order, exact=True) * P
    return P


def _unit_disk_count(p: fmpq_poly) -> UnitCounts:
    """Unit-disk count of an exact polynomial via ``symdyn.stability``; Sturm fallback if real-rooted."""
    try:
        from symdyn import stability  # core: written concurrently
    except ImportError:
        stability = None
    if stability is not None and hasattr(stability, "unit_disk_count"):
        import sympy

        coeffs = [sympy.Rational(int(c.p), int(c.q)) for c in reversed(p.coeffs())]  # highest first
        c = stability.unit_disk_count(coeffs)
        return UnitCounts(int(c.inside), int(c.on), int(c.outside))
    return UnitCounts(*sturm_counts(p))  # raises if roots are not all real


def schedule_counts(b, eta, sigmas: Sequence, order: int = 1) -> UnitCounts:
    """Exact unit-circle counts of the one-period product of a periodic ``sigma`` schedule.

    >>> from fractions import Fraction as F
    >>> schedule_counts([-1, 1, 1], F(1, 2), [0, 1])
    UnitCounts(inside=2, on=0, outside=1)
    """
    P = schedule_matrix(b, eta, sigmas, order)
    return _unit_disk_count(P.charpoly())


def stable_subspace(T: fmpq_mat):
    """Stable subspace ``E_s(T)`` exactly, when it is rational.

    Factors the characteristic polynomial over QQ; if no irreducible factor
    has roots both inside and outside/on the unit circle, ``E_s(T)`` is the
    kernel of ``prod_inside q(T)^mult`` and an exact rational basis (columns)
    is returned. Otherwise ``None`` is returned: ``E_s`` is then not rational;
    :func:`symdyn.lsgd.robust.certified_stable_normal` gives a certified
    enclosure of its normal vector (canonical saddle structure).

    >>> from symdyn.lsgd.matrices import iteration_matrix
    >>> stable_subspace(iteration_matrix([-1, 1, 1], 1, 0))  # GD: e_1, e_2
    [0, 0]
    [1, 0]
    [0, 1]
    """
    p = T.charpoly()
    _, factors = p.factor()
    q = fmpq_poly([1])
    for f, mult in factors:
        c = _unit_disk_count(f)
        if c.inside and (c.on or c.outside):
            return None
        if c.inside:
            q = q * f**mult
    return nullspace(poly_eval_matrix(q, T))


def attraction_dimension(b, eta, sigma, order: int = 1) -> int:
    """``dim E_s(T(sigma))``: number of eigenvalues strictly inside the unit circle.

    ``T(sigma)`` is diagonalizable (similar to a symmetric matrix), so this is
    the dimension of the attraction region of the saddle for fixed ``sigma``.

    >>> attraction_dimension([-1, 1, 1, 1, 1], 1, 3)
    4
    """
    return eigenvalue_counts(b, eta, sigma, order).inside


def as_map_system(b, eta, sigma, order: int = 1):
    """The linear LSGD map ``x -> T(sigma) x`` as a core :class:`symdyn.odesystem.MapSystem`.

    Lets the core classifier (exact unit-disk location of the charpoly) check
    the counts of this module independently.

    >>> m = as_map_system([-1, 1, 1], 1, 1)
    >>> m.classify({s: 0 for s in m.states}).stable_dim
    2
    """
    import sympy

    from symdyn.odesystem import MapSystem

    T = iteration_matrix(b, eta, sigma, order)
    n = T.nrows()
    xs = sympy.symbols(f"x0:{n}")
    M = sympy.Matrix(n, n, lambda i, j: sympy.Rational(int(T[i, j].p), int(T[i, j].q)))
    return MapSystem(list(xs), list(M * sympy.Matrix(xs)), name="lsgd_linear")
