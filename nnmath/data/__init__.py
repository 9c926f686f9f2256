"""Data for the book, all offline: toy sets in two dimensions, preprocessing, and handwritten digits.

* ``nnmath.data.toy``: :func:`make_xor`, :func:`make_moons`, :func:`make_circles`, :func:`make_spirals`,
  :func:`make_linear_regression`
* ``nnmath.data.prep``: :func:`train_test_split`, :func:`standardize`, :func:`one_hot`, :func:`minibatches`
* ``nnmath.data.digits``: :func:`load_digits`, :func:`load_digits_split` (the 8 × 8 UCI digits, shipped in
  ``digits.csv.gz``; see ``README.md`` in this folder for source and licence)
"""

from .digits import DIGITS_SPLIT, load_digits, load_digits_split
from .prep import minibatches, one_hot, standardize, train_test_split
from .toy import make_circles, make_linear_regression, make_moons, make_spirals, make_xor

__all__ = [
    "make_xor", "make_moons", "make_circles", "make_spirals", "make_linear_regression",
    "train_test_split", "standardize", "one_hot", "minibatches",
    "load_digits", "load_digits_split", "DIGITS_SPLIT",
]
