"""Progress reporting for long work: a tqdm bar on a terminal, plain lines otherwise.

Everything goes to stderr, so stdout stays the command's result.
"""

from __future__ import annotations

import sys

__all__ = ["Progress", "note"]


def note(text: str) -> None:
    """One plain progress line on stderr (printed above a tqdm bar when one is active)."""
    try:
        from tqdm import tqdm

        tqdm.write(text, file=sys.stderr)
    except ImportError:  # pragma: no cover - tqdm is a dependency
        print(text, file=sys.stderr, flush=True)
    sys.stderr.flush()


def _terminal_size() -> tuple[int, int]:
    """``(columns, lines)`` of the terminal on stderr (0 where it reports none)."""
    import os

    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):
        return 0, 0
    return size.columns, size.lines


class Progress:
    """Count ``total`` units of work under the name ``desc``.

    Parameters
    ----------
    total : int
        Units of work.
    desc : str
        What is being done (the bar's label, the plain lines' prefix).
    enabled : bool or None
        ``False``: silent; ``True`` or ``None``: report.
    unit : str
        Name of one unit (``"step"``, ``"check"``, ...).
    every : float
        Plain-line mode: a line each time another ``every`` fraction of the work is done.

    Examples
    --------
    >>> p = Progress(4, "demo", enabled=False)
    >>> for _ in range(4):
    ...     p.update()
    >>> p.close()
    >>> p.done
    4
    """

    def __init__(self, total: int, desc: str, *, enabled: bool | None = None, unit: str = "step",
                 every: float = 0.1):
        self.total, self.desc, self.unit, self.done = int(total), desc, unit, 0
        self.enabled = enabled is not False and self.total > 0
        self.bar = None
        self.every = every
        self._next = every
        if self.enabled and sys.stderr.isatty():
            from tqdm import tqdm

            # a terminal that reports a 0 x 0 size (a bare pty, some CI runners) makes tqdm print nothing
            columns, lines = _terminal_size()
            self.bar = tqdm(total=self.total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                            ncols=None if columns > 0 else 80, nrows=None if lines > 0 else 20)
        elif self.enabled:
            note(f"{desc}: {self.total} {unit}s")

    def update(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(n)
        elif self.done >= self._next * self.total - 1e-9 or self.done >= self.total:  # tolerance: every = 1/3 etc.
            note(f"{self.desc}: {self.done}/{self.total} {self.unit}s ({100 * self.done // self.total}%)")
            while self._next * self.total <= self.done + 1e-9:
                self._next += self.every

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
