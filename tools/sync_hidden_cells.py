"""Collapse in JupyterLab the cells that the HTML book hides.

Jupyter Book hides a code cell's input when the cell is tagged ``hide-input`` (the exercise solutions), its
output for ``hide-output`` and both for ``hide-cell``; JupyterLab ignores those tags and reads
``metadata.jupyter.source_hidden`` / ``outputs_hidden`` instead. This script sets those two flags on every
code cell of the chapters from its tags, so that a learner in ``make lab`` meets the same collapsed cells as
a reader of the book (a click on the collapsed bar opens one). It edits cell metadata only: sources, outputs
and execution counts stay as stored, so nbval and the build cache are unaffected.

    .venv/bin/python tools/sync_hidden_cells.py            # fix the notebooks in place
    .venv/bin/python tools/sync_hidden_cells.py --check    # only report (exit status 1 if any is off)

tests/test_notebook_cells.py fails when a notebook is out of step.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

# tag → the JupyterLab flags it implies
HIDDEN_BY_TAG = {
    "hide-input": {"source_hidden": True},
    "hide-output": {"outputs_hidden": True},
    "hide-cell": {"source_hidden": True, "outputs_hidden": True},
}
FLAGS = ("source_hidden", "outputs_hidden")


def expected_flags(cell: dict) -> dict:
    """The ``metadata.jupyter`` collapse flags that a cell's tags call for (only the True ones)."""
    flags = {}
    if cell.get("cell_type") != "code":
        return flags
    for tag in cell.get("metadata", {}).get("tags", []):
        flags.update(HIDDEN_BY_TAG.get(tag, {}))
    return flags


def sync_cell(cell: dict) -> bool:
    """Set the cell's collapse flags from its tags; True when something changed."""
    if cell.get("cell_type") != "code":
        return False
    metadata = cell.setdefault("metadata", {})
    current = dict(metadata.get("jupyter", {}))
    wanted = {k: v for k, v in current.items() if k not in FLAGS}
    wanted.update(expected_flags(cell))
    if wanted == current:
        return False
    if wanted:
        metadata["jupyter"] = wanted
    else:
        metadata.pop("jupyter", None)
    return True


def dumps(notebook: dict) -> str:
    """The notebook as nbformat writes it (sorted keys, one-space indent, UTF-8 kept, final newline)."""
    return json.dumps(notebook, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def out_of_step(path: Path) -> list[int]:
    """Indices of the code cells whose collapse flags do not match their tags."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [i for i, cell in enumerate(notebook["cells"]) if sync_cell(cell)]


def sync(path: Path) -> list[int]:
    """Fix a notebook in place; returns the indices of the cells changed."""
    text = path.read_text(encoding="utf-8")
    notebook = json.loads(text)
    changed = [i for i, cell in enumerate(notebook["cells"]) if sync_cell(cell)]
    if changed:
        path.write_text(dumps(notebook), encoding="utf-8")
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: chapters/*.ipynb")
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if a notebook is out of step")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(CHAPTERS.glob("*.ipynb"))
    bad = 0
    for path in paths:
        cells = out_of_step(path) if args.check else sync(path)
        if cells:
            bad += 1
            verb = "out of step" if args.check else "updated"
            print(f"{path}: {verb}: cells {', '.join(map(str, cells))}")
    return 1 if (args.check and bad) else 0


if __name__ == "__main__":
    sys.exit(main())
