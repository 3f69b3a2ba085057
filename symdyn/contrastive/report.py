"""Standalone LaTeX derivation for the contrastive model (``symdyn latex contrastive``).

Every formula is ``sympy.latex`` of the real objects: the McKean--Vlasov drift
and diffusion of :class:`~symdyn.contrastive.pde.McKeanVlasovPDE`, the closed
ODEs of :func:`~symdyn.contrastive.odes.moment_odes`, the Jacobian at the
uninformative state, its eigenvalue and the fixed points found numerically.
"""

from __future__ import annotations

import sympy

from .. import latex as L
from . import fixedpoints as fpm

__all__ = ["contrastive_document"]


def contrastive_document(model=None, verdicts=None, *, threshold=None) -> str:
    """The LaTeX source (a string) for ``model`` (default: one feature, erf, tau = 1/2).

    ``verdicts``: optional list of :class:`~symdyn.verdict.Verdict` to tabulate.
    """
    from .model import ContrastiveModel
    from .pde import McKeanVlasovPDE

    if model is None:
        model = ContrastiveModel(d=1, activation=sympy.erf, tau=sympy.Rational(1, 2))
    pde = McKeanVlasovPDE(model)
    system = fpm.contrastive_system(model)
    states = fpm._states(system)
    sections = []
    params = [("d", model.d), ("d2", model.d2), ("augmentation", model.augmentation)] + [
        (n, getattr(model, n)) for n in ("tau", "beta", "Delta", "rho", "lam")]
    body = "Parameters of the model:\n\n" + L.table(["parameter", "value"], [(a, str(b)) for a, b in params])
    body += "Activation:" + L.equation(r"\sigma = " + L.tex(model.sigma))
    body += "Hidden laws: " + L.escape(", ".join(repr(l) for l in model.laws)) + ".\n\n"
    sections.append(("Model", body))
    body = ("The empirical measure of the coordinates $(u_i, w_i)$ solves "
            r"$\partial_t P = -\nabla_w\cdot(\Gamma P) + \tfrac12 \sum_{jl}\partial^2_{w_j w_l}(\Lambda_{jl} P)$"
            " with the drift and diffusion below (conditional on the hidden features $c$).\n")
    body += L.align([(r"\Gamma_{%d}" % (j + 1), pde.drift[j]) for j in range(model.d2)])
    body += L.align([(r"\Lambda_{%d%d}" % (i + 1, j + 1), pde.diffusion[i, j]) for i in range(model.d2) for j in range(model.d2)])
    sections.append(("McKean-Vlasov PDE", body))
    body = ("With L2 regularisation the drift is affine in $(u, w)$, so testing the PDE against "
            "$u_k w_j$ and $w_i w_j$ and integrating by parts closes on $R = E[u w^T]$, $Q = E[w w^T]$; "
            "averaging over the hidden laws gives the moment ODEs:\n")
    body += "\\[\n" + system.latex() + "\n\\]\n"
    sections.append(("Moment closure and ODEs", body))
    J0 = fpm.jacobian_at_uninformative(system, model)
    body = "Jacobian of the ODEs at the uninformative state $R = 0$ (the Q entry left symbolic):\n"
    body += L.equation(r"J\big|_{R=0} = " + L.tex(J0))
    body += "It is block diagonal; the R-block eigenvalues are its diagonal entries:\n"
    body += L.align([(r"\lambda_{%d}" % (k + 1), J0[k, k]) for k in range(model.d)])
    sections.append(("Jacobian and eigenvalues", body))
    rows = []
    try:
        fps = fpm.all_fixed_points(model, system)
        pts = [fps["uninformative"]] + fps["selected"] + fps["mixed"]
        for p in pts:
            rows.append((p.name, ", ".join(f"{s}={v:.6g}" for s, v in zip(states, p.values)), p.kind,
                         ", ".join(f"{complex(e).real:.4g}" for e in p.eigenvalues), p.level))
        body = L.table(["fixed point", "state", "kind", "Re eigenvalues", "level"], rows)
    except ValueError as exc:
        body = "Fixed points could not be computed: " + L.escape(str(exc)) + "\n"
    sections.append(("Fixed points", body))
    from .claims import learnability_threshold

    try:
        th = learnability_threshold(model, system) if threshold is None else threshold
        body = (f"At $Q^* = {th['Q_star']:.10g}$ ({L.escape(th['Q_star_level'])}): $G(Q^*) = {th['G']:.10g}$, "
                f"$S(Q^*) = {th['S']:.10g}$; the R eigenvalue is "
                r"$\tau(\langle c^2\rangle G + S - \beta)$ and the threshold is "
                f"$\\langle c^2\\rangle^* = {th['threshold_c2']:.10g}$ ({L.escape(th['direction'])}).\n")
    except ValueError as exc:
        body = "No threshold: " + L.escape(str(exc)) + "\n"
    sections.append(("Learnability threshold", body))
    if verdicts:
        body = L.verdict_table(verdicts)
        for v in verdicts:
            body += "\\paragraph{" + L.escape(v.name) + "} " + L.escape(v.claim) + "\n\n"
    else:
        body = "The checks were not run for this document (use \\texttt{--checks}).\n"
    sections.append(("Verdicts", body))
    return L.document("Contrastive learning in the high-dimensional limit: derivation", sections)
