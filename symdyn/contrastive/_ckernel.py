"""Compiled inner loop of the reduced SGD engine (C generated from SymPy, via ctypes).

The activation ``sigma``, its derivative and the penalty derivative ``g'`` are
printed with :func:`sympy.ccode` from the model's symbolic objects (never from
user text); the loop itself is a fixed template.  The shared library is built
once with the system C compiler and cached under ``$SYMDYN_CACHE`` (default
``~/.cache/symdyn``) by a hash of its source, and checked against the NumPy loop
every time it is loaded (:func:`get_kernel`).  When no compiler is available or
an expression has no C form, :func:`get_kernel` returns ``None`` and the NumPy
loop is used.

The kernel consumes exactly the random numbers the NumPy loop consumes (hidden
variables, coordinates of the Gaussian vectors, Bartlett factors), so both back
ends produce the same numbers up to rounding.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import sympy
from sympy.printing.c import C99CodePrinter

MAXD = 16

_TEMPLATE = r"""
#include <math.h>
#include <stddef.h>
#define MAXD %(maxd)d

static inline double act(double x) { return %(s)s; }
static inline double dact(double x) { return %(ds)s; }
static inline double dgp(double x) { return %(dg)s; }

int reduced_chunk(int K, int n, int d, int d2, double *R, double *Q,
                  const double *C, const double *ZU, const double *ZV, const double *LW,
                  const double *CA, const double *CU, double a, double tauN, double lam)
{
    if (d > MAXD || d2 > MAXD) return -1;
    for (int r = 0; r < n; r++) {
        double *Rr = R + (size_t)r * d * d2;
        double *Qr = Q + (size_t)r * d2 * d2;
        double L[MAXD * MAXD], h[2 * MAXD], phi[2 * MAXD], y[2 * MAXD], dy[2 * MAXD];
        double Qn[MAXD * MAXD], ux[2 * MAXD], vx[2 * MAXD], xx[4], AL[4];
        for (int k = 0; k < K; k++) {
            const size_t kr = (size_t)k * n + r;
            const double *c = C + kr * d;
            const double *zu = ZU + kr * d * 2;
            const double *zv = ZV + kr * d2 * 2;
            const double *lw = LW + kr * 4;
            /* view coordinates along U and V, and the residual Gram (CA Lw)(CA Lw)^T */
            for (int v = 0; v < 2; v++) {
                for (int q = 0; q < d; q++)
                    ux[v * d + q] = c[q] + CU[v * 2] * zu[q * 2] + CU[v * 2 + 1] * zu[q * 2 + 1];
                for (int i = 0; i < d2; i++)
                    vx[v * d2 + i] = CA[v * 2] * zv[i * 2] + CA[v * 2 + 1] * zv[i * 2 + 1];
                AL[v * 2] = CA[v * 2] * lw[0] + CA[v * 2 + 1] * lw[2];
                AL[v * 2 + 1] = CA[v * 2 + 1] * lw[3];
            }
            for (int v = 0; v < 2; v++) {
                for (int w = v; w < 2; w++) {
                    double s = AL[v * 2] * AL[w * 2] + AL[v * 2 + 1] * AL[w * 2 + 1];
                    for (int q = 0; q < d; q++) s += ux[v * d + q] * ux[w * d + q];
                    for (int i = 0; i < d2; i++) s += vx[v * d2 + i] * vx[w * d2 + i];
                    xx[v * 2 + w] = s;
                    xx[w * 2 + v] = s;
                }
            }
            /* L L^T = Q - R^T R (clipped Cholesky) */
            for (int j = 0; j < d2; j++) {
                for (int i = j; i < d2; i++) {
                    double s = Qr[i * d2 + j];
                    for (int q = 0; q < d; q++) s -= Rr[q * d2 + i] * Rr[q * d2 + j];
                    for (int q = 0; q < j; q++) s -= L[i * d2 + q] * L[j * d2 + q];
                    if (i == j) {
                        L[j * d2 + j] = s > 0.0 ? sqrt(s) : 0.0;
                    } else {
                        L[i * d2 + j] = L[j * d2 + j] > 0.0 ? s / L[j * d2 + j] : 0.0;
                    }
                }
            }
            /* h_vj = sum_q ux_vq R_qj + sum_i vx_vi S_ij,  S = L^T */
            for (int v = 0; v < 2; v++) {
                for (int j = 0; j < d2; j++) {
                    double s = 0.0;
                    for (int q = 0; q < d; q++) s += ux[v * d + q] * Rr[q * d2 + j];
                    for (int i = 0; i <= j; i++) s += vx[v * d2 + i] * L[j * d2 + i];
                    h[v * d2 + j] = s;
                    y[v * d2 + j] = act(s);
                    dy[v * d2 + j] = dact(s);
                }
            }
            if (d2 == 1 || lam == 0.0) {
                for (int j = 0; j < d2; j++) {
                    phi[j] = dy[j] * y[d2 + j];
                    phi[d2 + j] = dy[d2 + j] * y[j];
                }
            } else {
                for (int i = 0; i < d2; i++) {
                    double f1 = y[d2 + i], f2 = y[i];
                    for (int j = 0; j < d2; j++) {
                        if (j == i) continue;
                        f1 -= lam * dgp(y[i] * y[d2 + j]) * y[d2 + j];
                        f2 -= lam * dgp(y[j] * y[d2 + i]) * y[j];
                    }
                    phi[i] = dy[i] * f1;
                    phi[d2 + i] = dy[d2 + i] * f2;
                }
            }
            /* Q' = a^2 Q + a tauN (H + H^T) + tauN^2 phi^T XX phi */
            for (int i = 0; i < d2; i++) {
                for (int j = i; j < d2; j++) {
                    double H = 0.0, F = 0.0;
                    for (int v = 0; v < 2; v++) {
                        H += h[v * d2 + i] * phi[v * d2 + j] + phi[v * d2 + i] * h[v * d2 + j];
                        for (int w = 0; w < 2; w++) F += phi[v * d2 + i] * xx[v * 2 + w] * phi[w * d2 + j];
                    }
                    Qn[i * d2 + j] = a * a * Qr[i * d2 + j] + a * tauN * H + tauN * tauN * F;
                }
            }
            for (int i = 0; i < d2; i++)
                for (int j = i; j < d2; j++) { Qr[i * d2 + j] = Qn[i * d2 + j]; Qr[j * d2 + i] = Qn[i * d2 + j]; }
            /* R' = a R + tauN Ux^T phi */
            for (int q = 0; q < d; q++)
                for (int j = 0; j < d2; j++)
                    Rr[q * d2 + j] = a * Rr[q * d2 + j] + tauN * (ux[q] * phi[j] + ux[d + q] * phi[d2 + j]);
        }
    }
    return 0;
}
"""

_cache: dict = {}

#: C's ``int`` range: integer literals outside it are printed as double literals
_C_INT_MAX = 2**31 - 1


class _KernelPrinter(C99CodePrinter):
    """C99 printer that never emits an integer literal C cannot hold.

    ``sympy.ccode`` prints ``tanh(x) * 2**64`` as ``18446744073709551616*tanh(x)``,
    an integer constant beyond every C integer type (truncated or rejected by the
    compiler); such integers are printed as the nearest double, which is also
    what the NumPy path computes with.
    """

    def _print_Integer(self, expr):
        n = int(expr)
        if abs(n) <= _C_INT_MAX:
            return super()._print_Integer(expr)
        try:
            return repr(float(n))
        except OverflowError:
            raise ValueError(f"integer {n} is beyond the double range") from None

    def _print_Rational(self, expr):
        p, q = int(expr.p), int(expr.q)
        try:
            return f"({float(p)!r}/{float(q)!r})"
        except OverflowError:
            raise ValueError(f"rational {expr} is beyond the double range") from None


def _cache_dir() -> Path:
    root = os.environ.get("SYMDYN_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "symdyn")
    p = Path(root) / "kernels"
    p.mkdir(parents=True, exist_ok=True)
    return p


def kernel_source(model) -> str | None:
    """C source of the reduced-engine kernel for ``model``'s activation and penalty, or None."""
    x = model.sigma.variables[0]
    xs = sympy.Symbol("x", real=True)
    s = model.sigma.expr.subs(x, xs)
    gx = model.g.variables[0]
    g = model.g.expr.subs(gx, xs)
    printer = _KernelPrinter()
    try:
        parts = {
            "s": printer.doprint(s),
            "ds": printer.doprint(sympy.diff(s, xs)),
            "dg": printer.doprint(sympy.diff(g, xs)),
        }
    except Exception:
        return None
    if any("Not supported" in p or "//" in p for p in parts.values()):
        return None
    parts["maxd"] = MAXD
    return _TEMPLATE % parts


def kernel_key(src: str) -> str:
    """Cache key: SHA-256 of the generated source (part of the library's file name)."""
    return hashlib.sha256(src.encode()).hexdigest()[:32]


def get_kernel(model):
    """A validated ctypes function ``reduced_chunk`` for the model, or None when unavailable.

    The shared library is cached as ``reduced_<sha256 of the source>.so``. On
    load it must export ``reduced_chunk`` and reproduce the NumPy loop on a
    fixed small input (:func:`self_test`); a missing, truncated, foreign or
    wrong library is rebuilt (compiled under a temporary name, tested, then
    renamed over the cached file atomically). If the rebuilt library fails
    too, None is returned and the NumPy loop is used.
    """
    if os.environ.get("SYMDYN_NO_CKERNEL"):
        return None
    src = kernel_source(model)
    if src is None:
        return None
    key = kernel_key(src)
    if key in _cache:
        return _cache[key]
    try:
        fn = _load_validated(src, key, model)
    except (OSError, subprocess.SubprocessError):
        fn = None
    _cache[key] = fn
    return fn


def _load_validated(src: str, key: str, model):
    directory = _cache_dir()
    lib = directory / f"reduced_{key}.so"
    if lib.is_file():
        fn = _open(lib)
        if fn is not None and self_test(fn, model):
            return fn
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if cc is None:
        return None
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".reduced_{key}.", suffix=".so")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tempfile.TemporaryDirectory(dir=directory) as work:
            c_file = Path(work) / "k.c"
            c_file.write_text(src)
            subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(tmp), str(c_file), "-lm"],
                           check=True, capture_output=True, timeout=120)
        # loaded from its temporary (unique) name: the dynamic loader would hand back a stale
        # handle for a path it has already opened in this process
        fn = _open(tmp)
        if fn is None or not self_test(fn, model):
            return None
        os.replace(tmp, lib)  # the mapping stays valid: same inode
        return fn
    finally:
        if tmp.exists():
            tmp.unlink()


def _open(path: Path):
    """``reduced_chunk`` from the library at ``path`` with its signature set, or None."""
    try:
        dll = ctypes.CDLL(str(path))
        f = dll.reduced_chunk
    except (OSError, AttributeError):
        return None
    state = np.ctypeslib.ndpointer(dtype=np.float64, flags="C_CONTIGUOUS,ALIGNED,WRITEABLE,OWNDATA")
    data = np.ctypeslib.ndpointer(dtype=np.float64, flags="C_CONTIGUOUS,ALIGNED")
    f.argtypes = [ctypes.c_int] * 4 + [state] * 2 + [data] * 6 + [ctypes.c_double] * 3
    f.restype = ctypes.c_int
    return f


def self_test(fn, model, *, rtol: float = 1e-9) -> bool:
    """Whether ``fn`` reproduces the NumPy loop for ``model``'s activation on a fixed input.

    The input exercises every branch of the template: ``d = d2 = 2`` with a
    penalty (``lam > 0``), a few steps, two runs, fixed random draws.
    """
    from ._sgd_common import numeric_model
    from ._sgd_reduced import _bartlett2, mixing_factors, numpy_chunk

    try:
        probe = model.replace(d=2, d2=2, laws=(), Delta=sympy.Rational(1, 2), rho=sympy.Rational(1, 4),
                              tau=sympy.Rational(1, 2), beta=1, lam=sympy.Rational(1, 2))
        nm = numeric_model(probe)
    except (ValueError, TypeError):
        return False
    rng = np.random.default_rng(20240531)
    K, n, d, d2, N = 5, 2, 2, 2, 50
    c = np.ascontiguousarray(rng.choice([-1.0, 1.0], size=(K, n, d)))
    zu = rng.standard_normal((K, n, d, 2))
    zv = rng.standard_normal((K, n, d2, 2))
    L = _bartlett2(rng, N - d - d2, (K, n))
    CA, CU = mixing_factors(nm)
    a, tau_N = 1.0 - nm.tau * nm.beta / N, nm.tau / N
    R0 = np.array([[0.3, 0.1], [0.05, 0.2]])
    Q0 = np.array([[1.0, 0.1], [0.1, 0.9]])
    R = np.repeat(R0[None], n, axis=0)
    Q = np.repeat(Q0[None], n, axis=0)
    with np.errstate(all="ignore"):
        R_ref, Q_ref = numpy_chunk(nm, R.copy(), Q.copy(), c, zu, zv, L, CA, CU, a, tau_N)
        try:
            status = fn(K, n, d, d2, R, Q, c, zu, zv, L, CA, CU, a, tau_N, nm.lam)
        except (ctypes.ArgumentError, TypeError, OSError):
            return False
    if status != 0:
        return False
    if not (np.all(np.isfinite(R_ref)) and np.all(np.isfinite(Q_ref))):
        return False  # the activation is not usable on this input: no basis for trusting the kernel
    return bool(np.allclose(R, R_ref, rtol=rtol, atol=1e-12) and np.allclose(Q, Q_ref, rtol=rtol, atol=1e-12))
