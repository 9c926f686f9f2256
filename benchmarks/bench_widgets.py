"""Python time of a live move, for every widget of the book: what the kernel spends before the page can draw.

For each exported Playground, with its default settings, this moves each control to a few values as the page
would (``pg.set(name=value)``: check the value, adjust the other controls, update the artists, record the moving
artists as drawing commands, and draw the picture of the rest when ``static_key`` changed), then prints the median
and the 90th percentile per widget, and the split ``pg.last_timing`` reports: the background (a new picture, only
when ``static_key`` changes) and the recording of the moving artists; "update" is the rest (computing the state
with ``nnmath`` and setting the artists). One frame at 60 Hz is 16.7 ms; the page adds its own drawing time.

    .venv/bin/python benchmarks/bench_widgets.py [--repeats 3] [--only Descent]
"""

from __future__ import annotations

import argparse
import inspect
import time

import numpy as np

from nnmath import widgets
from nnmath.widgets import Playground, sweep_values


def playgrounds():
    return sorted((obj for obj in vars(widgets).values()
                   if inspect.isclass(obj) and issubclass(obj, Playground) and obj is not Playground),
                  key=lambda c: c.__name__)


def time_widget(cls, repeats: int):
    """Per move: the whole ``pg.set`` and its parts (seconds), over every control's sweep, ``repeats`` times."""
    pg = cls()
    pg.widget  # noqa: B018  the live view: the layout is frozen and the first frame drawn
    defaults = pg.values()
    rows = []
    for _ in range(repeats):
        for name, control in pg.controls.items():
            for value in sweep_values(control, n=5):
                control_now = pg.controls[name]  # a range another control moved: clip into it, as the page does
                if hasattr(control_now, "min"):
                    value = min(max(value, control_now.min), control_now.max)
                t0 = time.perf_counter()
                pg.set(**{name: value})
                total = time.perf_counter() - t0
                rows.append((total, pg.last_timing["background"], pg.last_timing["record"]))
            pg.set(**{name: defaults[name]})
    return np.array(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="", help="time only the widgets whose class name contains this")
    args = parser.parse_args()
    print(f"{'widget':30s} {'median ms':>10s} {'p90 ms':>8s} {'update ms':>10s} {'record ms':>10s} "
          f"{'bg ms':>7s} {'moves':>6s}")
    for cls in playgrounds():
        if args.only not in cls.__name__:
            continue
        rows = time_widget(cls, args.repeats) * 1e3
        total, background, record = rows.T
        update = total - background - record
        print(f"{cls.__name__:30s} {np.median(total):10.1f} {np.percentile(total, 90):8.1f} {np.median(update):10.2f} "
              f"{np.median(record):10.2f} {np.median(background):7.2f} {len(total):6d}")


if __name__ == "__main__":
    main()
