"""The learner's path, once, in a real JupyterLab: open chapter 5, Run All, move the learning rate.

After Run All no cell shows an error, no raw MyST is visible, the solutions are collapsed and the learner's
exercise functions are still their own; dragging the learning-rate slider of the gradient-descent widget
with the mouse changes its figure. The figure is found generically (an <img> whose picture changes, or a
``.nnmath-figure`` whose ``data-frame`` goes up), so the test holds for any widget front end.
"""

from __future__ import annotations

import json

from lab_session import (
    CHAPTERS,
    error_outputs,
    figure_signature,
    find_slider,
    measure_drag,
    open_notebook,
    raw_myst,
    run_all,
    wait_markdown_rendered,
    watch_figure,
    widget_cell_output,
)

CHAPTER = "05_gradient_descent.ipynb"


def cell_index(source_part: str) -> int:
    cells = json.loads((CHAPTERS / CHAPTER).read_text(encoding="utf-8"))["cells"]
    return next(i for i, c in enumerate(cells) if c["cell_type"] == "code" and source_part in "".join(c["source"]))


def kernel_prints(page, code: str) -> str:
    """What ``code`` prints when run in the notebook's kernel, outside any cell (nothing is added to it)."""
    return page.evaluate(
        """async (code) => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            const future = kernel.requestExecute({code, store_history: false});
            let out = '';
            future.onIOPub = (msg) => {
                if (msg.header.msg_type === 'stream') out += msg.content.text;
                if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
            };
            await future.done;
            return out;
        }""", code)


def test_chapter_5_run_all_then_move_the_learning_rate(page, lab):
    open_notebook(page, lab, CHAPTER)
    run_all(page)
    wait_markdown_rendered(page)

    assert error_outputs(page) == [], "Run All showed errors"
    assert raw_myst(page) == [], "raw MyST visible after Run All"

    # every solution cell is collapsed, and the learner's exercise functions are not the solutions
    hidden = page.evaluate(
        """() => window.jupyterapp.shell.currentWidget.content.widgets
            .map((cell, i) => [i, cell.model.type, (cell.model.getMetadata('tags') || []).includes('hide-input'),
                               cell.inputHidden])""")
    solutions = [(i, shown) for i, kind, tagged, shown in hidden if kind == "code" and tagged]
    assert solutions and all(collapsed for _, collapsed in solutions), f"solution cells not collapsed: {solutions}"

    stubs_kept = kernel_prints(page, "print(all(f(*a) is None for f, a in [(gd_step, (np.ones(2), 0.1)), "
                                     "(max_stable_lr, (np.eye(2),)), "
                                     "(minibatch_gradient, (np.ones(2), np.ones(2), 0.0, 0.0))]))")
    assert stubs_kept.strip() == "True", f"Run All replaced the learner's exercise functions: {stubs_kept!r}"

    root = widget_cell_output(page, cell_index("widgets.DescentPlayground("))
    slider = find_slider(page, root, label="learning rate")
    watch_figure(page, root)
    before = figure_signature(page, root)
    timing = measure_drag(page, slider, 0.2)
    assert timing.frames > 0, "the figure did not change when the learning rate moved"
    assert figure_signature(page, root) != before
    assert error_outputs(page) == [], "moving the slider showed errors"
    assert not page.nnmath_log.external, f"requests off 127.0.0.1: {page.nnmath_log.external}"
    exceptions = [e for e in page.nnmath_log.errors if e.startswith("exception:")]
    assert not exceptions, f"uncaught exceptions in the page: {exceptions}"
