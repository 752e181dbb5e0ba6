"""A student's own points: every bad CSV gets its own clear message in both languages, good files of classes
and of numbers read as such, and points_dataset trains on them (clicked points join the training set only)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nnlab.catalogue import CATALOGUE
from nnlab.data.files import MAX_UPLOAD_BYTES
from nnlab.data.points import MAX_POINTS, OwnPoints, points_dataset, read_points
from nnlab.data.toy import make_dataset
from nnlab.errors import LabError
from nnlab.spec import Experiment, train_size


def csv(rows, header: str | None = "x1,x2,label", separator: str = ",") -> bytes:
    lines = [header] if header is not None else []
    lines += [separator.join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def two_classes(n: int = 40, seed: int = 0) -> list[tuple]:
    rng = np.random.default_rng(seed)
    return [(round(a, 3), round(b, 3), int(a * b > 0)) for a, b in rng.uniform(-5, 5, (n, 2))]


def numbers(n: int = 40, seed: int = 0) -> list[tuple]:
    rng = np.random.default_rng(seed)
    return [(round(a, 3), round(b, 3), round((a + b) / 10, 3)) for a, b in rng.uniform(-5, 5, (n, 2))]


def replaced(rows: list[tuple], index: int, row: tuple) -> list[tuple]:
    return [row if i == index else r for i, r in enumerate(rows)]


# Each bad file, and the key of the message it must get (no two files the same key).
BAD_FILES = {
    "empty": (b"", "error_points_empty"),
    "blank lines only": (b"\n\n  \n", "error_points_empty"),
    "binary (an Excel workbook)": (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "error_points_not_text"),
    "not UTF-8": ("x1,x2,label\n1,2,0\nпривет,2,1\n".encode("cp1251"), "error_points_not_utf8"),
    "header only": (b"x1,x2,label\n", "error_points_one_line"),
    "two columns": (csv([(1, 2)] * 20, header="x1,x2"), "error_points_missing_columns"),
    "row too long": (csv(replaced(two_classes(), 3, (1, 2, 0, 5))), "error_points_row_too_long"),
    "a runaway quote": (b'x1,x2,label\n1,2,0\n"' + b"1" * 140_000 + b"\n", "error_points_not_csv"),
    "a word": (csv(replaced(two_classes(), 5, (1, "two", 0))), "error_points_not_a_number"),
    "an empty cell": (csv(replaced(two_classes(), 5, (1, "", 0))), "error_points_not_a_number"),
    "NaN": (csv(replaced(two_classes(), 7, ("nan", 1, 0))), "error_points_not_finite"),
    "infinity": (csv(replaced(numbers(), 7, (1, 1, "inf"))), "error_points_not_finite"),
    "too few": (csv(two_classes(9)), "error_points_too_few"),
    "too many": (csv(two_classes(MAX_POINTS + 1)), "error_points_too_many"),
    "far off the plane": (csv(replaced(two_classes(), 2, (1, 250.5, 0))), "error_points_coordinate_range"),
    "a huge value": (csv(replaced(numbers(), 2, (1, 2, 1e6 + 0.5))), "error_points_value_range"),
    "one value": (csv([(i, -i, 0.5) for i in range(20)]), "error_points_same_value"),
    "TF Playground's -1/1": (csv([(i, -i, 1 if i % 2 else -1) for i in range(20)]), "error_points_negative_class"),
    "ten classes": (csv([(i, -i, i % 10) for i in range(40)]), "error_points_too_many_classes"),
    "a gap": (csv([(i, -i, (0, 1, 3)[i % 3]) for i in range(30)]), "error_points_missing_class"),
    "one class": (csv([(i, -i, 1) for i in range(20)]), "error_points_one_class"),
    "a class of one point": (csv([(i, -i, 0 if i else 1) for i in range(20)]), "error_points_small_class"),
}


def test_every_bad_file_has_a_message_of_its_own():
    keys = [key for _, key in BAD_FILES.values()]
    assert len(set(keys)) == len(keys) - 3 >= 8  # repeats: empty/blank lines, a word/an empty cell, NaN/infinity


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_message_in_both_languages(name):
    data, key = BAD_FILES[name]
    with pytest.raises(LabError) as caught:
        read_points(data)
    error = caught.value
    assert error.key == key
    english, russian = error.message("en"), error.message("ru")
    assert str(error) == english and "{" not in english and "{" not in russian
    assert re.search("[а-яё]", russian, re.IGNORECASE) and english != russian
    assert key in CATALOGUE["en"] and key in CATALOGUE["ru"]


def test_messages_point_at_the_row_and_column():
    with pytest.raises(LabError) as caught:
        read_points(csv(replaced(two_classes(), 5, (1, "two", 0)), header="a,b,class"))
    assert caught.value.message("en") == 'Column "b" must hold a number in every row, but row 7 has "two".'
    assert caught.value.message("ru") == "В столбце «b» в каждой строке должно быть число, но строка 7 содержит «two»."
    with pytest.raises(LabError) as caught:
        read_points(csv(replaced(two_classes(), 2, (1, 250.5, 0))))
    assert "row 4" in str(caught.value) and "250.5" in str(caught.value)
    assert "250,5" in caught.value.message("ru")
    with pytest.raises(LabError) as caught:
        read_points(csv([(i, -i, 0 if i else 1) for i in range(20)]))
    assert caught.value.params == {"label": 1, "count": 1, "least": 2}
    assert "1 точка" in caught.value.message("ru")


def test_a_file_over_the_upload_limit_is_refused_before_reading():
    with pytest.raises(LabError) as caught:
        read_points(b"1,2,0\n" * (MAX_UPLOAD_BYTES // 6 + 1))
    assert caught.value.key == "error_points_too_big" and caught.value.params == {"megabytes": 10}


# --- good files ------------------------------------------------------------------------------------------


def test_whole_number_labels_are_classes():
    rows = [(i * 0.1, -i * 0.2, i % 3) for i in range(30)]
    points = read_points(csv(rows))
    assert not points.regression and points.n_classes == 3 and len(points) == 30
    assert points.x.dtype == np.float32 and points.x.shape == (30, 2)
    assert points.y.dtype == np.int64
    np.testing.assert_array_equal(points.y, [r[2] for r in rows])
    np.testing.assert_allclose(points.x, np.array([r[:2] for r in rows], dtype=np.float32))
    assert not points.x.flags.writeable and not points.y.flags.writeable


def test_a_label_with_a_fraction_makes_the_file_regression():
    rows = numbers()
    points = read_points(csv(rows))
    assert points.regression and points.n_classes == 0
    assert points.y.dtype == np.float32
    np.testing.assert_allclose(points.y, [r[2] for r in rows], rtol=1e-6)
    # one fraction among whole numbers is enough: 1.0 and 2 are then numbers too
    assert read_points(csv([(i, -i, i % 3) for i in range(19)] + [(0, 0, 0.5)])).regression


@pytest.mark.parametrize(
    "data",
    [
        csv(two_classes(), header=None),  # no header: TF Playground's own export has none
        b"\xef\xbb\xbf" + csv(two_classes()),  # Excel's byte-order mark
        csv(
            [(str(a).replace(".", ","), str(b).replace(".", ","), c) for a, b, c in two_classes()],
            header="x1;x2;label",
            separator=";",
        ),  # Russian Excel: semicolons and decimal commas
        csv([(c, a, b) for a, b, c in two_classes()], header="Label,X,Y"),  # columns found by name
        csv([(a, b, c, "note") for a, b, c in two_classes()], header="x1,x2,class,comment"),  # extra column
        csv(two_classes()).replace(b"\n", b"\r\n"),  # Windows line ends
    ],
    ids=["no header", "BOM", "semicolons", "by name", "extra column", "CRLF"],
)
def test_files_written_by_spreadsheets_read_the_same(data):
    expected = read_points(csv(two_classes()))
    points = read_points(data)
    np.testing.assert_allclose(points.x, expected.x)
    np.testing.assert_array_equal(points.y, expected.y)


# --- what the lab trains on ------------------------------------------------------------------------------


def experiment(dataset: str = "custom", ratio: float = 0.5, seed: int = 3) -> Experiment:
    return Experiment.from_dict({"dataset": dataset, "train_ratio": ratio, "seed": seed})


def test_custom_without_uploaded_points_says_what_to_do():
    with pytest.raises(LabError) as caught:
        points_dataset(experiment(), None, None)
    assert caught.value.key == "error_no_own_points"


def test_custom_splits_the_uploaded_classes_stratified_and_seeded():
    own = read_points(csv([(i * 0.1, -i * 0.1, i % 3) for i in range(60)]))
    data = points_dataset(experiment(ratio=0.6), own, None)
    assert data.name == "custom" and data.class_names == ("class 0", "class 1", "class 2") and not data.regression
    assert len(data.y_train) == train_size(60, 0.6) and len(data.y_test) == 60 - train_size(60, 0.6)
    np.testing.assert_array_equal(np.bincount(data.y_train), [12, 12, 12])
    together = np.concatenate([data.x_train, data.x_test])
    assert sorted(map(tuple, together)) == sorted(map(tuple, own.x))
    again = points_dataset(experiment(ratio=0.6), own, None)
    np.testing.assert_array_equal(data.x_test, again.x_test)
    other = points_dataset(experiment(ratio=0.6, seed=4), own, None)
    assert not np.array_equal(data.x_test, other.x_test)


def test_custom_regression_points_make_a_regression_dataset():
    data = points_dataset(experiment(ratio=0.8), read_points(csv(numbers(50))), None)
    assert data.regression and data.class_names == () and data.y_train.dtype == np.float32
    assert len(data.y_train) == 40 and len(data.y_test) == 10


def test_clicked_points_join_the_training_set_only():
    clicked = OwnPoints([[0.5, -1.5], [2.0, 2.0]], [1, 0], regression=False)
    plain = make_dataset(experiment("circle").data, 0.5, 3)
    data = points_dataset(experiment("circle"), None, clicked)
    assert len(data.y_train) == len(plain.y_train) + 2
    np.testing.assert_array_equal(data.x_train[-2:], [[0.5, -1.5], [2.0, 2.0]])  # raw plane coordinates
    np.testing.assert_array_equal(data.y_train[-2:], [1, 0])
    assert data.y_train.dtype == plain.y_train.dtype and data.x_train.dtype == np.float32
    np.testing.assert_array_equal(data.x_test, plain.x_test)
    np.testing.assert_array_equal(data.y_test, plain.y_test)
    assert not data.x_train.flags.writeable and not data.y_train.flags.writeable


def test_clicked_points_join_uploaded_ones_and_regression_sets():
    own = read_points(csv(two_classes()))
    data = points_dataset(experiment(), own, OwnPoints([[1, 1]], [0], regression=False))
    assert len(data.y_train) == train_size(40, 0.5) + 1
    values = points_dataset(experiment("plane"), None, OwnPoints([[1, 1], [-1, 3]], [1.0, -1.0], regression=True))
    np.testing.assert_array_equal(values.y_train[-2:], np.float32([1, -1]))
    assert values.regression


def test_an_uploaded_file_is_ignored_by_a_generated_dataset():
    own = read_points(csv(two_classes()))
    np.testing.assert_array_equal(
        points_dataset(experiment("xor"), own, None).x_train, make_dataset(experiment("xor").data, 0.5, 3).x_train
    )


@pytest.mark.parametrize(
    "dataset, clicked, key",
    [
        ("plane", OwnPoints([[1, 1]], [1], regression=False), "error_points_clicked_classes"),
        ("circle", OwnPoints([[1, 1]], [1.0], regression=True), "error_points_clicked_values"),
        ("circle", OwnPoints([[1, 1], [2, 2]], [0, 2], regression=False), "error_points_clicked_class"),
    ],
)
def test_clicked_points_that_do_not_fit_the_data_are_explained(dataset, clicked, key):
    with pytest.raises(LabError) as caught:
        points_dataset(experiment(dataset), None, clicked)
    assert caught.value.key == key
    assert re.search("[а-яё]", caught.value.message("ru"), re.IGNORECASE)


def test_plus_returns_new_points_and_keeps_the_kind():
    empty = OwnPoints([], [], regression=False)
    one = empty.plus(1.0, 2.0, 1)
    assert len(empty) == 0 and len(one) == 1 and one.n_classes == 2 and one.y.dtype == np.int64
    values = OwnPoints([], [], regression=True).plus(0.0, 0.0, -1.0)
    assert values.regression and values.y.dtype == np.float32 and values.n_classes == 0
