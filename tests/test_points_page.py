"""The own-points section in a tiny page (AppTest): a good CSV is taken, a bad one gets its message and the
points the page had stay, in English and Russian; clicks add points of the picked class or value, once
each; "Forget my points" drops them all and empties the upload box; every control has a tooltip."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnlab.catalogue import text
from nnlab.data.points import read_points
from tests.test_points import BAD_FILES, csv, numbers, two_classes

PAGE = "lab"
UPLOAD = f"{PAGE}.points.upload.0"


def points_page():
    """The section as a page would draw it, then a click the test may hand over, then what the page holds."""
    import streamlit as st

    from nnlab.ui.points_editor import add_click, own_points, points_section

    regression = st.session_state.get("test.regression", False)
    points_section("lab", regression, classes=st.session_state.get("test.classes", 2))
    if st.session_state.get("test.click") is not None:
        st.session_state["test.added"] = add_click("lab", st.session_state["test.click"], regression)
    uploaded, clicked = own_points("lab")
    st.session_state["test.own"] = (uploaded, clicked)


def open_page(language: str = "en", **state) -> AppTest:
    at = AppTest.from_function(points_page, default_timeout=30)
    at.session_state["nnlab.language"] = language
    for name, value in state.items():
        at.session_state[f"test.{name}"] = value
    return run(at)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, name: str, data: bytes, key: str = UPLOAD) -> AppTest:
    at.file_uploader(key=key).set_value((name, data, "text/csv"))
    return run(at)


def own(at: AppTest):
    return at.session_state["test.own"]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


GOOD = csv(two_classes())


def test_a_good_file_is_taken_and_counted():
    at = open_page()
    assert own(at) == (None, None) and "No points of your own yet" in captions(at)
    at = upload(at, "mine.csv", GOOD)
    uploaded, clicked = own(at)
    assert clicked is None and len(uploaded) == 40 and not uploaded.regression
    assert "Using mine.csv: 40 points in 2 classes." in captions(at)
    assert not at.error


def test_a_file_is_read_once(monkeypatch):
    """The upload box's callback reads it (to switch the page to it); the page's run then keeps what it read."""
    from nnlab.ui import points_editor

    reads = []
    read = points_editor._read_file
    monkeypatch.setattr(points_editor, "_read_file", lambda file: reads.append(file.name) or read(file))
    at = upload(open_page(), "mine.csv", GOOD)
    at = run(at)  # a rerun hands the same file back
    assert reads == ["mine.csv"] and len(own(at)[0]) == 40


def test_a_regression_file_says_so():
    at = upload(open_page(), "values.csv", csv(numbers(25)))
    assert own(at)[0].regression
    assert "Using values.csv: 25 points with numbers to predict (regression)." in captions(at)


@pytest.mark.parametrize("name", [n for n in BAD_FILES if n not in ("too many", "blank lines only", "infinity")])
def test_a_bad_file_gets_its_message_and_the_page_keeps_its_points(name):
    data, key = BAD_FILES[name]
    at = upload(open_page(), "good.csv", GOOD)
    before = own(at)[0]
    at = upload(at, "bad.csv", data)
    assert len(at.error) == 1
    message = at.error[0].value
    with pytest.raises(ValueError) as caught:
        read_points(data)
    assert caught.value.key == key
    assert message == text("points_upload_rejected", "en", error=caught.value.message("en"))
    assert message.endswith("The points you had stay in use.")
    uploaded = own(at)[0]
    assert uploaded is before  # the good file's points, untouched
    assert "Using good.csv: 40 points" in captions(at)


def test_a_bad_file_is_explained_in_russian_and_the_points_stay():
    at = upload(open_page("ru"), "good.csv", GOOD)
    at = upload(at, "bad.csv", BAD_FILES["a gap"][0])
    message = at.error[0].value
    assert message.startswith("Этот файл нельзя использовать. Классы нумеруются 0, 1, 2, … без пропусков")
    assert message.endswith("Прежние точки остаются в работе.")
    assert len(own(at)[0]) == 40 and "Используется good.csv: 40 точек, 2 класса." in captions(at)


def test_a_first_bad_file_leaves_no_points_and_a_good_one_after_it_is_taken():
    at = upload(open_page(), "bad.csv", BAD_FILES["one class"][0])
    assert own(at) == (None, None) and len(at.error) == 1
    at = upload(at, "good.csv", GOOD)
    assert not at.error and len(own(at)[0]) == 40


def test_clicks_add_points_of_the_picked_class_once_each():
    at = open_page(classes=3)
    picker = at.radio(key=f"{PAGE}.points.class")
    assert picker.options == ["0", "1", "2"] and picker.horizontal
    picker.set_value(2)
    at.session_state["test.click"] = {"x1": 1.5, "x2": -2.0, "serial": 1}
    at = run(at)
    assert at.session_state["test.added"] is True
    at = run(at)  # the same click handed over again by a later rerun
    assert at.session_state["test.added"] is False
    at.session_state["test.click"] = {"x1": -3.0, "x2": 0.25, "serial": 2}
    at = run(at)
    _, clicked = own(at)
    np.testing.assert_array_equal(clicked.x, np.float32([[1.5, -2.0], [-3.0, 0.25]]))
    np.testing.assert_array_equal(clicked.y, [2, 2])
    assert not clicked.regression
    at = run(at)
    assert "2 points added by clicking (training set only)." in captions(at)


def test_a_regression_click_adds_the_picked_value():
    at = open_page(regression=True)
    picker = at.radio(key=f"{PAGE}.points.value")
    assert picker.options == ["+1", "−1"]
    picker.set_value(-1.0)
    at.session_state["test.click"] = {"x1": 0.0, "x2": 4.0, "serial": 7}
    _, clicked = own(run(at))
    assert clicked.regression and clicked.y.tolist() == [-1.0]


def test_fewer_classes_than_the_picked_one_fall_back_to_class_0():
    at = open_page(classes=4)
    at.radio(key=f"{PAGE}.points.class").set_value(3)
    at = run(at)
    at.session_state["test.classes"] = 2
    at = run(at)
    assert at.radio(key=f"{PAGE}.points.class").value == 0


def test_forget_drops_every_point_and_empties_the_upload_box():
    at = upload(open_page(), "good.csv", GOOD)
    at.session_state["test.click"] = {"x1": 1.0, "x2": 1.0, "serial": 1}
    at = run(at)
    assert all(p is not None for p in own(at))
    at.session_state["test.click"] = None
    at.button(key=f"{PAGE}.points.forget").click()
    at = run(at)
    assert own(at) == (None, None)
    assert [u.key for u in at.file_uploader] == [f"{PAGE}.points.upload.1"]  # a fresh, empty box
    assert at.button(key=f"{PAGE}.points.forget").disabled
    at = upload(at, "again.csv", GOOD, key=f"{PAGE}.points.upload.1")
    assert len(own(at)[0]) == 40


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("regression", [False, True])
def test_every_control_has_a_tooltip_in_the_language(language, regression):
    at = open_page(language, regression=regression)
    helps = [at.file_uploader[0].help, at.radio[0].help, at.button[0].help]
    assert all(helps)
    if language == "ru":
        assert all(any("а" <= ch <= "я" for ch in h.lower()) for h in helps)
        assert at.button[0].label == "Забыть мои точки"


@pytest.mark.parametrize("regression", [False, True])
def test_a_file_uploaded_on_the_playground_is_trained_on_at_once(regression):
    """A student who uploads points expects to see them: the page switches to "My own points" (and to the
    problem type the labels mean). Back on another data set, the file is kept and the section says so."""
    from tests.pagetools import open_lab

    at = open_lab("pages/1_Playground.py", {"samples": "100"})
    data = csv(numbers(25)) if regression else GOOD
    at.file_uploader(key="playground.points.upload.0").set_value(("mine.csv", data, "text/csv"))
    run(at)
    assert at.selectbox(key="playground.dataset").value == "custom"
    assert at.radio(key="playground.problem").value == ("regression" if regression else "classification")
    lab = at.session_state["playground.lab"]
    assert len(lab.points.y_train) + len(lab.points.y_test) == (25 if regression else 40)
    at.selectbox(key="playground.dataset").set_value("plane" if regression else "circle")
    run(at)
    assert "mine.csv is loaded but not in use" in captions(at)
