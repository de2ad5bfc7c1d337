"""Deep links on a freshly started server: make the first run go through app.py's navigation.

Because a `pages/` folder exists, Streamlit 1.67 starts in its legacy multipage mode: until some session
runs `st.navigation`, a deep link `/<file stem>` runs `pages/<file stem>.py` alone, so the student sees file
names in the sidebar instead of the course (DESIGN.md, section 3). Importing `nncore.ui` is the first thing
every page does; if that happens in legacy mode, we switch the process to `st.navigation` mode and rerun,
so app.py runs and serves the same page (each Lesson's url_path is its file stem, so the page hash matches).
"""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx


def leave_legacy_router() -> None:
    """Once per server process: if Streamlit is still in legacy pages/ mode, leave it and rerun through app.py."""
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()
