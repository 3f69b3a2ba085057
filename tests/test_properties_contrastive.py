"""Contrastive moment ODEs on models drawn from the spec's regimes."""

import sympy
from hypothesis import given, settings

from symdyn.contrastive import moment_odes
from symdyn.strategies import contrastive_models
from symdyn.testing import assert_same_odes


@settings(max_examples=6)
@given(contrastive_models())
def test_uninformative_states_are_invariant(case):
    """E[c] = 0 makes R = 0 invariant: dR/dt vanishes identically in Q at R = 0."""
    system = moment_odes(case.model)
    R = system.states[0]
    assert sympy.simplify(system.rhs[0].xreplace({R: 0})) == 0


@settings(max_examples=3)
@given(contrastive_models(families=("rademacher", "sparse_ternary")))
def test_pde_and_increment_derivations_agree(case):
    assert_same_odes(moment_odes(case.model, method="pde"), moment_odes(case.model, method="increments"))
