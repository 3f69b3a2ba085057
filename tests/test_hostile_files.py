"""Hostile output paths (issue 11, item 2): special files are refused, never replaced;
symbolic links are written through; modes are kept; writes are atomic.

Library: :func:`symdyn._io.write_atomic` / :func:`savefig_atomic`; CLI: ``-o`` of the
commands that write files (one line on stderr, exit code 2, the special file intact).
"""

import os
import socket
import stat
import subprocess
import sys

import pytest

from symdyn._io import resolve_output, savefig_atomic, write_atomic
from symdyn.cli import main


def _mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


@pytest.mark.parametrize("make,word", [
    (os.mkfifo, "FIFO"),
    (lambda p: socket.socket(socket.AF_UNIX).bind(p), "socket"),
])
def test_special_files_refused_and_left_alone(tmp_path, make, word):
    p = str(tmp_path / "special")
    make(p)
    before = os.lstat(p).st_mode
    with pytest.raises(ValueError, match=word):
        write_atomic(p, "new\n")
    assert os.lstat(p).st_mode == before        # still the same special file
    assert os.listdir(tmp_path) == ["special"]  # no temporary left behind


def test_character_device_refused(tmp_path):
    # /dev/null itself: refused by kind before anything is opened (as root it used to be replaced)
    with pytest.raises(ValueError, match="character device"):
        resolve_output("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_directory_refused(tmp_path):
    with pytest.raises(IsADirectoryError, match="directory"):
        write_atomic(tmp_path, "x")
    with pytest.raises(ValueError, match="does not exist"):
        write_atomic(tmp_path / "no" / "such" / "f", "x")
    with pytest.raises(ValueError, match="empty"):
        write_atomic("", "x")


def test_symlink_written_through_with_target_mode(tmp_path):
    target = tmp_path / "target"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link"
    link.symlink_to(target)
    write_atomic(link, "new\n")
    assert link.is_symlink() and target.read_text() == "new\n" and _mode(target) == 0o640


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    write_atomic(link, "new\n")
    assert link.is_symlink() and (tmp_path / "nowhere").read_text() == "new\n"


def test_symlink_to_fifo_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    with pytest.raises(ValueError, match="FIFO"):
        write_atomic(link, "x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_symlink_loop_refused(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(ValueError, match="symbolic links"):
        write_atomic(a, "x")


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o755, 0o664, 0o640])
def test_overwrite_keeps_mode(tmp_path, mode):
    p = tmp_path / "f"
    p.write_text("old")
    os.chmod(p, mode)
    write_atomic(p, "new")
    assert _mode(p) == mode and p.read_text() == "new"


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002, 0o000])
def test_new_file_is_0644_under_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        p = write_atomic(tmp_path / "n", "x")
    finally:
        os.umask(old)
    assert _mode(p) == 0o644 & ~umask


def test_bad_data_leaves_nothing(tmp_path):
    with pytest.raises(TypeError, match="data must be str or bytes"):
        write_atomic(tmp_path / "d", object())
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "d", 12)
    assert os.listdir(tmp_path) == []


def test_bad_path_type():
    with pytest.raises(TypeError, match="path"):
        write_atomic(3.5, "x")


def test_savefig_refuses_directory_before_rendering(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    try:
        with pytest.raises(IsADirectoryError):
            savefig_atomic(fig, tmp_path)
        fifo = tmp_path / "fig.png"
        os.mkfifo(fifo)
        with pytest.raises(ValueError, match="FIFO"):
            savefig_atomic(fig, fifo)
    finally:
        plt.close(fig)


# ------------------------------------------------------------------ through the CLI
def _cli(argv, capsys):
    rc = main(argv)
    err = capsys.readouterr().err
    return rc, err


def test_cli_odes_output_fifo(tmp_path, capsys):
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    rc, err = _cli(["contrastive", "odes", "-o", str(fifo)], capsys)
    assert rc == 2 and "FIFO" in err and "Traceback" not in err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_cli_output_directory(tmp_path, capsys):
    rc, err = _cli(["contrastive", "odes", "-o", str(tmp_path)], capsys)
    assert rc == 2 and "directory" in err and "Traceback" not in err


def test_cli_output_symlink_and_mode(tmp_path, capsys):
    target = tmp_path / "odes.txt"
    target.write_text("old")
    os.chmod(target, 0o664)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    rc, _ = _cli(["contrastive", "odes", "-o", str(link)], capsys)
    assert rc == 0 and link.is_symlink() and "R" in target.read_text() and _mode(target) == 0o664


def test_cli_cluster_fifo_subprocess(tmp_path):
    """The issue's reproduction verbatim: ``mkfifo f; symdyn cluster data.csv -o f``."""
    data = tmp_path / "data.csv"
    data.write_text("\n".join(f"{i % 7},{(i * 3) % 5}" for i in range(40)) + "\n")
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    p = subprocess.run([sys.executable, "-m", "symdyn", "cluster", str(data), "-o", str(fifo)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "FIFO" in p.stderr and "Traceback" not in p.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_readme_lists_every_cap():
    """The README section "Input caps and file writing" names every key of CAPS."""
    from pathlib import Path

    from symdyn._validation import CAPS

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    start = text.index("## Input caps and file writing")
    section = text[start:text.index("\n## ", start + 1)]
    missing = [k for k in CAPS if f"`{k}`" not in section]
    assert not missing, f"caps not documented in the README: {missing}"
    for phrase in ("regular file", "symbolic link", "0644", "atomic"):
        assert phrase in section
