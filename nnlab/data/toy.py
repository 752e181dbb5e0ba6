"""Seeded 2-D datasets: TF Playground's four classification sets and two regression sets, moons, and seed
003's planar flower.

The regression sets ("plane", "multigauss") follow TF Playground's src/dataset.ts (regressPlane,
regressGaussian) formula for formula: points uniform in [-6, 6]², and noise moves the place where the label
is read, not the point (a shift uniform in [-6, 6]·noise on each axis; TF Playground's noise slider reaches
0.5). The one difference: plane's labels are clipped to [-1, 1], the range TF Playground colours (its plane
reaches ±1.2 in the corners, where it draws full colour anyway), so every regression label here is in [-1, 1].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np
from sklearn.datasets import make_moons

from nnlab.data.dataset import Dataset, split_dataset
from nnlab.errors import LabError
from nnlab.spec import DataSpec

EXTENT = 6.0  # points live in about [-6, 6]², like TF Playground


def circle(n: int, classes: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Concentric rings, the innermost being class 0's disk; a gap separates the rings."""
    y = _balanced_labels(n, classes)
    band = 5.0 / classes
    radius = band * (y + rng.uniform(0.0, 0.7, n))
    radius[y == 0] = band * 0.7 * np.sqrt(rng.uniform(0, 1, (y == 0).sum()))
    angle = rng.uniform(0, 2 * np.pi, n)
    return _jitter(_polar(radius, angle), noise, rng), y


def xor(n: int, classes: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform square; the class is whether x1 and x2 have the same sign."""
    points = rng.uniform(-5, 5, (n, 2))
    points += np.sign(points) * 0.3  # keep a thin empty cross, as TF Playground does
    y = (points[:, 0] * points[:, 1] > 0).astype(np.int64)
    return _jitter(points, noise, rng), y


def gauss(n: int, classes: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One Gaussian blob per class, centres evenly spaced on a circle; noise widens them."""
    y = _balanced_labels(n, classes)
    angle = np.pi / 4 + 2 * np.pi * y / classes
    centres = 2.8 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return centres + rng.normal(0, 0.6 + 2.0 * noise, (n, 2)), y


def spiral(n: int, classes: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class."""
    y = _balanced_labels(n, classes)
    t = np.concatenate([np.linspace(0, 1, (y == c).sum(), endpoint=False) for c in range(classes)])
    angle = 1.75 * 2 * np.pi * t + 2 * np.pi * y / classes
    return _jitter(_polar(5.0 * t + 0.2, angle), noise, rng), y


def moons(n: int, classes: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's two moons, scaled to the common extent."""
    points, y = make_moons(n, noise=noise, random_state=int(rng.integers(2**31)))
    return (points - [0.5, 0.25]) * 3.0, y.astype(np.int64)


def flower(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seed 003's load_planar_dataset; seed 1, 400 points, noise 0.2 give its exact data."""
    random = np.random.RandomState(seed)  # the seed's global np.random.seed(1), kept local
    petal_length = 4
    sizes = (n - n // 2, n // 2)  # the seed's two equal halves; an odd n gives class 0 one more
    x = np.zeros((n, 2))
    y = np.zeros(n, dtype=np.int64)
    for j, size in enumerate(sizes):
        ix = range(sizes[0] * j, sizes[0] * j + size)
        t = np.linspace(j * 3.12, (j + 1) * 3.12, size) + random.randn(size) * noise
        r = petal_length * np.sin(4 * t) + random.randn(size) * noise
        x[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = j
    return x, y


# TF Playground's regressGaussian bumps: centre (x1, x2) and the sign of the label at the centre.
BUMPS = ((-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0), (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0))
BUMP_RADIUS = 2.0  # a bump's label falls linearly from ±1 at its centre to 0 at this distance
PLANE_SCALE = 10.0  # regressPlane: x1 + x2 = ±10 maps to a label of ±1


def plane_label(points: np.ndarray) -> np.ndarray:
    """regressPlane's label, (x1 + x2) / 10, clipped to [-1, 1] (TF Playground's colour range)."""
    return np.clip((points[:, 0] + points[:, 1]) / PLANE_SCALE, -1.0, 1.0)


def multigauss_label(points: np.ndarray) -> np.ndarray:
    """regressGaussian's label: of the six signed bumps, the one largest in absolute value (the first on a tie)."""
    centres, signs = np.array([b[:2] for b in BUMPS]), np.array([b[2] for b in BUMPS])
    distance = np.linalg.norm(points[:, None, :] - centres[None], axis=-1)  # (n, 6)
    bumps = signs * np.clip(1.0 - distance / BUMP_RADIUS, 0.0, 1.0)
    strongest = np.argmax(np.abs(bumps), axis=1)  # argmax keeps the first, as dataset.ts's strict ">" does
    return bumps[np.arange(len(points)), strongest] + 0.0  # + 0.0: no -0.0 far from every bump


def plane(n: int, classes: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """TF Playground's reg-plane: a label that rises linearly towards the top-right corner."""
    return _regression(plane_label, n, noise, rng)


def multigauss(n: int, classes: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """TF Playground's reg-gauss: six bumps in two rows, alternately positive and negative."""
    return _regression(multigauss_label, n, noise, rng)


CLASSIFIERS: Mapping[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = MappingProxyType(
    {
        "circle": circle,
        "xor": xor,
        "gauss": gauss,
        "spiral": spiral,
        "moons": moons,
    }
)
# Datasets whose label is a number in [-1, 1] (float32), not a class: nnlab.spec.REGRESSION_DATASETS.
REGRESSORS: Mapping[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = MappingProxyType(
    {
        "plane": plane,
        "multigauss": multigauss,
    }
)
GENERATORS: Mapping[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = MappingProxyType({**CLASSIFIERS, **REGRESSORS})


def make_points(spec: DataSpec, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """All points (n, 2) float32 and labels (n,) before any split: int64 classes, or float32 numbers for
    the regression sets. "custom" has no generator: its points are the student's (nnlab.data.points)."""
    if spec.dataset == "custom":
        raise LabError("error_no_own_points")
    if spec.dataset == "flower":
        x, y = flower(spec.samples, spec.noise, seed)
    else:
        rng = np.random.default_rng(seed)
        x, y = GENERATORS[spec.dataset](spec.samples, spec.classes, spec.noise, rng)
    return x.astype(np.float32), y


def make_dataset(spec: DataSpec, train_ratio: float, seed: int) -> Dataset:
    """The seeded points split into train and test sets (a regression set has no class names)."""
    x, y = make_points(spec, seed)
    names = () if spec.dataset in REGRESSORS else tuple(f"class {c}" for c in range(spec.classes))
    return split_dataset(spec.dataset, x, y, train_ratio, seed, names)


def _balanced_labels(n: int, classes: int) -> np.ndarray:
    return np.arange(n) * classes // n


def _polar(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    return np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)


def _regression(
    label: Callable[[np.ndarray], np.ndarray], n: int, noise: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points in [-6, 6]² labelled where the noise moves them (dataset.ts draws the shift uniform in
    [-radius, radius]·noise, and keeps the point where it was)."""
    points = rng.uniform(-EXTENT, EXTENT, (n, 2))
    shift = rng.uniform(-EXTENT, EXTENT, (n, 2)) * noise
    return points, label(points + shift).astype(np.float32)


def _jitter(points: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    return points + rng.normal(0, 2.0 * noise, points.shape) if noise > 0 else points
