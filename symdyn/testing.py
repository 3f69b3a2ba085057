"""Assertions for dynamics claims, for pytest (or any test runner).

Each function raises :class:`AssertionError` with a readable diff (expected vs
actual, one line per mismatch) and returns the evidence when it passes:

* :func:`assert_fixed_point` -- a point is a fixed point with the expected kind,
  index (number of unstable directions), subtype and verdict level;
* :func:`assert_same_odes` -- two systems are equal after canonicalisation (same
  states up to order, same parameters, right-hand sides whose difference simplifies
  to exactly 0);
* :func:`assert_verdict` -- a claim check passes at (at least) a given level;
* :func:`assert_sgd_matches_ode` -- the ensemble mean of contrastive SGD stays in a
  confidence band around the moment ODEs, with the number of runs chosen from the
  requested power.

Levels are ordered ``proved > certified > numerical``; ``level=`` asks for at least
that strength.

Examples
--------
>>> import sympy
>>> from symdyn import ODESystem
>>> from symdyn.testing import assert_fixed_point
>>> x = sympy.Symbol("x")
>>> assert_fixed_point(ODESystem([x], [x - x**3]), [1], kind="sink", index=0, level="proved").kind
'sink'
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import sympy

__all__ = ["assert_fixed_point", "assert_same_odes", "assert_verdict", "assert_sgd_matches_ode",
           "SGDComparison", "LEVEL_ORDER"]

LEVEL_ORDER = ("numerical", "certified", "proved")   # weakest first


def _check_level(name, level):
    if level is not None and level not in LEVEL_ORDER:
        raise ValueError(f"{name} must be one of {LEVEL_ORDER} or None, got {level!r}")


def _at_least(actual: str, required: str) -> bool:
    return LEVEL_ORDER.index(actual) >= LEVEL_ORDER.index(required)


def _table(title: str, rows) -> str:
    rows = list(rows)
    w = max([len(r[0]) for r in rows] + [5])
    lines = [title, f"  {'field':<{w}}  {'expected':<24} actual"]
    for field, exp, got, ok in rows:
        mark = "  " if ok else "!!"
        lines.append(f"{mark}{field:<{w}}  {str(exp):<24} {got}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- fixed points
def _residuals(system, pt: dict):
    from .odesystem import MapSystem

    rhs = list(system.rhs.xreplace(pt))
    if isinstance(system, MapSystem):
        rhs = [e - pt[s] for e, s in zip(rhs, system.states)]
    return rhs


def _point(system, point) -> dict:
    """``{state: SymPy value}`` from a FixedPoint, a dict or a sequence in state order."""
    from ._sympify import as_expr
    from .odesystem import FixedPoint

    if isinstance(point, FixedPoint):
        values = list(point.values)
    elif isinstance(point, dict):
        missing = [s for s in system.states if s not in point]
        if missing or len(point) != system.n:
            raise ValueError(f"point must give a value for exactly the states {system.states}")
        values = [point[s] for s in system.states]
    elif isinstance(point, str):
        raise TypeError("point must be a FixedPoint, dict or sequence, not a string")
    else:
        values = list(np.asarray(point, dtype=object).ravel()) if isinstance(point, np.ndarray) else list(point)
    if len(values) != system.n:
        raise ValueError(f"point must have {system.n} value(s), got {len(values)}")
    return {s: sympy.sympify(v) if not isinstance(v, (str, bytes)) and hasattr(v, "_mpf_") else as_expr(v, f"point[{s}]")
            for s, v in zip(system.states, values)}


def _with_params(system, params):
    if params is None or not system.params:
        return system
    if isinstance(params, dict):
        return system.subs(params)
    if isinstance(params, str):
        raise TypeError("params must be a dict or a sequence of numbers, not a string")
    values = list(params)
    if len(values) != len(system.params):
        raise ValueError(f"params must have {len(system.params)} value(s) in the order {system.params}")
    return system.subs(dict(zip(system.params, values)))


def _is_zero(e, tol) -> bool:
    e = sympy.sympify(e)
    if e.is_number and not e.has(sympy.Float):
        return e == 0 or sympy.simplify(e) == 0
    return abs(complex(sympy.N(e, 30))) <= tol


def assert_fixed_point(system, point, params=None, *, kind=None, index=None, subtype="any", level=None,
                       stable_dim=None, center_dim=None, tol: float = 1e-9):
    """Assert that ``point`` is a fixed point of ``system`` with the expected linear stability.

    Parameters
    ----------
    system : ODESystem or MapSystem
    point : FixedPoint, dict {state: value} or sequence in state order
    params : dict or sequence, optional
        Values of every parameter.
    kind : {'sink', 'source', 'saddle', 'non-hyperbolic'}, optional
    index : int, optional
        Number of unstable directions (``Classification.unstable_dim``).
    subtype : {'node', 'focus', None, 'any'}
        ``'any'`` (default) does not check it.
    level : {'proved', 'certified', 'numerical'}, optional
        Minimum strength of the classification's level.
    stable_dim, center_dim : int, optional
    tol : float
        Residual tolerance for points with floating-point coordinates (exact points
        must satisfy the equations exactly).

    Returns
    -------
    Classification

    Raises
    ------
    AssertionError
        The point is not a fixed point, or some expected field differs (the message
        lists expected and actual values and the eigenvalues).

    Examples
    --------
    >>> import sympy
    >>> from symdyn import ODESystem
    >>> from symdyn.testing import assert_fixed_point
    >>> x, y = sympy.symbols("x y")
    >>> osc = ODESystem([x, y], [y, -x - y])
    >>> assert_fixed_point(osc, [0, 0], kind="sink", index=0, subtype="focus").level
    'proved'
    >>> assert_fixed_point(osc, [0, 0], kind="saddle")
    Traceback (most recent call last):
    ...
    AssertionError: fixed point (0, 0) of ODESystem(...): classification differs
      field  expected                 actual
    !!kind   saddle                   sink
      eigenvalues: -0.5+0.866j, -0.5-0.866j
    """
    from .odesystem import MapSystem, ODESystem

    if not isinstance(system, (ODESystem, MapSystem)):
        raise TypeError(f"system must be an ODESystem or MapSystem, got {type(system).__name__}")
    if kind is not None and kind not in ("sink", "source", "saddle", "non-hyperbolic"):
        raise ValueError(f"kind must be 'sink', 'source', 'saddle', 'non-hyperbolic' or None, got {kind!r}")
    if subtype not in ("node", "focus", None, "any"):
        raise ValueError(f"subtype must be 'node', 'focus', None or 'any', got {subtype!r}")
    _check_level("level", level)
    for name, v in (("index", index), ("stable_dim", stable_dim), ("center_dim", center_dim)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0):
            raise ValueError(f"{name} must be a non-negative int or None, got {v!r}")
    pt = _point(system, point)
    label = tuple(pt[s] for s in system.states)
    where = f"fixed point {label} of {type(system).__name__}(...)"
    # the point must satisfy the fixed-point equations
    rhs = _residuals(_with_params(system, params), pt)
    bad = [(s, e) for s, e in zip(system.states, rhs) if not _is_zero(e, tol)]
    if bad:
        eq = "F(x) - x" if type(system).__name__ == "MapSystem" else "f(x)"
        raise AssertionError(f"{label} is not a fixed point of {type(system).__name__}(...): {eq} = "
                             + ", ".join(f"{sympy.N(e, 6)} (component {s})" for s, e in bad))
    c = system.classify(point, params)
    rows = []
    if kind is not None:
        rows.append(("kind", kind, c.kind, c.kind == kind))
    if index is not None:
        rows.append(("index", index, c.unstable_dim, c.unstable_dim == index))
    if stable_dim is not None:
        rows.append(("stable_dim", stable_dim, c.stable_dim, c.stable_dim == stable_dim))
    if center_dim is not None:
        rows.append(("center_dim", center_dim, c.center_dim, c.center_dim == center_dim))
    if subtype != "any":
        rows.append(("subtype", subtype, c.subtype, c.subtype == subtype))
    if level is not None:
        rows.append(("level", f">= {level}", c.level, _at_least(c.level, level)))
    if not all(ok for *_, ok in rows):
        eig = ", ".join(f"{complex(e):.3g}" for e in c.eigenvalues)
        raise AssertionError(_table(f"{where}: classification differs", [r for r in rows if not r[3]])
                             + f"\n  eigenvalues: {eig}")
    return c


# --------------------------------------------------------------------------- same ODEs
def _exactly_zero(d) -> bool:
    d = sympy.expand(d)
    if d == 0:
        return True
    return sympy.simplify(d) == 0


def assert_same_odes(a, b):
    """Assert that two systems are equal after canonicalisation.

    The systems must be of the same type (flow or map), have the same states (in
    any order), the same parameters (in any order) and the same time symbol; ``b``'s
    right-hand side is permuted to ``a``'s state order and every component of the
    difference must simplify to exactly 0 (``expand``, then ``simplify``).

    Parameters
    ----------
    a, b : ODESystem or MapSystem

    Raises
    ------
    AssertionError
        With the states/parameters that differ, or each component whose difference
        does not vanish (both expressions and the simplified difference).

    Examples
    --------
    >>> import sympy
    >>> from symdyn import ODESystem
    >>> from symdyn.testing import assert_same_odes
    >>> x, y = sympy.symbols("x y")
    >>> assert_same_odes(ODESystem([x, y], [x * (1 - x), (x + y)**2]),
    ...                  ODESystem([y, x], [x**2 + 2*x*y + y**2, x - x**2]))
    >>> assert_same_odes(ODESystem([x], [x]), ODESystem([x], [2 * x]))
    Traceback (most recent call last):
    ...
    AssertionError: the systems differ in 1 component(s):
      d x/dt: x  vs  2*x  (difference -x)
    """
    from .odesystem import MapSystem, ODESystem

    for name, s in (("a", a), ("b", b)):
        if not isinstance(s, (ODESystem, MapSystem)):
            raise TypeError(f"{name} must be an ODESystem or MapSystem, got {type(s).__name__}")
    if type(a) is not type(b):
        raise AssertionError(f"a is a {type(a).__name__}, b is a {type(b).__name__}")
    problems = []
    if set(a.states) != set(b.states):
        problems.append(f"states differ: only in a {sorted(map(str, set(a.states) - set(b.states)))}, "
                        f"only in b {sorted(map(str, set(b.states) - set(a.states)))}")
    if set(a.params) != set(b.params):
        problems.append(f"params differ: only in a {sorted(map(str, set(a.params) - set(b.params)))}, "
                        f"only in b {sorted(map(str, set(b.params) - set(a.params)))}")
    if getattr(a, "t", None) != getattr(b, "t", None):
        problems.append(f"time symbols differ: {a.t} vs {b.t}")
    if problems:
        raise AssertionError("the systems are not comparable:\n  " + "\n  ".join(problems))
    rhs_b = dict(zip(b.states, b.rhs))
    lhs = "{}'" if isinstance(a, MapSystem) else "d {}/dt"
    diffs = []
    for s, ea in zip(a.states, a.rhs):
        eb = rhs_b[s]
        if not _exactly_zero(ea - eb):
            diffs.append(f"{lhs.format(s)}: {ea}  vs  {eb}  (difference {sympy.simplify(ea - eb)})")
    if diffs:
        raise AssertionError(f"the systems differ in {len(diffs)} component(s):\n  " + "\n  ".join(diffs))


# --------------------------------------------------------------------------- verdicts
def assert_verdict(claim, *, level=None, **kwargs):
    """Assert that a claim check passes, at least at ``level``.

    Parameters
    ----------
    claim : Verdict, str or callable
        A :class:`~symdyn.Verdict`; the name of a ``proofs_checks`` module (chosen
        from :func:`proofs_checks.available`, never parsed: it runs ``run()``, or
        ``evaluate(**kwargs)`` when keyword arguments are given); or a callable
        returning a Verdict (called with ``**kwargs``).
    level : {'proved', 'certified', 'numerical'}, optional
        Minimum strength of the verdict's level.

    Returns
    -------
    Verdict

    Raises
    ------
    AssertionError
        The claim fails, or its level is weaker than ``level`` (the message shows the
        claim, level and figures).

    Examples
    --------
    >>> from symdyn import Verdict
    >>> from symdyn.testing import assert_verdict
    >>> assert_verdict(Verdict("demo", "1 + 1 = 2", True, "proved"), level="certified").passed
    True
    >>> assert_verdict(Verdict("demo", "1 + 1 = 3", False, "proved", {"lhs": 2}))
    Traceback (most recent call last):
    ...
    AssertionError: claim 'demo' FAILED (level proved): 1 + 1 = 3
      figures: {"lhs": 2}
    """
    import json

    from .verdict import Verdict, jsonable

    _check_level("level", level)
    if isinstance(claim, Verdict):
        if kwargs:
            raise TypeError("keyword arguments are only used with a check name or a callable")
        v = claim
    elif isinstance(claim, str):
        import proofs_checks

        mod = proofs_checks.load(claim)       # ValueError for an unknown name
        v = mod.evaluate(**kwargs) if kwargs else mod.run()
    elif callable(claim):
        v = claim(**kwargs)
    else:
        raise TypeError(f"claim must be a Verdict, a check name or a callable, got {type(claim).__name__}")
    if not isinstance(v, Verdict):
        raise TypeError(f"the claim returned {type(v).__name__}, not a Verdict")
    figures = json.dumps(jsonable(v.figures), default=str)
    if len(figures) > 2000:
        figures = figures[:2000] + " ..."
    if not v.passed:
        raise AssertionError(f"claim {v.name!r} FAILED (level {v.level}): {v.claim}\n  figures: {figures}")
    if level is not None and not _at_least(v.level, level):
        raise AssertionError(f"claim {v.name!r} passed at level {v.level!r}, weaker than the required "
                             f"{level!r}: {v.claim}\n  figures: {figures}")
    return v


# --------------------------------------------------------------------------- SGD vs ODE
@dataclass(frozen=True)
class SGDComparison:
    """Evidence of :func:`assert_sgd_matches_ode`.

    Attributes
    ----------
    t : ndarray (T,)
    mean_m, m_ode, half_width : ndarray (T, d, d2)
        Ensemble mean of the cosine similarity, the ODE solution, and the band
        half-width ``z * standard error + bias`` at each time.
    n_runs : int
        Runs used for the comparison (chosen from the power requirement).
    sigma : float
        Upper confidence bound of the per-run standard deviation (pilot runs).
    z : float
        Critical value (Bonferroni over the ``T - 1`` times and ``d * d2`` entries).
    max_error : float
        ``max |mean_m - m_ode|``.
    """

    t: np.ndarray
    mean_m: np.ndarray
    m_ode: np.ndarray
    half_width: np.ndarray
    n_runs: int
    sigma: float
    z: float
    max_error: float


def _positive_int(name, v, low=1):
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < low:
        raise ValueError(f"{name} must be an int >= {low}, got {v!r}")
    return int(v)


def _prob(name, v):
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not (0 < v < 1):
        raise ValueError(f"{name} must be in (0, 1), got {v!r}")
    return float(v)


def assert_sgd_matches_ode(model, *, N: int = 1000, t_max: float = 2.0, n_times: int = 9, R0=None, Q0=None,
                           delta: float = 0.02, power: float = 0.9, alpha: float = 0.01, bias=None,
                           pilot_runs: int = 16, max_runs: int = 4096, seed: int = 0, system=None) -> SGDComparison:
    """Assert that contrastive SGD at dimension ``N`` follows the moment ODEs, in mean.

    The ensemble mean of the cosine similarity ``m(t)`` of ``n`` independent runs of
    :func:`~symdyn.contrastive.simulate_sgd` (exact reduced engine) must lie within
    ``z * se(t) + bias`` of the ODE solution (:func:`~symdyn.contrastive.moment_odes`)
    at every recorded time ``t > 0``, where ``z`` is the two-sided normal quantile at
    level ``alpha`` with a Bonferroni correction over times and entries. The number of
    runs is chosen so that a deviation of ``delta`` beyond ``bias`` is detected with
    probability at least ``power``: ``n = ceil(((z + z_power) sigma / delta)^2)``, with
    ``sigma`` a 95% upper confidence bound of the per-run standard deviation from
    ``pilot_runs`` pilot runs (independent of the main runs). Level ``numerical``.

    Parameters
    ----------
    model : ContrastiveModel
        Numeric parameters.
    N : int
        Dimension (>= d + d2 + 1).
    t_max : float
        Horizon (> 0).
    n_times : int
        Equispaced recording times in ``[0, t_max]`` (>= 2).
    R0, Q0 : array-like, optional
        Start (default as in ``simulate_sgd``).
    delta : float > 0
        Smallest deviation (beyond ``bias``) the test must detect with probability ``power``.
    power : float in (0, 1)
    alpha : float in (0, 1)
        Probability of a false alarm when SGD follows the ODE within ``bias``.
    bias : float >= 0, optional
        Allowed systematic deviation; default ``10 / N``. The ODEs are the
        ``N -> infinity`` limit and the finite-``N`` mean drifts from them by ``O(1/N)``
        (about ``2.5 / N`` at ``t = 2`` on the default one-neuron regime with
        ``<c^2> = 4``, 4000 runs, N = 250..1000); pass a larger value for long
        horizons or strongly unstable regimes.
    pilot_runs, max_runs : int
        Pilot ensemble size (>= 4) and the cap on the runs the power requires.
    seed : int
    system : ODESystem, optional
        The ODEs to compare with (default ``moment_odes(model)``); pass a wrong
        system to see the assertion fail.

    Returns
    -------
    SGDComparison

    Raises
    ------
    AssertionError
        Some ``|mean m_SGD(t) - m_ODE(t)|`` exceeds its band (the table lists them).
    ValueError
        Bad parameters, or the requested power needs more than ``max_runs`` runs.

    Examples
    --------
    >>> from symdyn.contrastive import ContrastiveModel
    >>> from symdyn.hidden import Rademacher
    >>> from symdyn.testing import assert_sgd_matches_ode
    >>> res = assert_sgd_matches_ode(ContrastiveModel(laws=(Rademacher(2),)), N=500, t_max=1.0)  # doctest: +SKIP
    """
    from scipy.stats import chi2, norm

    from .contrastive import ContrastiveModel, simulate_sgd
    from .contrastive.validation import ode_trajectory

    if not isinstance(model, ContrastiveModel):
        raise TypeError(f"model must be a ContrastiveModel, got {type(model).__name__}")
    N = _positive_int("N", N, 2)
    n_times = _positive_int("n_times", n_times, 2)
    pilot_runs = _positive_int("pilot_runs", pilot_runs, 4)
    max_runs = _positive_int("max_runs", max_runs, pilot_runs)
    if isinstance(t_max, bool) or not isinstance(t_max, numbers.Real) or not (0 < t_max < math.inf):
        raise ValueError(f"t_max must be a finite number > 0, got {t_max!r}")
    if isinstance(delta, bool) or not isinstance(delta, numbers.Real) or not (0 < delta < math.inf):
        raise ValueError(f"delta must be a finite number > 0, got {delta!r}")
    power, alpha = _prob("power", power), _prob("alpha", alpha)
    if bias is None:
        bias = 10 / N
    if isinstance(bias, bool) or not isinstance(bias, numbers.Real) or not (0 <= bias < math.inf):
        raise ValueError(f"bias must be a finite number >= 0, got {bias!r}")
    times = np.linspace(0.0, float(t_max), n_times)
    common = dict(times=times, R0=R0, Q0=Q0)
    pilot = simulate_sgd(model, N, t_max, n_runs=pilot_runs, seed=seed, **common)
    R0p, Q0p = pilot.R[0, 0], pilot.Q[0, 0]
    ode = ode_trajectory(model, times, R0p, Q0p, system=system)
    m_ode = ode["m"]
    k = (n_times - 1) * m_ode[0].size
    z = float(norm.ppf(1 - alpha / (2 * k)))
    z_power = float(norm.ppf(power))
    s = float(np.max(pilot.m[:, 1:].std(axis=0, ddof=1)))
    sigma = s * math.sqrt((pilot_runs - 1) / chi2.ppf(0.05, pilot_runs - 1))
    n_runs = max(pilot_runs, math.ceil(((z + z_power) * sigma / delta) ** 2))
    if n_runs > max_runs:
        raise ValueError(f"detecting delta={delta} with power={power} needs {n_runs} runs > max_runs={max_runs}; "
                         "increase delta or max_runs")
    main = simulate_sgd(model, N, t_max, n_runs=n_runs, seed=seed + 1, **common)
    mean = main.m.mean(axis=0)
    se = main.m.std(axis=0, ddof=1) / math.sqrt(n_runs)
    half = z * se + bias
    err = np.abs(mean - m_ode)
    out = SGDComparison(times, mean, m_ode, half, n_runs, sigma, z, float(err[1:].max()))
    bad = np.argwhere(err[1:] > half[1:])
    if bad.size:
        lines = [f"SGD (N={N}, {n_runs} runs) leaves the band around the ODE at {len(bad)} of {k} (time, entry) "
                 f"pairs (alpha={alpha}, z={z:.2f}, bias={bias:.3g}):",
                 f"  {'t':>8} {'entry':>7} {'mean m_SGD':>12} {'m_ODE':>10} {'|diff|':>9} {'band':>9}"]
        for ti, i, j in bad[:12]:
            ti += 1
            lines.append(f"  {times[ti]:8.3f} {f'({i},{j})':>7} {mean[ti, i, j]:12.5f} {m_ode[ti, i, j]:10.5f} "
                         f"{err[ti, i, j]:9.5f} {half[ti, i, j]:9.5f}")
        if len(bad) > 12:
            lines.append(f"  ... and {len(bad) - 12} more")
        raise AssertionError("\n".join(lines))
    return out
