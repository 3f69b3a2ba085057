"""Measured per-setting timings of the contrastive learnability thresholds (issue 9).

Usage::

    python tools/threshold_timings.py erf      # certified_threshold, 11 settings
    python tools/threshold_timings.py tanh     # learnability_threshold (numerical), 11 settings
    python tools/threshold_timings.py grid     # the 36-point tanh m* grid (steady_state_grid)
    python tools/threshold_timings.py all

Settings (spec's regime): additive Delta in {0, 1/2, 1} x rho in {1, 0, -1}
and resample rho in {1, 1/2}; tau = 1/2, beta = 1, one feature with the
Rademacher(sqrt 2) law (<c^2> = 2).  Each setting is timed from the model
(the symbolic derivation included).  Plain lines on stdout, one per
setting; a Markdown table at the end.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from symdyn.contrastive import ContrastiveModel  # noqa: E402
from symdyn.hidden import Rademacher  # noqa: E402

HALF = sympy.Rational(1, 2)
SETTINGS = ([("additive", D, r) for D in (0, HALF, 1) for r in (1, 0, -1)]
            + [("resample", 0, r) for r in (1, HALF)])


def model_for(activation, aug, Delta, rho):
    return ContrastiveModel(d=1, activation=activation, tau=HALF, Delta=Delta, rho=rho, beta=1,
                            augmentation=aug, laws=(Rademacher(sympy.sqrt(2)),))


def _selected(only):
    return [(i, st) for i, st in enumerate(SETTINGS) if only is None or i == only]


def run_erf(only=None):
    from symdyn.contrastive.certified import certified_threshold

    rows = []
    for _, (aug, D, r) in _selected(only):
        t0 = time.perf_counter()
        try:
            c = certified_threshold(model_for(sympy.erf, aug, D, r))
            res = (f"Q*={c['Q_star']['ball']} threshold={c['threshold_c2']['ball']} "
                   f"max_radius={c['max_radius']:.1e} sign={c['eigenvalues'][0]['sign']}")
            ok = c["max_radius"] <= 1e-12
        except Exception as exc:  # report, keep going
            res, ok, c = f"FAILED {type(exc).__name__}: {exc}", False, None
        dt = time.perf_counter() - t0
        print(f"erf {aug} Delta={D} rho={r}: {dt:.1f} s  {res}", flush=True)
        rows.append((aug, D, r, dt, c, ok))
    print("\n| augmentation | Delta | rho | Q* | G(Q*) | S(Q*) | threshold on <c^2> | max radius | s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for aug, D, r, dt, c, ok in rows:
        if c is None:
            print(f"| {aug} | {D} | {r} | failed | | | | | {dt:.1f} |")
        else:
            f = lambda k: c[k]["ball"]  # noqa: E731
            print(f"| {aug} | {D} | {r} | {f('Q_star')} | {f('G')} | {f('S')} | {f('threshold_c2')} | "
                  f"{c['max_radius']:.1e} | {dt:.1f} |")
    return all(ok for *_, ok in rows)


def run_tanh(only=None):
    from symdyn.contrastive import learnability_threshold

    rows = []
    for _, (aug, D, r) in _selected(only):
        t0 = time.perf_counter()
        try:
            th = learnability_threshold(model_for(sympy.tanh, aug, D, r))
            res = f"Q*={th['Q_star']:.12g} G={th['G']:.12g} S={th['S']:.12g} threshold={th['threshold_c2']:.12g}"
        except Exception as exc:
            th, res = None, f"FAILED {type(exc).__name__}: {exc}"
        dt = time.perf_counter() - t0
        print(f"tanh {aug} Delta={D} rho={r}: {dt:.1f} s  {res}", flush=True)
        rows.append((aug, D, r, dt, th))
    print("\n| augmentation | Delta | rho | Q* | G(Q*) | S(Q*) | threshold on <c^2> | s |")
    print("|---|---|---|---|---|---|---|---|")
    for aug, D, r, dt, th in rows:
        if th is None:
            print(f"| {aug} | {D} | {r} | failed | | | | {dt:.1f} |")
        else:
            print(f"| {aug} | {D} | {r} | {th['Q_star']:.10g} | {th['G']:.10g} | {th['S']:.10g} | "
                  f"{th['threshold_c2']:.10g} | {dt:.1f} |")
    return all(th is not None and dt < 30 for *_, dt, th in rows)


def run_grid():
    from symdyn.contrastive import steady_state_grid

    t0 = time.perf_counter()
    rows, info = steady_state_grid([0.2, 0.5, 1.0], [0.0, 0.5, 1.0], [1.0, 0.0, -0.5, -1.0],
                                   activation=sympy.tanh)
    dt = time.perf_counter() - t0
    failed = [r for r in rows if not r["converged"]]
    for r in rows:
        print(f"tau={r['tau']} Delta={r['Delta']} rho={r['rho']}: m*={r['m']:.6f} kind={r['kind']} "
              f"[{r['status']}]")
    print(f"tanh grid: {len(rows)} points in {dt:.1f} s, {len(failed)} without a steady state")
    return len(rows) == 36


def run_fresh(what):
    """Every setting in its own interpreter: cold timings (imports and derivation caches not shared)."""
    import subprocess

    ok = True
    for i, (aug, D, r) in enumerate(SETTINGS):
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, __file__, what, "--only", str(i)], capture_output=True, text=True)
        line = next((ln for ln in p.stdout.splitlines() if ln.startswith(what)), p.stderr.strip()[-300:])
        print(f"[fresh process, {time.perf_counter() - t0:.1f} s wall incl. imports] {line}", flush=True)
        ok = ok and p.returncode == 0
    return ok


USAGE = "usage: threshold_timings.py erf|tanh|grid|all [--only INDEX | --fresh]"

if __name__ == "__main__":
    args = sys.argv[1:]
    what = args[0] if args else "all"
    if what not in ("erf", "tanh", "grid", "all"):
        sys.exit(USAGE)
    only = None
    if "--only" in args:
        try:
            only = int(args[args.index("--only") + 1])
        except (IndexError, ValueError):
            sys.exit(USAGE)
        if not 0 <= only < len(SETTINGS):
            sys.exit(f"--only must be in [0, {len(SETTINGS) - 1}]")
    if "--fresh" in args:
        if what not in ("erf", "tanh"):
            sys.exit("--fresh goes with erf or tanh")
        sys.exit(0 if run_fresh(what) else 1)
    ok = True
    for name, fn in (("erf", run_erf), ("tanh", run_tanh), ("grid", run_grid)):
        if what in (name, "all"):
            ok = (fn(only) if name != "grid" else fn()) and ok
    sys.exit(0 if ok else 1)
