"""The world-map page through AppTest: country, training, threshold, class weight, uploads, stability, link.

AppTest never fires `run_every`: Step trains one epoch, and each further run of a started
stability experiment adds one run.
"""

from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from nnlab.ui.i18n import STRINGS
from tests.pagetools import metric, open_lab, run
from tests.pagetools import step as step_page

MAP = "pages/2_World_map.py"
P, ACCURACY, RECALL, PRECISION, EPOCH = (
    STRINGS[k][0] for k in ("metric_p", "accuracy", "recall", "precision", "epoch")
)


def open_map(query: dict[str, str] | None = None) -> AppTest:
    return open_lab(MAP, query)


def step(at: AppTest, times: int = 1) -> AppTest:
    return step_page(at, "worldmap", times)


def percent(at: AppTest, label: str) -> float:
    return float(metric(at, label).rstrip("%")) / 100


@pytest.fixture(scope="module")
def trained() -> AppTest:
    """Russia with the minimal net, three epochs in: the page most tests start from."""
    return step(open_map(), 3)


def test_page_opens_untrained_with_the_imbalance_shown():
    at = open_map()
    assert metric(at, EPOCH) == "0" and metric(at, P) == "—"
    assert 0.95 < percent(at, STRINGS["always_no"][0]) < 0.99  # Russia: ~3 % of the cities
    assert at.selectbox(key="worldmap.country").value == "Russia"
    assert len(at.get("deck_gl_json_chart")) == 1


def test_step_trains_and_p_leads(trained):
    assert metric(trained, EPOCH) == "3"
    assert float(metric(trained, P)) > 0.9
    deck = trained.get("deck_gl_json_chart")[0].proto
    assert '"outcome-TP"' in deck.json and '"borders"' in deck.json and "carto" not in deck.json


def test_lower_threshold_finds_more_cities_at_once(trained):
    before = (percent(trained, RECALL), percent(trained, PRECISION), metric(trained, EPOCH))
    trained.slider(key="worldmap.threshold").set_value(0.1)
    run(trained)
    after = (percent(trained, RECALL), percent(trained, PRECISION), metric(trained, EPOCH))
    assert after[2] == before[2]  # no retraining: the same model, new verdicts
    assert after[0] >= before[0] and after[1] < before[1]
    assert trained.query_params["threshold"] == "0.1"
    trained.slider(key="worldmap.threshold").set_value(0.5)
    run(trained)


def test_class_weight_keeps_the_model_and_changes_training(trained):
    epoch = metric(trained, EPOCH)
    trained.select_slider(key="worldmap.positive_weight").set_value(1)
    run(trained)
    assert metric(trained, EPOCH) == epoch
    lab = trained.session_state["worldmap.lab"]
    assert set(lab.trainer._w_train.numpy().tolist()) == {1.0}
    trained.select_slider(key="worldmap.positive_weight").set_value("balanced")
    run(trained)
    assert lab.trainer.train_spec.balanced_weights and trained.query_params["balanced_weights"] == "1"


def test_choosing_a_country_retrains_for_it():
    at = open_map()
    at.selectbox(key="worldmap.country").set_value("Japan")
    run(at)
    assert metric(at, EPOCH) == "0"
    step(at, 2)
    assert float(metric(at, P)) > 0.9
    assert at.query_params["country"] == "Japan"
    assert any("Japan" in segment.options[1] for segment in at.segmented_control if segment.key == "worldmap.view")


def test_link_restores_country_network_and_threshold():
    at = open_map(
        {
            "country": "France",
            "hidden_layers": "8:relu:bn,4:tanh",
            "threshold": "0.3",
            "class_weights": "1,5",
            "learning_rate": "0.1",
        }
    )
    assert at.selectbox(key="worldmap.country").value == "France"
    assert at.slider(key="worldmap.threshold").value == 0.3
    assert at.checkbox(key="worldmap.batch_norm_0").value is True
    assert at.select_slider(key="worldmap.positive_weight").value == 5
    lab = at.session_state["worldmap.lab"]
    assert [layer.units for layer in lab.experiment.model.hidden_layers] == [8, 4]


def test_seed_presets_load_the_lessons_networks():
    at = open_map()
    at.selectbox(key="worldmap.country").set_value("Brazil")
    run(at)
    at.button(key="worldmap.preset.cities-reference").click()
    run(at)
    experiment = at.session_state["worldmap.lab"].experiment
    assert experiment.to_dict()["hidden_layers"] == "128:relu:bn,64:relu"
    assert experiment.data.country == "Brazil"  # the preset keeps the student's country
    assert experiment.train.optimizer == "adam" and experiment.train.class_weights == (1.0, 10.0)


BAD_UPLOADS = {
    "empty": b"",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "missing columns": b"name,population\nParis,2000000\nLyon,500000\n",
    "text in lat": b"city,lat,lng,country\nA,north,2.0,X\nB,1.0,2.0,Y\n",
    "out of range": b"city,lat,lng,country\nA,95,2.0,X\nB,1.0,2.0,Y\n",
    "one class": b"lat,lng,label\n1,2,1\n3,4,1\n",
    "cp1251": "город,широта,долгота,страна\nМосква,55.7,37.6,Россия\n".encode("cp1251"),
    "utf-16": "lat,lng,country\n1,2,A\n3,4,B\n".encode("utf-16"),
    "header only": b"lat,lng,country\n",
    "wrong delimiter": b"lat|lng|country\n55.75|37.62|Russia\n35.6|139.7|Japan\n",
    "NaN in lng": b"lat,lng,country\n55.75,NaN,Russia\n35.6,139.7,Japan\n",
    "50 MB": b"lat,lng,country\n" + b"55.75,37.62,Russia\n" * (50 * 1024 * 1024 // 19),
}


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.radio(key="worldmap.source").set_value("upload")
    run(at)
    at.file_uploader(key="worldmap.upload").set_value([(name, data, "text/csv")])
    return run(at)


@pytest.mark.parametrize("content", BAD_UPLOADS.values(), ids=BAD_UPLOADS.keys())
def test_bad_upload_gets_a_message_and_the_page_keeps_working(content):
    at = upload(open_map(), "bad.csv", content)
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and messages[0].startswith("This file cannot be used. "), messages
    assert at.selectbox(key="worldmap.country").value == "Russia"  # still the shipped cities
    step(at)
    assert metric(at, EPOCH) == "1"


def test_good_upload_replaces_the_cities_and_a_bad_one_keeps_them():
    rows = ["lat,lng,label"] + [
        f"{lat},{lng},{int(lat > 20)}" for lat in range(-60, 61, 4) for lng in range(-170, 171, 20)
    ]
    at = upload(open_map(), "mine.csv", "\n".join(rows).encode())
    assert not at.error and any("mine.csv" in c.value for c in at.caption)
    step(at, 2)
    assert float(metric(at, P)) > 0.8
    at.file_uploader(key="worldmap.upload").set_value([("broken.csv", b"", "text/csv")])
    run(at)
    assert len(at.error) == 1
    assert any("mine.csv" in c.value for c in at.caption)  # the good table is still in use
    assert metric(at, EPOCH) == "2"


def test_stability_experiment_runs_until_its_limit():
    at = open_map()
    at.number_input(key="worldmap.epochs").set_value(1)
    at.number_input(key="worldmap.max_runs").set_value(2)
    run(at)
    at.button(key="worldmap.stability_start").click()
    run(at)
    seen = set()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # the runs train on the sweep executor's workers; each rerun collects
        time.sleep(0.5)
        counts = [m.value for m in run(at).metric if m.label == STRINGS["runs"][0]]
        seen.update(counts)
        if counts == ["2"]:
            break
    assert "2" in seen and seen <= {"1", "2"}  # one run at a time, in order, up to the limit
    first_p, mean_p = float(metric(at, STRINGS["last_p"][0])), float(metric(at, STRINGS["mean_p"][0]))
    assert 0.5 <= first_p <= 1 and 0.5 <= mean_p <= 1
    assert any(s.value.startswith("Done after 2 runs") for s in at.success)
    assert len(at.get("deck_gl_json_chart")) == 2  # the live map and the pooled mistakes
    assert at.button(key="worldmap.stability_start")  # finished: Start is back


def test_cost_section_shows_exact_counts_beside_the_seeds():
    at = open_map()
    per_run = int(metric(at, "per run (20 epochs)").replace(",", ""))
    per_epoch = int(metric(at, "per epoch").replace(",", ""))
    assert per_run == 20 * per_epoch
    assert any("92,160" in i.value for i in at.info)


def test_russian_page_has_no_english_leftovers():
    at = open_map({"lang": "ru"})
    labels = [m.label for m in at.metric]
    assert STRINGS["metric_p"][1] in labels and STRINGS["metric_p"][0] not in labels
    assert at.title[0].value == STRINGS["map_title"][1]


def test_rows_repeated_verbatim_are_dropped_and_the_page_says_how_many():
    rows = ["lat,lng,label"] + [
        f"{lat},{lng},{int(lat > 20)}" for lat in range(-60, 61, 4) for lng in range(-170, 171, 20)
    ]
    at = upload(open_map(), "twice.csv", "\n".join(rows + rows[1:13]).encode())  # twelve rows listed twice
    assert not at.error
    assert any(c.value.startswith("12 rows repeated another row exactly") for c in at.caption)
    assert len(at.session_state["worldmap.uploaded"]["value"]) == len(rows) - 1


# --- issue 20: on the projector ----------------------------------------------------------------------

UNTRAINED, UNTRAINED_SCORES, NO_DATA = (
    STRINGS[k][0] for k in ("mapdigits_untrained", "mapdigits_untrained_scores", "untrained")
)


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def charts(at: AppTest) -> list:
    return list(at.get("arrow_vega_lite_chart")) + list(at.get("vega_lite_chart"))


def mistakes_table(at: AppTest) -> bool:
    return any("outcome" in table.value.columns for table in at.dataframe)


def ringed(at: AppTest) -> dict[str, bool]:
    layers = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]
    return {
        layer["id"].removeprefix("outcome-"): layer.get("stroked", False)
        for layer in layers
        if layer["id"].startswith("outcome-")
    }


def test_untrained_numbers_are_marked_and_go_after_a_step():
    at = open_map()
    shown = captions(at)
    assert UNTRAINED_SCORES in shown and not any(c.startswith("F1 ") for c in shown)
    assert shown.count(UNTRAINED) == 2  # the confusion matrix and the most confident mistakes
    assert NO_DATA in shown  # the curves: one line, not empty axes
    assert not charts(at) and not mistakes_table(at)  # no matrix, no curves, no table of mistakes
    baseline = [m for m in at.metric if m.label == STRINGS["always_no"][0]]
    assert [m.delta for m in baseline] == [STRINGS["mapdigits_baseline"][0]]  # the bar to beat, not a score
    assert not any(ringed(at).values())  # no ringed "mistakes" of random weights
    step(at)
    shown = captions(at)
    assert UNTRAINED not in shown and UNTRAINED_SCORES not in shown
    assert any(c.startswith("F1 ") for c in shown)
    assert len(charts(at)) == 3 and mistakes_table(at)  # the matrix, the curves' two panels, the mistakes
    assert ringed(at) == {"TN": False, "TP": False, "FP": True, "FN": True}


def test_one_batch_norm_switch_per_layer_and_a_links_global_one_kept():
    at = open_map()
    labels = [c.label for c in at.checkbox]
    assert STRINGS["batch_norm"][0] not in labels and STRINGS["layer_batch_norm"][0].format(n=1) in labels
    # A link (or an imported run) with the global switch: every layer gets its own, the same network.
    at = open_map({"hidden_layers": "8:relu,4:tanh", "batch_norm": "1"})
    assert at.checkbox(key="worldmap.batch_norm_0").value and at.checkbox(key="worldmap.batch_norm_1").value
    model = at.session_state["worldmap.lab"].experiment.model
    assert all(layer.batch_norm for layer in model.hidden_layers) and not model.batch_norm
    assert at.query_params["hidden_layers"] == "8:relu:bn,4:tanh:bn"
    at.checkbox(key="worldmap.batch_norm_1").uncheck()
    run(at)
    assert at.session_state["worldmap.lab"].experiment.to_dict()["hidden_layers"] == "8:relu:bn,4:tanh"


def test_the_russian_page_marks_untrained_numbers_too():
    at = open_map({"lang": "ru"})
    shown = captions(at)
    assert STRINGS["mapdigits_untrained_scores"][1] in shown and STRINGS["mapdigits_untrained"][1] in shown
    assert STRINGS["mapdigits_baseline"][1] in [m.delta for m in at.metric]
