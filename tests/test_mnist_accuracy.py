"""The target of chapter 9: the chapter's plain MLP, trained by nnmath alone, reaches 97% on the MNIST test split.

Seeded, so the number is the chapter's; the training time is printed (``pytest -s``) but not asserted (speed is
measured in benchmarks/bench_mnist.py).
"""

import time

import numpy as np

from nnmath.analysis import Recipe, with_rounded_weights
from nnmath.data import load_mnist_split, pixel_statistics, scale_pixels


def test_the_chapter_network_reaches_97_percent_on_test():
    split = load_mnist_split()
    mean, sd = pixel_statistics(split.X_train)
    X_train, X_val, X_test = (scale_pixels(part, mean, sd) for part in (split.X_train, split.X_val, split.X_test))
    start = time.perf_counter()
    net, history = Recipe(max_shift=1).train(X_train, split.y_train, (X_val, split.y_val), seed=0)
    seconds = time.perf_counter() - start
    accuracy = float(np.mean(net.predict(X_test) == split.y_test))
    page = float(np.mean(with_rounded_weights(net).predict(X_test) == split.y_test))
    print(f"\nchapter 9 network: test accuracy {accuracy:.2%} (float16 page weights {page:.2%}), "
          f"validation {history.val_accuracy[-1]:.2%}, trained in {seconds:.1f} s")
    assert accuracy >= 0.97
    assert page >= 0.97
