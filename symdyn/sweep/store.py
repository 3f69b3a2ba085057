"""Result shards of a sweep: one small CSV file per finished cell, written atomically.

Layout of an output directory::

    OUT/cells/<study>-<cell id>.csv   one row (header + values), the source of truth
    OUT/table.csv                     every cell of the last run's grid, in grid order

Floats are written with ``repr`` (the shortest text that reads back as the
same double), so a table read back is identical bit for bit; ``nan`` and
``inf`` are written as such; a missing value is an empty field.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

from .._io import write_atomic

__all__ = ["shard_path", "write_shard", "read_shard", "finished_cells", "write_table", "read_table", "encode",
           "decode"]

CELLS = "cells"


def encode(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "float":
        return repr(float(value))
    if kind == "int":
        return str(int(value))
    if kind == "bool":
        return "True" if value else "False"
    return str(value)


def decode(text: str, kind: str):
    if text == "" and kind != "str":
        return None
    if kind == "float":
        return float(text)
    if kind == "int":
        return int(text)
    if kind == "bool":
        if text not in ("True", "False"):
            raise ValueError(f"not a bool: {text!r}")
        return text == "True"
    return text


def _csv_text(columns, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c for c, _ in columns])
    for row in rows:
        w.writerow([encode(row.get(c), k) for c, k in columns])
    return buf.getvalue()


def shard_path(out: Path, study: str, cid: str) -> Path:
    return Path(out) / CELLS / f"{study}-{cid}.csv"


def write_shard(out: Path, study, row: dict) -> Path:
    """Write one finished cell's row (temporary name, then rename)."""
    return write_atomic(shard_path(out, study.name, row["cell"]), _csv_text(study.columns, [row]))


def _read_rows(path: Path, columns) -> list:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        kinds = dict(columns)
        if header != [c for c, _ in columns]:
            raise ValueError(f"{path}: columns {header} differ from the study's {list(kinds)}")
        return [{c: decode(v, kinds[c]) for c, v in zip(header, rec)} for rec in reader]


def read_shard(path: Path, study) -> dict:
    rows = _read_rows(path, study.columns)
    if len(rows) != 1:
        raise ValueError(f"{path}: a shard holds one row, found {len(rows)}")
    return rows[0]


def finished_cells(out: Path, study) -> dict:
    """``{cell id: shard path}`` of the cells of ``study`` already in ``out``."""
    d = Path(out) / CELLS
    if not d.is_dir():
        return {}
    prefix = f"{study.name}-"
    found = {}
    with os.scandir(d) as it:
        for e in it:
            # temporary files start with '.' and are never taken for results
            if e.name.startswith(prefix) and e.name.endswith(".csv"):
                found[e.name[len(prefix):-4]] = Path(e.path)
    return found


def write_table(path: Path, study, rows) -> Path:
    return write_atomic(path, _csv_text(study.columns, rows))


def read_table(path, study) -> list:
    """Rows (dicts, typed) of a ``table.csv`` written by a sweep of ``study``."""
    from .studies import get_study

    return _read_rows(Path(path), get_study(study).columns)


def same_value(a, b) -> bool:
    """Bit-for-bit equality of two cell values (NaN equals NaN)."""
    if isinstance(a, float) and isinstance(b, float):
        return a.hex() == b.hex() if not (math.isnan(a) and math.isnan(b)) else True
    return a == b
