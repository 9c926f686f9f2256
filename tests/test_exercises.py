"""The auto-checks: every reference passes its own check, and typical mistakes are caught kindly."""

import numpy as np
import pytest

import nnmath
from nnmath.exercises import EXERCISES, check


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_passes_its_own_check(name):
    result = check(name, EXERCISES[name].reference)
    assert result.passed, str(result)
    assert str(result).startswith("✓")


def test_typical_mistakes_are_caught_with_the_failing_input():
    no_bias = check("neuron", lambda x, w, b: nnmath.sigmoid(x @ w))
    assert not no_bias.passed
    assert "x = " in no_bias.message and "expected" in no_bias.message
    missing_return = check("dot", lambda x, w: None)
    assert "returned None" in missing_return.message
    raises = check("dense_forward", lambda X, W, b: X @ W.T + b)
    assert not raises.passed
    wrong_shape = check("compose_two_layers", lambda W1, b1, W2, b2: (W1 @ W2, b1))
    assert not wrong_shape.passed


def test_result_renders_as_html_and_text():
    result = check("count_parameters", nnmath.count_parameters)
    assert "✓" in result._repr_html_()
    assert bool(result) is True


def test_check_is_deterministic():
    wrong = lambda x, w: float(np.sum(x * w)) + 1e-3  # noqa: E731
    assert str(check("dot", wrong)) == str(check("dot", wrong))


def test_unknown_exercise_and_non_function():
    with pytest.raises(ValueError, match="unknown exercise 'nope'"):
        check("nope", len)
    assert not check("dot", 3).passed
