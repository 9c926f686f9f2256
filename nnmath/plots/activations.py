r"""Static figures of chapter 3: activation functions, their derivatives, what they add and how they fail."""

from __future__ import annotations

import numpy as np

from ..activations import (
    elu,
    elu_prime,
    leaky_relu,
    leaky_relu_prime,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    tanh,
    tanh_prime,
)
from ..approximation import one_hidden_layer, relu_interpolant
from ..layers import dense_forward
from ._style import DIVERGING, PALETTE, describe, static_figure

__all__ = ["activation_gallery", "what_relu_adds", "dying_relu", "relu_interpolation"]


def _family(alpha_leaky: float, alpha_elu: float):
    """(name, title, f, f', range text, dotted bounds) for each element-wise activation of the chapter."""
    return [
        ("sigmoid", r"sigmoid  $\sigma(z) = 1/(1 + e^{-z})$", sigmoid, sigmoid_prime, "range (0, 1)", (0.0, 1.0)),
        ("tanh", r"$\tanh(z) = 2\sigma(2z) - 1$", tanh, tanh_prime, "range (−1, 1)", (-1.0, 1.0)),
        ("ReLU", r"$\mathrm{ReLU}(z) = \max(0, z)$", relu, relu_prime, "range [0, ∞)", (0.0,)),
        ("Leaky ReLU", rf"Leaky ReLU, $\alpha = {alpha_leaky:g}$", lambda z: leaky_relu(z, alpha_leaky),
         lambda z: leaky_relu_prime(z, alpha_leaky), "range (−∞, ∞)", ()),
        ("ELU", rf"ELU, $\alpha = {alpha_elu:g}$", lambda z: elu(z, alpha_elu), lambda z: elu_prime(z, alpha_elu),
         f"range (−{alpha_elu:g}, ∞)", (-alpha_elu,)),
    ]


def activation_gallery(*, alpha_leaky: float = 0.1, alpha_elu: float = 1.0, z_max: float = 5.0):
    r"""Each activation :math:`f` (solid) with its derivative :math:`f'` (dashed), and all derivatives together.

    Leaky ReLU is drawn with :math:`\alpha = 0.1` by default, ten times the usual 0.01, so that its negative
    slope is visible. The last panel puts every :math:`f'` on one axis: the sigmoid's is never above 1/4.

    Returns
    -------
    matplotlib.figure.Figure
    """
    z = np.linspace(-z_max, z_max, 1001)
    family = _family(alpha_leaky, alpha_elu)
    fig, axes = static_figure(3, 2, width=10.5, height=6.4)
    for ax, (_, title, f, f_prime, range_text, bounds) in zip(axes.flat, family):
        ax.plot(z, f(z), color=PALETTE["blue"], lw=2.2, label="$f(z)$")
        ax.plot(z, f_prime(z), "--", color=PALETTE["orange"], lw=2, label="$f'(z)$")
        for y in bounds:
            ax.axhline(y, color=PALETTE["grey"], lw=0.8, ls=":")
        ax.axhline(0, color="black", lw=0.5)
        ax.axvline(0, color="black", lw=0.5)
        ax.set(title=title, xlabel="$z$", xlim=(-z_max, z_max), ylim=(-1.5, 2.5))
        ax.text(0.97, 0.04, range_text, transform=ax.transAxes, ha="right", fontsize=9,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        ax.legend(loc="upper left", fontsize=8)
    ax = axes.flat[-1]
    styles = ["-", "-", "-", "--", ":"]
    colors = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple")]
    for (name, _, _, f_prime, _, _), color, ls in zip(family, colors, styles):
        ax.plot(z, f_prime(z), ls, color=color, lw=2, label=name)
    ax.axhline(0.25, color=PALETTE["grey"], lw=0.8, ls=":")
    ax.text(-z_max + 0.1, 0.27, "1/4", color=PALETTE["grey"], fontsize=8)
    ax.set(title="all derivatives $f'(z)$", xlabel="$z$", xlim=(-z_max, z_max), ylim=(-0.05, 1.15))
    ax.legend(loc="center left", fontsize=8)
    for row in axes:
        row[0].set_ylabel("value")
    return describe(fig, f"Six panels for z from −{z_max:g} to {z_max:g}. Five show an activation as a solid line "
                         f"and its derivative dashed: the sigmoid (range 0 to 1, derivative peaking at 1/4 at z = 0), "
                         f"tanh (range −1 to 1, derivative peaking at 1 at z = 0), ReLU (0 for negative z, then the "
                         f"identity; derivative 0 then 1), Leaky ReLU with α = {alpha_leaky:g} (slope {alpha_leaky:g} "
                         f"for negative z) and ELU with α = {alpha_elu:g} (bending smoothly down to −{alpha_elu:g}). "
                         f"The sixth puts all five derivatives on one axis: the sigmoid's never rises above 1/4.")


def what_relu_adds(W1, b1, w2, b2):
    r"""Three things a linear map cannot do and one hidden layer of ReLUs can.

    Left: :math:`|x| = \operatorname{ReLU}(x) + \operatorname{ReLU}(-x)`. Middle: the hat
    :math:`\operatorname{ReLU}(x + 1) - 2\operatorname{ReLU}(x) + \operatorname{ReLU}(x - 1)`, a bump.
    Right: XOR, computed by :math:`y = \operatorname{ReLU}(\mathbf x W_1 + \mathbf b_1)\,\mathbf w_2 + b_2` over
    the plane (:func:`nnmath.layers.dense_forward`), with the four corners of the unit square marked.

    Parameters
    ----------
    W1 : array_like, shape (2, h)
    b1 : array_like, shape (h,)
    w2 : array_like, shape (h,)
    b2 : float

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.linspace(-2.5, 2.5, 501)
    fig, (ax_abs, ax_hat, ax_xor) = static_figure(3, width=11.5, height=3.6)
    ax_abs.plot(x, relu(x), color=PALETTE["sky"], lw=2, label="ReLU(x)")
    ax_abs.plot(x, relu(-x), color=PALETTE["orange"], lw=2, label="ReLU(−x)")
    ax_abs.plot(x, relu(x) + relu(-x), "--", color="black", lw=2, label="sum = |x|")
    ax_abs.set(title="a kink: |x| from two ReLUs", xlabel="x", ylabel="output")
    terms = [(1.0, x + 1, "ReLU(x + 1)", PALETTE["sky"]), (-2.0, x, "−2 ReLU(x)", PALETTE["orange"]),
             (1.0, x - 1, "ReLU(x − 1)", PALETTE["green"])]
    for c, arg, label, color in terms:
        ax_hat.plot(x, c * relu(arg), color=color, lw=1.6, label=label)
    ax_hat.plot(x, sum(c * relu(arg) for c, arg, _, _ in terms), "--", color="black", lw=2.2, label="sum: a bump")
    ax_hat.set(title="a bump from three ReLUs", xlabel="x", ylim=(-3, 3.6))
    for ax in (ax_abs, ax_hat):
        ax.axhline(0, color="black", lw=0.5)
        ax.legend(loc="upper left", fontsize=8, ncols=2 if ax is ax_hat else 1)
    lim = (-0.5, 1.5)
    t = np.linspace(*lim, 161)
    g1, g2 = np.meshgrid(t, t)
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    H = relu(dense_forward(grid, W1, b1)[0])
    y = (H @ np.asarray(w2, dtype=float) + float(b2)).reshape(g1.shape)
    im = ax_xor.imshow(y, origin="lower", extent=(*lim, *lim), cmap=DIVERGING, vmin=-1, vmax=2,
                       interpolation="bilinear")
    fig.colorbar(im, ax=ax_xor, label="network output y", shrink=0.9)
    ax_xor.contour(g1, g2, y, levels=[0.5], colors="black", linewidths=1.2, linestyles="--")
    corners = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    out = relu(dense_forward(corners, W1, b1)[0]) @ np.asarray(w2, dtype=float) + float(b2)
    for (c1, c2), v in zip(corners, out):
        ax_xor.plot(c1, c2, "o", ms=11, mec="black", mew=1.5, color="black" if v > 0.5 else "white")
        ax_xor.annotate(f"{v:g}", (c1, c2), xytext=(8, 8), textcoords="offset points", fontsize=10,
                        fontweight="bold")
    ax_xor.set(title="XOR from two ReLUs (dashed: y = 1/2)", xlabel="$x_1$", ylabel="$x_2$", xticks=[0, 1],
               yticks=[0, 1], aspect="equal")
    corner_text = ", ".join(f"{v:g} at ({c1:g}, {c2:g})" for (c1, c2), v in zip(corners, out))
    return describe(fig, "Three panels. Left: ReLU(x) and ReLU(−x) add up to |x|, a kink at 0. Middle: ReLU(x + 1) "
                         "− 2 ReLU(x) + ReLU(x − 1) adds up to a triangular bump between −1 and 1, zero outside. "
                         f"Right: a network with one hidden layer of ReLUs shaded over the plane, outputting "
                         f"{corner_text}: XOR, with the level y = 1/2 dashed.")


def dying_relu(active_before, active_after, grad_relu, grad_leaky):
    r"""A layer before and after its biases were pushed down: which units still fire, and what gradient they get.

    Left: for each unit :math:`j`, the fraction of the inputs on which it is active (:math:`z_j > 0`), before
    and after, units sorted by the "after" fraction. A unit active on none of them is *dead*. Right: the size of
    the gradient of its incoming weights, :math:`\lVert \partial L/\partial W_{:,j} \rVert`, after the push,
    for ReLU and for Leaky ReLU; a dead ReLU unit gets exactly 0 (drawn on the bottom edge).

    Parameters
    ----------
    active_before, active_after : array_like, shape (d,)
        Fractions in [0, 1].
    grad_relu, grad_leaky : array_like, shape (d,)
        Gradient norms, :math:`\ge 0`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    before, after = np.asarray(active_before, float), np.asarray(active_after, float)
    g_relu, g_leaky = np.asarray(grad_relu, float), np.asarray(grad_leaky, float)
    order = np.argsort(-after, kind="stable")
    units = np.arange(before.size)
    fig, (ax_a, ax_g) = static_figure(2, width=10.5, height=3.8)
    ax_a.bar(units - 0.2, before[order], width=0.4, color=PALETTE["sky"], label="before")
    ax_a.bar(units + 0.2, after[order], width=0.4, color=PALETTE["vermillion"], label="after the push")
    dead = int(np.sum(after == 0))
    ax_a.set(xlabel="unit (sorted)", ylabel="fraction of inputs with z > 0", ylim=(0, 1.05),
             title=f"active units: {dead} of {after.size} are dead after the push")
    ax_a.legend(loc="upper right", fontsize=8)
    positive = np.concatenate([g_relu[g_relu > 0], g_leaky[g_leaky > 0]])
    floor = float(positive.min()) / 10 if positive.size else 1e-12
    zero = g_relu[order] == 0
    ax_g.semilogy(units[~zero], g_relu[order][~zero], "o", color=PALETTE["vermillion"], ms=5,
                  label="ReLU: alive units")
    ax_g.semilogy(units[zero], np.full(int(zero.sum()), floor), "x", color=PALETTE["vermillion"], ms=7, mew=2,
                  clip_on=False, label="ReLU: exactly 0 (dead)")
    ax_g.semilogy(units, g_leaky[order], "s", color=PALETTE["blue"], ms=4, mfc="none",
                  label="Leaky ReLU (α = 0.01)")
    ax_g.set(xlabel="unit (same order)", ylabel=r"$\Vert \partial L / \partial W_{:,j} \Vert$ (log scale)",
             ylim=(floor, None), title="gradient of each unit's weights after the push")
    ax_g.legend(loc="lower left", fontsize=8)
    leaky = ("every Leaky ReLU unit still gets a non-zero one" if np.all(g_leaky > 0)
             else f"{int(np.sum(g_leaky == 0))} Leaky ReLU units get 0 too")
    return describe(fig, f"Left: bars of the fraction of inputs on which each of {after.size} units is active, before "
                         f"and after its bias was pushed down; {dead} units are active on no input after the push "
                         f"(dead). Right, on a log axis, the size of each unit's weight gradient after the push: "
                         f"{int(zero.sum())} ReLU units get exactly 0 (drawn on the bottom edge), and {leaky}.")


def relu_interpolation(f, interval=(-3.0, 3.0), m_shown: int = 6, m_range=(2, 256), f2_max=None):
    r"""The piecewise-linear ReLU network through :math:`m + 1` points of :math:`f`, and its error as :math:`m` grows.

    Left: :math:`f` and the network of :func:`nnmath.approximation.relu_interpolant` with ``m_shown`` hidden
    units (equally spaced knots). Right: the largest error on a grid of 2001 points for :math:`m` from
    ``m_range``, and, if ``f2_max`` (a bound :math:`M` on :math:`|f''|`) is given, the bound :math:`M h^2 / 8`
    with :math:`h = (x_\text{hi} - x_\text{lo})/m`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lo, hi = interval
    x = np.linspace(lo, hi, 2001)
    y = f(x)
    fig, (ax_f, ax_e) = static_figure(2, width=10.5, height=3.9)
    knots = np.linspace(lo, hi, m_shown + 1)
    W, b, v, c = relu_interpolant(knots, f(knots))
    ax_f.plot(x, y, color="black", lw=2.5, label="f(x)")
    ax_f.plot(x, one_hidden_layer(x, W, b, v, c, "relu"), color=PALETTE["vermillion"], lw=2,
              label=f"ReLU network, {m_shown} units")
    ax_f.plot(knots, f(knots), "o", color=PALETTE["vermillion"], ms=6, label="knots (tₖ, f(tₖ))")
    ax_f.axhline(0, color="black", lw=0.5)
    pad = 0.25 * float(np.ptp(y))
    ax_f.set(xlim=interval, ylim=(float(y.min()) - pad, float(y.max()) + pad), xlabel="x", ylabel="y",
             title="ŷ = y₀ + Σₖ vₖ ReLU(x − tₖ): one kink per unit")
    ax_f.legend(loc="upper left", fontsize=8)
    ms = np.unique(np.geomspace(*m_range, 25).astype(int))
    errors = []
    for m in ms:
        t = np.linspace(lo, hi, m + 1)
        errors.append(float(np.abs(one_hidden_layer(x, *relu_interpolant(t, f(t)), "relu") - y).max()))
    ax_e.loglog(ms, errors, "o-", color=PALETTE["vermillion"], ms=4, label="max |ŷ − f| (measured)")
    if f2_max is not None:
        h = (hi - lo) / ms
        ax_e.loglog(ms, f2_max * h ** 2 / 8, "--", color="black", lw=1.5, label="bound M h² / 8")
    ax_e.set(xlabel="hidden units m (log scale)", ylabel="largest error (log scale)",
             title="halving the spacing quarters the error")
    ax_e.legend(loc="lower left", fontsize=8)
    bound = " and lies under the dashed bound M h²/8" if f2_max is not None else ""
    return describe(fig, f"Left: a curve f on [{lo:g}, {hi:g}] and the ReLU network with {m_shown} hidden units that "
                         f"passes through {m_shown + 1} equally spaced points of it, a broken line with one kink per "
                         f"unit. Right, on log–log axes: the network's largest error against the number of units, "
                         f"from {ms[0]} to {ms[-1]}, which falls by about four each time the units double{bound}.")
