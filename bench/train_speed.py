"""Training speed on seed 000's reference network: `model.fit` against `nnlab.train.Trainer`.

Shipped cities, target Russia, 10 epochs of batch 32 with class weights 1:10. The baseline is
the seed's own code path: StandardScaler, `Sequential`, `compile`, `model.fit(..., verbose=0)`.
Ours is the Trainer with the same spec and split. Both start from the same weights and take the
same number of optimizer steps; their seconds per epoch are compared after the first epoch
(which traces the graph in `fit`; the Trainer traces while it is built).
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.metrics import balanced_accuracy_score

from bench.floor import apply_adam, seconds_per_epoch
from nnlab.backend import keras
from nnlab.data.cities import DEFAULT_CITIES, read_cities
from nnlab.data.dataset import Dataset
from nnlab.presets import PRESETS
from nnlab.train import Trainer
from nnlab.worldmap import split_cities

EPOCHS = 10
EXPERIMENT = PRESETS["cities-reference"].experiment.replace(epochs=EPOCHS)  # batch 32, weights 1:10, Adam 0.001


def seed_model(dropout: float = 0.3) -> keras.Model:
    """Seed 000's cell 87-95, verbatim in Keras 3 terms."""
    model = keras.Sequential(
        [
            keras.Input(shape=(2,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.BatchNormalization(),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=0.001), metrics=["accuracy"]
    )
    return model


def copy_start(trainer: Trainer, model: keras.Model) -> None:
    """Give the seed's model the Trainer's initial weights, layer by layer (Dense and batch norm)."""
    ours = [layer for layer in trainer.model.layers if layer.weights and not layer.name.startswith("scale")]
    theirs = [layer for layer in model.layers if layer.weights]
    for source, target in zip(ours, theirs, strict=True):
        target.set_weights(source.get_weights())


def p_score(y: np.ndarray, positive: np.ndarray) -> float:
    """Seed 000's p: the mean of the recalls of both classes at threshold 0.5."""
    return float(balanced_accuracy_score(y, (positive > 0.5).astype(int)))


class EpochClock(keras.callbacks.Callback):
    """Wall time of every epoch of `fit`."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def baseline(data: Dataset, trainer: Trainer, epochs: int, same_batches: bool = False) -> dict:
    """The seed's path: standardize with the training split's statistics, fit with class weights.

    `same_batches`: fit one epoch at a time on the data in the Trainer's seeded order (shuffle=False),
    so both take the very same batches (an oracle, not a benchmark: fit retraces per call).
    """
    mean, std = data.x_train.mean(axis=0), data.x_train.std(axis=0)
    x, y = (data.x_train - mean) / std, data.y_train
    keras.utils.set_random_seed(trainer.train_spec.seed)  # fit's shuffling and dropout: the same every run
    model = seed_model(trainer.model_spec.dropout)
    copy_start(trainer, model)
    clock = EpochClock()
    if same_batches:
        for epoch in range(epochs):
            order = np.random.default_rng([trainer.train_spec.seed, epoch]).permutation(len(y))  # Trainer's rule
            model.fit(
                x[order],
                y[order],
                epochs=1,
                batch_size=32,
                verbose=0,
                shuffle=False,
                class_weight={0: 1, 1: 10},
                callbacks=[clock],
            )
    else:
        model.fit(x, y, epochs=epochs, batch_size=32, verbose=0, class_weight={0: 1, 1: 10}, callbacks=[clock])
    positive = model.predict((data.x_test - mean) / std, verbose=0, batch_size=4096)[:, 0]
    return {
        "epoch_seconds": float(np.mean(clock.seconds[1:])),
        "first_epoch_seconds": clock.seconds[0],
        "steps": int(model.optimizer.iterations.numpy()),
        "p": p_score(data.y_test, positive),
    }


def ours(trainer: Trainer, epochs: int) -> dict:
    """The Trainer's compiled epochs (it traced while being built, as on the page)."""
    start = time.perf_counter()
    trainer.run(epochs)
    seconds = time.perf_counter() - start
    positive = trainer.predict(trainer.data.x_test)[:, 1]
    return {
        "epoch_seconds": seconds / epochs,
        "steps": int(trainer.optimizer.iterations.numpy()),
        "p": p_score(trainer.data.y_test, positive),
    }


def compare(data: Dataset, epochs: int = EPOCHS, dropout: float = 0.3, same_batches: bool = False) -> dict:
    """Both paths from the same start on `data`: seconds per epoch, optimizer steps and p of each.

    With `dropout` 0 and `same_batches`, nothing random is left: the two p must agree closely.
    """
    experiment = EXPERIMENT.replace(dropout=dropout)
    trainer = Trainer(experiment.model, experiment.train, data)
    theirs = baseline(data, trainer, epochs, same_batches)  # copies the Trainer's untouched start: runs first
    mine = ours(trainer, epochs)
    return {
        "name": "train-speed",
        "ratio": round(theirs["epoch_seconds"] / mine["epoch_seconds"], 2),
        "baseline_epoch_seconds": round(theirs["epoch_seconds"], 4),
        "ours_epoch_seconds": round(mine["epoch_seconds"], 4),
        "baseline_first_epoch_seconds": round(theirs["first_epoch_seconds"], 3),
        "baseline_steps": theirs["steps"],
        "ours_steps": mine["steps"],
        "baseline_p": round(theirs["p"], 4),
        "ours_p": round(mine["p"], 4),
        "epochs": epochs,
        "train_cities": len(data.y_train),
        "batch_size": EXPERIMENT.train.batch_size,
    }


def floor_epoch_seconds(data: Dataset, dropout: float = 0.3, epochs: int = 3) -> float:
    """Seconds per epoch of the same steps written as the fewest raw TensorFlow ops: a hand-made forward pass
    (Dense, ReLU, batch norm, dropout, sigmoid cross-entropy with class weights), its gradient, one fused
    Adam kernel per variable, in one traced loop. No Keras, no metrics: what any per-step graph on this
    machine cannot beat, so `ratio_at_floor` is the most a per-step trainer could show against `model.fit`.
    """
    from nnlab.backend import tf

    rng = np.random.default_rng(0)
    batch, n = EXPERIMENT.train.batch_size, len(data.y_train)
    x = tf.constant(((data.x_train - data.x_train.mean(0)) / data.x_train.std(0)).astype(np.float32))
    y = tf.constant(data.y_train.reshape(-1, 1).astype(np.float32))
    weight = tf.constant(np.where(data.y_train == 1, 10.0, 1.0).astype(np.float32))
    shapes = [(2, 128), (128,), (128,), (128,), (128, 64), (64,), (64, 1), (1,)]
    params = [tf.Variable(rng.normal(0, 0.1, s).astype(np.float32)) for s in shapes]
    moments = [[tf.Variable(tf.zeros(s)) for s in shapes] for _ in range(2)]
    moving = [tf.Variable(tf.zeros(128)), tf.Variable(tf.ones(128))]
    iterations = tf.Variable(0.0)

    def dropped(h, seed):
        keep = tf.random.stateless_uniform(tf.shape(h), seed=seed) >= dropout
        return tf.where(keep, h / (1 - dropout), 0.0)

    def step(xb, yb, wb, seed):
        values = [p.read_value() for p in params]
        with tf.GradientTape() as tape:
            tape.watch(values)
            w1, b1, gamma, beta, w2, b2, w3, b3 = values
            h = tf.nn.relu(tf.matmul(xb, w1) + b1)
            mean, variance = tf.nn.moments(h, [0])
            h = dropped(tf.nn.batch_normalization(h, mean, variance, beta, gamma, 1e-3), seed)
            h = dropped(tf.nn.relu(tf.matmul(h, w2) + b2), seed + 1)
            logits = tf.matmul(h, w3) + b3
            loss = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=yb, logits=logits)[:, 0] * wb) / batch
        grads = tape.gradient(loss, values)
        moving[0].assign(0.99 * moving[0] + 0.01 * mean)
        moving[1].assign(0.99 * moving[1] + 0.01 * variance)
        apply_adam(params, moments, iterations, grads)

    @tf.function
    def epoch(order):
        for i in tf.range(n // batch):
            index = tf.slice(order, [i * batch], [batch])
            step(tf.gather(x, index), tf.gather(y, index), tf.gather(weight, index), tf.stack([i, 7]))

    order = tf.constant(rng.permutation(n).astype(np.int32))
    return seconds_per_epoch(epoch, order, epochs)


def run() -> dict:
    """{'name', 'ratio', 'baseline_steps', 'ours_steps', 'baseline_p', 'ours_p', ...} on the shipped cities,
    and the floor: the same steps as the fewest raw TensorFlow ops (`floor_epoch_seconds`)."""
    data, _ = split_cities(read_cities(DEFAULT_CITIES), EXPERIMENT)
    result = compare(data)
    floor = floor_epoch_seconds(data)
    return result | {
        "floor_epoch_seconds": round(floor, 4),
        "ratio_at_floor": round(result["baseline_epoch_seconds"] / floor, 2),
    }


def describe(result: dict) -> str:
    return (
        f"train-speed: model.fit {result['baseline_epoch_seconds']:.3f} s/epoch, Trainer "
        f"{result['ours_epoch_seconds']:.3f} s/epoch, ratio {result['ratio']:.1f}x; steps "
        f"{result['baseline_steps']} vs {result['ours_steps']}; p {result['baseline_p']:.4f} vs {result['ours_p']:.4f}"
        + (
            f"; the same steps as the fewest raw TensorFlow ops, without metrics: {result['floor_epoch_seconds']:.3f} "
            f"s/epoch, ratio {result['ratio_at_floor']:.1f}x"
            if "floor_epoch_seconds" in result
            else ""
        )
    )


if __name__ == "__main__":
    print(describe(run()))
