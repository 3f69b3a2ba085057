"""``symdyn sweep STUDY --grid NAME=VALUES ... -o DIR``: resumable parameter sweeps on Dask.

Exit codes: 0 the sweep ran (failed cells are recorded in the table, and
counted on stderr); 1 some tasks were lost (worker died) and have no row --
re-run to retry them; 2 bad input.
"""

from __future__ import annotations

import json
import sys

__all__ = ["register"]


def _study_help(study) -> str:
    lines = [f"{study.summary}.", "", "parameters (default; allowed):"]
    for p in study.params:
        lines.append(f"  {p.name:14s} {p.default!s:>10s}   {p.describe_range()}  {p.help}")
    lines.append("")
    lines.append("result columns: " + ", ".join(c for c, _ in study.results))
    return "\n".join(lines)


def register(subparsers) -> None:
    """Add ``symdyn sweep`` with one sub-command per study."""
    import argparse

    from .studies import STUDIES

    p = subparsers.add_parser(
        "sweep", help="run a study over a parameter grid on Dask (resumable table, heatmap)",
        description="Run a named study over a parameter grid, one Dask task per cell (a LocalCluster by default, "
                    "any scheduler with --scheduler, serial with --workers 0). Re-running the same command "
                    "resumes: finished cells are read from OUT/cells, not recomputed.")
    sub = p.add_subparsers(dest="study", metavar="STUDY")
    p.set_defaults(func=lambda a: (p.print_help(sys.stderr), 2)[1])
    for name, study in STUDIES.items():
        s = sub.add_parser(name, help=study.summary, description=_study_help(study),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        s.add_argument("--grid", action="append", default=[], metavar="NAME=VALUES",
                       help="values of a parameter: a,b,c or START:STOP:COUNT (exact rationals: 0.2:1:9, 1/3); "
                            "names for choices; repeatable, the first two varying ones are the plot axes")
        s.add_argument("-o", "--output", required=True, metavar="DIR", help="result directory (resumed if present; '-' is refused: not a directory)")
        s.add_argument("--workers", type=int, default=None,
                       help="LocalCluster worker processes, one thread each (default 2); 0 runs serially")
        s.add_argument("--scheduler", metavar="ADDRESS", help="use a running Dask scheduler, e.g. tcp://host:8786")
        s.add_argument("--plot", metavar="PNG", help="write a heatmap (2 varying parameters) or line figure (1)")
        s.add_argument("--value", metavar="COLUMN", help=f"column to plot (default {study.value})")
        s.add_argument("--max-cells", type=int, metavar="K", help="compute at most K missing cells, then stop")
        s.add_argument("--retry-failed", action="store_true", help="recompute cells recorded as failed")
        s.add_argument("--json", action="store_true", help="print a JSON summary instead of the text one")
        s.add_argument("--quiet", action="store_true", help="no progress output")
        s.set_defaults(func=_run)


def _run(args) -> int:
    from .grid import parse_grid
    from .plot import check_plot_value, plot_sweep
    from .runner import run_sweep
    from .studies import get_study

    study = get_study(args.study)
    grid = parse_grid(study.params, args.grid)
    if args.plot:
        check_plot_value(study, grid, args.value)  # before any work
        if not args.plot.lower().endswith(".png"):
            raise ValueError(f"--plot must name a .png file, got {args.plot!r}")
    if args.scheduler is not None and args.workers is not None:
        raise ValueError("--workers and --scheduler exclude each other (the scheduler's workers are used)")
    result = run_sweep(study, grid, args.output, workers=args.workers, scheduler=args.scheduler,
                       max_cells=args.max_cells, retry_failed=args.retry_failed, progress=not args.quiet)
    if args.plot:
        import matplotlib.pyplot as plt

        plt.close(plot_sweep(result, args.plot, value=args.value))
    summary = {"study": study.name, "cells": grid.size, "rows": len(result.rows), "computed": len(result.computed),
               "reused": len(result.reused), "failed": len(result.failed), "lost": len(result.lost),
               "pending": result.pending, "table": str(result.output / "table.csv"),
               "levels": sorted({r["level"] for r in result.rows}), "plot": args.plot,
               "dashboard": result.dashboard}
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{study.name}: {summary['rows']}/{grid.size} cells in {summary['table']} "
              f"(computed {summary['computed']}, reused {summary['reused']}, failed {summary['failed']}, "
              f"lost {summary['lost']}, not attempted {summary['pending']}); levels: {', '.join(summary['levels'])}")
        for r in result.failed[:5]:
            params = ", ".join(f"{n}={r[n]}" for n in grid.varying)
            print(f"  failed: {params}: {r['message']}", file=sys.stderr)
        for cid, msg in list(result.lost.items())[:5]:
            print(f"  lost: cell {cid}: {msg}", file=sys.stderr)
    return 1 if result.lost else 0
