"""The Trainer on image networks: chunked scoring of large sets equals the whole-set formulas, and fit agrees."""

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


def test_an_image_networks_epoch_scores_whole_sets_in_chunks_with_the_whole_set_result():
    data = photos(EVAL_CHUNK * 2 + 137, EVAL_CHUNK + 3)  # full chunks and a remainder, train and test
    experiment = conv_experiment()
    trainer = Trainer(experiment.model, experiment.train, data, standardize=False)
    (event,) = trainer.run(1)
    train = trainer.predict(data.x_train)  # itself in chunks of PREDICT_CHUNK
    test = trainer.predict(data.x_test)
    assert len(data.x_train) > PREDICT_CHUNK and train.shape == (len(data.y_train), 10)
    assert event.train_accuracy == pytest.approx(classification_metrics(data.y_train, train)["accuracy"], abs=1e-6)
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
    reference.compile(optimizer=keras.optimizers.SGD(0.1), loss="categorical_crossentropy")
    reference.fit(data.x_train, np.eye(10, dtype=np.float32)[data.y_train], batch_size=200, epochs=3, verbose=0)
    trainer.run(3)
    for ours, theirs in zip(trainer.model.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)
