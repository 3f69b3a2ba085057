"""Linear stability classification of a Jacobian (flows: half plane, maps: unit disk)."""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np
import sympy

from ._fixedpoints import is_exact_number
from ._validation import check_real

__all__ = ["Classification", "classify_matrix", "has_nonreal_roots"]

KINDS = ("sink", "source", "saddle", "non-hyperbolic")


@dataclass(frozen=True)
class Classification:
    """Linear stability of a fixed point.

    Attributes
    ----------
    kind : {'sink', 'source', 'saddle', 'non-hyperbolic'}
    unstable_dim, stable_dim, center_dim : int
        Eigenvalue counts with multiplicity (flows: Re > 0, Re < 0, Re = 0;
        maps: |lambda| > 1, < 1, = 1).
    subtype : {'node', 'focus', None}
        ``'focus'`` when some eigenvalue is not real, ``'node'`` when all are
        real; ``None`` for non-hyperbolic points.
    level : {'proved', 'certified', 'numerical'}
    eigenvalues : tuple of complex
        Floating-point approximations, for display only.
    charpoly : sympy.Poly or None
        Exact characteristic polynomial (exact level only).
    discrete : bool
        ``True`` for maps.

    Examples
    ========

    >>> import sympy
    >>> from symdyn._classify import classify_matrix
    >>> c = classify_matrix(sympy.Matrix([[0, 1], [-4, -1]]))
    >>> c.kind, c.subtype, c.level, c.stable_dim
    ('sink', 'focus', 'proved', 2)
    """

    kind: str
    unstable_dim: int
    stable_dim: int
    center_dim: int
    subtype: str | None
    level: str
    eigenvalues: tuple
    charpoly: sympy.Poly | None = None
    discrete: bool = False

    @property
    def hyperbolic(self) -> bool:
        """No eigenvalue on the stability boundary."""
        return self.center_dim == 0


def _kind(unstable, stable, center):
    if center:
        return "non-hyperbolic"
    if unstable == 0:
        return "sink"
    if stable == 0:
        return "source"
    return "saddle"


def _power_sums(coeffs, m):
    """Newton power sums ``s_0..s_{m-1}`` of the roots of a monic polynomial."""
    n = len(coeffs) - 1
    a = [c / coeffs[0] for c in coeffs]  # a[0] = 1, p = x^n + a1 x^{n-1} + ...
    s = [sympy.Integer(n)]
    for k in range(1, m):
        v = -k * a[k] if k <= n else sympy.Integer(0)
        for i in range(1, k):
            if i <= n:
                v -= a[i] * s[k - i]
        s.append(sympy.expand(v))
    return s


def has_nonreal_roots(poly: sympy.Poly) -> bool:
    """Whether a real polynomial has a non-real root, decided exactly.

    Over ``QQ`` and real algebraic extensions Sturm sequences count the
    distinct real roots of the square-free part; otherwise Hermite's
    criterion is used: #distinct real roots = signature and #distinct roots
    = rank of the Hankel matrix of power sums (inertia from
    :mod:`symdyn.stability`).

    >>> import sympy
    >>> from symdyn._classify import has_nonreal_roots
    >>> lam = sympy.Symbol("lam")
    >>> has_nonreal_roots(sympy.Poly(lam**2 + 1, lam)), has_nonreal_roots(sympy.Poly((lam - 1)**2, lam))
    (True, False)
    """
    x = poly.gen
    try:
        pe = sympy.Poly(poly.as_expr(), x, extension=True)
        if pe.domain.is_Exact and not pe.domain.is_EX and not pe.domain.is_EXRAW:
            sq = pe.sqf_part()
            return sq.count_roots() < sq.degree()
    except (sympy.polys.polyerrors.PolynomialError, NotImplementedError, sympy.polys.polyerrors.DomainError):
        pass
    return hermite_has_nonreal_roots(poly)


def hermite_has_nonreal_roots(poly: sympy.Poly) -> bool:
    """Hermite's criterion: a real polynomial has a non-real root iff signature < rank.

    The Hankel matrix of the Newton power sums ``s_{i+j}`` has rank equal to the
    number of distinct roots and signature equal to the number of distinct real
    roots; its inertia is computed exactly by :func:`symdyn.stability.inertia`.

    >>> import sympy
    >>> from symdyn._classify import hermite_has_nonreal_roots
    >>> lam = sympy.Symbol("lam")
    >>> hermite_has_nonreal_roots(sympy.Poly(lam**3 - lam, lam)), hermite_has_nonreal_roots(sympy.Poly(lam**3 + lam, lam))
    (False, True)
    """
    from . import stability

    coeffs = poly.all_coeffs()
    d = len(coeffs) - 1
    if d <= 0:
        return False
    s = _power_sums(coeffs, 2 * d - 1)
    H = sympy.Matrix(d, d, lambda i, j: s[i + j])
    inert = stability.inertia(H)
    pos, neg, zero = inert[0], inert[1], inert[2]
    rank = d - zero
    return (pos - neg) < rank


def _exact(J, discrete):
    from . import stability

    P = stability.charpoly(J)
    if discrete:
        c = stability.unit_disk_count(P)
        stable, center, unstable = c.inside, c.on, c.outside
    else:
        c = stability.half_plane_count(P)
        stable, center, unstable = c.left, c.imaginary, c.right
    kind = _kind(unstable, stable, center)
    subtype = None
    if kind != "non-hyperbolic" and all(e.is_real for e in J):  # node/focus: real Jacobians only
        subtype = "focus" if has_nonreal_roots(P) else "node"
    eig = tuple(complex(v) for v in np.linalg.eigvals(np.array(J.evalf(20).tolist(), dtype=complex)))
    return Classification(kind, int(unstable), int(stable), int(center), subtype, "proved", eig, P, discrete)


def _float_eigenvalues(J):
    n = J.shape[0]
    with mpmath.workdps(30):
        A = mpmath.matrix([[mpmath.mpmathify(complex(J[i, j].evalf(30))) if not J[i, j].is_real
                            else mpmath.mpf(str(J[i, j].evalf(30))) for j in range(n)] for i in range(n)])
        ev = mpmath.eig(A, left=False, right=False)
        if isinstance(ev, tuple):  # mpmath ignores left/right=False for 1x1 matrices
            ev = ev[0]
        eig = tuple(complex(v) for v in ev)
    if not all(np.isfinite(e.real) and np.isfinite(e.imag) for e in eig):
        raise ValueError("the Jacobian has non-finite entries at this point")
    return eig


def _certified(J, discrete, eig):
    """Rigorous counts for the Jacobian with entries rounded to binary floats taken exactly."""
    from . import stability

    entries = []
    for e in J:
        v = e.evalf(30)
        if not v.is_real:
            return None
        entries.append(sympy.Rational(sympy.Float(v, 30)))
    Q = sympy.Matrix(J.shape[0], J.shape[1], entries)
    P = stability.charpoly(Q)
    coeffs = P.all_coeffs()
    try:
        if discrete:
            c = stability.certified_unit_disk_count(coeffs)
            stable, unstable = c.inside, c.outside
        else:
            c = stability.certified_half_plane_count(coeffs)
            stable, unstable = c.left, c.right
    except stability.UndecidableError:
        return None
    kind = _kind(unstable, stable, 0)
    subtype = "focus" if has_nonreal_roots(P) else "node"
    return Classification(kind, int(unstable), int(stable), 0, subtype, "certified", eig, None, discrete)


def _numerical(J, discrete, margin, certify=True):
    eig = _float_eigenvalues(J)
    stable = unstable = center = 0
    for e in eig:
        m = abs(e) - 1.0 if discrete else e.real
        if abs(m) <= margin:
            center += 1
        elif m < 0:
            stable += 1
        else:
            unstable += 1
    kind = _kind(unstable, stable, center)
    if center == 0 and certify:
        cert = _certified(J, discrete, eig)
        if cert is not None and (cert.stable_dim, cert.unstable_dim) == (stable, unstable):
            return cert
    subtype = None
    if kind != "non-hyperbolic":
        subtype = "focus" if any(abs(e.imag) > margin for e in eig) else "node"
    return Classification(kind, unstable, stable, center, subtype, "numerical", eig, None, discrete)


def classify_interval(JX, *, discrete=False, eigenvalues=(), margin=1e-9):
    """Classification valid for **every** matrix in the interval matrix ``JX``.

    Interval characteristic polynomial (Faddeev--LeVerrier) and an interval
    Routh array (after the Moebius map for maps); returns ``None`` when an
    entry of the Routh array is not provably non-zero.  The node/focus
    subtype comes from the floating-point ``eigenvalues``.
    """
    from ._interval import interval_charpoly, mobius_to_half_plane, routh_unstable_count

    n = len(JX)
    coeffs = interval_charpoly(JX)
    if discrete:
        coeffs = mobius_to_half_plane(coeffs)
    unstable = routh_unstable_count(coeffs)
    if unstable is None:
        return None
    stable = n - unstable
    kind = _kind(unstable, stable, 0)
    subtype = "focus" if any(abs(e.imag) > margin for e in eigenvalues) else "node"
    return Classification(kind, unstable, stable, 0, subtype, "certified", tuple(eigenvalues), None, discrete)


def classify_matrix(J, *, discrete=False, margin=1e-9, certify_floats=True) -> Classification:
    """Classify the linearisation with Jacobian ``J``.

    Exact algebraic entries (rationals, radicals, ``CRootOf``...) give level
    ``proved``.  Otherwise entries are rounded to 30 digits; eigenvalues
    within ``margin`` of the boundary are reported as non-hyperbolic (level
    ``numerical``).  With ``certify_floats`` the floating-point matrix is
    taken as exact binary data and its counts are certified by rigorous root
    isolation (:mod:`symdyn.stability`, level ``certified``: a statement
    about that float matrix); without it, or if isolation fails, level
    ``numerical``.  (``ODESystem.classify`` certifies through
    :func:`classify_interval` instead, which encloses the true Jacobian.)

    Parameters
    ----------
    J : square SymPy Matrix of numbers
    discrete : bool
        ``True`` for maps (unit disk), ``False`` for flows (half plane).
    margin : float >= 0
    """
    if not isinstance(J, sympy.MatrixBase):
        raise TypeError(f"J must be a SymPy Matrix, got {type(J).__name__}")
    if J.rows != J.cols:
        raise ValueError(f"the Jacobian must be square, got {J.rows}x{J.cols}")
    margin = float(check_real("margin", margin, low=0))
    free = J.free_symbols
    if free:
        raise ValueError("the Jacobian still contains symbols: " + ", ".join(sorted(map(str, free))))
    for e in J:
        if e.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            raise ValueError("the Jacobian is not finite at this point")
    if all(is_exact_number(e) and e.is_algebraic for e in J):
        return _exact(sympy.ImmutableMatrix(J), discrete)
    return _numerical(J, discrete, margin, certify_floats)
