"""The transfer-learning page in AppTest: both parts at their defaults with the engine's numbers, the few-samples
slider without a second pretraining, presets, the link to the schedules lesson, and hostile links."""
from __future__ import annotations

import numpy as np

from nncore import training
from nncore.experiments.transfer_learning import ensembles, transfer
from nncore.i18n import number
from tests.pages.helpers import array, assert_clean, assert_preset_runs, charts, legend, tr

PAGE = "pages/transfer_learning.py"


def test_defaults_draw_the_runs_of_the_engine(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning, [e.value for e in at.error] + [w.value for w in at.warning]
    assert [t.value for t in at.title] == [tr("Transfer learning and ensembles")]
    curves, members, snapshots = charts(at)
    r, e = transfer.run(transfer.Config()), ensembles.run(ensembles.Config())
    for i, label in enumerate(r.labels):
        assert legend(curves)[i] == f"{tr(label)}: {number(r.final_val_acc[i], '.1%')}"
        np.testing.assert_array_equal(array(curves["data"][i]["y"]), r.val_acc[i])
    np.testing.assert_array_equal(array(members["data"][0]["y"]), e.member_acc)
    np.testing.assert_array_equal(array(snapshots["data"][1]["x"]), e.snapshot_epochs)
    shown = [i.value for i in at.info]
    assert transfer.notice_transfer(r) in shown and ensembles.notice_ensemble(e) in shown
    assert ensembles.notice_snapshots(e) in shown
    assert any(transfer.notice_pretraining(transfer.pretrain(transfer.pretraining(r.config))) == c.value
               for c in at.caption)


def test_the_few_samples_slider_does_not_pretrain_again(open_page, monkeypatch):
    at = open_page(PAGE)
    calls = []
    real = training.train
    monkeypatch.setattr(training, "train", lambda *a, **k: calls.append(len(a[1].y_train)) or real(*a, **k))
    at.slider(key="per_class").set_value(20).run()
    assert_clean(at)
    assert calls == [100, 100, 100]                 # the three methods on 5 x 20 images; no pretraining run
    title = charts(at)[0]["layout"]["title"]["text"].replace("<br>", " ")    # the theme wraps a long title
    assert tr("Does the 0-4 model help with {n} images per new digit?").format(n=20) in title


def test_presets_set_their_controls(open_page):
    at = open_page(PAGE)
    assert_preset_runs(at, "preset.Reuse both hidden layers", tr("Reuse both hidden layers"))
    assert legend(charts(at)[0])[0].startswith(tr("frozen features + new head") + ": ")
    more = "More data: does pretraining still help?"
    assert_preset_runs(at, f"preset.{more}", tr(more))
    assert at.slider(key="per_class").value == transfer.POOL
    assert_preset_runs(at, "preset.e_002: snapshots of one net", tr("002: snapshots of one net"))
    assert at.slider(key="e_cycles").value == 6 and len(array(charts(at)[1]["data"][0]["y"])) == 2


def test_the_snapshot_section_links_the_schedules_lesson(open_page):
    at = open_page(PAGE)
    assert any("(lr_schedules)" in m.value and tr("Learning-rate schedules: warm restarts and other cycles") in m.value
               for m in at.markdown)


def test_hostile_links_fall_back_with_a_notice(open_page):
    at = open_page(PAGE, per_class="0", lr="banana", width="1e9", e_members="many", e_cycles="-3", seed="inf",
                   e_n_train="<script>", reused="3")
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    warned = " ".join(w.value for w in at.warning)
    for label in ("Training images per digit (5-9)", "Learning rate", "Hidden units (two layers)",
                  "Nets in the ensemble (K)", "Snapshot cycles", "Seed", "Training digits (all ten classes)",
                  "Pretrained layers reused"):   # the notice's words are the shared layer's: the labels it names
        assert tr(label) in warned, (label, warned)
    assert at.slider(key="per_class").value == transfer.Config().per_class
    assert len(charts(at)) == 3
