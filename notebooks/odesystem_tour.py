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
# # A tour of `ODESystem`: the damped double-well (Duffing) oscillator
#
# $\ddot x = x - x^3 - \delta \dot x$ written as a first-order system. We derive the
# Jacobian, find the fixed points exactly, classify them exactly (level *proved*),
# integrate the compiled vector field, plot a phase portrait and print LaTeX.

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import sympy

from symdyn import DivergenceError, MapSystem, ODESystem

x, y, delta = sympy.symbols("x y delta")
duffing = ODESystem([x, y], [y, x - x**3 - delta * y], [delta], name="damped Duffing")
duffing

# %% [markdown]
# ## Derive: Jacobian and fixed points (exact, Gröbner basis)

# %%
J = duffing.jacobian()
print(J)
fps = duffing.fixed_points()  # delta stays symbolic: the fixed points do not depend on it
print([fp.values for fp in fps])
assert [fp.values for fp in fps] == [(-1, 0), (0, 0), (1, 0)]
assert all(fp.exact and fp.residual == 0 for fp in fps)

# %% [markdown]
# ## Classify exactly at a rational damping
#
# The characteristic polynomial of the exact Jacobian is located by Routh–Hurwitz
# (`symdyn.stability`); realness of the eigenvalues is decided by Sturm counts.

# %%
d = sympy.Rational(1, 4)
table = []
for fp in fps:
    c = duffing.classify(fp, {delta: d})
    table.append((fp.values, c.kind, c.subtype, c.level, c.charpoly.as_expr()))
    print(fp.values, c.kind, c.subtype, c.level, c.charpoly.as_expr())
assert [row[1] for row in table] == ["sink", "saddle", "sink"]
assert table[0][2] == "focus" and all(row[3] == "proved" for row in table)

# %% [markdown]
# With strong damping ($\delta^2 > 8$) the wells become nodes, exactly:

# %%
print([duffing.classify(fp, {delta: 3}).subtype for fp in (fps[0], fps[2])])
assert duffing.classify(fps[0], {delta: 3}).subtype == "node"
assert duffing.classify(fps[0], {delta: sympy.sqrt(8)}).subtype == "node"  # repeated eigenvalue -sqrt(2)

# %% [markdown]
# ## Compile and integrate
#
# `compile()` generates vectorised NumPy functions `fun(t, y, *params)` and
# `jac(t, y, *params)` ready for `solve_ivp`; `integrate` wraps `solve_ivp`
# and checks for divergence.

# %%
cs = duffing.compile()
print(cs.fun.__doc__)
starts = [(-2.0, 1.0), (0.05, 0.0), (-0.05, 0.0), (1.5, -1.5), (2.0, 2.0)]
trajs = [duffing.integrate(s, (0.0, 80.0), [0.25], t_eval=np.linspace(0, 80, 2001)) for s in starts]
ends = [tr.y[:, -1] for tr in trajs]
print(np.round(ends, 4))
assert all(min(np.hypot(e[0] - 1, e[1]), np.hypot(e[0] + 1, e[1])) < 1e-2 for e in ends)

# %% [markdown]
# ## Phase portrait (shown, and written to a PNG file)

# %%
fig, ax = plt.subplots(figsize=(5, 4))
X, Y = np.meshgrid(np.linspace(-2.2, 2.2, 21), np.linspace(-2, 2, 19))
U = cs.fun(0.0, np.stack([X.ravel(), Y.ravel()]), 0.25)
ax.quiver(X, Y, U[0].reshape(X.shape), U[1].reshape(X.shape), color="0.7", label="vector field")
for i, tr in enumerate(trajs):
    ax.plot(tr.y[0], tr.y[1], lw=1, label="trajectories" if i == 0 else None)
for kind in sorted({row[1] for row in table}):
    pts = [fp.as_array() for fp, row in zip(fps, table) if row[1] == kind]
    ax.plot(*np.array(pts, dtype=float).T, "o" if kind == "sink" else "x", color="k", ls="",
            mfc="#009E73" if kind == "sink" else "k", label=f"{kind} (proved)")
ax.set_xlabel("$x$")
ax.set_ylabel("$y$")
ax.set_title(r"damped Duffing, $\delta = 1/4$")
ax.legend(fontsize=8, loc="lower left")
out = Path(tempfile.mkdtemp()) / "duffing_phase_portrait.png"
fig.savefig(out, dpi=80)
assert out.stat().st_size > 1000
print(out)
plt.show()

# %% [markdown]
# ## Divergence is an error, not a wrong answer

# %%
blowup = ODESystem([x], [x**2])
try:
    blowup.integrate([1.0], (0.0, 2.0))
except DivergenceError as err:
    print(err)
    assert abs(err.t - 1.0) < 1e-3

# %% [markdown]
# ## Transcendental fixed points: multi-start mpmath Newton with residuals

# %%
pend = ODESystem([x, y], [y, -sympy.sin(x) - delta * y], [delta], name="damped pendulum")
for fp in pend.fixed_points({delta: 0.5}, bounds=[(-4, 4), (-1, 1)], n_starts=16, prec=30):
    c = pend.classify(fp, {delta: 0.5})
    print([float(v) for v in fp.values], f"residual={fp.residual:.1e}", c.kind, c.level)
    assert fp.residual < 1e-25

# %% [markdown]
# ## Maps: the logistic map and its exact period doubling at r = 3

# %%
r = sympy.Symbol("r")
logistic = MapSystem([x], [r * x * (1 - x)], [r])
for rv in (sympy.Rational(29, 10), 3, sympy.Rational(31, 10)):
    fp = logistic.fixed_points({r: rv})[1]
    print(rv, fp.values, logistic.classify(fp, {r: rv}).kind)
print(logistic.iterate([0.2], 1000, [3.2], return_orbit=True)[-4:, 0])

# %% [markdown]
# ## LaTeX, generated from the same symbolic object

# %%
print(duffing.latex())
print(logistic.latex())
assert r"\dot{y} &= - \delta y - x^{3} + x" in duffing.latex()
