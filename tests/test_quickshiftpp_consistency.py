"""The quickshiftpp_consistency check passes on its claim and fails on broken hypotheses."""

import proofs_checks
from proofs_checks import quickshiftpp_consistency as check


def test_discovered_with_claim():
    assert "quickshiftpp_consistency" in proofs_checks.available()
    assert check.NAME == "quickshiftpp_consistency" and check.CLAIM.endswith(".")


def test_default_run_passes():
    v = check.run()
    assert v.passed is True and v.level == "numerical"
    table = v.figures["table"]
    assert [r["n"] for r in table] == [1_000, 3_000, 10_000, 20_000]
    assert table[-1]["n_clusters"] == 3 and table[-1]["ari"] >= 0.99
    assert "| 20000 |" in check.format_table(v)


def test_fails_when_k_is_fixed_too_small():
    v = check.evaluate([1_000, 3_000, 6_000], k_rule=lambda n: 10)
    assert v.passed is False
    assert v.figures["final_clusters"] > 3  # over-segmentation is the evidence


def test_fails_on_a_wrong_true_count():
    v = check.evaluate([1_000, 2_000], true_count=4)
    assert v.passed is False


def test_fails_when_beta_zero_quickshift_like():
    v = check.evaluate([2_000, 4_000], beta=0.0, k_rule=check.sqrt_rule(0.3))
    assert v.passed is False
