"""Isolation: sessions trained at the same time each get their own results, and shared data stays read-only."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetools import ROOT, step

PLAYGROUND = "pages/1_Playground.py"
SESSIONS = {
    "circle": {"dataset": "circle", "hidden_layers": "4:tanh", "learning_rate": "0.1", "seed": "3"},
    "spiral": {
        "dataset": "spiral",
        "hidden_layers": "8:relu,8:relu",
        "optimizer": "adam",
        "learning_rate": "0.01",
        "seed": "5",
    },
}


def train_session(query: dict[str, str]) -> tuple:
    """Open the Playground from a link, press Step three times; the session's experiment, curves and weights.

    AppTest itself is not thread-safe: every run swaps process-wide globals (`Runtime._instance`,
    `PagesManager.uses_pages_directory`), so a run overlapping another AppTest's can lose its button
    trigger (twice in about ten full-suite runs: the Step's rerun happened, its callback did not; the
    lab, the toasts and every other epoch were untouched). A Step that trained nothing and said
    nothing is pressed again, at most twice, and counted; the curves must still equal the solo run's.
    The same overlap can make AppTest's own widget-state lookup fail (a KeyError for a widget id in its
    testing registry) before the script runs at all, or make the sidebar's `st.page_link` miss its page
    (StreamlitPageNotFoundError: `PagesManager.uses_pages_directory` is one of those globals), which the
    page reports as an error: such a press is made again the same way (up to five times), and the curves
    must still equal the solo run's.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update(query)
    at.switch_page(PLAYGROUND)
    for _attempt in range(3):  # opening the page can meet the same overlap
        at.run()
        if not at.exception and "playground.lab" in at.session_state:
            break
    seen = []  # what each Step did, for the failure message
    for _ in range(3):
        for _attempt in range(5):
            before = len(at.session_state["playground.lab"].trainer.history)
            try:
                step(at, "playground")
            except KeyError as error:  # AppTest's registry, or a page whose elements the overlap swallowed
                seen.append(("AppTest KeyError", str(error)))
                with contextlib.suppress(KeyError):
                    at.run()  # redraw the page (no press), so the next attempt finds its button
                continue
            except AssertionError as error:  # an error on the page (step asserts there is none)
                seen.append(("page error", str(error)[:80]))
                if len(at.session_state["playground.lab"].trainer.history) == before:
                    continue
            lab = at.session_state["playground.lab"]
            seen.append((id(lab), [e.epoch for e in lab.trainer.history], [toast.value for toast in at.toast]))
            if len(lab.trainer.history) > before or at.toast:
                break
    lab = at.session_state["playground.lab"]
    curves = [(e.epoch, e.train_loss, e.test_accuracy) for e in lab.trainer.history]
    return lab.experiment.to_dict(), curves, lab.trainer.model.get_weights(), seen


@pytest.fixture(scope="module")
def alone() -> dict[str, tuple]:
    return {name: train_session(query) for name, query in SESSIONS.items()}


@pytest.fixture
def pickers_survive_the_overlap(monkeypatch):
    """AppTest keeps each picker's format function in a registry that an overlapping AppTest run can leave
    without it; every later press of that session then fails on a KeyError before its script runs. Such a
    picker is sent without a value (it goes back to its default). That touches no training setting: the
    experiment is read from the link, and the lost pickers seen were the maths view's layer and the share
    panel's list of controls to hide."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.testing.v1 import element_tree

    def tolerant(original):
        def widget_state(self):
            try:
                return original.fget(self)
            except KeyError:
                return WidgetState(id=self.id)

        return property(widget_state)

    for name in ("Selectbox", "Multiselect", "SelectSlider", "Radio", "ButtonGroup"):
        cls = getattr(element_tree, name, None)
        if cls is not None and isinstance(getattr(cls, "_widget_state", None), property):
            monkeypatch.setattr(cls, "_widget_state", tolerant(cls._widget_state))


def test_two_sessions_trained_at_once_get_what_each_gets_alone(alone, pickers_survive_the_overlap):
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = dict(zip(SESSIONS, pool.map(train_session, SESSIONS.values())))
    for name, query in SESSIONS.items():
        settings, curves, weights, seen = together[name]
        assert settings["dataset"] == query["dataset"] and settings["seed"] == query["seed"]
        # Bit for bit: nothing leaked between the sessions.
        assert curves == alone[name][1], (name, seen, alone[name][3])
        for ours, theirs in zip(weights, alone[name][2], strict=True):
            np.testing.assert_array_equal(ours, theirs)
    assert together["circle"][1] != together["spiral"][1]


def test_cached_datasets_are_read_only():
    from nnlab.data.cities import DEFAULT_CITIES, read_cities
    from nnlab.data.digits import load_sklearn_digits
    from nnlab.data.toy import make_dataset
    from nnlab.spec import DataSpec

    digits = load_sklearn_digits()
    points = make_dataset(DataSpec(), 0.5, 1)
    for array in (digits.images, digits.labels, points.x_train, points.y_train, points.x_test, points.y_test):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0
    cities = read_cities(DEFAULT_CITIES)
    assert not np.shares_memory(cities["lat"].to_numpy(), read_cities(DEFAULT_CITIES)["lat"].to_numpy())
