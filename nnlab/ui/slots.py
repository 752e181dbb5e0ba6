"""The server's shared capacity: a fair training queue and bounded slots for builds and drawing.

Building and drawing are Python holding the GIL; training is TensorFlow. Bounding each keeps a
crowded classroom's event loop its turn, and the fair queue (nnlab.schedule) hands everyone
their training chunks in turn: nobody is turned away.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from nnlab.schedule import FairQueue
from nnlab.ui.i18n import t

CONCURRENT_TRAININGS = 2  # one per core on a teacher's laptop
CONCURRENT_BUILDS = 1


@st.cache_resource
def training_queue() -> FairQueue:
    """The server-wide queue every training chunk waits in, CONCURRENT_TRAININGS at a time."""
    return FairQueue(CONCURRENT_TRAININGS)


@st.cache_resource
def _build_slots() -> threading.BoundedSemaphore:
    # One build at a time: tracing is Python holding the GIL, so two at once finish no sooner and
    # leave the event loop half the turns.
    return threading.BoundedSemaphore(CONCURRENT_BUILDS)


@st.cache_resource
def drawing_slots() -> threading.BoundedSemaphore:
    """Charts to Vega-Lite JSON hold the GIL: at most CONCURRENT_TRAININGS drawings at a time server-wide."""
    return threading.BoundedSemaphore(CONCURRENT_TRAININGS)


@contextmanager
def building(message: str | None = None) -> Iterator[None]:
    """A spinner while a model is built, at most two builds at a time server-wide.

    Building traces TensorFlow graphs in Python and holds the GIL almost throughout: ten students
    opening a lab at once starved the server's event loop (health checks took over a second).
    A build waiting for its turn holds nothing.
    """
    with st.spinner(message or t("building")), _build_slots():
        yield


def still_here() -> Callable[[], bool]:
    """Whether this browser tab is still connected (a closed tab leaves the training queue at once)."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():  # AppTest: no server, nobody leaves
        return lambda: True
    runtime = Runtime.instance()
    return lambda: runtime.is_active_session(ctx.session_id)
