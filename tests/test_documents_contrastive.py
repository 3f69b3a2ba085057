"""The contrastive derivation appendix (``symdyn latex contrastive``): compiles cleanly and reads as mathematics.

Each document is compiled with pdflatex (short timeout, -halt-on-error); the
log must show no Overfull \\hbox wider than 10 pt and no undefined control
sequence.  The content checks look for the derivation's objects and for the
statements the generator computes (reference form, route equality), and make
sure that parameters never appear as words outside math mode.
"""

import re

import pytest
import sympy

from symdyn import latex
from symdyn.contrastive import report
from symdyn.contrastive.model import ContrastiveModel
from symdyn.contrastive.report import contrastive_document
from symdyn.hidden import Rademacher, law_with_moments
from symdyn.verdict import Verdict

needs_tex = pytest.mark.skipif(not latex.pdflatex_available(), reason="pdflatex not installed")

HALF = sympy.Rational(1, 2)
ACTS = {"erf": sympy.erf, "tanh": sympy.tanh}


def model_for(act, d, Delta):
    laws = (Rademacher(sympy.sqrt(2)),) if d == 1 else (Rademacher(sympy.sqrt(2)), law_with_moments(2, 2))
    return ContrastiveModel(d=d, activation=ACTS[act], tau=HALF, Delta=Delta, rho=-1 if Delta else 0, laws=laws)


DEFAULT = [("erf", 1, HALF), ("erf", 1, 0), ("tanh", 1, 0)]
SLOW = [("tanh", 1, HALF), ("erf", 2, 0), ("erf", 2, HALF), ("tanh", 2, 0), ("tanh", 2, HALF)]
ALL = [pytest.param(*c, id=f"{c[0]}-d{c[1]}-Delta{c[2]}") for c in DEFAULT] + [
    pytest.param(*c, id=f"{c[0]}-d{c[1]}-Delta{c[2]}", marks=pytest.mark.slow) for c in SLOW]


@pytest.fixture(scope="module")
def docs():
    cache = {}

    def get(act, d, Delta):
        key = (act, d, Delta)
        if key not in cache:
            cache[key] = contrastive_document(model_for(act, d, Delta))
        return cache[key]

    return get


def compile_problems(src, tmp_path, name):
    pdf = latex.compile_pdf(src, tmp_path, name, timeout=30)
    assert pdf.exists()
    return latex.latex_log_problems((tmp_path / f"{name}.log").read_text(errors="replace"))


def text_outside_math(src: str) -> str:
    """The document's prose: displays, inline math, typewriter names and commands removed."""
    body = src[src.index("\\begin{document}"):]
    body = re.sub(r"\\begin\{(align\*|gathered|equation\*|pmatrix)\}.*?\\end\{\1\}", " ", body, flags=re.S)
    body = re.sub(r"\\\[.*?\\\]", " ", body, flags=re.S)
    body = re.sub(r"\$[^$]*\$", " ", body)
    body = re.sub(r"\\texttt\{[^}]*\}", " ", body)
    return re.sub(r"\\[A-Za-z]+", " ", body)


WORDS = re.compile(r"\b(tau|beta|Delta|rho|lam|lambda|sigma|phi|Gamma|Lambda|mu|xi)\b")


@needs_tex
@pytest.mark.parametrize("act,d,Delta", ALL)
def test_compiles_without_overfull_or_undefined(docs, tmp_path, act, d, Delta):
    problems = compile_problems(docs(act, d, Delta), tmp_path, f"c_{act}_{d}")
    assert not problems["undefined"], problems["undefined"]
    assert problems["worst_overfull"] <= 10.0, problems["overfull"]


@pytest.mark.parametrize("act,d,Delta", ALL)
def test_derivation_objects_and_computed_statements(docs, act, d, Delta):
    src = docs(act, d, Delta)
    for heading in ("Model", "McKean-Vlasov PDE", "Moment closure and ODEs", "Reference form",
                    "Two derivation routes", "Jacobian and eigenvalues", "Fixed points", "Learnability threshold",
                    "Verdicts"):
        assert f"\\section{{{heading}}}" in src, heading
    # drift, diffusion, named expectations, test functions, Ito term, closure table
    assert "\\Gamma &= \\gamma_{u_{1}} u_{1}" in src and "\\Lambda &=" in src and "\\mathcal{E}_{1} &= \\mathbb{E}" in src
    assert "\\mathbb{E}[u_{1} w_{1}]" in src and "\\mathbb{E}[w_{1}^{2}]" in src and "It\\^o term" in src
    assert "{}$u_{1} w_{1}$ & {}$R_{11}$" in src and "{}$w_{1}^{2}$ & {}$Q_{11}$" in src
    # the reference form with its definitions, and the two computed comparisons
    assert "a = \\sigma'(h^{(1)})" in src and "G(Q) &= \\mathbb{E}" in src and "S(Q) &=" in src
    assert "the differences are identically $0$ (\\emph{proved}" in src
    assert "The two routes give \\emph{identical} equations (\\emph{proved}" in src
    # readable ODEs: \dot{R}_{11}, states without commas, no misplaced dot
    assert "\\dot{R}_{11} &=" in src and "\\dot{Q}_{11} &=" in src
    assert "\\dot{R_" not in src and "R_{1,1}" not in src and "Q_{1,1}" not in src
    # the Jacobian by structure and the eigenvalue formula (proved for a general law)
    assert "J\\big|_{R = 0} = \\begin{pmatrix}\\lambda_{1}(Q) & 0" in src
    assert "\\lambda_k(Q) = \\tau\\,\\big(\\langle c_k^2 \\rangle\\, G(Q) + S(Q) - \\beta\\big)" in src
    # levels: erf certified balls, tanh numerical
    if act == "erf":
        assert "Level \\emph{certified}: $Q^*$ is enclosed" in src and "Q^* &\\in " in src and "\\pm" in src
        assert re.search(r"\{\}certified \\tabularnewline", src)  # certified fixed points
    else:
        assert "Level \\emph{numerical}: $Q^*$ by a bracketing" in src
        assert "\\emph{certified}: $Q^*$" not in src
    # the law in symbols, 1 x 1 variances as scalars, no Python reprs, no T1-less glyph tricks
    assert "c_{1} = \\pm \\sqrt{2} \\text{ with probability }" in src
    assert "Rademacher(" not in src and "SparseTernary(" not in src and "\\textgreater" not in src
    assert "V &= " in src and not re.search(r"V &= \\left\[\\begin\{matrix\}", src)
    if d == 2:
        assert "\\dot{R}_{21} &=" in src and "mixed saddle" in src


@pytest.mark.parametrize("act,d,Delta", ALL)
def test_no_parameter_words_outside_math(docs, act, d, Delta):
    prose = text_outside_math(docs(act, d, Delta))
    assert not WORDS.search(prose), WORDS.search(prose).group(0)


def test_word_check_catches_a_word():
    """Negative control of the prose check: a parameter written as a word is found."""
    src = "\\begin{document} the step tau = 1/2 and $\\rho$ \\end{document}"
    assert WORDS.search(text_outside_math(src)).group(0) == "tau"


def test_route_statement_is_computed(monkeypatch):
    """A (simulated) disagreement of the two routes changes the statement: it is not fixed prose."""
    real = report.routes_agree

    def broken(model):
        res = real(model)
        res["equal"] = [False] + res["equal"][1:]
        return res

    monkeypatch.setattr(report, "routes_agree", broken)
    src = contrastive_document(model_for("erf", 1, 0))
    assert "\\textbf{The two routes differ}" in src and "\\emph{identical} equations" not in src
    assert "\\neq 0" in src


def test_reference_comparison_is_computed(monkeypatch):
    """A wrong reference form (a sign flipped in the R equation) is reported as different."""
    real = report.reference_form

    def wrong(model):
        ref = real(model)
        return [-ref[0]] + ref[1:]

    monkeypatch.setattr(report, "reference_form", wrong)
    src = contrastive_document(model_for("erf", 1, 0))
    assert "\\textbf{they differ} in equation(s) $1$" in src


def test_reference_form_matches_both_augmentations():
    from symdyn.contrastive.odes import conditional_rhs

    for aug in ("additive", "resample"):
        m = ContrastiveModel(activation=sympy.erf, augmentation=aug, Delta=HALF, rho=HALF)
        ref = report.reference_form(m)
        assert all(report._same(a, b) for a, b in zip(conditional_rhs(m), ref))
    m = ContrastiveModel(activation=sympy.erf, Delta=HALF, rho=HALF)
    bad = report.reference_form(m.replace(rho=0))  # a different rho must not agree
    assert not all(report._same(a, b) for a, b in zip(conditional_rhs(m), bad))


@needs_tex
def test_overfull_check_fails_on_unbroken_lines(tmp_path, monkeypatch):
    """Negative control: with rows 400 characters wide (long sums not broken) the check fails."""
    monkeypatch.setattr(report, "ROW_WIDTH", 400)
    problems = compile_problems(contrastive_document(model_for("erf", 1, 0)), tmp_path, "wide")
    assert problems["bad"] and problems["worst_overfull"] > 10.0


def test_mathify_puts_symbols_in_math():
    out = report._mathify("at rho = 0, Delta > 0 the R eigenvalue is tau(<c^2> G(Q*) + S(Q*) - beta); m* rises")
    assert "$\\rho = 0$" in out and "$\\Delta > 0$" in out and "$m^*$" in out
    assert "$\\tau(\\langle c^2\\rangle G(Q^*) + S(Q^*) - \\beta)$" in out
    assert not WORDS.search(text_outside_math("\\begin{document}" + out))


@needs_tex
def test_verdicts_section_lists_levels_and_key_figures(tmp_path):
    verdicts = [Verdict("learnability_second_moment", "at the uninformative state the R eigenvalue is "
                        "tau(<c^2> G(Q*) + S(Q*) - beta) for Delta = 0.5", True, "certified",
                        {"variance_term_rho_free_at_Delta0_proved": True, "Q_star_float": 0.2821, "block_diagonal": True, "direction": "learnable iff <c^2> > threshold",
                         "levels": "skipped"}, 3.2),
                Verdict("noise_correlation", "m* increases as rho decreases", False, "numerical", {"N": 4000}, 1.0)]
    body = report._verdicts_section(verdicts)
    assert "{}certified" in body and "{}numerical" in body and "\\textbf{FAIL}" in body
    assert "Q\\_star\\_float" in body and "0.2821" in body and "skipped" not in body
    assert not WORDS.search(text_outside_math("\\begin{document}" + body))
    problems = compile_problems(latex.document("v", [("Verdicts", body)]), tmp_path, "verdicts")
    assert not problems["bad"], problems
