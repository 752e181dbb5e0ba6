"""The one dataset type every lab trains on: a seeded train/test split of read-only arrays.

A classification set names its classes and holds int labels 0..k-1; a regression set (TF Playground's
plane and multi-Gaussian, or a student's own numbers) names none and holds float32 labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split

from nnlab.spec import train_size


@dataclass(frozen=True)
class Dataset:
    name: str
    x_train: np.ndarray  # (n_train, n_inputs) float32
    y_train: np.ndarray  # (n_train,) int class labels, or float32 numbers for regression
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]  # () for regression

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def regression(self) -> bool:
        """Whether each point carries a number to predict rather than a class (no class names)."""
        return self.n_classes == 0

    @property
    def n_inputs(self) -> int:
        return self.x_train.shape[1]


def split_indices(y: np.ndarray, train_ratio: float, seed: int, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the training and test sets: stratified when every class has two points.

    `n_classes` 0 means regression: the labels are numbers, and the split is a plain seeded shuffle.
    """
    n_train = train_size(len(y), train_ratio)
    stratified = n_classes > 0 and (
        np.bincount(y, minlength=n_classes).min() >= 2 and min(n_train, len(y) - n_train) >= n_classes
    )
    train, test = train_test_split(
        np.arange(len(y)), train_size=n_train, random_state=seed, stratify=y if stratified else None
    )
    return train, test


def split_dataset(
    name: str, x: np.ndarray, y: np.ndarray, train_ratio: float, seed: int, class_names: tuple[str, ...]
) -> Dataset:
    """The seeded split of `split_indices` with arrays frozen against edits."""
    train, test = split_indices(y, train_ratio, seed, len(class_names))
    arrays = [np.ascontiguousarray(a) for a in (x[train], y[train], x[test], y[test])]
    for array in arrays:
        array.setflags(write=False)
    return Dataset(name, *arrays, class_names=class_names)
