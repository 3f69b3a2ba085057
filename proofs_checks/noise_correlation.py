"""Claim 3: negatively correlated augmentation noise raises the steady-state cosine."""

from __future__ import annotations

import numpy as np
import sympy

from symdyn.verdict import Stopwatch, Verdict

NAME = "noise_correlation"
CLAIM = ("Certified (closed-form activations, e.g. erf; on the sampled grid of tau, Delta, rho only): each m* "
         "is enclosed in a ball (Krawczyk on the closed-form ODEs, sink property certified; an uninformative "
         "cell has m* = 0 exactly, the absence of an informative sink there is numerical) and every comparison "
         "is decided by disjoint enclosures: independent augmentation noise (rho = 0, Delta > 0) lowers m* "
         "below its Delta = 0 value; m* increases as rho decreases; the tau^2 gradient-variance term at the "
         "rho = 0 steady state is a decreasing function of rho (so it does not explain the gain: negative rho "
         "raises it) and is rho-free at Delta = 0 (exact symbolic); the gain of rho = -1 over rho = 0 grows "
         "with tau.")
CLAIM_NUMERICAL = ("Numerical (float route: activations without closed forms, e.g. tanh, or certify=False; "
                   "sampled grid only): independent "
                   "augmentation noise lowers m* below its Delta = 0 value; m* increases as rho decreases; the "
                   "tau^2 gradient-variance term at a fixed state is decreasing in rho; the gain of rho = -1 over "
                   "rho = 0 grows with tau (float comparisons with tolerance 1e-9; double-precision steady "
                   "states, no high-precision cross-check was run).")

TAUS = (0.2, 0.35, 0.5)
DELTAS = (0.0, 0.5, 1.0)
RHOS = (1.0, 0.0, -0.5, -1.0)


def _decide(a, b, direction, cmp):
    """Certified ``sign(b - a) * direction`` (None if undecided), or the float version with tolerance."""
    if cmp is not None:
        c = cmp(b, a)
        return None if c is None else c * direction
    d = (b - a) * direction
    return 1 if d > 1e-9 else -1 if d < -1e-9 else 0


def _orderings(m, taus, Deltas, srt, direction, cmp, sub):
    below = all(_decide(m[(t, 0.0, 0.0)], m[(t, D, 0.0)], 1, cmp) == -1 for t in taus for D in Deltas if D > 0)
    order, unlearnable, undecided = [], [], []
    for t in taus:
        for D in Deltas:
            if D == 0:
                continue
            vals = [m[(t, D, r)] for r in srt]
            steps = [_decide(a, b, direction, cmp) for a, b in zip(vals, vals[1:])]  # claim: m falls as rho rises
            if all(_is_zero(v, cmp) for v in vals):
                unlearnable.append((t, D))  # no feature learnt at any rho: nothing to order
                continue
            if any(s is None for s in steps):
                undecided.append((t, D))
            order.append(all(s is not None and s <= 0 for s in steps) and any(s == -1 for s in steps))
    increasing = bool(order) and all(order)
    gains = {D: [sub(m[(t, D, -1.0)], m[(t, D, 0.0)]) for t in taus] for D in Deltas if D > 0}
    gain_grows = all(_decide(a, b, direction, cmp) == 1 for g in gains.values() for a, b in zip(g, g[1:]))
    return below, increasing, unlearnable, undecided, gains, gain_grows


def _is_zero(v, cmp):
    if cmp is None:
        return v == 0.0
    return v.rad() == 0 and v == 0


def evaluate(taus=TAUS, Deltas=DELTAS, rhos=RHOS, *, activation=sympy.erf, direction=1, system=None,
             certify=True) -> Verdict:
    """``direction=1``: the claim (m* rises as rho falls); ``-1``: the reversed ordering (must fail).

    Closed-form activations are certified (``certify=False`` forces the float route);
    the others stay numerical.
    """
    from symdyn.contrastive import claims
    from symdyn.contrastive._nodes import canonicalize
    from symdyn.contrastive.certified import (NoClosedForm, ball_of, certified_steady_state_grid, compare_balls,
                                              closed_rhs)
    from symdyn.contrastive.model import PARAM_SYMBOLS

    with Stopwatch() as sw:
        rows, info = claims.steady_state_grid(taus, Deltas, rhos, activation=activation, system=system)
        if not all(r["converged"] for r in rows):
            bad = [r for r in rows if not r["converged"]]
            raise ValueError(f"steady state not verified for {[(r['tau'], r['Delta'], r['rho']) for r in bad]}")
        srt = sorted(rhos)  # increasing rho
        cert_rows, cert_reason = None, None
        if certify:
            try:
                closed_rhs(info["system"])
                cert_rows = certified_steady_state_grid(rows, info)
            except NoClosedForm as exc:
                cert_reason = str(exc)
        B = info["B"]
        dB_at_Delta0 = sympy.diff(B, PARAM_SYMBOLS["rho"]).xreplace({PARAM_SYMBOLS["Delta"]: 0})
        delta0_indep = canonicalize(dB_at_Delta0) == 0
        figures = {"variance_term_rho_free_at_Delta0_proved": bool(delta0_indep)}
        if cert_rows is not None:
            failed = [(r["tau"], r["Delta"], r["rho"]) for r in cert_rows if r["kind"] != "sink" or "m" not in r]
            balls = {(r["tau"], r["Delta"], r["rho"]): ball_of(r["m"]) for r in cert_rows if "m" in r}
            cert_rows_ok = not failed
            m = balls
            cmp, sub = compare_balls, (lambda a, b: a - b)
        else:
            cert_rows_ok = True
            failed = []
            m = {(r["tau"], r["Delta"], r["rho"]): r["m"] for r in rows}
            cmp, sub = None, (lambda a, b: a - b)
        if failed:
            below = increasing = gain_grows = False
            unlearnable, undecided, gains = [], [], {}
        else:
            below, increasing, unlearnable, undecided, gains, gain_grows = _orderings(m, taus, Deltas, srt, direction,
                                                                                     cmp, sub)
        var = _variance_term(B, info, rows, cert_rows, taus, Deltas, srt, direction)
        figures.update({
            "m_star": [{k: r[k] for k in ("tau", "Delta", "rho", "m", "R", "Q", "residual", "kind")} for r in rows],
            "independent_noise_lowers_m": below, "m_increases_as_rho_decreases": increasing,
            "gain_rho_minus1_over_0": {str(D): [str(x) for x in g] for D, g in gains.items()},
            "gain_grows_with_tau": gain_grows, "unlearnable_cells": unlearnable, "undecided_comparisons": undecided,
            **var,
        })
        if cert_rows is not None:
            figures["m_star_certified"] = cert_rows
            figures["cells_not_certified"] = failed
            figures["comparisons"] = "each decided by disjoint arb enclosures (overlap = undecided = fail)"
            figures["max_radius"] = max((r["m"]["radius"] for r in cert_rows if "m" in r), default=None)
        else:
            figures["not_certified_because"] = cert_reason or "certify=False"
        passed = cert_rows_ok and below and increasing and gain_grows and var["variance_term_decreasing_in_rho"] \
            and delta0_indep
        level = "certified" if cert_rows is not None and var["variance_term_level"] == "certified" else "numerical"
        claim = CLAIM if level == "certified" else CLAIM_NUMERICAL
    return Verdict(NAME, claim, bool(passed), level, figures, sw.seconds)


def _variance_term(B, info, rows, cert_rows, taus, Deltas, srt, direction) -> dict:
    """The variance term at the rho = 0 state, per rho: enclosed (closed forms) or compiled floats."""
    from symdyn.contrastive import claims
    from symdyn.contrastive.certified import _exactify, compare_balls, exact_number
    from symdyn.contrastive.model import PARAM_SYMBOLS

    states = claims.fpm._states(info["system"])
    Bc = None
    if cert_rows is not None:
        from symdyn.contrastive._nodes import GaussExpectation

        Bc = _exactify(sympy.S(B).doit())
        if Bc.atoms(GaussExpectation):
            Bc = None
    out, order = {}, []
    for t in taus:
        for D in Deltas:
            if D == 0:
                continue
            key = f"tau={t},Delta={D}"
            if Bc is not None:
                from symdyn._arb import arb_eval
                from symdyn.contrastive.certified import ball_of

                c0 = next(r for r in cert_rows if r["tau"] == t and r["Delta"] == D and r["rho"] == 0.0)
                at = {states[0]: ball_of(c0["R"]), states[1]: ball_of(c0["Q"]),
                      PARAM_SYMBOLS["tau"]: exact_number(t), PARAM_SYMBOLS["Delta"]: exact_number(D)}
                vals = [arb_eval(Bc, {**at, PARAM_SYMBOLS["rho"]: exact_number(rr)}, prec=192) for rr in srt]
                steps = [compare_balls(b, a) for a, b in zip(vals, vals[1:])]
                order.append(all(s is not None and s * direction == -1 for s in steps))
                out[key] = dict(zip([str(r) for r in srt], [str(v) for v in vals]))
            else:
                r0row = next(r for r in rows if r["tau"] == t and r["Delta"] == D and r["rho"] == 0.0)
                vals = claims.variance_term_values(B, info["system"], info["params"], (r0row["R"], r0row["Q"]),
                                                   t, D, srt)
                order.append(bool(np.all(np.diff(vals) * direction < 0)))
                out[key] = dict(zip([str(r) for r in srt], vals))
    ok = bool(order) and all(order)
    return {"variance_term_at_rho0_state": out, "variance_term_decreasing_in_rho": ok,
            "negative_rho_lowers_variance_term": not ok,
            "variance_term_level": "certified" if Bc is not None else "numerical"}


def run(full: bool = False) -> Verdict:
    if full:
        return evaluate(taus=(0.2, 0.4, 0.6, 0.8, 1.0), Deltas=(0.0, 0.5, 1.0), rhos=(1.0, 0.5, 0.0, -0.5, -1.0))
    return evaluate()
