"""Config fields that carry their own label, help and valid range, and the check of a config against them."""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Iterable


def param(default: Any, lo: float | None = None, hi: float | None = None, *, label: str = "",
          help: str = "", choices: Iterable[str] | None = None, log: bool = False,
          step: float | None = None) -> Any:
    """A dataclass field whose metadata says how to show it and which values are valid.

    `choices` may be a registry dict: its keys are the valid values and its entries' `.label` the shown names.
    """
    labels = {k: v.label for k, v in choices.items() if hasattr(v, "label")} if isinstance(choices, dict) else {}
    meta = dict(label=label, help=help, lo=lo, hi=hi, log=log, step=step, labels=labels,
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
    field = next(f for f in dataclasses.fields(cfg_type) if f.name == name)
    return dict(field.metadata)


def label_of(cfg_type: type, name: str) -> str:
    """The human label of a field, falling back to its name."""
    return spec(cfg_type, name).get("label") or name.replace("_", " ")


def check_value(cfg_type: type, name: str, value: Any) -> str | None:
    """None if `value` is valid for the field, otherwise a sentence that says why not."""
    meta, label = spec(cfg_type, name), label_of(cfg_type, name)
    choices, lo, hi = meta.get("choices"), meta.get("lo"), meta.get("hi")
    if choices is not None and isinstance(value, tuple):  # a multiple choice: every element must be valid
        bad = [v for v in value if v not in choices]
        return f"{label} must be among: {', '.join(choices)} (got {', '.join(map(repr, bad))})." if bad else None
    if choices is not None:
        return None if value in choices else f"{label} must be one of: {', '.join(choices)} (got {value!r})."
    if isinstance(value, bool) or lo is None and hi is None:
        return None
    if not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        return f"{label} must be a number (got {value!r})."
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return f"{label} must be between {lo:g} and {hi:g} (got {value:g})."
    return None


def validate(cfg: Any) -> None:
    """Raise ValueError with a student-readable sentence for the first invalid field of a config."""
    for field in dataclasses.fields(cfg):
        problem = check_value(type(cfg), field.name, getattr(cfg, field.name))
        if problem:
            raise ValueError(problem)
