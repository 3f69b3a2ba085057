"""Document check for user systems: ODESystem/MapSystem.report, ``symdyn latex system``, latex.table.

Every document is compiled with pdflatex (short timeout, -halt-on-error) and
its log must show no Overfull \\hbox wider than 10 pt and no undefined control
sequence.
"""

import json
import shutil
import subprocess
import sys
import time

import pytest
import sympy

from symdyn import latex
from symdyn._system_spec import parse_expression, parse_number, system_from_spec
from symdyn.odesystem import MapSystem, ODESystem

needs_tex = pytest.mark.skipif(not latex.pdflatex_available(), reason="pdflatex not installed")
x, y, z, r, c = sympy.symbols("x y z r c")


def compiled(src, tmp_path, name="doc"):
    """Compile; return (log problems, PDF text)."""
    pdf = latex.compile_pdf(src, tmp_path, name, timeout=30)
    problems = latex.latex_log_problems((tmp_path / f"{name}.log").read_text(errors="replace"))
    text = ""
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              timeout=30).stdout
        # T1 ligature slots as pdftotext reports them without a ToUnicode map
        text = text.translate({0x1b: "ff", 0x1c: "fi", 0x1d: "fl", 0x1e: "ffi", 0x1f: "ffl"})
    return problems, text


def three_d():
    """y, z in {-1, 0, 1} and a cubic in x for each: many fixed points; the first equation is long."""
    f1 = (x * (1 - x**2) - y * z + sympy.Rational(1, 3) * x * y**2 + sympy.Rational(2, 7) * x * z**2
          - sympy.Rational(5, 11) * x * y * z + sympy.Rational(1, 13) * x * y**4
          + sum(sympy.Rational(k, 17 + k) * x * y**k * z**(k % 3) for k in range(1, 14)))
    return ODESystem([x, y, z], [f1, y * (1 - y**2), z * (1 - z**2)], name="three-d")


# --------------------------------------------------------------- reports
@needs_tex
def test_pitchfork_report_compiles_and_classifies(tmp_path):
    src = ODESystem([x], [r * x - x**3], [r], name="pitchfork").report({r: 1})
    assert r"\dot{x}" in src and "r - 3 x^{2}" in src
    problems, text = compiled(src, tmp_path)
    assert not problems["bad"], problems
    assert "3 fixed point(s)" in text
    # x = -1 and x = 1 are sinks, x = 0 a source; all exact, so proved
    assert text.count("sink") == 2 and text.count("source") == 1
    assert "proved" in text and "certified" in text and "numerical" in text  # the levels section


@needs_tex
def test_three_d_report_many_fixed_points_long_equation(tmp_path):
    system = three_d()
    src = system.report()
    problems, text = compiled(src, tmp_path)
    assert not problems["bad"], problems
    n_points = int(src.split(" fixed point(s)")[0].rsplit("\n", 1)[-1])
    assert n_points >= 15
    assert src.count(r"\paragraph{Point") == n_points
    # the long first right-hand side is broken across lines of the align* block
    first_eq = src.split(r"\dot{x} &=")[1].split(r"\dot{y}")[0]
    assert r"&\quad" in first_eq
    # the corner (1, 1, 1)-type points of the decoupled y, z factors: y, z = +-1 are stable, so sinks exist
    assert "sink" in text and "saddle" in text


@needs_tex
def test_map_report_compiles(tmp_path):
    src = MapSystem([x], [r * x * (1 - x)], [r], name="logistic").report({r: sympy.Rational(5, 2)})
    assert r"x_{k+1}" in src and r"|\mu| < 1" in src
    problems, text = compiled(src, tmp_path)
    assert not problems["bad"], problems
    assert "sink" in text and "source" in text  # x = 3/5 (mu = -1/2), x = 0 (mu = 5/2)


@needs_tex
def test_transcendental_report_certified_levels(tmp_path):
    pend = ODESystem([x, y], [y, -sympy.sin(x) - c * y], [c], name="damped pendulum")
    src = pend.report({c: sympy.Rational(1, 2)}, method="numeric", bounds=(-4, 4))
    problems, text = compiled(src, tmp_path)
    assert not problems["bad"], problems
    assert "certified" in src.split(r"\section{Classification}")[1]
    assert "Krawczyk" in src


def test_report_without_values_says_what_is_missing():
    src = ODESystem([x], [r * x - x**3], [r]).report()
    assert "No values were given for $r$" in src and r"\section{Jacobian}" in src


def test_report_rejects_non_string_title():
    with pytest.raises(TypeError, match="title"):
        ODESystem([x], [-x]).report(title=3)


@needs_tex
def test_log_check_can_fail(tmp_path):
    """A formula far wider than the page is caught by the same check."""
    wide = sum(sympy.Symbol(f"a_{{{i}}}") * sympy.Symbol(f"b_{{{i}}}") for i in range(80))
    src = latex.document("wide", [("one line", latex.equation(latex.tex(wide)))])
    problems, _ = compiled(src, tmp_path)
    assert problems["bad"] and problems["worst_overfull"] > 100


# --------------------------------------------------------------- tables
@needs_tex
@pytest.mark.parametrize("first", ["[1, 2]", "(a) open", "* starred", "[", "("])
def test_table_first_cells_compile_and_keep_the_cell(tmp_path, first):
    rows = [(first, "x"), (first + " again", "[y]"), ("(z)", "*w")]
    src = latex.document("table", [("cells", latex.table(["key", "value"], rows))])
    problems, text = compiled(src, tmp_path)
    assert not problems["bad"], problems
    if text:
        assert first in text and first + " again" in text and "(z)" in text and "*w" in text


@needs_tex
def test_compile_pdf_stops_a_looping_document_quickly(tmp_path):
    src = latex.PREAMBLE + "\\begin{document}\n\\def\\loopforever{\\loopforever}\\loopforever\n\\end{document}\n"
    t0 = time.perf_counter()
    with pytest.raises(RuntimeError, match="did not finish"):
        latex.compile_pdf(src, tmp_path, "loop", timeout=3, runs=1)
    assert time.perf_counter() - t0 < 20


@needs_tex
def test_compile_pdf_halts_on_error(tmp_path):
    src = latex.PREAMBLE + "\\begin{document}\n\\nosuchcommand\n\\end{document}\n"
    with pytest.raises(RuntimeError, match="pdflatex failed"):
        latex.compile_pdf(src, tmp_path, "err", timeout=30, runs=1)


# --------------------------------------------------------------- safe input
@pytest.mark.parametrize("text, expected", [
    ("r*x - x^3", r * x - x**3),
    ("r*x - x**3", r * x - x**3),
    ("0.1*x", sympy.Rational(1, 10) * x),
    ("-(x + 1)/2", -(x + 1) / 2),
    ("tanh(x) + erf(r) - pi", sympy.tanh(x) + sympy.erf(r) - sympy.pi),
])
def test_parse_expression_exact(text, expected):
    assert parse_expression(text, {"x": x, "r": r}) == expected


@pytest.mark.parametrize("text, match", [
    ("__import__('os').system('true')", "not allowed"),
    ("x.__class__", "Attribute is not allowed"),
    ("eval('1')", "function 'eval' is not allowed"),
    ("lambda: 1", "Lambda is not allowed"),
    ("x[0]", "Subscript is not allowed"),
    ("x < 1", "Compare is not allowed"),
    ("'x'", "only numbers"),
    ("q + 1", "unknown name 'q'"),
    ("10**10**10", "exceeds the cap"),
    ("x**y", "exponents must be rational"),
    ("1/0", "division by zero"),
    ("x +", "not an arithmetic expression"),
    ("(" * 300 + "x" + ")" * 300, "not an arithmetic expression|nested"),
    ("x + " * 2000 + "x", "characters"),
    ("sin(x, y)", "exactly one argument"),
])
def test_parse_expression_refuses(text, match):
    with pytest.raises(ValueError, match=match):
        parse_expression(text, {"x": x, "y": y})


def test_parse_number():
    assert parse_number("-1/2", "v") == sympy.Rational(-1, 2)
    assert parse_number(0.25, "v") == sympy.Rational(1, 4)
    for bad in ("1/2/3", "x", "1e99999", "nan"):
        with pytest.raises(ValueError, match="v must be a number"):
            parse_number(bad, "v")
    with pytest.raises(TypeError):
        parse_number(True, "v")


@pytest.mark.parametrize("spec, match", [
    ({"states": [], "rhs": []}, "states must be a non-empty"),
    ({"states": ["x"], "rhs": ["x", "x"]}, "2 expression"),
    ({"states": ["x"], "params": {"x": 1}, "rhs": ["x"]}, "declared twice"),
    ({"states": ["exp"], "rhs": ["1"]}, "reserved"),
    ({"states": ["x y"], "rhs": ["1"]}, "not a plain name"),
    ({"states": ["x"], "rhs": ["x"], "kind": "pde"}, "kind must be"),
    ({"states": ["x"], "rhs": ["x"], "code": "1"}, "unknown key"),
])
def test_system_from_spec_refuses(spec, match):
    with pytest.raises((ValueError, TypeError), match=match):
        system_from_spec(spec)


def run_cli(*argv, stdin=None):
    return subprocess.run([sys.executable, "-m", "symdyn", *argv], capture_output=True, text=True,
                          input=stdin, timeout=120)


@needs_tex
def test_cli_latex_system_inline_and_spec(tmp_path):
    out = tmp_path / "pf.tex"
    proc = run_cli("latex", "system", "--state", "x", "--rhs", "r*x - x^3", "--param", "r=1",
                   "--name", "pitchfork", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    problems, text = compiled(out.read_text(), tmp_path, "pf")
    assert not problems["bad"] and "pitchfork" in text and "sink" in text

    spec = {"name": "logistic map", "kind": "map", "states": ["x"], "params": {"r": "5/2"},
            "rhs": ["r*x*(1 - x)"], "description": "The logistic map at r = 5/2 (100% exact)."}
    path = tmp_path / "logistic.json"
    path.write_text(json.dumps(spec))
    proc = run_cli("latex", "system", "--spec", str(path), "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert r"x_{k+1}" in proc.stdout and r"100\% exact" in proc.stdout
    problems, _ = compiled(proc.stdout, tmp_path, "logistic")
    assert not problems["bad"], problems


@pytest.mark.parametrize("argv, match", [
    (["--state", "x", "--rhs", "__import__('os').system('echo hacked')"], "not allowed"),
    (["--state", "x"], "at least one --state and one --rhs"),
    (["--state", "x", "--rhs", "x", "--param", "r=abc"], "params\\[r\\] must be a number"),
    (["--state", "x", "--rhs", "x", "--bounds", "3", "1"], "LO < HI"),
])
def test_cli_latex_system_bad_input_exit_2(tmp_path, argv, match):
    proc = run_cli("latex", "system", *argv, "-o", str(tmp_path / "o.tex"))
    assert proc.returncode == 2
    assert "hacked" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and __import__("re").search(match, lines[0]), proc.stderr


def test_cli_latex_system_bad_json(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{not json")
    proc = run_cli("latex", "system", "--spec", str(path), "-o", str(tmp_path / "o.tex"))
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr
