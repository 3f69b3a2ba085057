"""Fixed points of ``F(x) = 0``: exact (Gröbner basis) or multi-start mpmath Newton."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy

from ._sympify import as_expr
from ._validation import check_cap, check_finite_array, check_int

__all__ = ["FixedPoint", "find_fixed_points", "is_exact_number"]

METHODS = ("auto", "exact", "numeric")
_ROOT_VAR = sympy.Dummy("z")
DOMAINS = ("real", "complex")


@dataclass(frozen=True)
class FixedPoint:
    """A fixed point, in state order.

    Attributes
    ----------
    values : tuple
        SymPy expressions (exact) or ``mpmath.mpf`` (numeric).
    exact : bool
    residual : float
        ``max_i |F_i(x)|`` evaluated at high precision (``0`` when exact).
    method : str
        ``'groebner'`` or ``'mpmath'``.
    states : tuple of Symbol
    enclosure_radius : float or None
        Numeric points only: the max-norm box of this radius around
        ``values`` is *proved* (Krawczyk test in interval arithmetic,
        ``mpmath.iv``) to contain exactly one zero; ``None`` when the test
        was not possible (functions without rigorous interval versions) or
        failed.

    Examples
    ========

    >>> import sympy
    >>> from symdyn.odesystem import ODESystem
    >>> x = sympy.Symbol("x")
    >>> fp = ODESystem([x], [1 - x**2]).fixed_points()[1]
    >>> fp.values, fp.exact, fp.residual, fp.as_dict()
    ((1,), True, 0.0, {x: 1})
    >>> fp.as_array()
    array([1.])
    """

    values: tuple
    exact: bool
    residual: float
    method: str
    states: tuple = field(default=(), compare=False)
    enclosure_radius: float | None = field(default=None, compare=False)

    def as_dict(self) -> dict:
        """``{state Symbol: value}``."""
        return dict(zip(self.states, self.values))

    def as_array(self) -> np.ndarray:
        """Values as a float array (complex if any value is not real)."""
        vals = [complex(v) for v in self.values]
        if all(v.imag == 0 for v in vals):
            return np.array([v.real for v in vals], dtype=float)
        return np.array(vals, dtype=complex)

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)


def is_exact_number(e) -> bool:
    """True when ``e`` is a SymPy number without floating-point parts."""
    return isinstance(e, sympy.Basic) and e.is_number and not e.has(sympy.Float)


def _has_undefined(e, states) -> bool:
    for f in e.atoms(sympy.Function):
        if isinstance(f, sympy.core.function.AppliedUndef) or hasattr(f, "_imp_"):
            if f.free_symbols & set(states):
                return True
    return False


def _is_rational_system(states, eqs) -> bool:
    for e in eqs:
        if e.has(sympy.Float) or _has_undefined(e, states):
            return False
        if not e.is_rational_function(*states):
            return False
    return True


# ----------------------------------------------------------------- exact
def _decide_real(v):
    r = v.is_real
    if r is not None or not v.is_number:
        return r
    im = sympy.simplify(sympy.im(v))
    return True if im.is_zero else (False if im.is_zero is False else None)


def _univariate_roots(p: sympy.Poly, real_only: bool = False) -> list:
    """All distinct complex roots of a univariate polynomial, exactly.

    The polynomial is factored over its coefficient field first (``QQ``,
    ``QQ(params)`` or an algebraic extension); linear and quadratic factors
    give radicals, irreducible factors over ``QQ`` of higher degree give
    ``CRootOf`` objects.
    """
    if p.degree() <= 0:
        return []
    try:
        pe = sympy.Poly(p.as_expr(), p.gen, extension=True)
    except (sympy.polys.polyerrors.PolynomialError, NotImplementedError):
        pe = p
    try:
        _, factors = pe.factor_list()
    except (sympy.polys.polyerrors.PolynomialError, NotImplementedError, sympy.polys.polyerrors.DomainError):
        factors = [(pe, 1)]
    out = []
    for q, _mult in factors:
        d = q.degree()
        if d <= 0:
            continue
        if d >= 3 and (q.domain.is_QQ or q.domain.is_ZZ):
            # CRootOf, exact and decidably real; a dummy generator keeps the
            # state symbols out of the root objects (they are substituted back)
            qz = sympy.Poly(q.as_expr().xreplace({q.gen: _ROOT_VAR}), _ROOT_VAR)
            # a point with a non-real coordinate is not real: isolating only the real roots
            # is exact and far cheaper (x**n - 1 has 2 real roots among n)
            out.extend(qz.real_roots() if real_only else qz.all_roots())
            continue
        rts = sympy.roots(q, multiple=False)
        if sum(rts.values()) != d:
            raise NotImplementedError(f"no exact roots found for {q.as_expr()} over {q.domain}")
        out.extend(rts)
    return list(dict.fromkeys(out))


def _is_zero_exact(c) -> bool | None:
    """Exact zero test of a number (minimal polynomial for algebraic numbers)."""
    c = sympy.sympify(c)
    z = c.is_zero
    if z is not None:
        return z
    if c.free_symbols:
        return None
    if c.is_algebraic:
        try:
            return sympy.minimal_polynomial(c, _ROOT_VAR) == sympy.Poly(_ROOT_VAR, _ROOT_VAR).as_expr()
        except (NotImplementedError, sympy.polys.polyerrors.PolynomialError):
            return None
    z = sympy.simplify(c).is_zero
    return z


def _substituted_poly(g, xi, sol):
    """``g`` as a polynomial in ``xi`` with the already solved values substituted.

    Built from its coefficients (a ``CRootOf`` value may contain the state
    symbol inside its defining polynomial, which ``Poly(expr, xi)`` rejects);
    leading coefficients are tested for zero exactly.
    """
    coeffs = sympy.Poly(g, xi).all_coeffs()
    coeffs = [c.xreplace(sol) if sol else c for c in coeffs]
    while coeffs and _is_zero_exact(coeffs[0]):
        coeffs.pop(0)
    if not coeffs:
        return None
    return sympy.Poly.from_list(coeffs, xi)


def _solve_triangular(G, gens, real_only: bool = False):
    """Back-substitute a zero-dimensional lex Gröbner basis."""
    n = len(gens)
    sols = [{}]
    for i in range(n - 1, -1, -1):
        xi = gens[i]
        relevant = [g for g in G if g.has(xi) and not any(g.has(gens[j]) for j in range(i))]
        new = []
        for sol in sols:
            ps = [p for p in (_substituted_poly(g, xi, sol) for g in relevant) if p is not None]
            if not ps:  # pragma: no cover - impossible for zero-dimensional ideals
                raise NotImplementedError("fixed-point set is not zero-dimensional")
            ps.sort(key=lambda q: q.degree())
            p = ps[0]
            if p.degree() == 1:
                a, b = p.all_coeffs()
                c = -b / a
                cands = [c if c.has(sympy.CRootOf) else sympy.simplify(c)]
            else:
                cands = _univariate_roots(p, real_only)
            for c in cands:
                if all(_is_zero_exact(q.as_expr().xreplace({xi: c})) is not False for q in ps[1:]):
                    d = dict(sol)
                    d[xi] = c
                    new.append(d)
        sols = new
    return sols


def _exact_fixed_points(states, eqs, domain):
    numers, denoms = [], []
    for e in eqs:
        num, den = sympy.fraction(sympy.cancel(sympy.together(e)))
        numers.append(sympy.expand(num))
        denoms.append(den)
    numers = [q for q in numers if q != 0]
    if not numers:
        raise ValueError("every point is a fixed point (the equations vanish identically)")
    for i, q in enumerate(numers):
        deg = sympy.Poly(q, *states).total_degree()
        check_cap(f"total degree of equation {i}", deg,
                  "fixed_point_degree" if domain == "real" else "fixed_point_degree_complex",
                  what=f"exact method, domain={domain!r}; use method='numeric' with bounds")
    G = sympy.groebner(numers, *states, order="lex")
    if list(G.exprs) == [1] or any(g.is_number and g != 0 for g in G.exprs):
        return []
    if not G.is_zero_dimensional:
        raise ValueError("the fixed points are not isolated (positive-dimensional solution set)")
    sols = _solve_triangular(list(G.exprs), list(states), real_only=domain == "real")
    out = []
    seen = set()
    for s in sols:
        vals = tuple(s[x] for x in states)
        if vals in seen:
            continue
        bad = False
        for d in denoms:
            dv = sympy.simplify(d.xreplace(s))
            if dv.is_zero:
                bad = True
                break
        if bad:
            continue
        if domain == "real":
            # smallest coordinates first: one that is itself a non-real root decides fast
            ordered = sorted(vals, key=sympy.count_ops)
            if any(_decide_real(v) is False for v in ordered):
                continue
        seen.add(vals)
        out.append(FixedPoint(vals, True, 0.0, "groebner", tuple(states)))

    def key(fp):
        try:
            return (0, tuple((float(sympy.re(v)), float(sympy.im(v))) for v in fp.values))
        except TypeError:
            return (1, tuple(sympy.default_sort_key(v) for v in fp.values))

    out.sort(key=key)
    return out


# --------------------------------------------------------------- numeric
def _normalise_bounds(bounds, n):
    if bounds is None:
        return np.array([[-10.0, 10.0]] * n)
    if isinstance(bounds, str):
        raise TypeError("bounds must be (lo, hi) or a sequence of n pairs, not a string")
    b = check_finite_array("bounds", bounds)
    if b.shape == (2,):
        b = np.tile(b, (n, 1))
    if b.shape != (n, 2):
        raise ValueError(f"bounds must be (lo, hi) or have shape ({n}, 2), got {b.shape}")
    if np.any(b[:, 0] >= b[:, 1]):
        raise ValueError("bounds must satisfy lo < hi for every state")
    return b


def _krawczyk_radius(states, Fm, Jm, xs, dps):
    """Radius of a box around ``xs`` proved to hold a unique zero of ``Fm``, or None.

    Krawczyk operator K(X) = x - Y F(x) + (I - Y J(X)) (X - x) evaluated in
    interval arithmetic; K(X) strictly inside X proves existence and
    uniqueness of a zero in X.
    """
    from mpmath import iv

    from ._interval import lambdify_iv, supported

    if not supported(list(Fm) + list(Jm)):
        return None
    n = len(states)
    try:
        Fiv = lambdify_iv(list(states), list(Fm))
        Jiv = lambdify_iv(list(states), Jm.tolist())
        Jmp = sympy.lambdify(list(states), Jm.tolist(), modules="mpmath")
        with mpmath.workdps(dps):
            Y = mpmath.inverse(mpmath.matrix(Jmp(*xs)))
        old = iv.dps
        iv.dps = dps
        try:
            xt = [iv.mpf(v) for v in xs]
            Fx = Fiv(*xt)
            scale = 1 + max(abs(float(v)) for v in xs)
            for r in (mpmath.mpf(10) ** (-(dps // 2)), mpmath.mpf(10) ** (-(dps // 4))):
                r = r * scale
                X = [iv.mpf([v - r, v + r]) for v in xs]
                JX = Jiv(*X)
                ok = True
                for i in range(n):
                    k = xt[i] - sum((iv.mpf(Y[i, j]) * Fx[j] for j in range(n)), iv.mpf(0))
                    for j in range(n):
                        c = (1 if i == j else 0) - sum((iv.mpf(Y[i, m]) * JX[m][j] for m in range(n)), iv.mpf(0))
                        k = k + c * (X[j] - xt[j])
                    if not (k.a > X[i].a and k.b < X[i].b):
                        ok = False
                        break
                if ok:
                    return float(r)
        finally:
            iv.dps = old
    except (ValueError, ZeroDivisionError, TypeError, ArithmeticError, NameError, AttributeError):
        return None
    return None


def _numeric_fixed_points(states, eqs, *, guesses, n_starts, bounds, prec, seed, implementations,
                          on_empty="warn"):
    from scipy.optimize import root

    from ._codegen import compile_system, lambdify_modules

    n = len(states)
    box = _normalise_bounds(bounds, n)
    Fm = sympy.Matrix(eqs)
    Jm = Fm.jacobian(states)
    cs = compile_system(states, Fm, Jm, (), implementations=implementations, flow=False)
    starts = []
    if guesses is not None:
        g = check_finite_array("guesses", guesses)
        if g.ndim == 1:
            g = g[None, :]
        if g.ndim != 2 or g.shape[1] != n:
            raise ValueError(f"guesses must have shape (m, {n}), got {g.shape}")
        starts.extend(g)
    rng = np.random.default_rng(seed)
    if n_starts:
        starts.extend(rng.uniform(box[:, 0], box[:, 1], size=(n_starts, n)))
    if not starts:
        raise ValueError("no starting points: give guesses or n_starts > 0")

    def f(y):
        return cs.fun(y)

    def j(y):
        return cs.jac(y)

    cands = []
    with np.errstate(all="ignore"):
        for s in starts:
            try:
                r = root(f, s, jac=j, method="hybr")
            except (ValueError, ArithmeticError, FloatingPointError):
                continue
            if not np.all(np.isfinite(r.x)):
                continue
            fx = np.asarray(f(r.x), dtype=float).ravel()
            if not np.all(np.isfinite(fx)) or not _near_root(fx, j, r.x):
                continue
            if any(np.max(np.abs(r.x - c)) <= 1e-7 * (1 + np.max(np.abs(c))) for c in cands):
                continue
            cands.append(r.x)

    mods = [m for m in lambdify_modules(implementations) if isinstance(m, dict)] + ["mpmath"]
    Fmp = sympy.lambdify(list(states), list(Fm), modules=mods)
    Jmp = sympy.lambdify(list(states), Jm.tolist(), modules=mods)
    work = prec + 10
    out = []
    outside = 0
    for c in cands:
        xs = None
        with mpmath.workdps(work):
            try:
                x = mpmath.findroot(lambda *a: Fmp(*a), [mpmath.mpf(float(v)) for v in c],
                                    J=lambda *a: mpmath.matrix(Jmp(*a)), tol=mpmath.mpf(10) ** (-2 * prec))
                xs = [x] if n == 1 and not isinstance(x, mpmath.matrix) else [x[i] for i in range(n)]
                if any(isinstance(v, mpmath.mpc) for v in xs):
                    if any(v.imag != 0 for v in xs):
                        continue
                    xs = [v.real for v in xs]
            except (ValueError, ZeroDivisionError, TypeError, ArithmeticError, AttributeError):
                xs = None
        if xs is not None:
            try:
                with mpmath.workdps(2 * work):  # residual of the stored point, well above its precision
                    res = max(abs(v) for v in Fmp(*xs))
            except (ValueError, ZeroDivisionError, TypeError, ArithmeticError, AttributeError):
                xs = None
        if xs is None:
            # mpmath failed (e.g. a NumPy-only implementation): keep the float root, float residual
            xs = [mpmath.mpf(float(v)) for v in c]
            res = mpmath.mpf(float(np.max(np.abs(f(c)))))
        with mpmath.workdps(work):
            if not mpmath.isfinite(res):
                continue
            inside = all(box[i, 0] - 1e-12 <= float(xs[i]) <= box[i, 1] + 1e-12 for i in range(n))
            if not inside:
                outside += 1
                continue
            tol = mpmath.mpf(10) ** (-(prec // 2))
            if any(max(abs(a - b) for a, b in zip(xs, fp.values)) <= tol * (1 + max(abs(b) for b in fp.values))
                   for fp in out):
                continue
            radius = _krawczyk_radius(states, Fm, Jm, xs, work)
            out.append(FixedPoint(tuple(xs), False, float(res), "mpmath", tuple(states), radius))
    out.sort(key=lambda fp: tuple(float(v) for v in fp.values))
    if not out:
        _report_empty(on_empty, box, len(starts), outside)
    return out


def _near_root(fx, jac, x, tol=1e-6) -> bool:
    """Candidate test: small residual, or a small Newton step (a residual scaled by ``J``).

    The absolute test alone rejects well-converged roots of large-valued equations
    (``exp(x) - 1e10`` has ``|f| ~ 1e-6`` at the float nearest its root); mpmath then
    refines every candidate to the requested precision.
    """
    if np.max(np.abs(fx)) <= tol:
        return True
    try:
        J = np.asarray(jac(x), dtype=float).reshape(fx.size, -1)
        step = np.linalg.lstsq(J, fx, rcond=None)[0]
    except (ValueError, np.linalg.LinAlgError):
        return False
    return bool(np.all(np.isfinite(step)) and np.max(np.abs(step)) <= tol * (1 + np.max(np.abs(x))))


class NoFixedPointFound(ValueError):
    """The numeric search found no fixed point inside its box (``on_empty='raise'``)."""


class NoFixedPointWarning(UserWarning):
    """The numeric search found no fixed point inside its box (``on_empty='warn'``)."""


ON_EMPTY = ("warn", "raise", "ignore")


def _report_empty(on_empty, box, n_starts, outside):
    shown = ", ".join(f"[{lo:g}, {hi:g}]" for lo, hi in box)
    msg = (f"no fixed point found in the search box {shown} from {n_starts} starting point(s)"
           + (f"; {outside} root(s) found outside the box were discarded" if outside else "")
           + "; this is not a proof that none exists (widen bounds=, add guesses=)")
    if on_empty == "raise":
        raise NoFixedPointFound(msg)
    if on_empty == "warn":
        import warnings

        warnings.warn(msg, NoFixedPointWarning, stacklevel=4)


def find_fixed_points(states, eqs, remaining, *, method="auto", guesses=None, n_starts=64, bounds=None,
                      prec=30, seed=0, domain=None, implementations=None, on_empty="warn"):
    """Solve ``eqs = 0`` for ``states`` (the engine behind ``System.fixed_points``)."""
    if not isinstance(on_empty, str) or on_empty not in ON_EMPTY:
        raise ValueError(f"on_empty must be one of {ON_EMPTY}, got {on_empty!r}")
    if not isinstance(method, str):
        raise TypeError(f"method must be one of {METHODS}, got {type(method).__name__}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    domain = "real" if domain is None else domain
    if not isinstance(domain, str) or domain not in DOMAINS:
        raise ValueError(f"domain must be one of {DOMAINS} or None, got {domain!r}")
    n_starts = check_int("n_starts", n_starts, low=0)
    check_cap("n_starts", n_starts, "n_starts")
    prec = check_int("prec", prec, low=5)
    check_cap("prec", prec, "prec")
    seed = check_int("seed", seed, low=0)
    eqs = [as_expr(e, "equation") for e in eqs]
    rational = _is_rational_system(states, eqs)
    if method == "exact" and not rational:
        raise ValueError(
            "method='exact' needs a rational system with exact coefficients "
            "(no floats, no transcendental or undefined functions of the states)"
        )
    if method in ("exact", "auto") and rational:
        try:
            return _exact_fixed_points(states, eqs, domain)
        except NotImplementedError:
            if method == "exact" or remaining:
                raise
    if remaining:
        raise ValueError(
            "the numeric method needs values for every parameter; missing: " + ", ".join(map(str, remaining))
        )
    if domain == "complex":
        raise ValueError("domain='complex' is only supported by the exact method")
    return _numeric_fixed_points(states, eqs, guesses=guesses, n_starts=n_starts, bounds=bounds, prec=prec,
                                 seed=seed, implementations=implementations, on_empty=on_empty)
