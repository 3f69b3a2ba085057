"""Specification of the contrastive-learning model (spec: models/contrastive.md).

:class:`ContrastiveModel` holds the model's structure (d features, d2 neurons,
activation, augmentation, penalty g, hidden laws) and its parameters, each a
number or a SymPy symbol.  Numbers are validated on construction; floats are
read as the exact decimal they denote (``0.3 -> 3/10``), so derived ODEs stay
exact.  Strings are never parsed.

Examples
--------
>>> import sympy
>>> from symdyn.contrastive.model import ContrastiveModel, state_symbols
>>> m = ContrastiveModel(tau=0.5, Delta=sympy.Symbol("Delta"))
>>> m.sigma
Lambda(x, tanh(x))
>>> state_symbols(1, 1)
(R_{1,1}, Q_{1,1})
>>> ContrastiveModel(rho=2)
Traceback (most recent call last):
...
ValueError: rho must be in [-1, 1], got 2
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass, field

import numpy as np
import sympy

from .._sympify import as_exact_number
from .._validation import CAPS, check_cap
from ..hidden import HiddenLaw, Rademacher

__all__ = [
    "ContrastiveModel",
    "PARAM_SYMBOLS",
    "PARAM_NAMES",
    "order_parameters",
    "state_symbols",
    "cosine_similarity",
]

_x = sympy.Symbol("x", real=True)

PARAM_SYMBOLS = {
    "tau": sympy.Symbol("tau", positive=True),
    "beta": sympy.Symbol("beta", nonnegative=True),
    "Delta": sympy.Symbol("Delta", nonnegative=True),
    "rho": sympy.Symbol("rho", real=True),
    "lam": sympy.Symbol("lambda"),
}
PARAM_NAMES = ("Delta", "rho", "tau", "beta", "lam")

AUGMENTATIONS = ("additive", "resample")
REGULARIZERS = ("l2", "l1")


def _as_param(name: str, value) -> sympy.Expr:
    """Number -> exact SymPy number; SymPy expression kept; strings rejected."""
    return as_exact_number(value, name, allow_symbols=True)


def _check_range(name, v):
    if v.free_symbols:
        return
    if not v.is_real:
        raise ValueError(f"{name} must be a real number, got {v}")
    if not v.is_finite:
        raise ValueError(f"{name} must be finite, got {v}")
    cap = CAPS["param_abs"]
    if abs(v) > cap:
        raise ValueError(f"|{name}| = {float(abs(v)):.3g} exceeds the cap {cap:g}; see 'Input caps' in the README")
    if name == "rho" and not (-1 <= v <= 1):
        raise ValueError(f"rho must be in [-1, 1], got {v}")
    if name == "Delta" and v < 0:
        raise ValueError(f"Delta must be >= 0, got {v}")
    if name == "tau" and v <= 0:
        raise ValueError(f"tau must be > 0, got {v}")
    if name == "beta" and v < 0:
        raise ValueError(f"beta must be >= 0, got {v}")
    if name == "lam" and v < 0:
        raise ValueError(f"lam must be >= 0, got {v}")


def _as_lambda(name: str, f) -> sympy.Lambda:
    """Normalise a SymPy function class, Lambda or callable on SymPy to ``Lambda(x, expr)``."""
    if isinstance(f, str):
        raise TypeError(f"{name} must be a SymPy function (e.g. sympy.tanh) or sympy.Lambda, not a string")
    if isinstance(f, sympy.Lambda):
        if len(f.variables) != 1:
            raise ValueError(f"{name} must take one argument, got {len(f.variables)}")
        expr = f(_x)
    elif isinstance(f, type) and issubclass(f, sympy.Function):
        expr = f(_x)
    elif isinstance(f, sympy.FunctionClass) or callable(f):
        try:
            expr = f(_x)
        except Exception as exc:
            raise ValueError(f"{name} could not be applied to a SymPy symbol: {exc}") from None
    else:
        raise TypeError(f"{name} must be a SymPy function or sympy.Lambda, got {type(f).__name__}")
    if isinstance(expr, str) or not isinstance(expr, sympy.Expr):
        raise TypeError(f"{name} must return a SymPy expression, got {type(expr).__name__}")
    extra = expr.free_symbols - {_x}
    if extra:
        raise ValueError(f"{name} has free symbols besides its argument: {sorted(map(str, extra))}")
    return sympy.Lambda(_x, expr)


def _check_twice_differentiable(name, lam: sympy.Lambda):
    expr = lam(_x)
    for k in (1, 2):
        dk = sympy.diff(expr, _x, k)
        if dk.has(sympy.Derivative) or dk.has(sympy.Subs) or dk.has(sympy.nan) or dk.has(sympy.zoo):
            raise ValueError(f"{name} {expr} cannot be differentiated {k} time(s) symbolically")
        if dk.atoms(sympy.Function) and any(
            isinstance(a, sympy.core.function.AppliedUndef) for a in dk.atoms(sympy.Function)
        ):
            raise ValueError(f"{name} {expr} is an undefined function; its derivatives are unknown")
    if expr.has(sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Piecewise, sympy.Max, sympy.Min):
        raise ValueError(f"{name} {expr} is not smooth (Abs/sign/Heaviside/Piecewise/Max/Min); "
                         "the ODE path needs two symbolic derivatives")


def _check_law_scale(i: int, law: HiddenLaw) -> None:
    """``<c^2>`` and the kurtosis of a numeric law stay within ``CAPS['param_abs']``."""
    cap = CAPS["param_abs"]
    m2 = law.moment(2)
    if not m2.is_number:
        return  # symbolic moments (GeneralLaw): nothing numeric to bound
    m4 = law.moment(4)
    if not m4.is_number:
        return
    for what, value in (("second moment", m2), ("kurtosis", m4 / m2**2 if m2 != 0 else m4)):
        if not value.is_finite or abs(value) > cap:
            raise ValueError(f"laws[{i}] {what} = {float(value):.3g} exceeds the cap {cap:g}; "
                             "see 'Input caps' in the README")


@dataclass(frozen=True)
class ContrastiveModel:
    """The contrastive-learning model of the spec.

    Parameters
    ----------
    d : int
        Number of hidden features (>= 1).
    d2 : int
        Number of neurons (>= 1).
    activation : SymPy function class or sympy.Lambda
        e.g. ``sympy.tanh``, ``sympy.erf``, ``sympy.Lambda(x, x - x**3/3)``;
        normalised to :attr:`sigma` (``Lambda(x, expr)``). Must be twice
        differentiable symbolically.
    augmentation : {'additive', 'resample'}
    Delta, rho, tau, beta, lam : number or SymPy expression
        Noise strength (>= 0), view correlation (in [-1, 1]), step (> 0),
        L2 strength (>= 0), off-diagonal penalty weight (>= 0).  Ranges are
        checked only for numbers.
    g : sympy.Lambda
        Off-diagonal penalty ``g(C_ij)``, default ``x**2``.
    laws : tuple of HiddenLaw
        One per feature; default ``Rademacher()`` for each.
    regularizer : {'l2', 'l1'}

    Examples
    --------
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> m = ContrastiveModel(d=2, Delta=0.5, rho=-1)
    >>> m.Delta, len(m.laws), m.replace(rho=0).rho
    (1/2, 2, 0)
    """

    d: int = 1
    d2: int = 1
    activation: object = sympy.tanh
    augmentation: str = "additive"
    Delta: object = 0
    rho: object = 0
    tau: object = sympy.Rational(1, 2)
    beta: object = 1
    lam: object = sympy.Rational(1, 2)
    g: object = None
    laws: tuple = ()
    regularizer: str = "l2"
    sigma: sympy.Lambda = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        for name in ("d", "d2"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral):
                raise TypeError(f"{name} must be an integer, got {type(v).__name__}")
            if v < 1:
                raise ValueError(f"{name} must be >= 1, got {v}")
            check_cap(name, int(v), name)
            object.__setattr__(self, name, int(v))
        if not isinstance(self.augmentation, str) or self.augmentation not in AUGMENTATIONS:
            raise ValueError(f"augmentation must be one of {AUGMENTATIONS}, got {self.augmentation!r}")
        if not isinstance(self.regularizer, str) or self.regularizer not in REGULARIZERS:
            raise ValueError(f"regularizer must be one of {REGULARIZERS}, got {self.regularizer!r}")
        for name in PARAM_NAMES:
            v = _as_param(name, getattr(self, name))
            _check_range(name, v)
            object.__setattr__(self, name, v)
        sigma = _as_lambda("activation", self.activation)
        _check_twice_differentiable("activation", sigma)
        object.__setattr__(self, "sigma", sigma)
        g = sympy.Lambda(_x, _x**2) if self.g is None else _as_lambda("g", self.g)
        _check_twice_differentiable("g", g)
        object.__setattr__(self, "g", g)
        laws = self.laws
        if isinstance(laws, HiddenLaw):
            laws = (laws,) * self.d
        if isinstance(laws, str):
            raise TypeError("laws must be a tuple of HiddenLaw, not a string")
        laws = tuple(laws) if laws else tuple(Rademacher() for _ in range(self.d))
        if len(laws) != self.d:
            raise ValueError(f"laws must have length d={self.d}, got {len(laws)}")
        for i, law in enumerate(laws):
            if not isinstance(law, HiddenLaw):
                raise TypeError(f"laws[{i}] must be a HiddenLaw, got {type(law).__name__}")
            _check_law_scale(i, law)
        object.__setattr__(self, "laws", laws)

    # ------------------------------------------------------------------
    def replace(self, **changes) -> "ContrastiveModel":
        """A copy with some fields changed (validated again)."""
        if "sigma" in changes:
            raise TypeError("change 'activation', not 'sigma'")
        return dataclasses.replace(self, **changes)

    @property
    def is_numeric(self) -> bool:
        """True when every parameter is a number (needed by the SGD simulator)."""
        return all(not getattr(self, n).free_symbols for n in PARAM_NAMES)

    def numeric(self, name: str) -> float:
        """Float value of parameter ``name``; ValueError if symbolic."""
        if name not in PARAM_NAMES:
            raise ValueError(f"unknown parameter {name!r}; one of {PARAM_NAMES}")
        v = getattr(self, name)
        if v.free_symbols:
            raise ValueError(f"{name} is symbolic ({v}); give a number")
        return float(v)

    def param_values(self) -> dict:
        """``{PARAM_SYMBOLS[name]: value}`` for the numeric parameters."""
        return {PARAM_SYMBOLS[n]: getattr(self, n) for n in PARAM_NAMES if not getattr(self, n).free_symbols}

    def numeric_activation(self) -> tuple:
        """``(s, ds, dds)``: NumPy callables for sigma, sigma', sigma''.

        Generated by ``sympy.lambdify`` from the symbolic activation (never
        from strings); outputs broadcast to the input's shape.

        Examples
        --------
        >>> import numpy as np
        >>> from symdyn.contrastive.model import ContrastiveModel
        >>> s, ds, dds = ContrastiveModel().numeric_activation()
        >>> float(ds(np.array(0.0)))
        1.0
        """
        return _numeric_derivatives(self.sigma, 3)

    def numeric_g(self) -> tuple:
        """``(g, dg)`` NumPy callables for the penalty and its derivative."""
        return _numeric_derivatives(self.g, 2)


def _numeric_derivatives(lam: sympy.Lambda, count: int) -> tuple:
    """NumPy callables for ``lam`` and its first ``count - 1`` derivatives (from SymPy, never text)."""
    from .._codegen import lambdify_modules

    expr = lam(_x)
    out = []
    for k in range(count):
        f = sympy.lambdify(_x, sympy.diff(expr, _x, k) if k else expr, modules=lambdify_modules())

        def wrapped(h, _f=f):
            h = np.asarray(h, dtype=float)
            return np.broadcast_to(np.asarray(_f(h), dtype=float), h.shape)

        out.append(wrapped)
    return tuple(out)


def order_parameters(d: int, d2: int):
    """Symbolic order parameters ``(R, Q)``.

    Returns
    -------
    R : sympy.Matrix (d x d2) of ``R_{k,j}`` (1-based)
    Q : symmetric sympy.Matrix (d2 x d2) of ``Q_{i,j}``, ``i <= j``

    Examples
    --------
    >>> from symdyn.contrastive.model import order_parameters
    >>> R, Q = order_parameters(1, 2)
    >>> R, Q
    (Matrix([[R_{1,1}, R_{1,2}]]), Matrix([
    [Q_{1,1}, Q_{1,2}],
    [Q_{1,2}, Q_{2,2}]]))
    """
    for name, v in (("d", d), ("d2", d2)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    R = sympy.Matrix(d, d2, lambda k, j: sympy.Symbol(f"R_{{{k + 1},{j + 1}}}", real=True))
    Q = sympy.Matrix(
        d2, d2,
        lambda i, j: sympy.Symbol(f"Q_{{{min(i, j) + 1},{max(i, j) + 1}}}", real=True),
    )
    return R, Q


def state_symbols(d: int, d2: int) -> tuple:
    """State order of every contrastive ODESystem: R row-major, then Q's upper triangle row-major."""
    R, Q = order_parameters(d, d2)
    return tuple(R) + tuple(Q[i, j] for i in range(d2) for j in range(i, d2))


def cosine_similarity(R, Q):
    """``m_kj = R_kj / sqrt(Q_jj)`` for SymPy matrices or NumPy arrays.

    NumPy inputs may carry leading batch axes: ``R (..., d, d2)``,
    ``Q (..., d2, d2)``.

    Examples
    --------
    >>> import numpy as np
    >>> from symdyn.contrastive.model import cosine_similarity
    >>> cosine_similarity(np.array([[1.0]]), np.array([[4.0]]))
    array([[0.5]])
    """
    if isinstance(R, sympy.MatrixBase):
        return sympy.Matrix(R.rows, R.cols, lambda k, j: R[k, j] / sympy.sqrt(Q[j, j]))
    R = np.asarray(R, dtype=float)
    Q = np.asarray(Q, dtype=float)
    diag = np.diagonal(Q, axis1=-2, axis2=-1)
    return R / np.sqrt(diag)[..., None, :]
