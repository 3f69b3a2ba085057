"""Learnability thresholds over the spec's settings: certified for erf, numerical (and fast) for tanh.

Settings: additive augmentation with Delta in {0, 1/2, 1} x rho in {1, 0, -1}
and resample augmentation with rho in {1, 1/2} (tau = 1/2, beta = 1, one
feature with the Rademacher(sqrt 2) law, <c^2> = 2).  The default run checks
one or two genuinely 2-D settings; the full grids are ``slow``.
Timings are measured by ``tools/threshold_timings.py``, never asserted here.
"""

import math

import pytest
import sympy
from flint import arb

from symdyn.contrastive import ContrastiveModel, learnability_threshold
from symdyn.contrastive.certified import certified_threshold
from symdyn.hidden import Rademacher

HALF = sympy.Rational(1, 2)
ADDITIVE = [("additive", D, r) for D in (0, HALF, 1) for r in (1, 0, -1)]
RESAMPLE = [("resample", 0, r) for r in (1, HALF)]
SETTINGS = ADDITIVE + RESAMPLE
TWO_D = [("additive", HALF, -1), ("resample", 0, HALF)]  # genuinely 2-D pairs of views


def _model(activation, aug, Delta, rho, law=None):
    return ContrastiveModel(d=1, activation=activation, tau=HALF, Delta=Delta, rho=rho, beta=1, augmentation=aug,
                            laws=(law or Rademacher(sympy.sqrt(2)),))


def _ball(rec):
    return arb(rec["ball"])


def _check_certified(aug, Delta, rho):
    model = _model(sympy.erf, aug, Delta, rho)
    c = certified_threshold(model)
    assert c["level"] == "certified"
    assert c["max_radius"] <= 1e-12
    for k in ("Q_star", "G", "S", "threshold_c2"):
        assert c[k]["radius"] <= 1e-12
        lo, hi = c[k]["interval"]
        assert lo <= hi
    # the float route (compiled quadrature, bracketing root finder) lands inside / next to the balls
    fl = learnability_threshold(model)
    for k in ("Q_star", "G", "S", "threshold_c2"):
        assert abs(float(_ball(c[k]).mid()) - fl[k]) < 1e-9, (k, c[k], fl[k])
    # the threshold decides the certified sign: <c^2> = 2 against the threshold ball (G > 0 here)
    assert c["G_sign"] == 1
    th = _ball(c["threshold_c2"])
    expected = 1 if th < 2 else -1 if th > 2 else None
    assert expected is not None and c["eigenvalues"][0]["sign"] == expected
    # negative control: a value 1e-10 off Q* is outside its ball
    q = _ball(c["Q_star"])
    assert not q.contains(q.mid() + arb("1e-10"))
    return c


@pytest.mark.parametrize("aug, Delta, rho", TWO_D[:1])
def test_certified_threshold_one_2d_setting(aug, Delta, rho):
    c = _check_certified(aug, Delta, rho)
    assert c["S"]["interval"][1] < 0  # rho = -1 makes the Delta term negative


@pytest.mark.slow
@pytest.mark.parametrize("aug, Delta, rho", SETTINGS)
def test_certified_threshold_every_setting(aug, Delta, rho):
    c = _check_certified(aug, Delta, rho)
    if aug == "resample" or Delta == 0:
        assert c["S"]["radius"] == 0 and c["S"]["interval"][0] <= 0 <= c["S"]["interval"][1]


def test_certified_thresholds_at_delta_zero_do_not_depend_on_rho():
    """Delta = 0: the views coincide, rho must drop out -- the three certified thresholds overlap."""
    balls = [_ball(certified_threshold(_model(sympy.erf, "additive", 0, r))["threshold_c2"]) for r in (1, -1)]
    assert balls[0].overlaps(balls[1])
    other = _ball(certified_threshold(_model(sympy.erf, "additive", HALF, 0))["threshold_c2"])
    assert not other.overlaps(balls[0])  # and a different setting is told apart


def _check_tanh(aug, Delta, rho, law=None):
    from symdyn.contrastive import fixedpoints as fpm

    model = _model(sympy.tanh, aug, Delta, rho, law)
    th = learnability_threshold(model)
    assert th["level"] == "numerical" and "certified" not in th
    assert th["Q_star"] > 0 and math.isfinite(th["threshold_c2"])
    # the eigenvalue formula tau(<c^2> G + S - beta) meets the compiled Jacobian's R entry
    assert abs(th["eigenvalue_formula"][0] - th["eigenvalue_jacobian"][0]) < 1e-8
    # Q* is a root of dQ/dt at R = 0
    fld = fpm.fast_field(fpm.contrastive_system(model))
    assert abs(fld.f(th["uninformative"].values)[1]) < 1e-10
    return th


def test_tanh_threshold_resample_2d_views_is_fast_and_consistent():
    """Resample, rho = 1/2, Rademacher(sqrt 2): once 21 minutes (2-D mpmath confirmation), now the compiled route."""
    th = _check_tanh("resample", 0, HALF)
    assert th["S"] == 0 and th["G"] > 0
    # <c^2> = 2 is far above this threshold (about 0.69): the R-eigenvalue is positive
    assert th["threshold_c2"] < 2 and th["eigenvalue_formula"][0] > 0


def test_tanh_certify_refuses_without_closed_forms():
    from symdyn.contrastive.certified import NoClosedForm

    with pytest.raises(NoClosedForm, match="numerically"):
        certified_threshold(_model(sympy.tanh, "additive", HALF, 0))


@pytest.mark.slow
@pytest.mark.parametrize("aug, Delta, rho", SETTINGS)
def test_tanh_threshold_every_setting(aug, Delta, rho):
    _check_tanh(aug, Delta, rho)


@pytest.mark.slow
def test_high_precision_route_meets_the_certified_balls_for_erf():
    """The opt-in 25-digit quadrature behind the tanh cross-check, tested where the truth is known (erf balls)."""
    from flint import ctx

    model = _model(sympy.erf, "additive", HALF, -1)
    th = learnability_threshold(model, confirm_digits=25, certify=True)
    hp, c = th["high_precision"], th["certified"]
    old, ctx.prec = ctx.prec, 192
    try:
        for k in ("Q_star", "G", "S", "threshold_c2"):
            assert abs(arb(hp[k]) - arb(c[k]["ball"])) < arb("1e-20"), (k, hp[k], c[k]["ball"])
        # and a 1e-15 error in the reference would be seen
        assert not abs(arb(hp["Q_star"]) + arb("1e-15") - arb(c["Q_star"]["ball"])) < arb("1e-20")
    finally:
        ctx.prec = old


@pytest.mark.slow
def test_tanh_steady_state_grid_36_points_completes():
    from symdyn.contrastive import steady_state_grid

    taus, Deltas, rhos = [0.2, 0.5, 1.0], [0.0, 0.5, 1.0], [1.0, 0.0, -0.5, -1.0]
    rows, info = steady_state_grid(taus, Deltas, rhos, activation=sympy.tanh)
    assert len(rows) == 36
    for r in rows:
        assert isinstance(r["status"], str) and r["status"]
        if r["converged"]:
            assert r["kind"] == "sink" and 0 <= r["m"] <= 1 and r["Q"] > 0
    assert all(r["converged"] for r in rows), [r["status"] for r in rows if not r["converged"]]
    # Delta = 0: rho drops out of the model, so m* is the same for every rho
    for t in taus:
        ms = [r["m"] for r in rows if r["tau"] == t and r["Delta"] == 0.0]
        assert max(ms) - min(ms) < 1e-9
    # at Delta > 0 with an informative sink, m* rises as rho falls (the spec's claim 3, numerically)
    for t in taus:
        for D in (0.5,):
            ms = [r["m"] for r in rows if r["tau"] == t and r["Delta"] == D]
            assert all(a < b for a, b in zip(ms, ms[1:])), ms
