"""Building blocks for standalone LaTeX derivation documents.

Model packages assemble their documents from these pieces; every formula goes
through ``sympy.latex`` so nothing is retyped.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

import sympy

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{booktabs}
\usepackage{longtable}
\allowdisplaybreaks
"""

_SPECIALS = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def escape(text: str) -> str:
    """Escape LaTeX special characters in plain text."""
    return "".join(_SPECIALS.get(c, c) for c in str(text))


def tex(expr) -> str:
    """``sympy.latex`` of a SymPy object (plain numbers are sympified safely)."""
    if isinstance(expr, str):
        raise TypeError("tex() takes SymPy objects or numbers, not strings")
    return sympy.latex(sympy.S(expr) if not isinstance(expr, sympy.Basic) else expr)


def align(rows: Iterable[tuple[object, object]], relation: str = "=") -> str:
    """An ``align*`` environment of ``lhs relation rhs`` rows (SymPy objects or LaTeX strings)."""
    body = []
    for lhs, rhs in rows:
        l = lhs if isinstance(lhs, str) else tex(lhs)
        r = rhs if isinstance(rhs, str) else tex(rhs)
        body.append(f"{l} &{relation} {r}")
    if not body:
        return ""
    return "\\begin{align*}\n" + " \\\\\n".join(body) + "\n\\end{align*}\n"


def equation(expr_tex: str) -> str:
    return "\\[\n" + expr_tex + "\n\\]\n"


def table(header: Sequence[str], rows: Iterable[Sequence[object]], math_columns: Sequence[int] = ()) -> str:
    """A booktabs ``longtable``; cells are escaped text unless their column is in ``math_columns``."""
    header = list(header)
    spec = "l" * len(header)
    out = [f"\\begin{{longtable}}{{{spec}}}", "\\toprule", " & ".join(escape(h) for h in header) + " \\\\", "\\midrule"]
    for row in rows:
        cells = []
        for j, c in enumerate(row):
            if j in math_columns:
                cells.append("$" + (c if isinstance(c, str) else tex(c)) + "$")
            else:
                cells.append(escape(c))
        out.append(" & ".join(cells) + " \\\\")
    out += ["\\bottomrule", "\\end{longtable}", ""]
    return "\n".join(out)


def verdict_table(verdicts) -> str:
    """Table of :class:`symdyn.verdict.Verdict` objects."""
    rows = [(v.name, "pass" if v.passed else "FAIL", v.level, f"{v.seconds:.2f}") for v in verdicts]
    return table(["check", "result", "level", "seconds"], rows)


def document(title: str, sections: Sequence[tuple[str, str]], abstract: str | None = None) -> str:
    """A complete standalone document: ``sections`` are ``(heading, latex body)``."""
    parts = [PREAMBLE, f"\\title{{{escape(title)}}}", "\\date{}", "\\begin{document}", "\\maketitle"]
    if abstract:
        parts.append("\\begin{abstract}\n" + abstract + "\n\\end{abstract}")
    for heading, body in sections:
        parts.append(f"\\section{{{escape(heading)}}}\n{body}")
    parts.append("\\end{document}\n")
    return "\n".join(parts)


def pdflatex_available() -> bool:
    return shutil.which("pdflatex") is not None


def compile_pdf(tex_source: str, outdir: str | Path | None = None, name: str = "document") -> Path:
    """Compile ``tex_source`` with ``pdflatex`` (twice, for references); return the PDF path.

    Raises
    ------
    RuntimeError
        If pdflatex is missing or the compilation fails (with the log's tail).
    """
    if not pdflatex_available():
        raise RuntimeError("pdflatex not found (install texlive-latex-base and texlive-latex-recommended)")
    outdir = Path(outdir) if outdir is not None else Path(tempfile.mkdtemp(prefix="symdyn-tex-"))
    outdir.mkdir(parents=True, exist_ok=True)
    tex_path = outdir / f"{name}.tex"
    tex_path.write_text(tex_source, encoding="utf-8")
    for _ in range(2):
        proc = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex_path.name],
            cwd=outdir, capture_output=True, text=True, timeout=300,
        )
        if proc.returncode != 0:
            tail = "\n".join(proc.stdout.splitlines()[-30:])
            raise RuntimeError(f"pdflatex failed on {tex_path}:\n{tail}")
    return outdir / f"{name}.pdf"
