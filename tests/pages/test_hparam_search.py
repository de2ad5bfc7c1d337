"""The hyperparameter-search page in AppTest: the defaults against the engine's own run, a search streamed in
batches, a preset, the refine click writing the refined ranges into the link, the edge warning, grid vs random, and
hostile links as notices."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nncore.experiments import hparam_search as hs
from nncore import i18n
from nncore.params import label_of
from nncore.ui import links
from tests.pages.helpers import array, assert_clean, charts, tr

PAGE = "pages/hparam_search.py"
SMALL = hs.Config(budget=6, epochs=2, samples=300)          # a quick search, by link


def trials_on(fig: dict) -> tuple[np.ndarray, np.ndarray]:
    """The (lr, reg) of the scored trials on the scatter."""
    (trace,) = [t for t in fig["data"] if t["name"] == tr("trial (colour: validation accuracy)")]
    return array(trace["x"]), array(trace["y"])


def test_defaults_show_the_engines_search_and_the_toy(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning
    r = hs.run(hs.Config())
    scatter, by_lr, toy = charts(at)
    lr, reg = trials_on(scatter)
    np.testing.assert_allclose(np.sort(lr), np.sort(r.lr)) and np.testing.assert_allclose(np.sort(reg), np.sort(r.reg))
    best = tr("best: {acc} at lr {lr}, reg {reg}").split("{lr}")[0].format(acc=i18n.number(r.best.val_acc, ".1%"))
    assert any(t["name"].startswith(best) for t in scatter["data"])
    assert [i.value for i in at.info] == [hs.notice_search(r), hs.notice_toy(hs.toy(20, 0))]
    assert scatter["layout"]["xaxis"]["type"] == scatter["layout"]["yaxis"]["type"] == "log"
    assert toy["layout"]["title"]["text"].replace("<br>", " ") == tr(
        "{budget} trials each: how many values of the important parameter get tried?").format(budget=20)
    assert by_lr["data"]


def test_refine_writes_the_refined_ranges_into_the_link_and_searches_inside_them(open_page):
    at = open_page(PAGE, **links.query(SMALL))
    assert_clean(at)
    finer = hs.refined_config(hs.run(SMALL))
    assert at.button(key="refine").label.endswith(f"lr {hs.show_range(finer.lr_range)}, "
                                                  f"reg {hs.show_range(finer.reg_range)}")
    at.button(key="refine").click().run()
    assert_clean(at)
    assert links.config(hs.Config, dict(at.query_params)) == (finer, [])     # the link opens the finer search
    lr, reg = trials_on(charts(at)[0])
    assert np.all((np.log10(lr) >= finer.lr_range[0] - 1e-9) & (np.log10(lr) <= finer.lr_range[1] + 1e-9))
    assert np.all((np.log10(reg) >= finer.reg_range[0] - 1e-9) & (np.log10(reg) <= finer.reg_range[1] + 1e-9))
    assert at.info[0].value == hs.notice_search(hs.run(finer))


def test_a_preset_sets_both_ranges_and_shows_its_banner(open_page):
    name = "003 fine search"
    at = open_page(PAGE)
    at.button(key=f"preset.{name}").click().run()
    assert_clean(at)
    assert [at.session_state[k] for k in ("lr_lo", "lr_hi", "reg_lo", "reg_hi")] == [-2.0, -1.0, -6.0, -3.0]
    assert links.config(hs.Config, dict(at.query_params)) == (hs.PRESETS[name].config, [])
    assert any(tr(name) in s.value for s in at.success)


def test_the_best_at_the_edge_warns_to_extend_the_range(open_page):
    cfg = dataclasses.replace(SMALL, lr_range=(-3.0, -2.0))      # every rate too small: the best is the largest
    assert "lr high" in hs.run(cfg).at_edge
    at = open_page(PAGE, **links.query(cfg))
    assert_clean(at)
    assert [w.value for w in at.warning] == [hs.notice_edge(hs.run(cfg))]


def test_grid_search_by_link_tries_few_learning_rates(open_page):
    at = open_page(PAGE, **links.query(dataclasses.replace(SMALL, strategy="grid", budget=9)))
    assert_clean(at)
    lr, _ = trials_on(charts(at)[0])
    tried = tr("{n} trials ({strategy}) tried {lrs} distinct learning rates.")
    assert len(np.unique(lr)) == 3 and tried.format(n=9, strategy=tr("grid search"), lrs=3) in at.info[0].value


@pytest.mark.parametrize("query, words", [
    (dict(lr_lo="1", lr_hi="-3"), "10^U(1, -3)"),
    (dict(reg_lo="-2", reg_hi="-2"), "10^U(-2, -2)"),
    (dict(lr_lo="-9"), "10^U(-9, "),
    (dict(lr_hi="abc"), "'abc'"),
    (dict(reg_hi="inf"), "'inf'"),
    (dict(budget="1000"), "1000"),
    (dict(strategy="bayes"), "'bayes'"),
    (dict(folds="0"), "0"),
    (dict(samples="-5"), "-5"),
])
def test_hostile_links_fall_back_to_defaults_with_a_notice(open_page, query, words):
    at = open_page(PAGE, **(links.query(SMALL) | query))
    assert_clean(at)
    # language-free: a warning names the bad value and its field (the link notice's sentences are the shared layer's)
    key = next(iter(query))
    field = {"lr_lo": "lr_range", "lr_hi": "lr_range", "reg_lo": "reg_range", "reg_hi": "reg_range"}.get(key, key)
    named = words.startswith("10^U")      # a range the engine refuses says which one in its own words (lr, reg)
    assert any(words in w.value and (key.split("_")[0] if named else label_of(hs.Config, field)) in w.value
               for w in at.warning), [w.value for w in at.warning]
    assert not at.error and len(charts(at)) == 3


def test_a_search_over_the_compute_budget_is_a_message_and_nothing_else_breaks(open_page):
    at = open_page(PAGE, budget="60", epochs="30", folds="5")
    assert_clean(at)
    assert len(at.error) == 1 and not charts(at)
    assert tr("This search asks for {budget} trials × {folds} folds × {epochs} epochs = {work} training epochs; one "
              "search may use at most {most}. Use fewer trials, folds or epochs.").format(
        budget=60, folds=5, epochs=30, work=i18n.number(9000, ","), most=i18n.number(600, ",")) in at.error[0].value


def test_a_search_streamed_in_batches_draws_every_trial_in_order(open_page):
    cfg = dataclasses.replace(SMALL, budget=2 * hs.BATCH + 2)        # three batches: 5, 5 and 2 trials
    at = open_page(PAGE, **links.query(cfg))
    assert_clean(at)
    scatter = charts(at)[0]
    (trace,) = [t for t in scatter["data"] if t["name"] == tr("trial (colour: validation accuracy)")]
    r = hs.run(cfg)
    ok = np.isfinite(r.val_acc)
    np.testing.assert_allclose(array(trace["x"]), r.lr[ok])              # in the order they ran, batch after batch
    assert list(array(trace["customdata"])) == list(np.flatnonzero(ok) + 1)
    assert at.info[0].value == hs.notice_search(r) and len(charts(at)) == 3   # the partial scatters were replaced


def test_the_code_panel_shows_the_whole_search_not_its_batches(open_page):
    """The page runs a search as batches, but a student takes home one script: hparam_search.run(cfg) (the plain
    PyTorch template of run, tests/pages/test_export.py)."""
    assert len(hs.batches(SMALL)) == 2
    at = open_page(PAGE, **links.query(SMALL))
    assert_clean(at)
    assert list(at.session_state["_page_runs"].values()) == [(hs.run, SMALL)]
