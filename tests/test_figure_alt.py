"""Figures that say what they show: nnmath.plots.describe, the PNG it makes in a kernel, and the book's extension.

The browser tests check the end of the chain (every image of every page has a description as its alt text); these
check each link: the description is attached and validated, an IPython kernel's PNG carries it (pixels unchanged),
``_ext/figure_alt.py`` reads it back into the image node, and every function of ``nnmath.plots`` that makes a
static figure describes it.
"""

from __future__ import annotations

import ast
import base64
import io
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

from nnmath import plots

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
import figure_alt  # noqa: E402  (the book's Sphinx extension)


def test_describe_attaches_a_normalised_description():
    fig, ax = plots.static_figure()
    ax.plot([0, 1], [0, 1])
    assert plots.description(fig) is None
    assert plots.describe(fig, "  a straight line\n   from (0, 0) to (1, 1) ") is fig
    assert plots.description(fig) == "a straight line from (0, 0) to (1, 1)"
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("text", ["", "   ", None, 3])
def test_describe_refuses_an_empty_description(text):
    fig, _ = plots.static_figure()
    with pytest.raises((ValueError, TypeError), match="description"):
        plots.describe(fig, text)
    matplotlib.pyplot.close(fig)


def test_describe_needs_a_figure():
    with pytest.raises(TypeError, match="matplotlib Figure"):
        plots.describe("fig", "a figure")


def test_a_kernel_png_carries_the_description_and_the_same_pixels():
    """In IPython, a described figure's PNG has a Description chunk and its output an ``alt``; nothing else moves."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})  # what the inline backend registers in a notebook kernel
        fig, ax = plots.static_figure()
        ax.plot([0, 1], [1, 0])
        plain_data, _ = shell.display_formatter.format(fig)
        plots.describe(fig, "a line falling from (0, 1) to (1, 0), σ′ and all")
        data, metadata = shell.display_formatter.format(fig)
    finally:
        InteractiveShell.clear_instance()
    assert metadata == {"image/png": {"alt": "a line falling from (0, 1) to (1, 0), σ′ and all"}}
    described = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    plain = Image.open(io.BytesIO(base64.b64decode(plain_data["image/png"])))
    assert described.text[plots.ALT_KEY] == "a line falling from (0, 1) to (1, 0), σ′ and all"
    assert plots.ALT_KEY not in plain.text
    assert np.array_equal(np.asarray(described), np.asarray(plain))
    matplotlib.pyplot.close(fig)


def test_the_extension_reads_the_description_back(tmp_path):
    from docutils import nodes
    from docutils.utils import new_document

    fig, ax = plots.static_figure()
    ax.plot([0, 1], [0, 1])
    fig.savefig(tmp_path / "described.png", metadata={figure_alt.ALT_KEY: "a rising   line"})
    fig.savefig(tmp_path / "plain.png")
    matplotlib.pyplot.close(fig)
    (tmp_path / "not-a-png.png").write_text("no image here")
    assert figure_alt.ALT_KEY == plots.ALT_KEY

    document = new_document("test")
    images = {name: nodes.image(uri=f"{name}.png") for name in ("described", "plain", "not-a-png")}
    images["kept"] = nodes.image(uri="described.png", alt="written by hand")
    for image in images.values():
        document += image

    class App:
        srcdir = str(tmp_path)

    figure_alt.add_alt_text(App(), document)
    assert images["described"]["alt"] == "a rising line"
    assert "alt" not in images["plain"]
    assert "alt" not in images["not-a-png"]
    assert images["kept"]["alt"] == "written by hand"


def _makes_a_figure(function: ast.FunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "static_figure" or (name == "figure" and getattr(node.func, "value", None) is not None
                                           and getattr(node.func.value, "id", None) == "plt"):
                return True
    return False


def _describes(function: ast.FunctionDef) -> bool:
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", None) == "describe"
               for node in ast.walk(function))


def test_every_static_figure_of_the_package_is_described():
    """A function of nnmath.plots that makes a pyplot figure (shown below a cell, so in the book) describes it."""
    silent = []
    for path in sorted((ROOT / "nnmath" / "plots").glob("*.py")):
        if path.name == "_style.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and _makes_a_figure(node) and not _describes(node):
                silent.append(f"{path.name}:{node.name}")
    assert not silent, f"figures without a description (nnmath.plots.describe): {silent}"
