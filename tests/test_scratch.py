"""The hand-written network: seed 003's printed figures, seed 004's gradient check, and Keras/TF as oracles."""

from __future__ import annotations

import numpy as np
import pytest

from nnlab import scratch
from nnlab.data.toy import make_points
from nnlab.spec import DataSpec

# Seed 003's printed trace ("Cost after iteration i"), produced by its recipe including the db1 slip.
SEED_003_TRACE = [1.127380, 0.289172, 0.277022, 0.268653, 0.263671, 0.260331, 0.257915, 0.256075, 0.254613, 0.253411]
# The same run with the correct db1 (DESIGN.md, "Facts worth knowing").
CORRECT_AT = {0: 1.127380, 1000: 0.288553, 9000: 0.252245}


@pytest.fixture(scope="module")
def flower_XY():
    return scratch.planar_flower()


@pytest.fixture(scope="module")
def trained(flower_XY):
    """Both full 10,000-iteration runs, n_h = 4, lr 1.2 (about 1.5 s each)."""
    X, Y = flower_XY
    return {seed_db1: scratch.nn_model(X, Y, 4, seed_db1=seed_db1) for seed_db1 in (True, False)}


@pytest.fixture(scope="module")
def small_problem():
    """5 examples, 3 inputs, 4 hidden units: small enough to check every partial derivative."""
    random = np.random.RandomState(7)
    X = random.randn(3, 5)
    Y = (random.rand(1, 5) > 0.5).astype(np.float64)
    parameters = scratch.initialize_parameters(3, 4, 1, seed=3)
    parameters["b1"] = random.randn(4, 1)  # nonzero biases, so the check is not trivially at zero
    parameters["b2"] = random.randn(1, 1)
    return parameters, X, Y


def test_planar_flower_is_the_spec_generators_data_in_the_lessons_layout(flower_XY):
    X, Y = flower_XY
    x, y = make_points(DataSpec(dataset="flower", samples=400, noise=0.2), seed=1)
    assert X.shape == (2, 400) and Y.shape == (1, 400) and X.dtype == Y.dtype == np.float64
    np.testing.assert_array_equal(X.T.astype(np.float32), x)
    np.testing.assert_array_equal(Y.ravel(), y)


def test_initialization_draws_the_seeds_numbers_without_touching_global_state():
    np.random.seed(123)
    expected_next = np.random.rand(3)
    np.random.seed(123)
    parameters = scratch.initialize_parameters(2, 4, 1)
    np.testing.assert_array_equal(np.random.rand(3), expected_next)
    np.random.seed(2)  # the seed's own lines, as the oracle
    W1 = np.random.normal(0, 1, size=(4, 2))
    W2 = np.random.normal(0, 1, size=(1, 4))
    np.testing.assert_array_equal(parameters["W1"], W1)
    np.testing.assert_array_equal(parameters["W2"], W2)
    assert not parameters["b1"].any() and parameters["b1"].shape == (4, 1)
    assert not parameters["b2"].any() and parameters["b2"].shape == (1, 1)


def test_cost_at_iteration_0_is_the_seeds(flower_XY):
    X, Y = flower_XY
    A2, _ = scratch.forward_propagation(X, scratch.initialize_parameters(2, 4, 1))
    assert round(scratch.compute_cost(A2, Y), 6) == 1.127380


def test_seed_db1_reproduces_seed_003s_whole_printed_trace(trained):
    _, costs = trained[True]
    assert [i for i, _ in costs] == list(range(0, 10000, 1000))
    assert [round(cost, 6) for _, cost in costs] == SEED_003_TRACE


def test_correct_gradient_gives_the_design_notes_costs(trained):
    costs = dict(trained[False][1])
    assert {i: round(costs[i], 6) for i in CORRECT_AT} == CORRECT_AT


@pytest.mark.parametrize("seed_db1", [True, False])
def test_both_runs_classify_about_91_percent_of_the_flower(trained, flower_XY, seed_db1):
    X, Y = flower_XY
    assert 0.90 <= scratch.accuracy(trained[seed_db1][0], X, Y) <= 0.92


def test_predict_thresholds_the_output(flower_XY):
    X, _ = flower_XY
    parameters = scratch.initialize_parameters(2, 4, 1)
    A2, _ = scratch.forward_propagation(X, parameters)
    predictions = scratch.predict(parameters, X, threshold=0.3)
    assert predictions.shape == (1, 400)
    np.testing.assert_array_equal(predictions, (A2 > 0.3).astype(int))


def test_l2_term_adds_lambda_over_2m_times_the_squared_weights_only(small_problem):
    parameters, X, Y = small_problem
    A2, _ = scratch.forward_propagation(X, parameters)
    squares = np.sum(parameters["W1"] ** 2) + np.sum(parameters["W2"] ** 2)
    expected = scratch.compute_cost(A2, Y) + 0.7 / (2 * 5) * squares
    assert scratch.compute_cost(A2, Y, parameters, lambd=0.7) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="parameters"):
        scratch.compute_cost(A2, Y, lambd=0.7)


@pytest.mark.parametrize("lambd", [0.0, 1.0])
def test_backprop_passes_seed_004s_gradient_check(small_problem, lambd):
    parameters, X, Y = small_problem
    _, cache = scratch.forward_propagation(X, parameters)
    grads = scratch.backward_propagation(parameters, cache, X, Y, lambd=lambd)
    numeric = scratch.numeric_gradient(parameters, X, Y, lambd=lambd, epsilon=1e-4)
    assert numeric.shape == (4 * 3 + 4 + 4 + 1,)
    assert scratch.relative_difference(numeric, scratch.unroll_gradients(grads)) < 1e-7
    table = scratch.gradient_check(parameters, X, Y, lambd=lambd, samples=20, seed=0)
    assert (table["relative_error"] < 1e-6).all()


def test_gradient_check_table_samples_every_array_reproducibly(small_problem):
    parameters, X, Y = small_problem
    table = scratch.gradient_check(parameters, X, Y, samples=20, seed=0)
    assert list(table.columns) == ["parameter", "numeric", "backprop", "relative_error"]
    assert {name.split("[")[0] for name in table["parameter"]} == {"W1", "b1", "W2", "b2"}
    assert table["parameter"].is_unique and table["parameter"].str.fullmatch(r"[Wb][12]\[\d+,\d+\]").all()
    assert table.equals(scratch.gradient_check(parameters, X, Y, samples=20, seed=0))
    assert not table.equals(scratch.gradient_check(parameters, X, Y, samples=20, seed=1))


def test_seed_003s_db1_fails_the_gradient_check(small_problem):
    parameters, X, Y = small_problem
    table = scratch.gradient_check(parameters, X, Y, samples=20, seed=0, seed_db1=True).set_index("parameter")
    b1_errors = table.loc[table.index.str.startswith("b1"), "relative_error"]
    assert len(b1_errors) >= 3 and (b1_errors > 1e-3).all()
    others = table.loc[~table.index.str.startswith("b1"), "relative_error"]
    assert (others < 1e-6).all()  # only the biases of the hidden layer are wrong
    _, cache = scratch.forward_propagation(X, parameters)
    slipped = scratch.backward_propagation(parameters, cache, X, Y, seed_db1=True)
    assert np.ptp(slipped["db1"]) == 0  # one number shared by every hidden bias
    numeric = scratch.numeric_gradient(parameters, X, Y)
    assert scratch.relative_difference(numeric, scratch.unroll_gradients(slipped)) > 1e-3


def test_relative_difference_is_zero_for_equal_or_zero_vectors():
    assert scratch.relative_difference(np.zeros(3), np.zeros(3)) == 0.0
    assert scratch.relative_difference([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert scratch.relative_difference([1.0, 0.0], [-1.0, 0.0]) == 1.0


def test_one_hidden_unit_cannot_draw_the_flower(flower_XY):
    X, Y = flower_XY
    results = scratch.hidden_size_sweep(X, Y, sizes=(1, 4), num_iterations=2000)
    (n_small, _, small), (n_four, parameters, four) = results
    assert (n_small, n_four) == (1, 4) and parameters["W1"].shape == (4, 2)
    assert small < 0.7 and four > 0.85 and four - small > 0.2


def test_update_parameters_takes_one_step_without_mutating(small_problem):
    parameters, _, _ = small_problem
    before = {name: value.copy() for name, value in parameters.items()}
    grads = {"d" + name: np.ones_like(value) for name, value in parameters.items()}
    updated = scratch.update_parameters(parameters, grads, learning_rate=0.5)
    for name in scratch.PARAMETER_NAMES:
        np.testing.assert_array_equal(updated[name], before[name] - 0.5)
        np.testing.assert_array_equal(parameters[name], before[name])


def test_forward_pass_matches_keras_with_the_same_weights(flower_XY):
    from nnlab.backend import keras

    X, Y = flower_XY
    parameters, _ = scratch.nn_model(X, Y, 4, num_iterations=50)  # trained a little: nonzero biases
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1, activation="sigmoid")]
    )
    model.set_weights([parameters["W1"].T, parameters["b1"].ravel(), parameters["W2"].T, parameters["b2"].ravel()])
    A2, _ = scratch.forward_propagation(X, parameters)
    keras_A2 = np.asarray(model(X.T.astype(np.float32), training=False))
    np.testing.assert_allclose(keras_A2.T, A2, atol=1e-5)


@pytest.mark.parametrize("lambd", [0.0, 1.0])
def test_backprop_matches_tensorflow_autodiff(small_problem, lambd):
    from nnlab.backend import tf

    parameters, X, Y = small_problem
    variables = {name: tf.Variable(value, dtype=tf.float64) for name, value in parameters.items()}
    with tf.GradientTape() as tape:
        A1 = tf.tanh(variables["W1"] @ X + variables["b1"])
        A2 = tf.sigmoid(variables["W2"] @ A1 + variables["b2"])
        m = X.shape[1]
        cost = -tf.reduce_sum(Y * tf.math.log(A2) + (1 - Y) * tf.math.log(1 - A2)) / m
        cost += lambd / (2 * m) * (tf.reduce_sum(variables["W1"] ** 2) + tf.reduce_sum(variables["W2"] ** 2))
    tf_grads = tape.gradient(cost, variables)
    _, cache = scratch.forward_propagation(X, parameters)
    grads = scratch.backward_propagation(parameters, cache, X, Y, lambd=lambd)
    assert float(cost) == pytest.approx(scratch.total_cost(parameters, X, Y, lambd), abs=1e-12)
    for name in scratch.PARAMETER_NAMES:
        np.testing.assert_allclose(grads["d" + name], tf_grads[name].numpy(), atol=1e-6)
