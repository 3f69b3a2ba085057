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
# # Property-testing your own claim with `symdyn.strategies` and `symdyn.testing`
#
# `symdyn.strategies` draws dynamical objects **together with their exact answers**
# (root counts, fixed points and their classification, basins, ...), so a claim or a
# numerical method can be tested against ground truth rather than against a second
# implementation. `symdyn.testing` turns a mismatch into a readable diff. Below:
#
# 1. a true claim (the exact Routh–Hurwitz count) tested against constructed polynomials;
# 2. a numerical method (integrating a gradient flow) tested against the known basins, with a figure;
# 3. a *false* claim ("negative trace means sink"): hypothesis finds and shrinks a counterexample;
# 4. the same tests as a pytest file, run with `python -m pytest`.

# %%
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import sympy
from hypothesis import given, settings

from symdyn.stability import half_plane_count
from symdyn.strategies import gradient_systems, polynomial_systems, polynomials
from symdyn.testing import assert_fixed_point

# %% [markdown]
# ## 1. A true claim against exact ground truth
#
# `polynomials(left=2, right=1)` builds a polynomial from chosen factors with exactly two
# roots in the open left half-plane and one in the right (`case.half_plane`). The exact
# count of `symdyn.stability` must reproduce it on every draw.

# %%
@settings(max_examples=100, deadline=None)
@given(polynomials(left=2, right=1))
def test_routh_hurwitz_counts(case):
    assert half_plane_count(case.poly) == case.half_plane


test_routh_hurwitz_counts()
print("100 constructed polynomials: exact half-plane counts recovered")

# %% [markdown]
# ## 2. A numerical method against known basins
#
# `gradient_systems()` draws a planar gradient flow with one saddle and two sinks whose
# basins are known exactly (`case.basin_of(point)`: which side of the separatrix).
# Claim: integrating the flow from a start off the separatrix ends at the sink of its basin.
# (A first version integrated to a fixed `t = 60`; hypothesis found a drawn system whose sink
# decays at rate 0.106, so that horizon left an error of 5e-3: the horizon now comes from the
# exact eigenvalues the strategy provides.)

# %%
def horizon(case, sink):
    """Long enough to get within ~1e-6 of the sink: 15 / (slowest exact decay rate), plus escape time."""
    slowest = min(abs(float(sympy.re(e))) for e in case.classification[sink].eigenvalues)
    return 15.0 / slowest + 30.0


@settings(max_examples=10, deadline=None)
@given(gradient_systems())
def test_integration_reaches_the_known_sink(case):
    rng = np.random.default_rng(0)
    for start in np.asarray(case.saddle, float) + rng.uniform(-1, 1, size=(4, 2)):
        basin = case.basin_of(tuple(start))
        if basin is None:
            continue
        sink = case.sinks[basin]
        end = np.asarray(case.system.integrate(start, (0.0, horizon(case, sink))).y)[:, -1]
        assert np.linalg.norm(end - np.asarray(sink, float)) < 1e-4, (start, sink, end)


test_integration_reaches_the_known_sink()
print("10 gradient systems x 4 starts: every trajectory ended at the sink of its exact basin")

# %% [markdown]
# One drawn case, for the eye: trajectories coloured by the basin the construction
# predicts, the saddle and the sinks marked.

# %%
cases = []


@settings(max_examples=1, deadline=None, database=None)
@given(gradient_systems())
def _keep(case):
    cases.append(case)


_keep()
case = cases[0]
saddle = np.asarray(case.saddle, float)
fig, ax = plt.subplots(figsize=(5.5, 4.5))
colours = ("tab:blue", "tab:orange")
labelled = set()
rng = np.random.default_rng(1)
for start in saddle + rng.uniform(-1.5, 1.5, size=(24, 2)):
    basin = case.basin_of(tuple(start))
    if basin is None:
        continue
    sol = case.system.integrate(start, (0.0, 20.0), t_eval=np.linspace(0, 20, 400))
    label = f"start in basin of sink {basin + 1}" if basin not in labelled else None
    labelled.add(basin)
    ax.plot(sol.y[0], sol.y[1], color=colours[basin], lw=0.8, label=label)
ax.plot(*saddle, "kx", ms=10, mew=2, label="saddle (exact)")
for i, s in enumerate(case.sinks):
    ax.plot(*np.asarray(s, float), "o", color=colours[i], mec="k", ms=9, label=f"sink {i + 1} (exact)")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title("a drawn gradient system: trajectories vs exact basins")
ax.legend(fontsize=8, loc="best")
plt.show()

# %% [markdown]
# ## 3. A false claim: hypothesis finds the counterexample and shrinks it
#
# "A fixed point whose Jacobian has negative trace is a sink." True in one dimension,
# false in two (a saddle with eigenvalues 1 and -2 has trace -1). `polynomial_systems`
# builds systems with known fixed points and classifications; `assert_fixed_point`
# reports the mismatch as a table.

# %%
@settings(max_examples=100, deadline=None, database=None)
@given(polynomial_systems(dim=2, max_roots=2))
def test_negative_trace_means_sink(case):
    J = case.system.jacobian()
    for point in case.fixed_points:
        trace = J.subs(dict(zip(case.system.states, point))).trace()
        if trace < 0:
            assert_fixed_point(case.system, point, kind="sink")


try:
    test_negative_trace_means_sink()
    print("no counterexample found")
except AssertionError as exc:
    print("".join(getattr(exc, "__notes__", [])[:1]))
    print(exc)

# %% [markdown]
# The shrunk example is small (rational entries, a handful of terms) and the table names
# the field that differs (`kind`: expected `sink`, actual `saddle`) with the eigenvalues.
#
# ## 4. The same tests in a pytest file
#
# Put the tests in `tests/test_my_claim.py` and run `python -m pytest`. SymPy-heavy
# properties need `deadline=None`.

# %%
test_file = textwrap.dedent('''
    from hypothesis import given, settings
    from symdyn.stability import half_plane_count, unit_disk_count
    from symdyn.strategies import polynomial_systems, polynomials
    from symdyn.testing import assert_fixed_point


    @given(polynomials(left=2, right=1))
    def test_routh_hurwitz_counts(case):
        assert half_plane_count(case.poly) == case.half_plane


    @given(polynomials(inside=1, on=1, outside=1))
    def test_schur_cohn_counts(case):
        assert unit_disk_count(case.poly) == case.disk


    @settings(deadline=None, max_examples=20)
    @given(polynomial_systems(max_dim=2, max_roots=2))
    def test_fixed_points_classified_as_built(case):
        for point in case.fixed_points:
            want = case.classification[point]
            assert_fixed_point(case.system, point, kind=want.kind, index=want.index, level="proved")
''')
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "test_my_claim.py"
    path.write_text(test_file)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
                         capture_output=True, text=True, cwd=tmp)
print(run.stdout.strip().splitlines()[-1])
assert run.returncode == 0
