"""On the diagonal class (exactly one negative entry), dim E_rob <= floor((n-1)/2), with equality exactly
on the B that are reflection-symmetric about the negative index.

Cases are drawn by Hypothesis (derandomized, so the check is reproducible);
about half are built reflection-symmetric. For a symmetric case the dimension
is proved (exact lower bound + structural or certified upper bound); for a
non-symmetric one, the certified rank of the ``n`` normals ``B u(sigma_i)`` on
the full space gives ``dim E_rob <= n - rank``, which must be strictly below
``floor((n-1)/2)`` (when that is positive). Any case violating this is
reported as a counterexample.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Sequence

from symdyn.lsgd.robust import certified_upper_bound, is_reflection_symmetric, robust_dimension
from symdyn.verdict import Stopwatch, Verdict

NAME = "lsgd_diagonal_class"
CLAIM = ("For diagonal B with exactly one negative entry, dim E_rob <= floor((n-1)/2), with equality exactly "
         "when B is reflection-symmetric about its negative index.")


def draw_cases(n_examples: int, n_max: int) -> list:
    """Reproducible Hypothesis-drawn diagonals (half of them reflection-symmetric)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    vals = st.fractions(min_value=Fraction(1, 4), max_value=4, max_denominator=4)

    @st.composite
    def diagonal(draw):
        n = draw(st.integers(2, n_max))
        i0 = draw(st.integers(0, n - 1))
        sym = draw(st.booleans())
        pos = draw(st.lists(vals, min_size=n - 1, max_size=n - 1))
        neg = -draw(vals)
        rel = [neg] + pos  # relative to i0
        if sym:
            rel = [rel[0]] + [rel[min(j, n - j)] for j in range(1, n)]
        return [rel[(i - i0) % n] for i in range(n)]

    out = []

    @settings(max_examples=n_examples, derandomize=True, database=None, phases=[Phase.generate],
              deadline=None, suppress_health_check=list(HealthCheck))
    @given(diagonal())
    def collect(b):
        out.append(b)

    collect()
    return out


def evaluate(cases: Sequence, bound: Callable[[int], int] = lambda n: (n - 1) // 2) -> Verdict:
    """Check the claim on each diagonal ``b`` (with ``eta = 1/max(b)``); ``bound(n)`` is the claimed bound."""
    failures, n_sym, n_nonsym, upper_hist = [], 0, 0, {}
    levels = set()
    with Stopwatch() as sw:
        for b in cases:
            n = len(b)
            k = bound(n)
            try:
                eta = 1 / max(Fraction(v) for v in b)
                if is_reflection_symmetric(b):
                    n_sym += 1
                    r = robust_dimension(b, eta)
                    levels.add(r.level)
                    if r.dim is None or r.dim != k:
                        failures.append({"b": [str(v) for v in b], "kind": "symmetric", "lower": r.lower.dim,
                                         "upper": r.upper.dim, "claimed": k})
                else:
                    n_nonsym += 1
                    ub = certified_upper_bound(b, eta, block="full")
                    levels.add(ub.level)
                    upper_hist[ub.dim] = upper_hist.get(ub.dim, 0) + 1
                    if not ub.certified or not (ub.dim < k or (k == 0 and ub.dim == 0)):
                        failures.append({"b": [str(v) for v in b], "kind": "non-symmetric",
                                         "upper": ub.dim, "rank": ub.rank, "claimed_strictly_below": k})
            except (ValueError, TypeError) as exc:
                failures.append({"b": [str(v) for v in b], "error": str(exc)})
    return Verdict(
        name=NAME, claim=CLAIM, passed=not failures and bool(cases),
        level="certified" if "certified" in levels or not levels else "proved",
        figures={"cases": len(cases), "symmetric": n_sym, "non_symmetric": n_nonsym,
                 "non_symmetric_upper_bound_histogram": upper_hist,
                 "counterexamples": failures[:5], "n_counterexamples": len(failures)},
        seconds=sw.seconds,
    )


def run(full: bool = False) -> Verdict:
    return evaluate(draw_cases(200 if full else 40, 12 if full else 9))
