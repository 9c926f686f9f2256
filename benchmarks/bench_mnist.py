"""Chapter 9: how long the chapter's network takes to train on the MNIST split, and what each part costs.

``python benchmarks/bench_mnist.py [--repeats N] [--threads N]``. Trains the chapter's recipe (784-256-128-10,
Adam with a cosine schedule, batches of 128, one-pixel shifts, 15 epochs, float64) ``--repeats`` times and reports
the median time of a whole run and per epoch, and the same without the shifts (the augmentation's cost), with the
validation accuracy (the same every run: the training is seeded). ``--threads N`` limits numpy's BLAS to N threads
(threadpoolctl, from requirements-bench.txt): on a busy 2-core machine one thread can be much faster than two.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import environment, threads  # noqa: E402

from nnmath.analysis import Recipe  # noqa: E402
from nnmath.data import load_mnist_split, pixel_statistics, scale_pixels  # noqa: E402


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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    main(args.repeats, args.threads)
