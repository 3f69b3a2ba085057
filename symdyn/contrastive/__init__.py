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

Thresholds, fixed points, steady states, separatrix and basins (each with
Parameters / Returns / Examples in its docstring; every result states its
level):

* :func:`learnability_threshold` -- ``Q*``, ``G(Q*)``, ``S(Q*)``, the threshold on
  ``<c^2>``; opt-in ``confirm_digits=25`` (high-precision cross-check) and
  ``certify=True`` (ball-arithmetic enclosures, closed-form activations such as erf);
* :func:`learnability_structure` -- the exact Jacobian structure at ``R = 0`` (general law);
* :func:`uninformative_state`, :func:`selected_states`, :func:`mixed_saddles`,
  :func:`all_fixed_points` (:class:`FixedPointInfo` records);
* :func:`steady_state` (one model) and :func:`steady_state_grid` (``m*`` over ``(tau, Delta, rho)``);
* :func:`separatrix`, :func:`basin_probabilities` (optionally at a finite ``horizon``);
* :func:`certified_threshold`, :func:`certified_fixed_point`,
  :func:`certified_steady_state_grid` -- Krawczyk enclosures (erf).

The default activation is the :class:`ContrastiveModel` default, ``tanh``,
everywhere (``steady_state_grid`` included); pass ``activation=sympy.erf`` for
closed forms and certified results.

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
    "odes_with_named_terms": "_printing", "format_odes": "_printing", "NamedODEs": "_printing",
    "moment_expansion": "expansion",
    "McKeanVlasovPDE": "pde",
    "NotClosedError": "pde",
    "increment_drifts": "increments",
    "simulate_sgd": "sgd",
    "SGDResult": "sgd",
    # what researchers ask: thresholds, fixed points, steady states, separatrix, basins
    "learnability_threshold": "thresholds",
    "learnability_structure": "claims",
    "uninformative_state": "fixedpoints",
    "selected_states": "fixedpoints",
    "mixed_saddles": "fixedpoints",
    "all_fixed_points": "fixedpoints",
    "FixedPointInfo": "fixedpoints",
    "steady_state": "steadystate",
    "steady_state_grid": "steadystate",
    "separatrix": "claims",
    "basin_probabilities": "claims",
    "certified_threshold": "certified",
    "certified_fixed_point": "certified",
    "certified_steady_state_grid": "certified",
    # figures
    "phase_portrait": "portrait",
    "basin_map": "portrait",
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
