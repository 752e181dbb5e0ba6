"""Rasters for the charts: class maps and neuron maps as RGB arrays and PNG data URLs."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

from nnlab.frames import filter_bytes
from nnlab.viz import palette
from nnlab.viz.palette import class_colors

# Kept for older callers: the colours of six classes, class 0 orange, class 1 blue (see nnlab.viz.palette).
PALETTE = tuple(palette.MANY_CLASSES)
WHITE = np.array(palette.rgb(palette.WHITE), dtype=float)
WHITE.setflags(write=False)  # shared by every session: read-only
# The plane behind the points, as the class sees it on a projector (issue 20): a confident cell is
# strongly coloured, the boundary itself white. Strength = BACKGROUND_STRENGTH · confidence ** CONFIDENCE_CURVE,
# so a cell the model is fairly sure of is already well coloured (0.55 · confidence stayed pale after 300
# epochs); below 1, the full class colour is left to the points drawn on top. nnlab/ui/player.js mirrors this.
BACKGROUND_STRENGTH = 0.75
CONFIDENCE_CURVE = 0.5
# Probabilities are raised to this power before the class colours mix: a cell at p = 0.7 takes its class's
# hue instead of a grey between orange and blue (it is paled by its confidence anyway).
SHARPEN = 4


def _rgb(hex_colors: list[str]) -> np.ndarray:
    return np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in hex_colors], dtype=float)


def hex_color(rgb: Sequence[float]) -> str:
    """'#rrggbb' of an (r, g, b) 0–255 triple (a colour computed here, e.g. a colour bar's stop)."""
    r, g, b = (int(round(float(c))) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def probabilities_rgb(probabilities: np.ndarray, discretize: bool = False) -> np.ndarray:
    """(r, r, 3) uint8: each cell the colour of its likely class, strong where the model is sure, white where unsure.

    `discretize`: every cell in its predicted class's colour at full strength (TF Playground's "discretize output").
    """
    k = probabilities.shape[-1]
    colors = _rgb(class_colors(k))
    if discretize:
        mixed = colors[probabilities.argmax(axis=-1)]
        strength = np.full(probabilities.shape[:-1], BACKGROUND_STRENGTH)
    else:
        mixed = _sharpened(probabilities) @ colors
        confidence = np.clip((probabilities.max(axis=-1) - 1 / k) / max(1 - 1 / k, 1e-9), 0, 1)
        strength = BACKGROUND_STRENGTH * confidence**CONFIDENCE_CURVE
    return (WHITE + strength[..., None] * (mixed - WHITE)).clip(0, 255).astype(np.uint8)


def _sharpened(probabilities: np.ndarray) -> np.ndarray:
    """Probabilities ** SHARPEN, normalised (equal shares where all are 0): the weights the class colours mix by."""
    powered = np.asarray(probabilities, float) ** SHARPEN
    total = powered.sum(axis=-1, keepdims=True)
    k = probabilities.shape[-1]
    return np.divide(powered, total, out=np.full(powered.shape, 1 / k), where=total > 0)


def probability_ramp(stops: int = 11) -> list[str]:
    """The plane's colours for p(class 1) = 0 … 1 in `stops` even steps (two classes): a colour bar's range."""
    p = np.linspace(0.0, 1.0, stops)
    cells = probabilities_rgb(np.stack([1 - p, p], axis=-1)[None])[0]
    return [hex_color(cell) for cell in cells]


def diverging_rgb(values: np.ndarray, value_range: tuple[float, float], strength: float = 1.0) -> np.ndarray:
    """(r, r, 3) uint8: palette.DIVERGING, orange below the middle of `value_range`, white at it, blue above.

    `strength` < 1 pales every colour towards white (a regression's plane behind its points: BACKGROUND_STRENGTH).
    """
    low, high = value_range
    middle, half = (low + high) / 2, max((high - low) / 2, 1e-9)
    t = np.clip((values - middle) / half, -1, 1)[..., None]
    negative, zero, positive = _rgb(list(palette.DIVERGING))
    color = np.where(t >= 0, positive, negative)
    shade = zero + np.abs(t) * (color - zero)
    return (WHITE + strength * (shade - WHITE)).clip(0, 255).astype(np.uint8)


def png_bytes(rgb: np.ndarray) -> bytes:
    """PNG encoding of an (h, w, 3) uint8 array."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def png_data_url(rgb: np.ndarray) -> str:
    """`data:image/png;base64,...` for an Altair image mark."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(rgb)).decode("ascii")


def weight_grid_rgb(
    weights: np.ndarray, columns: int = 0, cell: int = 48, gap: int = 4, limit: float | None = None
) -> np.ndarray:
    """(h, w, 3) uint8 mosaic of (units, side, side) weights: orange negative, white 0, blue positive.

    As seed 004's displayData, each unit is scaled by its own largest |w| (its pattern shows however
    small it is), unless `limit` fixes one range for all (to compare strengths, as the λ sweep does).
    `columns` defaults to the square root of the unit count (seed 004's 5×5 grid).
    """
    units, side = weights.shape[0], weights.shape[1]
    scale = max(1, cell // side)
    tiles = []
    for unit in weights:
        bound = limit if limit is not None else float(np.abs(unit).max()) or 1.0
        tiles.append(diverging_rgb(unit, (-bound, bound)).repeat(scale, axis=0).repeat(scale, axis=1))
    return mosaic_rgb(tiles, columns or int(np.ceil(np.sqrt(units))), gap)


def digit_grid_rgb(images: np.ndarray, cell: int = 48, gap: int = 4) -> np.ndarray:
    """(h, w, 3) uint8 mosaic of (rows, columns, side, side) digit images, ink on white, one row per row."""
    rows, columns = images.shape[:2]
    return mosaic_rgb([digit_rgb(image, cell) for image in images.reshape(-1, *images.shape[2:])], columns, gap)


def augmented_grid_rgb(originals: np.ndarray, copies: np.ndarray, cell: int = 40) -> np.ndarray:
    """A row per digit: the original (images, side, side), then its augmented copies (copies, images, side, side)."""
    rows = np.concatenate([originals[:, None], copies.transpose(1, 0, 2, 3)], axis=1)  # (images, 1 + copies, ...)
    return digit_grid_rgb(rows, cell=cell)


def mosaic_rgb(tiles: list[np.ndarray], columns: int, gap: int = 4) -> np.ndarray:
    """Equal (size, size, 3) tiles laid out row by row on grey, `gap` pixels apart."""
    size = tiles[0].shape[0]
    rows = int(np.ceil(len(tiles) / columns))
    shape = (rows * (size + gap) + gap, columns * (size + gap) + gap, 3)
    mosaic = np.full(shape, palette.rgb(palette.GAP_GREY), np.uint8)
    for index, tile in enumerate(tiles):
        row, column = divmod(index, columns)
        top, left = gap + row * (size + gap), gap + column * (size + gap)
        mosaic[top : top + size, left : left + size] = tile
    return mosaic


def digit_rgb(image: np.ndarray, size: int = 84) -> np.ndarray:
    """(size, size, 3) uint8: a digit image in [0, 1] as dark ink on white, pixels kept square."""
    scale = max(1, size // image.shape[0])
    gray = (255 * (1 - np.clip(image, 0, 1))).astype(np.uint8).repeat(scale, axis=0).repeat(scale, axis=1)
    return np.repeat(gray[..., None], 3, axis=2)


def photo_rgb(image: np.ndarray, size: int = 128) -> np.ndarray:
    """(size, size, 3) uint8 of a test image in [0, 1]: a colour photograph as it is, a grey digit as ink on white;
    pixels kept square (each repeated, never smoothed) so a 32×32 photo shows what the network really gets."""
    if image.ndim == 2 or image.shape[-1] == 1:
        return digit_rgb(image.reshape(image.shape[0], image.shape[1]), size)
    scale = max(1, size // image.shape[0])
    return (255 * np.clip(image, 0, 1)).astype(np.uint8).repeat(scale, axis=0).repeat(scale, axis=1)


def feature_grid_rgb(maps: np.ndarray, cell: int = 48, gap: int = 3, columns: int = 8) -> np.ndarray:
    """(h, w, 3) uint8 mosaic of one layer's (side, side, maps) output: each map grey, black at its own
    smallest value and white at its largest (a map that is the same everywhere stays black), at most
    `columns` a row. Each map has its own scale: the pattern shows however weak the filter's response."""
    planes = np.moveaxis(np.nan_to_num(np.asarray(maps, np.float32)), -1, 0)  # (maps, side, side)
    low = planes.min(axis=(1, 2), keepdims=True)
    span = planes.max(axis=(1, 2), keepdims=True) - low
    grey = np.rint(255 * (planes - low) / np.where(span > 0, span, 1.0)).astype(np.uint8)
    scale = max(1, cell // planes.shape[1])
    tiles = [np.repeat(plane.repeat(scale, axis=0).repeat(scale, axis=1)[..., None], 3, axis=2) for plane in grey]
    return mosaic_rgb(tiles, min(columns, len(tiles)), gap)


def filter_grid_rgb(filters: np.ndarray, cell: int = 48, gap: int = 4) -> np.ndarray:
    """(h, w, 3) uint8 mosaic of a convolution's (filters, k, k, channels) kernels, as the player draws them:
    colour filters in RGB over each one's own range, grey ones orange negative, blue positive."""
    if filters.shape[-1] != 3:
        return weight_grid_rgb(filters[..., 0], cell=cell, gap=gap)
    pictures = filter_bytes(np.transpose(filters, (1, 2, 3, 0)))  # (filters, k, k, 3)
    scale = max(1, cell // filters.shape[1])
    tiles = [picture.repeat(scale, axis=0).repeat(scale, axis=1) for picture in pictures]
    return mosaic_rgb(tiles, int(np.ceil(np.sqrt(len(tiles)))), gap)
