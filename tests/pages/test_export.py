"""Export (nncore.ui.export): a chart's CSV holds the Result's own numbers; the code panel's Python, run in a fresh
interpreter, reproduces the page's run."""
from __future__ import annotations

import csv
import dataclasses
import functools
import inspect
import io
import pickle
import subprocess
import zipfile
import sys
import typing

import numpy as np
import plotly.graph_objects as go
import torch

from nncore import surfaces, training, viz
from nncore.experiments import (activation_functions, activation_race, augmentation, batch_vs_decay, capacity,
                                data_assessment, dead_relu, depth_vs_width, dropout, early_stopping, hparam_search,
                                loss_curves, losses, lr_schedules, normalization, optimizer_race, preprocessing,
                                sanity_checks, schedule_race, softmax_output, weight_init)
from nncore.experiments.gradient_flow import depth as gradient_depth
from nncore.experiments.convolution import arithmetic, shift
from nncore.experiments.gradient_flow import zigzag
from nncore.experiments.lr_finder import range_test, sanity
from nncore.experiments.transfer_learning import ensembles, transfer
from nncore.experiments.universal_approximation import fit, relu_sum
from nncore.schedules import ScheduleSpec
from nncore.ui import export, text
from tests.pages.conftest import ROOT
from tests.pages.helpers import tr


def _rows(fig) -> list[dict]:
    return list(csv.DictReader(io.StringIO(export.figure_csv(fig))))


def _column(rows: list[dict], trace: str, col: str, panel: str = "") -> np.ndarray:
    return np.array([float(r[col]) for r in rows if r["trace"] == trace and r["panel"].startswith(panel)])


def test_the_curves_csv_holds_the_results_arrays():
    cfg = dropout.Config(epochs=20)
    a = dropout.run(cfg)
    fig = text._keep("export-test", viz.curves([a, a], ["A", "B"]))    # as the page shows it: typed arrays
    rows = _rows(fig)
    assert list(rows[0]) == list(export.COLUMNS)
    panels = list(dict.fromkeys(r["panel"] for r in rows))
    loss = next(p for p in panels if tr("Loss").lower() in p.lower())
    train, val = tr("{run}: training").format(run="A"), tr("{run}: validation").format(run="A")   # legend names
    np.testing.assert_array_equal(_column(rows, train, "y", loss), np.asarray(a.history.train_loss, float))
    np.testing.assert_array_equal(_column(rows, val, "y", loss), np.asarray(a.history.val_loss, float))
    np.testing.assert_array_equal(_column(rows, train, "x", loss), np.asarray(a.history.epoch, float))


def test_the_page_download_is_one_csv_per_chart():
    figs = {"a": go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="s")), "b": go.Figure(go.Bar(x=["u"], y=[5], name="t"))}
    with zipfile.ZipFile(io.BytesIO(export.charts_zip(figs))) as z:
        assert z.namelist() == ["a.csv", "b.csv"]
        assert all(z.read(f"{k}.csv").decode() == export.figure_csv(f) for k, f in figs.items())


def test_a_heatmap_is_one_row_per_cell_and_an_animation_one_block_per_frame():
    z = np.arange(6.0).reshape(2, 3)
    fig = go.Figure(go.Heatmap(z=z, x=[10, 20, 30], y=[1, 2], name="h"),
                    frames=[go.Frame(name="step 1", data=[go.Scatter(x=[0, 1], y=[5, 6], name="s")])])
    rows = _rows(fig)
    cells = [r for r in rows if r["trace"] == "h"]
    assert [(float(r["x"]), float(r["y"]), float(r["z"])) for r in cells][:4] == [(10, 1, 0), (20, 1, 1), (30, 1, 2),
                                                                                  (10, 2, 3)]
    assert [(r["frame"], float(r["y"])) for r in rows if r["trace"] == "s"] == [("step 1", 5.0), ("step 1", 6.0)]


SNIPPET_RUNS = [(weight_init.run, weight_init.Config(depth=6, activation="relu")),
                (dropout.run, dropout.Config(hidden=(32, 32), dropout=0.3, epochs=15))]


def _same(ours, theirs, where="result") -> None:
    """Equal numbers all the way down: arrays and tensors element by element, dataclasses field by field (but the
    wall-clock times)."""
    if isinstance(ours, torch.Tensor | np.ndarray):
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs), err_msg=where)
    elif dataclasses.is_dataclass(ours):
        for f in (f for f in dataclasses.fields(ours) if "time" not in f.name and f.name != "seconds"):
            _same(getattr(ours, f.name), getattr(theirs, f.name), f"{where}.{f.name}")
    elif isinstance(ours, dict):
        assert ours.keys() == theirs.keys(), where
        for k in ours:
            _same(ours[k], theirs[k], f"{where}[{k!r}]")
    elif isinstance(ours, list | tuple):
        assert len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(ours, float | int | str | bool | type(None)):
        assert ours == theirs or (ours != ours and theirs != theirs), where   # nan equals nan here


def test_the_code_panels_snippets_reproduce_the_runs_in_a_fresh_interpreter():
    """Each snippet in one subprocess with this process's thread count: its numbers equal a run here."""
    program = ["import pickle, sys, torch", f"torch.set_num_threads({torch.get_num_threads()})", "out = []"]
    for fn, cfg in SNIPPET_RUNS:
        program += [export.snippet(fn, cfg), "out.append(result)"]
    program.append("pickle.dump(out, sys.stdout.buffer)")
    done = subprocess.run([sys.executable, "-c", "\n".join(program)], cwd=ROOT, capture_output=True, timeout=300,
                          check=True)
    for (fn, cfg), theirs in zip(SNIPPET_RUNS, pickle.loads(done.stdout)):
        _same(fn(cfg), theirs, export.snippet(fn, cfg))


def _ran(run, field: str) -> np.ndarray:
    """A race run's per-epoch numbers while it ran: the losses up to the epoch that diverged (its inf or NaN
    included), the unit shares up to the epoch before it (the plain snippet stops there; the Result pads with NaN)."""
    values = getattr(run, field)
    last = run.diverged_at or len(values)
    return values[:last - 1] if run.diverged_at and field.endswith("_fraction") else values[:last]


def _race(races: str, names, fields=("train_loss", "val_loss", "train_acc", "val_acc", "dead_fraction")) -> dict:
    """{the plain snippet's expression: the Result's numbers} for every run of a race (`races`: how the snippet and
    the Result name it, e.g. "runs" or "large") and field."""
    result = (lambda r: r) if races == "runs" else (lambda r: getattr(r, races))
    plain = {"dead_fraction": "dead", "flat_fraction": "flat"}
    return {f"{races}[{n!r}][{plain.get(f, f)!r}]": (lambda r, n=n, f=f: _ran(result(r)[n], f))
            for n in names for f in fields}


def _until_nan(values: np.ndarray) -> np.ndarray:
    """A curve up to its NaN padding (the epochs after a run stopped)."""
    return values[:int(np.argmax(np.isnan(values)))] if np.isnan(values).any() else values


def _one_thread(run):
    """A run on one torch thread, as its plain snippet runs it (tiny tensors: the same numbers, and on a busy machine
    several times faster than on two)."""
    @functools.wraps(run)
    def wrapped(cfg):
        with training.single_thread():
            return run(cfg)
    return wrapped


# (run, config, {an expression in the plain snippet's names: the Result's number}, relative tolerance)
PLAIN_RUNS = [
    (softmax_output.run, softmax_output.Config(score_cat=-8.0, true_class="car", temperature=0.5),
     dict(probs=lambda r: r.probs, ce=lambda r: r.ce_loss, mse=lambda r: r.mse_loss, ce_grad=lambda r: r.ce_grad[None],
          mse_grad=lambda r: r.mse_grad[None], sweep_ce=lambda r: r.sweep_ce, sweep_ce_grad=lambda r: r.sweep_ce_grad,
          sweep_mse_grad=lambda r: r.sweep_mse_grad), 0.0),
    (weight_init.run, weight_init.Config(depth=6, width=200, activation="relu", init="kaiming_normal", seed=3),
     dict(grad_std=lambda r: r.grad_std, weight_grad_rms=lambda r: r.weight_grad_rms), 0.0),
    # nncore takes each layer's mean and std from one sum and one dot product (5x faster than torch's), the plain
    # snippet calls torch's mean and std: float32 rounding apart, ~1e-7 of the value
    (weight_init.run, weight_init.Config(depth=6, width=200, activation="relu", init="kaiming_normal", seed=3),
     dict(forward_mean=lambda r: r.forward_mean, forward_std=lambda r: r.forward_std), 1e-5),
    # the lecture's histograms: one range for all layers (tanh's and sigmoid's bounds; ReLU's from the layers' 99.5th
    # percentile), the counts to the last bit
    *[(weight_init.run, cfg, {"hist_counts": lambda r: r.hist_counts, "[lo, hi]": lambda r: r.hist_edges[0, [0, -1]]},
       0.0)
      for cfg in (weight_init.Config(depth=5, width=200, samples=1200, seed=2),
                  weight_init.Config(depth=4, width=150, activation="relu", init="kaiming_normal", bins=17, seed=1),
                  weight_init.Config(depth=3, width=100, samples=300, activation="sigmoid", init="xavier_normal",
                                     bins=50))],
    (activation_functions.run, activation_functions.Config(activations=("tanh", "leaky_relu", "prelu", "gelu", "softplus"),
                                                           leaky_alpha=-0.3, softplus_beta=2.0, x_max=4.0),
     {"torch.stack(list(values.values()))": lambda r: r.values, "torch.stack(list(slopes.values()))": lambda r: r.slopes},
     0.0),
    (optimizer_race.run, optimizer_race.Config(steps=150, start=(-1.2, 1.0), optimizers=(
        optimizer_race.OptimizerSpec("sgd", lr=1e-3), optimizer_race.OptimizerSpec("nesterov", lr=5e-4, momentum=0.8),
        optimizer_race.OptimizerSpec("rmsprop", lr=0.01), optimizer_race.OptimizerSpec("adam", lr=0.05, beta1=0.8))),
     {"torch.stack(paths)": lambda r: np.stack(list(r.paths.values()))}, 0.0),
    (lr_schedules.run, lr_schedules.Config(steps=57, base_lr=0.3, schedules=(
        ScheduleSpec.of("multistep", gamma=0.5), ScheduleSpec.of("exponential", gamma=0.95), ScheduleSpec.of("constant"),
        ScheduleSpec.of("linear", end_factor=0.2, warmup="constant", warmup_steps=5, warmup_factor=0.3),
        ScheduleSpec.of("polynomial", warmup="gradual", warmup_steps=7), ScheduleSpec.of("step", step_size=9),
        ScheduleSpec.of("cosine", eta_min=0.01))),
     {"lr": lambda r: r.lr}, 0.0),
    (gradient_depth.run, gradient_depth.Config(activations=("sigmoid", "relu", "gelu"), depth=12, width=64,
                                               init="orthogonal", samples=100, seed=4),
     {"list(grad_rms.values())": lambda r: r.grad_rms, "list(rms_slope.values())": lambda r: r.rms_slope}, 0.0),
    (dropout.run, dropout.Config(hidden=(32, 32), dropout=0.3, epochs=15, seed=2),
     dict(train_loss=lambda r: r.history.train_loss, val_loss=lambda r: r.history.val_loss,
          train_acc=lambda r: r.history.train_acc, val_acc=lambda r: r.history.val_acc), 0.0),
    # early stopping (min_delta, the best epoch's weights restored) on minibatches with dropout
    (early_stopping.run, early_stopping.Config(n_samples=150, hidden=(32, 32), epochs=120, patience=10, min_delta=0.001,
                                               batch_size=32, dropout=0.2),
     dict(train_loss=lambda r: r.history.train_loss, val_loss=lambda r: r.history.val_loss,
          best_epoch=lambda r: r.best_epoch, final_val_loss=lambda r: r.history.final_val_loss,
          final_val_acc=lambda r: r.history.final_val_acc), 0.0),
    # the digits shifted and rotated anew each batch (a last batch of one sample joined to the one before)
    (augmentation.run, dataclasses.replace(augmentation.DIGITS, augment=True, epochs=20, n_samples=200, batch_size=31),
     dict(train_loss=lambda r: r.history.train_loss, val_acc=lambda r: r.history.val_acc), 0.0),
    # Huber with a small δ, clean data (every line alike), seed 3
    (_one_thread(losses.run), losses.Config(delta=0.2, outliers=0, seed=3),
     {"[curves[k] for k in losses]": lambda r: [r.curves[k] for k in losses.REGRESSION],
      "[grads[k] for k in losses]": lambda r: [r.grads[k] for k in losses.REGRESSION], "bce": lambda r: r.bce,
      "bce_grad": lambda r: r.bce_grad, "ce_grad": lambda r: r.ce_grad,
      "softmax_mse_grad": lambda r: r.softmax_mse_grad,
      "y": lambda r: r.y, "list(fits.values())": lambda r: list(r.fits.values()),
      "list(net_fits.values())": lambda r: list(r.net_fits.values()),
      "[pixel_pred[k][:, 0] for k in pixel_pred]": lambda r: list(r.pixel_pred.values()),
      "list(pixel_rmse.values())": lambda r: list(r.pixel_rmse.values()),
      "list(label_losses.values())": lambda r: list(r.label_losses.values()),
      "list(label_recall.values())": lambda r: list(r.label_recall.values()),
      "list(label_accuracy.values())": lambda r: list(r.label_accuracy.values())}, 0.0),
    # the red wines' five runs: standardized with three sources of statistics, raw and min-max scaled
    (preprocessing.run, preprocessing.Config(seed=3, val_fraction=0.3, epochs=15),
     {"[run['train_loss'] for run in sources.values()]": lambda r: [run.train_loss for run in r.sources.values()],
      "[run['val_loss'] for run in sources.values()]": lambda r: [run.val_loss for run in r.sources.values()],
      "[run['val_loss'] for run in scalings.values()]": lambda r: [r.scalings[k].val_loss for k in ("none", "minmax",
                                                                                                  "standard")]}, 0.0),
    # the three checks on three classes, with the bug that keeps the tiny subset from being memorized
    (sanity_checks.run, sanity_checks.Config(bug="shuffled_labels", classes=3, hidden=16, epochs=10, tiny_samples=21,
                                             lr=0.5, seed=2),
     {"initial_losses": lambda r: r.initial_losses, "with_reg": lambda r: r.initial_loss_with_reg,
      "tiny_train_acc": lambda r: r.tiny_train_acc, "tiny_train_loss": lambda r: r.tiny_train_loss,
      "tiny_val_acc": lambda r: r.tiny_val_acc,
      "[run['ratio'] for run in monitored.values()]": lambda r: [r.update_ratio_low, r.update_ratio,
                                                                 r.update_ratio_high],
      **{f"[run[{k!r}] for run in monitored.values()]": (lambda r, f=f: getattr(r, f)) for k, f in (
          ("grad", "grad_norm"), ("act_std", "act_std"), ("dead", "dead_fraction"), ("train_loss", "train_loss"),
          ("val_acc", "val_acc"))}}, 0.0),
    # the NaN card: log(softmax) at a large rate blows up (the epoch that did is left out), the fixed run trains on
    (loss_curves.run, loss_curves.Config(pathology="nan", seed=1),
     {f"runs[{run!r}][0][{f!r}]": (lambda r, run=run, f=f: _until_nan(getattr(getattr(r, run), f)))
      for run in ("faulty", "fixed") for f in ("train_loss", "val_loss", "train_acc", "val_acc")}
     | {"runs['faulty'][1]": lambda r: r.faulty.step_loss, "runs['fixed'][1]": lambda r: r.fixed.step_loss}, 0.0),
    # a 5x larger step: the all-positive inputs' path overshoots, the centered one reaches the target
    (zigzag.run, zigzag.Config(lr=1.0, steps=100),
     {"paths": lambda r: r.paths, "losses": lambda r: r.losses, "same_sign_share": lambda r: r.same_sign_share}, 0.0),
    # |x| from two units on [-5, 5]
    (relu_sum.run, relu_sum.Config(slopes=(0.0, 0.0, 0.0, 1.0, -1.0, 0.0), offsets=(0.0,) * 6, extent=5.0),
     dict(x=lambda r: r.x, pieces=lambda r: r.pieces, z=lambda r: r.z, kinks=lambda r: r.kinks, bends=lambda r: r.bends,
          segment_slopes=lambda r: r.segment_slopes), 0.0),
    # a strided, padded, dilated layer of 16 filters on a 32x32x3 input, 6 of them stacked with pooling
    (arithmetic.run, arithmetic.Config(size=32, channels=3, filters=16, kernel=5, stride=2, padding=1, dilation=2,
                                       pool=3, layers=6, seed=4),
     {"[span, out_size, *counts.values()]": lambda r: [r.span, r.out_size, *r.counts.values()],
      "image": lambda r: r.image,
      "w[0, 0]": lambda r: r.kernel, "output": lambda r: r.output, "pooled_max": lambda r: r.pooled_max,
      "pooled_avg": lambda r: r.pooled_avg, "[fields_conv, fields_pool, sizes_conv]": lambda r: [
          r.fields_conv, r.fields_pool, r.sizes_conv]}, 0.0),
    # two 5x5 filters against 16 hidden units, two epochs
    (shift.run, shift.Config(filters=2, kernel=5, hidden=16, epochs=2, lr=0.05, seed=3),
     {"list(accuracy.values())": lambda r: r.accuracy, "list(train_loss.values())": lambda r: r.train_loss,
      "list(val_acc.values())": lambda r: r.val_acc}, 0.0),
    # five hinges for a typed polyline on [-3, 4]
    (fit.run, fit.Config(target="polyline", points="-3,2; 0,5; 1,-1; 4,0;", width=5, steps=150, lr=0.05, seed=2),
     {"loss_curve": lambda r: r.loss, "fit": lambda r: r.fit, "kinks": lambda r: r.kinks, "c": lambda r: r.output_bias},
     0.0),
    # the sweetest tenth left in training: the blind set is the wines below residual sugar's 0.9 quantile
    (data_assessment.run, data_assessment.Config(feature="residual_sugar", quantile=0.9, rule="below", bins=7),
     dict(threshold=lambda r: r.threshold, ks=lambda r: r.ks, ks_own=lambda r: r.ks_own,
          mean_shift=lambda r: r.mean_shift, critical=lambda r: r.critical, edges=lambda r: r.edges,
          train_hist=lambda r: r.train_hist, blind_hist=lambda r: r.blind_hist), 0.0),
    # three members on 100 digits; three cosine cycles of 7 epochs (23 // 3) for the snapshots
    (ensembles.run, ensembles.Config(members=3, n_train=100, width=16, epochs=23, cycles=3, lr=0.02, seed=5),
     {"member_curves": lambda r: r.member_curves, "ensemble_by_k": lambda r: r.ensemble_by_k,
      "[cross_entropy(p) for p in probs] + [cross_entropy(probs.mean(0))]": lambda r: [*r.member_loss, r.ensemble_loss],
      "list(snapshots)": lambda r: r.snapshot_epochs, "snapshot_acc + [snapshot_ensemble_acc]": lambda r: [
          *r.snapshot_acc, r.snapshot_ensemble_acc], "snapshot_curve": lambda r: r.snapshot_curve,
      "snapshot_lr": lambda r: r.snapshot_lr}, 0.0),
    # both pretrained hidden layers reused, 20 images per new digit, short runs
    (transfer.run, transfer.Config(per_class=20, epochs=8, reused=2, pretrain_epochs=12, width=32, seed=2, lr=0.02),
     {"pretrained_val_acc": lambda r: r.pretrained_val_acc, **{f"[run[{k!r}] for run in runs.values()]": (
         lambda r, k=k: getattr(r, k)) for k in ("val_acc", "val_loss", "train_acc")}}, 0.0),
    # everything at once: batch norm after the ReLU, L1 (clipped at zero), L2, AdamW's decay, early stopping (the
    # best epoch's weights and batch-norm statistics restored) and shifted, rotated digits
    (early_stopping.run, early_stopping.Config(dataset="digits", n_samples=200, hidden=(32,), epochs=30, l1=0.001,
                                               l2=0.001, weight_decay=0.05, norm="batch", norm_placement="after",
                                               patience=5, batch_size=50, augment=True),
     dict(train_loss=lambda r: r.history.train_loss, val_loss=lambda r: r.history.val_loss,
          best_epoch=lambda r: r.best_epoch, final_val_loss=lambda r: r.history.final_val_loss), 0.0),
    # weight penalties' plain SGD: L2 in the loss, the decoupled decay applied by the loop, minibatches
    (early_stopping.run, early_stopping.Config(n_samples=300, hidden=(16, 16), epochs=25, optimizer="sgd", lr=0.1,
                                               l2=0.002, weight_decay=0.05, batch_size=64, seed=1),
     dict(train_loss=lambda r: r.history.train_loss, val_loss=lambda r: r.history.val_loss), 0.0),
    # 004's red wines (MSE, the output starting at the mean quality), jittered, layer norm, minibatches
    (early_stopping.run, early_stopping.Config(dataset="red_wine", n_samples=500, hidden=(32,), epochs=20,
                                               batch_size=64, dropout=0.2, l2=0.001, norm="layer", augment=True, patience=4),
     dict(train_loss=lambda r: r.history.train_loss, val_loss=lambda r: r.history.val_loss,
          final_val_loss=lambda r: r.history.final_val_loss), 0.0),
    # the cyclic and restarting schedules, two of them after a warmup
    (lr_schedules.run, lr_schedules.Config(steps=80, base_lr=0.2, schedules=(
        ScheduleSpec.of("cyclic", max_lr=1.5, mode="exp_range", gamma=0.97, step_size_up=7),
        ScheduleSpec.of("one_cycle", warmup="gradual", warmup_steps=5, anneal_strategy="linear", pct_start=0.2),
        ScheduleSpec.of("cosine_restarts", T_0=9, T_mult=2, eta_min=0.01),
        ScheduleSpec.of("inverse_sqrt", warmup="constant", warmup_steps=4))),
     {"lr": lambda r: r.lr}, 0.0),
    # the race's cyclic preset, shortened
    (schedule_race.run, dataclasses.replace(schedule_race.PRESETS["002: cyclic vs cosine"].config, epochs=10),
     {f"[run[{f!r}] for run in runs]": (lambda r, f=f: getattr(r, f)) for f in ("lr", "train_loss", "val_loss")}, 0.0),
    # dropout's training accuracy below validation, re-measured in eval mode, and the 5-fold check
    (loss_curves.run, loss_curves.Config(pathology="val_above_train", seed=1),
     {"[runs[run][0][k] for run in runs for k in ('train_loss', 'val_loss', 'train_acc', 'val_acc')]": lambda r: [
         getattr(c, k) for c in (r.faulty, r.fixed) for k in ("train_loss", "val_loss", "train_acc", "val_acc")],
      "kfold": lambda r: [[f.train_mode, f.eval_mode, f.val] for f in r.folds]}, 0.0),
    # 004's wines: Adam with MAE at three rates, and the three losses at 1e-3 (each measured by the validation MAE)
    (losses.run_adam, losses.AdamConfig(epochs=8, seed=2),
     {"[run['train_loss'] for run in runs.values()]": lambda r: r.train_mae,
      "[run['val_loss'] for run in runs.values()]": lambda r: r.val_mae,
      "baseline_mae": lambda r: r.baseline_mae}, 0.0),
    (losses.run_wine_losses, losses.WineConfig(epochs=8),
     {"[run['val_mae'] for run in runs.values()]": lambda r: r.val_mae, "baseline_mae": lambda r: r.baseline_mae}, 0.0),
    # the pretraining alone (the page caches it for every few-samples setting)
    (transfer.pretrain, transfer.Pretraining(epochs=12, width=32, seed=3),
     {"curves['val_acc']": lambda r: r.val_acc, "[len(source[1]), len(source[3])]": lambda r: [r.n_train, r.n_val]},
     0.0),
    # the race on the digits with learned activations (PReLU, Maxout), Adam and a last batch of one sample (joined)
    (activation_race.run, activation_race.Config(activations=("relu", "prelu", "maxout"), dataset="digits", samples=300,
                                                 optimizer="adam", init="orthogonal", batch_size=26, epochs=3, seed=1),
     {**_race("runs", ("relu", "prelu", "maxout"), ("train_loss", "val_loss", "train_acc", "val_acc", "dead_fraction",
                                                  "flat_fraction")),
      "runs['prelu']['alpha']": lambda r: r["prelu"].alpha,
      "[unit_stats(mlp(widths, modules[n], fill), x_train) for n in activations]":
          lambda r: [(r[n].dead_at_init, r[n].flat_at_init) for n in r.names]}, 0.0),
    # the too-large rate blows ELU up in epoch 2 (the Result's NaN padding left out) and kills ReLU units
    (dead_relu.run, dead_relu.Config(hidden=32, epochs=3, negative_bias=-1.5),
     {"dead_vs_bias": lambda r: r.dead_vs_bias, "biases": lambda r: r.biases,
      **_race("sensible", ("relu", "leaky_relu", "elu"), ("train_loss", "val_loss", "dead_fraction")),
      **_race("large", ("relu", "leaky_relu", "elu"), ("train_loss", "val_loss", "dead_fraction"))}, 0.0),
    # a sweep to lr 100 that blows up in its last epoch: the smoothed loss breaks, the suggestion comes before
    (range_test.run, range_test.Config(max_lr=100.0, epochs=3),
     dict(lr=lambda r: r.lr, losses=lambda r: r.loss, smooth=lambda r: r.smooth, kept=lambda r: r.kept,
          suggestion=lambda r: r.suggestion), 0.0),
    # full batch at lr 20: epoch 2's loss is over 3x epoch 1's and the rule stops the run
    (sanity.run, sanity.Config(batch_size=1024, huge_lr=20.0, epochs=4),
     {f"runs[{lr}][{f!r}]": (lambda r, i=i, f=f: getattr(r, f)[i][:r.stopped_epoch[i]])
      for i, lr in enumerate(("small_lr", "good_lr", "huge_lr")) for f in ("train_loss", "val_loss", "val_acc")}
     | {"[runs[lr]['step_loss'] for lr in runs]": lambda r: r.step_loss}, 0.0),
    # a step decay, a grown batch (its last batch of one sample joined), a plateau after a warmup, a warmed-up cosine
    (schedule_race.run, schedule_race.Config(samples=500, epochs=8, batch_size=33, optimizer="momentum", schedules=(
        ScheduleSpec.of("step", step_size=3, gamma=0.2), ScheduleSpec.of("batch_growth", step_size=3, factor=2.5),
        ScheduleSpec.of("plateau", patience=1, warmup="constant", warmup_steps=2),
        ScheduleSpec.of("cosine", warmup="gradual", warmup_steps=2))),
     {f"[run[{f!r}] for run in runs]": (lambda r, f=f: getattr(r, f))
      for f in ("lr", "batch_size", "train_loss", "val_loss", "val_acc")}, 0.0),
    (batch_vs_decay.run, batch_vs_decay.Config(factor=2.5, every=3, epochs=8, batch_size=33, samples=1000),
     {"[run['val_loss'] for run in runs]": lambda r: r.race.val_loss,
      "[run['lr'] for run in runs]": lambda r: r.race.lr,
      "[run['batch_size'] for run in runs]": lambda r: r.race.batch_size,
      "[np.cumsum(run['updates']) for run in runs]": lambda r: r.updates}, 0.0),
    # nets of 1, 2 and 4 layers at ~300 parameters (the solver's widths written in), and of 1 and 2 on the digits
    *((depth_vs_width.run, cfg, {f"[run[{f!r}] for run in nets.values()]": (
        lambda r, f=f: [getattr(n, f) for n in r.nets]) for f in ("train_loss", "val_loss", "val_acc")}, 0.0)
      for cfg in (depth_vs_width.Config(samples=300, budget=300, deepest=4, epochs=10),
                  depth_vs_width.Config(dataset="digits", samples=200, budget=1000, deepest=2, epochs=10, lr=0.05,
                                        seed=3))),
    # the whole search the page streams in batches: random on the digits, 2-fold on the spiral, a 2 x 2 grid with
    # 3 folds up to lr 100 (a trial that diverges)
    *((hparam_search.run, cfg, {f"[t[{f!r}] for t in trials]": (lambda r, f=f: getattr(r, f))
                                for f in ("lr", "reg", "val_acc")}, 0.0)
      for cfg in (hparam_search.Config(budget=4, epochs=2, samples=300),
                  hparam_search.Config(budget=4, epochs=2, samples=200, folds=2, dataset="spiral"),
                  hparam_search.Config(strategy="grid", budget=4, lr_range=(-1.0, 2.0), epochs=2, samples=300,
                                       folds=3, seed=5))),
    # every race preset, 60 steps: the saddle, the ravine, Beale, the bowl (η = 0.21 leaves the map at step 17: the rest
    # of its path NaN), the plateau, the noisy gradients
    *[(optimizer_race.run, dataclasses.replace(preset.config, steps=60),
       {"torch.stack(paths)": lambda r: np.stack(list(r.paths.values()))}, 0.0)
      for preset in optimizer_race.PRESETS.values()],
    # the surfaces no preset races, from their own starts, with noise
    *[(optimizer_race.run, optimizer_race.Config(surface=name, start=surfaces.SURFACES[name].start, steps=40, noise=0.5,
                                                 seed=1, optimizers=(optimizer_race.OptimizerSpec("momentum", lr=0.01),
                                                                     optimizer_race.OptimizerSpec("adam", lr=0.1))),
       {"torch.stack(paths)": lambda r: np.stack(list(r.paths.values()))}, 0.0)
      for name in ("himmelblau", "camel", "rastrigin")],
    # 003's glorot_normal (std 2/√(fan_in + fan_out)) with ReLU; batch norm between each matmul and tanh (its forward
    # std by torch's mean and std, as above: float32 rounding apart)
    (weight_init.run, weight_init.Config(depth=5, width=100, samples=500, activation="relu", init="glorot_normal_003",
                                         seed=1),
     dict(grad_std=lambda r: r.grad_std, weight_grad_rms=lambda r: r.weight_grad_rms), 0.0),
    (weight_init.run, weight_init.Config(depth=5, width=100, samples=800, batchnorm=True, seed=2),
     dict(grad_std=lambda r: r.grad_std, weight_grad_rms=lambda r: r.weight_grad_rms), 0.0),
    (weight_init.run, weight_init.Config(depth=5, width=100, samples=800, batchnorm=True, seed=2),
     dict(forward_std=lambda r: r.forward_std), 1e-5),
    # reduce on plateau against step decay (001), and after a warmup, on the made-up loss of another seed and stall
    (lr_schedules.run, lr_schedules.PRESETS["001: reduce on plateau"].config,
     {"lr": lambda r: r.lr, "metric": lambda r: r.metric}, 0.0),
    (lr_schedules.run, lr_schedules.Config(steps=60, stall_at=0.3, seed=2, schedules=(
        ScheduleSpec.of("plateau", factor=0.5, patience=2, threshold=0.01),
        ScheduleSpec.of("plateau", warmup="gradual", warmup_steps=6, min_lr=0.02))),
     {"lr": lambda r: r.lr, "metric": lambda r: r.metric}, 0.0),
    # the slides' six (Maxout with k = 2 is ReLU), and Maxout's five tangents of softplus
    (activation_functions.run, activation_functions.PRESETS["The slides' six"].config,
     {"torch.stack(list(values.values()))": lambda r: r.values, "torch.stack(list(slopes.values()))": lambda r: r.slopes},
     0.0),
    (activation_functions.run, activation_functions.Config(activations=("maxout", "softplus"), maxout_k=5, x_max=3.0),
     {"torch.stack(list(values.values()))": lambda r: r.values, "torch.stack(list(slopes.values()))": lambda r: r.slopes},
     0.0),
    # 004's capacity: red wines, one and three hidden layers of 512, two epochs
    *[(capacity.run, dataclasses.replace(cfg, epochs=2),
       dict(train_loss=lambda r: r.history.train_loss, val_loss=lambda r: r.history.val_loss), 0.0)
      for cfg in capacity.PRESETS[capacity.WINE_CAPACITY].config],
    # the capacity lesson's circles and the normalization lesson's spiral (batch norm at a high learning rate),
    # their defaults on fewer samples and epochs
    (capacity.run, dataclasses.replace(capacity.CAPACITY, n_samples=120, epochs=15),
     dict(train_loss=lambda r: r.history.train_loss, val_acc=lambda r: r.history.val_acc), 0.0),
    (normalization.run, dataclasses.replace(normalization.NORMALIZATION, n_samples=150, epochs=6, norm="batch"),
     dict(train_loss=lambda r: r.history.train_loss, val_acc=lambda r: r.history.val_acc), 0.0),
]


def test_the_plain_pytorch_snippets_reproduce_the_runs_in_a_fresh_interpreter():
    """Each plain snippet (no nncore) in one subprocess: the numbers the lesson is about equal the Result's."""
    program = ["import contextlib, io, pickle, sys, numpy, torch", "out = []",
               "number = lambda v: v.detach().double().numpy() if torch.is_tensor(v) else numpy.asarray(v, float)"]
    for fn, cfg, numbers, _ in PLAIN_RUNS:
        code = export.plain(fn, cfg)
        assert code is not None and "import nncore" not in code and "from nncore" not in code, fn.__module__
        # each snippet starts on this process's thread count (one that sets its own, one thread, does not leak on)
        program += ["ns = {}", f"torch.set_num_threads({torch.get_num_threads()})",
                    f"with contextlib.redirect_stdout(io.StringIO()): exec({code!r}, ns)",
                    f"out.append({{k: number(eval(k, ns)) for k in {list(numbers)!r}}})"]
    program.append("pickle.dump(out, sys.stdout.buffer)")
    done = subprocess.run([sys.executable, "-"], input="\n".join(program).encode(), cwd=ROOT, capture_output=True,
                          timeout=300)                    # on stdin: all the snippets exceed an argument's length limit
    assert done.returncode == 0, done.stderr.decode()[-3000:]     # the snippet's traceback, not the whole program
    for (fn, cfg, numbers, rtol), theirs in zip(PLAIN_RUNS, pickle.loads(done.stdout)):
        result = fn(cfg)
        for name, ours in numbers.items():
            np.testing.assert_allclose(theirs[name], np.asarray(ours(result), float), rtol=rtol, atol=0,
                                       err_msg=f"{fn.__module__}: {name}")


def test_a_config_beyond_the_template_gets_no_plain_snippet():
    """The plain dropout snippet trains on the moons, circles, spiral, digits or wines with ReLU and Adam or SGD: another
    data set or optimizer has none."""
    assert export.plain(dropout.run, dropout.Config(dataset="xor")) is None
    assert export.plain(dropout.run, dropout.Config(optimizer="momentum")) is None
    assert export.plain(early_stopping.run, early_stopping.Config(dataset="sine")) is None
    assert export.plain(hparam_search.run_batch, hparam_search.batches(hparam_search.Config())[0]) is None  # run's
    assert "dataset = 'spiral'" in export.plain(hparam_search.run, hparam_search.Config(dataset="spiral", folds=3))
    assert export.plain(depth_vs_width.run, depth_vs_width.Config(dataset="moons")) is None
    assert export.plain(depth_vs_width.run, depth_vs_width.Config(budget=50)) is None   # no nets fit: no run either
    assert "widths = (\n    (49,),\n    (14, 14),\n    (8, 8, 9, 9),\n)" in export.plain(      # the solver's
        depth_vs_width.run, depth_vs_width.Config(budget=300, deepest=4))
    assert export.plain(weight_init.run, weight_init.Config(activation="elu")) is None
    assert export.plain(optimizer_race.run, optimizer_race.Config(surface="custom", expression="x**2 + y**2")) is None
    assert export.plain(lr_schedules.run, lr_schedules.Config(schedules=(ScheduleSpec.of("batch_growth"),))) is None
    assert export.plain(activation_race.run, activation_race.Config(dataset="moons")) is None
    assert export.plain(schedule_race.run, schedule_race.Config(optimizer="rmsprop")) is None
    assert "dropout = 0.5" in export.plain(dropout.run, dropout.Config(dropout=0.5))


def test_each_template_is_its_config_defaults():
    """A template's settings are its experiment's defaults: filled with a default Config, it is unchanged (its shared
    parts written in)."""
    runs = [activation_functions.run, activation_race.run, arithmetic.run, batch_vs_decay.run, data_assessment.run,
            dead_relu.run, dropout.run, ensembles.run, fit.run, gradient_depth.run, loss_curves.run, losses.run,
            losses.run_adam, losses.run_wine_losses, lr_schedules.run, optimizer_race.run, preprocessing.run,
            range_test.run, relu_sum.run, sanity.run, sanity_checks.run, schedule_race.run, shift.run,
            softmax_output.run, transfer.pretrain, transfer.run, weight_init.run, zigzag.run, depth_vs_width.run,
            hparam_search.run]
    assert {export.template(fn) for fn in runs} == set(export.SNIPPETS.glob("*.py"))
    for fn in runs:
        template = export.source(fn)
        assert "# include:" not in template, fn.__module__
        config = typing.get_type_hints(fn)[next(iter(inspect.signature(fn).parameters))]()   # its Config's defaults
        assert export.plain(fn, config).replace("'", '"') == template.replace("'", '"'), fn.__module__
