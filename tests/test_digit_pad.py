"""The "draw a digit" widget (chapter 9) keeps the widget contract, computes with nnmath, and packs the page.

The generic widget tests (tests/test_widgets.py) build every exported Playground with its defaults; DigitLab needs
a trained network and MNIST's test images, so the same checks run here on a network of the chapter's shape trained
for one epoch on 2,000 images: the sweep of every control, ``static_key``, ``update`` depending only on its
arguments, the live view answering the page (and refusing what no page could send), the text form. Then what it
computes (the pen, MNIST's format, the network: live with ``net``, for the page with the float16 ``page_net``) and
what the static page carries.
"""

import base64
import gzip
import hashlib
import itertools
import json
import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from test_widgets import _commands, _states, _visit

import nnmath as nm
from nnmath.analysis import Recipe
from nnmath.data import draw_strokes, load_mnist_split, pixel_statistics, scale_pixels, to_mnist_format
from nnmath.widgets import digit_pad
from nnmath.widgets.digit_pad import INK_SIZE, SAMPLE, DigitLab, Ink


@pytest.fixture(scope="module")
def parts():
    split = load_mnist_split()
    mean, sd = pixel_statistics(split.X_train)
    net, _ = Recipe(epochs=1).train(scale_pixels(split.X_train[:2000], mean, sd), split.y_train[:2000], seed=0)
    return net, mean, sd, split.X_test, split.y_test


def _lab(parts, **kwargs):
    return DigitLab(*parts, **kwargs)


@pytest.fixture(autouse=True)
def _no_figures_left():
    before = plt.get_fignums()
    yield
    assert plt.get_fignums() == before, "the widget left a pyplot figure behind"


# --- the contract, as tests/test_widgets.py checks it for every exported Playground -------------------------------

def test_sweep_every_control(parts):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lab = _lab(parts)
        lab.widget  # noqa: B018  builds the live view and draws the first frame
        frames = set()
        for state in _states(lab):
            frame = _visit(lab, state)
            json.dumps(frame)
            assert frame["commands"], f"nothing moves at {state}"
            assert set(frame["labels"]) <= set(lab.controls)
            frames.add(_commands(frame))
    assert len(frames) > len(lab.controls)


def test_the_rest_of_the_figure_depends_only_on_static_key(parts):
    lab = _lab(parts)
    pictures = {}
    for state in itertools.islice(_states(lab, max_corners=8), 0, None, 2):
        lab.update(**state)
        picture = hashlib.sha1(lab.background_rgba().tobytes()).hexdigest()
        assert pictures.setdefault(lab.static_key, picture) == picture, f"at {state}"
    assert set(pictures) == {"draw", "test"}


def test_update_depends_only_on_its_arguments(parts):
    states = list(_states(_lab(parts), max_corners=6))[::3][:6]
    fresh = {}
    for i, state in enumerate(states):
        lab = _lab(parts)
        lab.update(**state)
        fresh[i] = _commands(lab.frame())
    lab = _lab(parts)
    for i in [*range(len(states)), *reversed(range(len(states)))]:
        lab.update(**states[i])
        assert _commands(lab.frame()) == fresh[i], f"the frame at {states[i]} depends on the past"


def test_the_live_view_answers_the_page(parts):
    lab = _lab(parts)
    view = lab.widget
    assert isinstance(view, digit_pad.DigitLabView) and isinstance(view, nm.widgets.FigureView)
    assert "nnmathDigitPad.live" in view._esm and "nnmathFigure" in view._esm
    assert view.spec["pad"]["size"] == INK_SIZE and view.spec["pad"]["sample"] == SAMPLE
    stroke = [[70.0, 20.0, 71.5, 60.25, 72.0, 120.0]]
    view.request = {"seq": 7, "values": {**lab.values(), "ink": stroke}}
    assert view.frame["answer"] == 7 and "error" not in view.frame
    assert lab.values()["ink"] == stroke
    assert "ink" not in view.values or view.values["ink"] != stroke, "the kernel sent the page's drawing back"
    view.request = {"seq": 8, "values": {"ink": [[1.0, "a"]]}}  # what no page could send
    assert view.frame["answer"] == 8 and "stroke 0" in view.frame["error"]
    assert lab.values()["ink"] == stroke, "a bad request changed the widget"
    view.request = {"seq": 9, "values": {**lab.values(), "view": "test", "image": 3}}
    assert view.frame["answer"] == 9 and view.frame["disabled"] == ["width"]


def test_the_text_form_and_the_static_version(parts, monkeypatch):
    lab = _lab(parts)
    monkeypatch.delenv("NNMATH_STATIC_HTML", raising=False)
    bundle, _ = lab._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/html" not in bundle
    assert "live widget" in bundle["text/plain"] and "0x" not in bundle["text/plain"]
    monkeypatch.setenv("NNMATH_STATIC_HTML", "1")
    bundle = lab._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    html = bundle["text/html"]
    assert re.match(r'<div class="nnmath-figure" data-static="pad" data-widget="DigitLab" id="nnmath-figure-', html)
    assert html.index("globalThis.nnmathFigure = api") < html.index("globalThis.nnmathDigitPad =")
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


# --- what it computes ---------------------------------------------------------------------------------------------

def test_the_numbers_are_nnmaths(parts):
    lab = _lab(parts)
    net, mean, sd, X_test, y_test = parts
    strokes = [[30.0, 30.0, 100.0, 110.0], [100.0, 30.0, 30.0, 110.0]]
    s = lab.numbers(view="draw", width=9, image=0, ink=strokes)
    x = to_mnist_format(draw_strokes(strokes, 9, INK_SIZE)).reshape(1, -1)
    assert s["input"] == x.ravel().tolist()
    assert np.array_equal(s["p"], lab.page_net.predict_proba(scale_pixels(x, mean, sd))[0])
    live = lab.numbers(view="draw", width=9, image=0, ink=strokes, net=net)
    assert np.array_equal(live["p"], net.predict_proba(scale_pixels(x, mean, sd))[0])
    assert s["said"] == int(np.argmax(s["p"])) and s["verdict"].startswith(f"the network says {s['said']} (")
    assert s["percents"][s["said"]] == f"{100 * s['p'][s['said']]:.1f}%"
    blank = lab.numbers(view="draw", width=9, image=0, ink=[])
    assert blank["p"] == [] and blank["said"] == -1 and blank["verdict"] == "draw a digit on the pad"
    k = 4
    t = lab.numbers(view="test", width=9, image=k, ink=[])
    index = int(lab.indices[k])
    assert t["input"] == X_test[index].tolist() and t["caption"] == f"test image {index}"
    assert t["verdict"].startswith(f"label {y_test[index]}: the network says ")


def test_moving_the_pen_width_reinks_the_drawing(parts):
    lab = _lab(parts)
    inks = []
    for width in (4, 12, 28):
        lab.set(width=width)
        inks.append(lab.pad_image.get_array().sum())
    assert inks[0] < inks[1] < inks[2]
    lab.set(view="test")
    assert lab.disabled(**lab.values()) == ["width"] and lab.pad_image.get_array().shape == (28, 28)


def test_the_offered_images_include_every_mistake(parts):
    lab = _lab(parts)
    net, mean, sd, X_test, y_test = parts
    wrong = np.flatnonzero(lab.page_net.predict(scale_pixels(X_test, mean, sd)) != y_test)
    assert set(wrong) <= set(lab.indices) and set(range(digit_pad.SHOWN)) <= set(lab.indices)


def test_the_ink_control_refuses_what_is_not_a_drawing():
    ink = Ink("the pad")
    assert ink.value == [] and ink.coerce(((1, 2, 3, 4),)) == [[1.0, 2.0, 3.0, 4.0]]
    with pytest.raises(TypeError, match="'the pad' takes a list of strokes"):
        ink.coerce("strokes")
    with pytest.raises(ValueError, match="stroke 0"):
        ink.coerce([[1, 2, 3]])
    assert ink.text([[1, 2]]) == "1 stroke" and ink.text([]) == "0 strokes"


def test_bad_arguments(parts):
    net, mean, sd, X_test, y_test = parts
    with pytest.raises(ValueError, match="784 inputs"):
        DigitLab(nm.MLP([4, 3]), 0.0, 1.0, X_test, y_test)
    with pytest.raises(ValueError, match="ReLU"):
        DigitLab(nm.MLP([784, 5, 10], activation="tanh"), 0.0, 1.0, X_test, y_test)
    with pytest.raises(ValueError, match="one label per test image"):
        DigitLab(net, mean, sd, X_test, y_test[:5])
    with pytest.raises(ValueError, match="test image"):
        DigitLab(net, mean, sd, X_test, y_test, image=10_000)
    with pytest.raises(ValueError, match="indices"):
        DigitLab(net, mean, sd, X_test, y_test, indices=[len(X_test)])


# --- what the static page carries ---------------------------------------------------------------------------------

def test_the_static_page_carries_the_float16_network_and_the_images(parts, monkeypatch):
    lab = _lab(parts)
    monkeypatch.setenv("NNMATH_STATIC_HTML", "1")
    html = lab._repr_mimebundle_()["text/html"]
    packed = re.search(r'class="nnmath-figure-data">([^<]*)</script>', html).group(1)
    data = json.loads(gzip.decompress(base64.b64decode(packed)))
    assert data["equation"] == "digit_pad" and len(data["backgrounds"]) == 2
    assert [c["name"] for c in data["controls"]] == ["view", "width", "image", "ink"]
    assert set(data["templates"]) == {"pad", "input", "bar", "top", "percent", "caption", "verdict"}
    page = data["data"]
    assert page["sizes"] == [784, 256, 128, 10]
    for W, text in zip(lab.page_net.W, page["weights"]):
        assert np.array_equal(np.frombuffer(base64.b64decode(text), "<f2").reshape(W.shape), W)
    images = np.frombuffer(base64.b64decode(page["images"]), np.uint8).reshape(-1, 784) / 255.0
    assert np.array_equal(images, lab.images)
    assert page["predictions"] == lab.page_net.predict(scale_pixels(images, lab.mean, lab.sd)).tolist()
    assert page["mistakes"] == np.flatnonzero(np.array(page["predictions"]) != page["labels"]).tolist()
    assert page["box"] == digit_pad.DigitLab._pad_box(lab) and page["sample"] == SAMPLE
    assert len(html) < 1_300_000  # the widget's share of the page's 3 MB
    assert lab.values() == _lab(parts).values(), "building the page moved the widget"
