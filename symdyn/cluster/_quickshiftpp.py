"""The Quickshift++ estimator (Jiang, Jang & Kpotufe, ICML 2018)."""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy.special import gammaln
from sklearn.base import BaseEstimator, ClusterMixin

from ._cores import find_cores
from ._denser import nearest_denser
from ._knn import knn


def _validate_data(est, X):
    try:
        from sklearn.utils.validation import validate_data
    except ImportError:  # scikit-learn < 1.6
        return est._validate_data(X, accept_sparse=False, dtype=np.float64, ensure_min_samples=1)
    return validate_data(est, X, accept_sparse=False, dtype=np.float64, ensure_min_samples=1)


class QuickshiftPP(ClusterMixin, BaseEstimator):
    """Quickshift++: mode-seeking clustering with cluster cores.

    Cluster cores are the modal sets of the k-NN density estimate found by one
    union-find pass over the mutual k-NN graph; every other sample follows its
    nearest sample of strictly higher density until it reaches a core.
    Semantics follow the authors' reference implementation: ``k`` counts the
    sample itself, ``beta`` is the allowed density fluctuation inside a core
    and ``epsilon`` prunes (merges) nearby cores.

    Parameters
    ----------
    k : int, default 20
        Neighbours in the k-NN density estimate, the sample itself included.
        Must grow with n for consistency; clipped to ``n_samples`` in ``fit``.
    beta : float in [0, 1), default 0.5
        Density fluctuation: a core at density level ``lambda`` is a component of
        the mutual k-NN graph on samples of density ``>= (1 - beta) lambda``.
        ``beta = 0`` behaves like Quick Shift (many small cores).
    epsilon : float >= 0, default 0.0
        Pruning: the graph also admits samples down to ``lambda / (1 + epsilon)``
        so that nearby cores merge; ``0`` is the plain rule.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,), int64
        Cluster of every sample, ``0 .. n_clusters_ - 1``; cluster 0 holds the
        densest core.
    n_clusters_ : int
        Number of clusters (= number of cores).
    core_sample_mask_ : ndarray of bool
        Samples inside a cluster core.
    core_labels_ : ndarray of int64
        ``labels_`` on cores, -1 elsewhere.
    mode_indices_ : ndarray of int64
        Densest sample of each core (its seed), indexed by cluster.
    radius_ : ndarray of float
        k-NN radius ``r_k`` of every sample (distance to its k-th neighbour).
    density_ : ndarray of float
        ``k / (n v_d r_k^d)`` (``inf`` where ``r_k = 0``).
    parent_ : ndarray of int64
        Link followed by each sample: itself on cores, else its nearest sample of
        strictly higher density.
    k_ : int
        The ``k`` actually used (``min(k, n_samples)``).
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    Reference semantics, reproduced exactly (tested against a literal
    transcription of the authors' C++): a sample is visited as a potential
    seed only if some sample has ``r_k (1 - beta)^(1/d)`` above its radius, so the
    sparsest samples never seed a core; a sample isolated in the mutual k-NN
    graph that *is* visited seeds a core of its own (a small cluster; raise k).
    Two choices make the result well defined where the reference depends on
    memory order: the mutual relation is "each lies in the other's closed
    k-NN ball" (identical to list membership unless distances tie), and
    clusters are numbered by decreasing core density instead of by first
    appearance.

    If no sample qualifies as a core seed (all samples identical, a single
    sample, ``beta`` close to 1, or ``n_samples <= k`` with flat radii) the
    behaviour is defined: the densest samples (smallest radius) form the one
    core and every sample gets label 0.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(8, 1, (200, 2))]
    >>> est = QuickshiftPP(k=30, beta=0.5).fit(X)
    >>> est.n_clusters_
    2
    >>> bool((est.labels_[:200] != est.labels_[200:, None]).all())
    True
    """

    def __init__(self, k=20, beta=0.5, epsilon=0.0):
        self.k = k
        self.beta = beta
        self.epsilon = epsilon

    def _check_params(self):
        if isinstance(self.k, bool) or not isinstance(self.k, numbers.Integral):
            raise TypeError(f"k must be an integer, got {type(self.k).__name__}")
        if self.k < 1:
            raise ValueError(f"k must be >= 1, got {self.k}")
        for name, low, high in (("beta", 0.0, 1.0), ("epsilon", 0.0, math.inf)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
            if not (math.isfinite(value) or name == "epsilon") or math.isnan(value):
                raise ValueError(f"{name} must be finite, got {value!r}")
            if not low <= value < high:
                raise ValueError(f"{name} must be in [{low}, {high}), got {value!r}")

    def fit(self, X, y=None):
        """Cluster ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Finite real samples (any memory order, integer or float dtype, lists).
        y : ignored

        Returns
        -------
        self : QuickshiftPP
            The fitted estimator.
        """
        self._check_params()
        X = _validate_data(self, X)  # float64, finite, 2-D; raises ValueError on NaN/inf
        X = np.ascontiguousarray(X)
        n, d = X.shape
        k = min(int(self.k), n)
        tree, dist, idx, radius = knn(X, k)
        core_label, seeds, order, rank = find_cores(
            dist, idx, radius, beta=float(self.beta), epsilon=float(self.epsilon), n_features=d
        )
        if seeds.size == 0:  # defined behaviour: one cluster around the densest samples
            core_label = np.where(radius == radius[order[0]], 0, -1)
            seeds = order[:1].astype(np.int64)
        parent = np.arange(n, dtype=np.int64)
        free = np.flatnonzero(core_label < 0)
        if free.size:
            parent[free] = nearest_denser(X, radius, order, free, dist=dist, idx=idx)
            if (parent[free] < 0).any():  # pragma: no cover - excluded by the core construction
                raise RuntimeError("internal error: a non-core sample has no denser sample")
        del dist, idx, tree
        # Follow links (each to a strictly denser sample) until a core: pointer jumping.
        root = parent.copy()
        while True:
            nxt = root[root]
            if np.array_equal(nxt, root):
                break
            root = nxt
        labels = core_label[root]
        if (labels < 0).any():  # only reachable in the no-core fallback
            labels = np.where(labels < 0, 0, labels)
        self.labels_ = labels.astype(np.int64)
        self.core_sample_mask_ = core_label >= 0
        self.core_labels_ = core_label.astype(np.int64)
        self.mode_indices_ = np.asarray(seeds, dtype=np.int64)
        self.n_clusters_ = int(seeds.size)
        self.radius_ = radius
        self.parent_ = parent
        self.k_ = k
        with np.errstate(divide="ignore", over="ignore"):
            log_vd = (d / 2) * math.log(math.pi) - gammaln(d / 2 + 1)
            self.density_ = np.exp(math.log(k) - math.log(n) - log_vd - d * np.log(radius))
        return self

    def fit_predict(self, X, y=None):
        """Fit and return ``labels_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        labels : ndarray of shape (n_samples,)

        Examples
        --------
        >>> import numpy as np
        >>> rng = np.random.default_rng(1)
        >>> X = np.r_[rng.normal(0, 1, (60, 2)), rng.normal(20, 1, (60, 2))]
        >>> labels = QuickshiftPP(k=30, beta=0.5).fit_predict(X)
        >>> sorted(np.bincount(labels).tolist())
        [60, 60]
        """
        return self.fit(X).labels_
