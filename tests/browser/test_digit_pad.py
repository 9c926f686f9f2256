"""The "draw a digit" widget of chapter 9 in the built book, with no kernel, in Chromium.

The page carries the network (float16 weights) and some test images, and its script repeats nnmath's steps.
These tests hold it to nnmath, on exactly what the page carries: the probabilities of every test image it
offers agree with ``MLP.predict_proba`` within 1e-6; a stroke drawn with the mouse changes the bars, and the
page's 28 × 28 input and probabilities agree with ``nnmath.data.to_mnist_format`` and ``predict_proba`` for the
ink the page recorded; a 3 drawn with the mouse is read as a 3; the test-set browser shows an image's
probabilities. No console error and no request to another host (test_book.py checks every page for those too).
"""

from __future__ import annotations

import base64
import json
import math
import re

import numpy as np
import pytest
from test_book import LOAD_TIMEOUT_MS, PageRecord

import nnmath as nm
from nnmath.data import scale_pixels, to_mnist_format

PAGE = "chapters/09_handwritten_digits.html"
ROOT = ".nnmath-digit-lab"
PAGE_BYTES = 3_000_000


@pytest.fixture(scope="module")
def payload(site):
    html = (site / PAGE).read_text(encoding="utf-8")
    found = re.search(r'<div class="nnmath-digit-lab" data-static="true"><script type="application/json">(.*?)'
                      r"</script>", html)
    assert found, f"{PAGE} carries no kernel-free drawing pad (was the book built by `make book`?)"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def page_net(payload):
    """The network exactly as the page has it: float16 weights, computed in float64."""
    net = nm.MLP(payload["sizes"], activation="relu")
    for W, text in zip(net.W, payload["weights"]):
        W[...] = np.frombuffer(base64.b64decode(text), "<f2").reshape(W.shape)
    for b, text in zip(net.b, payload["biases"]):
        b[...] = np.frombuffer(base64.b64decode(text), "<f2")
    return net


@pytest.fixture
def pad(browser, base_url):
    record = PageRecord()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record.attach(context, page)
    page.goto(base_url + PAGE, wait_until="load", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function(f"() => document.querySelector('{ROOT}')?.dataset.mounted === 'true'",
                           timeout=LOAD_TIMEOUT_MS)
    page.locator(f"{ROOT} .ndl-pad").scroll_into_view_if_needed()
    yield page
    context.close()
    assert not record.console_errors and not record.page_errors, record.console_errors + record.page_errors
    assert not record.external_requests, record.external_requests


def _hook(page, expression):
    """Evaluate ``expression`` in the page with ``lab`` bound to the pad's test hooks."""
    script = f"() => {{ const lab = document.querySelector('{ROOT}').nnmathDigitLab; return {expression}; }}"
    return page.evaluate(script)


def _draw(page, points):
    box = page.locator(f"{ROOT} .ndl-pad").bounding_box()
    x0, y0 = box["x"], box["y"]
    page.mouse.move(x0 + points[0][0], y0 + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x0 + x, y0 + y)
    page.mouse.up()
    page.wait_for_function(f"() => document.querySelector('{ROOT}').nnmathDigitLab.drawProbabilities().length === 10",
                           timeout=LOAD_TIMEOUT_MS)
    page.wait_for_timeout(200)  # the last animation frame


def _three(size=280):
    """A 3 as a pen would draw it: an upper arc, then a lower one, both open to the left (pad pixels)."""
    points = []
    for centre, radius, start, stop in (((140, 92), 48, 200, 450), ((140, 182), 56, 270, 515)):
        for k in range(40):
            angle = math.radians(start + (stop - start) * k / 39)
            points.append((centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)))
    return [(min(max(x, 2), size - 2), min(max(y, 2), size - 2)) for x, y in points]


def test_the_page_stays_within_its_weight(site, payload):
    html = (site / PAGE).read_bytes()
    assert len(html) < PAGE_BYTES, f"{PAGE} is {len(html) / 1e6:.2f} MB"
    assert len(json.dumps(payload)) < 1_300_000


def test_every_offered_test_image_matches_nnmath(pad, payload, page_net):
    images = np.frombuffer(base64.b64decode(payload["images"]), np.uint8).reshape(-1, 784) / 255.0
    assert len(images) >= 300
    page_p = np.array(_hook(pad, f"Array.from({{length: {len(images)}}}, (_, i) => lab.predictImage(i))"))
    expected = page_net.predict_proba(scale_pixels(images, payload["mean"], payload["sd"]))
    assert page_p.shape == expected.shape
    assert np.abs(page_p - expected).max() < 1e-6
    assert payload["state"]["predictions"] == expected.argmax(axis=1).tolist()


def test_a_stroke_changes_the_bars_and_matches_nnmath(pad, payload, page_net):
    before = pad.locator(f"{ROOT} .ndl-draw .ndl-bars").get_attribute("aria-label")
    _draw(pad, [(140, 40 + 8 * k) for k in range(26)])
    after = pad.locator(f"{ROOT} .ndl-draw .ndl-bars").get_attribute("aria-label")
    assert before != after and "the network says" in after
    size = payload["state"]["ink_size"]
    ink = np.array(_hook(pad, "lab.ink()"), dtype=float).reshape(size, size)
    assert ink.sum() > 100
    page_input = np.array(_hook(pad, f"lab.toMnistFormat(lab.ink(), {size})")).reshape(28, 28)
    assert np.abs(page_input - to_mnist_format(ink)).max() < 1e-9
    page_p = np.array(_hook(pad, "lab.drawProbabilities()"))
    expected = page_net.predict_proba(scale_pixels(to_mnist_format(ink).reshape(1, -1), payload["mean"],
                                                   payload["sd"]))[0]
    assert np.abs(page_p - expected).max() < 1e-6
    pad.locator(f"{ROOT} .ndl-clear").click()
    pad.wait_for_function(f"() => document.querySelector('{ROOT}').nnmathDigitLab.drawProbabilities().length === 0")
    assert "nothing drawn" in pad.locator(f"{ROOT} .ndl-draw .ndl-bars").get_attribute("aria-label")


def test_a_drawn_three_is_read_as_three(pad):
    _draw(pad, _three())
    p = _hook(pad, "lab.drawProbabilities()")
    assert int(np.argmax(p)) == 3, f"the page read the 3 as {int(np.argmax(p))} (probabilities {np.round(p, 3)})"
    assert "the network says 3" in pad.locator(f"{ROOT} .ndl-draw .ndl-verdict").text_content()


def test_the_stroke_width_changes_the_ink(pad):
    pad.locator(f"{ROOT} .ndl-width").evaluate("(el) => { el.value = '4'; el.dispatchEvent(new Event('input')); }")
    _draw(pad, [(100, 140 + k) for k in range(3)])
    thin = sum(_hook(pad, "lab.ink()"))
    pad.locator(f"{ROOT} .ndl-clear").click()
    pad.locator(f"{ROOT} .ndl-width").evaluate("(el) => { el.value = '24'; el.dispatchEvent(new Event('input')); }")
    _draw(pad, [(100, 140 + k) for k in range(3)])
    assert sum(_hook(pad, "lab.ink()")) > 10 * thin


def test_the_test_set_browser_shows_an_image_and_its_probabilities(pad, payload, page_net):
    pad.locator(f"{ROOT} .ndl-tabs button").nth(1).click()
    assert pad.locator(f"{ROOT} .ndl-browse").is_visible() and not pad.locator(f"{ROOT} .ndl-draw").is_visible()
    for position in (5, 0, len(payload["state"]["labels"]) - 1):
        pad.locator(f"{ROOT} .ndl-index").evaluate(
            f"(el) => {{ el.value = '{position}'; el.dispatchEvent(new Event('input')); }}")
        shown = np.array(_hook(pad, "lab.browseProbabilities()"))
        images = np.frombuffer(base64.b64decode(payload["images"]), np.uint8).reshape(-1, 784) / 255.0
        expected = page_net.predict_proba(scale_pixels(images[position:position + 1], payload["mean"],
                                                       payload["sd"]))[0]
        assert np.abs(shown - expected).max() < 1e-6
        verdict = pad.locator(f"{ROOT} .ndl-browse .ndl-verdict").text_content()
        assert f"label {payload['state']['labels'][position]}" in verdict
    pad.locator(f"{ROOT} .ndl-mistakes").check()
    pad.locator(f"{ROOT} .ndl-browse button", has_text="\u25b6").click()
    verdict = pad.locator(f"{ROOT} .ndl-browse .ndl-verdict").text_content()
    assert "(a mistake)" in verdict
