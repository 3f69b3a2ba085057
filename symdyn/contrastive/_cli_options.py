"""The one model vocabulary of every ``symdyn contrastive ...`` / ``symdyn latex contrastive`` command.

Every command that builds a :class:`ContrastiveModel` adds its flags with
:func:`add_model_options` and builds its model with :func:`model_from_args`
(its parser stores the builder as ``build_model``), so a parameter has the
same flag name, type, default and range everywhere:

=====================  ==========================================  ==========  ===============
flag                   meaning                                     default     range
=====================  ==========================================  ==========  ===============
``--activation``       activation sigma (a fixed name table)       tanh        table names
``--augmentation``     how the two views are made                  additive    additive, resample
``--second-moment``    ``<c^2>`` of every feature                  2           > 0
``--kurtosis K...``    ``<c^4>/<c^2>^2``, one value per feature    see below   >= 1
``--law``              law family when ``--kurtosis`` is absent    rademacher  see :data:`LAWS`
``--Delta``            augmentation noise strength                 0           >= 0
``--rho``              view-noise correlation                      0           [-1, 1]
``--tau``              step size (time scale)                      1/2         > 0
``--beta``             L2 strength                                 1           >= 0
=====================  ==========================================  ==========  ===============

Documented per-command differences (and only these):

* ``--kurtosis`` default: 1 for every feature, except the two-feature
  commands (``portrait``, ``basins``, ``latex contrastive --d 2``): ``1 2``,
  so that the two features differ (the higher-moment claim).
* ``--Delta`` default of ``latex contrastive``: ``1/2`` -- at ``Delta = 0``
  the additive views are identical, a degenerate case for a document about
  contrastive learning (:data:`COMMAND_DEFAULTS`).
* ``steady-state`` takes several ``--tau``/``--Delta``/``--rho`` values (a
  grid); same type and range per value.

The defaults sit in the learnable regime: with ``tanh`` (or ``erf``), ``tau =
1/2``, ``beta = 1`` and ``Delta = 0`` the learnability threshold on ``<c^2>`` is
about 1.27 (erf: 1.32; tanh at ``Delta = 1/2``: 1.47), below the default 2
(tests check this with :func:`symdyn.contrastive.learnability_threshold`).
Numbers are parsed as exact decimals (:class:`fractions.Fraction`); user text
is never evaluated.  The old ``--m2`` is a hidden, deprecated alias of
``--second-moment``.
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction

import sympy

__all__ = ["ACTIVATIONS", "DEFAULT_ACTIVATION", "DEFAULT_SECOND_MOMENT", "DEFAULTS", "COMMAND_DEFAULTS", "LAWS",
           "SHARED_FLAGS", "exact_number", "add_model_options", "laws_from_args", "model_from_args"]

_x = sympy.Symbol("x", real=True)

#: name -> SymPy activation (a fixed table: user text is never parsed)
ACTIVATIONS = {
    "tanh": sympy.tanh,
    "erf": sympy.erf,
    "linear": sympy.Lambda(_x, _x),
    "cubic": sympy.Lambda(_x, _x - _x**3 / 3),
    "sin": sympy.sin,
    "atan": sympy.atan,
    "sigmoid": sympy.Lambda(_x, 1 / (1 + sympy.exp(-_x)) - sympy.Rational(1, 2)),
}

DEFAULT_ACTIVATION = "tanh"  # the ContrastiveModel default; learnable at the default <c^2> = 2
DEFAULT_SECOND_MOMENT = Fraction(2)
DEFAULTS = {"tau": Fraction(1, 2), "beta": Fraction(1), "Delta": Fraction(0), "rho": Fraction(0)}
LAWS = ("rademacher", "gaussian", "uniform", "sparse-ternary")

#: per-command default overrides (the only ones; README "Model parameters (one vocabulary)")
COMMAND_DEFAULTS = {
    # Delta = 0 makes the two additive views identical: degenerate for a contrastive document
    "latex contrastive": {"Delta": Fraction(1, 2)},
}

#: the flags every contrastive command takes (argparse dests)
SHARED_FLAGS = ("activation", "augmentation", "second_moment", "kurtosis", "law", "tau", "beta", "Delta", "rho")


def exact_number(text: str) -> Fraction:
    """argparse type: an exact decimal or fraction (``0.5``, ``1/3``, ``-1``); never evaluated."""
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


class _DeprecatedAlias(argparse.Action):
    """``--m2 X``: store into ``--second-moment`` with a deprecation note on stderr."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"symdyn: note: {option_string} is deprecated; use --second-moment", file=sys.stderr)
        setattr(namespace, self.dest, values)


def add_model_options(p, *, grid: bool = False, kurtosis_default: str = "1 for every feature",
                      defaults: dict | None = None):
    """Add the shared model flags to the argparse parser ``p``; return the argument group.

    Parameters
    ----------
    p : argparse.ArgumentParser
    grid : bool
        ``--tau``, ``--Delta``, ``--rho`` take several values (a grid), stored as lists.
    kurtosis_default : str
        How the command fills in an absent ``--kurtosis`` (for the help text;
        the value itself goes to :func:`model_from_args`).
    defaults : dict, optional
        Per-command overrides of :data:`DEFAULTS` (``{"Delta": Fraction(1, 2)}``);
        only those of :data:`COMMAND_DEFAULTS` are documented and allowed.

    Every command gets the full :data:`ACTIVATIONS` table: thresholds, steady
    states, portraits and documents are computed numerically for any of them
    (a setting without an uninformative fixed point, e.g. ``linear``, is a
    clear error or a row marked failed); ``--certify`` needs closed forms (erf).
    """
    overrides = dict(defaults or {})
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"no such model default: {sorted(unknown)}")
    g = p.add_argument_group("model (the same flags in every contrastive command)")
    g.add_argument("--activation", choices=sorted(ACTIVATIONS), default=DEFAULT_ACTIVATION,
                   help=f"activation (default {DEFAULT_ACTIVATION}; erf has closed forms and certified results)")
    g.add_argument("--augmentation", choices=("additive", "resample"), default="additive",
                   help="how the two views are made (default additive)")
    g.add_argument("--second-moment", type=exact_number, default=DEFAULT_SECOND_MOMENT, metavar="C2",
                   help=f"<c^2> of every feature, > 0 (default {DEFAULT_SECOND_MOMENT})")
    g.add_argument("--m2", type=exact_number, dest="second_moment", action=_DeprecatedAlias, help=argparse.SUPPRESS)
    g.add_argument("--kurtosis", type=exact_number, nargs="+", default=None, metavar="K",
                   help=f"<c^4>/<c^2>^2 of each feature, >= 1, one value per feature (one value: every "
                        f"feature; sparse-ternary laws, 1 is Rademacher; default {kurtosis_default})")
    g.add_argument("--law", choices=LAWS, default=None,
                   help="hidden law of every feature when --kurtosis is not given (default: rademacher, or the "
                        "command's --kurtosis default)")
    ranges = {"tau": "step size, > 0", "beta": "L2 strength, >= 0", "Delta": "augmentation noise, >= 0",
              "rho": "view-noise correlation in [-1, 1]"}
    for name in ("tau", "beta", "Delta", "rho"):
        several = grid and name != "beta"
        default = overrides.get(name, DEFAULTS[name])
        note = " -- this command's own default" if name in overrides else ""
        g.add_argument(f"--{name}", type=exact_number, nargs="+" if several else None,
                       default=[default] if several else default,
                       help=f"{ranges[name]} (default {default}{note})" + (" (several values: a grid)" if several else ""))
    return g


def laws_from_args(args, d: int | None = None, *, default_kurtosis=None):
    """The hidden laws of the ``d`` features described by the parsed flags.

    ``--kurtosis K1 .. Kd`` gives the sparse-ternary law with ``<c^2>`` and
    that kurtosis to each feature (kurtosis 1 is the Rademacher law); one value
    is used for every feature.  Without ``--kurtosis``: ``default_kurtosis``
    (a list) if given and ``--law`` is absent, else the ``--law`` family
    (default Rademacher).  ``d = None``: as many features as kurtosis values.
    """
    from ..hidden import GaussianLaw, Rademacher, UniformLaw, law_with_moments

    m2 = args.second_moment
    if not m2 > 0:
        raise ValueError(f"--second-moment must be > 0, got {m2}")
    m2 = sympy.Rational(m2.numerator, m2.denominator)
    family = getattr(args, "law", None)
    if args.kurtosis and family not in (None, "rademacher", "sparse-ternary"):
        raise ValueError(f"--kurtosis sets sparse-ternary laws; it cannot be combined with --law {family}")
    # an explicit --law wins over the command's kurtosis default
    kurt = args.kurtosis if args.kurtosis else (default_kurtosis if family is None else None)
    family = family or "rademacher"
    if kurt:
        for k in kurt:
            if not k >= 1:
                raise ValueError(f"--kurtosis values must be >= 1, got {k}")
        if d is None:
            d = len(kurt)
        if len(kurt) == 1:
            kurt = list(kurt) * d
        if len(kurt) != d:
            raise ValueError(f"--kurtosis needs 1 or {d} value(s) (one per feature), got {len(kurt)}")
        return tuple(Rademacher(sympy.sqrt(m2)) if k == 1 else law_with_moments(m2, sympy.Rational(k.numerator,
                     k.denominator) if isinstance(k, Fraction) else k) for k in kurt)
    d = 1 if d is None else d
    if family == "sparse-ternary":
        raise ValueError("--law sparse-ternary needs --kurtosis (>= 1, one value per feature)")
    law = {"rademacher": lambda: Rademacher(sympy.sqrt(m2)), "gaussian": lambda: GaussianLaw(m2),
           "uniform": lambda: UniformLaw(sympy.sqrt(3 * m2))}[family]()
    return (law,) * d


def _number(value):
    return sympy.Rational(value.numerator, value.denominator) if isinstance(value, Fraction) else value


def model_from_args(args, d: int | None = None, *, d2: int = 1, lam=None, default_kurtosis=None, symbolic=()):
    """The :class:`ContrastiveModel` of the shared flags: every contrastive command builds its model here.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed :func:`add_model_options` flags; grid flags (lists) give the
        model at their first values.
    d : int, optional
        Number of features (default: one per ``--kurtosis`` value, else 1).
    d2 : int
        Number of neurons.
    lam : number, optional
        Off-diagonal penalty weight (default the model's, 1/2).
    default_kurtosis : list, optional
        The command's kurtosis default (see :func:`laws_from_args`).
    symbolic : iterable of str
        Parameter names kept symbolic (``odes --symbolic``).
    """
    from .model import PARAM_SYMBOLS, ContrastiveModel

    laws = laws_from_args(args, d, default_kurtosis=default_kurtosis)
    symbolic = set(symbolic)
    values = {}
    for name in ("tau", "beta", "Delta", "rho"):
        v = getattr(args, name)
        v = v[0] if isinstance(v, list) else v
        values[name] = PARAM_SYMBOLS[name] if name in symbolic else _number(v)
    if lam is not None:
        values["lam"] = PARAM_SYMBOLS["lam"] if "lam" in symbolic else _number(lam)
    return ContrastiveModel(d=len(laws), d2=d2, activation=ACTIVATIONS[args.activation],
                            augmentation=args.augmentation, laws=laws, **values)
