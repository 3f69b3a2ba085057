import json

import pytest

from symdyn.cli import main
from symdyn.verdict import Verdict, jsonable


def test_verdict_rejects_unknown_level():
    with pytest.raises(ValueError, match="level"):
        Verdict(name="x", claim="c", passed=True, level="plausible")


def test_jsonable_converts_numbers():
    import numpy as np
    import sympy

    out = jsonable({"a": np.float64(1.5), "b": sympy.Rational(1, 3), "c": [np.int64(2)], "d": float("nan")})
    assert out == {"a": 1.5, "b": "1/3", "c": [2], "d": "nan"}
    json.dumps(out)


def test_unknown_check_is_usage_error(capsys):
    assert main(["check", "--only", "no_such_claim"]) == 2
    assert "unknown check" in capsys.readouterr().err


def test_help_exits_zero():
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0


def test_check_streams_one_line_per_verdict(capsys):
    assert main(["check", "--only", "textbook_pitchfork,textbook_logistic_map"]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0] == "running 2 checks: textbook_pitchfork, textbook_logistic_map"
    streamed = [line for line in lines if line.startswith("[")]
    assert len(streamed) == 2
    assert streamed[0].startswith("[1/2] PASS textbook_pitchfork (proved,")
    assert streamed[1].startswith("[2/2] PASS textbook_logistic_map (proved,")
    assert "2/2 claims pass" in out and "running" not in out  # stdout stays the table


def test_check_wide_shows_full_figures(capsys):
    assert main(["check", "--only", "textbook_logistic_map"]) == 0
    narrow = capsys.readouterr().out
    assert main(["check", "--only", "textbook_logistic_map", "--wide"]) == 0
    wide = capsys.readouterr().out
    assert "..." in narrow and "cycle_discriminant=" not in narrow
    assert "cycle_discriminant=" in wide and "..." not in wide


def test_check_json_stdout_is_only_json(capsys):
    assert main(["check", "--only", "textbook_pitchfork", "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [v["name"] for v in data] == ["textbook_pitchfork"] and data[0]["passed"] is True
    assert "[1/1] PASS textbook_pitchfork" in err


def test_check_streams_a_failing_verdict(capsys, monkeypatch):
    import proofs_checks

    class Broken:
        CLAIM = "a check that crashes"

        @staticmethod
        def run(full=False):
            raise RuntimeError("broken hypothesis")

    real_load = proofs_checks.load
    monkeypatch.setattr(proofs_checks, "load",
                        lambda name: Broken if name == "textbook_pitchfork" else real_load(name))
    assert main(["check", "--only", "textbook_pitchfork"]) == 1
    out, err = capsys.readouterr()
    assert "[1/1] FAIL textbook_pitchfork (numerical," in err and "broken hypothesis" in err
    assert "0/1 claims pass" in out


def test_check_announces_before_running():
    """The first stderr line comes before any check runs (the 2 s promise; timing is not asserted here)."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "symdyn", "check", "--only", "textbook_pitchfork"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()
    rest = proc.communicate(timeout=120)[1]
    assert first.startswith("running 1 check: textbook_pitchfork")
    assert rest.startswith("[1/1] PASS textbook_pitchfork")


def test_progress_plain_lines_off_a_terminal(capsys):
    from symdyn._progress import Progress

    with Progress(20, "work", unit="step", every=0.25) as bar:
        for _ in range(20):
            bar.update()
    err = capsys.readouterr().err.splitlines()
    assert err == ["work: 20 steps", "work: 5/20 steps (25%)", "work: 10/20 steps (50%)", "work: 15/20 steps (75%)",
                   "work: 20/20 steps (100%)"]
    with Progress(20, "quiet", enabled=False) as bar:
        bar.update(20)
    assert capsys.readouterr().err == ""


def test_portrait_reports_progress(capsys):
    """The basin map reports its integration on stderr (plain lines here: stderr is not a terminal)."""
    import sympy

    from symdyn.contrastive import ContrastiveModel, basin_map
    from symdyn.hidden import Rademacher, law_with_moments

    model = ContrastiveModel(d=2, laws=(Rademacher(sympy.sqrt(2)), law_with_moments(2, 2)))
    out = basin_map(model, n_grid=4, t_max=8.0)
    err = capsys.readouterr().err
    assert "portrait: basin map (3 starts): 2 chunks" in err and "2/2 chunks (100%)" in err  # 1 of 4 cells: |R|^2 >= Q0
    assert out["feature"].shape == (4, 4)
