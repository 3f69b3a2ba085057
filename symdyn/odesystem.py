"""Symbolic dynamical systems: flows ``dx/dt = f(x; p)`` and maps ``x -> F(x; p)``.

The symbolic right-hand side is the source of truth: the Jacobian, fixed
points, stability classification, NumPy code (``compile``), integration and
LaTeX are all generated from it.

Public names
------------
ODESystem, MapSystem, FixedPoint, Classification, CompiledSystem,
IntegrationResult, DivergenceError.
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy

from ._classify import Classification
from ._codegen import CompiledSystem, compile_system
from ._fixedpoints import FixedPoint, is_exact_number
from ._integrate import DivergenceError, IntegrationResult, integrate_compiled
from ._sympify import as_expr, as_symbol_tuple, param_values
from ._validation import check_cap, check_finite_array, check_int, check_real

__all__ = [
    "ODESystem",
    "MapSystem",
    "FixedPoint",
    "Classification",
    "CompiledSystem",
    "IntegrationResult",
    "DivergenceError",
]


def _needs_compiled_values(J, implementations) -> bool:
    """True if SymPy cannot evaluate some entry itself (custom functions with NumPy implementations)."""
    for e in J:
        for f in e.atoms(sympy.Function):
            if type(f) in implementations or hasattr(f, "_imp_") or isinstance(f, sympy.core.function.AppliedUndef):
                return True
        if e.has(sympy.Function) and not e.evalf(15).is_number:
            return True
    return False


class _System:
    """Shared machinery of :class:`ODESystem` and :class:`MapSystem`."""

    _kind = "system"

    def __init__(self, states, rhs, params=(), *, t=None, name=None, implementations=None):
        states = as_symbol_tuple(states, "states")
        if not states:
            raise ValueError("states must contain at least one Symbol")
        params = as_symbol_tuple(params, "params")
        if t is not None:
            if isinstance(t, str):
                raise TypeError("t must be a SymPy Symbol, not a string")
            if not isinstance(t, sympy.Symbol):
                raise TypeError(f"t must be a SymPy Symbol, got {type(t).__name__}")
        clash = set(states) & set(params)
        if clash:
            raise ValueError(f"params and states share symbols: {', '.join(sorted(map(str, clash)))}")
        if t is not None and (t in states or t in params):
            raise ValueError(f"t={t} must differ from the states and params")
        if isinstance(rhs, str):
            raise TypeError("rhs must be a sequence of SymPy expressions, not a string")
        if isinstance(rhs, sympy.MatrixBase):
            if 1 not in rhs.shape:
                raise ValueError(f"rhs must be a column vector, got a {rhs.shape[0]}x{rhs.shape[1]} matrix")
            items = list(rhs)
        else:
            if isinstance(rhs, sympy.Basic):
                raise TypeError("rhs must be a sequence of expressions, got a single expression")
            try:
                items = list(rhs)
            except TypeError:
                raise TypeError(f"rhs must be a sequence of SymPy expressions, got {type(rhs).__name__}") from None
        exprs = [as_expr(e, f"rhs[{i}]") for i, e in enumerate(items)]
        if len(exprs) != len(states):
            raise ValueError(f"rhs has {len(exprs)} component(s) but there are {len(states)} states")
        for i, e in enumerate(exprs):
            if e.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or (e.is_Float and not e.is_finite):
                raise ValueError(f"rhs[{i}] is not finite: {e}")
        allowed = set(states) | set(params) | ({t} if t is not None else set())
        unknown = set().union(*(e.free_symbols for e in exprs)) - allowed
        if unknown:
            raise ValueError(
                "rhs contains symbols that are neither states, params nor t: "
                + ", ".join(sorted(map(str, unknown)))
            )
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a string or None, got {type(name).__name__}")
        if implementations is not None and not isinstance(implementations, dict):
            raise TypeError("implementations must be a dict {Function class: callable}")
        impl = {}
        for k, v in (implementations or {}).items():
            if not isinstance(k, sympy.FunctionClass):
                raise TypeError(f"implementations keys must be SymPy Function classes, got {k!r}")
            if not callable(v):
                raise TypeError(f"implementations[{k.__name__}] must be callable")
            impl[k] = v
        self._states = states
        self._params = params
        self._t = t
        self._rhs = sympy.ImmutableMatrix(exprs)
        self._name = name
        self._implementations = impl
        self._jac = None
        self._compiled = None

    # ----------------------------------------------------------------- basics
    states = property(lambda self: self._states, doc="State symbols, in order.")
    params = property(lambda self: self._params, doc="Parameter symbols, in order.")
    rhs = property(lambda self: self._rhs, doc="Right-hand side, an n x 1 ImmutableMatrix.")
    t = property(lambda self: self._t, doc="Time symbol (or None).")
    name = property(lambda self: self._name, doc="Optional name.")
    implementations = property(lambda self: dict(self._implementations))

    @property
    def n(self) -> int:
        """Number of states."""
        return len(self._states)

    def __repr__(self):
        nm = f" {self._name!r}" if self._name else ""
        return f"{type(self).__name__}{nm}(states={self._states}, params={self._params}, rhs={list(self._rhs)})"

    def __eq__(self, other):
        return (
            type(self) is type(other)
            and self._states == other._states
            and self._params == other._params
            and self._t == other._t
            and self._rhs == other._rhs
        )

    def __hash__(self):
        return hash((type(self).__name__, self._states, self._params, self._t, self._rhs))

    def jacobian(self) -> sympy.ImmutableMatrix:
        """Jacobian ``d rhs / d states`` (n x n, exact, cached)."""
        if self._jac is None:
            self._jac = sympy.ImmutableMatrix(self._rhs.jacobian(self._states))
        return self._jac

    def _new(self, rhs, params):
        kw = {"name": self._name, "implementations": self._implementations}
        if isinstance(self, ODESystem):
            kw["t"] = self._t
        return type(self)(self._states, rhs, params, **kw)

    def subs(self, values: dict):
        """Fix some parameters; returns a new system without them.

        Parameters
        ----------
        values : dict
            ``{param Symbol: number or SymPy expression}``; keys must be
            parameters, values may involve only the remaining parameters.
        """
        if not isinstance(values, dict):
            raise TypeError(f"values must be a dict {{param: value}}, got {type(values).__name__}")
        vals = param_values(values, self._params, "values", allow_partial=True)
        remaining = tuple(p for p in self._params if p not in vals)
        for k, v in vals.items():
            bad = v.free_symbols - set(remaining)
            if bad:
                raise ValueError(f"values[{k}] involves symbols that are not remaining params: "
                                 + ", ".join(sorted(map(str, bad))))
        return self._new(self._rhs.xreplace(vals), remaining)

    def _substituted(self, params):
        """(rhs, jacobian, remaining params) with ``params`` substituted."""
        vals = param_values(params, self._params, "params", allow_partial=True)
        rhs = self._rhs.xreplace(vals) if vals else self._rhs
        jac = self.jacobian().xreplace(vals) if vals else self.jacobian()
        remaining = tuple(p for p in self._params if p not in vals)
        return rhs, jac, remaining

    def compile(self) -> CompiledSystem:
        """Generate vectorised NumPy callables (cached); see :class:`CompiledSystem`."""
        if self._compiled is None:
            self._compiled = compile_system(
                self._states, self._rhs, self.jacobian(), self._params, self._t,
                implementations=self._implementations, flow=isinstance(self, ODESystem),
            )
        return self._compiled

    def _numeric_params(self, params) -> tuple:
        if isinstance(params, str):
            raise TypeError("params must be a sequence or dict of numbers, not a string")
        if isinstance(params, dict):
            vals = param_values(params, self._params, "params")
            seq = [vals[p] for p in self._params]
        else:
            try:
                seq = list(params)
            except TypeError:
                raise TypeError(f"params must be a sequence of numbers, got {type(params).__name__}") from None
            if len(seq) != len(self._params):
                raise ValueError(
                    f"params must have {len(self._params)} value(s) in the order {self._params}, got {len(seq)}"
                )
        out = []
        for p, v in zip(self._params, seq):
            if isinstance(v, sympy.Basic):
                if not v.is_number:
                    raise ValueError(f"params[{p}] must be a number, got {v}")
                v = complex(v)
                if v.imag:
                    raise ValueError(f"params[{p}] must be real, got {v}")
                v = v.real
            check_real(f"params[{p}]", v)
            out.append(float(v))
        return tuple(out)

    # ---------------------------------------------------- fixed points etc.
    def _fixed_point_equations(self, rhs):
        raise NotImplementedError

    def fixed_points(self, params=None, *, method="auto", guesses=None, n_starts=64, bounds=None,
                     prec=30, seed=0, domain=None, on_empty="warn"):
        """Fixed points (equilibria of flows, fixed points of maps).

        Parameters
        ----------
        params : dict or sequence, optional
            Parameter values (dict may be partial: the rest stay symbolic,
            exact method only).
        method : {'auto', 'exact', 'numeric'}
            ``exact``: lex Gröbner basis, exact algebraic roots (radicals or
            ``CRootOf``), only for rational systems with exact coefficients.
            ``numeric``: multi-start Newton refined by ``mpmath.findroot`` at
            ``prec`` digits.  ``auto`` picks ``exact`` when possible.
        guesses : array-like (m, n), optional
            Extra starting points (numeric).
        n_starts : int
            Random starting points (numeric), uniform in ``bounds``.
        bounds : (lo, hi) or sequence of n pairs, optional
            Search box for the numeric method (default ``(-10, 10)`` per
            state); roots outside it are discarded.
        prec : int
            Decimal digits of the numeric refinement.
        seed : int
            Seed of the random starting points.
        domain : {'real', 'complex'}, optional
            ``'real'`` (default) keeps real solutions only (with symbolic
            parameters: the solutions not provably non-real, e.g.
            ``sqrt(r)``); ``'complex'`` keeps all (exact method only).
        on_empty : {'warn', 'raise', 'ignore'}
            What the numeric method does when no fixed point lies in the
            search box: a :class:`~symdyn._fixedpoints.NoFixedPointWarning`
            naming the box (default), a ``NoFixedPointFound`` (a
            ``ValueError``), or nothing.  An empty exact answer is a proof
            and is returned silently.

        Returns
        -------
        list of FixedPoint

        Raises
        ------
        ValueError
            Non-finite parameter values; an exact system whose equations
            exceed the degree cap (``CAPS['fixed_point_degree']``); bad options.
        """
        from ._fixedpoints import find_fixed_points

        rhs, _, remaining = self._substituted(params)
        eqs = self._fixed_point_equations(rhs)
        return find_fixed_points(
            self._states, eqs, remaining, method=method, guesses=guesses, n_starts=n_starts,
            bounds=bounds, prec=prec, seed=seed, domain=domain, implementations=self._implementations,
            on_empty=on_empty,
        )

    def _point_dict(self, point):
        if isinstance(point, FixedPoint):
            values = point.values
        elif isinstance(point, dict):
            for k in point:
                if not isinstance(k, sympy.Symbol) or k not in self._states:
                    raise ValueError(f"point key {k!r} is not a state of the system")
            missing = [s for s in self._states if s not in point]
            if missing:
                raise ValueError(f"point is missing values for: {', '.join(map(str, missing))}")
            values = [point[s] for s in self._states]
        else:
            if isinstance(point, str):
                raise TypeError("point must be a FixedPoint, dict or sequence, not a string")
            try:
                values = list(np.asarray(point, dtype=object).ravel()) if isinstance(point, np.ndarray) else list(point)
            except TypeError:
                raise TypeError(f"point must be a FixedPoint, dict or sequence, got {type(point).__name__}") from None
        if len(values) != self.n:
            raise ValueError(f"point must have {self.n} value(s), got {len(values)}")
        out = {}
        for s, v in zip(self._states, values):
            if isinstance(v, (mpmath.mpf, mpmath.mpc)):
                v = sympy.sympify(v)  # a number object, never a string: keeps the mpf precision
            e = as_expr(v, f"point[{s}]")
            if e.is_number and (e.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or e.is_finite is False):
                raise ValueError(f"point[{s}] must be finite, got {e}")
            out[s] = e
        return out

    def _check_equilibrium(self, pt, params, rhs, residual_tol):
        """ValueError unless ``pt`` is a fixed point: exactly where exact, else within a residual bound.

        Exact algebraic residuals are tested for zero exactly (minimal
        polynomials); floating-point or transcendental ones are evaluated at
        30 digits and must satisfy ``max |f_i(pt)| <= residual_tol * (1 + max |x_i|)``.
        """
        from ._fixedpoints import _is_zero_exact

        eqs = self._fixed_point_equations(rhs)
        scale = 1.0
        for v in pt.values():
            try:
                scale = max(scale, 1.0 + abs(complex(v)))
            except (TypeError, ValueError):
                pass
        bound = residual_tol * scale
        worst = 0.0
        if _needs_compiled_values([e.xreplace(pt) for e in eqs], self._implementations or {}):
            p = self._numeric_params(param_values(params, self._params, "params") if params is not None else ())
            y = np.array([float(complex(pt[s]).real) for s in self._states])
            cs = self.compile()
            with np.errstate(all="ignore"):
                f = cs.fun(0.0, y, *p) if isinstance(self, ODESystem) else cs.fun(y, *p) - y
            worst = float(np.max(np.abs(f)))
            if not np.isfinite(worst) or worst > bound:
                raise ValueError(f"point is not a fixed point: max |residual| = {worst:.3g} > {bound:.3g} "
                                 f"(residual_tol={residual_tol:g})")
            return
        for i, e in enumerate(eqs):
            v = e.xreplace(pt)
            if not v.is_number:
                continue  # left to the Jacobian checks (e.g. dependence on t)
            if v.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
                raise ValueError(f"the right-hand side is not finite at the point (component {i}: {v})")
            if is_exact_number(v):
                z = _is_zero_exact(v)
                if z is True:
                    continue
                if z is False:
                    raise ValueError(f"point is not a fixed point: component {i} of the "
                                     f"{'right-hand side' if isinstance(self, ODESystem) else 'map minus identity'}"
                                     f" is {sympy.sstr(v, full_prec=False)[:60]} != 0 (exact)")
            try:
                r = abs(complex(v.evalf(30)))
            except (TypeError, ValueError):
                continue
            worst = max(worst, r)
            if not np.isfinite(r) or r > bound:
                raise ValueError(f"point is not a fixed point: |residual[{i}]| = {r:.3g} > {bound:.3g} "
                                 f"(residual_tol={residual_tol:g})")

    def classify(self, point, params=None, *, margin=1e-9, residual_tol=1e-8):
        """Linear stability of a fixed point.

        Levels
        ------
        ``proved``
            The point and the parameters are exact algebraic numbers: the
            characteristic polynomial of the exact Jacobian is located by
            :mod:`symdyn.stability` (half plane for flows, unit disk for
            maps); eigenvalues on the boundary give ``non-hyperbolic``; the
            node/focus subtype is decided by exact real-root counting.
        ``certified``
            Otherwise, when every function has a rigorous interval version:
            the Jacobian is enclosed in interval arithmetic over the fixed
            point's Krawczyk box (``FixedPoint.enclosure_radius``, so the
            statement holds for the *true* fixed point) or at the given
            point, and an interval Routh array proves the counts.
        ``numerical``
            Floating-point eigenvalues (30 digits); those within ``margin``
            of the boundary are reported as non-hyperbolic.

        Parameters
        ----------
        point : FixedPoint, dict {state: value} or sequence in state order
        params : dict or sequence, optional
            Values for every parameter.
        margin : float >= 0
        residual_tol : float > 0
            A point whose residual is not exactly zero is accepted as a fixed
            point when ``max |f_i(point)| <= residual_tol * (1 + max |x_i|)``
            (residuals evaluated at 30 digits).

        Returns
        -------
        Classification

        Raises
        ------
        ValueError
            The point is not a fixed point (exactly nonzero residual, or a
            residual above the bound; the message gives it), or bad input.
        """
        from ._classify import classify_matrix

        check_real("margin", margin, low=0)
        check_real("residual_tol", residual_tol, low=0, low_open=True)
        pt = self._point_dict(point)
        rhs, jac, remaining = self._substituted(params)
        if remaining:
            raise ValueError(
                "classify needs values for every parameter; missing: " + ", ".join(map(str, remaining))
            )
        self._check_equilibrium(pt, params, rhs, residual_tol)
        J = sympy.ImmutableMatrix(jac.xreplace(pt))
        if self._t is not None and self._t in J.free_symbols:
            raise ValueError("classify is defined for autonomous systems (the Jacobian depends on t)")
        discrete = isinstance(self, MapSystem)
        if _needs_compiled_values(J, self._implementations):
            J = self._compiled_jacobian_at(pt, params)
            return classify_matrix(J, discrete=discrete, margin=margin, certify_floats=False)
        if all(is_exact_number(e) and e.is_algebraic for e in J):
            return classify_matrix(J, discrete=discrete, margin=margin)
        num = classify_matrix(J, discrete=discrete, margin=margin, certify_floats=False)
        if num.kind != "non-hyperbolic":
            radius = point.enclosure_radius if isinstance(point, FixedPoint) else None
            cert = self._interval_classification(jac, pt, radius, discrete, num.eigenvalues, margin)
            if cert is not None and (cert.stable_dim, cert.unstable_dim) == (num.stable_dim, num.unstable_dim):
                return cert
        return num

    def _interval_classification(self, jac, pt, radius, discrete, eigenvalues, margin):
        """Certified counts for the Jacobian over a box around the point (interval arithmetic).

        The box is the fixed point's Krawczyk enclosure when known (so the
        result holds for the true fixed point), else the point itself with
        its coordinates taken as exact numbers.
        """
        from mpmath import iv

        from ._classify import classify_interval
        from ._interval import lambdify_iv, supported

        if not supported(list(jac)):
            return None
        vals = []
        for s in self._states:
            v = pt[s]
            if not v.is_number or v.has(sympy.I) or not v.is_real:
                return None
            vals.append(v)
        dps = 40
        old = iv.dps
        iv.dps = dps
        try:
            box = []
            for v in vals:
                if v.is_Rational:
                    c = iv.mpf(sympy.Integer(v.p)) / iv.mpf(sympy.Integer(v.q)) if v.q != 1 else iv.mpf(int(v.p))
                elif v.is_Float:
                    c = iv.mpf(mpmath.mpf(v._mpf_))
                else:  # other exact numbers (sqrt(2), pi...): enclose their value
                    f = lambdify_iv([], v) if supported([v]) else None
                    if f is None:
                        return None
                    c = f()
                if radius:
                    c = c + iv.mpf([-radius, radius])
                box.append(c)
            JX = lambdify_iv(list(self._states), jac.tolist())(*box)
            JX = [[iv.mpf(e) if not isinstance(e, type(iv.mpf(0))) else e for e in row] for row in JX]
            return classify_interval(JX, discrete=discrete, eigenvalues=eigenvalues, margin=margin)
        except (ValueError, ZeroDivisionError, TypeError, ArithmeticError, NameError):
            return None
        finally:
            iv.dps = old

    def _compiled_jacobian_at(self, pt, params):
        """Float Jacobian from the compiled code (custom functions only have NumPy implementations)."""
        p = self._numeric_params(param_values(params, self._params, "params") if params is not None else ())
        yv = []
        for s in self._states:
            v = complex(pt[s])
            if v.imag:
                raise ValueError("a Jacobian with custom functions can only be evaluated at real points")
            yv.append(v.real)
        cs = self.compile()
        y = np.array(yv, dtype=float)
        Jf = cs.jac(0.0, y, *p) if isinstance(self, ODESystem) else cs.jac(y, *p)
        if not np.all(np.isfinite(Jf)):
            raise ValueError("the Jacobian is not finite at this point")
        return sympy.ImmutableMatrix([[sympy.Float(float(v)) for v in row] for row in Jf])

    def latex(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def report(self, params=None, *, title=None, description=None, fixed_points=None,
               **fixed_point_options) -> str:
        r"""A standalone LaTeX report: model, equations, Jacobian, fixed points, classification table, levels.

        Parameters
        ----------
        params : dict {param Symbol: number}, optional
            Values for every parameter; without them the report stops at the
            symbolic Jacobian and says which values are missing.
        title, description : str, optional
            Plain text (escaped); the description is placed before the equations.
        fixed_points : sequence of FixedPoint, optional
            Report these instead of calling :meth:`fixed_points`.
        **fixed_point_options
            Passed to :meth:`fixed_points` (``method``, ``bounds``, ``n_starts``, ...).

        Returns
        -------
        str
            LaTeX source that compiles with pdflatex (see :func:`symdyn.latex.compile_pdf`);
            every classification states its level (proved, certified, numerical).

        Examples
        --------
        >>> import sympy
        >>> x, r = sympy.symbols("x r")
        >>> src = ODESystem([x], [r * x - x**3], [r], name="pitchfork").report({r: 1})
        >>> "\\dot{x}" in src and "proved" in src
        True
        """
        from ._report import system_report

        return system_report(self, params, fixed_points=fixed_points, title=title, description=description,
                             **fixed_point_options)


class ODESystem(_System):
    r"""Autonomous or non-autonomous flow ``dx/dt = f(x, t; p)``.

    Parameters
    ----------
    states : sequence of Symbol
        Distinct state symbols.
    rhs : sequence or Matrix of SymPy expressions
        One component per state.
    params : sequence of Symbol
        Parameter symbols (their order is the order of ``*params`` in the
        compiled functions).
    t : Symbol, optional
        Time symbol, if ``rhs`` depends on time.
    name : str, optional
    implementations : dict, optional
        ``{Function class: NumPy callable}`` for custom functions in ``rhs``
        (functions with an ``_imp_`` attribute need no entry).

    Examples
    ========

    >>> import sympy
    >>> from symdyn.odesystem import ODESystem
    >>> x, y, w = sympy.symbols("x y omega")
    >>> osc = ODESystem([x, y], [y, -w**2 * x], [w])
    >>> osc.jacobian()
    Matrix([
    [        0, 1],
    [-omega**2, 0]])
    >>> osc.classify([0, 0], {w: 2}).kind
    'non-hyperbolic'
    >>> round(float(osc.integrate([1.0, 0.0], (0.0, 1.0), [2.0]).y[0, -1]), 6)
    -0.416147
    >>> print(osc.latex())
    \begin{aligned}
    \dot{x} &= y \\
    \dot{y} &= - \omega^{2} x
    \end{aligned}
    """

    _kind = "flow"

    def _fixed_point_equations(self, rhs):
        if self._t is not None and any(self._t in e.free_symbols for e in rhs):
            raise ValueError("fixed points are defined for autonomous systems (rhs depends on t)")
        return list(rhs)

    def integrate(self, y0, t_span, params=(), *, t_eval=None, method="LSODA", rtol=1e-8, atol=1e-10,
                  use_jac=True, max_norm=1e6, **solve_ivp_kwargs) -> IntegrationResult:
        """Integrate with :func:`scipy.integrate.solve_ivp` using the compiled field.

        Parameters
        ----------
        y0 : array-like (n,)
            Finite initial state.
        t_span : (t0, t1)
        params : sequence or dict
            Numeric parameter values in :attr:`params` order.
        t_eval : array-like, optional
        method : str
            Any ``solve_ivp`` method; the exact Jacobian is passed to the
            implicit ones (``Radau``, ``BDF``, ``LSODA``) when ``use_jac``.
        rtol, atol : float
        max_norm : float
            Divergence threshold on ``max |y_i|``.
        **solve_ivp_kwargs
            Passed through (``dense_output``, ``events``, ``max_step``...).

        Returns
        -------
        IntegrationResult

        Raises
        ------
        DivergenceError
            When a state becomes non-finite or exceeds ``max_norm``; the
            message gives the time and the state, ``err.result`` the partial
            result (``status == 2``).
        """
        y0 = check_finite_array("y0", y0, ndim=1, shape=(self.n,))
        if isinstance(t_span, str):
            raise TypeError("t_span must be a pair of numbers, not a string")
        try:
            t0, t1 = t_span
        except (TypeError, ValueError):
            raise ValueError(f"t_span must be a pair (t0, t1), got {t_span!r}") from None
        t0 = float(check_real("t_span[0]", t0))
        t1 = float(check_real("t_span[1]", t1))
        if t0 == t1:
            raise ValueError("t_span must have t0 != t1")
        if t_eval is not None:
            t_eval = check_finite_array("t_eval", t_eval, ndim=1)
            lo, hi = min(t0, t1), max(t0, t1)
            if np.any((t_eval < lo) | (t_eval > hi)):
                raise ValueError("t_eval must lie within t_span")
        p = self._numeric_params(params)
        if not isinstance(method, str) and not isinstance(method, type):
            raise TypeError("method must be a solve_ivp method name")
        rtol = check_real("rtol", rtol, low=0, low_open=True)
        atol = check_real("atol", atol, low=0, low_open=True)
        max_norm = float(check_real("max_norm", max_norm, low=0, low_open=True))
        return integrate_compiled(self.compile(), y0, (t0, t1), p, t_eval=t_eval, method=method,
                                  rtol=rtol, atol=atol, use_jac=bool(use_jac), max_norm=max_norm,
                                  **solve_ivp_kwargs)

    def latex(self) -> str:
        r"""``aligned`` block of ``\dot{x} = f(x)`` rows (via :func:`sympy.latex`)."""
        rows = [rf"\dot{{{sympy.latex(s)}}} &= {sympy.latex(e)}" for s, e in zip(self._states, self._rhs)]
        return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


class MapSystem(_System):
    r"""Discrete-time system ``x_{k+1} = F(x_k; p)``.

    Fixed points solve ``F(x) - x = 0``; stability is decided by the unit
    disk (sink: all ``|lambda| < 1``).  Same constructor as
    :class:`ODESystem` except that there is no time symbol.

    Examples
    ========

    >>> import sympy
    >>> from symdyn.odesystem import MapSystem
    >>> x, r = sympy.symbols("x r")
    >>> logistic = MapSystem([x], [r * x * (1 - x)], [r])
    >>> [fp.values for fp in logistic.fixed_points({r: 3})]
    [(0,), (2/3,)]
    >>> logistic.classify([sympy.Rational(2, 3)], {r: 3}).kind
    'non-hyperbolic'
    >>> logistic.iterate([0.2], 3, [2.0])
    array([0.49160192])
    >>> print(logistic.latex())
    \begin{aligned}
    x_{k+1} &= r x_{k} \left(1 - x_{k}\right)
    \end{aligned}
    """

    _kind = "map"

    def __init__(self, states, rhs, params=(), *, t=None, name=None, implementations=None):
        if t is not None:
            raise ValueError("MapSystem has no time symbol; t must be None")
        super().__init__(states, rhs, params, name=name, implementations=implementations)

    def _fixed_point_equations(self, rhs):
        return [e - s for e, s in zip(rhs, self._states)]

    def iterate(self, x0, n_steps, params=(), *, max_norm=1e6, return_orbit=False) -> np.ndarray:
        """Iterate the compiled map ``n_steps`` times.

        Parameters
        ----------
        x0 : array-like (n,) or (n, k)
            Finite initial state(s); ``k`` orbits are iterated at once.
        n_steps : int >= 0
        params : sequence or dict of numbers
        max_norm : float
            Divergence threshold on ``max |x_i|``.
        return_orbit : bool
            Return all iterates, shape ``(n_steps + 1,) + x0.shape``.

        Raises
        ------
        DivergenceError
            Naming the step and the state.
        """
        x = check_finite_array("x0", x0)
        if x.ndim not in (1, 2) or x.shape[0] != self.n:
            raise ValueError(f"x0 must have shape ({self.n},) or ({self.n}, k), got {x.shape}")
        n_steps = check_int("n_steps", n_steps, low=0)
        check_cap("n_steps", n_steps, "iterate_steps")
        if return_orbit:
            check_cap("(n_steps + 1) * x0.size", (n_steps + 1) * x.size, "orbit_values",
                      what="stored iterates with return_orbit=True")
        p = self._numeric_params(params)
        max_norm = float(check_real("max_norm", max_norm, low=0, low_open=True))
        f = self.compile().fun
        orbit = [x] if return_orbit else None
        for k in range(1, n_steps + 1):
            with np.errstate(invalid="ignore", over="ignore", divide="ignore"):  # checked just below
                x = f(x, *p)
            finite = np.isfinite(x)
            if not finite.all() or np.any(np.abs(x) > max_norm):
                bad = (~finite) | (np.abs(np.where(finite, x, 0.0)) > max_norm)
                i = int(np.argwhere(bad)[0][0])
                raise DivergenceError(
                    f"divergence at step {k}: state {self._states[i]} is not finite or exceeds "
                    f"max_norm={max_norm:g}", t=k, state=str(self._states[i]),
                )
            if return_orbit:
                orbit.append(x)
        return np.stack(orbit) if return_orbit else x

    def latex(self) -> str:
        r"""``aligned`` block of ``x_{k+1} = F(x_k)`` rows (via :func:`sympy.latex`)."""
        k = sympy.Symbol("k")
        sub = {s: sympy.Symbol(f"{sympy.latex(s)}_{{{sympy.latex(k)}}}") for s in self._states}
        rows = []
        for s, e in zip(self._states, self._rhs):
            lhs = f"{sympy.latex(s)}_{{k+1}}"
            rows.append(f"{lhs} &= {sympy.latex(e.xreplace(sub))}")
        return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
