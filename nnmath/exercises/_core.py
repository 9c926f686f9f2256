"""Auto-checks for the exercises: run the learner's function against the reference on random inputs.

A check never raises and never prints a traceback: it returns a :class:`CheckResult` that shows a
friendly ✓, or a ✗ with the first input on which the two functions differ and what each returned.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Exercise", "CheckResult", "register", "check", "EXERCISES"]


@dataclass(frozen=True)
class Exercise:
    """An exercise that can be checked automatically.

    Attributes
    ----------
    name : str
        The key learners pass to :func:`check`, e.g. ``"neuron"``.
    signature : str
        How the learner's function is called, e.g. ``"neuron(x, w, b)"``.
    reference : callable
        The correct answer (usually an ``nnmath`` function).
    make_inputs : callable
        ``rng -> tuple of arguments``; called once per trial.
    rtol, atol : float
        Tolerances for comparing arrays.
    fixed_inputs : tuple of tuples
        Edge cases tried first, before the random ones.
    """

    name: str
    signature: str
    reference: Callable
    make_inputs: Callable[[np.random.Generator], tuple]
    rtol: float = 1e-6
    atol: float = 1e-9
    fixed_inputs: tuple = field(default_factory=tuple)


EXERCISES: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry (each chapter's module registers its own)."""
    EXERCISES[exercise.name] = exercise
    return exercise


@dataclass(frozen=True)
class CheckResult:
    """What :func:`check` found. Shows itself as a ✓ or ✗ line in a notebook."""

    name: str
    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"{'✓' if self.passed else '✗'} {self.name}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        color, mark = ("#009E73", "✓") if self.passed else ("#D55E00", "✗")
        text = html.escape(self.message).replace("\n", "<br>")
        style = f"border-left:4px solid {color};padding:4px 10px;font-family:monospace;white-space:pre-wrap"
        return (f'<div class="nnmath-check" style="{style}">'
                f'<b style="color:{color}">{mark} {self.name}</b>: {text}</div>')


def _fmt(value, prefix: str = "") -> str:
    with np.printoptions(precision=4, suppress=True, threshold=20, edgeitems=3):
        if isinstance(value, np.ndarray):
            if value.ndim == 0:
                return repr(value.item())
            return np.array2string(value, separator=", ", prefix=prefix)
        if isinstance(value, tuple):
            return "(" + ", ".join(_fmt(v) for v in value) + ")"
        return repr(value)


def _compare(expected, got, rtol, atol) -> str | None:
    """None when ``got`` matches ``expected``; otherwise a short reason."""
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected a tuple of {len(expected)} values, got {type(got).__name__}"
        for i, (e, g) in enumerate(zip(expected, got)):
            reason = _compare(e, g, rtol, atol)
            if reason:
                return f"item {i}: {reason}"
        return None
    if got is None:
        return "your function returned None (is a `return` missing?)"
    if isinstance(expected, (int, np.integer)) and not isinstance(expected, bool):
        try:
            ok = int(got) == int(expected) and float(got) == float(expected)
        except (TypeError, ValueError):
            ok = False
        return None if ok else f"expected {expected}, got {_fmt(got)}"
    e = np.asarray(expected, dtype=float)
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"expected numbers, got {type(got).__name__}"
    if g.shape != e.shape:
        return f"expected shape {e.shape}, got shape {g.shape}"
    if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=False):
        return f"expected {_fmt(e, prefix='  expected ')}\n  got      {_fmt(g, prefix='  got      ')}"
    return None


def _fmt_args(signature: str, args: tuple) -> str:
    """One ``name = value`` line per argument, named after the signature, e.g. ``x = [1., 2.]``."""
    names = [n.strip() for n in signature.partition("(")[2].rstrip(")").split(",")]
    if len(names) != len(args):
        return _fmt(args)
    return "\n  ".join(f"{n} = {_fmt(a, prefix=f'  {n} = ')}" for n, a in zip(names, args))


def check(name: str, fn: Callable, trials: int = 25, seed: int = 0) -> CheckResult:
    """Check a learner's function against the reference answer of exercise ``name``.

    Parameters
    ----------
    name : str
        The exercise's key (see ``nnmath.exercises.EXERCISES``).
    fn : callable
        The learner's function, called like the exercise's signature.
    trials : int, default 25
        How many random inputs to try after the fixed edge cases.
    seed : int, default 0
        Seed of the random inputs, so a check is repeatable.
    """
    if name not in EXERCISES:
        known = ", ".join(sorted(EXERCISES))
        raise ValueError(f"unknown exercise {name!r}; the exercises are: {known}")
    if not callable(fn):
        return CheckResult(name, False, f"expected a function, got {type(fn).__name__}")
    ex = EXERCISES[name]
    rng = np.random.default_rng(seed)
    cases = list(ex.fixed_inputs) + [ex.make_inputs(rng) for _ in range(trials)]
    for args in cases:
        expected = ex.reference(*_copy(args))
        try:
            with np.errstate(all="ignore"):
                got = fn(*_copy(args))
        except Exception as exc:  # the learner's code may raise anything: report it, kindly
            return CheckResult(name, False, f"{ex.signature} raised {type(exc).__name__}: {exc}\n"
                                            f"  on the input\n  {_fmt_args(ex.signature, args)}")
        reason = _compare(expected, got, ex.rtol, ex.atol)
        if reason:
            inputs = _fmt_args(ex.signature, args)
            return CheckResult(name, False, f"not yet. For {ex.signature} with\n  {inputs}\n  {reason}")
    n = len(cases)
    return CheckResult(name, True, f"correct on all {n} test inputs.")


def _copy(args: tuple) -> tuple:
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
