"""What the browser's player needs besides the frames: the points, the plane, the network's shape.

Plain numbers and strings (JSON), built once per lab; the frames themselves come from
`nnlab.frames`. Colours and the boundary's strength are the static charts' own, so the
live picture and the still one look alike.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np

from nnlab.data.dataset import Dataset
from nnlab.data.features import expand_features
from nnlab.frames import ProbeLayout, unit_bytes
from nnlab.playground import plane_grid
from nnlab.viz.images import BACKGROUND_STRENGTH, CONFIDENCE_CURVE, SHARPEN, class_colors
from nnlab.viz.palette import DIVERGING, FRAME_GREY, POINT_RINGS

BOUNDARY_PIXELS = 340  # the boundary's size on a laptop; a phone gets its width
# Regression's score is R², not accuracy, and its test error is the RMSE (in the values' own units) rather than
# the squared-error loss: the stats row's keys that change with it.
SCORE_KEYS = MappingProxyType({"train_accuracy": "train_r2", "test_accuracy": "test_r2", "test_loss": "test_rmse"})
DEFAULT_STATS = ("epoch", "train_loss", "test_loss", "test_accuracy", "parameters")


def points_layout(points: Dataset) -> dict:
    """Training then test points, coordinates rounded to what a 340-pixel plane can show.

    Classes: `c`, each point's class index. Regression (no class names): `v`, each point's value,
    which the player colours on the same ±1 scale as the plane.
    """
    x = np.vstack([points.x_train, points.x_test])
    labels = np.concatenate([points.y_train, points.y_test])
    layout = {
        "x": np.round(x[:, 0], 3).tolist(),
        "y": np.round(x[:, 1], 3).tolist(),
        "test": [0] * len(points.y_train) + [1] * len(points.y_test),
    }
    if points.n_classes == 0:
        return layout | {"v": np.round(np.nan_to_num(labels.astype(float)), 3).tolist()}
    return layout | {"c": labels.astype(int).tolist()}


def network_layout(
    features: Sequence[str],
    feature_names: Sequence[str],
    widths: Sequence[int],
    biases: Sequence[bool],
    titles: Sequence[str],
    extent: float,
    resolution: int,
) -> dict:
    """The diagram's columns: unit counts (inputs first), which layers have biases, the inputs' own maps."""
    maps = expand_features(plane_grid(extent, resolution), list(features)).reshape(resolution, resolution, -1)
    return {
        "widths": list(widths),
        "biases": list(biases),
        "names": list(feature_names),
        "titles": list(titles),
        "inputs": [_b64(m) for m in unit_bytes(maps)],
    }


def player_layout(
    probe: ProbeLayout,
    extent: float,
    points: Dataset,
    show_test: bool,
    labels: Mapping[str, str],
    network: dict | None = None,
    parameters: int | None = None,
    stats: Sequence[str] | None = None,
    size: int = BOUNDARY_PIXELS,
) -> dict:
    """Everything the player draws that does not change from frame to frame, for a lab on the plane.

    `stats`: which numbers the player's row shows (epoch, train_loss, train_accuracy, test_loss,
    test_accuracy, gap, parameters), each labelled by `labels`. A regression probe (one raw output)
    shows its score as R² instead: the accuracy keys become train_r2 / test_r2, labelled by those keys
    of `labels` (else by `score_label`), and the plane is drawn on the diverging ±1 scale. A regression
    may also ask for train_rmse / test_rmse (the square root of the squared-error loss).

    The colour key under the plane takes its words from `labels` too: key_two (two classes), key_classes and
    key_paler (more classes), key_value (regression); nnlab.ui.player_widget.player_labels supplies them.
    """
    regression = probe.regression
    channels = 1 if probe.binary or regression else points.n_classes
    shown = list(stats or DEFAULT_STATS)
    if regression:
        shown = [SCORE_KEYS.get(key, key) for key in shown]
    return {
        "resolution": probe.resolution,
        "channels": channels,
        "neuron_resolution": probe.neuron_resolution,
        "extent": extent,
        "size": size,
        "regression": regression,
        # The plane's look, as nnlab.viz.images.probabilities_rgb draws it (player.js: cellColour).
        "strength": BACKGROUND_STRENGTH,
        "curve": CONFIDENCE_CURVE,
        "sharpen": SHARPEN,
        "rings": [POINT_RINGS["train"], POINT_RINGS["test"]],
        "colors": class_colors(max(points.n_classes, 2)),
        "diverging": diverging_colors(),
        "dead": FRAME_GREY,
        "points": points_layout(points),
        "show_test": show_test,
        "network": network,
        "parameters": parameters,
        "labels": dict(labels),
        "stats": shown,
    }


def diverging_colors() -> list[str]:
    """Negative, zero, positive (TF Playground's orange, white, blue; colour-blind safe): the colours of a
    weight's sign, a neuron's map and a regression's value. A dead link (a weight of exactly 0) is `dead`."""
    return list(DIVERGING)


def tiles_layout(
    probe: ProbeLayout,
    units: int,
    labels: Mapping[str, str],
    stats: Sequence[str],
    parameters: int | None = None,
    size: int = 300,
    channels: int = 1,
) -> dict:
    """The player's fixed part for images: the first layer's `units` weight pictures (none without a hidden layer),
    or a convolution's filters; `channels` 3: each tile is an RGB picture (bytes (units, side, side, 3)), 1: one
    weight per pixel on the diverging colours."""
    return {
        "resolution": 0,
        "channels": 0,
        "neuron_resolution": 0,
        "size": size,
        "network": None,
        "points": None,
        "tiles": {"side": probe.tiles, "units": units, "channels": channels} if probe.tiles else None,
        "labels": dict(labels),
        "stats": list(stats),
        "parameters": parameters,
        "colors": [],
        "diverging": diverging_colors(),
    }


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, np.uint8).tobytes()).decode("ascii")
