"""One table of every knob: frozen, self-validating specs with a flat string form for URLs and JSON.

Importing this module must stay cheap: no TensorFlow, no numpy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
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
PHOTO_DATASETS = ("cifar10",)  # CIFAR-10's 32×32 colour photographs (seed 002): the Convolution lab's own
# Images each holds: more samples than these changes nothing.
IMAGE_COUNTS = MappingProxyType({"digits": 1797, "mnist": 70_000, "cifar10": 60_000})
# cities: seed 000's world map, (lat, lng) -> "in the country?"
DATASETS = (*TOY_DATASETS, "cities", *IMAGE_DATASETS, *PHOTO_DATASETS)
# Datasets whose geometry only makes sense for two classes.
TWO_CLASS_DATASETS = ("xor", "moons", "flower", "cities")
INITIALIZERS = ("glorot", "he", "normal", "zeros")  # Glorot uniform, He normal, N(0, 0.1²), all zeros
LR_SCHEDULES = ("constant", "step", "exponential", "cosine")  # keras.optimizers.schedules over the run

MAX_UNITS = 1024  # room for seed 001's MNIST network, 784-800-400-10
MAX_LAYERS = 8
PADDINGS = ("same", "valid")  # a convolution keeps the image's side ("same") or loses kernel − 1 ("valid")
MAX_LEARNING_RATE = 10.0


class SpecError(LabError):
    """A setting a student can fix; the message (a catalogue key and its values) says how."""


ALL_KINDS = ("toy", "cities", "images", "conv")  # the lab kinds, for `Setting.live`


@dataclass(frozen=True)
class Setting:
    """One knob, declared once: what a spec accepts, what a widget offers, what may change live, what may vary.

    The spec's checks, the sidebar widgets, the Experiments grid and the Generalization sweeps all read
    SETTINGS; the type and the text form (URL, JSON, `--set`) come from the spec field's default.
    """

    term: str = ""  # catalogue key naming the setting in messages
    choices: tuple = ()  # the values a spec accepts, for a choice
    bounds: tuple[float, float] | None = None  # the range a spec accepts, for a number
    offered: tuple = ()  # a select slider's scale
    slider: tuple[float, float, float] | None = None  # a slider's (low, high, step) where narrower than bounds
    live: tuple[str, ...] = ()  # lab kinds that apply a change to a running lab without a new model
    grid: tuple = ()  # the values an Experiments grid axis offers
    grid_default: tuple = ()  # the axis's values chosen at first
    sweep: tuple = ()  # the values a Generalization sweep runs


# Every spec field, plus two derived knobs the grid and sweeps vary: hidden_units (every hidden layer's
# width) and positive_weight (class weights 1 : w).
SETTINGS: Mapping[str, Setting] = MappingProxyType(
    {
        "dataset": Setting("error_term_dataset", choices=DATASETS),
        "country": Setting(),
        "classes": Setting(bounds=(2, 6), slider=(2, 6, 1)),
        "features": Setting("error_term_feature", choices=FEATURES),
        "hidden_layers": Setting(bounds=(0, MAX_LAYERS), slider=(0, 6, 1)),  # slider: the Playground's 0–6 layers
        "hidden_units": Setting(
            bounds=(1, MAX_UNITS),
            grid=(1, 2, 4, 8, 16, 32, 64),
            grid_default=(2, 4, 8, 16),
            sweep=(4, 8, 16, 32, 64),
        ),
        "activation": Setting("error_term_activation", choices=ACTIVATIONS),
        # The Convolution lab's blocks (conv → activation → max pool) and each block's parts.
        "conv_blocks": Setting(bounds=(0, 4), slider=(0, 3, 1)),
        "conv_filters": Setting("error_term_conv_filters", bounds=(1, 128), offered=(2, 4, 8, 16, 32, 64)),
        "conv_kernel": Setting("error_term_conv_kernel", bounds=(1, 9), offered=(1, 3, 5, 7)),
        "conv_padding": Setting("error_term_conv_padding", choices=PADDINGS),
        "conv_pool": Setting("error_term_conv_pool", bounds=(1, 4), offered=(1, 2, 3)),  # 1: no pooling
        "learning_rate": Setting(
            bounds=(0.0, MAX_LEARNING_RATE),  # 0 itself is not a rate
            offered=(0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.4, 1.0, 3.0, 10.0),  # 0.4: seed 000
            live=ALL_KINDS,
            grid=(0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0),
            grid_default=(0.001, 0.01, 0.1),
        ),
        "regularization": Setting("error_term_regularization", choices=REGULARIZATIONS),
        "regularization_rate": Setting(
            "error_term_regularization_rate",
            bounds=(0.0, 10.0),
            offered=(0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0),
            grid=(0.0, 0.0001, 0.001, 0.01, 0.1),
            grid_default=(0.0, 0.001, 0.01),
            sweep=(0, 0.001, 0.003, 0.01, 0.03, 0.1),
        ),
        "dropout": Setting(
            "error_term_dropout",
            bounds=(0.0, 0.9),
            slider=(0.0, 0.8, 0.05),
            grid=(0.0, 0.1, 0.2, 0.3, 0.5, 0.7),
            grid_default=(0.0, 0.2, 0.5),
            sweep=(0, 0.1, 0.2, 0.3, 0.5),
        ),
        "batch_norm": Setting(),
        "use_bias": Setting(),
        "loss": Setting("error_term_loss", choices=LOSSES),
        "init": Setting("error_term_init", choices=INITIALIZERS),
        "optimizer": Setting("error_term_optimizer", choices=OPTIMIZERS),
        "lr_schedule": Setting("error_term_lr_schedule", choices=LR_SCHEDULES),
        "momentum": Setting("error_term_momentum", bounds=(0.0, 0.999), slider=(0.0, 0.99, 0.01)),
        "batch_size": Setting(
            bounds=(1, None), slider=(1, 128, 1), grid=(1, 4, 8, 16, 32, 64, 128), grid_default=(8, 32, 128)
        ),
        "class_weights": Setting(live=("cities",)),
        "balanced_weights": Setting(live=("cities",)),
        "positive_weight": Setting(
            offered=(1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, "balanced"),
            grid=(1, 2, 5, 10, 20, 50),
            grid_default=(1, 5, 20),
        ),
        "threshold": Setting(
            bounds=(0.0, 1.0),  # both ends excluded
            live=("cities",),
            grid=(0.1, 0.2, 0.3, 0.5, 0.7, 0.9),
            grid_default=(0.3, 0.5, 0.7),
        ),
        "samples": Setting(
            bounds=(10, 70_000), slider=(20, 1000, 10), grid=(50, 100, 200, 400, 800), grid_default=(100, 400)
        ),
        "noise": Setting(
            "error_term_noise",
            bounds=(0.0, 1.0),
            slider=(0.0, 1.0, 0.05),
            grid=(0.0, 0.1, 0.2, 0.3, 0.5),
            grid_default=(0.0, 0.2, 0.5),
        ),
        "epochs": Setting(
            bounds=(1, 100_000),
            slider=(1, 100_000, 10),
            live=ALL_KINDS,
            grid=(10, 25, 50, 100, 200, 400),
            grid_default=(25, 100),
        ),
        "train_ratio": Setting(
            "error_term_train_ratio",
            bounds=(0.1, 0.9),
            slider=(10, 90, 5),  # in percent
            sweep=(0.1, 0.2, 0.3, 0.5, 0.7),
        ),
        "seed": Setting(bounds=(0, 2**31 - 1), slider=(0, 2**31 - 1, 1)),
    }
)
# What an Experiments grid varies, in the table's order (its menus list them so).
GRID_AXES = tuple(name for name, setting in SETTINGS.items() if setting.grid)
# What a Generalization sweep varies: the table's order with the width last, so the page opens on a penalty.
SWEEP_SETTINGS = tuple(
    sorted((name for name, setting in SETTINGS.items() if setting.sweep), key=lambda n: n == "hidden_units")
)


def live_keys(kind: str) -> tuple[str, ...]:
    """The spec keys a running lab of this kind takes without a new model (the rest rebuild it)."""
    return tuple(name for name, setting in SETTINGS.items() if kind in setting.live)


def is_regression(dataset: str) -> bool:
    """Whether a generated dataset gives each point a number to predict rather than a class."""
    return dataset in REGRESSION_DATASETS


def _check_choice(name: str, value: str) -> None:
    setting = SETTINGS[name]
    if value not in setting.choices:
        raise SpecError(
            "error_unknown_choice", what=Phrase(setting.term), value=value, choices=", ".join(setting.choices)
        )


def _check_range(name: str, value: float) -> None:
    setting = SETTINGS[name]
    low, high = setting.bounds
    if not low <= value <= high:
        raise SpecError("error_out_of_range", what=Phrase(setting.term), low=low, high=high, got=value)


@dataclass(frozen=True)
class Layer:
    units: int
    activation: str = "tanh"
    batch_norm: bool = False  # batch norm after this layer only (seed 000's reference net); text form "128:relu:bn"
    use_bias: bool = True  # False drops this layer's bias neuron (seed 001's 784-300-10); text form "300:relu:nobias"

    def __post_init__(self) -> None:
        low, high = SETTINGS["hidden_units"].bounds
        if not low <= self.units <= high:
            raise SpecError("error_layer_units", high=high, got=self.units)
        _check_choice("activation", self.activation)


@dataclass(frozen=True)
class ConvBlock:
    """One convolution block of an image network: a k×k convolution, its activation, then max pooling.

    Text form "8:3:same:2" (filters, kernel, padding, pool), with ":tanh" when the activation is not relu.
    """

    filters: int
    kernel: int = 3
    padding: str = "same"  # "same" keeps the side; "valid" loses kernel − 1
    pool: int = 2  # the max-pool window and stride after the convolution; 1 = no pooling
    activation: str = "relu"

    def __post_init__(self) -> None:
        for name, value in (("conv_filters", self.filters), ("conv_kernel", self.kernel), ("conv_pool", self.pool)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise SpecError("error_cannot_read_setting", setting=name, raw=value, expected=_describe(0))
            _check_range(name, value)
        _check_choice("conv_padding", self.padding)
        _check_choice("activation", self.activation)


@dataclass(frozen=True)
class DataSpec:
    dataset: str = "circle"  # one of DATASETS
    samples: int = 400  # points generated, before the train/test split
    noise: float = 0.1  # 0 = clean geometry; the flower uses it as the seed's std (0.2)
    classes: int = 2  # 2 or more; some datasets are two-class only
    country: str = "Russia"  # cities: the class "in this country"

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", str(self.country).strip())
        _check_choice("dataset", self.dataset)
        if not self.country or len(self.country) > 100:
            raise SpecError("error_country_name", high=100)
        low, high = SETTINGS["samples"].bounds
        if not low <= self.samples <= high:
            raise SpecError("error_samples_range", low=low, high=high, got=self.samples)
        _check_range("noise", self.noise)
        low, high = SETTINGS["classes"].bounds
        if self.dataset in TOY_DATASETS and not low <= self.classes <= high:
            raise SpecError("error_classes_range", low=low, high=high, got=self.classes)
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
    # Image networks: convolution blocks before the Dense layers (the input is then an image, not a list).
    conv_blocks: tuple[ConvBlock, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "hidden_layers", tuple(_as_layer(x) for x in self.hidden_layers))
        object.__setattr__(self, "conv_blocks", tuple(_as_block(x) for x in self.conv_blocks))
        most = SETTINGS["conv_blocks"].bounds[1]
        if len(self.conv_blocks) > most:
            raise SpecError("error_too_many_blocks", high=most, got=len(self.conv_blocks))
        if not self.features:
            raise SpecError("error_no_features")
        for name in self.features:
            _check_choice("features", name)
        if len(set(self.features)) != len(self.features):
            raise SpecError("error_repeated_feature")
        most = SETTINGS["hidden_layers"].bounds[1]
        if len(self.hidden_layers) > most:
            raise SpecError("error_too_many_layers", high=most, got=len(self.hidden_layers))
        _check_range("dropout", self.dropout)
        _check_choice("regularization", self.regularization)
        _check_range("regularization_rate", self.regularization_rate)
        _check_choice("loss", self.loss)
        _check_choice("init", self.init)


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
        _check_choice("optimizer", self.optimizer)
        _check_choice("lr_schedule", self.lr_schedule)
        low, high = SETTINGS["learning_rate"].bounds
        if not low < self.learning_rate <= high:
            raise SpecError("error_learning_rate_range", high=high, got=self.learning_rate)
        _check_range("momentum", self.momentum)
        if self.batch_size < SETTINGS["batch_size"].bounds[0]:
            raise SpecError("error_batch_size_positive", got=self.batch_size)
        low, high = SETTINGS["epochs"].bounds
        if not low <= self.epochs <= high:
            raise SpecError("error_epochs_range", low=low, high=high, got=self.epochs)
        if any(not w > 0 for w in self.class_weights):
            raise SpecError("error_class_weights_positive")
        _check_range("train_ratio", self.train_ratio)
        low, high = SETTINGS["threshold"].bounds
        if not low < self.threshold < high:
            raise SpecError("error_threshold_range", got=self.threshold)
        low, high = SETTINGS["seed"].bounds
        if not low <= self.seed <= high:
            raise SpecError("error_seed_range", high=high, got=self.seed)


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
        if self.model.conv_blocks and self.data.dataset not in (*IMAGE_DATASETS, *PHOTO_DATASETS):
            raise SpecError("error_conv_needs_images", dataset=self.data.dataset)
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


PROBLEMS = ("classification", "regression")  # the Playground's problem switch; a link may name one
PROBLEM_KEY = "problem"


def first_dataset(problem: str) -> str:
    """The dataset a switch to `problem` (or a link naming only the problem) lands on: each problem's first."""
    return REGRESSION_DATASETS[0] if problem == "regression" else Experiment().data.dataset


def from_link(values: dict[str, str], base: Experiment) -> tuple[Experiment, tuple[SpecError, ...]]:
    """A shared link's settings on top of `base`, and what could not be read.

    A teacher's typo in one setting should not cost every other one: each setting is read on its own (on top of
    the link's dataset, which decides what the rest may be), the unreadable ones are left out and returned.
    `problem=regression` or `classification` (the switch's own name) picks that problem's first dataset unless
    the link names one of its datasets.
    """
    values, errors = dict(values), []
    problem = values.pop(PROBLEM_KEY, None)
    if problem is None:
        try:
            return Experiment.from_dict(values, base=base), ()
        except SpecError:
            pass  # read setting by setting below
    if problem is not None and problem not in PROBLEMS:
        errors.append(
            SpecError(
                "error_unknown_choice", what=Phrase("error_term_problem"), value=problem, choices=", ".join(PROBLEMS)
            )
        )
        problem = None
    try:
        ground = Experiment.from_dict({k: v for k, v in values.items() if k == "dataset"}, base=base)
    except SpecError as error:
        errors.append(error)
        values.pop("dataset")
        ground = base
    readable = {}
    for key, value in values.items():
        try:
            Experiment.from_dict({key: value}, base=ground)
        except SpecError as error:
            errors.append(error)
        else:
            readable[key] = value
    if problem is not None and is_regression(readable.get("dataset", base.data.dataset)) != (problem == "regression"):
        readable["dataset"] = first_dataset(problem)
    try:
        return Experiment.from_dict(readable, base=base), tuple(errors)
    except SpecError as error:  # settings readable alone that do not go together
        return base, (*errors, error)


def with_setting(experiment: Experiment, name: str, value: Any) -> Experiment:
    """The experiment with one setting changed: the one rule the Experiments grid and the sweeps share.

    hidden_units resizes every hidden layer, keeping its activation and flags; a regularization rate keeps
    the base's L1 if it has one, else turns L2 on, and 0 means no penalty; positive_weight w weighs the
    classes 1 : w; any other name is a spec key.
    """
    if name == "hidden_units":
        if not experiment.model.hidden_layers:
            raise SpecError("error_no_hidden_layer")
        layers = tuple(dataclasses.replace(layer, units=int(value)) for layer in experiment.model.hidden_layers)
        return experiment.replace(hidden_layers=layers)
    if name == "regularization_rate":
        kind = "none" if not value else "l1" if experiment.model.regularization == "l1" else "l2"
        return experiment.replace(regularization=kind, regularization_rate=value)
    if name == "positive_weight":
        weights = (1.0, float(value)) if value != 1 else ()
        return experiment.replace(class_weights=weights, balanced_weights=False)
    return experiment.replace(**{name: value})


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


def _as_block(value: Any) -> ConvBlock:
    if isinstance(value, ConvBlock):
        return value
    if isinstance(value, dict):
        return ConvBlock(**value)
    raise SpecError(
        "error_cannot_read_setting", setting="conv_blocks", raw=value, expected=Phrase("error_expected_blocks")
    )


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
    if isinstance(value, ConvBlock):
        return block_text(value)
    return _format(value)


def block_text(block: ConvBlock) -> str:
    """A block's text form, "8:3:same:2" (filters, kernel, padding, pool), with ":tanh" when not relu."""
    text = f"{block.filters}:{block.kernel}:{block.padding}:{block.pool}"
    return text + ("" if block.activation == "relu" else f":{block.activation}")


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
            if key == "conv_blocks":
                return tuple(_parse_block(t) for t in items)
            return tuple(items)
        return text
    except (ValueError, KeyError) as error:
        if isinstance(error, SpecError):
            raise
        expected = Phrase("error_expected_blocks") if key == "conv_blocks" else _describe(current)
        raise SpecError("error_cannot_read_setting", setting=key, raw=raw, expected=expected) from None


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


def _parse_block(text: str) -> ConvBlock:
    """ "filters:kernel:padding:pool[:activation]"; the parts left out keep ConvBlock's defaults."""
    parts = text.split(":")
    if len(parts) > 5:
        raise ValueError(text)
    names = ("filters", "kernel", "padding", "pool", "activation")
    values = {name: (part if name in ("padding", "activation") else int(part)) for name, part in zip(names, parts)}
    return ConvBlock(**values)


def _describe(current: Any) -> Phrase:
    if isinstance(current, bool):
        return Phrase("error_expected_on_off")
    if isinstance(current, int):
        return Phrase("error_expected_whole_number")
    if isinstance(current, float):
        return Phrase("error_expected_number")
    return Phrase("error_expected_list")
