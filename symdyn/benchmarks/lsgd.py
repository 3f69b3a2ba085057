"""Benchmark: time to prove ``dim E_rob = floor((n-1)/2)`` for all ``n <= n_max``, against the naive route.

Routes
------
* **fast** (what ``lsgd_robust_bound`` uses): exact lower-bound facts + the
  structural (Cauchy) upper bound for ``B = diag(-1, 1, ..., 1)``; level proved.
* **certified**: exact lower bound + arb-certified rank of the normals in the
  symmetric block with adaptive precision; works for any canonical ``B``.
* **naive**: SymPy ``Matrix.eigenvects`` of the full ``T(sigma_i)``
  (``sigma_i = i/4``), exact rank of the stacked normals ``B u_i`` — run in a
  child process with a per-``n`` timeout.
* **float** (not a proof, shown for the caution in the spec): NumPy rank of the
  stacked float normals, compared with the certified rank.

All timings are wall-clock on the current machine (noisy when it is shared).
"""

from __future__ import annotations

import multiprocessing as mp
import time
from fractions import Fraction

import numpy as np

__all__ = ["run_benchmark", "naive_robust_upper_bound", "format_report", "main"]


def naive_robust_upper_bound(n: int, exact_rank: bool = False) -> int:
    """``n - rank[B u(sigma_i)]`` with SymPy ``eigenvects`` on the full matrices ``T(sigma_i)``.

    ``exact_rank=True`` takes the exact SymPy rank of the radical expressions
    (already hopeless at ``n = 4``); otherwise the rank is taken from the
    normals evaluated to 60 digits (mpmath SVD, threshold ``1e-40``), which is
    what a naive user would do — not a proof.
    """
    import mpmath
    import sympy

    b = [-1] + [1] * (n - 1)
    B = sympy.diag(*b)
    Lm = sympy.zeros(n, n)
    for i in range(n):
        Lm[i, i] += -2
        Lm[i, (i + 1) % n] += 1
        Lm[i, (i - 1) % n] += 1
    normals = []
    for i in range(1, n // 2 + 2):
        s = sympy.Rational(i, 4)
        T = sympy.eye(n) - (sympy.eye(n) - s * Lm).inv() * B
        for val, mult, vecs in T.eigenvects():
            if sympy.re(val.evalf(60)) > 1:  # the unique unstable eigenvalue 1 - mu > 1 (eta = 1)
                normals.append(B * vecs[0])
    M = sympy.Matrix.hstack(*normals)
    if exact_rank:
        return n - M.rank(simplify=True)
    with mpmath.workdps(60):
        Mn = mpmath.matrix([[mpmath.mpmathify(sympy.N(M[i, j], 60)) for j in range(M.shape[1])]
                            for i in range(n)])
        sv = mpmath.svd_c(Mn, compute_uv=False) if any(
            mpmath.im(x) != 0 for x in Mn) else mpmath.svd_r(Mn, compute_uv=False)
        rank = sum(1 for x in sv if abs(x) > mpmath.mpf(10) ** -40)
    return n - rank


def _naive_worker(n, q):
    t = time.perf_counter()
    ub = naive_robust_upper_bound(n)
    q.put((ub, time.perf_counter() - t))


def _run_naive(n: int, timeout: float):
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_naive_worker, args=(n, q))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.terminate()
        p.join()
        return None, None
    try:
        return q.get(timeout=1)
    except Exception:  # pragma: no cover
        return None, None


def _float_rank(b, sigmas) -> int:
    from symdyn.lsgd.matrices import iteration_matrix

    n = len(b)
    B = np.diag([float(v) for v in b])
    cols = []
    for s in sigmas:
        T = iteration_matrix([float(v) for v in b], 0.5, float(s), exact=False)
        w, V = np.linalg.eig(T)
        u = np.real(V[:, np.argmax(np.abs(w))])
        cols.append(B @ u)
    return int(np.linalg.matrix_rank(np.array(cols).T))


def run_benchmark(n_max: int = 256, naive_max: int = 8, naive_timeout: float = 120.0,
                  certified_ns=(8, 16, 32, 64, 128), float_ns=(6, 8, 10, 12, 14), progress: bool = False,
                  *, quick: bool = False) -> dict:
    """Run the benchmark and return a JSON-ready dict.

    Parameters
    ----------
    quick : smoke-run sizes (n_max=32, naive_max=5, certified_ns=(8, 16), float_ns=(6, 8))
    n_max : prove the bound (fast route) for every ``2 <= n <= n_max``
    naive_max : try the naive SymPy route for ``n = 2..naive_max`` (stops at the first timeout)
    naive_timeout : seconds allowed per ``n`` for the naive route
    certified_ns : sizes timed with the certified (arb) route
    float_ns : sizes where the float rank is compared with the certified rank (non-symmetric B)
    """
    if quick:
        n_max, naive_max, certified_ns, float_ns = min(n_max, 32), min(naive_max, 5), (8, 16), (6, 8)
    from symdyn.lsgd.matrices import canonical_b
    from symdyn.lsgd.robust import certified_upper_bound, default_sigmas, robust_dimension

    import scipy.linalg  # noqa: F401  (warm imports so no route pays them)
    import sympy  # noqa: F401

    robust_dimension(canonical_b(5), 1, method="certified")
    out: dict = {"n_max": n_max, "note": "wall-clock on a shared 2-core machine: noisy"}
    # fast route, every n
    per_n, ok, t_all = {}, True, time.perf_counter()
    for n in range(2, n_max + 1):
        t = time.perf_counter()
        r = robust_dimension(canonical_b(n), 1, method="structural")
        per_n[n] = time.perf_counter() - t
        ok = ok and r.dim == (n - 1) // 2
        if progress and n % 32 == 0:
            print(f"  fast route: n = {n} done ({time.perf_counter() - t_all:.1f} s)", flush=True)
    total = time.perf_counter() - t_all
    marks = [m for m in (2, 4, 8, 16, 32, 64, 128, 256, 512) if m <= n_max]
    out["fast"] = {"all_proved": ok, "total_seconds": total,
                   "cumulative_seconds": {m: sum(per_n[k] for k in range(2, m + 1)) for m in marks},
                   "per_n_seconds": {m: per_n[m] for m in marks}}
    # certified route at sizes
    cert = {}
    for n in certified_ns:
        if n > n_max:
            continue
        t = time.perf_counter()
        r = robust_dimension(canonical_b(n), 1, method="certified")
        cert[n] = {"seconds": time.perf_counter() - t, "dim": r.dim, "precision_bits": r.upper.precision,
                   "det": r.upper.det_enclosure}
        if progress:
            print(f"  certified route: n = {n}: {cert[n]['seconds']:.2f} s, {cert[n]['precision_bits']} bits", flush=True)
    out["certified"] = cert
    # naive route
    naive = {}
    for n in range(2, naive_max + 1):
        ub, secs = _run_naive(n, naive_timeout)
        if ub is None:
            naive[n] = {"seconds": None, "timeout": naive_timeout}
            if progress:
                print(f"  naive route: n = {n} timed out after {naive_timeout} s", flush=True)
            break
        t = time.perf_counter()
        fast = robust_dimension(canonical_b(n), 1, method="structural")
        tf = time.perf_counter() - t
        t = time.perf_counter()
        robust_dimension(canonical_b(n), 1, method="certified")
        tc = time.perf_counter() - t
        naive[n] = {"seconds": secs, "upper": ub, "agrees": ub == fast.upper.dim,
                    "ratio_vs_fast": secs / tf, "ratio_vs_certified": secs / tc}
        if progress:
            print(f"  naive route: n = {n}: {secs:.2f} s (x{secs / tf:.0f} fast, x{secs / tc:.0f} certified)", flush=True)
    out["naive"] = naive
    # float caution (non-symmetric B, full space)
    flt = {}
    for n in float_ns:
        b = [Fraction(-1)] + [Fraction(1 + (7 * j) % 5, 1 + j % 3) for j in range(1, n)]
        eta = Fraction(1, 2) if max(b) < 4 else 1 / max(b)
        sig = default_sigmas(n)
        cu = certified_upper_bound(b, eta, sig, block="full")
        flt[n] = {"certified_rank": cu.rank, "float_rank": _float_rank(b, sig), "precision_bits": cu.precision}
    out["float_vs_certified_rank"] = flt
    return out


def format_report(res: dict) -> str:
    """Plain-text tables of :func:`run_benchmark`'s result."""
    lines = [f"LSGD robust-bound benchmark ({res['note']})", ""]
    f = res["fast"]
    lines.append(f"fast route (exact lower bound + structural upper bound), all n <= {res['n_max']}: "
                 f"{f['total_seconds']:.2f} s, all proved: {f['all_proved']}")
    lines.append(f"{'n':>5} {'cumulative s':>13} {'this n s':>10}")
    for m in f["cumulative_seconds"]:
        lines.append(f"{m:>5} {f['cumulative_seconds'][m]:>13.3f} {f['per_n_seconds'][m]:>10.4f}")
    lines += ["", "certified route (arb, adaptive precision), canonical B:",
              f"{'n':>5} {'seconds':>9} {'bits':>6}  det enclosure"]
    for n, c in res["certified"].items():
        lines.append(f"{n:>5} {c['seconds']:>9.3f} {c['precision_bits']:>6}  {c['det']}")
    lines += ["", "naive route (SymPy eigenvects on full T(sigma_i); rank of the normals at 60 digits):",
              f"{'n':>5} {'seconds':>9} {'x fast':>9} {'x certified':>12} agrees"]
    for n, c in res["naive"].items():
        if c["seconds"] is None:
            lines.append(f"{n:>5} timeout after {c['timeout']} s")
        else:
            lines.append(f"{n:>5} {c['seconds']:>9.2f} {c['ratio_vs_fast']:>9.0f} {c['ratio_vs_certified']:>12.0f} {c['agrees']}")
    lines += ["", "float rank of stacked normals vs certified rank (non-symmetric B, full space):",
              f"{'n':>5} {'certified':>10} {'float':>6}"]
    for n, c in res["float_vs_certified_rank"].items():
        lines.append(f"{n:>5} {c['certified_rank']:>10} {c['float_rank']:>6}")
    return "\n".join(lines)


def main(argv=None) -> int:  # pragma: no cover - thin wrapper
    import argparse
    import json

    ap = argparse.ArgumentParser(prog="symdyn-bench-lsgd", description="LSGD robust-bound benchmark")
    ap.add_argument("--n-max", type=int, default=256)
    ap.add_argument("--naive-max", type=int, default=8)
    ap.add_argument("--naive-timeout", type=float, default=120.0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    res = run_benchmark(a.n_max, a.naive_max, a.naive_timeout, progress=not a.json)
    print(json.dumps(res, indent=2, default=str) if a.json else format_report(res))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
