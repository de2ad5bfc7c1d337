"""The lab in the lectures' languages, for the engine as for the app: `_()` translates a message with the gettext
catalog of the current language (nncore/locale/<lang>/LC_MESSAGES/nncore.mo), English when it has none.

Strings a student reads are wrapped in `_()` (translated now) or `N_()` (data such as a Config field's label or a
preset's note, translated where shown); numbers go in as placeholders (`_("{n} runs").format(n=3)`), so a translation
can move them. The catalogs are made with Babel (`scripts/i18n.sh`); the stdlib's gettext reads the committed .mo
files, so serving needs no Babel. The language is the app's session's (nncore.ui.i18n installs it) or, in a
notebook, `nncore.i18n.use("es")`; NNLAB_LANG sets a deployment's default.
"""
from __future__ import annotations

import contextvars
import gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

LOCALES = Path(__file__).resolve().parent / "locale"
DOMAIN = "nncore"
# The lectures' languages (000 Portuguese, 002 Korean, 003 Spanish), each named in its own language.
LANGUAGES = {"en": "English", "es": "Español", "pt": "Português", "ko": "한국어"}
DEFAULT = "en"
_DECIMAL_COMMA = {"es", "pt"}
_chosen: contextvars.ContextVar[str | None] = contextvars.ContextVar("nncore_language", default=None)


def default_language() -> str:
    """The deployment's language (NNLAB_LANG, e.g. a Spanish-speaking course's server), else English."""
    lang = os.environ.get("NNLAB_LANG", DEFAULT)
    return lang if lang in LANGUAGES else DEFAULT


def _notebook_language() -> str:
    return _chosen.get() or default_language()


_source: Callable[[], str] = _notebook_language


def use(lang: str) -> None:
    """Speak `lang` from here on in this context (a notebook, a script): nncore's notices and errors in Spanish."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _chosen.set(lang)


def install(source: Callable[[], str]) -> None:
    """Take the current language from `source` (the app: the session's language), not from use()."""
    global _source
    _source = source


def language() -> str:
    """The current language's code."""
    return _source()


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it here (a label in data: translated where it is shown)."""
    return message


@lru_cache(maxsize=None)
def translation(lang: str) -> gettext.NullTranslations:
    """The catalog of `lang`: English (the message itself) when it has none, or for a message it lacks."""
    return gettext.translation(DOMAIN, LOCALES, languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` in the current language (English when the catalog lacks it)."""
    return translation(language()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, as the current language counts."""
    return translation(language()).ngettext(singular, plural, n)


def separators(lang: str | None = None) -> str:
    """Plotly's `separators` (decimal, then thousands) as `lang` writes numbers: the axes' ticks and hover values
    agree with the notices (0,5 in es and pt)."""
    return ",." if (lang or language()) in _DECIMAL_COMMA else ".,"


def number(value: float, spec: str = "g", lang: str | None = None) -> str:
    """`value` formatted by `spec` as `lang` (the current language) writes numbers: a decimal comma in es and pt
    (1,250.5 -> 1.250,5), so a notice reads as the class writes."""
    text = format(value, spec)
    if (lang or language()) in _DECIMAL_COMMA:
        text = text.translate(str.maketrans(",.", ".,"))
    return text
