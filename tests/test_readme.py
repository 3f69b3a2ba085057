"""The README's quick start and .ci/run stay in sync."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ci_command(marker_text: str = "README test command") -> str:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    marker = next(i for i, l in enumerate(lines) if marker_text in l)
    return lines[marker + 1].strip()


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text()
    cmd = _ci_command()
    assert "pytest" in cmd
    assert cmd in readme.splitlines(), f"README must contain the line: {cmd}"


def test_quick_start_has_two_commands():
    readme = (ROOT / "README.md").read_text()
    m = re.search(r"## Quick start\n(.*?)\n## ", readme, re.S)
    assert m, "README needs a '## Quick start' section"
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", m.group(1), re.S)
    commands = [l for l in block.group(1).splitlines() if l.strip() and not l.lstrip().startswith("#")]
    assert len(commands) == 2
    assert "symdyn check" in commands[0]
    assert commands[0] == _ci_command("README first command")
    assert commands[1] == _ci_command()


def test_ci_runs_the_main_job_in_a_clean_venv_without_test_extras():
    script = (ROOT / ".ci" / "run").read_text()
    first = _ci_command("README first command")
    assert "[test]" not in first
    assert "python -m venv" in script and "--system-site-packages" not in script
    assert script.index("python -m venv") < script.index(first)


def test_every_check_is_documented():
    import proofs_checks

    readme = (ROOT / "README.md").read_text()
    missing = [n for n in proofs_checks.available() if f"`{n}`" not in readme]
    assert not missing, f"checks missing from README: {missing}"
