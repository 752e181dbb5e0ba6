"""This session's finished runs (all labs), which the Runs page lists and compares."""

from __future__ import annotations

import weakref

import streamlit as st

from nnlab.runlog import record_run

RUNS_KEY = "nnlab.runs"
SESSION_RUNS = 200  # a session's history is bounded like everything else on a shared server


def session_runs() -> list:
    """This session's finished runs, oldest first (all labs)."""
    return st.session_state.setdefault(RUNS_KEY, [])


def log_finished(key: str, state: dict, trainer, experiment) -> None:
    """Record a run once when it finishes (epoch limit or divergence); `state`: the lab's transport state."""
    # Not id(trainer): a rebuilt lab's trainer can reuse a freed one's id. A weak reference, the trainer's
    # restart count (Reset) and the epoch say "this very run, already logged".
    logged = state.get("logged")
    if logged is not None and logged[0]() is trainer and logged[1:] == (trainer.restarts, trainer.epoch):
        return
    state["logged"] = (weakref.ref(trainer), trainer.restarts, trainer.epoch)
    record = record_run(key, experiment, trainer)
    if record is not None:
        runs = session_runs()
        runs.append(record)
        del runs[: max(0, len(runs) - SESSION_RUNS)]
