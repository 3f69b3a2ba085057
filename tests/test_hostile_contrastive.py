"""Hostile inputs to the contrastive model, its SGD engines and its compiled kernel.

Issue 11: item 1 (the C back end wrote the final state into the caller's R0/Q0), item 4
(unchecked int64 casts: negative times and uninitialised memory with exit 0), item 6
(the compiled-kernel cache trusted blindly; big integer literals truncated in C) and
item 9 (``moment_odes`` at d=8, d2=4 runs for hours), plus the campaign's cases.
"""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import sympy

from symdyn.cli import main
from symdyn.contrastive import ContrastiveModel, moment_odes, simulate_sgd
from symdyn.contrastive import _ckernel

HAVE_CC = shutil.which(os.environ.get("CC", "cc")) is not None or shutil.which("gcc") is not None
needs_cc = pytest.mark.skipif(not HAVE_CC, reason="no C compiler")


def sim(model=None, N=200, t_max=0.05, **kw):
    kw.setdefault("n_runs", 2)
    kw.setdefault("seed", 0)
    return simulate_sgd(model or ContrastiveModel(), N, t_max, **kw)


# ---------------------------------------------------------------- item 1: caller data
@pytest.mark.parametrize("backend", ["c", "numpy", "auto"])
@pytest.mark.parametrize("runs", [1, 3])
def test_caller_R0_Q0_untouched(backend, runs):
    R0, Q0 = np.array([[0.1]]), np.array([[1.0]])
    res = sim(R0=R0, Q0=Q0, n_runs=runs, backend=backend, t_max=0.5)
    assert R0[0, 0] == 0.1 and Q0[0, 0] == 1.0
    assert res.m[0, 0, 0, 0] == 0.1 and np.any(res.m[-1] != 0.1)


def test_read_only_R0_accepted_and_untouched():
    R0 = np.array([[0.1]])
    R0.setflags(write=False)
    res = sim(R0=R0, n_runs=1, t_max=0.5)
    assert R0[0, 0] == 0.1 and res.m[0, 0, 0, 0] == 0.1


def test_same_seed_same_result():
    a = sim(n_runs=1, t_max=1.0, seed=3)
    b = sim(n_runs=1, t_max=1.0, seed=3)
    assert np.array_equal(a.m, b.m)


@needs_cc
def test_c_backend_equals_numpy():
    a = sim(n_runs=2, t_max=0.5, backend="c", seed=1)
    b = sim(n_runs=2, t_max=0.5, backend="numpy", seed=1)
    assert np.max(np.abs(a.m - b.m)) < 1e-9


def test_cli_runs_1_two_dimensions_start_at_R0(capsys):
    """The issue's reproduction: the second N started at m = 0.1015 and R0 showed the final state."""
    rc = main(["contrastive", "simulate", "--runs", "1", "--N", "1000", "--N", "1000", "--t-max", "2",
               "--seed", "0", "--n-times", "5", "--no-ode"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert data["R0"] == [[0.1]]
    assert [s["mean_m"][0][0][0] for s in data["sgd"]] == [0.1, 0.1]


# ---------------------------------------------------------------- item 4: caps, no garbage
@pytest.mark.parametrize("kw,exc,word", [
    (dict(N=10**21), ValueError, "N = "), (dict(N=10**30), ValueError, "N = "),
    (dict(N=0), ValueError, "N"), (dict(N=-5), ValueError, "N"),
    (dict(N=float("nan")), TypeError, "N"), (dict(N=1e300), ValueError, "N = "), (dict(N="1000"), TypeError, "N"),
    (dict(t_max=1e300), ValueError, "t_max"), (dict(t_max=float("inf")), ValueError, "t_max"),
    (dict(t_max=float("nan")), ValueError, "t_max"), (dict(t_max=0.0), ValueError, "t_max"),
    (dict(t_max=-1.0), ValueError, "t_max"),
    (dict(N=10**12, t_max=10.0), ValueError, "SGD steps"), (dict(N=10**10, t_max=1e12), ValueError, "steps"),
    (dict(n_runs=10**11), ValueError, "n_runs"), (dict(n_runs=0), ValueError, "n_runs"),
    (dict(n_runs=2.5), TypeError, "n_runs"),
    (dict(seed=-1), ValueError, "seed"), (dict(seed=2.5), TypeError, "seed"), (dict(seed="0"), TypeError, "seed"),
    (dict(engine="fast"), ValueError, "engine"), (dict(backend="gpu"), ValueError, "backend"),
    (dict(times=[0.0, float("nan")]), ValueError, "times"), (dict(times=[]), ValueError, "times"),
    (dict(times=[0.02, 0.01]), ValueError, "times"), (dict(times=[0.0, 1.0]), ValueError, "times"),
    (dict(times=[[0.0, 0.01]]), ValueError, "times"),
    (dict(R0=[[float("nan")]]), ValueError, "R0"), (dict(R0=[[2.0]]), ValueError, "R0|Q0"),
    (dict(R0="0.1"), TypeError, "R0"), (dict(Q0=[[-1.0]]), ValueError, "Q0"),
    (dict(Q0=[[float("inf")]]), ValueError, "Q0"),
    (dict(N=10**9, engine="full", n_runs=100, t_max=1e-9), ValueError, "cap"),
    (dict(n_runs=10**7, t_max=0.005, times=[0.0, 0.005]), ValueError, "n_runs"),
])
def test_simulate_bad_inputs(kw, exc, word):
    with pytest.raises(exc, match=word):
        sim(**kw)


def test_simulate_too_many_record_times():
    with pytest.raises(ValueError, match="cap"):
        sim(times=np.linspace(0, 0.05, 10**7))


def test_simulate_result_is_bounded():
    res = sim(n_runs=3, t_max=0.2)
    assert np.all(np.isfinite(res.m)) and np.all(np.abs(res.m) <= 1 + 1e-9)
    assert np.all(np.diff(res.t) >= 0) and res.t[0] == 0


# ---------------------------------------------------------------- model parameters
@pytest.mark.parametrize("name,value,exc", [
    ("d", 0, ValueError), ("d", 17, ValueError), ("d", 10**6, ValueError), ("d", 2.0, TypeError),
    ("d", True, TypeError), ("d2", 0, ValueError), ("d2", 17, ValueError), ("d2", 10**9, ValueError),
    *[(p, v, e) for p in ("tau", "beta", "lam", "Delta", "rho")
      for v, e in ((float("nan"), ValueError), (float("inf"), ValueError), (1e300, ValueError),
                   ("1", TypeError), (1j, TypeError))],
    ("activation", "tanh", TypeError), ("activation", 3, TypeError), ("laws", (1,), TypeError),
])
def test_model_bad_parameters(name, value, exc):
    with pytest.raises(exc):
        ContrastiveModel(**{name: value})


def test_model_activation_string_not_evaluated(tmp_path):
    marker = tmp_path / "P"
    with pytest.raises(TypeError):
        ContrastiveModel(activation=f"__import__('os').system('touch {marker}')")
    assert not marker.exists()


# ---------------------------------------------------------------- item 9: symbolic size caps
@pytest.mark.parametrize("kw", [dict(d=8, d2=4), dict(d2=8), dict(d=16)])
def test_moment_odes_size_cap(kw):
    with pytest.raises(ValueError, match="exceeds the cap .*symbolic derivation"):
        moment_odes(ContrastiveModel(**kw))


# ---------------------------------------------------------------- item 6: kernel cache
@pytest.fixture(scope="module")
def built_cache(tmp_path_factory):
    """A kernel cache built in another process (a library mapped here must not be altered)."""
    if not HAVE_CC:
        pytest.skip("no C compiler")
    root = tmp_path_factory.mktemp("kcache")
    subprocess.run([sys.executable, "-c", "from symdyn.contrastive import ContrastiveModel, simulate_sgd; "
                    "simulate_sgd(ContrastiveModel(), 200, 0.05, backend='c', seed=0)"], check=True,
                   env=dict(os.environ, SYMDYN_CACHE=str(root)), timeout=300)
    return root


def _tamper(path, mode, work):
    if mode == "truncate":
        with open(path, "r+b") as fh:
            fh.truncate(100)
    elif mode == "garbage":
        path.write_bytes(b"not an elf")
    else:
        src = work / "evil.c"
        src.write_text("int reduced_chunk(){return 0;}" if mode == "zero" else "int other(void){return 0;}")
        subprocess.run(["cc", "-shared", "-fPIC", "-o", str(path), str(src)], check=True, timeout=60)


@needs_cc
@pytest.mark.parametrize("mode", ["truncate", "zero", "nosym", "garbage"])
def test_tampered_kernel_is_rebuilt(built_cache, tmp_path, monkeypatch, mode):
    cache = tmp_path / "cache"
    shutil.copytree(built_cache, cache)
    libs = list((cache / "kernels").glob("reduced_*.so"))
    assert len(libs) == 1 and len(libs[0].stem) == len("reduced_") + 32   # source hash in the name
    _tamper(libs[0], mode, tmp_path)
    monkeypatch.setenv("SYMDYN_CACHE", str(cache))
    monkeypatch.setattr(_ckernel, "_cache", {})
    fn = _ckernel.get_kernel(ContrastiveModel())
    assert fn is not None                                    # rebuilt, not a NumPy fallback forever
    assert libs[0].stat().st_size > 1000
    a = sim(backend="auto", n_runs=1, t_max=0.5, seed=4)
    b = sim(backend="numpy", n_runs=1, t_max=0.5, seed=4)
    assert np.max(np.abs(a.m - b.m)) < 1e-9
    assert not [p for p in (cache / "kernels").iterdir() if p.name.startswith(".")]  # no temporaries left


def test_self_test_rejects_a_wrong_kernel():
    def zero(*args):
        return 0                       # "succeeds" without touching the state: constant m

    assert _ckernel.self_test(zero, ContrastiveModel()) is False


@needs_cc
def test_big_integer_literal_not_truncated_in_c():
    x = sympy.Symbol("x")
    big = sympy.Integer(2)**64
    src = _ckernel.kernel_source(ContrastiveModel(activation=sympy.Lambda(x, sympy.tanh(x) * big / (big + 1))))
    assert src is not None and "18446744073709551616" not in src
    model = ContrastiveModel(activation=sympy.Lambda(x, sympy.tanh(x) * big / (big + 1)))
    a = sim(model=model, n_runs=1, t_max=0.5, backend="c", seed=2)
    b = sim(model=model, n_runs=1, t_max=0.5, backend="numpy", seed=2)
    assert np.max(np.abs(a.m - b.m)) < 1e-9


@needs_cc
def test_tanh_times_2_64_c_agrees_with_numpy_or_refuses():
    """The issue's case: C gave constant m = 0.1 while NumPy evolved."""
    x = sympy.Symbol("x")
    model = ContrastiveModel(activation=sympy.Lambda(x, sympy.tanh(x) * 2**64), tau=sympy.Rational(1, 10**20))
    try:
        a = sim(model=model, n_runs=1, t_max=0.5, backend="c", seed=2)
    except ValueError:
        return                                               # refused clearly: fine
    b = sim(model=model, n_runs=1, t_max=0.5, backend="numpy", seed=2)
    assert np.max(np.abs(a.m - b.m)) < 1e-6


@pytest.mark.parametrize("kw,exc,word", [
    (dict(Ns=[200], t_max=0.1, n_times=10**12), ValueError, "n_times"),   # np.linspace(…, 1e12) before
    (dict(Ns=["200"], t_max=0.1), TypeError, "Ns"),
    (dict(Ns=[200, 10**21], t_max=0.1), ValueError, "N = "),              # checked before the ODE
    (dict(Ns=[], t_max=0.1), ValueError, "Ns"),
    (dict(Ns=[200], t_max=float("nan")), ValueError, "t_max"),
    (dict(Ns=[200], t_max=0.1, n_batches=3, n_runs=4), ValueError, "n_batches"),
])
def test_error_sweep_validates_first(kw, exc, word):
    from symdyn.contrastive.validation import error_sweep

    with pytest.raises(exc, match=word):
        error_sweep(ContrastiveModel(), **kw)
