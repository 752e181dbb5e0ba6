"""One executor for every multi-run feature: many trainings at once, each result as soon as it is done.

A job is a top-level function and its arguments: plain data in (an Experiment, and a table or
image set only when the worker cannot load it from the shipped files), plain data out (metrics,
histories, weight arrays), never a live Keras object. Locally the workers are joblib's loky
processes, one per core, kept between batches so each imports TensorFlow once. With a Dask
scheduler address (the NNLAB_DASK_SCHEDULER environment variable, or the app's setting) the
same calls go to that cluster through `distributed`, unchanged.
"""

from __future__ import annotations

import concurrent.futures
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from nnlab.catalogue import text
from nnlab.errors import LabError
from nnlab.labs import train_and_score

SCHEDULER_ENV = "NNLAB_DASK_SCHEDULER"
POLL_SECONDS = 0.05
IDLE_SECONDS = 600  # a local worker with nothing to do for this long exits and frees its memory
# One thread per worker: the workers are the parallelism, and TensorFlow's own pools would fight them.
WORKER_ENV = (
    ("TF_NUM_INTRAOP_THREADS", "1"),
    ("TF_NUM_INTEROP_THREADS", "1"),
    ("OMP_NUM_THREADS", "1"),
    ("TF_CPP_MIN_LOG_LEVEL", "2"),
)


@dataclass(frozen=True)
class Failed:
    """A job that raised: its message, so a page can show it and carry on with the rest; a student's
    error (a LabError) also as itself, so the page can write it in the student's language."""

    message: str
    error: LabError | None = None


def _worker_setup() -> None:
    for name, value in WORKER_ENV:
        os.environ[name] = value


def _call(fn: Callable, args: tuple) -> Any:
    """Run one job in a worker; an exception comes back as `Failed` (a page shows it, the batch goes on)."""
    try:
        return fn(*args)
    except Exception as error:
        return Failed(f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}", _student_error(error))


def _student_error(error: Exception) -> LabError | None:
    return error if isinstance(error, LabError) else None


class LocalExecutor:
    """Worker processes on this machine (joblib's loky), one per core unless told otherwise."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.address = None

    def _pool(self):
        from joblib.externals.loky import get_reusable_executor  # deferred: the pool starts only when a batch runs

        return get_reusable_executor(max_workers=self.workers, timeout=IDLE_SECONDS, initializer=_worker_setup)

    def submit(self, fn: Callable, args: tuple):
        return self._pool().submit(_call, fn, args)

    def as_completed(self, futures: list) -> Iterator:
        return concurrent.futures.as_completed(futures)

    def warm_up(self) -> None:
        """Start every worker and import TensorFlow in each (the first batch then starts at once)."""
        ready: set[int] = set()
        for _ in range(20):  # a warm worker may take several of the tasks: repeat until every one has answered
            ready |= {
                future.result()[1] for future in [self.submit(_import_tensorflow, (0.2,)) for _ in range(self.workers)]
            }
            if len(ready) >= self.workers:
                return

    def describe(self, language: str = "en") -> str:
        return text("where_local", language, count=self.workers)


class DaskExecutor:
    """The same calls on a Dask cluster (`distributed`): workers receive the function and its data."""

    def __init__(self, address: str, timeout: float = 10.0) -> None:
        from distributed import Client  # deferred: Dask is needed only when a cluster is named

        self.address = address
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except OSError as error:
            raise LabError("error_dask_unreachable", address=address, detail=str(error)) from error
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, fn: Callable, args: tuple):
        return self.client.submit(_call, fn, args, pure=False)

    def as_completed(self, futures: list) -> Iterator:
        """Each future as it finishes (polled: distributed's own as_completed wants a default client)."""
        waiting = list(futures)
        while waiting:
            ready = [f for f in waiting if f.done()]
            waiting = [f for f in waiting if not f.done()]
            yield from ready
            if waiting and not ready:
                time.sleep(POLL_SECONDS)

    def warm_up(self) -> None:
        self.client.run(_import_tensorflow)

    def describe(self, language: str = "en") -> str:
        return text("where_dask", language, address=self.address, count=self.workers)

    def close(self) -> None:
        self.client.close()


def executor_for(address: str | None = None, workers: int | None = None) -> LocalExecutor | DaskExecutor:
    """Dask when a scheduler address is given (or set in NNLAB_DASK_SCHEDULER), else local processes."""
    address = (address or os.environ.get(SCHEDULER_ENV, "")).strip()
    return DaskExecutor(address) if address else LocalExecutor(workers)


class Batch:
    """Jobs in flight. A page's tick collects whatever has finished without waiting; a script waits.

    At most `window` jobs are handed to the executor at a time (one per worker and one queued), the
    rest wait here: Cancel then stops every run that has not started, whatever the executor queues.
    """

    def __init__(self, executor, fn: Callable, calls: Iterable[tuple], window: int | None = None) -> None:
        self.executor, self.fn = executor, fn
        self.calls = [tuple(args) for args in calls]
        self.window = window or executor.workers + 1
        self.futures: list = []  # futures[i] runs calls[i]; calls past len(futures) are not submitted yet
        self._collected: set[int] = set()
        self.cancelled = False
        self._top_up()

    @property
    def total(self) -> int:
        return len(self.calls)

    @property
    def collected(self) -> int:
        return len(self._collected)

    @property
    def done(self) -> bool:
        return self.cancelled or self.collected == self.total

    def finished(self) -> list[tuple[int, Any]]:
        """(index, result) of the jobs that finished since the last call; never blocks."""
        ready = [i for i, f in enumerate(self.futures) if i not in self._collected and f.done() and not f.cancelled()]
        taken = [self._take(i) for i in ready]
        self._top_up()
        return taken

    def results(self) -> Iterator[tuple[int, Any]]:
        """(index, result) of every remaining job, each as soon as it finishes."""
        while not self.done:
            in_flight = {id(f): i for i, f in enumerate(self.futures) if i not in self._collected and not f.cancelled()}
            if not in_flight:
                return
            future = next(iter(self.executor.as_completed([self.futures[i] for i in in_flight.values()])))
            yield self._take(in_flight[id(future)])
            self._top_up()

    def cancel(self) -> None:
        """Stop every job that has not started; finished ones stay collected, running ones may still report."""
        self.cancelled = True
        for future in self.futures:
            future.cancel()

    def _top_up(self) -> None:
        running = sum(1 for i, f in enumerate(self.futures) if i not in self._collected and not f.done())
        while not self.cancelled and len(self.futures) < self.total and running < self.window:
            self.futures.append(self.executor.submit(self.fn, self.calls[len(self.futures)]))
            running += 1

    def _take(self, i: int) -> tuple[int, Any]:
        self._collected.add(i)
        try:
            return i, self.futures[i].result()
        except Exception as error:
            return i, Failed(f"{type(error).__name__}: {error}", _student_error(error))


def run_calls(fn: Callable, calls: Iterable[tuple], executor=None) -> Iterator[tuple[int, Any]]:
    """Run `fn(*args)` for every `args` in `calls` in parallel; yield (index, result) as each finishes."""
    yield from Batch(executor or LocalExecutor(), fn, calls).results()


def run_experiments(experiments: Iterable, executor=None, data=None) -> Iterator[tuple[int, Any]]:
    """A list of experiments in; (index, nnlab.labs.Score or Failed) out, as each run finishes."""
    yield from run_calls(train_and_score, [(experiment, data) for experiment in experiments], executor)


def _import_tensorflow(hold: float = 0.0) -> tuple[str, int]:
    """Import TensorFlow in this worker; `hold` keeps it busy so the next task goes to another worker."""
    import tensorflow as tf  # deferred: this is the worker's warm-up import itself

    time.sleep(hold)
    return tf.__version__, os.getpid()
