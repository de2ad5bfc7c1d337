"""Plotly figure builders: plotly and numpy only (no torch, no streamlit), so a saved Result can be drawn anywhere."""
from nncore.viz.activations import (activation_curves, activation_slopes, dead_during_training, dead_vs_bias,
                                    gradient_through_depth, local_slopes, race_curves, race_summary, race_units,
                                    softmax_bars, softmax_losses, zigzag_loss, zigzag_paths)
from nncore.viz.init_stats import gradient_stds, layer_histograms, layer_stats, unit_health

__all__ = ["gradient_stds", "layer_histograms", "layer_stats", "unit_health"]
__all__ += ["activation_curves", "activation_slopes", "dead_during_training", "dead_vs_bias", "gradient_through_depth",
            "local_slopes", "race_curves", "race_summary", "race_units", "softmax_bars", "softmax_losses", "zigzag_loss",
            "zigzag_paths"]
