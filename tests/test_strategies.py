"""Every strategy's guarantee holds (200 examples each, exact checks independent of the routines under test)."""

import subprocess
import sys
import tomllib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symdyn import strategies as S

ROOT = Path(__file__).resolve().parent.parent
MANY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------------- polynomials
def _locate(root):
    """Half-plane and disk region of an exact root, by SymPy's own exact sign decisions."""
    re, im = root.as_real_imag()
    re = sympy.expand(re)
    hp = "left" if re.is_negative else ("imaginary" if re.is_zero else "right")
    m2 = sympy.expand(re**2 + sympy.expand(im) ** 2 - 1)
    dk = "inside" if m2.is_negative else ("on" if m2.is_zero else "outside")
    assert hp is not None and dk is not None
    return hp, dk


def _check_polynomial(case, **prescribed):
    x = case.x
    rebuilt = case.leading * sympy.Mul(*[(x - r) ** m for r, m in case.roots])
    assert sympy.expand(rebuilt - case.poly.as_expr()) == 0
    assert case.degree == sum(m for _, m in case.roots) >= 1
    assert list(case.coeffs) == [sympy.expand(c) for c in case.poly.all_coeffs()]
    hp = dict.fromkeys(("left", "imaginary", "right"), 0)
    dk = dict.fromkeys(("inside", "on", "outside"), 0)
    for r, m in case.roots:
        h, d = _locate(r)
        hp[h] += m
        dk[d] += m
    assert tuple(hp.values()) == tuple(case.half_plane)
    assert tuple(dk.values()) == tuple(case.disk)
    for k, v in prescribed.items():
        assert {**hp, **dk}[k] == v


@MANY
@given(st.data())
def test_polynomials_guarantee(data):
    """Free draws, prescribed half-plane counts, prescribed disk counts, algebraic coefficients."""
    mode = data.draw(st.sampled_from(("free", "half_plane", "disk", "algebraic")))
    if mode == "free":
        _check_polynomial(data.draw(S.polynomials(max_degree=5)))
    elif mode == "algebraic":
        case = data.draw(S.polynomials(coefficients="algebraic", max_degree=4, boundary=False))
        _check_polynomial(case, imaginary=0, on=0)
    else:
        names = ("left", "imaginary", "right") if mode == "half_plane" else ("inside", "on", "outside")
        counts = {k: data.draw(st.integers(0, 2)) for k in names}
        if not any(counts.values()):
            counts[names[0]] = 1
        _check_polynomial(data.draw(S.polynomials(**counts)), **counts)


def test_polynomial_arguments_are_validated():
    with pytest.raises(ValueError, match="not both"):
        S.polynomials(left=1, inside=1)
    with pytest.raises(ValueError, match="coefficients"):
        S.polynomials(coefficients="real")
    with pytest.raises(TypeError, match="left"):
        S.polynomials(left=1.5)
    with pytest.raises(ValueError, match="boundary"):
        S.polynomials(on=1, boundary=False)


# ----------------------------------------------------------------------------- matrices
@MANY
@given(st.data())
def test_symmetric_matrices_guarantee(data):
    prescribed = data.draw(st.booleans())
    unimodular = data.draw(st.booleans())
    if prescribed:
        pos, neg, zero = (data.draw(st.integers(0, 2)) for _ in range(3))
        if pos + neg + zero == 0:
            pos = 1
        case = data.draw(S.symmetric_matrices(positive=pos, negative=neg, zero=zero, unimodular=unimodular))
        assert tuple(case.inertia) == (pos, neg, zero)
    else:
        case = data.draw(S.symmetric_matrices(unimodular=unimodular))
    M, P, D = case.matrix, case.congruence, case.diagonal
    assert M == M.T and M.rows == len(D) == sum(case.inertia)
    det = P.det()
    assert det != 0 and (not unimodular or det in (1, -1))
    assert M == P.T * sympy.diag(*D) * P
    signs = [sympy.sign(d) for d in D]
    assert tuple(case.inertia) == (signs.count(1), signs.count(-1), signs.count(0))


@MANY
@given(st.data())
def test_spd_matrices_spectrum_and_condition(data):
    kappa = data.draw(st.sampled_from((1, 2, Fraction(5, 2), 16)))
    case = data.draw(S.spd_matrices(max_condition=kappa))
    Q, M, ev = case.orthogonal, case.matrix, case.eigenvalues
    assert Q.T * Q == sympy.eye(Q.rows)
    assert M == Q.T * sympy.diag(*ev) * Q and M == M.T
    assert all(v > 0 for v in ev) and list(ev) == sorted(ev)
    assert case.condition_number == ev[-1] / ev[0] <= kappa


# ----------------------------------------------------------------------------- systems
def _exact_kind(eigs, discrete):
    side = []
    for e in eigs:
        re, im = sympy.expand(e).as_real_imag()
        v = re**2 + im**2 - 1 if discrete else re
        side.append(sympy.sign(sympy.expand(v)))
    un, stab, cen = side.count(1), side.count(-1), side.count(0)
    return un, stab, cen


def _check_system(case):
    sysm = case.system
    J = sysm.jacobian()
    lam = sympy.Symbol("lam")
    assert len(set(case.fixed_points)) == len(case.fixed_points) >= 1
    for p in case.fixed_points:
        pt = dict(zip(sysm.states, p))
        F = sysm.rhs.xreplace(pt)
        if case.discrete:
            F = F - sympy.Matrix(p)
        assert all(sympy.expand(v) == 0 for v in F), (p, F)
        e = case.classification[p]
        # the Jacobian's characteristic polynomial has exactly the claimed eigenvalues
        cp = J.xreplace(pt).charpoly(lam).as_expr()
        assert sympy.expand(cp - sympy.Mul(*[lam - v for v in e.eigenvalues])) == 0
        un, stab, cen = _exact_kind(e.eigenvalues, case.discrete)
        assert (e.unstable_dim, e.stable_dim, e.center_dim) == (un, stab, cen) and e.index == un
        kind = "non-hyperbolic" if cen else ("sink" if not un else ("source" if not stab else "saddle"))
        assert e.kind == kind
        nonreal = any(sympy.im(v) != 0 for v in e.eigenvalues)
        assert e.subtype == (None if cen else ("focus" if nonreal else "node"))


@MANY
@given(st.data())
def test_polynomial_systems_guarantee(data):
    kind = data.draw(st.sampled_from(("flow", "map")))
    hyperbolic = data.draw(st.sampled_from((None, True, False)))
    case = data.draw(S.polynomial_systems(kind=kind, max_dim=2, max_roots=2, max_multiplicity=2,
                                          hyperbolic=hyperbolic))
    assert case.discrete == (kind == "map")
    _check_system(case)
    if hyperbolic is not None:
        assert all(c.center_dim == 0 for c in case.classification.values()) == hyperbolic


@settings(max_examples=10, deadline=None)
@given(S.polynomial_systems(dim=3, max_roots=2))
def test_three_dimensional_systems(case):
    _check_system(case)


@MANY
@given(S.gradient_systems())
def test_gradient_systems(case):
    x, y = case.system.states
    V = sympy.Poly(case.potential, x, y)
    assert all((sympy.Poly(f, x, y, domain="QQ") + V.diff(s)).is_zero for f, s in zip(case.system.rhs, (x, y)))
    pts = (case.saddle,) + case.sinks
    assert len(set(pts)) == 3
    hessian = sympy.Matrix(2, 2, [V.diff(a).diff(b).as_expr() for a in (x, y) for b in (x, y)])
    for p in pts:
        assert all(sympy.expand(f.xreplace(dict(zip((x, y), p)))) == 0 for f in case.system.rhs)
        H = hessian.xreplace(dict(zip((x, y), p)))
        want = "saddle" if H.det() < 0 else "sink"
        assert H.det() != 0 and case.classification[p].kind == want
        if want == "sink":
            assert H[0, 0] > 0
    assert case.classification[case.saddle].kind == "saddle"
    assert case.basin_of(case.saddle) is None and case.basin_of(case.sinks[0]) == 0 and case.basin_of(case.sinks[1]) == 1
    # the separatrix (line through the saddle orthogonal to n) is invariant: n . f = 0 on it
    n1, n2 = case.separatrix_normal
    s = sympy.Symbol("s")
    line = {x: case.saddle[0] - n2 * s, y: case.saddle[1] + n1 * s}
    assert sympy.expand(n1 * case.system.rhs[0].xreplace(line) + n2 * case.system.rhs[1].xreplace(line)) == 0
    assert n1**2 + n2**2 == 1


# ----------------------------------------------------------------------------- laws, models
def _atom_moment(law, k):
    return sympy.nsimplify(sympy.expand(sum(p * v**k for v, p in law.atoms())))


@MANY
@given(S.hidden_laws())
def test_hidden_laws_free(case):
    law = case.law
    assert case.kurtosis == case.fourth_moment / case.second_moment**2
    if law.atoms() is not None:   # independent of law.moment: sum over the atoms
        assert sum(p for _, p in law.atoms()) == 1 and all(p >= 0 for _, p in law.atoms())
        assert [_atom_moment(law, k) for k in (1, 2, 3, 4)] == [0, case.second_moment, 0, case.fourth_moment]
    assert sympy.simplify(law.moment(2) - case.second_moment) == 0
    assert sympy.simplify(law.moment(4) - case.fourth_moment) == 0
    assert law.moment(1) == 0 and law.moment(3) == 0


@MANY
@given(st.data())
def test_hidden_laws_prescribed(data):
    m2 = data.draw(st.sampled_from((Fraction(1), Fraction(3, 2), Fraction(3))))
    kappa = data.draw(st.sampled_from((Fraction(1), Fraction(9, 5), Fraction(3), Fraction(5), Fraction(12))))
    case = data.draw(S.hidden_laws(second_moment=m2, kurtosis=kappa))
    assert (case.second_moment, case.kurtosis) == (m2, kappa)
    assert sympy.simplify(case.law.moment(2) - m2) == 0
    assert sympy.simplify(case.law.moment(4) - kappa * m2**2) == 0
    if case.law.atoms() is not None:
        assert _atom_moment(case.law, 2) == m2 and _atom_moment(case.law, 4) == kappa * m2**2


def test_hidden_laws_reject_unrealisable_kurtosis():
    with pytest.raises(ValueError, match="kurtosis"):
        S.hidden_laws(kurtosis=2, families=("rademacher", "gaussian"))
    with pytest.raises(ValueError, match="kurtosis"):
        S.hidden_laws(kurtosis=Fraction(1, 2))


@MANY
@given(S.contrastive_models(d=2))
def test_contrastive_models_in_spec_regimes(case):
    m = case.model
    assert m.d == 2 and m.d2 == 1 and m.beta == 1
    assert m.activation in (sympy.tanh, sympy.erf)
    assert sympy.Rational(1, 5) <= m.tau <= 1
    assert m.rho in (1, 0, sympy.Rational(-1, 2), -1)
    assert m.Delta in (0, sympy.Rational(1, 2), 1)
    assert m.augmentation == "additive" or m.Delta == 0
    for law, lc in zip(m.laws, case.laws):
        assert law is lc.law and 1 <= lc.second_moment <= 3
        assert sympy.simplify(law.moment(2) - lc.second_moment) == 0 and law.moment(1) == 0
    assert all(0.01 <= r[0] <= 0.1 for r in case.R0) and case.Q0 == ((1.0,),)


@MANY
@given(S.lsgd_diagonals())
def test_lsgd_diagonals(case):
    b, n, i0 = case.b, case.n, case.negative_index
    assert [i for i, v in enumerate(b) if v < 0] == [i0] and all(v != 0 for v in b)
    assert all(Fraction(1, 4) <= abs(v) <= 4 for v in b)
    mirror = [b[(2 * i0 - i) % n] for i in range(n)]      # reflection about i0
    assert case.reflection_symmetric == (list(b) == mirror)
    assert 0 < case.eta * max(b) < 2
    assert case.unit_counts == (n - 1, 0, 1)
    assert case.antisymmetric_dim == ((n - 1) // 2 if case.reflection_symmetric else None)


@MANY
@given(st.booleans().flatmap(lambda s: st.tuples(st.just(s), S.lsgd_diagonals(symmetric=s))))
def test_lsgd_diagonals_symmetry_flag(args):
    sym, case = args
    assert case.reflection_symmetric is sym


@MANY
@given(S.point_clouds(min_clusters=1, max_clusters=4, dim=2, min_size=5, max_size=30))
def test_point_clouds(case):
    from scipy.spatial.distance import cdist

    X, lab = case.X, case.labels
    assert X.shape == (lab.size, 2) and np.all(np.isfinite(X))
    assert set(lab.tolist()) == set(range(case.n_clusters)) and np.all((case.sizes >= 5) & (case.sizes <= 30))
    assert np.all(np.linalg.norm(X - case.centers[lab], axis=1) <= case.radius)
    assert case.gap >= 2.0 * case.diameter
    for i in range(case.n_clusters):
        for j in range(i + 1, case.n_clusters):
            assert cdist(X[lab == i], X[lab == j]).min() >= case.gap


# ----------------------------------------------------------------------------- packaging
def test_public_import():
    import symdyn
    from symdyn import strategies, testing

    assert strategies is S and "strategies" in dir(symdyn) and "testing" in dir(symdyn)
    assert callable(testing.assert_fixed_point)


def test_runtime_modules_do_not_import_test_only_packages():
    """symdyn.strategies, symdyn.testing and every proofs_checks module import without pytest & co."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {d.split(">")[0].split("[")[0].split("=")[0].strip().lower() for d in meta["dependencies"]}
    test_only = [d.split(">")[0].split("=")[0].strip().lower() for d in meta["optional-dependencies"]["test"]]
    test_only = [d for d in test_only if d not in runtime]
    assert "hypothesis" in runtime and "pytest" in test_only
    code = (
        "import sys, proofs_checks, importlib\n"
        "import symdyn.strategies, symdyn.testing\n"
        "for n in proofs_checks.available(): proofs_checks.load(n)\n"
        f"bad = sorted(m for m in {test_only!r} if m in sys.modules)\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
