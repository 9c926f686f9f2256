r"""Figures of chapter 9 (handwritten digits): samples, MNIST's format, training curves, a comparison over
seeds, the confusion matrix, the worst mistakes, first-layer weights and a reliability diagram."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..data.mnist import MNIST_SIDE, bounding_box, center_of_mass, resize_area, to_mnist_format
from ._style import COLORS, DIVERGING, PALETTE, describe, static_figure

__all__ = ["digit_gallery", "mnist_format_steps", "training_curves", "recipe_comparison", "confusion_heatmap",
           "mistake_gallery", "weight_images", "reliability_diagram"]

INK = "gray_r"  # ink dark on white, as on paper (and on the drawing pad)


def _image(ax, pixels, title=None, side=MNIST_SIDE, cmap=INK, **kw):
    ax.imshow(np.asarray(pixels).reshape(side, -1), cmap=cmap, vmin=kw.pop("vmin", 0.0), vmax=kw.pop("vmax", 1.0),
              interpolation="nearest", **kw)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title is not None:
        ax.set_title(title, fontsize=8.5, pad=2)


def digit_gallery(X, y, per_class=10, seed=0):
    """``per_class`` random images of every class, one row per class, with the class counts beside the rows.

    The images are tiled into one picture (a white gap of 2 pixels between neighbours) drawn by one ``imshow``:
    a grid of 100 small axes would look the same and take ten times longer to draw."""
    X, y = np.asarray(X), np.asarray(y)
    rng = np.random.default_rng(seed)
    k = int(y.max()) + 1
    side, gap = MNIST_SIDE, 2
    step = side + gap
    mosaic = np.zeros((k * step - gap, per_class * step - gap))
    counts = np.bincount(y, minlength=k)
    for c in range(k):
        chosen = rng.choice(np.flatnonzero(y == c), size=per_class, replace=False)
        for j, i in enumerate(chosen):
            mosaic[c * step:c * step + side, j * step:j * step + side] = X[i].reshape(side, side)
    fig, ax = static_figure(1, width=0.62 * per_class + 0.9, height=0.62 * k + 0.3)
    ax.imshow(mosaic, cmap=INK, vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([c * step + (side - 1) / 2 for c in range(k)], [f"{c}  ({counts[c]:,})" for c in range(k)],
                  fontsize=9)
    ax.tick_params(axis="y", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.suptitle(f"{per_class} random images of each class (in brackets: how many the class has)", fontsize=10)
    return describe(fig, f"A grid of handwritten digits, dark ink on white: {per_class} random images of each class "
                         f"0 to {k - 1}, one row per class, labelled with the class and its number of images "
                         f"({counts.min():,} to {counts.max():,}).")


def mnist_format_steps(ink, original=None):
    r"""A drawing on its way to MNIST's format: the drawing with its bounding box, the crop scaled into 20 × 20,
    and the 28 × 28 result with its centre of mass (and, if given, the image the drawing was made from)."""
    ink = np.asarray(ink, dtype=float)
    top, bottom, left, right = bounding_box(ink)
    h, w = bottom - top, right - left
    scale = 20 / max(h, w)
    small = resize_area(ink[top:bottom, left:right], (max(1, int(np.floor(h * scale + 0.5))),
                                                      max(1, int(np.floor(w * scale + 0.5)))))
    result = to_mnist_format(ink)
    panels = 4 if original is not None else 3
    fig, axes = static_figure(panels, width=2.5 * panels, height=2.9)
    _image(axes[0], ink, f"1. the drawing, {ink.shape[0]} × {ink.shape[1]}", side=ink.shape[0])
    axes[0].add_patch(_rectangle(left - 0.5, top - 0.5, w, h))
    _image(axes[1], small, f"2. its box scaled to {small.shape[0]} × {small.shape[1]}", side=small.shape[0])
    r, c = center_of_mass(result)
    _image(axes[2], result, "3. placed in 28 × 28 by its\ncentre of mass (+)")
    axes[2].plot([c], [r], "+", color=PALETTE["vermillion"], ms=14, mew=2)
    axes[2].axhline(14, color=PALETTE["sky"], lw=0.6)
    axes[2].axvline(14, color=PALETTE["sky"], lw=0.6)
    if original is not None:
        _image(axes[3], original, "the MNIST image it was\nmade from")
    made = " and, last, the MNIST image the drawing was made from" if original is not None else ""
    return describe(fig, f"{panels} panels. A {ink.shape[0]} × {ink.shape[1]} drawing with a box around its ink; "
                         f"the box scaled to {small.shape[0]} × {small.shape[1]} pixels, its edges grey; the result "
                         f"placed in a 28 × 28 frame, its centre of mass (a cross at row {r:.1f}, column {c:.1f}) "
                         f"near the frame's centre{made}.")


def _rectangle(x, y, w, h):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, fill=False, ec=PALETTE["vermillion"], lw=1.5)


def training_curves(history, title="training and validation"):
    """Loss and accuracy per epoch, on the training batches and on the validation set."""
    epochs = np.arange(1, history.epochs + 1)
    fig, (ax_loss, ax_acc) = static_figure(2, width=9.5, height=3.3)
    ax_loss.plot(epochs, history.loss, "o-", ms=3, label="training (during the epoch)")
    ax_loss.plot(epochs, history.val_loss, "s-", ms=3, label="validation (after the epoch)")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", yscale="log", title="loss")
    ax_acc.plot(epochs, 100 * np.asarray(history.accuracy), "o-", ms=3, label="training")
    ax_acc.plot(epochs, 100 * np.asarray(history.val_accuracy), "s-", ms=3, label="validation")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy", ylim=(90, 100.2))
    for ax in (ax_loss, ax_acc):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_loss.legend(fontsize=8.5)
    fig.suptitle(title, fontsize=11)
    best = int(np.argmin(history.val_loss)) + 1
    return describe(fig, f"{title}, over {history.epochs} epochs. Left: the training loss falls from "
                         f"{history.loss[0]:.2g} to {history.loss[-1]:.2g} (log scale); the validation loss is lowest "
                         f"at epoch {best} ({min(history.val_loss):.2g}) and ends at {history.val_loss[-1]:.2g}. "
                         f"Right: accuracy, ending at {100 * history.accuracy[-1]:.1f}% on the training batches and "
                         f"{100 * history.val_accuracy[-1]:.1f}% on validation.")


def recipe_comparison(results, chosen=None):
    """Validation accuracy of every recipe: one dot per seed and the mean, and the validation loss per epoch."""
    names = list(results)
    fig, (ax, ax_curve) = static_figure(2, width=10.0, height=3.4)
    for k, name in enumerate(names):
        acc = 100 * np.asarray(results[name].val_accuracy)
        color = COLORS[k % len(COLORS)]
        ax.plot(np.full(acc.size, k) + np.linspace(-0.12, 0.12, acc.size), acc, "o", color=color, ms=6, alpha=0.8)
        ax.plot([k - 0.25, k + 0.25], [acc.mean()] * 2, color=color, lw=2.5)
        for h in results[name].histories:
            ax_curve.plot(np.arange(1, h.epochs + 1), h.val_loss, color=color, lw=1.2, alpha=0.8,
                          label=name if h is results[name].histories[0] else None)
    ax.set_xticks(range(len(names)), [n + (" (chosen)" if n == chosen else "") for n in names], fontsize=8.5)
    ax.set(ylabel="validation accuracy (%)", title="the same budget, several seeds (dots), their mean (bar)")
    ax_curve.set(xlabel="epoch", ylabel="validation loss", yscale="log", title="validation loss, every run")
    ax_curve.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_curve.legend(fontsize=8)
    means = ", ".join(f"{name} {100 * np.mean(results[name].val_accuracy):.1f}%" for name in names)
    return describe(fig, f"Left: the validation accuracy of {len(names)} recipes on the same budget, one dot per seed "
                         f"and a bar at the mean ({means})" + (f"; {chosen} is marked as chosen" if chosen else "")
                    + ". Right: the validation loss per epoch of every run, one colour per recipe (log scale).")


def confusion_heatmap(C, title="confusion matrix on the test set"):
    """Counts of (true class, predicted class); the diagonal dimmed so that the mistakes stand out."""
    C = np.asarray(C)
    k = C.shape[0]
    off = C.astype(float).copy()
    np.fill_diagonal(off, np.nan)
    fig, ax = static_figure(width=5.6, height=5.0)
    image = ax.imshow(off, cmap="Oranges", vmin=0, vmax=max(1.0, np.nanmax(off)))
    for i in range(k):
        for j in range(k):
            if C[i, j]:
                ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=8,
                        color="#555555" if i == j else "black", fontweight="normal" if i == j else "bold")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set(xlabel="predicted class", ylabel="true class", title=title)
    fig.colorbar(image, ax=ax, shrink=0.8, label="mistakes")
    wrong = C.sum() - np.trace(C)
    i, j = np.unravel_index(np.nanargmax(off), off.shape)
    return describe(fig, f"{title}: a {k} × {k} table of counts, true class down, predicted class across. The "
                         f"diagonal holds the {np.trace(C):,} right answers; the {wrong:,} mistakes are coloured "
                         f"by count, the most common being {C[i, j]} images of {i} taken for {j}.")


def mistake_gallery(images, labels, P, indices, ncols=8):
    """The given test images with their label, the network's answer and the probability it gave that answer."""
    indices = list(indices)
    nrows = max(1, int(np.ceil(len(indices) / ncols)))
    fig, axes = static_figure(ncols, nrows, width=1.25 * ncols, height=1.45 * nrows + 0.2, squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), indices):
        said = int(np.argmax(P[i]))
        _image(ax, images[i], f"{labels[i]} → said {said}\n({100 * P[i, said]:.0f}%; {labels[i]}: "
                              f"{100 * P[i, labels[i]]:.0f}%)")
        ax.axis("on")
    said = [f"{labels[i]} read as {int(np.argmax(P[i]))}" for i in indices[:4]]
    return describe(fig, f"{len(indices)} test digits the network got wrong, each titled with its label, the "
                         f"network's answer and the probabilities it gave both; the first: {', '.join(said)}.")


def weight_images(W, units, ncols=8, title="first-layer weights"):
    """Columns of a first-layer weight matrix shown as 28 × 28 images: what each hidden unit responds to."""
    W = np.asarray(W)
    units = list(units)
    nrows = int(np.ceil(len(units) / ncols))
    fig, axes = static_figure(ncols, nrows, width=1.05 * ncols, height=1.1 * nrows + 0.35, squeeze=False,
                              gridspec_kw={"wspace": 0.05, "hspace": 0.05})
    for ax in axes.ravel():
        ax.axis("off")
    for ax, j in zip(axes.ravel(), units):
        w = W[:, j]
        m = np.abs(w).max()
        _image(ax, w, cmap=DIVERGING, vmin=-m, vmax=m)
        ax.axis("on")
    fig.suptitle(title, fontsize=10)
    shown = np.abs(W[:, units]).reshape(MNIST_SIDE, MNIST_SIDE, -1).mean(axis=2)
    border = np.ones((MNIST_SIDE, MNIST_SIDE), dtype=bool)
    border[4:-4, 4:-4] = False
    return describe(fig, f"{title}: {len(units)} small 28 × 28 images, one per hidden unit, each unit's weights in a "
                         "diverging colour scale (one colour for positive, the other for negative, white for 0); on "
                         f"average a weight is {shown[~border].mean() / shown[border].mean():.1f} times larger inside "
                         "the 20 × 20 box than in the four-pixel border.")


def reliability_diagram(bins, ece=None, title="reliability diagram (test set)"):
    """Accuracy against confidence per bin (bars), the diagonal of perfect calibration, and the bins' sizes."""
    centres = 0.5 * (bins.edges[:-1] + bins.edges[1:])
    width = np.diff(bins.edges)
    used = bins.count > 0
    fig, (ax, ax_count) = static_figure(2, width=9.0, height=3.6)
    ax.bar(centres[used], bins.accuracy[used], width=width[used] * 0.92, color=PALETTE["sky"], ec=PALETTE["blue"],
           label="accuracy in the bin")
    ax.plot(bins.confidence[used], bins.accuracy[used], "o", color=PALETTE["blue"], ms=4,
            label="(mean confidence, accuracy)")
    ax.plot([0, 1], [0, 1], "--", color=PALETTE["grey"], label="calibrated: accuracy = confidence")
    label = title if ece is None else f"{title}; ECE = {100 * ece:.2f}%"
    ax.set(xlabel="confidence (largest probability)", ylabel="accuracy", xlim=(0, 1), ylim=(0, 1.02), title=label)
    ax.legend(fontsize=8, loc="upper left")
    ax_count.bar(centres[used], bins.count[used], width=width[used] * 0.92, color=PALETTE["grey"])
    ax_count.set(xlabel="confidence", ylabel="test images (log scale)", yscale="log", xlim=(0, 1),
                 title="how many predictions fall in each bin")
    top = int(np.flatnonzero(used)[-1])
    return describe(fig, f"Left: accuracy against confidence in {int(used.sum())} bins, as bars beside the dashed "
                         f"diagonal of perfect calibration" + ("" if ece is None else f" (ECE {100 * ece:.2f}%)")
                    + f"; in the last bin the mean confidence is {bins.confidence[top]:.2f} and the accuracy "
                      f"{bins.accuracy[top]:.2f}. Right: how many test images fall in each bin (log scale), "
                      f"{int(bins.count[top]):,} of {int(bins.count.sum()):,} in the last.")
