"""The kernel-free widgets (nnmath.widgets.static): the recorded states are what nnmath computes.

The browser test (tests/browser/test_static_widgets.py) moves them in the built book; here the data the page
replays is checked against nnmath itself: the descent paths against ``nnmath.descent.descend``, the softmax
bars against ``nnmath.activations.softmax``, the regression loss against ``nnmath.losses``.
"""

import base64
import gzip
import itertools
import json
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnmath import widgets
from nnmath.activations import softmax
from nnmath.descent import descend
from nnmath.losses import mae, mse
from nnmath.plots.descent import describe
from nnmath.surfaces import get_surface
from nnmath.widgets.static import StaticControl, grid_control, record_artists, static_html, static_states

STATIC_WIDGETS = [widgets.SoftmaxTemperaturePlayground, widgets.RegressionLossPlayground, widgets.DescentPlayground]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _sub(controls, **chosen):
    """The same grid with fewer values: for each named control the listed values (the first if not named)."""
    out = []
    for c in controls:
        keep = [c.values.index(v) for v in chosen[c.name]] if c.name in chosen else [0]
        kind = "select" if c.kind == "checkbox" and len(keep) == 1 else c.kind
        out.append(StaticControl(c.name, c.description, [c.values[i] for i in keep], [c.labels[i] for i in keep],
                                 kind, 0))
    return out


def _only(controls, **chosen):
    """The same grid, each control reduced to the chosen value (the first if not named)."""
    return _sub(controls, **{name: [value] for name, value in chosen.items()})


def _texts(state):
    return [command[6] for command in state[1] if command[0] == "t"]


def _pixels(ax, xy):
    """Data coordinates to the recorder's whole pixels, y down."""
    display = ax.transData.transform(np.asarray(xy, dtype=float))
    display[:, 1] = ax.figure.canvas.get_width_height()[1] - display[:, 1]
    return [int(v) for v in np.round(display).ravel()]


def _within_a_pixel(expected, candidates) -> bool:
    """Whether one of the recorded runs of whole pixels is ``expected``, give or take a pixel.

    The recorder rounds to whole pixels; on another CPU the last bits of a point can move it across a rounding
    boundary, so the comparison allows one pixel (the paths' steps are many pixels long).
    """
    want = np.asarray(expected)
    return any(len(c) == len(want) and np.max(np.abs(np.asarray(c) - want), initial=0) <= 1 for c in candidates)


# --- the descent paths are nnmath's -----------------------------------------------------------------------

@pytest.mark.parametrize("surface", ["bowl", "elongated_bowl", "rosenbrock", "two_minima", "saddle"])
@pytest.mark.parametrize("start", [0, 1, 2])
def test_descent_paths_are_those_nnmath_computes(surface, start):
    widget = widgets.descent_playground()
    grid = widget.static_controls()
    lrs = grid[1].values[::10] + [grid[1].values[-1]]
    states = static_states(widget, _sub(grid, surface=[surface], lr=lrs, start=[start], steps=[50]))["states"]
    s = get_surface(surface)
    widget.update(**widget.static_values(dict(surface=surface, lr=lrs[0], start=start, steps=50)))  # its axes
    for lr, state in zip(lrs, states):
        path = descend(s, widget.static_starts(surface)[start], lr=lr, steps=50)
        expected = _pixels(widget.ax, path.points)
        markers = [command[3] for command in state[1] if command[0] == "m"]
        lines = [poly for command in state[1] if command[0] == "p" for poly in command[2]]
        assert _within_a_pixel(expected, markers), f"{surface}, lr={lr}: no marker run at the path's points"
        if len(path.points) > 1:  # a single point is a marker, not a line
            assert _within_a_pixel(expected, lines), f"{surface}, lr={lr}: no polyline through the path's points"
        assert describe(path, s) in _texts(state)


def test_descent_shows_diverged_above_two_over_L():
    widget = widgets.descent_playground()
    grid = widget.static_controls()
    s = get_surface("elongated_bowl")
    above = next(lr for lr in grid[1].values if lr > 1.2 * s.lr_limit)
    below = max(lr for lr in grid[1].values if lr < 0.9 * s.lr_limit)
    diverged = static_states(widget, _only(grid, surface=s.name, lr=above))["states"][0]
    assert any(text.startswith("diverged") for text in _texts(diverged))
    assert "× 2/L" in diverged[2][1] and float(diverged[2][1].split("=")[1].split("×")[0]) > 1
    converged = static_states(widget, _only(grid, surface=s.name, lr=below))["states"][0]
    assert not any(text.startswith("diverged") for text in _texts(converged))


# --- the other two widgets --------------------------------------------------------------------------------

def test_softmax_bars_are_nnmath_softmax():
    widget = widgets.softmax_temperature_playground()
    grid = widget.static_controls()
    temperatures, shifts = grid[0].values[::4], grid[1].values
    data = static_states(widget, _sub(grid, T=temperatures, shift=shifts))
    assert len(data["states"]) == len(temperatures) * len(shifts)
    for state, (T, shift) in zip(data["states"], itertools.product(temperatures, shifts)):
        p = softmax((widget.z + shift) / T)
        texts = _texts(state)
        assert [f"{v:.2f}" for v in p] == texts[-len(p) - 1:-1]  # the bar labels, then the title
        assert f"T = {T:.2f}" in texts[-1]


def test_regression_loss_is_nnmath_loss():
    widget = widgets.regression_loss_playground()
    grid = widget.static_controls()
    ws, bs, losses = grid[0].values[::5], grid[1].values[::4], ["mse", "mae"]
    states = static_states(widget, _sub(grid, w=ws, b=bs, loss=losses, outlier=[True]))["states"]
    x, y = widget.data[True]
    for state, (w, b, loss) in zip(states, itertools.product(ws, bs, losses)):
        fn = {"mse": mse, "mae": mae}[loss]
        assert f"{fn(w * x + b, y):.3f}" in _texts(state)[0]


# --- the mechanism ----------------------------------------------------------------------------------------

def _small(controls):
    """The first two values of each control (enough to test the mechanism quickly)."""
    return [StaticControl(c.name, c.description, c.values[:2], c.labels[:2], c.kind, 0) for c in controls]


@pytest.mark.parametrize("cls", STATIC_WIDGETS, ids=lambda c: c.__name__)
def test_html_is_deterministic_and_leaves_the_widget_as_it_was(cls, monkeypatch):
    monkeypatch.setenv("NNMATH_STATIC_HTML", "1")  # as in the book's build
    full = cls.static_controls
    monkeypatch.setattr(cls, "static_controls", lambda self: _small(full(self)))
    widget = cls()
    before = widget.values()
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/html" in bundle
    assert widget.values() == before
    frame = widget.render()
    widget.refresh()
    assert widget.render() == frame  # the live view draws the same picture as before
    html = bundle["text/html"]
    assert html == static_html(cls())
    packed = re.search(r'class="nnmath-static-data">([^<]*)</script>', html).group(1)
    data = json.loads(gzip.decompress(base64.b64decode(packed)))
    assert len(data["states"]) == int(np.prod([len(c["labels"]) for c in data["controls"]]))
    assert "http" not in html.replace("http-equiv", "")  # nothing fetched from anywhere
    assert len(html) < 1_500_000


def test_widgets_without_a_grid_offer_only_the_live_view():
    bundle = widgets.neuron_playground()._repr_mimebundle_()
    assert "text/html" not in bundle


def test_grid_control_from_a_step_keeps_the_current_value():
    widget = widgets.descent_playground(lr=0.08)
    c = grid_control(widget.controls["lr"], step=0.125)
    assert c.values[c.initial] == pytest.approx(0.08)
    assert 1e-4 <= min(c.values) and max(c.values) <= 10 ** 0.5
    assert np.allclose(np.diff(np.log10(c.values)), 0.125)
    slope = grid_control(widgets.regression_loss_playground().controls["w"], step=0.2)
    assert "-0.00" not in slope.labels and "0.00" in slope.labels


def test_static_control_rejects_bad_grids():
    with pytest.raises(ValueError, match="2 values but 1 labels"):
        StaticControl("a", "a", [1, 2], ["1"])
    with pytest.raises(ValueError, match="unknown kind"):
        StaticControl("a", "a", [1], ["1"], kind="knob")
    with pytest.raises(ValueError, match="initial index 3"):
        StaticControl("a", "a", [1], ["1"], initial=3)


def test_recorder_refuses_moving_images():
    fig, ax = plt.subplots()
    image = ax.imshow(np.zeros((2, 2)))
    fig.canvas.draw()
    with pytest.raises(ValueError, match="moving image"):
        record_artists(fig, [image], [], [])


@pytest.mark.parametrize("value", [None, "", "0", "yes"])
def test_no_static_version_outside_the_book_build(monkeypatch, value):
    """Notebooks as committed, nbval and JupyterLab store only the live view and its text/plain."""
    if value is None:
        monkeypatch.delenv("NNMATH_STATIC_HTML", raising=False)
    else:
        monkeypatch.setenv("NNMATH_STATIC_HTML", value)
    bundle = widgets.softmax_temperature_playground()._repr_mimebundle_()
    assert "text/html" not in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert "text/plain" in bundle


def test_the_book_build_adds_the_static_version(monkeypatch):
    monkeypatch.setenv("NNMATH_STATIC_HTML", "1")  # what _ext/nnmath_book.py sets for the build
    bundle = widgets.softmax_temperature_playground()._repr_mimebundle_()
    assert bundle["text/html"].startswith('<div class="nnmath-static"')
    assert "application/vnd.jupyter.widget-view+json" in bundle
