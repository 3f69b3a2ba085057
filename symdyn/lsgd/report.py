"""Standalone LaTeX derivation of the LSGD attraction-region results for one ``n``.

Every formula is produced by ``sympy.latex`` from the objects the proofs use
(exact ``fmpq_mat`` converted to SymPy at the edge); nothing is retyped.
"""

from __future__ import annotations

from fractions import Fraction

import sympy

from .. import latex as L
from .._validation import check_int
from .attraction import eigenvalue_counts
from .matrices import antisymmetric_basis, canonical_b, diagonal_matrix, iteration_matrix, symmetric_basis
from .robust import certified_upper_bound, robust_dimension

__all__ = ["to_sympy", "lsgd_document"]


def to_sympy(M) -> sympy.Matrix:
    """``fmpq_mat`` -> ``sympy.Matrix`` of Rationals."""
    return sympy.Matrix(M.nrows(), M.ncols(),
                        lambda i, j: sympy.Rational(int(M[i, j].p), int(M[i, j].q)))


def _laplacian_sym(n: int) -> sympy.Matrix:
    Lm = sympy.zeros(n, n)
    for i in range(n):
        Lm[i, i] += -2
        Lm[i, (i + 1) % n] += 1
        Lm[i, (i - 1) % n] += 1
    return Lm


def lsgd_document(n: int, table_max: int | None = None, eta=Fraction(1), sample_sigma=Fraction(1)) -> str:
    """The LaTeX source for ``B = diag(-1, 1, ..., 1)`` of size ``n``.

    Parameters
    ----------
    n : int, ``2 <= n <= 64`` (matrices are printed for ``n <= 10``)
    table_max : the verified-bound table covers ``2..table_max`` (default ``max(n, 16)``)
    eta, sample_sigma : exact rationals used for the printed factorisation and counts

    >>> src = lsgd_document(3, table_max=4)
    >>> src.startswith("\\\\documentclass") and "\\\\end{document}" in src
    True
    """
    n = check_int("n", n, low=2, high=64)
    table_max = max(n, 16) if table_max is None else check_int("table_max", table_max, low=2, high=256)
    b = canonical_b(n)
    sigma, lam = sympy.symbols("sigma lambda")
    Lm = _laplacian_sym(n)
    A = sympy.eye(n) - sigma * Lm
    Bm = to_sympy(diagonal_matrix(b))
    Qs, Qa = to_sympy(symmetric_basis(n)), to_sympy(antisymmetric_basis(n))
    show = n <= 10
    sec = []

    # 1. definitions
    body = ("Periodic Laplacian $L$, smoothing $A_\\sigma = I - \\sigma L$, Hessian $B$ and iteration "
            "matrix $T(\\sigma) = I - \\eta A_\\sigma^{-1} B$ for $n = %d$.\n" % n)
    if show:
        body += L.align([("L", Lm), ("A_\\sigma", A), ("B", Bm)])
    else:
        body += "(Matrices omitted for $n > 10$; they are circulant/diagonal as defined.)\n"
    body += L.equation("\\operatorname{spec}(A_\\sigma) = \\{1 + 4\\sigma\\sin^2(\\pi k/n)\\}_{k=0}^{n-1}")
    sec.append(("Matrices", body))

    # 2. characteristic polynomial
    T = to_sympy(iteration_matrix(b, eta, sample_sigma))
    cp = T.charpoly(lam).as_expr()
    fac = sympy.factor_list(cp, lam)
    factors = sympy.Mul(fac[0], *[f**k for f, k in fac[1]], evaluate=False)
    body = (f"At $\\eta = {sympy.latex(sympy.Rational(eta.numerator, eta.denominator))}$, "
            f"$\\sigma = {sympy.latex(sympy.Rational(sample_sigma.numerator, sample_sigma.denominator))}$ "
            "the characteristic polynomial of $T(\\sigma)$ factors over $\\mathbb{Q}$ as\n")
    body += L.equation("\\det(\\lambda I - T) = " + sympy.latex(factors))
    body += ("The factors split along the reflection-invariant subspaces: the antisymmetric block "
             "contributes the stable factors for every $\\sigma$, the unique unstable root lies in the "
             "symmetric block.\n")
    sec.append(("Characteristic polynomial", body))

    # 3. invariant subspaces and blocks
    As = sympy.simplify(Qs.T * A * Qs)
    Bs = Qs.T * Bm * Qs
    body = ("The reflection $(Rv)_j = v_{-j}$ commutes with $B$ and $L$. Rational bases of the "
            f"symmetric subspace (dimension $\\lfloor n/2\\rfloor + 1 = {Qs.shape[1]}$) and of the "
            f"antisymmetric subspace (dimension $\\lfloor (n-1)/2 \\rfloor = {Qa.shape[1]}$):\n")
    if show:
        rows = [("Q_s", Qs), ("Q_s^T A_\\sigma Q_s", As), ("Q_s^T B Q_s", Bs)]
        if Qa.shape[1]:
            rows += [("Q_a", Qa), ("Q_a^T A_\\sigma Q_a", sympy.simplify(Qa.T * A * Qa)), ("Q_a^T B Q_a", Qa.T * Bm * Qa)]
        body += L.align(rows)
    sec.append(("Invariant subspaces", body))

    # 4. counts
    rows = []
    for s in (Fraction(0), Fraction(1, 4), Fraction(1), Fraction(4)):
        c = eigenvalue_counts(b, eta, s)
        rows.append((str(s), str(c.inside), str(c.on), str(c.outside)))
    body = ("Exact counts of eigenvalues of $T(\\sigma)$ inside / on / outside the unit circle "
            "(Sylvester inertia of $B$ and $\\eta B - 2A_\\sigma$, exact $LDL^T$ over $\\mathbb{Q}$):\n\n")
    body += L.table(["sigma", "inside", "on", "outside"], rows)
    body += "For every fixed $\\sigma$ the attraction region has dimension $n-1$.\n"
    sec.append(("Eigenvalue counts", body))

    # 5. the robust region
    r = robust_dimension(b, eta)
    facts = "\n".join(f"\\item {L.escape(k)}: {'true' if v else 'FALSE'}" for k, v in r.lower.facts.items())
    body = ("Lower bound (exact facts, valid for every $\\sigma \\ge 0$):\n\\begin{itemize}\n" + facts +
            "\n\\end{itemize}\n")
    body += ("Upper bound: for $B = \\mathrm{diag}(b_0, c, \\dots, c)$ the unstable eigenvector has cosine "
             "coefficients proportional to $1/(s_k - t_i)$ with $s_k = 4\\sin^2(\\pi k/n)$ and "
             "$t_i = (c-\\mu_i)/(\\mu_i\\sigma_i) < 0$; the secular equation makes $\\sigma$ a function of $t$, so "
             "distinct $\\sigma_i$ give distinct poles and a nonsingular Cauchy matrix. Hence "
             f"$\\dim E_{{\\mathrm{{rob}}}} = {r.dim}$ (level: {r.level}).\n")
    cu = certified_upper_bound(b, eta)
    body += (f"Certified cross-check (arb, {cu.precision} bits): the determinant of the "
             f"{cu.target_rank} stacked unstable eigenvectors for $\\sigma_i = i/4$ is "
             f"\\texttt{{{L.escape(cu.det_enclosure)}}}, which excludes 0.\n")
    sec.append(("The sigma-robust attraction region", body))

    # 6. verified-bound table
    rows = []
    for m in range(2, table_max + 1):
        rr = robust_dimension(canonical_b(m), 1)
        row = [str(m), str(rr.lower.dim), str(rr.upper.dim), str((m - 1) // 2), rr.upper.method, rr.level]
        rows.append(row)
    body = ("For $B = \\mathrm{diag}(-1, 1, \\dots, 1)$, $\\eta = 1$: exact lower bound, upper bound and "
            "the claimed $\\lfloor (n-1)/2 \\rfloor$.\n\n")
    body += L.table(["n", "lower", "upper", "floor((n-1)/2)", "method", "level"], rows)
    sec.append(("Verified bound", body))
    return L.document(f"LSGD: the sigma-robust attraction region of a saddle (n = {n})", sec)
