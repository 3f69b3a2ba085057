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
