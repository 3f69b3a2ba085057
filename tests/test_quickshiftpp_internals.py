"""Internals of the vectorised passes against brute force."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn.cluster._cores import _elder_merges, ranks_by_radius
from symdyn.cluster._denser import nearest_denser


@settings(max_examples=25)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 3000), d=st.integers(1, 4), ties=st.booleans())
def test_exact_nearest_denser_matches_brute_force(seed, n, d, ties):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    r = rng.integers(0, max(2, n // 20), n).astype(float) if ties else rng.random(n)
    order, _ = ranks_by_radius(r)
    query = np.flatnonzero(r > r.min())
    got = nearest_denser(X, r, order, query)  # no k-NN lists: every query takes the exact path
    for q, j in zip(query[:200], got[:200]):
        denser = np.flatnonzero(r < r[q])
        dist = np.linalg.norm(X[denser] - X[q], axis=1)
        assert r[j] < r[q]
        assert np.isclose(np.linalg.norm(X[j] - X[q]), dist.min())
    # samples at the minimum radius have no denser sample
    assert (nearest_denser(X, r, order, np.flatnonzero(r == r.min())) == -1).all()


def test_elder_merges_on_a_path():
    # nodes 0..3 in visiting order; path 2-0 (w=5), 0-3 (w=6), 3-1 (w=9)
    death, link = _elder_merges(4, np.array([0, 0, 1]), np.array([2, 3, 3]), np.array([5, 6, 9]))
    assert death[0] == np.iinfo(np.int64).max and link[0] == 0
    assert (death[2], link[2]) == (5, 0)
    assert (death[3], link[3]) == (6, 0)
    assert (death[1], link[1]) == (9, 0)  # 1 meets the component of 0 through 3 at w=9
