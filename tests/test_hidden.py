"""Hidden-variable laws: exact moments, expectations, sampling, validation."""

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symdyn.hidden import (
    DiscreteLaw,
    GaussianLaw,
    GeneralLaw,
    HiddenLaw,
    Rademacher,
    SparseTernary,
    UniformLaw,
    law_with_moments,
)


def test_rademacher_moments_exact():
    law = Rademacher(3)
    assert law.moment(2) == 9 and law.moment(3) == 0 and law.moment(4) == 81
    assert law.kurtosis == 1 and law.is_symmetric
    assert law.atoms() == [(-3, sympy.Rational(1, 2)), (3, sympy.Rational(1, 2))]


def test_float_parameters_read_as_exact_decimals():
    law = SparseTernary(2, 0.25)
    assert law.p == sympy.Rational(1, 4)
    assert law.second_moment == 1 and law.moment(4) == 4 and law.kurtosis == 4


def test_gaussian_and_uniform_moments_and_expectations():
    g = GaussianLaw(2)
    assert g.moment(4) == 12 and g.moment(6) == 120 and g.kurtosis == 3
    assert g.expect(lambda c: c**4) == 12
    assert g.expect(lambda c: c**3 + 2 * c**2) == 4
    u = UniformLaw(3)
    assert u.moment(2) == 3 and u.kurtosis == sympy.Rational(9, 5)
    assert u.expect(lambda c: c**2 + 1) == 4


def test_discrete_law_expectation_and_symmetry():
    law = DiscreteLaw([-1, 2], [Fraction(2, 3), Fraction(1, 3)])
    assert law.moment(1) == 0 and law.moment(2) == 2 and not law.is_symmetric
    assert law.expect(lambda c: c**3) == sympy.Rational(-2, 3) + sympy.Rational(8, 3)
    assert law.expect(lambda c: sympy.tanh(c)) == 2 * sympy.tanh(-1) / 3 + sympy.tanh(2) / 3


def test_general_law_polynomial_only():
    law = GeneralLaw(max_order=6)
    m2, m4 = law.moment(2), law.moment(4)
    assert m2.is_positive and law.moment(3) == 0
    assert law.expect(lambda c: (c**2 + c) ** 2) == m4 + m2
    assert law.kurtosis == m4 / m2**2
    with pytest.raises(ValueError, match="polynomial"):
        law.expect(lambda c: sympy.tanh(c))
    with pytest.raises(ValueError, match="max_order"):
        law.moment(8)
    asym = GeneralLaw(symmetric=False)
    assert asym.moment(3) == sympy.Symbol("m3", real=True)
    with pytest.raises(ValueError, match="cannot be sampled"):
        law.sample(np.random.default_rng(0), 3)


@given(st.fractions(min_value=Fraction(1, 10), max_value=5), st.fractions(min_value=1, max_value=20))
def test_law_with_moments_roundtrip(m2, kurt):
    law = law_with_moments(m2, kurt)
    assert sympy.simplify(law.second_moment - sympy.Rational(m2.numerator, m2.denominator)) == 0
    assert sympy.simplify(law.kurtosis - sympy.Rational(kurt.numerator, kurt.denominator)) == 0


@pytest.mark.parametrize("law", [Rademacher(2), SparseTernary(2, Fraction(1, 4)), GaussianLaw(2), UniformLaw(3),
                                 DiscreteLaw([-1, 0, 2], [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)])])
def test_sample_moments_match_exact(law):
    x = law.sample(np.random.default_rng(0), 200_000)
    assert x.shape == (200_000,)
    for k in (1, 2):
        exact = float(law.moment(k))
        se = np.sqrt(float(law.moment(2 * k)) / x.size) + 1e-12
        assert abs(np.mean(x**k) - exact) < 6 * se


def test_bad_input():
    with pytest.raises(ValueError, match="scale"):
        Rademacher(0)
    with pytest.raises(ValueError, match="p must be"):
        SparseTernary(1, 1.5)
    with pytest.raises(ValueError, match="sum to 1"):
        DiscreteLaw([0, 1], [Fraction(1, 2), Fraction(1, 3)])
    with pytest.raises(ValueError, match="probs"):
        DiscreteLaw([0, 1], [Fraction(3, 2), Fraction(-1, 2)])
    with pytest.raises(ValueError, match="kurtosis"):
        law_with_moments(1, Fraction(1, 2))
    with pytest.raises(TypeError):
        Rademacher("2")
    with pytest.raises(TypeError):
        Rademacher(2).expect("c**2")
    with pytest.raises(ValueError, match="k must"):
        Rademacher().moment(-1)
    with pytest.raises(ValueError, match="variance"):
        GaussianLaw(-1)


def test_laws_are_hashable_and_comparable():
    assert Rademacher(1) == Rademacher(1.0) and hash(Rademacher(1)) == hash(Rademacher(1.0))
    assert Rademacher(1) != Rademacher(2)
    assert isinstance(GeneralLaw(), HiddenLaw)
