"""The controls of a widget — what a reader can move — as plain data.

A widget (:class:`~nnmath.widgets.Playground`) names its controls in a dict, ``name → control``; each name is a
keyword of its ``update``. A control holds its current ``value`` and what the page needs to draw it: the same
description serves the live view in a notebook and the kernel-free page of the book, both drawn by
``figure.js``. Values coming back from the page (JSON numbers and strings) go through :meth:`Control.coerce`,
which checks them, so ``update`` only ever sees valid values.

- :class:`Slider`: a number between ``min`` and ``max`` on a grid of ``step`` (``log=True``: the grid is in
  powers of ten, for learning rates and temperatures; ``integer=True``: whole numbers).
- :class:`Choice`: one of a few options, each shown by a label (a drop-down).
- :class:`Toggle`: on or off (a check box).
"""

from __future__ import annotations

import math

import numpy as np

from .._checks import as_scalar

__all__ = ["Control", "Slider", "Choice", "Toggle", "sweep_values", "format_value"]


def format_value(value, fmt: str) -> str:
    """``value`` formatted with a format spec such as ``".2f"``, ``".3g"`` or ``"d"`` (the page does the same)."""
    if fmt == "d":
        return str(int(round(value)))
    text = format(float(value), fmt)
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text  # no "-0.00"


class Control:
    """One control: a ``label`` shown before it and its current ``value``.

    Subclasses say how values are checked (:meth:`coerce`), how the page draws the control (:meth:`spec`) and
    which values a sweep visits (:meth:`sweep`).
    """

    kind = ""

    def __init__(self, label: str, value):
        if not isinstance(label, str):
            raise TypeError(f"a control's label must be a string; got {type(label).__name__}")
        self.label = label
        self.value = self.coerce(value)

    def coerce(self, value):  # pragma: no cover - every subclass defines it
        """The value as the widget's ``update`` receives it; a ValueError or TypeError if it is not allowed."""
        raise NotImplementedError

    def spec(self) -> dict:
        """The JSON description the page draws the control from."""
        return {"kind": self.kind, "label": self.label, "value": self.value}

    def sweep(self, n: int = 7) -> list:  # pragma: no cover - every subclass defines it
        """Values that span the control: both ends and ``n`` points between (for tests)."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.label!r}, value={self.value!r})"


class Slider(Control):
    """A number between ``min`` and ``max`` in steps of ``step``.

    With ``log=True`` the slider moves ``log10`` of the value in steps of ``step`` (decades): ``min`` and ``max``
    are still values (e.g. ``1e-4`` and ``3.16``). With ``integer=True`` values are ``int``. ``fmt`` is how the
    value is shown beside the slider (a format spec: ``".2f"``, ``".3g"``, ``"d"``); by default as many decimals
    as the step needs.
    """

    kind = "slider"

    def __init__(self, label: str, value, lo, hi, step, *, log: bool = False, integer: bool = False,
                 fmt: str | None = None):
        self.min = as_scalar(lo, "lo")
        self.max = as_scalar(hi, "hi")
        self.step = as_scalar(step, "step", positive=True)
        if not self.min < self.max:
            raise ValueError(f"slider {label!r}: lo must be below hi; got lo={self.min}, hi={self.max}")
        if log and self.min <= 0:
            raise ValueError(f"slider {label!r}: a log slider needs lo > 0; got {self.min}")
        self.log, self.integer = bool(log), bool(integer)
        if fmt is None:
            fmt = "d" if integer else (".3g" if log else f".{max(0, math.ceil(-math.log10(self.step) - 1e-9))}f")
        self.format = fmt
        super().__init__(label, value)

    def coerce(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"slider {self.label!r} takes a number; got {type(value).__name__} {value!r}")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"slider {self.label!r} takes a finite number; got {value}")
        # the page's grid points are computed in floating point: accept them a hair outside the range
        tolerance = 1e-9 * (self.max - self.min)
        if not self.min - tolerance <= value <= self.max + tolerance:
            raise ValueError(f"slider {self.label!r} takes values in [{self.min:g}, {self.max:g}]; got {value:g}")
        value = min(max(value, self.min), self.max)
        return int(round(value)) if self.integer else value

    def set_range(self, lo, hi, value=None) -> None:
        """Move the slider's ends (and its value, clipped into the new range unless given)."""
        lo, hi = as_scalar(lo, "lo"), as_scalar(hi, "hi")
        if not lo < hi:
            raise ValueError(f"slider {self.label!r}: lo must be below hi; got lo={lo}, hi={hi}")
        self.min, self.max = lo, hi
        self.value = self.coerce(min(max(self.value if value is None else value, lo), hi))

    def spec(self) -> dict:
        return {**super().spec(), "min": self.min, "max": self.max, "step": self.step, "log": self.log,
                "integer": self.integer, "format": self.format}

    def grid(self, step: float | None = None) -> list:
        """The values ``value + k * step`` inside the range (in decades for a log slider): with the slider's own
        step (the default), every value it can take; with a coarser one, a grid through the current value."""
        step = self.step if step is None else as_scalar(step, "step", positive=True)
        to = (lambda v: math.log10(v)) if self.log else float
        here, lo, hi = to(self.value), to(self.min), to(self.max)
        k = np.arange(np.ceil((lo - here) / step - 1e-9), np.floor((hi - here) / step + 1e-9) + 1)
        positions = here + k * step
        values = 10.0 ** positions if self.log else positions
        values = [float(v) + 0.0 for v in np.round(values, 10)]  # + 0.0: no "-0.00" label
        return [self.coerce(v) for v in dict.fromkeys(values)]

    def sweep(self, n: int = 7) -> list:
        if self.log:
            values = np.geomspace(self.min, self.max, n)
        else:
            values = np.linspace(self.min, self.max, n)
        values = [self.coerce(float(v)) for v in values]
        return list(dict.fromkeys(values))

    def text(self, value) -> str:
        """``value`` as the page shows it beside the slider."""
        return format_value(value, self.format)


class Choice(Control):
    """One of a few options: ``options`` is a list of values or of ``(label, value)`` pairs (a drop-down)."""

    kind = "choice"

    def __init__(self, label: str, value, options):
        pairs = [o if isinstance(o, tuple) else (str(o), o) for o in options]
        if not pairs:
            raise ValueError(f"choice {label!r} needs at least one option")
        for text, option in pairs:
            if not isinstance(text, str) or not isinstance(option, (str, int, float, bool)):
                raise TypeError(f"choice {label!r}: options are (label, value) pairs of a string and a JSON "
                                f"value; got {(text, option)!r}")
        self.options = pairs
        super().__init__(label, value)

    @property
    def choices(self) -> list:
        """The options' values, in order."""
        return [value for _, value in self.options]

    def coerce(self, value):
        if value not in self.choices:
            raise ValueError(f"choice {self.label!r} takes one of {self.choices}; got {value!r}")
        return self.choices[self.choices.index(value)]

    def spec(self) -> dict:
        return {**super().spec(), "options": [list(pair) for pair in self.options]}

    def sweep(self, n: int = 7) -> list:
        return self.choices

    def text(self, value) -> str:
        """The label of the option ``value``."""
        return self.options[self.choices.index(value)][0]


class Toggle(Control):
    """On or off (a check box)."""

    kind = "toggle"

    def coerce(self, value):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"toggle {self.label!r} takes True or False; got {type(value).__name__} {value!r}")
        return bool(value)

    def sweep(self, n: int = 7) -> list:
        return [False, True]

    def text(self, value) -> str:
        """``"on"`` or ``"off"``."""
        return "on" if value else "off"


def sweep_values(control: Control, n: int = 7) -> list:
    """Values spanning a control's whole range: both ends and ``n`` points between (for tests)."""
    if not isinstance(control, Control):
        raise TypeError(f"no sweep defined for {type(control).__name__}")
    return control.sweep(n)

