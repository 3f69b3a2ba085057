"""symdyn.sweep: grids, resumable sweeps, Dask vs serial, failures recorded, CLI and figures."""

import math
import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from symdyn.sweep import STUDIES, parse_grid, parse_values, read_table, run_sweep
from symdyn.sweep.grid import MAX_CELLS, Param, cell_id, cell_seed
from symdyn.sweep.store import same_value

# cheap cells: tiny SGD ensembles (stochastic, so the seeds matter)
SGD_GRID = ["N=40,60,80", "t_max=0.3,0.5", "runs=2", "n_times=3"]


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                       silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def serial_sgd(tmp_path_factory):
    return run_sweep("sgd_error", SGD_GRID, tmp_path_factory.mktemp("serial") / "out", workers=0, progress=False)


# ---------------------------------------------------------------------------
# grid specs
# ---------------------------------------------------------------------------

def test_ranges_are_exact_rationals_then_floats():
    tau = STUDIES["steady_state"].param("tau")
    assert parse_values(tau, "0.2:1:9") == [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert parse_values(tau, "1/3,0.5,1e-3") == [float(Fraction(1, 3)), 0.5, 0.001]
    assert parse_values(tau, "0.5:0.5:1") == [0.5]
    n = STUDIES["sgd_error"].param("N")
    assert parse_values(n, "100:400:4") == [100, 200, 300, 400]
    act = STUDIES["steady_state"].param("activation")
    assert parse_values(act, "erf, tanh") == ["erf", "tanh"]


@pytest.mark.parametrize("param,spec,match", [
    ("tau", "0:1:3", r"tau must be in \(0, 100\]"),
    ("rho", "-2,0", r"rho must be in \[-1, 1\]"),
    ("tau", "__import__('os')", "is not a number"),
    ("tau", "1+1", "is not a number"),
    ("tau", "nan", "is not a number"),
    ("tau", "0.1:1", "START:STOP:COUNT"),
    ("tau", "0.1:1:x", "COUNT"),
    ("tau", "0.1:1:1", "COUNT = 1"),
    ("tau", "0.1:1:0", "COUNT must be in"),
    ("tau", "0.5,0.5", "repeated"),
    ("tau", "", "empty"),
    ("N", "100:200:4", "must be an integer"),
    ("N", "5", r"N must be in \[10"),
    ("activation", "relu", "one of erf"),
])
def test_bad_grid_specs_are_rejected(param, spec, match):
    study = STUDIES["sgd_error"] if param == "N" else STUDIES["steady_state"]
    with pytest.raises(ValueError, match=match):
        parse_values(study.param(param), spec)


def test_parse_grid_checks_names_duplicates_and_size():
    params = STUDIES["steady_state"].params
    g = parse_grid(params, ["tau=0.2:1:3", "rho=-1,1"])
    assert g.varying == ("tau", "rho") and g.size == 6
    with pytest.raises(ValueError, match="unknown parameter 'lr'"):
        parse_grid(params, ["lr=0.1"])
    with pytest.raises(ValueError, match="given twice"):
        parse_grid(params, ["tau=0.1", "tau=0.2"])
    with pytest.raises(ValueError, match="NAME=VALUES"):
        parse_grid(params, ["tau"])
    with pytest.raises(ValueError, match=f"at most {MAX_CELLS}"):
        parse_grid(params, ["tau=0.01:1:1000", "rho=-1:1:1000"])
    with pytest.raises(TypeError, match="must be a number"):
        parse_grid(params, {"tau": ["0.5"]})


def test_cell_ids_and_seeds_depend_only_on_the_parameters():
    a = {"x": 0.1, "y": 2}
    b = {"y": 2, "x": 0.1}
    assert cell_id("s", 1, a) == cell_id("s", 1, b) and cell_seed("s", 1, a) == cell_seed("s", 1, b)
    assert cell_seed("s", 1, a) != cell_seed("s", 1, {"x": 0.1, "y": 3})
    assert cell_id("s", 1, a) != cell_id("s", 2, a)  # a new adapter version never reuses old shards
    assert cell_seed("s", 1, {"x": 0.1 + 2**-55}) != cell_seed("s", 1, {"x": 0.1})


def test_param_range_check():
    p = Param("h", "real", 1.0, lo=0, hi=1, hi_open=True)
    assert p.check(Fraction(1, 2)) == 0.5
    with pytest.raises(ValueError, match=r"h must be in \[0, 1\)"):
        p.check(1)
    with pytest.raises(TypeError):
        p.check(True)


# ---------------------------------------------------------------------------
# sweeps
# ---------------------------------------------------------------------------

def test_two_worker_cluster_and_serial_give_identical_tables(client, serial_sgd, tmp_path):
    dist = run_sweep("sgd_error", SGD_GRID, tmp_path / "dist", client=client, progress=False)
    assert len(dist.rows) == 6 and len(dist.computed) == 6
    assert all(r["status"] == "ok" and r["level"] == "numerical" for r in dist.rows)
    assert dist.comparable() == serial_sgd.comparable()
    # the comparison has teeth: one ulp in one float breaks it
    rows = [dict(r) for r in dist.rows]
    rows[3]["sup_error"] = float(np.nextafter(rows[3]["sup_error"], 1.0))
    dist.rows = rows
    assert dist.comparable() != serial_sgd.comparable()
    # distinct cells got distinct seeds, so distinct ensembles
    assert len({r["seed"] for r in serial_sgd.rows}) == 6


def test_table_on_disk_reads_back_bit_for_bit(serial_sgd):
    rows = read_table(serial_sgd.output / "table.csv", "sgd_error")
    assert len(rows) == len(serial_sgd.rows)
    for a, b in zip(rows, serial_sgd.rows):
        assert a.keys() == b.keys()
        assert all(same_value(a[k], b[k]) for k in a)


def test_interrupted_sweep_resumes_with_only_the_missing_cells(client, serial_sgd, tmp_path):
    out = tmp_path / "resumed"
    first = run_sweep("sgd_error", SGD_GRID, out, workers=0, max_cells=2, progress=False)
    assert len(first.computed) == 2 and first.pending == 4 and len(first.rows) == 2
    all_ids = [r["cell"] for r in serial_sgd.rows]
    assert first.computed == all_ids[:2]
    # resume on the cluster: exactly the four missing cells are computed
    second = run_sweep("sgd_error", SGD_GRID, out, client=client, progress=False)
    assert sorted(second.computed) == sorted(all_ids[2:])
    assert second.reused == all_ids[:2]
    assert second.comparable() == serial_sgd.comparable()
    third = run_sweep("sgd_error", SGD_GRID, out, workers=0, progress=False)
    assert third.computed == [] and third.comparable() == serial_sgd.comparable()


def test_killed_process_resumes_where_it_stopped(tmp_path):
    out = tmp_path / "killed"
    grid = ["N=3000,3100,3200,3300,3400,3500", "runs=8", "t_max=1", "n_times=3"]
    cmd = [sys.executable, "-m", "symdyn", "sweep", "sgd_error", *sum((["--grid", g] for g in grid), []),
           "-o", str(out), "--workers", "0", "--quiet"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    cells = out / "cells"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if cells.is_dir() and any(p.suffix == ".csv" for p in cells.iterdir()):
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = {p.name for p in cells.iterdir() if p.suffix == ".csv"}
    assert 1 <= len(before) < 6, "the kill must land mid-sweep"
    resumed = run_sweep("sgd_error", grid, out, workers=0, progress=False)
    assert len(resumed.reused) == len(before)
    assert {f"sgd_error-{c}.csv" for c in resumed.computed} == {f"sgd_error-{r['cell']}.csv" for r in resumed.rows} - before
    fresh = run_sweep("sgd_error", grid, tmp_path / "fresh", workers=0, progress=False)
    assert resumed.comparable() == fresh.comparable()


def test_a_failing_cell_is_recorded_and_the_sweep_goes_on(tmp_path):
    out = tmp_path / "fail"
    grid = ["activation=linear,cubic"]
    res = run_sweep("steady_state", grid, out, workers=0, progress=False)
    bad, good = res.rows
    assert bad["status"] == "failed" and bad["message"] and (bad["m"] is None or bad["m"] != bad["m"])
    assert good["status"] == "ok" and 0 < good["m"] < 1 and good["kind"] == "sink" and good["max_real_eigenvalue"] < 0
    again = run_sweep("steady_state", grid, out, workers=0, progress=False)
    assert again.computed == []  # a failure is a result: not recomputed...
    retried = run_sweep("steady_state", grid, out, workers=0, progress=False, retry_failed=True)
    assert retried.computed == [bad["cell"]]  # ...unless asked


def test_inconsistent_cell_fails_with_its_message(tmp_path):
    res = run_sweep("sgd_error", ["N=20", "runs=1", "t_max=0.2", "n_times=2", "kurtosis=1,3"], tmp_path / "k",
                    workers=0, progress=False)
    assert [r["status"] for r in res.rows] == ["ok", "failed"]
    assert "sparse-ternary" in res.rows[1]["message"]


def test_bad_arguments_raise_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown study"):
        run_sweep("phase", {}, tmp_path / "a")
    with pytest.raises(ValueError, match=r"workers must be in \[0, 256\]"):
        run_sweep("steady_state", {}, tmp_path / "a", workers=-1)
    with pytest.raises(TypeError, match="workers must be an integer"):
        run_sweep("steady_state", {}, tmp_path / "a", workers=1.5)
    with pytest.raises(ValueError, match="max_cells"):
        run_sweep("steady_state", {}, tmp_path / "a", max_cells=-1)
    with pytest.raises(ValueError, match="parent directory"):
        run_sweep("steady_state", {}, tmp_path / "no" / "such")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="not a directory"):
        run_sweep("steady_state", {}, tmp_path / "file")


# ---------------------------------------------------------------------------
# CLI and figures
# ---------------------------------------------------------------------------

def _main(argv, capsys):
    from symdyn.cli import main

    rc = main(argv)
    return rc, capsys.readouterr()


@pytest.mark.parametrize("argv,match", [
    (["--grid", "tau=0:1:3"], "tau must be in"),
    (["--grid", "tau=eval(1)"], "not a number"),
    (["--grid", "tau=0.2,0.4", "--grid", "Delta=0,1", "--grid", "rho=-1,1", "--plot", "x.png"], "1 or 2 parameters"),
    (["--grid", "tau=0.2,0.4", "--plot", "x.png", "--value", "kind"], "cannot plot 'kind'"),
    (["--grid", "tau=0.2,0.4", "--plot", "x.pdf"], "must name a .png"),
    (["--workers", "3", "--scheduler", "tcp://127.0.0.1:1"], "exclude each other"),
    (["--scheduler", "tcp://127.0.0.1:1"], "cannot connect"),
])
def test_cli_bad_input_is_one_line_and_exit_2(argv, match, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("symdyn.sweep.runner._CONNECT_TIMEOUT", "1s")
    rc, cap = _main(["sweep", "steady_state", "-o", str(tmp_path / "o"), "--quiet", *argv], capsys)
    assert rc == 2
    assert match in cap.err and cap.err.count("\n") == 1


def test_cli_sweep_line_plot_and_json_summary(tmp_path, capsys):
    png = tmp_path / "line.png"
    argv = ["sweep", "sgd_error", "--grid", "N=40,80", "--grid", "runs=2", "--grid", "t_max=0.3", "--grid", "n_times=3",
            "-o", str(tmp_path / "o"), "--workers", "0", "--quiet", "--json", "--plot", str(png)]
    rc, cap = _main(argv, capsys)
    assert rc == 0
    import json

    s = json.loads(cap.out)
    assert s["rows"] == 2 and s["computed"] == 2 and s["levels"] == ["numerical"]
    assert png.stat().st_size > 10_000
    rc, cap = _main(argv, capsys)
    assert json.loads(cap.out)["computed"] == 0 and json.loads(cap.out)["reused"] == 2


def test_heatmap_draws_failed_cells(tmp_path):
    from symdyn.sweep import plot_sweep

    res = run_sweep("steady_state", ["activation=linear,cubic", "tau=0.3,0.5"], tmp_path / "h", workers=0,
                    progress=False)
    fig = plot_sweep(res, tmp_path / "h.png")
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "failed cell" in labels and any(t.startswith("max m") for t in labels)
    assert ax.get_xlabel() == "activation" and ax.get_ylabel() == "tau"
    assert fig.axes[1].get_ylabel() == "m"  # colour bar
    assert (tmp_path / "h.png").stat().st_size > 10_000
    assert math.isclose(sum(r["status"] == "failed" for r in res.rows), 2)


# ---------------------------------------------------------------------------
# verdict levels from the certified contrastive API
# ---------------------------------------------------------------------------

def test_erf_cells_are_certified_and_tanh_cells_numerical(tmp_path):
    res = run_sweep("steady_state", ["activation=erf,tanh", "tau=0.5", "Delta=0.5", "rho=-1"], tmp_path / "c",
                    workers=0, progress=False)
    rows = {r["activation"]: r for r in res.rows}
    erf, tanh = rows["erf"], rows["tanh"]
    assert erf["status"] == "ok" and erf["level"] == "certified" and erf["kind"] == "sink"
    assert erf["m_lo"] <= erf["m"] <= erf["m_hi"] and 0 < erf["m_hi"] - erf["m_lo"] < 1e-12
    assert "m*" in erf["certified"]
    assert tanh["status"] == "ok" and tanh["level"] == "numerical" and math.isnan(tanh["m_lo"])
    assert "NoClosedForm" in tanh["certified"]
    # the numerical m* of tanh is near erf's (same regime), the certified ball is tight around erf's
    assert abs(erf["m"] - tanh["m"]) < 0.1


def test_a_failed_certification_leaves_the_cell_numerical(tmp_path, monkeypatch):
    import symdyn.contrastive as contrastive

    def refuse(*args, **kwargs):
        raise ValueError("Krawczyk test failed (injected)")

    monkeypatch.setattr(contrastive, "certified_steady_state_grid", refuse)
    monkeypatch.setattr(contrastive, "certified_threshold", refuse)
    ss = run_sweep("steady_state", ["tau=0.5", "Delta=0.5", "rho=-1"], tmp_path / "s", workers=0, progress=False)
    ln = run_sweep("learnability", ["Delta=0.5", "rho=-1"], tmp_path / "l", workers=0, progress=False)
    for row in ss.rows + ln.rows:
        assert row["status"] == "ok" and row["level"] == "numerical" and "injected" in row["certified"]


def test_learnability_erf_certified_threshold_brackets_the_numerical_one(tmp_path):
    res = run_sweep("learnability", ["Delta=0.5", "rho=-1", "activation=erf"], tmp_path / "l", workers=0,
                    progress=False)
    row = res.rows[0]
    assert row["level"] == "certified" and row["Q_star_level"] == "certified"
    assert row["threshold_lo"] <= row["threshold_c2"] <= row["threshold_hi"]
    assert row["learnable"] == (row["second_moment"] > row["threshold_c2"])


@pytest.mark.slow  # each worker derives and compiles the erf system (~13 s on 2 shared cores)
def test_certified_cells_on_two_workers_equal_the_serial_ones(client, tmp_path):
    grid = ["tau=0.4,0.8", "Delta=0.5", "rho=-1"]
    dist = run_sweep("steady_state", grid, tmp_path / "d", client=client, progress=False)
    serial = run_sweep("steady_state", grid, tmp_path / "s", workers=0, progress=False)
    assert [r["level"] for r in dist.rows] == ["certified", "certified"]
    assert dist.comparable() == serial.comparable()
