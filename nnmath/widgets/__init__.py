r"""Interactive figures for the chapters (presentation layer: may import everything below it).

Every widget is a :class:`Playground`: a matplotlib figure whose moving artists follow a few controls. Display one
in a notebook and the controls appear above the figure; move them and the figure follows. One renderer draws every
widget, in two places:

- **live, in a notebook**: the view is a small anywidget (:class:`FigureView`). The kernel computes each state
  with ``nnmath`` and sends the moving artists as drawing commands; ``figure.js`` draws them over a picture of the
  rest of the figure. While the kernel works on one move, the page keeps only the newest position, so the figure
  follows the hand instead of replaying every step of a drag.
- **in the static book, with no kernel**: the same script and the same controls, fed either by states
  precomputed on a grid (``static_mode = "grid"``) or by the widget's equation evaluated in the page
  (``static_mode = "page"``); see :mod:`nnmath.widgets.static`. Each widget says which in its class attribute
  ``static_mode``, and why in its docstring.

**Writing a widget** is one file. The contract (the :class:`Playground` docstring has it in full): build the
figure and the controls (:mod:`nnmath.widgets.controls`), list the artists that move in ``self.dynamic``, and
implement ``update(**values)``, which sets those artists and ``self.static_key`` (what the rest of the figure
depends on). The smallest complete example, a kernel-free one, is the softmax temperature
(``nnmath/widgets/softmax_temperature.py``)::

    class SoftmaxTemperaturePlayground(Playground):
        static_mode = "grid"                              # precomputed states in the static book

        def __init__(self, T=1.0, shift=0.0, logits=LOGITS, classes=CLASSES):
            controls = {"T": Slider("temperature T", T, 10 ** -1.3, 10 ** 1.3, 0.02, log=True, fmt=".2f"),
                        "shift": Slider("add c to every logit", shift, -10, 10, 0.5)}
            fig, (self.ax_z, self.ax_p) = widget_figure(2, width=9.0, height=3.8)
            super().__init__(fig, controls)
            ...                                           # bars, labels: the figure, drawn once
            self.dynamic = [*self.z_bars, *self.p_bars, *self.p_texts, self.ax_p.title]

        def update(self, T, shift):                       # only moves artists; static_key stays None:
            p = softmax((self.z + shift) / T)             # nothing else in the figure ever changes
            ...

        def static_controls(self):                        # the grid the static book offers
            return [grid_control(self.controls["T"], self.controls["T"].grid(step=0.065), name="T"),
                    grid_control(self.controls["shift"], self.controls["shift"].grid(step=2.5), name="shift")]

Then export it here. The tests find every :class:`Playground` in this module by themselves: they sweep every
control, check the contract's rules, precompute the static version and, in the built book, move every control of
every widget in a real browser.
"""

from ._base import FigureView, Playground, static_html_enabled
from .activation_explorer import ActivationExplorerPlayground
from .backprop_steps import BackpropStepsPlayground
from .classification_loss import ClassificationLossPlayground
from .controls import Choice, Slider, Toggle, sweep_values
from .descent import DescentPlayground
from .descent_1d import Descent1DPlayground
from .dot_product import DotProductPlayground
from .dropout_curves import DropoutCurvesPlayground
from .layer import LayerPlayground
from .linear_map import LinearMapPlayground
from .matmul import MatmulPlayground
from .minibatch import MinibatchPlayground
from .momentum_quadratic import MomentumQuadraticPlayground
from .neuron import NeuronPlayground
from .optimizer_race import OptimizerRacePlayground
from .penalty import PenaltyPlayground
from .regression_loss import RegressionLossPlayground
from .softmax_temperature import SoftmaxTemperaturePlayground
from .training import TrainingPlayground
from .universal import ApproximationPlayground
from .vanishing import VanishingGradientPlayground

__all__ = [
    "Playground", "FigureView", "static_html_enabled", "Slider", "Choice", "Toggle", "sweep_values",
    # chapter 1
    "NeuronPlayground", "LayerPlayground",
    # chapter 2
    "DotProductPlayground", "MatmulPlayground", "LinearMapPlayground",
    # chapter 3
    "ActivationExplorerPlayground", "VanishingGradientPlayground", "SoftmaxTemperaturePlayground",
    "ApproximationPlayground",
    # chapter 4
    "RegressionLossPlayground", "ClassificationLossPlayground",
    # chapter 5
    "DescentPlayground", "Descent1DPlayground", "MinibatchPlayground",
    # chapter 6
    "BackpropStepsPlayground", "TrainingPlayground",
    # chapter 7
    "OptimizerRacePlayground", "MomentumQuadraticPlayground",
    # chapter 8
    "PenaltyPlayground", "DropoutCurvesPlayground",
]
