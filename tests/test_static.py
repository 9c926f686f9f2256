"""The static book's widgets (nnmath.widgets.static): what the page replays or evaluates is what nnmath computes.

``"grid"`` widgets: the recorded states are checked against nnmath itself (the descent paths against
``nnmath.descent.descend``, the softmax bars against ``nnmath.activations.softmax``), with one pixel of
tolerance where positions are rounded to pixels (on another CPU the last bits of a point can move it across a
rounding boundary). ``"page"`` widgets: the data the page's equation reads is complete (``tests/browser`` runs the
equation itself against ``numbers()``). The browser tests move every control in the built book.
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
from nnmath.plots.descent import outcome
from nnmath.surfaces import get_surface
from nnmath.widgets import Playground
from nnmath.widgets.record import RecordingRenderer, record_artists
from nnmath.widgets.static import StaticControl, grid_control, page_data, static_html, static_states

PLAYGROUNDS = sorted((obj for obj in vars(widgets).values() if isinstance(obj, type) and issubclass(obj, Playground)
                      and obj is not Playground), key=lambda c: c.__name__)
GRID = [c for c in PLAYGROUNDS if c.static_mode == "grid"]
PAGE = [c for c in PLAYGROUNDS if c.static_mode == "page"]


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
    """Whether one of the recorded runs of whole pixels is ``expected``, give or take a pixel."""
    want = np.asarray(expected)
    return any(len(c) == len(want) and np.max(np.abs(np.asarray(c) - want), initial=0) <= 1 for c in candidates)


def _unpack(html):
    packed = re.search(r'class="nnmath-figure-data">([^<]*)</script>', html).group(1)
    return json.loads(gzip.decompress(base64.b64decode(packed)))


# --- the descent paths are nnmath's -----------------------------------------------------------------------

@pytest.mark.parametrize("surface", ["bowl", "elongated_bowl", "rosenbrock", "two_minima", "saddle"])
@pytest.mark.parametrize("start", [0, 1, 2])
def test_descent_paths_are_those_nnmath_computes(surface, start):
    widget = widgets.DescentPlayground()
    grid = widget.static_controls()
    lrs = grid[1].values[::10] + [grid[1].values[-1]]
    states = static_states(widget, _sub(grid, surface=[surface], lr=lrs, start=[start], steps=[50]))["states"]
    s = get_surface(surface)
    widget.update(**widget.static_values(dict(surface=surface, lr=lrs[0], start=start, steps=50)))  # its axes
    widget.record()  # applies the axes' aspect, as the recording did
    for lr, state in zip(lrs, states):
        path = descend(s, widget.static_starts(surface)[start], lr=lr, steps=50)
        expected = _pixels(widget.ax, path.points)
        markers = [command[3] for command in state[1] if command[0] == "m"]
        lines = [poly for command in state[1] if command[0] == "p" for poly in command[2]]
        assert _within_a_pixel(expected, markers), f"{surface}, lr={lr}: no marker run at the path's points"
        if len(path.points) > 1:  # a single point is a marker, not a line
            assert _within_a_pixel(expected, lines), f"{surface}, lr={lr}: no polyline through the path's points"
        assert outcome(path, s) in _texts(state)


def test_descent_shows_diverged_above_two_over_L():
    widget = widgets.DescentPlayground()
    grid = widget.static_controls()
    s = get_surface("elongated_bowl")
    above = next(lr for lr in grid[1].values if lr > 1.2 * s.lr_limit)
    below = max(lr for lr in grid[1].values if lr < 0.9 * s.lr_limit)
    diverged = static_states(widget, _only(grid, surface=s.name, lr=above))["states"][0]
    assert any(text.startswith("diverged") for text in _texts(diverged))
    assert "× 2/μ_max" in diverged[2][1] and float(diverged[2][1].split("=")[1].split("×")[0]) > 1
    converged = static_states(widget, _only(grid, surface=s.name, lr=below))["states"][0]
    assert not any(text.startswith("diverged") for text in _texts(converged))


def test_softmax_bars_are_nnmath_softmax():
    widget = widgets.SoftmaxTemperaturePlayground()
    grid = widget.static_controls()
    temperatures, shifts = grid[0].values[::4], grid[1].values
    data = static_states(widget, _sub(grid, T=temperatures, shift=shifts))
    assert len(data["states"]) == len(temperatures) * len(shifts)
    for state, (T, shift) in zip(data["states"], itertools.product(temperatures, shifts)):
        p = softmax((widget.z + shift) / T)
        texts = _texts(state)
        assert [f"{v:.2f}" for v in p] == texts[-len(p) - 1:-1]  # the bar labels, then the title
        assert f"T = {T:.2f}" in texts[-1]


# --- the mechanism ----------------------------------------------------------------------------------------

def _small(controls):
    """The first two values of each control (enough to test the mechanism quickly)."""
    return [StaticControl(c.name, c.description, c.values[:2], c.labels[:2], c.kind, 0) for c in controls]


@pytest.mark.parametrize("cls", GRID, ids=lambda c: c.__name__)
def test_grid_html_is_deterministic_and_leaves_the_widget_as_it_was(cls, monkeypatch):
    monkeypatch.setenv("NNMATH_STATIC_HTML", "1")  # as in the book's build
    full = cls.static_controls
    monkeypatch.setattr(cls, "static_controls", lambda self: _small(full(self)))
    widget = cls()
    before = widget.values()
    picture = widget.render()
    bundle = widget._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}, "the build keeps no live view (no widget state to save)"
    assert widget.values() == before
    widget.update(**before)
    assert widget.render() == picture  # the widget draws the same picture as before
    html = bundle["text/html"]
    assert html == static_html(cls())
    data = _unpack(html)
    assert len(data["states"]) == int(np.prod([len(c["labels"]) for c in data["controls"]]))
    assert "http" not in html.replace("http-equiv", "")  # nothing fetched from anywhere


@pytest.mark.parametrize("cls", GRID, ids=lambda c: c.__name__)
def test_every_grid_is_small_enough_for_a_page(cls):
    states = int(np.prod([len(c.values) for c in cls().static_controls()]))
    assert 2 <= states <= 20_000, f"{cls.__name__}: {states} states"


@pytest.mark.parametrize("cls", PAGE, ids=lambda c: c.__name__)
def test_page_data_is_complete(cls):
    widget = cls()
    data = page_data(widget)
    json.dumps(data)
    assert data["equation"] and "nnmathEquations = globalThis.nnmathEquations" in cls.page_script
    assert f".{data['equation']} = function" in cls.page_script
    assert data["backgrounds"] and all(b.startswith("data:image/png;base64,") for b in data["backgrounds"])
    assert {c["name"] for c in data["controls"]} == set(widget.controls)
    for name, template in data["templates"].items():
        assert 0 <= template["style"] < len(data["styles"]), name
    assert callable(widget.numbers), "a page widget computes its numbers with nnmath, for the parity test"


def test_grid_control_keeps_the_current_value():
    widget = widgets.DescentPlayground(lr=0.08)
    c = grid_control(widget.controls["lr"], widget.controls["lr"].grid(step=0.125))
    assert c.values[c.initial] == pytest.approx(0.08)
    assert 1e-4 <= min(c.values) and max(c.values) <= 10 ** 0.5
    assert np.allclose(np.diff(np.log10(c.values)), 0.125)
    shift = grid_control(widgets.SoftmaxTemperaturePlayground().controls["shift"])
    assert "-0.0" not in shift.labels and "0.0" in shift.labels


def test_static_control_rejects_bad_grids():
    with pytest.raises(ValueError, match="2 values but 1 labels"):
        StaticControl("a", "a", [1, 2], ["1"])
    with pytest.raises(ValueError, match="unknown kind"):
        StaticControl("a", "a", [1], ["1"], kind="knob")
    with pytest.raises(ValueError, match="initial index 3"):
        StaticControl("a", "a", [1], ["1"], initial=3)


def test_a_moving_image_is_recorded_as_its_data():
    fig, ax = plt.subplots(figsize=(2, 2), dpi=100)
    image = ax.imshow(np.arange(6.0).reshape(2, 3), origin="lower", extent=(0, 3, 0, 2), cmap="gray")
    fig.canvas.draw()
    images = []
    (command,) = record_artists(fig, [image], [], [], images)
    assert command[0] == "i" and len(images) == 1
    png = base64.b64decode(images[0].split(",")[1])
    assert png[16:24] == (3).to_bytes(4, "big") + (2).to_bytes(4, "big")  # 3 × 2 pixels: one per data point
    assert command[5] > 0 and command[6] > 0  # stretched over the extent


def test_texts_are_laid_out_as_agg_lays_them_out():
    # the recording renderer gives matplotlib's text layout the font heights it would compute itself
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    texts = [ax.text(0.1, 0.2, "one line"), ax.text(0.2, 0.5, "two\nlines", fontsize=13, fontweight="bold"),
             ax.text(0.3, 0.7, "in a box", bbox=dict(boxstyle="round,pad=0.3")), ax.set_title("α − 1 = 0.5"),
             ax.text(0.5, 0.1, "x = 1.25\ny = −3", family="monospace", fontsize=7, linespacing=1.6),
             ax.text(0.6, 0.6, r"$\eta\mu$ = 0.5", style="italic", rotation=30)]
    fig.canvas.draw()
    recorder = RecordingRenderer(fig, [], [])
    agg = fig.canvas.get_renderer()
    for text in texts:
        (box, lines, (corner, size)), (box2, lines2, (corner2, size2)) = (text._get_layout(recorder),
                                                                          text._get_layout(agg))
        assert (box.bounds, lines, corner, size) == (box2.bounds, lines2, corner2, size2), text.get_text()
    record_artists(fig, texts, [], [])


def test_an_artist_is_recorded_again_whenever_anything_it_depends_on_changes():
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    line, = ax.plot([0, 1, 2], [0, 1, 0])
    text = ax.text(0.5, 0.5, "a box", bbox=dict(boxstyle="round", fc="white"))
    log_line, = plt.figure().add_subplot(yscale="log").plot([1, 2], [1, 10])
    fig.canvas.draw()
    recorder = RecordingRenderer(fig, [], [])

    def record():
        return json.dumps(recorder.record([line, text]))

    first = record()
    assert recorder._unchanged(line) is not None and recorder._unchanged(log_line) is None  # log axes: drawn anew
    assert record() == first  # nothing changed: the same commands, kept
    moves = [lambda: line.set_color("red"), lambda: line.set_data([0, 1, 2], [1, 1, 0]),
             lambda: ax.set_xlim(-1, 3), lambda: text.set_text("another box"),
             lambda: text.get_bbox_patch().set_facecolor("yellow"), lambda: text.set_position((0.2, 0.3))]
    seen = {first}
    for move in moves:
        move()
        now = record()
        fresh = json.dumps(RecordingRenderer(fig, recorder.styles, recorder.markers).record([line, text]))
        assert now == fresh and now not in seen  # recorded again, as a new renderer records it
        seen.add(now)
    Playground.restyle(line, data=([0, 1, 2], [1, 1, 0]), color="red")  # the values it has: left as it is
    assert not line.stale and record() == now


def test_other_images_cannot_move():
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((2, 2)))
    fig.canvas.draw()
    with pytest.raises(ValueError, match="only an AxesImage can move"):
        record_artists(fig, [ax], [], [])


@pytest.mark.parametrize("value", [None, "", "0", "yes"])
def test_no_static_version_outside_the_book_build(monkeypatch, value):
    """Notebooks as committed, nbval and JupyterLab store only the live view and its text/plain."""
    if value is None:
        monkeypatch.delenv("NNMATH_STATIC_HTML", raising=False)
    else:
        monkeypatch.setenv("NNMATH_STATIC_HTML", value)
    bundle, _ = widgets.SoftmaxTemperaturePlayground()._repr_mimebundle_()
    assert "text/html" not in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert "text/plain" in bundle


def test_the_book_build_gets_the_static_version_only(monkeypatch):
    monkeypatch.setenv("NNMATH_STATIC_HTML", "1")  # what _ext/nnmath_book.py sets for the build
    bundle = widgets.NeuronPlayground()._repr_mimebundle_()
    assert bundle["text/html"].startswith('<div class="nnmath-figure" data-static="page"')
    assert "application/vnd.jupyter.widget-view+json" not in bundle
