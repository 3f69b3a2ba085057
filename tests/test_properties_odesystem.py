"""ODESystem / MapSystem recover constructed fixed points and classifications."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from symdyn.strategies import gradient_systems, polynomial_systems
from symdyn.testing import assert_fixed_point


def _recovered(case):
    found = case.system.fixed_points()
    assert {tuple(fp.values) for fp in found} == set(case.fixed_points)
    assert all(fp.exact for fp in found)
    for fp in found:
        want = case.classification[tuple(fp.values)]
        got = case.system.classify(fp)
        assert (got.kind, got.unstable_dim, got.stable_dim, got.center_dim, got.subtype) == (
            want.kind, want.unstable_dim, want.stable_dim, want.center_dim, want.subtype)
        assert got.level == "proved"


@settings(max_examples=25)
@given(polynomial_systems(max_dim=2, max_roots=2, max_multiplicity=2))
def test_flow_fixed_points_and_classification(case):
    _recovered(case)


@settings(max_examples=25)
@given(polynomial_systems(kind="map", max_dim=2, max_roots=2))
def test_map_fixed_points_and_classification(case):
    _recovered(case)


@settings(max_examples=4)
@given(polynomial_systems(dim=3, max_roots=2))
def test_three_dimensional_flows(case):
    _recovered(case)


@settings(max_examples=15)
@given(gradient_systems())
def test_gradient_saddle_and_sinks(case):
    found = {tuple(fp.values) for fp in case.system.fixed_points()}
    assert found == {case.saddle, *case.sinks}
    assert_fixed_point(case.system, case.saddle, kind="saddle", index=1, subtype="node", level="proved")
    for s in case.sinks:
        assert_fixed_point(case.system, s, kind="sink", index=0, level="proved")


@settings(max_examples=10)
@given(gradient_systems(), st.floats(0.2, 1.5), st.floats(-1.5, 1.5), st.sampled_from((1, -1)))
def test_gradient_basins_by_integration(case, off, along, side):
    """A start off the separatrix converges to the sink that basin_of predicts."""
    n = np.array([float(v) for v in case.separatrix_normal])
    tangent = np.array([-n[1], n[0]])
    start = np.array([float(v) for v in case.saddle]) + side * off * n + along * tangent
    res = case.system.integrate(start, (0.0, 200.0), t_eval=[200.0])
    end = res.y[:, -1]
    sink = np.array([float(v) for v in case.sinks[0 if side > 0 else 1]])
    assert np.linalg.norm(end - sink) < 1e-3
