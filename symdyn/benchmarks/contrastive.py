"""Benchmarks of the contrastive model (ratios measured in the same run).

1. **RHS**: the compiled right-hand side of ``moment_odes(model)`` (through
   ``ODESystem.compile()``) against a hand-written NumPy version of the spec's
   one-neuron reference ODE with the same Gauss-Hermite rule (48 x 48 points)
   -- the baseline lives here only.  Target ratio <= 1.5.
2. **Full SGD engine** against the floor set by drawing the Gaussian vectors
   the same run needs (``m N`` normals per step and run).  Target ratio <= 2.
3. **Reduced engine** steps per second at N = 1e6 (C inner loop when a
   compiler is available, and the NumPy loop).

Reproduce with ``python -m symdyn.benchmarks.contrastive`` (or ``symdyn bench``
once wired).  The machine may be shared: compare ratios, not absolute times.
"""

from __future__ import annotations

import time

import numpy as np
import sympy

__all__ = ["run_benchmark", "format_report", "reference_rhs"]


def _best(f, repeats: int) -> float:
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def _best_on(f, make_input, repeats: int) -> float:
    """Best time of ``f(make_input())`` (input built outside the timed region)."""
    best = np.inf
    for _ in range(repeats):
        x = make_input()
        t0 = time.perf_counter()
        f(x)
        best = min(best, time.perf_counter() - t0)
    return best


def reference_rhs(model, order: int = 48):
    """Hand-written NumPy one-neuron reference ODE (additive or resample), the baseline.

    ``f(y)`` with ``y`` of shape ``(2,)`` or ``(2, k)`` returns ``dy`` of the same
    shape.  Expectations: tensor Gauss-Hermite with ``order`` points per
    dimension, exact averaging over the (finite) hidden law.
    """
    if model.d != 1 or model.d2 != 1:
        raise ValueError("the reference form is for d = d2 = 1")
    atoms = model.laws[0].atoms()
    if atoms is None:
        raise ValueError("the reference form needs a finite discrete hidden law")
    atoms = [(float(v), float(p)) for v, p in atoms]
    tau, beta = model.numeric("tau"), model.numeric("beta")
    D, rho = model.numeric("Delta"), model.numeric("rho")
    resample = model.augmentation == "resample"
    s, ds, dds = model.numeric_activation()
    z, w = np.polynomial.hermite_e.hermegauss(order)
    w = w / w.sum()
    Z1 = np.repeat(z, order)
    Z2 = np.tile(z, order)
    Wt = np.outer(w, w).ravel()

    def f(y):
        y = np.asarray(y, float)
        R, Q = y[0], y[1]
        R_ = np.atleast_1d(R)[:, None]
        Q_ = np.atleast_1d(Q)[:, None]
        if resample:
            V = Q_ - R_**2
            K = rho * V
        else:
            V = (1 + D) * Q_ - R_**2
            K = (1 + rho * D) * Q_ - R_**2
        L11 = np.sqrt(V)
        L21 = K / L11
        L22 = np.sqrt(np.maximum(V - L21**2, 0.0))
        dR = np.zeros(R_.shape[0])
        dQ = np.zeros(R_.shape[0])
        for c, p in atoms:
            h1 = R_ * c + L11 * Z1
            h2 = R_ * c + L21 * Z1 + L22 * Z2
            s1, s2, d1, d2 = s(h1), s(h2), ds(h1), ds(h2)
            a, b = d1 * s2, s1 * d2
            if resample:
                dR += p * tau * (((a + b) * c) @ Wt)
                dQ += p * (2 * tau * ((a * h1 + b * h2) @ Wt)
                           + tau**2 * ((a * a + b * b) @ Wt + 2 * rho * ((a * b) @ Wt)))
            else:
                dR += p * tau * (((a + b) * c) @ Wt
                                 + D * R_[:, 0] * ((dds(h1) * s2 + s1 * dds(h2) + 2 * rho * d1 * d2) @ Wt))
                dQ += p * (2 * tau * ((a * h1 + b * h2) @ Wt)
                           + tau**2 * ((1 + D) * ((a * a + b * b) @ Wt) + 2 * (1 + rho * D) * ((a * b) @ Wt)))
        out = np.stack([dR - tau * beta * R_[:, 0], dQ - 2 * tau * beta * Q_[:, 0]])
        return out[:, 0] if y.ndim == 1 else out

    return f


def bench_rhs(model=None, *, repeats: int = 5, batch: int = 200) -> dict:
    """Compiled ``moment_odes`` RHS vs the hand-written reference (single state and a batch)."""
    from ..contrastive.model import ContrastiveModel
    from ..contrastive.odes import moment_odes
    from ..hidden import Rademacher

    if model is None:
        model = ContrastiveModel(laws=(Rademacher(2),), Delta=0.5, rho=-0.5)
    t0 = time.perf_counter()
    system = moment_odes(model)
    t_derive = time.perf_counter() - t0
    t0 = time.perf_counter()
    fun = system.compile().fun
    t_compile = time.perf_counter() - t0
    ref = reference_rhs(model)
    y = np.array([0.3, 0.9])
    rng = np.random.default_rng(0)
    Y = np.stack([rng.uniform(0.05, 0.5, batch), rng.uniform(0.8, 1.2, batch)])
    fun(0.0, y), ref(y), fun(0.0, Y), ref(Y)                       # warm up
    agree = float(np.max(np.abs(fun(0.0, Y) - ref(Y))))
    n_inner = 20
    # every timed call gets a state not seen before (tiny shifts): the compiled nodes
    # memoise by argument values, and an ODE solver never repeats a state
    shift = iter(range(1, 10**9))
    ys = lambda: [y + 1e-9 * next(shift) for _ in range(n_inner)]  # noqa: E731
    t_c1 = _best_on(lambda states: [fun(0.0, s) for s in states], ys, repeats) / n_inner
    t_r1 = _best_on(lambda states: [ref(s) for s in states], ys, repeats) / n_inner
    Ys = lambda: Y + 1e-9 * next(shift)  # noqa: E731
    t_cb = _best_on(lambda Yk: fun(0.0, Yk), Ys, repeats)
    t_rb = _best_on(lambda Yk: ref(Yk), Ys, repeats)
    return {
        "model": "one neuron, tanh, additive Delta=0.5 rho=-0.5, Rademacher(2)",
        "derive_seconds": t_derive, "compile_seconds": t_compile,
        "compiled_single_s": t_c1, "reference_single_s": t_r1, "ratio_single": t_c1 / t_r1,
        "batch": batch, "compiled_batch_s": t_cb, "reference_batch_s": t_rb, "ratio_batch": t_cb / t_rb,
        "max_abs_difference": agree, "target_ratio": 1.5,
    }


def bench_closed_vs_quadrature(*, repeats: int = 5, batch: int = 200) -> dict:
    """Compiled closed-form RHS vs compiled quadrature RHS of the same erf model (same states, same run)."""
    from ..contrastive.model import ContrastiveModel
    from ..contrastive.odes import moment_odes
    from ..hidden import Rademacher

    model = ContrastiveModel(activation=sympy.erf, laws=(Rademacher(2),), Delta=0.5, rho=-1)
    closed = moment_odes(model, closed=True).compile().fun
    quad = moment_odes(model, closed=False).compile().fun
    rng = np.random.default_rng(0)
    Y = np.stack([rng.uniform(0.05, 0.5, batch), rng.uniform(0.8, 1.2, batch)])
    y = np.array([0.3, 0.9])
    closed(0.0, Y), quad(0.0, Y)  # warm up
    agree = float(np.max(np.abs(closed(0.0, Y) - quad(0.0, Y))))
    n_inner = 20
    shift = iter(range(1, 10**9))  # fresh states: compiled nodes memoise by argument values
    ys = lambda: [y + 1e-9 * next(shift) for _ in range(n_inner)]  # noqa: E731
    t_c1 = _best_on(lambda states: [closed(0.0, s) for s in states], ys, repeats) / n_inner
    t_q1 = _best_on(lambda states: [quad(0.0, s) for s in states], ys, repeats) / n_inner
    Ys = lambda: Y + 1e-9 * next(shift)  # noqa: E731
    t_cb = _best_on(lambda Yk: closed(0.0, Yk), Ys, repeats)
    t_qb = _best_on(lambda Yk: quad(0.0, Yk), Ys, repeats)
    return {"model": "one neuron, erf, additive Delta=0.5 rho=-1, Rademacher(2)",
            "closed_single_s": t_c1, "quadrature_single_s": t_q1, "ratio_single": t_c1 / t_q1,
            "batch": batch, "closed_batch_s": t_cb, "quadrature_batch_s": t_qb, "ratio_batch": t_cb / t_qb,
            "max_abs_difference": agree}


def bench_full_engine(*, N: int = 20000, n_runs: int = 4, steps: int = 150, repeats: int = 3) -> dict:
    """Full engine vs drawing its Gaussians (additive augmentation with Delta > 0: m = 3)."""
    from ..contrastive.model import ContrastiveModel
    from ..contrastive.sgd import simulate_sgd
    from ..hidden import Rademacher

    model = ContrastiveModel(laws=(Rademacher(2),), Delta=0.5, rho=-0.5)
    m = 3
    t_max = steps / N
    simulate_sgd(model, N, 2 / N, engine="full", n_runs=n_runs, times=[0, 2 / N], seed=0)   # warm up
    t_engine = _best(lambda: simulate_sgd(model, N, t_max, engine="full", n_runs=n_runs, times=[0, t_max],
                                          seed=1), repeats)
    rng = np.random.default_rng(2)
    buf = np.empty((n_runs, m, N))

    def floor():
        for _ in range(steps):
            rng.standard_normal(out=buf)

    t_floor = _best(floor, repeats)
    return {"N": N, "n_runs": n_runs, "steps": steps, "normals_per_step": n_runs * m * N,
            "engine_s": t_engine, "gaussian_floor_s": t_floor, "ratio": t_engine / t_floor,
            "normals_per_second_floor": steps * n_runs * m * N / t_floor, "target_ratio": 2.0}


def bench_reduced(*, N: int = 1_000_000, t_max: float = 0.5, repeats: int = 2) -> dict:
    """Reduced-engine steps per second at dimension N (C and NumPy inner loops, 1 and 16 runs)."""
    from ..contrastive._ckernel import get_kernel
    from ..contrastive.model import ContrastiveModel
    from ..contrastive.sgd import simulate_sgd
    from ..hidden import Rademacher

    model = ContrastiveModel(laws=(Rademacher(2),), Delta=0.5, rho=-0.5)
    steps = int(round(t_max * N))
    out = {"N": N, "steps": steps, "c_kernel_available": get_kernel(model) is not None}
    backends = ["c", "numpy"] if out["c_kernel_available"] else ["numpy"]
    for backend in backends:
        for runs in (1, 16):
            t_run = t_max if backend == "c" else min(t_max, 0.02)
            n_steps = int(round(t_run * N))
            t = _best(lambda: simulate_sgd(model, N, t_run, n_runs=runs, times=[0, t_run], seed=0,
                                           backend=backend), repeats)
            out[f"{backend}_runs{runs}_steps_per_s"] = n_steps / t
            out[f"{backend}_runs{runs}_run_steps_per_s"] = n_steps * runs / t
    return out


def run_benchmark(*, quick: bool = False, parts=("rhs", "closed", "full", "reduced")) -> dict:
    """Run the contrastive benchmarks.

    Parameters
    ----------
    quick : bool
        Smaller sizes (for tests; ratios are noisier).
    parts : sequence of {'rhs', 'closed', 'full', 'reduced'}

    Returns
    -------
    dict ``{part: figures}``; each part's ``ratio`` keys are measured in the same run.

    Examples
    --------
    >>> from symdyn.benchmarks.contrastive import run_benchmark
    >>> r = run_benchmark(quick=True, parts=("full",))  # doctest: +SKIP
    >>> r["full"]["ratio"] < 2  # doctest: +SKIP
    True
    """
    unknown = set(parts) - {"rhs", "closed", "full", "reduced"}
    if unknown:
        raise ValueError(f"parts must be among 'rhs', 'closed', 'full', 'reduced'; got {sorted(unknown)}")
    out = {}
    if "rhs" in parts:
        out["rhs"] = bench_rhs(repeats=2 if quick else 5, batch=50 if quick else 200)
    if "closed" in parts:
        out["closed"] = bench_closed_vs_quadrature(repeats=2 if quick else 5, batch=50 if quick else 200)
    if "full" in parts:
        out["full"] = (bench_full_engine(N=4000, n_runs=2, steps=50, repeats=2) if quick
                       else bench_full_engine())
    if "reduced" in parts:
        out["reduced"] = (bench_reduced(N=100_000, t_max=0.05, repeats=1) if quick else bench_reduced())
    return out


def format_report(result: dict) -> str:
    """Human-readable summary of :func:`run_benchmark`."""
    lines = []
    if "rhs" in result:
        r = result["rhs"]
        lines.append(f"RHS ({r['model']}): compiled / hand-written NumPy = {r['ratio_single']:.2f}x (one state, "
                     f"{r['compiled_single_s'] * 1e3:.3f} ms vs {r['reference_single_s'] * 1e3:.3f} ms), "
                     f"{r['ratio_batch']:.2f}x (batch of {r['batch']}); target <= {r['target_ratio']}x; "
                     f"max |difference| {r['max_abs_difference']:.1e}; compile {r['compile_seconds']:.1f} s")
    if "closed" in result:
        r = result["closed"]
        lines.append(f"RHS ({r['model']}): compiled closed form / compiled quadrature = {r['ratio_single']:.2f}x "
                     f"(one state, {r['closed_single_s'] * 1e3:.3f} ms vs {r['quadrature_single_s'] * 1e3:.3f} ms), "
                     f"{r['ratio_batch']:.2f}x (batch of {r['batch']}); max |difference| "
                     f"{r['max_abs_difference']:.1e}")
    if "full" in result:
        r = result["full"]
        lines.append(f"full SGD engine / Gaussian floor = {r['ratio']:.2f}x (N={r['N']}, runs={r['n_runs']}, "
                     f"steps={r['steps']}; floor {r['normals_per_second_floor']:.3g} normals/s); "
                     f"target <= {r['target_ratio']}x")
    if "reduced" in result:
        r = result["reduced"]
        parts = [f"{k.replace('_steps_per_s', '')}: {v:.3g} steps/s" for k, v in r.items()
                 if k.endswith("_steps_per_s") and "run_steps" not in k]
        lines.append(f"reduced engine at N={r['N']}: " + "; ".join(parts))
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    import json
    import sys

    res = run_benchmark(quick="--quick" in sys.argv)
    print(format_report(res))
    if "--json" in sys.argv:
        from ..verdict import jsonable

        print(json.dumps(jsonable(res), indent=2))
