"""Parameter sweeps of the contrastive model's single-cell computations on Dask.

Public API
----------
:func:`run_sweep` (one task per grid cell on a ``dask.distributed`` client, a
LocalCluster by default, or serially; resumable), :class:`SweepResult`,
:func:`parse_grid` / :class:`Grid` (typed grid specs, ``Fraction``/float only),
:data:`STUDIES` / :func:`get_study` (``steady_state``, ``learnability``,
``selection``, ``sgd_error``), :func:`read_table`, :func:`plot_sweep`.

Submodules are imported lazily so that ``import symdyn.sweep`` stays cheap.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "run_sweep": "runner",
    "SweepResult": "runner",
    "make_client": "runner",
    "parse_grid": "grid",
    "parse_values": "grid",
    "Grid": "grid",
    "Param": "grid",
    "STUDIES": "studies",
    "Study": "studies",
    "get_study": "studies",
    "compute_cell": "studies",
    "read_table": "store",
    "plot_sweep": "plot",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'symdyn.sweep' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
