"""Inertia by exact congruence (block LDL^T), a second route besides Descartes.

Sylvester's law of inertia: eliminating a non-zero diagonal pivot ``d`` replaces a
Hermitian ``S`` by ``diag(d) (+) (S' - s s^H / d)``, congruent to ``S``; when every
diagonal entry is zero but ``S[i][j] = b != 0``, the 2x2 block ``[[0, b], [conj b, 0]]``
has one positive and one negative eigenvalue and its Schur complement is eliminated
the same way. Singular matrices and zero leading minors need no special case.

Arithmetic is exact in whatever field the entries live (``fmpq`` or SymPy ``ANP``);
only a zero test and the sign of the real pivots are needed.
"""

from __future__ import annotations


def congruence_inertia(rows: list[list], sign) -> tuple[int, int, int]:
    """(positive, negative, zero) of a Hermitian matrix given as exact field elements.

    Parameters
    ==========
    rows : list of lists
        Square Hermitian matrix over an exact field (elements support ``+ - * /``
        and truthiness as a zero test).
    sign : callable
        Exact sign (-1, 0, 1) of a real field element.
    """
    S = [list(r) for r in rows]
    pos = neg = 0
    while S:
        n = len(S)
        k = next((i for i in range(n) if S[i][i]), None)
        if k is not None:
            d = S[k][k]
            if sign(d) > 0:
                pos += 1
            else:
                neg += 1
            keep = [i for i in range(n) if i != k]
            col = [S[i][k] for i in keep]
            row = [S[k][j] / d for j in keep]
            S = [[S[i][j] - ci * rj for j, rj in zip(keep, row)]
                 for i, ci in zip(keep, col)]
            continue
        pair = next(((i, j) for i in range(n) for j in range(i + 1, n) if S[i][j]), None)
        if pair is None:
            return pos, neg, n
        i0, j0 = pair
        b, c = S[i0][j0], S[j0][i0]        # B = [[0, b], [c, 0]], B^-1 = [[0, 1/c], [1/b, 0]]
        pos += 1
        neg += 1
        keep = [i for i in range(n) if i not in pair]
        # S' = S_rest - C B^-1 D, C = columns (i0, j0), D = rows (i0, j0):
        # (B^-1 D) = [row j0 / c ; row i0 / b]
        v = [S[j0][j] / c for j in keep]
        u = [S[i0][j] / b for j in keep]
        S = [[S[i][j] - S[i][i0] * v[t] - S[i][j0] * u[t] for t, j in enumerate(keep)]
             for i in keep]
    return pos, neg, 0
