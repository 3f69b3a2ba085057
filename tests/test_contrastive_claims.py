"""The contrastive claim checks and their negative controls (broken hypotheses must fail)."""

import numpy as np
import pytest
import sympy

from symdyn.contrastive import claims


def test_wilson_interval_contains_proportion():
    lo, hi = claims.wilson_interval(30, 100)
    assert lo < 0.3 < hi and 0 < lo and hi < 1
    assert claims.wilson_interval(0, 0) == (0.0, 1.0)


def test_threshold_formula_matches_jacobian_and_separates_learnable_laws():
    from symdyn.contrastive.model import ContrastiveModel
    from symdyn.hidden import Rademacher

    model = ContrastiveModel(d=1, activation=sympy.erf, tau=sympy.Rational(1, 2), laws=(Rademacher(sympy.sqrt(2)),))
    th = claims.learnability_threshold(model)
    assert abs(th["eigenvalue_formula"][0] - th["eigenvalue_jacobian"][0]) < 1e-8
    assert th["G"] > 0 and 0 < th["threshold_c2"] < 2
    # the sign of the eigenvalue flips at the threshold
    lam = lambda m2: 0.5 * (m2 * th["G"] + th["S"] - 1.0)  # noqa: E731
    assert lam(th["threshold_c2"] * 1.01) > 0 > lam(th["threshold_c2"] * 0.99)


def test_learnability_negative_control_unequal_second_moments_fails():
    from proofs_checks import learnability_second_moment as chk

    laws = chk.default_laws(second_moments=(1, 2, 3), kurtoses=(1, 5, 20))
    v = chk.evaluate(laws, structure=False, N=10_000, n_runs=40, t_fit=2.0)
    assert v.passed is False
    assert v.figures["eigenvalues_equal"] is False
    # the SGD rates do follow the (different) ODE rates: the failure is the claim's, not the numerics'
    assert v.figures["sgd_rates_match_ode"] is True


def test_noise_correlation_reversed_ordering_fails():
    from proofs_checks import noise_correlation as chk

    v = chk.evaluate(taus=(0.2, 0.8), Deltas=(0.0, 0.5), rhos=(1.0, 0.0, -1.0), direction=-1)
    assert v.passed is False
    assert v.figures["m_increases_as_rho_decreases"] is False
    assert v.figures["gain_grows_with_tau"] is False


def test_learnability_structure_linear_order_and_wrong_formula_detected():
    st = claims.learnability_structure(sympy.erf, order=1)
    assert st["block_diagonal"] and st["eigenvalue_matches"] and st["higher_moments_absent"]
    assert st["moments_in_eigenvalue"] == ["m2"]

    def wrong(model, Q):  # the fourth moment in place of the second
        G, S = claims.spec_G_S(model, Q)
        return model.tau * (model.laws[0].moment(4) * G + S - model.beta)

    assert claims.learnability_structure(sympy.erf, order=1, claimed=wrong)["eigenvalue_matches"] is False

    def no_delta_term(model, Q):  # dropping S is refuted too (Delta is symbolic)
        G, _ = claims.spec_G_S(model, Q)
        return model.tau * (model.laws[0].moment(2) * G - model.beta)

    assert claims.learnability_structure(sympy.erf, order=1, claimed=no_delta_term)["eigenvalue_matches"] is False


@pytest.mark.slow
def test_noise_correlation_passes():
    from proofs_checks import noise_correlation as chk

    v = chk.run()
    assert v.passed is True, v.figures


@pytest.mark.slow
def test_learnability_structure_exact_and_wrong_formula_detected():
    st = claims.learnability_structure(sympy.erf)
    assert st["block_diagonal"] and st["eigenvalue_matches"]
    assert st["moments_in_eigenvalue"] == ["m2"] and "m4" in st["moments_in_expansion"]
    # a formula with the fourth moment in place of the second is refuted
    from symdyn.hidden import GeneralLaw

    def wrong(model, Q):
        G, S = claims.spec_G_S(model, Q)
        m4 = model.laws[0].moment(4)
        return model.tau * (m4 * G + S - model.beta)

    bad = claims.learnability_structure(sympy.erf, claimed=wrong)
    assert bad["eigenvalue_matches"] is False


@pytest.mark.slow
def test_learnability_check_passes():
    from proofs_checks import learnability_second_moment as chk

    v = chk.run()
    assert v.passed is True, v.figures


@pytest.mark.slow
def test_attraction_region_passes_and_equal_fourth_moments_fail():
    from proofs_checks import attraction_region_higher_moments as chk

    v = chk.run()
    assert v.passed is True, v.figures
    assert abs(v.figures["p1_geometry"] - 0.5) > 0.05
    neg = chk.evaluate(chk.default_laws(equal_fourth=True))
    assert neg.passed is False
    assert abs(neg.figures["p1_geometry"] - 0.5) < 0.02
