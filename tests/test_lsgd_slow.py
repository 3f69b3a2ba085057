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
    """Default-mode routes on reduced sizes: every check of the run passes (correctness, not timing)."""
    from symdyn.benchmarks.lsgd import format_report, run_benchmark, verify

    res = run_benchmark(symbolic_n_max=64, certified_ns=(8, 32, 64), naive_upper_ns=(2, 4, 6, 8),
                        counts_ns=(4, 16, 32), naive_counts_ns=(3, 5, 8), naive_timeout=120, progress=False)
    assert all(res["checks"].values()), res["checks"]
    assert verify(res) == res["checks"]
    assert [r["n"] for r in res["certified"]["rows"]] == [8, 32, 64]
    assert all(r["certified"] and r["dense_certified"] for r in res["certified"]["rows"])
    assert all(r["status"] == "ok" and r["agrees"] for r in res["naive_upper"]["rows"])
    # n = 5: SymPy's radicals leave |lambda| vs 1 undecided -- counted apart, never as agreement
    for r in res["counts"]["naive_rows"]:
        if r["status"] == "ok":
            assert r["agrees"] == (r["undecided"] == 0 and r["naive"] == r["inertia"])
    report = format_report(res)
    assert "naive = SymPy eigenvects" in report and "FAIL" not in report
