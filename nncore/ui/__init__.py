"""The Streamlit layer of nncore: course navigation, controls bound to the URL, cached runs, lesson text, charts."""
# pandas whole before any page runs: plotly looks it up in sys.modules without importing it, and on a fresh server
# one session's half-done import (st.table's) failed another's chart (AttributeError: ... 'pandas' has no 'Series').
# Every session passes here first, and a second `import pandas` waits for the first one to finish.
import pandas  # noqa: F401
from nncore.ui.cards import preset_banner, registry_cards
from nncore.ui.classroom import begin_page, present_style, presenting, run_key, share_panel, slides
from nncore.ui.controls import active_preset, controls, presets
from nncore.ui.course import Lesson, checklist, course_map, lesson_link, page
from nncore.ui.export import code_panel
from nncore.ui.i18n import selector as language_selector
from nncore.ui.links import carry, open_page
from nncore.ui.questions import predict
from nncore.ui.runner import configure_torch, run
from nncore.ui.text import chart, figure, lecture, lesson, notice

__all__ = ["Lesson", "active_preset", "begin_page", "carry", "chart", "checklist", "code_panel", "configure_torch",
           "controls", "course_map", "figure", "language_selector", "lecture", "lesson", "lesson_link", "notice",
           "open_page", "page", "predict", "present_style", "presenting", "preset_banner", "presets", "registry_cards",
           "run", "run_key", "share_panel", "slides"]

from nncore.ui.routing import leave_legacy_router  # noqa: E402  (last: everything above must exist first)

leave_legacy_router()
