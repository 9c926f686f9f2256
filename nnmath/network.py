r"""A multilayer perceptron: dense layers and activations strung together, forward then backward (chapter 6).

For layer sizes :math:`(d_0, d_1, \dots, d_D)` (depth :math:`D`) and a batch :math:`X` of shape
:math:`(n, d_0)`, the forward pass is, with :math:`A^{[0]} = X`,

.. math::
    Z^{[\ell]} = A^{[\ell-1]} W^{[\ell]} + \mathbf 1 \mathbf b^{[\ell]\top}, \qquad
    A^{[\ell]} = f_\ell\bigl(Z^{[\ell]}\bigr), \qquad \ell = 1, \dots, D

and the output layer is linear (:math:`f_D` the identity): the network returns *logits* for
classification, values for regression, and the loss (:mod:`nnmath.losses`) folds in the softmax or the
sigmoid. The backward pass runs the chain rule the other way, starting from
:math:`G^{[D]} = \partial L / \partial Z^{[D]}` (:math:`(P - Y)/n` for softmax and cross-entropy), for
:math:`\ell = D, \dots, 1`:

.. math::
    \frac{\partial L}{\partial W^{[\ell]}} = A^{[\ell-1]\top} G^{[\ell]}, \qquad
    \frac{\partial L}{\partial \mathbf b^{[\ell]}} = \mathbf 1^\top G^{[\ell]}, \qquad
    G^{[\ell-1]} = \bigl(G^{[\ell]} W^{[\ell]\top}\bigr) \odot f_{\ell-1}'\bigl(Z^{[\ell-1]}\bigr)
    \quad (\ell \ge 2)

These are :func:`nnmath.layers.dense_forward` / :func:`~nnmath.layers.dense_backward` and
:func:`~nnmath.layers.activation_forward` / :func:`~nnmath.layers.activation_backward`, written inline so
that the inputs are checked once, at the entry of :meth:`MLP.forward`, rather than at every layer (the
tests check that the two agree).

Parameters and gradients are plain numpy arrays everyone can see: ``net.W[l]``, ``net.b[l]`` and the
list ``net.params`` (``[W1, b1, W2, b2, ...]``); ``net.dW``, ``net.db`` and ``net.grads`` in the same order.
They are views into two flat vectors, ``net.flat_params`` and ``net.flat_grads``, so that an optimizer
can update every parameter in one sweep. Layer numbers in code start at 0 where the text's :math:`\ell`
starts at 1: ``net.W[0]`` is :math:`W^{[1]}`.

With ``dropout`` the hidden layers' outputs are multiplied by an inverted-dropout mask while training
(:func:`nnmath.regularization.dropout_mask`), and the backward pass by the same mask. The training loop
(:mod:`nnmath.train`) checks its data once with :meth:`MLP.check_inputs` and :meth:`MLP.check_targets`,
then calls :meth:`MLP.batch_gradients` on every batch and :meth:`MLP.decide` to turn outputs into predictions.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, as_generator, as_scalar, same_shape
from .activations import get_activation, sigmoid, softmax
from .init import get_initializer, initializer_for
from .layers import count_parameters, layer_shapes
from .losses import get_loss
from .regularization import dropout_mask

__all__ = ["MLP"]


# --- the network --------------------------------------------------------------------------------

class MLP:
    r"""A multilayer perceptron with explicit parameters and gradients.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first: ``[64, 128, 64, 10]`` is 64 inputs, two hidden layers, 10 outputs.
    activation : str or sequence of str, default "relu"
        The hidden layers' activation (one name for all, or one per hidden layer); see
        :data:`nnmath.activations.ACTIVATIONS`. The output layer is linear.
    loss : str, default "cross_entropy"
        ``"cross_entropy"`` (softmax + cross-entropy on k logits, labels 0..k-1), ``"binary_cross_entropy"``
        (sigmoid + cross-entropy on one logit, labels 0/1), ``"mse"`` or ``"mae"`` (regression).
    init : str or callable, default "auto"
        ``"auto"`` takes He (:func:`nnmath.init.he_normal`) for a layer followed by a ReLU-family activation
        and Xavier (:func:`nnmath.init.xavier_uniform`) otherwise; or a name from
        :data:`nnmath.init.INITIALIZERS`, or a function ``(d_in, d_out, rng, dtype) -> W``.
    dropout : float, default 0.0
        Inverted-dropout rate applied to every hidden layer's output while training.
    seed : int, numpy Generator or None, default 0
        Seeds the initial weights and the dropout masks (``net.rng``).
    dtype : float32 or float64, default float64

    Attributes
    ----------
    W, b : tuple of ndarray
        ``W[l]`` of shape ``(sizes[l], sizes[l+1])``, ``b[l]`` of shape ``(sizes[l+1],)``.
    dW, db : tuple of ndarray
        Gradients of the same shapes, filled by :meth:`backward`.
    params, grads : list of ndarray
        ``[W[0], b[0], W[1], b[1], ...]`` and the matching gradients: what an optimizer steps.
    flat_params, flat_grads : ndarray, shape (P,)
        The same numbers as one vector each (the arrays above are views into them).
    """

    def __init__(self, sizes, activation="relu", loss="cross_entropy", *, init="auto", dropout=0.0, seed=0,
                 dtype=np.float64):
        shapes = layer_shapes(sizes)
        self.sizes = [int(s) for s in sizes]
        n_layers = len(shapes)
        hidden = [activation] * (n_layers - 1) if isinstance(activation, str) else list(activation)
        if len(hidden) != n_layers - 1:
            raise ValueError(f"give one activation for all hidden layers or one per hidden layer: "
                             f"{n_layers - 1} hidden layer(s), got {len(hidden)} activation(s)")
        self.activations = [get_activation(a) for a in hidden] + [get_activation("identity")]
        self.loss = get_loss(loss)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64; got {self.dtype}")
        self.dropout = as_scalar(dropout, "dropout rate", unit_interval=True)
        self.rng = as_generator(seed)

        n_params = count_parameters(self.sizes)
        self.flat_params = np.zeros(n_params, dtype=self.dtype)
        self.flat_grads = np.zeros(n_params, dtype=self.dtype)
        self.W, self.b = self._views(self.flat_params, shapes)
        self.dW, self.db = self._views(self.flat_grads, shapes)
        self._hidden_layers = list(zip(self.W[:-1], self.b[:-1], self.activations[:-1]))
        self._derivatives = [_derivative(act) for act in self.activations]
        self.params = [p for pair in zip(self.W, self.b) for p in pair]
        self.grads = [g for pair in zip(self.dW, self.db) for g in pair]
        self._initialize(init)

    @staticmethod
    def _views(flat, shapes):
        Ws, bs, start = [], [], 0
        for w_shape, b_shape in shapes:
            stop = start + w_shape[0] * w_shape[1]
            Ws.append(flat[start:stop].reshape(w_shape))
            start, stop = stop, stop + b_shape[0]
            bs.append(flat[start:stop])
            start = stop
        return tuple(Ws), tuple(bs)

    def _initialize(self, init):
        for W, act in zip(self.W, self.activations):
            make = initializer_for(act.name) if init == "auto" else get_initializer(init)
            W[...] = make(W.shape[0], W.shape[1], self.rng, self.dtype)

    def __repr__(self):
        hidden = ", ".join(a.name for a in self.activations[:-1])
        return (f"MLP(sizes={self.sizes}, activation=[{hidden}], loss={self.loss.name!r}, "
                f"dropout={self.dropout}, dtype={self.dtype.name}, parameters={self.flat_params.size})")

    @property
    def n_parameters(self) -> int:
        """The number of weights and biases, :func:`nnmath.layers.count_parameters` of ``sizes``."""
        return int(self.flat_params.size)

    # --- checks at the boundary ---------------------------------------------------------------

    def check_inputs(self, X) -> np.ndarray:
        """``X`` as a finite 2-D array of the network's dtype with ``sizes[0]`` columns, or a clear error."""
        X = as_array(X, "X", finite=True)
        if X.ndim != 2:
            hint = " (for one sample x use x[None, :])" if X.ndim == 1 else ""
            raise ValueError(f"X must be 2-D, one sample per row; got shape {X.shape}{hint}")
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X has {X.shape[1]} features but the network expects {self.sizes[0]} "
                             f"(X: {X.shape}, sizes: {self.sizes})")
        return np.ascontiguousarray(X, dtype=self.dtype)

    def check_targets(self, y, n: int) -> np.ndarray:
        """Targets ``y`` for ``n`` samples, checked against the loss: labels in range, or the output's shape."""
        return self.loss.targets(y, (n, self.sizes[-1]), self.dtype)

    # --- forward and backward, side by side ---------------------------------------------------

    def forward(self, X, train=False):
        r"""Forward pass, keeping what the backward pass needs.

        With :math:`A^{[0]} = X`, for :math:`\ell = 1, \dots, D` (D layers),

        .. math::
            Z^{[\ell]} = A^{[\ell-1]} W^{[\ell]} + \mathbf 1 \mathbf b^{[\ell]\top}, \qquad
            A^{[\ell]} = f^{[\ell]}\bigl(Z^{[\ell]}\bigr),

        for the whole batch at once (row :math:`i` is the book's :math:`\mathbf a^{[\ell]}` of sample :math:`i`),
        with the output layer linear: :math:`f^{[D]}` is the identity, so the output is :math:`Z^{[D]}`.

        Book: eq-forward.

        Parameters
        ----------
        X : array_like, shape (n, sizes[0])
        train : bool, default False
            True applies dropout (if ``dropout > 0``), drawing masks from ``net.rng``.

        Returns
        -------
        out : ndarray, shape (n, sizes[-1])
            The output layer's :math:`Z^{[D]}`: logits or predicted values.
        cache : list of ``(A_prev, Z, F, mask)``, one per layer
            The layer's input :math:`A^{[\ell-1]}`, its pre-activation :math:`Z^{[\ell]}`, its activation
            :math:`f(Z^{[\ell]})` and the dropout mask then applied to it (or None).
        """
        return self._forward(self.check_inputs(X), train)

    def _forward(self, X, train=False):
        cache = []
        A = X
        # np.dot(A, W) is the product A @ W of the text: for 2-D arrays both call the same BLAS routine,
        # and np.dot costs less per call, which the one-sample steps of the widgets notice.
        for W, b, act in self._hidden_layers:
            Z = np.dot(A, W)
            Z += b  # Z = A W + b, the bias row broadcast over the batch
            F = act.f(Z)
            mask = None
            if train and self.dropout > 0:
                mask = dropout_mask(F.shape, self.dropout, self.rng, self.dtype)
            cache.append((A, Z, F, mask))
            A = F if mask is None else F * mask  # regularization.dropout_forward
        Z = np.dot(A, self.W[-1])
        Z += self.b[-1]  # the output layer is linear: its Z is the output
        cache.append((A, Z, Z, None))
        return Z, cache

    def backward(self, d_out, cache, return_input_grad=False):
        r"""Backward pass: the gradient of the loss with respect to every weight and bias.

        Book: eq-bp-hidden, eq-bp-bias, eq-bp-weights.

        Parameters
        ----------
        d_out : array_like, shape (n, sizes[-1])
            :math:`\partial L / \partial Z^{[D]}`, the loss's gradient with respect to the output.
        cache : the list returned by :meth:`forward`
        return_input_grad : bool, default False
            Also return :math:`\partial L / \partial X`.

        Returns
        -------
        grads : list of ndarray
            ``[dW[0], db[0], dW[1], db[1], ...]`` (the arrays ``net.grads``, overwritten in place).
        dX : ndarray, shape (n, sizes[0])
            Only if ``return_input_grad``.
        """
        d_out = as_array(d_out, "d_out", ndim=2)
        same_shape(d_out, cache[-1][1], "d_out", "the network's output")
        dX = self._backward(d_out.astype(self.dtype, copy=False), cache, return_input_grad)
        return (self.grads, dX) if return_input_grad else self.grads

    def _backward(self, G, cache, need_dX=False):
        # G holds dL/dZ of the current layer, starting at the output (whose activation is the identity).
        for layer in range(len(self.W) - 1, -1, -1):
            A_prev = cache[layer][0]
            np.dot(A_prev.T, G, out=self.dW[layer])  # dL/dW = A_prev^T G
            np.add.reduce(G, axis=0, out=self.db[layer])  # dL/db = sum of G over the batch
            if layer == 0 and not need_dX:
                return None  # nobody needs dL/dX: skip the largest product of the pass
            dA = np.dot(G, self.W[layer].T)  # dL/dA_prev = G W^T
            if layer == 0:
                return dA
            _, Z_prev, F_prev, mask = cache[layer - 1]
            if mask is not None:
                dA *= mask  # regularization.dropout_backward
            G = dA * self._derivatives[layer - 1](Z_prev, F_prev)  # activation_backward
        return None

    # --- loss, gradients, predictions ----------------------------------------------------------

    def batch_gradients(self, X, y, train=True):
        r"""Forward, loss and backward on one batch: fill ``net.grads``, return the loss and the outputs.

        .. math::
            L = L_0\bigl(Z^{[D]}, \mathbf y\bigr), \qquad
            \texttt{net.grads} = \Bigl(\frac{\partial L}{\partial W^{[1]}}, \frac{\partial L}{\partial \mathbf b^{[1]}},
            \dots\Bigr)

        This is the training loop's step (:func:`nnmath.train.fit`), which checks its data once before the
        first epoch: ``X`` and ``y`` must already have passed :meth:`check_inputs` and :meth:`check_targets`,
        and are not checked again here.

        Parameters
        ----------
        X : ndarray, shape (n, sizes[0]), from :meth:`check_inputs`
        y : ndarray, from :meth:`check_targets`
        train : bool, default True
            True applies dropout (if ``dropout > 0``).

        Returns
        -------
        loss : float
        out : ndarray, shape (n, sizes[-1])
            The outputs :math:`Z^{[D]}` the loss was computed from.
        """
        out, cache = self._forward(X, train)
        value, d_out = self.loss.value_and_grad(out, y)
        self._backward(d_out, cache)
        return value, out

    def loss_and_gradients(self, X, y):
        """Forward, loss and backward in one call (no dropout): ``(loss, grads)`` for inputs ``X`` and targets ``y``."""
        X = self.check_inputs(X)
        y = self.check_targets(y, X.shape[0])
        value, _ = self.batch_gradients(X, y, train=False)
        return value, self.grads

    def compute_loss(self, X, y) -> float:
        """The loss of the network on inputs ``X`` and targets ``y`` (evaluation mode: no dropout)."""
        X = self.check_inputs(X)
        y = self.check_targets(y, X.shape[0])
        return self.loss.value_and_grad(self._forward(X)[0], y)[0]

    def decide(self, out):
        """Predictions from outputs: the argmax of k logits, ``logit > 0`` for one binary logit, the values for
        regression. Labels have shape (n,); regression values keep the outputs' shape (n, k)."""
        kind = self.loss.kind
        if kind == "multiclass":
            return out.argmax(axis=1)
        if kind == "binary":
            return (out[:, 0] > 0).astype(np.intp)
        return out

    def predict_proba(self, X):
        """Class probabilities: softmax of the logits (k classes, shape (n, k)) or sigmoid (binary, shape (n,))."""
        if self.loss.kind == "regression":
            raise TypeError(f"predict_proba needs a classification loss; this network's loss is {self.loss.name!r}")
        out = self._forward(self.check_inputs(X))[0]
        return softmax(out) if self.loss.kind == "multiclass" else sigmoid(out[:, 0])

    def predict(self, X):
        """Predictions: class labels, shape (n,), for classification; output values, shape (n, k), for regression."""
        return self.decide(self._forward(self.check_inputs(X))[0])

    # --- copies of the weights (early stopping, widgets) ---------------------------------------

    def get_params(self) -> np.ndarray:
        """A copy of every weight and bias as one flat vector."""
        return self.flat_params.copy()

    def set_params(self, flat) -> None:
        """Overwrite every weight and bias from a flat vector such as :meth:`get_params` returned."""
        flat = as_array(flat, "flat", ndim=1, finite=True)
        if flat.shape != self.flat_params.shape:
            raise ValueError(f"expected {self.flat_params.size} parameters; got {flat.size}")
        np.copyto(self.flat_params, flat)


def _derivative(act):
    """The activation's derivative as a function of ``(Z, F)``, F = f(Z): from the output F where the activation
    has a form for it (sigmoid, tanh: no second evaluation of f), else ``f_prime(Z)``."""
    from_output = act.prime_from_output
    if from_output is not None:
        return lambda Z, F: from_output(F)
    return lambda Z, F: act.f_prime(Z)
