"""The "draw a digit" widget (chapter 9): what the kernel computes live, and what the static page carries."""

import base64
import json
import re

import numpy as np
import pytest

import nnmath as nm
from nnmath.analysis import Recipe
from nnmath.data import load_mnist_split, pixel_statistics, scale_pixels, to_mnist_format
from nnmath.widgets import digit_pad


@pytest.fixture(scope="module")
def lab():
    split = load_mnist_split()
    mean, sd = pixel_statistics(split.X_train)
    net, _ = Recipe(epochs=1).train(scale_pixels(split.X_train[:2000], mean, sd), split.y_train[:2000], seed=0)
    return digit_pad.DigitLab(net, mean, sd, split.X_test, split.y_test)


def _ink_text(ink):
    return base64.b64encode(ink.astype(np.uint8).tobytes()).decode()


def _stroke():
    ink = np.zeros((digit_pad.INK_SIZE, digit_pad.INK_SIZE))
    ink[20:110, 60:72] = 1
    return ink


def test_the_live_view_runs_nnmath_on_the_ink(lab, monkeypatch):
    monkeypatch.delenv("NNMATH_STATIC_HTML", raising=False)
    data, _ = lab._repr_mimebundle_()
    assert set(data) == {"text/plain", "application/vnd.jupyter.widget-view+json"}
    live = lab.widget
    live.ink = _ink_text(_stroke())
    expected = lab.net.predict_proba(scale_pixels(to_mnist_format(_stroke()).reshape(1, -1), lab.mean, lab.sd))[0]
    assert np.allclose(live.draw_result["p"], expected)
    digit = np.frombuffer(base64.b64decode(live.draw_result["digit"]), np.uint8)
    assert digit.size == 784 and digit.max() == 255
    live.ink = _ink_text(np.zeros_like(_stroke()))
    assert live.draw_result["p"] == []  # nothing drawn, no bars
    live.index = 3
    assert live.browse_result["index"] == 3
    assert np.allclose(live.browse_result["p"], lab.net.predict_proba(scale_pixels(lab.images[3:4], lab.mean,
                                                                                   lab.sd))[0])
    with pytest.raises(Exception, match="ink pixels"):
        live.ink = base64.b64encode(b"\x01\x00").decode()


def test_the_static_page_carries_the_float16_network(lab, monkeypatch):
    monkeypatch.setenv("NNMATH_STATIC_HTML", "1")
    data = lab._repr_mimebundle_()
    assert set(data) == {"text/plain", "text/html"}
    html = data["text/html"]
    assert '<script type="module">' in html and "mountStatic(document)" in html
    payload = json.loads(re.search(r'<script type="application/json">(.*?)</script>', html).group(1))
    assert payload["sizes"] == [784, 256, 128, 10]
    for W, text in zip(lab.page_net.W, payload["weights"]):
        assert np.array_equal(np.frombuffer(base64.b64decode(text), "<f2").reshape(W.shape), W)
    images = np.frombuffer(base64.b64decode(payload["images"]), np.uint8).reshape(-1, 784) / 255.0
    assert np.array_equal(images, lab.images)
    assert payload["state"]["predictions"] == lab.page_net.predict(scale_pixels(images, lab.mean, lab.sd)).tolist()
    assert len(html) < 1_300_000  # the widget's share of the page's 3 MB


def test_the_offered_images_include_every_mistake(lab):
    wrong = np.flatnonzero(lab.page_net.predict(scale_pixels(load_mnist_split().X_test, lab.mean, lab.sd))
                           != load_mnist_split().y_test)
    assert set(wrong) <= set(lab.indices) and set(range(digit_pad.SHOWN)) <= set(lab.indices)


def test_bad_arguments(lab):
    split = load_mnist_split()
    with pytest.raises(ValueError, match="784 inputs"):
        digit_pad.DigitLab(nm.MLP([4, 3]), 0.0, 1.0, split.X_test, split.y_test)
    with pytest.raises(ValueError, match="ReLU"):
        digit_pad.DigitLab(nm.MLP([784, 5, 10], activation="tanh"), 0.0, 1.0, split.X_test, split.y_test)
    with pytest.raises(ValueError, match="one label per test image"):
        digit_pad.DigitLab(lab.net, 0.0, 1.0, split.X_test, split.y_test[:5])
    with pytest.raises(ValueError, match="index"):
        digit_pad.DigitLab(lab.net, 0.0, 1.0, split.X_test, split.y_test, index=10_000)
