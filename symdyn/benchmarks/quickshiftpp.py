"""Quickshift++ benchmarks: speed against the exact k-NN floor, scale, peer comparison.

Timings on a shared machine are noisy; every speed figure is therefore a
ratio against a baseline measured in the same run (exact ``cKDTree`` k-NN with
all cores, the unavoidable first step of any k-NN density method).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np

__all__ = ["three_gaussians", "speed_vs_knn", "scale_run", "peer_comparison", "run_benchmark", "format_report"]


def three_gaussians(n: int, seed: int = 0):
    """Three separated unit 2-D Gaussians (the issue's benchmark data)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    return centres[y] + rng.normal(size=(n, 2)), y


def speed_vs_knn(n: int = 100_000, k: int = 100, beta: float = 0.5, repeats: int = 2, seed: int = 0) -> dict:
    """Total ``fit`` time over the exact k-NN time (tree build + query, ``workers=-1``).

    Returns a dict with the best-of-``repeats`` times, the ratio and the phase
    split of one fit (k-NN, cores, nearest-denser links).

    Examples
    --------
    >>> r = speed_vs_knn(n=3000, k=20, repeats=1)
    >>> r["n_clusters"], r["ratio"] > 0
    (3, True)
    """
    from scipy.spatial import cKDTree

    from symdyn.cluster import QuickshiftPP
    from symdyn.cluster._cores import find_cores
    from symdyn.cluster._denser import nearest_denser
    from symdyn.cluster._knn import knn

    X, _ = three_gaussians(n, seed)
    knn_t, fit_t = [], []
    for _ in range(repeats):  # interleaved, so load changes hit both alike
        t = time.perf_counter()
        cKDTree(X).query(X, k=k, workers=-1)
        knn_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        est = QuickshiftPP(k=k, beta=beta).fit(X)
        fit_t.append(time.perf_counter() - t)
    t0 = time.perf_counter()
    _, dist, idx, r = knn(X, k)
    t1 = time.perf_counter()
    core_label, seeds, order, _ = find_cores(dist, idx, r, beta=beta, epsilon=0.0, n_features=2)
    t2 = time.perf_counter()
    free = np.flatnonzero(core_label < 0)
    nearest_denser(X, r, order, free, dist=dist, idx=idx)
    t3 = time.perf_counter()
    return {
        "n": n, "k": k, "beta": beta, "knn_seconds": min(knn_t), "fit_seconds": min(fit_t),
        "ratio": min(fit_t) / min(knn_t), "n_clusters": int(est.n_clusters_),
        "phases": {"knn": t1 - t0, "cores": t2 - t1, "links": t3 - t2},
    }


_SCALE_SCRIPT = """
import json, resource, sys, time
import numpy as np
from symdyn.benchmarks.quickshiftpp import three_gaussians
from symdyn.cluster import QuickshiftPP
n, k = int(sys.argv[1]), int(sys.argv[2])
X, y = three_gaussians(n)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
est = QuickshiftPP(k=k, beta=0.5).fit(X)
sec = time.perf_counter() - t
n_clusters = est.n_clusters_
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from sklearn.metrics import adjusted_rand_score
ari = float(adjusted_rand_score(y, est.labels_))
del est
knn_sec = None
if len(sys.argv) > 3 and sys.argv[3] == "1":  # the k-NN floor, after the peak was read
    from scipy.spatial import cKDTree
    t = time.perf_counter()
    cKDTree(X).query(X, k=k, workers=-1)
    knn_sec = time.perf_counter() - t
print(json.dumps({"n": n, "k": k, "seconds": sec, "peak_rss_gib": peak / 2**20,
                  "rss_before_fit_gib": base / 2**20, "n_clusters": int(n_clusters), "ari": ari,
                  "knn_seconds": knn_sec, "ratio": sec / knn_sec if knn_sec else None}))
"""


def scale_run(n: int = 1_000_000, k: int = 100, baseline: bool = True) -> dict:
    """Fit ``n`` points in a fresh process; wall time and peak resident memory (GiB).

    With ``baseline`` the exact k-NN query is timed afterwards in the same
    process (``knn_seconds``, ``ratio``), after the fit's peak memory was read.

    Examples
    --------
    >>> r = scale_run(n=2000, k=20)
    >>> r["n_clusters"], r["peak_rss_gib"] < 4
    (3, True)
    """
    out = subprocess.run([sys.executable, "-c", _SCALE_SCRIPT, str(n), str(k), "1" if baseline else "0"], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _datasets(quick: bool):
    from sklearn import datasets
    from sklearn.preprocessing import StandardScaler

    n = 500 if quick else 1500
    out = {}
    X, y = datasets.make_moons(n_samples=n, noise=0.05, random_state=0)
    out["moons"] = (X, y)
    X, y = datasets.make_circles(n_samples=n, factor=0.5, noise=0.05, random_state=0)
    out["circles"] = (X, y)
    X, y = datasets.make_blobs(n_samples=n, random_state=170)
    out["anisotropic"] = (X @ np.array([[0.6, -0.6], [-0.4, 0.8]]), y)
    X, y = datasets.make_blobs(n_samples=n, cluster_std=[1.0, 2.5, 0.5], random_state=170)
    out["varied"] = (X, y)
    loaders = {"iris": datasets.load_iris, "wine": datasets.load_wine,
               "breast_cancer": datasets.load_breast_cancer, "digits": datasets.load_digits}
    for name, load in loaders.items():
        if quick and name in ("breast_cancer", "digits"):
            continue
        d = load()
        out[name] = (d.data, d.target)
    return {name: (StandardScaler().fit_transform(X), y) for name, (X, y) in out.items()}


def _sweeps(X, quick: bool):
    from sklearn.cluster import DBSCAN, HDBSCAN, KMeans, MeanShift, estimate_bandwidth
    from sklearn.neighbors import NearestNeighbors

    from symdyn.cluster import QuickshiftPP

    n = X.shape[0]
    ks = [k for k in (5, 10, 15, 20, 30, 50) if k < n]
    betas = (0.3, 0.5, 0.7) if quick else (0.3, 0.5, 0.7, 0.9)
    yield "Quickshift++", [(f"k={k},beta={b}", lambda k=k, b=b: QuickshiftPP(k=k, beta=b)) for k in ks for b in betas]
    yield "KMeans", [(f"n_clusters={c}", lambda c=c: KMeans(n_clusters=c, n_init=4, random_state=0))
                     for c in range(2, 11)]
    bws = []
    for q in (0.1, 0.2, 0.3, 0.5):
        bw = estimate_bandwidth(X, quantile=q, n_samples=min(n, 500), random_state=0)
        if bw > 0:
            bws.append(bw)
    yield "MeanShift", [(f"bandwidth={bw:.3g}", lambda bw=bw: MeanShift(bandwidth=bw, bin_seeding=True))
                        for bw in bws]
    kd = np.sort(NearestNeighbors(n_neighbors=10).fit(X).kneighbors(X)[0][:, -1])
    eps = sorted({float(np.quantile(kd, q)) for q in (0.1, 0.3, 0.5, 0.7, 0.9)})
    yield "DBSCAN", [(f"eps={e:.3g},min_samples={m}", lambda e=e, m=m: DBSCAN(eps=e, min_samples=m))
                     for e in eps for m in (5, 10)]
    yield "HDBSCAN", [(f"min_cluster_size={m}", lambda m=m: HDBSCAN(min_cluster_size=m))
                      for m in (5, 10, 20, 40) if m < n]


def peer_comparison(quick: bool = False, names=None) -> dict:
    """Best-over-sweep ARI / AMI and mean fit time of five clustering methods.

    Data: two moons, circles, anisotropic and varied-variance blobs
    (scikit-learn generators), iris, wine, breast cancer, digits (standardised).

    Parameters
    ----------
    quick : bool
        Smaller generated sets, fewer beta values, no breast cancer / digits.
    names : sequence of str, optional
        Only these data sets.

    Returns
    -------
    dict
        ``{"rows": [{"data", "method", "best_ari", "best_ari_params", "best_ami",
        "mean_fit_seconds", "configs"}, ...]}``.
    """
    import warnings

    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    rows = []
    data = _datasets(quick)
    if names is not None:
        unknown = sorted(set(names) - set(data))
        if unknown:
            raise ValueError(f"names: unknown data set(s) {unknown}; available: {sorted(data)}")
        data = {k: v for k, v in data.items() if k in names}
    for dname, (X, y) in data.items():
        for method, configs in _sweeps(X, quick):
            best_ari, best_ami, best_p, total = -1.0, -1.0, "", 0.0
            for label, make in configs:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t = time.perf_counter()
                    pred = make().fit_predict(X)
                    total += time.perf_counter() - t
                ari = adjusted_rand_score(y, pred)
                best_ami = max(best_ami, adjusted_mutual_info_score(y, pred))
                if ari > best_ari:
                    best_ari, best_p = ari, label
            rows.append({"data": dname, "method": method, "best_ari": round(float(best_ari), 4),
                         "best_ari_params": best_p, "best_ami": round(float(best_ami), 4),
                         "mean_fit_seconds": total / max(1, len(configs)), "configs": len(configs)})
    return {"rows": rows}


def run_benchmark(quick: bool = False) -> dict:
    """All three benchmarks (``quick``: small sizes, no 1e6 run).

    Returns
    -------
    dict with keys ``speed``, ``scale`` (None when quick) and ``peers``.
    """
    speed = speed_vs_knn(n=20_000 if quick else 100_000, k=100, beta=0.5, repeats=1 if quick else 2)
    scale = None if quick else scale_run(1_000_000, 100)
    peers = peer_comparison(quick=quick)
    return {"speed": speed, "scale": scale, "peers": peers}


def format_report(result: dict) -> str:
    """Markdown report of :func:`run_benchmark`'s result."""
    s = result["speed"]
    lines = [
        "## Quickshift++ speed (same-run baseline: exact cKDTree k-NN, workers=-1)",
        f"n={s['n']}, k={s['k']}, beta={s['beta']}: k-NN {s['knn_seconds']:.2f} s, fit {s['fit_seconds']:.2f} s, "
        f"ratio {s['ratio']:.2f} (target <= 2); phases: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in s["phases"].items()),
    ]
    if result.get("scale"):
        c = result["scale"]
        ratio = f", k-NN floor {c['knn_seconds']:.1f} s (ratio {c['ratio']:.2f})" if c.get("knn_seconds") else ""
        lines.append(f"\n## Scale\nn={c['n']}, k={c['k']}: {c['seconds']:.1f} s, peak RSS {c['peak_rss_gib']:.2f} GiB, "
                     f"{c['n_clusters']} clusters, ARI {c['ari']:.4f}{ratio}")
    lines += ["\n## Peer comparison (best over a parameter sweep)",
              "| data | method | best ARI | best AMI | mean fit s | best-ARI params |", "|---|---|---|---|---|---|"]
    for r in result["peers"]["rows"]:
        lines.append(f"| {r['data']} | {r['method']} | {r['best_ari']:.3f} | {r['best_ami']:.3f} | "
                     f"{r['mean_fit_seconds']:.3f} | {r['best_ari_params']} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(format_report(run_benchmark(quick="--quick" in sys.argv)))
