"""Every widget keeps the contract of ``nnmath.widgets.Playground``, at every position of every control.

The tests find the widgets by themselves (every :class:`~nnmath.widgets.Playground` that ``nnmath.widgets``
exports) and check, for each, built with its defaults:

- the sweep: each control across its whole range with the others at their defaults, then corners of the control
  space (a fixed sample of 40 where there are more): no exception, no warning, a frame each time that the page
  can read (JSON), and frames that change as the controls move;
- the rules: everything outside ``dynamic`` depends only on ``static_key``, and ``update`` depends only on its
  arguments, never on the state before;
- the live view: it answers every request from the page, an impossible one with an error it shows;
- a static mode (``"grid"`` or ``"page"``): no widget of the book is left without a kernel-free version.
"""

import hashlib
import itertools
import json
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnmath import widgets
from nnmath.widgets import Playground, sweep_values
from nnmath.widgets.controls import Choice, Slider, Toggle

PLAYGROUNDS = sorted(
    (obj for obj in vars(widgets).values() if isinstance(obj, type) and issubclass(obj, Playground)
     and obj is not Playground),
    key=lambda c: c.__name__,
)
MAX_CORNERS = 40


def test_the_widgets_are_found():
    assert {"NeuronPlayground", "DescentPlayground"} <= {c.__name__ for c in PLAYGROUNDS}


def _corners(control):
    values = sweep_values(control)
    return values if len(values) <= 6 else [values[0], values[-1]]


def _states(pg, max_corners=MAX_CORNERS):
    """The sweep's states: each control across its range (others at their defaults), then corners."""
    defaults = pg.values()
    for name, control in pg.controls.items():
        for value in sweep_values(control):
            yield {**defaults, name: value}
    names = list(pg.controls)
    combos = list(itertools.product(*(_corners(pg.controls[n]) for n in names)))
    if len(combos) > max_corners:  # a fixed, seeded sample keeps the sweep fast for many controls
        keep = np.random.default_rng(0).choice(len(combos) - 2, max_corners - 2, replace=False) + 1
        combos = [combos[0], combos[-1]] + [combos[i] for i in sorted(keep)]
    for combo in combos:
        yield dict(zip(names, combo))


def _visit(pg, state) -> dict:
    """Move the controls to ``state`` one by one, as a reader does (a slider whose range another control moved is
    clipped into its new range); the frame."""
    for name, value in state.items():
        control = pg.controls[name]
        if isinstance(control, Slider):
            value = min(max(value, control.min), control.max)
        pg.set(**{name: value})
    return pg.refresh()


def _commands(frame) -> str:
    """The frame with its table indices resolved (the tables grow with the states a widget has seen)."""
    resolved = []
    for command in frame["commands"]:
        command = [command[0], frame["styles"][command[1]], *command[2:]]
        if command[0] == "m":
            command[2] = frame["markers"][command[2]]
        if command[0] == "i":
            command[2] = frame["images"][command[2]]
        resolved.append(command)
    return json.dumps([resolved, frame["labels"]], sort_keys=True)


@pytest.fixture(autouse=True)
def _no_figures_left():
    before = plt.get_fignums()
    yield
    assert plt.get_fignums() == before, "a widget left a pyplot figure behind"


@pytest.mark.parametrize("cls", PLAYGROUNDS, ids=lambda c: c.__name__)
def test_sweep_every_control(cls):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pg = cls()
        pg.widget  # noqa: B018  builds the live view and draws the first frame
        frames = set()
        for state in _states(pg):
            frame = _visit(pg, state)
            json.dumps(frame)  # the page reads it as JSON
            assert frame["commands"], f"{cls.__name__}: nothing moves at {state}"
            assert set(frame["labels"]) <= set(pg.controls)
            frames.add(_commands(frame))
    assert len(frames) > len(pg.controls), "moving the controls barely changes the figure"


@pytest.mark.parametrize("cls", PLAYGROUNDS, ids=lambda c: c.__name__)
def test_the_rest_of_the_figure_depends_only_on_static_key(cls):
    pg = cls()
    pictures = {}
    for state in itertools.islice(_states(pg, max_corners=8), 0, None, 2):
        pg.update(**state)
        picture = hashlib.sha1(pg.background_rgba().tobytes()).hexdigest()
        key = pg.static_key
        assert pictures.setdefault(key, picture) == picture, (
            f"{cls.__name__}: at {state} the figure outside `dynamic` changed but static_key stayed {key!r}")


@pytest.mark.parametrize("cls", PLAYGROUNDS, ids=lambda c: c.__name__)
def test_update_depends_only_on_its_arguments(cls):
    states = list(_states(cls(), max_corners=6))[::3][:6]
    fresh = {}
    for i, state in enumerate(states):
        pg = cls()
        pg.update(**state)
        fresh[i] = _commands(pg.frame())
    pg = cls()
    for i in [*range(len(states)), *reversed(range(len(states)))]:  # one widget, through every state and back
        pg.update(**states[i])
        assert _commands(pg.frame()) == fresh[i], f"{cls.__name__}: the frame at {states[i]} depends on the past"


@pytest.mark.parametrize("cls", PLAYGROUNDS, ids=lambda c: c.__name__)
def test_every_widget_moves_in_the_static_book(cls):
    assert cls.static_mode in ("grid", "page"), f"{cls.__name__} has no kernel-free version"
    assert "static" in (cls.__doc__ or "") or "page" in (cls.__doc__ or ""), (
        f"{cls.__name__}'s docstring should say why it moves in the static book the way it does")


@pytest.mark.parametrize("cls", PLAYGROUNDS, ids=lambda c: c.__name__)
def test_the_live_view_answers_the_page(cls):
    pg = cls()
    view = pg.widget
    name, control = next((n, c) for n, c in pg.controls.items() if len(sweep_values(c)) > 1)
    value = next(v for v in sweep_values(control) if v != control.value)
    before = view.frame["seq"]
    view.request = {"seq": 7, "values": {**pg.values(), name: value}}
    assert view.frame["answer"] == 7 and view.frame["seq"] > before and "error" not in view.frame
    assert pg.values()[name] == value
    view.request = {"seq": 8, "values": {name: "not a value"}}  # what no control of the page could send
    assert view.frame["answer"] == 8 and view.frame["error"]
    assert pg.values()[name] == value, "a bad request changed the widget"


@pytest.mark.parametrize("cls", PLAYGROUNDS, ids=lambda c: c.__name__)
def test_the_text_form_names_the_widget(cls, monkeypatch):
    monkeypatch.delenv("NNMATH_STATIC_HTML", raising=False)
    bundle, _ = cls()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/html" not in bundle
    assert "0x" not in bundle["text/plain"] and "live widget" in bundle["text/plain"]


def test_unknown_control_is_named():
    pg = widgets.NeuronPlayground()
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['w3'\]"):
        pg.set(w3=1.0)


@pytest.mark.parametrize(("control", "bad", "error"), [
    (Slider("s", 0.5, 0, 1, 0.1), 1.5, ValueError),
    (Slider("s", 0.5, 0, 1, 0.1), float("nan"), ValueError),
    (Slider("s", 0.5, 0, 1, 0.1), "0.5", TypeError),
    (Slider("s", 0.5, 0, 1, 0.1), True, TypeError),
    (Choice("c", "a", ["a", "b"]), "z", ValueError),
    (Toggle("t", False), 1, TypeError),
])
def test_controls_refuse_what_they_cannot_show(control, bad, error):
    with pytest.raises(error, match=repr(control.label)):
        control.coerce(bad)


def test_slider_grids():
    lr = Slider("η", 0.08, 1e-4, 10 ** 0.5, 0.01, log=True)
    grid = lr.grid(step=0.125)
    assert 0.08 in grid and grid == sorted(grid) and grid[0] >= 1e-4 and grid[-1] <= 10 ** 0.5
    assert np.allclose(np.diff(np.log10(grid)), 0.125)
    steps = Slider("k", 5, 1, 9, 1, integer=True)
    assert steps.grid() == list(range(1, 10)) and all(isinstance(v, int) for v in steps.grid())
    assert Slider("w", -0.3, -3, 3, 0.1).text(-0.0) == "0.0"
    with pytest.raises(ValueError, match="lo must be below hi"):
        Slider("w", 0, 1, 1, 0.1)


def test_neuron_decision_line_is_perpendicular_to_w():
    pg = widgets.NeuronPlayground()
    pg.update(w1=2.0, w2=-1.0, b=1.0, activation="sigmoid")
    x, y = pg.line.get_data()
    assert abs((x[1] - x[0]) * 2.0 + (y[1] - y[0]) * -1.0) < 1e-9
    assert abs(2.0 * x[0] - 1.0 * y[0] + 1.0) < 1e-9  # every point of the line has z = w.x + b = 0
