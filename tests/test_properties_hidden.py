"""Hidden-variable laws carry the moments they were built with."""

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn.hidden import law_with_moments
from symdyn.strategies import hidden_laws


@given(hidden_laws())
def test_second_moment_and_kurtosis(case):
    law = case.law
    assert sympy.simplify(law.second_moment - case.second_moment) == 0
    assert sympy.simplify(law.kurtosis - case.kurtosis) == 0
    assert law.moment(1) == 0 and law.moment(3) == 0


@given(st.data())
def test_law_with_moments_realises_any_prescription(data):
    case = data.draw(hidden_laws(families=("sparse_ternary", "four_point")))
    law = law_with_moments(case.second_moment, case.kurtosis)
    assert (law.second_moment, law.kurtosis) == (case.second_moment, case.kurtosis)


@settings(max_examples=10)
@given(hidden_laws(families=("rademacher", "sparse_ternary", "four_point", "gaussian", "uniform")),
       st.integers(0, 2**16))
def test_samples_match_the_second_moment(case, seed):
    """Sample mean of c^2 within 6 standard errors of <c^2> (numerical; false-alarm rate ~1e-9)."""
    x = case.law.sample(np.random.default_rng(seed), 20000)
    m2, m4 = float(case.second_moment), float(case.fourth_moment)
    se = np.sqrt((m4 - m2**2) / x.size)
    assert abs(np.mean(x**2) - m2) <= 6 * se + 1e-12
