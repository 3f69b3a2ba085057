"""The contrastive LaTeX derivation compiles; CLI hooks parse and validate."""

import argparse

import pytest
import sympy

from symdyn import latex


@pytest.fixture(scope="module")
def document():
    from symdyn.contrastive.report import contrastive_document

    return contrastive_document()


def test_document_has_the_sections(document):
    for heading in ("Model", "McKean-Vlasov PDE", "Moment closure and ODEs", "Jacobian and eigenvalues",
                    "Fixed points", "Learnability threshold", "Verdicts"):
        assert f"\\section{{{heading}}}" in document
    assert "\\dot{R" in document and "\\begin{document}" in document


@pytest.mark.skipif(not latex.pdflatex_available(), reason="pdflatex not installed")
def test_document_compiles(document, tmp_path):
    pdf = latex.compile_pdf(document, tmp_path, name="contrastive")
    assert pdf.exists() and pdf.stat().st_size > 1000


def _parser():
    from symdyn.contrastive.cli_claims import add_commands, register_latex

    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd")
    contrastive = sub.add_parser("contrastive").add_subparsers(dest="sub")
    add_commands(contrastive)
    lat = sub.add_parser("latex").add_subparsers(dest="doc")
    register_latex(lat)
    return p


def test_cli_rejects_unknown_activation():
    with pytest.raises(SystemExit):
        _parser().parse_args(["contrastive", "portrait", "--activation", "__import__('os')"])


def test_cli_latex_writes_file(tmp_path, monkeypatch):
    out = tmp_path / "c.tex"
    # --Delta 0: the fast document (the default Delta = 1/2 document is checked in test_documents_contrastive)
    args = _parser().parse_args(["latex", "contrastive", "--Delta", "0", "-o", str(out)])
    assert args.func(args) == 0
    assert out.read_text().startswith("\\documentclass")


def test_cli_latex_bad_parameter_is_value_error(tmp_path):
    args = _parser().parse_args(["latex", "contrastive", "--rho", "2", "-o", str(tmp_path / "x.tex")])
    with pytest.raises(ValueError, match="rho"):
        args.func(args)
