"""CLI pieces for the contrastive claims.

``symdyn contrastive threshold`` (learnability threshold at the
uninformative state), ``symdyn contrastive steady-state`` (``m*`` for one
setting or a grid), ``symdyn contrastive portrait`` and ``symdyn latex
contrastive``.  :func:`add_commands` and :func:`register_latex` are called by
``symdyn.contrastive.cli``.  Activations come from a fixed name table; numbers
are parsed as exact decimals (``Fraction``); user text is never evaluated.

Model flags (the package vocabulary): ``--activation`` (default ``tanh``, the
:class:`ContrastiveModel` default), ``--augmentation``, ``--second-moment``
(``<c^2>`` of every feature), ``--kurtosis`` (one value per feature; their
number is ``d``), ``--Delta``, ``--rho``, ``--tau``, ``--beta``; ``--json``
for machine-readable output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sympy

__all__ = ["ACTIVATIONS", "add_commands", "register_latex"]

DEFAULT_ACTIVATION = "tanh"  # the ContrastiveModel default: one default everywhere

ACTIVATIONS = {"erf": sympy.erf, "tanh": sympy.tanh}


def _fraction(text: str):
    from fractions import Fraction

    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _common(p, d_default):
    from ._cli_options import add_model_options

    add_model_options(p, activations=ACTIVATIONS, augmentation=False,
                      kurtosis_default="1 2 (two features)" if d_default == 2 else "1; 1 2 with --d 2")


def _model(args, d):
    from ..hidden import law_with_moments
    from .model import ContrastiveModel

    kurt = args.kurtosis or ([1, 2] if d == 2 else [1])
    if len(kurt) != d:
        raise ValueError(f"--kurtosis needs {d} value(s), got {len(kurt)}")
    laws = tuple(law_with_moments(args.second_moment, k) for k in kurt)
    return ContrastiveModel(d=d, activation=ACTIVATIONS[args.activation], tau=args.tau, beta=args.beta,
                            Delta=args.Delta, rho=args.rho, laws=laws)


def _cmd_portrait(args) -> int:
    from .portrait import phase_portrait

    out = Path(args.output)
    model = _model(args, 2)
    phase_portrait(model, out, r0=float(args.r0), n_grid=args.grid)
    print(f"wrote {out}")
    return 0


def _cmd_latex(args) -> int:
    from .._io import write_output
    from .report import contrastive_document

    model = _model(args, args.d)
    verdicts = None
    if args.checks:
        from ..cli import run_checks  # streams each verdict on stderr as it finishes

        verdicts = run_checks(("learnability_second_moment", "attraction_region_higher_moments", "noise_correlation"))
    text = contrastive_document(model, verdicts)
    if write_output(args.output, text) is not None:
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _model_flags(p, *, lists: bool):
    """The shared model vocabulary; ``lists``: --tau/--Delta/--rho take several values (a grid)."""
    from ._cli_options import add_model_options

    add_model_options(p, activations=ACTIVATIONS, grid=lists)
    p.add_argument("--json", action="store_true", help="print JSON")


def _laws(args):
    from ..hidden import Rademacher, law_with_moments

    kurt = args.kurtosis or [1]
    if args.second_moment <= 0:
        raise ValueError(f"--second-moment must be > 0, got {args.second_moment}")
    m2 = sympy.Rational(args.second_moment.numerator, args.second_moment.denominator)
    return tuple(Rademacher(sympy.sqrt(m2)) if k == 1 else law_with_moments(m2, k) for k in kurt)


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
    from .model import ContrastiveModel
    from .thresholds import learnability_threshold

    laws = _laws(args)
    model = ContrastiveModel(d=len(laws), activation=ACTIVATIONS[args.activation], augmentation=args.augmentation,
                             tau=args.tau, beta=args.beta, Delta=args.Delta, rho=args.rho, laws=laws)
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

    laws = _laws(args)
    if len(laws) != 1:
        raise ValueError(f"steady-state is for one feature: give one --kurtosis value, got {len(laws)}")
    try:
        rows, info = steady_state_grid([_num(t) for t in args.tau], [_num(D) for D in args.Delta],
                                       [_num(r) for r in args.rho], activation=ACTIVATIONS[args.activation],
                                       law=laws[0], beta=args.beta, augmentation=args.augmentation,
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


def _budget_arg(p, default):
    p.add_argument("--budget", type=float, default=default,
                   help=f"time budget in seconds for the numerical search (default {default:g})")


def add_commands(contrastive_subparsers) -> None:
    """Add ``threshold``, ``steady-state`` and ``portrait`` to the ``symdyn contrastive`` sub-commands."""
    t = contrastive_subparsers.add_parser(
        "threshold", help="learnability threshold on <c^2> at the uninformative state (Q*, G, S)",
        description="Q*, G(Q*), S(Q*) and the threshold (beta - S)/G on <c^2>; each feature's R-eigenvalue "
                    "tau(<c^2> G + S - beta) and whether it is learnable.")
    _model_flags(t, lists=False)
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
    _model_flags(s, lists=True)
    s.add_argument("--certify", action="store_true",
                   help="enclose every m* rigorously (closed-form activations, e.g. erf)")
    _budget_arg(s, 600.0)
    s.set_defaults(func=_cmd_steady_state)
    p = contrastive_subparsers.add_parser(
        "portrait", help="(R1, R2) phase portrait with fixed points, separatrix and basins (PNG)",
        description="Two features with equal <c^2> and the given kurtoses, one neuron.")
    _common(p, 2)
    p.add_argument("-o", "--output", default="portrait.png",
                   help="output PNG (default portrait.png; a binary file, so '-' is refused)")
    p.set_defaults(output_binary=True)
    p.add_argument("--r0", type=_fraction, default=_fraction("0.05"), help="radius of the initial circle")
    p.add_argument("--grid", type=int, default=80, help="basin-map cells per axis, 4 to 400 (default 80)")
    p.set_defaults(func=_cmd_portrait)


def register_latex(latex_subparsers) -> None:
    """Add ``contrastive`` to the ``symdyn latex`` documents."""
    p = latex_subparsers.add_parser(
        "contrastive", help="derivation of the contrastive model: PDE, ODEs, fixed points, thresholds, verdicts",
        description="Write a standalone LaTeX document (compiles with pdflatex).")
    _common(p, 1)
    p.add_argument("--d", type=int, choices=(1, 2), default=1, help="number of features (default 1)")
    p.add_argument("--checks", action="store_true", help="run the three claim checks and include their verdicts")
    p.add_argument("-o", "--output", required=True, help="output .tex file ('-' for stdout)")
    p.set_defaults(func=_cmd_latex)
