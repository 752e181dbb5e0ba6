"""Several runs' accuracy curves in one chart: a colour per run, train solid and test dashed as on every page.

Pure functions of data and translated titles (the page passes its t(...) texts in and the shown names of
the train and test sets, which are the dash scale's domain).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from nnlab.viz import palette

PAD = alt.AutoSizeParams(type="pad")


def _dashes(sets: Sequence[str], title: str | None) -> alt.StrokeDash:
    """Train solid, test dashed: `sets` are the shown names of train and test, in that order."""
    return alt.StrokeDash("set:N", title=title, scale=alt.Scale(domain=list(sets), range=palette.train_test_dashes()))


def _tooltip(value: str, run_title: str, titles: Mapping) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("run:N", title=run_title),
        alt.Tooltip("set:N", title=titles["set"]),
        alt.Tooltip("epoch:Q", title=titles["epoch_axis"]),
        alt.Tooltip(f"{value}:Q", format=".3f", title=titles["accuracy_axis"]),
    ]


def compared_runs_chart(frame: pd.DataFrame, sets: Sequence[str], titles: Mapping) -> alt.Chart:
    """The Runs page's two runs side by side (`frame`: run, set, epoch, accuracy), the legend under the plot.

    `titles`: epoch_axis, accuracy_axis, run_axis, set.
    """
    return (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X("epoch:Q", title=titles["epoch_axis"]),
            y=alt.Y("accuracy:Q", title=titles["accuracy_axis"]),
            color=alt.Color("run:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=400)),
            strokeDash=_dashes(sets, None),
            tooltip=_tooltip("accuracy", titles["run_axis"], titles),
        )
        .properties(height=260)
    )


def runs_accuracy_chart(frame: pd.DataFrame, sets: Sequence[str], titles: Mapping) -> alt.Chart:
    """Generalization's remedies or sweep runs (`frame`: run, set, epoch, value), accuracy from 0 to 1.

    `titles`: epoch_axis, accuracy_axis, run_column, set.
    """
    return (
        alt.Chart(frame)
        .mark_line(clip=True)
        .encode(
            x=alt.X("epoch:Q", title=titles["epoch_axis"]),
            y=alt.Y("value:Q", title=titles["accuracy_axis"], scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("run:N", title=titles["run_column"]),
            strokeDash=_dashes(sets, titles["set"]),
            tooltip=_tooltip("value", titles["run_column"], titles),
        )
        .properties(width=520, height=240, autosize=PAD)
    )
