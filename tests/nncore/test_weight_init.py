"""The weight-initialization experiment against the lectures' printed tables (002, 003), the lecture's own numpy
code (003) run on the engine's weights, a hand-written backward pass, and closed forms.

Tolerances, measured (30 seeds, forward std of each hidden layer, 1,000 samples):
- tanh cases: the seed-to-seed spread is < 1% (0.2% at layer 1, 0.6% at layer 10 for Xavier; 0.01% for
  1.0 x N(0,1)), and the two decks' tables agree with each other to ~1%. So one run (seed 0) must match each
  printed std within 2.5% (about 3 sigma of the measured spread, plus the print's last digit).
- ReLU cases: each layer multiplies the second moment by a random factor (the weights are random), so the spread
  grows with depth: 0.2% at layer 1, 1.5% at layer 2, 5% at layer 4, 12% at layer 10. The two decks' own runs of
  the same setup differ by 8% (Xavier + ReLU, layer 10) and 14% (He + ReLU, layer 10: 0.845 in 002, 0.739 in 003);
  our seed 0 is 19% below 002 at layer 8 of He + ReLU. One run cannot be held to "a few percent" there. Instead:
  layer 1 of seed 0 within 2.5%, and every printed value inside our own seed-to-seed band: the mean over
  ENSEMBLE seeds +- (3.5 standard deviations of those seeds + 1%).
- Values printed as 0.000001 or 0.000000 carry a rounding error of 5e-7: each check adds half the last printed digit.
"""
from __future__ import annotations

import dataclasses
import math
import os

import numpy as np
import pytest
import torch

from nncore import inits
from nncore.experiments import weight_init
from nncore.experiments.weight_init import Config
from nncore.i18n import number
from tests.pages.helpers import says, tr

# The notices' sentences (tests/pages/helpers.says finds them in the suite's language, whatever their numbers).
STD = "The std goes from {first} at layer 1 to {last} at layer {depth}"
COLLAPSE_EXACTLY = STD + ": the activations collapse to exactly {value} (every unit, every sample)."
COLLAPSE_PER_LAYER = STD + " (÷{per} per layer): the activations collapse to zero."
ENDS_NEAR_PER_LAYER = STD + " (÷{per} per layer): the spread collapses, and every output ends near {value}."
COLLAPSES = (COLLAPSE_EXACTLY, COLLAPSE_PER_LAYER, ENDS_NEAR_PER_LAYER, STD + ": the activations collapse to zero.",
             STD + ": the spread collapses, and every output ends near {value}.")
SATURATED = STD + (", and {share} of the outputs are saturated (within 0.01 of a bound), where the slope is ~0.")
KEEPS_SCALE = STD + ": the signal keeps its scale through the depth."
LEVELS_OFF = STD + " ({change} per layer on average, {between} between the last two: it levels off)."
GRADIENT = "The gradient reaching layer 1 has std {std}, {ratio}x the gradient at the top: "
VANISHES = GRADIENT + "it vanishes on its way down (÷{per} per layer)."
SHRINKS = GRADIENT + "it shrinks on its way down (÷{per} per layer)."
EXPLODES = GRADIENT + "it explodes on its way down (×{per} per layer)."
KEEPS = GRADIENT + "it keeps its scale on its way down."
SPIKE_AT_0 = ("From layer {layer} on, the std ({std}) is narrower than one bin ({bin}): every histogram is a spike at "
              "0, the lecture's collapse.")
SPIKE_ELSEWHERE = ("From layer {layer} on, the std ({std}) is narrower than one bin ({bin}): every histogram is a "
                   "spike at {value}: every output is nearly the same value, but not 0.")
PILE_UP = ("The outputs pile up in the edge bins, at the bounds: {share} of them are saturated (more than half "
           "{where}).")
STEPS = ("After {steps} SGD steps on a toy regression ({rows} samples, an N(0,1) target, one output unit initialized "
         "like the layers), ")
COPIES = STEPS + "the units {where} are still identical copies of each other"
UNCHANGED = "as 003 warns ('la red NO aprende'): not one of their weights changed: every gradient was exactly 0."
SAME_AMOUNT = ("as 003 warns ('la red NO aprende'): the steps changed their weights ({changed}), but every unit of a "
               "layer by the same amount. A layer of {width} units learns like a single unit.")
COPY_NOTICES = {(everywhere, changed): COPIES + ("" if everywhere else " (elsewhere they differ)") + ", " +
                (SAME_AMOUNT if changed else UNCHANGED) for everywhere in (True, False) for changed in (True, False)}


def copies(text: str, **values) -> bool:
    """Whether `text` is a notice that the units of some layers are still copies."""
    return any(says(text, message, **values) for message in COPY_NOTICES.values())

# ----------------------------------------------------------------------------------------------------------------
# The lectures' printed tables: (input mean, input std), then per hidden layer 1..10 the mean and the std.
# 002 prints "hidden layer k had mean m and std s" (1,000 samples, judging by its input statistics);
# 003 prints "Layer k-1  mean m  std s" after "Datos mean .. std .." (n_samples = 10000 in its code).


@dataclasses.dataclass(frozen=True)
class Table:
    where: str            # deck and slide
    config: Config
    inputs: tuple[float, float]
    means: tuple[float, ...]
    stds: tuple[float, ...]
    decimals: int = 6     # digits printed after the point

    @property
    def half_digit(self) -> float:
        return 0.5 * 10.0 ** -self.decimals


L002, L003 = Config(samples=1000), Config(samples=10000)
TANH_001, TANH_1 = dict(init="normal", init_scale=0.01), dict(init="normal", init_scale=1.0)

TABLES = {
    # 002 "Weight Initialization": 'First idea: Small random numbers', W = 0.01 * np.random.randn(D,H), tanh
    "002 0.01 tanh": Table(
        "002 'Weight Initialization', 'All activations become zero!'", dataclasses.replace(L002, **TANH_001),
        (0.000927, 0.998388),
        (-0.000117, -0.000001, -0.000002, 0.000001, 0.000002, -0.000000, 0.000000, -0.000000, 0.000000, -0.000000),
        (0.213081, 0.047551, 0.010630, 0.002378, 0.000532, 0.000119, 0.000026, 0.000006, 0.000001, 0.000000)),
    # 002: W = np.random.randn(fan_in, fan_out) * 1.0, '*1.0 instead of *0.01', 'Almost all neurons completely saturated'
    "002 1.0 tanh": Table(
        "002 'Weight Initialization', '*1.0 instead of *0.01'", dataclasses.replace(L002, **TANH_1),
        (0.001800, 1.001311),
        (-0.000430, -0.000849, 0.000566, 0.000483, -0.000682, -0.000401, -0.000237, -0.000448, -0.000899, 0.000584),
        (0.981879, 0.981649, 0.981601, 0.981755, 0.981614, 0.981560, 0.981520, 0.981913, 0.981728, 0.981736)),
    # 002: W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in), '"Xavier initialization" [Glorot et al., 2010]'
    "002 xavier tanh": Table(
        "002 'Weight Initialization', 'Xavier initialization', 'Reasonable initialization.'",
        dataclasses.replace(L002, init="lecun_normal"), (0.001800, 1.001311),
        (0.001198, -0.000175, 0.000055, -0.000306, 0.000142, -0.000389, -0.000228, -0.000291, 0.000361, 0.000139),
        (0.627953, 0.486051, 0.407723, 0.357108, 0.320917, 0.292116, 0.273387, 0.254935, 0.239266, 0.228008)),
    # 002: the same W with ReLU, 'but when using the ReLU nonlinearity it breaks.'
    "002 xavier relu": Table(
        "002 'Weight Initialization', 'but when using the ReLU nonlinearity it breaks.'",
        dataclasses.replace(L002, init="lecun_normal", activation="relu"), (0.000501, 0.999444),
        (0.398623, 0.272352, 0.186076, 0.136442, 0.099568, 0.072234, 0.049775, 0.035138, 0.025404, 0.018408),
        (0.582273, 0.403795, 0.276912, 0.198685, 0.140299, 0.103280, 0.072748, 0.051572, 0.038583, 0.026076)),
    # 002: 'He et al., 2015 (note additional 2/)'. The slide's code reads randn(...) / np.sqrt(2/fan_in), a slip for
    # / np.sqrt(fan_in/2): the table is He's (see test_002_he_code_as_printed_would_explode).
    "002 he relu": Table(
        "002 'Weight Initialization', 'He et al., 2015 (note additional 2/)'",
        dataclasses.replace(L002, init="kaiming_normal", activation="relu"), (0.000501, 0.999444),
        (0.562488, 0.553614, 0.545867, 0.565396, 0.547678, 0.587103, 0.596867, 0.623214, 0.567498, 0.552531),
        (0.825232, 0.827835, 0.813855, 0.826902, 0.834092, 0.860035, 0.870610, 0.889348, 0.845357, 0.844523)),
    # 003 'Inicialización de los pesos': the numpy code with W = np.random.randn(fan_in, fan_out) * 1e-2, tanh
    "003 0.01 tanh": Table(
        "003 'Inicialización de los pesos', 'La activación de las neuronas se va a cero'",
        dataclasses.replace(L003, **TANH_001), (0.000089, 1.000056),
        (0.000169, 0.000014, -0.000002, -0.000001, 0.000000, 0.000000, 0.000000, -0.000000, 0.000000, -0.000000),
        (0.213437, 0.047578, 0.010623, 0.002379, 0.000533, 0.000119, 0.000027, 0.000006, 0.000001, 0.000000)),
    # 003: 'Aumentemos los pesos iniciales: std de 1e-2 a 1.'
    "003 1.0 tanh": Table(
        "003 'Inicialización de los pesos', 'La activación de las neuronas se satura (-1 y 1)'",
        dataclasses.replace(L003, **TANH_1), (0.000925, 1.000327),
        (0.000199, 0.000052, -0.000400, -0.000482, 0.000831, -0.000244, 0.000173, 0.000187, 0.000539, 0.000483),
        (0.982017, 0.981708, 0.981716, 0.981687, 0.981715, 0.981640, 0.981722, 0.981742, 0.981685, 0.981597)),
    # 003: 'Glorot_uniform (tanh)', limit = sqrt(6/(fan_in+fan_out)), W = U(-limit, limit)
    "003 glorot_uniform tanh": Table(
        "003 'Inicialización de los pesos', 'Glorot_uniform (tanh)'",
        dataclasses.replace(L003, init="xavier_uniform"), (0.001048, 0.999598),
        (0.000104, -0.000219, -0.000060, -0.000011, -0.000203, -0.000048, -0.000190, -0.000006, 0.000046, 0.000065),
        (0.627455, 0.485736, 0.408628, 0.358032, 0.322473, 0.296090, 0.272879, 0.253591, 0.239951, 0.227270)),
    # 003: 'Glorot_uniform con activación ReLU'
    "003 glorot_uniform relu": Table(
        "003 'Inicialización de los pesos', 'Glorot_uniform con activación ReLU'",
        dataclasses.replace(L003, init="xavier_uniform", activation="relu"), (0.000030, 1.000023),
        (0.398799, 0.291489, 0.206426, 0.150248, 0.107512, 0.079131, 0.050218, 0.032226, 0.022358, 0.016938),
        (0.583589, 0.417777, 0.302370, 0.217431, 0.157537, 0.112494, 0.077003, 0.051280, 0.033343, 0.024128)),
    # 003: 'Glorot_normal (tanh)', W = np.random.randn(fan_in, fan_out) * (2/ np.sqrt(fan_in+fan_out)) as printed
    "003 glorot_normal tanh": Table(
        "003 'Inicialización de los pesos', 'Glorot_normal (tanh)', 'Bastante buena'",
        dataclasses.replace(L003, init="glorot_normal_003"), (0.000110, 1.000046),
        (0.000034, 0.000297, 0.000328, 0.000178, 0.000065, 0.000287, -0.000169, 0.000264, -0.000164, 0.000211),
        (0.721043, 0.634361, 0.594643, 0.576300, 0.567542, 0.561861, 0.559411, 0.557141, 0.555816, 0.556590)),
    # 003: 'Glorot_normal con activación ReLU' (printed with 5 decimals)
    "003 glorot_normal relu": Table(
        "003 'Inicialización de los pesos', 'Glorot_normal con activación ReLU'",
        dataclasses.replace(L003, init="glorot_normal_003", activation="relu"), (-0.000655, 1.000799),
        (0.563841, 0.539501, 0.498673, 0.509303, 0.506454, 0.477445, 0.485699, 0.461725, 0.498508, 0.507227),
        (0.82623, 0.80415, 0.76676, 0.76669, 0.74706, 0.72588, 0.73432, 0.71051, 0.71466, 0.75505), decimals=5),
    # 003: 'He et al., 2015 con activación ReLU', W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in/2)
    "003 he relu": Table(
        "003 'Inicialización de los pesos', 'He et al., 2015 con activación ReLU'",
        dataclasses.replace(L003, init="kaiming_normal", activation="relu"), (-0.000815, 1.000866),
        (0.564415, 0.534349, 0.538379, 0.513971, 0.549288, 0.541315, 0.511459, 0.571692, 0.507583, 0.484145),
        (0.82678, 0.79922, 0.79719, 0.77983, 0.78366, 0.81966, 0.78625, 0.82060, 0.77077, 0.73925), decimals=5),
}

SINGLE_RUN_RTOL = 0.025   # tanh layers and ReLU layer 1: ~3 sigma of the measured seed-to-seed spread
ENSEMBLE = 16             # seeds behind the ReLU band
BAND_SIGMAS = 3.5


def is_relu(t: Table) -> bool:
    return t.config.activation == "relu"


@pytest.fixture(autouse=True, scope="module")
def torch_threads():
    """NNLAB_TORCH_THREADS when set (CI runs 1 and 2); else one thread: many small runs, and one thread avoids OpenMP
    waits on a busy 2-core machine (and leaves a core to others)."""
    before = torch.get_num_threads()
    torch.set_num_threads(int(os.environ.get("NNLAB_TORCH_THREADS", "").strip() or 1))
    yield
    torch.set_num_threads(before)


_runs: dict[Config, weight_init.Result] = {}


def run(cfg: Config) -> weight_init.Result:
    """weight_init.run, memoized within this test module (several tests look at the same lecture runs)."""
    if cfg not in _runs:
        _runs[cfg] = weight_init.run(cfg)
    return _runs[cfg]


_bands: dict[Config, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}


def band(cfg: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean and std over ENSEMBLE seeds of each layer's forward mean and std (200 samples: the spread comes from
    the weights, the 100,000 values per layer pin each statistic to ~0.3%)."""
    if cfg not in _bands:
        rs = [weight_init.run(dataclasses.replace(cfg, samples=200, seed=s)) for s in range(ENSEMBLE)]
        means, stds = np.array([r.forward_mean for r in rs]), np.array([r.forward_std for r in rs])
        _bands[cfg] = means.mean(0), means.std(0), stds.mean(0), stds.std(0)
    return _bands[cfg]


def relative_error(ours: float, printed: float, half_digit: float) -> float:
    return max(abs(ours - printed) - half_digit, 0.0) / abs(printed) if printed else abs(ours) / half_digit


# ----------------------------------------------------------------------------------------------------------------
# 1. The printed tables


@pytest.mark.parametrize("name", [n for n, t in TABLES.items() if not is_relu(t)])
def test_tanh_tables_match_one_run_within_2_5_percent(name):
    t = TABLES[name]
    r = run(t.config)
    assert r.input_std == pytest.approx(t.inputs[1], rel=0.005)
    for layer, (ours, printed) in enumerate(zip(r.forward_std, t.stds), start=1):
        # |ours - printed| <= 2.5% of printed + half the last printed digit (0.000000 really means < 5e-7)
        assert abs(ours - printed) <= SINGLE_RUN_RTOL * printed + t.half_digit, (t.where, layer, ours, printed)


@pytest.mark.parametrize("name", [n for n, t in TABLES.items() if is_relu(t)])
def test_relu_tables_layer_1_matches_one_run_and_every_layer_lies_in_our_seed_band(name):
    t = TABLES[name]
    r = run(t.config)
    assert r.forward_std[0] == pytest.approx(t.stds[0], rel=SINGLE_RUN_RTOL), t.where
    assert r.forward_mean[0] == pytest.approx(t.means[0], rel=SINGLE_RUN_RTOL), t.where
    mean_avg, mean_sd, std_avg, std_sd = band(t.config)
    for layer in range(len(t.stds)):
        for what, printed, avg, sd in (("std", t.stds[layer], std_avg[layer], std_sd[layer]),
                                       ("mean", t.means[layer], mean_avg[layer], mean_sd[layer])):
            allowed = BAND_SIGMAS * sd + 0.01 * avg + t.half_digit
            assert abs(printed - avg) <= allowed, (t.where, f"layer {layer + 1} {what}", printed, avg, sd)


def test_relu_band_is_honest_the_deep_layers_really_vary_from_seed_to_seed():
    """The reason for the band: one seed is not a few percent from the table in deep ReLU layers."""
    _, _, std_avg, std_sd = band(TABLES["002 he relu"].config)
    relative = std_sd / std_avg
    assert relative[0] < 0.01 and relative[-1] > 0.05, relative
    # and the two decks' own He + ReLU runs disagree at layer 10 by more than the tanh tables ever do
    he_002, he_003 = TABLES["002 he relu"].stds[-1], TABLES["003 he relu"].stds[-1]
    assert abs(he_002 / he_003 - 1) > 0.1


def test_001_collapse_to_zero_by_layers_9_and_10():
    for name in ("002 0.01 tanh", "003 0.01 tanh"):
        std = run(TABLES[name].config).forward_std
        assert (std[8:] < 1e-5).all() and (std[:3] > 1e-2).all(), std
        # deep in the net tanh is linear: each layer multiplies the std by 0.01 * sqrt(500) (closed form)
        ratios = std[3:] / std[2:-1]
        np.testing.assert_allclose(ratios, 0.01 * math.sqrt(500), rtol=0.01)


def test_1_0_saturation_at_0_98_and_most_outputs_saturated():
    for name in ("002 1.0 tanh", "003 1.0 tanh"):
        r = run(TABLES[name].config)
        np.testing.assert_allclose(r.forward_std, 0.9817, atol=0.001)
        assert (r.saturated_fraction > 0.85).all(), r.saturated_fraction
    assert (run(TABLES["002 xavier tanh"].config).saturated_fraction < 0.05).all()


def test_means_near_0_for_tanh_and_about_0_5_for_he_relu():
    for name, t in TABLES.items():
        r = run(t.config)
        if not is_relu(t):
            assert (np.abs(r.forward_mean) < 0.01 * r.forward_std).all(), (name, r.forward_mean)
            assert max(abs(m) for m in t.means) < 0.002  # and the printed ones
        elif t.config.init in ("kaiming_normal", "glorot_normal_003"):
            assert ((r.forward_mean > 0.4) & (r.forward_mean < 0.65)).all(), (name, r.forward_mean)
            assert min(t.means) > 0.45 and max(t.means) < 0.63
    # layer 1 of ReLU on N(0,1) data: z ~ N(0, s^2) per unit, so mean / std = (1/sqrt(2 pi)) / sqrt(1/2 - 1/(2 pi))
    ratio = (1 / math.sqrt(2 * math.pi)) / math.sqrt(0.5 - 1 / (2 * math.pi))
    for name in ("002 he relu", "002 xavier relu", "003 glorot_uniform relu"):
        r = run(TABLES[name].config)
        assert r.forward_mean[0] / r.forward_std[0] == pytest.approx(ratio, rel=0.01)
        assert TABLES[name].means[0] / TABLES[name].stds[0] == pytest.approx(ratio, rel=0.01)


def test_xavier_relu_is_he_relu_scaled_by_sqrt2_per_layer():
    """ReLU is positively homogeneous and both schemes scale the same randn draw: std_xavier[l] = std_he[l] / 2^(l/2)."""
    he = weight_init.run(Config(init="kaiming_normal", activation="relu", samples=500))
    xavier = weight_init.run(Config(init="lecun_normal", activation="relu", samples=500))
    scale = 2.0 ** (-np.arange(1, 11) / 2)
    np.testing.assert_allclose(xavier.forward_std, he.forward_std * scale, rtol=1e-4)
    np.testing.assert_array_equal(xavier.dead_fraction, he.dead_fraction)


def test_003_glorot_normal_as_printed_equals_he_on_square_layers():
    """003's slip: std 2/sqrt(fan_in + fan_out) = 2/sqrt(1000) = sqrt(2/500), He's std, hence its ReLU table."""
    he = run(TABLES["003 he relu"].config)
    g3 = run(TABLES["003 glorot_normal relu"].config)
    np.testing.assert_allclose(g3.forward_std, he.forward_std, rtol=1e-5)


def test_002_he_code_as_printed_would_explode():
    """002 prints randn / np.sqrt(2/fan_in), i.e. std sqrt(fan_in/2) = 15.8 (beyond the app's scale range), while
    its table stays at ~0.83: run the lecture's code with that literal reading."""
    cfg = Config(init_scale=1.0, samples=200)
    weights = [layer.weight.numpy().T / np.sqrt(2 / 500) for layer in weight_init.build(cfg)]   # randn / sqrt(2/fan_in)
    _, stds = lecture_003(weight_init.inputs(cfg)[0].numpy(), weights, "relu")
    assert stds[-1] > 1e20
    assert max(TABLES["002 he relu"].stds) < 0.9


def test_every_preset_with_a_lecture_table_reproduces_it():
    covered = 0
    for name, preset in weight_init.PRESETS.items():
        for table in TABLES.values():
            same = dataclasses.replace(table.config, samples=preset.config.samples) == preset.config
            if not same:
                continue
            covered += 1
            r = run(preset.config)
            if is_relu(table):
                assert r.forward_std[0] == pytest.approx(table.stds[0], rel=SINGLE_RUN_RTOL), name
                _, _, std_avg, std_sd = band(preset.config)
                assert (np.abs(np.array(table.stds) - std_avg) <= BAND_SIGMAS * std_sd + 0.01 * std_avg).all(), name
            else:
                assert np.all(np.abs(r.forward_std - table.stds) <= SINGLE_RUN_RTOL * np.array(table.stds)
                              + table.half_digit), (name, table.where)
    # 0.01, 1.0, Xavier + tanh, Xavier + ReLU, He + ReLU, 003's glorot_normal + ReLU: each against 1-2 tables
    assert covered >= 6


# ----------------------------------------------------------------------------------------------------------------
# 2. The exact reference: the lecture's own numpy code (003) in float64, fed the engine's weights and input
#
# The engine runs in float32, so each layer's output differs from the exact one by an error e_l with two sources:
# the layer's own rounding (its fan_in-term sums, the activation), and the error e_{l-1} it inherits, multiplied by
# the layer's Jacobian diag(f'(z)) W. For N(0, 1) + tanh that Jacobian multiplies a random error's rms by
# sqrt(500 E[tanh'(z)^2]) ~ 3.5 per layer: 1e-7 at layer 1 grows to ~5e-2 per element at layer 10, and its exact
# value depends on the CPU's summation order and the thread count. A fixed tolerance cannot hold there (1.1e-4 vs
# 9.8e-5 on an AMD EPYC). Instead each layer's tolerance is the error that float32-sized rounding produces in THIS
# net: the same forward pass in float64 with noise of a bound on that size added wherever the engine rounds
# (rounded_like_float32), so the net itself amplifies it layer by layer. Its size per layer:
# - a float32 sum of fan_in terms: each addition rounds a partial sum, of rms <= sqrt(j / fan_in) rms(z) for random
#   signs, by at most EPS32 of it, independently: rms error <= EPS32 sqrt(fan_in / 2) rms(z), plus EPS32 rms(z) for
#   the products (sequential order, the worst; BLAS blocking and FMA do better: ~4 EPS32 rms(z) measured here);
# - the activation: within an ulp, plus the rounding of its result: 2 EPS32 |a|.
# Then rms(engine - exact) <= rms(model - exact) per layer (measured ratio 0.2-0.3 on 1 and 2 threads), and since
# |mean(a) - mean(b)| <= rms(a - b) and |std(a) - std(b)| <= rms(a - b), the Result's mean and std lie within that,
# plus the error of the float32 reductions behind them (one sum and one dot over N values; by the same random-walk
# bound <= EPS32 sqrt(N / 3) E[a^2] relative, i.e. <= EPS32 sqrt(N) E[a^2] / std(a) on the std).

EPS32 = 2.0 ** -24      # float32's unit roundoff
ACT = {'relu': lambda x: np.maximum(0, x), 'tanh': lambda x: np.tanh(x)}


def lecture_003_outputs(D: np.ndarray, weights: list[np.ndarray], act_name: str) -> np.ndarray:
    """003's code, transcribed; the only change: W comes from `weights` instead of np.random.randn(...) * 1e-2."""
    n_layers = len(weights)
    n_samples, n_neurons = D.shape
    act = ACT
    # Como todas las capas tienen la misma cantidad de neuronas puedo agrupar todo en una gran matriz
    Hs = np.zeros((n_samples, n_neurons, n_layers))
    for i in range(n_layers):
        X = D if i == 0 else Hs[..., i - 1]
        W = weights[i]           # (fan_in, fan_out), as the lecture draws it
        H = X.dot(W)             # producto interno
        H = act[act_name](H)
        Hs[..., i] = H
    return Hs


def lecture_003(D: np.ndarray, weights: list[np.ndarray], act_name: str) -> tuple[np.ndarray, np.ndarray]:
    """The lecture's per-layer statistics: mean and std over samples and units."""
    Hs = lecture_003_outputs(D, weights, act_name)
    return Hs.mean(axis=(0, 1)), Hs.std(axis=(0, 1))


def rounded_like_float32(D: np.ndarray, weights: list[np.ndarray], act_name: str, seed: int = 0) -> list[np.ndarray]:
    """The same forward pass in float64, with Gaussian noise of a bound on float32's rounding where the engine rounds:
    rms EPS32 sqrt(fan_in / 2 + 1) rms(z) on each pre-activation, 2 EPS32 |a| on each output."""
    rng, a, outs = np.random.default_rng(seed), D, []
    for W in weights:
        z = a @ W
        z = z + EPS32 * math.sqrt(W.shape[0] / 2 + 1) * math.sqrt(np.mean(z * z)) * rng.standard_normal(z.shape)
        a = ACT[act_name](z)
        a = a + 2 * EPS32 * a * rng.standard_normal(a.shape)
        outs.append(a)
    return outs


def rms(a: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(a))))


def assert_engine_is_the_lectures_code(cfg: Config) -> None:
    """Per layer: the engine's outputs and its Result's mean and std within float32's amplified rounding of the
    lecture's code run in float64 on the same weights and input (see the comment above)."""
    layers = weight_init.build(cfg)
    weights = [layer.weight.numpy().T.astype(np.float64) for layer in layers]   # ours are (out, in) like nn.Linear
    x = weight_init.inputs(cfg)[0]
    D = x.numpy().astype(np.float64)
    exact = lecture_003_outputs(D, weights, cfg.activation)
    model = rounded_like_float32(D, weights, cfg.activation)
    with torch.inference_mode():
        engine = [a.numpy().astype(np.float64) for a in weight_init._outputs(layers, x)]
    r = weight_init.run(cfg)
    for i in range(cfg.depth):
        ref = exact[..., i]
        spread = rms(model[i] - ref)
        assert rms(engine[i] - ref) <= spread, (f"layer {i + 1} outputs", rms(engine[i] - ref), spread)
        allowed = spread + EPS32 * math.sqrt(ref.size) * np.mean(ref * ref) / ref.std()
        assert abs(r.forward_mean[i] - ref.mean()) <= allowed, (f"layer {i + 1} mean", r.forward_mean[i], ref.mean())
        assert abs(r.forward_std[i] - ref.std()) <= allowed, (f"layer {i + 1} std", r.forward_std[i], ref.std())
    assert r.input_mean == pytest.approx(D.mean(), abs=1e-6) and r.input_std == pytest.approx(D.std(), rel=1e-5)


@pytest.mark.parametrize("cfg", [
    Config(), Config(init_scale=1.0), Config(init="lecun_normal"), Config(init="lecun_normal", activation="relu"),
    Config(init="kaiming_normal", activation="relu"), Config(init="xavier_uniform", seed=7),
    Config(init="glorot_normal_003", activation="relu", width=300, depth=6, samples=700),
], ids=lambda c: f"{c.init}-{c.init_scale:g}-{c.activation}")
def test_engine_equals_the_lectures_numpy_code_on_the_same_weights(cfg):
    assert_engine_is_the_lectures_code(cfg)



@pytest.mark.parametrize("cfg", [Config(), Config(init_scale=1.0), Config(init="kaiming_normal", activation="relu"),
                                 Config(init="normal", init_scale=0.05, activation="relu", depth=4),
                                 Config(init="constant", init_scale=0.01, activation="relu", depth=3)],
                         ids=lambda c: f"{c.init}-{c.init_scale:g}-{c.activation}")
def test_the_fast_statistics_agree_with_the_plain_ones_beside_them(cfg):
    """The engine's faster statistics against the plain versions kept beside them: the 99.5th percentile (topk vs a
    sort) and the dead units (amax and amin vs (a == 0).all) exactly; mean and std (one sum and one dot product vs
    torch's mean and std), both float32 reductions over N values, within twice the random-walk bound of each (as
    above: EPS32 sqrt(N) E[a^2] / std on the std, EPS32 sqrt(N) rms(a) on the mean)."""
    with torch.inference_mode():
        for i, a in enumerate(weight_init._outputs(weight_init.build(cfg), weight_init.inputs(cfg)[0])):
            assert weight_init._quantile_995(a) == weight_init._quantile_995_plain(a), i
            assert weight_init._dead_fraction(a) == weight_init._dead_fraction_plain(a), i
            (mean, std), (plain_mean, plain_std) = weight_init._mean_std(a), weight_init._mean_std_plain(a)
            n, square = a.numel(), float(a.double().square().mean())
            assert abs(mean - plain_mean) <= 2 * EPS32 * math.sqrt(n) * math.sqrt(square), (i, mean, plain_mean)
            assert abs(std - plain_std) <= 2 * EPS32 * math.sqrt(n) * square / max(plain_std, 1e-30), (i, std, plain_std)


@pytest.mark.parametrize("cfg", [Config(), Config(init_scale=1.0), Config(init="kaiming_normal", activation="relu")],
                         ids=lambda c: f"{c.init}-{c.init_scale:g}-{c.activation}")
def test_the_rounding_bound_still_catches_an_engine_that_is_0_1_percent_off(cfg, monkeypatch):
    """The tolerance grows with the chaos, but not so far that a wrong engine passes: weights 0.1% too large."""
    def off_by_0_1_percent(layer, x):
        z = x @ (1.001 * layer.weight).T
        return layer.act(layer.norm(z) if layer.norm is not None else z)

    monkeypatch.setattr(weight_init.Layer, "__call__", off_by_0_1_percent)
    with pytest.raises(AssertionError, match="layer 1 outputs"):
        assert_engine_is_the_lectures_code(cfg)


# ----------------------------------------------------------------------------------------------------------------
# 3. The Result: determinism, shapes, histograms, gradients, dead and saturated units


def assert_results_equal(a: weight_init.Result, b: weight_init.Result) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y, err_msg=f.name)
        else:
            assert x == y or (x != x and y != y), f.name


def test_same_seed_same_result_and_another_seed_another():
    cfg = Config(activation="relu", init="kaiming_normal", samples=300)
    a, b = weight_init.run(cfg), weight_init.run(cfg)
    assert_results_equal(a, b)
    c = weight_init.run(dataclasses.replace(cfg, seed=1))
    assert not np.array_equal(a.forward_std, c.forward_std)
    assert not np.array_equal(a.hist_counts, c.hist_counts)
    assert not np.array_equal(a.grad_std, c.grad_std)
    assert a.input_mean != c.input_mean


def test_the_global_rng_neither_changes_nor_is_changed_by_a_run():
    cfg = Config(samples=100)
    torch.manual_seed(123)
    a = weight_init.run(cfg)
    after = torch.rand(1)
    torch.manual_seed(999)
    b = weight_init.run(cfg)
    torch.manual_seed(123)
    assert torch.equal(after, torch.rand(1))
    assert_results_equal(a, b)


@pytest.mark.parametrize("cfg", [Config(depth=7, bins=12, samples=2500, width=64),
                                 Config(depth=3, bins=30, samples=40, width=20, activation="relu")])
def test_shapes_and_histogram_counts(cfg):
    r = weight_init.run(cfg)
    depth, bins = cfg.depth, cfg.bins
    for name in ("forward_mean", "forward_std", "grad_std", "weight_grad_rms", "saturated_fraction",
                 "dead_fraction", "unit_spread", "train_change"):
        assert getattr(r, name).shape == (depth,), name
    assert r.hist_counts.shape == (depth, bins) and r.hist_edges.shape == (depth, bins + 1)
    assert r.subsample == min(cfg.samples, weight_init.SUBSAMPLE)
    np.testing.assert_array_equal(r.hist_counts.sum(axis=1), r.subsample * cfg.width)
    assert (np.diff(r.hist_edges, axis=1) > 0).all()


def test_histograms_are_the_subsample_binned_on_the_shared_range():
    for cfg in (Config(samples=3000, bins=20), Config(init="kaiming_normal", activation="relu", samples=400)):
        r = weight_init.run(cfg)
        x = weight_init.inputs(cfg)[0][:r.subsample]
        lo, hi = r.hist_edges[0, 0], r.hist_edges[0, -1]
        inner = r.hist_edges[0, 1:-1]
        with torch.no_grad():
            for i, a in enumerate(weight_init._outputs(weight_init.build(cfg), x)):
                values = np.clip(a.numpy().astype(np.float64).ravel(), lo, hi)   # the tail goes to the edge bins
                counts, _ = np.histogram(values, bins=r.hist_edges[i])
                # histc bins in float32: a value within float32 rounding of an edge may land in the next bin
                # (the collapsed layers put half their values within 1e-6 of the edge at 0)
                near_edge = (np.abs(values[:, None] - inner[None, :]) < 1e-6 * (hi - lo)).sum()
                assert counts.sum() == r.hist_counts[i].sum()
                assert np.abs(np.cumsum(counts) - np.cumsum(r.hist_counts[i])).max() <= near_edge, (cfg, i)
    np.testing.assert_allclose(weight_init.run(Config(samples=3000, bins=20)).hist_edges[:, [0, -1]],
                               [[-1.0, 1.0]] * 10)   # tanh: its bounds, the same for every layer


def manual_backward(cfg: Config, dtype: torch.dtype) -> tuple[np.ndarray, np.ndarray]:
    """The chain rule written out with torch ops: a_l = f(z_l), z_l = a_{l-1} W_l^T, g_{l-1} = (g_l * f'(z_l)) @ W_l,
    dLoss/dW_l = (g_l * f'(z_l))^T a_{l-1}; g_10 is the engine's N(0,1) upstream gradient on the same subsample."""
    weights = [layer.weight.to(dtype) for layer in weight_init.build(cfg)]
    x, upstream = weight_init.inputs(cfg)
    a = x[:len(upstream)].to(dtype)
    f, df = {"tanh": (torch.tanh, lambda z, out: 1 - out ** 2),    # tanh' from the output, as autograd does
             "relu": (torch.relu, lambda z, out: (z > 0).to(dtype))}[cfg.activation]
    zs, outs, ins = [], [], []
    for w in weights:
        ins.append(a)
        zs.append(a @ w.T)
        a = f(zs[-1])
        outs.append(a)
    g = upstream.to(dtype)
    grad_std, weight_grad_rms = [], []
    for w, z, out, a_in in reversed(list(zip(weights, zs, outs, ins))):
        grad_std.append(float(g.std(correction=0)))
        delta = g * df(z, out)
        weight_grad_rms.append(float((delta.T @ a_in).square().mean().sqrt()))
        g = delta @ w
    return np.array(grad_std[::-1]), np.array(weight_grad_rms[::-1])


@pytest.mark.parametrize("cfg", [Config(samples=1500), Config(init_scale=1.0, samples=1500),
                                 Config(init="kaiming_normal", activation="relu", samples=800),
                                 Config(init="lecun_normal", seed=3, samples=1200)],
                         ids=lambda c: f"{c.init}-{c.init_scale:g}-{c.activation}")
def test_grad_std_equals_a_manual_backward_pass(cfg):
    r = weight_init.run(cfg)
    grad_std, weight_grad_rms = manual_backward(cfg, torch.float32)
    np.testing.assert_allclose(r.grad_std, grad_std, rtol=1e-4)
    np.testing.assert_allclose(r.weight_grad_rms, weight_grad_rms, rtol=1e-4)
    assert r.grad_std[-1] == pytest.approx(1.0, rel=0.02)       # the N(0,1) gradient put on the top
    # against float64: float32's 1 - tanh^2 cancels where tanh is saturated (|y| > 0.99 for 90% of the 1.0 x N(0,1)
    # outputs), which moves the gradient reaching layer 1 by ~3% there; elsewhere it agrees to 1e-4
    grad_std64, _ = manual_backward(cfg, torch.float64)
    np.testing.assert_allclose(r.grad_std, grad_std64, rtol=0.05 if cfg.init_scale == 1.0 else 1e-4)


def test_gradients_vanish_for_0_01_and_explode_for_1_0():
    small, large = run(TABLES["002 0.01 tanh"].config), run(TABLES["002 1.0 tanh"].config)
    assert small.grad_std[0] / small.grad_std[-1] < 1e-4
    assert large.grad_std[0] / large.grad_std[-1] > 1e3


def test_dead_fraction_is_1_when_every_weight_makes_the_input_negative(monkeypatch):
    """ReLU outputs are >= 0; with all weights <= 0 from layer 2 on, every pre-activation there is <= 0."""
    build = weight_init.build

    def negative_from_layer_2(cfg):
        layers = build(cfg)
        for layer in layers[1:]:
            layer.weight = -layer.weight.abs()
        return layers

    monkeypatch.setattr(weight_init, "build", negative_from_layer_2)
    r = weight_init.run(Config(init="kaiming_normal", activation="relu", depth=4, samples=500))
    assert r.dead_fraction[0] < 0.05
    np.testing.assert_array_equal(r.dead_fraction[1:], 1.0)
    np.testing.assert_array_equal(r.forward_std[1:], 0.0)
    assert says(weight_init.notice_forward(r), COLLAPSE_EXACTLY, value=0)
    assert says(weight_init.notice_backward(r), "The gradient is exactly 0 in layers 1–{below}: each layer passes "
                "back its gradient times its slopes and its weights, and here that product is 0, so those layers get "
                "no update at all.", below=3)


def test_dead_and_saturated_fractions_are_nan_where_they_do_not_apply():
    tanh, relu = run(TABLES["002 xavier tanh"].config), run(TABLES["002 he relu"].config)
    assert np.isnan(tanh.dead_fraction).all() and np.isnan(relu.saturated_fraction).all()
    assert ((relu.dead_fraction >= 0) & (relu.dead_fraction < 0.2)).all()


def test_batchnorm_keeps_the_std_constant_at_tanh_of_a_standard_normal():
    r = weight_init.run(Config(batchnorm=True))        # N(0, 0.01^2) weights: without BN this collapses
    # BN standardizes each unit over the batch, so every layer outputs tanh(N(0,1)): std by Gauss-Hermite quadrature
    nodes, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    expected = math.sqrt((w * np.tanh(nodes) ** 2).sum() - (w * np.tanh(nodes)).sum() ** 2)
    np.testing.assert_allclose(r.forward_std, expected, rtol=0.01)
    assert r.forward_std.max() / r.forward_std.min() < 1.01
    assert says(weight_init.notice_forward(r), KEEPS_SCALE)


# ----------------------------------------------------------------------------------------------------------------
# 4. Invalid configs, the budget, and overflow


@pytest.mark.parametrize("changes, label, words", [
    (dict(depth=0), "Layers", ["1", "100"]),
    (dict(width=5000), "Units per layer", ["2", "2048"]),
    (dict(samples=5), "Samples", ["10", "20000"]),
    (dict(init_scale=0.0), "Scale", []),
    (dict(init_scale=float("nan")), "Scale", ["nan"]),
    (dict(activation="swish"), "Activation", ["tanh", "relu"]),
    (dict(init="he"), "Initialization", ["kaiming_normal"]),
    (dict(bins=1), "Histogram bins", ["5", "100"]),
])
def test_out_of_range_fields_raise_a_readable_value_error(changes, label, words):
    # the field's label in the suite's language and the facts (the bounds, the choices), whatever the wording
    with pytest.raises(ValueError) as error:
        weight_init.run(dataclasses.replace(Config(), **changes))
    assert str(error.value).startswith(tr(label)) and all(word in str(error.value) for word in words), error.value


def test_beyond_the_flop_budget_raises_before_any_work():
    cfg = Config(depth=100, width=2048, samples=20000)
    assert weight_init.flops(cfg) > weight_init.FLOP_BUDGET
    with pytest.raises(ValueError) as error:
        weight_init.run(cfg)
    assert says(str(error.value), "This run needs {flops} floating-point operations; the limit is {limit} (about 2 s "
                "on this machine). Lower the layers, units or samples.", limit=number(2e11, ".0e")), error.value
    # the lecture's own workload is inside the budget
    weight_init.check(Config(samples=10000))


def test_overflow_is_a_result_with_nan_after_the_layer_that_overflowed():
    cfg = Config(depth=50, init_scale=1.0, activation="relu", samples=200)
    r = weight_init.run(cfg)                                          # no exception
    d = r.diverged_at
    assert d is not None
    # the reference: the lecture's code in float64 on the same weights; the first layer whose values leave float32
    weights = [layer.weight.numpy().T.astype(np.float64) for layer in weight_init.build(cfg)]
    a, first_out = weight_init.inputs(cfg)[0].numpy().astype(np.float64), None
    ref_std = []
    for layer, w in enumerate(weights, start=1):
        a = np.maximum(0, a @ w)
        ref_std.append(a.std())
        if np.abs(a).max() > np.finfo(np.float32).max:
            first_out = layer
            break
    assert d == first_out                                            # the outputs overflow, not just the statistics
    np.testing.assert_allclose(r.forward_std[:d - 1], ref_std[:d - 1], rtol=1e-4)
    assert not np.isfinite(r.forward_std[d - 1])
    assert np.isnan(r.forward_std[d:]).all() and np.isnan(r.forward_mean[d:]).all()
    assert np.isnan(r.grad_std).all()
    text = weight_init.notice_forward(r)
    assert says(text, "The outputs overflow float32 (become inf or NaN) at hidden layer {layer}: each layer multiplies "
                "their spread by about {factor}x.", layer=d, factor=16), text   # sqrt(500 / 2) = 15.8 per layer
    assert weight_init.notice_backward(r) == tr("No backward pass: the forward pass overflowed first.")


# ----------------------------------------------------------------------------------------------------------------
# 5. The "what to notice" lines agree with the numbers


def test_notices_say_what_the_numbers_show():
    small = run(TABLES["002 0.01 tanh"].config)
    text = weight_init.notice_forward(small)
    assert says(text, COLLAPSE_PER_LAYER, first=number(small.forward_std[0], ".3g"), per=number(4.5, ".1f")), text
    assert says(weight_init.notice_backward(small), VANISHES)

    large = run(TABLES["002 1.0 tanh"].config)
    text = weight_init.notice_forward(large)
    share = np.nanmean(large.saturated_fraction)
    assert says(text, SATURATED, share=number(share, ".0%")), text
    assert says(weight_init.notice_backward(large), EXPLODES)

    he = run(TABLES["002 he relu"].config)
    assert not any(says(weight_init.notice_forward(he), m) for m in (*COLLAPSES, SATURATED))
    assert says(weight_init.notice_backward(he), KEEPS)

    printout = weight_init.printout(small).splitlines()
    assert printout[0].startswith("input layer had mean") and len(printout) == 11
    assert printout[10] == f"hidden layer 10 had mean {small.forward_mean[9]:.6f} and std {small.forward_std[9]:.6f}"


def test_histogram_and_unit_notices_say_what_the_numbers_show():
    small = run(TABLES["002 0.01 tanh"].config)
    bin_width = small.hist_edges[0, 1] - small.hist_edges[0, 0]
    first = int(np.argmax(small.forward_std < bin_width)) + 1      # the first layer narrower than one bin
    assert says(weight_init.notice_histograms(small), SPIKE_AT_0, layer=first)
    assert says(weight_init.notice_health(small), "No output is saturated: every layer stays on the steep part of the "
                "curve.")

    large = run(TABLES["002 1.0 tanh"].config)
    assert says(weight_init.notice_histograms(large), PILE_UP)
    assert says(weight_init.notice_health(large), "{share} of all outputs are saturated, {worst} at layer {layer}: "
                "there the local slope is ~0.", share=number(np.nanmean(large.saturated_fraction), ".0%"))

    he = run(TABLES["002 he relu"].config)
    zeros = he.hist_counts[:, 0] / he.hist_counts.sum(axis=1)
    assert says(weight_init.notice_histograms(he), "The first bar, ReLU's exact zeros and the smallest values, holds "
                "{low}–{high} of each layer's outputs; the rest keep their spread to layer {layer}.",
                low=number(zeros.min(), ".0%"), high=number(zeros.max(), ".0%"))
    worst = int(np.nanargmax(he.dead_fraction))
    assert says(weight_init.notice_health(he), "Up to {share} of the units are dead at initialization (0 on all "
                "{samples} samples), at layer {layer}: they pass no gradient back.",
                share=number(he.dead_fraction[worst], ".0%"), layer=worst + 1)

    overflow = run(Config(depth=50, init_scale=1.0, activation="relu"))
    assert says(weight_init.notice_histograms(overflow), "The values grow so fast (they overflow at layer {layer}) "
                "that on one shared range the early layers look like a spike at 0: read their spread on the std "
                "chart, on a log axis.", layer=overflow.diverged_at)


def test_progress_reports_every_layer_and_a_stop_returns_what_was_done():
    seen = []
    weight_init.run(Config(samples=100), on_progress=lambda p: seen.append(p.done))
    assert seen == list(range(1, 13))   # 10 layers, the backward pass, the training steps
    r = weight_init.run(Config(samples=100), on_progress=lambda p: p.done < 4)
    assert np.isfinite(r.forward_std[:4]).all() and np.isnan(r.forward_std[4:]).all()


# Each wording fix of issue 10, with the old sentence it replaced: the test fails on the old text.

def test_not_saturated_is_not_said_to_mean_that_the_gradient_flows():
    """Old: 'No output is saturated: every layer stays on the steep part of the curve, where gradients flow.' next to a
    layer-1 gradient of 1.4e-06x the top's (0.01 + tanh), of exactly 0 (zeros) or 5e-12 (0.01 + sigmoid)."""
    for cfg in (TABLES["002 0.01 tanh"].config, Config(activation="sigmoid"), Config(init="lecun_normal",
                                                                                    activation="sigmoid")):
        r = run(cfg)
        text = weight_init.notice_health(r)
        assert "where gradients flow" not in text, text
        assert says(text, "That does not make the gradient flow: the gradient reaching layer 1 is {ratio}x the "
                    "gradient at the top, because each layer multiplies it by its weights and by the activation's "
                    "slope (see the backward chart).", ratio=number(r.grad_std[0] / r.grad_std[-1], ".2g")), text
        assert r.grad_std[0] / r.grad_std[-1] < 1e-2 and says(weight_init.notice_backward(r), VANISHES)
    zeros = run(Config(init="zeros"))
    assert np.all(zeros.grad_std[:-1] == 0)
    assert says(weight_init.notice_health(zeros), "That does not make the gradient flow: the gradient is exactly 0 in "
                "layers 1–{below}, because each layer multiplies it by its weights and by the activation's slope "
                "(see the backward chart).", below=9)
    # where the gradient does get through, the notice says so with the number
    xavier = run(TABLES["002 xavier tanh"].config)
    assert says(weight_init.notice_health(xavier), "And the gradient gets through: the gradient reaching layer 1 is "
                "{ratio}x the gradient at the top.", ratio=number(xavier.grad_std[0] / xavier.grad_std[-1], ".2g"))


def test_saturated_is_not_said_to_stop_a_gradient_that_grows():
    """Old: '90% of all outputs are saturated ...: there the local slope is ~0 and the gradient stops.' while the
    backward notice beside it says the gradient explodes (7e4x at layer 1, N(0, 1) + tanh)."""
    r = run(TABLES["002 1.0 tanh"].config)
    text = weight_init.notice_health(r)
    assert "and the gradient stops" not in text, text
    assert r.grad_std[0] / r.grad_std[-1] > 1e2
    assert says(text, "Saturated does not mean the gradient stops: the gradient reaching layer 1 is {ratio}x the "
                "gradient at the top, as each layer's weights amplify it more than the flat slopes damp it.",
                ratio=number(r.grad_std[0] / r.grad_std[-1], ".2g")), text
    assert says(weight_init.notice_backward(r), EXPLODES)


def test_the_backward_notice_reads_the_weights_gradient_too():
    """Old: 'it vanishes on its way down, so the first layers barely learn' for 0.01 + tanh, where the weights of layer
    1 get the same gradient as the top's (their input is 1e5 x larger): the weights' gradient is quoted from the run."""
    r = run(TABLES["002 0.01 tanh"].config)
    text = weight_init.notice_backward(r)
    assert "so the first layers barely learn" not in text
    assert r.weight_grad_rms.max() / r.weight_grad_rms.min() < 2
    assert says(text, "The weights' gradient (the output gradient times the layer's input) is about the same in every "
                "layer: {first} at layer 1, {last} at layer {depth}.", first=number(r.weight_grad_rms[0], ".2g")), text
    sigmoid = run(Config(init="lecun_normal", activation="sigmoid"))     # there they do barely learn
    ratio = sigmoid.weight_grad_rms[0] / sigmoid.weight_grad_rms[-1]
    assert ratio < 1e-2 and says(weight_init.notice_backward(sigmoid), "The weights of layer 1 get {ratio}x the "
                                 "gradient of the top layer's weights: they barely learn.", ratio=number(ratio, ".2g"))


def test_a_spike_or_a_constant_output_is_placed_where_the_run_puts_it():
    """Old: 'Every output is exactly 0' for zeros + sigmoid (every output is 0.5), and 'every histogram is a spike at 0'
    for 0.01 + sigmoid (the spike is at 0.5)."""
    zeros = run(Config(init="zeros", activation="sigmoid"))
    assert np.all(zeros.forward_std == 0) and np.all(zeros.forward_mean == 0.5)
    text = weight_init.notice_forward(zeros)
    assert "Every output is exactly 0:" not in text
    assert says(text, "Every output of every layer is exactly {value} (std 0), whatever the input: with these weights "
                "nothing of the input gets through.", value=number(0.5)), text
    assert says(weight_init.notice_histograms(zeros), "Every histogram is a single bar: each layer's outputs are all "
                "exactly the same value.")
    small = run(Config(activation="sigmoid"))
    text = weight_init.notice_histograms(small)
    assert not says(text, SPIKE_AT_0) and says(text, SPIKE_ELSEWHERE, value=number(0.5)), text
    assert np.allclose(small.forward_mean, 0.5, atol=0.01)
    # and where the spike is at 0 it still says so: 0.01 + tanh, and ReLU, whose fullest bin starts at 0
    assert says(weight_init.notice_histograms(run(TABLES["002 0.01 tanh"].config)), SPIKE_AT_0)
    assert says(weight_init.notice_histograms(run(Config(init_scale=0.05, activation="relu"))), SPIKE_AT_0)


def test_a_collapsing_spread_is_not_called_a_collapse_to_zero_when_it_ends_elsewhere():
    """Old: 'the activations collapse to zero' for constant 0.01 + sigmoid, whose outputs all end near 0.993."""
    r = run(Config(init="constant", activation="sigmoid"))
    text = weight_init.notice_forward(r)
    assert r.forward_std[-1] < 1e-3 and r.forward_mean[-1] > 0.9
    assert says(text, ENDS_NEAR_PER_LAYER, value=number(r.forward_mean[-1], ".3g")), text


def test_saturation_is_placed_in_the_layers_where_it_happens():
    """Old: '75% of them are saturated, in every layer' for constant 0.01 + tanh, where layer 1 has none."""
    r = run(Config(init="constant"))
    first = int(np.argmax(r.saturated_fraction >= 0.5)) + 1
    assert r.saturated_fraction[0] == 0 and first > 1 and (r.saturated_fraction[first - 1:] >= 0.5).all()
    text = weight_init.notice_histograms(r)
    assert says(text, PILE_UP, where=tr("from layer {layer} on").format(layer=first)), text


def test_growing_values_are_not_called_a_collapse():
    """Old: 'every histogram is a spike at 0, the lecture's collapse' for constant 0.01 + ReLU, whose std grows x5 per
    layer (500 x 0.01, all in the same direction), so the early layers only look narrow on the shared range."""
    r = run(Config(init="constant", activation="relu"))
    assert weight_init._per_layer_factor(r.forward_std) == pytest.approx(5.0, rel=0.01)
    text = weight_init.notice_histograms(r)
    assert says(text, "The values grow so fast (they grow ×{factor} per layer) that on one shared range the early "
                "layers look like a spike at 0: read their spread on the std chart, on a log axis.", factor=5), text


# The preset notes quote theory or the lectures' tables, never this machine's run; each agrees with its run's notices.

def preset_run(name: str) -> weight_init.Result:
    return run(weight_init.PRESETS[name].config)


def test_xavier_relu_preset_and_notices_agree_it_shrinks_by_sqrt2_per_layer():
    """Old note: 'ReLU zeroes half of each layer's input, so the std halves in variance every layer: the collapse is
    back', beside a notice calling its layer-1 gradient of 0.043x 'usable'."""
    note, r = weight_init.PRESETS["Xavier + ReLU"].note, preset_run("Xavier + ReLU")
    assert "collapse is back" not in note and "halves in variance" not in note
    assert "mean square E[h²]" in note and "by about √2 per layer" in note
    factor = 1 / weight_init._per_layer_factor(r.forward_std)
    assert factor == pytest.approx(math.sqrt(2), rel=0.05)
    assert f"÷{number(factor, '.2f')}" in weight_init.notice_forward(r)
    backward = weight_init.notice_backward(r)
    assert "usable" not in backward and says(backward, SHRINKS, per=number(1.4)), backward
    # the halving, measured at layer 1: E[h^2] = Var[z] / 2, while Var[h] = (1/2 - 1/(2 pi)) Var[z] ~ 0.34 Var[z]
    var_z = 500 * (1 / 500) * (r.input_std ** 2 + r.input_mean ** 2)
    assert r.forward_std[0] ** 2 + r.forward_mean[0] ** 2 == pytest.approx(var_z / 2, rel=0.01)
    assert r.forward_std[0] ** 2 == pytest.approx((0.5 - 1 / (2 * math.pi)) * var_z, rel=0.01)


def test_every_preset_note_agrees_with_its_run():
    notes = {name: p.note for name, p in weight_init.PRESETS.items()}
    small = preset_run("N(0, 0.01²) + tanh")
    assert "÷4.5 in std" in notes["N(0, 0.01²) + tanh"] and 1 / math.sqrt(500 * 0.01 ** 2) == pytest.approx(4.47, 0.01)
    assert says(weight_init.notice_forward(small), COLLAPSE_PER_LAYER, per=number(4.5)) and small.forward_std[-1] < 1e-5
    large = preset_run("N(0, 1) + tanh")
    assert "the backward chart shows what they do" in notes["N(0, 1) + tanh"]
    assert says(weight_init.notice_backward(large), EXPLODES) and says(weight_init.notice_forward(large), SATURATED)
    table = TABLES["002 xavier tanh"].stds
    assert f"{table[0]:.2f} → {table[-1]:.2f}" in notes["Xavier + tanh"]
    assert not any(says(weight_init.notice_forward(preset_run("Xavier + tanh")), m) for m in COLLAPSES)
    assert "keeps its scale through the depth" in notes["He + ReLU"]
    assert says(weight_init.notice_forward(preset_run("He + ReLU")), KEEPS_SCALE)
    assert "levels off" in notes["N(0, 0.05²) + tanh"]
    assert says(weight_init.notice_forward(preset_run("N(0, 0.05²) + tanh")), LEVELS_OFF)
    assert says(weight_init.notice_forward(preset_run("N(0, 0.01²) + tanh + BN")), KEEPS_SCALE)
    zeros = preset_run("All zeros + tanh")
    assert "no weight ever changes" in notes["All zeros + tanh"] and (zeros.train_change == 0).all()
    assert says(weight_init.notice_symmetry(zeros), COPY_NOTICES[True, False])
    constant = preset_run("Constant + tanh")
    assert "stay copies" in notes["Constant + tanh"]
    assert copies(weight_init.notice_symmetry(constant)) and (constant.train_change > 0).any()


def test_0_05_levels_off_at_the_mean_field_fixed_point_that_its_note_quotes():
    """Each tanh layer maps the pre-activation variance q to 500 x 0.05^2 x E[tanh(sqrt(q) Z)^2] (Gauss-Hermite):
    the run follows that recursion, and its fixed point's output std is the note's 0.33."""
    nodes, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    gain, q, predicted = 500 * 0.05 ** 2, 500 * 0.05 ** 2, []
    for _ in range(10):
        out = float((w * np.tanh(math.sqrt(q) * nodes) ** 2).sum())
        predicted.append(math.sqrt(out))
        q = gain * out
    np.testing.assert_allclose(preset_run("N(0, 0.05²) + tanh").forward_std, predicted, rtol=0.02)
    for _ in range(1000):
        q = gain * float((w * np.tanh(math.sqrt(q) * nodes) ** 2).sum())
    assert f"≈ {math.sqrt(q / gain):.2f}" in weight_init.PRESETS["N(0, 0.05²) + tanh"].note


def test_the_config_help_does_not_put_a_sample_count_in_002s_mouth():
    """Old help: '002 uses 1,000; 003 uses 10,000'. 002 prints no sample count (1,000 is inferred from its input std)."""
    help_text = next(f for f in dataclasses.fields(Config) if f.name == "samples").metadata["help"]
    assert "002 uses 1,000" not in help_text and "002 does not say" in help_text and "10,000" in help_text


def test_the_lesson_says_what_relu_halves_and_whose_formula_xavier_is():
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "assets" / "lessons" / "weight_init.md").read_text()
    assert "which halves the variance each layer" not in text
    assert "`E[h²] = Var[z]/2`" in text and "0.34 · Var[z]" in text and f"{0.5 - 1 / (2 * math.pi):.2f}" == "0.34"
    assert "LeCun's" in text and "`Var[w] = 2/(fan_in + fan_out)`" in text and "square layers" in text
    assert "la red NO aprende" in text


# ----------------------------------------------------------------------------------------------------------------
# 6. Zeros and constant weights: the units of a layer are copies and stay copies (003 'la red NO aprende')


@pytest.mark.parametrize("cfg", [Config(init="zeros"), Config(init="zeros", activation="sigmoid"),
                                 Config(init="constant"), Config(init="constant", activation="relu"),
                                 Config(init="constant", activation="sigmoid", batchnorm=True)],
                         ids=lambda c: f"{c.init}-{c.activation}{'-bn' if c.batchnorm else ''}")
def test_equal_weights_stay_equal_through_the_training_steps(cfg):
    r = run(cfg)
    assert (r.unit_spread < weight_init.SYMMETRIC).all(), r.unit_spread
    text = weight_init.notice_symmetry(r)
    changed = bool((r.train_change > 0).any())   # they learned something, every unit the same
    width = {"width": cfg.width} if changed else {}
    assert says(text, COPY_NOTICES[True, changed], where=tr("in every layer"), **width), text


def test_random_weights_stay_different_and_the_notice_quotes_how_much():
    r = run(TABLES["002 he relu"].config)
    assert (r.unit_spread > 0.5).all() and (r.train_change > 0).all()
    text = weight_init.notice_symmetry(r)
    assert says(text, STEPS + "the units of every layer still differ (the largest gap between two units' weights is "
                "{low}–{high} times the layer's largest weight): the random start broke the symmetry, so each unit "
                "can learn something different.", low=number(r.unit_spread.min(), ".2g"),
                high=number(r.unit_spread.max(), ".2g")), text


def test_the_symmetry_measure_sees_one_weight_out_of_line(monkeypatch):
    """Not vacuous: nudge one weight of layer 1 of a constant init and layer 1's units differ by that much, while the
    units of the layers above, which still have equal weights, see the same input and get the same gradient: copies."""
    build = weight_init.build

    def one_nudged(cfg):
        layers = build(cfg)
        layers[0].weight[0, 0] += 1e-3
        return layers

    monkeypatch.setattr(weight_init, "build", one_nudged)
    r = weight_init.run(Config(init="constant", depth=3, width=50, samples=100))
    assert r.unit_spread[0] > 1e-3 / 0.011 * 0.9 and (r.unit_spread[1:] < weight_init.SYMMETRIC).all(), r.unit_spread
    text = weight_init.notice_symmetry(r)
    assert any(says(text, COPY_NOTICES[False, changed], where=tr("from layer {layer} on").format(layer=2))
               for changed in (True, False)), text


def test_the_symmetry_steps_are_torch_sgd_on_the_lectures_net():
    """The engine's steps, redone with nn.Linear layers, nn.MSELoss and torch.optim.SGD from the same start."""
    cfg = Config(init="kaiming_normal", activation="relu", depth=3, width=40, samples=60)
    layers = weight_init.build(cfg)
    net = torch.nn.Sequential(*[m for layer in layers for m in (torch.nn.Linear(40, 40, bias=False), torch.nn.ReLU())],
                              torch.nn.Linear(40, 1, bias=False))
    gen = torch.Generator().manual_seed(cfg.seed + 2)
    with torch.no_grad():
        for linear, layer in zip(net[:-1:2], layers):
            linear.weight.copy_(layer.weight)
        inits.apply(cfg.init, net[-1].weight, cfg.init_scale, gen)
    x = weight_init.inputs(cfg)[0][:weight_init.TRAIN_ROWS]
    target = torch.randn(len(x), 1, generator=gen)
    opt = torch.optim.SGD(net.parameters(), lr=weight_init.TRAIN_LR)
    for _ in range(weight_init.TRAIN_STEPS):
        opt.zero_grad()
        torch.nn.MSELoss()(net(x), target).backward()
        opt.step()
    r = weight_init.run(cfg)
    for i, (linear, layer) in enumerate(zip(net[:-1:2], layers)):
        w = linear.weight.detach()
        expected = float((w.amax(0) - w.amin(0)).max() / w.abs().max())
        assert r.unit_spread[i] == pytest.approx(expected, rel=1e-5)
        assert r.train_change[i] == pytest.approx(float((w - layer.weight).abs().max()), rel=1e-3)
