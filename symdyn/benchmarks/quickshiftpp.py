"""Quickshift++ benchmarks: fit against a plain k-NN query, memory, the reference, peers.

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

__all__ = ["three_gaussians", "speed_vs_knn", "scale_run", "reference_comparison", "ann_comparison", "peer_comparison",
           "run_benchmark", "format_report"]


def three_gaussians(n: int, seed: int = 0):
    """Three separated unit 2-D Gaussians (the issue's benchmark data)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    return centres[y] + rng.normal(size=(n, 2)), y


def _phases(X, k, beta):
    """Seconds of each stage of one fit (same code path as ``fit``)."""
    from symdyn.cluster._cores import find_cores
    from symdyn.cluster._denser import nearest_denser
    from symdyn.cluster._knn import neighbour_lists
    from symdyn.cluster._quickshiftpp import _rescale

    t0 = time.perf_counter()
    Xs, _ = _rescale(X)
    lists, _ = neighbour_lists(Xs, k)
    t1 = time.perf_counter()
    core_label, _, order, rank = find_cores(lists, beta=beta, epsilon=0.0, n_features=X.shape[1])
    t2 = time.perf_counter()
    free = np.flatnonzero(core_label < 0)
    nearest_denser(lists, rank, order, free)
    t3 = time.perf_counter()
    return {"knn": t1 - t0, "cores": t2 - t1, "links": t3 - t2, "tie_rows": int(lists.tie_rows.size)}


def speed_vs_knn(n: int = 100_000, k: int = 100, beta: float = 0.5, repeats: int = 3, seed: int = 0,
                 phases: bool = True) -> dict:
    """Total ``fit`` time against a plain exact k-NN query of the same data, same run.

    The baseline is ``cKDTree(X).query(X, k, workers=-1)`` (tree build included),
    the unavoidable first step of a k-NN density method done the plain way.
    Query and fit alternate (query, fit, query, fit, ...) so that load changes
    on a shared machine hit both alike; the ratio is taken per pair.

    Returns
    -------
    dict
        ``knn_seconds`` / ``fit_seconds`` (lists of the repeats), ``ratio_min`` and
        ``ratio_median`` (over the per-pair ratios), ``ratio`` (= ``ratio_median``),
        ``n_clusters``, ``ari`` against the generating labels, and the stage split
        of one extra fit (``phases``).

    Examples
    --------
    >>> r = speed_vs_knn(n=3000, k=20, repeats=1)
    >>> r["n_clusters"], r["ratio"] > 0
    (3, True)
    """
    from scipy.spatial import cKDTree
    from sklearn.metrics import adjusted_rand_score

    from symdyn.cluster import QuickshiftPP

    X, y = three_gaussians(n, seed)
    knn_t, fit_t = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        cKDTree(X).query(X, k=k, workers=-1)
        knn_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        est = QuickshiftPP(k=k, beta=beta).fit(X)
        fit_t.append(time.perf_counter() - t)
    ratios = [f / q for f, q in zip(fit_t, knn_t)]
    return {
        "n": n, "k": k, "beta": beta, "repeats": repeats, "knn_seconds": knn_t, "fit_seconds": fit_t,
        "ratio_min": min(ratios), "ratio_median": float(np.median(ratios)), "ratio": float(np.median(ratios)),
        "n_clusters": int(est.n_clusters_), "ari": float(adjusted_rand_score(y, est.labels_)),
        "phases": _phases(X, k, beta) if phases else None,
    }


_SCALE_SCRIPT = """
import json, resource, sys, time
import numpy as np


def peak_kib():
    # VmHWM is this process's own high-water mark; ru_maxrss would inherit the
    # parent's peak across fork + exec on Linux.
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


from symdyn.benchmarks.quickshiftpp import three_gaussians
from symdyn.cluster import QuickshiftPP
n, k = int(sys.argv[1]), int(sys.argv[2])
X, y = three_gaussians(n)
base = peak_kib()
t = time.perf_counter()
est = QuickshiftPP(k=k, beta=0.5).fit(X)
sec = time.perf_counter() - t
n_clusters = est.n_clusters_
peak = peak_kib()
from sklearn.metrics import adjusted_rand_score
ari = float(adjusted_rand_score(y, est.labels_))
del est
knn_sec = None
if len(sys.argv) > 3 and sys.argv[3] == "1":  # the plain query, after the fit's peak was read
    from scipy.spatial import cKDTree
    t = time.perf_counter()
    cKDTree(X).query(X, k=k, workers=-1)
    knn_sec = time.perf_counter() - t
print(json.dumps({"n": n, "k": k, "seconds": sec, "peak_rss_gib": peak / 2**20,
                  "rss_before_fit_gib": base / 2**20, "n_clusters": int(n_clusters), "ari": ari,
                  "knn_seconds": knn_sec, "ratio": sec / knn_sec if knn_sec else None,
                  "load_average": list(__import__("os").getloadavg())}))
"""


def scale_run(n: int = 1_000_000, k: int = 100, baseline: bool = True) -> dict:
    """Fit ``n`` points in a fresh process; wall time and peak resident memory (GiB).

    The peak (``VmHWM`` of the child, ``ru_maxrss`` where /proc is absent) is read right after the fit, so it is the fit's
    peak including the data (``rss_before_fit_gib``).  With ``baseline`` the
    plain query is timed afterwards in the same process (``knn_seconds``, ``ratio``).

    Examples
    --------
    >>> r = scale_run(n=2000, k=20)
    >>> r["n_clusters"], r["peak_rss_gib"] < 4
    (3, True)
    """
    out = subprocess.run([sys.executable, "-c", _SCALE_SCRIPT, str(n), str(k), "1" if baseline else "0"], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def reference_comparison(n: int = 100_000, k: int = 100, beta: float = 0.5) -> dict | None:
    """The authors' C++/Cython extension (module ``QuickshiftPP``), when importable.

    Returns None when the extension is not installed (it does not build on
    current Python / scikit-learn); otherwise fit times of both and the ARI
    between their partitions, with the plain query as the common baseline.
    """
    try:
        from QuickshiftPP import QuickshiftPP as Reference
    except Exception:  # ImportError, or the extension's own import-time failures
        return None
    from scipy.spatial import cKDTree
    from sklearn.metrics import adjusted_rand_score

    from symdyn.cluster import QuickshiftPP

    X, _ = three_gaussians(n)
    t = time.perf_counter()
    cKDTree(X).query(X, k=k, workers=-1)
    q = time.perf_counter() - t
    t = time.perf_counter()
    ours = QuickshiftPP(k=k, beta=beta).fit(X).labels_
    f = time.perf_counter() - t
    ref = Reference(k=k, beta=beta)
    t = time.perf_counter()
    ref.fit(np.ascontiguousarray(X))
    r = time.perf_counter() - t
    return {"n": n, "k": k, "knn_seconds": q, "fit_seconds": f, "reference_seconds": r,
            "ari_vs_reference": float(adjusted_rand_score(ref.memberships, ours))}


def ann_comparison(n: int = 20_000, k: int = 100, dims=(20, 35, 50), beta: float = 0.5) -> list | None:
    """Recall of the NN-descent lists against the exact ones, and the ARI it costs.

    Data: ``make_blobs(n, d, centers=5, cluster_std=2, random_state=0)``.  Recall
    is the mean fraction of each point's ``k`` exact neighbours (self included)
    found in its approximate list; ARIs compare the two partitions with each
    other and with the generating labels.  None when pynndescent is missing.
    """
    try:
        import pynndescent  # noqa: F401
    except ImportError:
        return None
    from sklearn.datasets import make_blobs
    from sklearn.metrics import adjusted_rand_score

    from symdyn.cluster import QuickshiftPP
    from symdyn.cluster._knn import neighbour_lists

    def rows_by_coordinates(lists):
        o = np.lexsort(lists.points.T[::-1])
        inv = np.empty_like(o)
        inv[o] = np.arange(o.size)
        return inv[lists.idx[o][:, :k]]

    out = []
    for d in dims:
        X, y = make_blobs(n_samples=n, n_features=d, centers=5, cluster_std=2.0, random_state=0)
        exact = rows_by_coordinates(neighbour_lists(X, k)[0])
        approx = rows_by_coordinates(neighbour_lists(X, k, backend="pynndescent")[0])
        recall = float(np.mean((np.sort(exact, axis=1)[:, :, None] == approx[:, None, :]).any(axis=2)))
        t = time.perf_counter()
        le = QuickshiftPP(k=k, beta=beta).fit(X).labels_
        fe = time.perf_counter() - t
        t = time.perf_counter()
        la = QuickshiftPP(k=k, beta=beta, knn="nndescent").fit(X).labels_
        fa = time.perf_counter() - t
        out.append({"n": n, "d": d, "k": k, "recall": recall, "ari_exact_vs_ann": float(adjusted_rand_score(le, la)),
                    "ari_exact_truth": float(adjusted_rand_score(y, le)), "ari_ann_truth": float(adjusted_rand_score(y, la)),
                    "fit_exact_seconds": fe, "fit_ann_seconds": fa})
    return out


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


def run_benchmark(quick: bool = False, large: bool = False) -> dict:
    """Speed against the plain query, peak memory, the reference, and the peers.

    Parameters
    ----------
    quick : bool
        Small sizes (2e4 and 1e5 at k=100, one repeat), no fresh-process runs.
    large : bool
        Also fit 1e7 2-D points at k=20 in a fresh process (minutes; ~3 GiB).

    Returns
    -------
    dict with keys ``speed`` (list, one entry per n), ``scale`` (list of
    fresh-process runs with peak memory), ``reference`` (None when the
    extension is not importable), ``peers`` and ``load_average``.
    """
    import os

    load = list(os.getloadavg())
    if quick:
        speed = [speed_vs_knn(n=n, k=100, repeats=1) for n in (20_000, 100_000)]
        scale = []
    else:
        speed = [speed_vs_knn(n=n, k=100, repeats=3) for n in (100_000, 1_000_000)]
        scale = [scale_run(n, 100) for n in (100_000, 1_000_000)]
    if large:
        scale.append(scale_run(10_000_000, 20))
    reference = reference_comparison(20_000 if quick else 100_000, 100)
    ann = ann_comparison(n=3000, k=30, dims=(20,)) if quick else ann_comparison()
    peers = peer_comparison(quick=quick)
    return {"speed": speed, "scale": scale, "reference": reference, "ann": ann, "peers": peers,
            "load_average": {"start": load, "end": list(os.getloadavg())}}


def format_report(result: dict) -> str:
    """Markdown report of :func:`run_benchmark`'s result."""
    speed = result["speed"] if isinstance(result["speed"], list) else [result["speed"]]
    lines = ["## Quickshift++ fit vs a plain cKDTree k-NN query (workers=-1), same data, same run",
             "| n | k | query s (each repeat) | fit s (each repeat) | fit/query min | median | clusters | ARI |",
             "|---|---|---|---|---|---|---|---|"]
    for s in speed:
        q = ", ".join(f"{v:.2f}" for v in np.atleast_1d(s["knn_seconds"]))
        f = ", ".join(f"{v:.2f}" for v in np.atleast_1d(s["fit_seconds"]))
        lines.append(f"| {s['n']:.0e} | {s['k']} | {q} | {f} | {s.get('ratio_min', s['ratio']):.2f} | "
                     f"{s.get('ratio_median', s['ratio']):.2f} | {s['n_clusters']} | {s.get('ari', float('nan')):.4f} |")
    for s in speed:
        if s.get("phases"):
            p = s["phases"]
            lines.append(f"stages at n={s['n']:.0e}: k-NN {p['knn']:.2f} s, cores {p['cores']:.2f} s, "
                         f"links {p['links']:.2f} s ({p['tie_rows']} tied rows)")
    scale = result.get("scale") or []
    if isinstance(scale, dict):
        scale = [scale]
    if scale:
        lines += ["\n## Fresh-process runs (peak resident memory of the fit, data included)",
                  "| n | k | fit s | query s | fit/query | peak RSS GiB | clusters | ARI | load |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for c in scale:
            qs = f"{c['knn_seconds']:.1f}" if c.get("knn_seconds") else "-"
            ratio = f"{c['ratio']:.2f}" if c.get("ratio") else "-"
            load = ", ".join(f"{v:.1f}" for v in c.get("load_average", [])) or "-"
            lines.append(f"| {c['n']:.0e} | {c['k']} | {c['seconds']:.1f} | {qs} | {ratio} | {c['peak_rss_gib']:.2f} | "
                         f"{c['n_clusters']} | {c['ari']:.4f} | {load} |")
    ref = result.get("reference")
    lines.append("\n## Reference extension")
    if ref:
        lines.append(f"n={ref['n']}, k={ref['k']}: query {ref['knn_seconds']:.2f} s, symdyn {ref['fit_seconds']:.2f} s, "
                     f"reference {ref['reference_seconds']:.2f} s; ARI(symdyn, reference) = {ref['ari_vs_reference']:.4f}")
    else:
        lines.append("not importable (module QuickshiftPP); skipped")
    if result.get("ann"):
        lines += ["\n## knn='nndescent' vs exact (make_blobs, 5 centres)",
                  "| n | d | k | recall | ARI(exact, ann) | ARI exact/truth | ARI ann/truth | fit exact s | fit ann s |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for a in result["ann"]:
            lines.append(f"| {a['n']} | {a['d']} | {a['k']} | {a['recall']:.5f} | {a['ari_exact_vs_ann']:.5f} | "
                         f"{a['ari_exact_truth']:.4f} | {a['ari_ann_truth']:.4f} | {a['fit_exact_seconds']:.2f} | "
                         f"{a['fit_ann_seconds']:.2f} |")
    if result.get("load_average"):
        la = result["load_average"]
        lines.append(f"\nload average (1, 5, 15 min) at start {la['start']}, end {la['end']} on {__import__('os').cpu_count()} cores")
    lines += ["\n## Peer comparison (best over a parameter sweep)",
              "| data | method | best ARI | best AMI | mean fit s | best-ARI params |", "|---|---|---|---|---|---|"]
    for r in result["peers"]["rows"]:
        lines.append(f"| {r['data']} | {r['method']} | {r['best_ari']:.3f} | {r['best_ami']:.3f} | "
                     f"{r['mean_fit_seconds']:.3f} | {r['best_ari_params']} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(format_report(run_benchmark(quick="--quick" in sys.argv, large="--large" in sys.argv)))
