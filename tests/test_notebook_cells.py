"""The chapters' cells as a learner meets them in JupyterLab (no kernel: the notebooks are read as JSON).

- Every cell the HTML book hides (``hide-input``, ``hide-output``, ``hide-cell``) is collapsed in JupyterLab
  too (``metadata.jupyter.source_hidden`` / ``outputs_hidden``; ``tools/sync_hidden_cells.py`` sets them).
- An exercise is a visible cell that defines the learner's function and calls ``check("key", function)``;
  its solution is a hidden cell further down that checks the same key. "Run All" runs both, so a solution
  must define its function under another name (``<name>_solution``): the learner's function stays theirs,
  their check has already run on it, and no other cell depends on what the learner wrote.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
HIDDEN_TAGS = {"hide-input", "hide-cell"}


def _load_tool():
    spec = importlib.util.spec_from_file_location("sync_hidden_cells", ROOT / "tools" / "sync_hidden_cells.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sync_hidden_cells = _load_tool()


@dataclass
class Cell:
    index: int
    source: str
    tags: set
    tree: ast.Module
    checks: list = field(default_factory=list)  # (exercise key, name of the function checked)

    @property
    def hidden(self) -> bool:
        return bool(self.tags & HIDDEN_TAGS)

    def defined(self) -> set:
        """Names bound at the top level of the cell (functions, classes, assignments, imports)."""
        names = set()
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            else:
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                        names.add(sub.id)
        return names

    def used(self) -> set:
        return {n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def code_cells(path: Path) -> list[Cell]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for i, raw in enumerate(notebook["cells"]):
        if raw["cell_type"] != "code":
            continue
        source = "".join(raw["source"])
        cell = Cell(i, source, set(raw["metadata"].get("tags", [])), ast.parse(source))
        for node in cell.tree.body:
            call = node.value if isinstance(node, ast.Expr) else None
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "check"
                    and len(call.args) >= 2 and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[1], ast.Name)):
                cell.checks.append((call.args[0].value, call.args[1].id))
        cells.append(cell)
    return cells


def exercises(cells: list[Cell]) -> dict:
    """Exercise key → (the learner's cell, the name of the learner's function)."""
    found = {}
    for cell in cells:
        if cell.hidden:
            continue
        for key, name in cell.checks:
            if name in cell.defined():
                found.setdefault(key, (cell, name))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_hidden_cells_are_collapsed_in_jupyterlab(path):
    assert sync_hidden_cells.out_of_step(path) == [], (
        f"{path.name}: cells tagged hide-input/hide-output/hide-cell lack the matching "
        "metadata.jupyter.source_hidden/outputs_hidden; run `.venv/bin/python tools/sync_hidden_cells.py`")


def test_sync_hidden_cells_sets_and_clears_the_flags():
    cell = {"cell_type": "code", "metadata": {"tags": ["hide-input"]}, "source": [], "outputs": []}
    assert sync_hidden_cells.sync_cell(cell) and cell["metadata"]["jupyter"] == {"source_hidden": True}
    assert not sync_hidden_cells.sync_cell(cell)  # idempotent
    cell["metadata"]["tags"] = ["hide-cell"]
    sync_hidden_cells.sync_cell(cell)
    assert cell["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    cell["metadata"]["tags"] = []
    sync_hidden_cells.sync_cell(cell)
    assert "jupyter" not in cell["metadata"]
    markdown = {"cell_type": "markdown", "metadata": {"tags": ["hide-input"]}, "source": []}
    assert not sync_hidden_cells.sync_cell(markdown)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_solution_follows_its_exercise(path):
    cells = code_cells(path)
    learner = exercises(cells)
    for cell in cells:
        if not cell.hidden:
            continue
        for key, _ in cell.checks:
            assert key in learner, f"{path.name} cell {cell.index}: a solution of {key!r} with no exercise cell"
            assert learner[key][0].index < cell.index, (
                f"{path.name} cell {cell.index}: the solution of {key!r} comes before the learner's check")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_run_all_leaves_the_learners_functions_alone(path):
    """No hidden cell rebinds the learner's function, and no cell but the learner's own uses it."""
    cells = code_cells(path)
    learner = exercises(cells)
    names = {name: cell.index for cell, name in learner.values()}
    learner_cells = {cell.index for cell, _ in learner.values()}
    for cell in cells:
        rebound = {n for n in cell.defined() & set(names) if names[n] < cell.index}
        if cell.index not in learner_cells:
            assert not rebound, (f"{path.name} cell {cell.index} redefines the learner's {sorted(rebound)}: "
                                 "after Run All the learner's name would hold it; use <name>_solution")
            used = {n for n in cell.used() & set(names) if names[n] < cell.index}
            assert not used, (f"{path.name} cell {cell.index} uses the learner's {sorted(used)}: it would fail "
                              "or mislead while the exercise is unsolved; use the solution's name")


def test_the_book_has_exercises_with_hidden_solutions():
    total = sum(len(exercises(code_cells(p))) for p in NOTEBOOKS)
    solutions = sum(1 for p in NOTEBOOKS for c in code_cells(p) if c.hidden and c.checks)
    assert total >= 3 * len(NOTEBOOKS) and solutions == total


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_role_spans_a_line_break(path):
    """A MyST role such as {ref}`title <label>` broken across two lines renders in the book but not in JupyterLab,
    where jupyterlab-myst shows it as an unresolved reference."""
    import re

    notebook = json.loads(path.read_text(encoding="utf-8"))
    broken = [(i, m.group(0)) for i, raw in enumerate(notebook["cells"]) if raw["cell_type"] == "markdown"
              for m in re.finditer(r"\{[a-z:]+\}`[^`]*\n[^`]*`", "".join(raw["source"]))]
    assert broken == [], f"{path.name}: roles broken across lines (cell, role): {broken}"
