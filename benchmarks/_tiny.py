"""A 2-8-1 network trained one sample at a time (the regime of the book's widgets): microseconds per step.

Two moons (200 points), tanh hidden layer, one logit with binary cross-entropy, plain SGD (lr 0.1),
batch size 1. One epoch = 200 steps; the time per step is the epoch's time / 200, median over epochs.
nnmath is timed through ``fit`` (data checked once per call) and through ``train_step`` (inputs checked
at every call). Target: at most 20 microseconds per step.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from _common import HAVE_SKLEARN, HAVE_TORCH, environment, threads, verdict

from nnmath.data import make_moons
from nnmath.network import MLP
from nnmath.optim import SGD, Adam
from nnmath.train import fit, train_step

N = 200


class NnmathFit:
    def __init__(self, X, y, optimizer):
        self.name = f"nnmath fit ({type(optimizer).__name__})"
        self.net, self.opt = MLP([2, 8, 1], "tanh", "binary_cross_entropy", seed=0), optimizer
        self.X, self.y, self.rng = X, y, np.random.default_rng(0)

    def epoch(self):
        fit(self.net, self.X, self.y, self.opt, epochs=1, batch_size=1, seed=self.rng)


class NnmathTrainStep:
    name = "nnmath train_step (SGD)"

    def __init__(self, X, y):
        self.net, self.opt = MLP([2, 8, 1], "tanh", "binary_cross_entropy", seed=0), SGD(lr=0.1)
        self.X, self.y, self.rng = X, y, np.random.default_rng(0)

    def epoch(self):
        for i in self.rng.permutation(N):
            train_step(self.net, self.X[i:i + 1], self.y[i:i + 1], self.opt)


class TorchStep:
    def __init__(self, X, y, adam=False):
        import torch
        from torch import nn
        torch.manual_seed(0)
        self.torch = torch
        self.name = f"pytorch ({'Adam' if adam else 'SGD'})"
        self.model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).double()
        params = self.model.parameters()
        self.opt = torch.optim.Adam(params, lr=1e-3) if adam else torch.optim.SGD(params, lr=0.1)
        self.loss_fn = nn.BCEWithLogitsLoss()
        self.X = torch.from_numpy(X)
        self.y = torch.from_numpy(y.astype(np.float64)[:, None])
        self.gen = torch.Generator().manual_seed(0)

    def epoch(self):
        for i in self.torch.randperm(N, generator=self.gen).tolist():
            self.opt.zero_grad(set_to_none=True)
            loss = self.loss_fn(self.model(self.X[i:i + 1]), self.y[i:i + 1])
            loss.backward()
            self.opt.step()


class SklearnStep:
    name = "scikit-learn (SGD)"

    def __init__(self, X, y):
        from sklearn.neural_network import MLPClassifier
        self.clf = MLPClassifier((8,), activation="tanh", solver="sgd", learning_rate_init=0.1, momentum=0.0,
                                 nesterovs_momentum=False, alpha=0.0, batch_size=1, random_state=0)
        self.X, self.y = X, y

    def epoch(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.clf.partial_fit(self.X, self.y, classes=[0, 1])


def run(epochs=30, n_threads=1):
    X, y = make_moons(N, noise=0.1, seed=0)
    trainers = [NnmathFit(X, y, SGD(lr=0.1)), NnmathFit(X, y, Adam(lr=1e-3)), NnmathTrainStep(X, y)]
    if HAVE_TORCH:
        trainers += [TorchStep(X, y), TorchStep(X, y, adam=True)]
    if HAVE_SKLEARN:
        trainers.append(SklearnStep(X, y))
    times = {t.name: [] for t in trainers}
    with threads(n_threads):
        for _ in range(3):
            for t in trainers:
                time.sleep(0.5)  # let the previous library's worker threads go idle
                for e in range(1 + -(-epochs // 3)):
                    start = time.perf_counter()
                    t.epoch()
                    if e:
                        times[t.name].append((time.perf_counter() - start) / N)
    print(f"2-8-1 network, one sample per step, median microseconds per step ({epochs} epochs of {N} steps):")
    for name, values in times.items():
        print(f"  {name:>26}: {np.median(values) * 1e6:7.1f} us")
    step = np.median(times["nnmath fit (SGD)"]) * 1e6
    if HAVE_TORCH:
        print(f"  pytorch (SGD) / nnmath fit (SGD) = {np.median(times['pytorch (SGD)']) * 1e6 / step:.1f}x")
    print(f"  target <= 20 us per step (nnmath fit, SGD): {step:.1f} us, {verdict(step <= 20)}")
    return times


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS/torch threads (default 1: a 2x8 product gains nothing from threads)")
    args = parser.parse_args()
    print(environment())
    run(args.epochs, args.threads)
