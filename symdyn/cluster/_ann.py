"""Approximate k-NN lists from NN-descent (``pynndescent``, the ``ann`` extra).

For high dimensions (d = 20-50) where exact k-d trees degrade towards brute
force.  Only the candidate lists are approximate: distances are recomputed in
float64 with one symmetric formula, copies are merged exactly, and links that
leave the lists are still found exactly (a k-d tree built on demand).
"""

from __future__ import annotations

import numpy as np

from ._knn import distinct, index_dtype

_ENTRIES = 4_000_000


def ann_lists(P, where, k, options):
    """NN-descent lists of the distinct rows of ``P``.

    Returns ``(points, weight, where, dist, idx)`` as used by
    :func:`symdyn.cluster._knn.neighbour_lists`.

    Raises
    ------
    ImportError
        When pynndescent is not installed (``pip install 'symdyn[ann]'``).
    """
    try:
        import pynndescent
    except ImportError:
        raise ImportError(
            "knn='nndescent' needs the optional dependency pynndescent; install it with "
            "pip install 'symdyn[ann]' (or pip install pynndescent), or use knn='exact'"
        ) from None
    U, inverse, counts = distinct(P)
    weight = counts if U.shape[0] < P.shape[0] else None
    where = inverse[where]
    m = U.shape[0]
    K = min(k + 1, m)
    opts = {"random_state": 0, **options}
    if K < 2:
        idx = np.zeros((m, 1), dtype=np.int64)
    else:
        idx, _ = pynndescent.NNDescent(U, n_neighbors=K, **opts).neighbor_graph
    idx = np.where(idx < 0, np.arange(m)[:, None], idx).astype(index_dtype(m))
    idx[:, 0] = np.arange(m)  # the point itself first (NN-descent may miss it)
    dist = np.empty(idx.shape)
    step = max(1, _ENTRIES // (K * U.shape[1]))
    for s in range(0, m, step):  # float64 distances, one formula, rows sorted
        e = min(m, s + step)
        diff = U[idx[s:e]] - U[s:e, None, :]
        d = np.sqrt(np.einsum("rkd,rkd->rk", diff, diff))
        d[:, 1:][idx[s:e, 1:] == np.arange(s, e)[:, None]] = np.inf  # repeated self
        o = np.argsort(d, axis=1, kind="stable")
        dist[s:e] = np.take_along_axis(d, o, axis=1)
        idx[s:e] = np.take_along_axis(idx[s:e], o, axis=1)
    return U, weight, where, dist, idx
