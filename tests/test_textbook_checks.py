"""Textbook checks pass on the textbook answers and fail on wrong ones."""

from fractions import Fraction

import pytest
import sympy

import proofs_checks
from proofs_checks import (textbook_damped_oscillator, textbook_logistic_map, textbook_lotka_volterra,
                           textbook_pitchfork)
from symdyn.verdict import Verdict

MODULES = [textbook_damped_oscillator, textbook_lotka_volterra, textbook_pitchfork, textbook_logistic_map]


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.NAME)
def test_check_is_discovered_and_passes(mod):
    assert mod.NAME in proofs_checks.available()
    assert isinstance(mod.CLAIM, str) and mod.CLAIM.endswith(".")
    v = mod.run()
    assert isinstance(v, Verdict) and v.name == mod.NAME
    assert v.passed, v.figures
    assert v.level == "proved"
    v.to_json()  # figures are serialisable


# --------------------------------------------------------- damped oscillator
def test_damped_focus_node_boundary_wrong():
    # claim: zeta in (1, 2) still gives a focus
    v = textbook_damped_oscillator.evaluate(
        [Fraction(1, 2), Fraction(3, 2)], expected=lambda z: "focus" if z < 2 else "node", integrate_zetas=()
    )
    assert v.passed is False
    assert v.figures["n_mismatches"] == 1


def test_damped_critical_claimed_focus_fails():
    v = textbook_damped_oscillator.evaluate([1], expected=lambda z: "focus" if z <= 1 else "node",
                                            integrate_zetas=())
    assert v.passed is False


def test_damped_integration_tolerance_can_fail():
    v = textbook_damped_oscillator.evaluate([Fraction(1, 2)], integrate_zetas=(Fraction(1, 2),), tol=1e-14)
    assert v.passed is False and v.figures["integration_max_error"] > 1e-14


def test_damped_rejects_nonpositive():
    with pytest.raises(ValueError, match="zeta"):
        textbook_damped_oscillator.evaluate([0], integrate_zetas=())


# ------------------------------------------------------------ Lotka-Volterra
LV = textbook_lotka_volterra


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(points=((0, 0), (LV.alpha / LV.beta, LV.gamma / LV.delta))),  # swapped coordinates
        dict(kinds=("saddle", "sink")),  # centre claimed asymptotically stable
        dict(first_integral=LV.delta * LV.x - LV.gamma * sympy.log(LV.x) + LV.beta * LV.y),  # missing term
    ],
    ids=["swapped-point", "centre-as-sink", "wrong-first-integral"],
)
def test_lotka_volterra_wrong_hypotheses_fail(kwargs):
    v = LV.evaluate(grid=[(2, Fraction(1, 2), 3, 1)], t_end=5.0, **kwargs)
    assert v.passed is False and v.figures["problems"]


# ----------------------------------------------------------------- pitchfork
def test_pitchfork_three_equilibria_for_negative_r_fails():
    v = textbook_pitchfork.evaluate([-1, 1], expected=lambda r: ["sink", "source", "sink"])
    assert v.passed is False
    assert any("r=-1" in p for p in v.figures["problems"])


def test_pitchfork_subcritical_claim_fails():
    v = textbook_pitchfork.evaluate([1], supercritical=False)
    assert v.passed is False


def test_pitchfork_wrong_stability_of_branches_fails():
    v = textbook_pitchfork.evaluate([2], expected=lambda r: ["source", "sink", "source"])
    assert v.passed is False


# ------------------------------------------------------------- logistic map
def test_logistic_wrong_first_flip_fails():
    v = textbook_logistic_map.evaluate((sympy.Rational(31, 10), 1 + sympy.sqrt(6)))
    assert v.passed is False
    assert any("31/10" in p for p in v.figures["problems"])


@pytest.mark.slow
def test_logistic_wrong_second_flip_fails():
    v = textbook_logistic_map.evaluate((3, sympy.Rational(345, 100)))
    assert v.passed is False


def test_logistic_rejects_strings():
    with pytest.raises(TypeError):
        textbook_logistic_map.evaluate(("3", "1+sqrt(6)"))
