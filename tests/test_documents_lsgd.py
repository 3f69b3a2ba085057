"""The LSGD appendix (``symdyn latex lsgd``): compiles cleanly, shows every object, prints the general-n proof."""

import re

import pytest
import sympy

from symdyn.latex import compile_pdf, latex_log_problems, pdflatex_available
from symdyn.lsgd import report
from symdyn.lsgd.matrices import canonical_b
from symdyn.lsgd.report import fact_latex, lsgd_document
from symdyn.lsgd.robust import robust_lower_bound, structural_upper_bound
from symdyn.lsgd.wholeclass import whole_class_theorem

needs_tex = pytest.mark.skipif(not pdflatex_available(), reason="pdflatex not installed")


@pytest.fixture(scope="module")
def docs():
    return {n: lsgd_document(n) for n in (6, 16, 64)}


def _log(src, tmp_path, name):
    pdf = compile_pdf(src, tmp_path, name)
    return latex_log_problems(pdf.with_suffix(".log").read_text(errors="replace"))


@needs_tex
@pytest.mark.parametrize("n", [6, 16, 64])
def test_compiles_without_overfull_or_undefined(docs, tmp_path, n):
    problems = _log(docs[n], tmp_path, f"lsgd{n}")
    assert not problems["undefined"], problems["undefined"]
    assert problems["worst_overfull"] <= 10.0, problems["overfull"]


@needs_tex
def test_document_check_fails_on_a_full_64_column_matrix(tmp_path, monkeypatch):
    """Negative control: printing the 16 x 16 matrices in full (the old behaviour) is caught."""
    monkeypatch.setattr(report, "FULL_MATRIX_MAX", 16)
    problems = _log(lsgd_document(16, table_max=4), tmp_path, "wide")
    assert problems["bad"] and problems["worst_overfull"] > 10.0


@pytest.mark.parametrize("n", [6, 16, 64])
def test_general_n_proof_and_scope_present(docs, n):
    src = docs[n]
    thm = whole_class_theorem()
    assert thm["latex"] in src and "\\begin{theorem}" in src and "\\begin{proof}" in src
    assert "Proved for every $n \\ge 2$" in src and "Proved for $n \\le 5$ only" in src
    assert "Not proved for $n > 5$" in src
    assert "lsgd\\_robust\\_bound" in src and "lsgd\\_diagonal\\_class" in src


@pytest.mark.parametrize("n", [6, 16, 64])
def test_notation_defined_before_use(docs, n):
    src = docs[n]
    body = src[src.index("\\section{Setting and notation}"):]
    rest = body[body.index("\\section", 10):]
    notation = body[:len(body) - len(rest)]
    for symbol in ("E_{\\mathrm{rob}}", "S_a", "S_s", "\\mu_a", "\\mu(\\sigma)", "w(\\sigma)", "u_k", "Q_s", "Q_a",
                   "A_\\sigma = I - \\sigma L", "T(\\sigma) = I - \\eta A_\\sigma^{-1} B", "K = -L"):
        assert symbol in notation, symbol
    assert "Sylvester" in src and "inertia" in src


@pytest.mark.parametrize("n", [6, 16, 64])
def test_no_symbols_as_text_and_nothing_omitted(docs, n):
    src = docs[n]
    for bad in ("A\\_sigma", "\\textgreater", "\\textless", "omitted"):
        assert bad not in src, bad
    assert not re.search(r"(?<!\\)sigma_i", src), "sigma_i printed as text"
    for name in ("Q_s^\\top A_\\sigma Q_s", "Q_s^\\top B Q_s", "Q_a^\\top A_\\sigma Q_a", "Q_a^\\top B Q_a"):
        assert name in src, name
    # every factor of the characteristic polynomial is printed: f_1 .. f_r each on a left-hand side
    r = len(re.findall(r"^\{\}\$f_\{\d+\}\$", src, flags=re.M))
    assert r >= 2 and all(f"f_{{{i}}}(\\lambda) &=" in src or f"f_{{{i}}}(\\lambda) = " in src for i in range(1, r + 1))


def test_large_n_matrices_by_checked_structure(docs):
    src = docs[64]
    assert "$L$ is the $64 \\times 64$ circulant matrix" in src
    assert "(L)_{0,0} = -2" in src and "(L)_{0,63} = 1" in src
    assert "$B$ is $64 \\times 64$ and diagonal" in src and "1\\ (\\times 63)" in src


def test_large_n_invariant_bases_listed(docs):
    src = docs[64]
    assert "e_{1} + e_{63}" in src and "e_{1} - e_{63}" in src
    assert "q^{s}_{32} = e_{32}" in src and "columns $j = 1, \\dots, 31$ are $q^{a}_j = e_j - e_{64-j}$" in src
    assert "e_{31} - e_{33}" in src and "$Q_s$ is $64 \\times 33$" in src and "$Q_a$ is $64 \\times 31$" in src


@pytest.mark.parametrize("n", [11, 12])
def test_basis_statement_is_checked_against_the_matrix(n):
    """Negative control: a basis matrix that differs from the printed formula is refused."""
    from symdyn.lsgd.matrices import antisymmetric_basis, symmetric_basis
    Qs, Qa = report.to_sympy(symmetric_basis(n)), report.to_sympy(antisymmetric_basis(n))
    assert "e_{1} + e_{" + str(n - 1) + "}" in report._reflection_basis_tex("Q_s", Qs, +1)
    assert "e_{1} - e_{" + str(n - 1) + "}" in report._reflection_basis_tex("Q_a", Qa, -1)
    with pytest.raises(ArithmeticError):
        report._reflection_basis_tex("Q_a", Qa, +1)
    bad = Qs.copy()
    bad[n - 2, 2] = 0
    with pytest.raises(ArithmeticError):
        report._reflection_basis_tex("Q_s", bad, +1)


def test_long_factor_summarised_with_a_statement(monkeypatch):
    monkeypatch.setattr(report, "POLY_MAX_GLYPHS", 40)
    src = lsgd_document(16, table_max=4)
    assert "only its leading and trailing terms are" in src and "(degree $9$" in src


def test_structure_descriptions_are_checked():
    s = sympy.Symbol("s")
    banded = sympy.Matrix(12, 12, lambda i, j: (2 + s) if i == j else (1 if j == i + 1 else 0))
    text = report._matrix_tex("M", banded)
    assert "circulant" not in text and "banded (bandwidth $1$)" in text and "symmetric" not in text
    assert "s + 2\\ (\\times 12)" in text and "1\\ (\\times 11)" in text
    circ = sympy.Matrix(12, 12, lambda i, j: 1 if (j - i) % 12 in (1, 11) else 0)
    assert "circulant" in report._matrix_tex("C", circ)
    circ[3, 4] = 2
    assert "circulant" not in report._matrix_tex("C", circ)
    assert report._rle([1, 1, 2]) == "1\\ (\\times 2),\\ 2"


@pytest.mark.parametrize("n", range(2, 8))
def test_every_fact_has_a_latex_statement(n):
    b = canonical_b(n)
    keys = list(robust_lower_bound(b, 1).facts) + list(structural_upper_bound(b, 1).facts)
    keys.append("det of the 4 stacked eigenvectors excludes 0")
    for k in keys:
        assert "$" in fact_latex(k, strict=True) or k == "R B = B R"
    with pytest.raises(KeyError):
        fact_latex("an unknown fact", strict=True)


def test_bad_input():
    with pytest.raises(ValueError, match="n"):
        lsgd_document(65)
    with pytest.raises(ValueError, match="eta"):
        lsgd_document(4, eta=2)
    with pytest.raises(ValueError, match="sample_sigma"):
        lsgd_document(4, sample_sigma=-1)
