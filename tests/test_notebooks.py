"""Every notebook in notebooks/ (jupytext percent format) executes, shows its figures, and uses the public API."""

import ast
import importlib
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.py"))
# every notebook gets the figure and public-API checks
OWN = list(NOTEBOOKS)


def _figure_calls(source: str) -> int:
    """How many figures a notebook's code creates (plt.subplots / plt.figure / phase_portrait calls)."""
    tree = ast.parse(source)
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            count += name in ("subplots", "figure", "phase_portrait")
    return count


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_and_shows_its_figures(path, tmp_path, monkeypatch):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    # the kernel's own inline backend, so that figures become outputs (Agg would swallow them)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = jupytext.read(path)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    images = sum("image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
                 for out in cell.get("outputs", []))
    if path in OWN:
        expected = _figure_calls(path.read_text())
        assert images >= expected, f"{path.name}: {expected} figures drawn, {images} displayed"


def _symdyn_imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "symdyn":
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "symdyn":
                    yield a.name, []


@pytest.mark.parametrize("path", OWN, ids=[p.stem for p in OWN])
def test_notebook_imports_only_the_public_api(path):
    for module, names in _symdyn_imports(path):
        parts = module.split(".")
        assert not any(p.startswith("_") for p in parts), f"{path.name}: private module {module}"
        if parts[:2] == ["symdyn", "contrastive"]:
            assert module == "symdyn.contrastive", f"{path.name}: {module} (use the symdyn.contrastive exports)"
        mod = importlib.import_module(module)
        public = getattr(mod, "__all__", None)
        for name in names:
            assert not name.startswith("_"), f"{path.name}: private name {module}.{name}"
            if public is not None:
                assert name in public, f"{path.name}: {module}.{name} is not in {module}.__all__"


def test_the_public_api_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from symdyn.contrastive import claims\nfrom symdyn._io import savefig_atomic\n")
    with pytest.raises(AssertionError):
        test_notebook_imports_only_the_public_api(bad)


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"
