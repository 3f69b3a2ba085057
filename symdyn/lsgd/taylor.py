r"""Exact Taylor coefficients of the unstable eigenvector ``u(sigma)`` at ``sigma = 0``.

For diagonal ``B`` with one negative entry ``b_0`` (rotated to index 0) and
``A_sigma = I + sigma K``, ``K = (-L)^p``, write ``u(sigma) = sum_k sigma^k u_k``
(normalised ``u_0(sigma) = 1``, valid near ``sigma = 0``) and
``mu(sigma) = sum_k sigma^k mu_k``. The coefficient of ``sigma^k`` in
``(B - mu A_sigma) u = 0`` is (Cauchy product)

.. math::

    (B - b_0 I) u_k = \sum_{a=1}^{k-1} \mu_a u_{k-a} + \sum_{a=0}^{k-1} \mu_a K u_{k-1-a} + \mu_k e_0 ,

whose 0-th component gives ``mu_k`` and whose other components give
``u_k[j] = (...)_j / (b_j - b_0)`` (``b_j - b_0 > 0``). With rational data every
``u_k`` is rational, so the rank of ``B u_0, ..., B u_N`` is exact; since
``E_rob`` is orthogonal to every Taylor coefficient of the normal ``B u(sigma)``
(see :mod:`symdyn.lsgd.wholeclass`), ``dim E_rob <= n - rank`` is **proved**
for any rational diagonal profile, symmetric or not.
"""

from __future__ import annotations

from flint import fmpq, fmpq_mat

from .._validation import check_int
from .matrices import check_diagonal, laplacian_rows

__all__ = ["MAX_TAYLOR_N", "taylor_coefficients", "taylor_rank"]

#: Largest ``n`` accepted by the exact Taylor route (cost ~ terms^2 n exact operations on growing rationals).
MAX_TAYLOR_N = 96


def _stencil_rows(n: int, order: int) -> list:
    """Sparse rows ``{col: fmpq}`` of ``K = (-L)^order``."""
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


def _apply(rows, x):
    return [sum((v * x[j] for j, v in r.items()), fmpq(0)) for r in rows]


def taylor_coefficients(b, terms: int, order: int = 1):
    """Exact ``u_0..u_{terms-1}`` and ``mu_0..mu_{terms-1}`` (original coordinates, ``u_k[i0] = [k == 0]``).

    Parameters
    ----------
    b : diagonal of ``B`` (exact rationals, exactly one negative entry, no zero)
    terms : number of coefficients, ``1 <= terms <= 2 n``
    order : smoothing order ``p`` (``K = (-L)^p``)

    Returns
    -------
    (us, mus) : list of lists of ``fmpq`` and list of ``fmpq``

    Examples
    --------
    >>> us, mus = taylor_coefficients([-1, 1, 1], 2)
    >>> [str(x) for x in us[1]], str(mus[1])
    (['0', '1/2', '1/2'], '2')
    """
    vals = check_diagonal(b, exact=True)
    n = len(vals)
    if n > MAX_TAYLOR_N:
        raise ValueError(f"n = len(b) must be <= {MAX_TAYLOR_N} for the exact Taylor route, got {n}")
    terms = check_int("terms", terms, low=1, high=2 * n)
    order = check_int("order", order, low=1, high=8)
    i0 = next(i for i, v in enumerate(vals) if v < 0)
    rot = vals[i0:] + vals[:i0]
    K = _stencil_rows(n, order)
    b0 = rot[0]
    inv = [fmpq(0)] + [1 / (rot[j] - b0) for j in range(1, n)]
    us = [[fmpq(1)] + [fmpq(0)] * (n - 1)]
    Kus = [_apply(K, us[0])]
    mus = [b0]
    for k in range(1, terms):
        rhs = [fmpq(0)] * n
        for a in range(1, k):
            m, v = mus[a], us[k - a]
            rhs = [r + m * x for r, x in zip(rhs, v)]
        for a in range(0, k):
            m, v = mus[a], Kus[k - 1 - a]
            rhs = [r + m * x for r, x in zip(rhs, v)]
        mus.append(-rhs[0])  # component 0: 0 = rhs_0 + mu_k
        u = [rhs[j] * inv[j] for j in range(n)]
        us.append(u)
        Kus.append(_apply(K, u))
    back = [[u[(i - i0) % n] for i in range(n)] for u in us]
    return back, mus


def taylor_rank(b, terms: int | None = None, order: int = 1) -> int:
    """Exact rank of the Taylor coefficients ``B u_0, ..., B u_{terms-1}`` (default ``terms = n``).

    ``n - taylor_rank(b)`` is a proved upper bound on ``dim E_rob``.

    >>> taylor_rank([-1, 1, 1, 1]), taylor_rank([-1, 1, 2, 3])
    (3, 4)
    """
    vals = check_diagonal(b, exact=True)
    n = len(vals)
    terms = n if terms is None else terms
    us, _ = taylor_coefficients(vals, terms, order)
    M = fmpq_mat(n, len(us), [us[k][i] for i in range(n) for k in range(len(us))])
    return M.rref()[1]  # B is invertible: rank of B u_k equals rank of u_k
