"""Taylor expansion of the moment ODEs in ``R`` around the uninformative state ``R = 0``.

Replacing ``R -> eps R`` in the conditional right-hand side (given the hidden
features ``c``) and differentiating in ``eps`` at ``0`` moves the ``R``
dependence out of the Gaussian-expectation nodes (Price's theorem: means
``R^T c`` and covariances ``... - R^T R`` are differentiated through
:meth:`GaussExpectation.fdiff`).  What is left is a polynomial in ``R`` and
``c`` whose coefficients are expectations at ``R = 0`` -- functions of ``Q``
only.  Averaging the polynomial in ``c`` uses the laws' moments
(``m2, m4, ...`` of :class:`~symdyn.hidden.GeneralLaw`; exact moments of
concrete laws), so one sees where each moment first enters: ``<c^2>`` at
linear order, ``<c^4>`` at cubic order.
"""

from __future__ import annotations

import sympy

from .._validation import check_int
from ..expectation import average_over_laws
from ..odesystem import ODESystem
from ._views import c_symbols
from .model import ContrastiveModel, order_parameters, state_symbols
from .odes import METHODS, conditional_rhs

__all__ = ["moment_expansion", "expansion_terms"]


def expansion_terms(model: ContrastiveModel, order: int, *, method: str = "pde") -> list:
    """Homogeneous parts of the expanded rhs: ``terms[i][k]`` is the degree-``k`` part in ``R`` of equation ``i``.

    Averaged over the hidden laws through their moments.

    Examples
    --------
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> from symdyn.contrastive.expansion import expansion_terms
    >>> from symdyn.hidden import GeneralLaw
    >>> t = expansion_terms(ContrastiveModel(laws=(GeneralLaw(),)), 1)
    >>> t[0][0], sorted(map(str, t[0][1].free_symbols))
    (0, ['Q_{1,1}', 'R_{1,1}', 'm2'])
    """
    if not isinstance(model, ContrastiveModel):
        raise TypeError(f"model must be a ContrastiveModel, got {type(model).__name__}")
    order = check_int("order", order, low=0, high=8)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    for k, law in enumerate(model.laws):
        mo = getattr(law, "max_order", None)
        if mo is not None and mo < order + 1:
            raise ValueError(f"laws[{k}] provides moments up to {mo}; order {order} needs {order + 1}")
    R, _ = order_parameters(model.d, model.d2)
    eps = sympy.Dummy("eps")
    scale = {r: eps * r for r in R}
    cs = c_symbols(model.d)
    out = []
    for expr in conditional_rhs(model, method):
        cur = expr.xreplace(scale)
        parts = []
        for k in range(order + 1):
            term = cur.subs(eps, 0) / sympy.factorial(k)
            parts.append(sympy.expand(average_over_laws(sympy.expand(term), cs, model.laws, use_atoms=False)))
            if k < order:
                cur = cur.diff(eps)
        out.append(parts)
    return out


def moment_expansion(model: ContrastiveModel, order: int, *, method: str = "pde") -> ODESystem:
    """The moment ODEs Taylor-expanded in ``R`` around ``R = 0`` up to degree ``order``.

    Parameters
    ----------
    model : ContrastiveModel
        Any hidden laws, including :class:`~symdyn.hidden.GeneralLaw`.
    order : int
        Highest total degree in the entries of ``R`` (0..8).

    Returns
    -------
    ODESystem
        Polynomial in ``R`` whose coefficients are Gaussian expectations at
        ``R = 0`` (functions of ``Q``) times moments of the hidden laws;
        parameters include the moment symbols.

    Examples
    --------
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> from symdyn.contrastive.expansion import moment_expansion
    >>> from symdyn.hidden import GeneralLaw
    >>> sys = moment_expansion(ContrastiveModel(laws=(GeneralLaw(),)), 3)
    >>> [str(p) for p in sys.params]
    ['m2', 'm4']
    """
    terms = expansion_terms(model, order, method=method)
    rhs = [sympy.Add(*parts) for parts in terms]
    states = state_symbols(model.d, model.d2)
    free = set().union(*[e.free_symbols for e in rhs]) - set(states)
    return ODESystem(states, rhs, tuple(sorted(free, key=str)))
