# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Contrastive learning in the high-dimensional limit: moment ODEs vs SGD
#
# We derive the closed moment ODEs of the one-neuron contrastive model (tanh
# activation, additive augmentation with $\Delta = 1/2$ and anti-correlated view
# noise $\rho = -1$, Rademacher hidden variable with $\langle c^2\rangle = 4$),
# print them in LaTeX, simulate online SGD at two dimensions $N$ with the exact
# reduced engine, and overlay the ODE solution.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy
from IPython.display import Math, display

from symdyn.contrastive import PARAM_SYMBOLS, ContrastiveModel, cosine_similarity, moment_odes, simulate_sgd
from symdyn.hidden import Rademacher

model = ContrastiveModel(laws=(Rademacher(2),), Delta=0.5, rho=-1, tau=0.5, beta=1)
model

# %% [markdown]
# ## The ODEs, derived symbolically
# With $\rho$ kept as a symbol the structure is visible; the Gaussian expectations
# $\mathbb{E}_{h\sim\mathcal{N}(\mu, \Sigma)}[\cdot]$ are symbolic nodes that compile
# to quadrature.

# %%
symbolic = moment_odes(model.replace(rho=PARAM_SYMBOLS["rho"]))
for state, rhs in zip(symbolic.states, symbolic.rhs):
    display(Math(r"\frac{d}{dt}" + sympy.latex(state) + " = " + sympy.latex(rhs)))

# %%
system = moment_odes(model)
print(sympy.latex(system.rhs[0])[:300], "...")

# %% [markdown]
# ## SGD at two dimensions, with the ODE overlaid

# %%
R0, Q0 = [[0.1]], [[1.0]]
times = np.linspace(0.0, 4.0, 41)
sol = system.integrate([R0[0][0], Q0[0][0]], (0.0, 4.0), t_eval=times)  # states (R, Q)
ode = {"m": cosine_similarity(sol.y[0][:, None, None], sol.y[1][:, None, None])}
runs = {N: simulate_sgd(model, N, 4.0, n_runs=16, times=times, R0=R0, Q0=Q0, seed=N) for N in (1000, 20000)}
for N, res in runs.items():
    print(f"N = {N:>6}: sup_t |mean m_SGD - m_ODE| = {np.max(np.abs(res.mean_m() - ode['m'])):.4f}")

# %%
fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(times, ode["m"][:, 0, 0], "k-", lw=2, label="ODE")
for N, res in runs.items():
    mu, sd = res.mean_m()[:, 0, 0], res.m[:, :, 0, 0].std(axis=0)
    ax.plot(res.t, mu, "--", label=f"SGD mean, N = {N}")
    ax.fill_between(res.t, mu - sd, mu + sd, alpha=0.2)
ax.set_xlabel("t")
ax.set_ylabel("cosine similarity m(t)")
ax.legend()
plt.show()

# %% [markdown]
# The band is one standard deviation of a single run; it shrinks like
# $N^{-1/2}$, and the ensemble mean follows the ODE (see the check
# `symdyn check --only ode_limit_of_sgd`).
