"""The settings table: defaults, the flat string form (URL, JSON, --set) and every validation message."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlab.spec import (
    ACTIVATIONS,
    DATASETS,
    FEATURES,
    KEYS,
    LOSSES,
    MAX_LAYERS,
    MAX_LEARNING_RATE,
    MAX_UNITS,
    OPTIMIZERS,
    REGULARIZATIONS,
    TWO_CLASS_DATASETS,
    DataSpec,
    Experiment,
    Layer,
    ModelSpec,
    SpecError,
    TrainSpec,
    parse_assignment,
    train_size,
)

ROOT = Path(__file__).resolve().parents[1]


# --- defaults -------------------------------------------------------------------------------


def test_defaults_are_valid_and_match_tf_playground():
    experiment = Experiment()
    assert experiment.data == DataSpec() and experiment.model == ModelSpec() and experiment.train == TrainSpec()
    assert experiment.data.dataset == "circle"
    assert experiment.model.hidden_layers == (Layer(4, "tanh"), Layer(2, "tanh"))
    assert experiment.train.learning_rate == 0.03 and experiment.train.optimizer == "sgd"


def test_to_dict_has_every_key_as_text():
    flat = Experiment().to_dict()
    assert tuple(flat) == KEYS
    assert all(isinstance(v, str) for v in flat.values())
    assert flat["hidden_layers"] == "4:tanh,2:tanh"
    assert flat["use_bias"] == "1" and flat["batch_norm"] == "0"
    assert flat["class_weights"] == ""


def test_specs_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Experiment().train.learning_rate = 1.0  # type: ignore[misc]


# --- round trip -----------------------------------------------------------------------------

ROUND_TRIPS = [
    {},
    {"hidden_layers": "8:tanh,4:relu"},
    {"hidden_layers": ""},
    {"hidden_layers": "512:elu,1:linear,3:softplus,2:sigmoid"},
    {"class_weights": "1,3"},
    {"dataset": "gauss", "classes": "4", "class_weights": "0.5,1,2,10"},
    {"features": "x1^2,x1*x2,sin_x2"},
    {"use_bias": "0", "batch_norm": "1"},
    {"learning_rate": "0.0123456789", "noise": "0.333333333333", "momentum": "0.95"},
    {"regularization": "l2", "regularization_rate": "0.001", "dropout": "0.3", "loss": "squared_error"},
    {"dataset": "flower", "samples": "400", "noise": "0.2", "seed": "1", "train_ratio": "0.8"},
    {"hidden_layers": "128:relu:bn,64:relu,300:relu:nobias,4:tanh:bn:nobias"},
    {"dataset": "cities", "country": "Bosnia and Herzegovina", "threshold": "0.35", "balanced_weights": "1"},
]


def test_layer_flags_parse_in_any_order_and_unknown_ones_are_refused():
    layers = Experiment.from_dict({"hidden_layers": "128:relu:bn,300:relu:nobias:bn"}).model.hidden_layers
    assert layers == (Layer(128, "relu", batch_norm=True), Layer(300, "relu", batch_norm=True, use_bias=False))
    with pytest.raises(SpecError, match="hidden_layers"):
        Experiment.from_dict({"hidden_layers": "8:tanh:dropout"})


@pytest.mark.parametrize("values", ROUND_TRIPS, ids=lambda v: ",".join(v) or "defaults")
def test_to_dict_from_dict_round_trip(values):
    experiment = Experiment.from_dict(values)
    flat = experiment.to_dict()
    assert Experiment.from_dict(flat) == experiment
    # The flat form is a fixed point: formatting the parsed form gives the same text.
    assert Experiment.from_dict(flat).to_dict() == flat
    # A full dict does not depend on the base it is parsed onto.
    other_base = Experiment.from_dict({"dataset": "spiral", "hidden_layers": "3:relu", "seed": "9"})
    assert Experiment.from_dict(flat, base=other_base) == experiment


def test_from_dict_parses_each_kind_of_value():
    experiment = Experiment.from_dict(
        {
            "hidden_layers": " 8:tanh , 4:relu ",
            "class_weights": "1,3",
            "features": "x1,x2,x1*x2",
            "use_bias": "false",
            "samples": "200",
            "learning_rate": "1e-2",
        }
    )
    assert experiment.model.hidden_layers == (Layer(8, "tanh"), Layer(4, "relu"))
    assert experiment.train.class_weights == (1.0, 3.0)
    assert experiment.model.features == ("x1", "x2", "x1*x2")
    assert experiment.model.use_bias is False
    assert experiment.data.samples == 200 and type(experiment.data.samples) is int
    assert experiment.train.learning_rate == 0.01


def test_layer_without_activation_defaults_to_tanh():
    assert Experiment.from_dict({"hidden_layers": "8"}).model.hidden_layers == (Layer(8, "tanh"),)


def test_empty_hidden_layers_is_logistic_regression():
    experiment = Experiment.from_dict({"hidden_layers": ""})
    assert experiment.model.hidden_layers == ()
    assert experiment.to_dict()["hidden_layers"] == ""


@pytest.mark.parametrize("text", ["1", "true", "TRUE", "yes", "on"])
def test_true_spellings(text):
    assert Experiment.from_dict({"batch_norm": text}).model.batch_norm is True


@pytest.mark.parametrize("text", ["0", "false", "No", "off"])
def test_false_spellings(text):
    assert Experiment.from_dict({"use_bias": text}).model.use_bias is False


def test_replace_takes_typed_values():
    experiment = Experiment().replace(
        learning_rate=0.5, samples=100, hidden_layers=[(3, "relu")], class_weights=[1, 2], use_bias=False
    )
    assert experiment.train.learning_rate == 0.5
    assert experiment.data.samples == 100
    assert experiment.model.hidden_layers == (Layer(3, "relu"),)
    assert experiment.train.class_weights == (1.0, 2.0)
    assert experiment.model.use_bias is False


def test_a_whole_float_is_accepted_as_a_count():
    experiment = Experiment().replace(samples=200.0)
    assert experiment.data.samples == 200 and type(experiment.data.samples) is int


# --- validation -----------------------------------------------------------------------------

# (flat settings, words the message must contain)
INVALID = {
    "learning rate 0": ({"learning_rate": "0"}, ["Learning rate", "0"]),
    "learning rate negative": ({"learning_rate": "-0.1"}, ["Learning rate", "-0.1"]),
    "learning rate above 10": ({"learning_rate": "10.5"}, ["Learning rate", "10.5"]),
    "learning rate nan": ({"learning_rate": "nan"}, ["Learning rate"]),
    "samples 0": ({"samples": "0"}, ["Samples", "0"]),
    "samples too many": ({"samples": "70001"}, ["Samples", "70001"]),
    "batch larger than training set": ({"batch_size": "201"}, ["Batch size 201", "200"]),
    "batch 0": ({"batch_size": "0"}, ["Batch size", "0"]),
    "unknown activation": ({"hidden_layers": "8:swish"}, ["activation", "'swish'", "relu"]),
    "unknown optimizer": ({"optimizer": "lbfgs"}, ["optimizer", "'lbfgs'", "adam"]),
    "unknown dataset": ({"dataset": "imagenet"}, ["dataset", "'imagenet'", "spiral"]),
    "convolution on points": ({"conv_blocks": "8:3:same:2"}, ["Convolution", "circle", "cifar10"]),
    "convolution block text": ({"dataset": "digits", "conv_blocks": "8:x"}, ["conv_blocks", "filters:kernel"]),
    "convolution padding": ({"dataset": "digits", "conv_blocks": "8:3:full:2"}, ["padding", "'full'", "valid"]),
    "convolution filters": ({"dataset": "digits", "conv_blocks": "0"}, ["filters", "between 1 and 128"]),
    "too many blocks": ({"dataset": "digits", "conv_blocks": "4,4,4,4,4"}, ["At most 4", "got 5"]),
    "unknown key": ({"lr": "0.1"}, ["Unknown setting", "'lr'", "learning_rate"]),
    "unknown feature": ({"features": "x1,x3"}, ["feature", "'x3'"]),
    "no features": ({"features": ""}, ["feature"]),
    "repeated feature": ({"features": "x1,x1"}, ["feature"]),
    "unknown loss": ({"loss": "hinge"}, ["loss", "'hinge'"]),
    "unknown regularization": ({"regularization": "l3"}, ["regularization", "'l3'"]),
    "text for a number": ({"learning_rate": "fast"}, ["learning_rate", "'fast'", "number"]),
    "text for a count": ({"samples": "many"}, ["samples", "'many'", "whole number"]),
    "text for layers": ({"hidden_layers": "abc"}, ["hidden_layers", "'abc'", "8:tanh"]),
    "text for a switch": ({"use_bias": "maybe"}, ["use_bias", "'maybe'", "on/off"]),
    "text for class weights": ({"class_weights": "1,heavy"}, ["class_weights", "heavy"]),
    "float text for a count": ({"samples": "400.5"}, ["samples", "400.5", "whole number"]),
    "float text for batch": ({"batch_size": "2.5"}, ["batch_size", "2.5", "whole number"]),
    "3 classes on xor": ({"dataset": "xor", "classes": "3"}, ["xor", "2 classes"]),
    "3 classes on moons": ({"dataset": "moons", "classes": "3"}, ["moons", "2 classes"]),
    "4 classes on flower": ({"dataset": "flower", "classes": "4"}, ["flower", "2 classes"]),
    "1 class": ({"classes": "1"}, ["Classes", "1"]),
    "7 classes": ({"dataset": "gauss", "classes": "7"}, ["Classes", "7"]),
    "class weights too few": ({"class_weights": "1"}, ["class weight", "2 weights", "got 1"]),
    "class weights too many": ({"class_weights": "1,2,3"}, ["class weight", "got 3"]),
    "class weight 0": ({"class_weights": "1,0"}, ["Class weights", "greater than 0"]),
    "class weight negative": ({"class_weights": "-1,1"}, ["Class weights", "greater than 0"]),
    "layer of 0 units": ({"hidden_layers": "0:tanh"}, ["neurons", "0"]),
    "layer too wide": ({"hidden_layers": f"{MAX_UNITS + 1}:tanh"}, ["neurons", str(MAX_UNITS + 1)]),
    "too many layers": ({"hidden_layers": ",".join(["2"] * (MAX_LAYERS + 1))}, ["hidden layers"]),
    "noise above 1": ({"noise": "1.5"}, ["noise", "1.5"]),
    "dropout 0.95": ({"dropout": "0.95"}, ["dropout", "0.95"]),
    "momentum 1": ({"momentum": "1"}, ["momentum"]),
    "epochs 0": ({"epochs": "0"}, ["Epochs", "0"]),
    "train ratio 0.95": ({"train_ratio": "0.95"}, ["train ratio", "0.95"]),
    "negative seed": ({"seed": "-1"}, ["Seed", "-1"]),
}


@pytest.mark.parametrize("values, words", INVALID.values(), ids=INVALID.keys())
def test_invalid_settings_raise_a_readable_spec_error(values, words):
    with pytest.raises(SpecError) as caught:
        Experiment.from_dict(values)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert message[0].isupper() and message.endswith("."), message
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize(
    "key, value",
    [("samples", 400.5), ("batch_size", 2.5), ("epochs", 10.1), ("seed", 0.5), ("classes", 2.5)],
)
def test_a_fractional_float_where_a_count_belongs_is_an_error(key, value):
    with pytest.raises(SpecError, match=key):
        Experiment().replace(**{key: value})


@pytest.mark.parametrize("key, value", [("learning_rate", None), ("samples", None), ("noise", [0.1])])
def test_typed_values_of_the_wrong_kind_are_spec_errors(key, value):
    with pytest.raises(SpecError, match=key):
        Experiment().replace(**{key: value})


def test_batch_size_limit_is_the_training_set():
    n_train = train_size(400, 0.5)
    assert Experiment().replace(batch_size=n_train).train.batch_size == n_train
    with pytest.raises(SpecError, match=f"at most {n_train}"):
        Experiment().replace(batch_size=n_train + 1)


def test_learning_rate_upper_limit_is_inclusive():
    assert Experiment().replace(learning_rate=MAX_LEARNING_RATE).train.learning_rate == MAX_LEARNING_RATE


@pytest.mark.parametrize("dataset", sorted(set(DATASETS) - set(TWO_CLASS_DATASETS)))
def test_multiclass_datasets_accept_more_classes(dataset):
    assert Experiment().replace(dataset=dataset, classes=4).data.classes == 4


@pytest.mark.parametrize(
    "samples, ratio, expected", [(400, 0.5, 200), (400, 0.8, 320), (10, 0.1, 1), (10, 0.9, 9), (11, 0.9, 10)]
)
def test_train_size(samples, ratio, expected):
    assert train_size(samples, ratio) == expected
    assert 1 <= train_size(samples, ratio) <= samples - 1


# --- parse_assignment -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("learning_rate=0.1", ("learning_rate", "0.1")),
        ("  learning_rate = 0.1  ", ("learning_rate", "0.1")),
        ("hidden_layers=8:tanh,4:relu", ("hidden_layers", "8:tanh,4:relu")),
        ("features=x1=x2", ("features", "x1=x2")),
        ("class_weights=", ("class_weights", "")),
    ],
)
def test_parse_assignment(text, expected):
    assert parse_assignment(text) == expected


@pytest.mark.parametrize("text", ["learning_rate", "", "=0.1", "  =0.1"])
def test_parse_assignment_rejects_text_without_a_key(text):
    with pytest.raises(SpecError, match="key=value"):
        parse_assignment(text)


# --- property: any valid experiment survives its flat form exactly ---------------------------

unit_floats = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def experiments(draw) -> Experiment:
    dataset = draw(st.sampled_from(DATASETS))
    classes = 2 if dataset in TWO_CLASS_DATASETS else draw(st.integers(2, 6))
    samples = draw(st.integers(10, 50_000))
    train_ratio = draw(st.floats(0.1, 0.9))
    n_train = train_size(samples, train_ratio)
    layers = draw(
        st.lists(
            st.builds(Layer, st.integers(1, MAX_UNITS), st.sampled_from(ACTIVATIONS), st.booleans(), st.booleans()),
            max_size=MAX_LAYERS,
        )
    )
    weights = draw(
        st.one_of(
            st.just(()),
            st.lists(st.floats(1e-6, 1e6), min_size=classes, max_size=classes).map(tuple),
        )
    )
    return Experiment(
        DataSpec(
            dataset,
            samples,
            draw(unit_floats),
            classes,
            country=draw(st.sampled_from(["Russia", "United States", "Côte d'Ivoire", "Bosnia, Herzegovina"])),
        ),
        ModelSpec(
            features=tuple(draw(st.lists(st.sampled_from(FEATURES), min_size=1, unique=True))),
            hidden_layers=tuple(layers),
            dropout=draw(st.floats(0.0, 0.9)),
            batch_norm=draw(st.booleans()),
            regularization=draw(st.sampled_from(REGULARIZATIONS)),
            regularization_rate=draw(st.floats(0.0, 10.0)),
            use_bias=draw(st.booleans()),
            loss=draw(st.sampled_from(LOSSES)),
        ),
        TrainSpec(
            optimizer=draw(st.sampled_from(OPTIMIZERS)),
            learning_rate=draw(st.floats(0.0, MAX_LEARNING_RATE, exclude_min=True)),
            momentum=draw(st.floats(0.0, 0.999)),
            batch_size=draw(st.integers(1, n_train)),
            epochs=draw(st.integers(1, 100_000)),
            class_weights=weights,
            balanced_weights=draw(st.booleans()),
            threshold=draw(st.floats(0.0, 1.0, exclude_min=True, exclude_max=True)),
            train_ratio=train_ratio,
            seed=draw(st.integers(0, 2**31 - 1)),
        ),
    )


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(experiments())
def test_any_valid_experiment_round_trips_exactly(experiment):
    flat = experiment.to_dict()
    assert Experiment.from_dict(flat) == experiment
    assert Experiment.from_dict(flat).to_dict() == flat


# --- importing the settings stays cheap -----------------------------------------------------


@pytest.mark.parametrize("module", ["nnlab.spec", "nnlab", "nnlab.presets"])
def test_importing_settings_does_not_import_tensorflow_or_numpy(module):
    code = f"import {module}, sys; assert 'tensorflow' not in sys.modules and 'numpy' not in sys.modules"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_link_keeps_what_it_can_read_and_says_what_it_cannot():
    from nnlab.spec import from_link

    base = Experiment()
    good = {"dataset": "spiral", "samples": "200", "learning_rate": "0.1"}
    experiment, errors = from_link(good, base)
    assert errors == () and experiment == Experiment.from_dict(good, base=base)
    experiment, errors = from_link({**good, "noise": "3.5", "lr": "0.1"}, base)  # one bad value, one typo
    assert (experiment.data.dataset, experiment.data.samples, experiment.train.learning_rate) == ("spiral", 200, 0.1)
    assert experiment.data.noise == base.data.noise
    assert sorted(error.key for error in errors) == ["error_out_of_range", "error_unknown_setting"]
    blocks = {"dataset": "digits", "conv_blocks": "8:3:same:2"}  # readable only on top of the link's own dataset
    assert from_link(blocks, base) == (Experiment.from_dict(blocks, base=base), ())


def test_a_link_may_name_the_problem_type():
    from nnlab.spec import from_link

    base = Experiment()
    assert from_link({"problem": "regression"}, base)[0].data.dataset == "plane"
    assert from_link({"problem": "regression", "dataset": "multigauss"}, base)[0].data.dataset == "multigauss"
    assert from_link({"problem": "classification", "dataset": "plane"}, base)[0].data.dataset == "circle"
    assert from_link({"problem": "classification", "dataset": "spiral"}, base)[0].data.dataset == "spiral"
    experiment, errors = from_link({"problem": "sideways", "samples": "200"}, base)
    assert experiment.data.samples == 200 and [e.key for e in errors] == ["error_unknown_choice"]
