"""A multiple choice from a registry (a Config field whose default is a tuple of keys), bound to the URL."""
from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from nncore.params import label_of, spec


def multiselect(cfg_type: type, field: dataclasses.Field, key: str) -> tuple:
    """A multiselect over the field's choices (shown by their labels), bound to the URL under `key`.

    Streamlit drops unknown URL values itself; an empty selection is returned as () for the experiment to refuse.
    """
    meta = spec(cfg_type, field.name)
    labels = meta.get("labels") or {}
    extra: dict[str, Any] = {} if key in st.session_state else {"default": list(field.default)}
    chosen = st.multiselect(label_of(cfg_type, field.name), list(meta["choices"]), key=key,
                            format_func=lambda k: labels.get(k, k), help=meta.get("help") or None,
                            bind="query-params", wrap=True, **extra)
    return tuple(chosen)
