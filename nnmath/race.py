r"""Optimizer races (chapter 7): every optimizer with its learning rate tuned on the same budget.

A comparison of optimizers means little unless each one runs at its own best learning rate: a learning
rate is a step length for Adam and a step per unit of gradient for SGD, so one value cannot be fair to
both. Every race here follows one protocol:

1. **the budget** is fixed: a number of steps on a 2-D surface, a number of epochs on the digits;
2. **the learning rate** of each optimizer is chosen from the same log-spaced grid by a score measured on tuning
   runs: on a surface from :data:`LR_GRID` (a factor :math:`10^{1/4} \approx 1.78` apart) by the mean of
   :math:`\log_{10}(f(\mathbf w_T) - f^*)` over several start points; on the digits from :data:`DIGITS_GRID`
   (a factor :math:`\sqrt{10}`, then refined by :data:`REFINE`) by the final training loss over tuning seeds; a
   run that diverges scores :math:`+\infty`;
3. **the other hyperparameters** stay at the papers' defaults (:mod:`nnmath.optim`);
4. **the verdict** comes from fresh runs at the tuned rates: the surface's own start, or new seeds on the
   digits, reported as mean and spread.

Optimizers are used only through their public interface (``make_optimizer``, ``opt.step``, ``opt.lr``).
Every update rule of :mod:`nnmath.optim` acts entry by entry, so :func:`descend_many` runs one optimizer
from many start points at once, as one array of shape (n, 2): row :math:`i` follows exactly the path that
:func:`nnmath.descent.descend` would take from start :math:`i`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ._checks import as_array, as_int, as_points, as_scalar, lookup
from .data.digits import load_digits_split
from .data.prep import train_test_split
from .network import MLP
from .optim import make_optimizer
from .surfaces import Surface, get_surface
from .train import Callback, evaluate, fit

__all__ = [
    "OPTIMIZER_NAMES", "LABELS", "LR_GRID", "DIGITS_GRID", "REFINE", "SURFACE_BUDGETS", "LOSS_FLOOR", "optimizer",
    "BatchRun", "descend_many", "surface_starts", "surface_score", "Tuned", "tune_surface",
    "which_minimum", "quadratic_surface", "rotation", "scaled_surface", "online_problem",
    "DIGITS_NET", "digits_data", "DigitsRun", "train_digits", "tune_digits", "RaceResult", "race_digits",
]

#: The optimizers of :mod:`nnmath.optim`, in the chapter's order.
OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw")
#: How each is named in figures and tables.
LABELS = {"sgd": "SGD", "momentum": "momentum", "nesterov": "Nesterov", "adagrad": "Adagrad",
          "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW"}
#: The learning rates a search on a surface tries: :math:`10^{-4}, 10^{-3.75}, \dots, 10^{0.5}` (19 values, a factor
#: :math:`10^{1/4} \approx 1.78` apart).
LR_GRID = tuple(float(10.0 ** (k / 4.0)) for k in range(-16, 3))
#: The learning rates a search on the digits tries first: :math:`10^{-3}, 10^{-2.5}, \dots, 10^{0.5}` (a factor
#: :math:`\sqrt{10}` apart); it then tries the two values a factor :data:`REFINE` either side of the best.
DIGITS_GRID = tuple(float(10.0 ** (k / 2.0)) for k in range(-6, 2))
#: The factor between a refined value and the best of the first grid.
REFINE = 10.0 ** 0.25

#: The step budget of a race on each surface (a tuned learning rate is tuned for this many steps).
SURFACE_BUDGETS = {"bowl": 50, "elongated_bowl": 100, "rosenbrock": 300, "two_minima": 100, "saddle": 100}

#: On a surface, losses closer than this to the minimum count as exactly converged (float64 resolution).
LOSS_FLOOR = 1e-16


def _name(name) -> str:
    return lookup({n: n for n in OPTIMIZER_NAMES}, name, "optimizer")


def optimizer(name, lr, **hyperparameters):
    """A fresh optimizer of :mod:`nnmath.optim` by name, with learning rate ``lr`` and other hyperparameters
    (the papers' defaults for the rest)."""
    return make_optimizer(_name(name), lr=as_scalar(lr, "lr", positive=True), **hyperparameters)


# --- many paths at once on a surface ---------------------------------------------------------------------

@dataclass(frozen=True)
class BatchRun:
    """Paths of one optimizer from many start points.

    Attributes
    ----------
    points : ndarray, shape (steps + 1, n, 2)
        Every start's point after each step. A path that diverged stays at its last point inside the region.
    losses : ndarray, shape (steps + 1, n)
    diverged : ndarray of bool, shape (n,)
    diverged_at : ndarray of int, shape (n,)
        The step at which each path left the region (-1 for those that did not).
    """

    points: np.ndarray
    losses: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray


def descend_many(surface, starts, name, lr, steps, max_norm=1e3, **hyperparameters) -> BatchRun:
    r"""Run one optimizer from ``n`` start points at once and record every path.

    Each row of the (n, 2) parameter array takes the optimizer's step with its own gradient,

    .. math::
        \mathbf w^{(i)}_t = \operatorname{step}\bigl(\mathbf w^{(i)}_{t-1}, \nabla f(\mathbf w^{(i)}_{t-1})\bigr),
        \qquad i = 1, \dots, n,

    which is exact because every update rule of :mod:`nnmath.optim` acts entry by entry. A row that leaves
    :math:`\lVert\mathbf w\rVert \le` ``max_norm`` (or whose loss stops being finite) is marked diverged and
    frozen at its last point inside: from then on it is fed a zero gradient and put back after each step.

    Parameters
    ----------
    surface : Surface or str
    starts : array_like, shape (n, 2)
    name : str
        One of :data:`OPTIMIZER_NAMES`.
    lr : float
    steps : int
    max_norm : float, default 1e3
    **hyperparameters
        Passed to the optimizer (``beta``, ``beta1``, ...).

    Returns
    -------
    BatchRun
    """
    s = get_surface(surface)
    W = as_array(starts, "starts", ndim=2, finite=True).astype(np.float64)
    if W.shape[1] != 2:
        raise ValueError(f"starts must hold points (x, y), one per row: shape (n, 2); got {W.shape}")
    steps = as_int(steps, "steps", minimum=0)
    max_norm = as_scalar(max_norm, "max_norm", positive=True)
    opt = optimizer(name, lr, **hyperparameters)
    n = len(W)
    points = np.empty((steps + 1, n, 2))
    losses = np.empty((steps + 1, n))
    points[0], losses[0] = W, s.f(W)
    limit = max_norm * max_norm
    if np.any(np.einsum("ij,ij->i", W, W) > limit) or not np.all(np.isfinite(losses[0])):
        raise ValueError(f"every start must lie inside |w| <= {max_norm} with a finite loss")
    dead = np.zeros(n, dtype=bool)
    diverged_at = np.full(n, -1)
    with np.errstate(over="ignore", invalid="ignore"):  # a runaway step overflows: that is the divergence
        for t in range(1, steps + 1):
            G = s.grad(W)
            if dead.any():
                G[dead] = 0.0
            opt.step([W], [G])
            f = s.f(W)
            # "not (r2 <= limit)" also catches NaN; a finite W can still overflow f
            out = ~(np.einsum("ij,ij->i", W, W) <= limit) | ~np.isfinite(f)
            if out.any() or dead.any():
                new = out & ~dead
                diverged_at[new] = t
                dead |= new
                W[dead] = points[t - 1][dead]  # back to the last point inside, and kept there
                f = np.where(dead, losses[t - 1], f)
            points[t] = W
            losses[t] = f
    return BatchRun(points, losses, diverged_at >= 0, diverged_at)


def surface_starts(surface, n=8, seed=0) -> np.ndarray:
    """``n`` start points on a surface: its suggested start first, then ``n - 1`` drawn uniformly from the
    middle 80% of its window (seeded), away from the minima by at least a tenth of the window.

    Returns
    -------
    ndarray, shape (n, 2)
    """
    s = get_surface(surface)
    n = as_int(n, "n", minimum=1)
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = s.xlim, s.ylim
    lo = np.array([x0 + 0.1 * (x1 - x0), y0 + 0.1 * (y1 - y0)])
    hi = np.array([x1 - 0.1 * (x1 - x0), y1 - 0.1 * (y1 - y0)])
    scale = 0.1 * min(x1 - x0, y1 - y0)
    points = [np.asarray(s.start, dtype=float)]
    while len(points) < n:
        p = lo + (hi - lo) * rng.random(2)
        if all(np.linalg.norm(p - np.asarray(m)) > scale for m in s.minima):
            points.append(p)
    return np.array(points)


def _f_star(surface):
    """The lowest value of the surface at its listed minima (None for a surface without one, the saddle)."""
    s = get_surface(surface)
    if not s.minima:
        return None
    return min(float(s.f(np.asarray(m, dtype=float))) for m in s.minima)


def surface_score(surface, losses, diverged) -> float:
    r"""The score of a batch of final losses: the mean of :math:`\log_{10}(f - f^*)` over the starts.

    Lower is better; one decade of loss is one point. The gap is floored at :data:`LOSS_FLOOR`; any diverged
    start makes the score :math:`+\infty`. For a surface without a minimum the mean of :math:`f` itself.
    """
    losses = np.asarray(losses, dtype=float)
    if np.any(diverged):
        return math.inf
    f_star = _f_star(surface)
    if f_star is None:
        return float(np.mean(losses))
    return float(np.mean(np.log10(np.maximum(losses - f_star, LOSS_FLOOR))))


@dataclass(frozen=True)
class Tuned:
    """The result of a learning-rate search.

    Attributes
    ----------
    name : str
        The optimizer.
    lrs : tuple of float
        The grid searched.
    scores : ndarray, shape (len(lrs),)
        The score of each learning rate (lower is better; inf: diverged).
    lr : float
        The best learning rate on the grid (ties go to the smaller one).
    score : float
        Its score.
    """

    name: str
    lrs: tuple
    scores: np.ndarray
    lr: float
    score: float


def _best(name, lrs, scores) -> Tuned:
    scores = np.asarray(scores, dtype=float)
    if not np.any(np.isfinite(scores)):
        raise ValueError(f"{name}: every learning rate tried diverged")
    i = int(np.argmin(np.where(np.isfinite(scores), scores, np.inf)))
    return Tuned(name, tuple(lrs), scores, float(lrs[i]), float(scores[i]))


def _grid(lrs):
    lrs = tuple(float(v) for v in as_array(lrs, "lrs", ndim=1, finite=True))
    if not lrs or min(lrs) <= 0:
        raise ValueError("lrs must be a non-empty list of positive learning rates")
    return lrs


def _search(name, score, lrs, refine) -> Tuned:
    """Score every learning rate of the grid, then (with ``refine``) the two values a factor :data:`REFINE`
    either side of the best; the best of all wins (ties: the smaller rate)."""
    scores = {lr: score(lr) for lr in lrs}
    if refine:
        best = _best(name, tuple(scores), list(scores.values())).lr
        for lr in (best / REFINE, best * REFINE):
            scores.setdefault(float(lr), score(float(lr)))
    order = sorted(scores)
    return _best(name, tuple(order), [scores[lr] for lr in order])


def tune_surface(surface, name, steps, starts=None, lrs=LR_GRID, refine=False, **hyperparameters) -> Tuned:
    """Tune an optimizer's learning rate on a surface: the value with the best :func:`surface_score` after
    ``steps`` steps from every start (by default :func:`surface_starts` of the surface, 8 points), searched over
    ``lrs`` and, with ``refine``, the two values a factor :data:`REFINE` either side of the best.

    The result is cached, so a widget and a notebook cell asking the same question share one search.
    """
    s = get_surface(surface)
    starts = surface_starts(s) if starts is None else as_array(starts, "starts", ndim=2, finite=True)
    key = tuple(map(tuple, np.asarray(starts, dtype=float).tolist()))  # exact values: the key is the input
    return _tune_surface(s, _name(name), as_int(steps, "steps", minimum=1), key, _grid(lrs), bool(refine),
                         tuple(sorted(hyperparameters.items())))


@lru_cache(maxsize=256)
def _tune_surface(surface, name, steps, starts, lrs, refine, hyper) -> Tuned:
    def score(lr):
        run = descend_many(surface, np.array(starts), name, lr, steps, **dict(hyper))
        return surface_score(surface, run.losses[-1], run.diverged)

    return _search(name, score, lrs, refine)


def which_minimum(surface, points, radius=0.25) -> np.ndarray:
    """The index of the listed minimum each point lies within ``radius`` of (-1: none).

    Parameters
    ----------
    surface : Surface or str
    points : array_like, shape (n, 2)

    Returns
    -------
    ndarray of int, shape (n,)
    """
    s = get_surface(surface)
    P = as_array(points, "points", ndim=2, finite=True)
    if not s.minima:
        return np.full(len(P), -1)
    dist = np.linalg.norm(P[:, None, :] - np.asarray(s.minima, dtype=float)[None], axis=-1)
    nearest = dist.argmin(axis=1)
    return np.where(dist[np.arange(len(P)), nearest] <= radius, nearest, -1)


# --- more surfaces: any quadratic, a rescaled surface ---------------------------------------------------------

def quadratic_surface(H, name="quadratic", window=((-3.0, 3.0), (-1.5, 1.5)), start=(-2.5, 1.0)) -> Surface:
    r"""The quadratic :math:`f(\mathbf w) = \tfrac12\mathbf w^\top H\mathbf w` as a :class:`nnmath.surfaces.Surface`.

    .. math::
        \nabla f = H\mathbf w, \qquad \text{minimum } 0 \text{ at } \mathbf 0, \qquad \mu_\max = \lambda_\max(H)

    With :math:`H = \operatorname{diag}(2, 20)` it is the elongated bowl; with
    :math:`H = R\,\operatorname{diag}(2, 20)R^\top` for a rotation :math:`R` (:func:`rotation`) it is the same bowl
    turned, whose valley no longer runs along an axis.

    Parameters
    ----------
    H : array_like, shape (2, 2)
        Symmetric positive definite.
    name : str
    window : ((float, float), (float, float))
        The x and y ranges to draw.
    start : (float, float)
    """
    H = as_array(H, "H", ndim=2, finite=True).astype(float)
    if H.shape != (2, 2) or not np.allclose(H, H.T):
        raise ValueError(f"H must be a symmetric (2, 2) matrix; got shape {H.shape}")
    eig = np.linalg.eigvalsh(H)
    if eig[0] <= 0:
        raise ValueError(f"H must be positive definite; its smallest eigenvalue is {eig[0]:.4g}")
    (a, b), (_, d) = H.tolist()

    # written out entry by entry rather than as a matrix product: elementwise sums and products round the same on
    # every processor, a matrix product's accumulation need not (and a chaotic run would amplify the difference)
    def grad(w):
        x, y = as_points(w)
        return np.stack([a * x + b * y, b * x + d * y], axis=-1)

    def f(w):
        x, y = as_points(w)
        return 0.5 * (x * (a * x + b * y) + y * (b * x + d * y))

    latex = rf"f(\mathbf{{w}}) = \frac{{1}}{{2}}\mathbf{{w}}^\top H\mathbf{{w}},\ \mu = {eig[0]:.3g}, {eig[1]:.3g}"
    return Surface(name, f, grad, latex, ((0.0, 0.0),), float(eig[1]), tuple(window[0]), tuple(window[1]),
                   tuple(start))


def rotation(angle) -> np.ndarray:
    r"""The rotation of the plane by ``angle`` radians: :math:`R = \begin{pmatrix}\cos\alpha & -\sin\alpha\\
    \sin\alpha & \cos\alpha\end{pmatrix}`, shape (2, 2)."""
    a = as_scalar(angle, "angle")
    return np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])


def scaled_surface(surface, factor) -> Surface:
    r"""The same surface with the loss multiplied by ``factor`` :math:`c > 0`: :math:`c f`, gradient :math:`c\nabla f`.

    The minima stay where they are; every curvature is :math:`c` times larger. A method whose steps do not change
    when the loss is rescaled (Adam, up to :math:`\epsilon`) takes the same path on both.
    """
    s = get_surface(surface)
    c = as_scalar(factor, "factor", positive=True)
    return Surface(f"{s.name}_x{c:g}", lambda w: c * s.f(w), lambda w: c * s.grad(w), f"{c:g}\\,[{s.latex}]",
                   s.minima, 2.0 * c / s.lr_limit, s.xlim, s.ylim, s.start)


# --- an online problem on which Adam fails (Reddi, Kale & Kumar, 2018) ---------------------------------------

def online_problem(name, steps, C=3.0, **hyperparameters) -> np.ndarray:
    r"""Minimise a sequence of linear losses on the interval :math:`[-1, 1]`, the example of Reddi et al. (2018).

    .. math::
        f_t(x) = \begin{cases} C\,x & t \equiv 1 \pmod 3 \\ -x & \text{otherwise} \end{cases},
        \qquad x \in [-1, 1],\ C > 2

    Over every three steps the gradients add up to :math:`C - 2 > 0`, so the best fixed point is :math:`x = -1`.
    Each step is the optimizer's step on :math:`g_t = f_t'(x)`, then a projection back onto :math:`[-1, 1]`
    (clipping). With a short memory of the squared gradients (:math:`\beta_2` small) Adam's normalised steps
    make the rare large gradient :math:`C` count as much as one :math:`-1`, and it drifts to :math:`x = +1`, the
    worst point.

    Parameters
    ----------
    name : str
        One of :data:`OPTIMIZER_NAMES` (the learning rate goes in ``hyperparameters`` as ``lr``).
    steps : int
    C : float, default 3
    **hyperparameters

    Returns
    -------
    ndarray, shape (steps + 1,)
        :math:`x_0 = 1` and the iterate after every step.
    """
    steps = as_int(steps, "steps", minimum=0)
    C = as_scalar(C, "C")
    if C <= 2:
        raise ValueError(f"C must exceed 2 (then x = -1 is the best point); got {C}")
    opt = make_optimizer(_name(name), **hyperparameters)
    x = np.ones(1)
    xs = np.empty(steps + 1)
    xs[0] = 1.0
    for t in range(1, steps + 1):
        g = np.array([C if t % 3 == 1 else -1.0])
        opt.step([x], [g])
        np.clip(x, -1.0, 1.0, out=x)
        xs[t] = x[0]
    return xs


# --- the digits -------------------------------------------------------------------------------------------

#: The network of the digits race: 64 pixels, one hidden layer of 32 tanh units, 10 classes.
DIGITS_NET = {"sizes": (64, 32, 10), "activation": "tanh"}


@lru_cache(maxsize=1)
def _digits():
    X_train, _, y_train, _ = load_digits_split()  # the test set stays untouched (chapters 8 and 9 use it)
    X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25, seed=1, stratify=True)
    for a in (X_fit, X_val, y_fit, y_val):
        a.setflags(write=False)
    return X_fit, X_val, y_fit, y_val


def digits_data():
    """The digits of the race: the book's training split cut again into a fitting part and a validation part
    (75 / 25, stratified, seed 1); the book's test set is not used.

    Returns
    -------
    X_fit : ndarray, shape (1010, 64)
    X_val : ndarray, shape (337, 64)
    y_fit, y_val : ndarray of int
    """
    return tuple(a.copy() for a in _digits())


@dataclass(frozen=True)
class DigitsRun:
    """One training run on the digits.

    Attributes
    ----------
    loss : ndarray, shape (epochs + 1,)
        The training loss: on the whole fitting set before training, then each epoch's mean over its
        mini-batches (what a training log shows); inf from the epoch a run diverged.
    final_loss : float
        The loss on the whole fitting set after the last epoch (inf if diverged).
    val_loss, val_accuracy : float
        On the validation set after the last epoch.
    lrs : ndarray, shape (epochs,)
        The learning rate of each epoch.
    diverged : bool
    """

    loss: np.ndarray
    final_loss: float
    val_loss: float
    val_accuracy: float
    lrs: np.ndarray
    diverged: bool = False


#: A run counts as diverged once a weight passes this size (long before any overflow) ...
_RUNAWAY = 1e4
#: ... or its training loss passes this multiple of the loss it started from.
_BLOWUP = 10.0


def _scheduled(schedule, t):
    return as_scalar(schedule(t), "schedule(t)", positive=True)


class _Watch(Callback):
    """Records each epoch's learning rate, sets the next one from a schedule, stops a run whose weights run away."""

    def __init__(self, opt, schedule, epochs, start_loss):
        self.opt, self.schedule, self.epochs, self.limit = opt, schedule, epochs, _BLOWUP * start_loss
        self.diverged, self.lrs = False, [opt.lr]

    def on_epoch_end(self, epoch, logs, net):
        loss = logs["loss"]
        if not (math.isfinite(loss) and loss < self.limit and np.all(np.abs(net.flat_params) < _RUNAWAY)):
            self.diverged = True
            return True
        if epoch < self.epochs:
            if self.schedule is not None:
                self.opt.lr = _scheduled(self.schedule, epoch + 1)
            self.lrs.append(self.opt.lr)
        return False


@lru_cache(maxsize=64)
def _start_loss(net_items, seed) -> float:
    """The loss of a fresh network on the whole fitting set (the same for every optimizer and rate: cached)."""
    X_fit, _, y_fit, _ = _digits()
    return evaluate(MLP(**dict(net_items), seed=seed), X_fit, y_fit)[0]


def train_digits(name, lr, seed=0, epochs=10, batch_size=32, schedule: Callable | None = None, net=None,
                 validate=True, **hyperparameters) -> DigitsRun:
    r"""Train the :data:`DIGITS_NET` network on :func:`digits_data` with one optimizer, by :func:`nnmath.train.fit`.

    With a ``schedule`` (a function of the epoch number :math:`t = 1, 2, \dots`, e.g.
    ``functools.partial(nnmath.schedules.cosine, lr=0.1, total=epochs)``) the optimizer's ``lr`` is
    :math:`\eta_t` during epoch :math:`t`; otherwise it stays ``lr``.

    Parameters
    ----------
    name : str
        One of :data:`OPTIMIZER_NAMES`.
    lr : float
        The learning rate (ignored with a schedule, which gives every epoch's).
    seed : int, default 0
        Seeds both the initial weights and the order of the mini-batches.
    epochs : int, default 10
    batch_size : int, default 32
    schedule : callable, optional
    net : dict, optional
        ``MLP`` settings instead of :data:`DIGITS_NET`.
    validate : bool, default True
        Measure the validation loss and accuracy at the end (a tuning search needs only the training loss; then
        they are NaN).
    **hyperparameters
        Passed to the optimizer.

    Returns
    -------
    DigitsRun
        A run whose training loss passes ten times its starting loss (or stops being finite), or whose weights
        grow past :math:`10^4`, is stopped at the end of that epoch and marked diverged.
    """
    X_fit, X_val, y_fit, y_val = _digits()
    seed = as_int(seed, "seed", minimum=0)
    epochs = as_int(epochs, "epochs", minimum=0)
    batch_size = as_int(batch_size, "batch_size", minimum=1)
    settings = DIGITS_NET if net is None else net
    model = MLP(**settings, seed=seed)
    opt = optimizer(name, _scheduled(schedule, 1) if schedule is not None else lr, **hyperparameters)
    loss = np.full(epochs + 1, np.inf)
    loss[0] = _start_loss(tuple(sorted(settings.items())), seed)
    watch = _Watch(opt, schedule, epochs, loss[0])
    with np.errstate(all="ignore"):  # a runaway step overflows: that is the divergence, caught below
        try:
            losses = fit(model, X_fit, y_fit, opt, epochs=epochs, batch_size=batch_size, seed=seed + 1000,
                         callbacks=[watch]).loss
        except ValueError:
            if np.all(np.isfinite(model.flat_grads)):
                raise
            watch.diverged, losses = True, []  # a gradient overflowed inside an epoch
    kept = len(losses) - 1 if watch.diverged and losses else len(losses)
    loss[1:kept + 1] = losses[:kept]
    lrs = np.array(watch.lrs)
    if watch.diverged:
        return DigitsRun(loss, math.inf, math.inf, 0.0, lrs, True)
    val_loss, val_accuracy = evaluate(model, X_val, y_val) if validate else (math.nan, math.nan)
    return DigitsRun(loss, evaluate(model, X_fit, y_fit)[0], val_loss, val_accuracy, lrs, False)


def tune_digits(name, epochs=10, seeds=(100,), lrs=DIGITS_GRID, refine=True, batch_size=32,
                **hyperparameters) -> Tuned:
    """Tune an optimizer's learning rate on the digits: the value with the lowest final training loss (on the
    whole fitting set), averaged over the tuning ``seeds`` (kept apart from the seeds of the race itself).

    The grid ``lrs`` (:data:`DIGITS_GRID`) is tried first; with ``refine`` the two values a factor :data:`REFINE`
    either side of the best are tried too. Cached.
    """
    seeds = tuple(as_int(s, "seed", minimum=0) for s in seeds)
    return _tune_digits(_name(name), as_int(epochs, "epochs", minimum=1), seeds, _grid(lrs), bool(refine),
                        as_int(batch_size, "batch_size", minimum=1), tuple(sorted(hyperparameters.items())))


@lru_cache(maxsize=64)
def _tune_digits(name, epochs, seeds, lrs, refine, batch_size, hyper) -> Tuned:
    def score(lr):
        return float(np.mean([train_digits(name, lr, seed, epochs, batch_size, validate=False, **dict(hyper)).final_loss
                              for seed in seeds]))

    return _search(name, score, lrs, refine)


@dataclass(frozen=True)
class RaceResult:
    """Several optimizers, each at its tuned learning rate, over several seeds.

    Attributes
    ----------
    names : tuple of str
    lrs : dict
        The tuned learning rate of each optimizer.
    tuned : dict
        The :class:`Tuned` search of each optimizer (None where ``lrs`` was given).
    loss : dict of ndarray, shape (seeds, epochs + 1)
        Per optimizer, one training-loss curve per seed (:attr:`DigitsRun.loss`).
    final_loss, val_loss, val_accuracy : dict of ndarray, shape (seeds,)
        Per optimizer and seed, after the last epoch.
    seeds : tuple of int
    """

    names: tuple
    lrs: dict
    tuned: dict
    loss: dict
    final_loss: dict
    val_loss: dict
    val_accuracy: dict
    seeds: tuple

    def summary(self, key="final_loss") -> dict:
        """Per optimizer: ``(mean, sd)`` over the seeds of ``key`` (``"final_loss"``, ``"val_loss"``,
        ``"val_accuracy"``), the sd with ddof=1."""
        if key not in ("final_loss", "val_loss", "val_accuracy"):
            raise ValueError(f"key must be 'final_loss', 'val_loss' or 'val_accuracy'; got {key!r}")
        table = getattr(self, key)
        return {n: (float(np.mean(table[n])), float(np.std(table[n], ddof=1))) for n in self.names}


def race_digits(names=OPTIMIZER_NAMES, epochs=10, seeds=(0, 1, 2, 3, 4), lrs=None, tune_seeds=(100,),
                batch_size=32) -> RaceResult:
    """Race optimizers on the digits: each tuned by :func:`tune_digits` on ``tune_seeds`` (unless ``lrs`` gives
    its learning rate), then trained from every seed of ``seeds`` at that rate, for the same ``epochs``."""
    names = tuple(_name(n) for n in names)
    seeds = tuple(as_int(s, "seed", minimum=0) for s in seeds)
    if len(seeds) < 2:
        raise ValueError("a race needs at least two seeds to show a spread")
    if set(seeds) & set(tune_seeds):
        raise ValueError(f"the race's seeds {seeds} must differ from the tuning seeds {tuple(tune_seeds)}")
    tuned, chosen = {}, {}
    for n in names:
        if lrs and n in lrs:
            tuned[n], chosen[n] = None, as_scalar(lrs[n], f"lrs[{n!r}]", positive=True)
        else:
            tuned[n] = tune_digits(n, epochs, tune_seeds, batch_size=batch_size)
            chosen[n] = tuned[n].lr
    tables = {key: {} for key in ("loss", "final_loss", "val_loss", "val_accuracy")}
    for n in names:
        runs = [train_digits(n, chosen[n], seed, epochs, batch_size) for seed in seeds]
        tables["loss"][n] = np.array([r.loss for r in runs])
        for key in ("final_loss", "val_loss", "val_accuracy"):
            tables[key][n] = np.array([getattr(r, key) for r in runs])
    return RaceResult(names, chosen, tuned, tables["loss"], tables["final_loss"], tables["val_loss"],
                      tables["val_accuracy"], seeds)
