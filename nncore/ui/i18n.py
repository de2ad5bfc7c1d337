"""The session's language, from the link (`?lang=es`) or the sidebar's selector, installed as nncore.i18n's
language, so the engine's notices and errors and the app's text speak it (the catalogs: nncore.i18n)."""
from __future__ import annotations

import streamlit as st

from nncore.i18n import DEFAULT, DOMAIN, LANGUAGES, LOCALES, N_, _, default_language, install, ngettext, number, \
    translation  # noqa: F401  (the app's modules import them from here)

KEY = "lang"                     # the URL's ?lang=
WIDGET = "_lang"                 # the selector's key: the session's language after a page switch clears the URL


def language() -> str:
    """The session's language: the link's `?lang=`, else the selector's last value (a page switch clears the link),
    else the deployment's (NNLAB_LANG, English by default; also outside a Streamlit run)."""
    try:
        lang = st.query_params.get(KEY) or st.session_state.get(WIDGET) or default_language()
    except Exception:   # no Streamlit session (a script, a notebook, a worker thread)
        return default_language()
    return lang if lang in LANGUAGES else default_language()


install(language)   # nncore's own _() (notices, errors, labels) speaks the session's language


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
    """Put `lang` in the link (the deployment's language by leaving it out); an unknown ?lang= is dropped."""
    if lang != default_language():
        st.query_params[KEY] = lang
    elif KEY in st.query_params:
        del st.query_params[KEY]
