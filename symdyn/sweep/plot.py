"""Figures of a sweep: a heatmap over two varying parameters, lines over one.

Failed cells are drawn (hatched in a heatmap, crosses on a line) and named in
the legend; the caption lists the fixed parameters, the verdict levels and
the number of failed cells.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np

from .._io import savefig_atomic

__all__ = ["plot_sweep", "check_plot_value"]


def check_plot_value(study, grid, value):
    """The column to plot (``value`` or the study's default); ValueError when it cannot be drawn."""
    value = study.value if value is None else value
    kinds = dict(study.results)
    if value not in kinds or kinds[value] not in ("float", "int", "bool"):
        numeric = [c for c, k in study.results if k in ("float", "int", "bool")]
        raise ValueError(f"cannot plot {value!r}; numeric result columns of {study.name}: {', '.join(numeric)}")
    if len(grid.varying) not in (1, 2):
        raise ValueError(f"a plot needs 1 or 2 parameters with several values, the grid has {len(grid.varying)}"
                         + (f" ({', '.join(grid.varying)})" if grid.varying else ""))
    return value


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _caption(result, value) -> str:
    grid, study = result.grid, result.study
    fixed = [(p.name, result.rows[0][p.name]) for p in study.params if p.name not in grid.varying] if result.rows else []
    levels = sorted({r["level"] for r in result.rows})
    n_fail = len(result.failed)
    text = (f"{study.name}: {value};  fixed: " + ", ".join(f"{k}={_fmt(v)}" for k, v in fixed)
            + f";  level: {'/'.join(levels) or '-'};  cells: {len(result.rows)}/{grid.size}, failed: {n_fail}")
    return "\n".join(textwrap.wrap(text, 110))


def _number(v):
    if v is None:
        return math.nan
    return float(v)


def plot_sweep(result, path, *, value: str | None = None):
    """Draw ``result`` (a :class:`~symdyn.sweep.runner.SweepResult`) to ``path`` (atomically).

    Returns the Matplotlib figure.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    study, grid = result.study, result.grid
    value = check_plot_value(study, grid, value)
    by_key = {tuple(r[n] for n in grid.varying): r for r in result.rows}
    fig, ax = plt.subplots(figsize=(7.5, 5.4))
    if len(grid.varying) == 2:
        xn, yn = grid.varying
        xs, ys = grid.values(xn), grid.values(yn)
        Z = np.full((len(ys), len(xs)), np.nan)
        failed = np.zeros_like(Z, dtype=bool)
        missing = np.zeros_like(Z, dtype=bool)
        for j, y in enumerate(ys):
            for i, x in enumerate(xs):
                r = by_key.get((x, y))
                if r is None:
                    missing[j, i] = True
                    continue
                Z[j, i] = _number(r[value]) if r["status"] == "ok" else np.nan
                failed[j, i] = r["status"] != "ok"
        im = ax.imshow(np.ma.masked_invalid(Z), origin="lower", aspect="auto", cmap="viridis",
                       extent=(-0.5, len(xs) - 0.5, -0.5, len(ys) - 0.5))
        cb = fig.colorbar(im, ax=ax)
        cb.set_label(value)
        handles = []
        for mask, label, hatch in ((failed, "failed cell", "xx"), (missing, "not computed", "..")):
            for j, i in zip(*np.nonzero(mask)):
                ax.add_patch(plt.Rectangle((i - 0.5, j - 0.5), 1, 1, facecolor="0.85", edgecolor="0.4",
                                           hatch=hatch, lw=0.5))
            if mask.any():
                handles.append(Patch(facecolor="0.85", edgecolor="0.4", hatch=hatch, label=label))
        if np.isfinite(Z).any():
            j, i = np.unravel_index(np.nanargmax(Z), Z.shape)
            handles.append(ax.plot(i, j, marker="*", ms=14, color="red", ls="none",
                                   label=f"max {value} = {Z[j, i]:.4g} at {xn}={_fmt(xs[i])}, "
                                         f"{yn}={_fmt(ys[j])}")[0])
        step_x = max(1, len(xs) // 12)
        step_y = max(1, len(ys) // 12)
        ax.set_xticks(range(0, len(xs), step_x), [_fmt(v) for v in xs[::step_x]])
        ax.set_yticks(range(0, len(ys), step_y), [_fmt(v) for v in ys[::step_y]])
        ax.set_xlabel(xn)
        ax.set_ylabel(yn)
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.13), fontsize=8, frameon=False)
    else:
        (xn,) = grid.varying
        xs = grid.values(xn)
        numeric_x = study.param(xn).kind != "choice"
        pos = np.array(xs, float) if numeric_x else np.arange(len(xs), dtype=float)
        y = np.array([_number(by_key[(x,)][value]) if (x,) in by_key and by_key[(x,)]["status"] == "ok"
                      else np.nan for x in xs])
        ax.plot(pos, y, "o-", label=value)
        if {"ci_low", "ci_high"} <= set(dict(study.results)) and value == "p1_ode_mc":
            lo = np.array([_number(by_key[(x,)]["ci_low"]) if (x,) in by_key else np.nan for x in xs])
            hi = np.array([_number(by_key[(x,)]["ci_high"]) if (x,) in by_key else np.nan for x in xs])
            ax.fill_between(pos, lo, hi, alpha=0.25, label="95% Wilson interval")
        bad = [k for k, x in enumerate(xs) if (x,) in by_key and by_key[(x,)]["status"] != "ok"]
        if bad:
            base = np.nanmin(y) if np.isfinite(y).any() else 0.0
            ax.plot(pos[bad], np.full(len(bad), base), "x", color="red", ms=9, mew=2, label="failed cell")
        if not numeric_x:
            ax.set_xticks(pos, list(xs))
        ax.set_xlabel(xn)
        ax.set_ylabel(value)
        ax.grid(alpha=0.3)
        ax.legend()
    ax.set_title(f"{study.name}: {value}")
    fig.text(0.01, 0.01, _caption(result, value), fontsize=7.5, va="bottom", ha="left")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    savefig_atomic(fig, path, dpi=110)
    return fig
