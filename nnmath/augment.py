r"""Data augmentation (chapter 8): more training images from the ones we have, by moving them a pixel.

A digit moved one pixel to the left is still the same digit. Training on shifted copies tells the network so,
without a single new label: the transformations we know the answer to be invariant under become data. For an
image :math:`I` of :math:`h \times w` pixels (a row of :math:`hw` pixels in ``X``, row by row), the shift by
:math:`(\delta_x, \delta_y)` pixels is

.. math::
    I'_{r, c} = \begin{cases} I_{r - \delta_y,\ c - \delta_x} & \text{if that pixel exists} \\
    0 & \text{otherwise (the background)} \end{cases}

:func:`shift_images` computes it; :func:`random_shifts` draws a new shift for every image, as a training loop
does once per epoch; :func:`shifted_copies` adds fixed shifted copies to a data set.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, as_generator, as_int, as_scalar

__all__ = ["shift_images", "random_shifts", "shifted_copies", "DIGIT_SHAPE"]

#: The shape of the book's digit images (:func:`nnmath.data.load_digits`).
DIGIT_SHAPE = (8, 8)


def _images(X, shape):
    X = as_array(X, "X", finite=True)
    h, w = (int(v) for v in shape)
    if X.ndim == 2 and X.shape[1] == h * w:
        return X.reshape(-1, h, w), True
    if X.ndim == 3 and X.shape[1:] == (h, w):
        return X, False
    raise ValueError(f"X must hold images of {h} x {w} pixels, as rows of {h * w} or as (n, {h}, {w}); "
                     f"got shape {X.shape}")


def _offset(value, name, limit):
    value = as_int(value, f"{name} (a whole number of pixels)", minimum=-limit + 1, maximum=limit - 1)
    return value


def shift_images(X, dx, dy, shape=DIGIT_SHAPE):
    r"""Move every image ``dx`` pixels to the right and ``dy`` pixels down, filling the uncovered pixels with 0.

    .. math::
        I'_{r, c} = I_{r - \delta_y,\ c - \delta_x}, \quad 0 \text{ where } (r - \delta_y, c - \delta_x)
        \text{ is outside the image}

    Parameters
    ----------
    X : array_like, shape (n, h * w) or (n, h, w)
        Images, one per row (row by row) or as arrays.
    dx, dy : int
        The shift in pixels; negative moves left / up. ``|dx| < w``, ``|dy| < h``.
    shape : (int, int), default (8, 8)
        :math:`(h, w)`.

    Returns
    -------
    ndarray, the shape of ``X``
    """
    images, flat = _images(X, shape)
    h, w = images.shape[1:]
    dx, dy = _offset(dx, "dx", w), _offset(dy, "dy", h)
    out = np.zeros_like(images)
    rows_to, rows_from = slice(max(dy, 0), h + min(dy, 0)), slice(max(-dy, 0), h + min(-dy, 0))
    cols_to, cols_from = slice(max(dx, 0), w + min(dx, 0)), slice(max(-dx, 0), w + min(-dx, 0))
    out[:, rows_to, cols_to] = images[:, rows_from, cols_from]
    return out.reshape(len(images), h * w) if flat else out


def random_shifts(X, seed=None, prob=0.5, max_shift=1, shape=DIGIT_SHAPE):
    r"""A freshly augmented copy of the images: each one, with probability ``prob``, shifted by a random offset.

    The offset :math:`(\delta_x, \delta_y)` is drawn uniformly from the :math:`(2\delta_{\max} + 1)^2 - 1` non-zero
    offsets with :math:`\lvert\delta_x\rvert, \lvert\delta_y\rvert \le \delta_{\max}` (``max_shift``); the other
    images are kept as they are. Called once per epoch, every epoch sees different versions of the same images.

    Parameters
    ----------
    X : array_like, shape (n, h * w) or (n, h, w)
    seed : int, numpy Generator or None
    prob : float in [0, 1], default 0.5
    max_shift : int, default 1
    shape : (int, int), default (8, 8)

    Returns
    -------
    ndarray, the shape of ``X``
    """
    images, flat = _images(X, shape)
    prob = as_scalar(prob, "prob", nonnegative=True)
    if prob > 1:
        raise ValueError(f"prob is a probability and must lie in [0, 1]; got {prob}")
    h, w = images.shape[1:]
    m = as_int(max_shift, "max_shift (pixels)", minimum=1, maximum=min(h, w) - 1)
    rng = as_generator(seed)
    offsets = [(dx, dy) for dy in range(-m, m + 1) for dx in range(-m, m + 1) if (dx, dy) != (0, 0)]
    moved = rng.random(len(images)) < prob
    which = rng.integers(0, len(offsets), size=len(images))
    out = images.copy()
    for k, (dx, dy) in enumerate(offsets):
        chosen = moved & (which == k)
        if chosen.any():
            out[chosen] = shift_images(images[chosen], dx, dy, (h, w))
    return out.reshape(len(images), h * w) if flat else out


def shifted_copies(X, y, shifts=((1, 0), (-1, 0), (0, 1), (0, -1)), shape=DIGIT_SHAPE):
    r"""The data set with one shifted copy of every image per offset in ``shifts``, labels repeated.

    With the four one-pixel moves (the default) 150 images become 750.

    Parameters
    ----------
    X : array_like, shape (n, h * w) or (n, h, w)
    y : array_like, shape (n,)
    shifts : sequence of (dx, dy)

    Returns
    -------
    X_aug : ndarray, shape (n * (1 + len(shifts)), ...)
        The originals first, then each shifted copy in the order of ``shifts``.
    y_aug : ndarray, shape (n * (1 + len(shifts)),)
    """
    images, flat = _images(X, shape)
    y = np.asarray(y)
    if y.shape != (len(images),):
        raise ValueError(f"y must hold one label per image (X: {np.shape(X)}, y: {y.shape})")
    parts = [images] + [shift_images(images, dx, dy, images.shape[1:]) for dx, dy in shifts]
    out = np.concatenate(parts)
    return (out.reshape(len(out), -1) if flat else out), np.tile(y, len(parts))
