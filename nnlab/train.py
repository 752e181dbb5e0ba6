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
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from nnlab.backend import keras, tf
from nnlab.compiled import Data, GraphKey, State, compiled_for
from nnlab.data.dataset import Dataset
from nnlab.errors import LabError
from nnlab.models import build_model, count_parameters, dense_layers, make_optimizer, schedule_factors
from nnlab.spec import ModelSpec, TrainSpec


class Recorder(Protocol):
    """Where a trainer's snapshots go (nnlab.frames.FrameLog): one call per recorded epoch."""

    every: int  # record every `every`-th epoch

    def add(self, epoch: int, metrics: tuple[float, ...], snapshot: list[np.ndarray]) -> None: ...

    @property
    def last(self): ...  # the newest frame (with its `epoch`), or None

    def clear(self) -> None: ...


MAX_CHUNK_EPOCHS = 1000
PREDICT_CHUNK = 1000  # images an image network predicts at once (see layer_outputs)
MAX_TYPED_WEIGHT = 100.0  # a weight typed by hand; far beyond what training ever reaches on these nets
# Cross-entropy this many times a blind guess's (ln k) means confidently wrong almost
# everywhere: the step size has thrown the weights out of the useful range.
DIVERGED_FACTOR = 8.0


@dataclass(frozen=True)
class Health:
    """How training is going inside the network after one epoch (on the whole training set)."""

    epoch: int
    gradient_norms: tuple[float, ...]  # per Dense layer (kernel and bias together), output last
    weight_norms: tuple[float, ...]
    dead_relu: tuple[float, ...]  # per hidden layer: share of ReLUs no training point activates (NaN: not ReLU)


@dataclass(frozen=True)
class EpochEvent:
    """Metrics on the whole train and test sets after one epoch. For regression the two "accuracy"
    fields hold R², the score that takes accuracy's place."""

    epoch: int  # 1-based count of epochs done
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    seconds: float  # training time so far


class Trainer:
    """One model and optimizer for one dataset; `run` trains a bounded chunk and returns."""

    def __init__(
        self,
        model_spec: ModelSpec,
        train_spec: TrainSpec,
        data: Dataset,
        standardize: bool = True,
        probe: np.ndarray | None = None,
    ) -> None:
        """`standardize`: scale each input to mean 0, variance 1 on the training set (as StandardScaler);
        off for pixels, which are already in [0, 1] and often constant in the training set.

        `probe`: inputs (g, n_inputs) whose every layer's output a snapshot records (a grid over the
        plane, for the live player); snapshots are taken inside the compiled loop when `recorder` is set.
        """
        self.model_spec, self.train_spec, self.data = model_spec, train_spec, data
        self.standardize = standardize
        self.binary = data.n_classes == 2
        self.regression = data.n_classes == 0  # one number per point: a linear output and squared error
        scale = (data.x_train.mean(axis=0), np.maximum(data.x_train.var(axis=0), 1e-6)) if standardize else None
        self.model = build_model(model_spec, data.n_inputs, data.n_classes, train_spec.seed, scale)
        self.optimizer = make_optimizer(train_spec.optimizer, train_spec.learning_rate, train_spec.momentum)
        self.optimizer.build(self.model.trainable_variables)
        key = GraphKey.of(
            model_spec,
            train_spec,
            data.n_inputs,
            data.n_classes,
            len(data.y_train),
            len(data.y_test),
            0 if probe is None else len(probe),
        )
        self._graphs = compiled_for(key, model_spec, train_spec)  # shared by every student of this shape
        self.loss = self._graphs.loss  # the Keras loss the history reports (stateless, so shared too)
        # A variable, not a constant: a class-weight slider changes it without retracing.
        self._w_train = tf.Variable(sample_weights(data.y_train, class_weights_for(train_spec, data)), trainable=False)
        self._state = State(
            [v.value for v in self.model.trainable_variables],
            [v.value for v in self.model.non_trainable_variables],
            self._graphs.new_slots(self.optimizer),
            self._w_train,
            self._graphs.new_dead_masks(),
        )
        self._data = Data(
            self._standardized(data.x_train),
            tf.constant(self.encode_labels(data.y_train)),
            self._standardized(data.x_test),
            tf.constant(self.encode_labels(data.y_test)),
            self._standardized(np.zeros((0, data.n_inputs)) if probe is None else probe),
        )
        self._initial_state = [v.numpy() for v in self._state_variables()]
        self.recorder: Recorder | None = None  # receives the snapshots (nnlab.frames.FrameLog)
        self.history: list[EpochEvent] = []
        self.track_health = False  # measure `health` every epoch (a whole-set gradient: ~5–10 % more work)
        self.health: list[Health] = []
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
    def epochs_per_second(self) -> float | None:
        """Training speed of the last chunk (None before the first)."""
        return 1 / self._epoch_seconds if self._epoch_seconds else None

    @property
    def examples_per_epoch(self) -> int:
        return len(self.data.y_train)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.data.y_train) / self.train_spec.batch_size)

    def encode_labels(self, y: np.ndarray) -> np.ndarray:
        """(n, 1) floats for a sigmoid or linear output, one-hot (n, k) for softmax."""
        if self.binary or self.regression:
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
        self.history, self.health, self.stopped_reason, self._seconds = [], [], None, 0.0
        self.restarts += 1
        self._restart_log()
        if self.recorder is not None:
            self.recorder.clear()
            self.record_now()

    def record_every(self, every: int) -> None:
        """Snapshot every `every`-th epoch from now on (no recorder: nothing to do)."""
        if self.recorder is not None:
            self.recorder.every = every

    def record_now(self) -> None:
        """Give the recorder a snapshot of the model as it is (epoch 0, or after a weight was edited)."""
        if self.recorder is None:
            return
        last = self.history[-1] if self.history else None
        metrics, snapshot = self._graphs.now(self._state, self._data)
        if last:
            metrics = (last.train_loss, last.train_accuracy, last.test_loss, last.test_accuracy)
        self.recorder.add(self.epoch, tuple(float(v) for v in np.asarray(metrics)), [t.numpy() for t in snapshot])

    def record_final(self) -> None:
        """Make sure the run's last epoch has a frame: recording every k-th epoch can stop short of it."""
        if self.recorder is not None and (self.recorder.last is None or self.recorder.last.epoch != self.epoch):
            self.record_now()

    def set_weight(self, layer: int, row: int | None, unit: int, value: float) -> None:
        """Set one weight of Dense layer `layer` (row None: the unit's bias) by hand, as TF Playground allows.

        The change is part of the run from here on: Step trains on from it, and the run's log says so.
        """
        layers = dense_layers(self.model)
        if not 0 <= layer < len(layers):
            raise LabError("error_weight_no_layer", layer=layer)
        dense = layers[layer]
        rows, units = dense.kernel.shape
        if not (0 <= unit < units and (row is None or 0 <= row < rows)):
            raise LabError("error_weight_not_in_network")
        if not (math.isfinite(value) and abs(value) <= MAX_TYPED_WEIGHT):
            raise LabError("error_weight_range", low=-MAX_TYPED_WEIGHT, high=MAX_TYPED_WEIGHT)
        if row is None and not dense.use_bias:
            raise LabError("error_weight_no_bias")
        variable = dense.bias if row is None else dense.kernel
        values = variable.numpy()
        values[(unit,) if row is None else (row, unit)] = value
        variable.assign(values)
        if row is not None and self._state.dead:  # a weight set by hand is alive again, even at zero
            mask = self._state.dead[layer]
            revived = mask.numpy()
            revived[row, unit] = 0
            mask.assign(revived)
        self.changes.append((self.epoch, "weight", (layer, row, unit, float(value))))
        self.record_now()

    def _restart_log(self) -> None:
        weights = class_weights_for(self.train_spec, self.data)
        self.started_with = {
            "learning_rate": float(self.train_spec.learning_rate),
            "class_weights": tuple(float(w) for w in weights),
        }
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
            raise LabError("error_weights_missing", names=", ".join(missing[:3]))
        extra = sorted(set(arrays) - {w.path for w in weights})
        if extra:
            raise LabError("error_weights_extra", names=", ".join(extra[:3]))
        for weight in weights:
            if tuple(arrays[weight.path].shape) != tuple(weight.shape):
                raise LabError(
                    "error_weights_shape",
                    name=weight.path,
                    shape=str(tuple(arrays[weight.path].shape)),
                    expected=str(tuple(weight.shape)),
                )
        for weight in weights:
            weight.assign(arrays[weight.path].astype(np.float32))
        self.record_now()

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
        """Class probabilities (n, k) for raw inputs (n, n_inputs), k = 2 for binary models; for
        regression the predicted numbers (n, 1)."""
        return self.layer_outputs(x)[-1]

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """Each Dense layer's activations (n, units), the output as probabilities (n, k) last. An image network
        reads PREDICT_CHUNK images at a time, so 50,000 photographs never need their feature maps at once."""
        chunk = PREDICT_CHUNK if self.model_spec.conv_blocks else max(1, len(x))
        parts = [
            [t.numpy() for t in self._graphs.outputs(self._state, self._standardized(x[start : start + chunk]))]
            for start in range(0, max(1, len(x)), chunk)
        ]
        *hidden, out = (np.concatenate(layer) for layer in zip(*parts))
        return [*hidden, np.hstack([1 - out, out]) if self.binary else out]

    def gradients(self) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """∂L/∂w on the whole training set (the loss training minimises, penalties included), as
        (kernel gradient, bias gradient or None) per Dense layer, output last."""
        grads = [g.numpy() for g in self._graphs.gradients(self._state, self._data)]
        position = {id(v): i for i, v in enumerate(self.model.trainable_variables)}
        return [
            (grads[position[id(layer.kernel)]], grads[position[id(layer.bias)]] if layer.use_bias else None)
            for layer in dense_layers(self.model)
        ]

    def dead_weights(self) -> int | None:
        """How many weights L1 has snapped to zero (TF Playground's dead links); None without L1."""
        if not self._state.dead:
            return None
        return int(sum(mask.numpy().sum() for mask in self._state.dead))

    def learning_rates(self, epochs: int | None = None) -> np.ndarray:
        """The learning rate at the first step of each epoch 1…`epochs` (default: the run's epochs), as
        the schedule and the current rate make it: what the rate chart draws."""
        epochs = self.train_spec.epochs if epochs is None else epochs
        steps = np.arange(epochs) * self.steps_per_epoch
        return float(self.optimizer.learning_rate) * schedule_factors(
            self.train_spec.lr_schedule, self.train_spec.epochs * self.steps_per_epoch, steps
        )

    def _rates(self, epochs: int) -> np.ndarray:
        """(epochs, steps per epoch) learning rates of the coming steps: the rate now times the schedule."""
        per_epoch = self.steps_per_epoch
        steps = self.epoch * per_epoch + np.arange(epochs * per_epoch)
        factors = schedule_factors(self.train_spec.lr_schedule, self.train_spec.epochs * per_epoch, steps)
        return (float(self.optimizer.learning_rate) * factors).reshape(epochs, per_epoch).astype(np.float32)

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
        record = self._record_mask(epochs)
        metrics, snapshots, checks = self._train_chunk(
            self._permutations(epochs), record, self._rates(epochs), self.track_health
        )
        metrics, checks = metrics.numpy(), checks.numpy()
        elapsed = time.perf_counter() - start
        self._epoch_seconds = elapsed / epochs
        good = next(
            (i for i, row in enumerate(metrics) if self._diverged(row[0]) or not np.all(np.isfinite(row))), len(metrics)
        )
        if good < len(metrics):
            self.stopped_reason = "diverged"
            for variable, value in zip(self._state_variables(), before):
                variable.assign(value)
            if good:
                self._train_chunk(self._permutations(good), np.zeros(good, bool), self._rates(good), False)
        self._hand_over(metrics[:good], record[:good], [s.numpy() for s in snapshots])
        layers = len(self.model_spec.hidden_layers) + 1
        events = []
        for row, check in zip(metrics[:good], checks[:good]):
            self._seconds += elapsed / epochs
            events.append(EpochEvent(self.epoch + 1, *map(float, row), seconds=self._seconds))
            self.history.append(events[-1])
            if self.track_health:
                self.health.append(
                    Health(self.epoch, *(tuple(map(float, part)) for part in np.split(check, [layers, 2 * layers])))
                )
        return events

    def _record_mask(self, epochs: int) -> np.ndarray:
        """Which of the coming epochs end with a snapshot: every `recorder.every`-th epoch of the run."""
        if self.recorder is None:
            return np.zeros(epochs, bool)
        every = max(1, int(self.recorder.every))
        return (self.epoch + 1 + np.arange(epochs)) % every == 0

    def _hand_over(self, metrics: np.ndarray, record: np.ndarray, snapshots: list[np.ndarray]) -> None:
        """Give the recorder the snapshots of the epochs that were kept (none past a divergence)."""
        if self.recorder is None:
            return
        for index, offset in enumerate(np.flatnonzero(record)):
            self.recorder.add(
                self.epoch + 1 + int(offset), tuple(float(v) for v in metrics[offset]), [s[index] for s in snapshots]
            )

    def _diverged(self, train_loss: float) -> bool:
        if not np.isfinite(train_loss):
            return True
        if self.regression or self.model_spec.loss != "cross_entropy":
            return False
        return train_loss > DIVERGED_FACTOR * math.log(self.data.n_classes)

    def _permutations(self, epochs: int) -> np.ndarray:
        """One shuffle per epoch, seeded by (seed, epoch) so chunking never changes the order."""
        n = len(self.data.y_train)
        return np.stack(
            [np.random.default_rng([self.train_spec.seed, self.epoch + e]).permutation(n) for e in range(epochs)]
        ).astype(np.int32)

    def _train_chunk(self, permutations: np.ndarray, record: np.ndarray, rates: np.ndarray, health: bool):
        return self._graphs.train(
            self._state,
            self._data,
            tf.constant(permutations),
            tf.constant(record),
            tf.constant(rates),
            tf.constant(health),
        )

    def _standardized(self, x: np.ndarray) -> tf.Tensor:
        """Inputs as the model's first layer (keras Normalization) scales them, in the same float32 operations:
        the shared graphs start after that layer. Not the layer itself: an eager Keras call costs milliseconds."""
        x = np.asarray(x, np.float32)
        if self.standardize:
            layer = self.model.get_layer("scale")
            mean, variance = np.asarray(layer.mean, np.float32), np.asarray(layer.variance, np.float32)
            x = (x - mean) / np.maximum(np.sqrt(variance), np.float32(keras.backend.epsilon()))
        return tf.constant(x, tf.float32)

    def _state_variables(self) -> list:
        return [*self.model.variables, *self._state.slots, *self._state.dead]


def class_weights_for(train_spec: TrainSpec, data: Dataset) -> tuple[float, ...]:
    """The spec's class weights, or scikit-learn's "balanced" ones from the training labels (none for
    regression: there are no classes to weigh)."""
    if data.n_classes == 0:
        return ()
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
    return replace(spec, **changes)
