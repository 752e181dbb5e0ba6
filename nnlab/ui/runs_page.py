"""The Runs page: this session's finished runs, two side by side, and the class's challenge board."""

from __future__ import annotations

import streamlit as st

from nnlab.runlog import ChallengeBoard, curves_frame, runs_frame, settings_diff
from nnlab.ui.chartview import show_chart
from nnlab.ui.i18n import error_text, number, t
from nnlab.ui.names import column_config, shown_value, shown_values
from nnlab.ui.readable import readable
from nnlab.ui.run_history import session_runs
from nnlab.viz.runs import compared_runs_chart

TARGETS = (0.7, 0.8, 0.85, 0.9, 0.95, 0.99)


@st.cache_resource
def class_board() -> ChallengeBoard:
    """One board per server: every student of the class submits to it."""
    return ChallengeBoard()


def history_section(page: str) -> None:
    runs = session_runs()
    st.header(t("runs_history"))
    if not runs:
        st.info(
            t("runs_empty"), icon=":material/history:"
        )  # a Material icon: emoji draw as a missing glyph without an emoji font
        return
    table = runs_frame(runs)
    st.dataframe(
        shown_values(table, ("page", "dataset", "optimizer", "regularization")),
        hide_index=True,
        key=f"{page}.table",
        width="stretch",
        column_config=column_config(
            table,
            {
                "train_accuracy": st.column_config.NumberColumn(format="percent"),
                "test_accuracy": st.column_config.NumberColumn(format="percent"),
                "test_loss": st.column_config.NumberColumn(format="%.4f"),
                "learning_rate": st.column_config.NumberColumn(format="%g"),
            },
        ),
    )
    st.caption(t("runs_sort_hint"))


def compare_section(page: str) -> None:
    runs = session_runs()
    st.header(t("runs_compare"))
    if len(runs) < 2:  # one line, not a chart with nothing on it
        st.caption(t("pages_compare_needs_two"))
        return
    labels = [
        f"{i}. {shown_value(r.dataset, 'dataset')} · {r.network} · {number(r.test_accuracy, '.1%')}"
        for i, r in enumerate(runs, start=1)
    ]
    left, right = st.columns(2)
    first = left.selectbox(
        t("compare_first"),
        range(len(runs)),
        index=len(runs) - 2,
        format_func=labels.__getitem__,
        key=f"{page}.first",
        help=t("compare_run_help"),
    )
    second = right.selectbox(
        t("compare_second"),
        range(len(runs)),
        index=len(runs) - 1,
        format_func=labels.__getitem__,
        key=f"{page}.second",
        help=t("compare_run_help"),
    )
    for column, index in ((left, first), (right, second)):
        run = runs[index]
        with column:
            a, b, c = st.columns(3)
            a.metric(t("test_accuracy"), number(run.test_accuracy, ".1%"))
            b.metric(t("parameters"), number(run.parameters, ","))
            c.metric(t("runs_seconds"), number(run.seconds, ".1f"))
    chosen = (
        {labels[first]: runs[first], labels[second]: runs[second]} if first != second else {labels[first]: runs[first]}
    )
    frame = shown_values(curves_frame(chosen), ("set",))
    sets = (shown_value("train", "set"), shown_value("test", "set"))
    titles = {key: t(key) for key in ("epoch_axis", "accuracy_axis", "run_axis", "set")}
    chart = compared_runs_chart(frame, sets, titles)
    show_chart(st, readable(chart), key=f"{page}.curves", width="stretch")
    diff = settings_diff(runs[first], runs[second])
    for column in ("first", "second"):  # a setting's value by the setting's own names (sgd: «SGD»)
        diff[column] = [shown_value(value, setting) for setting, value in zip(diff["setting"], diff[column])]
    st.dataframe(
        shown_values(diff, ("setting",)), hide_index=True, key=f"{page}.diff", column_config=column_config(diff)
    )


def board_section(page: str) -> None:
    board = class_board()
    st.header(t("board_title"))
    st.caption(t("board_text"))
    runs = session_runs()
    if runs:
        labels = [
            f"{i}. {shown_value(r.dataset, 'dataset')} · {r.network} · {number(r.parameters, ',')} · "
            f"{number(r.test_accuracy, '.1%')}"
            for i, r in enumerate(runs, start=1)
        ]
        with st.form(f"{page}.submit", border=False):
            left, middle, right = st.columns([2, 3, 1], vertical_alignment="bottom")
            name = left.text_input(t("board_name"), max_chars=24, key=f"{page}.name", help=t("board_name_help"))
            chosen = middle.selectbox(
                t("board_run"),
                range(len(runs)),
                index=len(runs) - 1,
                format_func=labels.__getitem__,
                key=f"{page}.run",
                help=t("board_run_help"),
            )
            if right.form_submit_button(
                t("board_submit"), icon=":material/emoji_events:", width="stretch", help=t("board_submit_help")
            ):
                try:
                    board.submit(name, runs[chosen])
                    st.toast(t("board_submitted"))
                except ValueError as error:
                    st.error(error_text(error), icon=":material/warning:")
    else:
        st.info(t("pages_board_needs_run"), icon=":material/emoji_events:")
    datasets = board.datasets()
    if not datasets:
        st.caption(t("board_empty"))
        return
    left, right = st.columns(2)
    named = {shown_value(d, "dataset"): d for d in datasets}  # the options are the names shown (circle: «Круг»)
    dataset = named[
        left.selectbox(t("dataset"), list(named), key=f"{page}.board_dataset", help=t("board_dataset_help"))
    ]
    target = right.select_slider(
        t("target_accuracy"),
        TARGETS,
        value=0.9,
        key=f"{page}.target",
        format_func=lambda v: number(v, ".0%"),
        help=t("target_accuracy_help"),
    )
    standings = board.standings(dataset, target)
    if standings.empty:
        st.caption(t("board_none_above", target=target))
    st.dataframe(
        standings,
        hide_index=True,
        key=f"{page}.standings",
        width="stretch",
        column_config=column_config(standings, {"test_accuracy": st.column_config.NumberColumn(format="percent")}),
    )
