"""CIFAR-10's photographs (seed 002): the class names now; the safe loader from Keras's cache follows."""

from __future__ import annotations

import functools

from nnlab.data.digits import DigitImages
from nnlab.errors import LabError

CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


@functools.cache
def shipped_cifar10() -> DigitImages:
    """All 60,000 images, loaded once per process."""
    raise LabError("error_mnist_offline")


def cifar_cached() -> bool:
    """Whether Keras's cache holds CIFAR-10 (stand-in until the loader lands)."""
    return False
