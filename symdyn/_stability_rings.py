"""Exact univariate polynomial rings over ordered fields, and Sturm machinery.

Two rings share one small interface so the algorithms are written once:

* :class:`QQRing` -- ``flint.fmpq_poly`` (fast path for rational coefficients);
* :class:`AlgRing` -- SymPy ``Poly`` over a real number field ``QQ<theta>``
  with exact signs from :class:`symdyn._stability_numbers.FieldSigns`.

Polynomials are built from coefficient lists, **lowest degree first**.

The algorithms (signed remainder sequences, Sturm counts, Cauchy indices,
Routh--Hurwitz half-plane counts and the Moebius map for the unit disk) only
ever ask a ring for exact signs, never for numerical values.
"""

from __future__ import annotations

from flint import fmpq, fmpq_poly
from sympy import Rational

from ._stability_numbers import FieldSigns


def _sgn(c) -> int:
    return (c > 0) - (c < 0)


class _ArithmeticRing:
    """Ring operations shared by the coefficient rings (their polynomials overload + * -)."""

    def mul(self, a, b):
        return a * b

    def add(self, a, b):
        return a + b

    def neg(self, a):
        return -a


class QQRing(_ArithmeticRing):
    """Polynomials over QQ as ``flint.fmpq_poly``."""

    zero = fmpq(0)

    def from_low(self, coeffs):
        return fmpq_poly([fmpq(int(c.p), int(c.q)) if hasattr(c, "q") else fmpq(c)
                          for c in coeffs])

    def low(self, p):
        return list(p.coeffs())

    def const(self, c):
        return fmpq_poly([c])

    def deg(self, p) -> int:
        return p.degree()

    def is_zero(self, p) -> bool:
        return p.is_zero()

    def lc_sign(self, p) -> int:
        return _sgn(p.leading_coefficient())

    def sign(self, c) -> int:
        return _sgn(c)

    def eval_sign(self, p, r) -> int:
        return _sgn(p(r))

    def point(self, r):
        r = Rational(r)
        return fmpq(int(r.p), int(r.q))

    def rem(self, a, b):
        return a % b

    def quo(self, a, b):
        q, r = divmod(a, b)
        if not r.is_zero():
            raise ArithmeticError("inexact division")  # pragma: no cover
        return q

    def gcd(self, a, b):
        return a.gcd(b)

    def diff(self, p):
        return p.derivative()

    def sqf(self, p):
        return list(p.factor_squarefree()[1])

    def normalize(self, p):
        """Positive multiple of ``p`` with small (primitive integer) coefficients."""
        num = p.numer()
        content = num.content()
        return fmpq_poly(num) / content if content != 0 else p

    def scale(self, a, c):
        return a * c


class AlgRing(_ArithmeticRing):
    """Polynomials over a real number field ``K = QQ<theta>`` (SymPy ``Poly``)."""

    def __init__(self, K, x, signs=None):
        import sympy

        self.K = K
        self.zero = K.zero
        self.x = x
        self.signs = signs if signs is not None else FieldSigns(K)
        self._Poly = sympy.Poly

    def from_low(self, coeffs):
        return self._Poly.from_list(list(reversed(list(coeffs))), self.x, domain=self.K)

    def low(self, p):
        return list(reversed(p.rep.to_list()))

    def const(self, c):
        return self.from_low([c])

    def deg(self, p) -> int:
        d = p.degree()
        return -1 if d < 0 else int(d)

    def is_zero(self, p) -> bool:
        return p.is_zero

    def lc_sign(self, p) -> int:
        return self.signs.sign(p.rep.LC())

    def sign(self, c) -> int:
        return self.signs.sign(c)

    def point(self, r):
        return self.K.convert(Rational(r))

    def eval_sign(self, p, r) -> int:
        val = self.K.zero
        for c in p.rep.to_list():
            val = val * r + c
        return self.signs.sign(val)

    def rem(self, a, b):
        return a.rem(b)

    def quo(self, a, b):
        return a.exquo(b)

    def gcd(self, a, b):
        return a.gcd(b)

    def diff(self, p):
        return p.diff(self.x)

    def sqf(self, p):
        return list(p.sqf_list()[1])

    def normalize(self, p):
        s = self.lc_sign(p)
        m = p.monic()
        return m if s > 0 else -m

    def scale(self, a, c):
        return a * self.const(c)


# --------------------------------------------------------------------------- #
# signed remainder sequences
# --------------------------------------------------------------------------- #

def signed_remainders(R, P, Q):
    """Signed remainder sequence ``P, Q, -rem(P, Q), ...`` (positive rescaling)."""
    seq = [P]
    a, b = P, Q
    while not R.is_zero(b):
        seq.append(b)
        r = R.neg(R.rem(a, b))
        if R.is_zero(r):
            break
        a, b = b, R.normalize(r)
    return seq


def _variations(signs) -> int:
    signs = [s for s in signs if s != 0]
    return sum(1 for s, t in zip(signs, signs[1:]) if s != t)


def _signs_at(R, seq, point) -> list[int]:
    """Signs of the sequence at a rational point, or at +oo / -oo (point=+1/-1 with inf=True)."""
    kind, value = point
    if kind == "inf":
        return [R.lc_sign(s) * (value if R.deg(s) % 2 else 1) for s in seq]
    return [R.eval_sign(s, value) for s in seq]


def cauchy_index(R, num, den, a=("inf", -1), b=("inf", 1)) -> int:
    """Cauchy index of ``num/den`` on ``(a, b)``: ``Var(sRem(den, num); a, b)``."""
    if R.is_zero(num):
        return 0
    seq = signed_remainders(R, den, num)
    return _variations(_signs_at(R, seq, a)) - _variations(_signs_at(R, seq, b))


def sturm_open(R, f, a=("inf", -1), b=("inf", 1)) -> int:
    """Distinct real roots of a square-free ``f`` in the open interval ``(a, b)``.

    ``f`` must not vanish at finite endpoints.
    """
    if R.deg(f) <= 0:
        return 0
    seq = signed_remainders(R, f, R.diff(f))
    return _variations(_signs_at(R, seq, a)) - _variations(_signs_at(R, seq, b))


def root_multiplicity(R, f, r) -> tuple[int, object]:
    """Multiplicity of the rational root ``r`` of ``f`` and the cofactor."""
    lin = R.from_low([-r, 1])
    m = 0
    while R.deg(f) >= 1 and R.eval_sign(f, r) == 0:
        f = R.quo(f, lin)
        m += 1
    return m, f


def real_roots_open(R, f, a=("inf", -1), b=("inf", 1)) -> int:
    """Real roots of ``f`` in the open interval ``(a, b)``, with multiplicity."""
    total = 0
    for g, mult in R.sqf(f):
        for end in (a, b):
            if end[0] == "pt":
                _, g = root_multiplicity(R, g, end[1])
        total += mult * sturm_open(R, g, a, b)
    return total


# --------------------------------------------------------------------------- #
# half plane and unit disk for real polynomials
# --------------------------------------------------------------------------- #

def half_plane_real(R, low: list) -> tuple[int, int, int]:
    """(left, imaginary, right) root counts of a real polynomial (coeffs low first).

    Routh--Hurwitz via Cauchy indices: with ``f(iy) = A(y) + i B(y)`` and ``f(0) != 0``
    of degree ``n``, ``n_L - n_R = Ind(A/B)`` for odd ``n`` and ``-Ind(B/A)`` for even
    ``n``; the common factor of ``A`` and ``B`` (imaginary-axis roots) cancels in the
    index, and its real roots, counted with multiplicity, are the axis roots.
    """
    m = 0
    while m < len(low) and R.sign(low[m]) == 0:
        m += 1
    low = low[m:]
    n = len(low) - 1
    if n <= 0:
        return 0, m, 0
    A = [R.zero] * (n + 1)
    B = [R.zero] * (n + 1)
    for k, c in enumerate(low):
        r = k % 4
        if r == 0:
            A[k] = c
        elif r == 1:
            B[k] = c
        elif r == 2:
            A[k] = -c
        else:
            B[k] = -c
    A, B = R.from_low(A), R.from_low(B)
    if n % 2:
        index = cauchy_index(R, A, B)
    else:
        index = -cauchy_index(R, B, A)
    g = A if R.is_zero(B) else R.gcd(A, B)
    k = real_roots_open(R, g) if R.deg(g) > 0 else 0
    rest = n - k
    if (rest + index) % 2 or abs(index) > rest:
        raise ArithmeticError("internal: inconsistent Routh-Hurwitz index")  # pragma: no cover
    left = (rest + index) // 2
    return left, k + m, rest - left


def mobius(R, f):
    """``(1 - w)^n f((1 + w)/(1 - w))`` for ``f`` of degree ``n`` (Horner form)."""
    low = R.low(f)
    n = len(low) - 1
    one_plus = R.from_low([1, 1])
    one_minus = R.from_low([1, -1])
    powers = [R.const(1)]
    for _ in range(n):
        powers.append(R.mul(powers[-1], one_minus))
    q = R.const(low[n])
    for k in range(n - 1, -1, -1):
        q = R.add(R.mul(q, one_plus), R.scale(powers[n - k], low[k]))
    return q


def unit_disk_real(R, low: list) -> tuple[int, int, int]:
    """(inside, on, outside) root counts of a real polynomial (coeffs low first).

    Roots at ``z = -1`` are divided out, then ``z = (1 + w)/(1 - w)`` maps the
    disk to the left half-plane and the circle to the imaginary axis.
    """
    f = R.from_low(low)
    m, f = root_multiplicity(R, f, R.point(-1))
    n = R.deg(f)
    q = mobius(R, f)
    if R.deg(q) != n:
        raise ArithmeticError("internal: Moebius image lost degree")  # pragma: no cover
    left, axis, right = half_plane_real(R, R.low(q))
    return left, axis + m, right
