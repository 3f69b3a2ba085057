"""FFT LSGD against dense iteration; schedules; escape experiment; attractor estimation."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symdyn.lsgd import (double_well_problem, escape_experiment, estimate_attractors, iteration_matrix, lsgd,
                         quadratic_problem, sample_starts, sigma_schedule)


@given(n=st.integers(2, 12), sigma=st.floats(0, 10), eta=st.floats(0.05, 0.9), seed=st.integers(0, 999))
def test_fft_lsgd_matches_dense_iteration_matrix(n, sigma, eta, seed):
    rng = np.random.default_rng(seed)
    b = rng.uniform(0.2, 1.0, size=n)
    b[0] = -rng.uniform(0.2, 1.0)
    x0 = rng.normal(size=n)
    r = lsgd(lambda X: X * b, x0, eta, sigma, n_iter=5)
    T = iteration_matrix(b, eta, sigma, exact=False)
    assert np.allclose(r.x, np.linalg.matrix_power(T, 5) @ x0, rtol=1e-9, atol=1e-12)


def test_schedule_matches_product_of_matrices():
    b = np.array([-1.0, 1.0, 0.5, 1.0])
    sched = (0.0, 0.5, 2.0)
    x0 = np.arange(1.0, 5.0)
    r = lsgd(lambda X: X * b, x0, 0.5, sched, n_iter=7)
    x = x0.copy()
    for k in range(7):
        x = iteration_matrix(b, 0.5, sched[k % 3], exact=False) @ x
    assert np.allclose(r.x, x)
    f = sigma_schedule(lambda k: 0.1 * k)
    assert f(3) == pytest.approx(0.3)


def test_batch_rows_are_independent():
    b = np.array([-1.0, 1.0, 1.0])
    X0 = np.array([[0.0, 1.0, -1.0], [1e-3, 0.0, 0.0]])
    r = lsgd(lambda X: X * b, X0, 0.5, 0.0, n_iter=100, escape_radius=1.0)
    assert r.escape_iter[0] == -1 and r.escape_iter[1] > 0
    single = lsgd(lambda X: X * b, X0[1], 0.5, 0.0, n_iter=100)
    assert np.allclose(single.x, r.x[1])


def test_divergence_is_reported():
    r = lsgd(lambda X: 3.0 * X, np.ones(4), 1.0, 0.0, n_iter=100, max_norm=1e6)
    assert r.message == ["diverged"]


def test_converged_status():
    r = lsgd(lambda X: X, np.ones(4), 0.5, 1.0, n_iter=1000, gtol=1e-10)
    assert r.message == ["converged"] and r.n_iter < 1000


@pytest.mark.parametrize("kw, exc", [(dict(eta=0), ValueError), (dict(eta=0.1, sigma=-1), ValueError),
                                     (dict(eta=0.1, sigma=[]), ValueError), (dict(eta=0.1, n_iter=-1), ValueError)])
def test_lsgd_validation(kw, exc):
    with pytest.raises(exc):
        lsgd(lambda X: X, np.ones(3), **kw)
    with pytest.raises(ValueError, match="NaN"):
        lsgd(lambda X: X, np.array([np.nan, 1.0]), 0.1)


def test_double_well_gradient_matches_finite_differences():
    p = double_well_problem(5)
    x = np.random.default_rng(1).normal(size=5)
    h = 1e-6
    fd = np.array([(p.f(x + h * e) - p.f(x - h * e))[0] / (2 * h) for e in np.eye(5)])
    assert np.allclose(p.grad(x)[0], fd, atol=1e-6)
    assert np.allclose(p.grad(np.zeros(5)), 0) and np.allclose(p.grad(p.minima[0]), 0)


def test_start_kinds():
    rng = np.random.default_rng(0)
    X = sample_starts("robust", 7, 5, rng)
    assert np.array_equal(X[:, 1:], -X[:, :0:-1]) and np.all(X[:, 0] == 0)
    X = sample_starts("gd_region", 7, 5, rng)
    assert np.all(X[:, 0] == 0)
    with pytest.raises(ValueError, match="kind"):
        sample_starts("nope", 4, 2, rng)


def test_escape_experiment_small():
    res = escape_experiment(quadratic_problem(8), n_samples=10, n_iter=200)
    assert res["GD"]["gd_region"]["to_saddle"] == 1.0
    assert res["GD"]["perturbed"]["escaped"] == 1.0
    assert res["LSGD sigma=1"]["gd_region"]["escaped"] == 1.0     # smoothing leaves GD's region
    assert res["GD"]["robust"]["to_saddle"] == 1.0
    res2 = escape_experiment(double_well_problem(6), n_samples=10, n_iter=300)
    row = res2["LSGD sigma=1"]["gd_region"]
    assert row["escaped"] == 1.0 and sum(row["end_points_near_minima"]) == pytest.approx(1.0)


def test_estimate_attractors_finds_two_minima():
    est = estimate_attractors(double_well_problem(6), sigma=1.0, n_samples=60, n_iter=800)
    assert len(est["attractors"]) == 2 and est["diverged"] == 0
    assert sorted(abs(a[0]) for a in est["attractors"]) == [1.0, 1.0]
    assert sum(est["probabilities"]) == pytest.approx(1.0)


def test_split_reflection_equals_plain_smoothing_and_keeps_erob():
    rng = np.random.default_rng(3)
    b = np.ones(9)
    b[0] = -1.0
    x0 = rng.normal(size=(4, 9))
    a = lsgd(lambda X: X * b, x0, 0.5, 1.0, n_iter=10)
    c = lsgd(lambda X: X * b, x0, 0.5, 1.0, n_iter=10, split_reflection=True)
    assert np.allclose(a.x, c.x)
    res = escape_experiment(quadratic_problem(16), n_samples=5, n_iter=500, kinds=("robust",), split_reflection=True)
    assert all(res[m]["robust"]["to_saddle"] == 1.0 for m in res)
