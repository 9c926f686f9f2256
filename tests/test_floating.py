"""nnmath.floating: a computation's value together with the warnings numpy raised, as the chapters print them."""

import warnings

import numpy as np
import pytest

import nnmath as nm
from nnmath import floating


def test_overflow_is_captured_not_shown():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that escaped would fail the test
        result = floating.capture_warnings(np.exp, 1000.0)
    assert result.value == np.inf
    assert result.warnings == ["RuntimeWarning: overflow encountered in exp"]
    assert not result.quiet


def test_every_warning_is_recorded_in_order_even_when_repeated():
    def naive_softmax(z):
        e = np.exp(z)
        return e / e.sum()

    for _ in range(2):  # the same line warns again: "always", not "once per location"
        result = floating.capture_warnings(naive_softmax, np.array([1000.0, 999.0]))
        assert result.warnings == ["RuntimeWarning: overflow encountered in exp",
                                   "RuntimeWarning: invalid value encountered in divide"]
        assert np.all(np.isnan(result.value))


def test_a_stable_computation_is_quiet_and_keeps_its_arguments():
    result = floating.capture_warnings(nm.softmax, np.array([1000.0, 999.0]), axis=-1)
    assert result.quiet and result.warnings == []
    assert result.value == pytest.approx([1 / (1 + np.exp(-1)), 1 / (1 + np.exp(1))])


def test_other_warnings_and_errors():
    def warns():
        warnings.warn("careful", UserWarning, stacklevel=1)
        return 3

    assert floating.capture_warnings(warns) == (3, ["UserWarning: careful"])
    with pytest.raises(ZeroDivisionError):
        floating.capture_warnings(lambda: 1 / 0)
    with pytest.raises(TypeError, match="fn must be a function"):
        floating.capture_warnings(42)
