"""The executor: local worker processes and a real Dask cluster give the same metrics as training here."""

from __future__ import annotations

import time

import pytest

from nnlab.executor import Batch, DaskExecutor, Failed, LocalExecutor, executor_for, run_calls, run_experiments
from nnlab.experiments import Grid, best_cell, heat_frame, with_setting
from nnlab.labs import Score, train_and_score
from nnlab.presets import get_preset
from nnlab.spec import SpecError

BASE = get_preset("playground").experiment.replace(dataset="xor", samples=200, hidden_layers="4:tanh", epochs=15)
GRID = Grid(BASE, ("hidden_units", (2, 6)), ("learning_rate", (0.03, 0.3)), repeats=1)


def metrics_of(results) -> dict[int, dict]:
    return {index: score.metrics for index, score in results}


@pytest.fixture(scope="module")
def local() -> LocalExecutor:
    executor = LocalExecutor(2)
    executor.warm_up()
    return executor


@pytest.fixture(scope="module")
def local_metrics(local) -> dict[int, dict]:
    return metrics_of(run_calls(train_and_score, [(e,) for *_, e in GRID.cells()], local))


def test_run_experiments_takes_experiments_and_yields_scores(local, local_metrics):
    scores = dict(run_experiments([e for *_, e in GRID.cells()], local))
    assert {i: s.metrics for i, s in scores.items()} == local_metrics
    assert all(isinstance(s, Score) and len(s.history) == 15 and s.parameters > 0 for s in scores.values())


def test_local_workers_return_plain_results_for_every_run(local_metrics):
    assert sorted(local_metrics) == [0, 1, 2, 3]
    here = [train_and_score(experiment).metrics for *_, experiment in GRID.cells()]
    for index, metrics in local_metrics.items():
        # Another process with one TensorFlow thread: the same seeds give the same verdicts.
        assert metrics["accuracy"] == here[index]["accuracy"]
        assert metrics["loss"] == pytest.approx(here[index]["loss"], abs=1e-4)


def test_a_dask_cluster_gives_the_same_metrics_as_the_local_executor(local_metrics):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as cluster:
        executor = DaskExecutor(cluster.scheduler_address)
        try:
            assert executor.workers == 2
            dask_metrics = metrics_of(run_calls(train_and_score, [(e,) for *_, e in GRID.cells()], executor))
        finally:
            executor.close()
    assert sorted(dask_metrics) == sorted(local_metrics)
    for index, metrics in dask_metrics.items():
        assert metrics["accuracy"] == local_metrics[index]["accuracy"]
        assert metrics["loss"] == pytest.approx(local_metrics[index]["loss"], abs=1e-6)


def test_results_arrive_as_each_finishes_and_cancel_keeps_the_finished(local):
    slow = BASE.replace(epochs=400, samples=1000)
    batch = Batch(local, train_and_score, [(BASE,), *[(slow,)] * 5])
    first = None
    deadline = time.monotonic() + 120
    while first is None and time.monotonic() < deadline:
        finished = batch.finished()
        first = finished[0] if finished else None
        time.sleep(0.05)
    assert first is not None and first[0] == 0 and isinstance(first[1], Score)  # the quick one, first
    batch.cancel()
    assert batch.done
    assert len(batch.futures) <= 1 + batch.window  # the runs never handed to a worker never start
    assert len(batch.futures) < batch.total
    time.sleep(1)
    assert all(index != 0 for index, _ in batch.finished())  # what was collected stays collected


def test_a_failing_run_is_reported_and_the_others_finish(local):
    impossible = BASE.replace(dataset="cities", country="Atlantis")  # valid settings, no such country
    results = dict(run_calls(train_and_score, [(BASE,), (impossible,)], local))
    assert isinstance(results[0], Score)
    assert isinstance(results[1], Failed) and "Atlantis" in results[1].message


def test_executor_choice_follows_the_setting(monkeypatch):
    monkeypatch.delenv("NNLAB_DASK_SCHEDULER", raising=False)
    assert isinstance(executor_for(), LocalExecutor)
    monkeypatch.setenv("NNLAB_DASK_SCHEDULER", "tcp://127.0.0.1:1")
    with pytest.raises(ValueError, match="No Dask scheduler answers at tcp://127.0.0.1:1"):
        DaskExecutor("tcp://127.0.0.1:1", timeout=1)


def test_grid_cells_repeats_and_settings():
    grid = Grid(BASE, ("regularization_rate", (0.0, 0.01)), ("positive_weight", (1, 10)), repeats=3)
    cells = grid.cells()
    assert len(cells) == 12
    assert [c[3].train.seed for c in cells[:3]] == [0, 1, 2]
    assert cells[-1][3].model.regularization == "l2" and cells[-1][3].train.class_weights == (1.0, 10.0)
    assert cells[0][3].model.regularization == "none"
    assert (
        with_setting(BASE.replace(hidden_layers="3:relu:bn,2:tanh"), "hidden_units", 8)
        .model.hidden_layers[0]
        .batch_norm
    )
    with pytest.raises(SpecError, match="two different settings"):
        Grid(BASE, ("dropout", (0.1,)), ("dropout", (0.2,)), 1).cells()


def test_heat_frame_means_spread_and_best():
    grid = Grid(BASE, ("dropout", (0.0, 0.5)), ("batch_size", (8,)), repeats=2)

    def score(accuracy: float) -> Score:
        return Score({}, {"accuracy": accuracy, "loss": 1 - accuracy}, (), 10, 0.1, None)

    results = {0: score(0.8), 1: score(0.9), 2: score(0.6), 3: Failed("boom")}
    frame = heat_frame(grid, results, "accuracy")
    first = frame[frame["row"] == "0.0"].iloc[0]
    assert first["mean"] == pytest.approx(0.85) and first["std"] == pytest.approx(0.05) and first["runs"] == 2
    assert frame[frame["row"] == "0.5"].iloc[0]["runs"] == 1  # the failed repeat is not counted
    assert best_cell(frame, "accuracy") == ("0.0", "8")
    assert best_cell(heat_frame(grid, results, "loss"), "loss") == ("0.0", "8")
