"""The widgets that move with no kernel (nnmath.widgets.static), driven in the built book in Chromium.

For every such widget on a page: each control, moved, redraws the canvas (its pixels change) and its label
shows the new value; the page stays free of console errors and requests to other hosts (test_book.py checks
those for every page). The gradient-descent widget must show "diverged" for a learning rate above 2/L; the penalty
widget of chapter 8 must show more weights at exactly 0 as the L1 strength grows, and none under L2.
"""

from __future__ import annotations

import pytest
from book_site import SITE, built_pages
from test_book import LOAD_TIMEOUT_MS, PageRecord

#: Pages that must have kernel-free widgets, and how many at least; any other built page that has one is
#: tested too.
REQUIRED = {
    "chapters/03_activation_functions.html": 1,
    "chapters/04_loss_functions.html": 1,
    "chapters/05_gradient_descent.html": 1,
    "chapters/08_regularization.html": 2,
}
STATIC_PAGES = {**{page: 1 for page in built_pages() if 'class="nnmath-static"' in (SITE / page).read_text(
    encoding="utf-8")}, **REQUIRED}
DESCENT_PAGE = "chapters/05_gradient_descent.html"
REGULARIZATION_PAGE = "chapters/08_regularization.html"
ROOT = ".nnmath-static"

# Move control i of widget w to another position (the last, or the first if it is already there) the way a
# reader does, firing the input and change events; returns the new position.
MOVE_JS = """([w, i]) => {
    const root = document.querySelectorAll('.nnmath-static')[w];
    const field = root.querySelectorAll('[data-control]:not(output)')[i];
    if (field.type === 'checkbox') { field.click(); return String(field.checked); }
    const last = field.tagName === 'SELECT' ? field.options.length - 1 : Number(field.max);
    field.value = String(Number(field.value) === last ? 0 : last);
    field.dispatchEvent(new Event('input', {bubbles: true}));
    field.dispatchEvent(new Event('change', {bubbles: true}));
    return field.value;
}"""
SNAPSHOT_JS = """(w) => {
    const root = document.querySelectorAll('.nnmath-static')[w];
    return {pixels: root.querySelector('canvas').toDataURL(),
            labels: Array.from(root.querySelectorAll('[data-control]:not(output)')).map((field) => {
                const output = root.querySelector(`output[data-control="${field.dataset.control}"]`);
                return output ? output.textContent : field.selectedOptions[0].textContent;
            }),
            texts: root.querySelector('canvas').getAttribute('aria-label') || ''};
}"""


def _open(browser, base_url, page_path):
    record = PageRecord()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record.attach(context, page)
    page.goto(base_url + page_path, wait_until="load", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function(f"""() => {{
        const roots = document.querySelectorAll('{ROOT}');
        return roots.length > 0 && Array.from(roots).every(r => r.dataset.mounted === 'true');
    }}""", timeout=LOAD_TIMEOUT_MS)
    return context, page, record


@pytest.mark.parametrize("page_path", sorted(STATIC_PAGES), ids=lambda p: p.split("/")[-1].removesuffix(".html"))
def test_every_control_redraws(page_path, site, base_url, browser):
    context, page, record = _open(browser, base_url, page_path)
    try:
        count = page.locator(ROOT).count()
        assert count >= STATIC_PAGES[page_path], f"{page_path}: {count} kernel-free widgets"
        for w in range(count):
            controls = page.locator(ROOT).nth(w).locator("[data-control]:not(output)").count()
            assert controls, f"widget {w} has no controls"
            for i in range(controls):
                before = page.evaluate(SNAPSHOT_JS, w)
                page.evaluate(MOVE_JS, [w, i])
                after = page.evaluate(SNAPSHOT_JS, w)
                assert after["pixels"] != before["pixels"], f"widget {w}, control {i}: the canvas did not change"
                assert after["labels"][i] != before["labels"][i], (
                    f"widget {w}, control {i}: the label stayed {before['labels'][i]!r}")
    finally:
        context.close()
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors
    assert not record.external_requests, record.external_requests


# Set the gradient-descent widget's learning rate slider to position k (-1: the last) and report what it shows.
LEARNING_RATE_JS = """(k) => {
    const root = Array.from(document.querySelectorAll('.nnmath-static'))
        .find(r => r.querySelector('[aria-label^="learning rate"]'));
    const field = root.querySelector('input[aria-label^="learning rate"]');
    field.value = String(k < 0 ? Number(field.max) + 1 + k : k);
    field.dispatchEvent(new Event('input', {bubbles: true}));
    return {label: root.querySelector(`output[data-control="${field.dataset.control}"]`).textContent,
            texts: root.querySelector('canvas').getAttribute('aria-label') || ''};
}"""


def test_descent_diverges_above_two_over_L(site, base_url, browser):
    """Past 2/L the path leaves (the figure says "diverged"); well below it, it does not."""
    context, page, record = _open(browser, base_url, DESCENT_PAGE)
    try:
        high = page.evaluate(LEARNING_RATE_JS, -1)
        low = page.evaluate(LEARNING_RATE_JS, 0)
    finally:
        context.close()
    ratio = float(high["label"].split("=")[1].split("×")[0])
    assert ratio > 1 and "× 2/L" in high["label"], high
    assert "diverged" in high["texts"], high
    assert float(low["label"].split("=")[1].split("×")[0]) < 1 and "diverged" not in low["texts"], low
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors


# Choose a penalty of the chapter 8 penalty widget and move its strength slider to position k (-1: the last); report
# how many weights the figure says are exactly 0, and the canvas pixels.
PENALTY_JS = """([penalty, k]) => {
    const root = Array.from(document.querySelectorAll('.nnmath-static'))
        .find(r => r.querySelector('[aria-label="strength λ"]'));
    const select = root.querySelector('select[aria-label="penalty"]');
    select.value = String(Array.from(select.options).findIndex(o => o.textContent.startsWith(penalty)));
    select.dispatchEvent(new Event('change', {bubbles: true}));
    const field = root.querySelector('input[aria-label="strength λ"]');
    field.value = String(k < 0 ? Number(field.max) + 1 + k : k);
    field.dispatchEvent(new Event('input', {bubbles: true}));
    const texts = root.querySelector('canvas').getAttribute('aria-label') || '';
    const zeros = texts.match(/([\\d,]+) of 1,152 exactly 0/);
    return {zeros: zeros ? Number(zeros[1].replace(/,/g, '')) : null, texts: texts,
            pixels: root.querySelector('canvas').toDataURL(),
            label: root.querySelector(`output[data-control="${field.dataset.control}"]`).textContent};
}"""


def test_penalty_widget_zeros_grow_under_l1_only(site, base_url, browser):
    """Raising λ under L1 puts more weights at exactly 0 (all of them at the top), under L2 none; the picture moves."""
    context, page, record = _open(browser, base_url, REGULARIZATION_PAGE)
    try:
        l1 = [page.evaluate(PENALTY_JS, ["L1", k]) for k in range(7)]
        l2 = [page.evaluate(PENALTY_JS, ["L2", k]) for k in (0, -1)]
    finally:
        context.close()
    zeros = [state["zeros"] for state in l1]
    assert None not in zeros and zeros == sorted(zeros) and 0 < zeros[0] < zeros[-1] == 1152, zeros
    assert [state["zeros"] for state in l2] == [0, 0], l2
    assert len({state["pixels"] for state in l1}) >= 5  # the boundary and the histogram change with λ
    assert l1[0]["label"] != l1[-1]["label"]
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors
