"""GD's attraction region of the saddle of ``f = x^T B x / 2`` has dimension ``n - 1``.

The count of eigenvalues of ``T(0) = I - eta B`` strictly inside the unit
circle is computed exactly by inertia (``outside = neg(B) + pos(eta B - 2I)``,
``on = zero(B) + zero(eta B - 2I)``); for ``n <= 8`` it is cross-checked by
Sturm counts of the exact characteristic polynomial and by an exact rational
basis of ``E_s`` (``stable_subspace``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from symdyn.lsgd.attraction import eigenvalue_counts, eigenvalue_counts_charpoly, stable_subspace
from symdyn.lsgd.matrices import iteration_matrix
from symdyn.verdict import Stopwatch, Verdict

NAME = "lsgd_gd_dimension"
CLAIM = ("Gradient descent (sigma = 0) on f = x^T B x / 2 with B in the canonical class "
         "(one negative eigenvalue, eta max b < 2) has an attraction region of the saddle of dimension n - 1.")


def _profile(n: int) -> list:
    """A non-constant reflection-symmetric canonical diagonal."""
    return [Fraction(-1)] + [1 + Fraction(min(j, n - j), n) for j in range(1, n)]


def cases(n_max: int) -> list:
    out = []
    for n in range(2, n_max + 1):
        out.append(([Fraction(-1)] + [Fraction(1)] * (n - 1), Fraction(1)))
        out.append((_profile(n), Fraction(1, 2)))
    return out


def evaluate(cases: Sequence, cross_check_upto: int = 8) -> Verdict:
    """Check ``dim E_s(T(0)) == n - 1`` for each ``(b, eta)``; fails on the first mismatch.

    Parameters
    ----------
    cases : sequence of ``(b, eta)``; ``b`` the diagonal of B (exact rationals)
    cross_check_upto : cross-check with the charpoly route and an exact basis for ``n <=`` this
    """
    failures = []
    n_cases = 0
    max_n = 0
    with Stopwatch() as sw:
        for b, eta in cases:
            n = len(b)
            max_n = max(max_n, n)
            n_cases += 1
            try:
                c = eigenvalue_counts(b, eta, 0)
            except (ValueError, TypeError) as exc:
                failures.append({"n": n, "error": str(exc)})
                continue
            ok = c.inside == n - 1
            detail = {"n": n, "eta": str(eta), "counts": list(c)}
            if n <= cross_check_upto:
                T = iteration_matrix(b, eta, 0)
                cp = eigenvalue_counts_charpoly(T)
                E = stable_subspace(T)
                detail["charpoly_counts"] = list(cp)
                detail["basis_dim"] = None if E is None else E.ncols()
                ok = ok and tuple(cp) == tuple(c) and E is not None and E.ncols() == n - 1
            if not ok:
                failures.append(detail)
    return Verdict(
        name=NAME, claim=CLAIM, passed=not failures and n_cases > 0, level="proved",
        figures={"cases": n_cases, "n_max": max_n, "failures": failures[:5], "n_failures": len(failures),
                 "route": "exact inertia (LDL^T over QQ); Sturm + exact basis cross-check for small n"},
        seconds=sw.seconds,
    )


def run(full: bool = False) -> Verdict:
    return evaluate(cases(256 if full else 64))
