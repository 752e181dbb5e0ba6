"""The optimizers and losses pages through AppTest: the race steps, the landscapes replay, every lesson renders."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pagetools import metric, open_lab, run
from nnlab.ui.i18n import STRINGS

OPTIMIZERS_PAGE, LOSSES_PAGE = "pages/4_Optimizers.py", "pages/5_Losses_and_backprop.py"


def standings(at: AppTest):
    return next(d.value for d in at.dataframe if STRINGS["column_epochs_to_target"][0] in d.value.columns)


def test_race_steps_every_optimizer_together():
    at = open_lab(OPTIMIZERS_PAGE, {"samples": "200"})
    at.button(key="optimizers.step").click()
    run(at)
    table = standings(at)
    assert len(table) == 6 and set(table[STRINGS["epoch"][0]]) == {1}
    assert len(at.get("vega_lite_chart")) >= 7  # the curves and six boundaries


def test_racers_and_rates_come_from_the_sidebar():
    at = open_lab(OPTIMIZERS_PAGE, {"samples": "200"})
    at.multiselect(key="optimizers.racers").set_value(["sgd", "adam"])
    at.select_slider(key="optimizers.rate.adam").set_value(0.1)
    run(at)
    race = at.session_state["optimizers.lab"]
    assert list(race.trainers) == ["sgd", "adam"] and race.trainers["adam"].train_spec.learning_rate == 0.1
    at.multiselect(key="optimizers.racers").set_value([])
    run(at)
    assert any(STRINGS["no_racers"][0] == i.value for i in at.info)


def test_landscape_replay_and_surfaces():
    at = open_lab(OPTIMIZERS_PAGE, {"samples": "200"})
    for surface in ("valley", "rosenbrock", "saddle"):
        at.selectbox(key="optimizers.landscape.surface").set_value(surface)
        run(at)
    at.slider(key="optimizers.landscape.upto").set_value(20)
    run(at)
    summary = next(d.value for d in at.dataframe if STRINGS["column_reached"][0] in d.value.columns)
    assert len(summary) == 4  # sgd, momentum, adagrad, adam by default


def test_losses_page_checks_numpy_against_keras():
    at = open_lab(LOSSES_PAGE)
    table = next(d.value for d in at.dataframe if STRINGS["column_agree"][0] in d.value.columns)
    assert set(table[STRINGS["column_agree"][0]]) == {"✓"}
    assert metric(at, STRINGS["bce_numpy"][0]) == "0.052046" == metric(at, STRINGS["bce_keras"][0])


def test_scratch_network_reproduces_seed_003():
    at = open_lab(LOSSES_PAGE)
    at.button(key="losses.scratch_button").click()
    run(at)
    assert metric(at, STRINGS["initial_cost"][0]) == "1.127380"
    assert float(metric(at, STRINGS["scratch_accuracy"][0]).rstrip("%")) >= 90
    assert metric(at, STRINGS["logistic_accuracy"][0]) == "47.0%"


def test_gradient_check_passes_and_catches_the_slip():
    at = open_lab(LOSSES_PAGE)
    assert float(metric(at, STRINGS["relative_difference"][0])) < 1e-7
    at.toggle(key="losses.gradcheck_slip").set_value(True)
    run(at)
    assert float(metric(at, STRINGS["relative_difference"][0])) > 1e-3
    assert at.error[0].value == STRINGS["gradcheck_fail"][0]


def test_graph_follows_the_inputs():
    at = open_lab(LOSSES_PAGE)
    at.number_input(key="losses.graph_x").set_value(2.0)
    run(at)
    graph = next(d.value for d in at.dataframe if "GradientTape" in d.value.columns)
    row = graph[graph[STRINGS["node"][0]] == "w1"].iloc[0]
    assert row[STRINGS["backward"][0]] == row["GradientTape"]
