"""Seed 000's lab: is a city in country X, from its latitude and longitude alone?

A city table (see `nnlab.data.cities`) becomes a seeded split of (lat, lng) points with
label 1 for the target country; the network's verdicts on the test cities are TP / TN /
FP / FN, and p = ½(TPR + TNR) is the headline because 97 % of cities are "no".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from nnlab import playground
from nnlab.cost import Cost, count_cost, seed_hand_count
from nnlab.data.cities import city_labels, shipped_cities
from nnlab.data.dataset import Dataset, split_indices
from nnlab.metrics import classification_metrics, outcome_labels, predicted_classes
from nnlab.spec import Experiment, SpecError, live_keys
from nnlab.train import Trainer

CLASS_NAMES = ("elsewhere", "in the country")
# The seed's world panel spans latitudes -60 … 90; Web Mercator stops at ±85.05.
WORLD_LAT = (-60.0, 85.0)
# Changing only these keeps the trained model: they act on the coming steps or on the verdicts.
LIVE_KEYS = live_keys("cities")  # the toy lab's, and the threshold and class weights


@dataclass
class CityLab:
    """One session's map experiment: the table, which rows are test cities, and the trainer."""

    experiment: Experiment
    table: pd.DataFrame  # city, country, lat, lng (, label)
    test_rows: np.ndarray  # row numbers of the test cities in `table`
    trainer: Trainer


def split_cities(table: pd.DataFrame, experiment: Experiment) -> tuple[Dataset, np.ndarray]:
    """The seeded stratified split of (lat, lng) points, and the test cities' row numbers."""
    y = city_labels(table, experiment.data.country)
    x = table[["lat", "lng"]].to_numpy(np.float32)
    train, test = split_indices(y, experiment.train.train_ratio, experiment.train.seed, 2)
    if experiment.train.batch_size > len(train):
        raise SpecError("error_batch_larger_than_cities", batch=experiment.train.batch_size, n_train=len(train))
    arrays = [np.ascontiguousarray(a) for a in (x[train], y[train], x[test], y[test])]
    for array in arrays:
        array.setflags(write=False)
    return Dataset("cities", *arrays, class_names=CLASS_NAMES), test


def build_lab(experiment: Experiment, table: pd.DataFrame) -> CityLab:
    """Split the table and build a fresh, seeded trainer on it (0.5–1 s: builds and traces)."""
    data, test_rows = split_cities(table, experiment)
    return CityLab(experiment, table, test_rows, Trainer(experiment.model, experiment.train, data))


def structure_key(experiment: Experiment) -> tuple:
    """Everything that needs a new city model when it changes (all but this lab's LIVE_KEYS)."""
    return playground.structure_key(experiment, LIVE_KEYS)


def update_live_settings(lab: CityLab, experiment: Experiment) -> None:
    """Apply a new learning rate, class weights, threshold or epoch cap without retraining."""
    trainer, new = lab.trainer, experiment.train
    if new.learning_rate != trainer.train_spec.learning_rate:
        trainer.set_learning_rate(new.learning_rate)
    if (new.class_weights, new.balanced_weights) != (
        trainer.train_spec.class_weights,
        trainer.train_spec.balanced_weights,
    ):
        trainer.set_class_weights(new)
    lab.experiment = experiment


def input_names(experiment: Experiment, n_inputs: int) -> list[str]:
    """What the network reads, as export columns."""
    return ["lat", "lng"]


def script_rows(lab: CityLab) -> None:
    """The table is embedded in a script: no shipped rows to refer to by number."""
    return None


def city_predictions(lab: CityLab, threshold: float | None = None) -> pd.DataFrame:
    """One row per test city: city, country, lat, lng, probability, label, predicted, outcome."""
    threshold = lab.experiment.train.threshold if threshold is None else threshold
    data = lab.trainer.data
    probabilities = lab.trainer.predict(data.x_test)
    predicted = predicted_classes(probabilities, threshold)
    frame = lab.table.iloc[lab.test_rows][["city", "country", "lat", "lng"]].reset_index(drop=True)
    return frame.assign(
        probability=probabilities[:, 1],
        label=data.y_test,
        predicted=predicted,
        outcome=outcome_labels(data.y_test, predicted),
    )


def map_metrics(predictions: pd.DataFrame) -> dict[str, float]:
    """p (balanced accuracy) and the rest, the "always say no" accuracy, and the four counts."""
    y = predictions["label"].to_numpy()
    positive = predictions["probability"].to_numpy(np.float64)
    probabilities = np.stack([1 - positive, positive], axis=1)
    # Metrics at the chosen threshold: pass the verdicts as certain probabilities, keep the real loss.
    verdicts = np.eye(2)[predictions["predicted"].to_numpy()]
    metrics = classification_metrics(y, verdicts) | {"loss": classification_metrics(y, probabilities)["loss"]}
    counts = predictions["outcome"].value_counts()
    return metrics | {
        "always_no_accuracy": float((y == 0).mean()),
        **{name: int(counts.get(name, 0)) for name in ("TP", "TN", "FP", "FN")},
    }


def evaluate(lab: CityLab) -> dict[str, float]:
    """Held-out metrics at the experiment's threshold (see `map_metrics`) plus `train_accuracy`."""
    data, threshold = lab.trainer.data, lab.experiment.train.threshold
    train = classification_metrics(data.y_train, lab.trainer.predict(data.x_train), threshold)
    return map_metrics(city_predictions(lab)) | {"train_accuracy": train["accuracy"]}


def confident_mistakes(predictions: pd.DataFrame, count: int = 10) -> pd.DataFrame:
    """The wrong verdicts the model was surest of: FP with the highest, FN with the lowest probability."""
    wrong = predictions[predictions["outcome"].isin(["FP", "FN"])]
    confidence = np.where(wrong["outcome"] == "FP", wrong["probability"], 1 - wrong["probability"])
    order = np.argsort(-confidence, kind="stable")[:count]
    return wrong.iloc[order][["city", "country", "lat", "lng", "outcome", "probability"]].reset_index(drop=True)


def mercator_latitudes(rows: int, south: float = WORLD_LAT[0], north: float = WORLD_LAT[1]) -> np.ndarray:
    """Row-centre latitudes, north first, equally spaced in Web Mercator y (so an image stretched
    between the corners on the map puts every row where it belongs)."""
    y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    step = (y(north) - y(south)) / rows
    centres = y(north) - step * (np.arange(rows) + 0.5)
    return np.degrees(2 * np.arctan(np.exp(centres)) - math.pi / 2)


@dataclass(frozen=True)
class Bounds:
    """A lng/lat box on the map: what a surface image covers."""

    west: float
    south: float
    east: float
    north: float


WORLD_BOUNDS = Bounds(-180.0, WORLD_LAT[0], 180.0, WORLD_LAT[1])
SURFACE_COLUMNS = 360  # probabilities across the box (the image is drawn smoother still: nnlab.viz.maps)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def world_surface(
    trainer: Trainer, columns: int = SURFACE_COLUMNS, rows: int | None = None, bounds: Bounds = WORLD_BOUNDS
) -> np.ndarray:
    """P(in the country) over `bounds`, (rows, columns), north-west corner first; `rows` None: square
    cells on the map (Web Mercator)."""
    if rows is None:
        height = _mercator_y(bounds.north) - _mercator_y(bounds.south)
        rows = max(2, round(columns * height / math.radians(bounds.east - bounds.west)))
    lng = bounds.west + (bounds.east - bounds.west) * (np.arange(columns) + 0.5) / columns
    lat = mercator_latitudes(rows, bounds.south, bounds.north)
    grid = np.stack(np.meshgrid(lat, lng, indexing="ij"), axis=-1).reshape(-1, 2).astype(np.float32)
    return trainer.predict(grid)[:, 1].reshape(rows, columns)


@dataclass(frozen=True)
class View:
    latitude: float
    longitude: float
    zoom: float


WORLD_VIEW = View(30.0, 10.0, 1.0)
MAP_PIXELS = (1100, 520)  # about the deck's size on a 1400 px page


def view_bounds(view: View, width: int = MAP_PIXELS[0], height: int = MAP_PIXELS[1], margin: float = 2.0) -> Bounds:
    """The box a `width`×`height` map centred on `view` shows, `margin` times as large (room to pan),
    within the world: a surface drawn over it has about as many cells on screen at any zoom."""
    if view.zoom <= WORLD_VIEW.zoom:
        return WORLD_BOUNDS
    per_pixel = 2 * math.pi / (512 * 2**view.zoom)  # Web Mercator: 512 px span the world at zoom 0
    half_lng = math.degrees(per_pixel * width / 2 * margin)
    y, half_y = _mercator_y(float(np.clip(view.latitude, *WORLD_LAT))), per_pixel * height / 2 * margin
    latitude = lambda y: math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)  # noqa: E731
    south, north = max(WORLD_LAT[0], latitude(y - half_y)), min(WORLD_LAT[1], latitude(y + half_y))
    west, east = max(-180.0, view.longitude - half_lng), min(180.0, view.longitude + half_lng)
    if east - west < 1e-6 or north - south < 1e-6:
        return WORLD_BOUNDS
    return Bounds(west, south, east, north)


def country_view(lat: np.ndarray, lng: np.ndarray) -> View:
    """A view of the smallest longitude arc holding every point (Russia's spans the antimeridian)."""
    order = np.sort(np.asarray(lng, np.float64))
    gaps = np.diff(np.concatenate([order, [order[0] + 360]]))
    widest = int(np.argmax(gaps))
    west = order[(widest + 1) % len(order)]
    span_lng = 360 - gaps[widest]
    centre_lng = (west + span_lng / 2 + 180) % 360 - 180
    span_lat = float(np.ptp(lat))
    span = max(span_lng / 360 * 1.2, span_lat / 170 * 1.6, 1e-3)
    zoom = float(np.clip(math.log2(1 / span), 0.5, 9))
    return View(float((np.max(lat) + np.min(lat)) / 2), float(centre_lng), zoom)


@dataclass(frozen=True)
class CostReport:
    """Our exact count next to the seed's hand count for the same network and run length."""

    cost: Cost
    per_run: int  # every epoch of the run
    seed_hand_count: int


def cost_report(experiment: Experiment, n_train: int) -> CostReport:
    """Multiplications of training `experiment` on `n_train` cities (2 inputs, one sigmoid output)."""
    model, train = experiment.model, experiment.train
    cost = count_cost(model, 2, 2, n_train, train.batch_size, train.optimizer)
    hand = seed_hand_count(model, 2, train.batch_size, train.epochs, train.optimizer)
    return CostReport(cost, cost.per_epoch * train.epochs, hand)


@dataclass(frozen=True)
class StabilityRun:
    """One run of seed 000's stability experiment: a fresh split and fresh weights."""

    run: int
    p: float
    mistakes: pd.DataFrame  # the run's FP and FN test cities


def stability_run(experiment: Experiment, table: pd.DataFrame | None, run: int) -> StabilityRun:
    """Train run number `run` (seed + run drives its split, weights and shuffling) to the end.

    `table` None: the shipped cities (a sweep worker reads them itself instead of receiving them).
    """
    if table is None:
        table = shipped_cities()
    seeded = replace(experiment, train=replace(experiment.train, seed=experiment.train.seed + run))
    lab = build_lab(seeded, table)
    lab.trainer.run(seeded.train.epochs)
    predictions = city_predictions(lab)
    mistakes = predictions[predictions["outcome"].isin(["FP", "FN"])].reset_index(drop=True)
    return StabilityRun(run, map_metrics(predictions)["balanced_accuracy"], mistakes)


def running_means(ps: list[float]) -> list[float]:
    """Mean p after each run."""
    return list(np.cumsum(ps) / np.arange(1, len(ps) + 1)) if ps else []


def unchanged_streak(ps: list[float], decimals: int = 2) -> int:
    """Runs in a row after which the rounded mean p did not move (the seed's counter)."""
    streak, previous = 0, None
    for mean in running_means(ps):
        rounded = round(mean, decimals)
        streak = streak + 1 if rounded == previous else 0
        previous = rounded
    return streak
