"""Optimizer paths on 2-D test surfaces, walked by the real Keras optimizers, and their chart.

Seed 001 says it in words: momentum smooths the zigzag, Adagrad's step shrinks, Adam adapts.
Here two variables (x, y) take the place of a network's weights, so every step can be drawn.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import altair as alt
import numpy as np
import pandas as pd

from nnlab.backend import keras, tf
from nnlab.catalogue import text
from nnlab.errors import LabError
from nnlab.models import make_optimizer
from nnlab.spec import OPTIMIZERS
from nnlab.viz import palette
from nnlab.viz.images import png_data_url

DIVERGED = 1e6  # a coordinate beyond this (or not finite) ends the path; its remaining rows are NaN
NEAR = 0.1  # "reached the minimum" means within this distance of it
CHART_SIZE = 420


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface with where the walk starts and the window it is drawn in."""

    name: str
    function: Callable  # f(x, y, m), m = numpy or tf.math: one formula for the grid and the gradient tape
    start: tuple[float, float]
    minimum: tuple[float, float] | None  # a global minimum; None when there is none (the saddle)
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    log_levels: bool = False  # shade log(f − min): steep walls would otherwise hide the valley floor

    @property
    def title(self) -> str:
        """Its name and formula in English (the catalogue's surface_<name>; a page shows its own language's)."""
        return text(f"surface_{self.name}")

    def value(self, x, y) -> np.ndarray:
        """f at numpy points (float64)."""
        return self.function(np.asarray(x, dtype=float), np.asarray(y, dtype=float), np)


def _valley(x, y, m):
    return 0.1 * x**2 + 5 * y**2


def _rosenbrock(x, y, m):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _beale(x, y, m):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _saddle(x, y, m):
    return x**2 - y**2


def _local_minima(x, y, m):
    # A wide bowl times ripples: minima near every (kπ, lπ) with k + l even; the lowest, 0, at the origin.
    return (x**2 + y**2) / 20 + 1 - m.cos(x) * m.cos(y)


SURFACES: Mapping[str, Surface] = MappingProxyType(
    {
        "valley": Surface(
            "valley",
            _valley,
            start=(-4.0, 1.5),
            minimum=(0.0, 0.0),
            x_range=(-5.0, 5.0),
            y_range=(-2.5, 2.5),
        ),
        "rosenbrock": Surface(
            "rosenbrock",
            _rosenbrock,
            start=(-1.5, 2.0),
            minimum=(1.0, 1.0),
            x_range=(-2.0, 2.0),
            y_range=(-1.0, 3.0),
            log_levels=True,
        ),
        "beale": Surface(
            "beale",
            _beale,
            start=(1.0, 1.5),
            minimum=(3.0, 0.5),
            x_range=(-1.0, 4.5),
            y_range=(-1.5, 2.5),
            log_levels=True,
        ),
        "saddle": Surface(
            "saddle",
            _saddle,
            start=(-2.0, 0.001),
            minimum=None,
            x_range=(-2.0, 2.0),
            y_range=(-2.0, 2.0),
        ),
        "local_minima": Surface(
            "local_minima",
            _local_minima,
            start=(-5.0, 4.0),
            minimum=(0.0, 0.0),
            x_range=(-7.0, 7.0),
            y_range=(-7.0, 7.0),
        ),
    }
)

# Found by sweeping 0.0003–2 for 200 steps from each start (momentum 0.9); see the notes per surface.
# valley: everyone reaches the minimum; SGD diverges above 0.2 (the steep y wall), momentum at SGD's lr wins.
# rosenbrock: the curved valley is slow for all. Give it 1000 steps: momentum reaches (1, 1) at step ~330,
#   Nesterov ~475, Adam ~520; SGD, Adagrad (its big first steps leave the map) and RMSprop do not.
#   In 200 steps momentum and Nesterov end 0.25–0.36 away. SGD diverges above 0.002, Nesterov above 0.001.
# beale: Adam 0.2–0.5, momentum 0.003, Adagrad 2 reach (3, 0.5); plain SGD stops short at 0.02, diverges at 0.05.
# saddle: SGD stalls at the saddle and momentum is just leaving it; the adaptive ones walk off it
#   (the surface has no bottom, so a run that goes on "diverges" past 1e6).
# local_minima: SGD, Adagrad, RMSprop and Adam (any lr) settle in the nearest ripple (−2.84, 2.84), f ≈ 0.895;
#   momentum at 0.1–0.5 and Nesterov at 0.2–1 roll through to the global minimum at the origin.
DEFAULT_LEARNING_RATES: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "valley": MappingProxyType(dict(sgd=0.15, momentum=0.02, nesterov=0.02, adagrad=0.5, rmsprop=0.05, adam=0.1)),
        "rosenbrock": MappingProxyType(
            dict(sgd=0.001, momentum=0.0015, nesterov=0.001, adagrad=2.0, rmsprop=0.01, adam=0.5)
        ),
        "beale": MappingProxyType(dict(sgd=0.02, momentum=0.003, nesterov=0.003, adagrad=2.0, rmsprop=0.05, adam=0.2)),
        "saddle": MappingProxyType(
            dict(sgd=0.01, momentum=0.002, nesterov=0.002, adagrad=0.05, rmsprop=0.01, adam=0.01)
        ),
        "local_minima": MappingProxyType(
            dict(sgd=0.1, momentum=0.2, nesterov=0.5, adagrad=0.5, rmsprop=0.05, adam=0.1)
        ),
    }
)

OPTIMIZER_COLORS: Mapping[str, str] = palette.OPTIMIZER_COLORS  # the same colours as the optimizer race

# Light to mid grey: low loss pale, high loss darker, never a hue, so every path's colour stands out
# (a blue-grey ramp hid the blue and sky-blue paths).
SHADES = palette.LOSS_SHADES
BANDS = 14  # shading in bands looks like a contour plot


def get_surface(name: str) -> Surface:
    """The surface called `name`, or a ValueError listing the choices."""
    if name not in SURFACES:
        raise LabError("error_unknown_surface", name=name, choices=", ".join(SURFACES))
    return SURFACES[name]


class _Walker:
    """One surface × optimizer × momentum, traced once: later paths reset its state and run the graph.

    Building and tracing costs 0.1–0.4 s and a 200-step run about 4 ms, so a slider move reuses the graph.
    The lock keeps two sessions (threads) from using the variables at the same time.
    """

    def __init__(self, surface: Surface, optimizer: str, momentum: float):
        self.function = surface.function
        self.position = keras.Variable(np.zeros(2, np.float32), name="position")
        self.optimizer = make_optimizer(optimizer, 0.01, momentum)
        self.optimizer.build([self.position])
        self.initial_state = [(v, v.numpy()) for v in self.optimizer.variables if v.name != "learning_rate"]
        self.learning_rate = next(v for v in self.optimizer.variables if v.name == "learning_rate")
        self.lock = threading.Lock()
        signature = [tf.TensorSpec([2], tf.float32), tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.int32)]
        self.walk = tf.function(self._walk, input_signature=signature)

    def _walk(self, start: tf.Tensor, learning_rate: tf.Tensor, steps: tf.Tensor) -> tf.Tensor:
        self.position.assign(start)
        for variable, value in self.initial_state:
            variable.assign(value)
        self.learning_rate.assign(learning_rate)
        rows = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(0, start)
        for step in tf.range(1, steps + 1):
            with tf.GradientTape() as tape:
                loss = self.function(self.position[0], self.position[1], tf.math)
            self.optimizer.apply(tape.gradient(loss, [self.position]), [self.position])
            position = tf.convert_to_tensor(self.position)
            rows = rows.write(step, position)
            if not tf.reduce_all(tf.abs(position) <= DIVERGED):  # also False for NaN
                break
        return rows.stack()


@functools.lru_cache(maxsize=64)  # a walker's paths depend only on these arguments: sharing it is safe
def _walker(surface_name: str, optimizer: str, momentum: float) -> _Walker:
    return _Walker(get_surface(surface_name), optimizer, momentum)


def optimizer_path(
    surface_name: str, optimizer: str, learning_rate: float, momentum: float = 0.9, steps: int = 200
) -> np.ndarray:
    """(steps + 1, 2) positions from the start on; rows from a divergence (|coordinate| > 1e6) on are NaN."""
    surface = get_surface(surface_name)
    _check_walk(optimizer, learning_rate, momentum, steps)
    walker = _walker(surface_name, optimizer, float(momentum) if optimizer in ("momentum", "nesterov") else 0.0)
    with walker.lock:
        rows = walker.walk(
            tf.constant(surface.start, tf.float32), tf.constant(learning_rate, tf.float32), tf.constant(steps, tf.int32)
        )
    rows = rows.numpy().astype(float)
    if not np.all(np.abs(rows[-1]) <= DIVERGED):
        rows[-1] = np.nan
    return np.vstack([rows, np.full((steps + 1 - len(rows), 2), np.nan)])


def _check_walk(optimizer: str, learning_rate: float, momentum: float, steps: int) -> None:
    if optimizer not in OPTIMIZERS:
        raise LabError("error_walk_optimizer", name=optimizer, choices=", ".join(OPTIMIZERS))
    if not learning_rate > 0:
        raise LabError("error_walk_learning_rate", got=learning_rate)
    if not 0 <= momentum < 1:
        raise LabError("error_walk_momentum", got=momentum)
    if steps < 0:
        raise LabError("error_walk_steps", got=steps)


def paths(
    surface_name: str,
    optimizers: list[str],
    learning_rates: Mapping[str, float],
    momentum: float = 0.9,
    steps: int = 200,
) -> dict[str, np.ndarray]:
    """Each optimizer's path (see `optimizer_path`) at its own learning rate."""
    return {name: optimizer_path(surface_name, name, learning_rates[name], momentum, steps) for name in optimizers}


def surface_grid(surface_name: str, resolution: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xs (resolution,), ys (resolution,) and z (resolution, resolution) with rows = y, over the plot window."""
    surface = get_surface(surface_name)
    xs, ys = np.linspace(*surface.x_range, resolution), np.linspace(*surface.y_range, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    return xs, ys, surface.value(grid_x, grid_y)


def path_summary(surface_name: str, path: np.ndarray) -> dict:
    """Final position and value, distance to the minimum, first step within NEAR of it, and whether it diverged."""
    surface = get_surface(surface_name)
    finite = path[np.all(np.isfinite(path), axis=1)]
    final = finite[-1]
    distances = None if surface.minimum is None else np.linalg.norm(finite - np.array(surface.minimum), axis=1)
    reached = None if distances is None or not np.any(distances <= NEAR) else int(np.argmax(distances <= NEAR))
    return {
        "final_position": (float(final[0]), float(final[1])),
        "final_value": float(surface.value(final[0], final[1])),
        "distance_to_minimum": None if distances is None else float(distances[-1]),
        "steps_to_minimum": reached,
        "diverged": len(finite) < len(path),
    }


def shading_rgb(surface_name: str, resolution: int = 120) -> np.ndarray:
    """(resolution, resolution, 3) uint8 image of the surface, top row = highest y, in BANDS shades."""
    surface = get_surface(surface_name)
    _, _, z = surface_grid(surface_name, resolution)
    height = z - z.min()
    if surface.log_levels:
        height = np.log10(height + 1e-2)
    level = np.floor(BANDS * (height - height.min()) / max(np.ptp(height), 1e-12)).clip(0, BANDS - 1) / (BANDS - 1)
    stops = np.linspace(0, 1, len(SHADES))
    rgb = np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in SHADES], dtype=float)
    image = np.stack([np.interp(level, stops, rgb[:, channel]) for channel in range(3)], axis=-1)
    return image[::-1].round().astype(np.uint8)


def landscape_chart(
    surface_name: str, paths: Mapping[str, np.ndarray], upto: int, labels: Mapping[str, str] | None = None
) -> alt.LayerChart:
    """The shaded surface with each optimizer's path up to step `upto` and a dot where it is then."""
    surface = get_surface(surface_name)
    if upto < 0:
        raise LabError("error_walk_upto", got=upto)
    labels = {name: (labels or {}).get(name, name) for name in paths}
    x_scale = alt.Scale(domain=list(surface.x_range), nice=False, zero=False)
    y_scale = alt.Scale(domain=list(surface.y_range), nice=False, zero=False)
    color = alt.Color(
        "optimizer:N",
        title="optimizer",
        legend=alt.Legend(orient="bottom", columns=3),
        scale=alt.Scale(domain=list(labels.values()), range=[OPTIMIZER_COLORS[name] for name in paths]),
    )
    x, y = alt.X("x:Q", scale=x_scale, title="x"), alt.Y("y:Q", scale=y_scale, title="y")
    layers = [_surface_layer(surface, x, y)]
    frames = {name: _path_frame(path, upto, labels[name]) for name, path in paths.items()}
    for frame in frames.values():
        layers.append(
            alt.Chart(frame)
            .mark_line(strokeWidth=2, clip=True, point=alt.OverlayMarkDef(size=12, clip=True))
            .encode(x=x, y=y, order="step:Q", color=color)
        )
    now = pd.concat([frame.tail(1) for frame in frames.values()]) if frames else _path_frame(np.zeros((0, 2)), 0, "")
    tooltip = ["optimizer:N", "step:Q", alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("y:Q", format=".3f")]
    layers.append(
        alt.Chart(now)
        .mark_circle(size=110, opacity=1, stroke="white", strokeWidth=1.5, clip=True)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    if surface.minimum is not None:
        minimum = pd.DataFrame({"x": [surface.minimum[0]], "y": [surface.minimum[1]]})
        cross = alt.Chart(minimum).mark_point(shape="cross", size=140, color="black", filled=True, opacity=1)
        layers.append(cross.encode(x=x, y=y))
    return alt.layer(*layers).properties(
        width=CHART_SIZE, height=CHART_SIZE, title=surface.title, autosize=alt.AutoSizeParams(type="pad")
    )


def _surface_layer(surface: Surface, x: alt.X, y: alt.Y) -> alt.Chart:
    """The shading as one image centred on the window."""
    centre = {"x": [float(np.mean(surface.x_range))], "y": [float(np.mean(surface.y_range))]}
    background = pd.DataFrame({**centre, "url": [png_data_url(shading_rgb(surface.name))]})
    return (
        alt.Chart(background)
        # Sized by expression, the image always fills the plot, whatever size the page gives it.
        .mark_image(width=alt.expr("width"), height=alt.expr("height"), aspect=False)
        .encode(x=x, y=y, url="url:N")
    )


def _path_frame(path: np.ndarray, upto: int, label: str) -> pd.DataFrame:
    """Rows step 0..upto that are finite: a diverged path ends where it left the map."""
    steps = np.arange(min(upto, len(path) - 1) + 1)
    rows = path[steps]
    keep = np.all(np.isfinite(rows), axis=1)
    return pd.DataFrame({"optimizer": label, "step": steps[keep], "x": rows[keep, 0], "y": rows[keep, 1]})
