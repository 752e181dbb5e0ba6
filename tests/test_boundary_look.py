"""The decision boundary as a class sees it on a projector (issue 20): strong class regions, a colour bar,
training points over test points, fonts of 12 px and more, the same look in the static charts and the player.

(tests/test_boundaries.py is about import boundaries; this file is about the drawn one.)
"""

from __future__ import annotations

import colorsys
import json

import numpy as np
import pytest

from nnlab.data.dataset import Dataset
from nnlab.viz import charts, images, palette
from nnlab.viz.regression import regression_chart

# A confident cell moves at least this share of the way from white to its class colour (the old 0.55 ·
# confidence reached 0.5 at p = 0.95, and TF Playground's heat map draws its colours at alpha 0.63).
MIN_CONFIDENT_SHARE = 0.65
MIN_CONFIDENT_SATURATION = 0.55  # HSV saturation of a cell at p = 0.95 (white is 0, the class colour ~0.9)


def share_of_the_way(cell: np.ndarray, color: str) -> float:
    """How far `cell` has moved from white towards `color` (0 white, 1 the colour itself)."""
    white, target = np.array([255.0] * 3), np.array(palette.rgb(color), float)
    return float(np.dot(white - cell, white - target) / np.dot(white - target, white - target))


def saturation(cell) -> float:
    return colorsys.rgb_to_hsv(*(np.asarray(cell, float) / 255))[1]


def two_class(p1: float) -> np.ndarray:
    return np.array([[[1 - p1, p1]]])


@pytest.mark.parametrize("p1", [0.95, 0.98, 1.0])
def test_a_confident_two_class_cell_is_strongly_coloured(p1):
    blue = images.probabilities_rgb(two_class(p1))[0, 0].astype(float)
    orange = images.probabilities_rgb(two_class(1 - p1))[0, 0].astype(float)
    assert share_of_the_way(blue, palette.TF_BLUE) >= MIN_CONFIDENT_SHARE, blue
    assert share_of_the_way(orange, palette.TF_ORANGE) >= MIN_CONFIDENT_SHARE, orange
    assert saturation(blue) >= MIN_CONFIDENT_SATURATION and saturation(orange) >= MIN_CONFIDENT_SATURATION
    # Not the points' own colour: a point keeps its full colour and stands out on its region.
    assert share_of_the_way(blue, palette.TF_BLUE) < 0.95


def test_the_old_pale_look_fails_so_the_test_can_fail():
    k, p1 = 2, 0.95
    confidence = (p1 - 1 / k) / (1 - 1 / k)
    mixed = np.array([1 - p1, p1]) @ np.array([palette.rgb(c) for c in palette.class_colors(2)], float)
    old = 255 + 0.55 * confidence * (mixed - 255)
    assert share_of_the_way(old, palette.TF_BLUE) < MIN_CONFIDENT_SHARE
    assert saturation(old) < MIN_CONFIDENT_SATURATION


def test_the_boundary_itself_is_white_and_colour_grows_with_confidence():
    assert images.probabilities_rgb(two_class(0.5))[0, 0].tolist() == [255, 255, 255]
    shares = [
        share_of_the_way(images.probabilities_rgb(two_class(p))[0, 0].astype(float), palette.TF_BLUE)
        for p in (0.55, 0.6, 0.7, 0.8, 0.9, 1.0)
    ]
    assert all(b > a for a, b in zip(shares, shares[1:])), shares
    # Fairly sure is already well coloured (p = 0.8: more than half the way).
    assert shares[3] > 0.5, shares


@pytest.mark.parametrize("k", range(3, palette.MAX_CLASSES + 1))
def test_with_more_classes_each_confident_region_wears_its_own_colour(k):
    eye = np.eye(k)[:, None, :]
    cells = images.probabilities_rgb(0.98 * eye + 0.02 / (k - 1) * (1 - eye))  # row c: 98 % sure of class c
    for c, color in enumerate(palette.class_colors(k)):
        assert share_of_the_way(cells[c, 0].astype(float), color) >= MIN_CONFIDENT_SHARE, (c, cells[c, 0])
    # An even split is white, not a muddy mixture.
    assert images.probabilities_rgb(np.full((1, 1, k), 1 / k))[0, 0].tolist() == [255, 255, 255]


def test_discretized_cells_take_their_class_colour_at_full_strength():
    cell = images.probabilities_rgb(two_class(0.6), discretize=True)[0, 0].astype(float)
    assert share_of_the_way(cell, palette.TF_BLUE) == pytest.approx(images.BACKGROUND_STRENGTH, abs=0.01)


def test_the_colour_bar_ramp_is_the_planes_own_colours():
    ramp = images.probability_ramp(11)
    assert len(ramp) == 11 and ramp[5] == "#ffffff"
    for p, color in zip(np.linspace(0, 1, 11), ramp):
        assert palette.rgb(color) == tuple(int(v) for v in images.probabilities_rgb(two_class(p))[0, 0])


# ---------------------------------------------------------------------------------------------
# The Altair charts: layers in drawing order, colour bar, fonts
# ---------------------------------------------------------------------------------------------


def points(n_classes: int = 2, n_train: int = 6, n_test: int = 54) -> Dataset:
    rng = np.random.default_rng(0)
    names = tuple(f"class {c}" for c in range(n_classes))
    return Dataset(
        "toy",
        rng.normal(size=(n_train, 2)).astype(np.float32),
        rng.integers(0, n_classes, n_train),
        rng.normal(size=(n_test, 2)).astype(np.float32),
        rng.integers(0, n_classes, n_test),
        names,
    )


def layers_of(spec: dict) -> list[dict]:
    """The chart's layers, in drawing order, each with its rows inline (Altair's named datasets resolved)."""
    datasets = spec.get("datasets", {})
    for layer in spec["layer"]:
        if "name" in layer.get("data", {}):
            layer["data"] = {"values": datasets[layer["data"]["name"]]}
    return spec["layer"]


def point_layers(spec: dict) -> list[dict]:
    return [layer for layer in layers_of(spec) if layer["mark"]["type"] == "circle"]


def set_of(layer: dict) -> set[str]:
    return {row["set"] for row in layer["data"]["values"]}


def by_set(layer: dict, channel: str) -> dict[str, object]:
    scale = layer["encoding"][channel]["scale"]
    return dict(zip(scale["domain"], scale["range"]))


@pytest.mark.parametrize("make", ["chart", "spec"])
def test_training_points_are_drawn_after_the_test_points_and_stand_out(make):
    p = np.full((8, 8, 2), 0.5)
    data = points()
    spec = charts.boundary_chart(p, 3.0, data).to_dict() if make == "chart" else charts.boundary_spec(p, 3.0, data)
    spec = json.loads(json.dumps(spec))
    test_layer, train_layer = point_layers(spec)
    assert set_of(test_layer) == {"test"} and set_of(train_layer) == {"train"}
    assert layers_of(spec).index(train_layer) == len(layers_of(spec)) - 1  # the last layer: on top
    assert len(train_layer["data"]["values"]) == 6 and len(test_layer["data"]["values"]) == 54
    sizes, opacities = by_set(train_layer, "size"), by_set(train_layer, "opacity")
    assert sizes["train"] >= 2 * sizes["test"] and opacities["train"] == 1 > opacities["test"]
    rings = by_set(train_layer, "stroke")
    assert rings == {"train": palette.POINT_RINGS["train"], "test": palette.POINT_RINGS["test"]}


def test_without_test_points_only_the_training_points_are_drawn():
    spec = charts.boundary_spec(np.full((4, 4, 2), 0.5), 3.0, points(), show_test=False)
    assert [set_of(layer) for layer in point_layers(spec)] == [{"train"}]


def colour_bars(spec: dict) -> list[dict]:
    return [layer for layer in layers_of(spec) if layer["encoding"].get("color", {}).get("type") == "quantitative"]


def test_a_colour_bar_says_what_the_shades_mean():
    spec = charts.boundary_spec(
        np.full((4, 4, 2), 0.5), 3.0, points(), labels={**charts.LABELS, "probability": "вероятность"}
    )
    (bar,) = colour_bars(spec)
    color = bar["encoding"]["color"]
    assert color["scale"]["range"] == images.probability_ramp()
    assert color["scale"]["domain"][0] == 0 and color["scale"]["domain"][-1] == 1
    assert color["title"] == "вероятность: class 1"  # the page's words, and which class the shades count
    assert color["legend"]["direction"] == "horizontal"
    assert bar["mark"]["opacity"] == 0  # only its legend shows
    # Small multiples (no legend) and discretized planes (no shades) have none.
    assert colour_bars(charts.boundary_spec(np.full((4, 4, 2), 0.5), 3.0, points(), legend=False)) == []
    assert colour_bars(charts.boundary_spec(np.full((4, 4, 2), 0.5), 3.0, points(), discretize=True)) == []
    # More classes: a legend per class (their colours), no bar.
    three = charts.boundary_spec(np.full((4, 4, 3), 1 / 3), 3.0, points(3))
    assert colour_bars(three) == []
    fill = point_layers(three)[-1]["encoding"]["fill"]
    assert fill["scale"]["range"] == palette.class_colors(3) and fill.get("legend") is not None


def test_small_multiples_repeat_no_legend():
    spec = charts.boundary_spec(np.full((4, 4, 2), 0.5), 3.0, points(), legend=False)
    for layer in point_layers(spec):
        assert all(
            layer["encoding"][c].get("legend", "none") is None
            for c in ("fill", "size", "opacity", "stroke", "strokeWidth")
        )


def fonts_of(spec: dict) -> list[float]:
    config = spec["config"]
    return [
        config["axis"]["labelFontSize"],
        config["axis"]["titleFontSize"],
        config["legend"]["labelFontSize"],
        config["legend"]["titleFontSize"],
    ]


def test_chart_fonts_are_at_least_12_px():
    for spec in (
        charts.boundary_spec(np.full((4, 4, 2), 0.5), 3.0, points()),
        charts.boundary_chart(np.full((4, 4, 2), 0.5), 3.0, points(), size=130, legend=False).to_dict(),
    ):
        assert min(fonts_of(spec)) >= 12, fonts_of(spec)


def test_the_regression_chart_draws_training_points_on_top_with_a_colour_bar():
    data = Dataset(
        "plane",
        np.array([[1.0, 1.0]] * 3, np.float32),
        np.array([-1.0, 0.0, 1.0], np.float32),
        np.array([[-1.0, 0.0]] * 5, np.float32),
        np.zeros(5, np.float32),
        (),
    )
    labels = {**charts.LABELS}
    spec = regression_chart(np.zeros((6, 6)), 3.0, data, True, labels, 300).to_dict()
    test_layer, train_layer = point_layers(spec)
    assert set_of(test_layer) == {"test"} and set_of(train_layer) == {"train"}
    assert layers_of(spec)[-1] is train_layer
    assert train_layer["encoding"]["fill"]["type"] == "quantitative"  # the value's colour bar
    assert min(fonts_of(spec)) >= 12
    # Its ground is paled as the classes' plane is: +1 is BACKGROUND_STRENGTH of the way to blue.
    ground = images.diverging_rgb(np.array([[1.0]]), (-1.0, 1.0), images.BACKGROUND_STRENGTH)[0, 0].astype(float)
    assert share_of_the_way(ground, palette.TF_BLUE) == pytest.approx(images.BACKGROUND_STRENGTH, abs=0.01)


def test_the_player_gets_the_planes_look_from_the_same_constants():
    from nnlab.frames import ProbeLayout
    from nnlab.viz.player import player_layout

    layout = player_layout(ProbeLayout(20, 10, binary=True), 3.0, points(), True, {})
    assert (layout["strength"], layout["curve"], layout["sharpen"]) == (
        images.BACKGROUND_STRENGTH,
        images.CONFIDENCE_CURVE,
        images.SHARPEN,
    )
    assert layout["rings"] == [palette.POINT_RINGS["train"], palette.POINT_RINGS["test"]]
    assert layout["colors"] == palette.class_colors(2)
