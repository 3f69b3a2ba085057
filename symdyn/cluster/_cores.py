"""Quickshift++ cluster cores: the reference's union-find pass, vectorised.

The reference visits samples by increasing k-NN radius ``r`` (ties by index) and
keeps a union-find over the mutual k-NN graph restricted to the samples already
"admitted".  A visited sample ``c`` starts a new core when its component contains
no earlier-visited sample, i.e. when ``c`` is the lowest-ranked vertex of its
component.  Three facts make this computable with array operations:

1. With the vertex filtration (an edge is present once both end points are), a
   vertex that has a lower-ranked mutual neighbour is never a seed; every vertex
   is connected, at every level where it is present, to the local minimum
   reached by steepest descent (always stepping to the lowest-ranked lower
   neighbour).  Steepest descent is one ``argmin`` per row plus pointer jumping.
2. Components at any level are therefore components of the *contracted* graph on
   the local minima ("basins"), whose edges carry the rank at which two basins
   touch.  Its merge history (elder rule: the younger minimum dies) comes from
   its minimum spanning tree (SciPy, compiled) and one union-find sweep over
   the tree's edges -- a loop over local modes, not over samples.
3. A minimum is a seed iff it is visited and dies at a level not yet admitted
   when it is visited; its core is every admitted sample whose basin's elder
   chain reaches the seed through links admitted at the seed's level
   (pointer jumping with a running maximum).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree

_CHUNK_ENTRIES = 4_000_000


def _row_chunks(n: int, k: int):
    step = max(1, _CHUNK_ENTRIES // max(k, 1))
    for start in range(0, n, step):
        yield start, min(n, start + step)


def _pointer_jump(parent: np.ndarray) -> np.ndarray:
    """Roots of a forest given by ``parent`` (roots point to themselves)."""
    parent = parent.copy()
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent = grand


def ranks_by_radius(radius: np.ndarray):
    """Visiting order of the reference: by radius, ties by index.

    Returns
    -------
    order : ndarray of int64
        ``order[p]`` is the sample visited p-th.
    rank : ndarray of int64
        Inverse permutation: ``rank[order] == arange(n)``.
    """
    order = np.argsort(radius, kind="stable")
    rank = np.empty(order.size, dtype=np.int32 if order.size < 2**31 - 1 else np.int64)
    rank[order] = np.arange(order.size, dtype=rank.dtype)
    return order, rank


def _lower_mutual(dist, idx, radius, rank, start, stop):
    """Mask of lower-ranked mutual neighbours for rows ``start:stop``."""
    nb = idx[start:stop]
    rnb = rank[nb]
    lower = rnb < rank[start:stop, None]
    # i lies in j's closed k-NN ball: the mutual relation, symmetric even under
    # distance ties (it equals list membership when there are none).
    lower &= dist[start:stop] <= radius[nb]
    return nb, rnb, lower


def _elder_merges(m: int, a: np.ndarray, b: np.ndarray, w: np.ndarray):
    """Elder-rule merge history of the contracted graph.

    Nodes are numbered in visiting order (lower id = elder).  Returns, per node,
    the weight at which it dies (``inf`` for the eldest of each component) and
    the elder node whose component absorbs it.
    """
    death = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    link = np.arange(m, dtype=np.int64)
    if a.size == 0:
        return death, link
    graph = coo_matrix((w.astype(np.float64) + 1.0, (a, b)), shape=(m, m)).tocsr()
    tree = minimum_spanning_tree(graph).tocoo()
    ta, tb = tree.row.astype(np.int64), tree.col.astype(np.int64)
    tw = np.rint(tree.data).astype(np.int64) - 1
    sel = np.lexsort((tb, ta, tw))
    uf = list(range(m))  # union-find parent
    eldest = list(range(m))  # root -> eldest node of its set

    def find(x):
        root = x
        while uf[root] != root:
            root = uf[root]
        while uf[x] != root:
            uf[x], x = root, uf[x]
        return root

    d_out, l_out = death.tolist(), link.tolist()
    # One pass over the spanning tree of the local modes (not over samples).
    for x, y, weight in zip(ta[sel].tolist(), tb[sel].tolist(), tw[sel].tolist()):
        rx, ry = find(x), find(y)
        ex, ey = eldest[rx], eldest[ry]
        old, young = (ex, ey) if ex < ey else (ey, ex)
        d_out[young] = weight
        l_out[young] = old
        uf[ry] = rx
        eldest[rx] = old
    return np.asarray(d_out, dtype=np.int64), np.asarray(l_out, dtype=np.int64)


def find_cores(dist, idx, radius, *, beta: float, epsilon: float, n_features: int):
    """Cluster cores of Quickshift++ (reference semantics).

    Parameters
    ----------
    dist, idx : ndarray of shape (n, k)
        k-NN distances and indices (self included), rows sorted by distance.
    radius : ndarray of shape (n,)
        k-NN radius ``r_k``.
    beta : float in [0, 1)
        Fluctuation parameter.
    epsilon : float >= 0
        Pruning parameter (0: no pruning).
    n_features : int
        Dimension ``d`` in the density ``k / (n v_d r^d)``.

    Returns
    -------
    core_label : ndarray of shape (n,), int64
        Core number (0 = densest seed) of each sample, -1 outside every core.
    seeds : ndarray of int64
        Sample index of each core's seed, in core-number order.
    order, rank : ndarray
        Visiting order (see :func:`ranks_by_radius`).

    Examples
    --------
    >>> import numpy as np
    >>> from symdyn.cluster._knn import knn
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (100, 1)), rng.normal(50, 1, (100, 1))]
    >>> _, dist, idx, r = knn(X, 40)
    >>> core_label, seeds, _, _ = find_cores(dist, idx, r, beta=0.5, epsilon=0.0, n_features=1)
    >>> int(core_label.max()) + 1
    2
    """
    n, k = idx.shape
    order, rank = ranks_by_radius(radius)
    # Steepest descent: the lowest-ranked lower mutual neighbour, or self.
    descent = np.arange(n, dtype=np.int64)
    lower_all = np.empty((n, k), dtype=bool)  # kept for the second pass (n*k bytes)
    for s, e in _row_chunks(n, k):
        nb, rnb, lower = _lower_mutual(dist, idx, radius, rank, s, e)
        lower_all[s:e] = lower
        rnb[~lower] = n
        best = rnb.min(axis=1)
        has = best < n
        descent[s:e][has] = order[best[has]]
    is_min = descent == np.arange(n)
    basin = _pointer_jump(descent)
    minima = order[is_min[order]]  # local minima in visiting order
    m = minima.size
    node = np.full(n, -1, dtype=np.int64)
    node[minima] = np.arange(m)

    # Contracted graph: basins that touch, at the rank of the higher end point.
    ea, eb, ew = [], [], []
    for s, e in _row_chunks(n, k):
        nb = idx[s:e]
        lower = lower_all[s:e]
        bi = basin[s:e]
        lower &= basin[nb] != bi[:, None]
        rows, cols = np.nonzero(lower)
        if rows.size:
            a = node[bi[rows]]
            b = node[basin[nb[rows, cols]]]
            ea.append(np.minimum(a, b))
            eb.append(np.maximum(a, b))
            ew.append(rank[s + rows].astype(np.int64))
    if ea:
        a, b, w = np.concatenate(ea), np.concatenate(eb), np.concatenate(ew)
        sel = np.lexsort((w, b, a))
        a, b, w = a[sel], b[sel], w[sel]
        first = np.ones(a.size, dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        a, b, w = a[first], b[first], w[first]  # lightest edge per basin pair
    else:
        a = b = w = np.empty(0, dtype=np.int64)
    death, link = _elder_merges(m, a, b, w)

    # Levels of the reference: minimum c is visited once some sample i has
    # r_i (1 - beta)^(1/d) > r_c; the graph then holds r < (1+eps)^(1/d) r_i and
    # the core keeps r <= r_i.
    r_sorted = radius[order]
    shrink = (1.0 - beta) ** (1.0 / n_features)
    grow = (1.0 + epsilon) ** (1.0 / n_features)
    r_min = radius[minima]
    pos = np.searchsorted(r_sorted * shrink, r_min, side="right")
    visited = pos < n
    level = np.where(visited, r_sorted[np.minimum(pos, n - 1)], np.inf)
    admitted = np.searchsorted(r_sorted, grow * level, side="left")
    is_seed = visited & (death >= admitted)

    # Elder chains: which seed (if any) each basin's minimum joins at its level.
    jump = np.where(is_seed, np.arange(m), link)
    wmax = np.where(is_seed, -1, death)
    while True:
        new_w = np.maximum(wmax, wmax[jump])
        new_jump = jump[jump]
        if np.array_equal(new_jump, jump) and np.array_equal(new_w, wmax):
            break
        jump, wmax = new_jump, new_w
    seed_nodes = np.flatnonzero(is_seed)
    core_number = np.full(m, -1, dtype=np.int64)
    core_number[seed_nodes] = np.arange(seed_nodes.size)
    target = jump
    joined = is_seed[target] & (wmax < admitted[target])
    node_core = np.where(joined, core_number[target], -1)

    point_node = node[basin]
    point_core = node_core[point_node]
    seed_of_point = np.where(point_core >= 0, target[point_node], 0)
    inside = (point_core >= 0) & (rank < admitted[seed_of_point]) & (radius <= level[seed_of_point])
    core_label = np.where(inside, point_core, -1)
    return core_label, minima[seed_nodes], order, rank
