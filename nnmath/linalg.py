r"""Linear algebra of layers (chapter 2): the bias trick, why stacked linear layers collapse into one, and the best
single layer a stack can be replaced by.

Two affine layers applied one after the other,

.. math::
    (X W_1 + \mathbf 1 \mathbf b_1^\top) W_2 + \mathbf 1 \mathbf b_2^\top
    = X (W_1 W_2) + \mathbf 1 (\mathbf b_1^\top W_2 + \mathbf b_2^\top),

are a single affine layer with :math:`W = W_1 W_2` and :math:`\mathbf b^\top = \mathbf b_1^\top W_2 + \mathbf b_2^\top`
(in numpy ``b = b1 @ W2 + b2``). By induction any stack of them is one layer: depth buys nothing without a
non-linearity in between.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, as_generator, as_layers
from .layers import layer_shapes

__all__ = ["angle_between", "augment_inputs", "augment_weights", "compose_affine", "random_layers", "fit_single_layer",
           "best_single_layer_error"]


def angle_between(x, w):
    r"""The angle :math:`\varphi` between two non-zero vectors, from the dot product.

    .. math::
        \mathbf x \cdot \mathbf w = \lVert\mathbf x\rVert\,\lVert\mathbf w\rVert \cos\varphi, \qquad
        \varphi = \arccos \frac{\mathbf x \cdot \mathbf w}{\lVert\mathbf x\rVert\,\lVert\mathbf w\rVert}
        \in [0, \pi]

    It is computed as :math:`\varphi = 2 \operatorname{atan2}\bigl(\lVert\hat{\mathbf x} - \hat{\mathbf w}\rVert,
    \lVert\hat{\mathbf x} + \hat{\mathbf w}\rVert\bigr)` with the unit vectors :math:`\hat{\mathbf x} =
    \mathbf x / \lVert\mathbf x\rVert`, :math:`\hat{\mathbf w} = \mathbf w / \lVert\mathbf w\rVert`: the same
    angle (the two norms are :math:`2\sin(\varphi/2)` and :math:`2\cos(\varphi/2)`), accurate to the last digits also
    for nearly parallel vectors, where the arccos of a cosine rounded near 1 loses half of them.

    Book: eq-dot-angle.

    Parameters
    ----------
    x, w : array_like, shape (d,)
        Two vectors of the same length, neither of them zero (a zero vector has no direction).

    Returns
    -------
    float
        The angle in radians (``np.degrees`` for degrees).
    """
    x = as_array(x, "x", ndim=1, finite=True)
    w = as_array(w, "w", ndim=1, finite=True)
    if x.shape != w.shape:
        raise ValueError(f"x and w must have the same length (x: {x.shape}, w: {w.shape})")
    norm_x, norm_w = float(np.linalg.norm(x)), float(np.linalg.norm(w))
    if norm_x == 0.0 or norm_w == 0.0:
        raise ValueError("a zero vector has no direction: the angle is undefined")
    x_hat, w_hat = x / norm_x, w / norm_w
    return float(2.0 * np.arctan2(np.linalg.norm(x_hat - w_hat), np.linalg.norm(x_hat + w_hat)))


def augment_inputs(X):
    r"""The bias trick, inputs side: append a column of ones, :math:`[X \;\; \mathbf 1]`.

    .. math::
        [X \;\; \mathbf 1] \begin{pmatrix} W \\ \mathbf b^\top \end{pmatrix} = XW + \mathbf 1 \mathbf b^\top

    so a layer with a bias is a layer without one on inputs that carry an extra feature, always 1; its bias is
    that feature's row of weights (:func:`augment_weights`).

    Book: eq-bias-trick.

    Parameters
    ----------
    X : array_like, shape (n, d_in)

    Returns
    -------
    ndarray, shape (n, d_in + 1)
    """
    X = as_array(X, "X", ndim=2)
    return np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])


def augment_weights(W, b):
    r"""The bias trick, weights side: the bias as one more row of weights, :math:`\begin{pmatrix} W \\ \mathbf b^\top
    \end{pmatrix}`.

    .. math::
        [X \;\; \mathbf 1] \begin{pmatrix} W \\ \mathbf b^\top \end{pmatrix} = XW + \mathbf 1 \mathbf b^\top

    Book: eq-bias-trick.

    Parameters
    ----------
    W : array_like, shape (d_in, d_out)
    b : array_like, shape (d_out,)

    Returns
    -------
    ndarray, shape (d_in + 1, d_out)
    """
    ((W, b),) = as_layers([(W, b)])
    return np.vstack([W, b[None, :]])


def compose_affine(layers):
    r"""Collapse a stack of affine layers :math:`(W_1, \mathbf b_1), \dots, (W_D, \mathbf b_D)` into one.

    .. math::
        W = W_1 W_2 \cdots W_D, \qquad
        \mathbf b^\top = \bigl(\cdots((\mathbf b_1^\top W_2 + \mathbf b_2^\top) W_3 + \mathbf b_3^\top)\cdots\bigr) W_D
        + \mathbf b_D^\top

    so that ``dense_forward(X, W, b)`` equals applying the layers one by one (in numpy the row
    :math:`\mathbf b^\top` is the 1-D array ``b``, and each step is ``b = b @ W_l + b_l``).

    Book: eq-collapse.

    Parameters
    ----------
    layers : sequence of ``(W, b)`` pairs
        ``W`` of shape (d_{l-1}, d_l), ``b`` of shape (d_l,), in the order they are applied.

    Returns
    -------
    W : ndarray, shape (d_0, d_D)
    b : ndarray, shape (d_D,)
    """
    layers = as_layers(layers)
    W, b = layers[0][0].copy(), layers[0][1].copy()
    for Wi, bi in layers[1:]:
        W, b = W @ Wi, b @ Wi + bi
    return W, b


def random_layers(sizes, seed=None):
    r"""Random dense layers for experiments: weights scaled by the fan-in, standard normal biases.

    .. math::
        W^{[\ell]}_{uj} \sim \mathcal N\!\left(0, \tfrac{1}{d_{\ell-1}}\right), \qquad
        b^{[\ell]}_j \sim \mathcal N(0, 1)

    With weights of variance :math:`1/d_{\ell-1}`, an input of unit-variance features gives pre-activations of
    about unit variance at every layer of a linear stack, so the outputs neither vanish nor blow up with depth
    (chapter 3 derives this).

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first, e.g. ``[4, 16, 16, 3]``.
    seed : int, numpy Generator or None
        A Generator is used as is (and advanced), so successive calls give different layers.

    Returns
    -------
    list of ``(W, b)`` pairs, one per weight layer.
    """
    rng = as_generator(seed)
    return [(rng.normal(size=w_shape) / np.sqrt(w_shape[0]), rng.normal(size=b_shape))
            for w_shape, b_shape in layer_shapes(sizes)]


def _check_fit(X, Y):
    X = as_array(X, "X", ndim=2, finite=True)
    Y = as_array(Y, "Y", ndim=(1, 2), finite=True)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(f"X and Y must have one row per sample (X: {X.shape}, Y: {Y.shape})")
    return X, Y


def fit_single_layer(X, Y):
    r"""The single affine layer that comes closest to outputs :math:`Y` on inputs :math:`X`, by least squares.

    .. math::
        (W, \mathbf b) = \operatorname*{arg\,min}_{W,\, \mathbf b}\ \bigl\lVert XW + \mathbf 1\mathbf b^\top - Y
        \bigr\rVert_F^2

    solved with the bias trick, as the ordinary least-squares problem
    :math:`[X \;\; \mathbf 1]\,\begin{pmatrix} W \\ \mathbf b^\top \end{pmatrix} \approx Y` (``np.linalg.lstsq``).

    Parameters
    ----------
    X : array_like, shape (n, d_in)
    Y : array_like, shape (n, d_out) or (n,)

    Returns
    -------
    W : ndarray, shape (d_in, d_out) (or (d_in,) for a 1-D ``Y``)
    b : ndarray, shape (d_out,) (or a float for a 1-D ``Y``)
    """
    X, Y = _check_fit(X, Y)
    coef, *_ = np.linalg.lstsq(augment_inputs(X), Y, rcond=None)
    return coef[:-1], (float(coef[-1]) if Y.ndim == 1 else coef[-1])


def best_single_layer_error(X, Y):
    r"""How far outputs :math:`Y` are from anything one affine layer can compute: the best layer's relative error.

    .. math::
        \frac{\sqrt{\operatorname{mean}\bigl((XW + \mathbf 1\mathbf b^\top - Y)^2\bigr)}}{\operatorname{sd}(Y)}

    with :math:`(W, \mathbf b)` from :func:`fit_single_layer` and :math:`\operatorname{sd}(Y)` the standard
    deviation of all entries of :math:`Y`. It is 0 (up to round-off) exactly when some single layer reproduces
    :math:`Y`, and 1 for a best layer no better than predicting the mean.

    Parameters
    ----------
    X : array_like, shape (n, d_in)
    Y : array_like, shape (n, d_out) or (n,)
        Not constant (its standard deviation is the unit of the error).

    Returns
    -------
    float
    """
    X, Y = _check_fit(X, Y)
    spread = float(Y.std())
    if spread == 0.0:
        raise ValueError("Y is constant: its standard deviation, the unit of the error, is 0")
    W, b = fit_single_layer(X, Y)
    residual = X @ W + b - Y
    return float(np.sqrt(np.mean(residual**2)) / spread)
