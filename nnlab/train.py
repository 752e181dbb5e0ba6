"""Trainer: many epochs compiled into one TensorFlow call, with per-epoch events.

A step means exactly what it means in `model.fit`: the same batch size (last batch
partial), class weights as sample weights with the same loss reduction, the
regularization penalties added, one optimizer update per batch. Only the Python
overhead between steps is gone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from nnlab.backend import keras, tf
from nnlab.data.dataset import Dataset
from nnlab.fused import fused_apply
from nnlab.models import (
    build_model,
    count_parameters,
    dense_layers,
    loss_name,
    make_optimizer,
)
from nnlab.spec import ModelSpec, TrainSpec

MAX_CHUNK_EPOCHS = 1000
# Cross-entropy this many times a blind guess's (ln k) means confidently wrong almost
# everywhere: the step size has thrown the weights out of the useful range.
DIVERGED_FACTOR = 8.0
LOSS_CLASSES = MappingProxyType({
    "binary_crossentropy": keras.losses.BinaryCrossentropy,
    "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
    "mean_squared_error": keras.losses.MeanSquaredError,
})


@dataclass(frozen=True)
class EpochEvent:
    """Metrics on the whole train and test sets after one epoch."""

    epoch: int  # 1-based count of epochs done
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float  # training time so far


class Trainer:
    """One model and optimizer for one dataset; `run` trains a bounded chunk and returns."""

    def __init__(self, model_spec: ModelSpec, train_spec: TrainSpec, data: Dataset, standardize: bool = True) -> None:
        """`standardize`: scale each input to mean 0, variance 1 on the training set (as StandardScaler);
        off for pixels, which are already in [0, 1] and often constant in the training set."""
        self.model_spec, self.train_spec, self.data = model_spec, train_spec, data
        self.standardize = standardize
        self.binary = data.n_classes == 2
        scale = (data.x_train.mean(axis=0), np.maximum(data.x_train.var(axis=0), 1e-6)) if standardize else None
        self.model = build_model(model_spec, data.n_inputs, data.n_classes, train_spec.seed, scale)
        self.optimizer = make_optimizer(train_spec.optimizer, train_spec.learning_rate, train_spec.momentum)
        self.optimizer.build(self.model.trainable_variables)
        self._apply_gradients = fused_apply(self.optimizer)  # optimizer.apply's update in fewer graph ops
        self.loss = LOSS_CLASSES[loss_name(model_spec, data.n_classes)]()
        self._x_train = tf.constant(data.x_train, tf.float32)
        self._y_train = tf.constant(self.encode_labels(data.y_train))
        # A variable, not a constant: a class-weight slider changes it without retracing.
        self._w_train = tf.Variable(sample_weights(data.y_train, class_weights_for(train_spec, data)), trainable=False)
        self._x_test = tf.constant(data.x_test, tf.float32)
        self._y_test = tf.constant(self.encode_labels(data.y_test))
        self._initial_state = [v.numpy() for v in self._state_variables()]
        self._train_chunk = tf.function(
            self._train_epochs, input_signature=[tf.TensorSpec([None, len(data.y_train)], tf.int32)]
        )
        # Trace and optimise the graph now, while the page says "building" (a call with zero epochs):
        # the first Play then trains at full speed.
        self._train_chunk(tf.zeros([0, len(data.y_train)], tf.int32))
        # Every Dense layer's output in one call: the neuron maps and the prediction share it.
        probe = keras.Model(
            self.model.inputs, [layer.output for layer in dense_layers(self.model)], name="nnlab_probe"
        )
        self._layer_outputs = tf.function(
            lambda x: probe(x, training=False), input_signature=[tf.TensorSpec([None, data.n_inputs])]
        )
        self.history: list[EpochEvent] = []
        # The settings epoch 1 trained with, and (epoch, setting, value) for every live change after it:
        # what an exported script needs to replay the run exactly.
        self.started_with: dict[str, object] = {}
        self.changes: list[tuple[int, str, object]] = []
        self._restart_log()
        self.stopped_reason: str | None = None
        self.restarts = 0  # how many times Reset has started the run over
        self._seconds = 0.0
        self._epoch_seconds: float | None = None

    @property
    def epoch(self) -> int:
        return len(self.history)

    @property
    def parameters(self) -> int:
        return count_parameters(self.model)

    @property
    def examples_per_epoch(self) -> int:
        return len(self.data.y_train)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.data.y_train) / self.train_spec.batch_size)

    def encode_labels(self, y: np.ndarray) -> np.ndarray:
        """(n, 1) floats for a sigmoid output, one-hot (n, k) for softmax."""
        if self.binary:
            return y.reshape(-1, 1).astype(np.float32)
        return np.eye(self.data.n_classes, dtype=np.float32)[y]

    def set_learning_rate(self, learning_rate: float) -> None:
        """Change the step size in place: no retrace, the model and momentum are kept."""
        self.optimizer.learning_rate = learning_rate
        self.train_spec = _replace(self.train_spec, learning_rate=learning_rate)
        self._record("learning_rate", float(learning_rate))

    def set_class_weights(self, train_spec: TrainSpec) -> None:
        """Apply new class weights (or balanced ones) to the coming steps; the model is kept."""
        weights = class_weights_for(train_spec, self.data)
        self._w_train.assign(sample_weights(self.data.y_train, weights))
        self.train_spec = _replace(
            self.train_spec, class_weights=train_spec.class_weights, balanced_weights=train_spec.balanced_weights
        )
        self._record("class_weights", tuple(float(w) for w in weights))

    def reset(self) -> None:
        """Back to the seeded initial weights and a fresh optimizer, without rebuilding."""
        for variable, value in zip(self._state_variables(), self._initial_state):
            variable.assign(value)
        self.optimizer.learning_rate = self.train_spec.learning_rate
        self.history, self.stopped_reason, self._seconds = [], None, 0.0
        self.restarts += 1
        self._restart_log()

    def _restart_log(self) -> None:
        weights = class_weights_for(self.train_spec, self.data)
        self.started_with = {"learning_rate": float(self.train_spec.learning_rate),
                             "class_weights": tuple(float(w) for w in weights)}
        self.changes = []

    def _record(self, setting: str, value: object) -> None:
        if self.epoch == 0:
            self.started_with[setting] = value
        else:
            self.changes.append((self.epoch, setting, value))

    def load_weights(self, arrays: dict[str, np.ndarray]) -> None:
        """Set every model weight from `arrays` (keyed by the weight's path), checked for shape first.

        Only numbers are loaded into a model rebuilt from a validated spec: an uploaded file never
        builds a model itself (see nnlab.runfile).
        """
        weights = self.model.weights
        missing = [w.path for w in weights if w.path not in arrays]
        if missing:
            raise ValueError(f"The file has no values for {', '.join(missing[:3])}.")
        extra = sorted(set(arrays) - {w.path for w in weights})
        if extra:
            raise ValueError(f"The file has weights this network lacks ({', '.join(extra[:3])}).")
        for weight in weights:
            if tuple(arrays[weight.path].shape) != tuple(weight.shape):
                raise ValueError(
                    f"{weight.path} has shape {tuple(arrays[weight.path].shape)} in the file; this network needs "
                    f"{tuple(weight.shape)}."
                )
        for weight in weights:
            weight.assign(arrays[weight.path].astype(np.float32))

    def run(
        self,
        max_epochs: int,
        max_seconds: float = math.inf,
        on_epoch: Callable[[EpochEvent], None] | None = None,
    ) -> list[EpochEvent]:
        """Train up to `max_epochs` in compiled chunks, returning once `max_seconds` have passed.

        Stops early, setting `stopped_reason`, when the loss becomes NaN or infinite.
        """
        deadline = time.perf_counter() + max_seconds
        events: list[EpochEvent] = []
        while len(events) < max_epochs and self.stopped_reason is None:
            chunk = self._chunk_size(max_epochs - len(events), deadline - time.perf_counter())
            new_events = self._run_chunk(chunk)
            events += new_events
            for event in new_events:
                if on_epoch is not None:
                    on_epoch(event)
            if time.perf_counter() >= deadline:
                break
        return events

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities (n, k) for raw inputs (n, n_inputs); k = 2 for binary models."""
        return self.layer_outputs(x)[-1]

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """Each Dense layer's activations (n, units), the output as probabilities (n, k) last."""
        outputs = self._layer_outputs(tf.constant(x, tf.float32))
        *hidden, out = (t.numpy() for t in (outputs if isinstance(outputs, (list, tuple)) else [outputs]))
        return [*hidden, np.hstack([1 - out, out]) if self.binary else out]

    def _chunk_size(self, epochs_left: int, seconds_left: float) -> int:
        if self._epoch_seconds is None or math.isinf(seconds_left):
            return min(epochs_left, MAX_CHUNK_EPOCHS if math.isinf(seconds_left) else 1)
        fits = int(seconds_left / max(self._epoch_seconds, 1e-6))
        return max(1, min(epochs_left, fits, MAX_CHUNK_EPOCHS))

    def _run_chunk(self, epochs: int) -> list[EpochEvent]:
        """Train `epochs` epochs in one call. If the loss blows up, the model goes back to its last
        finite epoch (the chunk is replayed up to it: seeded order, same steps), so what the page
        draws and predicts after a divergence is never NaN."""
        start = time.perf_counter()
        before = [v.numpy() for v in self._state_variables()]
        metrics = self._train_chunk(tf.constant(self._permutations(epochs))).numpy()
        elapsed = time.perf_counter() - start
        self._epoch_seconds = elapsed / epochs
        good = next((i for i, row in enumerate(metrics) if self._diverged(row[0]) or not np.all(np.isfinite(row))),
                    len(metrics))
        if good < len(metrics):
            self.stopped_reason = "diverged"
            for variable, value in zip(self._state_variables(), before):
                variable.assign(value)
            if good:
                self._train_chunk(tf.constant(self._permutations(good)))
        events = []
        for row in metrics[:good]:
            self._seconds += elapsed / epochs
            events.append(EpochEvent(self.epoch + 1, *map(float, row), seconds=self._seconds))
            self.history.append(events[-1])
        return events

    def _diverged(self, train_loss: float) -> bool:
        if not np.isfinite(train_loss):
            return True
        blind_guess = math.log(self.data.n_classes)
        return self.model_spec.loss == "cross_entropy" and train_loss > DIVERGED_FACTOR * blind_guess

    def _permutations(self, epochs: int) -> np.ndarray:
        """One shuffle per epoch, seeded by (seed, epoch) so chunking never changes the order."""
        n = len(self.data.y_train)
        return np.stack(
            [np.random.default_rng([self.train_spec.seed, self.epoch + e]).permutation(n) for e in range(epochs)]
        ).astype(np.int32)

    def _train_epochs(self, permutations: tf.Tensor) -> tf.Tensor:
        """Graph: for each epoch, every batch's update, then whole-set metrics -> (epochs, 4).

        The full batches and the last, partial one are two separate steps in the graph, each with
        a fixed batch size: with static shapes TensorFlow folds away most of the per-step shape work.
        """
        n, batch = len(self.data.y_train), self.train_spec.batch_size
        full, rest = divmod(n, batch)
        out = tf.TensorArray(tf.float32, size=tf.shape(permutations)[0])
        for e in tf.range(tf.shape(permutations)[0]):
            order = permutations[e]
            for s in tf.range(full):
                self._batch_step(tf.slice(order, [s * batch], [batch]))
            if rest:
                self._batch_step(order[full * batch :])
            out = out.write(e, self._evaluate())
        return out.stack()

    def _batch_step(self, index: tf.Tensor) -> None:
        self._step(tf.gather(self._x_train, index), tf.gather(self._y_train, index), tf.gather(self._w_train, index))

    def _step(self, x: tf.Tensor, y: tf.Tensor, weights: tf.Tensor) -> None:
        with tf.GradientTape() as tape:
            loss = self.loss(y, self.model(x, training=True), sample_weight=weights)
            if self.model.losses:
                loss += tf.add_n(self.model.losses)
        grads = tape.gradient(loss, self.model.trainable_variables)
        self._apply_gradients(grads, self.model.trainable_variables)

    def _evaluate(self) -> tf.Tensor:
        train = self._loss_and_accuracy(self._x_train, self._y_train)
        test = self._loss_and_accuracy(self._x_test, self._y_test)
        return tf.stack([*train, *test])

    def _loss_and_accuracy(self, x: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        p = self.model(x, training=False)
        loss = tf.cast(self.loss(y, p), tf.float32)
        if self.binary:
            hits = tf.equal(tf.cast(p > 0.5, tf.float32), y)
        else:
            hits = tf.equal(tf.argmax(p, axis=1), tf.argmax(y, axis=1))
        return loss, tf.reduce_mean(tf.cast(hits, tf.float32))

    def _state_variables(self) -> list:
        return [*self.model.variables, *self.optimizer.variables]


def class_weights_for(train_spec: TrainSpec, data: Dataset) -> tuple[float, ...]:
    """The spec's class weights, or scikit-learn's "balanced" ones from the training labels."""
    if not train_spec.balanced_weights:
        return train_spec.class_weights
    counts = np.bincount(data.y_train, minlength=data.n_classes).astype(np.float64)
    return tuple(float(w) for w in len(data.y_train) / (data.n_classes * np.maximum(counts, 1)))


def sample_weights(y: np.ndarray, class_weights: tuple[float, ...]) -> np.ndarray:
    """Per-sample weights from per-class weights, as `model.fit(class_weight=...)` makes them."""
    if not class_weights:
        return np.ones(len(y), np.float32)
    return np.asarray(class_weights, np.float32)[y]


def _replace(spec: TrainSpec, **changes) -> TrainSpec:
    from dataclasses import replace

    return replace(spec, **changes)
