"""The 2-D lab: toy points, features, a trainer, and what to draw over the plane."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from nnlab.augment import jitter
from nnlab.backend import keras
from nnlab.data.dataset import Dataset
from nnlab.data.features import expand_features
from nnlab.data.points import OwnPoints, points_dataset
from nnlab.data.toy import make_dataset
from nnlab.frames import FrameLog, ProbeLayout
from nnlab.metrics import classification_metrics, regression_metrics
from nnlab.models import dense_layers
from nnlab.spec import Experiment, live_keys
from nnlab.train import Trainer

# Changing only these keeps the model (as TF Playground does); anything else rebuilds it.
LIVE_KEYS = live_keys("toy")  # what a running lab takes without a new model: the settings table says
# The player's grids: the boundary at 50×50 (drawn smoothed, as TF Playground's 100×100 looks at
# its size) and each neuron's map at 12×12 (TF Playground's thumbnails are 10×10).
BOUNDARY_RESOLUTION = 50
NEURON_RESOLUTION = 12


@dataclass
class ToyLab:
    """One session's experiment: raw points to draw, and a trainer on their features."""

    experiment: Experiment
    points: Dataset
    trainer: Trainer


@dataclass(frozen=True)
class PlaneMaps:
    """Model outputs over a square grid of the plane, rows from top (high x2) to bottom."""

    extent: float  # the grid spans [-extent, extent]²
    probabilities: np.ndarray  # (r, r, k)
    hidden: list[np.ndarray]  # per hidden layer (r, r, units)
    inputs: np.ndarray  # (r, r, n_features): the feature maps themselves


def build_lab(experiment: Experiment, uploaded: OwnPoints | None = None, clicked: OwnPoints | None = None) -> ToyLab:
    """Points, features and a fresh trainer for `experiment` (0.1–0.8 s: builds and traces).

    `uploaded`: the student's own file, used when the dataset is "custom"; `clicked`: points placed by
    clicking on the plane, added to the training set (see nnlab.data.points).
    """
    points = points_dataset(experiment, uploaded, clicked)
    trainer = Trainer(
        experiment.model, experiment.train, features_of(points, experiment), probe=probe_grid(points, experiment)
    )
    return ToyLab(experiment, points, trainer)


def run_lab(experiment: Experiment, data: None = None, augment: float = 0.0) -> ToyLab:
    """A Generalization run's lab: with `augment` > 0, every training point is jittered by up to `augment`
    data units."""
    if augment == 0:
        return build_lab(experiment)
    seed = experiment.train.seed
    points = jitter(make_dataset(experiment.data, experiment.train.train_ratio, seed), augment, seed)
    return ToyLab(experiment, points, Trainer(experiment.model, experiment.train, features_of(points, experiment)))


def run_pictures(lab: ToyLab, resolution: int) -> dict:
    """What a Generalization run keeps to draw: its points and its class map."""
    maps = plane_maps(lab, resolution)
    return {"points": lab.points, "probabilities": maps.probabilities, "extent": maps.extent}


def input_names(experiment: Experiment, n_inputs: int) -> list[str]:
    """What the network reads, as export columns: the chosen features."""
    return list(experiment.model.features)


def script_rows(lab: ToyLab) -> None:
    """Points are embedded in a script: no shipped rows to refer to by number."""
    return None


def probe_grid(points: Dataset, experiment: Experiment) -> np.ndarray:
    """The player's grids in feature space: the boundary grid, then the coarser neuron-map grid."""
    extent = plane_extent(points)
    grid = np.vstack([plane_grid(extent, BOUNDARY_RESOLUTION), plane_grid(extent, NEURON_RESOLUTION)])
    return expand_features(grid, experiment.model.features)


def record_frames(lab: ToyLab, every: int = 1, neurons: bool = True) -> FrameLog:
    """Have the lab's trainer keep frames for the player (every `every` epochs), starting with the model now.

    `neurons` False: the boundary only (a page without the network diagram sends no neuron maps).
    """
    layout = ProbeLayout(
        BOUNDARY_RESOLUTION,
        NEURON_RESOLUTION if neurons else 0,
        binary=lab.trainer.binary,
        weights=neurons,
        regression=lab.trainer.regression,
    )
    lab.trainer.recorder = FrameLog(layout, n_layers=len(lab.experiment.model.hidden_layers) + 1, every=every)
    lab.trainer.record_now()
    return lab.trainer.recorder


def features_of(points: Dataset, experiment: Experiment) -> Dataset:
    """The same split with each point replaced by the experiment's input features."""
    names = experiment.model.features
    return Dataset(
        points.name,
        expand_features(points.x_train, names),
        points.y_train,
        expand_features(points.x_test, names),
        points.y_test,
        points.class_names,
    )


def structure_key(experiment: Experiment, live_keys: tuple[str, ...] = LIVE_KEYS) -> tuple:
    """Everything that needs a new model when it changes (all but `live_keys`).

    A learning-rate schedule spans the run's epochs, so under one the epoch count starts the run again:
    stretched mid-run, a cosine that had reached zero would leave the added epochs with nothing to learn.
    """
    if experiment.train.lr_schedule != "constant":
        live_keys = tuple(key for key in live_keys if key != "epochs")
    return tuple(sorted((k, v) for k, v in experiment.to_dict().items() if k not in live_keys))


def update_live_settings(lab, experiment: Experiment) -> None:
    """Apply a new learning rate or epoch cap to a running lab without resetting it."""
    if experiment.train.learning_rate != lab.trainer.train_spec.learning_rate:
        lab.trainer.set_learning_rate(experiment.train.learning_rate)
    lab.experiment = experiment


STUCK_EPOCHS = 50  # a loss that moved less than STUCK_CHANGE over this many epochs is stuck
STUCK_CHANGE = 0.01  # relative change of the training loss
SMALL_LEARNING_RATE = 0.001
SPIRAL_NEURONS = 12  # fewer hidden neurons than this rarely wrap a boundary round the spiral on x₁, x₂


def stuck_reason(experiment: Experiment, history: list) -> str | None:
    """Why a run's loss has stopped moving, for a hint: "small_lr", "few_neurons", "flat", or None (still
    learning, too early to say, or done: a run that scores 95 % or more is finished, not stuck)."""
    if len(history) < STUCK_EPOCHS or experiment.model.init == "zeros":  # zeros: the page's symmetry note says why
        return None
    recent = [event.train_loss for event in history[-STUCK_EPOCHS:]]
    if max(recent) - min(recent) > STUCK_CHANGE * max(abs(recent[0]), 1e-9) or history[-1].train_accuracy >= 0.95:
        return None
    if experiment.train.learning_rate <= SMALL_LEARNING_RATE:
        return "small_lr"
    if experiment.data.dataset == "spiral" and hidden_neurons(experiment) < SPIRAL_NEURONS:
        return "few_neurons"
    return "flat"


def hidden_neurons(experiment: Experiment) -> int:
    return sum(layer.units for layer in experiment.model.hidden_layers)


def plane_extent(points: Dataset) -> float:
    """Half-width of the drawn square: the data plus a margin, in steps of 0.5."""
    largest = max(np.abs(points.x_train).max(), np.abs(points.x_test).max())
    return max(1.0, math.ceil(largest * 1.1 * 2) / 2)


def plane_grid(extent: float, resolution: int) -> np.ndarray:
    """(resolution², 2) cell centres, row-major from the top-left corner."""
    step = 2 * extent / resolution
    centres = -extent + step * (np.arange(resolution) + 0.5)
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)


def plane_maps(lab: ToyLab, resolution: int = 100) -> PlaneMaps:
    """Output probabilities and every hidden neuron's activation over the plane, one forward pass."""
    extent = plane_extent(lab.points)
    features = expand_features(plane_grid(extent, resolution), lab.experiment.model.features)
    *hidden, out = lab.trainer.layer_outputs(features)
    shape = (resolution, resolution, -1)
    return PlaneMaps(extent, out.reshape(shape), [h.reshape(shape) for h in hidden], features.reshape(shape))


def evaluate(lab: ToyLab) -> dict[str, float]:
    """Held-out metrics (see `classification_metrics`) plus `train_accuracy`; for regression
    `regression_metrics` plus `train_r2` and `train_rmse`."""
    trainer, data, threshold = lab.trainer, lab.trainer.data, lab.experiment.train.threshold
    if trainer.regression:
        train = regression_metrics(data.y_train, trainer.predict(data.x_train))
        return {
            **regression_metrics(data.y_test, trainer.predict(data.x_test)),
            "train_r2": train["r2"],
            "train_rmse": train["rmse"],
        }
    metrics = classification_metrics(data.y_test, trainer.predict(data.x_test), threshold)
    train = classification_metrics(data.y_train, trainer.predict(data.x_train), threshold)
    return {**metrics, "train_accuracy": train["accuracy"]}


@dataclass(frozen=True)
class Baseline:
    """Seed 003's logistic regression on the raw (x1, x2), drawn and scored like the network."""

    train_accuracy: float
    test_accuracy: float
    probabilities: np.ndarray  # (r, r, k) over the same plane


def logistic_baseline(points: Dataset, resolution: int = 100) -> Baseline:
    """Fit scikit-learn's LogisticRegression, as seed 003 does, and score it."""
    classifier = LogisticRegression(max_iter=1000).fit(points.x_train, points.y_train)
    grid = plane_grid(plane_extent(points), resolution)
    return Baseline(
        float(classifier.score(points.x_train, points.y_train)),
        float(classifier.score(points.x_test, points.y_test)),
        classifier.predict_proba(grid).reshape(resolution, resolution, -1),
    )


@dataclass(frozen=True)
class NeuronMath:
    """One neuron's arithmetic on one point: z = Σ wᵢ·xᵢ + b, then a = φ(z)."""

    input_names: list[str]  # what the layer receives (scaled features, or the previous layer's outputs)
    inputs: np.ndarray  # (n_in,)
    weights: np.ndarray  # (n_in,)
    bias: float  # 0 when the layer has no bias
    z: float
    activation: str
    a: float  # the neuron's output; for softmax, its share of all the output neurons


def neuron_math(trainer, point: np.ndarray, layer: int, unit: int, input_names: list[str]) -> NeuronMath:
    """The live numbers of Dense layer `layer` (0-based, output last), neuron `unit`, for one input row.

    The inputs are read from the model itself (after scaling, batch norm; dropout is off when predicting),
    and `a` is recomputed from z with the layer's own activation, so what the page shows is what the model does.
    """
    dense = dense_layers(trainer.model)[layer]
    # The model is a chain (nnlab.models): its layers before this one, called in turn, give the layer's input
    # (a keras.Model built per call cost more than the rest of a live tick).
    x = keras.ops.convert_to_tensor(point.reshape(1, -1).astype(np.float32))
    for before in trainer.model.layers[: trainer.model.layers.index(dense)]:
        if not isinstance(before, keras.layers.InputLayer):
            x = before(x, training=False)
    inputs = np.asarray(x)[0]
    kernel = dense.kernel.numpy()
    biases = dense.bias.numpy() if dense.use_bias else np.zeros(kernel.shape[1], np.float32)
    all_z = inputs @ kernel + biases
    activation = keras.activations.serialize(dense.activation)
    activation = activation if isinstance(activation, str) else activation.get("config", {}).get("name", "linear")
    outputs = np.asarray(dense.activation(all_z.reshape(1, -1).astype(np.float32)))[0]
    if layer > 0:
        input_names = [f"h{layer}.{j + 1}" for j in range(len(inputs))]
    return NeuronMath(
        list(input_names),
        inputs,
        kernel[:, unit],
        float(biases[unit]),
        float(all_z[unit]),
        activation,
        float(outputs[unit]),
    )
