"""The whole diagonal class: dim E_rob <= floor((n-1)/2) for every n; equality for symmetric B; the converse.

What is computed, at which level:

* **(i) bound, every n, every diagonal B with one negative entry** (``proved``):
  :func:`symdyn.lsgd.wholeclass.whole_class_theorem` (triangular Taylor coefficients),
  re-run per ``n`` in ``ns`` with a free-symbol *non-symmetric* profile (:func:`check_n`).
* **(ii) equality for reflection-symmetric B, every n** (``proved``): the same theorem.
* **converse** (non-symmetric ``B`` => ``dim E_rob < floor((n-1)/2)``): ``proved``
  symbolically only for ``n <= 5`` (:func:`converse_lemma`); for larger ``n`` it is
  **not proved** — each sampled or searched profile is decided exactly
  (:func:`symdyn.lsgd.taylor.taylor_bounds`: Taylor rank and invariant closure) and a
  non-symmetric profile reaching ``floor((n-1)/2)`` is reported as a counterexample. The
  searched profiles include the ``n = 6`` variety on which the first ``m + 1`` coefficients
  are dependent (:func:`symdyn.lsgd.wholeclass.n6_degenerate_profiles`), the place where the
  small-``n`` argument stops working.

Every case's dimension is also recomputed exactly as a cross-check of (i) and (ii).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Sequence

from symdyn.lsgd.robust import is_reflection_symmetric
from symdyn.lsgd.taylor import taylor_bounds
from symdyn.lsgd.wholeclass import MAX_CONVERSE_N, check_n, n6_degenerate_profiles, whole_class_theorem
from symdyn.verdict import Stopwatch, Verdict

NAME = "lsgd_diagonal_class"
CLAIM = ("For every n >= 2 and every diagonal B with exactly one negative entry (A_sigma = I - sigma L, "
         "0 < eta max b < 2): dim E_rob <= floor((n-1)/2), with equality when B is reflection-symmetric about its "
         "negative index (both proved for all n); the converse, dim E_rob < floor((n-1)/2) for non-symmetric B, is "
         f"proved for n <= {MAX_CONVERSE_N} and for larger n only checked exactly on the sampled and searched "
         "profiles listed.")


def draw_cases(n_examples: int, n_max: int, symmetric: bool | None = None) -> list:
    """Reproducible Hypothesis-drawn diagonals; ``symmetric`` None: about half reflection-symmetric."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    vals = st.fractions(min_value=Fraction(1, 4), max_value=4, max_denominator=4)

    @st.composite
    def diagonal(draw):
        n = draw(st.integers(2, n_max))
        i0 = draw(st.integers(0, n - 1))
        sym = draw(st.booleans()) if symmetric is None else symmetric
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


def near_symmetric_cases(n_max: int) -> list:
    """Searched adversarial profiles: symmetric except one mirror pair, for every pair and ``n <= n_max``.

    Three perturbations of ``b_j = 1 + min(j, n-j)``: a tiny change (``b_d + 10^-6``),
    a swap of two entries on opposite sides (``b_d <-> b_{-d'}``, same multiset), and
    an equal-product change (``(b_d - b_0)(b_{d+1} - b_0) = (b_{-d} - b_0)(b_{-d-1} - b_0)``,
    which keeps the two edge products of ``u_{d+1}`` equal).
    """
    out = []
    for n in range(3, n_max + 1):
        base = [Fraction(-1)] + [1 + Fraction(min(j, n - j)) for j in range(1, n)]
        for d in range(1, (n - 1) // 2 + 1):
            tiny = list(base)
            tiny[d] += Fraction(1, 10**6)
            out.append(tiny)
            for d2 in range(1, (n - 1) // 2 + 1):
                sw = list(base)
                sw[d], sw[n - d2] = sw[n - d2], sw[d]
                out.append(sw)
            if d + 1 < n - d - 1:
                eq = list(base)
                x, y = eq[d] + 1, eq[d + 1] + 1  # x_j = b_j - b_0
                eq[d] = 2 * x - 1          # x_d -> 2 x_d
                eq[d + 1] = y / 2 - 1      # x_{d+1} -> x_{d+1}/2: the product is unchanged
                if eq[d + 1] > 0:
                    out.append(eq)
    return [b for b in out if not is_reflection_symmetric(b)]


def evaluate(cases: Sequence, ns: Sequence = range(2, 257), bound: Callable[[int], int] = lambda n: (n - 1) // 2,
             theorem: dict | None = None) -> Verdict:
    """Check the theorem, the per-``n`` re-check and each case (``b`` or ``(b, eta)``; default ``eta = 1/max b``).

    ``bound(n)`` is the claimed bound (the theorem's is ``floor((n-1)/2)``). A case
    fails if it violates (i) or (ii), or if it is non-symmetric and reaches the bound
    (a counterexample to the converse), or if it lies outside the class.
    """
    failures, n_sym, n_non, hist, n_exact = [], 0, 0, {}, 0
    ns_non: set = set()
    with Stopwatch() as sw:
        thm = whole_class_theorem() if theorem is None else theorem
        general_ok = bool(thm.get("holds")) and all(bound(n) == (n - 1) // 2 for n in ns)
        converse_ok = bool(thm.get("converse_holds"))
        if not converse_ok:
            failures.append({"converse": f"the symbolic converse for n <= {MAX_CONVERSE_N} does not hold"})
        if not general_ok:
            failures.append({"general": "the symbolic argument does not give the claimed bound"})
        bad_n = [n for n in ns if not check_n(n, symmetric=False).holds]
        if bad_n:
            failures.append({"per_n_recheck_fails": bad_n[:10]})
        for case in cases:
            b, eta = (case if isinstance(case, tuple) else (case, None))
            label = [str(v) for v in b]
            try:
                n = len(b)
                k = bound(n)
                eta = 1 / max(Fraction(v) for v in b) if eta is None else eta
                r = taylor_bounds(b, eta)
                sym = is_reflection_symmetric(b)
            except (ValueError, TypeError) as exc:
                failures.append({"b": label, "error": str(exc)})
                continue
            n_exact += r.dim is not None  # Taylor span = B,K-closure of e_0 (the unproved converse reduction)
            if r.upper > k:
                failures.append({"b": label, "kind": "bound (i) violated", "lower": r.lower, "upper": r.upper,
                                 "claimed": k})
            elif sym:
                n_sym += 1
                if r.dim != k:
                    failures.append({"b": label, "kind": "symmetric, equality (ii) not met", "lower": r.lower,
                                     "upper": r.upper, "claimed": k})
            else:
                n_non += 1
                ns_non.add(n)
                hist[r.upper] = hist.get(r.upper, 0) + 1
                if k > 0 and r.upper >= k:
                    failures.append({"b": label, "kind": "non-symmetric reaching the bound (converse fails)",
                                     "lower": r.lower, "upper": r.upper, "claimed_strictly_below": k})
    ns = list(ns)
    searched = sorted(ns_non)
    statements = [
        {"statement": "(i) dim E_rob <= floor((n-1)/2), every n, every diagonal B with one negative entry",
         "level": "proved" if general_ok else "not established", "scope": "symbolic argument, all n"},
        {"statement": "(ii) equality for reflection-symmetric B", "level": "proved" if general_ok else "not established",
         "scope": "symbolic argument, all n"},
        {"statement": "steps 4-5 re-run with a free-symbol non-symmetric profile", "level": "proved",
         "scope": f"n = {ns[0]}..{ns[-1]}" if ns else "none"},
        {"statement": "converse: non-symmetric => dim E_rob < floor((n-1)/2)",
         "level": "proved" if converse_ok else "not established",
         "scope": f"n <= {MAX_CONVERSE_N} only (symbolic)"},
        {"statement": "converse, larger n: exact dimension of each sampled/searched non-symmetric profile",
         "level": "proved per profile (not a proof for the class)",
         "scope": f"{n_non} profiles, n in {searched[0]}..{searched[-1]}" if searched else "none"},
    ]
    return Verdict(
        name=NAME, claim=CLAIM, passed=not failures and bool(cases), level="proved",
        figures={"general_n": "proved (symbolic)" if general_ok else "fails",
                 "converse_proved_for": f"n <= {MAX_CONVERSE_N}",
                 "per_n_symbolic_recheck": f"{ns[0]}..{ns[-1]}" if ns else "none",
                 "cases": len(cases), "symmetric": n_sym, "non_symmetric": n_non,
                 "n_counterexamples": len(failures), "taylor_span_equals_closure": f"{n_exact}/{len(cases)}",
                 "non_symmetric_upper_bound_histogram": hist, "counterexamples": failures[:5],
                 "statements": statements},
        seconds=sw.seconds,
    )


def run(full: bool = False) -> Verdict:
    cases = draw_cases(200 if full else 40, 32 if full else 12)
    cases += near_symmetric_cases(16 if full else 9)
    cases += n6_degenerate_profiles()  # where the first m+1 Taylor coefficients are dependent
    return evaluate(cases)
