r"""Gradient descent you can watch (chapters 5 and 7): 2-D test surfaces and the paths optimizers take on them.

Each surface is a function :math:`f(x, y)` with its analytic gradient, written for a point
``w = (x, y)`` or for a whole grid of points (any array whose last axis has length 2), so the same
function draws the contour plot and drives the descent.

:func:`descend` runs any optimizer of :mod:`nnmath.optim` from a start point, records the whole path,
and stops early when the gradient vanishes (``converged``) or the path runs away (``diverged``). On a
quadratic whose Hessian has largest eigenvalue :math:`L`, plain gradient descent multiplies the error
along that direction by :math:`1 - \eta L` per step, so it converges only if :math:`|1 - \eta L| < 1`,
that is

.. math::
    0 < \eta < \frac{2}{L},

oscillating for :math:`1/L < \eta < 2/L` and diverging beyond. A diverging path is cut at the last
point inside ``max_norm``: it never holds an infinity or a NaN.

:func:`regression_surface` and :func:`regression_descent` do the same for the loss of a line fitted
to data, with the gradient taken on the full batch, on mini-batches, or one sample at a time.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._checks import as_array, as_scalar
from .data.prep import minibatches
from .init import as_generator
from .optim import SGD, Optimizer, make_optimizer

__all__ = [
    "bowl", "bowl_grad",
    "elongated_bowl", "elongated_bowl_grad",
    "rosenbrock", "rosenbrock_grad",
    "two_minima", "two_minima_grad",
    "saddle", "saddle_grad",
    "Surface", "SURFACES", "get_surface",
    "Trajectory", "descend",
    "regression_surface", "regression_descent",
]


def _xy(w):
    w = as_array(w, "w", min_ndim=1)
    if w.shape[-1] != 2:
        raise ValueError(f"a point on a surface has 2 coordinates (x, y): the last axis of w must have length 2; "
                         f"got shape {w.shape}")
    return w[..., 0], w[..., 1]


def _stack(gx, gy):
    return np.stack([gx, gy], axis=-1)


# --- the surfaces, each beside its gradient -----------------------------------------------------

def bowl(w):
    r"""A round bowl: the same curvature in every direction.

    .. math::
        f(x, y) = x^2 + y^2, \qquad \nabla^2 f = 2I,\ L = 2,\ \text{minimum at } (0, 0)

    Parameters
    ----------
    w : array_like, shape (..., 2)
        Points :math:`(x, y)` along the last axis.

    Returns
    -------
    ndarray, shape (...)
    """
    x, y = _xy(w)
    return x * x + y * y


def bowl_grad(w):
    r"""Gradient of :func:`bowl`: :math:`\nabla f = (2x,\ 2y)`, shape (..., 2)."""
    x, y = _xy(w)
    return _stack(2.0 * x, 2.0 * y)


def elongated_bowl(w):
    r"""An elongated bowl: ten times steeper across than along (condition number 10).

    .. math::
        f(x, y) = x^2 + 10\,y^2, \qquad \nabla^2 f = \operatorname{diag}(2, 20),\ L = 20,\
        \text{minimum at } (0, 0)

    A learning rate small enough for the steep direction (:math:`\eta < 2/20`) crawls along the flat one:
    the zig-zag that momentum and Adam are built to fix.
    """
    x, y = _xy(w)
    return x * x + 10.0 * y * y


def elongated_bowl_grad(w):
    r"""Gradient of :func:`elongated_bowl`: :math:`\nabla f = (2x,\ 20y)`."""
    x, y = _xy(w)
    return _stack(2.0 * x, 20.0 * y)


def rosenbrock(w, a=1.0, b=100.0):
    r"""Rosenbrock's banana-shaped valley (Rosenbrock, 1960): easy to find, slow to follow.

    .. math::
        f(x, y) = (a - x)^2 + b\,(y - x^2)^2, \qquad \text{minimum } 0 \text{ at } (a, a^2) = (1, 1)

    At the minimum the Hessian is :math:`\begin{pmatrix} 2 + 8b & -4b \\ -4b & 2b \end{pmatrix}`, with
    largest eigenvalue :math:`L \approx 1001.6`.
    """
    x, y = _xy(w)
    return (a - x) ** 2 + b * (y - x * x) ** 2


def rosenbrock_grad(w, a=1.0, b=100.0):
    r"""Gradient of :func:`rosenbrock`.

    .. math::
        \nabla f = \bigl(-2(a - x) - 4b\,x\,(y - x^2),\ \ 2b\,(y - x^2)\bigr)
    """
    x, y = _xy(w)
    valley = y - x * x
    return _stack(-2.0 * (a - x) - 4.0 * b * x * valley, 2.0 * b * valley)


_TILT = 0.3


def two_minima(w):
    r"""A double well, tilted so that one minimum is lower: where you start decides where you end.

    .. math::
        f(x, y) = (x^2 - 1)^2 + 0.3\,x + y^2

    Minima near :math:`(-1.04, 0)` (the lower, global one) and :math:`(0.96, 0)`; a saddle point in between.
    """
    x, y = _xy(w)
    return (x * x - 1.0) ** 2 + _TILT * x + y * y


def two_minima_grad(w):
    r"""Gradient of :func:`two_minima`: :math:`\nabla f = \bigl(4x(x^2 - 1) + 0.3,\ 2y\bigr)`."""
    x, y = _xy(w)
    return _stack(4.0 * x * (x * x - 1.0) + _TILT, 2.0 * y)


def saddle(w):
    r"""A saddle: a minimum along :math:`x`, a maximum along :math:`y`, and no minimum at all.

    .. math::
        f(x, y) = x^2 - y^2, \qquad \nabla^2 f = \operatorname{diag}(2, -2)

    Started exactly on the :math:`x` axis, gradient descent stops at the saddle point :math:`(0, 0)`,
    where the gradient vanishes; started a hair off it, the path slides away down the :math:`y` direction.
    """
    x, y = _xy(w)
    return x * x - y * y


def saddle_grad(w):
    r"""Gradient of :func:`saddle`: :math:`\nabla f = (2x,\ -2y)`."""
    x, y = _xy(w)
    return _stack(2.0 * x, -2.0 * y)


def _two_minima_points():
    # critical points along y = 0: roots of 4x^3 - 4x + 0.3; the outer two are minima
    roots = np.sort(np.roots([4.0, 0.0, -4.0, _TILT]).real)
    return ((float(roots[0]), 0.0), (float(roots[2]), 0.0))


def _largest_eigenvalue(H):
    return float(np.linalg.eigvalsh(np.asarray(H, dtype=float)).max())


_TWO_MINIMA = _two_minima_points()
# curvature at the global minimum: f_xx = 12 x^2 - 4 there, f_yy = 2
_TWO_MINIMA_L = max(12.0 * _TWO_MINIMA[0][0] ** 2 - 4.0, 2.0)


@dataclass(frozen=True)
class Surface:
    r"""A 2-D test surface: the function, its gradient, and what a plot or a widget needs to know.

    Attributes
    ----------
    name : str
    f, grad : callable
        ``f(w)`` of shape (...) and ``grad(w)`` of shape (..., 2) for points ``w`` of shape (..., 2).
    latex : str
        The formula.
    minima : tuple of (x, y)
        The local minima (none for the saddle).
    L : float
        The largest eigenvalue of the Hessian: everywhere for the quadratics, at the (global) minimum
        for the others. Plain gradient descent converges near a minimum only for :math:`\eta < 2/L`.
    xlim, ylim : (float, float)
        A good window to draw.
    start : (float, float)
        A start point that shows the surface's character.
    """

    name: str
    f: Callable
    grad: Callable
    latex: str
    minima: tuple
    L: float
    xlim: tuple
    ylim: tuple
    start: tuple

    def __call__(self, w):
        return self.f(w)

    @property
    def lr_limit(self) -> float:
        r""":math:`2/L`: the largest stable learning rate of plain gradient descent (near a minimum)."""
        return 2.0 / self.L

    def grid(self, n=200):
        """Points and values for a contour plot: ``(X, Y, Z)``, each of shape (n, n), over ``xlim`` × ``ylim``."""
        n = int(n)
        if n < 2:
            raise ValueError(f"a grid needs at least 2 points per side; got {n}")
        X, Y = np.meshgrid(np.linspace(*self.xlim, n), np.linspace(*self.ylim, n))
        return X, Y, self.f(np.stack([X, Y], axis=-1))


#: The test surfaces by name: ``"bowl"``, ``"elongated_bowl"``, ``"rosenbrock"``, ``"two_minima"``, ``"saddle"``.
SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface("bowl", bowl, bowl_grad, r"f(x, y) = x^2 + y^2",
                ((0.0, 0.0),), 2.0, (-3.0, 3.0), (-3.0, 3.0), (-2.5, 2.0)),
        Surface("elongated_bowl", elongated_bowl, elongated_bowl_grad, r"f(x, y) = x^2 + 10\,y^2",
                ((0.0, 0.0),), 20.0, (-3.0, 3.0), (-1.5, 1.5), (-2.5, 1.0)),
        Surface("rosenbrock", rosenbrock, rosenbrock_grad, r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
                ((1.0, 1.0),), _largest_eigenvalue([[802.0, -400.0], [-400.0, 200.0]]),
                (-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.0)),
        Surface("two_minima", two_minima, two_minima_grad, r"f(x, y) = (x^2 - 1)^2 + 0.3\,x + y^2",
                _TWO_MINIMA, _TWO_MINIMA_L, (-2.0, 2.0), (-1.5, 1.5), (0.3, 1.2)),
        Surface("saddle", saddle, saddle_grad, r"f(x, y) = x^2 - y^2",
                (), 2.0, (-2.0, 2.0), (-2.0, 2.0), (1.5, 0.05)),
    )
}


def get_surface(name) -> Surface:
    """Look up a surface by name: ``"bowl"``, ``"elongated_bowl"``, ``"rosenbrock"``, ``"two_minima"``, ``"saddle"``."""
    if isinstance(name, Surface):
        return name
    if not isinstance(name, str):
        raise TypeError(f"surface must be a name such as 'bowl', not {type(name).__name__}")
    try:
        return SURFACES[name.lower()]
    except KeyError:
        known = ", ".join(SURFACES)
        raise ValueError(f"unknown surface {name!r}; choose one of: {known}") from None


# --- descent with a recorded path --------------------------------------------------------------

@dataclass(frozen=True)
class Trajectory:
    """The path of a descent.

    Attributes
    ----------
    points : ndarray, shape (k + 1, 2)
        The start and the point after each of the k steps taken; always finite.
    losses : ndarray, shape (k + 1,)
        :math:`f` at each point.
    converged : bool
        The gradient's norm fell below ``tol``.
    diverged : bool
        The path left the ball of radius ``max_norm`` (or overflowed); it is cut before that point.
    """

    points: np.ndarray
    losses: np.ndarray
    converged: bool = False
    diverged: bool = False
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def steps(self) -> int:
        """The number of steps taken (``len(points) - 1``)."""
        return len(self.points) - 1

    @property
    def status(self) -> str:
        """``"converged"``, ``"diverged"`` or ``"stopped"`` (the step budget ran out first)."""
        return "converged" if self.converged else "diverged" if self.diverged else "stopped"

    def __repr__(self):
        end = np.array2string(self.points[-1], precision=4)
        return f"Trajectory(steps={self.steps}, status={self.status!r}, end={end}, loss={self.losses[-1]:.4g})"


def _optimizer(optimizer, lr) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        if lr is not None:
            raise ValueError("give the learning rate to the optimizer object, or pass an optimizer name with lr=...")
        optimizer.reset()
        return optimizer
    if optimizer is None:
        return SGD(lr=0.1 if lr is None else lr)
    return make_optimizer(optimizer) if lr is None else make_optimizer(optimizer, lr=lr)


def _steps(steps):
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer; got {steps!r}")
    return int(steps)



def _step(opt, w, g, surface, max_norm):
    """One optimizer step on ``w`` in place; the new loss, or None once the iterate has diverged.

    A too-large step may overflow: that is exactly the divergence detected here, so the overflow is silenced
    and reported as None (the caller keeps the path up to the last finite point).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        opt.step([w], [g])
        value = float(surface.f(w))
    if not (np.isfinite(w).all() and math.isfinite(value)) or float(np.linalg.norm(w)) > max_norm:
        return None
    return value

def descend(surface, start=None, optimizer=None, lr=None, steps=100, tol=1e-8, max_norm=1e3) -> Trajectory:
    r"""Run an optimizer on a surface from a start point and record the whole path.

    With plain gradient descent each step is

    .. math::
        \mathbf w_{t} = \mathbf w_{t-1} - \eta\, \nabla f(\mathbf w_{t-1})

    and any optimizer of :mod:`nnmath.optim` can take its place.

    Parameters
    ----------
    surface : Surface or str
        A surface or its name (see :data:`SURFACES`).
    start : (float, float), optional
        The start point; the surface's ``start`` by default.
    optimizer : Optimizer, str or None
        An optimizer object (reset first, then stepped), a name such as ``"adam"``, or None for plain
        gradient descent (:class:`nnmath.optim.SGD`).
    lr : float, optional
        The learning rate when ``optimizer`` is a name or None (default 0.1 for plain gradient descent,
        the paper's default for a named one).
    steps : int, default 100
        The most steps to take.
    tol : float, default 1e-8
        Stop (converged) when :math:`\lVert \nabla f \rVert < \mathrm{tol}`.
    max_norm : float, default 1e3
        Stop (diverged) when :math:`\lVert \mathbf w \rVert` exceeds it; the path ends at the last point inside.

    Returns
    -------
    Trajectory
    """
    surface = get_surface(surface)
    w = as_array(surface.start if start is None else start, "start", ndim=1, finite=True).astype(np.float64)
    if w.shape != (2,):
        raise ValueError(f"start must be a point (x, y); got shape {w.shape}")
    opt = _optimizer(optimizer, lr)
    steps = _steps(steps)
    tol = as_scalar(tol, "tol", nonnegative=True)
    max_norm = as_scalar(max_norm, "max_norm", positive=True)
    value = float(surface.f(w))
    if not math.isfinite(value) or float(np.linalg.norm(w)) > max_norm:
        raise ValueError(f"the start point {tuple(w)} lies outside the region the descent may visit "
                         f"(|w| <= {max_norm}) or f is not finite there")
    points, losses = [w.copy()], [value]
    converged = diverged = False
    for _ in range(steps):
        g = surface.grad(w)
        if float(np.linalg.norm(g)) < tol:
            converged = True
            break
        value = _step(opt, w, g, surface, max_norm)
        if value is None:
            diverged = True
            break
        points.append(w.copy())
        losses.append(value)
    else:
        converged = float(np.linalg.norm(surface.grad(w))) < tol
    return Trajectory(np.array(points), np.array(losses), converged, diverged)


# --- the same on data: fitting a line, full batch, mini-batch or stochastic ---------------------

def regression_surface(X, y) -> Surface:
    r"""The mean squared error of a line :math:`\hat y = w x + b` on data, as a surface over :math:`(w, b)`.

    .. math::
        f(w, b) = \frac1n \sum_{i=1}^n (w x_i + b - y_i)^2, \qquad
        \nabla f = \frac2n \sum_{i=1}^n (w x_i + b - y_i)\,(x_i,\ 1)

    It is a quadratic, with Hessian :math:`2\begin{pmatrix}\overline{x^2} & \bar x\\ \bar x & 1\end{pmatrix}`
    (bars are means over the data), so its largest eigenvalue :math:`L` gives the bound :math:`\eta < 2/L`.

    Parameters
    ----------
    X : array_like, shape (n, 1) or (n,)
    y : array_like, shape (n,)

    Returns
    -------
    Surface
        Its minimum is the least-squares line.
    """
    x, y = _line_data(X, y)
    mx, my, mxx, mxy, myy = x.mean(), y.mean(), (x * x).mean(), (x * y).mean(), (y * y).mean()

    def f(w):
        # the mean expanded into the data's moments, so a whole grid costs no more than one point
        a, b = _xy(w)
        return a * a * mxx + 2.0 * a * b * mx + b * b - 2.0 * a * mxy - 2.0 * b * my + myy

    def grad(w):
        a, b = _xy(w)
        return _stack(2.0 * (a * mxx + b * mx - mxy), 2.0 * (a * mx + b - my))

    H = 2.0 * np.array([[mxx, mx], [mx, 1.0]])
    w_star, b_star = np.linalg.solve(H, 2.0 * np.array([mxy, my]))
    half = max(3.0, 1.5 * max(abs(w_star), abs(b_star)))
    return Surface("regression", f, grad, r"f(w, b) = \frac1n \sum_i (w x_i + b - y_i)^2",
                   ((float(w_star), float(b_star)),), _largest_eigenvalue(H),
                   (w_star - half, w_star + half), (b_star - half, b_star + half), (0.0, 0.0))


def _line_data(X, y):
    X = as_array(X, "X", ndim=(1, 2), finite=True)
    if X.ndim == 2:
        if X.shape[1] != 1:
            raise ValueError(f"a line has one input feature: X must have shape (n, 1); got {X.shape}")
        X = X[:, 0]
    y = as_array(y, "y", ndim=1, finite=True)
    if y.shape != X.shape:
        raise ValueError(f"X and y must have one entry per sample (X: {X.shape}, y: {y.shape})")
    return X.astype(np.float64), y.astype(np.float64)


def regression_descent(X, y, batch_size=None, optimizer=None, lr=0.05, epochs=10, start=(0.0, 0.0), seed=0,
                       max_norm=1e6) -> Trajectory:
    r"""Fit a line by gradient descent on batches of the data, recording :math:`(w, b)` after every step.

    Each step uses the gradient of the mean squared error on one batch :math:`B`:

    .. math::
        \nabla f_B(w, b) = \frac{2}{|B|} \sum_{i \in B} (w x_i + b - y_i)\,(x_i,\ 1)

    ``batch_size=None`` (or n) is full-batch gradient descent (one step per epoch), ``1`` is stochastic
    gradient descent (n steps per epoch), anything between is mini-batch descent. The recorded loss is
    always the full-data loss, so the three can be compared on the same curve.

    Parameters
    ----------
    X : array_like, shape (n, 1) or (n,)
    y : array_like, shape (n,)
    batch_size : int or None
    optimizer : Optimizer, str or None
        As in :func:`descend` (None: plain gradient descent with ``lr``).
    lr : float, default 0.05
    epochs : int, default 10
    start : (float, float), default (0, 0)
    seed : int, numpy Generator or None, default 0
        Shuffles the samples every epoch.
    max_norm : float, default 1e6

    Returns
    -------
    Trajectory
        ``extra["epoch_ends"]`` holds the index of the point that ends each epoch.
    """
    x, t = _line_data(X, y)
    surface = regression_surface(x, t)
    n = len(x)
    batch_size = n if batch_size is None else batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be an integer from 1 to n = {n} (or None for the full batch); "
                         f"got {batch_size!r}")
    opt = _optimizer(optimizer, lr if not isinstance(optimizer, Optimizer) else None)
    epochs = _steps(epochs)
    max_norm = as_scalar(max_norm, "max_norm", positive=True)
    w = as_array(start, "start", ndim=1, finite=True).astype(np.float64)
    if w.shape != (2,):
        raise ValueError(f"start must be a point (w, b); got shape {w.shape}")
    rng = as_generator(seed)
    points, losses, epoch_ends = [w.copy()], [float(surface.f(w))], []
    diverged = False
    for _ in range(epochs):
        for batch in minibatches(n, int(batch_size), rng):
            xb, tb = x[batch], t[batch]
            residual = w[0] * xb + w[1] - tb
            g = np.array([2.0 * np.mean(residual * xb), 2.0 * np.mean(residual)])
            value = _step(opt, w, g, surface, max_norm)
            if value is None:
                diverged = True
                break
            points.append(w.copy())
            losses.append(value)
        if diverged:
            break
        epoch_ends.append(len(points) - 1)
    return Trajectory(np.array(points), np.array(losses), False, diverged, {"epoch_ends": epoch_ends})
