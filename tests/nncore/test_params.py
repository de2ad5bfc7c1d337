"""nncore.params: a config is checked against each field's declared type, then its choices and range."""
from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import numpy as np
import pytest

from nncore import experiments, regularization
from nncore.experiments import weight_init, optimizer_race
from nncore.params import Preset, check_value, param, validate
from tests.pages.helpers import tr


@dataclasses.dataclass(frozen=True)
class Demo:
    """Every kind of field a Config may declare (this module, too, has `from __future__ import annotations`)."""

    depth: int = param(10, 1, 100, label="Layers")
    scale: float = param(0.01, 1e-4, 10.0, label="Scale")
    name: str = param("", label="Name")
    activation: str = param("tanh", choices=("tanh", "relu"), label="Activation")
    batchnorm: bool = param(False, label="Batch norm")
    hidden: tuple[int, ...] = param((64, 64), label="Hidden layers")
    start: tuple[float, float] = param((-1.5, 2.0), label="Start (x, y)")
    racers: tuple = param(("tanh",), choices=("tanh", "relu"), label="Racers")
    patience: int | None = param(None, label="Patience")


MUST_BE = "{label} must be {kind} (got {value})."


def kind(name: str) -> str:
    """A kind of value as check_value words it, in the suite's language ("a tuple of 2 numbers")."""
    if name.startswith("a tuple of 2 "):
        return tr("a tuple of {n} {kinds}").format(n=2, kinds=tr(name.removeprefix("a tuple of 2 ")))
    if name.startswith("a tuple of "):
        return tr("a tuple of {kinds}").format(kinds=tr(name.removeprefix("a tuple of ")))
    if name.endswith(" or None"):
        return tr("{a} or {b}").format(a=tr(name.removesuffix(" or None")), b="None")
    return tr(name)


def must_be(label: str, kind_name: str, value: str) -> str:
    return tr(MUST_BE).format(label=tr(label), kind=kind(kind_name), value=value)


@pytest.mark.parametrize("field, value, sentence", [
    ("depth", 2.5, "Layers must be a whole number (got 2.5)."),
    ("depth", 3.0, "Layers must be a whole number: write 3, not 3.0."),
    ("depth", True, "Layers must be a whole number (got True)."),
    ("depth", "3", "Layers must be a whole number (got '3')."),
    ("scale", "0.1", "Scale must be a number (got '0.1')."),
    ("scale", False, "Scale must be a number (got False)."),
    ("name", 3, "Name must be a string (got 3)."),
    ("name", None, "Name must be a string (got None)."),
    ("batchnorm", 1, "Batch norm must be True or False (got 1)."),
    ("batchnorm", "yes", "Batch norm must be True or False (got 'yes')."),
    ("hidden", [64, 64], "Hidden layers must be a tuple of whole numbers (got [64, 64])."),
    ("hidden", (64, 2.5), "Hidden layers must be a tuple of whole numbers (got (64, 2.5))."),
    ("start", (1.0, 2.0, 3.0), "Start (x, y) must be a tuple of 2 numbers (got (1.0, 2.0, 3.0))."),
    ("racers", ["relu"], "Racers must be a tuple (got ['relu'])."),
    ("patience", 2.5, "Patience must be a whole number or None (got 2.5)."),
])
def test_a_value_of_the_wrong_type_is_refused_with_a_sentence(field, value, sentence):
    label = Demo.__dataclass_fields__[field].metadata["label"]
    if ": write " in sentence:
        expected = tr("{label} must be a whole number: write {whole}, not {value}.").format(
            label=tr(label), whole=3, value="3.0")
    else:   # the English sentence, taken apart: its kind and value, then put together in the suite's language
        kind_name, got = sentence.removeprefix(f"{label} must be ").removesuffix(").").split(" (got ")
        expected = must_be(label, kind_name, got)
    assert check_value(Demo, field, value) == expected
    assert tr(MUST_BE) != MUST_BE or expected == sentence


@pytest.mark.parametrize("field, value", [
    ("depth", 3), ("depth", np.int64(3)), ("scale", 1), ("scale", 0.5), ("scale", np.float32(0.5)), ("name", "x"),
    ("batchnorm", True), ("hidden", ()), ("hidden", (8, 4, 2)), ("start", (1, 2.5)), ("racers", ("relu", "tanh")),
    ("patience", None), ("patience", 5),
])
def test_a_value_of_the_declared_type_passes(field, value):
    assert check_value(Demo, field, value) is None


def test_choices_and_ranges_are_still_checked_after_the_type():
    assert check_value(Demo, "depth", 101) == tr("{label} must be between {lo:g} and {hi:g} (got {value:g}).").format(
        label=tr("Layers"), lo=1, hi=100, value=101)
    assert check_value(Demo, "scale", float("inf")) == tr("{label} must be a number (got {value}).").format(
        label=tr("Scale"), value="inf")
    assert check_value(Demo, "activation", "gelu") == tr("{label} must be one of: {choices} (got {value}).").format(
        label=tr("Activation"), choices="tanh, relu", value="'gelu'")
    assert check_value(Demo, "racers", ("gelu",)) == tr("{label} must be among: {choices} (got {bad}).").format(
        label=tr("Racers"), choices="tanh, relu", bad="'gelu'")


@pytest.mark.parametrize("cfg, sentence", [
    (weight_init.Config(depth=2.5), "Layers must be a whole number (got 2.5)."),
    (weight_init.Config(batchnorm=1), "Batch norm must be True or False (got 1)."),
    (regularization.Config(hidden=[64, 64]), "Hidden layers must be a tuple of whole numbers (got [64, 64])."),
    (optimizer_race.Config(expression=3), "f(x, y) must be a string (got 3)."),
])
def test_run_refuses_a_config_of_the_wrong_type(cfg, sentence):
    # the experiments' own Configs, whose types are strings under `from __future__ import annotations`
    with pytest.raises(ValueError) as err:
        validate(cfg)
    label, rest = sentence.split(" must be ")
    kind_name, got = rest.removesuffix(").").split(" (got ")
    assert str(err.value) == must_be(label, kind_name, got)   # the sentence in the suite's language


def _shipped_configs():
    """Every experiment's default Config and every preset's Config: what the app runs."""
    for info in pkgutil.walk_packages(experiments.__path__, f"{experiments.__name__}."):
        module, short = importlib.import_module(info.name), info.name.removeprefix(f"{experiments.__name__}.")
        for name, obj in vars(module).items():
            if name == "Config" and dataclasses.is_dataclass(obj):
                yield f"{short}.Config()", obj()
            if isinstance(obj, dict) and obj and all(isinstance(v, Preset) for v in obj.values()):
                yield from ((f"{short}.{name}[{k!r}]", p.config) for k, p in obj.items()
                            if dataclasses.is_dataclass(p.config))


def test_every_shipped_default_and_preset_has_the_declared_types():
    shipped = dict(_shipped_configs())
    assert len(shipped) > 50, sorted(shipped)
    problems = {}
    for where, cfg in shipped.items():
        try:
            validate(cfg)
        except ValueError as err:
            problems[where] = str(err)
    assert not problems, problems
