"""The phase portrait and the simulate figure carry their legend, caption and the |R0| circle."""

import numpy as np
import pytest
import sympy

from symdyn.contrastive import ContrastiveModel
from symdyn.hidden import Rademacher, law_with_moments

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


@pytest.fixture(scope="module")
def portrait(tmp_path_factory):
    from symdyn.contrastive.portrait import phase_portrait

    model = ContrastiveModel(d=2, laws=(Rademacher(sympy.sqrt(2)), law_with_moments(2, 2)))
    path = tmp_path_factory.mktemp("portrait") / "p.png"
    fig = phase_portrait(model, path, n_grid=8, n_radii=4, rounds=2, progress=False)
    return fig, path


def test_portrait_legend_names_every_layer(portrait):
    fig, _ = portrait
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    for wanted in ("basin: selects feature 1", "basin: selects feature 2", "separatrix (on the slice)",
                   "initial circle $|R_0| = 0.05$", "sink (projected)", "saddle (projected)"):
        assert wanted in labels, labels
    assert any(label.startswith("uninformative state R = 0") for label in labels)


def test_portrait_draws_the_initial_circle(portrait):
    from matplotlib.patches import Circle

    fig, _ = portrait
    radii = [p.get_radius() for p in fig.axes[0].patches if isinstance(p, Circle)]
    assert any(abs(r - 0.05) < 1e-12 for r in radii)
    assert "0.05" in fig.axes[0].get_title() and "P(select feature 1" in fig.axes[0].get_title()


def test_portrait_caption_states_parameters_and_slice(portrait):
    fig, path = portrait
    caption = " ".join(t.get_text() for t in fig.texts)
    for wanted in ("activation tanh", "tau=1/2", "beta=1", "Delta=0", "rho=0", "kurtosis 1", "kurtosis 2",
                   "<c^2>=2", "slice Q = Q0 = 1", "8x8 grid", "Level: numerical"):
        assert wanted in caption, caption
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_basin_map_and_slice_separatrix_agree(portrait):
    """Every cell centre on the feature-1 side of the separatrix angle selects feature 1 (and vice versa)."""
    fig, _ = portrait
    bm, ss = fig.symdyn_data["basin_map"], fig.symdyn_data["separatrix"]
    x = bm["x"]
    X, Y = np.meshgrid(x, x)
    theta = np.interp(np.hypot(X, Y), ss["r"], ss["theta"])
    phi = np.arctan2(np.abs(Y), np.abs(X))
    decided = bm["feature"] >= 0
    clear = np.abs(phi - theta) > 0.05  # away from the boundary itself
    expect = np.where(phi < theta, 0, 1)
    assert decided.sum() > 20
    assert np.array_equal(bm["feature"][decided & clear], expect[decided & clear])
    assert np.all(bm["feature"][X**2 + Y**2 >= 1] == -2)  # not a state outside |R|^2 < Q0


def test_basin_map_rejects_bad_grid():
    from symdyn.contrastive.portrait import basin_map

    model = ContrastiveModel(d=2)
    for bad in (3, 401, 2.5, True):
        with pytest.raises(ValueError, match="n_grid"):
            basin_map(model, n_grid=bad)


def test_simulate_figure_has_title_legend_and_caption():
    from symdyn.contrastive.cli import simulation_figure

    model = ContrastiveModel(laws=(Rademacher(sympy.sqrt(2)),))
    t = np.linspace(0, 1, 5)
    m = np.linspace(0.1, 0.5, 5)[:, None, None]
    out = {"t": t, "R0": [[0.1]], "Q0": [[1.0]], "ode": {"m": m},
           "sgd": [{"N": 100, "runs": 3, "t": t, "mean_m": m, "std_m": 0 * m + 0.01}]}
    fig = simulation_figure(out, model)
    ax = fig.axes[0]
    labels = [x.get_text() for x in ax.get_legend().get_texts()]
    assert labels == ["moment ODE", "SGD mean, N = 100 (3 runs)", "SGD ± 1 std, N = 100"]
    assert "ODE vs SGD" in ax.get_title()
    caption = " ".join(x.get_text() for x in fig.texts)
    assert "activation tanh" in caption and "<c^2> = 2" in caption and "tau = 1/2" in caption
    assert "learnability threshold" in caption and "feature 1: learnable" in caption
