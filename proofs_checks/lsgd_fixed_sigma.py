"""Any fixed sigma >= 0 (and any bounded SPD periodic schedule tried) keeps an (n-1)-dimensional attraction region.

This is *why* the floor((n-1)/2) bound is about the sigma-robust region
``E_rob``: a single LSGD iteration matrix is congruent-similar to GD's
(``A^{-1}B ~ A^{-1/2} B A^{-1/2}``, Sylvester), so it keeps ``n - 1`` stable
directions.

Evidence (exact): for **every** sigma >= 0 at once, ``saddle_facts`` proves one
unstable and ``n - 1`` stable eigenvalues (``B`` has one negative eigenvalue,
``2I - eta B > 0`` and ``-L >= 0`` so ``2A_sigma - eta B > 0``). Sampled sigma
values are counted by exact inertia (and by Sturm on the exact charpoly for
small ``n``); periodic schedules by an exact unit-disk count of the
characteristic polynomial of the one-period product.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from symdyn.lsgd.attraction import eigenvalue_counts, eigenvalue_counts_charpoly, schedule_counts
from symdyn.lsgd.matrices import iteration_matrix
from symdyn.lsgd.robust import saddle_facts
from symdyn.verdict import Stopwatch, Verdict

NAME = "lsgd_fixed_sigma"
CLAIM = ("LSGD with any fixed sigma >= 0, and every bounded SPD periodic sigma-schedule tried, keeps an "
         "(n-1)-dimensional attraction region, as GD does: the floor((n-1)/2) bound is about the "
         "sigma-robust region only.")

SIGMAS = (Fraction(0), Fraction(1, 4), Fraction(1), Fraction(4), Fraction(100))
SCHEDULES = ((Fraction(0), Fraction(1)), (Fraction(1, 2), Fraction(2), Fraction(8)), (Fraction(0), Fraction(100)))


def evaluate(cases: Sequence, sigmas: Sequence = SIGMAS, schedules: Sequence = SCHEDULES,
             order: int = 1, schedule_upto: int = 6, charpoly_upto: int = 6,
             all_sigma_proof: bool = True) -> Verdict:
    """Check ``dim E_s = n - 1`` for each ``(b, eta)``, each fixed sigma and each schedule.

    ``all_sigma_proof`` additionally requires the exact facts that prove it for
    every sigma >= 0 (raises inside are reported as failures).
    """
    failures = []
    counted = sched_counted = proofs = 0
    with Stopwatch() as sw:
        for b, eta in cases:
            n = len(b)
            if all_sigma_proof:
                try:
                    facts = saddle_facts(b, eta, order)
                    if all(facts.values()):
                        proofs += 1
                    else:
                        failures.append({"n": n, "facts": facts})
                except (ValueError, TypeError) as exc:
                    failures.append({"n": n, "error": str(exc)})
            for s in sigmas:
                try:
                    c = eigenvalue_counts(b, eta, s, order)
                except (ValueError, TypeError) as exc:
                    failures.append({"n": n, "sigma": str(s), "error": str(exc)})
                    continue
                counted += 1
                ok = c.inside == n - 1
                if ok and n <= charpoly_upto:
                    ok = tuple(eigenvalue_counts_charpoly(iteration_matrix(b, eta, s, order))) == tuple(c)
                if not ok:
                    failures.append({"n": n, "sigma": str(s), "counts": list(c)})
            if n <= schedule_upto:
                for sch in schedules:
                    c = schedule_counts(b, eta, sch, order)
                    sched_counted += 1
                    if c.inside != n - 1:
                        failures.append({"n": n, "schedule": [str(x) for x in sch], "counts": list(c)})
    return Verdict(
        name=NAME, claim=CLAIM, passed=not failures and counted > 0, level="proved",
        figures={"cases": len(cases), "fixed_sigma_counts": counted, "schedule_counts": sched_counted,
                 "all_sigma_proofs": proofs, "sigmas": [str(s) for s in sigmas],
                 "schedules": [[str(x) for x in s] for s in schedules],
                 "failures": failures[:5], "n_failures": len(failures),
                 "note": "dim E_s(T(sigma)) = n-1 for every sigma: only the intersection over sigma shrinks"},
        seconds=sw.seconds,
    )


def run(full: bool = False) -> Verdict:
    n_max = 64 if full else 24
    cases = [([Fraction(-1)] + [Fraction(1)] * (n - 1), Fraction(1)) for n in range(2, n_max + 1)]
    cases += [([Fraction(-2)] + [1 + Fraction(min(j, n - j), n) for j in range(1, n)], Fraction(1, 2))
              for n in range(2, n_max + 1)]
    return evaluate(cases)
