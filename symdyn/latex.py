r"""Building blocks for standalone LaTeX derivation documents.

Model packages assemble their documents from these pieces; every formula goes
through ``sympy.latex`` so nothing is retyped.  Long sums are broken across
lines (:func:`broken`, :func:`align`), tables guard their first cells against
LaTeX's optional-argument parsing (:func:`table`), and :func:`compile_pdf`
runs ``pdflatex`` with ``-halt-on-error`` and a short timeout.

Examples
--------
>>> import sympy
>>> from symdyn import latex
>>> x = sympy.Symbol("x")
>>> latex.tex(x**2 / 2)
'\\frac{x^{2}}{2}'
>>> print(latex.table(["a", "b"], [("[1]", "(2)")]).splitlines()[4])
{}[1] & {}(2) \\
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import sympy

__all__ = [
    "PREAMBLE", "escape", "tex", "align", "broken", "equation", "table", "verdict_table",
    "document", "pdflatex_available", "compile_pdf", "latex_log_problems", "PDFLATEX_TIMEOUT",
]

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\IfFileExists{lmodern.sty}{\usepackage{lmodern}}{}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb,amsthm}
\newtheorem{theorem}{Theorem}
\newtheorem{lemma}[theorem]{Lemma}
\newtheorem{proposition}[theorem]{Proposition}
\theoremstyle{remark}
\newtheorem{remark}[theorem]{Remark}
\usepackage{booktabs}
\usepackage{longtable}
\allowdisplaybreaks
\setlength{\emergencystretch}{2em}
"""

#: seconds one pdflatex run may take before it is stopped
PDFLATEX_TIMEOUT = 60

_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}",
}

#: end of a table row; every cell starts with ``{}``, so ``\\`` never reads the next row's ``[`` as its argument
ROW_END = " \\\\"


def escape(text: str) -> str:
    """Escape LaTeX special characters in plain text."""
    return "".join(_SPECIALS.get(c, c) for c in str(text))


def tex(expr, **settings) -> str:
    """``sympy.latex`` of a SymPy object, number or NumPy array of numbers.

    Strings are rejected (they are never parsed as mathematics), also inside
    arrays.  ``settings`` are passed to :func:`sympy.latex` (e.g.
    ``symbol_names``).

    Raises
    ------
    TypeError
        For strings or arrays holding strings / other non-numbers.
    """
    if isinstance(expr, str):
        raise TypeError("tex() takes SymPy objects or numbers, not strings")
    if isinstance(expr, np.ndarray):
        if expr.dtype.kind in "USO" and any(isinstance(v, (str, bytes, np.str_)) for v in expr.ravel()):
            raise TypeError("tex() takes arrays of numbers or SymPy objects, not strings")
        if expr.dtype.kind == "O":
            bad = [v for v in expr.ravel() if not isinstance(v, (sympy.Basic, int, float, complex, np.number))]
            if bad:
                raise TypeError(f"tex() takes arrays of numbers or SymPy objects, got {type(bad[0]).__name__}")
        elif expr.dtype.kind not in "biufc":
            raise TypeError(f"tex() takes arrays of numbers, got dtype {expr.dtype}")
        items = [v if isinstance(v, sympy.Basic) else sympy.sympify(v.item() if hasattr(v, "item") else v)
                 for v in expr.ravel()]
        if expr.ndim <= 1:
            return sympy.latex(sympy.Matrix(items), **settings)
        return sympy.latex(sympy.Matrix(expr.shape[0], int(np.prod(expr.shape[1:])), items), **settings)
    if isinstance(expr, (bytes, np.str_)):
        raise TypeError("tex() takes SymPy objects or numbers, not strings")
    if not isinstance(expr, (sympy.Basic, sympy.MatrixBase)):
        if isinstance(expr, (bool, np.bool_)) or not isinstance(expr, (int, float, complex, np.number)):
            raise TypeError(f"tex() takes SymPy objects or numbers, got {type(expr).__name__}")
        expr = sympy.sympify(expr.item() if hasattr(expr, "item") else expr)
    return sympy.latex(expr, **settings)


def _visible_width(latex_src: str) -> int:
    """Rough width (in characters) of typeset math: commands count as one glyph, fractions by their wider part."""
    s = re.sub(r"\\(left|right|big|Big|bigg|Bigg)\b", "", latex_src)
    s = re.sub(r"\\operatorname\{(\w+)\}", r"\1", s)
    s = re.sub(r"\\(mathrm|mathbb|mathcal|mathbf|text)\{([^{}]*)\}", r"\2", s)

    def frac(m):
        a, b = m.group(1), m.group(2)
        return "F" * max(_visible_width(a), _visible_width(b))

    prev = None
    while prev != s:
        prev = s
        s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", frac, s)
    s = re.sub(r"[_^]\{([^{}]*)\}", lambda m: "s" * max(1, (len(m.group(1)) + 1) // 2), s)
    s = re.sub(r"\\[A-Za-z]+", "c", s)
    s = s.replace("{", "").replace("}", "").replace(" ", "")
    return len(s)


def _terms(expr) -> list:
    """Terms of a sum in SymPy's printing order."""
    if isinstance(expr, sympy.Add):
        from sympy.printing.latex import LatexPrinter

        return list(LatexPrinter()._as_ordered_terms(expr))
    return [expr]


def broken(expr, width: int = 70, **settings) -> list:
    """Lines of the LaTeX of ``expr``: a sum is split between terms so that each line is at most ``width`` glyphs.

    Returns a list of LaTeX strings; every line after the first starts with
    its sign (``+`` or ``-``).  A single term wider than ``width`` stays on
    one line (name its sub-terms first).
    """
    if isinstance(expr, str):
        return [expr]
    expr = sympy.sympify(expr) if not isinstance(expr, sympy.Basic) else expr
    terms = _terms(expr)
    if len(terms) == 1:
        return [tex(expr, **settings)]
    pieces = []
    for i, t in enumerate(terms):
        s = tex(t, **settings)
        if s.startswith("-"):
            sign, body = "-", s[1:].lstrip()
        else:
            sign, body = "+", s
        pieces.append((sign, body))
    lines, cur, cur_w = [], "", 0
    for i, (sign, body) in enumerate(pieces):
        piece = (("- " if sign == "-" else "") + body) if i == 0 else f" {sign} {body}"
        w = _visible_width(piece)
        if cur and cur_w + w > width:
            lines.append(cur)
            cur, cur_w = f"{sign} {body}", w
        else:
            cur, cur_w = cur + piece, cur_w + w
    lines.append(cur)
    return lines


def align(rows: Iterable[tuple[object, object]], relation: str = "=", *, width: int = 70, **settings) -> str:
    """An ``align*`` environment of ``lhs relation rhs`` rows (SymPy objects or LaTeX strings).

    SymPy right-hand sides that are long sums are broken across lines
    (continuation lines indented by ``\\quad``).
    """
    body = []
    for lhs, rhs in rows:
        l = lhs if isinstance(lhs, str) else tex(lhs, **settings)
        if isinstance(rhs, str):
            lines = [rhs]
        else:
            lines = broken(rhs, max(20, width - _visible_width(l)), **settings)
        body.append(f"{l} &{relation} {lines[0]}")
        body.extend(f"&\\quad {line}" for line in lines[1:])
    if not body:
        return ""
    return "\\begin{align*}\n" + " \\\\\n".join(body) + "\n\\end{align*}\n"


def equation(expr_tex: str) -> str:
    """A displayed (unnumbered) formula."""
    return "\\[\n" + expr_tex + "\n\\]\n"


def _cell(c, math: bool) -> str:
    if math:
        return "{}$" + (c if isinstance(c, str) else tex(c)) + "$"
    # ``{}`` first: a cell beginning with ``[`` or ``(`` or ``*`` is never read as an optional argument
    return "{}" + escape(c)


def table(header: Sequence[str], rows: Iterable[Sequence[object]], math_columns: Sequence[int] = (),
          *, spec: str | None = None) -> str:
    """A booktabs ``longtable``; cells are escaped text unless their column is in ``math_columns``.

    Each cell starts with ``{}``, so a
    cell text beginning with ``[``, ``(`` or ``*`` is printed as it is
    (``\\\\`` and ``\\midrule`` would otherwise read it as an optional
    argument).  Math cells are LaTeX strings or SymPy objects.
    """
    header = list(header)
    spec = spec or "l" * len(header)
    out = [f"\\begin{{longtable}}{{{spec}}}", "\\toprule",
           " & ".join(_cell(h, False) for h in header) + ROW_END, "\\midrule"]
    for row in rows:
        row = list(row)
        if len(row) != len(header):
            raise ValueError(f"table row has {len(row)} cells, the header {len(header)}")
        out.append(" & ".join(_cell(c, j in math_columns) for j, c in enumerate(row)) + ROW_END)
    out += ["\\bottomrule", "\\end{longtable}", ""]
    return "\n".join(out)


def verdict_table(verdicts) -> str:
    """Table of :class:`symdyn.verdict.Verdict` objects (name, result, level, seconds)."""
    rows = [(v.name, "pass" if v.passed else "FAIL", v.level, f"{v.seconds:.2f}") for v in verdicts]
    return table(["check", "result", "level", "seconds"], rows)


def document(title: str, sections: Sequence[tuple[str, str]], abstract: str | None = None) -> str:
    """A complete standalone document: ``sections`` are ``(heading, latex body)``.

    Headings are plain text (escaped); a heading may contain math in ``$...$``
    when given as ``("$...$ text", body)`` -- dollar signs are kept.
    """
    parts = [PREAMBLE, f"\\title{{{escape(title)}}}", "\\date{}", "\\begin{document}", "\\maketitle"]
    if abstract:
        parts.append("\\begin{abstract}\n" + abstract + "\n\\end{abstract}")
    for heading, body in sections:
        parts.append(f"\\section{{{_heading(heading)}}}\n{body}")
    parts.append("\\end{document}\n")
    return "\n".join(parts)


def _heading(text: str) -> str:
    pieces = str(text).split("$")
    return "".join(escape(p) if i % 2 == 0 else f"${p}$" for i, p in enumerate(pieces))


def pdflatex_available() -> bool:
    return shutil.which("pdflatex") is not None


def compile_pdf(tex_source: str, outdir: str | Path | None = None, name: str = "document", *,
                runs: int = 2, timeout: float = PDFLATEX_TIMEOUT) -> Path:
    """Compile ``tex_source`` with ``pdflatex`` (``runs`` times, for references); return the PDF path.

    pdflatex runs with ``-halt-on-error -interaction=nonstopmode`` and stops
    after ``timeout`` seconds per run.

    Raises
    ------
    RuntimeError
        If pdflatex is missing, times out or fails (with the log's tail).
    """
    if not pdflatex_available():
        raise RuntimeError("pdflatex not found (install texlive-latex-base and texlive-latex-recommended)")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ValueError(f"name must be a plain file stem (letters, digits, _ . -), got {name!r}")
    outdir = Path(outdir) if outdir is not None else Path(tempfile.mkdtemp(prefix="symdyn-tex-"))
    outdir.mkdir(parents=True, exist_ok=True)
    tex_path = outdir / f"{name}.tex"
    tex_path.write_text(tex_source, encoding="utf-8")
    for _ in range(max(1, int(runs))):
        try:
            proc = subprocess.run(
                ["pdflatex", "-halt-on-error", "-interaction=nonstopmode", "-no-shell-escape", tex_path.name],
                cwd=outdir, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                errors="replace",
            )
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"pdflatex did not finish within {timeout:g} s on {tex_path}") from None
        if proc.returncode != 0:
            tail = "\n".join(proc.stdout.splitlines()[-30:])
            raise RuntimeError(f"pdflatex failed on {tex_path}:\n{tail}")
    return outdir / f"{name}.pdf"


def latex_log_problems(log_text: str, *, max_overfull_pt: float = 10.0) -> dict:
    """Problems in a pdflatex log: overfull boxes wider than ``max_overfull_pt`` and undefined commands.

    Returns ``{'overfull': [widths in pt], 'worst_overfull': float, 'undefined': [lines], 'bad': bool}``.
    """
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log_text)]
    undefined = [ln for ln in log_text.splitlines() if "Undefined control sequence" in ln]
    too_wide = [w for w in widths if w > max_overfull_pt]
    return {"overfull": widths, "worst_overfull": max(widths, default=0.0), "undefined": undefined,
            "bad": bool(too_wide or undefined)}
