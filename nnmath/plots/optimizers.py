r"""Figures of chapter 7 (optimizers): momentum's convergence region, the :math:`\sqrt\kappa` law, adaptive step
sizes, races on the surfaces and on the digits, where momentum ends on two minima, learning-rate schedules.

The drawing helpers :func:`draw_momentum_region` and :data:`OPTIMIZER_COLORS` are shared with the
widgets of :mod:`nnmath.widgets.momentum_quadratic` and :mod:`nnmath.widgets.optimizer_race`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap

from .. import momentum as hb
from ..descent import convergence_factor as gd_factor
from ..descent import descend
from ..descent import optimal_lr as gd_optimal_lr
from ..moments import adam_direction
from ..optim import make_optimizer
from ..race import LABELS, which_minimum
from ..schedules import constant, cosine, step_decay, warmup_cosine
from ..surfaces import get_surface
from ._style import PALETTE, SEQUENTIAL, describe, static_figure
from .descent import draw_surface, loss_gap, minimum_value, outcome

__all__ = ["OPTIMIZER_COLORS", "RATE_LEVELS", "draw_momentum_region", "momentum_regions", "sqrt_kappa_law",
           "momentum_ends", "adaptive_steps", "race_paths", "tuning_curves", "digits_race", "schedule_shapes"]

#: One colour per optimizer, the same in every figure and widget of the chapter.
OPTIMIZER_COLORS = {"sgd": "#333333", "momentum": PALETTE["blue"], "nesterov": PALETTE["sky"],
                    "adagrad": PALETTE["green"], "rmsprop": PALETTE["orange"], "adam": PALETTE["vermillion"],
                    "adamw": PALETTE["purple"]}

#: The convergence factors the region maps shade between (a colour band each); beyond 1 the method diverges.
RATE_LEVELS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 1.0)
DIVERGED_COLOR = "#f2d3c9"


def _rate_map():
    colors = [*np.asarray(_cmap(len(RATE_LEVELS) - 1))]
    return ListedColormap(colors), BoundaryNorm(RATE_LEVELS, len(RATE_LEVELS) - 1)


def _cmap(n):
    import matplotlib

    return matplotlib.colormaps[SEQUENTIAL].resampled(n)(np.arange(n))[::-1]


def draw_momentum_region(ax, kappa, method="heavy_ball", lr_range=(1e-2, 4.0), n=(260, 200), beta_max=0.995,
                         label=True):
    r"""The :math:`(\eta\mu_\max, \beta)` plane of a momentum method on a quadratic of condition number :math:`\kappa`,
    shaded by the convergence factor :math:`\rho` (:func:`nnmath.momentum.convergence_factor`).

    The curvatures are :math:`\mu_\max = 1` and :math:`\mu_\min = 1/\kappa` (any quadratic reduces to this by
    measuring :math:`\eta` in units of :math:`1/\mu_\max`). Drawn: the bands of :data:`RATE_LEVELS`, the edge of
    convergence (:func:`nnmath.momentum.lr_limit`), the optimum (:func:`nnmath.momentum.optimal_parameters`, a
    star) and, on the line :math:`\beta = 0`, plain gradient descent's best rate (a diamond).

    Returns
    -------
    dict
        ``"mesh"``, ``"edge"``, ``"optimum"``, ``"gd"``: the artists.
    """
    mus = np.array([1.0 / kappa, 1.0])
    lrs = np.geomspace(*lr_range, n[0])
    betas = np.linspace(0.0, beta_max, n[1])
    L, B = np.meshgrid(lrs, betas)
    R = np.maximum(hb.mode_rate(L, B, mus[0], method), hb.mode_rate(L, B, mus[1], method))
    cmap, norm = _rate_map()
    shown = np.ma.masked_where(R >= 1.0, R)
    ax.pcolormesh(L, B, np.where(R >= 1.0, 1.0, np.nan), cmap=ListedColormap([DIVERGED_COLOR]), shading="auto",
                  rasterized=True)
    mesh = ax.pcolormesh(L, B, shown, cmap=cmap, norm=norm, shading="auto", rasterized=True)
    edge_betas = np.linspace(0.0, beta_max, 200)
    edge, = ax.plot([hb.lr_limit(b, 1.0, method) for b in edge_betas], edge_betas, color="black", lw=1.3)
    best = hb.optimal_parameters(mus, method)
    optimum, = ax.plot([best.lr], [best.beta], marker="*", ms=13, color="white", mec="black", mew=0.9, ls="none")
    gd_lr = gd_optimal_lr(np.diag(mus))
    gd, = ax.plot([gd_lr], [0.0], marker="D", ms=7, color="white", mec="black", mew=0.9, ls="none", clip_on=False)
    ax.set(xscale="log", xlim=lr_range, ylim=(0.0, 1.0), xlabel=r"learning rate $\eta\,\mu_{\max}$ (log scale)",
           ylabel=r"momentum $\beta$")
    if label:
        x_text = lr_range[0] * (lr_range[1] / lr_range[0]) ** 0.97
        ax.text(x_text, 0.93, "diverges", ha="right", va="top", fontsize=8, color="#8a3b1a")
    return {"mesh": mesh, "edge": edge, "optimum": optimum, "gd": gd}


def _rate_colorbar(fig, mesh, ax):
    bar = fig.colorbar(mesh, ax=ax, shrink=0.9, ticks=RATE_LEVELS[1:-1], spacing="uniform")
    bar.set_label(r"convergence factor $\rho$ per step")
    bar.ax.tick_params(labelsize=7)
    return bar


def momentum_regions(kappa=100.0):
    r"""Where the heavy ball and Nesterov's method converge on a quadratic of condition number :math:`\kappa`, and
    how fast: two maps of :math:`\rho(\eta, \beta)` side by side (see ``draw_momentum_region``)."""
    fig, axes = static_figure(2, width=10.6, height=3.9, sharey=True)
    names = {"heavy_ball": "heavy ball (Polyak)", "nesterov": "Nesterov"}
    bests = {}
    for ax, method in zip(axes, ("heavy_ball", "nesterov")):
        artists = draw_momentum_region(ax, kappa, method)
        best = bests[method] = hb.optimal_parameters(np.array([1.0 / kappa, 1.0]), method)
        ax.set_title(f"{names[method]}, κ = {kappa:g}: best ρ = {best.rate:.3f}\n"
                     f"at ημ_max = {best.lr:.2f}, β = {best.beta:.2f} (star)", fontsize=9.5)
    axes[1].set_ylabel("")
    gd = gd_factor(gd_optimal_lr(np.diag([1.0 / kappa, 1.0])), np.diag([1.0 / kappa, 1.0]))
    axes[0].annotate(f"gradient descent's best: ρ = {gd:.3f}", (gd_optimal_lr(np.diag([1 / kappa, 1.0])), 0.0),
                     xytext=(-8, 16), textcoords="offset points", ha="right", fontsize=8,
                     arrowprops=dict(arrowstyle="-", color="black", lw=0.6))
    _rate_colorbar(fig, artists["mesh"], axes)
    stars = " and ".join(f"ρ = {b.rate:.3f} for {'the heavy ball' if m == 'heavy_ball' else 'Nesterov'} at "
                         f"ημ_max = {b.lr:.2f}, β = {b.beta:.2f}" for m, b in bests.items())
    return describe(fig, f"Two maps side by side, the heavy ball's and Nesterov's, on a quadratic of condition number "
                         f"κ = {kappa:g}: the plane of the learning rate ημ_max (log axis, 0.01 to 4) and the "
                         f"momentum β (0 to 1), shaded in bands of the worst mode's convergence factor ρ, from "
                         f"yellow (fast) to dark blue (ρ near 1), pale red where the method diverges beyond a black "
                         f"edge. A star marks the best tuning, {stars}; a diamond on β = 0 marks gradient descent's "
                         f"best, ρ = {gd:.3f}.")


def sqrt_kappa_law(kappas=None, simulate=None, factor=1e-6):
    r"""Steps to shrink the error by ``factor`` against the condition number :math:`\kappa`, each method at its
    best constant hyperparameters: gradient descent (:math:`\propto\kappa`), heavy ball and Nesterov
    (:math:`\propto\sqrt\kappa`). Lines: :func:`nnmath.momentum.steps_to_reduce` from the rate. Dots (at the
    condition numbers ``simulate``): the step after which the exact error of both extreme modes
    (:func:`nnmath.momentum.mode_errors`, started at 1) stays below ``factor``.
    """
    kappas = np.geomspace(3, 1e4, 25) if kappas is None else np.asarray(kappas, dtype=float)
    simulate = (10.0, 30.0, 100.0, 300.0, 1000.0) if simulate is None else tuple(simulate)
    fig, ax = static_figure(width=6.4, height=3.9)
    styles = {"gd": ("gradient descent", "#333333"), "heavy_ball": ("heavy ball", OPTIMIZER_COLORS["momentum"]),
              "nesterov": ("Nesterov", OPTIMIZER_COLORS["nesterov"])}
    last = {}
    for key, (label, color) in styles.items():
        predicted = [hb.steps_to_reduce(_best_rate(kappa, key)[2], factor) for kappa in kappas]
        last[label] = predicted[-1]
        measured = [_steps_below(kappa, key, factor) for kappa in simulate]
        ax.loglog(kappas, predicted, color=color, lw=1.8, label=f"{label}: from ρ")
        ax.loglog(simulate, measured, "o", color=color, ms=4.5, label=f"{label}: exact errors")
    ax.loglog(kappas, 0.5 * kappas * np.log(1 / factor), color=PALETTE["grey"], ls=":", lw=1,
              label=r"$\frac{\kappa}{2}\ln(10^6)$")
    ax.loglog(kappas, 0.5 * np.sqrt(kappas) * np.log(1 / factor), color=PALETTE["grey"], ls="--", lw=1,
              label=r"$\frac{\sqrt{\kappa}}{2}\ln(10^6)$")
    ax.set(xlabel=r"condition number $\kappa = \mu_{\max}/\mu_{\min}$",
           ylabel=f"steps to shrink the error {1 / factor:.0e}×".replace("e+0", "e"),
           title="each method at its best constant η (and β) on a quadratic")
    ax.legend(fontsize=7.5, ncol=2, loc="upper left")
    ends = ", ".join(f"{label} {n:,}" for label, n in last.items())
    return describe(fig, f"On log–log axes, the steps each method needs to shrink the error {1 / factor:.0e} times "
                         f"against the condition number κ from {kappas[0]:g} to {kappas[-1]:g}, each at its best "
                         f"constant η (and β): lines computed from the convergence factor, dots from the exact "
                         f"errors at κ = {', '.join(f'{k:g}' for k in simulate)}. Gradient descent's steps grow like "
                         f"κ (a dotted guide), the heavy ball's and Nesterov's like √κ (a dashed guide); at "
                         f"κ = {kappas[-1]:g}: {ends} steps.".replace("e+0", "e"))


def _best_rate(kappa, key):
    """(η, β, ρ) of a method at its best on curvatures 1/κ and 1; key "gd" is plain gradient descent."""
    mus = np.array([1.0 / kappa, 1.0])
    if key == "gd":
        lr = gd_optimal_lr(np.diag(mus))
        return lr, 0.0, gd_factor(lr, np.diag(mus))
    best = hb.optimal_parameters(mus, key)
    return best.lr, best.beta, best.rate


def _steps_below(kappa, key, factor):
    """The step after which both extreme modes' exact errors stay below ``factor``."""
    lr, beta, rate = _best_rate(kappa, key)
    method = "heavy_ball" if key == "gd" else key
    horizon = 2 * hb.steps_to_reduce(rate, factor) + 20
    errors = np.max([np.abs(hb.mode_errors(lr, beta, mu, horizon, 1.0, method)) for mu in (1.0 / kappa, 1.0)],
                    axis=0)
    above = np.nonzero(errors > factor)[0]
    return int(above[-1]) + 1 if len(above) else 0


def momentum_ends(surface, x0s, runs: dict, ridge_x=None):
    r"""Where descent with momentum ends on the two-minima surface, for starts on the line :math:`y = 0`.

    Top: the profile :math:`f(x, 0)` with the height of the ridge between the basins (dashed). Below, one strip
    per run (a label → :class:`nnmath.race.BatchRun`, all from the starts ``x0s``): each start coloured by the
    minimum its path ends in — blue the lower (global) one on the left, orange the higher one on the right —
    and circled when that is not the minimum of its own basin.
    """
    s = get_surface(surface)
    x0s = np.asarray(x0s, dtype=float)
    fig, axes = static_figure(1, 1 + len(runs), width=7.4, height=1.9 + 0.55 * len(runs), sharex=True,
                              height_ratios=[3.0] + [1.0] * len(runs))
    ax = axes[0]
    xs = np.linspace(x0s.min(), x0s.max(), 400)
    profile = s.f(np.column_stack([xs, np.zeros_like(xs)]))
    ax.plot(xs, profile, color="black", lw=1.6)
    if ridge_x is not None:
        ridge = float(s.f(np.array([ridge_x, 0.0])))
        ax.axhline(ridge, color=PALETTE["grey"], ls="--", lw=1)
        ax.text(xs[0], ridge + 0.15, "height of the ridge", fontsize=8, color="#555555")
        above = profile > ridge
        ax.fill_between(xs, ridge, profile, where=above, color=PALETTE["yellow"], alpha=0.5, lw=0)
        ax.axvline(ridge_x, color=PALETTE["grey"], lw=0.6)
    for m, color in zip(s.minima, (PALETTE["blue"], PALETTE["orange"])):
        ax.plot(m[0], float(s.f(np.asarray(m))), "*", ms=12, color=color, mec="black", mew=0.6)
    ax.set(ylabel=r"$f(x, 0)$", title=r"$f(x, y) = (x^2 - 1)^2 + 0.3x + y^2$ along $y = 0$: where a start at rest ends")
    home = np.where(x0s < (ridge_x if ridge_x is not None else 0.0), 0, 1)
    counts = []
    for ax_r, (label, run) in zip(axes[1:], runs.items()):
        end = which_minimum(s, run.points[-1])
        colors = np.where(end == 0, PALETTE["blue"], np.where(end == 1, PALETTE["orange"], PALETTE["grey"]))
        ax_r.scatter(x0s, np.zeros_like(x0s), c=colors, s=22, marker="s", edgecolors="none")
        moved = (end >= 0) & (end != home)
        counts.append(f"{label}: {int(moved.sum())}")
        ax_r.scatter(x0s[moved], np.zeros(moved.sum()), s=70, facecolors="none", edgecolors="black", lw=0.9)
        ax_r.set(yticks=[], ylim=(-1, 1))
        ax_r.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8.5)
        for side in ("left", "top", "right"):
            ax_r.spines[side].set_visible(False)
    axes[-1].set_xlabel(r"start $x_0$ (at rest, $y_0 = 0$)")
    ridge = " and the height of the ridge between them dashed" if ridge_x is not None else ""
    return describe(fig, f"Top: the profile f(x, 0) of the two-minima surface for x from {x0s.min():g} to "
                         f"{x0s.max():g}, two wells, the lower minimum on the left (a blue star) and the higher on the "
                         f"right (an orange star){ridge}. Below, one strip per run, {len(x0s)} starts at rest each: "
                         f"a square per start coloured by the minimum its path ends in (blue the lower, orange the "
                         f"higher), circled when that is not the minimum of its own basin. Starts that leave their "
                         f"basin: {'; '.join(counts)}.")


def adaptive_steps(steps=300, grad=0.5):
    r"""The size of each step, in units of :math:`\eta`, when the gradient never changes (:math:`g_t = g`).

    Adagrad's step is :math:`\eta g/\sqrt{t g^2} = \eta/\sqrt t`; RMSprop's starts at :math:`\eta/\sqrt{1 - \beta}`
    and settles at :math:`\eta`; Adam's is :math:`\eta` from the first step, and without its bias correction
    :math:`\eta(1 - \beta_1^t)/\sqrt{1 - \beta_2^t}`, which peaks at 6.5 :math:`\eta` near step 10. The first three
    are measured from :mod:`nnmath.optim` on :math:`f(w) = g\,w`; the last from :func:`nnmath.moments.adam_direction`.
    """
    t = np.arange(1, steps + 1)
    fig, ax = static_figure(width=6.4, height=3.6)
    drawn = {}
    for name in ("sgd", "momentum", "adagrad", "rmsprop", "adam"):
        opt = make_optimizer(name, lr=1.0)
        w = np.zeros(1)
        sizes = []
        for _ in t:
            before = w.copy()
            opt.step([w], [np.array([grad])])
            sizes.append(abs(float(w[0] - before[0])))
        sizes = np.array(sizes)
        unit = grad if name in ("sgd", "momentum") else 1.0
        label = {"sgd": "SGD (in units of ηg)", "momentum": "momentum β = 0.9 (units of ηg)"}.get(name, LABELS[name])
        drawn[name] = sizes / unit
        ax.loglog(t, sizes / unit, color=OPTIMIZER_COLORS[name], lw=1.8, label=label)
    raw = adam_direction(np.full(steps, grad), corrected=False)
    ax.loglog(t, np.abs(raw), color=OPTIMIZER_COLORS["adam"], ls="--", lw=1.5, label="Adam without bias correction")
    ax.loglog(t, 1 / np.sqrt(t), color=PALETTE["grey"], ls=":", lw=1, label=r"$1/\sqrt{t}$")
    ax.set(xlabel="step t", ylabel="step length / η", ylim=(0.04, 20), title=f"a constant gradient g = {grad:g}")
    ax.legend(fontsize=7.5, ncol=2, loc="upper left")
    peak = int(np.argmax(np.abs(raw)))
    return describe(fig, f"On log–log axes, the length of each of {steps} steps in units of η under a constant "
                         f"gradient g = {grad:g}: SGD's stays at {drawn['sgd'][-1]:.3g} (in units of ηg), momentum's "
                         f"(β = 0.9) grows to {drawn['momentum'][-1]:.3g}, Adagrad's falls like 1/√t (a dotted guide) "
                         f"to {drawn['adagrad'][-1]:.2g}, RMSprop's starts at {drawn['rmsprop'][0]:.3g} and settles "
                         f"at {drawn['rmsprop'][-1]:.3g}, Adam's is {drawn['adam'][0]:.3g} from the first step; Adam "
                         f"without its bias correction (dashed) peaks at {abs(raw[peak]):.2g} at step {peak + 1}.")


def _loss_scale(ax, surface):
    f_star = minimum_value(surface)
    if f_star is None:
        ax.set_yscale("symlog", linthresh=1.0)
        ax.set_ylabel(r"$f(\theta_t)$ (symmetric log)")
    else:
        ax.set_yscale("log")
        ax.set_ylabel(r"$f(\theta_t) - f^*$ (log)")


def race_paths(surface, lrs: dict, steps, start=None):
    r"""Optimizers racing on a surface from one start, each at its own learning rate: paths and losses.

    Parameters
    ----------
    surface : Surface or str
    lrs : dict
        Optimizer name → learning rate (e.g. the tuned ones of :func:`nnmath.race.tune_surface`).
    steps : int
    start : (float, float), optional
        The surface's suggested start by default.
    """
    s = get_surface(surface)
    fig, (ax, ax_loss) = static_figure(2, width=10.4, height=4.0, width_ratios=[1.25, 1])
    draw_surface(ax, s, lines=True)
    ends = []
    for name, lr in lrs.items():
        path = descend(s, start, optimizer=make_optimizer(name, lr=lr), steps=steps, tol=0.0)
        ends.append(f"{LABELS[name]} (η = {lr:.3g}): {outcome(path, s)}")
        color = OPTIMIZER_COLORS[name]
        ax.plot(*path.points.T, "-", color=color, lw=1.5, label=f"{LABELS[name]}, η = {lr:.3g}")
        ax.plot(*path.points[-1], "o", color=color, mec="white", ms=6, zorder=6)
        gap = loss_gap(s, path.losses)
        ax_loss.plot(np.arange(len(gap)), gap, color=color, lw=1.6)
        if path.diverged:
            ax_loss.plot(len(gap) - 1, gap[-1], "x", color=color, ms=8, mew=2)
    ax.plot(*(s.start if start is None else start), "o", color="black", mec="white", ms=7, zorder=7)
    ax.legend(fontsize=7.5, loc="lower right", framealpha=0.9, frameon=True)
    ax.set_title(f"${s.latex}$, {steps} steps", fontsize=10)
    _loss_scale(ax_loss, s)
    ax_loss.set(xlabel="step t", xlim=(0, steps), title="the loss at each step")
    x0, y0 = s.start if start is None else start
    scale = "f − f* on a log axis" if minimum_value(s) is not None else "f on a symmetric log axis"
    title = "Rosenbrock's valley" if s.name == "rosenbrock" else f"the {s.name.replace('_', ' ')} surface"
    return describe(fig, f"Left: contours of {title} with the path of each "
                         f"of {len(lrs)} optimizers from ({x0:g}, {y0:g}) over {steps} steps, a dot at its end. "
                         f"Right: the loss at each step, {scale}. " + "; ".join(ends) + ".")


def tuning_curves(tuned: dict, ylabel, title, axes=None, diverged_at=None):
    r"""The score of every learning rate tried, one curve per optimizer, the chosen one marked.

    Parameters
    ----------
    tuned : dict
        Optimizer name → :class:`nnmath.race.Tuned`.
    ylabel, title : str
    axes : matplotlib Axes, optional
        Draw there instead of in a new figure.
    diverged_at : float, optional
        Where to draw the runs that diverged (at the top of the axis by default).
    """
    fig, ax = static_figure(width=6.6, height=3.8) if axes is None else (axes.figure, axes)
    finite = np.concatenate([t.scores[np.isfinite(t.scores)] for t in tuned.values()])
    top = float(finite.max()) if diverged_at is None else float(diverged_at)
    for name, t in tuned.items():
        color = OPTIMIZER_COLORS[name]
        lrs = np.asarray(t.lrs)
        ok = np.isfinite(t.scores)
        ax.plot(lrs[ok], t.scores[ok], "-o", color=color, ms=3, lw=1.4, label=f"{LABELS[name]}: η = {t.lr:.3g}")
        ax.plot(lrs[~ok], np.full((~ok).sum(), top), "x", color=color, ms=5)
        ax.plot(t.lr, t.score, "o", ms=9, mfc="none", mec=color, mew=1.6)
    ax.set(xscale="log", xlabel="learning rate η (log scale)", ylabel=ylabel, title=title)
    ax.legend(fontsize=7.5, ncol=2)
    if axes is not None:  # a panel of the caller's figure, which the caller describes
        return fig
    chosen = ", ".join(f"{LABELS[name]} {t.lr:.3g}" for name, t in tuned.items())
    return describe(fig, f"{title}. Against the learning rate on a log axis, one curve per optimizer of its score "
                         f"({ylabel}, lower is better) at every rate tried, a cross at {top:.3g} for each rate that "
                         f"diverged and a ring at the rate chosen: {chosen}.")


def digits_race(result, log=True):
    r"""The digits race (:func:`nnmath.race.race_digits`): each optimizer's training loss per epoch, the mean over
    the seeds as a line and the range from the lowest to the highest seed as a band."""
    fig, ax = static_figure(width=6.8, height=3.9)
    for name in result.names:
        curves = result.loss[name]
        epochs = np.arange(curves.shape[1])
        color = OPTIMIZER_COLORS[name]
        ax.plot(epochs, curves.mean(axis=0), color=color, lw=1.8,
                label=f"{LABELS[name]} (η = {result.lrs[name]:.3g})")
        ax.fill_between(epochs, curves.min(axis=0), curves.max(axis=0), color=color, alpha=0.15, lw=0)
    ax.set(xlabel="epoch", ylabel="training loss (mean over each epoch's batches)",
           title=f"digits, {DIGITS_TITLE}: mean of {len(result.seeds)} seeds, band = lowest to highest",
           xlim=(0, curves.shape[1] - 1))
    if log:
        ax.set_yscale("log")
    ax.legend(fontsize=7.5, ncol=2)
    finals = ", ".join(f"{LABELS[name]} {result.loss[name][:, -1].mean():.3g}" for name in result.names)
    return describe(fig, f"The training loss of the digits network ({DIGITS_TITLE}) at each epoch, "
                         f"{'on a log axis, ' if log else ''}one line per optimizer at its tuned learning rate, the "
                         f"mean of {len(result.seeds)} seeds with a band from the lowest to the highest seed. "
                         f"After the last epoch: {finals}.")


#: How the digits network is described in figure titles.
DIGITS_TITLE = "64-32-10 tanh network, batches of 32"


def schedule_shapes(lr=0.1, total=100, every=40, warmup=10, drop=0.1):
    r"""The four schedules of :mod:`nnmath.schedules` over the same :math:`T` steps, as :math:`\eta_t/\eta`."""
    t = np.arange(1, total + 1)
    fig, ax = static_figure(width=6.2, height=3.2)
    curves = {
        "constant": constant(t, lr),
        f"step decay (×{drop:g} every {every})": step_decay(t, lr, every, drop),
        "cosine": cosine(t, lr, total),
        f"warm-up ({warmup}) + cosine": warmup_cosine(t, lr, warmup, total),
    }
    colors = ["#333333", PALETTE["orange"], PALETTE["blue"], PALETTE["vermillion"]]
    for (label, values), color in zip(curves.items(), colors):
        ax.plot(t, values / lr, color=color, lw=1.8, label=label, drawstyle="steps-post" if "step" in label else None)
    ax.set(xlabel="step t", ylabel=r"$\eta_t / \eta$", ylim=(0, 1.08), xlim=(1, total), title=f"T = {total} steps")
    ax.legend(fontsize=8)
    return describe(fig, f"Four learning-rate schedules over T = {total} steps, as η_t/η: constant at 1; step decay, "
                         f"a staircase multiplied by {drop:g} every {every} steps; cosine, a half cosine falling from "
                         f"1 to near 0; warm-up and cosine, a straight rise over the first {warmup} steps, then the "
                         f"same half cosine.")


