r"""The handwritten digits (chapter 9): 1,797 images of 8 × 8 pixels, shipped with the package.

The data come from the UCI Machine Learning Repository (Alpaydin & Kaynak, 1998, CC BY 4.0), in the
copy that scikit-learn distributes; ``nnmath/data/README.md`` gives the source and the licences. Loading
needs no network.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

import numpy as np

from .prep import train_test_split

__all__ = ["load_digits", "load_digits_split", "DIGITS_SPLIT"]

DIGITS_SPLIT = {"test_size": 0.25, "seed": 0, "stratify": True}
"""The fixed split of the book and the tests: a quarter of each class held out, seed 0 (1,347 train, 450 test)."""


@lru_cache(maxsize=1)
def _read_digits():
    with resources.files(__package__).joinpath("digits.csv.gz").open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.int64)
    table.setflags(write=False)
    return table


def load_digits(images=False):
    r"""The 1,797 handwritten digits: pixel intensities 0..16 and labels 0..9.

    Parameters
    ----------
    images : bool, default False
        Return each image as an 8 × 8 array instead of a row of 64 pixels.

    Returns
    -------
    X : ndarray of float64, shape (1797, 64), or (1797, 8, 8) with ``images=True``
        Pixel :math:`(r, c)` of image :math:`i` is ``X[i, 8 * r + c]`` (row by row).
    y : ndarray of int, shape (1797,)
    """
    table = _read_digits()
    X = table[:, :64].astype(np.float64)
    y = table[:, 64].astype(np.intp)
    return (X.reshape(-1, 8, 8) if images else X), y


def load_digits_split():
    r"""The digits in the book's fixed split, pixels scaled to :math:`[0, 1]`.

    :func:`load_digits`, each pixel divided by 16, then :func:`~nnmath.data.train_test_split` with
    ``DIGITS_SPLIT``: a stratified 75 / 25 split with seed 0.

    Returns
    -------
    X_train : ndarray, shape (1347, 64)
    X_test : ndarray, shape (450, 64)
    y_train, y_test : ndarray of int
    """
    X, y = load_digits()
    return train_test_split(X / 16.0, y, **DIGITS_SPLIT)
