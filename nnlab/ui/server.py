"""What a shared classroom server needs from Streamlit that no config option offers.

Streamlit calls `keras.backend.clear_session()` after every script and fragment run, for apps
that build a new model on each run. NN Lab keeps its models in session state, so clearing
frees nothing, yet Keras 3's `clear_session` runs a full garbage collection each time. With
TensorFlow's large heap that holds the GIL for a noticeable moment per run, and ten students
ticking five times a second kept the server's event loop from answering for seconds (found by
the load test in tests/test_browser.py). `runner.postScriptGC = false` in .streamlit/config.toml
removes Streamlit's own per-run collection for the same reason.
"""

from __future__ import annotations

import sys

from streamlit.runtime.scriptrunner import script_runner

# A thread that wants the GIL waits up to this long for the one holding it. The server's event loop
# needs it many times per request (every socket call gives it up); with ten sessions' scripts and
# training threads taking turns, Python's default 5 ms made a health check wait over a second.
SWITCH_INTERVAL_SECONDS = 0.001


def keep_keras_models() -> None:
    """Replace Streamlit's after-run cleanup with one that leaves Keras alone (idempotent), and let the
    event loop have the GIL sooner (SWITCH_INTERVAL_SECONDS)."""
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)

    if getattr(script_runner, "_clean_problem_modules", None) is not _cleanup_without_keras:
        script_runner._clean_problem_modules = _cleanup_without_keras


def _cleanup_without_keras() -> None:
    """Streamlit's cleanup of stateful modules, minus Keras (NN Lab draws nothing with pyplot either)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
