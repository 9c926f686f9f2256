"""Input checks shared by every module: fail at once, name the problem and the shapes.

Each check is written once, here, and returns the checked value (or raises a clear TypeError/ValueError),
so callers write ``X = as_array(X, "X")`` and get on with the math:

* :func:`as_array`, :func:`as_scalar`, :func:`as_int`: an array of numbers, a real number, a whole number;
* :func:`same_shape`: two arrays that must match, both shapes in the message;
* :func:`as_points`: points of the plane, such as :math:`(x, y)` on a surface or :math:`(w, b)` of a line;
* :func:`line_points`: the data :math:`(x_i, y_i)` of a line fit;
* :func:`as_labels`: class labels :math:`0, \\dots, k-1`;
* :func:`as_layers`: a stack of dense layers :math:`(W^{[1]}, \\mathbf b^{[1]}), \\dots`, each fitting the next;
* :func:`as_generator`: a random generator from a seed;
* :func:`lookup`: a name in one of the package's registries (activations, losses, surfaces, ...).

The module is private to the package (its names are not part of the public API), but every module may
use it: it is the one home of the checks.
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


def as_scalar(x, name: str, *, positive: bool = False, nonnegative: bool = False,
              unit_interval: bool = False) -> float:
    """Return ``x`` as a finite Python float, or raise a clear error.

    ``positive``: :math:`x > 0`; ``nonnegative``: :math:`x \\ge 0`; ``unit_interval``: :math:`0 \\le x < 1`
    (a decay rate, a probability of dropping).
    """
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
    if unit_interval and not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must lie in [0, 1); got {value}")
    return value


def as_int(x, name: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Return ``x`` as a Python int with ``minimum <= x <= maximum``, or raise a clear error.

    Booleans and floats are refused (``2.0`` epochs is a slip, not a count): TypeError. Out of range: ValueError.
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError(f"{name} must be {_int_range(minimum, maximum)}; got {x!r} ({type(x).__name__})")
    if x < minimum or (maximum is not None and x > maximum):
        raise ValueError(f"{name} must be {_int_range(minimum, maximum)}; got {x!r}")
    return int(x)


def _int_range(minimum, maximum) -> str:
    if maximum is not None:
        return f"an integer from {minimum} to {maximum}"
    return {0: "a non-negative integer", 1: "a positive integer"}.get(minimum, f"an integer of at least {minimum}")


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise a ValueError naming both arrays and their shapes unless ``a`` and ``b`` have the same shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(f"{name_a} and {name_b} must have the same shape "
                         f"({name_a}: {np.shape(a)}, {name_b}: {np.shape(b)})")


def as_pair(a, b, name_a: str, name_b: str, **checks) -> tuple[np.ndarray, np.ndarray]:
    """:func:`as_array` of both (with the same ``checks``), then :func:`same_shape`."""
    a = as_array(a, name_a, **checks)
    b = as_array(b, name_b, **checks)
    same_shape(a, b, name_a, name_b)
    return a, b


def as_points(w, name: str = "w") -> tuple[np.ndarray, np.ndarray]:
    """Points :math:`(x, y)` of a plane along the last axis of ``w`` (shape (..., 2)): the two coordinate arrays."""
    w = as_array(w, name, min_ndim=1)
    if w.shape[-1] != 2:
        raise ValueError(f"a point of the plane has 2 coordinates: the last axis of {name} must have length 2; "
                         f"got shape {w.shape}")
    return w[..., 0], w[..., 1]


def line_points(x, y, *, x_name: str = "x") -> tuple[np.ndarray, np.ndarray]:
    """The points of a line fit: ``x`` of shape (n,) or (n, 1) and ``y`` of shape (n,), n >= 1, finite.

    Returns both as float64 arrays of shape (n,).
    """
    x = as_array(x, x_name, ndim=(1, 2), finite=True)
    if x.ndim == 2:
        if x.shape[1] != 1:
            raise ValueError(f"a line has one input feature: {x_name} must have shape (n,) or (n, 1); "
                             f"got {x.shape}")
        x = x[:, 0]
    y = as_array(y, "y", ndim=1, finite=True)
    if y.shape != x.shape:
        raise ValueError(f"{x_name} and y must have one entry per point ({x_name}: {x.shape}, y: {y.shape})")
    if x.size == 0:
        raise ValueError("a line fit needs at least one point; got none")
    return x.astype(np.float64, copy=False), y.astype(np.float64, copy=False)


def as_labels(y, name: str = "y", *, n_classes: int | None = None) -> np.ndarray:
    """Class labels as a 1-D integer array: whole numbers :math:`0, \\dots, k-1` (``k = n_classes`` if given).

    Floats that hold whole numbers (``1.0``) are accepted; anything else raises a clear error.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class labels; got shape {y.shape}")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or (y != np.round(y)).any():
            raise ValueError(f"class labels {name} must be whole numbers (found a non-integer or NaN)")
    elif y.dtype.kind not in "iub":
        raise TypeError(f"class labels {name} must be integers; got dtype {y.dtype}")
    if n_classes is None and y.size and y.min() < 0:
        raise ValueError(f"class labels {name} must be non-negative; found {y.min()}")
    if n_classes is not None and y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels {name} must lie in 0..{n_classes - 1} for {n_classes} classes; "
                         f"found labels from {y.min()} to {y.max()}")
    return y.astype(np.intp, copy=False)


def as_layers(layers, *, n_inputs: int | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """A stack of dense layers as a list of ``(W, b)`` float arrays, each layer's outputs the next one's inputs.

    ``W`` of layer :math:`\\ell` (numbered from 1 in the messages) must be 2-D, ``b`` 1-D with one entry per column
    of ``W``, and ``W``'s rows must match the previous layer's columns (or ``n_inputs``, the features of the data,
    for the first layer). Anything else raises a clear TypeError/ValueError naming the layer and the shapes.
    """
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a list of (W, b) pairs, not {type(layers).__name__}")
    layers = list(layers)
    if not layers:
        raise ValueError("a stack of layers needs at least one (W, b) layer; got none")
    checked, width = [], n_inputs
    for i, pair in enumerate(layers, start=1):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"layer {i} must be a (W, b) pair, not {type(pair).__name__}")
        W = as_array(pair[0], f"W{i}", ndim=2)
        b = as_array(pair[1], f"b{i}", ndim=1)
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"b{i} has {b.shape[0]} entries but W{i} has {W.shape[1]} columns "
                             f"(W{i}: {W.shape}, b{i}: {b.shape})")
        if width is not None and W.shape[0] != width:
            source = "the input has" if i == 1 else f"layer {i - 1} gives"
            raise ValueError(f"layer {i} expects {W.shape[0]} inputs but {source} {width} "
                             f"(W{i}: {W.shape})")
        checked.append((W, b))
        width = W.shape[1]
    return checked


def as_generator(seed=None) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a seed (int), an existing Generator (used as is), or None (fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be an integer, a numpy Generator or None, not {type(seed).__name__}")


def lookup(registry: dict, name, kind: str, *, accept: type | tuple[type, ...] = ()):
    """``registry[name]`` for a case-insensitive name, or a clear error that lists the known names.

    An object of a type in ``accept`` (an :class:`~nnmath.activations.Activation`, a
    :class:`~nnmath.surfaces.Surface`, ...) is returned unchanged. A name that is not a string raises a
    TypeError, an unknown name a ValueError.
    """
    if accept and isinstance(name, accept):
        return name
    if not isinstance(name, str):
        example = next(iter(registry))
        raise TypeError(f"{kind} must be a name such as {example!r}, not {type(name).__name__}")
    try:
        return registry[name.lower()]
    except KeyError:
        raise ValueError(f"unknown {kind} {name!r}; choose one of: {', '.join(registry)}") from None
