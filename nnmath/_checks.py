"""Input checks shared by every module: fail at once, name the problem and the shapes.

Kept tiny and private. Each returns a float ndarray (or raises), so callers write
``X = as_array(X, "X")`` and get on with the math.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_array(
    x, name: str, *, ndim: int | tuple[int, ...] | None = None, min_ndim: int = 0, finite: bool = False
) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray, or raise a clear TypeError/ValueError.

    Integers and booleans become float64; float32 stays float32 (so callers keep control of precision).
    """
    if isinstance(x, np.ndarray):
        arr = x
    elif isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a number or an array of numbers, not {type(x).__name__}")
    else:
        try:
            arr = np.asarray(x)
        except ValueError as exc:  # ragged nested lists
            raise ValueError(f"{name} is not a rectangular array of numbers: {exc}") from None
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must hold real numbers; got dtype {arr.dtype}")
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}; got shape {arr.shape}")
    if arr.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s); got shape {arr.shape}")
    if finite and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s) (shape {arr.shape})")
    return arr


def as_scalar(x, name: str, *, positive: bool = False, nonnegative: bool = False) -> float:
    """Return ``x`` as a Python float, or raise a clear error."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number, not {type(x).__name__}")
    value = float(x)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be positive; got {value}")
    if nonnegative and value < 0:
        raise ValueError(f"{name} must be non-negative; got {value}")
    return value


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape ({name_a}: {a.shape}, {name_b}: {b.shape})")
