"""The contrastive checks decide their comparisons with certified enclosures for erf."""

import sympy

from proofs_checks import noise_correlation as nc

GRID = dict(taus=(0.2, 0.5), Deltas=(0.0, 0.5), rhos=(1.0, 0.0, -1.0))


def test_noise_correlation_certified_for_erf():
    v = nc.evaluate(**GRID)
    assert v.passed is True and v.level == "certified", v.figures["certified"]
    assert all(v.figures[k] for k in v.figures if k.endswith("_certified"))
    assert len(v.figures["m_star_enclosures"]) == 12
    for ball in v.figures["m_star_enclosures"].values():
        assert "+/-" in ball and float(ball.split("+/-")[1].strip(" ]")) <= 1e-12


def test_noise_correlation_reversed_claim_fails_at_the_certified_level():
    v = nc.evaluate(**GRID, direction=-1)
    assert v.passed is False
    assert v.figures["m_increases_as_rho_decreases_certified"] is False
    assert v.figures["gain_grows_with_tau_certified"] is False


def test_tanh_stays_numerical_and_says_why():
    v = nc.evaluate(taus=(0.5,), Deltas=(0.0, 0.5), rhos=(0.0, -1.0), activation=sympy.tanh)
    assert v.level == "numerical"
    assert v.figures["certified"].startswith("not certified")
