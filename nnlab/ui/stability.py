"""Seed 000's two closing lessons on the map page: how stable p is, and what the model costs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nnlab.executor import Batch, Failed
from nnlab.limits import WORK_CAP, epoch_cap, within_cap
from nnlab.spec import Experiment, train_size
from nnlab.ui.batch_runs import app_executor
from nnlab.ui.chartview import show_chart
from nnlab.ui.i18n import chart_labels, failure_text, number, t
from nnlab.ui.names import with_shown_countries
from nnlab.ui.worldmap_page import SHIPPED, city_table
from nnlab.viz import charts, maps
from nnlab.worldmap import WORLD_VIEW, cost_report, running_means, stability_run, unchanged_streak

PATIENCE = 5  # the seed stops after 5 runs that leave the rounded mean p unchanged
TICK_SECONDS = 0.1


def _state(page: str) -> dict:
    return st.session_state.setdefault(f"{page}.stability", {"running": False, "runs": [], "experiment": None})


def _start(page: str, experiment: Experiment, max_runs: int) -> None:
    """Queue the runs on the run executor (a few at a time); each tick takes those that finished, in order."""
    table, _ = city_table(page)
    state = _state(page)
    if state.get("batch") is not None:  # a second start (or one press run twice) leaves no runs behind
        state["batch"].cancel()
    state.update(running=False, runs=[], experiment=experiment, arrived={}, refused=None, failed=None)
    examples = train_size(len(table), experiment.train.train_ratio)
    if not within_cap(experiment.train.epochs, examples, max_runs):
        state["refused"] = {
            "runs": max_runs,
            "epochs": experiment.train.epochs,
            "examples": examples,
            "limit": number(WORK_CAP, ","),
            "cap": epoch_cap(examples, max_runs),
        }
        return
    shipped = st.session_state.get(f"{page}.source", SHIPPED) == SHIPPED  # workers read the shipped table themselves
    calls = [(experiment, None if shipped else table, run) for run in range(max_runs)]
    state.update(running=True, batch=Batch(app_executor(), stability_run, calls))


def _stop(page: str) -> None:
    state = _state(page)
    state["running"] = False
    if state.get("batch") is not None:
        state["batch"].cancel()


def stability_section(page: str, experiment: Experiment) -> None:
    """Repeat whole runs on fresh splits until the mean p stops moving; pool every run's mistakes."""
    state = _state(page)
    with st.expander(t("stability_title"), expanded=bool(state["runs"]) or state["running"]):
        st.write(t("stability_text", patience=PATIENCE))
        left, middle, right = st.columns([2, 1, 1])
        max_runs = left.number_input(t("max_runs"), 2, 50, value=20, key=f"{page}.max_runs", help=t("max_runs_help"))
        if state["running"]:
            middle.button(
                t("stop"),
                key=f"{page}.stability_stop",
                on_click=_stop,
                args=(page,),
                icon=":material/stop:",
                width="stretch",
            )
        else:
            middle.button(
                t("stability_start"),
                key=f"{page}.stability_start",
                on_click=_start,
                help=t("stability_start_help"),
                args=(page, experiment, int(max_runs)),
                type="primary",
                icon=":material/replay:",
                width="stretch",
            )
        right.caption(t("stability_settings", epochs=experiment.train.epochs))
        if state.get("refused"):
            st.error(t("work_refused", **state["refused"]), icon="⏱️")
        if state.get("failed"):
            st.error(t("run_failed", message=state["failed"]), icon="⚠️")
        _stability_fragment(page)


def _stability_fragment(page: str) -> None:
    state = _state(page)

    @st.fragment(run_every=TICK_SECONDS if state["running"] else None)
    def tick() -> None:
        if state["running"]:
            _collect(state)
        _show_runs(page, state)
        if not state["running"] and st.session_state.get(f"{page}.stability_was_running"):
            st.session_state[f"{page}.stability_was_running"] = False
            st.rerun()  # finished by itself: redraw the Start button
        st.session_state[f"{page}.stability_was_running"] = state["running"]

    tick()


def _collect(state: dict) -> None:
    """Take the runs that finished, in run order (the seed's stopping rule reads them so); stop when it says so."""
    batch = state["batch"]
    state["arrived"].update(batch.finished())
    while len(state["runs"]) in state["arrived"]:
        result = state["arrived"].pop(len(state["runs"]))
        if isinstance(result, Failed):
            state["failed"] = failure_text(result)
            _finish(state)
            return
        state["runs"].append(result)
        if unchanged_streak([run.p for run in state["runs"]]) >= PATIENCE:
            _finish(state)
            return
    if len(state["runs"]) == batch.total:
        _finish(state)


def _finish(state: dict) -> None:
    state["running"] = False
    state["batch"].cancel()


def _show_runs(page: str, state: dict) -> None:
    runs = state["runs"]
    if not runs:
        st.caption(t("stability_empty"))
        return
    ps = [run.p for run in runs]
    means = running_means(ps)
    columns = st.columns(4)
    columns[0].metric(t("runs"), len(runs))
    columns[1].metric(t("last_p"), number(ps[-1], ".4f"))
    columns[2].metric(t("mean_p"), number(means[-1], ".4f"))
    columns[3].metric(t("streak"), f"{unchanged_streak(ps)} / {PATIENCE}", help=t("streak_help"))
    if not state["running"]:
        st.success(t("stability_done", runs=len(runs), mean=means[-1]))
    chart, table = st.columns([3, 2])
    show_chart(chart, charts.stability_chart(ps, means, chart_labels()), key=f"{page}.stability_chart", width="content")
    table.dataframe(
        pd.DataFrame({t("run_axis"): range(1, len(ps) + 1), "p": ps, t("mean_p"): means}), hide_index=True, height=220
    )
    pooled = pd.concat([run.mistakes for run in runs], ignore_index=True)
    st.caption(
        t("pooled_mistakes", fp=int((pooled["outcome"] == "FP").sum()), fn=int((pooled["outcome"] == "FN").sum()))
    )
    deck = maps.world_deck(
        [maps.borders_layer(), *maps.outcome_layers(with_shown_countries(pooled), radius=2.5)],
        WORLD_VIEW.latitude,
        WORLD_VIEW.longitude,
        WORLD_VIEW.zoom,
        t("map_tooltip"),
    )
    st.pydeck_chart(deck, height=360, key=f"{page}.stability_map")


def cost_section(page: str, lab) -> None:
    """Parameters and multiplications of this network, counted exactly, beside the seed's hand count."""
    experiment = lab.experiment
    report = cost_report(experiment, len(lab.trainer.data.y_train))
    cost = report.cost
    with st.expander(t("cost_title")):
        st.write(t("cost_text"))
        rows = pd.DataFrame(
            [
                {
                    t("column_layer"): layer.name,
                    t("column_parameters"): layer.parameters,
                    t("column_forward"): layer.forward,
                    t("column_backward"): layer.backward,
                    t("column_per_step"): layer.per_step,
                }
                for layer in cost.layers
            ]
        )
        st.dataframe(rows, hide_index=True, key=f"{page}.cost_table")
        columns = st.columns(4)
        columns[0].metric(t("cost_per_sample"), number(cost.forward_per_sample + cost.backward_per_sample, ","))
        columns[1].metric(t("cost_per_step"), number(cost.per_step, ","), help=t("cost_per_step_help"))
        columns[2].metric(t("cost_per_epoch"), number(cost.per_epoch, ","))
        columns[3].metric(t("cost_per_run", epochs=experiment.train.epochs), number(report.per_run, ","))
        st.info(
            t(
                "cost_seed",
                hand=report.seed_hand_count,
                exact=report.per_run,
                ratio=report.per_run / max(report.seed_hand_count, 1),
                steps=cost.steps_per_epoch,
                n_train=len(lab.trainer.data.y_train),
                batch=experiment.train.batch_size,
            )
        )
