"""``symdyn contrastive ...``: moment ODEs (pretty / LaTeX / JSON) and ODE-vs-SGD simulation.

Activations and hidden laws are chosen by name from fixed tables; no user text
is ever parsed as mathematics.  Result files are written atomically.

If the module ``symdyn.contrastive.cli_claims`` exists, its
``add_commands(contrastive_subparsers)`` adds further sub-commands and its
``register_latex`` is re-exported here (``symdyn latex ...`` documents).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time

import sympy

from ._cli_options import ACTIVATIONS, LAWS, add_model_options, exact_number, model_from_args

__all__ = ["register", "ACTIVATIONS", "LAWS", "build_model"]

_x = sympy.Symbol("x", real=True)

PARAMS = ("Delta", "rho", "tau", "beta", "lam")


def build_model(args):
    """The :class:`ContrastiveModel` described by parsed ``odes`` / ``simulate`` options."""
    return model_from_args(args, args.d, d2=args.d2, lam=args.lam, symbolic=getattr(args, "symbolic", None) or ())


def _model_options(p, *, allow_symbolic: bool):
    g = add_model_options(p)
    g.add_argument("--d", type=int, default=1, help="number of hidden features (default 1)")
    g.add_argument("--d2", type=int, default=1, help="number of neurons (default 1)")
    g.add_argument("--lam", type=exact_number, default=exact_number("0.5"),
                   help="off-diagonal penalty weight, >= 0 (default 1/2; matters for d2 > 1)")
    if allow_symbolic:
        g.add_argument("--symbolic", action="append", choices=PARAMS, metavar="PARAM",
                       help=f"keep PARAM symbolic (repeatable; one of {', '.join(PARAMS)})")
    p.set_defaults(build_model=build_model)


def register(subparsers) -> None:
    """Add ``symdyn contrastive`` and its sub-commands."""
    p = subparsers.add_parser("contrastive", help="contrastive-learning model: ODEs, simulation",
                              description="Contrastive-learning model in the high-dimensional limit.")
    sub = p.add_subparsers(dest="contrastive_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda a: _help(p))

    o = sub.add_parser("odes", help="print the closed moment ODEs (pretty, LaTeX or JSON)",
                       description="Derive and print the moment ODEs of the model (moment_odes).")
    _model_options(o, allow_symbolic=True)
    o.add_argument("--method", choices=("pde", "increments"), default="pde", help="derivation (default pde)")
    o.add_argument("--format", choices=("pretty", "latex", "json"), default="pretty")
    o.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout ('-': stdout)")
    o.set_defaults(func=_cmd_odes)

    s = sub.add_parser("simulate", help="ODE and/or SGD trajectories of m(t); JSON/CSV; optional PNG",
                       description="Integrate the moment ODEs and/or simulate SGD; report the cosine "
                                   "similarity m(t) (ensemble mean and standard deviation).")
    _model_options(s, allow_symbolic=False)
    s.add_argument("--N", type=int, action="append", help="SGD dimension (repeatable; default 1000)")
    s.add_argument("--t-max", type=float, default=15.0, help="final time (default 15)")
    s.add_argument("--n-times", type=int, default=51, help="number of recorded times (default 51)")
    s.add_argument("--engine", choices=("reduced", "full"), default="reduced")
    s.add_argument("--runs", type=int, default=10, help="independent SGD runs (default 10)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--R0", type=float, nargs="+", help="initial R (d*d2 values, row-major; default 0.1 pattern)")
    s.add_argument("--Q0", type=float, nargs="+", help="initial Q (d2*d2 values; default identity)")
    s.add_argument("--no-ode", action="store_true", help="skip the ODE")
    s.add_argument("--no-sgd", action="store_true", help="skip SGD")
    s.add_argument("--format", choices=("json", "csv"), default="json")
    s.add_argument("--output", "-o", help="write to this file (atomically) instead of stdout ('-': stdout)")
    s.add_argument("--png", help="also save a PNG of m(t): ODE vs SGD (a file; '-' is refused)")
    s.add_argument("--progress", action="store_true", help="progress bars (default: when stderr is a terminal)")
    s.set_defaults(func=_cmd_simulate)

    claims = _claims_module()
    if claims is not None and hasattr(claims, "add_commands"):
        claims.add_commands(sub)


def _claims_module():
    try:
        from . import cli_claims
    except ModuleNotFoundError as exc:
        if exc.name not in ("symdyn.contrastive.cli_claims",):
            raise
        return None
    return cli_claims


_claims = _claims_module()
if _claims is not None and hasattr(_claims, "register_latex"):
    register_latex = _claims.register_latex


def _help(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _emit(text: str, output) -> None:
    """The text result to ``output`` (atomically), or to stdout when ``output`` is absent or ``-``."""
    from .._io import write_output

    write_output(output or "-", text if text.endswith("\n") else text + "\n")


def _cmd_odes(args) -> int:
    import textwrap

    from ._printing import format_odes, odes_with_named_terms
    from .odes import moment_odes

    model = build_model(args)
    system = moment_odes(model, method=args.method)
    header = textwrap.wrap(_describe(model), width=96, break_on_hyphens=False)
    if args.format in ("pretty", "latex"):
        named = odes_with_named_terms(system)
        mark = "# " if args.format == "pretty" else "% "
        text = "\n".join(mark + ln for ln in header) + "\n" + format_odes(named, fmt=args.format)
    else:
        text = json.dumps({
            "model": _describe(model),
            "states": [str(s) for s in system.states],
            "params": [str(p) for p in system.params],
            "rhs": [str(r) for r in system.rhs],
            "latex": [sympy.latex(r) for r in system.rhs],
        }, indent=2)
    _emit(text, args.output)
    return 0


def _describe(model) -> str:
    return (f"d={model.d}, d2={model.d2}, activation={model.sigma(_x)}, augmentation={model.augmentation}, "
            f"Delta={model.Delta}, rho={model.rho}, tau={model.tau}, beta={model.beta}, lam={model.lam}, "
            f"laws={list(model.laws)}")


def _cmd_simulate(args) -> int:
    import numpy as np

    from .._integrate import DivergenceError
    from .sgd import _check_initial, simulate_sgd
    from .validation import ode_trajectory

    model = build_model(args)
    if args.no_ode and args.no_sgd:
        raise ValueError("--no-ode and --no-sgd together leave nothing to do")
    if args.n_times < 2:
        raise ValueError(f"--n-times must be >= 2, got {args.n_times}")
    if not args.t_max > 0:
        raise ValueError(f"--t-max must be > 0, got {args.t_max}")
    Ns = args.N or [1000]
    for N in Ns:
        if N < 1:
            raise ValueError(f"--N must be >= 1, got {N}")
    R0, Q0 = _check_initial(model, args.R0, args.Q0)
    times = np.linspace(0.0, args.t_max, args.n_times)
    if not args.no_sgd:  # every SGD run is validated before the ODE or any SGD starts
        from .sgd import check_sgd_arguments

        for N in Ns:
            check_sgd_arguments(model, N, args.t_max, engine=args.engine, n_runs=args.runs, times=times,
                                R0=R0, Q0=Q0)
    progress = args.progress or sys.stderr.isatty()
    out = {"model": _describe(model), "t": times, "R0": R0, "Q0": Q0}
    from .._progress import note

    clock = time.perf_counter()
    try:
        if not args.no_ode:
            note("simulate: moment ODEs (derive, compile, integrate)")
            ode = ode_trajectory(model, times, R0, Q0)
            out["ode"] = {"m": ode["m"], "R": ode["R"], "Q": ode["Q"]}
        sgd = []
        if not args.no_sgd:
            for i, N in enumerate(Ns):
                note(f"simulate: SGD {i + 1}/{len(Ns)}: N = {N}, {args.runs} runs, {args.engine} engine "
                     f"({time.perf_counter() - clock:.1f} s so far)")
                res = simulate_sgd(model, N, args.t_max, engine=args.engine, n_runs=args.runs, times=times,
                                   R0=R0, Q0=Q0, seed=args.seed + i, progress=progress)
                sgd.append({"N": N, "engine": args.engine, "seed": res.seed, "runs": args.runs, "t": res.t,
                            "mean_m": res.mean_m(), "std_m": res.m.std(axis=0),
                            "mean_R": res.R.mean(axis=0), "mean_Q": res.Q.mean(axis=0)})
        out["sgd"] = sgd
    except DivergenceError as exc:
        print(f"symdyn: diverged: {exc}", file=sys.stderr)
        return 1
    note(f"simulate: done in {time.perf_counter() - clock:.1f} s")
    if args.format == "json":
        from ..verdict import jsonable

        text = json.dumps(jsonable(out))
    else:
        text = _csv(out, model.d, model.d2)
    _emit(text, args.output)
    if args.png:
        _plot(out, model, args.png)
    return 0


def _csv(out, d, d2) -> str:
    cols = [f"m_{k + 1}_{j + 1}" for k in range(d) for j in range(d2)]
    buf = io.StringIO()
    buf.write("source,N,engine,t," + ",".join(cols) + "," + ",".join("std_" + c for c in cols) + "\n")
    if "ode" in out:
        for ti, t in enumerate(out["t"]):
            vals = out["ode"]["m"][ti].ravel()
            buf.write(f"ode,,,{t:.10g}," + ",".join(f"{v:.10g}" for v in vals) + "," + ",".join("" for _ in vals) + "\n")
    for s in out.get("sgd", []):
        for ti, t in enumerate(s["t"]):
            mv, sv = s["mean_m"][ti].ravel(), s["std_m"][ti].ravel()
            buf.write(f"sgd,{s['N']},{s['engine']},{t:.10g}," + ",".join(f"{v:.10g}" for v in mv) + ","
                      + ",".join(f"{v:.10g}" for v in sv) + "\n")
    return buf.getvalue()


def _threshold_note(model) -> str:
    """``<c^2>`` against the learnability threshold (numerical), or '' when it does not apply."""
    if model.d2 != 1:
        return ""
    try:
        from .thresholds import learnability_threshold

        th = learnability_threshold(model)
    except Exception:  # noqa: BLE001 - the caption's note is optional (e.g. a law without a threshold)
        return ""
    verdicts = ", ".join(f"feature {k + 1}: {'learnable' if lam > 0 else 'NOT learnable'}"
                         for k, lam in enumerate(th["eigenvalue_formula"]))
    return f"learnability threshold on <c^2>: {th['threshold_c2']:.4g} ({verdicts}; numerical)"


def simulation_figure(out, model):
    """The m(t) figure of ``simulate``: ODE (solid) and SGD mean +- one standard deviation; return the Figure.

    Parameters
    ----------
    out : dict
        The ``simulate`` result (``t``, optional ``ode``, ``sgd`` list).
    model : ContrastiveModel

    Returns
    -------
    matplotlib.figure.Figure
        A title, a legend (ODE, one entry per SGD dimension and its band) and a
        parameter caption in ``fig.texts``.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch

    d, d2 = model.d, model.d2
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    # Okabe-Ito colours (colour-blind safe)
    colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
    handles = []
    for idx in range(d * d2):
        k, j = divmod(idx, d2)
        if "ode" in out:
            line, = ax.plot(out["t"], out["ode"]["m"][:, k, j], "k-", lw=1.6, label="moment ODE")
            if idx == 0:
                handles.append(line)
        for si, s in enumerate(out.get("sgd", [])):
            c = colors[si % len(colors)]
            mu, sd = s["mean_m"][:, k, j], s["std_m"][:, k, j]
            line, = ax.plot(s["t"], mu, "--", color=c, lw=1.4, label=f"SGD mean, N = {s['N']} ({s['runs']} runs)")
            ax.fill_between(s["t"], mu - sd, mu + sd, color=c, alpha=0.18)
            if idx == 0:
                handles += [line, Patch(fc=c, alpha=0.18, label=f"SGD ± 1 std, N = {s['N']}")]
    ax.set_xlabel("t")
    ax.set_ylabel(r"cosine similarity $m_{kj}(t)$" + (" (every k, j)" if d * d2 > 1 else ""))
    ax.set_title("Contrastive learning: moment ODE vs SGD" if out.get("sgd") and "ode" in out
                 else "Contrastive learning: cosine similarity m(t)", fontsize=11)
    ax.legend(handles=handles, loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    R0 = np.asarray(out["R0"], dtype=float)
    caption = _caption(model) + f"\nR0 = {np.round(R0, 4).tolist()}, Q0 = {np.round(np.asarray(out['Q0'], float), 4).tolist()}"
    note = _threshold_note(model)
    if note:
        caption += "; " + note
    fig.text(0.01, 0.01, caption, fontsize=7.5, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    return fig


def _caption(model) -> str:
    laws = "; ".join(f"<c^2> = {float(law.second_moment):g}, kurtosis {float(law.kurtosis):g}" for law in model.laws)
    act = str(model.sigma(_x)).replace("(x)", "")
    return (f"activation {act}, {model.augmentation} augmentation, d = {model.d}, d2 = {model.d2}, tau = {model.tau}, "
            f"beta = {model.beta}, Delta = {model.Delta}, rho = {model.rho}, lam = {model.lam}; laws: {laws}")


def _plot(out, model, path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # the command only writes a file
    import matplotlib.pyplot as plt

    from .._io import savefig_atomic

    fig = simulation_figure(out, model)
    savefig_atomic(fig, path, dpi=120)
    plt.close(fig)


def main(argv=None) -> int:  # pragma: no cover - convenience
    parser = argparse.ArgumentParser(prog="symdyn")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)
