"""The generalization page: the live overfitting run, remedies overlaid, a small-multiples sweep, the run history."""

from __future__ import annotations

import dataclasses
import tempfile
import uuid
from pathlib import Path

import altair as alt
import streamlit as st

from nnlab.spec import Experiment
from nnlab.ui import panel
from nnlab.ui.i18n import chart_labels, t
from nnlab.viz import charts

GAP_ALARM = 0.15  # a train-test gap this large is overfitting, and the page says so
PAD = alt.AutoSizeParams(type="pad")


def render_overfit(page: str, lab) -> None:
    """The live run: the gap between train and test accuracy as the headline, the boundary and the curves."""
    from nnlab.playground import plane_maps

    trainer = lab.trainer
    last = trainer.history[-1] if trainer.history else None
    columns = st.columns(4)
    columns[0].metric(t("epoch"), trainer.epoch)
    columns[1].metric(t("train_accuracy"), f"{last.train_accuracy:.1%}" if last else "—")
    columns[2].metric(t("test_accuracy"), f"{last.test_accuracy:.1%}" if last else "—")
    gap = last.train_accuracy - last.test_accuracy if last else None
    columns[3].metric(t("gap"), "—" if gap is None else f"{gap:+.1%}", help=t("gap_help"),
                      delta=None if gap is None else (t("overfitting") if gap >= GAP_ALARM else t("generalizes")),
                      delta_color="inverse" if gap is not None and gap >= GAP_ALARM else "normal")
    panel.training_status(trainer, lab.experiment.train.epochs)
    left, right = st.columns([2, 3])
    maps = plane_maps(lab, resolution=80)
    points = dataclasses.replace(lab.points, class_names=tuple(t("class_name", n=c) for c in range(lab.points.n_classes)))
    with left:
        st.altair_chart(charts.boundary_chart(maps.probabilities, maps.extent, points, True, False, chart_labels(), 300),
                        key=f"{page}.boundary_chart", width="content")
    with right:
        st.altair_chart(charts.history_chart(charts.history_frame(trainer.history), chart_labels(), width=220),
                        key=f"{page}.history_chart", width="content")


def _history(page: str) -> list:
    return st.session_state.setdefault(f"{page}.runs", [])


def _log_dir(page: str) -> Path:
    """One folder per session under the system's temp folder: students' logs never mix."""
    key = f"{page}.log_dir"
    if key not in st.session_state:
        st.session_state[key] = Path(tempfile.gettempdir()) / "nnlab-tensorboard" / uuid.uuid4().hex[:8]
    return st.session_state[key]


def remedies_section(page: str, experiment: Experiment) -> None:
    """Retrain with each chosen remedy; every run's curves overlaid on the baseline's."""
    from nnlab.generalization import REMEDIES_ORDER, apply_remedy, train_run

    st.header(t("remedies_title"))
    st.write(t("remedies_text"))
    chosen = st.pills(t("remedies"), REMEDIES_ORDER, selection_mode="multi", default=["l2", "dropout"],
                      format_func=lambda r: t(f"remedy_{r}"), key=f"{page}.remedies")
    tensorboard = st.toggle(t("tensorboard"), key=f"{page}.tensorboard", help=t("tensorboard_help"))
    if st.button(t("remedies_button"), key=f"{page}.remedies_button", type="primary", icon=":material/healing:"):
        log_dir = _log_dir(page) if tensorboard else None
        plan = [("baseline", experiment, {})] + [(name, *apply_remedy(experiment, name)) for name in chosen or []]
        progress = st.progress(0.0)
        runs = []
        for index, (name, remedied, extra) in enumerate(plan):
            progress.progress(index / len(plan), text=t("training_run", run=t(f"remedy_{name}")))
            with panel.training_slot():
                runs.append(train_run(remedied, t(f"remedy_{name}"), tensorboard_dir=log_dir, **extra))
        progress.empty()
        st.session_state[f"{page}.remedy_runs"] = runs
        _history(page).extend(runs)
    runs = st.session_state.get(f"{page}.remedy_runs")
    if runs:
        _runs_view(page, runs, "remedy")
    if tensorboard:
        st.code(f"tensorboard --logdir {_log_dir(page)}", language="bash")
        st.caption(t("tensorboard_where", folder=str(_log_dir(page))))


def _runs_view(page: str, runs: list, tag: str) -> None:
    from nnlab.generalization import history_frame, runs_table

    table = runs_table(runs)
    st.dataframe(table, hide_index=True, key=f"{page}.{tag}_table")
    frame = history_frame(runs)
    accuracy = frame[frame["metric"] == "accuracy"]
    chart = (
        alt.Chart(accuracy).mark_line(clip=True).encode(
            x=alt.X("epoch:Q", title=t("epoch_axis")), y=alt.Y("value:Q", title=t("accuracy_axis"),
                                                           scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("run:N", title=t("run_column")),
            strokeDash=alt.StrokeDash("set:N", title=t("set"), scale=alt.Scale(domain=["train", "test"],
                                                                              range=[[1, 0], [5, 3]])),
            tooltip=["run:N", "set:N", "epoch:Q", alt.Tooltip("value:Q", format=".3f")])
        .properties(width=520, height=240, autosize=PAD)
    )
    st.altair_chart(chart, key=f"{page}.{tag}_chart", width="content")


def sweep_section(page: str, experiment: Experiment) -> None:
    """One setting across its values: a boundary and the train/test pair for each, computed once and cached."""
    from nnlab.generalization import SWEEPABLE, sweep

    st.header(t("multiples_title"))
    setting = st.selectbox(t("sweep_setting"), list(SWEEPABLE), format_func=lambda s: t(f"sweep_{s}"),
                           key=f"{page}.sweep_setting")
    cache = st.session_state.setdefault(f"{page}.sweeps", {})
    key = (setting, tuple(sorted(experiment.to_dict().items())))
    if key not in cache and st.button(t("multiples_button"), key=f"{page}.multiples_button", icon=":material/grid_view:"):
        with st.spinner(t("multiples_running")), panel.training_slot():
            cache[key] = sweep(experiment, setting, SWEEPABLE[setting])
        _history(page).extend(cache[key])
    runs = cache.get(key)
    if not runs:
        return
    for column, run in zip(st.columns(len(runs)), runs):
        with column:
            st.caption(t("multiple_caption", label=run.label, train=run.train_accuracy, test=run.test_accuracy))
            points = dataclasses.replace(run.points, class_names=tuple(
                t("class_name", n=c) for c in range(run.points.n_classes)))
            st.altair_chart(charts.boundary_chart(run.probabilities, run.extent, points, False, False, chart_labels(),
                                                  130), key=f"{page}.multiple.{run.label}", width="content")


def history_section(page: str) -> None:
    """Every run of this session, and two of them side by side."""
    runs = _history(page)
    st.header(t("history_title"))
    if not runs:
        st.caption(t("history_empty"))
        return
    from nnlab.generalization import runs_table

    table = runs_table(runs)
    st.dataframe(table, hide_index=True, key=f"{page}.history_table")
    labels = [f"{index + 1}. {run.label}" for index, run in enumerate(runs)]
    left, right = st.columns(2)
    first = left.selectbox(t("compare_first"), range(len(runs)), format_func=labels.__getitem__, key=f"{page}.cmp_a")
    second = right.selectbox(t("compare_second"), range(len(runs)), index=min(1, len(runs) - 1),
                             format_func=labels.__getitem__, key=f"{page}.cmp_b")
    for column, index in ((left, first), (right, second)):
        run = runs[index]
        with column:
            st.metric(t("gap"), f"{run.gap:+.1%}", help=t("gap_help"))
            st.caption(t("compare_caption", train=run.train_accuracy, test=run.test_accuracy, seconds=run.seconds))
            st.altair_chart(charts.history_chart(charts.history_frame(list(run.history)), chart_labels(), width=180),
                            key=f"{page}.cmp_chart.{column is left}", width="content")
            st.json({k: v for k, v in run.settings.items()}, expanded=False)
