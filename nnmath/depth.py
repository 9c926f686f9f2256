r"""Gradients through depth (chapter 3): how big is the gradient that reaches each layer of a deep network?

A deep stack of :math:`L` dense layers of width :math:`d`, every one followed by the same activation
:math:`f`, with :math:`A^{[0]} = X`:

.. math::
    Z^{[\ell]} = A^{[\ell-1]} W^{[\ell]} + \mathbf 1\mathbf b^{[\ell]\top}, \qquad A^{[\ell]} = f(Z^{[\ell]}),
    \qquad \ell = 1, \dots, L .

Backpropagation (chapter 6) sends a gradient :math:`G = \partial L / \partial A^{[L]}` down the stack; at every
layer it is multiplied element-wise by :math:`f'(Z^{[\ell]})` and then by :math:`W^{[\ell]\top}`:

.. math::
    \frac{\partial L}{\partial Z^{[\ell]}} = \frac{\partial L}{\partial A^{[\ell]}} \odot f'(Z^{[\ell]}), \qquad
    \frac{\partial L}{\partial W^{[\ell]}} = A^{[\ell-1]\top} \frac{\partial L}{\partial Z^{[\ell]}}, \qquad
    \frac{\partial L}{\partial A^{[\ell-1]}} = \frac{\partial L}{\partial Z^{[\ell]}}\, W^{[\ell]\top} .

Over many layers these factors multiply: when they are mostly below 1 the gradient of the first layers
*vanishes*, when mostly above 1 it *explodes*. :func:`gradient_norms` measures it, layer by layer.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_int, same_shape
from .init import weight_std
from .layers import activation_backward, activation_forward, dense_backward, dense_forward

__all__ = ["random_deep_network", "gradient_norms", "GradientNorms"]


def random_deep_network(width, depth, init="xavier", seed=0):
    r"""A deep stack of square dense layers with random normal weights and zero biases.

    .. math::
        W^{[\ell]}_{ij} \sim \mathcal N(0, s^2), \quad s = \texttt{weight\_std}(d, d, \text{init}), \qquad
        \mathbf b^{[\ell]} = \mathbf 0, \qquad \ell = 1, \dots, L

    The weights are drawn layer after layer from one seeded stream, so a shallower network drawn with the same
    seed is the first layers of a deeper one.

    Parameters
    ----------
    width : int
        :math:`d`, the width of every layer (the input has :math:`d` features too).
    depth : int
        :math:`L \ge 1`, the number of layers.
    init : {"xavier", "he", "standard"}, default "xavier"
        The rule of :func:`nnmath.init.weight_std`.
    seed : int, default 0

    Returns
    -------
    list of ``(W, b)`` pairs, ``W`` of shape (d, d) and ``b`` of shape (d,)
    """
    width, depth = as_int(width, "width", minimum=1), as_int(depth, "depth", minimum=1)
    s = weight_std(width, width, init)
    normals = np.random.default_rng(seed).standard_normal((depth, width, width))
    return [(s * normals[k], np.zeros(width)) for k in range(depth)]


class GradientNorms(NamedTuple):
    r"""What :func:`gradient_norms` measures: four arrays of shape (L,), layer 1 first.

    ``dW`` holds :math:`\lVert \partial L / \partial W^{[\ell]} \rVert_F`, ``dZ`` holds
    :math:`\lVert \partial L / \partial Z^{[\ell]} \rVert_F`, ``mean_f_prime`` the mean of
    :math:`f'(Z^{[\ell]})` over the batch and the units, and ``mean_abs_a`` the mean of :math:`|A^{[\ell]}|`,
    the size of the forward signal.
    """

    dW: np.ndarray
    dZ: np.ndarray
    mean_f_prime: np.ndarray
    mean_abs_a: np.ndarray


def gradient_norms(X, layers, activation, G=None, seed=0):
    r"""Forward through a deep network, backpropagate one gradient, and measure it at every layer.

    The loss is taken linear in the output, :math:`L = \sum_{i,j} G_{ij} A^{[L]}_{ij}`, so that
    :math:`\partial L / \partial A^{[L]} = G` is fixed and only the network decides how the gradient grows or
    shrinks on its way down. Then, for :math:`\ell = L, \dots, 1`,

    .. math::
        \frac{\partial L}{\partial Z^{[\ell]}} = \frac{\partial L}{\partial A^{[\ell]}} \odot f'(Z^{[\ell]}), \qquad
        \frac{\partial L}{\partial W^{[\ell]}} = A^{[\ell-1]\top} \frac{\partial L}{\partial Z^{[\ell]}}, \qquad
        \frac{\partial L}{\partial A^{[\ell-1]}} = \frac{\partial L}{\partial Z^{[\ell]}}\, W^{[\ell]\top}

    computed by :func:`nnmath.layers.activation_backward` and :func:`nnmath.layers.dense_backward`.

    Parameters
    ----------
    X : array_like, shape (n, d_0)
    layers : list of ``(W, b)`` pairs
        ``W`` of shape (d_{l-1}, d_l); every layer is followed by ``activation``.
    activation : str
        An element-wise activation name.
    G : array_like, shape (n, d_L), optional
        The upstream gradient. Default: standard normal entries divided by :math:`n`, drawn with ``seed``.
    seed : int, default 0

    Returns
    -------
    GradientNorms
        Arrays of shape (L,): the Frobenius norms of :math:`\partial L/\partial W^{[\ell]}` and
        :math:`\partial L/\partial Z^{[\ell]}`, the mean of :math:`f'(Z^{[\ell]})` and the mean of
        :math:`|A^{[\ell]}|`.
    """
    A = as_array(X, "X", ndim=2)
    caches = []
    mean_abs_a = []
    for W, b in layers:
        Z, dense_cache = dense_forward(A, W, b)
        A, act_cache = activation_forward(Z, activation)
        caches.append((dense_cache, act_cache))
        mean_abs_a.append(float(np.mean(np.abs(A))))
    if G is None:
        G = np.random.default_rng(seed).standard_normal(A.shape) / A.shape[0]
    dA = as_array(G, "G", ndim=2)
    same_shape(dA, A, "G", "the output")
    n_layers = len(caches)
    dW_norms, dZ_norms, mean_f_prime = np.empty(n_layers), np.empty(n_layers), np.empty(n_layers)
    for k in range(n_layers - 1, -1, -1):
        dense_cache, act_cache = caches[k]
        dZ = activation_backward(dA, act_cache)
        dA, dW, _ = dense_backward(dZ, dense_cache)
        dW_norms[k] = np.linalg.norm(dW)
        dZ_norms[k] = np.linalg.norm(dZ)
        Z, act = act_cache
        mean_f_prime[k] = float(np.mean(act.f_prime(Z)))
    return GradientNorms(dW_norms, dZ_norms, mean_f_prime, np.array(mean_abs_a))
