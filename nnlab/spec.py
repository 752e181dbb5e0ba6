"""One table of every knob: frozen, self-validating specs with a flat string form for URLs and JSON.

Importing this module must stay cheap: no TensorFlow, no numpy.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from nnlab.errors import LabError, Phrase

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "elu", "softplus")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
LOSSES = ("cross_entropy", "squared_error")
REGULARIZATIONS = ("none", "l1", "l2")
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2")
REGRESSION_DATASETS = ("plane", "multigauss")  # TF Playground's reg-plane and reg-gauss: a number per point
# custom: the student's own points (an uploaded CSV); the file says whether they are classes or numbers.
TOY_DATASETS = ("circle", "xor", "gauss", "spiral", "moons", "flower", *REGRESSION_DATASETS, "custom")
IMAGE_DATASETS = ("digits", "mnist")  # scikit-learn's 8×8 digits; MNIST 28×28 (seed 001)
# Images each holds: more samples than these changes nothing.
IMAGE_COUNTS = MappingProxyType({"digits": 1797, "mnist": 70_000})
DATASETS = (*TOY_DATASETS, "cities", *IMAGE_DATASETS)  # cities: seed 000's world map, (lat, lng) -> "in the country?"
# Datasets whose geometry only makes sense for two classes.
TWO_CLASS_DATASETS = ("xor", "moons", "flower", "cities")
INITIALIZERS = ("glorot", "he", "normal", "zeros")  # Glorot uniform, He normal, N(0, 0.1²), all zeros
LR_SCHEDULES = ("constant", "step", "exponential", "cosine")  # keras.optimizers.schedules over the run

MAX_UNITS = 1024  # room for seed 001's MNIST network, 784-800-400-10
MAX_LAYERS = 8
MAX_LEARNING_RATE = 10.0


class SpecError(LabError):
    """A setting a student can fix; the message (a catalogue key and its values) says how."""


# The settings' names in messages, translated like any text (keys built here, declared for the tests).
SETTING_NAMES = MappingProxyType(
    {
        "activation": "error_term_activation",
        "dataset": "error_term_dataset",
        "feature": "error_term_feature",
        "regularization": "error_term_regularization",
        "loss": "error_term_loss",
        "optimizer": "error_term_optimizer",
        "noise": "error_term_noise",
        "dropout": "error_term_dropout",
        "regularization rate": "error_term_regularization_rate",
        "momentum": "error_term_momentum",
        "train ratio": "error_term_train_ratio",
        "initialization": "error_term_init",
        "learning-rate schedule": "error_term_lr_schedule",
    }
)


def is_regression(dataset: str) -> bool:
    """Whether a generated dataset gives each point a number to predict rather than a class."""
    return dataset in REGRESSION_DATASETS


def _check_choice(what: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise SpecError(
            "error_unknown_choice", what=Phrase(SETTING_NAMES[what]), value=value, choices=", ".join(choices)
        )


def _check_range(what: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise SpecError("error_out_of_range", what=Phrase(SETTING_NAMES[what]), low=low, high=high, got=value)


@dataclass(frozen=True)
class Layer:
    units: int
    activation: str = "tanh"
    batch_norm: bool = False  # batch norm after this layer only (seed 000's reference net); text form "128:relu:bn"
    use_bias: bool = True  # False drops this layer's bias neuron (seed 001's 784-300-10); text form "300:relu:nobias"

    def __post_init__(self) -> None:
        if not 1 <= self.units <= MAX_UNITS:
            raise SpecError("error_layer_units", high=MAX_UNITS, got=self.units)
        _check_choice("activation", self.activation, ACTIVATIONS)


@dataclass(frozen=True)
class DataSpec:
    dataset: str = "circle"  # one of DATASETS
    samples: int = 400  # points generated, before the train/test split
    noise: float = 0.1  # 0 = clean geometry; the flower uses it as the seed's std (0.2)
    classes: int = 2  # 2 or more; some datasets are two-class only
    country: str = "Russia"  # cities: the class "in this country"

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", str(self.country).strip())
        _check_choice("dataset", self.dataset, DATASETS)
        if not self.country or len(self.country) > 100:
            raise SpecError("error_country_name", high=100)
        if not 10 <= self.samples <= 70_000:
            raise SpecError("error_samples_range", low=10, high=70_000, got=self.samples)
        _check_range("noise", self.noise, 0.0, 1.0)
        if self.dataset in TOY_DATASETS and not 2 <= self.classes <= 6:
            raise SpecError("error_classes_range", low=2, high=6, got=self.classes)
        if self.classes > 2 and self.dataset in TWO_CLASS_DATASETS:
            raise SpecError("error_two_class_dataset", dataset=self.dataset, got=self.classes)


@dataclass(frozen=True)
class ModelSpec:
    features: tuple[str, ...] = ("x1", "x2")  # inputs computed from the point (x1, x2)
    hidden_layers: tuple[Layer, ...] = (Layer(4, "tanh"), Layer(2, "tanh"))
    dropout: float = 0.0  # after every hidden layer
    batch_norm: bool = False  # after every hidden layer, before dropout (a Layer can ask for its own)
    regularization: str = "none"  # weight penalty on every kernel
    regularization_rate: float = 0.0
    use_bias: bool = True
    loss: str = "cross_entropy"  # output is sigmoid (2 classes) or softmax (more); regression: always squared error
    init: str = "glorot"  # every kernel's initializer (one of INITIALIZERS); biases start at zero

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "hidden_layers", tuple(_as_layer(x) for x in self.hidden_layers))
        if not self.features:
            raise SpecError("error_no_features")
        for name in self.features:
            _check_choice("feature", name, FEATURES)
        if len(set(self.features)) != len(self.features):
            raise SpecError("error_repeated_feature")
        if len(self.hidden_layers) > MAX_LAYERS:
            raise SpecError("error_too_many_layers", high=MAX_LAYERS, got=len(self.hidden_layers))
        _check_range("dropout", self.dropout, 0.0, 0.9)
        _check_choice("regularization", self.regularization, REGULARIZATIONS)
        _check_range("regularization rate", self.regularization_rate, 0.0, 10.0)
        _check_choice("loss", self.loss, LOSSES)
        _check_choice("initialization", self.init, INITIALIZERS)


@dataclass(frozen=True)
class TrainSpec:
    optimizer: str = "sgd"  # one of OPTIMIZERS
    learning_rate: float = 0.03
    lr_schedule: str = "constant"  # how the rate falls over the run's `epochs` (one of LR_SCHEDULES)
    momentum: float = 0.9  # used by "momentum" and "nesterov"
    batch_size: int = 10
    epochs: int = 300  # where Play stops by itself
    class_weights: tuple[float, ...] = ()  # () = all 1; one weight per class
    balanced_weights: bool = False  # weights n / (k · n_class) from the training split; overrides class_weights
    threshold: float = 0.5  # two classes: predict the positive class from this probability on
    train_ratio: float = 0.5  # share of the points used for training
    seed: int = 0  # drives data, split, initial weights and shuffling

    def __post_init__(self) -> None:
        object.__setattr__(self, "class_weights", tuple(float(w) for w in self.class_weights))
        _check_choice("optimizer", self.optimizer, OPTIMIZERS)
        _check_choice("learning-rate schedule", self.lr_schedule, LR_SCHEDULES)
        if not 0 < self.learning_rate <= MAX_LEARNING_RATE:
            raise SpecError("error_learning_rate_range", high=MAX_LEARNING_RATE, got=self.learning_rate)
        _check_range("momentum", self.momentum, 0.0, 0.999)
        if self.batch_size < 1:
            raise SpecError("error_batch_size_positive", got=self.batch_size)
        if not 1 <= self.epochs <= 100_000:
            raise SpecError("error_epochs_range", low=1, high=100_000, got=self.epochs)
        if any(not w > 0 for w in self.class_weights):
            raise SpecError("error_class_weights_positive")
        _check_range("train ratio", self.train_ratio, 0.1, 0.9)
        if not 0 < self.threshold < 1:
            raise SpecError("error_threshold_range", got=self.threshold)
        if not 0 <= self.seed < 2**31:
            raise SpecError("error_seed_range", high=2**31 - 1, got=self.seed)


@dataclass(frozen=True)
class Experiment:
    """Data, model and training together: what a URL, a preset or a CLI run describes."""

    data: DataSpec = field(default_factory=DataSpec)
    model: ModelSpec = field(default_factory=ModelSpec)
    train: TrainSpec = field(default_factory=TrainSpec)

    def __post_init__(self) -> None:
        n_train = train_size(self.data.samples, self.train.train_ratio)
        # A file's size is only known once it is read: the cities lab checks its batch size then.
        if self.data.dataset in TOY_DATASETS and self.train.batch_size > n_train:
            raise SpecError("error_batch_larger_than_points", batch=self.train.batch_size, n_train=n_train)
        if self.train.class_weights and len(self.train.class_weights) != self.data.classes:
            raise SpecError("error_class_weights_count", classes=self.data.classes, got=len(self.train.class_weights))

    def to_dict(self) -> dict[str, str]:
        """Flat {key: text} form, the same for URLs, JSON and `--set key=value`."""
        out = {}
        for part in (self.data, self.model, self.train):
            for f in fields(part):
                out[f.name] = _format(getattr(part, f.name))
        return out

    @classmethod
    def from_dict(cls, values: dict[str, Any], base: Experiment | None = None) -> Experiment:
        """Parse a flat dict (strings or values) on top of `base`; unknown keys are an error."""
        base = base or cls()
        unknown = sorted(set(values) - set(KEYS))
        if unknown:
            raise SpecError("error_unknown_setting", setting=unknown[0], known=", ".join(KEYS))
        parts = {}
        for part_name in ("data", "model", "train"):
            part = getattr(base, part_name)
            changes = {
                f.name: _parse(f.name, values[f.name], getattr(part, f.name)) for f in fields(part) if f.name in values
            }
            parts[part_name] = dataclasses.replace(part, **changes)
        return cls(**parts)

    def replace(self, **values: Any) -> Experiment:
        """A copy with some flat keys changed (values already typed or as text)."""
        return Experiment.from_dict(values, base=self)


def train_size(samples: int, train_ratio: float) -> int:
    """Number of training points the split keeps (at least 1, and at least one test point)."""
    return min(max(1, round(samples * train_ratio)), samples - 1)


def parse_assignment(text: str) -> tuple[str, str]:
    """Split a `key=value` command-line assignment."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise SpecError("error_expected_assignment", text=text)
    return key.strip(), value.strip()


KEYS = tuple(f.name for part in (DataSpec, ModelSpec, TrainSpec) for f in fields(part))


def _as_layer(value: Any) -> Layer:
    if isinstance(value, Layer):
        return value
    if isinstance(value, dict):
        return Layer(
            int(value["units"]),
            str(value.get("activation", "tanh")),
            bool(value.get("batch_norm", False)),
            bool(value.get("use_bias", True)),
        )
    return Layer(int(value[0]), str(value[1]), *(bool(v) for v in value[2:4]))


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        short = f"{value:g}"  # "0.03", not "0.030000000000000002"; repr when :g would round
        return short if float(short) == value else repr(value)
    if isinstance(value, tuple):
        return ",".join(_format_item(v) for v in value)
    return str(value)


def _format_item(value: Any) -> str:
    if isinstance(value, Layer):
        return (
            f"{value.units}:{value.activation}"
            + (":bn" if value.batch_norm else "")
            + ("" if value.use_bias else ":nobias")
        )
    return _format(value)


def _parse(key: str, raw: Any, current: Any) -> Any:
    """Parse `raw` to the type of `current`; the message names the setting."""
    if not isinstance(raw, str):
        try:
            return _coerce(key, raw, current)
        except (TypeError, ValueError) as error:  # None or a list where a number belongs
            if isinstance(error, SpecError):
                raise
            raise SpecError("error_cannot_read_setting", setting=key, raw=raw, expected=_describe(current)) from None
    text = raw.strip()
    try:
        if isinstance(current, bool):
            return _parse_bool(text)
        if isinstance(current, int):
            return int(text)
        if isinstance(current, float):
            return float(text)
        if isinstance(current, tuple):
            items = [t.strip() for t in text.split(",") if t.strip()]
            if key == "hidden_layers":
                return tuple(_parse_layer(t) for t in items)
            if key == "class_weights":
                return tuple(float(t) for t in items)
            return tuple(items)
        return text
    except (ValueError, KeyError) as error:
        if isinstance(error, SpecError):
            raise
        raise SpecError("error_cannot_read_setting", setting=key, raw=raw, expected=_describe(current)) from None


def _coerce(key: str, raw: Any, current: Any) -> Any:
    """Typed values (presets, code) take the field's type; a float where a count belongs is an error."""
    if isinstance(current, (bool, tuple)):
        return raw
    if isinstance(current, int):
        if isinstance(raw, float) and not raw.is_integer():
            raise SpecError("error_cannot_read_setting", setting=key, raw=raw, expected=_describe(current))
        return int(raw)
    if isinstance(current, float):
        return float(raw)
    return raw


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


LAYER_FLAGS = ("bn", "nobias")


def _parse_layer(text: str) -> Layer:
    units, activation, *flags = text.split(":") if ":" in text else (text, "tanh")
    if any(flag not in LAYER_FLAGS for flag in flags) or len(set(flags)) != len(flags):
        raise ValueError(text)
    return Layer(int(units), activation or "tanh", batch_norm="bn" in flags, use_bias="nobias" not in flags)


def _describe(current: Any) -> Phrase:
    if isinstance(current, bool):
        return Phrase("error_expected_on_off")
    if isinstance(current, int):
        return Phrase("error_expected_whole_number")
    if isinstance(current, float):
        return Phrase("error_expected_number")
    return Phrase("error_expected_list")
