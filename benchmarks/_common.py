"""Shared pieces of the benchmarks: one trainer per library, each doing the same work per epoch.

Every trainer runs one epoch per call of ``epoch()``: shuffle, then for every mini-batch a forward pass,
the softmax cross-entropy loss, the backward pass and an Adam step (lr 1e-3, betas 0.9/0.999, eps 1e-8,
no weight decay), while summing the loss and counting correct predictions. The benchmarks run the
trainers in rotating blocks of epochs, so that background load on a shared machine hits all of them
alike, and report medians.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import platform
import time
import warnings

import numpy as np

import nnmath
from nnmath.network import MLP
from nnmath.optim import Adam
from nnmath.train import fit

HAVE_TORCH = importlib.util.find_spec("torch") is not None
HAVE_SKLEARN = importlib.util.find_spec("sklearn") is not None


def blas_info() -> str:
    """The BLAS numpy uses, its kernel and thread count (threadpoolctl, when installed)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    parts = [f"{i['internal_api']} {i.get('version', '')} {i.get('architecture', '')} threads={i['num_threads']}"
             for i in threadpool_info() if i["user_api"] == "blas"]
    return "; ".join(parts) or "unknown"


def calibration_ms() -> float:
    """Milliseconds for two million Python additions: a rough gauge of how fast this machine runs right now."""
    start, total = time.perf_counter(), 0
    for i in range(2_000_000):
        total += i
    return (time.perf_counter() - start) * 1e3


def environment() -> str:
    lines = [f"python {platform.python_version()}, numpy {np.__version__}, nnmath {nnmath.__version__}",
             f"machine speed now: 2,000,000 Python additions took {calibration_ms():.0f} ms "
             "(compare runs: a busier machine takes longer)",
             f"cpu cores: {os.cpu_count()}, numpy BLAS: {blas_info()}",
             f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}"]
    if HAVE_TORCH:
        import torch
        lines.append(f"torch {torch.__version__}, threads={torch.get_num_threads()}")
    if HAVE_SKLEARN:
        import sklearn
        lines.append(f"scikit-learn {sklearn.__version__}")
    return "\n".join(lines)


@contextlib.contextmanager
def threads(n):
    """Limit numpy's BLAS (and torch) to n threads inside the block; None leaves the defaults."""
    if n is None:
        yield
        return
    from threadpoolctl import threadpool_limits
    old = None
    if HAVE_TORCH:
        import torch
        old = torch.get_num_threads()
        torch.set_num_threads(n)
    with threadpool_limits(n):
        yield
    if old is not None:
        torch.set_num_threads(old)


class NnmathTrainer:
    name = "nnmath"

    def __init__(self, sizes, X, y, batch_size, dtype, seed=0):
        self.net = MLP(sizes, "relu", "cross_entropy", seed=seed, dtype=dtype)
        self.opt = Adam(lr=1e-3)
        self.X, self.y, self.batch_size = X.astype(dtype), y, batch_size
        self.rng = np.random.default_rng(seed)

    def epoch(self):
        history = fit(self.net, self.X, self.y, self.opt, epochs=1, batch_size=self.batch_size, seed=self.rng)
        return history.loss[-1]


class TorchTrainer:
    name = "pytorch"

    def __init__(self, sizes, X, y, batch_size, dtype, seed=0):
        import torch
        from torch import nn
        torch.manual_seed(seed)
        tdtype = torch.float64 if np.dtype(dtype) == np.float64 else torch.float32
        layers = []
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(nn.Linear(a, b))
            if i < len(sizes) - 2:
                layers.append(nn.ReLU())
        self.torch = torch
        self.model = nn.Sequential(*layers).to(tdtype)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.loss_fn = nn.CrossEntropyLoss()
        self.X = torch.from_numpy(np.ascontiguousarray(X, dtype=dtype))
        self.y = torch.from_numpy(np.asarray(y, dtype=np.int64))
        self.batch_size = batch_size
        self.gen = torch.Generator().manual_seed(seed)

    def epoch(self):
        torch, n = self.torch, len(self.y)
        order = torch.randperm(n, generator=self.gen)
        total, correct = 0.0, 0
        for start in range(0, n, self.batch_size):
            idx = order[start:start + self.batch_size]
            xb, yb = self.X[idx], self.y[idx]
            self.opt.zero_grad(set_to_none=True)
            out = self.model(xb)
            loss = self.loss_fn(out, yb)
            loss.backward()
            self.opt.step()
            total += loss.item() * len(idx)
            correct += int((out.argmax(1) == yb).sum())
        return total / n


class SklearnTrainer:
    name = "scikit-learn"

    def __init__(self, sizes, X, y, batch_size, dtype, seed=0):
        from sklearn.neural_network import MLPClassifier
        # alpha=0: no L2 term, as in the others; partial_fit runs exactly one epoch (shuffled mini-batches)
        self.clf = MLPClassifier(hidden_layer_sizes=tuple(sizes[1:-1]), activation="relu", solver="adam",
                                 alpha=0.0, batch_size=batch_size, learning_rate_init=1e-3, beta_1=0.9,
                                 beta_2=0.999, epsilon=1e-8, shuffle=True, random_state=seed)
        self.X, self.y = np.ascontiguousarray(X, dtype=dtype), np.asarray(y)
        self.classes = np.unique(y)

    def epoch(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.clf.partial_fit(self.X, self.y, classes=self.classes)
        return self.clf.loss_


def make_trainers(sizes, X, y, batch_size, dtype, which=("nnmath", "pytorch", "scikit-learn")):
    available = {"nnmath": NnmathTrainer, "pytorch": TorchTrainer if HAVE_TORCH else None,
                 "scikit-learn": SklearnTrainer if HAVE_SKLEARN else None}
    return [available[name](sizes, X, y, batch_size, dtype) for name in which if available.get(name)]


def interleaved_epochs(trainers, epochs, rounds=3, warmup=1, pause=0.5):
    """Per-epoch times (seconds) of each trainer: ``rounds`` rounds in which each trainer runs a block of epochs.

    Blocks rather than single epochs, because a library's worker threads may keep spinning for a moment
    after it returns (OpenMP, OpenBLAS) and would slow whichever library runs next: each block starts after
    a ``pause`` and its first ``warmup`` epochs are run but not counted. Rotating the blocks spreads
    background load over all.
    """
    times = {t.name: [] for t in trainers}
    per_round = max(1, -(-epochs // rounds))
    for _ in range(rounds):
        for t in trainers:
            time.sleep(pause)  # let the previous library's worker threads go idle
            for e in range(warmup + per_round):
                start = time.perf_counter()
                t.epoch()
                elapsed = time.perf_counter() - start
                if e >= warmup:
                    times[t.name].append(elapsed)
    return times


def median_ms(values) -> float:
    return float(np.median(values) * 1e3)


def ratio_line(times, base="nnmath"):
    """'x times slower than nnmath' for each other trainer."""
    ref = np.median(times[base])
    return ", ".join(f"{name} / nnmath = {np.median(v) / ref:.2f}x" for name, v in times.items() if name != base)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"
