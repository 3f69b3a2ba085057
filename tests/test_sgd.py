"""SGD simulator: both engines, their agreement in distribution, and bad input."""

import numpy as np
import pytest
import sympy

from symdyn._integrate import DivergenceError
from symdyn.contrastive._sgd_common import numeric_model
from symdyn.contrastive._sgd_reduced import run_reduced
from symdyn.contrastive.model import ContrastiveModel
from symdyn.contrastive.sgd import SGDResult, simulate_sgd
from symdyn.contrastive.validation import compare_engines
from symdyn.hidden import Rademacher, SparseTernary

LAW = Rademacher(2)
ALPHA = 1e-3


def test_shapes_times_and_reproducibility():
    m = ContrastiveModel(d=2, d2=3)
    a = simulate_sgd(m, 300, 0.5, n_runs=4, times=[0, 0.1, 0.5], seed=7)
    b = simulate_sgd(m, 300, 0.5, n_runs=4, times=[0, 0.1, 0.5], seed=7)
    assert a.R.shape == (4, 3, 2, 3) and a.Q.shape == (4, 3, 3, 3) and a.m.shape == a.R.shape
    np.testing.assert_array_equal(a.R, b.R)
    np.testing.assert_allclose(a.t, [0, 0.1, 0.5])
    np.testing.assert_allclose(a.Q, np.swapaxes(a.Q, -1, -2))
    assert a.mean_m().shape == (3, 2, 3)
    d = a.to_dict()
    assert d["N"] == 300 and d["seed"] == 7 and len(d["t"]) == 3
    c = simulate_sgd(m, 300, 0.5, n_runs=4, times=[0, 0.1, 0.5])
    assert isinstance(c.seed, int)
    np.testing.assert_array_equal(simulate_sgd(m, 300, 0.5, n_runs=4, times=[0, 0.1, 0.5], seed=c.seed).R, c.R)


@pytest.mark.parametrize("model", [
    ContrastiveModel(Delta=0.5, rho=-0.5),
    ContrastiveModel(augmentation="resample", rho=0.5, activation=sympy.erf),
    ContrastiveModel(d=2, d2=3, lam=0.7),
])
def test_c_kernel_matches_numpy_loop(model):
    from symdyn.contrastive._ckernel import get_kernel

    if get_kernel(model) is None:
        pytest.skip("no C compiler")
    a = simulate_sgd(model, 500, 1.0, n_runs=5, seed=3, backend="c")
    b = simulate_sgd(model, 500, 1.0, n_runs=5, seed=3, backend="numpy")
    np.testing.assert_allclose(a.R, b.R, atol=1e-12)
    np.testing.assert_allclose(a.Q, b.Q, atol=1e-12)


def _ensembles(model, N, t, runs, R0, Q0, seed=0):
    kw = dict(n_runs=runs, times=[0, t / 2, t], R0=R0, Q0=Q0)
    full = simulate_sgd(model, N, t, engine="full", seed=seed + 1, **kw)
    red = simulate_sgd(model, N, t, engine="reduced", seed=seed + 2, **kw)
    return full, red


def _wrong_reduced(model, N, t, runs, R0, Q0, wrong):
    nm = numeric_model(model)
    steps = np.rint(np.array([0, t / 2, t]) * N).astype(int)
    R, Q = run_reduced(nm, N, np.asarray(R0, float), np.asarray(Q0, float), steps, np.random.default_rng(9),
                       n_runs=runs, _wrong=wrong)
    return SGDResult(t=steps / N, R=R, Q=Q, m=R / np.sqrt(np.diagonal(Q, axis1=-2, axis2=-1))[..., None, :],
                     N=N, engine="wrong", seed=9)


def test_engines_agree_in_distribution_and_test_has_power():
    """KS two-sample tests on R_t, Q_t: full vs reduced pass; a reduced step without the Wishart term fails."""
    model = ContrastiveModel(Delta=0.5, rho=0.3, laws=(LAW,))
    R0, Q0 = [[0.3]], [[1.0]]
    full, red = _ensembles(model, 200, 1.0, 300, R0, Q0)
    for ti in (1, 2):
        cmp = compare_engines(full, red, time_index=ti)
        assert cmp["bonferroni_min_p"] >= ALPHA, cmp
    wrong = _wrong_reduced(model, 200, 1.0, 300, R0, Q0, "no_wishart")
    cmp = compare_engines(full, wrong)
    assert cmp["bonferroni_min_p"] < 1e-6, cmp


@pytest.mark.parametrize("model, R0, Q0", [
    (ContrastiveModel(augmentation="resample", rho=0.5, laws=(SparseTernary(2, 0.5),)), [[0.3]], [[1.0]]),
    (ContrastiveModel(d=2, d2=2, lam=0.5, laws=(LAW, LAW)), [[0.3, 0.1], [0.1, 0.3]], [[1.0, 0.2], [0.2, 1.0]]),
])
def test_engines_agree_resample_and_two_neurons(model, R0, Q0):
    full, red = _ensembles(model, 150, 0.7, 200, R0, Q0, seed=5)
    cmp = compare_engines(full, red)
    assert cmp["bonferroni_min_p"] >= ALPHA, cmp


def test_random_basis_gives_same_law_as_coordinate_basis():
    model = ContrastiveModel(Delta=1, rho=0, laws=(LAW,))
    kw = dict(n_runs=150, times=[0, 0.7], R0=[[0.3]], Q0=[[1.0]])
    a = simulate_sgd(model, 120, 0.7, engine="full", basis="random", seed=1, **kw)
    b = simulate_sgd(model, 120, 0.7, engine="full", basis="coordinate", seed=2, **kw)
    assert compare_engines(a, b)["bonferroni_min_p"] >= ALPHA


def test_l1_regularizer_full_only():
    model = ContrastiveModel(regularizer="l1", laws=(LAW,))
    res = simulate_sgd(model, 100, 0.2, engine="full", n_runs=2, seed=0)
    assert np.all(np.isfinite(res.R))
    with pytest.raises(ValueError, match="l1"):
        simulate_sgd(model, 100, 0.2, engine="reduced")


@pytest.mark.parametrize("engine", ["reduced", "full"])
def test_divergence_reports_time(engine):
    x = sympy.Symbol("x")
    model = ContrastiveModel(activation=sympy.Lambda(x, x**3), tau=2, beta=0, laws=(LAW,))
    with pytest.raises(DivergenceError, match="t=") as info:
        simulate_sgd(model, 50, 20.0, engine=engine, n_runs=2, seed=0, R0=[[0.9]], Q0=[[2.0]])
    assert 0 < info.value.t <= 20.0


@pytest.mark.parametrize("kw, match", [
    (dict(N=0), "N must be >= 1"), (dict(N=2), "N must be >= d"), (dict(t_max=0), "t_max"),
    (dict(n_runs=0), "n_runs"), (dict(engine="fast"), "engine"), (dict(basis="qr"), "basis"),
    (dict(times=[0, 2.0]), "times"), (dict(times=[0.5, 0.1]), "times"), (dict(R0=[[0.1, 0.2]]), "R0"),
    (dict(R0=[[2.0]], Q0=[[1.0]]), "positive semidefinite"), (dict(Q0=[[np.nan]]), "Q0"),
    (dict(seed=-1), "seed"), (dict(backend="gpu"), "backend"),
])
def test_bad_input(kw, match):
    args = dict(N=100, t_max=1.0)
    args.update(kw)
    N, t_max = args.pop("N"), args.pop("t_max")
    with pytest.raises(ValueError, match=match):
        simulate_sgd(ContrastiveModel(), N, t_max, **args)


def test_symbolic_model_rejected():
    with pytest.raises(ValueError, match="symbolic"):
        simulate_sgd(ContrastiveModel(rho=sympy.Symbol("rho")), 100, 1.0)
    with pytest.raises(TypeError):
        simulate_sgd("model", 100, 1.0)


def test_benchmark_quick_reports_ratios():
    from symdyn.benchmarks.contrastive import format_report, run_benchmark

    res = run_benchmark(quick=True, parts=("full", "reduced"))
    assert res["full"]["ratio"] > 0 and res["full"]["normals_per_step"] == 2 * 3 * 4000
    assert any(k.endswith("_steps_per_s") for k in res["reduced"])
    assert "Gaussian floor" in format_report(res)
    with pytest.raises(ValueError, match="parts"):
        run_benchmark(parts=("gpu",))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=12)
@given(d=st.integers(1, 3), d2=st.integers(1, 3), aug=st.sampled_from(["additive", "resample"]),
       rho=st.floats(-1, 1), Delta=st.sampled_from([0, 0.5, 2]), act=st.sampled_from([sympy.tanh, sympy.erf]))
def test_c_kernel_equals_numpy_loop_property(d, d2, aug, rho, Delta, act):
    from symdyn.contrastive._ckernel import get_kernel

    model = ContrastiveModel(d=d, d2=d2, augmentation=aug, rho=rho, Delta=Delta, activation=act, lam=0.3)
    if get_kernel(model) is None:
        pytest.skip("no C compiler")
    a = simulate_sgd(model, 40, 0.5, n_runs=2, times=[0, 0.5], seed=1, backend="c")
    b = simulate_sgd(model, 40, 0.5, n_runs=2, times=[0, 0.5], seed=1, backend="numpy")
    np.testing.assert_allclose(a.R, b.R, atol=1e-10)
    np.testing.assert_allclose(a.Q, b.Q, atol=1e-10)
