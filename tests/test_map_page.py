"""The world-map page through AppTest: country, training, threshold, class weight, uploads, stability, link.

AppTest never fires `run_every`: Step trains one epoch, and each further run of a started
stability experiment adds one run.
"""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.pagetools import metric, open_lab, run
from tests.pagetools import step as step_page

from nnlab.ui.i18n import STRINGS

MAP = "pages/2_World_map.py"
P, ACCURACY, RECALL, PRECISION, EPOCH = (STRINGS[k][0] for k in ("metric_p", "accuracy", "recall", "precision", "epoch"))


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
    at = open_map({"country": "France", "hidden_layers": "8:relu:bn,4:tanh", "threshold": "0.3",
                   "class_weights": "1,5", "learning_rate": "0.1"})
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
    assert len(messages) == 1 and messages[0].startswith("This file cannot be used:"), messages
    assert at.selectbox(key="worldmap.country").value == "Russia"  # still the shipped cities
    step(at)
    assert metric(at, EPOCH) == "1"


def test_good_upload_replaces_the_cities_and_a_bad_one_keeps_them():
    rows = ["lat,lng,label"] + [f"{lat},{lng},{int(lat > 20)}" for lat in range(-60, 61, 4) for lng in range(-170, 171, 20)]
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
    rows = ["lat,lng,label"] + [f"{lat},{lng},{int(lat > 20)}" for lat in range(-60, 61, 4) for lng in range(-170, 171, 20)]
    at = upload(open_map(), "twice.csv", "\n".join(rows + rows[1:13]).encode())  # twelve rows listed twice
    assert not at.error
    assert any(c.value.startswith("12 rows repeated another row exactly") for c in at.caption)
    assert len(at.session_state["worldmap.uploaded"]["value"]) == len(rows) - 1
