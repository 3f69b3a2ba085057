"""``symdyn cluster``: results, outputs, and clear errors on malformed files."""

import json

import numpy as np
import pytest

from symdyn.cli import main


@pytest.fixture
def two_blobs(tmp_path):
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (150, 2)), rng.normal(9, 1, (150, 2))]
    path = tmp_path / "data.csv"
    np.savetxt(path, X, delimiter=",", header="u,v", comments="")
    return path


def test_cluster_writes_labels_plot_and_json(two_blobs, tmp_path, capsys):
    out, png = tmp_path / "labels.csv", tmp_path / "plot.png"
    rc = main(["cluster", str(two_blobs), "--k", "30", "--beta", "0.5", "-o", str(out), "--plot", str(png), "--json"])
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["n_clusters"] == 2 and summary["cluster_sizes"] == [150, 150]
    rows = out.read_text().splitlines()
    assert rows[0] == "index,label,core" and len(rows) == 301
    labels = np.array([int(r.split(",")[1]) for r in rows[1:]])
    assert len(set(labels[:150])) == 1 and len(set(labels[150:])) == 1 and labels[0] != labels[-1]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_headerless_file_and_text_summary(tmp_path, capsys):
    p = tmp_path / "plain.csv"
    p.write_text("\n".join(f"{i % 7},{i % 5}" for i in range(60)) + "\n\n")
    assert main(["cluster", str(p), "--k", "10"]) == 0
    assert "60 samples, 2 features" in capsys.readouterr().out


@pytest.mark.parametrize(
    "text,message",
    [
        ("a,b\n1,2\n3,x\n", "line 3, column 2: 'x' is not a number"),
        ("1,2\n3,4,5\n", "line 2: expected 2 cells, found 3"),
        ("a,b\n1,2\nnan,4\n", "line 3, column 1: 'nan' is not finite"),
        ("", "no data rows"),
        ("a,b\n", "header but no data rows"),
    ],
)
def test_malformed_files_exit_2_with_line_numbers(tmp_path, capsys, text, message):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    assert main(["cluster", str(p)]) == 2
    assert message in capsys.readouterr().err


def test_header_no_rejects_a_text_first_row(tmp_path, capsys):
    p = tmp_path / "h.csv"
    p.write_text("a,b\n1,2\n")
    assert main(["cluster", str(p), "--header", "no"]) == 2
    assert "line 1, column 1: 'a' is not a number" in capsys.readouterr().err


def test_bad_parameters_and_missing_file(tmp_path, capsys, two_blobs):
    assert main(["cluster", str(two_blobs), "--beta", "1.5"]) == 2
    assert "beta" in capsys.readouterr().err
    assert main(["cluster", str(two_blobs), "--k", "0"]) == 2
    assert "k must be" in capsys.readouterr().err
    assert main(["cluster", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["cluster", str(two_blobs), "-o", str(tmp_path / "nodir" / "l.csv")]) == 2


def test_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["cluster", "--help"])
    assert exc.value.code == 0
    assert "--beta" in capsys.readouterr().out


def test_plot_has_legend_and_parameter_caption(two_blobs):
    import matplotlib.pyplot as plt

    from symdyn.cluster import QuickshiftPP
    from symdyn.cluster._csv import read_numeric_csv
    from symdyn.cluster.cli import cluster_figure

    X, names = read_numeric_csv(two_blobs)
    est = QuickshiftPP(k=30).fit(X)
    summary = {"file": str(two_blobs), "n_samples": 300, "n_features": 2, "beta": 0.5, "epsilon": 0.0}
    fig = cluster_figure(X, names, est, summary)
    try:
        legend = fig.axes[0].get_legend()
        assert legend is not None
        texts = [t.get_text() for t in legend.get_texts()]
        assert texts == ["cluster 0 (150 samples)", "cluster 1 (150 samples)", "core samples (outlined)"]
        caption = " ".join(t.get_text() for t in fig.texts)
        assert "k = 30" in caption and "beta = 0.5" in caption and "epsilon = 0.0" in caption and "n = 300" in caption
        assert fig.axes[0].get_xlabel() == "u" and fig.axes[0].get_ylabel() == "v"
    finally:
        plt.close(fig)


def test_k_auto_is_the_cli_default(two_blobs, capsys, tmp_path):
    out = tmp_path / "l.csv"
    assert main(["cluster", str(two_blobs), "--json", "-o", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["k"] == 17 and summary["knn"] == "exact"  # round(sqrt(300))
    labels = np.array([int(r.split(",")[1]) for r in out.read_text().splitlines()[1:]])
    assert not set(labels[:150]) & set(labels[150:])  # no cluster spans both blobs
