"""Memory: 30 trainings in a row in one process, as a long classroom session makes them.

Each run builds a fresh Playground lab (model, optimizer, compiled graphs), trains it and is
dropped, as the page does on Reset or a new structure. Resident memory is read after run 5
(warm: libraries loaded, first graphs traced) and after run 30; their difference is what
repeated trainings leak.
"""

from __future__ import annotations

import gc

from nnlab.playground import build_lab
from nnlab.presets import PRESETS

RUNS, WARM = 30, 5
EPOCHS = 20


def resident_mb() -> float:
    """This process's resident set size (VmRSS), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("No VmRSS in /proc/self/status: this benchmark reads Linux's process table.")


def one_training(index: int) -> None:
    """A fresh lab per run; the structure alternates like a student's edits."""
    hidden = ("8:tanh,8:tanh", "16:relu", "4:tanh,4:tanh,4:tanh")[index % 3]
    experiment = PRESETS["playground"].experiment.replace(
        dataset="spiral", hidden_layers=hidden, seed=index, epochs=EPOCHS
    )
    lab = build_lab(experiment)
    lab.trainer.run(EPOCHS)
    lab.trainer.predict(lab.points.x_test)


def run() -> dict:
    """{'name', 'mb_after_5', 'mb_after_30', 'growth_mb', 'mb_per_run'}."""
    readings = {}
    for index in range(1, RUNS + 1):
        one_training(index)
        gc.collect()
        if index in (WARM, RUNS):
            readings[index] = resident_mb()
    growth = readings[RUNS] - readings[WARM]
    return {
        "name": "memory",
        "mb_after_5": round(readings[WARM], 1),
        "mb_after_30": round(readings[RUNS], 1),
        "growth_mb": round(growth, 1),
        "mb_per_run": round(growth / (RUNS - WARM), 2),
        "runs": RUNS,
    }


def describe(result: dict) -> str:
    return (
        f"memory: {result['mb_after_5']:.0f} MB after run 5, {result['mb_after_30']:.0f} MB after run "
        f"{result['runs']}: growth {result['growth_mb']:.1f} MB ({result['mb_per_run']:.2f} MB per run)"
    )


if __name__ == "__main__":
    print(describe(run()))
