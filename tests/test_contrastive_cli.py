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
    assert "\\begin{align*}" in text and "\\dot{R}_{11} &=" in text and "erf" in text


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


# --- one vocabulary -------------------------------------------------------------------------------

_MODEL_COMMANDS = (["contrastive", "odes"], ["contrastive", "simulate"], ["contrastive", "threshold"],
                   ["contrastive", "steady-state"], ["contrastive", "portrait"], ["contrastive", "basins"],
                   ["latex", "contrastive", "-o", "x.tex"])


def _parse(argv):
    from symdyn.cli import build_parser

    return build_parser().parse_args(argv)


def _scalar(v):
    return v[0] if isinstance(v, list) and len(v) == 1 else v


@pytest.mark.parametrize("argv", _MODEL_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_model_command_has_the_same_flags_and_defaults(argv):
    from fractions import Fraction

    args = _parse(argv)
    got = {k: _scalar(getattr(args, k)) for k in ("activation", "second_moment", "kurtosis", "Delta", "rho", "tau",
                                                   "beta")}
    # the one documented override: latex contrastive's Delta (Delta = 0 makes the two views identical)
    delta = Fraction(1, 2) if argv[0] == "latex" else Fraction(0)
    assert got == {"activation": "tanh", "second_moment": Fraction(2), "kurtosis": None, "Delta": delta,
                   "rho": Fraction(0), "tau": Fraction(1, 2), "beta": Fraction(1)}
    args = _parse(argv + ["--activation", "erf", "--second-moment", "3", "--kurtosis", "1", "2", "--Delta", "0.5",
                          "--rho", "-1", "--tau", "0.25", "--beta", "2"])
    assert args.activation == "erf" and args.second_moment == 3 and args.kurtosis == [1, 2]
    assert _scalar(args.Delta) == Fraction(1, 2) and _scalar(args.rho) == -1 and _scalar(args.tau) == Fraction(1, 4)


def test_m2_is_a_deprecated_alias(capsys):
    args = _parse(["contrastive", "portrait", "--m2", "3"])
    assert args.second_moment == 3
    assert "--m2 is deprecated; use --second-moment" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["contrastive", "portrait", "--help"])
    assert "--m2" not in capsys.readouterr().out


def test_defaults_sit_in_the_learnable_regime():
    """The default model (tanh, <c^2> = 2, tau = 1/2, beta = 1, Delta = 0) is above the learnability threshold."""
    from symdyn.contrastive import learnability_threshold
    from symdyn.contrastive.cli import build_model

    model = build_model(_parse(["contrastive", "simulate"]))
    th = learnability_threshold(model)
    assert th["threshold_c2"] < float(model.laws[0].second_moment) == 2
    assert th["eigenvalue_formula"][0] > 0


def test_default_simulation_shows_learning(tmp_path):
    out = tmp_path / "sim.json"
    assert main(["contrastive", "simulate", "--no-sgd", "--n-times", "16", "-o", str(out)]) == 0
    m = [row[0][0] for row in json.loads(out.read_text())["ode"]["m"]]
    assert m[0] == pytest.approx(0.1) and m[-1] > 0.9 and all(b >= a - 1e-12 for a, b in zip(m, m[1:]))


def test_kurtosis_is_a_list_per_feature(capsys):
    assert main(["contrastive", "odes", "--d", "2", "--kurtosis", "1", "2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["states"]) == 3 and "SparseTernary" in data["model"] and "Rademacher" in data["model"]
    assert main(["contrastive", "odes", "--d", "2", "--kurtosis", "1", "2", "3"]) == 2
    assert "one per feature" in capsys.readouterr().err
    assert main(["contrastive", "odes", "--law", "gaussian", "--kurtosis", "2"]) == 2
    assert "--kurtosis" in capsys.readouterr().err
    assert main(["contrastive", "odes", "--kurtosis", "0.5"]) == 2
    assert ">= 1" in capsys.readouterr().err
