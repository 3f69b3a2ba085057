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

from ._threads import thread_map


def _pointer_jump(parent: np.ndarray) -> np.ndarray:
    """Roots of a forest given by ``parent`` (roots point to themselves)."""
    parent = parent.copy()
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent = grand


def ranks_by_radius(radius: np.ndarray, points: np.ndarray | None = None):
    """The total visiting order: by radius, ties by the coordinates (lexicographic).

    Distinct points never tie in this order, and it does not depend on the
    order of the input rows, so neither does anything computed from it.
    Without ``points`` ties are broken by index (the reference's rule).

    Returns
    -------
    order : ndarray of int64
        ``order[p]`` is the sample visited p-th.
    rank : ndarray of int32 (int64 for n >= 2^31 - 1)
        Inverse permutation: ``rank[order] == arange(n)``.

    Examples
    --------
    >>> import numpy as np
    >>> order, rank = ranks_by_radius(np.array([1.0, 0.5, 1.0]), np.array([[3.0], [0.0], [2.0]]))
    >>> order.tolist(), rank.tolist()
    ([1, 2, 0], [2, 0, 1])
    """
    order = np.argsort(radius, kind="stable")
    if points is not None and order.size > 1:
        rs = radius[order]
        tied = np.flatnonzero(rs[1:] == rs[:-1])
        if tied.size:  # re-sort the members of tie groups (contiguous in ``order``) by coordinates
            pos = np.unique(np.concatenate([tied, tied + 1]))
            members = order[pos]
            keys = [points[members, j] for j in range(points.shape[1] - 1, -1, -1)] + [radius[members]]
            order[pos] = members[np.lexsort(keys)]
    rank = np.empty(order.size, dtype=np.int32 if order.size < 2**31 - 1 else np.int64)
    rank[order] = np.arange(order.size, dtype=rank.dtype)
    return order, rank


def _lower_mutual(rows, dd, nb, radius, rank):
    """Mask of lower-ranked mutual neighbours in a block of rows.

    ``u ~ v`` iff each lies in the other's closed k-NN ball: symmetric, and
    equal to list membership when no distances tie.  "Lower" compares radii and
    consults the rank only where radii are equal (one gather instead of two).
    """
    rnb = radius[nb]
    r_row = radius[rows, None]
    lower = rnb < r_row
    eq = rnb == r_row
    eq[:, 0] &= nb[:, 0] != rows  # the point itself (first column): never lower
    i, j = np.nonzero(eq)
    if i.size:
        lower[i, j] = rank[nb[i, j]] < rank[rows[i]]
    lower &= dd <= rnb
    lower &= dd <= r_row
    return lower


def _lightest_edges(a, b, w, m, n):
    """One edge per unordered node pair, the lightest (one packed int64 sort)."""
    if a.size == 0:
        return a, b, w
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    pair = lo * m + hi
    if m * m * (n + 1) < 2**62:  # pair and weight packed in one key: a plain sort
        key = np.sort(pair * (n + 1) + w)
        pair = key // (n + 1)
        first = np.ones(key.size, dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        pair, w = pair[first], key[first] % (n + 1)
    else:  # pragma: no cover - more than ~2^15 basins at 2^31 samples
        sel = np.lexsort((w, pair))
        pair, w = pair[sel], w[sel]
        first = np.ones(pair.size, dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        pair, w = pair[first], w[first]
    return pair // m, pair % m, w


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


def find_cores(lists, *, beta: float, epsilon: float, n_features: int):
    """Cluster cores of Quickshift++ (reference semantics, ties by the total order).

    Parameters
    ----------
    lists : NeighbourLists
        k-NN lists of the distinct points (closed balls complete).
    beta : float in [0, 1)
        Fluctuation parameter.
    epsilon : float >= 0
        Pruning parameter (0: no pruning).
    n_features : int
        Dimension ``d`` in the density ``k / (n v_d r^d)``.

    Returns
    -------
    core_label : ndarray of shape (m,), int64
        Core number (0 = densest seed) of each point, -1 outside every core.
    seeds : ndarray of int64
        Point index of each core's seed, in core-number order.
    order, rank : ndarray
        Visiting order (see :func:`ranks_by_radius`).

    Memory: the lower-mutual mask (m K bytes, kept between the two passes),
    ``rank``/``order``/``descent``/``basin`` (4-8 bytes per point each) and the
    de-duplicated basin edges (reduced chunk by chunk, never all rows at once).

    Examples
    --------
    >>> import numpy as np
    >>> from symdyn.cluster._knn import neighbour_lists
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (100, 1)), rng.normal(50, 1, (100, 1))]
    >>> lists, _ = neighbour_lists(X, 40)
    >>> core_label, seeds, _, _ = find_cores(lists, beta=0.5, epsilon=0.0, n_features=1)
    >>> int(core_label.max()) + 1
    2
    """
    radius = lists.radius
    n = lists.m
    order, rank = ranks_by_radius(radius, lists.points)
    # Descent: the nearest lower mutual neighbour in the row, or self.  Any lower
    # neighbour will do: the minima (points with none) are the same, and a point
    # is connected to where its descent ends at every level where it is present.
    # (A lower neighbour seen only from its own row -- a tied ball boundary --
    # leaves a spurious minimum, which the basin edges below merge at once.)
    workers = lists.workers
    chunks = list(lists.row_chunks())

    def lower_pass(chunk):
        rows, dd, nb = chunk
        lower = _lower_mutual(rows, dd, nb, radius, rank)
        first = lower.argmax(axis=1)
        has = lower[np.arange(rows.size), first]
        return lower, first, has

    descent = np.arange(n, dtype=np.int64)
    masks = []  # lower-mutual masks, kept for the second pass (m K bytes)
    # Chunks run in parallel; the descent updates are applied in chunk order
    # (a tie row repeats a main row and must not overwrite its descent).
    for (rows, _, nb), (lower, first, has) in zip(chunks, thread_map(lower_pass, chunks, workers)):
        masks.append(lower)
        sel = np.flatnonzero(has & (descent[rows] == rows))
        descent[rows[sel]] = nb[sel, first[sel]]
    is_min = descent == np.arange(n)
    basin = _pointer_jump(descent)
    minima = order[is_min[order]]  # local minima in visiting order
    m = minima.size
    node = np.full(n, -1, dtype=np.int64)
    node[minima] = np.arange(m)

    # Contracted graph: basins that touch, at the rank of the higher end point;
    # reduced to the lightest edge per pair chunk by chunk.
    def edge_pass(item):
        (rows, dd, nb), lower = item
        bi = basin[rows]
        lower &= basin[nb] != bi[:, None]
        r, c = np.nonzero(lower)
        if not r.size:
            return None
        return _lightest_edges(node[bi[r]], node[basin[nb[r, c]]], rank[rows[r]].astype(np.int64), m, n)

    edges = [e for e in thread_map(edge_pass, zip(chunks, masks), workers) if e is not None]
    del masks
    empty = np.empty(0, np.int64)
    a, b, w = _lightest_edges(*(np.concatenate([empty] + [e[j] for e in edges]) for j in range(3)), m, n)
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
