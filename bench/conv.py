"""Training speed on seed 002's convolutional network: `model.fit` against `nnlab.train.Trainer`.

5,000 CIFAR-shaped random images (32×32×3, labels 0–9; 1,000 more to test), batch 32, Adam 0.001.
The baseline is the seed's own cell: a `Model` on (32, 32, 3) images, `compile`, then `fit` with the
test images as `validation_data`, as the seed wrote it. Ours is the Trainer with the cifar-seed002 preset's
network on the same split. Both start from the same weights, take one warm-up epoch (fit traces there;
the Trainer traced while it was built) and then the same number of optimizer steps, timed.

Unlike `train-speed`'s tiny network, a step here is real arithmetic: about 1.7 million multiplications
per image forward and back (nnlab.cost). `multiplications_per_second` shows how close each path runs
to what the two cores can do, which bounds any ratio: the Trainer removes Python between steps, not
the convolutions themselves. It also scores the whole training set after every epoch, which `fit` does
not (fit reports a running mean over the epoch's batches).
"""

from __future__ import annotations

import time

import numpy as np

from bench.floor import apply_adam, seconds_per_epoch
from nnlab.backend import keras, tf
from nnlab.cost import count_cost
from nnlab.data.dataset import Dataset
from nnlab.presets import PRESETS
from nnlab.train import Trainer

IMAGES, TEST_IMAGES, EPOCHS = 5_000, 1_000, 3
SHAPE = (32, 32, 3)
CLASSES = tuple(str(c) for c in range(10))


def random_photos(n_train: int, n_test: int, seed: int = 0) -> Dataset:
    """CIFAR-shaped random images: pixels k/255 like CIFAR-10's bytes, flat rows (channels last), labels 0–9."""
    rng = np.random.default_rng(seed)
    x = (rng.integers(0, 256, (n_train + n_test, int(np.prod(SHAPE)))) / 255).astype(np.float32)
    y = rng.integers(0, 10, n_train + n_test)
    return Dataset("random photos", x[:n_train], y[:n_train], x[n_train:], y[n_train:], class_names=CLASSES)


def seed_model() -> keras.Model:
    """Seed 002's cell In [3], verbatim in Keras 3 terms (no activation but the softmax)."""
    inputs = keras.Input(shape=SHAPE)
    layer = keras.layers.Conv2D(filters=8, kernel_size=(3, 3), padding="same")(inputs)
    layer = keras.layers.MaxPool2D(pool_size=(2, 2))(layer)
    layer = keras.layers.Conv2D(filters=16, kernel_size=(3, 3), padding="same")(layer)
    layer = keras.layers.MaxPool2D(pool_size=(2, 2))(layer)
    layer = keras.layers.Flatten()(layer)
    layer = keras.layers.Dense(units=128)(layer)
    outputs = keras.layers.Dense(units=10, activation="softmax")(layer)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


class EpochClock(keras.callbacks.Callback):
    """Wall time of every epoch of `fit` (its validation pass included)."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def baseline(data: Dataset, trainer: Trainer, epochs: int) -> dict:
    """The seed's fit from the Trainer's untouched start: one warm-up epoch, then `epochs` timed."""
    keras.utils.set_random_seed(trainer.train_spec.seed)
    model = seed_model()
    ours = [layer for layer in trainer.model.layers if layer.weights]
    theirs = [layer for layer in model.layers if layer.weights]
    for source, target in zip(ours, theirs, strict=True):
        target.set_weights(source.get_weights())
    images = lambda x: x.reshape(-1, *SHAPE)  # noqa: E731
    one_hot = np.eye(10, dtype=np.float32)
    clock = EpochClock()
    model.fit(
        images(data.x_train),
        one_hot[data.y_train],
        validation_data=(images(data.x_test), one_hot[data.y_test]),
        batch_size=trainer.train_spec.batch_size,
        epochs=1 + epochs,
        verbose=0,
        callbacks=[clock],
    )
    accuracy = float(np.mean(model.predict(images(data.x_test), verbose=0).argmax(axis=1) == data.y_test))
    return {
        "epoch_seconds": float(np.mean(clock.seconds[1:])),
        "per_epoch": clock.seconds[1:],
        "steps": int(model.optimizer.iterations.numpy()),
        "accuracy": accuracy,
    }


def ours(trainer: Trainer, epochs: int) -> dict:
    """The Trainer's compiled epochs: one warm-up epoch, then `epochs` timed."""
    trainer.run(1)
    start = time.perf_counter()
    trainer.run(epochs)
    seconds = time.perf_counter() - start
    return {
        "epoch_seconds": seconds / epochs,
        "steps": int(trainer.optimizer.iterations.numpy()),
        "accuracy": trainer.history[-1].test_accuracy,
    }


def compare(images: int = IMAGES, test_images: int = TEST_IMAGES, epochs: int = EPOCHS) -> dict:
    """Both paths from the same start on random photographs: seconds per epoch, steps, multiplications per second."""
    data = random_photos(images, test_images)
    experiment = PRESETS["cifar-seed002"].experiment
    trainer = Trainer(experiment.model, experiment.train, data, standardize=False)
    theirs = baseline(data, trainer, epochs)  # copies the Trainer's untouched start: runs first
    mine = ours(trainer, epochs)
    work = count_cost(experiment.model, data.n_inputs, 10, images, experiment.train.batch_size, "adam").per_epoch
    return {
        "name": "conv",
        "ratio": round(theirs["epoch_seconds"] / mine["epoch_seconds"], 2),
        "baseline_epoch_seconds": round(theirs["epoch_seconds"], 4),
        "ours_epoch_seconds": round(mine["epoch_seconds"], 4),
        "baseline_per_epoch_seconds": [round(s, 4) for s in theirs["per_epoch"]],  # noisy machines: the spread
        "baseline_steps": theirs["steps"],
        "ours_steps": mine["steps"],
        "multiplications_per_epoch": work,
        "baseline_multiplications_per_second": round(work / theirs["epoch_seconds"]),
        "ours_multiplications_per_second": round(work / mine["epoch_seconds"]),
        "baseline_test_accuracy": round(theirs["accuracy"], 4),
        "ours_test_accuracy": round(mine["accuracy"], 4),
        "epochs": epochs,
        "train_images": images,
        "batch_size": experiment.train.batch_size,
    }


def floor_epoch_seconds(data: Dataset, epochs: int = EPOCHS) -> float:
    """Seconds per epoch of the same steps as the fewest raw TensorFlow ops: seed 002's forward pass by hand
    (two `conv2d` + bias, two max pools, two matmuls, softmax cross-entropy), its gradient and one fused Adam
    kernel per variable, in one traced loop; no Keras, no metrics, no evaluation. What any per-step graph on
    this machine cannot beat, so `ratio_at_floor` is the most a per-step trainer could show against `fit`.
    """
    rng = np.random.default_rng(0)
    batch, n = PRESETS["cifar-seed002"].experiment.train.batch_size, len(data.y_train)
    x = tf.constant(data.x_train.reshape(-1, *SHAPE))
    y = tf.constant(np.eye(10, dtype=np.float32)[data.y_train])
    flat = (SHAPE[0] // 4) * (SHAPE[1] // 4) * 16
    shapes = [(3, 3, 3, 8), (8,), (3, 3, 8, 16), (16,), (flat, 128), (128,), (128, 10), (10,)]
    params = [tf.Variable(rng.normal(0, 0.05, s).astype(np.float32)) for s in shapes]
    moments = [[tf.Variable(tf.zeros(s)) for s in shapes] for _ in range(2)]
    iterations = tf.Variable(0.0)

    def step(xb, yb):
        values = [p.read_value() for p in params]
        with tf.GradientTape() as tape:
            tape.watch(values)
            k1, b1, k2, b2, w1, c1, w2, c2 = values
            h = tf.nn.max_pool2d(tf.nn.conv2d(xb, k1, 1, "SAME") + b1, 2, 2, "VALID")
            h = tf.nn.max_pool2d(tf.nn.conv2d(h, k2, 1, "SAME") + b2, 2, 2, "VALID")
            logits = tf.matmul(tf.matmul(tf.reshape(h, [batch, flat]), w1) + c1, w2) + c2
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=yb, logits=logits))
        grads = tape.gradient(loss, values)
        apply_adam(params, moments, iterations, grads)

    @tf.function
    def epoch(order):
        for i in tf.range(n // batch):
            index = tf.slice(order, [i * batch], [batch])
            step(tf.gather(x, index), tf.gather(y, index))

    order = tf.constant(rng.permutation(n).astype(np.int32))
    return seconds_per_epoch(epoch, order, epochs)


def run(images: int = IMAGES) -> dict:
    """{'name', 'ratio', 'baseline_steps', 'ours_steps', ...}: seed 002's network on 5,000 random photographs,
    and the floor: the same steps as the fewest raw TensorFlow ops (`floor_epoch_seconds`)."""
    result = compare(images)
    floor = floor_epoch_seconds(random_photos(images, TEST_IMAGES))
    return result | {
        "floor_epoch_seconds": round(floor, 4),
        "ratio_at_floor": round(result["baseline_epoch_seconds"] / floor, 2),
    }


def describe(result: dict) -> str:
    return (
        f"conv: model.fit {result['baseline_epoch_seconds']:.3f} s/epoch, Trainer {result['ours_epoch_seconds']:.3f} "
        f"s/epoch, ratio {result['ratio']:.2f}x; steps {result['baseline_steps']} vs {result['ours_steps']}; "
        f"{result['multiplications_per_epoch'] / 1e9:.1f} G multiplications an epoch: "
        f"{result['baseline_multiplications_per_second'] / 1e9:.1f} vs "
        f"{result['ours_multiplications_per_second'] / 1e9:.1f} G/s"
        + (
            f"; the same steps as the fewest raw TensorFlow ops, without metrics: {result['floor_epoch_seconds']:.3f} "
            f"s/epoch, ratio {result['ratio_at_floor']:.2f}x"
            if "floor_epoch_seconds" in result
            else ""
        )
    )
