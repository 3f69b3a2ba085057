"""QuickshiftPP: scikit-learn API, robustness list of the issue, invariance properties."""

import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from symdyn.cluster import QuickshiftPP


def blobs(n=600, seed=0, centres=((0, 0), (10, 0), (0, 10)), scale=1.0):
    rng = np.random.default_rng(seed)
    lab = np.arange(n) % len(centres)
    X = np.asarray(centres, float)[lab] + rng.normal(size=(n, 2)) * scale
    return X, lab


def same_partition(a, b):
    return adjusted_rand_score(a, b) == 1.0


# --- scikit-learn API ------------------------------------------------------------------

def test_check_estimator_passes_at_a_sensible_k():
    from sklearn.utils.estimator_checks import check_estimator

    check_estimator(QuickshiftPP(k=10))


def test_check_estimator_default_instance():
    """k="auto" (the default) passes every check, as HDBSCAN's defaults do."""
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(QuickshiftPP())


def test_auto_k_rule():
    from symdyn.cluster._quickshiftpp import auto_k

    assert [auto_k(n) for n in (1, 2, 3, 50, 400, 10_000)] == [1, 2, 2, 7, 20, 100]
    ks = [auto_k(n) for n in np.unique(np.logspace(0, 5.5, 60).astype(int))]
    assert all(a <= b for a, b in zip(ks, ks[1:]))  # grows with n up to the memory bound
    assert 12 * 10**7 * (auto_k(10**7) + 1) <= 4 * 2**30
    X, _ = blobs(900)
    assert QuickshiftPP().fit(X).k_ == 30
    assert QuickshiftPP(k=5000).fit(X).k_ == 900  # an explicit k keeps its meaning (clipped to n)


def test_attributes_and_fit_predict():
    X, y = blobs()
    est = QuickshiftPP(k=40, beta=0.5)
    labels = est.fit_predict(X)
    assert est.n_clusters_ == 3
    assert same_partition(labels, y)
    np.testing.assert_array_equal(labels, est.labels_)
    assert est.labels_.dtype == np.int64
    assert set(np.unique(est.labels_)) == set(range(est.n_clusters_))
    assert est.core_sample_mask_.any() and not est.core_sample_mask_.all()
    np.testing.assert_array_equal(est.core_labels_[est.core_sample_mask_], est.labels_[est.core_sample_mask_])
    assert (est.core_labels_[~est.core_sample_mask_] == -1).all()
    assert est.mode_indices_.shape == (3,)
    # the densest sample seeds cluster 0; radius and density are inversely ordered
    assert est.mode_indices_[0] == np.argmin(est.radius_)
    assert np.all(np.argsort(est.radius_, kind="stable") == np.argsort(-est.density_, kind="stable"))
    # links go to strictly denser samples
    free = ~est.core_sample_mask_
    assert np.all(est.radius_[est.parent_[free]] < est.radius_[free])
    assert est.get_params() == {"k": 40, "beta": 0.5, "epsilon": 0.0, "knn": "exact"}


def test_k_must_grow_with_n_spec_behaviour():
    """Spec: beta=0.3, k=20 over-segments at n=20000 while k>=100 recovers 3 clusters
    (checked here at n=6000 where the same contrast already shows)."""
    X, y = blobs(6000, seed=1)
    assert QuickshiftPP(k=20, beta=0.3).fit(X).n_clusters_ > 3
    est = QuickshiftPP(k=100, beta=0.3).fit(X)
    assert est.n_clusters_ == 3 and adjusted_rand_score(y, est.labels_) > 0.99
    assert QuickshiftPP(k=100, beta=0.0).fit(X).n_clusters_ > 3  # Quick Shift-like


def test_nearest_denser_outside_knn_ball_is_exact():
    """An isolated sparse group: its densest point has no denser sample in its k-NN
    list; it must link to the globally nearest denser sample, however far."""
    rng = np.random.default_rng(3)
    big = rng.normal(0, 1, (400, 2))
    far = rng.normal(0, 1, (400, 2)) + [1e6, 0]
    lone = np.array([[5e5, 0.0], [5e5 + 50.0, 0.0], [5e5 - 60.0, 3.0]])
    X = np.r_[big, far, lone]
    est = QuickshiftPP(k=3, beta=0.3).fit(X)
    r = est.radius_
    for i in np.flatnonzero(~est.core_sample_mask_):
        denser = np.flatnonzero(r < r[i])
        d = np.linalg.norm(X[denser] - X[i], axis=1)
        assert np.isclose(np.linalg.norm(X[est.parent_[i]] - X[i]), d.min())


# --- parameter and input validation ----------------------------------------------------

@pytest.mark.parametrize(
    "params,exc,word",
    [
        ({"k": 0}, ValueError, "k"),
        ({"k": 2.5}, TypeError, "k"),
        ({"k": True}, TypeError, "k"),
        ({"beta": 1.0}, ValueError, "beta"),
        ({"beta": -0.1}, ValueError, "beta"),
        ({"beta": float("nan")}, ValueError, "beta"),
        ({"beta": "0.5"}, TypeError, "beta"),
        ({"epsilon": -1.0}, ValueError, "epsilon"),
        ({"epsilon": float("nan")}, ValueError, "epsilon"),
    ],
)
def test_bad_parameters(params, exc, word):
    with pytest.raises(exc, match=word):
        QuickshiftPP(**params).fit(np.random.default_rng(0).normal(size=(30, 2)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_inf_rejected(bad):
    X = np.random.default_rng(0).normal(size=(30, 2))
    X[4, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity|inf"):
        QuickshiftPP(k=5).fit(X)


def test_non_numeric_and_wrong_shape_rejected():
    with pytest.raises(TypeError, match="X must hold real numbers"):  # strings: a TypeError naming X
        QuickshiftPP(k=5).fit([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError):
        QuickshiftPP(k=5).fit(np.zeros(10))


# --- robustness list -------------------------------------------------------------------

def test_duplicates():
    X, y = blobs(300)
    X = np.r_[X, X, X[:50]]
    est = QuickshiftPP(k=30, beta=0.5).fit(X)
    assert est.n_clusters_ == 3
    np.testing.assert_array_equal(est.labels_[:300], est.labels_[300:600])


def test_identical_points_single_point_and_n_le_k():
    for X in (np.ones((50, 3)), np.zeros((1, 2)), np.random.default_rng(0).normal(size=(7, 2))):
        est = QuickshiftPP(k=20, beta=0.5).fit(X)
        assert est.labels_.shape == (X.shape[0],)
        assert est.n_clusters_ >= 1
        assert est.k_ == min(20, X.shape[0])
        if X.shape[0] == 50:
            assert est.n_clusters_ == 1 and (est.labels_ == 0).all()
        assert set(np.unique(est.labels_)) == set(range(est.n_clusters_))


def test_no_core_found_is_defined():
    """beta close to 1: no sample is ever visited as a seed -> one cluster, no crash."""
    X, _ = blobs(200)
    est = QuickshiftPP(k=10, beta=1 - 1e-12).fit(X)
    assert est.n_clusters_ == 1
    assert (est.labels_ == 0).all()
    assert est.core_sample_mask_[np.argmin(est.radius_)]


def test_beta_near_one_but_cores_exist():
    X, _ = blobs(300)
    est = QuickshiftPP(k=10, beta=0.999).fit(X)
    assert est.n_clusters_ >= 1 and (est.labels_ >= 0).all()


def test_large_magnitudes():
    X, y = blobs(600)
    big = QuickshiftPP(k=40).fit(X * 1e6 + 1e7)
    assert big.n_clusters_ == 3 and same_partition(big.labels_, y)


def test_fortran_integer_list_input():
    X, y = blobs(300)
    Xi = np.rint(X * 100).astype(np.int32)
    ref = QuickshiftPP(k=25).fit(Xi.astype(float)).labels_
    np.testing.assert_array_equal(QuickshiftPP(k=25).fit(np.asfortranarray(Xi)).labels_, ref)
    np.testing.assert_array_equal(QuickshiftPP(k=25).fit(Xi).labels_, ref)
    np.testing.assert_array_equal(QuickshiftPP(k=25).fit(Xi.tolist()).labels_, ref)
    np.testing.assert_array_equal(QuickshiftPP(k=25).fit(np.asfortranarray(X)).labels_,
                                  QuickshiftPP(k=25).fit(X).labels_)


def test_repeated_fit_does_not_grow_memory():
    X, _ = blobs(3000)
    est = QuickshiftPP(k=30)
    est.fit(X)
    tracemalloc.start()
    est.fit(X)
    first, _ = tracemalloc.get_traced_memory()
    for _ in range(5):
        est.fit(X)
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert after - first < 200_000  # bytes: no per-fit accumulation


def test_refit_is_deterministic():
    X, _ = blobs(800, seed=5, scale=2.0)
    a = QuickshiftPP(k=15, beta=0.3).fit(X)
    b = QuickshiftPP(k=15, beta=0.3).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.core_labels_, b.core_labels_)


@pytest.mark.slow
def test_more_than_1_05_million_points():
    """The reference overflows its stack at about 1.05 million points."""
    rng = np.random.default_rng(0)
    n = 1_060_000
    X = np.r_[rng.normal(0, 1, (n // 2, 2)), rng.normal(10, 1, (n - n // 2, 2))]
    est = QuickshiftPP(k=100, beta=0.5).fit(X)
    assert est.n_clusters_ == 2
    assert adjusted_rand_score(np.repeat([0, 1], [n // 2, n - n // 2]), est.labels_) > 0.999


# --- invariance properties (Hypothesis) ----------------------------------------------

def _data(seed, n):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-8, 8, size=(3, 2))
    return centres[rng.integers(0, 3, n)] + rng.normal(size=(n, 2))


params = st.tuples(st.integers(5, 25), st.sampled_from([0.0, 0.3, 0.5, 0.8]))


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), n=st.integers(20, 200), p=params, perm_seed=st.integers(0, 10_000))
def test_permutation_invariance(seed, n, p, perm_seed):
    X = _data(seed, n)
    k, beta = p
    perm = np.random.default_rng(perm_seed).permutation(n)
    a = QuickshiftPP(k=k, beta=beta).fit(X)
    b = QuickshiftPP(k=k, beta=beta).fit(X[perm])
    assert a.n_clusters_ == b.n_clusters_
    assert same_partition(a.labels_[perm], b.labels_)
    np.testing.assert_array_equal(a.core_sample_mask_[perm], b.core_sample_mask_)


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), n=st.integers(20, 200), p=params, power=st.integers(-20, 20),
       shift=st.tuples(st.integers(-64, 64), st.integers(-64, 64)))
def test_scaling_and_translation_invariance_exact(seed, n, p, power, shift):
    """Dyadic coordinates, integer shifts and power-of-two scales keep every
    distance exact, so the partition must be identical."""
    X = np.round(_data(seed, n) * 1024) / 1024  # dyadic coordinates: shifts below are exact
    k, beta = p
    a = QuickshiftPP(k=k, beta=beta).fit(X)
    b = QuickshiftPP(k=k, beta=beta).fit((X + np.array(shift, float)) * 2.0**power)
    assert a.n_clusters_ == b.n_clusters_
    assert same_partition(a.labels_, b.labels_)


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), n=st.integers(30, 200), p=params,
       angle=st.floats(0, 2 * np.pi), scale=st.floats(1e-3, 1e3),
       shift=st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)))
def test_rotation_scaling_translation_invariance(seed, n, p, angle, scale, shift):
    """Rigid motions and uniform scaling; rounding may only swap exactly tied
    radii, so the partitions must agree (ARI >= 0.95) and the count exactly
    whenever no two radii are within rounding of each other."""
    X = _data(seed, n)
    k, beta = p
    c, s = np.cos(angle), np.sin(angle)
    Y = scale * X @ np.array([[c, -s], [s, c]]) + np.array(shift)
    a = QuickshiftPP(k=k, beta=beta).fit(X)
    b = QuickshiftPP(k=k, beta=beta).fit(Y)
    r = np.sort(a.radius_)
    gaps = np.diff(r) / r[1:]
    if gaps.size == 0 or gaps.min() > 1e-9:
        assert a.n_clusters_ == b.n_clusters_
        assert adjusted_rand_score(a.labels_, b.labels_) >= 0.95


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), n=st.integers(20, 250), k=st.integers(3, 25),
       betas=st.tuples(st.floats(0, 0.95), st.floats(0, 0.95)),
       epsilons=st.tuples(st.floats(0, 3), st.floats(0, 3)))
def test_cores_shrink_as_beta_and_epsilon_grow(seed, n, k, betas, epsilons):
    """Law: a seed at (beta2, eps2) >= (beta1, eps1) is a seed at (beta1, eps1) -- its
    graph is a subgraph there and it is visited there -- so the seeds (modes) nest
    and the number of clusters cannot grow."""
    X = _data(seed, n)
    b1, b2 = sorted(betas)
    e1, e2 = sorted(epsilons)
    lo = QuickshiftPP(k=k, beta=b1, epsilon=e1).fit(X)
    hi = QuickshiftPP(k=k, beta=b2, epsilon=e2).fit(X)
    # (the no-core fallback seeds the densest sample, which is a seed whenever any is)
    assert set(hi.mode_indices_) <= set(lo.mode_indices_)
    assert hi.n_clusters_ <= lo.n_clusters_
