r"""Gradient descent (chapters 5 and 7): the update rule, its theory, and descents that record their path.

* the update rule :math:`\boldsymbol\theta \leftarrow \boldsymbol\theta - \eta\,\nabla L(\boldsymbol\theta)`
  (:func:`gradient_step`) and the directional derivative :math:`\partial_{\mathbf u} f = \nabla f \cdot \mathbf u`
  (:func:`directional_derivative`), whose maximum over unit vectors is :math:`\lVert \nabla f \rVert`; the
  tangent line a step slides down (:func:`tangent_line`);
* the learning-rate regimes of a quadratic: :math:`\theta_{t+1} = (1 - \eta\mu)\,\theta_t`
  (:func:`quadratic_iterates`, :func:`contraction_factor`, :func:`regime`), and for a quadratic with Hessian
  :math:`H` the bound :math:`\eta < 2/\mu_{\max}(H)` (:func:`max_stable_lr`, :func:`optimal_lr`,
  :func:`convergence_factor`);
* descents that record every point in a :class:`Trajectory`: any optimizer of :mod:`nnmath.optim` on a test
  surface of :mod:`nnmath.surfaces` (:func:`descend`), plain gradient descent on a function of one variable
  (:func:`descend_1d`), and a line fitted to data on full batches, mini-batches or single samples
  (:func:`regression_descent`); how noisy a mini-batch gradient is (:func:`minibatch_gradient_covariance`,
  :func:`steps_per_epoch`);
* the same run with a different number of steps or epochs, cut from a longer one or carried on from a shorter
  one (:func:`with_steps`, :func:`with_epochs`): a widget whose slider only lengthens the run computes each
  step once.

A descent stops early when the gradient vanishes (``converged``) or the path runs away (``diverged``); a
diverging path is cut at the last point inside ``max_norm``: it never holds an infinity or a NaN. On a
quadratic whose Hessian has largest eigenvalue :math:`\mu_{\max}`, plain gradient descent multiplies the error
along that direction by :math:`1 - \eta\mu_{\max}` per step, so it converges only if

.. math::
    0 < \eta < \frac{2}{\mu_{\max}},

oscillating for :math:`1/\mu_{\max} < \eta < 2/\mu_{\max}` and diverging beyond. The curvature is :math:`\mu`
(``nnmath.surfaces.Surface.mu_max``); :math:`L` is always the loss.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ._checks import as_array, as_generator, as_int, as_pair, as_scalar, line_points
from .data.prep import minibatches
from .linefit import minibatch_gradient, per_sample_gradients, regression_surface
from .optim import SGD, Optimizer, make_optimizer
from .surfaces import get_function_1d, get_surface

__all__ = [
    "gradient_step", "directional_derivative", "tangent_line",
    "contraction_factor", "quadratic_iterates", "regime", "max_stable_lr", "optimal_lr", "convergence_factor",
    "inverse_time_decay",
    "Trajectory", "descend", "descend_1d", "regression_descent", "with_steps", "with_epochs",
    "minibatch_gradient_covariance", "steps_per_epoch",
]


# --- the step and the direction ------------------------------------------------------------------

def gradient_step(theta, grad, lr):
    r"""One step of gradient descent: a step of length :math:`\eta\lVert\mathbf g\rVert` against the gradient.

    .. math::
        \boldsymbol\theta_{t+1} = \boldsymbol\theta_t - \eta\, \mathbf g_t, \qquad
        \mathbf g_t = \nabla L(\boldsymbol\theta_t)

    Book: eq-gd-step.

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
    theta, grad = as_pair(theta, grad, "theta", "grad")
    lr = as_scalar(lr, "lr", positive=True)
    return theta - lr * grad


def directional_derivative(grad, u):
    r"""The slope of :math:`f` in the direction of :math:`\mathbf u`: the gradient dotted with the unit vector.

    .. math::
        \partial_{\mathbf u} f(\boldsymbol\theta)
        = \lim_{h \to 0} \frac{f(\boldsymbol\theta + h\mathbf u) - f(\boldsymbol\theta)}{h}
        = \nabla f(\boldsymbol\theta) \cdot \mathbf u, \qquad \lVert \mathbf u \rVert = 1

    Book: eq-directional-derivative.

    ``u`` is scaled to length 1 first, so only its direction counts. By Cauchy–Schwarz,
    :math:`\partial_{\mathbf u} f \le \lVert \nabla f \rVert`, with equality for
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


# --- the tangent line a step slides down ------------------------------------------------------

def tangent_line(function, theta_t, theta):
    r"""The tangent of :math:`f` at :math:`\theta_t`, evaluated at :math:`\theta`: the first-order Taylor model.

    .. math::
        \tilde f_t(\theta) = f(\theta_t) + f'(\theta_t)\,(\theta - \theta_t)

    A gradient step slides down this line: at :math:`\theta_{t+1} = \theta_t - \eta f'(\theta_t)` it predicts
    :math:`\tilde f_t(\theta_{t+1}) = f(\theta_t) - \eta f'(\theta_t)^2`, a decrease for every :math:`\eta > 0`.

    Book: eq-tangent.
    """
    fn = get_function_1d(function)
    theta_t = np.asarray(theta_t, dtype=float)
    return fn.f(theta_t) + fn.f_prime(theta_t) * (np.asarray(theta, dtype=float) - theta_t)


# --- the learning rate on a quadratic --------------------------------------------------------------

def contraction_factor(lr, mu):
    r"""The factor gradient descent multiplies the error by on the parabola :math:`f(\theta) = \tfrac12 \mu\theta^2`.

    .. math::
        \theta_{t+1} = \theta_t - \eta \mu \theta_t = (1 - \eta \mu)\, \theta_t

    Book: eq-parabola-step.

    The iterates shrink when :math:`|1 - \eta\mu| < 1`, i.e. :math:`0 < \eta < 2/\mu`, and flip sign every
    step when :math:`1 - \eta\mu < 0`, i.e. :math:`\eta > 1/\mu`. Here :math:`\mu` is the curvature
    :math:`f''`.
    """
    return 1.0 - as_scalar(lr, "lr", positive=True) * as_scalar(mu, "the curvature mu")


def quadratic_iterates(theta0, lr, mu, steps):
    r"""The iterates of gradient descent on :math:`f(\theta) = \tfrac12 \mu \theta^2` in closed form.

    .. math::
        \theta_t = (1 - \eta \mu)^t\, \theta_0, \qquad t = 0, 1, \dots, \text{steps}

    Book: eq-parabola-step.

    Returns
    -------
    ndarray, shape (steps + 1,)
    """
    r = contraction_factor(lr, mu)
    t = np.arange(as_int(steps, "steps") + 1)
    with np.errstate(over="ignore"):  # a diverging power may overflow to inf: that is the answer
        return as_scalar(theta0, "theta0") * r ** t


def regime(lr, mu, rtol=1e-9) -> str:
    r"""What gradient descent does on a quadratic of curvature :math:`\mu` with learning rate :math:`\eta`.

    Book: eq-lr-bound.

    ==========================  ==================================
    :math:`\eta \mu`             behaviour
    ==========================  ==================================
    :math:`(0, 1)`               ``"converges"`` (monotonically)
    :math:`1`                    ``"one step"`` (lands on the minimum)
    :math:`(1, 2)`               ``"oscillates"`` (and converges)
    :math:`2`                    ``"bounces"`` (between two points, forever)
    :math:`> 2`                  ``"diverges"``
    ==========================  ==================================

    For :math:`\mu \le 0` (no minimum in that direction) every :math:`\eta > 0` gives ``"diverges"``, except
    :math:`\mu = 0` (a flat line: ``"stays"``).
    """
    eta_mu = as_scalar(lr, "lr", positive=True) * as_scalar(mu, "the curvature mu")
    if eta_mu == 0:
        return "stays"
    if eta_mu < 0:
        return "diverges"
    for edge, name in ((1.0, "one step"), (2.0, "bounces")):
        if abs(eta_mu - edge) <= rtol * edge:
            return name
    return "converges" if eta_mu < 1 else "oscillates" if eta_mu < 2 else "diverges"


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
    :math:`1 - \eta\mu_i` per step, so all of them shrink exactly when

    .. math::
        0 < \eta < \frac{2}{\mu_{\max}(H)}

    Book: eq-lr-bound, eq-eigen-step.

    Parameters
    ----------
    H : array_like, shape (d, d)
        Symmetric positive definite.

    Returns
    -------
    float
        :math:`2/\mu_{\max}` (the supremum: at exactly this rate the steepest coordinate bounces).
    """
    return float(2.0 / _hessian(H)[-1])


def convergence_factor(lr, H) -> float:
    r"""How much one step shrinks the error (in the worst direction) on the quadratic with Hessian :math:`H`.

    .. math::
        \rho(\eta) = \max_i\, \lvert 1 - \eta \mu_i \rvert
        = \max\bigl(\lvert 1 - \eta\mu_{\min}\rvert,\ \lvert 1 - \eta\mu_{\max}\rvert\bigr)

    Book: eq-convergence-factor.

    :math:`\lVert \boldsymbol\theta_t - \boldsymbol\theta^* \rVert \le \rho^t \lVert \boldsymbol\theta_0 -
    \boldsymbol\theta^* \rVert`; the descent converges exactly when :math:`\rho < 1`.
    """
    eig = _hessian(H)
    lr = as_scalar(lr, "lr", positive=True)
    return float(max(abs(1.0 - lr * eig[0]), abs(1.0 - lr * eig[-1])))


def optimal_lr(H) -> float:
    r"""The constant learning rate that makes gradient descent fastest on a quadratic with Hessian :math:`H`.

    It balances the slowest and the steepest direction, :math:`1 - \eta\mu_{\min} = -(1 - \eta\mu_{\max})`:

    .. math::
        \eta^* = \frac{2}{\mu_{\min} + \mu_{\max}}, \qquad
        \rho(\eta^*) = \frac{\kappa - 1}{\kappa + 1}, \quad \kappa = \frac{\mu_{\max}}{\mu_{\min}}
    """
    eig = _hessian(H)
    return float(2.0 / (eig[0] + eig[-1]))


# --- descents with a recorded path ------------------------------------------------------------

@dataclass(frozen=True)
class Trajectory:
    r"""The path of a descent: on a surface, on a function of one variable, or of a line's :math:`(w, b)` on data.

    Attributes
    ----------
    points : ndarray, shape (k + 1, 2), or (k + 1,) for a function of one variable
        The start and the point after each of the k steps taken; always finite.
    losses : ndarray, shape (k + 1,)
        :math:`f` at each point.
    converged : bool
        The gradient's norm fell below ``tol``.
    diverged : bool
        The path left the ball of radius ``max_norm`` (or overflowed); it is cut before that point.
    extra : dict
        What a particular descent adds (:func:`regression_descent`: ``"epoch_ends"``).
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
    def thetas(self) -> np.ndarray:
        r"""The points under the name the text gives the iterates of a descent in one variable,
        :math:`\theta_0, \dots, \theta_t` (the same array as ``points``)."""
        return self.points

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


def descend(surface, start=None, optimizer=None, lr=None, steps=100, tol=1e-8, max_norm=1e3) -> Trajectory:
    r"""Run an optimizer on a surface from a start point and record the whole path.

    With plain gradient descent each step is

    .. math::
        \mathbf w_{t} = \mathbf w_{t-1} - \eta\, \nabla f(\mathbf w_{t-1})

    and any optimizer of :mod:`nnmath.optim` can take its place.

    Parameters
    ----------
    surface : Surface or str
        A surface or its name (see :data:`nnmath.surfaces.SURFACES`).
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
    w = _start_point(surface.start if start is None else start, "(x, y)")
    return _descend(surface.f, surface.grad, w, _optimizer(optimizer, lr), as_int(steps, "steps"),
                    as_scalar(tol, "tol", nonnegative=True), as_scalar(max_norm, "max_norm", positive=True))


def descend_1d(function, theta0, lr, steps, max_abs=1e6) -> Trajectory:
    r"""Gradient descent on a function of one variable, every iterate recorded.

    .. math::
        \theta_{t+1} = \theta_t - \eta\, f'(\theta_t)

    the one-dimensional case of :func:`descend` with plain gradient descent.

    Parameters
    ----------
    function : Function1D or str
        See :data:`nnmath.surfaces.FUNCTIONS_1D`.
    theta0 : float
    lr : float
        :math:`\eta > 0`.
    steps : int
    max_abs : float, default 1e6
        The path stops (diverged) at the first iterate with :math:`|\theta| >` ``max_abs``, which is left out.

    Returns
    -------
    Trajectory
        ``points`` (also ``thetas``) of shape (k + 1,).
    """
    fn = get_function_1d(function)
    theta = np.array([as_scalar(theta0, "theta0")])
    opt = SGD(lr=as_scalar(lr, "lr", positive=True))
    path = _descend(lambda th: fn.f(th[0]), fn.f_prime, theta, opt, as_int(steps, "steps"), 0.0,
                    as_scalar(max_abs, "max_abs", positive=True))
    return replace(path, points=path.points[:, 0])


def _start_point(start, coordinates) -> np.ndarray:
    """A start point of the plane as a new float64 array of shape (2,)."""
    w = as_array(start, "start", ndim=1, finite=True).astype(np.float64)
    if w.shape != (2,):
        raise ValueError(f"start must be a point {coordinates}; got shape {w.shape}")
    return w


def _descend(f, grad, w, opt, steps, tol, max_norm) -> Trajectory:
    """Step ``w`` (in place) with ``opt`` until the gradient's norm falls below ``tol``, the path leaves the ball
    of radius ``max_norm`` or ``steps`` run out; record every point and its loss."""
    value = float(f(w))
    if not math.isfinite(value) or _norm(w) > max_norm:
        raise ValueError(f"the start point {tuple(w.tolist())} lies outside the region the descent may visit "
                         f"(|w| <= {max_norm}) or f is not finite there")
    points, losses = [w.copy()], [value]
    converged = diverged = False
    for _ in range(steps):
        g = grad(w)
        if _norm(g) < tol:
            converged = True
            break
        value = _step(opt, w, g, f, max_norm)
        if value is None:
            diverged = True
            break
        points.append(w.copy())
        losses.append(value)
    else:
        converged = _norm(grad(w)) < tol
    return Trajectory(np.array(points), np.array(losses), converged, diverged)


def _norm(v) -> float:
    r""":math:`\lVert \mathbf v \rVert` of a vector, as ``np.linalg.norm`` computes it (the square root of
    ``v.dot(v)``) without its overhead: twice a step."""
    v = np.asarray(v).ravel()
    return math.sqrt(v.dot(v))


def _step(opt, w, g, f, max_norm):
    """One optimizer step on ``w`` in place; the new loss, or None once the iterate has diverged.

    A too-large step may overflow: that is exactly the divergence detected here, so the overflow is silenced
    and reported as None (the caller keeps the path up to the last finite point).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        opt.step([w], [g])
        value = float(f(w))
    # a NaN or an infinity in w makes its norm NaN or infinite: this test catches them too
    if not (math.isfinite(value) and _norm(w) <= max_norm):
        return None
    return value


def with_steps(path: Trajectory, steps, more) -> Trajectory:
    """The run ``path`` of :func:`descend` or :func:`descend_1d` as it would have been with a budget of ``steps``.

    A descent is an iteration: with a larger budget it takes the same steps first. So a shorter run is the start
    of a longer one, and a longer run carries on from the end of a shorter one that stopped for want of steps;
    either is the very run the same call with ``steps`` returns, float for float. ``more(end, k)`` is that
    descent (the same function, learning rate and limits) from the point ``end`` for ``k`` steps; it is called
    only when ``path`` must be carried on. For plain gradient descent only (an optimizer with a state, such as
    momentum's velocity, would start afresh from ``end``).

    The flags follow the budget: a run that diverged at step :math:`t` was, with a budget of :math:`t - 1`
    steps, merely stopped; a run cut before it converged or diverged is stopped.
    """
    steps = as_int(steps, "steps")
    if steps < path.steps or (steps == path.steps and path.diverged):
        return Trajectory(path.points[:steps + 1], path.losses[:steps + 1])
    if steps == path.steps or path.converged or path.diverged:
        return path  # it stopped within the budget: a larger one changes nothing
    rest = more(path.points[-1], steps - path.steps)
    return Trajectory(np.concatenate([path.points, rest.points[1:]]), np.concatenate([path.losses, rest.losses[1:]]),
                      rest.converged, rest.diverged)


def with_epochs(path: Trajectory, epochs, more) -> Trajectory:
    """The run ``path`` of :func:`regression_descent` as it would have been with ``epochs`` epochs.

    As :func:`with_steps`, epoch by epoch: the first epochs of a longer run are the shorter run (the same
    shuffles, the same steps), and ``more(end, k)`` carries a run on from its end point ``end`` for ``k`` more
    epochs — :func:`regression_descent` with the same data, batch size and learning rate, no schedule, and the
    random generator the run shuffled with, where the run left it. It is called only when ``path`` must be
    carried on.
    """
    epochs = as_int(epochs, "epochs")
    ends = path.extra["epoch_ends"]
    if "lrs" in path.extra:
        raise ValueError("a run with a learning-rate schedule cannot be cut or carried on (the schedule counts "
                         "the steps from the start)")
    if epochs < len(ends) or (epochs == len(ends) and path.diverged):
        last = ends[epochs - 1] if epochs else 0
        return Trajectory(path.points[:last + 1], path.losses[:last + 1], extra={"epoch_ends": ends[:epochs]})
    if epochs == len(ends) or path.diverged:
        return path  # it diverged within these epochs, or ran exactly these
    rest = more(path.points[-1], epochs - len(ends))
    return Trajectory(np.concatenate([path.points, rest.points[1:]]), np.concatenate([path.losses, rest.losses[1:]]),
                      False, rest.diverged,
                      {"epoch_ends": ends + [end + path.steps for end in rest.extra["epoch_ends"]]})


# --- the same on data: fitting a line, full batch, mini-batch or stochastic ---------------------

def regression_descent(X, y, batch_size=None, optimizer=None, lr=0.05, epochs=10, start=(0.0, 0.0), seed=0,
                       max_norm=1e6, schedule=None) -> Trajectory:
    r"""Fit a line by gradient descent on batches of the data, recording :math:`(w, b)` after every step.

    Each step uses the gradient of the mean squared error on one batch :math:`\mathcal B` of :math:`B` samples
    (:func:`nnmath.linefit.line_mse_gradient`, here :func:`nnmath.linefit.minibatch_gradient`):

    .. math::
        \mathbf g_{\mathcal B}(w, b) = \frac{2}{B} \sum_{i \in \mathcal B} (w x_i + b - y_i)\,(x_i,\ 1)

    Book: eq-minibatch-gradient.

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
    schedule : callable, optional
        A learning-rate schedule: a function of the step number :math:`t = 1, 2, \dots` returning
        :math:`\eta_t > 0`, e.g. ``functools.partial(inverse_time_decay, lr=0.1, t0=100)``. The optimizer's
        ``lr`` is set to it before every step (``lr`` is then ignored).

    Returns
    -------
    Trajectory
        ``extra["epoch_ends"]`` holds the index of the point that ends each epoch; with a schedule,
        ``extra["lrs"]`` the learning rate of every step.
    """
    x, t = line_points(X, y, x_name="X")
    surface = regression_surface(x, t)
    n = len(x)
    batch_size = n if batch_size is None else as_int(batch_size, "batch_size", minimum=1, maximum=n)
    opt = _optimizer(optimizer, lr if not isinstance(optimizer, Optimizer) else None)
    epochs = as_int(epochs, "epochs")
    max_norm = as_scalar(max_norm, "max_norm", positive=True)
    w = _start_point(start, "(w, b)")
    rng = as_generator(seed)
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a function of the step number t, not {type(schedule).__name__}")
    gradient = minibatch_gradient(x, t)  # line_mse_gradient on a batch, the data checked once
    points, losses, epoch_ends, lrs = [w.copy()], [float(surface.f(w))], [], []
    diverged = False
    for _ in range(epochs):
        for batch in minibatches(n, batch_size, rng):
            if schedule is not None:
                opt.lr = as_scalar(schedule(len(points)), "schedule(t)", positive=True)  # t = steps so far + 1
                lrs.append(opt.lr)
            g = gradient(batch, w)
            value = _step(opt, w, g, surface.f, max_norm)
            if value is None:
                diverged = True
                break
            points.append(w.copy())
            losses.append(value)
        if diverged:
            break
        epoch_ends.append(len(points) - 1)
    extra = {"epoch_ends": epoch_ends}
    if schedule is not None:
        extra["lrs"] = np.array(lrs[:len(points) - 1])
    return Trajectory(np.array(points), np.array(losses), False, diverged, extra)


def inverse_time_decay(t, lr, t0):
    r"""A learning rate that decays like :math:`1/t`, for steps :math:`t = 1, 2, \dots`

    .. math::
        \eta_t = \frac{\eta}{1 + t/t_0}, \qquad \sum_{t} \eta_t = \infty, \qquad \sum_t \eta_t^2 < \infty

    Book: eq-inverse-time.

    It meets Robbins and Monro's two conditions: the steps add up to infinity (the iterates can still travel
    any distance), their squares to a finite sum (the noise the steps inject stays bounded), so stochastic
    gradient descent converges instead of hovering in a cloud. For :math:`t \ll t_0` it is about :math:`\eta`;
    at :math:`t = t_0` it is :math:`\eta/2`.

    Parameters
    ----------
    t : int or array_like of int
        Step numbers, from 1.
    lr : float
        :math:`\eta > 0`, the rate at the start.
    t0 : float
        :math:`t_0 > 0`, the number of steps over which the rate halves.

    Returns
    -------
    float or ndarray, the shape of ``t``
    """
    steps = np.asarray(t)
    if steps.dtype.kind not in "iu" or (steps.size and steps.min() < 1):
        raise ValueError(f"t must hold step numbers 1, 2, ...; got {t!r}")
    value = as_scalar(lr, "lr", positive=True) / (1.0 + steps / as_scalar(t0, "t0", positive=True))
    return float(value) if steps.ndim == 0 else value


# --- how noisy a mini-batch is -----------------------------------------------------------------------

def minibatch_gradient_covariance(x, y, w, b, batch_size):
    r"""The covariance of the mini-batch gradient when :math:`B` of the :math:`n` samples are drawn without replacement.

    With :math:`\mathbf g_i` the per-sample gradients and :math:`\Sigma_1 = \frac1n \sum_i (\mathbf g_i -
    \bar{\mathbf g})(\mathbf g_i - \bar{\mathbf g})^\top` their covariance, the mean over a random batch of
    :math:`B` distinct samples has expectation :math:`\bar{\mathbf g}` (the full gradient) and covariance

    .. math::
        \Sigma_B = \frac{\Sigma_1}{B}\cdot\frac{n - B}{n - 1}

    Book: eq-minibatch-covariance.

    (the finite-population correction: 0 for the full batch :math:`B = n`). The noise of the step shrinks like
    :math:`1/\sqrt B` in standard deviation.

    Returns
    -------
    ndarray, shape (2, 2)
    """
    G = per_sample_gradients(x, y, w, b)  # shape (n, 2)
    n = len(G)
    B = as_int(batch_size, "batch_size", minimum=1, maximum=n)
    centred = G - G.mean(axis=0)
    sigma_1 = centred.T @ centred / n
    correction = (n - B) / (n - 1) if n > 1 else 0.0
    return sigma_1 / B * correction


def steps_per_epoch(n, batch_size) -> int:
    r"""How many steps one pass over :math:`n` samples takes with batches of :math:`B`: :math:`\lceil n/B \rceil`.

    Full batch (:math:`B = n`): 1 step per epoch; stochastic (:math:`B = 1`): :math:`n` steps. Either way an
    epoch computes :math:`n` per-sample gradients.
    """
    n = as_int(n, "n", minimum=1)
    B = as_int(batch_size, "batch_size", minimum=1)
    return -(-n // B)
