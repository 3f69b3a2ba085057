"""CLI pieces for the contrastive claims: ``symdyn contrastive portrait`` and ``symdyn latex contrastive``.

:func:`add_commands` and :func:`register_latex` are called by
``symdyn.contrastive.cli``.  Activations come from a fixed name table; user
text is never parsed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sympy

__all__ = ["ACTIVATIONS", "add_commands", "register_latex"]

ACTIVATIONS = {"erf": sympy.erf, "tanh": sympy.tanh}


def _fraction(text: str):
    from fractions import Fraction

    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _common(p, d_default):
    p.add_argument("--activation", choices=sorted(ACTIVATIONS), default="erf", help="activation (default erf)")
    p.add_argument("--tau", type=_fraction, default=_fraction("0.5"), help="step size tau > 0 (default 0.5)")
    p.add_argument("--beta", type=_fraction, default=_fraction("1"), help="L2 strength (default 1)")
    p.add_argument("--Delta", type=_fraction, default=_fraction("0"), help="augmentation noise >= 0 (default 0)")
    p.add_argument("--rho", type=_fraction, default=_fraction("0"), help="noise correlation in [-1, 1] (default 0)")
    p.add_argument("--m2", type=_fraction, default=_fraction("2"), help="<c^2> of every feature (default 2)")
    p.add_argument("--kurtosis", type=_fraction, nargs="*", default=None,
                   help=f"kurtosis of each feature (default: 1 and 2 for d = {d_default})")


def _model(args, d):
    from ..hidden import law_with_moments
    from .model import ContrastiveModel

    kurt = args.kurtosis or ([1, 2] if d == 2 else [1])
    if len(kurt) != d:
        raise ValueError(f"--kurtosis needs {d} value(s), got {len(kurt)}")
    laws = tuple(law_with_moments(args.m2, k) for k in kurt)
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
    from .._io import write_atomic
    from .report import contrastive_document

    model = _model(args, args.d)
    verdicts = None
    if args.checks:
        import proofs_checks

        verdicts = [proofs_checks.load(n).run() for n in
                    ("learnability_second_moment", "attraction_region_higher_moments", "noise_correlation")]
    text = contrastive_document(model, verdicts)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def add_commands(contrastive_subparsers) -> None:
    """Add ``portrait`` to the ``symdyn contrastive`` sub-commands."""
    p = contrastive_subparsers.add_parser(
        "portrait", help="(R1, R2) phase portrait with fixed points, separatrix and basins (PNG)",
        description="Two features with equal <c^2> and the given kurtoses, one neuron.")
    _common(p, 2)
    p.add_argument("-o", "--output", default="portrait.png", help="output PNG (default portrait.png)")
    p.add_argument("--r0", type=_fraction, default=_fraction("0.05"), help="radius of the initial circle")
    p.add_argument("--grid", type=int, default=16, help="basin grid points per axis (default 16)")
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
