"""Sphinx extension: include each inline <script> once (backport of sphinx-doc/sphinx#13402).

Sphinx < 8.2.2 registers an inline script added after ``Builder.init()`` twice: ``Sphinx.add_js_file(None,
body=...)`` hands the builder a script whose filename is ``None``, and ``prepare_writing`` re-adds the
registry's copy with the filename ``''``. ``None != ''`` defeats the builder's duplicate check, so the
script is emitted twice. With sphinx-thebe that breaks every page with "Uncaught SyntaxError: Identifier
'THEBE_JS_URL' has already been declared" (a top-level ``const`` declared twice). The fix upstream
normalises ``None`` to ``''`` before the builder sees it; this does the same. Jupyter Book 1 pins
myst-parser 3, which pins Sphinx < 8, so the upstream fix cannot be installed.
"""

from __future__ import annotations

import sphinx
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

_original_add_js_file = StandaloneHTMLBuilder.add_js_file


def _add_js_file(self: StandaloneHTMLBuilder, filename, **kwargs) -> None:
    _original_add_js_file(self, filename or "", **kwargs)


def setup(app: Sphinx) -> dict:
    if sphinx.version_info < (8, 2, 2) and StandaloneHTMLBuilder.add_js_file is _original_add_js_file:
        StandaloneHTMLBuilder.add_js_file = _add_js_file
    return {"parallel_read_safe": True, "parallel_write_safe": True}
