"""Own data on a regularization page (capacity's shared controls) in AppTest: an uploaded CSV is chosen, named in the
link and run; a malformed one gets a message naming the line while the page keeps its data set; a link to an upload
opens it, to a missing one says to upload again, to a hostile name falls back with the link notice."""
from __future__ import annotations

import numpy as np
import pytest

from nncore import uploads
from tests.pages.helpers import assert_clean, charts, tr

PAGE = "pages/capacity.py"


def clouds_csv(n: int = 400) -> bytes:
    """Two Gaussian clouds far apart in the plane, label last."""
    rng = np.random.default_rng(0)
    label = np.arange(n) % 2
    xy = rng.normal(0, 0.5, (n, 2)) + np.where(label[:, None] == 1, 2.0, -2.0)
    return ("u,v,label\n" + "".join(f"{a:.3f},{b:.3f},{c}\n" for a, b, c in zip(*xy.T, label))).encode()


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_UPLOADS", str(tmp_path))


def points(at) -> np.ndarray:
    """The training points the fits chart draws (x, y of its marker traces)."""
    fig = charts(at)[-1]
    xs = [np.asarray(t["x"], float) for t in fig["data"] if t.get("mode") == "markers" and isinstance(t.get("x"), list)]
    return np.concatenate(xs) if xs else np.array([])


def test_an_uploaded_csv_is_chosen_linked_and_run(open_page):
    at = open_page(PAGE)
    before = charts(at)
    at.file_uploader(key="dataset.csv").set_value(("clouds.csv", clouds_csv(), "text/csv")).run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    name = uploads.parse(clouds_csv()).name
    assert at.selectbox(key="dataset").value == name and at.query_params["dataset"] == name
    after = charts(at)
    assert len(after) == len(before) and after[0] != before[0]      # the runs are on the upload now


def test_a_malformed_upload_gets_a_message_and_the_page_keeps_its_data(open_page):
    at = open_page(PAGE)
    bad = clouds_csv().replace(b"\n", b"\n1.0,oops,1\n", 1)
    at.file_uploader(key="dataset.csv").set_value(("bad.csv", bad, "text/csv")).run()
    assert_clean(at)
    problem = tr("Line {line}, column {column}: {text} is not a number.").format(line=2, column="'v'", text="'oops'")
    assert any(tr("{file}: {problem} The data set is unchanged.").format(file="bad.csv", problem=problem) == e.value
               for e in at.error), at.error
    assert at.selectbox(key="dataset").value == "circles" and len(charts(at)) >= 2


def test_a_link_opens_a_saved_upload_or_says_what_is_wrong(open_page):
    name = uploads.save(uploads.parse(clouds_csv()))
    at = open_page(PAGE, dataset=name)
    assert_clean(at)
    assert not at.error and at.selectbox(key="dataset").value == name
    at = open_page(PAGE, dataset="upload-" + "0" * 12)
    assert_clean(at)
    assert any(tr(uploads.MISSING) in e.value for e in at.error)
    at = open_page(PAGE, dataset="upload-../../etc")
    assert_clean(at)
    notice = tr("Some values in this link were not usable and were replaced by defaults: {problems}")
    assert at.warning and at.warning[0].value.startswith(notice.format(problems=""))
    assert "'upload-../../etc'" in at.warning[0].value and at.selectbox(key="dataset").value == "circles"


@pytest.mark.parametrize("page, key", [("pages/schedule_race.py", "dataset"), ("pages/lr_finder.py", "r_dataset")])
def test_the_learning_rate_lessons_take_an_upload_too(open_page, page, key):
    at = open_page(page)
    before = charts(at)
    at.file_uploader(key=f"{key}.csv").set_value(("clouds.csv", clouds_csv(), "text/csv")).run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert at.query_params[key] == uploads.parse(clouds_csv()).name and charts(at) != before


def regression_csv(inputs: int) -> bytes:
    """y = sin(2 x1) (+ x2 - x3 ...) with a little noise: a regression target of `inputs` inputs."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, (300, inputs))
    y = np.sin(2 * x[:, 0]) + x[:, 1:].sum(1) * 0.5 + 0.05 * rng.normal(size=300)
    rows = np.column_stack([x, y])
    return ("\n".join(",".join(f"{v:.4f}" for v in row) for row in rows) + "\n").encode()


@pytest.mark.parametrize("page", ["pages/capacity.py", "pages/augmentation.py", "pages/normalization.py",
                                  "pages/early_stopping.py", "pages/weight_penalties.py"])
@pytest.mark.parametrize("inputs", [1, 3])
def test_every_regularization_page_runs_an_uploaded_regression(open_page, page, inputs):
    at = open_page(page, dataset=uploads.save(uploads.parse(regression_csv(inputs))))
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert charts(at)


def test_the_target_column_is_the_last_or_the_one_chosen(open_page):
    at = open_page(PAGE)
    one_class = clouds_csv().replace(b"\n", b",1\n").replace(b"label,1\n", b"label,const\n", 1)   # last: all 1
    at.file_uploader(key="dataset.csv").set_value(("mine.csv", one_class, "text/csv")).run()
    assert_clean(at)
    problem = tr("The target column {column} has one class only ({label:g}); at least 2 are needed.")
    assert any(e.value.startswith("mine.csv: " + problem.split("(")[0].format(column="'const'"))
               for e in at.error), at.error
    assert at.selectbox(key="dataset").value == "circles"
    target = at.selectbox(key="dataset.target")
    assert target.options == ["u", "v", "label", "const"] and target.value == "const"
    target.select("label").run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="dataset").value == uploads.parse(one_class, target="label").name
    at.selectbox(key="dataset.target").select("u").run()        # a number to predict: regression on u
    assert not at.error and at.selectbox(key="dataset").value == uploads.parse(one_class, target="u").name
