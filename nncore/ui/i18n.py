"""The lab in the lectures' languages: the session's language from the link (`?lang=es`), the sidebar's selector, and
the gettext catalog (nncore/locale/<lang>/LC_MESSAGES/nncore.mo) that translates a string, English when it has none.

Strings in code are wrapped in `_()` (shown now) or `N_()` (data such as the course map, translated where shown);
numbers go in as placeholders (`_("{n} runs").format(n=3)`), so a translation can move them. The catalogs are made
with Babel (`scripts/i18n.sh`: extract, update, compile); the app reads the committed .mo files with the stdlib's
gettext, so serving needs no Babel and no writable directory.
"""
from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

import streamlit as st

LOCALES = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "nncore"
KEY = "lang"                     # the URL's ?lang=
WIDGET = "_lang"                 # the selector's key: the session's language after a page switch clears the URL
# The lectures' languages (000 Portuguese, 002 Korean, 003 Spanish), each named in its own language.
LANGUAGES = {"en": "English", "es": "Español", "pt": "Português", "ko": "한국어"}
DEFAULT = "en"
_DECIMAL_COMMA = {"es", "pt"}


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it here (the course map: translated where it is shown)."""
    return message


def language() -> str:
    """The session's language: the link's `?lang=`, else the selector's last value (a page switch clears the link),
    else English (also outside a Streamlit run)."""
    try:
        lang = st.query_params.get(KEY) or st.session_state.get(WIDGET, DEFAULT)
    except Exception:   # no Streamlit session (a script, a notebook, a worker thread): English
        return DEFAULT
    return lang if lang in LANGUAGES else DEFAULT


@lru_cache(maxsize=None)
def translation(lang: str) -> gettext.NullTranslations:
    """The catalog of `lang`: English (the message itself) when it has none, or for a message it lacks."""
    return gettext.translation(DOMAIN, LOCALES, languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` in the session's language (English when the catalog lacks it)."""
    return translation(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, as the session's language counts."""
    return translation(language()).ngettext(singular, plural, n)


def number(value: float, spec: str = "g", lang: str | None = None) -> str:
    """`value` formatted by `spec` as `lang` (the session's language) writes numbers: a decimal comma in es and pt
    (1,250.5 -> 1.250,5), so a notice reads as the class writes."""
    text = format(value, spec)
    if (lang or language()) in _DECIMAL_COMMA:
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def selector() -> None:
    """The language of this session, kept in the link as `?lang=es` (app.py, beside the share panel): the code, not
    the name a bound selectbox would write (`?lang=Español`); English, the default, leaves the link as it was."""
    if (asked := st.query_params.get(KEY)) and asked not in LANGUAGES:
        st.warning(_("This link asks for the language {asked}; the lab speaks {languages}.").format(
            asked=repr(asked), languages=", ".join(LANGUAGES)), icon=":material/link_off:")
    st.session_state[WIDGET] = lang = language()
    _write(lang)
    st.selectbox(_(":material/translate: Language"), list(LANGUAGES), format_func=LANGUAGES.get, key=WIDGET,
                 on_change=lambda: _write(st.session_state[WIDGET]))


def _write(lang: str) -> None:
    """Put `lang` in the link (English by leaving it out); an unknown ?lang= is dropped, English shows."""
    if lang != DEFAULT:
        st.query_params[KEY] = lang
    elif KEY in st.query_params:
        del st.query_params[KEY]
