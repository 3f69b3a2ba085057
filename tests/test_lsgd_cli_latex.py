"""CLI exit codes and the LaTeX document (compiled with pdflatex when available)."""

import json

import pytest

from symdyn.cli import main
from symdyn.latex import compile_pdf, pdflatex_available
from symdyn.lsgd.report import lsgd_document


def test_counts_and_robust_json(capsys):
    assert main(["lsgd", "counts", "--n", "5", "--sigma", "1/2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["inside"] == 4 and out["outside"] == 1
    assert main(["lsgd", "robust", "--b=-1,2,3,2", "--eta", "1/2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dim"] == 1 and out["level"] == "certified"


@pytest.mark.parametrize("argv", [
    ["lsgd", "counts", "--n", "4", "--sigma=-1"],
    ["lsgd", "counts", "--n", "1"],
    ["lsgd", "counts", "--n", "4", "--eta", "0"],
    ["lsgd", "robust", "--b", "1,1,1"],
    ["lsgd", "robust", "--n", "4", "--eta", "2"],
    ["lsgd", "robust", "--n", "4", "--eta", "__import__('os')"],
    ["latex", "lsgd", "--n", "1", "-o", "x.tex"],
])
def test_bad_input_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_escape_cli(capsys):
    assert main(["lsgd", "escape", "--n", "6", "--samples", "10", "--iters", "150", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["results"]["GD"]["gd_region"]["to_saddle"] == 1.0


def test_latex_cli_writes_file(tmp_path, capsys):
    path = tmp_path / "lsgd.tex"
    assert main(["latex", "lsgd", "--n", "5", "-o", str(path)]) == 0
    src = path.read_text()
    assert "\\begin{document}" in src and "\\begin{theorem}" in src and "Per-$n$ results" in src


def test_latex_compiles(tmp_path):
    if not pdflatex_available():
        pytest.skip("pdflatex not installed")
    pdf = compile_pdf(lsgd_document(6), tmp_path, "lsgd")
    assert pdf.exists() and pdf.stat().st_size > 1000
