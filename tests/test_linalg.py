"""Stacked affine layers collapse to one; with a ReLU between they do not."""

import numpy as np
import pytest

from nnmath.activations import relu
from nnmath.layers import dense_forward
from nnmath.linalg import compose_affine


def test_two_layers_by_hand():
    W1, b1 = np.array([[1.0, 2.0]]), np.array([1.0, -1.0])
    W2, b2 = np.array([[3.0], [4.0]]), np.array([0.5])
    W, b = compose_affine([(W1, b1), (W2, b2)])
    # W = W1 W2 = [[1*3 + 2*4]] = [[11]];  b = b1 W2 + b2 = [1*3 - 1*4 + 0.5] = [-0.5]
    np.testing.assert_allclose(W, [[11.0]])
    np.testing.assert_allclose(b, [-0.5])


def test_stack_equals_single_layer(rng):
    sizes = [3, 5, 4, 2]
    layers = [(rng.normal(size=(a, c)), rng.normal(size=c)) for a, c in zip(sizes[:-1], sizes[1:])]
    X = rng.normal(size=(7, 3))
    out = X
    for W, b in layers:
        out = dense_forward(out, W, b)[0]
    W, b = compose_affine(layers)
    np.testing.assert_allclose(dense_forward(X, W, b)[0], out, rtol=1e-12, atol=1e-12)
    relu_out = X
    for Wi, bi in layers:
        relu_out = relu(dense_forward(relu_out, Wi, bi)[0])
    assert not np.allclose(relu(dense_forward(X, W, b)[0]), relu_out)


def test_bad_input():
    with pytest.raises(ValueError, match="at least one"):
        compose_affine([])
    with pytest.raises(ValueError, match=r"layer 2 expects 3 inputs but layer 1 gives 2"):
        compose_affine([(np.ones((2, 2)), np.ones(2)), (np.ones((3, 1)), np.ones(1))])
    with pytest.raises(TypeError, match=r"layer 0 must be a \(W, b\) pair"):
        compose_affine([np.ones((2, 2))])
