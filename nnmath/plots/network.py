"""Drawings of network architectures (chapter 1)."""

from __future__ import annotations

import numpy as np

from ..layers import count_parameters, layer_shapes
from ._style import PALETTE, describe, static_figure

__all__ = ["architecture", "draw_architecture"]


def _layer_names(n_layers: int) -> list[str]:
    if n_layers == 2:
        return ["input", "output"]
    return ["input"] + [f"hidden {i}" for i in range(1, n_layers - 1)] + ["output"]


def draw_architecture(ax, sizes, *, max_drawn: int = 8, activations=None, show_shapes: bool = False,
                      values=None) -> None:
    r"""Draw a dense network as columns of neurons joined by every connection.

    Layers wider than ``max_drawn`` are drawn with their first and last neurons and a gap marked
    by dots; the label under each column gives the true width. ``activations``, if given, is one
    name per weight layer and is written under the columns it applies to. With ``show_shapes``,
    each weight layer :math:`\ell` is labelled above its connections with the shapes of
    :math:`W^{[\ell]}` and :math:`\mathbf b^{[\ell]}` and its :math:`(d_{\ell-1} + 1)\, d_\ell` parameters.
    ``values``, if given, is one array per layer (the input, then each layer's activations for one
    sample) written beside the neurons; it is only drawn for layers of at most ``max_drawn`` neurons.
    """
    shapes = layer_shapes(sizes)  # validates sizes
    sizes = [shapes[0][0][0]] + [w[1] for w, _ in shapes]
    names = _layer_names(len(sizes))
    positions = []
    for x, d in enumerate(sizes):
        if d <= max_drawn:
            ys = np.linspace(-(d - 1) / 2, (d - 1) / 2, d) if d > 1 else np.zeros(1)
        else:
            half = max_drawn // 2
            top = np.arange(half) - (max_drawn) / 2
            ys = np.concatenate([top, -top[::-1]])
        positions.append((x, np.sort(ys)[::-1]))
    for (x0, ys0), (x1, ys1) in zip(positions[:-1], positions[1:]):
        for y0 in ys0:
            for y1 in ys1:
                ax.plot([x0, x1], [y0, y1], color=PALETTE["grey"], lw=0.6, alpha=0.6, zorder=1)
    if activations is not None and len(activations) != len(sizes) - 1:
        raise ValueError(f"need one activation per weight layer ({len(sizes) - 1}); got {len(activations)}")
    acts = [None] + list(activations) if activations is not None else [None] * len(sizes)
    layer_colors = [PALETTE["sky"]] + [PALETTE["orange"]] * (len(sizes) - 2) + [PALETTE["green"]]
    low = min(ys.min() for _, ys in positions)
    for (x, ys), d, color, name, act in zip(positions, sizes, layer_colors, names, acts):
        ax.scatter(np.full(len(ys), x), ys, s=260, color=color, edgecolor="black", lw=1, zorder=2)
        if d > max_drawn:
            ax.text(x, 0, "⋮", ha="center", va="center", fontsize=16, zorder=3)
        label = f"{name}\n{d} neuron{'s' if d != 1 else ''}" + (f"\nf = {act}" if act else "")
        ax.text(x, low - 0.7, label, ha="center", va="top", fontsize=9)
    high = max(ys.max() for _, ys in positions)
    if show_shapes:
        for ell, ((w_shape, b_shape), x) in enumerate(zip(shapes, range(len(sizes) - 1)), start=1):
            n = w_shape[0] * w_shape[1] + b_shape[0]
            ax.text(x + 0.5, high + 0.75, f"$W^{{[{ell}]}}$: {w_shape[0]}×{w_shape[1]}\n"
                    f"$\\mathbf{{b}}^{{[{ell}]}}$: {b_shape[0]}\n{n:,} parameters",
                    ha="center", va="bottom", fontsize=8.5, color="#444444")
    if values is not None:
        if len(values) != len(sizes):
            raise ValueError(f"need one array of values per layer ({len(sizes)}); got {len(values)}")
        for (x, ys), d, vals in zip(positions, sizes, values):
            vals = np.ravel(np.asarray(vals, dtype=float))
            if vals.size != d:
                raise ValueError(f"a layer of {d} neurons needs {d} values; got {vals.size}")
            if d > max_drawn:
                continue
            for y, v in zip(ys, vals):
                ax.text(x, y + 0.3, f"{v:.3g}", ha="center", va="bottom", fontsize=9, zorder=4,
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.5})
    ax.set_xlim(-0.6, len(sizes) - 0.4)
    ax.set_ylim(low - 2.0, high + (2.6 if show_shapes else 0.8))
    ax.axis("off")


def architecture(sizes, *, activations=None, title: str | None = None, show_shapes: bool = False, values=None,
                 max_drawn: int = 8):
    r"""A figure of a dense network with its parameter count in the title.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input first, e.g. ``[2, 3, 1]``.
    activations : sequence of str, optional
        One activation name per weight layer, written above the columns.
    title : str, optional
        Defaults to the layer list and :math:`P = \sum_\ell (d_{\ell-1} + 1)\, d_\ell`.
    show_shapes : bool, default False
        Label each weight layer with the shapes of :math:`W` and :math:`\mathbf b` and its parameter count.
    values : sequence of array_like, optional
        One array per layer (input, then activations) written beside the neurons: a forward pass drawn.

    Returns
    -------
    matplotlib.figure.Figure
    """
    n_params = count_parameters(sizes)
    drawn = min(max(sizes), max_drawn)
    span = (drawn - 1) + 2.0 + (2.6 if show_shapes else 0.8)  # the y-range draw_architecture uses
    fig, ax = static_figure(width=1.6 + 1.5 * len(sizes), height=max(3.4 if values is None else 3.8, 0.6 + 0.36 * span))
    draw_architecture(ax, sizes, max_drawn=max_drawn, activations=activations, show_shapes=show_shapes,
                      values=values)
    layers = " → ".join(str(d) for d in sizes)
    ax.set_title(title or f"{layers}:  {n_params:,} parameters")
    names = _layer_names(len(sizes))
    columns = ", ".join(f"{name} ({d})" for name, d in zip(names, sizes))
    text = (f"A dense network drawn as columns of neurons, every neuron joined to every neuron of the next column: "
            f"{columns}; {n_params:,} parameters in all.")
    if activations is not None:
        text += " Activations, layer by layer: " + ", ".join(activations) + "."
    if values is not None:
        text += " Each neuron is labelled with its value for one input."
    return describe(fig, text)
