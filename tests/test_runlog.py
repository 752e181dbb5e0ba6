"""Run records and the class board: plain data, ordered by the challenge's rule, bounded and thread-safe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from nnlab.playground import build_lab
from nnlab.presets import get_preset
from nnlab.runlog import ChallengeBoard, RunRecord, curves_frame, record_run, runs_frame, settings_diff


def record(dataset: str = "spiral", parameters: int = 100, accuracy: float = 0.9, **settings) -> RunRecord:
    values = get_preset("playground").experiment.replace(dataset=dataset, **settings).to_dict()
    return RunRecord("playground", values, 10, 1.0, parameters, 1.0, accuracy, 0.3, ((1, 0.5, 0.6, 0.8, accuracy),))


def test_a_trained_run_becomes_a_plain_record():
    lab = build_lab(get_preset("playground").experiment.replace(epochs=3))
    assert record_run("playground", lab.experiment, lab.trainer) is None  # nothing trained yet
    lab.trainer.run(2)
    lab.trainer.set_learning_rate(0.3)
    lab.trainer.run(1)
    run = record_run("playground", lab.experiment, lab.trainer)
    assert run.epochs == 3 and run.parameters == lab.trainer.parameters and len(run.curves) == 3
    assert run.test_accuracy == lab.trainer.history[-1].test_accuracy
    assert run.settings["learning_rate"] == "0.3"  # the rate it ended with
    frame = runs_frame([run, run])
    assert frame["run"].tolist() == [1, 2] and frame["parameters"].tolist() == [run.parameters] * 2


def test_board_ranks_fewest_parameters_above_the_target():
    board = ChallengeBoard()
    board.submit("big", record(parameters=500, accuracy=0.97))
    board.submit("small", record(parameters=40, accuracy=0.91))
    board.submit("tiny but wrong", record(parameters=9, accuracy=0.6))
    board.submit("same size, better", record(parameters=40, accuracy=0.95))
    board.submit("other data", record(dataset="xor", parameters=5, accuracy=0.99))
    standings = board.standings("spiral", 0.9)
    assert standings["name"].tolist() == ["same size, better", "small", "big"]
    assert standings["place"].tolist() == [1, 2, 3]
    assert board.datasets() == ["spiral", "xor"]
    assert board.standings("spiral", 0.99).empty


def test_board_names_are_trimmed_text_and_required():
    board = ChallengeBoard()
    board.submit("  Ada \n  Lovelace " + "x" * 40, record())
    assert board.standings("spiral", 0.0)["name"][0] == ("Ada Lovelace " + "x" * 40)[:24]
    with pytest.raises(ValueError, match="name"):
        board.submit("   ", record())


def test_board_is_bounded_and_safe_under_concurrent_submissions():
    board = ChallengeBoard(size=50)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: board.submit(f"s{i}", record(parameters=i)), range(400)))
    standings = board.standings("spiral", 0.0)
    assert len(standings) == 50
    assert min(standings["parameters"]) >= 0


def test_settings_diff_and_curves_for_two_runs():
    first, second = record(), record(learning_rate=0.3, optimizer="adam")
    diff = settings_diff(first, second)
    assert set(diff["setting"]) == {"learning_rate", "optimizer"}
    curves = curves_frame({"a": first, "b": second})
    assert len(curves) == 4 and set(curves["set"]) == {"train", "test"}
