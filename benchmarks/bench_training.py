"""Training speed of nnmath next to PyTorch and scikit-learn, with a summary of the targets.

Runs ``_digits.py``, ``_mnist_shaped.py`` and ``_tiny.py`` once each: ``python benchmarks/bench_training.py``.

Options: ``--quick`` (fewer epochs), ``--threads N`` (limit BLAS and PyTorch threads for the digits and
MNIST-shaped runs; the tiny network always runs on one thread), and ``--unset-coretype`` (when
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set, run everything a second time without them, to show their
cost; the tests never change them).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _digits  # noqa: E402
import _mnist_shaped  # noqa: E402
import _tiny  # noqa: E402
import numpy as np  # noqa: E402
from _common import environment  # noqa: E402


def main(quick=False, n_threads=None):
    print(environment())
    print()
    start = time.perf_counter()
    digits = _digits.run(epochs=12 if quick else 30, n_threads=n_threads)
    print()
    mnist, matmul_s = _mnist_shaped.run(epochs=6 if quick else 12, n_threads=n_threads)
    print()
    tiny = _tiny.run(epochs=6 if quick else 30)
    print()
    print("summary (ratios from this one run; medians per epoch or per step):")
    for dtype, times in digits.items():
        nn = np.median(times["nnmath"])
        for other, need in (("pytorch", 1.5), ("scikit-learn", 2.0)):
            if other in times:
                r = np.median(times[other]) / nn
                print(f"  digits {dtype}: {other} / nnmath = {r:.2f}x (target >= {need}x) "
                      f"{'met' if r >= need else 'NOT met'}")
    nn = np.median(mnist["nnmath"])
    for other in ("pytorch", "scikit-learn"):
        if other in mnist:
            r = np.median(mnist[other]) / nn
            print(f"  MNIST-shaped: {other} / nnmath = {r:.2f}x (target > 1x) {'met' if r > 1 else 'NOT met'}")
    r = nn / matmul_s
    print(f"  MNIST-shaped: nnmath / matmul-only = {r:.2f}x (target <= 1.3x) {'met' if r <= 1.3 else 'NOT met'}")
    step = np.median(tiny["nnmath fit (SGD)"]) * 1e6
    print(f"  2-8-1 single-sample step: {step:.1f} us (target <= 20 us) {'met' if step <= 20 else 'NOT met'}")
    print(f"(benchmarks took {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--unset-coretype", action="store_true")
    args = parser.parse_args()
    main(args.quick, args.threads)
    coretype_vars = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    if args.unset_coretype and any(v in os.environ for v in coretype_vars):
        print("\n=== again, with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (both together) ===\n", flush=True)
        env = {k: v for k, v in os.environ.items() if k not in coretype_vars}
        argv = [sys.executable, __file__] + (["--quick"] if args.quick else [])
        argv += ["--threads", str(args.threads)] if args.threads else []
        subprocess.run(argv, env=env, check=True)
