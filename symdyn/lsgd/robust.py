r"""The sigma-robust attraction region ``E_rob = \bigcap_{sigma >= 0} E_s(T(sigma))``.

Computer-assisted proof of ``dim E_rob = floor((n-1)/2)`` on the canonical class
(``B = diag(b)``, exactly one negative entry ``b_0``, ``b_j = b_{-j}``,
``eta max b < 2``):

**Saddle structure for every sigma** (exact facts): ``B`` has one negative and
no zero eigenvalue; ``2I - eta B`` is positive definite; ``-L`` is positive
semidefinite, hence ``A_sigma = I + sigma(-L)^p >= I`` and
``2A_sigma - eta B > 0`` for every ``sigma >= 0``. By Sylvester's law on the
pencils ``B - tA``, ``T(sigma)`` has exactly one eigenvalue ``1 - eta mu > 1``
(``mu < 0``) and ``n - 1`` in ``(-1, 1)``; so
``E_s(T(sigma)) = {x : (B u(sigma))^T x = 0}`` with ``u`` the eigenvector of ``mu``.

**Lower bound** (exact): the reflection ``R`` commutes with ``B`` and ``L``
(hence with every ``A_sigma``); the antisymmetric subspace ``S_a`` (rational
basis ``e_j - e_{n-j}``) is invariant; ``B`` and ``2I - eta B`` are positive
definite on ``S_a`` (exact inertia). Then on ``S_a`` every generalized
eigenvalue of ``(B, A_sigma)`` lies in ``(0, 2/eta)`` for **every** ``sigma >= 0``:
``S_a`` is in every ``E_s(T(sigma))``.

**Upper bound**: ``u(sigma)`` lies in the symmetric subspace ``S_s``
(``m = floor(n/2)+1``); if the normals ``B u(sigma_i)`` span ``S_s`` then
``E_rob`` is inside ``S_s^perp = S_a``. Two ways to show the span:

* :func:`structural_upper_bound` — for ``B = diag(b_0, c, ..., c)``, a symbolic
  argument valid for every ``n`` and every ``m`` distinct ``sigma_i > 0``
  (Cauchy matrix with distinct poles; see its docstring);
* :func:`certified_upper_bound` — for any canonical (or any diagonal) ``B``:
  certified enclosures (python-flint ``arb``) of ``mu(sigma_i)`` (a bracket
  whose sign change is certified) and of ``u(sigma_i)``, and a determinant
  enclosure excluding 0, with precision doubled until it does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np
from flint import arb, arb_mat, ctx, fmpq, fmpq_mat

from ._exact import diag, diagonal_inertia, dyadic, identity, sparse_inertia, to_fmpq
from .matrices import antisymmetric_basis, check_diagonal, laplacian, laplacian_rows, symmetric_basis

__all__ = [
    "LowerBound",
    "UpperBound",
    "RobustResult",
    "saddle_facts",
    "robust_lower_bound",
    "structural_upper_bound",
    "certified_upper_bound",
    "robust_dimension",
    "default_sigmas",
    "is_reflection_symmetric",
    "certified_stable_normal",
]


# --------------------------------------------------------------------------- helpers
def _order(order) -> int:
    from .._validation import check_int

    return check_int("order", order, low=1, high=16)


def _diagonal(b) -> list:
    """The exact diagonal; a 2-D input is refused (never flattened into a diagonal)."""
    from .fullsym import _is_matrix_like

    if _is_matrix_like(b):
        raise TypeError("b must be the diagonal of B (a 1-D sequence); for a full symmetric matrix use "
                        "robust_dimension or symdyn.lsgd.fullsym")
    return check_diagonal(b, exact=True)


def _eta(eta) -> fmpq:
    e = to_fmpq("eta", eta)
    if e <= 0:
        raise ValueError(f"eta must be > 0, got {e}")
    return e


def _neg_index(b) -> int:
    return next(i for i, v in enumerate(b) if v < 0)


def _rotate(b, i0):
    """Rotate so that the negative entry is at index 0 (A_sigma is circulant: dims unchanged)."""
    return list(b[i0:]) + list(b[:i0])


def is_reflection_symmetric(b) -> bool:
    """``b_{i0 + j} == b_{i0 - j}`` for all ``j`` (reflection about the negative index ``i0``).

    >>> is_reflection_symmetric([-1, 2, 3, 2])
    True
    >>> is_reflection_symmetric([2, -1, 3, 5])
    False
    """
    vals = check_diagonal(b, exact=True)
    n = len(vals)
    i0 = _neg_index(vals)
    return all(vals[(i0 + j) % n] == vals[(i0 - j) % n] for j in range(n))


def default_sigmas(count: int) -> list[Fraction]:
    """``sigma_i = i/4``, ``i = 1..count`` (distinct positive rationals)."""
    return [Fraction(i, 4) for i in range(1, count + 1)]


def _check_sigmas(sigmas) -> list[fmpq]:
    out = [to_fmpq(f"sigmas[{i}]", s) for i, s in enumerate(sigmas)]
    for i, s in enumerate(out):
        if s <= 0:
            raise ValueError(f"sigmas[{i}] must be > 0, got {s}")
    if len(set(out)) != len(out):
        raise ValueError("sigmas must be distinct")
    return out


def _neg_lap_power(n: int, order: int) -> fmpq_mat:
    N = -laplacian(n)
    P = N
    for _ in range(order - 1):
        P = P * N
    return P


# --------------------------------------------------------------------------- saddle
def saddle_facts(b, eta, order: int = 1) -> dict:
    """Exact facts making ``T(sigma)`` a saddle with one unstable direction for every ``sigma >= 0``.

    Returns a dict of named booleans; all must hold. Raises ``ValueError`` if
    ``b`` has no negative entry (no saddle) or ``eta max b >= 2`` (outside the
    stability range).

    >>> all(saddle_facts([-1, 1, 1], 1).values())
    True
    >>> saddle_facts([-1, 1, 1], 2)
    Traceback (most recent call last):
    ...
    ValueError: eta must satisfy eta * max(b) < 2 (stability range of the positive directions), got eta * max(b) = 2
    """
    vals = _diagonal(b)
    order = _order(order)
    e = _eta(eta)
    n = len(vals)
    if e * max(vals) >= 2:
        raise ValueError(
            f"eta must satisfy eta * max(b) < 2 (stability range of the positive directions), "
            f"got eta * max(b) = {e * max(vals)}"
        )
    iB = diagonal_inertia(vals)
    iL = sparse_inertia([{j: -v for j, v in r.items()} for r in laplacian_rows(n)])
    iS = diagonal_inertia([2 - e * v for v in vals])
    return {
        "B has exactly one negative and no zero eigenvalue": iB.negative == 1 and iB.zero == 0,
        "-L is positive semidefinite (so A_sigma >= I for all sigma >= 0)": iL.negative == 0,
        "2I - eta B is positive definite": iS.positive == n,
    }


# --------------------------------------------------------------------------- lower bound
@dataclass
class LowerBound:
    """Exact lower bound: an invariant rational subspace stable for every ``sigma >= 0``."""

    n: int
    dim: int
    basis: fmpq_mat
    facts: dict
    holds: bool


def robust_lower_bound(b, eta, order: int = 1) -> LowerBound:
    """Exact proof that the antisymmetric subspace lies in ``E_s(T(sigma))`` for every ``sigma >= 0``.

    If any fact fails (e.g. ``b`` is not reflection-symmetric) the bound
    degrades to the trivial ``dim >= 0`` and ``holds`` is False.

    >>> lb = robust_lower_bound([-1, 1, 1, 1, 1], 1)
    >>> lb.dim, lb.holds
    (2, True)
    """
    vals = _diagonal(b)
    order = _order(order)
    e = _eta(eta)
    n = len(vals)
    i0 = _neg_index(vals)
    vals = _rotate(vals, i0)
    Lr = laplacian_rows(n)
    Qa = antisymmetric_basis(n)
    k = Qa.ncols()
    facts = dict(saddle_facts(vals, e, order))
    # R is the permutation j -> -j: R B R = B and R L R = L entrywise (exact)
    facts["R B = B R"] = all(vals[j] == vals[(-j) % n] for j in range(n))
    facts["R L = L R (so R commutes with every A_sigma)"] = all(
        Lr[(-i) % n].get((-j) % n) == v for i in range(n) for j, v in Lr[i].items()
    )
    if k:
        # Q_a^T B Q_a and Q_a^T (2I - eta B) Q_a are diagonal: entries b_j + b_{n-j}
        Ba = [vals[j] + vals[n - j] for j in range(1, k + 1)]
        Sa = [(2 - e * vals[j]) + (2 - e * vals[n - j]) for j in range(1, k + 1)]
        facts["B positive definite on S_a"] = diagonal_inertia(Ba).positive == k
        facts["2I - eta B positive definite on S_a"] = diagonal_inertia(Sa).positive == k
    holds = all(facts.values())
    if i0:  # back to the original coordinates: vectors antisymmetric about i0
        P = fmpq_mat(n, k)
        for r in range(n):
            for c in range(k):
                P[(r + i0) % n, c] = Qa[r, c]
        Qa = P
    return LowerBound(n=n, dim=k if holds else 0, basis=Qa if holds else fmpq_mat(n, 0), facts=facts, holds=holds)


# --------------------------------------------------------------------------- upper bounds
@dataclass
class UpperBound:
    """Upper bound ``dim E_rob <= n - rank`` with the evidence."""

    n: int
    dim: int                      # the bound n - certified rank
    rank: int                     # certified rank of the normals B u(sigma_i)
    target_rank: int              # rank needed for the tight bound
    sigmas: list
    method: str                   # 'structural' | 'certified'
    level: str                    # 'proved' | 'certified'
    precision: int = 0            # bits used (certified route)
    det_enclosure: str = ""
    facts: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def certified(self) -> bool:
        return self.rank == self.target_rank


def structural_upper_bound(b, eta, sigmas: Sequence | None = None, order: int = 1) -> UpperBound:
    r"""Symbolic upper bound for ``B = diag(b_0, c, ..., c)`` (``b_0 < 0 < c``), valid for every ``n``.

    Argument. Let ``phi_k`` (``k = 0..m-1``, ``m = floor(n/2)+1``) be the
    orthonormal cosine basis of ``S_s``; ``A_sigma phi_k = a_k phi_k`` with
    ``a_k = 1 + sigma s_k``, ``s_k = (4 sin^2(pi k/n))^p`` strictly increasing
    in ``k`` (``sin^2`` increases on ``[0, pi/2]``). Since
    ``B = cI + (b_0 - c) e_0 e_0^T``, ``(B - mu A)u = 0`` gives
    ``(cI - mu A) u = (c - b_0) u_0 e_0`` with ``cI - mu A > 0`` (``mu < 0``), so
    ``u_0 != 0`` and ``u ∝ sum_k phi_k(0) / (c - mu a_k) phi_k``, all
    ``phi_k(0) != 0``. Write ``c - mu a_k = -mu sigma (s_k - t)`` with
    ``t = (c - mu)/(mu sigma) < 0``. The coefficient matrix of
    ``u(sigma_1..m)`` is a row/column rescaling of the Cauchy matrix
    ``1/(s_k - t_i)``, nonsingular iff the ``s_k`` are distinct, the ``t_i``
    are distinct and ``s_k != t_i`` (true: ``t_i < 0 <= s_k``). The ``e_0``
    component gives the secular equation ``mu sigma = -(c - b_0) g(t)``,
    ``g(t) = sum_k phi_k(0)^2/(s_k - t)``, and ``mu = c + t (c - b_0) g(t)``;
    hence ``sigma = -(c-b_0) g(t) / (c + t (c-b_0) g(t))`` is a function of
    ``t``: distinct ``sigma_i`` give distinct ``t_i``. So the normals
    ``B u(sigma_i)`` (``B`` invertible) span ``S_s`` for **any** ``m`` distinct
    ``sigma_i > 0``, and ``E_rob`` is inside ``S_a``.

    The function checks the hypotheses exactly and returns the bound.

    >>> ub = structural_upper_bound([-1, 1, 1, 1, 1], 1)
    >>> ub.dim, ub.rank, ub.level
    (2, 3, 'proved')
    """
    t0 = time.perf_counter()
    vals = _diagonal(b)
    order = _order(order)
    e = _eta(eta)
    n = len(vals)
    m = n // 2 + 1
    if sigmas is None:
        sigmas = default_sigmas(m)
    sig = _check_sigmas(sigmas)
    i0 = _neg_index(vals)
    vals = _rotate(vals, i0)
    c = vals[1]
    facts = dict(saddle_facts(vals, e, order))
    facts["B = diag(b0, c, ..., c) with b0 < 0 < c"] = vals[0] < 0 < c and all(v == c for v in vals[1:])
    facts["at least m = floor(n/2)+1 distinct sigma_i > 0"] = len(sig) >= m
    ok = all(facts.values())
    if not ok:
        bad = [k for k, v in facts.items() if not v]
        raise ValueError(f"structural_upper_bound hypotheses fail: {bad}")
    return UpperBound(n=n, dim=n - m, rank=m, target_rank=m, sigmas=[Fraction(int(s.p), int(s.q)) for s in sig[:m]],
                      method="structural", level="proved", facts=facts, seconds=time.perf_counter() - t0)


# ---- certified route -------------------------------------------------------------
class _Pencil:
    """Pencil ``D - mu (G + sigma K)`` (D diagonal, D[0] < 0 < D[1:], G diagonal > 0, K >= 0), exact data.

    Index 0 carries the negative entry; the trailing block (indices ``1..m-1``)
    is banded with bandwidth ``bw`` (tridiagonal for ``p = 1``), row/column 0
    may be dense (the cyclic Laplacian couples 0 with ``n-1``).
    """

    def __init__(self, d: list, G: fmpq_mat, K: fmpq_mat):
        self.d, self.G, self.K = d, G, K
        self.m = m = len(d)
        self.bw = max([abs(i - j) for i in range(1, m) for j in range(1, m) if K[i, j] != 0] + [0])
        self.Kf = np.array([[float(K[i, j]) for j in range(m)] for i in range(m)])
        self.Gf = np.array([float(G[i, i]) for i in range(m)])
        self.df = np.array([float(v) for v in d])

    def mu_float(self, sigma: fmpq) -> float:
        """Float estimate of the negative generalized eigenvalue (a starting point only)."""
        from scipy.linalg import eigh

        A = np.diag(self.Gf) + float(sigma) * self.Kf
        w = eigh(np.diag(self.df), A, eigvals_only=True)
        return float(w[0])

    def arb_data(self, sigma: fmpq):
        """Enclosures of ``D``, the band of ``A_rr``, ``A_r0`` and ``A_00`` at the current precision."""
        m, bw = self.m, self.bw
        s = arb(sigma)
        K, G = self.K, self.G

        def entry(i, j):
            v = K[i, j]
            a = s * arb(v) if v != 0 else arb(0)
            if i == j:
                a = a + arb(G[i, i])
            return a

        band = {}
        for i in range(1, m):
            for j in range(max(1, i - bw), min(m, i + bw + 1)):
                band[(i - 1, j - 1)] = entry(i, j)
        a_r = [entry(i, 0) for i in range(1, m)]
        return [arb(v) for v in self.d], band, a_r, entry(0, 0)

    def _solve(self, d, band, mu, rhs):
        """Solve ``(D_r - mu A_rr) z = rhs`` (banded elimination without pivoting).

        ``D_r - mu A_rr`` is positive definite for ``mu < 0``, so elimination
        without pivoting is valid; arb propagates all rounding rigorously.
        """
        r, bw = self.m - 1, self.bw
        M = {}
        for (i, j), a in band.items():
            v = -mu * a
            if i == j:
                v = v + d[i + 1]
            M[(i, j)] = v
        x = list(rhs)
        for k in range(r):
            piv = M[(k, k)]
            for i in range(k + 1, min(r, k + bw + 1)):
                f = M.get((i, k))
                if f is None:
                    continue
                f = f / piv
                for j in range(k + 1, min(r, k + bw + 1)):
                    if (k, j) in M:
                        M[(i, j)] = M.get((i, j), arb(0)) - f * M[(k, j)]
                x[i] = x[i] - f * x[k]
        for k in range(r - 1, -1, -1):
            acc = x[k]
            for j in range(k + 1, min(r, k + bw + 1)):
                if (k, j) in M:
                    acc = acc - M[(k, j)] * x[j]
            x[k] = acc / M[(k, k)]
        return x

    def _mul_rr(self, band, z):
        out = [arb(0)] * (self.m - 1)
        for (i, j), a in band.items():
            out[i] = out[i] + a * z[j]
        return out

    @staticmethod
    def _dot(u, v):
        acc = arb(0)
        for a, b in zip(u, v):
            acc = acc + a * b
        return acc

    def secular(self, data, mu, derivative=False):
        """Schur complement ``f(mu) = d0 - mu A00 - mu^2 A_0r z``, ``z = (D_r - mu A_rr)^{-1} A_r0``.

        For ``mu < 0`` the trailing block is positive definite, so ``f(mu) = 0``
        iff ``mu`` is a generalized eigenvalue.
        """
        d, band, a_r, a00 = data
        z = self._solve(d, band, mu, a_r)
        a0z = self._dot(a_r, z)
        f = d[0] - mu * a00 - mu * mu * a0z
        if not derivative:
            return f, z
        w = self._solve(d, band, mu, self._mul_rr(band, z))
        fp = -a00 - 2 * mu * a0z - mu * mu * self._dot(a_r, w)
        return f, z, fp

    def eigvec(self, sigma: fmpq, prec: int):
        """Certified ball for ``mu(sigma)``, the eigenvector ``y = [1; mu z]`` and the exact bracket."""
        data = self.arb_data(sigma)
        mu = arb(self.mu_float(sigma))
        tol = arb(2) ** (-(prec - 8))
        for _ in range(100):  # Newton on exact dyadic points
            f, _, fp = self.secular(data, mu, derivative=True)
            step = (f / fp).mid()
            mu = (mu - step).mid()
            if abs(step) <= abs(mu) * tol:
                break
        delta = (abs(mu) * arb(2) ** (-(prec - 16))).mid()
        for _ in range(60):
            lo, hi = (mu - delta).mid(), (mu + delta).mid()
            flo, _ = self.secular(data, lo)
            fhi, _ = self.secular(data, hi)
            if hi < 0 and ((flo > 0 and fhi < 0) or (flo < 0 and fhi > 0)):
                break
            delta = (delta * 4).mid()
        else:
            return None
        ball = lo.union(hi)
        _, z = self.secular(data, ball)
        y = [arb(1)] + [ball * zi for zi in z]
        return ball, y, (dyadic(lo), dyadic(hi))


def _symmetric_pencil(vals: list, order: int) -> _Pencil:
    n = len(vals)
    Qs = symmetric_basis(n)
    m = Qs.ncols()
    Bs = Qs.transpose() * diag(vals) * Qs
    G = Qs.transpose() * Qs
    K = Qs.transpose() * _neg_lap_power(n, order) * Qs
    return _Pencil([Bs[i, i] for i in range(m)], G, K)


def _full_pencil(vals: list, order: int) -> _Pencil:
    n = len(vals)
    return _Pencil(list(vals), identity(n), _neg_lap_power(n, order))



def stacked_eigenvector_rank(pencil, sigmas, start_prec: int, max_prec: int) -> tuple:
    """Certify that the unstable eigenvectors of ``pencil`` at ``sigmas`` are independent.

    Doubles the ball precision from ``start_prec`` until the determinant of the
    stacked eigenvector enclosures excludes 0 (or ``max_prec`` is passed).

    Returns
    -------
    (rank, precision_used, det_enclosure) : rank is ``len(sigmas)`` when certified, else 0.
    """
    target = len(sigmas)
    old, prec, rank, det_str = ctx.prec, start_prec, 0, ""
    try:
        while prec <= max_prec:
            ctx.prec = prec
            cols = []
            for s in sigmas:
                r = pencil.eigvec(s, prec)
                if r is None:
                    break
                cols.append(r[1])
            if len(cols) == target:
                det = arb_mat(target, target, [cols[j][i] for i in range(target) for j in range(target)]).det()
                det_str = det.str(5, radius=True)
                if not det.contains(0):
                    rank = target
                    break
            prec *= 2
    finally:
        used = min(prec, max_prec)
        ctx.prec = old
    return rank, used, det_str


def certified_upper_bound(b, eta, sigmas: Sequence | None = None, order: int = 1,
                          block: str = "auto", start_prec: int = 64, max_prec: int = 1 << 14) -> UpperBound:
    """Interval-certified rank of the normals ``B u(sigma_i)`` (python-flint arb).

    Parameters
    ----------
    b : diagonal of B (exact rationals, exactly one negative entry)
    eta : rational, ``eta max b < 2``
    sigmas : distinct positive rationals; default ``i/4`` for ``i = 1..target``
    block : 'symmetric' (work in ``S_s``, requires reflection symmetry, target
        rank ``floor(n/2)+1``), 'full' (target rank ``n``) or 'auto'.
    start_prec, max_prec : working precision in bits, doubled until the
        determinant enclosure excludes 0.

    For each ``sigma_i``: a float estimate of ``mu`` is refined by Newton
    steps on the secular function (Schur complement of the positive-definite
    block), then a bracket ``[lo, hi]`` of exact dyadic rationals with
    certified opposite signs is found — since the negative generalized
    eigenvalue is unique (exact inertia), ``mu`` lies in it. The eigenvector
    ``y = [1; mu (D_r - mu A_rr)^{-1} A_r0]`` is enclosed by evaluating at the
    ball ``[lo, hi]``; the determinant of the stacked ``y`` excluding 0
    certifies full rank (``y`` and ``B u`` have the same rank: ``B``
    invertible, basis injective).

    >>> ub = certified_upper_bound([-1, 2, 3, 2], Fraction(1, 2))
    >>> ub.rank, ub.target_rank, ub.level
    (3, 3, 'certified')
    """
    t0 = time.perf_counter()
    vals = _diagonal(b)
    order = _order(order)
    e = _eta(eta)
    facts = dict(saddle_facts(vals, e, order))
    n = len(vals)
    i0 = _neg_index(vals)
    vals = _rotate(vals, i0)
    sym = all(vals[j] == vals[(-j) % n] for j in range(n))
    if block not in ("auto", "symmetric", "full"):
        raise ValueError(f"block must be 'auto', 'symmetric' or 'full', got {block!r}")
    if block == "auto":
        block = "symmetric" if sym else "full"
    if block == "symmetric" and not sym:
        raise ValueError("block='symmetric' requires b reflection-symmetric about its negative entry")
    pencil = _symmetric_pencil(vals, order) if block == "symmetric" else _full_pencil(vals, order)
    target = pencil.m
    if sigmas is None:
        sigmas = default_sigmas(target)
    sig = _check_sigmas(sigmas)
    if len(sig) < target:
        raise ValueError(f"need at least {target} sigmas for rank {target}, got {len(sig)}")
    sig = sig[:target]
    rank, used, det_str = stacked_eigenvector_rank(pencil, sig, start_prec, max_prec)
    facts[f"det of the {target} stacked eigenvectors excludes 0"] = rank == target
    return UpperBound(n=n, dim=n - rank if rank else n, rank=rank, target_rank=target,
                      sigmas=[Fraction(int(s.p), int(s.q)) for s in sig], method="certified",
                      level="certified", precision=used, det_enclosure=det_str, facts=facts,
                      seconds=time.perf_counter() - t0)


# --------------------------------------------------------------------------- combined
@dataclass
class RobustResult:
    """``lower <= dim E_rob <= upper`` with evidence; ``exact`` when they meet."""

    n: int
    lower: LowerBound
    upper: UpperBound
    expected: int

    @property
    def dim(self) -> int | None:
        return self.lower.dim if self.lower.dim == self.upper.dim else None

    @property
    def level(self) -> str:
        return self.upper.level

    @property
    def proved(self) -> bool:
        return self.dim is not None


def robust_dimension(b, eta, sigmas: Sequence | None = None, order: int = 1, method: str = "auto",
                     **kwargs) -> RobustResult:
    """Lower and upper bounds on ``dim E_rob``; equal bounds prove the dimension.

    Parameters
    ----------
    b : diagonal of ``B`` (1-D sequence of exact rationals), or a full symmetric rational matrix
        (``fmpq_mat``, ``sympy.Matrix``, 2-D array, list of rows) with exactly one negative
        eigenvalue -- then :func:`symdyn.lsgd.fullsym.symmetric_robust_dimension` is used
        (exact closure lower bound, certified upper bound; ``method`` must be 'auto' or 'certified').
        A matrix is never flattened into a diagonal.
    order : smoothing order ``p``, a positive int
    method : 'structural' (``B = diag(b0, c..c)`` only), 'certified', or 'auto'
        (structural when applicable, else certified).

    >>> r = robust_dimension([-1, 1, 1, 1, 1, 1], 1)
    >>> r.lower.dim, r.upper.dim, r.dim, r.level
    (2, 2, 2, 'proved')
    """
    from .fullsym import as_exact_matrix, symmetric_robust_dimension

    order = _order(order)
    if method not in ("auto", "structural", "certified"):
        raise ValueError(f"method must be 'auto', 'structural' or 'certified', got {method!r}")
    M = as_exact_matrix(b)
    if M is not None:
        if method == "structural":
            raise ValueError("method='structural' needs a diagonal B = diag(b0, c, ..., c); got a full matrix")
        return symmetric_robust_dimension(M, eta, sigmas, order, **kwargs)
    vals = check_diagonal(b, exact=True)
    n = len(vals)
    lb = robust_lower_bound(vals, eta, order)
    rot = _rotate(vals, _neg_index(vals))
    constant = all(v == rot[1] for v in rot[1:])
    if method not in ("auto", "structural", "certified"):
        raise ValueError(f"method must be 'auto', 'structural' or 'certified', got {method!r}")
    if method == "structural" or (method == "auto" and constant):
        ub = structural_upper_bound(vals, eta, sigmas, order)
    else:
        ub = certified_upper_bound(vals, eta, sigmas, order, **kwargs)
    return RobustResult(n=n, lower=lb, upper=ub, expected=(n - 1) // 2)


def certified_stable_normal(b, eta, sigma, order: int = 1, prec: int = 128):
    """Certified enclosure of ``E_s(T(sigma)) = {x : w^T x = 0}``, ``w = B u(sigma)``.

    For the canonical saddle structure (one negative entry, ``eta max b < 2``)
    the stable subspace of a fixed ``T(sigma)`` is a hyperplane whose normal is
    generally irrational; this returns arb enclosures of ``w`` (normalised
    with ``w_{i0} = b_{i0}`` at the negative index ``i0``) and of the unstable
    generalized eigenvalue ``mu`` (``T`` has eigenvalue ``1 - eta mu > 1``).

    >>> from fractions import Fraction
    >>> w, mu = certified_stable_normal([-1, 1, 1], 1, Fraction(1, 2))
    >>> mu < 0 and len(w) == 3
    True
    """
    vals = _diagonal(b)
    order = _order(order)
    e = _eta(eta)
    s = to_fmpq("sigma", sigma)
    if s < 0:
        raise ValueError(f"sigma must be >= 0, got {s}")
    if not all(saddle_facts(vals, e, order).values()):  # pragma: no cover - raises before
        raise ValueError("saddle facts fail")
    n = len(vals)
    i0 = _neg_index(vals)
    rot = _rotate(vals, i0)
    old = ctx.prec
    try:
        ctx.prec = prec
        if s == 0:
            y = [arb(1)] + [arb(0)] * (n - 1)
            mu = arb(rot[0])
        else:
            res = _full_pencil(rot, order).eigvec(s, prec)
            if res is None:
                raise ArithmeticError("could not certify the unstable eigenvalue; raise prec")
            mu, y, _ = res
        w_rot = [arb(rot[k]) * y[k] for k in range(n)]
        w = [w_rot[(i - i0) % n] for i in range(n)]
    finally:
        ctx.prec = old
    return w, mu
