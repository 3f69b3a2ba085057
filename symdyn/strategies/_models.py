"""Hidden-variable laws with known moments, contrastive models in the spec's regimes, LSGD diagonals."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy
from hypothesis import strategies as st

from ._rationals import check_count, positive_rationals

__all__ = ["LawCase", "ContrastiveCase", "DiagonalCase", "hidden_laws", "contrastive_models", "lsgd_diagonals"]

FAMILIES = ("rademacher", "sparse_ternary", "gaussian", "uniform", "four_point")


def _q(f) -> sympy.Rational:
    f = Fraction(f)
    return sympy.Rational(f.numerator, f.denominator)


def _exact_rational(name, v, *, positive=False, at_least=None):
    if isinstance(v, bool) or not isinstance(v, (int, Fraction)):
        raise TypeError(f"{name} must be an int or Fraction, got {type(v).__name__}")
    v = Fraction(v)
    if positive and v <= 0:
        raise ValueError(f"{name} must be > 0, got {v}")
    if at_least is not None and v < at_least:
        raise ValueError(f"{name} must be >= {at_least}, got {v}")
    return v


# ----------------------------------------------------------------------------- hidden laws
@dataclass(frozen=True)
class LawCase:
    """A hidden-variable law with its known moments.

    Attributes
    ----------
    law : symdyn.hidden.HiddenLaw
    family : str
        One of ``rademacher``, ``sparse_ternary``, ``gaussian``, ``uniform``, ``four_point``.
    second_moment, fourth_moment, kurtosis : sympy.Rational
        ``<c^2>``, ``<c^4>`` and ``<c^4>/<c^2>^2`` (odd moments are 0: every law is symmetric).
    """

    law: object
    family: str
    second_moment: sympy.Rational
    fourth_moment: sympy.Rational
    kurtosis: sympy.Rational


def _law(family: str, m2: Fraction, kappa: Fraction, t: Fraction | None):
    """The law of ``family`` with ``<c^2> = m2`` and kurtosis ``kappa``."""
    from .. import hidden

    if family == "rademacher":
        return hidden.Rademacher(sympy.sqrt(_q(m2)))
    if family == "gaussian":
        return hidden.GaussianLaw(_q(m2))
    if family == "uniform":
        return hidden.UniformLaw(sympy.sqrt(3 * _q(m2)))
    if family == "sparse_ternary":
        return hidden.SparseTernary(sympy.sqrt(_q(m2 * kappa)), _q(1 / kappa))
    # four_point: +-sqrt(A) w.p. p/2 each, +-sqrt(B) w.p. (1-p)/2 each, with
    # p = (kappa-1)/(kappa-1+t^2), A = m2 (1+t), B = m2 (1 - p(1+t))/(1-p), t > kappa - 1
    p = (kappa - 1) / (kappa - 1 + t * t)
    A = m2 * (1 + t)
    B = m2 * (1 - p * (1 + t)) / (1 - p)
    a, b = sympy.sqrt(_q(A)), sympy.sqrt(_q(B))
    return hidden.DiscreteLaw([-a, -b, b, a], [_q(p / 2), _q((1 - p) / 2), _q((1 - p) / 2), _q(p / 2)])


def hidden_laws(*, second_moment=None, kurtosis=None, families=FAMILIES):
    """Symmetric hidden-variable laws with given (or drawn) ``<c^2>`` and kurtosis.

    Parameters
    ----------
    second_moment : int or Fraction > 0, optional
        ``<c^2>``; drawn from small rationals in ``[1/4, 4]`` when omitted.
    kurtosis : int or Fraction >= 1, optional
        ``<c^4> / <c^2>^2``; when omitted it is the family's (1 Rademacher, 3 Gaussian,
        9/5 uniform) or drawn (sparse ternary, four-point).
    families : sequence of str
        Families to draw from; with a prescribed kurtosis only the families that
        can realise it are used: Rademacher (kurtosis 1), Gaussian (3), uniform
        (9/5), sparse ternary ``(-a, 0, a)`` (any kurtosis >= 1), and a four-point law
        ``+-sqrt(A), +-sqrt(B)`` (any kurtosis > 1; its weights and values come from a
        rational parametrisation of the moment equations).

    Returns
    -------
    SearchStrategy of LawCase

    Guarantees
    ----------
    ``case.law`` has exactly ``E[c] = E[c^3] = 0``, ``E[c^2] = case.second_moment``,
    ``E[c^4] = case.fourth_moment`` and kurtosis ``case.kurtosis``.

    Examples
    --------
    >>> from symdyn.strategies import hidden_laws
    >>> case = hidden_laws(second_moment=2, kurtosis=5).example()
    >>> case.law.second_moment, case.law.kurtosis
    (2, 5)
    """
    if isinstance(families, str):
        families = (families,)
    families = tuple(families)
    bad = [f for f in families if f not in FAMILIES]
    if bad or not families:
        raise ValueError(f"families must be a non-empty subset of {FAMILIES}, got {families}")
    m2_fixed = None if second_moment is None else _exact_rational("second_moment", second_moment, positive=True)
    k_fixed = None if kurtosis is None else _exact_rational("kurtosis", kurtosis, at_least=1)
    fixed_kurt = {"rademacher": Fraction(1), "gaussian": Fraction(3), "uniform": Fraction(9, 5)}
    if k_fixed is not None:
        families = tuple(f for f in families if fixed_kurt.get(f, k_fixed) == k_fixed
                         and not (f == "four_point" and k_fixed == 1))
        if not families:
            raise ValueError(f"no family in the selection realises kurtosis {k_fixed}")

    @st.composite
    def draw_case(draw):
        family = draw(st.sampled_from(families))
        m2 = m2_fixed if m2_fixed is not None else draw(
            st.builds(Fraction, st.integers(1, 8), st.sampled_from((1, 2, 4))).filter(lambda v: v >= Fraction(1, 4)))
        if k_fixed is not None:
            kappa = k_fixed
        elif family in fixed_kurt:
            kappa = fixed_kurt[family]
        else:
            kappa = 1 + draw(positive_rationals(8, 2)) if family == "four_point" else draw(
                st.builds(Fraction, st.integers(1, 6), st.integers(1, 2)).filter(lambda v: v >= 1))
        t = None
        if family == "four_point":
            t = (kappa - 1) + draw(positive_rationals(4, 2))
        law = _law(family, m2, kappa, t)
        return LawCase(law, family, _q(m2), _q(kappa * m2 * m2), _q(kappa))

    return draw_case()


# ----------------------------------------------------------------------------- contrastive
@dataclass(frozen=True)
class ContrastiveCase:
    """A contrastive model in the spec's regimes, with a start state.

    Attributes
    ----------
    model : symdyn.contrastive.ContrastiveModel
    R0, Q0 : tuple of tuple of float
        Start overlaps: ``R0`` of shape ``(d, 1)`` with entries in ``[0.01, 0.1]``, ``Q0 = [[1.0]]``.
    laws : tuple of LawCase
        The hidden laws with their known moments.
    """

    model: object
    R0: tuple
    Q0: tuple
    laws: tuple

    @property
    def second_moments(self) -> tuple:
        return tuple(c.second_moment for c in self.laws)


MODEL_FAMILIES = ("rademacher", "sparse_ternary", "gaussian", "four_point")


def contrastive_models(*, d: int = 1, activations=("tanh", "erf"), augmentations=("additive", "resample"),
                       families=MODEL_FAMILIES):
    """One-neuron contrastive models in the regimes of the spec.

    Regimes (``models/contrastive.md``): activation tanh or erf, ``tau`` in
    ``{1/5, 1/4, 1/2, 3/4, 1}`` (within ``[0.2, 1]``), ``beta = 1``, ``<c^2>`` in
    ``[1, 3]``, ``Delta`` in ``{0, 1/2, 1}``, ``rho`` in ``{1, 0, -1/2, -1}``,
    ``R0`` in ``[0.01, 0.1]``, ``Q0 = 1``.

    Parameters
    ----------
    d : int
        Number of features (1..3), one law each (drawn independently).
    activations : sequence of {'tanh', 'erf'}
    augmentations : sequence of {'additive', 'resample'}
    families : sequence of str
        Law families, as in :func:`hidden_laws`, among those :func:`~symdyn.contrastive.moment_odes`
        averages exactly: finite discrete laws and Gaussian (not ``uniform``).

    Returns
    -------
    SearchStrategy of ContrastiveCase

    Guarantees
    ----------
    Every parameter lies in the regimes above; each law is symmetric with the known
    ``<c^2>`` in ``[1, 3]`` (``case.laws``). Because ``E[c] = 0``, the uninformative
    states ``R = 0`` form an invariant set of the moment ODEs (``dR/dt = 0`` at
    ``R = 0`` for every ``Q``).

    Examples
    --------
    >>> from symdyn.strategies import contrastive_models
    >>> case = contrastive_models().example()
    >>> float(case.model.beta), all(1 <= m <= 3 for m in case.second_moments)
    (1.0, True)
    """
    check_count("d", d, 1, 3)
    acts = {"tanh": sympy.tanh, "erf": sympy.erf}
    for a in activations:
        if a not in acts:
            raise ValueError(f"activations must be among {tuple(acts)}, got {a!r}")
    for a in augmentations:
        if a not in ("additive", "resample"):
            raise ValueError(f"augmentations must be among ('additive', 'resample'), got {a!r}")
    if not activations or not augmentations:
        raise ValueError("activations and augmentations must be non-empty")
    if isinstance(families, str):
        families = (families,)
    if not families or any(f not in MODEL_FAMILIES for f in families):
        raise ValueError(f"families must be a non-empty subset of {MODEL_FAMILIES}, got {tuple(families)}")
    m2s = st.sampled_from((Fraction(1), Fraction(3, 2), Fraction(2), Fraction(5, 2), Fraction(3)))

    @st.composite
    def draw_case(draw):
        from ..contrastive import ContrastiveModel

        laws = tuple(draw(m2s.flatmap(lambda m2: hidden_laws(second_moment=m2, families=families)))
                     for _ in range(d))
        aug = draw(st.sampled_from(tuple(augmentations)))
        tau = draw(st.sampled_from((Fraction(1, 5), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1))))
        rho = draw(st.sampled_from((Fraction(1), Fraction(0), Fraction(-1, 2), Fraction(-1))))
        delta = draw(st.sampled_from((Fraction(0), Fraction(1, 2), Fraction(1)))) if aug == "additive" else Fraction(0)
        model = ContrastiveModel(d=d, activation=acts[draw(st.sampled_from(tuple(activations)))], augmentation=aug,
                                 Delta=_q(delta), rho=_q(rho), tau=_q(tau), beta=1, laws=tuple(c.law for c in laws))
        R0 = tuple((draw(st.integers(1, 10)) / 100,) for _ in range(d))
        return ContrastiveCase(model, R0, ((1.0,),), laws)

    return draw_case()


# ----------------------------------------------------------------------------- lsgd
@dataclass(frozen=True)
class DiagonalCase:
    """A diagonal saddle ``B = diag(b)`` for LSGD with known exact facts.

    Attributes
    ----------
    b : tuple of Fraction
        Exactly one negative entry, no zero entry.
    negative_index : int
    reflection_symmetric : bool
        ``b[(i0 + j) % n] == b[(i0 - j) % n]`` for all ``j``.
    eta : Fraction
        Step with ``0 < eta * max(b) < 2``.
    """

    b: tuple
    negative_index: int
    reflection_symmetric: bool
    eta: Fraction

    @property
    def n(self) -> int:
        return len(self.b)

    @property
    def unit_counts(self) -> tuple:
        """``(inside, on, outside) = (n - 1, 0, 1)``: the eigenvalue counts of ``T(sigma)``
        for every ``sigma >= 0`` (Sylvester's law of inertia)."""
        return (self.n - 1, 0, 1)

    @property
    def antisymmetric_dim(self) -> int | None:
        """``floor((n-1)/2)`` for a reflection-symmetric ``b`` (the sigma-robust lower bound), else None."""
        return (self.n - 1) // 2 if self.reflection_symmetric else None


def lsgd_diagonals(*, min_n: int = 2, max_n: int = 9, symmetric=None):
    """Diagonal LSGD saddles: reflection-symmetric or generic.

    Parameters
    ----------
    min_n, max_n : int
        Size range (2..64); a generic (non-symmetric) diagonal needs ``n >= 3``.
    symmetric : bool, optional
        ``True``: reflection-symmetric about the negative index; ``False``: not
        (``b[i0 + 1] != b[i0 - 1]``); ``None``: either.

    Returns
    -------
    SearchStrategy of DiagonalCase

    Guarantees
    ----------
    ``b`` has exactly one negative and no zero entry (entries in ``[-4, -1/4]`` and
    ``[1/4, 4]``, denominators <= 4), ``case.reflection_symmetric`` is exact, and
    ``0 < eta * max(b) < 2``. Hence for every ``sigma >= 0`` the LSGD iteration matrix has
    ``n - 1`` eigenvalues inside the unit circle and one outside, and when ``b`` is
    reflection-symmetric the antisymmetric subspace (dimension ``floor((n-1)/2)``) is
    attracted for every ``sigma``.

    Examples
    --------
    >>> from symdyn.strategies import lsgd_diagonals
    >>> case = lsgd_diagonals(symmetric=True).example()
    >>> case.reflection_symmetric and sum(v < 0 for v in case.b) == 1
    True
    """
    check_count("min_n", min_n, 2, 64)
    check_count("max_n", max_n, 2, 64)
    if min_n > max_n:
        raise ValueError(f"min_n={min_n} exceeds max_n={max_n}")
    if symmetric is not None and not isinstance(symmetric, bool):
        raise TypeError("symmetric must be a bool or None")
    if symmetric is False and max_n < 3:
        raise ValueError("a non-symmetric diagonal needs n >= 3 (max_n >= 3)")
    vals = st.builds(Fraction, st.integers(1, 16), st.sampled_from((1, 2, 4))).filter(
        lambda v: Fraction(1, 4) <= v <= 4)

    @st.composite
    def draw_case(draw):
        sym = symmetric if symmetric is not None else draw(st.booleans())
        n = draw(st.integers(max(min_n, 2 if sym else 3), max_n))
        i0 = draw(st.integers(0, n - 1))
        rel = [-draw(vals)] + draw(st.lists(vals, min_size=n - 1, max_size=n - 1))   # rel[j] = b[i0 + j]
        if sym:
            rel = [rel[min(j, n - j)] for j in range(n)]
        elif rel[1] == rel[n - 1]:
            rel[n - 1] = rel[1] + Fraction(1, 4) if rel[1] < 4 else rel[1] - Fraction(1, 4)
        b = tuple(rel[(i - i0) % n] for i in range(n))
        is_sym = all(b[(i0 + j) % n] == b[(i0 - j) % n] for j in range(n))
        step = draw(st.sampled_from((Fraction(1, 2), Fraction(1), Fraction(3, 2), Fraction(7, 4))))
        return DiagonalCase(b, i0, is_sym, step / max(b))

    return draw_case()
