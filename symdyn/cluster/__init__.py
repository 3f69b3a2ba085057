"""Quickshift++ clustering (``QuickshiftPP``), scikit-learn compatible.

Imported lazily so that ``symdyn`` sub-commands that do not cluster do not pay
for importing scikit-learn.
"""

from __future__ import annotations

__all__ = ["QuickshiftPP"]


def __getattr__(name: str):
    if name == "QuickshiftPP":
        from ._quickshiftpp import QuickshiftPP

        globals()["QuickshiftPP"] = QuickshiftPP
        return QuickshiftPP
    raise AttributeError(f"module 'symdyn.cluster' has no attribute {name!r}")


def __dir__():
    return __all__
