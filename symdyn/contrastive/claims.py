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


def spec_G_S(model, Q):
    """``G(Q)`` and ``S(Q)`` of the spec at ``R = 0`` as Gaussian-expectation nodes.

    ``G = E[s''(h1) s(h2) + s(h1) s''(h2) + 2 s'(h1) s'(h2)]`` and ``S`` the
    Delta term ``Delta E[s'' s + s s'' + 2 rho s' s']`` (additive; 0 for resample),
    with ``(h1, h2)`` centred Gaussian of variance ``V`` and covariance ``K``.
    """
    from ._nodes import Gaussian

    x1, x2 = sympy.symbols("x_1 x_2", real=True)
    s = model.sigma
    v = s.variables[0]
    d0 = lambda x: s.expr.subs(v, x)  # noqa: E731
    d1 = lambda x: sympy.diff(s.expr, v).subs(v, x)  # noqa: E731
    d2 = lambda x: sympy.diff(s.expr, v, 2).subs(v, x)  # noqa: E731
    Delta, rho = model.Delta, model.rho
    if model.augmentation == "additive":
        V, K = (1 + Delta) * Q, (1 + rho * Delta) * Q
    else:
        V, K = Q, rho * Q
    gauss = Gaussian([x1, x2], [0, 0], [[V, K], [K, V]])
    G = gauss.expect(d2(x1) * d0(x2) + d0(x1) * d2(x2) + 2 * d1(x1) * d1(x2))
    if model.augmentation == "additive":
        S = Delta * gauss.expect(d2(x1) * d0(x2) + d0(x1) * d2(x2) + 2 * rho * d1(x1) * d1(x2))
    else:
        S = sympy.S.Zero
    return G, S


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

    ``claimed`` may be a callable ``(model, Q) -> expr`` (used by the tests to
    feed a wrong formula).
    """
    from ..hidden import GeneralLaw
    from .model import PARAM_SYMBOLS, ContrastiveModel
    from .odes import moment_expansion

    law = GeneralLaw(max_order=max(4, order + 1))
    model = ContrastiveModel(d=1, d2=1, activation=activation, augmentation=augmentation,
                             Delta=PARAM_SYMBOLS["Delta"], rho=PARAM_SYMBOLS["rho"],
                             tau=PARAM_SYMBOLS["tau"], beta=PARAM_SYMBOLS["beta"], laws=(law,))
    system = moment_expansion(model, order)
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


def _node_value(expr, subs) -> float:
    """Float value of an expression with Gaussian nodes (compiled quadrature)."""
    e = sympy.S(expr).xreplace(subs)
    f = sympy.lambdify((), e, modules=["scipy", "numpy"])
    return float(f())


def learnability_threshold(model, system=None) -> dict:
    """``Q*``, ``G(Q*)``, ``S(Q*)``, the R-eigenvalue and the threshold on ``<c^2>``.

    The eigenvalue predicted by the formula is compared with the R-block of
    the concrete system's Jacobian (float), which must agree.
    """
    system = fpm.contrastive_system(model) if system is None else system
    uni = fpm.uninformative_state(model, system)
    states = fpm._states(system)
    Qs = states[model.d]
    q = uni.values[model.d]
    G, S = spec_G_S(model, Qs)
    Gv = _node_value(G, {Qs: q})
    Sv = _node_value(S, {Qs: q})
    tau, beta = float(model.tau), float(model.beta)
    m2s = [float(law.second_moment) for law in model.laws]
    predicted = [tau * (m2 * Gv + Sv - beta) for m2 in m2s]
    fld = fpm.numeric_field(system)
    J = fld.J(uni.values)
    jac_eigs = [float(J[k, k]) for k in range(model.d)]
    if Gv > 0:
        threshold = (beta - Sv) / Gv
        direction = "learnable iff <c^2> > threshold"
    elif Gv < 0:
        threshold = (beta - Sv) / Gv
        direction = "learnable iff <c^2> < threshold"
    else:  # pragma: no cover - degenerate
        threshold = float("nan")
        direction = "G(Q*) = 0: no threshold"
    return {
        "Q_star": float(q), "Q_star_level": uni.level, "Q_star_exact": uni.exact,
        "G": Gv, "S": Sv, "threshold_c2": threshold, "direction": direction,
        "eigenvalue_formula": predicted, "eigenvalue_jacobian": jac_eigs,
        "uninformative": uni,
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
    fld = fpm.numeric_field(system)
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


def _backward_orbits(fld, saddle, phis, *, eps=1e-3, Q0=1.0, r_stop=1e-3, t_max=80.0, dt=0.05):
    """Backward integrations from ``saddle + eps (cos phi v1 + sin phi v2)``.

    Returns the crossing points with ``Q = Q0`` (NaN when not reached) and the orbits.
    """
    w = saddle.eigenvalues
    v = saddle.eigenvectors
    stable = [k for k in range(len(w)) if np.real(w[k]) < 0]
    if len(stable) != 2:
        raise ValueError("the mixed saddle must have a two-dimensional stable manifold")
    v1 = np.real(v[:, stable[0]])
    v2 = np.real(v[:, stable[1]])
    v1 /= np.linalg.norm(v1)
    v2 /= np.linalg.norm(v2)
    Y = saddle.values[:, None] + eps * (np.cos(phis)[None, :] * v1[:, None] + np.sin(phis)[None, :] * v2[:, None])
    k = Y.shape[1]
    cross = np.full((k, 3), np.nan)
    done = np.zeros(k, dtype=bool)
    side0 = np.sign(Y[2] - Q0)
    orbits = [[Y[:, j].copy()] for j in range(k)]
    h = -dt
    n_steps = int(t_max / dt)
    for _ in range(n_steps):
        act = ~done
        if not act.any():
            break
        Ya = Y[:, act]
        k1 = fld.f(Ya)
        k2 = fld.f(Ya + 0.5 * h * k1)
        k3 = fld.f(Ya + 0.5 * h * k2)
        k4 = fld.f(Ya + h * k3)
        Yn = Ya + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        idx = np.nonzero(act)[0]
        for a, j in enumerate(idx):
            y_old, y_new = Ya[:, a], Yn[:, a]
            if not np.all(np.isfinite(y_new)):
                done[j] = True
                continue
            orbits[j].append(y_new.copy())
            if np.sign(y_new[2] - Q0) != side0[j]:
                s = (Q0 - y_old[2]) / (y_new[2] - y_old[2])
                cross[j] = y_old + s * (y_new - y_old)
                done[j] = True
            elif np.hypot(y_new[0], y_new[1]) < r_stop or abs(y_new[2]) > 50:
                done[j] = True
        Y[:, act] = Yn
    return cross, [np.array(o) for o in orbits]


def separatrix(model, system=None, *, r0: float = 0.05, Q0: float = 1.0, n_phi: int = 48,
               fld=None, saddles=None) -> Separatrix:
    """Stable manifold of the first-quadrant mixed saddle and its crossing of ``|R| = r0, Q = Q0``."""
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.numeric_field(system) if fld is None else fld
    saddles = fpm.mixed_saddles(model, system, fld=fld) if saddles is None else saddles
    first = [s for s in saddles if s.values[0] > 0 and s.values[1] > 0 and s.unstable_dim == 1]
    if not first:
        raise ValueError("no mixed saddle with one unstable direction in the first quadrant")
    saddle = first[0]
    phis = np.linspace(0, 2 * np.pi, n_phi, endpoint=False)
    cross, orbits = _backward_orbits(fld, saddle, phis, Q0=Q0)
    rad = np.hypot(cross[:, 0], cross[:, 1]) - r0
    ok = np.isfinite(rad) & (cross[:, 0] > 0) & (cross[:, 1] > 0)
    brackets = [j for j in range(n_phi) if ok[j] and ok[(j + 1) % n_phi] and rad[j] * rad[(j + 1) % n_phi] < 0]
    if not brackets:
        raise ValueError(f"the separatrix does not cross the circle |R| = {r0} in the plane Q = {Q0}")
    thetas = []
    for j in brackets:
        a, b = phis[j], phis[j] + (phis[1] - phis[0])
        for _ in range(2):  # two refinement passes on a fine grid inside the bracket
            fine = np.linspace(a, b, 9)
            c2, _ = _backward_orbits(fld, saddle, fine, Q0=Q0)
            r2 = np.hypot(c2[:, 0], c2[:, 1]) - r0
            sgn = [i for i in range(8) if np.isfinite(r2[i]) and np.isfinite(r2[i + 1]) and r2[i] * r2[i + 1] <= 0]
            if not sgn:
                break
            i = sgn[0]
            a, b = fine[i], fine[i + 1]
            s = r2[i] / (r2[i] - r2[i + 1])
            pt = c2[i] + s * (c2[i + 1] - c2[i])
        thetas.append(float(np.arctan2(pt[1], pt[0])))
    return Separatrix(saddle, orbits, cross[np.isfinite(cross[:, 0])][:, :2], float(np.median(thetas)), r0, Q0)


def _select(end: np.ndarray, sinks: list) -> np.ndarray:
    """Feature index (0 or 1) of the sink nearest to each end point (-1 if none within 0.1)."""
    feats = []
    for j in range(end.shape[1]):
        dists = [np.max(np.abs(end[:, j] - s.values)) for s in sinks]
        i = int(np.argmin(dists))
        feats.append(int(np.argmax(np.abs(sinks[i].values[:2]))) if dists[i] < 0.1 else -1)
    return np.array(feats)


def ode_end_points(fld, thetas, sinks, *, r0=0.05, Q0=1.0, t_max=150.0, dt=0.1):
    """Selected feature for ODE trajectories from ``r0 (cos theta, sin theta), Q0``."""
    Y = np.vstack([r0 * np.cos(thetas), r0 * np.sin(thetas), np.full_like(thetas, Q0)])
    active = np.ones(Y.shape[1], dtype=bool)
    t = 0.0
    while t < t_max and active.any():
        Ya = Y[:, active]
        Yn = fld.integrate(Ya, 5.0, dt=dt)
        Y[:, active] = Yn
        t += 5.0
        near = np.array([min(np.max(np.abs(Y[:, j] - s.values)) for s in sinks) < 0.02 for j in range(Y.shape[1])])
        active = ~near
    return _select(Y, sinks), Y


def basin_probabilities(model, system=None, *, r0: float = 0.05, Q0: float = 1.0, n_mc: int = 160,
                        sgd_N: int = 4000, sgd_angles: int = 16, sgd_runs_per_angle: int = 16,
                        sgd_t_max: float = 40.0, seed: int = 0, with_sgd: bool = True) -> dict:
    """Probability of selecting feature 1 from ``R0 = r0 (cos theta, sin theta)``, theta uniform, ``Q0``.

    Three routes: (i) separatrix geometry -- the fraction of the circle on
    feature 1's side of the stable manifold of the mixed saddles (the four
    quadrants are images of each other under ``R_k -> -R_k``, a symmetry of
    the ODEs for symmetric laws, verified on the saddles found); (ii) Monte
    Carlo over ODE end points; (iii) an SGD ensemble (reduced engine) at
    ``sgd_N``, angles stratified uniformly.
    """
    system = fpm.contrastive_system(model) if system is None else system
    fld = fpm.numeric_field(system)
    fps = fpm.all_fixed_points(model, system)
    sinks = [s for s in fps["selected"] if s.kind == "sink"]
    if len(sinks) < 4:
        raise ValueError("both features' selected states must be stable (sinks) for a basin comparison")
    saddles = fps["mixed"]
    sep = separatrix(model, system, r0=r0, Q0=Q0, fld=fld, saddles=saddles)
    # which side of the separatrix is feature 1's?
    probe = np.array([sep.theta / 2, (sep.theta + np.pi / 2) / 2])
    sides, _ = ode_end_points(fld, probe, sinks, r0=r0, Q0=Q0)
    if not (sides[0] == 0 and sides[1] == 1):
        raise ValueError(f"unexpected basin layout around the separatrix (probe features {sides.tolist()})")
    p_geom = sep.theta / (np.pi / 2)
    # Monte Carlo over ODE end points
    rng = np.random.default_rng(seed)
    thetas = rng.uniform(0, 2 * np.pi, n_mc)
    feats, _ = ode_end_points(fld, thetas, sinks, r0=r0, Q0=Q0)
    if np.any(feats < 0):
        raise ValueError("some ODE trajectories did not converge to a selected state")
    k1 = int(np.sum(feats == 0))
    out = {
        "fixed_points": fps,
        "separatrix": sep,
        "geometry": {"p1": float(p_geom), "theta": sep.theta},
        "ode_mc": {"p1": k1 / n_mc, "k": k1, "n": n_mc, "ci": wilson_interval(k1, n_mc)},
    }
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
            dec = np.abs(Rend[:, 0] - Rend[:, 1]) > 0.1
            undecided += int(np.sum(~dec))
            k += int(np.sum(dec & (Rend[:, 0] > Rend[:, 1])))
            n += int(np.sum(dec))
        out["sgd"] = {"p1": k / max(n, 1), "k": k, "n": n, "ci": wilson_interval(k, n), "N": sgd_N,
                      "undecided": undecided}
    return out


# ---------------------------------------------------------------------------
# claim 3: noise correlation
# ---------------------------------------------------------------------------

def gradient_variance_term(system, model):
    """The ``tau^2`` coefficient of ``dQ/dt`` (the gradient-variance term), symbolic.

    ``system`` must keep ``tau`` symbolic; returns ``(1/2) d^2/dtau^2 (dQ/dt)``.
    """
    from .model import PARAM_SYMBOLS

    tau = PARAM_SYMBOLS["tau"]
    dQ = list(system.rhs)[model.d]
    B = sympy.diff(dQ, tau, 2) / 2
    if B.has(tau):
        raise ValueError("dQ/dt is not quadratic in tau")
    return B


def steady_state_grid(taus, Deltas, rhos, *, activation=sympy.erf, law=None, beta=1, system=None,
                      t_max: float = 120.0, dt: float = 0.1) -> list:
    """Steady-state cosine ``m*`` over a grid of ``(tau, Delta, rho)`` (one feature, one neuron).

    One symbolic system (``tau, Delta, rho`` symbolic) is compiled once and
    integrated for every grid point at once from ``R = 0.05, Q = 1``; every
    end point is polished by Newton's method and accepted only if the
    residual is below 1e-10 and the point is a sink.  Rows are dicts.
    """
    from ..hidden import Rademacher
    from .model import PARAM_SYMBOLS, ContrastiveModel

    law = Rademacher(sympy.sqrt(2)) if law is None else law
    sym = ContrastiveModel(d=1, d2=1, activation=activation, tau=PARAM_SYMBOLS["tau"],
                           Delta=PARAM_SYMBOLS["Delta"], rho=PARAM_SYMBOLS["rho"], beta=beta, laws=(law,))
    system = fpm.contrastive_system(sym) if system is None else system
    params = fpm._param_symbols(system)
    grid = [(t, D, r) for t in taus for D in Deltas for r in rhos]
    arrays = {PARAM_SYMBOLS["tau"]: np.array([g[0] for g in grid], float),
              PARAM_SYMBOLS["Delta"]: np.array([g[1] for g in grid], float),
              PARAM_SYMBOLS["rho"]: np.array([g[2] for g in grid], float)}
    missing = [p for p in params if p not in arrays]
    if missing:
        raise ValueError(f"unexpected symbolic parameters {missing}")
    base = fpm.numeric_field(system, allow_params=True)
    fld = base.with_params(*[arrays[p] for p in params])
    k = len(grid)
    Y0 = np.vstack([np.full(k, 0.05), np.ones(k)])
    Y = fld.integrate(Y0, t_max, dt=dt)
    drift = np.max(np.abs(fld.f(Y)), axis=0)
    # Newton polish (columns independent)
    for _ in range(30):
        F = fld.f(Y)
        J = fld.J(Y)
        step = np.zeros_like(Y)
        for j in range(k):
            try:
                step[:, j] = np.linalg.solve(J[:, :, j], -F[:, j])
            except np.linalg.LinAlgError:
                step[:, j] = 0
        Y = Y + step
    F = fld.f(Y)
    J = fld.J(Y)
    B = gradient_variance_term(system, sym)
    rows = []
    for j, (t, D, r) in enumerate(grid):
        res = float(np.max(np.abs(F[:, j])))
        kind, n_u, w, _ = fpm.classify_numeric(J[:, :, j])
        R, Q = Y[:, j]
        converged = res < 1e-10 and kind == "sink" and abs(Y[0, j] - Y0[0, j]) >= 0 and np.isfinite(R)
        rows.append({"tau": t, "Delta": D, "rho": r, "R": float(R), "Q": float(Q),
                     "m": float(abs(R) / math.sqrt(Q)) if Q > 0 else float("nan"),
                     "residual": res, "drift_before_newton": float(drift[j]), "kind": kind,
                     "converged": bool(converged)})
    return rows, {"system": system, "B": B, "model": sym, "params": params}


def variance_term_values(B, system, params, state, tau, Delta, rhos) -> list:
    """Numeric gradient-variance term at a fixed state for several ``rho``."""
    from .model import PARAM_SYMBOLS

    states = fpm._states(system)
    out = []
    for r in rhos:
        vals = {states[0]: state[0], states[1]: state[1], PARAM_SYMBOLS["tau"]: tau,
                PARAM_SYMBOLS["Delta"]: Delta, PARAM_SYMBOLS["rho"]: r}
        out.append(_node_value(B, {p: sympy.Float(v) for p, v in vals.items()}))
    return out
