"""Sphinx extension: a figure made by ``nnmath.plots`` keeps its description as the page image's ``alt``.

The function that draws a static figure describes it (``nnmath.plots.describe``); the notebook's PNG then
carries the sentence in its ``Description`` text chunk (``nnmath.plots.ALT_KEY``). myst-nb writes each PNG
output to a file and makes an image node for it, with no ``alt`` (it reads alt text from cell metadata only,
not from an output's metadata), and Sphinx would then write the file's path as the ``alt``. After Sphinx has
collected the images of a document (``doctree-read``, after its own image collector), this reads the chunk of
every PNG the document shows and sets it as the node's ``alt``. An image that already has an ``alt`` keeps it.

The browser tests (``tests/browser/test_book.py``) check that every image of every page has a description that
is not a file name, so a figure drawn without :func:`nnmath.plots.describe` fails the tests, not silently the
reader.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from PIL import Image
from sphinx.application import Sphinx

ALT_KEY = "Description"  # nnmath.plots.ALT_KEY (the build does not import the package)


def png_description(path: Path) -> str | None:
    """The ``Description`` text chunk of the PNG at ``path``, or None (not a PNG, unreadable, no chunk)."""
    try:
        with Image.open(path) as image:
            if image.format != "PNG":
                return None
            text = image.text.get(ALT_KEY)
    except OSError:
        return None
    return " ".join(text.split()) if text and text.strip() else None


def add_alt_text(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: every image node without ``alt`` whose PNG carries a description gets it as ``alt``."""
    for node in doctree.findall(nodes.image):
        if node.get("alt"):
            continue
        uri = node.get("candidates", {}).get("*") or node.get("uri", "")
        if not uri.lower().endswith(".png") or "://" in uri:
            continue
        text = png_description(Path(app.srcdir, uri))
        if text:
            node["alt"] = text


def setup(app: Sphinx) -> dict:
    # After sphinx.environment.collectors.asset.ImageCollector (priority 500), which makes uris srcdir-relative.
    app.connect("doctree-read", add_alt_text, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
