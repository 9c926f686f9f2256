r"""Gradients through depth (chapter 3): how big is the gradient that reaches each layer, and each unit?

A deep stack of :math:`D` dense layers of width :math:`d`, every one followed by the same activation
:math:`f`, with :math:`A^{[0]} = X`:

.. math::
    Z^{[\ell]} = A^{[\ell-1]} W^{[\ell]} + \mathbf 1\mathbf b^{[\ell]\top}, \qquad A^{[\ell]} = f(Z^{[\ell]}),
    \qquad \ell = 1, \dots, D .

Backpropagation (chapter 6) sends a gradient :math:`\partial L / \partial A^{[D]}` down the stack; at every
layer it is multiplied element-wise by :math:`f'(Z^{[\ell]})` and then by :math:`W^{[\ell]\top}`. With
:math:`G^{[\ell]} = \partial L / \partial Z^{[\ell]}`,

.. math::
    G^{[\ell]} = \frac{\partial L}{\partial A^{[\ell]}} \odot f'(Z^{[\ell]}), \qquad
    \frac{\partial L}{\partial W^{[\ell]}} = A^{[\ell-1]\top} G^{[\ell]}, \qquad
    \frac{\partial L}{\partial A^{[\ell-1]}} = G^{[\ell]}\, W^{[\ell]\top} .

Over many layers these factors multiply: when they are mostly below 1 the gradient of the first layers
*vanishes*, when mostly above 1 it *explodes*. :func:`gradient_norms` measures it, layer by layer;
:func:`scalar_chain` writes the same product out for a chain of one-unit layers; :func:`probe_units` looks at
the units of one layer of a trained network (which are dead, and what gradient each receives).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_int, as_scalar, same_shape
from .activations import get_activation
from .init import weight_std
from .layers import activation_backward, activation_forward, dense_backward, dense_forward

__all__ = ["random_deep_network", "gradient_norms", "GradientNorms", "gain_bounds", "gain_sensitivity", "MAX_SLOPE",
           "FLAT", "scalar_chain", "ScalarChain", "probe_units", "UnitProbe"]

#: :math:`\max_z |f'(z)|` of each element-wise activation (Leaky ReLU and ELU with their default :math:`\alpha`).
MAX_SLOPE = {"identity": 1.0, "sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "leaky_relu": 1.0, "elu": 1.0}

#: A slope below this passes back less than 1% of the gradient a unit receives: the unit is in a flat tail.
FLAT = 0.01


def random_deep_network(width, depth, init="xavier", seed=0):
    r"""A deep stack of square dense layers with random normal weights and zero biases.

    .. math::
        W^{[\ell]}_{ij} \sim \mathcal N(0, \operatorname{sd}^2), \quad
        \operatorname{sd} = \texttt{weight\_std}(d, d, \text{init}), \qquad
        \mathbf b^{[\ell]} = \mathbf 0, \qquad \ell = 1, \dots, D

    The weights are drawn layer after layer from one seeded stream, as standard normals scaled by
    :math:`\operatorname{sd}`: a shallower network drawn with the same seed is the first layers of a deeper one,
    and networks of the same seed and different scales differ only by that factor.

    Parameters
    ----------
    width : int
        :math:`d`, the width of every layer (the input has :math:`d` features too).
    depth : int
        :math:`D \ge 1`, the number of layers.
    init : {"xavier", "he", "standard"} or float, default "xavier"
        The rule of :func:`nnmath.init.weight_std`, or the standard deviation :math:`\operatorname{sd} > 0` itself.
    seed : int, default 0

    Returns
    -------
    list of ``(W, b)`` pairs, ``W`` of shape (d, d) and ``b`` of shape (d,)
    """
    width, depth = as_int(width, "width", minimum=1), as_int(depth, "depth", minimum=1)
    if isinstance(init, str):
        s = weight_std(width, width, init)
    else:
        s = as_scalar(init, "init (a weight standard deviation)", positive=True)
    normals = np.random.default_rng(seed).standard_normal((depth, width, width))
    return [(s * normals[k], np.zeros(width)) for k in range(depth)]


class GradientNorms(NamedTuple):
    r"""What :func:`gradient_norms` measures: six arrays of shape (D,), layer 1 first.

    ``dW`` holds :math:`\lVert \partial L / \partial W^{[\ell]} \rVert_F`, ``dZ`` holds
    :math:`\lVert G^{[\ell]} \rVert_F = \lVert \partial L / \partial Z^{[\ell]} \rVert_F`, ``mean_f_prime`` the
    mean of :math:`f'(Z^{[\ell]})` over the batch and the units, ``flat`` the fraction of those slopes below
    :data:`FLAT` (units in a flat tail), ``mean_abs_a`` the mean of :math:`|A^{[\ell]}|` (the size of the forward
    signal) and ``mean_sq_z`` the mean of :math:`(Z^{[\ell]})^2` (the second moment of the pre-activations: their
    variance when they are centred).
    """

    dW: np.ndarray
    dZ: np.ndarray
    mean_f_prime: np.ndarray
    flat: np.ndarray
    mean_abs_a: np.ndarray
    mean_sq_z: np.ndarray

    @property
    def gains(self) -> np.ndarray:
        r"""The factor by which the backpropagated signal changes across each layer, shape (D - 1,).

        .. math::
            \operatorname{gain}_\ell = \lVert G^{[\ell-1]} \rVert_F \,/\, \lVert G^{[\ell]} \rVert_F, \qquad
            \ell = 2, \dots, D

        (entry ``k`` is :math:`\operatorname{gain}_{k+2}`; 0 where a layer passes nothing back). Over the depth they
        multiply: :math:`\lVert G^{[1]} \rVert_F = \operatorname{gain}_2 \operatorname{gain}_3 \cdots
        \operatorname{gain}_D\,\lVert G^{[D]} \rVert_F`.
        """
        below, above = self.dZ[:-1], self.dZ[1:]
        return np.divide(below, above, out=np.zeros_like(below), where=above > 0)

    @property
    def mean_gain(self) -> float:
        r"""The geometric mean of the gains,
        :math:`\bigl(\lVert G^{[1]} \rVert_F / \lVert G^{[D]} \rVert_F\bigr)^{1/(D-1)}`: the typical factor per
        layer (below 1: vanishing; above 1: exploding). NaN for :math:`D = 1`."""
        if self.dZ.size < 2 or self.dZ[-1] == 0:
            return float("nan")
        return float((self.dZ[0] / self.dZ[-1]) ** (1.0 / (self.dZ.size - 1)))


def gradient_norms(X, layers, activation, dA=None, seed=0):
    r"""Forward through a deep network, backpropagate one gradient, and measure it at every layer.

    The loss is taken linear in the output, :math:`L = \sum_{i,j} R_{ij} A^{[D]}_{ij}` for a fixed matrix
    :math:`R`, so that :math:`\partial L / \partial A^{[D]} = R` is fixed and only the network decides how the
    gradient grows or shrinks on its way down. Then, for :math:`\ell = D, \dots, 1`,

    .. math::
        G^{[\ell]} = \frac{\partial L}{\partial A^{[\ell]}} \odot f'(Z^{[\ell]}), \qquad
        \frac{\partial L}{\partial W^{[\ell]}} = A^{[\ell-1]\top} G^{[\ell]}, \qquad
        \frac{\partial L}{\partial A^{[\ell-1]}} = G^{[\ell]}\, W^{[\ell]\top}

    computed by :func:`nnmath.layers.activation_backward` and :func:`nnmath.layers.dense_backward`.

    Book: eq-deep-backward.

    Parameters
    ----------
    X : array_like, shape (n, d_0)
    layers : list of ``(W, b)`` pairs
        ``W`` of shape (d_{l-1}, d_l); every layer is followed by ``activation``.
    activation : str
        An element-wise activation name.
    dA : array_like, shape (n, d_D), optional
        :math:`R = \partial L / \partial A^{[D]}`, the gradient that enters at the top. Default: standard normal
        entries divided by :math:`n`, drawn with ``seed``.
    seed : int, default 0

    Returns
    -------
    GradientNorms
        Arrays of shape (D,): the Frobenius norms of :math:`\partial L/\partial W^{[\ell]}` and
        :math:`G^{[\ell]}`, the mean of :math:`f'(Z^{[\ell]})`, the mean of :math:`|A^{[\ell]}|` and the mean of
        :math:`(Z^{[\ell]})^2`; ``.gains`` and ``.mean_gain`` give the factor per layer.
    """
    A = as_array(X, "X", ndim=2)
    caches = []
    mean_abs_a, mean_sq_z = [], []
    for W, b in layers:
        Z, dense_cache = dense_forward(A, W, b)
        A, act_cache = activation_forward(Z, activation)
        caches.append((dense_cache, act_cache))
        mean_abs_a.append(float(np.mean(np.abs(A))))
        mean_sq_z.append(float(np.mean(Z * Z)))
    if dA is None:
        dA = np.random.default_rng(seed).standard_normal(A.shape) / A.shape[0]
    dA = as_array(dA, "dA", ndim=2)
    same_shape(dA, A, "dA", "the output")
    n_layers = len(caches)
    dW_norms, dZ_norms = np.empty(n_layers), np.empty(n_layers)
    mean_f_prime, flat = np.empty(n_layers), np.empty(n_layers)
    for k in range(n_layers - 1, -1, -1):
        dense_cache, act_cache = caches[k]
        dZ = activation_backward(dA, act_cache)
        dA, dW, _ = dense_backward(dZ, dense_cache)
        dW_norms[k] = np.linalg.norm(dW)
        dZ_norms[k] = np.linalg.norm(dZ)
        Z, act = act_cache
        slopes = act.f_prime(Z)
        mean_f_prime[k] = float(np.mean(slopes))
        flat[k] = float(np.mean(np.abs(slopes) < FLAT))
    return GradientNorms(dW_norms, dZ_norms, mean_f_prime, flat, np.array(mean_abs_a), np.array(mean_sq_z))


def gain_bounds(layers, activation):
    r"""The largest gain each layer can have: :math:`\max_z |f'(z)|\;\lVert W^{[\ell]} \rVert_2`, for
    :math:`\ell = 2, \dots, D`.

    Multiplying entry by entry by numbers of size at most :math:`\max|f'|` multiplies a Frobenius norm by at most
    that, and multiplying by :math:`W^{[\ell]\top}` stretches it by at most the largest singular value
    :math:`\lVert W^{[\ell]} \rVert_2`, so

    .. math::
        \lVert G^{[\ell-1]} \rVert_F \le \max_z |f'(z)|\; \lVert W^{[\ell]} \rVert_2\; \lVert G^{[\ell]} \rVert_F ,

    and every gain :math:`\operatorname{gain}_\ell` of :attr:`GradientNorms.gains` is at most the bound returned here.

    Book: eq-backprop-bound.

    Parameters
    ----------
    layers : list of ``(W, b)`` pairs
    activation : str
        One of :data:`MAX_SLOPE`.

    Returns
    -------
    ndarray, shape (D - 1,)
    """
    name = get_activation(activation).name
    if name not in MAX_SLOPE:
        raise ValueError(f"no slope bound for the activation {name!r}; known: {', '.join(MAX_SLOPE)}")
    return np.array([MAX_SLOPE[name] * np.linalg.norm(as_array(W, "W", ndim=2), 2) for W, _ in layers[1:]])


def gain_sensitivity(X, layers, activation, dA=None, nudge=1e-15, seed=0):
    r"""How far :attr:`GradientNorms.mean_gain` moves when the inputs change in their last digits: a test for chaos.

    Every input is multiplied by :math:`1 + \text{nudge}\cdot u_{ij}` with :math:`u_{ij}` standard normal (drawn with
    ``seed``), about the size of float64's rounding for the default nudge, and the measurement is repeated:

    .. math::
        \frac{\lvert \operatorname{gain}(X') - \operatorname{gain}(X) \rvert}{\operatorname{gain}(X)} .

    A network that keeps such a change small computes a gain every machine agrees on. A *chaotic* one (deep tanh
    networks with large weights: Poole et al., 2016) amplifies it layer after layer, so that its gain's digits
    depend on how each computer rounds: they are not a property of the network to print.

    Parameters
    ----------
    X, layers, activation, dA
        As for :func:`gradient_norms`.
    nudge : float, default 1e-15
        The relative size of the change of the inputs.
    seed : int, default 0
        For the change (and for ``dA`` when it is not given).

    Returns
    -------
    float
    """
    X = as_array(X, "X", ndim=2, finite=True)
    nudge = as_scalar(nudge, "nudge", positive=True)
    if dA is None:
        n, width = X.shape[0], as_array(layers[-1][0], "W", ndim=2).shape[1]
        dA = np.random.default_rng(seed).standard_normal((n, width)) / n
    before = gradient_norms(X, layers, activation, dA=dA).mean_gain
    changed = X * (1.0 + nudge * np.random.default_rng(seed).standard_normal(X.shape))
    after = gradient_norms(changed, layers, activation, dA=dA).mean_gain
    return float(abs(after - before) / before)


# --- a chain of one-unit layers -----------------------------------------------------------------------------

class ScalarChain(NamedTuple):
    r"""What :func:`scalar_chain` computes: the chain's values and the gradient that reaches its first bias.

    ``z`` and ``a`` have shape (D,) (:math:`z_1..z_D`, :math:`a_1..a_D`); ``factors`` holds, for
    :math:`\ell = 2..D`, the factor :math:`w_\ell f'(z_\ell)` each layer contributes; ``grad_b1`` is
    :math:`\partial a_D / \partial b_1`.
    """

    z: np.ndarray
    a: np.ndarray
    factors: np.ndarray
    grad_b1: float


def scalar_chain(x, w, b, activation="sigmoid"):
    r"""A chain of :math:`D` one-unit layers, forward, and the gradient of its output with respect to :math:`b_1`.

    With :math:`a_0 = x`, :math:`z_\ell = w_\ell a_{\ell-1} + b_\ell` and :math:`a_\ell = f(z_\ell)`, the chain
    rule taken one layer at a time (:math:`\partial z_\ell / \partial a_{\ell-1} = w_\ell`) gives

    .. math::
        \frac{\partial a_D}{\partial b_1} = f'(z_1)\, w_2 f'(z_2)\, w_3 f'(z_3) \cdots w_D f'(z_D),

    one factor :math:`w_\ell f'(z_\ell)` per layer above the first (Nielsen's form, chapter 5 of
    *Neural Networks and Deep Learning*). For the sigmoid each is at most :math:`|w_\ell|/4`.

    Book: eq-scalar-chain.

    Parameters
    ----------
    x : float
        The input :math:`a_0`.
    w, b : array_like, shape (D,)
        The weight and the bias of each layer, layer 1 first.
    activation : str, default "sigmoid"

    Returns
    -------
    ScalarChain
    """
    x = as_scalar(x, "x")
    w = as_array(w, "w", ndim=1, finite=True).astype(np.float64)
    b = as_array(b, "b", ndim=1, finite=True).astype(np.float64)
    same_shape(w, b, "w", "b")
    if w.size == 0:
        raise ValueError("the chain needs at least one layer: w and b are empty")
    act = get_activation(activation)
    z, a = np.empty(w.size), np.empty(w.size)
    prev = x
    for ell in range(w.size):
        z[ell] = w[ell] * prev + b[ell]
        a[ell] = float(act.f(z[ell]))
        prev = a[ell]
    slopes = act.f_prime(z)
    factors = w[1:] * slopes[1:]
    return ScalarChain(z, a, factors, float(slopes[0] * np.prod(factors)))


# --- the units of one layer of a network -----------------------------------------------------------------------

class UnitProbe(NamedTuple):
    r"""What :func:`probe_units` measures for each unit :math:`j` of a hidden layer, arrays of shape (d_l,).

    ``active`` is the fraction of the inputs on which :math:`z_j > 0`; ``dW`` is
    :math:`\lVert \partial L / \partial W_{:,j} \rVert_2`, the size of the gradient of the unit's incoming
    weights; ``db`` is :math:`\partial L / \partial b_j`. A unit with ``active == 0`` in a ReLU layer is dead:
    both of its gradients are exactly 0.
    """

    active: np.ndarray
    dW: np.ndarray
    db: np.ndarray

    @property
    def dead(self) -> np.ndarray:
        """True for each unit that is active on none of the inputs, False for the others; shape (d_l,)."""
        return self.active == 0


def probe_units(net, X, y, layer=0):
    r"""The units of one hidden layer of a network on a data set: how often each fires, and its gradients.

    One forward and backward pass of ``net`` (an :class:`nnmath.network.MLP`) on the whole of ``X`` and ``y``
    gives, for unit :math:`j` of hidden layer ``layer`` (0 is the first),

    .. math::
        \text{active}_j = \frac{1}{n}\,\#\{i : Z_{ij} > 0\}, \qquad
        \Bigl\lVert \frac{\partial L}{\partial W_{:,j}} \Bigr\rVert_2, \qquad \frac{\partial L}{\partial b_j},

    where :math:`\partial L / \partial W_{:,j} = A^{\top} G_{:,j}` and :math:`G_{:,j} = \partial L /
    \partial Z_{:,j}` vanishes wherever the unit's slope :math:`f'(Z_{ij})` does. The network is not changed.

    Parameters
    ----------
    net : nnmath.network.MLP
    X : array_like, shape (n, sizes[0])
    y : array_like
        Targets for ``net.loss``.
    layer : int, default 0
        Which hidden layer.

    Returns
    -------
    UnitProbe
    """
    layer = as_int(layer, "layer", minimum=0, maximum=len(net.W) - 2)
    saved = [g.copy() for g in net.grads]
    try:
        _, grads = net.loss_and_gradients(X, y)
        dW, db = grads[2 * layer].copy(), grads[2 * layer + 1].copy()
    finally:
        for g, old in zip(net.grads, saved):
            g[...] = old
    _, cache = net.forward(X)
    Z = cache[layer][1]
    return UnitProbe((Z > 0).mean(axis=0), np.linalg.norm(dW, axis=0), db)
