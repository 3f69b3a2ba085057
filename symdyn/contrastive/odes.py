"""Closed moment ODEs of the contrastive model, derived two ways.

``moment_odes(model, method="pde")`` integrates the McKean--Vlasov PDE by
parts (:mod:`.pde`); ``method="increments"`` takes expected SGD increments
(:mod:`.increments`).  Both give the same :class:`~symdyn.odesystem.ODESystem`
(the tests prove it symbolically).  The right-hand side contains
:class:`~symdyn.contrastive._nodes.GaussExpectation` nodes: symbolic
derivatives (Jacobians), exact ``doit()`` for polynomial / erf integrands,
and vectorised Gauss--Hermite quadrature in ``compile()``.

States: :func:`~symdyn.contrastive.model.state_symbols` (``R`` row-major,
then the upper triangle of ``Q``).  Numeric model fields are substituted;
symbolic ones become parameters (sorted by name).  States where a Gaussian
covariance is not positive semi-definite (e.g. ``Q < |R|^2`` when
``Delta = 0``) are outside the model: the compiled rhs returns ``NaN`` there.

Hidden laws: finite discrete laws are averaged exactly (sum over atoms);
:class:`~symdyn.hidden.GeneralLaw` only through :func:`.expansion.moment_expansion`.
"""

from __future__ import annotations


from ..expectation import average_over_laws
from ..odesystem import ODESystem
from ._views import c_symbols
from .model import ContrastiveModel, state_symbols

__all__ = ["moment_odes", "conditional_rhs", "METHODS"]

METHODS = ("pde", "increments")


def conditional_rhs(model: ContrastiveModel, method: str = "pde") -> list:
    """Right-hand sides conditional on the hidden features ``c_1..c_d`` (before averaging)."""
    if not isinstance(model, ContrastiveModel):
        raise TypeError(f"model must be a ContrastiveModel, got {type(model).__name__}")
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if method == "pde":
        from .pde import McKeanVlasovPDE

        return McKeanVlasovPDE(model).moment_equations()
    from .increments import increment_drifts

    return increment_drifts(model)


def _check_laws(model):
    for k, law in enumerate(model.laws):
        if law.atoms() is None:
            raise ValueError(
                f"laws[{k}] = {law!r} is not a finite discrete law; moment_odes averages exactly "
                "over atoms only. Use a DiscreteLaw / Rademacher / SparseTernary, or "
                "symdyn.contrastive.expansion.moment_expansion for moment symbols."
            )


def system_from_rhs(model, rhs) -> ODESystem:
    states = state_symbols(model.d, model.d2)
    free = set().union(*[e.free_symbols for e in rhs]) - set(states)
    params = tuple(sorted(free, key=str))
    return ODESystem(states, rhs, params)


def moment_odes(model: ContrastiveModel, *, method: str = "pde") -> ODESystem:
    """The closed ODEs for ``(R, Q)`` of ``model``.

    Parameters
    ----------
    model : ContrastiveModel
        Any ``d >= 1``, ``d2 >= 1``, augmentation; ``regularizer="l2"``
        (``"l1"`` does not close: :class:`~symdyn.contrastive.pde.NotClosedError`).
    method : {'pde', 'increments'}
        Derivation route; the results are identical.

    Returns
    -------
    ODESystem
        States ``state_symbols(d, d2)``; parameters: the model's symbolic fields.

    Examples
    --------
    >>> import numpy as np
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> from symdyn.contrastive.odes import moment_odes
    >>> sys = moment_odes(ContrastiveModel(tau=0.5, Delta=0.5))
    >>> sys.states
    (R_{1,1}, Q_{1,1})
    >>> f = sys.compile().fun
    >>> float(f(0.0, np.array([0.0, 1.0]))[0])
    0.0
    """
    rhs = conditional_rhs(model, method)
    _check_laws(model)
    cs = c_symbols(model.d)
    rhs = [average_over_laws(e, cs, model.laws) for e in rhs]
    return system_from_rhs(model, rhs)
