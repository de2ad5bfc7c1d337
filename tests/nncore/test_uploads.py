"""Own data (nncore.uploads, nncore.data.from_csv): a CSV is checked (size, rows, columns, numbers, classes) with a
message naming what is wrong, saved under a stable content-addressed name that a Config and a link carry, and the
regularization run trains on it; a hostile name is refused."""
import dataclasses

import numpy as np
import pytest
import torch

from nncore import data, i18n, params, uploads
from nncore import regularization as reg
from tests.pages.helpers import tr


def csv_text(rows: np.ndarray, header: str | None = "x,y,label") -> str:
    lines = [header] if header else []
    return "\n".join(lines + [",".join(f"{v:g}" for v in row) for row in rows]) + "\n"


def clouds(n: int = 200, seed: int = 0) -> np.ndarray:
    """Two well separated Gaussian clouds in the plane: columns x, y (3 decimals, as a CSV writes them), label."""
    rng = np.random.default_rng(seed)
    label = np.arange(n) % 2
    xy = rng.normal(0, 0.5, (n, 2)) + np.where(label[:, None] == 1, 2.0, -2.0)
    return np.column_stack([np.round(xy, 3), label])


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NNLAB_UPLOADS", str(tmp_path))
    return tmp_path


def test_a_good_csv_reads_with_the_target_last_and_classes_counted():
    table = uploads.parse(csv_text(clouds()))
    assert table.columns == ("x", "y", "label") and table.kind == "classification" and table.classes == (0.0, 1.0)
    np.testing.assert_array_equal(table.x, clouds()[:, :2].astype(np.float32))
    chosen = uploads.parse(csv_text(clouds()), target="x")      # another target column: it goes last
    assert chosen.columns == ("y", "label", "x") and chosen.kind == "regression"


def test_a_csv_without_a_header_is_numbered():
    assert uploads.parse(csv_text(clouds(), header=None)).columns == ("column 1", "column 2", "column 3")
    assert uploads.columns(csv_text(clouds(), header=None)) == ["column 1", "column 2", "column 3"]
    assert uploads.columns(csv_text(clouds())) == ["x", "y", "label"]


NOT_A_NUMBER = "Line {line}, column {column}: {text} is not a number."
NOT_FINITE = "Line {line}, column {column}: {text} is not a finite number (no NaN or inf)."


@pytest.mark.parametrize("text, message, values", [   # the message in the suite's language, filled as uploads does
    ("a,b\n" + "1,0\n" * 70_000, "The file is {size:,.0f} kB; at most {most} kB.", dict(size=280.004, most=200)),
    ("a,b\n" + "1,0\n" * 5_001, "The file has {n:,} rows of data; at most {most:,}.", dict(n=5001, most=5000)),
    ("a,b\n" + "1,0\n" * 10, "The file has {n} rows of data; at least {least} are needed.", dict(n=10, least=20)),
    (",".join(f"c{i}" for i in range(22)) + "\n" + ("1," * 21 + "0\n") * 30,
     "The file has {n} columns; at most {most} ({inputs} inputs and the target).", dict(n=22, most=21, inputs=20)),
    ("a\n" + "1\n" * 30, "The file needs at least 2 comma-separated columns: the inputs, then the target.", {}),
    ("a,b\n" + "1,0\n2,1\n" * 10 + "3,oops\n", NOT_A_NUMBER, dict(line=22, column="'b'", text="'oops'")),
    ("a,b\n" + "1,0\n2,1\n" * 10 + "nan,1\n", NOT_FINITE, dict(line=22, column="'a'", text="'nan'")),
    ("a,b\n" + "1,0\n2,1\n" * 10 + "inf,1\n", NOT_FINITE, dict(line=22, column="'a'", text="'inf'")),
    ("a,b\n" + "1,0\n2,1\n" * 10 + "3\n", "Line {line} has {n} values; the file has {columns} columns.",
     dict(line=22, n=1, columns=2)),
    ("a,b\n" + "1,7\n" * 30, "The target column {column} has one class only ({label:g}); at least 2 are needed.",
     dict(column="'b'", label=7.0)),
    ("a,b\n" + "1,0\n" * 30 + "2,1\n",
     "Class {label:g} of the target column {column} has {n} rows; each class needs at least {least}.",
     dict(label=1.0, column="'b'", n=1, least=5)),
    ("a,b\n" + "1,0.5\n" * 30, "The target column {column} has the same value in every row.", dict(column="'b'")),
])
def test_a_bad_csv_gets_a_message_naming_what_is_wrong(text, message, values):
    with pytest.raises(ValueError) as err:
        uploads.parse(text)
    assert str(err.value) == tr(message).format(**values)


def test_an_unknown_target_column_names_the_columns():
    with pytest.raises(ValueError) as err:
        uploads.parse(csv_text(clouds()), target="z")
    assert str(err.value) == tr("There is no column {target}; the columns are: {columns}.").format(
        target="'z'", columns="x, y, label")


def test_the_name_is_stable_and_follows_the_content_not_its_spelling(upload_dir):
    text = csv_text(clouds())
    name = uploads.save(uploads.parse(text))
    assert uploads.is_upload(name) and (upload_dir / f"{name}.csv").is_file()
    respelled = text.replace("\n", "\r\n").replace(",0\r", ",0.0\r")     # CRLF, 0.0 for 0: the same data
    assert uploads.parse(respelled).name == name
    assert uploads.parse(csv_text(clouds(seed=1))).name != name
    assert uploads.parse((upload_dir / f"{name}.csv").read_text()).name == name    # the saved file names itself


@pytest.mark.parametrize("name", ["upload-../../etc", "upload-../../etc/passwd", "upload-ABCDEF012345",
                                  "upload-0123456789ab/..", "upload-0123"])
def test_a_hostile_or_malformed_name_is_refused_by_the_config_and_the_loader(name):
    assert not uploads.is_upload(name)
    assert params.check_value(reg.Config, "dataset", name) is not None
    with pytest.raises(ValueError):
        reg.run(reg.Config(dataset=name))
    with pytest.raises(ValueError, match=tr("Unknown data set {name}; choose one of: {choices}.").split("{")[0]):
        data.load(name)


def test_a_name_not_on_this_server_says_upload_it_again():
    name = "upload-" + "0" * 12
    assert params.check_value(reg.Config, "dataset", name) is None      # a link may carry it ...
    with pytest.raises(ValueError, match=tr(uploads.MISSING)):
        data.load(name)                                                  # ... the run says what to do


def test_an_upload_loads_like_a_set_of_the_lessons():
    name = uploads.save(uploads.parse(csv_text(clouds())))
    d = data.load(name, 150, seed=3)
    assert (d.kind, d.n_classes, d.n_features, len(d.y_train) + len(d.y_val), len(d.y_val)) == \
        ("classification", 2, 2, 150, 45)
    assert torch.equal(d.x_train, data.load(name, 150, seed=3).x_train)
    raw = torch.cat([d.x_train, d.x_val]) * d.std + d.mean                   # back to the CSV's numbers
    nearest = np.abs(raw.numpy()[:, None, :] - clouds()[None, :, :2]).max(2).min(1)
    assert nearest.max() < 1e-4                    # every sample is a row of the CSV (to float32 rounding)
    assert len(data.load(name, 5000).y_train) + len(data.load(name, 5000).y_val) == 200   # at most its rows


def test_from_csv_reads_a_path_or_text_with_a_chosen_target(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(csv_text(clouds()))
    a, b = data.from_csv(path, seed=1), data.from_csv(str(path), seed=1)
    assert torch.equal(a.x_train, b.x_train) and a.name == uploads.parse(path.read_text()).name
    assert len(a.y_train) + len(a.y_val) == 200
    c = data.from_csv(path.read_text(), target="x", n_samples=100)
    assert (c.kind, c.n_features, c.y_train.shape[1], len(c.y_train) + len(c.y_val)) == ("regression", 2, 1, 100)


def test_the_regularization_run_trains_on_an_upload():
    name = uploads.save(uploads.parse(csv_text(clouds())))
    cfg = reg.Config(dataset=name, n_samples=5000, epochs=60)
    r = reg.run(cfg)
    assert r.n_train + r.n_val == 200 and r.kind == "classification"
    assert r.val_err < 0.05                           # two clouds 4 std apart: a net separates them
    assert r.grid_class is not None                   # two inputs: the decision boundary is drawn
    note = "Your data has {rows} rows: all of them are used (Samples asks for {asked})."   # in the suite's language
    assert r.notes == (i18n.translation(i18n.default_language()).gettext(note).format(
        rows=200, asked=i18n.number(5000, ",", i18n.default_language())),)


def test_the_regularization_run_fits_an_uploaded_regression():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (300, 3))
    y = 2 * x[:, 0] - x[:, 1] + 0.05 * rng.normal(size=300)
    name = uploads.save(uploads.parse(csv_text(np.column_stack([x, y]), header="a,b,c,target")))
    r = reg.run(reg.Config(dataset=name, n_samples=300, epochs=200))
    assert r.kind == "regression" and r.val_err < 0.1   # MSE under 10% of Var(y): the linear target is learned


def test_the_learning_rate_lessons_train_on_an_upload_with_all_its_rows():
    from nncore.experiments import schedule_race
    name = uploads.save(uploads.parse(csv_text(clouds())))
    cfg = dataclasses.replace(schedule_race.Config(), dataset=name, samples=1000)
    r = schedule_race.run(cfg)
    assert params.check_value(schedule_race.Config, "dataset", name) is None
    assert np.all(np.isfinite(r.val_loss)) and np.all(r.val_acc[:, -1] > 0.95)   # the clouds are separable
    with pytest.raises(ValueError, match=tr(uploads.MISSING)):
        schedule_race.run(dataclasses.replace(cfg, dataset="upload-" + "1" * 12))


def test_sessions_saving_the_same_upload_at_once_leave_one_whole_file(upload_dir):
    from concurrent.futures import ThreadPoolExecutor
    table = uploads.parse(csv_text(clouds()))
    with ThreadPoolExecutor(8) as pool:
        names = set(pool.map(lambda _: uploads.save(table), range(32)))
    assert names == {table.name} and [p.name for p in upload_dir.iterdir()] == [f"{table.name}.csv"]
    assert (upload_dir / f"{table.name}.csv").read_text() == table.csv()
