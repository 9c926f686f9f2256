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

__all__ = ["activation_gallery", "what_relu_adds", "dying_relu", "relu_interpolation", "sign_zigzag"]


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
    Right: XOR, computed by :math:`\hat y = \operatorname{ReLU}(\mathbf x W_1 + \mathbf b_1)\,\mathbf w_2 + b_2` over
    the plane (:func:`nnmath.layers.dense_forward`), with the four corners of the unit square marked.

    Parameters
    ----------
    W1 : array_like, shape (2, m)
    b1 : array_like, shape (m,)
    w2 : array_like, shape (m,)
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


def dying_relu(active_before, active_after, grad_relu, grad_leaky, *, after="after the push"):
    r"""A ReLU layer before and after something went wrong: which units still fire, and what gradient they get.

    Left: for each unit :math:`j`, the fraction of the inputs on which it is active (:math:`z_j > 0`), before
    and after, units sorted by the "after" fraction. A unit active on none of them is *dead*. Right: the size of
    the gradient of its incoming weights, :math:`\lVert \partial L/\partial W_{:,j} \rVert`, afterwards,
    for ReLU and for Leaky ReLU at the same weights; a dead ReLU unit gets exactly 0 (drawn on the bottom edge).
    The numbers come from :func:`nnmath.depth.probe_units`.

    Parameters
    ----------
    active_before, active_after : array_like, shape (d,)
        Fractions in [0, 1].
    grad_relu, grad_leaky : array_like, shape (d,)
        Gradient norms, :math:`\ge 0`.
    after : str
        What "after" means, for the labels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    before, later = np.asarray(active_before, float), np.asarray(active_after, float)
    g_relu, g_leaky = np.asarray(grad_relu, float), np.asarray(grad_leaky, float)
    order = np.argsort(-later, kind="stable")
    units = np.arange(before.size)
    fig, (ax_a, ax_g) = static_figure(2, width=10.5, height=3.8)
    ax_a.bar(units - 0.2, before[order], width=0.4, color=PALETTE["sky"], label="before")
    ax_a.bar(units + 0.2, later[order], width=0.4, color=PALETTE["vermillion"], label=after)
    dead = int(np.sum(later == 0))
    ax_a.set(xlabel="unit (sorted)", ylabel="fraction of inputs with z > 0", ylim=(0, 1.05),
             title=f"active units: {dead} of {later.size} are dead {after}")
    ax_a.legend(loc="upper right", fontsize=8)
    positive = np.concatenate([g_relu[g_relu > 0], g_leaky[g_leaky > 0]])
    floor = float(positive.min()) / 10 if positive.size else 1e-12
    zero = g_relu[order] == 0
    ax_g.semilogy(units[~zero], g_relu[order][~zero], "o", color=PALETTE["vermillion"], ms=5,
                  label="ReLU: alive units")
    ax_g.semilogy(units[zero], np.full(int(zero.sum()), floor), "x", color=PALETTE["vermillion"], ms=7, mew=2,
                  clip_on=False, label="ReLU: exactly 0 (dead)")
    ax_g.semilogy(units, g_leaky[order], "s", color=PALETTE["blue"], ms=4, mfc="none",
                  label="Leaky ReLU (α = 0.01), same weights")
    ax_g.set(xlabel="unit (same order)", ylabel=r"$\Vert \partial L / \partial W_{:,j} \Vert$ (log scale)",
             ylim=(floor, None), title=f"gradient of each unit's weights {after}")
    ax_g.legend(loc="lower left", fontsize=8)
    leaky = ("every Leaky ReLU unit still gets a non-zero one" if np.all(g_leaky > 0)
             else f"{int(np.sum(g_leaky == 0))} Leaky ReLU units get 0 too")
    return describe(fig, f"Left: bars of the fraction of inputs on which each of {later.size} units is active, before "
                         f"and {after}; {dead} units are active on no input {after} (dead). Right, on a log axis, the "
                         f"size of each unit's weight gradient {after}: {int(zero.sum())} ReLU units get exactly 0 "
                         f"(drawn on the bottom edge), and {leaky}.")


def relu_interpolation(target, interval=(-3.0, 3.0), m_shown: int = 6, m_range=(2, 256), f2_max=None):
    r"""The piecewise-linear ReLU network through :math:`m + 1` points of a curve :math:`y(x)`, and its error
    as :math:`m` grows.

    Left: the curve (``target``, a function of ``x``) and the network of
    :func:`nnmath.approximation.relu_interpolant` with ``m_shown`` hidden units (equally spaced knots). Right: the
    largest error on a grid of 2001 points for :math:`m` from ``m_range``, and, if ``f2_max`` (the largest
    :math:`|y''|`) is given, the bound :math:`\max\lvert y''\rvert\, \Delta t^2 / 8` with the knot spacing
    :math:`\Delta t = (x_\text{hi} - x_\text{lo})/m`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lo, hi = interval
    x = np.linspace(lo, hi, 2001)
    y = target(x)
    fig, (ax_f, ax_e) = static_figure(2, width=10.5, height=3.9)
    knots = np.linspace(lo, hi, m_shown + 1)
    W, b, w2, b2 = relu_interpolant(knots, target(knots))
    ax_f.plot(x, y, color="black", lw=2.5, label="y(x)")
    ax_f.plot(x, one_hidden_layer(x, W, b, w2, b2, "relu"), color=PALETTE["vermillion"], lw=2,
              label=f"ReLU network, {m_shown} units")
    ax_f.plot(knots, target(knots), "o", color=PALETTE["vermillion"], ms=6, label="knots (tⱼ, y(tⱼ))")
    ax_f.axhline(0, color="black", lw=0.5)
    pad = 0.25 * float(np.ptp(y))
    ax_f.set(xlim=interval, ylim=(float(y.min()) - pad, float(y.max()) + pad), xlabel="x", ylabel="y",
             title="ŷ = y₀ + Σⱼ wⱼ⁽²⁾ ReLU(x − tⱼ₋₁): one kink per unit")
    ax_f.legend(loc="upper left", fontsize=8)
    ms = np.unique(np.geomspace(*m_range, 25).astype(int))
    errors = []
    for m in ms:
        t = np.linspace(lo, hi, m + 1)
        errors.append(float(np.abs(one_hidden_layer(x, *relu_interpolant(t, target(t)), "relu") - y).max()))
    ax_e.loglog(ms, errors, "o-", color=PALETTE["vermillion"], ms=4, label="max |ŷ − y| (measured)")
    if f2_max is not None:
        spacing = (hi - lo) / ms
        ax_e.loglog(ms, f2_max * spacing ** 2 / 8, "--", color="black", lw=1.5, label="bound max|y″| Δt² / 8")
    ax_e.set(xlabel="hidden units m (log scale)", ylabel="largest error (log scale)",
             title="halving the spacing quarters the error")
    ax_e.legend(loc="lower left", fontsize=8)
    bound = " and lies under the dashed bound max|y″| Δt²/8" if f2_max is not None else ""
    return describe(fig, f"Left: a curve y(x) on [{lo:g}, {hi:g}] and the ReLU network with {m_shown} hidden units "
                         f"that passes through {m_shown + 1} equally spaced points of it, a broken line with one kink "
                         f"per unit. Right, on log–log axes: the network's largest error against the number of units, "
                         f"from {ms[0]} to {ms[-1]}, which falls by about four each time the units double{bound}.")


def sign_zigzag(panels, w_star):
    r"""Stochastic gradient descent on the two weights of one linear unit, with all-positive and with centred inputs.

    For one sample the gradient of the unit's weights is :math:`\mathbf a\,\partial L/\partial z`, a vector times a
    number: with all-positive inputs :math:`\mathbf a` (sigmoid outputs) both of its entries have the sign of
    :math:`\partial L/\partial z`, so every step moves both weights up or both down, and reaching
    :math:`\mathbf w^*` (one weight up, the other down) takes a zig-zag. Each panel draws the contours of the mean loss
    :math:`\tfrac{1}{2n}\sum_i (\mathbf a_i \cdot (\mathbf w - \mathbf w^*))^2` and one path.

    Parameters
    ----------
    panels : list of ``(title, A, path)``
        The inputs ``A`` of shape (n, 2) and the weights after each step, ``path`` of shape (steps + 1, 2).
    w_star : array_like, shape (2,)
        The weights the targets were made with (the minimum).

    Returns
    -------
    matplotlib.figure.Figure
    """
    w_star = np.asarray(w_star, dtype=float)
    fig, axes = static_figure(len(panels), width=10.5, height=4.2)
    axes = np.atleast_1d(axes)
    for ax, (title, A, path) in zip(axes, panels):
        A, path = np.asarray(A, dtype=float), np.asarray(path, dtype=float)
        lo = np.minimum(path.min(axis=0), w_star) - 0.4
        hi = np.maximum(path.max(axis=0), w_star) + 0.4
        g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 160), np.linspace(lo[1], hi[1], 160))
        D = np.stack([g1 - w_star[0], g2 - w_star[1]], axis=-1)  # (160, 160, 2)
        C = A.T @ A / len(A)  # the loss is (1/2) (w - w*)^T C (w - w*)
        loss = 0.5 * np.einsum("...i,ij,...j->...", D, C, D)
        ax.contour(g1, g2, loss, levels=np.geomspace(max(float(loss.max()), 1e-12) * 1e-3, float(loss.max()), 10),
                   colors=PALETTE["grey"], linewidths=0.7)
        ax.plot(path[:, 0], path[:, 1], "-", color=PALETTE["vermillion"], lw=1.0, marker=".", ms=3,
                label=f"SGD, {len(path) - 1} steps")
        ax.plot(*path[0], "o", color="black", ms=6, label="start")
        ax.plot(*w_star, "*", color=PALETTE["blue"], ms=14, mec="black", label="w* (the minimum)")
        ax.set(xlabel="$w_1$", ylabel="$w_2$", title=title, xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]))
        ax.set_aspect("equal")
        ax.legend(loc="upper right", fontsize=8)
    # a step is a multiple of its input a: both weights move the same way exactly when a's entries share a sign
    summary = "; ".join(f"{title}: {int(np.sum(np.prod(np.asarray(A), axis=1) > 0))} of {len(A)} steps move both "
                        "weights the same way" for title, A, _ in panels)
    return describe(fig, f"{len(panels)} panels of the plane of the two weights w1 and w2, each with the elliptic "
                         f"contours of the loss around the minimum w* = ({w_star[0]:g}, {w_star[1]:g}) and the path of "
                         f"stochastic gradient descent from the start: {summary}. With all-positive inputs the path "
                         f"climbs to w* in a staircase of up-up and down-down steps inside a long, narrow bowl.")
