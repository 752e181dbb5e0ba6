"""Trainer: its compiled epochs are Keras `model.fit` epochs, seeded, resumable, and stop when training blows up."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from nnlab.backend import keras
from nnlab.data.toy import make_dataset
from nnlab.models import build_model, loss_name, make_optimizer
from nnlab.spec import Experiment
from nnlab.train import Trainer, sample_weights

# 100 points with the default 0.5 split: 50 training points, so batch 16 leaves a partial batch of 2.
SMALL = {"samples": 100, "batch_size": 16, "seed": 7}


def make_trainer(**settings) -> Trainer:
    experiment = Experiment().replace(**{**SMALL, **settings})
    data = make_dataset(experiment.data, experiment.train.train_ratio, experiment.train.seed)
    return Trainer(experiment.model, experiment.train, data)


def weights_of(trainer: Trainer) -> list[np.ndarray]:
    return [w.copy() for w in trainer.model.get_weights()]


def curves(events) -> list[tuple[float, ...]]:
    """The numbers an epoch produced, without its wall-clock time."""
    return [(e.epoch, e.train_loss, e.train_accuracy, e.test_loss, e.test_accuracy) for e in events]


# --- the oracle: one epoch of Trainer == one epoch of model.fit ------------------------------

ORACLE_CASES = {
    "sgd+l2": dict(
        optimizer="sgd", learning_rate=0.3, regularization="l2", regularization_rate=0.01, class_weights="1,3"
    ),
    "adam": dict(optimizer="adam", learning_rate=0.05, class_weights="1,3"),
    "adagrad": dict(optimizer="adagrad", learning_rate=0.3, class_weights="1,3"),  # Keras's formula, not a kernel
    "nesterov+mse": dict(optimizer="nesterov", learning_rate=0.2, loss="squared_error", class_weights="1,3"),
    "rmsprop+softmax+bn": dict(
        optimizer="rmsprop",
        learning_rate=0.01,
        dataset="gauss",
        classes=3,
        batch_norm=True,
        hidden_layers="5:relu,3:tanh",
        class_weights="1,3,2",
        samples=150,
    ),
}


@pytest.mark.parametrize("settings", ORACLE_CASES.values(), ids=ORACLE_CASES.keys())
def test_first_epoch_equals_keras_fit(settings):
    trainer = make_trainer(**settings)
    spec, train, data = trainer.model_spec, trainer.train_spec, trainer.data
    assert len(data.y_train) % train.batch_size != 0  # the last batch is partial
    initial = weights_of(trainer)

    x, y = data.x_train, trainer.encode_labels(data.y_train)
    scale = (x.mean(axis=0), np.maximum(x.var(axis=0), 1e-6))
    reference = build_model(spec, data.n_inputs, data.n_classes, train.seed + 1, scale)  # other seed: copy below
    reference.set_weights(initial)
    reference.compile(
        optimizer=make_optimizer(train.optimizer, train.learning_rate, train.momentum),
        loss=loss_name(spec, data.n_classes),
    )
    order = np.random.default_rng([train.seed, 0]).permutation(len(x))
    reference.fit(
        x[order],
        y[order],
        batch_size=train.batch_size,
        epochs=1,
        shuffle=False,
        class_weight=dict(enumerate(train.class_weights)),
        verbose=0,
    )

    trainer.run(1)
    moved = max(np.abs(a - b).max() for a, b in zip(weights_of(trainer), initial))
    assert moved > 1e-3  # the epoch did train
    for ours, theirs in zip(weights_of(trainer), reference.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5, rtol=1e-5)


# --- one traced graph per network shape, shared by every student of that shape ---------------


def test_a_second_student_of_the_same_shape_reuses_the_graphs():
    first = make_trainer(seed=7, learning_rate=0.1)
    second = make_trainer(seed=8, learning_rate=0.01, class_weights="1,3")  # rate and weights are variables
    assert second._graphs is first._graphs
    assert make_trainer(seed=7, batch_size=8)._graphs is not first._graphs  # the batch size is in the graph


def test_one_trace_serves_every_chunk_length_and_input_count():
    from nnlab import compiled

    compiled.clear()
    trainer = make_trainer(seed=7, hidden_layers="5:tanh")
    for epochs in (1, 3, 2):
        trainer.run(epochs)
    trainer.predict(trainer.data.x_test)
    trainer.predict(trainer.data.x_test[:3])
    graphs = trainer._graphs
    assert graphs._train.experimental_get_tracing_count() == 1
    assert graphs._outputs.experimental_get_tracing_count() == 1
    assert compiled.shapes_kept() == 1


def test_students_sharing_a_graph_train_exactly_as_if_alone():
    from nnlab import compiled

    settings = dict(hidden_layers="6:tanh,4:relu", optimizer="adam", learning_rate=0.05, dropout=0.2)
    compiled.clear()
    alone = {seed: curves(make_trainer(seed=seed, **settings).run(4)) for seed in (7, 8)}
    compiled.clear()
    first, second = (make_trainer(seed=seed, **settings) for seed in (7, 8))
    assert first._graphs is second._graphs
    together = {7: [], 8: []}
    for _ in range(2):  # interleaved chunks: each step reads and writes only its own student's variables
        together[7] += curves(first.run(2))
        together[8] += curves(second.run(2))
    assert together == alone
    assert together[7] != together[8]


def test_sample_weights_are_class_weights_per_sample():
    y = np.array([0, 1, 1, 0, 2])
    np.testing.assert_array_equal(sample_weights(y, (1.0, 3.0, 0.5)), [1, 3, 3, 1, 0.5])
    np.testing.assert_array_equal(sample_weights(y, ()), np.ones(5))
    assert sample_weights(y, ()).dtype == np.float32


@pytest.mark.parametrize("n_train, batch, steps", [(50, 16, 4), (50, 10, 5), (50, 50, 1), (50, 1, 50)])
def test_steps_per_epoch_is_ceil_of_points_over_batch(n_train, batch, steps):
    trainer = make_trainer(batch_size=batch)
    assert len(trainer.data.y_train) == n_train
    assert trainer.steps_per_epoch == steps == math.ceil(n_train / batch)


# --- running ---------------------------------------------------------------------------------


def test_run_honours_the_epoch_count_and_reports_every_epoch():
    trainer = make_trainer()
    seen = []
    events = trainer.run(5, on_epoch=seen.append)
    assert seen == events == trainer.history
    assert [e.epoch for e in events] == [1, 2, 3, 4, 5] and trainer.epoch == 5
    assert [e.epoch for e in trainer.run(3, on_epoch=seen.append)] == [6, 7, 8]
    assert [e.epoch for e in seen] == list(range(1, 9))
    seconds = [e.seconds for e in seen]
    assert seconds == sorted(seconds) and seconds[0] > 0
    for e in seen:
        assert 0 <= e.train_accuracy <= 1 and 0 <= e.test_accuracy <= 1
        assert math.isfinite(e.train_loss) and math.isfinite(e.test_loss)


def test_run_returns_early_when_time_is_up():
    trainer = make_trainer()
    assert len(trainer.run(1000, max_seconds=0)) >= 1  # at least one epoch, even with no time
    start = time.perf_counter()
    events = trainer.run(1_000_000, max_seconds=0.2)
    assert 1 <= len(events) < 1_000_000
    assert time.perf_counter() - start < 5


def test_chunking_does_not_change_training():
    whole, pieces = make_trainer(optimizer="adam"), make_trainer(optimizer="adam")
    whole.run(6)
    pieces.run(1)
    pieces.run(2)
    pieces.run(3)
    assert curves(whole.history) == curves(pieces.history)


def test_same_spec_same_history():
    settings = dict(optimizer="adam", learning_rate=0.02, dropout=0.2, batch_norm=True, hidden_layers="6:relu")
    first, second = make_trainer(**settings), make_trainer(**settings)
    assert curves(first.run(4)) == curves(second.run(4))
    for a, b in zip(weights_of(first), weights_of(second), strict=True):
        np.testing.assert_array_equal(a, b)


def test_another_seed_other_weights():
    a, b = make_trainer(seed=1), make_trainer(seed=2)
    assert not all(np.array_equal(x, y) for x, y in zip(weights_of(a), weights_of(b)))


def test_predictions_agree_with_the_reported_metrics():
    trainer = make_trainer(optimizer="adam", learning_rate=0.05)
    last = trainer.run(3)[-1]
    data = trainer.data
    p_train, p_test = trainer.predict(data.x_train), trainer.predict(data.x_test)
    assert p_train.shape == (len(data.y_train), 2)
    np.testing.assert_allclose(p_train.sum(axis=1), 1, atol=1e-6)
    assert last.train_accuracy == pytest.approx(np.mean(p_train.argmax(axis=1) == data.y_train))
    assert last.test_accuracy == pytest.approx(np.mean(p_test.argmax(axis=1) == data.y_test))
    bce = keras.losses.BinaryCrossentropy()
    assert last.train_loss == pytest.approx(float(bce(data.y_train[:, None], p_train[:, 1:])), rel=1e-5)


# --- reset and the live learning rate -------------------------------------------------------


def test_reset_restores_initial_weights_and_clears_history():
    trainer = make_trainer(optimizer="adam", learning_rate=0.05)
    initial = weights_of(trainer)
    first = curves(trainer.run(3))
    trainer.reset()
    assert trainer.history == [] and trainer.epoch == 0 and trainer.stopped_reason is None
    assert int(trainer.optimizer.iterations) == 0
    for a, b in zip(weights_of(trainer), initial, strict=True):
        np.testing.assert_array_equal(a, b)
    assert curves(trainer.run(3)) == first  # the optimizer's state was reset too


def test_set_learning_rate_keeps_the_model_and_changes_the_step():
    trainer = make_trainer(optimizer="adam", learning_rate=0.05)
    trainer.run(2)
    before, iterations = weights_of(trainer), int(trainer.optimizer.iterations)
    trainer.set_learning_rate(1e-9)
    assert trainer.epoch == 2 and int(trainer.optimizer.iterations) == iterations
    assert float(trainer.optimizer.learning_rate) == pytest.approx(1e-9)
    assert trainer.train_spec.learning_rate == 1e-9
    for a, b in zip(weights_of(trainer), before, strict=True):
        np.testing.assert_array_equal(a, b)
    trainer.run(1)  # the compiled epochs read the new rate: a tiny step barely moves anything
    assert trainer.epoch == 3
    assert max(np.abs(a - b).max() for a, b in zip(weights_of(trainer), before)) < 1e-6


def test_set_learning_rate_is_the_same_as_starting_with_that_rate():
    changed, fresh = make_trainer(learning_rate=0.1), make_trainer(learning_rate=0.4)
    changed.set_learning_rate(0.4)
    assert curves(changed.run(2)) == curves(fresh.run(2))


def test_reset_keeps_the_chosen_learning_rate():
    trainer = make_trainer(learning_rate=0.1)
    trainer.run(1)
    trainer.set_learning_rate(0.5)
    trainer.reset()
    assert float(trainer.optimizer.learning_rate) == pytest.approx(0.5)


# --- divergence and other shapes of problem -------------------------------------------------


def test_divergence_stops_training_and_keeps_only_finite_history():
    trainer = make_trainer(
        dataset="spiral", samples=200, hidden_layers="16:tanh,16:tanh", optimizer="sgd", learning_rate=10, batch_size=10
    )
    trainer.run(50)
    assert trainer.stopped_reason == "diverged"
    assert trainer.epoch < 50
    assert np.isfinite(np.array(curves(trainer.history), dtype=float)).all()
    assert trainer.run(10) == []  # stays stopped until reset
    trainer.reset()
    assert trainer.stopped_reason is None


def test_after_divergence_the_model_is_its_last_finite_epoch():
    settings = dict(
        dataset="spiral",
        samples=200,
        hidden_layers="16:tanh,16:tanh",
        optimizer="momentum",
        learning_rate=1.0,
        batch_size=10,
    )
    trainer = make_trainer(**settings)
    trainer.run(50)  # one compiled chunk, which blows up part-way (after 17 epochs here)
    assert trainer.stopped_reason == "diverged" and 5 <= trainer.epoch < 50
    assert all(np.isfinite(w).all() for w in weights_of(trainer))
    assert np.isfinite(trainer.predict(trainer.data.x_test)).all()  # what the pages draw and score
    replay = make_trainer(**settings)
    replay.run(trainer.epoch)  # the same seeded epochs, stopped before the blow-up
    for ours, expected in zip(weights_of(trainer), weights_of(replay), strict=True):
        np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


def test_multiclass_softmax_trains():
    trainer = make_trainer(dataset="circle", classes=3, samples=150, optimizer="adam", learning_rate=0.05)
    assert trainer.model.output_shape == (None, 3)
    events = trainer.run(3)
    assert len(events) == 3 and trainer.stopped_reason is None
    probabilities = trainer.predict(trainer.data.x_test)
    assert probabilities.shape == (len(trainer.data.y_test), 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    assert np.isfinite(curves(events)).all()


@pytest.mark.parametrize("classes", [2, 3])
def test_squared_error_trains(classes):
    trainer = make_trainer(dataset="gauss", classes=classes, loss="squared_error", samples=150)
    events = trainer.run(3)
    assert len(events) == 3 and trainer.stopped_reason is None
    assert np.isfinite(curves(events)).all()


def test_layer_outputs_give_every_hidden_layer_then_probabilities():
    trainer = make_trainer(hidden_layers="5:relu,3:tanh")
    outputs = trainer.layer_outputs(trainer.data.x_test[:7])
    assert [o.shape for o in outputs] == [(7, 5), (7, 3), (7, 2)]


def test_no_hidden_layer_is_logistic_regression():
    trainer = make_trainer(hidden_layers="")
    assert trainer.parameters == 3  # two weights and a bias
    assert [o.shape for o in trainer.layer_outputs(trainer.data.x_test[:4])] == [(4, 2)]
    assert len(trainer.run(2)) == 2


# --- fused optimizer updates: the same numbers as optimizer.apply ----------------------------


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_fused_updates_match_keras_optimizer_apply(name):
    from nnlab.backend import keras, tf
    from nnlab.fused import fused_apply
    from nnlab.models import make_optimizer

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = (rng.random((64, 1)) > 0.5).astype("float32")

    def train(fused: bool) -> list[np.ndarray]:
        keras.utils.set_random_seed(1)
        model = keras.Sequential(
            [keras.Input((5,)), keras.layers.Dense(7, activation="tanh"), keras.layers.Dense(1, activation="sigmoid")]
        )
        optimizer = make_optimizer(name, 0.05, 0.9)
        optimizer.build(model.trainable_variables)
        apply = fused_apply(optimizer) if fused else optimizer.apply

        @tf.function
        def step(xb, yb):
            with tf.GradientTape() as tape:
                loss = keras.losses.BinaryCrossentropy()(yb, model(xb, training=True))
            apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)

        for i in range(40):
            step(x[i % 8 * 8 :][:8], y[i % 8 * 8 :][:8])
        optimizer.learning_rate = 0.01  # the page's live learning-rate change reaches the fused update
        for _ in range(10):
            step(x[:8], y[:8])
        return [w.numpy() for w in model.weights] + [v.numpy() for v in optimizer.variables]

    keras_path, fused_path = train(False), train(True)
    assert len(keras_path) == len(fused_path)
    for expected, got in zip(keras_path, fused_path):
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)  # float rounding of a different op order


def test_fused_updates_are_chosen_only_where_the_kernel_is_kerass_formula():
    from nnlab.backend import keras
    from nnlab.fused import fused_apply

    for optimizer in (
        keras.optimizers.Adam(0.1, amsgrad=True),
        keras.optimizers.RMSprop(0.1, momentum=0.5),
        keras.optimizers.SGD(0.1, clipnorm=1.0),
    ):
        assert fused_apply(optimizer) == optimizer.apply  # the same bound method: no fusion
    assert fused_apply(keras.optimizers.Adam(0.1)) != keras.optimizers.Adam(0.1).apply


def test_changing_the_learning_rate_while_a_chunk_trains_never_corrupts_the_model():
    """A slider moved mid-run reaches the trainer from another thread; epochs stay whole and finite."""
    import threading

    trainer = make_trainer(
        dataset="spiral", samples=300, hidden_layers="8:tanh,8:tanh", optimizer="adam", learning_rate=0.01
    )
    done = threading.Event()

    def train() -> None:
        trainer.run(60, max_seconds=3.0)
        done.set()

    worker = threading.Thread(target=train)
    worker.start()
    rates = [0.001, 0.003, 0.01, 0.03]
    while not done.is_set():
        trainer.set_learning_rate(rates[len(trainer.history) % len(rates)])
        time.sleep(0.005)
    worker.join()
    assert [e.epoch for e in trainer.history] == list(range(1, trainer.epoch + 1))
    assert np.isfinite(np.array(curves(trainer.history), dtype=float)).all()
    assert all(np.isfinite(w).all() for w in weights_of(trainer))
