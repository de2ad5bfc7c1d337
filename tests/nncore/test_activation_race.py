"""nncore.experiments.activation_race (over nncore.activation_runs): the contract, determinism, divergence as a
result, the budget, stopping, and notices that check the 6x claim against the run."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch

from nncore import activation_runs, models
from nncore.data import load
from nncore.experiments import activation_race as race
from nncore.i18n import ngettext, number
from tests.pages.helpers import says, tr

CLAIMS = ("ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio}x, close to AlexNet's 6x on this setup.",
          "ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio}x, faster, but far from AlexNet's 6x on this "
          "setup.",
          "ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio}x, no faster than tanh on this setup.",
          "ReLU needed {relu} epochs, tanh {tanh}: a ratio of {ratio}x, slower than tanh: the opposite of the claim on "
          "this setup.")
BUDGET = ("This race needs {steps} training steps and {flops} operations; the limits are {step_limit} and {flop_limit} "
          "(about 20 s here). Use fewer epochs, activations or units, or a larger batch.")

SMALL_RACE = dict(samples=300, hidden=16, layers=2, epochs=4, batch_size=64)


def test_race_returns_the_contract_and_is_deterministic_with_a_seed():
    cfg = race.Config(activations=("tanh", "relu", "prelu"), **SMALL_RACE)
    a, b = race.run(cfg), race.run(cfg)
    assert a.names == ("tanh", "relu", "prelu")
    for name in a.names:
        for field in ("train_loss", "val_loss", "train_acc", "val_acc", "dead_fraction"):
            values = getattr(a[name], field)
            assert values.shape == (cfg.epochs,) and np.isfinite(values).all(), (name, field)
            np.testing.assert_array_equal(values, getattr(b[name], field))
        assert a[name].epoch_time.shape == (cfg.epochs,) and (a[name].epoch_time > 0).all()
    assert abs(a["prelu"].alpha[-1] - 0.25) > 1e-4                  # PReLU learned its slope
    c = race.run(race.Config(activations=("tanh", "relu", "prelu"), **{**SMALL_RACE, "seed": 1}))
    assert not np.array_equal(a["relu"].train_loss, c["relu"].train_loss)


def test_race_marks_a_diverging_run_instead_of_raising():
    r = race.run(race.Config(activations=("relu", "elu"), lr=10.0, optimizer="sgd",
                             **{**SMALL_RACE, "hidden": 64, "layers": 3}))
    assert any(run.diverged_at is not None for run in r.runs.values())
    bad = next(run for run in r.runs.values() if run.diverged_at is not None)
    assert np.isnan(bad.train_loss[-1]) and len(bad.train_loss) == SMALL_RACE["epochs"]
    assert says(race.notice_units(r), "The loss blew up (inf/NaN) for {names}: their curves stop there.")
    race.notice_speed(r), race.notice_time(r)                       # every notice handles the NaNs


def test_race_refuses_an_empty_selection_and_a_run_beyond_the_budget():
    with pytest.raises(ValueError) as error:
        race.run(race.Config(activations=()))
    assert str(error.value) == tr("Pick at least one activation to race.")
    with pytest.raises(ValueError) as error:
        race.check(race.Config(samples=1797, dataset="digits", hidden=256, layers=6, epochs=200, batch_size=8))
    assert says(str(error.value), BUDGET), error.value


def test_race_stops_when_the_listener_asks():
    seen = []
    r = race.run(race.Config(activations=("tanh", "relu"), **SMALL_RACE),
                 lambda p: seen.append(p.done) or p.done < 2)
    assert r.names == ("tanh",) and seen[-1] == 2


@pytest.fixture(scope="module")
def small_race() -> race.Result:
    # moons at lr 0.1: tanh and ReLU cross 80% with a margin (seed 0: 0.73 -> 0.86 and 0.65 -> 0.85 at epoch 2;
    # seeds 1-2 the same way), so the epochs do not hang on the last bits of a float
    return race.run(race.Config(activations=("sigmoid", "tanh", "relu"), dataset="moons", lr=0.1, target_acc=0.8,
                                **{**SMALL_RACE, "epochs": 10}))


def test_race_notice_checks_the_6x_claim_from_the_run(small_race):
    relu, tanh = small_race["relu"].epochs_to_target, small_race["tanh"].epochs_to_target
    assert relu and tanh, "both reach 80% within 10 epochs on this setup"
    text = race.notice_speed(small_race)
    assert any(says(text, claim, relu=relu, tanh=tanh, ratio=number(tanh / relu, ".1f")) for claim in CLAIMS), text


@pytest.mark.parametrize("relu,tanh,verdict,ratio", [
    (2, 12, CLAIMS[0], 6.0),
    (10, 15, CLAIMS[1], 1.5),
    (10, 11, CLAIMS[2], 1.1),
    (10, 4, CLAIMS[3], 0.4),
    (4, None, "ReLU got there in {relu} epochs and tanh not within {epochs}: more than {ratio}x.", 2.5),
    (None, 4, "Tanh got there in {tanh} epochs and ReLU not within {epochs}: the claim fails here.", None),
])
def test_race_notice_gives_each_verdict_on_the_6x_claim(small_race, relu, tanh, verdict, ratio):
    runs = {**small_race.runs, "relu": dataclasses.replace(small_race["relu"], epochs_to_target=relu),
            "tanh": dataclasses.replace(small_race["tanh"], epochs_to_target=tanh)}
    expected = tr(verdict).format(relu=relu, tanh=tanh, epochs=10, ratio=number(ratio or 0, ".1f"))
    assert race.notice_speed(dataclasses.replace(small_race, runs=runs)).endswith(expected)


def test_race_notice_keeps_relus_off_side_apart_from_saturation(small_race):
    """ReLU's z <= 0 side (slope exactly 0, about half the pairs) is not saturation: the old notice reported it as
    'the largest share passing almost no gradient: ReLU, 47%', which read as 'ReLU saturates worse than sigmoid'."""
    text = race.notice_units(small_race)
    flat = {n: small_race[n].flat_fraction[-1] for n in small_race.names}
    assert "The largest share of activations passing almost no gradient" not in text
    assert tr("saturated, on the flat ends of a bounded activation: {names}").format(names="") in text
    share = lambda v: number(v, ".0%")
    assert f"Sigmoid {share(flat['sigmoid'])}" in text and f"Tanh {share(flat['tanh'])}" in text
    assert tr("on the low-z side of an unbounded one: {names}").format(names=f"ReLU {share(flat['relu'])}.") in text
    assert says(text, "ReLU's slope is exactly 0 for every z ≤ 0, and it was off on {share} of (sample, unit) pairs "
                "already at init: being off on part of the samples is how a ReLU works, not saturation; a unit is "
                "lost only when it is off on every sample (dead).", share=share(small_race["relu"].flat_at_init))
    assert 0.3 < small_race["relu"].flat_at_init < 0.7      # about half: ReLU's normal off side


def test_the_flat_share_of_relu_is_its_off_side_and_of_tanh_its_saturated_ends():
    """unit_stats' flat share, against the pre-activations z of a one-layer net: ReLU z <= 0, tanh |z| > 2.99."""
    x = load("moons", n_samples=200, seed=0).x_train
    for name, flat_z in (("relu", lambda z: z <= 0), ("tanh", lambda z: z.abs() > math.atanh(math.sqrt(0.99)))):
        net = models.build(models.MLPSpec(2, 2, hidden=(50,), activation=name, init_scale=3.0, init="normal"),
                           generator=0)
        with torch.no_grad():
            z = net.linears[0](x)
        # 10,000 (sample, unit) pairs: only a z within float32 rounding of the edge can land on the other side
        assert activation_runs.unit_stats(net, x)[1] == pytest.approx(float(flat_z(z).float().mean()), abs=2e-3), name
    assert race.saturating("sigmoid") and race.saturating("tanh") and not race.saturating("relu")


def test_race_notice_reports_a_tie_for_first_as_a_tie():
    r = race.run(race.Config(activations=("tanh", "relu", "leaky_relu"), **SMALL_RACE))
    runs = {n: dataclasses.replace(run, epochs_to_target=e) for (n, run), e in zip(r.runs.items(), (3, 2, 2))}
    text = race.notice_speed(dataclasses.replace(r, runs=runs))
    first = ngettext("First to {target} training accuracy: {names} in {epochs} epoch (a tie), then {rest}.",
                     "First to {target} training accuracy: {names} in {epochs} epochs (a tie), then {rest}.", 2)
    names = tr("{names} and {last}").format(names="ReLU", last="Leaky ReLU")
    assert first.format(target=number(0.75, ".0%"), names=names, epochs=2, rest="Tanh (3)") in text, text
