"""Claim 2: higher moments shape the attraction region (not local stability)."""

from __future__ import annotations

import sympy

from symdyn.verdict import Stopwatch, Verdict

NAME = "attraction_region_higher_moments"
_SELECTION = ("with two features of equal <c^2> and different <c^4> both selected states are stable sinks, and "
              "the probability of selecting each from an isotropic small start (separatrix geometry, ODE Monte "
              "Carlo, SGD ensemble, agreeing) is away from 1/2.")
CLAIM = ("Local stability certified (closed-form activations, e.g. erf): the 4 selected states (either feature, "
         "either sign) are sinks and the 4 mixed states saddles with one unstable direction (Krawczyk enclosures "
         "of each fixed point, certified eigenvalue signs). Numerical (the verdict's level): " + _SELECTION)
CLAIM_NUMERICAL = ("Numerical (activations without closed forms, e.g. tanh; local stability not certified: fixed "
                   "points and eigenvalue signs in floating point, no high-precision cross-check was run): "
                   + _SELECTION)


def default_laws(equal_fourth=False):
    from symdyn.hidden import Rademacher, SparseTernary

    if equal_fourth:
        return (Rademacher(sympy.sqrt(2)), Rademacher(sympy.sqrt(2)))
    return (Rademacher(sympy.sqrt(2)), SparseTernary(2, sympy.Rational(1, 2)))


def evaluate(laws, *, activation=sympy.erf, tau=0.5, Delta=0, rho=0, beta=1, r0=0.05, Q0=1.0, n_mc=64,
             sgd_N=4000, sgd_angles=16, sgd_runs_per_angle=16, sgd_t_max=30.0, seed=0, system=None) -> Verdict:
    from symdyn.contrastive import claims
    from symdyn.contrastive.model import ContrastiveModel

    with Stopwatch() as sw:
        model = ContrastiveModel(d=2, activation=activation, tau=tau, Delta=Delta, rho=rho, beta=beta, laws=tuple(laws))
        out = claims.basin_probabilities(model, system, r0=r0, Q0=Q0, n_mc=n_mc, sgd_N=sgd_N, sgd_angles=sgd_angles,
                                         sgd_runs_per_angle=sgd_runs_per_angle, sgd_t_max=sgd_t_max, seed=seed)
        fps = out["fixed_points"]
        states = claims.fpm._states(claims.fpm.contrastive_system(model) if system is None else system)
        sinks = [s for s in fps["selected"] if s.kind == "sink"]
        saddles = [s for s in fps["mixed"] if s.kind == "saddle" and s.unstable_dim == 1]
        g, mc, sgd = out["geometry"], out["ode_mc"], out["sgd"]
        agree = (mc["ci"][0] <= g["p1"] <= mc["ci"][1]) and (sgd["ci"][0] <= g["p1"] <= sgd["ci"][1])
        away = (g["ci"][1] < 0.5 or g["ci"][0] > 0.5) and not (mc["ci"][0] <= 0.5 <= mc["ci"][1]) \
            and not (sgd["ci"][0] <= 0.5 <= sgd["ci"][1])
        figures = {
            "fourth_moments": [float(l.moment(4)) for l in laws],
            "second_moments": [float(l.second_moment) for l in laws],
            "fixed_points": [fps["uninformative"].as_dict(states)] + [s.as_dict(states) for s in fps["selected"]]
            + [s.as_dict(states) for s in fps["mixed"]],
            "n_sinks": len(sinks), "n_mixed_saddles": len(saddles),
            "p1_geometry": g["p1"], "p1_geometry_bracket": g["ci"], "separatrix_saddle_distance": g["saddle_distance"],
            "p1_ode_mc": mc["p1"], "p1_ode_mc_ci": mc["ci"], "ode_mc_n": mc["n"],
            "p1_sgd": sgd["p1"], "p1_sgd_ci": sgd["ci"], "sgd_n": sgd["n"], "sgd_N": sgd_N,
            "sgd_undecided": sgd["undecided"], "three_routes_agree": agree, "away_from_half": away,
        }
        local = _certified_local_stability(model, system, fps)
        figures.update(local)
        figures["selection_probability_level"] = "numerical (geometry bracket, ODE Monte Carlo and SGD intervals)"
        cert_ok = local["local_stability_level"] != "certified" or (
            local["certified_sinks"] == len(sinks) and local["certified_saddles"] == len(saddles))
        passed = len(sinks) == 4 and len(saddles) == 4 and agree and away and g["saddle_distance"] < 0.05 \
            and cert_ok
        claim = CLAIM if local["local_stability_level"] == "certified" else CLAIM_NUMERICAL
    return Verdict(NAME, claim, bool(passed), "numerical", figures, sw.seconds)


def _certified_local_stability(model, system, fps) -> dict:
    """Krawczyk enclosures and certified kinds of the selected sinks and mixed saddles (numerical if no closed form)."""
    from symdyn.contrastive import claims
    from symdyn.contrastive.certified import KrawczykFailed, NoClosedForm, certified_fixed_point, closed_rhs

    system = claims.fpm.contrastive_system(model) if system is None else system
    try:
        rhs = closed_rhs(system)
    except NoClosedForm as exc:
        return {"local_stability_level": "numerical", "local_stability_not_certified_because": str(exc)}
    recs, n_sink, n_saddle = [], 0, 0
    for label, group, want in (("selected", fps["selected"], ("sink", 0)), ("mixed", fps["mixed"], ("saddle", 1))):
        for s in group:
            if (s.kind, s.unstable_dim) != want:
                continue
            try:
                c = certified_fixed_point(system, list(s.values), rhs=rhs)
            except KrawczykFailed as exc:
                recs.append({"role": label, "certified": f"nothing (Krawczyk failed: {exc})"})
                continue
            ok = (c["kind"], c["unstable_dim"]) == want
            n_sink += ok and want[0] == "sink"
            n_saddle += ok and want[0] == "saddle"
            recs.append({"role": label, "state": c["state"], "radius": c["radius"], "kind": c["kind"],
                         "unstable_dim": c["unstable_dim"], "eigenvalues": c["stability"]["eigenvalues"]})
    return {"local_stability_level": "certified", "certified_fixed_points": recs,
            "certified_sinks": int(n_sink), "certified_saddles": int(n_saddle)}


def run(full: bool = False) -> Verdict:
    if full:
        return evaluate(default_laws(), n_mc=400, sgd_angles=16, sgd_runs_per_angle=32, sgd_t_max=40.0)
    return evaluate(default_laws())
