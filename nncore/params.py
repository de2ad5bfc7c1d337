"""Config fields that carry their own label, help and valid range, and the check of a config against them."""
from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import types
import typing
from typing import Any, Callable, Iterable, Union

from nncore.i18n import N_, _


@dataclasses.dataclass(frozen=True)
class Each:
    """A fixed-length tuple in a link, each element under its own key: start (-1.5, 2.0) as x0=-1.5&y0=2."""

    keys: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Repeat:
    """A tuple of equal values in a link, as how many and which: hidden (64, 64) as depth=2&width=64."""

    count: str
    value: str


@dataclasses.dataclass(frozen=True)
class Records:
    """A tuple of records (frozen dataclasses) in a link, under one key: each written by the `item` template, the
    records joined by `sep`.

    The template names the record's fields in braces; a part in brackets is left out while its fields hold their
    defaults: "{name}[~{warmup}:{warmup_steps}:{warmup_factor}][({params})]" writes "cosine", "cosine~gradual:5:0.1"
    or "step(gamma=0.5)". A field of (name, value) pairs is written "gamma=0.5,step_size=3"; a tuple value "3/6".
    """

    key: str
    item: str
    sep: str


Link = Union[Each, Repeat, Records]


def param(default: Any, lo: float | None = None, hi: float | None = None, *, label: str = "",
          help: str = "", choices: Iterable[str] | None = None, log: bool = False,
          step: float | None = None, link: Link | None = None, accepts: Callable[[Any], bool] | None = None) -> Any:
    """A dataclass field whose metadata says how to show it, which values are valid and how a link writes it.

    `choices` may be a registry dict: its keys are the valid values and its entries' `.label` the shown names.
    `link`: how a tuple that is not a multiple choice is written in a page's URL (see nncore.ui.links); without
    it, a field is written under its own name, as its widget shows it. `accepts(value)`: a value beyond `choices`
    that is valid too (an uploaded data set's name, nncore.uploads.is_upload).
    """
    labels = {k: v.label for k, v in choices.items() if hasattr(v, "label")} if isinstance(choices, dict) else {}
    meta = dict(label=label, help=help, lo=lo, hi=hi, log=log, step=step, labels=labels, link=link, accepts=accepts,
                choices=tuple(choices) if choices is not None else None)
    return dataclasses.field(default=default, metadata=meta)


@dataclasses.dataclass(frozen=True)
class Preset:
    """A named configuration from the lectures, with what to notice when it runs and where the lecture shows it."""

    config: Any
    note: str
    lecture: str = ""


def spec(cfg_type: type, name: str) -> dict:
    """The metadata of one Config field (label, help, lo, hi, choices, ...)."""
    return dict(_fields(cfg_type)[name].metadata)


@functools.cache
def _fields(cfg_type: type) -> dict[str, dataclasses.Field]:
    """A Config type's fields by name (validate looks each one up on every rerun of a page)."""
    return {f.name: f for f in dataclasses.fields(cfg_type)}


def label_of(cfg_type: type, name: str) -> str:
    """The human label of a field in the current language, falling back to its name."""
    return _(spec(cfg_type, name).get("label")) or name.replace("_", " ")


@functools.cache
def _declared_types(cfg_type: type) -> dict[str, Any]:
    """Each field's declared type, resolved (under `from __future__ import annotations` they are strings)."""
    try:
        return typing.get_type_hints(cfg_type)
    except (NameError, TypeError):  # a name only imported for type checkers: fall back to the defaults' types
        return {f.name: type(f.default) for f in dataclasses.fields(cfg_type) if f.default is not None}


def field_type(cfg_type: type, name: str) -> Any:
    """The declared type of one Config field (int, float, str, bool, tuple[int, ...], int | None, ...)."""
    return _declared_types(cfg_type).get(name, Any)


def _fits(tp: Any, value: Any) -> bool:
    """Whether `value` is of the declared type `tp`: an int for int (not a bool, not 2.5), an int or float for float."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return True
    if origin in (Union, types.UnionType):
        return any(_fits(arg, value) for arg in args)
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_fits(args[0], v) for v in value)
        return not args or len(value) == len(args) and all(map(_fits, args, value))
    return isinstance(value, origin or tp) if isinstance(origin or tp, type) else True


# What a value of a type is, in a student's words: each noun phrase whole, so a language can decline it.
_WORDS = {int: (N_("a whole number"), N_("whole numbers")), float: (N_("a number"), N_("numbers")),
          str: (N_("a string"), N_("strings")), bool: (N_("True or False"), N_("True/False values")),
          type(None): ("None", "None")}


def _kind(tp: Any, plural: bool = False) -> str:
    """What a value of type `tp` is, in a student's words ("a whole number", "a tuple of 2 numbers", ...)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (Union, types.UnionType):
        kinds = [_kind(arg, plural) for arg in args]
        return functools.reduce(lambda a, b: _("{a} or {b}").format(a=a, b=b), kinds)
    if tp is tuple or origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _("a tuple of {kinds}").format(kinds=_kind(args[0], plural=True))
        if args and len(set(args)) == 1:
            return _("a tuple of {n} {kinds}").format(n=len(args), kinds=_kind(args[0], plural=True))
        return _("a tuple")
    if tp in _WORDS:
        return _(_WORDS[tp][plural])
    name = getattr(tp, "__name__", str(tp))
    return f"{name}s" if plural else f"a {name}"


def check_value(cfg_type: type, name: str, value: Any) -> str | None:
    """None if `value` is valid for the field, otherwise a sentence that says why not.

    The value is written as Python (and a link) writes it, `{value!r}` and `{lo:g}`: the sentence quotes what the
    student typed, so its numbers keep their decimal point in every language."""
    meta, label = spec(cfg_type, name), label_of(cfg_type, name)
    tp = field_type(cfg_type, name)
    if not _fits(tp, value):
        if tp is int and isinstance(value, float) and value.is_integer():
            return _("{label} must be a whole number: write {whole}, not {value}.").format(
                label=label, whole=int(value), value=repr(value))
        return _("{label} must be {kind} (got {value}).").format(label=label, kind=_kind(tp), value=repr(value))
    choices, lo, hi = meta.get("choices"), meta.get("lo"), meta.get("hi")
    if choices is not None and isinstance(value, tuple):  # a multiple choice: every element must be valid
        bad = [v for v in value if v not in choices]
        return _("{label} must be among: {choices} (got {bad}).").format(
            label=label, choices=", ".join(choices), bad=", ".join(map(repr, bad))) if bad else None
    if choices is not None and (value in choices or meta.get("accepts") and meta["accepts"](value)):
        return None
    if choices is not None:
        return _("{label} must be one of: {choices} (got {value}).").format(
            label=label, choices=", ".join(choices), value=repr(value))
    if isinstance(value, bool) or lo is None and hi is None:
        return None
    if not isinstance(value, numbers.Real) or not math.isfinite(value):
        return _("{label} must be a number (got {value}).").format(label=label, value=repr(value))
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return _("{label} must be between {lo:g} and {hi:g} (got {value:g}).").format(label=label, lo=lo, hi=hi,
                                                                                      value=value)
    return None


def validate(cfg: Any) -> None:
    """Raise ValueError with a student-readable sentence for the first invalid field of a config."""
    for field in dataclasses.fields(cfg):
        problem = check_value(type(cfg), field.name, getattr(cfg, field.name))
        if problem:
            raise ValueError(problem)
