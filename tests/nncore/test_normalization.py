"""nncore.experiments.normalization: the lesson's claims at its learning rate, train vs eval mode, the norms' axes."""
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from nncore import regularization as reg
from nncore.experiments import normalization
from tests.pages.helpers import fields, tr

ROOT = Path(__file__).resolve().parents[2]


def test_normalization_lessons_claims_hold():
    """normalization.md: at the page's lr plain SGD blows up in its first epochs while batch norm trains; at lr 0.5
    the plain net trains too."""
    lesson = " ".join((ROOT / "assets/lessons/normalization.md").read_text().split())   # as markdown joins lines
    assert f"large learning rate ({normalization.NORMALIZATION.lr:.1f})" in lesson and "learning rate to 0.5 and A trains" in lesson
    a = reg.run(normalization.NORMALIZATION)
    b = reg.run(dataclasses.replace(normalization.NORMALIZATION, norm="batch"))
    slow = reg.run(dataclasses.replace(normalization.NORMALIZATION, lr=0.5))
    assert a.diverged_at is not None and a.diverged_at <= 5 and b.diverged_at is None and b.val_err < 0.1
    assert slow.diverged_at is None and slow.val_err < 0.1
    assert "at epoch 2" not in lesson   # the old text quoted one run's epoch


def test_batch_norm_train_and_eval_differ_on_one_batch():
    r = reg.run(reg.Config(n_samples=200, norm="batch", batch_size=32, epochs=5))
    b = r.bn_batch
    assert b["batch"] == 8 and not np.allclose(b["batch_mean"], b["running_mean"])
    assert np.abs(b["train_out"] - b["eval_out"]).max() > 0.01          # same inputs, different outputs
    shown = fields(tr("On this batch of {batch}, the first unit's batch mean is {batch_mean} while the running mean is "
                      "{running_mean}: train mode (batch statistics) and eval mode (running averages) give outputs up "
                      "to {diff} apart for the same inputs."), normalization.notice_bn(r))
    assert shown and shown["batch"] == "8", normalization.notice_bn(r)


def test_norm_axes_match_torch_and_cover_the_right_cells():
    na = normalization.norm_axes(n=4, c=6, length=5, groups=2)
    assert max(na.max_diff.values()) < 1e-5
    counts = {k: int(m.sum()) for k, m in na.members.items()}
    assert counts == {"batch": 4 * 5, "layer": 6 * 5, "instance": 5, "group": 3 * 5}
    assert na.mean["batch"] == pytest.approx(float(na.x[:, 0, :].mean()), abs=1e-5)
