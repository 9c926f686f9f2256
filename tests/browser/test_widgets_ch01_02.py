"""The kernel-free widgets of chapters 1 and 2, driven in Chromium beyond what every widget is tested for.

The linear map's "try" menu moves the four sliders in the page as it does in a notebook (``adjust`` evaluated in
the page), and a slider moved away from a preset makes the matrix "your own"; the page formats numbers as
Python does, exact ties included (``0.125`` to two decimals is ``0.12``), since the page-mode widgets print
determinants and coordinates that can be exact ties.
"""

from __future__ import annotations

import pytest
from test_book import LOAD_TIMEOUT_MS, PageRecord

from nnmath.widgets.controls import format_value
from nnmath.widgets.linear_map import CUSTOM, PRESETS

PAGE = "chapters/02_linear_algebra.html"
ROOT = ".nnmath-figure[data-static]"


def _open(browser, base_url, page_path):
    """The page, once every kernel-free widget on it is mounted (as test_static_widgets.py opens it)."""
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

# Choose option `option` of the linear map's menu, or move slider `label` to `value`; report the controls.
LINEAR_MAP_JS = """async ([option, label, value]) => {
    const root = document.querySelector('__ROOT__[data-widget="LinearMapPlayground"]');
    const frame = Number(root.dataset.frame);
    const field = option !== null ? root.querySelector('select[data-control]')
                                  : root.querySelector(`input[aria-label="${label}"]`);
    if (option !== null) field.value = String(Array.from(field.options).findIndex((o) => o.text === option));
    else field.value = String(value);
    field.dispatchEvent(new Event('input', {bubbles: true}));
    while (Number(root.dataset.frame) === frame) await new Promise(requestAnimationFrame);
    const select = root.querySelector('select[data-control]');
    const sliders = Array.from(root.querySelectorAll('input[type=range]'));
    return {preset: select.selectedOptions[0].textContent, values: sliders.map((s) => Number(s.value)),
            texts: root.querySelector('canvas').getAttribute('aria-label') || ''};
}""".replace("__ROOT__", ROOT)


def test_the_preset_menu_moves_the_sliders_in_the_page(site, base_url, browser):
    context, page, record = _open(browser, base_url, PAGE)
    try:
        shown = {name: page.evaluate(LINEAR_MAP_JS, [name, None, None]) for name in PRESETS}
        moved = page.evaluate(LINEAR_MAP_JS, [None, "w₂₂", -1.0])
    finally:
        context.close()
    for name, rows in PRESETS.items():
        assert shown[name]["preset"] == name
        assert shown[name]["values"] == [v for row in rows for v in row], name
    assert "det W = +0.00" in shown["singular (det 0)"]["texts"] and "collapses" in shown["singular (det 0)"]["texts"]
    assert moved["preset"] == CUSTOM and moved["values"][3] == -1.0
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors


VALUES = [0.125, -0.125, 0.375, 2.5, 3.5, -0.5, 0.005, 1.005, 1e-7, 123456.789, -0.0, 0.0, 1.96, 0.45, 2.675]
FORMATS = [".2f", ".1f", ".0f", ".3g", ".2g", "d"]


def test_the_page_formats_numbers_as_python(site, base_url, browser):
    context, page, record = _open(browser, base_url, PAGE)
    try:
        page_text = page.evaluate("""([values, formats]) => values.map(
            (v) => formats.map((f) => globalThis.nnmathFigure.format(v, f)))""", [VALUES, FORMATS])
    finally:
        context.close()
    for value, texts in zip(VALUES, page_text):
        for fmt, text in zip(FORMATS, texts):
            assert text == format_value(value, fmt), f"{value!r} with {fmt!r}"


@pytest.fixture(autouse=True)
def _needs_the_page(site):
    if not (site / PAGE).is_file():
        pytest.fail(f"{PAGE} is not built", pytrace=False)
