"""estimate_basins on systems whose basins are known exactly."""

import math

import numpy as np
import pytest
import sympy

from symdyn.basins import estimate_basins, wilson_interval
from symdyn.odesystem import MapSystem, ODESystem

x, y, a = sympy.symbols("x y a")


def test_bistable_flow_known_basins():
    """dx/dt = x - x^3 has basins x>0 -> +1 and x<0 -> -1; uniform on [-1, 3] gives 3/4."""
    est = estimate_basins(ODESystem([x], [x - x**3]), [[-1.0, 3.0]], 600, 12.0, seed=1)
    assert len(est.attractors) == 2 and est.diverged.size == 0
    plus, minus = est.attractors
    assert plus.location[0] == pytest.approx(1.0, abs=1e-6)
    assert minus.location[0] == pytest.approx(-1.0, abs=1e-6)
    # every sample is assigned to the attractor of its exact basin
    x0 = est.initial[:, 0]
    np.testing.assert_array_equal(est.labels == 0, x0 > 0)
    assert plus.interval[0] < 0.75 < plus.interval[1]
    assert minus.interval[0] < 0.25 < minus.interval[1]
    assert plus.probability + minus.probability == pytest.approx(1.0)


def test_parameters_are_passed_and_divergence_is_its_own_outcome():
    """dx/dt = x (x - a), a = 1: x0 < 1 -> 0, x0 > 1 blows up in finite time."""
    est = estimate_basins(ODESystem([x], [x * (x - a)], [a]), [[-1.0, 3.0]], 400, 20.0,
                          params=[1.0], seed=2)
    x0 = est.initial[:, 0]
    np.testing.assert_array_equal(np.sort(est.diverged), np.flatnonzero(x0 > 1.0))
    assert np.all(np.isnan(est.final[est.diverged]))
    assert (est.labels[est.diverged] == -1).all()
    assert len(est.attractors) == 1
    assert est.attractors[0].location[0] == pytest.approx(0.0, abs=1e-6)
    assert est.diverged_interval[0] < 0.5 < est.diverged_interval[1]


def test_two_dimensional_map_known_basins():
    """(x, y) -> (2x / (1 + x^2), y / 2): attractors (+-1, 0), basins the half planes."""
    F = MapSystem([x, y], [2 * x / (1 + x**2), y / 2])
    sampler = lambda rng, n: rng.uniform([-3.0, -1.0], [1.0, 1.0], size=(n, 2))  # noqa: E731
    est = estimate_basins(F, sampler, 500, 60, seed=3)
    assert len(est.attractors) == 2
    np.testing.assert_allclose(est.attractors[0].location, [-1.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(est.attractors[1].location, [1.0, 0.0], atol=1e-9)
    np.testing.assert_array_equal(est.labels == 0, est.initial[:, 0] < 0)
    assert est.attractors[0].interval[0] < 0.75 < est.attractors[0].interval[1]
    assert "diverged" in est.table()


def test_wilson_interval_formula():
    n, s, z = 80, 13, 1.959963984540054
    p = s / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo, hi = wilson_interval(s, n)
    assert lo == pytest.approx(centre - half, rel=1e-9)
    assert hi == pytest.approx(centre + half, rel=1e-9)
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(5, 4)


def test_boundary_validation():
    flow = ODESystem([x], [x - x**3])
    with pytest.raises(TypeError, match="system"):
        estimate_basins(lambda t, y: y, [[-1, 1]], 10, 1.0)
    with pytest.raises(ValueError, match="sampler"):
        estimate_basins(flow, [[1.0, -1.0]], 10, 1.0)
    with pytest.raises(ValueError, match="sampler returned"):
        estimate_basins(flow, lambda rng, n: np.zeros((n, 2)), 10, 1.0)
    with pytest.raises(ValueError, match="NaN"):
        estimate_basins(flow, lambda rng, n: np.full((n, 1), np.nan), 10, 1.0)
    with pytest.raises(ValueError, match="n_samples"):
        estimate_basins(flow, [[-1, 1]], 1, 1.0)
    with pytest.raises(ValueError, match="horizon"):
        estimate_basins(flow, [[-1, 1]], 10, -1.0)
    with pytest.raises(ValueError, match="dt"):
        estimate_basins(MapSystem([x], [x / 2]), [[-1, 1]], 10, 5, dt=0.1)
    with pytest.raises(TypeError, match="seed"):
        estimate_basins(flow, [[-1, 1]], 10, 1.0, seed="7")


def test_progress_plain_lines_when_not_a_terminal(capsys):
    est = estimate_basins(ODESystem([x], [x - x**3]), [[-1.0, 3.0]], 200, 12.0, dt=0.06, seed=0, progress=True)
    err = capsys.readouterr().err
    assert "estimate_basins: RK4: 200 steps" in err
    assert "200/200 steps (100%)" in err and "clustering 200 end points" in err
    assert err.count("steps (") == 10  # one line per 10%
    assert len(est.attractors) == 2
    estimate_basins(ODESystem([x], [x - x**3]), [[-1.0, 3.0]], 50, 2.0, seed=0)  # short run: silent
    assert capsys.readouterr().err == ""
    with pytest.raises(TypeError, match="progress"):
        estimate_basins(ODESystem([x], [x - x**3]), [[-1.0, 3.0]], 50, 2.0, progress="yes")
