"""Slow LSGD runs: the --full checks and a small benchmark (pytest -m slow)."""

import pytest

from proofs_checks import lsgd_diagonal_class, lsgd_robust_bound


@pytest.mark.slow
def test_full_robust_bound_proves_every_n_up_to_256():
    v = lsgd_robust_bound.run(full=True)
    assert v.passed and v.figures["n_proved_structural"] == "2..256" and v.figures["n_certified"] == "2..64"


@pytest.mark.slow
def test_full_diagonal_class():
    v = lsgd_diagonal_class.run(full=True)
    assert v.passed, v.figures


@pytest.mark.slow
def test_benchmark_small():
    from symdyn.benchmarks.lsgd import format_report, run_benchmark

    res = run_benchmark(n_max=32, naive_max=4, naive_timeout=120, certified_ns=(8,), float_ns=(8,))
    assert res["fast"]["all_proved"]
    assert all(r["agrees"] for r in res["naive"].values() if r["seconds"] is not None)
    assert "naive route" in format_report(res)
