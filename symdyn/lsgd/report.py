r"""The LSGD derivation as a paper appendix, for one ``n``: notation, exact computation, general-``n`` proof.

Every formula is produced by ``sympy.latex`` (or assembled from exact
``fmpq`` data) from the objects the proofs use; nothing is retyped.  Large
objects are shown by their structure, never cut or silently dropped:

* a matrix with more than :data:`FULL_MATRIX_MAX` rows or columns is described
  exactly by its structure -- circulant (row 0 listed), diagonal or banded
  (each diagonal run-length encoded), or column by column -- and every
  structural claim is checked on the matrix itself;
* a factor of the characteristic polynomial is broken across lines, or, when it
  would need more than :data:`POLY_MAX_GLYPHS` glyphs, shown by its degree,
  leading and trailing terms and coefficient size, with a sentence saying so.

The general-``n`` theorem and proof come from
:func:`symdyn.lsgd.wholeclass.whole_class_theorem`.
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy
from flint import fmpq, fmpq_mat, fmpq_poly

from .. import latex as L
from .._validation import check_int
from ._exact import sturm_counts
from .attraction import eigenvalue_counts
from .matrices import antisymmetric_basis, canonical_b, diagonal_matrix, iteration_matrix, symmetric_basis
from .robust import certified_upper_bound, robust_dimension
from .wholeclass import MAX_CONVERSE_N, check_n, whole_class_theorem

__all__ = ["to_sympy", "lsgd_document", "fact_latex", "FULL_MATRIX_MAX", "POLY_MAX_GLYPHS"]

#: matrices with at most this many rows and columns are printed in full
FULL_MATRIX_MAX = 10

#: a polynomial factor wider than this (in glyphs, about ten display lines) is summarised
POLY_MAX_GLYPHS = 720

#: width (glyphs) of one displayed line
_LINE = 66

_SIGMA, _LAM = sympy.symbols("sigma lambda")

#: LaTeX statements of the exact facts returned by :mod:`symdyn.lsgd.robust` (keys are its plain-text names)
_FACT_TEX = {
    "B has exactly one negative and no zero eigenvalue":
        r"$B$ has exactly one negative and no zero eigenvalue",
    "-L is positive semidefinite (so A_sigma >= I for all sigma >= 0)":
        r"$-L \succeq 0$, so $A_\sigma \succeq I$ for all $\sigma \ge 0$",
    "2I - eta B is positive definite": r"$2I - \eta B \succ 0$",
    "R B = B R": r"$RB = BR$",
    "R L = L R (so R commutes with every A_sigma)": r"$RL = LR$, so $R$ commutes with every $A_\sigma$",
    "B positive definite on S_a": r"$Q_a^\top B Q_a \succ 0$ ($B$ is positive definite on $S_a$)",
    "2I - eta B positive definite on S_a":
        r"$Q_a^\top (2I - \eta B) Q_a \succ 0$ ($2I - \eta B$ is positive definite on $S_a$)",
    "B = diag(b0, c, ..., c) with b0 < 0 < c": r"$B = \operatorname{diag}(b_0, c, \dots, c)$ with $b_0 < 0 < c$",
    "at least m = floor(n/2)+1 distinct sigma_i > 0":
        r"at least $m = \lfloor n/2 \rfloor + 1$ distinct $\sigma_i > 0$ are used",
}
_DET_FACT = re.compile(r"det of the (\d+) stacked eigenvectors excludes 0")


def fact_latex(key: str, strict: bool = False) -> str:
    """LaTeX statement (math in math mode) of a named exact fact of :mod:`symdyn.lsgd.robust`.

    Unknown names are escaped as text, or raise ``KeyError`` when ``strict``.

    >>> fact_latex("R B = B R")
    '$RB = BR$'
    """
    if key in _FACT_TEX:
        return _FACT_TEX[key]
    m = _DET_FACT.fullmatch(key)
    if m:
        return rf"the determinant of the ${m.group(1)}$ stacked eigenvectors excludes $0$"
    if strict:
        raise KeyError(key)
    return L.escape(key)


def to_sympy(M) -> sympy.Matrix:
    """``fmpq_mat`` -> ``sympy.Matrix`` of Rationals."""
    return sympy.Matrix(M.nrows(), M.ncols(),
                        lambda i, j: sympy.Rational(int(M[i, j].p), int(M[i, j].q)))


def _q(x) -> sympy.Rational:
    x = Fraction(x) if not isinstance(x, fmpq) else Fraction(int(x.p), int(x.q))
    return sympy.Rational(x.numerator, x.denominator)


def _laplacian_sym(n: int) -> sympy.Matrix:
    Lm = sympy.zeros(n, n)
    for i in range(n):
        Lm[i, i] += -2
        Lm[i, (i + 1) % n] += 1
        Lm[i, (i - 1) % n] += 1
    return Lm


# --------------------------------------------------------------------------- structure of large objects
def _math_table(header: list, rows: list, spec: str | None = None) -> str:
    """A booktabs ``longtable`` whose cells are LaTeX already (each starts with ``{}``)."""
    spec = spec or "l" * len(header)
    if len(rows) <= 12:  # short tables stay in one piece (longer ones may break across pages)
        out = [f"\\begin{{center}}\\begin{{tabular}}{{{spec}}}", "\\toprule",
               " & ".join("{}" + h for h in header) + L.ROW_END, "\\midrule"]
        out += [" & ".join("{}" + c for c in r) + L.ROW_END for r in rows]
        return "\n".join(out + ["\\bottomrule", "\\end{tabular}\\end{center}", ""])
    out = [f"\\begin{{longtable}}{{{spec}}}", "\\toprule", " & ".join("{}" + h for h in header) + L.ROW_END,
           "\\midrule"]
    out.append("\\endhead")  # the header is repeated on every page of the table
    out += [" & ".join("{}" + c for c in r) + L.ROW_END for r in rows]
    out += ["\\bottomrule", "\\end{longtable}", ""]
    return "\n".join(out)


def _rle(values) -> str:
    """Run-length encoded list of SymPy values: ``a, b\\ (\\times 14), c``."""
    runs = []
    for v in values:
        if runs and sympy.expand(runs[-1][0] - v) == 0:
            runs[-1][1] += 1
        else:
            runs.append([v, 1])
    parts = [L.tex(v) + (rf"\ (\times {c})" if c > 1 else "") for v, c in runs]
    return ",\\ ".join(parts)


def _is_circulant(M: sympy.Matrix) -> bool:
    n = M.rows
    return M.rows == M.cols and all(sympy.expand(M[i, j] - M[0, (j - i) % n]) == 0
                                    for i in range(n) for j in range(n))


def _bandwidth(M: sympy.Matrix) -> int:
    return max((abs(i - j) for i in range(M.rows) for j in range(M.cols) if M[i, j] != 0), default=0)


def _vector_tex(col) -> str:
    """``sum_i v_i e_i`` for a column with few non-zero entries, in index order."""
    e = sympy.IndexedBase("e")
    out = ""
    for i in range(len(col)):
        if col[i] == 0:
            continue
        t = L.tex(abs(col[i]) * e[i])
        sign = "-" if col[i] < 0 else "+"
        out += (("-" if sign == "-" else "") + t) if not out else f" {sign} {t}"
    return out or "0"


def _matrices_tex(pairs) -> str:
    """``(name, M)`` pairs: consecutive small matrices in one ``align*``, large ones by structure."""
    out, run = [], []
    for name, M in pairs:
        if max(M.rows, M.cols) <= FULL_MATRIX_MAX:
            run.append((name, M))
            continue
        if run:
            out.append(L.align(run))
            run = []
        out.append(_matrix_tex(name, M))
    if run:
        out.append(L.align(run))
    return "\n".join(out)


def _matrix_tex(name: str, M: sympy.Matrix) -> str:
    """``M`` in full if small, else exactly by its (checked) structure."""
    if max(M.rows, M.cols) <= FULL_MATRIX_MAX:
        return L.align([(name, M)])
    shape = rf"${M.rows} \times {M.cols}$"
    w = _bandwidth(M)
    if M.rows == M.cols and w > 0 and _is_circulant(M):
        n = M.rows
        entries = ",\\ ".join(rf"({name})_{{0,{j}}} = {L.tex(M[0, j])}" for j in range(n) if M[0, j] != 0)
        return (f"${name}$ is the {shape} circulant matrix (checked entrywise: "
                f"$({name})_{{ij}} = ({name})_{{0,\\,j-i \\bmod {n}}}$) whose row $0$ has the non-zero entries "
                f"${entries}$; all other entries of row $0$ are $0$.\n\n")
    if M.rows == M.cols:
        sym = M == M.T
        kind = "diagonal" if w == 0 else (f"symmetric banded (bandwidth ${w}$)" if sym else f"banded (bandwidth ${w}$)")
        lines = []
        for d in range(0 if sym else -w, w + 1):
            diag = [M[i, i + d] for i in range(max(0, -d), min(M.rows, M.cols - d))]
            label = "main diagonal" if d == 0 else f"diagonal ${d:+d}$"
            lines.append(f"\\item {label}: ${_rle(diag)}$")
        return (f"${name}$ is {shape} and {kind}; its entries, listed along the diagonals"
                f"{' (the lower ones by symmetry)' if sym and w else ''} with repeated runs written "
                f"$v\\ (\\times r)$:\n\\begin{{itemize}}\n" + "\n".join(lines) + "\n\\end{itemize}\n")
    cols = ", ".join(f"${_vector_tex(M[:, c])}$" for c in range(M.cols))
    return f"${name}$ is {shape}; its columns, in order: {cols}.\n\n"


def _poly_sympy(p: fmpq_poly):
    return sum((_q(c) * _LAM**i for i, c in enumerate(p.coeffs())), sympy.Integer(0))


def _poly_width(p: fmpq_poly) -> int:
    return sum(L._visible_width(x) for x in L.broken(_poly_sympy(p), _LINE))


def _factor_tex(name: str, p: fmpq_poly) -> str:
    """``name = p`` broken across lines, or its degree, outer terms and coefficient size if too long."""
    expr = _poly_sympy(p)
    lines = L.broken(expr, _LINE)
    if sum(L._visible_width(x) for x in lines) <= POLY_MAX_GLYPHS:
        return L.align([(name, expr)], width=_LINE + 8)
    terms = L._terms(expr)
    head = L.tex(terms[0] + terms[1])
    tail = L.tex(terms[-1])
    digits = max(len(str(abs(int(c.p)))) for c in p.coeffs())
    return (L.equation(f"{name} = {head} + \\cdots {'-' if tail.startswith('-') else '+'} {tail.lstrip('-')}")
            + f"(degree ${p.degree()}$, ${len([c for c in p.coeffs() if c != 0])}$ non-zero integer coefficients of "
            f"up to ${digits}$ digits; printed in full it would take about "
            f"${sum(L._visible_width(x) for x in lines) // _LINE}$ lines, so only its leading and trailing terms are "
            "shown; the root counts in the table are those of the full polynomial.)\n\n")


# --------------------------------------------------------------------------- sections
def _notation(n: int, b: list, eta) -> str:
    Lm = _laplacian_sym(n)
    x = sympy.IndexedBase("x")
    j, k, nn = sympy.symbols("j k n", integer=True)
    offsets = range(-((n - 1) // 2), n // 2 + 1)
    stencil = sum((Lm[0, d % n] * x[j + d] for d in offsets if Lm[0, d % n] != 0), sympy.Integer(0))
    spec = sympy.fu(1 - _SIGMA * sum((Lm[0, d % n] * sympy.cos(2 * sympy.pi * d * k / nn) for d in offsets
                                      if Lm[0, d % n] != 0), sympy.Integer(0))) if n >= 3 else None
    body = [
        r"Vectors $x \in \mathbb{R}^n$ are indexed by $j \in \mathbb{Z}/n$ ($x_{-j} = x_{n-j}$); "
        r"$e_j$ is the $j$-th unit vector and $v[j]$ the $j$-th entry of a vector $v$.",
        r"\paragraph{Laplacian smoothing.} $L$ is the periodic discrete Laplacian, "
        rf"$(Lx)_j = {L.tex(stencil)}$, and $K = -L \succeq 0$. The smoothing matrix is "
        r"$A_\sigma = I - \sigma L$ ($\sigma \ge 0$)"
        + (rf", symmetric positive definite with eigenvalues ${L.tex(spec)}$, $k = 0, \dots, n-1$ "
           r"(the circulant's eigenvalues). " if spec is not None else ". ")
        + r"LSGD with step $\eta > 0$ on $f(x) = \tfrac12 x^\top B x$ is $x_{t+1} = x_t - \eta A_\sigma^{-1}\nabla f(x_t)"
        r" = T(\sigma)\,x_t$ with the \emph{iteration matrix} $T(\sigma) = I - \eta A_\sigma^{-1} B$; $\sigma = 0$ is GD.",
        r"\paragraph{The saddle.} $B = \operatorname{diag}(b_0, \dots, b_{n-1})$ has exactly one negative entry "
        r"$b_0$, the others are positive, and $0 < \eta \max_j b_j < 2$. The profile is \emph{reflection-symmetric} "
        r"if $b_j = b_{-j}$ for all $j$ (the canonical class). This document computes the example "
        rf"$b_0 = {L.tex(_q(b[0]))}$, $b_j = {L.tex(_q(b[1]))}$ ($j \ne 0$), $\eta = {L.tex(_q(eta))}$, $n = {n}$.",
        r"\paragraph{Spectra.} The \emph{generalised eigenvalues} of the pencil $(B, A_\sigma)$ are the $\mu$ with "
        r"$Bu = \mu A_\sigma u$, $u \ne 0$ (the spectrum of $A_\sigma^{-1}B$); the eigenvalues of $T(\sigma)$ are "
        r"$\lambda = 1 - \eta\mu$. Section~\ref{sec:counts} shows that exactly one of them is negative; we call it "
        r"$\mu(\sigma)$, its eigenvector $u(\sigma)$ (normalised by $u(\sigma)[0] = 1$) and $w(\sigma) = B u(\sigma)$ "
        r"the \emph{normal}. Near $\sigma = 0$ both are analytic: $\mu(\sigma) = \sum_{a \ge 0} \mu_a \sigma^a$ and "
        r"$u(\sigma) = \sum_{k \ge 0} u_k \sigma^k$, with Taylor coefficients $\mu_a \in \mathbb{R}$ "
        r"($\mu_0 = b_0$) and $u_k \in \mathbb{R}^n$ ($u_0 = e_0$).",
        r"\paragraph{Attraction regions.} For a fixed $\sigma$ the attraction region of the saddle $0$ is the stable "
        r"subspace $E_s(T(\sigma))$, spanned by the (generalised) eigenvectors of $T(\sigma)$ with $|\lambda| < 1$. "
        r"The \emph{$\sigma$-robust region} is $E_{\mathrm{rob}} = \bigcap_{\sigma \ge 0} E_s(T(\sigma))$: the initial "
        r"points attracted to the saddle for every smoothing parameter.",
        r"\paragraph{Reflection and invariant subspaces.} $(Rv)_j = v_{-j}$. The symmetric subspace "
        r"$S_s = \{v : Rv = v\}$ has dimension $m = \lfloor n/2 \rfloor + 1$ and the rational basis $Q_s$ with "
        r"columns $e_0$, $e_j + e_{-j}$ ($0 < j < n/2$) and, for even $n$, $e_{n/2}$; the antisymmetric subspace "
        r"$S_a = \{v : Rv = -v\}$ has dimension $\lfloor (n-1)/2 \rfloor$ and the basis $Q_a$ with columns "
        r"$e_j - e_{-j}$ ($1 \le j \le \lfloor (n-1)/2 \rfloor$). $\mathbb{R}^n = S_s \oplus S_a$ orthogonally.",
        r"\paragraph{Levels.} \emph{Proved}: exact arithmetic over $\mathbb{Q}$ (inertia, Sturm sequences, symbolic "
        r"computation) or a symbolic argument; \emph{certified}: rigorous interval enclosures (arb).",
    ]
    return "\n\n".join(body) + "\n"


def _reflection_basis_columns(n: int, sign: int) -> list:
    """The documented columns of ``Q_s`` (``sign = +1``) or ``Q_a`` (``sign = -1``) as ``{row: value}`` dicts."""
    if sign > 0:
        return [{0: 1}] + [{j: 1, n - j: 1} for j in range(1, (n + 1) // 2)] + ([{n // 2: 1}] if n % 2 == 0 else [])
    return [{j: 1, n - j: -1} for j in range(1, (n - 1) // 2 + 1)]


def _reflection_basis_tex(name: str, Q: sympy.Matrix, sign: int) -> str:
    """Closed description of the basis ``Q`` of ``S_s`` / ``S_a``, checked column by column against ``Q`` itself.

    Raises ``ArithmeticError`` if a column of ``Q`` differs from the stated formula.
    """
    n = Q.rows
    expected = _reflection_basis_columns(n, sign)
    if Q.cols != len(expected):
        raise ArithmeticError(f"{name} has {Q.cols} columns, the formula gives {len(expected)}")
    for c, col in enumerate(expected):
        if any(Q[i, c] != col.get(i, 0) for i in range(n)):
            raise ArithmeticError(f"column {c} of {name} is not the stated basis vector")
    if not expected:
        return ""
    op = "+" if sign > 0 else "-"
    k = (n - 1) // 2
    q = "q^{s}" if sign > 0 else "q^{a}"
    shape = rf"${n} \times {Q.cols}$"
    examples = [rf"{q}_{{{j}}} = e_{{{j}}} {op} e_{{{n - j}}}" for j in sorted({1, 2, k}) if 1 <= j <= k]
    listed = ",\\ ".join(examples[:2]) + (r",\ \dots,\ " + examples[-1] if len(examples) > 2 else "")
    if sign > 0:
        cols = (rf"columns $j = 0, \dots, {Q.cols - 1}$ are ${q}_0 = e_0$, ${q}_j = e_j + e_{{{n}-j}}$ "
                rf"($1 \le j \le {k}$)" + (rf" and ${q}_{{{n // 2}}} = e_{{{n // 2}}}$" if n % 2 == 0 else ""))
    else:
        cols = rf"columns $j = 1, \dots, {k}$ are ${q}_j = e_j - e_{{{n}-j}}$"
    return (rf"${name}$ is {shape}; its {cols}, that is ${listed}$ "
            r"(every column checked entrywise against the basis matrix used in the computation)." + "\n\n")


def _matrices(n: int, b: list) -> str:
    Lm = _laplacian_sym(n)
    A = (sympy.eye(n) - _SIGMA * Lm).applyfunc(sympy.expand)
    Bm = to_sympy(diagonal_matrix(b))
    Qs, Qa = to_sympy(symmetric_basis(n)), to_sympy(antisymmetric_basis(n))
    full = n <= FULL_MATRIX_MAX
    body = [(rf"For $n = {n}$ the matrices are printed in full." if full else
             rf"For $n = {n} > {FULL_MATRIX_MAX}$ every matrix is described exactly by its structure; each "
             r"structural statement (circulant, banded, diagonal) is checked on the matrix itself.") + "\n"]
    body.append(_matrices_tex([("L", Lm), ("A_\\sigma", A), ("B", Bm)]))
    body.append(r"\paragraph{Block structure.} $R$ commutes with $B$ (the profile is reflection-symmetric) and with "
                r"$L$, hence with every $A_\sigma$, so $S_s$ and $S_a$ are invariant under $A_\sigma$, $B$ and "
                r"$T(\sigma)$ for every $\sigma$. In the bases $Q_s$, $Q_a$:" + "\n")
    if not full:
        body.append(_reflection_basis_tex("Q_s", Qs, +1) + _reflection_basis_tex("Q_a", Qa, -1))
    pairs = ([("Q_s", Qs)] if full else []) + [("Q_s^\\top A_\\sigma Q_s", (Qs.T * A * Qs).applyfunc(sympy.expand)),
             ("Q_s^\\top B Q_s", Qs.T * Bm * Qs)]
    if Qa.shape[1]:
        pairs += ([("Q_a", Qa)] if full else []) + [("Q_a^\\top A_\\sigma Q_a", (Qa.T * A * Qa).applyfunc(sympy.expand)),
                  ("Q_a^\\top B Q_a", Qa.T * Bm * Qa)]
    body.append(_matrices_tex(pairs))
    if not Qa.shape[1]:
        body.append(r"$S_a = \{0\}$ for $n = 2$.")
    cross = (Qs.T * A * Qa).applyfunc(sympy.expand) if Qa.shape[1] else sympy.zeros(1, 1)
    if any(v != 0 for v in cross):  # pragma: no cover - R commutes with L
        raise ArithmeticError("Q_s^T A Q_a is not zero")
    body.append(r"and $Q_s^\top A_\sigma Q_a = 0$, $Q_s^\top B Q_a = 0$ (computed).")
    return "\n".join(body) + "\n"


def _restriction(T: fmpq_mat, Q: fmpq_mat) -> fmpq_mat:
    """Matrix of ``T`` on the invariant subspace spanned by the columns of ``Q`` (orthogonal columns)."""
    G = Q.transpose() * Q
    return G.solve(Q.transpose() * T * Q)


def _factored_counts(p: fmpq_poly) -> tuple:
    """``(inside, on, outside)`` roots of a real-rooted ``p``: Sturm counts of each irreducible factor, with multiplicity.

    Same answer as :func:`sturm_counts` on ``p`` itself; the factors have much smaller degree.
    """
    _, factors = p.factor()
    tot = [0, 0, 0]
    for f, k in factors:
        for i, c in enumerate(sturm_counts(f)):
            tot[i] += k * c
    return tuple(tot)


def _counts(n: int, b: list, eta, sample_sigma) -> str:
    e = _q(eta)
    body = [
        r"\paragraph{The inertia argument.} $A_\sigma^{-1}B$ is similar to the symmetric matrix "
        r"$A_\sigma^{-1/2} B A_\sigma^{-1/2}$, which is congruent to $B$; so the spectrum of $T(\sigma)$ is real and, "
        r"with $\lambda = 1 - \eta\mu$, $|\lambda| < 1$ iff $0 < \mu < 2/\eta$. By Sylvester's law of inertia "
        r"applied to the congruences $A_\sigma^{-1/2}(B - tA_\sigma)A_\sigma^{-1/2}$, the number of generalised "
        r"eigenvalues $\mu < 0$ is the number of negative eigenvalues of $B$, and the number with $\mu > 2/\eta$ is "
        r"the number of positive eigenvalues of $\eta B - 2A_\sigma$ (equalities give the zero counts). Hence "
        r"\[ \#\{|\lambda| > 1\} = \operatorname{neg}(B) + \operatorname{pos}(\eta B - 2A_\sigma), \qquad "
        r"\#\{|\lambda| = 1\} = \operatorname{zero}(B) + \operatorname{zero}(\eta B - 2A_\sigma), \]"
        r"and both inertias are computed exactly by an $LDL^\top$ factorisation over $\mathbb{Q}$. As a second, "
        r"independent exact route the same counts are read off the exact characteristic polynomial of $T(\sigma)$, factored over $\mathbb{Q}$, by "
        r"Sturm sequences on $(-1, 1)$ with exact tests at $\pm 1$ (valid because the spectrum is real).",
    ]
    rows = []
    for s in (Fraction(0), Fraction(1, 4), Fraction(1), Fraction(4)):
        c = eigenvalue_counts(b, eta, s)
        c2 = _factored_counts(iteration_matrix(b, eta, s).charpoly())
        rows.append([f"${L.tex(_q(s))}$", f"${c.inside}$", f"${c.on}$", f"${c.outside}$",
                     "agree" if tuple(c) == tuple(c2) else "DISAGREE", "proved"])
    body.append(rf"Counts of the eigenvalues of $T(\sigma)$ for $n = {n}$, $\eta = {L.tex(e)}$:" + "\n\n")
    body.append(_math_table([r"$\sigma$", r"$|\lambda| < 1$", r"$|\lambda| = 1$", r"$|\lambda| > 1$",
                             "Sturm route", "level"], rows))
    body.append(r"So for every fixed $\sigma$ the saddle has exactly one unstable direction and "
                rf"$\dim E_s(T(\sigma)) = n - 1 = {n - 1}$: smoothing with a fixed $\sigma$ does not shrink the "
                r"attraction region.")

    # characteristic polynomial at one sample point, split by the invariant subspaces
    T = iteration_matrix(b, eta, sample_sigma)
    p = T.charpoly()
    content, factors = p.factor()
    prod = fmpq_poly([content])
    for f, k in factors:
        prod *= f**k
    if prod != p:  # pragma: no cover - flint's factorisation is exact
        raise ArithmeticError("factorisation does not reproduce the characteristic polynomial")
    Qs, Qa = symmetric_basis(n), antisymmetric_basis(n)
    ps = _restriction(T, Qs).charpoly()
    pa = _restriction(T, Qa).charpoly() if Qa.ncols() else fmpq_poly([1])
    if ps * pa != p:  # pragma: no cover - S_s + S_a = R^n
        raise ArithmeticError("block characteristic polynomials do not multiply to the full one")
    s_tex = L.tex(_q(sample_sigma))
    body.append(rf"\paragraph{{Characteristic polynomial.}} At $\eta = {L.tex(e)}$, $\sigma = {s_tex}$ the "
                r"characteristic polynomial of $T(\sigma)$ (computed exactly) factors over $\mathbb{Q}$ as" + "\n")
    prod_tex = " ".join(f"f_{{{i + 1}}}(\\lambda)" + (f"^{{{k}}}" if k > 1 else "") for i, (f, k) in enumerate(factors))
    body.append(L.equation(f"\\det(\\lambda I - T(\\sigma)) = {L.tex(_q(content))}\\, {prod_tex}"))
    body.append(r"with the irreducible integer polynomials below. Each factor divides the characteristic "
                r"polynomial of $T(\sigma)$ restricted to $S_s$ or to $S_a$ (whose product is the full one, "
                r"checked); its roots are counted by Sturm sequences:" + "\n\n")
    per_factor = [sturm_counts(f) for f, _k in factors]
    rows = []
    for i, (f, k) in enumerate(factors):
        blocks = [name for name, q in (("S_s", ps), ("S_a", pa)) if q.degree() > 0 and (q % f) == 0]
        ins, on, out = per_factor[i]
        rows.append([f"$f_{{{i + 1}}}$", f"${f.degree()}$", f"${k}$", ", ".join(f"${x}$" for x in blocks),
                     f"${ins}$", f"${on}$", f"${out}$"])
    body.append(_math_table(["factor", "degree", "multiplicity", "block", r"roots in $(-1,1)$", r"at $\pm 1$",
                             "outside"], rows))
    short = []
    for i, (f, _k) in enumerate(factors):
        name = f"f_{{{i + 1}}}(\\lambda)"
        if _poly_width(f) <= POLY_MAX_GLYPHS:
            short.append((name, _poly_sympy(f)))
            continue
        if short:
            body.append(L.align(short, width=_LINE + 8))
            short = []
        body.append(_factor_tex(name, f))
    if short:
        body.append(L.align(short, width=_LINE + 8))
    unstable = [i + 1 for i in range(len(factors)) if per_factor[i][2]]
    in_sa = all(per_factor[i][0] == f.degree() for i, (f, _k) in enumerate(factors) if pa.degree() > 0 and pa % f == 0)
    body.append(rf"The unstable root is a root of $f_{{{unstable[0]}}}$, which belongs to the symmetric block; "
                if len(unstable) == 1 else "")
    if Qa.ncols():
        body.append(r"every factor of the antisymmetric block has all its roots in $(-1, 1)$." if in_sa else
                    r"the antisymmetric block has roots on or outside the unit circle.")
    return "\n".join(body) + "\n"


def _robust(n: int, b: list, eta) -> str:
    r = robust_dimension(b, eta)
    m = n // 2 + 1
    body = [rf"\paragraph{{Lower bound $\dim E_{{\mathrm{{rob}}}} \ge {r.lower.dim}$}} (level: proved). "
            r"The following facts are checked exactly over $\mathbb{Q}$; together they show that $S_a$ is invariant "
            r"under every $T(\sigma)$ and that $T(\sigma)$ restricted to $S_a$ is stable for every $\sigma \ge 0$ "
            r"($S_a \subseteq E_s(T(\sigma))$), so $S_a \subseteq E_{\mathrm{rob}}$:" + "\n\\begin{itemize}"]
    body += [f"\\item {fact_latex(k)}: {'true' if v else 'FALSE'}" for k, v in r.lower.facts.items()]
    body.append("\\end{itemize}")
    ub = r.upper
    body.append(rf"\paragraph{{Upper bound $\dim E_{{\mathrm{{rob}}}} \le {ub.dim}$}} (method: {ub.method}, "
                rf"level: {ub.level}). Hypotheses, checked exactly:" + "\n\\begin{itemize}")
    body += [f"\\item {fact_latex(k)}: {'true' if v else 'FALSE'}" for k, v in ub.facts.items()]
    body.append("\\end{itemize}")
    if ub.method == "structural":
        body.append(
            r"Argument for $B = \operatorname{diag}(b_0, c, \dots, c)$: let $\varphi_k$ ($k < m$) be the cosine basis "
            r"of $S_s$, $A_\sigma\varphi_k = (1 + \sigma s_k)\varphi_k$ with $s_k = 4\sin^2(\pi k/n)$ strictly "
            r"increasing in $k$. From $B = cI + (b_0 - c)e_0e_0^\top$, $(cI - \mu(\sigma)A_\sigma)u(\sigma) = "
            r"(c - b_0)e_0$ with $cI - \mu(\sigma) A_\sigma \succ 0$, so the $\varphi_k$-coefficient of $u(\sigma)$ is "
            r"proportional to $\varphi_k(0)/(s_k - t)$ with $t = (c - \mu(\sigma))/(\mu(\sigma)\sigma) < 0$. The "
            r"$e_0$-component (the secular equation) makes $\sigma$ a function of $t$, so distinct $\sigma_i$ give "
            r"distinct $t_i$, and the coefficient matrix of $u(\sigma_1), \dots, u(\sigma_m)$ is a rescaled Cauchy "
            r"matrix $\bigl(1/(s_k - t_i)\bigr)$, non-singular since $t_i < 0 \le s_k$. Hence the normals "
            r"$w(\sigma_i)$ span $S_s$ and $E_{\mathrm{rob}} \subseteq S_a$." + "\n")
    cu = certified_upper_bound(b, eta)
    shown = cu.sigmas if len(cu.sigmas) <= 4 else cu.sigmas[:3]
    sig = ", ".join(L.tex(_q(s)) for s in shown) + (r", \dots, " + L.tex(_q(cu.sigmas[-1]))
                                                    if len(cu.sigmas) > 4 else "")
    body.append(rf"\paragraph{{Certified cross-check}} (level: {cu.level}). For $\sigma_i \in \{{{sig}\}}$ "
                rf"the {cu.target_rank} eigenvectors $u(\sigma_i)$ in the basis $Q_s$ are enclosed in arb balls "
                rf"(working precision {cu.precision} bits, doubled until conclusive); the enclosure of the determinant "
                rf"of the stacked vectors is \texttt{{{L.escape(cu.det_enclosure)}}}, which "
                + ("excludes $0$: certified rank $" + str(cu.rank) + "$." if cu.rank == cu.target_rank
                   else "does NOT exclude $0$.") + "\n")
    dim = "$" + str(r.dim) + "$" if r.dim is not None else "not determined"
    body.append(rf"\paragraph{{Result for $n = {n}$.}} ${r.lower.dim} \le \dim E_{{\mathrm{{rob}}}} \le {ub.dim}$, "
                rf"so $\dim E_{{\mathrm{{rob}}}} = $ {dim} $= \lfloor (n-1)/2 \rfloor$ and $E_{{\mathrm{{rob}}}} = S_a$ "
                rf"(level: {r.level}), although every single $E_s(T(\sigma))$ has dimension ${n - 1}$. "
                rf"The upper bound used $m = \lfloor n/2 \rfloor + 1 = {m}$ values $\sigma_i$." + "\n")
    return "\n".join(body) + "\n"


def _proof(n: int) -> str:
    thm = whole_class_theorem()
    lem = thm["lemmas"]
    rec, win = lem["recurrence"], lem["window"]
    conv = lem["converse"]
    body = [
        r"The computation above is for one $n$ and one profile. The following theorem holds for every $n \ge 2$ and "
        r"every diagonal profile with one negative entry; its proof is printed from the data of "
        r"\texttt{symdyn.lsgd.wholeclass.whole\_class\_theorem}, whose symbolic lemmas are recomputed by SymPy when "
        r"this document is generated.",
        thm["latex"],
        r"\paragraph{What is proved, for which class.}",
        "\\begin{itemize}",
        r"\item \emph{Proved for every $n \ge 2$} (symbolic argument): (i) $\dim E_{\mathrm{rob}} \le "
        r"\lfloor (n-1)/2 \rfloor$ for every diagonal $B$ with exactly one negative entry; (ii) $E_{\mathrm{rob}} = S_a$ "
        r"and $\dim E_{\mathrm{rob}} = \lfloor (n-1)/2 \rfloor$ for every reflection-symmetric such profile. Steps 3 and "
        r"4 are SymPy computations valid for all $n$ (the recurrence with abstract non-commuting $B$, $K$; the "
        r"shift-invariant window as the induction step for every $k$ and $n$), steps 1, 2, 5, 6 are the short general "
        r"arguments stated. These are the claims of the checks \texttt{lsgd\_robust\_bound} (part (ii)) and "
        r"\texttt{lsgd\_diagonal\_class} (part (i)).",
        rf"\item \emph{{Proved for $n \le {MAX_CONVERSE_N}$ only}}: the converse, ``$\dim E_{{\mathrm{{rob}}}} < "
        r"\lfloor (n-1)/2 \rfloor$ if the profile is not reflection-symmetric'' (symbolic minors of the first $m + 1$ "
        r"Taylor coefficients).",
        rf"\item \emph{{Not proved for $n > {MAX_CONVERSE_N}$}}: the converse is only checked exactly profile by "
        r"profile (Taylor rank and invariant closure) on sampled and searched profiles in \texttt{lsgd\_diagonal\_class}; "
        r"no counterexample found is evidence, not a proof. It would follow from $\operatorname{span}\{u_k\} = W$, "
        r"the $B$,$K$-invariant closure of $e_0$, which holds on every profile computed but is not proved; for $n = 6$ "
        r"the first $m + 1$ coefficients no longer suffice.",
        "\\end{itemize}",
        r"\paragraph{Symbolic lemmas computed for this document.}" + "\n",
    ]
    rows = [["\\texttt{recurrence\\_lemma}", f"${len(rec)}$", "yes" if all(rec.values()) else "NO", "every $n$"],
            ["\\texttt{window\\_lemma}", f"${len(win)}$", "yes" if all(win.values()) else "NO", "every $n$, $k$"]]
    for nn, facts in conv.items():
        rows.append([f"\\texttt{{converse\\_lemma}}$({nn})$", f"${len(facts)}$",
                     "yes" if all(facts.values()) else "NO", f"$n = {nn}$"])
    for sym in (True, False):
        c = check_n(n, symmetric=sym)
        rows.append([f"\\texttt{{check\\_n}}$({n})$, {'symmetric' if sym else 'non-symmetric'} profile",
                     f"${len(c.facts)}$", "yes" if c.holds else "NO", f"$n = {n}$"])
    body.append(_math_table(["lemma", "facts", "all hold", "scope"], rows))
    c = check_n(n, symmetric=False)
    ks = list(range(min(len(c.diagonal), 4)))
    diag = [(f"u_{{{k}}}[{k}]", sympy.factor(c.diagonal[k])) for k in ks]
    body.append(rf"For $n = {n}$ and the free-symbol profile $b_0 < 0 < b_1, \dots, b_{{{n - 1}}}$, "
                rf"\texttt{{check\_n}} recomputes supports and edge entries; the triangular diagonal "
                rf"$u_k[k]$, $k = 0, \dots, {n // 2}$, starts with" + "\n")
    body.append(L.align(diag))
    body.append(rf"(the remaining {len(c.diagonal) - len(ks)} entries are computed by \texttt{{check\_n}} "
                r"but not printed here)."
                if len(c.diagonal) > len(ks) else "")
    return "\n".join(body) + "\n"


def _table(table_max: int) -> str:
    rows = []
    for m in range(2, table_max + 1):
        rr = robust_dimension(canonical_b(m), 1)
        rows.append([f"${m}$", f"${rr.lower.dim}$", f"${rr.upper.dim}$", f"${(m - 1) // 2}$", rr.upper.method,
                     rr.level])
    return (r"For $B = \operatorname{diag}(-1, 1, \dots, 1)$, $\eta = 1$: the exact lower bound, the upper bound and "
            r"$\lfloor (n-1)/2 \rfloor$ for each $n$ (an independent per-$n$ computation; the theorem covers all $n$)."
            "\n\n" + _math_table(["$n$", "lower", "upper", r"$\lfloor (n-1)/2 \rfloor$", "method", "level"], rows))


def lsgd_document(n: int, table_max: int | None = None, eta=Fraction(1), sample_sigma=Fraction(1)) -> str:
    """The LaTeX source of the LSGD appendix for ``B = diag(-1, 1, ..., 1)`` of size ``n``.

    Sections: setting and notation; the matrices (in full for ``n <= 10``, by
    checked structure otherwise); exact eigenvalue counts for fixed ``sigma``
    (inertia and Sturm routes, the factored characteristic polynomial); the
    ``sigma``-robust region for this ``n`` (exact lower bound, structural and
    certified upper bounds); the general-``n`` theorem with its proof and scope;
    a table of per-``n`` results.

    Parameters
    ----------
    n : int, ``2 <= n <= 64``
    table_max : the per-``n`` table covers ``2..table_max`` (default ``max(n, 16)``, at most 256)
    eta, sample_sigma : exact rationals (``0 < eta < 2``, ``sample_sigma >= 0``) for the counts and the
        printed factorisation

    Returns
    -------
    str, a complete document (compile with :func:`symdyn.latex.compile_pdf`).

    Examples
    --------
    >>> src = lsgd_document(3, table_max=4)
    >>> src.startswith("\\\\documentclass") and "\\\\begin{theorem}" in src
    True
    """
    n = check_int("n", n, low=2, high=64)
    table_max = max(n, 16) if table_max is None else check_int("table_max", table_max, low=2, high=256)
    b = canonical_b(n)
    e, s = _q(eta), _q(sample_sigma)
    if not 0 < e * _q(b[1]) < 2:
        raise ValueError(f"eta must satisfy 0 < eta < 2 for B = diag(-1, 1, ..., 1), got {eta}")
    if s < 0:
        raise ValueError(f"sample_sigma must be >= 0, got {sample_sigma}")
    r_dim = (n - 1) // 2
    abstract = (rf"For Laplacian smoothing gradient descent at a saddle of $f(x) = \tfrac12 x^\top B x$, "
                rf"$B = \operatorname{{diag}}(-1, 1, \dots, 1)$, $n = {n}$, we compute exactly that every fixed smoothing "
                rf"parameter $\sigma$ leaves an attraction region of dimension $n - 1$, while the points attracted for "
                rf"every $\sigma \ge 0$ form the antisymmetric subspace $S_a$ of dimension "
                rf"$\lfloor (n-1)/2 \rfloor = {r_dim}$. We then state and prove the general result for every $n$ and "
                r"every diagonal profile with one negative entry, and say what is only proved for small $n$ or sampled.")
    sec = [
        ("Setting and notation", _notation(n, b, e)),
        (f"The matrices for $n = {n}$", _matrices(n, b)),
        ("Exact eigenvalue counts for a fixed smoothing parameter", "\\label{sec:counts}\n" + _counts(n, b, e, s)),
        (f"The $\\sigma$-robust region for $n = {n}$", _robust(n, b, e)),
        ("The theorem for every $n$", _proof(n)),
        ("Per-$n$ results", _table(table_max)),
    ]
    return L.document(f"Appendix: the robust attraction region of LSGD at a saddle, dimension {n}", sec,
                      abstract=abstract)
