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
