"""Seed 002's lab: a convolutional network reads images, and its first filters become pictures.

A convolution's filter is a small k×k window of weights slid over the whole image: every position
shares the same k·k·c numbers, so a layer needs a few hundred parameters where a Dense layer on the
same image needs millions (nnlab.cost). The filters of the first layer act on the pixels themselves,
so drawn as images they show the edges and colours the network looks for; the feature maps show
where in one image each filter found them.

Seed 002's own network has no activation in its convolutions or its Dense 128 layer: only max
pooling bends it, and it still reaches about 0.62 on CIFAR-10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nnlab import digits, playground
from nnlab.backend import keras, tf
from nnlab.cost import LayerCost, block_shapes, conv_layer_costs, dense_instead, image_shape
from nnlab.data.cifar import CIFAR_CLASSES
from nnlab.data.digits import DigitImages
from nnlab.frames import FrameLog, ProbeLayout
from nnlab.generalization import SCALAR_METADATA, epoch_scalars
from nnlab.models import conv_layers
from nnlab.spec import Experiment, live_keys, train_size
from nnlab.train import EpochEvent, Trainer

TOP_CLASSES = 3  # the bars under a chosen test image
# The page's subset sizes, in training images (a 2-core laptop trains 5,000 live; 50,000 is CIFAR-10's whole
# training set). The test set is a fifth of the training set: CIFAR-10's own 50,000 / 10,000.
TRAINING_IMAGES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
TRAIN_SHARE = 5 / 6


@dataclass
class ConvLab:
    """One session's convolution experiment: the images used, the test images, and the trainer."""

    experiment: Experiment
    digits: DigitImages  # the image set (digits or CIFAR-10's photographs); named as the other image labs name it
    test_images: np.ndarray  # (n_test, side, side[, 3]), in the order of trainer.data.x_test
    trainer: Trainer

    @property
    def image(self) -> tuple[int, int, int]:
        """(side, side, channels) of one input image."""
        return self.digits.side, self.digits.side, self.digits.channels


def class_names(images: DigitImages) -> tuple[str, ...]:
    """CIFAR-10's ten object names for its photographs, the digits 0–9 for any digit set."""
    return CIFAR_CLASSES if images.source == "cifar10" else digits.CLASS_NAMES


def build_lab(experiment: Experiment, images: DigitImages) -> ConvLab:
    """A fresh, seeded trainer on the images (pixels are already in [0, 1]: no standardizing).

    Blocks that shrink the image to nothing are refused here, with the block that does it, before Keras sees them.
    """
    image = (images.side, images.side, images.channels)
    block_shapes(image, experiment.model.conv_blocks)
    data, test_images = digits.digits_dataset(images, experiment, class_names(images))
    trainer = Trainer(experiment.model, experiment.train, data, standardize=False)
    return ConvLab(experiment, images, test_images, trainer)


def structure_key(experiment: Experiment) -> tuple:
    """Everything that needs a new model when it changes (all but what the settings table marks live here)."""
    return playground.structure_key(experiment, live_keys("conv"))


def update_live_settings(lab: ConvLab, experiment: Experiment) -> None:
    """Apply a new learning rate or epoch cap without retraining, as on the playground."""
    playground.update_live_settings(lab, experiment)


def input_names(experiment: Experiment, n_inputs: int) -> list[str]:
    """One export column per pixel value (row by row, colour channels last, as the model reshapes them)."""
    return [f"pixel_{i}" for i in range(n_inputs)]


def script_rows(lab: ConvLab) -> np.ndarray | None:
    """All the labels of MNIST or CIFAR-10, so a script names its rows by number and lets Keras download the
    images (740 MB of CIFAR-10 pixels cannot be embedded); the 8×8 digits are embedded: None."""
    return lab.digits.labels if lab.experiment.data.dataset in ("mnist", "cifar10") else None


def evaluate(lab: ConvLab) -> dict[str, float]:
    """Held-out metrics (macro precision/recall/F1 over the ten classes) plus `train_accuracy`."""
    return digits.evaluate(lab)


def record_filter_frames(lab: ConvLab, every: int = 1) -> FrameLog:
    """Have the trainer keep frames of the first convolution's filters as pictures for the player; a network
    without convolutions (0 blocks) keeps the metrics alone."""
    blocks = lab.experiment.model.conv_blocks
    layout = ProbeLayout(
        0, 0, binary=False, tiles=blocks[0].kernel if blocks else 0, weights=False, filters=bool(blocks)
    )
    lab.trainer.recorder = FrameLog(layout, n_layers=len(lab.experiment.model.hidden_layers) + 1, every=every)
    lab.trainer.record_now()
    return lab.trainer.recorder


def first_filters(trainer: Trainer) -> np.ndarray | None:
    """(filters, k, k, channels): the first convolution's kernels, one picture each (None: no convolution)."""
    layers = conv_layers(trainer.model)
    return None if not layers else np.transpose(layers[0].kernel.numpy(), (3, 0, 1, 2))


@dataclass(frozen=True)
class FeatureMaps:
    """One layer's output for one image: (side, side, maps), and which layer made it."""

    name: str  # the Keras layer's name: conv_1, pool_1, …
    kind: str  # "conv" or "pool"
    maps: np.ndarray


def feature_maps(trainer: Trainer, image: np.ndarray) -> list[FeatureMaps]:
    """Every convolution's and pooling's output for one image, in order: where each filter found its pattern."""
    layers = [
        layer for layer in trainer.model.layers if isinstance(layer, (keras.layers.Conv2D, keras.layers.MaxPooling2D))
    ]
    if not layers:
        return []
    probe = keras.Model(trainer.model.input, [layer.output for layer in layers])
    outputs = probe(image.reshape(1, -1).astype(np.float32), training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return [
        FeatureMaps(layer.name, "conv" if isinstance(layer, keras.layers.Conv2D) else "pool", np.asarray(out)[0])
        for layer, out in zip(layers, outputs)
    ]


def top_classes(trainer: Trainer, image: np.ndarray, count: int = TOP_CLASSES) -> list[tuple[int, float]]:
    """The `count` most probable classes for one image, surest first: (class index, probability)."""
    probabilities = trainer.predict(image.reshape(1, -1).astype(np.float32))[0]
    order = np.argsort(-probabilities, kind="stable")[:count]
    return [(int(i), float(probabilities[i])) for i in order]


model_summary = digits.model_summary  # one summary table for every image lab: it lists convolutions and pooling too


def layer_costs(experiment: Experiment, image: tuple[int, int, int], n_classes: int = 10) -> tuple[LayerCost, ...]:
    """Each layer's parameters and multiplications per image (nnlab.cost's rules)."""
    return conv_layer_costs(image, experiment.model.conv_blocks, experiment.model.hidden_layers, n_classes)


# The cost meter's row names start with the layer's kind (nnlab.cost): a page names the kind in its language.
COST_KINDS = (("conv ", "conv"), ("max pool ", "pool"), ("dense ", "dense"))


def cost_table(experiment: Experiment, image: tuple[int, int, int], n_classes: int = 10) -> pd.DataFrame:
    """The cost meter's rows: layer, its kind (conv, pool, dense) and shapes, parameters, multiplications forward
    and backward per image."""
    return pd.DataFrame(
        [
            {
                "layer": row.name,
                **dict(zip(("kind", "shapes"), _kind_and_shapes(row.name))),
                "parameters": row.parameters,
                "forward": row.forward,
                "backward": row.backward,
            }
            for row in layer_costs(experiment, image, n_classes)
        ]
    )


def _kind_and_shapes(name: str) -> tuple[str, str]:
    """'conv 3×3×3→8 same → 32×32' -> ('conv', '3×3×3→8 same → 32×32')."""
    for prefix, kind in COST_KINDS:
        if name.startswith(prefix):
            return kind, name[len(prefix) :]
    return "", name


def sharing_saving(experiment: Experiment, image: tuple[int, int, int]) -> tuple[int, int] | None:
    """(parameters of the first convolution, of a Dense layer giving the same outputs from the same image): why
    convolution is cheap. None without a convolution."""
    blocks = experiment.model.conv_blocks
    if not blocks:
        return None
    first = conv_layer_costs(image, blocks[:1], (), 10)[0]
    return first.parameters, dense_instead(image, blocks[0])


def image_of(lab: ConvLab, row: int) -> np.ndarray:
    """Test image `row` as the model reads it: (side, side, channels)."""
    return lab.test_images[row].reshape(image_shape(lab.trainer.data.n_inputs))


def tensorboard_writer(log_dir: str | Path):
    """A TensorBoard event-file writer for one live run's folder (kept by the session while the run lasts: one
    writer per run, not one file per tick)."""
    return tf.summary.create_file_writer(str(log_dir))


def write_new_epochs(writer, history: Sequence[EpochEvent], written: int) -> int:
    """Write the epochs of `history` after the first `written` as TensorBoard scalars (the Generalization lab's
    tags, step = epoch) and return how many are written now. A history shorter than `written` (the run started
    over) is written from its start."""
    start = written if written <= len(history) else 0
    for event in history[start:]:
        with writer.as_default(step=event.epoch):
            for tag, value in epoch_scalars(event).items():
                tf.summary.write(tag, tf.constant(value, tf.float32), metadata=SCALAR_METADATA)
    if len(history) > start:
        writer.flush()
    return len(history)


def samples_for(training: int, total: int) -> int:
    """Images to draw (training + test) so that TRAIN_SHARE of them are `training`, at most the `total` held."""
    return min(round(training / TRAIN_SHARE), total)


def samples_offered(total: int) -> tuple[int, ...]:
    """The subset sizes a set of `total` images allows, as image counts: each of TRAINING_IMAGES below what it
    holds, then all of it."""
    most = train_size(total, TRAIN_SHARE)
    return (*(samples_for(n, total) for n in TRAINING_IMAGES if n < most), total)


def split_counts(samples: int) -> tuple[int, int]:
    """(training, test) images of `samples` split at TRAIN_SHARE, as the split itself counts them."""
    training = train_size(samples, TRAIN_SHARE)
    return training, samples - training


def conv_outputs(image: tuple[int, int, int], experiment: Experiment) -> int:
    """How many numbers the first convolution gives for one image (side × side × filters, before pooling)."""
    block = experiment.model.conv_blocks[0]
    shrink = block.kernel - 1 if block.padding == "valid" else 0
    return (image[0] - shrink) * (image[1] - shrink) * block.filters
