r"""The optimizer race (chapter 7): up to four optimizers on one surface, from one start, paths and losses side by side.

A thin layer over :func:`nnmath.descent.descend` and :func:`nnmath.race.tune_surface`. Each optimizer runs either
at its own tuned learning rate times a common factor (the fair race: each tuned by the protocol of
:mod:`nnmath.race`, on :data:`nnmath.race.SURFACE_BUDGETS` steps, with the papers' :math:`\beta` values), or all
at one learning rate (which shows why one rate cannot be fair to all: it is a step length for Adam and a step per
unit of gradient for SGD).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from importlib import resources

import numpy as np

from ..descent import descend
from ..optim import make_optimizer
from ..plots import PALETTE, widget_figure
from ..plots.descent import LOSS_FLOOR, draw_surface, loss_gap, minimum_value, outcome
from ..plots.optimizers import OPTIMIZER_COLORS
from ..race import LABELS, OPTIMIZER_NAMES, SURFACE_BUDGETS, tune_surface
from ..surfaces import SURFACES, get_surface
from ._base import Playground
from .controls import Choice, Slider
from .descent import SURFACE_CHOICES

__all__ = ["OptimizerRacePlayground", "OPTIMIZER_CHOICES", "MODES", "LR_RANGE", "FACTOR_RANGE", "BETA2_CHOICES",
           "SLOTS", "LOSS_BOTTOM", "AXIS_ENDS", "MAX_NORM", "axis_end", "hyperparameters_for"]

#: The optimizer slots' choices: none, or one of :data:`nnmath.race.OPTIMIZER_NAMES`.
OPTIMIZER_CHOICES = [("—", "none")] + [(LABELS[n], n) for n in OPTIMIZER_NAMES]
#: How the learning rates are chosen, as (label, value) pairs.
MODES = [("each its tuned η × a factor", "tuned"), ("one η for all", "same")]
#: The learning-rate slider's range (one η for all): 1e-4 to about 3.2.
LR_RANGE = (1e-4, 10**0.5)
#: The factor slider's range (each its tuned η × factor): about 0.03 to 32.
FACTOR_RANGE = (10**-1.5, 10**1.5)
#: The values Adam's β₂ can take.
BETA2_CHOICES = [0.9, 0.99, 0.999, 0.9999]
#: How many optimizers race at once.
SLOTS = 4
#: The bottom of the loss axis (below it a run has converged to many digits).
LOSS_BOTTOM = 1e-10
#: The loss panel's step axis ends at the first of these at or above the number of steps.
AXIS_ENDS = (50, 100, 200, 300, 500)
#: Diverged: the path left the ball of this radius (``nnmath.descent.descend``'s default).
MAX_NORM = 1e3

_PAPER = {"beta": 0.9, "beta1": 0.9, "beta2": 0.999}
_GREEK = {"beta": "β", "beta1": "β₁", "beta2": "β₂"}


def axis_end(steps) -> int:
    """Where the loss panel's step axis ends for this many steps (see :data:`AXIS_ENDS`)."""
    return next((end for end in AXIS_ENDS if end >= steps), int(steps))


def hyperparameters_for(name, beta=0.9, beta1=0.9, beta2=0.999) -> dict:
    r"""The :math:`\beta` values an optimizer of :mod:`nnmath.optim` takes: :math:`\beta` for momentum and Nesterov,
    :math:`\beta_1, \beta_2` for Adam and AdamW, none for the others (RMSprop keeps its decay 0.9)."""
    if name in ("momentum", "nesterov"):
        return {"beta": float(beta)}
    if name in ("adam", "adamw"):
        return {"beta1": float(beta1), "beta2": float(beta2)}
    return {}


class OptimizerRacePlayground(Playground):
    r"""Up to four optimizers of :mod:`nnmath.optim` racing on a 2-D test surface from its suggested start.

    Controls: the surface; four optimizer slots ("—" leaves one empty, a repeat is shown once); how the learning
    rates are set — each optimizer's tuned :math:`\eta` (:func:`nnmath.race.tune_surface`, tuned at the papers'
    :math:`\beta` values on :data:`nnmath.race.SURFACE_BUDGETS` steps) times a common factor, or one :math:`\eta`
    for all; the factor or the :math:`\eta` (log sliders; the one not in use is greyed out); :math:`\beta`
    (momentum, Nesterov), :math:`\beta_1, \beta_2` (Adam, AdamW), each greyed out while no optimizer in the race
    uses it; the number of steps (a new surface sets it to the surface's budget).

    Left: the contours with each path (its end a dot, a cross if it diverged). Right: :math:`f - f^*` per step on
    a log axis (:math:`f` itself on a symmetric-log axis for the saddle). The lines under the plot give each
    optimizer's learning rate and how its run ended, in bold "diverged after k steps" when the path left
    :math:`\lVert\boldsymbol\theta\rVert \le 1000` (the rule of :func:`nnmath.descent.descend`).

    In the static book the page runs the race itself (``static_mode = "page"``, ``optimizer_race.js``): the states
    are far too many to precompute (five surfaces, :math:`8^4` line-ups, two continuous rates, three
    :math:`\beta` values, fifty step counts), and each is a few hundred steps of an update rule on two numbers,
    which a short script takes in well under a millisecond. The script mirrors ``nnmath.optim``'s update rules
    operation for operation (in the same order, so the same floating-point roundings: the paths are the same to the
    last bit), with the surfaces' gradients of ``nnmath.surfaces`` and the divergence rule of ``descend``; the
    tuned learning rates come from ``nnmath.race`` when the book is built, and a browser test holds the page's
    numbers to :meth:`numbers`.
    """

    max_steps = 500
    cache_size = 512
    title = "the optimizer race"
    static_mode = "page"
    page_script = resources.files(__package__).joinpath("optimizer_race.js").read_text(encoding="utf-8")

    def __init__(self, surface="rosenbrock", optimizers=("sgd", "momentum", "rmsprop", "adam"), mode="tuned",
                 lr=1e-3, factor=1.0, beta=0.9, beta1=0.9, beta2=0.999, steps=None):
        s = get_surface(surface)
        names = list(optimizers) + ["none"] * (SLOTS - len(optimizers))
        if len(names) != SLOTS:
            raise ValueError(f"at most {SLOTS} optimizers race at once; got {len(optimizers)}")
        for n in names:
            if n != "none" and n not in OPTIMIZER_NAMES:
                raise ValueError(f"unknown optimizer {n!r}; choose from {', '.join(OPTIMIZER_NAMES)}")
        steps = SURFACE_BUDGETS[s.name] if steps is None else steps
        controls = {
            "surface": Choice("surface", s.name, SURFACE_CHOICES),
            **{f"opt{i + 1}": Choice(f"optimizer {i + 1}", n, OPTIMIZER_CHOICES) for i, n in enumerate(names)},
            "mode": Choice("learning rates", mode, MODES),
            "factor": Slider("× tuned η", factor, *FACTOR_RANGE, 0.01, log=True, fmt=".3g"),
            "lr": Slider("learning rate η", lr, *LR_RANGE, 0.01, log=True, fmt=".3g"),
            "beta": Slider("β (momentum)", beta, 0.0, 0.99, 0.01, fmt=".2f"),
            "beta1": Slider("β₁ (Adam)", beta1, 0.0, 0.99, 0.01, fmt=".2f"),
            "beta2": Choice("β₂ (Adam)", beta2, [(f"{v:g}", v) for v in BETA2_CHOICES]),
            "steps": Slider("steps", steps, 10, self.max_steps, 10, integer=True),
        }
        fig = widget_figure(width=10.0, height=5.0)[0]
        gs = fig.add_gridspec(2, 2, height_ratios=[1, 0.2], width_ratios=[1.25, 1])
        fig.delaxes(fig.axes[0])
        self.ax = fig.add_subplot(gs[0, 0])
        self.ax_loss = fig.add_subplot(gs[0, 1])
        self.ax_text = fig.add_subplot(gs[1, :])
        self.ax_text.axis("off")
        super().__init__(fig, controls)
        self._surfaces = {}
        for name in SURFACES:
            before = set(self.ax.get_children())
            draw_surface(self.ax, name, n=160, levels=14)
            self._surfaces[name] = list(set(self.ax.get_children()) - before)
        self.ax_loss.set_xlabel("step t")
        self.ax_loss.set_title("the loss at each step", fontsize=9.5)
        self.start_dot, = self.ax.plot([], [], "o", color="black", mec="white", ms=7, zorder=9)
        self.paths = [self.ax.plot([], [], "-", lw=1.6, zorder=6)[0] for _ in range(SLOTS)]
        self.ends = [self.ax.plot([], [], "o", mec="white", ms=7, zorder=8)[0] for _ in range(SLOTS)]
        self.losses = [self.ax_loss.plot([], [], "-", lw=1.7)[0] for _ in range(SLOTS)]
        self.texts = [self.ax_text.text(0.0 if i % 2 == 0 else 0.52, 0.75 if i < 2 else 0.2, "", fontsize=9,
                                        transform=self.ax_text.transAxes, va="center") for i in range(SLOTS)]
        # each optimizer's line under the plot names its rate: no moving title (text is the costly part of a redraw).
        # The loss panel's step axis moves with the number of steps: its ticks are drawn over the picture of the rest,
        # so that the picture changes with the surface only (five pictures for the static book, not one per axis end)
        self.dynamic = [self.ax_loss.xaxis, *self.paths, *self.ends, self.start_dot, *self.losses, *self.texts]
        self._paths: OrderedDict = OrderedDict()
        self._samples: dict | None = None
        self.trajectories: dict = {}
        self.compute_time = 0.0

    # -- what each optimizer runs with -----------------------------------------------------------------
    @staticmethod
    def tuned_lr(surface, name) -> float:
        """The tuned learning rate of an optimizer on a surface (:func:`nnmath.race.tune_surface`, cached)."""
        s = get_surface(surface)
        return tune_surface(s, name, SURFACE_BUDGETS[s.name]).lr

    def settings(self, surface, opt1, opt2, opt3, opt4, mode, lr, factor, beta, beta1, beta2, steps) -> dict:
        """Optimizer name → (learning rate, hyperparameters) for these control values (slots in order, no repeats)."""
        chosen = {}
        for name in (opt1, opt2, opt3, opt4):
            if name == "none" or name in chosen:
                continue
            eta = factor * self.tuned_lr(surface, name) if mode == "tuned" else lr
            chosen[name] = (float(eta), hyperparameters_for(name, beta, beta1, beta2))
        return chosen

    def path(self, surface, name, lr, hyper, steps):
        """The descent of one optimizer, :func:`nnmath.descent.descend` from the surface's start (cached: moving
        one control leaves most runs as they were)."""
        key = (surface, name, lr, tuple(sorted(hyper.items())), int(steps))
        if key not in self._paths:
            self._paths[key] = descend(surface, optimizer=make_optimizer(name, lr=lr, **hyper), steps=int(steps),
                                       max_norm=MAX_NORM)
            if len(self._paths) > self.cache_size:
                self._paths.popitem(last=False)
        self._paths.move_to_end(key)
        return self._paths[key]

    def numbers(self, surface, opt1, opt2, opt3, opt4, mode, lr, factor, beta, beta1, beta2, steps) -> dict:
        r"""Every number the figure shows for these controls, computed by ``nnmath`` (the page computes the same):
        for each optimizer in the race, in slot order, its ``names``, learning rate (``lrs``), path (``x``, ``y``:
        the start and the point after each step), ``losses`` :math:`f` at each point, ``gaps`` (what the loss panel
        plots: :math:`f - f^*` floored at ``LOSS_FLOOR``, or :math:`f` for the saddle), whether it ``diverged``, and
        its line under the plot (``texts``); and the controls that change nothing (``disabled``)."""
        s = get_surface(surface)
        chosen = self.settings(s.name, opt1, opt2, opt3, opt4, mode, lr, factor, beta, beta1, beta2, steps)
        out = {key: [] for key in ("names", "lrs", "x", "y", "losses", "gaps", "diverged", "texts")}
        for name, (eta, hyper) in chosen.items():
            run = self.path(s.name, name, eta, hyper, steps)
            extra = "".join(f", {_GREEK[key]} = {value:g}" for key, value in hyper.items()
                            if value != _PAPER.get(key))
            out["names"].append(name)
            out["lrs"].append(eta)
            out["x"].append(run.points[:, 0].tolist())
            out["y"].append(run.points[:, 1].tolist())
            out["losses"].append(run.losses.tolist())
            out["gaps"].append(loss_gap(s, run.losses).tolist())
            out["diverged"].append(bool(run.diverged))
            out["texts"].append(f"{LABELS[name]} (η = {eta:.3g}{extra}): {outcome(run, s)}")
        out["disabled"] = self.disabled(surface, opt1, opt2, opt3, opt4, mode)
        return out

    def disabled(self, surface, opt1, opt2, opt3, opt4, mode, **_) -> list:
        """The rate control not in use, and the β controls of optimizers not in the race."""
        racing = {opt1, opt2, opt3, opt4}
        off = ["lr" if mode == "tuned" else "factor"]
        if not racing & {"momentum", "nesterov"}:
            off.append("beta")
        if not racing & {"adam", "adamw"}:
            off += ["beta1", "beta2"]
        return off

    def adjust(self, name, values):
        """A new surface: the steps jump to its budget (the one its learning rates were tuned for)."""
        if name == "surface":
            values["steps"] = SURFACE_BUDGETS[values["surface"]]
        return values

    # -- drawing ------------------------------------------------------------------------------------------
    def _show_surface(self, s):
        """The background for this surface: its contours and title, the loss panel's vertical axis."""
        for name, artists in self._surfaces.items():
            for artist in artists:
                artist.set_visible(name == s.name)
        self.ax.set(xlim=s.xlim, ylim=s.ylim)
        self.ax.set_title(f"${s.latex}$", fontsize=9.5)
        ax = self.ax_loss
        f_star = minimum_value(s)
        X, Y, Z = s.grid(60)
        if f_star is None:
            ax.set_yscale("symlog", linthresh=1.0)
            ax.set_ylim(-1e7, 10.0 ** math.ceil(math.log10(Z.max()) + 1))
            ax.set_ylabel(r"$f(\theta_t)$ (symmetric log scale)")
        else:
            ax.set_yscale("log")
            ax.set_ylim(LOSS_BOTTOM, 10.0 ** math.ceil(math.log10(float((Z - f_star).max())) + 1))
            ax.set_ylabel(r"$f(\theta_t) - f^*$ (log scale)")

    def update(self, surface, opt1, opt2, opt3, opt4, mode, lr, factor, beta, beta1, beta2, steps):
        s = get_surface(surface)
        steps = int(steps)
        if s.name != self.static_key:
            self._show_surface(s)
        self.static_key = s.name
        self.ax_loss.set_xlim(0, axis_end(steps))
        t0 = time.perf_counter()
        chosen = self.settings(s.name, opt1, opt2, opt3, opt4, mode, lr, factor, beta, beta1, beta2, steps)
        self.trajectories = {name: self.path(s.name, name, eta, hyper, steps) for name, (eta, hyper) in chosen.items()}
        self.compute_time = time.perf_counter() - t0
        numbers = self.numbers(s.name, opt1, opt2, opt3, opt4, mode, lr, factor, beta, beta1, beta2, steps)
        self.start_dot.set_data([s.start[0]], [s.start[1]])
        for i in range(SLOTS):
            path_line, end, loss_line, text = self.paths[i], self.ends[i], self.losses[i], self.texts[i]
            if i >= len(numbers["names"]):
                for artist in (path_line, end, loss_line):
                    artist.set_data([], [])
                text.set_text("")
                continue
            name, x, y, diverged = numbers["names"][i], numbers["x"][i], numbers["y"][i], numbers["diverged"][i]
            color = OPTIMIZER_COLORS[name]
            path_line.set_data(x, y)
            path_line.set_color(color)
            end.set_data([x[-1]], [y[-1]])
            end.set_color(color)
            end.set_marker("X" if diverged else "o")
            loss_line.set_data(np.arange(len(x)), numbers["gaps"][i])
            loss_line.set_color(color)
            text.set_text(numbers["texts"][i])
            text.set_color(PALETTE["vermillion"] if diverged else color)
            text.set_fontweight("bold" if diverged else "normal")

    # -- the kernel-free version: the page runs the race (optimizer_race.js) -------------------------------------
    def _style_samples(self) -> dict:
        """One artist per optimizer and kind (path, end dot, end cross, loss line, text) in that optimizer's colour,
        never drawn (animated, outside ``dynamic``): the page draws with their recorded styles. Made once."""
        if self._samples is None:
            samples = {}
            for name in OPTIMIZER_NAMES:
                color = OPTIMIZER_COLORS[name]
                samples[f"path_{name}"], = self.ax.plot([0, 1], [0, 1], "-", lw=1.6, color=color, zorder=6)
                samples[f"end_{name}"], = self.ax.plot([0], [0], "o", mec="white", ms=7, color=color, zorder=8)
                samples[f"cross_{name}"], = self.ax.plot([0], [0], "X", mec="white", ms=7, color=color, zorder=8)
                samples[f"loss_{name}"], = self.ax_loss.plot([1, 2], [1, 1], "-", lw=1.7, color=color)
                samples[f"ink_{name}"] = self.ax_text.text(0, 0, "x", fontsize=9, color=color,
                                                           transform=self.ax_text.transAxes, va="center")
            samples["ink_diverged"] = self.ax_text.text(0, 0, "x", fontsize=9, color=PALETTE["vermillion"],
                                                        fontweight="bold", transform=self.ax_text.transAxes,
                                                        va="center")
            for artist in samples.values():
                artist.set_animated(True)
            self._samples = samples
        return self._samples

    def static_page(self) -> dict:
        """The page's race (``optimizer_race.js``) and what it draws with: the two panels (the contour panel's box
        and window per surface, the loss panel's range per surface), the moving artists' styles per optimizer, one
        background per surface, the step axis's ticks for each end, and the tuned learning rates of every optimizer
        on every surface."""
        values = self.values()
        surfaces = {}
        for name, s in SURFACES.items():
            self.update(**{**values, "surface": name, "steps": SURFACE_BUDGETS[name]})
            self.ax.apply_aspect()
            height = self.figure.canvas.get_width_height()[1]
            box = self.ax.get_window_extent()
            f_star = minimum_value(s)
            surfaces[name] = {
                "box": [round(float(box.x0), 2), round(float(height - box.y1), 2), round(float(box.width), 2),
                        round(float(box.height), 2)],
                "xlim": list(s.xlim), "ylim": list(s.ylim), "start": list(s.start),
                "loss_ylim": [float(v) for v in self.ax_loss.get_ylim()], "symlog": f_star is None,
                "f_star": f_star, "budget": SURFACE_BUDGETS[name],
                "tuned": {n: self.tuned_lr(name, n) for n in OPTIMIZER_NAMES}}
        xticks = {}
        for end in AXIS_ENDS:  # the step axis of each end, as matplotlib ticks and labels it
            self.ax_loss.set_xlim(0, end)
            locs = [float(v) for v in self.ax_loss.xaxis.get_majorticklocs() if -1e-9 * end <= v <= end * (1 + 1e-9)]
            xticks[end] = [[v, label] for v, label in
                           zip(locs, self.ax_loss.xaxis.get_major_formatter().format_ticks(locs))]
        self.update(**values)
        tick = self.ax_loss.xaxis.get_major_ticks()[0]
        templates = {"start": self.start_dot, **{f"text{i}": text for i, text in enumerate(self.texts)},
                     "xtick": tick.tick1line, "xtick_label": tick.label1, "xlabel": self.ax_loss.xaxis.label,
                     **self._style_samples()}
        return {"equation": "optimizer_race", "axes": {"plane": self.ax, "loss": self.ax_loss},
                "templates": templates,
                "backgrounds": [{"surface": name} for name in SURFACES],
                "data": {"surfaces": surfaces, "names": list(SURFACES), "ends": list(AXIS_ENDS), "xticks": xticks,
                         "labels": LABELS, "paper": _PAPER, "max_norm": MAX_NORM, "tol": 1e-8,
                         "loss_floor": LOSS_FLOOR}}
