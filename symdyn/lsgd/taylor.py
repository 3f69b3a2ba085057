r"""Exact Taylor coefficients of the unstable eigenvector and exact ``dim E_rob`` for one diagonal profile.

For diagonal ``B`` with one negative entry ``b_0`` (rotated to index 0) and
``A_sigma = I + sigma K``, ``K = (-L)^p``, write ``u(sigma) = sum_k sigma^k u_k``
(normalised ``u(sigma)[0] = 1``, valid near ``sigma = 0`` because ``u(0) = e_0``)
and ``mu(sigma) = sum_k sigma^k mu_k``. The coefficient of ``sigma^k`` in
``(B - mu A_sigma) u = 0`` is (Cauchy product, ``u_k[0] = 0`` for ``k >= 1``)

.. math::

    (B - b_0 I) u_k = \sum_{a=1}^{k} \mu_a u_{k-a} + \sum_{a=0}^{k-1} \mu_a K u_{k-1-a} ,

whose 0-th component gives ``mu_k`` and whose other components give
``u_k[j] = (...)_j / (b_j - b_0)`` (``b_j - b_0 > 0``). :func:`taylor_series` runs
this recurrence over any field (``fmpq`` here, SymPy expressions in
:mod:`symdyn.lsgd.wholeclass`, which derives the recurrence symbolically and
checks this very function against it).

Two exact bounds for one rational profile (:func:`taylor_bounds`):

* **upper**: every ``y in E_rob`` has ``y^T B u(sigma) = 0`` on ``[0, eps)``, so
  ``y`` is orthogonal to every Taylor coefficient ``B u_k``:
  ``dim E_rob <= n - rank{u_0, ..., u_N}`` for any ``N`` (``B`` invertible);
* **lower**: the smallest subspace ``W`` containing ``e_0`` and invariant under
  ``B`` and ``K`` (:func:`invariant_closure`) contains ``u(sigma)`` for every
  ``sigma >= 0`` (``W`` and ``W^perp`` reduce the pencil; ``B > 0`` on
  ``W^perp``, which is orthogonal to ``e_0``), so ``W^perp`` lies in every
  ``E_s(T(sigma))``: ``dim E_rob >= n - dim W``.

When ``rank = dim W`` the dimension is proved for that profile, symmetric or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import fmpq, fmpq_mat

from .._validation import check_int
from .matrices import check_diagonal, laplacian_rows

__all__ = ["MAX_TAYLOR_N", "TaylorBounds", "taylor_series", "taylor_coefficients", "taylor_rank",
           "invariant_closure", "taylor_bounds"]

#: Largest ``n`` accepted by the exact Taylor route (exact rationals grow with the order ``~ n``).
MAX_TAYLOR_N = 128


def stencil_rows(n: int, order: int = 1) -> list:
    """Sparse rows ``{col: fmpq}`` of ``K = (-L)^order`` (for ``n = 2`` the off-diagonal entries add)."""
    base = [{j: -v for j, v in r.items()} for r in laplacian_rows(n)]
    rows = base
    for _ in range(order - 1):
        new = []
        for r in rows:
            acc: dict = {}
            for j, v in r.items():
                for l, w in base[j].items():
                    acc[l] = acc.get(l, 0) + v * w
            new.append({l: v for l, v in acc.items() if v != 0})
        rows = new
    return rows


def _apply(rows, x, zero):
    out = []
    for r in rows:
        acc = zero
        for j, v in r.items():
            acc = acc + v * x[j]
        out.append(acc)
    return out


def taylor_series(b: list, K: list, terms: int, zero, one):
    """The recurrence over any field: ``u_0..u_{terms-1}``, ``mu_0..mu_{terms-1}`` (``b[0]`` the negative entry).

    Parameters
    ----------
    b : diagonal, negative entry at index 0 (field elements: ``fmpq``, SymPy expressions, ...)
    K : sparse rows ``{col: coefficient}`` of ``K``
    terms : number of coefficients
    zero, one : the field's ``0`` and ``1``

    Returns
    -------
    (us, mus) : ``us[k][j]`` and ``mus[k]``
    """
    n = len(b)
    b0 = b[0]
    inv = [zero] + [one / (b[j] - b0) for j in range(1, n)]
    us = [[one] + [zero] * (n - 1)]
    Kus = [_apply(K, us[0], zero)]
    mus = [b0]
    for k in range(1, terms):
        rhs = [zero] * n
        for a in range(1, k):  # the a = k term mu_k u_0 = mu_k e_0 only enters row 0
            m, v = mus[a], us[k - a]
            rhs = [r + m * x for r, x in zip(rhs, v)]
        for a in range(0, k):
            m, v = mus[a], Kus[k - 1 - a]
            rhs = [r + m * x for r, x in zip(rhs, v)]
        mus.append(-rhs[0])  # row 0: 0 = rhs_0 + mu_k (u_k[0] = 0)
        u = [zero] + [rhs[j] * inv[j] for j in range(1, n)]
        us.append(u)
        Kus.append(_apply(K, u, zero))
    return us, mus


def _rotated(b):
    vals = check_diagonal(b, exact=True)
    n = len(vals)
    if n > MAX_TAYLOR_N:
        raise ValueError(f"n = len(b) must be <= {MAX_TAYLOR_N} for the exact Taylor route, got {n}")
    i0 = next(i for i, v in enumerate(vals) if v < 0)
    return vals, i0, vals[i0:] + vals[:i0]


def taylor_coefficients(b, terms: int, order: int = 1):
    """Exact ``u_0..u_{terms-1}`` and ``mu_0..mu_{terms-1}`` (original coordinates, ``u_k[i0] = [k == 0]``).

    Parameters
    ----------
    b : diagonal of ``B`` (exact rationals, exactly one negative entry, no zero), ``n <= MAX_TAYLOR_N``
    terms : number of coefficients, ``1 <= terms <= 2 n``
    order : smoothing order ``p`` (``K = (-L)^p``), ``1 <= p <= 8``

    Returns
    -------
    (us, mus) : list of lists of ``fmpq`` and list of ``fmpq``

    Examples
    --------
    >>> us, mus = taylor_coefficients([-1, 1, 1], 2)
    >>> [str(x) for x in us[1]], str(mus[1])
    (['0', '1/2', '1/2'], '2')
    """
    vals, i0, rot = _rotated(b)
    n = len(vals)
    terms = check_int("terms", terms, low=1, high=2 * n)
    order = check_int("order", order, low=1, high=8)
    us, mus = taylor_series(rot, stencil_rows(n, order), terms, fmpq(0), fmpq(1))
    back = [[u[(i - i0) % n] for i in range(n)] for u in us]
    return back, mus


def _rank(vectors, n: int) -> int:
    if not vectors:
        return 0
    M = fmpq_mat(len(vectors), n, [x for v in vectors for x in v])
    return M.rref()[1]


def taylor_rank(b, terms: int | None = None, order: int = 1) -> int:
    """Exact rank of the Taylor coefficients ``B u_0, ..., B u_{terms-1}`` (default ``terms = n``).

    ``n - taylor_rank(b, terms)`` is a proved upper bound on ``dim E_rob`` for every ``terms``.

    >>> taylor_rank([-1, 1, 1, 1]), taylor_rank([-1, 1, 2, 3])
    (3, 4)
    """
    vals = check_diagonal(b, exact=True)
    terms = len(vals) if terms is None else terms
    us, _ = taylor_coefficients(vals, terms, order)
    return _rank(us, len(vals))  # B is invertible: rank of B u_k equals rank of u_k


def invariant_closure(b, order: int = 1) -> fmpq_mat:
    """Basis (rows, reduced echelon form) of the smallest subspace containing ``e_{i0}`` invariant under ``B`` and ``K``.

    ``n - dim`` is a proved lower bound on ``dim E_rob`` (see the module docstring).

    >>> invariant_closure([-1, 2, 3, 2]).nrows(), invariant_closure([-1, 2, 3, 5]).nrows()
    (3, 4)
    """
    vals = check_diagonal(b, exact=True)
    n = len(vals)
    order = check_int("order", order, low=1, high=8)
    K = stencil_rows(n, order)
    i0 = next(i for i, v in enumerate(vals) if v < 0)
    start = [fmpq(0)] * n
    start[i0] = fmpq(1)
    basis: list = []
    queue = [start]
    rank = 0
    while queue and rank < n:
        v = queue.pop()
        trial = _rank(basis + [v], n)
        if trial == rank:
            continue
        basis.append(v)
        rank = trial
        queue.append([vals[i] * v[i] for i in range(n)])
        queue.append(_apply(K, v, fmpq(0)))
    M = fmpq_mat(len(basis), n, [x for v in basis for x in v]).rref()[0] if basis else fmpq_mat(0, n)
    return fmpq_mat(rank, n, [M[i, j] for i in range(rank) for j in range(n)])


@dataclass
class TaylorBounds:
    """``n - closure_dim <= dim E_rob <= n - rank`` for one exact diagonal profile (both bounds proved)."""

    n: int
    rank: int          # rank of the first ``terms`` Taylor coefficients
    closure_dim: int   # dim of the B- and K-invariant closure of e_{i0}
    terms: int

    @property
    def lower(self) -> int:
        return self.n - self.closure_dim

    @property
    def upper(self) -> int:
        return self.n - self.rank

    @property
    def dim(self) -> int | None:
        """``dim E_rob`` when the bounds meet, else ``None``."""
        return self.lower if self.lower == self.upper else None


def taylor_bounds(b, eta, terms: int | None = None, order: int = 1) -> TaylorBounds:
    """Exact lower and upper bounds on ``dim E_rob`` for one rational diagonal ``b`` (any profile).

    Taylor terms are added until the rank reaches the closure dimension or
    ``terms`` (default ``2 n``) is reached. The saddle hypotheses (one negative
    entry, ``0 < eta max b < 2``) are checked exactly; ``ValueError`` otherwise.

    >>> from fractions import Fraction
    >>> r = taylor_bounds([-1, 2, 3, 5, 3, 2], Fraction(1, 5))   # reflection-symmetric
    >>> r.lower, r.upper, r.dim
    (2, 2, 2)
    >>> taylor_bounds([-1, 2, 3, 5, 3, 4], Fraction(1, 5)).dim   # not symmetric
    0
    """
    from .robust import saddle_facts

    vals, i0, rot = _rotated(b)
    n = len(vals)
    if not all(saddle_facts(vals, eta, order).values()):
        raise ValueError("saddle hypotheses fail (one negative entry, eta max b < 2)")
    cap = 2 * n if terms is None else check_int("terms", terms, low=1, high=2 * n)
    closure = invariant_closure(vals, order).nrows()
    K = stencil_rows(n, order)
    used = min(cap, closure)  # rank <= closure always; try the fewest terms that could reach it first
    us, _ = taylor_series(rot, K, used, fmpq(0), fmpq(1))
    rank = _rank(us, n)
    if rank < closure and used < cap:
        used = cap
        us, _ = taylor_series(rot, K, used, fmpq(0), fmpq(1))
        rank = _rank(us, n)
    return TaylorBounds(n=n, rank=rank, closure_dim=closure, terms=used)
