"""In class: instructor links that hide parts of a page (`?hide=...`, like TF Playground's hide flags), presentation
mode for a projector (`?present=1`), and the panel that writes the link of what the page shows now.

What a link can hide, by name (comma-separated or repeated: `hide=seed,epochs&hide=intro`):
    a control            its field name as the URL writes it (seed, b_dropout); it still takes its value from the link
    controls             every control drawn by ui.controls, and the preset buttons
    presets              the preset buttons
    a lesson section     intro, or a section's heading in lowercase with dashes (train-mode-and-eval-mode)
    text                 all lesson prose and lecture references
    a chart              its key (curves, fits)

Presentation mode shows one experiment per screen, a slide (`?slide=k`, in the link): slide 0 is the page without its
charts (controls, question, lesson text); slide k is the page's k-th chart with its notice, alone on the screen. The
charts of other slides are neither built nor sent (ui.figure and ui.chart ask `chart_shown` and `count_chart`).
"""
from __future__ import annotations

import contextlib
import re
from typing import Iterator
from urllib.parse import urlencode

import streamlit as st

from nncore.ui.i18n import N_, _

HIDE, PRESENT, SLIDE = "hide", "present", "slide"
# Projected at 1024x768: larger type, no page margin wasted, the sidebar's toggle still there.
PRESENT_CSS = """<style>
html { font-size: 20px; }
.block-container { padding: 1rem 1.5rem; max-width: 100%; }
h1 { font-size: 2rem; }
</style>"""


# Presentation mode's keys. Run buttons take theirs from Streamlit (st.button's shortcut=); an animation's play button
# and slider are Plotly's, drawn in SVG that no key reaches, so this script clicks them for the keys.
RUN_KEY, PLAY_KEY, NEXT_KEY, BACK_KEY = "G", "P", ".", ","   # Streamlit keeps R (rerun) and C (clear cache)
KEYS_CAPTION = N_(":material/keyboard: Keys: **{run}** runs (the page's main button), **Enter** reveals, "
                  "**{play}** plays an animation, **{back}** and **{next}** step it back and forward.")
ANIMATION_KEYS = """<script>
if (!window.nnAnimationKeys) {
  window.nnAnimationKeys = true;
  const animated = () => [...document.querySelectorAll(".js-plotly-plot")].find(gd =>
    gd._fullLayout && (gd._fullLayout.sliders || []).length && gd.getBoundingClientRect().bottom > 0);
  const press = (el, type, x, y) => el.dispatchEvent(new MouseEvent(type, {bubbles: true, clientX: x, clientY: y}));
  const play = gd => {
    const buttons = [...gd.querySelectorAll(".updatemenu-button")];
    const button = buttons.find(b => b.textContent.includes("Play")) || buttons[0];   /* first: play, in any language */
    if (button) { press(button, "mousedown", 0, 0); press(button, "mouseup", 0, 0); press(button, "click", 0, 0); }
  };
  const step = (gd, by) => {   /* press the slider's rail over the neighbouring step's tick, as a mouse would */
    const slider = gd._fullLayout.sliders[0], ticks = gd.querySelectorAll(".slider-tick-rect");
    const target = ticks[Math.max(0, Math.min(ticks.length - 1, (slider.active || 0) + by))];
    const rail = gd.querySelector(".slider-rail-touch-rect");
    if (!target || !rail) return;
    const t = target.getBoundingClientRect(), r = rail.getBoundingClientRect();
    const x = t.left + t.width / 2, y = r.top + r.height / 2;
    press(rail, "mousedown", x, y); press(window, "mouseup", x, y);
  };
  document.addEventListener("keydown", e => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, textarea, [contenteditable], select")) return;
    const gd = animated(), key = e.key.toUpperCase();
    if (!gd) return;
    if (key === "PLAY_KEY") play(gd);
    else if (key === "NEXT_KEY" || key === "BACK_KEY") step(gd, key === "NEXT_KEY" ? 1 : -1);
  });
}
</script>""".replace("PLAY_KEY", PLAY_KEY).replace("NEXT_KEY", NEXT_KEY).replace("BACK_KEY", BACK_KEY)


# One experiment per screen. A presenter's clicker sends Page Down and Page Up: no other key of the lab, nor one that
# Streamlit keeps (R, C) or a browser reserves (Ctrl+PageUp/PageDown switch tabs; the plain keys only scroll).
NEXT_SLIDE_KEY, BACK_SLIDE_KEY = "PageDown", "PageUp"
_SLIDES = "_slides"   # session: this run's {"shown": slide k, "charts": charts counted so far, "frames": drawn}
FRAME, BAR = "nn_frame", "nn_bar"   # keys of the slide's frames (nn_frame1, ...) and of its bar: CSS st-key-<key>
# On a chart's slide, everything of the page but its title, the chart's frame and the bar is hidden (the controls
# keep working, so the run key still runs); the column that holds the chart takes the whole width, and a chart in a
# tab shows without the tabs.
SLIDE_CSS = """<style>
[data-testid=stMain] :is([data-testid=stVerticalBlock], [data-testid=stHorizontalBlock]) >
  :not([class*=st-key-FRAME], .st-key-BAR, :has([class*=st-key-FRAME], .st-key-BAR, h1),
        [class*=st-key-FRAME] *, .st-key-BAR *) { display: none; }
[data-testid=stMain] [data-testid=stColumn]:has([class*=st-key-FRAME]) { width: 100%; flex: 1 1 100%; }
[data-testid=stMain] h1 { font-size: 1.5rem; padding: 0; }
[data-testid=stMainBlockContainer] { padding-top: 3.5rem; }
[data-testid=stTabs] [role=tablist], [data-testid=stTabPanel]:not(:has([class*=st-key-FRAME])) { display: none; }
[data-testid=stTabPanel]:has([class*=st-key-FRAME]) { display: block !important; }
</style>""".replace("FRAME", FRAME).replace("BAR", BAR)
# The bar sits in the header's empty top right corner, above the page: it takes none of the slide's height.
BAR_CSS = f"""<style>
.st-key-{BAR} {{ position: fixed; top: 0.5rem; right: 1.5rem; width: auto; z-index: 999991; }}
</style>"""
_SLIDE_NUMBER = re.compile(r"[0-9]{1,6}")


def run_key() -> str | None:
    """The run key for a page's main button (st.button's shortcut=), in presentation mode only."""
    return RUN_KEY if presenting() else None


def slug(title: str) -> str:
    """A section title as a link names it: lowercase words joined by dashes ("" is the intro)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "intro"


def hidden() -> frozenset[str]:
    """What this page's link hides."""
    names = (part.strip() for value in st.query_params.get_all(HIDE) for part in value.split(","))
    return frozenset(name for name in names if name)


def is_hidden(*names: str) -> bool:
    """Whether the link hides any of `names` (a control, a section, a chart, or a group such as "controls")."""
    hide = hidden()
    return any(name in hide for name in names)


def offer(name: str) -> None:
    """Note a part of this page that a link could hide (the share panel lists them)."""
    st.session_state.setdefault("_page_parts", {})[name] = None


def begin_page() -> None:
    """Forget the last page's parts, runs and slide count (app.py, before each page runs)."""
    st.session_state[_SLIDES] = None   # set by slides() around the page; pages run alone (AppTest) have no slides
    st.session_state["_page_parts"] = {}
    st.session_state["_page_runs"] = {}   # nncore.ui.export.record's
    st.session_state["_page_charts"] = {}   # nncore.ui.export.keep_chart's


def presenting() -> bool:
    """Whether the page is projected (`?present=1`)."""
    return st.query_params.get(PRESENT, "").lower() in ("1", "true", "yes", "on")


def present_style() -> None:
    """Presentation mode's larger type and its keys, when the link asks for it."""
    if presenting():
        st.html(PRESENT_CSS)
        st.html(ANIMATION_KEYS, unsafe_allow_javascript=True)
        st.caption(_(KEYS_CAPTION).format(run=RUN_KEY, play=PLAY_KEY, back=BACK_KEY, next=NEXT_KEY))


def link(query: dict[str, list[str]], hide: list[str], present: bool) -> str:
    """The page's link with `query` (its controls' state), `hide` and `present` set as chosen."""
    query = {k: v for k, v in query.items() if k not in (HIDE, PRESENT)}
    if hide:
        query[HIDE] = [",".join(hide)]
    if present:
        query[PRESENT] = ["1"]
    else:
        query.pop(SLIDE, None)
    text = urlencode([(k, v) for k, values in query.items() for v in values], safe=",:~[]")
    return f"{st.context.url or ''}?{text}" if text else (st.context.url or "?")


def share_panel() -> None:
    """The link of what the page shows now, with the parts an instructor chose to hide, ready to copy."""
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    parts = st.session_state.get("_page_parts", {})
    choices = ["controls", "presets", "text", *parts, *sorted(hidden() - set(parts))]
    with st.expander(_(":material/share: Share this experiment")):
        hide = st.multiselect(_("Hide in the link"), choices, default=sorted(hidden()), key="_share_hide",
                              help=_("Controls, 'controls' (all of them), 'presets', 'text' (the prose), 'intro', or "
                                     "a chart's name: a slide can link to exactly one experiment. Hidden controls "
                                     "keep their values."))
        present = st.toggle(_("Presentation mode"), value=presenting(), key="_share_present",
                            help=_("Larger type for a projector, the sidebar closed."))
        st.code(link(query, hide, present), language=None, wrap_lines=True)
        st.caption(_("The copy icon at the code's corner copies the link."))


def _state() -> dict | None:
    return st.session_state.get(_SLIDES) if presenting() else None


def chart_shown() -> bool:
    """Whether the page's next chart is on this screen (always outside presentation mode): ui.figure builds no other."""
    state = _state()
    return state is None or state["charts"] + 1 == state["shown"]


def count_chart() -> bool:
    """Count one of the page's charts as a slide; whether it is this screen's (ui.chart sends no other)."""
    shown = chart_shown()
    if (state := _state()) is not None:
        state["charts"] += 1
    return shown


def slide_frame() -> contextlib.AbstractContextManager:
    """Where this screen's chart and its notice go: a frame that the slide's style leaves alone on the screen."""
    if (state := _state()) is None:
        return contextlib.nullcontext()
    state["frames"] += 1   # a key per frame: a live redraw (a chart without a key) may draw several
    st.html(SLIDE_CSS)
    return st.container(key=f"{FRAME}{state['frames']}")


def _linked_slide() -> tuple[int, str | None]:
    """The link's slide, and the text of an unusable one (dropped from the link: the first screen shows)."""
    text = st.query_params.get(SLIDE, "0")
    if _SLIDE_NUMBER.fullmatch(text):
        return int(text), None
    del st.query_params[SLIDE]
    return 0, text


def _go(k: int) -> None:
    """Show slide k: in the link, so that a reload or a shared link opens on it."""
    if k > 0:
        st.query_params[SLIDE] = str(k)
    elif SLIDE in st.query_params:
        del st.query_params[SLIDE]


@contextlib.contextmanager
def slides() -> Iterator[None]:
    """Around a page's run (app.py): in presentation mode, one experiment per screen, with a bar above the page,
    Previous and Next (Page Up, Page Down) and "k of n"; a slide beyond the page's charts shows its last one."""
    if not presenting():
        yield
        return
    shown, bad = _linked_slide()
    if bad is not None:   # the link layer's notice (nncore.ui.links), in its words
        st.warning(_("Some values in this link were not usable and were replaced by defaults: {problems}").format(
            problems=_("{label} cannot be {text}.").format(label=SLIDE, text=repr(bad[:40]))),
            icon=":material/link_off:")
    st.html(BAR_CSS)
    bar = st.container(key=BAR, horizontal=True, vertical_alignment="center")
    st.session_state[_SLIDES] = state = {"shown": shown, "charts": 0, "frames": 0}
    yield
    n = state["charts"]
    if shown > n:
        _go(n)
        st.rerun()
    if n:
        _bar(bar, shown, n)


def _bar(bar, shown: int, n: int) -> None:
    with bar:
        st.button(_("Previous"), key="_slide_back", icon=":material/arrow_back:", disabled=shown == 0,
                  shortcut=BACK_SLIDE_KEY, on_click=_go, args=(shown - 1,))
        st.markdown(_("**Chart {k} of {n}**").format(k=shown, n=n) if shown else
                    _("**Setup**, then charts 1 to {n}").format(n=n))
        st.button(_("Next"), key="_slide_next", icon=":material/arrow_forward:", disabled=shown == n,
                  shortcut=NEXT_SLIDE_KEY, on_click=_go, args=(shown + 1,))
