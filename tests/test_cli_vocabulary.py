"""One CLI vocabulary (issue 10 point 6): every contrastive sub-command takes the same model flags.

The parsers are introspected through ``symdyn.cli.build_parser()``: each shared
flag must exist with the same option strings, type, default, choices and nargs
in every command, except the per-command overrides documented in
``symdyn.contrastive._cli_options`` (``COMMAND_DEFAULTS`` and the grid of
``steady-state``); and the same flags must build the same ``ContrastiveModel``
in every command.  A parser missing a flag (or with a different default) must
fail the check (negative controls).
"""

import argparse
from fractions import Fraction

import pytest

from symdyn.cli import build_parser
from symdyn.contrastive._cli_options import COMMAND_DEFAULTS, SHARED_FLAGS, add_model_options

#: command -> argv prefix (and required extra arguments)
COMMANDS = {
    "odes": ["contrastive", "odes"],
    "simulate": ["contrastive", "simulate"],
    "threshold": ["contrastive", "threshold"],
    "steady-state": ["contrastive", "steady-state"],
    "portrait": ["contrastive", "portrait"],
    "basins": ["contrastive", "basins"],
    "latex contrastive": ["latex", "contrastive", "-o", "x.tex"],
}
#: documented: steady-state's --tau/--Delta/--rho take several values (a grid)
GRID = {"steady-state": ("tau", "Delta", "rho")}


def _subparsers(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    return {}


def _command_parsers():
    top = _subparsers(build_parser())
    contrastive = _subparsers(top["contrastive"])
    parsers = {name: contrastive[name] for name in COMMANDS if name in contrastive}
    parsers["latex contrastive"] = _subparsers(top["latex"])["contrastive"]
    return parsers


def _signature(action, *, grid=False):
    default = action.default
    if grid:  # the grid form stores a list of one default value
        assert action.nargs == "+" and isinstance(default, list) and len(default) == 1, action
        default = default[0]
    return {"options": tuple(sorted(action.option_strings)), "type": action.type, "default": default,
            "choices": tuple(action.choices) if action.choices else None,
            "nargs": None if grid else action.nargs}


def shared_flag_table(parsers: dict) -> dict:
    """``{dest: {command: signature}}``; raises AssertionError when a command lacks a shared flag."""
    table = {}
    for command, parser in parsers.items():
        actions = {a.dest: a for a in parser._actions if a.option_strings and a.help != argparse.SUPPRESS}
        for dest in SHARED_FLAGS:
            assert dest in actions, f"{command}: no --{dest.replace('_', '-')} flag"
            sig = _signature(actions[dest], grid=dest in GRID.get(command, ()))
            if dest in COMMAND_DEFAULTS.get(command, {}):
                assert sig["default"] == COMMAND_DEFAULTS[command][dest], (command, dest)
                sig["default"] = "documented override"
            table.setdefault(dest, {})[command] = sig
    return table


def check_one_vocabulary(parsers: dict) -> None:
    """Every shared flag has one signature across the commands (documented overrides aside)."""
    for dest, by_command in shared_flag_table(parsers).items():
        plain = [sig for sig in by_command.values() if sig["default"] != "documented override"]
        reference = plain[0]
        for command, sig in by_command.items():
            keys = [k for k in sig if not (k == "default" and sig[k] == "documented override")]
            assert {k: sig[k] for k in keys} == {k: reference[k] for k in keys}, (dest, command, sig, reference)


def test_every_contrastive_command_is_covered():
    parsers = _command_parsers()
    assert set(parsers) == set(COMMANDS), set(COMMANDS) - set(parsers)
    top = _subparsers(build_parser())
    builders = {name for name, p in _subparsers(top["contrastive"]).items()
                if p.get_default("build_model") is not None}
    assert builders == set(COMMANDS) - {"latex contrastive"}  # a new model command must join COMMANDS


def test_shared_flags_identical_everywhere():
    check_one_vocabulary(_command_parsers())


def test_the_documented_overrides_only():
    table = shared_flag_table(_command_parsers())
    overridden = {(dest, c) for dest, by in table.items() for c, sig in by.items()
                  if sig["default"] == "documented override"}
    assert overridden == {(dest, c) for c, d in COMMAND_DEFAULTS.items() for dest in d}
    assert COMMAND_DEFAULTS["latex contrastive"]["Delta"] > 0  # not the degenerate identical views


# ---------------------------------------------------------------- negative controls
def _toy_parser(**drop_or_change):
    p = argparse.ArgumentParser()
    add_model_options(p, defaults=drop_or_change.get("defaults"))
    if "drop" in drop_or_change:
        p._actions = [a for a in p._actions if a.dest != drop_or_change["drop"]]
    return p


def test_negative_control_missing_flag_fails():
    parsers = _command_parsers()
    parsers["toy"] = _toy_parser(drop="augmentation")
    with pytest.raises(AssertionError, match="toy: no --augmentation"):
        check_one_vocabulary(parsers)


def test_negative_control_undocumented_default_fails():
    parsers = _command_parsers()
    parsers["toy"] = _toy_parser(defaults={"tau": Fraction(1, 3)})
    with pytest.raises(AssertionError, match="tau"):
        check_one_vocabulary(parsers)


def test_negative_control_different_choices_fail():
    parsers = _command_parsers()
    toy = _toy_parser()
    for a in toy._actions:
        if a.dest == "activation":
            a.choices = ["erf", "tanh"]  # the old two-name table of portrait / latex contrastive
    parsers["toy"] = toy
    with pytest.raises(AssertionError, match="activation"):
        check_one_vocabulary(parsers)


# ---------------------------------------------------------------- the same flags build the same model
FLAGS = ["--activation", "erf", "--augmentation", "resample", "--second-moment", "3", "--kurtosis", "4",
         "--tau", "0.25", "--beta", "2", "--Delta", "0.3", "--rho=-1/2"]


def _model(argv):
    args = build_parser().parse_args(argv)
    return args.build_model(args)


def _shared_fields(model):
    return (model.activation, model.augmentation, model.tau, model.beta, model.Delta, model.rho, set(model.laws))


@pytest.mark.parametrize("command", list(COMMANDS))
def test_same_flags_build_the_same_model(command):
    reference = _model(COMMANDS["odes"] + FLAGS)
    model = _model(COMMANDS[command] + FLAGS)
    assert _shared_fields(model) == _shared_fields(reference)
    law, = set(model.laws)
    assert law.second_moment == 3 and law.kurtosis == 4
    assert model.d == {"portrait": 2, "basins": 2}.get(command, 1) and model.d2 == 1


@pytest.mark.parametrize("command", list(COMMANDS))
def test_defaults_build_the_same_model(command):
    model = _model(COMMANDS[command])
    reference = _model(COMMANDS["odes"])
    expected = _shared_fields(reference.replace(**{k: v for k, v in COMMAND_DEFAULTS.get(command, {}).items()}))
    if command in ("portrait", "basins"):  # two features; documented kurtosis default 1 2
        assert [law.kurtosis for law in model.laws] == [1, 2]
        assert _shared_fields(model)[:6] == expected[:6]
    else:
        assert _shared_fields(model) == expected


def test_explicit_law_wins_over_a_kurtosis_default():
    model = _model(COMMANDS["portrait"] + ["--law", "gaussian"])
    assert {type(law).__name__ for law in model.laws} == {"GaussianLaw"}
