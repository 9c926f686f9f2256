"""Digits, 64-128-64-10 ReLU, Adam, batch 64: seconds per epoch for nnmath, PyTorch CPU and scikit-learn.

Data: the 1,347 training images of the book's fixed split (``nnmath.data.load_digits_split``), in float64
and in float32. Targets: nnmath at least 1.5x faster per epoch than PyTorch CPU and 2x faster than
scikit-learn, for both dtypes.
"""

from __future__ import annotations

import argparse

import numpy as np
from _common import environment, interleaved_epochs, make_trainers, median_ms, ratio_line, threads, verdict

from nnmath.data import load_digits_split

SIZES = [64, 128, 64, 10]
BATCH = 64


def run(epochs=30, n_threads=None):
    X, _, y, _ = load_digits_split()
    results = {}
    for dtype in (np.float64, np.float32):
        with threads(n_threads):
            times = interleaved_epochs(make_trainers(SIZES, X, y, BATCH, dtype), epochs)
        name = np.dtype(dtype).name
        print(f"digits {name} ({len(y)} samples, batch {BATCH}), median ms per epoch over {epochs} epochs:")
        for trainer, values in times.items():
            print(f"  {trainer:>13}: {median_ms(values):7.2f} ms")
        print("  " + ratio_line(times))
        nn = np.median(times["nnmath"])
        if "pytorch" in times:
            r = np.median(times["pytorch"]) / nn
            print(f"  target >= 1.5x faster than PyTorch: {r:.2f}x, {verdict(r >= 1.5)}")
        if "scikit-learn" in times:
            r = np.median(times["scikit-learn"]) / nn
            print(f"  target >= 2x faster than scikit-learn: {r:.2f}x, {verdict(r >= 2.0)}")
        results[name] = times
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=None, help="limit BLAS/torch threads (default: library default)")
    args = parser.parse_args()
    print(environment())
    run(args.epochs, args.threads)
