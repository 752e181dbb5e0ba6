"""The work cap: one request may not hold a shared server; the page says so and keeps what it had."""

from __future__ import annotations

from nnlab.limits import WORK_CAP, epoch_cap, within_cap, work
from nnlab.ui.i18n import STRINGS
from tests.pagetools import open_lab, run, step


def test_work_is_epochs_times_examples_times_runs():
    assert work(10, 500, runs=3) == 15_000
    assert within_cap(WORK_CAP // 500, 500) and not within_cap(WORK_CAP // 500 + 1, 500)
    assert epoch_cap(500) == WORK_CAP // 500
    assert epoch_cap(500, runs=4) == WORK_CAP // 2000
    assert epoch_cap(WORK_CAP * 2) == 1  # a single epoch is always allowed


def test_a_live_run_past_the_cap_stops_at_it_and_says_so():
    at = open_lab("pages/1_Playground.py", {"samples": "1000", "train_ratio": "0.5", "epochs": "100000"})
    cap = WORK_CAP // 500
    warnings = [w.value for w in at.warning]
    assert any(f"{cap:,}" in w and "100,000" in w for w in warnings), warnings
    step(at, "playground")  # training still works below the cap
    assert at.session_state["playground.lab"].trainer.epoch == 1


def test_a_comparison_past_the_cap_is_refused_and_earlier_runs_stay():
    at = open_lab("pages/6_Generalization.py", {"epochs": "20"})
    at.button(key="generalization.remedies_button").click()
    run(at)
    before = list(at.session_state["generalization.remedy_runs"])
    at.number_input(key="generalization.epochs").set_value(100_000)
    at.slider(key="generalization.samples").set_value(1000)
    at.slider(key="generalization.train_ratio").set_value(90)
    run(at)
    at.button(key="generalization.remedies_button").click()
    run(at)
    refused = STRINGS["work_refused"][0].split(":")[0]
    assert any(e.value.startswith(refused) for e in at.error), [e.value for e in at.error]
    assert at.session_state["generalization.remedy_runs"] == before  # nothing lost, nothing trained
