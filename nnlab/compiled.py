"""One traced training graph per network shape, shared by every Trainer of that shape.

Tracing a TensorFlow graph costs a second or more of GIL-holding Python, and a class of thirty
opens the same link at once. The graphs here take a model's state as arguments instead of
closing over one model: Keras's `stateless_call` runs a template network on the values read from
whichever variables are passed in, and the optimizer's update (nnlab.fused; TensorFlow's Keras has
no `stateless_apply`) writes them back. Variables passed to a `tf.function` are traced by shape and
dtype, not identity, so a second student with the same network reuses the first student's
graph and builds a lab in milliseconds.

What changes the graph is the key: the network (layers, activations, batch norm, dropout,
penalty, loss), the number of inputs, classes, training and test points and probe points, the
batch size, and the optimizer with its fixed constants. Every step's learning rate arrives as an
argument (a schedule, or the slider's value) and the class weights are variables, so their sliders
never retrace. Inputs arrive already standardised: the standardising layer's mean and variance are
constants of each student's own model.

With L1 the graph snaps a weight that L1 pushes across zero to exactly zero and keeps it there, as
TF Playground does: the subgradient of |w| would make it hop around zero for ever, and a weight that
L1 has switched off should look switched off (a "dead" link). TF Playground applies L1 as a step of
its own (lr·λ towards zero) and kills the weight when that step crosses zero; with the penalty inside
the optimizer's update, the same event is a weight that changes sign and lands within lr·λ of zero.
A weight that the data's gradient carries across zero lands farther away and lives on.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from nnlab.backend import keras, tf
from nnlab.fused import fused_update
from nnlab.models import build_model, conv_layers, dense_layers, loss_name, make_optimizer
from nnlab.spec import ModelSpec, TrainSpec

MAX_SHAPES = 32  # graphs kept server-wide; the least recently used shape is dropped first
EVAL_CHUNK = 1000  # images an image network scores at once (its first feature maps: 1000 × 32×32×8 floats, 33 MB)
LOSS_CLASSES = MappingProxyType(
    {
        "binary_crossentropy": keras.losses.BinaryCrossentropy,
        "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
        "mean_squared_error": keras.losses.MeanSquaredError,
    }
)


@dataclass(frozen=True)
class GraphKey:
    """Everything that changes a traced training graph, and nothing else."""

    network: tuple  # ModelSpec's fields but the feature names (their count is n_inputs)
    n_inputs: int
    n_classes: int
    n_train: int
    n_test: int
    n_probe: int
    batch_size: int
    optimizer: str
    momentum: float  # a constant of the momentum update; 0 for the other optimizers

    @classmethod
    def of(
        cls,
        model_spec: ModelSpec,
        train_spec: TrainSpec,
        n_inputs: int,
        n_classes: int,
        n_train: int,
        n_test: int,
        n_probe: int,
    ) -> GraphKey:
        network = (
            model_spec.hidden_layers,
            model_spec.dropout,
            model_spec.batch_norm,
            model_spec.regularization,
            model_spec.regularization_rate,
            model_spec.use_bias,
            model_spec.loss,
            model_spec.conv_blocks,
        )
        momentum = train_spec.momentum if train_spec.optimizer in ("momentum", "nesterov") else 0.0
        return cls(
            network,
            n_inputs,
            n_classes,
            n_train,
            n_test,
            n_probe,
            train_spec.batch_size,
            train_spec.optimizer,
            float(momentum),
        )


class State(NamedTuple):
    """One student's variables, in the template's order (tf.Variables, read and written by the graphs)."""

    trainable: list
    non_trainable: list
    slots: list  # the optimizer's variables, then the fused kernel's extra slots
    sample_weights: tf.Variable
    dead: list  # with L1: one 0/1 mask per Dense kernel, 1 where the weight was snapped to zero (else empty)


class Data(NamedTuple):
    """One student's standardised inputs and encoded labels (constant tensors)."""

    x_train: tf.Tensor
    y_train: tf.Tensor
    x_test: tf.Tensor
    y_test: tf.Tensor
    probe: tf.Tensor


class CompiledShape:
    """The traced graphs of one GraphKey: train epochs, snapshot now, every layer's output."""

    def __init__(self, key: GraphKey, model_spec: ModelSpec, train_spec: TrainSpec) -> None:
        self.key = key
        self.binary = key.n_classes == 2
        self.regression = key.n_classes == 0
        self.l1 = model_spec.regularization == "l1" and model_spec.regularization_rate > 0
        self.l1_rate = model_spec.regularization_rate
        self.core = build_model(model_spec, key.n_inputs, key.n_classes, seed=0)
        self._probe_model = keras.Model(self.core.inputs, [layer.output for layer in dense_layers(self.core)])
        if [id(v) for v in self._probe_model.trainable_variables] != [id(v) for v in self.core.trainable_variables]:
            raise AssertionError("the probe model must list the network's variables in the same order")
        self.optimizer = make_optimizer(train_spec.optimizer, train_spec.learning_rate, train_spec.momentum)
        self.optimizer.build(self.core.trainable_variables)
        self._update = fused_update(self.optimizer)
        if self._update is None:  # TensorFlow's Keras has no stateless_apply; make_optimizer never builds these
            raise ValueError(f"{train_spec.optimizer} has no update that a shared graph can apply")
        self.loss = LOSS_CLASSES[loss_name(model_spec, key.n_classes)]()
        position = {id(v): i for i, v in enumerate(self.core.trainable_variables)}
        self._weights = [
            (position[id(layer.kernel)], position[id(layer.bias)] if layer.use_bias else None)
            for layer in dense_layers(self.core)
        ]
        convolutions = conv_layers(self.core)
        self._filters = position[id(convolutions[0].kernel)] if convolutions else None  # drawn as pictures
        # An image network reports its training loss and accuracy as model.fit does (and seed 002's log shows):
        # the running means over the epoch's batches. Scoring every training image again after each epoch
        # would cost 40 % more (5,000 CIFAR-10 images; `bench conv`); the test set is still scored whole.
        self.running_train_scores = bool(convolutions) and key.n_classes > 2
        self._relu = [layer.activation is keras.activations.relu for layer in dense_layers(self.core)[:-1]]
        self.steps_per_epoch = -(-key.n_train // key.batch_size)
        state, data = self.template_state(), self._template_data()
        self._train = tf.function(self._train_epochs)
        self._now = tf.function(self._snapshot_with_metrics)
        self._outputs = tf.function(self._layer_outputs)
        self._gradients = tf.function(self._full_gradients)
        # Trace every graph once, for any number of epochs and inputs, then run each once so TensorFlow
        # optimises it now: the first Play of every student then trains at full speed.
        self._train.get_concrete_function(
            state,
            data,
            tf.TensorSpec([None, key.n_train], tf.int32),
            tf.TensorSpec([None], tf.bool),
            tf.TensorSpec([None, self.steps_per_epoch], tf.float32),
            tf.TensorSpec([], tf.bool),
        )
        self._outputs.get_concrete_function(state, tf.TensorSpec([None, key.n_inputs], tf.float32))
        self._train(
            state,
            data,
            tf.zeros([0, key.n_train], tf.int32),
            tf.zeros([0], tf.bool),
            tf.zeros([0, self.steps_per_epoch]),
            tf.constant(False),
        )
        self._outputs(state, tf.zeros([1, key.n_inputs]))
        self._now(state, data)

    # --- what a Trainer calls ------------------------------------------------------------------

    def new_slots(self, optimizer: keras.optimizers.Optimizer) -> list:
        """A student's optimizer variables, in the template's order, plus fresh extra slots."""
        extra = self._update.extra_slots
        return [v.value for v in optimizer.variables] + [tf.Variable(tf.zeros(s), trainable=False) for s in extra]

    def train(
        self, state: State, data: Data, permutations: tf.Tensor, record: tf.Tensor, rates: tf.Tensor, health: tf.Tensor
    ):
        """Epochs as `permutations` orders them, step s of epoch e at learning rate `rates[e, s]` ->
        (metrics (epochs, 4), stacked snapshots, health (epochs, health_width); zeros unless `health`)."""
        return self._train(state, data, permutations, record, rates, health)

    def gradients(self, state: State, data: Data) -> list[tf.Tensor]:
        """∂L/∂(every trainable variable) on the whole training set, in the template's order."""
        return self._gradients(state, data)

    @property
    def health_width(self) -> int:
        """Numbers per epoch in the health rows: each Dense layer's gradient and weight norm, each hidden
        layer's share of dead ReLUs."""
        return 3 * len(self._weights) - 1

    def now(self, state: State, data: Data):
        """(metrics (4,), snapshot) of the model as it is."""
        return self._now(state, data)

    def outputs(self, state: State, x: tf.Tensor) -> list[tf.Tensor]:
        """Every Dense layer's output on standardised inputs."""
        return self._outputs(state, x)

    def template_state(self) -> State:
        return State(
            [v.value for v in self.core.trainable_variables],
            [v.value for v in self.core.non_trainable_variables],
            self.new_slots(self.optimizer),
            tf.Variable(tf.ones([self.key.n_train]), trainable=False),
            self.new_dead_masks(),
        )

    def new_dead_masks(self) -> list:
        """With L1, a zero mask per Dense kernel (no weight snapped yet); otherwise none."""
        if not self.l1:
            return []
        return [
            tf.Variable(tf.zeros_like(self.core.trainable_variables[kernel]), trainable=False)
            for kernel, _ in self._weights
        ]

    # --- the graphs ------------------------------------------------------------------------------

    def _template_data(self) -> Data:
        k = self.key.n_classes if self.key.n_classes > 2 else 1
        return Data(
            tf.zeros([self.key.n_train, self.key.n_inputs]),
            tf.zeros([self.key.n_train, k]),
            tf.zeros([self.key.n_test, self.key.n_inputs]),
            tf.zeros([self.key.n_test, k]),
            tf.zeros([self.key.n_probe, self.key.n_inputs]),
        )

    def _train_epochs(
        self, state: State, data: Data, permutations: tf.Tensor, record: tf.Tensor, rates: tf.Tensor, health: tf.Tensor
    ):
        """Graph: for each epoch, every batch's update, then whole-set metrics -> (epochs, 4), a
        snapshot (`_snapshot`, stacked) after each epoch whose `record` flag is set, and with `health`
        the epoch's gradient and weight norms and dead ReLUs (`_health`).

        The full batches and the last, partial one are two separate steps in the graph, each with
        a fixed batch size: with static shapes TensorFlow folds away most of the per-step shape work.
        """
        n, batch = self.key.n_train, self.key.batch_size
        full, rest = divmod(n, batch)
        out = tf.TensorArray(tf.float32, size=tf.shape(permutations)[0])
        checks = tf.TensorArray(tf.float32, size=tf.shape(permutations)[0], element_shape=[self.health_width])
        shapes = [t.shape for t in self._snapshot(state, data)]
        snapshots = [tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=shape) for shape in shapes]
        taken = tf.constant(0)
        for e in tf.range(tf.shape(permutations)[0]):
            order = permutations[e]
            seen = tf.zeros([2])  # the epoch's running (loss × examples, correct answers), for RUNNING_TRAIN_SCORES
            for s in tf.range(full):
                seen += self._batch_step(state, data, tf.slice(order, [s * batch], [batch]), rates[e, s])
            if rest:
                seen += self._batch_step(state, data, order[full * batch :], rates[e, full])
            if self.running_train_scores:
                out = out.write(e, tf.concat([seen / n, tf.stack(self._scores(state, data.x_test, data.y_test))], 0))
            else:
                out = out.write(e, self._evaluate(state, data))
            if health:
                checks = checks.write(e, self._health(state, data))
            else:
                checks = checks.write(e, tf.zeros([self.health_width]))
            if record[e]:
                snapshots = [array.write(taken, value) for array, value in zip(snapshots, self._snapshot(state, data))]
                taken += 1
        return out.stack(), [array.stack() for array in snapshots], checks.stack()

    def _batch_step(self, state: State, data: Data, index: tf.Tensor, lr: tf.Tensor) -> tf.Tensor:
        return self._step(
            state,
            tf.gather(data.x_train, index),
            tf.gather(data.y_train, index),
            tf.gather(state.sample_weights, index),
            lr,
        )

    def _step(self, state: State, x: tf.Tensor, y: tf.Tensor, sample_weight: tf.Tensor, lr: tf.Tensor) -> tf.Tensor:
        """One optimizer update, as `model.fit`'s train step makes it (then L1's snapping, `_snap`) -> (the batch's
        loss × its size, its correct answers): what fit's running scores add up (zeros unless they are kept)."""
        values = [v.read_value() for v in state.trainable]
        with tf.GradientTape() as tape:
            tape.watch(values)
            p, updated, penalties = self.core.stateless_call(
                values, [v.read_value() for v in state.non_trainable], x, training=True, return_losses=True
            )
            loss = self.loss(y, p, sample_weight=sample_weight)
            if penalties:
                loss += tf.add_n(penalties)
        grads = tape.gradient(loss, values)
        for variable, value in zip(state.non_trainable, updated):
            variable.assign(value)
        self._update.apply(grads, state.trainable, state.slots, lr)
        if self.l1:
            self._snap(state, values, lr)
        if not self.running_train_scores:
            return tf.zeros([2])
        size = tf.cast(tf.shape(x)[0], tf.float32)
        hits = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(p, axis=1), tf.argmax(y, axis=1)), tf.float32))
        return tf.stack([tf.cast(loss, tf.float32) * size, hits])

    def _snap(self, state: State, before: list, lr: tf.Tensor) -> None:
        """TF Playground's L1 rule: a weight that L1's step carried across zero becomes exactly zero, and stays dead."""
        reach = tf.cast(lr, tf.float32) * self.l1_rate  # how far L1 alone moves a weight in one step
        for (kernel, _), mask in zip(self._weights, state.dead):
            variable = state.trainable[kernel]
            after = variable.read_value()
            crossed = tf.logical_and(before[kernel] * after < 0, tf.abs(after) <= reach)
            dead = tf.logical_or(mask.read_value() > 0, crossed)
            variable.assign(tf.where(dead, tf.zeros_like(after), after))
            mask.assign(tf.cast(dead, mask.dtype))

    def _objective(self, state: State, values: list, x: tf.Tensor, y: tf.Tensor, sample_weight: tf.Tensor):
        """The training loss (weighted, penalties added), in inference mode: what a health check measures."""
        p, _, penalties = self.core.stateless_call(
            values, [v.read_value() for v in state.non_trainable], x, training=False, return_losses=True
        )
        loss = self.loss(y, p, sample_weight=sample_weight)
        return (loss + tf.add_n(penalties)) if penalties else loss

    def _full_gradients(self, state: State, data: Data) -> list[tf.Tensor]:
        values = [v.read_value() for v in state.trainable]
        with tf.GradientTape() as tape:
            tape.watch(values)
            loss = self._objective(state, values, data.x_train, data.y_train, state.sample_weights.read_value())
        return tape.gradient(loss, values)

    def _health(self, state: State, data: Data) -> tf.Tensor:
        """Per Dense layer the whole-training-set gradient's norm and the weights' norm (kernel and bias
        together), then per hidden layer the share of ReLUs that no training point activates (NaN when
        the layer is not ReLU)."""
        grads = self._full_gradients(state, data)
        grad_norms, weight_norms = [], []
        for kernel, bias in self._weights:
            parts = [kernel] if bias is None else [kernel, bias]
            grad_norms.append(tf.linalg.global_norm([grads[i] for i in parts]))
            weight_norms.append(tf.linalg.global_norm([state.trainable[i].read_value() for i in parts]))
        dead = []
        hidden = self._layer_outputs(state, data.x_train)[:-1]
        for relu, out in zip(self._relu, hidden):
            never = tf.reduce_mean(tf.cast(tf.reduce_max(out, axis=0) <= 0, tf.float32))
            dead.append(never if relu else tf.constant(float("nan")))
        return tf.cast(tf.stack([*grad_norms, *weight_norms, *dead]), tf.float32)

    def _predict(self, state: State, x: tf.Tensor, model: keras.Model):
        return model.stateless_call(
            [v.read_value() for v in state.trainable], [v.read_value() for v in state.non_trainable], x, training=False
        )[0]

    def _evaluate(self, state: State, data: Data) -> tf.Tensor:
        train = self._scores(state, data.x_train, data.y_train)
        test = self._scores(state, data.x_test, data.y_test)
        return tf.stack([*train, *test])

    def _scores(self, state: State, x: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """The loss and score on a whole set. An image network's set goes through in chunks of EVAL_CHUNK: its
        feature maps for 50,000 CIFAR-10 images at once would take gigabytes. Its mean loss and accuracy are
        the chunks' means weighted by their sizes (a convolution lab always classifies)."""
        n = x.shape[0]
        if self._filters is None or n <= EVAL_CHUNK:
            return self._loss_and_accuracy(self._predict(state, x, self.core), y)
        full, rest = divmod(n, EVAL_CHUNK)
        loss, hits = tf.constant(0.0), tf.constant(0.0)
        for i in tf.range(full):
            rows = tf.range(i * EVAL_CHUNK, (i + 1) * EVAL_CHUNK)
            part = self._loss_and_accuracy(self._predict(state, tf.gather(x, rows), self.core), tf.gather(y, rows))
            loss, hits = loss + part[0] * EVAL_CHUNK, hits + part[1] * EVAL_CHUNK
        if rest:
            part = self._loss_and_accuracy(
                self._predict(state, x[full * EVAL_CHUNK :], self.core), y[full * EVAL_CHUNK :]
            )
            loss, hits = loss + part[0] * rest, hits + part[1] * rest
        return loss / n, hits / n

    def _loss_and_accuracy(self, p: tf.Tensor, y: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """The loss and the score: accuracy for classes, R² (1 − SSE/SST) for a number."""
        loss = tf.cast(self.loss(y, p), tf.float32)
        if self.regression:
            residual = tf.reduce_sum(tf.square(y - p))
            total = tf.reduce_sum(tf.square(y - tf.reduce_mean(y)))
            return loss, tf.cast(1.0 - residual / tf.maximum(total, 1e-12), tf.float32)
        if self.binary:
            hits = tf.equal(tf.cast(p > 0.5, tf.float32), y)
        else:
            hits = tf.equal(tf.argmax(p, axis=1), tf.argmax(y, axis=1))
        return loss, tf.reduce_mean(tf.cast(hits, tf.float32))

    def _layer_outputs(self, state: State, x: tf.Tensor) -> list[tf.Tensor]:
        outputs = self._predict(state, x, self._probe_model)
        return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]

    def _snapshot(self, state: State, data: Data) -> list[tf.Tensor]:
        """The model as the player draws it: every Dense layer's output on the probe, then each
        layer's kernel and bias (a zero-length bias for a layer without one), then for an image network
        its first convolution's kernel (k, k, channels, filters): the filters the Convolution lab draws."""
        weights = []
        for kernel, bias in self._weights:
            weights.append(state.trainable[kernel].read_value())
            weights.append(tf.zeros([0]) if bias is None else state.trainable[bias].read_value())
        if self._filters is not None:
            weights.append(state.trainable[self._filters].read_value())
        if self.key.n_probe:
            outputs = self._layer_outputs(state, data.probe)
        else:  # no probe (images): no call on an empty batch, which TensorFlow's convolution refuses
            outputs = [tf.zeros([0, layer.units]) for layer in dense_layers(self.core)]
        return [tf.cast(t, tf.float32) for t in (*outputs, *weights)]

    def _snapshot_with_metrics(self, state: State, data: Data):
        return self._evaluate(state, data), self._snapshot(state, data)


@dataclass
class _Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    shape: CompiledShape | None = None


_ENTRY_LOCK = threading.Lock()


@functools.lru_cache(maxsize=MAX_SHAPES)  # a Trainer keeps its own CompiledShape alive past eviction
def _entry(key: GraphKey) -> _Entry:
    return _Entry()


def compiled_for(key: GraphKey, model_spec: ModelSpec, train_spec: TrainSpec) -> CompiledShape:
    """The server-wide graphs for `key`, traced on first use (once, even when many students ask at once)."""
    with _ENTRY_LOCK:
        entry = _entry(key)
    with entry.lock:
        if entry.shape is None:
            entry.shape = CompiledShape(key, model_spec, train_spec)
        return entry.shape


def shapes_kept() -> int:
    """How many shapes the server holds graphs for (for tests and benchmarks)."""
    return _entry.cache_info().currsize


def clear() -> None:
    """Forget every shape (tests that count tracing start from nothing)."""
    with _ENTRY_LOCK:
        _entry.cache_clear()
