"""Give every chapter notebook its first code cell for Google Colab (`make colab-cell`; a test checks it).

Colab opens a chapter straight from the book's public repository (the "Colab" launch button), in a fresh
runtime that has numpy and matplotlib but not ``nnmath``. So each notebook of _toc.yml starts its code with a
cell that, only when it runs in Colab, installs ``nnmath`` from that repository with pip. Anywhere else (a
local JupyterLab, Binder, nbval, the book build) the cell does nothing and prints nothing, so its stored output
is empty and the notebook does not need to be executed again after the cell is added. It is tagged
``remove-cell``: the HTML book and the PDF leave it out; the downloaded ``.ipynb`` keeps it.

The repository comes from one place, ``repository.url`` (and ``repository.branch``) in _config.yml, which also
turns the launch buttons on. When it is empty (no public address yet), the cell in Colab says so instead of
installing. Run this script again after changing that address, or after adding a chapter.

Usage: python tools/colab_cell.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from execute import toc_notebooks  # noqa: E402  (tools/ is not a package)

CELL_ID = "colab-install"
TAGS = ["remove-cell"]


def repository(config_path: Path = ROOT / "_config.yml") -> tuple[str, str]:
    """(url, branch) of the book's public repository from _config.yml (url "" when not set)."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    repo = config.get("repository") or {}
    return (repo.get("url") or "").strip().rstrip("/"), (repo.get("branch") or "main").strip()


def cell_source(url: str, branch: str) -> str:
    """The Colab cell's code for a repository at ``url`` (``""``: none yet)."""
    head = ("# In Google Colab, install nnmath (the package this book is built on) from the book's repository.\n"
            "# Anywhere else this cell does nothing.\n"
            "import sys\n\n"
            'if "google.colab" in sys.modules:\n')
    if not url:
        return head + ('    raise RuntimeError("This copy of the book names no public repository to install nnmath "\n'
                       '                       "from (repository.url in _config.yml).")')
    return head + ("    import subprocess\n\n"
                   f'    source = "nnmath @ git+{url}@{branch}"\n'
                   '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)')


def expected_cell(url: str, branch: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(cell_source(url, branch), metadata={"tags": list(TAGS)})
    cell.id = CELL_ID
    return cell


def _first_code_index(notebook: nbformat.NotebookNode) -> int | None:
    return next((i for i, c in enumerate(notebook.cells) if c.cell_type == "code"), None)


def problem(notebook: nbformat.NotebookNode, url: str, branch: str) -> str | None:
    """Why the notebook's first code cell is not the expected Colab cell (None if it is)."""
    index = _first_code_index(notebook)
    if index is None or notebook.cells[index].get("id") != CELL_ID:
        return "its first code cell is not the Colab cell"
    cell = notebook.cells[index]
    if cell.source != cell_source(url, branch):
        return "its Colab cell does not match repository.url / repository.branch in _config.yml"
    if cell.metadata.get("tags") != TAGS:
        return f"its Colab cell is not tagged {TAGS}"
    if cell.outputs:
        return "its Colab cell has stored outputs (it must print nothing outside Colab)"
    return None


def apply(notebook: nbformat.NotebookNode, url: str, branch: str) -> bool:
    """Insert or update the Colab cell in place, before the first code cell; True if the notebook changed."""
    if problem(notebook, url, branch) is None:
        return False
    notebook.cells = [c for c in notebook.cells if c.get("id") != CELL_ID]
    index = _first_code_index(notebook)
    notebook.cells.insert(len(notebook.cells) if index is None else index, expected_cell(url, branch))
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks without the right cell")
    args = parser.parse_args(argv)
    url, branch = repository()
    failures = 0
    for path in toc_notebooks():
        notebook = nbformat.read(path, as_version=4)
        name = path.relative_to(ROOT).as_posix()
        if args.check:
            reason = problem(notebook, url, branch)
            if reason:
                failures += 1
                print(f"{name}: {reason}")
        elif apply(notebook, url, branch):
            nbformat.validate(notebook)
            nbformat.write(notebook, path)
            print(f"{name}: Colab cell written")
    if failures:
        print("Run `make colab-cell` (python tools/colab_cell.py) to fix.", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
