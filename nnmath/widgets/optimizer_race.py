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

import ipywidgets as w
import numpy as np

from ..descent import descend
from ..optim import make_optimizer
from ..plots import PALETTE, widget_figure
from ..plots.descent import describe, draw_surface, loss_gap, minimum_value
from ..plots.optimizers import OPTIMIZER_COLORS, thin
from ..race import LABELS, OPTIMIZER_NAMES, SURFACE_BUDGETS, tune_surface
from ..surfaces import SURFACES, get_surface
from ._base import Playground
from ._blit import KeyedBlitMixin
from .descent import SURFACE_CHOICES
from .static import StaticControl

__all__ = ["OptimizerRacePlayground", "optimizer_race_playground", "LINEUPS", "MODES", "LR_RANGE", "FACTOR_RANGE",
           "STATIC_SURFACES", "STATIC_POSITIONS", "hyperparameters_for"]

#: The optimizer slots' choices: none, or one of :data:`nnmath.race.OPTIMIZER_NAMES`.
OPTIMIZER_CHOICES = [("—", "none")] + [(LABELS[n], n) for n in OPTIMIZER_NAMES]
#: How the learning rates are chosen, as (label, value) pairs.
MODES = [("each its tuned η × a factor", "tuned"), ("one η for all", "same")]
#: The learning-rate slider's range (one η for all), as powers of ten: 1e-4 to about 3.2.
LR_RANGE = (-4.0, 0.5)
#: The factor slider's range (each its tuned η × factor), as powers of ten: about 0.03 to 32.
FACTOR_RANGE = (-1.5, 1.5)
#: The line-ups of the kernel-free version (and good starting points live).
LINEUPS = [
    ("SGD · momentum · RMSprop · Adam", ("sgd", "momentum", "rmsprop", "adam")),
    ("momentum against Adam", ("momentum", "adam")),
    ("SGD · momentum · Nesterov", ("sgd", "momentum", "nesterov")),
    ("Adagrad · RMSprop · Adam", ("adagrad", "rmsprop", "adam")),
    ("Adam against AdamW (λ = 0.01)", ("adam", "adamw")),
]
#: The surfaces of the kernel-free version.
STATIC_SURFACES = ("elongated_bowl", "rosenbrock", "two_minima", "saddle")
#: Positions of the kernel-free learning-rate control: 13, spanning :data:`LR_RANGE` or :data:`FACTOR_RANGE`.
STATIC_POSITIONS = 13

_SLOTS = 4
#: The bottom of the loss axis (below it a run has converged to many digits).
LOSS_BOTTOM = 1e-10
_PAPER = {"beta": 0.9, "beta1": 0.9, "beta2": 0.999}


def hyperparameters_for(name, beta=0.9, beta1=0.9, beta2=0.999) -> dict:
    r"""The :math:`\beta` values an optimizer of :mod:`nnmath.optim` takes: :math:`\beta` for momentum and Nesterov,
    :math:`\beta_1, \beta_2` for Adam and AdamW, none for the others (RMSprop keeps its decay 0.9)."""
    if name in ("momentum", "nesterov"):
        return {"beta": float(beta)}
    if name in ("adam", "adamw"):
        return {"beta1": float(beta1), "beta2": float(beta2)}
    return {}


def _position_value(mode, k):
    """The learning rate (mode "same") or the factor (mode "tuned") at position k of the kernel-free slider."""
    lo, hi = LR_RANGE if mode == "same" else FACTOR_RANGE
    return float(10.0 ** (lo + (hi - lo) * k / (STATIC_POSITIONS - 1)))


class OptimizerRacePlayground(KeyedBlitMixin, Playground):
    r"""Up to four optimizers of :mod:`nnmath.optim` racing on a 2-D test surface from its suggested start.

    Controls: the surface; four optimizer slots ("—" leaves one empty); how the learning rates are set — each
    optimizer's tuned :math:`\eta` (:func:`nnmath.race.tune_surface`, tuned at the papers' :math:`\beta` values
    on :data:`nnmath.race.SURFACE_BUDGETS` steps) times a common factor, or one :math:`\eta` for all; the factor
    or the :math:`\eta` (log sliders); :math:`\beta` (momentum, Nesterov), :math:`\beta_1, \beta_2` (Adam, AdamW);
    the number of steps.

    Left: the contours with each path (its end a dot, a cross if it diverged). Right: :math:`f - f^*` per step on
    a log axis (:math:`f` itself on a symmetric-log axis for the saddle). The lines under the plot give each
    optimizer's learning rate and how its run ended; "diverged" when the path left
    :math:`\lVert\boldsymbol\theta\rVert \le 1000`.
    """

    max_steps = 500
    cache_size = 512
    #: Draw each curve through fewer points (``nnmath.plots.optimizers.thin``): set for the static version,
    #: whose page carries every point of every state; the live view draws them all.
    thinning = False

    def __init__(self, surface="rosenbrock", optimizers=LINEUPS[0][1], mode="tuned", lr=1e-3, factor=1.0,
                 beta=0.9, beta1=0.9, beta2=0.999, steps=None):
        s = get_surface(surface)
        names = list(optimizers) + ["none"] * (_SLOTS - len(optimizers))
        if len(names) != _SLOTS:
            raise ValueError(f"at most {_SLOTS} optimizers race at once; got {len(optimizers)}")
        for n in names:
            if n != "none" and n not in OPTIMIZER_NAMES:
                raise ValueError(f"unknown optimizer {n!r}; choose from {', '.join(OPTIMIZER_NAMES)}")
        description = {"style": {"description_width": "initial"}}
        steps = SURFACE_BUDGETS[s.name] if steps is None else steps
        controls = {
            "surface": w.Dropdown(options=SURFACE_CHOICES, value=s.name, description="surface",
                                  layout=w.Layout(width="290px")),
            **{f"opt{i + 1}": w.Dropdown(options=OPTIMIZER_CHOICES, value=n, description=f"optimizer {i + 1}",
                                         layout=w.Layout(width="200px"), **description)
               for i, n in enumerate(names)},
            "mode": w.Dropdown(options=MODES, value=mode, description="learning rates",
                               layout=w.Layout(width="320px"), **description),
            "factor": w.FloatLogSlider(value=factor, base=10, min=FACTOR_RANGE[0], max=FACTOR_RANGE[1], step=0.01,
                                       description="× tuned η", readout_format=".3g", continuous_update=True,
                                       layout=w.Layout(width="320px"), **description),
            "lr": w.FloatLogSlider(value=lr, base=10, min=LR_RANGE[0], max=LR_RANGE[1], step=0.01,
                                   description="learning rate η", readout_format=".3g", continuous_update=True,
                                   layout=w.Layout(width="320px"), **description),
            "beta": w.FloatSlider(value=beta, min=0.0, max=0.99, step=0.01, description="β (momentum)",
                                  readout_format=".2f", continuous_update=True, layout=w.Layout(width="260px"),
                                  **description),
            "beta1": w.FloatSlider(value=beta1, min=0.0, max=0.99, step=0.01, description="β₁ (Adam)",
                                   readout_format=".2f", continuous_update=True, layout=w.Layout(width="260px"),
                                   **description),
            "beta2": w.Dropdown(options=[0.9, 0.99, 0.999, 0.9999], value=beta2, description="β₂ (Adam)",
                                layout=w.Layout(width="170px"), **description),
            "steps": w.IntSlider(value=steps, min=10, max=self.max_steps, step=10, description="steps",
                                 continuous_update=True, layout=w.Layout(width="300px"), **description),
        }
        controls["surface"].observe(self._on_surface, names="value")  # before Playground's own observer
        controls["mode"].observe(self._on_mode, names="value")
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
        self.start_dot, = self.ax.plot([], [], "o", color="black", mec="white", ms=7, zorder=9)
        self.paths = [self.ax.plot([], [], "-", lw=1.6, zorder=6)[0] for _ in range(_SLOTS)]
        self.ends = [self.ax.plot([], [], "o", mec="white", ms=7, zorder=8)[0] for _ in range(_SLOTS)]
        self.losses = [self.ax_loss.plot([], [], "-", lw=1.7)[0] for _ in range(_SLOTS)]
        self.texts = [self.ax_text.text(0.0 if i % 2 == 0 else 0.52, 0.75 if i < 2 else 0.2, "", fontsize=9,
                                        transform=self.ax_text.transAxes, va="center") for i in range(_SLOTS)]
        self.ax_loss.set_title("the loss at each step", fontsize=9.5)
        # each optimizer's line under the plot names its rate: no moving title (text is the costly part of a redraw)
        self.dynamic = [self.start_dot, *self.paths, *self.ends, *self.losses, *self.texts]
        self._paths: OrderedDict = OrderedDict()
        self._drawn_surface = None
        self._loss_axes = None
        self.trajectories: dict = {}
        self.compute_time = 0.0
        self._on_mode({"new": mode})

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
        """The descent of one optimizer (cached: the same run is asked for by many states of the static grid)."""
        key = (surface, name, round(lr, 15), tuple(sorted(hyper.items())), int(steps))
        if key not in self._paths:
            opt = make_optimizer(name, lr=lr, **hyper)
            self._paths[key] = descend(surface, optimizer=opt, steps=int(steps))
            if len(self._paths) > self.cache_size:
                self._paths.popitem(last=False)
        return self._paths[key]

    # -- drawing ------------------------------------------------------------------------------------------
    def _show_surface(self, s, steps):
        if s.name != self._drawn_surface:
            for name, artists in self._surfaces.items():
                for artist in artists:
                    artist.set_visible(name == s.name)
            self.ax.set(xlim=s.xlim, ylim=s.ylim)
            self.ax.set_title(f"${s.latex}$", fontsize=9.5)  # mathtext: parsed once per surface, not per move
            self._drawn_surface = s.name
        end = _axis_end(steps)
        if (s.name, end) != self._loss_axes:
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
            ax.set_xlim(0, end)
            self._loss_axes = (s.name, end)

    def update(self, surface, opt1, opt2, opt3, opt4, mode, lr, factor, beta, beta1, beta2, steps):
        s = get_surface(surface)
        steps = int(steps)
        self._show_surface(s, steps)
        self.static_key = (s.name, _axis_end(steps))
        t0 = time.perf_counter()
        chosen = self.settings(s.name, opt1, opt2, opt3, opt4, mode, lr, factor, beta, beta1, beta2, steps)
        self.trajectories = {name: self.path(s.name, name, eta, hyper, steps) for name, (eta, hyper) in chosen.items()}
        self.compute_time = time.perf_counter() - t0
        self.start_dot.set_data([s.start[0]], [s.start[1]])
        window = (s.xlim[1] - s.xlim[0], s.ylim[1] - s.ylim[0])
        f_star = minimum_value(s)
        for i in range(_SLOTS):
            path_line, end, loss_line, text = self.paths[i], self.ends[i], self.losses[i], self.texts[i]
            if i >= len(chosen):
                for artist in (path_line, end, loss_line):
                    artist.set_data([], [])
                text.set_text("")
                continue
            name = list(chosen)[i]
            eta, hyper = chosen[name]
            run = self.trajectories[name]
            color = OPTIMIZER_COLORS[name]
            keep = thin(run.points, window) if self.thinning else slice(None)
            path_line.set_data(run.points[keep, 0], run.points[keep, 1])
            path_line.set_color(color)
            end.set_data([run.points[-1, 0]], [run.points[-1, 1]])
            end.set_color(color)
            end.set_marker("X" if run.diverged else "o")
            gap = loss_gap(s, run.losses)
            k = np.arange(len(gap))
            y = np.log10(gap) if f_star is not None else np.arcsinh(gap)  # what the axis shows, for thinning
            keep = thin(np.column_stack([k, y]), (max(steps, 1), 30.0)) if self.thinning else slice(None)
            loss_line.set_data(k[keep], gap[keep])
            loss_line.set_color(color)
            extra = "".join(f", {_GREEK[key]} = {value:g}" for key, value in hyper.items()
                            if value != _PAPER.get(key))
            text.set_text(f"{LABELS[name]} (η = {eta:.3g}{extra}): {describe(run, s)}")
            text.set_color(PALETTE["vermillion"] if run.diverged else color)
            text.set_fontweight("bold" if run.diverged else "normal")

    # -- the kernel-free version (nnmath.widgets.static) ------------------------------------------------
    def static_controls(self):
        """The grid of the kernel-free version: 4 surfaces × 5 line-ups (``LINEUPS``) × 2 ways of setting the
        learning rates × 13 positions of the learning-rate control (a factor of 10^0.25 apart as "× tuned η",
        10^0.375 apart as "one η for all"); the papers' β values and :data:`nnmath.race.SURFACE_BUDGETS` steps."""
        self.thinning = True
        c = self.controls
        surface = c["surface"].value if c["surface"].value in STATIC_SURFACES else "rosenbrock"
        current = tuple(c[f"opt{i + 1}"].value for i in range(_SLOTS) if c[f"opt{i + 1}"].value != "none")
        lineup = next((i for i, (_, names) in enumerate(LINEUPS) if names == current), 0)
        mode = c["mode"].value
        value = c["factor"].value if mode == "tuned" else c["lr"].value
        lo, hi = FACTOR_RANGE if mode == "tuned" else LR_RANGE
        position = int(np.clip(round((math.log10(value) - lo) / (hi - lo) * (STATIC_POSITIONS - 1)), 0,
                               STATIC_POSITIONS - 1))
        labels = {v: k for k, v in SURFACE_CHOICES}
        return [
            StaticControl("surface", "surface", list(STATIC_SURFACES), [labels[n] for n in STATIC_SURFACES],
                          "select", STATIC_SURFACES.index(surface)),
            StaticControl("lineup", "optimizers", list(range(len(LINEUPS))), [label for label, _ in LINEUPS],
                          "select", lineup),
            StaticControl("mode", "learning rates", [v for _, v in MODES], [k for k, _ in MODES], "select",
                          [v for _, v in MODES].index(mode)),
            StaticControl("position", "η", list(range(STATIC_POSITIONS)),
                          [f"{_position_value('tuned', k):.3g}" for k in range(STATIC_POSITIONS)], "range", position),
        ]

    def static_values(self, chosen):
        names = list(LINEUPS[chosen["lineup"]][1]) + ["none"] * _SLOTS
        value = _position_value(chosen["mode"], chosen["position"])
        return {"surface": chosen["surface"], **{f"opt{i + 1}": names[i] for i in range(_SLOTS)},
                "mode": chosen["mode"], "lr": value if chosen["mode"] == "same" else 1e-3,
                "factor": value if chosen["mode"] == "tuned" else 1.0, **_PAPER,
                "steps": SURFACE_BUDGETS[chosen["surface"]]}

    def static_labels(self, chosen):
        """The learning-rate control reads "× 0.316 (each tuned η)" or "η = 0.0562 for all"."""
        value = _position_value(chosen["mode"], chosen["position"])
        text = f"× {value:.3g} of each tuned η" if chosen["mode"] == "tuned" else f"{value:.3g} for all"
        return {"position": text}

    # -- controls ------------------------------------------------------------------------------------------
    def _on_surface(self, change):
        quiet, self._quiet = self._quiet, True  # one redraw (by Playground's own observer)
        try:
            self.controls["steps"].value = SURFACE_BUDGETS[change["new"]]
        finally:
            self._quiet = quiet

    def _on_mode(self, change):
        tuned = change["new"] == "tuned"
        self.controls["factor"].layout.display = None if tuned else "none"
        self.controls["lr"].layout.display = "none" if tuned else None

    def control_box(self):
        c = self.controls
        row = dict(flex_flow="row wrap", align_items="center")
        return w.VBox([w.HBox([c["surface"], c["mode"], c["factor"], c["lr"]], layout=w.Layout(**row)),
                       w.HBox([c[f"opt{i + 1}"] for i in range(_SLOTS)], layout=w.Layout(**row)),
                       w.HBox([c["beta"], c["beta1"], c["beta2"], c["steps"]], layout=w.Layout(**row))])


_GREEK = {"beta": "β", "beta1": "β₁", "beta2": "β₂"}

#: The loss panel's step axis ends at the first of these at or above the number of steps.
_AXIS_ENDS = (50, 100, 200, 300, 500)


def _axis_end(steps) -> int:
    return next((end for end in _AXIS_ENDS if end >= steps), int(steps))


def optimizer_race_playground(**initial):
    """Make the chapter 7 optimizer race (see :class:`OptimizerRacePlayground`)."""
    return OptimizerRacePlayground(**initial)
