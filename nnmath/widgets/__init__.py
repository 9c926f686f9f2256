"""Interactive figures for the chapters (presentation layer: may import everything below it).

Each widget is a :class:`~nnmath.widgets._base.Playground`: display it in a notebook to get sliders
above a figure that redraws in place.
"""

from ._base import Playground, slider, sweep_values
from .linear_map import LinearMapPlayground, linear_map_playground
from .neuron import NeuronPlayground, neuron_playground

__all__ = [
    "Playground", "slider", "sweep_values",
    "NeuronPlayground", "neuron_playground",
    "LinearMapPlayground", "linear_map_playground",
]
