"""Special functions of Gaussian expectations: the bivariate normal orthant probability.

:class:`BivariateNormalCDF` ``Phi2(h, k, rho) = P(X <= h, Y <= k)`` for a
standard bivariate normal pair with correlation ``rho`` (``|rho| < 1``).  It
closes ``E[erf(L1) erf(L2)]`` for affine ``L1, L2`` of a Gaussian vector with
non-zero means (:func:`symdyn.expectation.gaussian_expectation`).

* symbolic derivatives (``fdiff``): ``d/dh = phi(h) Phi((k - rho h)/sqrt(1 - rho^2))``,
  ``d/drho = phi2(h, k; rho)`` (the density; Plackett's identity);
* exact values: ``Phi2(0, 0, rho) = 1/4 + asin(rho)/(2 pi)``,
  ``Phi2(h, k, 0) = Phi(h) Phi(k)``;
* ``evalf``: ``mpmath.quad`` of ``Phi(h)Phi(k) + int_0^rho phi2(h, k; s) ds``;
* ``lambdify``/NumPy: Owen's T decomposition with Gauss--Legendre
  (about ``1e-15`` absolute, any ``|rho| < 1``), :func:`bvn_cdf_numpy`;
* rigorous enclosure in ball arithmetic: :func:`bvn_cdf_arb` (``acb.integral``
  of the analytic integrand ``rho phi2(h, k; rho t)``, ``t in [0, 1]``).

Examples
--------
>>> import sympy
>>> from symdyn.special import BivariateNormalCDF
>>> h, k, r = sympy.symbols("h k rho", real=True)
>>> BivariateNormalCDF(0, 0, r)
asin(rho)/(2*pi) + 1/4
>>> sympy.latex(BivariateNormalCDF(h, k, r))
'\\\\Phi_{2}\\\\left(h, k; \\\\rho\\\\right)'
>>> round(float(BivariateNormalCDF(sympy.Rational(1, 2), -1, sympy.Rational(3, 10))), 12)
0.13325613545
"""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy
from sympy.core.function import ArgumentIndexError

__all__ = ["BivariateNormalCDF", "normal_cdf", "bvn_cdf_numpy", "bvn_cdf_arb", "bvn_cdf_mpmath"]


def normal_cdf(x):
    """``Phi(x) = (1 + erf(x / sqrt(2))) / 2`` as a SymPy expression."""
    return (1 + sympy.erf(x / sympy.sqrt(2))) / 2


def _normal_pdf(x):
    return sympy.exp(-x**2 / 2) / sympy.sqrt(2 * sympy.pi)


class BivariateNormalCDF(sympy.Function):
    r"""``Phi2(h, k, rho) = P(X <= h, Y <= k)``, ``(X, Y)`` standard normal with correlation ``rho``.

    Defined for real ``h, k`` and ``|rho| < 1``.  LaTeX: ``\Phi_2(h, k; \rho)``.
    """

    nargs = 3
    is_extended_real = True
    is_real = True
    is_finite = True

    @classmethod
    def eval(cls, h, k, rho):
        if h.is_zero and k.is_zero:
            return sympy.Rational(1, 4) + sympy.asin(rho) / (2 * sympy.pi)
        if rho.is_zero:
            return normal_cdf(h) * normal_cdf(k)
        if rho.is_Number and not (-1 < rho < 1):
            raise ValueError(f"BivariateNormalCDF: rho must satisfy |rho| < 1, got {rho}")
        return None

    def fdiff(self, argindex=1):
        h, k, rho = self.args
        s = sympy.sqrt(1 - rho**2)
        if argindex == 1:
            return _normal_pdf(h) * normal_cdf((k - rho * h) / s)
        if argindex == 2:
            return _normal_pdf(k) * normal_cdf((h - rho * k) / s)
        if argindex == 3:
            return sympy.exp(-(h**2 - 2 * rho * h * k + k**2) / (2 * (1 - rho**2))) / (2 * sympy.pi * s)
        raise ArgumentIndexError(self, argindex)

    def _eval_evalf(self, prec):
        import mpmath

        vals = [a.evalf(prec) for a in self.args]
        if not all(v.is_Number for v in vals):
            return None
        dps = mpmath.libmp.prec_to_dps(prec)
        with mpmath.workdps(dps + 10):
            val = bvn_cdf_mpmath(*[mpmath.mpf(str(v)) if not v.is_Rational else mpmath.mpf(v.p) / v.q
                                   for v in vals])
        return sympy.Float(val, dps)

    def _latex(self, printer, exp=None):
        h, k, rho = (printer._print(a) for a in self.args)
        tex = rf"\Phi_{{2}}\left({h}, {k}; {rho}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _sympystr(self, printer):
        return "Phi2(" + ", ".join(printer._print(a) for a in self.args) + ")"

    @staticmethod
    def _imp_(h, k, rho):
        """NumPy implementation used by ``lambdify`` (vectorised)."""
        return bvn_cdf_numpy(h, k, rho)


# -- mpmath -------------------------------------------------------------------

def bvn_cdf_mpmath(h, k, rho):
    """``Phi2(h, k, rho)`` with ``mpmath.quad`` at the working precision (``|rho| < 1``)."""
    import mpmath

    h, k, rho = mpmath.mpf(h), mpmath.mpf(k), mpmath.mpf(rho)
    if not abs(rho) < 1:
        raise ValueError(f"rho must satisfy |rho| < 1, got {rho}")
    Phi = lambda x: mpmath.erfc(-x / mpmath.sqrt(2)) / 2  # noqa: E731

    def dens(s):
        q = 1 - s * s
        return mpmath.exp(-(h * h - 2 * s * h * k + k * k) / (2 * q)) / (2 * mpmath.pi * mpmath.sqrt(q))

    return Phi(h) * Phi(k) + mpmath.quad(dens, [0, rho])


# -- NumPy (Owen's T) -----------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _legendre01(n=40):
    x, w = np.polynomial.legendre.leggauss(n)
    return (x + 1) / 2, w / 2


def _ndtr(x):
    from scipy.special import ndtr

    return ndtr(x)


def _owens_t_small(h, a):
    """``T(h, a)`` for ``|a| <= 1`` (Gauss--Legendre; the integrand is analytic near [0, 1])."""
    t, w = _legendre01()
    u = 1 + (a[..., None] * t) ** 2
    vals = np.exp(-0.5 * h[..., None] ** 2 * u) / u
    return a * (vals @ w) / (2 * math.pi)


def _owens_t(h, b):
    """Owen's ``T(h, a)`` with ``a = b / h`` (``h = 0`` allowed: ``a = +-inf``), vectorised."""
    h, b = np.broadcast_arrays(np.asarray(h, dtype=float), np.asarray(b, dtype=float))
    ah, ab = np.abs(h), np.abs(b)
    small = ab <= ah
    with np.errstate(divide="ignore", invalid="ignore"):
        a_small = np.where(small & (ah > 0), b / np.where(ah > 0, h, 1.0), 0.0)
        a_inv = np.where(~small, ah / np.where(ab > 0, ab, 1.0), 0.0)
    direct = _owens_t_small(ah, np.where(small, a_small, 0.0))
    # |a| > 1: T(h, a) = sign(a) [ (Phi(h) Phic(|b|) + Phi(|b|) Phic(h)) / 2 - T(|b|, h / |b|) ], h >= 0
    sgn = np.where(b >= 0, 1.0, -1.0) * np.where(h >= 0, 1.0, -1.0)
    Ph, Pb = _ndtr(ah), _ndtr(ab)
    refl = 0.5 * (Ph * _ndtr(-ab) + Pb * _ndtr(-ah)) - _owens_t_small(ab, a_inv)
    return np.where(small, direct, sgn * refl)


def bvn_cdf_numpy(h, k, rho):
    """Vectorised ``Phi2(h, k, rho)`` (Owen's T decomposition; ``NaN`` where ``|rho| >= 1``).

    ``Phi2 = Phi(h)/2 + Phi(k)/2 - T(h, a_h) - T(k, a_k) - delta`` with
    ``a_h = (k - rho h) / (h sqrt(1 - rho^2))`` and ``delta = 1/2`` iff
    ``h k < 0`` or (``h k = 0`` and ``h + k < 0``).
    """
    h, k, rho = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (h, k, rho)))
    # |dPhi2/dh|, |dPhi2/dk| <= phi(0) < 0.4, so snapping |h|, |k| < 1e-100 to 0 moves the
    # value by < 1e-100, while the ratios a = b / h below lose digits to subnormal arithmetic.
    h = np.where(np.abs(h) < 1e-100, 0.0, h)
    k = np.where(np.abs(k) < 1e-100, 0.0, k)
    with np.errstate(invalid="ignore"):
        s = np.sqrt(1 - rho**2)
        bad = ~(np.abs(rho) < 1)
        s = np.where(bad, 1.0, s)
        bh = (k - rho * h) / s
        bk = (h - rho * k) / s
    # signs, not the product h k (which underflows to 0 for tiny h, k)
    opposite = ((h < 0) & (k > 0)) | ((h > 0) & (k < 0))
    one_zero_other_negative = ((h == 0) & (k < 0)) | ((k == 0) & (h < 0))
    delta = np.where(opposite | one_zero_other_negative, 0.5, 0.0)
    val = 0.5 * _ndtr(h) + 0.5 * _ndtr(k) - _owens_t(h, bh) - _owens_t(k, bk) - delta
    origin = (h == 0) & (k == 0)
    val = np.where(origin, 0.25 + np.arcsin(np.clip(rho, -1, 1)) / (2 * math.pi), val)
    val = np.where(bad, np.nan, val)
    return val if val.ndim else float(val)


# -- ball arithmetic ------------------------------------------------------------

def bvn_cdf_arb(h, k, rho):
    """Rigorous enclosure of ``Phi2(h, k, rho)`` (python-flint ``arb`` in, ``arb`` out).

    ``Phi(h) Phi(k) + rho int_0^1 phi2(h, k; rho t) dt`` with ``acb.integral``;
    the integrand is analytic on a neighbourhood of ``[0, 1]`` when ``|rho| < 1``
    (checked: ``1 - (rho t)^2`` must stay off the square root's branch cut).
    Uses the current ``flint.ctx.prec``.  An input ball containing ``|rho| >= 1``
    gives a non-finite result.
    """
    from flint import acb, arb

    h, k, rho = arb(h), arb(k), arb(rho)
    if not (abs(rho) < 1):
        return arb.nan()
    two_pi = 2 * arb.pi()
    hh, kk = acb(h), acb(k)
    rr = acb(rho)

    def f(t, analytic):
        s = rr * t
        q = 1 - s * s
        root = q.sqrt(analytic=analytic)
        return (-(hh * hh - 2 * s * hh * kk + kk * kk) / (2 * q)).exp() / (two_pi * root)

    integral = acb.integral(f, 0, 1)
    Phi = lambda x: (-x / arb(2).sqrt()).erfc() / 2  # noqa: E731
    return Phi(h) * Phi(k) + rho * integral.real
