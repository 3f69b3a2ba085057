"""The certified routes of the contrastive checks: level, enclosures, and negative controls that fail."""

import pytest
import sympy


def test_learnability_certified_enclosures_and_unequal_moments_fail():
    from proofs_checks import learnability_second_moment as chk

    laws = chk.default_laws(second_moments=(1, 2, 3), kurtoses=(1, 5, 20))
    v = chk.evaluate(laws, structure=False, N=2000, n_runs=20, t_fit=2.0)
    assert v.level == "certified"
    c = v.figures["certified"]
    assert c["max_radius"] <= 1e-12
    for k in ("Q_star", "G", "S", "threshold_c2"):
        assert c[k]["interval"][0] <= c[k]["interval"][1]
    assert c["threshold_c2"]["interval"][0] < 2 < c["threshold_c2"]["interval"][1] + 1  # threshold ~ 1.32
    # <c^2> = 1 is below the threshold, 2 and 3 above: the certified signs say so
    assert [e["sign"] for e in c["eigenvalues"]] == [-1, 1, 1]
    assert c["threshold_decides_sign"] is True
    assert v.figures["eigenvalues_equal"] is False and v.passed is False
    assert v.figures["sgd_crosscheck_level"] == "statistical"


def test_learnability_certified_part_detects_a_wrong_eigenvalue(monkeypatch):
    """A broken hypothesis: the eigenvalue formula with the wrong sign of beta must not meet the Jacobian's."""
    from proofs_checks import learnability_second_moment as chk
    from symdyn.contrastive import claims
    from symdyn.contrastive.model import ContrastiveModel

    laws = chk.default_laws(second_moments=(2,), kurtoses=(1,))
    models = [ContrastiveModel(d=1, activation=sympy.erf, tau=0.5, Delta=0, rho=0, beta=1, laws=laws)]
    systems = [claims.fpm.contrastive_system(models[0])]
    good = chk.certified_part(models, systems, laws, 1)
    assert all(good["jacobian_eigenvalue_meets_formula"])
    # beta = 3 in the formula only (the system keeps beta = 1): disjoint from the Jacobian eigenvalue
    bad_models = [ContrastiveModel(d=1, activation=sympy.erf, tau=0.5, Delta=0, rho=0, beta=3, laws=laws)]
    bad = chk.certified_part(bad_models, systems, laws, 3)
    assert not all(bad["jacobian_eigenvalue_meets_formula"])


def test_noise_correlation_certified_and_reversed_fails():
    from proofs_checks import noise_correlation as chk

    grid = dict(taus=(0.2, 0.5), Deltas=(0.0, 0.5), rhos=(1.0, 0.0, -1.0))
    v = chk.evaluate(**grid)
    assert v.level == "certified" and v.passed is True, v.figures
    assert v.figures["max_radius"] <= 1e-12 and v.figures["undecided_comparisons"] == []
    assert all(r["kind"] == "sink" for r in v.figures["m_star_certified"])
    neg = chk.evaluate(**grid, direction=-1)
    assert neg.passed is False and neg.level == "certified"
    assert neg.figures["m_increases_as_rho_decreases"] is False
    assert neg.figures["gain_grows_with_tau"] is False


def test_compare_balls_refuses_overlaps():
    from flint import arb

    from symdyn.contrastive.certified import compare_balls

    assert compare_balls(arb("1 +/- 0.1"), arb("1.05 +/- 0.1")) is None
    assert compare_balls(arb("1 +/- 0.01"), arb("1.05 +/- 0.01")) == -1
    assert compare_balls({"ball": "[2.0 +/- 1e-30]"}, {"ball": "[1.0 +/- 1e-30]"}) == 1


def test_attraction_local_stability_certified_and_mislabelled_saddle_caught():
    """A broken hypothesis: a mixed saddle passed off as a selected sink is certified a saddle, not counted."""
    import dataclasses

    from proofs_checks import attraction_region_higher_moments as chk
    from symdyn.contrastive import all_fixed_points
    from symdyn.contrastive.model import ContrastiveModel

    model = ContrastiveModel(d=2, activation=sympy.erf, tau=0.5, Delta=0, rho=0, beta=1, laws=chk.default_laws())
    fps = all_fixed_points(model)
    good = chk._certified_local_stability(model, None, fps)
    assert good["local_stability_level"] == "certified"
    assert good["certified_sinks"] == 4 and good["certified_saddles"] == 4
    assert all(r["radius"] <= 1e-12 for r in good["certified_fixed_points"])
    fake = dataclasses.replace(fps["mixed"][0], kind="sink", unstable_dim=0)
    bad = chk._certified_local_stability(model, None, {"selected": [fake], "mixed": []})
    assert bad["certified_sinks"] == 0
    assert bad["certified_fixed_points"][0]["kind"] == "saddle"


@pytest.mark.parametrize("hp", [0, None])
def test_learnability_numerical_route_without_crosscheck_says_so(monkeypatch, hp):
    """Without a high-precision cross-check the claim says none was run (never "None-digit quadrature")."""
    from proofs_checks import learnability_second_moment as chk
    from symdyn.contrastive.certified import NoClosedForm

    def no_closed_form(*a, **k):
        raise NoClosedForm("forced by the test")

    monkeypatch.setattr(chk, "certified_part", no_closed_form)
    v = chk.evaluate(chk.default_laws(second_moments=(2, 2), kurtoses=(1, 5)), structure=False, N=1000, n_runs=8,
                     t_fit=2.0, hp_digits=hp)
    assert v.level == "numerical"
    assert "None-digit" not in v.claim and "0-digit" not in v.claim
    assert "no high-precision cross-check was run" in v.claim and "cross-checked against" not in v.claim
    assert v.figures["high_precision"].startswith("not run")


def test_learnability_claim_states_the_crosscheck_digits():
    from proofs_checks import learnability_second_moment as chk

    assert "cross-checked against 25-digit quadrature" in chk.claim_numerical(25)
    for hp in (0, None):
        c = chk.claim_numerical(hp)
        assert "digit" not in c and "no high-precision cross-check was run" in c


def test_numerical_claims_of_the_neighbouring_checks_claim_no_certificate():
    from proofs_checks import attraction_region_higher_moments as arh
    from proofs_checks import noise_correlation as nc

    for claim in (arh.CLAIM_NUMERICAL, nc.CLAIM_NUMERICAL):
        assert "None-digit" not in claim and "no high-precision cross-check was run" in claim
        assert "certified" not in claim.replace("not certified", "")


def test_verdict_with_arb_figures_serialises():
    """Certified figures may hold arb balls: to_dict / --json must not try to deep-copy them."""
    import json

    from flint import acb, arb

    from symdyn.verdict import Verdict

    v = Verdict("x", "claim", True, "certified", {"ball": arb("1 +/- 1e-20"), "eig": [acb(1, 2)]}, 0.1)
    d = json.loads(v.to_json())
    assert d["figures"]["ball"].startswith("[1") and d["level"] == "certified" and d["passed"] is True
