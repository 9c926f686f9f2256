r"""The softmax temperature widget (chapter 3): :math:`\mathbf p = \operatorname{softmax}(\mathbf z / T)` as bars."""

from __future__ import annotations

import numpy as np

from ..activations import log_softmax, softmax
from ..plots import PALETTE, widget_figure
from ._base import Playground
from .controls import Slider
from .static import grid_control

__all__ = ["SoftmaxTemperaturePlayground", "LOGITS", "CLASSES"]

#: The default scores of five classes.
LOGITS = (3.0, 1.5, 0.8, 0.0, -1.0)
CLASSES = ("cat", "dog", "fox", "owl", "bee")


def entropy_bits(z):
    r"""Entropy of :math:`\mathbf p = \operatorname{softmax}(\mathbf z)` in bits, from the stable log-softmax.

    .. math::
        \frac{H(\mathbf p)}{\ln 2} = -\sum_c p_c \log_2 p_c = -\frac{1}{\ln 2} \sum_c p_c \log p_c

    (:math:`H(\mathbf p)` the entropy in nats of :func:`nnmath.losses.entropy`): 0 bits for a one-hot distribution,
    :math:`\log_2 k` for the uniform one.
    """
    log_p = log_softmax(z)
    return float(-np.sum(np.exp(log_p) * log_p) / np.log(2.0))


class SoftmaxTemperaturePlayground(Playground):
    r"""Logits of :math:`k` classes and the probabilities softmax makes of them, at a temperature :math:`T`.

    .. math::
        p_c = \operatorname{softmax}\!\left(\frac{\mathbf z + \Delta\mathbf 1}{T}\right)_c
        = \frac{e^{(z_c + \Delta)/T}}{\sum_j e^{(z_j + \Delta)/T}} = \frac{e^{z_c/T}}{\sum_j e^{z_j/T}}

    for the classes :math:`c = 0, \dots, k-1`. Left: the logits :math:`z_c + \Delta`. Right: the probabilities (filled
    bars) and, outlined, those at :math:`T = 1`. A small :math:`T` magnifies the differences between logits and the
    distribution tends to all mass on the largest one (an arg max); a large :math:`T` shrinks them and it tends to
    the uniform :math:`1/k` (dashed line). Adding the same :math:`\Delta` to every logit changes nothing on the right:
    the factor :math:`e^{\Delta/T}` cancels between top and bottom — which is why softmax can subtract
    :math:`z_{\max} = \max_j z_j` to avoid overflow. The title gives the entropy
    in bits, :math:`-\sum_c p_c \log_2 p_c`, from 0 bits (certain) to :math:`\log_2 k` (uniform).

    In the static book the states are precomputed (``static_mode = "grid"``): two controls, 41 temperatures × 9
    shifts, a few bars and labels each — 369 small states.
    """

    title = "softmax at a temperature"
    static_mode = "grid"

    def __init__(self, T=1.0, shift=0.0, logits=LOGITS, classes=CLASSES):
        self.z = np.asarray(logits, dtype=float)
        if self.z.ndim != 1 or self.z.size < 2 or not np.all(np.isfinite(self.z)):
            raise ValueError(f"logits must be at least 2 finite numbers; got {logits!r}")
        if len(classes) != self.z.size:
            raise ValueError(f"{len(classes)} class names for {self.z.size} logits")
        controls = {
            "T": Slider("temperature T", T, 10 ** -1.3, 10 ** 1.3, 0.02, log=True, fmt=".2f"),
            "shift": Slider("add Δ to every logit", shift, -10, 10, 0.5),
        }
        fig, (self.ax_z, self.ax_p) = widget_figure(2, width=9.0, height=3.8, width_ratios=[1, 1.3])
        super().__init__(fig, controls)
        k = self.z.size
        x = np.arange(k)
        self.z_bars = self.ax_z.bar(x, self.z, color=PALETTE["sky"], edgecolor="black", lw=0.6)
        self.z_texts = [self.ax_z.text(i, 0, "", ha="center", fontsize=8) for i in x]
        self.ax_z.axhline(0, color="black", lw=0.6)
        self.ax_z.set(xticks=x, xticklabels=classes, ylabel=r"logit $z_c + \Delta$", ylim=(-14, 16),
                      title="scores (logits)")
        p1 = softmax(self.z)
        self.p_bars = self.ax_p.bar(x, p1, color=PALETTE["blue"], label="p at this T")
        outline = self.ax_p.bar(x, p1, fill=False, edgecolor=PALETTE["orange"], lw=2, label="p at T = 1")
        self.p_texts = [self.ax_p.text(i, 0, "", ha="center", fontsize=8) for i in x]
        uniform = self.ax_p.axhline(1 / k, color=PALETTE["grey"], ls="--", lw=1, label=f"uniform 1/k = {1 / k:.2f}")
        self.ax_p.set(xticks=x, xticklabels=classes, ylim=(0, 1.12), ylabel=r"probability $p_c$")
        self.ax_p.legend(loc="upper right", fontsize=8)
        # the outlines and the uniform line are drawn after the moving bars, so that they stay on top
        self.dynamic = [*self.z_bars, *self.z_texts, *self.p_bars, *outline, uniform, *self.p_texts, self.ax_p.title]

    def probabilities(self, T, shift=0.0):
        """:math:`\\operatorname{softmax}((\\mathbf z + \\Delta)/T)` for the widget's logits."""
        return softmax((self.z + shift) / T)

    def static_controls(self):
        """The grid of the kernel-free version: 41 temperatures (0.05 to 20, log-spaced) × 9 shifts (−10 to 10)."""
        ctl = self.controls
        return [grid_control(ctl["T"], ctl["T"].grid(step=0.065), name="T"),
                grid_control(ctl["shift"], ctl["shift"].grid(step=2.5), name="shift")]

    def update(self, T, shift):
        shifted = self.z + shift
        p = softmax(shifted / T)
        for bar, text, value in zip(self.z_bars, self.z_texts, shifted):
            bar.set_height(value)
            text.set_position((bar.get_x() + bar.get_width() / 2, value + (0.4 if value >= 0 else -1.4)))
            text.set_text(f"{value:.1f}")
        for bar, text, value in zip(self.p_bars, self.p_texts, p):
            bar.set_height(value)
            text.set_position((bar.get_x() + bar.get_width() / 2, value + 0.015))
            text.set_text(f"{value:.2f}")
        H = entropy_bits(shifted / T)
        self.ax_p.set_title(f"p = softmax((z + Δ)/T) at T = {T:.2f}:  entropy {H:.2f} of {np.log2(self.z.size):.2f} "
                            "bits", fontsize=10)
