r"""Regularization (chapter 8): penalties on the weights, dropout, early stopping.

**Penalties as loss terms.** Add a cost for large weights to the data loss :math:`L_0`:

.. math::
    L = L_0 + \underbrace{\frac{\lambda}{2} \sum_\ell \lVert W^{[\ell]} \rVert_F^2}_{\text{L2}}
    \qquad\text{or}\qquad
    L = L_0 + \underbrace{\lambda \sum_\ell \sum_{ij} \lvert W^{[\ell]}_{ij} \rvert}_{\text{L1}}

Only the weights are penalised, not the biases (a bias only shifts a unit; shrinking it does not make
the function simpler). Because :math:`L_0` is a mean over the batch, :math:`\lambda` does not depend on
the batch size.

**L2 as weight decay.** The gradient of the L2 term is :math:`\lambda W`, so one SGD step is

.. math::
    W \leftarrow W - \eta(\nabla L_0 + \lambda W) = (1 - \eta\lambda)\, W - \eta \nabla L_0 ,

every weight "decays" by the factor :math:`1 - \eta\lambda` before the usual step: for SGD an L2 term
and weight decay are the same thing (the optimizers' ``weight_decay`` adds :math:`\lambda W` to the
gradient). For adaptive methods they differ: Adam divides the whole gradient, the :math:`\lambda W` term
included, by :math:`\sqrt{\hat{\mathbf s}}`, so weights with a large gradient history are barely decayed.
Decoupled weight decay (:class:`nnmath.optim.AdamW`, Loshchilov & Hutter 2019) applies
:math:`W \leftarrow (1 - \eta\lambda) W` outside Adam's rescaling, shrinking every weight alike.

**L1** pushes every weight towards zero by the same amount :math:`\eta\lambda` per step, whatever its
size, so small weights reach exactly zero: L1 gives sparse weights, L2 only small ones.

**Dropout** (:func:`dropout_forward`, :func:`dropout_backward`) silences a random fraction :math:`1 - q` of
a layer's units at every training step, keeping each with probability :math:`q`; :class:`nnmath.network.MLP`
applies it to its hidden layers with the same mask (:func:`dropout_mask`). **Early stopping**
(:class:`EarlyStopping`, a callback of :func:`nnmath.train.fit`) watches the validation loss and keeps the
best weights.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, as_generator, as_int, as_scalar, same_shape

__all__ = [
    "l2_penalty", "l2_penalty_prime",
    "l1_penalty", "l1_penalty_prime",
    "dropout_forward", "dropout_backward", "dropout_mask",
    "EarlyStopping",
]


def _weights(weights):
    """A single array, or a list of arrays (one per layer), as a list of float arrays."""
    if isinstance(weights, (list, tuple)):
        return [as_array(W, f"weights[{i}]") for i, W in enumerate(weights)], True
    return [as_array(weights, "weights")], False


def _lam(lam):
    return as_scalar(lam, "lam", nonnegative=True)


def l2_penalty(weights, lam):
    r"""The L2 penalty (ridge, "weight decay"): half the squared length of the weights, times :math:`\lambda`.

    .. math::
        R(W) = \frac{\lambda}{2} \sum_\ell \lVert W^{[\ell]} \rVert_F^2
             = \frac{\lambda}{2} \sum_{\ell, i, j} \bigl(W^{[\ell]}_{ij}\bigr)^2

    The :math:`\tfrac12` makes the gradient exactly :math:`\lambda W`. With :math:`\lambda = 1/(n\tau^2)` it is,
    up to a constant, the negative log-density of a Gaussian prior :math:`\mathcal N(0, \tau^2)` on every weight,
    divided by the number of samples :math:`n`: the loss plus this penalty is the maximum a posteriori objective.

    Book: eq-map.

    Parameters
    ----------
    weights : array_like, or list of arrays (e.g. ``net.W``)
    lam : float, >= 0
        The strength :math:`\lambda`.

    Returns
    -------
    float
    """
    lam = _lam(lam)
    return 0.5 * lam * sum(float(np.vdot(W, W)) for W in _weights(weights)[0])


def l2_penalty_prime(weights, lam):
    r"""Gradient of :func:`l2_penalty`: :math:`\partial R / \partial W = \lambda W`.

    Returns
    -------
    ndarray, or a list of arrays when ``weights`` is a list; the shapes of ``weights``.
    """
    lam = _lam(lam)
    arrays, is_list = _weights(weights)
    grads = [lam * W for W in arrays]
    return grads if is_list else grads[0]


def l1_penalty(weights, lam):
    r"""The L1 penalty (lasso): the sum of absolute weights, times :math:`\lambda`.

    .. math::
        R(W) = \lambda \sum_{\ell, i, j} \bigl\lvert W^{[\ell]}_{ij} \bigr\rvert

    Parameters
    ----------
    weights : array_like, or list of arrays
    lam : float, >= 0

    Returns
    -------
    float
    """
    lam = _lam(lam)
    return lam * sum(float(np.abs(W).sum()) for W in _weights(weights)[0])


def l1_penalty_prime(weights, lam):
    r"""(Sub)gradient of :func:`l1_penalty`: :math:`\lambda \operatorname{sign}(W)`, taking 0 where a weight is 0.

    .. math::
        \frac{\partial R}{\partial W_{ij}} = \lambda \operatorname{sign}(W_{ij})

    Its size does not shrink with the weight, which is why L1 drives small weights to exactly zero.
    """
    lam = _lam(lam)
    arrays, is_list = _weights(weights)
    grads = [lam * np.sign(W) for W in arrays]
    return grads if is_list else grads[0]


# --- dropout: a layer that is only active while training -----------------------------------------

def dropout_mask(shape, rate, rng, dtype=np.float64) -> np.ndarray:
    r"""A random inverted-dropout mask: each entry is :math:`1/q` with probability :math:`q = 1 - \text{rate}`, else 0.

    .. math::
        M_{ij} = \frac{\mathbb 1[u_{ij} \ge 1 - q]}{q}, \qquad u_{ij} \sim \mathcal U(0, 1)

    Parameters
    ----------
    shape : tuple of int
    rate : float in [0, 1)
        The drop probability :math:`1 - q` (checked by the callers: :func:`dropout_forward`, the network).
    rng : numpy Generator
    dtype : float32 or float64
        The mask's dtype (a float32 mask keeps float32 activations float32).
    """
    dtype = np.dtype(dtype)
    keep = rng.random(shape, dtype=dtype) >= rate
    return keep * dtype.type(1.0 / (1.0 - rate))  # dtype.type keeps float32 masks float32


def dropout_forward(A, rate, rng=None, train=True):
    r"""Inverted dropout (Srivastava et al., 2014): keep each unit with probability :math:`q` while training.

    .. math::
        \tilde A = A \odot M, \qquad M_{ij} = \frac{\mathbb 1[u_{ij} \ge 1 - q]}{q},\quad u_{ij} \sim \mathcal U(0, 1)

    Dividing the kept units by :math:`q` keeps the expectation, :math:`\mathbb E[\tilde A] = A`, so at
    evaluation time the layer is simply the identity (no rescaling at test time: "inverted" dropout).

    Parameters
    ----------
    A : array_like, shape (n, d)
        Activations of a layer.
    rate : float in [0, 1)
        The drop probability :math:`1 - q`.
    rng : int, numpy Generator or None
        Source of the random mask; the same seed gives the same mask.
    train : bool, default True
        False gives evaluation mode: ``A`` unchanged and no mask.

    Returns
    -------
    out : ndarray, shape of ``A``
    mask : ndarray of the same shape, or None in evaluation mode (or when ``rate`` is 0)
        What :func:`dropout_backward` needs.
    """
    A = as_array(A, "A")
    rate = as_scalar(rate, "dropout rate", unit_interval=True)
    if not train or rate == 0:
        return A, None
    mask = dropout_mask(A.shape, rate, as_generator(rng), A.dtype)
    return A * mask, mask


def dropout_backward(dout, mask):
    r"""Backward step through dropout: the gradient flows only through the kept units, scaled the same way.

    .. math::
        \frac{\partial L}{\partial A} = \frac{\partial L}{\partial \tilde A} \odot M

    Parameters
    ----------
    dout : array_like, shape (n, d)
    mask : ndarray or None, from :func:`dropout_forward` (None: evaluation mode, the identity)
    """
    dout = as_array(dout, "dout")
    if mask is None:
        return dout
    same_shape(dout, mask, "dout", "the dropout mask")
    return dout * mask


# --- early stopping --------------------------------------------------------------------------------

class EarlyStopping:
    r"""Stop training when the validation loss stops improving, and go back to the best weights (Prechelt, 1998).

    After each epoch the monitored number is compared with the best so far. If it has not improved by
    more than ``min_delta`` for ``patience`` epochs in a row, training stops; with ``restore_best`` the
    network's weights are then set back to those of the best epoch.

    Parameters
    ----------
    patience : int, default 10
        Epochs without improvement to wait (scikit-learn's ``n_iter_no_change`` is also 10).
    min_delta : float, default 0.0
        The smallest change that counts as an improvement.
    monitor : str, default "val_loss"
        A key of the training history: ``"val_loss"``, ``"val_accuracy"``, ``"loss"``, ``"accuracy"``.
        Losses must fall, accuracies rise.
    restore_best : bool, default True

    Attributes
    ----------
    best : float
        The best value seen. ``best_epoch`` is its epoch (counting from 1), ``best_params`` a copy of the
        weights then, ``wait`` the epochs since, ``stopped_epoch`` the epoch training stopped (or None).
    """

    def __init__(self, patience=10, min_delta=0.0, monitor="val_loss", restore_best=True):
        self.patience = as_int(patience, "patience", minimum=1)
        self.min_delta = as_scalar(min_delta, "min_delta", nonnegative=True)
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be a history key such as 'val_loss', not {type(monitor).__name__}")
        self.monitor = monitor
        self.restore_best = bool(restore_best)
        self._sign = -1.0 if "acc" in monitor else 1.0  # minimise sign * value
        self.on_train_begin(None)

    def __repr__(self):
        return (f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, monitor={self.monitor!r}, "
                f"best={self.best}, best_epoch={self.best_epoch})")

    def on_train_begin(self, net):
        """Forget any earlier run."""
        self.best = np.inf * self._sign
        self.best_epoch = None
        self.best_params = None
        self.wait = 0
        self.stopped_epoch = None

    def on_epoch_end(self, epoch, logs, net) -> bool:
        """Record this epoch's value; return True when training should stop."""
        if self.monitor not in logs or logs[self.monitor] is None:
            available = ", ".join(k for k, v in logs.items() if v is not None)
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}, which this training run does not record "
                             f"(it records: {available}); pass validation data to fit or monitor 'loss'")
        value = float(logs[self.monitor])
        if self._sign * value < self._sign * self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = value, epoch, 0
            self.best_params = net.get_params()
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def on_train_end(self, net):
        """Put back the best weights (if ``restore_best``)."""
        if self.restore_best and self.best_params is not None:
            net.set_params(self.best_params)
