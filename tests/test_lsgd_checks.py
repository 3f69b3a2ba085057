"""The five LSGD proofs_checks: each passes on the paper's hypothesis and fails on a broken one."""

from fractions import Fraction as F

import pytest

from flint import fmpq_mat
from proofs_checks import (lsgd_diagonal_class, lsgd_fixed_sigma, lsgd_gd_dimension, lsgd_rate,
                           lsgd_robust_bound)
from symdyn.lsgd import is_reflection_symmetric, laplacian_hessian
from symdyn.lsgd._exact import identity

MODULES = [lsgd_gd_dimension, lsgd_fixed_sigma, lsgd_robust_bound, lsgd_diagonal_class, lsgd_rate]


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.NAME)
def test_module_interface(mod):
    assert mod.NAME == mod.__name__.rsplit(".", 1)[1]
    assert isinstance(mod.CLAIM, str) and mod.CLAIM.endswith(".")


# ---------------------------------------------------------------- gd dimension
def test_gd_dimension_passes():
    v = lsgd_gd_dimension.evaluate(lsgd_gd_dimension.cases(10))
    assert v.passed and v.level == "proved" and v.figures["cases"] == 18


def test_gd_dimension_fails_beyond_stability():
    v = lsgd_gd_dimension.evaluate([([-1, 1, 1, 1], F(2))])  # eta max b = 2: eigenvalues on the circle
    assert v.passed is False


def test_gd_dimension_fails_with_two_negative_directions():
    v = lsgd_gd_dimension.evaluate([([-1, -1, 1, 1], F(1))])
    assert v.passed is False and v.figures["failures"][0]["counts"][2] == 2


# ---------------------------------------------------------------- fixed sigma
def test_fixed_sigma_passes_small():
    cases = [([-1] + [1] * (n - 1), F(1)) for n in range(2, 7)]
    v = lsgd_fixed_sigma.evaluate(cases)
    assert v.passed and v.figures["schedule_counts"] == 15 and v.figures["all_sigma_proofs"] == 5


def test_fixed_sigma_fails_without_saddle_structure():
    v = lsgd_fixed_sigma.evaluate([([-1, -2, 1], F(1, 2))], all_sigma_proof=False)
    assert v.passed is False


def test_fixed_sigma_fails_beyond_stability():
    v = lsgd_fixed_sigma.evaluate([([-1, 1, 1], F(5, 2))], sigmas=(0,), schedules=())
    assert v.passed is False


# ---------------------------------------------------------------- robust bound
SMALL_NS = range(2, 16)


def test_robust_bound_passes_small():
    cases = lsgd_robust_bound.sampled_cases(6, 8)
    cases += [(lsgd_robust_bound.constant_profile(n), F(1), "structural") for n in range(2, 12)]
    cases += [(lsgd_robust_bound.varying_profile(n), F(1, 2), "certified") for n in range(2, 8)]
    v = lsgd_robust_bound.evaluate(cases, ns=SMALL_NS)
    assert v.passed and v.level == "proved" and v.figures["n_failures"] == 0
    assert v.figures["general_n"] == "proved (symbolic)" and v.figures["per_n_symbolic_recheck"] == "2..15"
    levels = {s["statement"].split(":")[0]: s["level"] for s in v.figures["statements"]}
    assert levels["cross-check"] in ("proved", "certified")


def test_robust_bound_fails_on_wrong_claimed_dimension():
    cases = [(lsgd_robust_bound.constant_profile(n), F(1), "taylor") for n in range(2, 6)]
    v = lsgd_robust_bound.evaluate(cases, ns=range(2, 6), expected=lambda n: n // 2)
    assert v.passed is False and v.figures["general_n"] == "fails"


@pytest.mark.parametrize("method", ["taylor", "certified"])
def test_robust_bound_fails_on_non_symmetric_b(method):
    """The claim is equality: a non-symmetric B is outside the class, and its dimension is smaller."""
    v = lsgd_robust_bound.evaluate([([F(-1), F(1), F(2), F(3), F(1)], F(1, 2), method)], ns=SMALL_NS)
    assert v.passed is False
    row = v.figures["failures"][0]
    assert any("reflection" in h for h in row["outside_the_class"])
    if method == "taylor":
        assert row["dim"] == 0


def test_robust_bound_fails_with_two_negative_entries():
    v = lsgd_robust_bound.evaluate([([F(-1), F(1), F(-1), F(1)], F(1, 2), "taylor")], ns=SMALL_NS)
    assert v.passed is False and "exactly one negative" in v.figures["failures"][0]["error"]


def test_robust_bound_fails_without_negative_entry():
    v = lsgd_robust_bound.evaluate([([F(1), F(1), F(1)], F(1), "auto")], ns=SMALL_NS)
    assert v.passed is False and "negative" in v.figures["failures"][0]["error"]


@pytest.mark.parametrize("method", ["structural", "taylor"])
def test_robust_bound_fails_beyond_stability(method):
    v = lsgd_robust_bound.evaluate([(lsgd_robust_bound.constant_profile(4), F(2), method)], ns=SMALL_NS)
    assert v.passed is False and "eta" in v.figures["failures"][0]["error"]


def test_robust_bound_fails_without_the_symbolic_argument():
    cases = [(lsgd_robust_bound.constant_profile(5), F(1), "taylor")]
    v = lsgd_robust_bound.evaluate(cases, ns=SMALL_NS, theorem={"holds": False})
    assert v.passed is False and v.figures["general_n"] == "fails"


# ---------------------------------------------------------------- diagonal class
def test_diagonal_class_passes_small():
    cases = lsgd_diagonal_class.draw_cases(12, 6) + lsgd_diagonal_class.near_symmetric_cases(6)
    v = lsgd_diagonal_class.evaluate(cases, ns=SMALL_NS)
    assert v.passed, v.figures
    assert v.level == "proved" and v.figures["converse_proved_for"] == "n <= 5"
    assert v.figures["symmetric"] > 0 and v.figures["non_symmetric"] > 0


def test_near_symmetric_cases_are_non_symmetric_and_cover_every_pair():
    cases = lsgd_diagonal_class.near_symmetric_cases(7)
    assert cases and all(not is_reflection_symmetric(b) for b in cases)
    assert {len(b) for b in cases} == {3, 4, 5, 6, 7}


def test_diagonal_class_fails_on_wrong_bound():
    cases = [[F(-1), F(1), F(2), F(1)], [F(2), F(-1), F(2), F(3), F(3)]]  # both symmetric
    v = lsgd_diagonal_class.evaluate(cases, ns=SMALL_NS, bound=lambda n: (n - 1) // 2 + 1)
    assert v.passed is False and v.figures["n_counterexamples"] >= 2


def test_diagonal_class_fails_on_two_negative_entries():
    v = lsgd_diagonal_class.evaluate([[F(-1), F(-1), F(2)]], ns=SMALL_NS)
    assert v.passed is False and "exactly one negative" in v.figures["counterexamples"][0]["error"]


def test_diagonal_class_fails_beyond_stability():
    v = lsgd_diagonal_class.evaluate([([F(-1), F(1), F(2)], F(1))], ns=SMALL_NS)  # eta max b = 2
    assert v.passed is False and "eta" in v.figures["counterexamples"][0]["error"]


def test_diagonal_class_reports_a_converse_counterexample(monkeypatch):
    """A non-symmetric profile whose exact dimension reached the bound would refute the converse."""
    from symdyn.lsgd.taylor import TaylorBounds

    monkeypatch.setattr(lsgd_diagonal_class, "taylor_bounds",
                        lambda b, eta: TaylorBounds(n=len(b), rank=len(b) // 2 + 1, closure_dim=len(b), terms=1))
    v = lsgd_diagonal_class.evaluate([[F(-1), F(1), F(2), F(3), F(4)]], ns=SMALL_NS)
    assert v.passed is False and "converse" in v.figures["counterexamples"][0]["kind"]


def test_diagonal_class_fails_without_the_symbolic_argument():
    v = lsgd_diagonal_class.evaluate([[F(-1), F(2), F(2)]], ns=SMALL_NS, theorem={"holds": True})
    assert v.passed is False  # converse_holds missing
    v = lsgd_diagonal_class.evaluate([[F(-1), F(2), F(2)]], ns=SMALL_NS,
                                     theorem={"holds": False, "converse_holds": True})
    assert v.passed is False and v.figures["general_n"] == "fails"


# ---------------------------------------------------------------- rate
def test_rate_passes_small():
    v = lsgd_rate.evaluate(lsgd_rate.range_cases(5) + lsgd_rate.rate_cases(6))
    assert v.passed and v.figures["unrestricted_claim_counterexample"]["lsgd_no_worse"] is False


def test_rate_fails_for_identity_hessian():
    v = lsgd_rate.evaluate([(identity(4), F(1), F(1), F(1, 2), F(1), True)])
    assert v.passed is False


def test_rate_fails_when_sigma_exceeds_beta_over_alpha():
    B = laplacian_hessian(6, 1, 1)
    v = lsgd_rate.evaluate([(B, F(1), F(5), F(1, 10), F(10), True)])
    assert v.passed is False


def test_rate_fails_when_not_strongly_convex():
    B = fmpq_mat([[-1, 0], [0, 1]])
    v = lsgd_rate.evaluate([(B, F(-1), F(1), F(1, 2), F(1), False)])
    assert v.passed is False


def test_rate_fails_on_wrong_extreme_eigenvalue():
    B = laplacian_hessian(4, 1, 1)
    v = lsgd_rate.evaluate([(B, F(1), F(4), F(1, 4), F(1), False)])
    assert v.passed is False


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.NAME)
def test_default_run_passes(mod):
    v = mod.run()
    assert v.passed, v.figures
    assert v.level in ("proved", "certified")
    assert v.to_json()
