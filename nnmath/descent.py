r"""Gradient descent, the equations of chapter 5: the step, the direction, the learning-rate bound, mini-batches.

:mod:`nnmath.surfaces` holds the 2-D test surfaces and runs the descent on them; this module holds the
pieces the chapter derives one at a time:

* the update rule :math:`\boldsymbol\theta \leftarrow \boldsymbol\theta - \eta\,\nabla L(\boldsymbol\theta)`
  (:func:`gradient_step`) and the directional derivative :math:`D_{\mathbf u} f = \nabla f \cdot \mathbf u`
  (:func:`directional_derivative`), whose maximum over unit vectors is :math:`\lVert \nabla f \rVert`;
* descent on a function of one variable, with its tangent lines (:class:`Function1D`, :func:`descend_1d`);
* the learning-rate regimes of a quadratic: :math:`\theta_{k+1} = (1 - \eta L)\,\theta_k`
  (:func:`quadratic_iterates`, :func:`contraction_factor`, :func:`regime`), and for a quadratic with Hessian
  :math:`H` the bound :math:`\eta < 2/\lambda_\text{max}(H)` (:func:`max_stable_lr`, :func:`optimal_lr`);
* the gradient of a line's mean squared error on a batch, and how noisy it is on a mini-batch
  (:func:`line_mse_gradient`, :func:`per_sample_gradients`, :func:`minibatch_gradient_covariance`,
  :func:`steps_per_epoch`).

Here :math:`L` is a curvature (the largest eigenvalue of the Hessian), as in ``nnmath.surfaces.Surface.L``,
not the loss.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import as_array, as_scalar

__all__ = [
    "gradient_step", "directional_derivative",
    "Function1D", "FUNCTIONS_1D", "get_function_1d", "descend_1d", "Path1D", "tangent_line",
    "contraction_factor", "quadratic_iterates", "regime", "max_stable_lr", "optimal_lr", "convergence_factor",
    "line_mse_gradient", "per_sample_gradients", "minibatch_gradient_covariance", "steps_per_epoch",
]


# --- the step and the direction ------------------------------------------------------------------

def gradient_step(theta, grad, lr):
    r"""One step of gradient descent: a step of length :math:`\eta\lVert\mathbf g\rVert` against the gradient.

    .. math::
        \boldsymbol\theta_\text{new} = \boldsymbol\theta - \eta\, \mathbf g, \qquad
        \mathbf g = \nabla L(\boldsymbol\theta)

    Parameters
    ----------
    theta : array_like, any shape
        The parameters :math:`\boldsymbol\theta`.
    grad : array_like, the shape of ``theta``
        The gradient :math:`\mathbf g` at ``theta``.
    lr : float
        The learning rate :math:`\eta > 0`.

    Returns
    -------
    ndarray, the shape of ``theta``
        A new array; ``theta`` is not changed.
    """
    theta = as_array(theta, "theta")
    grad = as_array(grad, "grad")
    if theta.shape != grad.shape:
        raise ValueError(f"the gradient must have the shape of the parameters (theta: {theta.shape}, "
                         f"grad: {grad.shape})")
    lr = as_scalar(lr, "lr", positive=True)
    return theta - lr * grad


def directional_derivative(grad, u):
    r"""The slope of :math:`f` in the direction of :math:`\mathbf u`: the gradient dotted with the unit vector.

    .. math::
        D_{\mathbf u} f(\boldsymbol\theta)
        = \lim_{h \to 0} \frac{f(\boldsymbol\theta + h\mathbf u) - f(\boldsymbol\theta)}{h}
        = \nabla f(\boldsymbol\theta) \cdot \mathbf u, \qquad \lVert \mathbf u \rVert = 1

    ``u`` is scaled to length 1 first, so only its direction counts. By Cauchy–Schwarz,
    :math:`D_{\mathbf u} f \le \lVert \nabla f \rVert`, with equality for
    :math:`\mathbf u = \nabla f / \lVert \nabla f \rVert`: the gradient is the direction of steepest ascent.

    Parameters
    ----------
    grad : array_like, shape (d,)
        :math:`\nabla f(\boldsymbol\theta)`.
    u : array_like, shape (d,) or (m, d)
        One direction, or ``m`` directions (one per row), none of them zero.

    Returns
    -------
    float or ndarray, shape (m,)
    """
    grad = as_array(grad, "grad", ndim=1, finite=True)
    u = as_array(u, "u", ndim=(1, 2), finite=True)
    if u.shape[-1] != grad.shape[0]:
        raise ValueError(f"u must have {grad.shape[0]} components like the gradient (grad: {grad.shape}, "
                         f"u: {u.shape})")
    norms = np.linalg.norm(u, axis=-1)
    if np.any(norms == 0):
        raise ValueError("a direction u must not be the zero vector")
    slopes = (u @ grad) / norms
    return float(slopes) if u.ndim == 1 else slopes


# --- one variable, with tangent lines ------------------------------------------------------------

def _parabola(theta):
    return theta * theta


def _parabola_prime(theta):
    return 2.0 * theta


_TILT = 0.3


def _double_well(theta):
    return (theta * theta - 1.0) ** 2 + _TILT * theta


def _double_well_prime(theta):
    return 4.0 * theta * (theta * theta - 1.0) + _TILT


def _double_well_minimum():
    roots = np.sort(np.roots([4.0, 0.0, -4.0, _TILT]).real)
    return float(roots[0])  # the lower, global minimum (the left root)


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
    L : float
        The curvature at the minimum, :math:`f''(\theta^*)`: near it, gradient descent behaves as on the
        parabola :math:`\tfrac12 L (\theta - \theta^*)^2` and converges for :math:`\eta < 2/L`.
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
    L: float
    xlim: tuple
    start: float

    @property
    def lr_limit(self) -> float:
        r""":math:`2/L`: the largest stable learning rate near the minimum."""
        return 2.0 / self.L


_DW_MIN = _double_well_minimum()

#: The functions of one variable of chapter 5, by name: ``"parabola"`` (:math:`\theta^2`, :math:`L = 2`) and
#: ``"double_well"`` (:math:`(\theta^2 - 1)^2 + 0.3\,\theta`, two minima, the slice :math:`y = 0` of
#: :func:`nnmath.surfaces.two_minima`).
FUNCTIONS_1D: dict[str, Function1D] = {
    fn.name: fn
    for fn in (
        Function1D("parabola", _parabola, _parabola_prime, r"f(\theta) = \theta^2", 0.0, 2.0, (-2.5, 2.5), 2.0),
        Function1D("double_well", _double_well, _double_well_prime, r"f(\theta) = (\theta^2 - 1)^2 + 0.3\,\theta",
                   _DW_MIN, 12.0 * _DW_MIN**2 - 4.0, (-1.9, 1.9), 1.6),
    )
}


def get_function_1d(name) -> Function1D:
    """Look up a function of :data:`FUNCTIONS_1D` by name (or pass a :class:`Function1D` through)."""
    if isinstance(name, Function1D):
        return name
    try:
        return FUNCTIONS_1D[name]
    except (KeyError, TypeError):
        known = ", ".join(FUNCTIONS_1D)
        raise ValueError(f"unknown function {name!r}; choose one of: {known}") from None


@dataclass(frozen=True)
class Path1D:
    """The iterates of gradient descent on a function of one variable.

    Attributes
    ----------
    thetas : ndarray, shape (k + 1,)
        :math:`\\theta_0, \\dots, \\theta_k`; always finite.
    losses : ndarray, shape (k + 1,)
        :math:`f(\\theta_k)`.
    diverged : bool
        The path left :math:`|\\theta| \\le` ``max_abs`` and was cut before that point.
    """

    thetas: np.ndarray
    losses: np.ndarray
    diverged: bool

    @property
    def steps(self) -> int:
        """The number of steps taken."""
        return len(self.thetas) - 1


def _count(steps, name="steps"):
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(f"{name} must be a non-negative integer; got {steps!r}")
    return int(steps)


def descend_1d(function, theta0, lr, steps, max_abs=1e6) -> Path1D:
    r"""Gradient descent on a function of one variable, every iterate recorded.

    .. math::
        \theta_{k+1} = \theta_k - \eta\, f'(\theta_k)

    Parameters
    ----------
    function : Function1D or str
    theta0 : float
    lr : float
        :math:`\eta > 0`.
    steps : int
    max_abs : float, default 1e6
        The path stops (diverged) at the first iterate with :math:`|\theta| >` ``max_abs``, which is left out.

    Returns
    -------
    Path1D
    """
    fn = get_function_1d(function)
    theta = as_scalar(theta0, "theta0")
    lr = as_scalar(lr, "lr", positive=True)
    steps = _count(steps)
    max_abs = as_scalar(max_abs, "max_abs", positive=True)
    if abs(theta) > max_abs:
        raise ValueError(f"theta0 = {theta} lies outside |theta| <= max_abs = {max_abs}")
    thetas = [theta]
    diverged = False
    for _ in range(steps):
        theta = theta - lr * float(fn.f_prime(theta))
        if not math.isfinite(theta) or abs(theta) > max_abs:
            diverged = True
            break
        thetas.append(theta)
    thetas = np.array(thetas)
    return Path1D(thetas, fn.f(thetas), diverged)


def tangent_line(function, theta_k, theta):
    r"""The tangent of :math:`f` at :math:`\theta_k`, evaluated at :math:`\theta`: the first-order Taylor model.

    .. math::
        t(\theta) = f(\theta_k) + f'(\theta_k)\,(\theta - \theta_k)

    A gradient step slides down this line: at :math:`\theta_{k+1} = \theta_k - \eta f'(\theta_k)` it predicts
    :math:`t(\theta_{k+1}) = f(\theta_k) - \eta f'(\theta_k)^2`, a decrease for every :math:`\eta > 0`.
    """
    fn = get_function_1d(function)
    theta_k = np.asarray(theta_k, dtype=float)
    return fn.f(theta_k) + fn.f_prime(theta_k) * (np.asarray(theta, dtype=float) - theta_k)


# --- the learning rate on a quadratic --------------------------------------------------------------

def contraction_factor(lr, L):
    r"""The factor gradient descent multiplies the error by on the parabola :math:`f(\theta) = \tfrac12 L\theta^2`.

    .. math::
        \theta_{k+1} = \theta_k - \eta L \theta_k = (1 - \eta L)\, \theta_k

    The iterates shrink when :math:`|1 - \eta L| < 1`, i.e. :math:`0 < \eta < 2/L`, and flip sign every
    step when :math:`1 - \eta L < 0`, i.e. :math:`\eta > 1/L`.
    """
    return 1.0 - as_scalar(lr, "lr", positive=True) * as_scalar(L, "L")


def quadratic_iterates(theta0, lr, L, steps):
    r"""The iterates of gradient descent on :math:`f(\theta) = \tfrac12 L \theta^2` in closed form.

    .. math::
        \theta_k = (1 - \eta L)^k\, \theta_0, \qquad k = 0, 1, \dots, \text{steps}

    Returns
    -------
    ndarray, shape (steps + 1,)
    """
    r = contraction_factor(lr, L)
    k = np.arange(_count(steps) + 1)
    with np.errstate(over="ignore"):  # a diverging power may overflow to inf: that is the answer
        return as_scalar(theta0, "theta0") * r ** k


def regime(lr, L, rtol=1e-9) -> str:
    r"""What gradient descent does on a quadratic of curvature :math:`L` with learning rate :math:`\eta`.

    ==========================  ==================================
    :math:`\eta L`               behaviour
    ==========================  ==================================
    :math:`(0, 1)`               ``"converges"`` (monotonically)
    :math:`1`                    ``"one step"`` (lands on the minimum)
    :math:`(1, 2)`               ``"oscillates"`` (and converges)
    :math:`2`                    ``"bounces"`` (between two points, forever)
    :math:`> 2`                  ``"diverges"``
    ==========================  ==================================

    For :math:`L \le 0` (no minimum in that direction) every :math:`\eta > 0` gives ``"diverges"``, except
    :math:`L = 0` (a flat line: ``"stays"``).
    """
    eta_L = as_scalar(lr, "lr", positive=True) * as_scalar(L, "L")
    if eta_L == 0:
        return "stays"
    if eta_L < 0:
        return "diverges"
    for edge, name in ((1.0, "one step"), (2.0, "bounces")):
        if abs(eta_L - edge) <= rtol * edge:
            return name
    return "converges" if eta_L < 1 else "oscillates" if eta_L < 2 else "diverges"


def _hessian(H):
    H = as_array(H, "H", ndim=2, finite=True)
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"a Hessian is square; got shape {H.shape}")
    if not np.allclose(H, H.T, rtol=1e-10, atol=1e-12):
        raise ValueError("a Hessian is symmetric (H = H^T); this H is not")
    eig = np.linalg.eigvalsh(H)
    if eig[0] <= 0:
        raise ValueError(f"the quadratic has no minimum: H must be positive definite, but its smallest "
                         f"eigenvalue is {eig[0]:.4g}")
    return eig


def max_stable_lr(H) -> float:
    r"""The largest learning rate for which gradient descent converges on :math:`f(\boldsymbol\theta) =
    \tfrac12 \boldsymbol\theta^\top H \boldsymbol\theta`.

    In the eigenvector basis of :math:`H` every coordinate is a parabola of its own, multiplied by
    :math:`1 - \eta\lambda_i` per step, so all of them shrink exactly when

    .. math::
        \eta < \frac{2}{\lambda_\text{max}(H)} = \frac{2}{L}

    Parameters
    ----------
    H : array_like, shape (d, d)
        Symmetric positive definite.

    Returns
    -------
    float
        :math:`2/\lambda_\text{max}` (the supremum: at exactly this rate the steepest coordinate bounces).
    """
    return float(2.0 / _hessian(H)[-1])


def convergence_factor(lr, H) -> float:
    r"""How much one step shrinks the error (in the worst direction) on the quadratic with Hessian :math:`H`.

    .. math::
        \rho(\eta) = \max_i\, \lvert 1 - \eta \lambda_i \rvert
        = \max\bigl(\lvert 1 - \eta\lambda_\text{min}\rvert,\ \lvert 1 - \eta\lambda_\text{max}\rvert\bigr)

    :math:`\lVert \boldsymbol\theta_k - \boldsymbol\theta^* \rVert \le \rho^k \lVert \boldsymbol\theta_0 -
    \boldsymbol\theta^* \rVert`; the descent converges exactly when :math:`\rho < 1`.
    """
    eig = _hessian(H)
    lr = as_scalar(lr, "lr", positive=True)
    return float(max(abs(1.0 - lr * eig[0]), abs(1.0 - lr * eig[-1])))


def optimal_lr(H) -> float:
    r"""The constant learning rate that makes gradient descent fastest on a quadratic with Hessian :math:`H`.

    It balances the slowest and the steepest direction, :math:`1 - \eta\lambda_\text{min} =
    -(1 - \eta\lambda_\text{max})`:

    .. math::
        \eta^* = \frac{2}{\lambda_\text{min} + \lambda_\text{max}}, \qquad
        \rho(\eta^*) = \frac{\kappa - 1}{\kappa + 1}, \quad \kappa = \frac{\lambda_\text{max}}{\lambda_\text{min}}
    """
    eig = _hessian(H)
    return float(2.0 / (eig[0] + eig[-1]))


# --- a line fitted on batches ------------------------------------------------------------------------

def _line(x, y):
    x = as_array(x, "x", ndim=(1, 2), finite=True)
    if x.ndim == 2:
        if x.shape[1] != 1:
            raise ValueError(f"a line has one input feature: x must have shape (m,) or (m, 1); got {x.shape}")
        x = x[:, 0]
    y = as_array(y, "y", ndim=1, finite=True)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have one entry per sample (x: {x.shape}, y: {y.shape})")
    if x.size == 0:
        raise ValueError("the batch is empty")
    return x, y


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
    x, y = _line(x, y)
    r = as_scalar(w, "w") * x + as_scalar(b, "b") - y  # the residuals
    return 2.0 * np.column_stack([r * x, r])


def line_mse_gradient(x, y, w, b):
    r"""The gradient of the mean squared error of the line :math:`\hat y = w x + b` on a batch of :math:`m` samples.

    .. math::
        L_B(w, b) = \frac1m \sum_{i \in B} (w x_i + b - y_i)^2, \qquad
        \frac{\partial L_B}{\partial w} = \frac2m \sum_{i \in B} (w x_i + b - y_i)\, x_i, \qquad
        \frac{\partial L_B}{\partial b} = \frac2m \sum_{i \in B} (w x_i + b - y_i)

    the mean of :func:`per_sample_gradients`. On the whole data set it is the full-batch gradient; on a random
    mini-batch an unbiased estimate of it.

    Parameters
    ----------
    x : array_like, shape (m,) or (m, 1)
    y : array_like, shape (m,)
    w, b : float

    Returns
    -------
    (float, float)
        :math:`(\partial L_B/\partial w,\ \partial L_B/\partial b)`.
    """
    dw, db = per_sample_gradients(x, y, w, b).mean(axis=0)
    return float(dw), float(db)


def minibatch_gradient_covariance(x, y, w, b, batch_size):
    r"""The covariance of the mini-batch gradient when :math:`B` of the :math:`n` samples are drawn without replacement.

    With :math:`\mathbf g_i` the per-sample gradients and :math:`\Sigma_1 = \frac1n \sum_i (\mathbf g_i -
    \bar{\mathbf g})(\mathbf g_i - \bar{\mathbf g})^\top` their covariance, the mean over a random batch of
    :math:`B` distinct samples has expectation :math:`\bar{\mathbf g}` (the full gradient) and covariance

    .. math::
        \Sigma_B = \frac{\Sigma_1}{B}\cdot\frac{n - B}{n - 1}

    (the finite-population correction: 0 for the full batch :math:`B = n`). The noise of the step shrinks like
    :math:`1/\sqrt B` in standard deviation.

    Returns
    -------
    ndarray, shape (2, 2)
    """
    G = per_sample_gradients(x, y, w, b)
    n = len(G)
    B = _count(batch_size, "batch_size")
    if not 1 <= B <= n:
        raise ValueError(f"batch_size must be from 1 to n = {n}; got {B}")
    centred = G - G.mean(axis=0)
    sigma_1 = centred.T @ centred / n
    correction = (n - B) / (n - 1) if n > 1 else 0.0
    return sigma_1 / B * correction


def steps_per_epoch(n, batch_size) -> int:
    r"""How many steps one pass over :math:`n` samples takes with batches of :math:`B`: :math:`\lceil n/B \rceil`.

    Full batch (:math:`B = n`): 1 step per epoch; stochastic (:math:`B = 1`): :math:`n` steps. Either way an
    epoch computes :math:`n` per-sample gradients.
    """
    n = _count(n, "n")
    B = _count(batch_size, "batch_size")
    if n < 1 or B < 1:
        raise ValueError(f"n and batch_size must be positive; got n = {n}, batch_size = {B}")
    return -(-n // B)
