"""Charts of what happens inside training: the learning rate's schedule and each layer's health.

Small Altair charts drawn from plain arrays (nnlab.train.Health rows, the trainer's rates), so the
Playground can put them beside the loss curve; colours come from nnlab.viz.palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from nnlab.viz import palette

PAD = alt.AutoSizeParams(type="pad")  # Streamlit otherwise fits a chart to a container of no set height
MAX_POINTS = 300  # epochs drawn per line: a long run is thinned evenly, like the loss curves


def learning_rate_chart(rates: np.ndarray, epoch: int, labels: Mapping[str, str], width: int = 230) -> alt.LayerChart:
    """The rate each epoch 1…len(rates) starts with, and a dot at the epoch training has reached."""
    keep = _thinned(len(rates))
    frame = pd.DataFrame({"epoch": keep + 1, "rate": np.asarray(rates, float)[keep]})
    line = (
        alt.Chart(frame)
        .mark_line(color=palette.DARK_GREY)
        .encode(
            x=alt.X("epoch:Q", title=labels["epoch"]),
            y=alt.Y("rate:Q", title=None, scale=alt.Scale(zero=True)),
            tooltip=[
                alt.Tooltip("epoch:Q", title=labels["epoch"]),
                alt.Tooltip("rate:Q", format=".3g", title=labels["rate"]),
            ],
        )
    )
    now = min(max(epoch, 1), len(rates))
    dot = (
        alt.Chart(pd.DataFrame({"epoch": [now], "rate": [float(rates[now - 1])]}))
        .mark_point(filled=True, size=70, color=palette.ACCENT)
        .encode(x=alt.X("epoch:Q", title=labels["epoch"]), y=alt.Y("rate:Q", title=None))
    )
    return alt.layer(line, dot, title=labels["rate"]).properties(width=width, height=90, autosize=PAD)


def health_frame(health: Sequence, layer_names: Sequence[str]) -> pd.DataFrame:
    """Long table (epoch, layer, measure, value) of Health rows, thinned to MAX_POINTS epochs.

    measure: "gradient", "weights" (norms per Dense layer) and "dead" (share of dead ReLUs per
    hidden layer that is ReLU; other layers have no dead share and no row).
    """
    rows = []
    for index in _thinned(len(health)):
        row = health[index]
        for name, gradient, weights in zip(layer_names, row.gradient_norms, row.weight_norms):
            rows += [
                {"epoch": row.epoch, "layer": name, "measure": "gradient", "value": gradient},
                {"epoch": row.epoch, "layer": name, "measure": "weights", "value": weights},
            ]
        rows += [
            {"epoch": row.epoch, "layer": name, "measure": "dead", "value": share}
            for name, share in zip(layer_names, row.dead_relu)
            if np.isfinite(share)
        ]
    return pd.DataFrame(rows, columns=["epoch", "layer", "measure", "value"])


def health_chart(frame: pd.DataFrame, labels: Mapping[str, str], width: int = 210) -> alt.HConcatChart:
    """Gradient norm (log scale: it spans decades when a gradient vanishes), weight norm and the share
    of dead ReLUs against epoch, one colour per layer, side by side."""
    layers = list(dict.fromkeys(frame["layer"]))
    # Depth is an order, not a category: a sequential, colour-blind-safe scheme (up to seven layers).
    color = alt.Color(
        "layer:N",
        title=labels["layer"],
        sort=layers,
        scale=alt.Scale(domain=layers, scheme="viridis"),
        legend=alt.Legend(labelLimit=400),  # «Скрытый слой 1 (8 нейронов)» whole: Vega cuts labels at 160 px
    )

    def panel(measure: str, scale: alt.Scale, value_format: str) -> alt.Chart:
        return (
            alt.Chart(frame[frame["measure"] == measure], title=labels[measure])
            .mark_line(clip=True)
            .encode(
                x=alt.X("epoch:Q", title=labels["epoch"]),
                y=alt.Y("value:Q", title=None, scale=scale, axis=alt.Axis(format=value_format)),
                color=color,
                tooltip=[
                    alt.Tooltip("epoch:Q", title=labels["epoch"]),
                    alt.Tooltip("layer:N", title=labels["layer"]),
                    alt.Tooltip("value:Q", format=".3g", title=labels[measure]),
                ],
            )
            .properties(width=width, height=160)
        )

    panels = [panel("gradient", alt.Scale(type="log"), "~g"), panel("weights", alt.Scale(zero=True), "~g")]
    if (frame["measure"] == "dead").any():
        panels.append(panel("dead", alt.Scale(domain=[0, 1]), ".0%"))
    return alt.hconcat(*panels).properties(autosize=PAD).configure_legend(orient="top")


def _thinned(n: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(n, MAX_POINTS)).astype(int)) if n else np.zeros(0, int)
