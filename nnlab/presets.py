"""Named experiments: the Playground's starting points and the lessons' networks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from nnlab.spec import Experiment, SpecError


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    experiment: Experiment


def _preset(name: str, description: str, **settings) -> Preset:
    return Preset(name, description, Experiment().replace(**settings))


def _overfit_presets() -> tuple[Preset, ...]:
    """Seed 002: a big net memorises 60 noisy points (train 1.0, test 0.73); one remedy each closes the gap."""
    overfit = dict(dataset="moons", noise=0.5, samples=600, train_ratio=0.1, seed=1,
                   hidden_layers="64:relu,64:relu,64:relu", optimizer="adam", learning_rate=0.01, batch_size=16,
                   epochs=500)
    return (
        _preset("overfit", "Seed 002: 64-64-64 relu on 60 noisy moons points learns them by heart (gap ≈ 0.27).",
                **overfit),
        _preset("overfit-l2", "The overfit net with an L2 penalty (λ = 0.01): the train–test gap closes.",
                **overfit, regularization="l2", regularization_rate=0.01),
        _preset("overfit-dropout", "The overfit net with dropout 0.5 after every hidden layer: the gap closes.",
                **overfit, dropout=0.5),
    )


PRESETS: Mapping[str, Preset] = MappingProxyType({
    p.name: p
    for p in (
        _preset("playground", "TF Playground's opening screen: circle, 4-2 tanh, SGD 0.03."),
        _preset("playground-circle", "Circle with squared features: one layer suffices.",
                dataset="circle", features="x1,x2,x1^2,x2^2", hidden_layers="4:tanh", epochs=100),
        _preset("playground-xor", "XOR: the product feature x1*x2 makes it linear.",
                dataset="xor", hidden_layers="8:tanh,4:tanh", optimizer="adam", learning_rate=0.01, epochs=150),
        _preset("playground-gauss", "Two Gaussian blobs: a single neuron is enough.",
                dataset="gauss", hidden_layers="", epochs=50),
        _preset("playground-spiral", "Spiral from raw x1, x2: two layers of 16 tanh units with Adam.",
                dataset="spiral", samples=500, hidden_layers="16:tanh,16:tanh", optimizer="adam",
                learning_rate=0.01, epochs=500),
        _preset("moons", "scikit-learn's two moons with a small relu network.",
                dataset="moons", hidden_layers="8:relu,8:relu", optimizer="adam", learning_rate=0.01, epochs=200),
        _preset("planar-flower", "Seed 003: the planar flower, 4 tanh units, as in the lesson.",
                dataset="flower", samples=400, noise=0.2, seed=1, train_ratio=0.7, hidden_layers="4:tanh",
                optimizer="adam", learning_rate=0.03, batch_size=10, epochs=300),
        _preset("cities-reference", "Seed 000: 2-128 relu-BN-Dropout-64 relu-Dropout-1 on world cities, Adam, weight 1:10.",
                dataset="cities", country="Russia", hidden_layers="128:relu:bn,64:relu", dropout=0.3,
                optimizer="adam", learning_rate=0.001, batch_size=32, epochs=50, class_weights="1,10",
                train_ratio=0.8),
        _preset("cities-minimal", "Seed 000's smallest net: 2-16 relu-1, SGD 0.4, weight 1:20, 20 epochs.",
                dataset="cities", country="Russia", hidden_layers="16:relu", optimizer="sgd", learning_rate=0.4,
                batch_size=32, epochs=20, class_weights="1,20", train_ratio=0.8),
        _preset("digits-mlp", "scikit-learn's 8×8 digits: 64 pixels, one hidden layer of 64 relu units, Adam.",
                dataset="digits", samples=1797, train_ratio=0.8, hidden_layers="64:relu", optimizer="adam",
                learning_rate=0.001, batch_size=32, epochs=60),
        _preset("digits-seed004", "Seed 004's 400-25-10 sigmoid net with L2 (λ = 1), on the 8×8 digits: 64-25-10.",
                dataset="digits", samples=1797, train_ratio=0.8, hidden_layers="25:sigmoid", optimizer="adam",
                learning_rate=0.01, batch_size=64, epochs=100, regularization="l2", regularization_rate=0.000348),
        _preset("mnist-seed001", "Seed 001's MNIST net 784-800-400-10 relu, Adam, 15 epochs (MNIST is downloaded once).",
                dataset="mnist", samples=70000, train_ratio=0.857, hidden_layers="800:relu,400:relu",
                optimizer="adam", learning_rate=0.001, batch_size=128, epochs=15),
        _preset("flower-logistic", "Seed 003's baseline: no hidden layer is logistic regression.",
                dataset="flower", samples=400, noise=0.2, seed=1, train_ratio=0.7, hidden_layers="",
                optimizer="adam", learning_rate=0.03, epochs=100),
        *_overfit_presets(),
    )
})


def get_preset(name: str) -> Preset:
    """The preset called `name`, or a SpecError listing the known ones."""
    if name not in PRESETS:
        raise SpecError("error_unknown_preset", name=name, known=", ".join(PRESETS))
    return PRESETS[name]
