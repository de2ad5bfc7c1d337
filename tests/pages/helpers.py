"""Helpers for the AppTest page tests: no exception on the page, the page's Plotly figures as data."""
from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest


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
