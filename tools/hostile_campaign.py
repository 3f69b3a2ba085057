"""Hostile-input campaign over the symdyn CLI and public API.

Every case runs in a persistent worker process (so imports are paid once) with a
per-case timeout; a worker that dies (signal, abort) or overruns is replaced.
Each outcome is classified:

``clean``  an anticipated error: ValueError / TypeError / OSError / OverflowError /
           the project's own error classes from the API; exit code 2 with one line
           on stderr and no traceback from the CLI;
``right``  a result that the case's checker accepts;
``wrong``  a result the checker rejects, a silent answer where an error was due,
           or an expected warning that did not come;
``crash``  any other exception (RuntimeError, AttributeError, MemoryError, ...), a
           CLI traceback, or a dead worker;
``hang``   no answer within the timeout.

Usage::

    python tools/hostile_campaign.py [--timeout 20] [--only PREFIX] [--json OUT] [-v]

The summary line gives ``tried / clean / right / wrong / crash / hang``; ``-v`` lists
every bad outcome.  Run it from the repository root with ``PYTHONPATH=$PWD``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import select
import stat
import subprocess
import sys
import tempfile
import time
import warnings

ANTICIPATED = (ValueError, TypeError, OSError, OverflowError)

# ---------------------------------------------------------------------------
# case table: name -> (kind, builder, expectation)
#   kind "api": builder(tmp) returns the value (or raises)
#   kind "cli": builder(tmp) returns argv for symdyn.cli.main
#   expectation: "error" | callable(result, tmp) -> bool | ("warn", callable)
#                | ("either", callable): clean error or a result the checker accepts
# ---------------------------------------------------------------------------
CASES: dict = {}


def case(name, kind, expect="error"):
    def deco(fn):
        assert name not in CASES, name
        CASES[name] = (kind, fn, expect)
        return fn
    return deco


def api(name, fn, expect="error"):
    CASES[name] = ("api", fn, expect)


def cli(name, argv, expect="error"):
    CASES[name] = ("cli", (lambda tmp, a=argv: [s.format(tmp=tmp) for s in a]), expect)


def _own_errors():
    from symdyn._integrate import DivergenceError
    from symdyn.stability import UndecidableError
    errs = [DivergenceError, UndecidableError]
    try:
        from symdyn.contrastive.pde import NotClosedError
        errs.append(NotClosedError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errs)


# ----------------------------------------------------------------- CLI: contrastive
SIM = ["contrastive", "simulate", "--no-ode", "--runs", "2", "--t-max", "0.05", "--N", "200", "--n-times", "3"]
SIM_ODE = ["contrastive", "simulate", "--no-sgd", "--t-max", "0.5", "--n-times", "3"]

BAD_FLOATS = ["nan", "inf", "-inf", "1e300", "-1e300", "-1"]
for opt in ("--tau", "--Delta", "--beta", "--lam", "--second-moment"):
    for v in BAD_FLOATS:
        if opt == "--Delta" and v in ("1e300",):
            continue
        cli(f"cli/sim/{opt}={v}", SIM + [opt, v])
        cli(f"cli/ode/{opt}={v}", SIM_ODE + [opt, v])
for v in ["nan", "inf", "2", "-1.5", "1e300"]:
    cli(f"cli/sim/--rho={v}", SIM + ["--rho", v])
for v in ["0", "-1", "17", "100", "1000000"]:
    cli(f"cli/sim/--d={v}", SIM + ["--d", v])
    cli(f"cli/sim/--d2={v}", SIM + ["--d2", v])
    cli(f"cli/odes/--d={v}", ["contrastive", "odes", "--d", v])
cli("cli/odes/d8d2=4", ["contrastive", "odes", "--d", "8", "--d2", "4"])
cli("cli/odes/d2=6", ["contrastive", "odes", "--d2", "6"])
cli("cli/odes/tau=nan", ["contrastive", "odes", "--tau", "nan"])
cli("cli/odes/tau=1e300", ["contrastive", "odes", "--tau", "1e300"])
for v in ["0", "-1", "1000000000000000000000", "99999999999999999999999999999"]:
    cli(f"cli/sim/--N={v}", ["contrastive", "simulate", "--no-ode", "--runs", "2", "--t-max", "0.01", "--N", v])
for v in ["0", "-1", "nan", "inf", "1e300", "-1e300"]:
    cli(f"cli/sim/--t-max={v}", ["contrastive", "simulate", "--runs", "2", "--N", "200", "--t-max", v])
    cli(f"cli/simnoode/--t-max={v}", ["contrastive", "simulate", "--no-ode", "--runs", "2", "--N", "200",
                                     "--t-max", v])
for v in ["0", "-1", "100000000000", "10000000000000000000000"]:
    cli(f"cli/sim/--runs={v}", ["contrastive", "simulate", "--no-ode", "--N", "200", "--t-max", "0.01",
                               "--runs", v])
for v in ["0", "1", "-5", "1000000000000"]:
    cli(f"cli/sim/--n-times={v}", SIM[:-2] + ["--n-times", v])
cli("cli/sim/--seed=-1", SIM + ["--seed", "-1"])
cli("cli/sim/--seed=huge", SIM + ["--seed", "99999999999999999999999"], ("either", lambda out, tmp: _sim_json_ok(out, tmp)))
cli("cli/sim/R0-count", SIM + ["--R0", "0.1", "0.2"])
cli("cli/sim/R0-nan", SIM + ["--R0", "nan"])
cli("cli/sim/R0-big", SIM + ["--R0", "2"])
cli("cli/sim/Q0-neg", SIM + ["--Q0", "-1"])
cli("cli/sim/Q0-inf", SIM + ["--Q0", "inf"])
cli("cli/sim/full-N-huge", ["contrastive", "simulate", "--no-ode", "--engine", "full", "--runs", "1000",
                           "--N", "100000000", "--t-max", "0.01"])
cli("cli/sim/nothing", SIM + ["--no-sgd"])
cli("cli/sim/sparse-nokurt", SIM + ["--law", "sparse-ternary"])
for v in ["0.5", "nan", "-1", "1e300"]:
    cli(f"cli/sim/kurtosis={v}", SIM + ["--law", "sparse-ternary", "--kurtosis", v])
cli("cli/sim/-o-dir", SIM + ["-o", "{tmp}"])
cli("cli/sim/-o-missing-dir", SIM + ["-o", "{tmp}/no/such/dir/out.json"])
cli("cli/sim/--png-dir", SIM + ["--png", "{tmp}", "-o", "{tmp}/x.json"])
cli("cli/odes/-o-dir", ["contrastive", "odes", "-o", "{tmp}"])
cli("cli/odes/-o-empty", ["contrastive", "odes", "-o", ""], ("either", lambda out, tmp: "R_{1,1}" in out))
cli("cli/check/only-unknown", ["check", "--only", "no_such_check"])
cli("cli/unknown-command", ["no-such-command"])
cli("cli/sim/unknown-activation", SIM + ["--activation", "__import__('os')"])
cli("cli/sim/type-N", SIM + ["--N", "1e3"])


def _sim_json_ok(stdout, tmp):
    data = json.loads(stdout)
    return all(abs(m) <= 1 + 1e-9 for s in data["sgd"] for row in s["mean_m"] for a in row for m in a)


cli("cli/sim/ok", SIM, lambda out, tmp: _sim_json_ok(out, tmp))


def _runs1_ok(out, tmp):
    data = json.loads(out)
    firsts = [s["mean_m"][0][0][0] for s in data["sgd"]]
    return all(abs(f - 0.1) < 1e-12 for f in firsts) and abs(data["R0"][0][0] - 0.1) < 1e-12


cli("cli/sim/runs1-caller-data", ["contrastive", "simulate", "--runs", "1", "--N", "1000", "--N", "1000",
                                  "--t-max", "2", "--seed", "0", "--n-times", "5"], _runs1_ok)


# ----------------------------------------------------------------- API: contrastive
def _model(**kw):
    from symdyn.contrastive import ContrastiveModel
    return ContrastiveModel(**kw)


def _sim(**kw):
    from symdyn.contrastive import simulate_sgd
    model = kw.pop("model", None) or _model()
    base = dict(N=200, t_max=0.05, n_runs=2, seed=0)
    base.update(kw)
    N = base.pop("N")
    t_max = base.pop("t_max")
    return simulate_sgd(model, N, t_max, **base)


for nm, v in [("d", 0), ("d", 17), ("d", 10**6), ("d", 2.0), ("d", True), ("d2", 0), ("d2", 17), ("d2", 10**9)]:
    api(f"api/model/{nm}={v!r}", lambda tmp, nm=nm, v=v: _model(**{nm: v}))
for nm in ("tau", "beta", "lam", "Delta", "rho"):
    for v in (float("nan"), float("inf"), -float("inf"), 1e300, "1", 1j):
        api(f"api/model/{nm}={v!r}", lambda tmp, nm=nm, v=v: _model(**{nm: v}))
api("api/model/activation-str", lambda tmp: _model(activation="tanh"))
api("api/model/activation-int", lambda tmp: _model(activation=3))
api("api/model/laws-wrong", lambda tmp: _model(laws=(1,)))
for nm, v in [("N", 10**21), ("N", 10**30), ("N", 0), ("N", -5), ("N", float("nan")), ("N", 1e300),
              ("N", "1000"), ("t_max", 1e300), ("t_max", float("inf")), ("t_max", float("nan")),
              ("t_max", 0.0), ("t_max", -1.0), ("n_runs", 10**11), ("n_runs", 0), ("n_runs", 2.5),
              ("seed", -1), ("seed", 2.5), ("seed", "0"), ("engine", "fast"), ("backend", "gpu"),
              ("basis", 3), ("times", [0.0, float("nan")]), ("times", []), ("times", [0.02, 0.01]),
              ("times", [0.0, 1.0]), ("R0", [[float("nan")]]), ("R0", [[2.0]]), ("R0", "0.1"),
              ("Q0", [[-1.0]]), ("Q0", [[float("inf")]]), ("times", [[0.0, 0.01]])]:
    api(f"api/sgd/{nm}={v!r}", lambda tmp, nm=nm, v=v: _sim(**{nm: v}))
api("api/sgd/N*t_max-huge", lambda tmp: _sim(N=10**12, t_max=10.0))
api("api/sgd/t_max*N>int64", lambda tmp: _sim(N=10**10, t_max=1e12))
api("api/sgd/full-memory", lambda tmp: _sim(N=10**9, engine="full", n_runs=100, t_max=1e-9))
api("api/sgd/reduced-memory", lambda tmp: _sim(n_runs=10**7, t_max=0.005, times=[0.0, 0.005]))
api("api/sgd/many-times", lambda tmp: _sim(times=__import__("numpy").linspace(0, 0.05, 10**8)))


def _readonly_inputs(tmp):
    import numpy as np
    R0 = np.array([[0.1]])
    Q0 = np.array([[1.0]])
    R0c, Q0c = R0.copy(), Q0.copy()
    for backend in ("c", "numpy", "auto"):
        for runs in (1, 3):
            _sim(R0=R0, Q0=Q0, n_runs=runs, backend=backend, t_max=0.5)
    return bool(np.array_equal(R0, R0c) and np.array_equal(Q0, Q0c))


api("api/sgd/caller-R0-untouched", _readonly_inputs, lambda r, tmp: r is True)


def _repeatable(tmp):
    import numpy as np
    a = _sim(n_runs=1, t_max=1.0, seed=3)
    b = _sim(n_runs=1, t_max=1.0, seed=3)
    return bool(np.array_equal(a.m, b.m))


api("api/sgd/same-seed-same-result", _repeatable, lambda r, tmp: r is True)


def _readonly_view(tmp):
    import numpy as np
    R0 = np.array([[0.1]])
    R0.setflags(write=False)
    res = _sim(R0=R0, n_runs=1, t_max=0.5)
    return float(R0[0, 0]) == 0.1 and float(res.m[0, 0, 0, 0]) == 0.1


api("api/sgd/readonly-R0", _readonly_view, lambda r, tmp: r is True)


def _c_vs_numpy(tmp):
    import numpy as np
    a = _sim(n_runs=2, t_max=0.5, backend="c", seed=1)
    b = _sim(n_runs=2, t_max=0.5, backend="numpy", seed=1)
    return float(np.max(np.abs(a.m - b.m)))


api("api/sgd/c-equals-numpy", _c_vs_numpy, lambda r, tmp: r < 1e-9)


def _bigint_literal(tmp):
    import numpy as np
    import sympy
    x = sympy.Symbol("x")
    m = _model(activation=sympy.Lambda(x, sympy.tanh(x) * 2**64 / 2**64 + sympy.tanh(x) * 2**64 * 0))
    m2 = _model(activation=sympy.Lambda(x, sympy.tanh(x) * sympy.Integer(2)**64 / (sympy.Integer(2)**64 + 1)))
    out = []
    for model in (m, m2):
        a = _sim(model=model, n_runs=1, t_max=0.5, backend="c", seed=2)
        b = _sim(model=model, n_runs=1, t_max=0.5, backend="numpy", seed=2)
        out.append(float(np.max(np.abs(a.m - b.m))))
    return max(out)


api("api/ckernel/bigint-literal", _bigint_literal, ("either", lambda r, tmp: r < 1e-9))


def _bigint_literal2(tmp):
    import numpy as np
    import sympy
    x = sympy.Symbol("x")
    model = _model(activation=sympy.Lambda(x, sympy.tanh(x) * 2**64), tau=sympy.Rational(1, 10**20))
    try:
        a = _sim(model=model, n_runs=1, t_max=0.5, backend="c", seed=2)
    except ValueError:
        return 0.0
    b = _sim(model=model, n_runs=1, t_max=0.5, backend="numpy", seed=2)
    return float(np.max(np.abs(a.m - b.m)))


api("api/ckernel/tanh*2**64", _bigint_literal2, lambda r, tmp: r < 1e-6)


def _tampered_kernel(tmp, mode):
    import numpy as np
    os.environ["SYMDYN_CACHE"] = tmp
    from symdyn.contrastive import _ckernel
    _ckernel._cache.clear()
    model = _model()
    # build the cache in another process (a library mapped here must not be altered under us)
    subprocess.run([sys.executable, "-c", "from symdyn.contrastive import ContrastiveModel, simulate_sgd; "
                    "simulate_sgd(ContrastiveModel(), 200, 0.05, backend='c', seed=0)"], check=True,
                   env=dict(os.environ, SYMDYN_CACHE=tmp))
    kdir = os.path.join(tmp, "kernels")
    libs = [f for f in os.listdir(kdir) if f.endswith(".so")]
    cc = "cc"
    for f in libs:
        p = os.path.join(kdir, f)
        if mode == "truncate":
            with open(p, "r+b") as fh:
                fh.truncate(100)
        elif mode in ("zero", "nosym"):
            src = os.path.join(tmp, "evil.c")
            body = ("int reduced_chunk(){return 0;}" if mode == "zero" else "int other(void){return 0;}")
            open(src, "w").write(body)
            subprocess.run([cc, "-shared", "-fPIC", "-o", p, src], check=True)
        elif mode == "garbage":
            open(p, "wb").write(b"not an elf")
    _ckernel._cache.clear()
    a = _sim(model=model, backend="auto", n_runs=1, t_max=0.5, seed=4)
    b = _sim(model=model, backend="numpy", n_runs=1, t_max=0.5, seed=4)
    os.environ.pop("SYMDYN_CACHE")
    _ckernel._cache.clear()
    ok = float(np.max(np.abs(a.m - b.m))) < 1e-9
    # a rebuilt kernel is used again (not a silent NumPy fallback forever)
    return ok and any(f.endswith(".so") and os.path.getsize(os.path.join(kdir, f)) > 1000
                      for f in os.listdir(kdir))


for mode in ("truncate", "zero", "nosym", "garbage"):
    api(f"api/ckernel/tampered-{mode}", lambda tmp, mode=mode: _tampered_kernel(tmp, mode),
        lambda r, tmp: r is True)


def _moment_odes(**kw):
    from symdyn.contrastive import moment_odes
    return moment_odes(_model(**kw))


api("api/odes/d8d2=4", lambda tmp: _moment_odes(d=8, d2=4))
api("api/odes/d2=8", lambda tmp: _moment_odes(d2=8))
api("api/odes/d=16", lambda tmp: _moment_odes(d=16))


# ----------------------------------------------------------------- API: ODESystem
def _pitch():
    import sympy
    from symdyn import ODESystem
    x, r = sympy.symbols("x r")
    return ODESystem([x], [r * x - x**3], [r]), x, r


def _fp(params=None, **kw):
    s, x, r = _pitch()
    if params is None:
        params = {r: 4}
    elif isinstance(params, dict):
        params = {r: params["r"]}
    return s.fixed_points(params, **kw)


for v in (float("nan"), float("inf"), -float("inf"), "4", None.__class__):
    api(f"api/fp/r={v!r}", lambda tmp, v=v: _fp({"r": v}))
api("api/fp/r=1+1j", lambda tmp: _fp({"r": complex(1, 1)}), ("either", lambda r, tmp: [float(p.values[0]) for p in r] == [0.0]))
api("api/fp/r=10**400", lambda tmp: _fp({"r": 10**400}), ("either", lambda r, tmp: len(r) == 3))
for v in ("sympy.nan", "sympy.oo", "sympy.zoo", "-sympy.oo"):
    api(f"api/fp/r={v}", lambda tmp, v=v: _fp({"r": eval(v, {"sympy": __import__("sympy")})}))
    api(f"api/fp-numeric/r={v}",
        lambda tmp, v=v: _fp({"r": eval(v, {"sympy": __import__("sympy")})}, method="numeric"))
for v in (float("nan"), float("inf")):
    api(f"api/fp-numeric/r={v!r}", lambda tmp, v=v: _fp({"r": v}, method="numeric"))
for kw in [dict(bounds=(float("nan"), 1)), dict(bounds=(1, -1)), dict(bounds="(-1,1)"), dict(bounds=(0, float("inf"))),
           dict(n_starts=-1), dict(n_starts=10**12), dict(prec=10**6), dict(prec=3), dict(seed=-1),
           dict(guesses=[[float("nan")]]), dict(guesses="1"), dict(method="magic"), dict(domain="quaternion"),
           dict(method="numeric", n_starts=0)]:
    api(f"api/fp/{kw!r}", lambda tmp, kw=kw: _fp(**{"method": "numeric", **kw}))


def _fp_outside(tmp, raise_=False):
    import sympy
    from symdyn import ODESystem
    x = sympy.Symbol("x")
    s = ODESystem([x], [sympy.sin(x - 50)])  # roots 50 + k pi: none inside (-10, 10)? (50-16pi=-0.26 inside)
    s = ODESystem([x], [sympy.exp(x) - 1e10])  # root at log(1e10) = 23.03, outside the default box
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fps = s.fixed_points()
    return fps, [str(a.message) for a in w]


api("api/fp/roots-outside-box", _fp_outside,
    lambda r, tmp: r[0] == [] and any("box" in m or "bounds" in m for m in r[1]))


def _fp_poly(expr_fn, **kw):
    def run(tmp):
        import sympy
        from symdyn import ODESystem
        x = sympy.Symbol("x")
        return ODESystem([x], [expr_fn(x)]).fixed_points(**kw)
    return run


api("api/fp/x**1000-1", _fp_poly(lambda x: x**1000 - 1))
api("api/fp/x**5000-x", _fp_poly(lambda x: x**5000 - x))
api("api/fp/x**10**6", _fp_poly(lambda x: x**(10**6) - 2))
api("api/fp/x**3-x ok", _fp_poly(lambda x: x**3 - x), lambda r, tmp: [int(p.values[0]) for p in r] == [-1, 0, 1])
api("api/fp/x**20-1 ok", _fp_poly(lambda x: x**20 - 1), lambda r, tmp: len(r) == 2)
api("api/fp/identically-zero", _fp_poly(lambda x: x - x))
api("api/fp/nan-rhs", _fp_poly(lambda x: x * __import__("sympy").nan))


def _classify(point, params=None, **kw):
    def run(tmp):
        s, x, r = _pitch()
        return s.classify(point, {r: 4} if params is None else params, **kw)
    return run


api("api/classify/non-equilibrium-exact", _classify([1]))
api("api/classify/non-equilibrium-float", _classify([1.0]))
api("api/classify/non-equilibrium-near", _classify([2.001]))
api("api/classify/equilibrium-2", _classify([2]), lambda c, tmp: c.kind == "sink" and c.level == "proved")
api("api/classify/equilibrium-0", _classify([0]), lambda c, tmp: c.kind == "source" and c.level == "proved")
api("api/classify/equilibrium-float", _classify([2.0]), lambda c, tmp: c.kind == "sink")
api("api/classify/point-nan", _classify([float("nan")]))
api("api/classify/point-inf", _classify([float("inf")]))
api("api/classify/point-str", _classify("1"))
api("api/classify/point-str-list", _classify(["1"]))
api("api/classify/point-len", _classify([1, 2]))
api("api/classify/point-zoo", _classify([__import__("sympy").zoo]))
api("api/classify/margin-nan", _classify([2], margin=float("nan")))
api("api/classify/margin-neg", _classify([2], margin=-1))
api("api/classify/params-nan", _classify([0], params=[float("nan")]))
api("api/classify/params-missing", _classify([0], params={}))


def _classify_sys(tmp, which):
    import sympy
    from symdyn import ODESystem, MapSystem
    x, y = sympy.symbols("x y")
    if which == "map-nonfixed":
        return MapSystem([x], [x / 2]).classify([1])
    if which == "map-fixed":
        return MapSystem([x], [x / 2]).classify([0])
    if which == "sin-nonfixed":
        return ODESystem([x], [sympy.sin(x)]).classify([1])
    if which == "sin-fixed-pi":
        return ODESystem([x], [sympy.sin(x)]).classify([sympy.pi])
    if which == "sin-fixed-float":
        return ODESystem([x], [sympy.sin(x)]).classify([3.141592653589793])
    if which == "2d-nonfixed":
        return ODESystem([x, y], [y, -x - y]).classify([1, 0])
    if which == "fixedpoint-obj":
        s = ODESystem([x], [sympy.exp(x) - 2])
        return s.classify(s.fixed_points()[0])


api("api/classify/map-nonfixed", lambda tmp: _classify_sys(tmp, "map-nonfixed"))
api("api/classify/map-fixed", lambda tmp: _classify_sys(tmp, "map-fixed"), lambda c, tmp: c.kind == "sink")
api("api/classify/sin-nonfixed", lambda tmp: _classify_sys(tmp, "sin-nonfixed"))
api("api/classify/sin-fixed-pi", lambda tmp: _classify_sys(tmp, "sin-fixed-pi"), lambda c, tmp: c.kind == "sink")
api("api/classify/sin-fixed-float", lambda tmp: _classify_sys(tmp, "sin-fixed-float"),
    lambda c, tmp: c.kind == "sink")
api("api/classify/2d-nonfixed", lambda tmp: _classify_sys(tmp, "2d-nonfixed"))
api("api/classify/fixedpoint-obj", lambda tmp: _classify_sys(tmp, "fixedpoint-obj"),
    lambda c, tmp: c.kind == "source")


def _integ(y0=(0.1,), t_span=(0, 1), **kw):
    def run(tmp):
        s, x, r = _pitch()
        return s.integrate(list(y0) if not isinstance(y0, str) else y0, t_span, (1.0,), **kw)
    return run


for ts in [(0, 1e-300), (0, 5e-324), (1e300, 1e300 + 1), (0, float("inf")), (0, float("nan")), (0, 0),
           (0, 1e300), (-1e300, 0), (1e15, 1e15 + 1e-3), "0,1", (0,), (0, 1, 2), (0, "1")]:
    api(f"api/integrate/t_span={ts!r}", _integ(t_span=ts),
        ("either", lambda r, tmp: r.success) if ts in [(0, 1e300), (-1e300, 0)] else "error")
for y0 in [(float("nan"),), (float("inf"),), (1e308,), ("0.1",), (0.1, 0.2), ()]:
    api(f"api/integrate/y0={y0!r}", _integ(y0=y0))
for kw in [dict(rtol=-1), dict(rtol=float("nan")), dict(atol=0), dict(max_norm=-1), dict(method="Euler"),
           dict(method=3), dict(t_eval=[2.0]), dict(t_eval=[float("nan")])]:
    api(f"api/integrate/{kw!r}", _integ(**kw))
api("api/integrate/rtol=1e-300", _integ(rtol=1e-300), ("either", lambda r, tmp: r.success))
api("api/integrate/ok", _integ(), lambda r, tmp: r.success and abs(r.y[0, -1] - 0.1 * 2.718281828 /
    (1 + 0.01 * (2.718281828**2 - 1)) ** 0.5) < 1e-5)
api("api/integrate/diverges", _integ(y0=(0.1,), t_span=(0, 10), max_norm=1e-3), "error")


def _iterate(x0=(0.5,), n_steps=10, **kw):
    def run(tmp):
        import sympy
        from symdyn import MapSystem
        x, r = sympy.symbols("x r")
        return MapSystem([x], [r * x * (1 - x)], [r]).iterate(list(x0), n_steps, (2.5,), **kw)
    return run


for n in (-1, 2.5, 10**12, "10", True):
    api(f"api/iterate/n_steps={n!r}", _iterate(n_steps=n))
for x0 in [(float("nan"),), ("0.5",), (0.5, 0.5)]:
    api(f"api/iterate/x0={x0!r}", _iterate(x0=x0))
api("api/iterate/return_orbit-huge", _iterate(n_steps=10**9, return_orbit=True))
api("api/iterate/ok", _iterate(n_steps=200), lambda r, tmp: abs(float(r[0]) - 0.6) < 1e-9)


def _ode_ctor(tmp, which):
    import sympy
    from symdyn import ODESystem
    x, y = sympy.symbols("x y")
    return {
        "rhs-str": lambda: ODESystem([x], ["x"]),
        "rhs-injection": lambda: ODESystem([x], ["__import__('os').system('true')"]),
        "states-str": lambda: ODESystem(["x"], [x]),
        "len": lambda: ODESystem([x], [x, x]),
        "nan-rhs": lambda: ODESystem([x], [x * sympy.nan]),
        "zoo-rhs": lambda: ODESystem([x], [sympy.zoo]),
        "dup": lambda: ODESystem([x, x], [x, x]),
        "clash": lambda: ODESystem([x], [x], [x]),
        "matrix": lambda: ODESystem([x], sympy.Matrix([[x, x]])),
        "empty": lambda: ODESystem([], []),
        "bool": lambda: ODESystem([x], [True]),
    }[which]()


for w in ("rhs-str", "rhs-injection", "states-str", "len", "nan-rhs", "zoo-rhs", "dup", "clash", "matrix",
          "empty", "bool"):
    api(f"api/ode-ctor/{w}", lambda tmp, w=w: _ode_ctor(tmp, w))


# ----------------------------------------------------------------- API: stability
def _stab(fn_name, arg_fn, **kw):
    def run(tmp):
        import sympy
        from symdyn import stability
        x = sympy.Symbol("x")
        return getattr(stability, fn_name)(arg_fn(x, sympy), **kw)
    return run


api("api/stab/udc-x**5000-1", _stab("unit_disk_count", lambda x, sp: x**5000 - 1))
api("api/stab/hpc-x**5000+1", _stab("half_plane_count", lambda x, sp: x**5000 + 1),
    ("either", lambda r, tmp: (r.left, r.imaginary, r.right) == (2500, 0, 2500)))
api("api/stab/udc-x**100000", _stab("unit_disk_count", lambda x, sp: x**100000 - 2))
api("api/stab/udc-x**10-1 ok", _stab("unit_disk_count", lambda x, sp: x**10 - 1),
    lambda r, tmp: (r.inside, r.on, r.outside) == (0, 10, 0))
api("api/stab/hpc-ok", _stab("half_plane_count", lambda x, sp: [1, 3, 3, 1]),
    lambda r, tmp: (r.left, r.imaginary, r.right) == (3, 0, 0))
api("api/stab/hpc-str", _stab("half_plane_count", lambda x, sp: "x**2+1"))
api("api/stab/hpc-list-str", _stab("half_plane_count", lambda x, sp: ["1", "2"]))
api("api/stab/hpc-nan", _stab("half_plane_count", lambda x, sp: [1, float("nan")]))
api("api/stab/hpc-float", _stab("half_plane_count", lambda x, sp: [1, 0.5]))
api("api/stab/hpc-zero", _stab("half_plane_count", lambda x, sp: [0, 0]))
api("api/stab/hpc-empty", _stab("half_plane_count", lambda x, sp: []))
api("api/stab/hpc-sym-nan", _stab("half_plane_count", lambda x, sp: x**2 + sp.nan))
api("api/stab/hpc-sym-oo", _stab("half_plane_count", lambda x, sp: [1, sp.oo]))
api("api/stab/hpc-biglist", _stab("half_plane_count", lambda x, sp: [1] + [0] * 20000 + [1]),
    ("either", lambda r, tmp: (r.left, r.imaginary, r.right) == (10001, 0, 10000)))
for fn in ("certified_half_plane_count", "certified_unit_disk_count"):
    api(f"api/stab/{fn}-nan", _stab(fn, lambda x, sp: [1.0, float("nan")]))
    api(f"api/stab/{fn}-inf", _stab(fn, lambda x, sp: [1.0, float("inf")]))
    api(f"api/stab/{fn}-str", _stab(fn, lambda x, sp: ["1", "2"]))
    api(f"api/stab/{fn}-deg5000", _stab(fn, lambda x, sp: [1.0] + [0.0] * 4999 + [0.5]),
        ("either", lambda r, tmp: getattr(r, "inside", None) == 5000 or getattr(r, "left", None) == 2500))
    api(f"api/stab/{fn}-maxprec", _stab(fn, lambda x, sp: [1.0, 0.0, 1.0], maxprec=10**9))
    api(f"api/stab/{fn}-prec-huge", _stab(fn, lambda x, sp: [1.0, 2.0], prec=10**9, maxprec=10**9),
        ("either", lambda r, tmp: getattr(r, "outside", None) == 1 or getattr(r, "left", None) == 1))
    api(f"api/stab/{fn}-ok", _stab(fn, lambda x, sp: [1.0, 0.5, 0.06]), lambda r, tmp: r.total == 2)


def _mat(n, kind="rational"):
    def run(tmp):
        import sympy
        from symdyn import stability
        import random
        rnd = random.Random(0)
        if kind == "rational":
            rows = [[sympy.Rational(rnd.randint(-9, 9), rnd.randint(1, 9)) for _ in range(n)] for _ in range(n)]
            for i in range(n):
                for j in range(i):
                    rows[i][j] = rows[j][i]
            return stability.inertia(rows)
        if kind == "ldl":
            rows = [[sympy.Rational(rnd.randint(-9, 9), rnd.randint(1, 9)) for _ in range(n)] for _ in range(n)]
            for i in range(n):
                for j in range(i):
                    rows[i][j] = rows[j][i]
            return stability.inertia(rows, method="ldl")
        if kind == "charpoly":
            return stability.charpoly([[rnd.randint(-9, 9) for _ in range(n)] for _ in range(n)])
        if kind == "mhpc":
            return stability.matrix_half_plane_count([[rnd.randint(-9, 9) for _ in range(n)] for _ in range(n)])
    return run


api("api/stab/inertia-300", _mat(300), ("either", lambda r, tmp: r.positive + r.negative + r.zero == 300))
api("api/stab/inertia-ldl-300", _mat(300, "ldl"), ("either", lambda r, tmp: r.positive + r.negative == 300))
api("api/stab/charpoly-300", _mat(300, "charpoly"), ("either", lambda r, tmp: r.degree() == 300))
api("api/stab/mhpc-300", _mat(300, "mhpc"), ("either", lambda r, tmp: r.total == 300))
api("api/stab/inertia-5 ok", _mat(5), lambda r, tmp: r.positive + r.negative + r.zero == 5)
api("api/stab/inertia-nonsym", lambda tmp: __import__("symdyn").stability.inertia([[1, 2], [3, 4]]))
api("api/stab/inertia-str", lambda tmp: __import__("symdyn").stability.inertia("[[1]]"))
api("api/stab/inertia-nan", lambda tmp: __import__("symdyn").stability.inertia([[float("nan")]]))
api("api/stab/inertia-ragged", lambda tmp: __import__("symdyn").stability.inertia([[1, 2], [3]]))
api("api/stab/inertia-empty", lambda tmp: __import__("symdyn").stability.inertia([]))
api("api/stab/inertia-method", lambda tmp: __import__("symdyn").stability.inertia([[1]], method="qr"))
api("api/stab/charpoly-3d", lambda tmp: __import__("symdyn").stability.charpoly([[[1]]]))
for a, b in [(float("nan"), 1), ("0", 1), (2, 1), (0, float("inf"))]:
    api(f"api/stab/irrc-{a!r},{b!r}", lambda tmp, a=a, b=b: __import__("symdyn").stability.interval_real_root_count(
        __import__("sympy").Symbol("x")**2 - 2, a, b), ("either", lambda r, tmp: r == 1) if b == float("inf")
        else "error")
api("api/stab/irrc-ok", lambda tmp: __import__("symdyn").stability.interval_real_root_count(
    __import__("sympy").Symbol("x")**2 - 2, 0, 2), lambda r, tmp: r == 1)


# ----------------------------------------------------------------- files
def _wa(tmp, setup, data="new\n"):
    from symdyn._io import write_atomic
    p = os.path.join(tmp, "out")
    setup(p)
    write_atomic(p, data)
    return p


def _mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


api("files/fifo", lambda tmp: _wa(tmp, os.mkfifo))
api("files/directory", lambda tmp: _wa(tmp, os.mkdir))
api("files/chardev", lambda tmp: _wa(tmp, lambda p: os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(1, 3))))
api("files/socket", lambda tmp: _wa(tmp, lambda p: __import__("socket").socket(
    __import__("socket").AF_UNIX).bind(p)))
api("files/missing-dir", lambda tmp: __import__("symdyn._io", fromlist=["x"]).write_atomic(
    os.path.join(tmp, "a", "b"), "x"))
api("files/empty-path", lambda tmp: __import__("symdyn._io", fromlist=["x"]).write_atomic("", "x"))
api("files/data-int", lambda tmp: __import__("symdyn._io", fromlist=["x"]).write_atomic(
    os.path.join(tmp, "x"), 12))


def _symlink(tmp):
    target = os.path.join(tmp, "target")
    open(target, "w").write("old\n")
    os.chmod(target, 0o640)
    link = os.path.join(tmp, "link")
    os.symlink(target, link)
    from symdyn._io import write_atomic
    write_atomic(link, "new\n")
    return os.path.islink(link), open(target).read(), _mode(target)


api("files/symlink-through", _symlink, lambda r, tmp: r == (True, "new\n", 0o640))


def _dangling(tmp):
    link = os.path.join(tmp, "link")
    os.symlink(os.path.join(tmp, "nowhere"), link)
    from symdyn._io import write_atomic
    write_atomic(link, "new\n")
    return os.path.islink(link), open(os.path.join(tmp, "nowhere")).read()


api("files/symlink-dangling", _dangling, ("either", lambda r, tmp: r == (True, "new\n")))


def _symlink_to_fifo(tmp):
    target = os.path.join(tmp, "fifo")
    os.mkfifo(target)
    link = os.path.join(tmp, "link")
    os.symlink(target, link)
    from symdyn._io import write_atomic
    write_atomic(link, "new\n")


api("files/symlink-to-fifo", _symlink_to_fifo)


def _keep_mode(tmp, mode):
    p = os.path.join(tmp, "f")
    open(p, "w").write("old")
    os.chmod(p, mode)
    from symdyn._io import write_atomic
    write_atomic(p, "new")
    return _mode(p), open(p).read()


for mode in (0o644, 0o600, 0o755, 0o664):
    api(f"files/keep-mode-{mode:o}", lambda tmp, mode=mode: _keep_mode(tmp, mode),
        lambda r, tmp, mode=mode: r == (mode, "new"))


def _new_mode(tmp, umask):
    old = os.umask(umask)
    try:
        from symdyn._io import write_atomic
        p = os.path.join(tmp, "n")
        write_atomic(p, "x")
        return _mode(p)
    finally:
        os.umask(old)


for um in (0o022, 0o077, 0o002):
    api(f"files/new-mode-umask{um:o}", lambda tmp, um=um: _new_mode(tmp, um),
        lambda r, tmp, um=um: r == 0o644 & ~um)


def _savefig_dir(tmp):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from symdyn._io import savefig_atomic
    fig = plt.figure()
    savefig_atomic(fig, tmp)


api("files/savefig-dir", _savefig_dir)


def _no_temp_left(tmp):
    from symdyn._io import write_atomic
    try:
        write_atomic(os.path.join(tmp, "d"), object())
    except Exception:
        pass
    return sorted(os.listdir(tmp))


api("files/no-temp-left", _no_temp_left, lambda r, tmp: r == [])


def _cli_fifo(tmp):
    p = os.path.join(tmp, "f")
    os.mkfifo(p)
    return ["contrastive", "odes", "-o", p]


CASES["cli/odes/-o-fifo"] = ("cli", _cli_fifo, "error")


def _cli_chardev(tmp):
    p = os.path.join(tmp, "null")
    os.mknod(p, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return SIM + ["-o", p]


CASES["cli/sim/-o-chardev"] = ("cli", _cli_chardev, "error")

# ----------------------------------------------------------------- round 3 additions
# strings handed to the symbolic API: a marker file must never appear
def _payload(tmp):
    return f"__import__('os').system('touch {tmp}/PWNED')"


def _string_case(call):
    def run(tmp):
        try:
            call(tmp, _payload(tmp))
        finally:
            if os.path.exists(os.path.join(tmp, "PWNED")):
                raise SystemError("a string was evaluated (the marker file exists)")
    return run


def _E():
    from symdyn import expectation
    return expectation


def _X():
    import sympy
    return sympy.Symbol("x")


_STRING_CALLS = {
    "isserlis-expr": lambda t, s: _E().isserlis(s, [_X()], [0], [[1]]),
    "isserlis-mean": lambda t, s: _E().isserlis(_X()**2, [_X()], [s], [[1]]),
    "isserlis-cov": lambda t, s: _E().isserlis(_X()**2, [_X()], [0], [[s]]),
    "isserlis-cov-str": lambda t, s: _E().isserlis(_X()**2, [_X()], [0], s),
    "isserlis-cov-ndarray": lambda t, s: _E().isserlis(_X()**2, [_X()], [0], __import__("numpy").array([[s]])),
    "isserlis-vars": lambda t, s: _E().isserlis(_X()**2, [s], [0], [[1]]),
    "gaussian_expectation": lambda t, s: _E().gaussian_expectation(s, [_X()], [0], [[1]]),
    "gaussian_expectation-mean": lambda t, s: _E().gaussian_expectation(_X(), [_X()], [s], [[1]]),
    "stein-linear": lambda t, s: _E().stein(s, _X(), [_X()], [0], [[1]]),
    "stein-f": lambda t, s: _E().stein(_X(), s, [_X()], [0], [[1]]),
    "erf_closed_form": lambda t, s: _E().erf_closed_form(s, [_X()], [0], [[1]]),
    "erf_closed_form-cov": lambda t, s: _E().erf_closed_form(__import__("sympy").erf(_X()), [_X()], [0], [[s]]),
    "average_over_laws": lambda t, s: _E().average_over_laws(s, [_X()], [None]),
    "mp_gaussian_expectation": lambda t, s: _E().mp_gaussian_expectation(s, [_X()], [0], [[1]]),
    "compile_integrand": lambda t, s: _E().compile_integrand(s, [_X()]),
    "gauss_hermite_expectation": lambda t, s: _E().gauss_hermite_expectation(s, [0], [[1]]),
    "gaussian_quadrature-mean": lambda t, s: _E().gaussian_quadrature(lambda z: z, [s], [[1]]),
    "hp_value": lambda t, s: __import__("symdyn.contrastive.highprec", fromlist=["x"]).hp_value(s, {}, digits=20),
    "hp_gauss-integrand": lambda t, s: __import__("symdyn._hpquad", fromlist=["x"]).hp_gaussian_expectations(
        [s], [_X()], [0], [[1]]),
    "hp_gauss-mean": lambda t, s: __import__("symdyn._hpquad", fromlist=["x"]).hp_gaussian_expectations(
        [_X()], [_X()], [s], [[1]]),
    "tex-ndarray": lambda t, s: __import__("symdyn.latex", fromlist=["x"]).tex(__import__("numpy").array([s])),
    "tex-object-array": lambda t, s: __import__("symdyn.latex", fromlist=["x"]).tex(
        __import__("numpy").array([s, 1], dtype=object)),
    "tex-str": lambda t, s: __import__("symdyn.latex", fromlist=["x"]).tex(s),
    "tex-0d": lambda t, s: __import__("symdyn.latex", fromlist=["x"]).tex(__import__("numpy").array(s)),
    "ode-rhs": lambda t, s: __import__("symdyn").ODESystem([_X()], [s]),
    "ode-params": lambda t, s: _pitch()[0].fixed_points({_pitch()[2]: s}),
    "ode-classify-point": lambda t, s: _pitch()[0].classify([s], {_pitch()[2]: 4}),
    "ode-integrate-params": lambda t, s: _pitch()[0].integrate([0.1], (0, 1), (s,)),
    "map-rhs": lambda t, s: __import__("symdyn").MapSystem([_X()], [s]),
    "model-activation": lambda t, s: _model(activation=s),
    "model-tau": lambda t, s: _model(tau=s),
    "stab-poly": lambda t, s: __import__("symdyn").stability.half_plane_count(s),
    "stab-coeff": lambda t, s: __import__("symdyn").stability.unit_disk_count([s, 1]),
    "stab-matrix": lambda t, s: __import__("symdyn").stability.inertia([[s]]),
    "certified-coeff": lambda t, s: __import__("symdyn").stability.certified_half_plane_count([s, 1.0]),
    "irrc-endpoint": lambda t, s: __import__("symdyn").stability.interval_real_root_count(_X() - 1, s, 2),
    "certified_fixed_point-values": lambda t, s: __import__("symdyn.contrastive", fromlist=["x"]).certified_fixed_point(
        __import__("symdyn").ODESystem([_X()], [-_X() + __import__("sympy").Symbol("a")],
                                       [__import__("sympy").Symbol("a")]), [0.0],
        values={__import__("sympy").Symbol("a"): s}),
    "lsgd-robust-b": lambda t, s: __import__("symdyn.lsgd.robust", fromlist=["x"]).robust_dimension([s, 1, 1], 1),
    "lsgd-counts-eta": lambda t, s: __import__("symdyn.lsgd.attraction", fromlist=["x"]).eigenvalue_counts(
        [-1, 1, 1], s, 0),
    "cluster-X": lambda t, s: __import__("symdyn.cluster", fromlist=["x"]).QuickshiftPP().fit([[s, s], [s, s]]),
}
for _nm, _call in _STRING_CALLS.items():
    api(f"api/strings/{_nm}", _string_case(_call))


# LSGD: CLI caps and parsing, the robust_dimension API (issue item 8)
LS = ["lsgd"]
for argv in (["robust", "--n", "100000"], ["counts", "--n", "100000", "--sigma", "1/2"], ["counts", "--n", "1000000"],
             ["robust", "--n", "5", "--order", "-3"], ["robust", "--n", "5", "--order", "0"],
             ["counts", "--n", "5", "--order", "-3"], ["counts", "--n", "5", "--eta", "abc"],
             ["counts", "--n", "5", "--eta", "__import__('os')"], ["counts", "--n", "5", "--sigma", "1/0"],
             ["counts", "--n", "5", "--sigma=-1"], ["counts", "--n", "5", "--eta", "-1"], ["counts", "--n", "1"],
             ["counts", "--n", "-4"], ["robust"], ["escape", "--eta", "nan"], ["escape", "--n", "1000000"],
             ["escape", "--samples", "100000000"], ["escape", "--iters", "10000000000"], ["escape", "--n", "1"],
             ["escape", "--samples", "0"], ["counts", "--b", ""],
             ["counts", "--b", "1,x"], ["robust", "--n", "5", "--method", "magic"],
             ["robust", "--b=" + ",".join(["-1"] + ["1"] * 10001)],
             ["robust", "--n", "5", "--eta", "2"], ["robust", "--b=1,1,1"]):
    cli("cli/lsgd/" + " ".join(argv)[:60], LS + argv)
# exact answers at the edge (T = I - eta B at sigma = 0: eigenvalues 1 - eta b_i)
cli("cli/lsgd/counts eta=1e400 exact", LS + ["counts", "--n", "5", "--eta", "1e400"],
    ("either", lambda out, tmp: "inside=0 on=0 outside=5" in out))
cli("cli/lsgd/counts eta=2 exact", LS + ["counts", "--n", "5", "--eta", "2"],
    lambda out, tmp: "inside=0 on=4 outside=1" in out)
cli("cli/lsgd/counts B=0 exact", LS + ["counts", "--b=0,0,0"], ("either", lambda out, tmp: "on=3" in out))
cli("cli/lsgd/counts ok", LS + ["counts", "--n", "5", "--sigma", "1/2"], lambda out, tmp: "inside=4 on=0 outside=1" in out)
cli("cli/lsgd/robust ok", LS + ["robust", "--n", "6"], lambda out, tmp: "2 <= dim E_rob <= 2" in out)
cli("cli/lsgd/robust json ok", LS + ["robust", "--n", "9", "--json"], lambda out, tmp: json.loads(out)["dim"] == 4)
cli("cli/lsgd/counts schedule ok", LS + ["counts", "--n", "4", "--sigma", "0,1/2"],
    lambda out, tmp: "inside=3" in out)


def _robust(*args, **kw):
    def run(tmp):
        from symdyn.lsgd.robust import robust_dimension
        return robust_dimension(*args, **kw)
    return run


def _fmpq_mat():
    from flint import fmpq_mat
    return fmpq_mat([[-1, 1], [1, 1]])


from fractions import Fraction as _Fr  # noqa: E402

api("api/lsgd/robust-fmpq_mat", lambda tmp: _robust(_fmpq_mat(), _Fr(1, 2))(tmp),
    lambda r, tmp: (r.n, r.dim) == (2, 0))  # a symmetric matrix is the full-symmetric class: n = 2, E_rob = {0}
for _o in (-3, 0, 1.5, True):
    api(f"api/lsgd/robust-order={_o!r}", _robust([-1, 1, 1, 1], 1, order=_o))
api("api/lsgd/robust-eta-float", _robust([-1, 1, 1], 0.5))
api("api/lsgd/robust-no-negative", _robust([1, 1, 1], 1))
api("api/lsgd/robust-nan", _robust([-1, float("nan"), 1], 1))
api("api/lsgd/robust-2d-list", _robust([[-1, 1], [1, 1]], 1), lambda r, tmp: (r.n, r.dim) == (2, 0))
api("api/lsgd/robust-ok", _robust([-1, 1, 1, 1, 1, 1], 1), lambda r, tmp: (r.dim, r.level) == (2, "proved"))
api("api/lsgd/robust-n=1", _robust([-1], 1))


def _counts(*args):
    def run(tmp):
        from symdyn.lsgd.attraction import eigenvalue_counts
        return eigenvalue_counts(*args)
    return run


api("api/lsgd/counts-ok", _counts([-1, 1, 1], 1, _Fr(1, 2)), lambda c, tmp: (c.inside, c.outside) == (2, 1))
api("api/lsgd/counts-sigma-nan", _counts([-1, 1, 1], 1, float("nan")))
api("api/lsgd/counts-eta-0", _counts([-1, 1, 1], 0, 0))
api("api/lsgd/counts-order-0", _counts([-1, 1, 1], 1, 0, 0))


# contrastive commands beyond simulate
for argv in (["steady-state", "--tau", "1e300"], ["steady-state", "--tau", "nan"], ["steady-state", "--rho", "2"],
             ["steady-state", "--Delta", "-1"], ["steady-state", "--tau", "1e7"], ["threshold", "--tau", "nan"],
             ["threshold", "--tau", "1e300"], ["threshold", "--beta", "-1e300"], ["odes", "--format", "xml"],
             ["odes", "--d2", "5"], ["odes", "--d", "0"], ["portrait", "-o", "{tmp}"],
             ["simulate", "--law", "nosuch"], ["simulate", "--format", "xml"],
             ["simulate", "--activation", "relu"]):
    cli("cli/contrastive/" + " ".join(argv)[:60], ["contrastive"] + argv)
cli("cli/contrastive/odes pretty ok", ["contrastive", "odes"], lambda out, tmp: "R" in out and "Q" in out)
cli("cli/contrastive/odes json ok", ["contrastive", "odes", "--format", "json"],
    lambda out, tmp: isinstance(json.loads(out), (dict, list)))
cli("cli/latex/lsgd n-huge", ["latex", "lsgd", "--n", "100000", "-o", "{tmp}/x.tex"])
cli("cli/latex/lsgd -o dir", ["latex", "lsgd", "--n", "5", "-o", "{tmp}"])
cli("cli/latex/contrastive -o dir", ["latex", "contrastive", "-o", "{tmp}"])
cli("cli/latex/lsgd -o missing dir", ["latex", "lsgd", "--n", "5", "-o", "{tmp}/no/such/x.tex"])
cli("cli/bench/unknown", ["bench", "nosuch"])
cli("cli/bench/-o dir", ["bench", "lsgd", "--quick", "-o", "{tmp}"])
cli("cli/sweep/unknown", ["sweep", "nosuch"])


# cluster command
def _csv(tmp, text, name="data.csv"):
    p = os.path.join(tmp, name)
    with open(p, "w") as fh:
        fh.write(text)
    return p


_GOOD = "\n".join(f"{i % 7},{(i * 3) % 5}" for i in range(40)) + "\n"
for nm, text in [("empty", ""), ("header-only", "a,b\n"), ("nan", "1,nan\n2,3\n"), ("inf", "1,inf\n2,3\n"),
                 ("ragged", "1,2\n3\n"), ("text", "a,b\nc,d\n"),
                 ("binary", "\x00\x01\x02\n"), ("huge-number", "1e400,2\n3,4\n")]:
    CASES[f"cli/cluster/{nm}"] = ("cli", lambda tmp, text=text: ["cluster", _csv(tmp, text)], "error")
CASES["cli/cluster/dir"] = ("cli", lambda tmp: ["cluster", tmp], "error")
CASES["cli/cluster/missing"] = ("cli", lambda tmp: ["cluster", os.path.join(tmp, "nope.csv")], "error")
CASES["cli/cluster/-o dir"] = ("cli", lambda tmp: ["cluster", _csv(tmp, _GOOD), "-o", tmp], "error")


def _cluster_fifo(tmp):
    p = os.path.join(tmp, "f")
    os.mkfifo(p)
    return ["cluster", _csv(tmp, _GOOD), "-o", p]


CASES["cli/cluster/-o fifo"] = ("cli", _cluster_fifo, "error")
for k in ("0", "-1", "x", "1e9"):
    CASES[f"cli/cluster/k={k}"] = ("cli", lambda tmp, k=k: ["cluster", _csv(tmp, _GOOD), "--k", k], "error")
CASES["cli/cluster/one-row"] = ("cli", lambda tmp: ["cluster", _csv(tmp, "1,2\n")],
                                ("either", lambda out, tmp: "1 samples" in out and "1 clusters" in out))
CASES["cli/cluster/ok"] = ("cli", lambda tmp: ["cluster", _csv(tmp, _GOOD)],
                           lambda out, tmp: out.startswith("40 samples, 2 features"))


def _cluster_labels(tmp):
    return ["cluster", _csv(tmp, _GOOD), "-o", os.path.join(tmp, "labels.csv")]


CASES["cli/cluster/-o labels ok"] = ("cli", _cluster_labels, lambda out, tmp: len(
    open(os.path.join(tmp, "labels.csv")).read().split()) >= 40 and _mode(os.path.join(tmp, "labels.csv")) == 0o644 & ~_umask())


def _umask():
    m = os.umask(0)
    os.umask(m)
    return m


# more ODESystem / MapSystem / stability / files
api("api/fp/exp-root-in-box", lambda tmp: __import__("symdyn").ODESystem(
    [_X()], [__import__("sympy").exp(_X()) - 10**10]).fixed_points(bounds=(0, 30)),
    lambda r, tmp: len(r) == 1 and abs(float(r[0].values[0]) - 23.02585092994) < 1e-9)
api("api/fp/on_empty-raise", lambda tmp: __import__("symdyn").ODESystem(
    [_X()], [__import__("sympy").exp(_X()) - 10**10]).fixed_points(on_empty="raise"))
api("api/fp/on_empty-bad", lambda tmp: __import__("symdyn").ODESystem([_X()], [_X()]).fixed_points(on_empty="shout"))
api("api/integrate/t_span=(0,1e-12)", _integ(t_span=(0, 1e-12)))
api("api/integrate/t_span=(1e13,1e13+1)", _integ(t_span=(1e13, 1e13 + 1)))
api("api/integrate/y0-beyond-max_norm", _integ(y0=(5.0,), max_norm=1.0))
api("api/iterate/n_steps=10**8", _iterate(n_steps=10**8))
api("api/stab/hpc-(x+1)**100000", _stab("half_plane_count", lambda x, sp: (x + 1)**100000))
api("api/stab/hpc-x**(10**9)", _stab("half_plane_count", lambda x, sp: x**(10**9) + 1))
api("api/stab/udc-600-list", _stab("unit_disk_count", lambda x, sp: [1] + [0] * 600 + [1]))
api("api/stab/udc-500 ok", _stab("unit_disk_count", lambda x, sp: x**500 - 1), lambda r, tmp: r.on == 500)
api("api/stab/irrc-x**3000", lambda tmp: __import__("symdyn").stability.interval_real_root_count(_X()**3000 - 2, 0, 2))
api("api/stab/charpoly-sympy-ones-250", lambda tmp: __import__("symdyn").stability.charpoly(
    __import__("sympy").ones(250, 250)))
api("api/stab/mudc-201", lambda tmp: __import__("symdyn").stability.matrix_unit_disk_count([[1] * 201] * 201))
api("api/stab/certified-udc-ok", _stab("certified_unit_disk_count", lambda x, sp: [1.0, -0.5, 0.06]),
    lambda r, tmp: tuple(r) == (2, 0, 0))
api("api/stab/certified-udc-on-circle", _stab("certified_unit_disk_count", lambda x, sp: [1.0, 3.0, 2.0]))


def _symlink_loop(tmp):
    a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
    os.symlink(b, a)
    os.symlink(a, b)
    from symdyn._io import write_atomic
    write_atomic(a, "x")


api("files/symlink-loop", _symlink_loop)
api("files/dev-null", lambda tmp: __import__("symdyn._io", fromlist=["x"]).resolve_output("/dev/null"))
api("files/path-float", lambda tmp: __import__("symdyn._io", fromlist=["x"]).write_atomic(3.5, "x"))


def _cli_symlink_mode(tmp):
    target = os.path.join(tmp, "odes.txt")
    open(target, "w").write("old")
    os.chmod(target, 0o664)
    link = os.path.join(tmp, "link.txt")
    os.symlink(target, link)
    return ["contrastive", "odes", "-o", link]


def _cli_symlink_ok(out, tmp):
    target = os.path.join(tmp, "odes.txt")
    return (os.path.islink(os.path.join(tmp, "link.txt")) and "R" in open(target).read()
            and _mode(target) == 0o664)


CASES["cli/odes/-o-symlink-mode"] = ("cli", _cli_symlink_mode, _cli_symlink_ok)


# hidden laws, LSGD building blocks, more contrastive API (round 3 probes)
def _H():
    import symdyn.hidden
    return symdyn.hidden


def _L():
    import symdyn.lsgd
    return symdyn.lsgd


for _nm, _fn in {
    "Rademacher-nan": lambda: _H().Rademacher(float("nan")),
    "Rademacher-str": lambda: _H().Rademacher("2"),
    "Rademacher-neg": lambda: _H().Rademacher(-1),
    "Gaussian-neg-variance": lambda: _H().GaussianLaw(-1),
    "Uniform-0": lambda: _H().UniformLaw(0),
    "Discrete-negative-prob": lambda: _H().DiscreteLaw([1, 2], [1.5, -0.5]),
    "Discrete-str": lambda: _H().DiscreteLaw(["1", "2"], [0.5, 0.5]),
    "Discrete-sum": lambda: _H().DiscreteLaw([1, 2], [0.3, 0.3]),
    "law_with_moments-kurtosis<1": lambda: _H().law_with_moments(2, 0.5),
    "law_with_moments-nan": lambda: _H().law_with_moments(float("nan"), 3),
    "GeneralLaw-str": lambda: _H().GeneralLaw("x"),
}.items():
    api(f"api/hidden/{_nm}", lambda tmp, _fn=_fn: _fn())

for _nm, _fn in {
    "canonical_b-1e12": lambda: _L().canonical_b(10**12),
    "laplacian-1e5": lambda: _L().laplacian(10**5),
    "smoothing_matrix-1e5": lambda: _L().smoothing_matrix(10**5, 1),
    "iteration_matrix-1e5": lambda: _L().iteration_matrix([-1] + [1] * (10**5 - 1), 1, _Fr(1, 2)),
    "smoothing_eigenvalues-nan": lambda: _L().smoothing_eigenvalues(5, float("nan")),
    "lsgd-n_iter-1e12": lambda: _L().lsgd(lambda X: X, __import__("numpy").zeros((4, 2)), 0.1, 0.5, n_iter=10**12),
    "lsgd-eta-nan": lambda: _L().lsgd(lambda X: X, __import__("numpy").zeros((4, 2)), float("nan"), 0.5, n_iter=10),
    "sigma_schedule-str": lambda: _L().sigma_schedule("x"),
    "sample_starts-huge": lambda: _L().sample_starts("perturbed", 10**5, 10**6, __import__("numpy").random.default_rng(0)),
    "quadratic_problem-1e9": lambda: _L().quadratic_problem(10**9),
    "lsgd_document-1e4": lambda: _L().lsgd_document(10**4),
    "schedule_counts-nan": lambda: _L().schedule_counts([-1, 1, 1], 1, [float("nan")]),
}.items():
    api(f"api/lsgd-core/{_nm}", lambda tmp, _fn=_fn: _fn())

for _nm, _fn in {
    "steady_state_grid-nan": lambda: __import__("symdyn.contrastive", fromlist=["x"]).steady_state_grid(
        [float("nan")], [0], [0]),
    "steady_state_grid-tau-1e300": lambda: __import__("symdyn.contrastive", fromlist=["x"]).steady_state_grid(
        [1e300], [0], [0]),
    "steady_state_grid-str": lambda: __import__("symdyn.contrastive", fromlist=["x"]).steady_state_grid(
        "1", [0], [0]),
    "learnability_threshold-str": lambda: __import__("symdyn.contrastive", fromlist=["x"]).learnability_threshold("x"),
    "separatrix-str": lambda: __import__("symdyn.contrastive", fromlist=["x"]).separatrix("x"),
    "moment_expansion-order": lambda: __import__("symdyn.contrastive", fromlist=["x"]).moment_expansion(
        _model(), order=10**6),
    "wilson-float": lambda: __import__("symdyn.basins", fromlist=["x"]).wilson_interval(float("nan"), 10),
    "wilson-k>n": lambda: __import__("symdyn.basins", fromlist=["x"]).wilson_interval(11, 10),
    "error_sweep-n_times": lambda: __import__("symdyn.contrastive.validation", fromlist=["x"]).error_sweep(
        _model(), [200], 0.1, n_times=10**12),
    "error_sweep-N-str": lambda: __import__("symdyn.contrastive.validation", fromlist=["x"]).error_sweep(
        _model(), ["200"], 0.1),
    "threshold-digits": lambda: __import__("symdyn.contrastive.highprec", fromlist=["x"]).hp_value(
        __import__("sympy").Integer(1), {}, digits=10**5),
}.items():
    api(f"api/contrastive-more/{_nm}", lambda tmp, _fn=_fn: _fn())
cli("cli/contrastive/threshold --confirm-digits 1e5", ["contrastive", "threshold", "--confirm-digits", "100000"])
cli("cli/contrastive/portrait --grid 1e5", ["contrastive", "portrait", "--grid", "100000", "-o", "{tmp}/p.png"])
cli("cli/sim/second-N-over-cap", ["contrastive", "simulate", "--N", "1000", "--N", "1000000000000000000000",
                                  "--t-max", "2"])


# ----------------------------------------------------------------- subprocess CLI
SUBPROC = {
    "sub/broken-pipe-odes-json": ("{py} -m symdyn contrastive odes --format json | head -c 10 >/dev/null", "quiet"),
    "sub/broken-pipe-sim": ("{py} -m symdyn contrastive simulate --no-ode --runs 2 --N 200 --t-max 0.5 "
                            "--n-times 2000 --format csv | head -n 1 >/dev/null", "quiet"),
    "sub/check-list": ("{py} -m symdyn check --list >/dev/null", "ok"),
    "sub/broken-pipe-lsgd-robust-json": ("{py} -m symdyn lsgd robust --n 40 --json | head -n 2 >/dev/null", "quiet"),
    "sub/broken-pipe-lsgd-counts": ("{py} -m symdyn lsgd counts --n 200 --json | head -c 5 >/dev/null", "quiet"),
    "sub/broken-pipe-check-list": ("{py} -m symdyn check --list | head -n 1 >/dev/null", "quiet"),
    "sub/broken-pipe-cluster": ("{py} -c \"print('\\n'.join(f'{{i%7}},{{i%5}}' for i in range(3000)))\" "
                                "> /tmp/_hostile_c.csv; {py} -m symdyn cluster /tmp/_hostile_c.csv | head -n 1 "
                                ">/dev/null", "quiet"),
    "sub/lsgd-robust-huge-no-abort": ("{py} -m symdyn lsgd robust --n 100000; test $? -eq 2", "ok"),
    "sub/udc-x**100000-no-abort": ("{py} -c \"import sympy; from symdyn import stability; x = sympy.Symbol('x');\n"
                                   "try: stability.unit_disk_count(x**100000 - 2)\nexcept ValueError: pass\"", "ok"),
}


# ---------------------------------------------------------------------------
# worker
# ---------------------------------------------------------------------------
def _run_case(name):
    kind, fn, expect = CASES[name]
    tmp = tempfile.mkdtemp(prefix="hostile_")
    try:
        if kind == "cli":
            from symdyn.cli import main
            argv = fn(tmp)
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    try:
                        rc = main(argv)
                    except SystemExit as exc:
                        rc = exc.code if isinstance(exc.code, int) else 2
            except BaseException as exc:  # escaped main(): a traceback for the user
                return {"outcome": "crash", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}
            e = err.getvalue()
            if "Traceback" in e:
                return {"outcome": "crash", "detail": e[-300:]}
            if rc == 2:
                lines = [l for l in e.splitlines() if l.strip() and not l.startswith("usage:")
                         and not l.startswith(" ")]
                if expect == "error" or isinstance(expect, tuple):
                    return {"outcome": "clean", "detail": e.strip().splitlines()[-1][:200] if e.strip() else ""}
                return {"outcome": "clean", "detail": "(error where an answer was expected) " + e[-200:]}
            if rc not in (0, 1):
                return {"outcome": "crash", "detail": f"exit {rc}"}
            if expect == "error":
                return {"outcome": "wrong", "detail": f"exit {rc}, stdout {out.getvalue()[:120]!r}"}
            check = expect[1] if isinstance(expect, tuple) else expect
            try:
                ok = bool(check(out.getvalue(), tmp))
            except Exception as exc:
                return {"outcome": "wrong", "detail": f"checker: {type(exc).__name__}: {exc}"[:200]}
            return {"outcome": "right" if ok else "wrong", "detail": out.getvalue()[:120]}
        # api
        own = _own_errors()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = fn(tmp)
        except ANTICIPATED + own as exc:
            if isinstance(exc, (FileNotFoundError,)) and expect != "error":
                pass
            return {"outcome": "clean", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}
        except BaseException as exc:
            return {"outcome": "crash", "detail": f"{type(exc).__name__}: {str(exc)[:200]}"}
        if expect == "error":
            return {"outcome": "wrong", "detail": f"returned {str(result)[:150]}"}
        check = expect[1] if isinstance(expect, tuple) else expect
        try:
            ok = bool(check(result, tmp))
        except Exception as exc:
            return {"outcome": "wrong", "detail": f"checker: {type(exc).__name__}: {exc}"[:200]}
        return {"outcome": "right" if ok else "wrong", "detail": str(result)[:150]}
    finally:
        subprocess.run(["rm", "-rf", tmp])


def worker():
    import resource
    lim = 6 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    os.environ.setdefault("MPLBACKEND", "Agg")
    import symdyn.cli  # noqa: F401  (pay the imports once)
    for line in sys.stdin:
        name = line.rstrip("\n")
        t0 = time.time()
        res = _run_case(name)
        res["seconds"] = round(time.time() - t0, 2)
        sys.__stdout__.write(json.dumps(res) + "\n")
        sys.__stdout__.flush()


class Worker:
    def __init__(self):
        self.p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def run(self, name, timeout):
        self.p.stdin.write(name + "\n")
        self.p.stdin.flush()
        deadline = time.time() + timeout
        noise = []  # native libraries (FLINT) may print to stdout before they abort
        while True:
            r, _, _ = select.select([self.p.stdout], [], [], max(0.0, deadline - time.time()))
            if not r:
                self.kill()
                return {"outcome": "hang", "detail": f"no answer in {timeout:g} s"}
            line = self.p.stdout.readline()
            if not line:
                rc = self.p.wait()
                return {"outcome": "crash", "detail": f"worker died (exit {rc}) {' '.join(noise)[:150]}"}
            try:
                return json.loads(line)
            except ValueError:
                noise.append(line.strip())

    def kill(self):
        try:
            self.p.kill()
            self.p.wait()
        except OSError:
            pass

    @property
    def alive(self):
        return self.p.poll() is None


def _run_subprocess(name, timeout):
    cmd, expect = SUBPROC[name]
    cmd = "set -o pipefail; " + cmd.format(py=sys.executable) if expect == "ok" else cmd.format(py=sys.executable)
    try:
        p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"outcome": "hang", "detail": "timeout"}
    if "Traceback" in p.stderr or "Exception ignored" in p.stderr:
        return {"outcome": "crash", "detail": p.stderr[-300:]}
    if expect == "quiet":  # progress lines are fine; a pipe error or a traceback is not
        bad = any(w in p.stderr for w in ("BrokenPipe", "Broken pipe", "Errno 32"))
        return {"outcome": "wrong" if bad else "right", "detail": p.stderr[-200:]}
    return {"outcome": "right" if p.returncode == 0 else "wrong", "detail": p.stderr[-200:]}


def summary_table(results: dict) -> str:
    """Markdown table of outcomes per area (``api/...`` and ``cli/...`` up to the second ``/``)."""
    cols = ("clean", "right", "wrong", "crash", "hang")
    areas: dict = {}
    for name, res in results.items():
        parts = name.split("/")
        area = "/".join(parts[:2]) if parts[0] in ("api", "cli") else parts[0]
        row = areas.setdefault(area, dict.fromkeys(cols, 0))
        row[res["outcome"]] += 1
    total = {c: sum(r[c] for r in areas.values()) for c in cols}
    lines = ["| area | tried | clean error | right | wrong | crash | hang |", "|---|---|---|---|---|---|---|"]
    for area, row in sorted(areas.items()) + [("**total**", total)]:
        lines.append(f"| {area} | {sum(row.values())} | " + " | ".join(str(row[c]) for c in cols) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--only", default="", help="run only the cases whose name starts with this prefix")
    ap.add_argument("--json", help="write every outcome to this JSON file")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if args.worker:
        return worker()
    names = [n for n in list(CASES) + list(SUBPROC) if n.startswith(args.only)]
    if args.list:
        print("\n".join(names))
        return 0
    results = {}
    w = None
    counts = dict.fromkeys(("clean", "right", "wrong", "crash", "hang"), 0)
    for i, name in enumerate(names):
        if name in SUBPROC:
            res = _run_subprocess(name, args.timeout)
        else:
            if w is None or not w.alive:
                w = Worker()
            res = w.run(name, args.timeout)
            if res["outcome"] in ("hang", "crash") and not w.alive:
                w = None
        results[name] = res
        counts[res["outcome"]] += 1
        if args.verbose or res["outcome"] in ("wrong", "crash", "hang"):
            print(f"[{i + 1}/{len(names)}] {res['outcome']:5s} {name}: {res.get('detail', '')[:160]}",
                  flush=True)
    if w is not None:
        w.kill()
    summary = (f"tried {len(names)} / clean error {counts['clean']} / right {counts['right']} / "
               f"wrong {counts['wrong']} / crash {counts['crash']} / hang {counts['hang']}")
    table = summary_table(results)
    print(table)
    print(summary)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"summary": counts, "tried": len(names), "table": table, "cases": results}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
