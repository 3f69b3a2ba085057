"""Atomic file output: a result file is either complete or absent.

Rules (README, "Files written by symdyn"):

- the destination must be a regular file or a new path; a directory, FIFO,
  socket or device is refused with an error naming it (never replaced);
- a symbolic link is followed: its target (a regular file or a new path) is
  written, the link stays;
- an existing file keeps its permission bits; a new file gets ``0644``
  restricted by the umask (``0666 & ~umask`` would also grant group/other
  write; we never widen beyond ``0644``);
- the data go to a temporary file in the destination's directory, which is
  fsynced and renamed over the destination (``os.replace``), so a reader sees
  the old or the new content, never a mix; the temporary file is removed on
  any failure.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["write_atomic", "write_output", "is_stdout", "refuse_binary_stdout", "savefig_atomic", "resolve_output"]

#: the output path that means standard output (text outputs only)
STDOUT = "-"

NEW_FILE_MODE = 0o644
_MAX_LINKS = 40


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def resolve_output(path: str | os.PathLike) -> tuple[Path, int | None]:
    """The real destination of ``path`` and the mode it must keep.

    Symbolic links are followed (a dangling link names the new file it points
    to). Returns ``(destination, mode)`` with ``mode`` the permission bits of
    an existing regular file, or ``None`` for a new path.

    Raises
    ------
    IsADirectoryError
        ``path`` (or its link target) is a directory.
    ValueError
        Empty path, a FIFO / socket / device, or a missing directory.
    """
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"output path must be a string or path-like, got {type(path).__name__}")
    if not str(path):
        raise ValueError("output path is empty")
    dest = Path(path)
    for _ in range(_MAX_LINKS):
        if not dest.is_symlink():
            break
        target = Path(os.readlink(dest))
        dest = target if target.is_absolute() else dest.parent / target
    else:
        raise ValueError(f"output path {str(path)!r}: too many levels of symbolic links")
    try:
        st = os.stat(dest)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = _kind(st.st_mode)
        shown = str(path) if str(dest) == str(path) else f"{path} -> {dest}"
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(f"output path {shown!r} is a directory; give a file name")
        raise ValueError(f"output path {shown!r} is {what}; symdyn writes only regular files or new paths")
    directory = dest.parent if str(dest.parent) else Path(".")
    if not directory.is_dir():
        raise ValueError(f"output directory {str(directory)!r} does not exist")
    return dest, (stat.S_IMODE(st.st_mode) if st is not None else None)


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + ``os.replace``).

    Parameters
    ----------
    path : path-like
        Destination: a regular file, a new path in an existing directory, or a
        symbolic link to one of those (the link's target is written).
    data : str or bytes
        Content; ``str`` is written as UTF-8.

    Returns
    -------
    pathlib.Path
        The path written (the link target when ``path`` is a link).

    Raises
    ------
    IsADirectoryError, ValueError
        See :func:`resolve_output`.
    TypeError
        ``data`` is neither ``str`` nor bytes-like.

    Examples
    --------
    >>> import os, stat, tempfile
    >>> from symdyn._io import write_atomic
    >>> d = tempfile.mkdtemp()
    >>> p = write_atomic(os.path.join(d, "out.txt"), "hello\\n")
    >>> open(p).read()
    'hello\\n'
    """
    if isinstance(data, str):
        payload = data.encode("utf-8")
    elif isinstance(data, (bytes, bytearray, memoryview)):
        payload = bytes(data)
    else:
        raise TypeError(f"data must be str or bytes, got {type(data).__name__}")
    dest, mode = resolve_output(path)
    if mode is None:
        mode = NEW_FILE_MODE & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=dest.parent if str(dest.parent) else ".", prefix=f".{dest.name}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        # re-check just before the rename: the destination may have changed kind meanwhile
        resolve_output(dest)
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return dest


def is_stdout(path) -> bool:
    """Whether an output path is ``-`` (standard output)."""
    return isinstance(path, str) and path == STDOUT


def write_output(path: str | os.PathLike, text: str) -> Path | None:
    """Write a text result to ``path``, or to standard output when ``path`` is ``-``.

    The ``-o -`` convention of every symdyn command with a text output. A file
    is written with :func:`write_atomic` (so a file literally named ``-`` is
    never created; write ``./-`` for that). Returns the path written, or
    ``None`` for standard output.

    Examples
    --------
    >>> write_output("-", "hello\\n")
    hello
    """
    if is_stdout(path):
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    return write_atomic(path, text)


def refuse_binary_stdout(path, flag: str) -> None:
    """Refuse ``-`` for a binary (PNG) output: ValueError naming ``flag`` (the CLI turns it into exit 2).

    Binary outputs never go to standard output: it is a terminal or carries the
    command's text result.
    """
    if is_stdout(path):
        raise ValueError(f"{flag}: '-' (standard output) is only for text outputs; give a .png file name")


def savefig_atomic(fig, path: str | os.PathLike, **kwargs) -> Path:
    """Save a Matplotlib figure atomically (format from the suffix); same rules as :func:`write_atomic`."""
    import io

    resolve_output(path)  # refuse a bad destination before rendering
    path = Path(path)
    buf = io.BytesIO()
    fmt = kwargs.pop("format", path.suffix.lstrip(".") or "png")
    fig.savefig(buf, format=fmt, **kwargs)
    return write_atomic(path, buf.getvalue())
