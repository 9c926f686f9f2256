"""Sphinx extension: the saved widgets of every chapter in the single-page build (`make pdf`).

MyST-NB adds the scripts a notebook page needs (each page's saved widget state, then require.js and the
widget manager from ``nb_ipywidgets_js``) per page, keyed by the page's name. The ``singlehtml`` builder
writes one page, the root document, with every chapter inlined, so only the root's scripts would be added and
no saved widget would render. For that builder this adds the scripts of every document instead: each
document's widget state (one ``<script type="application/vnd.jupyter.widget-state+json">`` per document; the
widget manager renders the views of each state it finds) and the shared scripts once, in their order.
The HTML builders are left alone.
"""

from __future__ import annotations

from sphinx.application import Sphinx

_STATE_KEY = "ipywidgets_state"


def _add_every_documents_scripts(app: Sphinx, pagename: str, templatename, context, doctree) -> None:
    if app.builder.name != "singlehtml" or pagename != app.config.root_doc:
        return
    documents = getattr(app.env, "nb_metadata", {})
    shared: dict[str, tuple] = {}
    for docname in sorted(documents):
        if docname == pagename:
            continue  # MyST-NB adds the root document's own scripts
        for key, (uri, kwargs) in documents[docname].get("js_files", {}).items():
            if key == _STATE_KEY:
                app.add_js_file(uri, **kwargs)
            else:
                shared.setdefault(key, (uri, kwargs))
    # "ipywidgets_0", "ipywidgets_1", ...: the order of nb_ipywidgets_js (setup, require.js, the manager).
    for key in sorted(shared, key=lambda k: (len(k), k)):
        uri, kwargs = shared[key]
        app.add_js_file(uri, **kwargs)


def setup(app: Sphinx) -> dict:
    # After sphinx.ext.mathjax's handler (priority 500): MathJax's configuration must come before the widgets.
    app.connect("html-page-context", _add_every_documents_scripts, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
