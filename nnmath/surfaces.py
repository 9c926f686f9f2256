r"""Test functions for gradient descent (chapters 5 and 7): 2-D surfaces, and functions of one variable.

Each surface is a function :math:`f(x, y)` with its analytic gradient and Hessian, written for a point
``w = (x, y)`` or for a whole grid of points (any array whose last axis has length 2), so the same
function draws the contour plot and drives the descent (:func:`nnmath.descent.descend`). A
:class:`Surface` bundles one with what a plot or a widget needs: its formula, minima, the largest
eigenvalue :math:`\mu_{\max}` of its Hessian at the (global) minimum (plain gradient descent converges to
that minimum from close by only for :math:`0 < \eta < 2/\mu_{\max}`), a window and a start point.
:data:`SURFACES` holds them by name. Away from the minimum the curvature of the surfaces that are not
quadratics differs: :meth:`Surface.curvature` gives it at any point, :meth:`Surface.max_curvature` its
largest value over the window.

The functions of one variable (:class:`Function1D`, :data:`FUNCTIONS_1D`) are slices of two of them: the
parabola :math:`\theta^2` of :func:`bowl` and the tilted double well :math:`(\theta^2 - 1)^2 + 0.3\,\theta` of
:func:`two_minima`, the same functions (:func:`parabola`, :func:`double_well`), so that the 1-D and 2-D
pictures of chapter 5 agree by construction.

The curvature is written :math:`\mu` (the Hessian's eigenvalues :math:`\mu_i`), as everywhere in the book;
:math:`L` is always a loss.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import as_array, as_int, as_points, lookup

__all__ = [
    "bowl", "bowl_grad",
    "elongated_bowl", "elongated_bowl_grad",
    "rosenbrock", "rosenbrock_grad",
    "two_minima", "two_minima_grad",
    "saddle", "saddle_grad",
    "bowl_hessian", "elongated_bowl_hessian", "rosenbrock_hessian", "two_minima_hessian", "saddle_hessian",
    "Surface", "SURFACES", "get_surface",
    "parabola", "parabola_prime", "double_well", "double_well_prime",
    "Function1D", "FUNCTIONS_1D", "get_function_1d",
]


# --- functions of one variable -------------------------------------------------------------------

def parabola(theta):
    r"""The parabola :math:`f(\theta) = \theta^2`: the slice :math:`y = 0` of :func:`bowl`, curvature
    :math:`\mu = 2`."""
    theta = as_array(theta, "theta")
    return theta * theta


def parabola_prime(theta):
    r"""Derivative of :func:`parabola`: :math:`f'(\theta) = 2\theta`."""
    return 2.0 * as_array(theta, "theta")


_TILT = 0.3


def double_well(theta):
    r"""A double well, tilted so that one minimum is lower: where you start decides where you end.

    .. math::
        f(\theta) = (\theta^2 - 1)^2 + 0.3\,\theta

    Minima near :math:`-1.04` (the lower, global one) and :math:`0.96`, a maximum in between; the slice
    :math:`y = 0` of :func:`two_minima`.
    """
    theta = as_array(theta, "theta")
    well = theta * theta - 1.0
    return well * well + _TILT * theta  # squares as products: see rosenbrock


def double_well_prime(theta):
    r"""Derivative of :func:`double_well`: :math:`f'(\theta) = 4\theta(\theta^2 - 1) + 0.3`."""
    theta = as_array(theta, "theta")
    return 4.0 * theta * (theta * theta - 1.0) + _TILT


def _double_well_minima():
    # critical points: the roots of f'(theta) = 4 theta^3 - 4 theta + 0.3; the outer two are the minima
    roots = np.sort(np.roots([4.0, 0.0, -4.0, _TILT]).real)
    return float(roots[0]), float(roots[2])


def _double_well_curvature(theta):
    return 12.0 * theta**2 - 4.0  # f''(theta)


# --- surfaces, each beside its gradient ----------------------------------------------------------------

def _stack(gx, gy):
    if np.ndim(gx) == 0 and np.ndim(gy) == 0:  # one point, as at every step of a descent: the same array, faster
        return np.array([gx, gy])
    return np.stack([gx, gy], axis=-1)


def _matrix(hxx, hxy, hyy):
    """Symmetric 2 x 2 matrices from their entries (arrays of one shape): shape (..., 2, 2)."""
    return np.stack([np.stack([hxx, hxy], axis=-1), np.stack([hxy, hyy], axis=-1)], axis=-2)


def bowl(w):
    r"""A round bowl: the same curvature in every direction.

    .. math::
        f(x, y) = x^2 + y^2, \qquad \nabla^2 f = 2I,\ \mu_{\max} = 2,\ \text{minimum at } (0, 0)

    Parameters
    ----------
    w : array_like, shape (..., 2)
        Points :math:`(x, y)` along the last axis.

    Returns
    -------
    ndarray, shape (...)
    """
    x, y = as_points(w)
    return x * x + y * y


def bowl_grad(w):
    r"""Gradient of :func:`bowl`: :math:`\nabla f = (2x,\ 2y)`, shape (..., 2)."""
    x, y = as_points(w)
    return _stack(2.0 * x, 2.0 * y)


def bowl_hessian(w):
    r"""Hessian of :func:`bowl`: :math:`\nabla^2 f = 2I` everywhere, shape (..., 2, 2)."""
    x, _ = as_points(w)
    return _matrix(np.full_like(x, 2.0), np.zeros_like(x), np.full_like(x, 2.0))


def elongated_bowl(w):
    r"""An elongated bowl: ten times steeper across than along (condition number 10).

    .. math::
        f(x, y) = x^2 + 10\,y^2, \qquad \nabla^2 f = \operatorname{diag}(2, 20),\ \mu_{\max} = 20,\
        \text{minimum at } (0, 0)

    A learning rate small enough for the steep direction (:math:`\eta < 2/20`) crawls along the flat one:
    the zig-zag that momentum and Adam are built to fix.
    """
    x, y = as_points(w)
    return x * x + 10.0 * y * y


def elongated_bowl_grad(w):
    r"""Gradient of :func:`elongated_bowl`: :math:`\nabla f = (2x,\ 20y)`."""
    x, y = as_points(w)
    return _stack(2.0 * x, 20.0 * y)


def elongated_bowl_hessian(w):
    r"""Hessian of :func:`elongated_bowl`: :math:`\operatorname{diag}(2, 20)` everywhere, shape (..., 2, 2)."""
    x, _ = as_points(w)
    return _matrix(np.full_like(x, 2.0), np.zeros_like(x), np.full_like(x, 20.0))


def rosenbrock(w, a=1.0, b=100.0):
    r"""Rosenbrock's banana-shaped valley (Rosenbrock, 1960): easy to find, slow to follow.

    .. math::
        f(x, y) = (a - x)^2 + b\,(y - x^2)^2, \qquad \text{minimum } 0 \text{ at } (a, a^2) = (1, 1)

    At the minimum the Hessian (:func:`rosenbrock_hessian`) is :math:`\begin{pmatrix} 2 + 8b & -4b \\ -4b & 2b
    \end{pmatrix}`, with largest eigenvalue :math:`\mu_{\max} \approx 1001.6`; over the drawn window
    :math:`[-2, 2] \times [-1, 3]` the largest curvature is about 5,330 (at the corners :math:`(\pm 2, -1)`).
    """
    x, y = as_points(w)
    # squares written as products: on a single point (numpy scalars) ``u ** 2`` calls the C library's pow, whose last
    # bit may differ from u * u; a product rounds the same everywhere, and as the static book's race computes it
    across, valley = a - x, y - x * x
    return across * across + b * (valley * valley)


def rosenbrock_grad(w, a=1.0, b=100.0):
    r"""Gradient of :func:`rosenbrock`.

    .. math::
        \nabla f = \bigl(-2(a - x) - 4b\,x\,(y - x^2),\ \ 2b\,(y - x^2)\bigr)
    """
    x, y = as_points(w)
    valley = y - x * x
    return _stack(-2.0 * (a - x) - 4.0 * b * x * valley, 2.0 * b * valley)


def rosenbrock_hessian(w, a=1.0, b=100.0):
    r"""Hessian of :func:`rosenbrock`, shape (..., 2, 2).

    .. math::
        \nabla^2 f = \begin{pmatrix} 2 - 4b\,(y - x^2) + 8b\,x^2 & -4b\,x \\ -4b\,x & 2b \end{pmatrix}
    """
    x, y = as_points(w)
    return _matrix(2.0 - 4.0 * b * (y - x * x) + 8.0 * b * x * x, -4.0 * b * x, np.full_like(x, 2.0 * b))


def two_minima(w):
    r"""The tilted double well of :func:`double_well` along :math:`x`, a parabola along :math:`y`.

    .. math::
        f(x, y) = (x^2 - 1)^2 + 0.3\,x + y^2

    Minima near :math:`(-1.04, 0)` (the lower, global one) and :math:`(0.96, 0)`; a saddle point in between.
    """
    x, y = as_points(w)
    return double_well(x) + y * y


def two_minima_grad(w):
    r"""Gradient of :func:`two_minima`: :math:`\nabla f = \bigl(4x(x^2 - 1) + 0.3,\ 2y\bigr)`."""
    x, y = as_points(w)
    return _stack(double_well_prime(x), 2.0 * y)


def two_minima_hessian(w):
    r"""Hessian of :func:`two_minima`: :math:`\operatorname{diag}(12x^2 - 4,\ 2)`, shape (..., 2, 2).

    Positive definite only where :math:`|x| > 1/\sqrt3`; the largest curvature over the window
    :math:`|x| \le 2` is 44, at its left and right edges.
    """
    x, _ = as_points(w)
    return _matrix(_double_well_curvature(x), np.zeros_like(x), np.full_like(x, 2.0))


def saddle(w):
    r"""A saddle: a minimum along :math:`x`, a maximum along :math:`y`, and no minimum at all.

    .. math::
        f(x, y) = x^2 - y^2, \qquad \nabla^2 f = \operatorname{diag}(2, -2)

    Started exactly on the :math:`x` axis, gradient descent stops at the saddle point :math:`(0, 0)`,
    where the gradient vanishes; started a hair off it, the path slides away down the :math:`y` direction.
    """
    x, y = as_points(w)
    return x * x - y * y


def saddle_grad(w):
    r"""Gradient of :func:`saddle`: :math:`\nabla f = (2x,\ -2y)`."""
    x, y = as_points(w)
    return _stack(2.0 * x, -2.0 * y)


def saddle_hessian(w):
    r"""Hessian of :func:`saddle`: :math:`\operatorname{diag}(2, -2)` everywhere, shape (..., 2, 2)."""
    x, _ = as_points(w)
    return _matrix(np.full_like(x, 2.0), np.zeros_like(x), np.full_like(x, -2.0))


def _largest_eigenvalue(H):
    return float(np.linalg.eigvalsh(np.asarray(H, dtype=float)).max())


_DW_MINIMA = _double_well_minima()
_TWO_MINIMA = tuple((x, 0.0) for x in _DW_MINIMA)
# curvature at the global minimum: f_xx = 12 x^2 - 4 there, f_yy = 2
_TWO_MINIMA_MU = max(_double_well_curvature(_DW_MINIMA[0]), 2.0)


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
    mu_max : float
        :math:`\mu_{\max}`, the largest eigenvalue of the Hessian: everywhere for the quadratics, at the
        (global) minimum for the others. Plain gradient descent converges to that minimum from close by only
        for :math:`\eta < 2/\mu_{\max}`. It is a local number: elsewhere the curvature can be much larger
        (:meth:`max_curvature`), and it does not say whether a path that starts far away runs off.
    xlim, ylim : (float, float)
        A good window to draw.
    start : (float, float)
        A start point that shows the surface's character.
    hessian : callable or None
        ``hessian(w)`` of shape (..., 2, 2): the matrix of second derivatives :math:`\nabla^2 f`.
    """

    name: str
    f: Callable
    grad: Callable
    latex: str
    minima: tuple
    mu_max: float
    xlim: tuple
    ylim: tuple
    start: tuple
    hessian: Callable | None = None

    def __call__(self, w):
        return self.f(w)

    @property
    def lr_limit(self) -> float:
        r""":math:`2/\mu_{\max}`: the largest learning rate for which plain gradient descent converges to the
        minimum from close by."""
        return 2.0 / self.mu_max

    def curvature(self, w):
        r"""The largest eigenvalue of the Hessian at ``w``: the steepest curvature there.

        .. math::
            \mu_{\max}(\mathbf w) = \max_{\lVert \mathbf u \rVert = 1} \mathbf u^\top \nabla^2 f(\mathbf w)\,\mathbf u

        Book: eq-curvature.

        Parameters
        ----------
        w : array_like, shape (..., 2)

        Returns
        -------
        float or ndarray, shape (...)
        """
        if self.hessian is None:
            raise ValueError(f"the surface {self.name!r} has no Hessian to take the curvature of")
        mu = np.linalg.eigvalsh(self.hessian(w))[..., -1]
        return float(mu) if mu.ndim == 0 else mu

    def max_curvature(self, n=201) -> float:
        r"""The largest curvature over the drawn window: :meth:`curvature` maximised over an n × n grid of
        ``xlim`` × ``ylim``, edges included.

        For the quadratics it is :attr:`mu_max`; for Rosenbrock's valley about 5,330 (against
        :math:`\mu_{\max} \approx 1002` at the minimum), for the two minima 44 (against 8.9). A bound on the
        curvature over the whole region a path visits is what guarantees that every step goes down (the descent
        lemma); the curvature at the minimum only decides what happens close to it.
        """
        X, Y, _ = self.grid(n)
        return float(np.max(self.curvature(np.stack([X, Y], axis=-1))))

    def grid(self, n=200):
        """Points and values for a contour plot: ``(X, Y, Z)``, each of shape (n, n), over ``xlim`` × ``ylim``."""
        n = as_int(n, "n", minimum=2)  # points per side
        X, Y = np.meshgrid(np.linspace(*self.xlim, n), np.linspace(*self.ylim, n))
        return X, Y, self.f(np.stack([X, Y], axis=-1))


#: The test surfaces by name: ``"bowl"``, ``"elongated_bowl"``, ``"rosenbrock"``, ``"two_minima"``, ``"saddle"``.
SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface("bowl", bowl, bowl_grad, r"f(x, y) = x^2 + y^2",
                ((0.0, 0.0),), 2.0, (-3.0, 3.0), (-3.0, 3.0), (-2.5, 2.0), bowl_hessian),
        Surface("elongated_bowl", elongated_bowl, elongated_bowl_grad, r"f(x, y) = x^2 + 10\,y^2",
                ((0.0, 0.0),), 20.0, (-3.0, 3.0), (-1.5, 1.5), (-2.5, 1.0), elongated_bowl_hessian),
        Surface("rosenbrock", rosenbrock, rosenbrock_grad, r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
                ((1.0, 1.0),), _largest_eigenvalue(rosenbrock_hessian(np.array([1.0, 1.0]))),
                (-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.0), rosenbrock_hessian),
        Surface("two_minima", two_minima, two_minima_grad, r"f(x, y) = (x^2 - 1)^2 + 0.3\,x + y^2",
                _TWO_MINIMA, _TWO_MINIMA_MU, (-2.0, 2.0), (-1.5, 1.5), (0.3, 1.2), two_minima_hessian),
        Surface("saddle", saddle, saddle_grad, r"f(x, y) = x^2 - y^2",
                (), 2.0, (-2.0, 2.0), (-2.0, 2.0), (1.5, 0.05), saddle_hessian),
    )
}


def get_surface(name) -> Surface:
    """Look up a surface by name: ``"bowl"``, ``"elongated_bowl"``, ``"rosenbrock"``, ``"two_minima"``, ``"saddle"``.

    A :class:`Surface` passes through unchanged.
    """
    return lookup(SURFACES, name, "surface", accept=Surface)


# --- the functions of one variable, bundled --------------------------------------------------------

@dataclass(frozen=True)
class Function1D:
    r"""A function of one variable, its derivative and what a plot of gradient descent on it needs.

    Attributes
    ----------
    name : str
    f, f_prime : callable
        :math:`f(\theta)` and :math:`f'(\theta)`, element by element on arrays.
    latex : str
        The formula.
    minimum : float
        The (global) minimiser :math:`\theta^*`.
    mu_max : float
        The curvature at the minimum, :math:`\mu = f''(\theta^*)` (in one variable the Hessian's only
        eigenvalue, hence also :math:`\mu_{\max}`): near it, gradient descent behaves as on the parabola
        :math:`\tfrac12 \mu (\theta - \theta^*)^2` and converges for :math:`\eta < 2/\mu`.
    xlim : (float, float)
        A good window to draw.
    start : float
        A start point that shows the function's character.
    """

    name: str
    f: Callable
    f_prime: Callable
    latex: str
    minimum: float
    mu_max: float
    xlim: tuple
    start: float

    @property
    def lr_limit(self) -> float:
        r""":math:`2/\mu_{\max}`: the largest stable learning rate near the minimum."""
        return 2.0 / self.mu_max


#: The functions of one variable of chapter 5, by name: ``"parabola"`` (:math:`\theta^2`, :math:`\mu = 2`) and
#: ``"double_well"`` (:math:`(\theta^2 - 1)^2 + 0.3\,\theta`, two minima, the slice :math:`y = 0` of
#: :func:`two_minima`).
FUNCTIONS_1D: dict[str, Function1D] = {
    fn.name: fn
    for fn in (
        Function1D("parabola", parabola, parabola_prime, r"f(\theta) = \theta^2", 0.0, 2.0, (-2.5, 2.5), 2.0),
        Function1D("double_well", double_well, double_well_prime, r"f(\theta) = (\theta^2 - 1)^2 + 0.3\,\theta",
                   _DW_MINIMA[0], _double_well_curvature(_DW_MINIMA[0]), (-1.9, 1.9), 1.6),
    )
}


def get_function_1d(name) -> Function1D:
    """Look up a function of :data:`FUNCTIONS_1D` by name (``"parabola"``, ``"double_well"``); a
    :class:`Function1D` passes through unchanged."""
    return lookup(FUNCTIONS_1D, name, "function", accept=Function1D)
