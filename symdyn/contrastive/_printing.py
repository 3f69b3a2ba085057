"""Readable moment ODEs: repeated sub-expressions named once, long sums broken over lines.

:func:`odes_with_named_terms` turns the right-hand sides of an
:class:`~symdyn.odesystem.ODESystem` (e.g. :func:`~symdyn.contrastive.moment_odes`)
into a :class:`NamedODEs`: a list of definitions ``(name, expression)`` in
dependency order and the right-hand sides written with those names.  Names by kind:

========  ==========================================================
``p_k``   polynomials in the states / parameters used more than once
``s_k``   square roots and other non-integer powers
``g_k``   exponentials (Gaussian factors)
``E_k``   error functions ``erf`` / ``erfc``
``A_k``   ``asin`` (arcsine law)
``P_k``   bivariate normal CDFs ``Phi2(h, k; r)``
``N_k``   Gaussian-expectation nodes (quadrature; e.g. ``tanh``)
``F_k``   other functions
``T_k``   other sums used more than once, and sub-terms named to keep a line short
========  ==========================================================

Naming only abstracts sub-trees: :meth:`NamedODEs.substituted` puts the
definitions back and returns the original right-hand sides (``==``, tested).
:func:`format_odes` prints the result (``fmt="pretty"``: ASCII 2-D, every line
at most ``width`` characters; ``fmt="latex"``: ``align*`` blocks with
the long sums broken over lines).

Examples
--------
>>> import sympy
>>> from symdyn.contrastive import ContrastiveModel, moment_odes, odes_with_named_terms
>>> named = odes_with_named_terms(moment_odes(ContrastiveModel(activation=sympy.erf, Delta=0.5, rho=-1)))
>>> [str(name) for name, _ in named.definitions][:4]
['p_1', 'p_2', 'p_3', 'p_4']
>>> named.substituted() == tuple(moment_odes(ContrastiveModel(activation=sympy.erf, Delta=0.5, rho=-1)).rhs)
True
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import sympy
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from ..special import BivariateNormalCDF

__all__ = ["NamedODEs", "odes_with_named_terms", "format_odes"]

DEFAULT_WIDTH = 100
DEFAULT_LATEX_WIDTH = 60


def _kind(e) -> str | None:
    """Prefix of the name a sub-expression gets, or None (not named for its kind)."""
    from ._nodes import GaussExpectation

    if isinstance(e, GaussExpectation):
        return "N"
    if isinstance(e, BivariateNormalCDF):
        return "P"
    if isinstance(e, (sympy.erf, sympy.erfc)):
        return "E"
    if isinstance(e, sympy.exp):
        return "g"
    if isinstance(e, sympy.asin):
        return "A"
    if e.is_Pow and not e.exp.is_Integer and e.base.free_symbols:
        return "s"
    if isinstance(e, sympy.Function) and e.free_symbols:
        return "F"
    return None


def _postorder(expr, seen, out):
    """Distinct sub-trees of ``expr`` (children before parents)."""
    if expr in seen:
        return
    seen.add(expr)
    for a in expr.args:
        _postorder(a, seen, out)
    out.append(expr)


def _occurrences(exprs) -> Counter:
    """How many times each sub-tree occurs in ``exprs`` (counted in the trees, with repetition)."""
    counts: Counter = Counter()
    memo: dict = {}

    def sub(e):  # Counter of the sub-trees below (and including) e, memoised per distinct node
        c = memo.get(e)
        if c is None:
            c = Counter({e: 1})
            for a in e.args:
                c.update(sub(a))
            memo[e] = c
        return c

    for e in exprs:
        counts.update(sub(e))
    return counts


@dataclass(frozen=True)
class NamedODEs:
    """Moment ODEs with named sub-terms.

    Attributes
    ----------
    states : tuple of Symbol
    definitions : tuple of (Symbol, Expr)
        In dependency order: each expression uses the states, parameters and
        earlier names only.
    rhs : tuple of Expr
        Right-hand sides in terms of the names.
    """

    states: tuple
    definitions: tuple
    rhs: tuple

    def names(self) -> tuple:
        return tuple(n for n, _ in self.definitions)

    def substitute(self, expr) -> sympy.Expr:
        """``expr`` (written with the names) with every definition put back."""
        for name, value in reversed(self.definitions):
            if expr.has(name):
                expr = expr.xreplace({name: value})
        return expr

    def substituted(self) -> tuple:
        """The right-hand sides with every name replaced by its definition (the original)."""
        return tuple(self.substitute(r) for r in self.rhs)

    def pretty(self, width: int = DEFAULT_WIDTH) -> str:
        return format_odes(self, fmt="pretty", width=width)

    def latex(self) -> str:
        return format_odes(self, fmt="latex")


def odes_with_named_terms(system, *, width: int = DEFAULT_WIDTH) -> NamedODEs:
    """Name the repeated and transcendental sub-expressions of ``system``'s right-hand sides.

    Parameters
    ----------
    system : ODESystem
        Any system (``moment_odes`` output, closed or with quadrature nodes).
    width : int
        Target line width of the pretty form: single terms wider than this are
        split by naming their widest sub-term (``T_k``).

    Returns
    -------
    NamedODEs
        ``named.substituted() == tuple(system.rhs)``.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.odesystem import ODESystem
    >>> from symdyn.contrastive import odes_with_named_terms
    >>> x, y = sympy.symbols("x y")
    >>> named = odes_with_named_terms(ODESystem([x, y], [sympy.erf(x + y) * (x - y), sympy.erf(x + y) + (x - y)**2]))
    >>> named.definitions
    ((p_1, x - y), (p_2, x + y), (E_1, erf(p_2)))
    >>> named.rhs
    (E_1*p_1, E_1 + p_1**2)
    """
    if not (isinstance(width, int) and 40 <= width <= 10000):
        raise ValueError(f"width must be an integer in [40, 10000], got {width!r}")
    states = tuple(system.states)
    rhs = tuple(sympy.S(r) for r in system.rhs)
    taken = {str(s) for e in rhs for s in e.free_symbols} | {str(s) for s in states}
    counters = {k: itertools.count(1) for k in "psgEAPNFT"}

    def new_name(kind):
        while True:
            name = f"{kind}_{next(counters[kind])}"
            if name not in taken:
                taken.add(name)
                return sympy.Symbol(name, real=True)

    counts = _occurrences(rhs)
    order: list = []
    seen: set = set()
    for e in rhs:
        _postorder(e, seen, order)
    # 1. polynomials used more than once, 2. functions / roots -- in postorder (inner first)
    chosen = []
    for e in order:
        if e.is_Atom or e in rhs:
            continue
        if e.is_Add and counts[e] > 1 and e.free_symbols:
            chosen.append((e, "p" if _kind_free(e) else "T"))
        else:
            kind = _kind(e)
            if kind is not None:
                chosen.append((e, kind))
    # polynomials never contain functions: their names come first; the rest stays in postorder
    polys = [c for c in chosen if c[1] == "p"]
    others = [c for c in chosen if c[1] != "p"]
    mapping: dict = {}
    definitions = []
    for e, kind in polys + others:
        if kind == "s" and e.exp.is_negative:  # b^(-1/2) = 1 / sqrt(b): name the root
            root = sympy.Pow(e.base, -e.exp)
            if root not in mapping:
                mapping[root] = name = new_name("s")
                definitions.append((name, sympy.Pow(e.base.xreplace(mapping), -e.exp)))
            mapping[e] = 1 / mapping[root]
            continue
        value = e.func(*[a.xreplace(mapping) for a in e.args])
        name = new_name(kind)
        mapping[e] = name
        definitions.append((name, value))
    named_rhs = [r.xreplace(mapping) for r in rhs]
    named = _fit_width(NamedODEs(states, tuple(definitions), tuple(named_rhs)), width, new_name)
    return named


def _kind_free(e) -> bool:
    """``e`` contains no function application or non-integer power (a polynomial-like tree)."""
    return all(_kind(s) is None for s in sympy.preorder_traversal(e))


# ---------------------------------------------------------------------------
# printing
# ---------------------------------------------------------------------------

class _Pretty(PrettyPrinter):
    """ASCII pretty printer: ``exp(x)`` on one line, ``Phi2(h, k; r)``, readable expectation nodes."""

    def _print_exp(self, e):
        return self._print_Function(e, func_name="exp")

    def _print_BivariateNormalCDF(self, e):
        h, k, r = (self._print(a) for a in e.args)
        args = prettyForm(*stringPict.next(h, ", ", k, "; ", r))
        return prettyForm(*stringPict.next("Phi2", prettyForm(*args.parens())))

    def _print_GaussExpectation(self, e):
        f, gauss = _node_text(e)
        return prettyForm(f"E[{f}; {gauss}]")


def _node_text(e):
    """``(integrand, 'h ~ N(mean, cov)')`` of a Gaussian-expectation node, one line each."""
    from ._nodes import ETA

    names = {ETA[i]: sympy.Symbol(f"h_{i + 1}") for i in range(e.n)}
    f = sympy.sstr(e.integrand.xreplace(names))
    mean = ", ".join(sympy.sstr(m) for m in e.mean)
    cov = sympy.sstr(e.cov.tolist())
    return f, f"h ~ N(({mean}), {cov})"


def _pretty_node(name: str, node) -> list:
    f, gauss = _node_text(node)
    head = f"{name} = "
    return [f"{head}E[{f}]", " " * len(head) + f"with {gauss}"]


def _form(expr) -> prettyForm:
    old = pretty_use_unicode(False)
    try:
        return _Pretty({"use_unicode": False, "wrap_line": False})._print(expr)
    finally:
        pretty_use_unicode(old)


def _render(form: prettyForm) -> str:
    return "\n".join(line.rstrip() for line in form.render(wrap_line=False).split("\n"))


def _signed_terms(expr):
    """Top-level terms of ``expr`` as ``(sign, magnitude)``, in SymPy's printing order."""
    terms = expr.as_ordered_terms() if expr.is_Add else [expr]
    out = []
    for t in terms:
        if t.could_extract_minus_sign():
            out.append(("-", -t))
        else:
            out.append(("+", t))
    return out


def _fit_width(named: NamedODEs, width: int, new_name) -> NamedODEs:
    """Name the widest sub-term of every single term too wide for one pretty line."""
    prefix = 16  # room for "d/dt R_{1,1} = " / "    + "
    defs = list(named.definitions)
    rhs = list(named.rhs)

    from ._nodes import GaussExpectation

    made: dict = {}

    def shrink(expr):
        if isinstance(expr, GaussExpectation):  # printed on two lines of its own (see _pretty_node)
            return expr
        for _ in range(200):
            wide = [t for _, t in _signed_terms(expr) if _form(t).width() > width - prefix]
            if not wide:
                return expr
            t = wide[0]
            subs = [s for s in sympy.preorder_traversal(t)
                    if s is not t and not s.is_Atom and sympy.count_ops(s) >= 2]
            if not subs:
                return expr
            best = max(subs, key=lambda s: (_form(s).width(), -sympy.count_ops(s)))
            name = made.get(best)
            if name is None:
                name = made[best] = new_name("T")
                defs.append((name, shrink(best)))
            expr = expr.xreplace({best: name})
        return expr

    rhs = [shrink(r) for r in rhs]
    i = 0
    while i < len(defs):  # definitions may be too wide too (shrink appends to defs)
        name, value = defs[i]
        value2 = shrink(value)
        defs[i] = (name, value2)
        i += 1
    return NamedODEs(named.states, tuple(_dependency_order(defs)), tuple(rhs))


def _dependency_order(defs):
    """Definitions sorted so that each uses only earlier names (stable)."""
    names = {n for n, _ in defs}
    done: set = set()
    out = []
    pending = list(defs)
    while pending:
        rest = []
        for n, v in pending:
            if (v.free_symbols & names) <= done:
                out.append((n, v))
                done.add(n)
            else:
                rest.append((n, v))
        if len(rest) == len(pending):  # pragma: no cover - a cycle cannot arise from sub-trees
            raise RuntimeError("cyclic definitions")
        pending = rest
    return out


def _lhs_pretty(state) -> str:
    return f"d/dt {state}"


def _pretty_equation(lhs: str, expr, width: int) -> list:
    """Lines of ``lhs = expr`` with the sum broken over lines of at most ``width`` characters."""
    head = f"{lhs} = "
    indent = " " * min(len(head), 8)
    blocks, current = [], None
    for k, (sign, t) in enumerate(_signed_terms(expr)):
        form = _form(t)
        if current is None:
            current = prettyForm(*stringPict.next(head, "-" if sign == "-" else "", form))
            continue
        piece = prettyForm(*stringPict.next(f" {sign} ", form))
        if current.width() + piece.width() > width:
            blocks.append(current)
            current = prettyForm(*stringPict.next(indent, f"{sign} ", form))
        else:
            current = prettyForm(*stringPict.next(current, piece))
    blocks.append(current)
    return [ln for b in blocks for ln in _render(b).split("\n")]


def _latex_lhs(state) -> str:
    name = str(state)
    base, _, sub = name.partition("_")
    sub = sub.strip("{}").replace(",", "")
    return rf"\dot{{{sympy.latex(sympy.Symbol(base))}}}_{{{sub}}}" if sub else rf"\dot{{{sympy.latex(state)}}}"


def _tex_width(expr) -> int:
    """Rendered width of ``expr`` in LaTeX, in characters: the 2-D ASCII width with
    subscripts compacted (``R_{1,1}`` prints as ``R11``; TeX sets it about that wide)."""
    short = {s: sympy.Symbol(str(s).replace("_{", "").replace("_", "").replace("}", "").replace(",", ""))
             for s in expr.free_symbols}
    return _form(expr.xreplace(short)).width()


def _latex_equation(lhs: str, expr, width: int) -> str:
    """``lhs &= ...`` with the sum broken into rows of about ``width`` rendered characters."""
    rows, cur = [""], 0
    for k, (sign, t) in enumerate(_signed_terms(expr)):
        tex = sympy.latex(t)
        if t.is_Add:
            tex = rf"\left({tex}\right)"
        w = _tex_width(t) + 3
        if k == 0:
            rows[-1] = ("-" if sign == "-" else "") + tex
        elif cur and cur + w > width:
            rows.append(f"{sign} {tex}")
            cur = 0
        else:
            rows[-1] += f" {sign} {tex}"
        cur += w
    return f"{lhs} &= {rows[0]}" + "".join(rf" \\ &\quad {r}" for r in rows[1:])


def format_odes(system, fmt: str = "pretty", *, width: int = DEFAULT_WIDTH,
                latex_width: int = DEFAULT_LATEX_WIDTH) -> str:
    r"""The ODEs of ``system`` (an ODESystem or a :class:`NamedODEs`) as readable text.

    Parameters
    ----------
    system : ODESystem or NamedODEs
    fmt : {'pretty', 'latex'}
        ``pretty``: ASCII, definitions first, then ``d/dt state = ...``; every
        line at most ``width`` characters.  ``latex``: two ``align*``
        blocks (equations, then definitions; page breaks allowed between rows),
        long sums broken with ``\\ &\quad``.
    width : int
        Characters per line of the pretty form.
    latex_width : int
        Rendered width of a LaTeX row, in characters of about the width of a
        math letter (default 60: a 12 cm text width at 10 pt).

    Returns
    -------
    str

    Examples
    --------
    >>> import sympy
    >>> from symdyn.odesystem import ODESystem
    >>> from symdyn.contrastive import format_odes
    >>> x = sympy.Symbol("x")
    >>> print(format_odes(ODESystem([x], [-x * sympy.exp(-x**2)])), end="")
    where
               /  2\
      g_1 = exp\-x /
    <BLANKLINE>
    d/dt x = -g_1*x
    """
    from ._nodes import GaussExpectation

    if fmt not in ("pretty", "latex"):
        raise ValueError(f"fmt must be 'pretty' or 'latex', got {fmt!r}")
    named = system if isinstance(system, NamedODEs) else odes_with_named_terms(system, width=width)
    if fmt == "pretty":
        out = []
        if named.definitions:
            out.append("where")
            for name, value in named.definitions:
                lines = (_pretty_node(str(name), value) if isinstance(value, GaussExpectation)
                         else _pretty_equation(str(name), value, width - 2))
                out.extend("  " + ln for ln in lines)
            out.append("")
        for state, r in zip(named.states, named.rhs):
            out.extend(_pretty_equation(_lhs_pretty(state), r, width))
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"
    eqs = [_latex_equation(_latex_lhs(s), r, latex_width) for s, r in zip(named.states, named.rhs)]
    text = _latex_block(eqs)
    if named.definitions:
        text += "where\n" + _latex_block([_latex_node(sympy.latex(n), v, latex_width) if isinstance(v, GaussExpectation)
                                           else _latex_equation(sympy.latex(n), v, latex_width)
                                           for n, v in named.definitions])
    return text


def _latex_node(lhs: str, node, width: int) -> str:
    """``N_k = E[f(h)]`` and, on the next row, the Gaussian of ``h``."""
    from ._nodes import ETA

    names = {ETA[i]: sympy.Symbol(f"h_{{{i + 1}}}") for i in range(node.n)}
    f = node.integrand.xreplace(names)
    rows, cur = [[]], 0
    for fac in (f.as_ordered_factors() if f.is_Mul else [f]):  # a long product: one factor group per row
        w = _tex_width(fac)
        if rows[-1] and cur + w > width:
            rows.append([])
            cur = 0
        rows[-1].append(fac)
        cur += w
    tex = [" ".join(sympy.latex(x) if not x.is_Add else rf"\left({sympy.latex(x)}\right)" for x in r) for r in rows]
    body = r" \\ &\qquad \times ".join(tex)
    if node.n == 1:  # a scalar Gaussian: mean and variance, not 1 x 1 matrices
        law = rf"h_{{1}} \sim \mathcal{{N}}\left({sympy.latex(node.mean[0])},\ {sympy.latex(node.cov[0, 0])}\right)"
    else:
        mean = ", ".join(sympy.latex(m) for m in node.mean)
        law = rf"h \sim \mathcal{{N}}\left(({mean}),\ {sympy.latex(node.cov)}\right)"
    return rf"{lhs} &= \mathbb{{E}}\Big[{body}\Big] \\ &\quad \text{{with }} " + law


def _latex_block(rows) -> str:
    """``align*`` rows (page breaks allowed between rows, inside a group)."""
    body = " \\\\\n".join(rows)
    return "{\\allowdisplaybreaks\n\\begin{align*}\n" + body + "\n\\end{align*}}\n"
