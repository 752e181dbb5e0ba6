"""The course's published figures, each re-measured by NN Lab: `python -m nnlab lessons`.

A `Check` names a lesson, a quantity, the seed's value and how to measure ours; `holds`
says whether ours reproduces it (None where the two differ by design and `note` says why).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from nnlab import scratch
from nnlab.cost import conv_layer_costs, count_cost, seed_hand_count
from nnlab.data.cifar import cifar_cached
from nnlab.data.cities import DEFAULT_CITIES, read_cities
from nnlab.data.digits import load_sklearn_digits
from nnlab.data.toy import make_points
from nnlab.lossfunctions import SEED_EXAMPLES, keras_per_example, tape_gradients
from nnlab.presets import get_preset
from nnlab.spec import Layer, ModelSpec

STABILITY_PATIENCE = 5  # seed 000: stop after 5 runs that leave the rounded mean p unchanged
STABILITY_MAX_RUNS = 20


@dataclass(frozen=True)
class Check:
    lesson: str
    quantity: str
    seed_value: float | str  # a number, or the seed's words for a trend
    measure: Callable[[], float | list[float]]
    holds: Callable[[float, float], bool | None]
    note: str = ""


def at_least(margin: float) -> Callable[[float, float], bool]:
    """Ours is no worse than the seed's figure minus `margin`."""
    return lambda seed, ours: ours >= seed - margin


def within(tolerance: float) -> Callable[[float, float], bool]:
    return lambda seed, ours: abs(ours - seed) <= tolerance


def exactly(seed: float, ours: float) -> bool:
    return seed == ours


def _cities_table():
    return read_cities(DEFAULT_CITIES)


def reference_p() -> float:
    """p of seed 000's reference network after its 50 epochs, on the shipped cities."""
    # deferred: keeps TensorFlow off `python -m nnlab presets` and the lessons that need none
    from nnlab.worldmap import (
        build_lab,
        evaluate,
    )

    lab = build_lab(get_preset("cities-reference").experiment, _cities_table())
    lab.trainer.run(lab.experiment.train.epochs)
    return round(evaluate(lab)["balanced_accuracy"], 4)


def minimal_mean_p() -> float:
    """Mean p of the minimal network over runs, until 5 runs leave the rounded mean unchanged."""
    # deferred: keeps TensorFlow off `python -m nnlab presets` and the lessons that need none
    from nnlab.worldmap import (
        running_means,
        stability_run,
        unchanged_streak,
    )

    experiment, table, ps = get_preset("cities-minimal").experiment, _cities_table(), []
    while len(ps) < STABILITY_MAX_RUNS and unchanged_streak(ps) < STABILITY_PATIENCE:
        ps.append(stability_run(experiment, table, len(ps)).p)
    return round(running_means(ps)[-1], 4)


def hand_count(preset: str) -> Callable[[], float]:
    experiment = get_preset(preset).experiment
    train = experiment.train
    return lambda: seed_hand_count(experiment.model, 2, train.batch_size, train.epochs, train.optimizer)


def exact_count(preset: str, n_train: int) -> Callable[[], float]:
    experiment = get_preset(preset).experiment
    train = experiment.train
    return lambda: (
        count_cost(experiment.model, 2, 2, n_train, train.batch_size, train.optimizer).per_epoch * train.epochs
    )


def saving(n_train: int) -> float:
    """How many times fewer multiplications the minimal run needs than the reference run."""
    return round(exact_count("cities-reference", n_train)() / exact_count("cities-minimal", n_train)(), 1)


def parameters(n_inputs: int, layers: tuple[int, ...], n_outputs: int, hidden_bias: bool = True) -> Callable[[], float]:
    """Seed 001's counts; `hidden_bias=False` is its `Dense(300, use_bias=False)` (the output keeps its bias)."""
    spec = ModelSpec(hidden_layers=tuple(Layer(units, "relu", use_bias=hidden_bias) for units in layers))
    return lambda: count_cost(spec, n_inputs, n_outputs if n_outputs > 1 else 2, 1, 1, "sgd").parameters


CIFAR_IMAGE = (32, 32, 3)
NOT_MEASURED_CIFAR = "not measured: CIFAR-10 not available"


def seed_002_layer_parameters() -> list[int]:
    """Parameters of each layer of seed 002's convolutional network (the cifar-seed002 preset) that has any,
    counted by hand: 32×32×3 → Conv2D 8 → max pool → Conv2D 16 → max pool → Dense 128 → Dense 10."""
    model = get_preset("cifar-seed002").experiment.model
    return [
        row.parameters
        for row in conv_layer_costs(CIFAR_IMAGE, model.conv_blocks, model.hidden_layers, 10)
        if row.parameters
    ]


def seed_002_accuracy() -> float | str:
    """Test accuracy of seed 002's network after its 10 epochs on CIFAR-10's 50,000 training images, where
    CIFAR-10 is in Keras's cache (`python -m nnlab train --preset cifar-seed002` downloads it once); else
    says it was not measured: a lesson check never downloads 170 MB by itself."""
    if not cifar_cached():
        return NOT_MEASURED_CIFAR
    # deferred: keeps TensorFlow off `python -m nnlab presets` and the lessons that need none
    from nnlab.labs import train_and_score

    return round(train_and_score(get_preset("cifar-seed002").experiment).metrics["accuracy"], 4)


def within_if_measured(tolerance: float) -> Callable[[float, float | str], bool | None]:
    """`within(tolerance)` for a measured number; None (neither pass nor fail) when it could not be measured."""
    return lambda seed, ours: None if isinstance(ours, str) else abs(ours - seed) <= tolerance


def lambda_trend() -> list[float]:
    """Training accuracy of seed 004's net (here 64-25-10 on the 8×8 digits) at each of its λ."""
    # deferred: keeps TensorFlow off `python -m nnlab presets` and the lessons that need none
    from nnlab.digits import (
        SEED_LAMBDAS,
        lambda_run,
    )

    experiment, digits = get_preset("digits-seed004").experiment, load_sklearn_digits()
    return [round(lambda_run(experiment, digits, lam).train_accuracy, 4) for lam in SEED_LAMBDAS]


def falls_past_one(seed: float, ours: list[float]) -> bool:
    """Seed 004's trend: from λ = 1 on, training accuracy only falls, and ends below λ = 0's."""
    past_one = ours[3:]
    return all(b <= a for a, b in zip(past_one, past_one[1:])) and ours[-1] < ours[0]


def loss_example(index: int) -> Callable[[], float]:
    """Seed 001's worked example number `index`, computed by numpy (its agreement with Keras is the check)."""
    return lambda: round(SEED_EXAMPLES[index].numpy_value(), 8)


def numpy_equals_keras(index: int) -> Callable[[float, float], bool]:
    def holds(seed: float, ours: float) -> bool:
        example = SEED_EXAMPLES[index]
        agree = abs(example.numpy_value() - example.keras_value()) < 1e-6
        return agree and (example.seed_value is None or abs(ours - example.seed_value) < 1e-6)

    return holds


def cce_per_example() -> list[float]:
    example = SEED_EXAMPLES[4]
    return [round(v, 8) for v in keras_per_example(example.y_true, example.y_pred)]


SEED_003_COSTS = (0.289172, 0.277022, 0.268653, 0.263671, 0.260331, 0.257915, 0.256075, 0.254613, 0.253411)


def seed_003_cost_curve(seed_db1: bool) -> Callable[[], list[float]]:
    """The cost seed 003 printed every 1,000 iterations (1,000 to 9,000), with the seed's db1 or the correct one."""

    def measure() -> list[float]:
        X, Y = scratch.planar_flower()
        _, costs = scratch.nn_model(X, Y, 4, num_iterations=10_000, seed_db1=seed_db1)
        return [round(float(cost), 6) for iteration, cost in costs if iteration > 0]

    return measure


def same_curve(seed: list[float], ours: list[float]) -> bool:
    """Every printed cost, to the seed's six decimals."""
    return len(seed) == len(ours) and all(abs(a - b) <= 5e-7 for a, b in zip(seed, ours))


def scratch_result(what: str) -> Callable[[], float]:
    """Seed 003's numpy network (correct db1): its cost at iteration 0 or its accuracy on the 400 points."""

    def measure() -> float:
        X, Y = scratch.planar_flower()
        parameters, costs = scratch.nn_model(X, Y, 4, num_iterations=10_000 if what == "accuracy" else 1)
        value = costs[0][1] if what == "cost" else float((scratch.predict(parameters, X) == Y).mean())
        return round(value, 6)

    return measure


def graph_gradients() -> list[float]:
    """∂f/∂w0, ∂f/∂w1, ∂f/∂x of seed 002's example at x = 1, w1 = 2, w0 = 1, from TensorFlow's tape."""
    tape = tape_gradients(1.0, 2.0, 1.0)
    return [round(tape["w0"], 4), round(tape["w1"], 4), round(tape["x"], 4)]


def flower_accuracy(preset: str) -> Callable[[], float]:
    def measure() -> float:
        # deferred: keeps TensorFlow off `python -m nnlab presets` and the lessons that need none
        from nnlab.playground import (
            build_lab,
            evaluate,
        )

        lab = build_lab(get_preset(preset).experiment)
        lab.trainer.run(lab.experiment.train.epochs)
        return round(evaluate(lab)["accuracy"], 4)

    return measure


def logistic_on_all_flower_points() -> float:
    """Seed 003 scores scikit-learn's logistic regression on all 400 points it was fitted on."""
    x, y = make_points(get_preset("planar-flower").experiment.data, seed=1)
    return round(float(LogisticRegression().fit(x, y).score(x, y)), 4) if np.any(y) else 0.0


SEED_TRAIN_CITIES = 12_395  # seed 000 trained on 388 batches of 32 (its 15,494 cities, 80 %)
CHECKS = (
    Check("000", "p, reference net 2-128-BN-64-1 (Adam, 50 epochs, weight 1:10)", 0.98, reference_p, at_least(0.005)),
    Check(
        "000",
        "mean p over repeated runs, minimal net 2-16-1 (SGD 0.4, 20 epochs, weight 1:20)",
        0.97,
        minimal_mean_p,
        at_least(0.005),
    ),
    Check(
        "000",
        "multiplications, reference net, the seed's hand method",
        107_883_520,
        hand_count("cities-reference"),
        exactly,
    ),
    Check("000", "multiplications, minimal net, the seed's hand method", 92_160, hand_count("cities-minimal"), exactly),
    Check(
        "000",
        "multiplications of the whole reference run, exact (seed's 12,395 training cities)",
        107_883_520,
        exact_count("cities-reference", SEED_TRAIN_CITIES),
        lambda seed, ours: None,
        "the seed multiplied per-sample work by the batch size (32), not by the training cities, "
        "and charged Adam per sample instead of per step",
    ),
    Check(
        "000",
        "multiplications of the whole minimal run, exact (seed's 12,395 training cities)",
        92_160,
        exact_count("cities-minimal", SEED_TRAIN_CITIES),
        lambda seed, ours: None,
        "same method difference; the exact ratio reference/minimal is the real saving",
    ),
    Check(
        "000",
        "saving of the minimal net: reference ÷ minimal multiplications per run",
        round(107_883_520 / 92_160, 1),
        lambda: saving(SEED_TRAIN_CITIES),
        lambda seed, ours: None,
        'the seed\'s "1000 times cheaper" is about 600 times when both runs are counted exactly',
    ),
    Check("001", "parameters of Dense(32, input_dim=10)", 352, parameters(10, (), 32), exactly),
    Check("001", "parameters of 10-32-5-1", 523, parameters(10, (32, 5), 1), exactly),
    Check("001", "parameters of MNIST 784-800-400-10", 952_410, parameters(784, (800, 400), 10), exactly),
    Check(
        "001",
        "parameters of 784-300-10, hidden layer without bias",
        238_210,
        parameters(784, (300,), 10, hidden_bias=False),
        exactly,
    ),
    Check("001", "parameters of 784-300-10 with bias", 238_510, parameters(784, (300,), 10), exactly),
    Check(
        "004",
        "training accuracy at λ = 0, 0.001, 0.01, 1, 10, 30 (falls as λ grows past 1)",
        "≈0.96 → ≈0.91",
        lambda_trend,
        falls_past_one,
        "seed 004's 400-25-10 on its 5,000 20×20 digits; here 64-25-10 on scikit-learn's 8×8 digits, "
        "λ entering the cost as λ/(2m)·Σθ² exactly as in the seed",
    ),
    *(
        Check(
            "001",
            f"loss example: {example}, numpy = Keras",
            seed,
            loss_example(i),
            numpy_equals_keras(i),
            "the seed printed no number for this one" if seed is None else "",
        )
        for i, (example, seed) in enumerate(
            [("MAE, rough", None), ("MAE, close", None), ("MSE, rough", None), ("MSE, close", None)]
        )
    ),
    Check(
        "001", "binary cross-entropy example (numpy; Keras agrees)", 0.05204606, loss_example(5), numpy_equals_keras(5)
    ),
    Check(
        "001",
        "categorical cross-entropy per example (Keras)",
        [0.10536052, 0.09431068],
        cce_per_example,
        lambda seed, ours: all(abs(a - b) < 1e-8 for a, b in zip(seed, ours)),
        "the seed then averaged over the 4 classes (0.0499); the mean over the 2 examples is 0.0998",
    ),
    Check(
        "002",
        "backprop example f = 1 + e^(w1·x + w0): dw0, dw1, dx at x=1, w1=2, w0=1",
        [20, 20, 40],
        graph_gradients,
        lambda seed, ours: all(abs(a - b) <= 0.5 for a, b in zip(seed, ours)),
        "the seed rounds e³ = 20.09 to 20",
    ),
    Check(
        "002",
        "parameters of the CIFAR-10 convolutional network",
        133_882,
        lambda: sum(seed_002_layer_parameters()),
        exactly,
        "3×3 kernels with 'same' padding, 2×2 max pooling (the only reading that gives the seed's count)",
    ),
    Check(
        "002",
        "parameters per layer: Conv2D 8, Conv2D 16, Dense 128, Dense 10",
        [224, 1_168, 131_200, 1_290],
        seed_002_layer_parameters,
        lambda seed, ours: list(seed) == list(ours),
    ),
    Check(
        "002",
        "CIFAR-10 test accuracy of that network after 10 epochs (Adam, batch 32)",
        0.62,
        seed_002_accuracy,
        within_if_measured(0.05),
        "the seed's val_acc: 0.55 after epoch 1, about 0.62 by epochs 6–8; CIFAR-10 is split 50,000 / 10,000 by label",
    ),
    Check(
        "003",
        "numpy network's cross-entropy at iteration 0 (seed's initialisation)",
        1.127380,
        scratch_result("cost"),
        within(5e-7),
    ),
    Check(
        "003",
        "numpy network's cost at iterations 1000, 2000, … 9000, with the seed's db1",
        SEED_003_COSTS,
        seed_003_cost_curve(seed_db1=True),
        same_curve,
        "the seed's backward pass sums db1 over the hidden units too, so every hidden bias takes the same step",
    ),
    Check(
        "003",
        "the same curve with the correct db1 (each hidden bias its own gradient)",
        SEED_003_COSTS,
        seed_003_cost_curve(seed_db1=False),
        lambda seed, ours: None,
        "shown beside the seed's, not compared: the slip changes the curve from iteration 1000 on",
    ),
    Check(
        "003",
        "numpy network's accuracy, 4 tanh units, 10,000 steps (all 400 points)",
        0.9,
        scratch_result("accuracy"),
        at_least(0.0),
    ),
    Check(
        "003", "logistic regression accuracy on the planar flower", 0.47, logistic_on_all_flower_points, within(0.01)
    ),
    Check(
        "003",
        "accuracy of 4 tanh units on the planar flower (held-out 30 %)",
        0.9,
        flower_accuracy("planar-flower"),
        at_least(0.03),
    ),
)


def check_lessons(only: list[str] | None = None) -> Iterator[dict]:
    """Measure each check (of the given lessons) and yield {lesson, quantity, seed_value, measured, ok, note}."""
    for check in CHECKS:
        if only and check.lesson not in only:
            continue
        measured = check.measure()
        measured = measured.item() if hasattr(measured, "item") else measured  # numpy scalars to JSON-able
        holds = check.holds(check.seed_value, measured)
        yield {
            "lesson": check.lesson,
            "quantity": check.quantity,
            "seed_value": check.seed_value,
            "measured": measured,
            "ok": None if holds is None else bool(holds),
            "note": check.note,
        }
