r"""The "draw a digit" widget of chapter 9: draw with the mouse, watch the network's ten probabilities move.

One interface, written once in ``digit_pad.js`` beside this module, with two back ends:

* **Live, in a notebook**, it is an `anywidget <https://anywidget.dev>`_: the drawing happens in the browser
  (a canvas and its pointer events, no round trip per mouse move), and each time the ink changes the page
  sends it to the kernel, where :func:`nnmath.data.to_mnist_format`, :func:`nnmath.data.scale_pixels` and
  :meth:`nnmath.network.MLP.predict_proba` turn it into probabilities, sent back to the bars.
* **In the static book**, with no kernel, the page carries the trained weights rounded to float16
  (:func:`nnmath.analysis.with_rounded_weights`) and a few hundred test images, and the same script runs the
  same computation itself: MNIST's format, :math:`(\mathbf x - \bar x)/\operatorname{sd}`, then
  :math:`\mathbf x W + \mathbf b` and ReLU layer by layer, and the softmax. A browser test holds the page's
  numbers to ``nnmath``.

Which one a display shows follows the book's rule for kernel-free widgets: the ``text/html`` version is made
only when the environment variable ``NNMATH_STATIC_HTML`` is ``"1"`` (``make book``); otherwise the display
is the live view alone.
"""

from __future__ import annotations

import base64
import html
import json
from importlib import resources

import anywidget
import numpy as np
import traitlets

from .._checks import as_int
from ..analysis import with_rounded_weights
from ..data.mnist import MNIST_SIDE, scale_pixels, to_mnist_format
from ..network import MLP
from ._base import static_html_enabled

__all__ = ["SCRIPT", "DigitLab", "digit_lab", "page_payload", "static_html"]

#: The page script (``digit_pad.js``): the interface, MNIST's format, the forward pass.
SCRIPT = resources.files(__package__).joinpath("digit_pad.js").read_text(encoding="utf-8")

INK_SIZE = 140
"""The drawing pad's grid of ink pixels (each shown as ``PAD_SCALE`` × ``PAD_SCALE`` screen pixels)."""
PAD_SCALE = 2
STROKE_WIDTH = 12
"""The brush's default diameter, in ink pixels: strokes about as thick, after scaling, as MNIST's pen."""
SHOWN = 300
"""The test images the widget offers by default: the first ``SHOWN``, and every mistake after them."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _levels(x) -> bytes:
    """Grey levels in [0, 1] as bytes 0..255 (exact for MNIST's k/255)."""
    return np.round(np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0) * 255.0).astype(np.uint8).tobytes()


def _ink(text: str, size: int) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(text), dtype=np.uint8) if text else np.zeros(size * size, np.uint8)
    if raw.size != size * size:
        raise ValueError(f"the pad sent {raw.size} ink pixels; expected {size} × {size}")
    return raw.reshape(size, size).astype(np.float64)


class _LiveModel(anywidget.AnyWidget):
    """The live view: the page script over a kernel that runs ``nnmath``."""

    _esm = SCRIPT
    ink_size = traitlets.Int(INK_SIZE).tag(sync=True)
    pad_scale = traitlets.Int(PAD_SCALE).tag(sync=True)
    stroke_width = traitlets.Int(STROKE_WIDTH).tag(sync=True)
    ink = traitlets.Unicode("").tag(sync=True)
    index = traitlets.Int(0).tag(sync=True)
    labels = traitlets.List().tag(sync=True)
    predictions = traitlets.List().tag(sync=True)
    test_index = traitlets.List().tag(sync=True)
    draw_result = traitlets.Dict().tag(sync=True)
    browse_result = traitlets.Dict().tag(sync=True)

    def __repr__(self):
        return f"DigitLab live view ({len(self.labels)} test images)"


class DigitLab:
    r"""Draw a digit and see the network's probabilities; browse test images with their predictions.

    Parameters
    ----------
    net : MLP
        A trained classifier of 784 inputs (pixels scaled by ``mean`` and ``sd``) and 10 classes.
    mean, sd : float
        The pixel scaling of the training set, :func:`nnmath.data.pixel_statistics`.
    X_test : array_like, shape (n, 784)
        Test images with grey levels in [0, 1], unscaled (as :func:`nnmath.data.load_mnist_split` gives them).
    y_test : array_like of int, shape (n,)
    indices : sequence of int, optional
        Which test images to offer; by default the first ``SHOWN`` (300) and every later one that the page's
        network gets wrong.
    index : int, default 0
        The image shown first (a position in ``indices``).

    Attributes
    ----------
    page_net : MLP
        The network the static page runs: ``net`` with every weight rounded to float16.
    """

    def __init__(self, net: MLP, mean, sd, X_test, y_test, indices=None, index=0):
        if not isinstance(net, MLP) or net.sizes[0] != MNIST_SIDE**2 or net.loss.kind != "multiclass":
            raise ValueError(f"net must be an MLP classifier of {MNIST_SIDE**2} inputs; got {net!r}")
        if any(act.name != "relu" for act in net.activations[:-1]):
            raise ValueError("the page script runs ReLU hidden layers only; this network has "
                             f"{[act.name for act in net.activations[:-1]]}")
        self.net, self.mean, self.sd = net, float(mean), float(sd)
        X_test = net.check_inputs(X_test)
        y_test = np.asarray(y_test)
        if y_test.shape != (len(X_test),):
            raise ValueError(f"y_test needs one label per test image (X_test: {X_test.shape}, y_test: {y_test.shape})")
        self.page_net = with_rounded_weights(net, np.float16)
        if indices is None:
            wrong = np.flatnonzero(self.page_net.predict(self._scaled(X_test)) != y_test)
            indices = np.union1d(np.arange(min(SHOWN, len(X_test))), wrong)
        self.indices = np.asarray(indices, dtype=np.intp)
        if self.indices.ndim != 1 or not self.indices.size or self.indices.min() < 0 or \
                self.indices.max() >= len(X_test):
            raise ValueError(f"indices must pick test images 0..{len(X_test) - 1}")
        self.index = as_int(index, "index", maximum=len(self.indices) - 1)
        self.images, self.labels = X_test[self.indices], y_test[self.indices].astype(int)
        self._live = None

    def __repr__(self):
        sizes = "-".join(map(str, self.net.sizes))
        return f"DigitLab(network {sizes}, {len(self.indices)} test images)"

    def _scaled(self, X):
        return scale_pixels(X, self.mean, self.sd)

    # --- what the kernel computes for the live view ------------------------------------------------------

    def probabilities(self, ink, net=None) -> np.ndarray:
        """The ten probabilities for a drawing: MNIST's format, the training scaling, the network."""
        digit = to_mnist_format(ink)
        return (net or self.net).predict_proba(self._scaled(digit.reshape(1, -1)))[0]

    def _draw_result(self, ink_text, count):
        ink = _ink(ink_text, INK_SIZE)
        if not ink.any():
            return {"n": count, "p": [], "digit": _b64(bytes(MNIST_SIDE * MNIST_SIDE))}
        digit = to_mnist_format(ink)
        p = self.net.predict_proba(self._scaled(digit.reshape(1, -1)))[0]
        return {"n": count, "p": [float(v) for v in p], "digit": _b64(_levels(digit))}

    def _browse_result(self, i, count):
        p = self.net.predict_proba(self._scaled(self.images[i:i + 1]))[0]
        return {"n": count, "index": int(i), "p": [float(v) for v in p], "image": _b64(_levels(self.images[i]))}

    @property
    def widget(self) -> _LiveModel:
        """The live view (an anywidget), made on first use."""
        if self._live is None:
            predictions = self.net.predict(self._scaled(self.images))
            live = _LiveModel(labels=self.labels.tolist(), predictions=predictions.astype(int).tolist(),
                              test_index=self.indices.tolist(), index=self.index)
            live.browse_result = self._browse_result(self.index, 0)
            counter = {"n": 0}

            def on_ink(change):
                counter["n"] += 1
                live.draw_result = self._draw_result(change["new"], counter["n"])

            def on_index(change):
                counter["n"] += 1
                i = int(np.clip(change["new"], 0, len(self.indices) - 1))
                live.browse_result = self._browse_result(i, counter["n"])

            live.observe(on_ink, names="ink")
            live.observe(on_index, names="index")
            self._live = live
        return self._live

    def _repr_mimebundle_(self, **kwargs):
        if static_html_enabled():
            return {"text/plain": repr(self), "text/html": static_html(self)}
        data, metadata = self.widget._repr_mimebundle_(**kwargs)  # anywidget's (data, metadata)
        return {**data, "text/plain": repr(self)}, metadata


def digit_lab(net, mean, sd, X_test, y_test, **kwargs) -> DigitLab:
    """The chapter's widget: see :class:`DigitLab`."""
    return DigitLab(net, mean, sd, X_test, y_test, **kwargs)


# --- the kernel-free page ---------------------------------------------------------------------------------

def page_payload(lab: DigitLab) -> dict:
    """Everything the static page needs, as JSON-ready data: the float16 weights (little-endian, base64), the
    pixel scaling, the offered test images (bytes 0..255, base64), their labels and the page network's
    predictions."""
    net = lab.page_net
    half = [np.asarray(W, dtype="<f2") for W in net.W], [np.asarray(b, dtype="<f2") for b in net.b]
    predictions = net.predict(lab._scaled(lab.images)).astype(int).tolist()
    return {
        "sizes": list(net.sizes), "mean": lab.mean, "sd": lab.sd,
        "weights": [_b64(W.tobytes()) for W in half[0]], "biases": [_b64(b.tobytes()) for b in half[1]],
        "images": _b64(_levels(lab.images)),
        "state": {"ink_size": INK_SIZE, "pad_scale": PAD_SCALE, "stroke_width": STROKE_WIDTH, "ink": "",
                  "index": lab.index, "labels": lab.labels.tolist(), "predictions": predictions,
                  "test_index": lab.indices.tolist(), "draw_result": {}, "browse_result": {}},
    }


def static_html(lab: DigitLab) -> str:
    """The kernel-free widget: a container holding the page payload as JSON, and the page script as a module."""
    data = json.dumps(page_payload(lab), separators=(",", ":"))
    return (f'<div class="nnmath-digit-lab" data-static="true">'
            f'<script type="application/json">{data}</script>'
            f'<noscript>{html.escape("The drawing pad needs JavaScript.")}</noscript></div>\n'
            f'<script type="module">\n{SCRIPT}\nmountStatic(document);\n</script>')
