"""Slider-callback latency of chapter 5's gradient descent widget, and where the time goes.

A reader drags the learning-rate slider; each move runs the whole callback: compute the path
(:func:`nnmath.descent.descend`), update the artists, blit them over the cached background, encode the
frame as PNG and hand it to the Image widget. This script moves the slider through values around the
default (elongated bowl, 50 steps, start (-2.5, 1)) exactly as the slider would (``control.value = v``, so
the observer runs) and reports the median and 90th percentile of the whole callback, split into

* compute: :func:`nnmath.descent.descend` for the new learning rate;
* draw: restoring the cached background and drawing the moving artists (path, markers, status text, loss
  curve, learning-rate mark);
* encode: the frame (960 × 490 pixels) to PNG;
* rest: updating the artists' data and the ipywidgets bookkeeping.

For comparison it times the same frame made the slow ways: ``set_data`` and a full ``canvas.draw()``, and
rebuilding the whole figure (contours included) and saving it as PNG, plus the other sliders (a start-point
move is like a learning-rate move; a change of the number of steps or of the surface redraws the cached
background). One frame at 60 Hz is 16.7 ms.

    .venv/bin/python benchmarks/bench_descent_widget.py [--moves 200]
"""

from __future__ import annotations

import argparse
import io
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from nnmath.descent import descend  # noqa: E402
from nnmath.plots import widget_figure  # noqa: E402
from nnmath.plots.descent import draw_surface  # noqa: E402
from nnmath.widgets import DescentPlayground  # noqa: E402
from nnmath.widgets._png import rgb_png  # noqa: E402

FRAME_MS = 1000 / 60


def _stats(samples) -> str:
    a = np.asarray(samples) * 1e3
    return f"{np.median(a):8.2f} {np.percentile(a, 90):8.2f}"


def slider_moves(pg, name, values):
    """Move one control through ``values``; per move: total, compute, draw, encode (seconds)."""
    rows = []
    for v in values:
        t0 = time.perf_counter()
        pg.controls[name].value = v
        total = time.perf_counter() - t0
        rows.append((total, pg.compute_time, pg.last_timing["draw"], pg.last_timing["encode"]))
    return np.array(rows)


def learning_rate_values(pg, moves):
    """A drag back and forth across a decade around the default learning rate, never repeating a value."""
    lo, hi = np.log10(pg.controls["lr"].value) - 0.5, np.log10(pg.controls["lr"].value) + 0.3
    forth = np.linspace(lo, hi, moves // 2)
    values = 10 ** np.concatenate([forth, forth[::-1] + 1e-4])
    return values[: moves]


def full_draw_times(pg, values):
    """The same frames with ``set_data`` and a full redraw of everything, then the same PNG encoder."""
    times = []
    v = pg.values()
    for dynamic in pg.dynamic:
        dynamic.set_animated(False)
    for lr in values:
        t0 = time.perf_counter()
        pg.update(**{**v, "lr": lr})
        pg.figure.canvas.draw()
        rgb_png(pg.figure.canvas.buffer_rgba())
        times.append(time.perf_counter() - t0)
    for dynamic in pg.dynamic:
        dynamic.set_animated(True)
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


def pillow_encode_times(pg, repeats=30):
    """The frame encoded by Pillow (what the other widgets use), for comparison with :func:`rgb_png`."""
    rgba = np.asarray(pg.figure.canvas.buffer_rgba())
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        buf = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(rgba[..., :3])).save(buf, format="png", compress_level=1)
        times.append(time.perf_counter() - t0)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()

    pg = DescentPlayground()
    t0 = time.perf_counter()
    pg.widget  # noqa: B018  first picture: layout, background, first frame
    first = time.perf_counter() - t0
    w, h = pg.figure.canvas.get_width_height()
    print(f"gradient descent widget, defaults {pg.values()}, frame {w} x {h} px")
    print(f"first picture (layout + background + frame): {first * 1e3:.0f} ms\n")

    values = learning_rate_values(pg, args.moves)
    rows = slider_moves(pg, "lr", values)
    total, compute, draw, encode = rows.T
    rest = total - compute - draw - encode
    print(f"{'learning-rate slider, ' + str(len(values)) + ' moves':44s} {'median':>8s} {'p90':>8s}   (ms)")
    for name, col in (("whole callback", total), ("  compute the path (descend)", compute),
                      ("  draw (restore background + moving artists)", draw), ("  encode PNG", encode),
                      ("  rest (artist data, widget bookkeeping)", rest)):
        print(f"{name:44s} {_stats(col)}")
    verdict = "within" if np.median(total) * 1e3 < FRAME_MS else "OVER"
    print(f"median {np.median(total) * 1e3:.1f} ms: {verdict} one 60 Hz frame ({FRAME_MS:.1f} ms)\n")

    pg.set(**{"lr": 0.08})
    x_values = np.linspace(-2.9, -0.5, 60)
    x_rows = slider_moves(pg, "x0", x_values)
    print(f"{'start x0 slider, 60 moves':44s} {_stats(x_rows[:, 0])}")
    step_rows = slider_moves(pg, "steps", list(range(20, 80)))
    print(f"{'steps slider, 60 moves':44s} {_stats(step_rows[:, 0])}")
    pg.set(steps=50)
    surface_rows = slider_moves(pg, "surface", ["bowl", "rosenbrock", "two_minima", "saddle", "elongated_bowl"] * 3)
    print(f"{'surface dropdown, 15 changes':44s} {_stats(surface_rows[:, 0])}\n")

    subset = values[:60]
    print("the same learning-rate frame made the slow ways (ms):")
    print(f"{'  set_data + full canvas.draw() + encode':44s} {_stats(full_draw_times(pg, subset))}")
    print(f"{'  rebuild the figure + savefig PNG':44s} {_stats(rebuild_times(subset[:20]))}")
    print(f"{'  Pillow PNG encoder on the same frame':44s} {_stats(pillow_encode_times(pg))}")


if __name__ == "__main__":
    main()
