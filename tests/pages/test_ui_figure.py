"""ui.figure: a viz function's figure is built once per distinct input and every caller gets its own copy."""
from __future__ import annotations

import logging

import plotly.graph_objects as go

from nncore import ui


def test_a_figure_is_built_once_per_distinct_input():
    logging.getLogger("streamlit").setLevel(logging.ERROR)   # "no script run context": called outside a page
    built = []

    def build(values, title="a question?"):
        built.append(values)
        return go.Figure(go.Scatter(y=values), layout_title_text=title)

    first, again = ui.figure(build, [1, 2, 3], title="Q1?"), ui.figure(build, [1, 2, 3], title="Q1?")
    other = ui.figure(build, [1, 2, 4], title="Q1?")
    assert built == [[1, 2, 3], [1, 2, 4]]
    assert first.layout.title.text == again.layout.title.text == "Q1?"
    assert list(again.data[0].y) == [1, 2, 3] and list(other.data[0].y) == [1, 2, 4]
    assert first is not again, "a cache hit must be a copy: a page that edits its figure must not edit another's"
