"""Exact numbers for :mod:`symdyn.stability`: validation, enclosures, signs.

Three private tools, used by the root-location algorithms:

* :func:`exact_number` turns a user coefficient into a SymPy number that is
  rational or algebraic, and rejects floats, strings and transcendental
  constants with a clear error.
* :func:`enclose` computes a rigorous complex ball (python-flint ``acb``)
  containing an algebraic SymPy expression (radicals, ``I``, ``CRootOf``,
  ``AlgebraicNumber``); the ball shrinks as the precision grows.
* :class:`FieldSigns` decides the sign of a real element of a SymPy number
  field ``QQ<theta>`` exactly: zero is decided by the (reduced) exact
  representation, a non-zero sign by interval evaluation at increasing
  precision, which must terminate because the element is non-zero.
"""

from __future__ import annotations

import numbers
from fractions import Fraction

import flint
import sympy
from flint import acb, arb, fmpq, fmpz_poly

#: Precision cap (bits) for interval refinement before giving up.
MAX_PREC = 1 << 16

_FLOAT_HINT = ("floating-point coefficients are not exact; use "
               "symdyn.stability.certified_half_plane_count / "
               "certified_unit_disk_count for float input")


def exact_number(value, name: str) -> sympy.Expr:
    """Return ``value`` as an exact SymPy number (rational or algebraic).

    Raises ``TypeError`` for strings, floats, booleans and non-numbers, and for
    numbers that are not known to be algebraic (e.g. ``pi``).
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an exact number, got a string {value!r} "
                        "(strings are never parsed)")
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an exact number, got bool")
    if isinstance(value, sympy.Basic):
        expr = value
    elif isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    elif isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    elif isinstance(value, fmpq):
        return sympy.Rational(int(value.p), int(value.q))
    elif isinstance(value, flint.fmpz):
        return sympy.Integer(int(value))
    elif isinstance(value, (float, complex, numbers.Real, numbers.Complex)):
        raise TypeError(f"{name}: {_FLOAT_HINT} (got {type(value).__name__})")
    else:
        raise TypeError(f"{name} must be an exact number (int, Fraction, SymPy Rational "
                        f"or algebraic number), got {type(value).__name__}")
    if not isinstance(expr, sympy.Expr) or not expr.is_number:
        raise ValueError(f"{name} must be a number without free symbols, got {expr}")
    if expr.has(sympy.Float):
        raise TypeError(f"{name}: {_FLOAT_HINT} (got {expr})")
    if expr.is_Rational:
        return expr
    if expr.has(sympy.zoo, sympy.oo, sympy.nan):
        raise ValueError(f"{name} must be finite, got {expr}")
    if expr.is_algebraic is not True:
        raise TypeError(f"{name} must be an algebraic number (radicals, I, CRootOf); "
                        f"{expr} is not known to be algebraic")
    return expr


def _exact_form(expr) -> bool:
    """Whether ``expr`` uses only forms this module evaluates exactly."""
    for f in expr.atoms(sympy.Function):
        if isinstance(f, (sympy.cos, sympy.sin)):
            if not (f.args[0] / sympy.pi).is_Rational:
                return False
        elif isinstance(f, sympy.exp):
            if not (f.args[0] / (sympy.pi * sympy.I)).is_Rational:
                return False
        else:
            return False
    return True


def _conj(expr):
    """Exact complex conjugate of an algebraic expression, or None if unsure."""
    if expr.is_Rational or expr.is_extended_real:
        return expr
    if expr is sympy.I:
        return -sympy.I
    if expr.is_Add or expr.is_Mul:
        args = [_conj(a) for a in expr.args]
        return None if any(a is None for a in args) else expr.func(*args)
    if expr.is_Pow and expr.exp.is_Rational:
        base = _conj(expr.base)
        if base is None:
            return None
        if expr.exp.is_Integer:
            return base ** expr.exp
        if expr.base.is_extended_negative:
            # principal branch: (-b)^e exp(i pi e) for b > 0
            return (-expr.base) ** expr.exp * sympy.exp(-sympy.I * sympy.pi * expr.exp)
        if expr.base.is_extended_real is False:
            # off the branch cut, the principal power commutes with conjugation
            return base ** expr.exp
        return None
    if isinstance(expr, sympy.exp):
        arg = _conj(expr.args[0])
        return None if arg is None else sympy.exp(arg)
    conj = sympy.conjugate(expr)
    return None if conj.has(sympy.conjugate) else conj


def real_imag(expr: sympy.Expr, name: str) -> tuple[sympy.Expr, sympy.Expr]:
    """Exact real and imaginary parts of an algebraic number, as algebraic numbers."""
    if expr.is_Rational:
        return expr, sympy.Integer(0)
    if any(r.is_real is not True for r in expr.atoms(sympy.CRootOf)):
        # SymPy cannot build number fields mixing a complex CRootOf with its
        # conjugate (it does not terminate), so refuse rather than hang.
        raise TypeError(f"{name}: non-real CRootOf coefficients are not supported "
                        f"({expr}); use radicals and I for complex coefficients")
    if expr.is_extended_real:
        return expr, sympy.Integer(0)
    re, im = expr.as_real_imag()
    if _exact_form(re) and _exact_form(im):
        return re, im
    conj = _conj(expr)
    if conj is None or not _exact_form(conj):
        raise TypeError(f"{name}: cannot split {expr} exactly into real and "
                        "imaginary parts")
    return sympy.expand((expr + conj) / 2), sympy.expand((expr - conj) / (2 * sympy.I))


# --------------------------------------------------------------------------- #
# rigorous enclosures
# --------------------------------------------------------------------------- #

def _arb_rat(q) -> arb:
    return arb(fmpq(int(q.p), int(q.q)))


def _arb_box_disjoint(ball: acb, box) -> bool:
    """True if ``ball`` certainly misses the closed rational box (ax, bx, ay, by)."""
    ax, bx, ay, by = (_arb_rat(sympy.Rational(v)) for v in box)
    re, im = ball.real, ball.imag
    return bool(re < ax or re > bx or im < ay or im > by)


def _crootof_ball(root: sympy.CRootOf) -> acb:
    """Ball around a ``CRootOf`` at the current precision, identified rigorously.

    SymPy's isolating box (exact rational arithmetic) contains exactly this root;
    flint's ``complex_roots`` balls each contain exactly one distinct root. The
    root's ball is the unique flint ball that meets the box.
    """
    coeffs = [sympy.Rational(c) for c in root.poly.all_coeffs()]
    den = sympy.ilcm(*[c.q for c in coeffs]) if len(coeffs) > 1 else coeffs[0].q
    poly = fmpz_poly([int(c * den) for c in reversed(coeffs)])
    interval = root._get_interval()
    for _ in range(60):
        if isinstance(interval, sympy.polys.rootisolation.RealInterval):
            box = (interval.a, interval.b, 0, 0)
        else:
            box = (interval.ax, interval.bx, interval.ay, interval.by)
        balls = [acb(r) for r, _m in poly.complex_roots()]
        hits = [b for b in balls if not _arb_box_disjoint(b, box)]
        if len(hits) == 1:
            return hits[0]
        interval = interval.refine()
    raise RuntimeError(f"could not identify {root} among the roots of its polynomial")


def _acb(expr) -> acb:
    if expr.is_Integer:
        return acb(int(expr))
    if expr.is_Rational:
        return acb(_arb_rat(expr))
    if expr is sympy.I:
        return acb(0, 1)
    if expr.is_Add:
        total = acb(0)
        for term in expr.args:
            total += _acb(term)
        return total
    if expr.is_Mul:
        prod = acb(1)
        for factor in expr.args:
            prod *= _acb(factor)
        return prod
    if expr.is_Pow:
        base, e = expr.args
        b = _acb(base)
        if e.is_Integer:
            return b ** int(e)
        if e.is_Rational:
            ex = _arb_rat(e)
            if b.imag == 0 and b.real > 0:
                return acb(b.real ** ex)
            if b.imag == 0 and b.real < 0:
                # principal branch, as SymPy: |b|^e * exp(i*pi*e)
                return acb((-b.real) ** ex) * acb(ex).exp_pi_i()
            return b ** acb(ex)
    if isinstance(expr, sympy.CRootOf):
        return _crootof_ball(expr)
    if isinstance(expr, (sympy.cos, sympy.sin)):
        r = expr.args[0] / sympy.pi
        if r.is_Rational:
            a = acb(_arb_rat(r))
            return a.cos_pi() if isinstance(expr, sympy.cos) else a.sin_pi()
    if isinstance(expr, sympy.exp):
        r = expr.args[0] / (sympy.pi * sympy.I)
        if r.is_Rational:
            return acb(_arb_rat(r)).exp_pi_i()
    if isinstance(expr, sympy.AlgebraicNumber):
        return _acb(expr.as_expr())
    raise TypeError(f"cannot enclose {expr} (supported: rationals, I, +, *, rational "
                    "powers, CRootOf, AlgebraicNumber, cos/sin(r*pi), exp(r*pi*I))")


def enclose(expr: sympy.Expr, prec: int) -> acb:
    """Rigorous ``acb`` ball containing the algebraic number ``expr``.

    Examples
    ========
    >>> from sympy import sqrt
    >>> from symdyn._stability_numbers import enclose
    >>> ball = enclose(1 + sqrt(2), 64)
    >>> bool(ball.real > 2.414) and bool(ball.real < 2.415)
    True
    """
    with flint.ctx.workprec(prec):
        return _acb(sympy.sympify(expr))


# --------------------------------------------------------------------------- #
# signs in a number field
# --------------------------------------------------------------------------- #

class FieldSigns:
    """Exact sign of real elements of a SymPy algebraic field ``QQ<theta>``.

    Parameters
    ==========
    K : sympy AlgebraicField
        Elements are reduced polynomials in the primitive element ``theta``
        modulo its (irreducible) minimal polynomial, so an element is zero
        exactly when its representation is zero.
    """

    def __init__(self, K):
        self.K = K
        self.theta = K.ext.as_expr()
        self._balls: dict[int, acb] = {}

    def _theta_ball(self, prec: int) -> acb:
        if prec not in self._balls:
            self._balls[prec] = enclose(self.theta, prec)
        return self._balls[prec]

    def ball(self, a, prec: int) -> acb:
        """Enclosure of the field element ``a`` at working precision ``prec``."""
        coeffs = [fmpq(int(c.numerator), int(c.denominator)) for c in a.to_list()]
        th = self._theta_ball(prec)
        with flint.ctx.workprec(prec):
            val = acb(0)
            for c in coeffs:
                val = val * th + acb(arb(c))
        return val

    def sign(self, a) -> int:
        """Exact sign (-1, 0, 1) of a real element ``a`` of the field."""
        if not a:
            return 0
        prec = 64
        while prec <= MAX_PREC:
            val = self.ball(a, prec)
            if val.imag > 0 or val.imag < 0:
                raise ValueError(f"internal: element {self.K.to_sympy(a)} is not real")
            if val.real > 0:
                return 1
            if val.real < 0:
                return -1
            prec *= 2
        raise RuntimeError("sign determination did not converge "
                           f"for {self.K.to_sympy(a)}")  # pragma: no cover

    def check_conversion(self, a, expr) -> None:
        """Verify by intervals that field element ``a`` is consistent with ``expr``."""
        prec = 64
        while prec <= 1024:
            x, y = self.ball(a, prec), enclose(expr, prec)
            if not x.overlaps(y):
                raise RuntimeError(f"internal: field conversion of {expr} is inconsistent")
            prec *= 4


# --------------------------------------------------------------------------- #
# number fields from expressions
# --------------------------------------------------------------------------- #

def _algebraic_atoms(expr) -> set:
    atoms = set(expr.atoms(sympy.CRootOf, sympy.AlgebraicNumber, sympy.cos, sympy.sin,
                           sympy.exp))
    if expr.xreplace({a: sympy.Dummy() for a in atoms}).has(sympy.I):
        atoms.add(sympy.I)
    for p in expr.atoms(sympy.Pow):
        if p.exp.is_Rational and not p.exp.is_Integer:
            atoms.add(p)
    return atoms


def _to_field(expr, K, atom_map):
    if expr in atom_map:
        return atom_map[expr]
    if expr.is_Rational:
        return K.convert(expr)
    if expr.is_Add:
        total = K.zero
        for term in expr.args:
            total = total + _to_field(term, K, atom_map)
        return total
    if expr.is_Mul:
        prod = K.one
        for factor in expr.args:
            prod = prod * _to_field(factor, K, atom_map)
        return prod
    if expr.is_Pow and expr.exp.is_Integer:
        base = _to_field(expr.base, K, atom_map)
        e = int(expr.exp)
        return base ** e if e >= 0 else (K.one / base) ** (-e)
    raise TypeError(f"cannot represent {expr} exactly in a number field (supported: "
                    "radicals, I, CRootOf, AlgebraicNumber, cos/sin(r*pi), exp(r*pi*I))")


def number_field(values):
    """Number field containing the algebraic numbers ``values``, and their images.

    The field is generated by the algebraic atoms (radicals, ``I``, ``CRootOf``,
    ``AlgebraicNumber``) of the values; each value is then mapped by exact field
    arithmetic. Each atom's image is checked against an interval enclosure.

    Returns
    =======
    (K, elements, signs)
        A SymPy ``AlgebraicField`` (``None`` if all values are rational, then the
        elements are the values themselves), the images, and a :class:`FieldSigns`.
    """
    atoms = set()
    for v in values:
        found = _algebraic_atoms(v)
        if not found and not v.is_Rational:
            raise TypeError(f"cannot represent {v} exactly in a number field")
        atoms |= found
    if not atoms:
        return None, list(values), None
    atoms = sorted(atoms, key=sympy.default_sort_key)
    if len(atoms) > 1 and any(isinstance(a, sympy.CRootOf) and a.is_real is not True
                              for a in atoms):
        # SymPy's primitive element computation does not terminate on e.g. a
        # complex CRootOf together with its conjugate: refuse rather than hang.
        raise TypeError("a non-real CRootOf can only be used alone (no other "
                        "irrational numbers); use radicals and I instead")
    from sympy.polys.numberfields.subfield import primitive_element

    QQ = sympy.QQ
    try:
        # exact primitive element theta = sum c_i a_i, with every atom a_i
        # represented as a polynomial in theta (SymPy, ex=True)
        minpoly, coeffs, reps = primitive_element(atoms, ex=True, polys=True)
    except (sympy.polys.polyerrors.NotAlgebraic, NotImplementedError) as exc:
        raise TypeError(f"cannot build an exact number field for {atoms}: {exc}") from None
    theta = sympy.Add(*[c * a for c, a in zip(coeffs, atoms)])
    K = QQ.algebraic_field((minpoly, theta))
    signs = FieldSigns(K)
    atom_map = {}
    for a, rep in zip(atoms, reps):
        atom_map[a] = K([QQ(c) for c in rep])
        signs.check_conversion(atom_map[a], a)
    return K, [_to_field(v, K, atom_map) for v in values], signs
