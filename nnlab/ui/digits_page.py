"""The digits lab in Streamlit: which images, the session's lab, and what it draws while it trains."""

from __future__ import annotations

import streamlit as st

from nnlab.data.digits import DigitImages, read_mat
from nnlab.digits import (
    build_lab,
    first_layer_weights,
    misclassified,
    record_unit_frames,
    structure_key,
    update_live_settings,
)
from nnlab.metrics import confusion_table
from nnlab.presets import PRESETS
from nnlab.spec import Experiment
from nnlab.ui.controls import Controls, control, load_experiment, preset_buttons, split_controls
from nnlab.ui.i18n import chart_labels, error_text, number, t
from nnlab.ui.live_chart import empty_note, live_chart
from nnlab.ui.loaders import shipped_images
from nnlab.ui.player_widget import player
from nnlab.ui.session import session_model
from nnlab.ui.transport import is_playing, pace, training_status
from nnlab.ui.uploads import upload_section
from nnlab.ui.widgets import Metric, last_epoch, metric_row, score
from nnlab.viz import charts
from nnlab.viz.images import digit_rgb, weight_grid_rgb
from nnlab.viz.player import tiles_layout

SOURCES = ("digits", "mnist", "mat")
PRESET_NAMES = ("digits-mlp", "digits-seed004", "mnist-seed001")
GALLERY = 24


def digit_images(page: str) -> tuple[DigitImages, str, str]:
    """The images the page trains on, the spec's dataset name, and an id that changes with the data."""
    source = st.session_state.get(f"{page}.source", "digits")
    uploaded = st.session_state.get(f"{page}.uploaded")
    if source == "mat" and uploaded is not None:
        return uploaded["value"], "digits", uploaded["digest"]
    if source == "mnist":
        try:
            return shipped_images("mnist"), "mnist", "mnist"
        except ValueError as error:
            st.warning(t("mnist_offline", error=error_text(error)), icon="📡")
    return shipped_images("digits"), "digits", "digits"


def data_controls(page: str) -> dict:
    """Source, how many images, split and seed: the data half of a digits experiment."""
    key = lambda name: f"{page}.{name}"  # noqa: E731
    st.header(t("section_data"))
    source = st.radio(
        t("digits_source"),
        SOURCES,
        format_func=lambda s: t(f"digits_source_{s}"),
        key=key("source"),
        help=t("digits_source_help"),
    )
    if source == "mat":
        upload_section(page, read_mat, t("upload_mat"), t("upload_mat_help"), ["mat"], "upload_rejected_images")
        uploaded = st.session_state.get(key("uploaded"))
        if uploaded is not None:
            st.caption(
                t(
                    "upload_images_using",
                    name=uploaded["name"],
                    rows=len(uploaded["value"]),
                    side=uploaded["value"].side,
                )
            )
    digits, dataset, _ = digit_images(page)
    most = len(digits)
    asked = st.session_state.get(key("samples"), most)
    st.session_state[key("samples")] = int(min(max(asked, min(100, most)), most))  # within the table
    values = {
        "dataset": dataset,
        "samples": control(
            page,
            "samples",
            lambda: st.slider(
                t("images"),
                min(100, most),
                most,
                step=1 if most < 5000 else 500,
                key=key("samples"),
                help=t("images_help"),
            ),
        ),
        **split_controls(page),
    }
    preset_buttons(page, PRESET_NAMES, _load_preset)
    return values


def _load_preset(page: str, name: str) -> None:
    experiment = PRESETS[name].experiment
    st.session_state[f"{page}.source"] = "mnist" if experiment.data.dataset == "mnist" else "digits"
    load_experiment(page, experiment)


DIGITS_CONTROLS = Controls(
    data=data_controls,
    features=False,
    max_units=800,
    layer_bias=True,
    samples=(100, 70_000),
    datasets=("digits", "mnist"),
)


def session_digits_lab(page: str, experiment: Experiment):
    """This session's lab, rebuilt when data or structure change; None (with a message) if impossible."""
    digits, _, digest = digit_images(page)
    return session_model(
        page,
        (structure_key(experiment), digest),
        lambda: with_unit_frames(build_lab(experiment, digits)),
        lambda lab: update_live_settings(lab, experiment),
    )


def with_unit_frames(lab):
    """The lab, its trainer now keeping frames of the hidden units' pictures for the player."""
    record_unit_frames(lab)
    return lab


def unit_player(page: str, lab, stats: tuple[str, ...]):
    """The player drawing the first hidden layer's weights as pictures every epoch, with `stats` above them."""
    units = lab.experiment.model.hidden_layers[0].units if lab.experiment.model.hidden_layers else 0
    labels = {
        name: t(name) for name in ("epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "parameters")
    } | {"gap": t("gap"), "replay": t("replay")}
    layout = tiles_layout(lab.trainer.recorder.layout, units, labels, stats, lab.trainer.parameters)
    playing = is_playing(page)
    return player(page, lab.trainer.recorder, layout, playing, pace(page), editable=False)


def render_digits_lab(page: str, lab) -> None:
    """What changes while training: numbers, the hidden units as images, curves, confusion, mistakes."""
    trainer = lab.trainer
    playing = is_playing(page)
    metrics = st.container()
    training_status(trainer, lab.experiment.train.epochs)
    weights_column, curves_column = st.columns([1, 1])
    with weights_column:
        st.subheader(t("hidden_units"), help=t("hidden_units_help"))
        result = unit_player(page, lab, ("epoch", "train_accuracy", "test_accuracy", "test_loss", "parameters"))
        if not result.ready:
            with metrics:
                metric_row(image_metrics(trainer))
        if not lab.experiment.model.hidden_layers:
            st.caption(t("no_hidden_layer"))
        elif not result.ready:
            weights = first_layer_weights(trainer, lab.digits.side)
            st.image(weight_grid_rgb(weights), caption=units_caption(len(weights), lab.digits.side))
        else:
            st.caption(units_caption(lab.experiment.model.hidden_layers[0].units, lab.digits.side))
    with curves_column:
        curves_and_confusion(page, trainer, playing, trainer.data.class_names)
    if trainer.epoch:
        wrong = misclassified(lab, GALLERY)
        st.subheader(t("gallery"), help=t("gallery_help"))
        if wrong:
            st.image(
                [digit_rgb(image) for image, *_ in wrong],
                width=84,
                caption=[t("gallery_caption", true=y, predicted=p, probability=q) for _, y, p, q in wrong],
            )
        else:
            st.caption(t("gallery_empty"))


def curves_and_confusion(page: str, trainer, playing: bool, class_names) -> None:
    """An image lab's live loss and accuracy curves, then its test set's confusion matrix (none before training)."""
    st.subheader(t("curves"))
    # Two plots of CURVE_WIDTH side by side fit half the page at 1400 px (200 ran past its edge).
    live_chart(
        f"{page}.history_chart",
        playing,
        lambda: readable(charts.history_spec(trainer.history, chart_labels(), width=CURVE_WIDTH)),
        trainer,
        empty=not trainer.history,
    )
    st.subheader(t("confusion"))

    def confusion():
        y_pred = trainer.predict(trainer.data.x_test).argmax(axis=1)
        table = confusion_table(trainer.data.y_test, y_pred, class_names)
        return readable(charts.confusion_spec(table, chart_labels(), size=CONFUSION_SIZE))

    if trainer.epoch:
        live_chart(f"{page}.confusion_chart", playing, confusion, trainer)
    else:  # an untrained model's answers are noise: no matrix that looks like a result
        empty_note(t("mapdigits_untrained"))


CURVE_WIDTH = 150  # each of the loss and accuracy plots
CONFUSION_SIZE = 300  # 10×10 cells of 30 px: three-digit counts at 14 px, and the whole matrix fits a phone
CHART_FONT = 13  # axis labels and titles, readable from the back of the room (Vega-Lite's default is 10–11 px)


def readable(spec: dict) -> dict:
    """A Vega-Lite spec whose axis and legend text is at least CHART_FONT px (a cell's own text is the chart's)."""
    config = dict(spec.get("config", {}))
    for part in ("axis", "legend"):
        sizes = dict(config.get(part, {}))
        for name in ("labelFontSize", "titleFontSize"):
            sizes[name] = max(CHART_FONT, sizes.get(name, 0))
        config[part] = sizes
    return {**spec, "config": config}


def units_caption(units: int, side: int) -> str:
    """What the grid of first-layer pictures is; "seed 004's 5×5 grid" only when it is one (25 units)."""
    return t("mapdigits_units_seed004" if units == 25 else "mapdigits_units_caption", units=units, side=side)


def image_metrics(trainer) -> list[Metric]:
    """Epoch, train and test accuracy, test loss and the parameter count."""
    last = last_epoch(trainer)
    return [
        Metric(t("epoch"), trainer.epoch),
        Metric(t("train_accuracy"), score(last, "train_accuracy", ".1%")),
        Metric(t("test_accuracy"), score(last, "test_accuracy", ".1%")),
        Metric(t("test_loss"), score(last, "test_loss", ".3f")),
        Metric(t("parameters"), number(trainer.parameters, ",")),
    ]
