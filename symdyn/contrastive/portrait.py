"""The (R1, R2) phase portrait of the two-feature, one-neuron moment ODEs.

Everything drawn in the plane is computed on the slice it is drawn on,
``Q = Q0``: the basin map (which feature a start ``(R1, R2, Q0)`` selects,
from the vectorised compiled field) and the separatrix (the boundary angle
between the two basins found by bisection on circles of that slice).  Fixed
points live at other values of ``Q``; they are drawn projected, as the caption
says.  Level of every figure: numerical (RK4 of the compiled field).
"""

from __future__ import annotations

import numpy as np

from .._io import savefig_atomic
from .._progress import Progress
from . import fixedpoints as fpm

__all__ = ["phase_portrait", "basin_map", "slice_separatrix"]

# Okabe-Ito colour-blind-safe palette
_BASIN_1 = "#56B4E9"   # sky blue
_BASIN_2 = "#E69F00"   # orange
_UNDECIDED = "#DDDDDD"
_NOT_STATE = "#FFFFFF"
_SINK = "#009E73"      # bluish green
_SADDLE = "#D55E00"    # vermillion
_OTHER = "#CC79A7"     # reddish purple
_CIRCLE = "#0072B2"    # blue

_CHUNK = 4.0  # time between commitment tests


def _committed(Y, sinks, tol=0.1, off=0.02):
    """Columns within ``tol`` (max norm) of a sink with the other feature's overlap below ``off``."""
    near = np.zeros(Y.shape[1], dtype=bool)
    for s in sinks:
        near |= np.max(np.abs(Y - s.values[:, None]), axis=0) < tol
    return near & (np.min(np.abs(Y[:2]), axis=0) < off)


def _features(Y, sinks, tol=0.1):
    """Selected feature (0 or 1) of the sink nearest to each column, -1 if none is within ``tol``."""
    d = np.stack([np.max(np.abs(Y - s.values[:, None]), axis=0) for s in sinks])
    nearest = np.argmin(d, axis=0)
    feat = np.array([int(np.argmax(np.abs(s.values[:2]))) for s in sinks])[nearest]
    return np.where(np.min(d, axis=0) < tol, feat, -1)


def _end_features(fld, Y, sinks, *, t_max, dt, desc, progress):
    """Integrate all columns of ``Y`` (vectorised RK4) until each commits to a sink or ``t_max``."""
    Y = np.array(Y, dtype=float)
    active = np.ones(Y.shape[1], dtype=bool)
    n_chunks = int(np.ceil(t_max / _CHUNK))
    with Progress(n_chunks, desc, enabled=progress, unit="chunk", every=0.25) as bar:
        for i in range(n_chunks):
            if not active.any():  # every start committed: the rest is done
                bar.update(n_chunks - i)
                break
            Y[:, active] = fld.integrate(Y[:, active], _CHUNK, dt=dt)
            active &= ~_committed(Y, sinks)
            bar.update()
    return _features(Y, sinks)


def _sign_symmetric(fld, Q0, extent, rng=np.random.default_rng(0)):
    """Whether the field is odd in R1 and in R2 separately (symmetric laws, odd activation), sampled."""
    r = rng.uniform(0.05, 0.6 * min(extent, np.sqrt(Q0)), size=(2, 12))
    Y = np.vstack([r, np.full(12, Q0)])
    F = fld.f(Y)
    for k in (0, 1):
        Ym = Y.copy()
        Ym[k] *= -1
        Fm = fld.f(Ym)
        expect = F.copy()
        expect[k] *= -1
        if not np.allclose(Fm, expect, rtol=1e-9, atol=1e-12):
            return False
    return True


def basin_map(model, *, system=None, fld=None, sinks=None, Q0: float = 1.0, extent: float = 1.0,
              n_grid: int = 80, t_max: float = 200.0, dt: float = 0.2, progress=None):
    """Which feature each start ``(R1, R2, Q0)`` of an ``n_grid x n_grid`` grid selects.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, ``d = 2``, ``d2 = 1``.
    system, fld, sinks : optional precomputed moment ODEs, compiled field, sinks.
    Q0 : float
        The slice ``Q = Q0`` (starts with ``|R|^2 >= Q0`` are not states).
    extent : float
        The grid covers ``[-extent, extent]^2`` (cell centres).
    n_grid : int
        Cells per axis, 4 to 400.
    t_max, dt : float
        Longest integration and RK4 step.
    progress : bool or None
        ``False`` silences the stderr progress (tqdm on a terminal, plain lines otherwise).

    Returns
    -------
    dict
        ``x`` (cell centres, both axes), ``feature`` (``n_grid x n_grid``, row = R2:
        0 or 1 for the selected feature, -1 undecided at ``t_max``, -2 not a state),
        ``mirrored`` (only the first quadrant was integrated: the field was found odd
        in R1 and in R2 on sample points), ``t_max``, ``dt``, ``Q0``.  Level: numerical.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel
    >>> from symdyn.hidden import Rademacher, SparseTernary
    >>> m = ContrastiveModel(d=2, activation=sympy.erf, laws=(Rademacher(sympy.sqrt(2)), SparseTernary(2, 0.5)))
    >>> b = basin_map(m, n_grid=8, progress=False)   # doctest: +SKIP
    >>> sorted(set(b["feature"].ravel()))            # doctest: +SKIP
    [-2, 0, 1]
    """
    if isinstance(n_grid, bool) or not isinstance(n_grid, (int, np.integer)) or not 4 <= n_grid <= 400:
        raise ValueError(f"n_grid must be an integer in [4, 400], got {n_grid!r}")
    if not (np.isfinite(Q0) and Q0 > 0):
        raise ValueError(f"Q0 must be > 0, got {Q0}")
    if not (np.isfinite(extent) and extent > 0):
        raise ValueError(f"extent must be > 0, got {extent}")
    if not (np.isfinite(t_max) and t_max > 0 and np.isfinite(dt) and 0 < dt <= t_max):
        raise ValueError(f"need 0 < dt <= t_max, got dt={dt}, t_max={t_max}")
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.fast_field(system) if fld is None else fld
    if sinks is None:
        sinks = [s for s in fpm.selected_states(model, system, fld=fld) if s.kind == "sink"]
    xs = -extent + (np.arange(n_grid) + 0.5) * (2 * extent / n_grid)
    mirrored = n_grid % 2 == 0 and _sign_symmetric(fld, Q0, extent)
    q = xs[n_grid // 2:] if mirrored else xs
    X, Y = np.meshgrid(q, q)
    state = X**2 + Y**2 < Q0
    starts = np.vstack([X[state], Y[state], np.full(int(state.sum()), Q0)])
    feat = np.full(X.shape, -2, dtype=int)
    feat[state] = _end_features(fld, starts, sinks, t_max=t_max, dt=dt, progress=progress,
                                desc=f"portrait: basin map ({starts.shape[1]} starts)")
    if mirrored:  # the first quadrant, reflected: R1 -> -R1 and R2 -> -R2 keep the selected feature
        top = np.hstack([feat[:, ::-1], feat])
        feat = np.vstack([top[::-1], top])
    return {"x": xs, "feature": feat, "mirrored": bool(mirrored), "t_max": t_max, "dt": dt, "Q0": Q0}


def slice_separatrix(model, *, system=None, fld=None, sinks=None, Q0: float = 1.0, radii=None,
                     rounds: int = 4, per_round: int = 6, t_max: float = 200.0, dt: float = 0.2, progress=None):
    """The basin boundary in the first quadrant of the slice ``Q = Q0``, as an angle per radius.

    For every radius ``r`` the angle ``theta`` in ``(0, pi/2)`` where the start
    ``(r cos theta, r sin theta, Q0)`` switches from selecting feature 1 to
    feature 2 is bracketed by ``rounds`` rounds of ``per_round`` angles (all
    radii integrated together, vectorised).  Radii whose ends do not select
    feature 1 at ``theta = 0`` and feature 2 at ``theta = pi/2`` give NaN.

    Returns
    -------
    dict
        ``r``, ``theta`` (bracket midpoints), ``width`` (bracket widths).  Level: numerical.
    """
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.fast_field(system) if fld is None else fld
    if sinks is None:
        sinks = [s for s in fpm.selected_states(model, system, fld=fld) if s.kind == "sink"]
    r = np.geomspace(0.01, 0.97 * np.sqrt(Q0), 32) if radii is None else np.asarray(radii, dtype=float)
    if r.ndim != 1 or r.size == 0 or np.any(~np.isfinite(r)) or np.any(r <= 0) or np.any(r**2 >= Q0):
        raise ValueError(f"radii must be positive with r^2 < Q0 = {Q0}")
    lo = np.full(r.size, 1e-3)
    hi = np.full(r.size, np.pi / 2 - 1e-3)

    def ends(theta):
        rr = np.broadcast_to(r[:, None], theta.shape).ravel()
        th = theta.ravel()
        Y = np.vstack([rr * np.cos(th), rr * np.sin(th), np.full(th.size, Q0)])
        return _end_features(fld, Y, sinks, t_max=t_max, dt=dt, progress=progress,
                             desc=f"portrait: separatrix round {k}/{rounds} ({th.size} starts)").reshape(theta.shape)

    k = 0
    e = ends(np.stack([lo, hi], axis=1))
    ok = (e[:, 0] == 0) & (e[:, 1] == 1)
    for k in range(1, rounds + 1):
        frac = np.linspace(0, 1, per_round + 2)
        th = lo[:, None] + frac[None, :] * (hi - lo)[:, None]
        f = ends(th[:, 1:-1])
        allv = np.hstack([np.zeros((r.size, 1), int), f, np.ones((r.size, 1), int)])
        j = np.argmax(allv == 1, axis=1)  # first angle selecting feature 2
        lo, hi = th[np.arange(r.size), j - 1], th[np.arange(r.size), j]
    theta = np.where(ok, 0.5 * (lo + hi), np.nan)
    return {"r": r, "theta": theta, "width": np.where(ok, hi - lo, np.nan)}


def _describe(model, Q0) -> str:
    import sympy

    x = sympy.Symbol("x")
    act = str(model.sigma(x)).replace("(x)", "")
    laws = "; ".join(f"<c^2>={float(law.second_moment):g}, kurtosis {float(law.kurtosis):g}" for law in model.laws)
    return (f"activation {act}, {model.augmentation} augmentation, tau={model.tau}, beta={model.beta}, "
            f"Delta={model.Delta}, rho={model.rho}, lam={model.lam}; laws: {laws}")


def _marker(role, kind):
    if role:
        return "s", _OTHER
    return {"sink": ("o", _SINK), "saddle": ("X", _SADDLE), "source": ("^", _OTHER)}.get(kind, ("D", "k"))


def _draw(ax, fld, bm, ss, sep, fps, *, r0, Q0, extent, arrows):
    """Basin map, separatrix, circles and fixed points on one axes."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Circle

    cmap = ListedColormap([_NOT_STATE, _UNDECIDED, _BASIN_1, _BASIN_2])
    ax.imshow(bm["feature"] + 2, origin="lower", extent=(-extent, extent, -extent, extent), cmap=cmap,
              vmin=-0.5, vmax=3.5, interpolation="nearest", alpha=0.85)
    ax.add_patch(Circle((0, 0), np.sqrt(Q0), fill=False, ec="0.5", lw=0.8))
    if arrows:  # R1, R2 components of the field on the slice
        xq = np.linspace(-extent, extent, 15)
        XQ, YQ = np.meshgrid(xq, xq)
        inside = XQ**2 + YQ**2 < 0.95 * Q0
        F = fld.f(np.vstack([XQ[inside], YQ[inside], np.full(int(inside.sum()), Q0)]))
        ax.quiver(XQ[inside], YQ[inside], F[0], F[1], color="0.35", angles="xy", width=0.0025, zorder=2)
    good = np.isfinite(ss["theta"])
    if good.any():  # the separatrix on the slice, reflected into the four quadrants
        rr = np.concatenate([[0.0], ss["r"][good]])
        th = np.concatenate([[ss["theta"][good][0]], ss["theta"][good]])
        for sx in (1, -1):
            for sy in (1, -1):
                ax.plot(sx * rr * np.cos(th), sy * rr * np.sin(th), "k-", lw=1.8, zorder=3)
    ax.add_patch(Circle((0, 0), r0, fill=False, ec=_CIRCLE, lw=1.6, ls="--", zorder=4))
    i0 = int(np.argmin(np.abs(ss["r"] - r0)))
    if np.isfinite(ss["theta"][i0]):  # where the separatrix crosses the initial circle
        for sx in (1, -1):
            for sy in (1, -1):
                ax.plot(sx * r0 * np.cos(ss["theta"][i0]), sy * r0 * np.sin(ss["theta"][i0]), "o", color=_CIRCLE,
                        ms=4, zorder=5)
    if sep is not None:  # the orbit from the circle's boundary point towards the saddle (basin_probabilities)
        pts = sep.plane_points
        i = int(np.argmin(np.max(np.abs(pts - sep.saddle.values[None, :]), axis=1)))
        ax.plot(pts[: i + 1, 0], pts[: i + 1, 1], ":", color="k", lw=1.2, zorder=3)
    for role, p in [("uninformative", fps["uninformative"])] + [("", p) for p in fps["selected"] + fps["mixed"]]:
        mk, col = _marker(role, p.kind)
        ax.plot(p.values[0], p.values[1], mk, color=col, ms=10, mec="k", zorder=6)
    ax.set_xlabel("$R_1$")
    ax.set_ylabel("$R_2$")
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")


def phase_portrait(model, path=None, *, system=None, r0=0.05, Q0=1.0, n_grid=80, extent=1.0, ax=None, basins=None,
                   t_max=200.0, n_radii=32, rounds=4, progress=None):
    """Draw basins, separatrix, the initial circle and fixed points in the (R1, R2) plane; return the figure.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, ``d = 2``, ``d2 = 1``.
    path : str or Path, optional
        Also write a PNG (atomically).
    system : ODESystem, optional
        Precomputed moment ODEs.
    r0 : float
        Radius of the initial circle ``|R0| = r0`` whose basin split is the title.
    Q0 : float
        The slice ``Q = Q0`` everything is computed and drawn on.
    n_grid : int
        Basin-map cells per axis (default 80).
    extent : float
        The plot shows ``[-extent, extent]^2``.
    ax : matplotlib Axes, optional
    basins : dict, optional
        Output of :func:`symdyn.contrastive.basin_probabilities`: its fixed points are
        reused and its boundary orbit towards the saddle is drawn (projected).
    t_max : float
        Longest integration of a start before it is called undecided.
    n_radii, rounds : int
        The separatrix: circles of the slice (plus ``|R| = r0``) and bisection rounds
        (6 angles each) per circle.
    progress : bool or None
        ``False`` silences the stderr progress.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with a legend (basins, undecided, not a state, separatrix, the
        ``|R0|`` circle, fixed points by kind) and a parameter caption (``fig.texts``).
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if model.d != 2 or model.d2 != 1:
        raise ValueError("the phase portrait needs two features and one neuron (d = 2, d2 = 1)")
    if not (np.isfinite(r0) and 0 < r0 and r0**2 < Q0):
        raise ValueError(f"r0 must satisfy 0 < r0 and r0^2 < Q0 = {Q0}, got {r0}")
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.fast_field(system)
    fps = basins["fixed_points"] if basins is not None else fpm.all_fixed_points(model, system)
    sinks = [s for s in fps["selected"] if s.kind == "sink"]
    if not sinks:
        raise ValueError("no stable selected state: nothing to draw basins of")
    bm = basin_map(model, system=system, fld=fld, sinks=sinks, Q0=Q0, extent=extent, n_grid=n_grid, t_max=t_max,
                   progress=progress)
    radii = np.union1d(np.geomspace(min(0.01, r0 / 3), 0.97 * min(np.sqrt(Q0), extent * np.sqrt(2)), n_radii), [r0])
    ss = slice_separatrix(model, system=system, fld=fld, sinks=sinks, Q0=Q0, radii=radii, rounds=rounds,
                          t_max=t_max, progress=progress)
    if ax is None:
        fig = plt.figure(figsize=(10.5, 7.4))
        ax = fig.add_axes((0.06, 0.2, 0.56, 0.74))
        zoom_ax = fig.add_axes((0.67, 0.2, 0.29, 0.3))
    else:
        fig, zoom_ax = ax.figure, None
    i0 = int(np.argmin(np.abs(ss["r"] - r0)))
    theta0, width0 = ss["theta"][i0], ss["width"][i0]
    if np.isfinite(theta0):
        title = (f"P(select feature 1 | $|R_0| = {r0:g}$, $Q_0 = {Q0:g}$) = {theta0 / (np.pi / 2):.3f}"
                 f" $\\pm$ {width0 / np.pi:.1g}")
    else:
        title = f"no basin boundary found on the circle $|R_0| = {r0:g}$"
    sep = basins.get("separatrix") if basins is not None else None
    _draw(ax, fld, bm, ss, sep, fps, r0=r0, Q0=Q0, extent=extent, arrows=True)
    ax.set_title(title, fontsize=10)
    if zoom_ax is not None:
        z = 2.5 * r0
        zm = basin_map(model, system=system, fld=fld, sinks=sinks, Q0=Q0, extent=z, n_grid=40, t_max=t_max,
                       progress=progress)
        _draw(zoom_ax, fld, zm, ss, sep, fps, r0=r0, Q0=Q0, extent=z, arrows=False)
        zoom_ax.set_title(f"zoom: the initial circle (40x40 grid, $|R_i| \\leq {z:g}$)", fontsize=8)
        zoom_ax.tick_params(labelsize=7)
    kinds = {("uninformative", fps["uninformative"].kind)} | {("", p.kind) for p in fps["selected"] + fps["mixed"]}
    handles = [Patch(fc=_BASIN_1, ec="k", lw=0.5, label="basin: selects feature 1"),
               Patch(fc=_BASIN_2, ec="k", lw=0.5, label="basin: selects feature 2"),
               Patch(fc=_UNDECIDED, ec="k", lw=0.5, label=f"undecided at t = {t_max:g}"),
               Patch(fc=_NOT_STATE, ec="k", lw=0.5, label="not a state ($|R|^2 \\geq Q_0$)"),
               Line2D([], [], color="k", lw=1.8, label="separatrix (on the slice)"),
               Line2D([], [], color=_CIRCLE, lw=1.6, ls="--", label=f"initial circle $|R_0| = {r0:g}$")]
    if sep is not None:
        handles.append(Line2D([], [], color="k", lw=1.2, ls=":", label="boundary orbit to the saddle (projected)"))
    for role, kind in sorted(kinds):
        mk, col = _marker(role, kind)
        label = (f"uninformative state R = 0 ({kind})" if role else f"{kind} (projected)")
        handles.append(Line2D([], [], ls="", marker=mk, color=col, mec="k", ms=8, label=label))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.03, 1.0), fontsize=8, framealpha=0.95)
    caption = (_describe(model, Q0) + "\n"
               + f"Basins: {bm['feature'].shape[0]}x{bm['feature'].shape[1]} grid on the slice Q = Q0 = {Q0:g}, "
                 f"vectorised RK4 (dt = {bm['dt']:g}) of the compiled field up to t = {t_max:g}"
               + ("; first quadrant integrated and mirrored (field odd in R1 and R2)" if bm["mirrored"] else "")
               + f".\nSeparatrix: basin-boundary angle by bisection ({rounds} rounds) on {ss['r'].size} circles of the same "
                 "slice;\ntitle: its angle on the initial circle / (pi/2), +- half the bracket. Fixed points are projections (their Q "
                 "differs from Q0). Level: numerical.")
    fig.text(0.02, 0.01, caption, fontsize=7.5, ha="left", va="bottom")
    fig.symdyn_data = {"basin_map": bm, "separatrix": ss}
    if path is not None:
        savefig_atomic(fig, path, dpi=120, bbox_inches="tight")
    return fig
