"""Charts write numbers as the notices do: a decimal comma in Spanish and Portuguese (Plotly's layout.separators)."""
import numpy as np
import pytest

from nncore import i18n
from nncore.experiments import weight_init
from nncore.viz import layer_stats


@pytest.mark.parametrize(("lang", "expected"), [("en", ".,"), ("ko", ".,"), ("es", ",."), ("pt", ",.")])
def test_a_chart_takes_the_languages_decimal_separator(lang, expected, monkeypatch):
    monkeypatch.setattr(i18n, "_source", lambda: lang)
    result = weight_init.run(weight_init.Config(depth=2, width=8, samples=20))
    fig = layer_stats([result])
    assert fig.layout.separators == expected
    assert np.isfinite(np.asarray(fig.data[0].y, dtype=float)).all()   # the numbers themselves are untouched
