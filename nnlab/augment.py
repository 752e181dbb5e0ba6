"""Data augmentation: more training examples made from the ones we have, the test set untouched.

An augmented training set starts with the original examples, then `copies` altered copies of
them in the same order, so `x_train[:n]` is always the original set (what the train–test gap
is measured on).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import ndimage

from nnlab.data.dataset import Dataset
from nnlab.spec import SpecError

COPIES = 3  # each training example plus three altered copies = 4× the examples
STREAM = 7  # keeps augmentation's random numbers apart from the data's, which use the bare seed
# Strength 1 for an image: up to ±10° of rotation and ±0.5 pixel of shift. A whole pixel of an 8×8
# digit is an eighth of it; scikit-learn's digits are centred, so larger moves make images unlike any test image.
MAX_DEGREES = 10.0
MAX_SHIFT = 0.5


def jitter(points: Dataset, std: float, seed: int, copies: int = COPIES) -> Dataset:
    """The training points plus `copies` noisy copies (Gaussian, `std` in data units)."""
    if std < 0:
        raise SpecError("error_jitter_negative", got=std)
    rng = np.random.default_rng([seed, STREAM])
    noisy = [points.x_train + rng.normal(0.0, std, points.x_train.shape) for _ in range(copies)]
    return _with_copies(points, np.concatenate([points.x_train, *noisy]), copies)


def shift_and_rotate(images: np.ndarray, strength: float, seed: int, copies: int = COPIES) -> np.ndarray:
    """(copies, n, side, side): each image turned and moved a little, at random, pixels kept in [0, 1].

    `strength` scales both moves (1 = ±MAX_DEGREES, ±MAX_SHIFT pixels); bilinear resampling,
    blank (0) where the image moved away from the frame.
    """
    if strength < 0:
        raise SpecError("error_augment_negative", got=strength)
    rng = np.random.default_rng([seed, STREAM])
    count, side = len(images), images.shape[-1]
    angles = np.deg2rad(rng.uniform(-MAX_DEGREES, MAX_DEGREES, (copies, count)) * strength)
    shifts = rng.uniform(-MAX_SHIFT, MAX_SHIFT, (copies, count, 2)) * strength
    centre = np.full(2, (side - 1) / 2)
    out = np.empty((copies, count, side, side), np.float32)
    for copy in range(copies):
        for index, image in enumerate(images):
            cos, sin = np.cos(angles[copy, index]), np.sin(angles[copy, index])
            rotation = np.array([[cos, -sin], [sin, cos]])
            # affine_transform maps output pixels to input pixels: input = rotation @ output + offset.
            offset = centre - rotation @ (centre + shifts[copy, index])
            out[copy, index] = ndimage.affine_transform(image, rotation, offset=offset, order=1, cval=0.0)
    return np.clip(out, 0.0, 1.0, out=out)


def augment_images(data: Dataset, side: int, strength: float, seed: int, copies: int = COPIES) -> Dataset:
    """Flattened images plus `copies` shifted and rotated copies of each (see `shift_and_rotate`)."""
    images = data.x_train.reshape(-1, side, side)
    moved = shift_and_rotate(images, strength, seed, copies).reshape(copies * len(images), -1)
    return _with_copies(data, np.concatenate([data.x_train, moved]), copies)


def _with_copies(data: Dataset, x_train: np.ndarray, copies: int) -> Dataset:
    x_train = x_train.astype(np.float32)
    y_train = np.tile(data.y_train, copies + 1)
    for array in (x_train, y_train):
        array.setflags(write=False)
    return dataclasses.replace(data, x_train=x_train, y_train=y_train)
