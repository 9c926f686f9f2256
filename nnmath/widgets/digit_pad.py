r"""The "draw a digit" widget of chapter 9: draw with the mouse, watch the trained network's ten probabilities.

:class:`DigitLab` keeps the book's widget contract (:class:`~nnmath.widgets.Playground`): a matplotlib figure
laid out once, controls of :mod:`nnmath.widgets.controls`, the moving artists in ``dynamic``, an ``update`` that
depends only on its arguments, ``static_key``, ``labels`` and ``disabled``, the live view's request-and-answer
protocol (:class:`~nnmath.widgets.FigureView`), the kernel-free version built only for the book
(``NNMATH_STATIC_HTML``), drawn by ``figure.js`` from the same recorded templates as every ``"page"`` widget,
and no widget state kept in the committed notebook. Its equation is the whole forward pass,

.. math::
    \mathbf x = \frac{\operatorname{mnist}(\operatorname{ink}) - \bar x}{\operatorname{sd}}, \qquad
    \mathbf a^{[\ell]} = \operatorname{ReLU}(\mathbf a^{[\ell-1]} W^{[\ell]} + \mathbf b^{[\ell]}), \qquad
    \mathbf p = \operatorname{softmax}(\mathbf a^{[D-1]} W^{[D]} + \mathbf b^{[D]}),

where :math:`\operatorname{mnist}` is :func:`nnmath.data.to_mnist_format` and the ink is
:func:`nnmath.data.draw_strokes`.

**Why it is more than a Playground.** One of its inputs is not a slider, a menu or a check box but a drawing:
the :class:`Ink` control, a list of strokes drawn with the pointer on the figure's pad. ``figure.js`` builds
only sliders, menus and check boxes, so the page side of this widget is its own small script,
``digit_pad.js``, which draws the other controls, the canvas and the frames with ``figure.js``'s own pieces
(``nnmathFigure.buildControls``, ``skeleton``, ``paint``, ``helpers``, ``unpack``, ``format``) and adds the pad:
its pointer events, and the ink drawn at once under the pen. So its kernel-free markup says
``data-static="pad"`` (``figure.js`` leaves it to ``digit_pad.js``) and its live view is :class:`DigitLabView`,
a :class:`~nnmath.widgets.FigureView` with that script. Nor do the generic widget tests build it by
themselves: it needs a trained network and the MNIST test images; ``tests/test_digit_pad.py`` runs the same
checks on the chapter's kind of network.

**In a live notebook** the page inks the pad under the pen and sends the strokes; the kernel rasterises them
again (:func:`nnmath.data.draw_strokes`, the same pixels), puts them in MNIST's format, runs
:meth:`nnmath.network.MLP.predict_proba` and answers with the frame: the 28 × 28 input, the bars, the verdict.

**In the static book** (``static_mode = "page"``: every drawing is a state, far too many to precompute, and
the forward pass of a 784-256-128-10 network takes well under a millisecond in a page) the page carries the
network with every weight rounded to float16 (:func:`nnmath.analysis.with_rounded_weights`) and a few hundred
test images, and ``digit_pad.js`` computes :meth:`DigitLab.numbers` itself. ``tests/browser/test_digit_pad.py``
holds the two to a relative error of 1e-9 at random drawings, drawn strokes and every offered test image.
(JavaScript and numpy sum in different orders, so their numbers differ in the last bits; the one step where that
could matter, rounding a centre of mass to a whole-pixel shift, rounds it to 9 decimals first, on both sides.)
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import math
from importlib import resources

import numpy as np
from matplotlib.patches import Rectangle

from ..analysis import with_rounded_weights
from ..data.mnist import MNIST_BOX, MNIST_SIDE, check_strokes, draw_strokes, scale_pixels, to_mnist_format
from ..network import MLP
from ..plots import PALETTE, widget_figure
from ._base import FIGURE_SCRIPT, FigureView, Playground, static_html_enabled
from .controls import Choice, Control, Slider
from .static import page_data

__all__ = ["DigitLab", "DigitLabView", "Ink", "PAD_SCRIPT", "INK_SIZE", "STROKE_WIDTH", "SHOWN", "SAMPLE",
           "static_html"]

#: The page script (``digit_pad.js``): the pad, the controls, the forward pass.
PAD_SCRIPT = resources.files(__package__).joinpath("digit_pad.js").read_text(encoding="utf-8")

INK_SIZE = 140
"""The drawing pad's side in ink pixels (shown two screen pixels each)."""
STROKE_WIDTH = 12
"""The pen's default diameter, in ink pixels: strokes about as thick, once in MNIST's format, as MNIST's."""
SHOWN = 300
"""The test images offered by default: the first ``SHOWN``, and every mistake of the page's network after them."""
CLASSES = 10


def _three(size: int = INK_SIZE) -> list:
    """A 3 as a pen draws it: an upper arc, then a lower one, both open to the left (pad pixels, 0.1 apart)."""
    strokes = []
    for (cx, cy), radius, start, stop in (((70, 46), 24, 200, 450), ((70, 91), 28, 270, 515)):
        stroke = []
        for k in range(24):
            angle = math.radians(start + (stop - start) * k / 23)
            stroke += [round(cx + radius * math.cos(angle), 1), round(cy + radius * math.sin(angle), 1)]
        strokes.append(stroke)
    return strokes


SAMPLE = _three()
"""The drawing the pad shows first (a 3, in two strokes); the reader's first stroke replaces it."""


class Ink(Control):
    """A drawing: a list of strokes, each flat ``[x0, y0, x1, y1, ...]`` in pad pixels (x right, y down).

    The page draws it with the pointer on the widget's pad (``digit_pad.js``), not as a field beside the figure;
    :func:`nnmath.data.draw_strokes` turns it into ink. Values are kept as plain lists of floats, equal to the JSON
    the page sends, so that a drawing the kernel received is never sent back.
    """

    kind = "ink"

    def __init__(self, label: str, value=(), size: int = INK_SIZE):
        self.size = int(size)
        super().__init__(label, value)

    def coerce(self, value):
        if isinstance(value, (str, bytes, dict)) or not isinstance(value, (list, tuple)):
            raise TypeError(f"ink {self.label!r} takes a list of strokes [x0, y0, x1, y1, ...]; got "
                            f"{type(value).__name__} {value!r:.60}")
        check_strokes(value)  # every stroke, and the drawing's length, with a clear message
        return [[float(v) for v in stroke] for stroke in value]

    def spec(self) -> dict:
        return {**super().spec(), "size": self.size}

    def sweep(self, n: int = 7) -> list:
        """Nothing, the sample 3, a dot, a long diagonal, a stroke that leaves the pad."""
        s = float(self.size)
        return [[], SAMPLE, [[s / 2, s / 2]], [[0.1 * s, 0.1 * s, 0.9 * s, 0.9 * s]],
                [[0.5 * s, 0.2 * s, 0.5 * s, 1.3 * s]]]

    def text(self, value) -> str:
        """How many strokes."""
        return f"{len(value)} stroke{'s' if len(value) != 1 else ''}"


class DigitLabView(FigureView):
    """The live view of a :class:`DigitLab`: :class:`~nnmath.widgets.FigureView`'s traits and protocol, with the
    pad's script (``digit_pad.js``, which draws with ``figure.js``) as its front end."""

    _esm = (FIGURE_SCRIPT + "\n" + PAD_SCRIPT +
            "\nexport default { render: (view) => globalThis.nnmathDigitPad.live(view) };\n")


class DigitLab(Playground):
    r"""Draw a digit and see the network's probabilities; or pick a test image and see its prediction.

    Controls: what to show (``view``: the reader's drawing or a test image), the pen's ``width``, the test
    ``image`` (a position among the offered ones) and the drawing itself (``ink``, an :class:`Ink`, drawn on the
    pad). The figure: the pad (or the test image), the 28 × 28 input the network sees (the drawing in MNIST's
    format, :func:`nnmath.data.to_mnist_format`), and the ten probabilities with the verdict. Moving the pen's
    width re-inks the whole drawing.

    In the static book the page evaluates the forward pass itself (``static_mode = "page"``, ``digit_pad.js``):
    every drawing is a state, so none can be precomputed, and the module docstring says why the page side is its
    own script over ``figure.js``.

    Parameters
    ----------
    net : MLP
        A trained classifier of 784 inputs (pixels scaled by ``mean`` and ``sd``), ReLU hidden layers, 10 classes.
    mean, sd : float
        The pixel scaling of the training set, :func:`nnmath.data.pixel_statistics`.
    X_test : array_like, shape (n, 784)
        Test images with grey levels in [0, 1], unscaled (as :func:`nnmath.data.load_mnist_split` gives them).
    y_test : array_like of int, shape (n,)
    indices : sequence of int, optional
        Which test images to offer; by default the first ``SHOWN`` (300) and every later one that the page's
        network gets wrong.
    view : {"draw", "test"}, default "draw"
    width : int, default 12
    image : int, default 0
        The test image shown first (a position in ``indices``).
    ink : list of strokes, default ``SAMPLE`` (a 3)

    Attributes
    ----------
    page_net : MLP
        The network the static page runs: ``net`` with every weight rounded to float16.
    """

    title = "draw a digit"
    static_mode = "page"
    page_script = PAD_SCRIPT

    def __init__(self, net: MLP, mean, sd, X_test, y_test, indices=None, view="draw", width=STROKE_WIDTH, image=0,
                 ink=None):
        if not isinstance(net, MLP) or net.sizes[0] != MNIST_SIDE**2 or net.sizes[-1] != CLASSES or \
                net.loss.kind != "multiclass":
            raise ValueError(f"net must be an MLP classifier of {MNIST_SIDE**2} inputs and {CLASSES} classes; "
                             f"got {net!r}")
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
            wrong = np.flatnonzero(self.page_net.predict(scale_pixels(X_test, self.mean, self.sd)) != y_test)
            indices = np.union1d(np.arange(min(SHOWN, len(X_test))), wrong)
        self.indices = np.asarray(indices, dtype=np.intp)
        if self.indices.ndim != 1 or self.indices.size < 2 or self.indices.min() < 0 or \
                self.indices.max() >= len(X_test):
            raise ValueError(f"indices must pick at least 2 test images among 0..{len(X_test) - 1}")
        self.images = X_test[self.indices]
        self.image_labels = y_test[self.indices].astype(int)
        self.predictions = net.predict(scale_pixels(self.images, self.mean, self.sd)).astype(int)
        self.page_predictions = self.page_net.predict(scale_pixels(self.images, self.mean, self.sd)).astype(int)
        controls = {
            "view": Choice("show", view, [("your drawing", "draw"), ("a test image", "test")]),
            "width": Slider("pen width", width, 4, 28, 1, integer=True),
            "image": Slider("test image", image, 0, len(self.indices) - 1, 1, integer=True),
            "ink": Ink("the pad", SAMPLE if ink is None else ink),
        }
        fig, self.ax_pad = widget_figure(1, width=9.0, height=3.5)
        super().__init__(fig, controls)
        fig.set_layout_engine("none")
        self._build()

    def _build(self):
        fig = self.figure
        w, h = (float(v) * fig.dpi for v in fig.get_size_inches())

        def box(x, y, width, height):  # pixels from the left and from the bottom
            return [x / w, y / h, width / w, height / h]

        grey = {"cmap": "gray_r", "vmin": 0.0, "vmax": 1.0, "interpolation": "nearest"}
        self.ax_pad.set_position(box(20, 20, 280, 280))
        self.pad_image = self.ax_pad.imshow(np.zeros((INK_SIZE, INK_SIZE)), extent=(0, 1, 1, 0), **grey)
        self.ax_pad.set(xlim=(0, 1), ylim=(1, 0), xticks=[], yticks=[])
        self.ax_pad.set_title(" ", fontsize=10)
        self.ax_in = fig.add_axes(box(335, 160, 140, 140))
        self.in_image = self.ax_in.imshow(np.zeros((MNIST_SIDE, MNIST_SIDE)), extent=(0, 1, 1, 0), **grey)
        self.ax_in.set(xlim=(0, 1), ylim=(1, 0), xticks=[], yticks=[])
        self.ax_in.set_title("what the network sees", fontsize=10)
        self.ax_in.text(0.5, -0.06, f"{MNIST_SIDE} × {MNIST_SIDE} pixels, the digit scaled\nto {MNIST_BOX} × "
                        f"{MNIST_BOX} and centred by mass,\nas in MNIST", transform=self.ax_in.transAxes,
                        ha="center", va="top", fontsize=8, color="#444444")
        for ax in (self.ax_pad, self.ax_in):
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color("#888888")
        self.ax_p = fig.add_axes(box(535, 20, 290, 280))
        self.bars = [self.ax_p.add_patch(Rectangle((0, c - 0.36), 0, 0.72, facecolor=PALETTE["sky"], lw=0))
                     for c in range(CLASSES)]
        self.percents = [self.ax_p.text(1.02, c, "", va="center", ha="left", fontsize=9, clip_on=False)
                         for c in range(CLASSES)]
        self.ax_p.set(xlim=(0, 1), ylim=(CLASSES - 0.5, -0.5), yticks=range(CLASSES), xticks=[0, 0.5, 1],
                      xticklabels=["0%", "50%", "100%"])
        self.ax_p.set_title(" ", fontsize=10)
        self.dynamic = [self.pad_image, self.in_image, *self.bars, *self.percents, self.ax_pad.title,
                        self.ax_p.title]

    # -- the state ---------------------------------------------------------------------------------------------
    def numbers(self, view, width, image, ink, net=None) -> dict:
        """Every number and text the figure shows, computed with ``nnmath`` by ``net`` (by default the page's
        float16 network, ``page_net``: ``digit_pad.js`` computes the same).

        ``input``: the 784 pixels the network sees (row by row, grey levels in [0, 1]); ``p``: the ten
        probabilities (empty for a blank pad); ``said``: the predicted class (-1 for a blank pad); ``percents``:
        the ten probabilities as the bars label them; ``caption`` above the pad; ``verdict`` above the bars.
        """
        net = self.page_net if net is None else net
        if view == "draw":
            x = to_mnist_format(draw_strokes(ink, width, INK_SIZE))
            caption = "draw a digit here"
        else:
            x = self.images[image].reshape(MNIST_SIDE, MNIST_SIDE)
            caption = f"test image {int(self.indices[image])}"
        if not x.any():
            return {"input": x.ravel().tolist(), "p": [], "said": -1, "percents": [""] * CLASSES,
                    "caption": caption, "verdict": "draw a digit on the pad"}
        p = net.predict_proba(scale_pixels(x.reshape(1, -1), self.mean, self.sd))[0]
        said = int(np.argmax(p))
        verdict = f"the network says {said} ({100 * p[said]:.1f}%)"
        if view == "test":
            label = int(self.image_labels[image])
            verdict = f"label {label}: {verdict}" + ("" if said == label else ", a mistake")
        return {"input": x.ravel().tolist(), "p": p.tolist(), "said": said,
                "percents": [f"{100 * v:.1f}%" for v in p], "caption": caption, "verdict": verdict}

    def update(self, view, width, image, ink):
        s = self.numbers(view, width, image, ink, net=self.net)
        self.static_key = view
        if view == "draw":
            self.pad_image.set_data(draw_strokes(ink, width, INK_SIZE))
        else:
            self.pad_image.set_data(self.images[image].reshape(MNIST_SIDE, MNIST_SIDE))
        self.in_image.set_data(np.reshape(s["input"], (MNIST_SIDE, MNIST_SIDE)))
        p = s["p"] or [0.0] * CLASSES
        for c, (bar, text) in enumerate(zip(self.bars, self.percents)):
            bar.set_width(p[c])
            bar.set_facecolor(PALETTE["vermillion"] if c == s["said"] else PALETTE["sky"])
            text.set_text(s["percents"][c])
        self.ax_pad.set_title(s["caption"], fontsize=10)
        self.ax_p.set_title(s["verdict"], fontsize=10)

    def labels(self, view, width, image, ink) -> dict:
        """Beside the test image's slider: which test image, and its label."""
        return {"image": f"#{int(self.indices[image])}, a {int(self.image_labels[image])}"}

    def disabled(self, view, **_) -> list:
        """The test image's slider changes nothing while the drawing is shown, the pen's width nothing while a test
        image is."""
        return ["image"] if view == "draw" else ["width"]

    def spec(self, with_values: bool = False) -> dict:
        """:meth:`nnmath.widgets.Playground.spec`, and what the page's pad needs: the pad's rectangle and size, the
        drawing the pad shows first, and the offered images the network gets wrong (for the "next mistake" button)."""
        spec = super().spec(with_values)
        x, y, w, h = self._pad_box()
        spec["pad"] = {"box": [x, y, w, h], "size": INK_SIZE, "sample": SAMPLE,
                       "mistakes": np.flatnonzero(self.predictions != self.image_labels).tolist()}
        return spec

    def _pad_box(self) -> list:
        self._lay_out()
        box = self.ax_pad.get_window_extent()
        height = self.figure.canvas.get_width_height()[1]
        return [round(float(v), 2) for v in (box.x0, height - box.y1, box.width, box.height)]

    @property
    def widget(self) -> DigitLabView:
        """The live view (an anywidget): controls above the figure, the pad drawn on in the page."""
        if self._view is None:
            self.update(**self.values())
            frame = self.frame()
            self._view = DigitLabView(spec=self.spec(), values=self.values())
            self._send(frame)
            self._view.observe(self._on_request, names="request")
        return self._view

    def _repr_mimebundle_(self, **kwargs):
        if static_html_enabled():  # the book's build: the kernel-free version only
            return {"text/html": static_html(self), "text/plain": f"{self.title} (a live widget: it moves in a "
                                                                  "running notebook)"}
        return super()._repr_mimebundle_(**kwargs)

    def __repr__(self):
        return f"DigitLab(network {'-'.join(map(str, self.net.sizes))}, {len(self.indices)} test images)"

    # -- the kernel-free version -------------------------------------------------------------------------------
    def static_page(self) -> dict:
        """The page's equation (``digit_pad.js``) and what it computes with: the float16 weights (little-endian,
        base64), the pixel scaling, the offered test images (bytes 0..255, base64), their labels, the page
        network's predictions; one background per view."""
        net = self.page_net
        top = self.numbers(**self.values())["said"]
        other = (top + 1) % CLASSES
        data = {"sizes": list(net.sizes), "mean": self.mean, "sd": self.sd, "ink_size": INK_SIZE,
                "digit_box": MNIST_BOX, "side": MNIST_SIDE,
                "weights": [_b64(np.asarray(W, dtype="<f2").tobytes()) for W in net.W],
                "biases": [_b64(np.asarray(b, dtype="<f2").tobytes()) for b in net.b],
                "images": _b64(_levels(self.images)), "labels": self.image_labels.tolist(),
                "predictions": self.page_predictions.tolist(), "test_index": self.indices.tolist(),
                **self.spec()["pad"],
                "mistakes": np.flatnonzero(self.page_predictions != self.image_labels).tolist()}
        return {"equation": "digit_pad", "axes": {"pad": self.ax_pad, "input": self.ax_in, "p": self.ax_p},
                "templates": {"pad": self.pad_image, "input": self.in_image, "bar": self.bars[other],
                              "top": self.bars[top], "percent": self.percents[0], "caption": self.ax_pad.title,
                              "verdict": self.ax_p.title},
                "colormaps": {"ink": self.pad_image.get_cmap()},
                "backgrounds": [{"view": "draw"}, {"view": "test"}],
                "template_values": {"view": "draw", "ink": SAMPLE},
                "data": data}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _levels(x) -> bytes:
    """Grey levels in [0, 1] as bytes 0..255 (exact for MNIST's k/255)."""
    return np.round(np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0) * 255.0).astype(np.uint8).tobytes()


def static_html(lab: DigitLab, data: dict | None = None) -> str:
    """The widget as a self-contained HTML fragment that moves with no kernel: the markup of every kernel-free
    widget (``nnmath.widgets.static.static_html``), marked ``data-static="pad"``, with ``figure.js`` and then
    ``digit_pad.js``, which mounts it."""
    data = page_data(lab) if data is None else data
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    packed = base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode("ascii")
    ident = "nnmath-figure-" + hashlib.sha1(packed.encode("ascii")).hexdigest()[:12]
    note = ("This figure moves here without Python: the page carries the chapter's trained network (its weights "
            "rounded to float16) and computes the same steps as <code>nnmath</code> — the pen, MNIST's format, the "
            "forward pass — a test holds the two to the same numbers. In a live notebook the kernel computes them.")
    return (f'<div class="nnmath-figure" data-static="pad" data-widget="{type(lab).__name__}" id="{ident}">'
            '<div class="nnmath-figure-controls"></div>'
            f'<canvas width="{data["width"]}" height="{data["height"]}" role="img"></canvas>'
            f'<p class="nnmath-figure-note">{note}</p>'
            f'<script type="application/gzip+base64" class="nnmath-figure-data">{packed}</script>'
            f"<script>{FIGURE_SCRIPT}</script><script>{PAD_SCRIPT}</script></div>")
