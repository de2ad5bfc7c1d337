"""Plotly figure builders: plotly and numpy only (no torch, no streamlit), so a saved Result can be drawn anywhere."""
from nncore.viz.init_stats import gradient_stds, layer_histograms, layer_stats, unit_health

__all__ = ["gradient_stds", "layer_histograms", "layer_stats", "unit_health"]
