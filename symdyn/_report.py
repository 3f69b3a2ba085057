r"""Derivation reports of dynamical systems: printing helpers and :func:`system_report`.

The pieces here are model-independent (core): time-derivative names
(``\dot{R}_{11}``), compact subscripts, named sub-terms for long repeated
expressions, matrices shown by structure when they would overflow, and the
report of any :class:`~symdyn.odesystem.ODESystem` / ``MapSystem`` with its
fixed points, classification table and levels (:func:`system_report`, used by
``ODESystem.report``).

Examples
--------
>>> import sympy
>>> from symdyn._report import dot_name, compact_names
>>> R = sympy.Symbol("R_{1,1}")
>>> dot_name(R, compact_names([R]))
'\\dot{R}_{11}'
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import sympy

from . import latex as L

__all__ = ["compact_names", "dot_name", "next_name", "name_subterms", "matrix_display",
           "equations", "system_report", "LEVELS_TEXT"]

#: how the three levels are defined (printed in every report)
LEVELS_TEXT = (
    r"\emph{proved}: exact arithmetic (rationals, algebraic numbers, Routh--Hurwitz / Schur--Cohn "
    r"root location of the exact characteristic polynomial); "
    r"\emph{certified}: rigorous interval enclosures (the Jacobian enclosed over a box proved to contain "
    r"the fixed point, interval Routh array); "
    r"\emph{numerical}: floating-point computation, which suggests but does not decide."
)

_SUB = re.compile(r"^(?P<base>[^_{}]+)_\{(?P<idx>[^{}]*)\}$")


def compact_names(symbols: Iterable[sympy.Symbol]) -> dict:
    """``symbol_names`` for :func:`sympy.latex`: ``R_{1,1} -> R_{11}`` when every index is one digit.

    Only symbols of the form ``base_{i,j,...}`` are renamed; the base is
    printed by SymPy's own rules (``tau -> \\tau``).
    """
    out = {}
    for s in symbols:
        m = _SUB.match(s.name)
        if not m:
            continue
        parts = m.group("idx").split(",")
        if len(parts) > 1 and all(re.fullmatch(r"\d", p) for p in parts):
            base = sympy.latex(sympy.Symbol(m.group("base")))
            out[s] = f"{base}_{{{''.join(parts)}}}"
    return out


def _split_subscript(latex_name: str):
    """``'R_{11}' -> ('R', '_{11}')``; ``'x' -> ('x', '')``; handles ``\\tau_{1}``."""
    depth = 0
    for i, ch in enumerate(latex_name):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch in "_^" and depth == 0:
            return latex_name[:i], latex_name[i:]
    return latex_name, ""


def dot_name(state: sympy.Symbol, symbol_names: dict | None = None) -> str:
    r"""``\dot{R}_{11}``: the dot on the base, the subscript outside."""
    name = (symbol_names or {}).get(state) or sympy.latex(state)
    base, rest = _split_subscript(name)
    return rf"\dot{{{base}}}{rest}"


def next_name(state: sympy.Symbol, symbol_names: dict | None = None) -> str:
    """``x_{k+1}`` (maps), with an existing subscript kept: ``x_{1}`` -> ``x_{1}^{+}``."""
    name = (symbol_names or {}).get(state) or sympy.latex(state)
    base, rest = _split_subscript(name)
    return f"{name}^{{+}}" if rest else f"{name}_{{k+1}}"


def name_subterms(exprs: Sequence[sympy.Expr], select, prefix: str = r"\mathcal{E}", *, start: int = 1,
                  existing: dict | None = None):
    """Replace the sub-expressions chosen by ``select`` by named symbols ``prefix_k``.

    Parameters
    ----------
    exprs : sequence of SymPy expressions
    select : callable ``atom -> bool`` applied to every sub-expression (pre-order)
    prefix : LaTeX of the name stem
    existing : dict ``{sub-expression: Symbol}`` to reuse (and extend)

    Returns
    -------
    (new_exprs, names) with ``names`` an ordered dict ``{Symbol: sub-expression}``.
    """
    table = dict(existing or {})
    count = start + len(table)
    order = []

    def visit(e):
        nonlocal count
        if select(e):
            if e not in table:
                table[e] = sympy.Symbol(f"{prefix}_{{{count}}}")
                count += 1
                order.append(e)
            return
        for a in e.args:
            if isinstance(a, sympy.Basic):
                visit(a)

    for e in exprs:
        visit(sympy.sympify(e))
    rep = {k: v for k, v in table.items()}
    new = [sympy.sympify(e).xreplace(rep) for e in exprs]
    names = {table[e]: e for e in order}
    return new, names, table


def _entry_width(e, settings) -> int:
    return L._visible_width(L.tex(e, **settings))


def matrix_display(name: str, M: sympy.MatrixBase, *, width: int = 75, settings: dict | None = None,
                   entry_name: str | None = None) -> str:
    """``name = M`` displayed whole when it fits, else by structure.

    By structure: the pattern (``*`` for a non-zero entry, ``0``) as a
    matrix of entry names ``M_{ij}``, followed by the non-zero entries, each
    broken across lines if long.  Nothing is omitted.
    """
    settings = settings or {}
    M = sympy.Matrix(M)
    rows, cols = M.shape
    col_w = [max((_entry_width(M[i, j], settings) for i in range(rows)), default=1) for j in range(cols)]
    total = sum(col_w) + 2 * cols + L._visible_width(name)
    if total <= width and rows <= 8:
        return L.equation(f"{name} = {L.tex(M, **settings)}")
    ename = entry_name or _split_subscript(name)[0]
    if rows * cols > 100:
        # very large: a count and the non-zero entries only
        pattern_tex = ""
    else:
        pat = sympy.Matrix(rows, cols, lambda i, j: sympy.Symbol(_index(ename, i, j, rows, cols))
                           if M[i, j] != 0 else sympy.S.Zero)
        pattern_tex = L.equation(f"{name} = {L.tex(pat)}")
    nz = [(i, j) for i in range(rows) for j in range(cols) if M[i, j] != 0]
    text = (f"The ${rows}\\times{cols}$ matrix ${name}$ has {len(nz)} non-zero entries"
            + (" (pattern below)" if pattern_tex else "") + "; they are listed one by one.\n")
    text += pattern_tex
    text += L.align([(_index(ename, i, j, rows, cols), M[i, j]) for i, j in nz], width=width, **settings)
    return text


def _index(base: str, i: int, j: int, rows: int, cols: int) -> str:
    sep = "" if rows < 10 and cols < 10 else ","
    return f"{base}_{{{i + 1}{sep}{j + 1}}}"


def equations(system, *, settings: dict | None = None, width: int = 75) -> str:
    r"""``align*`` of ``\dot{x} = f(x)`` (flows) or ``x_{k+1} = F(x_k)`` (maps), long sums broken."""
    from .odesystem import MapSystem

    settings = settings or {}
    names = settings.get("symbol_names", {})
    if isinstance(system, MapSystem):
        rows = [(next_name(s, names), e) for s, e in zip(system.states, system.rhs)]
    else:
        rows = [(dot_name(s, names), e) for s, e in zip(system.states, system.rhs)]
    return L.align(rows, width=width, **settings)


# ---------------------------------------------------------------------------
# the report of a user system
# ---------------------------------------------------------------------------

def _fmt_number(v, digits: int = 8) -> str:
    """LaTeX of a fixed-point coordinate: exact when short, else ``digits`` significant figures."""
    import mpmath

    if isinstance(v, (mpmath.mpf, mpmath.mpc)):
        v = sympy.sympify(v)
    v = sympy.sympify(v)
    if v.is_Float:
        return L.tex(sympy.Float(v, digits))
    s = L.tex(v)
    if L._visible_width(s) <= 24:
        return s
    n = sympy.N(v, digits)
    return L.tex(n) + r"\ (\text{approx.})"


def _eig_text(eigs, digits: int = 5) -> str:
    parts = []
    for e in eigs:
        c = complex(e)
        if abs(c.imag) <= 1e-14 * max(1.0, abs(c.real)):
            parts.append(f"{c.real:.{digits}g}")
        else:
            sign = "+" if c.imag >= 0 else "-"
            parts.append(f"{c.real:.{digits}g} {sign} {abs(c.imag):.{digits}g}\\,i")
    return ",\\ ".join(parts)


def system_report(system, params=None, *, fixed_points=None, title: str | None = None,
                  description: str | None = None, width: int = 75, **fixed_point_options) -> str:
    """A standalone LaTeX document for ``system``: equations, Jacobian, fixed points, classification, levels.

    Parameters
    ----------
    system : ODESystem or MapSystem
    params : dict ``{param Symbol: number}``, optional
        Values for every parameter (needed for the fixed points and their
        classification); without them the report stops at the symbolic
        Jacobian and says so.
    fixed_points : sequence of FixedPoint, optional
        Use these instead of calling ``system.fixed_points(params, **fixed_point_options)``.
    title : str, optional
    description : str, optional
        A sentence of plain text placed before the equations (escaped).

    Returns
    -------
    str
        LaTeX source; compiles with pdflatex.
    """
    from .odesystem import MapSystem

    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__}")
    if description is not None and not isinstance(description, str):
        raise TypeError(f"description must be a string, got {type(description).__name__}")
    is_map = isinstance(system, MapSystem)
    names = compact_names(list(system.states) + list(system.params))
    settings = {"symbol_names": names} if names else {}
    title = title or (f"{system.name}: " if system.name else "") + ("map" if is_map else "flow") + " report"
    sections = []

    # 1. model
    st = ", ".join(f"${L.tex(s, **settings)}$" for s in system.states)
    body = (escape_par(description) if description else "")
    body += (f"The {'map' if is_map else 'system'} has {system.n} state variable(s) {st}"
             + (f" and parameter(s) {', '.join(f'${L.tex(p, **settings)}$' for p in system.params)}"
                if system.params else " and no parameters") + ".\n")
    body += equations(system, settings=settings, width=width)
    if params:
        vals = {k: sympy.sympify(v) for k, v in dict(params).items()}
        body += "Parameter values used below: " + ", ".join(
            f"${L.tex(k, **settings)} = {L.tex(v)}$" for k, v in vals.items()) + ".\n"
    sections.append(("Model", body))

    # 2. Jacobian
    J = system.jacobian()
    jname = r"J" if not is_map else r"DF"
    body = ("The Jacobian $" + jname + r" = \partial f / \partial x$" + (" of the map " if is_map else " ")
            + "(exact, from the symbolic right-hand side):\n")
    body += matrix_display(jname, J, width=width, settings=settings)
    sections.append(("Jacobian", body))

    # 3. fixed points and classification
    remaining = set(system.params) - set((params or {}).keys())
    if remaining:
        body = ("No values were given for " + ", ".join(f"${L.tex(p, **settings)}$" for p in sorted(remaining, key=str))
                + "; fixed points and their stability need numeric parameters.\n")
        sections.append(("Fixed points", body))
    else:
        body, cls_rows = _fixed_point_section(system, params, fixed_points, settings, width, is_map,
                                              fixed_point_options)
        sections.append(("Fixed points", body))
        sections.append(("Classification", cls_rows))
    sections.append(("Levels", "Every verdict above states its level. " + LEVELS_TEXT + "\n"))
    return L.document(title, sections)


def sci(x: float, digits: int = 2) -> str:
    """LaTeX of a float in scientific notation: ``1.2 \\times 10^{-5}``."""
    x = float(x)
    if x == 0:
        return "0"
    mant, exp = f"{x:.{digits - 1}e}".split("e")
    exp = int(exp)
    return mant if exp == 0 else f"{mant} \\times 10^{{{exp}}}"


def escape_par(text: str) -> str:
    return L.escape(text) + "\n\n"


def _fixed_point_section(system, params, fixed_points, settings, width, is_map, options):
    if fixed_points is None:
        fixed_points = system.fixed_points(params, **options)
    fps = list(fixed_points)
    if not fps:
        return "No fixed point was found.\n", "Nothing to classify.\n"
    body = (f"{len(fps)} fixed point(s); a point is \\emph{{exact}} when found by a Gr\\\"obner basis "
            "(exact algebraic numbers), otherwise refined numerically with the residual "
            r"$\max_i |f_i|$ and, where possible, a Krawczyk box of the given radius proved to contain "
            "exactly one zero.\n")
    for k, fp in enumerate(fps, 1):
        how = "exact" if fp.exact else (f"numerical, residual ${sci(fp.residual)}$"
                                         + (f", Krawczyk radius ${sci(fp.enclosure_radius)}$"
                                            if fp.enclosure_radius else ""))
        rows = [(L.tex(s, **settings), _fmt_number(v)) for s, v in zip(system.states, fp.values)]
        body += f"\\paragraph{{Point $x^{{({k})}}$}} ({how})\n"
        body += L.align(rows, width=width)
    header = ["point", "kind", "stable", "unstable", "centre", "eigenvalues", "level"]
    trows = []
    charpolys = []
    for k, fp in enumerate(fps, 1):
        c = system.classify(fp, params)
        kind = c.kind + (f" ({c.subtype})" if c.subtype else "")
        trows.append((f"x^{{({k})}}", kind, str(c.stable_dim), str(c.unstable_dim), str(c.center_dim),
                      _eig_text(c.eigenvalues), c.level))
        if c.charpoly is not None:
            charpolys.append((k, c.charpoly))
    table = L.table(header, trows, math_columns=(0, 5), spec="llccclc")
    expl = ("Eigenvalue counts are with multiplicity; "
            + ("for a map, stable means $|\\mu| < 1$, unstable $|\\mu| > 1$, centre $|\\mu| = 1$.\n"
               if is_map else "stable means $\\operatorname{Re}\\lambda < 0$, unstable "
               "$\\operatorname{Re}\\lambda > 0$, centre $\\operatorname{Re}\\lambda = 0$.\n")
            + "Eigenvalues are floating-point approximations, for display only.\n")
    cls = expl + table
    if charpolys:
        lam = sympy.Symbol(r"\mu" if is_map else r"\lambda")
        cls += "Exact characteristic polynomials (level \\emph{proved}):\n"
        cls += L.align([(f"p_{{{k}}}({L.tex(lam)})", cp.as_expr().xreplace({cp.gen: lam}))
                        for k, cp in charpolys], width=width)
    return body, cls
