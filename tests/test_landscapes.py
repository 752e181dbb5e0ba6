"""Optimizer paths on 2-D surfaces: the surfaces, the lessons seed 001 states in words, the chart."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from nnlab.backend import tf
from nnlab.landscapes import (
    DEFAULT_LEARNING_RATES,
    OPTIMIZER_COLORS,
    SURFACES,
    landscape_chart,
    optimizer_path,
    path_summary,
    paths,
    surface_grid,
)
from nnlab.spec import OPTIMIZERS

WITH_MINIMUM = [name for name, surface in SURFACES.items() if surface.minimum is not None]


def test_registries_cover_every_surface_and_optimizer():
    assert list(SURFACES) == ["valley", "rosenbrock", "beale", "saddle", "local_minima"]
    assert set(OPTIMIZER_COLORS) == set(OPTIMIZERS)
    for name in SURFACES:
        assert set(DEFAULT_LEARNING_RATES[name]) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", WITH_MINIMUM)
def test_minimum_is_the_lowest_point_on_the_grid(name):
    surface = SURFACES[name]
    _, _, z = surface_grid(name)
    assert surface.value(*surface.minimum) <= z.min() + 1e-9


def test_grid_rows_are_y():
    xs, ys, z = surface_grid("beale", resolution=30)
    assert xs.shape == ys.shape == (30,) and z.shape == (30, 30)
    assert z[7, 3] == pytest.approx(SURFACES["beale"].value(xs[3], ys[7]))


@pytest.mark.parametrize("name", SURFACES)
def test_tensorflow_and_numpy_formulas_agree(name):
    surface = SURFACES[name]
    rng = np.random.default_rng(0)
    x, y = rng.uniform(*surface.x_range, 50), rng.uniform(*surface.y_range, 50)
    with_tf = surface.function(tf.constant(x), tf.constant(y), tf.math).numpy()
    np.testing.assert_allclose(with_tf, surface.value(x, y), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_sgd_and_adam_reach_the_valley_floor_at_their_default_rates(optimizer):
    # SGD 0.15 (stable below 0.2, where the steep y direction starts to bounce for ever), Adam 0.1.
    summary = path_summary("valley", optimizer_path("valley", optimizer, DEFAULT_LEARNING_RATES["valley"][optimizer]))
    assert summary["distance_to_minimum"] < 0.1
    assert summary["steps_to_minimum"] is not None and summary["steps_to_minimum"] < 150


def test_too_large_a_learning_rate_diverges_into_nan_rows_without_raising():
    path = optimizer_path("valley", "sgd", 0.5)  # y is multiplied by 1 − 10·0.5 = −4 every step
    assert path.shape == (201, 2)
    broken = np.flatnonzero(~np.all(np.isfinite(path), axis=1))
    assert 0 < broken[0] < 200
    assert np.isnan(path[broken[0] :]).all() and np.isfinite(path[: broken[0]]).all()
    summary = path_summary("valley", path)
    assert summary["diverged"] and summary["steps_to_minimum"] is None
    assert summary["final_position"] == tuple(path[broken[0] - 1])


def test_momentum_beats_plain_sgd_in_the_narrow_valley_at_the_same_small_rate():
    sgd = path_summary("valley", optimizer_path("valley", "sgd", 0.01))
    momentum = path_summary("valley", optimizer_path("valley", "momentum", 0.01, momentum=0.9))
    assert momentum["final_value"] < 0.01 * sgd["final_value"]
    assert momentum["steps_to_minimum"] is not None and sgd["steps_to_minimum"] is None


def test_adagrad_steps_shrink():
    path = optimizer_path("valley", "adagrad", DEFAULT_LEARNING_RATES["valley"]["adagrad"])
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    assert steps[-50:].mean() < steps[:50].mean()
    # The reason: the step per unit of gradient, learning_rate / sqrt(0.1 + Σ g²), only ever falls.
    x = path[:60, 0]
    per_gradient = np.abs(np.diff(x)) / np.abs(0.2 * x[:-1])  # ∂f/∂x = 0.2·x on the valley
    assert np.all(np.diff(per_gradient) <= 1e-6 * per_gradient[1:])


def test_local_minima_traps_sgd_and_momentum_rolls_through():
    rates = DEFAULT_LEARNING_RATES["local_minima"]
    trapped = path_summary("local_minima", optimizer_path("local_minima", "sgd", rates["sgd"]))
    rolled = path_summary("local_minima", optimizer_path("local_minima", "momentum", rates["momentum"]))
    assert trapped["final_value"] > 0.8 and trapped["steps_to_minimum"] is None
    assert rolled["steps_to_minimum"] is not None


@pytest.mark.parametrize("name", SURFACES)
def test_a_path_starts_at_the_start(name):
    path = optimizer_path(name, "adam", DEFAULT_LEARNING_RATES[name]["adam"], steps=20)
    assert path.shape == (21, 2)
    np.testing.assert_allclose(path[0], SURFACES[name].start, rtol=1e-6)
    assert not np.array_equal(path[1], path[0])


def test_path_summary_fields():
    path = optimizer_path("valley", "adam", 0.1)
    summary = path_summary("valley", path)
    assert set(summary) == {"final_position", "final_value", "distance_to_minimum", "steps_to_minimum", "diverged"}
    assert summary["final_position"] == tuple(path[-1])
    assert summary["final_value"] == pytest.approx(SURFACES["valley"].value(*path[-1]))
    assert summary["distance_to_minimum"] == pytest.approx(np.hypot(*path[-1]))
    reached = summary["steps_to_minimum"]
    assert np.hypot(*path[reached]) <= 0.1 < np.hypot(*path[reached - 1])
    assert summary["diverged"] is False


def test_the_saddle_has_no_distance_to_a_minimum():
    summary = path_summary("saddle", optimizer_path("saddle", "adam", 0.01, steps=20))
    assert summary["distance_to_minimum"] is None and summary["steps_to_minimum"] is None


def test_paths_are_deterministic_and_each_run_starts_afresh():
    first = optimizer_path("valley", "momentum", 0.02, momentum=0.9)
    optimizer_path("valley", "momentum", 0.05, momentum=0.9, steps=37)  # leaves different optimizer state behind
    np.testing.assert_array_equal(optimizer_path("valley", "momentum", 0.02, momentum=0.9), first)


def test_sessions_walking_at_once_get_their_own_paths():
    expected = {rate: optimizer_path("valley", "adam", rate) for rate in (0.05, 0.1, 0.2)}
    results: dict[float, np.ndarray] = {}
    threads = [
        threading.Thread(target=lambda r=rate: results.__setitem__(r, optimizer_path("valley", "adam", r)))
        for rate in expected
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for rate, path in expected.items():
        np.testing.assert_array_equal(results[rate], path)


def test_paths_runs_each_optimizer_at_its_rate():
    result = paths("valley", ["sgd", "adam"], {"sgd": 0.15, "adam": 0.1}, steps=10)
    assert list(result) == ["sgd", "adam"]
    np.testing.assert_array_equal(result["adam"], optimizer_path("valley", "adam", 0.1, steps=10))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: optimizer_path("volcano", "adam", 0.1), "Unknown surface"),
        (lambda: optimizer_path("valley", "lbfgs", 0.1), "Unknown optimizer"),
        (lambda: optimizer_path("valley", "adam", 0.0), "Learning rate"),
        (lambda: optimizer_path("valley", "momentum", 0.1, momentum=1.0), "Momentum"),
    ],
)
def test_bad_inputs_raise_readable_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def _marks(spec: dict, kind: str) -> list[dict]:
    """The layers drawn with mark `kind` (a mark is a name, or a dict with a type)."""
    return [layer for layer in spec["layer"] if _mark_type(layer["mark"]) == kind]


def _mark_type(mark: str | dict) -> str:
    return mark if isinstance(mark, str) else mark["type"]


def test_chart_has_one_raster_and_one_line_per_optimizer():
    walked = paths("valley", ["sgd", "adam"], {"sgd": 0.5, "adam": 0.1}, steps=30)  # sgd diverges
    chart = landscape_chart("valley", walked, upto=20, labels={"adam": "Adam"})
    spec = chart.to_dict()
    assert len(_marks(spec, "image")) == 1
    lines = _marks(spec, "line")
    assert len(lines) == 2
    rows = [spec["datasets"][line["data"]["name"]] for line in lines]
    assert [row[0]["optimizer"] for row in rows] == ["sgd", "Adam"]
    assert len(rows[1]) == 21  # steps 0..20
    assert all(np.isfinite([r["x"] for r in rows[0]]))  # the diverged path stops where it left the map
    assert spec["width"] == spec["height"] == 420 and spec["autosize"]["type"] == "pad"
    assert spec["layer"][1]["encoding"]["x"]["title"] == "x" and spec["layer"][1]["encoding"]["y"]["title"] == "y"


def test_saddle_chart_builds_without_a_minimum_marker():
    chart = landscape_chart("saddle", {"adam": optimizer_path("saddle", "adam", 0.01, steps=20)}, upto=500)
    spec = chart.to_dict()
    assert len(_marks(spec, "point")) == 0 and len(_marks(spec, "circle")) == 1
