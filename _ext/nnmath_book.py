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

The notebooks as committed also carry the saved state of their live views (the anywidget models of
``nnmath.widgets.FigureView``, in the notebook's ``widgets`` metadata). The build's own run of a notebook makes no
live view, and jupyter-cache keeps the committed ``widgets`` metadata when the executed copy has none, so that
state would reach the page, where the widget manager would fetch anywidget from a CDN for views the page never
shows. The build drops those models (and what only they use) from each page's saved widget state, and the
widget manager's scripts with it when nothing is left.
"""

from __future__ import annotations

import json
import os

from sphinx.application import Sphinx

VARIABLE = "NNMATH_STATIC_HTML"


def drop_live_views(app: Sphinx, doctree) -> None:
    """Remove the saved state of nnmath's live views from the page being read (see the module docstring)."""
    from myst_nb.core.render import sanitize_script_content
    from myst_nb.sphinx_ import NbMetadataCollector

    js_files = NbMetadataCollector.get_js_files(app.env, app.env.docname)
    if "ipywidgets_state" not in js_files:
        return
    uri, attributes = js_files["ipywidgets_state"]
    saved = json.loads(attributes["body"])
    models = saved.get("state", {})
    live = {key for key, model in models.items()
            if str(model.get("state", {}).get("_anywidget_id", "")).startswith("nnmath.")}
    used_by_live = {ref[len("IPY_MODEL_"):] for key in live for ref in _references(models[key].get("state", {}))}
    used_by_others = {ref[len("IPY_MODEL_"):] for key, model in models.items() if key not in live | used_by_live
                      for ref in _references(model.get("state", {}))}
    for key in live | (used_by_live - used_by_others):
        models.pop(key, None)
    if models:
        js_files["ipywidgets_state"] = (uri, {**attributes, "body": sanitize_script_content(json.dumps(saved))})
    else:  # no widget left on the page: no widget manager either
        for key in [key for key in js_files if key.startswith("ipywidgets_")]:
            del js_files[key]


def _references(value) -> list:
    """The ``IPY_MODEL_<id>`` references inside a widget model's state."""
    if isinstance(value, str):
        return [value] if value.startswith("IPY_MODEL_") else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [ref for item in value for ref in _references(item)]
    return []


def setup(app: Sphinx) -> dict:
    os.environ[VARIABLE] = "1"
    app.connect("doctree-read", drop_live_views)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
