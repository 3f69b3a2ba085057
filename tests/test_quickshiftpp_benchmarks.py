"""The benchmark functions run and report consistent figures (small sizes)."""

import pytest

from symdyn.benchmarks import quickshiftpp as bench


def test_speed_peers_and_report():
    speed = bench.speed_vs_knn(n=3000, k=20, repeats=1)
    assert speed["n_clusters"] == 3
    assert speed["ratio"] == pytest.approx(speed["fit_seconds"][0] / speed["knn_seconds"][0])
    assert speed["ratio_min"] == speed["ratio_median"] == speed["ratio"] and speed["ari"] == 1.0
    assert set(speed["phases"]) == {"knn", "cores", "links", "tie_rows"}
    peers = bench.peer_comparison(quick=True, names=["iris"])
    methods = {r["method"] for r in peers["rows"]}
    assert methods == {"Quickshift++", "KMeans", "MeanShift", "DBSCAN", "HDBSCAN"}
    assert all(-1 <= r["best_ari"] <= 1 and r["configs"] >= 1 for r in peers["rows"])
    report = bench.format_report({"speed": [speed], "scale": [], "reference": None, "peers": peers})
    assert "fit/query min" in report and "| iris | Quickshift++ |" in report and "not importable" in report
    with pytest.raises(ValueError, match="names"):
        bench.peer_comparison(quick=True, names=["nope"])


@pytest.mark.slow
def test_scale_run_in_a_fresh_process():
    scale = bench.scale_run(n=3000, k=20)
    assert scale["n_clusters"] == 3 and scale["ari"] == 1.0 and 0 < scale["peak_rss_gib"] < 4
    assert "peak RSS" in bench.format_report({"speed": bench.speed_vs_knn(n=2000, k=10, repeats=1),
                                              "scale": [scale], "peers": {"rows": []}})


@pytest.mark.slow  # pynndescent's numba compilation: ~40 s on a loaded machine
def test_ann_comparison_reports_recall_and_ari():
    pytest.importorskip("pynndescent")
    rows = bench.ann_comparison(n=600, k=15, dims=(20,))
    (row,) = rows
    assert row["d"] == 20 and 0.5 < row["recall"] <= 1.0
    assert -1 <= row["ari_exact_vs_ann"] <= 1 and row["ari_exact_truth"] > 0.5
    report = bench.format_report({"speed": [], "scale": [], "reference": None, "ann": rows, "peers": {"rows": []}})
    assert "knn='nndescent' vs exact" in report and f"{row['recall']:.5f}" in report
