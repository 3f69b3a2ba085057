"""Gaussian-expectation nodes: ``E_{h ~ N(mean, cov)}[f(h)]`` as a SymPy function.

:class:`GaussExpectation` is a SymPy ``Function`` whose first argument is an
integer *label* indexing a process-wide registry of integrands (SymPy
expressions in canonical variables ``eta_1, ..., eta_n``, keyed by the
expression itself -- never a string to be evaluated), followed by the ``n``
means and the upper triangle (row-major) of the covariance.  So:

* derivatives are symbolic (Price's theorem / Stein): ``d/d mean_i = E[d_i f]``,
  ``d/d C_ii = E[d_i^2 f] / 2``, ``d/d C_ij = E[d_i d_j f]`` (``i != j``);
* ``doit()`` is exact when the integrand is polynomial (Isserlis) or a known
  ``erf`` form;
* ``evalf`` uses high-precision ``mpmath.quad`` (``n <= 3``);
* ``lambdify`` / ``ODESystem.compile()`` use the ``_imp_`` attribute:
  vectorised quadrature, :func:`symdyn.expectation.gaussian_quadrature`
  (``NaN`` where the covariance
  is not positive semi-definite, e.g. ``V = (1 + Delta) Q - R^2 < 0``).

:class:`Gaussian` describes one Gaussian vector and builds nodes from
integrands (linearity, marginalisation onto the variables used, merging of
almost surely equal variables, parity).

Examples
--------
>>> import sympy
>>> from symdyn.contrastive._nodes import Gaussian, canonicalize
>>> x, y, V, K, m = sympy.symbols("x y V K m", real=True)
>>> G = Gaussian([x, y], [m, m], [[V, K], [K, V]])
>>> e = G.expect(sympy.tanh(x) * sympy.tanh(y))
>>> d = G.expect(sympy.diff(sympy.tanh(x) * sympy.tanh(y), x, y))
>>> sympy.expand(canonicalize(e.diff(K)) - canonicalize(d))
0
>>> G.expect(x**2 * y**2).doit()
2*K**2 + 4*K*m**2 + V**2 + 2*V*m**2 + m**4
"""

from __future__ import annotations

import functools
import sys
from collections import OrderedDict

import numpy as np
import sympy
from sympy.core.function import ArgumentIndexError

from ..expectation import (
    NoClosedForm,
    _contract,
    _mapped_points,
    psd_sqrt,
    standard_rule,
    compile_integrand,
    gaussian_expectation,
    mp_gaussian_expectation,
)
from ..special import BivariateNormalCDF

__all__ = ["GaussExpectation", "Gaussian", "canonicalize", "integrand_of", "nodes_in", "closed_form", "close_nodes", "tidy_arguments"]

_MAXVARS = 16
ETA = tuple(sympy.Symbol(f"eta_{i + 1}", real=True) for i in range(_MAXVARS))

_EXPRS: list = []          # label -> (n, integrand in ETA[:n])
_INDEX: dict = {}          # (n, integrand) -> label


def _register(expr: sympy.Expr, n: int) -> int:
    key = (n, expr)
    label = _INDEX.get(key)
    if label is None:
        label = len(_EXPRS)
        _EXPRS.append(key)
        _INDEX[key] = label
    return label


def _ntri(n):
    return n * (n + 1) // 2


@functools.lru_cache(maxsize=None)
def _compiled(label: int):
    n, expr = _EXPRS[label]
    return compile_integrand(expr, ETA[:n])


@functools.lru_cache(maxsize=None)
def _parity(label: int) -> int:
    """+1 even, -1 odd under ``eta -> -eta``, 0 neither."""
    n, expr = _EXPRS[label]
    flipped = expr.xreplace({v: -v for v in ETA[:n]})
    if flipped == expr or sympy.expand(flipped - expr) == 0:
        return 1
    if sympy.expand(flipped + expr) == 0:
        return -1
    return 0


@functools.lru_cache(maxsize=None)
def _dintegrand(label: int, idx: tuple) -> sympy.Expr:
    """Partial derivative of integrand ``label`` in ``ETA[i] for i in idx`` (memoised)."""
    n, expr = _EXPRS[label]
    for i in idx:
        expr = expr.diff(ETA[i])
    return expr


class GaussExpectation(sympy.Function):
    """``E[f(h)]``, ``h ~ N(mean, cov)``; args ``(label, *mean, *cov_upper)``.

    Build nodes with :class:`Gaussian`; see the module docstring.
    """

    # expectations of real integrands with finite values (integrands are built
    # from real activations); declaring this spares SymPy's assumption search
    is_extended_real = True
    is_real = True
    is_finite = True
    is_commutative = True

    @classmethod
    def eval(cls, label, *args):
        if not (isinstance(label, sympy.Integer) and 0 <= int(label) < len(_EXPRS)):
            raise ValueError(f"GaussExpectation: unknown integrand label {label}")
        n, _ = _EXPRS[int(label)]
        if len(args) != n + _ntri(n):
            raise ValueError(f"GaussExpectation: integrand {int(label)} needs {n + _ntri(n)} arguments, got {len(args)}")
        if all(a == 0 for a in args[:n]) and _parity(int(label)) == -1:
            return sympy.S.Zero
        return None

    # -- structure ---------------------------------------------------------
    @property
    def n(self) -> int:
        return _EXPRS[int(self.args[0])][0]

    @property
    def integrand(self) -> sympy.Expr:
        """The integrand in ``ETA[:n]``."""
        return _EXPRS[int(self.args[0])][1]

    @property
    def mean(self) -> list:
        return list(self.args[1:1 + self.n])

    @property
    def cov(self) -> sympy.Matrix:
        n = self.n
        up = iter(self.args[1 + n:])
        C = sympy.zeros(n, n)
        for i in range(n):
            for j in range(i, n):
                C[i, j] = C[j, i] = next(up)
        return C

    def gaussian(self) -> "Gaussian":
        return Gaussian(ETA[:self.n], self.mean, self.cov)

    # -- calculus ------------------------------------------------------------
    def fdiff(self, argindex=1):
        n = self.n
        if argindex == 1:
            raise ArgumentIndexError(self, argindex)
        k = argindex - 2
        label = int(self.args[0])
        G = self.gaussian()
        if k < n:
            return G.expect(_dintegrand(label, (k,)))
        k -= n
        for i in range(n):
            for j in range(i, n):
                if k == 0:
                    d2 = _dintegrand(label, (i, j))
                    return G.expect(d2 / 2 if i == j else d2)
                k -= 1
        raise ArgumentIndexError(self, argindex)

    def doit(self, deep=True, **hints):
        args = [a.doit(deep=deep, **hints) if deep and isinstance(a, sympy.Basic) else a for a in self.args]
        node = self.func(*args)
        if not isinstance(node, GaussExpectation):
            return node
        val = closed_form(node)
        return node if val is None else val

    def _eval_evalf(self, prec):
        import mpmath

        vals = []
        for a in self.args[1:]:
            v = a.evalf(prec)
            if not v.is_Number:
                return None
            vals.append(v)
        if self.n > 3:
            return None
        n = self.n
        mean = vals[:n]
        C = Gaussian._cov_from_upper(vals[n:], n)
        dps = mpmath.libmp.prec_to_dps(prec)
        val = mp_gaussian_expectation(self.integrand, ETA[:n], mean, C, dps=dps + 5)
        return sympy.Float(val, dps)

    def _latex(self, printer):
        n = self.n
        names = {ETA[i]: sympy.Symbol(f"h_{{{i + 1}}}") for i in range(n)}
        f = printer._print(self.integrand.xreplace(names))
        mean = ", ".join(printer._print(m) for m in self.mean)
        cov = printer._print(self.cov)
        return rf"\mathbb{{E}}_{{h\sim\mathcal{{N}}(({mean}),\,{cov})}}\left[{f}\right]"

    def _sympystr(self, printer):
        f = printer._print(self.integrand)
        rest = ", ".join(printer._print(a) for a in self.args[1:])
        return f"E[{f}; {rest}]"

    @staticmethod
    def _imp_(label, *args):
        """Vectorised quadrature (used by ``lambdify``); NaN for non-PSD covariances.

        Same rule as :func:`~symdyn.expectation.gaussian_quadrature`, but the
        mapped points of a Gaussian are shared: see :func:`_quadrature`.
        """
        # the calling (generated) function tells which integrands get requested together
        return _quadrature(int(label), args, sys._getframe(1).f_code)


# -- shared-point quadrature for compiled expressions -------------------------
#
# A compiled right-hand side evaluates many nodes over the same Gaussian (same
# mean and covariance values).  ``_quadrature`` memoises, keyed by the *values*
# of the arguments (never by object identity): the rule of each Gaussian (its
# factor L, standard points and weights) and the node values already computed
# on it (evaluated in cache-sized blocks of rows).  Integrands that were
# requested together on one Gaussian by one calling function (a compiled rhs,
# its Jacobian, ...) are remembered as a group; the next time
# one of them is requested on a new Gaussian, the whole group is evaluated by
# one compiled function (``lambdify`` with ``cse=True``: shared ``tanh`` etc.)
# on one set of points.  The memo only saves work: every value is what
# ``gaussian_quadrature`` computes for that node (up to rounding).

_MEMO: OrderedDict = OrderedDict()  # value key -> _Entry
_MEMO_SIZE = 64                  # entries kept (values are small)
_CHUNK = 1 << 15                 # points evaluated at once (rows x rule points)
_GROUP: dict = {}                # (caller, label) -> set of labels requested with it on one Gaussian
_GROUP_MAX = 256                 # largest group evaluated at once


class _Entry:
    __slots__ = ("mean", "cov", "shape", "points", "values", "requested")

    def __init__(self, mean, cov, shape):
        self.mean, self.cov, self.shape = mean, cov, shape
        self.points = None
        self.values = {}
        self.requested = {}


def _learn(entry, label, caller):
    """Record that ``caller`` requested ``label`` on ``entry``'s Gaussian.

    Groups are per calling function (a compiled rhs and its Jacobian request
    different sets); they only grow, up to a cap.
    """
    key = (caller, label)
    mine = _GROUP.get(key)
    g = entry.requested.get(caller)
    if g is None:
        g = entry.requested[caller] = mine if mine is not None else {label}
    if mine is g:
        return
    if mine is not None and len(g) + len(mine) <= _GROUP_MAX:  # merge two groups
        g |= mine
        for lab in mine:
            _GROUP[(caller, lab)] = g
    elif len(g) < _GROUP_MAX:
        g.add(label)
    else:
        return
    _GROUP[key] = g


@functools.lru_cache(maxsize=None)
def _compiled_group(labels: tuple):
    """One NumPy function returning the integrands ``labels`` (same ``n``) as a tuple."""
    from .._codegen import lambdify_modules

    n = _EXPRS[labels[0]][0]
    exprs = [_EXPRS[lab][1] for lab in labels]
    raw = sympy.lambdify(list(ETA[:n]), exprs, modules=lambdify_modules(), cse=True)
    return raw


def _array_key(a):
    a = np.asarray(a)
    return (a.dtype.str, a.shape, a.tobytes())


def _quadrature(label: int, args, caller=None):
    n, _ = _EXPRS[label]
    # cheap value key: Python / NumPy floats as they are, arrays by shape and bytes
    key = (n,) + tuple(a if isinstance(a, (float, int)) else _array_key(a) for a in args)
    entry = _MEMO.get(key)
    if entry is None:
        arrs = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
        shape = arrs[0].shape
        flat = [a.reshape(-1) for a in arrs]
        mean = np.stack(flat[:n], axis=-1)
        cov = np.empty((mean.shape[0], n, n))
        k = n
        for i in range(n):
            for j in range(i, n):
                cov[:, i, j] = cov[:, j, i] = flat[k]
                k += 1
        entry = _Entry(mean, cov, shape)
        _MEMO[key] = entry
        if len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    else:
        _MEMO.move_to_end(key)
    shape = entry.shape
    val = entry.values.get(label)
    if val is None:
        group = _GROUP.get((caller, label))
        todo = sorted({label} | {lab for lab in (group or ()) if lab not in entry.values and _EXPRS[lab][0] == n})
        if entry.points is None:  # (L, z, w): the rule, mapped chunk by chunk below
            entry.points = (psd_sqrt(entry.cov),) + standard_rule(entry.cov)
        L, z, w = entry.points
        g = _compiled_group(tuple(todo))
        B, P = entry.mean.shape[0], w.shape[0]
        res = [np.empty(B) for _ in todo]
        # blocks of rows small enough for the temporaries to stay in cache
        step = max(1, _CHUNK // P)
        for r0 in range(0, B, step):
            r1 = min(B, r0 + step)
            hs, _ = _mapped_points(entry.mean[r0:r1], None, z, w, L=L[r0:r1])
            outs = g(*hs)
            for out, v in zip(res, outs):
                out[r0:r1] = _contract(v, w, (r1 - r0,))
        for lab, v in zip(todo, res):
            entry.values[lab] = v
        val = entry.values[label]
    _learn(entry, label, caller)
    return val.reshape(shape).copy() if shape else float(val[0])


class Gaussian:
    """A Gaussian vector ``variables ~ N(mean, cov)`` (entries SymPy expressions).

    Parameters
    ----------
    variables : sequence of Symbol
    mean : sequence of Expr
    cov : symmetric matrix-like of Expr (positive semi-definite)
    """

    def __init__(self, variables, mean, cov):
        self.variables = tuple(variables)
        n = len(self.variables)
        if n == 0 or n > _MAXVARS:
            raise ValueError(f"need 1..{_MAXVARS} variables, got {n}")
        self.mean = [sympy.S(m) for m in mean]
        self.cov = sympy.Matrix(cov)
        if len(self.mean) != n or self.cov.shape != (n, n):
            raise ValueError("mean/cov shapes do not match the variables")

    @staticmethod
    def _cov_from_upper(vals, n):
        it = iter(vals)
        C = sympy.zeros(n, n)
        for i in range(n):
            for j in range(i, n):
                C[i, j] = C[j, i] = next(it)
        return C

    def _same(self, i, j) -> bool:
        """``h_i = h_j`` almost surely (equal means, ``C_ii = C_jj = C_ij``)."""
        C = self.cov
        return (sympy.expand(self.mean[i] - self.mean[j]) == 0
                and sympy.expand(C[i, i] - C[i, j]) == 0
                and sympy.expand(C[j, j] - C[i, j]) == 0)

    def _node(self, f):
        """Node for a single integrand ``f`` (free of everything but the variables)."""
        vs = [v for v in self.variables if f.has(v)]
        if not vs:
            return f
        idx = [self.variables.index(v) for v in vs]
        # merge almost surely equal variables
        keep = []
        for i in idx:
            twin = next((k for k in keep if self._same(k, i)), None)
            if twin is None:
                keep.append(i)
            else:
                f = f.xreplace({self.variables[i]: self.variables[twin]})
        n = len(keep)
        canon = f.xreplace({self.variables[i]: ETA[a] for a, i in enumerate(keep)})
        label = _register(canon, n)
        args = [self.mean[i] for i in keep]
        args += [self.cov[keep[a], keep[b]] for a in range(n) for b in range(a, n)]
        return GaussExpectation(sympy.Integer(label), *args)

    def expect(self, f, *, split=False) -> sympy.Expr:
        """``E[f]`` as a linear combination of nodes.

        Factors free of the variables are pulled out of every top-level term
        (all terms of the full expansion when ``split``); each remaining
        integrand becomes one node over the variables it uses.
        """
        if isinstance(f, str):
            raise TypeError("integrand must be a SymPy expression, not a string")
        f = sympy.S(f)
        terms = sympy.Add.make_args(sympy.expand(f) if split else f)
        groups: dict = {}
        const = sympy.S.Zero
        for t in terms:
            coef, rest = t.as_independent(*self.variables, as_Add=False)
            if rest == 1:
                const += coef
                continue
            groups.setdefault(rest, []).append(coef)
        total = const
        for rest, coefs in groups.items():
            extra = rest.free_symbols - set(self.variables)
            if extra:
                if not split:
                    total += self.expect(sympy.Add(*coefs) * rest, split=True)
                    continue
                raise ValueError(f"integrand {rest} mixes the Gaussian variables with {sorted(map(str, extra))}")
            total += sympy.Add(*coefs) * self._node(rest)
        return total

    def stein(self, linear, f) -> sympy.Expr:
        """``E[L f]`` for affine ``L`` by Stein's lemma, as nodes."""
        from ..expectation import stein as _stein

        return sympy.Add(*[c * self.expect(g) for c, g in _stein(linear, f, self.variables, self.mean, self.cov)])


def nodes_in(expr) -> set:
    """All :class:`GaussExpectation` nodes in ``expr``."""
    return set(sympy.S(expr).atoms(GaussExpectation))


def integrand_of(node: GaussExpectation) -> sympy.Expr:
    return node.integrand


def canonicalize(expr) -> sympy.Expr:
    """Normal form: every node split over the terms of its expanded integrand, then ``expand``.

    Two derivations of the same quantity agree iff their canonical forms are
    equal (given identical Gaussian arguments).
    """
    expr = sympy.S(expr)
    rep = {}
    for node in nodes_in(expr):
        rep[node] = node.gaussian().expect(node.integrand, split=True)
    return sympy.expand(expr.xreplace(rep))


# -- closed forms ---------------------------------------------------------------

_TIDY_FUNCS = (sympy.erf, sympy.erfc, sympy.exp, sympy.asin, BivariateNormalCDF)


def _template_symbols(n):
    means = tuple(sympy.Symbol(f"_mu{i + 1}", real=True) for i in range(n))
    covs = tuple(sympy.Symbol(f"_C{i + 1}{j + 1}", real=True) for i in range(n) for j in range(i, n))
    return means, covs


@functools.lru_cache(maxsize=None)
def _closed_template(label: int):
    """Closed form of integrand ``label`` in generic mean / covariance symbols, or None.

    Computed once per integrand; a node's closed form is this template with the
    node's arguments substituted (cheap, and identical for all nodes of the label).
    """
    n, expr = _EXPRS[label]
    means, covs = _template_symbols(n)
    C = Gaussian._cov_from_upper(covs, n)
    try:
        value = gaussian_expectation(expr, ETA[:n], means, C)
    except NoClosedForm:
        return None
    return means + covs, value


def closed_form(node: GaussExpectation):
    """Exact value of ``node`` (polynomial / Gaussian-kernel / erf integrands), or None.

    See :func:`symdyn.expectation.gaussian_expectation`; two erf factors with
    non-zero means give :class:`~symdyn.special.BivariateNormalCDF`.  The
    formula is valid where the node's covariance is positive semi-definite
    (outside, unlike the quadrature, it need not be NaN).
    """
    tmpl = _closed_template(int(node.args[0]))
    if tmpl is None:
        return None
    syms, value = tmpl
    return tidy_arguments(value.xreplace(dict(zip(syms, node.args[1:]))))


_TIDY_MEMO: dict = {}
_TIDY_MEMO_MAX = 1 << 16


def _tidy(e):
    if e.is_Atom:
        return e
    out = _TIDY_MEMO.get(e)
    if out is not None:
        return out
    args = [_tidy(a) for a in e.args]
    if isinstance(e, _TIDY_FUNCS):
        out = e.func(*[sympy.factor(a) for a in args])
    elif e.is_Pow and not e.exp.is_Integer:
        out = sympy.Pow(sympy.factor(args[0]), args[1])
    else:
        out = e.func(*args) if args != list(e.args) else e
    if len(_TIDY_MEMO) > _TIDY_MEMO_MAX:
        _TIDY_MEMO.clear()
    _TIDY_MEMO[e] = out
    return out


def tidy_arguments(expr) -> sympy.Expr:
    """``expr`` with the argument of every ``erf``, ``exp``, ``asin``, ``Phi2`` and root factored.

    Substituting a node's mean / covariance entries into its closed-form template
    leaves nested rational functions (``(Q/2 - R^2)/(3Q - 2R^2 + 1)`` inside
    ``1 + 2 (...)``); :func:`sympy.factor` brings each argument to one factored
    fraction.  Exact (equal rational functions; common factors cancelled), and
    the result is 2-3 times smaller, which shortens the symbolic Jacobian,
    ``lambdify`` and the printed form.
    """
    return _tidy(sympy.S(expr))


def close_nodes(expr) -> sympy.Expr:
    """``expr`` with every node that has a closed form replaced by it (others kept)."""
    expr = sympy.S(expr)
    rep = {}
    for node in nodes_in(expr):
        val = closed_form(node)
        if val is not None:
            rep[node] = val
    return expr.xreplace(rep) if rep else expr
