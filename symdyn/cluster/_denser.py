"""Nearest denser point: the link every non-core point follows.

"Denser" means a strictly smaller k-NN radius, as in the reference (its
"nearest sample of strictly higher density"); among the denser points at the
smallest distance the first in the visiting order is taken.  Points tied at
the smallest radius have no such sample (the reference is undefined there):
they use the visiting order itself (radius, then coordinates), so every point
but the first has a link and links always end in a core.

Three exact stages, each for the points the previous one could not settle:

1. the k-NN lists: the nearest denser entry is the answer when it lies closer
   than the row's last entry (so no point beyond the list can tie with it);
2. the existing tree with a growing ``k`` (x4 per round, up to a cap);
3. for the rest, the denser points form a prefix of the visiting order; the
   prefix splits into dyadic blocks, one k-d tree per distinct block (shared
   by every query that needs it).

All distances come from cKDTree queries, so they are comparable across stages.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from ._threads import thread_map

_SMALL_BITS = 9  # blocks shorter than 2**9 points: one tree per 512-point block, queried in full
_GROW_CAP = 4096  # largest k of stage 2
_ENTRIES = 4_000_000
_BIG = np.int64(np.iinfo(np.int64).max)


def link_keys(radius, rank, order):
    """Key whose strict order is "denser": the rank of the first point of the same radius;
    the visiting rank itself for the points tied at the smallest radius."""
    r_sorted = radius[order]
    key = np.searchsorted(r_sorted, radius, side="left")
    low = radius == r_sorted[0]
    key[low] = rank[low]
    return key


def _pick(dd, nb, key_q, key, rank, full):
    """Nearest denser entry of each row and whether it is certain.

    Rows are sorted by distance, so the first denser entry is the nearest; only
    rows whose next entry ties with it in distance need the general rule
    (lowest rank among the tied).  ``full``: the rows hold every point.
    """
    den = key[nb] < key_q[:, None]
    rows = np.arange(nb.shape[0])
    first = den.argmax(axis=1)
    has = den[rows, first]
    delta = dd[rows, first]
    nxt = np.minimum(first + 1, dd.shape[1] - 1)
    tied = np.flatnonzero(has & (nxt > first) & (dd[rows, nxt] == delta))
    pick = nb[rows, first]
    if tied.size:
        t_den = den[tied] & (dd[tied] == delta[tied, None])
        choice = np.where(t_den, rank[nb[tied]], _BIG).argmin(axis=1)
        pick[tied] = nb[tied, choice]
    found = has & (full | (delta < dd[:, -1]))
    return found, pick


def nearest_denser(lists, rank, order, query):
    """Nearest denser point of each ``query`` point (see the module docstring).

    Parameters
    ----------
    lists : NeighbourLists
        k-NN lists of the distinct points.
    rank, order : ndarray (m,)
        Total visiting order (``rank[order] == arange(m)``), radii increasing.
    query : ndarray of int
        Points that need a link.

    Returns
    -------
    ndarray of int64, shape (len(query),)
        The link of each query point (-1 for the densest point, which has none).

    Examples
    --------
    >>> import numpy as np
    >>> from symdyn.cluster._knn import neighbour_lists
    >>> from symdyn.cluster._cores import ranks_by_radius
    >>> lists, _ = neighbour_lists(np.array([[0.0], [1.0], [1.5], [5.0]]), 2)
    >>> order, rank = ranks_by_radius(lists.radius, lists.points)
    >>> link = nearest_denser(lists, rank, order, np.arange(4))
    >>> lists.points[order[0]].tolist(), lists.points[link[rank == 3][0]].tolist()
    ([1.0], [1.5])
    """
    query = np.asarray(query, dtype=np.int64)
    key = link_keys(lists.radius, rank, order)
    out = np.full(query.size, -1, dtype=np.int64)
    m = lists.m
    K = lists.idx.shape[1]
    todo = rank[query] > 0  # the densest point has no link
    step = max(1, _ENTRIES // K)

    def stage1(s):  # the lists; chunks are independent (threads share them)
        q = query[s : s + step]
        return _pick(lists.dist[q], lists.idx[q], key[q], key, rank, K >= m)

    starts = range(0, query.size, step)
    for s, (found, pick) in zip(starts, thread_map(stage1, starts, lists.workers)):
        found &= todo[s : s + step]
        out[s : s + step][found] = pick[found]
        todo[s : s + step] &= ~found
    rest = np.flatnonzero(todo)
    kk = K
    while rest.size and kk < min(m, _GROW_CAP):  # stage 2: growing k on the same tree
        kk = min(m, 4 * kk, _GROW_CAP)
        step = max(1, _ENTRIES // kk)
        left = []
        for s in range(0, rest.size, step):
            sel = rest[s : s + step]
            q = query[sel]
            dd, nb = lists.query(q, kk)
            found, pick = _pick(dd, nb, key[q], key, rank, kk >= m)
            out[sel[found]] = pick[found]
            left.append(sel[~found])
        rest = np.concatenate(left)
    if rest.size:  # stage 3: dyadic prefix blocks
        out[rest] = _prefix_search(lists.points, key, order, query[rest])
    return out


def _block_nearest(tree, Q, size):
    """Nearest point of a block tree with ties to the lowest block position."""
    kk = min(2, size)
    d, j = tree.query(Q, k=kk)
    d, j = d.reshape(len(Q), kk), j.reshape(len(Q), kk)
    best_d, best_j = d[:, 0].copy(), j[:, 0].copy()
    tied = np.flatnonzero(d[:, -1] == d[:, 0]) if kk > 1 else np.empty(0, np.int64)
    while tied.size:
        kk = min(size, 2 * kk)
        d, j = tree.query(Q[tied], k=kk)
        d, j = d.reshape(tied.size, kk), j.reshape(tied.size, kk)
        done = (d[:, -1] > d[:, :1].ravel()) | (kk >= size)
        tie = d == d[:, :1]
        low = np.where(tie, j, _BIG).min(axis=1)
        best_j[tied[done]] = low[done]
        tied = tied[~done]
    return best_d, best_j


def _prefix_search(points, key, order, query):
    Xs = points[order]
    p = key[query].astype(np.int64)  # positions [0, p) are strictly denser
    Q = points[query]
    best_d = np.full(query.size, np.inf)
    best_j = np.full(query.size, -1, dtype=np.int64)

    def offer(members, d, j):
        better = (d < best_d[members]) | ((d == best_d[members]) & (j < best_j[members]))
        best_d[members[better]] = d[better]
        best_j[members[better]] = j[better]

    top = int(p.max(initial=0)).bit_length()
    for t in range(_SMALL_BITS, top):  # large dyadic blocks: one tree per distinct block
        has = ((p >> t) & 1).astype(bool)
        if not has.any():
            continue
        sel = np.flatnonzero(has)
        starts = (p[sel] >> (t + 1)) << (t + 1)
        for s0 in np.unique(starts):
            members = sel[starts == s0]
            d, j = _block_nearest(cKDTree(Xs[s0 : s0 + (1 << t)]), Q[members], 1 << t)
            offer(members, d, s0 + j)
    low = (p >> _SMALL_BITS) << _SMALL_BITS  # remainder [low, p): shorter than 2**_SMALL_BITS
    sel = np.flatnonzero(p > low)
    for s0 in np.unique(low[sel]):
        members = sel[low[sel] == s0]
        width = int(p[members].max() - s0)
        d, j = cKDTree(Xs[s0 : s0 + width]).query(Q[members], k=width)
        d, j = d.reshape(members.size, width), j.reshape(members.size, width) + s0
        d = np.where(j < p[members, None], d, np.inf)
        dmin = d.min(axis=1)
        jmin = np.where(d == dmin[:, None], j, _BIG).min(axis=1)
        offer(members, dmin, jmin)
    return np.where(best_j >= 0, order[np.maximum(best_j, 0)], -1)
