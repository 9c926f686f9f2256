"""The referee itself: it must pass correct gradients and catch wrong ones."""

import numpy as np
import pytest

from nnmath.gradcheck import gradient_check, numerical_gradient, relative_error


def test_quadratic_closed_form(rng):
    A = rng.normal(size=(4, 4))
    A = A + A.T
    x = rng.normal(size=4)
    f = lambda v: 0.5 * v @ A @ v  # noqa: E731  gradient A v for symmetric A
    np.testing.assert_allclose(numerical_gradient(f, x), A @ x, rtol=1e-8)
    assert gradient_check(f, lambda v: A @ v, x).ok


def test_catches_a_wrong_gradient(rng):
    x = rng.normal(size=(3, 2))
    check = gradient_check(lambda v: np.sum(v**3), lambda v: 3 * v**2 + 1e-4, x)
    assert not check.ok
    assert "DISAGREE" in str(check)
    sign = gradient_check(lambda v: np.sum(np.sin(v)), lambda v: -np.cos(v), x)
    assert sign.error > 0.5


def test_does_not_modify_input():
    x = np.array([1.0, 2.0])
    numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="f must return a scalar"):
        numerical_gradient(lambda v: v, np.ones(2))
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_gradient(3, np.ones(2))
    with pytest.raises(ValueError, match="h must be positive"):
        numerical_gradient(np.sum, np.ones(2), h=0)
    with pytest.raises(ValueError, match="x contains 1 NaN"):
        numerical_gradient(np.sum, [1.0, np.nan])
    with pytest.raises(ValueError, match=r"the gradient and x must have the same shape \(the gradient: \(3,\), x: \(2"):
        gradient_check(np.sum, np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.ones(2), np.ones(3))
