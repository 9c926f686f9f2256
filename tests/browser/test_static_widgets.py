"""The widgets that move with no kernel (nnmath.widgets.static), driven in the built book in Chromium.

For every such widget on a page: each control, moved, redraws the canvas (its pixels change) and its label
shows the new value; the page stays free of console errors and requests to other hosts (test_book.py checks
those for every page). The gradient-descent widget must show "diverged" for a learning rate above 2/L; the
optimizer race of chapter 7 must race Adam against momentum on Rosenbrock's valley and flag the run that diverges.
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
    "chapters/07_optimizers.html": 2,
}
STATIC_PAGES = {**{page: 1 for page in built_pages() if 'class="nnmath-static"' in (SITE / page).read_text(
    encoding="utf-8")}, **REQUIRED}
DESCENT_PAGE = "chapters/05_gradient_descent.html"
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


OPTIMIZERS_PAGE = "chapters/07_optimizers.html"

# In the optimizer race (the widget with an "optimizers" select): choose by their visible text the surface, the line-up
# and the way of setting learning rates, put the η control at position k (-1: the last), and report what it shows.
RACE_JS = """([surface, lineup, mode, k]) => {
    const root = Array.from(document.querySelectorAll('.nnmath-static'))
        .find(r => r.querySelector('select[aria-label="optimizers"]'));
    const choose = (label, text) => {
        const field = root.querySelector(`select[aria-label="${label}"]`);
        field.value = String(Array.from(field.options).findIndex(o => o.textContent === text));
        field.dispatchEvent(new Event('change', {bubbles: true}));
    };
    choose('surface', surface);
    choose('optimizers', lineup);
    choose('learning rates', mode);
    const eta = root.querySelector('input[aria-label="η"]');
    eta.value = String(k < 0 ? Number(eta.max) + 1 + k : k);
    eta.dispatchEvent(new Event('input', {bubbles: true}));
    return {label: root.querySelector(`output[data-control="${eta.dataset.control}"]`).textContent,
            texts: root.querySelector('canvas').getAttribute('aria-label') || ''};
}"""


def test_race_adam_against_momentum_on_rosenbrock(site, base_url, browser):
    """At their tuned rates both run the whole budget; at thirty times the tuned rates momentum diverges."""
    context, page, record = _open(browser, base_url, OPTIMIZERS_PAGE)
    try:
        tuned = page.evaluate(RACE_JS, ["Rosenbrock's valley", "momentum against Adam", "each its tuned η × a factor",
                                        6])
        far = page.evaluate(RACE_JS, ["Rosenbrock's valley", "momentum against Adam", "each its tuned η × a factor",
                                      -1])
    finally:
        context.close()
    assert tuned["label"] == "× 1 of each tuned η", tuned
    for expected in ("momentum (η = 0.001): 300 steps", "Adam (η = 0.562): 300 steps"):
        assert expected in tuned["texts"], tuned
    assert "diverged" not in tuned["texts"], tuned
    assert far["label"].startswith("× 31.6") and "momentum (η = 0.0316): diverged" in far["texts"], far
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors


def test_optimizer_chapter_stays_under_the_page_weight_budget(site):
    """The page and every image it loads: under 3 MB (the two kernel-free widgets carry their states inline)."""
    import re

    html = (SITE / OPTIMIZERS_PAGE).read_text(encoding="utf-8")
    images = {m for m in re.findall(r'<img[^>]+src="([^"]+)"', html) if not m.startswith("data:")}
    total = len(html.encode("utf-8")) + sum((SITE / "chapters" / src).resolve().stat().st_size for src in images)
    assert total < 3_000_000, f"{OPTIMIZERS_PAGE}: {total:,} bytes"
