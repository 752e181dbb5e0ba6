"""The generalization page through AppTest: the overfit gap, remedies that halve it, the sweep, history, TensorBoard."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetools import metric, open_lab, run
from nnlab.presets import PRESETS
from nnlab.ui.i18n import STRINGS

PAGE = "pages/6_Generalization.py"
GAP = STRINGS["gap"][0]


def gaps_by_run(at: AppTest) -> dict[str, float]:
    table = next(d.value for d in at.dataframe if "gap" in d.value.columns)
    return dict(zip(table["run"], table["gap"]))


@pytest.fixture(scope="module")
def compared() -> AppTest:
    at = open_lab(PAGE)
    at.toggle(key="generalization.tensorboard").set_value(True)
    at.button(key="generalization.remedies_button").click()
    return run(at)


def test_default_preset_overfits_and_l2_or_dropout_halve_the_gap(compared):
    assert compared.session_state["generalization.lab"].experiment == PRESETS["overfit"].experiment
    gaps = gaps_by_run(compared)
    baseline = gaps[STRINGS["remedy_baseline"][0]]
    assert baseline >= 0.15
    assert gaps[STRINGS["remedy_l2"][0]] <= baseline / 2
    assert gaps[STRINGS["remedy_dropout"][0]] <= baseline / 2
    assert len(compared.get("vega_lite_chart")) >= 3  # live boundary, live curves, the overlaid comparison


def test_tensorboard_logs_are_written_where_the_page_says(compared):
    folder = Path(compared.session_state["generalization.log_dir"])
    assert any(str(folder) in c.value for c in compared.code)
    assert len(list(folder.glob("*/events.out.tfevents*"))) == 3  # baseline, L2, dropout


def test_every_run_lands_in_the_history_and_two_compare(compared):
    assert len(compared.session_state["generalization.runs"]) == 3
    compared.selectbox(key="generalization.cmp_b").set_value(2)
    run(compared)
    assert len([m for m in compared.metric if m.label == GAP]) >= 3  # the live gap and the two compared


def test_small_multiples_sweep_one_setting():
    at = open_lab(PAGE, {"epochs": "100"})
    at.selectbox(key="generalization.sweep_setting").set_value("dropout")
    run(at)
    at.button(key="generalization.multiples_button").click()
    run(at)
    captions = [c.value for c in at.caption if c.value.startswith("dropout=")]
    assert len(captions) == 5
    assert len(at.get("vega_lite_chart")) >= 2 + 5  # the live boundary and curves, one boundary per value


def test_live_run_shows_the_gap():
    at = open_lab(PAGE, {"epochs": "5"})
    at.button(key="generalization.step").click()
    run(at)
    assert metric(at, STRINGS["epoch"][0]) == "1"
    assert [m.value for m in at.metric if m.label == GAP][0].endswith("%")
