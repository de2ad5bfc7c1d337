"""The link layer (nncore.ui.links): links written before it open the same Config; every page's Config, presets
included, survives Config -> link -> Config; a link built from a Config is what the page's own widgets write."""
from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import nncore.experiments
from nncore import data, training
from nncore.experiments import (activation_functions, activation_race, capacity, lr_schedules, optimizer_race,
                                schedule_race, weight_init)
from nncore.experiments.lr_finder import range_test as lr_range_test
from nncore.schedules import SCHEDULES, ScheduleSpec
from nncore.ui import links
from tests.pages.helpers import assert_clean, tr

S, O = ScheduleSpec.of, optimizer_race.OptimizerSpec


def _modules():
    return [importlib.import_module(m.name)
            for m in pkgutil.walk_packages(nncore.experiments.__path__, "nncore.experiments.")]


# every Config a page builds controls for: the experiments' own, and the shared runs they name (capacity.Config)
CONFIG_TYPES = sorted({v for m in _modules() for n, v in vars(m).items() if n.endswith("Config") and
                       dataclasses.is_dataclass(v)}, key=lambda t: f"{t.__module__}.{t.__name__}")
PRESET_CONFIGS = [(f"{m.__name__.split('.')[-1]}:{name}", cfg) for m in _modules() for table in
                  (v for n, v in vars(m).items() if n.endswith("PRESETS")) for name, preset in table.items()
                  for cfg in (preset.config if isinstance(preset.config, tuple) else (preset.config,))]

# Links as the app wrote them before the link layer (from tests/pages and the hand-written codecs it replaced)
OLD_LINKS = [
    (weight_init.Config, {"activation": "ReLU", "init": "He/Kaiming normal", "depth": "12", "seed": "3"},
     weight_init.Config(activation="relu", init="kaiming_normal", depth=12, seed=3)),
    (weight_init.Config, {"activation": "relu", "init": "kaiming_normal", "init_scale": "1.0"},   # typed by hand
     weight_init.Config(activation="relu", init="kaiming_normal", init_scale=1.0)),
    (weight_init.Config, {"depth": "1.2e1", "seed": "7e0", "batchnorm": "yes"},
     weight_init.Config(depth=12, seed=7, batchnorm=True)),
    (activation_race.Config, {"epochs": "3", "activations": ["Tanh", "ReLU"], "optimizer": "SGD", "lr": "10"},
     activation_race.Config(epochs=3, activations=("tanh", "relu"), optimizer="sgd", lr=10.0)),
    (activation_functions.Config, {"activations": ["ReLU", "maxout"], "maxout_k": "3"},
     activation_functions.Config(activations=("relu", "maxout"), maxout_k=3)),
    (optimizer_race.Config, {"surface": "Saddle point", "x0": "-0.5", "y0": "0.001", "steps": "150",
                             "racers": "sgd:lr=0.01~momentum:lr=0.01,momentum=0.9"},
     optimizer_race.Config(surface="saddle", start=(-0.5, 0.001), steps=150,
                           optimizers=(O("sgd", lr=0.01), O("momentum", lr=0.01, momentum=0.9)))),
    (optimizer_race.Config, {"racers": "sgd:~adam:beta1=0.9,beta2=0.999,lr=0.05"},
     optimizer_race.Config(optimizers=(O("sgd"), O("adam", lr=0.05)))),
    (optimizer_race.Config, {"racers": ""}, optimizer_race.Config(optimizers=())),
    (schedule_race.Config, {"s": "cosine;cosine~gradual:10:0.1", "epochs": "40"},
     schedule_race.Config(schedules=(S("cosine"), S("cosine", warmup="gradual", warmup_steps=10)), epochs=40)),
    (schedule_race.Config, {"s": "cyclic(max_lr=0.2);cosine"},
     schedule_race.Config(schedules=(S("cyclic", max_lr=0.2), S("cosine")))),
    (lr_schedules.Config, {"d": "multistep(milestones=20/60);one_cycle(max_lr=2,pct_start=0.5);multistep(milestones=15)"},
     lr_schedules.Config(schedules=(S("multistep", milestones=(20, 60)), S("one_cycle", max_lr=2, pct_start=0.5),
                                   S("multistep", milestones=(15,))))),
    (lr_schedules.Config, {"d": "cyclic~gradual:5:0.01(mode=triangular2,step_size_up=12)"},
     lr_schedules.Config(schedules=(S("cyclic", warmup="gradual", warmup_steps=5, warmup_factor=0.01,
                                     mode="triangular2", step_size_up=12),))),
    (capacity.Config, {"depth": "3", "width": "16", "dropout": "0.5", "optimizer": "SGD"},
     capacity.Config(hidden=(16, 16, 16), dropout=0.5, optimizer="sgd")),
]


@pytest.mark.parametrize("cfg_type, query, expected", OLD_LINKS,
                         ids=[f"{t.__module__.split('.')[-1]}-{i}" for i, (t, _, _) in enumerate(OLD_LINKS)])
def test_a_link_written_before_opens_the_same_config(cfg_type, query, expected):
    assert links.config(cfg_type, query) == (expected, [])


def test_the_range_tests_old_hand_written_link_to_the_race_opens_what_the_new_one_does():
    sweep = lr_range_test.Config(dataset="moons", noise=0.2, batch_size=64, optimizer="adam", seed=4)
    old = {"base_lr": "0.2", "dataset": data.DATASETS[sweep.dataset].label, "noise": f"{sweep.noise:g}",
           "samples": str(sweep.samples), "batch_size": str(sweep.batch_size),
           "optimizer": training.OPTIMIZERS[sweep.optimizer].label, "width": str(sweep.width), "seed": str(sweep.seed)}
    new = links.query(links.carry(schedule_race.Config, sweep, base_lr=0.2))
    assert links.config(schedule_race.Config, old) == links.config(schedule_race.Config, new)
    assert links.config(schedule_race.Config, new)[0] == schedule_race.Config(
        dataset="moons", noise=0.2, batch_size=64, optimizer="adam", seed=4, base_lr=0.2)   # epochs stay the race's


@pytest.mark.parametrize("cfg_type", CONFIG_TYPES, ids=lambda t: f"{t.__module__.split('.')[-1]}.{t.__name__}")
@pytest.mark.parametrize("prefix", ["", "b_"])
def test_every_pages_config_survives_its_link_with_every_field_written(cfg_type, prefix):
    cfg = cfg_type()
    written = {k: v for f in links.linked(cfg_type) if getattr(cfg, f.name) is not None
               for k, v in links.encode(cfg_type, f.name, getattr(cfg, f.name), prefix).items()}
    assert links.config(cfg_type, written, prefix) == (cfg, [])
    assert links.query(cfg, prefix) == {}           # the defaults: an empty link, as the widgets leave them out


@pytest.mark.parametrize("name, cfg", PRESET_CONFIGS, ids=[n for n, _ in PRESET_CONFIGS])
def test_every_preset_survives_its_link(name, cfg):
    assert links.config(type(cfg), links.query(cfg)) == (cfg, [])


@settings(max_examples=60, deadline=None)
@given(name=hs.sampled_from(sorted(SCHEDULES)), warmup=hs.sampled_from(["none", "constant", "gradual"]),
       w=hs.integers(1, 20), factor=hs.sampled_from([0.001, 0.1, 0.5, 0.123456789]), data=hs.data())
def test_any_schedule_set_survives_its_link(name, warmup, w, factor, data):
    by_kind = {"float": hs.sampled_from([0.1, 2.5, 1e-05, 1 / 3]), "lr": hs.sampled_from([0.0, 0.3, 5.0]),
               "int": hs.integers(0, 50), "steps": hs.integers(1, 50),
               "steps_list": hs.lists(hs.integers(1, 50), min_size=1, max_size=3, unique=True).map(sorted).map(tuple)}
    params = {k: data.draw(hs.sampled_from(knob.choices) if knob.kind == "choice" else by_kind[knob.kind])
              for k, knob in SCHEDULES[name].knobs.items() if data.draw(hs.booleans())}
    specs = (ScheduleSpec.of(name, warmup=warmup, warmup_steps=w, warmup_factor=factor, **params), S("cosine"))
    query = links.encode(schedule_race.Config, "schedules", specs)
    assert links.decode(schedule_race.Config, "schedules", {k: [v] for k, v in query.items()}) == specs


@settings(max_examples=40, deadline=None)
@given(racers=hs.lists(hs.sampled_from(sorted(optimizer_race.optimizers.OPTIMIZERS)), max_size=4),
       lr=hs.floats(1e-5, 10.0))
def test_any_racers_survive_their_link_exactly(racers, lr):
    specs = tuple(O(key, lr=lr) for key in racers)
    query = links.encode(optimizer_race.Config, "optimizers", specs)
    assert links.decode(optimizer_race.Config, "optimizers", {k: [v] for k, v in query.items()}) == specs


# (the Config, the link, the sentence: its message, then what fills it (a label is translated like the field's))
UNUSABLE = [
    (schedule_race.Config, {"s": "cosine("},
     ["{label}: {problem}.", dict(label="Schedules", problem=("{text} cannot be read", dict(text="'cosine('")))]),
    (optimizer_race.Config, {"racers": "sgd:lr=banana"},
     ["{label}: {problem}.", dict(label="Racers", problem=("{text} is not a number", dict(text="'banana'")))]),
    (optimizer_race.Config, {"racers": "sgd:lr"},
     ["{label}: {problem}.", dict(label="Racers", problem=("{item} is not name=value", dict(item="'lr'")))]),
    (optimizer_race.Config, {"x0": "inf"},
     ["{label} cannot be {text}.", dict(label=("{label}: {key}", dict(label="Start (x, y)", key="x0")), text="'inf'")]),
    (weight_init.Config, {"depth": "12.5"}, ["{label} cannot be {text}.", dict(label="Layers", text="'12.5'")]),
    (weight_init.Config, {"init_scale": "0.3"},
     ["{label} must be a 1-2-5 value (…, 0.1, 0.2, 0.5, 1, …) from {lo:g} to {hi:g} (got {value}).",
      dict(label="Scale", lo=1e-4, hi=10.0, value="0.3")]),
    (weight_init.Config, {"activation": "softmax"}, ["{label} must be one of: {choices} (got {value}).",
                                                     dict(label="Activation", choices=None, value="'softmax'")]),
    (activation_functions.Config, {"activations": ["ReLU", "Warp"]},
     ["{label} must be among: {choices} (got {bad}).", dict(label="Activations", choices=None, bad="'Warp'")]),
    (capacity.Config, {"width": "many"},
     ["{label} cannot be {text}.", dict(label=("{label}: {key}", dict(label="Hidden layers", key="width")),
                                        text="'many'")]),
]


def sentence(message: str, values: dict) -> str:
    """The sentence as the page writes it in the suite's language: the message and its values, each label and
    nested message translated (a value None: a part not compared, such as a long list of choices)."""
    filled = {k: sentence(*v) if isinstance(v, tuple) else tr(v) if k == "label" else v for k, v in values.items()}
    text = tr(message)
    if None in filled.values():   # compare up to the first part not given
        cut = min(text.index("{" + k) for k, v in filled.items() if v is None)
        return text[:cut].format(**{k: v for k, v in filled.items() if v is not None})
    return text.format(**filled)


@pytest.mark.parametrize("cfg_type, query, problem", UNUSABLE,
                         ids=[f"{c.__module__.split('.')[-1]}-{'-'.join(q)}" for c, q, _p in UNUSABLE])
def test_an_unusable_value_is_a_sentence_and_its_field_keeps_the_default(cfg_type, query, problem):
    cfg, problems = links.config(cfg_type, query)
    assert cfg == cfg_type() and len(problems) == 1 and problems[0].startswith(sentence(*problem)), problems


def test_a_repeat_field_holds_equal_values_only():
    with pytest.raises(ValueError) as err:
        links.query(capacity.Config(hidden=(64, 32)))
    assert str(err.value) == tr("{label}: a link holds equal values only (got {value}).").format(
        label=tr("Hidden layers"), value=(64, 32))


@pytest.mark.parametrize("name", list(weight_init.PRESETS))
def test_the_link_built_from_a_config_is_what_the_pages_widgets_write(open_page, name):
    at = open_page("pages/weight_init.py")
    at.button(key=f"preset.{name}").click().run()
    assert_clean(at)
    assert dict(at.query_params) == links.query(weight_init.PRESETS[name].config)


def test_a_multiple_choice_is_written_as_the_multiselect_writes_it(open_page):
    cfg = activation_race.Config(activations=("tanh", "relu"), epochs=3)
    at = open_page("pages/activation_race.py", **links.query(cfg))
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.multiselect(key="activations").value == ["tanh", "relu"]
    assert dict(at.query_params) == links.query(cfg) == {"activations": ["Tanh", "ReLU"], "epochs": "3"}
