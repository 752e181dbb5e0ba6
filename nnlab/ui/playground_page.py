"""The Playground's session model and its pictures: metrics, network, boundary, curves, confusion."""

from __future__ import annotations

import dataclasses

import streamlit as st

from nnlab.data.features import FEATURE_LABELS
from nnlab.errors import LabError
from nnlab.metrics import confusion_table, predicted_classes
from nnlab.models import dense_layers
from nnlab.playground import (
    STUCK_EPOCHS,
    ToyLab,
    build_lab,
    features_of,
    hidden_neurons,
    logistic_baseline,
    neuron_math,
    plane_extent,
    plane_maps,
    record_frames,
    structure_key,
    stuck_reason,
    update_live_settings,
)
from nnlab.presets import PRESETS
from nnlab.spec import Experiment, is_regression
from nnlab.ui.chartview import show_chart
from nnlab.ui.controls import control, load_experiment
from nnlab.ui.i18n import chart_labels, error_text, language, number, t
from nnlab.ui.links import shown
from nnlab.ui.live_chart import empty_note, live_chart
from nnlab.ui.player_widget import player
from nnlab.ui.points_editor import add_click, own_points, points_section
from nnlab.ui.session import apply_imported_weights
from nnlab.ui.slots import building
from nnlab.ui.transport import edit_weight, is_playing, pace, stop, training_status
from nnlab.ui.widgets import NO_VALUE, Metric, last_epoch, metric_row, score
from nnlab.viz import charts
from nnlab.viz.health import health_chart, health_frame, learning_rate_chart
from nnlab.viz.player import network_layout, player_layout
from nnlab.viz.regression import regression_chart

THUMBNAIL_STRIDE = 4  # neuron maps at 25×25 of the 100×100 grid: small pages, same picture


def own_points_section(page: str, experiment: Experiment) -> None:
    """The student's own points (a CSV, clicks on the plane), in the sidebar under the settings (the
    plane stays on a phone's first screen), open when the data set is "custom". A lesson link may hide
    it (`hide=points`): then clicks on the plane add nothing either."""
    control(page, "points", lambda: _points_expander(page, experiment))


def _points_expander(page: str, experiment: Experiment) -> None:
    uploaded, _ = own_points(page)
    from_file = experiment.data.dataset == "custom" and uploaded is not None
    regression = uploaded.regression if from_file else is_regression(experiment.data.dataset)
    classes = uploaded.n_classes if from_file and not regression else experiment.data.classes
    custom = experiment.data.dataset == "custom"
    with st.sidebar, st.expander(t("points_title"), expanded=custom, icon=":material/add_location:"):
        points_section(page, regression, classes, custom)


def session_lab(page: str, experiment: Experiment) -> ToyLab:
    """This session's lab: rebuilt when structure, data or the student's own points change, kept when only
    the learning rate does. Own points that cannot be used (none yet for "custom", clicks of the other
    kind) end the page with the reason; the points section above says how to fix it."""
    lab: ToyLab | None = st.session_state.get(f"{page}.lab")
    uploaded, clicked = own_points(page)
    own = (id(uploaded), id(clicked))  # replaced, never changed in place (OwnPoints is frozen)
    if (
        lab is not None
        and structure_key(lab.experiment) == structure_key(experiment)
        and st.session_state.get(f"{page}.own") == own
    ):
        update_live_settings(lab, experiment)
        apply_imported_weights(page, lab)
        return lab
    stop(page)
    with building():
        st.session_state.pop(f"{page}.lab", None)
        try:
            lab = build_lab(experiment, uploaded, clicked)
        except LabError as error:
            st.error(error_text(error), icon="⚠️")
            st.stop()
        st.session_state[f"{page}.own"] = own
        lab.trainer.track_health = True  # the health panel's figures, measured every epoch
        record_frames(lab)
    st.session_state[f"{page}.lab"] = lab
    st.session_state.pop(f"{page}.baseline", None)
    apply_imported_weights(page, lab)
    return lab


def render_lab(page: str, lab: ToyLab) -> None:
    """Everything that changes while training: numbers, network, boundary, curves, confusion.

    The browser's player draws the boundary and the network every epoch; until it has loaded (and
    always in AppTest) the page draws them itself, as still pictures of the model now.
    """
    trainer, max_epochs = lab.trainer, lab.experiment.train.epochs
    points = _display_points(lab)
    # The toggles sit under the plane, as TF Playground's do (and keep the plane on a phone's first screen);
    # they are read first, since the player draws with them.
    player_slot = st.container()
    toggles = st.container(horizontal=True)
    show_test = toggles.toggle(t("show_test"), value=True, key=f"{page}.show_test", help=t("show_test_help"))
    discretize = toggles.toggle(t("discretize"), key=f"{page}.discretize", help=t("discretize_help"))
    playing = is_playing(page)
    with player_slot:
        result = player(
            page,
            trainer.recorder,
            _player_layout(page, lab, points, show_test, discretize),
            playing,
            pace(page),
            editable=not playing,
        )
    if result.edit:
        edit_weight(page, trainer, result.edit)
    if shown(page, "points") and add_click(page, result["click"], trainer.regression):
        st.rerun()  # the whole page: the lab is rebuilt with the new point
    training_status(trainer, max_epochs)
    _lesson_notes(lab)
    if not result.ready:
        _static_pictures(page, lab, points, show_test, discretize)
    curves_column, confusion_column = st.columns([3, 2])
    with curves_column:
        st.subheader(t("curves_regression" if trainer.regression else "curves"))
        live_chart(
            f"{page}.history_chart",
            playing,
            lambda: charts.history_spec(trainer.history, _labels(lab)),
            trainer,
            empty=not trainer.history,
        )
        # The rate the schedule gives each epoch, under the curves it shapes (same epochs, same width).
        live_chart(
            f"{page}.rate_chart",
            playing,
            lambda: learning_rate_chart(trainer.learning_rates(), trainer.epoch, _labels(lab), width=480),
            trainer,
            width="stretch",
        )
        st.caption(t("lr_chart_help"))
    with confusion_column:
        if trainer.regression:
            st.info(t("regression_confusion"), icon=":material/show_chart:")
            return
        st.subheader(t("confusion"))
        if not trainer.history:  # an untrained model's verdicts are noise, not a result
            empty_note(t("projector_untrained_confusion"))
            return

        def confusion():
            data = trainer.data
            table = confusion_table(data.y_test, predicted_classes(trainer.predict(data.x_test)), points.class_names)
            return charts.confusion_spec(table, chart_labels())

        live_chart(f"{page}.confusion_chart", playing, confusion, trainer)


def _static_pictures(page: str, lab: ToyLab, points, show_test: bool, discretize: bool) -> None:
    """The metrics, network and boundary drawn on the server: what a page without the player shows."""
    metric_row(_metrics(lab.trainer))
    maps = plane_maps(lab)
    network_column, boundary_column = st.columns([11, 9])
    with network_column:
        st.subheader(t("network"), help=t("network_help"))
        show_chart(st, _network_chart(lab, maps), key=f"{page}.network_chart", width="content")
    with boundary_column:
        if lab.trainer.regression:
            st.subheader(t("prediction"))
            show_chart(
                st,
                regression_chart(maps.probabilities, maps.extent, points, show_test, _labels(lab), 320),
                key=f"{page}.boundary_chart",
                width="content",
            )
            return
        st.subheader(t("boundary"))
        show_chart(
            st,
            charts.boundary_spec(maps.probabilities, maps.extent, points, show_test, discretize, chart_labels(), 320),
            key=f"{page}.boundary_chart",
            width="content",
        )


def _labels(lab: ToyLab) -> dict[str, str]:
    """The charts' words; for regression the score is R², not accuracy."""
    labels = chart_labels() | {
        "rate": t("lr_chart"),
        "layer": t("health_layer"),
        "gradient": t("health_gradient"),
        "weights": t("health_weights"),
        "dead": t("health_dead"),
    }
    return labels | ({"accuracy": "R²"} if lab.trainer.regression else {})


def _lesson_notes(lab: ToyLab) -> None:
    """What the settings teach right now: the zeros' symmetry, L1's dead links, why a run is stuck."""
    reason = stuck_reason(lab.experiment, lab.trainer.history)
    if reason is not None:
        rate = number(lab.experiment.train.learning_rate, ".6f").rstrip("0").rstrip(".,")  # 0.00001, not 1e-05
        st.warning(
            t(f"projector_stuck_{reason}", epochs=STUCK_EPOCHS, rate=rate, units=hidden_neurons(lab.experiment)),
            icon=":material/trending_flat:",
        )
    if lab.experiment.model.init == "zeros":
        st.info(t("zeros_symmetry"), icon=":material/content_copy:")
    dead = lab.trainer.dead_weights()
    if dead is not None:
        st.caption(t("dead_links", n=dead), help=t("dead_links_help"))


def health_section(page: str, lab: ToyLab) -> None:
    """Each layer's gradient and weight norms and dead ReLUs over the epochs (measured while training)."""
    trainer = lab.trainer
    with st.expander(t("health_title"), icon=":material/monitor_heart:"):
        st.caption(t("health_text"))
        if not trainer.health:
            st.info(t("health_empty"), icon=":material/play_arrow:")
            return
        names = [
            t("maths_layer", n=i + 1, units=layer.units) for i, layer in enumerate(lab.experiment.model.hidden_layers)
        ]
        names.append(t("maths_output"))
        if not any(layer.activation == "relu" for layer in lab.experiment.model.hidden_layers):
            st.caption(t("health_dead_none"))
        live_chart(
            f"{page}.health_chart",
            is_playing(page),
            lambda: health_chart(health_frame(trainer.health, names), _labels(lab)),
            trainer,
        )


def _player_layout(page: str, lab: ToyLab, points, show_test: bool, discretize: bool) -> dict:
    """The player's fixed part for this lab (points, plane, network shape), built once per lab and view."""
    cache_key = (id(lab), show_test, discretize, language())
    cached = st.session_state.get(f"{page}.player_layout")
    if cached is not None and cached[0] == cache_key and cached[1] is lab:
        return cached[2]
    spec, trainer = lab.experiment.model, lab.trainer
    layers = dense_layers(trainer.model)
    titles = [
        t("inputs"),
        *(t("layer_title", units=layer.units, activation=layer.activation) for layer in spec.hidden_layers),
        t("output"),
    ]
    widths = [len(spec.features), *(layer.units for layer in layers)]
    network = network_layout(
        spec.features,
        [FEATURE_LABELS[f] for f in spec.features],
        widths,
        [layer.use_bias for layer in layers],
        titles,
        plane_extent(lab.points),
        trainer.recorder.layout.neuron_resolution,
    )
    labels = {name: t(name) for name in ("epoch", "train_loss", "test_loss", "test_accuracy", "parameters")}
    labels |= {"replay": t("replay"), "edit_help": t("edit_weight_help")}
    layout = player_layout(
        trainer.recorder.layout, plane_extent(lab.points), points, show_test, labels, network, trainer.parameters
    ) | {"discretize": discretize, "clickable": shown(page, "points")}
    st.session_state[f"{page}.player_layout"] = (cache_key, lab, layout)
    return layout


def _metrics(trainer) -> list[Metric]:
    """Epoch, train loss, two test scores (RMSE and R² for a regression) and the parameter count."""
    last = last_epoch(trainer)
    if trainer.regression:  # the loss is the mean squared error itself: its root is in the values' units
        rmse = number(last.test_loss**0.5, ".3f") if last else NO_VALUE
        scores = [
            Metric(t("test_rmse"), rmse, help=t("rmse_help")),
            Metric(t("test_r2"), score(last, "test_accuracy", ".3f"), help=t("r2_help")),
        ]
    else:
        scores = [
            Metric(t("test_loss"), score(last, "test_loss", ".3f")),
            Metric(t("test_accuracy"), score(last, "test_accuracy", ".1%")),
        ]
    return [
        Metric(t("epoch"), trainer.epoch),
        Metric(t("train_loss"), score(last, "train_loss", ".3f")),
        *scores,
        Metric(t("parameters"), trainer.parameters),
    ]


def _display_points(lab: ToyLab):
    names = tuple(t("class_name", n=c) for c in range(lab.points.n_classes))
    return dataclasses.replace(lab.points, class_names=names)


def _network_chart(lab: ToyLab, maps):
    layers = dense_layers(lab.trainer.model)
    stride = THUMBNAIL_STRIDE
    spec = lab.experiment.model
    titles = [
        t("inputs"),
        *(t("layer_title", units=layer.units, activation=layer.activation) for layer in spec.hidden_layers),
        t("output"),
    ]
    return charts.network_spec(
        kernels=[layer.kernel.numpy() for layer in layers],
        biases=[layer.bias.numpy() if layer.use_bias else None for layer in layers],
        maps=[
            maps.inputs[::stride, ::stride],
            *(h[::stride, ::stride] for h in maps.hidden),
            maps.probabilities[::stride, ::stride, 1:]
            if maps.probabilities.shape[-1] == 2
            else maps.probabilities[::stride, ::stride],
        ],
        input_names=[FEATURE_LABELS[f] for f in spec.features],
        layer_titles=titles,
        labels=chart_labels(),
    )


def baseline_section(page: str, lab: ToyLab) -> None:
    """Seed 003's lesson: logistic regression's straight line against the network, on the same points (a class
    boundary: no lesson for a regression's numbers)."""
    if lab.trainer.regression:
        return
    with st.expander(t("baseline_title"), expanded=lab.experiment.data.dataset == "flower"):
        st.write(t("baseline_text"))
        st.button(
            t("flower_preset"),
            key=f"{page}.flower_preset",
            on_click=load_experiment,
            help=t("flower_preset_help"),
            args=(page, PRESETS["planar-flower"].experiment),
            icon=":material/local_florist:",
        )
        if st.button(t("baseline_button"), key=f"{page}.baseline_button", help=t("baseline_button_help")):
            st.session_state[f"{page}.baseline"] = logistic_baseline(lab.points)
        baseline = st.session_state.get(f"{page}.baseline")
        if baseline is None:
            return
        history = lab.trainer.history
        network = number(history[-1].test_accuracy, ".0%") if history else "—"
        st.metric(t("test_accuracy") + " · LR", number(baseline.test_accuracy, ".1%"))
        st.write(t("baseline_result", train=baseline.train_accuracy, test=baseline.test_accuracy, net=network))
        points = _display_points(lab)
        show_chart(
            st,
            charts.boundary_chart(
                baseline.probabilities, plane_extent(lab.points), points, True, False, chart_labels(), 300
            ),
            key=f"{page}.baseline_chart",
            width="content",
        )


def export_charts(lab: ToyLab) -> dict:
    """The Playground's charts, drawn from the run as it is when a download button is pressed."""
    labels, points = chart_labels(), _display_points(lab)

    def boundary():
        maps = plane_maps(lab)
        if lab.trainer.regression:
            return regression_chart(maps.probabilities, maps.extent, points, True, _labels(lab), 480)
        return charts.boundary_chart(maps.probabilities, maps.extent, points, True, False, labels, 480)

    def confusion():
        data = lab.trainer.data
        table = confusion_table(data.y_test, predicted_classes(lab.trainer.predict(data.x_test)), points.class_names)
        return charts.confusion_chart(table, labels)

    charts_of_run = {
        "curves": lambda: charts.history_chart(charts.history_frame(lab.trainer.history), _labels(lab)),
        "boundary": boundary,
        "confusion": confusion,
    }
    if lab.trainer.regression:
        del charts_of_run["confusion"]
    return charts_of_run


def maths_section(page: str, lab: ToyLab) -> None:
    """Pick a neuron and a point: the neuron's sum and activation with the model's live numbers."""
    spec, trainer = lab.experiment.model, lab.trainer
    with st.expander(t("maths_title"), icon=":material/function:"):
        st.caption(t("maths_text"))
        layers = [
            *(t("maths_layer", n=i + 1, units=layer.units) for i, layer in enumerate(spec.hidden_layers)),
            t("maths_output"),
        ]
        left, middle, right = st.columns(3)
        # Keys name the network's shape: a changed network gets fresh pickers, never a stale choice.
        layer = left.selectbox(
            t("maths_pick_layer"),
            range(len(layers)),
            format_func=layers.__getitem__,
            index=len(layers) - 1,
            key=f"{page}.maths_layer.{len(layers)}",
            help=t("maths_layer_help"),
        )
        units = (
            spec.hidden_layers[layer].units
            if layer < len(spec.hidden_layers)
            else (lab.points.n_classes if lab.points.n_classes > 2 else 1)
        )
        unit = middle.selectbox(
            t("maths_pick_neuron"),
            range(units),
            format_func=lambda u: str(u + 1),
            key=f"{page}.maths_unit.{layer}.{units}",
            help=t("maths_unit_help"),
        )
        points = lab.points.x_test
        index = (
            right.number_input(
                t("maths_pick_point"), 1, len(points), 1, key=f"{page}.maths_point", help=t("maths_point_help")
            )
            - 1
        )
        raw = points[index]
        features = features_of(dataclasses.replace(lab.points, x_test=raw.reshape(1, -1)), lab.experiment).x_test[0]
        names = [f"\\tilde{{{_tex_feature(f)}}}" for f in spec.features]
        math = neuron_math(trainer, features, layer, unit, names)
        truth = lab.points.y_test[index]
        label = number(float(truth), ".3f") if lab.trainer.regression else t("class_name", n=int(truth))
        st.markdown(
            t("maths_point_value" if lab.trainer.regression else "maths_point", x1=raw[0], x2=raw[1], label=label)
        )
        if layer == 0:
            st.caption(t("maths_scaled"))
        terms = " + ".join(f"({_tex(w)})({_tex(x)})" for w, x in zip(math.weights, math.inputs))
        names = names if layer == 0 else [f"h^{{({layer})}}_{{{j + 1}}}" for j in range(len(math.inputs))]
        symbols = " + ".join(f"w_{{{i + 1}}}{name}" for i, name in enumerate(names))
        st.latex(rf"z = {symbols} + b = {terms} + ({_tex(math.bias)}) = {_tex(math.z, '.4f')}")
        st.latex(rf"a = \mathrm{{{math.activation}}}(z) = {_tex(math.a, '.4f')}")
        _gradient_row(trainer, layer, unit, len(math.weights))
        if math.activation == "softmax":
            st.caption(t("maths_softmax"))
        elif layer == len(layers) - 1 and units == 1 and not trainer.regression:
            st.caption(t("maths_sigmoid_output", p=math.a))


def _gradient_row(trainer, layer: int, unit: int, n_weights: int) -> None:
    """∂L/∂w of the chosen neuron's weights and bias, on the whole training set."""
    kernel, bias = trainer.gradients()[layer]
    st.markdown(f"**{t('gradient_title')}**")
    terms = [
        rf"\frac{{\partial L}}{{\partial w_{{{i + 1}}}}} = {_tex(kernel[i, unit], '.4f')}" for i in range(n_weights)
    ]
    if bias is not None:
        terms.append(rf"\frac{{\partial L}}{{\partial b}} = {_tex(bias[unit], '.4f')}")
    st.latex(r",\quad ".join(terms))
    st.caption(t("gradient_caption"))


def _tex_feature(name: str) -> str:
    """A feature's name in LaTeX: x1^2 -> x_1^2, sin_x1 -> \\sin x_1."""
    tex = name.replace("x1", "x_1").replace("x2", "x_2").replace("*", r" \cdot ")
    return tex.replace("sin_", r"\sin ")


def _tex(value: float, spec: str = ".3f") -> str:
    """A number inside a formula, written as the page writes numbers («0,943» in Russian); the decimal comma in
    braces, so LaTeX does not space it as punctuation."""
    return number(float(value), spec).replace("\u2212", "-").replace(",", "{,}")
