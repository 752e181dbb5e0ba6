"""Batches of whole runs (seed bands, sweeps, remedies) through the server's run executor, within the work cap."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from nnlab.executor import Batch, Failed, executor_for
from nnlab.limits import WORK_CAP, epoch_cap, within_cap
from nnlab.ui.i18n import failure_text, number, t


def affordable(epochs: int, examples_per_epoch: int, runs: int = 1) -> bool:
    """True if a batch of runs fits the server's work cap; else say why on the page (nothing is trained)."""
    if within_cap(epochs, examples_per_epoch, runs):
        return True
    st.error(
        t(
            "work_refused",
            runs=runs,
            epochs=epochs,
            examples=examples_per_epoch,
            limit=number(WORK_CAP, ","),
            cap=epoch_cap(examples_per_epoch, runs),
        ),
        icon="⏱️",
    )
    return False


@st.cache_resource(show_spinner=False)
def app_executor():
    """The server's run executor: one worker process per core, or the Dask cluster in NNLAB_DASK_SCHEDULER."""
    return executor_for()


def run_all(fn: Callable, calls: list[tuple], label: Callable[[int], str] | None = None) -> list | None:
    """Every call through the run executor, with a progress bar as each finishes; results in call order.

    A failed run is shown and the rest are cancelled (None). Leaving the page mid-way cancels the
    runs that have not started (the script is interrupted; `finally` runs).
    """
    executor = app_executor()
    progress = st.progress(0.0, text=t("runs_waiting", total=len(calls), where=executor.describe()))
    results: list = [None] * len(calls)
    batch = Batch(executor, fn, calls)
    try:
        for done, (index, result) in enumerate(batch.results(), start=1):
            if isinstance(result, Failed):
                st.error(t("run_failed", message=failure_text(result)), icon="⚠️")
                return None
            results[index] = result
            text = label(index) if label else ""
            progress.progress(done / len(calls), text=t("runs_progress", done=done, total=len(calls), last=text))
    finally:
        batch.cancel()
    progress.empty()
    return results
