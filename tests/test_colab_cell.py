"""Every chapter starts its code with the Colab install cell (tools/colab_cell.py), and that cell is harmless.

The cell installs nnmath from the book's repository only when it runs in Google Colab, prints nothing anywhere
else (so its stored output stays empty and nbval passes), and is tagged ``remove-cell`` so the book leaves it
out. It must name the repository of ``repository.url`` in _config.yml, the address the launch buttons use.
"""

import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import colab_cell  # noqa: E402  (tools/ is not a package)
from execute import toc_notebooks  # noqa: E402

URL, BRANCH = colab_cell.repository()


@pytest.mark.parametrize("path", toc_notebooks(), ids=lambda p: p.stem)
def test_every_chapter_has_the_colab_cell(path):
    reason = colab_cell.problem(nbformat.read(path, as_version=4), URL, BRANCH)
    assert reason is None, f"{path.name}: {reason}; run `make colab-cell`"


def _run(source: str, capsys, *, colab: bool, monkeypatch) -> list:
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kw: calls.append((args, kw)))
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(source, "<colab cell>", "exec"), {})
    assert capsys.readouterr() == ("", ""), "the cell must print nothing"
    return calls


@pytest.mark.parametrize("url", ["", "https://github.com/example/nn-book"])
def test_outside_colab_the_cell_does_nothing(url, capsys, monkeypatch):
    assert _run(colab_cell.cell_source(url, "main"), capsys, colab=False, monkeypatch=monkeypatch) == []


def test_in_colab_the_cell_installs_nnmath_from_the_repository(capsys, monkeypatch):
    source = colab_cell.cell_source("https://github.com/example/nn-book", "main")
    ((args, kwargs),) = _run(source, capsys, colab=True, monkeypatch=monkeypatch)
    assert args[0][1:] == ["-m", "pip", "install", "--quiet", "nnmath @ git+https://github.com/example/nn-book@main"]
    assert kwargs == {"check": True}


def test_in_colab_with_no_repository_the_cell_says_so(capsys, monkeypatch):
    with pytest.raises(RuntimeError, match="repository.url"):
        _run(colab_cell.cell_source("", "main"), capsys, colab=True, monkeypatch=monkeypatch)


def test_apply_inserts_the_cell_before_the_first_code_cell_once():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
                                               nbformat.v4.new_code_cell("import numpy as np")])
    assert colab_cell.apply(notebook, URL, BRANCH)
    assert [c.get("id") for c in notebook.cells][1] == colab_cell.CELL_ID
    assert notebook.cells[1].metadata["tags"] == ["remove-cell"] and notebook.cells[1].outputs == []
    assert not colab_cell.apply(notebook, URL, BRANCH)
    assert colab_cell.apply(notebook, "https://github.com/example/nn-book", BRANCH)  # a new address: updated
    assert sum(c.get("id") == colab_cell.CELL_ID for c in notebook.cells) == 1
    nbformat.validate(notebook)
