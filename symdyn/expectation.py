"""Gaussian and hidden-variable expectations: exact and compiled.

Exact (SymPy)
    :func:`isserlis` (polynomials, any mean and covariance, symbolic allowed),
    :func:`stein` (Stein's lemma ``E[(z_i - m_i) f] = sum_j C_ij E[d_j f]``),
    :func:`erf_closed_form` (``E[erf(a h + b)]`` for any mean,
    ``E[erf(a h_i) erf(b h_j)]`` for zero means: the arcsine law),
    :func:`gaussian_expectation` (dispatches to the above),
    :func:`average_over_laws` (finite discrete hidden laws: sum over atoms;
    polynomial integrands: the laws' moments, e.g. ``m2, m4`` of a
    :class:`~symdyn.hidden.GeneralLaw`).

Numeric (NumPy / mpmath)
    :func:`compile_integrand` (``lambdify`` of a SymPy integrand -- never of a
    user string), :func:`gauss_hermite_expectation` (tensor Gauss--Hermite,
    vectorised over a batch of means and covariances; ``NaN`` where the
    covariance is not positive semi-definite), :func:`mp_gaussian_expectation`
    (high-precision ``mpmath.quad``, used to bound the quadrature error).

Covariances must be positive semi-definite.  Exact routines take them as
given (symbolic entries cannot be checked); numeric routines return ``NaN``
(vectorised) or raise ``ValueError`` (scalar mpmath path) otherwise.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import sympy

from ._gauss_closed import NoClosedForm, closed_expectation
from ._sympify import as_expr, as_symbol_tuple

__all__ = [
    "isserlis",
    "stein",
    "erf_closed_form",
    "gaussian_expectation",
    "average_over_laws",
    "compile_integrand",
    "gauss_hermite_rule",
    "psd_sqrt",
    "gauss_hermite_expectation",
    "trapezoid_rule",
    "gaussian_quadrature",
    "gaussian_points",
    "standard_rule",
    "mp_gaussian_expectation",
    "NoClosedForm",
]


def _as_matrix(cov, n: int, name: str = "cov") -> sympy.Matrix:
    """``cov`` (nested sequence, NumPy array or SymPy matrix) as a SymPy Matrix; entries never parsed."""
    if isinstance(cov, str):
        raise TypeError(f"{name} must be a square matrix of numbers or SymPy expressions, not a string")
    if isinstance(cov, sympy.MatrixBase):
        return sympy.Matrix(cov)
    try:
        rows = [list(r) if not isinstance(r, str) else r for r in cov]
    except TypeError:
        raise TypeError(f"{name} must be a square matrix (nested sequence), got {type(cov).__name__}") from None
    for r in rows:
        if isinstance(r, str) or not isinstance(r, list):
            raise TypeError(f"{name} must be a square matrix (nested sequence of rows)")
    if len(rows) != n or any(len(r) != n for r in rows):
        raise ValueError(f"{name} must be {n}x{n}, got rows of lengths {[len(r) for r in rows]}")
    return sympy.Matrix([[as_expr(v, f"{name}[{i}][{j}]") for j, v in enumerate(r)] for i, r in enumerate(rows)])


def _check_gaussian(variables, mean, cov):
    variables = as_symbol_tuple(variables, "variables")
    n = len(variables)
    if n == 0:
        raise ValueError("variables must not be empty")
    if isinstance(mean, str):
        raise TypeError("mean must be a sequence of numbers or SymPy expressions, not a string")
    mean = [as_expr(m, f"mean[{i}]") for i, m in enumerate(mean)]
    if len(mean) != n:
        raise ValueError(f"mean must have length {n}, got {len(mean)}")
    cov = _as_matrix(cov, n)
    if cov.shape != (n, n):
        raise ValueError(f"cov must be {n}x{n}, got {cov.shape}")
    if any(sympy.expand(cov[i, j] - cov[j, i]) != 0 for i in range(n) for j in range(i + 1, n)):
        raise ValueError("cov must be symmetric")
    for i in range(n):
        if cov[i, i].is_negative:
            raise ValueError(f"cov[{i},{i}] = {cov[i, i]} is negative: not a covariance")
    return variables, mean, cov


def _wick(indices: tuple, cov) -> sympy.Expr:
    """Centred moment ``E[g_{i1} ... g_{ik}]`` by Isserlis' theorem (memoised)."""

    @functools.lru_cache(maxsize=None)
    def rec(idx):
        if not idx:
            return sympy.S.One
        if len(idx) % 2:
            return sympy.S.Zero
        first, rest = idx[0], idx[1:]
        total = sympy.S.Zero
        seen = set()
        for j, other in enumerate(rest):
            if other in seen:  # identical partners give identical terms
                continue
            seen.add(other)
            mult = rest.count(other)
            remaining = rest[:j] + rest[j + 1:]
            total += mult * cov[first, other] * rec(tuple(sorted(remaining)))
        return total

    return rec(tuple(sorted(indices)))


def isserlis(expr, variables, mean, cov) -> sympy.Expr:
    """Exact ``E[p(h)]`` for a polynomial ``p`` and ``h ~ N(mean, cov)``.

    Writes ``h = mean + g`` and applies Isserlis' (Wick's) theorem to the
    centred monomials.  Means and covariance entries may be symbolic.

    Parameters
    ----------
    expr : sympy.Expr
        Polynomial in ``variables`` (coefficients may be any expressions
        free of the variables).
    variables : sequence of Symbol
    mean : sequence of Expr
    cov : square matrix-like of Expr (symmetric, PSD)

    Examples
    --------
    >>> import sympy
    >>> from symdyn.expectation import isserlis
    >>> x, y, V, K, m = sympy.symbols("x y V K m")
    >>> isserlis(x**2 * y**2, [x, y], [0, 0], [[V, K], [K, V]])
    2*K**2 + V**2
    >>> sympy.expand(isserlis(x**3, [x], [m], [[V]]))
    3*V*m + m**3
    """
    variables, mean, cov = _check_gaussian(variables, mean, cov)
    expr = as_expr(expr, "expr")
    try:
        poly = sympy.Poly(sympy.expand(expr), *variables)
    except sympy.PolynomialError:
        raise ValueError(f"isserlis needs a polynomial in {variables}, got {expr}") from None
    if any(c.has(*variables) for c in poly.coeffs()):
        raise ValueError(f"isserlis needs a polynomial in {variables}, got {expr}")
    g = sympy.symbols(f"_g0:{len(variables)}", cls=sympy.Dummy)
    shifted = sympy.Poly(poly.as_expr().subs(dict(zip(variables, [m + gi for m, gi in zip(mean, g)])), simultaneous=True), *g)
    total = sympy.S.Zero
    for monom, coef in zip(shifted.monoms(), shifted.coeffs()):
        if sum(monom) % 2:
            continue
        idx = tuple(i for i, k in enumerate(monom) for _ in range(k))
        total += coef * _wick(idx, cov)
    return sympy.expand(total)


def stein(linear, f, variables, mean, cov):
    """Stein's lemma for ``E[L(h) f(h)]`` with ``L`` affine in ``h``.

    ``E[L f] = L(mean) E[f] + sum_{i,j} a_i C_ij E[d_j f]`` where
    ``L(h) = a . h + b``.

    Returns
    -------
    list of (coefficient, integrand)
        ``E[L f] = sum coefficient * E[integrand]``; zero derivatives are
        dropped.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.expectation import stein
    >>> x, y, V, K, m = sympy.symbols("x y V K m")
    >>> stein(x, sympy.tanh(y), [x, y], [m, 0], [[V, K], [K, V]])
    [(m, tanh(y)), (K, 1 - tanh(y)**2)]
    """
    variables, mean, cov = _check_gaussian(variables, mean, cov)
    linear = as_expr(linear, "linear")
    f = as_expr(f, "f")
    try:
        lp = sympy.Poly(linear, *variables)
    except sympy.PolynomialError:
        raise ValueError(f"stein needs an affine factor in {variables}, got {linear}") from None
    if lp.total_degree() > 1:
        raise ValueError(f"stein needs an affine factor in {variables}, got {linear}")
    a = [lp.coeff_monomial(v) for v in variables]
    at_mean = linear.subs(dict(zip(variables, mean)), simultaneous=True)
    out = []
    if at_mean != 0:
        out.append((at_mean, f))
    for j, vj in enumerate(variables):
        coef = sympy.Add(*[a[i] * cov[i, j] for i in range(len(variables))])
        if coef == 0:
            continue
        df = sympy.diff(f, vj)
        if df != 0:
            out.append((coef, df))
    return out


def erf_closed_form(expr, variables, mean, cov):
    """Closed form of ``E[expr]`` for a polynomial x Gaussian-kernel x erf integrand, or ``None``.

    * ``E[erf(L(h))] = erf(E[L] / sqrt(1 + 2 Var L))`` for affine ``L``, any mean;
    * ``E[erf(L1) erf(L2)] = (2/pi) asin(2 Cov / sqrt((1 + 2 Var L1)(1 + 2 Var L2)))``
      for zero means (the arcsine law) and, for any means, the bivariate normal
      orthant probability :class:`~symdyn.special.BivariateNormalCDF`;
    * polynomial factors (Stein's lemma) and Gaussian kernels ``exp(-q(h))``
      (completing the square), see :mod:`symdyn._gauss_closed`.

    Returns ``None`` for integrands outside that class (``tanh``, three erf factors, ...).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.expectation import erf_closed_form
    >>> x, y, V, K = sympy.symbols("x y V K", positive=True)
    >>> erf_closed_form(sympy.erf(x) * sympy.erf(y), [x, y], [0, 0], [[V, K], [K, V]])
    2*asin(2*K/(2*V + 1))/pi
    >>> half = sympy.Rational(1, 2)
    >>> erf_closed_form(sympy.erf(x) * sympy.erf(y), [x, y], [1, 0], [[1, half], [half, 1]])
    -1 - erf(sqrt(3)/3) + 4*Phi2(sqrt(6)/3, 0, 1/3)
    >>> erf_closed_form(sympy.tanh(x), [x], [0], [[1]]) is None
    True
    """
    variables, mean, cov = _check_gaussian(variables, mean, cov)
    try:
        return closed_expectation(as_expr(expr, "expr"), variables, mean, cov)
    except NoClosedForm:
        return None


def gaussian_expectation(expr, variables, mean, cov) -> sympy.Expr:
    """Exact ``E[f(h)]``, ``h ~ N(mean, cov)``: Isserlis, erf / Gaussian-kernel closed forms, linearity.

    Polynomial terms go through :func:`isserlis`; the others through
    :func:`symdyn._gauss_closed.closed_expectation` (products of polynomials,
    Gaussian kernels ``exp(-q(h))`` and at most two erf of affine forms after
    the kernels are absorbed).

    Raises
    ------
    NoClosedForm
        If a term is outside that class.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.expectation import gaussian_expectation
    >>> x = sympy.Symbol("x", real=True)
    >>> gaussian_expectation(3 + x**2 + sympy.erf(2 * x), [x], [0], [[1]])
    4
    >>> gaussian_expectation(sympy.exp(-x**2), [x], [0], [[1]])
    sqrt(3)/3
    """
    variables, mean, cov = _check_gaussian(variables, mean, cov)
    total = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand(as_expr(expr, "expr"))):
        coef, rest = term.as_independent(*variables, as_Add=False)
        if rest == 1 or rest.is_polynomial(*variables):
            total += isserlis(term, variables, mean, cov)
            continue
        try:
            total += coef * closed_expectation(rest, variables, mean, cov)
        except NoClosedForm as exc:
            raise NoClosedForm(f"no closed form for E[{rest}] under N({list(mean)}, {cov.tolist()}): {exc}") from None
    return total


# ---------------------------------------------------------------------------
# hidden laws
# ---------------------------------------------------------------------------

def average_over_laws(expr, cs, laws, *, use_atoms=True) -> sympy.Expr:
    """``E_c[expr]`` for independent features ``c_k ~ laws[k]``.

    Finite discrete laws (``law.atoms()`` not None): exact sum over the atoms
    of every feature (any integrand).  Otherwise (or with ``use_atoms=False``)
    the integrand must be polynomial in those ``c`` and the law's exact
    moments are used (``m2, m4, ...`` for :class:`~symdyn.hidden.GeneralLaw`).

    Examples
    --------
    >>> import sympy
    >>> from symdyn.expectation import average_over_laws
    >>> from symdyn.hidden import Rademacher, GeneralLaw
    >>> c1, c2, R = sympy.symbols("c1 c2 R")
    >>> average_over_laws(sympy.tanh(R * c1) * c1, [c1], [Rademacher()])
    tanh(R)
    >>> average_over_laws(c1**4 * c2**2 + c1, [c1, c2], [GeneralLaw(), GeneralLaw()])
    m2*m4
    """
    if isinstance(cs, str) or isinstance(laws, str):
        raise TypeError("cs and laws must be sequences (of Symbols and laws), not strings")
    cs = tuple(cs)
    laws = tuple(laws)
    if len(cs) != len(laws):
        raise ValueError(f"need one law per variable: {len(cs)} variables, {len(laws)} laws")
    cs = as_symbol_tuple(cs, "cs")
    expr = as_expr(expr, "expr")
    # discrete features first: sum over atoms
    for c, law in zip(cs, laws):
        atoms = law.atoms()
        if use_atoms and atoms is not None and expr.has(c):
            expr = sympy.Add(*[p * expr.xreplace({c: v}) for v, p in atoms])
    rest = [(c, law) for c, law in zip(cs, laws) if expr.has(c)]
    if not rest:
        return expr
    rc = [c for c, _ in rest]
    total = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand(expr)):
        coef, cpart = term.as_independent(*rc, as_Add=False)
        powers = cpart.as_powers_dict()
        val = coef
        for c, law in rest:
            k = powers.pop(c, 0)
            if not (getattr(k, "is_Integer", isinstance(k, int)) and k >= 0):
                raise ValueError(f"integrand is not polynomial in {c}: {term}")
            val *= law.moment(int(k))
        if any(b.has(*rc) for b in powers):
            raise ValueError(f"integrand is not polynomial in {rc}: {term}; "
                             "expand it in c first (moment_expansion) or use a finite discrete law")
        total += val
    return total


# ---------------------------------------------------------------------------
# numerics
# ---------------------------------------------------------------------------

def compile_integrand(expr, variables):
    """NumPy callable ``f(*arrays)`` for a SymPy integrand (``lambdify``, ``cse=True``).

    Strings are rejected: only SymPy expressions are compiled.

    Examples
    --------
    >>> import numpy as np, sympy
    >>> from symdyn.expectation import compile_integrand
    >>> x, y = sympy.symbols("x y")
    >>> compile_integrand(sympy.tanh(x) * y, [x, y])(np.array([0.0]), np.array([2.0]))
    array([0.])
    """
    if isinstance(expr, str):
        raise TypeError("integrand must be a SymPy expression, not a string")
    from ._codegen import lambdify_modules

    expr = as_expr(expr, "integrand")
    extra = expr.free_symbols - set(variables)
    if extra:
        raise ValueError(f"integrand has free symbols besides the variables: {sorted(map(str, extra))}")
    raw = sympy.lambdify(list(variables), expr, modules=lambdify_modules(), cse=True)

    def f(*arrays):
        shape = np.broadcast(*arrays).shape if arrays else ()
        return np.broadcast_to(np.asarray(raw(*arrays), dtype=float), shape)

    return f


@functools.lru_cache(maxsize=None)
def gauss_hermite_rule(n: int, order: int):
    """Tensor Gauss--Hermite rule for ``N(0, I_n)``: ``(points (P, n), weights (P,))``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdyn.expectation import gauss_hermite_rule
    >>> z, w = gauss_hermite_rule(2, 10)
    >>> z.shape, round(float(w @ z[:, 0] ** 2), 12)
    ((100, 2), 1.0)
    """
    x, w = np.polynomial.hermite_e.hermegauss(order)
    w = w / math.sqrt(2 * math.pi)
    pts = np.array(list(itertools.product(x, repeat=n)))
    wts = np.prod(np.array(list(itertools.product(w, repeat=n))), axis=1)
    pts.setflags(write=False)
    wts.setflags(write=False)
    return pts, wts


def psd_sqrt(cov, tol=1e-10):
    """Batched ``L`` with ``L L^T = cov`` for PSD ``cov (..., n, n)`` (eigen-decomposition).

    Singular covariances are fine; entries whose smallest eigenvalue is below
    ``-tol * max(1, |cov|)`` get ``NaN``.
    """
    cov = np.asarray(cov, dtype=float)
    if cov.shape[-2:] == (1, 1):  # same as eigh of a 1 x 1 matrix: eigenvector 1, eigenvalue cov
        lam = np.nan_to_num(cov[..., 0])
        scale = np.maximum(1.0, np.abs(lam))
        bad = (lam < -tol * scale)[..., 0] | ~np.isfinite(cov[..., 0, 0])
        L = np.sqrt(np.clip(lam, 0.0, None))[..., None]
        L[bad] = np.nan
        return L
    lam, vec = np.linalg.eigh(np.nan_to_num(cov))
    scale = np.maximum(1.0, np.abs(lam).max(axis=-1, keepdims=True))
    bad = (lam < -tol * scale).any(axis=-1) | ~np.isfinite(cov).all(axis=(-2, -1))
    L = vec * np.sqrt(np.clip(lam, 0.0, None))[..., None, :]
    L[bad] = np.nan
    return L


DEFAULT_ORDER = {1: 80, 2: 48, 3: 24, 4: 14}


def gauss_hermite_expectation(f, mean, cov, order=None):
    """Vectorised ``E[f(h)]``, ``h ~ N(mean, cov)`` by tensor Gauss--Hermite.

    Parameters
    ----------
    f : callable
        ``f(*arrays)`` on NumPy arrays (e.g. from :func:`compile_integrand`).
    mean : array (..., n)
    cov : array (..., n, n)
        Positive semi-definite; otherwise the result is ``NaN`` there.
    order : int, optional
        Points per dimension (default by dimension: 80, 48, 24, 14, then 10).

    Returns
    -------
    ndarray of shape ``mean.shape[:-1]``

    Examples
    --------
    >>> import numpy as np, sympy
    >>> from symdyn.expectation import compile_integrand, gauss_hermite_expectation
    >>> x = sympy.Symbol("x")
    >>> f = compile_integrand(x**4, [x])
    >>> round(float(gauss_hermite_expectation(f, np.array([0.0]), np.array([[2.0]]))), 10)
    12.0
    >>> float(gauss_hermite_expectation(f, np.array([0.0]), np.array([[-1.0]])))
    nan
    """
    _check_callable(f)
    mean, cov = _check_batch(mean, cov)
    order = order or DEFAULT_ORDER.get(mean.shape[-1], 10)
    hs, w = _mapped_points(mean, cov, *gauss_hermite_rule(mean.shape[-1], order))
    return _contract(f(*hs), w, mean.shape[:-1])


def _check_callable(f):
    if not callable(f):
        raise TypeError(f"f must be a callable on NumPy arrays (e.g. from compile_integrand), got "
                        f"{type(f).__name__}; strings are never parsed")


def _check_batch(mean, cov):
    from ._validation import _contains_text

    arrays = []
    for name, value in (("mean", mean), ("cov", cov)):
        if _contains_text(value):
            raise TypeError(f"{name} must be numbers, not strings (text is never parsed)")
        try:
            arrays.append(np.asarray(value, dtype=float))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name} must be an array of numbers: {exc}") from None
    mean, cov = arrays
    if mean.ndim == 0:
        raise ValueError("mean must have shape (..., n), got a scalar")
    n = mean.shape[-1]
    if cov.shape[-2:] != (n, n):
        raise ValueError(f"cov must end in ({n}, {n}), got {cov.shape}")
    return mean, cov


def _mapped_points(mean, cov, z, w, L=None):
    """Rule ``(z, w)`` for ``N(0, I)`` mapped to ``N(mean, cov)``.

    Returns ``([h_1, ..., h_n], w)`` with each ``h_i`` of shape ``batch + (P,)``
    (``h = mean + L z``, ``L = psd_sqrt(cov)``), built coordinate by
    coordinate (no ``einsum``; contiguous arrays for the integrand).
    """
    n = mean.shape[-1]
    if L is None:
        L = psd_sqrt(cov)
    hs = []
    for i in range(n):
        h = mean[..., i, None] + L[..., i, 0, None] * z[:, 0]
        for j in range(1, n):
            h += L[..., i, j, None] * z[:, j]
        hs.append(h)
    return hs, w


def _contract(vals, w, batch_shape):
    vals = np.asarray(vals, dtype=float)
    if vals.shape[-1:] != w.shape:
        vals = np.broadcast_to(vals, batch_shape + w.shape)
    return vals @ w


@functools.lru_cache(maxsize=None)
def trapezoid_rule(n: int, step: float, half_width: float = 9.0):
    """Trapezoidal rule for ``N(0, I_n)`` on the ball ``|z| <= half_width``.

    For integrands analytic in a strip (``tanh``, ``erf``, polynomials times
    those) the error decays like ``exp(-2 pi d / step)`` with ``d`` the
    strip half-width in standardised coordinates -- much faster than
    Gauss--Hermite at the same number of points when the Gaussian is wide
    compared with the distance of the integrand's complex singularities.

    Returns ``(points (P, n), weights (P,))``.
    """
    k = int(math.ceil(half_width / step))
    x = np.arange(-k, k + 1) * step
    w = np.exp(-x**2 / 2) * step / math.sqrt(2 * math.pi)
    pts = np.array(list(itertools.product(x, repeat=n)))
    wts = np.prod(np.array(list(itertools.product(w, repeat=n))), axis=1)
    keep = (pts**2).sum(axis=1) <= half_width**2
    pts, wts = pts[keep], wts[keep]
    pts.setflags(write=False)
    wts.setflags(write=False)
    return pts, wts


def gaussian_quadrature(f, mean, cov, *, rule="auto"):
    """Vectorised ``E[f(h)]``, ``h ~ N(mean, cov)`` (batched like :func:`gauss_hermite_expectation`).

    ``rule="auto"``: for ``n <= 2`` variables a trapezoidal rule in
    standardised coordinates whose step shrinks with the largest standard
    deviation in the batch (``0.3 / sigma_max``, quantised; about ``1e-12``
    absolute error for ``tanh``-type integrands), for ``n >= 3`` tensor
    Gauss--Hermite.  ``rule="gauss-hermite"`` / ``"trapezoid"`` force one.
    Entries with a non-PSD covariance give ``NaN``.

    Examples
    --------
    >>> import numpy as np, sympy
    >>> from symdyn.expectation import compile_integrand, gaussian_quadrature
    >>> x = sympy.Symbol("x")
    >>> f = compile_integrand(x**2, [x])
    >>> np.round(gaussian_quadrature(f, np.array([[0.0], [1.0]]), np.array([[[2.0]], [[2.0]]])), 10)
    array([2., 3.])
    """
    if rule not in ("auto", "gauss-hermite", "trapezoid"):
        raise ValueError(f"rule must be 'auto', 'gauss-hermite' or 'trapezoid', got {rule!r}")
    _check_callable(f)
    mean, cov = _check_batch(mean, cov)
    hs, w = gaussian_points(mean, cov, rule=rule)
    return _contract(f(*hs), w, mean.shape[:-1])


def gaussian_points(mean, cov, *, rule="auto"):
    """The points and weights :func:`gaussian_quadrature` uses for ``N(mean, cov)``.

    Returns ``([h_1, ..., h_n], w)``: ``h_i`` of shape ``mean.shape[:-1] + (P,)``
    and ``w`` of shape ``(P,)``, so ``E[f] ~= f(h_1, ..., h_n) @ w`` for every
    integrand ``f`` -- one set of points serves all integrands over the same
    Gaussian.  Non-PSD covariances give ``NaN`` points.
    """
    if rule not in ("auto", "gauss-hermite", "trapezoid"):
        raise ValueError(f"rule must be 'auto', 'gauss-hermite' or 'trapezoid', got {rule!r}")
    mean, cov = _check_batch(mean, cov)
    return _mapped_points(mean, cov, *standard_rule(cov, rule=rule))


def standard_rule(cov, *, rule="auto"):
    """The rule ``(z (P, n), w (P,))`` for ``N(0, I_n)`` that :func:`gaussian_quadrature`
    uses for the batch of covariances ``cov (..., n, n)`` (cached; read-only arrays)."""
    if rule not in ("auto", "gauss-hermite", "trapezoid"):
        raise ValueError(f"rule must be 'auto', 'gauss-hermite' or 'trapezoid', got {rule!r}")
    cov = np.asarray(cov, dtype=float)
    n = cov.shape[-1]
    if rule == "gauss-hermite" or (rule == "auto" and n > 2):
        return gauss_hermite_rule(n, DEFAULT_ORDER.get(n, 10))
    with np.errstate(invalid="ignore"):
        smax = np.nanmax(np.sqrt(np.abs(np.diagonal(cov, axis1=-2, axis2=-1))), initial=1.0)
    base = 0.3
    ratio = max(1.0, float(smax))
    step = base / (math.ceil(4 * ratio) / 4)  # quantised: few distinct cached rules
    return trapezoid_rule(n, step)


def mp_gaussian_expectation(expr, variables, mean, cov, dps=20):
    """High-precision ``E[f(h)]`` with ``mpmath.quad`` (``n <= 3`` variables).

    Used to bound the Gauss--Hermite error in tests.  Raises ``ValueError``
    if ``cov`` is not positive semi-definite.

    Examples
    --------
    >>> import sympy
    >>> from symdyn.expectation import mp_gaussian_expectation
    >>> x = sympy.Symbol("x")
    >>> v = mp_gaussian_expectation(sympy.tanh(x)**2, [x], [0.5], [[1.0]], dps=20)
    >>> abs(float(v) - 0.43801) < 1e-5
    True
    """
    import mpmath

    if isinstance(expr, str):
        raise TypeError("integrand must be a SymPy expression, not a string")
    variables = as_symbol_tuple(variables, "variables")
    expr = as_expr(expr, "expr")
    if isinstance(mean, str):
        raise TypeError("mean must be a sequence of numbers or SymPy expressions, not a string")
    mean = [as_expr(m, f"mean[{i}]") for i, m in enumerate(mean)]
    cov = _as_matrix(cov, len(variables))
    used = [i for i, v in enumerate(variables) if expr.has(v)]
    if len(used) < len(variables):  # marginalise (exact): drop unused coordinates
        get = (lambda i, j: cov[i, j]) if hasattr(cov, "shape") else (lambda i, j: cov[i][j])
        variables = tuple(variables[i] for i in used)
        mean = [mean[i] for i in used]
        cov = sympy.Matrix([[get(i, j) for j in used] for i in used]) if used else sympy.zeros(0, 0)
        if not used:
            return mpmath.mpf(str(sympy.N(expr, dps)))
    n = len(variables)
    if n > 3:
        raise ValueError(f"mp_gaussian_expectation supports at most 3 variables, got {n}")
    with mpmath.workdps(dps):
        m = [mpmath.mpf(str(sympy.N(v, dps + 5))) for v in mean]
        C = mpmath.matrix([[mpmath.mpf(str(sympy.N(cov[i][j] if not hasattr(cov, "shape") else cov[i, j], dps + 5)))
                            for j in range(n)] for i in range(n)])
        E, Qm = mpmath.eigsy(C)
        tol = mpmath.mpf(10) ** (-(dps // 2))
        if min(E[i] for i in range(n)) < -tol * max(1, max(abs(E[i]) for i in range(n))):
            raise ValueError(f"covariance is not positive semi-definite (eigenvalues {[float(E[i]) for i in range(n)]})")
        L = Qm * mpmath.diag([mpmath.sqrt(max(E[i], 0)) for i in range(n)])
        f = sympy.lambdify(list(variables), expr, modules="mpmath")
        norm = (2 * mpmath.pi) ** (-mpmath.mpf(n) / 2)

        def integrand(*z):
            h = [m[i] + sum(L[i, j] * z[j] for j in range(n)) for i in range(n)]
            return f(*h) * mpmath.exp(-sum(zi**2 for zi in z) / 2) * norm

        return mpmath.quad(integrand, *([[-mpmath.inf, 0, mpmath.inf]] * n))
