"""The (R1, R2) phase portrait of the two-feature, one-neuron moment ODEs."""

from __future__ import annotations

import numpy as np

from .._io import savefig_atomic
from . import claims as cl
from . import fixedpoints as fpm

__all__ = ["phase_portrait"]


def phase_portrait(model, path=None, *, system=None, r0=0.05, Q0=1.0, n_grid=16, extent=1.0, ax=None, basins=None):
    """Draw fixed points, separatrix and shaded basins in the (R1, R2) plane; return the figure.

    Basins are shaded by integrating the ODE from a grid of starts
    ``(R1, R2, Q0)`` (``Q0`` raised to ``|R|^2 + 0.1`` where needed) and
    colouring by the selected feature.  ``path``: optional PNG output (atomic).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    if model.d != 2 or model.d2 != 1:
        raise ValueError("the phase portrait needs two features and one neuron (d = 2, d2 = 1)")
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.fast_field(system)
    fps = basins["fixed_points"] if basins is not None else fpm.all_fixed_points(model, system)
    sinks = [s for s in fps["selected"] if s.kind == "sink"]
    if not sinks:
        raise ValueError("no stable selected state: nothing to draw basins of")
    xs = np.linspace(-extent, extent, n_grid)
    X, Y = np.meshgrid(xs, xs)
    Qs = np.maximum(Q0, X**2 + Y**2 + 0.1)
    starts = np.vstack([X.ravel(), Y.ravel(), Qs.ravel()])
    end = fld.integrate(starts, 60.0, dt=0.2)
    feat = cl._select(end, sinks).reshape(X.shape).astype(float)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 6))
    else:
        fig = ax.figure
    ax.contourf(X, Y, feat, levels=[-1.5, -0.5, 0.5, 1.5], colors=["#dddddd", "#9ecae1", "#fdae6b"], alpha=0.7)
    # flow arrows in the plane Q = Q0 (projection)
    ax.quiver(X, Y, *fld.f(np.vstack([X.ravel(), Y.ravel(), Qs.ravel()]))[:2].reshape(2, *X.shape), color="0.4",
              angles="xy", scale=None, width=0.003)
    try:
        sep = basins["separatrix"] if basins is not None else cl.separatrix(
            model, system, r0=r0, Q0=Q0, fld=fld, saddles=fps["mixed"], sinks=sinks)
        # the boundary orbit (on the saddle's stable manifold) up to its closest approach to the saddle
        pts = sep.plane_points
        i = int(np.argmin(np.max(np.abs(pts - sep.saddle.values[None, :]), axis=1)))
        pts = pts[: i + 1]
        for sx in (1, -1):
            for sy in (1, -1):
                ax.plot(sx * pts[:, 0], sy * pts[:, 1], "k-", lw=1.5)
                ax.plot([0, sx * 0.15 * np.cos(sep.theta)], [0, sy * 0.15 * np.sin(sep.theta)], "k:", lw=1)
        for o in sep.trajectories:
            ax.plot(o[:, 0], o[:, 1], "k--", lw=0.8)
        ax.set_title(f"P(select feature 1) = {sep.theta / (np.pi / 2):.3f} (separatrix, |R0| = {r0})")
    except ValueError as exc:
        ax.set_title(f"separatrix unavailable: {exc}"[:80])
    style = {"sink": ("o", "tab:green"), "saddle": ("X", "tab:red"), "source": ("s", "tab:purple"),
             "non-hyperbolic": ("D", "k")}
    for p in [fps["uninformative"]] + fps["selected"] + fps["mixed"]:
        mk, col = style.get(p.kind, ("o", "k"))
        ax.plot(p.values[0], p.values[1], mk, color=col, ms=9, mec="k")
    ax.set_xlabel("$R_1$")
    ax.set_ylabel("$R_2$")
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    if path is not None:
        savefig_atomic(fig, path, dpi=120, bbox_inches="tight")
    return fig
