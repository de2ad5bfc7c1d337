"""nncore.models: built deterministically, dropout and batch norm behave as torch's and the lectures say."""
import dataclasses
import itertools
import math

import pytest
import torch
from torch import nn

from nncore import activations, data, models
from nncore.models import MLPSpec
from tests.pages.helpers import tr


def test_build_is_deterministic_by_generator_and_layout_follows_the_spec():
    spec = MLPSpec(2, 3, (16, 8), activation="tanh", init="xavier_normal", dropout=(0.1, 0.0),
                   norm=("batch", "layer"), norm_placement="after")
    a, b, c = models.build(spec, 5), models.build(spec, 5), models.build(spec, 6)
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert torch.equal(pa, pb)
    assert not torch.equal(a[0].weight, c[0].weight)
    kinds = [type(m).__name__ for m in a]
    assert kinds == ["Linear", "Tanh", "BatchNorm1d", "SeededDropout", "Linear", "Tanh", "LayerNorm", "Linear"]
    assert a.hidden_outputs == [a[2], a[6]] and len(a.weights()) == 3
    before = models.build(MLPSpec(2, 2, (8,), norm="group", groups=4), 0)
    assert [type(m).__name__ for m in before] == ["Linear", "GroupNorm", "ReLU", "Linear"] and before[1].num_groups == 4
    assert all(float(lin.bias.detach().abs().sum()) == 0 for lin in a.linears)


def test_init_scheme_sets_the_weight_variance():
    m = models.build(MLPSpec(400, 2, (400,), init="kaiming_normal"), 0)
    assert m[0].weight.var().item() == pytest.approx(2 / 400, rel=0.05)


def test_dropout_is_identity_in_eval_and_keeps_the_expectation_in_train():
    m = models.build(MLPSpec(4, 2, (200,), activation="relu", dropout=0.5), 0)
    drop = m[2]
    x = torch.rand(1000, 200) + 0.5
    drop.eval()
    assert torch.equal(drop(x), x)
    drop.train()
    for gen in (torch.Generator().manual_seed(0), None):   # seeded masks, and torch's own nn.Dropout
        drop.generator = gen
        if gen is None:
            torch.manual_seed(0)
        y = drop(x)
        kept = y != 0
        assert kept.float().mean().item() == pytest.approx(0.5, abs=0.01)
        torch.testing.assert_close(y[kept], (x * 2)[kept])                # inverted dropout: scaled by 1/(1-p)
        assert y.mean().item() == pytest.approx(x.mean().item(), rel=0.01)  # E[output] = input


def test_seeded_dropout_repeats_with_its_seed():
    drop = models.SeededDropout(0.3)
    x = torch.ones(50, 50)
    drop.generator = torch.Generator().manual_seed(1)
    first = drop(x)
    drop.generator = torch.Generator().manual_seed(1)
    assert torch.equal(first, drop(x))


def test_batch_norm_eval_uses_running_statistics_not_the_batch():
    m = models.build(MLPSpec(3, 2, (5,), norm="batch"), 0)
    bn: nn.BatchNorm1d = m[1]
    gen = torch.Generator().manual_seed(0)
    for _ in range(50):
        m.train()
        m(torch.randn(64, 3, generator=gen) * 3 + 2)
    batch = torch.randn(8, 3, generator=gen) * 3 + 2
    z = m[0](batch).detach()
    m.eval()
    expected = (z - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps) * bn.weight + bn.bias
    torch.testing.assert_close(bn(z), expected)
    m.train()
    train_out = bn(z).detach()
    torch.testing.assert_close(train_out.mean(0), bn.bias.detach().expand(5), atol=1e-5, rtol=0)  # batch statistics
    assert not torch.allclose(train_out, expected, atol=1e-3)


def test_bad_specs_say_why():
    with pytest.raises(ValueError) as err:   # each sentence in the suite's language
        models.build(MLPSpec(2, 2, (4,), dropout=1.0))
    assert str(err.value) == tr("The dropout probability must be at least 0 and below 1 (got {p:g}).").format(p=1.0)
    with pytest.raises(ValueError) as err:
        models.build(MLPSpec(2, 2, (4,), norm="weird"))
    assert str(err.value) == tr("Unknown normalization {name}; choose one of: {choices}.").format(
        name="'weird'", choices=", ".join(models.NORMS))
    with pytest.raises(ValueError) as err:
        models.build(MLPSpec(2, 2, (4,), dropout=(0.1, 0.2)))
    assert str(err.value) == tr("{name} has {n} entries for {layers} hidden layers.").format(name="dropout", n=2,
                                                                                             layers=1)


# The lectures' first sanity check (001 "initial loss ~ -log(1/C) = 2.3 for 10 classes"; 002, 003): with small
# logits, softmax gives 1/C to every class and the cross-entropy is ln C. Every classifier the lab trains is built
# by models.build, so the check covers them all: every classification set x every activation with the inits that
# keep its signal's scale (He's gain 2 is for the ReLU family; on SELU or the identity it doubles the variance per
# layer and the logits grow, which is what the check is for), up to three hidden layers. 10% is the slack of
# "small logits" (loss ≈ ln C + Var[logit]/2); 001's own log starts 4% above.
SCALE_KEEPING = ("xavier_normal", "lecun_normal", "orthogonal")
RELU_FAMILY = ("relu", "leaky_relu", "prelu", "elu", "gelu", "silu", "softplus", "maxout")
CLASSIFIERS = [name for name, entry in data.DATASETS.items() if entry.kind == "classification"]
TRAINED_ACTIVATIONS = [k for k in activations.ACTIVATIONS if k != "softmax"]


@pytest.mark.parametrize("dataset", CLASSIFIERS)
def test_every_classifier_starts_at_loss_ln_C(dataset):
    d = data.load(dataset, n_samples=500)
    for act, hidden in itertools.product(TRAINED_ACTIVATIONS, [(64,), (64, 64), (64, 64, 64)]):
        for init in SCALE_KEEPING + (("kaiming_normal",) if act in RELU_FAMILY else ()):
            net = models.build(MLPSpec(d.n_features, d.n_outputs, hidden, activation=act, init=init), 0)
            with torch.no_grad():
                loss = nn.functional.cross_entropy(net(d.x_train), d.y_train).item()
            assert loss == pytest.approx(math.log(d.n_outputs), rel=0.10), (act, init, hidden, loss)


def test_output_layer_is_the_scheme_scaled_down():
    spec = MLPSpec(400, 400, (400,), init="kaiming_normal")
    m = models.build(spec, 0)
    assert m.linears[-1].weight.var().item() == pytest.approx(0.1 ** 2 * 2 / 400, rel=0.05)
    full = models.build(dataclasses.replace(spec, output_scale=1.0), 0)
    assert full.linears[-1].weight.var().item() == pytest.approx(2 / 400, rel=0.05)


@pytest.mark.parametrize("p, dtype", [(0.5, torch.float32), (0.1, torch.float32), (0.3, torch.float64)])
def test_seeded_dropout_draws_the_plain_bernoulli_mask_bit_for_bit(p, dtype):
    """SeededDropout draws its mask as uniform < 1 - p (faster); torch.bernoulli from the same generator gives the
    same mask, so the plain version beside it is an exact reference."""
    drop = models.SeededDropout(p).train()
    drop.generator = torch.Generator().manual_seed(3)
    x = torch.rand(105, 128, dtype=dtype) + 0.5   # no zeros: the output's zeros are the mask's
    mask = models.plain_keep_mask(x.shape, p, torch.Generator().manual_seed(3), dtype)
    assert torch.equal(drop(x), x * mask * (1.0 / (1.0 - p)))
    assert abs(mask.mean().item() - (1 - p)) < 0.02   # 13,440 draws: std of the mean <= 0.005
