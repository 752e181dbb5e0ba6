"""The course as lessons: one per seed, each opening a lab with its preset and the seed's published figure.

A lesson's figure is a number the seed printed (or, for seed 002's overfitting task, the
outcome it asks for); the page shows it beside the same quantity measured live on the
student's run, so the class sees whether the lesson's claim holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from nnlab.catalogue import CATALOGUE, text
from nnlab.presets import get_preset
from nnlab.spec import Experiment


@dataclass(frozen=True)
class Lesson:
    seed: str  # the course document: seeds/<seed>_*.txt
    page: str  # the lab's page file
    preset: str
    seed_value: float  # the seed's published value
    measure: str  # how ours is read from the run: see `measured`
    part: str = ""  # a second lesson from the same seed: "-cnn" (seed 002's convolutional network)
    samples: int | None = None  # fewer examples than the preset's, so a whole class can train it live

    @property
    def key(self) -> str:
        """The lesson's name in links (?lesson=002-cnn) and in the catalogue's lesson_<key>_* texts."""
        return self.seed + self.part

    @property
    def experiment(self) -> Experiment:
        experiment = get_preset(self.preset).experiment
        return experiment if self.samples is None else experiment.replace(samples=self.samples)

    # The lesson's words live in the catalogue (nnlab/locales/*/names.toml, lesson_<seed>_*), each as
    # (English, Russian): its title, what the student does, what the figure is, and a note (may be empty).
    @property
    def title(self) -> tuple[str, str]:
        return _both(f"lesson_{self.key}_title")

    @property
    def text(self) -> tuple[str, str]:
        return _both(f"lesson_{self.key}_text")

    @property
    def figure(self) -> tuple[str, str]:
        return _both(f"lesson_{self.key}_figure")

    @property
    def note(self) -> tuple[str, str]:
        return _both(f"lesson_{self.key}_note") if f"lesson_{self.key}_note" in CATALOGUE["en"] else ("", "")


def _both(key: str) -> tuple[str, str]:
    return text(key, "en"), text(key, "ru")


LESSONS = MappingProxyType(
    {
        lesson.key: lesson
        for lesson in (
            Lesson("000", "pages/2_World_map.py", "cities-minimal", 0.97, "p"),
            Lesson("001", "pages/3_Digits.py", "mnist-seed001", 952_410, "parameters"),
            Lesson("002", "pages/6_Generalization.py", "overfit", 0.0, "gap"),
            # 5,000 CIFAR-10 images to train on (and 1,000 to test), not the seed's 50,000: 740 MB of pixels per
            # student would not fit thirty on one laptop; the page's slider offers the full set.
            Lesson("002", "pages/9_Convolution.py", "cifar-seed002", 0.62, "test_accuracy", part="-cnn", samples=6_000),
            Lesson("003", "pages/1_Playground.py", "planar-flower", 0.90, "test_accuracy"),
            Lesson("004", "pages/3_Digits.py", "digits-seed004", 0.989, "train_accuracy"),
        )
    }
)


def lessons_for(page: str) -> list[Lesson]:
    return [lesson for lesson in LESSONS.values() if lesson.page == page]


def measured(lesson: Lesson, trainer) -> float | None:
    """Our value of the lesson's figure on the run as it is now (None before the first epoch, except counts)."""
    if lesson.measure == "parameters":
        return float(trainer.parameters)
    if not trainer.history:
        return None
    last = trainer.history[-1]
    if lesson.measure == "test_accuracy":
        return last.test_accuracy
    if lesson.measure == "train_accuracy":
        return last.train_accuracy
    if lesson.measure == "gap":
        return last.train_accuracy - last.test_accuracy
    if lesson.measure == "p":
        from nnlab.metrics import classification_metrics  # deferred: keeps scikit-learn off the home page

        data = trainer.data
        return classification_metrics(data.y_test, trainer.predict(data.x_test), trainer.train_spec.threshold)[
            "balanced_accuracy"
        ]
    raise ValueError(f"Unknown measure {lesson.measure!r}.")
