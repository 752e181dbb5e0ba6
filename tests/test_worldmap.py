"""The world-map lab's library: labels, split, verdicts and p, the surface, views, stability, cost, decks."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from nnlab.data.cities import DEFAULT_CITIES, country_names, read_cities
from nnlab.presets import PRESETS
from nnlab.spec import Experiment, SpecError
from nnlab.train import class_weights_for
from nnlab.viz import maps
from nnlab.worldmap import (
    build_lab,
    city_labels,
    city_predictions,
    confident_mistakes,
    cost_report,
    country_view,
    map_metrics,
    mercator_latitudes,
    running_means,
    split_cities,
    stability_run,
    structure_key,
    unchanged_streak,
    update_live_settings,
    world_surface,
)

MINIMAL = PRESETS["cities-minimal"].experiment


@pytest.fixture(scope="module")
def world() -> pd.DataFrame:
    return read_cities(DEFAULT_CITIES)


def toy_table(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Cities on a plain: 'Northland' is everything north of 40°N and east of 0°, the rest 'Elsewhere'."""
    rng = np.random.default_rng(seed)
    lat, lng = rng.uniform(-50, 70, n), rng.uniform(-170, 170, n)
    country = np.where((lat > 40) & (lng > 0), "Northland", "Elsewhere")
    return pd.DataFrame({"city": [f"c{i}" for i in range(n)], "country": country, "lat": lat, "lng": lng})


def small(**settings) -> Experiment:
    return MINIMAL.replace(**{"country": "Northland", "epochs": 5, "batch_size": 16, **settings})


@pytest.fixture(scope="module")
def trained():
    lab = build_lab(small(epochs=40, learning_rate=0.3), toy_table())
    lab.trainer.run(40)
    return lab


# --- labels and split -------------------------------------------------------------------------


def test_labels_mark_the_target_country(world):
    labels = city_labels(world, "Russia")
    assert labels.sum() == (world["country"] == "Russia").sum() >= 1000
    assert set(np.unique(labels)) == {0, 1}


def test_a_label_column_wins_over_the_country():
    table = toy_table().assign(label=lambda t: (t["lat"] > 0).astype(np.int64))
    assert (city_labels(table, "Northland") == (table["lat"] > 0)).all()


@pytest.mark.parametrize("country, message", [("Atlantis", "No city of 'Atlantis'"), ("Everywhere", "Every city")])
def test_impossible_targets_are_explained(country, message):
    table = toy_table().assign(country=lambda t: np.where(country == "Everywhere", "Everywhere", t["country"]))
    with pytest.raises(ValueError, match=message):
        city_labels(table, country)


def test_country_names_are_sorted_and_need_two_cities():
    table = pd.concat([toy_table(), pd.DataFrame([{"city": "x", "country": "Lonely", "lat": 0.0, "lng": 0.0}])])
    assert country_names(table) == ["Elsewhere", "Northland"]


def test_split_is_seeded_stratified_and_points_back_to_the_table():
    table = toy_table()
    data, test_rows = split_cities(table, small())
    again, same_rows = split_cities(table, small())
    other, other_rows = split_cities(table, small(seed=1))
    assert (test_rows == same_rows).all() and not (test_rows == other_rows).all()
    assert len(data.y_train) == 480 and len(data.y_test) == 120
    assert np.allclose(data.x_test, table.iloc[test_rows][["lat", "lng"]].to_numpy(np.float32))
    share = city_labels(table, "Northland").mean()
    assert abs(data.y_test.mean() - share) < 0.02 and not data.x_train.flags.writeable


def test_a_batch_larger_than_the_training_set_is_refused():
    with pytest.raises(SpecError, match="larger than the training set"):
        split_cities(toy_table(100), small(batch_size=128))


# --- verdicts, p and the lesson of the threshold -------------------------------------------------


def test_trained_network_finds_northland(trained):
    metrics = map_metrics(city_predictions(trained))
    assert metrics["balanced_accuracy"] > 0.9
    assert metrics["TP"] + metrics["TN"] + metrics["FP"] + metrics["FN"] == 120


def test_p_is_half_the_sum_of_both_hit_rates(trained):
    m = map_metrics(city_predictions(trained))
    p = 0.5 * (m["TP"] / (m["TP"] + m["FN"]) + m["TN"] / (m["TN"] + m["FP"]))
    assert m["balanced_accuracy"] == pytest.approx(p)
    assert m["always_no_accuracy"] == pytest.approx((m["TN"] + m["FP"]) / 120)
    assert m["accuracy"] == pytest.approx((m["TP"] + m["TN"]) / 120)


def test_lower_threshold_says_yes_more_often(trained):
    yes = [int(city_predictions(trained, threshold)["predicted"].sum()) for threshold in (0.9, 0.5, 0.1)]
    recall = [map_metrics(city_predictions(trained, threshold))["recall"] for threshold in (0.9, 0.5, 0.1)]
    assert yes == sorted(yes) and yes[0] < yes[-1]
    assert recall == sorted(recall)


def test_outcomes_follow_label_and_verdict(trained):
    predictions = city_predictions(trained)
    expected = np.array([["TN", "FP"], ["FN", "TP"]])[predictions["label"], predictions["predicted"]]
    assert (predictions["outcome"] == expected).all()
    assert (predictions["predicted"] == (predictions["probability"] >= 0.5)).all()


def test_confident_mistakes_come_surest_first():
    predictions = pd.DataFrame(
        {
            "city": list("abcde"),
            "country": ["X"] * 5,
            "lat": [0.0] * 5,
            "lng": [0.0] * 5,
            "probability": [0.9, 0.6, 0.05, 0.3, 0.99],
            "label": [0, 0, 1, 1, 1],
            "predicted": [1, 1, 0, 0, 1],
            "outcome": ["FP", "FP", "FN", "FN", "TP"],
        }
    )
    assert list(confident_mistakes(predictions)["city"]) == ["c", "a", "d", "b"]
    assert list(confident_mistakes(predictions, count=1)["city"]) == ["c"]


# --- live settings keep the model -------------------------------------------------------------


def test_class_weight_and_threshold_are_live_but_layers_are_not():
    base = small()
    assert structure_key(base) == structure_key(base.replace(class_weights="1,5", threshold=0.3, learning_rate=0.1))
    assert structure_key(base) != structure_key(base.replace(hidden_layers="8:relu"))
    assert structure_key(base) != structure_key(base.replace(country="Elsewhere"))


def test_live_class_weights_apply_to_the_coming_steps_without_reset():
    lab = build_lab(small(), toy_table())
    lab.trainer.run(2)
    update_live_settings(lab, lab.experiment.replace(class_weights="1,7"))
    weights = lab.trainer._w_train.numpy()
    assert lab.trainer.epoch == 2
    assert set(np.unique(weights)) == {1.0, 7.0} and (weights[lab.trainer.data.y_train == 1] == 7).all()
    update_live_settings(lab, lab.experiment.replace(balanced_weights=True))
    counts = np.bincount(lab.trainer.data.y_train)
    assert np.unique(lab.trainer._w_train.numpy()) == pytest.approx(sorted(480 / (2 * counts)))


def test_balanced_weights_make_both_classes_weigh_the_same():
    data, _ = split_cities(toy_table(), small(balanced_weights=True))
    weights = np.asarray(class_weights_for(small(balanced_weights=True).train, data))[data.y_train]
    assert weights[data.y_train == 0].sum() == pytest.approx(weights[data.y_train == 1].sum())


# --- the world surface and the views ----------------------------------------------------------


def test_mercator_rows_are_evenly_spaced_in_mercator_y():
    lat = mercator_latitudes(120)
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))
    assert np.all(np.diff(lat) < 0) and -60 < lat[-1] < lat[0] < 85
    assert np.allclose(np.diff(y), np.diff(y)[0])


def test_world_surface_is_a_probability_image(trained):
    surface = world_surface(trained.trainer, columns=60, rows=30)
    assert surface.shape == (30, 60) and surface.min() >= 0 and surface.max() <= 1
    # Northland's corner (north-east) is "yes", the south-west is "no".
    assert surface[5, 50] > 0.5 > surface[25, 10]


def test_russia_view_spans_the_antimeridian(world):
    russia = world[world["country"] == "Russia"]
    view = country_view(russia["lat"].to_numpy(), russia["lng"].to_numpy())
    assert 80 < view.longitude < 120 and 50 < view.latitude < 65 and 0.5 < view.zoom < 2


def test_small_country_view_zooms_in(world):
    france = world[world["country"] == "France"]
    view = country_view(france["lat"].to_numpy(), france["lng"].to_numpy())
    assert view.latitude == pytest.approx(46, abs=3) and view.longitude == pytest.approx(2.5, abs=4)
    assert view.zoom > 3


# --- stability (seed 000's stopping rule) ------------------------------------------------------


def test_unchanged_streak_replays_the_seeds_printed_runs():
    # Seed 000's seven runs of the minimal net: it stopped after the 7th with mean 0.9713.
    ps = [0.9645010, 0.9815058, 0.9672937, 0.9789757, 0.9678392, 0.9581680, 0.9810332]
    assert [unchanged_streak(ps[:n]) for n in range(1, 8)] == [0, 0, 1, 2, 3, 4, 5]
    assert running_means(ps)[-1] == pytest.approx(0.9713309, abs=1e-6)


def test_stability_runs_use_new_splits_and_report_their_mistakes():
    table, experiment = toy_table(), small(epochs=3)
    first, second = stability_run(experiment, table, 0), stability_run(experiment, table, 1)
    assert 0.5 <= first.p <= 1 and set(first.mistakes["outcome"]) <= {"FP", "FN"}
    assert stability_run(experiment, table, 0).p == first.p  # same run number, same everything
    assert not first.mistakes["city"].equals(second.mistakes["city"]) or first.p != second.p


# --- cost -----------------------------------------------------------------------------------------


def test_cost_report_puts_the_exact_count_beside_the_seeds():
    report = cost_report(MINIMAL, n_train=27_204)
    assert report.seed_hand_count == 92_160
    assert report.per_run == 20 * report.cost.per_epoch
    assert report.cost.steps_per_epoch == math.ceil(27_204 / 32)


# --- the deck: offline, text tooltips, one layer per outcome ---------------------------------------


def test_deck_needs_no_network_and_escapes_nothing_into_html(trained):
    predictions = city_predictions(trained).assign(city="<b>Bold</b> & <script>x</script>")
    layers = [
        maps.surface_layer(world_surface(trained.trainer, 40, 20), 0.5, -60, 85),
        maps.borders_layer(),
        *maps.outcome_layers(predictions),
    ]
    built = maps.world_deck(layers, 30, 10, 1, "{city}\n{p}")
    deck = json.loads(built.to_json())
    text = json.dumps(deck)
    assert "http" not in text and "mapbox" not in text and "carto" not in text
    assert deck.get("mapStyle", "__MAP_STYLE__") == "__MAP_STYLE__"  # Streamlit adds no basemap for the sentinel
    assert built._tooltip == {"text": "{city}\n{p}"}  # what st.pydeck_chart sends; text is never parsed as HTML
    ids = [layer["id"] for layer in deck["layers"]]
    assert ids == ["surface", "borders", "outcome-TN", "outcome-TP", "outcome-FP", "outcome-FN"]
    assert deck["layers"][0]["image"].startswith("data:image/png;base64,")
    assert len(deck["layers"][1]["data"]["features"]) > 150


def test_city_points_are_rounded_and_carry_the_tooltip_text(trained):
    rows = maps.city_points(city_predictions(trained).head(3))
    assert set(rows[0]) == {"lng", "lat", "city", "country", "p"}
    assert all(round(r["lat"], 3) == r["lat"] and len(r["p"]) == 5 for r in rows)


def test_surface_is_clearly_stronger_above_the_threshold():
    alpha = maps.surface_rgba(np.array([[0.0, 0.29, 0.31, 1.0]]), threshold=0.3)[0, :, 3]
    assert alpha[0] == 0 and alpha[1] < alpha[2] < alpha[3]
    assert alpha[2] - alpha[1] > 40


# --- issue 20: on the projector ----------------------------------------------------------------------


def test_the_surface_is_drawn_smooth_not_in_steps():
    # A step between two cells becomes a ramp on the finer image: the threshold's edge is a curve.
    cells = np.array([[0.0, 1.0], [0.0, 1.0]])
    fine = maps.upsampled(cells, 4)
    assert fine.shape == (8, 8)
    assert np.allclose(fine[0], fine[-1]) and np.all(np.diff(fine[0]) >= 0)
    assert fine[0, 0] == 0 and fine[0, -1] == 1 and 0 < fine[0, 3] < 1
    assert np.array_equal(maps.upsampled(cells, 1), cells)
    layer = maps.surface_layer(np.full((4, 6), 0.7), 0.5, -60, 85)
    assert layer.bounds == [-180.0, -60.0, 180.0, 85.0]


def test_surface_covers_the_view_with_square_cells(trained):
    from nnlab.worldmap import WORLD_BOUNDS, WORLD_VIEW, View, view_bounds

    assert view_bounds(WORLD_VIEW) == WORLD_BOUNDS
    france = view_bounds(View(46.0, 2.0, 5.0))
    assert -30 < france.west < -10 and 15 < france.east < 35 and 30 < france.south < 46 < france.north < 60
    edge = view_bounds(View(60.0, 170.0, 3.0))  # never past the antimeridian or Mercator's poles
    assert edge.east == 180 and edge.north <= 85
    surface = world_surface(trained.trainer, 60, bounds=france)
    mercator = math.log(math.tan(math.pi / 4 + math.radians(france.north) / 2)) - math.log(
        math.tan(math.pi / 4 + math.radians(france.south) / 2)
    )
    assert surface.shape == (round(60 * mercator / math.radians(france.east - france.west)), 60)  # square cells
    layer = maps.surface_layer(surface, 0.5, bounds=france)
    assert layer.bounds == [france.west, france.south, france.east, france.north]


def test_untrained_verdicts_are_small_faint_dots_without_rings():
    predictions = pd.DataFrame(
        {
            "lng": [0.0] * 4,
            "lat": [0.0] * 4,
            "city": list("abcd"),
            "country": ["X"] * 4,
            "probability": [0.1, 0.9, 0.8, 0.2],
            "outcome": ["TN", "TP", "FP", "FN"],
        }
    )
    trained_layers = {layer.id: layer for layer in maps.outcome_layers(predictions, radius=4)}
    untrained = {layer.id: layer for layer in maps.outcome_layers(predictions, radius=4, trained=False)}
    assert set(untrained) == set(trained_layers)
    for name, layer in untrained.items():
        assert not layer.stroked and layer.get_fill_color[3] < 255
        assert layer.get_radius <= trained_layers[name].get_radius
    assert untrained["outcome-FP"].get_radius <= trained_layers["outcome-TN"].get_radius


def test_mistakes_rings_stay_apart_for_every_colour_vision():
    from nnlab.viz import palette
    from tests.test_palette import too_close

    rings = {name: color for name, color in palette.OUTCOME_OUTLINES.items() if color}
    assert set(rings) == {"FP", "FN"}
    assert too_close({f"{name} ring": color for name, color in rings.items()}) == []
    for name, ring in rings.items():  # a ring is seen against its own fill and the violet surface under it
        assert too_close({"ring": ring, "fill": palette.OUTCOME_COLORS[name]}) == []
        assert too_close({"ring": ring, "surface": palette.SURFACE}) == []
    assert rings["FP"] != palette.INK  # many false alarms before training must not paint a continent black
