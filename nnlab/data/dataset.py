"""The one dataset type every lab trains on: a seeded train/test split of read-only arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split

from nnlab.spec import train_size


@dataclass(frozen=True)
class Dataset:
    name: str
    x_train: np.ndarray  # (n_train, n_inputs) float32
    y_train: np.ndarray  # (n_train,) int class labels
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_inputs(self) -> int:
        return self.x_train.shape[1]


def split_dataset(
    name: str, x: np.ndarray, y: np.ndarray, train_ratio: float, seed: int, class_names: tuple[str, ...]
) -> Dataset:
    """Stratified split (when every class has two points) with arrays frozen against edits."""
    counts = np.bincount(y, minlength=len(class_names))
    stratify = y if counts.min() >= 2 else None
    n_train = train_size(len(y), train_ratio)
    stratify = stratify if min(n_train, len(y) - n_train) >= len(class_names) else None
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, train_size=n_train, random_state=seed, stratify=stratify
    )
    arrays = [np.ascontiguousarray(a) for a in (x_train, y_train, x_test, y_test)]
    for array in arrays:
        array.setflags(write=False)
    return Dataset(name, *arrays, class_names=class_names)
