r"""Generalization experiments (chapter 8): overfitting, capacity, and every regulariser measured on one problem.

The chapter's computations that take more than a line, each a function that returns plain numbers:

* :func:`small_digits`: the chapter's small problem, 150 training digits (15 of each, one label in five made
  wrong), 200 for validation, and the book's 450 test digits, which are looked at once, at the end;
* :func:`random_relu_features` and :func:`least_squares`: a model whose capacity is one number, for the
  capacity curve and double descent (Belkin et al., 2019);
* :func:`fit_penalized`: plain SGD with an L2 penalty (weight decay) or with L1 by proximal steps, which make
  exact zeros; the biases are never penalised;
* :func:`penalty_sweep` and :func:`dropout_curves`: the networks and curves behind the chapter's two widgets,
  computed once;
* :func:`train_regularized` and :func:`compare_regularizers`: none / L2 / L1 / dropout / early stopping /
  augmentation on the same data, with the same budget, over several seeds, each one's setting chosen on the
  validation set and only the chosen ones evaluated on the test set.

Everything is seeded: the same call gives the same numbers.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_generator, as_int, as_scalar
from .augment import random_shifts
from .data import load_digits_split, make_moons, minibatches
from .network import MLP
from .optim import Adam
from .regularization import EarlyStopping, l1_penalty, l1_proximal_step, l2_penalty
from .train import Callback, evaluate, fit

__all__ = [
    "Problem", "small_digits", "random_relu_features", "least_squares", "fit_penalized",
    "MOONS", "PENALTY_LAMS", "PenaltySweep", "penalty_sweep",
    "BUDGET", "DROPOUT_RATES", "DropoutCurves", "dropout_curves",
    "METHODS", "REGULARIZERS", "train_regularized", "Comparison", "compare_regularizers",
]


# --- the data ----------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Problem:
    """A classification problem split three ways: fit on ``train``, choose on ``val``, report once on ``test``.

    ``flipped`` lists the training samples whose label was replaced by a wrong one (empty if none).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    flipped: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    name: str = ""

    def __repr__(self):
        return (f"Problem({self.name!r}: train {self.X_train.shape}, val {self.X_val.shape}, "
                f"test {self.X_test.shape}, {len(self.flipped)} training labels wrong)")


def _frozen(*arrays):
    for a in arrays:
        a.setflags(write=False)  # shared by cached results: nobody may change them
    return arrays


@functools.lru_cache(maxsize=8)
def small_digits(per_class_train=15, per_class_val=20, label_noise=0.2, seed=0) -> Problem:
    r"""The chapter's small digit problem: a few training digits, some mislabelled, a validation set, a test set.

    From the 1,347 training digits of :func:`nnmath.data.load_digits_split` (pixels in :math:`[0, 1]`), a random
    ``per_class_val`` of each class become the validation set and another ``per_class_train`` of each class the
    training set; then a fraction ``label_noise`` of the training labels (chosen at random) is replaced by a
    different class, drawn at random. The validation and test labels are never changed, and the test set is the
    split's 450 test digits. With the defaults: 150 training digits (30 of them mislabelled), 200 for validation,
    450 for the test.

    Returns
    -------
    Problem
        Its arrays are read-only (the result is cached and shared).
    """
    n_train = as_int(per_class_train, "per_class_train", minimum=1)
    n_val = as_int(per_class_val, "per_class_val", minimum=1)
    label_noise = as_scalar(label_noise, "label_noise", nonnegative=True)
    if label_noise >= 1:
        raise ValueError(f"label_noise is the fraction of training labels made wrong, below 1; got {label_noise}")
    X_pool, X_test, y_pool, y_test = load_digits_split()
    rng = as_generator(seed)
    train, val = [], []
    for label in range(10):
        members = rng.permutation(np.flatnonzero(y_pool == label))
        if len(members) < n_train + n_val:
            raise ValueError(f"class {label} has {len(members)} training digits, fewer than {n_train + n_val}")
        val.append(members[:n_val])
        train.append(members[n_val:n_val + n_train])
    train, val = rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(val))
    y_train = y_pool[train].copy()
    flipped = np.sort(rng.permutation(len(train))[:int(round(label_noise * len(train)))])
    y_train[flipped] = (y_train[flipped] + rng.integers(1, 10, size=len(flipped))) % 10  # always another class
    arrays = _frozen(X_pool[train], y_train, X_pool[val], y_pool[val], X_test.copy(), y_test.copy(), flipped)
    name = f"digits: {n_train} + {n_val} per class, {label_noise:.0%} of training labels wrong"
    return Problem(*arrays, name=name)


# --- capacity: random features ------------------------------------------------------------------------------

def random_relu_features(X, width, seed=0):
    r"""``width`` random ReLU features of the inputs: a hidden layer that is drawn, not trained.

    .. math::
        F = \operatorname{ReLU}(X V), \qquad V_{ij} \sim \mathcal N(0, 1/d_\text{in}), \qquad
        X: (n, d_\text{in}),\ V: (d_\text{in}, d),\ F: (n, d)

    Only a linear layer on top of :math:`F` is fitted (:func:`least_squares`), so the model's capacity is the
    single number :math:`d`, the width. The same ``seed`` draws the same :math:`V`, so training and validation
    inputs get the same features.

    Returns
    -------
    ndarray, shape (n, width)
    """
    X = as_array(X, "X", ndim=2, finite=True)
    width = as_int(width, "width", minimum=1)
    V = as_generator(seed).normal(0.0, 1.0 / np.sqrt(X.shape[1]), size=(X.shape[1], width))
    return np.maximum(X @ V, 0.0)


def least_squares(F, Y, lam=0.0):
    r"""The least-squares weights of a linear layer, minimum-norm when the fit is not unique, or with an L2 penalty.

    With :math:`F` of shape :math:`(n, d)` and targets :math:`Y` of shape :math:`(n, k)` (one-hot rows for
    classes), minimise :math:`\frac1n \lVert F\Theta - Y \rVert_F^2 + \frac\lambda2 \lVert\Theta\rVert_F^2`:

    .. math::
        \Theta_\lambda = \Bigl(F^\top F + \tfrac{n\lambda}{2} I\Bigr)^{-1} F^\top Y
        = F^\top \Bigl(F F^\top + \tfrac{n\lambda}{2} I\Bigr)^{-1} Y, \qquad
        \Theta_0 = F^{+} Y

    For :math:`\lambda = 0` and :math:`d \ge n` many :math:`\Theta` fit the training data exactly; the
    pseudo-inverse :math:`F^+` picks the one of smallest norm, the limit of :math:`\Theta_\lambda` as
    :math:`\lambda \to 0`.

    Parameters
    ----------
    F : array_like, shape (n, d)
    Y : array_like, shape (n, k) or (n,)
    lam : float, >= 0, default 0

    Returns
    -------
    ndarray, shape (d, k) or (d,)
    """
    F = as_array(F, "F", ndim=2, finite=True)
    Y = as_array(Y, "Y", ndim=(1, 2), finite=True)
    if len(Y) != len(F):
        raise ValueError(f"F and Y need one row per sample (F: {F.shape}, Y: {Y.shape})")
    lam = as_scalar(lam, "lam", nonnegative=True)
    n, d = F.shape
    if lam == 0:
        return np.linalg.lstsq(F, Y, rcond=None)[0]  # the minimum-norm solution F^+ Y
    ridge = n * lam / 2.0
    if d <= n:
        return np.linalg.solve(F.T @ F + ridge * np.eye(d), F.T @ Y)
    return F.T @ np.linalg.solve(F @ F.T + ridge * np.eye(n), Y)  # the same, with an n x n system


# --- SGD with a penalty: weight decay, or proximal L1 ----------------------------------------------------------

def fit_penalized(net: MLP, X, y, penalty="l2", lam=0.0, lr=0.5, epochs=100, batch_size=None, seed=0):
    r"""Train a network with plain mini-batch SGD and a penalty on its weights (never its biases).

    For every mini-batch, with :math:`\nabla_W L_0` the data loss's gradient
    (:meth:`nnmath.network.MLP.loss_and_gradients`):

    .. math::
        \text{L2:}\quad W \leftarrow W - \eta\bigl(\nabla_W L_0 + \lambda W\bigr) = (1 - \eta\lambda) W - \eta
        \nabla_W L_0 \qquad
        \text{L1:}\quad W \leftarrow S_{\eta\lambda}\bigl(W - \eta \nabla_W L_0\bigr)

    and :math:`\mathbf b \leftarrow \mathbf b - \eta \nabla_{\mathbf b} L_0` for the biases. The L2 step is what
    :func:`nnmath.train.fit` does with ``SGD(lr)`` and ``l2=lam`` (the tests check they agree); the L1 step is
    the proximal step :func:`nnmath.regularization.l1_proximal_step`, which gives exact zeros, where ``fit``'s
    ``l1`` takes subgradient steps that do not.

    Parameters
    ----------
    net : nnmath.network.MLP
        Trained in place (it must have no dropout: the gradients come from evaluation mode).
    X, y : arrays
        Inputs (n, d_in) and targets.
    penalty : {"l2", "l1"}
    lam : float, >= 0
    lr : float, > 0
    epochs : int, >= 0
    batch_size : int or None (the full batch)
    seed : int, numpy Generator or None
        Seeds the order of the mini-batches.

    Returns
    -------
    list of float
        The penalised loss :math:`L_0 + R(W)` on the whole training set after each epoch.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an nnmath MLP; got {type(net).__name__}")
    if net.dropout:
        raise ValueError(f"fit_penalized trains without dropout; this network has dropout={net.dropout}")
    if penalty not in ("l2", "l1"):
        raise ValueError(f"penalty must be 'l2' or 'l1'; got {penalty!r}")
    X = net.check_inputs(X)
    y = net.check_targets(y, X.shape[0])
    lam = as_scalar(lam, "lam", nonnegative=True)
    lr = as_scalar(lr, "lr", positive=True)
    epochs = as_int(epochs, "epochs", minimum=0)
    n = X.shape[0]
    batch_size = n if batch_size is None else min(as_int(batch_size, "batch_size", minimum=1), n)
    rng = as_generator(seed)
    penalty_of = l2_penalty if penalty == "l2" else l1_penalty
    losses = []
    for _ in range(epochs):
        for rows in minibatches(n, batch_size, seed=rng):
            net.loss_and_gradients(X[rows], y[rows])
            for W, dW in zip(net.W, net.dW):
                if penalty == "l2":
                    dW += lam * W  # the L2 gradient joins the data gradient: weight decay
                    W -= lr * dW
                else:
                    W[...] = l1_proximal_step(W, dW, lr, lam)
            for b, db in zip(net.b, net.db):
                b -= lr * db
        losses.append(net.compute_loss(X, y) + penalty_of(list(net.W), lam))
    return losses


# --- the networks behind the penalty widget -------------------------------------------------------------------

#: The 2-D problem of the penalty widget: 40 noisy moons to train on, 400 to validate on, a 2-32-32-2 tanh
#: network and full-batch SGD long enough to overfit.
MOONS = {"n_train": 40, "n_val": 400, "noise": 0.35, "seeds": (3, 4), "sizes": (2, 32, 32, 2),
         "activation": "tanh", "lr": 0.5, "epochs": 700, "net_seed": 0}
#: The strengths of the sweep: 0 (no penalty), then 1e-4 to 1e-1, a factor of sqrt(10) apart.
PENALTY_LAMS = (0.0,) + tuple(float(v) for v in np.round(10.0 ** np.arange(-4.0, -0.99, 0.5), 12))


class PenaltySweep(NamedTuple):
    r"""Networks trained on :data:`MOONS` with each penalty and strength (:func:`penalty_sweep`).

    ``params[penalty, lam]`` is the flat parameter vector, ``train_accuracy``, ``val_accuracy`` and ``zeros`` (the
    number of weights exactly 0) are dicts with the same keys; ``n_weights`` counts the weights (biases excluded).
    """

    lams: tuple
    X: np.ndarray
    y: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    params: dict
    train_accuracy: dict
    val_accuracy: dict
    zeros: dict
    n_weights: int

    def network(self, penalty, lam) -> MLP:
        """A fresh :class:`~nnmath.network.MLP` holding the network trained with this penalty and strength."""
        net = MLP(list(MOONS["sizes"]), activation=MOONS["activation"])
        net.set_params(self.params[penalty, self._lam(lam)])
        return net

    def weights(self, penalty, lam) -> np.ndarray:
        """All weights of that network (no biases) in one vector."""
        return np.concatenate([W.ravel() for W in self.network(penalty, lam).W])

    def _lam(self, lam):
        if lam == 0:
            return 0.0
        positive = np.array([v for v in self.lams if v > 0])
        return float(positive[np.argmin(np.abs(np.log10(positive) - np.log10(lam)))])


@functools.lru_cache(maxsize=4)
def penalty_sweep(lams=PENALTY_LAMS, penalties=("l2", "l1")) -> PenaltySweep:
    r"""Train the :data:`MOONS` network once per penalty and strength, from the same initial weights.

    Each network is trained by :func:`fit_penalized` (full-batch SGD, L2 as weight decay, L1 by proximal
    steps). :math:`\lambda = 0` is trained once and shared by both penalties. The result is cached.
    """
    setup = MOONS
    X, y = make_moons(n=setup["n_train"], noise=setup["noise"], seed=setup["seeds"][0])
    X_val, y_val = make_moons(n=setup["n_val"], noise=setup["noise"], seed=setup["seeds"][1])
    params, train_acc, val_acc, zeros = {}, {}, {}, {}
    for penalty in penalties:
        for lam in lams:
            if lam == 0 and params:
                first = next(iter(params))
                for table in (params, train_acc, val_acc, zeros):
                    table[penalty, 0.0] = table[first]
                continue
            net = MLP(list(setup["sizes"]), activation=setup["activation"], seed=setup["net_seed"])
            fit_penalized(net, X, y, penalty, lam, lr=setup["lr"], epochs=setup["epochs"])
            key = (penalty, float(lam))
            params[key] = net.get_params()
            train_acc[key] = float(np.mean(net.predict(X) == y))
            val_acc[key] = float(np.mean(net.predict(X_val) == y_val))
            zeros[key] = int(sum(np.count_nonzero(W == 0) for W in net.W))
    n_weights = int(sum(W.size for W in MLP(list(setup["sizes"])).W))
    return PenaltySweep(tuple(lams), *_frozen(X, y, X_val, y_val), params, train_acc, val_acc, zeros, n_weights)


# --- the common budget, and the dropout curves -----------------------------------------------------------------

#: The budget every method of the comparison gets: the network, the optimizer and the number of passes.
BUDGET = {"sizes": (64, 64, 64, 10), "activation": "relu", "lr": 3e-3, "epochs": 80, "batch_size": 32}
#: The drop rates of the dropout widget (drop rate = 1 - q).
DROPOUT_RATES = tuple(round(0.1 * k, 1) for k in range(8))


class _TrainingSetLoss(Callback):
    """After each epoch, the loss and accuracy on the whole training set in evaluation mode (no dropout)."""

    def __init__(self, X, y):
        self.X, self.y, self.loss, self.accuracy = X, y, [], []

    def on_epoch_end(self, epoch, logs, net):
        loss, acc = evaluate(net, self.X, self.y)
        self.loss.append(loss)
        self.accuracy.append(acc)
        return False


class DropoutCurves(NamedTuple):
    """Per-epoch curves for each drop rate (:func:`dropout_curves`): arrays of shape (len(rates), epochs).

    ``train_loss`` and ``train_accuracy`` are measured on the whole training set in evaluation mode after each
    epoch (not the running averages with dropout on); ``val_loss`` and ``val_accuracy`` on the validation set.
    """

    rates: tuple
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray


@functools.lru_cache(maxsize=4)
def dropout_curves(rates=DROPOUT_RATES, seed=0, problem=None) -> DropoutCurves:
    r"""Train the :data:`BUDGET` network on :func:`small_digits` once per drop rate and record its curves.

    The same initial weights and the same order of mini-batches for every rate (``seed``); drop rate
    :math:`1 - q` on every hidden layer. The result is cached.
    """
    problem = small_digits() if problem is None else problem
    rows = []
    for rate in rates:
        net, history, train_curve = _train(problem, dropout=float(rate), seed=seed)
        rows.append((train_curve.loss, train_curve.accuracy, history.val_loss, history.val_accuracy))
    curves = [np.array([row[i] for row in rows]) for i in range(4)]
    return DropoutCurves(tuple(rates), *_frozen(*curves))


def _train(problem, *, dropout=0.0, l1=0.0, l2=0.0, patience=None, shift_prob=None, seed=0, budget=BUDGET,
           record_train=True):
    """One run of the comparison's budget; returns the network, its History and the training-set curve."""
    net = MLP(list(budget["sizes"]), activation=budget["activation"], dropout=dropout, seed=seed)
    optimizer = Adam(lr=budget["lr"])
    train_curve = _TrainingSetLoss(problem.X_train, problem.y_train)
    callbacks = [train_curve] if record_train else []
    if patience is not None:
        callbacks.append(EarlyStopping(patience=patience))
    common = {"batch_size": budget["batch_size"], "validation_data": (problem.X_val, problem.y_val), "l1": l1,
              "l2": l2}
    if shift_prob is None:
        history = fit(net, problem.X_train, problem.y_train, optimizer, epochs=budget["epochs"], callbacks=callbacks,
                      seed=seed, **common)
        return net, history, train_curve
    # augmentation: every epoch trains on freshly shifted copies of the same images (same steps, same epochs)
    rng = as_generator(seed)
    history = None
    for _ in range(budget["epochs"]):
        X_epoch = random_shifts(problem.X_train, rng, prob=shift_prob)
        step = fit(net, X_epoch, problem.y_train, optimizer, epochs=1, callbacks=callbacks, seed=rng, **common)
        if history is None:
            history = step
        else:
            for key, value in vars(step).items():
                getattr(history, key).extend(value)
    return net, history, train_curve


# --- the comparison ----------------------------------------------------------------------------------------------

#: The methods compared, in the order of the table.
METHODS = ("none", "l2", "l1", "dropout", "early_stopping", "augmentation")
#: The settings each method may choose from on the validation set: a penalty strength, a drop rate, a patience
#: (epochs), or the probability that an image is shifted by a pixel.
REGULARIZERS = {
    "none": (None,),
    "l2": (1e-2, 3e-2),
    "l1": (1e-3, 3e-3),
    "dropout": (0.25, 0.5),
    "early_stopping": (5, 15),
    "augmentation": (0.5, 1.0),
}
_LABELS = {"none": "none", "l2": "L2, λ", "l1": "L1, λ", "dropout": "dropout, 1 − q",
           "early_stopping": "early stopping, patience", "augmentation": "shifts, probability"}


def train_regularized(problem: Problem, method: str, setting=None, seed=0, budget=BUDGET):
    r"""Train the :data:`BUDGET` network on ``problem`` with one regulariser: ``(net, history)``.

    ``method`` is one of :data:`METHODS`; ``setting`` is the L2 or L1 strength :math:`\lambda` (the penalty is
    added to the loss, :func:`nnmath.train.fit` with ``l2`` / ``l1``), the drop rate :math:`1 - q` of every hidden
    layer, the patience of :class:`~nnmath.regularization.EarlyStopping` (monitoring the validation loss and
    restoring the best weights), or the probability with which each training image is shifted by one pixel,
    anew every epoch (:func:`nnmath.augment.random_shifts`). Every run has the same network, optimizer
    (Adam, :math:`\eta = 0.003`), batch size and number of epochs; only early stopping may use fewer.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of: {', '.join(METHODS)}")
    if method == "none":
        options = {}
    elif setting is None:
        raise ValueError(f"method {method!r} needs a setting, e.g. {REGULARIZERS[method][0]!r}")
    else:
        options = {"l2": {"l2": setting}, "l1": {"l1": setting}, "dropout": {"dropout": setting},
                   "early_stopping": {"patience": setting}, "augmentation": {"shift_prob": setting}}[method]
    net, history, _ = _train(problem, seed=seed, budget=budget, record_train=False, **options)
    return net, history


@dataclasses.dataclass
class Comparison:
    """The result of :func:`compare_regularizers`.

    Attributes
    ----------
    val : dict
        ``(method, setting) ->`` validation accuracies, one per seed.
    chosen : dict
        ``method ->`` the setting with the best mean validation accuracy.
    test : dict
        ``method ->`` test accuracies of the chosen setting, one per seed: the only time the test set is used.
    best : str
        The method with the best mean validation accuracy.
    epochs : dict
        ``(method, setting) ->`` the epochs each run trained for.
    seeds : tuple
    """

    val: dict
    chosen: dict
    test: dict
    best: str
    epochs: dict
    seeds: tuple

    def table(self) -> str:
        """The comparison as text: every setting on validation (mean ± sd over seeds), the chosen ones on test."""
        lines = [f"{'method':26s} {'setting':>8s}   validation accuracy   test accuracy (chosen only)"]
        for method in (m for m in METHODS if m in self.chosen):
            for (m, setting), accs in self.val.items():
                if m != method:
                    continue
                chosen = setting == self.chosen[method]
                test = self.test[method] if chosen else None
                shown = "" if setting is None else f"{setting:g}"
                line = f"{_LABELS[method]:26s} {shown:>8s}   {np.mean(accs):.3f} ± {np.std(accs):.3f}"
                line += f"         {np.mean(test):.3f} ± {np.std(test):.3f}" if test is not None else ""
                lines.append(line + ("   <- chosen" if chosen and len(REGULARIZERS.get(method, ())) > 1 else ""))
        return "\n".join(lines)


def compare_regularizers(problem: Problem | None = None, grid=None, seeds=(0, 1, 2), budget=BUDGET) -> Comparison:
    r"""Every method of ``grid`` (default :data:`REGULARIZERS`) on the same problem, budget and seeds.

    1. Train every (method, setting) once per seed (:func:`train_regularized`) and measure its validation accuracy.
    2. For each method choose the setting with the best mean validation accuracy; over the methods, the best one.
    3. Only then evaluate the chosen setting of each method on the test set, with the networks already trained.

    The test set decides nothing: it is read once, in step 3.
    """
    problem = small_digits() if problem is None else problem
    grid = REGULARIZERS if grid is None else grid
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("give at least one seed")
    val, epochs, nets = {}, {}, {}
    for method, settings in grid.items():
        for setting in settings:
            for seed in seeds:
                net, history = train_regularized(problem, method, setting, seed, budget)
                nets[method, setting, seed] = net.get_params(), net
                val.setdefault((method, setting), []).append(evaluate(net, problem.X_val, problem.y_val)[1])
                epochs.setdefault((method, setting), []).append(history.epochs)
    chosen = {method: max(settings, key=lambda s: np.mean(val[method, s])) for method, settings in grid.items()}
    best = max(chosen, key=lambda m: np.mean(val[m, chosen[m]]))
    test = {}
    for method, setting in chosen.items():  # step 3: the test set, once
        test[method] = [evaluate(nets[method, setting, seed][1], problem.X_test, problem.y_test)[1]
                        for seed in seeds]
    return Comparison(val, chosen, test, best, epochs, seeds)
