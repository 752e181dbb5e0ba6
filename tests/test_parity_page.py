"""The Playground's TF Playground parity controls through AppTest: regression, initialisation, schedules,
L1's dead links, health, ∂L/∂w and the title a lesson link can hide (issue 19)."""

from __future__ import annotations

import json

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from nnlab.ui.i18n import STRINGS
from tests.pagetools import metric, open_lab, run, step

PAGE = "playground"
PLAYGROUND = "pages/1_Playground.py"
SMALL = {"samples": "100", "epochs": "20"}


def text(key: str) -> str:
    return STRINGS[key][0]


def test_regression_plane_reports_r2_and_rmse_and_no_confusion_matrix():
    at = open_lab(PLAYGROUND, {"dataset": "plane", **SMALL})
    assert at.radio(key=f"{PAGE}.problem").value == "regression"
    shown = at.selectbox(key=f"{PAGE}.loss_regression")  # regression always trains with squared error
    assert shown.disabled and shown.value == "squared_error"
    assert [s.value for s in at.subheader if s.value == text("curves_regression")]
    assert metric(at, text("test_r2")) == "—"
    step(at, PAGE, 3)
    r2, rmse = float(metric(at, text("test_r2"))), float(metric(at, text("test_rmse")))
    assert -5 < r2 <= 1 and 0 < rmse < 2
    assert any(text("regression_confusion") in info.value for info in at.info)
    assert text("test_accuracy") not in [m.label for m in at.metric]
    prediction = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")][1]
    assert (
        "gradient" in json.dumps(prediction["layer"][1]["encoding"]["fill"]["legend"])
        or prediction["layer"][1]["encoding"]["fill"]["type"] == "quantitative"
    )  # a colour bar, not classes


def test_switching_the_problem_type_offers_the_other_datasets():
    at = open_lab(PLAYGROUND, {"loss": "squared_error", **SMALL})
    assert at.radio(key=f"{PAGE}.problem").value == "classification"
    assert "plane" not in at.selectbox(key=f"{PAGE}.dataset").options
    at.radio(key=f"{PAGE}.problem").set_value("regression")
    run(at)
    assert at.selectbox(key=f"{PAGE}.dataset").value == "plane"
    assert at.query_params["dataset"] == "plane"
    assert text("test_r2") in [m.label for m in at.metric]
    at.radio(key=f"{PAGE}.problem").set_value("classification")
    run(at)
    assert at.selectbox(key=f"{PAGE}.loss").value == "squared_error"  # the student's choice came back


def test_a_link_may_ask_for_regression_by_the_switchs_name():
    at = open_lab(PLAYGROUND, {"problem": "regression", **SMALL})
    assert at.radio(key=f"{PAGE}.problem").value == "regression" and not at.warning
    assert at.selectbox(key=f"{PAGE}.dataset").value == "plane" and at.query_params["dataset"] == "plane"


def test_zeros_initialisation_says_why_and_every_neuron_stays_identical():
    at = open_lab(PLAYGROUND, {"init": "zeros", **SMALL})
    assert any(text("zeros_symmetry") in info.value for info in at.info)
    step(at, PAGE, 5)
    lab = at.session_state[f"{PAGE}.lab"]
    first = lab.trainer.model.get_layer("hidden_1").kernel.numpy()
    assert (first == first[:, :1]).all()  # the symmetry lesson: every column the same
    assert at.query_params["init"] == "zeros"


def test_a_schedule_draws_the_falling_rate_and_stays_in_the_link():
    at = open_lab(PLAYGROUND, {"lr_schedule": "cosine", **SMALL})
    assert at.selectbox(key=f"{PAGE}.lr_schedule").value == "cosine"
    rates = convert_arrow_bytes_to_pandas_df(at.get("vega_lite_chart")[2].proto.datasets[0].data.data)["rate"]
    assert rates.iloc[0] == pytest.approx(0.03) and rates.iloc[-1] < 0.001 and rates.is_monotonic_decreasing
    at.selectbox(key=f"{PAGE}.lr_schedule").set_value("step")
    run(at)
    assert at.query_params["lr_schedule"] == "step"


def test_more_epochs_under_a_schedule_start_the_run_again_and_a_constant_rate_goes_on():
    at = open_lab(PLAYGROUND, {"lr_schedule": "cosine", **SMALL})
    step(at, PAGE, 3)
    at.number_input(key=f"{PAGE}.epochs").set_value(40)
    run(at)
    lab = at.session_state[f"{PAGE}.lab"]
    assert lab.trainer.epoch == 0 and lab.trainer.train_spec.epochs == 40  # the cosine now spans 40 epochs
    assert len(lab.trainer.learning_rates()) == 40
    at.selectbox(key=f"{PAGE}.lr_schedule").set_value("constant")
    run(at)
    step(at, PAGE, 3)
    at.number_input(key=f"{PAGE}.epochs").set_value(60)
    run(at)
    assert at.session_state[f"{PAGE}.lab"].trainer.epoch == 3  # a constant rate takes more epochs live


def test_l1_counts_dead_links_and_health_and_gradients_show_numbers():
    query = {"regularization": "l1", "regularization_rate": "0.1", "hidden_layers": "6:relu,6:relu", **SMALL}
    at = open_lab(PLAYGROUND, query)
    step(at, PAGE, 5)
    lab = at.session_state[f"{PAGE}.lab"]
    dead = lab.trainer.dead_weights()
    assert dead > 0
    captions = [c.value for c in at.caption]
    assert any(f"{dead} weight" in c and "dead links" in c for c in captions), captions
    assert len(lab.trainer.health) == 5
    health = [e for e in at.expander if e.label == text("health_title")][0]
    assert len(health.get("vega_lite_chart")) == 3  # gradient norm, weight norm, dead ReLUs: a chart each
    latex = " ".join(element.value for element in at.latex)
    assert r"\frac{\partial L}{\partial w_{1}}" in latex


def test_a_russian_neuron_writes_its_numbers_with_a_decimal_comma_and_a_regression_point_its_value():
    import re

    at = open_lab(PLAYGROUND, {"lang": "ru", "dataset": "plane", **SMALL})  # the untrained network's numbers
    latex = " ".join(element.value for element in at.latex)
    assert re.search(r"\d\{,\}\d{4}", latex) and not re.search(r"\d\.\d", latex), latex
    assert any("истинное значение" in m.value for m in at.markdown)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_lesson_link_can_hide_the_title_and_intro(language):
    at = open_lab(PLAYGROUND, {"hide": "text,init", "lang": language, **SMALL})
    assert not at.title
    assert STRINGS["playground_intro"][0 if language == "en" else 1] not in [c.value for c in at.caption]
    assert not [s for s in at.selectbox if s.key == f"{PAGE}.init"]
    shown = open_lab(PLAYGROUND, {"lang": language, **SMALL})
    assert shown.title and shown.title[0].value == STRINGS["playground_title"][0 if language == "en" else 1]


def test_a_lesson_link_can_hide_the_students_own_points():
    """hide=points: no upload box, no click picker, and the player is told clicks add nothing."""
    shown = open_lab(PLAYGROUND, SMALL)
    uploads = lambda at: [u for u in at.file_uploader if u.key.startswith(f"{PAGE}.points.")]  # noqa: E731
    assert uploads(shown) and "points" in shown.session_state[f"{PAGE}.offered"]
    at = open_lab(PLAYGROUND, {"hide": "points", **SMALL})
    assert not uploads(at) and not [r for r in at.radio if r.key == f"{PAGE}.points.class"]
    assert at.session_state[f"{PAGE}.player_layout"][2]["clickable"] is False
    assert shown.session_state[f"{PAGE}.player_layout"][2]["clickable"] is True


def test_a_stuck_run_gets_a_hint_and_a_learning_run_does_not():
    from nnlab.playground import STUCK_EPOCHS, stuck_reason
    from nnlab.spec import Experiment
    from nnlab.train import EpochEvent

    def flat(n, loss=0.69, accuracy=0.5):
        return [EpochEvent(e + 1, loss, accuracy, loss, accuracy, 0.0) for e in range(n)]

    slow = Experiment().replace(learning_rate=0.0001)
    assert stuck_reason(slow, flat(STUCK_EPOCHS - 1)) is None  # too early to say
    assert stuck_reason(slow, flat(STUCK_EPOCHS)) == "small_lr"
    assert stuck_reason(slow.replace(init="zeros"), flat(STUCK_EPOCHS)) is None  # the symmetry note says why
    spiral = Experiment().replace(dataset="spiral", hidden_layers="2:tanh")
    assert stuck_reason(spiral, flat(STUCK_EPOCHS)) == "few_neurons"
    assert stuck_reason(Experiment(), flat(STUCK_EPOCHS)) == "flat"
    assert stuck_reason(Experiment(), flat(STUCK_EPOCHS, accuracy=0.99)) is None  # finished, not stuck
    falling = [EpochEvent(e + 1, 1 / (e + 1), 0.5, 1 / (e + 1), 0.5, 0.0) for e in range(STUCK_EPOCHS)]
    assert stuck_reason(Experiment(), falling) is None
    at = open_lab(PLAYGROUND, {"learning_rate": "0.00001", "samples": "100", "epochs": "100"})
    assert not at.warning
    at.session_state[f"{PAGE}.lab"].trainer.run(STUCK_EPOCHS)  # as Play would, without waiting for the timer
    run(at)
    assert any("too small" in w.value and "(0.00001)" in w.value for w in at.warning), [w.value for w in at.warning]
