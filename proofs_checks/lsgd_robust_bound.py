"""On the canonical class, dim E_rob = floor((n-1)/2) for every n checked.

Per ``n``: the exact lower bound (antisymmetric subspace, stable for every
sigma >= 0) and the upper bound from the normals ``B u(sigma_i)``:

* for ``B = diag(-1, 1, ..., 1)`` the structural Cauchy-matrix argument
  (valid for every ``n``; hypotheses checked exactly) -> level ``proved``;
* for a non-constant reflection-symmetric ``B`` the interval-certified rank
  (python-flint arb, adaptive precision) -> level ``certified``.

The verdict level is the weakest level used.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from symdyn.lsgd.robust import robust_dimension
from symdyn.verdict import Stopwatch, Verdict

NAME = "lsgd_robust_bound"
CLAIM = ("On the canonical class (one negative entry b_0, b_j = b_{-j}, eta max b < 2) the sigma-robust "
         "attraction region E_rob has dimension exactly floor((n-1)/2), spanned by the antisymmetric modes.")


def constant_profile(n: int) -> list:
    return [Fraction(-1)] + [Fraction(1)] * (n - 1)


def varying_profile(n: int) -> list:
    """Reflection-symmetric, non-constant: ``b_j = 1 + min(j, n-j)/n``."""
    return [Fraction(-1)] + [1 + Fraction(min(j, n - j), n) for j in range(1, n)]


def evaluate(cases: Sequence, expected=lambda n: (n - 1) // 2, order: int = 1) -> Verdict:
    """Prove ``dim E_rob == expected(n)`` for each case ``(b, eta, method)``.

    ``method`` is 'structural', 'certified' or 'auto' (see :func:`symdyn.lsgd.robust_dimension`).
    A case whose bounds do not meet, or meet at another value, is a failure.
    """
    rows, failures = [], []
    levels = set()
    max_prec = 0
    start_prec = 64
    with Stopwatch() as sw:
        for b, eta, method in cases:
            n = len(b)
            try:
                kw = {"start_prec": start_prec} if method == "certified" else {}
                r = robust_dimension(b, eta, order=order, method=method, **kw)
            except (ValueError, TypeError) as exc:
                failures.append({"n": n, "method": method, "error": str(exc)})
                continue
            levels.add(r.level)
            if r.upper.method == "certified":
                max_prec = max(max_prec, r.upper.precision)
                start_prec = max(64, r.upper.precision)
            row = {"n": n, "method": r.upper.method, "lower": r.lower.dim, "upper": r.upper.dim,
                   "dim": r.dim, "level": r.level, "precision": r.upper.precision,
                   "sigmas": f"{r.upper.sigmas[0]}..{r.upper.sigmas[-1]} ({len(r.upper.sigmas)})",
                   "seconds": round(r.upper.seconds, 4)}
            rows.append(row)
            if r.dim is None or r.dim != expected(n) or not r.lower.holds:
                failures.append(row)
    level = "certified" if "certified" in levels else "proved"
    ns_struct = sorted({r["n"] for r in rows if r["method"] == "structural"})
    ns_cert = sorted({r["n"] for r in rows if r["method"] == "certified"})
    return Verdict(
        name=NAME, claim=CLAIM, passed=not failures and bool(rows), level=level,
        figures={"n_proved_structural": f"{ns_struct[0]}..{ns_struct[-1]}" if ns_struct else "none",
                 "n_certified": f"{ns_cert[0]}..{ns_cert[-1]}" if ns_cert else "none",
                 "cases": len(rows), "max_precision_bits": max_prec,
                 "sigma_rule": "sigma_i = i/4, i = 1..floor(n/2)+1",
                 "failures": failures[:5], "n_failures": len(failures), "table": rows},
        seconds=sw.seconds,
    )


def run(full: bool = False) -> Verdict:
    n_struct = 256 if full else 64
    n_cert = 64 if full else 20
    cases = [(constant_profile(n), Fraction(1), "structural") for n in range(2, n_struct + 1)]
    cases += [(varying_profile(n), Fraction(1, 2), "certified") for n in range(2, n_cert + 1)]
    return evaluate(cases)
