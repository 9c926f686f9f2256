"""Every widget survives every position of every control: no exception, no warning, a picture each time.

The sweep covers each exported :class:`~nnmath.widgets.Playground` subclass, built with its defaults:
each control across its whole range with the others at their defaults, then every corner of the
control space (each slider at its ends, each choice, each checkbox state; a fixed sample of 40
corners where there are more).
"""

import inspect
import itertools
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnmath import widgets
from nnmath.widgets import Playground, sweep_values

PLAYGROUNDS = sorted(
    (obj for obj in vars(widgets).values()
     if inspect.isclass(obj) and issubclass(obj, Playground) and obj is not Playground),
    key=lambda c: c.__name__,
)


def test_every_widget_module_is_swept():
    assert {"NeuronPlayground", "LinearMapPlayground"} <= {c.__name__ for c in PLAYGROUNDS}


MAX_CORNERS = 40


def _corners(control):
    values = sweep_values(control)
    return values if len(values) <= 6 else [values[0], values[-1]]


@pytest.mark.parametrize("cls", PLAYGROUNDS, ids=lambda c: c.__name__)
def test_sweep_every_control(cls):
    figures_before = plt.get_fignums()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pg = cls()
        pg.widget  # noqa: B018  builds the view and renders the first picture
        first = bytes(pg.image.value)
        assert first.startswith(b"\x89PNG"), "the first picture is not a PNG"
        pictures = {first}
        defaults = pg.values()
        for name, control in pg.controls.items():
            for value in sweep_values(control):
                pg.set(**{name: value})
                assert bytes(pg.image.value).startswith(b"\x89PNG")
                pictures.add(bytes(pg.image.value))
            pg.set(**{name: defaults[name]})
        names = list(pg.controls)
        combos = list(itertools.product(*(_corners(pg.controls[n]) for n in names)))
        if len(combos) > MAX_CORNERS:  # a fixed, seeded sample keeps the sweep fast for many controls
            keep = np.random.default_rng(0).choice(len(combos) - 2, MAX_CORNERS - 2, replace=False) + 1
            combos = [combos[0], combos[-1]] + [combos[i] for i in sorted(keep)]
        for combo in combos:
            pg.set(**dict(zip(names, combo)))
            assert bytes(pg.image.value).startswith(b"\x89PNG")
    assert len(pictures) > len(pg.controls), "moving the controls barely changes the picture"
    assert plt.get_fignums() == figures_before, "a widget left a pyplot figure behind"


@pytest.mark.parametrize("cls", PLAYGROUNDS, ids=lambda c: c.__name__)
def test_moving_a_control_redraws_through_the_observer(cls):
    pg = cls()
    pg.widget  # noqa: B018
    before = pg.image.value
    name, control = next((n, c) for n, c in pg.controls.items() if len(sweep_values(c)) > 1)
    control.value = next(v for v in sweep_values(control) if v != control.value)
    assert pg.image.value != before


def test_unknown_control_is_named():
    pg = widgets.NeuronPlayground()
    with pytest.raises(ValueError, match=r"unknown control\(s\) \['w3'\]"):
        pg.set(w3=1.0)


def test_neuron_playground_decision_line_is_perpendicular_to_w():
    pg = widgets.NeuronPlayground()
    pg.update(w1=2.0, w2=-1.0, b=1.0, activation="sigmoid")
    x, y = pg.line.get_data()
    direction = (x[1] - x[0], y[1] - y[0])
    assert abs(direction[0] * 2.0 + direction[1] * -1.0) < 1e-9
    # every point of the line has z = w.x + b = 0
    assert abs(2.0 * x[0] - 1.0 * y[0] + 1.0) < 1e-9


def test_linear_map_sends_basis_vectors_to_rows_of_W():
    pg = widgets.LinearMapPlayground()
    pg.update(w11=1.5, w12=-0.5, w21=0.3, w22=2.0, relu_after=False)
    assert pg.arrows_out[0].xy == pytest.approx((1.5, -0.5))
    assert pg.arrows_out[1].xy == pytest.approx((0.3, 2.0))
