"""Depth vs width: the budget solver against torch's own parameter counts (every depth within 5%, over budgets and
input/output sizes), one data set and seed for every net, clear refusals, stopping, and notices from the run."""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import data, models, training
from nncore.architectures import BUDGET_TOLERANCE, RAISE_THE_BUDGET, parameter_count, widths_for_budget
from nncore.experiments import depth_vs_width as dw
from nncore.i18n import _ as tr
from nncore.i18n import ngettext, number

SMALL = dw.Config(samples=200, budget=300, deepest=4, epochs=10)


def torch_count(n_in: int, n_out: int, widths: tuple[int, ...]) -> int:
    """sum(p.numel()) of the nn.Sequential of Linear and ReLU layers those widths describe, built by torch."""
    sizes = (n_in, *widths, n_out)
    layers = [m for a, b in zip(sizes, sizes[1:]) for m in (torch.nn.Linear(a, b), torch.nn.ReLU())][:-1]
    return sum(p.numel() for p in torch.nn.Sequential(*layers).parameters())


@settings(max_examples=300, deadline=None)
@given(budget=st.integers(50, 50_000), deepest=st.integers(2, 8), n_in=st.integers(1, 64), n_out=st.integers(1, 10))
def test_every_pair_of_nets_is_within_5_percent_as_torch_counts_them(budget, deepest, n_in, n_out):
    depths = dw.depths(deepest)
    try:
        widths = widths_for_budget(budget, depths, n_in, n_out)
    except ValueError as e:   # only a budget of a few units: each unit of a 1-layer net costs n_in + n_out + 1
        assert budget < max(300, 25 * (n_in + n_out + 1)) and tr(RAISE_THE_BUDGET) in str(e)
        return
    assert tuple(widths) == depths
    counts = []
    for depth, w in widths.items():
        assert len(w) == depth and min(w) >= 1 and max(w) - min(w) <= 1      # deep-narrow: (nearly) equal widths
        counts.append(torch_count(n_in, n_out, w))
        assert counts[-1] == parameter_count(models.MLPSpec(n_in, n_out, w))
    assert max(counts) <= 1.05 * min(counts)                                 # every pair within 5%
    assert all(abs(c - budget) <= BUDGET_TOLERANCE * budget for c in counts)


@pytest.mark.parametrize("dataset", list(dw.DATASETS))
@pytest.mark.parametrize("budget", [60, 150, 400, 1000, 3000, 10_000])
def test_the_pages_nets_fit_every_budget_of_its_slider_but_the_digits_smallest(dataset, budget):
    cfg = dw.Config(dataset=dataset, budget=budget, samples=1797 if dataset == "digits" else 1000)
    if dataset == "digits" and budget < 400:       # 64 inputs: a unit of the 1-layer net costs 75 parameters
        with pytest.raises(ValueError, match=re.escape(tr(RAISE_THE_BUDGET))):
            dw.nets(cfg)
        return
    widths = dw.nets(cfg)
    entry = dw.DATASETS[dataset]
    counts = [parameter_count(models.MLPSpec(entry.n_features, entry.n_classes, w)) for w in widths.values()]
    assert tuple(widths) == (1, 2, 4, 8) and max(counts) <= 1.05 * min(counts)


def test_a_budget_too_small_for_one_unit_per_layer_says_so():
    # 8 layers of one unit on the digits: 64·1+1 + 7·2 + 1·10+10 = 99 parameters, so no width fits 60
    too_small = ngettext("A budget of {budget} parameters cannot hold {deepest} hidden layer of even one unit each on "
                         "{n_in} inputs and {n_out} outputs: that net has {smallest}.",
                         "A budget of {budget} parameters cannot hold {deepest} hidden layers of even one unit each "
                         "on {n_in} inputs and {n_out} outputs: that net has {smallest}.", 8)
    with pytest.raises(ValueError, match=re.escape(too_small.format(budget=60, deepest=8, n_in=64, n_out=10,
                                                                    smallest=99))):
        widths_for_budget(60, (1, 8), 64, 10)
    with pytest.raises(ValueError, match=re.escape(tr("The {name} must be a whole number of at least {least} (got "
                                                      "{value}).").format(name=tr("depth"), least=1, value=0))):
        widths_for_budget(1000, (0,), 2, 3)                              # a net of no layers
    with pytest.raises(ValueError, match=re.escape(tr(RAISE_THE_BUDGET))):
        dw.run(dw.Config(dataset="digits", samples=1797, budget=60))


def test_depths_double_up_to_the_deepest():
    assert [dw.depths(d) for d in (2, 3, 4, 6, 8)] == [(1, 2), (1, 2, 3), (1, 2, 4), (1, 2, 4, 6), (1, 2, 4, 8)]


@pytest.mark.parametrize("bad, message", [      # params.validate's sentences: the field's label and its range
    (dict(budget=0), lambda: rf"{tr('Parameter budget')}\b.*\b50\b.*\b10000\b"),
    (dict(budget=10**9), lambda: tr("Parameter budget")),
    (dict(deepest=9), lambda: rf"{tr('Deepest net')}\b.*\b2\b.*\b8\b"),
    (dict(dataset="red_wine"), lambda: rf"{tr('Data set')}\b.*'red_wine'"),
    (dict(samples=5000), lambda: rf"{tr('Samples')}\b.*\b100\b.*\b1797\b"),
    (dict(dataset="digits", samples=1797, budget=10_000, epochs=500), lambda: re.escape(tr(
        "This comparison needs {flops} operations; the limit is {limit} (a few seconds here). Use fewer epochs or "
        "samples, or a smaller budget.").format(flops=number(6 * 1797 * 500 * 10_000 * 4, ".1e"),
                                                limit=number(2e11, ".0e")))),
])
def test_invalid_configs_are_refused_with_a_sentence(bad, message):
    with pytest.raises(ValueError, match=message()):
        dw.check(dataclasses.replace(dw.Config(), **bad))


@pytest.fixture(scope="module")
def small() -> dw.Result:
    return dw.run(SMALL)


def test_every_net_trains_on_the_same_data_from_the_same_seed(small):
    """Each net equals a training of its own, on the data set loaded anew, with the seed: nothing else differs."""
    d = data.load(SMALL.dataset, n_samples=SMALL.samples, val_fraction=dw.VAL_FRACTION, seed=SMALL.seed)
    assert [n.depth for n in small.nets] == [1, 2, 4] and small.n_val == len(d.x_val)
    for net in small.nets:
        model = models.build(models.MLPSpec(2, 3, net.widths, "relu", "kaiming_normal"), generator=SMALL.seed)
        h = training.train(model, d, training.TrainSpec(epochs=SMALL.epochs, lr=SMALL.lr), seed=SMALL.seed)
        np.testing.assert_array_equal(net.train_loss, h.train_loss)
        np.testing.assert_array_equal(net.val_acc, h.val_acc)
        assert net.final_val_acc == h.final_val_acc
        assert net.parameters == sum(p.numel() for p in model.parameters())
        assert abs(net.parameters - SMALL.budget) <= BUDGET_TOLERANCE * SMALL.budget
    other = dw.run(dataclasses.replace(SMALL, seed=1))
    assert not np.array_equal(other.nets[0].train_loss, small.nets[0].train_loss)


def test_progress_counts_epochs_over_all_nets_and_a_stop_ends_the_comparison():
    seen = []
    dw.run(SMALL, lambda p: seen.append((p.done, p.total)))
    assert seen[-1] == (30, 30) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    stopped = dw.run(SMALL, lambda p: p.done < 12)
    assert [n.depth for n in stopped.nets] == [1, 2]
    assert np.isnan(stopped.nets[1].train_loss[-1]) and np.isfinite(stopped.nets[1].train_loss[0])


def _result(val_accs: list[float], n_val: int = 300) -> dw.Result:
    """A Result whose nets of 1, 2, 4, 8 layers end at these validation accuracies (the notices read only those)."""
    nan = np.full(3, np.nan)
    nets = tuple(dw.Net(depth, (w,) * depth, 150, nan, nan, nan, nan, 1.0, acc, None)
                 for depth, w, acc in zip((1, 2, 4, 8), (24, 9, 5, 3), val_accs))
    return dw.Result(dw.Config(), nets, n_val, 1.0)


HELPED = ("Depth helped up to {depth} layers, but the deepest net ({net}) {verb} the single wide layer: at a fixed "
          "budget, more layers means narrower ones.")


@pytest.mark.parametrize("accs, verdict", [
    ([0.90, 0.95, 0.96, 0.97], lambda: ngettext(
        "The deepest net beat the single wide layer by {gain} validation point: 001's claim holds on this run.",
        "The deepest net beat the single wide layer by {gain} validation points: 001's claim holds on this run.",
        21).format(gain=21)),
    ([0.90, 0.95, 0.96, 0.80], lambda: tr(HELPED.replace("{verb}", "did worse than")).format(depth=4, net="8 × 3")),
    ([0.90, 0.95, 0.90, 0.90], lambda: tr(HELPED.replace("{verb}", "only tied")).format(depth=2, net="8 × 3")),
    ([0.97, 0.97, 0.96, 0.95], lambda: tr(
        "No deeper net beat the single wide layer here: 001's claim (from convolutional nets reading house numbers) "
        "does not hold for these small MLPs at this budget.")),
])
def test_the_depth_notice_follows_the_runs_scores(accs, verdict):
    text = dw.notice_depth(_result(accs))
    names = ("1 × 24", "2 × 9", "4 × 5", "8 × 3")
    scores = ", ".join(f"{name} {number(acc, '.1%')}" for name, acc in zip(names, accs))
    assert verdict() in text
    assert text.startswith(tr("Validation accuracy after {epochs} epochs: {scores}.").format(epochs=200, scores=scores))


def test_the_count_notice_quotes_the_built_nets(small):
    text = dw.notice_counts(small)
    for net in small.nets:
        assert f"{net.name}: {number(net.parameters, ',')}" in text
    assert tr("Parameters (weights and biases, counted on the built nets): {listed}. Every net is within {worst} of "
              "the {budget}-parameter budget, the largest {spread} above the smallest (the solver allows {tolerance} "
              "for each).").split("{listed}")[0] in text and "300" in text
