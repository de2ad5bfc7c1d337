"""The optimizer-race page in AppTest: defaults, every preset, a typed surface (good and bad), racers added,
removed and emptied, bad links, the 3-D and internals views."""
from __future__ import annotations

import numpy as np
import pytest

from nncore.experiments import optimizer_race as race
from nncore.ui import links
from tests.pages.helpers import array, assert_clean, charts, tr

PAGE = "pages/optimizer_race.py"


def racers(at) -> tuple[race.OptimizerSpec, ...]:
    """The racers in the page's link."""
    return links.decode(race.Config, "optimizers", {"racers": [at.query_params["racers"]]})


def map_figure(at) -> dict:
    return charts(at)[0]


def racer_paths(at) -> dict[str, np.ndarray]:
    """Each racer's full path as drawn on the map (line traces named by their racer)."""
    fig = map_figure(at)
    return {t["name"]: np.stack([array(t["x"]), array(t["y"])], axis=1)
            for t in fig["data"] if t.get("mode") == "lines"}


def test_defaults_race_six_optimizers_on_rosenbrock(open_page):
    at = open_page(PAGE)
    assert_clean(at)
    assert not at.error and not at.warning
    assert [t.value for t in at.title] == [tr("Optimizer race")]
    figs = charts(at)
    assert len(figs) == 3                                   # map, loss vs step, leaderboard
    fig = map_figure(at)
    assert "Rosenbrock" in fig["layout"]["title"]["text"]
    assert len(fig["frames"]) >= 10 and fig["layout"]["updatemenus"][0]["buttons"][0]["label"] == tr("▶ Play")
    paths = racer_paths(at)
    expected = race.run(race.Config())
    assert list(paths) == list(expected.labels)
    for label, path in paths.items():
        np.testing.assert_allclose(path, expected.paths[label], atol=1e-5)   # float32 on the wire
    assert racers(at) == race.Config().optimizers
    assert race.notice_race(expected) in [i.value for i in at.info]


@pytest.mark.parametrize("name", list(race.PRESETS))
def test_each_preset_sets_the_race_and_shows_its_note(open_page, name):
    preset = race.PRESETS[name]
    at = open_page(PAGE)
    at.button(key=f"preset.{name}").click().run()
    assert_clean(at)
    assert not at.error
    assert any(tr(name) in s.value and tr(preset.note) in s.value for s in at.success), [s.value for s in at.success]
    assert racers(at) == preset.config.optimizers
    own = race.surfaces.SURFACES[preset.config.surface].start   # the URL leaves out the surface's own start
    assert float(at.query_params.get("x0", own[0])) == preset.config.start[0]
    assert float(at.query_params.get("y0", own[1])) == preset.config.start[1]
    assert int(at.query_params["steps"]) == preset.config.steps
    paths = racer_paths(at)
    assert list(paths) == list(race.labels(preset.config.optimizers))
    assert all(len(p) == preset.config.steps + 1 for p in paths.values())
    if any(race.run(preset.config).diverged_at.values()):
        assert [w.value for w in at.warning] == [tr("A racer diverged (its point left the map or became NaN): its path "
                                                    "stops there, the others go on. This is the lesson, not a bug.")]


def test_a_preset_link_reproduces_the_preset(open_page):
    preset = race.PRESETS["Saddle: SGD stalls, momentum escapes"]
    cfg = preset.config
    at = open_page(PAGE, surface="Saddle point", x0=str(cfg.start[0]), y0=str(cfg.start[1]), steps=str(cfg.steps),
                   **links.encode(race.Config, "optimizers", cfg.optimizers))
    assert_clean(at)
    assert not at.warning
    assert any(tr(preset.note) in s.value for s in at.success)


def test_a_typed_surface_races_and_a_bad_one_says_why(open_page):
    at = open_page(PAGE)
    at.selectbox(key="surface").set_value(race.CUSTOM).run()
    at.text_input(key="expression").set_value("x**2 + 10*sin(y)").run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert tr("Your f(x, y)") in map_figure(at)["layout"]["title"]["text"]

    at.text_input(key="expression").set_value("__import__('os').system('ls')").run()
    assert_clean(at)
    assert len(at.error) == 1 and tr("This formula uses {what}, which is not allowed.").format(
        what=tr("attribute access ('.')")) in at.error[0].value
    assert not charts(at)

    at.text_input(key="expression").set_value("x^2 + y").run()
    assert tr("'^' is not a power here: write x**2 for x squared.") in at.error[0].value


def test_racers_can_be_added_twice_removed_and_emptied(open_page):
    at = open_page(PAGE)
    at.selectbox(key="race.add").set_value("adam").run()
    at.button[[b.label for b in at.button].index(tr("Add"))].click().run()
    assert_clean(at)
    specs = racers(at)
    assert len(specs) == 7 and specs[-1] == specs[5] == race.OptimizerSpec("adam", lr=0.05)
    assert list(racer_paths(at))[-1].endswith("#2")          # the same settings twice: a second label
    for _racer in range(7):
        remove = next(b for b in at.button if b.label == tr("Remove this racer"))
        remove.click().run()
    assert_clean(at)
    assert at.query_params["racers"] == ""
    assert len(at.error) == 1 and tr("Pick at least one optimizer to race.") in at.error[0].value


def test_changing_a_hyperparameter_changes_the_race(open_page):
    at = open_page(PAGE)
    lr = next(n for n in at.number_input if n.key and n.key.endswith(".sgd.lr"))
    lr.set_value(0.0005).run()
    assert_clean(at)
    assert racers(at)[0] == race.OptimizerSpec("sgd", lr=0.0005)
    assert "SGD η=0.0005" in racer_paths(at)


@pytest.mark.parametrize("params,parts", [
    ({"racers": "sgd:lr=banana"}, ["'banana'"]),
    ({"racers": "warp:lr=1"}, ["'warp'", "sgd, momentum"]),
    ({"racers": "sgd:lr=99"}, ["SGD", "learning rate η", "99"]),
    ({"x0": "abc"}, ["Start (x, y)", "'abc'"]),
    ({"steps": "abc", "surface": "nope"}, ["Steps", "'abc'"]),
])
def test_bad_links_fall_back_with_a_notice(open_page, params, parts):
    # the link notices' sentences are the shared layer's: the language-free parts, and the field's label
    at = open_page(PAGE, **params)
    assert_clean(at)
    assert not at.error
    assert len(at.warning) == 1, [w.value for w in at.warning]
    assert all(tr(part) in at.warning[0].value for part in parts), at.warning[0].value
    assert len(charts(at)) == 3


def test_a_start_outside_the_map_is_refused_with_a_message(open_page):
    at = open_page(PAGE, x0="7", y0="0")
    assert_clean(at)
    assert len(at.error) == 1 and tr(
        "The start ({x}, {y}) is outside this surface's domain [{x0}, {x1}] × [{y0}, {y1}]. Pick a start inside the "
        "map.").format(x="7", y="0", x0="-2", x1="2", y0="-1", y1="3") in at.error[0].value


def test_changing_the_surface_moves_the_start_to_its_own(open_page):
    at = open_page(PAGE)
    at.selectbox(key="surface").set_value("himmelblau").run()
    assert_clean(at)
    start = (at.number_input(key="x0").value, at.number_input(key="y0").value)
    assert start == race.surfaces.SURFACES["himmelblau"].start
    assert not at.error


def test_the_3d_and_internals_views(open_page):
    at = open_page(PAGE, show_3d="true", internals="true")
    assert_clean(at)
    figs = charts(at)
    assert len(figs) == 5
    assert figs[3]["data"][0]["type"] == "surface"
    assert figs[4]["layout"]["title"]["text"].replace("<br>", " ") == tr("Inside {racer}: what it computes at every step").format(
        racer=race.run(race.Config()).labels[0])
    assert at.dataframe, "the internals table at the chosen step"
    at.selectbox(key="inspect").set_value(race.run(race.Config()).labels[-1]).run()
    assert_clean(at)
    titles = [a["text"] for a in charts(at)[4]["layout"]["annotations"]]
    state = tr("state: {name}")
    assert state.format(name="exp_avg") in titles and state.format(name="exp_avg_sq") in titles


def test_internals_survive_a_race_with_other_racers_and_a_single_step(open_page):
    at = open_page(PAGE, internals="true")
    at.selectbox(key="inspect").set_value(race.run(race.Config()).labels[-1]).run()
    at.slider(key="inspect_step").set_value(400).run()
    at.button(key="preset.Saddle: SGD stalls, momentum escapes").click().run()
    assert_clean(at)
    assert at.selectbox(key="inspect").value in race.labels(race.PRESETS["Saddle: SGD stalls, momentum escapes"]
                                                           .config.optimizers)
    assert at.slider(key="inspect_step").value <= 150
    at.slider(key="steps").set_value(1).run()
    assert_clean(at)
    assert not at.error and len(charts(at)) == 4
