"""The Experiments page's charts: the grid as a heat map of cell means, and the best cell's curves.

Pure functions of data and translated titles; the page writes the grid's values its own way (0,001 in
Russian) before they get here. Colours from nnlab.viz.palette.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import altair as alt
import pandas as pd

from nnlab.viz import palette

# The heat map's ramps, pale to strong: a score (accuracy, p) in blue, a loss in vermillion.
HEAT_RANGES = MappingProxyType(
    {"score": (palette.LAND, palette.OKABE_ITO["blue"]), "loss": (palette.LAND, palette.OKABE_ITO["vermillion"])}
)


def heat_chart(
    frame: pd.DataFrame, rows: Sequence[str], columns: Sequence[str], ramp: str, titles: Mapping
) -> alt.Chart:
    """Cells (`frame`: row, column, mean, std, low, high, runs) coloured on `ramp` ("score" or "loss"), each
    with its mean written in black or white, whichever reads better on that cell's colour.

    `rows`, `columns`: the shown values in axis order. `titles`: row, column, metric, chart_cell_mean,
    chart_cell_std, chart_cell_low, chart_cell_high, chart_cell_runs.
    """
    low_colour, high_colour = HEAT_RANGES[ramp]
    low, high = float(frame["mean"].min()), float(frame["mean"].max())
    if high - low < 1e-12:  # one value: the middle of the ramp
        low, high = low - 0.5, high + 0.5
    frame = frame.assign(
        ink=[palette.cell_ink(low_colour, high_colour, (value - low) / (high - low)) for value in frame["mean"]]
    )
    base = alt.Chart(frame).encode(
        x=alt.X("column:O", sort=list(columns), title=titles["column"], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("row:O", sort=list(rows), title=titles["row"]),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "mean:Q",
            title=titles["metric"],
            legend=alt.Legend(orient="bottom"),
            scale=alt.Scale(domain=[low, high], range=[low_colour, high_colour], interpolate="rgb"),
        ),
        tooltip=[
            alt.Tooltip("mean:Q", format=".3f", title=titles["chart_cell_mean"]),
            alt.Tooltip("std:Q", format=".3f", title=titles["chart_cell_std"]),
            alt.Tooltip("low:Q", format=".3f", title=titles["chart_cell_low"]),
            alt.Tooltip("high:Q", format=".3f", title=titles["chart_cell_high"]),
            alt.Tooltip("runs:Q", title=titles["chart_cell_runs"]),
        ],
    )
    labels = base.mark_text(fontSize=15).encode(
        text=alt.Text("mean:Q", format=".3f"),
        color=alt.Color(
            "ink:N",
            legend=None,
            scale=alt.Scale(  # the ink as is
                domain=[palette.INK, palette.WHITE], range=[palette.INK, palette.WHITE]
            ),
        ),
    )
    # 84 px a column where there is room; shown with width="stretch", it shrinks to a phone's column.
    return (cells + labels).properties(width=84 * len(columns), height=alt.Step(48))


def best_curves_chart(frame: pd.DataFrame, sets: Sequence[str], titles: Mapping) -> alt.Chart:
    """The best cell's runs (`frame`: epoch, set, repeat, accuracy), a line per repeat, train and test apart.

    `sets`: the shown names of train and test. `titles`: epoch_axis, accuracy_axis, set, chart_repeat.
    """
    return (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X("epoch:Q", title=titles["epoch_axis"]),
            y=alt.Y("accuracy:Q", title=titles["accuracy_axis"]),
            color=alt.Color("set:N", title=None, scale=alt.Scale(domain=list(sets), range=palette.train_test_colors())),
            strokeDash=alt.StrokeDash(
                "set:N", title=None, scale=alt.Scale(domain=list(sets), range=palette.train_test_dashes())
            ),
            detail="repeat:N",
            tooltip=[
                alt.Tooltip("set:N", title=titles["set"]),
                alt.Tooltip("repeat:Q", title=titles["chart_repeat"]),
                alt.Tooltip("epoch:Q", title=titles["epoch_axis"]),
                alt.Tooltip("accuracy:Q", format=".3f", title=titles["accuracy_axis"]),
            ],
        )
        .properties(height=240)
    )
