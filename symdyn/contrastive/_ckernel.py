"""Compiled inner loop of the reduced SGD engine (C generated from SymPy, via ctypes).

The activation ``sigma``, its derivative and the penalty derivative ``g'`` are
printed with :func:`sympy.ccode` from the model's symbolic objects (never from
user text); the loop itself is a fixed template.  The shared library is built
once with the system C compiler and cached under ``$SYMDYN_CACHE`` (default
``~/.cache/symdyn``) by a hash of its source.  When no compiler is available or
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
    try:
        parts = {
            "s": sympy.ccode(s, standard="C99"),
            "ds": sympy.ccode(sympy.diff(s, xs), standard="C99"),
            "dg": sympy.ccode(sympy.diff(g, xs), standard="C99"),
        }
    except Exception:
        return None
    if any("Not supported" in p or "//" in p for p in parts.values()):
        return None
    parts["maxd"] = MAXD
    return _TEMPLATE % parts


def get_kernel(model):
    """A ctypes function ``reduced_chunk`` for the model, or None when unavailable."""
    if os.environ.get("SYMDYN_NO_CKERNEL"):
        return None
    src = kernel_source(model)
    if src is None:
        return None
    key = hashlib.sha256(src.encode()).hexdigest()[:20]
    if key in _cache:
        return _cache[key]
    fn = None
    try:
        fn = _load(src, key)
    except (OSError, subprocess.SubprocessError):
        fn = None
    _cache[key] = fn
    return fn


def _load(src: str, key: str):
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    directory = _cache_dir()
    lib = directory / f"reduced_{key}.so"
    if not lib.exists():
        if cc is None:
            return None
        with tempfile.TemporaryDirectory(dir=directory) as tmp:
            c_file = Path(tmp) / "k.c"
            c_file.write_text(src)
            out = Path(tmp) / "k.so"
            subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(out), str(c_file), "-lm"],
                           check=True, capture_output=True, timeout=120)
            os.replace(out, lib)
    dll = ctypes.CDLL(str(lib))
    f = dll.reduced_chunk
    dbl = np.ctypeslib.ndpointer(dtype=np.float64, flags="C_CONTIGUOUS")
    f.argtypes = [ctypes.c_int] * 4 + [dbl] * 8 + [ctypes.c_double] * 3
    f.restype = ctypes.c_int
    return f
