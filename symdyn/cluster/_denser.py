"""Nearest sample of strictly higher density (strictly smaller k-NN radius).

Inside the k-NN ball the answer is read off the k-NN lists.  For the few
samples with no denser sample in their ball the search is exact without an
O(n) scan: samples sorted by radius form a prefix of strictly denser ones,
the prefix ``[0, p)`` splits into dyadic blocks (one per set bit of ``p``),
large blocks get a KD-tree each (built once, shared by every query that needs
it) and the small remainder ``[p - p mod 2^T, p)`` is compared directly.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

_SMALL_BITS = 9  # prefixes shorter than 2**9 samples: direct comparison
_BRUTE_ENTRIES = 2_000_000


def _brute_prefix(Xs, queries, start, stop, best_d, best_j):
    """Nearest among ``Xs[start[q]:stop[q]]`` for each query (all < 2**_SMALL_BITS long)."""
    width = int((stop - start).max(initial=0))
    if width == 0:
        return
    step = max(1, _BRUTE_ENTRIES // (width * Xs.shape[1]))
    offs = np.arange(width)
    for s in range(0, queries.shape[0], step):  # chunks of queries
        e = min(queries.shape[0], s + step)
        cand = start[s:e, None] + offs
        valid = cand < stop[s:e, None]
        cand = np.where(valid, cand, 0)
        diff = Xs[cand] - queries[s:e, None, :]
        d = np.sqrt(np.einsum("qcd,qcd->qc", diff, diff))
        d[~valid] = np.inf
        j = d.argmin(axis=1)
        dj = d[np.arange(e - s), j]
        better = dj < best_d[s:e]
        best_d[s:e][better] = dj[better]
        best_j[s:e][better] = cand[np.arange(e - s), j][better]


def nearest_denser(X, radius, order, query, *, dist=None, idx=None):
    """Index of the nearest sample with strictly smaller radius, for ``query`` samples.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Samples.
    radius : ndarray of shape (n,)
        k-NN radii.
    order : ndarray of shape (n,)
        Samples sorted by radius (ties by index).
    query : ndarray of int
        Samples that need a denser neighbour (each must have one).
    dist, idx : ndarray of shape (n, k), optional
        k-NN lists; the first strictly denser entry of a row is its answer.

    Returns
    -------
    ndarray of int64, shape (len(query),)
        The nearest strictly denser sample (-1 where none exists).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [5.0]])
    >>> r = np.array([1.0, 2.0, 3.0])
    >>> nearest_denser(X, r, np.argsort(r), np.array([1, 2])).tolist()
    [0, 1]
    """
    query = np.asarray(query, dtype=np.int64)
    out = np.full(query.size, -1, dtype=np.int64)
    if query.size == 0:
        return out
    todo = np.ones(query.size, dtype=bool)
    if idx is not None:
        step = max(1, 4_000_000 // idx.shape[1])
        for s in range(0, query.size, step):
            q = query[s : s + step]
            nb = idx[q]
            denser = radius[nb] < radius[q, None]
            first = denser.argmax(axis=1)
            found = denser[np.arange(q.size), first]
            out[s : s + step][found] = nb[np.arange(q.size), first][found]
            todo[s : s + step] = ~found
    rest = np.flatnonzero(todo)
    if rest.size:
        out[rest] = _exact_prefix_search(X, radius, order, query[rest])
    return out


def _exact_prefix_search(X, radius, order, query):
    r_sorted = radius[order]
    Xs = X[order]
    p = np.searchsorted(r_sorted, radius[query], side="left")  # strictly denser prefix
    Q = X[query]
    best_d = np.full(query.size, np.inf)
    best_j = np.full(query.size, -1, dtype=np.int64)
    # Large dyadic blocks: one KD-tree per distinct block.
    top = int(p.max(initial=0)).bit_length()
    for t in range(_SMALL_BITS, top):
        has = ((p >> t) & 1).astype(bool)
        if not has.any():
            continue
        starts = (p[has] >> (t + 1)) << (t + 1)
        sel = np.flatnonzero(has)
        for s0 in np.unique(starts):  # one tree per block, at most n / 2**t of them
            members = sel[starts == s0]
            tree = cKDTree(Xs[s0 : s0 + (1 << t)])
            d, j = tree.query(Q[members], k=1)
            better = d < best_d[members]
            best_d[members[better]] = d[better]
            best_j[members[better]] = s0 + j[better]
    low_start = (p >> _SMALL_BITS) << _SMALL_BITS
    _brute_prefix(Xs, Q, low_start, p, best_d, best_j)
    return np.where(best_j >= 0, order[np.maximum(best_j, 0)], -1)
