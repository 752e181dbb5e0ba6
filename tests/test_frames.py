"""Frames for the player: real snapshots from the compiled loop, compact encoding, bounded memory, weight edits."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnlab.data.features import expand_features
from nnlab.frames import (
    FRAME_LIMIT,
    Frame,
    FrameLog,
    ProbeLayout,
    decode_frame,
    encode_frame,
    evenly,
    frame_size,
    frames_to_send,
    thin,
)
from nnlab.models import dense_layers
from nnlab.playground import BOUNDARY_RESOLUTION, NEURON_RESOLUTION, build_lab, plane_grid, plane_maps, record_frames
from nnlab.spec import Experiment

SPIRAL = Experiment().replace(dataset="spiral", samples=120, hidden_layers="8:tanh,8:tanh", seed=3, batch_size=10)


@pytest.fixture(scope="module")
def spiral_lab():
    return build_lab(SPIRAL)


def fresh(lab, every: int = 1) -> FrameLog:
    lab.trainer.reset()
    log = record_frames(lab, every)
    return log


def test_kth_snapshot_is_the_models_own_prediction_after_k_epochs(spiral_lab):
    log = fresh(spiral_lab)
    after = {}
    for _ in range(3):
        spiral_lab.trainer.run(1)
        maps = plane_maps(spiral_lab, BOUNDARY_RESOLUTION)
        after[spiral_lab.trainer.epoch] = (
            maps.probabilities[..., 1],
            [w.numpy().copy() for w in spiral_lab.trainer.model.weights],
        )
    log_k = fresh(spiral_lab)  # the same run again, three epochs in one compiled call
    spiral_lab.trainer.run(3)
    assert [f.epoch for f in log_k.frames] == [0, 1, 2, 3]
    for frame in log_k.frames[1:]:
        expected, weights = after[frame.epoch]
        assert np.abs(frame.boundary[..., 0] / 255 - expected).max() <= 0.5 / 255 + 1e-6
        kernel = dense_layers(spiral_lab.trainer.model)[0].kernel
        first = weights[[w.path for w in spiral_lab.trainer.model.weights].index(kernel.path)]
        np.testing.assert_allclose(frame.weights[: first.size].astype(np.float32), first.ravel(), rtol=1e-3, atol=1e-3)
    history = spiral_lab.trainer.history
    assert log_k.frames[-1].metrics == pytest.approx(
        (history[-1].train_loss, history[-1].train_accuracy, history[-1].test_loss, history[-1].test_accuracy)
    )
    assert log is not log_k


def test_neuron_maps_are_the_hidden_units_on_the_coarse_grid(spiral_lab):
    log = fresh(spiral_lab)
    spiral_lab.trainer.run(2)
    frame = log.frames[-1]
    assert frame.neurons.shape == (8 + 8 + 1, NEURON_RESOLUTION, NEURON_RESOLUTION)
    grid = expand_features(plane_grid(plane_extent_of(spiral_lab), NEURON_RESOLUTION), SPIRAL.model.features)
    hidden = spiral_lab.trainer.layer_outputs(grid)[0][:, 2]  # first layer, third unit
    expected = (hidden / np.abs(hidden).max() + 1) / 2 * 255
    assert np.abs(frame.neurons[2].ravel().astype(float) - expected).max() <= 0.51


def plane_extent_of(lab) -> float:
    from nnlab.playground import plane_extent

    return plane_extent(lab.points)


def test_every_kth_epoch_is_recorded_and_chunking_does_not_matter(spiral_lab):
    log = fresh(spiral_lab, every=4)
    for chunk in (3, 5, 2, 7):
        spiral_lab.trainer.run(chunk)
    assert [f.epoch for f in log.frames] == [0, 4, 8, 12, 16]


def test_the_runs_last_epoch_gets_a_frame_even_between_recorded_ones(spiral_lab):
    log = fresh(spiral_lab, every=4)
    spiral_lab.trainer.run(18)
    assert log.last.epoch == 16 and log.newest_serial == log.last.serial
    spiral_lab.trainer.record_final()
    spiral_lab.trainer.record_final()  # once is enough
    assert [f.epoch for f in log.frames] == [0, 4, 8, 12, 16, 18]
    expected = spiral_lab.trainer.layer_outputs(plane_grid(plane_extent_of(spiral_lab), BOUNDARY_RESOLUTION))[-1]
    assert np.abs(log.last.boundary[..., -1].ravel() / 255 - expected[:, 1]).max() < 0.01


def test_no_frames_after_a_divergence():
    lab = build_lab(SPIRAL.replace(learning_rate=10.0, optimizer="sgd", epochs=50))
    log = record_frames(lab)
    lab.trainer.run(50)
    assert lab.trainer.stopped_reason == "diverged"
    assert [f.epoch for f in log.frames] == list(range(lab.trainer.epoch + 1))
    assert all(np.isfinite(f.weights.astype(float)).all() for f in log.frames)


def test_reset_starts_a_new_run_with_the_initial_frame(spiral_lab):
    log = fresh(spiral_lab)
    first = log.frames[0]
    spiral_lab.trainer.run(4)
    run_id = log.run_id
    spiral_lab.trainer.reset()
    assert log.run_id != run_id and [f.epoch for f in log.frames] == [0]
    np.testing.assert_array_equal(log.frames[0].boundary, first.boundary)


def test_encoding_round_trips_and_is_json(spiral_lab):
    log = fresh(spiral_lab)
    spiral_lab.trainer.run(1)
    frame = log.frames[-1]
    encoded = json.loads(json.dumps(encode_frame(frame)))
    boundary, neurons, weights = decode_frame(encoded, BOUNDARY_RESOLUTION, NEURON_RESOLUTION)
    np.testing.assert_array_equal(boundary, frame.boundary)
    np.testing.assert_array_equal(neurons, frame.neurons)
    np.testing.assert_array_equal(weights, frame.weights)
    assert encoded["e"] == 1 and encoded["s"] == frame.serial


def test_a_ticks_frames_fit_the_budget(spiral_lab):
    log = fresh(spiral_lab)
    spiral_lab.trainer.run(40)
    waiting = log.since(0)
    sent = frames_to_send(waiting)
    size = len(json.dumps([encode_frame(f) for f in sent]))
    assert size <= 200_000
    assert [f.epoch for f in sent] == list(range(1, len(sent) + 1))  # oldest first, none skipped
    assert len(sent) >= 15  # half a second at the default pace of 30 epochs per second


def make_frame(serial: int) -> Frame:
    return Frame(
        serial,
        serial,
        (0.0, 0.0, 0.0, 0.0),
        np.zeros((50, 50, 1), np.uint8),
        np.zeros((0, 0, 0), np.uint8),
        np.zeros(0, np.float16),
    )


def test_thinning_keeps_at_most_the_limit_evenly_and_the_newest():
    frames = [make_frame(i) for i in range(2 * FRAME_LIMIT + 1)]
    kept = thin(frames, FRAME_LIMIT)
    assert len(kept) <= FRAME_LIMIT and kept[-1].serial == 2 * FRAME_LIMIT and kept[0].serial == 0
    gaps = {b.serial - a.serial for a, b in zip(kept, kept[1:])}
    assert gaps == {4}  # evenly: every fourth


def test_a_long_run_stays_bounded():
    log = FrameLog(ProbeLayout(2, 0, True), n_layers=1, limit=50)
    snapshot = [np.full((4, 1), 0.5, np.float32), np.ones((2, 1), np.float32), np.zeros(1, np.float32)]
    for epoch in range(1, 1001):
        log.add(epoch, (0.0, 0.0, 0.0, 0.0), snapshot)
    assert len(log.frames) <= 50 and log.frames[-1].epoch == 1000 and log.frames[0].epoch == 1
    assert evenly(log.frames, 10)[-1].epoch == 1000


def test_a_backlog_is_thinned_not_queued():
    frames = [make_frame(i) for i in range(5000)]
    fit = 180_000 // frame_size(frames[-1])
    sent = frames_to_send(frames)
    assert len(sent) <= fit and sent[-1].serial == 4999


def test_a_weight_typed_by_hand_changes_the_model_and_the_frame(spiral_lab):
    log = fresh(spiral_lab)
    trainer = spiral_lab.trainer
    before = log.frames[-1].boundary.copy()
    trainer.set_weight(2, None, 0, 5.0)  # the output's bias: the whole plane leans to class 1
    assert float(dense_layers(trainer.model)[2].bias.numpy()[0]) == 5.0
    assert len(log.frames) == 1 and not np.array_equal(log.frames[-1].boundary, before)
    assert log.frames[-1].boundary.mean() > before.mean()
    assert trainer.changes[-1] == (0, "weight", (2, None, 0, 5.0))
    trainer.set_weight(0, 1, 3, -2.5)
    assert float(dense_layers(trainer.model)[0].kernel.numpy()[1, 3]) == -2.5
    trainer.run(1)  # Step trains on from the edited weights
    assert trainer.epoch == 1


@pytest.mark.parametrize(
    "layer,row,unit,value",
    [(3, 0, 0, 1.0), (0, 2, 0, 1.0), (0, 0, 8, 1.0), (0, 0, -1, 1.0), (0, 0, 0, float("nan")), (0, 0, 0, 1e6)],
)
def test_impossible_weight_edits_are_refused(spiral_lab, layer, row, unit, value):
    fresh(spiral_lab)
    before = [w.numpy().copy() for w in spiral_lab.trainer.model.weights]
    with pytest.raises(ValueError):
        spiral_lab.trainer.set_weight(layer, row, unit, value)
    for weight, old in zip(spiral_lab.trainer.model.weights, before):
        np.testing.assert_array_equal(weight.numpy(), old)


# ---------------------------------------------------------------------------------------------
# Regression (one raw output on TF Playground's ±1 scale) and L1's dead links (weights exactly 0)
# ---------------------------------------------------------------------------------------------


def regression_snapshot(output: np.ndarray, kernel: np.ndarray) -> list[np.ndarray]:
    """A 2×2 boundary grid and 2×2 neuron grid (8 probe rows): 3 hidden units, then one raw output."""
    hidden = np.linspace(-2, 2, 24, dtype=np.float32).reshape(8, 3)
    return [
        hidden,
        output.reshape(8, 1).astype(np.float32),
        kernel.astype(np.float32),
        np.zeros(3, np.float32),
        np.array([[0.5], [0.0], [-0.25]], np.float32),
        np.zeros(1, np.float32),
    ]


def test_a_regression_output_is_encoded_on_the_plus_minus_one_scale_and_clipped():
    layout = ProbeLayout(2, 2, binary=False, regression=True)
    log = FrameLog(layout, n_layers=2)
    output = np.array([-1.0, 0.0, 1.0, 0.5, -7.0, 3.0, np.nan, -0.5])  # boundary cells, then the neuron grid
    log.add(0, (0.0, 0.0, 0.0, 0.0), regression_snapshot(output, np.ones((2, 3))))
    frame = log.frames[-1]
    assert frame.boundary.shape == (2, 2, 1)
    np.testing.assert_array_equal(frame.boundary.ravel(), [0, 128, 255, 191])  # 0 = −1, 127.5 = 0, 255 = +1
    output_map = frame.neurons[-1].ravel()  # the output neuron's map: the same scale, clipped to ±1
    np.testing.assert_array_equal(output_map, [0, 255, 128, 64])
    assert frame.neurons.shape == (3 + 1, 2, 2)


def test_a_classifier_output_keeps_its_probability_bytes():
    layout = ProbeLayout(2, 2, binary=True)
    log = FrameLog(layout, n_layers=2)
    output = np.array([0.0, 0.5, 1.0, 0.25, 0.0, 1.0, 0.5, 0.75])
    log.add(0, (0.0, 0.0, 0.0, 0.0), regression_snapshot(output, np.ones((2, 3))))
    np.testing.assert_array_equal(log.frames[-1].boundary.ravel(), [0, 128, 255, 64])


def test_dead_weights_stay_exactly_zero_through_float16_and_live_ones_never_become_zero():
    kernel = np.array([[0.0, -0.0, 1e-9], [-1e-9, 0.3, 0.0]])  # 1e-9: alive, though below float16's smallest step
    log = FrameLog(ProbeLayout(2, 2, binary=False, regression=True), n_layers=2)
    log.add(0, (0.0, 0.0, 0.0, 0.0), regression_snapshot(np.zeros(8), kernel))
    encoded = json.loads(json.dumps(encode_frame(log.frames[-1])))
    _, _, weights = decode_frame(encoded, 2, 2)
    first = weights[:6].astype(np.float64)
    assert [w == 0 for w in first] == [True, True, False, False, False, True]
    assert first[2] > 0 > first[3]
    assert int((weights == 0).sum()) == 3 + 3 + 1 + 1  # the three dead links, both zero biases, the 0 weight, bias
    assert weights[6 + 3 + 1] == 0 and weights[6 + 3] == np.float16(0.5)


def test_the_regression_layout_colours_points_by_value_and_scores_with_r2():
    from nnlab.data.dataset import Dataset
    from nnlab.viz.player import DIVERGING, player_layout

    x = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, -1.0]], np.float32)
    y = np.array([0.25, -1.0, 0.5], np.float32)
    data = Dataset("plane", x[:2], y[:2], x[2:], y[2:], ())
    labels = {
        "epoch": "Epoch",
        "train_loss": "Train loss",
        "test_loss": "Test loss",
        "test_r2": "Test R²",
        "test_accuracy": "Test accuracy",
        "parameters": "Parameters",
    }
    layout = player_layout(
        ProbeLayout(100, 25, binary=False, regression=True),
        6.0,
        data,
        True,
        labels,
        stats=["epoch", "train_accuracy", "test_accuracy", "gap"],
    )
    assert layout["regression"] and layout["channels"] == 1
    assert layout["points"]["v"] == [0.25, -1.0, 0.5] and "c" not in layout["points"]
    assert layout["points"]["test"] == [0, 0, 1]
    assert layout["stats"] == ["epoch", "train_r2", "test_r2", "gap"]
    assert layout["diverging"] == list(DIVERGING) and len(layout["diverging"]) == 3
    json.dumps(layout)
    default = player_layout(ProbeLayout(100, 25, binary=False, regression=True), 6.0, data, True, labels)
    assert "test_r2" in default["stats"] and "test_accuracy" not in default["stats"]
    assert "test_rmse" in default["stats"] and "test_loss" not in default["stats"]  # RMSE and R², as the issue asks


def test_a_classification_layout_is_as_before():
    from nnlab.data.dataset import Dataset
    from nnlab.viz.player import player_layout

    x = np.zeros((3, 2), np.float32)
    data = Dataset("circle", x[:2], np.array([0, 1]), x[2:], np.array([1]), ("a", "b"))
    layout = player_layout(ProbeLayout(100, 25, binary=True), 6.0, data, False, {})
    assert not layout["regression"] and layout["channels"] == 1 and layout["points"]["c"] == [0, 1, 1]
    assert layout["stats"] == ["epoch", "train_loss", "test_loss", "test_accuracy", "parameters"]


def test_a_click_is_returned_once_and_only_with_finite_coordinates():
    from nnlab.ui.player_widget import _new_click

    state: dict = {}
    assert _new_click(state, {"x1": 1.5, "x2": "-2", "serial": 7}) == {"x1": 1.5, "x2": -2.0, "serial": 7}
    assert _new_click(state, {"x1": 1.5, "x2": -2, "serial": 7}) is None  # the same click again (a later rerun)
    assert _new_click(state, {"x1": 0.0, "x2": 0.0, "serial": 6}) is None  # an older one
    for bad in (None, 3, {"x1": 1.0}, {"x1": "a", "x2": 0, "serial": 9}, {"x1": float("nan"), "x2": 0, "serial": 9}):
        assert _new_click(state, bad) is None
    assert _new_click(state, {"x1": -0.5, "x2": 0.25, "serial": 8})["serial"] == 8


def test_a_player_asking_for_frames_reruns_its_fragment_or_in_a_page_run_the_page(monkeypatch):
    """Streamlit refuses scope="fragment" during a whole-page run with an error box on the page: a student's
    page showed it when the run stopped by itself while the browser still lacked frames (the page's rerun
    then met the player's request)."""
    from types import SimpleNamespace

    from nnlab.ui import player_widget as player

    asked = []
    monkeypatch.setattr(player.st, "rerun", lambda scope="app": asked.append(scope))
    for queue, scope in (([], "app"), (["tick"], "fragment")):
        monkeypatch.setattr(
            player, "get_script_run_ctx", lambda queue=queue: SimpleNamespace(fragment_ids_this_run=queue)
        )
        player.rerun_fragment()
        assert asked[-1] == scope
