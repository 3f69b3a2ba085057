"""The ``symdyn`` command.

Sub-commands
------------
check       run every paper-claim check in ``proofs_checks`` and print verdicts
latex       write a standalone LaTeX derivation (``symdyn latex contrastive|lsgd|system``)
contrastive contrastive-learning model: ODEs, simulation, phase portrait
lsgd        Laplacian smoothing gradient descent tools
cluster     Quickshift++ on a CSV file
bench       benchmarks that report ratios against a baseline measured in the same run

Exit codes: 0 success, 1 a claim failed (or a command's work failed), 2 usage or
input error.

Model packages plug in through ``register(subparsers)`` (top-level commands) and
``register_latex(subparsers)`` (documents under ``symdyn latex``) functions in
their ``cli`` module; each registered parser sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import sys

from .verdict import Verdict, jsonable

# (module, has top-level commands, has latex documents); order = help order.
_PLUGINS = (
    "symdyn.contrastive.cli",
    "symdyn.lsgd.cli",
    "symdyn.cluster.cli",
    "symdyn.benchmarks.cli",
    "symdyn.sweep.cli",
)


class UsageError(Exception):
    """Bad command-line input: reported on stderr with exit code 2."""


def _load_plugins():
    mods = []
    for name in _PLUGINS:
        try:
            mods.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            # Only a missing plugin itself is tolerated; a broken import inside
            # a plugin must surface.
            if exc.name is None or not name.startswith(exc.name):
                raise
    return mods


def _format_figures(figures: dict, width: int | None = 70) -> str:
    """``key=value`` list of a verdict's scalar figures, cut to ``width`` characters (``None``: in full)."""
    parts = []
    for k, v in figures.items():
        if isinstance(v, (dict, list)):
            continue
        if isinstance(v, float):
            s = f"{v:.4g}"
        else:
            s = str(v)
        parts.append(f"{k}={s}")
    text = ", ".join(parts)
    return text if width is None or len(text) <= width else text[: width - 3] + "..."


def format_table(verdicts: list[Verdict], *, wide: bool = False) -> str:
    """Plain-text verdict table; ``wide``: key figures in full (else cut to 70 characters)."""
    rows = [("check", "result", "level", "seconds", "key figures")]
    for v in verdicts:
        rows.append((v.name, "PASS" if v.passed else "FAIL", v.level, f"{v.seconds:.2f}",
                     _format_figures(v.figures, None if wide else 70)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(r[j].ljust(widths[j]) for j in range(4)) + "  " + r[4])
        if i == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 11)
    n_pass = sum(v.passed for v in verdicts)
    lines.append("")
    lines.append(f"{n_pass}/{len(verdicts)} claims pass")
    return "\n".join(lines)


def verdict_line(verdict: Verdict, index: int, total: int, *, wide: bool = False) -> str:
    """One streamed line for a finished check: ``[i/n] PASS name (level, seconds) figures``."""
    figures = _format_figures(verdict.figures, None if wide else 60)
    return (f"[{index}/{total}] {'PASS' if verdict.passed else 'FAIL'} {verdict.name} "
            f"({verdict.level}, {verdict.seconds:.2f} s)" + (f"  {figures}" if figures else ""))


def run_checks(names, *, full: bool = False, wide: bool = False, stream: bool = True) -> list[Verdict]:
    """Run the named ``proofs_checks`` modules in order; return their verdicts.

    With ``stream`` (the default) the work is reported on stderr as it happens:
    first ``running N checks: ...``, then one line per finished verdict; on a
    terminal a tqdm bar counts the checks below those lines.  A check that
    raises becomes a failed verdict naming the exception.
    """
    import proofs_checks

    from ._progress import Progress, note

    names = list(names)
    if stream:
        note(f"running {len(names)} check{'s' if len(names) != 1 else ''}: {', '.join(names)}")
    verdicts = []
    bar = Progress(len(names), "check", enabled=stream and sys.stderr.isatty(), unit="check")
    try:
        for i, name in enumerate(names, 1):
            if bar.bar is not None:
                bar.bar.set_description(name)
            mod = proofs_checks.load(name)
            try:
                verdict = mod.run(full=full)
            except Exception as exc:  # a crashing check is a failed check, reported
                verdict = Verdict(
                    name=name,
                    claim=getattr(mod, "CLAIM", ""),
                    passed=False,
                    level="numerical",
                    figures={"error": f"{type(exc).__name__}: {exc}"},
                )
            verdicts.append(verdict)
            if stream:
                note(verdict_line(verdict, i, len(names), wide=wide))
            bar.update()
    finally:
        bar.close()
    return verdicts


def _cmd_check(args) -> int:
    import proofs_checks

    names = proofs_checks.available()
    if args.only:
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = [w for w in wanted if w not in names]
        if unknown:
            raise UsageError(f"--only: unknown check(s) {', '.join(unknown)}; available: {', '.join(names)}")
        names = wanted
    if args.list:
        for n in names:
            print(f"{n}: {proofs_checks.load(n).CLAIM}")
        return 0
    verdicts = run_checks(names, full=args.full, wide=args.wide)
    if args.json:
        print(json.dumps([v.to_dict() for v in verdicts], indent=2))
    else:
        print(format_table(verdicts, wide=args.wide))
    return 0 if all(v.passed for v in verdicts) else 1


def build_parser(*, plugins: bool = True) -> argparse.ArgumentParser:
    """The ``symdyn`` argument parser; ``plugins=False``: only the core commands (``check``, ``latex system``).

    The model plug-ins import SymPy and NumPy (about half a second); ``symdyn
    check`` needs none of them before its first progress line, so :func:`main`
    builds it without them.
    """
    parser = argparse.ArgumentParser(
        prog="symdyn",
        description="Checked, reproducible mathematics for attraction regions of learning dynamics.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="verify every paper claim and print the verdict table",
                       description="Run the proofs_checks modules; exit 1 if any claim fails. Progress goes "
                                   "to stderr as each check finishes (a bar on a terminal, one line per "
                                   "verdict); the table or --json goes to stdout.")
    p.add_argument("--json", action="store_true", help="print a JSON list of verdicts")
    p.add_argument("--only", metavar="NAME[,NAME]", help="run only these checks")
    p.add_argument("--full", action="store_true", help="run the larger versions of the checks")
    p.add_argument("--list", action="store_true", help="list the checks and their claims")
    p.add_argument("--wide", action="store_true", help="key figures in full (the table cuts them at 70 characters)")
    p.set_defaults(func=_cmd_check)

    latex = sub.add_parser("latex", help="write a standalone LaTeX derivation document",
                           description="Write a standalone LaTeX document that compiles with pdflatex.")
    latex_sub = latex.add_subparsers(dest="document", metavar="DOCUMENT")
    latex.set_defaults(func=lambda a: _missing(latex))
    _register_latex_system(latex_sub)

    for mod in _load_plugins() if plugins else ():
        if hasattr(mod, "register"):
            mod.register(sub)
        if hasattr(mod, "register_latex"):
            mod.register_latex(latex_sub)
    return parser


def _register_latex_system(latex_sub) -> None:
    q = latex_sub.add_parser(
        "system", help="report of your own flow or map: equations, Jacobian, fixed points, classification",
        description="Write the LaTeX report of a user system (ODESystem.report / MapSystem.report). The system "
                    "comes from a JSON description (--spec) or from --state/--rhs/--param; expressions are read "
                    "by a whitelist grammar (numbers, declared names, + - * / ** ^, parentheses, exp log sqrt sin "
                    "cos tan sinh cosh tanh atan erf), never evaluated.",
        epilog='example: symdyn latex system --state x --rhs "r*x - x^3" --param r=1 -o pitchfork.tex')
    q.add_argument("--spec", metavar="FILE.json", help='JSON {"name", "kind": "flow"|"map", "states": [...], '
                   '"params": {name: value or null}, "rhs": [...]} ("-" reads stdin)')
    q.add_argument("--state", action="append", metavar="NAME", help="a state variable (repeat, in order)")
    q.add_argument("--rhs", action="append", metavar="EXPR", help="its right-hand side (repeat, same order)")
    q.add_argument("--param", action="append", metavar="NAME[=VALUE]",
                   help="a parameter and its value (exact: 2, -1/2, 0.25); without =VALUE it stays symbolic")
    q.add_argument("--map", action="store_true", help="a map x -> F(x) instead of a flow dx/dt = f(x)")
    q.add_argument("--name", help="the system's name (report title)")
    q.add_argument("--method", choices=("auto", "exact", "numeric"), default="auto",
                   help="fixed-point method (auto: exact Groebner basis when the system is rational)")
    q.add_argument("--bounds", nargs=2, type=float, metavar=("LO", "HI"),
                   help="search box of the numeric method per state (default -10 10)")
    q.add_argument("-o", "--output", required=True, help="output .tex file ('-' for stdout)")
    q.set_defaults(func=_cmd_latex_system)


#: largest --spec file read (bytes)
_SPEC_MAX_BYTES = 1_000_000


def _read_spec(path: str) -> dict:
    if path == "-":
        text = sys.stdin.read(_SPEC_MAX_BYTES + 1)
    else:
        with open(path, "rb") as fh:
            text = fh.read(_SPEC_MAX_BYTES + 1).decode("utf-8", errors="strict")
    if len(text) > _SPEC_MAX_BYTES:
        raise UsageError(f"--spec: file larger than {_SPEC_MAX_BYTES} bytes")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--spec: not valid JSON ({exc.msg} at line {exc.lineno})") from None


def _cmd_latex_system(args) -> int:
    from ._io import write_output
    from ._system_spec import system_from_spec

    inline = args.state or args.rhs or args.param or args.map or args.name
    if args.spec and inline:
        raise UsageError("give either --spec or --state/--rhs/--param/--map/--name, not both")
    if args.spec:
        spec = _read_spec(args.spec)
    else:
        if not args.state or not args.rhs:
            raise UsageError("give --spec FILE.json, or at least one --state and one --rhs")
        params = {}
        for item in args.param or []:
            key, eq, value = item.partition("=")
            params[key.strip()] = value.strip() if eq else None
        spec = {"states": args.state, "rhs": args.rhs, "params": params, "kind": "map" if args.map else "flow"}
        if args.name:
            spec["name"] = args.name
    if not isinstance(spec, dict):
        raise UsageError("--spec: the JSON must be an object")
    description = spec.pop("description", None)
    title = spec.pop("title", None)
    system, values = system_from_spec(spec)
    options = {"method": args.method}
    if args.bounds:
        lo, hi = args.bounds
        if not (lo < hi) or not all(abs(v) < 1e12 for v in (lo, hi)):
            raise UsageError(f"--bounds: need finite LO < HI, got {lo:g} {hi:g}")
        options["bounds"] = (lo, hi)
    src = system.report(values or None, title=title, description=description, **options)
    if write_output(args.output, src) is not None:
        print(f"wrote {args.output}")
    return 0


def _missing(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _version() -> str:
    from . import __version__

    return f"symdyn {__version__}"


def _anticipated_errors() -> tuple:
    """Exception classes that mean bad input or an unusable environment (exit 2, one line)."""
    errors = [UsageError, ValueError, TypeError, OverflowError, OSError, MemoryError]
    for module, name in (("symdyn._integrate", "DivergenceError"), ("symdyn.stability", "UndecidableError"),
                         ("symdyn.contrastive.pde", "NotClosedError")):
        mod = sys.modules.get(module)  # only classes whose module a command actually imported can be raised
        if mod is not None and hasattr(mod, name):
            errors.append(getattr(mod, name))
    return tuple(errors)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, MemoryError):
        return f"out of memory{': ' + text if text else ''} (see the input caps in the README)"
    if isinstance(exc, (UsageError, ValueError, TypeError)) or not text:
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__name__ not in text else text


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _check_output_paths(args) -> None:
    """Refuse a bad ``-o`` / ``--png`` / ``--plot`` destination before any work (README, file writing).

    ``-`` means standard output for text outputs; a binary (PNG) output given
    as ``-`` is refused (exit 2).  A parser marks a binary ``-o`` with
    ``set_defaults(output_binary=True)``.  ``symdyn sweep -o`` names a result
    directory, not a file: it is left to the sweep, and ``-`` is refused.
    """
    from ._io import is_stdout, refuse_binary_stdout, resolve_output

    sweep = args.func.__module__.startswith("symdyn.sweep")
    for attr, flag in (("output", "-o/--output"), ("png", "--png"), ("plot", "--plot")):
        path = getattr(args, attr, None)
        if not isinstance(path, str):
            continue
        if attr != "output" or getattr(args, "output_binary", False):
            refuse_binary_stdout(path, flag)
        if attr == "output" and sweep:
            if is_stdout(path):
                raise UsageError(f"{flag}: sweep writes a result directory; '-' (standard output) is not one")
            continue
        if is_stdout(path):
            continue
        try:
            resolve_output(path)
        except (OSError, ValueError) as exc:
            raise type(exc)(f"{flag}: {exc}") from None


def main(argv=None) -> int:
    """Run the ``symdyn`` command; return its exit code.

    Anticipated errors (bad input, files, declared caps, the project's own
    error classes) become one line on stderr and exit code 2, never a
    traceback; a closed output pipe (``symdyn ... | head``) ends quietly.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    # `symdyn check` shows its first progress line before any heavy import (issue 10: within 2 s)
    parser = build_parser(plugins=not (argv and argv[0] == "check"))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        _check_output_paths(args)
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # inside the try: a reader that left early is a broken pipe here, not at exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        print("symdyn: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if not isinstance(exc, _anticipated_errors()):
            raise
        print(f"symdyn: error: {_one_line(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
