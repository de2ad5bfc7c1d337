"""layer_histograms starts from a make_subplots grid cached across sessions: each figure must be a copy of it, and
the lab's look (theme.finish, one layout assignment) must reach every panel's axes."""
from nncore import i18n
from nncore.experiments import weight_init
from nncore.viz import layer_histograms
from nncore.viz.theme import TEXT, TICKS


def _run(depth: int, seed: int = 0) -> weight_init.Result:
    return weight_init.run(weight_init.Config(depth=depth, width=8, samples=20, seed=seed))


def test_a_changed_histogram_figure_leaves_the_others_as_built(monkeypatch):
    monkeypatch.setattr(i18n, "_source", lambda: "en")
    first = layer_histograms(_run(7))
    built = first.to_dict()
    other = layer_histograms(_run(7, seed=1))   # same grid, another run: then changed, as a caller might
    other.add_bar(x=[0.0], y=[1.0], row=1, col=1)
    other.update_layout(title_text="changed", xaxis_title_text="changed")
    assert first.to_dict() == built
    assert layer_histograms(_run(7)).to_dict() == built


def test_seven_layers_fill_two_rows_with_titles_on_the_left_and_the_middle_only(monkeypatch):
    monkeypatch.setattr(i18n, "_source", lambda: "en")
    fig = layer_histograms(_run(7))
    layout = fig.to_dict()["layout"]
    axes = sorted(k for k in layout if k.startswith(("xaxis", "yaxis")))
    assert len(axes) == 20 and len(fig.data) == 7                     # a 2 x 5 grid, one bar trace per layer
    assert [a["text"] for a in layout["annotations"]] == [f"layer {i}" for i in range(1, 8)]
    assert all(a["font"] == dict(size=14, color=TEXT) for a in layout["annotations"])
    titled = {k: layout[k]["title"]["text"] for k in axes if "text" in layout[k].get("title", {})}
    assert titled == {"xaxis8": "output value", "yaxis": "share", "yaxis6": "share"}   # row 2, col 3; col 1
    for k in axes:
        assert layout[k]["tickfont"] == dict(size=13, color=TICKS) and layout[k]["title"]["font"] == dict(
            size=14, color=TEXT), k
