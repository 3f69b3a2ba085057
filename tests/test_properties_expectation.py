"""symdyn.expectation against Gaussian and hidden-law moments known by construction."""

import sympy
from hypothesis import given
from hypothesis import strategies as st

from symdyn.expectation import average_over_laws, gaussian_expectation, isserlis
from symdyn.strategies import hidden_laws, spd_matrices

coefficient_vectors = st.lists(st.integers(-2, 2), min_size=4, max_size=4)


@given(spd_matrices(max_size=3), coefficient_vectors, st.integers(-2, 2))
def test_isserlis_moments_of_a_linear_form(case, a, m):
    """For h ~ N(mu, C) and s = a.h: Var s = a^T C a, and the 4th central moment is 3 (a^T C a)^2."""
    C = case.matrix
    n = C.rows
    h = sympy.symbols(f"h0:{n}")
    a = sympy.Matrix(a[:n])
    mean = [sympy.Integer(m)] * n
    s = sum(ai * hi for ai, hi in zip(a, h))
    var = (a.T * C * a)[0]
    mu = sum(a) * m
    assert isserlis(s, h, mean, C) == mu
    assert sympy.expand(isserlis(s**2, h, mean, C) - (var + mu**2)) == 0
    assert sympy.expand(isserlis((s - mu) ** 4, h, mean, C) - 3 * var**2) == 0
    # the covariance is recovered entry by entry
    assert all(isserlis(h[i] * h[j], h, [0] * n, C) == C[i, j] for i in range(n) for j in range(n))


@given(spd_matrices(size=2, max_condition=4))
def test_gaussian_expectation_of_products(case):
    C = case.matrix
    x, y = sympy.symbols("x y")
    assert sympy.simplify(gaussian_expectation(x**2 * y**2, [x, y], [0, 0], C)
                          - (C[0, 0] * C[1, 1] + 2 * C[0, 1] ** 2)) == 0


@given(hidden_laws(), hidden_laws())
def test_average_over_independent_laws(first, second):
    c1, c2 = sympy.symbols("c1 c2")
    laws = [first.law, second.law]
    assert sympy.simplify(average_over_laws(c1**2, [c1, c2], laws) - first.second_moment) == 0
    assert sympy.simplify(average_over_laws(c1**4 * c2**2, [c1, c2], laws)
                          - first.fourth_moment * second.second_moment) == 0
    assert sympy.simplify(average_over_laws(c1**3 + c1 * c2, [c1, c2], laws)) == 0
