"""nncore.experiments.weight_penalties: L1 zeroes, L2 shrinks, decay vs L2 with SGD and Adam; the path."""
import dataclasses

import numpy as np
import pytest

from nncore import regularization as reg
from nncore.experiments import weight_penalties
from nncore.i18n import default_language, number
from tests.pages.helpers import fields, tr


def n(value: float, spec: str = "g") -> str:
    """A number as the suite's language writes it."""
    return number(value, spec, default_language())

SMALL = dataclasses.replace(reg.OVERFIT, epochs=250)


def penalty_runs(preset: str) -> dict:
    b = weight_penalties.PRESETS[preset].config
    return {k: reg.run(c) for k, c in weight_penalties.penalty_runs(dataclasses.replace(b, l2=0.0), b).items()}


def median(r) -> float:
    return float(np.median(np.abs(r.weights)))


def test_with_plain_sgd_l1_zeroes_weights_that_l2_only_shrinks_and_decay_is_l2_at_half():
    runs = penalty_runs("L2 with plain SGD")
    assert runs["l2"].config == dataclasses.replace(weight_penalties.PENALTIES, l2=0.005)   # the page's default B
    n_weights = len(runs["none"].weights)
    assert runs["l1"].zero_weights > n_weights / 2 and runs["l2"].zero_weights == 0 == runs["decay"].zero_weights
    assert median(runs["l2"]) < median(runs["none"]) / 3
    # decay 2λ and L2 λ are one update with plain SGD; 400 steps amplify float32 rounding in single weights (up to
    # ~1e-2 here) but not in the median of 16,896 of them
    assert median(runs["decay"]) == pytest.approx(median(runs["l2"]), rel=0.02)
    text = weight_penalties.notice_weights(runs)
    assert tr("{name}: {zeros} exactly 0 ({share}), median |w| {median}").format(
        name="L1 " + n(0.005), zeros=n(runs["l1"].zero_weights, ","), share=n(runs["l1"].zero_weights / n_weights, ".0%"),
        median=n(median(runs["l1"]), ".3g")) in text
    same = fields(tr("Decoupled decay multiplies every weight by 1 − lr·decay = {factor} each step: with plain SGD that "
                     "is exactly L2 with λ = decay/2 = {half} (median {decayed} against {l2})."), text)
    assert same and same["half"] == n(0.005), text
    l2 = fields(tr("L2's gradient 2λw takes the same fraction 2·lr·λ of every weight, so weights get small (median "
                   "{none} → {l2}) but do not reach 0 ({zeros} exactly 0 here)."), text)
    assert l2 and (l2["none"], l2["l2"]) == (n(median(runs["none"]), ".3g"), n(median(runs["l2"]), ".3g")), text
    assert "√v" not in text


def test_with_adam_the_notice_says_what_the_run_shows():
    runs = penalty_runs("The same with Adam")
    assert median(runs["l2"]) < median(runs["l1"]) / 3   # L2 left the weights smaller than L1 (~20x here)
    text = weight_penalties.notice_weights(runs)
    assert "√v" in text and "AdamW" in text
    why = fields(tr("{opt} divides every gradient, the penalty's too, by √v, the running RMS of that weight's own "
                    "gradients: a weight the data barely uses feels mostly the penalty and steps up to lr toward 0 "
                    "whatever λ, a weight with large data gradients has a large √v and hardly feels it. So L2 no longer "
                    "shrinks every weight in proportion: its median |w| ({l2}) is below L1's ({l1}), the opposite of "
                    "plain SGD's picture."), text)
    assert why and (why["l2"], why["l1"]) == (n(median(runs["l2"]), ".3g"), n(median(runs["l1"]), ".3g")), text
    assert "L2 shrinks each in proportion to its size" not in text   # the old notice, true for SGD only


def test_regularization_path_shrinks_the_weights():
    p = weight_penalties.regularization_path(weight_penalties.PathConfig(base=dataclasses.replace(SMALL, epochs=60), lo=1e-4, hi=1e-2, points=3))
    assert p.lambdas.shape == (3,) and np.all(np.diff(p.weight_norm) < 0)
    assert p.train_loss[-1] > p.train_loss[0]
    text, best = weight_penalties.notice_path(p), int(np.argmin(p.val_loss))
    rose = best < 2 and p.train_loss[-1] > 1.2 * p.train_loss[best] and p.val_loss[-1] > p.val_loss[best]
    end = ": both rose, too strong a penalty underfits." if rose else "."
    shown = fields(tr("The lowest validation loss, {best}, comes at λ = {lam} (without a penalty: {base}); at λ = "
                      "{strong} the training loss is {train} and the validation loss {val}" + end), text)
    assert shown and (shown["best"], shown["lam"]) == (n(p.val_loss[best], ".3f"), n(p.lambdas[best], ".2g")), text
