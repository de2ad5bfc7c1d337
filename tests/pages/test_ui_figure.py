"""ui.figure: a viz function's figure is built once per distinct input, and every caller gets that same object."""
from __future__ import annotations

import dataclasses
import gc
import logging
import pickle

import numpy as np
import plotly.graph_objects as go
import pytest

from nncore import ui
from nncore.ui import runner, text
from tests.pages.helpers import array


@dataclasses.dataclass
class Result:
    y: np.ndarray


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
    assert first is again, "a hit is the Figure itself: no unpickling, which re-validates every property"
    assert ui.figure(build, [1, 2, 3], title="Q2?") is not first and built[-1] == [1, 2, 3]


def test_a_figure_is_rebuilt_when_a_value_differs_only_in_type_or_content():
    seen = []

    def build(value):
        seen.append(value)
        return go.Figure(go.Bar(y=[1]))

    for value in (1, 1.0, True, "1", (1,), [1], {"a": 1}, np.array([1.0]), np.array([2.0]), np.array([2.0])):
        ui.figure(build, value)
    assert len(seen) == 9, "1, 1.0, True and '1' are different inputs; equal arrays are the same one"


def test_a_run_result_is_keyed_by_its_run_key_not_by_its_arrays(monkeypatch):
    result, key = Result(np.arange(4.0)), "k" * 64
    runner._remember(key, result)
    monkeypatch.setattr(pickle, "dumps", lambda *a, **k: pytest.fail("a run's result must not be pickled"))
    assert key in text.figure_key(go.Figure, (result, [result]), {})


def test_an_object_at_the_address_of_a_result_gone_since_is_not_taken_for_it():
    result, key = Result(np.zeros(2)), "g" * 64
    runner._remember(key, result)
    assert runner.key_of(result) == key
    stale = runner._keys.pop(id(result))
    del result
    gc.collect()
    newcomer = Result(np.ones(2))
    runner._keys[id(newcomer)] = stale   # what the table holds if the newcomer took the dead result's address
    assert runner.key_of(newcomer) is None
    assert key not in text.figure_key(go.Figure, (newcomer,), {})


def test_a_cached_figure_holds_its_arrays_in_plotly_json_form():
    """Built once into the form a pickle round trip gives (base64 arrays), so st.plotly_chart's to_dict on every
    rerun copies strings instead of encoding arrays; what is drawn is the same."""
    y = np.linspace(0.0, 1.0, 1000)
    fig = ui.figure(lambda v: go.Figure(go.Scatter(y=v)), y)
    assert fig.data[0].y["dtype"] == "f8" and np.array_equal(array(fig.data[0].y), y)


def test_sessions_asking_for_one_new_figure_at_once_build_it_once(monkeypatch):
    """A class opening one new link: one session builds each figure, the others wait for it and share it."""
    import threading
    sessions, start, asked, looked_up = 8, threading.Barrier(8), threading.Event(), []
    get = text.FIGURES.get

    def counting_get(key):
        looked_up.append(key)
        if len(looked_up) >= sessions:   # every session has asked: the build may finish
            asked.set()
        return get(key)
    monkeypatch.setattr(text.FIGURES, "get", counting_get)
    built = []

    def build(values):
        built.append(values)
        assert asked.wait(30), "the other sessions never asked for the figure"
        return go.Figure(go.Scatter(y=values))

    figures = []

    def session():
        start.wait()
        figures.append(ui.figure(build, [7, 8, 9]))
    threads = [threading.Thread(target=session) for _ in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == [[7, 8, 9]] and len(figures) == sessions and all(f is figures[0] for f in figures)
