"""Moment expansion of the contrastive ODEs around the uninformative state R = 0."""

import numpy as np
import pytest
import sympy

from symdyn.contrastive._nodes import nodes_in
from symdyn.contrastive.expansion import expansion_terms, moment_expansion
from symdyn.contrastive.model import ContrastiveModel, order_parameters
from symdyn.contrastive.odes import moment_odes
from symdyn.hidden import GeneralLaw, SparseTernary

_CACHE = {}


def _terms(order=3):
    if order not in _CACHE:
        _CACHE[order] = expansion_terms(ContrastiveModel(laws=(GeneralLaw(),), Delta=sympy.Rational(1, 2)), order)
    return _CACHE[order]


@pytest.mark.slow
def test_m4_first_appears_at_cubic_order():
    g = GeneralLaw()
    m2, m4 = g.moment(2), g.moment(4)
    dR, dQ = _terms(3)
    assert dR[0] == 0                       # R = 0 is invariant
    assert dR[1].has(m2) and not dR[1].has(m4)   # linear order: only <c^2>
    assert dR[2] == 0                       # parity
    assert dR[3].has(m4)                    # cubic order: <c^4> enters
    assert not any(p.has(m4) for p in dQ[:3])
    assert not dQ[0].has(m2)
    (R,), (Q,) = order_parameters(1, 1)
    for k, p in enumerate(dR):
        if p != 0:
            assert sympy.Poly(p, R).degree() == k and set(sympy.Poly(p, R).monoms()) == {(k,)}
    # coefficients depend on Q only: every node is evaluated at R = 0
    for p in dR + dQ:
        for node in nodes_in(p):
            assert not node.has(R) and node.has(Q)


def test_linear_coefficient_is_m2_G_plus_S_minus_beta():
    """Claim 1: the R-eigenvalue is tau (m2 G(Q) + S(Q) - beta), affine in m2 with no other moment."""
    g = GeneralLaw()
    m2, m4 = g.moment(2), g.moment(4)
    dR, dQ = _terms(1)
    assert dR[0] == 0 and not dR[1].has(m4) and not dQ[0].has(m2)
    (R,), _ = order_parameters(1, 1)
    lin = sympy.expand(dR[1] / R)
    assert sympy.degree(lin, m2) == 1
    assert lin.free_symbols - {m2} == {order_parameters(1, 1)[1][0]}


@pytest.mark.slow
def test_expansion_matches_full_rhs_for_a_concrete_law():
    """Sparse ternary law: the order-3 expansion approximates the exact (atom-sum) rhs with error O(R^4)."""
    law = SparseTernary(sympy.Rational(3, 2), sympy.Rational(1, 2))
    model = ContrastiveModel(laws=(law,), Delta=sympy.Rational(1, 2))
    full = moment_odes(model).compile().fun
    approx = moment_expansion(model, 3)
    assert approx.params == ()
    f3 = approx.compile().fun
    errs = []
    for r in (0.2, 0.1, 0.05):
        y = np.array([r, 1.0])
        errs.append(np.abs(full(0.0, y) - f3(0.0, y)))
    errs = np.array(errs)
    # dR: next term is R^5, dQ: next term is R^4 -> halving r divides the error by >= ~16
    assert np.all(errs[1] < errs[0] / 10) and np.all(errs[2] < errs[1] / 10)
    assert errs[2].max() < 1e-5


def test_expansion_bad_input():
    with pytest.raises(ValueError, match="order"):
        moment_expansion(ContrastiveModel(), -1)
    with pytest.raises(ValueError, match="moments up to"):
        moment_expansion(ContrastiveModel(laws=(GeneralLaw(max_order=2),)), 3)
    with pytest.raises(TypeError):
        moment_expansion("model", 2)
