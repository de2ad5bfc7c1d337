"""Own data (a class's top request): a small CSV, validated, normalized and saved under its content's sha256, so a
Config names it `upload-<sha12>`, its run key and link stay small, and worker processes on this machine read it.

No torch here: `parse` checks a CSV and says which line or column is wrong; nncore.data builds the data set.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nncore.i18n import N_, _

MAX_BYTES = 200_000      # what a browser sends and a worker reads in a blink
MAX_ROWS = 5_000         # the lessons' largest sample count
MIN_ROWS = 20            # the Samples slider's minimum
MAX_FEATURES = 20        # inputs; plus one target column
MAX_CLASSES = 10         # a target of at most 10 whole numbers is a class label, anything else a number to predict
MIN_PER_CLASS = 5        # so that every class reaches both the training and the validation part
NAME = re.compile(r"upload-([0-9a-f]{12})")    # hex only: the name becomes a file name
# the help of the `dataset` fields that accept uploads
FIELD_HELP = N_("A set of the lessons, or your own CSV (upload-<sha12>: a name from its content); an upload gives all "
              "its rows when more samples are asked for.")
MISSING = N_("This uploaded data set is not on this server: upload it again.")


@dataclass(frozen=True, eq=False)
class Table:
    """A validated CSV: its inputs, its target (a class label or a number) and the column names, target last."""

    columns: tuple[str, ...]
    x: np.ndarray            # (rows, features) float32
    y: np.ndarray            # (rows,) float32: the target as written
    kind: str                # "classification" or "regression"
    classes: tuple[float, ...]   # the class labels in order (classification), else ()

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    def csv(self) -> str:
        """The normalized text: a header, then float32 numbers written exactly (9 digits), target last."""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(self.columns)
        np.savetxt(out, np.column_stack([self.x, self.y]), fmt="%.9g", delimiter=",")
        return out.getvalue()

    @functools.cached_property
    def name(self) -> str:
        """`upload-` and the first 12 hex digits of the normalized text's sha256: the same data, the same name."""
        return "upload-" + hashlib.sha256(self.csv().encode()).hexdigest()[:12]


def is_upload(name: object) -> bool:
    """Whether `name` is an upload's name (a hostile `upload-../../etc` is not)."""
    return isinstance(name, str) and NAME.fullmatch(name) is not None


def _number(text: str, line: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(_("Line {line}, column {column}: {text} is not a number.").format(
            line=line, column=repr(column), text=repr(text.strip()))) from None
    if not math.isfinite(value):
        raise ValueError(_("Line {line}, column {column}: {text} is not a finite number (no NaN or inf).").format(
            line=line, column=repr(column), text=repr(text.strip())))
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(column names, [(line, cells)]): the first row is a header unless all its cells are numbers."""
    lines = [(i, row) for i, row in enumerate(csv.reader(io.StringIO(text)), 1) if any(c.strip() for c in row)]
    if not lines:
        raise ValueError(_("The file is empty."))
    first = lines[0][1]
    if all(_is_number(c) for c in first):
        return [f"column {j + 1}" for j in range(len(first))], lines
    return [c.strip() for c in first], lines[1:]


def _target_index(columns: list[str], target: str | int | None) -> int:
    if target is None:
        return len(columns) - 1
    if isinstance(target, int) and -len(columns) <= target < len(columns):
        return target % len(columns)
    if target in columns:
        return columns.index(target)
    raise ValueError(_("There is no column {target}; the columns are: {columns}.").format(target=repr(target),
                                                                                     columns=", ".join(columns)))


def _check_shape(columns: list[str], rows: list[tuple[int, list[str]]]) -> None:
    if len(columns) < 2:
        raise ValueError(_("The file needs at least 2 comma-separated columns: the inputs, then the target."))
    if len(columns) > MAX_FEATURES + 1:
        raise ValueError(_("The file has {n} columns; at most {most} ({inputs} inputs and the target).").format(
            n=len(columns), most=MAX_FEATURES + 1, inputs=MAX_FEATURES))
    if len(rows) > MAX_ROWS:
        raise ValueError(_("The file has {n:,} rows of data; at most {most:,}.").format(n=len(rows), most=MAX_ROWS))
    if len(rows) < MIN_ROWS:
        raise ValueError(_("The file has {n} rows of data; at least {least} are needed.").format(n=len(rows),
                                                                                           least=MIN_ROWS))
    for line, cells in rows:
        if len(cells) != len(columns):
            raise ValueError(_("Line {line} has {n} values; the file has {columns} columns.").format(
                line=line, n=len(cells), columns=len(columns)))


def _classes(y: np.ndarray, column: str) -> tuple[float, ...]:
    """The class labels of a whole-number target with few values, each with enough rows; () for a number target."""
    labels, counts = np.unique(y, return_counts=True)
    if not np.all(y == np.round(y)) or len(labels) > MAX_CLASSES:
        if np.ptp(y) == 0:
            raise ValueError(_("The target column {column} has the same value in every row.").format(column=repr(column)))
        return ()
    if len(labels) < 2:
        raise ValueError(_("The target column {column} has one class only ({label:g}); at least 2 are needed.").format(
            column=repr(column), label=labels[0]))
    few = [(label, n) for label, n in zip(labels, counts) if n < MIN_PER_CLASS]
    if few:
        label, n = few[0]
        raise ValueError(_("Class {label:g} of the target column {column} has {n} rows; each class needs at least "
                           "{least}.").format(label=label, column=repr(column), n=n, least=MIN_PER_CLASS))
    return tuple(float(v) for v in labels)


def _text(content: str | bytes) -> str:
    """The file as text, if it is small enough and text at all."""
    raw = content.encode() if isinstance(content, str) else content
    if len(raw) > MAX_BYTES:
        raise ValueError(_("The file is {size:,.0f} kB; at most {most} kB.").format(size=len(raw) / 1000,
                                                                              most=MAX_BYTES // 1000))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("The file is not text (UTF-8): save it as CSV.")) from None


def columns(content: str | bytes) -> list[str]:
    """The column names of a CSV, in the file's order (what a target may be chosen from)."""
    return _rows(_text(content))[0]


def parse(content: str | bytes, target: str | int | None = None) -> Table:
    """Check a CSV (size, rows, columns, numbers only, no NaN or inf, the target) and read it: the target is the
    column named (or numbered) `target`, or the last; ValueError with the line or column that is wrong."""
    columns, rows = _rows(_text(content))
    _check_shape(columns, rows)
    values = np.array([[_number(c, line, columns[j]) for j, c in enumerate(cells)] for line, cells in rows])
    t = _target_index(columns, target)
    order = [j for j in range(len(columns)) if j != t] + [t]
    values = values[:, order].astype(np.float32)
    classes = _classes(values[:, -1], columns[t])
    return Table(tuple(columns[j] for j in order), values[:, :-1], values[:, -1],
                 "classification" if classes else "regression", classes)


def directory() -> Path:
    """Where uploads are kept: $NNLAB_UPLOADS, or a folder in the temporary directory."""
    return Path(os.environ.get("NNLAB_UPLOADS") or Path(tempfile.gettempdir()) / "nnlab-uploads")


def save(table: Table) -> str:
    """Write the normalized CSV under its name (atomically: a worker never reads half a file); return the name."""
    name = table.name
    path = directory() / f"{name}.csv"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=path.parent)   # one per writer: two sessions may save at once
        with os.fdopen(fd, "w") as out:
            out.write(table.csv())
        os.replace(tmp, path)
    return name


@functools.lru_cache(maxsize=16)
def table(name: str) -> Table:
    """The saved upload `name` (content-addressed, so a cached read stays right); ValueError if it is not here."""
    if not is_upload(name):
        raise ValueError(_("{name} is not the name of an uploaded data set.").format(name=repr(name)))
    path = directory() / f"{name}.csv"
    if not path.is_file():
        raise ValueError(_(MISSING))
    return parse(path.read_bytes())
