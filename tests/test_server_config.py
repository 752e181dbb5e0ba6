"""Server settings a shared classroom needs: no per-run file scan or garbage collection, Keras left alone."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.pagetools import open_lab

CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())


def test_no_reload_watcher_and_no_collection_after_every_run():
    assert CONFIG["server"]["fileWatcherType"] == "none"  # it stats every imported module after each run
    assert CONFIG["runner"]["postScriptGC"] is False


def test_pages_stop_streamlit_clearing_the_keras_session_after_each_run(monkeypatch):
    from streamlit.runtime.scriptrunner import script_runner

    from nnlab.backend import keras
    from nnlab.ui.server import _cleanup_without_keras

    cleared = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *args, **kwargs: cleared.append(1))
    at = open_lab("pages/1_Playground.py")
    at.button(key="playground.step").click()
    at.run()
    assert script_runner._clean_problem_modules is _cleanup_without_keras
    assert cleared == []  # three script runs, no clear_session (each one was a full garbage collection)
