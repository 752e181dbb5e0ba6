"""Command line: `python -m nnlab train --preset NAME [--set key=value ...] [--json]`."""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import time
from pathlib import Path

from nnlab.cost import count_cost
from nnlab.kinds import kind_of, lab_data
from nnlab.labs import lab_builder
from nnlab.lessons import check_lessons
from nnlab.presets import PRESETS, get_preset
from nnlab.spec import SpecError, parse_assignment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnlab", description="NN Lab from the command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train a preset headless and print held-out metrics")
    train.add_argument("--preset", default="playground", help=f"one of: {', '.join(PRESETS)}")
    train.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting")
    train.add_argument("--json", action="store_true", help="print one JSON object")
    train.add_argument(
        "--data",
        metavar="FILE",
        help="cities: a city table (CSV) instead of data/worldcities.csv; digits: seed 004's .mat file",
    )
    export = commands.add_parser("export", help="write a runnable Keras script that replays a preset's run")
    export.add_argument("--preset", default="playground", help=f"one of: {', '.join(PRESETS)}")
    export.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting")
    export.add_argument("--script", required=True, metavar="FILE", help="where to write the script, e.g. out.py")
    export.add_argument("--data", metavar="FILE", help="as for train")
    commands.add_parser("presets", help="list the presets")
    lessons = commands.add_parser("lessons", help="reproduce the course's published figures: seed value vs ours")
    lessons.add_argument("--json", action="store_true", help="print one JSON list")
    lessons.add_argument("--lesson", action="append", metavar="SEED", help="only these lessons, e.g. 000")
    bench = commands.add_parser("bench", help="speed benchmarks: baseline and ours in one run, and their ratio")
    bench.add_argument("name", nargs="?", default="all", choices=["all", *BENCHMARKS, *NAMED_ONLY])
    bench.add_argument("--json", action="store_true", help="one JSON object per benchmark, one per line")
    bench.add_argument(
        "--students", type=int, default=30, metavar="N", help="classroom: students at the protocol level (default 30)"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "bench":
            return run_bench(args.name, args.json, students=args.students)
        if args.command == "presets":
            for preset in PRESETS.values():
                print(f"{preset.name:20} {preset.description}")
            return 0
        if args.command == "lessons":
            return run_lessons(args.lesson, args.json)
        if args.command == "export":
            return run_export(args.preset, args.set, args.script, args.data)
        return run_train(args.preset, args.set, args.json, args.data)
    except (SpecError, ValueError) as error:  # ValueError: an unreadable --data file
        print(f"error: {error}", file=sys.stderr)
        return 2


def run_train(preset_name: str, assignments: list[str], as_json: bool, data_path: str | None = None) -> int:
    """Train the preset with overrides; 1 if training diverged, else 0."""
    experiment = get_preset(preset_name).experiment
    experiment = experiment.replace(**dict(parse_assignment(a) for a in assignments))
    build, evaluate = _lab_kind(experiment, data_path)  # imports TensorFlow and reads the data: not timed
    start = time.perf_counter()
    lab = build(experiment)
    lab.trainer.run(experiment.train.epochs)
    seconds = time.perf_counter() - start
    data = lab.trainer.data
    cost = count_cost(
        experiment.model,
        data.n_inputs,
        data.n_classes,
        len(data.y_train),
        experiment.train.batch_size,
        experiment.train.optimizer,
    )
    report = {
        "preset": preset_name,
        "epochs": lab.trainer.epoch,
        "seconds": round(seconds, 3),
        "params": lab.trainer.parameters,
        "multiplications_per_epoch": cost.per_epoch,
        "metrics": {k: round(v, 6) for k, v in evaluate(lab).items()},
        "stopped": lab.trainer.stopped_reason,
        "settings": experiment.to_dict(),
    }
    print(json.dumps(report) if as_json else _describe(report))
    return 1 if lab.trainer.stopped_reason else 0


def run_export(preset_name: str, assignments: list[str], script_path: str, data_path: str | None = None) -> int:
    """Write the script that trains the preset (with overrides) as `train` would and prints its metrics."""
    experiment = get_preset(preset_name).experiment
    experiment = experiment.replace(**dict(parse_assignment(a) for a in assignments))
    build, _ = _lab_kind(experiment, data_path)
    from nnlab.script import training_script  # deferred: keeps TensorFlow off `presets` and off refused settings

    lab = build(experiment)  # the split, features and class weights the app would use; nothing is trained
    downloaded = kind_of(experiment).lab().script_rows(lab)
    path = Path(script_path)
    path.write_text(
        training_script(
            experiment, lab.trainer, epochs=experiment.train.epochs, filename=path.name, download_labels=downloaded
        )
    )
    print(
        f"wrote {path} ({path.stat().st_size:,} bytes): python {path} trains {experiment.train.epochs} epochs "
        "and prints the held-out metrics as JSON"
    )
    return 0


def _lab_kind(experiment, data_path: str | None):
    """How to build the lab for the experiment's dataset, and the function that scores it (--data: a file)."""
    return lab_builder(experiment, lab_data(experiment, path=data_path))


def run_lessons(only: list[str] | None, as_json: bool) -> int:
    """Print every reproducible figure of the course: seed value, ours, and whether it holds."""
    rows = []
    for row in check_lessons(only):
        rows.append(row)
        if not as_json:
            print(_describe_lesson_row(row), flush=True)
    if as_json:
        print(json.dumps(rows))
    return 0 if all(row["ok"] is not False for row in rows) else 1


def _describe_lesson_row(row: dict) -> str:
    verdict = {True: "ok", False: "DIFFERS", None: "see note"}[row["ok"]]
    seed, ours = _show(row["seed_value"]), _show(row["measured"])
    text = f"[{row['lesson']}] {row['quantity']}: seed {seed}, ours {ours}  {verdict}"
    return text + (f"\n      {row['note']}" if row.get("note") else "")


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


# Cheapest first; memory last, as it measures a process that has already trained.
BENCHMARKS = {
    "cold-start": "bench.cold_start",
    "boundary": "bench.boundary",
    "playground": "bench.playground",
    "train-speed": "bench.train_speed",
    "memory": "bench.memory",
    "executor": "bench.executor",
}
# Slow or browser-driven: run only when named.
NAMED_ONLY = {
    "live": "bench.live",
    "classroom": "bench.classroom",
    "tabs": "bench.tabs",
    "conv": "bench.conv",
}


def run_bench(name: str, as_json: bool, **options) -> int:
    """Run the named benchmark (or all); the bench/ folder sits beside nnlab/ in the checkout.

    `options` (e.g. students=30) go to the benchmarks whose `run` takes them; the others ignore them.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    for bench_name in BENCHMARKS if name == "all" else [name]:
        module = importlib.import_module({**BENCHMARKS, **NAMED_ONLY}[bench_name])
        accepted = inspect.signature(module.run).parameters
        result = module.run(**{k: v for k, v in options.items() if k in accepted})
        print(json.dumps(result) if as_json else module.describe(result), flush=True)
    return 0


def _describe(report: dict) -> str:
    m = report["metrics"]
    lines = [
        f"{report['preset']}: {report['epochs']} epochs in {report['seconds']:.1f} s, {report['params']} parameters",
        f"test accuracy {m['accuracy']:.3f} (train {m['train_accuracy']:.3f}), balanced {m['balanced_accuracy']:.3f}, "
        f"F1 {m['f1']:.3f}, loss {m['loss']:.4f}",
    ]
    if report["stopped"] == "diverged":
        lines.append("training diverged: the loss exploded; lower the learning rate")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
