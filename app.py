"""Neural Net Training Lab: the router. Each lesson is a file in pages/, listed here in course order."""
import streamlit as st

from nncore import ui
from nncore.ui import Lesson

# Each Lesson: (file in pages/, title, url_path = the file's stem, one-line summary, lecture section, icon).
COURSE = {
    "Foundations": [
        Lesson("pages/weight_init.py", "Weight initialization", "weight_init",
               "why 0.01·N(0,1) kills a deep net while Xavier and He keep it alive",
               "002 & 003 'Weight Initialization', 001 'Weights initialization'", ":material/tune:"),
    ],
    "Optimization": [],
    "Regularization": [],
    "Diagnostics": [],
    "Architectures": [],
}


def home() -> None:
    """The course map."""
    ui.course_map(COURSE, PAGES)


if __name__ == "__main__":  # Streamlit runs this file as __main__; tests import COURSE without running the app
    st.set_page_config(page_title="Neural Net Training Lab", page_icon=":material/neurology:", layout="wide")
    ui.configure_torch()
    PAGES = {item.file: ui.page(item) for lessons in COURSE.values() for item in lessons}
    sections = {"": [st.Page(home, title="Course map", icon=":material/map:", default=True)]}
    sections |= {name: [PAGES[item.file] for item in lessons] for name, lessons in COURSE.items() if lessons}
    st.navigation(sections).run()
