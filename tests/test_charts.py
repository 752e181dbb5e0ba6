"""Charts: the boundary's kept spec is the chart itself, with only the picture made anew."""

from __future__ import annotations

import json

import numpy as np

from nnlab.data.toy import make_dataset
from nnlab.spec import Experiment
from nnlab.viz import charts


def spiral(seed: int = 3):
    experiment = Experiment().replace(dataset="spiral", samples=60, seed=seed)
    return make_dataset(experiment.data, experiment.train.train_ratio, experiment.train.seed)


def comparable(spec: dict) -> str:
    """The spec with each layer's data by content, named (Altair's datasets) or inline alike."""
    spec = json.loads(json.dumps(spec))
    datasets = spec.pop("datasets", {})
    for layer in spec["layer"]:
        data = layer["data"]
        layer["data"] = data["values"] if "values" in data else datasets[data["name"]]
    spec.get("config", {}).pop("view", None)  # the active Altair theme's default view size: not ours
    return json.dumps(spec, sort_keys=True)


def test_the_kept_spec_is_the_chart_for_every_picture():
    points, rng = spiral(), np.random.default_rng(0)
    for _ in range(2):  # the second call reuses the kept spec
        p = rng.random((20, 20, 1))
        probabilities = np.concatenate([1 - p, p], axis=-1)
        chart = charts.boundary_chart(probabilities, 1.5, points, True, False, charts.LABELS, 300)
        spec = charts.boundary_spec(probabilities, 1.5, points, True, False, charts.LABELS, 300)
        assert comparable(spec) == comparable(chart.to_dict())


def test_other_points_or_views_get_their_own_spec():
    p = np.full((4, 4, 2), 0.5)
    first = comparable(charts.boundary_spec(p, 1.5, spiral(3)))
    assert comparable(charts.boundary_spec(p, 1.5, spiral(4))) != first
    assert comparable(charts.boundary_spec(p, 1.5, spiral(3), show_test=False)) != first
    assert comparable(charts.boundary_spec(p, 2.0, spiral(3))) != first
