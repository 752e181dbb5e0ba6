"""Playground speed: 300 epochs on the spiral with the 100×100 boundary redrawn every 10 epochs.

Baseline: what Streamlit clones of TF Playground do, `model.fit(epochs=10)` then
`model.predict(grid)` in a loop. Ours: the Playground's own path, `Trainer.run` in compiled
chunks, one forward pass for the boundary and every neuron's map, and the boundary chart.
Same data, same network, same batch size, so the same number of optimizer steps.
"""

from __future__ import annotations

import time

from nnlab.models import build_model, loss_name, make_optimizer
from nnlab.playground import build_lab, plane_extent, plane_grid, plane_maps
from nnlab.spec import Experiment
from nnlab.viz import charts

EPOCHS, EVERY = 300, 10
EXPERIMENT = Experiment().replace(
    dataset="spiral",
    samples=500,
    hidden_layers="8:tanh,8:tanh",
    optimizer="sgd",
    learning_rate=0.03,
    batch_size=10,
    epochs=EPOCHS,
)


def baseline_seconds() -> float:
    """fit(epochs=10) + predict(grid) per redraw, as a blocking Streamlit clone does."""
    lab = build_lab(EXPERIMENT)  # only for the identical data split
    data, spec = lab.trainer.data, EXPERIMENT
    model = build_model(spec.model, data.n_inputs, data.n_classes, spec.train.seed)
    model.compile(make_optimizer("sgd", spec.train.learning_rate, 0.0), loss_name(spec.model, 2), metrics=["accuracy"])
    grid = plane_grid(plane_extent(lab.points), 100)
    start = time.perf_counter()
    for _ in range(EPOCHS // EVERY):
        model.fit(
            data.x_train,
            data.y_train,
            batch_size=spec.train.batch_size,
            epochs=EVERY,
            verbose=0,
            validation_data=(data.x_test, data.y_test),
        )
        model.predict(grid, verbose=0)
    return time.perf_counter() - start


def ours_seconds() -> float:
    """Trainer chunks of 10 epochs, each followed by the maps and the boundary chart."""
    lab = build_lab(EXPERIMENT)
    lab.trainer.run(1)  # trace once, as the page does on its first tick
    lab.trainer.reset()
    start = time.perf_counter()
    while lab.trainer.epoch < EPOCHS:
        lab.trainer.run(EVERY)
        maps = plane_maps(lab)
        charts.boundary_chart(maps.probabilities, maps.extent, lab.points).to_dict()
    return time.perf_counter() - start


def run() -> dict:
    """{'name', 'baseline_seconds', 'ours_seconds', 'ratio'} measured in this process."""
    ours = ours_seconds()
    baseline = baseline_seconds()
    return {
        "name": "playground",
        "baseline_seconds": round(baseline, 3),
        "ours_seconds": round(ours, 3),
        "ratio": round(baseline / ours, 2),
        "epochs": EPOCHS,
        "redraw_every": EVERY,
    }


def describe(result: dict) -> str:
    return (
        f"playground: fit+predict loop {result['baseline_seconds']:.2f} s, ours {result['ours_seconds']:.2f} s "
        f"for {result['epochs']} epochs with a boundary every {result['redraw_every']}, ratio {result['ratio']:.1f}x"
    )


if __name__ == "__main__":
    print(describe(run()))
