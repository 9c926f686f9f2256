r"""Floating point, observed (chapters 3 and 4): run a formula and report what numpy warned about.

A textbook formula computed as written can overflow (:math:`e^{1000}` is beyond float64's largest number,
about :math:`1.8 \times 10^{308}`), divide zero by zero, or take :math:`\log 0`. numpy then returns ``inf`` or
``nan`` and emits a ``RuntimeWarning``. The chapters show those warnings on purpose, next to the stable form
that raises none: :func:`capture_warnings` runs a computation and hands back its value together with the
warnings, as text, instead of letting them reach the page.

This is a helper for the chapters' experiments (the presentation layer): nothing in the math core needs it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = ["capture_warnings", "Captured"]


class Captured(NamedTuple):
    """What :func:`capture_warnings` returns: the computation's ``value`` and the ``warnings`` it raised.

    Each warning is a string ``"<category>: <message>"``, e.g. ``"RuntimeWarning: overflow encountered in exp"``,
    in the order they were raised; the list is empty when the computation was quiet.
    """

    value: Any
    warnings: list

    @property
    def quiet(self) -> bool:
        """True when nothing was warned."""
        return not self.warnings


def capture_warnings(fn: Callable, *args, **kwargs) -> Captured:
    """Call ``fn(*args, **kwargs)``, recording every warning it raises instead of showing it.

    Every warning is recorded, also one that the same line raised before (``simplefilter("always")``), so the
    report does not depend on what ran earlier. Exceptions are not caught.

    Parameters
    ----------
    fn : callable
    *args, **kwargs
        Passed on to ``fn``.

    Returns
    -------
    Captured
        ``.value`` is what ``fn`` returned, ``.warnings`` the warnings as ``"Category: message"`` strings.

    Examples
    --------
    >>> import numpy as np
    >>> result = capture_warnings(np.exp, 1000.0)
    >>> float(result.value), result.warnings
    (inf, ['RuntimeWarning: overflow encountered in exp'])
    """
    if not callable(fn):
        raise TypeError(f"fn must be a function to call, not {type(fn).__name__}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn(*args, **kwargs)
    return Captured(value, [f"{w.category.__name__}: {w.message}" for w in caught])
