"""Isolation: sessions trained at the same time each get their own results, and shared data stays read-only."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from tests.pagetools import open_lab, step

PLAYGROUND = "pages/1_Playground.py"
SESSIONS = {
    "circle": {"dataset": "circle", "hidden_layers": "4:tanh", "learning_rate": "0.1", "seed": "3"},
    "spiral": {"dataset": "spiral", "hidden_layers": "8:relu,8:relu", "optimizer": "adam", "learning_rate": "0.01",
               "seed": "5"},
}


def train_session(query: dict[str, str]) -> tuple:
    """Open the Playground from a link, press Step three times; the session's experiment, curves and weights.

    AppTest itself is not thread-safe: every run swaps process-wide globals (`Runtime._instance`,
    `PagesManager.uses_pages_directory`), so a run overlapping another AppTest's can lose its button
    trigger (twice in about ten full-suite runs: the Step's rerun happened, its callback did not; the
    lab, the toasts and every other epoch were untouched). A Step that trained nothing and said
    nothing is pressed again, at most twice, and counted; the curves must still equal the solo run's.
    The same overlap can make AppTest's own widget-state lookup fail (a KeyError for a widget id in its
    testing registry) before the script runs at all: that press is made again the same way.
    """
    at = open_lab(PLAYGROUND, query)
    seen = []  # what each Step did, for the failure message
    for _ in range(3):
        for _attempt in range(3):
            before = len(at.session_state["playground.lab"].trainer.history)
            try:
                step(at, "playground")
            except KeyError as error:  # AppTest's registry, raised while collecting widget states
                seen.append(("AppTest KeyError", str(error)))
                continue
            lab = at.session_state["playground.lab"]
            seen.append((id(lab), [e.epoch for e in lab.trainer.history], [toast.value for toast in at.toast]))
            if len(lab.trainer.history) > before or at.toast:
                break
    curves = [(e.epoch, e.train_loss, e.test_accuracy) for e in lab.trainer.history]
    return lab.experiment.to_dict(), curves, lab.trainer.model.get_weights(), seen


@pytest.fixture(scope="module")
def alone() -> dict[str, tuple]:
    return {name: train_session(query) for name, query in SESSIONS.items()}


def test_two_sessions_trained_at_once_get_what_each_gets_alone(alone):
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
