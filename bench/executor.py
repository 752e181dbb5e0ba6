"""Executor speed: a 12-run grid trained one run after another, then through nnlab.executor, in one process.

Serial is what a page did before the executor: each run built and trained in the server process.
The executor runs the same 12 experiments (same seeds, so the same metrics) on one worker process
per core. Its workers run TensorFlow on one thread each, which alone is faster for these small
networks than the server process's default thread pools; the same grid on a single worker
separates that from the gain of running in parallel. The pool is started and TensorFlow imported in it
first, as the app's pool is by the time a class runs grids; that start-up is reported separately, not hidden.
"""

from __future__ import annotations

import os
import time

from nnlab.executor import LocalExecutor, run_calls
from nnlab.experiments import Grid
from nnlab.labs import train_and_score
from nnlab.spec import Experiment

BASE = Experiment().replace(
    dataset="moons",
    samples=600,
    noise=0.2,
    hidden_layers="16:relu,16:relu",
    optimizer="adam",
    learning_rate=0.01,
    batch_size=8,
    epochs=60,
)
GRID = Grid(BASE, ("hidden_units", (4, 8, 16)), ("learning_rate", (0.001, 0.003, 0.01, 0.03)), repeats=1)


def experiments() -> list[Experiment]:
    return [experiment for *_, experiment in GRID.cells()]


def serial_seconds(runs: list[Experiment]) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    metrics = [train_and_score(experiment).metrics for experiment in runs]
    return time.perf_counter() - start, metrics


def executor_seconds(runs: list[Experiment], executor: LocalExecutor) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    metrics: list[dict | None] = [None] * len(runs)
    for index, score in run_calls(train_and_score, [(experiment,) for experiment in runs], executor):
        metrics[index] = score.metrics
    return time.perf_counter() - start, metrics


def run() -> dict:
    """{'name': 'executor', 'serial_seconds', 'executor_seconds', 'ratio', ...} measured in this process."""
    runs = experiments()
    one = LocalExecutor(1)  # the same worker code one run at a time: the speed-up from parallelism alone
    one.warm_up()
    alone, _ = executor_seconds(runs, one)
    executor = LocalExecutor()
    start = time.perf_counter()
    executor.warm_up()
    startup = time.perf_counter() - start
    parallel, parallel_metrics = executor_seconds(runs, executor)
    serial, serial_metrics = serial_seconds(runs)
    agree = max(abs(a["accuracy"] - b["accuracy"]) for a, b in zip(serial_metrics, parallel_metrics))
    return {
        "name": "executor",
        "serial_seconds": round(serial, 3),
        "executor_seconds": round(parallel, 3),
        "ratio": round(serial / parallel, 2),
        "runs": len(runs),
        "workers": executor.workers,
        "cores": os.cpu_count(),
        "one_worker_seconds": round(alone, 3),
        "parallel_ratio": round(alone / parallel, 2),
        "pool_startup_seconds": round(startup, 2),
        "max_accuracy_difference": round(agree, 6),
    }


def describe(result: dict) -> str:
    return (
        f"executor: {result['runs']} runs serially {result['serial_seconds']:.1f} s, through the executor "
        f"({result['workers']} workers on {result['cores']} cores) {result['executor_seconds']:.1f} s: "
        f"{result['ratio']:.2f}×; one worker {result['one_worker_seconds']:.1f} s, so parallelism alone gives "
        f"{result['parallel_ratio']:.2f}× (pool start-up {result['pool_startup_seconds']:.1f} s, once per "
        f"server; largest accuracy difference {result['max_accuracy_difference']})"
    )
