"""Every figure builder of nncore.viz, drawn from its experiment at the page's defaults: it builds, has a title,
and its JSON (what st.plotly_chart sends the browser) stays under 1 MB (DESIGN.md 4: a figure over 1 MB is a bug).

BUILDERS names each builder's inputs; a builder added to nncore.viz without an entry here fails the test."""
from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any, Callable

import pytest

from nncore import viz
from nncore.experiments import (activation_functions, activation_race, augmentation, batch_vs_decay, capacity,
                                data_assessment, dead_relu, dropout, early_stopping, hparam_search, loss_curves,
                                losses, lr_schedules, normalization, optimizer_race, preprocessing, sanity_checks,
                                schedule_race, softmax_output, weight_init, weight_penalties)
from nncore.experiments import depth_vs_width
from nncore.experiments.convolution import arithmetic as conv_arithmetic
from nncore.experiments.convolution import shift as conv_shift
from nncore.experiments.gradient_flow import depth as gradient_depth
from nncore.experiments.gradient_flow import zigzag
from nncore.experiments.lr_finder import range_test as lr_range_test
from nncore.experiments.lr_finder import sanity as lr_sanity
from nncore.experiments.universal_approximation import fit as ua_fit
from nncore.experiments.universal_approximation import relu_sum as ua_relu_sum
from nncore.experiments.transfer_learning import ensembles as tl_ensembles
from nncore.experiments.transfer_learning import transfer as tl_transfer

LIMIT = 1_000_000   # bytes


@cache
def run(experiment, cfg: Any = None) -> Any:
    """The experiment's run at `cfg` (default: its Config()), once per test session."""
    return experiment.run(cfg if cfg is not None else experiment.Config())


@cache
def pair(experiment, base: Any, **on: Any) -> tuple[list, list[str]]:
    """An A/B page's runs: A is the base, B the base with the technique `on`."""
    return [run(experiment, base), run(experiment, dataclasses.replace(base, **on))], ["A", "B"]


def ab(experiment, base: Any, **on: Any) -> Callable[[], tuple]:
    return lambda: pair(experiment, base, **on)


def penalty_runs() -> tuple[list, list[str]]:
    """The weight-penalty page's four comparison runs (none, L1, L2, decoupled decay), as it draws them."""
    a, b = weight_penalties.PENALTIES, dataclasses.replace(weight_penalties.PENALTIES, l2=0.005)
    runs = [run(weight_penalties, c) for c in weight_penalties.penalty_runs(a, b).values()]
    return runs, [weight_penalties.penalty_name(r.config) for r in runs]


def race_with_internals() -> tuple:
    r = run(optimizer_race)
    return r, r.labels[0], r.config.steps // 2


# builder name -> the arguments the page passes it, from runs at the page's defaults
BUILDERS: dict[str, Callable[[], tuple]] = {
    "connectivity_counts": lambda: (run(conv_arithmetic),),
    "conv_window": lambda: (run(conv_arithmetic, conv_arithmetic.PRESETS["001: 32x32x3, six 5x5 filters"].config),),
    "pooling": lambda: (run(conv_arithmetic),),
    "receptive_fields": lambda: (run(conv_arithmetic),),
    "shift_accuracy": lambda: (run(conv_shift),),
    "shift_curves": lambda: (run(conv_shift),),
    "cnn_features": lambda: (run(conv_shift),),
    "activation_curves": lambda: (run(activation_functions),),
    "activation_slopes": lambda: (run(activation_functions),),
    "gradient_through_depth": lambda: (run(gradient_depth),),
    "local_slopes": lambda: (run(gradient_depth),),
    "zigzag_paths": lambda: (run(zigzag),),
    "zigzag_loss": lambda: (run(zigzag),),
    "dead_vs_bias": lambda: (run(dead_relu),),
    "dead_during_training": lambda: (run(dead_relu),),
    "race_curves": lambda: (run(activation_race),),
    "depth_curves": lambda: (run(depth_vs_width),),
    "depth_scores": lambda: (run(depth_vs_width),),
    "race_summary": lambda: (run(activation_race),),
    "race_units": lambda: (run(activation_race),),
    "softmax_bars": lambda: (run(softmax_output),),
    "softmax_losses": lambda: (run(softmax_output),),
    "layer_stats": lambda: ([run(weight_init)],),
    "layer_histograms": lambda: (run(weight_init),),
    "gradient_stds": lambda: ([run(weight_init)],),
    "unit_health": lambda: ([run(weight_init)],),
    "curves": ab(dropout, dropout.OVERFIT, dropout=0.5),
    "fits": ab(capacity, dataclasses.replace(capacity.CAPACITY, hidden=(2,)), hidden=(128, 128)),
    "decision_boundaries": ab(normalization, normalization.NORMALIZATION, norm="batch"),
    "regression_fits": ab(dropout, dataclasses.replace(dropout.OVERFIT, dataset="sine"), dropout=0.5),
    "digit_gallery": lambda: (augmentation.augmented_gallery(seed=augmentation.DIGITS.seed),),
    "early_stopping": lambda: (pair(early_stopping, early_stopping.OVERFIT, patience=20)[0][1],),
    "activation_spread": ab(normalization, normalization.NORMALIZATION, norm="batch"),
    "bn_train_eval": lambda: (pair(normalization, normalization.NORMALIZATION, norm="batch")[0][1],),
    "norm_axes": lambda: (normalization.norm_axes(seed=0),),
    "weight_histograms": penalty_runs,
    "regularization_path": lambda: (weight_penalties.regularization_path(weight_penalties.PathConfig()),),
    "optimizer_map": lambda: (run(optimizer_race),),
    "optimizer_surface": lambda: (run(optimizer_race),),
    "optimizer_losses": lambda: (run(optimizer_race),),
    "optimizer_leaderboard": lambda: (run(optimizer_race),),
    "optimizer_internals": race_with_internals,
    "batch_vs_decay_curves": lambda: (run(batch_vs_decay),),
    "lr_range_curve": lambda: (run(lr_range_test),),
    "lr_sanity_curves": lambda: (run(lr_sanity),),
    "lr_schedules": lambda: (run(lr_schedules),),
    "schedule_race_curves": lambda: (run(schedule_race),),
    "initial_losses": lambda: (run(sanity_checks),),
    "tiny_overfit": lambda: (run(sanity_checks),),
    "update_ratios": lambda: (run(sanity_checks),),
    "gradient_health": lambda: (run(sanity_checks),),
    "search_scatter": lambda: (run(hparam_search),),
    "accuracy_by_lr": lambda: (run(hparam_search),),
    "toy_search": lambda: (hparam_search.toy(hparam_search.Config().budget),),
    "loss_curve": lambda: (run(loss_curves, loss_curves.Config("nan")).faulty, "A question", 2.3),
    "step_loss": lambda: (run(loss_curves, loss_curves.Config("no_shuffle")).faulty, "A question"),
    "kfold_accuracy": lambda: (run(loss_curves, loss_curves.Config("val_above_train")).folds,),
    "preprocessing_steps": lambda: (preprocessing.cloud(),),
    "preprocessing_sources": lambda: (run(preprocessing),),
    "preprocessing_scalings": lambda: (run(preprocessing),),
    "preprocessing_paths": lambda: (preprocessing.weight_paths(), preprocessing.PATH_NAMES),
    "digit_centering": lambda: (preprocessing.digit_means(),),
    "shift_scores": lambda: (run(data_assessment),),
    "feature_histograms": lambda: (run(data_assessment), True),
    "loss_gradients": lambda: (run(losses),),
    "logit_gradients": lambda: (run(losses),),
    "outlier_fits": lambda: (run(losses),),
    "sigmoid_bound": lambda: (run(losses),),
    "adam_curves": lambda: (losses.run_adam(losses.AdamConfig()),),
    "relu_units": lambda: (run(ua_relu_sum),),
    "approximation_fit": lambda: (run(ua_fit),),
    "approximation_loss": lambda: (run(ua_fit),),
    "wine_losses": lambda: (losses.run_wine_losses(losses.WineConfig()),),
    "outlier_net_fits": lambda: (run(losses),),
    "label_pitfall": lambda: (run(losses),),
    "transfer_curves": lambda: (run(tl_transfer),),
    "ensemble_members": lambda: (run(tl_ensembles),),
    "snapshot_cycles": lambda: (run(tl_ensembles),),
}


def test_every_builder_has_an_entry():
    assert sorted(BUILDERS) == sorted(viz.__all__), "add the new builder's inputs to BUILDERS (or drop the old one)"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_figure_at_the_defaults_is_under_one_megabyte(name):
    fig = getattr(viz, name)(*BUILDERS[name]())
    assert fig is not None, f"{name} drew nothing at the defaults"
    assert fig.layout.title.text, f"{name}: every chart says what it shows"
    size = len(fig.to_json())
    assert size < LIMIT, f"{name}: {size:,} bytes of JSON, over {LIMIT:,}: bin or subsample on the server"
