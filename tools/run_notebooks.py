"""Execute chapter notebooks in place, the way they are committed.

    .venv/bin/python tools/run_notebooks.py chapters/05_gradient_descent.ipynb [more.ipynb ...]

Each notebook runs top to bottom in its own folder, without ``NNMATH_STATIC_HTML`` (the committed notebooks keep
the live view of every widget and no kernel-free HTML; the book's build makes that), with one BLAS thread unless
the environment says otherwise, as ``make`` runs them (on a busy 2-core machine OpenBLAS's own threads make the
book's small matrix products several times slower). Afterwards:

- the saved widget state is dropped: it would only show a frozen figure whose controls move nothing until the
  chapter runs, and carry its pictures (rendered pixels) in the repository; the book's build never uses it;
- the solution cells are collapsed for JupyterLab (``tools/sync_hidden_cells.py``).

tests/test_notebooks.py fails when a committed notebook keeps a widget state.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path) -> float:
    """Execute one notebook in place and tidy it; the seconds it took."""
    env = {k: v for k, v in os.environ.items() if k != "NNMATH_STATIC_HTML"}
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):  # one BLAS thread, as the Makefile runs notebooks
        env.setdefault(name, "1")
    start = time.perf_counter()
    command = [sys.executable, "-m", "jupyter", "execute", "--inplace", "--NotebookClient.store_widget_state=False"]
    subprocess.run([*command, str(path)], check=True, env=env, cwd=path.parent, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return seconds


def main(paths: list[str]) -> None:
    if not paths:
        sys.exit(__doc__)
    for name in paths:
        path = Path(name).resolve()
        print(f"{path.relative_to(ROOT)}: {run(path):.1f} s")
    subprocess.run([sys.executable, str(ROOT / "tools" / "sync_hidden_cells.py")], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
