"""The "draw a digit" widget of chapter 9 in the built book, with no kernel, in Chromium.

The page carries the network (float16 weights) and some test images, and ``digit_pad.js`` repeats nnmath's steps.
These tests hold it to nnmath on exactly what the page carries — a :class:`~nnmath.widgets.digit_pad.DigitLab`
built from the page's own weights and images: at random drawings, pen widths and test images, the page's numbers
(the 784 inputs, the ten probabilities, the texts) agree with ``DigitLab.numbers`` to a relative error of 1e-9;
so do the probabilities of every test image the page offers; a stroke drawn with the mouse changes the figure and
the page's numbers for the strokes it recorded are nnmath's; a 3 drawn with the mouse is read as a 3; the buttons
clear the pad and step to the network's mistakes. No console error and no request to another host
(tests/browser/test_static_widgets.py also moves every control of the widget, and test_book.py checks every page).
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re

import numpy as np
import pytest
from test_book import LOAD_TIMEOUT_MS, PageRecord
from test_static_widgets import _compare

import nnmath as nm
from nnmath.data import scale_pixels
from nnmath.widgets.digit_pad import DigitLab

PAGE = "chapters/09_handwritten_digits.html"
ROOT = '.nnmath-figure[data-static="pad"]'
PAGE_BYTES = 3_000_000
POSITIONS = 60


@pytest.fixture(scope="module")
def html(site):
    return (site / PAGE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data(html):
    found = re.search(r'<div class="nnmath-figure" data-static="pad" data-widget="DigitLab"[^>]*>.*?'
                      r'class="nnmath-figure-data">([^<]*)</script>', html)
    assert found, f"{PAGE} carries no kernel-free drawing pad (was the book built by `make book`?)"
    return json.loads(gzip.decompress(base64.b64decode(found.group(1))))


@pytest.fixture(scope="module")
def page_lab(data):
    """A DigitLab of exactly what the page carries: its float16 network and its test images, at their indices."""
    d = data["data"]
    net = nm.MLP(d["sizes"], activation="relu")
    for W, text in zip(net.W, d["weights"]):
        W[...] = np.frombuffer(base64.b64decode(text), "<f2").reshape(W.shape)
    for b, text in zip(net.b, d["biases"]):
        b[...] = np.frombuffer(base64.b64decode(text), "<f2")
    offered = np.frombuffer(base64.b64decode(d["images"]), np.uint8).reshape(-1, 784) / 255.0
    X = np.zeros((max(d["test_index"]) + 1, 784))
    y = np.zeros(len(X), dtype=int)
    X[d["test_index"]], y[d["test_index"]] = offered, d["labels"]
    lab = DigitLab(net, d["mean"], d["sd"], X, y, indices=d["test_index"])
    assert all(np.array_equal(a, b) for a, b in zip(lab.page_net.W, net.W)), "the page's weights are float16"
    return lab


@pytest.fixture
def pad(browser, base_url):
    record = PageRecord()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record.attach(context, page)
    page.goto(base_url + PAGE, wait_until="load", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function(f"""() => document.querySelector('{ROOT}')?.dataset.mounted === 'true'""",
                           timeout=LOAD_TIMEOUT_MS)
    page.locator(f"{ROOT} canvas").scroll_into_view_if_needed()
    yield page
    context.close()
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors
    assert not record.external_requests, record.external_requests


def _evaluate(page, positions):
    return page.evaluate(f"""(positions) => {{
        const root = document.querySelector('{ROOT}');
        return positions.map((values) => root.evaluate(values));
    }}""", positions)


def _current(page):
    return page.evaluate(f"() => document.querySelector('{ROOT}').currentValues()")


def _texts(page):
    return page.locator(f"{ROOT} canvas").get_attribute("aria-label") or ""


def _random_strokes(rng, size):
    """One to three random walks across the pad, some of them leaving it, some a single dot."""
    strokes = []
    for _ in range(int(rng.integers(1, 4))):
        n = int(rng.choice([1, 2, 12, 40]))
        start = rng.uniform(0.1 * size, 0.9 * size, 2)
        steps = rng.normal(0, 0.05 * size, (n - 1, 2))
        points = np.vstack([start, start + np.cumsum(steps, axis=0)])
        strokes.append([round(float(v), 2) for v in points.ravel()])
    return strokes


def _positions(lab, n, seed=0):
    rng = np.random.default_rng(seed)
    size = lab.controls["ink"].size
    out = []
    for k in range(n):
        out.append({"view": "draw" if k % 4 else "test", "width": int(rng.integers(4, 29)),
                    "image": int(rng.integers(len(lab.indices))),
                    "ink": [] if k == 1 else _random_strokes(rng, size)})
    return out


def _draw(page, data, points):
    """Draw one stroke with the mouse through ``points`` given in ink pixels of the pad."""
    box, size = data["data"]["box"], data["data"]["size"]
    rect = page.locator(f"{ROOT} canvas").bounding_box()
    scale = rect["width"] / data["width"]

    def at(x, y):
        return rect["x"] + (box[0] + x * box[2] / size) * scale, rect["y"] + (box[1] + y * box[3] / size) * scale

    frame = int(page.evaluate(f"() => document.querySelector('{ROOT}').dataset.frame"))
    page.mouse.move(*at(*points[0]))
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(*at(x, y))
    page.mouse.up()
    page.wait_for_function(f"(n) => Number(document.querySelector('{ROOT}').dataset.frame) > n", arg=frame)
    page.wait_for_timeout(200)  # the last animation frame


def _three():
    """A 3 as a pen draws it, in one stroke: an upper arc, then a lower one, both open to the left (ink pixels)."""
    points = []
    for (cx, cy), radius, start, stop in (((70, 44), 24, 200, 450), ((70, 93), 28, 270, 515)):
        for k in range(40):
            angle = math.radians(start + (stop - start) * k / 39)
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def test_the_page_stays_within_its_weight(site, html):
    size = len((site / PAGE).read_bytes())
    widget = re.search(r'<div class="nnmath-figure" data-static="pad".*?</script></div>', html, re.S).group(0)
    assert size < PAGE_BYTES, f"{PAGE} is {size / 1e6:.2f} MB"
    assert len(widget.encode()) < 1_300_000, f"the drawing pad alone is {len(widget.encode()) / 1e6:.2f} MB"


def test_the_page_computes_what_nnmath_computes(pad, page_lab):
    positions = _positions(page_lab, POSITIONS)
    for values, result in zip(positions, _evaluate(pad, positions)):
        _compare(page_lab.numbers(**values), result, f"DigitLab at {values}")


def test_every_offered_test_image_matches_nnmath(pad, data, page_lab):
    positions = [{"view": "test", "width": 12, "image": i, "ink": []} for i in range(len(page_lab.indices))]
    assert len(positions) >= 300
    page_p = np.array([result["p"] for result in _evaluate(pad, positions)])
    expected = page_lab.page_net.predict_proba(scale_pixels(page_lab.images, page_lab.mean, page_lab.sd))
    _compare(expected.tolist(), page_p.tolist(), "every offered test image")
    assert data["data"]["predictions"] == expected.argmax(axis=1).tolist()


def test_a_stroke_changes_the_figure_and_matches_nnmath(pad, data, page_lab):
    before = (pad.locator(f"{ROOT} canvas").evaluate("(c) => c.toDataURL()"), _texts(pad))
    _draw(pad, data, [(70, 15 + 4 * k) for k in range(28)])
    after = (pad.locator(f"{ROOT} canvas").evaluate("(c) => c.toDataURL()"), _texts(pad))
    assert after[0] != before[0] and after[1] != before[1] and "the network says" in after[1]
    values = _current(pad)
    assert len(values["ink"]) == 1 and len(values["ink"][0]) > 20, "the first stroke replaces the sample"
    (result,) = _evaluate(pad, [values])
    _compare(page_lab.numbers(**values), result, "the drawn stroke")
    assert result["verdict"] in after[1]


def test_a_drawn_three_is_read_as_three(pad, data):
    _draw(pad, data, _three())
    texts = _texts(pad)
    assert "the network says 3" in texts, f"the page read the 3 as: {texts}"


def test_the_buttons_clear_the_pad_and_step_to_mistakes(pad, data):
    _draw(pad, data, [(40, 40), (100, 100)])
    pad.get_by_role("button", name="clear the pad").click()
    pad.wait_for_function(f"() => document.querySelector('{ROOT}').currentValues().ink.length === 0")
    pad.wait_for_timeout(100)
    assert "draw a digit on the pad" in _texts(pad)
    pad.locator(f"{ROOT} select").select_option(label="a test image")
    assert pad.get_by_role("button", name="clear the pad").is_disabled()
    pad.get_by_role("button", name="next mistake").click()
    pad.wait_for_timeout(100)
    image = _current(pad)["image"]
    assert image in data["data"]["mistakes"] and ", a mistake" in _texts(pad)
    pad.get_by_role("button", name="previous mistake").click()
    pad.wait_for_timeout(100)
    assert _current(pad)["image"] in data["data"]["mistakes"] and ", a mistake" in _texts(pad)
