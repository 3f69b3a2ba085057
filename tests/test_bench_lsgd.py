"""`symdyn bench lsgd --quick`: correctness of the routes it times (never the timings)."""

import copy
import json
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symdyn.benchmarks.lsgd import ETA, random_symmetric_profile, run_benchmark, verify


@pytest.fixture(scope="module")
def quick():
    """One `--quick` run through the CLI; `-o -` puts the JSON alone on stdout, the report on stderr."""
    p = subprocess.run([sys.executable, "-m", "symdyn", "bench", "lsgd", "--quick", "-o", "-"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout), p.stderr


def test_quick_every_check_passes(quick):
    res, report = quick
    assert res["mode"] == "quick"
    assert res["checks"] and all(res["checks"].values()), res["checks"]
    assert verify(res) == res["checks"]  # the flags are recomputed from the raw numbers
    assert "Checks (correctness of this run" in report and "FAIL" not in report


def test_quick_symbolic_proof_and_per_n_recheck(quick):
    res, _ = quick
    steps = {r["step"]: r["holds"] for r in res["whole_class"]["rows"]}
    assert steps["whole_class_theorem(include_converse=False)"] and steps["window_lemma()"]
    assert steps["recurrence_lemma()"] and steps["converse_lemma(4)"]
    per_n = res["per_n"]
    assert per_n["n_max"] == 32 and per_n["symmetric"]["all_hold"] and per_n["general"]["all_hold"]
    assert [r["n"] for r in per_n["symmetric"]["rows"]][-1] == 32


def test_quick_certified_route_meets_the_exact_lower_bound(quick):
    rows = quick[0]["certified"]["rows"]
    assert [r["n"] for r in rows] == [8, 16]
    for r in rows:
        assert r["certified"] and r["lower"] == r["upper"] == (r["n"] - 1) // 2
        assert r["precision_bits"] >= 64
    dense = [r for r in rows if "dense_upper" in r]
    assert dense and all(r["dense_certified"] and r["dense_upper"] == r["upper"] for r in dense)


def test_quick_same_task_routes_agree(quick):
    res, _ = quick
    for r in res["naive_upper"]["rows"]:
        assert r["status"] == "ok" and r["naive_upper"] == r["certified_upper"] == r["n"] - (r["n"] // 2 + 1)
    for r in res["counts"]["rows"]:
        assert r["inertia"] == r["charpoly"] == [r["n"] - 1, 0, 1]
    for r in res["counts"]["naive_rows"]:
        assert r["status"] == "ok" and r["undecided"] == 0 and r["naive"] == r["inertia"]


@pytest.mark.parametrize("path, value", [
    (("counts", "rows", 0, "charpoly"), [2, 1, 1]),
    (("certified", "rows", 1, "certified"), False),
    (("certified", "rows", 0, "upper"), 4),
    (("naive_upper", "rows", 1, "naive_upper"), 0),
    (("naive_upper", "rows", 1, "agrees"), False),
    (("per_n", "general", "all_hold"), False),
    (("whole_class", "rows", 1, "holds"), False),
    (("counts", "naive_rows", 0, "naive"), [3, 0, 0]),
])
def test_verify_fails_on_a_broken_result(quick, path, value):
    res = copy.deepcopy(quick[0])
    node = res
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert not all(verify(res).values())


@given(st.integers(2, 200), st.integers(0, 2**32))
def test_profiles_are_reflection_symmetric_saddles(n, seed):
    b = random_symmetric_profile(n, seed)
    assert len(b) == n and b[0] < 0 < min(b[1:]) and all(b[j] == b[n - j] for j in range(1, n))
    assert ETA * max(b) < 2 and all(isinstance(v, Fraction) for v in b)
    assert random_symmetric_profile(n, seed) == b


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"certified_ns": (1,)}, ValueError, "certified_ns"),
    ({"counts_ns": (1000,)}, ValueError, "counts_ns"),
    ({"certified_ns": "8"}, TypeError, "certified_ns"),
    ({"symbolic_n_max": 5000}, ValueError, "symbolic_n_max"),
    ({"naive_timeout": 0}, ValueError, "naive_timeout"),
    ({"seed": -1}, ValueError, "seed"),
    ({"quick": "yes"}, TypeError, "quick"),
])
def test_bad_sizes_are_refused_before_any_work(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        run_benchmark(**kwargs)


def test_docstring_examples_run():
    import doctest

    import symdyn.benchmarks.lsgd as mod

    res = doctest.testmod(mod)
    assert res.failed == 0 and res.attempted > 0
