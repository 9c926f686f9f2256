r"""Linear algebra of layers (chapter 2): why stacked linear layers collapse into one.

Two affine layers applied one after the other,

.. math::
    (X W_1 + \mathbf b_1) W_2 + \mathbf b_2 = X (W_1 W_2) + (\mathbf b_1 W_2 + \mathbf b_2),

are a single affine layer with :math:`W = W_1 W_2` and :math:`\mathbf b = \mathbf b_1 W_2 + \mathbf b_2`.
By induction any stack of them is one layer: depth buys nothing without a non-linearity in between.
"""

from __future__ import annotations

from ._checks import as_array

__all__ = ["compose_affine"]


def compose_affine(layers):
    r"""Collapse a stack of affine layers :math:`(W_1, \mathbf b_1), \dots, (W_L, \mathbf b_L)` into one.

    .. math::
        W = W_1 W_2 \cdots W_L, \qquad
        \mathbf b = \bigl(\cdots((\mathbf b_1 W_2 + \mathbf b_2) W_3 + \mathbf b_3)\cdots\bigr) W_L + \mathbf b_L

    so that ``dense_forward(X, W, b)`` equals applying the layers one by one.

    Parameters
    ----------
    layers : sequence of ``(W, b)`` pairs
        ``W`` of shape (d_{l-1}, d_l), ``b`` of shape (d_l,), in the order they are applied.

    Returns
    -------
    W : ndarray, shape (d_0, d_L)
    b : ndarray, shape (d_L,)
    """
    layers = list(layers)
    if not layers:
        raise ValueError("compose_affine needs at least one (W, b) layer")
    W, b = None, None
    for i, pair in enumerate(layers):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"layer {i} must be a (W, b) pair, not {type(pair).__name__}")
        Wi, bi = pair
        Wi = as_array(Wi, f"W{i + 1}", ndim=2)
        bi = as_array(bi, f"b{i + 1}", ndim=1)
        if bi.shape[0] != Wi.shape[1]:
            raise ValueError(f"b{i + 1} has {bi.shape[0]} entries but W{i + 1} has {Wi.shape[1]} columns "
                             f"(W{i + 1}: {Wi.shape}, b{i + 1}: {bi.shape})")
        if W is None:
            W, b = Wi.copy(), bi.copy()
            continue
        if W.shape[1] != Wi.shape[0]:
            raise ValueError(f"layer {i + 1} expects {Wi.shape[0]} inputs but layer {i} gives {W.shape[1]} "
                             f"(W{i}: {W.shape}, W{i + 1}: {Wi.shape})")
        W, b = W @ Wi, b @ Wi + bi
    return W, b
