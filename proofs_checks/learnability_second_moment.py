"""Claim 1: learnability of a feature depends only on its second moment <c^2>."""

from __future__ import annotations

import numpy as np
import sympy

from symdyn.verdict import Stopwatch, Verdict

NAME = "learnability_second_moment"
CLAIM = ("At the uninformative state the Jacobian of the moment ODEs is block diagonal and the R "
         "eigenvalue is tau(<c^2> G(Q*) + S(Q*) - beta): no moment beyond <c^2> enters, so laws with equal "
         "<c^2> (kurtosis 1, 5, 20) share the linear growth rate; SGD growth rates match the ODE.")


def default_laws(second_moments=(2, 2, 2), kurtoses=(1, 5, 20)):
    from symdyn.hidden import law_with_moments

    return tuple(law_with_moments(m, k) for m, k in zip(second_moments, kurtoses))


def evaluate(laws, *, activation=sympy.erf, tau=0.5, Delta=0, rho=0, beta=1, N=10_000, n_runs=120,
             r0=0.03, t_fit=3.0, seed=0, structure=True, order=1) -> Verdict:
    """Check claim 1 for the given hidden laws (one feature each, run separately)."""
    from symdyn.contrastive import claims
    from symdyn.contrastive.model import ContrastiveModel

    with Stopwatch() as sw:
        figures = {}
        ok_struct = True
        if structure:
            # the Jacobian at R = 0 is the linear part of the Taylor expansion in R, so order 1
            # decides it exactly; order >= 3 also shows <c^4> entering the cubic terms
            st = claims.learnability_structure(activation, order=order)
            ok_struct = st["block_diagonal"] and st["eigenvalue_matches"] and st["higher_moments_absent"] \
                and (order < 3 or st["higher_moments_present_in_rhs"])
            figures.update(expansion_order=order, block_diagonal=st["block_diagonal"],
                           eigenvalue_matches=st["eigenvalue_matches"],
                           moments_in_eigenvalue=st["moments_in_eigenvalue"],
                           moments_in_expansion=st["moments_in_expansion"],
                           eigenvalue_symbolic=str(st["eigenvalue"]))
        models = [ContrastiveModel(d=1, activation=activation, tau=tau, Delta=Delta, rho=rho, beta=beta,
                                   laws=(law,)) for law in laws]
        th = claims.learnability_threshold(models[0])
        q = th["Q_star"]
        lam = [tau * (float(l.second_moment) * th["G"] + th["S"] - beta) for l in laws]
        systems = [claims.fpm.contrastive_system(m) for m in models]
        # R = 0, Q = Q* is a fixed point for every law (the Q equation at R = 0 involves no c);
        # each law's own Jacobian, not the formula, decides whether the eigenvalues coincide.
        uni = th["uninformative"].values
        jac_eigs = [float(claims.fpm.fast_field(S).J(uni)[0, 0]) for S in systems]
        jac_ok = all(abs(j - l) < 1e-8 for j, l in zip(jac_eigs, lam))
        # ODE growth over the SGD fitting window (includes the cubic, <c^4>-dependent terms) and at
        # vanishing amplitude (the linear rate: must be the eigenvalue)
        ode_window = [claims.ode_growth_rate(S, m, q, r0=r0, t_fit=t_fit) for S, m in zip(systems, models)]
        ode_small = [claims.ode_growth_rate(S, m, q, r0=1e-5, t_fit=2.0) for S, m in zip(systems, models)]
        small_ok = all(abs(a - l) < 2e-3 for a, l in zip(ode_small, lam))
        spread = max(jac_eigs) - min(jac_eigs)
        equal_eigs = spread <= 1e-9 and (max(ode_small) - min(ode_small)) <= 2e-3
        rates = claims.sgd_growth_rates(models, q, N=N, n_runs=n_runs, r0=r0, t_fit=t_fit, seed=seed)
        match = [abs(r["rate"] - o) <= 1.96 * r["se"] + 1e-3 for r, o in zip(rates, ode_window)]
        figures.update(
            Q_star=q, Q_star_level=th["Q_star_level"], G=th["G"], S=th["S"],
            threshold_c2=th["threshold_c2"], direction=th["direction"],
            eigenvalues=lam, eigenvalues_jacobian=jac_eigs, eigenvalue_spread=spread, eigenvalues_equal=equal_eigs,
            eigenvalue_jacobian_matches_formula=jac_ok,
            second_moments=[float(l.second_moment) for l in laws], kurtoses=[float(l.kurtosis) for l in laws],
            ode_rate_small_amplitude=ode_small, ode_rate_small_matches_eigenvalue=small_ok,
            ode_rate_fit_window=ode_window, fit_window={"r0": r0, "t_fit": t_fit},
            sgd_rates=[r["rate"] for r in rates], sgd_rate_se=[r["se"] for r in rates], N=N, n_runs=n_runs,
            sgd_rates_match_ode=all(match),
        )
        passed = bool(ok_struct and jac_ok and small_ok and equal_eigs and all(match))
        # The symbolic structure is proved, but the verdict also rests on quadrature (Q*, G) and
        # on SGD statistics, so the verdict as a whole is numerical.
        figures["structure_level"] = "proved" if structure else "not checked"
    return Verdict(NAME, CLAIM, passed, "numerical", figures, sw.seconds)


def run(full: bool = False) -> Verdict:
    v = evaluate(default_laws(), N=10_000 if not full else 100_000, n_runs=120 if not full else 400,
                 order=1 if not full else 3)
    v.figures["levels"] = "structure: proved (exact symbolic); Q*, threshold: see Q_star_level; SGD rates: numerical"
    return v
