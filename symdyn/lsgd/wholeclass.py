r"""Proof of the ``floor((n-1)/2)`` bound for every ``n`` and every diagonal profile (``A_sigma = I - sigma L``).

Theorem (:data:`THEOREM`). Let ``B = diag(b)`` with exactly one negative entry
``b_0`` (rotated to index 0), ``b_j > 0`` for ``j != 0``, ``A_sigma = I - sigma L``
and ``0 < eta max b < 2``; ``m = floor(n/2) + 1``. Then

(i)  ``dim E_rob <= n - m = floor((n-1)/2)`` for every ``n >= 2`` and every such profile;
(ii) if ``b_j = b_{-j}`` for all ``j``, then ``E_rob = S_a`` (antisymmetric modes) and
     ``dim E_rob = floor((n-1)/2)``.

Proof (each step is returned, with its scope, by :func:`whole_class_theorem`).

1. *Saddle for every sigma* (Sylvester): exactly one negative generalised
   eigenvalue ``mu(sigma)`` of ``(B, A_sigma)``, the others in ``(0, 2/eta)``, so
   ``E_s(T(sigma)) = {x : w(sigma)^T x = 0}``, ``w = B u``.
2. *Taylor coefficients*: ``mu`` is simple and ``u(0) = e_0``, so ``u(sigma)`` with
   ``u(sigma)[0] = 1`` is analytic near 0. ``y in E_rob`` implies
   ``y^T B u(sigma) = 0`` on ``[0, eps)``, hence ``y`` is orthogonal to every
   ``B u_k``: ``dim E_rob <= n - rank{u_k}``.
3. *Recurrence* (:func:`recurrence_lemma`): derived by SymPy from the series,
   with abstract non-commuting ``B``, ``K`` (every ``n``) and, for concrete ``n``,
   with the profile entries as free symbols against the code that computes it.
4. *Support and edges* (:func:`window_lemma`, induction on ``k``): for
   ``1 <= k <= floor(n/2)``, ``supp u_k`` lies in ``{-k..k}`` and
   ``u_k[+-k] = prod_{i=1}^k (-b_0)/(b_{+-i} - b_0)`` while ``2k < n``; for ``n = 2k``,
   ``u_k[k] = (-b_0)(u_{k-1}[k-1] + u_{k-1}[-(k-1)])/(b_k - b_0)``. The stencil of
   ``K = -L`` is the same at every index, so one window computation with symbolic
   entries is the inductive step for every ``k`` and ``n`` (three regimes:
   ``2k+1 < n``, ``n = 2k+1``, ``n = 2k``).
5. *Triangularity*: in the coordinates ``0..floor(n/2)`` the matrix ``[u_k[j]]``
   (``k, j < m``) is triangular with diagonal ``u_k[k] > 0`` (products of factors of
   proved sign), so ``rank >= m``: (i).
6. *Symmetric profiles*: the reflection ``R`` commutes with ``B`` and ``A_sigma``; ``R u`` is
   an eigenvector for the simple ``mu`` with ``(R u)[0] = 1``, so ``u(sigma)`` is in ``S_s``
   for every ``sigma``; then ``{B u_k : k < m}`` spans ``B S_s = S_s`` and
   ``E_rob`` lies in ``S_a``. Conversely ``S_a`` is orthogonal to every ``w(sigma)``
   (in ``S_s``), so ``S_a`` lies in every ``E_s(T(sigma))``: (ii).

Scope: steps 1, 2, 5, 6 are short general arguments (stated as text);
steps 3 and 4 are symbolic computations valid for every ``n`` (the window lemma
is the induction step for all ``k``). :func:`check_n` re-runs steps 4-5 for one
concrete ``n`` with a symbolic profile (free symbols ``b_0 < 0 < b_j``), as an
independent per-``n`` computation; the checks run it for ``n = 2..256``.

Converse ("equality only if symmetric"): :func:`converse_lemma` proves it
symbolically for ``n <= 5`` (a non-symmetric profile already makes the first
``m + 1`` Taylor coefficients independent); for larger ``n`` it is not proved
here — exact per-profile computations (:func:`symdyn.lsgd.taylor.taylor_bounds`)
on searched profiles are the evidence.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from itertools import combinations

import sympy

from .._validation import check_int
from .taylor import stencil_rows, taylor_series

__all__ = ["MAX_SYMBOLIC_N", "THEOREM", "NCheck", "recurrence_lemma", "window_lemma", "check_n",
           "converse_lemma", "whole_class_theorem", "n6_degenerate_profiles"]

#: Largest ``n`` for the per-``n`` symbolic re-check :func:`check_n` (cost ~ n^2 dictionary look-ups).
MAX_SYMBOLIC_N = 1024

#: Largest ``n`` for :func:`converse_lemma` (symbolic minors grow fast).
MAX_CONVERSE_N = 5

THEOREM = ("For diagonal B with exactly one negative entry b_0 (all other entries > 0), A_sigma = I - sigma L and "
           "0 < eta max b < 2: dim E_rob <= floor((n-1)/2) for every n >= 2; if moreover b_j = b_{-j} for all j, "
           "then E_rob = S_a (the antisymmetric modes) and dim E_rob = floor((n-1)/2).")

_ZERO = sympy.Integer(0)
_ONE = sympy.Integer(1)


def _b0():
    return sympy.Symbol("b_0", negative=True)


# --------------------------------------------------------------------------- step 3: the recurrence
def _abstract_recurrence(N: int) -> dict:
    s = sympy.Symbol("sigma")
    B, K = sympy.symbols("B K", commutative=False)
    u = sympy.symbols(f"u0:{N + 1}", commutative=False)
    mu = sympy.symbols(f"mu0:{N + 1}")
    U = sum((s**c * u[c] for c in range(N + 1)), _ZERO)
    M = sum((s**a * mu[a] for a in range(N + 1)), _ZERO)
    E = sympy.expand(B * U - M * (U + s * K * U))
    facts = {}
    for k in range(N + 1):
        claimed = B * u[k] - sum(mu[a] * u[k - a] for a in range(k + 1)) - sum(
            (mu[a] * K * u[k - 1 - a] for a in range(k)), _ZERO)
        facts[f"abstract B, K: coefficient of sigma^{k} is the recurrence"] = sympy.expand(
            E.coeff(s, k) - claimed) == 0
    return facts


def _concrete_recurrence(n: int, N: int) -> dict:
    """Solve the series equation order by order for a free-symbol profile and compare with :func:`taylor_series`."""
    s = sympy.Symbol("sigma")
    b = [_b0()] + [sympy.Symbol(f"b_{j}", positive=True) for j in range(1, n)]
    Kr = stencil_rows(n, 1)
    K = sympy.Matrix(n, n, lambda i, j: sympy.Integer(int(Kr[i].get(j, 0))))
    B = sympy.diag(*b)
    A = sympy.eye(n) + s * K
    us_code, mus_code = taylor_series(b, [{j: sympy.Integer(int(v)) for j, v in r.items()} for r in Kr],
                                      N + 1, _ZERO, _ONE)
    x = [sympy.Matrix(n, 1, lambda i, _j, k=k: sympy.Symbol(f"x_{{{k},{i}}}") if i else _ZERO)
         for k in range(N + 1)]
    mu = list(sympy.symbols(f"m0:{N + 1}"))
    sol: dict = {mu[0]: b[0]}
    x[0] = sympy.Matrix([1] + [0] * (n - 1))
    U = sum((s**k * x[k] for k in range(N + 1)), sympy.zeros(n, 1))
    Mser = sum((s**k * mu[k] for k in range(N + 1)), _ZERO)
    series = [sympy.expand(e) for e in (B - Mser * A) * U]
    ok = True
    for k in range(1, N + 1):
        eq = [series[i].coeff(s, k).subs(sol) for i in range(n)]
        unknowns = [mu[k]] + [x[k][i] for i in range(1, n)]
        (solution,) = sympy.linsolve(eq, unknowns)
        sol.update(dict(zip(unknowns, solution)))
        ok &= sympy.cancel(sol[mu[k]] - mus_code[k]) == 0
        ok &= all(sympy.cancel(sol[x[k][i]] - us_code[k][i]) == 0 for i in range(1, n))
    return {f"n = {n}, free-symbol profile: series solved to order {N} equals taylor_series": bool(ok)}


@functools.lru_cache(maxsize=8)
def recurrence_lemma(max_order: int = 6, concrete_n: tuple = (3, 4)) -> dict:
    """Derive the order-``k`` equation of ``(B - mu(sigma) A_sigma) u(sigma) = 0`` with SymPy.

    Two derivations, each a named boolean:

    * ``B``, ``K``, ``u_c`` non-commuting symbols (the identity holds for every ``n``),
      ``k <= max_order``;
    * for each ``n`` in ``concrete_n``: ``B = diag(b)`` with free symbols
      ``b_0 < 0 < b_j``, the series equation solved order by order (SymPy
      ``linsolve``) and compared with :func:`symdyn.lsgd.taylor.taylor_series`, the code
      used everywhere else (orders ``1..3``).

    >>> all(recurrence_lemma(3, (3,)).values())
    True
    """
    N = check_int("max_order", max_order, low=1, high=12)
    facts = _abstract_recurrence(N)
    for n in concrete_n:
        facts.update(_concrete_recurrence(check_int("concrete_n", n, low=2, high=6), 3))
    return facts


# --------------------------------------------------------------------------- step 4: the window lemma
def _window_row(r: int, vecs: list, mus: list):
    """Right-hand side of the recurrence at offset ``r`` (relative to index ``k``).

    ``vecs[a]`` is ``u_{k-1-a}`` as ``{offset: value}``; the first sum uses
    ``u_{k-a} = vecs[a-1]``, the second ``K u_{k-1-a}`` with the stencil ``(-1, 2, -1)``.
    """
    total = _ZERO
    for a in range(1, len(vecs) + 1):
        total += mus[a] * vecs[a - 1][r]
    for a in range(len(vecs)):
        v = vecs[a]
        total += mus[a] * (-v[r - 1] + 2 * v[r] - v[r + 1])
    return total


def _window_vectors(regime: str, depth: int, p, pm):
    """``u_{k-1-a}`` (``a < depth``) on offsets ``-depth-2..depth+2`` under the induction hypothesis.

    Right side: index ``k + r`` is in ``supp u_{k-1-a}`` iff ``r <= -1 - a``.
    Wrapped offsets (``r >= 1`` when ``n = 2k+1``, ``r >= 0`` when ``n = 2k``) are the
    left indices ``-(k+1-r)`` resp. ``-(k-r)``, in the support iff ``r >= a + 2`` resp. ``r >= a + 1``.
    In the interior regime (``n >= 2k+2``) offsets ``0, 1, 2`` are outside every support.
    """
    span = range(-depth - 2, depth + 3)
    vecs = []
    for a in range(depth):
        v = {}
        for r in span:
            if regime == "odd meeting" and r >= 1:
                inside, left_edge = r >= a + 2, (a == 0 and r == 2)
            elif regime == "even meeting" and r >= 0:
                inside, left_edge = r >= a + 1, (a == 0 and r == 1)
            elif regime == "interior" and r >= 0:
                inside, left_edge = False, False  # rows 0, 1 read offsets <= 2 only
            else:
                inside, left_edge = r <= -1 - a, False
            if not inside:
                v[r] = _ZERO
            elif left_edge:
                v[r] = pm
            elif a == 0 and r == -1:
                v[r] = p
            else:
                v[r] = sympy.Symbol(f"x_{{{a},{r}}}")  # any value: it must not reach the rows checked
        vecs.append(v)
    return vecs


@functools.lru_cache(maxsize=1)
def window_lemma() -> dict:
    """The inductive step at the right edge, for every ``k`` and ``n``, checked by SymPy on symbolic entries.

    Hypothesis ``H(k-1)``: ``supp u_c`` lies in ``{-c..c}`` for ``c < k``;
    ``p = u_{k-1}[k-1]``, ``p^- = u_{k-1}[-(k-1)]``. Every other entry, and
    ``mu_1, mu_2, ...``, is a free symbol. The coefficients ``u_{k-1-a}`` with
    ``a >= 3`` vanish on every offset read by the rows checked (offsets ``>= -1``),
    exactly as ``a = 3`` does, so ``depth = 4`` representatives are the general case.
    Conclusions (left edge: the mirror image, the stencil is symmetric):

    * ``2k + 1 < n``: ``u_k[k] = (-b_0) p / (b_k - b_0)``, and the gap rows (offset 1,
      each reading only offsets ``0..2``) vanish: ``supp u_k`` lies in ``{-k..k}``;
    * ``n = 2k + 1``: the same edge formula, and offset 1 (index ``-k``) gives
      ``u_k[-k] = (-b_0) p^- / (b_{-k} - b_0)``;
    * ``n = 2k``: ``u_k[k] = (-b_0)(p + p^-) / (b_k - b_0)``.

    Each factor's sign follows from ``b_0 < 0 < b_{+-k}`` (SymPy assumptions).

    >>> all(window_lemma().values())
    True
    """
    b0 = _b0()
    bk, bmk = (sympy.Symbol(s, positive=True) for s in ("b_k", "b_{-k}"))
    p, pm = sympy.symbols("p p^-", positive=True)
    depth = 4
    mus = [b0] + list(sympy.symbols(f"mu_1:{depth + 2}"))
    facts = {}
    for regime in ("interior", "odd meeting", "even meeting"):
        vecs = _window_vectors(regime, depth, p, pm)
        edge = _window_row(0, vecs, mus) / (bk - b0)
        if regime == "even meeting":
            facts["n = 2k: u_k[k] = (-b_0)(p + p^-)/(b_k - b_0)"] = sympy.cancel(
                edge - (-b0) * (p + pm) / (bk - b0)) == 0
            facts["n = 2k: u_k[k] > 0 when p, p^- > 0"] = bool(((-b0) * (p + pm) / (bk - b0)).is_positive)
            continue
        tag = "2k+1 < n" if regime == "interior" else "n = 2k+1"
        facts[f"{tag}: u_k[k] = (-b_0) p/(b_k - b_0)"] = sympy.cancel(edge - (-b0) * p / (bk - b0)) == 0
        facts[f"{tag}: factor (-b_0)/(b_k - b_0) > 0"] = bool(((-b0) / (bk - b0)).is_positive)
        if regime == "interior":
            facts["2k+1 < n: gap row (offset 1) of u_k is 0"] = sympy.expand(_window_row(1, vecs, mus)) == 0
        else:
            left = _window_row(1, vecs, mus) / (bmk - b0)
            facts["n = 2k+1: u_k[-k] = (-b_0) p^-/(b_{-k} - b_0)"] = sympy.cancel(
                left - (-b0) * pm / (bmk - b0)) == 0
    return facts


# --------------------------------------------------------------------------- per-n re-check of steps 4-5
@dataclass
class NCheck:
    """Steps 4-5 recomputed for one ``n`` with a symbolic profile (free symbols ``b_0 < 0 < b_j``)."""

    n: int
    symmetric: bool
    facts: dict
    edge_steps: list        # (k, index, u_k[index] in terms of the previous edge symbols P_{k-1}^{+-})
    rank_lower_bound: int   # m = floor(n/2) + 1 when every fact holds, else 0
    seconds: float = 0.0
    profile: list = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return all(self.facts.values())

    @property
    def diagonal(self) -> list:
        """Closed forms of the triangular diagonal ``u_k[k]``, ``k = 0..floor(n/2)`` (SymPy, built on demand)."""
        b, n = self.profile, self.n
        b0 = b[0]
        out, plus, minus = [_ONE], _ONE, _ONE
        for k in range(1, n // 2 + 1):
            if 2 * k < n:
                plus, minus = plus * (-b0) / (b[k] - b0), minus * (-b0) / (b[n - k] - b0)
                out.append(plus)
            else:
                out.append((-b0) * (plus + minus) / (b[k] - b0))
        return out


def _same(a, b) -> bool:
    """Exact equality of two rational expressions (canonical forms first, ``cancel`` only if they differ)."""
    return a == b or sympy.cancel(a - b) == 0


def _profile(n: int, symmetric: bool) -> list:
    b0 = _b0()
    if symmetric:
        c = [sympy.Symbol(f"b_{j}", positive=True) for j in range(1, n // 2 + 1)]
        return [b0] + [c[min(j, n - j) - 1] for j in range(1, n)]
    return [b0] + [sympy.Symbol(f"b_{j}", positive=True) for j in range(1, n)]


@functools.lru_cache(maxsize=600)
def _check_n_cached(n: int, symmetric: bool) -> NCheck:
    t0 = time.perf_counter()
    b = _profile(n, symmetric)
    b0 = b[0]
    K = [{j: int(v) for j, v in r.items()} for r in stencil_rows(n, 1)]
    m = n // 2 + 1
    mus = [b0] + [sympy.Symbol(f"mu_{a}") for a in range(1, m)]
    # Supports: every term of the order-k equation reads u_c (c < k) at a row or its stencil neighbours,
    # so S_k = N(S_0 u ... u S_{k-1}) minus {0} contains supp u_k (exact zeros outside). These supersets
    # are nested; first[j] = the first k with j in S_k, so j in S_c iff c >= first[j].
    first = {0: 0}
    reach = {0} | set(K[0])
    # Edge entries of u_c are positive symbols P_c^{+-} (what step c proved): constant-size steps.
    edge_value = {(0, 0): sympy.Symbol("P_0", positive=True)}
    reads_interior = False

    def read(c, j):
        nonlocal reads_interior
        if first.get(j, m) > c or (j == 0 and c >= 1):
            return None  # exact zero (outside the support, or the normalisation u_c[0] = 0)
        x = edge_value.get((c, j))
        if x is None:  # interior entry: not tracked, so an edge must never need it
            reads_interior = True
        return x

    facts = {"K = -L has the same stencil at every index": all(
        {(j - i) % n: v for j, v in K[i].items()} == K[0] for i in range(n))}
    within = closed = positive = symmetric_edges = True
    steps = []
    for k in range(1, m):
        fresh = reach - set(first) - {0}
        within &= fresh <= {k % n, (-k) % n}
        edges = sorted({k % n, (-k) % n})
        for i in fresh:
            first[i] = k
        prev_plus, prev_minus = edge_value[(k - 1, (k - 1) % n)], edge_value[(k - 1, (1 - k) % n)]
        for i in edges:
            terms = []
            for c in range(max(1, first.get(i, m)), k):  # first sum: mu_{k-c} u_c[i], 1 <= c <= k-1
                x = read(c, i)
                if x is not None:
                    terms.append(mus[k - c] * x)
            for j, w in K[i].items():  # second sum: mu_{k-1-c} (K u_c)[i]
                for c in range(first.get(j, m), k):
                    x = read(c, j)
                    if x is not None:
                        terms.append(mus[k - 1 - c] * w * x)
            value = sympy.Add(*terms) / (b[i] - b0)
            if 2 * k < n:
                prev = prev_plus if i == k else prev_minus
                closed &= _same(value, (-b0) * prev / (b[i] - b0))
            else:  # n = 2k: the middle index is fed from both sides
                closed &= _same(value, (-b0) * (prev_plus + prev_minus) / (b[k] - b0))
            positive &= bool(value.is_positive)
            steps.append((k, i, value))
            edge_value[(k, i)] = sympy.Symbol(f"P_{k}^{'+' if i == k else '-'}", positive=True)
        if symmetric and 2 * k < n:
            symmetric_edges &= b[k] == b[n - k]  # same factor, so u_k[k] = u_k[-k] by induction
        for i in fresh:
            reach.update(K[i])
    strict = all(first.get(j) == j and first.get((-j) % n) == j for j in range(1, m))
    facts["supp u_k in {-k..k} for k <= floor(n/2)"] = within
    facts["edge entries never read an interior entry"] = not reads_interior
    facts["edge step u_k[+-k] = (-b_0) u_{k-1}[+-(k-1)]/(b_{+-k} - b_0) (n = 2k: both neighbours)"] = closed
    facts["edge entries positive under b_0 < 0 < b_j (induction on k)"] = positive
    facts["triangular: u_k[j] = 0 for k < j <= floor(n/2), u_k[k] > 0"] = strict and positive
    if symmetric:
        facts["edge factors at +k and -k equal (symmetric profile)"] = symmetric_edges
    ok = all(facts.values())
    return NCheck(n=n, symmetric=symmetric, facts=facts, edge_steps=steps, rank_lower_bound=m if ok else 0,
                  seconds=time.perf_counter() - t0, profile=b)


def check_n(n: int, symmetric: bool = True) -> NCheck:
    """Steps 4-5 of the theorem for one ``n`` with a symbolic profile (``b_0 < 0 < b_j`` free symbols).

    The recurrence is run on sparse vectors: supports are propagated exactly;
    each edge entry ``u_k[+-k]`` is computed by SymPy from the recurrence terms
    whose sources lie in the supports, with the previous edges as positive
    symbols ``P_{k-1}^{+-}`` (what step ``k-1`` proved), ``mu_a`` (``a >= 1``) as
    free symbols and interior entries untracked (reading one fails the check) — an
    edge that depended on them would fail the comparison with ``(-b_0) P_{k-1}/(b_k - b_0)``. The closed-form
    products (:attr:`NCheck.diagonal`) follow by telescoping.

    Parameters
    ----------
    n : ``2 <= n <= MAX_SYMBOLIC_N``
    symmetric : profile ``b_j = b_{-j}`` (canonical class) or all ``b_j`` independent (diagonal class)

    Returns
    -------
    NCheck with ``holds`` and the triangular diagonal as SymPy expressions.

    Examples
    --------
    >>> c = check_n(4)
    >>> c.holds, c.rank_lower_bound, c.diagonal[1]
    (True, 3, -b_0/(-b_0 + b_1))
    """
    n = check_int("n", n, low=2, high=MAX_SYMBOLIC_N)
    if not isinstance(symmetric, bool):
        raise TypeError(f"symmetric must be a bool, got {type(symmetric).__name__}")
    return _check_n_cached(n, symmetric)


# --------------------------------------------------------------------------- converse for small n
def _positive_or_pair(factor, pairs):
    """``'pair'`` if ``factor`` is ``+-(b_j - b_{-j})`` for a mirror pair, ``'nonzero'`` if its sign is proved."""
    for x, y in pairs:
        if sympy.expand(factor - (x - y)) == 0 or sympy.expand(factor + (x - y)) == 0:
            return "pair"
    if factor.is_positive or factor.is_negative or factor.is_nonzero:
        return "nonzero"
    return None


@functools.lru_cache(maxsize=8)
def converse_lemma(n: int) -> dict:
    """Symbolic proof, for one small ``n``, that a non-symmetric profile has ``rank{u_0..u_m} = m + 1``.

    Hence ``dim E_rob <= n - m - 1 < floor((n-1)/2)`` (step 2). The first ``m + 1``
    Taylor coefficients are computed with free symbols ``b_0 < 0 < b_j``
    (:func:`symdyn.lsgd.taylor.taylor_series`), and the ``(m+1)``-minors are factored:

    * ``n <= 4``: one minor is ``(b_1 - b_{-1}) x`` (factors of proved sign), and for
      ``n <= 4`` the only mirror pair is ``(1, -1)``;
    * ``n = 5``: with ``x_j = b_j - b_0 > 0`` two minors vanish together iff
      ``x_1^2 x_2 = x_4^2 x_3`` and ``x_1 + x_3 = x_2 + x_4``; eliminating ``x_1`` leaves
      ``(x_2 - x_3) q`` with ``q = x_2^2 - x_2 x_3 + 2 x_2 x_4 + x_4^2``; ``x_2 = x_3`` forces
      ``x_1 = x_4`` (symmetric), and on ``q = 0`` the relation gives
      ``x_1 = -x_4 (x_2 + x_4)/x_2 < 0``, impossible.

    Returns named booleans (all True when the lemma holds); ``n = 2`` has no
    non-symmetric profile.

    >>> all(converse_lemma(3).values())
    True
    """
    n = check_int("n", n, low=2, high=MAX_CONVERSE_N)
    m = n // 2 + 1
    if n == 2:
        return {"n = 2: every profile is symmetric (1 = -1 mod 2)": True}
    b = [_b0()] + [sympy.Symbol(f"b_{j}", positive=True) for j in range(1, n)]
    K = [{j: sympy.Integer(int(v)) for j, v in r.items()} for r in stencil_rows(n, 1)]
    us, _ = taylor_series(b, K, m + 1, _ZERO, _ONE)
    M = sympy.Matrix(n, m + 1, lambda i, k: us[k][i])
    pairs = [(b[j], b[n - j]) for j in range(1, (n + 1) // 2) if j != n - j]
    facts = {}
    if n <= 4:
        minor = sympy.factor(sympy.cancel(M[:m + 1, :].det()))
        _, factors = sympy.factor_list(sympy.numer(minor))
        denominator_ok = bool(sympy.denom(minor).is_nonzero)
        kinds = [_positive_or_pair(f, pairs) for f, _ in factors]
        facts[f"n = {n}: rows 0..{m} minor = (b_1 - b_-1) x (factors of proved sign)"] = (
            denominator_ok and None not in kinds and kinds.count("pair") == 1)
        return facts
    x = sympy.symbols("x1:5", positive=True)  # x_j = b_j - b_0
    sub = {b[j]: x[j - 1] + b[0] for j in range(1, 5)}
    minors = [sympy.factor(sympy.cancel(M.extract(list(r), list(range(m + 1))).det().subs(sub)))
              for r in ((0, 1, 2, 3), (0, 1, 2, 4))]
    e1, e2 = (sympy.numer(mm) for mm in minors)
    c1 = sympy.factor_list(e1)
    c2 = sympy.factor_list(e2)
    core1 = [f for f, _ in c1[1] if f.free_symbols & set(x) and not f.is_positive]
    core2 = [f for f, _ in c2[1] if f.free_symbols & set(x) and not f.is_positive]
    g1 = x[0]**2 * x[1] - x[3]**2 * x[2]
    g2_mod = sympy.expand(sympy.prod(core2) if core2 else _ZERO)
    facts["n = 5: denominators of both minors have proved sign"] = all(
        bool(sympy.denom(mm).is_nonzero) for mm in minors)
    facts["n = 5: minor 1 vanishes iff x_1^2 x_2 = x_4^2 x_3"] = (
        len(core1) == 1 and sympy.expand(core1[0] - g1) == 0 or sympy.expand(core1[0] + g1) == 0) if core1 else False
    # on g1 = 0: minor 2 = x_3 x_4^2 (x_2 + x_4 - x_1 - x_3) times factors of proved sign
    red = sympy.rem(g2_mod, g1, x[0]) if g2_mod != 0 else _ZERO
    lin = x[1] + x[3] - x[0] - x[2]
    target = sympy.rem(sympy.expand(x[2] * x[3]**2 * lin), g1, x[0])
    ratio = sympy.cancel(red / target) if target != 0 else None
    facts["n = 5: on minor 1 = 0, minor 2 = (x_2 + x_4 - x_1 - x_3) x (proved sign)"] = bool(
        ratio is not None and ratio.free_symbols <= set(x) and (ratio.is_positive or ratio.is_negative))
    elim = sympy.factor(g1.subs(x[0], x[1] + x[3] - x[2]))
    q = x[1]**2 - x[1] * x[2] + 2 * x[1] * x[3] + x[3]**2
    facts["n = 5: eliminating x_1 leaves (x_2 - x_3) q"] = sympy.expand(elim - (x[2] - x[1]) * q) == 0 or sympy.expand(
        elim - (x[1] - x[2]) * q) == 0
    facts["n = 5: x_2 = x_3 forces x_1 = x_4 (symmetric)"] = sympy.expand(
        (x[1] + x[3] - x[2]).subs(x[2], x[1]) - x[3]) == 0
    x3_on_q = sympy.solve(q, x[2])
    facts["n = 5: on q = 0, x_1 = x_2 + x_4 - x_3 is negative"] = len(x3_on_q) == 1 and bool(
        sympy.factor(x[1] + x[3] - x3_on_q[0]).is_negative)
    return facts


# --------------------------------------------------------------------------- the theorem as data
_STEPS = [
    ("saddle", "Saddle for every sigma",
     r"$A_\sigma = I - \sigma L \succeq I$ and $2A_\sigma - \eta B \succeq 2I - \eta B \succ 0$; by Sylvester's law "
     r"the pencil $(B, A_\sigma)$ has exactly one negative eigenvalue $\mu(\sigma)$ and the others lie in "
     r"$(0, 2/\eta)$. Generalised eigenvectors are $B$-orthogonal, so "
     r"$E_s(T(\sigma)) = \{x : w(\sigma)^\top x = 0\}$ with $w = B u(\sigma)$.",
     "all n (general argument; the inertia facts are checked exactly per profile by saddle_facts)"),
    ("taylor", "Taylor coefficients bound the robust region",
     r"$\mu$ is simple and $u(0) = e_0$, so $u(\sigma)$ normalised by $u(\sigma)_0 = 1$ is analytic near $0$, "
     r"$u(\sigma) = \sum_k \sigma^k u_k$. If $y \in E_{\mathrm{rob}}$ then $y^\top B u(\sigma) = 0$ on "
     r"$[0, \varepsilon)$, so $y \perp B u_k$ for every $k$: $\dim E_{\mathrm{rob}} \le n - "
     r"\operatorname{rank}\{u_k\}$.",
     "all n (general argument)"),
    ("recurrence", "Recurrence",
     r"$(B - b_0 I)\,u_k = \sum_{a=1}^{k} \mu_a u_{k-a} + \sum_{a=0}^{k-1} \mu_a K u_{k-1-a}$, $K = -L$, "
     r"$u_k[0] = 0$ ($k \ge 1$); row $0$ gives $\mu_k$, row $j$ divides by $b_j - b_0 > 0$.",
     "all n: the order-k coefficient is the Cauchy product of the series; SymPy derives it with abstract "
     "non-commuting B, K for k <= 6 and, with free-symbol profiles for n = 3, 4, solves the series equation "
     "and compares with the code (recurrence_lemma)"),
    ("window", "Support and edge entries",
     r"By induction on $k \le \lfloor n/2 \rfloor$: $\operatorname{supp} u_k \subseteq \{-k, \dots, k\}$ and "
     r"$u_k[\pm k] = \prod_{i=1}^{k} \frac{-b_0}{b_{\pm i} - b_0} > 0$ while $2k < n$; for $n = 2k$, "
     r"$u_k[k] = \frac{-b_0\,(u_{k-1}[k-1] + u_{k-1}[-(k-1)])}{b_k - b_0} > 0$. The stencil of $K$ is the same "
     r"at every index, so the step is one window computation with symbolic entries for all $k$ and $n$.",
     "all n and k: window_lemma (SymPy, symbolic entries, three regimes); re-run per n by check_n"),
    ("triangular", "Triangularity gives (i)",
     r"In the coordinates $0, \dots, \lfloor n/2 \rfloor$ the matrix $(u_k[j])_{j,k < m}$, "
     r"$m = \lfloor n/2 \rfloor + 1$, is triangular with diagonal $u_k[k] > 0$ (a product of factors "
     r"$-b_0 > 0$ and $1/(b_i - b_0) > 0$, or a sum of two such products), so the rank is at least $m$ and "
     r"$\dim E_{\mathrm{rob}} \le n - m = \lfloor (n-1)/2 \rfloor$ for every diagonal profile with one negative entry.",
     "all n (follows from the window step)"),
    ("symmetric", "Symmetric profiles give (ii)",
     r"If $b_j = b_{-j}$, the reflection $R$ commutes with $B$ and every $A_\sigma$; $R u(\sigma)$ is an "
     r"eigenvector of the simple $\mu(\sigma)$ with $(R u)_0 = 1$, so $u(\sigma) \in S_s$ for every $\sigma \ge 0$. "
     r"Then $\{B u_k\}_{k<m}$ spans $B S_s = S_s$, so $E_{\mathrm{rob}} \subseteq S_a$; and $S_a \perp w(\sigma)$ "
     r"for every $\sigma$, so $S_a \subseteq E_{\mathrm{rob}}$: $E_{\mathrm{rob}} = S_a$, "
     r"$\dim E_{\mathrm{rob}} = \lfloor (n-1)/2 \rfloor$.",
     "all n (general argument; robust_lower_bound re-checks S_a exactly per profile)"),
]


@functools.lru_cache(maxsize=2)
def whole_class_theorem(include_converse: bool = True) -> dict:
    """The general-``n`` proof as structured data (stable interface for documents and checks).

    Parameters
    ----------
    include_converse : also run :func:`converse_lemma` for ``n <= MAX_CONVERSE_N`` (about 4 s);
        it is not part of the proof of (i) and (ii).

    Returns
    -------
    dict with keys

    * ``statement`` (str, :data:`THEOREM`) and ``statement_latex`` (str);
    * ``hypotheses`` (list of str);
    * ``steps``: list of dicts ``{"id", "title", "latex", "scope"}`` in proof order;
    * ``lemmas``: ``{"recurrence": dict, "window": dict, "converse": {n: dict}}`` of named booleans
      computed now by SymPy (:func:`recurrence_lemma`, :func:`window_lemma`, :func:`converse_lemma`);
    * ``holds`` (bool): every fact of the recurrence and window lemmas is True (the proof of (i), (ii));
    * ``converse_holds`` (bool or None): every converse fact is True (None if not run);
    * ``scope``: ``{"symbolic_all_n", "per_n_recheck", "converse", "converse_reduction"}`` — what is
      proved for all ``n``, what :func:`check_n` recomputes per ``n``, the status of "equality only if
      symmetric" and the (unproved) equality it reduces to;
    * ``latex``: the whole proof as a LaTeX fragment (no preamble).

    Examples
    --------
    >>> t = whole_class_theorem()
    >>> t["holds"], [s["id"] for s in t["steps"]][:3]
    (True, ['saddle', 'taylor', 'recurrence'])
    """
    if not isinstance(include_converse, bool):
        raise TypeError(f"include_converse must be a bool, got {type(include_converse).__name__}")
    lemmas = {"recurrence": recurrence_lemma(), "window": window_lemma(),
              "converse": {n: converse_lemma(n) for n in range(2, MAX_CONVERSE_N + 1)} if include_converse else {}}
    holds = all(lemmas["recurrence"].values()) and all(lemmas["window"].values())
    converse = all(all(f.values()) for f in lemmas["converse"].values()) if include_converse else None
    statement_latex = (
        r"Let $B = \operatorname{diag}(b)$ with exactly one negative entry $b_0$ and $b_j > 0$ ($j \ne 0$), "
        r"$A_\sigma = I - \sigma L$, $0 < \eta \max_j b_j < 2$. Then $\dim E_{\mathrm{rob}} \le "
        r"\lfloor (n-1)/2 \rfloor$ for every $n \ge 2$; if $b_j = b_{-j}$ for all $j$, then "
        r"$E_{\mathrm{rob}} = S_a$ and $\dim E_{\mathrm{rob}} = \lfloor (n-1)/2 \rfloor$.")
    steps = [{"id": i, "title": t, "latex": tex, "scope": sc} for i, t, tex, sc in _STEPS]
    scope = {
        "symbolic_all_n": "(i) and (ii) for every n >= 2 and every profile of the class: steps 3-4 are SymPy "
                          "computations valid for all n (abstract recurrence, shift-invariant window), steps "
                          "1, 2, 5, 6 short general arguments",
        "per_n_recheck": "check_n(n) recomputes supports, edge entries and the triangular diagonal for one "
                         "concrete n with a free-symbol profile (symmetric and non-symmetric)",
        "converse": f"'dim E_rob = floor((n-1)/2) only if b is symmetric' is proved symbolically for "
                    f"n <= {MAX_CONVERSE_N} (converse_lemma); for larger n it is NOT proved, only checked exactly "
                    f"per profile (taylor_bounds) on searched profiles",
        "converse_reduction": "For non-symmetric b the B,K-invariant closure W of e_0 has dim W >= m + 1 "
                              "(S_s = span{K^k e_0} lies in W; for the first pair d with b_d != b_{-d}, "
                              "e_d + e_{-d} + (inner terms) and B of it give e_d, e_{-d} in W), and span{u_k} lies "
                              "in W. So the converse follows from span{u_k} = W; this equality holds in every profile "
                              "computed (taylor_bounds: lower = upper) but is NOT proved. For n = 6 the first m + 1 "
                              "coefficients no longer suffice: all their 5-minors share a factor vanishing on "
                              "non-symmetric profiles (n6_degenerate_profiles); there the full Taylor rank is 6.",
    }
    body = "\n".join(rf"\item \textbf{{{s['title']}.}} {s['latex']}" for s in steps)
    latex = ("\\begin{theorem}\n" + statement_latex + "\n\\end{theorem}\n\\begin{proof}\n\\begin{enumerate}\n"
             + body + "\n\\end{enumerate}\n\\end{proof}\n")
    return {"statement": THEOREM, "statement_latex": statement_latex,
            "hypotheses": ["B = diag(b), exactly one negative entry b_0, b_j > 0 for j != 0",
                           "A_sigma = I - sigma L (order p = 1), sigma >= 0", "0 < eta max_j b_j < 2"],
            "steps": steps, "lemmas": lemmas, "holds": bool(holds), "converse_holds": converse, "scope": scope,
            "latex": latex}


# --------------------------------------------------------------------------- where the first m+1 coefficients fail
@functools.lru_cache(maxsize=1)
def _n6_degeneracy():
    """``(G, x)``: the common factor of all 5-minors of ``[u_0..u_4]`` for ``n = 6``, ``x_j = b_j - b_0``, ``b_0 = -1``."""
    n, m = 6, 4
    x = sympy.symbols("x1:6", positive=True)
    b = [-_ONE] + [xi - 1 for xi in x]
    K = [{j: sympy.Integer(int(v)) for j, v in r.items()} for r in stencil_rows(n, 1)]
    us, _ = taylor_series(b, K, m + 1, _ZERO, _ONE)
    M = sympy.Matrix(n, m + 1, lambda i, k: sympy.cancel(us[k][i]))
    minors = [sympy.numer(sympy.cancel(M.extract(list(r), list(range(m + 1))).det()))
              for r in combinations(range(n), m + 1)]
    G = functools.reduce(sympy.gcd, [e for e in minors if e != 0])
    return sympy.factor(G), x


def n6_degenerate_profiles(grid=((3, 2), (2, 1), (3, 1), (5, 1))) -> list:
    """Non-symmetric ``n = 6`` profiles on which the first ``m + 1 = 5`` Taylor coefficients are dependent.

    Unlike ``n <= 5``, for ``n = 6`` every 5-minor of ``[u_0..u_4]`` shares a factor
    ``G`` (:func:`_n6_degeneracy`) that vanishes on non-symmetric positive profiles, so
    the converse cannot be read off the first ``m + 1`` coefficients there. ``G`` is
    linear in ``x_3``; for each ``(x_1, x_2, x_4, x_5)`` on ``grid`` (rationals ``p/q``
    as pairs, all ``> 1``) the root ``x_3 > 1`` gives the profile ``b_j = x_j - 1``,
    ``b_0 = -1``. These are the adversarial cases for the converse search.

    >>> ps = n6_degenerate_profiles()
    >>> len(ps) > 0 and all(len(b) == 6 and b[0] == -1 for b in ps)
    True
    """
    from fractions import Fraction

    if not isinstance(grid, (list, tuple)) or not grid or len(grid) > 12:
        raise ValueError("grid must be a non-empty list of at most 12 pairs (p, q)")
    for i, pq in enumerate(grid):
        if (not isinstance(pq, (list, tuple)) or len(pq) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in pq) or not 0 < pq[1] < pq[0]):
            raise ValueError(f"grid[{i}] must be a pair of ints (p, q) with 0 < q < p (so p/q > 1), got {pq!r}")
    G, x = _n6_degeneracy()
    core = [f for f, _ in sympy.factor_list(G)[1] if f.has(x[2])]
    if len(core) != 1 or sympy.degree(core[0], x[2]) != 1:
        raise ArithmeticError("unexpected shape of the n = 6 degeneracy factor")
    root = sympy.solve(core[0], x[2])[0]
    values = [sympy.Rational(p, q) for p, q in grid]
    out = []
    for x1, x2, x4, x5 in ((a, c, d, e) for a in values for c in values for d in values for e in values):
        try:
            x3 = root.subs({x[0]: x1, x[1]: x2, x[3]: x4, x[4]: x5})
        except ZeroDivisionError:  # pragma: no cover - depends on the grid
            continue
        if not x3.is_Rational or x3 <= 1:
            continue
        b = [Fraction(-1)] + [Fraction(int(v.p), int(v.q)) - 1 for v in (x1, x2, x3, x4, x5)]
        if not (b[1] == b[5] and b[2] == b[4]):
            out.append(b)
    return out
