"""The Trainer on image networks: chunked test scores equal the whole-set formulas; steps and training scores are
model.fit's (running means over the epoch's batches)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlab.backend import keras
from nnlab.compiled import EVAL_CHUNK
from nnlab.data.dataset import Dataset
from nnlab.metrics import classification_metrics
from nnlab.models import build_model
from nnlab.spec import Experiment
from nnlab.train import PREDICT_CHUNK, Trainer

CLASSES = tuple(str(c) for c in range(10))


def photos(n_train: int, n_test: int, seed: int = 0) -> Dataset:
    """Random CIFAR-shaped images (32×32×3 in [0, 1]) with labels that depend on the mean red value."""
    rng = np.random.default_rng(seed)
    x = rng.random((n_train + n_test, 32 * 32 * 3), dtype=np.float32)
    y = np.minimum((x[:, 0::3].mean(axis=1) - 0.48) * 250, 9).clip(0).astype(np.int64)
    return Dataset("photos", x[:n_train], y[:n_train], x[n_train:], y[n_train:], class_names=CLASSES)


def conv_experiment(**changes) -> Experiment:
    settings = dict(
        dataset="cifar10",
        samples=6000,
        conv_blocks="4:3:same:2,8:3:valid:2",
        hidden_layers="16:relu",
        optimizer="adam",
        learning_rate=0.001,
        batch_size=64,
    )
    return Experiment().replace(**(settings | changes))


def test_an_image_networks_test_scores_are_the_whole_sets_counted_in_chunks():
    data = photos(300, EVAL_CHUNK * 2 + 137)  # full chunks and a remainder
    experiment = conv_experiment()
    trainer = Trainer(experiment.model, experiment.train, data, standardize=False)
    (event,) = trainer.run(1)
    test = trainer.predict(data.x_test)  # itself in chunks of PREDICT_CHUNK
    assert len(data.x_test) > PREDICT_CHUNK and test.shape == (len(data.y_test), 10)
    assert event.test_accuracy == pytest.approx(classification_metrics(data.y_test, test)["accuracy"], abs=1e-6)
    expected_loss = -np.mean(np.log(np.clip(test[np.arange(len(test)), data.y_test], 1e-7, 1)))
    assert event.test_loss == pytest.approx(expected_loss, rel=1e-4)


def test_chunked_predictions_equal_one_call_on_the_keras_model():
    data = photos(300, PREDICT_CHUNK + 50, seed=1)
    experiment = conv_experiment()
    trainer = Trainer(experiment.model, experiment.train, data, standardize=False)
    trainer.run(1)
    keras_out = trainer.model.predict(data.x_test, batch_size=len(data.x_test), verbose=0)
    np.testing.assert_allclose(trainer.predict(data.x_test), keras_out, atol=1e-5)


def test_full_batch_steps_equal_keras_fit_on_an_image_network():
    data = photos(200, 50, seed=2)
    experiment = conv_experiment(optimizer="sgd", learning_rate=0.1, batch_size=200)
    trainer = Trainer(experiment.model, experiment.train, data, standardize=False)
    reference = build_model(experiment.model, data.n_inputs, 10, experiment.train.seed)
    reference.set_weights(trainer.model.get_weights())
    reference.compile(optimizer=keras.optimizers.SGD(0.1), loss="categorical_crossentropy", metrics=["accuracy"])
    targets = np.eye(10, dtype=np.float32)[data.y_train]
    history = reference.fit(data.x_train, targets, batch_size=200, epochs=3, verbose=0).history
    events = trainer.run(3)
    for ours, theirs in zip(trainer.model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
    # The training scores are fit's: the running means over the epoch's batches (here one batch, before its step).
    np.testing.assert_allclose([e.train_loss for e in events], history["loss"], rtol=1e-4)
    np.testing.assert_allclose([e.train_accuracy for e in events], history["accuracy"], atol=1e-6)


def test_running_training_scores_over_several_batches_are_fits():
    data = photos(200, 40, seed=3)
    experiment = conv_experiment(optimizer="adam", learning_rate=0.01, batch_size=64)  # 3 full batches and 8
    trainer = Trainer(experiment.model, experiment.train, data, standardize=False)
    reference = build_model(experiment.model, data.n_inputs, 10, experiment.train.seed)
    reference.set_weights(trainer.model.get_weights())
    reference.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    order = np.random.default_rng([experiment.train.seed, 0]).permutation(200)  # the Trainer's first epoch
    targets = np.eye(10, dtype=np.float32)[data.y_train]
    history = reference.fit(data.x_train[order], targets[order], batch_size=64, shuffle=False, verbose=0).history
    (event,) = trainer.run(1)
    assert event.train_loss == pytest.approx(history["loss"][0], rel=1e-4)
    assert event.train_accuracy == pytest.approx(history["accuracy"][0], abs=1e-6)
