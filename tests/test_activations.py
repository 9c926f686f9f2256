"""Activations: derivatives against centred differences (float64), closed forms, stability, invariants."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnmath import activations as A
from nnmath.gradcheck import gradient_check, numerical_gradient

ELEMENTWISE = sorted(A.ACTIVATIONS)
finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)
finite_arrays = arrays(np.float64, st.integers(1, 12), elements=finite)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_centred_differences(name, rng):
    act = A.get_activation(name)
    z = rng.normal(scale=3, size=(4, 5))
    z[np.abs(z) < 1e-3] = 0.5  # keep away from ReLU-family kinks at 0, where no derivative exists
    g = rng.normal(size=z.shape)  # f(z) -> scalar sum(g * act(z)) tests every entry's derivative
    check = gradient_check(lambda v: np.sum(g * act.f(v)), lambda v: g * act.f_prime(v), z)
    assert check.error < 1e-7, check


@pytest.mark.parametrize(("f", "f_prime", "alpha"), [(A.leaky_relu, A.leaky_relu_prime, 0.2),
                                                       (A.elu, A.elu_prime, 0.5)])
def test_derivative_with_alpha(f, f_prime, alpha, rng):
    z = rng.normal(scale=2, size=20)
    z[np.abs(z) < 1e-3] = 0.3
    check = gradient_check(lambda v: np.sum(f(v, alpha)), lambda v: f_prime(v, alpha), z)
    assert check.error < 1e-7


def test_closed_forms():
    assert A.sigmoid(0.0) == 0.5
    assert A.sigmoid_prime(0.0) == 0.25
    assert A.tanh_prime(0.0) == 1.0
    np.testing.assert_allclose(A.sigmoid(np.log(3.0)), 0.75)  # 1 / (1 + 1/3)
    np.testing.assert_allclose(A.tanh(1.3), 2 * A.sigmoid(2.6) - 1)
    np.testing.assert_array_equal(A.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(A.relu_prime([-2.0, 0.0, 3.0]), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(A.leaky_relu([-2.0, 3.0]), [-0.02, 3.0])
    np.testing.assert_allclose(A.elu([-1.0, 2.0]), [np.exp(-1) - 1, 2.0])
    np.testing.assert_allclose(A.softmax([0.0, np.log(3.0)]), [0.25, 0.75])
    np.testing.assert_allclose(A.logsumexp([0.0, 0.0]), np.log(2.0))
    np.testing.assert_allclose(A.softmax_jacobian([0.0, 0.0]), [[0.25, -0.25], [-0.25, 0.25]])


def test_softmax_backward_matches_jacobian_and_differences(rng):
    z = rng.normal(size=(3, 5))
    g = rng.normal(size=(3, 5))
    p = A.softmax(z)
    got = A.softmax_backward(g, p)
    for i in range(3):
        np.testing.assert_allclose(got[i], A.softmax_jacobian(z[i]).T @ g[i], atol=1e-15)
    check = gradient_check(lambda v: np.sum(g * A.softmax(v)), got, z)
    assert check.error < 1e-7


def test_log_softmax_gradient(rng):
    z = rng.normal(size=(2, 4))
    g = rng.normal(size=(2, 4))
    # d/dz sum(g * (z - lse(z))) = g - softmax(z) * sum(g)
    analytic = g - A.softmax(z) * g.sum(axis=1, keepdims=True)
    assert gradient_check(lambda v: np.sum(g * A.log_softmax(v)), analytic, z).error < 1e-7


@settings(max_examples=200, deadline=None)
@given(finite_arrays)
def test_every_activation_is_finite_and_silent_for_any_finite_input(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for act in A.ACTIVATIONS.values():
            assert np.all(np.isfinite(act.f(z))), act.name
            assert np.all(np.isfinite(act.f_prime(z))), act.name
        for fn in (A.softmax, A.log_softmax, A.logsumexp):
            assert np.all(np.isfinite(fn(z)))


@settings(max_examples=200, deadline=None)
@given(finite_arrays)
def test_sigmoid_symmetry_and_range(z):
    s = A.sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(A.sigmoid(-z), 1 - s, atol=1e-15)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)),
              elements=st.floats(-1e6, 1e6)), st.floats(-1e6, 1e6))
def test_softmax_rows_sum_to_one_and_are_shift_invariant(z, c):
    p = A.softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(p >= 0)
    np.testing.assert_allclose(A.softmax(z + c), p, atol=1e-9)
    np.testing.assert_allclose(np.exp(A.log_softmax(z)), p, atol=1e-12)


def test_softmax_of_huge_logits_does_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = A.softmax([1000.0, 1000.0, -1000.0])
        lp = A.log_softmax([1000.0, 0.0])
    np.testing.assert_allclose(p, [0.5, 0.5, 0.0])
    np.testing.assert_allclose(lp, [0.0, -1000.0])


def test_dtype_is_kept_for_float32():
    z = np.linspace(-5, 5, 11, dtype=np.float32)
    for act in A.ACTIVATIONS.values():
        assert act.f(z).dtype == np.float32, act.name
        assert act.f_prime(z).dtype == np.float32, act.name
    assert A.softmax(z).dtype == np.float32


def test_numerical_gradient_of_sigmoid_is_its_derivative():
    z = np.array([-2.0, 0.0, 1.5])
    num = numerical_gradient(lambda v: np.sum(A.sigmoid(v)), z)
    np.testing.assert_allclose(num, A.sigmoid_prime(z), rtol=1e-9)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="unknown activation 'relu6'.*choose one of"):
        A.get_activation("relu6")
    with pytest.raises(TypeError, match="activation must be a name"):
        A.get_activation(3)
    with pytest.raises(TypeError, match="z must hold real numbers"):
        A.sigmoid(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="z must be a number"):
        A.relu("1.0")
    with pytest.raises(ValueError, match="alpha must be non-negative"):
        A.leaky_relu([1.0], alpha=-1)
    with pytest.raises(ValueError, match="z must have at least 1 dimension"):
        A.softmax(3.0)
    with pytest.raises(ValueError, match=r"same shape \(dA: \(2, 3\), A: \(2, 2\)\)"):
        A.softmax_backward(np.ones((2, 3)), np.ones((2, 2)))
