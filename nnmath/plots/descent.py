r"""Figures of chapter 5 (gradient descent): contour plots with paths, tangent lines, learning-rate regimes, batches.

The drawing helpers (:func:`draw_surface`, :func:`loss_gap`, :func:`tangent_pieces`) are shared with the
widgets of :mod:`nnmath.widgets.descent`, :mod:`nnmath.widgets.descent_1d` and :mod:`nnmath.widgets.minibatch`.
"""

from __future__ import annotations

import numpy as np

from ..data.prep import minibatches
from ..descent import (
    contraction_factor,
    descend,
    descend_1d,
    directional_derivative,
    minibatch_gradient_covariance,
    regime,
    regression_descent,
    tangent_line,
)
from ..linefit import per_sample_gradients, regression_surface
from ..surfaces import SURFACES, get_function_1d, get_surface
from ._style import DIVERGING, PALETTE, SEQUENTIAL, describe, static_figure
from .linear import best_time

__all__ = [
    "contour_levels", "draw_surface", "minimum_value", "loss_gap", "LOSS_FLOOR", "tangent_pieces",
    "outcome", "draw_regression",
    "surface_gallery", "steepest_ascent", "descent_1d_regimes", "lr_regimes", "batch_size_paths", "minibatch_noise",
    "eigenvectors", "schedule_vs_constant", "loss_curves", "step_times", "batch_cost",
]

#: Losses closer than this to the minimum are drawn at this value on a log axis (0 has no logarithm).
LOSS_FLOOR = 1e-16

#: The colour of a descent path and of its loss curve.
PATH_COLOR = PALETTE["vermillion"]


def contour_levels(surface, Z, n=14):
    r"""Contour levels that show a surface's shape: geometric above the minimum, linear for the saddle.

    For a surface with minimum value :math:`f^*` the levels are :math:`f^* + c_j` with :math:`c_j` spaced
    geometrically from a low percentile of :math:`Z - f^*` to its maximum, so the rings around a minimum and
    the walls far away both show. Without a minimum (the saddle) they are evenly spaced.
    """
    f_star = minimum_value(surface)
    if f_star is None:
        return np.linspace(Z.min(), Z.max(), n + 2)[1:-1]
    gap = Z - f_star
    lo = max(float(np.percentile(gap, 0.5)), 1e-6 * float(gap.max()))
    return f_star + np.geomspace(lo, float(gap.max()), n)


def minimum_value(surface):
    """The lowest value of ``surface`` at its listed minima, or None if it has none (the saddle)."""
    surface = get_surface(surface)
    if not surface.minima:
        return None
    return min(float(surface.f(np.asarray(m, dtype=float))) for m in surface.minima)


def loss_gap(surface, losses):
    r"""What the loss panels plot on a log axis: :math:`f(\boldsymbol\theta_t) - f^*`, floored at :data:`LOSS_FLOOR`.

    Returns the losses unchanged for a surface without a minimum (drawn on a symmetric-log axis instead).
    """
    f_star = minimum_value(surface)
    losses = np.asarray(losses, dtype=float)
    if f_star is None:
        return losses
    return np.maximum(losses - f_star, LOSS_FLOOR)


def draw_surface(ax, surface, n=200, levels=14, lines=True):
    """Filled contours of a surface (colour-blind-safe sequential map), its minima as white stars, labelled axes.

    Returns the filled contour set.
    """
    surface = get_surface(surface)
    X, Y, Z = surface.grid(n)
    lv = contour_levels(surface, Z, levels)
    filled = ax.contourf(X, Y, Z, levels=_bounds(Z, lv), cmap=SEQUENTIAL, alpha=0.85)
    if lines:
        ax.contour(X, Y, Z, levels=lv[lv < Z.max()], colors="white", linewidths=0.5, alpha=0.6,
                   negative_linestyles="solid")
    for m in surface.minima:
        ax.plot(*m, marker="*", ms=13, color="white", mec="black", mew=0.8, zorder=4)
    ax.set(xlim=surface.xlim, ylim=surface.ylim, xlabel="$x$", ylabel="$y$")
    ax.set_aspect("equal", adjustable="box")
    return filled


def _bounds(Z, levels):
    """Filled-contour boundaries: the levels inside the data's range, plus its minimum and maximum."""
    lo, hi = float(Z.min()), float(Z.max())
    inside = levels[(levels > lo) & (levels < hi)]
    return np.concatenate([[lo], inside, [hi]])


def tangent_pieces(function, thetas, half_width=0.5):
    r"""Short tangent segments :math:`\tilde f_t(\theta) = f(\theta_t) + f'(\theta_t)(\theta - \theta_t)` over
    :math:`|\theta - \theta_t| \le` ``half_width`` at every iterate, as one polyline with NaN gaps.

    Returns ``(x, y)``.
    """
    fn = get_function_1d(function)
    thetas = np.asarray(thetas, dtype=float)
    gap = np.full_like(thetas, np.nan)
    x = np.column_stack([thetas - half_width, thetas + half_width, gap])
    y = np.column_stack([tangent_line(fn, thetas, x[:, 0]), tangent_line(fn, thetas, x[:, 1]), gap])
    return x.ravel(), y.ravel()


def outcome(path, surface=None) -> str:
    """One line on how a descent ended: converged, diverged (after how many steps), or where it stands."""
    steps = f"{path.steps} step{'s' if path.steps != 1 else ''}"
    if path.diverged:
        return f"diverged after {steps}"
    if path.converged:
        return f"converged in {steps}"
    last = path.losses[-1]
    if surface is not None and minimum_value(surface) is not None:
        return f"{steps}: f − f* = {_sci(loss_gap(surface, [last])[0])}"
    return f"{steps}: f = {_sci(last)}"


def _sci(x) -> str:
    """A compact number: 0.0123 or 1.2e-07 (with a true minus sign)."""
    return _signed(x, ".3g").replace("e\u2212", "e-").replace("e-0", "e-").replace("e+0", "e").replace("e+", "e")


# --- static figures ----------------------------------------------------------------------------------------

_TITLES = {"bowl": "round bowl", "elongated_bowl": "elongated bowl", "rosenbrock": "Rosenbrock's valley"}


def surface_gallery(names=None):
    r"""The test surfaces of :mod:`nnmath.surfaces`, one contour panel each, with their minima and
    :math:`\mu_{\max}`, the largest curvature at the (global) minimum."""
    names = list(SURFACES) if names is None else list(names)
    fig, axes = static_figure(len(names), width=2.3 * len(names), height=2.9)
    for ax, name in zip(np.atleast_1d(axes), names):
        s = get_surface(name)
        draw_surface(ax, s, n=150, levels=12)
        title = _TITLES.get(s.name, s.name.replace("_", " "))
        ax.set_title(f"{title}\n${s.latex.replace('f(x, y) = ', '')}$", fontsize=9)
        ax.text(0.03, 0.03, f"μ_max = {s.mu_max:.4g}", transform=ax.transAxes, fontsize=8,
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
        ax.tick_params(labelsize=8)
        ax.set_xlabel("$x$", fontsize=9, labelpad=1)
        ax.set_ylabel("$y$", fontsize=9, labelpad=1)
    titles = ", ".join(_TITLES.get(get_surface(name).name, get_surface(name).name.replace("_", " ")) for name in names)
    return describe(fig, f"{len(names)} contour maps of the test surfaces ({titles}), each shaded from low (dark) to "
                         f"high (light) with its minima marked and the largest curvature at its minimum written in "
                         f"a corner.")


def steepest_ascent(surface="elongated_bowl", point=(-2.0, 0.4), n_directions=72, h=1e-5):
    r"""The slope of a surface in every direction at one point: it is largest along the gradient.

    Left: the contours, the point, the gradient :math:`\nabla f` (the steepest way up, across the contour) and
    :math:`-\nabla f` (the steepest way down), with the unit directions :math:`\mathbf u` drawn as a ring of
    dots coloured by their slope. Right: the slope :math:`\partial_{\mathbf u} f = \nabla f\cdot\mathbf u =
    \lVert\nabla f\rVert\cos\varphi` against the angle :math:`\varphi` between :math:`\mathbf u` and the
    gradient, with centred differences :math:`(f(\boldsymbol\theta + h\mathbf u) - f(\boldsymbol\theta -
    h\mathbf u))/2h` as dots.
    """
    surface = get_surface(surface)
    p = np.asarray(point, dtype=float)
    g = surface.grad(p)
    g_norm = float(np.linalg.norm(g))
    g_angle = np.arctan2(g[1], g[0])
    phi = np.linspace(-np.pi, np.pi, n_directions, endpoint=False)  # angle measured from the gradient
    U = np.column_stack([np.cos(g_angle + phi), np.sin(g_angle + phi)])
    slopes = directional_derivative(g, U)
    numeric = (surface.f(p + h * U) - surface.f(p - h * U)) / (2 * h)

    fig, (ax, ax_s) = static_figure(2, width=10.5, height=4.0, width_ratios=[1.3, 1])
    draw_surface(ax, surface, lines=True)
    radius = 0.35
    ring = ax.scatter(p[0] + radius * U[:, 0], p[1] + radius * U[:, 1], c=slopes, cmap=DIVERGING, s=16,
                      vmin=-g_norm, vmax=g_norm, edgecolors="none", zorder=5)
    fig.colorbar(ring, ax=ax, shrink=0.8, label=r"slope $\partial_{\mathbf{u}} f$ of direction $\mathbf{u}$")
    arrow = dict(width=0.012, length_includes_head=True, head_width=0.09, zorder=6)
    unit = g / g_norm
    length = 0.9
    ax.arrow(*p, *(length * unit), color=PALETTE["orange"], **arrow)
    ax.arrow(*p, *(-length * unit), color="white", **arrow)
    ax.plot(*p, "o", color="black", ms=5, zorder=7)
    label = dict(textcoords="offset points", fontsize=9, va="center",
                 bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
    ax.annotate(r"$\nabla f$: steepest ascent", p + length * unit, xytext=(8, 0), **label)
    ax.annotate(r"$-\nabla f$: steepest descent", p - length * unit, xytext=(8, 0), **label)
    ax.set_title(f"${surface.latex}$ at $\\theta = ({p[0]:g}, {p[1]:g})$", fontsize=10)

    deg = np.degrees(phi)
    fine = np.linspace(-np.pi, np.pi, 361)
    ax_s.plot(np.degrees(fine), g_norm * np.cos(fine), color=PALETTE["blue"], lw=2,
              label=r"$\nabla f\cdot\mathbf{u} = \|\nabla f\|\cos\varphi$")
    ax_s.plot(deg, numeric, "o", ms=3.5, color=PALETTE["orange"], label="centred differences")
    ax_s.axhline(g_norm, color=PALETTE["grey"], ls=":", lw=1)
    ax_s.axhline(0, color="black", lw=0.5)
    ax_s.annotate(rf"max $= \|\nabla f\| = {g_norm:.2f}$ at $\varphi = 0$", (0, g_norm), xytext=(0, 6),
                  textcoords="offset points", ha="center", fontsize=9)
    for side in (-90, 90):
        ax_s.axvline(side, color=PALETTE["grey"], lw=0.8, ls="--")
    ax_s.text(96, 0.45 * g_norm, "along the\ncontour:\nslope 0", fontsize=8, color=PALETTE["grey"])
    ax_s.set(xlabel=r"angle $\varphi$ between $\mathbf{u}$ and $\nabla f$ (degrees)",
             ylabel=r"slope $\partial_{\mathbf{u}} f$", xticks=[-180, -90, 0, 90, 180], xlim=(-180, 180),
             ylim=(-1.25 * g_norm, 1.3 * g_norm), title="the slope in every direction")
    ax_s.legend(loc="lower center", fontsize=8)
    return describe(fig, f"Left: contours of a surface with a point at ({p[0]:g}, {p[1]:g}), a ring of unit "
                         f"directions around it coloured by the slope along each, the gradient arrow pointing across "
                         f"the contours (steepest ascent) and its opposite (steepest descent). Right: the slope "
                         f"against the angle from the gradient, a cosine curve peaking at ‖∇f‖ = {g_norm:.2f} at "
                         f"angle 0, zero at ±90° (along the contour) and most negative at 180°; centred differences "
                         f"lie on the curve.")


def _signed(x, fmt="+.2f"):
    """A number with a true minus sign (U+2212), as in the book's text."""
    return format(x, fmt).replace("-", "\u2212")


def descent_1d_regimes(function="parabola", lrs=(0.2, 0.5, 0.8, 1.05), theta0=2.0, steps=6, half_width=0.6):
    r"""Gradient descent on a function of one variable, one panel per learning rate, with its tangent lines.

    At every iterate :math:`\theta_t` (dots, the start in black) a piece of the tangent (thin black line)
    :math:`\tilde f_t(\theta) = f(\theta_t) + f'(\theta_t)(\theta - \theta_t)` shows the slope the step uses; thin
    lines join the iterates in order. The title gives :math:`\eta\mu` and the factor :math:`1 - \eta\mu` that
    multiplies :math:`\theta - \theta^*` at each step (exactly, on the parabola).
    """
    fn = get_function_1d(function)
    fig, axes = static_figure(len(lrs), width=2.75 * len(lrs), height=3.3, sharey=True)
    grid = np.linspace(*fn.xlim, 400)
    curve = fn.f(grid)
    lo, hi = float(curve.min()), float(curve.max())
    for ax, lr in zip(np.atleast_1d(axes), lrs):
        path = descend_1d(fn, theta0, lr, steps)
        tx, ty = tangent_pieces(fn, path.thetas, half_width)
        ax.plot(grid, curve, color=PALETTE["blue"], lw=2)
        ax.plot(tx, ty, color="black", lw=1.1)
        ax.plot(path.thetas, path.losses, "-", color=PATH_COLOR, lw=0.8, alpha=0.7)
        ax.plot(path.thetas, path.losses, "o", color=PATH_COLOR, ms=4.5, zorder=4)
        ax.plot(path.thetas[0], path.losses[0], "o", color="black", ms=5.5, zorder=5)
        factor = contraction_factor(lr, fn.mu_max)
        ax.set_title(f"η = {lr:g}:  ημ = {lr * fn.mu_max:g}\n1 − ημ = {_signed(factor)} → {regime(lr, fn.mu_max)}",
                     fontsize=9.5)
        ax.set(xlim=fn.xlim, ylim=(lo - 0.08 * (hi - lo), hi + 0.05 * (hi - lo)), xlabel=r"$\theta$")
    np.atleast_1d(axes)[0].set_ylabel(rf"${fn.latex}$")
    panels = "; ".join(f"η = {lr:g}: {regime(lr, fn.mu_max)}" for lr in lrs)
    return describe(fig, f"{len(lrs)} panels of gradient descent on a curve of one variable from θ = {theta0:g}, one "
                         f"per learning rate, with the iterates as dots joined in order and a short tangent line at "
                         f"each ({panels}).")


def lr_regimes(surface="elongated_bowl", fractions=(0.45, 0.92, 1.1), steps=40, start=None):
    r"""The same descent at three learning rates, as fractions of :math:`2/\mu_{\max}`: paths on the contours, and
    the losses.

    On a quadratic the error along each eigenvector of the Hessian is multiplied by :math:`1 - \eta\mu_i`
    per step: below :math:`1/\mu_{\max}` every factor is positive (a smooth path), between :math:`1/\mu_{\max}` and
    :math:`2/\mu_{\max}` the steepest one is negative (the path zig-zags across the valley but converges), above
    :math:`2/\mu_{\max}` it is below :math:`-1` and the path diverges.
    """
    surface = get_surface(surface)
    k = len(fractions)
    fig, axes = static_figure(k, 2, width=3.4 * k, height=5.6, height_ratios=[1, 0.9])
    for ax in axes[1]:
        ax.remove()
    ax_loss = fig.add_subplot(axes[1, 0].get_gridspec()[1, :])
    colors = [PALETTE["green"], PALETTE["orange"], PALETTE["vermillion"], PALETTE["purple"]]
    for ax, frac, color in zip(axes[0], fractions, colors):
        lr = frac * surface.lr_limit
        path = descend(surface, start, lr=lr, steps=steps)
        draw_surface(ax, surface, lines=False)
        ax.plot(*path.points.T, "-o", color=color, mec="white", mew=0.5, ms=3.5, lw=1.4)
        ax.plot(*path.points[0], "o", color="black", ms=5)
        ax.set_title(f"η = {frac:g} × 2/μ_max = {lr:.3g}\n{outcome(path, surface)}", fontsize=9.5)
        ax_loss.semilogy(np.arange(len(path.losses)), loss_gap(surface, path.losses), "-o", ms=2.5, color=color,
                         lw=1.6, label=f"η = {frac:g} × 2/μ_max")
    ax_loss.set(xlabel="step $t$", ylabel=r"$f(\theta_t) - f^*$", xlim=(0, steps), ylim=(1e-8, 1e4),
                title=f"the loss at each step (log scale); here 2/μ_max = {surface.lr_limit:g}")
    ax_loss.legend(fontsize=8, loc="lower left")
    runs = []
    for frac in fractions:
        path = descend(surface, start, lr=frac * surface.lr_limit, steps=steps)
        runs.append(f"at {frac:g} × 2/μ_max the path {outcome(path, surface)}")
    title = _TITLES.get(surface.name, surface.name.replace("_", " "))
    return describe(fig, f"Gradient descent on the {title} at {k} learning rates, as fractions of the limit "
                         f"2/μ_max = {surface.lr_limit:g}: paths drawn on the contours above, and below the loss at "
                         f"each step on a log axis. " + "; ".join(runs) + ".")


def batch_size_paths(X, y, batch_sizes=(None, 10, 1), lr=0.05, epochs=5, seed=0):
    r"""Full-batch, mini-batch and stochastic gradient descent on a line's mean squared error, side by side.

    Each panel shows the path of :math:`(w, b)` over the contours of the full-data loss, the dots marking the
    end of each epoch; the last panel the full-data loss against epochs (one epoch is :math:`\lceil n/B\rceil`
    steps).
    """
    surface = regression_surface(X, y)
    n = len(y)
    f_star = float(surface.f(np.asarray(surface.minima[0])))
    fig, axes = static_figure(len(batch_sizes) + 1, width=3.1 * (len(batch_sizes) + 1), height=3.5,
                              width_ratios=[1] * len(batch_sizes) + [1.2])
    colors = [PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"], PALETTE["purple"]]
    xlim, ylim = _regression_window(surface)
    for ax, B, color in zip(axes[:-1], batch_sizes, colors):
        path = regression_descent(X, y, batch_size=B, lr=lr, epochs=epochs, seed=seed)
        draw_regression(ax, surface, xlim, ylim)
        ax.plot(*path.points.T, "-", color=color, lw=1.1)
        ends = path.points[path.extra["epoch_ends"]]
        ax.plot(*ends.T, "o", color=color, mec="white", mew=0.6, ms=5, zorder=5)
        ax.plot(*path.points[0], "o", color="black", ms=5)
        B_val = n if B is None else B
        name = "full batch" if B_val == n else "stochastic" if B_val == 1 else "mini-batch"
        ax.set_title(f"{name}, B = {B_val}\n{path.steps} steps in {epochs} epochs", fontsize=9.5)
        epoch = np.arange(len(path.losses)) * B_val / n
        axes[-1].semilogy(np.minimum(epoch, epochs), np.maximum(path.losses - f_star, LOSS_FLOOR), color=color,
                          lw=1.4, label=f"B = {B_val}")
    axes[-1].set(xlabel="epoch", ylabel=r"$L(w, b) - L^*$ (all data)", xlim=(0, epochs))
    axes[-1].set_title(f"the loss, η = {lr:g}", fontsize=9.5)
    axes[-1].legend(fontsize=8)
    sizes = ", ".join(str(n if B is None else B) for B in batch_sizes)
    return describe(fig, f"Paths of the slope and intercept (w, b) of a line fitted to {n} points, drawn over the "
                         f"contours of the loss for batch sizes {sizes}, with a dot at the end of each epoch: the "
                         f"full batch moves smoothly towards the minimum, smaller batches take more, noisier steps. "
                         f"The last panel shows the loss against epochs for each, on a log axis.")


def _regression_window(surface):
    w_star, b_star = surface.minima[0]
    return (min(-0.5, w_star - 1.8), max(w_star + 1.0, 0.5)), (b_star - 1.6, max(b_star + 1.6, 0.6))


def draw_regression(ax, surface, xlim, ylim, n=160, levels=12):
    """Contours of a regression surface over a window of :math:`(w, b)`, with the least-squares point."""
    W, B = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    Z = surface.f(np.stack([W, B], axis=-1))
    f_star = float(surface.f(np.asarray(surface.minima[0])))
    lv = f_star + np.geomspace(max(float(np.percentile(Z - f_star, 0.5)), 1e-6), float((Z - f_star).max()), levels)
    ax.contourf(W, B, Z, levels=_bounds(Z, lv), cmap=SEQUENTIAL, alpha=0.85)
    ax.contour(W, B, Z, levels=lv[lv < Z.max()], colors="white", linewidths=0.5, alpha=0.6,
               negative_linestyles="solid")
    ax.plot(*surface.minima[0], marker="*", ms=13, color="white", mec="black", mew=0.8, zorder=4)
    ax.set(xlim=xlim, ylim=ylim, xlabel="slope $w$", ylabel="intercept $b$")


def minibatch_noise(X, y, w=0.0, b=0.0, batch_sizes=(1, 2, 5, 10, 20, 50, 100), draws=400, seed=0):
    r"""How far a mini-batch gradient strays from the full gradient, against the batch size :math:`B`.

    Dots: the root-mean-square distance :math:`\sqrt{\mathbb E\lVert \mathbf g_B - \nabla L\rVert^2}` over
    ``draws`` random batches (drawn as in training, :func:`nnmath.data.minibatches`). Line: the same from
    the formula, :math:`\sqrt{\operatorname{tr}\Sigma_B}` with :math:`\Sigma_B = \frac{\Sigma_1}{B}\frac{n-B}{n-1}`
    (:func:`nnmath.descent.minibatch_gradient_covariance`).
    """
    G = per_sample_gradients(X, y, w, b)
    n = len(G)
    full = G.mean(axis=0)
    rng = np.random.default_rng(seed)
    measured, predicted = [], []
    for B in batch_sizes:
        errors = []
        while len(errors) < draws:
            for batch in minibatches(n, B, rng):
                if len(batch) == B:  # only full-size batches: the formula is for exactly B samples
                    errors.append(np.sum((G[batch].mean(axis=0) - full) ** 2))
        measured.append(np.sqrt(np.mean(errors[:draws])))
        predicted.append(np.sqrt(np.trace(minibatch_gradient_covariance(X, y, w, b, B))))
    fig, ax = static_figure(width=5.6, height=3.6)
    Bs = np.asarray(batch_sizes)
    fine = np.unique(np.round(np.geomspace(1, n, 200)).astype(int))
    curve = [np.sqrt(np.trace(minibatch_gradient_covariance(X, y, w, b, int(B)))) for B in fine]
    ax.loglog(fine[fine < n], np.asarray(curve)[fine < n], color=PALETTE["blue"], lw=2,
              label=r"formula $\sqrt{\mathrm{tr}\,\Sigma_B}$")
    ax.loglog(fine, predicted[0] / np.sqrt(fine), color=PALETTE["grey"], ls="--", lw=1,
              label=r"$\propto 1/\sqrt{B}$ (with replacement)")
    keep = Bs < n
    ax.loglog(Bs[keep], np.asarray(measured)[keep], "o", color=PALETTE["orange"], ms=6,
              label=f"measured ({draws} batches each)")
    ax.set(xlabel="batch size $B$", ylabel=r"RMS of $\mathbf{g}_B - \nabla L$",
           title=f"mini-batch gradient noise at $(w, b) = ({w:g}, {b:g})$, n = {n}")
    ax.legend(fontsize=8)
    return describe(fig, f"On log–log axes, how far a mini-batch gradient strays from the full gradient against the "
                         f"batch size B, for a line fitted to {n} points: measured dots fall on the formula's curve, "
                         f"which follows 1/√B for small batches and falls faster as B approaches n = {n}, where it is "
                         f"zero.")


# --- eigenvectors, schedules, loss curves, the cost of a batch ------------------------------------------

def eigenvectors(H=((3.0, 1.0), (1.0, 3.0)), n_directions=16):
    r"""What a symmetric 2 × 2 matrix does to directions, and the contours of its quadratic.

    Left: unit vectors :math:`\mathbf u` (grey) and their images :math:`H\mathbf u` (blue): the unit circle goes to
    an ellipse, and most directions turn. The two eigenvectors :math:`\mathbf q_i` of ``np.linalg.eigh`` (bold)
    do not turn: :math:`H\mathbf q_i = \mu_i\mathbf q_i`, they are only stretched, by :math:`\mu_i`. Right: the
    contours of :math:`f(\boldsymbol\theta) = \tfrac12\boldsymbol\theta^\top H\boldsymbol\theta`, ellipses whose
    axes lie along the eigenvectors; along :math:`\mathbf q_i` the curvature is :math:`\mu_i`, so the contours are
    closest together along the eigenvector of :math:`\mu_{\max}`.
    """
    H = np.asarray(H, dtype=float)
    mu, Q = np.linalg.eigh(H)
    fig, (ax_l, ax_r) = static_figure(2, width=9.6, height=4.4)
    angles = np.linspace(0, 2 * np.pi, 400)
    circle = np.stack([np.cos(angles), np.sin(angles)])
    image = H @ circle
    ax_l.plot(*circle, color=PALETTE["grey"], lw=1)
    ax_l.plot(*image, color=PALETTE["blue"], lw=1.5)
    for a in np.linspace(0, 2 * np.pi, n_directions, endpoint=False):
        u = np.array([np.cos(a), np.sin(a)])
        ax_l.annotate("", u, (0, 0), arrowprops=dict(arrowstyle="-|>", color=PALETTE["grey"], lw=0.8))
        ax_l.annotate("", H @ u, (0, 0), arrowprops=dict(arrowstyle="-|>", color=PALETTE["sky"], lw=0.8,
                                                         alpha=0.8))
    colors = [PALETTE["green"], PALETTE["vermillion"]]
    for i in range(2):
        q = Q[:, i]
        ax_l.annotate("", mu[i] * q, (0, 0), arrowprops=dict(arrowstyle="-|>", color=colors[i], lw=2.6))
        ax_l.annotate("", q, (0, 0), arrowprops=dict(arrowstyle="-|>", color="black", lw=2.0))
        label = rf"$H\mathbf{{q}}_{i + 1} = {mu[i]:g}\,\mathbf{{q}}_{i + 1}$"
        ax_l.text(*(mu[i] * q * 1.08 + np.array([0.1, 0.0])), label, color=colors[i], fontsize=9,
                  ha="left" if q[0] * mu[i] >= 0 else "right")
    lim = 1.15 * mu.max()
    ax_l.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    ax_l.set_title(r"$\mathbf{u}$ (grey) and $H\mathbf{u}$ (blue); eigenvectors in bold", fontsize=9.5)
    r = 1.6
    X, Y = np.meshgrid(np.linspace(-r, r, 200), np.linspace(-r, r, 200))
    P = np.stack([X, Y], axis=-1)
    F = 0.5 * np.einsum("...i,ij,...j->...", P, H, P)
    ax_r.contourf(X, Y, F, levels=14, cmap=SEQUENTIAL, alpha=0.85)
    ax_r.contour(X, Y, F, levels=[0.25, 0.5, 1.0, 1.5, 2.0], colors="white", linewidths=0.8)
    for i in range(2):
        q = Q[:, i] * r
        ax_r.plot([-q[0], q[0]], [-q[1], q[1]], color=colors[i], lw=2,
                  label=rf"along $\mathbf{{q}}_{i + 1}$: curvature $\mu_{i + 1} = {mu[i]:g}$")
    ax_r.set(xlim=(-r, r), ylim=(-r, r), aspect="equal", xlabel=r"$\theta_1$", ylabel=r"$\theta_2$")
    ax_r.set_title(r"contours of $\frac{1}{2}\,\theta^\top H\,\theta$", fontsize=9.5)
    ax_r.legend(fontsize=8, loc="lower right")
    return describe(fig, f"Left: unit vectors u and their images Hu for the symmetric matrix H = {H.tolist()}: the "
                         f"unit circle becomes an ellipse and most arrows turn, except the two eigenvectors, drawn "
                         f"bold, which are only stretched, by their eigenvalues {mu[0]:g} and {mu[1]:g}. Right: the "
                         f"contours of the quadratic ½θᵀHθ, ellipses whose axes lie along the eigenvectors, closest "
                         f"together along the eigenvector of the largest eigenvalue.")


def schedule_vs_constant(X, y, runs: dict, batch_size=1, epochs=30, seed=0):
    r"""Stochastic gradient descent on a line with constant learning rates and with a decaying schedule.

    ``runs`` maps a label to the keyword arguments of :func:`nnmath.descent.regression_descent` (``lr=...`` or
    ``schedule=...``). Top: the full-data loss above its minimum, :math:`L(w, b) - L^*`, at every step (log scale);
    thin, every step; bold, the mean over each epoch. A constant rate settles on a floor set by the noise, a
    schedule keeps going down. Bottom: the learning rate.
    """
    surface = regression_surface(X, y)
    f_star = float(surface.f(np.asarray(surface.minima[0])))
    fig, (ax, ax_lr) = static_figure(1, 2, width=7.2, height=5.2, height_ratios=[1, 0.45], sharex=True)
    colors = [PALETTE["blue"], PALETTE["orange"], PALETTE["vermillion"], PALETTE["purple"]]
    for (label, settings), color in zip(runs.items(), colors):
        path = regression_descent(X, y, batch_size=batch_size, epochs=epochs, seed=seed, **settings)
        gap = np.maximum(path.losses - f_star, LOSS_FLOOR)
        ax.semilogy(np.arange(len(gap)), gap, color=color, lw=0.5, alpha=0.35)
        ends = np.array([0] + path.extra["epoch_ends"])
        means = [gap[a + 1:b + 1].mean() for a, b in zip(ends[:-1], ends[1:])]
        ax.semilogy((ends[:-1] + ends[1:]) / 2, means, "-o", color=color, lw=2, ms=3, label=f"{label} (epoch mean)")
        lrs = path.extra.get("lrs", np.full(path.steps, settings.get("lr", 0.05)))
        ax_lr.plot(np.arange(1, path.steps + 1), lrs, color=color, lw=1.6)
    ax.set(ylabel=r"$L(w, b) - L^*$ (all data, log scale)",
           title=f"stochastic gradient descent, B = {batch_size}, {epochs} epochs")
    ax.legend(fontsize=8, loc="lower left")
    ax_lr.set(xlabel="step $t$", ylabel=r"$\eta_t$", yscale="log")
    return describe(fig, f"Top: the loss above its minimum at every step of stochastic gradient descent on a line "
                         f"(thin), and its mean over each epoch (bold), on a log axis, for {', '.join(runs)}: a "
                         f"constant rate settles on a noisy floor, a decaying rate keeps going down. Bottom: the "
                         f"learning rate of each run against the step.")


def loss_curves(histories: dict, *, title="the training loss, epoch by epoch", start=None):
    r"""Loss curves of training runs side by side, on a log axis: ``histories`` maps a label to a
    :class:`nnmath.train.History` (or a sequence of losses per epoch). ``start`` draws a dotted line at a reference
    loss, such as the loss of a guess (:math:`\ln 2` for two balanced classes)."""
    fig, ax = static_figure(width=6.4, height=3.8)
    colors = [PALETTE["grey"], PALETTE["green"], PALETTE["orange"], PALETTE["vermillion"], PALETTE["purple"]]
    for (label, history), color in zip(histories.items(), colors):
        losses = np.asarray(getattr(history, "loss", history), dtype=float)
        ax.semilogy(np.arange(1, len(losses) + 1), losses, color=color, lw=1.6, label=label)
    if start is not None:
        ax.axhline(start, color="black", lw=0.8, ls=":")
        ax.text(1, start * 1.08, "a guess", fontsize=8, va="bottom")
    ax.set(xlabel="epoch", ylabel="loss (log scale)", title=title)
    ax.legend(fontsize=8)
    guess = f", with a dotted line at the loss of a guess, {start:.2f}" if start is not None else ""
    return describe(fig, f"Training loss curves on a log axis against the epoch, one per run "
                         f"({', '.join(histories)}){guess}.")


def step_times(net, batch_sizes=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512), number=20, repeat=5, seed=0) -> dict:
    r"""Seconds per gradient step (forward, loss, backward: :meth:`nnmath.network.MLP.batch_gradients`) of ``net`` on
    random batches of each size :math:`B`: the fastest of ``repeat`` runs of ``number`` steps each
    (``nnmath.plots.linear.best_time``).

    The fastest run is the one least disturbed by the rest of the machine. The times depend on the machine and the
    moment: draw them (:func:`batch_cost`), never print them in a notebook whose outputs are checked.
    """
    rng = np.random.default_rng(seed)
    times = {}
    for B in batch_sizes:
        X = net.check_inputs(rng.normal(size=(int(B), net.sizes[0])))
        y = net.check_targets(rng.integers(0, net.sizes[-1], size=int(B)), int(B))
        times[int(B)] = best_time(lambda X=X, y=y: net.batch_gradients(X, y), number=number, repeat=repeat)
    return times


def batch_cost(seconds: dict):
    r"""What a gradient step costs against the batch size :math:`B`: ``seconds`` maps :math:`B` to the measured
    seconds per step. Left: per step; right: per sample (the step's time divided by :math:`B`). Log scales."""
    Bs = np.array(sorted(seconds))
    t = np.array([seconds[B] for B in Bs])
    fig, (ax_step, ax_sample) = static_figure(2, width=9.0, height=3.4)
    ax_step.loglog(Bs, t * 1e6, "o-", color=PALETTE["blue"], lw=1.6)
    ax_step.set(xlabel="batch size $B$", ylabel="µs per step", title="one forward and backward pass")
    ax_sample.loglog(Bs, t / Bs * 1e6, "o-", color=PALETTE["vermillion"], lw=1.6)
    ax_sample.set(xlabel="batch size $B$", ylabel="µs per sample", title="the same, per sample")
    for ax in (ax_step, ax_sample):
        ax.grid(True, which="major", color=PALETTE["grey"], alpha=0.3, lw=0.6)
    return describe(fig, f"Measured times of one gradient step against the batch size B from {Bs[0]} to {Bs[-1]}, on "
                         f"log-log axes: per step (left), nearly flat for small batches and then rising in proportion "
                         f"to B; and per sample (right), falling steeply at first and then levelling off.")
