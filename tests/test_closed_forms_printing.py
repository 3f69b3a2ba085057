"""Readable moment ODEs (symdyn.contrastive._printing) and the `symdyn contrastive odes` output."""

import subprocess
import sys

import pytest
import sympy

from symdyn.contrastive import ContrastiveModel, format_odes, moment_odes, odes_with_named_terms
from symdyn.odesystem import ODESystem

HALF = sympy.Rational(1, 2)


@pytest.fixture(scope="module")
def erf_system():
    return moment_odes(ContrastiveModel(activation=sympy.erf, Delta=HALF, rho=-1))


@pytest.fixture(scope="module")
def erf_system_d2():
    return moment_odes(ContrastiveModel(activation=sympy.erf, d=2, Delta=HALF, rho=-1))


@pytest.fixture(scope="module")
def tanh_system():
    return moment_odes(ContrastiveModel(activation=sympy.tanh, Delta=HALF, rho=-1))


@pytest.mark.parametrize("which", ["erf_system", "erf_system_d2", "tanh_system"])
def test_named_form_substituted_back_is_the_original(which, request):
    system = request.getfixturevalue(which)
    named = odes_with_named_terms(system)
    assert named.substituted() == tuple(system.rhs)
    names = set(named.names())
    assert len(names) == len(named.definitions)
    defined = set()
    for name, value in named.definitions:  # dependency order: only earlier names are used
        assert (value.free_symbols & names) <= defined
        defined.add(name)


@pytest.mark.parametrize("which", ["erf_system", "erf_system_d2", "tanh_system"])
def test_pretty_lines_are_short(which, request):
    text = format_odes(request.getfixturevalue(which), fmt="pretty")
    widths = [len(line) for line in text.splitlines()]
    assert max(widths) <= 100
    assert "GaussExpectation" not in text


def test_named_terms_are_repeated_pieces(erf_system):
    named = odes_with_named_terms(erf_system)
    kinds = {str(n).split("_")[0] for n in named.names()}
    assert {"p", "s", "g", "E", "P"} <= kinds  # polynomials, roots, exponentials, erf, Phi2
    for r in named.rhs:  # no raw transcendental function left in the right-hand sides
        assert not r.atoms(sympy.erf, sympy.exp)
    # each distinct Phi2 call of the original is defined exactly once
    from symdyn.special import BivariateNormalCDF

    original = set().union(*[r.atoms(BivariateNormalCDF) for r in erf_system.rhs])
    defined = [named.substitute(v) for _, v in named.definitions if isinstance(v, BivariateNormalCDF)]
    assert len(defined) == len(set(defined)) and set(defined) == original


def test_substitution_check_can_fail(erf_system):
    named = odes_with_named_terms(erf_system)
    name, value = named.definitions[0]
    broken = type(named)(named.states, ((name, value + 1),) + named.definitions[1:], named.rhs)
    assert broken.substituted() != tuple(erf_system.rhs)


def test_small_system_and_width_validation():
    x, y = sympy.symbols("x y")
    system = ODESystem([x, y], [sympy.erf(x + y) * (x - y), sympy.erf(x + y) + (x - y)**2])
    named = odes_with_named_terms(system)
    assert named.rhs == (sympy.Symbol("E_1", real=True) * sympy.Symbol("p_1", real=True),
                         sympy.Symbol("E_1", real=True) + sympy.Symbol("p_1", real=True)**2)
    with pytest.raises(ValueError, match="width"):
        odes_with_named_terms(system, width=5)
    with pytest.raises(ValueError, match="fmt"):
        format_odes(system, fmt="html")


def test_long_sums_break_and_wide_terms_get_names():
    x = sympy.Symbol("x")
    rhs = sum(sympy.erf(k * x) / (k + x**2) for k in range(1, 30)) + sympy.Add(*[x**k for k in range(1, 40)]) * sympy.exp(x)
    system = ODESystem([x], [rhs])
    text = format_odes(system, fmt="pretty", width=80)
    assert max(len(ln) for ln in text.splitlines()) <= 80
    named = odes_with_named_terms(system, width=80)
    assert any(str(n).startswith("T_") for n in named.names())
    assert named.substituted() == (rhs,)


def test_latex_rows_break(erf_system_d2):
    tex = format_odes(erf_system_d2, fmt="latex")
    assert tex.count(r"\begin{align*}") == 2
    assert r"\dot{R}_{11}" in tex and r"\\ &\quad" in tex
    assert r"\Phi_{2}" in tex
    for line in tex.splitlines():
        for row in line.split(r" \\ "):
            assert len(row) < 700  # every row is a few terms, not a whole right-hand side


def test_cli_pretty_and_latex(tmp_path):
    base = [sys.executable, "-m", "symdyn", "contrastive", "odes", "--activation", "erf", "--Delta", "0.5", "--rho", "-1"]
    out = subprocess.run(base + ["--format", "pretty"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert max(len(ln) for ln in lines) <= 100
    assert any(ln.startswith("d/dt R_{1,1} = ") for ln in lines)
    assert any("Phi2" in ln for ln in lines)
    out = subprocess.run(base + ["--format", "latex", "-o", str(tmp_path / "o.tex")], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    tex = (tmp_path / "o.tex").read_text()
    assert r"\begin{align*}" in tex and r"\dot{Q}_{11}" in tex
