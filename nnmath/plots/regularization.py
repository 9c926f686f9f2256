r"""Figures of chapter 8 (regularization): overfitting, capacity, the geometry of L1 and L2, dropout, early stopping.

Each function draws numbers computed by :mod:`nnmath.regularization`, :mod:`nnmath.generalization` and
:mod:`nnmath.augment`; the decision-boundary helpers (:func:`boundary_segments`, :func:`class_colors`) are shared
with the widget :mod:`nnmath.widgets.penalty`.
"""

from __future__ import annotations

import contourpy
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Circle, Polygon

from ..augment import shift_images
from ..regularization import dropout_forward, early_stopping_shrinkage, l2_shrinkage, ridge_minimizer
from ._style import PALETTE, SEQUENTIAL, describe, static_figure

__all__ = [
    "class_colors", "boundary_grid", "boundary_segments", "overfitting_curves", "overfit_boundary",
    "double_descent", "penalty_geometry", "coefficient_paths", "zeros_histograms", "early_stopping_as_l2",
    "thinned_networks", "shifted_digits", "comparison_chart",
]

_TRAIN, _VAL = PALETTE["blue"], PALETTE["vermillion"]


def class_colors(y):
    """The colours of classes 0 and 1 (blue, orange) for an array of labels."""
    return np.array([to_rgb(PALETTE["blue"]), to_rgb(PALETTE["orange"])])[np.asarray(y)]


def boundary_grid(X, n=100, pad=0.15):
    """A square grid covering the points ``X`` (n, 2) with a margin: ``(xs, ys)``, each of ``n`` values."""
    X = np.asarray(X, dtype=float)
    lo, hi = X.min(axis=0), X.max(axis=0)
    margin = pad * (hi - lo)
    return (np.linspace(lo[0] - margin[0], hi[0] + margin[0], n), np.linspace(lo[1] - margin[1], hi[1] + margin[1], n))


def boundary_segments(net, xs, ys):
    r"""The decision boundary of a two-class network on a grid: the polylines where :math:`p_1 = \tfrac12`.

    The probabilities come from :meth:`nnmath.network.MLP.predict_proba` at every grid point; the lines are their
    level :math:`\tfrac12`, traced by contourpy. Returns a list of arrays of shape (m, 2) (empty when the network
    predicts one class everywhere).
    """
    gx, gy = np.meshgrid(xs, ys)
    P = net.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))[:, 1].reshape(gx.shape)
    return [line for line in contourpy.contour_generator(xs, ys, P).lines(0.5) if len(line) > 1]


def _num(x, fmt=".3g") -> str:
    """A number as the descriptions write it: a true minus sign (U+2212)."""
    return format(x, fmt).replace("-", "\u2212")


def _point(w, fmt=".3g") -> str:
    return "(" + ", ".join(_num(v, fmt) for v in w) + ")"


def _plain(name) -> str:
    """A weight's legend name without its TeX: ``$w_1$`` -> ``w1``."""
    return str(name).replace("$", "").replace("_", "").replace("{", "").replace("}", "")


def _draw_segments(ax, segments, **style):
    for k, line in enumerate(segments):
        ax.plot(line[:, 0], line[:, 1], **({"label": style.pop("label")} if k == 0 and "label" in style else {}),
                **style)


def overfitting_curves(curves, index=0, title=None):
    r"""Training and validation curves of one run of :func:`nnmath.generalization.dropout_curves` (by default the
    one without dropout): the loss on the left, the accuracy on the right, the best validation epoch marked.

    Returns
    -------
    matplotlib.figure.Figure
    """
    epochs = np.arange(1, curves.val_loss.shape[1] + 1)
    best = int(np.argmin(curves.val_loss[index])) + 1
    fig, (ax_l, ax_a) = static_figure(2, width=10.5, height=3.7)
    ax_l.plot(epochs, curves.train_loss[index], color=_TRAIN, lw=2, label="training set")
    ax_l.plot(epochs, curves.val_loss[index], color=_VAL, lw=2, label="validation set")
    ax_l.axvline(best, color=PALETTE["grey"], ls="--", lw=1)
    ax_l.text(best, ax_l.get_ylim()[1] * 0.97, f" lowest validation\n loss: epoch {best}", va="top", fontsize=8.5)
    ax_l.set(yscale="log", xlabel="epoch", ylabel="cross-entropy (log scale)", title="loss")
    ax_l.legend(loc="lower left", fontsize=9)
    ax_a.plot(epochs, curves.train_accuracy[index], color=_TRAIN, lw=2, label="training set (its labels)")
    ax_a.plot(epochs, curves.val_accuracy[index], color=_VAL, lw=2, label="validation set")
    ax_a.axvline(best, color=PALETTE["grey"], ls="--", lw=1)
    ax_a.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02), title="accuracy")
    ax_a.legend(loc="lower right", fontsize=9)
    rate = curves.rates[index]
    what = title or ("no regularization" if rate == 0 else f"dropout, drop rate 1 − q = {rate:g}")
    fig.suptitle(what, fontsize=11)
    train, val = curves.train_loss[index], curves.val_loss[index]
    last = len(epochs)
    if best < last:
        course = (f"falls to its lowest, {val[best - 1]:.3g}, at epoch {best} (marked by a dashed line), then rises to "
                  f"{val[-1]:.3g} by epoch {last}")
    else:
        course = f"falls with it, to {val[-1]:.3g} at epoch {last}"
    return describe(fig, f"Training over {last} epochs ({what}). Left, on a log scale: the training loss falls from "
                         f"{train[0]:.3g} to {train[-1]:.3g}, while the validation loss {course}. Right: the accuracy "
                         f"ends at {curves.train_accuracy[index, -1]:.0%} on the training set and "
                         f"{curves.val_accuracy[index, -1]:.0%} on the validation set.")


def overfit_boundary(sweep, penalty="l2", lam=0.0, ax=None):
    r"""The decision boundary of a network of a :class:`~nnmath.generalization.PenaltySweep`, over the training
    points (filled) and the validation points (small, faint).

    With ``ax`` the panel is drawn into a figure the caller owns, and describes; without, the figure is new and
    described here.
    """
    own = ax is None
    if own:
        fig, ax = static_figure(width=5.2, height=4.2)
    else:
        fig = ax.figure
    xs, ys = boundary_grid(np.vstack([sweep.X, sweep.X_val]), pad=0.05)
    ax.scatter(sweep.X_val[:, 0], sweep.X_val[:, 1], s=6, color=class_colors(sweep.y_val), alpha=0.35,
               label="validation")
    ax.scatter(sweep.X[:, 0], sweep.X[:, 1], s=30, color=class_colors(sweep.y), edgecolor="black", lw=0.6,
               label="training")
    segments = boundary_segments(sweep.network(penalty, lam), xs, ys)
    _draw_segments(ax, segments, color="black", lw=1.8)
    key = (penalty, sweep._lam(lam))
    what = "no penalty" if lam == 0 else f"{penalty.upper()}, λ = {lam:g}"
    train, val = sweep.train_accuracy[key], sweep.val_accuracy[key]
    ax.set(xlim=(xs[0], xs[-1]), ylim=(ys[0], ys[-1]), xlabel="$x_1$", ylabel="$x_2$",
           title=f"{what}: training {train:.0%}, validation {val:.0%}")
    ax.legend(loc="lower left", fontsize=8)
    if not own:
        return fig
    points = (f"{len(sweep.y)} training points (large, blue for class 0 and orange for class 1) and "
              f"{len(sweep.y_val)} faint validation points in the plane (x1, x2)")
    if segments:
        pieces = "one curve" if len(segments) == 1 else f"{len(segments)} separate curves"
        line = f"The decision boundary of a network trained with {what}, {pieces}, drawn over {points}"
    else:
        line = (f"{points[0].upper()}{points[1:]}; the network trained with {what} predicts one class "
                f"everywhere, so there is no decision boundary to draw")
    return describe(fig, f"{line}. It classifies {train:.0%} of the training points and {val:.0%} of the validation "
                         f"points correctly.")


def double_descent(widths, train_error, val_error, n_train, val_error_ridge=None, lam=None):
    r"""Validation error of random-feature models against their number of features :math:`d`, with the
    interpolation threshold :math:`d = n` marked (Belkin et al., 2019)."""
    fig, ax = static_figure(width=7.8, height=3.8)
    ax.plot(widths, train_error, "o-", color=_TRAIN, lw=1.6, ms=4, label="training error")
    ax.plot(widths, val_error, "o-", color=_VAL, lw=2, ms=4, label="validation error, minimum-norm fit")
    if val_error_ridge is not None:
        ax.plot(widths, val_error_ridge, "s--", color=PALETTE["green"], lw=1.6, ms=4,
                label=f"validation error, L2 with λ = {lam:g}")
    ax.axvline(n_train, color=PALETTE["grey"], ls="--", lw=1)
    ax.text(n_train / 1.06, 0.95, f"d = n = {n_train}: just enough\nfeatures to fit every\ntraining label", va="top",
            ha="right", fontsize=8.5)
    ax.set(xscale="log", ylim=(0, 1), xlabel="number of random features d (capacity, log scale)",
           ylabel="error (fraction wrong)", title="capacity: random ReLU features + least squares")
    ax.legend(loc="upper right", fontsize=8.5)
    return describe(fig, _double_descent_text(widths, train_error, val_error, n_train, val_error_ridge, lam))


def _double_descent_text(widths, train_error, val_error, n_train, val_error_ridge, lam):
    d, train, val = np.asarray(widths), np.asarray(train_error, float), np.asarray(val_error, float)
    text = (f"Training and validation error of least-squares fits on random ReLU features, against the number of "
            f"features d from {d[0]} to {d[-1]} on a log axis, with d = n = {n_train} marked. ")
    fitted = np.flatnonzero(train == 0)
    if fitted.size:
        text += f"The training error falls from {train[0]:.2f} to 0, reached at d = {d[fitted[0]]}. "
    else:
        text += f"The training error falls from {train[0]:.2f} to {train[-1]:.2f}. "
    below = np.flatnonzero(d < n_train)
    first = int(below[np.argmin(val[below])]) if below.size else 0
    peak = first + int(np.argmax(val[first:]))
    if val[peak] > val[first] and peak < len(d) - 1 and val[-1] < val[peak]:
        text += (f"The validation error of the minimum-norm fit falls to {val[first]:.2f} at d = {d[first]}, climbs "
                 f"to a peak of {val[peak]:.2f} at d = {d[peak]}, then falls again to {val[-1]:.2f} at d = {d[-1]}")
    else:
        text += (f"The validation error of the minimum-norm fit goes from {val[0]:.2f} to {val[-1]:.2f}, lowest "
                 f"{val.min():.2f} at d = {d[int(np.argmin(val))]}")
    if val_error_ridge is not None:
        ridge = np.asarray(val_error_ridge, float)
        text += (f"; with L2, λ = {lam:g}, it is {ridge[peak]:.2f} at d = {d[peak]} and stays between "
                 f"{ridge[first:].min():.2f} and {ridge[first:].max():.2f} from d = {d[first]} on")
    return text + "."


def _loss_contours(ax, H, w_star, c0, levels, lim):
    g = np.linspace(-lim, lim, 241)
    W1, W2 = np.meshgrid(g, g)
    D = np.stack([W1 - w_star[0], W2 - w_star[1]], axis=-1)
    L = c0 + 0.5 * np.einsum("...i,ij,...j->...", D, H, D)
    ax.contour(W1, W2, L, levels=levels, cmap=SEQUENTIAL, linewidths=1)
    return W1, W2, L


def penalty_geometry(H, w_star, w_l1, w_l2, c0=0.0, lim=2.0):
    r"""Where a quadratic loss meets the L1 diamond and the L2 disc.

    Left: contours of :math:`L_0(\mathbf w) = c_0 + \tfrac12 (\mathbf w - \mathbf w^*)^\top H (\mathbf w -
    \mathbf w^*)`, the diamond :math:`\lVert\mathbf w\rVert_1 \le \lVert\mathbf w_{L1}\rVert_1` and the L1 solution
    ``w_l1``; the contour through it is drawn thick. Right: the same with the disc :math:`\lVert\mathbf w\rVert_2 \le
    \lVert\mathbf w_{L2}\rVert_2` and ``w_l2``.
    """
    H, w_star = np.asarray(H, float), np.asarray(w_star, float)
    fig, axes = static_figure(2, width=10.0, height=4.6)
    met = []
    for ax, w, kind in ((axes[0], np.asarray(w_l1, float), "L1"), (axes[1], np.asarray(w_l2, float), "L2")):
        d = w - w_star
        level = c0 + 0.5 * d @ H @ d
        W1, W2, L = _loss_contours(ax, H, w_star, c0, c0 + np.geomspace(0.02, 4.0, 8), lim)
        ax.contour(W1, W2, L, levels=[level], colors=PALETTE["black"], linewidths=2)
        if kind == "L1":
            r = np.abs(w).sum()
            shape = Polygon([(r, 0), (0, r), (-r, 0), (0, -r)], closed=True, alpha=0.25, color=PALETTE["orange"],
                            ec=PALETTE["orange"], lw=2)
            title = f"L1: ‖w‖₁ ≤ {r:.2f} meets the loss at a corner"
        else:
            r = np.linalg.norm(w)
            shape = Circle((0, 0), r, alpha=0.25, color=PALETTE["sky"], ec=PALETTE["blue"], lw=2)
            title = f"L2: ‖w‖₂ ≤ {r:.2f} meets the loss anywhere"
        ax.add_patch(shape)
        ax.plot(*w_star, "*", color="white", mec="black", ms=15, zorder=5, label="w* (no penalty)")
        ax.plot(*w, "o", color=PALETTE["vermillion"], mec="black", ms=9, zorder=6,
                label=f"penalised: ({w[0]:.3f}, {w[1]:.3f})")
        ax.axhline(0, color="black", lw=0.5)
        ax.axvline(0, color="black", lw=0.5)
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="$w_1$", ylabel="$w_2$", title=title)
        ax.legend(loc="lower left", fontsize=8.5)
        zero = [f"w{j + 1}" for j in range(2) if w[j] == 0]
        where = ("at the origin, both weights exactly 0" if len(zero) == 2 else
                 f"at a corner on an axis, where {zero[0]} is exactly 0" if zero else "where neither weight is 0")
        region = (f"the L1 diamond |w1| + |w2| ≤ {r:.2f}" if kind == "L1" else f"the L2 disc of radius {r:.2f}")
        met.append(f"{region} touches the thick contour at {_point(w)}, {where}")
    return describe(fig, f"Two maps of the weights (w1, w2), each with the elliptical contours of a quadratic loss "
                         f"around its unpenalised minimum w* = {_point(w_star)}. Left: {met[0]}. Right: {met[1]}.")


def coefficient_paths(lams, paths_l1, paths_l2, names=("$w_1$", "$w_2$")):
    r"""How each weight changes with :math:`\lambda` under L1 (left) and L2 (right): arrays (len(lams), d)."""
    lams = np.asarray(lams, float)
    fig, axes = static_figure(2, width=10.0, height=3.5, sharey=True)
    colors = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["purple"]]
    for ax, paths, title in ((axes[0], np.asarray(paths_l1), "L1: weights reach exactly 0, one by one"),
                             (axes[1], np.asarray(paths_l2), "L2: weights shrink, none reaches 0")):
        for j in range(paths.shape[1]):
            ax.plot(lams, paths[:, j], color=colors[j % len(colors)], lw=2, label=names[j])
        ax.axhline(0, color="black", lw=0.6)
        ax.set(xscale="log", xlabel="λ (log scale)", title=title)
        ax.legend(fontsize=9)
    axes[0].set_ylabel("weight")
    plain = [_plain(names[j]) for j in range(np.shape(paths_l1)[1])]
    return describe(fig, f"Each weight of the penalised minimum against λ from {lams[0]:g} to {lams[-1]:g} on a log "
                         f"axis. Left, L1: {_paths_text(lams, np.asarray(paths_l1, float), plain)}. Right, L2: "
                         f"{_paths_text(lams, np.asarray(paths_l2, float), plain)}.")


def _paths_text(lams, paths, names):
    """How each weight of a path ends: from which λ it is exactly 0, or what it is at the largest λ."""
    parts = []
    for j, name in enumerate(names):
        nonzero = np.flatnonzero(paths[:, j] != 0)
        if nonzero.size == 0:
            parts.append(f"{name} is 0 for every λ")
        elif nonzero[-1] < len(lams) - 1:
            zero_from = lams[nonzero[-1] + 1]
            parts.append(f"{name} goes from {_num(paths[0, j])} to exactly 0, reached at λ ≈ {zero_from:.2g}")
        else:
            turn = int(np.argmax(np.abs(paths[:, j])))
            grows = f", after |{name}| first grows to {abs(paths[turn, j]):.3g}" if 0 < turn < len(lams) - 1 else ""
            parts.append(f"{name} goes from {_num(paths[0, j])} to {_num(paths[-1, j])} without reaching 0{grows}")
    return "; ".join(parts)


def zeros_histograms(weights, labels, threshold=1e-3):
    r"""Histograms of :math:`\log_{10}\lvert w\rvert` for several weight vectors, exact zeros counted apart."""
    fig, axes = static_figure(len(weights), width=4.8 * len(weights), height=3.4, sharey=True)
    axes = np.atleast_1d(axes)
    bins = np.linspace(-8, 1, 37)
    for ax, w, label in zip(axes, weights, labels):
        w = np.asarray(w, float)
        zero = w == 0
        logs = np.log10(np.abs(w[~zero]))
        ax.hist(np.clip(logs, bins[0], bins[-1]), bins=bins, color=PALETTE["blue"], alpha=0.8)
        ax.bar(bins[0] - 1.5, zero.sum(), width=0.8, color=PALETTE["vermillion"])
        ax.axvline(np.log10(threshold), color=PALETTE["grey"], ls="--", lw=1)
        ax.set_xticks([bins[0] - 1.5, -8, -6, -4, -2, 0])
        ax.set_xticklabels(["= 0", "$10^{-8}$", "$10^{-6}$", "$10^{-4}$", "$10^{-2}$", "1"])
        ax.set(xlabel="|w| (log scale)", title=f"{label}\n{zero.sum()} exact zeros, "
               f"{np.count_nonzero(np.abs(w) < threshold)} below {threshold:g}")
    axes[0].set_ylabel("number of weights")
    counts = [f"{label}, {np.count_nonzero(np.asarray(w) == 0)} of {np.size(w)} exactly 0 and "
              f"{np.count_nonzero(np.abs(np.asarray(w, float)) < threshold)} below {threshold:g}"
              for w, label in zip(weights, labels)]
    return describe(fig, f"{len(counts)} histograms of the sizes |w| of a network's weights on a log axis from 10⁻⁸ to "
                         f"10, with exact zeros counted in a separate bar on the left and {threshold:g} marked by a "
                         f"dashed line: " + "; ".join(counts) + ".")


def early_stopping_as_l2(H, w_star, gd_path, lr, ridge_lams, ridge_path, mu, steps_list):
    r"""Early stopping and L2 on a quadratic. Left: the gradient-descent path from 0 (one dot per step) and the
    path of L2 minima :math:`\mathbf w_\lambda` as :math:`\lambda` falls. Right: the shrinkage factors
    :math:`1 - (1 - \eta\mu)^t` of early stopping and :math:`\mu/(\mu + \lambda)` of L2 with :math:`\lambda =
    1/(\eta t)`, against the curvature :math:`\mu`. The points ``gd_path[t]`` and the L2 minima for
    :math:`\lambda = 1/(\eta t)` are marked in pairs for each ``t`` of ``steps_list`` (at most three)."""
    H, w_star, gd_path, ridge_path = (np.asarray(a, float) for a in (H, w_star, gd_path, ridge_path))
    steps_list = tuple(steps_list)
    fig, (ax_p, ax_f) = static_figure(2, width=10.5, height=4.2, width_ratios=[1, 1.15])
    lo = min(gd_path.min(), ridge_path.min(), 0) - 0.2
    hi = max(gd_path.max(), ridge_path.max(), w_star.max()) + 0.3
    g = np.linspace(lo, hi, 200)
    W1, W2 = np.meshgrid(g, g)
    D = np.stack([W1 - w_star[0], W2 - w_star[1]], axis=-1)
    ax_p.contour(W1, W2, 0.5 * np.einsum("...i,ij,...j->...", D, H, D), levels=np.geomspace(0.01, 3, 8),
                 cmap=SEQUENTIAL, linewidths=0.9)
    ax_p.plot(ridge_path[:, 0], ridge_path[:, 1], color=PALETTE["blue"], lw=2.5, label="L2 minima $w_λ$, λ from ∞ to 0")
    ax_p.plot(gd_path[:, 0], gd_path[:, 1], "o", color=PALETTE["vermillion"], ms=3.5,
              label=f"gradient descent from 0, η = {lr:g}")
    ax_p.plot(*w_star, "*", color="white", mec="black", ms=14, zorder=5)
    pairs = []
    for t, color in zip(steps_list, (PALETTE["green"], PALETTE["orange"], PALETTE["purple"])):
        if t < len(gd_path):
            pair = np.array([gd_path[t], ridge_minimizer(H, w_star, 1.0 / (lr * t))])
            pairs.append(f"t = {t}: {_point(pair[0], '.2f')} and {_point(pair[1], '.2f')}")
            ax_p.plot(pair[:, 0], pair[:, 1], "-", color=color, lw=1.2)
            ax_p.plot(*pair[0], "o", color=color, mec="black", ms=7, zorder=6)
            ax_p.plot(*pair[1], "s", color=color, mec="black", ms=7, zorder=6, label=f"t = {t} and λ = 1/(ηt)")
    ax_p.set(xlim=(lo, hi), ylim=(lo, hi), aspect="equal", xlabel="$w_1$", ylabel="$w_2$",
             title="two paths from 0 to w*")
    ax_p.legend(loc="upper left", fontsize=7.5)
    mu = np.asarray(mu, float)
    colors = [PALETTE["green"], PALETTE["orange"], PALETTE["purple"], PALETTE["blue"]]
    gaps, ends = [], []
    for t, color in zip(steps_list, colors):
        lam = 1.0 / (lr * t)
        stopped, penalised = early_stopping_shrinkage(mu, lr, t), l2_shrinkage(mu, lam)
        ax_f.plot(mu, stopped, color=color, lw=2, label=f"stop after t = {t}")
        ax_f.plot(mu, penalised, color=color, lw=1.5, ls="--", label=f"L2, λ = 1/(ηt) = {lam:.3g}")
        gaps.append(stopped - penalised)
        ends.append((max(stopped[0], penalised[0]), min(stopped[-1], penalised[-1])))
    ax_f.set(xscale="log", xlabel="curvature μ of a direction (log scale)", ylabel="fraction of w* reached",
             ylim=(0, 1.05), title="early stopping (solid) and L2 (dashed)")
    ax_f.legend(fontsize=7.5, loc="upper left", ncols=2)
    gaps = np.concatenate(gaps)
    shown = ", ".join(str(t) for t in steps_list[:len(colors)])
    order = ("early stopping's solid curve is never below L2's dashed one" if np.all(gaps >= 0) else
             "early stopping's solid curve is never above L2's dashed one" if np.all(gaps <= 0) else
             "the solid and dashed curves cross")
    marked = (" The pairs marked on both paths (the point after t steps, then the L2 minimum for λ = 1/(ηt)) "
              "are " + "; ".join(pairs) + ".") if pairs else ""
    return describe(fig, f"Left: on the contours of a quadratic loss, the dots of {len(gd_path) - 1} gradient-descent "
                         f"steps from 0 with η = {lr:g} and the curve of L2 minima, both running from the origin "
                         f"towards the minimum w* = {_point(w_star, '.2f')}.{marked} Right: against the curvature μ "
                         f"on a log axis, the fraction of w* reached along a direction, for early stopping after t "
                         f"steps and for L2 with λ = 1/(ηt), t = {shown}: every curve goes from at most "
                         f"{max(e[0] for e in ends):.2f} at μ = {mu[0]:g} to at least {min(e[1] for e in ends):.2f} "
                         f"at μ = {mu[-1]:g}; {order}, and they differ by at most "
                         f"{np.abs(gaps).max():.2f}.")


def thinned_networks(sizes=(4, 6, 6, 2), q=0.5, seeds=(0, 1, 2)):
    r"""A network and three of the thinned networks dropout trains: each hidden unit kept with probability
    :math:`q` (the masks come from :func:`nnmath.regularization.dropout_forward`); dropped units and their
    connections are left out."""
    fig, axes = static_figure(len(seeds) + 1, width=3.0 * (len(seeds) + 1), height=3.2)
    masks_by_seed = [None] + [[np.ones(sizes[0], bool)]
                              + [dropout_forward(np.ones((1, d)), 1.0 - q, rng=seed * 100 + ell)[1][0] != 0
                                 for ell, d in enumerate(sizes[1:-1], start=1)]
                              + [np.ones(sizes[-1], bool)] for seed in seeds]
    kept_counts = []
    for ax, masks in zip(axes, masks_by_seed):
        pos = [np.linspace(-(d - 1) / 2, (d - 1) / 2, d) for d in sizes]
        keep = masks or [np.ones(d, bool) for d in sizes]
        for x in range(len(sizes) - 1):
            for i, y0 in enumerate(pos[x]):
                for j, y1 in enumerate(pos[x + 1]):
                    if keep[x][i] and keep[x + 1][j]:
                        ax.plot([x, x + 1], [y0, y1], color=PALETTE["grey"], lw=0.7, zorder=1)
        for x, (ys, k) in enumerate(zip(pos, keep)):
            ax.scatter(np.full(len(ys), x)[k], ys[k], s=120, color=PALETTE["orange"] if 0 < x < len(sizes) - 1
                       else PALETTE["sky"] if x == 0 else PALETTE["green"], edgecolor="black", zorder=2)
            ax.scatter(np.full(len(ys), x)[~k], ys[~k], s=120, marker="X", color="0.8", edgecolor="0.5", zorder=2)
        ax.set(xlim=(-0.5, len(sizes) - 0.5), ylim=(-max(sizes) / 2 - 0.3, max(sizes) / 2 + 0.3))
        ax.axis("off")
        kept = sum(int(k.sum()) for k in keep[1:-1])
        if masks is not None:
            kept_counts.append(kept)
        ax.set_title("the full network" if masks is None else f"a thinned network: {kept} of "
                     f"{sum(sizes[1:-1])} hidden units", fontsize=9.5)
    counts = ", ".join(str(k) for k in kept_counts[:-1]) + (" and " if len(kept_counts) > 1 else "") + \
        "".join(str(k) for k in kept_counts[-1:])
    thinned = (f", then {len(kept_counts)} thinned copies in which each hidden unit was kept with probability "
               f"q = {q:g}: dropped units are grey crosses with their connections removed, and the copies keep "
               f"{counts} of the {sum(sizes[1:-1])} hidden units") if kept_counts else ""
    return describe(fig, f"A fully connected network with layers of {', '.join(str(d) for d in sizes)} units, drawn "
                         f"as circles joined by lines{thinned}.")


def shifted_digits(X, y, shifts, count=4, shape=(8, 8)):
    r"""A few digits (rows) and their shifted copies (columns), from :func:`nnmath.augment.shift_images`."""
    X = np.asarray(X, float)[:count]
    cols = [(0, 0)] + list(shifts)
    fig, axes = static_figure(len(cols), len(X), width=1.3 * len(cols), height=1.35 * len(X))
    axes = np.atleast_2d(axes)
    names = {(0, 0): "original", (1, 0): "right", (-1, 0): "left", (0, 1): "down", (0, -1): "up"}
    for r, (x, label) in enumerate(zip(X, y)):
        for c, (dx, dy) in enumerate(cols):
            ax = axes[r, c]
            ax.imshow(shift_images(x[None, :], dx, dy, shape).reshape(shape), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(names.get((dx, dy), f"({dx}, {dy})"), fontsize=9)
            if c == 0:
                ax.set_ylabel(f"a {label}", fontsize=9)
    moves = [_shift_text(dx, dy) for dx, dy in cols[1:]]
    digits = ", ".join(str(v) for v in list(y)[:len(X)])
    return describe(fig, f"A grid of {shape[0]} by {shape[1]} pixel grey-scale digits: each row is one digit (the "
                         f"digits {digits}), the first column the original and the others copies moved "
                         f"{', '.join(moves)}.")


def _shift_text(dx, dy) -> str:
    parts = [f"{abs(v)} pixel{'s' if abs(v) > 1 else ''} {way}"
             for v, way in ((dx, "right" if dx > 0 else "left"), (dy, "down" if dy > 0 else "up")) if v]
    return " and ".join(parts) or "not at all"


def comparison_chart(comparison, labels=None):
    r"""The chosen setting of every method of a :class:`~nnmath.generalization.Comparison`: validation accuracy
    (what chose it) and test accuracy (read once), mean and spread over the seeds."""
    methods = [m for m in comparison.chosen]
    labels = labels or {m: m for m in methods}
    fig, ax = static_figure(width=9.0, height=3.6)
    x = np.arange(len(methods))
    val = [comparison.val[m, comparison.chosen[m]] for m in methods]
    test = [comparison.test[m] for m in methods]
    ax.bar(x - 0.2, [np.mean(v) for v in val], 0.38, yerr=[np.std(v) for v in val], color=PALETTE["sky"],
           capsize=3, label="validation (chooses)")
    ax.bar(x + 0.2, [np.mean(t) for t in test], 0.38, yerr=[np.std(t) for t in test], color=PALETTE["blue"],
           capsize=3, label="test (read once)")
    for xi, t in zip(x, test):
        ax.text(xi + 0.2, np.mean(t) + 0.02, f"{np.mean(t):.3f}", ha="center", fontsize=8)
    ax.set_xticks(x)
    ax.set_xticklabels([labels[m] for m in methods], fontsize=9)
    lo = min(min(np.mean(v) for v in val), min(np.mean(t) for t in test))
    ax.set(ylim=(max(0.0, lo - 0.15), 1.0), ylabel="accuracy", title="each method at its setting chosen on validation")
    ax.legend(loc="upper left", fontsize=8.5, ncols=2)
    name = {m: " ".join(str(labels[m]).split()) for m in methods}
    means = {m: float(np.mean(t)) for m, t in zip(methods, test)}
    top, bottom = max(means, key=means.get), min(means, key=means.get)
    best = comparison.best
    return describe(fig, f"A pair of bars for each of {len(methods)} methods at its chosen setting: validation "
                         f"accuracy (light) and test accuracy (dark), means over {len(comparison.seeds)} seeds with "
                         f"error bars of one standard deviation. Test accuracies: "
                         + ", ".join(f"{name[m]} {means[m]:.3f}" for m in methods)
                         + f"; highest for {name[top]}, lowest for {name[bottom]}. Validation chose {name[best]} "
                         f"(mean validation accuracy {np.mean(val[methods.index(best)]):.3f}).")

