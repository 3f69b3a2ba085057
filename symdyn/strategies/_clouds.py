"""Clustered point clouds with known labels and a known separation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from ._rationals import check_count

__all__ = ["CloudCase", "point_clouds"]


@dataclass(frozen=True, eq=False)
class CloudCase:
    """Points in balls of radius ``radius`` around well-separated centres.

    Attributes
    ----------
    X : ndarray (n_samples, dim)
    labels : ndarray (n_samples,) of int
        The cluster of each point (``0..n_clusters-1``).
    centers : ndarray (n_clusters, dim)
        Integer lattice points times ``spacing``.
    radius : float
        Every point lies within ``radius`` of its centre.
    spacing : float
        Distinct centres are at least ``spacing`` apart.
    seed : int
        Seed of the point positions (``numpy.random.default_rng``).
    """

    X: np.ndarray
    labels: np.ndarray
    centers: np.ndarray
    radius: float
    spacing: float
    seed: int

    @property
    def n_clusters(self) -> int:
        return len(self.centers)

    @property
    def gap(self) -> float:
        """Lower bound on the distance between points of different clusters (``spacing - 2 radius``)."""
        return self.spacing - 2 * self.radius

    @property
    def diameter(self) -> float:
        """Upper bound on the distance between points of the same cluster (``2 radius``)."""
        return 2 * self.radius

    @property
    def sizes(self) -> np.ndarray:
        return np.bincount(self.labels, minlength=self.n_clusters)


def point_clouds(*, min_clusters: int = 1, max_clusters: int = 4, dim: int = 2, min_size: int = 10,
                 max_size: int = 40, separation: float = 2.0):
    """Clustered point clouds with known labels and separation.

    Centres are distinct points of a small integer lattice (coordinates ``0..3``)
    scaled by ``spacing = 2 radius (1 + separation)``; each cluster has uniformly
    random points in the ball of ``radius = 1`` around its centre (continuous
    positions, so k-NN distances have no ties).

    Parameters
    ----------
    min_clusters, max_clusters : int
        Number of clusters (1..8).
    dim : int
        Dimension (1..5).
    min_size, max_size : int
        Points per cluster (1..2000).
    separation : float > 0
        ``gap / diameter``: the distance between two clusters is at least
        ``separation`` times the largest cluster diameter.

    Returns
    -------
    SearchStrategy of CloudCase

    Guarantees
    ----------
    ``|X[i] - centers[labels[i]]| <= radius`` for every point, distinct centres are
    ``>= spacing`` apart, hence points of different clusters are ``>= case.gap`` apart and
    points of one cluster ``<= case.diameter`` apart, with ``gap >= separation * diameter``.

    Examples
    --------
    >>> from symdyn.strategies import point_clouds
    >>> case = point_clouds(min_clusters=2).example()
    >>> case.gap >= 2.0 * case.diameter, case.X.shape[0] == case.labels.shape[0]
    (True, True)
    """
    check_count("min_clusters", min_clusters, 1, 8)
    check_count("max_clusters", max_clusters, 1, 8)
    check_count("dim", dim, 1, 5)
    check_count("min_size", min_size, 1, 2000)
    check_count("max_size", max_size, 1, 2000)
    if min_clusters > max_clusters or min_size > max_size:
        raise ValueError("need min_clusters <= max_clusters and min_size <= max_size")
    if max_clusters > 4**dim:
        raise ValueError(f"max_clusters={max_clusters} exceeds the {4**dim} lattice points in dimension {dim}")
    if isinstance(separation, bool) or not isinstance(separation, (int, float)) or not (0 < separation < 1e6):
        raise ValueError(f"separation must be a number in (0, 1e6), got {separation!r}")
    radius = 1.0
    spacing = 2 * radius * (1 + float(separation))
    lattice = st.tuples(*[st.integers(0, 3)] * dim)

    @st.composite
    def draw_case(draw):
        k = draw(st.integers(min_clusters, max_clusters))
        cells = draw(st.lists(lattice, min_size=k, max_size=k, unique=True))
        sizes = [draw(st.integers(min_size, max_size)) for _ in range(k)]
        seed = draw(st.integers(0, 2**16))
        rng = np.random.default_rng(seed)
        centers = np.array(cells, dtype=float) * spacing
        parts, labels = [], []
        for j, m in enumerate(sizes):
            g = rng.standard_normal((m, dim))
            g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-300)
            r = radius * rng.uniform(0, 1, size=(m, 1)) ** (1 / dim) * (1 - 1e-9)
            parts.append(centers[j] + r * g)
            labels.append(np.full(m, j))
        return CloudCase(np.vstack(parts), np.concatenate(labels), centers, radius, spacing, seed)

    return draw_case()
