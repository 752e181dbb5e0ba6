"""The losses & backprop page: seed 001's losses, activations, seed 003's network by hand, seed 004's check,
seed 002's graph."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nnlab import scratch
from nnlab.lossfunctions import (
    ACTIVATION_NAMES,
    SEED_EXAMPLES,
    activation_curves,
    backprop_graph,
    binary_crossentropy,
    keras_loss,
    loss_curve,
    saturation,
    tape_gradients,
)
from nnlab.ui.chartview import show_chart
from nnlab.ui.i18n import chart_labels, number, t
from nnlab.ui.links import comma, flag, linked, one_of, some_of
from nnlab.ui.names import column_config, shown_value
from nnlab.ui.readable import readable
from nnlab.ui.widgets import multiselect
from nnlab.viz import charts
from nnlab.viz.curves import activation_chart, loss_curves_chart

CURVE_LOSSES = ("mae", "mse", "binary_crossentropy")
NOTE_ROW_HEIGHT = 88  # px: three lines of a note
NOTE_WIDTH = 360  # px: with the other columns, within the 1400 px page's main column


def losses_section(page: str) -> None:
    """Each worked example computed by numpy and by Keras side by side, then the BCE example made editable."""
    st.header(t("losses_title"))
    rows = []
    for example in SEED_EXAMPLES:
        numpy_value, keras_value = example.numpy_value(), example.keras_value()
        rows.append(
            {
                t("column_example"): t(f"example_{example.key}"),
                "numpy": number(numpy_value, ".4f"),
                "Keras": number(keras_value, ".4f"),
                t("column_agree"): "✓" if abs(numpy_value - keras_value) < 1e-6 else "≠",
                t("column_seed"): "—" if example.seed_value is None else number(example.seed_value, ".4f"),
                t("column_note"): t(f"example_note_{example.key}") if example.note else "",
            }
        )
    # Rows taller than 4 rem let Streamlit wrap a cell's text: the notes are read whole, not cut at the column's edge.
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key=f"{page}.losses_table",
        row_height=NOTE_ROW_HEIGHT,
        height=NOTE_ROW_HEIGHT * len(rows) + 40,  # every example in view: no scrolling inside the table
        column_config={
            t("column_note"): st.column_config.TextColumn(width=NOTE_WIDTH),
            t("column_example"): st.column_config.TextColumn(width="medium"),
        },
    )
    _editable_bce(page)
    label = st.segmented_control(
        t("true_label"),
        (0, 1),
        required=True,
        key=linked(page, "curve_label", 1, one_of((0, 1), int)),
        help=t("curve_label_help"),
    )
    show_chart(st, readable(_loss_curves_chart(label)), key=f"{page}.loss_curves", width="stretch")


def _editable_bce(page: str) -> None:
    st.caption(t("edit_predictions"))
    start = pd.DataFrame({"y_true": [0, 0, 1, 0], "y_pred": [0.02, 0.07, 0.9, 0.01]})
    edited = st.data_editor(
        start,
        key=f"{page}.bce_editor",
        hide_index=True,
        column_config={
            "y_true": st.column_config.NumberColumn(min_value=0, max_value=1, step=1),
            "y_pred": st.column_config.NumberColumn(min_value=0.0001, max_value=0.9999, step=0.01, format="%.4f"),
        },
    )
    if edited[["y_true", "y_pred"]].isna().to_numpy().any():
        st.warning(t("fill_every_cell"))
        return
    y_true, y_pred = edited["y_true"].to_numpy(float), edited["y_pred"].clip(1e-4, 1 - 1e-4).to_numpy(float)
    left, right = st.columns(2)
    left.metric(t("bce_numpy"), number(binary_crossentropy(y_true, y_pred), ".6f"))
    right.metric(t("bce_keras"), number(keras_loss("binary_crossentropy", y_true, y_pred), ".6f"))


def _loss_curves_chart(label: int):
    names = [t(f"pages_curve_{name}") for name in CURVE_LOSSES]
    frame = pd.concat([loss_curve(name, label).assign(loss_name=shown) for name, shown in zip(CURVE_LOSSES, names)])
    return loss_curves_chart(frame, CURVE_LOSSES, names, _titles("loss", "predicted_value", "loss_axis"))


def _titles(*keys: str) -> dict[str, str]:
    """The charts' titles in the page's language, by catalogue key."""
    return {key: t(key) for key in keys}


def activations_section(page: str) -> None:
    st.header(t("activations_title"))
    chosen = multiselect(
        t("activations"),
        ACTIVATION_NAMES,
        key=linked(page, "activations", ["relu", "tanh", "sigmoid"], some_of(ACTIVATION_NAMES), comma),
        help=t("activations_help"),
    )
    if not chosen:
        return
    frame = activation_curves(tuple(chosen))
    # One chart per function (φ, φ′) in a row that wraps: side by side on a projector, stacked on a phone.
    row = st.container(horizontal=True, gap="large")
    for index, (function, part) in enumerate(frame.groupby("function", sort=False)):
        chart = activation_chart(part, function, chosen, _titles("activation_column", "chart_value"))
        show_chart(row, readable(chart), key=f"{page}.activation_chart.{index}", width="stretch")
    st.dataframe(
        pd.DataFrame({t("activation_column"): chosen, t("saturates"): [_saturation(saturation(n)) for n in chosen]}),
        hide_index=True,
        key=f"{page}.saturation",
    )


def _saturation(where: str) -> str:
    """The library's intervals (z ∈ [-5.0, -3.1]) with the language's decimal sign, or its "nowhere"."""
    if where == "nowhere":
        return t("saturates_nowhere")
    decimal = number(0.5, ".1f")[1]
    return where if decimal == "." else where.replace(", ", "; ").replace(".", decimal)  # [-5,0; -3,1]


def scratch_section(page: str) -> None:
    """Seed 003's numpy network, both db1 versions, against logistic regression and Keras."""
    st.header(t("scratch_title"))
    st.markdown(t("scratch_text"))
    X, Y = scratch.planar_flower()
    if st.button(
        t("scratch_button"), key=f"{page}.scratch_button", icon=":material/calculate:", help=t("scratch_button_help")
    ):
        with st.spinner(t("scratch_running")):
            st.session_state[f"{page}.scratch"] = _train_scratch(scratch, X, Y)
    result = st.session_state.get(f"{page}.scratch")
    if result is None:
        return
    columns = st.columns(3)
    columns[0].metric(t("scratch_accuracy"), number(result["accuracy"], ".1%"))
    columns[1].metric(t("logistic_accuracy"), number(result["logistic"], ".1%"))
    columns[2].metric(t("initial_cost"), number(result["initial_cost"], ".6f"), help=t("initial_cost_help"))
    st.dataframe(result["traces"], hide_index=True, key=f"{page}.traces")
    _sweep_multiples(page, result)


def _train_scratch(scratch, X, Y) -> dict:
    from sklearn.linear_model import LogisticRegression  # deferred: scikit-learn loads on the button's press

    seed_params, seed_costs = scratch.nn_model(X, Y, 4, seed_db1=True)
    params, costs = scratch.nn_model(X, Y, 4)
    traces = pd.DataFrame(
        {
            t("iteration"): [i for i, _ in costs],
            t("trace_seed"): [round(c, 6) for _, c in seed_costs],
            t("trace_correct"): [round(c, 6) for _, c in costs],
        }
    )
    logistic = LogisticRegression().fit(X.T, Y.ravel()).score(X.T, Y.ravel())
    return {
        "accuracy": float((scratch.predict(params, X) == Y).mean()),
        "logistic": float(logistic),
        "initial_cost": costs[0][1],
        "traces": traces,
        "sweep": scratch.hidden_size_sweep(X, Y, num_iterations=3000),
        "X": X,
        "Y": Y,
    }


def _sweep_multiples(page: str, result: dict) -> None:
    from nnlab.playground import plane_grid  # deferred: keeps TensorFlow off the page's first paint

    st.subheader(t("sweep_sizes_title"))
    X, Y = result["X"], result["Y"]
    extent = scratch.plane_extent(X)
    grid = plane_grid(extent, 60)
    points = scratch.flower_points(X, Y, (t("class_name", n=0), t("class_name", n=1)))
    columns = st.columns(4)
    for index, (n_h, parameters, accuracy) in enumerate(result["sweep"]):
        probabilities = scratch.plane_probabilities(parameters, grid)
        with columns[index % 4]:
            st.caption(t("sweep_size_caption", n=n_h, accuracy=accuracy))
            show_chart(
                st,
                charts.boundary_chart(probabilities, extent, points, False, False, chart_labels(), 150),
                key=f"{page}.size.{n_h}",
                width="content",
            )


def gradient_check_section(page: str) -> None:
    """Seed 004's two-sided check (ε = 1e-4) on the hand-written network, with and without L2."""
    st.header(t("gradcheck_title"))
    st.write(t("gradcheck_text"))
    lambdas = (0.0, 0.1, 1.0, 3.0)
    lambd = st.select_slider(
        "λ", lambdas, key=linked(page, "gradcheck_lambda", 0.0, one_of(lambdas, float)), help=t("gradcheck_lambda_help")
    )
    slip = st.toggle(
        t("use_seed_db1"),
        key=linked(page, "gradcheck_slip", False, flag, lambda on: "1" if on else "0"),
        help=t("use_seed_db1_help"),
    )
    table, difference = scratch.gradient_check_example(lambd, slip)
    st.metric(t("relative_difference"), f"{difference:.2e}", help=t("relative_difference_help"))
    (st.success if difference < 1e-7 else st.error)(t("gradcheck_pass" if difference < 1e-7 else "gradcheck_fail"))
    st.dataframe(table, hide_index=True, key=f"{page}.gradcheck_table", column_config=column_config(table))


def graph_section(page: str) -> None:
    """Seed 002's f(x, w) = 1 + e^(w1·x + w0): every node's value forward and gradient backward, and the tape's."""
    st.header(t("graph_title"))
    columns = st.columns(3)
    x = columns[0].number_input("x", -5.0, 5.0, 1.0, step=0.5, key=f"{page}.graph_x", help=t("graph_value_help"))
    w1 = columns[1].number_input("w1", -5.0, 5.0, 2.0, step=0.5, key=f"{page}.graph_w1", help=t("graph_value_help"))
    w0 = columns[2].number_input("w0", -5.0, 5.0, 1.0, step=0.5, key=f"{page}.graph_w0", help=t("graph_value_help"))
    nodes = backprop_graph(x, w1, w0)
    st.graphviz_chart(_dot(nodes), width="content")
    tape = tape_gradients(x, w1, w0)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("node"): n.name,
                    t("formula"): shown_value(n.formula),
                    t("forward"): number(n.value, ".4f"),
                    t("backward"): number(n.gradient, ".4f"),
                    "GradientTape": number(tape[n.name], ".4f") if n.name in tape else "",
                }
                for n in nodes
            ]
        ),
        hide_index=True,
        key=f"{page}.graph_table",
    )


def _dot(nodes) -> str:
    def label(n) -> str:
        value, gradient = number(n.value, ".3g"), number(n.gradient, ".3g")
        return f"{n.name} = {shown_value(n.formula)}\\n{value}\\n∂f/∂{n.name} = {gradient}"

    # 16 pt: the whole graph is scaled down to the column's width, and its labels must stay readable.
    lines = ["digraph { rankdir=LR; node [shape=box, style=rounded, fontname=Helvetica, fontsize=16];"]
    lines += [f'{n.name} [label="{label(n)}"];' for n in nodes]
    lines += [f"{a} -> {b};" for a, b in (("x", "a"), ("w1", "a"), ("a", "b"), ("w0", "b"), ("b", "c"), ("c", "f"))]
    lines.append("}")
    return "\n".join(lines)
