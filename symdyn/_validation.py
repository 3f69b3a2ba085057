"""Validation helpers for the public boundary (errors name the parameter)."""

from __future__ import annotations

import math
import numbers

import numpy as np


def check_real(name: str, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as float, checking type, finiteness and range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (v < low or (low_open and v == low)):
        bracket = "(" if low_open else "["
        raise ValueError(f"{name} must be in {bracket}{low}, {high if high is not None else 'inf'}{']' if high is not None and not high_open else ')'}, got {value!r}")
    if high is not None and (v > high or (high_open and v == high)):
        bracket = ")" if high_open else "]"
        raise ValueError(f"{name} must be in {'(' if low_open else '['}{low if low is not None else '-inf'}, {high}{bracket}, got {value!r}")
    return value


def check_int(name: str, value, *, low=None, high=None) -> int:
    """Return ``value`` as int, checking type and range (inclusive)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    v = int(value)
    if low is not None and v < low:
        raise ValueError(f"{name} must be >= {low}, got {v}")
    if high is not None and v > high:
        raise ValueError(f"{name} must be <= {high}, got {v}")
    return v


def _contains_text(value, depth: int = 0) -> bool:
    """Whether ``value`` is, or (nested lists/tuples/arrays) holds, a string or bytes."""
    if isinstance(value, (str, bytes)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "USO" and (value.dtype.kind != "O" or any(
            isinstance(v, (str, bytes)) for v in value.ravel().tolist()))
    if isinstance(value, (list, tuple)) and depth < 8:
        return any(_contains_text(v, depth + 1) for v in value)
    return False


def check_finite_array(name: str, value, *, ndim=None, shape=None, dtype=float) -> np.ndarray:
    """Convert to a NumPy array, checking dimension, shape and finiteness."""
    if _contains_text(value):
        raise TypeError(f"{name} must be numbers, not strings (text is never parsed)")
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as exc:
        raise TypeError(f"{name} must be array-like of numbers: {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


#: Documented input caps (README, "Input caps"): checked at the public boundary, before any
#: allocation or native call, with a ValueError naming the parameter and the cap.  They keep
#: every call within memory and within minutes on a laptop, and away from the sizes where
#: GMP/FLINT abort the process or a solver never returns.
CAPS = {
    # symdyn.stability (exact): degree of a polynomial, size of a matrix
    "poly_degree": 1000,
    "disk_degree": 500,         # unit_disk_count: the Moebius map makes coefficients grow
    "matrix_size": 200,
    "matrix_size_ldl": 100,
    # symdyn.stability (certified, arb): degree and working precision in bits
    "certified_degree": 1000,
    "certified_maxprec": 1 << 16,
    # ODESystem.fixed_points: exact method (total degree of each equation), numeric starts
    "fixed_point_degree": 100,
    "fixed_point_degree_complex": 20,   # domain='complex' isolates every complex root
    "n_starts": 100_000,
    "prec": 1000,
    # high-precision Gaussian quadrature (hp_value, contrastive threshold --confirm-digits)
    "hp_digits": 1000,
    # ODESystem.integrate: |t0|, |t1| and the relative length of the time span
    "t_abs": 1e12,
    "t_span_rel": 1e-9,
    # MapSystem.iterate: steps, and stored iterates with return_orbit=True
    "iterate_steps": 10**7,     # one compiled call per step: about a minute
    "orbit_values": 5 * 10**7,
    # symdyn lsgd counts / robust (CLI): dimension n of B
    "lsgd_n": 10_000,
    "lsgd_dense_n": 3000,       # laplacian / smoothing_matrix / iteration_matrix (dense n x n)
    # symdyn lsgd escape (CLI): stored starts n * samples, work n * samples * iters
    "escape_values": 10**7,
    "escape_work": 2 * 10**9,
    # contrastive model: features, neurons, |parameter|; symbolic ODE derivation size
    "d": 16,
    "d2": 16,
    "param_abs": 1e6,
    "ode_neurons": 4,           # d2 for the symbolic derivation (moment_odes, McKeanVlasovPDE)
    "ode_size": 8,              # d * d2 for the symbolic derivation
    # simulate_sgd
    "N": 10**15,
    "steps": 10**11,            # round(t_max * N)
    "n_runs": 10**6,
    "n_times": 10**6,
    "recorded_values": 5 * 10**7,   # n_runs * len(times) * (d * d2 + d2 * d2)
    "full_engine_values": 10**8,    # n_runs * N * (views + 2 d2), engine='full'
}


def check_cap(name: str, value, cap_key: str, *, what: str | None = None) -> None:
    """ValueError when ``value`` exceeds ``CAPS[cap_key]``; the message names ``name`` and the cap."""
    cap = CAPS[cap_key]
    if value > cap:
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        extra = f" ({what})" if what else ""
        raise ValueError(f"{name} = {shown} exceeds the cap {cap:g}{extra}; "
                         f"see 'Input caps' in the README")
