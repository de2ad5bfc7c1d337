"""Controls in two groups (the lesson's own knobs in view, the rest of the setup folded in an expander), and the
usual lesson panel built on them: presets, controls on the left, the preset's banner and the cached run on the right.
"""
from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from nncore.params import Preset
from nncore.ui import links
from nncore.ui.cards import preset_banner
from nncore.ui.controls import controls
from nncore.ui.controls import presets as preset_buttons
from nncore.ui.i18n import N_, _
from nncore.ui.questions import predict
from nncore.ui.runner import run as cached_run


def split_controls(cfg_type: type, main: tuple[str, ...], prefix: str = "",
                   rest_label: str = N_("Data, network and training"), notice: bool = True, **fixed: Any) -> Any:
    """Widgets for the `main` fields, then the other fields inside a closed expander; one Config of both."""
    cfg = controls(cfg_type, prefix=prefix, only=main, notice=False, **fixed)
    with st.expander(_(rest_label), expanded=False):
        cfg = controls(cfg_type, prefix=prefix, exclude=main, notice=False, **{k: getattr(cfg, k) for k in main},
                       **fixed)
    if notice:   # one notice for both groups, outside the folded expander
        links.notice(cfg_type, prefix)
    return cfg


def panel(run: Callable, cfg_type: type, *, presets: dict[str, Preset], main: tuple[str, ...] = (), prefix: str = "",
          label: str = N_("Running the experiment"), draw: Callable[[], Any] | None = None,
          ask: str = "") -> tuple[Any, Any]:
    """Preset buttons, then on the left the `main` controls in view (the rest folded), on the right the preset's banner
    and `run` on the Config through the cache (`label`: its progress bar). `prefix`: of the controls' URL keys, for a
    page with two panels; `draw()`: the page's own controls instead, returning the Config (a table of units); `ask`:
    the lesson whose question (ui.predict) comes before the run.

    Returns (result, the right-hand column) so the page draws its charts there."""
    preset_buttons(presets, prefix=prefix, columns=4)
    left, right = st.columns([1, 3], gap="large")
    with left:
        cfg = draw() if draw else split_controls(cfg_type, main, prefix)
    with right:
        if ask:
            predict(ask)
        preset_banner(presets, cfg)
        return cached_run(run, cfg, label), right
