"""The shared argument checks of nnmath._checks: each error names the argument, the problem and the shapes."""

import numpy as np
import pytest

from nnmath import _checks as C
from nnmath.activations import ACTIVATIONS, Activation, get_activation
from nnmath.init import get_initializer
from nnmath.losses import get_loss
from nnmath.optim import make_optimizer
from nnmath.surfaces import get_function_1d, get_surface


def test_as_array_converts_and_names_the_problem():
    assert C.as_array([1, 2], "x").dtype == np.float64
    assert C.as_array(np.ones(2, dtype=np.float32), "x").dtype == np.float32
    with pytest.raises(TypeError, match="x must be a number or an array of numbers, not str"):
        C.as_array("1, 2", "x")
    with pytest.raises(ValueError, match="x is not a rectangular array"):
        C.as_array([[1, 2], [3]], "x")
    with pytest.raises(ValueError, match=r"X must be 2-D; got shape \(3,\)"):
        C.as_array(np.ones(3), "X", ndim=2)
    with pytest.raises(ValueError, match=r"z contains 1 NaN or infinite value\(s\) \(shape \(2,\)\)"):
        C.as_array([1.0, np.inf], "z", finite=True)


def test_as_scalar():
    assert C.as_scalar(np.float32(0.5), "lr") == 0.5 and type(C.as_scalar(np.float32(0.5), "lr")) is float
    with pytest.raises(TypeError, match="lr must be a real number, not bool"):
        C.as_scalar(True, "lr")
    with pytest.raises(ValueError, match="lr must be positive; got 0.0"):
        C.as_scalar(0, "lr", positive=True)
    with pytest.raises(ValueError, match="lam must be non-negative; got -1.0"):
        C.as_scalar(-1, "lam", nonnegative=True)
    with pytest.raises(ValueError, match=r"beta must lie in \[0, 1\); got 1.0"):
        C.as_scalar(1.0, "beta", unit_interval=True)
    with pytest.raises(ValueError, match="h must be finite; got nan"):
        C.as_scalar(float("nan"), "h")


@pytest.mark.parametrize("value, minimum, maximum, error, message", [
    (True, 0, None, TypeError, r"steps must be a non-negative integer; got True \(bool\)"),
    (2.0, 1, None, TypeError, r"steps must be a positive integer; got 2.0 \(float\)"),
    ("3", 0, None, TypeError, r"steps must be a non-negative integer; got '3' \(str\)"),
    (-1, 0, None, ValueError, "steps must be a non-negative integer; got -1"),
    (0, 1, None, ValueError, "steps must be a positive integer; got 0"),
    (3, 4, None, ValueError, "steps must be an integer of at least 4; got 3"),
    (61, 1, 60, ValueError, "steps must be an integer from 1 to 60; got 61"),
])
def test_as_int_refuses_bools_floats_and_out_of_range(value, minimum, maximum, error, message):
    with pytest.raises(error, match=message):
        C.as_int(value, "steps", minimum=minimum, maximum=maximum)


def test_as_int_accepts_numpy_integers():
    value = C.as_int(np.int64(7), "n", minimum=1)
    assert value == 7 and type(value) is int


def test_same_shape_names_both_arrays_and_their_shapes():
    C.same_shape(np.ones((2, 3)), np.zeros((2, 3)), "a", "b")
    with pytest.raises(ValueError, match=r"dA and A must have the same shape \(dA: \(2, 3\), A: \(3, 2\)\)"):
        C.same_shape(np.ones((2, 3)), np.ones((3, 2)), "dA", "A")
    a, b = C.as_pair([1, 2], [3, 4], "y_hat", "y")
    assert a.dtype == b.dtype == np.float64
    with pytest.raises(ValueError, match=r"y_hat and y must have the same shape \(y_hat: \(2,\), y: \(3,\)\)"):
        C.as_pair([1, 2], [1, 2, 3], "y_hat", "y")


def test_line_points():
    x, y = C.line_points(np.arange(4.0)[:, None], [1, 2, 3, 4])
    assert x.shape == y.shape == (4,) and y.dtype == np.float64
    with pytest.raises(ValueError, match=r"one input feature: X must have shape \(n,\) or \(n, 1\); got \(4, 2\)"):
        C.line_points(np.ones((4, 2)), np.ones(4), x_name="X")
    with pytest.raises(ValueError, match=r"x and y must have one entry per point \(x: \(4,\), y: \(3,\)\)"):
        C.line_points(np.ones(4), np.ones(3))
    with pytest.raises(ValueError, match="at least one point"):
        C.line_points([], [])
    with pytest.raises(ValueError, match="NaN"):
        C.line_points([1.0, np.nan], [0.0, 0.0])


def test_as_points():
    x, y = C.as_points(np.zeros((5, 3, 2)))
    assert x.shape == y.shape == (5, 3)
    with pytest.raises(ValueError, match=r"the last axis of w must have length 2; got shape \(3,\)"):
        C.as_points(np.ones(3))


def test_as_labels():
    np.testing.assert_array_equal(C.as_labels([2.0, 0.0, 1.0]), [2, 0, 1])
    assert C.as_labels(np.array([1, 0], dtype=np.uint8)).dtype == np.intp
    with pytest.raises(ValueError, match="whole numbers"):
        C.as_labels([0.5, 1.0])
    with pytest.raises(TypeError, match="class labels y must be integers; got dtype <U1"):
        C.as_labels(["a", "b"])
    with pytest.raises(ValueError, match="class labels y must be non-negative; found -1"):
        C.as_labels([-1, 0])
    with pytest.raises(ValueError, match=r"labels y must lie in 0\.\.2 for 3 classes; found labels from 0 to 3"):
        C.as_labels([0, 3], n_classes=3)
    with pytest.raises(ValueError, match=r"1-D array of class labels; got shape \(2, 2\)"):
        C.as_labels(np.zeros((2, 2), dtype=int))


def test_as_generator():
    rng = np.random.default_rng(3)
    assert C.as_generator(rng) is rng
    assert C.as_generator(5).random() == np.random.default_rng(5).random()
    with pytest.raises(TypeError, match="seed must be an integer, a numpy Generator or None, not float"):
        C.as_generator(1.5)


# --- one lookup behind every registry -----------------------------------------------------------------

LOOKUPS = [
    (get_activation, "relu", "activation"),
    (get_loss, "mse", "loss"),
    (get_initializer, "he", "initialiser"),
    (get_surface, "bowl", "surface"),
    (get_function_1d, "parabola", "function"),
    (make_optimizer, "adam", "optimizer"),
]


@pytest.mark.parametrize("get, name, kind", LOOKUPS)
def test_every_registry_lookup_behaves_the_same(get, name, kind):
    assert type(get(name.upper())) is type(get(name))  # names are case-insensitive
    with pytest.raises(ValueError, match=rf"unknown {kind} 'nope'; choose one of: .*{name}"):
        get("nope")
    if kind != "initialiser":  # an initialiser may be any callable, so only names are looked up
        with pytest.raises(TypeError, match=rf"{kind} must be a name such as '\w+', not int"):
            get(3)


def test_lookup_passes_objects_of_the_accepted_type_through():
    relu = ACTIVATIONS["relu"]
    assert C.lookup(ACTIVATIONS, relu, "activation", accept=Activation) is relu
    with pytest.raises(TypeError, match="activation must be a name such as 'identity', not Activation"):
        C.lookup(ACTIVATIONS, relu, "activation")
