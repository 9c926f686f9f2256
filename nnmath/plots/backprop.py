r"""Figures of chapter 6 (backpropagation): computational graphs, the cost of a gradient, the shapes of a dense
layer's gradients, the gradient check's step size, and the softmax + cross-entropy gradient."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, Rectangle

from ..activations import softmax
from ..backprop import Graph, pass_costs
from ..gradcheck import numerical_gradient
from ._style import PALETTE, describe, static_figure
from .linear import best_time

__all__ = ["NODE_FILL", "TINY_LAYOUT", "format_number", "draw_graph", "chain_rule_graphs", "gradient_timings",
           "gradient_cost", "dense_gradient_shapes", "gradcheck_step_sizes", "softmax_ce_gradient"]

#: Fill colour of a node by its kind: inputs, weights and biases, constants (targets) and operations.
NODE_FILL = {"input": "#bfe1f6", "param": "#f8dca0", "const": "#dddddd", "op": "white"}

#: Where each node of :func:`nnmath.backprop.tiny_network_graph` (2 inputs, 2 hidden units) is drawn.
TINY_LAYOUT = {
    "x1": (0.0, 0.9), "x2": (0.0, -0.9),
    "w11": (0.6, 2.3), "w21": (1.6, 2.3), "b1": (2.6, 2.3),
    "w12": (0.6, -2.3), "w22": (1.6, -2.3), "b2": (2.6, -2.3),
    "z1": (3.3, 0.9), "z2": (3.3, -0.9),
    "h1": (4.9, 0.9), "h2": (4.9, -0.9),
    "v1": (6.3, 2.3), "v2": (6.3, -2.3), "c": (7.3, 2.3),
    "yhat": (8.0, 0.0), "y": (9.5, -1.7), "L": (9.5, 0.0),
}

NODE_RADIUS = 13.0  # points
GRAD_COLOR = PALETTE["vermillion"]


def format_number(v: float, digits: int = 3) -> str:
    """A number with ``digits`` significant digits, a true minus sign, and no ``-0``."""
    v = float(v)
    if abs(v) < 0.5 * 10.0 ** (-12):
        return "0"
    text = f"{v:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "\u2212")


def _node_kind(node) -> str:
    return node.op if node.op in ("input", "param", "const") else "op"


def draw_graph(ax, graph: Graph, positions: dict, *, values: bool = True, grads: bool = True,
               fontsize: float = 8.5, edge_color: str = "#8a8a8a") -> dict:
    r"""Draw a :class:`nnmath.backprop.Graph`: nodes as circles, edges as arrows from parent to child.

    Each node shows its label inside, its value above (black) and its gradient :math:`\partial L/\partial v`
    below (vermillion) once :meth:`nnmath.backprop.Graph.backward` has filled it in. The data aspect is free:
    circles and arrow ends are sized in points.

    Returns
    -------
    dict
        The artists by role, for widgets that update them: ``"nodes"`` (one scatter), ``"labels"``,
        ``"values"`` and ``"grads"`` (name → text) and ``"edges"`` ((parent, child) → arrow).
    """
    names = [n for n in graph.nodes if n in positions]
    xy = np.array([positions[n] for n in names])
    fills = [NODE_FILL[_node_kind(graph[n])] for n in names]
    size = (2 * NODE_RADIUS) ** 2
    edges = {}
    for node in graph:
        for parent in node.parents:
            if (parent, node.name) in edges or parent not in positions or node.name not in positions:
                continue
            arrow = FancyArrowPatch(positions[parent], positions[node.name], arrowstyle="-|>", mutation_scale=9,
                                    shrinkA=NODE_RADIUS + 1, shrinkB=NODE_RADIUS + 1, color=edge_color, lw=1.0,
                                    zorder=1)
            ax.add_patch(arrow)
            edges[(parent, node.name)] = arrow
    nodes = ax.scatter(xy[:, 0], xy[:, 1], s=size, c=fills, edgecolors="black", linewidths=1.0, zorder=2)
    labels, value_texts, grad_texts = {}, {}, {}
    r = NODE_RADIUS
    for name, (x, y) in zip(names, xy):
        node = graph[name]
        # leaves send their edges to the right, so their numbers sit on the left; operations the other way
        sign, ha = (-1, "right") if node.is_leaf else (1, "left")
        labels[name] = ax.text(x, y, f"${node.label}$", ha="center", va="center", fontsize=fontsize + 2, zorder=3)
        value_texts[name] = ax.annotate(format_number(node.value), (x, y), xytext=(sign * 0.95 * r, 0.95 * r),
                                        textcoords="offset points", ha=ha, va="bottom", fontsize=fontsize,
                                        zorder=3, visible=values)
        grad = "" if node.grad is None else format_number(node.grad)
        grad_texts[name] = ax.annotate(grad, (x, y), xytext=(sign * 0.95 * r, -0.95 * r), textcoords="offset points",
                                       ha=ha, va="top", fontsize=fontsize, color=GRAD_COLOR, zorder=3,
                                       fontweight="bold", visible=grads and node.grad is not None)
    pad_x = 0.09 * (xy[:, 0].max() - xy[:, 0].min() + 1)
    pad_y = 0.2 * (xy[:, 1].max() - xy[:, 1].min() + 1)
    ax.set_xlim(xy[:, 0].min() - pad_x, xy[:, 0].max() + pad_x)
    ax.set_ylim(xy[:, 1].min() - pad_y, xy[:, 1].max() + pad_y)
    ax.axis("off")
    return {"nodes": nodes, "labels": labels, "values": value_texts, "grads": grad_texts, "edges": edges}


def _edge_label(ax, positions, parent, child, text, color, where=0.5):
    (x0, y0), (x1, y1) = positions[parent], positions[child]
    return ax.text(x0 + where * (x1 - x0), y0 + where * (y1 - y0), text, ha="center", va="center", fontsize=8.5,
                   color=color, zorder=4, bbox={"facecolor": "white", "edgecolor": color, "boxstyle": "round,pad=0.2",
                                                "lw": 0.8})


def chain_rule_graphs(chain: Graph, diamond: Graph):
    r"""Two small computational graphs after their backward pass, with every local derivative on its edge.

    Left, a chain (one path from each leaf to the output): the gradient is the product of the local derivatives
    along the path. Right, a node that feeds two others: its gradient is the sum over the two paths. Call
    :meth:`nnmath.backprop.Graph.backward` on both first; nodes are placed in columns by their depth.
    """
    fig, axes = static_figure(2, width=10.0, height=3.6, width_ratios=[1.45, 1])
    for ax, graph, title in ((axes[0], chain, "a chain: multiply along the path"),
                             (axes[1], diamond, "two paths: add them")):
        positions = _layered_positions(graph)
        draw_graph(ax, graph, positions)
        for node in graph:
            for parent, d in zip(node.parents, node.local):
                if graph[parent].needs_grad:
                    _edge_label(ax, positions, parent, node.name, format_number(d), PALETTE["blue"])
        ax.set_title(title)
    fig.supxlabel("black: value (forward pass)      red: gradient ∂L/∂v (backward pass)      "
                  "blue: local derivative ∂child/∂parent on each edge", fontsize=9)
    return describe(fig, f"Two small computational graphs after their backward pass, each node showing its value and "
                         f"its gradient and each edge its local derivative. Left, a chain of {len(list(chain))} nodes: "
                         f"a leaf's gradient is the product of the local derivatives along its one path to the "
                         f"output. Right, a graph of {len(list(diamond))} nodes in which one node feeds two others: "
                         f"its gradient is the sum over the two paths.")


def _layered_positions(graph: Graph) -> dict:
    """Columns by depth (leaves left), rows spread evenly within each column."""
    depth = {}
    for node in graph:
        depth[node.name] = 1 + max((depth[p] for p in node.parents), default=-1)
    # a leaf sits one column before its first child
    for node in graph:
        for p in node.parents:
            if graph[p].is_leaf:
                depth[p] = max(0, min(depth[p] if depth[p] > 0 else 99, depth[node.name] - 1))
    columns: dict = {}
    for name, d in depth.items():
        columns.setdefault(d, []).append(name)
    positions = {}
    for d, names in columns.items():
        ops = [n for n in names if not graph[n].is_leaf]
        leaves = [n for n in names if graph[n].is_leaf]
        if ops:
            ys = list(np.linspace(1, -1, len(ops)) if len(ops) > 1 else [0.0])
            ys += [min(ys) - 1.0 - i for i in range(len(leaves))]
        else:
            ys = list(np.linspace(1, -1, len(leaves)) if len(leaves) > 1 else [0.0])
        for name, y in zip(ops + leaves, ys):
            positions[name] = (1.6 * d, float(y))
    return positions


def gradient_timings(net, X, y, repeat: int = 20, fd_repeat: int = 3) -> dict:
    r"""Measured seconds for one gradient of ``net`` on ``(X, y)``, three ways: the forward pass alone, forward and
    backward (:meth:`nnmath.network.MLP.loss_and_gradients`), and centred finite differences of the loss, two loss
    evaluations per parameter (:func:`nnmath.gradcheck.numerical_gradient`).

    Each is the fastest of ``repeat`` runs (``fd_repeat`` for the finite differences,
    ``nnmath.plots.linear.best_time``): the run least disturbed by the rest of the machine. The keys are the
    labels :func:`gradient_cost` draws. The times depend on the machine and the moment: draw them, never print them
    in a notebook whose outputs are checked. The network's parameters are restored afterwards.
    """
    theta = net.get_params()

    def loss_at(v):
        net.set_params(v)
        return net.compute_loss(X, y)

    try:
        return {
            "forward": best_time(lambda: net.forward(X), repeat=repeat),
            "forward +\nbackward": best_time(lambda: net.loss_and_gradients(X, y), repeat=repeat),
            f"finite differences\n(all 2|θ| = {2 * net.n_parameters}\nloss evaluations)":
                best_time(lambda: numerical_gradient(loss_at, theta), repeat=fd_repeat),
        }
    finally:
        net.set_params(theta)


def gradient_cost(sizes, n: int = 64, timings: dict | None = None, timing_title: str = "measured on this machine"):
    r"""The cost of one gradient of a dense network: backpropagation against one-parameter-at-a-time methods.

    Left: multiply-adds of the matrix products (:func:`nnmath.backprop.pass_costs`), log scale. Right, if
    ``timings`` (label → seconds) is given: measured times, log scale, under the title ``timing_title``.
    """
    costs = pass_costs(sizes, n)
    ncols = 2 if timings else 1
    fig, axes = static_figure(ncols, width=10.0 if timings else 5.6, height=3.6)
    axes = np.atleast_1d(axes)
    labels = ["forward pass", "backward pass", "forward mode", "finite\ndifferences"]
    notes = ["", "", "\n(|θ| tangent passes)", "\n(2|θ| forward passes)"]
    counts = [costs.forward, costs.backward, costs.forward_mode, costs.finite_differences]
    colors = [PALETTE["blue"], PALETTE["vermillion"], PALETTE["grey"], PALETTE["grey"]]
    ax = axes[0]
    bars = ax.bar(range(4), counts, color=colors)
    ax.set_yscale("log")
    ax.set_xticks(range(4), labels, fontsize=8.5)
    ax.set_ylabel("multiply-adds (log scale)")
    for bar, count, note in zip(bars, counts, notes):
        ratio = count / costs.forward
        text = f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.2g}×"
        ax.text(bar.get_x() + bar.get_width() / 2, count * 1.3, text + note, ha="center", va="bottom", fontsize=8.5)
    ax.set_ylim(costs.forward / 3, costs.finite_differences * 40)
    arch = "-".join(str(s) for s in sizes)
    ax.set_title(f"one gradient of a {arch} network\n(|θ| = {costs.parameters:,} parameters, batch of {n})",
                 fontsize=10)
    if timings:
        ax = axes[1]
        names, seconds = list(timings), list(timings.values())
        tcolors = [PALETTE["blue"], PALETTE["vermillion"], PALETTE["grey"]] + [PALETTE["grey"]] * len(names)
        bars = ax.bar(range(len(names)), seconds, color=tcolors[: len(names)])
        ax.set_yscale("log")
        ax.set_xticks(range(len(names)), names, fontsize=8.5)
        ax.set_ylabel("seconds (log scale)")
        for bar, s in zip(bars, seconds):
            ax.text(bar.get_x() + bar.get_width() / 2, s * 1.3, _seconds(s), ha="center", va="bottom", fontsize=8.5)
        ax.set_ylim(min(seconds) / 3, max(seconds) * 40)
        ax.set_title(timing_title, fontsize=10)
    text = (f"Bars on a log axis of the multiply-adds one gradient of a {arch} network costs (|θ| = "
            f"{costs.parameters:,} parameters, batch of {n}): the backward pass costs "
            f"{costs.backward / costs.forward:.2g} forward passes, forward mode "
            f"{costs.forward_mode / costs.forward:,.0f} and finite differences "
            f"{costs.finite_differences / costs.forward:,.0f}.")
    if timings:
        text += " A second panel shows measured times of " + ", ".join(timings) + " on a log axis."
    return describe(fig, text)


def _seconds(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.1f} s"


def dense_gradient_shapes(n: int = 5, d_in: int = 3, d_out: int = 2):
    r"""The three gradients of a dense layer drawn as matrix products, each block sized by its shape.

    .. math::
        \underbrace{\partial L/\partial W}_{(d_\text{in}, d_\text{out})} = \underbrace{X^\top}_{(d_\text{in}, n)}
        \underbrace{G}_{(n, d_\text{out})}, \qquad
        \underbrace{\partial L/\partial X}_{(n, d_\text{in})} = \underbrace{G}_{(n, d_\text{out})}
        \underbrace{W^\top}_{(d_\text{out}, d_\text{in})}, \qquad
        \underbrace{\partial L/\partial \mathbf b}_{(d_\text{out},)} = \mathbf 1^\top G
    """
    fig, ax = static_figure(width=10.0, height=2.5)
    colors = {"X": PALETTE["sky"], "G": PALETTE["vermillion"], "W": PALETTE["orange"], "1": PALETTE["grey"]}
    unit = 0.32
    rows = [
        [(r"\partial L/\partial W", d_in, d_out, "W"), "=", (r"X^\top", d_in, n, "X"), (r"G", n, d_out, "G")],
        [(r"\partial L/\partial X", n, d_in, "X"), "=", (r"G", n, d_out, "G"), (r"W^\top", d_out, d_in, "W")],
        [(r"\partial L/\partial \mathbf{b}", 1, d_out, "W"), "=", (r"\mathbf{1}^\top", 1, n, "1"),
         (r"G", n, d_out, "G")],
    ]
    x0 = 0.0
    top = max(n, d_in) * unit
    for row in rows:
        x = x0
        for item in row:
            if item == "=":
                ax.text(x + 0.15, top / 2, "=", ha="center", va="center", fontsize=14)
                x += 0.45
                continue
            label, r, c, key = item
            h, w = r * unit, c * unit
            y = (top - h) / 2
            ax.add_patch(Rectangle((x, y), w, h, facecolor=colors[key], alpha=0.35, edgecolor="black", lw=1))
            for i in range(1, r):
                ax.plot([x, x + w], [y + i * unit] * 2, color="black", lw=0.3, alpha=0.5)
            for j in range(1, c):
                ax.plot([x + j * unit] * 2, [y, y + h], color="black", lw=0.3, alpha=0.5)
            ax.text(x + w / 2, y + h + 0.08, f"${label}$", ha="center", va="bottom", fontsize=10)
            shape = f"({c},)" if label.endswith(r"\mathbf{b}") else f"({r}, {c})"
            ax.text(x + w / 2, y - 0.08, shape, ha="center", va="top", fontsize=8.5, color="#444444")
            x += w + 0.2
        x0 = x + 0.7
    ax.set_xlim(-0.1, x0 - 0.5)
    ax.set_ylim(-0.5, top + 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(rf"a dense layer's gradients for $n = {n}$ samples, $d_\mathrm{{in}} = {d_in}$, "
                 rf"$d_\mathrm{{out}} = {d_out}$: each gradient has the shape (and here the colour) of its variable")
    return describe(fig, f"The three gradients of a dense layer drawn as products of blocks sized by their shapes, for "
                         f"n = {n}, d_in = {d_in}, d_out = {d_out}: ∂L/∂W ({d_in}, {d_out}) = Xᵀ ({d_in}, {n}) times G "
                         f"({n}, {d_out}); ∂L/∂X ({n}, {d_in}) = G times Wᵀ ({d_out}, {d_in}); ∂L/∂b ({d_out},) = "
                         f"a row of ones (1, {n}) times G. Each gradient has the shape of its variable.")


def gradcheck_step_sizes(hs, errors, *, chosen: float = 1e-5):
    r"""Relative error between backpropagation and centred differences, as a function of the step :math:`h`.

    For large :math:`h` the difference quotient's truncation error, :math:`O(h^2)`, dominates; for small
    :math:`h`, rounding: :math:`f(\mathbf x \pm h\mathbf e_i)` carry errors of about :math:`\epsilon|f|` with
    :math:`\epsilon \approx 2.2\times 10^{-16}`, and dividing by :math:`2h` magnifies them to :math:`O(\epsilon/h)`.
    """
    hs, errors = np.asarray(hs, dtype=float), np.asarray(errors, dtype=float)
    fig, ax = static_figure(width=6.4, height=3.8)
    ax.loglog(hs, errors, "o-", color=PALETTE["blue"], lw=1.8, ms=4, label="measured")
    i = int(np.argmin(np.abs(np.log(hs / chosen))))
    big = hs > chosen * 30
    small = hs < chosen / 30
    if big.any():
        j = int(np.flatnonzero(big)[0])
        ax.loglog(hs[big], 8 * errors[j] * (hs[big] / hs[j]) ** 2, "--", color=PALETTE["orange"], lw=1.4,
                  label=r"slope 2: truncation error, $O(h^2)$")
    if small.any():
        j = int(np.flatnonzero(small)[-1])
        ax.loglog(hs[small], 8 * errors[j] * (hs[j] / hs[small]), "--", color=PALETTE["green"], lw=1.4,
                  label=r"slope −1: rounding error, $O(\epsilon/h)$")
    ax.plot([hs[i]], [errors[i]], "o", ms=10, mfc="none", mec=PALETTE["vermillion"], mew=2,
            label=f"h = {chosen:g} (nnmath's default)")
    ax.set(xlabel="step h (log scale)", ylabel="relative error (log scale)",
           title="gradient check: the step size matters")
    ax.legend(fontsize=8.5, loc="upper center")
    best = int(np.argmin(errors))
    return describe(fig, f"On log–log axes, the relative error between backpropagation and centred differences "
                         f"against the step h from {hs.min():.0e} to {hs.max():.0e}: a V shape, falling with slope 2 "
                         f"for large h (truncation error) and rising with slope −1 for small h (rounding error), "
                         f"lowest near h = {hs[best]:.0e}; nnmath's default step, h = {chosen:g}, is circled.")


def softmax_ce_gradient(z, label: int):
    r"""Softmax + cross-entropy for one sample: the probabilities :math:`\mathbf p`, the one-hot target
    :math:`\mathbf y`, and the gradient with respect to the logits, :math:`\mathbf p - \mathbf y`."""
    z = np.asarray(z, dtype=float)
    k = z.size
    p = softmax(z)
    y = np.zeros(k)
    y[label] = 1.0
    fig, axes = static_figure(3, width=10.0, height=3.0, sharey=True)
    classes = np.arange(k)
    panels = [(p, r"probabilities $\mathbf{p} = \mathrm{softmax}(\mathbf{z})$", PALETTE["blue"]),
              (y, r"target $\mathbf{y}$ (one-hot)", PALETTE["grey"]),
              (p - y, r"gradient $\partial L/\partial \mathbf{z} = \mathbf{p} - \mathbf{y}$", GRAD_COLOR)]
    for ax, (vals, title, color) in zip(axes, panels):
        ax.bar(classes, vals, color=color)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xticks(classes, [f"{c}" for c in classes])
        ax.set_xlabel("class c")
        ax.set_title(title, fontsize=10)
        for c, v in zip(classes, vals):
            ax.text(c, v + (0.03 if v >= 0 else -0.03), format_number(v, 2), ha="center",
                    va="bottom" if v >= 0 else "top", fontsize=8)
    axes[0].set_ylim(-1.15, 1.15)
    return describe(fig, f"Three bar charts over the {k} classes: the softmax probabilities p ("
                         + ", ".join(format_number(v, 2) for v in p) + f"), the one-hot target y with its 1 at class "
                         f"{label}, and the gradient p − y, negative only at the true class ("
                         f"{format_number(p[label] - 1, 2)}) and equal to p elsewhere.")
