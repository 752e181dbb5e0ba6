"""The generalization page: the live overfitting run, remedies overlaid, a small-multiples sweep, the run history."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import streamlit as st

from nnlab.augment import COPIES, shift_and_rotate
from nnlab.digits import digits_dataset, first_layer_weights
from nnlab.generalization import (
    REMEDIES_ORDER,
    REMEDY_RUN_ARGS,
    SWEEPABLE,
    apply_remedy,
    build_run_lab,
    history_frame,
    runs_table,
    sweep_experiment,
    sweep_label,
    train_examples,
    train_run,
)
from nnlab.kinds import kind_of
from nnlab.playground import plane_extent, plane_maps, record_frames
from nnlab.spec import IMAGE_DATASETS, SWEEP_SETTINGS, Experiment
from nnlab.ui.batch_runs import affordable, run_all
from nnlab.ui.chartview import show_chart
from nnlab.ui.controls import CLASSIFICATION_DATASETS, Controls
from nnlab.ui.digits_page import unit_player, with_unit_frames
from nnlab.ui.i18n import chart_labels, language, t
from nnlab.ui.live_chart import empty_note, live_chart
from nnlab.ui.loaders import shipped_images
from nnlab.ui.names import column_config, shown_value, shown_values
from nnlab.ui.player_widget import player
from nnlab.ui.readable import readable
from nnlab.ui.session import session_model, tensorboard_dir
from nnlab.ui.transport import is_playing, pace, training_status
from nnlab.ui.widgets import NO_VALUE, Metric, last_epoch, metric_row, score
from nnlab.viz import charts
from nnlab.viz.charts import class_legend
from nnlab.viz.images import augmented_grid_rgb, weight_grid_rgb
from nnlab.viz.player import player_layout
from nnlab.viz.runs import runs_accuracy_chart

GAP_ALARM = 0.15  # a train-test gap this large is overfitting, and the page says so
CONTROLS = Controls(max_units=64, datasets=(*CLASSIFICATION_DATASETS, "digits"), samples=(20, 1797))
PREVIEW_IMAGES = 6  # training digits shown with their augmented copies


def _digits(experiment: Experiment):
    """The server's cached images for an image experiment (handed to the run workers), else None."""
    return shipped_images("digits") if experiment.data.dataset in IMAGE_DATASETS else None


def session_overfit_lab(page: str, experiment: Experiment):
    """This session's live lab (2-D points or digits): kept while only the learning rate or epochs change."""
    kind = kind_of(experiment)
    with_frames = LIVE_PICTURES[kind.name][0]
    return session_model(
        page,
        (kind.structure_key(experiment),),
        lambda: with_frames(build_run_lab(experiment, digits=_digits(experiment))),
        lambda lab: kind.update_live_settings(lab, experiment),
    )


def _with_boundary_frames(lab):
    """The lab, its trainer keeping frames of the boundary for the player."""
    record_frames(lab, neurons=False)
    return lab


def _unit_pictures(page: str, lab, playing: bool):
    """The first layer's units as pictures, played by the browser (drawn here until the player is ready)."""
    st.caption(t("hidden_units"), help=t("overfit_units_help"))
    result = unit_player(page, lab, LIVE_STATS)
    if not result.ready:
        _unit_images(lab)
    return result


def _boundary_pictures(page: str, lab, playing: bool):
    """The boundary, played by the browser (drawn here until the player is ready)."""
    result = player(page, lab.trainer.recorder, _boundary_layout(page, lab), playing, pace(page), editable=False)
    if not result.ready:
        _live_boundary(page, lab)
    return result


def render_overfit(page: str, lab) -> None:
    """The live run: the gap between train and test accuracy as the headline, the boundary (or the
    first layer's weights, for digits) drawn every epoch by the browser's player, and the curves."""
    trainer = lab.trainer
    playing = is_playing(page)
    metrics = st.container()
    training_status(trainer, lab.experiment.train.epochs)
    left, right = st.columns([2, 3])
    with left:
        result = LIVE_PICTURES[kind_of(lab.experiment).name][1](page, lab, playing)
    if not result.ready:
        with metrics:
            metric_row(_metrics(trainer))
    with right:
        if trainer.history:
            live_chart(
                f"{page}.history_chart",
                playing,
                lambda: charts.history_spec(trainer.history, chart_labels(), width=220),
                trainer,
            )
        else:  # where the curves will be, not a second "press Play" line
            empty_note(t("pages_curves_empty"))


LIVE_STATS = ("epoch", "train_accuracy", "test_accuracy", "gap")
# Per lab kind this page trains (nnlab.kinds): how its lab records frames, and how its live pictures are drawn.
LIVE_PICTURES = MappingProxyType(
    {"toy": (_with_boundary_frames, _boundary_pictures), "images": (with_unit_frames, _unit_pictures)}
)


def _metrics(trainer) -> list[Metric]:
    """Epoch, train and test accuracy, and their gap, flagged as overfitting from GAP_ALARM on."""
    last = last_epoch(trainer)
    gap = last.train_accuracy - last.test_accuracy if last else None
    alarm = gap is not None and gap >= GAP_ALARM
    return [
        Metric(t("epoch"), trainer.epoch),
        Metric(t("train_accuracy"), score(last, "train_accuracy", ".1%")),
        Metric(t("test_accuracy"), score(last, "test_accuracy", ".1%")),
        Metric(
            t("gap"),
            NO_VALUE if gap is None else f"{gap:+.1%}",
            help=t("gap_help"),
            delta=None if gap is None else (t("overfitting") if alarm else t("generalizes")),
            delta_color="inverse" if alarm else "normal",
        ),
    ]


def _boundary_layout(page: str, lab) -> dict:
    """The player's fixed part for the live run on the plane: the points (all 600 of them) and the gap's numbers."""
    cache_key = (id(lab), language())
    cached = st.session_state.get(f"{page}.player_layout")
    if cached is not None and cached[0] == cache_key and cached[1] is lab:
        return cached[2]
    labels = {name: t(name) for name in LIVE_STATS} | {"replay": t("replay")}
    layout = player_layout(
        lab.trainer.recorder.layout, plane_extent(lab.points), lab.points, True, labels, stats=LIVE_STATS, size=300
    )
    st.session_state[f"{page}.player_layout"] = (cache_key, lab, layout)
    return layout


def _live_boundary(page: str, lab) -> None:
    maps = plane_maps(lab, resolution=80)
    show_chart(
        st,
        charts.boundary_spec(maps.probabilities, maps.extent, _named(lab.points), True, False, chart_labels(), 300),
        key=f"{page}.boundary_chart",
        width="content",
    )


def _named(points):
    """Points whose classes carry the page language's names."""
    return dataclasses.replace(points, class_names=tuple(t("class_name", n=c) for c in range(points.n_classes)))


def _unit_images(lab) -> None:
    """The first hidden layer's weights as pictures: noisy when the net memorises, smoother with L2 (seed 004)."""
    st.caption(t("hidden_units"), help=t("overfit_units_help"))
    if lab.experiment.model.hidden_layers:
        st.image(weight_grid_rgb(first_layer_weights(lab.trainer, lab.digits.side)), width=300)
    else:
        st.caption(t("no_hidden_layer"))


def _history(page: str) -> list:
    return st.session_state.setdefault(f"{page}.runs", [])


def remedies_section(page: str, experiment: Experiment) -> None:
    """Retrain with each chosen remedy; every run's curves overlaid on the baseline's."""
    st.header(t("remedies_title"))
    st.write(t("remedies_text"))
    chosen = st.pills(
        t("remedies"),
        REMEDIES_ORDER,
        selection_mode="multi",
        default=["l2", "dropout"],
        format_func=lambda r: t(f"remedy_{r}"),
        key=f"{page}.remedies",
    )
    if "augmentation" in (chosen or []):
        _augmentation_preview(page, experiment)
    tensorboard = st.toggle(t("tensorboard"), key=f"{page}.tensorboard", help=t("tensorboard_help"))
    clicked = st.button(
        t("remedies_button"),
        key=f"{page}.remedies_button",
        type="primary",
        icon=":material/healing:",
        help=t("remedies_button_help"),
    )
    plan = [("baseline", experiment, {})] + [(name, *apply_remedy(experiment, name)) for name in chosen or []]
    most = max(train_examples(remedied, extra.get("augment", 0.0)) for _, remedied, extra in plan)
    if clicked and affordable(experiment.train.epochs, most, len(plan)):
        log_dir, digits = (tensorboard_dir(page) if tensorboard else None), _digits(experiment)
        calls = [
            (
                remedied,
                t(f"remedy_{name}"),
                extra.get("early_stopping_patience"),
                extra.get("augment", 0.0),
                log_dir,
                digits,
            )
            for name, remedied, extra in plan
        ]
        runs = run_all(train_run, calls, label=lambda index: t(f"remedy_{plan[index][0]}"))
        if runs is not None:
            st.session_state[f"{page}.remedy_runs"] = runs
            _history(page).extend(runs)
    runs = st.session_state.get(f"{page}.remedy_runs")
    if runs:
        _runs_view(page, runs, "remedy")
    else:
        st.caption(t("pages_remedies_empty"))
    if tensorboard:
        st.code(f"tensorboard --logdir {tensorboard_dir(page)}", language="bash")
        st.caption(t("tensorboard_where", folder=str(tensorboard_dir(page))))


def _augmentation_preview(page: str, experiment: Experiment) -> None:
    """What augmentation feeds the network: a few training digits, each followed by its turned and shifted copies."""
    if experiment.data.dataset not in IMAGE_DATASETS:
        st.caption(t("augmentation_points"))
        return
    digits = _digits(experiment)
    data, _ = digits_dataset(digits, experiment)
    originals = data.x_train[:PREVIEW_IMAGES].reshape(-1, digits.side, digits.side)
    copies = shift_and_rotate(originals, REMEDY_RUN_ARGS["augmentation"]["augment"], experiment.train.seed)
    grid = augmented_grid_rgb(originals, copies, cell=40)
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.image(grid, width=grid.shape[1])
    right.caption(t("augmentation_preview", copies=COPIES))


def _runs_view(page: str, runs: list, tag: str) -> None:
    table = runs_table(runs)
    st.dataframe(_shown_runs(table), hide_index=True, key=f"{page}.{tag}_table", column_config=column_config(table))
    frame = history_frame(runs)
    accuracy = shown_values(frame[frame["metric"] == "accuracy"], ("set",))
    sets = (shown_value("train", "set"), shown_value("test", "set"))
    titles = {key: t(key) for key in ("epoch_axis", "accuracy_axis", "run_column", "set")}
    chart = runs_accuracy_chart(accuracy, sets, titles)
    show_chart(st, readable(chart), key=f"{page}.{tag}_chart", width="content")


def sweep_section(page: str, experiment: Experiment) -> None:
    """One setting across its values: a boundary and the train/test pair for each, computed once and cached."""
    st.header(t("multiples_title"))
    setting = st.selectbox(
        t("sweep_setting"),
        list(SWEEP_SETTINGS),
        format_func=lambda s: t(f"sweep_{s}"),
        key=f"{page}.sweep_setting",
        help=t("sweep_setting_help"),
    )
    cache = st.session_state.setdefault(f"{page}.sweeps", {})
    key = (setting, tuple(sorted(experiment.to_dict().items())))
    if key not in cache and st.button(
        t("multiples_button"),
        key=f"{page}.multiples_button",
        icon=":material/grid_view:",
        help=t("multiples_button_help"),
    ):
        values = SWEEPABLE[setting]
        most = max(train_examples(sweep_experiment(experiment, setting, value)) for value in values)
        if not affordable(experiment.train.epochs, most, len(values)):
            return
        calls = [
            (
                sweep_experiment(experiment, setting, value),
                sweep_label(setting, value),
                None,
                0.0,
                None,
                _digits(experiment),
            )
            for value in values
        ]
        runs = run_all(train_run, calls, label=lambda index: calls[index][1])
        if runs is None:
            return
        cache[key] = runs
        _history(page).extend(runs)
    runs = cache.get(key)
    if not runs:
        st.caption(t("pages_multiples_empty"))
        return
    if runs[0].points is not None:  # the classes' colours once, not under every small boundary
        show_chart(
            st,
            readable(class_legend(_named(runs[0].points).class_names)),
            key=f"{page}.multiples_legend",
            width="content",
        )
    for column, run in zip(st.columns(len(runs)), runs):
        with column:
            st.caption(t("multiple_caption", label=run.label, train=run.train_accuracy, test=run.test_accuracy))
            if run.points is not None:
                show_chart(
                    st,
                    charts.boundary_chart(
                        run.probabilities,
                        run.extent,
                        _named(run.points),
                        False,
                        False,
                        chart_labels(),
                        130,
                        legend=False,
                    ),
                    key=f"{page}.multiple.{run.label}",
                    width="content",
                )
            elif run.unit_images is not None:
                st.image(weight_grid_rgb(run.unit_images), width="stretch")


def _shown_runs(table):
    """The runs table's settings (the columns after the fixed ones) named as the controls name them."""
    settings = [column for column in table.columns if column.replace(" ", "_") not in RUN_COLUMNS]
    shown = table.copy()
    for column in settings:
        shown[column] = shown[column].map(
            lambda value, column=column: shown_value(value, column) if isinstance(value, str) else value
        )
    return shown


RUN_COLUMNS = (
    "run",
    "train_accuracy",
    "test_accuracy",
    "gap",
    "seconds",
    "parameters",
    "training_points",
    "best_epoch",
)


def history_section(page: str) -> None:
    """Every run of this session, and two of them side by side."""
    runs = _history(page)
    st.header(t("history_title"))
    if not runs:
        st.caption(t("history_empty"))
        return
    table = runs_table(runs)
    st.dataframe(_shown_runs(table), hide_index=True, key=f"{page}.history_table", column_config=column_config(table))
    labels = [f"{index + 1}. {run.label}" for index, run in enumerate(runs)]
    left, right = st.columns(2)
    first = left.selectbox(t("compare_first"), range(len(runs)), format_func=labels.__getitem__, key=f"{page}.cmp_a")
    second = right.selectbox(
        t("compare_second"),
        range(len(runs)),
        index=min(1, len(runs) - 1),
        format_func=labels.__getitem__,
        key=f"{page}.cmp_b",
    )
    for column, index in ((left, first), (right, second)):
        run = runs[index]
        with column:
            st.metric(t("gap"), f"{run.gap:+.1%}", help=t("gap_help"))
            st.caption(t("compare_caption", train=run.train_accuracy, test=run.test_accuracy, seconds=run.seconds))
            show_chart(
                st,
                readable(charts.history_chart(charts.history_frame(list(run.history)), chart_labels(), width=180)),
                key=f"{page}.cmp_chart.{column is left}",
                width="content",
            )
            st.json(dict(run.settings), expanded=False)
