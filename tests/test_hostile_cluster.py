"""Hostile inputs to the Quickshift++ estimator and the ``symdyn cluster`` command.

Every case must end in a clear ValueError/TypeError naming the parameter (library)
or one line on stderr with exit code 2 (CLI), or in a correct answer.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

from symdyn.cli import main
from symdyn.cluster import QuickshiftPP

X = np.random.default_rng(0).normal(size=(40, 2))


@pytest.mark.parametrize(
    "params,exc,word",
    [
        ({"k": 0}, ValueError, "k must be"),
        ({"k": -5}, ValueError, "k must be"),
        ({"k": "many"}, ValueError, "k must be 'auto'"),
        ({"k": 3.0}, TypeError, "k must be"),
        ({"k": None}, TypeError, "k must be"),
        ({"k": np.float64(3)}, TypeError, "k must be"),
        ({"k": [3]}, TypeError, "k must be"),
        ({"beta": 1.0}, ValueError, "beta"),
        ({"beta": 1.5}, ValueError, "beta"),
        ({"beta": -1e-9}, ValueError, "beta"),
        ({"beta": np.inf}, ValueError, "beta"),
        ({"beta": None}, TypeError, "beta"),
        ({"beta": 1j}, TypeError, "beta"),
        ({"epsilon": -0.5}, ValueError, "epsilon"),
        ({"epsilon": np.nan}, ValueError, "epsilon"),
        ({"epsilon": "0"}, TypeError, "epsilon"),
        ({"knn": "faiss"}, ValueError, "knn"),
        ({"knn": None}, ValueError, "knn"),
    ],
)
def test_bad_parameters_named(params, exc, word):
    with pytest.raises(exc, match=word):
        QuickshiftPP(**params).fit(X)


@pytest.mark.parametrize(
    "data",
    [
        np.empty((0, 2)),                                   # 0 rows
        np.empty((5, 0)),                                   # 0 columns
        np.array([[1.0, np.nan], [0.0, 1.0]]),
        np.array([[1.0, np.inf], [0.0, 1.0]]),
        np.array([[1.0, -np.inf], [0.0, 1.0]]),
        np.array([["a", "b"], ["c", "d"]]),                 # strings
        np.array([[1, "x"], [2, 3]], dtype=object),         # object dtype, non-numeric
        np.zeros((4, 3, 2)),                                # 3-D
        np.zeros(7),                                        # 1-D
        "not an array",
        [[1.0, 2.0], [3.0]],                                # ragged
        np.array([[1 + 2j, 0], [0, 1]]),                    # complex
    ],
)
def test_bad_data_rejected_cleanly(data):
    with pytest.raises((ValueError, TypeError)):
        QuickshiftPP(k=3).fit(data)


@pytest.mark.parametrize("data,word", [
    (np.array([["a", "b"], ["c", "d"]]), "string"),
    (np.array([["1.5", "2"], ["3", "4"], ["5", "6"]]), "string"),   # numeric-looking strings are not cast
    (np.array([[b"1", b"2"], [b"3", b"4"]]), "bytes"),
    (np.array([[1, "x"], [2, 3]], dtype=object), r"entry \(0, 1\) of the object data is a str"),
    (np.array([[1.0, "2.5"], [2, 3]], dtype=object), "entry .* is a str"),      # not cast from text
    (np.array([[1.0, 2j], [2, 3]], dtype=object), "entry .* is a complex"),
    (np.array([[1.0, {"a": 1}], [2, 3]], dtype=object), "entry .* is a dict"),
    (np.array([[1 + 2j, 0], [0, 1]]), "complex"),
    (np.array([[1.0, 0.0], [0.0, 1.0]], dtype=complex), "complex"),   # zero imaginary part too
    (np.array([["2020-01-01"], ["2021-01-01"]], dtype="datetime64[D]"), "datetime"),
    ([["a", 1.0], ["b", 2.0]], "string"),
    ([[None, 1.0], [2.0, 3.0]], "is a NoneType"),                   # numpy would read None as NaN
    ("not an array", "string"),
])
def test_non_numeric_dtype_is_a_type_error_naming_X(data, word, monkeypatch):
    """Refused with a TypeError naming X and what is allowed, before any k-NN (native) work."""
    from symdyn.cluster import _quickshiftpp as mod

    def no_native(*a, **k):  # pragma: no cover - reached only if validation failed to refuse
        raise AssertionError("k-NN search ran on refused data")

    monkeypatch.setattr(mod, "neighbour_lists", no_native)
    with pytest.raises(TypeError, match=rf"X must hold real numbers \(dtype bool, integer or float.*{word}"):
        QuickshiftPP(k=2).fit(data)


def test_complex_is_also_the_value_error_of_the_sklearn_contract():
    from symdyn.cluster._quickshiftpp import ComplexDataError

    with pytest.raises(ValueError, match="Complex data not supported"):
        QuickshiftPP(k=2).fit(np.array([[1 + 2j], [0j], [1j]]))
    assert issubclass(ComplexDataError, TypeError)


def test_object_array_of_real_numbers_is_read_as_numbers():
    """scikit-learn's check_dtype_object: an object array of numbers is numeric (same clustering)."""
    from fractions import Fraction

    A = np.array([[1, 2], [3, 4], [5, 6.5], [40, 41]], dtype=object)
    A[0, 0] = Fraction(1, 1)
    A[1, 1] = np.float32(4)
    a = QuickshiftPP(k=2).fit(A)
    b = QuickshiftPP(k=2).fit(np.array([[1, 2], [3, 4], [5, 6.5], [40, 41]], dtype=float))
    assert np.array_equal(a.labels_, b.labels_)


def test_pandas_columns_are_judged_one_by_one():
    pd = pytest.importorskip("pandas")
    with pytest.raises(TypeError, match="X must hold real numbers.*object"):
        QuickshiftPP(k=2).fit(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"]}))
    est = QuickshiftPP(k=2).fit(pd.DataFrame({"a": [1, 2, 30], "b": [1.0, 2.0, 30.0]}))
    assert est.labels_.shape == (3,)


def test_bool_is_read_as_zero_one():
    """The explicit bool rule: accepted, and clustered exactly as the same 0/1 floats."""
    B = np.array([[True, False], [False, True], [True, True], [True, False], [False, True], [True, True]])
    a = QuickshiftPP(k=2).fit(B)
    b = QuickshiftPP(k=2).fit(B.astype(float))
    assert np.array_equal(a.labels_, b.labels_) and a.n_clusters_ == b.n_clusters_
    assert QuickshiftPP(k=2).fit(np.array([[True], [False], [True]])).n_clusters_ >= 1


def test_integer_data_accepted():
    est = QuickshiftPP(k=3).fit(np.array([[1, 2], [3, 4], [5, 6]], dtype=np.uint8))
    assert est.labels_.shape == (3,)


def test_huge_k_is_clipped_and_huge_memory_refused():
    assert QuickshiftPP(k=10**12).fit(X).k_ == len(X)  # an explicit k is clipped to n, as before
    from symdyn.cluster import _quickshiftpp as mod

    n = 3_000_000  # k-NN lists of 3e6 x 1e6 entries: refused before any allocation
    est = QuickshiftPP(k=10**6)
    est._check_params()
    with pytest.raises(ValueError, match="k=1000000 .* GiB .* cap"):
        est._resolve_k(n)
    assert mod.auto_k(n) * 12 * n <= 4 * 2**30


def test_extreme_but_finite_values():
    big = np.array([[1.7e308, 0.0], [-1.7e308, 0.0], [1.6e308, 1.0], [-1.6e308, 1.0]])
    est = QuickshiftPP(k=2).fit(big)
    assert est.labels_.shape == (4,) and np.isfinite(est.density_).any()
    tiny = np.array([[5e-324, 0.0], [0.0, 5e-324], [1e-323, 1e-323], [0.0, 0.0]])
    assert QuickshiftPP(k=2).fit(tiny).labels_.shape == (4,)
    assert QuickshiftPP(k=3).fit(np.zeros((10, 2))).n_clusters_ == 1
    assert QuickshiftPP(k=1).fit(X).n_clusters_ >= 1


def test_missing_ann_extra_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynndescent", None)  # import fails as if not installed
    with pytest.raises(ImportError, match=r"pip install 'symdyn\[ann\]'"):
        QuickshiftPP(k=5, knn="nndescent").fit(X)


# --- CLI -------------------------------------------------------------------------------

@pytest.fixture
def csv_file(tmp_path):
    p = tmp_path / "d.csv"
    np.savetxt(p, X, delimiter=",")
    return p


@pytest.mark.parametrize(
    "extra,message",
    [
        (["--k", "0"], "k must be >= 1"),
        (["--k", "1e400"], "k must be 'auto' or an integer"),
        (["--k", "nan"], "k must be 'auto' or an integer"),
        (["--beta", "1"], "beta must be in"),
        (["--beta", "nan"], "beta must be finite"),
        (["--beta", "-0.1"], "beta must be in"),
        (["--epsilon", "-1"], "epsilon must be in"),
        (["--epsilon", "nan"], "epsilon must be finite"),
        (["--delimiter", ";;"], "delimiter must be a single character"),
    ],
)
def test_cli_bad_values_exit_2(csv_file, capsys, extra, message):
    try:  # argparse reports a bad --k itself (SystemExit 2); the rest reaches the library
        rc = main(["cluster", str(csv_file), *extra])
    except SystemExit as exc:
        rc = exc.code
    assert rc == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_directory_unreadable_and_special_files(tmp_path, capsys, csv_file):
    assert main(["cluster", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        assert main(["cluster", str(fifo)]) == 2
        assert "not a regular file" in capsys.readouterr().err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    assert main(["cluster", str(binary)]) == 2
    assert "not a readable CSV" in capsys.readouterr().err
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.csv"
        locked.write_text("1,2\n")
        locked.chmod(0)
        assert main(["cluster", str(locked)]) == 2
        assert "cannot open" in capsys.readouterr().err
    assert main(["cluster", str(csv_file), "-o", str(tmp_path)]) == 2
    assert "-o/--output" in capsys.readouterr().err
    assert main(["cluster", str(csv_file), "--plot", str(tmp_path)]) == 2
    assert "--plot" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text,message",
    [
        ("1,2\n1e400,3\n", "'1e400' is not finite"),
        ("1,2\n0x10,3\n", "'0x10' is not a number"),
        ("1,2\n__import__('os'),3\n", "is not a number"),
        ("a,b\n", "header but no data rows"),
        ("\n\n\n", "no data rows"),
        ('1,2\n"3,4\n', "expected 2 cells"),
    ],
)
def test_cli_bad_cells(tmp_path, capsys, text, message):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    assert main(["cluster", str(p)]) == 2
    assert message in capsys.readouterr().err


def test_cli_subprocess_one_line_no_traceback(tmp_path):
    out = subprocess.run([sys.executable, "-m", "symdyn", "cluster", str(tmp_path)],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "is a directory" in out.stderr
