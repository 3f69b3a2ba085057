"""The structured result every paper-claim check returns."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import Any

LEVELS = ("proved", "certified", "numerical")


@dataclass
class Verdict:
    """Outcome of one claim check.

    Parameters
    ----------
    name : str
        Module name of the check (``symdyn check --only NAME``).
    claim : str
        The claim, in one sentence.
    passed : bool
        Whether the evidence supports the claim.
    level : {'proved', 'certified', 'numerical'}
        ``proved``: exact arithmetic; ``certified``: rigorous interval
        enclosures; ``numerical``: floating point / statistics.
    figures : dict
        The key numbers (JSON-serialisable after :func:`jsonable`).
    seconds : float
        Wall time of the check.
    """

    name: str
    claim: str
    passed: bool
    level: str
    figures: dict = field(default_factory=dict)
    seconds: float = 0.0

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")
        if not isinstance(self.passed, bool):
            self.passed = bool(self.passed)

    def to_dict(self) -> dict:
        # no asdict(): it deep-copies the figures, and flint's arb/acb balls cannot be copied
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["figures"] = jsonable(self.figures)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict())


def jsonable(obj: Any) -> Any:
    """Convert numbers (NumPy, SymPy, Fraction) and containers to JSON types."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else str(obj)
    if isinstance(obj, Fraction):
        return str(obj)
    try:
        import numpy as np

        if isinstance(obj, np.bool_):
            return bool(obj)
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.floating):
            return jsonable(float(obj))
        if isinstance(obj, np.ndarray):
            return jsonable(obj.tolist())
    except ImportError:  # pragma: no cover
        pass
    try:
        import sympy

        if isinstance(obj, sympy.Basic):
            if obj.is_Integer:
                return int(obj)
            if obj.is_Float:
                return float(obj)
            return str(obj)
    except ImportError:  # pragma: no cover
        pass
    return str(obj)


class Stopwatch:
    """Context manager measuring wall time, for ``Verdict.seconds``."""

    def __enter__(self):
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        return False

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start
