"""The Convolution lab in Streamlit: which images, the session's lab, and what it draws while it trains."""

from __future__ import annotations

import streamlit as st

from nnlab.convolution import (
    TRAIN_SHARE,
    build_lab,
    first_filters,
    record_filter_frames,
    samples_offered,
    split_counts,
    structure_key,
    tensorboard_writer,
    update_live_settings,
    write_new_epochs,
)
from nnlab.data.cifar import CIFAR_CLASSES, cifar_cached
from nnlab.data.digits import DigitImages, mnist_cached
from nnlab.errors import LabError
from nnlab.presets import PRESETS
from nnlab.spec import SETTINGS, Experiment
from nnlab.ui.controls import Controls, control, load_experiment, preset_buttons
from nnlab.ui.digits_page import curves_and_confusion, image_metrics
from nnlab.ui.i18n import error_text, number, t
from nnlab.ui.loaders import shipped_images, shipped_photos
from nnlab.ui.player_widget import player
from nnlab.ui.session import session_model, tensorboard_dir
from nnlab.ui.transport import is_playing, pace, training_status
from nnlab.ui.widgets import metric_row
from nnlab.viz.images import filter_grid_rgb
from nnlab.viz.player import tiles_layout

SOURCES = ("cifar10", "mnist", "digits")  # the spec's dataset names: the radio's value is the experiment's dataset
PRESET_NAMES = ("cifar-seed002", "conv-digits")
LIVE_SAMPLES = 6_000  # 5,000 training images: what a 2-core laptop trains live (the seed's preset included)


def default_experiment() -> Experiment:
    """Seed 002's network on 5,000 CIFAR-10 images when Keras's cache has them; offline, the 8×8 digits."""
    if cifar_cached():
        return Experiment.from_dict({"samples": LIVE_SAMPLES}, base=PRESETS["cifar-seed002"].experiment)
    return Experiment.from_dict({"train_ratio": TRAIN_SHARE}, base=PRESETS["conv-digits"].experiment)


def loaded_images(dataset: str) -> DigitImages:
    """The images a dataset names (CIFAR-10 and MNIST are downloaded once; a LabError says why they cannot be)."""
    return shipped_photos() if dataset == "cifar10" else shipped_images(dataset)


def _settle_source(page: str) -> None:
    """Load the chosen images before the radio is drawn; when they cannot be had (offline), say why and go back to
    the 8×8 digits, every other setting kept."""
    key = f"{page}.dataset"
    chosen = st.session_state.get(key, "digits")
    if chosen not in SOURCES:
        st.session_state[key] = "digits"
        return
    if chosen == "digits":
        return
    try:
        with st.spinner(t(f"conv_loading_{chosen}")):
            loaded_images(chosen)
    except LabError as error:
        st.warning(t("conv_fallback", error=error_text(error)), icon=":material/wifi_off:")
        st.session_state[key] = "digits"


def conv_images(page: str) -> DigitImages:
    """The images the page trains on (the radio's choice, already loaded by the data section)."""
    dataset = st.session_state.get(f"{page}.dataset", "digits")
    try:
        return loaded_images(dataset if dataset in SOURCES else "digits")
    except LabError:
        return shipped_images("digits")


def data_controls(page: str) -> dict:
    """Source, how many training images (the test set is a fifth of them), seed, and the two presets."""
    key = lambda name: f"{page}.{name}"  # noqa: E731
    st.header(t("section_data"))
    _settle_source(page)
    offered = tuple(s for s in SOURCES if s != "mnist" or mnist_cached() or st.session_state.get(key("dataset")) == s)
    dataset = control(
        page,
        "dataset",
        lambda: st.radio(
            t("conv_source"),
            offered,
            format_func=lambda s: t(f"conv_source_{s}"),
            key=key("dataset"),
            help=t("conv_source_help"),
        ),
    )
    if dataset != "cifar10" and not cifar_cached():
        st.info(t("conv_cifar_needs_network"), icon=":material/wifi_off:")
    sizes = samples_offered(len(conv_images(page)))
    asked = st.session_state.get(key("samples"), sizes[-1])
    st.session_state[key("samples")] = min(sizes, key=lambda size: abs(size - asked))  # a link's count snaps
    samples = control(
        page,
        "samples",
        lambda: st.select_slider(
            t("conv_training_images"),
            sizes,
            key=key("samples"),
            format_func=lambda size: number(split_counts(size)[0], ","),
            help=t("conv_training_images_help"),
        ),
    )
    training, test = split_counts(samples)
    st.caption(t("conv_split", training=training, test=test))
    seed_low, seed_high, seed_step = SETTINGS["seed"].slider
    seed = control(
        page,
        "seed",
        lambda: st.number_input(t("seed"), seed_low, seed_high, step=seed_step, key=key("seed"), help=t("seed_help")),
    )
    preset_buttons(page, PRESET_NAMES, _load_preset)
    return {"dataset": dataset, "samples": samples, "train_ratio": TRAIN_SHARE, "seed": seed}


def _load_preset(page: str, name: str) -> None:
    """A preset's network and training; the images a laptop trains live (5,000 CIFAR-10 photographs at most)."""
    experiment = PRESETS[name].experiment
    samples = min(experiment.data.samples, LIVE_SAMPLES)
    load_experiment(page, Experiment.from_dict({"samples": samples, "train_ratio": TRAIN_SHARE}, base=experiment))


CONV_CONTROLS = Controls(
    data=data_controls,
    features=False,
    max_units=256,
    samples=(100, 70_000),
    datasets=SOURCES,
    conv=True,
)


def session_conv_lab(page: str, experiment: Experiment):
    """This session's lab, rebuilt when data or structure change; None (with the message) if impossible."""
    images = conv_images(page)
    return session_model(
        page,
        (structure_key(experiment), images.source),
        lambda: with_filter_frames(build_lab(experiment, images)),
        lambda lab: update_live_settings(lab, experiment),
    )


def with_filter_frames(lab):
    """The lab, its trainer now keeping frames of the first convolution's filters for the player."""
    record_filter_frames(lab)
    return lab


def shown_class_names(lab) -> tuple[str, ...]:
    """The ten classes as the page names them: CIFAR-10's objects in the session's language, digits as they are."""
    if lab.digits.source == "cifar10":
        return tuple(t(f"cifar_class_{name}") for name in CIFAR_CLASSES)
    return tuple(lab.trainer.data.class_names)


def filter_player(page: str, lab, stats: tuple[str, ...]):
    """The player drawing the first convolution's filters as pictures every epoch, with `stats` above them."""
    blocks = lab.experiment.model.conv_blocks
    labels = {name: t(name) for name in ("epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy")}
    labels |= {"parameters": t("parameters"), "gap": t("gap"), "replay": t("replay")}
    layout = tiles_layout(
        lab.trainer.recorder.layout,
        blocks[0].filters if blocks else 0,
        labels,
        stats,
        lab.trainer.parameters,
        channels=lab.digits.channels,
    )
    return player(page, lab.trainer.recorder, layout, is_playing(page), pace(page), editable=False)


def render_conv_lab(page: str, lab) -> None:
    """What changes while training: numbers, the filters as pictures, curves, the confusion matrix."""
    trainer = lab.trainer
    playing = is_playing(page)
    metrics = st.container()
    training_status(trainer, lab.experiment.train.epochs)
    filters_column, curves_column = st.columns([1, 1])
    with filters_column:
        st.subheader(t("conv_filters_title"), help=t("conv_filters_title_help"))
        result = filter_player(page, lab, ("epoch", "train_accuracy", "test_accuracy", "test_loss", "parameters"))
        if not result.ready:
            with metrics:
                metric_row(image_metrics(trainer))
        filters = first_filters(trainer)
        if filters is None:
            st.caption(t("conv_no_blocks"))
        else:
            if not result.ready:
                st.image(filter_grid_rgb(filters))
            st.caption(_filters_caption(filters.shape))
    with curves_column:
        curves_and_confusion(page, trainer, playing, shown_class_names(lab))
    _write_tensorboard(page, lab)


def _filters_caption(shape: tuple[int, ...]) -> str:
    filters, side, _, channels = shape
    return t("conv_filters_caption_rgb" if channels == 3 else "conv_filters_caption_grey", filters=filters, side=side)


def _write_tensorboard(page: str, lab) -> None:
    """With the toggle on, every epoch trained so far goes into the session's folder, one sub-folder per run."""
    if not st.session_state.get(f"{page}.tensorboard"):
        return
    run = lab.trainer.recorder.run_id
    state = st.session_state.get(f"{page}.tensorboard_run")
    if state is None or state["run"] != run:
        state = {"run": run, "writer": tensorboard_writer(tensorboard_dir(page) / f"run-{run[:8]}"), "written": 0}
        st.session_state[f"{page}.tensorboard_run"] = state
    state["written"] = write_new_epochs(state["writer"], lab.trainer.history, state["written"])


def tensorboard_section(page: str) -> None:
    """The toggle, and where the logs are with the command that opens them."""
    on = st.toggle(t("tensorboard"), key=f"{page}.tensorboard", help=t("conv_tensorboard_help"))
    if on:
        st.code(f"tensorboard --logdir {tensorboard_dir(page)}", language="bash")
        st.caption(t("tensorboard_where", folder=str(tensorboard_dir(page))))
