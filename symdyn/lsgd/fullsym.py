r"""``dim E_rob`` for a full symmetric Hessian ``B`` (not only diagonal) with exactly one negative eigenvalue.

Supported class (decided exactly over QQ, rejected with a ``ValueError`` otherwise):
``B`` a rational symmetric ``n x n`` matrix, exact inertia ``(n-1, 1, 0)``, ``eta > 0``
with ``2I - eta B`` positive definite (exact inertia), smoothing order ``p >= 1``.

**Saddle for every sigma.** ``A_sigma = I + sigma(-L)^p >= I``, so ``2A_sigma - eta B > 0``;
by Sylvester's law on the pencil ``(B, A_sigma)`` there is exactly one generalised
eigenvalue ``mu(sigma) < 0`` and the others lie in ``(0, 2/eta)``. The eigenvectors of
``A_sigma^{-1} B`` are ``A_sigma``- and ``B``-orthogonal, so
``E_s(T(sigma)) = {x : (B u(sigma))^T x = 0}`` with ``u`` the eigenvector of ``mu``.

**Exact lower bound.** Let ``f`` be the irreducible factor over QQ of ``det(tI - B)`` whose
(unique) negative root is the negative eigenvalue of ``B`` (Sturm count), and ``W`` the
smallest subspace containing ``ker f(B)`` and invariant under ``B`` and ``K = (-L)^p``
(rational Krylov closure). ``W`` and ``W^perp`` are invariant under ``B`` and every
``A_sigma`` (``B``, ``K`` symmetric), the negative direction of ``B`` lies in ``W``, so
``B`` is positive definite on ``W^perp`` (exact inertia, checked) and ``W^perp`` lies in
every ``E_s(T(sigma))``: ``dim E_rob >= n - dim W``. For a diagonal reflection-symmetric
``B`` this is the antisymmetric subspace ``S_a``; symmetries of ``L`` that commute with
``B`` (reflections, rotations, Householder maps of rational ``L``-eigenvectors) are found
this way without being named.

**Certified upper bound.** ``u(sigma) = Q y(sigma)`` lies in ``W`` (basis ``Q``), and
``y`` solves the pencil ``(Q^T B Q) y = mu (Q^T A_sigma Q) y``. For ``dim W`` distinct
rational ``sigma_i`` the code certifies (python-flint ``arb``) a bracket ``lo < mu < hi < 0``
of exact dyadic rationals by the signs of ``det(B_W - t A_W)`` (``> 0`` below ``mu``, ``< 0``
between ``mu`` and 0), encloses ``y`` with one entry fixed to 1 (the principal minor without
that index is nonsingular: the adjugate of a corank-1 symmetric matrix is ``c y y^T``), and
certifies that the determinant of the stacked ``y_i`` excludes 0, doubling the precision
until it does. Then the normals ``B u(sigma_i)`` span ``W`` and ``E_rob`` lies in ``W^perp``:
both bounds meet.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import Sequence

import numpy as np
from flint import arb, arb_mat, fmpq, fmpq_mat, fmpz_mat

from .._validation import check_int
from ._exact import _sturm_distinct, dyadic, identity, ldl_inertia, nullspace, poly_eval_matrix, to_fmpq
from .matrices import laplacian

__all__ = ["MAX_FULL_N", "MAX_ORDER", "as_exact_matrix", "check_symmetric_saddle", "negative_closure",
           "symmetric_lower_bound", "symmetric_certified_upper_bound", "symmetric_robust_dimension"]

#: Largest ``n`` for a full symmetric ``B`` (dense exact closure and dense arb pencils, ``O(n^3)`` per sigma).
MAX_FULL_N = 96
#: Largest smoothing order accepted (entries of ``(-L)^p`` grow like ``4^p``).
MAX_ORDER = 16


def _is_matrix_like(b) -> bool:
    if isinstance(b, (fmpq_mat, fmpz_mat)):
        return True
    if isinstance(b, np.ndarray):
        return b.ndim >= 2
    try:
        import sympy

        if isinstance(b, sympy.MatrixBase):
            return True
    except ImportError:  # pragma: no cover
        pass
    if isinstance(b, (list, tuple)) and b and all(isinstance(r, (list, tuple, np.ndarray)) for r in b):
        return True
    return False


def as_exact_matrix(b) -> fmpq_mat | None:
    """``b`` as an exact ``fmpq_mat`` when it is a matrix (2-D), ``None`` when it is a 1-D sequence (a diagonal).

    Accepted matrices: ``fmpq_mat``/``fmpz_mat``, ``sympy.Matrix`` of Rationals, 2-D NumPy arrays of
    integers or exact rationals, lists of equal-length rows. Floats are refused (``TypeError``).

    >>> as_exact_matrix([[-1, 1], [1, 1]])
    [-1, 1]
    [ 1, 1]
    >>> as_exact_matrix([-1, 1, 1]) is None
    True
    """
    if not _is_matrix_like(b):
        return None
    if isinstance(b, (fmpq_mat, fmpz_mat)):
        return fmpq_mat(b)
    if isinstance(b, np.ndarray):
        if b.ndim != 2:
            raise ValueError(f"B must be a 2-D matrix, got an array with {b.ndim} dimensions")
        rows = b.tolist()
    elif isinstance(b, (list, tuple)):
        rows = [list(r) for r in b]
    else:  # sympy matrix
        rows = b.tolist()
    r = len(rows)
    c = len(rows[0]) if rows else 0
    if any(len(row) != c for row in rows):
        raise ValueError("B must have rows of equal length")
    if r != c:
        raise ValueError(f"B must be square, got {r} x {c}")
    if r < 2:
        raise ValueError(f"B must be n x n with n >= 2, got n = {r}")
    if r > MAX_FULL_N:
        raise ValueError(f"B: a full symmetric matrix is supported for n <= {MAX_FULL_N} (dense exact closure "
                         f"and arb pencils), got n = {r}")
    M = fmpq_mat(r, r)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            M[i, j] = to_fmpq(f"B[{i},{j}]", v)
    return M


def _check_order(order) -> int:
    return check_int("order", order, low=1, high=MAX_ORDER)


def check_symmetric_saddle(B: fmpq_mat, eta) -> tuple[fmpq_mat, fmpq, dict]:
    """Validate the supported class exactly; return ``(B, eta, facts)`` or raise ``ValueError`` naming the parameter.

    >>> _, e, facts = check_symmetric_saddle(as_exact_matrix([[-1, 1], [1, 1]]), Fraction(1, 2))
    >>> all(facts.values())
    True
    >>> check_symmetric_saddle(as_exact_matrix([[1, 0], [0, 1]]), 1)
    Traceback (most recent call last):
    ...
    ValueError: B must have exactly one negative and no zero eigenvalue (a non-degenerate saddle); exact inertia (positive, negative, zero) = (2, 0, 0)
    """
    n = B.nrows()
    if B.ncols() != n:
        raise ValueError(f"B must be square, got {n} x {B.ncols()}")
    for i in range(n):
        for j in range(i + 1, n):
            if B[i, j] != B[j, i]:
                raise ValueError(f"B must be symmetric: B[{i},{j}] = {B[i, j]} but B[{j},{i}] = {B[j, i]}")
    e = to_fmpq("eta", eta)
    if e <= 0:
        raise ValueError(f"eta must be > 0, got {e}")
    iB = ldl_inertia(B)
    if iB.negative != 1 or iB.zero != 0:
        raise ValueError("B must have exactly one negative and no zero eigenvalue (a non-degenerate saddle); "
                         f"exact inertia (positive, negative, zero) = {tuple(iB)}")
    iS = ldl_inertia(identity(n) * 2 - B * e)
    if iS.positive != n:
        raise ValueError("eta must satisfy eta * lambda_max(B) < 2 (2I - eta B positive definite); exact inertia "
                         f"of 2I - eta B (positive, negative, zero) = {tuple(iS)}")
    facts = {"B is symmetric": True,
             "B has exactly one negative and no zero eigenvalue (exact inertia)": True,
             "2I - eta B is positive definite (exact inertia)": True,
             "-L is positive semidefinite (so A_sigma >= I for all sigma >= 0)": ldl_inertia(-laplacian(n)).negative == 0}
    return B, e, facts


def _neg_lap_power(n: int, order: int) -> fmpq_mat:
    N = -laplacian(n)
    P = N
    for _ in range(order - 1):
        P = P * N
    return P


def _columns(M: fmpq_mat) -> list:
    return [[M[i, j] for i in range(M.nrows())] for j in range(M.ncols())]


def _matvec(M: fmpq_mat, v: list) -> list:
    n = M.nrows()
    return [sum((M[i, j] * v[j] for j in range(len(v)) if v[j] != 0), fmpq(0)) for i in range(n)]


def negative_closure(B: fmpq_mat, order: int = 1) -> fmpq_mat:
    """Rational basis (columns) of the smallest ``B``- and ``(-L)^p``-invariant subspace containing ``ker f(B)``.

    ``f`` is the irreducible factor over QQ of the characteristic polynomial of ``B`` that has
    the negative eigenvalue as a root (exactly one negative eigenvalue is assumed).

    >>> negative_closure(as_exact_matrix([[-1, 0, 0], [0, 1, 0], [0, 0, 1]])).ncols()  # e_0, e_1 + e_2
    2
    """
    n = B.nrows()
    _, factors = B.charpoly().factor()
    neg = [f for f, _ in factors if _sturm_distinct(f, None, fmpq(0)) > 0]
    if len(neg) != 1:  # pragma: no cover - excluded by the exact inertia check
        raise ArithmeticError("expected exactly one irreducible factor with a negative root")
    start = _columns(nullspace(poly_eval_matrix(neg[0], B)))
    K = _neg_lap_power(n, order)
    basis: list = []   # reduced vectors
    pivots: list = []  # pivot index of each basis vector

    def reduce(v):
        v = list(v)
        for b, p in zip(basis, pivots):
            if v[p] != 0:
                f = v[p] / b[p]
                v = [x - f * y for x, y in zip(v, b)]
        return v

    queue = list(start)
    while queue and len(basis) < n:
        v = reduce(queue.pop())
        p = next((i for i, x in enumerate(v) if x != 0), None)
        if p is None:
            continue
        basis.append(v)
        pivots.append(p)
        queue.append(_matvec(B, v))
        queue.append(_matvec(K, v))
    Q = fmpq_mat(n, len(basis))
    for j, v in enumerate(basis):
        for i in range(n):
            Q[i, j] = v[i]
    return Q


def _rank(M: fmpq_mat) -> int:
    return M.rref()[1]


def symmetric_lower_bound(B, eta, order: int = 1):
    """Exact lower bound ``dim E_rob >= n - dim W`` (``W`` = :func:`negative_closure`), with its facts.

    Returns a :class:`symdyn.lsgd.robust.LowerBound` whose ``basis`` spans ``W^perp``.

    >>> lb = symmetric_lower_bound([[-1, 0, 0], [0, 1, 0], [0, 0, 1]], 1)
    >>> lb.dim, lb.holds
    (1, True)
    """
    from .robust import LowerBound

    M = as_exact_matrix(B)
    if M is None:
        raise TypeError("B must be a square matrix (fmpq_mat, sympy.Matrix, 2-D array or list of rows)")
    order = _check_order(order)
    M, e, facts = check_symmetric_saddle(M, eta)
    n = M.nrows()
    Q = negative_closure(M, order)
    m = Q.ncols()
    K = _neg_lap_power(n, order)
    P = nullspace(Q.transpose())  # W^perp
    k = P.ncols()
    facts = dict(facts)
    facts["W is invariant under B (exact rank)"] = _rank(_hstack(Q, M * Q)) == m
    facts["W is invariant under (-L)^p, hence under every A_sigma (exact rank)"] = _rank(_hstack(Q, K * Q)) == m
    iW = ldl_inertia(Q.transpose() * M * Q)
    facts["the negative direction of B lies in W (inertia of B on W is (dim W - 1, 1, 0))"] = (
        iW.negative == 1 and iW.zero == 0)
    if k:
        facts["B is positive definite on W^perp (exact inertia)"] = ldl_inertia(P.transpose() * M * P).positive == k
    holds = all(facts.values())
    return LowerBound(n=n, dim=k if holds else 0, basis=P if holds else fmpq_mat(n, 0), facts=facts, holds=holds)


def _hstack(A: fmpq_mat, C: fmpq_mat) -> fmpq_mat:
    n = A.nrows()
    out = fmpq_mat(n, A.ncols() + C.ncols())
    for i in range(n):
        for j in range(A.ncols()):
            out[i, j] = A[i, j]
        for j in range(C.ncols()):
            out[i, A.ncols() + j] = C[i, j]
    return out


class _DensePencil:
    """Pencil ``B_W - mu (G + sigma K_W)`` on ``W``: exact data, float start, certified arb enclosures."""

    def __init__(self, BW: fmpq_mat, G: fmpq_mat, KW: fmpq_mat):
        self.BW, self.G, self.KW = BW, G, KW
        self.m = BW.nrows()
        self.Bf = np.array([[float(BW[i, j]) for j in range(self.m)] for i in range(self.m)])
        self.Gf = np.array([[float(G[i, j]) for j in range(self.m)] for i in range(self.m)])
        self.Kf = np.array([[float(KW[i, j]) for j in range(self.m)] for i in range(self.m)])

    def _start(self, sigma: fmpq):
        from scipy.linalg import eigh

        w, V = eigh(self.Bf, self.Gf + float(sigma) * self.Kf)
        return float(w[0]), V[:, 0] / np.max(np.abs(V[:, 0]))

    def _refine(self, Ba, Aa, mu, y, prec):
        """Rayleigh-quotient iteration at the working precision (a guess only; certification follows)."""
        tol = arb(2) ** (-(prec - 12))
        for _ in range(40):
            Mm = (Ba - Aa * mu).mid()
            z = Mm.solve((Aa * y).mid(), nonstop=True)
            if not all(z[i, 0].is_finite() for i in range(self.m)):
                break
            big = max(range(self.m), key=lambda i: abs(float(z[i, 0].mid())))
            z = (z * (1 / z[big, 0])).mid()
            zt = z.transpose()
            new = ((zt * Ba * z)[0, 0] / (zt * Aa * z)[0, 0]).mid()
            if not new.is_finite():
                break
            done = abs(new - mu) <= abs(mu) * tol
            mu, y = new, z
            if done:
                break
        return mu, y

    def eigvec(self, sigma: fmpq, prec: int):
        """``(ball for mu, enclosure of y as a list of arb, exact bracket)`` or ``None`` if not certified."""
        m = self.m
        A = self.G + self.KW * sigma
        Ba, Aa = arb_mat(self.BW), arb_mat(A)
        mu0, y0 = self._start(sigma)
        mu, y = self._refine(Ba, Aa, arb(mu0), arb_mat(m, 1, [float(v) for v in y0]), prec)
        if not (mu.is_finite() and mu < 0):
            mu = arb(mu0)
        delta = (abs(mu) * arb(2) ** (-(prec - 16))).mid()
        for _ in range(60):
            lo, hi = dyadic(mu - delta), dyadic(mu + delta)
            if hi < 0:
                dlo = arb_mat(self.BW - A * lo).det()
                dhi = arb_mat(self.BW - A * hi).det()
                if dlo > 0 and dhi < 0:
                    break
            delta = (delta * 4).mid()
        else:
            return None
        ball = arb(lo).union(arb(hi))
        Mb = Ba - Aa * ball
        i0 = max(range(m), key=lambda i: abs(float(y[i, 0].mid())))
        rest = [i for i in range(m) if i != i0]
        if not rest:
            return ball, [arb(1)], (lo, hi)
        Mr = arb_mat(m - 1, m - 1, [Mb[i, j] for i in rest for j in rest])
        rhs = arb_mat(m - 1, 1, [-Mb[i, i0] for i in rest])
        try:
            z = Mr.solve(rhs)
        except ZeroDivisionError:
            return None
        vec = [arb(0)] * m
        vec[i0] = arb(1)
        for k, i in enumerate(rest):
            vec[i] = z[k, 0]
        return ball, vec, (lo, hi)


def symmetric_certified_upper_bound(B, eta, sigmas: Sequence | None = None, order: int = 1,
                                    start_prec: int = 64, max_prec: int = 4096):
    """Interval-certified rank ``dim W`` of the normals ``B u(sigma_i)``: ``dim E_rob <= n - dim W``.

    Parameters
    ----------
    B : rational symmetric matrix in the supported class (see the module docstring)
    eta : exact rational, ``2I - eta B`` positive definite
    sigmas : ``dim W`` (or more; the first ``dim W`` are used) distinct positive rationals;
        default ``i/4``
    order : smoothing order ``p``, ``1 <= p <= MAX_ORDER``
    start_prec, max_prec : working precision in bits, doubled until certified

    Returns a :class:`symdyn.lsgd.robust.UpperBound` (``level='certified'``; ``rank = 0`` and
    the trivial bound ``dim = n`` if certification failed up to ``max_prec``).

    >>> ub = symmetric_certified_upper_bound([[-1, 1], [1, 1]], Fraction(1, 2))
    >>> ub.rank, ub.dim, ub.level
    (2, 0, 'certified')
    """
    from .robust import UpperBound, _check_sigmas, default_sigmas, stacked_eigenvector_rank

    t0 = time.perf_counter()
    M = as_exact_matrix(B)
    if M is None:
        raise TypeError("B must be a square matrix (fmpq_mat, sympy.Matrix, 2-D array or list of rows)")
    order = _check_order(order)
    start_prec = check_int("start_prec", start_prec, low=16, high=1 << 16)
    max_prec = check_int("max_prec", max_prec, low=start_prec, high=1 << 16)
    M, e, facts = check_symmetric_saddle(M, eta)
    n = M.nrows()
    Q = negative_closure(M, order)
    target = Q.ncols()
    if sigmas is None:
        sigmas = default_sigmas(target)
    sig = _check_sigmas(sigmas)
    if len(sig) < target:
        raise ValueError(f"sigmas: need at least dim W = {target} values for rank {target}, got {len(sig)}")
    sig = sig[:target]
    K = _neg_lap_power(n, order)
    Qt = Q.transpose()
    pencil = _DensePencil(Qt * M * Q, Qt * Q, Qt * K * Q)
    rank, used, det_str = stacked_eigenvector_rank(pencil, sig, start_prec, max_prec)
    facts = dict(facts)
    facts[f"det of the {target} stacked eigenvectors (coordinates in W) excludes 0"] = rank == target
    return UpperBound(n=n, dim=n - rank if rank else n, rank=rank, target_rank=target,
                      sigmas=[Fraction(int(s.p), int(s.q)) for s in sig], method="certified-symmetric",
                      level="certified", precision=used, det_enclosure=det_str, facts=facts,
                      seconds=time.perf_counter() - t0)


def symmetric_robust_dimension(B, eta, sigmas: Sequence | None = None, order: int = 1, **kwargs):
    """Exact lower and certified upper bound on ``dim E_rob`` for a full symmetric ``B``.

    ``expected`` of the result is ``None``: there is no closed-form claim outside the canonical class.

    >>> r = symmetric_robust_dimension([[-1, 1], [1, 1]], Fraction(1, 2))
    >>> r.lower.dim, r.upper.dim, r.dim, r.level
    (0, 0, 0, 'certified')
    """
    from .robust import RobustResult

    lb = symmetric_lower_bound(B, eta, order)
    ub = symmetric_certified_upper_bound(B, eta, sigmas, order, **kwargs)
    return RobustResult(n=lb.n, lower=lb, upper=ub, expected=None)
