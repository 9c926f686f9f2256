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

from ._checks import as_array, as_int, as_layers, as_scalar, same_shape
from .activations import get_activation

__all__ = [
    "neuron", "neuron_gradient", "perceptron", "signed_distance",
    "dense_forward", "dense_backward", "dense_forward_loop",
    "activation_forward", "activation_backward", "forward_pass",
    "layer_shapes", "count_parameters",
]


def neuron(x, w, b, activation="sigmoid"):
    r"""One artificial neuron: a weighted sum plus a bias, through an activation.

    .. math::
        z = \mathbf w \cdot \mathbf x + b = \sum_{i=1}^{d} w_i x_i + b, \qquad a = f(z)

    Book: eq-neuron.

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
    x, w, b = _check_neuron(x, w, b)
    f = get_activation(activation).f
    z = x @ w + b
    a = f(z)
    return float(a) if np.ndim(a) == 0 else a


def _check_neuron(x, w, b):
    x = as_array(x, "x", ndim=(1, 2))
    w = as_array(w, "w", ndim=1)
    b = as_scalar(b, "b")
    if x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"x has {x.shape[-1]} features but w has {w.shape[0]} weights (x: {x.shape}, w: {w.shape})"
        )
    return x, w, b


def neuron_gradient(x, w, b, activation="sigmoid"):
    r"""How a neuron's output responds to its parameters: the gradient of :math:`a = f(\mathbf w \cdot \mathbf x + b)`.

    :math:`z` is linear in :math:`(\mathbf w, b)`, so each parameter acts through :math:`z` alone and the slope
    of :math:`f` at :math:`z` multiplies everything:

    .. math::
        \frac{\partial a}{\partial w_i} = f'(z)\, x_i, \qquad \frac{\partial a}{\partial b} = f'(z),
        \qquad
        \Delta a \approx f'(z)\,(\mathbf x \cdot \Delta\mathbf w + \Delta b)

    The last line is the first-order change of the output for small changes :math:`\Delta\mathbf w`,
    :math:`\Delta b` (chapter 1's argument for smooth activations; its error shrinks like the square of the change).

    Book: eq-neuron-gradient.

    Parameters
    ----------
    x : array_like, shape (d,)
        One input vector.
    w : array_like, shape (d,)
    b : float
    activation : str, default "sigmoid"
        Name of an element-wise activation (see :data:`nnmath.activations.ACTIVATIONS`).

    Returns
    -------
    da_dw : ndarray, shape (d,)
        :math:`\partial a / \partial \mathbf w`, the shape of :math:`\mathbf w`.
    da_db : float
        :math:`\partial a / \partial b`.
    """
    x, w, b = _check_neuron(x, w, b)
    if x.ndim != 1:
        raise ValueError(f"neuron_gradient takes one input vector x of shape (d,); got shape {x.shape}")
    slope = float(get_activation(activation).f_prime(np.asarray(x @ w + b)))
    return slope * x, slope


def perceptron(x, w, b):
    r"""Rosenblatt's perceptron: a neuron whose activation is the step function.

    .. math::
        a = \begin{cases} 1 & \text{if } \mathbf w \cdot \mathbf x + b \ge 0 \\ 0 & \text{otherwise}
        \end{cases}

    The bias is minus the threshold that :math:`\sum_i w_i x_i` must reach. The output jumps from 0 to 1 at
    :math:`z = 0`, so a small change of a weight either changes nothing or flips the output (chapter 1).

    Book: eq-perceptron.

    Parameters
    ----------
    x : array_like, shape (d,) or (n, d)
    w : array_like, shape (d,)
    b : float

    Returns
    -------
    int or ndarray of int, shape (n,)
        1 where :math:`z \ge 0`, else 0.
    """
    x, w, b = _check_neuron(x, w, b)
    a = (x @ w + b >= 0).astype(int)
    return int(a) if a.ndim == 0 else a


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


def signed_distance(x, w, b):
    r"""The signed distance of a point from a neuron's decision hyperplane :math:`\mathbf w \cdot \mathbf x + b = 0`.

    .. math::
        s(\mathbf x) = \frac{\mathbf w \cdot \mathbf x + b}{\lVert \mathbf w \rVert} = \frac{z}{\lVert \mathbf w \rVert}

    positive on the side :math:`\mathbf w` points to. Chapter 1 proves it in any dimension: write
    :math:`\mathbf x = \mathbf x^* + s\,\hat{\mathbf w} + \mathbf x_\perp` with
    :math:`\mathbf x^* = -b\,\mathbf w / \lVert\mathbf w\rVert^2` (the hyperplane's point nearest the origin) and
    :math:`\mathbf w \cdot \mathbf x_\perp = 0`; then :math:`z = \lVert \mathbf w \rVert\, s`.

    Book: eq-signed-distance.

    Parameters
    ----------
    x : array_like, shape (d,) or (n, d)
    w : array_like, shape (d,), not all zero (with :math:`\mathbf w = \mathbf 0` there is no hyperplane)
    b : float

    Returns
    -------
    float or ndarray of shape (n,)
    """
    x, w, b = _check_neuron(x, w, b)
    norm = float(np.linalg.norm(w))
    if norm == 0.0:
        raise ValueError("w is the zero vector: z = b everywhere and there is no hyperplane to measure from")
    s = (x @ w + b) / norm
    return float(s) if np.ndim(s) == 0 else s


def dense_forward(X, W, b):
    r"""Forward pass of a dense (fully connected) layer for a whole batch at once (one sample: ``X`` of shape
    (1, d_in), chapter 1's :math:`\mathbf z = \mathbf x W + \mathbf b`).

    .. math::
        Z = X W + \mathbf 1 \mathbf b^\top, \qquad Z_{ij} = \sum_{u=1}^{d_\text{in}} X_{iu} W_{uj} + b_j

    The bias row :math:`\mathbf b^\top` is added to every row of :math:`XW` (numpy broadcasting).

    Book: eq-layer, eq-dense.

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

    Book: eq-dense-backward.

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
    r"""The same :math:`Z = XW + \mathbf 1 \mathbf b^\top` as :func:`dense_forward`, written as explicit Python loops.

    .. math::
        Z_{ij} = b_j + \sum_{u=1}^{d_\text{in}} X_{iu} W_{uj}

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
            for u in range(d_in):
                total += X[i, u] * W[u, j]
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

    Book: eq-activation-backward.
    """
    Z, act = cache
    dA = as_array(dA, "dA")
    same_shape(dA, Z, "dA", "Z")
    return dA * act.f_prime(Z)


def forward_pass(X, layers, activation="identity", output=None):
    r"""The forward pass through a stack of dense layers: one loop over the layers.

    With :math:`A^{[0]} = X` and layers :math:`\ell = 1, \dots, D`,

    .. math::
        Z^{[\ell]} = A^{[\ell-1]} W^{[\ell]} + \mathbf 1 \mathbf b^{[\ell]\top}, \qquad
        A^{[\ell]} = f_\ell\bigl(Z^{[\ell]}\bigr)

    and the result is :math:`A^{[D]}`. Every layer but the last applies ``activation``; the last applies
    ``output`` (by default the same as ``activation``). The body of the function is the loop itself::

        A = X
        for W, b, f in layers:
            A = f(A @ W + b)

    Book: eq-forward.

    Parameters
    ----------
    X : array_like, shape (n, d_0)
        A batch, one sample per row.
    layers : sequence of ``(W, b)`` pairs
        ``W`` of layer :math:`\ell` of shape :math:`(d_{\ell-1}, d_\ell)`, ``b`` of shape :math:`(d_\ell,)`.
    activation : str, default "identity"
        The hidden layers' element-wise activation (see :data:`nnmath.activations.ACTIVATIONS`); with the
        default, the stack is linear.
    output : str or None, default None
        The last layer's activation; ``None`` means ``activation``. ``activation="relu", output="identity"`` is a
        ReLU network with a linear output.

    Returns
    -------
    ndarray, shape (n, d_D)
    """
    X = as_array(X, "X", ndim=2)
    layers = as_layers(layers, n_inputs=X.shape[1])
    hidden = get_activation(activation)
    last = hidden if output is None else get_activation(output)
    fs = [hidden] * (len(layers) - 1) + [last]
    A = X
    for (W, b), f in zip(layers, fs):
        A = f.f(A @ W + b)
    return A


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"layer sizes must be a list of integers such as [2, 3, 1], not {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"a network needs at least an input and an output layer; got sizes {list(sizes)}")
    return [as_int(s, f"layer size {i}", minimum=1) for i, s in enumerate(sizes)]


def layer_shapes(sizes):
    r"""The shapes of every weight matrix and bias vector of a dense network.

    For layer sizes :math:`(d_0, d_1, \dots, d_D)`, layer :math:`\ell = 1, \dots, D` has
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
        |\theta| = \sum_{\ell=1}^{D} \bigl(d_{\ell-1}\, d_\ell + d_\ell\bigr)
        = \sum_{\ell=1}^{D} (d_{\ell-1} + 1)\, d_\ell

    for layer sizes :math:`(d_0, \dots, d_D)`: each of a layer's :math:`d_\ell` neurons has a weight per input
    and one bias. :math:`|\theta|` is the number of entries of :math:`\theta`, the list of all parameters.

    Book: eq-param-count.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input layer first.

    Returns
    -------
    int
    """
    return sum(w[0] * w[1] + bias[0] for w, bias in layer_shapes(sizes))
