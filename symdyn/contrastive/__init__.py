"""Nonlinear contrastive-learning model in the high-dimensional limit.

Public API
----------
:class:`ContrastiveModel` (model spec), :func:`moment_odes` (closed ODEs, derived from the
McKean–Vlasov PDE or from expected SGD increments), :func:`moment_expansion` (Taylor
expansion around the uninformative state in the hidden law's moment symbols),
:func:`simulate_sgd` (finite-N SGD, ``full`` and exact ``reduced`` engines),
:func:`order_parameters`, :func:`state_symbols`, :func:`cosine_similarity`,
:class:`McKeanVlasovPDE` (drift, diffusion, weak form, closure), :class:`NotClosedError`,
:func:`increment_drifts` (the independent derivation from expected SGD increments).

Submodules are imported lazily so that ``import symdyn.contrastive`` stays cheap.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "ContrastiveModel": "model",
    "PARAM_SYMBOLS": "model",
    "order_parameters": "model",
    "state_symbols": "model",
    "cosine_similarity": "model",
    "moment_odes": "odes",
    "moment_expansion": "expansion",
    "McKeanVlasovPDE": "pde",
    "NotClosedError": "pde",
    "increment_drifts": "increments",
    "simulate_sgd": "sgd",
    "SGDResult": "sgd",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'symdyn.contrastive' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
