"""Convolution's cost counted by hand, checked against Keras's counts; the lessons reporting it (seeds 002, 003)."""

from __future__ import annotations

import pytest

from nnlab import lessons
from nnlab.backend import keras
from nnlab.cost import ConvBlock, conv_layer_costs, dense_instead
from nnlab.lessons import SEED_003_COSTS, check_lessons
from nnlab.models import build_model
from nnlab.presets import get_preset

SEED_002 = ((32, 32, 3), (ConvBlock(8), ConvBlock(16)), (128,), 10)  # Conv 8 → pool → Conv 16 → pool → 128 → 10


def keras_network(image, blocks, dense, n_classes) -> keras.Model:
    layers = [keras.Input(image)]
    for block in blocks:
        layers.append(keras.layers.Conv2D(block.filters, block.kernel, padding=block.padding, activation="relu"))
        if block.pool > 1:
            layers.append(keras.layers.MaxPooling2D(block.pool))
    layers += [keras.layers.Flatten(), *(keras.layers.Dense(u, activation="relu") for u in dense)]
    return keras.Sequential([*layers, keras.layers.Dense(n_classes, activation="softmax")])


SHAPES = [
    SEED_002,
    ((8, 8, 1), (ConvBlock(4, kernel=3, padding="valid", pool=2),), (16,), 10),
    ((28, 28, 1), (ConvBlock(6, kernel=5, padding="same"), ConvBlock(12, kernel=3, padding="valid", pool=1)), (), 10),
    ((32, 32, 3), (ConvBlock(16, kernel=5, padding="valid", pool=3),), (64, 32), 10),
]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}-{len(s[1])}conv")
def test_parameters_match_keras_layer_by_layer(shape):
    model = keras_network(*shape)
    ours = [row.parameters for row in conv_layer_costs(*shape) if row.parameters]
    theirs = [layer.count_params() for layer in model.layers if layer.count_params()]
    assert ours == theirs
    assert sum(ours) == model.count_params()


def test_seed_002s_network_has_its_133882_parameters():
    rows = [row.parameters for row in conv_layer_costs(*SEED_002) if row.parameters]
    assert rows == [224, 1_168, 131_200, 1_290] and sum(rows) == 133_882


def test_a_3x3_rgb_convolution_with_8_filters_on_32x32_multiplies_32_32_8_27_times():
    first = conv_layer_costs(*SEED_002)[0]
    assert first.forward == 32 * 32 * 8 * 27
    assert first.backward == 32 * 32 * 8 * 27  # the kernel's gradient only: the image needs none; relu masks


def test_a_later_convolution_also_sends_its_gradient_back_to_its_input():
    second = conv_layer_costs(*SEED_002)[2]  # after the pooling row
    assert second.forward == 16 * 16 * 16 * 3 * 3 * 8
    assert second.backward == 2 * second.forward


def test_a_dense_layer_on_the_same_image_needs_thousands_of_times_more_weights():
    conv = conv_layer_costs(*SEED_002)[0].parameters
    dense = dense_instead((32, 32, 3), ConvBlock(8))
    assert dense == 3072 * 8192 + 8192 and dense > 100_000 * conv


def test_lessons_report_seed_002s_counts_and_seed_003s_whole_cost_curve():
    rows = {row["quantity"]: row for row in check_lessons(["002", "003"])}
    counts = [row for quantity, row in rows.items() if quantity.startswith("parameters")]
    assert len(counts) == 2 and all(row["ok"] for row in counts)
    slipped = next(row for quantity, row in rows.items() if "seed's db1" in quantity)
    correct = next(row for quantity, row in rows.items() if "correct db1" in quantity)
    assert slipped["ok"] and slipped["measured"] == list(SEED_003_COSTS)
    assert correct["ok"] is None and len(correct["measured"]) == 9 and correct["measured"] != list(SEED_003_COSTS)


def test_seed_002s_accuracy_is_not_measured_without_cifar_and_never_fails(monkeypatch):
    monkeypatch.setattr(lessons, "cifar_cached", lambda: False)
    row = next(row for row in check_lessons(["002"]) if "test accuracy" in row["quantity"])
    assert row["measured"] == "not measured: CIFAR-10 not available" and row["ok"] is None
    assert row["seed_value"] == 0.62


def test_seed_002s_counts_are_the_presets_network():
    model = get_preset("cifar-seed002").experiment.model
    built = build_model(model, 32 * 32 * 3, 10, seed=0)
    assert built.count_params() == 133_882 == sum(lessons.seed_002_layer_parameters())
    assert all(block.activation == "linear" for block in model.conv_blocks)  # the seed's Conv2D has no activation
