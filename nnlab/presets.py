"""Named experiments: the Playground's starting points and the lessons' networks.

What each preset is lives in the catalogue (nnlab/locales/*/names.toml, preset_about_<name>), in every language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from nnlab.catalogue import text
from nnlab.spec import Experiment, SpecError


@dataclass(frozen=True)
class Preset:
    name: str
    experiment: Experiment

    @property
    def description(self) -> str:
        """What the preset is, in English (the command line's); a page shows `preset_about_<name>` in its language."""
        return text(f"preset_about_{self.name}")


def _preset(name: str, **settings) -> Preset:
    return Preset(name, Experiment().replace(**settings))


def _overfit_presets() -> tuple[Preset, ...]:
    """Seed 002: a big net memorises 60 noisy points (train 1.0, test 0.73); one remedy each closes the gap."""
    overfit = dict(
        dataset="moons",
        noise=0.5,
        samples=600,
        train_ratio=0.1,
        seed=1,
        hidden_layers="64:relu,64:relu,64:relu",
        optimizer="adam",
        learning_rate=0.01,
        batch_size=16,
        epochs=500,
    )
    return (
        _preset("overfit", **overfit),
        _preset("overfit-l2", **overfit, regularization="l2", regularization_rate=0.01),
        _preset("overfit-dropout", **overfit, dropout=0.5),
    )


# Seed 002: Conv 8 → pool → Conv 16 → pool → Dense 128 → softmax 10, none of them with an activation (max
# pooling is the network's only bend), Adam, batch 32, 10 epochs, CIFAR-10's 50,000 training and 10,000 test images.
SEED_002_CIFAR = MappingProxyType(
    dict(
        dataset="cifar10",
        samples=60_000,
        train_ratio=5 / 6,
        conv_blocks="8:3:same:2:linear,16:3:same:2:linear",
        hidden_layers="128:linear",
        optimizer="adam",
        learning_rate=0.001,
        batch_size=32,
        epochs=10,
    )
)

PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        p.name: p
        for p in (
            _preset("playground"),
            _preset(
                "playground-circle", dataset="circle", features="x1,x2,x1^2,x2^2", hidden_layers="4:tanh", epochs=100
            ),
            _preset(
                "playground-xor",
                dataset="xor",
                hidden_layers="8:tanh,4:tanh",
                optimizer="adam",
                learning_rate=0.01,
                epochs=150,
            ),
            _preset("playground-gauss", dataset="gauss", hidden_layers="", epochs=50),
            _preset(
                "playground-spiral",
                dataset="spiral",
                samples=500,
                hidden_layers="16:tanh,16:tanh",
                optimizer="adam",
                learning_rate=0.01,
                epochs=500,
            ),
            _preset(
                "regression-plane",
                dataset="plane",
                samples=400,
                noise=0.1,
                hidden_layers="4:tanh,2:tanh",
                loss="squared_error",
                learning_rate=0.01,
                epochs=200,
            ),
            _preset(
                "regression-gauss",
                dataset="multigauss",
                samples=600,
                noise=0.0,
                hidden_layers="8:tanh,8:tanh",
                loss="squared_error",
                optimizer="adam",
                learning_rate=0.01,
                epochs=500,
            ),
            _preset(
                "moons",
                dataset="moons",
                hidden_layers="8:relu,8:relu",
                optimizer="adam",
                learning_rate=0.01,
                epochs=200,
            ),
            _preset(
                "planar-flower",
                dataset="flower",
                samples=400,
                noise=0.2,
                seed=1,
                train_ratio=0.7,
                hidden_layers="4:tanh",
                optimizer="adam",
                learning_rate=0.03,
                batch_size=10,
                epochs=300,
            ),
            _preset(
                "cities-reference",
                dataset="cities",
                country="Russia",
                hidden_layers="128:relu:bn,64:relu",
                dropout=0.3,
                optimizer="adam",
                learning_rate=0.001,
                batch_size=32,
                epochs=50,
                class_weights="1,10",
                train_ratio=0.8,
            ),
            _preset(
                "cities-minimal",
                dataset="cities",
                country="Russia",
                hidden_layers="16:relu",
                optimizer="sgd",
                learning_rate=0.4,
                batch_size=32,
                epochs=20,
                class_weights="1,20",
                train_ratio=0.8,
            ),
            _preset(
                "digits-mlp",
                dataset="digits",
                samples=1797,
                train_ratio=0.8,
                hidden_layers="64:relu",
                optimizer="adam",
                learning_rate=0.001,
                batch_size=32,
                epochs=60,
            ),
            _preset(
                "digits-seed004",
                dataset="digits",
                samples=1797,
                train_ratio=0.8,
                hidden_layers="25:sigmoid",
                optimizer="adam",
                learning_rate=0.01,
                batch_size=64,
                epochs=100,
                regularization="l2",
                regularization_rate=0.000348,
            ),
            _preset(
                "mnist-seed001",
                dataset="mnist",
                samples=70000,
                train_ratio=0.857,
                hidden_layers="800:relu,400:relu",
                optimizer="adam",
                learning_rate=0.001,
                batch_size=128,
                epochs=15,
            ),
            _preset("cifar-seed002", **SEED_002_CIFAR),
            _preset(
                "conv-digits",
                dataset="digits",
                samples=1797,
                train_ratio=0.8,
                conv_blocks="8:3:same:2,16:3:same:2",
                hidden_layers="32:relu",
                optimizer="adam",
                learning_rate=0.003,
                batch_size=32,
                epochs=40,
            ),
            _preset(
                "flower-logistic",
                dataset="flower",
                samples=400,
                noise=0.2,
                seed=1,
                train_ratio=0.7,
                hidden_layers="",
                optimizer="adam",
                learning_rate=0.03,
                epochs=100,
            ),
            *_overfit_presets(),
        )
    }
)


def get_preset(name: str) -> Preset:
    """The preset called `name`, or a SpecError listing the known ones."""
    if name not in PRESETS:
        raise SpecError("error_unknown_preset", name=name, known=", ".join(PRESETS))
    return PRESETS[name]
