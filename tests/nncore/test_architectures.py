"""nncore.architectures: each formula against what torch builds (shapes, gradients, sum(p.numel()))."""
import dataclasses
import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from nncore import models, regularization
from nncore.architectures import (Layer, connectivity_counts, conv_output_size, layer_counts, parameter_count,
                                  receptive_field, receptive_fields)
from nncore.i18n import _ as tr


def test_001s_example_32x32x3_through_six_5x5_filters_is_28x28x6():
    out = nn.Conv2d(3, 6, kernel_size=5)(torch.zeros(1, 3, 32, 32))
    assert out.shape == (1, 6, 28, 28)
    assert conv_output_size(32, 5) == 28


@settings(max_examples=150, deadline=None)
@given(size=st.integers(1, 24), kernel=st.integers(1, 7), stride=st.integers(1, 4), padding=st.integers(0, 3),
       dilation=st.integers(1, 3))
def test_output_size_equals_torchs_conv_and_pooling_shapes(size, kernel, stride, padding, dilation):
    span = dilation * (kernel - 1) + 1
    x = torch.zeros(1, 1, size, size)
    if span > size + 2 * padding:
        with pytest.raises(ValueError, match=re.escape(_spans(span, size, padding))):
            conv_output_size(size, kernel, stride, padding, dilation)
        return
    expected = conv_output_size(size, kernel, stride, padding, dilation)
    conv = nn.Conv2d(1, 1, kernel, stride=stride, padding=padding, dilation=dilation)
    assert conv(x).shape[-2:] == (expected, expected)
    if 2 * padding <= kernel:  # torch's pools take at most half the kernel as padding
        assert nn.MaxPool2d(kernel, stride, padding, dilation)(x).shape[-1] == expected
        if dilation == 1:
            assert nn.AvgPool2d(kernel, stride, padding)(x).shape[-1] == expected


def _spans(span: int, size: int, padding: int) -> str:
    return tr("The kernel spans {span} pixels but the padded input has only {padded} ({size} + 2 x {padding} "
              "padding): use a smaller kernel or dilation, or more padding.").format(
        span=span, padded=size + 2 * padding, size=size, padding=padding)


def _whole(name: str, least: int, value) -> str:
    return tr("The {name} must be a whole number of at least {least} (got {value}).").format(
        name=tr(name), least=least, value=value)


@pytest.mark.parametrize("bad, message", [
    (dict(size=5, kernel=7), lambda: _spans(7, 5, 0)),
    (dict(size=5, kernel=3, stride=0), lambda: _whole("stride", 1, 0)),
    (dict(size=5, kernel=0), lambda: _whole("kernel size", 1, 0)),
    (dict(size=5, kernel=3, padding=-1), lambda: _whole("padding", 0, -1)),
    (dict(size=5, kernel=3, dilation=0), lambda: _whole("dilation", 1, 0)),
    (dict(size=5, kernel=2.5), lambda: _whole("kernel size", 1, 2.5))])
def test_impossible_settings_get_a_sentence(bad, message):
    with pytest.raises(ValueError, match=re.escape(message())):
        conv_output_size(**bad)


def _field_by_gradient(layers: list[nn.Module], size: int = 64) -> int:
    """The input pixels (along one side) that reach the centre unit of the last layer: torch's own answer."""
    x = torch.zeros(1, 1, size, size, requires_grad=True)
    y = x
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            nn.init.ones_(layer.weight)
            nn.init.zeros_(layer.bias)
        y = layer(y)
    y[0, 0, y.shape[2] // 2, y.shape[3] // 2].backward()
    return int((x.grad[0, 0].abs().sum(0) > 0).sum())


@pytest.mark.parametrize("layers", [
    [nn.Conv2d(1, 1, 3), nn.Conv2d(1, 1, 3), nn.Conv2d(1, 1, 3)],
    [nn.Conv2d(1, 1, 3), nn.AvgPool2d(2), nn.Conv2d(1, 1, 3), nn.AvgPool2d(2), nn.Conv2d(1, 1, 3)],
    [nn.Conv2d(1, 1, 5, stride=2), nn.Conv2d(1, 1, 3, dilation=2), nn.Conv2d(1, 1, 3, stride=3)],
], ids=["three 3x3", "conv-pool-conv-pool-conv", "strided and dilated"])
def test_receptive_field_equals_the_input_gradients_reach(layers):
    assert receptive_field(layers) == _field_by_gradient(layers)


def test_receptive_field_grows_linearly_with_convs_and_multiplies_with_strides():
    assert receptive_fields([(3, 1)] * 4) == [3, 5, 7, 9]
    assert receptive_fields([Layer(3), Layer(2, 2), Layer(3)]) == [3, 4, 8]
    assert receptive_field([]) == 1
    with pytest.raises(ValueError, match=re.escape(_whole("stride", 1, 0))):
        receptive_field([(3, 0)])


def test_004s_red_wine_net_has_531_969_parameters():
    spec = models.MLPSpec(11, 1, hidden=(512, 512, 512))
    assert parameter_count(spec) == 531_969 == parameter_count(models.build(spec))
    wine = dataclasses.replace(regularization.RED_WINE, hidden=(512, 512, 512))
    assert parameter_count(wine) == 531_969


@pytest.mark.parametrize("activation", ["relu", "prelu", "maxout", "tanh"])
@pytest.mark.parametrize("norm", ["none", "batch", "layer", "group", ("batch", "none")])
def test_count_equals_sum_of_numel_of_the_built_model(activation, norm):
    spec = models.MLPSpec(7, 3, hidden=(12, 10), activation=activation, norm=norm)
    built = models.build(spec)
    assert parameter_count(spec) == sum(p.numel() for p in built.parameters())
    assert sum(count for _, count in layer_counts(spec)) == parameter_count(built)


def test_every_regularization_config_counts_its_built_model():
    cfg = regularization.Config()
    assert parameter_count(cfg) == parameter_count(models.build(regularization.spec_of(cfg)[0]))


def test_anything_else_is_refused_with_a_sentence():
    with pytest.raises(TypeError, match="Cannot count"):
        parameter_count("a net")


class LocallyConnected(nn.Module):
    """A sparse layer with untied weights, by torch's Unfold: each output position has its own window weights."""

    def __init__(self, size, channels, filters, kernel, stride, padding, dilation):
        super().__init__()
        self.out = conv_output_size(size, kernel, stride, padding, dilation)
        self.unfold = nn.Unfold(kernel, dilation=dilation, padding=padding, stride=stride)
        self.weight = nn.Parameter(torch.randn(self.out ** 2, filters, channels * kernel * kernel))
        self.bias = nn.Parameter(torch.randn(filters, self.out ** 2))

    def forward(self, x):
        windows = self.unfold(x)                                     # (n, C F F, positions)
        y = torch.einsum("ncl,lfc->nfl", windows, self.weight) + self.bias
        return y.reshape(len(x), -1, self.out, self.out)


@settings(max_examples=40, deadline=None)
@given(size=st.integers(5, 12), channels=st.integers(1, 3), filters=st.integers(1, 4), kernel=st.integers(1, 3),
       stride=st.integers(1, 3), padding=st.integers(0, 1), dilation=st.integers(1, 2))
def test_connectivity_counts_equal_the_numel_of_torch_layers(size, channels, filters, kernel, stride, padding,
                                                              dilation):
    counts = connectivity_counts(size, channels, filters, kernel, stride, padding, dilation)
    conv = nn.Conv2d(channels, filters, kernel, stride=stride, padding=padding, dilation=dilation)
    local = LocallyConnected(size, channels, filters, kernel, stride, padding, dilation)
    dense = nn.Linear(size * size * channels, local.out ** 2 * filters)
    assert counts == {"dense": parameter_count(dense), "sparse (local)": parameter_count(local),
                      "shared (convolution)": parameter_count(conv)}
    with torch.no_grad():   # the local layer with every position's weights tied to the conv's is the conv
        local.weight.copy_(conv.weight.reshape(filters, -1).expand(local.out ** 2, -1, -1))
        local.bias.copy_(conv.bias[:, None].expand(-1, local.out ** 2))
    x = torch.randn(2, channels, size, size, dtype=torch.float64)
    torch.testing.assert_close(local.double()(x), conv.double()(x))


def test_001s_connectivity_ordering_on_its_32x32x3_example():
    counts = connectivity_counts(32, 3, 6, 5)
    assert counts["shared (convolution)"] == 6 * (5 * 5 * 3 + 1) == 456
    assert counts["sparse (local)"] == 28 * 28 * 456
    assert counts["dense"] == 32 * 32 * 3 * 28 * 28 * 6 + 28 * 28 * 6
