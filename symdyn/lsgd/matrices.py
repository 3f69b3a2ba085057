"""LSGD matrices: periodic Laplacian, smoothing operator ``A_sigma``, iteration matrix.

Exact versions are ``flint.fmpq_mat`` over QQ (inputs must be exact rationals);
float versions are NumPy arrays. ``A_sigma^{-1} v`` is also available by FFT.

Conventions (spec ``models/lsgd.md``): ``L`` is the circulant matrix with first
row ``[-2, 1, 0, ..., 0, 1]`` (for ``n = 2`` the two off-diagonal entries add),
``A_sigma^(p) = I + (-1)^p sigma L^p = I + sigma (-L)^p`` and
``T(sigma) = I - eta A_sigma^{-1} B``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from flint import fmpq, fmpq_mat

from .._validation import check_int, check_real
from ._exact import identity, to_fmpq

__all__ = [
    "laplacian",
    "laplacian_rows",
    "smoothing_matrix",
    "smoothing_eigenvalues",
    "iteration_matrix",
    "apply_smoothing_inverse",
    "reflection",
    "symmetric_basis",
    "antisymmetric_basis",
    "canonical_b",
    "diagonal_matrix",
    "check_diagonal",
]


def _check_n(n, *, dense: bool = False) -> int:
    """``n >= 2`` within the documented caps (README, "Input caps"): dense n x n matrices
    above ``CAPS['lsgd_dense_n']`` take gigabytes (FLINT aborts the process)."""
    from .._validation import check_cap

    n = check_int("n", n, low=2)
    check_cap("n", n, "lsgd_dense_n" if dense else "lsgd_n", what="dense n x n matrix" if dense else None)
    return n


def _check_order(order) -> int:
    return check_int("order", order, low=1)


def laplacian(n: int, exact: bool = True):
    """Periodic 1-D discrete Laplacian (n x n).

    >>> laplacian(4)
    [-2,  1,  0,  1]
    [ 1, -2,  1,  0]
    [ 0,  1, -2,  1]
    [ 1,  0,  1, -2]
    >>> laplacian(2, exact=False)
    array([[-2.,  2.],
           [ 2., -2.]])
    """
    n = _check_n(n, dense=True)
    rows = laplacian_rows(n)
    if not exact:
        L = np.zeros((n, n))
        for i, r in enumerate(rows):
            for j, v in r.items():
                L[i, j] = int(v)
        return L
    flat = [0] * (n * n)
    for i, r in enumerate(rows):
        for j, v in r.items():
            flat[i * n + j] = int(v)
    return fmpq_mat(n, n, flat)


def laplacian_rows(n: int) -> list:
    """Sparse rows ``{column: fmpq}`` of the periodic Laplacian."""
    n = _check_n(n)
    rows = [dict() for _ in range(n)]
    for i in range(n):
        for j, v in (((i), -2), ((i + 1) % n, 1), ((i - 1) % n, 1)):
            rows[i][j] = rows[i].get(j, 0) + v
    return [{j: fmpq(v) for j, v in r.items() if v != 0} for r in rows]


def _neg_laplacian_power(n: int, order: int, exact: bool):
    L = laplacian(n, exact=exact)
    if exact:
        N = -L
        P = N
        for _ in range(order - 1):
            P = P * N
        return P
    return np.linalg.matrix_power(-L, order)


def smoothing_matrix(n: int, sigma, order: int = 1, exact: bool = True):
    """``A_sigma^(p) = I + sigma (-L)^p`` (symmetric positive definite).

    Parameters
    ----------
    n : int
        Dimension, ``n >= 2``.
    sigma : rational (exact) or real (float), ``sigma >= 0``
        Smoothing parameter.
    order : int
        ``p >= 1``.
    exact : bool
        ``fmpq_mat`` over QQ (sigma must then be an exact rational) or NumPy.

    >>> from fractions import Fraction
    >>> smoothing_matrix(3, Fraction(1, 2))
    [   2, -1/2, -1/2]
    [-1/2,    2, -1/2]
    [-1/2, -1/2,    2]
    """
    n = _check_n(n, dense=True)
    order = _check_order(order)
    if exact:
        s = to_fmpq("sigma", sigma)
        if s < 0:
            raise ValueError(f"sigma must be >= 0, got {s}")
        return identity(n) + _neg_laplacian_power(n, order, True) * s
    s = check_real("sigma", sigma, low=0.0)
    return np.eye(n) + float(s) * _neg_laplacian_power(n, order, False)


def smoothing_eigenvalues(n: int, sigma: float, order: int = 1) -> np.ndarray:
    """Eigenvalues ``1 + sigma (4 sin^2(pi k / n))^p``, ``k = 0..n-1`` (FFT order)."""
    n = _check_n(n)
    order = _check_order(order)
    s = float(check_real("sigma", sigma, low=0.0))
    k = np.arange(n)
    return 1.0 + s * (4.0 * np.sin(np.pi * k / n) ** 2) ** order


def apply_smoothing_inverse(v, sigma: float, order: int = 1, axis: int = -1) -> np.ndarray:
    """``A_sigma^{-1} v`` by FFT along ``axis``: ``ifft(fft(v) / (1 + sigma (4 sin^2(pi k/n))^p))``.

    >>> import numpy as np
    >>> v = np.array([1.0, 0.0, 0.0, 0.0])
    >>> np.allclose(apply_smoothing_inverse(v, 0.5), np.linalg.solve(smoothing_matrix(4, 0.5, exact=False), v))
    True
    """
    v = np.asarray(v, dtype=float)
    if v.ndim == 0:
        raise ValueError("v must have at least one dimension")
    n = v.shape[axis]
    lam = smoothing_eigenvalues(n, sigma, order)
    shape = [1] * v.ndim
    shape[axis] = n
    out = np.fft.ifft(np.fft.fft(v, axis=axis) / lam.reshape(shape), axis=axis)
    return out.real


def check_diagonal(b: Sequence, exact: bool = True, require_saddle: bool = True):
    """Validate the diagonal of ``B``: length >= 2, exact rationals, exactly one negative entry.

    Returns a list of ``fmpq`` (exact) or a float array.
    """
    if isinstance(b, (str, bytes)):
        raise TypeError("b must be a sequence of numbers, not a string")
    shape = (b.nrows(), b.ncols()) if hasattr(b, "nrows") and hasattr(b, "ncols") else getattr(b, "shape", None)
    if shape is not None and len(tuple(shape)) != 1:
        # list(fmpq_mat) / list(sympy.Matrix) flatten the entries: a 2x2 matrix became a diagonal of length 4
        raise TypeError(f"b must be the diagonal of B (a 1-D sequence), got a matrix of shape {tuple(shape)}")
    try:
        vals = list(b)
    except TypeError:
        raise TypeError(f"b must be a sequence of numbers, got {type(b).__name__}") from None
    if len(vals) < 2:
        raise ValueError(f"b must have length n >= 2, got {len(vals)}")
    if exact:
        vals = [to_fmpq(f"b[{i}]", v) for i, v in enumerate(vals)]
    else:
        vals = np.array([float(check_real(f"b[{i}]", v)) for i, v in enumerate(vals)])
    if require_saddle:
        negs = [i for i, v in enumerate(vals) if v < 0]
        if not negs:
            raise ValueError("b must have a negative entry (otherwise 0 is a minimum, not a saddle)")
        if len(negs) > 1:
            raise ValueError(f"b must have exactly one negative entry, got {len(negs)} at indices {negs}")
        if any(v == 0 for v in vals):
            raise ValueError("b must have no zero entry (the saddle must be non-degenerate)")
    return vals


def diagonal_matrix(b: Sequence, exact: bool = True):
    """``diag(b)`` as ``fmpq_mat`` (exact) or NumPy array (no saddle check)."""
    vals = check_diagonal(b, exact=exact, require_saddle=False)
    n = _check_n(len(vals), dense=True) if len(vals) >= 2 else len(vals)
    if exact:
        M = fmpq_mat(n, n)
        for i, v in enumerate(vals):
            M[i, i] = v
        return M
    return np.diag(vals)


def iteration_matrix(b, eta, sigma, order: int = 1, exact: bool = True):
    """``T(sigma) = I - eta A_sigma^{-1} B`` for ``B = diag(b)`` or a square matrix ``B``.

    Parameters
    ----------
    b : sequence of rationals (diagonal of B) or square ``fmpq_mat`` / NumPy array
    eta : positive rational (exact) or float
    sigma : rational ``>= 0``
    order : int, smoothing order ``p``
    exact : bool

    >>> iteration_matrix([-1, 1], 1, 0)
    [2, 0]
    [0, 0]
    """
    if exact:
        e = to_fmpq("eta", eta)
        if e <= 0:
            raise ValueError(f"eta must be > 0, got {e}")
        B = b if isinstance(b, fmpq_mat) else diagonal_matrix(b, exact=True)
        n = B.nrows()
        if B.ncols() != n:
            raise ValueError("B must be square")
        A = smoothing_matrix(n, sigma, order, exact=True)
        return identity(n) - A.solve(B) * e
    e = check_real("eta", eta, low=0.0, low_open=True)
    if isinstance(b, np.ndarray) and b.ndim == 2:
        B = np.asarray(b, dtype=float)
    else:
        B = diagonal_matrix(b, exact=False)
    n = B.shape[0]
    A = smoothing_matrix(n, sigma, order, exact=False)
    return np.eye(n) - float(e) * np.linalg.solve(A, B)


def reflection(n: int) -> fmpq_mat:
    """Permutation ``(R v)_j = v_{(-j) mod n}``."""
    n = _check_n(n)
    R = fmpq_mat(n, n)
    for j in range(n):
        R[j, (-j) % n] = fmpq(1)
    return R


def symmetric_basis(n: int) -> fmpq_mat:
    """Rational basis of ``{v : v_j = v_{-j}}``: ``e_0``, ``e_j + e_{n-j}`` (0 < j < n/2), ``e_{n/2}``.

    Its dimension is ``floor(n/2) + 1``.

    >>> symmetric_basis(4)
    [1, 0, 0]
    [0, 1, 0]
    [0, 0, 1]
    [0, 1, 0]
    """
    n = _check_n(n)
    m = n // 2 + 1
    Q = fmpq_mat(n, m)
    for j in range(m):
        Q[j, j] = fmpq(1)
        Q[(-j) % n, j] = fmpq(1)
    return Q


def antisymmetric_basis(n: int) -> fmpq_mat:
    """Rational basis ``e_j - e_{n-j}`` (``1 <= j <= floor((n-1)/2)``) of ``{v : v_j = -v_{-j}}``.

    >>> antisymmetric_basis(4)
    [ 0]
    [ 1]
    [ 0]
    [-1]
    >>> antisymmetric_basis(2).ncols()
    0
    """
    n = _check_n(n)
    k = (n - 1) // 2
    Q = fmpq_mat(n, k)
    for j in range(1, k + 1):
        Q[j, j - 1] = fmpq(1)
        Q[n - j, j - 1] = fmpq(-1)
    return Q


def canonical_b(n: int, b0=-1, c=1) -> list:
    """Diagonal of the canonical example ``B = diag(b0, c, ..., c)`` (exact)."""
    n = _check_n(n)
    b0 = to_fmpq("b0", b0)
    c = to_fmpq("c", c)
    if not b0 < 0:
        raise ValueError(f"b0 must be < 0, got {b0}")
    if not c > 0:
        raise ValueError(f"c must be > 0, got {c}")
    return [b0] + [c] * (n - 1)
