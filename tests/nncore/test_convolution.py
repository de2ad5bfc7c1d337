"""The convolution lesson's engine: the window's taps against torch's conv2d, pooling against torch's pools, the
receptive field against the input gradient of a torch stack, and the CNN against the MLP on shifted digits."""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
import torch
from torch import nn

from nncore import data
from nncore.experiments.convolution import arithmetic, shift
from nncore.i18n import _ as tr
from nncore.i18n import number

SETTINGS = [dict(), dict(size=9, kernel=3, stride=2), dict(size=8, kernel=3, padding=1), dict(size=9, dilation=2),
            dict(size=10, kernel=4, stride=3, padding=2, dilation=2), dict(size=5, kernel=5), dict(size=6, kernel=1)]


@pytest.mark.parametrize("settings", SETTINGS)
def test_each_output_is_the_kernel_times_its_taps_as_torch_computes_it(settings):
    r = arithmetic.run(arithmetic.Config(**settings))
    c = r.config
    conv = nn.Conv2d(1, 1, c.kernel, stride=c.stride, padding=c.padding, dilation=c.dilation, bias=False).double()
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(r.kernel)[None, None])
    unpadded = r.image[c.padding:c.padding + c.size, c.padding:c.padding + c.size]
    expected = conv(torch.from_numpy(unpadded.copy())[None, None])[0, 0].detach().numpy()
    assert r.output.shape == expected.shape == (r.out_size, r.out_size)
    taps = arithmetic.window_taps(c.size + 2 * c.padding, c.kernel, c.stride, c.dilation)
    by_taps = (r.image[taps[..., 0], taps[..., 1]] * r.kernel.ravel()).sum(1).reshape(r.out_size, r.out_size)
    np.testing.assert_array_equal(by_taps, expected)            # integers: exact
    np.testing.assert_array_equal(r.output, expected)
    assert r.animated and (r.taps == taps).all()


@pytest.mark.parametrize("pool", [1, 2, 3])
def test_pooling_equals_torchs_max_and_average_pools(pool):
    r = arithmetic.run(arithmetic.Config(size=7, pool=pool))
    x = torch.from_numpy(r.image.copy())[None, None]
    np.testing.assert_array_equal(r.pooled_max, nn.MaxPool2d(pool)(x)[0, 0].numpy())
    np.testing.assert_allclose(r.pooled_avg, nn.AvgPool2d(pool)(x)[0, 0].numpy())
    assert r.pooled_max.shape[0] == 7 // pool and (r.pooled_max >= r.pooled_avg).all()


def _gradient_reach(layers: list[nn.Module], size: int) -> int:
    """The span, in input pixels along a side, of the pixels that move the last map's centre unit (ones weights)."""
    x = torch.zeros(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    out = nn.Sequential(*layers).double()(x)
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    reached = np.flatnonzero(x.grad[0, 0].abs().sum(0).numpy() > 0)
    return int(reached[-1] - reached[0] + 1)


def test_receptive_fields_equal_the_reach_of_input_gradients_through_a_torch_stack():
    cfg = arithmetic.Config(size=64, kernel=3, stride=1, dilation=2, pool=2, layers=3)
    r = arithmetic.run(cfg)
    for n in range(1, cfg.layers + 1):
        convs = [nn.Conv2d(1, 1, 3, dilation=2, bias=False) for _ in range(n)]
        for conv in convs:
            nn.init.ones_(conv.weight)
        assert _gradient_reach(convs, 64) == r.fields_conv[n - 1]
        pooled = [m for conv in convs for m in (conv, nn.AvgPool2d(2))]
        assert _gradient_reach(pooled, 160) == r.fields_pool[n - 1]
    assert list(r.sizes_conv) == [60, 56, 52]


def test_001s_example_and_its_connectivity_counts():
    r = arithmetic.run(arithmetic.PRESETS["001: 32x32x3, six 5x5 filters"].config)
    assert (r.out_size, r.config.filters) == (28, 6)
    assert r.counts["shared (convolution)"] == 456
    assert "28x28x6" in arithmetic.notice_size(r) and "456" in arithmetic.notice_connectivity(r)
    assert r.animated and len(r.taps) == 784                     # one frame per output position
    big = arithmetic.run(arithmetic.Config(size=64, kernel=9))
    assert not big.animated and big.taps.size == 0               # 56 x 56 x 81 taps: the sizes only


SPANS = ("The kernel spans {span} pixels but the padded input has only {padded} ({size} + 2 x {padding} padding): "
         "use a smaller kernel or dilation, or more padding.")


@pytest.mark.parametrize("settings, message", [
    (dict(stride=0), lambda: re.escape(tr("Stride S"))),          # params.validate's sentence names the field
    (dict(size=4, kernel=7), lambda: re.escape(tr(SPANS).format(span=7, padded=4, size=4, padding=0))),
    (dict(size=4, kernel=3, dilation=3), lambda: re.escape(tr(SPANS).format(span=7, padded=4, size=4, padding=0))),
    (dict(size=3, pool=4), lambda: re.escape(tr("The pooling window ({pool}) is larger than the input ({size} pixels): "
                                                "use a smaller window or a larger input.").format(pool=4, size=3))),
])
def test_impossible_layers_get_a_sentence(settings, message):
    with pytest.raises(ValueError, match=message()):
        arithmetic.run(arithmetic.Config(**settings))


def test_shifted_images_move_and_fill_with_background():
    d = data.load("digits", 1797, seed=0, val_fraction=0.3)
    raw = lambda x: (x * d.std + d.mean).reshape(-1, 8, 8)   # noqa: E731
    x = d.x_val[:5]
    right, up = raw(shift.shift_images(x, d, 0, 2)), raw(shift.shift_images(x, d, -1, 0))
    torch.testing.assert_close(right[:, :, 2:], raw(x)[:, :, :-2])
    torch.testing.assert_close(right[:, :, :2], torch.zeros(5, 8, 2), atol=1e-5, rtol=0)
    torch.testing.assert_close(up[:, :-1], raw(x)[:, 1:])


def test_shifted_accuracy_is_the_mean_over_directions_of_each_shifts_accuracy():
    d = data.load("digits", 1797, seed=0, val_fraction=0.3)
    net = shift.cnn(4, 3, torch.Generator().manual_seed(0)).eval()

    def accuracy(x):
        with torch.no_grad():
            return (net(x).argmax(1) == d.y_val).float().mean().item()
    expected = [accuracy(d.x_val)] + [np.mean([accuracy(shift.shift_images(d.x_val, d, r * s, c * s))
                                               for r, c in shift.DIRECTIONS]) for s in shift.SHIFTS[1:]]
    np.testing.assert_allclose(shift.shifted_accuracy(net, *shift.shifted_test_set(d)), expected, atol=1e-6)


@pytest.fixture(scope="module", params=[0, 1])
def trained(request):
    return shift.run(shift.Config(seed=request.param))


def test_the_cnn_loses_less_accuracy_than_the_mlp_when_digits_shift(trained):
    r = trained
    assert (r.accuracy[:, 0] > 0.9).all()                         # both learned the digits as they are
    for s, margin in ((1, 0.05), (2, 0.15)):
        cnn_drop, mlp_drop = shift.drop(r, s)
        assert cnn_drop + margin < mlp_drop, (s, r.accuracy)
    assert shift.notice_shift(r).endswith(tr(shift.SHARED_KERNELS))   # the CNN lost less, and why


def test_feature_maps_move_with_the_digit(trained):
    r = trained
    assert r.equivariance_gap < 1e-5 and shift.notice_maps(r) == tr(shift.MAPS_MATCH)
    assert r.maps.shape == (2, r.config.filters, 8, 8) and r.filters.shape == (r.config.filters, 3, 3)
    np.testing.assert_allclose(r.digit[1][:, 1:], r.digit[0][:, :-1], atol=1e-4)


def test_counts_curves_and_determinism(trained):
    r = trained
    h = r.config.hidden
    assert r.parameters[1] == 64 * h + h + 10 * h + 10
    assert r.parameters[0] == sum(p.numel() for p in shift.cnn(8, 3, torch.Generator()).parameters())
    assert r.val_acc.shape == (2, r.config.epochs) and np.isfinite(r.val_acc).all()
    again = shift.run(r.config)
    np.testing.assert_array_equal(again.accuracy, r.accuracy)


def test_an_even_kernel_gets_a_sentence():
    with pytest.raises(ValueError, match=re.escape(tr(
            "The kernel size must be odd (1, 3 or 5) so that the maps stay on the digits' 8x8 grid (got {kernel}).")
            .format(kernel=4))):
        shift.run(shift.Config(kernel=4))


def test_the_shift_notice_follows_the_run_when_the_cnn_loses_more(trained):
    swapped = dataclasses.replace(trained, accuracy=trained.accuracy[::-1])
    text = shift.notice_shift(swapped)
    assert text.endswith(tr(shift.NOT_ENOUGH)) and tr(shift.SHARED_KERNELS) not in text
    assert number(swapped.accuracy[0, -1], ".0%") in text and number(swapped.accuracy[1, -1], ".0%") in text
