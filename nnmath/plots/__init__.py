"""Figures for the book (presentation layer).

Static figures are made with pyplot, so that a notebook cell such as ``fig = plots.architecture([2, 3, 1])``
shows the figure once, below the cell. Widget figures are plain :class:`matplotlib.figure.Figure` objects
(:func:`widget_figure`) that :mod:`nnmath.widgets` renders itself. One module per topic; everything is
re-exported here.
"""

from ._style import (
    ALT_KEY,
    COLORS,
    DIVERGING,
    PALETTE,
    SEQUENTIAL,
    arrow_polyline,
    describe,
    description,
    static_figure,
    style,
    widget_figure,
)
from .activations import activation_gallery, dying_relu, relu_interpolation, sign_zigzag, what_relu_adds
from .backprop import (
    chain_rule_graphs,
    dense_gradient_shapes,
    draw_graph,
    gradcheck_step_sizes,
    gradient_cost,
    gradient_timings,
    softmax_ce_gradient,
)
from .descent import (
    batch_cost,
    batch_size_paths,
    descent_1d_regimes,
    eigenvectors,
    loss_curves,
    lr_regimes,
    minibatch_noise,
    schedule_vs_constant,
    steepest_ascent,
    step_times,
    surface_gallery,
)
from .linear import draw_grid, grid_lines
from .losses import (
    ce_vs_mse,
    constant_descent,
    noise_models,
    residual_penalties,
    saturated_start,
    stable_bce,
    sum_vs_mean,
)
from .mnist import (
    confusion_heatmap,
    digit_gallery,
    mistake_gallery,
    mnist_format_steps,
    recipe_comparison,
    reliability_diagram,
    training_curves,
    weight_images,
)
from .network import architecture, draw_architecture
from .neurons import (
    bias_and_scale,
    contour_segments,
    decision_geometry,
    decision_line,
    logic_gates,
    neuron_diagram,
)
from .optimizers import (
    adaptive_steps,
    digits_race,
    momentum_ends,
    momentum_regions,
    race_paths,
    schedule_shapes,
    sqrt_kappa_law,
    tuning_curves,
)

__all__ = [
    "COLORS", "DIVERGING", "PALETTE", "SEQUENTIAL", "static_figure", "style", "widget_figure", "arrow_polyline",
    "describe", "description", "ALT_KEY",
    "architecture", "draw_architecture", "draw_grid", "grid_lines",
    "neuron_diagram", "decision_line", "contour_segments", "decision_geometry", "bias_and_scale", "logic_gates",
    "activation_gallery", "what_relu_adds", "dying_relu", "relu_interpolation", "sign_zigzag",
    "draw_graph", "chain_rule_graphs", "gradient_cost", "dense_gradient_shapes", "gradcheck_step_sizes",
    "gradient_timings",
    "softmax_ce_gradient",
    "surface_gallery", "steepest_ascent", "descent_1d_regimes", "lr_regimes", "batch_size_paths", "minibatch_noise",
    "eigenvectors", "schedule_vs_constant", "loss_curves", "step_times", "batch_cost",
    "sum_vs_mean", "residual_penalties", "noise_models", "ce_vs_mse", "stable_bce", "constant_descent",
    "saturated_start",
    "momentum_regions", "sqrt_kappa_law", "momentum_ends", "adaptive_steps", "race_paths", "tuning_curves",
    "digits_race", "schedule_shapes",
    "digit_gallery", "mnist_format_steps", "training_curves", "recipe_comparison", "confusion_heatmap",
    "mistake_gallery", "weight_images", "reliability_diagram",
]

# chapter 8
from .regularization import (  # noqa: E402
    boundary_grid,
    boundary_segments,
    class_colors,
    coefficient_paths,
    comparison_chart,
    double_descent,
    early_stopping_as_l2,
    overfit_boundary,
    overfitting_curves,
    penalty_geometry,
    shifted_digits,
    thinned_networks,
    zeros_histograms,
)

__all__ += [
    "class_colors", "boundary_grid", "boundary_segments", "overfitting_curves", "overfit_boundary", "double_descent",
    "penalty_geometry", "coefficient_paths", "zeros_histograms", "early_stopping_as_l2", "thinned_networks",
    "shifted_digits", "comparison_chart",
]
