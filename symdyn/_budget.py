"""Wall-clock budgets for numerical searches.

Every numerical path that can run long (root scans, Newton searches,
high-precision quadrature) takes a :class:`Budget` and calls
:meth:`Budget.check` in its loops, so it stops with a clear
:class:`BudgetExceeded` (a ``TimeoutError``) naming what ran out of time,
instead of hanging.
"""

from __future__ import annotations

import time

__all__ = ["Budget", "BudgetExceeded", "as_budget"]


class BudgetExceeded(TimeoutError):
    """A numerical computation used up its time budget."""


class Budget:
    """A deadline ``seconds`` from now (``None``: no limit).

    Parameters
    ----------
    seconds : float or None
        Allowed wall time (> 0), or ``None`` for no limit.
    what : str
        Name of the computation, used in the error message.

    Examples
    --------
    >>> from symdyn._budget import Budget
    >>> b = Budget(10.0, "scan")
    >>> b.check()            # plenty of time left: returns quietly
    >>> b.remaining() <= 10.0
    True
    """

    def __init__(self, seconds: float | None = None, what: str = "computation"):
        if seconds is not None:
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
                raise TypeError(f"budget must be a number of seconds or None, got {type(seconds).__name__}")
            if not seconds > 0:
                raise ValueError(f"budget must be > 0 seconds, got {seconds}")
        self.seconds = seconds
        self.what = what
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def remaining(self) -> float:
        if self.seconds is None:
            return float("inf")
        return self.seconds - self.elapsed()

    def check(self, detail: str = "") -> None:
        """Raise :class:`BudgetExceeded` when the deadline has passed."""
        if self.seconds is not None and self.elapsed() > self.seconds:
            more = f" ({detail})" if detail else ""
            raise BudgetExceeded(
                f"{self.what} exceeded its time budget of {self.seconds:g} s{more}; "
                "pass a larger budget= (seconds) or None for no limit"
            )


def as_budget(budget, what: str) -> Budget:
    """``budget`` as a :class:`Budget` (a number of seconds, ``None`` or a Budget)."""
    if isinstance(budget, Budget):
        return budget
    return Budget(budget, what)
