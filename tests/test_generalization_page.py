"""The generalization page through AppTest: the overfit gap, remedies that halve it, the sweep, history, TensorBoard."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nnlab.presets import PRESETS
from nnlab.ui.i18n import STRINGS
from tests.pagetools import metric, open_lab, run

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
    # the live boundary and the overlaid comparison (the live curves wait for the first epoch: a line instead)
    assert len(compared.get("vega_lite_chart")) >= 2
    assert STRINGS["pages_remedies_empty"][0] not in [c.value for c in compared.caption]


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
    assert STRINGS["pages_multiples_empty"][0] in [c.value for c in at.caption]  # a line before the sweep ran
    at.button(key="generalization.multiples_button").click()
    run(at)
    captions = [c.value for c in at.caption if c.value.startswith("dropout=")]
    assert len(captions) == 5
    assert STRINGS["pages_multiples_empty"][0] not in [c.value for c in at.caption]
    # the live boundary, the classes' legend once, one boundary per value (the curves wait for the first epoch)
    assert len(at.get("vega_lite_chart")) >= 2 + 5


def test_live_run_shows_the_gap():
    at = open_lab(PAGE, {"epochs": "5"})
    captions = [c.value for c in at.caption]
    assert STRINGS["pages_curves_empty"][0] in captions and STRINGS["pages_remedies_empty"][0] in captions
    charts = len(at.get("vega_lite_chart"))
    at.button(key="generalization.step").click()
    run(at)
    assert metric(at, STRINGS["epoch"][0]) == "1"
    assert [m.value for m in at.metric if m.label == GAP][0].endswith("%")
    assert STRINGS["pages_curves_empty"][0] not in [c.value for c in at.caption]
    assert len(at.get("vega_lite_chart")) == charts + 2  # the curves' two panels took the line's place


def test_digits_overfit_with_an_augmentation_preview_and_a_sweep_of_first_layers():
    at = open_lab(PAGE, {"dataset": "digits", "epochs": "20"})
    lab = at.session_state["generalization.lab"]
    assert lab.experiment.data.dataset == "digits" and len(lab.trainer.data.y_train) == 60
    assert "generalization.features" not in [m.key for m in at.multiselect]  # pixels are the inputs: no feature picker
    images_before = len(at.get("image"))  # the first layer's weights
    at.pills(key="generalization.remedies").set_value(["augmentation", "more_data"])
    run(at)
    assert len(at.get("image")) == images_before + 1  # the augmented samples' preview
    at.button(key="generalization.remedies_button").click()
    run(at)
    table = next(d.value for d in at.dataframe if "gap" in d.value.columns).set_index("run")
    points = table["training points"]
    assert points[STRINGS["remedy_baseline"][0]] == 60 and points[STRINGS["remedy_augmentation"][0]] == 240
    assert points[STRINGS["remedy_more_data"][0]] == round(1797 * 0.2)
    at.selectbox(key="generalization.sweep_setting").set_value("hidden_units")
    run(at)
    at.button(key="generalization.multiples_button").click()
    run(at)
    assert len([c for c in at.caption if c.value.startswith("hidden_units=")]) == 5
    assert len(at.get("image")) >= images_before + 1 + 5  # one picture of first-layer weights per value
    at.selectbox(key="generalization.dataset").set_value("moons")
    run(at)
    assert at.session_state["generalization.lab"].experiment.model.features == ("x1", "x2")
    assert at.multiselect(key="generalization.features").value == ["x1", "x2"]
