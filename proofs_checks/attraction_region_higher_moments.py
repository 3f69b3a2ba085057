"""Claim 2: higher moments shape the attraction region (not local stability)."""

from __future__ import annotations

import sympy

from symdyn.verdict import Stopwatch, Verdict

NAME = "attraction_region_higher_moments"
CLAIM = ("With two features of equal <c^2> and different <c^4> both selected states are stable sinks, and "
         "the probability of selecting each from an isotropic small start (separatrix geometry, ODE Monte "
         "Carlo, SGD ensemble, agreeing) is away from 1/2.")


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
        passed = len(sinks) == 4 and len(saddles) == 4 and agree and away and g["saddle_distance"] < 0.05
    return Verdict(NAME, CLAIM, bool(passed), "numerical", figures, sw.seconds)


def run(full: bool = False) -> Verdict:
    if full:
        return evaluate(default_laws(), n_mc=400, sgd_angles=16, sgd_runs_per_angle=32, sgd_t_max=40.0)
    return evaluate(default_laws())
