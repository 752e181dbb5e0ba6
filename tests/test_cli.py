"""`python -m nnlab train`: presets reach their accuracy, bad settings end in one `error:` line, divergence is reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def nnlab(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "nnlab", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def train_json(preset: str, *assignments: str) -> tuple[int, dict]:
    sets = [arg for a in assignments for arg in ("--set", a)]
    result = nnlab("train", "--preset", preset, *sets, "--json")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("preset, accuracy", [("planar-flower", 0.85), ("playground-spiral", 0.90)])
def test_preset_trains_to_its_accuracy(preset, accuracy):
    code, report = train_json(preset)
    assert code == 0
    assert {"preset", "epochs", "seconds", "params", "multiplications_per_epoch", "metrics"} <= set(report)
    assert {"accuracy", "balanced_accuracy", "precision", "recall", "f1", "loss"} <= set(report["metrics"])
    assert report["preset"] == preset
    assert report["epochs"] == int(report["settings"]["epochs"])
    assert report["stopped"] is None
    assert report["params"] > 0 and report["multiplications_per_epoch"] > 0 and report["seconds"] > 0
    assert report["metrics"]["accuracy"] >= accuracy


BAD_SETTINGS = [
    "learning_rate=0",
    "samples=0",
    "batch_size=1000",
    "learning_rate=fast",
    "foo=1",
    "hidden_layers=abc",
    "learning_rate",
]


@pytest.mark.parametrize("assignment", BAD_SETTINGS)
def test_bad_setting_is_one_error_line(assignment):
    result = nnlab("train", "--preset", "playground-spiral", "--set", assignment, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_preset_is_one_error_line():
    result = nnlab("train", "--preset", "no-such-preset")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: Unknown preset 'no-such-preset'")
    assert "planar-flower" in result.stderr


def test_divergence_is_reported():
    code, report = train_json("playground-spiral", "learning_rate=10", "optimizer=sgd")
    assert code == 1
    assert report["stopped"] == "diverged"
    assert report["epochs"] < int(report["settings"]["epochs"])
    assert report["settings"]["learning_rate"] == "10"


def test_presets_lists_every_preset():
    from nnlab.presets import PRESETS

    result = nnlab("presets")
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == list(PRESETS)
