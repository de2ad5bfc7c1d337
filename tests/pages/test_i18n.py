"""The lab in es, pt and ko (nncore.ui.i18n): every catalog translates every message of the code (Babel extracts them
as scripts/i18n.sh does), with the same placeholders; the committed .mo files are the .po files compiled; pages render
in every language, a missing translation shows English, and the language stays in the link."""
from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest

import app
from nncore.ui import i18n, text
from tests.pages.helpers import assert_clean, charts, tr

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
FOUNDATIONS = [Path(lesson.file).stem for lesson in app.COURSE["Foundations"]]


def source_messages() -> set[str]:
    """Every _(), N_() and ngettext() message of the files babel.cfg names, as scripts/i18n.sh extracts them."""
    # Babel (requirements-test.txt) is imported by the tests that use it: without it they fail, and the others run
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def catalog(lang: str):
    from babel.messages.pofile import read_po
    with open(i18n.LOCALES / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po", "rb") as po:
        return read_po(po)


@pytest.fixture(scope="module")
def messages() -> set[str]:
    return source_messages()


def test_extraction_finds_the_course_map_and_the_shared_panels(messages):
    # guards the extraction itself: an empty set would make every catalog "complete"
    assert {"Foundations", "Weight initialization", "Course map", "Hide in the link", "Reveal the run",
            ":material/download: Data (CSV)", "Some values in this link were not usable and were replaced by "
            "defaults: {problems}"} <= messages
    for lessons in app.COURSE.values():
        assert all(lesson.title in messages and lesson.summary in messages for lesson in lessons)


def _forms(message) -> tuple[str, ...]:
    """A message's id or string as a tuple: (singular, plural) for an ngettext() message, else (text,)."""
    return message if isinstance(message, tuple) else (message,)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_translates_every_message_of_the_code(lang, messages):
    translated = {_forms(m.id)[0] for m in catalog(lang) if m.id and all(_forms(m.string))}
    assert not messages - translated, f"{lang}: untranslated (run scripts/i18n.sh, then translate the .po)"
    assert not translated - messages, f"{lang}: messages no code uses any more"


def _placeholders(message: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(message) if name is not None)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders_and_icons(lang):
    for m in catalog(lang):
        if m.id and m.string:
            english = _forms(m.id)[-1]          # the plural form: the singular's placeholders, and maybe {n}
            for string in _forms(m.string):
                assert set(_placeholders(string)) <= set(_placeholders(english)), (lang, m.id, string)
                assert _placeholders(string) == _placeholders(english) or isinstance(m.id, tuple), (lang, m.id)
                assert re.findall(r":material/\w+:", string) == re.findall(r":material/\w+:", english), (lang, m.id)
                assert string.count("**") == english.count("**"), (lang, m.id)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_committed_mo_is_the_po_compiled(lang):
    with open(i18n.LOCALES / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for m in catalog(lang):
        if isinstance(m.id, tuple):      # each plural form, as the catalog's Plural-Forms picks it for n
            shown = {compiled.ngettext(*m.id, n) for n in range(1, 4)}
            assert shown == set(m.string), f"{lang}: stale .mo (sh scripts/i18n.sh compile): {m.id!r}"
        elif m.id:
            assert compiled.gettext(m.id) == m.string, f"{lang}: stale .mo (sh scripts/i18n.sh compile): {m.id!r}"


def test_a_message_without_translation_falls_back_to_english():
    assert i18n.translation("ko").gettext("A sentence no catalog has.") == "A sentence no catalog has."
    assert i18n.translation("en").gettext("Course map") == "Course map"
    assert i18n.translation("ko").gettext("Course map") == "강의 지도"


def test_numbers_take_a_decimal_comma_in_spanish_and_portuguese():
    assert i18n.number(1250.5, ",.1f", "en") == i18n.number(1250.5, ",.1f", "ko") == "1,250.5"
    assert i18n.number(1250.5, ",.1f", "es") == i18n.number(1250.5, ",.1f", "pt") == "1.250,5"
    assert i18n.number(0.001, "g", "es") == "0,001"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_foundations_intros_are_translated_and_other_sections_stay_english(lang):
    for name in FOUNDATIONS:
        assert (text.LESSONS / lang / f"{name}.md").exists(), f"{lang}/{name}.md missing"
    for path in (text.LESSONS / lang).glob("*.md"):
        english = text._sections(path.stem)
        translated = text._sections(path.stem, lang)
        assert list(translated) == list(english), path   # the sections a page asks for, by their English headings
        assert len(text._split(path)) <= len(english), f"{path}: more sections than the English file"
        assert translated[""] != english[""], path


def _home(open_page, lang: str, **query):
    at = open_page("app.py", lang=lang, **query)
    assert_clean(at)
    return at


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_the_home_page_renders_in_every_language(open_page, lang):
    at = _home(open_page, lang)
    tr = i18n.translation(lang).gettext
    assert [t.value for t in at.title] == [tr("Neural Net Training Lab")]
    assert [tr(section) for section in app.COURSE] == [h.value for h in at.subheader][:len(app.COURSE)]
    labels = [link.proto.label for link in at.get("page_link")]
    lesson = app.COURSE["Foundations"][0]
    assert f"**{tr(lesson.title)}** — {tr(lesson.summary)}" in labels
    assert at.selectbox(key=i18n.WIDGET).value == lang
    # the link names a language other than the deployment's (NNLAB_LANG, English by default)
    assert at.query_params.get(i18n.KEY) == (lang if lang != i18n.default_language() else None)


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
@pytest.mark.parametrize("name", ["softmax_output", "activation_functions"])
def test_two_lessons_render_in_every_language(open_page, lang, name):
    at = open_page(f"pages/{name}.py", lang=lang)
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert at.markdown[0].value == text._sections(name, lang)[""]


def test_switching_the_language_reuses_the_run(open_page, monkeypatch):
    from nncore.ui import runner
    at = open_page("pages/weight_init.py")
    data = [trace.get("y") for fig in charts(at) for trace in fig["data"]]
    computed, compute = [], runner._compute
    monkeypatch.setattr(runner, "_compute", lambda fn, *args: computed.append(fn) or compute(fn, *args))
    at.query_params[i18n.KEY] = "ko"
    at.run()
    assert_clean(at)
    assert at.markdown[0].value == text._sections("weight_init", "ko")[""]
    assert computed == [], "a language switch ran the experiment again"
    assert [trace.get("y") for fig in charts(at) for trace in fig["data"]] == data


def test_the_selector_switches_the_language_and_writes_it_in_the_link(open_page):
    at = _home(open_page, "en")
    at.selectbox(key=i18n.WIDGET).select("ko").run()
    assert [t.value for t in at.title] == ["신경망 학습 실험실 (Neural Net Training Lab)"]
    assert at.query_params[i18n.KEY] == "ko"
    at.selectbox(key=i18n.WIDGET).select("en").run()
    assert [t.value for t in at.title] == ["Neural Net Training Lab"]
    assert at.query_params.get(i18n.KEY) == (None if i18n.default_language() == "en" else "en")


def test_an_unknown_language_shows_the_deployments_language(open_page):
    at = _home(open_page, "xx")   # English, or NNLAB_LANG's
    assert [t.value for t in at.title] == [tr("Neural Net Training Lab")]
    assert [w.value for w in at.sidebar.warning] == [
        tr("This link asks for the language {asked}; the lab speaks {languages}.").format(
            asked="'xx'", languages="en, es, pt, ko")]
    assert i18n.KEY not in at.query_params


def test_a_catalog_that_lacks_a_message_shows_it_in_english(open_page, monkeypatch, tmp_path):
    from babel.messages.mofile import write_mo
    po = catalog("es")
    del po["The lectures"]
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    with open(tmp_path / "es" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo", "wb") as mo:
        write_mo(mo, po)
    monkeypatch.setattr("nncore.i18n.LOCALES", tmp_path)   # where the engine's translation() reads catalogs
    i18n.translation.cache_clear()
    try:
        headers = [h.value for h in _home(open_page, "es").subheader]
    finally:
        i18n.translation.cache_clear()
    assert "The lectures" in headers and "Fundamentos" in headers and "" not in headers


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_lesson_and_question_in_every_language(lang):
    """Each lesson's prose in `lang` has the English file's sections, none empty, and its question its own words."""
    import tomllib

    from nncore.ui import questions
    missing = []
    for lessons in app.COURSE.values():
        for lesson in lessons:
            name = Path(lesson.file).stem
            prose = text.LESSONS / lang / f"{name}.md"
            if not prose.exists():
                missing.append(str(prose.relative_to(ROOT)))
            elif [bool(t) for t in text._split(prose).values()] != \
                    [bool(t) for t in text._split(text.LESSONS / f"{name}.md").values()]:
                missing.append(f"{prose.relative_to(ROOT)}: not the English file's sections, each with text")
            if (questions.QUESTIONS / f"{name}.toml").exists():
                asked = questions.QUESTIONS / lang / f"{name}.toml"
                english = tomllib.loads((questions.QUESTIONS / f"{name}.toml").read_text(encoding="utf-8"))
                local = tomllib.loads(asked.read_text(encoding="utf-8")) if asked.exists() else {}
                if local.get("ask", english["ask"]) == english["ask"]:
                    missing.append(f"{asked.relative_to(ROOT)}: no ask of its own")
                elif len(local.get("options", [])) != len(english.get("options", [])):
                    missing.append(f"{asked.relative_to(ROOT)}: not the English options' count")
    assert not missing, f"{lang}: {missing}"
