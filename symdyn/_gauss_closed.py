"""Closed forms of Gaussian expectations of polynomial x Gaussian-kernel x erf products.

For ``h ~ N(mu, C)`` (any mean, any PSD covariance; entries may be symbolic)
and an integrand that is a sum of terms

    coefficient * p(h) * exp(-q(h)) * erf(L_1(h)) ... erf(L_m(h))

(``p`` polynomial, ``q`` quadratic, ``L_k`` affine; ``erfc = 1 - erf`` and
``erf' = 2 exp(-x^2)/sqrt(pi)`` are of this form), :func:`closed_expectation`
returns the exact value, built from three identities:

* **Gaussian kernels** are absorbed by completing the square, without
  inverting ``C`` (so singular covariances are fine): with
  ``q(h) = h^T A h + b^T h + c``, ``M = I + 2 C A``, ``v = 2 A mu + b``,
  ``C' = M^{-1} C``,
  ``E[exp(-q) F] = det(M)^{-1/2} exp(-q(mu) + v^T C' v / 2) E'[F]`` where
  ``E'`` is over ``N(mu - C' v, C')``;
* **polynomial factors** are removed by Stein's lemma
  ``E[h_i F] = mu_i E[F] + sum_j C_ij E[d_j F]``; the derivative of an erf
  is a kernel, absorbed as above (each step lowers the degree or removes an erf);
* **erf factors** (after the above):
  ``E[erf(L)] = erf(E L / sqrt(1 + 2 Var L))``, and, with
  ``s_k = sqrt(1 + 2 Var L_k)``, ``r = 2 Cov(L_1, L_2) / (s_1 s_2)``,
  ``E[erf(L_1) erf(L_2)] = 4 Phi2(x_1, x_2; r) - 1 - erf(E L_1 / s_1) - erf(E L_2 / s_2)``,
  ``x_k = sqrt(2) E L_k / s_k`` (write ``erf(u) = E_Z[sign(sqrt(2) u - Z)]``);
  for zero means this is the arcsine law ``(2/pi) asin(r)``
  (:class:`~symdyn.special.BivariateNormalCDF` reduces itself).

Three or more erf factors (after absorbing) raise :class:`NoClosedForm`, as
does any other integrand.
"""

from __future__ import annotations

import functools

import sympy

from .special import BivariateNormalCDF

__all__ = ["closed_expectation", "NoClosedForm", "erf_pair_expectation", "erf_expectation"]


class NoClosedForm(NotImplementedError):
    """Raised when an exact Gaussian expectation has no known closed form."""


_TWO_OVER_SQRT_PI = 2 / sympy.sqrt(sympy.pi)


def _simp(e):
    """Cheap normalisation of the rational expressions produced by absorption."""
    return sympy.cancel(e) if e.is_rational_function() else sympy.expand(e)


def erf_expectation(mu, var):
    """``E[erf(L)]`` for ``L ~ N(mu, var)``."""
    return sympy.erf(mu / sympy.sqrt(1 + 2 * var))


def erf_pair_expectation(mu1, mu2, v1, v2, c12):
    """``E[erf(L1) erf(L2)]`` for ``(L1, L2)`` Gaussian with means ``mu``, variances ``v``, covariance ``c12``."""
    s1, s2 = sympy.sqrt(1 + 2 * v1), sympy.sqrt(1 + 2 * v2)
    r = 2 * c12 / (s1 * s2)
    if mu1 == 0 and mu2 == 0:
        return 2 * sympy.asin(r) / sympy.pi
    x1, x2 = sympy.sqrt(2) * mu1 / s1, sympy.sqrt(2) * mu2 / s2
    return 4 * BivariateNormalCDF(x1, x2, r) - 1 - sympy.erf(mu1 / s1) - sympy.erf(mu2 / s2)


class _Problem:
    """Variables, and the split of one product term into its factors."""

    def __init__(self, variables):
        self.variables = tuple(variables)

    def affine(self, expr):
        try:
            p = sympy.Poly(expr, *self.variables)
        except sympy.PolynomialError:
            return None
        if p.total_degree() > 1 or any(c.has(*self.variables) for c in p.coeffs()):
            return None
        return tuple(p.coeff_monomial(v) for v in self.variables), p.coeff_monomial(1)

    def split(self, term):
        """``(coefficient, polynomial, exponent, erf arguments)`` of a product term, or raise."""
        vs = self.variables
        coef, poly, expo, erfs = sympy.S.One, sympy.S.One, sympy.S.Zero, []
        for fac in sympy.Mul.make_args(term):
            if not fac.has(*vs):
                coef *= fac
                continue
            base, e = fac.as_base_exp()
            if isinstance(fac, sympy.exp):
                expo += fac.args[0]
            elif isinstance(base, sympy.exp) and e.is_Integer:
                expo += e * base.args[0]
            elif base is sympy.E:
                expo += e
            elif isinstance(base, sympy.erf) and e.is_Integer and e > 0:
                erfs.extend([base.args[0]] * int(e))
            elif fac.is_polynomial(*vs):
                poly *= fac
            else:
                raise NoClosedForm(f"factor {fac} is not a polynomial, Gaussian kernel or erf")
        try:
            q = sympy.Poly(sympy.expand(expo), *vs)
        except sympy.PolynomialError:
            raise NoClosedForm(f"exponent {expo} is not quadratic in {vs}") from None
        if q.total_degree() > 2 or any(c.has(*vs) for c in q.coeffs()):
            raise NoClosedForm(f"exponent {expo} is not quadratic in {vs}")
        lins = []
        for a in erfs:
            lin = self.affine(a)
            if lin is None:
                raise NoClosedForm(f"erf argument {a} is not affine in {vs}")
            lins.append(lin)
        return coef, poly, q, tuple(lins)


def _absorb(q: sympy.Poly, vs, mean, cov):
    """Complete the square: ``E[exp(q(h)) F] = factor * E'[F]``; returns ``(factor, mean', cov')``."""
    n = len(vs)
    A = sympy.zeros(n, n)
    b = sympy.zeros(n, 1)
    for monom, c in zip(q.monoms(), q.coeffs()):
        idx = [i for i, k in enumerate(monom) for _ in range(k)]
        if len(idx) == 2:
            i, j = idx
            if i == j:
                A[i, i] -= c
            else:
                A[i, j] -= c / 2
                A[j, i] -= c / 2
        elif len(idx) == 1:
            b[idx[0]] -= c
    mu = sympy.Matrix(mean)
    C = sympy.Matrix(cov)
    M = sympy.eye(n) + 2 * C * A
    det = _simp(M.det(method="berkowitz"))
    if det == 0:
        raise NoClosedForm("Gaussian kernel is not integrable (det(I + 2 C A) = 0)")
    Cn = (M.adjugate() * C / det).applyfunc(_simp)
    v = 2 * A * mu + b
    mun = (mu - Cn * v).applyfunc(_simp)
    q_at_mu = q.as_expr().xreplace(dict(zip(vs, mean)))
    expo = _simp(q_at_mu + (v.T * Cn * v)[0, 0] / 2)
    factor = sympy.exp(expo) / sympy.sqrt(det)
    return factor, tuple(mun), sympy.ImmutableMatrix(Cn)


def _lin_moments(lin, mean, cov):
    a, b0 = lin
    mu = _simp(sum((ai * mi for ai, mi in zip(a, mean)), b0))
    return a, mu


def _quad(a, C, b):
    n = len(a)
    return _simp(sympy.Add(*[a[i] * C[i, j] * b[j] for i in range(n) for j in range(n) if a[i] != 0 and b[j] != 0]))


@functools.lru_cache(maxsize=4096)
def _expect(vs, poly, lins, mean, cov):
    """``E[poly * prod erf(L)]`` under ``N(mean, cov)`` (no kernel)."""
    if poly == 0:
        return sympy.S.Zero
    p = sympy.Poly(poly, *vs)
    if p.total_degree() > 0:
        total = sympy.S.Zero
        for monom, c in zip(p.monoms(), p.coeffs()):
            if sum(monom) == 0:
                total += c * _expect(vs, sympy.S.One, lins, mean, cov)
                continue
            i = next(k for k, e in enumerate(monom) if e)
            rest = sympy.Mul(*[v**e for v, e in zip(vs, monom)]) / vs[i]
            part = mean[i] * _expect(vs, rest, lins, mean, cov) if mean[i] != 0 else sympy.S.Zero
            for j in range(len(vs)):
                cij = cov[i, j]
                if cij == 0:
                    continue
                drest = sympy.diff(rest, vs[j])
                if drest != 0:
                    part += cij * _expect(vs, drest, lins, mean, cov)
                for k, (a, b0) in enumerate(lins):
                    if a[j] == 0:
                        continue
                    L = sum((ai * v for ai, v in zip(a, vs)), b0)
                    kern = sympy.Poly(-sympy.expand(L**2), *vs)
                    fac, m2, c2 = _absorb(kern, vs, mean, cov)
                    others = lins[:k] + lins[k + 1:]
                    part += cij * a[j] * _TWO_OVER_SQRT_PI * fac * _expect(vs, rest, others, m2, c2)
            total += c * part
        return total
    const = p.as_expr()
    if not lins:
        return const
    if len(lins) == 1:
        a, mu = _lin_moments(lins[0], mean, cov)
        return const * erf_expectation(mu, _quad(a, cov, a))
    if len(lins) == 2:
        (a1, mu1), (a2, mu2) = (_lin_moments(l, mean, cov) for l in lins)
        return const * erf_pair_expectation(mu1, mu2, _quad(a1, cov, a1), _quad(a2, cov, a2), _quad(a1, cov, a2))
    raise NoClosedForm(f"{len(lins)} erf factors: no closed form (at most two)")


def closed_expectation(expr, variables, mean, cov) -> sympy.Expr:
    """Exact ``E[expr(h)]``, ``h ~ N(mean, cov)``, for sums of polynomial x kernel x erf products.

    Parameters
    ----------
    expr : sympy.Expr
    variables : tuple of Symbol
    mean : sequence of Expr
    cov : square matrix of Expr (symmetric, PSD)

    Returns
    -------
    sympy.Expr
        Built from ``erf``, ``exp``, ``sqrt``, ``asin`` and
        :class:`~symdyn.special.BivariateNormalCDF` of the parameters.

    Raises
    ------
    NoClosedForm
        For any term outside the class (e.g. ``tanh``, three erf factors).

    Examples
    --------
    >>> import sympy
    >>> from symdyn._gauss_closed import closed_expectation
    >>> x, m, V = sympy.symbols("x m V", positive=True)
    >>> closed_expectation(x * sympy.erf(x), (x,), (m,), [[V]])
    2*V*exp(-m**2/(2*V + 1))/(sqrt(pi)*sqrt(2*V + 1)) + m*erf(m/sqrt(2*V + 1))
    """
    vs = tuple(variables)
    mean = tuple(mean)
    cov = sympy.ImmutableMatrix(cov)
    prob = _Problem(vs)
    expr = expr.replace(sympy.erfc, lambda a: 1 - sympy.erf(a)) if expr.has(sympy.erfc) else expr
    total = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand_mul(expr)):
        coef, poly, q, lins = prob.split(term)
        m, C, fac = mean, cov, sympy.S.One
        if not q.is_zero:
            fac, m, C = _absorb(q, vs, mean, cov)
        total += coef * fac * _expect(vs, sympy.expand(poly), lins, m, C)
    return total
