r"""The best straight line under a loss (chapter 4): least squares, least absolute deviations, loss grids.

A line :math:`\hat y = w x + b` fitted to points :math:`(x_i, y_i)`, :math:`i = 1, \dots, n`:

* :func:`least_squares_line` minimises the mean squared error, in closed form;
* :func:`least_absolute_line` minimises the mean absolute error, exactly, by a finite search;
* :func:`line_loss_grid` evaluates either loss over a whole grid of :math:`(w, b)`, for contour plots.

The losses are those of :mod:`nnmath.losses` (:func:`nnmath.losses.mse`, :func:`nnmath.losses.mae`)
applied to the predictions :math:`w x_i + b`.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array

__all__ = ["least_squares_line", "least_absolute_line", "line_loss_grid", "LINE_LOSSES"]

#: The losses a line can be scored with: name → per-residual penalty :math:`\ell(r)`, averaged over the points.
LINE_LOSSES = {"mse": np.square, "mae": np.abs}


def _points(x, y):
    x = as_array(x, "x", ndim=(1, 2), finite=True)
    if x.ndim == 2:
        if x.shape[1] != 1:
            raise ValueError(f"a line has one input feature: x must have shape (n,) or (n, 1); got {x.shape}")
        x = x[:, 0]
    y = as_array(y, "y", ndim=1, finite=True)
    if y.shape != x.shape:
        raise ValueError(f"x and y must have one entry per point (x: {x.shape}, y: {y.shape})")
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError("a line needs at least two points with different x")
    return x.astype(np.float64), y.astype(np.float64)


def least_squares_line(x, y):
    r"""The line :math:`\hat y = wx + b` with the smallest mean squared error (ordinary least squares).

    Setting both partial derivatives of :math:`L(w, b) = \frac1n \sum_i (w x_i + b - y_i)^2` to zero,

    .. math::
        \frac{\partial L}{\partial b} = \frac2n \sum_i (w x_i + b - y_i) = 0, \qquad
        \frac{\partial L}{\partial w} = \frac2n \sum_i (w x_i + b - y_i)\, x_i = 0,

    gives

    .. math::
        w = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2}, \qquad b = \bar y - w \bar x .

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    y : array_like, shape (n,)

    Returns
    -------
    (float, float)
        ``(w, b)``.
    """
    x, y = _points(x, y)
    dx = x - x.mean()
    w = float(np.dot(dx, y - y.mean()) / np.dot(dx, dx))
    return w, float(y.mean() - w * x.mean())


def least_absolute_line(x, y):
    r"""The line :math:`\hat y = wx + b` with the smallest mean absolute error (least absolute deviations).

    .. math::
        (w, b) = \operatorname*{arg\,min}_{w,\,b}\ \frac1n \sum_i \lvert w x_i + b - y_i \rvert

    The objective is convex and piecewise linear in :math:`(w, b)`, with kinks along the lines
    :math:`w x_i + b = y_i`; with two different :math:`x` values its set of minima contains no straight
    line, so a minimum sits at a corner, where two residuals vanish: **some best line passes through two
    of the data points**. Trying every pair (:math:`O(n^3)` work, fine for a few hundred points) finds it
    exactly; among equally good lines the first pair found wins.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    y : array_like, shape (n,)

    Returns
    -------
    (float, float)
        ``(w, b)``.
    """
    x, y = _points(x, y)
    i, j = np.triu_indices(x.size, k=1)
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    w = (y[j] - y[i]) / (x[j] - x[i])
    b = y[i] - w * x[i]
    mae = np.abs(w[:, None] * x + b[:, None] - y).mean(axis=1)
    best = int(np.argmin(mae))
    return float(w[best]), float(b[best])


def line_loss_grid(x, y, W, B, loss="mse"):
    r"""The loss of every line :math:`\hat y = w x + b` of a grid: one value per :math:`(w, b)`.

    .. math::
        L_\text{MSE}(w, b) = \frac1n \sum_i (w x_i + b - y_i)^2, \qquad
        L_\text{MAE}(w, b) = \frac1n \sum_i \lvert w x_i + b - y_i \rvert

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    y : array_like, shape (n,)
    W, B : array_like, same shape (any)
        Slopes and intercepts, e.g. from ``numpy.meshgrid``.
    loss : {"mse", "mae"}

    Returns
    -------
    ndarray, shape of ``W``
    """
    x, y = _points(x, y)
    if loss not in LINE_LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of: {', '.join(LINE_LOSSES)}")
    W = as_array(W, "W", finite=True)
    B = as_array(B, "B", finite=True)
    if W.shape != B.shape:
        raise ValueError(f"W and B must have the same shape (W: {W.shape}, B: {B.shape})")
    residuals = W[..., None] * x + B[..., None] - y  # shape (..., n)
    return LINE_LOSSES[loss](residuals).mean(axis=-1)
