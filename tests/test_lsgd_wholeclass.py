"""The whole-class proof (symdyn.lsgd.wholeclass) and the exact per-profile bounds (symdyn.lsgd.taylor)."""

from fractions import Fraction as F

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn.lsgd import wholeclass as W
from symdyn.lsgd.robust import certified_upper_bound, robust_lower_bound
from symdyn.lsgd.taylor import (MAX_TAYLOR_N, invariant_closure, taylor_bounds, taylor_coefficients, taylor_rank,
                                taylor_series)

positive = st.fractions(min_value=F(1, 4), max_value=4, max_denominator=6)


@st.composite
def profiles(draw, n_max=10, symmetric=None):
    n = draw(st.integers(2, n_max))
    sym = draw(st.booleans()) if symmetric is None else symmetric
    pos = draw(st.lists(positive, min_size=n - 1, max_size=n - 1))
    b = [-draw(positive)] + pos
    if sym:
        b = [b[0]] + [b[min(j, n - j)] for j in range(1, n)]
    return b


def _mp(x):
    return mpmath.mpf(int(x.p)) / int(x.q)


# ---------------------------------------------------------------- the recurrence
def test_taylor_coefficients_match_a_high_precision_eigenvector():
    mpmath.mp.dps = 50
    b = [F(-1), F(1), F(2), F(3), F(5)]
    n = len(b)
    us, mus = taylor_coefficients(b, 2 * n)
    s = mpmath.mpf("1e-3")
    K = mpmath.matrix(n, n)
    for i in range(n):
        K[i, i] += 2
        K[i, (i + 1) % n] -= 1
        K[i, (i - 1) % n] -= 1
    A = mpmath.eye(n) + s * K
    E, Q = mpmath.eigsy(A)
    Ah = Q * mpmath.diag([1 / mpmath.sqrt(e) for e in E]) * Q.T
    w, V = mpmath.eigsy(Ah * mpmath.diag([float(v) for v in b]) * Ah)
    i = min(range(n), key=lambda k: w[k])
    u = Ah * V[:, i]
    series = [sum(_mp(us[k][j]) * s**k for k in range(2 * n)) for j in range(n)]
    assert max(abs(u[j] / u[0] - series[j]) for j in range(n)) < mpmath.mpf("1e-25")
    assert abs(w[i] - sum(_mp(m) * s**k for k, m in enumerate(mus))) < mpmath.mpf("1e-25")


def test_recurrence_lemma_holds_and_detects_a_wrong_recurrence(monkeypatch):
    assert all(W.recurrence_lemma(4, (3,)).values())

    def broken(b, K, terms, zero, one):
        us, mus = taylor_series(b, K, terms, zero, one)
        us[2] = [x * 2 for x in us[2]]
        return us, mus

    monkeypatch.setattr(W, "taylor_series", broken)
    facts = W._concrete_recurrence(3, 3)
    assert not all(facts.values())


# ---------------------------------------------------------------- the window lemma
def test_window_lemma_holds():
    facts = W.window_lemma()
    assert len(facts) == 8 and all(facts.values())


def test_window_row_fails_when_the_support_hypothesis_is_broken():
    b0 = sympy.Symbol("b_0", negative=True)
    p, pm = sympy.symbols("p p^-", positive=True)
    mus = [b0] + list(sympy.symbols("mu_1:6"))
    vecs = W._window_vectors("interior", 4, p, pm)
    assert sympy.expand(W._window_row(1, vecs, mus)) == 0
    vecs[0][0] = sympy.Symbol("z")  # u_{k-1} non-zero at index k: the support grew too fast
    assert sympy.expand(W._window_row(1, vecs, mus)) != 0


# ---------------------------------------------------------------- per-n re-check
@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7, 31, 64])
@pytest.mark.parametrize("symmetric", [True, False])
def test_check_n_holds(n, symmetric):
    c = W.check_n(n, symmetric)
    assert c.holds, c.facts
    assert c.rank_lower_bound == n // 2 + 1
    assert all(d.is_positive for d in c.diagonal)


@settings(max_examples=25, deadline=None)
@given(profiles(n_max=9))
def test_symbolic_diagonal_equals_exact_taylor_edges(b):
    """The closed forms of check_n, with the profile substituted, are the exact Taylor edges."""
    n = len(b)
    c = W.check_n(n, symmetric=False)
    us, _ = taylor_coefficients(b, n // 2 + 1)
    sub = {sym: sympy.Rational(v.numerator, v.denominator) for sym, v in zip(c.profile, b)}
    for k, d in enumerate(c.diagonal):
        exact = us[k][k]
        assert d.subs(sub) == sympy.Rational(int(exact.p), int(exact.q))
        for j in range(k + 1, n // 2 + 1):
            assert us[k][j] == 0  # triangular


def test_check_n_validates():
    with pytest.raises(ValueError, match="n must be >= 2"):
        W.check_n(1)
    with pytest.raises(ValueError, match="n must be <= 1024"):
        W.check_n(2000)
    with pytest.raises(TypeError, match="symmetric must be a bool"):
        W.check_n(4, symmetric=1)


# ---------------------------------------------------------------- converse
@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_converse_lemma_holds(n):
    facts = W.converse_lemma(n)
    assert facts and all(facts.values())


def test_converse_lemma_caps_n():
    with pytest.raises(ValueError, match="n must be <= 5"):
        W.converse_lemma(6)


# ---------------------------------------------------------------- theorem as data
def test_whole_class_theorem_structure():
    t = W.whole_class_theorem(include_converse=False)
    assert t["holds"] is True and t["converse_holds"] is None
    assert [s["id"] for s in t["steps"]] == ["saddle", "taylor", "recurrence", "window", "triangular", "symmetric"]
    assert all(s["latex"] and s["scope"] for s in t["steps"])
    assert t["latex"].startswith("\\begin{theorem}") and "\\end{proof}" in t["latex"]
    assert "NOT proved" in t["scope"]["converse"]
    with pytest.raises(TypeError):
        W.whole_class_theorem(include_converse="yes")


# ---------------------------------------------------------------- exact per-profile bounds
@settings(max_examples=30, deadline=None)
@given(profiles(n_max=12))
def test_taylor_bounds_meet_the_theorem(b):
    n = len(b)
    r = taylor_bounds(b, 1 / max(b))
    symmetric = all(b[j] == b[(-j) % n] for j in range(n))
    assert r.upper <= (n - 1) // 2 and r.lower <= r.upper
    if symmetric:
        assert r.dim == (n - 1) // 2 == robust_lower_bound(b, 1 / max(b)).dim
    elif (n - 1) // 2 > 0:
        assert r.upper < (n - 1) // 2


@pytest.mark.parametrize("b", [[-1, 2, 3, 2], [-1, 2, 3, 5], [3, -1, 2, 2, 3], [-2, 1, 3, 1, 2, 1]])
def test_taylor_rank_agrees_with_the_certified_route(b):
    b = [F(v) for v in b]
    eta = 1 / max(b)
    cert = certified_upper_bound(b, eta)  # symmetric block when b is symmetric, else full
    r = taylor_bounds(b, eta)
    assert cert.certified and r.upper == cert.dim == r.dim


def test_invariant_closure_is_the_symmetric_subspace_only_for_symmetric_b():
    assert invariant_closure([-1, 2, 3, 3, 2]).nrows() == 3
    assert invariant_closure([-1, 2, 3, 3, 4]).nrows() == 5
    assert taylor_rank([-1, 1, 1, 1]) == 3


def test_taylor_bounds_validate():
    with pytest.raises(ValueError, match="exactly one negative"):
        taylor_bounds([-1, -1, 2], F(1, 2))
    with pytest.raises(ValueError, match="eta"):
        taylor_bounds([-1, 1, 1], 2)
    with pytest.raises(ValueError, match=f"<= {MAX_TAYLOR_N}"):
        taylor_bounds([-1] + [1] * MAX_TAYLOR_N, F(1, 2))
    with pytest.raises(ValueError, match="terms"):
        taylor_coefficients([-1, 1, 1], 7)


@pytest.mark.parametrize("name", ["symdyn.lsgd.taylor", "symdyn.lsgd.wholeclass"])
def test_doctests(name):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 0


def test_public_exports():
    import symdyn.lsgd as lsgd

    assert lsgd.taylor_bounds is taylor_bounds
    assert lsgd.whole_class_theorem is W.whole_class_theorem
    assert {"taylor_bounds", "whole_class_theorem", "TaylorBounds"} <= set(lsgd.__all__)


def test_n6_degenerate_profiles_need_more_than_m_plus_1_coefficients():
    from symdyn.lsgd.taylor import _rank

    profiles_ = W.n6_degenerate_profiles()
    assert len(profiles_) >= 10
    for b in profiles_[:8]:
        assert not all(b[j] == b[(-j) % 6] for j in range(6))
        us, _ = taylor_coefficients(b, 5)
        assert _rank(us, 6) == 4          # the first m + 1 coefficients are dependent ...
        assert taylor_bounds(b, 1 / max(b)).dim == 0   # ... but the full Taylor span is R^6


@pytest.mark.parametrize("grid", [(), [(1, 2)], [(3, 0)], [("3", 2)], [(2, 1, 1)], [(2, 1)] * 13])
def test_n6_degenerate_profiles_validates_grid(grid):
    with pytest.raises(ValueError, match="grid"):
        W.n6_degenerate_profiles(grid)


@pytest.mark.skipif(__import__("shutil").which("pdflatex") is None, reason="pdflatex not installed")
def test_whole_class_theorem_latex_compiles(tmp_path):
    import subprocess

    t = W.whole_class_theorem(include_converse=False)
    src = ("\\documentclass{article}\\usepackage{amsmath,amssymb,amsthm}\\newtheorem{theorem}{Theorem}"
           "\\begin{document}" + t["latex"] + "\\end{document}\n")
    (tmp_path / "p.tex").write_text(src)
    res = subprocess.run(["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "p.tex"], cwd=tmp_path,
                         capture_output=True, timeout=60)
    assert res.returncode == 0 and (tmp_path / "p.pdf").exists()
