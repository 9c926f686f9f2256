"""Python time of a live move of chapter 5's gradient descent widget, and where the time goes.

A reader drags the learning-rate slider; the page sends each position to the kernel, which computes the path
(:func:`nnmath.descent.descend`), sets the artists and records the moving ones (path, markers, status text, loss
curve, learning-rate mark) as drawing commands that the page replays over the picture of the rest
(:mod:`nnmath.widgets.record`). This script makes the same moves in Python (``pg.set(lr=v)``), through values
around the default (elongated bowl, 50 steps, start (-2.5, 1)), and reports the median and 90th percentile of
the whole move, split by ``pg.last_timing`` into

* compute: :func:`nnmath.descent.descend` for the new learning rate (``pg.compute_time``);
* record: the moving artists as drawing commands;
* background: a new picture of the rest, only when ``static_key`` changes (the surface or the step axis);
* rest: checking the value, setting the artists' data.

It also times the other controls (a start-point move is like a learning-rate move; a change of the number of
steps past an end of the step axis or of the surface draws a new background) and, for comparison, the same frame
made the old ways: ``set_data`` and a full ``canvas.draw()`` encoded as PNG, and rebuilding the whole figure
(contours included) and saving it as PNG. One frame at 60 Hz is 16.7 ms; the page adds its own drawing time.

    .venv/bin/python benchmarks/bench_descent_widget.py [--moves 200]
"""

from __future__ import annotations

import argparse
import io
import json
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from nnmath.descent import descend  # noqa: E402
from nnmath.plots import widget_figure  # noqa: E402
from nnmath.plots.descent import draw_surface  # noqa: E402
from nnmath.widgets import DescentPlayground  # noqa: E402
from nnmath.widgets.png import rgb_png  # noqa: E402

FRAME_MS = 1000 / 60


def _stats(samples) -> str:
    a = np.asarray(samples) * 1e3
    return f"{np.median(a):8.2f} {np.percentile(a, 90):8.2f}"


def moves(pg, name, values):
    """Move one control through ``values``; per move: total, compute, record, background (seconds)."""
    rows = []
    for v in values:
        t0 = time.perf_counter()
        pg.set(**{name: v})
        total = time.perf_counter() - t0
        rows.append((total, pg.compute_time, pg.last_timing["record"], pg.last_timing["background"]))
    return np.array(rows)


def learning_rate_values(pg, count):
    """A drag back and forth across a decade around the default learning rate, never repeating a value."""
    lo, hi = np.log10(pg.controls["lr"].value) - 0.5, np.log10(pg.controls["lr"].value) + 0.3
    forth = np.linspace(lo, hi, count // 2)
    values = 10 ** np.concatenate([forth, forth[::-1] + 1e-4])
    return values[:count]


def full_draw_times(pg, values):
    """The same frames with ``set_data`` and a full redraw of everything, encoded as PNG (the old way)."""
    times = []
    v = pg.values()
    for artist in pg.dynamic:
        artist.set_animated(False)
    for lr in values:
        t0 = time.perf_counter()
        pg.update(**{**v, "lr": lr})
        pg.figure.canvas.draw()
        rgb_png(pg.figure.canvas.buffer_rgba())
        times.append(time.perf_counter() - t0)
    return times


def rebuild_times(values, surface="elongated_bowl", start=(-2.5, 1.0), steps=50):
    """The naive widget: a new figure with contours, path and loss curve per move, saved as PNG by matplotlib."""
    times = []
    for lr in values:
        t0 = time.perf_counter()
        fig, (ax, ax_loss) = widget_figure(2, width=9.6, height=4.9)
        draw_surface(ax, surface)
        path = descend(surface, start, lr=lr, steps=steps)
        ax.plot(*path.points.T, "-o")
        ax_loss.semilogy(path.losses)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        times.append(time.perf_counter() - t0)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()

    t0 = time.perf_counter()
    pg = DescentPlayground()
    pg.widget  # noqa: B018  the live view: layout, background, first frame
    first = time.perf_counter() - t0
    w, h = pg.figure.canvas.get_width_height()
    print(f"gradient descent widget, defaults {pg.values()}, figure {w} x {h} px")
    print(f"first frame (build, layout, background, commands): {first * 1e3:.0f} ms")
    frame = pg.refresh()
    print(f"one frame sent to the page: {len(json.dumps(frame)) / 1e3:.1f} kB of JSON "
          f"({len(frame['commands'])} drawing commands)\n")

    values = learning_rate_values(pg, args.moves)
    rows = moves(pg, "lr", values)
    total, compute, record, background = rows.T
    rest = total - compute - record - background
    print(f"{'learning-rate slider, ' + str(len(values)) + ' moves':46s} {'median':>8s} {'p90':>8s}   (ms)")
    for name, col in (("whole move (pg.set)", total), ("  compute the path (descend)", compute),
                      ("  record the moving artists", record), ("  background (static_key changed)", background),
                      ("  rest (check, adjust, artists' data)", rest)):
        print(f"{name:46s} {_stats(col)}")
    verdict = "within" if np.median(total) * 1e3 < FRAME_MS else "OVER"
    print(f"median {np.median(total) * 1e3:.1f} ms: {verdict} one 60 Hz frame ({FRAME_MS:.1f} ms)\n")

    pg.set(lr=0.08)
    x_rows = moves(pg, "x0", np.linspace(-2.9, -0.5, 60))
    print(f"{'start x0 slider, 60 moves':46s} {_stats(x_rows[:, 0])}")
    step_rows = moves(pg, "steps", list(range(20, 80)))
    print(f"{'steps slider, 60 moves (3 step-axis ends)':46s} {_stats(step_rows[:, 0])}")
    pg.set(steps=50)
    surface_rows = moves(pg, "surface", ["bowl", "rosenbrock", "two_minima", "saddle", "elongated_bowl"] * 3)
    print(f"{'surface dropdown, 15 changes':46s} {_stats(surface_rows[:, 0])}\n")

    subset = values[:60]
    print("the same learning-rate frame made the old ways (ms):")
    old_way = full_draw_times(DescentPlayground(), subset)
    print(f"{'  set_data + full canvas.draw() + encode PNG':46s} {_stats(old_way)}")
    print(f"{'  rebuild the figure + savefig PNG':46s} {_stats(rebuild_times(subset[:20]))}")


if __name__ == "__main__":
    main()
