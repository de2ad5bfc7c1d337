"""Registry entries as cards: label, formula and derivative in LaTeX, facts, and the lecture's pros and cons."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import streamlit as st

from nncore.ui.controls import active_preset
from nncore.ui.i18n import N_, _


def _facts(entry: Any) -> list[str]:
    facts = []
    if hasattr(entry, "range_text"):
        facts.append(_("**Range** {range}").format(range=entry.range_text()))
    if hasattr(entry, "zero_centered"):
        facts.append(_("**Zero-centered**") if entry.zero_centered else _("**Not zero-centered**"))
    for attr, name in (("saturates", N_("Saturates")), ("cost", N_("Cost"))):
        if getattr(entry, attr, ""):
            shown = getattr(entry, f"{attr}_text", None)   # a text made when shown (nncore.activations' edges)
            facts.append(f"**{_(name)}:** {shown() if shown else _(getattr(entry, attr))}")
    return facts


def registry_cards(registry: dict, names: Iterable[str], columns: int = 3) -> None:
    """One bordered card per chosen entry of a registry (ACTIVATIONS, ...), `columns` to a row."""
    names = list(names)
    for start in range(0, len(names), columns):
        cols = st.columns(columns)
        for col, name in zip(cols, names[start:start + columns]):
            entry = registry[name]
            with col.container(border=True):
                st.markdown(f"#### {entry.label}")
                st.latex(entry.formula)
                if getattr(entry, "derivative", ""):
                    st.latex(entry.derivative)
                st.caption(_(entry.note))
                st.markdown(" · ".join(_facts(entry)))
                pros, cons = getattr(entry, "pros", ()), getattr(entry, "cons", ())
                if pros or cons:
                    st.markdown("\n".join([f"- :green[+] {_(p)}" for p in pros] + [f"- :red[−] {_(c)}" for c in cons]))
                if getattr(entry, "lecture", ""):
                    st.caption(f":material/menu_book: {_(entry.lecture)}")


def preset_banner(table: dict, cfg: Any, *, same: Callable[[Any], Any] | None = None,
                  more: Callable[[str], str] | None = None) -> None:
    """If the controls show one of the presets, its name, what to notice and where the lecture has it.

    `same(config)`: the form in which two configs are compared (a schedule set with its defaults spelled out);
    `more(name)`: what follows the note (what the preset's runs showed, computed from them)."""
    if found := active_preset(table, cfg, same):
        name, preset = found
        note = " ".join(filter(None, (_(preset.note), more(name) if more else "")))
        lecture = f" ({preset.lecture})" if preset.lecture else ""
        st.success(f"**{_(name)}** — {note}{lecture}", icon=":material/school:")
