r"""The training loop (chapters 6 to 9): epochs of shuffled mini-batches, a history, callbacks, a progress bar.

One training step on a batch :math:`(X_B, \mathbf y_B)` is the whole book in four lines:

.. code-block:: python

    out, cache = net.forward(X_B, train=True)       # forward pass (chapters 1, 2, 3)
    loss, d_out = net.loss.value_and_grad(out, y_B) # the loss and its gradient dL/dZ (chapter 4)
    grads = net.backward(d_out, cache)              # backpropagation (chapter 6)
    optimizer.step(net.params, grads)               # an optimizer step (chapters 5, 7)

(the first three are :meth:`nnmath.network.MLP.batch_gradients`), with an L1/L2 penalty added to the loss and
its gradient when asked (chapter 8). :func:`fit` repeats it over mini-batches for a number of epochs, checking
the data once before the first epoch, and records a :class:`History`. It is deterministic: the same network
seed and the same ``seed`` give the same result. Early stopping is a callback,
:class:`nnmath.regularization.EarlyStopping`.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ._checks import as_generator, as_int, as_scalar, same_shape
from .network import MLP
from .optim import Adam, Optimizer
from .regularization import l1_penalty, l1_penalty_prime, l2_penalty, l2_penalty_prime

__all__ = ["History", "Callback", "LearningRateSchedule", "fit", "train_step", "evaluate", "accuracy",
           "confusion_matrix"]


@dataclass
class History:
    """What happened in training, one entry per epoch.

    Attributes
    ----------
    loss, accuracy : list of float
        Training loss (penalties included) and accuracy, averaged over the epoch's mini-batches while the
        weights were moving (and with dropout on, if any). ``accuracy`` is empty for regression.
    val_loss, val_accuracy : list of float
        On the validation data at the end of each epoch (empty without validation data).
    seconds : list of float
        Wall-clock time of each epoch.
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def record(self, logs: dict, seconds: float) -> None:
        """Append one epoch: every value of ``logs`` that is not None, and the epoch's wall-clock time."""
        for key, value in logs.items():
            if value is not None:
                getattr(self, key).append(value)
        self.seconds.append(seconds)

    def as_dict(self) -> dict:
        """The lists by name (handy for plotting)."""
        return {k: list(v) for k, v in vars(self).items()}

    def __repr__(self):
        if not self.loss:
            return "History(epochs=0)"
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in vars(self).items() if v and k != "seconds")
        return f"History(epochs={self.epochs}, {last})"


class Callback:
    """Hooks into :func:`fit`. Subclass and override what you need; any object with these three methods will do,
    such as :class:`nnmath.regularization.EarlyStopping`.

    ``on_epoch_end`` receives the epoch number (from 1), the epoch's ``logs`` (``loss``, ``accuracy``,
    ``val_loss``, ``val_accuracy``; None where not recorded) and the network; returning True stops training.
    """

    def on_train_begin(self, net):
        pass

    def on_epoch_end(self, epoch, logs, net):
        return False

    def on_train_end(self, net):
        pass


class LearningRateSchedule(Callback):
    r"""Set the optimizer's learning rate from a schedule before every epoch: :math:`\eta_t` = ``schedule(t)``.

    Epoch :math:`t = 1, 2, \dots` runs with ``optimizer.lr = schedule(t)``, for example
    ``functools.partial(nnmath.schedules.cosine, lr=1e-3, total=epochs)`` (chapter 7).

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer passed to :func:`fit`.
    schedule : callable
        Epoch number (from 1) to a learning rate (> 0 for every epoch that runs).

    Attributes
    ----------
    lrs : list of float
        The learning rate of each epoch so far.
    """

    def __init__(self, optimizer, schedule):
        self.optimizer = _check_optimizer(optimizer)
        if not callable(schedule):
            raise TypeError(f"schedule must be a function of the epoch number; got {type(schedule).__name__}")
        self.schedule = schedule
        self.lrs: list = []

    def _set(self, epoch):
        lr = as_scalar(self.schedule(epoch), f"schedule({epoch})", nonnegative=True)
        self.optimizer.lr = lr
        self.lrs.append(lr)

    def on_train_begin(self, net):
        self.lrs = []
        self._set(1)

    def on_epoch_end(self, epoch, logs, net):
        self._set(epoch + 1)
        return False

    def on_train_end(self, net):
        self.lrs = self.lrs[:-1]  # the rate set for an epoch that did not run


# --- accuracy and friends -----------------------------------------------------------------------

def accuracy(y_true, y_pred) -> float:
    r"""The fraction of correct predictions: :math:`\frac1n \sum_i \mathbb 1[\hat y_i = y_i]`."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    same_shape(y_true, y_pred, "y_true", "y_pred")
    if y_true.size == 0:
        raise ValueError("accuracy of an empty set of predictions is undefined")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None) -> np.ndarray:
    r"""Counts :math:`C_{ij}` of samples of true class :math:`i` predicted as class :math:`j`; shape (k, k).

    The diagonal holds the correct predictions; row :math:`i` sums to the number of samples of class :math:`i`.
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"y_true and y_pred must be 1-D label arrays of the same length (y_true: {y_true.shape}, "
                         f"y_pred: {y_pred.shape})")
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if y.dtype.kind not in "iub":
            raise TypeError(f"{name} must hold integer labels; got dtype {y.dtype}")
        if y.size and y.min() < 0:
            raise ValueError(f"{name} must hold labels >= 0; found {y.min()}")
    k = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1 if n_classes is None else int(n_classes)
    if y_true.size and max(y_true.max(), y_pred.max()) >= k:
        raise ValueError(f"labels must lie in 0..{k - 1} for n_classes={k}")
    C = np.zeros((k, k), dtype=np.intp)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def _labels_of(y, kind):
    """Integer labels from checked targets: labels as they are, argmax of probability rows, 0/1 of binary targets."""
    if kind == "multiclass":
        return y if y.ndim == 1 else y.argmax(axis=1)
    return (y[:, 0] > 0.5).astype(np.intp)


def evaluate(net: MLP, X, y):
    """Loss and accuracy of the network on data, in evaluation mode (no dropout).

    Returns
    -------
    loss : float
    accuracy : float or None
        None for a regression loss.
    """
    X = net.check_inputs(X)
    y = net.check_targets(y, X.shape[0])
    return _evaluate(net, X, y)


def _evaluate(net, X, y):
    """Loss and accuracy on inputs and targets that have passed the network's checks."""
    out = net.forward(X)[0]
    loss = net.loss.value_and_grad(out, y)[0]
    if net.loss.kind == "regression":
        return loss, None
    return loss, _accuracy_of(net, out, _labels_of(y, net.loss.kind))


def _accuracy_of(net, out, labels) -> float:
    return float(np.mean(net.decide(out) == labels))


# --- one step, and many ---------------------------------------------------------------------------

def _add_penalties(net, l1, l2):
    """Add the L1/L2 penalty gradients to net.dW in place; return the penalty added to the loss."""
    extra = 0.0
    for strength, penalty, penalty_prime in ((l2, l2_penalty, l2_penalty_prime), (l1, l1_penalty, l1_penalty_prime)):
        if strength:
            extra += penalty(list(net.W), strength)
            for dW, dR in zip(net.dW, penalty_prime(list(net.W), strength)):
                dW += dR
    return extra


def _step(net, Xb, yb, optimizer, l1, l2, flat):
    """One training step on a checked batch: gradients, penalties, an optimizer step. Returns (loss, outputs).

    ``flat`` is ``([net.flat_params], [net.flat_grads])``: every optimizer acts entry by entry, so one step on
    the flat vector is one step on each array, and costs one call.
    """
    loss, out = net.batch_gradients(Xb, yb, train=True)
    if l1 or l2:
        loss += _add_penalties(net, l1, l2)
    optimizer.step(*flat)
    return loss, out


def _check_optimizer(optimizer) -> Optimizer:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nnmath.optim optimizer such as Adam(); got {type(optimizer).__name__}")
    return optimizer


def _penalty_strengths(l1, l2):
    return as_scalar(l1, "l1", nonnegative=True), as_scalar(l2, "l2", nonnegative=True)


def train_step(net: MLP, X, y, optimizer: Optimizer, l1=0.0, l2=0.0) -> float:
    r"""One step of training on one batch: forward, loss, backward, optimizer step. Returns the batch's loss.

    .. math::
        L = L_0\bigl(f(X; \theta), \mathbf y\bigr) + \lambda_1 \sum \lvert W \rvert
            + \frac{\lambda_2}{2} \sum W^2, \qquad \theta \leftarrow \operatorname{step}(\theta, \nabla_\theta L)
    """
    optimizer = _check_optimizer(optimizer)
    X = net.check_inputs(X)
    y = net.check_targets(y, X.shape[0])
    return _step(net, X, y, optimizer, *_penalty_strengths(l1, l2), _flat(net))[0]


def _flat(net):
    return [net.flat_params], [net.flat_grads]


def _run_epoch(net, X, y, labels, optimizer, batch_size, l1, l2, augment=None, rng=None):
    """One pass over (already shuffled) data in mini-batches; the epoch's mean loss and accuracy (or None)."""
    n, flat = X.shape[0], _flat(net)
    outputs = np.empty((n, net.sizes[-1]), dtype=net.dtype)  # each batch's outputs, as the weights moved
    total_loss = 0.0
    for first in range(0, n, batch_size):
        last = min(first + batch_size, n)
        Xb = X[first:last] if augment is None else _augmented(augment, X[first:last], rng, net.dtype)
        loss, outputs[first:last] = _step(net, Xb, y[first:last], optimizer, l1, l2, flat)
        total_loss += loss * (last - first)
    accuracy = None if labels is None else _accuracy_of(net, outputs, labels)
    return {"loss": total_loss / n, "accuracy": accuracy, "val_loss": None, "val_accuracy": None}


def _augmented(augment, X_batch, rng, dtype):
    out = np.asarray(augment(X_batch, rng), dtype=dtype)
    if out.shape != X_batch.shape:
        raise ValueError(f"augment must return a batch of the same shape (got {out.shape} for {X_batch.shape})")
    return out


def _validation_set(net, validation_data):
    if validation_data is None:
        return None
    try:
        X_val, y_val = validation_data
    except (TypeError, ValueError):
        raise TypeError("validation_data must be a pair (X_val, y_val)") from None
    X_val = net.check_inputs(X_val)
    return X_val, net.check_targets(y_val, X_val.shape[0])


def fit(net: MLP, X, y, optimizer: Optimizer | None = None, epochs=10, batch_size=32, validation_data=None,
        l1=0.0, l2=0.0, callbacks=(), shuffle=True, seed=0, progress=False, augment=None) -> History:
    r"""Train a network on data: ``epochs`` passes of shuffled mini-batches.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n, sizes[0])
    y : array_like
        Targets for ``net.loss``: labels (n,) for classification, values (n,) or (n, k) for regression.
    optimizer : Optimizer, default Adam()
        Its state carries over between calls to ``fit`` (call ``optimizer.reset()`` to start afresh).
    epochs : int, default 10
    batch_size : int or None, default 32
        None means the full batch (gradient descent); 1 is stochastic gradient descent.
    validation_data : (X_val, y_val), optional
        Evaluated after every epoch (``val_loss``, ``val_accuracy``).
    l1, l2 : float, default 0
        Strengths of the L1 and L2 penalties on the weights ``net.W`` only, never the biases
        (:mod:`nnmath.regularization`). An optimizer's ``weight_decay`` is different: it decays every array it
        is handed, and ``fit`` hands it all the parameters, so it decays the biases too (chapter 8).
    callbacks : sequence of Callback, e.g. ``[EarlyStopping(patience=5)]``
    shuffle : bool, default True
    seed : int, numpy Generator or None, default 0
        Seeds the shuffling.
    progress : bool or str, default False
        True shows a progress bar: an ipywidgets bar in a notebook, else one line of text on standard output
        rewritten in place. ``"text"`` or ``"widget"`` choose explicitly.
    augment : callable, optional
        Data augmentation (chapter 8): ``augment(X_batch, rng)`` returns a transformed copy of a training
        mini-batch, of the same shape, e.g. :func:`nnmath.data.random_shifts`. It receives the generator that
        shuffles, so a run stays reproducible from ``seed``. The training accuracy is then measured on the
        transformed batches; validation data are never transformed.

    Returns
    -------
    History
    """
    X = net.check_inputs(X)
    y = net.check_targets(y, X.shape[0])
    n = X.shape[0]
    optimizer = _check_optimizer(Adam() if optimizer is None else optimizer)
    epochs = as_int(epochs, "epochs")
    batch_size = n if batch_size is None else min(as_int(batch_size, "batch_size", minimum=1), n)
    l1, l2 = _penalty_strengths(l1, l2)
    validation = _validation_set(net, validation_data)
    callbacks = list(callbacks)
    if augment is not None and not callable(augment):
        raise TypeError(f"augment must be a function (X_batch, rng) -> X_batch; got {type(augment).__name__}")
    rng = as_generator(seed)
    labels = None if net.loss.kind == "regression" else _labels_of(y, net.loss.kind)

    history = History()
    bar = _progress_bar(progress, epochs)
    for cb in callbacks:
        cb.on_train_begin(net)
    try:
        for epoch in range(1, epochs + 1):
            start = time.perf_counter()
            order = rng.permutation(n) if shuffle else np.arange(n)
            logs = _run_epoch(net, X[order], y[order], None if labels is None else labels[order],
                              optimizer, batch_size, l1, l2, augment, rng)
            if validation is not None:
                logs["val_loss"], logs["val_accuracy"] = _evaluate(net, *validation)
            history.record(logs, time.perf_counter() - start)
            bar.update(epoch, logs)
            if any([bool(cb.on_epoch_end(epoch, logs, net)) for cb in callbacks]):  # every callback sees the epoch
                break
    finally:
        bar.close()
    for cb in callbacks:
        cb.on_train_end(net)
    return history


# --- a quiet progress bar -----------------------------------------------------------------------

def _in_notebook() -> bool:
    ipython = sys.modules.get("IPython")  # only look if IPython is already running: never import it here
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _summary(epoch, total, logs):
    parts = [f"epoch {epoch}/{total}"]
    parts += [f"{k} {v:.4f}" for k, v in logs.items() if v is not None]
    return "  ".join(parts)


class _NoBar:
    def update(self, epoch, logs):
        pass

    def close(self):
        pass


class _TextBar:
    """One line on standard output, rewritten in place once per epoch; a newline at the end."""

    def __init__(self, total):
        self.total, self.width = total, 0

    def update(self, epoch, logs):
        line = _summary(epoch, self.total, logs)
        sys.stdout.write("\r" + line.ljust(self.width))
        sys.stdout.flush()
        self.width = len(line)

    def close(self):
        if self.width:
            sys.stdout.write("\n")
            sys.stdout.flush()


class _WidgetBar:
    """An ipywidgets progress bar with the latest losses beside it, displayed once and then updated."""

    def __init__(self, total):
        import ipywidgets as widgets
        from IPython.display import display

        self.total = total
        self.bar = widgets.IntProgress(value=0, min=0, max=max(total, 1), description="training")
        self.label = widgets.Label(value=f"epoch 0/{total}")
        display(widgets.HBox([self.bar, self.label]))

    def update(self, epoch, logs):
        self.bar.value = epoch
        self.label.value = _summary(epoch, self.total, logs)

    def close(self):
        self.bar.bar_style = "success"


def _progress_bar(progress, total):
    if progress is False or progress is None:
        return _NoBar()
    if progress not in (True, "text", "widget"):
        raise ValueError(f"progress must be True, False, 'text' or 'widget'; got {progress!r}")
    if progress == "widget" or (progress is True and _in_notebook()):
        return _WidgetBar(total)
    return _TextBar(total)
