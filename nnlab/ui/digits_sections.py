"""The digits page's lessons around training: the model summary, seed 004's λ sweep, draw a digit."""

from __future__ import annotations

import streamlit as st

from nnlab.data.digits import drawing_to_input, picture_pixels
from nnlab.digits import SEED_LAMBDAS, lambda_run, lambda_sweep_frame, model_summary, predict_image
from nnlab.spec import Experiment, train_size
from nnlab.ui.batch_runs import affordable, run_all
from nnlab.ui.chartview import show_chart
from nnlab.ui.digits_page import digit_images
from nnlab.ui.i18n import chart_labels, t
from nnlab.ui.names import column_config, shown_values
from nnlab.viz import charts
from nnlab.viz.images import digit_rgb, weight_grid_rgb

CANVAS_PIXELS = 224


def summary_section(page: str, lab) -> None:
    """Keras's model summary as a table, and seed 001's bias lesson in numbers."""
    table = model_summary(lab.trainer)
    with st.expander(t("summary_title")):
        shown = shown_values(table, ("layer",)).assign(
            **{"output shape": table["output shape"].str.replace("None", t("val_batch_dimension"))}
        )  # Keras's None: any batch size
        st.dataframe(shown, hide_index=True, key=f"{page}.summary", column_config=column_config(table))
        biases = int(table["biases"].sum())
        st.write(
            t(
                "summary_total",
                total=int(lab.trainer.model.count_params()),
                biases=biases,
                without=int(lab.trainer.model.count_params()) - biases,
            )
        )


def _run_sweep(page: str, experiment: Experiment) -> None:
    digits, _, digest = digit_images(page)
    examples = train_size(min(experiment.data.samples, len(digits)), experiment.train.train_ratio)
    if not affordable(experiment.train.epochs, examples, len(SEED_LAMBDAS)):
        return
    results = run_all(
        lambda_run,
        [(experiment, digits, lam) for lam in SEED_LAMBDAS],
        label=lambda index: f"λ = {SEED_LAMBDAS[index]:g}",
    )
    if results is None:
        return
    st.session_state[f"{page}.sweep"] = {"results": results, "epochs": experiment.train.epochs, "data": digest}


def sweep_section(page: str, experiment: Experiment) -> None:
    """Seed 004's λ sweep: the same network at six L2 strengths, accuracy against λ, the units side by side."""
    with st.expander(t("sweep_title"), expanded=f"{page}.sweep" in st.session_state):
        st.write(t("sweep_text", epochs=experiment.train.epochs))
        if st.button(
            t("sweep_button"), key=f"{page}.sweep_button", icon=":material/tune:", help=t("sweep_button_help")
        ):
            _run_sweep(page, experiment)
        sweep = st.session_state.get(f"{page}.sweep")
        if sweep is None:
            return
        results = sweep["results"]
        show_chart(
            st,
            charts.lambda_chart(lambda_sweep_frame(results), chart_labels()),
            key=f"{page}.sweep_chart",
            width="content",
        )
        limit = max(float(abs(result.weights).max()) for result in results)  # one scale: λ makes them fainter
        for column, result in zip(st.columns(len(results)), results):
            column.image(
                weight_grid_rgb(result.weights, cell=24, gap=2, limit=limit),
                caption=t("sweep_caption", lam=result.lam, train=result.train_accuracy),
            )


def _drawn_image(page: str):
    """The canvas drawing, or an uploaded picture of a digit, as RGBA/RGB pixels."""
    # deferred: the canvas registers its component on import, which needs a running Streamlit
    from streamlit_drawable_canvas import st_canvas

    left, right = st.columns([1, 1])
    with left:
        st.markdown(t("mapdigits_draw_here"))  # the canvas alone is an unexplained black square
        result = st_canvas(
            stroke_width=18,
            stroke_color="#ffffff",
            background_color="#000000",
            width=CANVAS_PIXELS,
            height=CANVAS_PIXELS,
            drawing_mode="freedraw",
            return_image_data=True,
            key=f"{page}.canvas",
        )
    with right:
        picture = st.file_uploader(
            t("digit_picture"), type=["png", "jpg", "jpeg"], key=f"{page}.picture", help=t("digit_picture_help")
        )
    if picture is not None:
        return _picture_pixels(picture)
    return None if result is None else result.image_data


def _picture_pixels(picture):
    """The uploaded picture as canvas-like pixels, or a message and None when it is not an image."""
    pixels = picture_pixels(picture.getvalue())
    if pixels is None:
        st.error(t("digit_picture_bad"), icon="⚠️")
    return pixels


def draw_section(page: str, lab) -> None:
    """Draw a digit (or upload a picture of one), scaled to the model's input, and the model's answer."""
    st.subheader(t("draw_title"), help=t("draw_help"))
    pixels = _drawn_image(page)
    image = None if pixels is None else drawing_to_input(pixels, lab.digits.side)
    if image is None:
        st.caption(t("draw_empty"))
        return
    probabilities = predict_image(lab.trainer, image).tolist()
    likeliest = max(probabilities)
    left, right = st.columns([1, 3])
    left.image(digit_rgb(image, 112), caption=t("draw_scaled", side=lab.digits.side))
    right.metric(
        t("draw_answer"),
        probabilities.index(likeliest),  # the first of equals, as numpy's argmax
        help=t("draw_answer_help", probability=float(likeliest)),
    )
    show_chart(
        right,
        charts.probability_bars(probabilities, chart_labels()),
        key=f"{page}.draw_chart",
        width="content",
    )
