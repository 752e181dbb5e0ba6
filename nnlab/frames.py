"""Frames for the browser's player: real snapshots of a model during training, made compact.

The Trainer takes a snapshot inside its compiled loop every `every` epochs (see
`Trainer._snapshot_tensors`): every Dense layer's output on a probe grid, every kernel and
bias, and the epoch's metrics. A `FrameLog` turns each into a `Frame` of small arrays
(uint8 maps, float16 weights) and keeps at most `limit` of them, thinning the older ones
evenly, so a long run costs bounded memory and can still be replayed from its start.
Nothing here interpolates: every frame is the model as it was after its epoch.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field

import numpy as np

FRAME_LIMIT = 1000  # frames a run keeps for replay
TICK_BUDGET_BYTES = 180_000  # encoded frames per tick: the page's whole update stays under ~200 kB
BACKLOG_TICKS = 3  # a backlog longer than this many ticks' worth is thinned, not queued
FLOAT16_MAX = 65_000.0


@dataclass(frozen=True)
class ProbeLayout:
    """How the probe grid given to the Trainer splits: a boundary grid, then a coarser grid for neuron maps."""

    resolution: int  # boundary grid is resolution², first in the probe (0: no boundary)
    neuron_resolution: int  # then neuron_resolution² cells for every neuron's map (0: no maps)
    binary: bool  # one sigmoid output (its probability is class 1's)
    tiles: int = 0  # images: the first layer's weights as (units, tiles, tiles) pictures in `neurons` instead
    weights: bool = True  # send every weight (the network diagram needs them; a picture of 784×300 does not)
    regression: bool = False  # one raw output value, not a probability: its bytes are clip(v, -1, 1) on 0…255
    filters: bool = False  # an image network: `tiles` is its first convolution's kernel side, drawn per filter

    @property
    def boundary_cells(self) -> int:
        return self.resolution**2


@dataclass(frozen=True)
class Frame:
    """The model after `epoch` epochs, as the player draws it."""

    serial: int  # order in the run (gaps where frames were thinned)
    epoch: int
    metrics: tuple[float, float, float, float]  # train loss, train accuracy, test loss, test accuracy
    boundary: np.ndarray  # uint8 (r, r, c): class probabilities × 255 (c = 1 for two classes: class 1's);
    #                       regression: (r, r, 1), the output clipped to ±1 (0 = −1, 127.5 = 0, 255 = +1)
    neurons: np.ndarray  # uint8 (units, m, m): hidden maps scaled to their own ±max, output as the boundary
    weights: np.ndarray  # float16, each Dense layer's kernel (row-major) then its bias, layer by layer


def encode_snapshot(layout: ProbeLayout, snapshot: list[np.ndarray], n_layers: int) -> tuple:
    """(boundary, neurons, weights) of one raw snapshot: `n_layers` layer outputs on the probe, then weights."""
    outputs, weights = snapshot[:n_layers], snapshot[n_layers:]
    cells = layout.boundary_cells
    output = outputs[-1][:cells]
    boundary = _output_bytes(output, layout.regression).reshape(layout.resolution, layout.resolution, output.shape[-1])
    m = layout.neuron_resolution
    if layout.filters:
        neurons = filter_bytes(weights[-1])
        weights = weights[:-1]
    elif layout.tiles:
        kernel = weights[0]  # (pixels, units): each unit's weights laid out as the image, over its own ±max
        neurons = _neuron_bytes(kernel, last=False).T.reshape(-1, layout.tiles, layout.tiles)
    elif m:
        maps = [
            _neuron_bytes(out[cells : cells + m * m], last=index == n_layers - 1, regression=layout.regression)
            for index, out in enumerate(outputs)
        ]
        neurons = np.concatenate(maps, axis=1).T.reshape(-1, m, m)
    else:
        neurons = np.zeros((0, 0, 0), np.uint8)
    flat = np.concatenate([w.ravel() for w in weights]) if weights and layout.weights else np.zeros(0)
    return boundary, np.ascontiguousarray(neurons), half_weights(flat)


def filter_bytes(kernel: np.ndarray) -> np.ndarray:
    """A convolution's (k, k, channels, filters) kernel as one picture per filter: colour filters (3 channels)
    as (filters, k, k, 3) RGB stretched over each filter's own min…max, the way filters are usually shown;
    grey ones as (filters, k, k) over their own ±max, 0 at 127.5, like a hidden unit's picture."""
    kernel = np.nan_to_num(np.asarray(kernel, np.float32))
    if kernel.shape[2] == 3:
        per_filter = kernel.transpose(3, 0, 1, 2)
        low = per_filter.min(axis=(1, 2, 3), keepdims=True)
        span = per_filter.max(axis=(1, 2, 3), keepdims=True) - low
        return np.ascontiguousarray(_to_byte((per_filter - low) / np.where(span > 0, span, 1.0)))
    k = kernel.shape[0]
    grey = kernel[:, :, 0, :].reshape(k * k, -1)  # (pixels, filters): a grey image's one channel
    return np.ascontiguousarray(_neuron_bytes(grey, last=False).T.reshape(-1, k, k))


def half_weights(flat: np.ndarray) -> np.ndarray:
    """Weights as float16 for the diagram: an exact 0 stays 0 (a link L1 snapped dead is drawn dead), and a live
    weight too small for float16 keeps its sign at float16's smallest step instead of passing for a dead one."""
    flat = np.asarray(flat, np.float32)
    half = np.clip(flat, -FLOAT16_MAX, FLOAT16_MAX).astype(np.float16)
    lost = (half == 0) & (flat != 0)
    half[lost] = np.copysign(np.float16(2.0**-24), flat[lost])
    return half


def _to_byte(unit_values: np.ndarray) -> np.ndarray:
    """Values in [0, 1] as 0…255."""
    return np.rint(np.clip(np.nan_to_num(unit_values), 0.0, 1.0) * 255).astype(np.uint8)


def _signed_byte(values: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] as 0…255 (0 = −1, 127.5 = 0, 255 = +1), clipped: TF Playground's regression scale."""
    return _to_byte((np.clip(np.nan_to_num(values), -1.0, 1.0) + 1) / 2)


def _output_bytes(values: np.ndarray, regression: bool) -> np.ndarray:
    """The output as the player draws it: a raw value on the ±1 scale (regression), else probabilities."""
    return _signed_byte(values) if regression else _to_byte(values)


def _neuron_bytes(values: np.ndarray, last: bool, regression: bool = False) -> np.ndarray:
    """(cells, units) bytes: the output as the boundary has it; a hidden unit over its own ±max (0 at 127.5)."""
    if last:
        return _output_bytes(values, regression)
    bound = np.abs(np.nan_to_num(values)).max(axis=0)
    return _to_byte((values / np.where(bound > 0, bound, 1.0) + 1) / 2)


@dataclass
class FrameLog:
    """A run's frames, oldest first, at most `limit`; the Trainer's `recorder`."""

    layout: ProbeLayout
    n_layers: int
    every: int = 1
    limit: int = FRAME_LIMIT
    frames: list[Frame] = field(default_factory=list)
    serial: int = 0  # the next frame's
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)  # new when the run starts over

    def add(self, epoch: int, metrics: tuple[float, ...], snapshot: list[np.ndarray]) -> None:
        boundary, neurons, weights = encode_snapshot(self.layout, snapshot, self.n_layers)
        if self.frames and self.frames[-1].epoch == epoch:
            self.frames.pop()  # the same epoch again (a weight edited by hand): the newer state wins
        self.frames.append(Frame(self.serial, epoch, tuple(metrics), boundary, neurons, weights))
        self.serial += 1
        if len(self.frames) > self.limit:
            self.frames = thin(self.frames, self.limit)

    def clear(self) -> None:
        self.frames, self.run_id = [], uuid.uuid4().hex

    def since(self, serial: int) -> list[Frame]:
        """Frames newer than `serial` (-1: all)."""
        return [f for f in self.frames if f.serial > serial]

    @property
    def first_serial(self) -> int:
        return self.frames[0].serial if self.frames else 0

    @property
    def last(self) -> Frame | None:
        return self.frames[-1] if self.frames else None

    @property
    def newest_serial(self) -> int:
        """The newest frame's serial (-1: none yet)."""
        return self.frames[-1].serial if self.frames else -1


def thin(frames: list[Frame], limit: int) -> list[Frame]:
    """Every other frame, oldest first, until at most `limit` remain; the newest is always kept."""
    while len(frames) > limit:
        kept = frames[::2]
        frames = kept if kept[-1] is frames[-1] else [*kept, frames[-1]]
    return frames


def evenly(frames: list[Frame], count: int) -> list[Frame]:
    """At most `count` frames spread evenly over `frames`, the newest always among them."""
    if len(frames) <= count:
        return frames
    picks = np.unique(np.linspace(len(frames) - 1, 0, count).round().astype(int))
    return [frames[i] for i in picks]


def frame_size(frame: Frame) -> int:
    """Bytes a frame takes encoded (base64 grows them by a third)."""
    return 4 * (frame.boundary.nbytes + frame.neurons.nbytes + frame.weights.nbytes) // 3 + 80


def frames_to_send(frames: list[Frame], budget: int = TICK_BUDGET_BYTES) -> list[Frame]:
    """The frames a tick sends: the oldest that fit `budget` bytes (the rest wait for the next tick), or,
    when far more are waiting (a history to resend), an even selection that fits, the newest among them."""
    if not frames:
        return []
    fit = max(1, budget // frame_size(frames[-1]))
    return frames[:fit] if len(frames) <= BACKLOG_TICKS * fit else evenly(frames, fit)


def encode_frame(frame: Frame) -> dict:
    """One frame for the player: serial `s`, epoch `e`, metrics `m`, boundary `b`, neurons `n`, weights `w`."""
    return {
        "s": frame.serial,
        "e": frame.epoch,
        "m": [round(float(v), 5) for v in frame.metrics],
        "b": _b64(frame.boundary),
        "n": _b64(frame.neurons),
        "w": _b64(frame.weights.astype("<f2")),
    }


def decode_frame(encoded: dict, resolution: int, neuron_resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(boundary, neurons, weights) back from `encode_frame`'s dict (what the player's JavaScript does)."""
    boundary = np.frombuffer(base64.b64decode(encoded["b"]), np.uint8).reshape(resolution, resolution, -1)
    m = neuron_resolution
    neurons = np.frombuffer(base64.b64decode(encoded["n"]), np.uint8)
    neurons = neurons.reshape(-1, m, m) if m else neurons
    return boundary, neurons, np.frombuffer(base64.b64decode(encoded["w"]), "<f2")


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def unit_bytes(maps: np.ndarray) -> np.ndarray:
    """(r, r, n) feature maps as (n, r, r) bytes, each over its own ±max: the network's input column."""
    return _neuron_bytes(maps.reshape(-1, maps.shape[-1]), last=False).T.reshape(maps.shape[-1], *maps.shape[:2])
