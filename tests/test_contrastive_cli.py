"""``symdyn contrastive odes`` and ``symdyn contrastive simulate``."""

import json

import pytest

from symdyn.cli import main


def test_help_exits_zero(capsys):
    for argv in (["contrastive", "--help"], ["contrastive", "odes", "--help"], ["contrastive", "simulate", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0
    assert "--activation" in capsys.readouterr().out


def test_odes_json_and_latex(tmp_path, capsys):
    out = tmp_path / "odes.json"
    assert main(["contrastive", "odes", "--format", "json", "--Delta", "0.5", "--rho", "-1", "-o", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["states"] == ["R_{1,1}", "Q_{1,1}"] and len(data["rhs"]) == 2 and data["params"] == []
    assert main(["contrastive", "odes", "--format", "latex", "--activation", "erf"]) == 0
    text = capsys.readouterr().out
    assert "\\begin{align*}" in text and "\\frac{d}{dt} R_{1,1}" in text and "erf" in text


def test_odes_pretty_symbolic_parameter(capsys):
    assert main(["contrastive", "odes", "--symbolic", "rho", "--Delta", "0.5", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "rho" in data["params"]
    assert main(["contrastive", "odes", "--activation", "cubic"]) == 0
    assert "d" in capsys.readouterr().out


@pytest.mark.parametrize("argv, match", [
    (["contrastive", "odes", "--rho", "2"], "rho"),
    (["contrastive", "odes", "--tau", "0"], "tau"),
    (["contrastive", "odes", "--Delta", "-1"], "Delta"),
    (["contrastive", "simulate", "--N", "0", "--no-ode"], "N"),
    (["contrastive", "simulate", "--no-ode", "--no-sgd"], "nothing"),
    (["contrastive", "odes", "--law", "sparse-ternary"], "kurtosis"),
    (["contrastive", "simulate", "--no-ode", "--R0", "2", "--Q0", "1"], "semidefinite"),
])
def test_bad_input_exit_2(argv, match, capsys):
    assert main(argv) == 2
    assert match in capsys.readouterr().err


def test_unknown_activation_is_rejected_by_the_table():
    with pytest.raises(SystemExit) as info:
        main(["contrastive", "odes", "--activation", "__import__('os')"])
    assert info.value.code == 2


def test_simulate_sgd_only_json(tmp_path):
    out = tmp_path / "sim.json"
    argv = ["contrastive", "simulate", "--no-ode", "--N", "300", "--N", "600", "--runs", "3", "--t-max", "0.5",
            "--n-times", "6", "--d2", "2", "--seed", "4", "-o", str(out)]
    assert main(argv) == 0
    data = json.loads(out.read_text())
    assert [s["N"] for s in data["sgd"]] == [300, 600] and "ode" not in data
    assert len(data["sgd"][0]["mean_m"]) == 6 and len(data["sgd"][0]["mean_m"][0][0]) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_simulate_ode_and_sgd_csv_png(tmp_path):
    csv, png = tmp_path / "sim.csv", tmp_path / "sim.png"
    argv = ["contrastive", "simulate", "--activation", "linear", "--beta", "2", "--N", "400", "--runs", "4",
            "--t-max", "0.5", "--n-times", "5", "--format", "csv", "-o", str(csv), "--png", str(png),
            "--engine", "full"]
    assert main(argv) == 0
    lines = csv.read_text().splitlines()
    assert lines[0].startswith("source,N,engine,t,m_1_1")
    assert sum(line.startswith("ode,") for line in lines) == 5 and sum(line.startswith("sgd,400,full") for line in lines) == 5
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
