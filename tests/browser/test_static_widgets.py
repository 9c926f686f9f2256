"""Every widget of the built book moves with no kernel, driven in Chromium (nnmath.widgets.static).

For every widget on every page (``.nnmath-figure[data-static]``): each control, moved from the widget's first
state (and put back before the next one: a control may rightly change nothing in another's extreme, such as the
shuffle seed of a full batch), redraws the canvas (its pixels change) and its label shows the new value, and the
page stays free of console errors and of requests to other hosts (test_book.py checks those for every page, and
that no page is left with an ipywidgets control that needs a kernel). For every widget that evaluates its
equation in the page (``data-static="page"``), the numbers the page draws are held to ``nnmath``: at many
positions of the controls, the page's equation and the widget's ``numbers()`` agree to a relative error of 1e-9.
The gradient-descent widgets must show "diverged" for a learning rate above 2/μ_max (the one-variable one's start
slider must follow the function); the optimizer race of chapter 7 must
race Adam against momentum on Rosenbrock's valley and show "diverged" for the run that leaves; the penalty widget of
chapter 8 must show more weights at exactly 0 as the L1 strength grows, and none under L2. How long each redraw took
in the page is written to ``_build/widget-timings.json`` (``benchmarks/bench_static_widgets.py`` reports it).
"""

from __future__ import annotations

import json
import statistics

import numpy as np
import pytest
from book_site import SITE, built_pages
from test_book import LOAD_TIMEOUT_MS, PageRecord

from nnmath import widgets
from nnmath.widgets.controls import Choice, Slider, Toggle

ROOT = ".nnmath-figure[data-static]"
#: Pages that must have kernel-free widgets, and how many at least; any other page that has one is tested too.
REQUIRED = {
    "chapters/01_neurons_and_layers.html": 1,
    "chapters/02_linear_algebra.html": 1,
    "chapters/03_activation_functions.html": 1,
    "chapters/05_gradient_descent.html": 3,
    "chapters/06_backpropagation.html": 2,
    "chapters/07_optimizers.html": 2,
    "chapters/08_regularization.html": 2,
}
STATIC_PAGES = {**{page: 1 for page in built_pages() if 'class="nnmath-figure"' in (SITE / page).read_text(
    encoding="utf-8")}, **REQUIRED}
DESCENT_PAGE = "chapters/05_gradient_descent.html"
REGULARIZATION_PAGE = "chapters/08_regularization.html"
TIMINGS = SITE.parent / "widget-timings.json"
PARITY_POSITIONS = 60

# Move control i of widget w to another position (the last, or the first if it is already there) the way a
# reader does, firing the input and change events; wait for the redraw; report it.
MOVE_JS = """async ([w, i]) => {
    const root = document.querySelectorAll('__ROOT__')[w];
    const field = root.querySelectorAll('[data-control]:not(output)')[i];
    const frame = Number(root.dataset.frame);
    const t0 = performance.now();
    if (field.type === 'checkbox') field.click();
    else {
        const last = field.tagName === 'SELECT' ? field.options.length - 1 : Number(field.max);
        const first = field.tagName === 'SELECT' ? 0 : Number(field.min);
        field.value = String(Number(field.value) === last ? first : last);
        field.dispatchEvent(new Event('input', {bubbles: true}));
        field.dispatchEvent(new Event('change', {bubbles: true}));
    }
    while (Number(root.dataset.frame) === frame) await new Promise(requestAnimationFrame);
    return performance.now() - t0;
}""".replace("__ROOT__", ROOT)
# Put control i of widget w back to a position read by POSITION_JS, the same way; wait for the redraw.
POSITION_JS = """([w, i]) => {
    const field = document.querySelectorAll('__ROOT__')[w].querySelectorAll('[data-control]:not(output)')[i];
    return field.type === 'checkbox' ? field.checked : field.value;
}""".replace("__ROOT__", ROOT)
RESTORE_JS = """async ([w, i, position]) => {
    const root = document.querySelectorAll('__ROOT__')[w];
    const field = root.querySelectorAll('[data-control]:not(output)')[i];
    const frame = Number(root.dataset.frame);
    if (field.type === 'checkbox') field.click();
    else {
        field.value = position;
        field.dispatchEvent(new Event('input', {bubbles: true}));
    }
    while (Number(root.dataset.frame) === frame) await new Promise(requestAnimationFrame);
}""".replace("__ROOT__", ROOT)
SNAPSHOT_JS = """(w) => {
    const root = document.querySelectorAll('__ROOT__')[w];
    return {pixels: root.querySelector('canvas').toDataURL(),
            labels: Array.from(root.querySelectorAll('[data-control]:not(output)')).map((field) => {
                const output = root.querySelector(`output[data-control="${field.dataset.control}"]`);
                return output ? output.textContent : field.selectedOptions[0].textContent;
            }),
            texts: root.querySelector('canvas').getAttribute('aria-label') || '',
            error: root.querySelector('.nnmath-figure-error').textContent};
}""".replace("__ROOT__", ROOT)


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


def _save_timing(page_path, w, times):
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    timings[f"{page_path}#{w}"] = times
    TIMINGS.write_text(json.dumps(timings, indent=1))


@pytest.mark.parametrize("page_path", sorted(STATIC_PAGES), ids=lambda p: p.split("/")[-1].removesuffix(".html"))
def test_every_control_redraws(page_path, site, base_url, browser):
    context, page, record = _open(browser, base_url, page_path)
    try:
        count = page.locator(ROOT).count()
        assert count >= STATIC_PAGES[page_path], f"{page_path}: {count} kernel-free widgets"
        for w in range(count):
            controls = page.locator(ROOT).nth(w).locator("[data-control]:not(output)").count()
            assert controls, f"widget {w} has no controls"
            times = []
            for i in range(controls):  # each control moved from the widget's first state, then put back
                enabled_by = _enable(page, w, i, controls)
                before = page.evaluate(SNAPSHOT_JS, w)
                position = page.evaluate(POSITION_JS, [w, i])
                times.append(page.evaluate(MOVE_JS, [w, i]))
                after = page.evaluate(SNAPSHOT_JS, w)
                assert not after["error"], f"widget {w}, control {i}: {after['error']}"
                assert after["pixels"] != before["pixels"], f"widget {w}, control {i}: the canvas did not change"
                assert after["labels"][i] != before["labels"][i], (
                    f"widget {w}, control {i}: the label stayed {before['labels'][i]!r}")
                page.evaluate(RESTORE_JS, [w, i, position])
                if enabled_by is not None:
                    page.evaluate(RESTORE_JS, [w, *enabled_by])
            _save_timing(page_path, w, times)
    finally:
        context.close()
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors
    assert not record.external_requests, record.external_requests


DISABLED_JS = """([w, i]) => document.querySelectorAll('__ROOT__')[w]
    .querySelectorAll('[data-control]:not(output)')[i].disabled""".replace("__ROOT__", ROOT)


def _enable(page, w, i, controls):
    """A control greyed out in the first state (it would change nothing there) must come alive when another
    control moves: find that move and make it; returns ``(j, j's old position)`` to undo it, or None."""
    if not page.evaluate(DISABLED_JS, [w, i]):
        return None
    for j in range(controls):
        if j == i or page.evaluate(DISABLED_JS, [w, j]):
            continue
        position = page.evaluate(POSITION_JS, [w, j])
        page.evaluate(MOVE_JS, [w, j])
        if not page.evaluate(DISABLED_JS, [w, i]):
            return j, position
        page.evaluate(RESTORE_JS, [w, j, position])
    raise AssertionError(f"widget {w}, control {i} is greyed out whatever one other control does")


# --- the page's equations are nnmath's --------------------------------------------------------------------------

def _positions(pg, n, seed=0):
    """``n`` positions of every control, drawn from the values the page's controls can take."""
    rng = np.random.default_rng(seed)
    grids = {}
    for name, control in pg.controls.items():
        if isinstance(control, Slider):
            grids[name] = control.grid()
        elif isinstance(control, Choice):
            grids[name] = control.choices
        elif isinstance(control, Toggle):
            grids[name] = [False, True]
    return [{name: grid[int(rng.integers(len(grid)))] for name, grid in grids.items()} for _ in range(n)]


def _compare(python, page, where):
    """The same structure, strings equal, numbers within a relative error of 1e-9 (absolute below 1e-12)."""
    if isinstance(python, str):
        assert python == page, f"{where}: {python!r} != {page!r}"
        return
    if isinstance(python, dict):
        assert set(python) == set(page), f"{where}: keys {sorted(python)} != {sorted(page)}"
        for key in python:
            _compare(python[key], page[key], f"{where}.{key}")
        return
    if isinstance(python, (list, tuple)) and any(isinstance(v, (str, dict, list, tuple)) for v in python) and (
            not _numeric_array(python) or not _numeric_array(page)):  # a grid of numbers is compared flat
        assert len(python) == len(page), f"{where}: {len(python)} items != {len(page)}"
        for k, (a, b) in enumerate(zip(python, page)):
            _compare(a, b, f"{where}[{k}]")
        return
    a = np.asarray(python, dtype=float).ravel()
    b = np.asarray(page, dtype=float).ravel()
    assert a.shape == b.shape, f"{where}: {a.shape} values != {b.shape}"
    same = (a == b) | (np.abs(a - b) <= 1e-9 * np.maximum(np.abs(a), np.abs(b))) | (np.abs(a - b) < 1e-12)
    assert same.all(), f"{where}: largest difference {np.max(np.abs(a - b)):.3g} at {np.argmax(~same)}"


def _numeric_array(value) -> bool:
    """Whether ``value`` is a rectangular array of numbers (any depth), such as a heat map's rows."""
    try:
        return np.asarray(value, dtype=float).dtype == float
    except (TypeError, ValueError):
        return False


def _page_widgets():
    found = []
    for page_path in sorted(STATIC_PAGES):
        text = (SITE / page_path).read_text(encoding="utf-8")
        for k, chunk in enumerate(text.split('class="nnmath-figure" data-static="')[1:]):
            mode, rest = chunk.split('"', 1)
            if mode == "page":
                found.append((page_path, k, rest.split('data-widget="', 1)[1].split('"', 1)[0]))
    return found


@pytest.mark.parametrize(("page_path", "w", "name"), _page_widgets(), ids=lambda v: str(v).split("/")[-1])
def test_the_page_computes_what_nnmath_computes(page_path, w, name, site, base_url, browser):
    pg = getattr(widgets, name)()
    positions = _positions(pg, PARITY_POSITIONS)
    context, page, record = _open(browser, base_url, page_path)
    try:
        results = page.evaluate(f"""(positions) => {{
            const root = document.querySelectorAll('{ROOT}')[{w}];
            return positions.map((values) => root.evaluate(values));
        }}""", positions)
    finally:
        context.close()
    for values, result in zip(positions, results):
        _compare(_plain(pg.numbers(**values)), result, f"{name} at {values}")
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


# --- the headline widget ----------------------------------------------------------------------------------------

# Set the gradient-descent widget's learning rate slider to position k (-1: the last) and report what it shows.
LEARNING_RATE_JS = """async (k) => {
    const root = document.querySelector('__ROOT__[data-widget="DescentPlayground"]');
    const field = root.querySelector('input[aria-label^="learning rate"]');
    const frame = Number(root.dataset.frame);
    field.value = String(k < 0 ? Number(field.max) + 1 + k : k);
    field.dispatchEvent(new Event('input', {bubbles: true}));
    while (Number(root.dataset.frame) === frame) await new Promise(requestAnimationFrame);
    return {label: root.querySelector(`output[data-control="${field.dataset.control}"]`).textContent,
            texts: root.querySelector('canvas').getAttribute('aria-label') || ''};
}""".replace("__ROOT__", ROOT)


def test_descent_diverges_above_two_over_L(site, base_url, browser):
    """Past 2/μ_max the path leaves (the figure says "diverged"); well below it, it does not."""
    context, page, record = _open(browser, base_url, DESCENT_PAGE)
    try:
        high = page.evaluate(LEARNING_RATE_JS, -1)
        low = page.evaluate(LEARNING_RATE_JS, 0)
    finally:
        context.close()
    ratio = float(high["label"].split("=")[1].split("×")[0])
    assert ratio > 1 and "× 2/μ_max" in high["label"], high
    assert "diverged" in high["texts"], high
    assert float(low["label"].split("=")[1].split("×")[0]) < 1 and "diverged" not in low["texts"], low
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors


# In the one-variable descent widget: choose the function by its visible text, put the learning rate slider at its
# last position (k = -1) or its first (k = 0); report what the figure says and the start slider's range and label.
DESCENT_1D_JS = """async ([fn, k]) => {
    const root = document.querySelector('__ROOT__[data-widget="Descent1DPlayground"]');
    const select = root.querySelector('select[aria-label="f"]');
    const field = root.querySelector('input[aria-label^="learning rate"]');
    const start = root.querySelector('input[aria-label^="start"]');
    const option = String(Array.from(select.options).findIndex(o => o.textContent.startsWith(fn)));
    const position = k < 0 ? field.max : field.min;
    for (const [control, value] of [[select, option], [field, position]]) {
        if (control.value === value) continue;
        const frame = Number(root.dataset.frame);
        control.value = value;
        control.dispatchEvent(new Event('input', {bubbles: true}));
        control.dispatchEvent(new Event('change', {bubbles: true}));
        while (Number(root.dataset.frame) === frame) await new Promise(requestAnimationFrame);
    }
    return {texts: root.querySelector('canvas').getAttribute('aria-label') || '',
            start: [Number(start.min), Number(start.max), Number(start.value)],
            label: root.querySelector(`output[data-control="${start.dataset.control}"]`).textContent};
}""".replace("__ROOT__", ROOT)


def test_descent_1d_diverges_and_follows_the_function(site, base_url, browser):
    """At the largest learning rate the path on the parabola leaves ("diverged", the title says "diverges"); at the
    smallest it does not; the double well gives the start slider its window and its suggested start."""
    context, page, record = _open(browser, base_url, DESCENT_PAGE)
    try:
        high = page.evaluate(DESCENT_1D_JS, ["parabola", -1])
        low = page.evaluate(DESCENT_1D_JS, ["parabola", 0])
        well = page.evaluate(DESCENT_1D_JS, ["double well", 0])
    finally:
        context.close()
    assert "diverged after" in high["texts"] and ": diverges" in high["texts"], high
    assert "diverged" not in low["texts"] and ": converges" in low["texts"], low
    assert high["start"] == [-2.5, 2.5, 2.0], high
    assert well["start"] == [-1.9, 1.9, 1.6] and well["label"] == "1.60", well
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors


# Choose a penalty of the chapter 8 penalty widget and move its strength slider to position k (-1: the last); wait
# for the redraw; report how many weights the figure says are exactly 0, and the canvas pixels.
PENALTY_JS = """async ([penalty, k]) => {
    const root = Array.from(document.querySelectorAll('__ROOT__'))
        .find(r => r.querySelector('[aria-label="strength λ"]'));
    const select = root.querySelector('select[aria-label="penalty"]');
    const field = root.querySelector('input[aria-label="strength λ"]');
    const option = String(Array.from(select.options).findIndex(o => o.textContent.startsWith(penalty)));
    const position = String(k < 0 ? Number(field.max) + 1 + k : k);
    for (const [control, value] of [[select, option], [field, position]]) {
        if (control.value === value) continue;
        const frame = Number(root.dataset.frame);
        control.value = value;
        control.dispatchEvent(new Event('input', {bubbles: true}));
        control.dispatchEvent(new Event('change', {bubbles: true}));
        while (Number(root.dataset.frame) === frame) await new Promise(requestAnimationFrame);
    }
    const texts = root.querySelector('canvas').getAttribute('aria-label') || '';
    const zeros = texts.match(/([\\d,]+) of 1,152 exactly 0/);
    return {zeros: zeros ? Number(zeros[1].replace(/,/g, '')) : null, texts: texts,
            pixels: root.querySelector('canvas').toDataURL(),
            label: root.querySelector(`output[data-control="${field.dataset.control}"]`).textContent};
}""".replace("__ROOT__", ROOT)


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


def test_redraws_are_timed():
    """The timings of the moves above were written down (the benchmark reads them)."""
    timings = json.loads(TIMINGS.read_text())
    assert timings and all(times for times in timings.values())
    assert statistics.median(t for times in timings.values() for t in times) >= 0


OPTIMIZERS_PAGE = "chapters/07_optimizers.html"

# In the optimizer race: choose by their visible text the surface, the four optimizers ("—" for an empty slot) and
# the way of setting learning rates, put the rate slider in use at log10(rate), and report what the figure shows.
RACE_JS = """async ([surface, slots, mode, position]) => {
    const root = document.querySelector('__ROOT__[data-widget="OptimizerRacePlayground"]');
    const set = async (field, value) => {
        const frame = Number(root.dataset.frame);
        field.value = value;
        field.dispatchEvent(new Event('input', {bubbles: true}));
        while (Number(root.dataset.frame) === frame) await new Promise(requestAnimationFrame);
    };
    const choose = (label, text) => {
        const field = root.querySelector(`select[aria-label="${label}"]`);
        const index = Array.from(field.options).findIndex(o => o.textContent === text);
        if (index < 0) throw new Error(`${label} has no option ${text}`);
        return set(field, String(index));
    };
    await choose('surface', surface);
    for (let i = 0; i < 4; i++) await choose(`optimizer ${i + 1}`, slots[i] || '—');
    await choose('learning rates', mode);
    const label = mode === 'one η for all' ? 'learning rate η' : '× tuned η';
    const rate = root.querySelector(`input[aria-label="${label}"]`);
    await set(rate, String(position));
    return {label: root.querySelector(`output[data-control="${rate.dataset.control}"]`).textContent,
            disabled: rate.disabled, texts: root.querySelector('canvas').getAttribute('aria-label') || ''};
}""".replace("__ROOT__", ROOT)


def test_race_adam_against_momentum_on_rosenbrock(site, base_url, browser):
    """At their tuned rates both run the whole budget; at 3.16 and 31.6 times the tuned rates momentum diverges
    (Adam, whose steps are about η long, does not); one η of 3.16 for all: momentum diverges too."""
    context, page, record = _open(browser, base_url, OPTIMIZERS_PAGE)
    race = ["Rosenbrock's valley", ["momentum", "Adam"], "each its tuned η × a factor"]
    try:
        tuned = page.evaluate(RACE_JS, [*race, 0])
        farther = page.evaluate(RACE_JS, [*race, 0.5])
        far = page.evaluate(RACE_JS, [*race, 1.5])
        same = page.evaluate(RACE_JS, [race[0], race[1], "one η for all", 0.5])
    finally:
        context.close()
    assert tuned["label"] == "1" and not tuned["disabled"], tuned
    for expected in ("momentum (η = 0.001): 300 steps", "Adam (η = 0.562): 300 steps"):
        assert expected in tuned["texts"], tuned
    assert "diverged" not in tuned["texts"], tuned
    assert farther["label"] == "3.16" and "momentum (η = 0.00316): diverged after" in farther["texts"], farther
    assert far["label"] == "31.6" and "momentum (η = 0.0316): diverged after" in far["texts"], far
    assert "Adam (η = 17.8): 300 steps" in far["texts"], far
    assert same["label"] == "3.16" and "momentum (η = 3.16): diverged after 1 step;" in same["texts"], same
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors


def test_optimizer_chapter_stays_under_the_page_weight_budget(site):
    """The page and every image it loads: under 3 MB (the two kernel-free widgets carry their pictures inline)."""
    import re

    html = (SITE / OPTIMIZERS_PAGE).read_text(encoding="utf-8")
    images = {m for m in re.findall(r'<img[^>]+src="([^"]+)"', html) if not m.startswith("data:")}
    total = len(html.encode("utf-8")) + sum((SITE / "chapters" / src).resolve().stat().st_size for src in images)
    assert total < 3_000_000, f"{OPTIMIZERS_PAGE}: {total:,} bytes"
