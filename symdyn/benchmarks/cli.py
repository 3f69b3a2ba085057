"""``symdyn bench NAME``: benchmarks reporting ratios against a baseline measured in the same run.

Each benchmark module ``symdyn.benchmarks.NAME`` exposes
``run_benchmark(quick: bool = False) -> dict`` and ``format_report(result) -> str``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys

from .._io import resolve_output, write_atomic
from ..verdict import jsonable


def available() -> list[str]:
    import symdyn.benchmarks as pkg

    return sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_") and m.name != "cli")


def _run(args) -> int:
    names = available()
    if args.name not in names:
        raise ValueError(f"unknown benchmark {args.name!r}; available: {', '.join(names)}")
    if args.output and args.output != "-":
        resolve_output(args.output)  # refuse a directory / FIFO / missing folder before minutes of work
    mod = importlib.import_module(f"symdyn.benchmarks.{args.name}")
    import inspect

    kwargs = {"large": True} if args.large and "large" in inspect.signature(mod.run_benchmark).parameters else {}
    result = mod.run_benchmark(quick=args.quick, **kwargs)
    text = json.dumps(jsonable(result), indent=2)
    if args.output == "-":  # JSON alone on stdout; the report goes to stderr
        print(mod.format_report(result), file=sys.stderr)
        print(text)
        return 0
    print(text if args.json else mod.format_report(result))
    if args.output:
        write_atomic(args.output, text)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "bench",
        help="run a benchmark (ratios against a baseline measured in the same run)",
        description="Run a benchmark. Available: " + ", ".join(available()),
    )
    p.add_argument("name", help="benchmark name: " + ", ".join(available()))
    p.add_argument("--quick", action="store_true", help="smaller sizes (for a smoke run)")
    p.add_argument("--large", action="store_true", help="also the largest sizes where a benchmark has them (long)")
    p.add_argument("--json", action="store_true", help="print the raw result as JSON")
    p.add_argument("-o", "--output", metavar="FILE", help="also write the JSON result to FILE (atomically); '-': JSON to stdout, report to stderr")
    p.set_defaults(func=_run)
