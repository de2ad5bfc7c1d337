"""The main interaction of each lesson that had no browser test: open the page (small settings by its link), change
its main control as a student would (a key on a slider, a click on a toggle, a choice in a select box), wait for the
rerun, and check that the chart or the notice changed as the lesson says and that no error is shown."""
from __future__ import annotations

import numpy as np
from playwright.sync_api import Page, expect

import app
from tests.e2e.conftest import assert_no_error, wait_for_app

LESSONS = {lesson.file: lesson for lessons in app.COURSE.values() for lesson in lessons}
CHARTS = "[data-testid=stPlotlyChart] .js-plotly-plot"


def open_lesson(page: Page, server, file: str, query: str = "") -> None:
    """The lesson's page by deep link, run to the end with its charts drawn and no error."""
    lesson = LESSONS[file]
    page.goto(f"{server.url}/{lesson.url_path}{query}")
    wait_for_app(page, ready=page.get_by_role("heading", level=1, name=lesson.title))
    expect(page.locator(CHARTS).first).to_be_visible()
    assert_no_error(page)


def traces(page: Page, chart: int) -> list[dict]:
    """The traces of one chart as Plotly drew them: name (None if unnamed) and y values."""
    return page.evaluate("""([charts, i]) => document.querySelectorAll(charts)[i]._fullData.map(
        t => ({name: t.name || null, y: Array.from(t.y || [], Number)}))""", [CHARTS, chart])


def curve(page: Page, chart: int, name: str) -> list[float]:
    """The y values of the first trace called `name` in one chart."""
    return next(t["y"] for t in traces(page, chart) if t["name"] == name)


def names(page: Page, chart: int) -> list[str]:
    return [t["name"] for t in traces(page, chart) if t["name"]]


def press(page: Page, slider: str, key: str, nth: int = 0) -> None:
    """A key on a slider's thumb (ArrowRight: one step up, Home: its minimum), as a keyboard user moves it."""
    thumb = page.locator(f'input[type=range][aria-label="{slider}"]').nth(nth)
    thumb.focus()
    thumb.press(key)


def choose(page: Page, box: str, option: str) -> None:
    """Open a select box by its label and click one of its options."""
    page.get_by_test_id("stSelectbox").filter(has_text=box).locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()


def notices(page: Page) -> str:
    return " ".join(page.locator("[data-testid=stAlertContentInfo]").all_inner_texts())


def in_chart(page: Page, text: str):
    """Something a redrawn chart shows (a legend entry, an annotation)."""
    return page.locator("[data-testid=stPlotlyChart]").get_by_text(text, exact=True)


def test_augmentation_off_in_b_gives_a_curves(server, page):
    open_lesson(page, server, "pages/augmentation.py", "?epochs=20")
    a_val = curve(page, 0, "A: no augmentation: validation")
    assert curve(page, 0, "B: augmented: validation") != a_val

    page.get_by_test_id("stCheckbox").filter(has_text="Augmentation").locator("label").click()
    wait_for_app(page, ready=in_chart(page, "B: (augmentation off): validation"))
    assert_no_error(page)
    assert curve(page, 0, "B: (augmentation off): validation") == a_val   # same seed and data: the only difference


def test_batch_vs_decay_factor_sets_both_the_cut_and_the_growth(server, page):
    open_lesson(page, server, "pages/batch_vs_decay.py", "?epochs=4&every=2&samples=500")
    assert names(page, 0)[0] == "decay the lr: ÷5 every 2 epochs"

    press(page, "Factor k", "ArrowRight")    # k = 5.5
    wait_for_app(page, ready=in_chart(page, "decay the lr: ÷5.5 every 2 epochs"))
    assert_no_error(page)
    assert "grow the batch: ×5.5 every 2 epochs" in names(page, 0)
    decay, grow = (np.array(t["y"]) for t in traces(page, 0)[2:8:4])   # the noise scale α/B of each run, per epoch
    np.testing.assert_allclose(decay, grow, rtol=1e-12)    # the same in both runs: the lesson's point
    cuts = np.log(decay[1:] / decay[:-1]) / np.log(1 / 5.5)
    np.testing.assert_allclose(cuts, np.round(cuts), atol=1e-9)
    assert set(np.round(cuts)) == {0, 1}, "every change divides α/B by k = 5.5"


def test_capacity_width_of_b_retrains_b(server, page):
    open_lesson(page, server, "pages/capacity.py", "?epochs=30")
    before = curve(page, 0, "B: 2×128: validation")

    press(page, "Units per hidden layer", "ArrowLeft", nth=1)   # B's width: 128 -> 64
    wait_for_app(page, ready=in_chart(page, "B: 2×64: validation"))
    assert_no_error(page)
    assert curve(page, 0, "B: 2×64: validation") != before
    assert "A: 1×2: validation" in names(page, 0), "A is left as it was"


def test_dead_relu_negative_bias_moves_the_marked_case(server, page):
    open_lesson(page, server, "pages/dead_relu.py", "?epochs=2")
    assert "with bias -1," in notices(page)

    press(page, "A negative initial bias", "Home")   # -10
    wait_for_app(page, ready=page.locator("[data-testid=stAlertContentInfo]").filter(has_text="with bias -10"))
    assert_no_error(page)
    lines = page.evaluate("(charts) => document.querySelectorAll(charts)[0]._fullLayout.shapes.map(s => s.x0)", CHARTS)
    assert sorted(lines) == [-10, 0.01], "the chart marks the new negative bias"


def test_early_stopping_patience_is_the_gap_between_best_and_stop(server, page):
    open_lesson(page, server, "pages/early_stopping.py", "?epochs=100")

    def best_and_stop() -> tuple[int, int]:
        found = {n.split(" epoch ")[0]: int(n.split(" epoch ")[1]) for n in names(page, 0) if " epoch " in n}
        return found["best"], found["stopped at"]

    best, stop = best_and_stop()
    assert stop - best == 20, (best, stop)   # Keras' patience: 20 epochs without improvement, then stop

    press(page, "Patience (epochs)", "Home")   # patience 1
    wait_for_app(page, ready=in_chart(page, "B: patience 1: validation"))
    assert_no_error(page)
    best, stop = best_and_stop()
    assert stop - best == 1, (best, stop)


def test_gradient_flow_depth_sets_the_layers_the_gradient_crosses(server, page):
    open_lesson(page, server, "pages/gradient_flow.py", "?samples=64")
    assert {len(t["y"]) for t in traces(page, 0) if t["name"] in ("Sigmoid", "ReLU")} == {20}

    press(page, "Layers", "ArrowLeft")   # 19 layers
    wait_for_app(page, ready=page.locator("[data-testid=stAlertContentInfo]").filter(has_text="relative to layer 19"))
    assert_no_error(page)
    assert {len(t["y"]) for t in traces(page, 0) if t["name"] in ("Sigmoid", "ReLU")} == {19}


def test_lr_schedules_choosing_a_schedule_redraws_it(server, page):
    open_lesson(page, server, "pages/lr_schedules.py", "?steps=50")
    assert names(page, 0)[0] == "Step decay"

    choose(page, "Schedule 1", "Exponential decay")
    wait_for_app(page, ready=in_chart(page, "Exponential decay"))
    assert_no_error(page)
    lr = curve(page, 0, "Exponential decay")
    assert names(page, 0)[1:] == ["Cosine annealing", "Cosine annealing + gradual warmup 10"]
    np.testing.assert_allclose(lr, 0.1 * 0.9 ** np.arange(len(lr)), rtol=1e-6)   # α₀ γ^t with its default γ


def test_normalization_layer_norm_in_b(server, page):
    open_lesson(page, server, "pages/normalization.py", "?epochs=10")
    before = curve(page, 0, "B: batch norm before the activation: validation")

    choose(page, "Normalization", "layer")
    wait_for_app(page, ready=in_chart(page, "B: layer norm before the activation: validation"))
    assert_no_error(page)
    assert curve(page, 0, "B: layer norm before the activation: validation") != before


def test_softmax_temperature_flattens_the_probabilities(server, page):
    open_lesson(page, server, "pages/softmax_output.py")
    press(page, "Temperature T", "ArrowRight")   # T = 2
    wait_for_app(page, ready=in_chart(page, "softmax(z / 2)"))
    assert_no_error(page)
    scores = np.array([3.2, 5.1, -1.7]) / 2
    expected = np.exp(scores) / np.exp(scores).sum()
    np.testing.assert_allclose(curve(page, 0, "softmax(z / 2)"), expected, rtol=1e-5)
    assert max(curve(page, 0, "T = 1")) > expected.max(), "T > 1 flattens the distribution"


def test_weight_penalties_without_l2_b_is_a(server, page):
    open_lesson(page, server, "pages/weight_penalties.py", "?epochs=20")
    a_val = curve(page, 0, "A: no penalty: validation")
    assert curve(page, 0, "B: L2 0.005: validation") != a_val

    press(page, "L2 λ", "Home")   # λ = 0: B has no penalty left
    wait_for_app(page, ready=in_chart(page, "B: no penalty: validation"))
    assert_no_error(page)
    assert curve(page, 0, "B: no penalty: validation") == a_val
