"""The curves of several runs as one band: the mean line over a min–max area, loss and accuracy side by side.

Drawn from `nnlab.seeds.band`'s long table. Visible words come in through `labels` (the UI's
`chart_labels()` plus the band's own words), so the UI can translate them; no streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import altair as alt
import numpy as np
import pandas as pd

from nnlab.viz import palette
from nnlab.viz.charts import LABELS, MAX_CURVE_POINTS, PAD

BAND_LABELS = MappingProxyType({**LABELS, "mean": "mean", "low": "min", "high": "max", "runs": "runs"})
BAND_OPACITY = 0.2


def thinned(frame: pd.DataFrame, points: int = MAX_CURVE_POINTS) -> pd.DataFrame:
    """At most `points` evenly spaced epochs (the first and the last kept): a long run's band stays light."""
    epochs = np.sort(frame["epoch"].unique())
    if len(epochs) <= points:
        return frame
    keep = epochs[np.unique(np.linspace(0, len(epochs) - 1, points).astype(int))]
    return frame[frame["epoch"].isin(keep)]


def band_chart(
    frame: pd.DataFrame, labels: Mapping[str, str] = BAND_LABELS, width: int = 230, regression: bool = False
) -> alt.HConcatChart:
    """Loss and accuracy (R² for regression, labelled by the caller) against epoch: per set, the mean over
    the runs as a line (train solid, test dashed) over the band from the lowest to the highest run."""
    frame = thinned(frame)
    sets = [labels["train"], labels["test"]]
    panels = []
    for metric in ("loss", "accuracy"):
        rows = frame[frame["metric"].isin((f"train_{metric}", f"test_{metric}"))]
        rows = rows.assign(set=rows["metric"].str.partition("_")[0].map({"train": sets[0], "test": sets[1]}))
        panels.append(
            _panel(rows[["epoch", "set", "mean", "low", "high", "runs"]], metric, labels, sets, width, regression)
        )
    return alt.hconcat(*panels).properties(autosize=PAD).configure_legend(orient="top")


def _panel(
    rows: pd.DataFrame, metric: str, labels: Mapping[str, str], sets: list[str], width: int, regression: bool
) -> alt.LayerChart:
    if metric == "loss":
        scale = alt.Scale(zero=True, domainMin=0, nice=True)
    else:  # accuracy lies in [0, 1]; R² is at most 1 and can fall below 0
        scale = alt.Scale(domainMax=1, nice=True) if regression else alt.Scale(domain=[0, 1])
    few = rows["epoch"].nunique() < 30  # a line needs two epochs: show the points too
    # The history chart's train/test colours and dashes (nnlab.viz.palette): the band reads like the curves.
    colors, dashes = palette.train_test_colors(), palette.train_test_dashes()
    color = alt.Color("set:N", title=labels["set"], scale=alt.Scale(domain=sets, range=colors))
    x = alt.X("epoch:Q", title=labels["epoch"])
    base = alt.Chart()
    # One area per set, its colour fixed: an area with a colour encoding of its own either adds circles to the
    # legend or, switched off, takes the lines' legend with it.
    areas = [
        base.transform_filter(alt.FieldEqualPredicate(field="set", equal=name))
        .mark_area(opacity=BAND_OPACITY, clip=True, color=colour)
        .encode(x=x, y=alt.Y("low:Q", title=None, scale=scale), y2=alt.Y2("high:Q", title=None))
        for name, colour in zip(sets, colors)
    ]
    line = base.mark_line(point=few, clip=True).encode(
        x=x,
        y=alt.Y("mean:Q", title=None, scale=scale),
        color=color,
        # Same field and title as colour, so Vega-Lite merges them into one legend.
        strokeDash=alt.StrokeDash("set:N", title=labels["set"], scale=alt.Scale(domain=sets, range=dashes)),
        tooltip=[
            alt.Tooltip("epoch:Q", title=labels["epoch"]),
            alt.Tooltip("set:N", title=labels["set"]),
            alt.Tooltip("mean:Q", format=".4f", title=labels["mean"]),
            alt.Tooltip("low:Q", format=".4f", title=labels["low"]),
            alt.Tooltip("high:Q", format=".4f", title=labels["high"]),
            alt.Tooltip("runs:Q", title=labels["runs"]),
        ],
    )
    return alt.layer(*areas, line, data=rows, title=labels[metric]).properties(width=width, height=170)
