"""Hostile inputs to the LSGD tools (issue 11, items 8, 9, 10).

``symdyn lsgd robust --n 100000`` made FLINT ask for 80 GB and abort; ``lsgd counts
--n 100000 --sigma 1/2`` and ``lsgd escape`` with big sizes never returned; ``--order``
<= 0 was reported proved. The CLI refuses these before any work (documented caps,
exit code 2, one line on stderr).
"""

import subprocess
import sys

import pytest
from flint import fmpq_mat

from symdyn.cli import main


def run(argv, capsys):
    try:
        rc = main(argv)
    except SystemExit as exc:         # argparse usage errors
        rc = exc.code
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


@pytest.mark.parametrize("argv,word", [
    (["lsgd", "robust", "--n", "100000"], "--n = 100000 exceeds the cap"),            # was SIGABRT
    (["lsgd", "counts", "--n", "100000", "--sigma", "1/2"], "--n = 100000 exceeds the cap"),  # hang
    (["lsgd", "counts", "--n", "1000000"], "exceeds the cap"),
    (["lsgd", "robust", "--b=" + ",".join(["-1"] + ["1"] * 10001)], "len(--b) = 10002 exceeds the cap"),
    (["lsgd", "escape", "--n", "1000000"], "--n = 1000000 exceeds the cap"),
    (["lsgd", "escape", "--samples", "100000000"], "--n * --samples"),
    (["lsgd", "escape", "--iters", "10000000000"], "--n * --samples * --iters"),
    (["lsgd", "robust", "--n", "5", "--order", "-3"], "--order must be >= 1"),
    (["lsgd", "robust", "--n", "5", "--order", "0"], "--order must be >= 1"),
    (["lsgd", "counts", "--n", "5", "--order", "-3"], "order must be >= 1"),
    (["lsgd", "counts", "--n", "5", "--eta", "abc"], "--eta must be a rational"),
    (["lsgd", "counts", "--n", "5", "--eta", "__import__('os')"], "--eta must be a rational"),
    (["lsgd", "counts", "--n", "5", "--sigma", "1/0"], "--sigma[0] must be a rational"),
    (["lsgd", "counts", "--n", "5", "--sigma=-1"], "sigma must be >= 0"),
    (["lsgd", "counts", "--n", "5", "--eta", "-1"], "eta must be > 0"),
    (["lsgd", "counts", "--n", "1"], "n must be >= 2"),
    (["lsgd", "counts", "--n", "-4"], "n must be >= 2"),
    (["lsgd", "robust"], "give --n N"),
    (["lsgd", "escape", "--eta", "nan"], "eta must be finite"),
])
def test_cli_refuses(argv, word, capsys):
    rc, out, err = run(argv, capsys)
    assert rc == 2 and word in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("symdyn: error")]) == 1


def test_cli_answers_within_caps(capsys):
    rc, out, _ = run(["lsgd", "counts", "--n", "5", "--sigma", "1/2"], capsys)
    assert rc == 0 and "inside=4 on=0 outside=1" in out
    rc, out, _ = run(["lsgd", "robust", "--n", "6"], capsys)
    assert rc == 0 and "2 <= dim E_rob <= 2" in out and "proved" in out


def test_robust_json_into_closed_pipe():
    """``symdyn lsgd robust --json | head``: no BrokenPipeError traceback."""
    cmd = f"{sys.executable} -m symdyn lsgd robust --n 40 --json | head -n 1 >/dev/null"
    p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in p.stderr and "Exception ignored" not in p.stderr and "BrokenPipe" not in p.stderr


# ---------------------------------------------------------------- item 8 (robust_dimension API)
# A matrix is read as a matrix (never flattened into a diagonal); a bad order is refused.


@pytest.mark.parametrize("matrix", [lambda: fmpq_mat([[-1, 1], [1, 1]]), lambda: __import__("sympy").Matrix(
    [[-1, 1], [1, 1]]), lambda: __import__("numpy").array([[-1, 1], [1, 1]])])
def test_robust_dimension_reads_a_matrix_as_a_matrix(matrix):
    """The issue's case returned n = 4, dim = 1, 'proved' (list(fmpq_mat) flattened the entries).

    A symmetric B with one negative eigenvalue is now the full-symmetric class: n = 2, and for this
    B (no invariant subspace besides R^2) E_rob = {0}, lower and upper bound agreeing."""
    from fractions import Fraction

    from symdyn.lsgd.robust import robust_dimension

    r = robust_dimension(matrix(), Fraction(1, 2))
    assert r.n == 2 and r.lower.dim == 0 and r.upper.dim == 0


def test_counts_still_take_a_full_matrix():
    from symdyn.lsgd import eigenvalue_counts

    assert tuple(eigenvalue_counts(fmpq_mat([[-1, 0], [0, 1]]), 1, 0)) == (1, 0, 1)


@pytest.mark.parametrize("order", [-3, 0, 1.5, True])
def test_robust_dimension_refuses_bad_order(order):
    from symdyn.lsgd.robust import robust_dimension

    try:
        r = robust_dimension([-1, 1, 1, 1], 1, order=order)
    except (TypeError, ValueError):
        return
    raise AssertionError(f"order={order!r} accepted: dim = {r.dim}, {r.level}")


@pytest.mark.parametrize("call,word", [
    (lambda L: L.canonical_b(10**12), "n = 1000000000000 exceeds the cap 10000"),   # MemoryError before
    (lambda L: L.laplacian(10**5), "dense n x n matrix"),                          # MemoryError before
    (lambda L: L.smoothing_matrix(10**5, 1), "dense n x n matrix"),
    (lambda L: L.iteration_matrix([-1] + [1] * (10**5 - 1), 1, 0), "dense n x n matrix"),  # FLINT abort
])
def test_lsgd_builders_capped(call, word):
    import symdyn.lsgd as L

    with pytest.raises(ValueError, match=word):
        call(L)


def test_lsgd_runtime_caps():
    import numpy as np

    import symdyn.lsgd as L

    with pytest.raises(ValueError, match="n_iter \\* x0.size"):            # never returned
        L.lsgd(lambda X: X, np.zeros((4, 2)), 0.1, 0.5, n_iter=10**12)
    with pytest.raises(ValueError, match="n \\* n_samples"):               # MemoryError (745 GiB)
        L.sample_starts("perturbed", 10**5, 10**6, np.random.default_rng(0))
    with pytest.raises(ValueError, match="n = 1000000000 exceeds the cap"):  # MemoryError
        L.quadratic_problem(10**9)
