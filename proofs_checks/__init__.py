"""One module per paper claim.

Each module exposes ``NAME`` (its module name), ``CLAIM`` (one sentence) and
``run(full: bool = False) -> symdyn.verdict.Verdict``. Modules are discovered,
not listed, so adding a claim means adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil


def available() -> list[str]:
    """Names of all check modules, sorted."""
    return sorted(
        m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")
    )


def load(name: str):
    """Import the check module ``name`` (must be one of :func:`available`)."""
    names = available()
    if name not in names:
        raise ValueError(f"unknown check {name!r}; available: {', '.join(names)}")
    return importlib.import_module(f"{__name__}.{name}")
