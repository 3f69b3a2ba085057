r"""Symbolic proof of the ``floor((n-1)/2)`` bound for every ``n`` and every diagonal profile.

Theorem. Let ``B = diag(b)`` with exactly one negative entry ``b_0`` (rotate it
to index 0), all other ``b_j > 0``, ``A_sigma = I - sigma L`` (order ``p = 1``)
and ``0 < eta max b < 2``. Then

(i)  ``dim E_rob <= floor((n-1)/2)`` (whole diagonal class), and
(ii) if ``b_j = b_{-j}`` for all ``j``, ``dim E_rob = floor((n-1)/2)``,
     ``E_rob = S_a`` (the antisymmetric modes).

Proof.

1. *Saddle for every sigma* (Sylvester): ``A_sigma^{-1} B`` is similar to
   ``A^{-1/2} B A^{-1/2}``, congruent to ``B``: exactly one negative
   eigenvalue ``mu(sigma)``, the others in ``(0, 2/eta)`` because
   ``2 A_sigma - eta B >= 2I - eta B > 0``. So ``E_s(T(sigma))`` is the
   hyperplane ``{x : w(sigma)^T x = 0}``, ``w = B u`` (generalised
   eigenvectors are ``A``- and ``B``-orthogonal).
2. *Analyticity and span*: ``mu(sigma)`` is simple and isolated from the
   positive spectrum for every ``sigma >= 0``, so its Riesz projection
   ``P(sigma)`` is real-analytic on a neighbourhood of ``[0, inf)`` and
   ``B P(sigma) = w(sigma) v(sigma)^T`` with ``v(0) = e_0``. A vector ``y`` lies in
   ``E_rob`` iff ``y^T B P(sigma) = 0`` for all ``sigma >= 0`` iff (identity
   theorem) ``y^T w(sigma) = 0`` near 0 iff ``y`` is orthogonal to every
   Taylor coefficient ``w_k = B u_k`` of ``w`` at 0 (normalised ``u_0(sigma)=1``).
   Hence ``dim E_rob = n - rank{w_k : k >= 0}``.
3. *Recurrence* (:func:`recurrence_lemma`, derived by SymPy from the series).
4. *Support and leading entries* (:func:`induction_step_lemma`, verified by
   SymPy on the generic window; the stencil of ``K = -L`` is shift invariant so
   the window is the step for every ``k``): for ``1 <= k <= floor(n/2)``,
   ``supp u_k ⊆ {-k, ..., k}`` and, while ``k <= floor((n-1)/2)``,
   ``u_k[±k] = prod_{i=1}^k (-b_0)/(b_{±i} - b_0) > 0``; for even ``n`` and
   ``k = n/2``, ``u_k[n/2] = (-b_0)(u_{k-1}[k-1] + u_{k-1}[-(k-1)])/(b_{n/2} - b_0) > 0``.
5. *Triangularity*: in the coordinates ``0, 1, ..., floor(n/2)`` the vectors
   ``w_0, ..., w_{floor(n/2)}`` are triangular with diagonal ``b_k u_k[k] != 0``,
   so ``rank >= floor(n/2) + 1``: (i). If ``b`` is symmetric, every ``u_k`` is
   symmetric (the recurrence commutes with the reflection), the same vectors
   are triangular in the basis ``e_0, e_j + e_{-j}`` and span ``S_s``, so
   ``E_rob ⊆ S_a``; the exact lower bound (``S_a`` is invariant and stable for
   every ``sigma``, :func:`symdyn.lsgd.robust_lower_bound`) gives (ii).

:func:`prove_for_n` runs steps 3-5 for one ``n`` with the profile as free
symbols (``b_0 < 0 < b_j``; interior entries of ``u_k`` as opaque symbols, so
the result holds for every profile) — a per-``n`` symbolic re-check of the
general induction.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

import sympy

from .._validation import check_int

__all__ = ["MAX_SYMBOLIC_N", "NProof", "recurrence_lemma", "induction_step_lemma", "prove_for_n",
           "whole_class_theorem", "THEOREM"]

#: Largest ``n`` for the per-``n`` symbolic re-check (cost ~ n^2 SymPy operations).
MAX_SYMBOLIC_N = 1024

THEOREM = ("For diagonal B with exactly one negative entry b_0 (all other entries > 0), A_sigma = I - sigma L and "
           "0 < eta max b < 2: dim E_rob <= floor((n-1)/2) for every n >= 2; if moreover b_j = b_{-j}, then "
           "E_rob = S_a and dim E_rob = floor((n-1)/2).")


# --------------------------------------------------------------------------- the recurrence
def _rhs_at(i: int, k: int, us: list, Kus, mus: list):
    """``sum_{a=1}^{k-1} mu_a u_{k-a}[i] + sum_{a=0}^{k-1} mu_a (K u_{k-1-a})[i]`` on sparse vectors.

    ``us[c]`` is a dict ``index -> expr`` (absent = exact zero); ``Kus(c, i)``
    returns ``(K u_c)[i]``.
    """
    total = sympy.Integer(0)
    for a in range(1, k):
        x = us[k - a].get(i)
        if x is not None:
            total += mus[a] * x
    for a in range(0, k):
        x = Kus(k - 1 - a, i)
        if x != 0:
            total += mus[a] * x
    return total


def recurrence_lemma(max_order: int = 6) -> dict:
    """Derive the order-``k`` equation of ``(B - mu(sigma) A_sigma) u(sigma) = 0`` with SymPy.

    ``B``, ``K`` and the coefficients ``u_c`` are non-commutative symbols (so
    the identity holds for every ``n``); ``mu_a`` and ``sigma`` commute. For
    each ``k <= max_order`` the coefficient of ``sigma^k`` is extracted and
    compared with ``B u_k - sum_{a=0}^k mu_a u_{k-a} - sum_{a=0}^{k-1} mu_a K u_{k-1-a}``
    (the form :func:`_rhs_at` and :func:`symdyn.lsgd.taylor.taylor_coefficients` use).

    >>> all(recurrence_lemma(3).values())
    True
    """
    N = check_int("max_order", max_order, low=1, high=12)
    s = sympy.Symbol("sigma")
    B, K = sympy.symbols("B K", commutative=False)
    u = sympy.symbols(f"u0:{N + 1}", commutative=False)
    mu = sympy.symbols(f"mu0:{N + 1}")
    U = sum((s**c * u[c] for c in range(N + 1)), sympy.Integer(0))
    M = sum((s**a * mu[a] for a in range(N + 1)), sympy.Integer(0))
    E = sympy.expand(B * U - M * (U + s * K * U))
    facts = {}
    for k in range(N + 1):
        claimed = B * u[k] - sum(mu[a] * u[k - a] for a in range(k + 1)) - sum(
            (mu[a] * K * u[k - 1 - a] for a in range(k)), sympy.Integer(0))
        facts[f"coefficient of sigma^{k} is the recurrence"] = sympy.expand(E.coeff(s, k) - claimed) == 0
    return facts


# --------------------------------------------------------------------------- the induction step
def induction_step_lemma() -> dict:
    """Verify the inductive step on the generic window around the right edge (SymPy, free symbols).

    Window offsets ``-2..2`` relative to ``k``. Hypothesis: ``u_{k-1}`` is
    zero at offsets ``>= 0`` except where the left edge wraps round (cases
    below), its edge entry ``p`` at offset ``-1``; ``u_{k-2}`` (and every older
    coefficient) is zero at offsets ``>= -1``; ``mu_a`` are free. The stencil
    rows of ``K = -L`` are ``(-1, 2, -1)`` at every index (shift invariance),
    so this window is the step for every ``k``. Three cases:

    * interior (``2k + 1 < n``): offsets ``1, 2`` are zero;
    * odd meeting (``n = 2k + 1``): offset ``+1`` is ``-k`` (zero), ``+2`` is the left edge ``p^-``;
    * even meeting (``n = 2k``): offset ``+1`` is ``-(k-1)``, the left edge ``p^-``.

    >>> all(induction_step_lemma().values())
    True
    """
    b0 = sympy.Symbol("b_0", negative=True)
    bk = sympy.Symbol("b_k", positive=True)
    p, pm, x, y, q = sympy.symbols("p p^- x y q", positive=True)
    mus = [b0] + list(sympy.symbols("mu_1 mu_2 mu_3"))
    zero = sympy.Integer(0)
    facts = {}
    cases = {
        "interior": {-2: x, -1: p, 0: zero, 1: zero, 2: zero},
        "odd meeting": {-2: x, -1: p, 0: zero, 1: zero, 2: pm},
        "even meeting": {-2: x, -1: p, 0: zero, 1: pm, 2: y},
    }
    for name, prev in cases.items():
        older = {-2: q, -1: zero, 0: zero, 1: zero, 2: zero}
        if name == "even meeting":
            older[2] = y  # u_{k-2}'s left edge sits at offset +2 = -(k-2): beyond the rows we evaluate
        # us[0] = older representative, us[1] = u_{k-1}; k = 2 in local numbering covers a = 0, 1.
        us = [older, prev]

        def Kus(c, i, us=us):
            v = us[c]
            return -v.get(i - 1, zero) + 2 * v.get(i, zero) - v.get(i + 1, zero)

        edge = _rhs_at(0, 2, us, Kus, mus) / (bk - b0)
        if name == "even meeting":
            facts["even meeting: u_k[n/2] = (-b_0)(p + p^-)/(b_k - b_0)"] = sympy.simplify(
                edge - (-b0) * (p + pm) / (bk - b0)) == 0
            facts["even meeting: u_k[n/2] > 0"] = bool(sympy.factor(edge).is_positive)
            continue
        facts[f"{name}: u_k[k] = (-b_0)/(b_k - b_0) * u_{{k-1}}[k-1]"] = sympy.simplify(
            edge - (-b0) / (bk - b0) * p) == 0
        facts[f"{name}: (-b_0)/(b_k - b_0) > 0"] = bool(((-b0) / (bk - b0)).is_positive)
        nxt = _rhs_at(1, 2, us, Kus, mus)
        if name == "interior":
            facts["interior: u_k[k+1] = 0"] = nxt == 0
        else:  # offset +1 is -k: the mirror-image edge, fed only by the left edge p^- of u_{k-1}
            facts["odd meeting: u_k[-k] is fed only by u_{k-1}[-(k-1)]"] = sympy.expand(nxt - (-b0) * pm) == 0
    return facts


# --------------------------------------------------------------------------- per-n symbolic check
@dataclass
class NProof:
    """The per-``n`` symbolic check of steps 3-5 (profile entries are free symbols)."""

    n: int
    symmetric: bool
    facts: dict
    diagonal: list          # w_k = b_k u_k[k], k = 0..floor(n/2): the triangular diagonal
    rank_lower_bound: int   # floor(n/2) + 1 when every fact holds
    seconds: float = 0.0
    profile: list = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return all(self.facts.values())


def _profile(n: int, symmetric: bool) -> list:
    b0 = sympy.Symbol("b_0", negative=True)
    if symmetric:
        c = [sympy.Symbol(f"b_{j}", positive=True) for j in range(1, n // 2 + 1)]
        return [b0] + [c[min(j, n - j) - 1] for j in range(1, n)]
    return [b0] + [sympy.Symbol(f"b_{j}", positive=True) for j in range(1, n)]


def _stencil(n: int) -> list:
    """Rows of ``K = -L`` as ``{col: int}`` (for ``n = 2`` the off-diagonal entries add)."""
    rows = []
    for i in range(n):
        r: dict = {}
        for j, v in ((i, 2), ((i + 1) % n, -1), ((i - 1) % n, -1)):
            r[j] = r.get(j, 0) + v
        rows.append({j: v for j, v in r.items() if v})
    return rows


def _same(a, b) -> bool:
    """Exact equality of two products/sums of the profile's factors (expand_mul never expands denominators)."""
    return a == b or sympy.expand_mul(a - b) == 0


@functools.lru_cache(maxsize=64)
def _prove_for_n_cached(n: int, symmetric: bool) -> NProof:
    t0 = time.perf_counter()
    b = _profile(n, symmetric)
    b0 = b[0]
    K = _stencil(n)
    m = n // 2 + 1
    mus = [b0] + [sympy.Symbol(f"mu_{a}") for a in range(1, m)]
    us: list = [{0: sympy.Integer(1)}]
    Kcache: dict = {}

    def Kus(c, i):
        key = (c, i)
        if key not in Kcache:
            v = us[c]
            Kcache[key] = sum((w * v[j] for j, w in K[i].items() if j in v), sympy.Integer(0))
        return Kcache[key]

    facts = {"stencil of K = -L is shift invariant (rows are shifts of row 0)": all(
        {(j - i) % n: v for j, v in K[i].items()} == {j % n: v for j, v in K[0].items()} for i in range(n))}
    diag = [b0]  # w_0 = b_0 u_0[0]
    nested = within = edge_ok = sym_ok = positive = True
    closed = True
    plus = minus = sympy.Integer(1)  # closed forms of the edge entries
    for k in range(1, m):
        prev = set(us[k - 1]) | {0}
        # every term of the recurrence is supported in supp(u_{k-1}) and its stencil neighbours
        # (supports are nested, checked below), minus index 0 (u_k[0] = 0 by normalisation)
        cand = set(prev)
        for i in prev:
            cand.update(K[i])  # K is symmetric: the rows reaching i are the columns of row i
        cand.discard(0)
        band = {j % n for j in range(-k, k + 1)}
        within &= cand <= band
        if k >= 2:
            nested &= set(us[k - 2]) | {0} <= prev
        edges = sorted({k % n, (-k) % n})
        new = {}
        for i in edges:
            new[i] = _rhs_at(i, k, us, Kus, mus) / (b[i] - b0)
            positive &= bool(new[i].is_positive)
        if 2 * k < n:  # non-meeting edges: the product formula
            plus = plus * (-b0) / (b[k] - b0)
            minus = minus * (-b0) / (b[n - k] - b0)
            closed &= _same(new[k], plus) and _same(new[n - k], minus)
        else:  # even n, k = n/2: both neighbours feed the middle index
            mid = (-b0) * (plus + minus) / (b[k] - b0)
            closed &= _same(new[k], mid)
        if symmetric:
            sym_ok &= _same(new[k % n], new[(-k) % n])
        for i in cand - set(edges):
            new[i] = sympy.Symbol(f"u_{{{k},{i}}}")  # opaque: its value plays no part in the argument
        edge_ok &= all(i in cand for i in edges)
        us.append(new)
        diag.append(b[k] * new[k])
    facts["supp u_k within {-k..k} for k <= floor(n/2)"] = within
    facts["supports nested"] = nested
    facts["edge indices +-k in the support"] = edge_ok
    facts["edge entries equal the closed-form products"] = closed
    facts["edge entries positive under b_0 < 0 < b_j"] = positive
    facts["triangular diagonal b_k u_k[k] non-zero"] = all(bool(d.is_nonzero) for d in diag)
    if symmetric:
        facts["edge entries at +k and -k equal (symmetric profile)"] = sym_ok
    ok = all(facts.values())
    return NProof(n=n, symmetric=symmetric, facts=facts, diagonal=diag, rank_lower_bound=m if ok else 0,
                  seconds=time.perf_counter() - t0, profile=b)


def prove_for_n(n: int, symmetric: bool = True) -> NProof:
    """Steps 3-5 of the theorem for one ``n`` with a symbolic profile (``b_0 < 0 < b_j`` free symbols).

    Parameters
    ----------
    n : ``2 <= n <= MAX_SYMBOLIC_N``
    symmetric : profile ``b_j = b_{-j}`` (canonical class) or all ``b_j`` independent (diagonal class)

    Returns
    -------
    NProof with ``holds`` and the triangular diagonal as SymPy expressions.

    Examples
    --------
    >>> p = prove_for_n(4)
    >>> p.holds, p.rank_lower_bound, p.diagonal[1]
    (True, 3, -b_0*b_1/(-b_0 + b_1))
    """
    n = check_int("n", n, low=2, high=MAX_SYMBOLIC_N)
    if not isinstance(symmetric, bool):
        raise TypeError(f"symmetric must be a bool, got {type(symmetric).__name__}")
    return _prove_for_n_cached(n, symmetric)


@functools.lru_cache(maxsize=1)
def whole_class_theorem() -> dict:
    """The general-``n`` lemmas (recurrence and induction step), each a named boolean."""
    facts = {f"recurrence: {k}": v for k, v in recurrence_lemma(6).items()}
    facts.update({f"induction: {k}": v for k, v in induction_step_lemma().items()})
    return facts
