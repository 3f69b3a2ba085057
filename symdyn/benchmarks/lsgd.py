"""Benchmark of real LSGD proof work; every ratio compares two routes on the SAME task, in the same run.

Sections (what each route proves, and at which level)
-----------------------------------------------------
1. **Whole-class symbolic proof** (``proved``, every ``n``, every profile of the class):
   :func:`~symdyn.lsgd.wholeclass.recurrence_lemma`, :func:`~symdyn.lsgd.wholeclass.window_lemma`,
   :func:`~symdyn.lsgd.wholeclass.whole_class_theorem` (without the converse) and
   :func:`~symdyn.lsgd.wholeclass.converse_lemma` (``n <= 5``), each timed cold (their
   ``lru_cache`` and SymPy's cache cleared first). No other route proves a statement for
   every ``n``, so there is no ratio here.
2. **Per-n symbolic re-check** (``proved`` for that ``n`` and every profile): the uncached body of
   :func:`~symdyn.lsgd.wholeclass.check_n` for ``n = 2..n_max`` in one process (SymPy's cache
   warm from the previous ``n``, as in the checks), symmetric and general diagonal profiles.
3. **Certified route per profile** (``certified``, one profile per ``n``): random
   reflection-symmetric profiles (:func:`random_symmetric_profile`, fixed seed), ``eta = 1/2``;
   exact lower bound :func:`~symdyn.lsgd.robust.robust_lower_bound` and the arb upper bound
   :func:`~symdyn.lsgd.robust.certified_upper_bound` (``block='symmetric'``, adaptive precision).
   Same task, other route: the dense full-symmetric route
   :func:`~symdyn.lsgd.fullsym.symmetric_robust_dimension` on ``diag(b)`` (``n <= 64``).
4. **Naive upper bound, same task** (``numerical`` only): SymPy ``eigenvects`` of the exact
   ``T(sigma_i)`` at the same ``sigma_i = i/4`` and the same profile, unstable eigenvector picked
   by a 60-digit evaluation, rank of the stacked normals ``B u_i`` by a 60-digit SVD; compared
   with the certified upper bound (timed again for that ``n``). Child process, per-``n`` timeout.
5. **Exact eigenvalue counts** of ``T(1/2)`` (``proved``): inertia route
   :func:`~symdyn.lsgd.attraction.eigenvalue_counts` (sparse exact LDL) against the
   characteristic-polynomial Sturm route (:func:`~symdyn.lsgd.matrices.iteration_matrix` +
   :func:`~symdyn.lsgd.attraction.eigenvalue_counts_charpoly`, python-flint); and the naive
   route: SymPy builds ``T`` from its definition, ``Matrix.eigenvals()``, each ``|lambda|``
   compared with 1 by SymPy (a comparison SymPy cannot decide is counted as *undecided*).

Wall-clock on the current machine (``time.perf_counter``); shared machines make it noisy,
so compare ratios of one run. ``symdyn bench lsgd [--quick] [--large] [-o FILE|-]``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time
from fractions import Fraction

import numpy as np

from .._validation import check_int

__all__ = ["run_benchmark", "format_report", "verify", "random_symmetric_profile", "naive_upper_bound",
           "naive_counts", "DEFAULT_SEED", "ETA", "SIGMA_COUNTS"]

DEFAULT_SEED = 2026
#: Step size for every profile (``eta max b < 2`` holds: entries of the profiles are ``< 4``).
ETA = Fraction(1, 2)
#: ``sigma`` of the exact-count comparison.
SIGMA_COUNTS = Fraction(1, 2)
#: Caps: the symbolic re-check is ~O(n^2) SymPy work; charpoly at n = 64 takes ~30 s.
MAX_BENCH_N = {"symbolic": 1024, "certified": 512, "counts": 96, "naive": 64}

_SIZES = {
    "quick": {"symbolic_n_max": 32, "certified_ns": (8, 16), "dense_max": 8, "naive_upper_ns": (2, 4),
              "counts_ns": (4, 8), "naive_counts_ns": (3, 6), "converse_max": 4},
    "default": {"symbolic_n_max": 256, "certified_ns": (8, 16, 32, 64, 128), "dense_max": 64,
                "naive_upper_ns": (2, 4, 6, 8, 12, 16, 24, 32), "counts_ns": (4, 8, 16, 32),
                "naive_counts_ns": (3, 4, 5, 6, 8, 12, 16), "converse_max": 5},
}


# --------------------------------------------------------------------------- inputs
def random_symmetric_profile(n: int, seed: int = DEFAULT_SEED) -> list:
    """A reflection-symmetric diagonal profile ``b`` with one negative entry, reproducible from ``(n, seed)``.

    ``b_0 = -p/8`` and ``b_j = b_{-j} = q_j/8`` with ``p, q_j`` uniform in ``1..31``
    (NumPy ``default_rng([seed, n])``), so ``eta max b < 2`` for ``eta = 1/2``.

    >>> b = random_symmetric_profile(6)
    >>> b[0] < 0 < min(b[1:]) and all(b[j] == b[-j] for j in range(1, 6))
    True
    """
    n = check_int("n", n, low=2, high=1 << 16)
    seed = check_int("seed", seed, low=0)
    rng = np.random.default_rng([seed, n])
    b0 = -Fraction(int(rng.integers(1, 32)), 8)
    half = [Fraction(int(rng.integers(1, 32)), 8) for _ in range(n // 2)]
    return [b0] + [half[min(j, n - j) - 1] for j in range(1, n)]


def _sympy_T(b, eta, sigma):
    """``T = I - eta (I - sigma L)^{-1} B`` built by SymPy from its definition (the naive user's route)."""
    import sympy

    n = len(b)
    R = sympy.Rational
    B = sympy.diag(*[R(v.numerator, v.denominator) for v in b])
    L = sympy.zeros(n, n)
    for i in range(n):
        L[i, i] -= 2
        L[i, (i + 1) % n] += 1
        L[i, (i - 1) % n] += 1
    eye = sympy.eye(n)
    return eye - R(eta.numerator, eta.denominator) * (eye - R(sigma.numerator, sigma.denominator) * L).inv() * B, B


def naive_upper_bound(b, eta, sigmas) -> int:
    """``n - rank[B u(sigma_i)]`` by SymPy ``eigenvects`` of the exact ``T(sigma_i)`` (NUMERICAL level).

    The unstable eigenvector is chosen by evaluating the eigenvalues to 60 digits
    (``re > 1``), and the rank of the stacked normals is read from a 60-digit SVD
    (threshold ``1e-40``): what a user without the structure would do. Not a proof.
    """
    import mpmath
    import sympy

    n = len(b)
    normals = []
    for s in sigmas:
        T, B = _sympy_T(b, eta, Fraction(s))
        for val, _mult, vecs in T.eigenvects():
            if sympy.re(val.evalf(60)) > 1:
                normals.append(B * vecs[0])
    M = sympy.Matrix.hstack(*normals)
    with mpmath.workdps(60):
        Mn = mpmath.matrix([[mpmath.mpmathify(sympy.N(M[i, j], 60)) for j in range(M.shape[1])] for i in range(n)])
        complex_entries = any(mpmath.im(x) != 0 for x in Mn)
        sv = mpmath.svd_c(Mn, compute_uv=False) if complex_entries else mpmath.svd_r(Mn, compute_uv=False)
        rank = sum(1 for x in sv if abs(x) > mpmath.mpf(10) ** -40)
    return n - rank


def naive_counts(b, eta, sigma) -> dict:
    """Unit-circle counts of ``T(sigma)`` by SymPy ``eigenvals()`` and SymPy comparisons of ``|lambda|`` with 1.

    Returns ``{"inside", "on", "outside", "undecided"}``: ``on`` only for a proved ``|lambda| = 1``,
    ``undecided`` where SymPy could not decide the comparison (radicals).
    """
    import sympy

    T, _ = _sympy_T(b, eta, Fraction(sigma))
    out = {"inside": 0, "on": 0, "outside": 0, "undecided": 0}
    for ev, k in T.eigenvals().items():
        a = sympy.Abs(ev)
        if (a < 1) is sympy.true:
            out["inside"] += k
        elif (a > 1) is sympy.true:
            out["outside"] += k
        elif sympy.simplify(a - 1) == 0:
            out["on"] += k
        else:
            out["undecided"] += k
    return out


# --------------------------------------------------------------------------- child processes
def _child(q, func, args):
    try:
        t = time.perf_counter()
        value = func(*args)
        q.put(("ok", value, time.perf_counter() - t))
    except Exception as exc:  # reported, never hidden
        q.put(("error", f"{type(exc).__name__}: {exc}", None))


def _in_child(func, args, timeout: float) -> dict:
    """Run ``func(*args)`` in a forked child; ``{"status": "ok"|"timeout"|"error", "value", "seconds"}``."""
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q, func, args), daemon=True)
    p.start()
    try:
        status, value, secs = q.get(timeout=timeout)
    except queue.Empty:
        status, value, secs = "timeout", None, None
    finally:
        if p.is_alive():
            p.terminate()
        p.join()
        q.close()
    return {"status": status, "value": value, "seconds": secs}


def _timed(func, *args, **kwargs):
    t = time.perf_counter()
    value = func(*args, **kwargs)
    return value, time.perf_counter() - t


# --------------------------------------------------------------------------- sections
def _clear_symbolic_caches():
    import sympy

    from symdyn.lsgd import wholeclass as wc

    for f in (wc.recurrence_lemma, wc.window_lemma, wc.converse_lemma, wc.whole_class_theorem, wc._check_n_cached):
        f.cache_clear()
    sympy.core.cache.clear_cache()


def _whole_class(converse_max: int, prog) -> dict:
    from symdyn.lsgd import wholeclass as wc

    rows = []

    def cold(name, func, *args):
        _clear_symbolic_caches()
        value, secs = _timed(func, *args)
        holds = value["holds"] if name.startswith("whole_class_theorem") else all(value.values())
        rows.append({"step": name, "seconds": secs, "holds": bool(holds)})
        prog.update()

    cold("recurrence_lemma()", wc.recurrence_lemma)
    cold("window_lemma()", wc.window_lemma)
    cold("whole_class_theorem(include_converse=False)", wc.whole_class_theorem, False)
    for n in range(2, converse_max + 1):
        cold(f"converse_lemma({n})", wc.converse_lemma, n)
    _clear_symbolic_caches()
    return {"level": "proved", "claim": wc.THEOREM, "rows": rows}


def _per_n(n_max: int, prog) -> dict:
    from symdyn.lsgd import wholeclass as wc

    out = {"level": "proved", "n_max": n_max}
    for symmetric in (True, False):
        _clear_symbolic_caches()
        per, ok = {}, True
        for n in range(2, n_max + 1):
            c, secs = _timed(wc._check_n_cached.__wrapped__, n, symmetric)
            per[n] = secs
            ok = ok and c.holds and c.rank_lower_bound == n // 2 + 1
            prog.update()
        marks = [m for m in (2, 4, 8, 16, 32, 64, 128, 256, 512, 1024) if m <= n_max]
        if n_max not in marks:
            marks.append(n_max)
        out["symmetric" if symmetric else "general"] = {
            "all_hold": ok, "total_seconds": sum(per.values()), "seconds_per_n": [per[n] for n in range(2, n_max + 1)],
            "rows": [{"n": m, "seconds": per[m], "cumulative_seconds": sum(per[k] for k in range(2, m + 1))}
                     for m in marks]}
    _clear_symbolic_caches()
    return out


def _diag_matrix(b):
    from flint import fmpq, fmpq_mat

    n = len(b)
    M = fmpq_mat(n, n)
    for i, v in enumerate(b):
        M[i, i] = fmpq(v.numerator, v.denominator)
    return M


def _certified(ns, dense_max: int, seed: int, prog) -> dict:
    from symdyn.lsgd.fullsym import symmetric_robust_dimension
    from symdyn.lsgd.robust import certified_upper_bound, robust_lower_bound

    rows = []
    for n in ns:
        b = random_symmetric_profile(n, seed)
        lb, t_lb = _timed(robust_lower_bound, b, ETA)
        ub, t_ub = _timed(certified_upper_bound, b, ETA, block="symmetric")
        row = {"n": n, "lower": lb.dim, "upper": ub.dim, "expected": (n - 1) // 2, "certified": ub.certified,
               "precision_bits": ub.precision, "lower_seconds": t_lb, "upper_seconds": t_ub,
               "seconds": t_lb + t_ub, "det_enclosure": ub.det_enclosure}
        if n <= dense_max:
            r, t_dense = _timed(symmetric_robust_dimension, _diag_matrix(b), ETA)
            row.update(dense_lower=r.lower.dim, dense_upper=r.upper.dim, dense_certified=r.upper.certified,
                       dense_precision_bits=r.upper.precision, dense_seconds=t_dense,
                       ratio_dense_vs_banded=t_dense / row["seconds"])
        rows.append(row)
        prog.update()
    return {"level": "certified", "eta": ETA, "seed": seed, "rows": rows,
            "claim": "dim E_rob = floor((n-1)/2) for the one random reflection-symmetric profile of each n"}


def _naive_upper(ns, timeout: float, seed: int, prog) -> dict:
    from symdyn.lsgd.robust import certified_upper_bound, default_sigmas

    rows, stopped = [], False
    for n in ns:
        if stopped:
            rows.append({"n": n, "status": "skipped (an earlier n timed out)"})
            prog.update()
            continue
        b = random_symmetric_profile(n, seed)
        sig = default_sigmas(n // 2 + 1)
        ub, t_cert = _timed(certified_upper_bound, b, ETA, sig, block="symmetric")
        res = _in_child(naive_upper_bound, (b, ETA, sig), timeout)
        row = {"n": n, "status": res["status"], "certified_upper": ub.dim, "certified": ub.certified,
               "certified_seconds": t_cert}
        if res["status"] == "ok":
            row.update(naive_upper=res["value"], naive_seconds=res["seconds"], agrees=res["value"] == ub.dim,
                       ratio_naive_vs_certified=res["seconds"] / t_cert)
        elif res["status"] == "timeout":
            row["timeout_seconds"] = timeout
            stopped = True
        else:
            row["error"] = res["value"]
        rows.append(row)
        prog.update()
    return {"level": "naive: numerical (60-digit selection and SVD rank); certified side: certified",
            "sigmas": "i/4, i = 1..floor(n/2)+1 (both routes)", "timeout_seconds": timeout, "rows": rows}


def _counts(ns, naive_ns, timeout: float, seed: int, prog) -> dict:
    from symdyn.lsgd.attraction import eigenvalue_counts, eigenvalue_counts_charpoly
    from symdyn.lsgd.matrices import iteration_matrix

    def charpoly_route(b):
        return eigenvalue_counts_charpoly(iteration_matrix(b, ETA, SIGMA_COUNTS, exact=True))

    rows = []
    for n in ns:
        b = random_symmetric_profile(n, seed)
        c1, t1 = _timed(eigenvalue_counts, b, ETA, SIGMA_COUNTS)
        c2, t2 = _timed(charpoly_route, b)
        rows.append({"n": n, "inertia": list(c1), "charpoly": list(c2), "expected": [n - 1, 0, 1],
                     "agrees": tuple(c1) == tuple(c2), "inertia_seconds": t1, "charpoly_seconds": t2,
                     "ratio_charpoly_vs_inertia": t2 / t1})
        prog.update()
    naive = []
    for n in naive_ns:  # every n is tried: the radical cases (n = 4, 5) are slower than n = 6..16 (CRootOf)
        b = random_symmetric_profile(n, seed)
        c1, t1 = _timed(eigenvalue_counts, b, ETA, SIGMA_COUNTS)
        res = _in_child(naive_counts, (b, ETA, SIGMA_COUNTS), timeout)
        row = {"n": n, "status": res["status"], "inertia": list(c1), "inertia_seconds": t1}
        if res["status"] == "ok":
            v = res["value"]
            row.update(naive=[v["inside"], v["on"], v["outside"]], undecided=v["undecided"],
                       naive_seconds=res["seconds"],
                       agrees=v["undecided"] == 0 and (v["inside"], v["on"], v["outside"]) == tuple(c1),
                       ratio_naive_vs_inertia=res["seconds"] / t1)
        elif res["status"] == "timeout":
            row["timeout_seconds"] = timeout
        else:
            row["error"] = res["value"]
        naive.append(row)
        prog.update()
    return {"level": "proved (inertia, charpoly); naive: exact where SymPy decides, else undecided",
            "eta": ETA, "sigma": SIGMA_COUNTS, "counts": "(inside, on, outside) the unit circle",
            "rows": rows, "naive_rows": naive, "naive_timeout_seconds": timeout}


def _warm_up():
    """Pay imports and first-call costs outside every timed region (parent, before any fork)."""
    import mpmath  # noqa: F401
    import sympy  # noqa: F401

    from symdyn.lsgd import wholeclass  # noqa: F401
    from symdyn.lsgd.attraction import eigenvalue_counts, eigenvalue_counts_charpoly
    from symdyn.lsgd.fullsym import symmetric_robust_dimension
    from symdyn.lsgd.matrices import iteration_matrix
    from symdyn.lsgd.robust import certified_upper_bound, robust_lower_bound

    b = random_symmetric_profile(4, 1)
    robust_lower_bound(b, ETA)
    certified_upper_bound(b, ETA, block="symmetric")
    symmetric_robust_dimension(_diag_matrix(b), ETA)
    eigenvalue_counts(b, ETA, SIGMA_COUNTS)
    eigenvalue_counts_charpoly(iteration_matrix(b, ETA, SIGMA_COUNTS, exact=True))
    naive_counts(random_symmetric_profile(3, 1), ETA, SIGMA_COUNTS)


def _sizes(name: str, values, cap: int, low: int = 2) -> tuple:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers")
    out = tuple(check_int(f"{name}[{i}]", v, low=low, high=cap) for i, v in enumerate(values))
    if len(out) > 64:
        raise ValueError(f"{name}: at most 64 sizes, got {len(out)}")
    return out


def run_benchmark(quick: bool = False, large: bool = False, *, seed: int = DEFAULT_SEED, progress: bool | None = None,
                  symbolic_n_max: int | None = None, certified_ns=None, dense_max: int | None = None,
                  naive_upper_ns=None, counts_ns=None, naive_counts_ns=None, naive_timeout: float = 120.0) -> dict:
    """Run the benchmark; return a JSON-ready dict (see the module docstring for the sections).

    Parameters
    ----------
    quick : smoke sizes (seconds): per-n re-check to 32, certified n = 8, 16, counts n = 4, 8,
        naive n = 2, 4 (upper bound) and 3, 6 (counts), converse n <= 4
    large : also the certified route at n = 256 (about a minute) and exact counts at n = 64
        (charpoly about 30 s, memory ~1 GB)
    seed : profile seed (:func:`random_symmetric_profile`)
    progress : progress lines / bar on stderr (``False``: silent)
    symbolic_n_max, certified_ns, dense_max, naive_upper_ns, counts_ns, naive_counts_ns : override the sizes
        (caps: :data:`MAX_BENCH_N`)
    naive_timeout : seconds per ``n`` for each naive route (child process); a timeout stops the naive
        upper-bound route (its cost grows with ``n``); the naive counts try every ``n``

    Returns
    -------
    dict with ``whole_class``, ``per_n``, ``certified``, ``naive_upper``, ``counts``, ``machine`` and
    ``checks`` (:func:`verify` of the result).
    """
    if not isinstance(quick, bool) or not isinstance(large, bool):
        raise TypeError("quick and large must be bools")
    seed = check_int("seed", seed, low=0)
    if isinstance(naive_timeout, bool) or not isinstance(naive_timeout, (int, float)) or not 0 < naive_timeout <= 3600:
        raise ValueError(f"naive_timeout must be a number of seconds in (0, 3600], got {naive_timeout!r}")
    size = dict(_SIZES["quick" if quick else "default"])
    if large:
        size["certified_ns"] = tuple(size["certified_ns"]) + (256,)
        size["counts_ns"] = tuple(size["counts_ns"]) + (64,)
    if symbolic_n_max is not None:
        size["symbolic_n_max"] = check_int("symbolic_n_max", symbolic_n_max, low=2, high=MAX_BENCH_N["symbolic"])
    if dense_max is not None:
        size["dense_max"] = check_int("dense_max", dense_max, low=0, high=64)
    overrides = {"certified_ns": certified_ns, "naive_upper_ns": naive_upper_ns, "counts_ns": counts_ns,
                 "naive_counts_ns": naive_counts_ns}
    for key, cap in (("certified_ns", "certified"), ("naive_upper_ns", "naive"), ("counts_ns", "counts"),
                     ("naive_counts_ns", "naive")):
        if overrides[key] is not None:
            size[key] = overrides[key]
        size[key] = _sizes(key, size[key], MAX_BENCH_N[cap])
    from symdyn._progress import Progress

    _warm_up()
    units = (3 + max(0, size["converse_max"] - 1) + 2 * (size["symbolic_n_max"] - 1) + len(size["certified_ns"])
             + len(size["naive_upper_ns"]) + len(size["counts_ns"]) + len(size["naive_counts_ns"]))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    t0 = time.perf_counter()
    with Progress(units, "bench lsgd", enabled=progress, unit="task") as prog:
        res = {
            "mode": "quick" if quick else ("large" if large else "default"),
            "sizes": size,
            "whole_class": _whole_class(size["converse_max"], prog),
            "per_n": _per_n(size["symbolic_n_max"], prog),
            "certified": _certified(size["certified_ns"], size["dense_max"], seed, prog),
            "naive_upper": _naive_upper(size["naive_upper_ns"], naive_timeout, seed, prog),
            "counts": _counts(size["counts_ns"], size["naive_counts_ns"], naive_timeout, seed, prog),
        }
    res["machine"] = {"cpus": os.cpu_count(), "load_1min_before": load,
                      "load_1min_after": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
                      "total_seconds": time.perf_counter() - t0,
                      "note": "wall-clock (perf_counter); a shared machine makes it noisy: compare ratios"}
    res["checks"] = verify(res)
    return res


# --------------------------------------------------------------------------- correctness of a result
def verify(res: dict) -> dict:
    """Named booleans recomputed from the raw numbers of a :func:`run_benchmark` result.

    They say that every route reached its claim and that routes on the same task agree;
    timings play no part.
    """
    wc, pn, cert = res["whole_class"]["rows"], res["per_n"], res["certified"]["rows"]
    counts, nu = res["counts"], res["naive_upper"]["rows"]
    dense = [r for r in cert if "dense_upper" in r]
    naive_ok = [r for r in nu if r.get("status") == "ok"]
    naive_c = [r for r in counts["naive_rows"] if r.get("status") == "ok"]
    return {
        "whole-class lemmas hold": bool(wc) and all(r["holds"] for r in wc),
        "per-n re-check holds, symmetric profiles": pn["symmetric"]["all_hold"],
        "per-n re-check holds, general diagonal profiles": pn["general"]["all_hold"],
        "certified route certified every n": bool(cert) and all(r["certified"] for r in cert),
        "certified: lower = upper = floor((n-1)/2)": all(
            r["lower"] == r["upper"] == r["expected"] == (r["n"] - 1) // 2 for r in cert),
        "dense full-symmetric route gives the same dim": all(
            r["dense_certified"] and r["dense_lower"] == r["dense_upper"] == r["upper"] for r in dense),
        "naive upper bound agrees with the certified one": all(
            r["agrees"] and r["naive_upper"] == r["certified_upper"] for r in naive_ok),
        "inertia = charpoly counts = (n-1, 0, 1)": bool(counts["rows"]) and all(
            r["inertia"] == r["charpoly"] == r["expected"] == [r["n"] - 1, 0, 1] for r in counts["rows"]),
        "naive counts agree where SymPy decides": all(
            r["naive"] == r["inertia"] for r in naive_c if r["undecided"] == 0),
    }


# --------------------------------------------------------------------------- report
def _f(x, spec=".3f"):
    return "-" if x is None else format(x, spec)


def _not_ok(r) -> str:
    if r["status"] == "timeout":
        return f"timeout after {r['timeout_seconds']} s"
    return f"error: {r['error']}" if r["status"] == "error" else r["status"]


def _ratio(x) -> str:
    if x is None:
        return "-"
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def format_report(res: dict) -> str:
    """Plain-text tables of a :func:`run_benchmark` result; every ratio is from this run."""
    m = res["machine"]
    lines = [f"LSGD proof-work benchmark ({res['mode']} sizes; {m['cpus']} cpus, load {_f(m['load_1min_before'], '.2f')}"
             f" -> {_f(m['load_1min_after'], '.2f')}; total {m['total_seconds']:.1f} s). {m['note']}.", ""]
    w = res["whole_class"]
    lines += ["1. Whole-class symbolic proof, cold caches [proved, every n, every profile of the class]:",
              f"   {w['claim']}"]
    for r in w["rows"]:
        lines.append(f"   {r['step']:<45} {r['seconds']:>8.3f} s  holds: {r['holds']}")
    p = res["per_n"]
    lines += ["", f"2. Per-n symbolic re-check check_n(n), n = 2..{p['n_max']} [proved for each n, free-symbol profile]:",
              f"   {'n':>5} {'sym: this n s':>14} {'sym: cumul. s':>14} {'general: this n':>16} {'general: cumul.':>16}"]
    for rs, rg in zip(p["symmetric"]["rows"], p["general"]["rows"]):
        lines.append(f"   {rs['n']:>5} {rs['seconds']:>14.4f} {rs['cumulative_seconds']:>14.3f} "
                     f"{rg['seconds']:>16.4f} {rg['cumulative_seconds']:>16.3f}")
    lines.append(f"   total: symmetric {p['symmetric']['total_seconds']:.2f} s (all hold: {p['symmetric']['all_hold']}), "
                 f"general {p['general']['total_seconds']:.2f} s (all hold: {p['general']['all_hold']})")
    c = res["certified"]
    lines += ["", f"3. Certified route per profile [certified; {c['claim']}; eta = {c['eta']}, seed {c['seed']}]:",
              "   exact lower bound + arb upper bound (symmetric block, adaptive precision); "
              "same task: dense full-symmetric route on diag(b)",
              f"   {'n':>5} {'dim':>4} {'cert.':>6} {'bits':>6} {'lower s':>9} {'upper s':>9} {'total s':>9} "
              f"{'dense s':>9} {'dense bits':>10} {'x dense/banded':>15}"]
    for r in c["rows"]:
        dim = r["lower"] if r["lower"] == r["upper"] else f"{r['lower']}..{r['upper']}"
        lines.append(f"   {r['n']:>5} {dim:>4} {str(r['certified']):>6} {r['precision_bits']:>6} "
                     f"{r['lower_seconds']:>9.4f} {r['upper_seconds']:>9.3f} {r['seconds']:>9.3f} "
                     f"{_f(r.get('dense_seconds')):>9} {str(r.get('dense_precision_bits', '-')):>10} "
                     f"{_ratio(r.get('ratio_dense_vs_banded')):>15}")
    u = res["naive_upper"]
    lines += ["", f"4. Upper bound on dim E_rob, same profile and sigmas ({u['sigmas']}):",
              "   naive = SymPy eigenvects of T(sigma_i), 60-digit selection and SVD rank [numerical]; "
              "certified = arb [certified]",
              f"   {'n':>5} {'naive':>6} {'cert.':>6} {'naive s':>9} {'certified s':>12} {'x naive/cert':>13} agrees"]
    for r in u["rows"]:
        if r["status"] == "ok":
            lines.append(f"   {r['n']:>5} {r['naive_upper']:>6} {r['certified_upper']:>6} {r['naive_seconds']:>9.3f} "
                         f"{r['certified_seconds']:>12.4f} {_ratio(r['ratio_naive_vs_certified']):>13} {r['agrees']}")
        else:
            lines.append(f"   {r['n']:>5} naive {_not_ok(r)}")
    k = res["counts"]
    lines += ["", f"5. Exact unit-circle counts {k['counts']} of T(sigma = {k['sigma']}), eta = {k['eta']} [proved]:",
              f"   {'n':>5} {'inertia':>14} {'charpoly':>14} {'inertia s':>10} {'charpoly s':>11} "
              f"{'x charpoly/inertia':>19}"]
    for r in k["rows"]:
        lines.append(f"   {r['n']:>5} {str(tuple(r['inertia'])):>14} {str(tuple(r['charpoly'])):>14} "
                     f"{r['inertia_seconds']:>10.5f} {r['charpoly_seconds']:>11.4f} "
                     f"{_ratio(r['ratio_charpoly_vs_inertia']):>19}")
    lines += ["   naive = SymPy Matrix from the definition, eigenvals(), |lambda| vs 1 by SymPy "
              "(undecided comparisons counted apart):",
              f"   {'n':>5} {'naive':>14} {'undecided':>9} {'naive s':>9} {'x naive/inertia':>16} agrees"]
    for r in k["naive_rows"]:
        if r["status"] == "ok":
            lines.append(f"   {r['n']:>5} {str(tuple(r['naive'])):>14} {r['undecided']:>9} {r['naive_seconds']:>9.3f} "
                         f"{_ratio(r['ratio_naive_vs_inertia']):>16} {r['agrees']}")
        else:
            lines.append(f"   {r['n']:>5} naive {_not_ok(r)}")
    lines += ["", "Checks (correctness of this run, no timing):"]
    lines += [f"   {'ok  ' if v else 'FAIL'} {name}" for name, v in res["checks"].items()]
    return "\n".join(lines)


def main(argv=None) -> int:  # pragma: no cover - thin wrapper; the CLI is `symdyn bench lsgd`
    import argparse
    import json

    from ..verdict import jsonable

    ap = argparse.ArgumentParser(prog="python -m symdyn.benchmarks.lsgd", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--large", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    res = run_benchmark(quick=a.quick, large=a.large)
    print(json.dumps(jsonable(res), indent=2) if a.json else format_report(res))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
