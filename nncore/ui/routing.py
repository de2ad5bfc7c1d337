"""Deep links on a freshly started server: make the first run go through app.py's navigation.

Because a `pages/` folder exists, Streamlit 1.67 starts in its legacy multipage mode: until some session
runs `st.navigation`, a deep link `/<file stem>` runs `pages/<file stem>.py` alone, so the student sees file
names in the sidebar instead of the course (DESIGN.md, section 3). Importing `nncore.ui` is the first thing
every page does; if that happens in legacy mode, we switch the process to `st.navigation` mode and rerun,
so app.py runs and serves the same page (each Lesson's url_path is its file stem, so the page hash matches).
The switch touches Streamlit's internals: nncore/ui/_private.py.
"""
from __future__ import annotations

import streamlit as st

from nncore.ui import _private


def leave_legacy_router() -> None:
    """Once per server process: if Streamlit is still in legacy pages/ mode, leave it and rerun through app.py."""
    if _private.legacy_pages_mode() and _private.in_script_run():
        _private.leave_legacy_pages_mode()
        st.rerun()
