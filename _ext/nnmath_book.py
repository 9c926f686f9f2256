"""Sphinx extension: the book's build turns on the kernel-free widgets.

Widgets of ``nnmath`` offer a ``text/html`` version that moves with no kernel (precomputed states drawn by a
small script; see ``nnmath.widgets.static``) only when the environment variable ``NNMATH_STATIC_HTML`` is
``1`` (``nnmath.widgets.static_html_enabled``). Setting it here, before any notebook is executed, gives every
build of the book — ``make book`` or a plain ``jupyter-book build .`` — the same pages, and keeps it off
everywhere else: in JupyterLab, under nbval and in the notebooks as committed, which store only the live view.
The notebook kernels the build starts inherit this process's environment; ``tools/execute.py``, which
executes the notebooks in parallel before Sphinx starts (`make book`), calls :func:`set_build_environment` too.

The executed notebooks are cached in ``_build/.jupyter_cache`` keyed by their code, so a notebook executed
without the variable (by an older build) would be served without its static widgets: the cache lives under
``_build/`` only, where nothing but the book's build writes.

A notebook executed in place (``jupyter execute --inplace``) also stores the state of its live views in its
metadata (``widgets``). The pages never show a live view, and myst-nb would embed that state and the ipywidgets
manager, which then asks a CDN for the views' JavaScript: :func:`drop_saved_widget_state` leaves it out of the
build's copy of each notebook.
"""

from __future__ import annotations

import json
import os

from sphinx.application import Sphinx

VARIABLE = "NNMATH_STATIC_HTML"


def set_build_environment(environ=os.environ) -> None:
    """Put what the book's notebooks need when the book executes them into ``environ``."""
    environ[VARIABLE] = "1"


def drop_saved_widget_state(app: Sphinx, docname: str, source: list) -> None:
    """Sphinx's ``source-read``: a notebook is read without its saved widget state (see the module docstring)."""
    if not app.env.doc2path(docname).endswith(".ipynb"):
        return
    notebook = json.loads(source[0])
    if notebook.get("metadata", {}).pop("widgets", None) is not None:
        source[0] = json.dumps(notebook, ensure_ascii=False)


def setup(app: Sphinx) -> dict:
    set_build_environment()
    app.connect("source-read", drop_saved_widget_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
