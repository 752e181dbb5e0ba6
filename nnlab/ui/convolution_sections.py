"""The Convolution page's lessons around training: one image through the network, the summary, the cost meter."""

from __future__ import annotations

import streamlit as st

from nnlab.convolution import (
    conv_outputs,
    cost_table,
    feature_maps,
    image_of,
    model_summary,
    sharing_saving,
    top_classes,
)
from nnlab.ui.chartview import show_chart
from nnlab.ui.convolution_page import shown_class_names
from nnlab.ui.i18n import chart_labels, number, t
from nnlab.ui.names import column_config, shown_value
from nnlab.ui.transport import transport_state
from nnlab.viz import charts
from nnlab.viz.images import feature_grid_rgb, photo_rgb

IMAGE_PIXELS = 160  # the chosen test image, enlarged with its pixels kept square


def inside_section(page: str, lab) -> None:
    """A test image, the network's three likeliest classes for it, and every layer's feature maps as grids."""
    st.header(t("conv_inside_title"))
    st.write(t("conv_inside_text"))
    trainer, names = lab.trainer, shown_class_names(lab)
    last = len(lab.test_images) - 1
    key = f"{page}.image_row"
    st.session_state[key] = min(max(int(st.session_state.get(key, 0)), 0), last)  # a smaller test set
    row = st.number_input(t("conv_test_image"), 0, last, step=1, key=key, help=t("conv_test_image_help", last=last))
    image = image_of(lab, row)
    with transport_state(page)["lock"]:  # not in the middle of a training chunk
        best = top_classes(trainer, image)
        layers = feature_maps(trainer, image)
    left, right = st.columns([1, 2])
    left.image(
        photo_rgb(image, IMAGE_PIXELS), caption=t("conv_test_image_caption", name=names[trainer.data.y_test[row]])
    )
    with right:
        st.subheader(t("conv_top_title"), help=t("conv_top_help"))
        show_chart(
            st,
            charts.top_classes_chart([names[i] for i, _ in best], [p for _, p in best], chart_labels()),
            key=f"{page}.top_chart",
            width="content",
        )
        if not trainer.epoch:
            st.caption(t("conv_top_untrained"))
    if not layers:
        st.caption(t("conv_no_blocks"))
    for layer in layers:
        side, count = layer.maps.shape[0], layer.maps.shape[-1]
        st.markdown(f"**{t(f'conv_layer_{layer.kind}', name=layer_name(layer.name))}**")
        st.image(
            feature_grid_rgb(layer.maps, cell=max(48, 2 * side)),  # a 32×32 map at 2 px a pixel
            caption=t("conv_maps_caption", count=count, side=side),
        )


def layer_name(name: str) -> str:
    """A Keras layer's name in the session's language: conv_1 → «свёртка 1», hidden_1 → «скрытый 1»."""
    kind, _, index = name.rpartition("_")
    if kind in ("conv", "pool") and index.isdigit():
        return t(f"val_{kind}_layer", n=int(index))
    return shown_value(name, "layer")


def summary_section(page: str, lab) -> None:
    """Keras's model summary as a table: per-layer output shapes and parameters, and their total."""
    table = model_summary(lab.trainer)
    with st.expander(t("summary_title"), expanded=True):
        shown = table.assign(
            layer=table["layer"].map(layer_name),
            **{"output shape": table["output shape"].str.replace("None", t("val_batch_dimension"))},
        )  # Keras's None: any batch size
        st.dataframe(shown, hide_index=True, key=f"{page}.summary", column_config=column_config(table))
        st.write(t("conv_summary_total", total=lab.trainer.parameters))


def cost_section(page: str, lab) -> None:
    """Parameters and multiplications per layer, and why a convolution needs so few parameters."""
    table = cost_table(lab.experiment, lab.image)
    with st.expander(t("conv_cost_title"), expanded=True):
        st.caption(t("conv_cost_text"))
        counts = ("parameters", "forward", "backward")
        shown = table.assign(
            layer=[
                f"{t(f'conv_kind_{kind}')} {shapes}" if kind else shapes
                for kind, shapes in zip(table.kind, table.shapes)
            ],
            **{name: table[name].map(lambda v: number(v, ",")) for name in counts},
        )[["layer", *counts]]
        st.dataframe(
            shown.rename(columns={name: t(f"conv_cost_{name}") for name in shown.columns}),
            hide_index=True,
            key=f"{page}.cost",
        )
        saving = sharing_saving(lab.experiment, lab.image)
        if saving is not None:
            conv, dense = saving
            st.info(
                t(
                    "conv_sharing",
                    conv=number(conv, ","),
                    dense=number(dense, ","),
                    outputs=number(conv_outputs(lab.image, lab.experiment), ","),
                ),
                icon=":material/compare_arrows:",
            )
