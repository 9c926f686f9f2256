"""MNIST-shaped random data, 10,000 x 784 float32, 784-256-128-10 ReLU, Adam, batch 128.

Seconds per epoch for nnmath, PyTorch CPU and scikit-learn, and nnmath's epoch as a multiple of the time
the epoch's matrix products alone take on this machine (the same products, timed on their own: for each
batch the three forward products X W, the three weight gradients A^T G and the two input gradients
G W^T that backpropagation needs; the first layer's input gradient is not needed and not computed).
Targets: nnmath faster than both libraries, and within 1.3x of the matmul-only time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import environment, interleaved_epochs, make_trainers, median_ms, ratio_line, threads, verdict

SIZES = [784, 256, 128, 10]
BATCH = 128
N = 10_000


def data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((N, SIZES[0]), dtype=np.float32)  # pixel-like values in [0, 1)
    y = rng.integers(0, SIZES[-1], N)
    return X, y


def matmul_epoch_seconds(dtype=np.float32, repeats=10):
    """Median time of one epoch's matrix products alone, with preallocated operands and outputs."""
    rng = np.random.default_rng(1)
    Ws = [rng.standard_normal((a, b)).astype(dtype) for a, b in zip(SIZES[:-1], SIZES[1:])]
    batches = [BATCH] * (N // BATCH) + ([N % BATCH] if N % BATCH else [])
    plans = {}
    for n in set(batches):
        As = [rng.standard_normal((n, a)).astype(dtype) for a in SIZES[:-1]]  # inputs of each layer
        Gs = [rng.standard_normal((n, b)).astype(dtype) for b in SIZES[1:]]  # dL/dZ of each layer
        Zs = [np.empty((n, b), dtype) for b in SIZES[1:]]
        dWs = [np.empty_like(W) for W in Ws]
        dAs = [np.empty((n, a), dtype) for a in SIZES[:-1]]
        plans[n] = (As, Gs, Zs, dWs, dAs)
    times = []
    for _ in range(1 + repeats):  # the first run warms up and is not counted
        start = time.perf_counter()
        for n in batches:
            As, Gs, Zs, dWs, dAs = plans[n]
            for layer, W in enumerate(Ws):
                np.matmul(As[layer], W, out=Zs[layer])
            for layer in range(len(Ws) - 1, -1, -1):
                np.matmul(As[layer].T, Gs[layer], out=dWs[layer])
                if layer > 0:
                    np.matmul(Gs[layer], Ws[layer].T, out=dAs[layer])
        times.append(time.perf_counter() - start)
    flops = sum(2 * n * a * b for n in batches for a, b in zip(SIZES[:-1], SIZES[1:])) * 3
    flops -= sum(2 * n * SIZES[0] * SIZES[1] for n in batches)  # no input gradient for the first layer
    return float(np.median(times[1:])), flops


def run(epochs=10, n_threads=None):
    X, y = data()
    with threads(n_threads):
        times = interleaved_epochs(make_trainers(SIZES, X, y, BATCH, np.float32), epochs)
        matmul_s, flops = matmul_epoch_seconds()
    print(f"MNIST-shaped float32 ({N} x {SIZES[0]}, {SIZES}, batch {BATCH}), median ms per epoch over {epochs}:")
    for trainer, values in times.items():
        print(f"  {trainer:>13}: {median_ms(values):7.1f} ms")
    print(f"  matmul only : {matmul_s * 1e3:7.1f} ms  ({flops / 1e9:.2f} GFLOP, {flops / matmul_s / 1e9:.0f} GFLOP/s)")
    print("  " + ratio_line(times))
    nn = np.median(times["nnmath"])
    others = {k: np.median(v) for k, v in times.items() if k != "nnmath"}
    if others:
        faster = all(v > nn for v in others.values())
        print(f"  target faster than both: {verdict(faster)}")
    r = nn / matmul_s
    print(f"  nnmath epoch / matmul-only time = {r:.2f}x (target <= 1.3x): {verdict(r <= 1.3)}")
    return times, matmul_s


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    print(environment())
    run(args.epochs, args.threads)
