"""Internals of the vectorised passes against brute force."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import symdyn.cluster._denser as denser_mod
from symdyn.cluster._cores import _elder_merges, _lightest_edges, ranks_by_radius
from symdyn.cluster._denser import link_keys, nearest_denser
from symdyn.cluster._knn import neighbour_lists


def _brute_link(X, radius, rank, key, q):
    cand = np.flatnonzero(key < key[q])
    d = np.sqrt(((X[cand] - X[q]) ** 2).sum(axis=1))
    best = cand[d == d.min()]
    return best[np.argmin(rank[best])]


@settings(max_examples=25)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 1500), d=st.integers(1, 3), k=st.integers(1, 8),
       grid=st.booleans(), stage=st.sampled_from([1, 2, 3]))
def test_nearest_denser_matches_brute_force(seed, n, d, k, grid, stage):
    """All three stages (lists, growing k, dyadic prefix blocks) against brute force,
    on data with ties in radius and distance (integer grids) or without."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 6, size=(n, d)).astype(float) if grid else rng.normal(size=(n, d))
    lists, _ = neighbour_lists(X, min(k, n))
    m = lists.m
    order, rank = ranks_by_radius(lists.radius, lists.points)
    key = link_keys(lists.radius, rank, order)
    query = np.flatnonzero(rank > 0)
    old = denser_mod._GROW_CAP
    try:
        if stage == 3:  # no growing k: every hard point takes the prefix search
            denser_mod._GROW_CAP = 1
        if stage >= 2:  # lists hold only the point itself: nothing settles in stage 1
            lists.dist, lists.idx = lists.dist[:, :1].copy(), lists.idx[:, :1].copy()
        got = nearest_denser(lists, rank, order, query)
    finally:
        denser_mod._GROW_CAP = old
    # exact comparisons are meaningful on the grid (integer squared distances);
    # on Gaussian data the cKDTree and numpy distances may differ in the last bit
    P = lists.points
    for q, j in zip(query[:150], got[:150]):
        assert key[j] < key[q]
        want = _brute_link(P, lists.radius, rank, key, q)
        if grid:
            assert j == want
        else:
            assert np.isclose(np.linalg.norm(P[j] - P[q]), np.linalg.norm(P[want] - P[q]))
    assert (nearest_denser(lists, rank, order, np.array([order[0]])) == -1).all()
    assert m >= 1


def test_ranks_break_radius_ties_by_coordinates():
    r = np.array([1.0, 1.0, 0.5, 1.0])
    P = np.array([[2.0, 0.0], [1.0, 5.0], [9.0, 9.0], [1.0, 4.0]])
    order, rank = ranks_by_radius(r, P)
    assert order.tolist() == [2, 3, 1, 0]
    assert (rank[order] == np.arange(4)).all()


def test_lightest_edge_per_pair():
    a = np.array([3, 1, 1, 0, 2])
    b = np.array([1, 3, 3, 2, 0])
    w = np.array([9, 7, 8, 5, 4])
    lo, hi, ww = _lightest_edges(a, b, w, 4, 10)
    assert sorted(zip(lo.tolist(), hi.tolist(), ww.tolist())) == [(0, 2, 4), (1, 3, 7)]


def test_elder_merges_on_a_path():
    # nodes 0..3 in visiting order; path 2-0 (w=5), 0-3 (w=6), 3-1 (w=9)
    death, link = _elder_merges(4, np.array([0, 0, 1]), np.array([2, 3, 3]), np.array([5, 6, 9]))
    assert death[0] == np.iinfo(np.int64).max and link[0] == 0
    assert (death[2], link[2]) == (5, 0)
    assert (death[3], link[3]) == (6, 0)
    assert (death[1], link[1]) == (9, 0)  # 1 meets the component of 0 through 3 at w=9


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 400), k=st.integers(1, 30), grid=st.booleans())
def test_threaded_passes_equal_serial(seed, n, k, grid):
    """The row-chunk passes (k-NN query, cores, links) on threads give the serial result bit for bit.

    Chunks are made tiny so that every pass really splits into many chunks; lattice data
    (``grid``) produces tie rows, whose descent updates must keep their chunk order.
    """
    import symdyn.cluster._knn as knn_mod
    from symdyn.cluster._cores import find_cores

    rng = np.random.default_rng(seed)
    X = rng.integers(0, 6, (n, 2)).astype(float) if grid else rng.normal(size=(n, 2))
    k = min(k, n)
    old = knn_mod._CHUNK_ENTRIES, denser_mod._ENTRIES
    knn_mod._CHUNK_ENTRIES, denser_mod._ENTRIES = 7 * (k + 1), 5 * (k + 1)
    try:
        out = []
        for workers in (1, 2):
            lists, where = neighbour_lists(X, k, workers=workers)
            core_label, seeds, order, rank = find_cores(lists, beta=0.5, epsilon=0.0, n_features=2)
            link = nearest_denser(lists, rank, order, np.arange(lists.m))
            out.append((lists.dist, lists.idx, where, core_label, seeds, order, link))
    finally:
        knn_mod._CHUNK_ENTRIES, denser_mod._ENTRIES = old
    for a, b in zip(*out):
        assert np.array_equal(a, b)
