"""Strict numeric CSV reading for the ``symdyn cluster`` command."""

from __future__ import annotations

import csv
import math
import os

import numpy as np


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def read_numeric_csv(path: str | os.PathLike, *, header: str = "auto", delimiter: str = ","):
    """Read a rectangular CSV of finite numbers.

    Parameters
    ----------
    path : path-like
        The file.
    header : {'auto', 'yes', 'no'}
        ``auto``: the first row is a header iff one of its cells is not a number.
    delimiter : str
        Single-character cell separator.

    Returns
    -------
    X : ndarray of shape (n_rows, n_columns)
    names : list of str
        Column names (``x0, x1, ...`` without a header).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        Naming the line (1-based, as in an editor) and column of the first bad
        cell, a ragged row, or an empty file; or when ``path`` is a directory,
        not a regular file, or cannot be opened or decoded (UTF-8).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = p.write_text("a,b\\n1,2\\n3,4.5\\n")
    >>> X, names = read_numeric_csv(p)
    >>> X.tolist(), names
    ([[1.0, 2.0], [3.0, 4.5]], ['a', 'b'])
    """
    if header not in ("auto", "yes", "no"):
        raise ValueError(f"header must be 'auto', 'yes' or 'no', got {header!r}")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise ValueError(f"delimiter must be a single character, got {delimiter!r}")
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path}")
    if os.path.isdir(path):
        raise ValueError(f"{path} is a directory, not a CSV file")
    if not os.path.isfile(path):  # FIFOs, devices: reading could block or never end
        raise ValueError(f"{path} is not a regular file")
    numbered = []  # (physical line number, cells) of non-blank rows
    try:
        fh = open(path, newline="", encoding="utf-8")
    except OSError as exc:  # permission denied, special files, ...
        raise ValueError(f"{path}: cannot open ({exc.strerror or exc})") from None
    with fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            for row in reader:
                cells = [c.strip() for c in row]
                if any(cells):
                    numbered.append((reader.line_num, cells))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not a readable CSV file ({exc})") from None
        except OSError as exc:
            raise ValueError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not numbered:
        raise ValueError(f"{path}: the file holds no data rows")
    names = None
    first = numbered[0][1]
    if header == "yes" or (header == "auto" and not all(_is_number(c) for c in first)):
        names = first
        numbered = numbered[1:]
        if not numbered:
            raise ValueError(f"{path}: the file has a header but no data rows")
    width = len(names) if names is not None else len(numbered[0][1])
    data = np.empty((len(numbered), width), dtype=np.float64)
    for r, (line, row) in enumerate(numbered):
        if len(row) != width:
            raise ValueError(f"{path}, line {line}: expected {width} cells, found {len(row)}")
        for c, cell in enumerate(row):
            try:
                v = float(cell)
            except ValueError:
                raise ValueError(f"{path}, line {line}, column {c + 1}: {cell!r} is not a number") from None
            if not math.isfinite(v):
                raise ValueError(f"{path}, line {line}, column {c + 1}: {cell!r} is not finite")
            data[r, c] = v
    return data, names if names is not None else [f"x{j}" for j in range(width)]
