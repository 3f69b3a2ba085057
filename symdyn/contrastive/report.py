r"""The contrastive derivation as a paper appendix (``symdyn latex contrastive``).

:func:`contrastive_document` writes a standalone LaTeX document whose every
formula is ``sympy.latex`` of the real objects, in the order of the
derivation:

1. the model and its notation (parameters, hidden laws, activation, error
   signals, the conditional Gaussian law of the pre-activations);
2. the drift :math:`\Gamma` and diffusion :math:`\Lambda` of
   :class:`~symdyn.contrastive.pde.McKeanVlasovPDE` (Gaussian expectations
   named once, :math:`\mathcal{E}_k`);
3. the weak form for the test functions :math:`u_k w_j`, :math:`w_i w_j`
   (integration by parts, the Ito term), the closure (the monomials met and
   their moments), the conditional and averaged moment ODEs
   (:func:`~symdyn.contrastive._printing.format_odes`, long sums broken);
4. the spec's reference form (:math:`a, b, V, K, G, S`), *compared* with the
   derived equations (:func:`reference_form`, exact);
5. the two derivation routes (PDE, SGD increments), *compared*
   (:func:`routes_agree`, exact);
6. the Jacobian at the uninformative state by its block structure, the
   eigenvalue formula (proved for a general law by
   :func:`~symdyn.contrastive.claims.learnability_structure`), fixed points,
   the learnability threshold with its level (erf: certified balls) and the
   verdicts of the claim checks.

Nothing in the text states a result that the generator did not compute.
"""

from __future__ import annotations

import itertools
import re
import time

import numpy as np
import sympy

from .. import latex as L
from . import fixedpoints as fpm

__all__ = ["contrastive_document", "reference_form", "routes_agree"]

#: rendered characters per displayed row (11 pt, 17 cm text width)
ROW_WIDTH = 58


# ---------------------------------------------------------------------------
# notation helpers
# ---------------------------------------------------------------------------

def _renames(model, views=None) -> dict:
    """Printing names: ``R_{1,1} -> R_{11}``, ``h^{(1)}_1 -> h^{(1)}`` (one neuron)."""
    from .model import order_parameters

    R, Q = order_parameters(model.d, model.d2)
    out = {}
    for k in range(model.d):
        for j in range(model.d2):
            out[R[k, j]] = sympy.Symbol(f"R_{{{k + 1}{j + 1}}}", real=True)
    for i in range(model.d2):
        for j in range(i, model.d2):
            out[Q[i, j]] = sympy.Symbol(f"Q_{{{i + 1}{j + 1}}}", real=True)
    if views is not None and model.d2 == 1:
        for v in range(2):
            out[views.h[v][0]] = sympy.Symbol(f"h^{{({v + 1})}}", real=True)
    return out


class _Printer:
    """``sympy.latex`` with the document's names (states, pre-activations, named expectations)."""

    def __init__(self, renames):
        self.renames = dict(renames)
        self.symbol_names = {}

    def name(self, symbol, latex_name):
        self.symbol_names[symbol] = latex_name

    def prep(self, expr):
        return sympy.S(expr).xreplace(self.renames)

    def __call__(self, expr) -> str:
        return sympy.latex(self.prep(expr), symbol_names=self.symbol_names)

    def rows(self, pairs, relation="=") -> str:
        """``align*`` rows ``lhs = rhs``, sums broken to :data:`ROW_WIDTH`."""
        body = []
        for lhs, rhs in pairs:
            if isinstance(rhs, str):
                body.append(f"{lhs} &{relation} {rhs}")
                continue
            lines = L.broken(self.prep(rhs), max(24, ROW_WIDTH - L._visible_width(lhs)),
                             symbol_names=self.symbol_names)
            body.append(f"{lhs} &{relation} {lines[0]}")
            body.extend(f"&\\quad {line}" for line in lines[1:])
        if not body:
            return ""
        return "\\begin{align*}\n" + " \\\\\n".join(body) + "\n\\end{align*}\n"


def _num(x, digits: int = 6) -> str:
    """A float in LaTeX (``1.2 \\times 10^{-5}``)."""
    x = float(x)
    s = f"{x:.{digits}g}"
    if "e" in s:
        m, e = s.split("e")
        return rf"{m} \times 10^{{{int(e)}}}"
    return s


def _ball(ball: str) -> str:
    """``'[m +/- r]'`` (arb) as ``m \\pm r`` in LaTeX."""
    m = re.fullmatch(r"\[\s*([^ ]+)\s*\+/-\s*([^ \]]+)\s*\]", ball.strip())
    if not m:
        return r"\text{" + L.escape(ball) + "}"
    mid, rad = m.groups()
    r = _num(float(rad), 3)
    return rf"{mid} \pm {r}"


def _law_tex(k: int, law) -> str:
    """The law of feature ``k`` in symbols."""
    from ..hidden import DiscreteLaw, GaussianLaw, GeneralLaw, Rademacher, SparseTernary, UniformLaw

    c = f"c_{{{k}}}"
    two_point = isinstance(law, SparseTernary) and len(law.atoms()) == 2  # p = 1: the Rademacher law
    if isinstance(law, Rademacher) or two_point:
        scale = law.scale if isinstance(law, Rademacher) else law.a
        s = rf"{c} = \pm {L.tex(scale)} \text{{ with probability }} \tfrac12 \text{{ each (scaled Rademacher)}}"
    elif isinstance(law, SparseTernary) and len(law.atoms()) == 3:
        a, p = law.a, law.p
        s = (rf"{c} \in \{{-{L.tex(a)},\ 0,\ {L.tex(a)}\}} \text{{ with probabilities }} "
             rf"\left({L.tex(p / 2)},\ {L.tex(1 - p)},\ {L.tex(p / 2)}\right) \text{{ (sparse ternary)}}")
    elif isinstance(law, DiscreteLaw):
        s = rf"\Pr({c} = v) = p_v,\ (v, p_v) \in \{{" + ",\\ ".join(
            f"({L.tex(v)}, {L.tex(p)})" for v, p in law.atoms()) + r"\}"
    elif isinstance(law, GaussianLaw):
        s = rf"{c} \sim \mathcal{{N}}(0, {L.tex(law.variance)})"
    elif isinstance(law, UniformLaw):
        s = rf"{c} \sim \mathcal{{U}}[-{L.tex(law.half_width)}, {L.tex(law.half_width)}]"
    elif isinstance(law, GeneralLaw):
        s = rf"\langle {c}^{{j}} \rangle = m_{{j}} \text{{ (free symbols)}}"
    else:  # pragma: no cover - every law class of symdyn.hidden is listed
        s = rf"{c} \sim \text{{{L.escape(type(law).__name__)}}}"
    m2, m4 = law.moment(2), law.moment(4)
    return s + rf",\qquad \langle {c}^2 \rangle = {L.tex(m2)},\ \langle {c}^4 \rangle = {L.tex(m4)}"


# ---------------------------------------------------------------------------
# named Gaussian expectations (conditional on c)
# ---------------------------------------------------------------------------

class _Expectations:
    """Names :math:`\\mathcal{E}_k` for the Gaussian-expectation nodes over the views' law given ``c``."""

    def __init__(self, views, printer: _Printer):
        self.gauss = views.gaussian
        self.printer = printer
        self.names: dict = {}
        self.defs: list = []

    def _integrand(self, node):
        """The node's integrand in the views' variables, or None if its Gaussian is not a marginal of theirs."""
        from ._nodes import ETA

        G, n = self.gauss, node.n
        var = G.variables
        same = lambda a, b: sympy.expand(a - b) == 0  # noqa: E731
        for pick in itertools.permutations(range(len(var)), n):
            if not all(same(node.mean[a], G.mean[i]) for a, i in enumerate(pick)):
                continue
            C = node.cov
            if all(same(C[a, b], G.cov[pick[a], pick[b]]) for a in range(n) for b in range(n)):
                return node.integrand.xreplace({ETA[a]: var[i] for a, i in enumerate(pick)})
        return None

    def name_all(self, expr):
        from ._nodes import nodes_in

        expr = sympy.S(expr)
        rep = {}
        for node in sorted(nodes_in(expr), key=sympy.default_sort_key):
            if node not in self.names:
                f = self._integrand(node)
                if f is None:
                    continue  # printed in place, with its own Gaussian
                sym = sympy.Symbol(f"calE_{len(self.defs) + 1}", real=True)
                self.printer.name(sym, rf"\mathcal{{E}}_{{{len(self.defs) + 1}}}")
                self.names[node] = sym
                self.defs.append((sym, f))
            rep[node] = self.names[node]
        return expr.xreplace(rep)

    def definitions(self, start: int = 0) -> str:
        P = self.printer
        rows = [(P(s), rf"\mathbb{{E}}\left[{P(f)} \,\middle|\, c\right]") for s, f in self.defs[start:]]
        return P.rows(rows)


def _collect_affine(expr, variables):
    """``{variable: coefficient}`` of an expression affine (no constant) in ``variables``."""
    expr = sympy.expand(expr)
    out = {}
    for v in variables:
        out[v] = sympy.expand(expr.coeff(v))
    rest = sympy.expand(expr - sum(v * c for v, c in out.items()))
    return out, rest


# ---------------------------------------------------------------------------
# the computed checks
# ---------------------------------------------------------------------------

def reference_form(model):
    r"""The spec's one-neuron reference right-hand sides, conditional on ``c`` (a check, not the implementation).

    Written from the spec's formulas with its own :math:`V`, :math:`K`
    (``(h^{(1)}, h^{(2)}) | c`` centred at :math:`R\cdot c`):
    :math:`\dot R_k = \tau\{c_k E[a + b] + \Delta R_k E[s''s + s s'' + 2\rho s's']\} - \tau\beta R_k`,
    :math:`\dot Q = 2\tau E[a h^{(1)} + b h^{(2)}] + \tau^2\{\ldots\} - 2\tau\beta Q`
    (``E[a h1 + b h2]`` by Stein's lemma).

    Returns
    -------
    list of SymPy expressions in the state order, or ``None`` when ``d2 != 1``.
    """
    from ._nodes import Gaussian
    from ._views import c_symbols
    from .model import order_parameters

    if model.d2 != 1:
        return None
    Rm, Qm = order_parameters(model.d, 1)
    R = list(Rm)
    Q = Qm[0, 0]
    c = c_symbols(model.d)
    h1, h2 = sympy.symbols("h_ref1 h_ref2", real=True)
    x = model.sigma.variables[0]
    s0 = lambda h: model.sigma.expr.xreplace({x: h})  # noqa: E731
    s1 = lambda h: sympy.diff(model.sigma.expr, x).xreplace({x: h})  # noqa: E731
    s2 = lambda h: sympy.diff(model.sigma.expr, x, 2).xreplace({x: h})  # noqa: E731
    a, b = s1(h1) * s0(h2), s0(h1) * s1(h2)
    tau, beta, Delta, rho = model.tau, model.beta, model.Delta, model.rho
    r2 = sum(r**2 for r in R)
    if model.augmentation == "additive":
        V, K = (1 + Delta) * Q - r2, (1 + rho * Delta) * Q - r2
    else:
        V = Q - r2
        K = rho * V
    mean = sum(r * ck for r, ck in zip(R, c))
    G = Gaussian([h1, h2], [mean, mean], [[V, K], [K, V]])
    E = lambda f: G.expect(f, split=True)  # noqa: E731
    out = []
    for k in range(model.d):
        dR = tau * c[k] * E(a + b)
        if model.augmentation == "additive":
            dR += tau * Delta * R[k] * E(s2(h1) * s0(h2) + s0(h1) * s2(h2) + 2 * rho * s1(h1) * s1(h2))
        out.append(dR - tau * beta * R[k])
    if model.augmentation == "additive":
        var = (1 + Delta) * E(a**2 + b**2) + 2 * (1 + rho * Delta) * E(a * b)
    else:
        var = E(a**2 + b**2) + 2 * rho * E(a * b)
    out.append(2 * tau * (G.stein(h1, a) + G.stein(h2, b)) + tau**2 * var - 2 * tau * beta * Q)
    return out


def _same(a, b) -> bool:
    from ._nodes import canonicalize

    return sympy.expand(canonicalize(a) - canonicalize(b)) == 0


def routes_agree(model) -> dict:
    """Compare ``moment_odes(model, method="pde", closed=False)`` with ``method="increments"`` (exact).

    Returns
    -------
    dict with ``states``, ``equal`` (one bool per equation: the canonical
    forms of the two right-hand sides are identical), ``terms`` (terms per
    route and equation) and ``seconds``.
    """
    from ._nodes import canonicalize
    from .odes import moment_odes

    t0 = time.perf_counter()
    a = moment_odes(model, method="pde", closed=False)
    b = moment_odes(model, method="increments", closed=False)
    ca = [canonicalize(e) for e in a.rhs]
    cb = [canonicalize(e) for e in b.rhs]
    equal = [sympy.expand(x - y) == 0 for x, y in zip(ca, cb)]
    return {"states": tuple(a.states), "equal": equal, "same_states": tuple(a.states) == tuple(b.states),
            "terms": [(len(sympy.Add.make_args(x)), len(sympy.Add.make_args(y))) for x, y in zip(ca, cb)],
            "seconds": time.perf_counter() - t0}


# ---------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------

_PARAM_TEX = (("tau", r"\tau", "step size"), ("beta", r"\beta", "strength of the quadratic penalty"),
              ("Delta", r"\Delta", "augmentation-noise strength"), ("rho", r"\rho", "correlation of the view noises"),
              ("lam", r"\lambda", "weight of the off-diagonal penalty"))


def _section_model(model, views, P) -> str:
    x = model.sigma.variables[0]
    d, d2 = model.d, model.d2
    out = [
        r"\paragraph{Data and views.} A sample is $x = U c + P z \in \mathbb{R}^N$ with "
        r"$U \in \mathbb{R}^{N \times " + str(d) + r"}$ orthonormal, $P = I - U U^\top$, "
        r"$z \sim \mathcal{N}(0, I_N)$ and $d = " + str(d) + r"$ hidden feature"
        + ("s" if d > 1 else "") + r" $c = (c_1" + (r", \dots, c_d" if d > 1 else "") + r")$ with independent components:",
        L.equation(r"\begin{gathered}" + r" \\ ".join(_law_tex(k + 1, law) for k, law in enumerate(model.laws))
                   + r"\end{gathered}"),
    ]
    if model.augmentation == "additive":
        out.append(r"The two views are $x^{(v)} = x + \sqrt{\Delta}\,\xi^{(v)}$, $v = 1, 2$, with "
                   r"$\xi^{(v)} \sim \mathcal{N}(0, I_N)$ and $\mathbb{E}[\xi^{(1)} \xi^{(2)\top}] = \rho I_N$ "
                   r"(additive augmentation).")
    else:
        out.append(r"The two views are $x^{(v)} = U c + P z^{(v)}$ with background noises $z^{(1)}, z^{(2)}$ "
                   r"of correlation $\rho$ (resampled augmentation; $\Delta$ plays no role).")
    out.append(
        r"\paragraph{Network, loss and learning rule.} One layer of $" + str(d2) + r"$ neuron"
        + ("s" if d2 > 1 else "") + r": $h^{(v)} = W^\top x^{(v)} / \sqrt{N}$, $y^{(v)} = \sigma(h^{(v)})$ with"
    )
    s = model.sigma.expr
    out.append(P.rows([(r"\sigma(x)", s.xreplace({x: sympy.Symbol("x")})),
                       (r"\sigma'(x)", sympy.diff(s, x).xreplace({x: sympy.Symbol("x")})),
                       (r"\sigma''(x)", sympy.diff(s, x, 2).xreplace({x: sympy.Symbol("x")}))]))
    if d2 == 1:
        out.append(r"The loss of a sample is $F = -y^{(1)} y^{(2)}$ (one neuron: the off-diagonal penalty "
                   r"$\lambda \sum_{i \ne j} g(y^{(1)}_i y^{(2)}_j)$ is empty), and the error signals "
                   r"$\phi^{(v)} = -\partial F / \partial h^{(v)}$ are")
        out.append(P.rows([(rf"\phi^{{({v + 1})}}", views.phi[v][0]) for v in range(2)]))
    else:
        out.append(r"The loss of a sample is $F = -\sum_i y^{(1)}_i y^{(2)}_i + \lambda \sum_{i \ne j} "
                   rf"g(y^{{(1)}}_i y^{{(2)}}_j)$ with $g(x) = {L.tex(model.g.expr.xreplace({model.g.variables[0]: sympy.Symbol('x')}))}$, "
                   r"and the error signals are $\phi^{(v)} = -\partial F / \partial h^{(v)}$.")
    psi = (r"\psi(w) = \tfrac{\beta}{2} \lVert w \rVert^2" if model.regularizer == "l2"
           else r"\psi(w) = \beta \lVert w \rVert_1")
    out.append(r"Online SGD with step $\tau$ and penalty $" + psi + r"$ updates "
               r"$W \leftarrow W + \frac{\tau}{\sqrt{N}} \sum_{v} x^{(v)} \phi^{(v)\top} - \frac{\tau}{N} "
               r"\nabla\psi(W)$; time is $t = k / N$.")
    out.append(r"\paragraph{Order parameters.} $R = U^\top W / \sqrt{N} \in \mathbb{R}^{" + f"{d} \\times {d2}"
               + r"}$ and $Q = W^\top W / N$; the performance measure is the cosine $m_{kj} = R_{kj} / \sqrt{Q_{jj}}$. "
               r"The states of the ODEs are $" + ",\\ ".join(P(s) for s in _states(model)) + r"$.")
    rows = []
    used = [p for p in _PARAM_TEX if p[0] != "lam" or d2 > 1]
    for name, sym, meaning in used:
        rows.append((sym, getattr(model, name), meaning))
    out.append(r"\paragraph{Parameters.}")
    out.append(L.table(["symbol", "value", "meaning"], [(a, L.tex(b), m) for a, b, m in rows], math_columns=(0, 1)))
    # conditional law of the pre-activations
    if d2 == 1:
        V0 = views.block_cov(0, 0)[0, 0]
        K0 = views.block_cov(0, 1)[0, 0]
        mean = views.gaussian.mean[0]
        out.append(r"\paragraph{Pre-activations given $c$.} As $N \to \infty$, given $c$, "
                   r"$(h^{(1)}, h^{(2)})$ is Gaussian with mean $(\mu, \mu)$, variances $V$ and covariance $K$:")
        out.append(P.rows([(r"\mu", mean), (r"V", V0), (r"K", K0)]))
        out.append(r"Throughout, $\mathbb{E}[\,\cdot \mid c\,]$ is the expectation over this Gaussian.\par")
    else:
        out.append(r"\paragraph{Pre-activations given $c$.} Given $c$, $(h^{(1)}, h^{(2)})$ is Gaussian with "
                   r"mean $(R^\top c, R^\top c)$ and the covariance blocks")
        out.append(P.rows([(rf"\operatorname{{Cov}}(h^{{({v + 1})}}, h^{{({w + 1})}})", L.tex(views.block_cov(v, w).xreplace(P.renames)))
                           for v, w in ((0, 0), (0, 1), (1, 1))]))
    return "\n".join(out)


def _states(model):
    from .model import state_symbols

    return state_symbols(model.d, model.d2)


def _section_pde(model, pde, P, ex) -> str:
    d2 = model.d2
    out = [r"Per coordinate $i$ the pair $(u_i, w_i)$, with $u_i = \sqrt{N}\, U_{i,:}$ (fixed) and $w_i = W_{i,:}$, "
           r"has an empirical law $P_t$ that converges to the solution of the McKean--Vlasov equation",
           L.equation(r"\partial_t P = -\nabla_w \cdot (\Gamma P) + \tfrac12 \sum_{j,l} \partial^2_{w_j w_l}"
                      r"(\Lambda_{jl} P)"),
           r"whose coefficients depend on $P_t$ through $R = \mathbb{E}[u w^\top]$ and $Q = \mathbb{E}[w w^\top]$. "
           r"Given $c$, the drift $\Gamma$ is affine in $(u, w)$:"]
    uw = list(pde.u) + list(pde.w)
    rows = []
    for j in range(d2):
        coeffs, rest = _collect_affine(pde.drift[j], uw)
        lhs = rf"\Gamma_{{{j + 1}}}" if d2 > 1 else r"\Gamma"
        terms = [sympy.Mul(ex.name_all(cf), v, evaluate=False) for v, cf in coeffs.items() if cf != 0]
        rows.append((lhs, " + ".join(rf"\gamma_{{{P(v)}}} {P(v)}" for v, cf in coeffs.items() if cf != 0)
                     + (" + " + P(rest) if rest != 0 else "")))
        for v, cf in coeffs.items():
            if cf != 0:
                rows.append((rf"\gamma_{{{P(v)}}}", ex.name_all(cf)))
        del terms
    out.append(P.rows(rows))
    out.append(r"and the diffusion (the gradient noise of the two views) is")
    out.append(P.rows([((rf"\Lambda_{{{i + 1}{j + 1}}}" if d2 > 1 else r"\Lambda"), ex.name_all(pde.diffusion[i, j]))
                       for i in range(d2) for j in range(i, d2)]))
    out.append(r"with the Gaussian expectations (over the law of the pre-activations given $c$)")
    out.append(ex.definitions())
    return "\n".join(out)


def _section_closure(model, pde, P, ex, system) -> str:
    d, d2 = model.d, model.d2
    u, w = list(pde.u), list(pde.w)
    Gam = [sympy.Symbol(f"Gamma_{j + 1}") for j in range(d2)]
    Lam = sympy.Matrix(d2, d2, lambda i, j: sympy.Symbol(f"Lambda_{min(i, j) + 1}{max(i, j) + 1}"))
    for j in range(d2):
        P.name(Gam[j], rf"\Gamma_{{{j + 1}}}" if d2 > 1 else r"\Gamma")
        for l in range(j, d2):
            P.name(Lam[j, l], rf"\Lambda_{{{j + 1}{l + 1}}}" if d2 > 1 else r"\Lambda")
    out = [r"\paragraph{Weak form.} For a test function $f(u, w)$, integrating the equation against $f$ "
           r"(once by parts for the drift, twice for the diffusion; boundary terms vanish for a decaying density) gives",
           L.equation(r"\frac{d}{dt} \mathbb{E}[f] = \mathbb{E}\Big[\Gamma \cdot \nabla_w f + \tfrac12 \sum_{j,l} "
                      r"\Lambda_{jl}\, \partial^2_{w_j w_l} f\Big],"),
           r"the second term being the It\^o term. The test functions are $u_k w_j$ (for $R$) and $w_i w_j$ "
           r"(for $Q$):"]
    tests = [u[k] * w[j] for k in range(d) for j in range(d2)] + [w[i] * w[j] for i in range(d2) for j in range(i, d2)]
    rows = []
    all_monos = []
    for f in tests:
        grad = sum(sympy.diff(f, w[j]) * Gam[j] for j in range(d2))
        ito = sum(sympy.diff(f, w[j], w[l]) * Lam[j, l] for j in range(d2) for l in range(d2)) / 2
        symbolic = sympy.expand(grad + ito)
        g = pde.weak_form(f)
        concrete = symbolic.xreplace({**{Gam[j]: pde.drift[j] for j in range(d2)},
                                      **{Lam[j, l]: pde.diffusion[j, l] for j in range(d2) for l in range(d2)}})
        if sympy.expand(g - concrete) != 0:  # the symbolic integration by parts must agree with the generator
            raise AssertionError(f"weak form of {f} differs from Gamma . grad f + Ito term")
        rows.append((rf"\frac{{d}}{{dt}} \mathbb{{E}}[{P(f)}]", rf"\mathbb{{E}}\left[{P(symbolic)}\right]"
                     + (r" \quad \text{(no It\^o term)}" if ito == 0 else "")))
        for term in sympy.Add.make_args(g):
            _, mono = term.as_independent(*(u + w), as_Add=False)
            if mono not in all_monos:
                all_monos.append(mono)
    out.append(P.rows(rows))
    out.append(r"(computed by \texttt{McKeanVlasovPDE.weak\_form}, which moves the derivatives from $P$ onto $f$ "
               r"symbolically; it was checked to equal the right-hand sides above with $\Gamma$, $\Lambda$ inserted).")
    moments = []
    for mono in all_monos:
        val = pde._moment(mono, u, w)
        moments.append((P(mono), "--" if val is None else P(val)))
    closes = all(m[1] != "--" for m in moments)
    out.append(r"\paragraph{Closure.} Inserting $\Gamma$ and $\Lambda$, the integrands are polynomials in $(u, w)$ "
               r"whose coefficients depend on $(R, Q)$ and $c$ only. The monomials that occur and their moments "
               r"($\mathbb{E}[u u^\top] = I$, $\mathbb{E}[u w^\top] = R$, $\mathbb{E}[w w^\top] = Q$) are:")
    out.append(L.table(["monomial", "moment"], moments, math_columns=(0, 1)))
    out.append(("Every monomial is one of these, so the equations close in $(R, Q)$ (computed: no other moment "
                "appeared; with an $L^1$ penalty the same step raises \\texttt{NotClosedError}). "
                if closes else "Some monomials are not moments of $(R, Q)$: the equations do not close. ")
               + r"Conditional on $c$:")
    start = len(ex.defs)
    cond = pde.moment_equations()
    lhs = [rf"\dot{{{P(s)[0]}}}{P(s)[1:]} \mid c" for s in _states(model)]
    out.append(P.rows([(l, ex.name_all(e)) for l, e in zip(lhs, cond)]))
    if len(ex.defs) > start:
        out.append("with, in addition,")
        out.append(ex.definitions(start))
    from ..hidden import GaussianLaw

    kinds = []
    if any(law.atoms() is not None for law in model.laws):
        kinds.append(r"an exact finite sum over the atoms of the law of each discrete $c_k$")
    if any(isinstance(law, GaussianLaw) for law in model.laws):
        kinds.append(r"Gaussian features folded into the Gaussian of the pre-activations (exact)")
    closed_kind = _closed_kind(system)
    out.append(r"\paragraph{Average over the hidden features.} The right-hand sides are linear in the "
               r"conditional expectations, so averaging over $c$ is " + " and ".join(kinds) + ". "
               + closed_kind + " The result, with repeated sub-expressions named once, is")
    out.append(_odes_tex(system, P))
    return "\n".join(out)


def _closed_kind(system) -> str:
    from ._nodes import nodes_in

    if any(nodes_in(e) for e in system.rhs):
        return (r"The Gaussian expectations of this activation have no closed form; they stay as integrals "
                r"$N_k$ (evaluated by Gauss--Hermite quadrature in the numerical steps).")
    return (r"Every Gaussian expectation has a closed form here (error functions, Gaussian factors"
            r" and bivariate normal CDFs $\Phi_2$), computed exactly.")


class _Renamed:
    """A system view with the printing names (for :func:`format_odes`)."""

    def __init__(self, system, renames):
        self.states = tuple(s.xreplace(renames) for s in system.states)
        self.rhs = tuple(sympy.S(e).xreplace(renames) for e in system.rhs)


def _odes_tex(system, P) -> str:
    from ._printing import format_odes, odes_with_named_terms

    named = odes_with_named_terms(_Renamed(system, P.renames))
    return format_odes(named, fmt="latex", latex_width=ROW_WIDTH)


def _section_reference(model, pde, P, ex) -> tuple[str, bool | None]:
    out = [r"The specification states the one-neuron equations in terms of",
           L.equation(r"a = \sigma'(h^{(1)})\, \sigma(h^{(2)}), \qquad b = \sigma(h^{(1)})\, \sigma'(h^{(2)}),"),
           r"with $(h^{(1)}, h^{(2)}) \mid c$ Gaussian of mean $R\cdot c$ (both views), variance $V$ and covariance $K$,"]
    if model.augmentation == "additive":
        out.append(L.equation(r"V = (1 + \Delta)\, Q - \lVert R \rVert^2, \qquad K = (1 + \rho\Delta)\, Q - \lVert R \rVert^2,"))
        out.append(r"as")
        out.append(r"""\begin{align*}
\dot{R}_{k} &= \tau\Big\{\mathbb{E}\big[(a + b)\, c_k\big] + \Delta R_{k}\, \mathbb{E}\big[\sigma''(h^{(1)})\sigma(h^{(2)})
 + \sigma(h^{(1)})\sigma''(h^{(2)}) + 2\rho\, \sigma'(h^{(1)})\sigma'(h^{(2)})\big]\Big\} - \tau\beta R_{k}, \\
\dot{Q} &= 2\tau\, \mathbb{E}\big[a h^{(1)} + b h^{(2)}\big] + \tau^2 \Big\{(1 + \Delta)\, \mathbb{E}[a^2 + b^2]
 + 2 (1 + \rho\Delta)\, \mathbb{E}[a b]\Big\} - 2\tau\beta Q,
\end{align*}
""")
    else:
        out.append(L.equation(r"V = Q - \lVert R \rVert^2, \qquad K = \rho V,"))
        out.append(r"as")
        out.append(r"""\begin{align*}
\dot{R}_{k} &= \tau\, \mathbb{E}\big[(a + b)\, c_k\big] - \tau\beta R_{k}, \\
\dot{Q} &= 2\tau\, \mathbb{E}\big[a h^{(1)} + b h^{(2)}\big] + \tau^2 \Big\{\mathbb{E}[a^2 + b^2] + 2\rho\, \mathbb{E}[a b]\Big\}
 - 2\tau\beta Q,
\end{align*}
""")
    out.append(r"the $\tau^2$ term being the gradient-variance term, and averaged over $c$. At the uninformative state "
               r"$R = 0$ the pre-activations are centred with $V = (1 + \Delta) Q$, $K = (1 + \rho\Delta) Q$ "
               r"(resampled: $V = Q$, $K = \rho Q$); with the expectations over that law, define"
               if model.augmentation == "additive" else
               r"the $\tau^2$ term being the gradient-variance term, and averaged over $c$. At $R = 0$, with the "
               r"expectations over the centred law of variance $V = Q$ and covariance $K = \rho Q$, define")
    out.append(r"""\begin{align*}
G(Q) &= \mathbb{E}\big[\sigma''(h^{(1)})\sigma(h^{(2)}) + \sigma(h^{(1)})\sigma''(h^{(2)}) + 2\sigma'(h^{(1)})\sigma'(h^{(2)})\big], \\
S(Q) &= """ + (r"""\Delta\, \mathbb{E}\big[\sigma''(h^{(1)})\sigma(h^{(2)}) + \sigma(h^{(1)})\sigma''(h^{(2)})
 + 2\rho\, \sigma'(h^{(1)})\sigma'(h^{(2)})\big]""" if model.augmentation == "additive" else "0") + r""".
\end{align*}
""")
    from .thresholds import spec_G_S

    Qs = _states(model)[model.d]
    G, S = spec_G_S(model, Qs)
    Gd, Sd = sympy.S(G).doit(), sympy.S(S).doit()
    from ._nodes import nodes_in

    if not nodes_in(Gd) and not nodes_in(Sd):
        out.append(r"For this activation and these parameters they are, in closed form,")
        out.append(P.rows([("G(Q)", Gd.xreplace({Qs: sympy.Symbol("Q")})), ("S(Q)", Sd.xreplace({Qs: sympy.Symbol("Q")}))]))
    else:
        out.append(r"(no closed form for this activation: their values below are numerical quadratures).")
    ref = reference_form(model)
    cond = pde.moment_equations()
    equal = [_same(a, b) for a, b in zip(cond, ref)]
    ok = all(equal)
    names = ", ".join(rf"$\dot{{{P(s)[0]}}}{P(s)[1:]}$" for s in _states(model))
    out.append(r"\paragraph{Check.} The reference right-hand sides were built from these formulas (conditional on $c$, "
               r"$\mathbb{E}[a h^{(1)} + b h^{(2)}]$ by Stein's lemma) and compared with the derived conditional "
               rf"equations {names} after canonicalising the Gaussian expectations: "
               + (r"the differences are identically $0$ (\emph{proved}, exact symbolic arithmetic)."
                  if ok else r"\textbf{they differ} in equation(s) $"
                  + ", ".join(str(i + 1) for i, e in enumerate(equal) if not e) + "$."))
    return "\n".join(out), ok


def _section_routes(model, P) -> tuple[str, dict]:
    res = routes_agree(model)
    rows = []
    for s, eq, (na, nb) in zip(res["states"], res["equal"], res["terms"]):
        rows.append((rf"\dot{{{P(s)[0]}}}{P(s)[1:]}", str(na), str(nb), "0" if eq else r"\neq 0"))
    ok = all(res["equal"]) and res["same_states"]
    out = [r"The equations were derived twice, independently: (i) from the weak form of the McKean--Vlasov "
           r"equation (above), and (ii) from the expected $O(1/N)$ SGD increments "
           r"$N\,\mathbb{E}[\Delta R]$, $N\,\mathbb{E}[\Delta Q]$ of the update rule, with Stein's lemma over the "
           r"joint Gaussian of the pre-activations and the noises (no PDE used). Both right-hand sides, averaged over "
           r"$c$ and with all Gaussian expectations kept as such, were brought to a canonical form (each expectation "
           r"split over the terms of its integrand, then expanded) and subtracted:",
           L.table(["equation", "terms (PDE)", "terms (increments)", "difference"], rows, math_columns=(0, 3)),
           (r"The two routes give \emph{identical} equations (\emph{proved}: exact symbolic identity, computed "
            rf"for this model in ${res['seconds']:.2f}$\,s)." if ok else
            r"\textbf{The two routes differ}; the ODEs below are those of route (i).")]
    return "\n".join(out), res


def _jacobian_section(model, system, P, th) -> str:
    from .claims import learnability_structure

    states = _states(model)
    n_R = model.d * model.d2
    J0 = fpm.jacobian_at_uninformative(system, model)
    n = J0.shape[0]
    zero = [[sympy.S(J0[i, j]) == 0 for j in range(n)] for i in range(n)]
    entries = []
    for i in range(n):
        row = []
        for j in range(n):
            if zero[i][j]:
                row.append("0")
            elif i < n_R and i == j:
                row.append(rf"\lambda_{{{i + 1}}}(Q)")
            elif i >= n_R and j >= n_R:
                row.append(r"\mu(Q)")
            else:
                row.append(rf"J_{{{i + 1}{j + 1}}}(Q)")
        entries.append(" & ".join(row))
    out = [r"At $R = 0$ the right-hand sides of the $R$ equations vanish identically"
           + (" (exact)" if all(sympy.S(e).xreplace({s: 0 for s in states[:n_R]}) == 0 for e in system.rhs[:n_R])
              else "") + r", so the uninformative states are $R = 0$, $Q = Q^*$ with $\dot{Q}|_{R=0}(Q^*) = 0$. "
           r"The Jacobian at $R = 0$ (as a function of $Q$; states ordered $"
           + ",\\ ".join(P(s) for s in states) + r"$) has the structure",
           L.equation(r"J\big|_{R = 0} = \begin{pmatrix}" + r" \\ ".join(entries) + r"\end{pmatrix},"),
           r"where the zeros are exact (the entries vanish identically after setting $R = 0$)."]
    block = all(zero[i][j] for i in range(n) for j in range(n) if (i < n_R) != (j < n_R))
    out.append(("It is block diagonal: the $R$ block decouples from $Q$, and its eigenvalues are its diagonal entries "
                r"$\lambda_k(Q)$" + (" (the $R$ block is diagonal)." if all(
                    zero[i][j] for i in range(n_R) for j in range(n_R) if i != j) else ".")) if block else
               r"It is \textbf{not} block diagonal for these parameters.")
    st = learnability_structure(model.sigma, model.augmentation, order=1)
    out.append(r"\paragraph{Eigenvalue formula.} For a general hidden law (moments $m_2, m_4, \dots$ as free symbols) "
               r"and symbolic $\tau, \beta, \Delta, \rho$, the linear part of the moment expansion in $R$ was computed "
               r"for this activation (\texttt{learnability\_structure}); exactly, it is block diagonal: "
               + ("yes" if st["block_diagonal"] else "no") + r"; its $R$ eigenvalue equals "
               r"$\lambda = \tau\,(m_2\, G(Q) + S(Q) - \beta)$: " + ("yes" if st["eigenvalue_matches"] else "no")
               + r"; no moment beyond $m_2$ enters it: " + ("yes" if st["higher_moments_absent"] else "no")
               + r" (\emph{proved}, exact symbolic). Hence, for feature $k$,")
    out.append(L.equation(r"\lambda_k(Q) = \tau\,\big(\langle c_k^2 \rangle\, G(Q) + S(Q) - \beta\big)."))
    if th is not None:
        uni = th["uninformative"]
        J = fpm.fast_field(system).J(uni.values)
        rows = []
        for k in range(model.d):
            rows.append((rf"\lambda_{{{k + 1}}}(Q^*)", _num(th["eigenvalue_formula"][k], 10),
                         _num(J[k, k], 10)))
        mu = J[n_R, n_R]
        out.append(r"At $Q = Q^*$ (section on the threshold), the formula and the diagonal of the compiled Jacobian "
                   r"(\emph{numerical}) give")
        out.append(L.table(["eigenvalue", "formula", "Jacobian"], rows, math_columns=(0, 1, 2)))
        out.append(rf"and $\mu(Q^*) = {_num(mu, 10)}$ (the $Q$ direction).")
    return "\n".join(out)


def _fixed_points_section(model, system, P) -> str:
    states = _states(model)
    n_R = model.d * model.d2
    try:
        fps = fpm.all_fixed_points(model, system)
    except ValueError as exc:
        return "The fixed points could not be computed: " + L.escape(str(exc)) + "\n"
    found = [fps["uninformative"]] + fps["selected"] + fps["mixed"]
    pts = []
    for p in found:  # the same point may be reported twice (from starts of both signs)
        if not any(q.name == p.name and np.allclose(q.values, p.values, rtol=0, atol=1e-9) for q in pts):
            pts.append(p)
    duplicates = len(found) - len(pts)
    certified = _certify_points(system, pts)
    rows = []
    for p in pts:
        state = ", ".join(f"${{{P(s)} = {_num(v, 6) if abs(v) > 1e-14 else '0'}}}$" for s, v in zip(states, p.values))
        q = p.values[n_R]
        m = max(abs(p.values[k]) for k in range(n_R)) / q ** 0.5 if q > 0 else float("nan")
        eig = ", ".join("$" + _num(complex(e).real, 4) + (rf" {'+' if complex(e).imag > 0 else '-'} {_num(abs(complex(e).imag), 3)}i"
                                                     if abs(complex(e).imag) > 1e-12 else "") + "$" for e in p.eigenvalues)
        cert = certified.get(id(p))
        kind, level = (cert["kind"], "certified") if cert else (p.kind, p.level)
        rows.append((f"${_fp_name(p.name)}$", state, f"${_num(m, 4)}$", L.escape(kind), eig, L.escape(level)))
    out = [r"Fixed points of the averaged ODEs: the uninformative state (root of $\dot{Q}|_{R=0}$ by bracketing), "
           r"the selected states (one feature learnt) and, for two features, the mixed saddles, found by damped "
           r"Newton iterations on the compiled field and accepted with residual below $10^{-11}$. "
           r"The cosine is $m = \max_k |R_{k1}| / \sqrt{Q_{11}}$; the kind comes from the eigenvalues of the Jacobian.",
           _raw_table(["fixed point", "state", "cosine", "kind", "eigenvalues", "level"], rows,
                      "lp{4.4cm}llp{3.4cm}l")]
    if duplicates:
        out.append(rf"(${duplicates}$ repeated report{'s' if duplicates > 1 else ''} of the same point removed.)")
    if certified:
        out.append(r"Level \emph{certified}: a Krawczyk test in ball arithmetic (python-flint \texttt{arb}) proved a "
                   r"unique fixed point in a ball of radius at most $" + _num(max(c["radius"] for c in certified.values()), 2)
                   + r"$ around the printed state, and the kind was certified from enclosures of the Jacobian's "
                   r"characteristic polynomial (Routh--Hurwitz). Level \emph{numerical}: floating point only.")
    else:
        out.append(r"Level \emph{numerical}: floating-point Newton iterations and eigenvalues (this activation has no "
                   r"closed form, so no ball-arithmetic certificate is attempted).")
    return "\n".join(out)


def _raw_table(header, rows, spec: str) -> str:
    """A booktabs ``longtable`` whose cells are LaTeX already (each starts with ``{}``, see :func:`symdyn.latex.table`)."""
    cols = re.findall(r"[lcr]|p\{[^}]*\}", spec)
    if len(cols) != len(header):
        raise ValueError(f"table spec {spec!r} has {len(cols)} columns, the header {len(header)}")
    end = r" \tabularnewline"  # \raggedright in a p column redefines \\
    rag = ["\\raggedright " if c.startswith("p") else "" for c in cols]
    out = [f"\\begin{{longtable}}{{{spec}}}", "\\toprule", " & ".join("{}" + L.escape(h) for h in header) + end,
           "\\midrule"]
    out += [" & ".join(r + "{}" + c for r, c in zip(rag, row)) + end for row in rows]
    out += ["\\bottomrule", "\\end{longtable}", ""]
    return "\n".join(out)


def _fp_name(name: str) -> str:
    m = re.fullmatch(r"selected k=(\d+) \(([+-])\)", name)
    if m:
        return rf"\text{{selected }} k = {m.group(1)}\ ({m.group(2)})"
    return r"\text{" + L.escape(name) + "}"


def _certify_points(system, pts) -> dict:
    """Krawczyk certificates for the fixed points of closed-form systems ({} otherwise)."""
    from ._nodes import nodes_in

    if any(nodes_in(e) for e in system.rhs):
        return {}
    from .certified import certified_fixed_point, closed_rhs

    out = {}
    try:
        rhs = closed_rhs(system)
    except Exception:  # noqa: BLE001 - no closed form: numerical level stays
        return {}
    for p in pts:
        try:
            c = certified_fixed_point(system, list(p.values), rhs=rhs)
        except Exception:  # noqa: BLE001 - a failed certificate leaves the point numerical
            continue
        if c["kind"] == p.kind:
            out[id(p)] = c
    return out


def _threshold_section(model, system, threshold) -> tuple[str, dict | None]:
    from .thresholds import learnability_threshold

    try:
        if threshold is not None:
            th = threshold
        else:
            from ._nodes import nodes_in

            closed = not any(nodes_in(e) for e in system.rhs) and model.d2 == 1
            th = learnability_threshold(model, system, certify=closed)
    except Exception as exc:  # noqa: BLE001 - reported in the document
        return "No threshold: " + L.escape(str(exc)) + "\n", None
    cert = th.get("certified")
    out = [r"$Q^*$ solves $\dot{Q}|_{R=0}(Q^*) = 0$; with $G$ and $S$ as defined with the reference form, "
           r"feature $k$ is learnable (the uninformative state is unstable in its direction) iff "
           r"$\lambda_k(Q^*) > 0$, that is, for $G(Q^*) > 0$, iff"]
    out.append(L.equation(r"\langle c_k^2 \rangle > \langle c^2 \rangle^* = \frac{\beta - S(Q^*)}{G(Q^*)}."))
    if cert:
        out.append(r"Level \emph{certified}: $Q^*$ is enclosed by a Krawczyk test on the closed-form "
                   r"$\dot{Q}|_{R=0}$ in ball arithmetic, and $G(Q^*)$, $S(Q^*)$, the threshold and the eigenvalues "
                   r"are evaluated over that ball (midpoint $\pm$ radius):")
        rows = [("Q^*", _ball(cert["Q_star"]["ball"])), ("G(Q^*)", _ball(cert["G"]["ball"])),
                ("S(Q^*)", _ball(cert["S"]["ball"])), (r"\langle c^2 \rangle^*", _ball(cert["threshold_c2"]["ball"]))]
        for k, e in enumerate(cert["eigenvalues"]):
            rows.append((rf"\lambda_{{{k + 1}}}(Q^*)", _ball(e["ball"])))
        out.append(L.align(rows, "\\in"))
        signs = cert["learnable"]
        g_sign = cert["G_sign"]
    else:
        out.append(r"Level \emph{" + L.escape(th["level"]) + r"}: $Q^*$ by a bracketing root finder on the compiled "
                   r"field, $G(Q^*)$ and $S(Q^*)$ by compiled Gauss--Hermite quadrature:")
        rows = [("Q^*", _num(th["Q_star"], 12)), ("G(Q^*)", _num(th["G"], 12)), ("S(Q^*)", _num(th["S"], 12)),
                (r"\langle c^2 \rangle^*", _num(th["threshold_c2"], 12))]
        for k, e in enumerate(th["eigenvalue_formula"]):
            rows.append((rf"\lambda_{{{k + 1}}}(Q^*)", _num(e, 12)))
        out.append(L.align(rows))
        signs = [e > 0 for e in th["eigenvalue_formula"]]
        g_sign = 1 if th["G"] > 0 else -1 if th["G"] < 0 else 0
    rel = ">" if g_sign > 0 else "<"
    out.append(r"Since $G(Q^*) " + (">" if g_sign > 0 else "<") + r" 0$, a feature is learnable iff "
               rf"$\langle c_k^2 \rangle {rel} \langle c^2 \rangle^*$. For this model:")
    items = []
    for k, (law, ok) in enumerate(zip(model.laws, signs)):
        word = "learnable" if ok else ("not learnable" if ok is False else "undecided")
        items.append(rf"\item feature ${k + 1}$: $\langle c_{{{k + 1}}}^2 \rangle = {L.tex(law.second_moment)}$, "
                     rf"$\lambda_{{{k + 1}}}(Q^*) {'>' if ok else '<'} 0$: {word}"
                     + (" (sign certified)." if cert else " (numerical)."))
    out.append("\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}")
    return "\n".join(out), th


# -- verdicts -----------------------------------------------------------------

_MATH_TOKENS = [
    (r"tau\(<c\^2> G\(Q\*\) \+ S\(Q\*\) - beta\)", r"\tau(\langle c^2\rangle G(Q^*) + S(Q^*) - \beta)"),
    (r"\(beta - S\) ?/ ?G", r"(\beta - S)/G"),
    (r"\btau\^2\b", r"\tau^2"),
    (r"<c\^2>", r"\langle c^2\rangle"), (r"<c\^4>", r"\langle c^4\rangle"),
    (r"\bG\(Q\*\)", r"G(Q^*)"), (r"\bS\(Q\*\)", r"S(Q^*)"), (r"\bQ\*", r"Q^*"), (r"\bm\*", r"m^*"),
    (r"\bR = 0\b", r"R = 0"),
    (r"\b(tau|beta|Delta|rho|lambda)( ?(?:=|<=|>=|<|>) ?-?[0-9.]+)?", None),
]


def _mathify(text: str) -> str:
    """Plain claim text with its symbols in math mode (``tau`` -> ``$\\tau$``, ``<c^2>`` -> ``$\\langle c^2\\rangle$``)."""
    out, pos = [], 0
    pattern = re.compile("|".join(f"({p})" for p, _ in _MATH_TOKENS))
    for m in pattern.finditer(text):
        out.append(L.escape(text[pos:m.start()]))
        tok = m.group(0)
        for p, rep in _MATH_TOKENS:
            mm = re.fullmatch(p, tok)
            if mm:
                if rep is None:
                    rel = (mm.group(2) or "").strip()
                    rel = rel.replace("<=", r"\le ").replace(">=", r"\ge ")
                    tex = "\\" + mm.group(1) + ((" " + rel) if rel else "")
                else:
                    tex = rep
                break
        else:  # pragma: no cover - the alternation only matches listed patterns
            tex = L.escape(tok)
        out.append(f"${tex}$")
        pos = m.end()
    out.append(L.escape(text[pos:]))
    return "".join(out)


def _key_figures(figures: dict, limit: int = 8) -> list:
    rows = []
    for k, v in figures.items():
        if k in ("levels", "error") or len(rows) >= limit:
            continue
        if isinstance(v, bool):
            rows.append((k, "yes" if v else "no"))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            rows.append((k, f"${_num(v, 6)}$"))
        elif isinstance(v, str) and len(v) <= 40:
            rows.append((k, _mathify(v)))
    return rows


def _verdicts_section(verdicts) -> str:
    if not verdicts:
        return (r"The claim checks were not run for this document; \texttt{symdyn latex contrastive -{}-checks} "
                r"runs them and lists each verdict here with its level and key figures.")
    out = [r"Each check runs at its own settings (stated in its claim and figures), which need not be the "
           r"parameters of this document.",
           _raw_table(["check", "result", "level", "seconds"],
                      [(r"\texttt{" + L.escape(v.name) + "}", "pass" if v.passed else r"\textbf{FAIL}",
                        L.escape(v.level), f"${v.seconds:.1f}$") for v in verdicts], "lllr")]
    for v in verdicts:
        out.append(r"\paragraph{\texttt{" + L.escape(v.name) + r"}} (" + L.escape(v.level) + ", "
                   + ("passed" if v.passed else "failed") + ") " + _mathify(v.claim))
        figs = _key_figures(v.figures)
        if "error" in v.figures:
            out.append(r"Error: \texttt{" + L.escape(str(v.figures["error"])[:200]) + "}")
        if figs:
            out.append(r"Key figures:" + "\n" + _raw_table(["figure", "value"],
                       [(r"\texttt{" + L.escape(k) + "}", val) for k, val in figs], "lp{0.4\\textwidth}"))
    return "\n".join(out)


# ---------------------------------------------------------------------------
# the document
# ---------------------------------------------------------------------------

def contrastive_document(model=None, verdicts=None, *, threshold=None) -> str:
    r"""The LaTeX source (a string) of the derivation appendix for ``model``.

    Parameters
    ----------
    model : ContrastiveModel, optional
        Default: one feature, erf, :math:`\tau = 1/2`, :math:`\Delta = 1/2`,
        :math:`\rho = -1`, :math:`c = \pm\sqrt{2}`.
    verdicts : list of :class:`~symdyn.verdict.Verdict`, optional
        Claim checks to list with their levels and key figures.
    threshold : dict, optional
        A precomputed :func:`~symdyn.contrastive.thresholds.learnability_threshold`
        result (otherwise computed; certified for closed-form activations).

    Returns
    -------
    str
        A complete document (compiles with ``pdflatex``).

    Examples
    --------
    >>> from symdyn.contrastive.report import contrastive_document
    >>> src = contrastive_document()                      # doctest: +SKIP
    >>> "The two routes give \\emph{identical} equations" in src  # doctest: +SKIP
    True
    """
    from ..hidden import Rademacher
    from .model import ContrastiveModel
    from .pde import McKeanVlasovPDE

    if model is None:
        model = ContrastiveModel(d=1, activation=sympy.erf, tau=sympy.Rational(1, 2), Delta=sympy.Rational(1, 2),
                                 rho=-1, laws=(Rademacher(sympy.sqrt(2)),))
    if not isinstance(model, ContrastiveModel):
        raise TypeError(f"model must be a ContrastiveModel, got {type(model).__name__}")
    t0 = time.perf_counter()
    pde = McKeanVlasovPDE(model)
    P = _Printer(_renames(model, pde.views))
    ex = _Expectations(pde.views, P)
    system = fpm.contrastive_system(model)
    sections = [("Model", _section_model(model, pde.views, P)),
                ("McKean-Vlasov PDE", _section_pde(model, pde, P, ex)),
                ("Moment closure and ODEs", _section_closure(model, pde, P, ex, system))]
    ref_ok = None
    if model.d2 == 1:
        body, ref_ok = _section_reference(model, pde, P, ex)
        sections.append(("Reference form", body))
    routes_body, routes = _section_routes(model, P)
    sections.append(("Two derivation routes", routes_body))
    numeric = model.is_numeric and model.d2 == 1
    th_body, th = _threshold_section(model, system, threshold) if numeric else (
        "The threshold needs numeric parameters and one neuron.\n", None)
    sections.append(("Jacobian and eigenvalues", _jacobian_section(model, system, P, th) if model.d2 == 1 else
                     "The uninformative-state analysis is implemented for one neuron.\n"))
    sections.append(("Fixed points", _fixed_points_section(model, system, P) if numeric else
                     "The fixed points need numeric parameters and one neuron.\n"))
    sections.append(("Learnability threshold", th_body))
    sections.append(("Verdicts", _verdicts_section(verdicts)))
    act = L.tex(model.sigma.expr.xreplace({model.sigma.variables[0]: sympy.Symbol("x")}))
    level = (th or {}).get("level")
    abstract = (
        rf"Derivation of the closed moment ODEs of one-layer contrastive learning with $\sigma(x) = {act}$, "
        rf"$d = {model.d}$ feature{'s' if model.d > 1 else ''}, {model.augmentation} augmentation, "
        + ", ".join(f"${sym} = {L.tex(getattr(model, n))}$" for n, sym, _ in _PARAM_TEX if n != "lam" or model.d2 > 1)
        + r", in the limit $N \to \infty$: the McKean--Vlasov equation, its weak form and closure, the comparison "
        r"with the reference form ("
        + ("identical, proved" if ref_ok else "not applicable" if ref_ok is None else "DIFFERENT")
        + r") and between the two derivation routes ("
        + ("identical, proved" if all(routes["equal"]) else "DIFFERENT")
        + r"), the uninformative state, fixed points and the learnability threshold"
        + (rf" (level: {level})" if level else "")
        + rf". Generated by \texttt{{symdyn}} in ${time.perf_counter() - t0:.1f}$\,s; every formula is printed "
        r"from the symbolic objects of the derivation."
    )
    return L.document("Appendix: contrastive learning in the high-dimensional limit", sections, abstract=abstract)
