"""symdyn.testing: each assertion passes on the truth and fails, readably, on a broken claim."""

import sympy
import pytest

from symdyn import MapSystem, ODESystem, Verdict
from symdyn.testing import assert_fixed_point, assert_same_odes, assert_sgd_matches_ode, assert_verdict

x, y, a = sympy.symbols("x y a")


def test_assert_fixed_point_passes_and_reports_a_wrong_kind_as_a_table():
    sys_ = ODESystem([x, y], [y, -x - y])
    c = assert_fixed_point(sys_, [0, 0], kind="sink", index=0, subtype="focus", level="proved")
    assert c.kind == "sink"
    with pytest.raises(AssertionError) as err:
        assert_fixed_point(sys_, [0, 0], kind="saddle", index=1)
    msg = str(err.value)
    assert "classification differs" in msg and "!!kind" in msg and "saddle" in msg and "!!index" in msg
    assert "eigenvalues" in msg


def test_assert_fixed_point_rejects_a_non_fixed_point_and_a_weak_level():
    with pytest.raises(AssertionError, match=r"is not a fixed point .*\(component x\)"):
        assert_fixed_point(ODESystem([x], [x - x**3]), [sympy.Rational(1, 2)])
    # a float point is classified numerically: asking for 'proved' fails and says so
    with pytest.raises(AssertionError, match="level"):
        assert_fixed_point(ODESystem([x], [x - x**3]), [1.0], kind="sink", level="proved")
    # maps: the fixed-point equation is F(x) - x
    assert_fixed_point(MapSystem([x], [x / 2]), [0], kind="sink", level="proved")
    with pytest.raises(AssertionError, match=r"F\(x\) - x"):
        assert_fixed_point(MapSystem([x], [x / 2 + 1]), [0])


def test_assert_same_odes_canonicalises_and_shows_the_difference():
    s1 = ODESystem([x, y], [a * x * (1 - x), sympy.sin(y) ** 2], params=[a])
    s2 = ODESystem([y, x], [1 - sympy.cos(y) ** 2, a * x - a * x**2], params=[a])
    assert_same_odes(s1, s2)      # states reordered, rhs equal after simplification
    s3 = ODESystem([y, x], [1 - sympy.cos(y) ** 2, a * x - 2 * a * x**2], params=[a])
    with pytest.raises(AssertionError) as err:
        assert_same_odes(s1, s3)
    assert "x" in str(err.value) and "a*x**2" in str(err.value).replace(" ", "")
    with pytest.raises(AssertionError, match="states"):
        assert_same_odes(s1, ODESystem([x, a], [a * x * (1 - x), 0]))


def test_assert_verdict_levels_and_failures():
    ok = Verdict("demo", "1 + 1 = 2", True, "certified", {"lhs": 2})
    assert assert_verdict(ok, level="numerical") is ok
    with pytest.raises(AssertionError, match="weaker than the required 'proved'"):
        assert_verdict(ok, level="proved")
    with pytest.raises(AssertionError, match=r"FAILED \(level proved\).*\n  figures: \{\"lhs\": 3\}"):
        assert_verdict(Verdict("demo", "1 + 1 = 3", False, "proved", {"lhs": 3}))
    assert assert_verdict(lambda k: Verdict("k", f"{k} > 0", k > 0, "proved"), k=2).passed
    with pytest.raises(ValueError):
        assert_verdict(ok, level="exact")


def test_assert_sgd_matches_ode_passes_on_the_odes_and_fails_on_a_wrong_system():
    from symdyn.contrastive import ContrastiveModel, moment_odes
    from symdyn.hidden import Rademacher

    model = ContrastiveModel(activation=sympy.erf, laws=(Rademacher(2),))
    kw = dict(N=200, t_max=0.6, n_times=4, delta=0.05, max_runs=600, seed=3)
    res = assert_sgd_matches_ode(model, **kw)
    assert res.n_runs >= 16 and res.max_error <= res.half_width[1:].max()
    # a wrong ODE (the learning signal scaled by 3) must be detected, with a table of the misses
    right = moment_odes(model)
    wrong = ODESystem(right.states, [3 * e for e in right.rhs], params=right.params)
    with pytest.raises(AssertionError, match=r"leaves the band around the ODE.*\n\s+t\s+entry"):
        assert_sgd_matches_ode(model, system=wrong, **kw)
    with pytest.raises(ValueError, match="max_runs"):
        assert_sgd_matches_ode(model, N=200, delta=1e-4, max_runs=100)
