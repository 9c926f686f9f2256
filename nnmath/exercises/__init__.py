"""Exercises with auto-checks (presentation layer).

In a notebook::

    from nnmath.exercises import check
    check("neuron", my_neuron)      # ✓ or ✗ with the first input where it differs

Each chapter's module registers its exercises when this package is imported.
"""

from . import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09  # noqa: F401  (registration)
from ._core import EXERCISES, CheckResult, Exercise, check, register

__all__ = ["EXERCISES", "CheckResult", "Exercise", "check", "register"]
