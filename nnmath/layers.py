r"""Neurons and dense layers, forward and backward side by side (chapters 1, 2 and 6).

Shapes are batch first, as in the book: one sample per row.

=========  ================  ===========================================
symbol     shape             meaning
=========  ================  ===========================================
``X``      (n, d_in)         a batch of n inputs, one per row
``W``      (d_in, d_out)     column j holds the weights of neuron j
``b``      (d_out,)          one bias per neuron, broadcast over the rows
``Z``      (n, d_out)        pre-activations, :math:`Z = XW + \mathbf 1 \mathbf b^\top`
``A``      (n, d_out)        activations, :math:`A = f(Z)`
=========  ================  ===========================================

Note on notation: many texts write :math:`\mathbf z = W\mathbf x + \mathbf b` with ``W`` of shape
(d_out, d_in) acting on a column vector. With samples as rows, the same layer is ``X @ W`` with
``W`` of shape (d_in, d_out), the transpose of that matrix. The book uses the batch-first form throughout.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._checks import as_array, as_int, as_scalar, same_shape
from .activations import get_activation

__all__ = [
    "neuron", "dense_forward", "dense_backward", "dense_forward_loop",
    "activation_forward", "activation_backward",
    "layer_shapes", "count_parameters",
]


def neuron(x, w, b, activation="sigmoid"):
    r"""One artificial neuron: a weighted sum plus a bias, through an activation.

    .. math::
        z = \mathbf w \cdot \mathbf x + b = \sum_{i=1}^{d} w_i x_i + b, \qquad a = f(z)

    Parameters
    ----------
    x : array_like, shape (d,) or (n, d)
        One input vector, or a batch with one input per row.
    w : array_like, shape (d,)
        The neuron's weights.
    b : float
        The neuron's bias.
    activation : str, default "sigmoid"
        Name of an element-wise activation (see :data:`nnmath.activations.ACTIVATIONS`).

    Returns
    -------
    float or ndarray of shape (n,)
        The neuron's output :math:`a`, one per sample.
    """
    x = as_array(x, "x", ndim=(1, 2))
    w = as_array(w, "w", ndim=1)
    b = as_scalar(b, "b")
    f = get_activation(activation).f
    if x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"x has {x.shape[-1]} features but w has {w.shape[0]} weights (x: {x.shape}, w: {w.shape})"
        )
    z = x @ w + b
    a = f(z)
    return float(a) if np.ndim(a) == 0 else a


def _check_dense(X, W, b):
    X = as_array(X, "X", ndim=2)
    W = as_array(W, "W", ndim=2)
    b = as_array(b, "b", ndim=1)
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X has {X.shape[1]} features but W expects {W.shape[0]} (X: {X.shape}, W: {W.shape})"
        )
    if b.shape[0] != W.shape[1]:
        raise ValueError(
            f"b has {b.shape[0]} entries but W has {W.shape[1]} output columns (W: {W.shape}, b: {b.shape})"
        )
    return X, W, b


def dense_forward(X, W, b):
    r"""Forward pass of a dense (fully connected) layer for a whole batch at once.

    .. math::
        Z = X W + \mathbf 1 \mathbf b^\top, \qquad Z_{ij} = \sum_{k} X_{ik} W_{kj} + b_j

    The bias row :math:`\mathbf b^\top` is added to every row of :math:`XW` (numpy broadcasting).

    Parameters
    ----------
    X : array_like, shape (n, d_in)
    W : array_like, shape (d_in, d_out)
    b : array_like, shape (d_out,)

    Returns
    -------
    Z : ndarray, shape (n, d_out)
    cache : tuple ``(X, W)``
        What :func:`dense_backward` needs.
    """
    X, W, b = _check_dense(X, W, b)
    Z = X @ W + b
    return Z, (X, W)


def dense_backward(dZ, cache):
    r"""Backward pass of a dense layer: the gradients of the loss with respect to X, W and b.

    With :math:`G = \partial L / \partial Z` of shape (n, d_out):

    .. math::
        \frac{\partial L}{\partial X} = G W^\top, \qquad
        \frac{\partial L}{\partial W} = X^\top G, \qquad
        \frac{\partial L}{\partial \mathbf b} = G^\top \mathbf 1 = \sum_{i=1}^{n} G_{i,:}

    Each gradient has the shape of the quantity it belongs to; the bias gradient sums over the
    batch because the same :math:`\mathbf b` was added to every row.

    Parameters
    ----------
    dZ : array_like, shape (n, d_out)
    cache : tuple ``(X, W)`` from :func:`dense_forward`

    Returns
    -------
    dX : ndarray, shape (n, d_in)
    dW : ndarray, shape (d_in, d_out)
    db : ndarray, shape (d_out,)
    """
    X, W = cache
    dZ = as_array(dZ, "dZ", ndim=2)
    expected = (X.shape[0], W.shape[1])
    if dZ.shape != expected:
        raise ValueError(f"dZ must have shape {expected} to match Z = X @ W (X: {X.shape}, W: {W.shape}); "
                         f"got {dZ.shape}")
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def dense_forward_loop(X, W, b):
    r"""The same :math:`Z = XW + \mathbf b` as :func:`dense_forward`, written as explicit Python loops.

    .. math::
        Z_{ij} = b_j + \sum_{k=1}^{d_\text{in}} X_{ik} W_{kj}

    Only for teaching and timing (chapter 2): it shows what the matrix product does, one
    multiply-add at a time, and how much slower that is.
    """
    X, W, b = _check_dense(X, W, b)
    n, d_in = X.shape
    d_out = W.shape[1]
    Z = np.empty((n, d_out))
    for i in range(n):
        for j in range(d_out):
            total = b[j]
            for k in range(d_in):
                total += X[i, k] * W[k, j]
            Z[i, j] = total
    return Z


def activation_forward(Z, activation):
    r"""Apply an element-wise activation: :math:`A = f(Z)`.

    Returns
    -------
    A : ndarray, same shape as ``Z``
    cache : tuple ``(Z, activation)`` for :func:`activation_backward`
    """
    act = get_activation(activation)
    Z = as_array(Z, "Z")
    return act.f(Z), (Z, act)


def activation_backward(dA, cache):
    r"""Backward step through an element-wise activation (chain rule, one factor per entry).

    .. math::
        \frac{\partial L}{\partial Z} = \frac{\partial L}{\partial A} \odot f'(Z)
    """
    Z, act = cache
    dA = as_array(dA, "dA")
    same_shape(dA, Z, "dA", "Z")
    return dA * act.f_prime(Z)


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"layer sizes must be a list of integers such as [2, 3, 1], not {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"a network needs at least an input and an output layer; got sizes {list(sizes)}")
    return [as_int(s, f"layer size {i}", minimum=1) for i, s in enumerate(sizes)]


def layer_shapes(sizes):
    r"""The shapes of every weight matrix and bias vector of a dense network.

    For layer sizes :math:`(d_0, d_1, \dots, d_L)`, layer :math:`\ell` has
    :math:`W^{[\ell]}` of shape :math:`(d_{\ell-1}, d_\ell)` and :math:`\mathbf b^{[\ell]}` of shape :math:`(d_\ell,)`.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input layer first, e.g. ``[2, 3, 1]``.

    Returns
    -------
    list of ``((d_prev, d), (d,))`` pairs, one per weight layer.
    """
    sizes = _check_sizes(sizes)
    return [((d_prev, d), (d,)) for d_prev, d in zip(sizes[:-1], sizes[1:])]


def count_parameters(sizes):
    r"""Number of trainable numbers (weights and biases) in a dense network.

    .. math::
        P = \sum_{\ell=1}^{L} \bigl(d_{\ell-1}\, d_\ell + d_\ell\bigr) = \sum_{\ell=1}^{L} (d_{\ell-1} + 1)\, d_\ell

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input layer first.

    Returns
    -------
    int
    """
    return sum(w[0] * w[1] + bias[0] for w, bias in layer_shapes(sizes))
