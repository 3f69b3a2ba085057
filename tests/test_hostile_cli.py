"""Hostile command lines (issue 11, items 4, 9, 10 and the campaign).

Every anticipated error must be one ``symdyn: error`` line on stderr with exit code 2
(argparse usage errors: its usage block and exit code 2), never a traceback, never
garbage with exit code 0.
"""

import json
import os
import subprocess
import sys

import pytest

from symdyn.cli import main

SIM = ["contrastive", "simulate", "--no-ode", "--runs", "2", "--t-max", "0.05", "--N", "200", "--n-times", "3"]
SIM_ODE = ["contrastive", "simulate", "--no-sgd", "--t-max", "0.5", "--n-times", "3"]


def run(argv, capsys):
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse
        rc = exc.code
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def assert_clean_error(rc, err, word=None):
    assert rc == 2, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if "error:" in line]
    assert len(errors) == 1, err
    if word:
        assert word in errors[0], errors[0]


# ---------------------------------------------------------------- item 4: overflow, garbage with exit 0
@pytest.mark.parametrize("argv,word", [
    (["contrastive", "simulate", "--N", "1000000000000000000000", "--no-ode", "--t-max", "0.01"], "N = "),
    (["contrastive", "simulate", "--N", "99999999999999999999999999999", "--no-ode", "--t-max", "0.01"], "cap"),
    (["contrastive", "simulate", "--no-ode", "--t-max", "1e300"], "SGD steps"),
    (["contrastive", "simulate", "--t-max", "1e300"], "exceeds the cap"),
    (["contrastive", "simulate", "--no-ode", "--t-max", "nan"], "t-max"),
    (["contrastive", "simulate", "--no-ode", "--t-max", "-1"], "t-max"),
    (["contrastive", "simulate", "--no-ode", "--N", "0"], "N"),
    (["contrastive", "simulate", "--no-ode", "--N", "1e3"], "N"),
])
def test_simulate_overflow_refused(argv, word, capsys):
    rc, out, err = run(argv, capsys)
    assert_clean_error(rc, err, word)
    assert out == ""


# ---------------------------------------------------------------- item 10: tracebacks
@pytest.mark.parametrize("argv,word", [
    (SIM + ["--d", "17"], "d = 17 exceeds the cap 16"),            # was RuntimeError
    (SIM + ["--tau", "1e300"], "tau"),                              # was OverflowError
    (["contrastive", "simulate", "--no-ode", "--N", "200", "--t-max", "0.01", "--runs", "100000000000"],
     "n_runs"),                                                     # was MemoryError
    (["contrastive", "odes", "--d", "8", "--d2", "4"], "symbolic derivation"),   # item 9: hang
    (["contrastive", "odes", "--d2", "6"], "symbolic derivation"),
    (["contrastive", "steady-state", "--tau", "1e300"], "cap"),
    (["contrastive", "steady-state", "--rho", "2"], "rho"),
    (["contrastive", "threshold", "--tau", "nan"], "tau"),
    (["contrastive", "threshold", "--confirm-digits", "100000"], "digits = 100000 exceeds the cap"),  # hang
    (["contrastive", "portrait", "--grid", "100000"], "n_grid"),
])
def test_no_traceback(argv, word, capsys):
    rc, _, err = run(argv, capsys)
    assert_clean_error(rc, err, word)


@pytest.mark.parametrize("opt", ["--tau", "--Delta", "--beta", "--lam", "--second-moment"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1e300"])
def test_bad_float_options(opt, value, capsys):
    rc, _, err = run(SIM + [opt, value], capsys)
    assert_clean_error(rc, err)


@pytest.mark.parametrize("argv", [
    SIM + ["--rho", "2"], SIM + ["--rho", "nan"], SIM + ["--d", "0"], SIM + ["--d2", "0"], SIM + ["--d2", "17"],
    SIM + ["--R0", "0.1", "0.2"], SIM + ["--R0", "nan"], SIM + ["--R0", "2"], SIM + ["--Q0", "-1"],
    SIM + ["--Q0", "inf"], SIM + ["--no-sgd"], SIM + ["--law", "sparse-ternary", "--kurtosis", "0.5"],
    SIM + ["--seed", "-1"], SIM + ["--activation", "__import__('os')"], SIM + ["--format", "xml"],
    SIM[:-2] + ["--n-times", "0"], SIM[:-2] + ["--n-times", "1000000000000"],
    ["contrastive", "simulate", "--no-ode", "--engine", "full", "--runs", "1000", "--N", "100000000",
     "--t-max", "0.01"],
    ["check", "--only", "no_such_check"], ["no-such-command"], ["bench", "nosuch"],
    ["latex", "lsgd", "--n", "100000", "-o", "x.tex"],
])
def test_campaign_refusals(argv, capsys):
    rc, _, err = run(argv, capsys)
    assert_clean_error(rc, err)


@pytest.mark.parametrize("make_argv", [
    lambda d: SIM + ["-o", str(d)],
    lambda d: SIM + ["--png", str(d), "-o", str(d / "x.json")],
    lambda d: ["contrastive", "odes", "-o", str(d)],
    lambda d: SIM + ["-o", str(d / "no" / "such" / "out.json")],
    lambda d: ["latex", "lsgd", "--n", "5", "-o", str(d)],
    lambda d: ["bench", "lsgd", "--quick", "-o", str(d)],
])
def test_output_directories_refused(tmp_path, make_argv, capsys):
    rc, _, err = run(make_argv(tmp_path), capsys)
    assert_clean_error(rc, err)


def test_cluster_directory_input_and_output(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("\n".join(f"{i % 7},{(i * 3) % 5}" for i in range(40)) + "\n")
    for argv in (["cluster", str(tmp_path)], ["cluster", str(data), "-o", str(tmp_path)]):
        rc, _, err = run(argv, capsys)
        assert_clean_error(rc, err, "directory")


def test_simulate_right_answer(capsys):
    rc, out, err = run(SIM, capsys)
    data = json.loads(out)
    assert rc == 0
    assert all(abs(m) <= 1 + 1e-9 for s in data["sgd"] for row in s["mean_m"] for a in row for m in a)
    assert data["t"][0] == 0 and data["t"] == sorted(data["t"])


# ---------------------------------------------------------------- broken pipes (subprocess)
@pytest.mark.parametrize("cmd", [
    "contrastive odes --format json | head -c 10",
    "contrastive simulate --no-ode --runs 2 --N 200 --t-max 0.5 --n-times 2000 --format csv | head -n 1",
    "lsgd robust --n 40 --json | head -n 2",
])
def test_closed_pipe_is_quiet(cmd):
    p = subprocess.run(["bash", "-c", f"{sys.executable} -m symdyn {cmd} >/dev/null"], capture_output=True,
                       text=True, timeout=180)
    for word in ("Traceback", "Exception ignored", "BrokenPipeError"):
        assert word not in p.stderr, p.stderr


def test_subprocess_error_is_one_line():
    p = subprocess.run([sys.executable, "-m", "symdyn", "contrastive", "simulate", "--d", "17", "--no-ode"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert [line for line in p.stderr.splitlines() if "error" in line] == \
        ["symdyn: error: d = 17 exceeds the cap 16; see 'Input caps' in the README"]


@pytest.mark.parametrize("argv_of", [
    lambda d: ["contrastive", "portrait", "-o", str(d)],          # rendered ~20 s, then refused
    lambda d: ["contrastive", "simulate", "--runs", "2", "--N", "200", "--t-max", "0.05", "--png", str(d / "f")],
    lambda d: ["contrastive", "odes", "-o", ""],
])
def test_bad_destination_refused_before_work(tmp_path, argv_of, capsys):
    os.mkfifo(tmp_path / "f")
    rc, out, err = run(argv_of(tmp_path), capsys)
    assert_clean_error(rc, err)
    assert "simulate:" not in err and out == ""               # nothing ran


def test_every_sgd_run_checked_before_any_work(capsys):
    """The second --N is over the cap: nothing (not the ODE, not the first N) runs."""
    rc, out, err = run(["contrastive", "simulate", "--N", "1000", "--N", "1000000000000000000000",
                        "--t-max", "2"], capsys)
    assert_clean_error(rc, err, "N = 1000000000000000000000 exceeds the cap")
    assert "simulate:" not in err and out == ""


# ---------------------------------------------------------------- `-o -` means stdout (text), refused (binary)
@pytest.fixture
def points_csv(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("1,2\n1.1,2\n5,6\n5.1,6.2\n9,9\n")
    return str(path)


@pytest.mark.parametrize("argv,marker", [
    (["latex", "system", "--state", "x", "--rhs", "r*x - x^3", "--param", "r=1", "-o", "-"], r"\end{document}"),
    (["latex", "lsgd", "--n", "3", "-o", "-"], r"\end{document}"),
    (["latex", "contrastive", "--Delta", "0", "-o", "-"], r"\end{document}"),  # Delta 0: the fast document
    (["contrastive", "odes", "-o", "-"], "# d=1, d2=1"),
    (["contrastive", "odes", "--format", "json", "--output", "-"], '"states"'),
    (SIM + ["--format", "csv", "-o", "-"], "source,N,engine,t"),
    (["cluster", "{csv}", "--k", "2", "-o", "-"], "index,label,core"),
    (["cluster", "{csv}", "--k", "2", "--json", "-o", "-"], "index,label,core"),
])
def test_dash_output_is_stdout(tmp_path, monkeypatch, points_csv, argv, marker, capsys):
    monkeypatch.chdir(tmp_path)
    rc, out, err = run([a.replace("{csv}", points_csv) for a in argv], capsys)
    assert rc == 0, err
    assert marker in out
    assert not (tmp_path / "-").exists()
    assert "wrote" not in out + err


def test_cluster_dash_output_keeps_stdout_pure_csv(points_csv, capsys):
    """With ``-o -`` the labels own stdout; the summary goes to stderr."""
    rc, out, err = run(["cluster", points_csv, "--k", "2", "--json", "-o", "-"], capsys)
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "index,label,core" and len(lines) == 6
    assert all(len(line.split(",")) == 3 for line in lines)
    assert json.loads(err)["output"] == "<stdout>"


@pytest.mark.parametrize("argv,flag", [
    (["contrastive", "portrait", "-o", "-"], "-o/--output"),
    (SIM + ["--png", "-"], "--png"),
    (["cluster", "{csv}", "--plot", "-"], "--plot"),
    (["sweep", "steady_state", "-o", "{dir}", "--plot", "-"], "--plot"),
    (["sweep", "steady_state", "-o", "-"], "-o/--output"),
])
def test_dash_for_binary_or_directory_output_is_refused(tmp_path, monkeypatch, points_csv, argv, flag, capsys):
    monkeypatch.chdir(tmp_path)
    argv = [a.replace("{csv}", points_csv).replace("{dir}", str(tmp_path / "sweep")) for a in argv]
    rc, out, err = run(argv, capsys)
    assert_clean_error(rc, err, flag)
    assert "'-'" in err and out == ""
    assert not (tmp_path / "-").exists() and not (tmp_path / "sweep").exists()


def test_write_output_helper(tmp_path, capsys):
    from symdyn._io import write_output

    assert write_output("-", "to stdout\n") is None
    assert capsys.readouterr().out == "to stdout\n"
    target = tmp_path / "x.txt"
    assert write_output(str(target), "to a file\n") == target
    assert target.read_text() == "to a file\n" and capsys.readouterr().out == ""


# ---------------------------------------------------------------- contrastive basins --horizon (issue 10 point 5)
@pytest.mark.parametrize("value,word", [("0", "> 0"), ("-3", "> 0"), ("1e9", "<= 1000"), ("nan", "number"),
                                        ("inf", "number"), ("ten", "number")])
def test_basins_bad_horizon_is_a_clear_error(value, word, capsys):
    rc, out, err = run(["contrastive", "basins", "--horizon", value], capsys)
    assert_clean_error(rc, err, "--horizon")
    assert word in err and out == ""


@pytest.mark.parametrize("argv,word", [(["--n-mc", "0"], "--n-mc"), (["--r0", "0"], "--r0"),
                                       (["--r0", "1.5"], "r0^2 < --Q0"), (["--Q0", "-1"], "--Q0")])
def test_basins_bad_circle_is_a_clear_error(argv, word, capsys):
    rc, out, err = run(["contrastive", "basins"] + argv, capsys)
    assert_clean_error(rc, err, word)


def test_basins_passes_the_horizon_and_reports_it(monkeypatch, capsys):
    """The command hands --horizon (and the shared model) to basin_probabilities and prints what it returns."""
    from symdyn.contrastive import claims

    seen = {}

    def fake(model, **kw):
        seen.update(kw, model=model)
        return {"geometry": {"p1": 0.6, "ci": (0.59, 0.61), "theta": 0.9, "saddle_distance": 0.0},
                "ode_mc": {"p1": 0.5, "k": 4, "n": 8, "ci": (0.2, 0.8), "p2": 0.25, "undecided": 0.25},
                "horizon": kw["horizon"]}

    monkeypatch.setattr(claims, "basin_probabilities", fake)
    rc, out, err = run(["contrastive", "basins", "--horizon", "12.5", "--n-mc", "8", "--json"], capsys)
    assert rc == 0, err
    data = json.loads(out)
    assert seen["horizon"] == 12.5 and seen["n_mc"] == 8 and seen["with_sgd"] is False
    assert seen["model"].d == 2 and [law.kurtosis for law in seen["model"].laws] == [1, 2]
    assert data["horizon"] == 12.5 and data["ode_mc"]["undecided"] == 0.25
    rc, out, _ = run(["contrastive", "basins", "--n-mc", "8"], capsys)
    assert seen["horizon"] is None and "t -> infinity" in out


@pytest.mark.slow
def test_basins_at_a_horizon_end_to_end(capsys):
    """Real run (about 10 s idle): at a short horizon every start is still undecided; later most commit."""
    rc, out, err = run(["contrastive", "basins", "--n-mc", "24", "--horizon", "3", "--json"], capsys)
    assert rc == 0, err
    early = json.loads(out)["ode_mc"]
    assert early["undecided"] == 1.0
    rc, out, err = run(["contrastive", "basins", "--n-mc", "24", "--horizon", "40", "--json"], capsys)
    late = json.loads(out)["ode_mc"]
    assert late["undecided"] < 0.5 and abs(late["p1"] + late["p2"] + late["undecided"] - 1) < 1e-12
