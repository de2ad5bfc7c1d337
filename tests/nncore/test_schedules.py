"""nncore.schedules against torch.optim.lr_scheduler itself: each lr_curve is the sequence the torch scheduler
produces when stepped (built here directly from torch's classes), plus the properties the lessons rely on."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from torch.optim import lr_scheduler as S

from nncore import schedules
from nncore.schedules import SCHEDULES, ScheduleSpec, batch_curve, lr_curve, plateau_metric, reductions
from tests.pages.helpers import tr

STEPS, BASE = 60, 0.1


def said(message: str) -> list[str]:
    """The texts between the placeholders of `message` in the suite's language: what a sentence made from it holds."""
    return [part for part in re.split(r"\{[^{}]*\}", tr(message)) if part.strip()]


def torch_lrs(make, steps: int = STEPS, base_lr: float = BASE, metrics=None) -> np.ndarray:
    """The lr of each step of a torch scheduler on a one-parameter SGD, read before each step() as training does."""
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)
    sched = make(opt)
    opt.step()
    out = []
    for i in range(steps):
        out.append(opt.param_groups[0]["lr"])
        if i < steps - 1:
            sched.step(metrics[i]) if metrics is not None else sched.step()
    return np.array(out)


METRICS = plateau_metric(STEPS, stall_at=0.3, noise=0.02, seed=3)

# (schedule, params, the same schedule built from torch's own classes)
CASES = [
    ("constant", {}, lambda o: S.ConstantLR(o, factor=1.0, total_iters=0)),
    ("step", dict(step_size=7, gamma=0.5), lambda o: S.StepLR(o, 7, 0.5)),
    ("multistep", dict(milestones=(10, 30, 45), gamma=0.3), lambda o: S.MultiStepLR(o, [10, 30, 45], 0.3)),
    ("exponential", dict(gamma=0.95), lambda o: S.ExponentialLR(o, 0.95)),
    ("linear", dict(end_factor=0.1, total_iters=40), lambda o: S.LinearLR(o, 1.0, 0.1, 40)),
    ("polynomial", dict(power=2.0, total_iters=40), lambda o: S.PolynomialLR(o, 40, 2.0)),
    ("cosine", dict(T_max=40, eta_min=0.01), lambda o: S.CosineAnnealingLR(o, 40, 0.01)),
    ("cosine_restarts", dict(T_0=10, T_mult=2, eta_min=0.001), lambda o: S.CosineAnnealingWarmRestarts(o, 10, 2, 0.001)),
    *[("cyclic", dict(max_lr=1.0, step_size_up=5, mode=m, gamma=0.9),
       lambda o, m=m: S.CyclicLR(o, 0.1, 1.0, 5, mode=m, gamma=0.9, cycle_momentum=False))
      for m in ("triangular", "triangular2", "exp_range")],
    ("one_cycle", dict(max_lr=1.0, pct_start=0.25, anneal_strategy="linear", final_div_factor=100.0),
     lambda o: S.OneCycleLR(o, 1.0, total_steps=STEPS, pct_start=0.25, anneal_strategy="linear", div_factor=10.0,
                            final_div_factor=100.0, cycle_momentum=False)),
    ("plateau", dict(factor=0.5, patience=3, threshold=0.01, min_lr=0.01),
     lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=3, threshold=0.01, min_lr=0.01)),
]


@pytest.mark.parametrize("name,params,make", CASES, ids=[f"{c[0]}-{c[1].get('mode', '')}" for c in CASES])
def test_lr_curve_is_the_torch_schedulers_sequence(name, params, make):
    metrics = METRICS if SCHEDULES[name].needs_metric else None
    expected = torch_lrs(make, metrics=metrics)
    got = lr_curve(name, STEPS, BASE, metrics=metrics, **params)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert len(set(np.round(expected, 12))) > 1 or name == "constant", "the case should exercise a change"


def test_every_schedule_has_a_torch_case_and_teaching_metadata():
    assert {c[0] for c in CASES} | {"inverse_sqrt", "batch_growth"} == set(SCHEDULES)
    for name, entry in SCHEDULES.items():
        assert entry.label and entry.formula and entry.note and entry.lecture, name
        for key, knob in entry.knobs.items():
            assert knob.label, (name, key)
            assert knob.kind == "choice" and knob.default in knob.choices or knob.lo is not None, (name, key)


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_defaults_are_valid_for_a_race_and_a_long_run(name):
    for steps in (30, 10_000):
        metrics = plateau_metric(steps) if SCHEDULES[name].needs_metric else None
        lr = lr_curve(name, steps, BASE, metrics=metrics)
        assert lr.shape == (steps,) and np.all(np.isfinite(lr)) and np.all(lr >= 0)
        assert lr[0] == pytest.approx(BASE)  # every schedule starts at the base lr


def test_inverse_sqrt_halves_at_three_time_scales():
    lr = lr_curve("inverse_sqrt", 40, BASE, timescale=4)
    assert lr[4] == pytest.approx(BASE / np.sqrt(2)) and lr[12] == pytest.approx(BASE / 2)
    assert np.all(np.diff(lr) < 0) and np.all(np.diff(lr, 2) > 0)  # falls ever more slowly


@pytest.mark.parametrize("then", ["cosine", "step", "exponential"])
@pytest.mark.parametrize("kind,first", [("gradual", lambda o: S.LinearLR(o, 0.05, 1.0, 8)),
                                        ("constant", lambda o: S.ConstantLR(o, 0.05, 8))])
def test_warmup_is_torchs_sequential_lr(kind, first, then):
    params, make = {"cosine": ({"T_max": 52}, lambda o: S.CosineAnnealingLR(o, 52)),
                    "step": ({"step_size": 10}, lambda o: S.StepLR(o, 10)),
                    "exponential": ({"gamma": 0.9}, lambda o: S.ExponentialLR(o, 0.9))}[then]
    expected = torch_lrs(lambda o: S.SequentialLR(o, [first(o), make(o)], [8]))
    got = lr_curve(then, STEPS, BASE, warmup=kind, warmup_steps=8, warmup_factor=0.05, **params)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("name", list(SCHEDULES))
@pytest.mark.parametrize("kind", ["gradual", "constant"])
def test_warmup_reaches_the_base_lr_at_its_end(name, kind):
    w = 6
    metrics = plateau_metric(STEPS) if SCHEDULES[name].needs_metric else None
    lr = lr_curve(name, STEPS, BASE, metrics=metrics, warmup=kind, warmup_steps=w, warmup_factor=0.1)
    assert lr[w] == pytest.approx(BASE), lr[: w + 2]
    assert lr[0] == pytest.approx(0.1 * BASE)
    assert np.all(lr[:w] < BASE)
    if kind == "gradual":
        assert np.all(np.diff(lr[: w + 1]) > 0)
    else:
        assert np.allclose(lr[:w], 0.1 * BASE)


def test_plateau_after_warmup_is_reduce_lr_on_plateau_on_the_later_metrics():
    w, metrics = 5, METRICS
    lr = lr_curve("plateau", STEPS, BASE, metrics=metrics, warmup="gradual", warmup_steps=w, patience=2)
    warm = torch_lrs(lambda o: S.LinearLR(o, 0.1, 1.0, w), steps=w)
    plateau = torch_lrs(lambda o: S.ReduceLROnPlateau(o, factor=0.2, patience=2), steps=STEPS - w,
                        metrics=metrics[w:])
    np.testing.assert_allclose(lr, np.concatenate([warm, plateau]), rtol=1e-12)



def test_plateau_after_warmup_reports_its_rate_by_get_last_lr():
    """torch's public way to read a scheduler's rate gives the rate it set, in the warmup and after it."""
    w, opt = 5, torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=BASE)
    sched = schedules.build("plateau", opt, STEPS, warmup="gradual", warmup_steps=w, patience=2)
    opt.step()
    reported = [sched.get_last_lr()[0]]
    for metric in METRICS[:-1]:
        sched.step(float(metric))
        reported.append(sched.get_last_lr()[0])
    lr = lr_curve("plateau", STEPS, BASE, metrics=METRICS, warmup="gradual", warmup_steps=w, patience=2)
    assert lr[0] < lr[w] and lr[-1] < lr[w], "the run must cover both the warmup and a cut"
    np.testing.assert_allclose(reported, lr, rtol=1e-12)

@settings(max_examples=25, deadline=None)
@given(patience=st.integers(0, 12), improving=st.integers(1, 10), factor=st.floats(0.05, 0.9))
def test_plateau_cuts_the_rate_after_exactly_patience_bad_epochs(patience, improving, factor):
    """torch's patience counts epochs *tolerated*: the cut comes with bad epoch number patience + 1."""
    metrics = np.concatenate([1.0 / np.arange(1, improving + 1), np.full(patience + 5, 1.0 / improving)])
    steps = len(metrics) + 1
    lr = lr_curve("plateau", steps, BASE, metrics=metrics, factor=factor, patience=patience, threshold=1e-4)
    last_good = improving - 1                       # metrics[last_good] is the best; the bad ones follow
    cut = last_good + patience + 1                  # the (patience + 1)-th bad epoch
    assert np.all(lr[: cut + 1] == BASE), lr
    assert lr[cut + 1] == pytest.approx(BASE * factor)
    assert reductions(lr)[0] == cut + 1


def test_plateau_never_goes_below_its_floor():
    lr = lr_curve("plateau", 200, BASE, metrics=np.ones(200), patience=0, factor=0.5, min_lr=0.01)
    assert lr.min() == pytest.approx(0.01) and lr[-1] == pytest.approx(0.01)


@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_peaks_where_torch_says(mode):
    params = dict(max_lr=1.0, step_size_up=7, mode=mode, gamma=0.97)
    expected = torch_lrs(lambda o: S.CyclicLR(o, BASE, 1.0, 7, mode=mode, gamma=0.97, cycle_momentum=False))
    lr = lr_curve("cyclic", STEPS, BASE, **params)
    peaks = [i for i in range(1, STEPS - 1) if lr[i - 1] < lr[i] > lr[i + 1]]
    torch_peaks = [i for i in range(1, STEPS - 1) if expected[i - 1] < expected[i] > expected[i + 1]]
    assert peaks == torch_peaks == [7, 21, 35, 49]
    if mode == "triangular":
        assert lr[peaks] == pytest.approx([1.0] * 4)
    else:
        assert np.all(np.diff(lr[peaks]) < 0)  # the peak shrinks: halves (triangular2) or by gamma^t


def test_one_cycle_peaks_where_torch_says():
    for pct in (0.1, 0.3, 0.5):
        lr = lr_curve("one_cycle", 100, BASE, max_lr=2.0, pct_start=pct)
        expected = torch_lrs(lambda o: S.OneCycleLR(o, 2.0, total_steps=100, pct_start=pct, div_factor=20.0,
                                                    cycle_momentum=False), steps=100)
        assert int(np.argmax(lr)) == int(np.argmax(expected))
        assert lr.max() == pytest.approx(2.0) and lr[0] == pytest.approx(BASE)
        assert lr[-1] == pytest.approx(BASE / 1e4)


def test_batch_growth_grows_where_step_decay_cuts():
    lr = lr_curve("step", 40, BASE, step_size=12, gamma=0.2)
    batch = batch_curve(40, 32, step_size=12, factor=5.0)
    assert np.array_equal(np.flatnonzero(np.diff(batch)) + 1, reductions(lr))
    np.testing.assert_allclose(batch * lr, 32 * BASE)   # the same lr/batch ratio (Smith et al.'s noise scale)
    assert np.all(lr_curve("batch_growth", 40, BASE, step_size=12, factor=5.0) == BASE)


@pytest.mark.parametrize("spec,words", [
    (ScheduleSpec.of("cosine", warmup="gradual", warmup_steps=40), "The warmup ({warmup}) is longer than the run ({run}): shorten it or train longer."),
    (ScheduleSpec.of("cosine", warmup="gradual", warmup_steps=30), "The warmup ({warmup}) is as long as the run ({run}): shorten it or train longer."),
    (ScheduleSpec.of("cyclic", max_lr=0.05), "{schedule}: the peak lr ({peak}) must be above the base lr ({base}): the rate rises from one to the other."),
    (ScheduleSpec.of("one_cycle", max_lr=0.1), "{schedule}: the peak lr ({peak}) must be above the base lr ({base}): the rate rises from one to the other."),
    (ScheduleSpec.of("multistep", milestones=(20, 10)), "{name} must increase (got {values})."),
    (ScheduleSpec.of("step", step_size=30), "{name} is {value}, but the run has only {length}: it would never take "
                                            "effect."),
    (ScheduleSpec.of("step", gama=0.5), "{schedule} has no parameter {names}; it takes {takes}."),
    (ScheduleSpec.of("exponential", gamma=1.5), "{name} must be between {lo} and {hi} (got {value})."),
    (ScheduleSpec.of("plateau", min_lr=0.5), "{floor} ({value}) must be below the base lr ({base}); otherwise the "
                                             "rate would rise."),
    (ScheduleSpec.of("linear", total_iters=2.5), "{name} must be a whole number (got {value})."),
    (ScheduleSpec.of("cyclic", mode="sawtooth"), "{name} must be one of {choices} (got {value})."),
    (ScheduleSpec.of("warmup_only"), "Unknown schedule {name}; choose one of: {choices}."),
    (ScheduleSpec.of("cosine", warmup="gradual", warmup_steps=5, warmup_factor=0.0),
     "The warmup factor must be in (0, 1]: the warmup starts at that share of the base lr (got {factor})."),
])
def test_bad_parameters_get_a_sentence(spec, words):
    with pytest.raises(ValueError) as err:
        spec.check(30, BASE, "epochs")
    assert all(part in str(err.value) for part in said(words)), str(err.value)


def test_plateau_needs_its_metric():
    with pytest.raises(ValueError) as err:
        lr_curve("plateau", 20, BASE)
    assert all(part in str(err.value) for part in said(
        "Reduce on plateau needs the monitored metric at each step: {needed} values for {steps} steps (got "
        "{count})."))


def test_spec_label_tells_two_specs_apart():
    a, b = ScheduleSpec.of("step", gamma=0.5), ScheduleSpec.of("step", gamma=0.1, warmup="gradual", warmup_steps=3)
    assert a.label != b.label and "warmup" in b.label and a == ScheduleSpec.of("step", gamma=0.5)
    assert hash(a) == hash(ScheduleSpec.of("step", gamma=0.5))


def test_build_gives_torch_schedulers():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=BASE)
    assert isinstance(schedules.build("cosine", opt, 30), S.CosineAnnealingLR)
    assert isinstance(schedules.build("plateau", opt, 30, warmup="gradual", warmup_steps=3), S.ReduceLROnPlateau)
    assert isinstance(schedules.build("step", opt, 30, warmup="constant", warmup_steps=3), S.SequentialLR)


def test_a_spec_has_one_canonical_form_however_it_is_built():
    # a link (nncore.ui.links) builds a spec from its fields in the order the text gives them
    assert ScheduleSpec("step", (("step_size", 3), ("gamma", 0.5))) == ScheduleSpec.of("step", gamma=0.5, step_size=3)
    assert ScheduleSpec("multistep", (("milestones", 15),)) == ScheduleSpec.of("multistep", milestones=[15])
    assert ScheduleSpec("cosine", (), "none", 5, 0.2) == ScheduleSpec.of("cosine")      # no warmup: no length
