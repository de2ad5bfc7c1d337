"""Plotly figure builders: plotly and numpy only (no torch, no streamlit), so a saved Result can be drawn anywhere.
One module per lesson, named as its page (viz/<page>.py); what several lessons' charts share sits in the module
named after the block they chart (activations, schedules, regularization) and in theme."""
from nncore.viz.activation_functions import activation_curves, activation_slopes
from nncore.viz.activation_race import race_curves, race_summary, race_units
from nncore.viz.augmentation import digit_gallery
from nncore.viz.batch_vs_decay import batch_vs_decay_curves
from nncore.viz.convolution import (cnn_features, connectivity_counts, conv_window, pooling, receptive_fields,
                                    shift_accuracy, shift_curves)
from nncore.viz.data_assessment import feature_histograms, shift_scores
from nncore.viz.depth_vs_width import depth_curves, depth_scores
from nncore.viz.dead_relu import dead_during_training, dead_vs_bias
from nncore.viz.early_stopping import early_stopping
from nncore.viz.gradient_flow import gradient_through_depth, local_slopes, zigzag_loss, zigzag_paths
from nncore.viz.hparam_search import accuracy_by_lr, search_scatter, toy_search
from nncore.viz.loss_curves import kfold_accuracy, loss_curve, step_loss
from nncore.viz.losses import (adam_curves, label_pitfall, logit_gradients, loss_gradients, outlier_fits,
                               outlier_net_fits, sigmoid_bound, wine_losses)
from nncore.viz.lr_finder import lr_range_curve, lr_sanity_curves
from nncore.viz.lr_schedules import lr_schedules
from nncore.viz.normalization import activation_spread, bn_train_eval, norm_axes
from nncore.viz.optimizer_race import (optimizer_internals, optimizer_leaderboard, optimizer_losses, optimizer_map,
                                       optimizer_surface)
from nncore.viz.preprocessing import (digit_centering, preprocessing_paths, preprocessing_scalings, preprocessing_sources,
                                      preprocessing_steps)
from nncore.viz.regularization import curves, decision_boundaries, fits, regression_fits
from nncore.viz.sanity_checks import gradient_health, initial_losses, tiny_overfit, update_ratios
from nncore.viz.schedule_race import schedule_race_curves
from nncore.viz.softmax_output import softmax_bars, softmax_losses
from nncore.viz.transfer_learning import ensemble_members, snapshot_cycles, transfer_curves
from nncore.viz.universal_approximation import approximation_fit, approximation_loss, relu_units
from nncore.viz.weight_init import gradient_stds, layer_histograms, layer_stats, unit_health
from nncore.viz.weight_penalties import regularization_path, weight_histograms

__all__ = ["activation_curves", "activation_slopes", "race_curves", "race_summary", "race_units", "digit_gallery",
           "batch_vs_decay_curves", "cnn_features", "connectivity_counts", "conv_window", "pooling", "receptive_fields",
           "shift_accuracy", "shift_curves", "dead_during_training", "dead_vs_bias", "early_stopping", "gradient_through_depth",
           "local_slopes", "zigzag_loss", "zigzag_paths", "lr_range_curve", "lr_sanity_curves", "lr_schedules",
           "activation_spread", "bn_train_eval", "norm_axes", "optimizer_internals", "optimizer_leaderboard",
           "optimizer_losses", "optimizer_map", "optimizer_surface", "curves", "decision_boundaries", "fits",
           "regression_fits", "schedule_race_curves", "softmax_bars", "softmax_losses", "gradient_stds",
           "layer_histograms", "layer_stats", "unit_health", "regularization_path", "weight_histograms",
           "gradient_health", "initial_losses", "tiny_overfit", "update_ratios", "accuracy_by_lr", "search_scatter",
           "toy_search", "kfold_accuracy", "loss_curve", "step_loss", "preprocessing_scalings", "preprocessing_sources",
           "preprocessing_steps", "feature_histograms", "shift_scores", "adam_curves", "logit_gradients",
           "loss_gradients", "outlier_fits", "sigmoid_bound", "relu_units", "approximation_fit", "approximation_loss",
           "wine_losses", "outlier_net_fits", "label_pitfall", "ensemble_members", "snapshot_cycles", "transfer_curves",
           "depth_curves", "depth_scores", "preprocessing_paths", "digit_centering"]
