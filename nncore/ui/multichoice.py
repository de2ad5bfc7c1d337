"""A multiple choice from a registry (a Config field whose default is a tuple of keys), bound to the URL."""
from __future__ import annotations

import dataclasses

import streamlit as st

from nncore.params import label_of, spec
from nncore.ui import links
from nncore.ui.i18n import _


def multiselect(cfg_type: type, field: dataclasses.Field, key: str) -> tuple:
    """A multiselect over the field's choices (shown by their labels), bound to the URL under `key`.

    The link was read before (nncore.ui.links); an empty selection is returned as () for the experiment to refuse.
    """
    meta = spec(cfg_type, field.name)
    # default= also after a preset set the value: Streamlit leaves the widget's default out of the URL
    chosen = st.multiselect(label_of(cfg_type, field.name), list(meta["choices"]), list(field.default), key=key,
                            format_func=lambda k: links.shown(meta, k), help=_(meta.get("help")) or None,
                            bind="query-params", wrap=True)
    return tuple(chosen)
