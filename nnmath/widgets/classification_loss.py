r"""The classification-loss widget (chapter 4): cross-entropy versus squared error for one predicted probability."""

from __future__ import annotations

from importlib import resources

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..losses import binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_prime, mse, mse_prime
from ..plots import PALETTE, widget_figure
from ._base import Playground
from .controls import Choice, Slider, format_value

__all__ = ["ClassificationLossPlayground", "loss_and_gradients", "P_MIN", "CONFIDENT"]

#: The slider's smallest probability (and 1 - P_MIN its largest): logits within about ±6.9.
P_MIN = 0.001
#: A prediction below this for the true class is a confident mistake (shaded).
CONFIDENT = 0.1
_AXES = [("probability p", "p"), ("logit z = log(p/(1 − p))", "z")]


def _num(v: float) -> str:
    """Three decimals, or two significant digits in scientific notation for the tiny values near p = 1; always
    with a sign (the page formats the same way)."""
    text = format_value(v, ".3f") if abs(v) >= 0.01 or v == 0 else f"{v:.1e}"
    return text if text.startswith("-") else "+" + text


def loss_and_gradients(p):
    r"""Both losses of one prediction :math:`p` of the true class (:math:`y = 1`), and their gradients in the logit.

    With :math:`z = \log\frac{p}{1-p}` (so that :math:`p = \sigma(z)`),

    .. math::
        \mathrm{CE} = -\log p, \quad \frac{\partial\,\mathrm{CE}}{\partial z} = p - 1; \qquad
        \mathrm{MSE} = (p - 1)^2, \quad \frac{\partial\,\mathrm{MSE}}{\partial z} = 2(p - 1)\,p(1 - p),

    computed with :func:`nnmath.losses.binary_cross_entropy_with_logits` and its ``_prime``, and with
    :func:`nnmath.losses.mse_prime` times :func:`nnmath.activations.sigmoid_prime` (the chain rule through
    :math:`p = \sigma(z)`).

    Returns
    -------
    dict
        ``z``, ``ce``, ``mse``, ``d_ce``, ``d_mse`` as floats.
    """
    p = float(np.clip(p, P_MIN / 10, 1 - P_MIN / 10))
    z = np.array([np.log(p / (1.0 - p))])
    one = np.ones(1)
    p_arr = sigmoid(z)
    return {
        "z": float(z[0]),
        "ce": binary_cross_entropy_with_logits(z, one),
        "mse": mse(p_arr, one),
        "d_ce": float(binary_cross_entropy_with_logits_prime(z, one)[0]),
        "d_mse": float((mse_prime(p_arr, one) * sigmoid_prime(z))[0]),
    }


class ClassificationLossPlayground(Playground):
    r"""How cross-entropy and squared error judge one prediction, and how hard each pushes back.

    A classifier gives probability :math:`p = \sigma(z)` to the true class (:math:`y = 1`). Left: the two losses
    as functions of :math:`p` (or of the logit :math:`z`), the cross-entropy :math:`-\log p`, which grows
    without bound as :math:`p \to 0`, and the squared error :math:`(p - 1)^2`, which never exceeds 1 however
    confident the mistake. Right: their gradients with respect to the logit, which is what training uses
    (see ``loss_and_gradients``),

    .. math::
        \frac{\partial\,\mathrm{CE}}{\partial z} = p - 1, \qquad
        \frac{\partial\,\mathrm{MSE}}{\partial z} = 2(p - 1)\,p(1 - p).

    Their ratio is :math:`1/(2p(1 - p)) \ge 2`: for a confident mistake (shaded, :math:`p < 0.1`) the squared
    error's gradient vanishes with :math:`p`, while the cross-entropy's tends to :math:`-1`.

    In the static book the page evaluates the same closed form (``static_mode = "page"``,
    ``classification_loss.js``): the markers and titles are four formulas of :math:`p`; the curves belong to the
    picture of the rest of the figure, one per x axis.
    """

    title = "cross-entropy and squared error for one prediction"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("classification_loss.js").read_text(encoding="utf-8")

    def __init__(self, p=0.05, axis="p"):
        controls = {
            "p": Slider("probability of the true class p", p, P_MIN, 1 - P_MIN, 0.001),
            "axis": Choice("x axis", axis, _AXES),
        }
        fig, (self.ax_l, self.ax_g) = widget_figure(2, width=10.0, height=4.0)
        super().__init__(fig, controls)
        self.z_max = float(np.log((1 - P_MIN) / P_MIN))
        self.z = np.linspace(-self.z_max, self.z_max, 601)
        self.p = sigmoid(self.z)
        curves = [loss_and_gradients(p) for p in self.p]
        self.curves = {key: np.array([c[key] for c in curves]) for key in ("ce", "mse", "d_ce", "d_mse")}
        blue, red = PALETTE["blue"], PALETTE["vermillion"]
        self.shades = [ax.axvspan(0, 1, color=PALETTE["grey"], alpha=0.18, lw=0,
                                  label=f"confident mistake: p < {CONFIDENT:g}") for ax in (self.ax_l, self.ax_g)]
        (self.ce_line,) = self.ax_l.plot([], [], color=blue, lw=2.2, label="cross-entropy  −log p")
        (self.mse_line,) = self.ax_l.plot([], [], "--", color=red, lw=2.2, label="squared error  (p − 1)²")
        self.ax_l.axhline(1.0, color=red, lw=0.8, ls=":")
        self.ax_l.text(0.99, 1.0, "squared error ≤ 1 ", color=red, fontsize=8, ha="right", va="bottom",
                       transform=self.ax_l.get_yaxis_transform())
        (self.d_ce_line,) = self.ax_g.plot([], [], color=blue, lw=2.2, label="cross-entropy:  p − 1")
        (self.d_mse_line,) = self.ax_g.plot([], [], "--", color=red, lw=2.2, label="squared error:  2(p − 1)p(1 − p)")
        for ax in (self.ax_l, self.ax_g):
            ax.axhline(0, color="black", lw=0.5)
        self.markers = [ax.plot([], [], "o", color=c, ms=8, mec="white", mew=1.2, zorder=5)[0]
                        for ax, c in ((self.ax_l, blue), (self.ax_l, red), (self.ax_g, blue), (self.ax_g, red))]
        self.cursors = [ax.axvline(0, color=PALETTE["black"], lw=0.8, ls=":") for ax in (self.ax_l, self.ax_g)]
        self.ax_l.set(ylabel="loss", ylim=(-0.25, 7.4))
        self.ax_g.set(ylabel="∂loss/∂z", ylim=(-1.1, 0.12))
        self.ax_l.legend(loc="upper right", fontsize=8)
        self.ax_g.legend(loc="lower right", fontsize=8)
        self.dynamic = [*self.cursors, *self.markers, self.ax_l.title, self.ax_g.title]
        self._axis = None

    def x_range(self, axis) -> tuple:
        """The x axis's range: the probabilities (0, 1), or the logits of the slider's ends."""
        return (0.0, 1.0) if axis == "p" else (float(self.z[0]), float(self.z[-1]))

    def _set_axis(self, axis):
        """The curves, shades and labels for the x axis ``axis`` (the picture behind the markers)."""
        x = self.p if axis == "p" else self.z
        lo, hi = self.x_range(axis)
        edge = CONFIDENT if axis == "p" else float(np.log(CONFIDENT / (1 - CONFIDENT)))
        for line, key in ((self.ce_line, "ce"), (self.mse_line, "mse"), (self.d_ce_line, "d_ce"),
                          (self.d_mse_line, "d_mse")):
            line.set_data(x, self.curves[key])
        for shade in self.shades:
            shade.set_x(lo)
            shade.set_width(edge - lo)
        label = "predicted probability of the true class p" if axis == "p" else "logit z (p = σ(z))"
        for ax in (self.ax_l, self.ax_g):
            ax.set(xlim=(lo, hi), xlabel=label)
        self._axis = axis

    def numbers(self, p, axis) -> dict:
        """Every number and text the figure shows for these controls, computed with ``nnmath`` (the page's
        ``classification_loss.js`` computes the same): the losses and gradients of ``loss_and_gradients``,
        the markers' x position and the two titles."""
        v = loss_and_gradients(p)
        ratio = v["d_ce"] / v["d_mse"]
        return {**v, "x": p if axis == "p" else v["z"],
                "title_l": f"p = {format_value(p, '.3f')} (z = {_num_z(v['z'])}):  CE = {_num(v['ce'])[1:]},  "
                           f"squared error = {_num(v['mse'])[1:]}",
                "title_g": f"∂/∂z: CE {_num(v['d_ce'])}, squared error {_num(v['d_mse'])} "
                           f"(CE pushes {format_value(ratio, '.3g')}× harder)"}

    def update(self, p, axis):
        self.static_key = axis
        if self._axis != axis:
            self._set_axis(axis)
        v = self.numbers(p, axis)
        x = v["x"]
        for marker, y in zip(self.markers, (v["ce"], v["mse"], v["d_ce"], v["d_mse"])):
            marker.set_data([x], [y])
        for cursor in self.cursors:
            cursor.set_xdata([x, x])
        self.ax_l.set_title(v["title_l"], fontsize=9.5)
        self.ax_g.set_title(v["title_g"], fontsize=9.5)

    def static_page(self) -> dict:
        """The page's equation (``classification_loss.js``) and what it draws with: the x range of each axis and
        one background per axis."""
        axes = [value for _, value in _AXES]
        return {"equation": "classification_loss", "axes": {"loss": self.ax_l, "grad": self.ax_g},
                "templates": {"cursor_l": self.cursors[0], "cursor_g": self.cursors[1],
                              **{f"marker_{k}": m for k, m in enumerate(self.markers)},
                              "title_l": self.ax_l.title, "title_g": self.ax_g.title},
                "backgrounds": [{"axis": a} for a in axes],
                "data": {"axes": axes, "x_ranges": [list(self.x_range(a)) for a in axes], "p_min": P_MIN}}


def _num_z(z: float) -> str:
    """The logit with two decimals and a sign (the page formats the same way)."""
    text = format_value(z, ".2f")
    return text if text.startswith("-") else "+" + text
