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

from ._checks import as_array, as_generator, as_int, as_pair, as_scalar, same_shape

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

    Book: eq-map, eq-l2-penalty.

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
    r"""Gradient of :func:`l2_penalty`: :math:`\partial R / \partial W = \lambda W`, layer by layer.

    .. math::
        \frac{\partial R}{\partial W^{[\ell]}} = \lambda W^{[\ell]}

    Book: eq-l2-gradient.

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

    Book: eq-l1-penalty.

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

    Book: eq-l1-penalty.
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

    Book: eq-dropout.

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
        A' = A \odot M, \qquad M_{ij} = \frac{\mathbb 1[u_{ij} \ge 1 - q]}{q},\quad u_{ij} \sim \mathcal U(0, 1)

    (the indicator :math:`\mathbb 1[u_{ij} \ge 1 - q]` is 1 with probability :math:`q`: a Bernoulli draw). Dividing
    the kept units by :math:`q` keeps the expectation, :math:`\mathbb E[A'] = A`, so at evaluation time the layer is
    simply the identity (no rescaling at test time: "inverted" dropout).

    Book: eq-dropout.

    Parameters
    ----------
    A : array_like, shape (n, d)
        Activations of a layer.
    rate : float in [0, 1)
        The drop probability :math:`1 - q`.
    rng : int, numpy Generator or None
        Source of the random mask; the same seed gives the same mask.
    train : bool, default True
        False gives evaluation mode: ``A`` unchanged and no mask (a network with dropout predicts this way).

    Returns
    -------
    out : ndarray, shape of ``A``
    mask : ndarray of the same shape, or None in evaluation mode
        What :func:`dropout_backward` needs. In training mode there is always a mask (all ones when ``rate``
        is 0), so that a backward pass after an evaluation-mode forward — a training step taken without the
        dropout it asked for — is refused by :func:`dropout_backward` instead of passing silently.
    """
    A = as_array(A, "A")
    rate = as_scalar(rate, "dropout rate", unit_interval=True)
    if not train:
        return A, None
    if rate == 0:
        return A, np.ones_like(A)
    mask = dropout_mask(A.shape, rate, as_generator(rng), A.dtype)
    return A * mask, mask


def dropout_backward(dout, mask):
    r"""Backward step through dropout: the gradient flows only through the kept units, scaled the same way.

    .. math::
        \frac{\partial L}{\partial A} = \frac{\partial L}{\partial A'} \odot M

    Parameters
    ----------
    dout : array_like, shape (n, d)
    mask : ndarray, shape (n, d)
        The mask :func:`dropout_forward` drew in training mode, for this very step.

    Raises
    ------
    ValueError
        If ``mask`` is None, what an evaluation-mode forward returns: a gradient step needs the training-mode
        forward (``train=True``), or the network is trained without the dropout it was given.
    """
    dout = as_array(dout, "dout")
    if mask is None:
        raise ValueError("dropout_backward needs the mask of a training-mode dropout_forward (train=True); got None, "
                         "which is what evaluation mode returns: a gradient step after an evaluation-mode forward "
                         "would train without dropout")
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


# --- chapter 8: exact zeros, shrinkage on a quadratic, priors, early stopping replayed, thinned networks ----------
# (appended as new functions; the module's first part is unchanged)

def soft_threshold(U, threshold):
    r"""Soft-thresholding, the proximal map of the L1 norm: move every entry towards 0 by :math:`\gamma`, stopping at 0.

    .. math::
        S_\gamma(u) = \operatorname{sign}(u)\,\max\bigl(\lvert u \rvert - \gamma,\ 0\bigr)
        = \operatorname*{arg\,min}_w\ \Bigl(\tfrac12 (w - u)^2 + \gamma\,\lvert w \rvert\Bigr)

    Every entry with :math:`\lvert u \rvert \le \gamma` becomes exactly 0: this is where the exact zeros of L1 come
    from.

    Book: eq-soft-threshold.

    Parameters
    ----------
    U : array_like, any shape
    threshold : float, >= 0
        :math:`\gamma`.

    Returns
    -------
    ndarray, the shape of ``U``
    """
    U = as_array(U, "U", finite=True)
    gamma = as_scalar(threshold, "threshold", nonnegative=True)
    return np.sign(U) * np.maximum(np.abs(U) - gamma, 0.0) + 0.0  # + 0.0 turns -0.0 into 0.0


def l1_proximal_step(W, dW, lr, lam):
    r"""One proximal-gradient step on :math:`L_0(W) + \lambda \lVert W \rVert_1` (ISTA): a gradient step on the
    data loss, then soft-thresholding.

    .. math::
        W \leftarrow S_{\eta\lambda}\bigl(W - \eta\, \nabla_W L_0\bigr)

    where :math:`S` is :func:`soft_threshold`. The subgradient step :math:`W - \eta(\nabla_W L_0 + \lambda
    \operatorname{sign} W)` overshoots 0 and rattles around it; the proximal step stops at 0, so weights whose
    data gradient cannot hold them away from 0 become exactly 0 (Tibshirani, 1996).

    Book: eq-proximal-step.

    Parameters
    ----------
    W : array_like, shape (d_in, d_out) (any shape)
    dW : array_like, the shape of ``W``
        The data loss's gradient :math:`\partial L_0 / \partial W`.
    lr : float, > 0
        :math:`\eta`.
    lam : float, >= 0
        :math:`\lambda`.

    Returns
    -------
    ndarray, the shape of ``W`` (a new array)
    """
    W, dW = as_pair(W, dW, "W", "dW", finite=True)
    lr = as_scalar(lr, "lr", positive=True)
    return soft_threshold(W - lr * dW, lr * _lam(lam))


def _eigenvalues(mu):
    mu = as_array(mu, "mu", finite=True)
    if np.any(mu < 0):
        raise ValueError(f"Hessian eigenvalues mu of a minimum must be >= 0; got min {mu.min():.4g}")
    return mu


def l2_shrinkage(mu, lam):
    r"""How much L2 shrinks the minimum of a quadratic, along each eigenvector of its Hessian.

    For :math:`L_0(\mathbf w) = L_0(\mathbf w^*) + \tfrac12 (\mathbf w - \mathbf w^*)^\top H (\mathbf w - \mathbf
    w^*)` with :math:`H = Q \operatorname{diag}(\mu_i) Q^\top`, the minimum of :math:`L_0 + \tfrac\lambda2
    \lVert\mathbf w\rVert^2` is :math:`\mathbf w_\lambda = (H + \lambda I)^{-1} H \mathbf w^*`: in the eigenbasis
    the :math:`i`-th coordinate of :math:`\mathbf w^*` is multiplied by

    .. math::
        \frac{\mu_i}{\mu_i + \lambda}

    close to 1 where the loss is steep (:math:`\mu_i \gg \lambda`), close to 0 where it is flat.

    Book: eq-l2-shrinkage, eq-early-stopping-l2.

    Parameters
    ----------
    mu : array_like
        Hessian eigenvalues :math:`\mu_i \ge 0`.
    lam : float, >= 0 (positive if some :math:`\mu_i` is 0)

    Returns
    -------
    ndarray, the shape of ``mu``
    """
    mu = _eigenvalues(mu)
    lam = _lam(lam)
    if lam == 0 and np.any(mu == 0):
        raise ValueError("with lam = 0 a direction of zero curvature (mu = 0) has no unique minimum")
    return mu / (mu + lam)


def early_stopping_shrinkage(mu, lr, steps):
    r"""How far gradient descent from :math:`\mathbf w_0 = \mathbf 0` gets towards the minimum of a quadratic in
    ``steps`` steps, along each eigenvector of the Hessian.

    With :math:`\nabla L_0 = H(\mathbf w - \mathbf w^*)`, each step multiplies the error :math:`\mathbf w -
    \mathbf w^*` by :math:`I - \eta H`, so after :math:`t` steps the :math:`i`-th coordinate of :math:`\mathbf
    w^*` (eigenbasis) is multiplied by

    .. math::
        1 - (1 - \eta\mu_i)^t

    For :math:`0 < \eta\mu_i \ll 1` and :math:`\mu_i \ll 1/(\eta t)` this is close to :func:`l2_shrinkage` with
    :math:`\lambda = 1/(\eta t)` (:func:`equivalent_l2_strength`): stopping early acts like an L2 penalty.

    Book: eq-early-stopping-l2.

    Parameters
    ----------
    mu : array_like
        Hessian eigenvalues :math:`\mu_i \ge 0`.
    lr : float, > 0
        :math:`\eta`.
    steps : int, >= 0
        :math:`t`.
    """
    mu = _eigenvalues(mu)
    lr = as_scalar(lr, "lr", positive=True)
    return 1.0 - (1.0 - lr * mu) ** as_int(steps, "steps", minimum=0)


def equivalent_l2_strength(lr, steps):
    r"""The L2 strength that early stopping after ``steps`` steps of size ``lr`` resembles on a quadratic.

    .. math::
        \lambda \approx \frac{1}{\eta\, t}

    (Goodfellow et al., 2016, section 7.8): the longer the training, the weaker the implied penalty.
    """
    lr = as_scalar(lr, "lr", positive=True)
    return 1.0 / (lr * as_int(steps, "steps", minimum=1))


def _quadratic(H, w_star):
    H = as_array(H, "H", ndim=2, finite=True)
    w_star = as_array(w_star, "w_star", ndim=1, finite=True)
    if H.shape != (w_star.size, w_star.size):
        raise ValueError(f"H must be square with one row per entry of w_star (H: {H.shape}, w_star: {w_star.shape})")
    if not np.allclose(H, H.T, rtol=1e-10, atol=1e-12):
        raise ValueError("H must be symmetric (a Hessian)")
    mu = np.linalg.eigvalsh(H)
    if mu[0] <= 0:
        raise ValueError(f"H must be positive definite (a minimum); its smallest eigenvalue is {mu[0]:.4g}")
    return H, w_star, mu


def ridge_minimizer(H, w_star, lam):
    r"""The minimum of a quadratic loss plus an L2 penalty, in closed form.

    .. math::
        \mathbf w_\lambda = \operatorname*{arg\,min}_{\mathbf w}\ \tfrac12 (\mathbf w - \mathbf w^*)^\top H
        (\mathbf w - \mathbf w^*) + \tfrac\lambda2 \lVert \mathbf w \rVert^2 = (H + \lambda I)^{-1} H\, \mathbf w^*

    Book: eq-l2-shrinkage.

    Parameters
    ----------
    H : array_like, shape (d, d)
        Symmetric positive definite: the Hessian of the data loss.
    w_star : array_like, shape (d,)
        The unpenalised minimum.
    lam : float, >= 0

    Returns
    -------
    ndarray, shape (d,)
    """
    H, w_star, _ = _quadratic(H, w_star)
    return np.linalg.solve(H + _lam(lam) * np.eye(len(w_star)), H @ w_star)


def lasso_minimizer(H, w_star, lam, tol=1e-13, max_steps=100_000):
    r"""The minimum of a quadratic loss plus an L1 penalty, by proximal gradient descent (ISTA) to convergence.

    .. math::
        \mathbf w_\lambda = \operatorname*{arg\,min}_{\mathbf w}\ \tfrac12 (\mathbf w - \mathbf w^*)^\top H
        (\mathbf w - \mathbf w^*) + \lambda \lVert \mathbf w \rVert_1, \qquad
        \mathbf w \leftarrow S_{\eta\lambda}\bigl(\mathbf w - \eta H (\mathbf w - \mathbf w^*)\bigr),\
        \eta = 1/\mu_{\max}

    (:func:`soft_threshold`). The iteration converges for any start; coordinates that end at 0 are exactly 0.

    Book: eq-proximal-step.

    Parameters
    ----------
    H : array_like, shape (d, d)
    w_star : array_like, shape (d,)
    lam : float, >= 0
    tol : float, default 1e-13
        Stop when no coordinate moves by more than ``tol``.
    max_steps : int, default 100000

    Returns
    -------
    ndarray, shape (d,)
    """
    H, w_star, mu = _quadratic(H, w_star)
    lam = _lam(lam)
    lr = 1.0 / mu[-1]
    w = np.zeros_like(w_star)
    for _ in range(int(max_steps)):
        new = soft_threshold(w - lr * (H @ (w - w_star)), lr * lam)
        if np.max(np.abs(new - w)) <= tol:
            return new
        w = new
    raise RuntimeError(f"ISTA did not converge in {max_steps} steps (condition number {mu[-1] / mu[0]:.3g})")


def prior_strength(n, scale, prior="gaussian"):
    r"""The penalty strength :math:`\lambda` that a prior on the weights stands for, with a mean loss over ``n``
    samples (maximum a posteriori).

    Dividing the negative log posterior :math:`-\log p(\mathbf w \mid \mathcal D) = -\log p(\mathcal D \mid
    \mathbf w) - \log p(\mathbf w) + \text{const}` by :math:`n` turns the likelihood into the mean loss of chapter 4
    and the prior into a penalty:

    .. math::
        p(w) \propto e^{-w^2/2\tau^2}:\quad \frac{\lVert\mathbf w\rVert^2}{2 n \tau^2} = \frac\lambda2
        \lVert\mathbf w \rVert^2,\ \lambda = \frac{1}{n \tau^2}; \qquad
        p(w) \propto e^{-\lvert w\rvert/\tau}:\quad \frac{\lVert\mathbf w\rVert_1}{n \tau} = \lambda
        \lVert\mathbf w\rVert_1,\ \lambda = \frac{1}{n \tau}

    Book: eq-l2-prior.

    Parameters
    ----------
    n : int, >= 1
        The number of training samples the loss averages over.
    scale : float, > 0
        :math:`\tau`: the Gaussian's standard deviation, or the Laplace density's scale.
    prior : {"gaussian", "laplace"}
        Gaussian gives L2, Laplace gives L1.
    """
    n = as_int(n, "n (the number of training samples)", minimum=1)
    s = as_scalar(scale, "scale", positive=True)
    if prior == "gaussian":
        return 1.0 / (n * s * s)
    if prior == "laplace":
        return 1.0 / (n * s)
    raise ValueError(f"prior must be 'gaussian' (gives L2) or 'laplace' (gives L1); got {prior!r}")


class _Replay:
    """The little :class:`EarlyStopping` needs of a network when a run is replayed: parameters to copy."""

    def get_params(self):
        return None


def early_stopping_replay(values, patience, min_delta=0.0, monitor="val_loss"):
    r"""Where :class:`EarlyStopping` would have stopped a recorded run, and which epoch it would restore.

    Feeds the recorded per-epoch values of ``monitor`` (epoch 1 first) to an :class:`EarlyStopping` one by one,
    exactly as :func:`nnmath.train.fit` does: the rule, not a copy of it.

    Parameters
    ----------
    values : sequence of float
        The monitored value after each epoch, e.g. ``history.val_loss``.
    patience : int, >= 1
    min_delta : float, default 0
    monitor : str, default "val_loss"
        Decides the direction: losses must fall, accuracies (a name with "acc") rise.

    Returns
    -------
    best_epoch : int
        The epoch whose weights are restored (counting from 1).
    stopped_epoch : int or None
        The epoch after which training stops; None if the run ended first.
    """
    values = as_array(values, "values", ndim=1, finite=True)
    if values.size == 0:
        raise ValueError("values is empty: replaying needs at least one epoch")
    stopper = EarlyStopping(patience=patience, min_delta=min_delta, monitor=monitor)
    net = _Replay()
    for epoch, value in enumerate(values, start=1):
        if stopper.on_epoch_end(epoch, {monitor: float(value)}, net):
            break
    return stopper.best_epoch, stopper.stopped_epoch


def thinned_ensemble(X, W, b, q):
    r"""Every thinned version of a softmax layer under inverted dropout on its inputs, averaged two ways.

    Dropout keeps each of the :math:`d` inputs with probability :math:`q`, so it trains :math:`2^d` thinned
    models that share :math:`W` and :math:`\mathbf b`. The mask :math:`\boldsymbol\xi \in \{0, 1\}^d` with
    :math:`\lvert\boldsymbol\xi\rvert` ones has probability :math:`\Pr(\boldsymbol\xi) = q^{\lvert\boldsymbol\xi
    \rvert} (1-q)^{d - \lvert\boldsymbol\xi\rvert}` and gives the logits :math:`\mathbf z(\boldsymbol\xi) = (\mathbf x
    \odot \boldsymbol\xi / q)\, W + \mathbf b`. Returned: the weighted arithmetic mean of the predictions and their
    normalised weighted geometric mean,

    .. math::
        \bar{\mathbf p} = \sum_{\boldsymbol\xi} \Pr(\boldsymbol\xi)\, \operatorname{softmax}(\mathbf
        z(\boldsymbol\xi)), \qquad
        \tilde{\mathbf p} \propto \exp\Bigl(\sum_{\boldsymbol\xi} \Pr(\boldsymbol\xi) \log
        \operatorname{softmax}(\mathbf z(\boldsymbol\xi))\Bigr)

    Since :math:`\mathbb E[\boldsymbol\xi / q] = \mathbf 1`, :math:`\tilde{\mathbf p} = \operatorname{softmax}(\mathbf
    x W + \mathbf b)` exactly: the network in evaluation mode *is* the geometric mean of the ensemble (for one
    layer; for deeper networks it is an approximation).

    Book: eq-thinned-ensemble.

    Parameters
    ----------
    X : array_like, shape (n, d), d <= 16
    W : array_like, shape (d, k)
    b : array_like, shape (k,)
    q : float in (0, 1]
        Keep probability.

    Returns
    -------
    arithmetic, geometric : ndarray, shape (n, k)
    """
    from .activations import log_softmax

    X = as_array(X, "X", ndim=2, finite=True)
    W = as_array(W, "W", ndim=2, finite=True)
    b = as_array(b, "b", ndim=1, finite=True)
    if X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
        raise ValueError(f"need X (n, d), W (d, k), b (k,); got X: {X.shape}, W: {W.shape}, b: {b.shape}")
    d = X.shape[1]
    if d > 16:
        raise ValueError(f"2^d masks for d = {d} inputs are too many to enumerate (at most d = 16)")
    q = as_scalar(q, "q", positive=True)
    if q > 1:
        raise ValueError(f"q is a keep probability and must lie in (0, 1]; got {q}")
    masks = (np.arange(2**d)[:, None] >> np.arange(d)) & 1  # every mask, one per row: (2^d, d)
    kept = masks.sum(axis=1)
    weights = q**kept * (1.0 - q) ** (d - kept)
    log_p = log_softmax(np.einsum("nd,md,dk->mnk", X, masks / q, W) + b)  # (2^d, n, k)
    arithmetic = np.einsum("m,mnk->nk", weights, np.exp(log_p))
    mean_log = np.einsum("m,mnk->nk", weights, log_p)
    return arithmetic, np.exp(log_softmax(mean_log))



def mc_dropout_proba(net, X, samples=100):
    r"""The average prediction of ``samples`` thinned networks: dropout left on at prediction time.

    .. math::
        \bar{\mathbf p}(\mathbf x) = \frac1J \sum_{j=1}^{J} \operatorname{softmax}\bigl(\mathbf z(\mathbf x;
        M_j)\bigr)

    with a fresh set of masks :math:`M_j` (from ``net.rng``) for each of the :math:`J` = ``samples`` passes: a
    Monte Carlo estimate of the
    ensemble's arithmetic mean, to compare with the network in evaluation mode (the weight-scaling rule).

    Parameters
    ----------
    net : nnmath.network.MLP
        A classifier with ``dropout > 0`` and a softmax output (``loss="cross_entropy"``).
    X : array_like, shape (n, sizes[0])
    samples : int, default 100

    Returns
    -------
    ndarray, shape (n, k)
    """
    from .activations import softmax

    if getattr(net, "dropout", 0) == 0:
        raise ValueError("this network has no dropout (dropout=0): every thinned network is the network itself; "
                         "build it with MLP(..., dropout=rate) to sample thinned networks")
    if net.loss.kind != "multiclass":
        raise ValueError(f"mc_dropout_proba needs a softmax classifier; this network's loss is {net.loss.name!r}")
    samples = as_int(samples, "samples", minimum=1)
    total = 0.0
    for _ in range(samples):
        total = total + softmax(net.forward(X, train=True)[0])  # train=True: a new mask for every pass
    return total / samples


__all__ += ["soft_threshold", "l1_proximal_step", "l2_shrinkage", "early_stopping_shrinkage", "equivalent_l2_strength",
            "ridge_minimizer", "lasso_minimizer", "prior_strength", "early_stopping_replay", "thinned_ensemble",
            "mc_dropout_proba"]
