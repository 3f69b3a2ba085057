"""Code generation: SymPy vector fields -> vectorised NumPy callables.

Following PyDy's code generators, the state symbols are swapped for the rows of
one array argument, so the generated functions take ``(t, y, *params)`` (flows)
or ``(y, *params)`` (maps), exactly what :func:`scipy.integrate.solve_ivp`
expects.  ``y`` may have shape ``(n,)`` or ``(n, k)``: ``k`` states are then
evaluated at once, column by column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy

__all__ = ["CompiledSystem", "compile_system", "lambdify_modules"]


def lambdify_modules(implementations=None) -> list:
    """Modules argument for :func:`sympy.lambdify`.

    ``implementations`` maps SymPy ``Function`` classes to NumPy callables;
    they are looked up by class name.  Functions carrying an ``_imp_``
    attribute (:func:`sympy.implemented_function`) are found by lambdify
    itself.
    """
    namespace = {}
    for cls, fn in (implementations or {}).items():
        namespace[cls.__name__] = fn
    mods: list = [namespace] if namespace else []
    try:  # SciPy provides erf, gamma, ... for the "scipy" printer
        import scipy.special  # noqa: F401

        mods.append("scipy")
    except ImportError:  # pragma: no cover
        pass
    mods.append("numpy")
    return mods


@dataclass(frozen=True)
class CompiledSystem:
    """NumPy callables generated from a symbolic system.

    Attributes
    ----------
    fun : callable
        ``fun(t, y, *params)`` for flows, ``fun(y, *params)`` for maps.
        Returns shape ``(n,)`` for ``y`` of shape ``(n,)`` and ``(n, k)`` for
        ``y`` of shape ``(n, k)``.
    jac : callable
        Same signature; returns ``(n, n)`` or ``(n, n, k)``.
    state_order, param_order : tuple of Symbol
        The order of the rows of ``y`` and of ``params``.
    has_jac : bool
        ``False`` when the Jacobian contains unevaluated derivatives (a
        custom function without ``fdiff``); ``jac`` then raises
        ``NotImplementedError``.
    """

    fun: Callable
    jac: Callable
    state_order: tuple
    param_order: tuple
    time_symbol: sympy.Symbol | None
    has_jac: bool = True


def _vectorised(raw, n_out_shape, n, n_params, with_t, name, doc):
    """Wrap a lambdified function returning a flat tuple of components."""
    size = int(np.prod(n_out_shape))

    def _call(t, y, params):
        if len(params) != n_params:
            raise TypeError(f"{name}() expects {n_params} parameter value(s) after y, got {len(params)}")
        y = np.asarray(y, dtype=float)
        if y.ndim not in (1, 2) or y.shape[0] != n:
            raise ValueError(f"y must have shape ({n},) or ({n}, k), got {y.shape}")
        comps = raw(t, y, *params) if with_t else raw(y, *params)
        out = np.empty((size,) + y.shape[1:], dtype=float)
        for i, c in enumerate(comps):
            out[i] = c
        return out.reshape(tuple(n_out_shape) + y.shape[1:])

    if with_t:
        def wrapped(t, y, *params):
            return _call(t, y, params)
    else:
        def wrapped(y, *params):
            return _call(None, y, params)
    wrapped.__name__ = name
    wrapped.__doc__ = doc
    return wrapped


def compile_system(states, rhs, jac, params, t=None, *, implementations=None, flow=True) -> CompiledSystem:
    """Lambdify ``rhs`` and ``jac`` (``cse=True``) into vectorised NumPy functions.

    Parameters
    ----------
    states, params : sequence of Symbol
    rhs : Matrix (n x 1)
    jac : Matrix (n x n)
    t : Symbol or None
        Time symbol (flows); a dummy is used when ``None``.
    implementations : dict, optional
        ``{Function class: NumPy callable}``.
    flow : bool
        ``True``: signature ``(t, y, *params)``; ``False``: ``(y, *params)``.

    Examples
    ========

    >>> import numpy as np, sympy
    >>> from symdyn._codegen import compile_system
    >>> x, y, a = sympy.symbols("x y a")
    >>> rhs = sympy.Matrix([y, -a * x])
    >>> cs = compile_system([x, y], rhs, rhs.jacobian([x, y]), [a])
    >>> cs.fun(0.0, np.array([1.0, 2.0]), 3.0)
    array([ 2., -3.])
    >>> cs.jac(0.0, np.ones((2, 4)), 3.0).shape
    (2, 2, 4)
    """
    states = tuple(states)
    params = tuple(params)
    n = len(states)
    tsym = t if t is not None else sympy.Dummy("t")
    modules = lambdify_modules(implementations)
    rhs_flat = list(sympy.Matrix(rhs))
    jac_flat = list(sympy.Matrix(jac))
    args = ([tsym] if flow else []) + [states] + list(params)
    raw_f = sympy.lambdify(args, tuple(rhs_flat), modules=modules, cse=True)
    derivs = sorted({str(d) for e in jac_flat for d in e.atoms(sympy.Derivative)})
    raw_j = None
    if not derivs:
        raw_j = sympy.lambdify(args, tuple(jac_flat), modules=modules, cse=True)
    order = ", ".join(str(s) for s in states)
    porder = ", ".join(str(p) for p in params) or "(none)"
    sig = "t, y, *params" if flow else "y, *params"
    doc_f = (
        f"Vector field f({sig}) generated by symdyn.\n\n"
        f"State order (rows of y): {order}\nParameter order: {porder}\n"
        f"y has shape ({n},) or ({n}, k); returns the same shape."
    )
    doc_j = (
        f"Jacobian d f / d y ({sig}) generated by symdyn.\n\n"
        f"State order (rows of y): {order}\nParameter order: {porder}\n"
        f"Returns shape ({n}, {n}) or ({n}, {n}, k)."
    )
    fun = _vectorised(raw_f, (n,), n, len(params), flow, "fun", doc_f)
    if raw_j is not None:
        jacf = _vectorised(raw_j, (n, n), n, len(params), flow, "jac", doc_j)
    else:
        def jacf(*args, **kwargs):
            raise NotImplementedError(
                "the Jacobian contains unevaluated derivatives " + ", ".join(derivs)
                + "; give the custom function an fdiff method"
            )
        jacf.__doc__ = doc_j
    return CompiledSystem(fun=fun, jac=jacf, state_order=states, param_order=params, time_symbol=t,
                          has_jac=raw_j is not None)
