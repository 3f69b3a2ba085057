"""Exact rate comparison of LSGD and GD on strongly convex quadratics ``f = x^T B x / 2``.

All statements are decided by exact inertia over QQ (Sylvester's law on the
pencil ``B - t A_sigma``: the number of eigenvalues of ``A^{-1}B`` below /
above ``t`` is the number of negative / positive eigenvalues of ``B - tA``).
They need the extreme eigenvalues of ``B`` as rationals; these are verified
exactly, not trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from flint import fmpq, fmpq_mat

from ._exact import identity, ldl_inertia, to_fmpq
from .matrices import laplacian, smoothing_matrix

__all__ = ["RateComparison", "verify_extreme_eigenvalues", "compare_rates", "laplacian_hessian"]


def laplacian_hessian(n: int, alpha, beta) -> fmpq_mat:
    """``B = alpha I - beta L`` (circulant, SPD for ``alpha > 0, beta >= 0``).

    >>> laplacian_hessian(2, 1, 1)
    [ 3, -2]
    [-2,  3]
    """
    a, b = to_fmpq("alpha", alpha), to_fmpq("beta", beta)
    if a <= 0:
        raise ValueError(f"alpha must be > 0, got {a}")
    if b < 0:
        raise ValueError(f"beta must be >= 0, got {b}")
    return identity(n) * a - laplacian(n) * b


def verify_extreme_eigenvalues(B: fmpq_mat, lam_min, lam_max) -> bool:
    """Exact: ``lam_min`` and ``lam_max`` are the smallest and largest eigenvalues of symmetric ``B``."""
    lo, hi = to_fmpq("lam_min", lam_min), to_fmpq("lam_max", lam_max)
    n = B.nrows()
    I = identity(n)
    a = ldl_inertia(B - I * lo)
    b = ldl_inertia(B - I * hi)
    return a.negative == 0 and a.zero > 0 and b.positive == 0 and b.zero > 0


@dataclass
class RateComparison:
    """Outcome of :func:`compare_rates` (all booleans exact)."""

    strongly_convex: bool          # lam_min > 0
    extremes_verified: bool        # lam_min, lam_max are B's extreme eigenvalues
    gd_radius: fmpq                # spectral radius of I - eta B
    gd_stable: bool                # eta lam_max < 2
    lsgd_range_contains_gd: bool   # lambda_max(A^{-1}B) <= lam_max
    lsgd_no_worse: bool            # rho(T_LSGD) <= rho(T_GD)

    @property
    def holds(self) -> bool:
        return (self.strongly_convex and self.extremes_verified and self.gd_stable
                and self.lsgd_range_contains_gd and self.lsgd_no_worse)


def compare_rates(B: fmpq_mat, lam_min, lam_max, eta, sigma, order: int = 1) -> RateComparison:
    """Compare LSGD's and GD's contraction exactly at the same ``eta``.

    ``rho_GD = max(|1 - eta lam_min|, |1 - eta lam_max|)`` is rational; LSGD is
    no worse iff every eigenvalue ``lambda`` of ``A^{-1}B`` lies in
    ``[(1 - rho)/eta, (1 + rho)/eta]``, i.e. ``B - ((1-rho)/eta) A >= 0`` and
    ``B - ((1+rho)/eta) A <= 0`` (exact inertia). The step-range statement is
    ``B - lam_max A <= 0`` (so ``2/lambda_max(A^{-1}B) >= 2/lam_max``).

    >>> from fractions import Fraction as F
    >>> B = laplacian_hessian(4, 1, 1)          # eigenvalues 1..5
    >>> compare_rates(B, 1, 5, F(1, 5), 1).holds
    True
    >>> compare_rates(identity(3), 1, 1, F(1, 2), 1).lsgd_no_worse   # B = I: smoothing slows GD down
    False
    """
    lo, hi = to_fmpq("lam_min", lam_min), to_fmpq("lam_max", lam_max)
    e = to_fmpq("eta", eta)
    if e <= 0:
        raise ValueError(f"eta must be > 0, got {e}")
    n = B.nrows()
    A = smoothing_matrix(n, sigma, order)
    rho = max(abs(1 - e * lo), abs(1 - e * hi))
    low_t = (1 - rho) / e
    high_t = (1 + rho) / e
    no_worse = ldl_inertia(B - A * low_t).negative == 0 and ldl_inertia(B - A * high_t).positive == 0
    range_ok = ldl_inertia(B - A * hi).positive == 0
    return RateComparison(
        strongly_convex=lo > 0,
        extremes_verified=verify_extreme_eigenvalues(B, lo, hi),
        gd_radius=rho,
        gd_stable=e * hi < 2,
        lsgd_range_contains_gd=range_ok,
        lsgd_no_worse=no_worse,
    )
