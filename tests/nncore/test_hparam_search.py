"""Hyperparameter search: random search tries as many values of the important parameter as it has trials and a grid
only about √budget (Bergstra & Bengio 2012), trials land inside 003's log ranges, k-fold scores are the mean over
folds, the streamed batches together are the one-shot search, the edge warning and the refined ranges follow the best
trial, and bad input is a sentence before any training."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest

from nncore import i18n
from nncore.experiments import hparam_search as hs
from nncore.params import label_of

QUICK = hs.Config(budget=9, epochs=1, samples=300)     # 9 trials of one epoch on 300 digits: ~0.3 s


@pytest.fixture(scope="module")
def random_run() -> hs.Result:
    return hs.run(QUICK)


@pytest.fixture(scope="module")
def grid_run() -> hs.Result:
    return hs.run(dataclasses.replace(QUICK, strategy="grid"))


def distinct(values: np.ndarray) -> int:
    return len(np.unique(np.round(np.log10(values), 9)))


@pytest.mark.parametrize("budget", [4, 9, 16, 20, 25, 60])
def test_random_search_tries_more_values_of_the_important_parameter_than_a_grid(budget):
    toy = hs.toy(budget, seed=3)
    assert len(toy.grid) <= budget and len(toy.random) == budget
    assert toy.distinct("random") == budget                      # every trial a new value of x
    assert toy.distinct("grid") == hs.grid_shape(budget)[0] <= math.ceil(math.sqrt(budget)) + 1
    assert toy.distinct("random") > toy.distinct("grid")


def test_the_grid_misses_a_narrow_peak_that_random_search_samples():
    """B&B's figure 1 with 9 trials: the grid's x values 0, 0.5, 1 miss g's peak at 0.73; over 20 seeds random search
    finds a higher f than the grid in most of them (the grid cannot do better with any seed: it has none)."""
    wins = sum(hs.toy(9, seed=s).best("random") > hs.toy(9, seed=s).best("grid") for s in range(20))
    assert hs.toy(9).best("grid") < 0.1 and wins >= 10


def test_the_real_search_covers_the_same_way(random_run, grid_run):
    assert distinct(random_run.lr) == 9 and distinct(grid_run.lr) == 3 and distinct(grid_run.reg) == 3
    assert len(grid_run.trials) == len(random_run.trials) == 9


def test_random_trials_lie_inside_the_log_ranges_and_repeat_with_the_seed(random_run):
    c = random_run.config
    assert np.all((np.log10(random_run.lr) >= c.lr_range[0]) & (np.log10(random_run.lr) <= c.lr_range[1]))
    assert np.all((np.log10(random_run.reg) >= c.reg_range[0]) & (np.log10(random_run.reg) <= c.reg_range[1]))
    again = hs.points("random", 9, c.lr_range, c.reg_range, c.seed)
    np.testing.assert_array_equal(10.0 ** again[:, 0], random_run.lr)


def test_log_uniform_draws_spread_evenly_over_each_decade():
    """003's 10^U(-3, 1): the exponent is uniform, so each of the 4 decades gets about a quarter of the draws."""
    exps = hs.points("random", 4000, (-3.0, 1.0), (-6.0, 0.0), seed=0)[:, 0]
    counts = np.histogram(exps, bins=4, range=(-3, 1))[0]
    assert np.all(np.abs(counts - 1000) < 4 * math.sqrt(1000 * 0.75))   # 4 binomial standard deviations


def test_the_grid_includes_the_bounds():
    pts = hs.points("grid", 20, (-3.0, 1.0), (-6.0, 0.0), seed=0)
    assert sorted(set(pts[:, 0])) == [-3.0, -2.0, -1.0, 0.0, 1.0] and set(pts[:, 1]) == {-6.0, -4.0, -2.0, 0.0}


def test_best_is_the_highest_validation_accuracy_and_the_search_separates_rates(random_run):
    acc = random_run.val_acc
    assert random_run.best.val_acc == np.nanmax(acc)
    assert random_run.best.val_acc - np.nanmin(acc) > 0.3    # lr 1e-3 for one epoch barely moves; the best learns


def test_a_diverged_trial_scores_nan_and_is_never_the_best():
    # SGD at lr ~ 100 with an L2 step of 2·lr·reg ~ 1,000 per step: |1 - 2·lr·reg| > 1 makes the weights grow
    r = hs.run(hs.Config(budget=4, epochs=2, samples=300, lr_range=(1.8, 2.0), reg_range=(0.5, 1.0)))
    assert all(t.diverged and math.isnan(t.val_acc) for t in r.trials)
    assert r.best is None and r.refined == (r.config.lr_range, r.config.reg_range)
    assert hs.notice_search(r) == i18n._("Every trial's loss became inf or NaN: lower the learning-rate range.")


def test_progress_counts_trials_and_can_stop_the_search():
    seen = []
    r = hs.run(dataclasses.replace(QUICK, budget=3), lambda p: seen.append((p.done, p.total, p.message)))
    assert [s[:2] for s in seen] == [(1, 3), (2, 3), (3, 3)] and seen[0][2].startswith(i18n._("trial {n} of {budget}, best so far {acc}").split(",")[0].format(n=1, budget=3))
    stopped = hs.run(dataclasses.replace(QUICK, budget=3), lambda p: False)
    assert len(r.trials) == 3 and len(stopped.trials) == 1


@pytest.mark.parametrize("cfg", [hs.Config(budget=7, epochs=1, samples=300),
                                 hs.Config(budget=6, epochs=1, samples=120, folds=2, strategy="grid")])
def test_the_streamed_batches_together_are_the_one_shot_search(cfg):
    cut = hs.batches(cfg, 3)
    assert [(b.start, b.stop) for b in cut] == [(i, min(i + 3, cfg.budget)) for i in range(0, cfg.budget, 3)]
    streamed, one_shot = [t for b in cut for t in hs.run_batch(b)], hs.run(cfg)
    np.testing.assert_equal([dataclasses.astuple(t) for t in streamed],
                            [dataclasses.astuple(t) for t in one_shot.trials])     # NaN-aware: diverged trials
    assert hs.result(cfg, tuple(streamed)).best == one_shot.best
    with pytest.raises(ValueError) as e:
        hs.run_batch(hs.Batch(cfg, 3, cfg.budget + 1))
    assert str(e.value) == i18n._("Trials {first}-{last} are not a batch of a {budget}-trial search.").format(
        first=4, last=cfg.budget + 1, budget=cfg.budget)


def test_k_fold_scores_are_the_mean_over_folds():
    r = hs.run(hs.Config(budget=2, epochs=1, samples=100, folds=3))
    for t in r.trials:
        assert len(t.fold_acc) == 3 and t.val_acc == pytest.approx(np.mean(t.fold_acc))


def trial(lr: float, reg: float, acc: float = 0.9) -> hs.Trial:
    return hs.Trial(lr, reg, acc, (acc,), False)


def test_the_edge_warning_names_the_bound_the_best_sits_at():
    c = hs.Config()   # lr 10^U(-3, 1), reg 10^U(-6, 0): the edge band is 0.4 and 0.6 decades
    assert hs.edges(c, trial(10 ** 0.7, 1e-3)) == ("lr high",)
    assert hs.edges(c, trial(10 ** -2.7, 10 ** -5.5)) == ("lr low", "reg low")
    assert hs.edges(c, trial(10 ** -1, 1e-3)) == ()
    r = hs.Result(c, (trial(10 ** 0.7, 1e-3),), trial(10 ** 0.7, 1e-3), ("lr high",), ((-0.3, 1.7), (-4.5, -1.5)))
    assert hs.notice_edge(r) == i18n._("The best trial lies at the edge of its range ({where}): better values may lie "
                                       "beyond it. Extend that range before you refine.").format(where=i18n._("lr high"))
    assert hs.notice_edge(dataclasses.replace(r, at_edge=())) is None


def test_refine_centres_on_the_best_at_half_the_width_and_may_pass_an_edge():
    c = hs.Config()
    assert hs.refine(c, trial(10 ** -1.5, 10 ** -4.5)) == ((-2.5, -0.5), (-6.0, -3.0))
    assert hs.refine(c, trial(10 ** 0.9, 1e-3)) == ((-0.1, 1.9), (-4.5, -1.5))   # past lr's old bound 1
    assert hs.refine(c, trial(10 ** 1.9, 1e-3))[0] == (0.9, 2.0)                   # clipped at the limit 10^2
    fine = hs.Config(lr_range=(-2.0, -1.0), reg_range=(-6.0, -3.0))
    assert hs.refine(fine, trial(10 ** -1.45, 10 ** -4.52)) == ((-1.7, -1.2), (-5.3, -3.7))


def said(message: str, **values):
    """The engine's sentence in the suite's language (numbers as it writes them), built when the test runs."""
    return lambda: i18n._(message).format(**{k: i18n.number(1800, ",") if v == "1,800" else v for k, v in values.items()})


@pytest.mark.parametrize("change, message, sentence", [
    (dict(lr_range=(1.0, -3.0)), "lr range is reversed",
     said("The {name} range is reversed: {range} has its low bound above its high one.", name="lr", range="10^U(1, -3)")),
    (dict(reg_range=(-2.0, -2.0)), "reg range 10^U(-2, -2) is empty",
     said("The {name} range {range} is empty: give the high bound a larger exponent.", name="reg", range="10^U(-2, -2)")),
    (dict(lr_range=(-3.0, 5.0)), "lr range must lie within 10^-6 … 10^2",
     said("The {name} range must lie within 10^{lo} … 10^{hi} (got {range}).", name="lr", lo="-6", hi="2",
       range="10^U(-3, 5)")),
    (dict(reg_range=(-6.0, float("nan"))), "reg range must be two numbers",
     said("The {name} range must be two numbers, the log10 bounds (got {got}).", name="reg", got="(-6.0, nan)")),
    (dict(budget=hs.MAX_BUDGET + 1), f"between 1 and {hs.MAX_BUDGET}", None),
    (dict(budget=60, epochs=30), "at most 600",
     said("This search asks for {budget} trials × {folds} folds × {epochs} epochs = {work} training epochs; one search "
       "may use at most {most}. Use fewer trials, folds or epochs.", budget=60, folds=1, epochs=30, work="1,800",
       most="600")),
    (dict(strategy="bayes"), "must be one of: random, grid", None),
    (dict(folds=9), "between 1 and 5", None),
])
def test_bad_input_is_a_sentence_before_any_training(change, message, sentence, monkeypatch):
    monkeypatch.setattr(hs.training, "train", lambda *a, **k: pytest.fail("trained on a bad config"))
    with pytest.raises(ValueError) as e:
        hs.run(dataclasses.replace(hs.Config(), **change))
    if i18n.default_language() == "en":
        assert message in str(e.value)
    if sentence is not None:          # the engine's own sentence, in the suite's language
        assert str(e.value) == sentence()
    else:                             # a field out of its range (nncore.params): it names the field
        (field,) = change
        assert label_of(hs.Config, field) in str(e.value)



def test_notices_quote_the_run(random_run, grid_run):
    text = hs.notice_search(grid_run)
    tried = i18n._("{n} trials ({strategy}) tried {lrs} distinct learning rates.")
    assert tried.format(n=len(grid_run.trials), strategy=i18n._("grid search"), lrs=3) in text
    assert i18n.number(grid_run.best.val_acc, ".1%") in text
    assert hs.show_range(grid_run.refined[0]) in text
    toy = hs.toy(9)
    assert (toy.distinct("grid"), toy.distinct("random")) == (3, 9)
    assert hs.notice_toy(toy).startswith(i18n._("With {budget} trials the grid ({nx} × {ny}, {points} points) tries "
                                                "{grid} values of the important parameter, random search {random}. "
                                                "Best f found: grid {grid_best}, random {random_best} (the peak is "
                                                "1.05).").split("{grid_best}")[0].format(budget=9, nx=3, ny=3, points=9,
                                                                                        grid=3, random=9))


def test_the_fine_preset_is_where_every_trial_learns_and_the_coarse_one_is_not():
    """The fine preset's note: in 003's refined ranges every trial learns (far above chance, 10%); in the coarse
    ranges some do not."""
    fine, coarse = (hs.run(hs.PRESETS[n].config) for n in ("003 fine search", "003 coarse search"))
    assert np.nanmin(fine.val_acc) > 0.5 > np.nanmin(coarse.val_acc)


def test_presets_are_valid_configs_within_the_budget():
    for preset in hs.PRESETS.values():
        hs.check(preset.config)
    assert hs.PRESETS["003 fine search"].config.lr_range == (-2.0, -1.0)
