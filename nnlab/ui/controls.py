"""Sidebar controls that turn widgets into one validated `Experiment`, synced with the URL.

Widget keys are `<page>.<spec key>`, so the spec table, the URL and the widgets share names.
A broken link or an impossible combination never raises: the page says why and keeps the
last valid experiment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import streamlit as st

from nnlab.data.cities import country_names
from nnlab.data.features import FEATURE_LABELS
from nnlab.kinds import kind_of
from nnlab.spec import (
    ACTIVATIONS,
    FEATURES,
    IMAGE_COUNTS,
    IMAGE_DATASETS,
    INITIALIZERS,
    LOSSES,
    LR_SCHEDULES,
    OPTIMIZERS,
    PHOTO_DATASETS,
    PROBLEMS,
    REGRESSION_DATASETS,
    REGULARIZATIONS,
    SETTINGS,
    TOY_DATASETS,
    TWO_CLASS_DATASETS,
    ConvBlock,
    Experiment,
    Layer,
    SpecError,
    first_dataset,
    from_link,
    is_regression,
)
from nnlab.ui.i18n import LANGUAGE_KEY, error_text, language, number, t
from nnlab.ui.links import experiment_params, hidden_controls, page_params, shown
from nnlab.ui.loaders import shipped_cities  # the server's cached copy (workers read their own)
from nnlab.ui.names import shown_countries
from nnlab.ui.widgets import multiselect

LEARNING_RATES = SETTINGS["learning_rate"].offered
REGULARIZATION_RATES = SETTINGS["regularization_rate"].offered
PAGE_LAYERS = int(SETTINGS["hidden_layers"].slider[1])  # the Playground's 0–6 hidden layers
# The 2-D sets with classes (own points included); the Playground's problem switch offers the rest.
CLASSIFICATION_DATASETS = tuple(d for d in TOY_DATASETS if not is_regression(d) and d != "custom")
PAGE_UNITS = 32


@dataclass(frozen=True)
class Controls:
    """What a lab's sidebar offers beyond the shared network and training controls."""

    data: Callable[[str], dict] | None = None  # the data section; None = the Playground's 2-D datasets
    features: bool = True  # the input-feature picker (2-D datasets only)
    max_units: int = 32
    layer_batch_norm: bool = False  # a batch-norm switch per layer (seed 000's reference net)
    layer_bias: bool = False  # a bias switch per layer (seed 001's Dense(300, use_bias=False))
    class_weight: bool = False  # the positive class's weight, 1 … 50 or "balanced"
    main: Callable[[str], dict] | None = None  # controls drawn in the page itself (e.g. a threshold)
    samples: tuple[int, int] = (20, 1000)  # the sample-count slider's range (a link's value is clamped to it)
    optimizer: bool = True  # False: the page chooses optimizers itself (the optimizer race)
    datasets: tuple[str, ...] = CLASSIFICATION_DATASETS  # offered by the default data section; may add "digits"
    regression: bool = False  # a problem-type switch: classification, or TF Playground's regression sets
    schedule: bool = False  # a learning-rate schedule picker
    beside_play: bool = False  # optimizer, learning rate and epochs in the page, just above Play (not the sidebar)
    conv: bool = False  # convolution blocks (filters, kernel, padding, pooling) before the Dense layers


PLAYGROUND_CONTROLS = Controls(regression=True, schedule=True, beside_play=True)
POSITIVE_WEIGHTS = SETTINGS["positive_weight"].offered


def experiment_sidebar(page: str, defaults: Experiment, controls: Controls = PLAYGROUND_CONTROLS) -> Experiment:
    """Draw the controls and return the experiment they describe (URL in, URL out)."""
    st.session_state[f"{page}.max_units"] = controls.max_units
    st.session_state[f"{page}.controls"] = controls  # what an imported run may use on this page
    st.session_state[f"{page}.offered"] = set()  # filled by the controls drawn below
    st.session_state[f"{page}.samples_range"] = controls.samples
    _load_once(page, defaults)
    values = {}
    with st.sidebar:
        values |= controls.data(page) if controls.data else _data_controls(page, controls.datasets, controls.regression)
        values |= _network_controls(page, controls, pixels=values.get("dataset") in (*IMAGE_DATASETS, *PHOTO_DATASETS))
        values |= _training_controls(page, controls, regression=is_regression(values.get("dataset", "")))
    if controls.beside_play:
        values |= _beside_play(page)
    if controls.main is not None:
        values |= controls.main(page)
    try:
        experiment = Experiment.from_dict(values, base=defaults)
    except SpecError as error:
        st.error(t("bad_setting", error=error_text(error)), icon="⚠️")
        experiment = st.session_state.get(f"{page}.valid", defaults)
    st.session_state[f"{page}.valid"] = experiment
    _write_url(experiment, defaults)
    return experiment


def _slider(name: str) -> tuple:
    """A setting's slider (low, high, step) from the table of settings."""
    return SETTINGS[name].slider


# Widget bounds (the spec itself allows more, e.g. from the command line).
WIDGET_RANGES = MappingProxyType(
    {
        "samples": _slider("samples")[:2],
        "batch_size": _slider("batch_size")[:2],
        "n_layers": (0, PAGE_LAYERS),
        "n_blocks": _slider("conv_blocks")[:2],
    }
)


def load_experiment(page: str, experiment: Experiment) -> None:
    """Put an experiment into the widgets (also a preset button's callback)."""
    st.session_state.pop(f"{page}.kept", None)
    for key, value in _widget_values(experiment).items():
        st.session_state[f"{page}.{key}"] = _clamped(page, key, value)


def preset_buttons(
    page: str, names: tuple[str, ...], load: Callable[[str, str], None], side_by_side: bool = False
) -> None:
    """A button per preset, its name on it and what it is on hover; `load(page, name)` runs before the page
    redraws, so the widgets show the preset. `side_by_side`: in one row, else one under another."""
    places = st.columns(len(names)) if side_by_side else [st] * len(names)
    for place, name in zip(places, names):
        place.button(
            t(f"preset_{name}"),
            key=f"{page}.preset.{name}",
            on_click=load,
            args=(page, name),
            help=t(f"preset_about_{name}"),
            width="stretch",
        )


def unshowable(experiment: Experiment, controls: Controls) -> str | None:
    """Why this page's controls cannot show the experiment (a run imported from another page), or None."""
    layers = experiment.model.hidden_layers
    offered = (*controls.datasets, *REGRESSION_DATASETS, "custom") if controls.regression else controls.datasets
    if experiment.data.dataset not in offered:
        return t("import_other_page", dataset=experiment.data.dataset)
    if len(layers) > PAGE_LAYERS or any(layer.units > controls.max_units for layer in layers):
        return t("import_too_big", layers=PAGE_LAYERS, units=controls.max_units)
    if experiment.model.conv_blocks and not controls.conv:
        return t("import_no_conv")
    if any(layer.batch_norm for layer in layers) and not controls.layer_batch_norm:
        return t("import_no_layer_bn")
    if (experiment.train.class_weights or experiment.train.balanced_weights) and not controls.class_weight:
        return t("import_no_class_weight")
    return None


def _clamped(page: str, key: str, value: object) -> object:
    units = (1, st.session_state.get(f"{page}.max_units", PAGE_UNITS))
    ranges = WIDGET_RANGES | {"samples": st.session_state.get(f"{page}.samples_range", WIDGET_RANGES["samples"])}
    low, high = units if key.startswith("units_") else ranges.get(key, (None, None))
    return value if low is None else min(max(value, low), high)


def _load_once(page: str, defaults: Experiment) -> None:
    if f"{page}.loaded" in st.session_state:
        return
    st.session_state[f"{page}.loaded"] = True
    hidden_controls(page)  # a lesson link's hidden controls, read before any widget is drawn
    experiment, errors = from_link(experiment_params(st.query_params.to_dict()), defaults)
    for error in errors:
        st.warning(t("bad_link", error=error_text(error)), icon="🔗")
    load_experiment(page, experiment)


def _widget_values(e: Experiment) -> dict:
    """Widget state for an experiment: the same keys as the spec, a few in widget units."""
    values = {k: getattr(part, k) for part in (e.data, e.model, e.train) for k in part.__dataclass_fields__}
    values["problem"] = "regression" if is_regression(e.data.dataset) else "classification"
    values["train_ratio"] = int(round(e.train.train_ratio * 100))
    values["features"] = list(e.model.features)
    values["n_layers"] = len(e.model.hidden_layers)
    for index, layer in enumerate(e.model.hidden_layers):
        values[f"units_{index}"], values[f"activation_{index}"] = layer.units, layer.activation
        values[f"batch_norm_{index}"] = layer.batch_norm
        values[f"bias_{index}"] = layer.use_bias  # no widget yet: kept so a link's ":nobias" survives
    values["n_blocks"] = len(e.model.conv_blocks)
    for index, block in enumerate(e.model.conv_blocks):
        for part in ("filters", "kernel", "padding", "pool"):
            values[f"{part}_{index}"] = getattr(block, part)
        values[f"conv_activation_{index}"] = block.activation
    values["positive_weight"] = _positive_weight(e.train)
    for key in ("hidden_layers", "class_weights", "balanced_weights"):
        del values[key]
    return values


def _positive_weight(train) -> object:
    """The class-weight slider's position for a spec: "balanced", or weight(1) / weight(0)."""
    if train.balanced_weights:
        return "balanced"
    if len(train.class_weights) != 2:
        return 1
    ratio = train.class_weights[1] / train.class_weights[0]
    return min(POSITIVE_WEIGHTS[:-1], key=lambda option: abs(option - ratio))


def control(page: str, name: str, draw: Callable[[], object]) -> object:
    """Draw a control, unless the lesson link hides it: then its value is the link's, and nobody sees it."""
    st.session_state.setdefault(f"{page}.offered", set()).add(name)  # what the share panel may offer to hide
    if name in hidden_controls(page):
        return st.session_state.get(f"{page}.{name}")
    return draw()


HIDEABLE = (
    "text",
    "problem",
    "dataset",
    "country",
    "threshold",
    "classes",
    "samples",
    "noise",
    "train_ratio",
    "seed",
    "points",
    "features",
    "conv_blocks",
    "hidden_layers",
    "init",
    "dropout",
    "batch_norm",
    "use_bias",
    "optimizer",
    "learning_rate",
    "lr_schedule",
    "momentum",
    "batch_size",
    "regularization",
    "regularization_rate",
    "loss",
    "epochs",
    "positive_weight",
    "pace",
)


def _data_controls(page: str, datasets: tuple[str, ...] = CLASSIFICATION_DATASETS, regression: bool = False) -> dict:
    st.header(t("section_data"))
    key = lambda name: f"{page}.{name}"  # noqa: E731
    if regression:
        problem = control(
            page,
            "problem",
            lambda: st.radio(
                t("problem"),
                PROBLEMS,
                format_func=lambda p: t(f"problem_{p}"),
                key=_keep(page, key("problem"), "classification"),
                help=t("problem_help"),
                horizontal=True,
            ),
        )
        datasets = (*REGRESSION_DATASETS, "custom") if problem == "regression" else (*datasets, "custom")
        if st.session_state.get(key("dataset")) not in datasets:  # the other problem's dataset: this one's first
            st.session_state[key("dataset")] = first_dataset(problem)
    dataset = control(
        page,
        "dataset",
        lambda: st.selectbox(
            t("dataset"), datasets, format_func=lambda d: t(f"dataset_{d}"), key=key("dataset"), help=t("dataset_help")
        ),
    )
    values = DATA_WIDGETS[kind_of(dataset).name](page, dataset)
    values |= split_controls(page)
    if shown(page, "seed"):
        st.button(
            t("regenerate"),
            key=key("regenerate"),
            on_click=_set_seed,
            args=(key("seed"), _next_seed(values["seed"])),
            icon=":material/casino:",
            width="stretch",
            help=t("regenerate_help"),
        )
    return values


def _image_data(page: str, dataset: str) -> dict:
    """Images: how many of the set's images to use."""
    return {"dataset": dataset, "samples": _image_count_slider(page, IMAGE_COUNTS[dataset])}


def _city_data(page: str, dataset: str) -> dict:
    """Cities: the shipped table, and the country to find."""
    return {"dataset": dataset, "country": _country_picker(page)}


def _toy_data(page: str, dataset: str) -> dict:
    """Generated points: classes, how many, how noisy."""
    key = lambda name: f"{page}.{name}"  # noqa: E731
    two_class = dataset in TWO_CLASS_DATASETS or is_regression(dataset)
    if two_class:
        st.session_state[key("classes")] = 2
    st.session_state[key("samples")] = min(st.session_state.get(key("samples"), 400), WIDGET_RANGES["samples"][1])
    return {
        "dataset": dataset,
        "classes": control(
            page,
            "classes",
            lambda: st.slider(
                t("classes"),
                *_slider("classes")[:2],
                key=_keep(page, key("classes"), 2),
                disabled=two_class,
                help=t("classes_help"),
            ),
        ),
        "samples": control(
            page,
            "samples",
            lambda: st.slider(
                t("samples"),
                *_slider("samples")[:2],
                step=_slider("samples")[2],
                key=key("samples"),
                help=t("samples_help"),
            ),
        ),
        "noise": control(
            page,
            "noise",
            lambda: st.slider(
                t("noise"),
                *_slider("noise")[:2],
                step=_slider("noise")[2],
                key=_keep(page, key("noise"), 0.0),
                help=t("noise_help"),
            ),
        ),
    }


# The data widgets of each lab kind (nnlab.kinds), for the pages that offer several kinds' datasets.
DATA_WIDGETS: MappingProxyType[str, Callable[[str, str], dict]] = MappingProxyType(
    {"toy": _toy_data, "cities": _city_data, "images": _image_data}
)


def split_controls(page: str) -> dict:
    """The train-share slider and the seed input every lab's data section ends with (spec units out)."""
    share_low, share_high, share_step = _slider("train_ratio")  # in percent
    share = control(
        page,
        "train_ratio",
        lambda: st.slider(
            t("train_ratio"),
            share_low,
            share_high,
            step=share_step,
            key=f"{page}.train_ratio",
            help=t("train_ratio_help"),
        ),
    )
    seed_low, seed_high, seed_step = _slider("seed")
    seed = control(
        page,
        "seed",
        lambda: st.number_input(
            t("seed"), seed_low, seed_high, step=seed_step, key=f"{page}.seed", help=t("seed_help")
        ),
    )
    return {"train_ratio": share / 100, "seed": seed}


def _country_picker(page: str) -> str:
    """The shipped cities' countries (the World map page has uploads; here the shipped table is enough)."""

    names = country_names(shipped_cities())
    if st.session_state.get(f"{page}.country") not in names:
        st.session_state[f"{page}.country"] = "Russia"
    return control(
        page,
        "country",
        lambda: st.selectbox(
            t("country"), names, key=f"{page}.country", help=t("country_help"), format_func=shown_countries(names)
        ),
    )


def _image_count_slider(page: str, most: int) -> int:
    """How many of the dataset's images to use (a count from the 2-D points is clamped into range)."""
    widget_key = f"{page}.samples"
    st.session_state[widget_key] = int(min(max(st.session_state.get(widget_key, most), 100), most))
    return control(
        page, "samples", lambda: st.slider(t("images"), 100, most, step=1, key=widget_key, help=t("images_help"))
    )


def _next_seed(seed: int) -> int:
    return (seed + 1) % (_slider("seed")[1] + 1)


def _set_seed(seed_key: str, seed: int) -> None:
    """The seed the button was drawn with, plus one: a press whose callback runs twice still moves it once."""
    st.session_state[seed_key] = seed


def _network_controls(page: str, controls: Controls, pixels: bool = False) -> dict:
    """Layers, units, activations, dropout, bias; the input features too, unless the inputs are pixels."""
    key = lambda name: f"{page}.{name}"  # noqa: E731
    st.header(t("section_network"))
    values = {}
    if controls.features and not pixels:
        features = control(
            page,
            "features",
            lambda: multiselect(
                t("features"),
                FEATURES,
                format_func=FEATURE_LABELS.get,
                key=_keep(page, key("features"), ["x1", "x2"]),
                help=t("features_help"),
            ),
        )
        values["features"] = tuple(f for f in FEATURES if f in features)
    if controls.conv:
        values["conv_blocks"] = control(page, "conv_blocks", lambda: conv_block_controls(page))
    st.session_state.setdefault(f"{page}.offered", set()).add("hidden_layers")
    if controls.layer_batch_norm and st.session_state.get(key("batch_norm")):
        # A page with a switch per layer has no global one (it would say the same twice): a link's global batch
        # norm becomes every layer's own, the same network.
        for index in range(st.session_state.get(key("n_layers"), 0)):
            st.session_state[key(f"batch_norm_{index}")] = True
            st.session_state.get(f"{page}.kept", {}).pop(key(f"batch_norm_{index}"), None)
        st.session_state[key("batch_norm")] = False
    if shown(page, "hidden_layers"):
        n_layers = st.slider(
            t("hidden_layers"), *_slider("hidden_layers")[:2], key=key("n_layers"), help=t("hidden_layers_help")
        )
        layers = [_layer_controls(page, index, controls) for index in range(n_layers)]
    else:
        layers = [_hidden_layer(page, index) for index in range(st.session_state.get(key("n_layers"), 0))]
    return values | {
        "hidden_layers": tuple(layers),
        "init": control(
            page,
            "init",
            lambda: st.selectbox(
                t("init"),
                INITIALIZERS,
                format_func=lambda name: t(f"init_{name}"),
                key=_keep(page, key("init"), "glorot"),
                help=t("init_help"),
            ),
        ),
        "dropout": control(
            page,
            "dropout",
            lambda: st.slider(
                t("dropout"),
                *_slider("dropout")[:2],
                step=_slider("dropout")[2],
                key=key("dropout"),
                help=t("dropout_help"),
            ),
        ),
        "batch_norm": False
        if controls.layer_batch_norm
        else control(
            page, "batch_norm", lambda: st.checkbox(t("batch_norm"), key=key("batch_norm"), help=t("batch_norm_help"))
        ),
        # With a bias switch per layer the global one shows only when a link turned every bias off (the output's
        # too, which no layer switch can say): the student sees why, and can turn it back on.
        "use_bias": st.session_state.get(key("use_bias"), True)
        if controls.layer_bias and st.session_state.get(key("use_bias"), True)
        else control(
            page, "use_bias", lambda: st.checkbox(t("use_bias"), key=key("use_bias"), help=t("use_bias_help"))
        ),
    }


def conv_block_controls(page: str) -> tuple[ConvBlock, ...]:
    """How many convolution blocks, then each block's filters, kernel, padding, pooling and activation."""
    st.subheader(t("conv_blocks_section"), help=t("conv_blocks_section_help"))
    n_blocks = st.slider(
        t("conv_blocks"), *_slider("conv_blocks")[:2], key=f"{page}.n_blocks", help=t("conv_blocks_help")
    )
    return tuple(_block_controls(page, index) for index in range(n_blocks))


def _block_controls(page: str, index: int) -> ConvBlock:
    """One bordered box per block; a block shown again keeps its earlier settings (a link's odd values snap)."""
    key = lambda name: f"{page}.{name}_{index}"  # noqa: E731
    for part in ("filters", "kernel", "pool"):
        _snap(key(part), SETTINGS[f"conv_{part}"].offered)
    with st.container(border=True):
        st.markdown(f"**{t('conv_block', n=index + 1)}**")
        left, right = st.columns(2)
        filters = left.select_slider(
            t("conv_filters"),
            SETTINGS["conv_filters"].offered,
            key=_keep(page, key("filters"), 8 * 2**index),
            help=t("conv_filters_help"),
        )
        kernel = right.select_slider(
            t("conv_kernel"),
            SETTINGS["conv_kernel"].offered,
            key=_keep(page, key("kernel"), 3),
            format_func=lambda k: f"{k}×{k}",
            help=t("conv_kernel_help"),
        )
        padding = st.radio(
            t("conv_padding"),
            SETTINGS["conv_padding"].choices,
            key=_keep(page, key("padding"), "same"),
            format_func=lambda p: t(f"conv_padding_{p}"),
            help=t("conv_padding_help"),
            horizontal=True,
        )
        pool = st.select_slider(
            t("conv_pool"),
            SETTINGS["conv_pool"].offered,
            key=_keep(page, key("pool"), 2),
            format_func=lambda p: t("conv_pool_none") if p == 1 else f"{p}×{p}",
            help=t("conv_pool_help"),
        )
        activation = st.selectbox(
            t("conv_activation"),
            ACTIVATIONS,
            key=_keep(page, key("conv_activation"), "relu"),
            help=t("conv_activation_help"),
        )
    return ConvBlock(filters, kernel, padding, pool, activation)


def _hidden_layer(page: str, index: int) -> Layer:
    """A layer the lesson link hides, as the link set it."""
    value = lambda name, fallback: st.session_state.get(f"{page}.{name}_{index}", fallback)  # noqa: E731
    return Layer(
        value("units", 4), value("activation", "tanh"), value("batch_norm", False), use_bias=value("bias", True)
    )


def _keep(page: str, widget_key: str, fallback: object) -> str:
    """Streamlit forgets a widget's value while it is hidden; restore it when it shows again."""
    kept = st.session_state.setdefault(f"{page}.kept", {})
    if widget_key not in st.session_state:
        st.session_state[widget_key] = kept.get(widget_key, fallback)
    kept[widget_key] = st.session_state[widget_key]
    return widget_key


def _layer_controls(page: str, index: int, controls: Controls) -> Layer:
    """One row per hidden layer; a layer shown again keeps its earlier size and activation."""
    left, right = st.columns(2)
    units = left.slider(
        t("layer_units", n=index + 1),
        1,
        controls.max_units,
        key=_keep(page, f"{page}.units_{index}", 4),
        help=t("units_help"),
    )
    activation = right.selectbox(
        t("layer_activation", n=index + 1),
        ACTIVATIONS,
        key=_keep(page, f"{page}.activation_{index}", "tanh"),
        help=t("activation_help"),
    )
    batch_norm = controls.layer_batch_norm and st.checkbox(
        t("layer_batch_norm", n=index + 1),
        key=_keep(page, f"{page}.batch_norm_{index}", False),
        help=t("batch_norm_help"),
    )
    if controls.layer_bias:
        use_bias = st.checkbox(
            t("layer_bias", n=index + 1), key=_keep(page, f"{page}.bias_{index}", True), help=t("layer_bias_help")
        )
    else:
        use_bias = st.session_state.get(f"{page}.bias_{index}", True)
    return Layer(units, activation, batch_norm, use_bias=use_bias)


def _training_controls(page: str, controls: Controls, regression: bool = False) -> dict:
    """`regression`: the loss is squared error whatever the picker says, so the picker is disabled."""
    key = lambda name: f"{page}.{name}"  # noqa: E731
    st.header(t("section_training"))
    _snap(key("learning_rate"), LEARNING_RATES)
    _snap(key("regularization_rate"), REGULARIZATION_RATES)
    values = _optimizer_controls(page) if controls.optimizer and not controls.beside_play else {}
    if controls.schedule:
        values["lr_schedule"] = control(
            page,
            "lr_schedule",
            lambda: st.selectbox(
                t("lr_schedule"),
                LR_SCHEDULES,
                format_func=lambda name: t(f"lr_schedule_{name}"),
                key=_keep(page, key("lr_schedule"), "constant"),
                help=t("lr_schedule_help"),
            ),
        )
    values |= {
        "batch_size": control(
            page,
            "batch_size",
            lambda: st.slider(
                t("batch_size"), *_slider("batch_size")[:2], key=key("batch_size"), help=t("batch_size_help")
            ),
        ),
        "regularization": control(
            page,
            "regularization",
            lambda: st.selectbox(
                t("regularization"),
                REGULARIZATIONS,
                format_func=lambda r: t(f"regularization_{r}"),
                key=key("regularization"),
                help=t("regularization_help"),
            ),
        ),
        "regularization_rate": control(
            page,
            "regularization_rate",
            lambda: st.select_slider(
                t("regularization_rate"),
                REGULARIZATION_RATES,
                key=key("regularization_rate"),
                disabled=st.session_state.get(key("regularization")) == "none",  # no penalty: its rate does nothing
                format_func=lambda v: number(v, "g"),
                help=t("regularization_rate_help"),
            ),
        ),
        "loss": control(page, "loss", lambda: _loss_control(page, regression)),
    }
    if not controls.beside_play:
        values["epochs"] = _epochs_control(page)
    if controls.class_weight:
        values |= _class_weight_control(page)
    return values


def _loss_control(page: str, regression: bool) -> str:
    """The loss picker. Regression always trains with squared error: the picker shows that, disabled, and keeps
    the student's choice for classification until they switch back."""
    widget = _keep(page, f"{page}.loss", LOSSES[0])
    if not regression:
        return st.selectbox(
            t("loss"), LOSSES, format_func=lambda name: t(f"loss_{name}"), key=widget, help=t("loss_help")
        )
    st.selectbox(
        t("loss"),
        ("squared_error",),
        format_func=lambda name: t(f"loss_{name}"),
        key=f"{page}.loss_regression",
        disabled=True,
        help=t("loss_regression_note"),
    )
    return st.session_state[widget]


def _epochs_control(page: str) -> int:
    return control(
        page,
        "epochs",
        lambda: st.number_input(
            t("epochs"), *_slider("epochs")[:2], step=_slider("epochs")[2], key=f"{page}.epochs", help=t("epochs_help")
        ),
    )


# On a phone the row would push the plane below the first screen: there it moves to the end of the page
# (CSS order on the row's wrapper in the main column's flex layout).
PHONE_LAST = """<style>@media (max-width: 640px) {{
  div:has(> .st-key-{key}) {{ order: 99; }}
}}</style>"""


def _beside_play(page: str) -> dict:
    """Optimizer, learning rate and epochs in one row of the page, where the eye is when pressing Play."""
    key = f"{page}-beside-play"
    st.html(PHONE_LAST.format(key=key))
    row = st.container(horizontal=True, vertical_alignment="bottom", key=key)
    with row:
        values = _optimizer_controls(page)
        values["epochs"] = _epochs_control(page)
    return values


def _optimizer_controls(page: str) -> dict:
    key = lambda name: f"{page}.{name}"  # noqa: E731
    optimizer = control(
        page,
        "optimizer",
        lambda: st.selectbox(
            t("optimizer"),
            OPTIMIZERS,
            format_func=lambda o: t(f"optimizer_{o}"),
            key=key("optimizer"),
            help=t("optimizer_help"),
        ),
    )
    values = {
        "optimizer": optimizer,
        "learning_rate": control(
            page,
            "learning_rate",
            lambda: st.select_slider(
                t("learning_rate"),
                LEARNING_RATES,
                key=key("learning_rate"),
                format_func=lambda v: number(v, "g"),
                help=t("learning_rate_help"),
            ),
        ),
    }
    if optimizer in ("momentum", "nesterov"):
        values["momentum"] = control(
            page,
            "momentum",
            lambda: st.slider(
                t("momentum"),
                *_slider("momentum")[:2],
                step=_slider("momentum")[2],
                key=_keep(page, key("momentum"), 0.9),
                help=t("momentum_help"),
            ),
        )
    return values


def _class_weight_control(page: str) -> dict:
    """How much a city of the target country counts against one elsewhere; applies to the coming steps."""
    weight = control(
        page,
        "positive_weight",
        lambda: st.select_slider(
            t("class_weight"),
            POSITIVE_WEIGHTS,
            key=f"{page}.positive_weight",
            help=t("class_weight_help"),
            format_func=lambda w: t("balanced") if w == "balanced" else f"1 : {w}",
        ),
    )
    if weight == "balanced":
        return {"balanced_weights": True, "class_weights": ()}
    return {"balanced_weights": False, "class_weights": (1.0, float(weight)) if weight != 1 else ()}


def _snap(widget_key: str, options: tuple[float, ...]) -> None:
    """A value from a link that is not on a slider's scale moves to the nearest option."""
    value = st.session_state.get(widget_key)
    if value is not None and value not in options:
        st.session_state[widget_key] = min(options, key=lambda option: abs(option - value))


def _write_url(experiment: Experiment, defaults: Experiment) -> None:
    """Keep only what differs from the defaults, plus the language: short links that restore exactly."""
    default_values = defaults.to_dict()
    changed = {k: v for k, v in experiment.to_dict().items() if default_values[k] != v}
    changed |= page_params(st.query_params.to_dict())  # the page's own controls and hidden ones stay
    changed[LANGUAGE_KEY] = language()
    if st.query_params.to_dict() != changed:
        st.query_params.from_dict(changed)
