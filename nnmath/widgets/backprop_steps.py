r"""Backpropagation, one node at a time (chapter 6): a step slider walks the forward pass, then the backward pass,
through the scalar computational graph of a 2-2-1 network, with every value, local derivative and gradient.

:func:`backprop_steps` writes the slider's steps (what each shows, its equation with numbers and a note) from a
:class:`nnmath.backprop.Graph`; :class:`BackpropStepsPlayground` draws them.
"""

from __future__ import annotations

from typing import NamedTuple

from matplotlib.patches import FancyArrowPatch

from ..backprop import Graph, tiny_network_graph
from ..plots import PALETTE, widget_figure
from ..plots.backprop import GRAD_COLOR, NODE_RADIUS, TINY_LAYOUT, draw_graph, format_number
from ._base import Playground
from .controls import Choice, Slider
from .static import grid_control

__all__ = ["Step", "backprop_steps", "BackpropStepsPlayground", "ACTIVATION_CHOICES"]

#: The hidden activations offered, as (label, name) pairs.
ACTIVATION_CHOICES = [("sigmoid σ", "sigmoid"), ("tanh", "tanh"), ("ReLU", "relu")]
_SYMBOL = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}
_FORWARD = PALETTE["blue"]
_MAX_EDGES = 5  # the most edges one step highlights (z₁ in the forward pass: two weights, a bias, two inputs)


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


def _factor(v) -> str:
    """A number as a factor of a product: in parentheses when negative, as in 0.5 · (−0.3)."""
    text = format_number(v)
    return f"({text})" if text.startswith("\u2212") else text


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _plain_label(label: str) -> str:
    r"""A node's LaTeX label as plain Unicode text: ``w_{21}`` → w₂₁, ``\hat y`` → ŷ."""
    if label == r"\hat y":
        return "ŷ"
    base, _, sub = label.partition("_")
    return base + sub.strip("{}").translate(_SUBSCRIPTS)


def _text_label(graph: Graph, name: str) -> str:
    """The plain-text label of node ``name`` of ``graph``."""
    return _plain_label(graph[name].label)


def _partial(a: str, b: str) -> str:
    """The partial derivative ∂a/∂b, in plain text."""
    return f"∂{a}/∂{b}"


_ACTIVATION_TEXT = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU"}


def _local_symbol(graph: Graph, child: str, parent: str) -> str:
    """The symbolic local derivative of ``child`` with respect to ``parent``, as it reads in the text."""
    node = graph[child]
    if node.op == "squared_error":
        return "2(ŷ − y)"
    if node.op == "activation":
        return f"{_ACTIVATION_TEXT[node.detail]}′({_text_label(graph, parent)})"
    if node.op == "affine":
        k = node.parents.index(parent)
        m = (len(node.parents) - 1) // 2  # weights, bias, inputs
        if k < m:
            return _text_label(graph, node.parents[m + 1 + k])  # a weight's local derivative is its input
        if k == m:
            return "1"
        return _text_label(graph, node.parents[k - m - 1])  # an input's local derivative is its weight
    return format_number(node.local[node.parents.index(parent)])


def _forward_text(graph: Graph, name: str):
    node = graph[name]
    label = _plain_label(node.label)
    if node.op == "affine":
        m = (len(node.parents) - 1) // 2
        ws, b, xs = node.parents[:m], node.parents[m], node.parents[m + 1:]
        symbolic = " + ".join(f"{_text_label(graph, wi)}{_text_label(graph, xi)}" for wi, xi in zip(ws, xs))
        numbers = " + ".join(f"{_factor(graph.value(wi))} · {_factor(graph.value(xi))}" for wi, xi in zip(ws, xs))
        equation = (f"{label} = {symbolic} + {_text_label(graph, b)} = {numbers} + {_factor(graph.value(b))} "
                    f"= {format_number(node.value)}")
        x0, w0, b0 = _text_label(graph, xs[0]), _text_label(graph, ws[0]), _text_label(graph, b)
        note = (f"stored on the edges: {_partial(label, w0)} = {x0} (a weight's local derivative is its input), "
                f"{_partial(label, b0)} = 1, {_partial(label, x0)} = {w0}")
        if name == "yhat":
            return f"the output {label}, a weighted sum (the output layer is linear)", equation, note
        return f"the weighted sum {label}", equation, note
    if node.op == "activation":
        z = graph[node.parents[0]]
        f, z_label = _ACTIVATION_TEXT[node.detail], _plain_label(z.label)
        equation = f"{label} = {f}({z_label}) = {f}({format_number(z.value)}) = {format_number(node.value)}"
        d = format_number(node.local[0])
        if node.detail == "sigmoid":
            note = (f"local derivative σ′({z_label}) = {label}(1 − {label}) = {d}, from the output: no second "
                    "exponential")
        elif node.detail == "tanh":
            note = f"local derivative tanh′({z_label}) = 1 − {label}² = {d}, computed from the output"
        elif z.value > 0:
            note = (f"local derivative ReLU′({z_label}) = 1 because {z_label} > 0: the unit is on and passes gradients "
                    "unchanged")
        else:
            note = (f"local derivative ReLU′({z_label}) = 0 because {z_label} ≤ 0: the unit is off and will pass no "
                    "gradient back")
        return f"the activation {label} = {f}({z_label})", equation, note
    if node.op == "squared_error":
        yhat, y = (graph[p] for p in node.parents)
        equation = (f"L = (ŷ − y)² = ({format_number(yhat.value)} − {_factor(y.value)})² "
                    f"= {format_number(node.value)}")
        note = (f"local derivative ∂L/∂ŷ = 2(ŷ − y) = {format_number(node.local[0])}. The forward pass is done: "
                "every value and every local derivative is stored.")
        return "the loss", equation, note
    raise ValueError(f"no forward text for the operation {node.op!r}")  # pragma: no cover


def _backward_note(graph: Graph, name: str, terms) -> str:
    node = graph[name]
    label = _plain_label(node.label)
    if node.op == "input":
        if len(terms) > 1:
            return (f"{label} feeds {len(terms)} nodes: one term per path (the multivariate chain rule). "
                    "The row ∂L/∂x is G[1] W[1]ᵀ, the dX of dense_backward.")
        return "an input's gradient: what a layer below this one would receive"
    if node.op == "param":
        if name == "c" or name.startswith("b"):
            return ("a bias's local derivative is 1: it receives the upstream gradient unchanged "
                    "(∂L/∂b = the column sums of G)")
        layer = "1" if graph[terms[0][0]].name.startswith("z") else "2"
        layer_input = "X" if layer == "1" else "H"
        return (f"a weight's gradient is (upstream gradient) × (the input it multiplies): one entry of "
                f"∂L/∂W[{layer}] = {layer_input}ᵀ G[{layer}]")
    if node.op == "activation":
        v = "v" + node.name[1:].translate(_SUBSCRIPTS)  # h_j's weight into the output
        return f"{label} enters ŷ with weight {v}, so ∂ŷ/∂{label} = {v}: the dX step of the output layer, G[2] W[2]ᵀ"
    if node.op == "affine" and name != "yhat":
        h = _text_label(graph, terms[0][0])
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
    start = ",  ".join(f"{_plain_label(n.label)} = {format_number(n.value)}" for n in inputs)
    steps = [Step("start: the leaves hold the sample, the parameters and the target", start,
                  "blue: the input x; orange: weights and biases; grey: the target y. Move the slider to compute "
                  "the graph one node at a time.",
                  None, False, (), leaves, frozenset())]
    shown = set(leaves)
    for k, name in enumerate(forward, start=1):
        shown.add(name)
        what, equation, note = _forward_text(graph, name)
        node = graph[name]
        edges = tuple((p, name, format_number(d)) for p, d in zip(node.parents, node.local) if graph[p].needs_grad)
        steps.append(Step(f"forward {k}/{len(forward)}: {what}", equation, note, name, False, edges,
                          frozenset(shown), frozenset()))
    done = set()
    for k, step in enumerate(backward, start=1):
        name = step.node
        node = graph[name]
        done.add(name)
        if not step.terms:
            equation = "∂L/∂L = 1"
            note = "The backward pass starts at the output and reaches each node only after every node it feeds."
            title = f"backward {k}/{len(backward)}: the seed"
        else:
            label = _plain_label(node.label)
            symbolic = " + ".join(f"{_partial('L', _text_label(graph, c))} · {_local_symbol(graph, c, name)}"
                                  for c, _, _ in step.terms)
            numbers = " + ".join(f"{_factor(g)} · {_factor(d)}" for _, d, g in step.terms)
            equation = f"{_partial('L', label)} = {symbolic} = {numbers} = {format_number(step.grad)}"
            note = _backward_note(graph, name, step.terms)
            title = f"backward {k}/{len(backward)}: the gradient of {label}"
        edges = tuple((name, c, format_number(d)) for c, d, _ in step.terms)
        steps.append(Step(title, equation, note, name, True, edges, everything, frozenset(done)))
    steps.append(_summary(graph, everything, frozenset(done)))
    return steps


def _summary(graph: Graph, values, grads) -> Step:
    def row(names):
        return "(" + ", ".join(format_number(graph.grad(n)) for n in names) + ")"

    d_in = sum(1 for n in graph if n.op == "input")
    d_h = sum(1 for n in graph if n.op == "activation")
    W1 = ", ".join(row([f"w{i}{j}" for j in range(1, d_h + 1)]) for i in range(1, d_in + 1))
    b1 = row([f"b{j}" for j in range(1, d_h + 1)])
    W2 = row([f"v{j}" for j in range(1, d_h + 1)])
    equation = (f"∂L/∂W[1] = ({W1})    ∂L/∂b[1] = {b1}    ∂L/∂W[2]ᵀ = {W2}    "
                f"∂L/∂b[2] = {format_number(graph.grad('c'))}")
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

    In the static book the states are precomputed (``static_mode = "grid"``): every step for each of the three
    activations, 75 states of a few dozen short texts and arrows each. The steps are a list of texts written by
    ``backprop_steps`` from the graph, not a formula of the controls: there is nothing for the page to compute.
    """

    title = "backpropagation, step by step"
    static_mode = "grid"

    def __init__(self, step=0, activation="sigmoid"):
        self._graphs: dict = {}
        self._steps: dict = {}
        n_steps = len(self.steps(activation))
        controls = {
            "step": Slider("step", step, 0, n_steps - 1, 1, integer=True),
            "activation": Choice("hidden f", activation, ACTIVATION_CHOICES),
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
        self.title_text = self.panel.text(0.01, 0.93, "", fontsize=11, fontweight="bold", va="top")
        self.equation_text = self.panel.text(0.01, 0.58, "", fontsize=12.5, va="center")
        self.note_text = self.panel.text(0.01, 0.12, "", fontsize=9.5, va="center", color="#333333")
        # everything a step may change; the caption under the hidden units (TeX) names the activation: static_key
        self.dynamic = [self.ring, *self.arrows, *self.edge_labels, *self.value_texts.values(),
                        *self.grad_texts.values(), self.title_text, self.equation_text, self.note_text]

    def graph(self, activation) -> Graph:
        """The scalar graph for this hidden activation (built once, then cached)."""
        if activation not in self._graphs:
            self._graphs[activation] = tiny_network_graph(activation=activation)
        return self._graphs[activation]

    def steps(self, activation) -> list:
        """The slider's steps for this hidden activation (see ``backprop_steps``)."""
        if activation not in self._steps:
            self._steps[activation] = backprop_steps(self.graph(activation))
        return self._steps[activation]

    def update(self, step, activation):
        graph = self.graph(activation)
        steps = self.steps(activation)
        s = steps[int(step)]
        self.static_key = activation
        self.caption.set_text(rf"$h_j = {_SYMBOL[activation]}(z_j)$")
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
                arrow.set_positions(*((b, a) if s.backward else (a, b)))  # the gradient flows from child to parent
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
        return [grid_control(self.controls["step"], name="step"),
                grid_control(self.controls["activation"], name="activation")]
