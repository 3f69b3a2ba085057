"""symdyn: symbolic-numeric toolkit for attraction regions of learning dynamics.

The public API is small and re-exported lazily from private modules, so that
``import symdyn`` stays cheap and each model is imported only when used.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    # core
    "ODESystem": "symdyn.odesystem",
    "MapSystem": "symdyn.odesystem",
    "FixedPoint": "symdyn.odesystem",
    "Classification": "symdyn.odesystem",
    "DivergenceError": "symdyn.odesystem",
    "IntegrationResult": "symdyn.odesystem",
    "CompiledSystem": "symdyn.odesystem",
    "stability": "symdyn.stability",
    "Verdict": "symdyn.verdict",
    # models
    "QuickshiftPP": "symdyn.cluster",
    "estimate_basins": "symdyn.basins",
    "ContrastiveModel": "symdyn.contrastive",
    "moment_odes": "symdyn.contrastive",
    "simulate_sgd": "symdyn.contrastive",
    "lsgd": "symdyn.lsgd",
    # property-based testing
    "strategies": "symdyn.strategies",
    "testing": "symdyn.testing",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'symdyn' has no attribute {name!r}") from None
    mod = importlib.import_module(module)
    value = mod if module.endswith("." + name) else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
