"""The Quickshift++ estimator (Jiang, Jang & Kpotufe, ICML 2018)."""

from __future__ import annotations

import math
import numbers
import os

import numpy as np
from scipy.special import gammaln
from sklearn.base import BaseEstimator, ClusterMixin

from ._cores import find_cores
from ._denser import nearest_denser
from ._knn import neighbour_lists

#: Bytes per k-NN list entry: float64 distance + int32 index.
_LIST_BYTES = 12
#: k="auto" keeps the k-NN lists within this many bytes.
_AUTO_LIST_BUDGET = 4 * 2**30


def _memory_cap() -> int:
    """Half the physical memory (the cap on the k-NN lists of an explicit k)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 16 * 2**30


def auto_k(n: int) -> int:
    """The ``k="auto"`` rule: ``round(sqrt(n))`` clipped to ``[2, n]``, memory-bounded.

    Consistency of the k-NN density estimate (and of its modal sets) needs
    ``k -> inf`` and ``k / n -> 0``; ``sqrt(n)`` is the usual choice between the
    two, and matches the spec's working range (k >= 100 recovers 3 Gaussians at
    n = 20 000).  The lists cost 12 n (k + 1) bytes, so k is lowered where they
    would exceed 4 GiB (from about n = 4e5 on: k = 356 at n = 1e6, 34 at 1e7).

    Examples
    --------
    >>> [auto_k(n) for n in (1, 2, 50, 10_000, 1_000_000)]
    [1, 2, 7, 100, 356]
    """
    k = min(n, max(2, int(round(math.sqrt(n)))))
    budget = max(2, _AUTO_LIST_BUDGET // (_LIST_BYTES * max(n, 1)) - 1)
    return max(1, min(k, budget, n))


def _rescale(X):
    """``X / 2^e`` with ``2^e`` just above ``max |X|``: exact, and keeps squared distances finite."""
    top = float(np.abs(X).max(initial=0.0))
    if top == 0.0:
        return X.copy(), 0
    exponent = math.frexp(top)[1]
    return np.ldexp(X, -exponent), exponent


#: dtype kinds ``fit`` accepts: bool (read as 0/1), signed and unsigned integers, real floats, and
#: object arrays whose every entry is a real number
_NUMERIC_KINDS = {"b", "i", "u", "f", "O"}
_ALLOWED = "X must hold real numbers (dtype bool, integer or float, or an object array of real numbers; bool is read as 0/1)"


class ComplexDataError(TypeError, ValueError):
    """Complex ``X``: a TypeError (wrong kind of data) that is also the ValueError scikit-learn's contract names."""


def _check_dtype(X) -> None:
    """Refuse non-numeric data before any conversion: a TypeError naming ``X`` and what is allowed.

    Strings and bytes (even numeric-looking: nothing is cast from text),
    complex, datetime and structured dtypes, and object arrays with an entry
    that is not a real number, are refused; bool is accepted and read as 0/1.
    An object array of real numbers is read as numbers (scikit-learn's
    estimator contract, ``check_dtype_object``).  Complex data raises
    :class:`ComplexDataError`, both a TypeError and the ValueError
    ``"Complex data not supported"`` of that contract.
    """
    from scipy import sparse

    if sparse.issparse(X):
        return  # scikit-learn's own check refuses sparse input with a TypeError
    dtypes = getattr(X, "dtypes", None)  # a pandas DataFrame: judge every column, not the common dtype
    try:
        arr = np.asarray(X) if dtypes is None or not hasattr(dtypes, "__iter__") else None
    except (ValueError, TypeError):  # ragged lists and the like: scikit-learn reports them
        return
    kinds = [getattr(t, "kind", "O") for t in dtypes] if arr is None else [arr.dtype.kind]
    if "c" in kinds:
        raise ComplexDataError(f"{_ALLOWED}, got complex data (Complex data not supported)")
    bad = sorted({k for k in kinds if k not in _NUMERIC_KINDS})
    if bad:
        names = {"U": "string", "S": "bytes", "M": "datetime", "m": "timedelta", "V": "structured"}
        raise TypeError(f"{_ALLOWED}, got {', '.join(names.get(k, k) for k in bad)} data; "
                        f"convert it first, e.g. np.asarray(X, dtype=float)")
    if "O" in kinds:
        values = arr if arr is not None else np.asarray(X, dtype=object)
        for idx, v in np.ndenumerate(values):
            if not isinstance(v, (numbers.Real, np.bool_)) or isinstance(v, (str, bytes)):
                raise TypeError(f"{_ALLOWED}: entry {idx} of the object data is a {type(v).__name__}; each "
                                f"argument must be a real number (a string is not a number here; convert "
                                f"with np.asarray(X, dtype=float))")


def _validate_data(est, X):
    _check_dtype(X)
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
    k : int or "auto", default "auto"
        Neighbours in the k-NN density estimate, the sample itself (and its
        copies) included; an integer is clipped to ``n_samples`` in ``fit``.
        ``"auto"``: :func:`auto_k` -- ``round(sqrt(n))`` clipped to ``[2, n]``,
        lowered where the k-NN lists would exceed 4 GiB.  Consistency needs
        ``k -> inf`` with ``k / n -> 0``.
    beta : float in [0, 1), default 0.5
        Density fluctuation: a core at density level ``lambda`` is a component of
        the mutual k-NN graph on samples of density ``>= (1 - beta) lambda``.
        ``beta = 0`` behaves like Quick Shift (many small cores).
    epsilon : float >= 0, default 0.0
        Pruning: the graph also admits samples down to ``lambda / (1 + epsilon)``
        so that nearby cores merge; ``0`` is the plain rule.
    knn : {"exact", "nndescent"}, default "exact"
        k-NN back end.  ``"nndescent"`` uses approximate lists from pynndescent
        (the ``ann`` extra: ``pip install 'symdyn[ann]'``) for high dimensions;
        its recall and effect on the partition are measured in the README.

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
        The ``k`` actually used (``min(k, n_samples)``, or the ``"auto"`` value).
    n_features_in_ : int
        Number of features seen in ``fit``.

    Notes
    -----
    Reference semantics, reproduced exactly where the reference is defined
    (tested against a literal transcription of the authors' C++): a sample is
    visited as a potential seed only if some sample has ``r_k (1 - beta)^(1/d)``
    above its radius, so the sparsest samples never seed a core; a sample
    isolated in the mutual k-NN graph that *is* visited seeds a core of its own
    (a small cluster; raise k).

    Where the reference depends on memory order (ties), the result is defined:

    * identical samples are one point with a multiplicity (the radius counts
      every copy), so they always share their label, core flag and radius;
    * the visiting order is total: by radius, ties by the coordinates in
      lexicographic order (never by the position in ``X``);
    * ``u ~ v`` in the mutual graph iff each lies in the other's *closed* k-NN
      ball (symmetric; equal to list membership without distance ties), with
      balls completed beyond ``k`` entries when distances tie at the radius;
    * a link goes to the nearest sample of strictly smaller radius, ties in
      distance to the first in the visiting order; samples tied at the
      smallest radius outside every core link by the visiting order itself;
    * clusters are numbered by decreasing core density.

    Hence labels do not depend on the order of the rows (permuting ``X``
    permutes ``labels_``), and multiplying ``X`` by any positive scale gives the
    same labels up to the rounding of the product: ``X`` is divided internally
    by a power of two near ``max |X|`` (exact), so squared distances neither
    overflow nor underflow.

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

    def __init__(self, k="auto", beta=0.5, epsilon=0.0, knn="exact"):
        self.k = k
        self.beta = beta
        self.epsilon = epsilon
        self.knn = knn

    def _check_params(self):
        if isinstance(self.k, str):
            if self.k != "auto":
                raise ValueError(f"k must be 'auto' or an integer >= 1, got {self.k!r}")
        elif isinstance(self.k, bool) or not isinstance(self.k, numbers.Integral):
            raise TypeError(f"k must be 'auto' or an integer, got {type(self.k).__name__}")
        elif self.k < 1:
            raise ValueError(f"k must be >= 1, got {self.k}")
        for name, low, high in (("beta", 0.0, 1.0), ("epsilon", 0.0, math.inf)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
            if not (math.isfinite(value) or name == "epsilon") or math.isnan(value):
                raise ValueError(f"{name} must be finite, got {value!r}")
            if not low <= value < high:
                raise ValueError(f"{name} must be in [{low}, {high}), got {value!r}")
        if not isinstance(self.knn, str) or self.knn not in ("exact", "nndescent"):
            raise ValueError(f"knn must be 'exact' or 'nndescent', got {self.knn!r}")

    def _resolve_k(self, n: int) -> int:
        if self.k == "auto":
            k = auto_k(n)
        else:
            k = min(int(self.k), n)
        need = _LIST_BYTES * n * (k + 1)
        if need > _memory_cap():
            raise ValueError(
                f"k={k} at n_samples={n} needs about {need / 2**30:.1f} GiB of k-NN lists, above the cap "
                f"of {_memory_cap() / 2**30:.1f} GiB (half the physical memory); choose a smaller k"
            )
        return k

    def fit(self, X, y=None):
        """Cluster ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Finite real samples (any memory order, lists): dtype bool (read as 0/1),
            integer, float, or an object array of real numbers.  Strings (even
            numeric-looking), complex, datetime, and object entries that are not
            real numbers raise a TypeError naming ``X`` before any work.
        y : ignored

        Returns
        -------
        self : QuickshiftPP
            The fitted estimator.
        """
        self._check_params()
        X = _validate_data(self, X)  # float64, finite, 2-D; raises ValueError on NaN/inf
        n, d = X.shape
        k = self._resolve_k(n)
        Xs, exponent = _rescale(X)
        lists, where = neighbour_lists(Xs, k, backend=self.knn)
        del Xs
        core_label, seeds, order, rank = find_cores(
            lists, beta=float(self.beta), epsilon=float(self.epsilon), n_features=d
        )
        radius = lists.radius
        if seeds.size == 0:  # defined behaviour: one cluster around the densest points
            core_label = np.where(radius == radius[order[0]], 0, -1)
            seeds = order[:1].astype(np.int64)
        m = lists.m
        parent = np.arange(m, dtype=np.int64)
        free = np.flatnonzero(core_label < 0)
        if free.size:
            parent[free] = nearest_denser(lists, rank, order, free)
            if (parent[free] < 0).any():  # pragma: no cover - the densest point is always in a core
                raise RuntimeError("internal error: a non-core point has no denser point")
        del lists
        # Follow links (each to a denser point) until a core: pointer jumping.
        root = parent.copy()
        while True:
            nxt = root[root]
            if np.array_equal(nxt, root):
                break
            root = nxt
        labels = core_label[root]
        # Back to samples: copies share their point's everything.
        first = np.full(m, n, dtype=np.int64)  # lowest sample index of each point
        np.minimum.at(first, where, np.arange(n, dtype=np.int64))
        is_core = core_label >= 0
        self.labels_ = labels[where].astype(np.int64)
        self.core_sample_mask_ = is_core[where]
        self.core_labels_ = core_label[where].astype(np.int64)
        self.mode_indices_ = first[np.asarray(seeds, dtype=np.int64)]
        self.n_clusters_ = int(seeds.size)
        with np.errstate(over="ignore"):
            self.radius_ = np.ldexp(radius, exponent)[where]
        self.parent_ = np.where(self.core_sample_mask_, np.arange(n), first[parent][where])
        self.k_ = k
        with np.errstate(divide="ignore", over="ignore"):
            log_vd = (d / 2) * math.log(math.pi) - gammaln(d / 2 + 1)
            log_r = np.log(radius) + exponent * math.log(2.0)
            self.density_ = np.exp(math.log(k) - math.log(n) - log_vd - d * log_r)[where]
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
