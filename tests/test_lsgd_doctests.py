"""The ``>>>`` examples in the LSGD modules run."""

import doctest
import importlib

import pytest

MODULES = ["symdyn.lsgd._exact", "symdyn.lsgd.matrices", "symdyn.lsgd.attraction", "symdyn.lsgd.robust",
           "symdyn.lsgd.rate", "symdyn.lsgd.optimizers", "symdyn.lsgd.escape", "symdyn.lsgd.report"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 0
