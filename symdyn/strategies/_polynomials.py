"""Polynomials built from chosen factors, with their exact root locations.

Every polynomial is ``lc * prod_j f_j(x)**m_j`` where each factor ``f_j`` is one of

* ``x - r``: a rational root ``r`` (``x`` itself for ``r = 0``);
* ``x - (a + b*sqrt(s))``: a real quadratic irrational root (algebraic coefficients);
* ``x**2 - 2*a*x + a**2 + b**2*s``: the complex-conjugate pair ``a +- b*sqrt(s)*i``
  (``s = 1`` for Gaussian rationals), including ``x**2 + c`` on the imaginary axis;
* ``x**2 - 2*cos(t)*x + 1`` with the rational point ``(cos, sin) = ((1-t^2)/(1+t^2), 2t/(1+t^2))``
  of the unit circle (a pair with ``|z| = 1``);

so the location of every root (half plane and unit disk) is decided by signs of
rationals at construction time, independently of :mod:`symdyn.stability`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy
from hypothesis import strategies as st

from ._rationals import check_count, positive_rationals, small_rationals, unit_interval_rationals

__all__ = ["PolynomialCase", "polynomials"]

X = sympy.Symbol("x")
HALF_PLANE = ("left", "imaginary", "right")
DISK = ("inside", "on", "outside")
SQUAREFREE = (2, 3, 5)


@dataclass(frozen=True)
class _Factor:
    expr: sympy.Expr            # monic factor in X
    roots: tuple                # its roots (SymPy numbers)
    half_plane: str             # 'left' | 'imaginary' | 'right' (same for all its roots)
    disk: str                   # 'inside' | 'on' | 'outside'
    algebraic: bool = False     # irrational coefficients


@dataclass(frozen=True)
class PolynomialCase:
    """A polynomial with known roots.

    Attributes
    ----------
    poly : sympy.Poly
        ``lc * prod(factor**multiplicity)`` in the symbol ``x``.
    coeffs : tuple
        Exact SymPy coefficients, highest degree first.
    leading : sympy.Rational
        The leading coefficient ``lc``.
    factors : tuple of (sympy.Expr, int)
        Monic factors and their multiplicities, as built.
    roots : tuple of (sympy.Expr, int)
        Every distinct root with its multiplicity.
    half_plane : symdyn.stability.HalfPlaneCount
        Exact numbers of roots (with multiplicity) with ``Re < 0``, ``Re = 0``, ``Re > 0``.
    disk : symdyn.stability.DiskCount
        Exact numbers of roots with ``|z| < 1``, ``|z| = 1``, ``|z| > 1``.
    """

    poly: sympy.Poly
    coeffs: tuple
    leading: sympy.Expr
    factors: tuple
    roots: tuple
    half_plane: tuple
    disk: tuple

    @property
    def degree(self) -> int:
        return self.poly.degree()

    @property
    def x(self) -> sympy.Symbol:
        return self.poly.gen


def _q(f: Fraction) -> sympy.Rational:
    return sympy.Rational(f.numerator, f.denominator)


def _sign(v: Fraction) -> int:
    return (v > 0) - (v < 0)


def _sign_sqrt(a: Fraction, b: Fraction, s: int) -> int:
    """Exact sign of ``a + b*sqrt(s)`` for a non-square ``s`` (never 0 when ``b != 0``)."""
    if b == 0:
        return _sign(a)
    if a >= 0 and b > 0:
        return 1
    if a <= 0 and b < 0:
        return -1
    # opposite signs: compare a^2 with b^2 s
    bigger_a = a * a > b * b * s
    return _sign(a) if bigger_a else _sign(b)


def _half_plane_of_real(sign: int) -> str:
    return {-1: "left", 0: "imaginary", 1: "right"}[sign]


def _disk_of_modulus_squared(m2: Fraction) -> str:
    return "inside" if m2 < 1 else ("on" if m2 == 1 else "outside")


def _real_root(r: Fraction) -> _Factor:
    return _Factor(X - _q(r), (_q(r),), _half_plane_of_real(_sign(r)), _disk_of_modulus_squared(r * r))


def _algebraic_root(a: Fraction, b: Fraction, s: int) -> _Factor:
    root = _q(a) + _q(b) * sympy.sqrt(s)
    hp = _half_plane_of_real(_sign_sqrt(a, b, s))
    below_one = _sign_sqrt(a - 1, b, s) < 0
    above_minus_one = _sign_sqrt(a + 1, b, s) > 0
    dk = "inside" if (below_one and above_minus_one) else "outside"  # |root| = 1 is impossible
    return _Factor(X - root, (root,), hp, dk, algebraic=True)


def _complex_pair(a: Fraction, b: Fraction, s: int = 1) -> _Factor:
    """Roots ``a +- b sqrt(s) i`` (``b != 0``): factor ``x^2 - 2 a x + a^2 + b^2 s``."""
    im = _q(b) * sympy.sqrt(s)
    expr = X**2 - 2 * _q(a) * X + _q(a * a + b * b * s)
    roots = (_q(a) + im * sympy.I, _q(a) - im * sympy.I)
    return _Factor(expr, roots, _half_plane_of_real(_sign(a)), _disk_of_modulus_squared(a * a + b * b * s))


def _circle_pair(t: Fraction) -> _Factor:
    """``cos = (1-t^2)/(1+t^2)``, ``sin = 2t/(1+t^2)`` with ``t > 0``: roots ``cos +- i sin``."""
    c = (1 - t * t) / (1 + t * t)
    s = 2 * t / (1 + t * t)
    expr = X**2 - 2 * _q(c) * X + 1
    roots = (_q(c) + _q(s) * sympy.I, _q(c) - _q(s) * sympy.I)
    return _Factor(expr, roots, _half_plane_of_real(_sign(c)), "on")


# ----------------------------------------------------------------- region-directed factors
def _factor_in(region: str, size: int, algebraic: bool):
    """Strategy of factors of degree ``size`` (1 or 2) whose roots all lie in ``region``."""
    pos = positive_rationals()
    if region in ("left", "right"):
        sgn = -1 if region == "left" else 1
        if size == 1:
            real = pos.map(lambda r: _real_root(sgn * r))
            if not algebraic:
                return real
            alg = st.builds(lambda a, b, s: _algebraic_root(sgn * a, sgn * b, s),
                            st.builds(Fraction, st.integers(0, 4), st.integers(1, 3)), pos, st.sampled_from(SQUAREFREE))
            return st.one_of(real, alg)
        return st.builds(lambda a, b, s: _complex_pair(sgn * a, b, s), pos, pos,
                         st.sampled_from((1,) + (SQUAREFREE if algebraic else ())))
    if region == "imaginary":
        if size == 1:
            return st.just(_real_root(Fraction(0)))
        return pos.map(_imag_pair)
    if region == "inside":
        if size == 1:
            return unit_interval_rationals().map(_real_root)
        return _inside_pair()
    if region == "on":
        if size == 1:
            return st.sampled_from((Fraction(1), Fraction(-1))).map(_real_root)
        return positive_rationals(4, 4).map(_circle_pair)
    if region == "outside":
        if size == 1:
            return st.builds(lambda sgn, r: _real_root(sgn * (1 + r)), st.sampled_from((1, -1)), pos)
        return st.builds(lambda a, b: _complex_pair(a, 1 + b), small_rationals(), pos)
    raise ValueError(f"unknown region {region!r}")  # pragma: no cover


def _imag_pair(c: Fraction) -> _Factor:
    """``x^2 + c`` (``c > 0``): roots ``+- i sqrt(c)``."""
    root = sympy.sqrt(_q(c)) * sympy.I
    return _Factor(X**2 + _q(c), (root, -root), "imaginary", _disk_of_modulus_squared(c))


def _inside_pair():
    @st.composite
    def draw_pair(draw):
        q = draw(st.integers(2, 6))
        a = draw(st.integers(-(q - 1), q - 1))
        b_max = 0
        while (b_max + 1) ** 2 + a * a < q * q:
            b_max += 1
        b = draw(st.integers(1, b_max))
        return _complex_pair(Fraction(a, q), Fraction(b, q))

    return draw_pair()


def _any_factor(algebraic: bool, boundary: bool):
    regions = ("left", "right", "inside", "outside") + (("imaginary", "on") if boundary else ())

    @st.composite
    def draw_factor(draw):
        region = draw(st.sampled_from(regions))
        size = draw(st.sampled_from((1, 2)))
        factor = _factor_in(region, size, algebraic)
        return draw(factor if boundary else factor.filter(_off_boundary))

    return draw_factor()


def _off_boundary(f: _Factor) -> bool:
    return f.half_plane != "imaginary" and f.disk != "on"


def _fill(draw, region: str, count: int, algebraic: bool, max_multiplicity: int, boundary: bool) -> list:
    """Factors (with multiplicities) whose roots lie in ``region``, ``count`` roots in total."""
    out = []
    while count > 0:
        size = draw(st.sampled_from((1, 2))) if count >= 2 else 1
        m = draw(st.integers(1, max(1, min(max_multiplicity, count // size))))
        factor = _factor_in(region, size, algebraic)
        out.append((draw(factor if boundary else factor.filter(_off_boundary)), m))
        count -= size * m
    return out


def _case(lc, factors) -> PolynomialCase:
    from ..stability import DiskCount, HalfPlaneCount

    expr = lc * sympy.Mul(*[f.expr**m for f, m in factors])
    poly = sympy.Poly(sympy.expand(expr), X)
    roots: dict = {}
    hp = dict.fromkeys(HALF_PLANE, 0)
    dk = dict.fromkeys(DISK, 0)
    for f, m in factors:
        for r in f.roots:
            roots[r] = roots.get(r, 0) + m
            hp[f.half_plane] += m
            dk[f.disk] += m
    return PolynomialCase(
        poly=poly, coeffs=tuple(sympy.expand(c) for c in poly.all_coeffs()), leading=lc,
        factors=tuple((f.expr, m) for f, m in factors), roots=tuple(roots.items()),
        half_plane=HalfPlaneCount(*(hp[k] for k in HALF_PLANE)), disk=DiskCount(*(dk[k] for k in DISK)),
    )


def polynomials(*, left=None, imaginary=None, right=None, inside=None, on=None, outside=None,
                max_degree: int = 6, coefficients: str = "rational", max_multiplicity: int = 2,
                boundary: bool = True):
    """Polynomials with prescribed (or drawn) root counts and their exact locations.

    Give counts for *one* family of regions -- half plane (``left``, ``imaginary``,
    ``right``) or unit disk (``inside``, ``on``, ``outside``) -- or none. A count left
    as ``None`` in the chosen family is drawn (``0`` for the boundary region when
    ``boundary=False``). Without any count, factors of every kind are drawn freely.

    Parameters
    ----------
    left, imaginary, right : int or None
        Numbers of roots (with multiplicity) with ``Re z < 0``, ``= 0``, ``> 0``.
    inside, on, outside : int or None
        Numbers of roots with ``|z| < 1``, ``= 1``, ``> 1``.
    max_degree : int
        Cap on the degree when counts are drawn (1..12).
    coefficients : {'rational', 'algebraic'}
        ``'algebraic'`` also draws real roots ``a + b sqrt(s)`` (coefficients in
        ``QQ(sqrt(s))``), complex pairs ``a +- b sqrt(s) i``, and a leading
        coefficient that may be ``sqrt(2)``.
    max_multiplicity : int
        Largest multiplicity of a factor (1..4).
    boundary : bool
        Whether roots on a boundary may be drawn: ``False`` excludes roots on the
        imaginary axis *and* on the unit circle.

    Returns
    -------
    SearchStrategy of PolynomialCase

    Guarantees
    ----------
    ``case.poly == case.leading * prod(f**m for f, m in case.factors)`` exactly;
    ``case.roots`` lists every root with its multiplicity; ``case.half_plane`` and
    ``case.disk`` are the exact counts (decided on rationals at construction), and
    equal the prescribed counts. The degree is at least 1.

    Examples
    --------
    >>> from hypothesis import given
    >>> from symdyn.strategies import polynomials
    >>> from symdyn.stability import half_plane_count
    >>> @given(polynomials(left=2, right=1))
    ... def test_counts(case):
    ...     assert half_plane_count(case.poly) == case.half_plane
    >>> test_counts()
    """
    hp = {"left": left, "imaginary": imaginary, "right": right}
    dk = {"inside": inside, "on": on, "outside": outside}
    for name, v in {**hp, **dk}.items():
        check_count(name, v, 0, 12)
    given_hp = any(v is not None for v in hp.values())
    given_dk = any(v is not None for v in dk.values())
    if given_hp and given_dk:
        raise ValueError("give counts for the half plane (left/imaginary/right) or for the unit disk "
                         "(inside/on/outside), not both")
    check_count("max_degree", max_degree, 1, 12)
    check_count("max_multiplicity", max_multiplicity, 1, 4)
    if coefficients not in ("rational", "algebraic"):
        raise ValueError(f"coefficients must be 'rational' or 'algebraic', got {coefficients!r}")
    if not isinstance(boundary, bool):
        raise TypeError("boundary must be a bool")
    algebraic = coefficients == "algebraic"
    family = hp if given_hp else (dk if given_dk else None)
    boundary_region = "imaginary" if given_hp else "on"
    if family is not None and not boundary and family[boundary_region]:
        raise ValueError(f"boundary=False contradicts {boundary_region}={family[boundary_region]}")

    lc_strategy = small_rationals(nonzero=True).map(_q)
    if algebraic:
        lc_strategy = st.one_of(lc_strategy, st.just(sympy.sqrt(2)))

    @st.composite
    def draw_case(draw):
        lc = draw(lc_strategy)
        factors = []
        if family is None:
            degree = draw(st.integers(1, max_degree))
            while sum(len(f.roots) * m for f, m in factors) < degree:
                left_over = degree - sum(len(f.roots) * m for f, m in factors)
                f = draw(_any_factor(algebraic, boundary))
                if len(f.roots) > left_over:
                    factor = _factor_in(f.half_plane, 1, algebraic)
                    f = draw(factor if boundary else factor.filter(_off_boundary))
                m = draw(st.integers(1, max(1, min(max_multiplicity, left_over // len(f.roots)))))
                factors.append((f, m))
        else:
            counts = dict(family)
            fixed = sum(v for v in counts.values() if v is not None)
            for region in counts:
                if counts[region] is None:
                    if region == boundary_region and not boundary:
                        counts[region] = 0
                    else:
                        counts[region] = draw(st.integers(0, max(0, max_degree - fixed)))
                        fixed += counts[region]
            if sum(counts.values()) == 0:  # at least degree 1
                region = next(r for r in counts if family[r] is None and (boundary or r != boundary_region))
                counts[region] = 1
            for region, c in counts.items():
                factors += _fill(draw, region, c, algebraic, max_multiplicity, boundary)
            factors = draw(st.permutations(factors))
        return _case(lc, factors)

    if family is not None and all(v == 0 for v in family.values() if v is not None) and all(
            v is not None for v in family.values()):
        raise ValueError("the prescribed counts sum to 0: a polynomial needs degree >= 1")
    return draw_case()
