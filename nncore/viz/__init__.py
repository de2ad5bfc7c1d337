"""Plotly figure builders: plotly and numpy only (no torch, no streamlit), so a saved Result can be drawn anywhere."""
from nncore.viz.activations import (activation_curves, activation_slopes, dead_during_training, dead_vs_bias,
                                    gradient_through_depth, local_slopes, race_curves, race_summary, race_units,
                                    softmax_bars, softmax_losses, zigzag_loss, zigzag_paths)
from nncore.viz.init_stats import gradient_stds, layer_histograms, layer_stats, unit_health

__all__ = ["gradient_stds", "layer_histograms", "layer_stats", "unit_health"]
__all__ += ["activation_curves", "activation_slopes", "dead_during_training", "dead_vs_bias", "gradient_through_depth",
            "local_slopes", "race_curves", "race_summary", "race_units", "softmax_bars", "softmax_losses", "zigzag_loss",
            "zigzag_paths"]
from nncore.viz.augmentation import digit_gallery
from nncore.viz.early_stopping import early_stopping
from nncore.viz.normalization import activation_spread, bn_train_eval, norm_axes
from nncore.viz.regularization import curves, decision_boundaries, fits, regression_fits
from nncore.viz.weight_penalties import regularization_path, weight_histograms

__all__ += ["activation_spread", "bn_train_eval", "curves", "decision_boundaries", "digit_gallery", "early_stopping",
            "fits", "norm_axes", "regression_fits", "regularization_path", "weight_histograms"]
from nncore.viz.optimizer_race import (optimizer_internals, optimizer_leaderboard, optimizer_losses, optimizer_map,
                                       optimizer_surface)

__all__ += ["optimizer_internals", "optimizer_leaderboard", "optimizer_losses", "optimizer_map", "optimizer_surface"]
from nncore.viz.schedules import (batch_vs_decay_curves, lr_range_curve, lr_sanity_curves, lr_schedules,
                                  schedule_race_curves)

__all__ += ["batch_vs_decay_curves", "lr_range_curve", "lr_sanity_curves", "lr_schedules", "schedule_race_curves"]
from nncore.viz.sanity_checks import gradient_health, initial_losses, tiny_overfit, update_ratios

__all__ += ["gradient_health", "initial_losses", "tiny_overfit", "update_ratios"]
from nncore.viz.hparam_search import accuracy_by_lr, search_scatter, toy_search

__all__ += ["accuracy_by_lr", "search_scatter", "toy_search"]
from nncore.viz.loss_curves import loss_curve, step_loss

__all__ += ["loss_curve", "step_loss"]
from nncore.viz.preprocessing import preprocessing_scalings, preprocessing_sources, preprocessing_steps

__all__ += ["preprocessing_scalings", "preprocessing_sources", "preprocessing_steps"]
from nncore.viz.data_assessment import feature_histograms, shift_scores

__all__ += ["feature_histograms", "shift_scores"]
