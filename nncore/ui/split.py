"""Controls in two groups: the lesson's own knobs in view, the rest of the setup folded in an expander."""
from __future__ import annotations

from typing import Any

import streamlit as st

from nncore.ui.controls import controls


def split_controls(cfg_type: type, main: tuple[str, ...], prefix: str = "",
                   rest_label: str = "Data, network and training", **fixed: Any) -> Any:
    """Widgets for the `main` fields, then the other fields inside a closed expander; one Config of both."""
    cfg = controls(cfg_type, prefix=prefix, only=main, **fixed)
    with st.expander(rest_label, expanded=False):
        return controls(cfg_type, prefix=prefix, exclude=main, **{k: getattr(cfg, k) for k in main}, **fixed)
