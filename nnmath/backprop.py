r"""Backpropagation spelled out (chapter 6): a computational graph of scalar nodes, and what a gradient costs.

A **computational graph** breaks a computation into nodes, each one a simple operation of its parents.
The forward pass computes every node's value :math:`v` and, beside it, the **local derivatives**
:math:`\partial v / \partial u` with respect to each parent :math:`u`. The backward pass visits the nodes in
reverse order and accumulates the gradient :math:`\partial L / \partial v` of the output with respect to each node
from those of its children (the multivariate chain rule):

.. math::
    \frac{\partial L}{\partial L} = 1, \qquad
    \frac{\partial L}{\partial u} = \sum_{v \,\in\, \text{children}(u)} \frac{\partial L}{\partial v}\,
    \frac{\partial v}{\partial u} .

Every local derivative is used exactly once, so the backward pass costs about as much as the forward pass,
however many parameters there are (reverse-mode automatic differentiation).

* :class:`Graph` and :class:`Node`: a tiny reverse-mode engine of scalar nodes, eager like micrograd: each
  operation (add, multiply, max, square, scale, a weighted sum, an activation, a squared error) computes its value
  and local derivatives when it is created; :meth:`Graph.backward` visits the nodes children-first and adds each
  edge's share into the parent's gradient with ``+=``, so a value used twice gets both shares;
  :meth:`Graph.tape` and :meth:`Graph.from_tape` write a graph as a list and back.
* :func:`tiny_network_graph`: the scalar graph of a one-hidden-layer network on one sample, whose numbers are
  those of :func:`nnmath.layers.dense_forward` and :func:`nnmath.layers.dense_backward` (the chapter's
  step-through widget draws it); :data:`TINY_NETWORK` holds the chapter's numbers.
* :func:`layer_by_layer`: backpropagation through an :class:`nnmath.network.MLP` written with the layer
  functions, keeping every layer's :math:`G^{[\ell]} = \partial L/\partial Z^{[\ell]}` (the four equations).
* :func:`pass_costs`: multiply-adds of a forward pass, a backward pass, forward mode and finite differences, and
  the numbers the forward pass must keep for the backward pass.

The chapter's other pieces live with their kin: the backward step through a sigmoid from its cached output
in :func:`nnmath.activations.sigmoid_backward`, the check of every weight array of a network against
centred differences in :func:`nnmath.gradcheck.check_network_gradients`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._checks import as_array, as_int
from .activations import get_activation
from .layers import (
    activation_backward,
    activation_forward,
    count_parameters,
    dense_backward,
    dense_forward,
    layer_shapes,
)
from .losses import mse, mse_prime

__all__ = [
    "Node", "Graph", "BackwardStep", "tiny_network_graph", "TINY_NETWORK",
    "LayerByLayer", "layer_by_layer", "PassCosts", "pass_costs",
]


# --- the graph ------------------------------------------------------------------------------------

@dataclass
class Node:
    r"""One scalar node of a :class:`Graph`.

    Attributes
    ----------
    name : str
        Unique key, e.g. ``"z1"``.
    op : str
        ``"input"``, ``"param"``, ``"const"`` (leaves) or the operation: ``"add"``, ``"mul"``, ``"max"``,
        ``"square"``, ``"scale"``, ``"affine"``, ``"activation"``, ``"squared_error"`` (``"tape"`` for a node
        read from a tape).
    parents : tuple of str
        The nodes it is computed from, in the order of ``local``.
    value : float
        Its value, computed in the forward pass.
    local : tuple of float
        :math:`\partial v / \partial u` for each parent :math:`u`, computed in the forward pass.
    label : str
        LaTeX for drawings, e.g. ``"z_1"``.
    detail : str
        Extra information about the operation (the activation's name, the scaling constant).
    grad : float or None
        The adjoint :math:`\partial L / \partial v` after :meth:`Graph.backward`; None before (and for constants).
    """

    name: str
    op: str
    parents: tuple
    value: float
    local: tuple
    label: str
    detail: str = ""
    grad: float | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.parents

    @property
    def needs_grad(self) -> bool:
        """Constants (such as a target) get no gradient; everything else does."""
        return self.op != "const"


class BackwardStep(NamedTuple):
    r"""One node's turn in the backward pass: :math:`\partial L/\partial u = \sum_v (\partial L/\partial v)\,
    \partial v/\partial u`.

    ``terms`` holds one ``(child, local, child_grad)`` triple per edge from ``node`` to a child; ``grad`` is
    their sum of products (1 for the output, which seeds the pass).
    """

    node: str
    terms: tuple
    grad: float


@dataclass
class Graph:
    """A computational graph of scalar nodes, built eagerly in topological order.

    Each method adds one node, computes its value and its local derivatives at once, and returns its name, so
    expressions read like the math::

        g = Graph()
        x, w, b = g.input("x", 1.5), g.param("w", 0.8), g.param("b", -0.5)
        z = g.affine("z", [x], [w], b)
        a = g.activation("a", z, "sigmoid")
        steps = g.backward(a)        # fills g[name].grad

    Attributes
    ----------
    nodes : dict[str, Node]
        In creation order, which is a topological order (every node after its parents).
    """

    nodes: dict = field(default_factory=dict)

    def __getitem__(self, name) -> Node:
        try:
            return self.nodes[name]
        except KeyError:
            raise ValueError(f"unknown node {name!r}; the graph has {list(self.nodes)}") from None

    def __iter__(self):
        return iter(self.nodes.values())

    def __len__(self) -> int:
        return len(self.nodes)

    def value(self, name) -> float:
        """The value of node ``name``, computed when it was created."""
        return self[name].value

    def grad(self, name) -> float | None:
        """The gradient :math:`\\partial L/\\partial v` of node ``name`` after :meth:`backward` (None before)."""
        return self[name].grad

    # -- leaves ------------------------------------------------------------------------------------
    def _add(self, name, op, parents, value, local, label, detail=""):
        if name in self.nodes:
            raise ValueError(f"the graph already has a node named {name!r}")
        missing = [p for p in parents if p not in self.nodes]
        if missing:
            raise ValueError(f"node {name!r} uses unknown node(s) {missing}; create parents first")
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"node {name!r} has the non-finite value {value}")
        self.nodes[name] = Node(name, op, tuple(parents), value, tuple(float(d) for d in local),
                                label or name, detail)
        return name

    def input(self, name, value, label=None):
        """An input of the network: a leaf whose gradient is computed (it is :math:`\\partial L/\\partial x`)."""
        return self._add(name, "input", (), value, (), label)

    def param(self, name, value, label=None):
        """A weight or bias: a leaf whose gradient is what training needs."""
        return self._add(name, "param", (), value, (), label)

    def const(self, name, value, label=None):
        """A constant, such as a target: a leaf with no gradient."""
        return self._add(name, "const", (), value, (), label)

    # -- operations: value and local derivatives side by side ------------------------------------------
    def add(self, name, a, b, label=None):
        r""":math:`v = a + b`, with :math:`\partial v/\partial a = \partial v/\partial b = 1`."""
        return self._add(name, "add", (a, b), self.value(a) + self.value(b), (1.0, 1.0), label)

    def mul(self, name, a, b, label=None):
        r""":math:`v = a\,b`, with :math:`\partial v/\partial a = b` and :math:`\partial v/\partial b = a`."""
        va, vb = self.value(a), self.value(b)
        return self._add(name, "mul", (a, b), va * vb, (vb, va), label)

    def maximum(self, name, a, b, label=None):
        r""":math:`v = \max(a, b)`: the local derivative is 1 for the larger input and 0 for the other.

        The gradient is routed to the input that won. At a tie, :math:`a` wins (a convention, like
        :math:`\operatorname{ReLU}'(0) = 0`: the function has a kink there and no derivative).
        """
        va, vb = self.value(a), self.value(b)
        local = (1.0, 0.0) if va >= vb else (0.0, 1.0)
        return self._add(name, "max", (a, b), max(va, vb), local, label)

    def square(self, name, a, label=None):
        r""":math:`v = a^2`, with :math:`\partial v/\partial a = 2a`."""
        va = self.value(a)
        return self._add(name, "square", (a,), va * va, (2.0 * va,), label)

    def scale(self, name, a, c, label=None):
        r""":math:`v = c\,a` for a fixed number :math:`c`, with :math:`\partial v/\partial a = c`."""
        c = float(c)
        return self._add(name, "scale", (a,), c * self.value(a), (c,), label, detail=f"{c:g}")

    def affine(self, name, inputs, weights, bias, label=None):
        r"""A neuron's weighted sum :math:`z = \sum_i w_i x_i + b` (chapter 1).

        Parents are the weights, then the bias, then the inputs (so the backward pass reaches a layer's
        parameters before it moves on to the layer below), with local derivatives
        :math:`\partial z/\partial w_i = x_i`, :math:`\partial z/\partial b = 1`, :math:`\partial z/\partial x_i = w_i`.
        """
        inputs, weights = list(inputs), list(weights)
        if len(inputs) != len(weights):
            raise ValueError(f"affine node {name!r} needs one weight per input; got {len(inputs)} inputs and "
                             f"{len(weights)} weights")
        xs = [self.value(x) for x in inputs]
        ws = [self.value(w) for w in weights]
        z = sum(w * x for w, x in zip(ws, xs)) + self.value(bias)
        return self._add(name, "affine", (*weights, bias, *inputs), z, (*xs, 1.0, *ws), label)

    def activation(self, name, a, activation, label=None):
        r""":math:`v = f(a)` for an activation of :mod:`nnmath.activations`; :math:`\partial v/\partial a = f'(a)`."""
        act = get_activation(activation)
        za = np.array(self.value(a))
        return self._add(name, "activation", (a,), act.f(za), (act.f_prime(za),), label, detail=act.name)

    def squared_error(self, name, y_hat, y, label=None):
        r"""The loss of one prediction, :func:`nnmath.losses.mse` of one number: :math:`L = (\hat y - y)^2`.

        Local derivatives: :math:`\partial L/\partial \hat y = 2(\hat y - y)` (:func:`nnmath.losses.mse_prime`)
        and :math:`\partial L/\partial y = -2(\hat y - y)`.
        """
        p, t = np.array([self.value(y_hat)]), np.array([self.value(y)])
        d = float(mse_prime(p, t)[0])
        return self._add(name, "squared_error", (y_hat, y), mse(p, t), (d, -d), label)

    # -- the two passes -------------------------------------------------------------------------------
    def children(self, name) -> list:
        """``(child, local derivative)`` for every edge leaving ``name``: one per use (a parent may be used twice)."""
        out = []
        for node in self.nodes.values():
            for parent, d in zip(node.parents, node.local):
                if parent == name:
                    out.append((node.name, d))
        return out

    def forward_order(self) -> list:
        """The non-leaf nodes in the order the forward pass computes them (creation order)."""
        return [node.name for node in self.nodes.values() if not node.is_leaf]

    def backward_order(self, output) -> list:
        r"""The nodes in the order the backward pass finishes them: a node comes after all of its children.

        Breadth-first from the output (Kahn's algorithm on the reversed edges), so the gradient moves back
        layer by layer. Only nodes that ``output`` depends on, and that need a gradient, are listed.
        """
        if output not in self.nodes:
            raise ValueError(f"unknown output node {output!r}")
        upstream = self._ancestors(output)
        waiting = {name: sum(1 for child, _ in self.children(name) if child in upstream) for name in upstream}
        order, queue = [], deque([output])
        while queue:
            name = queue.popleft()
            order.append(name)
            for parent in self.nodes[name].parents:
                waiting[parent] -= 1
                if waiting[parent] == 0 and parent not in order:
                    queue.append(parent)
        return [name for name in order if self.nodes[name].needs_grad]

    def _ancestors(self, output) -> set:
        seen, stack = {output}, [output]
        while stack:
            for parent in self.nodes[stack.pop()].parents:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    def backward(self, output) -> list:
        r"""Reverse-mode accumulation from ``output``: fill every node's ``grad``; return the steps taken.

        .. math::
            \frac{\partial L}{\partial L} = 1, \qquad
            \frac{\partial L}{\partial u} = \sum_{v \,\in\, \text{children}(u)} \frac{\partial L}{\partial v}\,
            \frac{\partial v}{\partial u}

        Book: eq-reverse-mode.

        The nodes are visited in :meth:`backward_order`, every node after all of its children, so a node's
        gradient is complete when its turn comes. It then hands each parent :math:`u` its share with ``+=``,
        :math:`\partial L/\partial u \mathrel{+}= (\partial L/\partial v)\,\partial v/\partial u`: a value that feeds
        several nodes (or the same node twice, as in :math:`x \cdot x`) collects one share per edge. Overwriting
        (``=``) instead of adding would keep only the last share: the classic bug of a hand-written engine.

        Returns
        -------
        list of BackwardStep
            One per node, in :meth:`backward_order`.
        """
        order = self.backward_order(output)
        for node in self.nodes.values():
            node.grad = None
        grads = dict.fromkeys(order, 0.0)
        received = {name: [] for name in order}
        grads[output] = 1.0  # the seed: dL/dL = 1
        creation = {name: k for k, name in enumerate(self.nodes)}
        steps = []
        for name in order:
            node = self.nodes[name]
            node.grad = grads[name]  # all of its children came earlier: its gradient is complete
            terms = tuple(sorted(received[name], key=lambda term: creation[term[0]]))
            steps.append(BackwardStep(name, terms, node.grad))
            for parent, d in zip(node.parents, node.local):
                if parent in grads:  # constants get no gradient
                    grads[parent] += d * node.grad  # +=, never =: one share per edge
                    received[parent].append((name, d, node.grad))
        return steps

    # -- the graph as a list ------------------------------------------------------------------------
    def tape(self) -> list:
        r"""The graph as a list in creation order (a topological order): one ``(name, parents, local)`` per node.

        ``parents`` are the names of the node's parents and ``local`` the local derivatives
        :math:`\partial v/\partial u` for each: everything the backward pass needs, and nothing else.
        """
        return [(node.name, node.parents, node.local) for node in self.nodes.values()]

    @classmethod
    def from_tape(cls, tape) -> Graph:
        """A graph from a :meth:`tape`: its nodes get value 0 (a tape keeps only what the backward pass needs)."""
        g = cls()
        for entry in tape:
            name, parents, local = entry
            if len(parents) != len(local):
                raise ValueError(f"node {name!r} has {len(parents)} parents but {len(local)} local derivatives")
            g._add(name, "tape" if parents else "input", tuple(parents), 0.0, tuple(local), name)
        return g


# --- the chapter's tiny network -------------------------------------------------------------------

#: The numbers of chapter 6's 2-2-1 network: one sample ``x`` of shape (2,), target ``y``, and the
#: parameters ``W1`` (2, 2), ``b1`` (2,), ``W2`` (2, 1), ``b2`` (1,), batch-first as in :mod:`nnmath.layers`.
TINY_NETWORK = {
    "x": np.array([1.0, 0.5]),
    "y": 1.0,
    "W1": np.array([[0.5, -0.4],
                    [0.3, 0.8]]),
    "b1": np.array([0.1, -0.2]),
    "W2": np.array([[0.9],
                    [-0.6]]),
    "b2": np.array([0.2]),
}


def tiny_network_graph(x=None, W1=None, b1=None, W2=None, b2=None, y=None, activation="sigmoid") -> Graph:
    r"""The scalar computational graph of a network with one hidden layer and one linear output, on one sample.

    .. math::
        z_j = \sum_i x_i\, w_{ij} + b_j, \qquad h_j = f(z_j), \qquad
        \hat y = \sum_j h_j\, v_j + c, \qquad L = (\hat y - y)^2

    with :math:`W^{[1]} = (w_{ij})` of shape (d_in, d_hidden), :math:`\mathbf b^{[1]} = (b_j)`,
    :math:`W^{[2]} = (v_j)` of shape (d_hidden, 1) and :math:`\mathbf b^{[2]} = (c)`: the batch-first layers of
    :func:`nnmath.layers.dense_forward`, written out one number at a time. Missing arguments come from
    :data:`TINY_NETWORK`.

    Node names: ``x1, x2, ...``, ``w11, w21, ...`` (``w{i}{j}`` is ``W1[i-1, j-1]``), ``b1, ...``, ``z1, ...``,
    ``h1, ...``, ``v1, ...``, ``c``, ``yhat``, ``y`` and ``L``.

    Returns
    -------
    Graph
        Forward values and local derivatives filled in; call ``.backward("L")`` for the gradients.
    """
    p = TINY_NETWORK
    x = as_array(p["x"] if x is None else x, "x", ndim=1, finite=True)
    W1 = as_array(p["W1"] if W1 is None else W1, "W1", ndim=2, finite=True)
    b1 = as_array(p["b1"] if b1 is None else b1, "b1", ndim=1, finite=True)
    W2 = as_array(p["W2"] if W2 is None else W2, "W2", ndim=2, finite=True)
    b2 = as_array(p["b2"] if b2 is None else b2, "b2", ndim=1, finite=True)
    y = float(p["y"] if y is None else y)
    d_in, d_h = W1.shape
    if x.shape != (d_in,) or b1.shape != (d_h,) or W2.shape != (d_h, 1) or b2.shape != (1,):
        raise ValueError(f"shapes must be x: ({d_in},), W1: (d_in, d_h), b1: (d_h,), W2: (d_h, 1), b2: (1,); got "
                         f"x: {x.shape}, W1: {W1.shape}, b1: {b1.shape}, W2: {W2.shape}, b2: {b2.shape}")
    if max(d_in, d_h) > 9:
        raise ValueError(f"the scalar graph is for tiny networks (at most 9 units per layer); got {d_in}-{d_h}-1")
    g = Graph()
    xs = [g.input(f"x{i}", x[i - 1], f"x_{i}") for i in range(1, d_in + 1)]
    hs = []
    for j in range(1, d_h + 1):
        ws = [g.param(f"w{i}{j}", W1[i - 1, j - 1], f"w_{{{i}{j}}}") for i in range(1, d_in + 1)]
        bj = g.param(f"b{j}", b1[j - 1], f"b_{j}")
        g.affine(f"z{j}", xs, ws, bj, f"z_{j}")
    for j in range(1, d_h + 1):
        hs.append(g.activation(f"h{j}", f"z{j}", activation, f"h_{j}"))
    vs = [g.param(f"v{j}", W2[j - 1, 0], f"v_{j}") for j in range(1, d_h + 1)]
    c = g.param("c", b2[0], "c")
    g.affine("yhat", hs, vs, c, r"\hat y")
    g.const("y", y, "y")
    g.squared_error("L", "yhat", "y", "L")
    return g


# --- backpropagation through a whole network, one layer function at a time --------------------------

class LayerByLayer(NamedTuple):
    r"""What :func:`layer_by_layer` computed: the ``loss``; ``grads``, the gradients :math:`\partial L/\partial
    W^{[\ell]}` and :math:`\partial L/\partial \mathbf b^{[\ell]}` in the order of ``net.params``
    (``[dW1, db1, dW2, db2, ...]``); and ``G``, where ``G[l - 1]`` is :math:`G^{[\ell]} = \partial L/\partial
    Z^{[\ell]}`, of shape :math:`(n, d_\ell)`, for :math:`\ell = 1, \dots, D`."""

    loss: float
    grads: list
    G: list


def layer_by_layer(net, X, y) -> LayerByLayer:
    r"""Backpropagation through an MLP written with the layer functions of :mod:`nnmath.layers`, one layer at a time.

    The forward pass keeps each layer's caches (its input :math:`A^{[\ell-1]}` and its :math:`Z^{[\ell]}`); the loss
    gives :math:`\partial L/\partial A^{[D]}`; the backward pass walks the layers in reverse with the four equations
    of backpropagation, for :math:`G^{[\ell]} = \partial L/\partial Z^{[\ell]}`:

    .. math::
        G^{[D]} = \frac{\partial L}{\partial A^{[D]}} \odot f_D'\bigl(Z^{[D]}\bigr), \qquad
        G^{[\ell]} = \bigl(G^{[\ell+1]} W^{[\ell+1]\top}\bigr) \odot f'\bigl(Z^{[\ell]}\bigr)
        \quad (\ell = D-1, \dots, 1),

        \frac{\partial L}{\partial \mathbf b^{[\ell]}} = \mathbf 1^\top G^{[\ell]}, \qquad
        \frac{\partial L}{\partial W^{[\ell]}} = A^{[\ell-1]\top} G^{[\ell]} \quad (\ell = D, \dots, 1),

    with :math:`A^{[0]} = X`. The output layer is linear (:math:`f_D` the identity) and the loss folds in the softmax
    or the sigmoid, so for cross-entropy :math:`G^{[D]} = (P - Y)/n`. :meth:`nnmath.network.MLP.backward` runs the
    same loop with preallocated arrays; the two agree (the tests check it). No dropout.

    Book: eq-bp-output, eq-bp-hidden, eq-bp-bias, eq-bp-weights, eq-unrolled, eq-softmax-ce-backward.

    Parameters
    ----------
    net : nnmath.network.MLP
    X : array_like, shape (n, d_0)
    y : array_like
        Targets for ``net.loss``.

    Returns
    -------
    LayerByLayer
        The loss, the gradients in the order of ``net.params``, and every :math:`G^{[\ell]}`.
    """
    X = net.check_inputs(X)
    y = net.check_targets(y, X.shape[0])
    # forward: keep each layer's caches
    caches, A = [], X
    for W, b, act in zip(net.W, net.b, net.activations):
        Z, dense_cache = dense_forward(A, W, b)  # Z = A W + b
        A, act_cache = activation_forward(Z, act)  # A = f(Z); the identity at the output
        caches.append((dense_cache, act_cache))
    loss, dA = net.loss.value_and_grad(A, y)  # dL/dA[D], e.g. (P - Y)/n for softmax + cross-entropy
    # backward: the same layers in reverse
    grads, Gs = [], []
    for dense_cache, act_cache in reversed(caches):
        G = activation_backward(dA, act_cache)  # G[l] = dL/dA[l] ⊙ f'(Z[l])
        dA, dW, db = dense_backward(G, dense_cache)  # dL/dA[l-1] = G W^T, dL/dW = A[l-1]^T G, dL/db = 1^T G
        grads[:0] = [dW, db]
        Gs.insert(0, G)
    return LayerByLayer(float(loss), grads, Gs)


# --- the cost of a gradient -----------------------------------------------------------------------

class PassCosts(NamedTuple):
    """Multiply-adds of the matrix products for one batch, and the numbers kept between the passes; see
    :func:`pass_costs`."""

    parameters: int
    forward: int
    backward: int
    forward_mode: int
    finite_differences: int
    stored: int


def pass_costs(sizes, n=1) -> PassCosts:
    r"""Count the multiply-adds of the matrix products needed for one gradient of a dense network.

    For layer sizes :math:`(d_0, \dots, d_D)` and a batch of :math:`n` samples, the forward pass computes
    :math:`Z^{[\ell]} = A^{[\ell-1]} W^{[\ell]}`, :math:`n\,d_{\ell-1}\,d_\ell` multiply-adds per layer:

    .. math::
        C_\text{fwd} = n \sum_{\ell=1}^{D} d_{\ell-1} d_\ell .

    The backward pass computes :math:`\partial L/\partial W^{[\ell]} = A^{[\ell-1]\top} G^{[\ell]}` for every
    layer and :math:`\partial L/\partial A^{[\ell-1]} = G^{[\ell]} W^{[\ell]\top}` for every layer but the first
    (nobody needs :math:`\partial L/\partial X`), each the size of the forward product:

    .. math::
        C_\text{bwd} = C_\text{fwd} + n \sum_{\ell=2}^{D} d_{\ell-1} d_\ell \;\le\; 2\,C_\text{fwd} .

    Book: eq-backward-cost, eq-stored.

    Forward mode carries one tangent (the derivative with respect to one parameter) beside every value, so it
    needs one tangent pass per parameter, each up to the cost of a forward pass: up to :math:`|\theta|\,
    C_\text{fwd}`. Centred finite differences need two forward passes per parameter: :math:`2|\theta|\,
    C_\text{fwd}`. Here :math:`|\theta|` is :func:`nnmath.layers.count_parameters`; element-wise work (biases,
    activations, the loss) is of lower order and not counted.

    The backward pass needs what the forward pass computed: every layer's input :math:`A^{[\ell-1]}` (for the
    weight gradients) and every hidden layer's :math:`Z^{[\ell]}` (for :math:`f'(Z^{[\ell]})`), kept from the
    forward pass until the backward pass has used them:

    .. math::
        S = n \sum_{\ell=1}^{D} d_{\ell-1} + n \sum_{\ell=1}^{D-1} d_\ell

    numbers, growing with the batch while the parameters do not. (For sigmoid, tanh and ReLU the derivative can be
    read off the output :math:`A^{[\ell]}`, which is the next layer's input, and the second sum is not needed.)

    Returns
    -------
    PassCosts
        ``parameters`` :math:`|\theta|`, then ``forward``, ``backward``, ``forward_mode`` and
        ``finite_differences`` in multiply-adds, and ``stored``, :math:`S`.
    """
    shapes = layer_shapes(sizes)
    n = as_int(n, "the batch size n", minimum=1)
    products = [n * w[0] * w[1] for w, _ in shapes]
    forward = sum(products)
    backward = forward + sum(products[1:])
    n_params = count_parameters(sizes)
    d = [w[0] for w, _ in shapes] + [shapes[-1][0][1]]  # d_0, ..., d_D
    stored = n * sum(d[:-1]) + n * sum(d[1:-1])
    return PassCosts(n_params, forward, backward, n_params * forward, 2 * n_params * forward, stored)
