"""What the activation experiments share: a Result with one row per chosen activation, and the empty-choice check."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nncore.activations import ACTIVATIONS
from nncore.i18n import _


@dataclass(frozen=True)
class PerActivation:
    """Base of a Result whose arrays have one row per chosen activation, in `names` order."""

    config: Any
    names: tuple      # keys of nncore.activations.ACTIVATIONS
    labels: tuple     # their labels, for charts that must not import torch


def labels(names) -> tuple:
    """The registry labels of activation keys."""
    return tuple(ACTIVATIONS[n].label for n in names)


def require_choice(names, what: str | None = None) -> None:
    """Raise ValueError when no activation is chosen (an empty multiselect): `what`, a translated sentence, or
    "Pick at least one activation." in the current language."""
    if not names:
        raise ValueError(what or _("Pick at least one activation."))
