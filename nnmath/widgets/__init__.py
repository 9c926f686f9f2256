"""Interactive figures for the chapters (presentation layer: may import everything below it).

Each widget is a :class:`~nnmath.widgets._base.Playground`: display it in a notebook to get sliders
above a figure that redraws in place.
"""

from ._base import Playground, slider, sweep_values
from .activation_explorer import ActivationExplorerPlayground, activation_explorer
from .backprop_steps import BackpropStepsPlayground, backprop_steps_playground
from .classification_loss import ClassificationLossPlayground, classification_loss_playground
from .descent import DescentPlayground, descent_playground
from .descent_1d import Descent1DPlayground, descent_1d_playground
from .dot_product import DotProductPlayground, dot_product_playground
from .dropout_curves import DropoutCurvesPlayground, dropout_curves_playground
from .layer import LayerPlayground, layer_playground
from .linear_map import LinearMapPlayground, linear_map_playground
from .matmul import MatmulPlayground, matmul_playground
from .minibatch import MinibatchPlayground, minibatch_playground
from .neuron import NeuronPlayground, neuron_playground
from .penalty import PenaltyPlayground, penalty_playground
from .regression_loss import RegressionLossPlayground, regression_loss_playground
from .softmax_temperature import SoftmaxTemperaturePlayground, softmax_temperature_playground
from .training import TrainingPlayground, training_playground
from .universal import ApproximationPlayground, approximation_playground
from .vanishing import VanishingGradientPlayground, vanishing_gradient_playground

__all__ = [
    "Playground", "slider", "sweep_values",
    "NeuronPlayground", "neuron_playground",
    "DotProductPlayground", "dot_product_playground",
    "MatmulPlayground", "matmul_playground",
    "LinearMapPlayground", "linear_map_playground",
    "LayerPlayground", "layer_playground",
    "ActivationExplorerPlayground", "activation_explorer",
    "VanishingGradientPlayground", "vanishing_gradient_playground",
    "SoftmaxTemperaturePlayground", "softmax_temperature_playground",
    "ApproximationPlayground", "approximation_playground",
    "DescentPlayground", "descent_playground",
    "Descent1DPlayground", "descent_1d_playground",
    "MinibatchPlayground", "minibatch_playground",
    "RegressionLossPlayground", "regression_loss_playground",
    "ClassificationLossPlayground", "classification_loss_playground",
    "BackpropStepsPlayground", "backprop_steps_playground",
    "TrainingPlayground", "training_playground",
    "PenaltyPlayground", "penalty_playground", "DropoutCurvesPlayground", "dropout_curves_playground",
]
