"""The link layer: how every page's state is written in its URL and read back, and one notice for what was not usable.

Table-driven, like TF Playground's state.ts: a Config field's declared type and its metadata (`nncore.params.param`)
say how it is written, so a page needs no codec of its own:

    int, float, str                  seed=3  noise=0.4  expression=x**2   (a log-scale field: lr=0.001)
    a choice                         activation=ReLU          (its label, as the selectbox shows it)
    bool                             batchnorm=true
    a tuple with choices             activations=ReLU&activations=Tanh
    link=Each(("x0", "y0"))          x0=-1.5&y0=2
    link=Repeat("depth", "width")    depth=2&width=64          for (64, 64)
    link=Records("racers", "{key}[:{hparams}]", "~")           racers=sgd:lr=0.001~adam:beta1=0.9,beta2=0.999,lr=0.05

Keys take the control group's prefix (b_depth). A link may also spell a value as a person types it (a choice's nncore
key, 12.0 for 12, yes for true): `mend` rewrites it the way the widget writes it, and drops an unusable value with a
sentence for the page's link notice.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import re
import types
import typing
from typing import Any, Callable, Iterable, Mapping, Union

import streamlit as st

from nncore.params import Each, Records, Repeat, check_value, field_type, label_of, spec
from nncore.ui.i18n import _

Query = Mapping[str, list[str]]          # a URL query: each key's values, in order (a multiple choice repeats its key)
_BOOLS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "on": True, "off": False}
_FIELD = re.compile(r"\{(\w+)\}")        # a record field in a Records template
_OPTIONAL = re.compile(r"(\[[^\]]*\])")  # a part of a template that is left out while its fields hold their defaults
_WORD, _ANY = r"[\w.+-]*?", r".*?"       # what a plain field (a name, a number) and a tuple field may be in a record


def log_grid(lo: float, hi: float) -> list[float]:
    """The 1-2-5 values between lo and hi: what a log-scale field's slider shows, so the values a link may hold."""
    values = [m * 10.0**e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
              for m in (1, 2, 5)]
    return [float(f"{v:.6g}") for v in values if lo <= v <= hi]


# --- one value: text as a widget writes it, and back --------------------------------------------------------------

def _number_text(value: float) -> str:
    """A number as Streamlit writes it in a URL, exactly: 5.0 as "5", 0.1 as "0.1"."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def shown(meta: dict, key: str) -> str:
    """A choice as its widget shows it, and so as a link writes it: its registry label, or the key itself."""
    return (meta.get("labels") or {}).get(key, key)


def _text(meta: dict, value: Any) -> str:
    """One value as its widget writes it: a bool as true/false, a choice by its label, a log-scale number as %g."""
    if isinstance(value, bool):
        return str(value).lower()
    if meta.get("choices") is not None:
        return shown(meta, value)
    if meta.get("log"):
        return f"{value:g}"
    return _number_text(value) if isinstance(value, (int, float)) else str(value)


def _plain_type(tp: Any) -> Any:
    """`int` for `int | None`: a link holds a value, never None."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else Any
    return tp


def _value(meta: dict, tp: Any, text: str, label: str) -> Any:
    """A URL text as a value of type `tp` (a choice's label or key as its key); ValueError if it is not one."""
    tp = _plain_type(tp)
    cannot = ValueError(_("{label} cannot be {text}.").format(label=label, text=repr(text)))
    if tp is bool:
        if text.lower() not in _BOOLS:
            raise cannot
        return _BOOLS[text.lower()]
    if meta.get("choices") is not None:
        return {label_: key for key, label_ in (meta.get("labels") or {}).items()}.get(text, text)
    if tp in (int, float):
        try:
            number = float(text)
        except ValueError:
            raise cannot from None
        if not math.isfinite(number) or tp is int and not number.is_integer():
            raise cannot
        return int(number) if tp is int else number
    return text


# --- records: a template such as "{name}[~{warmup}:{warmup_steps}:{warmup_factor}][({params})]" ------------------

def _parts(item: str) -> list[tuple[str, bool]]:
    """The template's parts in order, each with whether it is optional (was in brackets)."""
    return [(p[1:-1], True) if p.startswith("[") else (p, False) for p in _OPTIONAL.split(item) if p]


def _item_text(value: Any) -> str:
    """A record field's text: (name, value) pairs as "a=1,b=2", a tuple as "3/6", a number exactly."""
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) for v in value):
        return ",".join(f"{k}={_item_text(v)}" for k, v in value)
    if isinstance(value, tuple):
        return "/".join(map(_item_text, value))
    return _number_text(value) if isinstance(value, (int, float)) else str(value)


def _write_record(item: str, record: Any) -> str:
    defaults = {f.name: f.default for f in dataclasses.fields(record)}
    out = []
    for part, optional in _parts(item):
        names = _FIELD.findall(part)
        if not (optional and all(getattr(record, n) == defaults[n] for n in names)):
            out.append(_FIELD.sub(lambda m: _item_text(getattr(record, m[1])), part))
    return "".join(out)


@functools.cache
def _pattern(item: str, record_type: type) -> re.Pattern:
    """The regular expression that reads a template's text: one named group per field."""
    hints = typing.get_type_hints(record_type)
    regex = ""
    for part, optional in _parts(item):
        pieces = _FIELD.split(part)             # literal, field, literal, field, ...
        body = "".join(re.escape(p) if i % 2 == 0 else
                       f"(?P<{p}>{_ANY if typing.get_origin(hints[p]) is tuple else _WORD})"
                       for i, p in enumerate(pieces))
        regex += f"(?:{body})?" if optional else body
    return re.compile(regex)


def _loose(text: str) -> Any:
    """A value of no declared type: "3/6" -> (3, 6), "5" -> 5, "0.1" -> 0.1, anything else stays text."""
    if "/" in text:
        return tuple(_loose(t) for t in text.split("/"))
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _item_value(tp: Any, text: str) -> Any:
    """A record field from its text, by its declared type; ValueError if it is not one."""
    if typing.get_origin(tp) is tuple:          # (name, value) pairs
        value_type = typing.get_args(typing.get_args(tp)[0])[1]
        pairs = []
        for item in filter(None, text.split(",")):
            name, eq, value = item.partition("=")
            if not eq:
                raise ValueError(_("{item} is not name=value").format(item=repr(item)))
            pairs.append((name, _item_value(value_type, value)))
        return tuple(pairs)
    if tp is float:
        try:
            return float(text)
        except ValueError:
            raise ValueError(_("{text} is not a number").format(text=repr(text))) from None
    return _value({}, tp, text, repr(text)) if tp in (int, bool) else _loose(text) if tp is Any else text


def _read_record(item: str, record_type: type, text: str) -> Any:
    match = _pattern(item, record_type).fullmatch(text.strip())
    if not match:
        raise ValueError(_("{text} cannot be read").format(text=repr(text)))
    hints = typing.get_type_hints(record_type)
    fields = {name: _item_value(hints[name], value) for name, value in match.groupdict().items() if value is not None}
    try:
        return record_type(**fields)
    except TypeError as err:
        raise ValueError(_("{text} cannot be read ({error})").format(text=repr(text), error=err)) from None


# --- one field: its keys, its text, its value ---------------------------------------------------------------------

def keys(cfg_type: type, name: str, prefix: str = "") -> tuple[str, ...]:
    """The URL keys of one field: its name, or the keys its `link` metadata names; each with the prefix."""
    link = spec(cfg_type, name).get("link")
    names = (link.keys if isinstance(link, Each) else (link.count, link.value) if isinstance(link, Repeat)
             else (link.key,) if isinstance(link, Records) else (name,))
    return tuple(prefix + k for k in names)


def encode(cfg_type: type, name: str, value: Any, prefix: str = "") -> dict[str, str | list[str]]:
    """One field's value as URL texts by key, as the page's widgets write it."""
    meta, link, key = spec(cfg_type, name), spec(cfg_type, name).get("link"), keys(cfg_type, name, prefix)
    if isinstance(link, Each):
        return {k: _text(meta, v) for k, v in zip(key, value)}
    if isinstance(link, Repeat):
        if len(set(value)) != 1:
            raise ValueError(_("{label}: a link holds equal values only (got {value}).").format(
                label=label_of(cfg_type, name), value=value))
        return {key[0]: str(len(value)), key[1]: _text(meta, value[0])}
    if isinstance(link, Records):
        return {key[0]: link.sep.join(_write_record(link.item, r) for r in value)}
    if isinstance(value, tuple):                # a multiple choice; "" is the empty selection
        return {key[0]: [_text(meta, v) for v in value] or [""]}
    return {key[0]: _text(meta, value)}


def decode(cfg_type: type, name: str, query: Query, prefix: str = "", default: Any = None) -> Any:
    """One field's value in a URL query; its keys the query lacks keep `default`'s part (the field's default if None).

    ValueError with a sentence a student understands if the value is not usable: it does not parse, the Config
    refuses it (nncore.params.check_value), or a log-scale slider cannot show it."""
    meta, tp, label = spec(cfg_type, name), field_type(cfg_type, name), label_of(cfg_type, name)
    link, key = meta.get("link"), keys(cfg_type, name, prefix)
    default = next(f.default for f in dataclasses.fields(cfg_type) if f.name == name) if default is None else default
    texts = {k: query[k] for k in key if k in query}
    element = typing.get_args(_plain_type(tp))[0] if typing.get_args(_plain_type(tp)) else Any

    def one(k: str, tp_: Any, fallback: Any) -> Any:     # the value under key k (named if the field has several)
        named = label if len(key) == 1 else _("{label}: {key}").format(label=label, key=k)
        return _value(meta, tp_, texts[k][-1], named) if k in texts else fallback

    if isinstance(link, Each):
        value = tuple(one(k, element, d) for k, d in zip(key, default))
    elif isinstance(link, Repeat):
        value = (one(key[1], element, default[0] if default else None),) * one(key[0], int, len(default))
    elif isinstance(link, Records):
        text = texts[key[0]][-1]
        try:
            value = tuple(_read_record(link.item, element, part) for part in text.split(link.sep)) if text else ()
        except ValueError as err:
            raise ValueError(_("{label}: {problem}.").format(label=label, problem=err)) from None
    elif isinstance(default, tuple):            # a multiple choice
        value = tuple(_value(meta, str, t, label) for t in texts[key[0]] if t)
    else:
        value = one(key[0], tp, default)
    problem = check_value(cfg_type, name, value)
    if problem is None and meta.get("log") and value not in log_grid(meta["lo"], meta["hi"]):
        problem = _("{label} must be a 1-2-5 value (…, 0.1, 0.2, 0.5, 1, …) from {lo:g} to {hi:g} "
                    "(got {value}).").format(label=label, lo=meta["lo"], hi=meta["hi"], value=texts[key[0]][-1])
    if problem:
        raise ValueError(problem)
    return value


# --- a whole Config -------------------------------------------------------------------------------------------------

def linked(cfg_type: type) -> list[dataclasses.Field]:
    """The fields that live in a link: all but a nested Config (PathConfig.base), which the page sets itself."""
    return [f for f in dataclasses.fields(cfg_type) if not dataclasses.is_dataclass(f.default)]


def query(cfg: Any, prefix: str = "", only: Iterable[str] | None = None) -> dict[str, str | list[str]]:
    """The link of a Config (its fields in `only`, or all): each field that differs from its default, as the page's
    widgets write it (they too leave out a value equal to the default)."""
    out: dict[str, str | list[str]] = {}
    for f in linked(type(cfg)):
        value = getattr(cfg, f.name)
        if (only is None or f.name in only) and value != f.default and value is not None:
            out |= encode(type(cfg), f.name, value, prefix)
    return out


def config(cfg_type: type, query: Mapping[str, str | list[str]], prefix: str = "") -> tuple[Any, list[str]]:
    """The Config a link opens, and why each of its unusable values was not used (those fields keep their default)."""
    query = {k: [v] if isinstance(v, str) else list(v) for k, v in query.items()}
    values, problems = {}, []
    for f in linked(cfg_type):
        if any(k in query for k in keys(cfg_type, f.name, prefix)):
            try:
                values[f.name] = decode(cfg_type, f.name, query, prefix)
            except ValueError as err:
                problems.append(str(err))
    return cfg_type(**values), problems


# --- this page's link -----------------------------------------------------------------------------------------------

def _current() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _notes(cfg_type: type, prefix: str) -> list[str]:
    return st.session_state.setdefault(f"_link_notes.{cfg_type.__module__}.{cfg_type.__qualname__}.{prefix}", [])


def note(cfg_type: type, problem: str, prefix: str = "") -> None:
    """Remember, for this session, a value of the link that was not usable (notice() shows it)."""
    if problem not in (notes := _notes(cfg_type, prefix)):
        notes.append(problem)


def notice(cfg_type: type, *prefixes: str) -> None:
    """The one message for unusable link values of these control groups: which, and that defaults show instead."""
    problems = [p for prefix in prefixes or ("",) for p in _notes(cfg_type, prefix)]
    if problems:
        st.warning(_("Some values in this link were not usable and were replaced by defaults: {problems}").format(
                   problems=" ".join(problems)),
                   icon=":material/link_off:")


def read(cfg_type: type, name: str, prefix: str = "", *, default: Any = None,
         check: Callable[[Any], None] | None = None) -> Any:
    """One field's value in this page's link, or None if the link does not have it.

    A usable value spelled otherwise than its widget writes it is rewritten; an unusable one (see decode, or
    `check(value)`, the control's own limits, raises ValueError) is dropped from the link and noted for notice()."""
    now = _current()
    present = [k for k in keys(cfg_type, name, prefix) if k in now]
    if not present:
        return None
    try:
        value = decode(cfg_type, name, now, prefix, default)
        if check:
            check(value)
    except ValueError as err:
        note(cfg_type, str(err), prefix)
        for k in present:
            del st.query_params[k]
        return None
    written = encode(cfg_type, name, value, prefix)
    for k in present:
        if now[k] != ([written[k]] if isinstance(written[k], str) else written[k]) and _exact(cfg_type, name):
            st.query_params[k] = written[k]
    return value


def _exact(cfg_type: type, name: str) -> bool:
    """Whether the field's widget reads only the text it writes ("12" for 12, "ReLU"): a slider or number input of
    floats reads "2", "2.0" and "2e0" alike, and rewriting its own "2.0" as "2" would only fight it."""
    meta, tp = spec(cfg_type, name), _plain_type(field_type(cfg_type, name))
    element = typing.get_args(tp)[0] if typing.get_origin(tp) is tuple else tp
    return element is not float or bool(meta.get("log"))


def mend(cfg_type: type, names: Iterable[str], prefix: str = "", defaults: dict[str, Any] | None = None,
         checks: dict[str, Callable[[Any], None]] | None = None) -> None:
    """Before bound widgets read the link (as it was when the page opened): read each field (see read), and rerun
    if the link changed, so that the widgets read the mended one (some crash on a value like seed=inf)."""
    before = _current()
    for name in names:
        read(cfg_type, name, prefix, default=(defaults or {}).get(name), check=(checks or {}).get(name))
    if _current() != before:
        st.rerun()


def write(cfg_type: type, name: str, value: Any, prefix: str = "") -> None:
    """Put one field's value in this page's link (for controls that are no bound widget: racers, schedules)."""
    st.query_params.update(encode(cfg_type, name, value, prefix))


def carry(cfg_type: type, source: Any, **values: Any) -> Any:
    """A `cfg_type` with `source`'s setup (the fields of the Config class both are built on, such as the learning-rate
    experiments' data, network and training Setup), then `values`: the state a page hands to another."""
    common = next(c for c in type(source).__mro__ if dataclasses.is_dataclass(c) and issubclass(cfg_type, c))
    return cfg_type(**{f.name: getattr(source, f.name) for f in dataclasses.fields(common)}, **values)


def open_page(page: str, cfg: Any) -> None:
    """Switch to another page showing `cfg`: its link is built from that page's Config, as its widgets write it."""
    st.switch_page(page, query_params=query(cfg))
