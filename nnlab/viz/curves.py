"""The Losses & backprop page's function plots: loss curves against the prediction, activations and slopes.

Pure functions of data and translated titles (the page passes its t(...) texts in); colours from nnlab.viz.palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import altair as alt
import pandas as pd

from nnlab.viz import palette

PAD = alt.AutoSizeParams(type="pad")
# Six colours a projector and a colour-blind student tell apart (Okabe–Ito), one per activation.
ACTIVATION_COLORS = MappingProxyType(
    {
        name: palette.OKABE_ITO[colour]
        for name, colour in (
            ("relu", "orange"),
            ("tanh", "blue"),
            ("sigmoid", "reddish_purple"),
            ("softplus", "bluish_green"),
            ("elu", "vermillion"),
            ("linear", "black"),
        )
    }
)
# Three colours that stay apart for colour-blind eyes and are neither class colour (orange, blue) of the labs.
CURVE_COLORS = MappingProxyType(
    {
        "mae": palette.OKABE_ITO["bluish_green"],
        "mse": palette.OKABE_ITO["reddish_purple"],
        "binary_crossentropy": palette.OKABE_ITO["black"],
    }
)


def loss_curves_chart(frame: pd.DataFrame, losses: Sequence[str], names: Sequence[str], titles: Mapping) -> alt.Chart:
    """Each loss against the predicted value (`frame`: predicted, loss, loss_name), a fixed colour per loss.

    `names`: the losses' shown names, in `losses`' order; `titles`: loss, predicted_value, loss_axis.
    """
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("predicted:Q", title=titles["predicted_value"]),
            y=alt.Y("loss:Q", title=titles["loss_axis"]),
            color=alt.Color(
                "loss_name:N",
                title=titles["loss"],
                sort=list(names),
                scale=alt.Scale(domain=list(names), range=[CURVE_COLORS[name] for name in losses]),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
            ),
            tooltip=[
                alt.Tooltip("loss_name:N", title=titles["loss"]),
                alt.Tooltip("predicted:Q", title=titles["predicted_value"]),
                alt.Tooltip("loss:Q", title=titles["loss_axis"]),
            ],
        )
        .properties(width=420, height=220, autosize=PAD)
    )


def activation_chart(part: pd.DataFrame, function: str, chosen: Sequence[str], titles: Mapping) -> alt.Chart:
    """One function (φ or φ′) of the `chosen` activations against z (`part`: z, value, activation).

    Each activation keeps its colour whichever others are chosen. `titles`: activation_column, chart_value.
    """
    return (
        alt.Chart(part)
        .mark_line()
        .encode(
            x=alt.X("z:Q", title="z"),
            y=alt.Y("value:Q", title=None),
            color=alt.Color(
                "activation:N",
                title=titles["activation_column"],
                sort=list(chosen),
                scale=alt.Scale(domain=list(ACTIVATION_COLORS), range=list(ACTIVATION_COLORS.values())),
                legend=alt.Legend(orient="bottom", direction="horizontal", values=list(chosen)),
            ),
            tooltip=[
                alt.Tooltip("activation:N", title=titles["activation_column"]),
                alt.Tooltip("z:Q", title="z"),
                alt.Tooltip("value:Q", title=titles["chart_value"]),
            ],
        )
        .properties(width=300, height=200, title=str(function), autosize=PAD)
    )
