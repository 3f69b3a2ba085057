"""``symdyn cluster DATA.csv``: Quickshift++ on a CSV file."""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np


def _k_value(text: str):
    if text == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"k must be 'auto' or an integer, got {text!r}") from None


def register(subparsers) -> None:
    """Add the ``cluster`` sub-command."""
    p = subparsers.add_parser(
        "cluster",
        help="cluster the rows of a numeric CSV file with Quickshift++",
        description=(
            "Cluster the rows of a numeric CSV file with Quickshift++. A first row with a "
            "non-numeric cell is taken as the header (see --header). Malformed files are "
            "reported with their line number (exit code 2)."
        ),
    )
    p.add_argument("data", metavar="DATA.csv", help="numeric CSV, one sample per row")
    p.add_argument("--k", type=_k_value, default="auto",
                   help="neighbours, the sample itself included, or 'auto' (round(sqrt(n)), the default)")
    p.add_argument("--beta", type=float, default=0.5, help="density fluctuation in [0, 1) (default 0.5)")
    p.add_argument("--epsilon", type=float, default=0.0, help="pruning parameter >= 0 (default 0)")
    p.add_argument("--knn", choices=("exact", "nndescent"), default="exact",
                   help="k-NN back end (nndescent: approximate, needs pip install 'symdyn[ann]')")
    p.add_argument("--header", choices=("auto", "yes", "no"), default="auto",
                   help="is the first row a header? (default: auto-detect)")
    p.add_argument("--delimiter", default=",", help="cell separator (default ',')")
    p.add_argument("-o", "--output", metavar="LABELS.csv",
                   help="write 'index,label,core' rows (written atomically; '-': to stdout, and the summary "
                        "then goes to stderr)")
    p.add_argument("--plot", metavar="OUT.png", help="scatter plot of the first two columns by cluster "
                                                     "(a file; '-' is refused)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    """Execute ``symdyn cluster`` (returns the exit code)."""
    from .._io import is_stdout, refuse_binary_stdout, write_output
    from ._csv import read_numeric_csv
    from ._quickshiftpp import QuickshiftPP

    if is_stdout(args.plot):
        refuse_binary_stdout(args.plot, "--plot")
    for flag, path in (("-o/--output", args.output), ("--plot", args.plot)):
        if path is not None and not is_stdout(path) and os.path.isdir(path):
            raise ValueError(f"{flag}: {path} is a directory; give a file name")
    X, names = read_numeric_csv(args.data, header=args.header, delimiter=args.delimiter)
    t = time.perf_counter()
    try:
        est = QuickshiftPP(k=args.k, beta=args.beta, epsilon=args.epsilon, knn=args.knn).fit(X)
    except ImportError as exc:  # the optional back end is not installed
        raise ValueError(str(exc)) from None
    seconds = time.perf_counter() - t
    sizes = np.bincount(est.labels_, minlength=est.n_clusters_)
    summary = {
        "file": str(args.data), "n_samples": int(X.shape[0]), "n_features": int(X.shape[1]),
        "k": est.k_, "knn": args.knn, "beta": args.beta, "epsilon": args.epsilon, "n_clusters": est.n_clusters_,
        "cluster_sizes": sizes.tolist(), "core_samples": int(est.core_sample_mask_.sum()),
        "seconds": round(seconds, 4),
    }
    if args.output:
        rows = ["index,label,core"] + [
            f"{i},{lab},{int(c)}" for i, (lab, c) in enumerate(zip(est.labels_.tolist(), est.core_sample_mask_.tolist()))
        ]
        write_output(args.output, "\n".join(rows) + "\n")
        summary["output"] = "<stdout>" if is_stdout(args.output) else str(args.output)
    if args.plot:
        _plot(X, names, est, args.plot, summary)
        summary["plot"] = str(args.plot)
    report = sys.stderr if is_stdout(args.output) else sys.stdout  # stdout carries the labels with -o -
    if args.json:
        print(json.dumps(summary, indent=2), file=report)
    else:
        print(f"{summary['n_samples']} samples, {summary['n_features']} features: "
              f"{est.n_clusters_} clusters (sizes {summary['cluster_sizes']}), "
              f"{summary['core_samples']} core samples, k={est.k_}, beta={args.beta}, {seconds:.3f} s", file=report)
    return 0


def cluster_figure(X, names, est, summary):
    """Scatter plot of the first two columns by cluster, with legend and parameter caption.

    Returns the matplotlib Figure (cores outlined, one legend entry per cluster up
    to 12, a caption with n, k, beta, epsilon and the back end).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 5.4))
    if X.shape[1] >= 2:
        xs, ys, xl, yl = X[:, 0], X[:, 1], names[0], names[1]
    else:
        xs, ys, xl, yl = np.arange(X.shape[0]), X[:, 0], "index", names[0]
    cmap = plt.get_cmap("tab10" if est.n_clusters_ <= 10 else "tab20")
    core = est.core_sample_mask_
    shown = 12
    for c in range(est.n_clusters_):
        sel = est.labels_ == c
        colour = cmap(c % cmap.N)
        label = f"cluster {c} ({int(sel.sum())} samples)" if c < shown else None
        ax.scatter(xs[sel], ys[sel], color=colour, s=6, alpha=0.5, label=label)
        ax.scatter(xs[sel & core], ys[sel & core], color=colour, s=10, edgecolors="k", linewidths=0.3)
    ax.scatter([], [], color="none", edgecolors="k", linewidths=0.6, s=14, label="core samples (outlined)")
    if est.n_clusters_ > shown:
        ax.scatter([], [], color="none", label=f"... {est.n_clusters_ - shown} more clusters")
    ax.legend(loc="best", fontsize=7, framealpha=0.8)
    ax.set_xlabel(xl)
    ax.set_ylabel(yl)
    ax.set_title(f"Quickshift++: {est.n_clusters_} clusters (cores outlined)")
    caption = (f"n = {summary['n_samples']}, d = {summary['n_features']}, k = {est.k_}, beta = {summary['beta']}, "
               f"epsilon = {summary['epsilon']}, k-NN: {est.knn}; file {os.path.basename(str(summary['file']))}")
    fig.text(0.5, 0.01, caption, ha="center", va="bottom", fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def _plot(X, names, est, path, summary) -> None:
    import matplotlib.pyplot as plt

    from .._io import savefig_atomic

    fig = cluster_figure(X, names, est, summary)
    try:
        savefig_atomic(fig, path, dpi=110)
    finally:
        plt.close(fig)
