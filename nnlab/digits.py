"""Seeds 001 and 004's lab: a dense network reads handwritten digits, and its hidden units become pictures.

Each first-layer unit has one weight per pixel, so its weights drawn as an image show the
stroke pattern it responds to. L2 (seed 004's λ) smooths those pictures and, past λ ≈ 1,
costs training accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from nnlab import playground
from nnlab.augment import augment_images
from nnlab.data.dataset import Dataset, split_indices
from nnlab.data.digits import DigitImages, stratified_subset
from nnlab.frames import FrameLog, ProbeLayout
from nnlab.metrics import classification_metrics
from nnlab.models import dense_layers
from nnlab.spec import Experiment, SpecError, live_keys
from nnlab.train import Trainer

CLASS_NAMES = tuple(str(digit) for digit in range(10))
SEED_LAMBDAS = (0.0, 0.001, 0.01, 1.0, 10.0, 30.0)  # seed 004's sweep


@dataclass
class DigitsLab:
    """One session's digits experiment: the images used, the test images, and the trainer."""

    experiment: Experiment
    digits: DigitImages
    test_images: np.ndarray  # (n_test, side, side), in the order of trainer.data.x_test
    trainer: Trainer


def digits_dataset(
    digits: DigitImages, experiment: Experiment, class_names: tuple[str, ...] = CLASS_NAMES
) -> tuple[Dataset, np.ndarray]:
    """Flattened pixels (row by row, colour channels last) split by the experiment's seed and ratio (up to
    `samples` images), and the test images."""
    subset = stratified_subset(digits, experiment.data.samples, experiment.train.seed)
    x = subset.images.reshape(len(subset), -1).astype(np.float32)
    train, test = split_indices(subset.labels, experiment.train.train_ratio, experiment.train.seed, 10)
    if experiment.train.batch_size > len(train):
        raise SpecError("error_batch_larger_than_images", batch=experiment.train.batch_size, n_train=len(train))
    arrays = [np.ascontiguousarray(a) for a in (x[train], subset.labels[train], x[test], subset.labels[test])]
    for array in arrays:
        array.setflags(write=False)
    return Dataset(subset.source, *arrays, class_names=class_names), subset.images[test]


def build_lab(experiment: Experiment, digits: DigitImages) -> DigitsLab:
    """A fresh, seeded trainer on the digits (pixels are already in [0, 1]: no standardizing)."""
    data, test_images = digits_dataset(digits, experiment)
    return DigitsLab(
        experiment, digits, test_images, Trainer(experiment.model, experiment.train, data, standardize=False)
    )


def run_lab(experiment: Experiment, digits: DigitImages, augment: float = 0.0) -> DigitsLab:
    """A Generalization run's lab: with `augment` > 0, turned and shifted copies (augment × (±10°, ±0.5 px))
    follow the training images."""
    data, test_images = digits_dataset(digits, experiment)
    if augment > 0:
        data = augment_images(data, digits.side, augment, experiment.train.seed)
    return DigitsLab(
        experiment, digits, test_images, Trainer(experiment.model, experiment.train, data, standardize=False)
    )


def run_pictures(lab: DigitsLab, resolution: int) -> dict:
    """What a Generalization run keeps to draw: the first layer's units as pictures (none without a hidden layer)."""
    has_units = bool(lab.experiment.model.hidden_layers)
    return {"unit_images": first_layer_weights(lab.trainer, lab.digits.side) if has_units else None}


def structure_key(experiment: Experiment) -> tuple:
    """Everything that needs a new model when it changes (all but what the settings table marks live here)."""
    return playground.structure_key(experiment, live_keys("images"))


def update_live_settings(lab: DigitsLab, experiment: Experiment) -> None:
    """Apply a new learning rate or epoch cap without retraining, as on the playground."""
    playground.update_live_settings(lab, experiment)


def input_names(experiment: Experiment, n_inputs: int) -> list[str]:
    """One export column per pixel."""
    return [f"pixel_{i}" for i in range(n_inputs)]


def script_rows(lab: DigitsLab) -> np.ndarray | None:
    """MNIST's labels, so a script names its rows by number and lets Keras download the images; other
    images (the bundled 8×8 digits, an upload) are embedded: None."""
    return lab.digits.labels if lab.experiment.data.dataset == "mnist" else None


def record_unit_frames(lab: DigitsLab, every: int = 1) -> FrameLog:
    """Have the trainer keep frames of its first hidden layer's weights as pictures (seed 004's grid) for the player;
    with no hidden layer, the metrics alone."""
    side = lab.digits.side if lab.experiment.model.hidden_layers else 0
    layout = ProbeLayout(0, 0, binary=False, tiles=side, weights=False)
    lab.trainer.recorder = FrameLog(layout, n_layers=len(lab.experiment.model.hidden_layers) + 1, every=every)
    lab.trainer.record_now()
    return lab.trainer.recorder


def evaluate(lab: DigitsLab) -> dict[str, float]:
    """Held-out metrics (macro precision/recall/F1 over the ten digits) plus `train_accuracy`."""
    data, trainer = lab.trainer.data, lab.trainer
    train = classification_metrics(data.y_train, trainer.predict(data.x_train))
    return classification_metrics(data.y_test, trainer.predict(data.x_test)) | {"train_accuracy": train["accuracy"]}


def model_summary(trainer: Trainer) -> pd.DataFrame:
    """Keras's summary as a table: layer, type, output shape, weights, biases, parameters (= count_params()); every
    layer after the input, convolutions and pooling included (the Convolution lab shows the same table)."""
    rows = []
    for layer in trainer.model.layers[1:]:
        kernel, bias = getattr(layer, "kernel", None), getattr(layer, "bias", None)
        rows.append(
            {
                "layer": layer.name,
                "type": type(layer).__name__,
                "output shape": str((None, *layer.output.shape[1:])),
                "weights": int(np.prod(kernel.shape)) if kernel is not None else 0,
                "biases": int(np.prod(bias.shape)) if bias is not None else 0,
                "parameters": int(layer.count_params()),
            }
        )
    return pd.DataFrame(rows)


def first_layer_weights(trainer: Trainer, side: int) -> np.ndarray:
    """(units, side, side): each first hidden unit's weight per pixel, laid out as the image."""
    kernel = dense_layers(trainer.model)[0].kernel.numpy()  # (pixels, units)
    return kernel.T.reshape(-1, side, side)


def misclassified(lab: DigitsLab, count: int = 24) -> list[tuple[np.ndarray, int, int, float]]:
    """Up to `count` wrong test images, surest first: (image, true digit, predicted digit, its probability)."""
    probabilities = lab.trainer.predict(lab.trainer.data.x_test)
    predicted, truth = probabilities.argmax(axis=1), lab.trainer.data.y_test
    wrong = np.flatnonzero(predicted != truth)
    order = wrong[np.argsort(-probabilities[wrong, predicted[wrong]], kind="stable")][:count]
    return [
        (lab.test_images[i], int(truth[i]), int(predicted[i]), float(probabilities[i, predicted[i]])) for i in order
    ]


def predict_image(trainer: Trainer, image: np.ndarray) -> np.ndarray:
    """(10,) class probabilities for one (side, side) image in [0, 1]."""
    return trainer.predict(image.reshape(1, -1).astype(np.float32))[0]


def keras_l2_rate(lam: float, n_train: int) -> float:
    """Seed 004's cost adds λ/(2m)·Σθ² to the mean loss; Keras's L2(rate) adds rate·Σθ²."""
    return lam / (2 * n_train)


@dataclass(frozen=True)
class LambdaResult:
    lam: float
    train_accuracy: float
    test_accuracy: float
    weights: np.ndarray  # (units, side, side) first-layer weights after training


def lambda_run(experiment: Experiment, digits: DigitImages, lam: float) -> LambdaResult:
    """Train `experiment` with seed 004's L2 strength λ on the kernels (biases not penalised)."""
    data, _ = digits_dataset(digits, experiment)
    rate = keras_l2_rate(lam, len(data.y_train))
    model = replace(experiment.model, regularization="l2" if lam else "none", regularization_rate=rate)
    trainer = Trainer(model, experiment.train, data, standardize=False)
    trainer.run(experiment.train.epochs)
    last = trainer.history[-1]
    return LambdaResult(lam, last.train_accuracy, last.test_accuracy, first_layer_weights(trainer, digits.side))


def lambda_sweep_frame(results: list[LambdaResult]) -> pd.DataFrame:
    """Long table (λ, set, accuracy) for the accuracy-vs-λ chart."""
    return pd.DataFrame(
        [
            {"lambda": r.lam, "set": split, "accuracy": getattr(r, f"{split}_accuracy")}
            for r in results
            for split in ("train", "test")
        ]
    )
