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
Gaussian laws are folded into the Gaussian of the pre-activations
(:func:`fold_gaussian_features`, exact); :class:`~symdyn.hidden.GeneralLaw`
and uniform laws only through :func:`.expansion.moment_expansion`.
"""

from __future__ import annotations


import sympy

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
    from ..hidden import GaussianLaw

    for k, law in enumerate(model.laws):
        if law.atoms() is None and not isinstance(law, GaussianLaw):
            raise ValueError(
                f"laws[{k}] = {law!r} is neither a finite discrete law nor Gaussian; moment_odes "
                "averages exactly over atoms (or folds Gaussian features into the Gaussian). Use a "
                "DiscreteLaw / Rademacher / SparseTernary / GaussianLaw, or "
                "symdyn.contrastive.expansion.moment_expansion for moment symbols."
            )


def fold_gaussian_features(expr, cs, variances) -> sympy.Expr:
    """Average over Gaussian features ``c_k ~ N(0, s_k)`` by folding them into the nodes.

    A node with mean ``alpha c + b`` becomes a node with mean ``b`` and covariance
    ``C + alpha S alpha^T``; a prefactor ``c_k`` is removed by Stein's lemma
    (``Cov(c_k, h_i) = s_k alpha_ik``).  Terms must be (c-free) x c_k^a x node
    with ``a <= 1`` -- the form both derivations produce.
    """
    from ._nodes import ETA, GaussExpectation, Gaussian

    cs = tuple(cs)
    S = dict(zip(cs, variances))
    total = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand(expr)):
        factors = sympy.Mul.make_args(term)
        nodes = [f for f in factors if isinstance(f, GaussExpectation)]
        cfac = [f for f in factors if not isinstance(f, GaussExpectation) and f.has(*cs)]
        rest = sympy.Mul(*[f for f in factors if f not in nodes and f not in cfac])
        if len(nodes) > 1 or (not nodes and cfac):
            raise ValueError(f"cannot fold Gaussian features into term {term}")
        if not nodes:
            total += term
            continue
        node = nodes[0]
        n = node.n
        alpha = sympy.Matrix(n, len(cs), lambda i, k: sympy.diff(node.mean[i], cs[k]))
        base = [sympy.expand(m.xreplace({c: 0 for c in cs})) for m in node.mean]
        Smat = sympy.diag(*[S[c] for c in cs])
        cov = (node.cov + alpha * Smat * alpha.T).applyfunc(sympy.expand)
        G = Gaussian(ETA[:n], base, cov)
        f = node.integrand
        cpart = sympy.Mul(*cfac)
        if cpart == 1:
            total += rest * G.expect(f)
        elif cpart in cs:
            k = cs.index(cpart)
            total += rest * sympy.Add(*[S[cpart] * alpha[i, k] * G.expect(sympy.diff(f, ETA[i])) for i in range(n)])
        else:
            raise ValueError(f"cannot fold Gaussian features: prefactor {cpart} is not linear")
    return total


def system_from_rhs(model, rhs) -> ODESystem:
    states = state_symbols(model.d, model.d2)
    free = set().union(*[e.free_symbols for e in rhs]) - set(states)
    params = tuple(sorted(free, key=str))
    return ODESystem(states, rhs, params)


def moment_odes(model: ContrastiveModel, *, method: str = "pde", closed: bool = True) -> ODESystem:
    """The closed ODEs for ``(R, Q)`` of ``model``.

    Parameters
    ----------
    model : ContrastiveModel
        Any ``d >= 1``, ``d2 >= 1``, augmentation; ``regularizer="l2"``
        (``"l1"`` does not close: :class:`~symdyn.contrastive.pde.NotClosedError`).
    method : {'pde', 'increments'}
        Derivation route; the results are identical.
    closed : bool
        Replace every Gaussian-expectation node that has a closed form
        (polynomial and erf activations: :func:`._nodes.close_nodes`) by it,
        after the hidden-law average.  For erf with one neuron the
        right-hand side is then free of quadrature nodes (elementary functions
        and :class:`~symdyn.special.BivariateNormalCDF`); tanh keeps its nodes.
        ``closed=False`` keeps all nodes (the quadrature route).

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
    from ..hidden import GaussianLaw

    disc = [(c, law) for c, law in zip(cs, model.laws) if not isinstance(law, GaussianLaw)]
    gauss = [(c, law) for c, law in zip(cs, model.laws) if isinstance(law, GaussianLaw)]
    if disc:
        rhs = [average_over_laws(e, [c for c, _ in disc], [law for _, law in disc]) for e in rhs]
    if gauss:
        gc = [c for c, _ in gauss]
        var = [law.moment(2) for _, law in gauss]
        rhs = [fold_gaussian_features(e, gc, var) for e in rhs]
    if not isinstance(closed, bool):
        raise TypeError(f"closed must be True or False, got {closed!r}")
    if closed:
        from ._nodes import close_nodes

        rhs = [close_nodes(e) for e in rhs]
    return system_from_rhs(model, rhs)
