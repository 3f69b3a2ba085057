"""Atomic file output: a result file is either complete or absent."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``).

    Parameters
    ----------
    path : path-like
        Destination; its directory must exist.
    data : str or bytes
        Content; ``str`` is written as UTF-8.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ValueError(f"output directory {str(directory)!r} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def savefig_atomic(fig, path: str | os.PathLike, **kwargs) -> Path:
    """Save a Matplotlib figure atomically (format from the suffix)."""
    import io

    path = Path(path)
    buf = io.BytesIO()
    fmt = kwargs.pop("format", path.suffix.lstrip(".") or "png")
    fig.savefig(buf, format=fmt, **kwargs)
    return write_atomic(path, buf.getvalue())
