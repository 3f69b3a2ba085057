"""``symdyn check`` on a terminal: progress shows before any check has run (issue 10, "Done when").

The command runs under a pseudo-terminal (``os.openpty``) exactly as a user
starts it.  The first bytes it writes must be the progress report (the
``running N checks`` line and the tqdm bar at 0/N), they must come before the
first verdict line, and within 2 s of starting the process.  The ordering is
the property; the 2 s bound is the issue's acceptance figure, which the
command meets with a wide margin (about 0.1 s unloaded: ``check`` builds its
parser without the model plug-ins and prints before importing any check).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


def _run_on_terminal(args, *, size=(24, 100), timeout=120.0):
    """Run ``python -m symdyn ARGS`` on a fresh pty; return (seconds to first output, output bytes, exit code)."""
    master, slave = os.openpty()
    if size is not None:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("TQDM_DISABLE", None)
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "symdyn", *args], stdin=slave, stdout=slave, stderr=slave,
                            cwd=ROOT, env=env, start_new_session=True)
    os.close(slave)
    first, out = None, b""
    try:
        while time.monotonic() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the slave side closed: the process has ended
                    break
                if not chunk:
                    break
                if first is None:
                    first = time.monotonic() - start
                out += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(1.0, timeout - (time.monotonic() - start)))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    return first, out.decode("utf-8", errors="replace"), code


@pytest.mark.parametrize("size", [(24, 100), (0, 0)], ids=["sized-terminal", "terminal-without-size"])
def test_check_shows_progress_on_a_terminal_before_the_first_verdict(size):
    first, out, code = _run_on_terminal(["check", "--only", "textbook_pitchfork"], size=size)
    assert code == 0, out
    assert first is not None, "no output at all"
    running = out.find("running 1 check: textbook_pitchfork")
    bar = out.find("0/1 [")  # tqdm's first frame: 0 of 1 checks done
    verdict = out.find("[1/1] PASS textbook_pitchfork")
    assert running == 0, f"the first output is not the progress line: {out[:200]!r}"
    assert bar != -1, f"no progress bar on the terminal: {out!r}"
    assert running < bar < verdict, out
    assert "1/1 claims pass" in out
    assert first < 2.0, f"first output after {first:.2f} s (issue 10: within 2 s)"


def test_check_kill_after_first_progress_of_the_full_run():
    """The full ``symdyn check`` (about a minute) also starts with its progress; stop it at the bar."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "symdyn", "check"], stdin=slave, stdout=slave, stderr=slave,
                            cwd=ROOT, env=env, start_new_session=True)
    os.close(slave)
    out, first = b"", None
    try:
        while time.monotonic() - start < 60 and b"check/s]" not in out:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                chunk = os.read(master, 65536)
                if not chunk:
                    break
                first = time.monotonic() - start if first is None else first
                out += chunk
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    text = out.decode("utf-8", errors="replace")
    assert text.startswith("running ") and " checks: " in text, text[:200]
    assert "0/" in text and "check/s]" in text, text
    assert "PASS" not in text and "FAIL" not in text  # progress came before any verdict
    assert first is not None and first < 2.0, f"first output after {first} s"
