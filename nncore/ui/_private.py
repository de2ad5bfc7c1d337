"""The private parts of Streamlit the app uses, in this one place, because Streamlit has no public equivalent.

tests/test_private_apis.py fails if a Streamlit upgrade removes or changes one of them, and the browser test "every
page opens by deep link on a fresh server" (tests/e2e/test_fresh_server.py) checks what they are used for
(nncore/ui/routing.py). Replace them here and nowhere else.
"""
from __future__ import annotations

from streamlit.errors import StreamlitPageNotFoundError as PageNotFound   # st.page_link's error for a page not in
from streamlit.runtime.pages_manager import PagesManager                # the app's navigation (a bare AppTest)
from streamlit.runtime.scriptrunner import get_script_run_ctx


def in_script_run() -> bool:
    """True while Streamlit runs a script (a page or app.py), False on a plain import (a notebook, a test)."""
    return get_script_run_ctx() is not None


def legacy_pages_mode() -> bool:
    """True while this process routes by the pages/ folder (Streamlit's first multipage API), before any session
    ran st.navigation."""
    return bool(PagesManager.uses_pages_directory)


def leave_legacy_pages_mode() -> None:
    """Route by st.navigation from the next run on, for every session of this process (what st.navigation does)."""
    PagesManager.uses_pages_directory = False
