r"""Fitting a straight line (chapters 4 and 5): its losses, its gradients, the best lines, its loss surface.

A line :math:`\hat y = w x + b` fitted to points :math:`(x_i, y_i)`, :math:`i = 1, \dots, n`, with residuals
:math:`r_i = w x_i + b - y_i`. Every equation about it lives here:

* :func:`line_loss_grid`: the mean squared or absolute error of every line of a grid of :math:`(w, b)`;
* :func:`per_sample_gradients` and :func:`line_mse_gradient`: the gradient of each sample's squared error and
  of their mean, on the whole data or on a batch (:func:`minibatch_gradient`: on batch after batch of one data
  set);
* :func:`line_mse_hessian`: the curvature of the mean squared error, the same at every :math:`(w, b)`;
* :func:`least_squares_line` (closed form) and :func:`least_absolute_line` (exact, by a finite search): the best
  lines under each loss;
* :func:`regression_surface`: the mean squared error as a :class:`nnmath.surfaces.Surface` over
  :math:`(w, b)`, to draw and to descend (:func:`nnmath.descent.regression_descent`).

The losses are those of :mod:`nnmath.losses` (:func:`nnmath.losses.mse`, :func:`nnmath.losses.mae`)
applied to the predictions :math:`w x_i + b`.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_pair, as_points, as_scalar, line_points
from .surfaces import Surface

__all__ = ["LINE_LOSSES", "line_loss_grid", "per_sample_gradients", "line_mse_gradient", "minibatch_gradient",
           "line_mse_hessian",
           "least_squares_line", "least_absolute_line", "regression_surface"]

#: The losses a line can be scored with: name → per-residual penalty :math:`\ell(r)`, averaged over the points.
LINE_LOSSES = {"mse": np.square, "mae": np.abs}


def _fit_points(x, y, x_name="x"):
    """The points of a fit that has one best line: at least two, with different x."""
    x, y = line_points(x, y, x_name=x_name)
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError("a line needs at least two points with different x")
    return x, y


def _mean(a):
    """The mean over the last axis of a float64 array, as ``a.mean(axis=-1)`` computes it (numpy's pairwise sum,
    divided by the count), without the overhead of ``mean``: a descent takes it three times a step."""
    return np.add.reduce(a, axis=-1) / a.shape[-1]


def _residuals(x, y, w, b):
    """:math:`r_i = w x_i + b - y_i` for every line of a grid: shape (..., n) for ``w``, ``b`` of shape (...)."""
    return np.asarray(w)[..., None] * x + np.asarray(b)[..., None] - y


# --- the losses and their gradient --------------------------------------------------------------------

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
    x, y = line_points(x, y)
    if loss not in LINE_LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of: {', '.join(LINE_LOSSES)}")
    W, B = as_pair(W, B, "W", "B", finite=True)
    return _line_loss(x, y, W, B, loss)


def _line_loss(x, y, w, b, loss="mse"):
    # the mean penalty of the residuals, for one line or a whole grid of them
    return _mean(LINE_LOSSES[loss](_residuals(x, y, w, b)))


def per_sample_gradients(x, y, w, b):
    r"""The gradient of each sample's squared error :math:`\ell_i = (w x_i + b - y_i)^2` with respect to :math:`(w, b)`.

    .. math::
        \nabla \ell_i = 2\,(w x_i + b - y_i)\,(x_i,\ 1)

    Parameters
    ----------
    x : array_like, shape (m,) or (m, 1)
    y : array_like, shape (m,)
    w, b : float

    Returns
    -------
    ndarray, shape (m, 2)
        Row :math:`i` is :math:`(\partial \ell_i/\partial w,\ \partial \ell_i/\partial b)`.
    """
    x, y = line_points(x, y)
    r = _residuals(x, y, as_scalar(w, "w"), as_scalar(b, "b"))
    return 2.0 * np.column_stack([r * x, r])


def _mse_gradient(x, y, w, b):
    # the mean of the per-sample gradients 2 r_i (x_i, 1), for one line or a whole grid of them
    r = _residuals(x, y, w, b)
    return 2.0 * _mean(r * x), 2.0 * _mean(r)


def line_mse_gradient(x, y, w, b):
    r"""The gradient of the mean squared error of the line :math:`\hat y = w x + b` on a batch of :math:`m` samples.

    .. math::
        L_B(w, b) = \frac1m \sum_{i \in B} (w x_i + b - y_i)^2, \qquad
        \frac{\partial L_B}{\partial w} = \frac2m \sum_{i \in B} (w x_i + b - y_i)\, x_i, \qquad
        \frac{\partial L_B}{\partial b} = \frac2m \sum_{i \in B} (w x_i + b - y_i)

    the mean of :func:`per_sample_gradients` (same arguments). On the whole data set it is the full-batch
    gradient; on a random mini-batch an unbiased estimate of it.

    Returns
    -------
    (float, float)
        :math:`(\partial L_B/\partial w,\ \partial L_B/\partial b)`.
    """
    x, y = line_points(x, y)
    dw, db = _mse_gradient(x, y, as_scalar(w, "w"), as_scalar(b, "b"))
    return float(dw), float(db)


def minibatch_gradient(X, y):
    r"""The gradient of the mean squared error on batches of one data set, as a function ``gradient(batch, wb)``.

    ``gradient(batch, (w, b))`` is :func:`line_mse_gradient` of the samples ``batch`` (an index array) at
    :math:`(w, b)`, as an array of shape (2,) and the same floats,

    .. math::
        \mathbf g_{\mathcal B}(w, b) = \frac{2}{B} \sum_{i \in \mathcal B} (w x_i + b - y_i)\,(x_i,\ 1),

    with the data checked once, here, rather than at every step of a descent
    (:func:`nnmath.descent.regression_descent`).

    Parameters
    ----------
    X : array_like, shape (n, 1) or (n,)
    y : array_like, shape (n,)

    Returns
    -------
    callable
        ``gradient(batch, wb)``: ``batch`` indexes the samples, ``wb`` is :math:`(w, b)`; returns an ndarray of
        shape (2,).
    """
    x, y = line_points(X, y, x_name="X")

    def gradient(batch, wb):
        return np.array(_mse_gradient(x[batch], y[batch], wb[0], wb[1]))

    return gradient


def line_mse_hessian(x):
    r"""The Hessian of the mean squared error of a line :math:`\hat y = wx + b` with respect to :math:`(w, b)`.

    Differentiating the gradient of :func:`line_mse_gradient` once more,

    .. math::
        H = \begin{pmatrix} \partial^2 L/\partial w^2 & \partial^2 L/\partial w\,\partial b \\
        \partial^2 L/\partial b\,\partial w & \partial^2 L/\partial b^2 \end{pmatrix}
        = 2 \begin{pmatrix} \overline{x^2} & \bar x \\ \bar x & 1 \end{pmatrix}

    (bars are means over the points). It does not depend on :math:`(w, b)` or on the targets: the loss is a
    quadratic. Its largest eigenvalue :math:`\mu_{\max}` bounds the learning rates of plain gradient descent,
    :math:`0 < \eta < 2/\mu_{\max}` (chapter 5), and the Hessian of the summed loss is :math:`n` times this one.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)

    Returns
    -------
    ndarray, shape (2, 2)
    """
    x, _ = line_points(x, np.zeros(np.size(x)))
    mx, mxx = x.mean(), (x * x).mean()
    return 2.0 * np.array([[mxx, mx], [mx, 1.0]])


# --- the best lines -----------------------------------------------------------------------------------

def least_squares_line(x, y):
    r"""The line :math:`\hat y = wx + b` with the smallest mean squared error (ordinary least squares).

    Setting both partial derivatives of :math:`L(w, b) = \frac1n \sum_i (w x_i + b - y_i)^2` to zero,

    .. math::
        \frac{\partial L}{\partial b} = \frac2n \sum_i (w x_i + b - y_i) = 0, \qquad
        \frac{\partial L}{\partial w} = \frac2n \sum_i (w x_i + b - y_i)\, x_i = 0,

    gives

    .. math::
        w = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2}, \qquad b = \bar y - w \bar x .

    Book: eq-least-squares-line.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
    y : array_like, shape (n,)

    Returns
    -------
    (float, float)
        ``(w, b)``.
    """
    x, y = _fit_points(x, y)
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
    exactly; among equally good lines the first pair found wins. Arguments and result as for
    :func:`least_squares_line`.
    """
    x, y = _fit_points(x, y)
    i, j = np.triu_indices(x.size, k=1)
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    w = (y[j] - y[i]) / (x[j] - x[i])
    b = y[i] - w * x[i]
    mae = np.abs(_residuals(x, y, w, b)).mean(axis=1)
    best = int(np.argmin(mae))
    return float(w[best]), float(b[best])


# --- the loss surface ---------------------------------------------------------------------------------

def regression_surface(X, y) -> Surface:
    r"""The mean squared error of a line :math:`\hat y = w x + b` on data, as a surface over :math:`(w, b)`.

    .. math::
        f(w, b) = \frac1n \sum_{i=1}^n (w x_i + b - y_i)^2, \qquad
        \nabla f = \frac2n \sum_{i=1}^n (w x_i + b - y_i)\,(x_i,\ 1)

    (:func:`line_loss_grid` and :func:`line_mse_gradient`, for points or grids of :math:`(w, b)`). It is a
    quadratic, with Hessian :math:`2\begin{pmatrix}\overline{x^2} & \bar x\\ \bar x & 1\end{pmatrix}` (bars are
    means over the data), so its largest eigenvalue :math:`\mu_{\max}` gives the bound :math:`\eta < 2/\mu_{\max}`.

    Parameters
    ----------
    X : array_like, shape (n, 1) or (n,)
    y : array_like, shape (n,)

    Returns
    -------
    Surface
        Its minimum is the least-squares line.
    """
    x, y = _fit_points(X, y, "X")

    def f(wb):
        return _line_loss(x, y, *as_points(wb, "(w, b)"))

    def grad(wb):
        return np.stack(_mse_gradient(x, y, *as_points(wb, "(w, b)")), axis=-1)

    H = line_mse_hessian(x)
    w_star, b_star = np.linalg.solve(H, 2.0 * np.array([(x * y).mean(), y.mean()]))
    half = max(3.0, 1.5 * max(abs(w_star), abs(b_star)))
    return Surface("regression", f, grad, r"f(w, b) = \frac1n \sum_i (w x_i + b - y_i)^2",
                   ((float(w_star), float(b_star)),), float(np.linalg.eigvalsh(H)[-1]),
                   (w_star - half, w_star + half), (b_star - half, b_star + half), (0.0, 0.0))
