"""Slider-callback latency of every widget of the book: what a reader waits for after moving a control.

For each exported Playground, with its default settings, this moves each control to a few values and
times the whole callback (update the artists + render the PNG that the Image widget shows), then
prints the median and the 90th percentile per widget, and the split between updating and rendering.
One frame at 60 Hz is 16.7 ms.

    .venv/bin/python benchmarks/bench_widgets.py [--repeats 5]
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
    pg = cls()
    pg.widget  # noqa: B018  first render, layout frozen
    updates, renders = [], []
    defaults = pg.values()
    for _ in range(repeats):
        for name, control in pg.controls.items():
            for value in sweep_values(control, n=5):
                values = {**defaults, name: value}
                t0 = time.perf_counter()
                pg.update(**values)
                t1 = time.perf_counter()
                pg.image.value = pg.render()
                t2 = time.perf_counter()
                updates.append(t1 - t0)
                renders.append(t2 - t1)
    total = np.add(updates, renders) * 1e3
    return np.median(total), np.percentile(total, 90), np.median(updates) * 1e3, np.median(renders) * 1e3, len(total)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'widget':28s} {'median ms':>10s} {'p90 ms':>8s} {'update ms':>10s} {'render ms':>10s} {'moves':>6s}")
    for cls in playgrounds():
        med, p90, upd, ren, n = time_widget(cls, args.repeats)
        print(f"{cls.__name__:28s} {med:10.1f} {p90:8.1f} {upd:10.2f} {ren:10.1f} {n:6d}")


if __name__ == "__main__":
    main()
