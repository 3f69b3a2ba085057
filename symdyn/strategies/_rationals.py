"""Small exact numbers for strategies: rationals built from small integers (they shrink to 0, 1, 1/2...)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

__all__ = ["small_rationals", "positive_rationals", "unit_interval_rationals", "check_count"]


def small_rationals(max_numerator: int = 6, max_denominator: int = 4, *, nonzero: bool = False):
    """``p/q`` with ``|p| <= max_numerator`` and ``1 <= q <= max_denominator``."""

    @st.composite
    def draw_rational(draw):
        q = draw(st.integers(1, max_denominator))
        p = draw(st.integers(-max_numerator, max_numerator).filter(lambda v: v != 0) if nonzero
                 else st.integers(-max_numerator, max_numerator))
        return Fraction(p, q)

    return draw_rational()


def positive_rationals(max_numerator: int = 8, max_denominator: int = 4):
    """``p/q > 0`` with ``1 <= p <= max_numerator``, ``1 <= q <= max_denominator``."""
    return st.builds(Fraction, st.integers(1, max_numerator), st.integers(1, max_denominator))


def unit_interval_rationals(max_denominator: int = 6, *, allow_zero: bool = True):
    """``p/q`` with ``|p/q| < 1`` (open unit interval), ``q <= max_denominator``."""

    @st.composite
    def draw_rational(draw):
        q = draw(st.integers(2, max(2, max_denominator)))
        low = -(q - 1)
        p = draw(st.integers(low, q - 1).filter(lambda v: allow_zero or v != 0))
        return Fraction(p, q)

    return draw_rational()


def check_count(name: str, value, low: int = 0, high: int | None = None):
    """Validate an optional count parameter (None or an int in [low, high])."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int or None, got {type(value).__name__}")
    if value < low or (high is not None and value > high):
        rng = f"[{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be in {rng}, got {value}")
    return value
