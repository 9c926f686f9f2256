"""Sphinx extension: the book's build turns on the kernel-free widgets.

Widgets of ``nnmath`` offer a ``text/html`` version that moves with no kernel (precomputed states drawn by a
small script; see ``nnmath.widgets.static``) only when the environment variable ``NNMATH_STATIC_HTML`` is
``1`` (``nnmath.widgets.static_html_enabled``). Setting it here, before any notebook is executed, gives every
build of the book — ``make book`` or a plain ``jupyter-book build .`` — the same pages, and keeps it off
everywhere else: in JupyterLab, under nbval and in the notebooks as committed, which store only the live view.
The notebook kernels the build starts inherit this process's environment.

The executed notebooks are cached in ``_build/.jupyter_cache`` keyed by their code, so a notebook executed
without the variable (by an older build) would be served without its static widgets: the cache lives under
``_build/`` only, where nothing but the book's build writes.
"""

from __future__ import annotations

import os

from sphinx.application import Sphinx

VARIABLE = "NNMATH_STATIC_HTML"


def setup(app: Sphinx) -> dict:
    os.environ[VARIABLE] = "1"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
