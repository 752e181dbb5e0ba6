"""Classroom features through AppTest: lesson links on every page, hidden controls, lessons, runs, the maths view."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnlab.playground import build_lab, neuron_math
from nnlab.presets import get_preset
from nnlab.ui.i18n import STRINGS
from nnlab.ui.links import qr_png
from tests.pagetools import ROOT, metric, open_lab, run, step

# A link per page that changes its experiment, its own controls and the language; opening it must restore
# all of it, and the page must write the same link back.
LINKS = {
    "pages/1_Playground.py": {
        "dataset": "xor",
        "hidden_layers": "5:relu,3:tanh",
        "learning_rate": "0.1",
        "features": "x1,x2,x1*x2",
        "seed": "7",
        "lang": "ru",
    },
    "pages/2_World_map.py": {
        "country": "France",
        "hidden_layers": "8:relu",
        "threshold": "0.3",
        "v.view": "country",
        "v.surface": "0",
        "lang": "ru",
    },
    "pages/3_Digits.py": {
        "hidden_layers": "16:sigmoid",
        "regularization": "l2",
        "regularization_rate": "0.01",
        "samples": "500",
        "lang": "en",
    },
    "pages/4_Optimizers.py": {
        "dataset": "circle",
        "v.racers": "sgd,adam",
        "v.rate.adam": "0.03",
        "v.target": "0.8",
        "v.landscape.steps": "300",
        "lang": "ru",
    },
    "pages/5_Losses_and_backprop.py": {
        "v.curve_label": "0",
        "v.activations": "relu,elu",
        "v.gradcheck_lambda": "1.0",
        "v.gradcheck_slip": "1",
        "lang": "ru",
    },
    "pages/6_Generalization.py": {"dataset": "spiral", "noise": "0.3", "dropout": "0.25", "lang": "en"},
    "pages/7_Runs.py": {"lang": "ru"},
    "pages/9_Convolution.py": {
        "conv_blocks": "4:5:valid:1,8:3:same:2:tanh",
        "samples": "1200",
        "seed": "3",
        "lang": "ru",
    },
    "app.py": {"lang": "ru"},
}


def open_page(page: str, query: dict[str, str]) -> AppTest:
    if page == "app.py":
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.query_params.update(query)
        return run(at)
    return open_lab(page, query)


def widget_values(at: AppTest) -> dict:
    return {
        w.key: w.value
        for kind in (
            "slider",
            "select_slider",
            "selectbox",
            "multiselect",
            "toggle",
            "checkbox",
            "number_input",
            "segmented_control",
        )
        for w in at.get(kind)
        if w.key and not w.key.endswith(".share_hide")
    }


@pytest.mark.parametrize("page", LINKS)
def test_a_link_restores_the_page_and_the_page_writes_it_back(page):
    link = LINKS[page]
    at = open_page(page, link)
    assert dict(at.query_params) == link  # nothing lost, nothing added (defaults stay out of the link)
    again = open_page(page, dict(at.query_params))  # the link the page wrote, opened in a new session
    assert widget_values(again) == widget_values(at)
    if page == "pages/1_Playground.py":
        experiment = at.session_state["playground.lab"].experiment
        assert experiment.data.dataset == "xor" and experiment.train.learning_rate == 0.1 and experiment.train.seed == 7
        assert at.sidebar.selectbox(key="lang").value == "ru"
    if page == "pages/4_Optimizers.py":
        assert at.multiselect(key="optimizers.racers").value == ["sgd", "adam"]
        assert at.select_slider(key="optimizers.rate.adam").value == 0.03


def test_a_changed_control_goes_into_the_link():
    at = open_page("pages/5_Losses_and_backprop.py", {})
    at.toggle(key="losses.gradcheck_slip").set_value(True)
    assert run(at).query_params["v.gradcheck_slip"] == "1"
    at.toggle(key="losses.gradcheck_slip").set_value(False)
    assert "v.gradcheck_slip" not in run(at).query_params  # back at its default: out of the link


def test_a_garbled_page_control_in_a_link_falls_back_to_its_default():
    at = open_page("pages/4_Optimizers.py", {"v.racers": "sgd,nonsense", "v.rate.sgd": "7.5", "v.target": "x"})
    assert at.multiselect(key="optimizers.racers").value == ["sgd"]
    assert at.select_slider(key="optimizers.target").value == 0.9


def test_hidden_controls_stay_hidden_and_keep_the_links_values():
    query = {
        "dataset": "spiral",
        "learning_rate": "0.01",
        "optimizer": "adam",
        "hidden_layers": "8:relu,8:relu",
        "hide": "dataset,learning_rate,optimizer,hidden_layers",
    }
    at = open_lab("pages/1_Playground.py", query)
    sidebar_keys = (
        {w.key for w in at.sidebar.get("selectbox")}
        | {w.key for w in at.sidebar.get("select_slider")}
        | {w.key for w in at.sidebar.get("slider")}
    )
    for hidden in (
        "playground.dataset",
        "playground.learning_rate",
        "playground.optimizer",
        "playground.n_layers",
        "playground.units_0",
    ):
        assert hidden not in sidebar_keys
    assert "playground.batch_size" in sidebar_keys  # not hidden
    step(at, "playground", times=2)  # reruns keep them hidden and their values in force
    lab = at.session_state["playground.lab"]
    assert lab.experiment.data.dataset == "spiral" and lab.experiment.train.optimizer == "adam"
    assert [layer.units for layer in lab.experiment.model.hidden_layers] == [8, 8]
    assert "playground.learning_rate" not in {w.key for w in at.sidebar.get("select_slider")}
    assert at.query_params["hide"] == query["hide"]
    at.slider(key="playground.batch_size").set_value(20)  # what is shown still works
    assert run(at).session_state["playground.lab"].experiment.train.optimizer == "adam"


def test_share_panel_builds_the_link_with_hidden_controls_and_a_qr_code():
    at = open_lab("pages/1_Playground.py", {"dataset": "moons", "seed": "3"})
    at.multiselect(key="playground.share_hide").set_value(["learning_rate", "optimizer"])
    run(at)
    link = at.code[0].value
    assert link.startswith("http") and "/Playground?" in link
    assert "dataset=moons" in link and "seed=3" in link and "hide=learning_rate,optimizer" in link
    assert len(at.get("image")) >= 1
    png = qr_png(link)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_lesson_button_opens_its_page_with_the_preset_and_the_seed_figure():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    run(at)
    at.button(key="home.lesson.003").click()
    run(at)
    lab = at.session_state["playground.lab"]
    preset = get_preset("planar-flower").experiment
    assert lab.experiment == preset.replace(epochs=lab.experiment.train.epochs) or lab.experiment == preset
    assert at.query_params["lesson"] == "003"
    assert metric(at, "Seed 003 published") == "90.0%"
    assert metric(at, "This run, now") == "—"
    step(at, "playground", times=2)
    assert metric(at, "This run, now").endswith("%")


def test_the_map_lesson_compares_p():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    run(at)
    at.button(key="home.lesson.000").click()
    run(at)
    assert at.session_state["worldmap.lab"].experiment == get_preset("cities-minimal").experiment
    assert metric(at, "Seed 000 published") == "0.970"
    step(at, "worldmap")
    assert 0.0 <= float(metric(at, "This run, now")) <= 1.0


def test_finished_runs_reach_the_runs_page_and_the_class_board():
    at = open_lab("pages/1_Playground.py", {"dataset": "gauss", "hidden_layers": "", "epochs": "2"})
    step(at, "playground", times=2)  # the run finishes
    at.slider(key="playground.n_layers").set_value(1)
    step(run(at), "playground", times=2)  # a second, bigger run
    at.switch_page("pages/7_Runs.py")
    run(at)
    table = at.dataframe[0].value
    assert table["parameters"].tolist() == [3, 17] and table["epochs"].tolist() == [2, 2]
    assert len(at.get("vega_lite_chart")) >= 1  # the two runs' curves side by side
    at.text_input(key="runs.name").input("  Ada   <b>Lovelace</b> ")
    at.selectbox(key="runs.run").set_value(0)
    submit = [b for b in at.get("button") if "Submit" in str(b.label)]
    submit[0].click()
    run(at)
    # The board is the server's: earlier tests in this process may have put other data sets first.
    at.selectbox(key="runs.board_dataset").set_value(STRINGS["dataset_gauss"][0])
    at.select_slider(key="runs.target").set_value(0.7)
    standings = run(at).dataframe[-1].value
    assert "Ada <b>Lovelace</b>" in standings["name"].tolist()  # shown as plain text by the table
    assert not untipped(at)  # every control of the full Runs page explains itself


def test_maths_view_shows_the_models_own_numbers():
    at = step(open_lab("pages/1_Playground.py", {"seed": "2"}), "playground", times=2)
    lab = at.session_state["playground.lab"]
    at.number_input(key="playground.maths_point").set_value(5)
    run(at)
    probability = lab.trainer.predict(lab.trainer.data.x_test[4:5])[0, 1]
    assert f"= {probability:.4f}" in at.latex[1].value  # the output neuron's a is the predicted probability
    assert "b =" in at.latex[0].value  # the output bias is in the sum


@pytest.mark.parametrize("hidden", ["4:tanh:bn,3:relu", "5:sigmoid"])
def test_neuron_math_matches_every_layer_of_the_model(hidden):
    lab = build_lab(get_preset("playground").experiment.replace(hidden_layers=hidden, classes=3, dataset="gauss"))
    lab.trainer.run(2)
    point = lab.trainer.data.x_test[3]
    outputs = lab.trainer.layer_outputs(point.reshape(1, -1))
    for layer, values in enumerate(outputs):
        for unit in range(values.shape[1]):
            maths = neuron_math(lab.trainer, point, layer, unit, ["x1", "x2"])
            assert maths.z == pytest.approx(float(maths.inputs @ maths.weights + maths.bias), abs=1e-5)
            assert maths.a == pytest.approx(float(values[0, unit]), abs=1e-5)
    assert np.isfinite(maths.z)


def test_the_map_lesson_link_can_hide_its_own_controls():
    at = open_lab(
        "pages/2_World_map.py",
        {"country": "Japan", "threshold": "0.3", "hide": "country,threshold,positive_weight,seed"},
    )
    keys = {w.key for kind in ("selectbox", "slider", "select_slider", "number_input") for w in at.get(kind)}
    assert not keys & {"worldmap.country", "worldmap.threshold", "worldmap.positive_weight", "worldmap.seed"}
    experiment = at.session_state["worldmap.lab"].experiment
    assert experiment.data.country == "Japan" and experiment.train.threshold == 0.3
    assert "worldmap.learning_rate" in keys


WIDGET_KINDS = (
    "slider",
    "select_slider",
    "selectbox",
    "multiselect",
    "toggle",
    "checkbox",
    "number_input",
    "segmented_control",
    "radio",
    "text_input",
    "button",
    "file_uploader",
    "download_button",
)


def untipped(at: AppTest) -> list[str]:
    return [
        f"{kind}:{w.key}"
        for kind in WIDGET_KINDS
        for w in at.get(kind)
        if w.key != "lang" and not (getattr(w, "help", None) or getattr(w.proto, "help", ""))
    ]


@pytest.mark.parametrize("page", [p for p in LINKS if p != "app.py"])
def test_every_control_has_a_tooltip(page):
    assert not untipped(open_page(page, {}))


def test_pages_without_an_experiment_share_their_own_controls():
    at = open_page("pages/5_Losses_and_backprop.py", {"v.curve_label": "0", "lang": "ru"})
    link = at.code[-1].value
    assert "/Losses_and_backprop?" in link and "v.curve_label=0" in link and "lang=ru" in link
    # No experiment controls to hide there: only the page's title and introduction (hide=text)
    assert at.multiselect(key="losses.share_hide").options == [STRINGS["control_text"][1]]
    optimizers = open_page("pages/4_Optimizers.py", {"v.racers": "sgd,adam"})
    hideable = optimizers.multiselect(key="optimizers.share_hide").options
    assert "Learning rate" not in hideable and "Dataset" in hideable  # the race sets its own rates
