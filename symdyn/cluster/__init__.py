"""Quickshift++ clustering (``QuickshiftPP``), scikit-learn compatible."""

from ._quickshiftpp import QuickshiftPP

__all__ = ["QuickshiftPP"]
