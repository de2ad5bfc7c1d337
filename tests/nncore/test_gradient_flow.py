"""nncore.experiments.gradient_flow: the gradient through depth is the product of local slopes; the zig-zag."""
from __future__ import annotations

import numpy as np

from nncore.experiments.gradient_flow import depth as gradient_depth
from nncore.experiments.gradient_flow import zigzag
from tests.pages.helpers import says


def test_gradient_through_depth_is_the_product_of_local_slopes():
    r = gradient_depth.run(gradient_depth.Config(activations=("sigmoid", "tanh", "relu"), depth=12, width=64))
    assert r.mean_slope[0].max() <= 0.25                            # sigmoid's slope never exceeds 1/4
    assert r.grad_rms[0, 0] < 1e-5 < r.grad_rms[1, 0]                # sigmoid vanishes, tanh survives
    # the measured gradient is the product of the per-layer factors, within a factor 2 after 12 layers
    ratio = r.grad_rms[:, 0] / r.slope_product[:, 0]
    assert np.all((ratio > 0.5) & (ratio < 2.0)), ratio
    assert "Sigmoid" in gradient_depth.notice_gradient(r)


def test_a_tiny_gradient_is_measured_not_rounded_to_zero():
    r = gradient_depth.run(gradient_depth.Config(activations=("sigmoid",), depth=50))
    first, predicted = r.grad_rms[0, 0], r.slope_product[0, 0]
    assert 0 < first < 1e-25 and 0.5 < first / predicted < 2.0            # ~1e-31: float32 holds it, its square not
    assert not says(gradient_depth.notice_gradient(r), "{names}: no gradient at all reaches layer 1 (every component "
                    "is exactly 0 in float32).")


def test_zigzag_updates_share_a_sign_only_with_all_positive_inputs():
    r = zigzag.run(zigzag.Config())
    assert r.inputs_min[0] > 0
    assert r.same_sign_share[0] == 1.0                              # every update: (+, +) or (-, -)
    assert 0.3 < r.same_sign_share[1] < 0.7                         # centered: mixed
    assert r.path_length[0] > 2 * r.path_length[1]                  # the zig-zag walks much further
    assert r.max_stable_lr[1] > 5 * r.max_stable_lr[0]
    big = zigzag.run(zigzag.Config(lr=1.0, steps=500))
    assert big.diverged_at[0] is not None and big.diverged_at[1] is None
    assert says(zigzag.notice_path(big), "With all-positive inputs the loss blew up at step {step}: the step is too "
                "large for them.", step=big.diverged_at[0])
