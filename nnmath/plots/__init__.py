"""Figures for the book (presentation layer).

Static figures are made with pyplot, so that a notebook cell such as ``fig = plots.architecture([2, 3, 1])``
shows the figure once, below the cell. Widget figures are plain :class:`matplotlib.figure.Figure` objects
(:func:`widget_figure`) that :mod:`nnmath.widgets` renders itself. One module per topic; everything is
re-exported here.
"""

from ._style import COLORS, DIVERGING, PALETTE, SEQUENTIAL, static_figure, style, widget_figure
from .activations import activation_gallery, dying_relu, relu_interpolation, what_relu_adds
from .linear import draw_grid, grid_lines
from .network import architecture, draw_architecture
from .neurons import bias_and_scale, decision_geometry, decision_line, logic_gates, neuron_diagram

__all__ = [
    "COLORS", "DIVERGING", "PALETTE", "SEQUENTIAL", "static_figure", "style", "widget_figure",
    "architecture", "draw_architecture", "draw_grid", "grid_lines",
    "neuron_diagram", "decision_line", "decision_geometry", "bias_and_scale", "logic_gates",
    "activation_gallery", "what_relu_adds", "dying_relu", "relu_interpolation",
]
