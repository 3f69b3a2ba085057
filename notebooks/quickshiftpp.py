# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Quickshift++: clustering, cores, consistency, and basins of attraction
#
# Quickshift++ (Jiang, Jang & Kpotufe, 2018) estimates the *modal sets* of the
# k-NN density as **cluster cores** and sends every other sample to its nearest
# sample of strictly higher density until it reaches a core.  `symdyn.QuickshiftPP`
# reproduces the authors' reference semantics with vectorised NumPy/SciPy code.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from symdyn.cluster import QuickshiftPP

# %% [markdown]
# ## Clustering and cores on non-convex data
# Two moons with a third, denser blob.  Cores are outlined: they are the
# high-density level-set components; the rest of each cluster hangs off them.

# %%
rng = np.random.default_rng(0)
Xm, ym = make_moons(n_samples=1200, noise=0.06, random_state=0)
blob = rng.normal([2.6, 1.1], 0.12, size=(300, 2))
X = StandardScaler().fit_transform(np.r_[Xm, blob])
y = np.r_[ym, np.full(300, 2)]
est = QuickshiftPP(k=25, beta=0.6).fit(X)
print("clusters:", est.n_clusters_, " ARI:", round(adjusted_rand_score(y, est.labels_), 4),
      " core samples:", int(est.core_sample_mask_.sum()))

fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
axes[0].scatter(*X.T, c=est.labels_, s=5, cmap="tab10")
axes[0].scatter(*X[est.core_sample_mask_].T, c=est.labels_[est.core_sample_mask_], s=9, cmap="tab10",
                edgecolors="k", linewidths=0.3)
axes[0].set_title(f"labels, cores outlined ({est.n_clusters_} clusters)")
axes[0].legend(*axes[0].collections[0].legend_elements(), title="cluster", fontsize=8, loc="lower left")
sc = axes[1].scatter(*X.T, c=np.log(est.density_), s=5, cmap="viridis", label="samples (colour: log density)")
axes[1].legend(fontsize=8, loc="upper right")
axes[1].set_title("log k-NN density")
fig.colorbar(sc, ax=axes[1])
plt.show()

# %% [markdown]
# ## beta and k
# `beta = 0` behaves like Quick Shift (every small bump is a core); k must grow with n.

# %%
for k, beta in [(25, 0.0), (25, 0.3), (25, 0.6), (8, 0.6)]:
    e = QuickshiftPP(k=k, beta=beta).fit(X)
    print(f"k={k:3d} beta={beta:.1f}: {e.n_clusters_:3d} clusters, ARI {adjusted_rand_score(y, e.labels_):.3f}")

# %% [markdown]
# ## Consistency table
# The `quickshiftpp_consistency` check (`symdyn check --only quickshiftpp_consistency`)
# with k = 0.7 sqrt(n) on a 3-component Gaussian mixture; here a shorter run.

# %%
from proofs_checks import quickshiftpp_consistency as consistency

verdict = consistency.evaluate([1_000, 3_000, 10_000], n_stable=2)
print("passed:", verdict.passed)
print(consistency.format_table(verdict))
fixed = consistency.evaluate([1_000, 3_000, 10_000], k_rule=lambda n: 10)
print("\nk fixed at 10 (the claim must fail):", fixed.passed)
print(consistency.format_table(fixed))

# %% [markdown]
# ## Basins of attraction from samples
# The damped double well  x' = y,  y' = x - x^3 - 0.25 y  has two stable
# equilibria (+-1, 0) whose basins are interleaved spirals.  We integrate 2 000
# uniform initial states at once (vectorised RK4), cluster the end points with
# Quickshift++ and report basin probabilities with Wilson 95% intervals.

# %%
import sympy

from symdyn import ODESystem, estimate_basins

x, v, c = sympy.symbols("x v c")
well = ODESystem([x, v], [v, x - x**3 - c * v], [c])
basins = estimate_basins(well, [[-2.0, 2.0], [-2.0, 2.0]], 2000, 40.0, params=[0.25], dt=0.02, seed=0)
print(basins.table())
print("stragglers re-assigned:", basins.info["stragglers"])

fig, ax = plt.subplots(figsize=(5.5, 5))
sc = ax.scatter(*basins.initial.T, c=basins.labels, s=4, cmap="cividis")
handles, _ = sc.legend_elements()
ax.plot([], [], "k*", ms=12, label="attractor")
for a in basins.attractors:
    ax.plot(*a.location, "k*", ms=14)
ax.legend(handles + ax.get_legend_handles_labels()[0],
          [f"basin {lab}" for lab in np.unique(basins.labels)] + ["attractor"], fontsize=8, loc="upper right")
ax.set_xlabel("x(0)")
ax.set_ylabel("v(0)")
ax.set_title("estimated basins of the damped double well")
plt.show()

# %% [markdown]
# By symmetry (x, v) -> (-x, -v) of the system and of the sampling box, the two
# probabilities are equal: both intervals should contain 1/2.

# %%
assert len(basins.attractors) == 2
for a in basins.attractors:
    assert a.interval[0] < 0.5 < a.interval[1], a
    assert abs(abs(a.location[0]) - 1) < 1e-3
