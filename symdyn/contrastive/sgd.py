"""Online SGD of the contrastive model at finite dimension N.

One entry point, :func:`simulate_sgd`, two engines:

- ``engine="full"``: the literal update of ``W in R^{N x d2}`` (ground truth for
  moderate N; cost bounded below by drawing ``m N`` Gaussians per step);
- ``engine="reduced"``: the exact Markov chain of the order parameters
  ``(R, Q)`` at the same N, ``O((d + d2)^2)`` work per step independent of N
  (see :mod:`symdyn.contrastive._sgd_reduced` for the proof of exactness).

Both record ``R = U^T W / sqrt N``, ``Q = W^T W / N`` and the cosine similarity
``m`` at the steps ``k = round(t N)`` of the requested times ``t``.
"""

from __future__ import annotations

import numbers
import sys
from dataclasses import dataclass

import numpy as np

from .._validation import check_cap, check_finite_array, check_int, check_real
from ..verdict import jsonable
from ._sgd_common import numeric_model
from .model import ContrastiveModel, cosine_similarity

__all__ = ["SGDResult", "simulate_sgd", "check_sgd_arguments", "default_initial_state"]

ENGINES = ("reduced", "full")
BASES = ("coordinate", "random")
BACKENDS = ("auto", "c", "numpy")


@dataclass
class SGDResult:
    """Recorded order parameters of an ensemble of SGD runs.

    Attributes
    ----------
    t : ndarray (T,)
        Recorded times ``k / N``.
    R : ndarray (n_runs, T, d, d2)
    Q : ndarray (n_runs, T, d2, d2)
    m : ndarray (n_runs, T, d, d2)
        Cosine similarities ``R_kj / sqrt(Q_jj)``.
    N : int
    engine : str
    seed : int
        Seed of ``numpy.random.default_rng`` that reproduces the runs.
    """

    t: np.ndarray
    R: np.ndarray
    Q: np.ndarray
    m: np.ndarray
    N: int
    engine: str
    seed: int

    @property
    def n_runs(self) -> int:
        return self.R.shape[0]

    def mean_m(self) -> np.ndarray:
        """Ensemble mean of ``m``: shape ``(T, d, d2)``."""
        return self.m.mean(axis=0)

    def to_dict(self) -> dict:
        """JSON-ready dictionary (lists of floats)."""
        return jsonable({
            "N": self.N, "engine": self.engine, "seed": self.seed, "n_runs": self.n_runs,
            "t": self.t, "R": self.R, "Q": self.Q, "m": self.m, "mean_m": self.mean_m(),
        })


def default_initial_state(d: int, d2: int, r0: float = 0.1) -> tuple:
    """Default ``(R0, Q0)``: a staggered ``R0`` and ``Q0 = I``.

    ``R0[k, j] = r0`` for ``k == j mod d`` and ``r0 / 2`` elsewhere, so distinct
    neurons start distinct (a symmetric start is a fixed subspace of the ODE).

    Examples
    --------
    >>> from symdyn.contrastive.sgd import default_initial_state
    >>> R0, Q0 = default_initial_state(2, 1)
    >>> R0.ravel().tolist(), Q0.tolist()
    ([0.1, 0.05], [[1.0]])
    """
    R0 = np.full((d, d2), r0 / 2)
    for j in range(d2):
        R0[j % d, j] = r0
    return R0, np.eye(d2)


def _as_shape(name, value, shape, label):
    """Finite float array of ``shape``; any array with the right number of entries is reshaped."""
    arr = check_finite_array(name, value)
    if arr.shape != shape:
        if arr.size != shape[0] * shape[1]:
            raise ValueError(f"{name} must have shape {label} = {shape}, got {arr.shape}")
        arr = arr.reshape(shape)
    return arr


def _check_initial(model, R0, Q0):
    d, d2 = model.d, model.d2
    if R0 is None or Q0 is None:
        Rd, Qd = default_initial_state(d, d2)
        R0 = Rd if R0 is None else R0
        Q0 = Qd if Q0 is None else Q0
    R0 = _as_shape("R0", R0, (d, d2), "(d, d2)")
    Q0 = _as_shape("Q0", Q0, (d2, d2), "(d2, d2)")
    if not np.allclose(Q0, Q0.T):
        raise ValueError("Q0 must be symmetric")
    M = Q0 - R0.T @ R0
    lo = np.linalg.eigvalsh(M).min()
    if lo < -1e-12 * max(1.0, np.abs(Q0).max()):
        raise ValueError(f"Q0 - R0^T R0 must be positive semidefinite (|U^T w| <= |w|), smallest eigenvalue {lo:.3g}")
    return R0, Q0


def _check_model_size(model):
    check_cap("d", model.d, "d")
    check_cap("d2", model.d2, "d2")


def _check_memory(model, N, n_runs, T, engine):
    """Caps on what the engines allocate (recorded states; the full engine's N-vectors)."""
    d, d2 = model.d, model.d2
    check_cap("n_runs * len(times) * (d*d2 + d2*d2)", n_runs * T * (d * d2 + d2 * d2), "recorded_values",
              what="recorded values")
    if engine == "full":
        check_cap("n_runs * N * (3 + 2*d2)", n_runs * N * (3 + 2 * d2), "full_engine_values",
                  what="values held by engine='full'")


def _record_steps(N, t_max, times):
    if times is None:
        times = np.linspace(0.0, t_max, 41)
    elif hasattr(times, "__len__") and not isinstance(times, (str, bytes)):
        check_cap("len(times)", len(times), "n_times")
    times = check_finite_array("times", times, ndim=1)
    check_cap("len(times)", times.size, "n_times")
    if times.size == 0:
        raise ValueError("times must not be empty")
    if np.any(np.diff(times) < 0):
        raise ValueError("times must be non-decreasing")
    if times[0] < 0 or times[-1] > t_max * (1 + 1e-12):
        raise ValueError(f"times must lie in [0, t_max={t_max}]")
    return np.rint(times * N).astype(np.int64)


def check_sgd_arguments(model, N, t_max, *, engine="reduced", n_runs=1, times=None, R0=None, Q0=None,
                        basis="coordinate", backend="auto"):
    """Validate a :func:`simulate_sgd` call without running it (types, ranges, caps, memory).

    Returns ``(N, t_max, n_runs, numeric_model, R0, Q0, record_steps)``; raises the
    ValueError / TypeError :func:`simulate_sgd` would raise. Callers that run several
    simulations (``symdyn contrastive simulate --N ... --N ...``) check them all first.
    """
    if not isinstance(model, ContrastiveModel):
        raise TypeError(f"model must be a ContrastiveModel, got {type(model).__name__}")
    if not isinstance(engine, str) or engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, got {engine!r}")
    if not isinstance(basis, str) or basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, got {basis!r}")
    if not isinstance(backend, str) or backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if isinstance(N, numbers.Real) and not isinstance(N, (bool, numbers.Integral)) and float(N).is_integer():
        N = int(N)
    N = check_int("N", N, low=1)
    if N < model.d + model.d2 + 1:
        raise ValueError(f"N must be >= d + d2 + 1 = {model.d + model.d2 + 1}, got {N}")
    check_cap("N", N, "N")
    t_max = float(check_real("t_max", t_max, low=0, low_open=True))
    check_cap("round(t_max * N)", t_max * N, "steps", what="SGD steps")
    n_runs = check_int("n_runs", n_runs, low=1)
    check_cap("n_runs", n_runs, "n_runs")
    _check_model_size(model)
    if model.regularizer == "l1" and engine == "reduced":
        raise ValueError("regularizer='l1' is not supported by engine='reduced' (the L1 subgradient needs the "
                         "coordinates of W); use engine='full'")
    nm = numeric_model(model)
    R0, Q0 = _check_initial(model, R0, Q0)
    steps = _record_steps(N, t_max, times)
    _check_memory(model, N, n_runs, len(steps), engine)
    return N, t_max, n_runs, nm, R0, Q0, steps


def simulate_sgd(model: ContrastiveModel, N: int, t_max: float, *, engine: str = "reduced", n_runs: int = 1,
                 times=None, R0=None, Q0=None, seed=None, basis: str = "coordinate",
                 progress: bool = False, backend: str = "auto") -> SGDResult:
    """Simulate online SGD of the contrastive model in dimension N.

    Parameters
    ----------
    model : ContrastiveModel
        With numeric parameters.  L1 regularisation only with ``engine='full'``.
    N : int
        Dimension, ``>= d + d2 + 1``.
    t_max : float
        Final time (> 0); ``round(t_max N)`` steps.
    engine : {'reduced', 'full'}
    n_runs : int
        Independent runs (vectorised).
    times : array-like, optional
        Non-decreasing times in ``[0, t_max]`` to record (default 41 equispaced).
    R0, Q0 : array-like, optional
        Initial ``R (d, d2)`` and ``Q (d2, d2)``, ``Q0 - R0^T R0`` PSD;
        default :func:`default_initial_state`.
    seed : int, optional
        Seed; when None a fresh one is drawn and stored in the result.
    basis : {'coordinate', 'random'}
        U for the full engine: the first d coordinate vectors, or a random
        orthonormal frame.  (The reduced engine does not depend on it.)
    progress : bool
        Show a tqdm progress bar on stderr.
    backend : {'auto', 'c', 'numpy'}
        Inner loop of the reduced engine: C generated from the symbolic
        activation (``'auto'`` uses it when a C compiler is available) or the
        NumPy reference loop.  Both consume the same random numbers.

    Returns
    -------
    SGDResult

    Raises
    ------
    ValueError
        Bad parameters (the message names the parameter).
    symdyn.DivergenceError
        NaN / overflow, with the time at which it was detected.

    Examples
    --------
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> from symdyn.contrastive.sgd import simulate_sgd
    >>> res = simulate_sgd(ContrastiveModel(), N=200, t_max=1.0, n_runs=3, seed=0)
    >>> res.R.shape, res.m.shape, float(res.t[-1])
    ((3, 41, 1, 1), (3, 41, 1, 1), 1.0)
    """
    N, t_max, n_runs, nm, R0, Q0, steps = check_sgd_arguments(
        model, N, t_max, engine=engine, n_runs=n_runs, times=times, R0=R0, Q0=Q0, basis=basis, backend=backend)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    elif isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a non-negative integer or None, got {type(seed).__name__} {seed!r}")
    elif seed < 0:
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=int(steps[-1]), unit="step", file=sys.stderr, desc=f"SGD {engine} N={N}")
    try:
        if engine == "reduced":
            from ._sgd_reduced import run_reduced

            kernel = None
            if backend != "numpy":
                from ._ckernel import get_kernel

                kernel = get_kernel(model)
                if kernel is None and backend == "c":
                    raise ValueError("backend='c': no C compiler available or the activation has no C form")
            R, Q = run_reduced(nm, N, R0, Q0, steps, rng, n_runs=n_runs, progress=bar, kernel=kernel)
        else:
            from ._sgd_full import run_full

            R, Q = run_full(nm, N, R0, Q0, steps, rng, n_runs=n_runs, basis=basis, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    with np.errstate(invalid="ignore", divide="ignore"):
        m = cosine_similarity(R, Q)
    return SGDResult(t=steps / N, R=R, Q=Q, m=m, N=N, engine=engine, seed=int(seed))
