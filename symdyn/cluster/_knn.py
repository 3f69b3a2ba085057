"""Exact k-nearest-neighbour radii and lists (the sample itself counts as the first)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

#: Rows queried per cKDTree call: bounds the float64/intp temporaries to ~100 MB.
_CHUNK_ENTRIES = 6_000_000


def knn(X: np.ndarray, k: int, *, workers: int = -1):
    """Exact k-NN of every sample among the samples, self included.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64, finite
        The samples.
    k : int
        Neighbours per sample, ``1 <= k <= n``; the sample itself is the first.
    workers : int, default -1
        Threads for :meth:`scipy.spatial.cKDTree.query` (-1: all cores).

    Returns
    -------
    tree : scipy.spatial.cKDTree
        The index over ``X`` (reused by later passes).
    dist : ndarray of shape (n, k), float64
        Distances, each row sorted increasingly.
    idx : ndarray of shape (n, k), int32
        Neighbour indices (int32 halves the memory of the largest array).
    radius : ndarray of shape (n,)
        ``dist[:, k - 1]``, the k-NN radius ``r_k``.

    Examples
    --------
    >>> import numpy as np
    >>> _, dist, idx, r = knn(np.array([[0.0], [1.0], [3.0]]), 2)
    >>> r.tolist()
    [1.0, 1.0, 2.0]
    """
    n = X.shape[0]
    if not 1 <= k <= n:
        raise ValueError(f"k must be in [1, n_samples={n}], got {k}")
    tree = cKDTree(X)
    dist = np.empty((n, k), dtype=np.float64)
    idx = np.empty((n, k), dtype=np.int32 if n < 2**31 - 1 else np.int64)
    step = max(1, _CHUNK_ENTRIES // k)
    for start in range(0, n, step):  # chunks of rows, not a loop over points
        stop = min(n, start + step)
        d, i = tree.query(X[start:stop], k=k, workers=workers)
        if k == 1:
            d, i = d[:, None], i[:, None]
        dist[start:stop] = d
        idx[start:stop] = i
    return tree, dist, idx, dist[:, k - 1].copy()
