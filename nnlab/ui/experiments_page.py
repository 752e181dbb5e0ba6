"""The Experiments page: a grid of two settings run through nnlab.executor, drawn cell by cell as runs finish."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from nnlab.executor import SCHEDULER_ENV, Batch, DaskExecutor, Failed, LocalExecutor
from nnlab.experiments import AXES, METRICS, Grid, best_cell, heat_frame
from nnlab.labs import train_and_score
from nnlab.limits import WORK_CAP, work
from nnlab.spec import Experiment, SpecError
from nnlab.ui.chartview import show_chart
from nnlab.ui.controls import CLASSIFICATION_DATASETS, Controls
from nnlab.ui.i18n import error_text, failure_text, language, number, t
from nnlab.ui.links import bounded, comma, linked, one_of
from nnlab.ui.readable import readable
from nnlab.ui.widgets import multiselect
from nnlab.viz.grid import best_curves_chart, heat_chart

CONTROLS = Controls(
    max_units=64, datasets=(*CLASSIFICATION_DATASETS, "digits", "cities"), samples=(20, 1797), class_weight=True
)
TICK_SECONDS = 0.5


@st.cache_resource(show_spinner=False)
def _dask_executor(address: str):
    return DaskExecutor(address)


def where(executor) -> str:
    """Where the runs go, in the session's language."""
    return executor.describe(language())


def executor_setting(page: str):
    """Where the grid runs: this server's worker processes, or a Dask cluster (the link or NNLAB_DASK_SCHEDULER)."""
    with st.sidebar:
        st.header(t("section_executor"))
        address = st.text_input(
            t("dask_address"),
            key=linked(page, "dask", os.environ.get(SCHEDULER_ENV, "")),
            help=t("dask_address_help"),
            placeholder="tcp://10.0.0.5:8786",
        ).strip()
    if not address:
        return LocalExecutor()
    try:
        return _dask_executor(address)
    except ValueError as error:
        st.sidebar.error(t("dask_unreachable", error=error_text(error)), icon=":material/warning:")
        return LocalExecutor()


def grid_controls(page: str, experiment: Experiment) -> tuple[Grid, str] | None:
    """Two settings and their values, repeats and the metric; None (with a message) if the grid cannot run."""
    columns = st.columns(2)
    chosen = []
    for column, (axis, default) in zip(columns, (("rows", "hidden_units"), ("columns", "learning_rate"))):
        names = [n for n in AXES if n not in [c[0] for c in chosen]]  # the two axes are two different settings
        key = linked(page, axis, default, one_of(names))
        if st.session_state[key] not in names:
            st.session_state[key] = next(n for n in (default, *names) if n in names)
        name = column.selectbox(
            t(f"grid_{axis}"), names, key=key, format_func=lambda n: t(f"axis_{n}"), help=t("grid_axis_help")
        )
        options = AXES[name].values
        values = multiselect(
            t("grid_values"),
            options,
            container=column,
            format_func=lambda v: number(v, "g"),
            key=linked(
                page,
                f"values.{name}",
                list(AXES[name].default),
                lambda text, options=options: _some_numbers(text, options),
                comma,
            ),
            help=t("grid_values_help"),
        )
        chosen.append((name, tuple(sorted(values))))
    left, right = st.columns(2)
    repeats = left.slider(
        t("grid_repeats"), 1, 5, key=linked(page, "repeats", 2, bounded(1, 5, int)), help=t("grid_repeats_help")
    )
    metric = right.selectbox(
        t("grid_metric"),
        METRICS,
        key=linked(page, "metric", "accuracy", one_of(METRICS)),
        format_func=lambda m: t(f"metric_{m}"),
        help=t("grid_metric_help"),
    )
    if not chosen[0][1] or not chosen[1][1]:
        st.info(t("grid_pick_values"), icon=":material/touch_app:")
        return None
    grid = Grid(experiment, chosen[0], chosen[1], repeats)
    try:
        cells = grid.cells()
    except SpecError as error:
        st.error(t("bad_setting", error=error_text(error)), icon=":material/warning:")
        return None
    total = sum(work(cell.train.epochs, _train_examples(cell)) for *_, cell in cells)
    if total > WORK_CAP:
        st.error(
            t("grid_too_much", runs=len(cells), work=number(total, ","), limit=number(WORK_CAP, ",")),
            icon=":material/timer:",
        )
        return None
    return grid, metric


def _some_numbers(text: str, options) -> list:
    wanted = {float(word) for word in text.split(",") if word}
    return [option for option in options if float(option) in wanted]


def _train_examples(experiment: Experiment) -> int:
    from nnlab.generalization import train_examples  # deferred: keeps TensorFlow off the page's first paint

    return train_examples(experiment)


def _state(page: str) -> dict:
    return st.session_state.setdefault(f"{page}.grid_run", {"grid": None, "batch": None, "results": {}})


def _start(page: str, grid: Grid, executor) -> None:
    state = _state(page)
    if state["batch"] is not None:
        state["batch"].cancel()
    calls = [(experiment,) for *_, experiment in grid.cells()]
    state.update(grid=grid, results={}, batch=Batch(executor, train_and_score, calls), where=where(executor))


def _cancel(page: str) -> None:
    batch = _state(page)["batch"]
    if batch is not None:
        batch.cancel()


def run_section(page: str, setup: tuple[Grid, str] | None, executor) -> None:
    state = _state(page)
    running = state["batch"] is not None and not state["batch"].done
    left, right, info = st.columns([1, 1, 3])
    left.button(
        t("grid_run"),
        key=f"{page}.run",
        type="primary",
        icon=":material/grid_on:",
        width="stretch",
        on_click=_start,
        args=(page, setup[0] if setup else None, executor),
        disabled=setup is None or running,
        help=t("grid_run_help"),
    )
    right.button(
        t("grid_cancel"),
        key=f"{page}.cancel",
        icon=":material/stop:",
        width="stretch",
        on_click=_cancel,
        args=(page,),
        disabled=not running,
        help=t("grid_cancel_help"),
    )
    if setup is not None:
        info.caption(t("grid_plan", runs=len(setup[0].cells()), where=where(executor)))
    metric = setup[1] if setup else "accuracy"

    @st.fragment(run_every=TICK_SECONDS if running else None)
    def live() -> None:
        batch = state["batch"]
        if batch is not None:
            state["results"].update(batch.finished())
        _draw(page, state, metric)
        if running and (batch is None or batch.done):
            st.rerun()  # finished or cancelled: redraw the buttons

    live()


def _draw(page: str, state: dict, metric: str) -> None:
    grid, results, batch = state["grid"], state["results"], state["batch"]
    if grid is None:
        st.caption(t("grid_empty"))
        return
    total = batch.total
    st.progress(
        len(results) / total, text=t("grid_progress", done=len(results), total=total, where=state.get("where", ""))
    )
    if batch.cancelled:
        st.warning(t("grid_cancelled", done=len(results), total=total), icon=":material/stop_circle:")
    failures = [r for r in results.values() if isinstance(r, Failed)]
    if failures:
        st.error(t("grid_failed", count=len(failures), message=failure_text(failures[0])), icon=":material/warning:")
    frame = heat_frame(grid, results, metric)
    if frame.empty:
        return
    show_chart(st, readable(_heat_chart(grid, frame, metric)), key=f"{page}.heat", width="stretch")
    best = best_cell(frame, metric)
    st.subheader(
        t(
            "grid_best",
            row=t(f"axis_{grid.rows[0]}"),
            row_value=_shown_values(grid.rows[1])[best[0]],
            column=t(f"axis_{grid.columns[0]}"),
            column_value=_shown_values(grid.columns[1])[best[1]],
        )
    )
    show_chart(st, readable(_best_curves(grid, results, best)), key=f"{page}.best", width="stretch")


def _shown_values(values) -> dict[str, str]:
    """Each grid value's key in the results (str) and how the page writes it."""
    return {str(value): number(value, "g") for value in values}


def _heat_chart(grid: Grid, frame: pd.DataFrame, metric: str):
    # The cells are keyed by str(value); the axes write each value the page's way (0,001 in Russian).
    shown_rows, shown_columns = (_shown_values(values) for values in (grid.rows[1], grid.columns[1]))
    frame = frame.assign(row=frame["row"].map(shown_rows), column=frame["column"].map(shown_columns))
    cell_keys = ("chart_cell_mean", "chart_cell_std", "chart_cell_low", "chart_cell_high", "chart_cell_runs")
    titles = {
        "row": t(f"axis_{grid.rows[0]}"),
        "column": t(f"axis_{grid.columns[0]}"),
        "metric": t(f"metric_{metric}"),
    } | {key: t(key) for key in cell_keys}
    ramp = "loss" if metric == "loss" else "score"
    return heat_chart(frame, list(shown_rows.values()), list(shown_columns.values()), ramp, titles)


def _best_curves(grid: Grid, results: dict, best: tuple[str, str]):
    cells = grid.cells()
    rows = []
    for index, score in results.items():
        row, column, repeat, _ = cells[index]
        if (str(row), str(column)) == best and hasattr(score, "history"):
            for epoch, _, _, train_accuracy, test_accuracy in score.history:
                rows += [
                    {"epoch": epoch, "set": t("train"), "repeat": repeat + 1, "accuracy": train_accuracy},
                    {"epoch": epoch, "set": t("test"), "repeat": repeat + 1, "accuracy": test_accuracy},
                ]
    titles = {key: t(key) for key in ("epoch_axis", "accuracy_axis", "set", "chart_repeat")}
    return best_curves_chart(pd.DataFrame(rows), (t("train"), t("test")), titles)
