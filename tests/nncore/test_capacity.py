"""nncore.experiments.capacity: the page's default pair underfits and overfits, each with a margin."""
import dataclasses

import torch

from nncore import models
from nncore import regularization as reg
from nncore.experiments import capacity
from nncore.i18n import default_language, number
from tests.pages.helpers import tr


def test_capacity_default_shows_underfitting_with_a_margin_and_overfitting():
    a = reg.run(dataclasses.replace(capacity.CAPACITY, hidden=(2,)))
    b = reg.run(dataclasses.replace(capacity.CAPACITY, hidden=(128, 128)))
    assert a.fit == "underfit" and b.fit == "overfit", (a.fit_reason, b.fit_reason)
    # not on the line: the underfit rule is train error > 30% of chance; A sits at ~60% of chance (29.5% of 50%)
    assert a.train_err > 1.5 * 0.3 * a.chance_err, a.fit_reason
    # the overfit picture far from its line: the validation loss ends at ~4x its minimum (rule: 10% above)
    assert b.history.val_loss[-1] > 2 * b.history.best_val_loss, b.fit_reason


def test_the_parameter_notice_counts_the_nets_torch_builds():
    cfgs = [dataclasses.replace(capacity.CAPACITY, hidden=h) for h in ((2,), (128, 128))]
    built = [sum(p.numel() for p in models.build(reg.spec_of(c)[0], torch.Generator()).parameters())
             for c in cfgs]
    n = lambda v, spec: number(v, spec, default_language())   # noqa: E731  (as the suite's language writes it)
    counts = [tr("{name}: {count} parameters").format(name=name, count=n(c, ",")) for name, c in zip("AB", built)]
    assert capacity.notice_parameters(["A", "B"], cfgs) == (
        " · ".join(counts) + " " + tr("({ratio}× as many)").format(ratio=n(built[1] / built[0], ",.1f")))
