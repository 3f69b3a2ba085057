"""The McKean--Vlasov PDE of the contrastive model and its moment closure.

Per coordinate ``i`` the pair ``(u_i, w_i)`` (``u_i = sqrt(N) U_{i,:}`` fixed,
``w_i = W_{i,:}``) has an empirical law ``P_t`` solving

    d_t P = - div_w [Gamma(u, w) P] + 1/2 sum_{jl} d_{w_j} d_{w_l} [Lambda_jl P]

with drift (``J_vv' = E[d phi^(v) / d h^(v')]``, ``G = sum_v E[c phi^(v)^T]``)

    Gamma = tau [G^T u + sum_{v,v'} J_vv' (kz_vv' (w - R^T u) + Delta kxi_vv' w)] - tau grad psi(w)

and diffusion ``Lambda = tau^2 sum_{v,v'} kappa'_vv' E[phi^(v) phi^(v')^T]``
(noise structure in :mod:`._views`).  The drift's ``J`` term is Stein's
lemma applied to the coordinate noise ``n_i^(v)``, whose covariance with
``h^(v')`` is ``(kz_vv' (w_i - R^T u_i) + Delta kxi_vv' w_i) / sqrt(N)``.

:meth:`McKeanVlasovPDE.weak_form` integrates the PDE against a test function
by parts, symbolically (derivatives moved from ``P`` onto the test function;
boundary terms vanish for a decaying density), and
:meth:`McKeanVlasovPDE.moment_derivative` maps the moments ``E[u u^T] = I``,
``E[u w^T] = R``, ``E[w w^T] = Q``.  Under L2 (``psi = beta |w|^2 / 2``)
every moment that appears is one of these: the system closes.  Under L1
(``psi = beta |w|_1``) moments such as ``E[u_k sign(w_j)]`` appear and
:class:`NotClosedError` lists them.

Coefficients are kept conditional on the hidden features ``c`` (symbols
``c_k``); since ``d/dt E[f]`` is linear in them, averaging over ``c`` at the
end (:func:`symdyn.expectation.average_over_laws`) is exact.
"""

from __future__ import annotations

import sympy

from ._views import model_views
from .model import ContrastiveModel

__all__ = ["McKeanVlasovPDE", "NotClosedError"]


class NotClosedError(ValueError):
    """The moment equations do not close in ``(R, Q)``.

    Attributes
    ----------
    moments : tuple of sympy.Expr
        The integrands ``f(u, w)`` whose expectations ``E[f]`` appeared.
    """

    def __init__(self, moments, where=""):
        self.moments = tuple(moments)
        listed = ", ".join(f"E[{m}]" for m in self.moments)
        super().__init__(f"moment equations do not close{where}: extra moments {listed}")


class McKeanVlasovPDE:
    """Drift, diffusion and weak form of the model's McKean--Vlasov PDE.

    Parameters
    ----------
    model : ContrastiveModel

    Examples
    --------
    >>> import sympy
    >>> from symdyn.contrastive.model import ContrastiveModel
    >>> from symdyn.contrastive.pde import McKeanVlasovPDE
    >>> pde = McKeanVlasovPDE(ContrastiveModel(tau=1, beta=1))
    >>> u, w = pde.u[0], pde.w[0]
    >>> pde.weak_form(w**2).has(sympy.Derivative)
    False
    >>> pde.moment_derivative(u * w).has(pde.R[0, 0])
    True
    >>> McKeanVlasovPDE(ContrastiveModel(regularizer="l1")).moment_derivative(u * w)
    Traceback (most recent call last):
    ...
    symdyn.contrastive.pde.NotClosedError: moment equations do not close: extra moments E[u_1*sign(w_1)]
    """

    def __init__(self, model: ContrastiveModel):
        self.model = model
        self.views = V = model_views(model)
        d, d2 = model.d, model.d2
        self.R, self.Q = V.R, V.Q
        self.u = sympy.Matrix([sympy.Symbol(f"u_{k + 1}", real=True) for k in range(d)])
        self.w = sympy.Matrix([sympy.Symbol(f"w_{j + 1}", real=True) for j in range(d2)])
        self.P = sympy.Function("P")(*self.u, *self.w)
        E = V.gaussian.expect
        c = sympy.Matrix(V.c)
        tau = model.tau
        # G = sum_v E[c phi^(v)^T]  (d x d2), conditional on c
        self.G = sympy.Matrix(d, d2, lambda k, j: c[k] * sympy.Add(*[E(V.phi[v][j]) for v in range(2)]))
        # J_vv' = E[d phi^(v) / d h^(v')]  (d2 x d2)
        self.J = {(v, vp): V.dphi(v, vp).applyfunc(E) for v in range(2) for vp in range(2)}
        u, w = self.u, self.w
        resid = w - self.R.T * u
        drift = self.G.T * u
        for (v, vp), Jm in self.J.items():
            drift += Jm * (V.kz[v, vp] * resid + V.Delta * V.kxi[v, vp] * w)
        self.drift = (tau * drift - tau * self.grad_psi()).applyfunc(sympy.expand)
        self.diffusion = sympy.Matrix(d2, d2, lambda i, j: tau**2 * sympy.Add(*[
            V.kappa_prime[v, vp] * E(V.phi[v][i] * V.phi[vp][j]) for v in range(2) for vp in range(2)]))

    def psi(self) -> sympy.Expr:
        """Regulariser ``psi(w)``: ``beta |w|^2 / 2`` (L2) or ``beta |w|_1`` (L1)."""
        beta = self.model.beta
        if self.model.regularizer == "l2":
            return beta * sum(wj**2 for wj in self.w) / 2
        return beta * sum(sympy.Abs(wj) for wj in self.w)

    def grad_psi(self) -> sympy.Matrix:
        psi = self.psi()
        return sympy.Matrix([sympy.diff(psi, wj) for wj in self.w])

    def rhs(self) -> sympy.Expr:
        """``d_t P`` with unevaluated derivatives (the PDE itself)."""
        P, w = self.P, self.w
        d2 = len(w)
        out = sympy.S.Zero
        for j in range(d2):
            out -= sympy.Derivative(self.drift[j] * P, w[j], evaluate=False)
        for j in range(d2):
            for l in range(d2):
                out += sympy.Derivative(self.diffusion[j, l] * P, w[j], w[l], evaluate=False) / 2
        return out

    def weak_form(self, f) -> sympy.Expr:
        """Integrand ``g`` with ``d/dt E[f(u, w)] = E[g]``, by symbolic integration by parts.

        Each term ``a * D_alpha[X P]`` of :meth:`rhs` becomes
        ``(-1)^|alpha| a X D_alpha f`` (boundary terms vanish); the density
        ``P`` is then divided out.
        """
        if isinstance(f, str):
            raise TypeError("test function must be a SymPy expression, not a string")
        f = sympy.S(f)
        total = sympy.S.Zero
        for term in sympy.Add.make_args(self.rhs()):
            coef, ders = [], []
            for fac in sympy.Mul.make_args(term):
                (ders if isinstance(fac, sympy.Derivative) else coef).append(fac)
            if len(ders) != 1:
                raise AssertionError(f"unexpected PDE term {term}")
            D = ders[0]
            order = sum(int(cnt) for _, cnt in D.variable_count)
            moved = sympy.diff(f, *[v for v, cnt in D.variable_count for _ in range(int(cnt))])
            total += sympy.Mul(*coef) * (-1) ** order * D.expr * moved
        g = sympy.expand(total / self.P)
        if g.has(self.P):
            raise AssertionError("density did not factor out")
        return g

    def generator(self, f) -> sympy.Expr:
        """``Gamma . grad_w f + 1/2 Lambda : Hess_w f`` (the backward operator), for cross-checks."""
        f = sympy.S(f)
        w = self.w
        d2 = len(w)
        out = sum(self.drift[j] * sympy.diff(f, w[j]) for j in range(d2))
        out += sum(self.diffusion[j, l] * sympy.diff(f, w[j], w[l]) for j in range(d2) for l in range(d2)) / 2
        return sympy.expand(out)

    def moment_derivative(self, f) -> sympy.Expr:
        """``d/dt E[f]`` in terms of ``R``, ``Q`` (conditional on ``c``).

        Raises
        ------
        NotClosedError
            If moments other than ``E[1]``, ``E[u u^T]``, ``E[u w^T]``,
            ``E[w w^T]`` appear.
        """
        g = self.weak_form(f)
        u, w = list(self.u), list(self.w)
        uw = u + w
        total = sympy.S.Zero
        extra = []
        for term in sympy.Add.make_args(g):
            coef, mono = term.as_independent(*uw, as_Add=False)
            value = self._moment(mono, u, w)
            if value is None:
                if mono not in extra:
                    extra.append(mono)
                continue
            total += coef * value
        if extra:
            raise NotClosedError(extra)
        return total

    def _moment(self, mono, u, w):
        if mono == 1:
            return sympy.S.One
        powers = mono.as_powers_dict()
        if any(b not in u and b not in w for b in powers):
            return None
        factors = [b for b, e in powers.items() for _ in range(int(e))]
        if len(factors) != 2:
            return None
        a, b = factors
        if a in u and b in u:
            return sympy.S.One if a == b else sympy.S.Zero
        if a in w and b in u:
            a, b = b, a
        if a in u and b in w:
            return self.R[u.index(a), w.index(b)]
        i, j = sorted((w.index(a), w.index(b)))
        return self.Q[i, j]

    def moment_equations(self) -> list:
        """Conditional right-hand sides in the state order (R row-major, Q upper triangle)."""
        d, d2 = self.model.d, self.model.d2
        out = [self.moment_derivative(self.u[k] * self.w[j]) for k in range(d) for j in range(d2)]
        out += [self.moment_derivative(self.w[i] * self.w[j]) for i in range(d2) for j in range(i, d2)]
        return out
