"""nncore.experiments.data_assessment: the shift score is the two-sample KS statistic, ~0 for a random split and
large for the feature that cut the blind set; standardizing with training statistics leaves it unchanged; a rule
that empties a set says so."""
import dataclasses
import itertools

import numpy as np
import pytest

from nncore import i18n
from nncore.experiments import data_assessment as da


def ks_by_hand(a, b):
    """The definition: the largest gap between the two empirical CDFs, checked at every observed value."""
    return max(abs(np.mean(np.asarray(a) <= v) - np.mean(np.asarray(b) <= v)) for v in itertools.chain(a, b))


@pytest.mark.parametrize("a, b, expected", [
    ([1.0, 2.0, 3.0], [4.0, 5.0], 1.0),                   # disjoint
    ([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], 0.0),     # identical
    ([1.0, 2.0, 3.0, 4.0], [2.5, 3.5], 0.5),              # F_a(2) = 1/2, F_b(2) = 0
    ([1.0, 1.0, 2.0], [1.0, 2.0, 2.0], 1 / 3),            # ties: F(1) = 2/3 vs 1/3
])
def test_ks_statistic_on_small_arrays(a, b, expected):
    assert da.ks_statistic(np.array(a)[:, None], np.array(b)[:, None])[0] == pytest.approx(expected)


def test_ks_statistic_equals_the_definition_column_by_column():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(40, 3)).round(1), rng.normal(0.5, 2.0, size=(25, 3)).round(1)   # rounding makes ties
    got = da.ks_statistic(a, b)
    assert got == pytest.approx([ks_by_hand(a[:, j], b[:, j]) for j in range(3)], abs=1e-12)


@pytest.fixture(scope="module")
def shifted():
    return da.run(da.Config())


def test_the_cut_feature_does_not_overlap_and_scores_one(shifted):
    j = da.FEATURES.index("alcohol")
    assert shifted.ks[j] == 1.0 and shifted.ks.argmax() == j
    assert shifted.n_train + shifted.n_blind == 1599 and shifted.n_blind == pytest.approx(0.25 * 1599, rel=0.1)
    assert shifted.mean_shift[j] > 1.0          # the blind set's mean more than one training std higher
    assert (shifted.ks > shifted.critical).sum() >= 5


def test_a_random_split_scores_near_zero():
    r = da.run(da.Config(rule="random"))
    assert r.n_blind == da.run(da.Config()).n_blind          # the same size as the shifted blind set
    assert (r.ks < r.critical).all() and r.ks.max() < 0.1
    assert i18n._("The two sets look alike: a model that does well on the training set should do as well here.") \
        in da.notice_scores(r)


def test_training_statistics_do_not_change_the_score_own_statistics_hide_it(shifted):
    x = da._wines(0)
    mask, _ = da.blind_mask(da.Config(), x)
    mean, std = shifted.train_mean, shifted.train_std
    assert da.ks_statistic((x[~mask] - mean) / std, (x[mask] - mean) / std) == pytest.approx(shifted.ks)
    j = da.FEATURES.index("alcohol")
    assert shifted.ks_own[j] < 0.5 * shifted.ks[j]


def test_histograms_are_densities_on_shared_edges(shifted):
    widths = np.diff(shifted.edges, axis=1)
    assert (shifted.train_hist * widths).sum(1) == pytest.approx(1.0)
    assert (shifted.blind_hist * widths).sum(1) == pytest.approx(1.0)
    assert shifted.train_hist.shape == (11, 20)


def test_notice_names_the_most_shifted_features_from_the_run(shifted):
    text = da.notice_scores(shifted)
    order = np.argsort(-shifted.ks)
    number = i18n.number        # as the suite's language writes numbers (NNLAB_LANG)
    assert f"{shifted.features[order[0]]} ({number(shifted.ks[order[0]], '.2f')})" in text
    assert f"{shifted.features[order[1]]} ({number(shifted.ks[order[1]], '.2f')})" in text
    assert i18n._("the {n} wines with {feature} above {threshold}").format(
        n=number(shifted.n_blind, ","), feature="alcohol", threshold=number(shifted.threshold)) in text
    above = i18n._("The blind set's mean {feature} lies {sd} training standard deviations above the training mean. "
                   "Standardizing both sets with the training statistics leaves every score as it is; standardizing "
                   "each set with its own would lower {hidden}'s from {ks} to {ks_own}: the shift is still there, "
                   "only hidden.")
    assert above.split("{sd}")[1].split("{hidden}")[0] in text
    assert number(shifted.mean_shift[order[0]], ".1f") in text


@pytest.mark.parametrize("cfg, which, side, n", [
    (da.Config(quantile=1.0), "blind", "above", 0),
    (da.Config(rule="below", quantile=0.0), "blind", "below", None),
    (da.Config(rule="below", quantile=1.0), "training", "below", None),
    (da.Config(rule="random", quantile=1.0), "blind", "above", None),
])
def test_a_rule_that_empties_a_set_says_so(cfg, which, side, n):
    with pytest.raises(ValueError) as e:
        da.run(cfg)
    sentence = i18n._(da._TOO_FEW[which, side])            # in the suite's language
    assert str(e.value).endswith(sentence.rpartition("{least}")[2])
    assert i18n.number(1599, ",") in str(e.value)
    if n is not None:
        assert str(e.value).startswith(sentence.partition("{n}")[0] + str(n))


def test_the_sweet_wines_preset_shifts_mostly_one_column_as_its_note_says():
    r = da.run(da.PRESETS["Sweet wines"].config)
    first, second = np.argsort(-r.ks)[:2]
    assert (r.features[first], r.ks[first]) == ("residual sugar", 1.0)
    assert r.features[second] == "density" and r.ks[second] < 0.5


def test_presets_run_and_bad_values_are_refused():
    for preset in da.PRESETS.values():
        da.run(preset.config)
    with pytest.raises(ValueError):
        da.run(dataclasses.replace(da.Config(), feature="colour"))


def test_figures_at_the_defaults_are_under_300_kb(shifted):
    from nncore import viz
    for fig in (viz.shift_scores(shifted), viz.feature_histograms(shifted), viz.feature_histograms(shifted, True)):
        assert fig.layout.title.text and len(fig.to_json()) < 300_000
