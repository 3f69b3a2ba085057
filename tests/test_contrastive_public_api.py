"""Public contrastive API: exports, documented signatures, one default activation, CLI commands."""

import inspect
import json
import subprocess
import sys

import numpy as np
import pytest
import sympy

import symdyn.contrastive as sc

PUBLIC = ["learnability_threshold", "learnability_structure", "uninformative_state", "selected_states",
          "mixed_saddles", "all_fixed_points", "steady_state", "steady_state_grid", "separatrix",
          "basin_probabilities", "certified_threshold", "certified_fixed_point", "certified_steady_state_grid"]


@pytest.mark.parametrize("name", PUBLIC)
def test_exported_and_documented(name):
    assert name in sc.__all__
    fn = getattr(sc, name)
    doc = inspect.getdoc(fn) or ""
    assert "Returns" in doc, name
    if name not in ("learnability_structure", "certified_steady_state_grid"):
        assert "Parameters" in doc and "Examples" in doc, name


def test_old_names_still_work():
    from symdyn.contrastive import claims, fixedpoints

    assert claims.steady_state_grid is sc.steady_state_grid
    assert claims.learnability_threshold is sc.learnability_threshold
    assert claims.basin_probabilities is sc.basin_probabilities
    for n in ("uninformative_state", "selected_states", "mixed_saddles"):
        assert getattr(fixedpoints, n) is getattr(sc, n)


def test_one_default_activation():
    from symdyn.contrastive.model import ContrastiveModel
    from symdyn.contrastive.steadystate import grid_model

    default = ContrastiveModel().sigma
    assert grid_model().sigma == default
    assert inspect.signature(sc.steady_state_grid).parameters["activation"].default is None
    from symdyn.contrastive import cli_claims

    assert cli_claims.ACTIVATIONS[cli_claims.DEFAULT_ACTIVATION] == ContrastiveModel().activation


def test_grid_validates_its_input():
    with pytest.raises(ValueError, match="rhos"):
        sc.steady_state_grid([0.5], [0.0], [2.0])
    with pytest.raises(ValueError, match="taus"):
        sc.steady_state_grid([0.0], [0.0], [0.0])
    with pytest.raises(TypeError, match="Deltas"):
        sc.steady_state_grid([0.5], "0", [0.0])


def test_basin_horizon_is_validated():
    from symdyn.contrastive.model import ContrastiveModel

    with pytest.raises(ValueError, match="horizon"):
        sc.basin_probabilities(ContrastiveModel(d=2), horizon=-1.0)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "symdyn", "contrastive", *args], capture_output=True, text=True,
                          timeout=300)


def test_cli_threshold_json_matches_the_api():
    from symdyn.contrastive.model import ContrastiveModel
    from symdyn.hidden import Rademacher

    r = _cli("threshold", "--activation", "erf", "--Delta", "0.5", "--rho", "-1", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    th = sc.learnability_threshold(ContrastiveModel(activation=sympy.erf, Delta=sympy.Rational(1, 2), rho=-1,
                                                    laws=(Rademacher(sympy.sqrt(2)),)))
    assert abs(out["threshold_c2"] - th["threshold_c2"]) < 1e-12
    assert out["level"] == "numerical" and out["features"][0]["learnable"] is True


def test_cli_steady_state_grid_and_errors():
    r = _cli("steady-state", "--activation", "erf", "--tau", "0.5", "--Delta", "0", "0.5", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["rows"]
    assert len(rows) == 2 and all(x["converged"] for x in rows) and rows[1]["m"] < rows[0]["m"]
    bad = _cli("steady-state", "--rho", "3")
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "rho" in bad.stderr
    bad = _cli("threshold", "--kurtosis", "0.5")
    assert bad.returncode == 2 and "kurtosis" in bad.stderr
