"""The drawing pad of chapter 9, live in a real JupyterLab: a stroke drawn with the mouse reaches the kernel.

A small notebook trains a network of the chapter's shape for one epoch on 2,000 images and shows a ``DigitLab``.
A stroke drawn with the mouse on its pad is sent to the kernel, which now holds exactly the strokes the page drew;
the verdict the page shows is the one ``nnmath`` computes there; switching to a test image shows its label. No error
in the notebook, no uncaught exception in the page, no request off 127.0.0.1.
"""

from __future__ import annotations

import json

import nbformat
from lab_session import LabServer, open_notebook, run_all, watch_page, widget_cell_output
from test_learner_path import kernel_prints

NOTEBOOK = "pad.ipynb"
SETUP = """\
from nnmath.analysis import Recipe
from nnmath.data import load_mnist_split, pixel_statistics, scale_pixels
from nnmath.widgets.digit_pad import SAMPLE, DigitLab

split = load_mnist_split()
mean, sd = pixel_statistics(split.X_train)
net, _ = Recipe(epochs=1).train(scale_pixels(split.X_train[:2000], mean, sd), split.y_train[:2000], seed=0)
lab = DigitLab(net, mean, sd, split.X_test, split.y_test)
lab"""


def _notebook() -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SETUP)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def _texts(page, root):
    return page.evaluate("(sel) => document.querySelector(sel + ' canvas').getAttribute('aria-label') || ''", root)


def test_a_stroke_drawn_in_jupyterlab_reaches_the_kernel(browser):
    with LabServer(extra_files={NOTEBOOK: _notebook()}, windowing="none") as lab:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})

        log = watch_page(page, lab.base_url)
        try:
            open_notebook(page, lab, NOTEBOOK)
            run_all(page)
            root = widget_cell_output(page, 0)
            page.wait_for_function("(sel) => (document.querySelector(sel + ' canvas').getAttribute('aria-label') "
                                   "|| '').includes('the network says')", arg=root, timeout=60_000)
            box = json.loads(kernel_prints(page, "import json; print(json.dumps(lab.spec()['pad']['box']))"))
            canvas = page.locator(f"{root} canvas").bounding_box()
            width = page.evaluate("(sel) => document.querySelector(sel + ' canvas').width", root)
            scale = canvas["width"] / width

            def at(x, y):  # ink pixels of the pad -> the page
                return (canvas["x"] + (box[0] + x * box[2] / 140) * scale,
                        canvas["y"] + (box[1] + y * box[3] / 140) * scale)

            before = _texts(page, root)
            page.mouse.move(*at(40, 30))
            page.mouse.down()
            for k in range(1, 25):
                page.mouse.move(*at(40 + 2.5 * k, 30 + 3.5 * k))
            page.mouse.up()
            page.wait_for_timeout(1500)  # the last request answered
            state = json.loads(kernel_prints(page, "import json; v = lab.values(); print(json.dumps("
                                                   "{'ink': v['ink'], 'verdict': lab.numbers(**v, net=lab.net)"
                                                   "['verdict']}))"))
            assert len(state["ink"]) == 1 and len(state["ink"][0]) >= 20, "the kernel did not get the stroke"
            shown = _texts(page, root)
            assert state["verdict"] in shown and shown != before, (state["verdict"], shown)

            page.locator(f"{root} select").select_option(label="a test image")
            page.wait_for_function("(sel) => (document.querySelector(sel + ' canvas').getAttribute('aria-label') "
                                   "|| '').includes('label ')", arg=root, timeout=30_000)
            assert not page.evaluate("(sel) => document.querySelector(sel + ' .nnmath-figure-error').textContent",
                                     root)
            assert not log.external, f"requests off 127.0.0.1: {log.external}"
            exceptions = [e for e in log.errors if e.startswith("exception:")]
            assert not exceptions, f"uncaught exceptions in the page: {exceptions}"
        finally:
            page.close()
            lab.shutdown_kernels()
