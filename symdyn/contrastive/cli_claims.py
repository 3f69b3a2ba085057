"""CLI pieces for the contrastive claims.

``symdyn contrastive threshold`` (learnability threshold at the
uninformative state), ``symdyn contrastive steady-state`` (``m*`` for one
setting or a grid), ``symdyn contrastive portrait``, ``symdyn contrastive
basins`` (basin probabilities, optionally at a finite ``--horizon``) and
``symdyn latex contrastive``.  :func:`add_commands` and :func:`register_latex`
are called by ``symdyn.contrastive.cli``.

Model flags: the one vocabulary of :mod:`symdyn.contrastive._cli_options`
(same names, types, defaults, ranges and activation table as ``odes`` and
``simulate``); every command builds its model with
:func:`~symdyn.contrastive._cli_options.model_from_args` and stores that
builder as ``build_model`` in its parser defaults.  Numbers are parsed as exact
decimals (``Fraction``); user text is never evaluated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sympy

__all__ = ["ACTIVATIONS", "add_commands", "register_latex"]

from ._cli_options import (ACTIVATIONS, COMMAND_DEFAULTS, DEFAULT_ACTIVATION, add_model_options,  # noqa: F401
                           exact_number, model_from_args)

#: the two-feature commands' --kurtosis default: the features differ (the higher-moment claim)
TWO_FEATURE_KURTOSIS = [1, 2]


def _one_feature_model(args):
    """``threshold`` (one feature per --kurtosis value) and ``steady-state`` (its first grid point)."""
    return model_from_args(args)


def _two_feature_model(args):
    """``portrait`` and ``basins``: two features, one neuron."""
    return model_from_args(args, 2, default_kurtosis=TWO_FEATURE_KURTOSIS)


def _latex_model(args):
    return model_from_args(args, args.d, default_kurtosis=TWO_FEATURE_KURTOSIS if args.d == 2 else None)


def _model_flags(p, builder, *, grid: bool = False, kurtosis_default: str = "1 for every feature",
                 command: str | None = None, json_flag: bool = True):
    """The shared model vocabulary plus ``build_model``; ``grid``: --tau/--Delta/--rho take several values."""
    add_model_options(p, grid=grid, kurtosis_default=kurtosis_default, defaults=COMMAND_DEFAULTS.get(command))
    if json_flag:
        p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(build_model=builder)


def _positive_number(flag):
    def parse(text):
        value = exact_number(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{flag} must be > 0, got {text}")
        return value
    return parse


def _cmd_portrait(args) -> int:
    from .portrait import phase_portrait

    out = Path(args.output)
    model = args.build_model(args)
    phase_portrait(model, out, r0=float(args.r0), n_grid=args.grid)
    print(f"wrote {out}")
    return 0


def _cmd_latex(args) -> int:
    from .._io import write_output
    from .report import contrastive_document

    model = args.build_model(args)
    verdicts = None
    if args.checks:
        from ..cli import run_checks  # streams each verdict on stderr as it finishes

        verdicts = run_checks(("learnability_second_moment", "attraction_region_higher_moments", "noise_correlation"))
    text = contrastive_document(model, verdicts)
    if write_output(args.output, text) is not None:
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _num(x):
    return float(x) if isinstance(x, (int, float)) or hasattr(x, "numerator") else x


def _emit_json_or_text(args, payload, lines):
    import json

    from ..verdict import jsonable

    if args.json:
        print(json.dumps(jsonable(payload), indent=2))
    else:
        print("\n".join(lines))


def _cmd_threshold(args) -> int:
    from .._budget import BudgetExceeded
    from .thresholds import learnability_threshold

    model = args.build_model(args)
    laws = model.laws
    try:
        th = learnability_threshold(model, budget=args.budget, confirm_digits=args.confirm_digits,
                                    certify=args.certify)
    except BudgetExceeded as exc:
        raise ValueError(str(exc)) from None
    feats = []
    for k, (law, lam) in enumerate(zip(laws, th["eigenvalue_formula"])):
        feats.append({"feature": k + 1, "second_moment": float(law.second_moment), "kurtosis": float(law.kurtosis),
                      "eigenvalue": lam, "learnable": lam > 0})
    payload = {"model": {"activation": args.activation, "augmentation": args.augmentation, "tau": args.tau,
                         "beta": args.beta, "Delta": args.Delta, "rho": args.rho},
               "Q_star": th["Q_star"], "G": th["G"], "S": th["S"], "threshold_c2": th["threshold_c2"],
               "direction": th["direction"], "features": feats, "level": th["level"], "seconds": th["seconds"]}
    lines = [f"activation {args.activation}, {args.augmentation}: tau={args.tau} beta={args.beta} "
             f"Delta={args.Delta} rho={args.rho}",
             f"Q*        = {th['Q_star']:.15g}",
             f"G(Q*)     = {th['G']:.15g}",
             f"S(Q*)     = {th['S']:.15g}",
             f"threshold = {th['threshold_c2']:.15g}  ({th['direction']})"]
    for f in feats:
        lines.append(f"feature {f['feature']}: <c^2> = {f['second_moment']:g}, eigenvalue {f['eigenvalue']:+.6g} -> "
                     + ("learnable" if f["learnable"] else "not learnable"))
    if "high_precision" in th:
        hp = th["high_precision"]
        payload["high_precision"] = {k: v for k, v in hp.items()}
        lines.append(f"cross-check ({hp['digits']} digits): Q* = {hp['Q_star']}, threshold = {hp['threshold_c2']}, "
                     f"max |float - high precision| = {hp['max_difference']:.2g}")
    if "certified" in th:
        c = th["certified"]
        payload["certified"] = {k: v for k, v in c.items()}
        lines.append(f"certified: Q* in {c['Q_star']['ball']}, threshold in {c['threshold_c2']['ball']}")
    lines.append(f"level: {th['level']}  ({th['seconds']:.2f} s)")
    _emit_json_or_text(args, payload, lines)
    return 0


def _cmd_steady_state(args) -> int:
    from .._budget import BudgetExceeded
    from .steadystate import steady_state_grid

    if args.kurtosis and len(args.kurtosis) != 1:
        raise ValueError(f"steady-state is for one feature: give one --kurtosis value, got {len(args.kurtosis)}")
    model = args.build_model(args)  # validates the flags; the grid varies tau, Delta, rho around it
    try:
        rows, info = steady_state_grid([_num(t) for t in args.tau], [_num(D) for D in args.Delta],
                                       [_num(r) for r in args.rho], activation=model.activation,
                                       law=model.laws[0], beta=model.beta, augmentation=model.augmentation,
                                       budget=args.budget)
        cert = None
        if args.certify:
            from .certified import certified_steady_state_grid

            cert = certified_steady_state_grid(rows, info)
    except BudgetExceeded as exc:
        raise ValueError(str(exc)) from None
    keys = ("tau", "Delta", "rho", "m", "R", "Q", "kind", "converged", "status")
    out_rows = [{k: r[k] for k in keys} for r in rows]
    if cert is not None:
        for o, c in zip(out_rows, cert):
            o["certified"] = {k: c.get(k) for k in ("m", "R", "Q", "kind", "certified")}
    level = "certified" if cert is not None and all("m" in c for c in cert) else "numerical"
    payload = {"activation": args.activation, "augmentation": args.augmentation, "rows": out_rows, "level": level,
               "seconds": info["seconds"]}
    lines = [f"{'tau':>6} {'Delta':>6} {'rho':>6} {'m*':>12} {'R':>12} {'Q':>12}  kind"]
    for o in out_rows:
        extra = f"  m* in {o['certified']['m']['ball']}" if "certified" in o and o["certified"].get("m") else ""
        lines.append(f"{float(o['tau']):6.3g} {float(o['Delta']):6.3g} {float(o['rho']):6.3g} {o['m']:12.8f} "
                     f"{o['R']:12.8f} {o['Q']:12.8f}  {o['kind']}{'' if o['converged'] else ' (NOT converged)'}{extra}")
    lines.append(f"level: {level}  ({info['seconds']:.1f} s)")
    _emit_json_or_text(args, payload, lines)
    return 0


#: largest --horizon (time units): the ODEs run about 5 horizon steps per unit (dt <= 0.2)
HORIZON_CAP = 1000.0
#: largest --n-mc (ODE Monte Carlo starts)
N_MC_CAP = 100_000


def _horizon(text: str) -> float:
    """argparse type of ``--horizon``: a finite time in ``(0, HORIZON_CAP]``."""
    try:
        value = float(exact_number(text))
    except (argparse.ArgumentTypeError, OverflowError):
        raise argparse.ArgumentTypeError(f"--horizon must be a number of time units, got {text!r}") from None
    if not 0 < value <= HORIZON_CAP:
        raise argparse.ArgumentTypeError(f"--horizon must be > 0 and <= {HORIZON_CAP:g} time units, got {text}")
    return value


def _n_mc(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--n-mc must be an integer, got {text!r}") from None
    if not 1 <= value <= N_MC_CAP:
        raise argparse.ArgumentTypeError(f"--n-mc must be in 1..{N_MC_CAP}, got {value}")
    return value


def _cmd_basins(args) -> int:
    from .claims import basin_probabilities

    model = args.build_model(args)
    r0, Q0 = float(args.r0), float(args.Q0)
    if not r0**2 < Q0:
        raise ValueError(f"--r0 must satisfy r0^2 < --Q0 (|R0| < sqrt(Q0): a cosine below 1), got r0={args.r0}, "
                         f"Q0={args.Q0}")
    out = basin_probabilities(model, r0=r0, Q0=Q0, n_mc=args.n_mc, with_sgd=args.sgd, sgd_N=args.sgd_N,
                              seed=args.seed, horizon=args.horizon)
    when = "t -> infinity" if args.horizon is None else f"t = {args.horizon:g}"
    payload = {"model": {"activation": args.activation, "augmentation": args.augmentation, "tau": args.tau,
                         "beta": args.beta, "Delta": args.Delta, "rho": args.rho,
                         "second_moment": args.second_moment,
                         "kurtosis": [float(law.kurtosis) for law in model.laws]},
               "r0": r0, "Q0": Q0, "horizon": args.horizon, "geometry": out["geometry"], "ode_mc": out["ode_mc"],
               "level": "numerical"}
    g, mc = out["geometry"], out["ode_mc"]
    lines = [f"activation {args.activation}, {args.augmentation}: tau={args.tau} beta={args.beta} Delta={args.Delta} "
             f"rho={args.rho}; kurtoses {payload['model']['kurtosis']}; |R0| = {r0:g}, Q0 = {Q0:g}",
             f"separatrix (t -> infinity): P(feature 1) = {g['p1']:.4f}  (bracket {g['ci'][0]:.4f} .. {g['ci'][1]:.4f})",
             f"ODE Monte Carlo at {when}: P(feature 1) = {mc['p1']:.4f}  (Wilson 95% {mc['ci'][0]:.3f} .. "
             f"{mc['ci'][1]:.3f}), P(feature 2) = {mc['p2']:.4f}, undecided {mc['undecided']:.4f}  (n = {mc['n']})"]
    if "sgd" in out:
        sg = out["sgd"]
        payload["sgd"] = sg
        lines.append(f"SGD (N = {sg['N']}) at {when if args.horizon is not None else 't = 40'}: P(feature 1) = "
                     f"{sg['p1']:.4f}  (Wilson 95% {sg['ci'][0]:.3f} .. {sg['ci'][1]:.3f}; {sg['n']} decided, "
                     f"{sg['undecided']} undecided)")
    lines.append("level: numerical (ODE integration and sampling)")
    _emit_json_or_text(args, payload, lines)
    return 0


def _budget_arg(p, default):
    p.add_argument("--budget", type=float, default=default,
                   help=f"time budget in seconds for the numerical search (default {default:g})")


def add_commands(contrastive_subparsers) -> None:
    """Add ``threshold``, ``steady-state``, ``portrait`` and ``basins`` to the ``symdyn contrastive`` sub-commands."""
    t = contrastive_subparsers.add_parser(
        "threshold", help="learnability threshold on <c^2> at the uninformative state (Q*, G, S)",
        description="Q*, G(Q*), S(Q*) and the threshold (beta - S)/G on <c^2>; each feature's R-eigenvalue "
                    "tau(<c^2> G + S - beta) and whether it is learnable.")
    _model_flags(t, _one_feature_model, kurtosis_default="1; as many features as values")
    t.add_argument("--confirm-digits", type=int, default=None,
                   help="also recompute with this many digits of quadrature (>= 10; e.g. 25) and compare")
    t.add_argument("--certify", action="store_true",
                   help="rigorous ball-arithmetic enclosures (closed-form activations, e.g. erf)")
    _budget_arg(t, 60.0)
    t.set_defaults(func=_cmd_threshold)
    s = contrastive_subparsers.add_parser(
        "steady-state", help="steady-state cosine m* for one setting or a grid of (tau, Delta, rho)",
        description="One feature, one neuron: the attracting steady state (informative sink, else the "
                    "uninformative one) for every combination of the --tau, --Delta, --rho values.")
    _model_flags(s, _one_feature_model, grid=True, kurtosis_default="1; one value only")
    s.add_argument("--certify", action="store_true",
                   help="enclose every m* rigorously (closed-form activations, e.g. erf)")
    _budget_arg(s, 600.0)
    s.set_defaults(func=_cmd_steady_state)
    p = contrastive_subparsers.add_parser(
        "portrait", help="(R1, R2) phase portrait with fixed points, separatrix and basins (PNG)",
        description="Two features with equal <c^2> and the given kurtoses, one neuron.")
    _model_flags(p, _two_feature_model, kurtosis_default="1 2 (two features)", json_flag=False)
    p.add_argument("-o", "--output", default="portrait.png",
                   help="output PNG (default portrait.png; a binary file, so '-' is refused)")
    p.set_defaults(output_binary=True)
    p.add_argument("--r0", type=_positive_number("--r0"), default=exact_number("0.05"),
                   help="radius of the initial circle |R0| = r0, > 0 with r0^2 < Q0 = 1 (default 0.05)")
    p.add_argument("--grid", type=int, default=80, help="basin-map cells per axis, 4 to 400 (default 80)")
    p.set_defaults(func=_cmd_portrait)
    b = contrastive_subparsers.add_parser(
        "basins", help="probability of selecting feature 1 from a small circle of starts (optionally at a horizon)",
        description="Two features, one neuron, R0 = r0 (cos theta, sin theta) with theta uniform and Q0: the "
                    "t -> infinity probability from the separatrix geometry, and ODE Monte Carlo (optionally "
                    "SGD) either until the trajectories commit (default) or at the finite time --horizon, "
                    "where a state not yet within 0.1 of a sink is 'undecided'.")
    _model_flags(b, _two_feature_model, kurtosis_default="1 2 (two features)")
    b.add_argument("--horizon", type=_horizon, default=None, metavar="T",
                   help=f"classify the states at time T, 0 < T <= {HORIZON_CAP:g} (default: run until they "
                        "commit, t <= 150)")
    b.add_argument("--r0", type=_positive_number("--r0"), default=exact_number("0.05"),
                   help="radius of the initial circle, > 0 with r0^2 < Q0 (default 0.05)")
    b.add_argument("--Q0", type=_positive_number("--Q0"), default=exact_number(1), help="initial Q, > 0 (default 1)")
    b.add_argument("--n-mc", type=_n_mc, default=160, help=f"ODE Monte Carlo starts, 1..{N_MC_CAP} (default 160)")
    b.add_argument("--sgd", action="store_true", help="also run the SGD ensemble (16 angles x 16 runs; slow)")
    b.add_argument("--sgd-N", type=int, default=4000, help="SGD dimension with --sgd (default 4000)")
    b.add_argument("--seed", type=int, default=0)
    b.set_defaults(func=_cmd_basins)


def register_latex(latex_subparsers) -> None:
    """Add ``contrastive`` to the ``symdyn latex`` documents."""
    p = latex_subparsers.add_parser(
        "contrastive", help="derivation of the contrastive model: PDE, ODEs, fixed points, thresholds, verdicts",
        description="Write a standalone LaTeX document (compiles with pdflatex). The one model vocabulary of "
                    "every contrastive command; only the --Delta default differs (1/2: at Delta = 0 the two "
                    "additive views are identical, a degenerate case for a contrastive document).")
    _model_flags(p, _latex_model, kurtosis_default="1; 1 2 with --d 2", command="latex contrastive",
                 json_flag=False)
    p.add_argument("--d", type=int, choices=(1, 2), default=1, help="number of features (default 1)")
    p.add_argument("--checks", action="store_true", help="run the three claim checks and include their verdicts")
    p.add_argument("-o", "--output", required=True, help="output .tex file ('-' for stdout)")
    p.set_defaults(func=_cmd_latex)
