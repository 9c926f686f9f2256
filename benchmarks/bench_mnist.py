"""Chapter 9: how long the chapter's network takes to train on the MNIST split, and what each part costs.

``python benchmarks/bench_mnist.py [--repeats N] [--threads N]``. Trains the chapter's recipe (784-256-128-10,
Adam with a cosine schedule, batches of 128, one-pixel shifts, 15 epochs, float64) ``--repeats`` times and reports
the median time of a whole run and per epoch, and the same without the shifts (the augmentation's cost), with the
validation accuracy (the same every run: the training is seeded). ``--threads N`` limits numpy's BLAS to N threads
(threadpoolctl, from requirements-bench.txt): on a busy 2-core machine one thread can be much faster than two.

Then the drawing pad's live moves (``DigitLab`` over the trained network): the Python time of ``lab.set(...)`` as a
pen draws the sample 3 point by point (the kernel inks the strokes again, formats them, runs the network and records
the frame), as the pen width moves, and as the test image moves: medians and 90th percentiles, and the split
``lab.last_timing`` reports.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from _common import environment, threads  # noqa: E402

from nnmath.analysis import Recipe  # noqa: E402
from nnmath.data import load_mnist_split, pixel_statistics, scale_pixels  # noqa: E402
from nnmath.widgets.digit_pad import SAMPLE, DigitLab  # noqa: E402


def main(repeats=3, n_threads=None):
    print(environment())
    split = load_mnist_split()
    mean, sd = pixel_statistics(split.X_train)
    X_train, X_val = (scale_pixels(part, mean, sd) for part in (split.X_train, split.X_val))
    print(f"\ntraining on {len(X_train):,} images, validating on {len(X_val):,} after every epoch; "
          f"BLAS threads: {n_threads or 'default'}")
    for label, recipe in (("chapter's recipe (shifts)", Recipe(max_shift=1)), ("without the shifts", Recipe())):
        seconds, history = [], None
        with threads(n_threads):
            for _ in range(repeats):
                start = time.perf_counter()
                _, history = recipe.train(X_train, split.y_train, (X_val, split.y_val), seed=0)
                seconds.append(time.perf_counter() - start)
        run = statistics.median(seconds)
        print(f"{label:>26}: {run:5.1f} s per run of {recipe.epochs} epochs (median of {repeats}; "
              f"{run / recipe.epochs * 1e3:.0f} ms per epoch), validation accuracy {history.val_accuracy[-1]:.2%}")
    with threads(n_threads):
        net, _ = Recipe(max_shift=1).train(X_train, split.y_train, seed=0)
        pad_moves(DigitLab(net, mean, sd, split.X_test, split.y_test), repeats)


def pad_moves(lab, repeats):
    """Median and 90th percentile of ``lab.set`` per kind of move, in ms, with ``last_timing``'s split."""
    lab.widget  # noqa: B018  the live view: the layout frozen, the first frame drawn
    drawing = [SAMPLE[:s] + [SAMPLE[s][:k]] for s in range(len(SAMPLE)) for k in range(2, len(SAMPLE[s]) + 1, 2)]
    moves = {"the pen draws the sample 3": [{"ink": ink} for ink in drawing],
             "the pen width moves": [{"width": w} for w in range(4, 29, 2)],
             "the test image moves": [{"view": "test"}] + [{"image": i} for i in range(0, 200, 10)]}
    print(f"\nthe drawing pad's live moves ({len(lab.indices)} test images offered): Python time of lab.set")
    for label, states in moves.items():
        rows = []
        for _ in range(repeats):
            lab.set(view="draw", ink=SAMPLE, width=12)
            for state in states:
                t0 = time.perf_counter()
                lab.set(**state)
                rows.append((time.perf_counter() - t0, lab.last_timing["background"], lab.last_timing["record"]))
        ms = 1e3 * np.array(rows)
        print(f"{label:>32}: median {np.median(ms[:, 0]):5.1f} ms, 90% {np.percentile(ms[:, 0], 90):5.1f} ms "
              f"(background {np.median(ms[:, 1]):.1f}, record {np.median(ms[:, 2]):.1f}; {len(ms)} moves)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    main(args.repeats, args.threads)
