"""Altair charts of what a network learned: curves, decision boundary, network diagram, confusion.

Large rasters (the boundary, each neuron's map) travel as one PNG image each, never as
thousands of SVG rectangles. Visible words come in through `labels`, so the UI can
translate them; this module never imports streamlit.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import altair as alt
import numpy as np
import pandas as pd

from nnlab.data.dataset import Dataset
from nnlab.viz import palette
from nnlab.viz.images import (
    class_colors,
    diverging_rgb,
    png_data_url,
    probabilities_rgb,
    probability_ramp,
)

LABELS = MappingProxyType(
    {
        "epoch": "epoch",
        "loss": "loss",
        "accuracy": "accuracy",
        "train": "train",
        "test": "test",
        "set": "set",
        "class": "class",
        "true": "true class",
        "predicted": "predicted class",
        "count": "count",
        "weight": "weight",
        "bias": "bias",
        "neuron": "neuron",
        "output": "output",
        "layer": "layer",
        "inputs": "inputs",
        "value": "value",
        "link": "link",
        "run": "run",
        "mean": "mean p",
        "probability": "probability",
        "optimizer": "optimizer",
        "step": "step",
    }
)
MAX_CURVE_POINTS = 400
POSITIVE, NEGATIVE = palette.POSITIVE, palette.NEGATIVE  # TF Playground's blue and orange
# Plots keep the size asked for and axes/legends add around them; Streamlit's default "fit"
# squeezes everything into that size and squashes squares (the boundary, the neuron maps).
PAD = alt.AutoSizeParams(type="pad")


def history_frame(events: Sequence) -> pd.DataFrame:
    """Long table (epoch, metric, set, value) of EpochEvents, thinned to MAX_CURVE_POINTS epochs."""
    if not events:
        return pd.DataFrame(columns=["epoch", "metric", "set", "value"])
    keep = np.unique(np.linspace(0, len(events) - 1, min(len(events), MAX_CURVE_POINTS)).astype(int))
    rows = [
        {"epoch": e.epoch, "metric": metric, "set": split, "value": getattr(e, f"{split}_{metric}")}
        for e in (events[i] for i in keep)
        for metric in ("loss", "accuracy")
        for split in ("train", "test")
    ]
    return pd.DataFrame(rows)


# A kept spec is built by Altair once, with inline placeholder data, and stored as JSON: shared by
# every session, so never mutable. Inline data never meets Altair's data transformer, a process-wide
# setting that Streamlit switches while another session draws a chart.
KEPT_SPECS = 64


def _placeholder(name: str) -> alt.InlineData:
    return alt.InlineData(values=[f"nnlab:{name}"])


def _kept(chart: alt.TopLevelMixin) -> str:
    """A chart's spec as JSON with every dataset inline in the layer that uses it.

    Altair gathers data into a top-level `datasets` table; Streamlit turns each entry of that table
    into Arrow on every redraw (pandas and pyarrow, several ms), while rows inside a layer travel in
    the spec as they are.
    """
    spec = chart.to_dict()
    datasets = spec.pop("datasets", {})

    def inline(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and set(data) == {"name"} and data["name"] in datasets:
                node["data"] = {"values": datasets[data["name"]]}
            for value in node.values():
                inline(value)
        elif isinstance(node, list):
            for value in node:
                inline(value)

    inline(spec)
    return json.dumps(spec)


def _filled(template: str, rows: Mapping[str, list]) -> dict:
    """A kept spec with each placeholder's rows put in."""
    for name, values in rows.items():
        template = template.replace(json.dumps([f"nnlab:{name}"]), json.dumps(values))
    return json.loads(template)


def history_chart(frame: pd.DataFrame, labels: Mapping[str, str] = LABELS, width: int = 230) -> alt.HConcatChart:
    """Loss and accuracy against epoch, train solid and test dashed, side by side."""
    frame = frame.assign(set=frame["set"].map({"train": labels["train"], "test": labels["test"]}))
    few = frame["epoch"].nunique() < 30  # a line needs two epochs: show the points too
    return _history(lambda metric: frame[frame["metric"] == metric], labels, width, few)


def history_spec(events: Sequence, labels: Mapping[str, str] = LABELS, width: int = 230) -> dict:
    """`history_chart(history_frame(events), ...).to_dict()` for a live page: the chart is built once
    per view and kept; each redraw only fills in the rows (Altair's building costs 30-50 ms of Python)."""
    keep = (
        np.unique(np.linspace(0, len(events) - 1, min(len(events), MAX_CURVE_POINTS)).astype(int))
        if len(events)
        else []
    )
    rows: dict[str, list[dict]] = {"loss": [], "accuracy": []}
    for event in (events[i] for i in keep):
        for metric, values in rows.items():
            for split in ("train", "test"):
                values.append(
                    {
                        "epoch": event.epoch,
                        "metric": metric,
                        "set": labels[split],
                        "value": float(getattr(event, f"{split}_{metric}")),
                    }
                )
    template = _history_template(tuple(labels.items()), width, len(keep) < 30)
    return _filled(template, rows)


@functools.lru_cache(maxsize=KEPT_SPECS)
def _history_template(labels: tuple, width: int, few: bool) -> str:
    return _kept(_history(_placeholder, dict(labels), width, few))


def _history(data_for, labels: Mapping[str, str], width: int, few: bool) -> alt.HConcatChart:
    return (
        alt.hconcat(*(_curve(data_for(metric), metric, labels, width, few) for metric in ("loss", "accuracy")))
        .properties(autosize=PAD)
        .configure_legend(orient="top")
    )


def _curve(data, metric: str, labels: Mapping[str, str], width: int, few: bool) -> alt.Chart:
    scale = alt.Scale(domain=[0, 1]) if metric == "accuracy" else alt.Scale(zero=True, domainMin=0, nice=True)
    return (
        alt.Chart(data, title=labels[metric])
        .mark_line(point=few, clip=True)
        .encode(
            x=alt.X("epoch:Q", title=labels["epoch"]),
            y=alt.Y("value:Q", title=None, scale=scale),
            color=alt.Color(
                "set:N",
                title=labels["set"],
                scale=alt.Scale(domain=[labels["train"], labels["test"]], range=palette.train_test_colors()),
            ),
            # Same field and title as colour, so Vega-Lite merges them into one legend.
            strokeDash=alt.StrokeDash(
                "set:N",
                title=labels["set"],
                scale=alt.Scale(domain=[labels["train"], labels["test"]], range=palette.train_test_dashes()),
            ),
            tooltip=[
                alt.Tooltip("epoch:Q", title=labels["epoch"]),
                alt.Tooltip("set:N", title=labels["set"]),
                alt.Tooltip("value:Q", format=".4f", title=labels[metric]),
            ],
        )
        .properties(width=width, height=170)
    )


def plane_axis(extent: float) -> alt.Scale:
    """The plane's scale on both axes: exactly [-extent, extent], as the picture under the points is drawn."""
    return alt.Scale(domain=[-extent, extent], nice=False, zero=False)


def plane_image(rgb: np.ndarray, extent: float) -> alt.Chart:
    """An (r, r, 3) picture of the plane as one image mark under the points (a boundary, a regression's
    prediction)."""
    axis = plane_axis(extent)
    return (
        alt.Chart(pd.DataFrame({"x": [0.0], "y": [0.0], "url": [png_data_url(rgb)]}))
        # Sized by expression, the image always fills the plot, whatever size the page gives it.
        .mark_image(width=alt.expr("width"), height=alt.expr("height"), aspect=False)
        .encode(x=alt.X("x:Q", scale=axis, title="x₁"), y=alt.Y("y:Q", scale=axis, title="x₂"), url="url:N")
    )


def boundary_chart(
    probabilities: np.ndarray,
    extent: float,
    points: Dataset,
    show_test: bool = True,
    discretize: bool = False,
    labels: Mapping[str, str] = LABELS,
    size: int = 380,
    legend: bool = True,
) -> alt.LayerChart:
    """The model's class map over [-extent, extent]² as one image, test points under the training points.

    Training points are the prominent ones (larger, full colour, white ring, drawn last, on top); test
    points are smaller, lighter and dark-ringed. With `legend`, a colour bar says what the plane's shades
    mean (two classes: the probability of the second class, 0 to 1), or a legend names the classes'
    colours (more classes). `legend` False: for small multiples, whose shared colours the page explains once.
    """
    axis = plane_axis(extent)
    background = plane_image(probabilities_rgb(probabilities, discretize), extent)
    layers = [background]
    # Two classes: the colour bar says it all (0: surely the first class, orange; 1: surely the second, blue).
    # More classes, or only the classes' colours (discretized): a legend of the classes. Both under the plane,
    # at its width (a legend beside it ran past a page's column).
    bar = legend and not discretize and points.n_classes == 2
    if bar:
        layers.append(_colour_bar(points, labels, axis, size))
    frame = points_frame(points, show_test, labels)
    classes = alt.Legend(symbolStrokeWidth=0, direction="horizontal", columns=3, symbolSize=120)
    fill = alt.Fill(
        "class:N",
        title=labels["class"],
        legend=classes if legend and not bar else None,
        scale=alt.Scale(domain=list(points.class_names), range=class_colors(points.n_classes)),
    )
    for name in ("test", "train"):  # test first: the training points are drawn over them
        rows = frame[frame["set"] == labels[name]]
        if len(rows):
            layers.append(point_layer(rows, axis, fill, labels, "class:N", "class"))
    return boundary_look(alt.layer(*layers).properties(width=size, height=size, autosize=PAD))


# Points: training larger, full colour, white ring; test smaller, lighter, dark ring (the same in player.js).
POINT_SIZES = (64, 26)  # train, test: Vega-Lite areas in px²
POINT_OPACITIES = (1.0, 0.6)
POINT_STROKE_WIDTHS = (1.6, 1.0)
FONT_SIZE = 12  # the smallest text in a boundary chart: readable from the back of a classroom at 1400 px wide


def point_layer(
    rows: pd.DataFrame,
    axis: alt.Scale,
    fill,
    labels: Mapping[str, str],
    field: str,
    field_label: str,
    field_format: str = "",
) -> alt.Chart:
    """One set's points; size, opacity and ring come from the set, colour from `fill`.

    The sets have no legend: the page says which ring is which (a legend's tiny grey symbols did not).
    """
    sets = [labels["train"], labels["test"]]

    def by_set(channel, values):
        return channel("set:N", title=labels["set"], scale=alt.Scale(domain=sets, range=list(values)), legend=None)

    return (
        alt.Chart(rows)
        .mark_circle()
        .encode(
            x=alt.X("x1:Q", scale=axis),
            y=alt.Y("x2:Q", scale=axis),
            fill=fill,
            size=by_set(alt.Size, POINT_SIZES),
            opacity=by_set(alt.Opacity, POINT_OPACITIES),
            stroke=by_set(alt.Stroke, [palette.POINT_RINGS["train"], palette.POINT_RINGS["test"]]),
            strokeWidth=by_set(alt.StrokeWidth, POINT_STROKE_WIDTHS),
            tooltip=[
                alt.Tooltip("x1:Q", format=".2f", title="x₁"),
                alt.Tooltip("x2:Q", format=".2f", title="x₂"),
                alt.Tooltip(field, title=labels[field_label], format=field_format or alt.Undefined),
                alt.Tooltip("set:N", title=labels["set"]),
            ],
        )
    )


def _colour_bar(points: Dataset, labels: Mapping[str, str], axis: alt.Scale, size: int) -> alt.Chart:
    """An invisible mark whose colour scale is the plane's own: its legend is the colour bar under the plane.

    Its title says which class the shades count (the second class's probability), from the page's words.
    """
    ramp = probability_ramp()
    name = points.class_names[1]
    title = labels["key_two"] if "key_two" in labels else f"{labels.get('probability', LABELS['probability'])}: {name}"
    return (
        alt.Chart(pd.DataFrame({"x": [0.0], "y": [0.0], "p": [0.5]}))
        .mark_rect(opacity=0, width=1, height=1)  # a rect, not a symbol: points are the only symbols
        .encode(
            x=alt.X("x:Q", scale=axis),
            y=alt.Y("y:Q", scale=axis),
            color=alt.Color(
                "p:Q",
                title=title,
                scale=alt.Scale(domain=list(np.linspace(0, 1, len(ramp))), range=ramp),
                legend=alt.Legend(
                    orient="bottom",
                    direction="horizontal",
                    values=[0, 0.5, 1],
                    gradientLength=max(100, min(size - 60, 260)),
                    gradientThickness=12,
                    format=".1~f",
                ),
            ),
        )
    )


def boundary_look(chart):
    """Fonts a class can read on a projector; legends under the plane."""
    return chart.configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE + 1).configure_legend(
        orient="bottom", labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, symbolSize=90, labelLimit=220, titleLimit=320
    )


IMAGE_PLACEHOLDER = "nnlab:boundary-picture"  # stands for the boundary picture in a kept spec


def boundary_spec(
    probabilities: np.ndarray,
    extent: float,
    points: Dataset,
    show_test: bool = True,
    discretize: bool = False,
    labels: Mapping[str, str] = LABELS,
    size: int = 380,
    legend: bool = True,
) -> dict:
    """`boundary_chart(...).to_dict()`, with only the picture made anew on each redraw.

    Building and validating the Altair chart costs 30 ms of Python, and all of it but the picture
    is the same from one epoch to the next: that part is built once per lab and view, kept as
    JSON (shared, so never mutable), and parsed back in well under a millisecond.
    """
    template = _boundary_template(
        _Points(points), round(float(extent), 9), show_test, discretize, tuple(labels.items()), size, legend
    )
    url = png_data_url(probabilities_rgb(probabilities, discretize))
    return json.loads(template.replace(json.dumps(IMAGE_PLACEHOLDER), json.dumps(url), 1))


class _Points:
    """Points as a cache key: equal when what the points layer shows (coordinates, classes) is equal."""

    def __init__(self, points: Dataset) -> None:
        self.points = points
        digest = hashlib.blake2b(digest_size=16)
        for array in (points.x_train, points.y_train, points.x_test, points.y_test):
            digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(repr(tuple(points.class_names)).encode())
        self.digest = digest.digest()

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Points) and other.digest == self.digest


@functools.lru_cache(maxsize=KEPT_SPECS)
def _boundary_template(
    points: _Points, extent: float, show_test: bool, discretize: bool, labels: tuple, size: int, legend: bool
) -> str:
    """The chart's spec as JSON, with a placeholder for the picture.

    Its data is inline (see _kept): Altair passes data frames through its data transformer, a
    process-wide setting that Streamlit switches while another session draws (the spec lost its data).
    """
    chart = boundary_chart(
        np.zeros((1, 1, points.points.n_classes)),
        extent,
        points.points,
        show_test,
        discretize,
        dict(labels),
        size,
        legend,
    )
    background, *others = chart.layer
    background.data = alt.InlineData(values=[{"x": 0.0, "y": 0.0, "url": IMAGE_PLACEHOLDER}])
    for layer in others:  # the colour bar's mark, the test points, the training points
        layer.data = alt.InlineData(values=layer.data.to_dict("records"))
    return _kept(chart)


def points_frame(points: Dataset, show_test: bool, labels: Mapping[str, str] = LABELS) -> pd.DataFrame:
    """Rows (x1, x2, class, set) of the training points and, if asked, the test points."""
    parts = [(points.x_train, points.y_train, labels["train"])]
    if show_test:
        parts.append((points.x_test, points.y_test, labels["test"]))
    frames = [
        pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "class": np.asarray(points.class_names)[y], "set": name})
        for x, y, name in parts
    ]
    return pd.concat(frames, ignore_index=True)


def confusion_chart(table: pd.DataFrame, labels: Mapping[str, str] = LABELS, size: int = 220) -> alt.LayerChart:
    """Confusion matrix: true class down, predicted class across, counts written in the cells."""
    return _confusion(table, table, tuple(dict.fromkeys(table["true"])), labels, size)


def confusion_spec(table: pd.DataFrame, labels: Mapping[str, str] = LABELS, size: int = 220) -> dict:
    """`confusion_chart(...).to_dict()` for a live page: built once per class list and view, then filled."""
    template = _confusion_template(tuple(dict.fromkeys(table["true"])), tuple(labels.items()), size)
    rows = [{"true": str(r.true), "predicted": str(r.predicted), "count": int(r.count)} for r in table.itertuples()]
    return _filled(template, {"cells": rows, "counts": rows})


@functools.lru_cache(maxsize=KEPT_SPECS)
def _confusion_template(order: tuple, labels: tuple, size: int) -> str:
    # The rows on each layer, not the whole chart's: see _kept.
    return _kept(_confusion(_placeholder("cells"), _placeholder("counts"), order, dict(labels), size))


def _label_angle(order: tuple) -> int:
    """Class names under a matrix: level when short (digits, two classes), slanted when many long ones (CIFAR-10's
    «автомобиль») would overlap and Vega-Lite would drop every other one."""
    return -45 if len(order) > 4 and max(len(str(name)) for name in order) > 3 else 0


def _confusion(data, text_data, order: tuple, labels: Mapping[str, str], size: int) -> alt.LayerChart:
    base = alt.Chart().encode(
        x=alt.X(
            "predicted:N",
            title=labels["predicted"],
            sort=list(order),
            # slanted names overlap only as boxes, not as text: keep them all
            axis=alt.Axis(labelAngle=_label_angle(order), labelOverlap=_label_angle(order) == 0),
        ),
        y=alt.Y("true:N", title=labels["true"], sort=list(order)),
    )
    cells = (
        base.mark_rect()
        .encode(
            # From 0, so a count's shade says how large it is (and the text rule below matches the shade).
            color=alt.Color("count:Q", scale=alt.Scale(scheme="blues", domainMin=0), legend=None),
            tooltip=[
                alt.Tooltip("true:N", title=labels["true"]),
                alt.Tooltip("predicted:N", title=labels["predicted"]),
                alt.Tooltip("count:Q", title=labels["count"]),
            ],
        )
        .properties(data=data)
    )
    # White on the dark cells (above 55 % of the largest count on the 0-based scale), dark text on pale ones.
    text = (
        base.mark_text(fontSize=14)
        .transform_joinaggregate(peak="max(count)")
        .encode(
            text="count:Q",
            color=alt.condition(
                alt.datum.count > 0.55 * alt.datum.peak, alt.value(palette.WHITE), alt.value(palette.TEXT)
            ),
        )
        .properties(data=text_data)
    )
    return alt.layer(cells, text).properties(width=size, height=size, autosize=PAD)


def network_chart(
    kernels: Sequence[np.ndarray],
    biases: Sequence[np.ndarray | None],
    maps: Sequence[np.ndarray],
    input_names: Sequence[str],
    layer_titles: Sequence[str],
    height: int | None = None,
    labels: Mapping[str, str] = LABELS,
) -> alt.LayerChart:
    """TF Playground's diagram: each neuron drawn as its map over the plane, weights as lines.

    `kernels[i]` is layer i's (n_in, n_out) weight matrix, `biases[i]` its (n_out,) biases,
    `maps[c]` column c's (r, r, units) activations: inputs first, then each Dense layer (the
    output's map holds the positive-class probability). Line width grows with |w|, blue
    positive, orange negative; the small square at a neuron's corner is its bias.
    """
    layout, rows = _network_rows(kernels, biases, maps, input_names, layer_titles, height)
    return _network(layout, lambda name: pd.DataFrame(rows[name], columns=list(NETWORK_COLUMNS[name])), labels)


def network_spec(
    kernels: Sequence[np.ndarray],
    biases: Sequence[np.ndarray | None],
    maps: Sequence[np.ndarray],
    input_names: Sequence[str],
    layer_titles: Sequence[str],
    height: int | None = None,
    labels: Mapping[str, str] = LABELS,
) -> dict:
    """`network_chart(...).to_dict()`, built once per network shape and view and filled with each redraw's
    weights and neuron maps."""
    layout, rows = _network_rows(kernels, biases, maps, input_names, layer_titles, height)
    return _filled(_network_template(layout, tuple((k, labels[k]) for k in NETWORK_LABELS)), rows)


NETWORK_COLUMNS = MappingProxyType(
    {
        "nodes": ("column", "unit", "x", "y", "url", "name"),
        "edges": ("x", "y", "x2", "y2", "weight", "magnitude", "sign", "link"),
        "biases": ("x", "y", "bias", "name", "sign"),
        "inputs": ("column", "unit", "x", "y", "url", "name"),
        "titles": ("x", "y", "text"),
    }
)


def _network_rows(kernels, biases, maps, input_names, layer_titles, height) -> tuple[tuple, dict[str, list]]:
    """(the diagram's layout: what its spec depends on, the rows of each of its layers)."""
    widths = [maps[0].shape[-1], *(k.shape[1] for k in kernels)]
    height = height or int(np.clip(44 * max(widths) + 40, 300, 620))
    node = int(np.clip(height / (max(widths) * 2.0), 8, 44))
    nodes = _node_rows(widths, maps, input_names, node, height)
    rows = {
        "nodes": nodes,
        "edges": _edge_rows(kernels, nodes),
        "biases": _bias_rows(biases, nodes),
        "inputs": [r for r in nodes if r["column"] == 0],
        "titles": [{"x": c, "y": height - 2, "text": title} for c, title in enumerate(layer_titles)],
    }
    return (len(widths), height, node), rows


@functools.lru_cache(maxsize=KEPT_SPECS)
def _network_template(layout: tuple, labels: tuple) -> str:
    return _kept(_network(layout, _placeholder, dict(labels)))


NETWORK_LABELS = ("weight", "link", "neuron", "bias")  # the diagram's tooltip titles


def _network(layout: tuple, data_for, labels: Mapping[str, str]) -> alt.LayerChart:
    columns, height, node = layout
    x_scale = alt.Scale(domain=[-0.6, columns - 0.4], nice=False, zero=False)
    y_scale = alt.Scale(domain=[0, height], nice=False, zero=False)
    x, y = alt.X("x:Q", scale=x_scale, axis=None), alt.Y("y:Q", scale=y_scale, axis=None)
    lines = (
        alt.Chart(data_for("edges"))
        .mark_rule(opacity=0.7)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color("sign:N", scale=alt.Scale(domain=["+", "−"], range=[POSITIVE, NEGATIVE]), legend=None),
            # From 0 to the largest |w| shown, worked out in the browser: the spec does not depend on the weights.
            strokeWidth=alt.StrokeWidth("magnitude:Q", scale=alt.Scale(domainMin=0, range=[0.2, 5]), legend=None),
            tooltip=[
                alt.Tooltip("weight:Q", format=".3f", title=labels["weight"]),
                alt.Tooltip("link:N", title=labels["link"]),
            ],
        )
    )
    images = (
        alt.Chart(data_for("nodes"))
        .mark_image(width=node, height=node, aspect=False)
        .encode(x=x, y=y, url="url:N", tooltip=[alt.Tooltip("name:N", title=labels["neuron"])])
    )
    # A frame per neuron: a relu's zero half is white and would vanish into the page without it.
    frames = (
        alt.Chart(data_for("nodes"))
        .mark_square(size=(node + 2) ** 2, filled=False, stroke=palette.FRAME_GREY, strokeWidth=1)
        .encode(x=x, y=y)
    )
    bias_marks = (
        alt.Chart(data_for("biases"))
        .mark_square(
            size=max(16, node * 1.6), xOffset=-node / 2, yOffset=node / 2, stroke=palette.MID_GREY, strokeWidth=0.6
        )
        .encode(
            x=x,
            y=y,
            color=alt.Color("sign:N", scale=alt.Scale(domain=["+", "−"], range=[POSITIVE, NEGATIVE]), legend=None),
            tooltip=[
                alt.Tooltip("name:N", title=labels["neuron"]),
                alt.Tooltip("bias:Q", format=".3f", title=labels["bias"]),
            ],
        )
    )
    names = (
        alt.Chart(data_for("inputs"))
        .mark_text(align="right", dx=-node / 2 - 4, fontSize=12)
        .encode(x=x, y=y, text="name:N")
    )
    titles = alt.Chart(data_for("titles")).mark_text(baseline="top", fontSize=11).encode(x=x, y=y, text="text:N")
    return alt.layer(lines, images, frames, bias_marks, names, titles).properties(
        width=max(240, 130 * columns), height=height, autosize=PAD
    )


def _node_rows(
    widths: Sequence[int], maps: Sequence[np.ndarray], input_names: Sequence[str], node: int, height: int
) -> list[dict]:
    rows = []
    usable = height - 30  # room for the titles at the top
    for column, (count, layer_map) in enumerate(zip(widths, maps)):
        spacing = min(node * 1.5, usable / max(count, 1))
        for unit in range(count):
            values = layer_map[..., unit]
            name = input_names[unit] if column == 0 else f"L{column}·{unit + 1}"
            rows.append(
                {
                    "column": column,
                    "unit": unit,
                    "x": column,
                    "y": float(usable / 2 + (count - 1) * spacing / 2 - unit * spacing),
                    "url": png_data_url(diverging_rgb(values, _map_range(values, column, len(widths)))),
                    "name": name,
                }
            )
    return rows


def _map_range(values: np.ndarray, column: int, columns: int) -> tuple[float, float]:
    """Output probabilities are centred on 0.5; inputs and hidden units on 0 (symmetric)."""
    if column == columns - 1:
        return (0.0, 1.0)
    bound = float(np.abs(values).max()) or 1.0
    return (-bound, bound)


def _edge_rows(kernels: Sequence[np.ndarray], nodes: list[dict]) -> list[dict]:
    position = {(r["column"], r["unit"]): (r["x"], r["y"], r["name"]) for r in nodes}
    rows = []
    for column, kernel in enumerate(kernels):
        for i, j in np.ndindex(kernel.shape):
            (x1, y1, a), (x2, y2, b) = position[(column, i)], position[(column + 1, j)]
            w = float(kernel[i, j])
            rows.append(
                {
                    "x": x1,
                    "y": y1,
                    "x2": x2,
                    "y2": y2,
                    "weight": w,
                    "magnitude": abs(w),
                    "sign": "+" if w >= 0 else "−",
                    "link": f"{a} → {b}",
                }
            )
    return rows


def _bias_rows(biases: Sequence[np.ndarray | None], nodes: list[dict]) -> list[dict]:
    return [
        {
            "x": r["x"],
            "y": r["y"],
            "bias": float(bias[r["unit"]]),
            "name": r["name"],
            "sign": "+" if bias[r["unit"]] >= 0 else "−",
        }
        for column, bias in enumerate(biases, start=1)
        if bias is not None
        for r in nodes
        if r["column"] == column
    ]


def stability_chart(ps: Sequence[float], means: Sequence[float], labels: Mapping[str, str]) -> alt.LayerChart:
    """p of each run as dots and the running mean as a line: where the mean stops moving."""
    frame = pd.DataFrame({"run": np.arange(1, len(ps) + 1), "p": ps, "mean": means})
    low = float(min(min(ps, default=1.0), 0.95))
    x = alt.X("run:Q", title=labels["run"], axis=alt.Axis(tickMinStep=1))
    y_scale = alt.Scale(domain=[np.floor(low * 100) / 100, 1.0])
    dots = (
        alt.Chart(frame)
        .mark_circle(size=45, color=palette.MID_GREY)
        .encode(
            x=x,
            y=alt.Y("p:Q", title="p", scale=y_scale),
            tooltip=[alt.Tooltip("run:Q", title=labels["run"]), alt.Tooltip("p:Q", format=".4f", title="p")],
        )
    )
    line = (
        alt.Chart(frame)
        .mark_line(color=palette.ACCENT, point=True)
        .encode(
            x=x,
            y=alt.Y("mean:Q", scale=y_scale, title="p"),
            tooltip=[
                alt.Tooltip("run:Q", title=labels["run"]),
                alt.Tooltip("mean:Q", format=".4f", title=labels["mean"]),
            ],
        )
    )
    return alt.layer(dots, line).properties(width=360, height=180, autosize=PAD)


def lambda_chart(frame: pd.DataFrame, labels: Mapping[str, str]) -> alt.Chart:
    """Train and test accuracy against seed 004's λ (evenly spaced: λ = 0 has no logarithm)."""
    frame = frame.assign(
        set=frame["set"].map({"train": labels["train"], "test": labels["test"]}), lam=frame["lambda"].map("{:g}".format)
    )
    order = list(dict.fromkeys(frame["lam"]))
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("lam:O", title="λ", sort=order),
            y=alt.Y("accuracy:Q", title=labels["accuracy"], scale=alt.Scale(zero=False)),
            color=alt.Color(
                "set:N",
                title=labels["set"],
                scale=alt.Scale(domain=[labels["train"], labels["test"]], range=palette.train_test_colors()),
            ),
            tooltip=[
                alt.Tooltip("lam:O", title="λ"),
                alt.Tooltip("set:N", title=labels["set"]),
                alt.Tooltip("accuracy:Q", format=".4f", title=labels["accuracy"]),
            ],
        )
        .properties(width=360, height=200, autosize=PAD)
    )


def probability_bars(probabilities: Sequence[float], labels: Mapping[str, str]) -> alt.Chart:
    """The model's probability for each digit, the chosen one highlighted."""
    frame = pd.DataFrame({"digit": [str(d) for d in range(len(probabilities))], "probability": probabilities})
    best = str(int(np.argmax(probabilities)))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("digit:N", title=labels["class"], sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("probability:Q", title=labels["probability"], scale=alt.Scale(domain=[0, 1])),
            color=alt.condition(alt.datum.digit == best, alt.value(POSITIVE), alt.value(palette.MUTED)),
            tooltip=[
                alt.Tooltip("digit:N", title=labels["class"]),
                alt.Tooltip("probability:Q", format=".3f", title=labels["probability"]),
            ],
        )
        .properties(width=300, height=180, autosize=PAD)
    )


def top_classes_chart(names: Sequence[str], probabilities: Sequence[float], labels: Mapping[str, str]) -> alt.Chart:
    """A test image's likeliest classes as horizontal bars, surest on top and in the answer's colour."""
    frame = pd.DataFrame({"class": list(names), "probability": [float(p) for p in probabilities]})
    first = frame["class"].iloc[0] if len(frame) else ""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("class:N", title=labels["class"], sort=None),
            x=alt.X("probability:Q", title=labels["probability"], scale=alt.Scale(domain=[0, 1])),
            color=alt.condition(alt.datum["class"] == first, alt.value(POSITIVE), alt.value(palette.MUTED)),
            tooltip=[
                alt.Tooltip("class:N", title=labels["class"]),
                alt.Tooltip("probability:Q", format=".3f", title=labels["probability"]),
            ],
        )
        .properties(width=300, height=30 * max(len(frame), 1), autosize=PAD)
    )


OPTIMIZER_PALETTE = palette.OPTIMIZER_COLORS


def race_chart(
    frame: pd.DataFrame, labels: Mapping[str, str], width: int = 300, names: Mapping[str, str] | None = None
) -> alt.HConcatChart:
    """Test loss and test accuracy of every optimizer against epoch, one colour each, side by side;
    `names` shows each optimizer by its name in the page's language (its key otherwise)."""
    present = [n for n in OPTIMIZER_PALETTE if n in set(frame["optimizer"])]
    shown = {n: (names or {}).get(n, n) for n in present}
    frame = frame.assign(optimizer=frame["optimizer"].map(lambda n: shown.get(n, n)))
    color = alt.Color(
        "optimizer:N",
        title=labels["optimizer"],
        scale=alt.Scale(domain=list(shown.values()), range=[OPTIMIZER_PALETTE[n] for n in present]),
    )

    def panel(metric: str) -> alt.Chart:
        scale = alt.Scale(domain=[0, 1]) if metric == "accuracy" else alt.Scale(zero=True)
        return (
            alt.Chart(frame[frame["metric"] == metric], title=f"{labels[metric]} ({labels['test']})")
            .mark_line(clip=True)
            .encode(
                x=alt.X("epoch:Q", title=labels["epoch"]),
                y=alt.Y("value:Q", title=None, scale=scale),
                color=color,
                tooltip=[
                    alt.Tooltip("optimizer:N", title=labels["optimizer"]),
                    alt.Tooltip("epoch:Q", title=labels["epoch"]),
                    alt.Tooltip("value:Q", format=".4f", title=labels[metric]),
                ],
            )
            .properties(width=width, height=200)
        )

    return alt.hconcat(panel("loss"), panel("accuracy")).properties(autosize=PAD).configure_legend(orient="top")


def class_legend(class_names) -> alt.Chart:
    """The classes' colours as one horizontal legend with no plot: drawn once above a row of small boundaries."""
    frame = pd.DataFrame({"class": list(class_names)})
    scale = alt.Scale(domain=list(class_names), range=palette.class_colors(len(class_names)))
    return (
        alt.Chart(frame)
        .mark_square(opacity=0)
        .encode(
            color=alt.Color(
                "class:N",
                scale=scale,
                title=None,
                legend=alt.Legend(
                    title=None,
                    orient="top",
                    direction="horizontal",
                    symbolType="square",
                    symbolOpacity=1,
                    symbolSize=200,
                    labelFontSize=14,
                ),
            )
        )
        .properties(width=300, height=1, autosize=alt.AutoSizeParams(type="pad"))
        .configure_view(stroke=None)
    )
