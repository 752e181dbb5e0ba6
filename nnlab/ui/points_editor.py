"""The student's own points on a page: a CSV upload box, the class (or value) a click on the plane adds,
how many points they have, and a button that forgets them all.

State lives in `st.session_state` under `<page>.points.*`: the upload through nnlab.ui.uploads.take_upload
(`<page>.points.uploaded` / `.rejected`), the clicked points as one immutable `OwnPoints`
(`<page>.points.clicked`). A bad file keeps whatever the page had; only "Forget my points" drops points.
"""

from __future__ import annotations

import streamlit as st

from nnlab.data.points import MAX_CLASSES, MAX_POINTS, OwnPoints, read_points
from nnlab.ui.i18n import t
from nnlab.ui.uploads import store_upload, take_upload

VALUES = (1.0, -1.0)  # what a regression click adds: the two ends of TF Playground's colour scale


def own_points(page: str) -> tuple[OwnPoints | None, OwnPoints | None]:
    """The page's uploaded points and clicked points (None where there are none)."""
    uploaded = st.session_state.get(_key(page, "uploaded"))
    return (uploaded["value"] if uploaded else None), st.session_state.get(_key(page, "clicked"))


def add_click(page: str, click: dict | None, regression: bool) -> bool:
    """Add a clicked point of the picker's class (or value); True when one was added.

    The same click handed over twice (the player's result of an earlier rerun) is added once; past
    MAX_POINTS clicks add nothing. Clicks of the other kind than the points so far start a new set:
    the picker only offers the kind the page is showing, so old ones could not be trained on anyway.
    """
    if not click:
        return False
    seen = (click.get("serial"), click.get("x1"), click.get("x2"))
    if st.session_state.get(_key(page, "last_click")) == seen:
        return False
    st.session_state[_key(page, "last_click")] = seen
    clicked = st.session_state.get(_key(page, "clicked"))
    if clicked is not None and len(clicked) >= MAX_POINTS:
        return False
    if regression:
        label = st.session_state.get(_key(page, "value"), VALUES[0])
    else:
        label = st.session_state.get(_key(page, "class"), 0)
    if clicked is None or clicked.regression != regression:
        clicked = OwnPoints([], [], regression)
    st.session_state[_key(page, "clicked")] = clicked.plus(float(click["x1"]), float(click["x2"]), label)
    return True


def points_section(page: str, regression: bool, classes: int = 2, custom: bool = True) -> None:
    """The upload box, the click picker and "forget my points". `classes`: how many the click picker offers
    (the data set's classes; ignored for regression). `custom`: whether the page trains on the uploaded file
    (the data set "My own points"); a file that is not in use says how to use it."""
    st.markdown(f"**{t('points_title')}**")
    generation = st.session_state.get(_key(page, "generation"), 0)  # a new key empties the upload box
    upload_key = _key(page, f"upload.{generation}")
    file = st.file_uploader(
        t("points_upload"),
        type=["csv", "txt"],
        key=upload_key,
        help=t("points_upload_help"),
        on_change=_train_on_upload,
        args=(page, upload_key),
    )
    if file is not None:
        take_upload(f"{page}.points", file, _read_file, "points_upload_rejected")
    uploaded, clicked = own_points(page)
    if uploaded is not None:
        name = st.session_state[_key(page, "uploaded")]["name"]
        if not custom:
            st.caption(t("points_file_not_in_use", name=name))
        elif uploaded.regression:
            st.caption(t("points_using_values", name=name, count=len(uploaded)))
        else:
            st.caption(t("points_using_classes", name=name, count=len(uploaded), classes=uploaded.n_classes))
    _click_picker(page, regression, classes)
    if clicked is not None:
        st.caption(t("points_clicked", count=len(clicked)))
        if len(clicked) >= MAX_POINTS:
            st.caption(t("points_clicked_full", most=MAX_POINTS))
    if uploaded is None and clicked is None:
        st.caption(t("points_none"))
    st.button(
        t("points_forget"),
        key=_key(page, "forget"),
        on_click=forget_points,
        args=(page,),
        help=t("points_forget_help"),
        disabled=uploaded is None and clicked is None,
        icon=":material/delete:",
    )


def _train_on_upload(page: str, upload_key: str) -> None:
    """A file that reads well switches the page to it (the data set "My own points", and the problem type its
    labels mean): a student who uploads points expects to see them. A bad file changes nothing; the page says
    why when it draws the box."""
    file = st.session_state.get(upload_key)
    if file is None or not store_upload(f"{page}.points", file, _read_file, "points_upload_rejected"):
        return
    points = st.session_state[_key(page, "uploaded")]["value"]  # read once: the page's take_upload keeps it
    st.session_state[f"{page}.dataset"] = "custom"
    st.session_state[f"{page}.problem"] = "regression" if points.regression else "classification"


def forget_points(page: str) -> None:
    """Drop the uploaded and clicked points and empty the upload box (a widget's file cannot be unset, so
    the box gets a new key)."""
    for name in ("uploaded", "rejected", "rejected_message", "clicked", "last_click"):
        st.session_state.pop(_key(page, name), None)
    st.session_state[_key(page, "generation")] = st.session_state.get(_key(page, "generation"), 0) + 1


def _click_picker(page: str, regression: bool, classes: int) -> None:
    """A horizontal choice of what the next click adds: a class 0..classes-1, or the value +1 / −1.

    The options are written as numbers in every language, so the format needs no session (AppTest formats
    options outside the script run, where a translating format_func would fall back to English)."""
    if regression:
        st.radio(
            t("points_click_value"),
            VALUES,
            key=_key(page, "value"),
            horizontal=True,
            format_func=_signed,
            help=t("points_click_value_help"),
        )
        return
    options = tuple(range(max(1, min(classes, MAX_CLASSES))))
    if st.session_state.get(_key(page, "class"), 0) not in options:  # fewer classes than before
        st.session_state[_key(page, "class")] = 0
    st.radio(
        t("points_click_class"), options, key=_key(page, "class"), horizontal=True, help=t("points_click_class_help")
    )


def _signed(value: float) -> str:
    """+1 or −1 (a true minus sign), as TF Playground's colour scale is labelled."""
    return f"{value:+.0f}".replace("-", "\u2212")


def _read_file(file) -> OwnPoints:
    """read_points on an UploadedFile (Streamlit holds it in memory already; the size is checked there)."""
    return read_points(file.getvalue())


def _key(page: str, name: str) -> str:
    return f"{page}.points.{name}"
