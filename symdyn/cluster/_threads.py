"""Row-chunk passes on threads (NumPy releases the GIL in gathers and comparisons)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

__all__ = ["thread_map"]


def thread_map(fn, items, workers: int):
    """``list(map(fn, items))`` on ``workers`` threads (-1: every CPU), in order.

    The row-chunk passes are NumPy gathers and comparisons, which release the
    GIL, so threads share the work as the k-NN query's ``workers`` do.
    """
    items = list(items)
    n_threads = (os.cpu_count() or 1) if workers is None or workers < 0 else max(1, int(workers))
    n_threads = min(n_threads, len(items))
    if n_threads <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(n_threads) as pool:
        return list(pool.map(fn, items))
