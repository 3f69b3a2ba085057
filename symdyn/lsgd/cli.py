"""``symdyn lsgd ...`` and ``symdyn latex lsgd`` (plug-in for :mod:`symdyn.cli`)."""

from __future__ import annotations

import json
from fractions import Fraction

from ..verdict import jsonable


def parse_rational(name: str, text: str) -> Fraction:
    """Parse ``'3'``, ``'-1/2'``, ``'0.25'`` into an exact Fraction (no eval)."""
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name} must be a rational like 1/2 or 0.25, got {text!r}") from None


def parse_rationals(name: str, text: str) -> list[Fraction]:
    parts = [p for p in text.split(",") if p.strip()]
    if not parts:
        raise ValueError(f"{name} must be a comma-separated list of rationals, got {text!r}")
    return [parse_rational(f"{name}[{i}]", p) for i, p in enumerate(parts)]


def _b_from_args(args) -> list:
    from .matrices import canonical_b

    from .._validation import check_cap

    if args.b:
        b = parse_rationals("--b", args.b)
        check_cap("len(--b)", len(b), "lsgd_n", what="exact n x n iteration matrices")
        return b
    if args.n is None:
        raise ValueError("give --n N (canonical B = diag(-1, 1, ..., 1)) or --b b0,b1,...")
    check_cap("--n", args.n, "lsgd_n", what="exact n x n iteration matrices")
    return canonical_b(args.n)


def _emit(args, payload: dict, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(jsonable(payload), indent=2))
    else:
        print(text)


def _cmd_counts(args) -> int:
    from .attraction import eigenvalue_counts, schedule_counts

    b = _b_from_args(args)
    eta = parse_rational("--eta", args.eta)
    sig = parse_rationals("--sigma", args.sigma)
    if len(sig) == 1:
        c = eigenvalue_counts(b, eta, sig[0], args.order)
    else:
        c = schedule_counts(b, eta, sig, args.order)
    payload = {"n": len(b), "eta": eta, "sigma": sig, "inside": c.inside, "on": c.on, "outside": c.outside,
               "attraction_dimension": c.inside, "level": "proved"}
    _emit(args, payload, f"n={len(b)} sigma={','.join(map(str, sig))}: inside={c.inside} on={c.on} "
                         f"outside={c.outside}  (dim E_s = {c.inside}, exact)")
    return 0


def _cmd_robust(args) -> int:
    from .robust import robust_dimension

    from .._validation import check_int

    b = _b_from_args(args)
    eta = parse_rational("--eta", args.eta)
    check_int("--order", args.order, low=1)  # robust_dimension itself accepted order <= 0 (issue 11, item 8)
    r = robust_dimension(b, eta, order=args.order, method=args.method)
    payload = {"n": r.n, "lower": r.lower.dim, "upper": r.upper.dim, "dim": r.dim, "expected": r.expected,
               "level": r.level, "method": r.upper.method, "sigmas": r.upper.sigmas,
               "precision_bits": r.upper.precision, "det_enclosure": r.upper.det_enclosure,
               "lower_facts": r.lower.facts, "upper_facts": r.upper.facts}
    _emit(args, payload, f"n={r.n}: {r.lower.dim} <= dim E_rob <= {r.upper.dim}  "
                         f"(floor((n-1)/2) = {r.expected}; {r.upper.method}, {r.level})")
    return 0 if r.proved else 1


def _cmd_escape(args) -> int:
    from .escape import double_well_problem, escape_experiment, quadratic_problem

    if args.n < 2:
        raise ValueError(f"--n must be >= 2, got {args.n}")
    if args.samples < 1 or args.iters < 1:
        raise ValueError("--samples and --iters must be >= 1")
    from .._validation import check_cap

    check_cap("--n", args.n, "lsgd_n")
    check_cap("--n * --samples", args.n * args.samples, "escape_values", what="stored start points")
    check_cap("--n * --samples * --iters", args.n * args.samples * args.iters, "escape_work",
              what="gradient-step coordinates")
    prob = quadratic_problem(args.n) if args.problem == "quadratic" else double_well_problem(args.n)
    res = escape_experiment(prob, n_samples=args.samples, n_iter=args.iters, eta=args.eta_float, seed=args.seed,
                            split_reflection=args.split_reflection)
    lines = [f"{'method':28s} {'start':10s} {'to saddle':>9s} {'escaped':>8s} {'t_esc median':>12s}"]
    for m, rows in res.items():
        for k, row in rows.items():
            med = row["escape_time_median"]
            lines.append(f"{m:28s} {k:10s} {row['to_saddle']:9.3f} {row['escaped']:8.3f} "
                         f"{'-' if med is None else f'{med:.0f}':>12s}")
    _emit(args, {"problem": prob.name, "n": args.n, "results": res}, "\n".join(lines))
    return 0


def _cmd_latex(args) -> int:
    from .._io import write_output
    from .report import lsgd_document

    src = lsgd_document(args.n)
    if write_output(args.output, src) is not None:
        print(f"wrote {args.output}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("lsgd", help="Laplacian smoothing gradient descent: exact counts, robust region, escape",
                              description="LSGD attraction-region tools (exact / certified).")
    sub = p.add_subparsers(dest="lsgd_command", metavar="SUBCOMMAND")
    p.set_defaults(func=lambda a: (p.print_help(), 2)[1])

    def common(q):
        q.add_argument("--n", type=int, help="dimension (canonical B = diag(-1, 1, ..., 1))")
        q.add_argument("--b", help="diagonal of B as comma-separated rationals, e.g. -1,1,2,1")
        q.add_argument("--eta", default="1", help="step size (rational, default 1)")
        q.add_argument("--order", type=int, default=1, help="smoothing order p (default 1)")
        q.add_argument("--json", action="store_true", help="JSON output")

    q = sub.add_parser("counts", help="exact eigenvalue counts of T(sigma) or of a schedule product",
                       description="Exact counts inside/on/outside the unit circle; several --sigma values = one period of a schedule.")
    common(q)
    q.add_argument("--sigma", default="0", help="sigma, or comma-separated periodic schedule")
    q.set_defaults(func=_cmd_counts)

    q = sub.add_parser("robust", help="prove dim E_rob (lower and upper bound)",
                       description="Exact lower bound and structural/certified upper bound on dim E_rob.")
    common(q)
    q.add_argument("--method", choices=("auto", "structural", "certified"), default="auto")
    q.set_defaults(func=_cmd_robust)

    q = sub.add_parser("escape", help="Monte Carlo escape experiment",
                       description="Fractions converging to the saddle and escape times for GD, LSGD and schedules.")
    q.add_argument("--n", type=int, default=16)
    q.add_argument("--problem", choices=("quadratic", "double_well"), default="quadratic")
    q.add_argument("--samples", type=int, default=200)
    q.add_argument("--iters", type=int, default=400)
    q.add_argument("--eta", dest="eta_float", type=float, default=0.5)
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--split-reflection", action="store_true",
                   help="smooth symmetric/antisymmetric parts separately (E_rob preserved exactly in floats)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=_cmd_escape)


def register_latex(subparsers) -> None:
    q = subparsers.add_parser("lsgd", help="LSGD derivation: matrices, charpoly, invariant subspaces, bound table",
                              description="Write the LSGD derivation for B = diag(-1, 1, ..., 1) of size N.")
    q.add_argument("--n", type=int, required=True, help="dimension N (2..64)")
    q.add_argument("-o", "--output", required=True, help="output .tex file ('-' for stdout)")
    q.set_defaults(func=_cmd_latex)
