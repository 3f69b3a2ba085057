"""Computations behind the contrastive-learning claims (spec claims 1-3).

* :func:`learnability_structure` -- with a :class:`~symdyn.hidden.GeneralLaw`
  (moments as free symbols) the Jacobian of the moment expansion at the
  uninformative state is block diagonal and its R-block is
  ``tau (m2 G(Q) + S(Q) - beta)``; no moment beyond ``m2`` enters (exact).
* :func:`learnability_threshold` -- ``G(Q*)``, ``S(Q*)`` and the threshold
  ``<c^2>* = (beta - S) / G`` for numeric parameters.
* :func:`sgd_growth_rates` -- initial exponential growth rate of the ensemble
  mean of ``R`` in SGD (reduced engine), with bootstrap error bars.
* :func:`separatrix` / :func:`basin_probabilities` -- the stable manifold of
  the mixed saddle (backward integration from the saddle along its stable
  eigenspace) and the probability of selecting each feature three ways.
* :func:`steady_state_grid` -- ``m*`` over a grid of ``(tau, Delta, rho)``.

All ODEs come from :func:`symdyn.contrastive.fixedpoints.contrastive_system`
(that is, :func:`symdyn.contrastive.odes.moment_odes`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy

from . import fixedpoints as fpm
from .steadystate import gradient_variance_term, steady_state_grid, variance_term_values  # noqa: F401
from .thresholds import learnability_threshold, spec_G_S  # noqa: F401 (public names kept here)

__all__ = [
    "learnability_structure",
    "learnability_threshold",
    "sgd_growth_rates",
    "separatrix",
    "basin_probabilities",
    "steady_state_grid",
    "gradient_variance_term",
    "wilson_interval",
]


def wilson_interval(k: int, n: int, z: float = 1.959963984540054) -> tuple:
    """Wilson score interval for a binomial proportion ``k / n``."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


# ---------------------------------------------------------------------------
# claim 1: learnability
# ---------------------------------------------------------------------------

def _normalise_nodes(expr):
    """Canonical form with node arguments expanded (so equal Gaussians compare equal)."""
    from ._nodes import GaussExpectation, canonicalize

    expr = canonicalize(expr)
    rep = {n: n.func(*[sympy.expand(a) for a in n.args]) for n in expr.atoms(GaussExpectation)}
    return sympy.expand(expr.xreplace(rep))


def _moment_expansion(model, order):
    """``moment_expansion`` of the contrastive package; if it is not available, the
    same Taylor expansion in R (around 0) of the conditional right-hand sides of
    ``moment_odes``' derivation, averaged over the law's moment symbols."""
    try:
        from .expansion import moment_expansion
    except ImportError:
        try:
            from .odes import moment_expansion
        except ImportError:
            moment_expansion = None
    if moment_expansion is not None:
        return moment_expansion(model, order)
    from ..expectation import average_over_laws
    from .odes import c_symbols, conditional_rhs, system_from_rhs

    states = fpm._states_of(model)
    R_syms = states[: model.d * model.d2]
    cs = c_symbols(model.d)
    out = []
    for i, e in enumerate(conditional_rhs(model, "pde")):
        total = sympy.S.Zero
        terms = [(e, sympy.S.One)]
        # the Q equations are even in R: their odd orders vanish; keep them to order 2
        top = order if i < len(R_syms) else min(order, 2)
        for k in range(top + 1):
            new_terms = []
            for expr, mono in terms:
                total += average_over_laws(sympy.expand(expr.xreplace({r: 0 for r in R_syms})), cs, model.laws) * mono
                if k < top:
                    for r in R_syms:
                        new_terms.append((sympy.diff(expr, r) / (k + 1), mono * r))
            terms = new_terms
        out.append(total)
    return system_from_rhs(model, out)


def learnability_structure(activation=sympy.tanh, augmentation="additive", *, order: int = 3,
                           claimed=None) -> dict:
    """Exact structure of the Jacobian at the uninformative state (general law).

    Builds the model with symbolic ``tau, Delta, rho, beta`` and a
    :class:`~symdyn.hidden.GeneralLaw`, expands the drift to ``order`` in R
    (:func:`moment_expansion`), and checks exactly:

    * block diagonality at ``R = 0`` (``dR/dQ`` and ``dQ/dR`` entries vanish);
    * the R-block equals ``claimed`` (default ``tau (m2 G + S - beta)``);
    * the R-block is free of every moment symbol except ``m2``, while the
      expansion itself does contain ``m4`` (so the test has teeth).

    Parameters
    ----------
    activation : SymPy function
        Any twice-differentiable activation (the structure is symbolic).
    augmentation : {'additive', 'resample'}
    order : int
        Order of the expansion in R (1 decides the Jacobian; >= 3 also shows
        ``<c^4>`` entering the cubic terms).
    claimed : callable ``(model, Q) -> expr``, optional
        A different formula to test (the tests feed wrong ones: they must fail).

    Returns
    -------
    dict with ``block_diagonal``, ``eigenvalue_matches``,
    ``higher_moments_absent``, ``higher_moments_present_in_rhs`` (bools,
    decided exactly), the symbolic ``eigenvalue``, ``G``, ``S``, ``claimed``,
    ``difference`` and the ``system``.  Level: proved (exact symbolic).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import learnability_structure
    >>> st = learnability_structure(sympy.erf, order=1)
    >>> st["block_diagonal"], st["eigenvalue_matches"], st["higher_moments_absent"]
    (True, True, True)
    """
    from ..hidden import GeneralLaw
    from .model import PARAM_SYMBOLS, ContrastiveModel
    law = GeneralLaw(max_order=max(4, order + 1))
    model = ContrastiveModel(d=1, d2=1, activation=activation, augmentation=augmentation,
                             Delta=PARAM_SYMBOLS["Delta"], rho=PARAM_SYMBOLS["rho"],
                             tau=PARAM_SYMBOLS["tau"], beta=PARAM_SYMBOLS["beta"], laws=(law,))
    system = _moment_expansion(model, order)
    states = fpm._states(system)
    R, Q = states[0], states[1]
    J0 = fpm.jacobian_at_uninformative(system, model)
    off = [_normalise_nodes(J0[0, 1]), _normalise_nodes(J0[1, 0])]
    block_diagonal = all(o == 0 for o in off)
    m2 = law.moment(2)
    higher = {law.moment(k) for k in range(4, law.max_order + 1, 2)}
    lam = J0[0, 0]
    G, S = spec_G_S(model, Q)
    tau, beta = model.tau, model.beta
    target = tau * (m2 * G + S - beta) if claimed is None else claimed(model, Q)
    difference = _normalise_nodes(lam - target)
    lam_moments = sorted(str(s) for s in lam.free_symbols if s in higher or s == m2)
    rhs_moments = sorted(str(s) for s in sympy.Matrix(system.rhs).free_symbols if s in higher or s == m2)
    return {
        "system": system,
        "model": model,
        "jacobian_at_R0": J0,
        "eigenvalue": lam,
        "claimed": target,
        "G": G,
        "S": S,
        "block_diagonal": block_diagonal,
        "eigenvalue_matches": difference == 0,
        "difference": difference,
        "moments_in_eigenvalue": lam_moments,
        "moments_in_expansion": rhs_moments,
        "higher_moments_absent": not (lam.free_symbols & higher),
        "higher_moments_present_in_rhs": bool(sympy.Matrix(system.rhs).free_symbols & higher),
    }


def _fit_rate(t, y):
    """Least-squares slope of ``log y`` against ``t``."""
    A = np.vstack([t, np.ones_like(t)]).T
    coef, *_ = np.linalg.lstsq(A, np.log(y), rcond=None)
    return float(coef[0])


def sgd_growth_rates(models, q_star: float, *, N: int = 10_000, n_runs: int = 200, r0: float = 0.03,
                     t_fit: float = 3.0, n_times: int = 16, seed: int = 0, n_boot: int = 400) -> list:
    """Initial growth rate of the ensemble mean of ``R`` for each model (one feature).

    Runs start at ``R = r0, Q = q_star`` (the uninformative ``Q*``); the rate
    is the slope of ``log E[R](t)`` on ``[0, t_fit]``; its standard error is a
    bootstrap over runs.
    """
    from .sgd import simulate_sgd

    rng = np.random.default_rng(seed)
    times = np.linspace(0.0, t_fit, n_times)
    out = []
    for i, model in enumerate(models):
        res = simulate_sgd(model, N=N, t_max=t_fit, engine="reduced", n_runs=n_runs, times=times,
                           R0=[[r0]], Q0=[[q_star]], seed=seed + 1000 * i)
        R = res.R[:, :, 0, 0]
        mean = R.mean(axis=0)
        if np.any(mean <= 0):
            raise ValueError("the ensemble mean of R left the positive half line: increase N or r0")
        rate = _fit_rate(res.t, mean)
        boots = []
        for _ in range(n_boot):
            idx = rng.integers(0, R.shape[0], R.shape[0])
            mb = R[idx].mean(axis=0)
            if np.all(mb > 0):
                boots.append(_fit_rate(res.t, mb))
        se = float(np.std(boots, ddof=1))
        out.append({"rate": rate, "se": se, "t": res.t, "mean_R": mean, "N": N, "n_runs": n_runs})
    return out


def ode_growth_rate(system, model, q_star: float, *, r0: float = 0.03, t_fit: float = 3.0,
                    n_times: int = 16) -> float:
    """The same fit applied to the ODE trajectory from ``(r0, Q*)``."""
    fld = fpm.fast_field(system)
    y0 = np.zeros((fld.n, 1))
    y0[0, 0] = r0
    y0[model.d, 0] = q_star
    steps_per = 10
    dt = t_fit / ((n_times - 1) * steps_per)
    _, rec = fld.integrate(y0, t_fit, dt=dt, record=steps_per)
    R = np.concatenate([[r0], rec[:, 0, 0]])
    t = np.linspace(0, t_fit, n_times)
    return _fit_rate(t, R[: n_times])


# ---------------------------------------------------------------------------
# claim 2: attraction regions
# ---------------------------------------------------------------------------

@dataclass
class Separatrix:
    """Stable manifold of the first-quadrant mixed saddle.

    Attributes
    ----------
    saddle : FixedPointInfo
    trajectories : list of ndarray (m, 3)
        Backward orbits from the saddle (state order R1, R2, Q).
    plane_points : ndarray (k, 2)
        Where the orbits cross the initial plane ``Q = Q0``.
    theta : float
        Angle (first quadrant) at which the manifold meets the circle
        ``|R| = r0`` in that plane.
    """

    saddle: object
    trajectories: list
    plane_points: np.ndarray
    theta: float
    r0: float
    Q0: float


def _stable_pair(saddle):
    """``(v_slow, v_fast)``: unit stable eigenvectors of the saddle (slow = smaller |Re lambda|)."""
    w = saddle.eigenvalues
    v = saddle.eigenvectors
    stable = [k for k in range(len(w)) if np.real(w[k]) < 0]
    if len(stable) != 2 or any(abs(np.imag(w[k])) > 1e-12 for k in stable):
        raise ValueError("the mixed saddle must have a two-dimensional real stable eigenspace")
    stable.sort(key=lambda k: -np.real(w[k]))
    vs = [np.real(v[:, k]) / np.linalg.norm(np.real(v[:, k])) for k in stable]
    return vs[0], vs[1]


def _backward_orbits(fld, starts, *, Q0=1.0, r_stop=1e-9, t_max=60.0, dt=0.1):
    """Backward RK4 orbits from the columns of ``starts`` until they cross ``Q = Q0``.

    Returns the crossing points (NaN rows when the orbit leaves the physical
    region ``Q > |R|^2`` or the time runs out first) and the orbits.
    """
    Y = np.array(starts, dtype=float)
    k = Y.shape[1]
    cross = np.full((k, 3), np.nan)
    done = np.zeros(k, dtype=bool)
    side0 = np.sign(Y[2] - Q0)
    orbits = [[Y[:, j].copy()] for j in range(k)]
    h = -dt
    for _ in range(int(t_max / dt)):
        act = np.nonzero(~done)[0]
        if act.size == 0:
            break
        Ya = Y[:, act]
        k1 = fld.f(Ya)
        k2 = fld.f(Ya + 0.5 * h * k1)
        k3 = fld.f(Ya + 0.5 * h * k2)
        k4 = fld.f(Ya + h * k3)
        Yn = Ya + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        for a, j in enumerate(act):
            y_old, y_new = Ya[:, a], Yn[:, a]
            if not np.all(np.isfinite(y_new)) or y_new[2] - y_new[0] ** 2 - y_new[1] ** 2 <= 0:
                done[j] = True
                continue
            orbits[j].append(y_new.copy())
            if np.sign(y_new[2] - Q0) != side0[j]:
                s = (Q0 - y_old[2]) / (y_new[2] - y_old[2])
                cross[j] = y_old + s * (y_new - y_old)
                done[j] = True
            elif np.hypot(y_new[0], y_new[1]) < r_stop:
                done[j] = True
            Y[:, j] = y_new
    return cross, [np.array(o) for o in orbits]


def separatrix(model, system=None, *, r0: float = 0.05, Q0: float = 1.0, fld=None, saddles=None,
               sinks=None, rounds: int = 3, per_round: int = 6) -> Separatrix:
    """Where the stable manifold of the first-quadrant mixed saddle meets the circle ``|R| = r0, Q = Q0``.

    The basins of the two selected states are separated by the stable
    manifold of the mixed saddle.  On the initial circle it is located by
    nested bisection in the angle theta (``per_round`` angles per round,
    ``rounds`` rounds) between an orbit that selects feature 1 and one that
    selects feature 2; the orbit from the final bracket's midpoint must then
    pass close to the saddle (the distance is reported), which confirms that
    the boundary found is that stable manifold.  Backward orbits from the
    saddle along its stable eigenvectors are returned for drawing.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, ``d = 2``, ``d2 = 1``.
    system : ODESystem, optional
    r0, Q0 : float
        The initial circle ``|R| = r0`` in the plane ``Q = Q0``.
    fld, saddles, sinks : optional precomputed field / fixed points.
    rounds, per_round : int
        Bisection rounds and angles per round.

    Returns
    -------
    Separatrix
        ``theta`` (first-quadrant boundary angle), ``bracket``,
        ``saddle_distance``, the ``saddle`` and drawing ``trajectories``.
        Level: numerical.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, separatrix
    >>> from symdyn.hidden import Rademacher, SparseTernary
    >>> m = ContrastiveModel(d=2, activation=sympy.erf,
    ...                      laws=(Rademacher(sympy.sqrt(2)), SparseTernary(2, sympy.Rational(1, 2))))
    >>> sep = separatrix(m)                    # doctest: +SKIP
    >>> 0 < sep.theta < 3.1416 / 2             # doctest: +SKIP
    True
    """
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.fast_field(system) if fld is None else fld
    saddles = fpm.mixed_saddles(model, system, fld=fld) if saddles is None else saddles
    first = [s for s in saddles if s.values[0] > 0 and s.values[1] > 0 and s.unstable_dim == 1]
    if not first:
        raise ValueError("no mixed saddle with one unstable direction in the first quadrant")
    saddle = first[0]
    if sinks is None:
        sinks = [s for s in fpm.selected_states(model, system, fld=fld) if s.kind == "sink"]
    lo, hi = 1e-3, np.pi / 2 - 1e-3
    ends, _ = ode_end_points(fld, np.array([lo, hi]), sinks, r0=r0, Q0=Q0)
    if not (ends[0] == 0 and ends[1] == 1):
        raise ValueError(f"unexpected basin layout in the first quadrant (features {ends.tolist()})")
    for _ in range(rounds):
        th = np.linspace(lo, hi, per_round + 2)[1:-1]
        f, _ = ode_end_points(fld, th, sinks, r0=r0, Q0=Q0)
        allv = np.concatenate([[0], f, [1]])
        allt = np.concatenate([[lo], th, [hi]])
        j = int(np.argmax(allv == 1))  # first angle selecting feature 2
        lo, hi = allt[j - 1], allt[j]
    theta = 0.5 * (lo + hi)
    # the boundary orbit: it must visit the saddle's neighbourhood
    y0 = np.array([[r0 * np.cos(theta)], [r0 * np.sin(theta)], [Q0]])
    _, rec = fld.integrate(y0, 40.0, dt=0.05, record=2)
    dist = np.min(np.max(np.abs(rec[:, :, 0] - saddle.values[None, :]), axis=1))
    # backward orbits along the stable eigenvectors (for pictures)
    w, v = saddle.eigenvalues, saddle.eigenvectors
    orbits = []
    for k in range(len(w)):
        if np.real(w[k]) < 0:
            e = np.real(v[:, k]) / np.linalg.norm(np.real(v[:, k]))
            for sg in (1, -1):
                start = saddle.values[:, None] + 1e-3 * sg * e[:, None]
                _, o = _backward_orbits(fld, start, Q0=Q0, t_max=25.0)
                orbits += o
    sep = Separatrix(saddle, orbits, rec[:, :, 0], float(theta), r0, Q0)
    sep.bracket = (float(lo), float(hi))
    sep.saddle_distance = float(dist)
    return sep


def _select(end: np.ndarray, sinks: list) -> np.ndarray:
    """Feature index (0 or 1) of the sink nearest to each end point (-1 if none within 0.1)."""
    feats = []
    for j in range(end.shape[1]):
        dists = [np.max(np.abs(end[:, j] - s.values)) for s in sinks]
        i = int(np.argmin(dists))
        feats.append(int(np.argmax(np.abs(sinks[i].values[:2]))) if dists[i] < 0.1 else -1)
    return np.array(feats)


def ode_end_points(fld, thetas, sinks, *, r0=0.05, Q0=1.0, t_max=150.0, dt=0.2):
    """Selected feature for ODE trajectories from ``r0 (cos theta, sin theta), Q0``."""
    Y = np.vstack([r0 * np.cos(thetas), r0 * np.sin(thetas), np.full_like(thetas, Q0)])
    active = np.ones(Y.shape[1], dtype=bool)
    t = 0.0
    while t < t_max and active.any():
        Ya = Y[:, active]
        Yn = fld.integrate(Ya, 4.0, dt=dt)
        Y[:, active] = Yn
        t += 4.0
        # committed: within 0.1 of a sink and the other feature's overlap below 0.02
        near = np.array([any(np.max(np.abs(Y[:, j] - s.values)) < 0.1
                             and np.min(np.abs(Y[:2, j])) < 0.02 for s in sinks) for j in range(Y.shape[1])])
        active = ~near
    return _select(Y, sinks), Y


def basin_probabilities(model, system=None, *, r0: float = 0.05, Q0: float = 1.0, n_mc: int = 160,
                        sgd_N: int = 4000, sgd_angles: int = 16, sgd_runs_per_angle: int = 16,
                        sgd_t_max: float = 40.0, seed: int = 0, with_sgd: bool = True,
                        horizon: float | None = None) -> dict:
    """Probability of selecting feature 1 from ``R0 = r0 (cos theta, sin theta)``, theta uniform, ``Q0``.

    Three routes: (i) separatrix geometry -- the fraction of the circle on
    feature 1's side of the stable manifold of the mixed saddles (the four
    quadrants are images of each other under ``R_k -> -R_k``, a symmetry of
    the ODEs for symmetric laws, verified on the saddles found): the
    ``t -> infinity`` probability; (ii) Monte Carlo over ODE end points;
    (iii) an SGD ensemble (reduced engine) at ``sgd_N``, angles stratified
    uniformly.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric, two features, one neuron (``d = 2``, ``d2 = 1``), both
        selected states sinks.
    system : ODESystem, optional
    r0, Q0 : float
        Radius of the initial circle in the ``R`` plane and the initial ``Q``.
    n_mc : int
        ODE Monte Carlo trajectories (uniform angles).
    sgd_N, sgd_angles, sgd_runs_per_angle, sgd_t_max : SGD ensemble size and horizon.
    seed : int
    with_sgd : bool
        Run the SGD route.
    horizon : float or None
        ``None`` (default): ODE trajectories run until they commit to a
        selected state (at most ``t = 150``).  A number ``T``: the ODE and SGD
        states at time ``T`` exactly are classified (nearest sink within 0.1,
        else *undecided*), and ``ode_mc`` / ``sgd`` report the fractions
        ``p1``, ``p2`` and ``undecided`` at that horizon.

    Returns
    -------
    dict with ``fixed_points``, ``separatrix``, ``geometry`` (``p1``, bracket
    ``ci``, ``saddle_distance``), ``ode_mc`` and ``sgd`` (``p1``, ``k``, ``n``,
    Wilson ``ci``; with a horizon also ``p2``, ``undecided``), ``horizon``.
    Level: numerical (ODE integration and sampling).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive import ContrastiveModel, basin_probabilities
    >>> from symdyn.hidden import Rademacher, SparseTernary
    >>> m = ContrastiveModel(d=2, activation=sympy.erf,
    ...                      laws=(Rademacher(sympy.sqrt(2)), SparseTernary(2, sympy.Rational(1, 2))))
    >>> out = basin_probabilities(m, n_mc=32, with_sgd=False, horizon=20.0)  # doctest: +SKIP
    >>> 0 <= out["ode_mc"]["p1"] <= 1                                        # doctest: +SKIP
    True
    """
    if horizon is not None and not (isinstance(horizon, (int, float)) and not isinstance(horizon, bool)
                                    and horizon > 0 and math.isfinite(horizon)):
        raise ValueError(f"horizon must be a positive number of time units or None, got {horizon!r}")
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.fast_field(system)
    fps = fpm.all_fixed_points(model, system)
    sinks = [s for s in fps["selected"] if s.kind == "sink"]
    if len(sinks) < 4:
        raise ValueError("both features' selected states must be stable (sinks) for a basin comparison")
    saddles = fps["mixed"]
    sep = separatrix(model, system, r0=r0, Q0=Q0, fld=fld, saddles=saddles, sinks=sinks)
    p_geom = sep.theta / (np.pi / 2)
    # Monte Carlo over ODE end points
    rng = np.random.default_rng(seed)
    thetas = rng.uniform(0, 2 * np.pi, n_mc)
    if horizon is None:
        feats, _ = ode_end_points(fld, thetas, sinks, r0=r0, Q0=Q0)
        if np.any(feats < 0):
            raise ValueError("some ODE trajectories did not converge to a selected state")
    else:
        Y0 = np.vstack([r0 * np.cos(thetas), r0 * np.sin(thetas), np.full_like(thetas, Q0)])
        feats = _select(fld.integrate(Y0, float(horizon), dt=min(0.2, float(horizon) / 10)), sinks)
    k1 = int(np.sum(feats == 0))
    k2 = int(np.sum(feats == 1))
    und = int(np.sum(feats < 0))
    out = {
        "fixed_points": fps,
        "separatrix": sep,
        "geometry": {"p1": float(p_geom), "theta": sep.theta, "ci": (sep.bracket[0] / (np.pi / 2), sep.bracket[1] / (np.pi / 2)),
                     "saddle_distance": sep.saddle_distance},
        "ode_mc": {"p1": k1 / n_mc, "k": k1, "n": n_mc, "ci": wilson_interval(k1, n_mc),
                   "p2": k2 / n_mc, "undecided": und / n_mc},
        "horizon": horizon,
    }
    if horizon is not None:
        sgd_t_max = float(horizon)
    if with_sgd:
        from .sgd import simulate_sgd

        angles = (np.arange(sgd_angles) + rng.uniform()) * 2 * np.pi / sgd_angles
        k = 0
        n = 0
        undecided = 0
        for i, th in enumerate(angles):
            res = simulate_sgd(model, N=sgd_N, t_max=sgd_t_max, engine="reduced", n_runs=sgd_runs_per_angle,
                               times=[sgd_t_max], R0=[[r0 * np.cos(th)], [r0 * np.sin(th)]], Q0=[[Q0]],
                               seed=seed + 17 * i + 1)
            Rend = np.abs(res.R[:, -1, :, 0])
            dec = np.abs(Rend[:, 0] - Rend[:, 1]) > 0.1  # one overlap clearly larger: that feature is being selected
            undecided += int(np.sum(~dec))
            k += int(np.sum(dec & (Rend[:, 0] > Rend[:, 1])))
            n += int(np.sum(dec))
        out["sgd"] = {"p1": k / max(n, 1), "k": k, "n": n, "ci": wilson_interval(k, n), "N": sgd_N,
                      "undecided": undecided}
    return out


# ---------------------------------------------------------------------------
# claim 3: noise correlation
# ---------------------------------------------------------------------------
