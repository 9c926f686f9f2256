r"""Static figures of chapter 4: loss functions, where they come from, their gradients, and computing them safely."""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..data import make_linear_regression
from ..likelihood import gaussian_density, laplace_density
from ..linefit import line_mse_hessian
from ..losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_prime,
    mae_prime,
    mse,
    mse_prime,
)
from ._style import PALETTE, describe, static_figure

__all__ = ["sum_vs_mean", "residual_penalties", "noise_models", "ce_vs_mse", "stable_bce", "constant_descent",
           "saturated_start"]


def sum_vs_mean(sizes=(10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000), *, line=(0.0, 0.0), seed=0):
    r"""Why the loss is a mean: the sum grows with the data set, and the safe learning rate shrinks with it.

    The same data-generating process (:func:`nnmath.data.make_linear_regression`, slope 2, intercept -1,
    noise 0.5) is sampled with :math:`n` points for each :math:`n` of ``sizes``. Left: the loss of one fixed
    line as the sum :math:`\sum_i r_i^2` and as the mean :math:`\frac1n\sum_i r_i^2` (:func:`nnmath.losses.mse`).
    Right: the largest learning rate for which gradient descent on that loss converges, :math:`2/\mu_{\max}`
    with :math:`\mu_{\max}` the largest eigenvalue of the Hessian (:func:`nnmath.linefit.line_mse_hessian`); the
    sum's Hessian is :math:`n` times the mean's, so its safe learning rate is :math:`n` times smaller.

    Returns
    -------
    matplotlib.figure.Figure
    """
    sizes = np.asarray(sizes, dtype=int)
    X, y = make_linear_regression(n=int(sizes.max()), seed=seed)
    w, b = line
    means, sums, lr_mean, lr_sum = [], [], [], []
    for n in sizes:
        x_n, y_n = X[:n, 0], y[:n]
        mean = mse(w * x_n + b, y_n)
        means.append(mean)
        sums.append(n * mean)
        mu_max = float(np.linalg.eigvalsh(line_mse_hessian(x_n))[-1])  # of the mean; the sum's is n times it
        lr_mean.append(2.0 / mu_max)
        lr_sum.append(2.0 / (n * mu_max))
    fig, (ax_l, ax_r) = static_figure(2, width=10.5, height=3.8)
    ax_l.loglog(sizes, sums, "o-", color=PALETTE["vermillion"], lw=2, label=r"sum  $\sum_i r_i^2$")
    ax_l.loglog(sizes, means, "s-", color=PALETTE["blue"], lw=2, label=r"mean  $\frac{1}{n}\sum_i r_i^2$ (MSE)")
    ax_l.set(title=f"loss of the line ŷ = {w:g}·x + {b:g}", xlabel="number of samples n", ylabel="loss")
    ax_l.legend(loc="upper left", fontsize=9)
    ax_r.loglog(sizes, lr_sum, "o-", color=PALETTE["vermillion"], lw=2, label="for the sum")
    ax_r.loglog(sizes, lr_mean, "s-", color=PALETTE["blue"], lw=2, label="for the mean")
    ax_r.set(title="largest stable learning rate 2/μ_max", xlabel="number of samples n", ylabel="η")
    ax_r.legend(loc="lower left", fontsize=9)
    for ax in (ax_l, ax_r):
        ax.grid(True, which="major", color=PALETTE["grey"], alpha=0.3, lw=0.6)
    return describe(fig, f"Two log–log panels against the number of samples n, from {sizes.min()} to {sizes.max()}. "
                         f"Left: the loss of one fixed line as a sum of squared residuals climbs in proportion to n, "
                         f"while the mean (MSE) stays level near {float(np.median(means)):.2g}. Right: the largest "
                         f"learning rate at which gradient descent converges stays level for the mean and falls in "
                         f"proportion to 1/n for the sum.")


def residual_penalties(outlier=4.0, r_max=5.0):
    r"""The penalty each loss puts on one residual :math:`r = \hat y - y`, and the pull of its gradient.

    Left: :math:`r^2` (MSE) and :math:`|r|` (MAE). Right: their derivatives with respect to the prediction
    for one sample (:func:`nnmath.losses.mse_prime`, :func:`nnmath.losses.mae_prime` with :math:`N = 1`),
    :math:`2r` and :math:`\operatorname{sign}(r)`: under MSE a point pulls on the fit in proportion to its
    error, under MAE every point pulls equally hard. The dotted line marks an outlier's residual.

    Returns
    -------
    matplotlib.figure.Figure
    """
    r = np.linspace(-r_max, r_max, 801)
    zeros = np.zeros(1)
    d_mse = np.array([mse_prime(np.array([v]), zeros)[0] for v in r])
    d_mae = np.array([mae_prime(np.array([v]), zeros)[0] for v in r])
    fig, (ax_l, ax_r) = static_figure(2, width=10.5, height=3.6)
    ax_l.plot(r, r**2, color=PALETTE["blue"], lw=2.2, label="squared  $r^2$")
    ax_l.plot(r, np.abs(r), color=PALETTE["orange"], lw=2.2, ls="--", label=r"absolute  $|r|$")
    ax_l.set(title="penalty of one residual", xlabel=r"residual $r = \hat y - y$", ylabel="penalty",
             ylim=(-0.5, r_max**2 * 0.8))
    ax_r.plot(r, d_mse, color=PALETTE["blue"], lw=2.2, label=r"$\partial (r^2)/\partial \hat y = 2r$")
    ax_r.plot(r, d_mae, color=PALETTE["orange"], lw=2.2, ls="--",
              label=r"$\partial |r|/\partial \hat y = \mathrm{sign}(r)$")
    ax_r.set(title="its gradient: how hard the point pulls", xlabel=r"residual $r = \hat y - y$",
             ylabel=r"$\partial\,\mathrm{penalty} / \partial \hat y$")
    for ax in (ax_l, ax_r):
        ax.axhline(0, color="black", lw=0.5)
        ax.axvline(0, color="black", lw=0.5)
        ax.axvline(outlier, color=PALETTE["grey"], lw=1, ls=":")
        ax.legend(loc="upper center", fontsize=9)
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.9}
    ax_l.plot([outlier, outlier], [outlier**2, outlier], "o", color=PALETTE["grey"], ms=5)
    ax_l.text(outlier - 0.15, outlier**2, f"outlier r = {outlier:g}:\npenalty {outlier**2:g} vs {outlier:g}",
              fontsize=8, va="center", ha="right", color="dimgray", bbox=box)
    ax_r.plot([outlier, outlier], [2 * outlier, 1.0], "o", color=PALETTE["grey"], ms=5)
    ax_r.text(outlier + 0.15, 2 * outlier - 2.2, f"pull\n{2 * outlier:g} vs 1", fontsize=8, va="top", ha="left",
              color="dimgray", bbox=box)
    return describe(fig, f"Left: the squared penalty r², a parabola, and the absolute penalty |r|, a V, for "
                         f"residuals r from −{r_max:g} to {r_max:g}; at an outlier's residual of {outlier:g} they are "
                         f"{outlier ** 2:g} and {outlier:g}. Right: their derivatives, the line 2r and the step "
                         f"sign(r): under squared error the outlier pulls with strength {2 * outlier:g}, under "
                         f"absolute error with strength 1, like every other point.")


def noise_models(X, y, w, b, scale=0.5):
    r"""The probabilistic reading of regression: each target is the line's prediction plus random noise.

    Left: the data and the line :math:`\hat y = wx + b`, with the Gaussian density
    :math:`\mathcal N(wx + b, \zeta^2)` of :math:`y` drawn sideways at three :math:`x`: the likelihood of a
    point is the height of its bell at its :math:`y`. Right: the densities of Gaussian noise and of Laplace
    noise with the same variance, on a logarithmic axis, where :math:`\log p(\varepsilon)` is
    :math:`\text{const} - \varepsilon^2/2\zeta^2` (a parabola) and :math:`\text{const} - |\varepsilon|/\zeta`
    (a V), each with its own scale :math:`\zeta`: the negative log-densities are the squared and the absolute
    error.

    Parameters
    ----------
    X : array_like, shape (n, 1)
    y : array_like, shape (n,)
    w, b : float
        The line.
    scale : float
        :math:`\zeta`, the Gaussian noise's standard deviation.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.asarray(X, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float)
    fig, (ax_l, ax_r) = static_figure(2, width=10.5, height=3.9, width_ratios=[1.3, 1])
    xs = np.linspace(x.min() - 0.3, x.max() + 0.3, 2)
    ax_l.plot(xs, w * xs + b, color=PALETTE["blue"], lw=2, label=r"$\hat y = wx + b$")
    ax_l.scatter(x, y, s=16, color=PALETTE["black"], zorder=3, label="data $(x_i, y_i)$")
    width = 0.9 * (x.max() - x.min()) / 6  # the tallest bell spans this much of the x axis
    t = np.linspace(-3 * scale, 3 * scale, 121)
    peak = gaussian_density(0.0, scale=scale)
    for k, x0 in enumerate(np.linspace(x.min() + 0.5, x.max() - 1.2, 3)):
        centre = w * x0 + b
        ax_l.plot(x0 + width * gaussian_density(t, scale=scale) / peak, centre + t, color=PALETTE["orange"], lw=1.6,
                  label=r"density of $y$ at $x$: $\mathcal{N}(wx + b, \zeta^2)$" if k == 0 else None)
        ax_l.plot([x0, x0], [centre - 3 * scale, centre + 3 * scale], color=PALETTE["orange"], lw=0.8, ls=":")
    ax_l.set(title=f"y = wx + b + noise, noise ~ N(0, {scale:g}²)", xlabel="x", ylabel="y")
    ax_l.legend(loc="upper left", fontsize=8)
    noise = np.linspace(-4, 4, 401)
    zeta = 1 / np.sqrt(2)  # Laplace(0, ζ) has variance 2ζ² = 1, like N(0, 1)
    ax_r.semilogy(noise, gaussian_density(noise, scale=1.0), color=PALETTE["blue"], lw=2.2,
                  label=r"Gaussian, $\zeta = 1$: $\log p = \mathrm{const} - \varepsilon^2/2\zeta^2$  → MSE")
    ax_r.semilogy(noise, laplace_density(noise, scale=zeta), color=PALETTE["orange"], lw=2.2, ls="--",
                  label=r"Laplace, $\zeta = 1/\sqrt{2}$: $\log p = \mathrm{const} - |\varepsilon|/\zeta$  → MAE")
    ax_r.set(title="two noise models, variance 1 (log scale)", xlabel=r"noise $\varepsilon = y - \hat y$",
             ylabel=r"density $p(\varepsilon)$", ylim=(1e-4, 2.0))
    ax_r.legend(loc="lower center", fontsize=8)
    sign = "−" if b < 0 else "+"
    return describe(fig, f"Left: {x.size} data points scattered around the line y = {w:g}x {sign} {abs(b):g}, with "
                         f"three Gaussian bell curves of standard deviation {scale:g} drawn sideways on the line: the "
                         f"density of y at those x. Right, on a logarithmic axis: the Gaussian density is a downward "
                         f"parabola and the Laplace density of the same variance a downward V, so their negative "
                         f"logarithms are the squared and the absolute error.")


def ce_vs_mse(z_max=8.0, mistake=-4.0):
    r"""Cross-entropy versus squared error on a sigmoid output, as functions of the logit, for target :math:`y = 1`.

    With :math:`p = \sigma(z)`. Left: the losses, :math:`-\log\sigma(z)`
    (:func:`nnmath.losses.binary_cross_entropy_with_logits`) and :math:`(\sigma(z) - 1)^2`
    (:func:`nnmath.losses.mse`). Right: their derivatives with respect to the logit,

    .. math::
        \frac{\partial\,\mathrm{CE}}{\partial z} = p - y, \qquad
        \frac{\partial\,\mathrm{MSE}}{\partial z} = 2(p - y)\,p(1 - p),

    from :func:`nnmath.losses.binary_cross_entropy_with_logits_prime` and :func:`nnmath.losses.mse_prime` times
    :func:`nnmath.activations.sigmoid_prime`. The shaded region is a confident mistake (:math:`p < 0.1`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    z = np.linspace(-z_max, z_max, 801)
    one = np.ones(1)
    ce = np.array([binary_cross_entropy_with_logits(np.array([v]), one) for v in z])
    p = sigmoid(z)
    sq = np.array([mse(np.array([v]), one) for v in p])
    d_ce = np.array([binary_cross_entropy_with_logits_prime(np.array([v]), one)[0] for v in z])
    d_sq = np.array([mse_prime(np.array([v]), one)[0] for v in p]) * sigmoid_prime(z)
    wrong = float(np.log(0.1 / 0.9))  # logit of p = 0.1
    fig, (ax_l, ax_r) = static_figure(2, width=10.5, height=3.8)
    for ax in (ax_l, ax_r):
        ax.axvspan(-z_max, wrong, color=PALETTE["grey"], alpha=0.18, lw=0)
        ax.axhline(0, color="black", lw=0.5)
        ax.axvline(0, color="black", lw=0.5)
        ax.set_xlim(-z_max, z_max)
    ax_l.text(-z_max + 0.2, 0.42, "confident\nmistake:\np < 0.1", transform=ax_l.get_xaxis_transform(), fontsize=8,
              va="top", color="dimgray")
    ax_l.plot(z, ce, color=PALETTE["blue"], lw=2.2, label=r"cross-entropy $-\log p$")
    ax_l.plot(z, sq, color=PALETTE["vermillion"], lw=2.2, ls="--", label=r"squared error $(p - 1)^2$")
    ax_l.set(title="loss for target y = 1, p = σ(z)", xlabel="logit z", ylabel="loss", ylim=(-0.3, z_max + 0.5))
    ax_l.legend(loc="upper right", fontsize=9)
    ax_r.plot(z, d_ce, color=PALETTE["blue"], lw=2.2, label=r"cross-entropy: $p - y$")
    ax_r.plot(z, d_sq, color=PALETTE["vermillion"], lw=2.2, ls="--", label=r"squared error: $2(p - y)\,p(1 - p)$")
    k = int(np.argmin(np.abs(z - mistake)))
    for values, color in ((d_ce, PALETTE["blue"]), (d_sq, PALETTE["vermillion"])):
        ax_r.plot([z[k]], [values[k]], "o", color=color, ms=6)
        ax_r.annotate(f"{values[k]:.3f}", (z[k], values[k]), textcoords="offset points", xytext=(6, -12 if
                      values is d_ce else 6), fontsize=8, color=color)
    ax_r.set(title="gradient with respect to the logit", xlabel="logit z", ylabel="∂loss/∂z", ylim=(-1.1, 0.25))
    ax_r.legend(loc="lower right", fontsize=9)
    return describe(fig, f"For a sigmoid output with target 1, against the logit z from −{z_max:g} to {z_max:g}. "
                         f"Left: cross-entropy −log p grows without bound as z becomes very negative (a confident "
                         f"mistake, shaded) while squared error (p − 1)² levels off at 1. Right: their gradients with "
                         f"respect to z; at z = {z[k]:g} cross-entropy's is {d_ce[k]:.3f}, close to −1, while squared "
                         f"error's is only {d_sq[k]:.3f}: squared error barely corrects a confident mistake.")


def _naive_bce(z, y):
    # the textbook route: probability first, then its logarithm; overflow and log(0) are the point here
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
        return -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def stable_bce(z_max=60.0, y=0.0):
    r"""Binary cross-entropy of a confident wrong logit, computed three ways (target ``y``, default 0).

    * naive: :math:`p = 1/(1 + e^{-z})`, then :math:`-[y\log p + (1-y)\log(1-p)]`. For :math:`z \gtrsim 36.7`,
      :math:`p` rounds to exactly 1.0 and :math:`\log(1 - p) = \log 0 = -\infty`: the loss is infinite;
    * clipped: :func:`nnmath.losses.binary_cross_entropy`, which clips :math:`p` to :math:`[\epsilon, 1 - \epsilon]`:
      finite, but stuck at :math:`-\log\epsilon \approx 36.04`;
    * from the logit: :func:`nnmath.losses.binary_cross_entropy_with_logits`,
      :math:`\max(z, 0) - zy + \log(1 + e^{-|z|})`: right everywhere.

    Returns
    -------
    matplotlib.figure.Figure
    """
    z = np.linspace(0.0, z_max, 601)
    target = np.array([float(y)])
    stable = np.array([binary_cross_entropy_with_logits(np.array([v]), target) for v in z])
    clipped = np.array([binary_cross_entropy(sigmoid(np.array([v])), target) for v in z])
    naive = _naive_bce(z, float(y))
    finite = np.isfinite(naive)
    fig, ax = static_figure(1, width=7.0, height=3.9)
    ax.plot(z, stable, color=PALETTE["blue"], lw=3.2, label="from the logit (stable): correct")
    ax.plot(z, clipped, color=PALETTE["orange"], lw=2, ls="--", label="clipped probability: capped at −log ε ≈ 36.04")
    ax.plot(z[finite], naive[finite], color=PALETTE["vermillion"], lw=1.6, ls=":", label="naive: log(1 − σ(z))")
    z_break = float(z[~finite][0]) if (~finite).any() else None
    if z_break is not None:
        ax.axvline(z_break, color=PALETTE["vermillion"], lw=0.8, ls=":")
        ax.annotate(f"from z ≈ {z_break:.1f}: σ(z) == 1.0,\nlog(1 − σ(z)) = −inf, loss = inf", (z_break, 30),
                    xytext=(8, -40), textcoords="offset points", fontsize=8, color=PALETTE["vermillion"])
    ax.set(title=f"binary cross-entropy of logit z when the target is y = {y:g}", xlabel="logit z",
           ylabel="loss", xlim=(0, z_max), ylim=(0, z_max * 1.05))
    ax.legend(loc="upper left", fontsize=8)
    broken = (f"and from z ≈ {z_break:.1f} on it is infinite, since σ(z) rounds to 1" if z_break is not None
              else "and it stays finite on this range")
    return describe(fig, f"Binary cross-entropy of a logit z from 0 to {z_max:g} when the target is {y:g}, computed "
                         f"three ways: from the logit it is correct, rising like z itself; from a clipped "
                         f"probability it stops rising at about 36.04; computed naively from σ(z) it follows the "
                         f"correct line at first, {broken}.")


def constant_descent(paths, y, *, highlight=None):
    r"""Gradient descent on one constant :math:`\hat y` predicted for every target, under several losses.

    Each path is the sequence :math:`\hat y_0, \hat y_1, \dots` of the iterates :math:`\hat y_{t+1} = \hat y_t -
    \eta\, dL/d\hat y`. Horizontal lines mark the mean and the median of ``y`` (the minimisers of the MSE and the MAE).
    Left: the iterates; right: the distance to each loss's own minimiser, on a log scale (a straight line going
    down is geometric convergence, a flat band is a rattle).

    Parameters
    ----------
    paths : dict
        ``label → (iterates, minimiser)``: the path, shape (steps + 1,), and the value it should reach.
    y : array_like, shape (n,)
        The targets.
    highlight : str, optional
        A label to draw thicker.

    Returns
    -------
    matplotlib.figure.Figure
    """
    y = np.asarray(y, dtype=float)
    colors = [PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"], PALETTE["orange"]]
    fig, (ax_c, ax_d) = static_figure(2, width=10.5, height=3.8)
    ax_c.axhline(float(np.mean(y)), color=PALETTE["grey"], lw=1, ls="--", label=f"mean {np.mean(y):.2f}")
    ax_c.axhline(float(np.median(y)), color="black", lw=1, ls=":", label=f"median {np.median(y):.2f}")
    for color, (label, (path, target)) in zip(colors, paths.items()):
        path = np.asarray(path, dtype=float)
        t = np.arange(path.size)
        lw = 2.4 if label == highlight else 1.6
        ax_c.plot(t, path, color=color, lw=lw, label=label)
        distance = np.abs(path - float(target))
        ax_d.semilogy(t, np.maximum(distance, 1e-16), color=color, lw=lw, label=label)
    ax_c.set(xlabel="step t", ylabel=r"constant $\hat y_t$", title="the iterates")
    ax_c.legend(loc="upper right", fontsize=8)
    ax_d.set(xlabel="step t", ylabel="distance to the minimiser (log scale)",
             title="how they settle", ylim=(1e-16, None))
    ax_d.legend(loc="lower left", fontsize=8)
    def gap(path, target):  # below 1e-6 the digits are rounding
        distance = abs(float(np.asarray(path)[-1]) - float(target))
        return f"{distance:.2g}" if distance >= 1e-6 else "less than 1e-6"

    ends = "; ".join(f"{label} ends {gap(path, target)} from its minimiser {float(target):.2f}"
                     for label, (path, target) in paths.items())
    return describe(fig, f"Two panels against the step t of gradient descent on one constant predicted for {y.size} "
                         f"targets (mean {np.mean(y):.2f}, median {np.median(y):.2f}, dashed and dotted). Left: the "
                         f"iterates of each loss. Right, on a log axis, their distance to each loss's own minimiser: a "
                         f"straight line down is geometric convergence, a flat band a rattle that never settles. "
                         f"{ends}.")


def saturated_start(outputs, *, eta=None):
    r"""One sigmoid neuron learning from a confidently wrong start, under squared error and under cross-entropy.

    Each run trains the neuron :math:`a = \sigma(wx + b)` on one sample by gradient descent; ``outputs`` holds its
    output :math:`a` after each epoch. The cross-entropy's gradient is :math:`a - y`; squared error's,
    :math:`2(a - y)\,a(1 - a)`, is small while the neuron is saturated, so it starts on a plateau.

    Parameters
    ----------
    outputs : dict
        ``label → outputs``, each of shape (epochs + 1,).
    eta : float, optional
        The learning rate, for the title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    colors = [PALETTE["vermillion"], PALETTE["blue"], PALETTE["green"]]
    fig, ax = static_figure(1, width=7.0, height=3.8)
    for color, (label, a) in zip(colors, outputs.items()):
        a = np.asarray(a, dtype=float)
        ax.plot(np.arange(a.size), a, color=color, lw=2.2, label=label)
    title = "one neuron, x = 1, target y = 0, from a = 0.98"
    ax.set(xlabel="epoch", ylabel="output a", ylim=(0, 1.02),
           title=title + (f" (η = {eta:g})" if eta is not None else ""))
    ax.legend(loc="upper right", fontsize=9)
    runs = "; ".join(f"{label}: from {float(np.asarray(a)[0]):.2f} to {float(np.asarray(a)[-1]):.3f}"
                     for label, a in outputs.items())
    return describe(fig, f"The output a of one sigmoid neuron against the training epoch, from a confidently wrong "
                         f"start, under each loss ({runs}). Under squared error the output stays on a plateau near "
                         f"its start for many epochs before it falls; under cross-entropy it falls fastest at once.")
