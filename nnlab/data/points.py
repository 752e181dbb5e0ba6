"""A student's own points: a CSV of `x1,x2,label` they upload, and points they click onto the plane.

`read_points` is the only way a file gets in. It reads the text the way the city tables are read
(nnlab.data.cities: size limit, UTF-8 with or without Excel's mark, comma/semicolon/tab, decimal commas)
and turns every problem a file can have into a `LabError` the page shows in the student's language.
Whole-number labels 0..k-1 are classes; as soon as one label has a fraction, the file is regression.

`points_dataset` is what the Playground trains on: the uploaded points split like any toy set (dataset
"custom"), or a generated set; the clicked points then join the training set only, so the test score
stays a score on points the student did not place.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from nnlab.data.cities import SHOWN_COLUMNS, _decode, _numbers, _parse, _shown_cell
from nnlab.data.dataset import Dataset, split_dataset
from nnlab.data.files import MAX_UPLOAD_BYTES
from nnlab.data.toy import make_dataset
from nnlab.errors import LabError, Phrase
from nnlab.spec import Experiment

MIN_POINTS = 10  # DataSpec's smallest sample too
MAX_POINTS = 5_000  # more than TF Playground ever draws; keeps a live epoch quick on a shared server
MIN_PER_CLASS = 2  # one to train on and one to test
MAX_CLASSES = 6  # DataSpec's range for the toy sets
MAX_COORDINATE = 100.0  # the plane is about [-6, 6]²; far beyond, the picture and x² features break down
MAX_VALUE = 100.0  # a regression label: TF Playground's lie in [-1, 1]
# Header names per column, best first, matched case-insensitively; without all three, a three-column
# file is read by position.
COLUMN_NAMES = MappingProxyType(
    {
        "x1": ("x1", "x"),
        "x2": ("x2", "y"),
        "label": ("label", "class", "target", "value", "z"),
    }
)
NOT_FINITE = frozenset({"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
# The city reader's problems, told about points instead of cities.
CITY_ERRORS = MappingProxyType(
    {
        "error_cities_not_text": "error_points_not_text",
        "error_cities_not_utf8": "error_points_not_utf8",
        "error_cities_empty": "error_points_empty",
        "error_cities_header_only": "error_points_one_line",
        "error_cities_row_too_long": "error_points_row_too_long",
        "error_cities_not_csv": "error_points_not_csv",
    }
)


@dataclass(frozen=True, eq=False)
class OwnPoints:
    """Points on the plane with their labels: int64 classes 0..k-1, or float32 numbers (`regression`)."""

    x: np.ndarray  # (n, 2) float32, raw plane coordinates
    y: np.ndarray  # (n,) int64 or float32
    regression: bool

    def __post_init__(self) -> None:
        x = np.array(self.x, dtype=np.float32).reshape(-1, 2)
        y = np.array(self.y, dtype=np.float32 if self.regression else np.int64).reshape(-1)
        for array in (x, y):
            array.setflags(write=False)  # shared between reruns and datasets: nobody edits them
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def __len__(self) -> int:
        return len(self.y)

    @property
    def n_classes(self) -> int:
        """Classes seen (largest label + 1); 0 for regression."""
        return 0 if self.regression or not len(self.y) else int(self.y.max()) + 1

    def plus(self, x1: float, x2: float, label: float) -> OwnPoints:
        """These points and one more (a click), as a new value: session state never changes in place."""
        return OwnPoints(np.vstack([self.x, [[x1, x2]]]), np.append(self.y, label), self.regression)


def class_names(count: int) -> tuple[str, ...]:
    """The names toy.make_dataset gives its classes."""
    return tuple(f"class {c}" for c in range(count))


def read_points(data: bytes) -> OwnPoints:
    """The points of a CSV `x1,x2,label` (header optional), checked; LabError says what is wrong and where."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise LabError("error_points_too_big", megabytes=MAX_UPLOAD_BYTES // (1024 * 1024))
    header, rows = _table(data)
    columns = _columns(header)
    if len(rows) < MIN_POINTS:
        raise LabError("error_points_too_few", count=len(rows), least=MIN_POINTS)
    if len(rows) > MAX_POINTS:
        raise LabError("error_points_too_many", count=len(rows), most=MAX_POINTS)
    titles = {role: header[column] or role for role, column in columns.items()}
    values = {role: _finite(rows[column], titles[role]) for role, column in columns.items()}
    for role in ("x1", "x2"):
        _check_range(values[role], titles[role], MAX_COORDINATE, "error_points_coordinate_range")
    x = np.stack([values["x1"].to_numpy(), values["x2"].to_numpy()], axis=1)
    labels = values["label"]
    if (labels != labels.round()).any():
        _check_range(labels, titles["label"], MAX_VALUE, "error_points_value_range")
        if labels.nunique() == 1:  # nothing to learn, and R² would divide by zero
            raise LabError("error_points_same_value", value=float(labels.iloc[0]))
        return OwnPoints(x, labels.to_numpy(), regression=True)
    return OwnPoints(x, _classes(labels, titles["label"]), regression=False)


def points_dataset(
    experiment: Experiment, uploaded: OwnPoints | None = None, clicked: OwnPoints | None = None
) -> Dataset:
    """What the Playground trains on: "custom" splits the uploaded points (train ratio, seed), any other
    dataset is generated; clicked points then join the training set (never the test set)."""
    data, train = experiment.data, experiment.train
    if data.dataset == "custom":
        if uploaded is None or not len(uploaded):
            raise LabError("error_no_own_points")
        names = () if uploaded.regression else class_names(uploaded.n_classes)
        points = split_dataset("custom", uploaded.x, uploaded.y, train.train_ratio, train.seed, names)
    else:
        points = make_dataset(data, train.train_ratio, train.seed)
    if clicked is None or not len(clicked):
        return points
    _check_clicks_fit(points, clicked)
    return with_training_points(points, clicked)


def with_training_points(points: Dataset, extra: OwnPoints) -> Dataset:
    """`points` with `extra` appended to its training set (labels in the dataset's own dtype), read-only."""
    x_train = np.concatenate([points.x_train, extra.x.astype(points.x_train.dtype)])
    y_train = np.concatenate([points.y_train, extra.y.astype(points.y_train.dtype)])
    for array in (x_train, y_train):
        array.setflags(write=False)
    return Dataset(points.name, x_train, y_train, points.x_test, points.y_test, points.class_names)


def _check_clicks_fit(points: Dataset, clicked: OwnPoints) -> None:
    """Clicked points must be the same kind as the data (classes or numbers), and their classes must exist."""
    if clicked.regression != points.regression:
        raise LabError("error_points_clicked_values" if clicked.regression else "error_points_clicked_classes")
    if not clicked.regression and clicked.n_classes > points.n_classes:
        raise LabError("error_points_clicked_class", label=clicked.n_classes - 1, classes=points.n_classes)


# --- reading the file -------------------------------------------------------------------------------


def _table(data: bytes) -> tuple[list[str], pd.DataFrame]:
    """The header (invented when the first row is numbers) and the cells as text, indexed by line."""
    try:
        text = _decode(data)
        header, rows = _parse(text)
    except LabError as error:
        if error.key not in CITY_ERRORS:
            raise
        raise LabError(CITY_ERRORS[error.key], **error.params) from None
    if len(header) >= 2 and all(_is_number(cell) for cell in header):  # no header: the first row is a point
        if len(header) != len(COLUMN_NAMES):
            raise _missing_columns(header)
        first_line = text[: len(text) - len(text.lstrip())].count("\n") + 1
        first = pd.DataFrame([header], index=[first_line], columns=rows.columns, dtype=str)
        rows, header = pd.concat([first, rows]), [""] * len(header)  # unnamed: read by position
    return header, rows


def _is_number(cell: str) -> bool:
    """Whether a cell is written as a number (NaN and infinity too: they get their own message later)."""
    return cell.strip().lower() in NOT_FINITE or bool(_numbers(pd.Series([cell], dtype=str)).notna().all())


def _columns(header: list[str]) -> dict[str, int]:
    """Column number of x1, x2 and label: by name when all three are named, else by position in a
    three-column file."""
    names = [name.strip().lower() for name in header]
    found = {}
    for role, aliases in COLUMN_NAMES.items():
        free = [names.index(alias) for alias in aliases if alias in names]
        free = [column for column in free if column not in found.values()]  # "y" named x2 is not also the label
        if free:
            found[role] = free[0]
    if len(found) == len(COLUMN_NAMES):
        return found
    if len(header) == len(COLUMN_NAMES):
        return dict(zip(COLUMN_NAMES, range(len(COLUMN_NAMES))))
    raise _missing_columns(header)


def _missing_columns(first_row: list[str]) -> LabError:
    """Which columns the file needs, and what its first row holds instead."""
    shown = tuple(Phrase("error_quoted", text=_shown_cell(cell)) for cell in first_row[:SHOWN_COLUMNS])
    more = Phrase("error_and_more", count=len(first_row) - SHOWN_COLUMNS) if len(first_row) > SHOWN_COLUMNS else ""
    return LabError("error_points_missing_columns", count=len(first_row), listed=shown, more=more)


def _finite(cells: pd.Series, title: str) -> pd.Series:
    """A column as float64, after checking every cell is a finite number; the first bad one is named."""
    values = _numbers(cells)
    bad = values.isna() | ~np.isfinite(values.fillna(0.0))
    if bad.any():
        line = bad.idxmax()
        cell = cells[line]
        if cell.strip().lower() in NOT_FINITE:
            raise LabError("error_points_not_finite", title=title, line=int(line), cell=cell.strip())
        problem = Phrase("error_cell_empty") if not cell else Phrase("error_cell_has", cell=_shown_cell(cell))
        raise LabError("error_points_not_a_number", title=title, line=int(line), problem=problem)
    return values


def _check_range(values: pd.Series, title: str, limit: float, key: str) -> None:
    """Refuse the first value beyond ±limit, naming its row."""
    outside = values.abs() > limit
    if outside.any():
        line = outside.idxmax()
        raise LabError(key, title=title, line=int(line), value=float(values[line]), limit=limit)


def _classes(labels: pd.Series, title: str) -> np.ndarray:
    """Whole-number labels as classes 0..k-1: none negative, no gaps, 2 to 6 classes, two points each."""
    negative = labels < 0
    if negative.any():
        line = negative.idxmax()
        raise LabError("error_points_negative_class", title=title, line=int(line), label=int(labels[line]))
    present = sorted(int(c) for c in labels.unique())
    if len(present) > MAX_CLASSES:
        raise LabError("error_points_too_many_classes", classes=len(present), most=MAX_CLASSES)
    if len(present) == 1:
        raise LabError("error_points_one_class", label=present[0])
    if present[-1] >= len(present):
        missing = min(set(range(present[-1])) - set(present))
        raise LabError("error_points_missing_class", missing=missing, largest=present[-1])
    counts = labels.value_counts()
    small = sorted(int(c) for c in counts[counts < MIN_PER_CLASS].index)
    if small:
        raise LabError("error_points_small_class", label=small[0], count=int(counts[small[0]]), least=MIN_PER_CLASS)
    return labels.to_numpy(np.int64)
