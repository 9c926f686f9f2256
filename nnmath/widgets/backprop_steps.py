r"""Backpropagation, one node at a time (chapter 6): a step slider walks the forward pass, then the backward pass,
through the scalar computational graph of a 2-2-1 network, with every value, local derivative and gradient."""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as w
import numpy as np
from matplotlib.patches import FancyArrowPatch
from matplotlib.transforms import Bbox

from ..backprop import Graph, tiny_network_graph
from ..plots import PALETTE, widget_figure
from ..plots.backprop import GRAD_COLOR, NODE_RADIUS, TINY_LAYOUT, draw_graph, format_number
from ._base import Playground
from ._png import rgb_png

__all__ = ["Step", "backprop_steps", "BackpropStepsPlayground", "backprop_steps_playground"]

_ACTIVATIONS = [("sigmoid σ", "sigmoid"), ("tanh", "tanh"), ("ReLU", "relu")]
_SYMBOL = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}
_FORWARD = PALETTE["blue"]
_MAX_EDGES = 5


class Step(NamedTuple):
    """One position of the step slider: what is shown, and the words and equation that explain it.

    ``edges`` holds ``(parent, child, label)`` for the highlighted edges; ``backward`` says which way their arrows
    point (the gradient flows from child to parent). ``values`` and ``grads`` are the nodes whose numbers are shown.
    """

    title: str
    equation: str
    note: str
    node: str | None
    backward: bool
    edges: tuple
    values: frozenset
    grads: frozenset


def _u(v) -> str:
    """A number for the panel, with a true minus sign."""
    return format_number(v)


def _p(v) -> str:
    """A number in parentheses when negative, for products such as 0.5 · (−0.3)."""
    text = _u(v)
    return f"({text})" if text.startswith("\u2212") else text


_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _uni(label: str) -> str:
    r"""A node's LaTeX label as plain Unicode text: ``w_{21}`` → w₂₁, ``\hat y`` → ŷ."""
    if label == r"\hat y":
        return "ŷ"
    base, _, sub = label.partition("_")
    return base + sub.strip("{}").translate(_SUB)


def _d(a: str, b: str) -> str:
    """∂a/∂b in plain text."""
    return f"∂{a}/∂{b}"


_F_UNI = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}


def _local_symbol(graph: Graph, child: str, parent: str) -> str:
    """The symbolic local derivative of ``child`` with respect to ``parent``, as it reads in the text."""
    node = graph[child]
    if node.op == "squared_error":
        return "2(ŷ − y)"
    if node.op == "activation":
        return f"{_F_UNI[node.detail]}′({_uni(graph[parent].label)})"
    if node.op == "affine":
        k = node.parents.index(parent)
        m = (len(node.parents) - 1) // 2  # weights, bias, inputs
        if k < m:
            return _uni(graph[node.parents[m + 1 + k]].label)  # a weight's local derivative is its input
        if k == m:
            return "1"
        return _uni(graph[node.parents[k - m - 1]].label)  # an input's local derivative is its weight
    return _u(node.local[node.parents.index(parent)])


def _forward_text(graph: Graph, name: str):
    node = graph[name]
    ulab = _uni(node.label)
    if node.op == "affine":
        m = (len(node.parents) - 1) // 2
        ws, b, xs = node.parents[:m], node.parents[m], node.parents[m + 1:]
        symbolic = " + ".join(f"{_uni(graph[wi].label)}{_uni(graph[xi].label)}" for wi, xi in zip(ws, xs))
        numbers = " + ".join(f"{_p(graph.value(wi))} · {_p(graph.value(xi))}" for wi, xi in zip(ws, xs))
        equation = (f"{ulab} = {symbolic} + {_uni(graph[b].label)} = {numbers} + {_p(graph.value(b))} "
                    f"= {_u(node.value)}")
        x0, w0, b0 = _uni(graph[xs[0]].label), _uni(graph[ws[0]].label), _uni(graph[b].label)
        note = (f"stored on the edges: {_d(ulab, w0)} = {x0} (a weight's local derivative is its input), "
                f"{_d(ulab, b0)} = 1, {_d(ulab, x0)} = {w0}")
        if name == "yhat":
            return f"the output {ulab}, a weighted sum (the output layer is linear)", equation, note
        return f"the weighted sum {ulab}", equation, note
    if node.op == "activation":
        z = graph[node.parents[0]]
        fu, uz = _F_UNI[node.detail], _uni(z.label)
        equation = f"{ulab} = {fu}({uz}) = {fu}({_u(z.value)}) = {_u(node.value)}"
        d = _u(node.local[0])
        if node.detail == "sigmoid":
            note = f"local derivative σ′({uz}) = {ulab}(1 − {ulab}) = {d}, from the output: no second exponential"
        elif node.detail == "tanh":
            note = f"local derivative tanh′({uz}) = 1 − {ulab}² = {d}, computed from the output"
        elif z.value > 0:
            note = f"local derivative ReLU′({uz}) = 1 because {uz} > 0: the unit is on and passes gradients unchanged"
        else:
            note = f"local derivative ReLU′({uz}) = 0 because {uz} ≤ 0: the unit is off and will pass no gradient back"
        return f"the activation {ulab} = {fu}({uz})", equation, note
    if node.op == "squared_error":
        yhat, y = (graph[p] for p in node.parents)
        equation = f"L = (ŷ − y)² = ({_u(yhat.value)} − {_p(y.value)})² = {_u(node.value)}"
        note = (f"local derivative ∂L/∂ŷ = 2(ŷ − y) = {_u(node.local[0])}. The forward pass is done: every value "
                "and every local derivative is stored.")
        return "the loss", equation, note
    raise ValueError(f"no forward text for the operation {node.op!r}")  # pragma: no cover


def _backward_note(graph: Graph, name: str, terms) -> str:
    node = graph[name]
    ulab = _uni(node.label)
    if node.op == "input":
        if len(terms) > 1:
            return (f"{ulab} feeds {len(terms)} nodes: one term per path (the multivariate chain rule). "
                    "The row ∂L/∂x is G[1] W[1]ᵀ, the dX of dense_backward.")
        return "an input's gradient: what a layer below this one would receive"
    if node.op == "param":
        if name == "c" or name.startswith("b"):
            return ("a bias's local derivative is 1: it receives the upstream gradient unchanged "
                    "(∂L/∂b = the column sums of G)")
        layer = "1" if graph[terms[0][0]].name.startswith("z") else "2"
        inp = "X" if layer == "1" else "H"
        return (f"a weight's gradient is (upstream gradient) × (the input it multiplies): one entry of "
                f"∂L/∂W[{layer}] = {inp}ᵀ G[{layer}]")
    if node.op == "activation":
        j = node.name[1:]
        return (f"{ulab} enters ŷ with weight v{j.translate(_SUB)}, so ∂ŷ/∂{ulab} = v{j.translate(_SUB)}: "
                "the dX step of the output layer, G[2] W[2]ᵀ")
    if node.op == "affine" and name != "yhat":
        h = _uni(graph[terms[0][0]].label)
        if terms[0][1] == 0:
            return f"{h} is off (ReLU′ = 0): the gradient stops here, and every weight below this unit gets exactly 0"
        return "through the activation: multiply by its local derivative. Together: G[1] = (G[2] W[2]ᵀ) ⊙ f′(Z[1])"
    if name == "yhat":
        return "L is the only child of ŷ: one term. For the squared error, G[2] = ∂L/∂ŷ = 2(ŷ − y)"
    return ""  # pragma: no cover


def backprop_steps(graph: Graph, output: str = "L") -> list:
    """Every position of the step slider for a graph: the leaves, each forward node, each backward node, a summary.

    Calls ``graph.backward(output)`` (so the gradients are filled in) and returns a list of :class:`Step`.
    """
    backward = graph.backward(output)
    forward = graph.forward_order()
    leaves = frozenset(n.name for n in graph if n.is_leaf)
    everything = frozenset(graph.nodes)
    inputs = [n for n in graph if n.op in ("input", "const")]
    start = ",  ".join(f"{_uni(n.label)} = {_u(n.value)}" for n in inputs)
    steps = [Step("start: the leaves hold the sample, the parameters and the target", start,
                  "blue: the input x; orange: weights and biases; grey: the target y. Move the slider to compute "
                  "the graph one node at a time.",
                  None, False, (), leaves, frozenset())]
    shown = set(leaves)
    for k, name in enumerate(forward, start=1):
        shown.add(name)
        what, equation, note = _forward_text(graph, name)
        node = graph[name]
        edges = tuple((p, name, _u(d)) for p, d in zip(node.parents, node.local) if graph[p].needs_grad)
        steps.append(Step(f"forward {k}/{len(forward)}: {what}", equation, note, name, False, edges,
                          frozenset(shown), frozenset()))
    done = set()
    for k, step in enumerate(backward, start=1):
        name = step.node
        node = graph[name]
        done.add(name)
        lab = node.label
        if not step.terms:
            equation = "∂L/∂L = 1"
            note = "The backward pass starts at the output and reaches each node only after every node it feeds."
            title = f"backward {k}/{len(backward)}: the seed"
        else:
            symbolic = " + ".join(f"{_d('L', _uni(graph[c].label))} · {_local_symbol(graph, c, name)}"
                                  for c, _, _ in step.terms)
            numbers = " + ".join(f"{_p(g)} · {_p(d)}" for _, d, g in step.terms)
            equation = f"{_d('L', _uni(lab))} = {symbolic} = {numbers} = {_u(step.grad)}"
            note = _backward_note(graph, name, step.terms)
            title = f"backward {k}/{len(backward)}: the gradient of {_uni(lab)}"
        edges = tuple((name, c, _u(d)) for c, d, _ in step.terms)
        steps.append(Step(title, equation, note, name, True, edges, everything, frozenset(done)))
    steps.append(_summary(graph, everything, frozenset(done)))
    return steps


def _summary(graph: Graph, values, grads) -> Step:
    def row(names):
        return "(" + ", ".join(_u(graph.grad(n)) for n in names) + ")"

    d_in = sum(1 for n in graph if n.op == "input")
    d_h = sum(1 for n in graph if n.op == "activation")
    W1 = ", ".join(row([f"w{i}{j}" for j in range(1, d_h + 1)]) for i in range(1, d_in + 1))
    b1 = row([f"b{j}" for j in range(1, d_h + 1)])
    W2 = row([f"v{j}" for j in range(1, d_h + 1)])
    equation = (f"∂L/∂W[1] = ({W1})    ∂L/∂b[1] = {b1}    ∂L/∂W[2]ᵀ = {W2}    "
                f"∂L/∂b[2] = {_u(graph.grad('c'))}")
    note = ("the same numbers as nm.dense_backward on the one-row batch X = x (checked in the chapter): "
            "backpropagation is this bookkeeping, done with matrices")
    return Step("done: every gradient, gathered into the shapes of the parameters", equation, note, None, True, (),
                values, grads)


class BackpropStepsPlayground(Playground):
    r"""Step through forward and backward passes of a 2-2-1 network on one sample, node by node.

    The graph is :func:`nnmath.backprop.tiny_network_graph` with the numbers of :data:`nnmath.backprop.TINY_NETWORK`:
    :math:`z_j = \sum_i x_i w_{ij} + b_j`, :math:`h_j = f(z_j)`, :math:`\hat y = \sum_j h_j v_j + c`,
    :math:`L = (\hat y - y)^2`. Step 0 shows the leaves; then each forward step computes one node (its value above
    it, its local derivatives on the highlighted edges); each backward step finishes one node's gradient
    :math:`\partial L/\partial u = \sum_v \partial L/\partial v \cdot \partial v/\partial u` (red, below it); the
    last step gathers the gradients into matrices. The panel below the graph gives the step's equation with numbers.

    Redraws are blitted: the graph is drawn once per (activation, phase) as a background, with every value in it
    during the backward phase; each step then draws only what moves, and the panel's text, whose equation is
    costly to typeset, is drawn once per step and then pasted from a cache.
    """

    def __init__(self, step=0, activation="sigmoid"):
        self._graphs: dict = {}
        self._steps: dict = {}
        n_steps = len(self.steps(activation))
        controls = {
            "step": w.IntSlider(value=step, min=0, max=n_steps - 1, step=1, description="step",
                                continuous_update=True, style={"description_width": "initial"},
                                layout=w.Layout(width="420px")),
            "activation": w.Dropdown(options=_ACTIVATIONS, value=activation, description="hidden f",
                                     layout=w.Layout(width="220px")),
        }
        fig, (self.ax, self.panel) = widget_figure(1, 2, width=9.6, height=5.3, height_ratios=[3.9, 1.25])
        super().__init__(fig, controls)
        graph = self.graph(activation)
        art = draw_graph(self.ax, graph, TINY_LAYOUT, values=True, grads=True)
        self.value_texts, self.grad_texts = art["values"], art["grads"]
        size = (2 * NODE_RADIUS + 6) ** 2
        self.ring = self.ax.scatter([0.0], [0.0], s=size, facecolors="none", edgecolors=_FORWARD, linewidths=2.2,
                                    zorder=2.5)
        self.arrows, self.edge_labels = [], []
        for _ in range(_MAX_EDGES):
            arrow = FancyArrowPatch((0, 0), (1, 1), arrowstyle="-|>", mutation_scale=13, shrinkA=NODE_RADIUS + 2,
                                    shrinkB=NODE_RADIUS + 2, lw=2.2, color=_FORWARD, zorder=1.5)
            self.ax.add_patch(arrow)
            self.arrows.append(arrow)
            self.edge_labels.append(self.ax.text(0, 0, "", ha="center", va="center", fontsize=9, zorder=4,
                                                 bbox={"facecolor": "white", "edgecolor": _FORWARD,
                                                       "boxstyle": "round,pad=0.25", "lw": 1.0}))
        hx = TINY_LAYOUT["h1"][0]
        self.caption = self.ax.text(hx, -2.3, "", ha="center", va="center", fontsize=9, color="#444444")
        self.ax.text(0.0, 1.0, "black: value    ", transform=self.ax.transAxes, fontsize=9, va="bottom")
        self.ax.text(0.11, 1.0, "red: gradient ∂L/∂(node)    ", transform=self.ax.transAxes, fontsize=9,
                     va="bottom", color=GRAD_COLOR, fontweight="bold")
        self.ax.text(0.36, 1.0, "on the highlighted edges: local derivatives", transform=self.ax.transAxes,
                     fontsize=9, va="bottom", color=_FORWARD)
        self.panel.axis("off")
        self.panel.set_xlim(0, 1)
        self.panel.set_ylim(0, 1)
        self.title_text = self.panel.text(0.004, 0.93, "", fontsize=11, fontweight="bold", va="top")
        self.equation_text = self.panel.text(0.004, 0.58, "", fontsize=12.5, va="center")
        self.note_text = self.panel.text(0.004, 0.12, "", fontsize=9.5, va="center", color="#333333")
        # the leaves' values never change with the step: only the operations' values move (in the forward phase)
        self._values = [t for name, t in self.value_texts.items() if not graph[name].is_leaf]
        self._highlight = [self.ring, *self.arrows, *self.edge_labels]
        self._panel_texts = [self.title_text, self.equation_text, self.note_text]
        self._moving = [*self._highlight, *self.value_texts.values(), *self.grad_texts.values(), *self._panel_texts]
        self.dynamic = self._moving  # everything a step may change (what the kernel-free version records)
        self.static_key = activation
        self._key = (activation, False)
        self._step = step
        self._backgrounds: dict = {}  # one per (activation, phase): at most six
        self._laid_out = False
        self._panel_cache: dict = {}

    def graph(self, activation) -> Graph:
        """The scalar graph for this hidden activation (built once, then cached)."""
        if activation not in self._graphs:
            self._graphs[activation] = tiny_network_graph(activation=activation)
        return self._graphs[activation]

    def steps(self, activation) -> list:
        """The slider's steps for this hidden activation (see ``backprop_steps`` in this module)."""
        if activation not in self._steps:
            self._steps[activation] = backprop_steps(self.graph(activation))
        return self._steps[activation]

    def update(self, step, activation):
        graph = self.graph(activation)
        steps = self.steps(activation)
        step = int(np.clip(step, 0, len(steps) - 1))
        s = steps[step]
        self._key, self._step = (activation, s.backward), step
        self.static_key = activation  # the caption under the hidden units names the activation
        f = _SYMBOL[activation]
        self.caption.set_text(rf"$h_j = {f}(z_j)$")
        for name, text in self.value_texts.items():
            text.set_text(format_number(graph.value(name)))
            text.set_visible(name in s.values)
        for name, text in self.grad_texts.items():
            g = graph.grad(name)
            text.set_text("" if g is None else format_number(g))
            text.set_visible(name in s.grads and g is not None)
        color = GRAD_COLOR if s.backward else _FORWARD
        if s.node is None:
            self.ring.set_visible(False)
        else:
            self.ring.set_visible(True)
            self.ring.set_offsets([TINY_LAYOUT[s.node]])
            self.ring.set_edgecolors([color])
        for k, (arrow, label) in enumerate(zip(self.arrows, self.edge_labels)):
            if k < len(s.edges):
                parent, child, text = s.edges[k]
                a, b = TINY_LAYOUT[parent], TINY_LAYOUT[child]
                arrow.set_positions(*((b, a) if s.backward else (a, b)))
                arrow.set_color(color)
                arrow.set_visible(True)
                where = 0.5 if s.backward else 0.45
                label.set_position((a[0] + where * (b[0] - a[0]), a[1] + where * (b[1] - a[1])))
                label.set_text(text)
                label.get_bbox_patch().set_edgecolor(color)
                label.set_color(color)
                label.set_visible(True)
            else:
                arrow.set_visible(False)
                label.set_visible(False)
        self.title_text.set_text(f"step {int(step)} of {len(steps) - 1} · {s.title}")
        self.equation_text.set_text(s.equation)
        self.note_text.set_text(s.note)

    def static_controls(self):
        """The grid of the kernel-free version: every step, for each of the three activations (75 states)."""
        from .static import grid_control  # only needed to build the static book's version

        step = self.controls["step"]
        return [grid_control(step, values=list(range(step.min, step.max + 1)), name="step"),
                grid_control(self.controls["activation"], name="activation")]

    def render(self) -> bytes:
        canvas = self.figure.canvas
        if not self._laid_out:
            canvas.draw()  # lay out once with every artist in place, then freeze the layout
            self.figure.set_layout_engine("none")
            self._laid_out = True
        activation, backward = self._key
        # in the backward phase every value is shown and fixed: draw them into the background
        moving = [*self._highlight, *self.grad_texts.values()] + ([] if backward else self._values)
        if self._key not in self._backgrounds:
            drawn_by_hand = set(map(id, moving + self._panel_texts))
            for artist in self._moving:
                artist.set_animated(id(artist) in drawn_by_hand)
            canvas.draw()
            self._backgrounds[self._key] = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._backgrounds[self._key])
        for artist in moving:
            self.figure.draw_artist(artist)
        panel_key = (activation, self._step)
        if panel_key in self._panel_cache:
            canvas.restore_region(self._panel_cache[panel_key])
        else:
            for artist in self._panel_texts:
                self.figure.draw_artist(artist)
            if len(self._panel_cache) > 3 * len(self.steps(activation)):
                self._panel_cache.clear()
            self._panel_cache[panel_key] = canvas.copy_from_bbox(self._panel_region())
        return rgb_png(canvas.buffer_rgba())

    def _panel_region(self):
        top = self.panel.get_window_extent().y1 + 2
        return Bbox([[0, 0], [self.figure.bbox.width, top]])


def backprop_steps_playground(**initial):
    """Make the chapter 6 step-through widget (see :class:`BackpropStepsPlayground`)."""
    return BackpropStepsPlayground(**initial)
