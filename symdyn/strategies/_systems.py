"""Polynomial flows and maps with known fixed points and known linear stability.

Construction (base coordinates ``xi``): the state splits into blocks,

* a real block ``xi' = c * prod_j (xi - r_j)**m_j`` with rational roots ``r_j``;
* a complex block ``z' = c * prod_j (z - z_j)`` for ``z = u + i v`` with distinct
  Gaussian-rational ``z_j`` and ``c`` (a holomorphic field: its Jacobian at ``z_k`` is
  multiplication by ``lambda_k = c * prod_{j != k} (z_k - z_j)``, eigenvalues
  ``lambda_k, conj(lambda_k)``; its real form has rational coefficients);

so the fixed points are exactly the Cartesian product of the block roots (real
solutions) and the eigenvalues at each are known in closed form. Maps use
``xi -> xi + g(xi)`` (same fixed points, eigenvalues ``1 + lambda``). The system is
then written in mixed coordinates ``y = M psi(xi)`` with ``M`` a unimodular integer
matrix and ``psi`` a polynomial shear ``xi_i -> xi_i + k xi_j**2`` (polynomial inverse),
which maps fixed points to fixed points and makes every Jacobian similar to the
block-diagonal one: fixed points and classifications are preserved exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy
from hypothesis import assume
from hypothesis import strategies as st

from ._rationals import check_count, positive_rationals, small_rationals

__all__ = ["ExpectedClassification", "SystemCase", "GradientCase", "polynomial_systems", "gradient_systems"]


@dataclass(frozen=True)
class ExpectedClassification:
    """The known linear stability of a fixed point (fields as in :class:`symdyn.Classification`).

    ``index`` is the number of unstable directions (``unstable_dim``).
    """

    kind: str
    unstable_dim: int
    stable_dim: int
    center_dim: int
    subtype: str | None
    eigenvalues: tuple      # exact SymPy numbers

    @property
    def index(self) -> int:
        return self.unstable_dim


@dataclass(frozen=True)
class SystemCase:
    """A polynomial system with every real fixed point and its classification known.

    Attributes
    ----------
    system : ODESystem or MapSystem
    fixed_points : tuple of tuple
        Every real fixed point (exact rationals, state order).
    classification : dict
        ``{fixed point: ExpectedClassification}``.
    base_rhs : tuple
        The block-diagonal right-hand side in base coordinates ``xi`` (for display).
    mixing : sympy.ImmutableMatrix
        ``M``.
    shear : tuple or None
        ``(i, j, k)`` for ``psi_i = xi_i + k xi_j**2``.
    """

    system: object
    fixed_points: tuple
    classification: dict
    base_rhs: tuple
    mixing: sympy.ImmutableMatrix
    shear: tuple | None

    @property
    def discrete(self) -> bool:
        from ..odesystem import MapSystem

        return isinstance(self.system, MapSystem)


def _q(f: Fraction) -> sympy.Rational:
    return sympy.Rational(f.numerator, f.denominator)


def _cmul(a, b):
    return (a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0])


def _kind(unstable, stable, center):
    if center:
        return "non-hyperbolic"
    if unstable == 0:
        return "sink"
    return "source" if stable == 0 else "saddle"


def _expected(eigs: list, discrete: bool) -> ExpectedClassification:
    """Classification from exact eigenvalues ``(re, im)`` (Fractions)."""
    un = st_ = ce = 0
    for re, im in eigs:
        if discrete:
            m2 = re * re + im * im
            side = (m2 > 1) - (m2 < 1)
        else:
            side = (re > 0) - (re < 0)
        if side > 0:
            un += 1
        elif side < 0:
            st_ += 1
        else:
            ce += 1
    subtype = None if ce else ("focus" if any(im != 0 for _, im in eigs) else "node")
    values = tuple(_q(re) + _q(im) * sympy.I for re, im in eigs)
    return ExpectedClassification(_kind(un, st_, ce), un, st_, ce, subtype, values)


# ------------------------------------------------------------------------------ blocks
@dataclass(frozen=True)
class _RealBlock:
    roots: tuple      # ((r, m), ...), distinct r
    scale: Fraction

    dim = 1

    def field(self, xs):
        (x,) = xs
        return [_q(self.scale) * sympy.Mul(*[(x - _q(r)) ** m for r, m in self.roots])]

    def points(self):
        return [((r,), self._eig(r, m)) for r, m in self.roots]

    def _eig(self, r, m):
        if m > 1:
            return [(Fraction(0), Fraction(0))]
        lam = self.scale
        for s, k in self.roots:
            if s != r:
                lam *= (r - s) ** k
        return [(lam, Fraction(0))]


@dataclass(frozen=True)
class _ComplexBlock:
    roots: tuple      # ((a, b), ...) distinct Gaussian rationals
    scale: tuple      # (ca, cb) != 0

    dim = 2

    def field(self, xs):
        u, v = xs
        # real and imaginary parts of c * prod (z - z_j), z = u + i v, as QQ polynomials
        re = sympy.Poly(_q(self.scale[0]), u, v, domain="QQ")
        im = sympy.Poly(_q(self.scale[1]), u, v, domain="QQ")
        for a, b in self.roots:
            x_ = sympy.Poly(u - _q(a), u, v, domain="QQ")
            y_ = sympy.Poly(v - _q(b), u, v, domain="QQ")
            re, im = re * x_ - im * y_, re * y_ + im * x_
        return [re.as_expr(), im.as_expr()]

    def points(self):
        out = []
        for zk in self.roots:
            lam = self.scale
            for zj in self.roots:
                if zj != zk:
                    lam = _cmul(lam, (zk[0] - zj[0], zk[1] - zj[1]))
            out.append((zk, [lam, (lam[0], -lam[1])]))
        return out


def _real_block(max_roots: int, max_multiplicity: int):
    @st.composite
    def draw_block(draw):
        count = draw(st.integers(1, max_roots))
        roots = draw(st.lists(small_rationals(3, 2), min_size=count, max_size=count, unique=True))
        mults = [draw(st.integers(1, max_multiplicity)) for _ in roots]
        scale = draw(small_rationals(3, 2, nonzero=True))
        return _RealBlock(tuple(zip(roots, mults)), scale)

    return draw_block()


def _complex_block(max_roots: int):
    gauss = st.tuples(small_rationals(2, 2), small_rationals(2, 2))

    @st.composite
    def draw_block(draw):
        count = draw(st.integers(1, max_roots))
        roots = draw(st.lists(gauss, min_size=count, max_size=count, unique=True))
        scale = draw(st.tuples(small_rationals(2, 2), small_rationals(2, 2)).filter(lambda c: c != (0, 0)))
        return _ComplexBlock(tuple(roots), scale)

    return draw_block()


# ------------------------------------------------------------------------------ systems
def polynomial_systems(*, kind: str = "flow", dim=None, min_dim: int = 1, max_dim: int = 2, max_roots: int = 2,
                       max_multiplicity: int = 1, complex_blocks: bool = True, mix: bool = True,
                       shear: bool = True, hyperbolic: bool | None = None):
    """Polynomial flows or maps whose fixed points and classifications are known exactly.

    Parameters
    ----------
    kind : {'flow', 'map'}
        :class:`~symdyn.ODESystem` (``x' = f(x)``) or :class:`~symdyn.MapSystem`
        (``x -> F(x)``).
    dim, min_dim, max_dim : int
        State dimension (1..3), fixed or drawn.
    max_roots : int
        Roots per block (1..3); the number of fixed points is their product.
    max_multiplicity : int
        Largest multiplicity of a real root (1..3); multiple roots are non-hyperbolic
        fixed points (eigenvalue 0 for flows, 1 for maps).
    complex_blocks : bool
        Allow 2-dimensional holomorphic blocks (foci, centres).
    mix : bool
        Mix the blocks by a unimodular integer matrix ``M``.
    shear : bool
        Apply a quadratic shear (nonlinear change of coordinates); needs ``dim >= 2``.
    hyperbolic : bool, optional
        ``True``: every fixed point hyperbolic; ``False``: at least one is not;
        ``None``: either.

    Returns
    -------
    SearchStrategy of SystemCase

    Guarantees
    ----------
    ``case.fixed_points`` is the complete set of real fixed points (exact rationals)
    and ``case.classification[p]`` is the exact linear stability at ``p`` (kind,
    stable/unstable/centre dimensions, node/focus, exact eigenvalues).

    Examples
    --------
    >>> from symdyn.strategies import polynomial_systems
    >>> case = polynomial_systems(dim=2).example()
    >>> sorted(case.system.fixed_points(), key=str) and len(case.fixed_points) >= 1
    True
    """
    if kind not in ("flow", "map"):
        raise ValueError(f"kind must be 'flow' or 'map', got {kind!r}")
    check_count("dim", dim, 1, 3)
    check_count("min_dim", min_dim, 1, 3)
    check_count("max_dim", max_dim, 1, 3)
    check_count("max_roots", max_roots, 1, 3)
    check_count("max_multiplicity", max_multiplicity, 1, 3)
    if min_dim > max_dim:
        raise ValueError(f"min_dim={min_dim} exceeds max_dim={max_dim}")
    for name, v in (("complex_blocks", complex_blocks), ("mix", mix), ("shear", shear)):
        if not isinstance(v, bool):
            raise TypeError(f"{name} must be a bool")
    if hyperbolic is not None and not isinstance(hyperbolic, bool):
        raise TypeError("hyperbolic must be a bool or None")
    discrete = kind == "map"

    @st.composite
    def draw_case(draw):
        from ..odesystem import MapSystem, ODESystem

        n = dim if dim is not None else draw(st.integers(min_dim, max_dim))
        blocks, used = [], 0
        while used < n:
            if complex_blocks and n - used >= 2 and draw(st.booleans()):
                blocks.append(draw(_complex_block(min(max_roots, 2))))
            else:
                blocks.append(draw(_real_block(max_roots, max_multiplicity)))
            used += blocks[-1].dim
        xi = sympy.symbols(f"xi0:{n}")
        states = sympy.symbols(f"x0:{n}") if n > 1 else (sympy.Symbol("x"),)
        g, offset = [], 0
        for b in blocks:
            g += b.field(xi[offset:offset + b.dim])
            offset += b.dim
        # fixed points and eigenvalues in base coordinates
        pts = [((), [])]
        for b in blocks:
            pts = [(p + tuple(q), e + list(eig)) for p, e in pts for q, eig in b.points()]
        if discrete:
            pts = [(p, [(1 + re, im) for re, im in e]) for p, e in pts]
        truth = [(p, _expected(e, discrete)) for p, e in pts]
        if hyperbolic is not None:
            assume(all(c.center_dim == 0 for _, c in truth) == hyperbolic
                   if hyperbolic else any(c.center_dim for _, c in truth))
        # coordinates y = M psi(xi)
        M = sympy.eye(n)
        if mix and n > 1:
            from ._matrices import _unimodular

            M = _unimodular(draw, n, 1)
        sh = None
        if shear and n > 1:
            k = draw(st.integers(-1, 1))
            if k:
                i, j = draw(st.permutations(range(n)))[:2]
                sh = (i, j, k)
        psi = list(xi)
        if sh:
            i, j, k = sh
            psi[i] = xi[i] + k * xi[j] ** 2
        Minv = M.inv()
        w = list(Minv * sympy.Matrix(states))          # w = psi(xi)
        xi_of_y = list(w)
        if sh:
            i, j, k = sh
            xi_of_y[i] = w[i] - k * w[j] ** 2
        back = dict(zip(xi, xi_of_y))
        if discrete:
            G = [xi[r] + g[r] for r in range(n)]
            image = [e.xreplace(dict(zip(xi, G))) for e in psi]          # psi(G(xi))
            rhs = M * sympy.Matrix(image)
        else:
            Dpsi = sympy.Matrix(psi).jacobian(xi)
            rhs = M * Dpsi * sympy.Matrix(g)
        rhs = [sympy.Poly(e.xreplace(back), *states, domain="QQ").as_expr() for e in rhs]
        System = MapSystem if discrete else ODESystem
        system = System(list(states), rhs, name="constructed")

        def image_of(p):
            vals = dict(zip(xi, (_q(v) for v in p)))
            return tuple(M * sympy.Matrix([e.xreplace(vals) for e in psi]))

        classification = {image_of(p): c for p, c in truth}
        return SystemCase(system, tuple(classification), classification, tuple(g), sympy.ImmutableMatrix(M), sh)

    return draw_case()


# ------------------------------------------------------------------------------ gradient
@dataclass(frozen=True)
class GradientCase:
    """A planar gradient flow ``x' = -grad V`` with one saddle and two sinks.

    In the coordinates ``(u, v) = R^T (x - c, y - d)`` (``R`` a rational rotation),
    ``V = a (u^4/4 - w^2 u^2/2) + b/2 (v - k u^2)^2``. The fixed points are the saddle
    ``u = 0`` and the sinks ``u = +-w`` (all with ``v = k u^2``); the line ``u = 0`` is
    invariant and is the saddle's stable manifold, so a start with ``u > 0`` converges to
    the sink with ``u = w`` and ``u < 0`` to ``u = -w``.

    Attributes
    ----------
    system : ODESystem
    potential : sympy.Expr
    saddle : tuple
        ``(x, y)``, exact.
    sinks : tuple of tuple
        ``(sink for u > 0, sink for u < 0)``.
    classification : dict
        ``{point: ExpectedClassification}`` for the three fixed points.
    separatrix_normal : tuple
        ``n`` with ``u = n . ((x, y) - saddle)``.
    """

    system: object
    potential: sympy.Expr
    saddle: tuple
    sinks: tuple
    classification: dict
    separatrix_normal: tuple

    def basin_of(self, point) -> int | None:
        """Index into :attr:`sinks` of the sink attracting ``point`` (``None`` on the separatrix)."""
        u = sum(sympy.Rational(n) * (sympy.nsimplify(p) - s)
                for n, p, s in zip(self.separatrix_normal, point, self.saddle))
        if u == 0:
            return None
        return 0 if u > 0 else 1


def gradient_systems(*, rotate: bool = True):
    """Planar gradient systems with a known saddle, two sinks and their basins.

    Parameters
    ----------
    rotate : bool
        Rotate by a rational rotation (Pythagorean ``(cos, sin)``); the flow stays a
        gradient flow.

    Returns
    -------
    SearchStrategy of GradientCase

    Guarantees
    ----------
    ``case.system`` is ``-grad case.potential``; its fixed points are exactly
    ``case.saddle`` (a saddle, index 1, node) and ``case.sinks`` (sinks, nodes);
    ``case.basin_of(p)`` is the sink whose basin contains ``p`` (the separatrix is the
    line through the saddle orthogonal to ``case.separatrix_normal``).

    Examples
    --------
    >>> from symdyn.strategies import gradient_systems
    >>> case = gradient_systems().example()
    >>> case.basin_of(case.sinks[0]), case.basin_of(case.sinks[1]), case.basin_of(case.saddle)
    (0, 1, None)
    """
    if not isinstance(rotate, bool):
        raise TypeError("rotate must be a bool")
    pos = positive_rationals(3, 2)

    @st.composite
    def draw_case(draw):
        from ..odesystem import ODESystem

        a, b, w = (_q(draw(pos)) for _ in range(3))
        k = _q(draw(small_rationals(2, 2)))
        c, d = _q(draw(small_rationals(3, 2))), _q(draw(small_rationals(3, 2)))
        if rotate:
            t = draw(st.sampled_from((Fraction(0), Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(-1, 2))))
            cs, sn = _q((1 - t * t) / (1 + t * t)), _q(2 * t / (1 + t * t))
        else:
            cs, sn = sympy.Integer(1), sympy.Integer(0)
        x, y = sympy.symbols("x y")
        u = cs * (x - c) + sn * (y - d)
        v = -sn * (x - c) + cs * (y - d)
        Vp = sympy.Poly(a * (u**4 / 4 - w**2 * u**2 / 2) + b / 2 * (v - k * u**2) ** 2, x, y, domain="QQ")
        V = Vp.as_expr()
        rhs = [(-Vp.diff(x)).as_expr(), (-Vp.diff(y)).as_expr()]
        system = ODESystem([x, y], rhs, name="gradient")

        def point(uu):
            vv = k * uu**2
            return (sympy.expand(c + cs * uu - sn * vv), sympy.expand(d + sn * uu + cs * vv))

        saddle, plus, minus = point(0), point(w), point(-w)
        # Hessian eigenvalues at the fixed points: det = a b W''(u), trace > 0 at sinks
        cls = {}
        for p, uu in ((saddle, 0), (plus, w), (minus, -w)):
            Wpp = a * (3 * uu**2 - w**2)
            huu = Wpp + 4 * b * k**2 * uu**2
            tr, det = huu + b, b * Wpp
            disc = tr**2 - 4 * det
            r1, r2 = (-tr - sympy.sqrt(disc)) / 2, (-tr + sympy.sqrt(disc)) / 2   # eigenvalues of -Hessian
            if det < 0:
                cls[p] = ExpectedClassification("saddle", 1, 1, 0, "node", (r1, r2))
            else:
                cls[p] = ExpectedClassification("sink", 0, 2, 0, "node", (r1, r2))
        return GradientCase(system, V, saddle, (plus, minus), cls, (cs, sn))

    return draw_case()
