"""The Streamlit layer of nncore: course navigation, controls bound to the URL, cached runs, lesson text, charts."""
from nncore.ui.cards import preset_banner, registry_cards
from nncore.ui.controls import active_preset, controls, presets
from nncore.ui.course import Lesson, course_map, page
from nncore.ui.runner import configure_torch, run
from nncore.ui.text import chart, figure, lecture, lesson, notice

__all__ = ["Lesson", "active_preset", "chart", "configure_torch", "controls", "course_map", "figure", "lecture",
           "lesson", "notice", "page", "preset_banner", "presets", "registry_cards", "run"]

from nncore.ui.routing import leave_legacy_router  # noqa: E402  (last: everything above must exist first)

leave_legacy_router()
