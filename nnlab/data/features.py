"""Input features computed from the 2-D point, as TF Playground's x1², x1·x2, sin x1 …"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np

FEATURE_FUNCTIONS: Mapping[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = MappingProxyType(
    {
        "x1": lambda x1, x2: x1,
        "x2": lambda x1, x2: x2,
        "x1^2": lambda x1, x2: x1**2,
        "x2^2": lambda x1, x2: x2**2,
        "x1*x2": lambda x1, x2: x1 * x2,
        "sin_x1": lambda x1, x2: np.sin(x1),
        "sin_x2": lambda x1, x2: np.sin(x2),
    }
)

FEATURE_LABELS = MappingProxyType(
    {
        "x1": "x₁",
        "x2": "x₂",
        "x1^2": "x₁²",
        "x2^2": "x₂²",
        "x1*x2": "x₁·x₂",
        "sin_x1": "sin x₁",
        "sin_x2": "sin x₂",
    }
)


def expand_features(points: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """(n, len(names)) float32 feature matrix for 2-D points (n, 2)."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([FEATURE_FUNCTIONS[name](x1, x2) for name in names], axis=1).astype(np.float32)
