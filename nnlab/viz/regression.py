"""The regression picture: the network's prediction over the plane on a diverging scale, and the points
coloured by their own values on the same scale, as TF Playground draws its regression sets.

Orange is −1, white 0 and blue +1 (nnlab.viz.palette.DIVERGING); a point whose colour matches the
ground under it is predicted well.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from nnlab.data.dataset import Dataset
from nnlab.viz import palette
from nnlab.viz.charts import boundary_look, plane_axis, plane_image, point_layer
from nnlab.viz.images import BACKGROUND_STRENGTH, diverging_rgb

VALUE_RANGE = (-1.0, 1.0)  # TF Playground's regression labels


def regression_chart(
    values: np.ndarray, extent: float, points: Dataset, show_test: bool, labels: Mapping[str, str], size: int = 320
) -> alt.LayerChart:
    """`values` (r, r) or (r, r, 1): predictions over [-extent, extent]², rows from the top.

    The plane is paled as the classes' plane is (BACKGROUND_STRENGTH), the points keep the full colour of
    their value; test points are drawn first, smaller and lighter, training points on top (as boundary_chart).
    """
    grid = np.asarray(values, float).reshape(values.shape[0], values.shape[1])
    axis = plane_axis(extent)
    background = plane_image(diverging_rgb(grid, VALUE_RANGE, BACKGROUND_STRENGTH), extent)
    frame = regression_points(points, show_test, labels)
    # A colour bar says what the shades mean: the points wear its colours, the ground the same ones paled.
    fill = alt.Fill(
        "value:Q",
        title=labels["value"],
        scale=alt.Scale(domain=[VALUE_RANGE[0], 0.0, VALUE_RANGE[1]], range=list(palette.DIVERGING), clamp=True),
        legend=alt.Legend(orient="bottom", gradientLength=max(100, size - 60), gradientThickness=12),
    )
    layers = [background]
    for name in ("test", "train"):  # test first: the training points are drawn over them
        rows = frame[frame["set"] == labels[name]]
        if len(rows):
            layers.append(point_layer(rows, axis, fill, labels, "value:Q", "value", ".3f"))
    return boundary_look(
        alt.layer(*layers).properties(width=size, height=size, autosize=alt.AutoSizeParams(type="pad"))
    )


def regression_points(points: Dataset, show_test: bool, labels: Mapping[str, str]) -> pd.DataFrame:
    """(x1, x2, value, set) rows: training points, then the test points when shown."""
    parts = [(points.x_train, points.y_train, labels["train"])]
    if show_test:
        parts.append((points.x_test, points.y_test, labels["test"]))
    return pd.concat(
        [
            pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "value": np.asarray(y, float), "set": name})
            for x, y, name in parts
        ],
        ignore_index=True,
    )
