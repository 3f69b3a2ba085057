"""Quickshift++ is consistent on Gaussian mixtures when k grows with n.

The mixture: three 2-D Gaussians with unequal weights (0.5, 0.3, 0.2) and
unequal scales (1, 0.7, 0.5), centres 8 units apart, so the Bayes partition
is essentially error-free and ARI can approach 1.

Choice of k: the k-NN density estimate needs ``k -> inf`` (its relative
variance is ~ 1/k) and ``k / n -> 0`` (its bias ~ (k/n)^(2/d)); modal-set
consistency (Jiang & Kpotufe) additionally needs ``k >> log n``.  ``k = c sqrt(n)``
meets all three, stays below the MSE-optimal ``n^(4/(4+d)) = n^(2/3)`` (d = 2),
which keeps the estimated density sharp between modes, and matches the known
good setting of the spec (k ~ 100 at n = 20 000, i.e. c ~ 0.7).
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import adjusted_rand_score

from symdyn.verdict import Stopwatch, Verdict

NAME = "quickshiftpp_consistency"
CLAIM = (
    "On a 3-component Gaussian mixture, Quickshift++ with k = 0.7 sqrt(n) finds exactly the "
    "true number of clusters at the larger sample sizes and its ARI rises to >= 0.99 as n grows "
    "from 1e3 to 2e4 (1e5 with --full)."
)

CENTRES = np.array([[0.0, 0.0], [8.0, 0.0], [4.0, 7.0]])
WEIGHTS = np.array([0.5, 0.3, 0.2])
SCALES = np.array([1.0, 0.7, 0.5])


def sample_mixture(n: int, seed: int = 0):
    """Draw ``n`` points of the mixture; returns ``(X, true_labels)``.

    Examples
    --------
    >>> X, y = sample_mixture(10, seed=1)
    >>> X.shape, sorted(set(y.tolist())) <= [0, 1, 2]
    ((10, 2), True)
    """
    rng = np.random.default_rng(seed)
    y = rng.choice(3, size=n, p=WEIGHTS)
    X = CENTRES[y] + rng.normal(size=(n, 2)) * SCALES[y, None]
    return X, y


def sqrt_rule(c: float = 0.7):
    """``k(n) = max(5, round(c sqrt(n)))``."""
    return lambda n: max(5, int(round(c * math.sqrt(n))))


def evaluate(ns, k_rule=None, *, beta: float = 0.5, true_count: int = 3, ari_target: float = 0.99,
             n_stable: int = 2, seed: int = 0) -> Verdict:
    """Run Quickshift++ at each n and judge consistency.

    Parameters
    ----------
    ns : sequence of int
        Increasing sample sizes.
    k_rule : callable n -> k, optional
        Default :func:`sqrt_rule` (``k = 0.7 sqrt(n)``).
    beta : float
        Quickshift++ fluctuation parameter.
    true_count : int
        The number of clusters the claim says is recovered.
    ari_target : float
        ARI the largest n must reach.
    n_stable : int
        The cluster count must equal ``true_count`` at the last ``n_stable`` sizes.
    seed : int

    Returns
    -------
    Verdict
        ``figures["table"]`` lists (n, k, n_clusters, ARI, seconds).

    Examples
    --------
    >>> evaluate([1000, 2000], n_stable=1, ari_target=0.95).passed
    True
    """
    from symdyn.cluster import QuickshiftPP

    k_rule = sqrt_rule() if k_rule is None else k_rule
    rows = []
    with Stopwatch() as sw:
        for i, n in enumerate(ns):
            X, y = sample_mixture(int(n), seed=seed + i)
            k = int(k_rule(int(n)))
            with Stopwatch() as fit_sw:
                est = QuickshiftPP(k=k, beta=beta).fit(X)
            ari = float(adjusted_rand_score(y, est.labels_))
            rows.append({"n": int(n), "k": k, "n_clusters": int(est.n_clusters_), "ari": round(ari, 5),
                         "seconds": round(fit_sw.seconds, 3)})
    counts_ok = all(r["n_clusters"] == true_count for r in rows[-n_stable:])
    final_ari = rows[-1]["ari"]
    trend_ok = final_ari >= max(r["ari"] for r in rows) - 0.005
    passed = counts_ok and final_ari >= ari_target and trend_ok
    return Verdict(
        name=NAME, claim=CLAIM, passed=passed, level="numerical",
        figures={
            "final_n": rows[-1]["n"], "final_k": rows[-1]["k"], "final_clusters": rows[-1]["n_clusters"],
            "final_ari": final_ari, "true_count": true_count, "beta": beta,
            "count_reached_at_last": n_stable, "table": rows,
        },
        seconds=sw.seconds,
    )


def run(full: bool = False) -> Verdict:
    """The claim check: n = 1e3 .. 2e4 by default, up to 1e5 with ``full=True``."""
    ns = [1_000, 3_000, 10_000, 20_000] + ([50_000, 100_000] if full else [])
    return evaluate(ns)


def format_table(verdict: Verdict) -> str:
    """Markdown table of ``verdict.figures["table"]``."""
    lines = ["| n | k | clusters | ARI | fit s |", "|---|---|---|---|---|"]
    for r in verdict.figures["table"]:
        lines.append(f"| {r['n']} | {r['k']} | {r['n_clusters']} | {r['ari']:.4f} | {r['seconds']:.2f} |")
    return "\n".join(lines)
