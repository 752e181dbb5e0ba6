"""The optimizer landscape's chart in the page's language: nnlab.landscapes draws it, this titles it."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt


def titled_landscape(chart: alt.LayerChart, title: str, titles: Mapping) -> alt.LayerChart:
    """`chart` (nnlab.landscapes.landscape_chart) with its title, legend and tooltips translated.

    `titles`: optimizer (the legend's and tooltip's title), step.
    """
    chart = chart.properties(title=title)
    for layer in chart.layer:
        encoding = layer.encoding
        if encoding is alt.Undefined:
            continue
        if encoding.color is not alt.Undefined:
            encoding.color.title = titles["optimizer"]
        if encoding.tooltip is not alt.Undefined:
            encoding.tooltip = [
                alt.Tooltip("optimizer:N", title=titles["optimizer"]),
                alt.Tooltip("step:Q", title=titles["step"]),
                alt.Tooltip("x:Q", format=".3f", title="x"),
                alt.Tooltip("y:Q", format=".3f", title="y"),
            ]
    return chart
