"""Helpers for the AppTest page tests: no exception on the page, the page's Plotly figures as data, presets, and what
the A/B lessons' tests share."""
from __future__ import annotations

import base64
import json
import re
import string
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from nncore import i18n


def tr(message: str) -> str:
    """`message` as the page shows it in the suite's language (NNLAB_LANG: .ci/run's second pass runs the page and
    engine tests in Spanish), so a test can look for a translated text: tr("{n} runs").format(n=3)."""
    return i18n.translation(i18n.default_language()).gettext(message)


def number(text: str) -> float:
    """A number as a page writes it in the suite's language (a decimal comma in es and pt: 1.250,5 -> 1250.5)."""
    if i18n.default_language() in ("es", "pt"):
        text = text.replace(".", "").replace(",", ".")
    return float(text.replace(",", ""))


def assert_clean(at: AppTest) -> None:
    """No exception element on the page (a traceback or Streamlit's redacted error box)."""
    assert not at.exception, f"the page shows an exception: {[e.message for e in at.exception]}"


def charts(at: AppTest) -> list[dict]:
    """The page's Plotly figures as dicts, in page order."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def array(value) -> np.ndarray:
    """A trace's x or y: a plain list, or Plotly's typed-array form {"dtype": "f8", "bdata": base64}."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value, dtype=float)


def legend(fig: dict) -> list[str]:
    """The names of the traces that appear in the legend."""
    return [t["name"] for t in fig["data"] if t.get("showlegend", True) and t.get("name")]


def assert_preset_runs(at: AppTest, key: str, name: str) -> None:
    """Click the preset button `key`: the page runs cleanly and its banner names the preset."""
    at.button(key=key).click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert any(name in s.value for s in at.success), f"no banner for {name!r}: {[s.value for s in at.success]}"


# --- the A/B lessons (nncore.ui.ab): run A without the technique, run B with it ------------------------------------

def legend_names(fig: dict) -> list[str]:
    return [t["name"] for t in fig["data"] if t.get("name")]


def val_curve(fig: dict, who: str):
    """Run `who`'s validation curve ("A: no dropout: validation", in the suite's language)."""
    suffix = tr("{run}: validation").format(run="")
    return array(next(t for t in fig["data"] if t.get("name", "").startswith(who) and t["name"].endswith(suffix))["y"])


def curve(fig: dict, name: str):
    return array(next(t for t in fig["data"] if t.get("name") == name)["y"])


def assert_both_runs(at: AppTest, title: str, n_charts: int) -> None:
    """An A/B page at its defaults: no error, its title, at least `n_charts` charts showing runs A and B, a notice."""
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == [title]
    figs = charts(at)
    assert len(figs) >= n_charts, [f["layout"].get("title") for f in figs]
    names = [n for f in figs for n in legend_names(f)]
    assert any(n.startswith("A") for n in names) and any(n.startswith("B") for n in names), names
    assert at.info, "no 'what to notice' line"


def click_preset(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    return at


def banner_of(at: AppTest, name: str) -> str:
    return next(s.value for s in at.success if name in s.value)


def fields(message: str, text: str) -> dict[str, str] | None:
    """The values of `message`'s placeholders where `text` contains it (a translated template: tr("... {x} ..."));
    None when it does not."""
    pattern, seen = "", set()
    for i, (literal, name, _spec, _conv) in enumerate(string.Formatter().parse(message)):
        pattern += re.escape(literal)
        if name in seen:   # the same value again
            pattern += f"(?P={name})"
        elif name is not None:
            # a message that starts with a placeholder ("{epoch} 에폭에서 ..."): its value starts the text or a
            # sentence or clause ("A: ...") and holds no colon
            pattern += f"(?P<{name}>.+?)" if literal or i else rf"(?:^|(?<=[.:;!?]\s))(?P<{name}>[^:;]+?)"
            seen.add(name)
    # the end: not inside a number ("{loss}." must not stop at the decimal point of 0.057)
    found = re.search(pattern + r"(?![.,]?\d)", text)
    return found.groupdict() if found else None


COMPARE_REGRESSION = [
    "With {technique}, the gap between validation and training loss " + verdict + ": {gap_a} → {gap_b} (validation "
    "loss {val_a} → {val_b}); training loss {train_a} → {train_b} (mean squared error)."
    for verdict in ("shrinks", "widens", "barely changes")]


def final_train_losses(at: AppTest, technique: str) -> tuple[str, str]:
    """A's and B's final training MSE as notice_compare prints them for `technique` ("training loss 0.057 →
    0.161")."""
    for info in at.info:
        for message in COMPARE_REGRESSION:
            found = fields(tr(message), info.value)
            if found and found["technique"] == technique:
                return found["train_a"], found["train_b"]
    raise AssertionError(f"no comparison for {technique!r}: {[i.value for i in at.info]}")


LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"


def lesson(name: str) -> str:
    """The lesson's prose on one line (no wrapping)."""
    return " ".join((LESSONS / f"{name}.md").read_text(encoding="utf-8").split())


def says(text: str, message: str, **values) -> bool:
    """Whether `text` contains `message` as the suite's language writes it (tr), its placeholders filled with
    `values` (each as str() writes it, or as given) and any placeholder not given matching any text: a test that
    reads which sentence a notice chose, in English as in Spanish."""
    import string
    pattern = ""
    for literal, name, _spec, _conv in string.Formatter().parse(tr(message)):
        pattern += re.escape(literal)
        if name is not None:
            pattern += re.escape(str(values[name])) if name in values else ".+?"
    return re.search(pattern, text, flags=re.S) is not None
