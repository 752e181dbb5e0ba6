"""The course as lessons: one per seed, each opening a lab with its preset and the seed's published figure.

A lesson's figure is a number the seed printed (or, for seed 002's overfitting task, the
outcome it asks for); the page shows it beside the same quantity measured live on the
student's run, so the class sees whether the lesson's claim holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from nnlab.presets import get_preset
from nnlab.spec import Experiment


@dataclass(frozen=True)
class Lesson:
    seed: str  # the course document: seeds/<seed>_*.txt
    page: str  # the lab's page file
    preset: str
    title: tuple[str, str]  # English, Russian
    text: tuple[str, str]
    figure: tuple[str, str]  # what the number is
    seed_value: float  # the seed's published value
    measure: str  # how ours is read from the run: see `measured`
    note: tuple[str, str] = ("", "")

    @property
    def experiment(self) -> Experiment:
        return get_preset(self.preset).experiment


LESSONS = MappingProxyType({lesson.seed: lesson for lesson in (
    Lesson("000", "pages/2_World_map.py", "cities-minimal",
           ("Is this city in Russia?", "Этот город в России?"),
           ("Latitude and longitude in, yes or no out. Only 3 % of cities say yes, so accuracy lies: watch p, the mean "
            "of the hit rates on both classes, and what the class weight does to the map.",
            "На входе широта и долгота, на выходе «да» или «нет». «Да» — лишь у 3 % городов, поэтому точность "
            "обманчива: следите за p, средним долей верных ответов по обоим классам, и за тем, как вес класса меняет карту."),
           ("p on the test cities", "p на тестовых городах"), 0.97, "p",
           ("The seed's mean over repeated runs of its smallest net.", "Среднее семинара по повторным запускам его наименьшей сети.")),
    Lesson("001", "pages/3_Digits.py", "mnist-seed001",
           ("Keras basics on MNIST", "Основы Keras на MNIST"),
           ("A 784-800-400-10 network: count its weights and biases, train it, and look at what its first layer sees. "
            "MNIST (11 MB) is downloaded once.",
            "Сеть 784-800-400-10: посчитайте её веса и смещения, обучите её и посмотрите, что видит первый слой. "
            "MNIST (11 МБ) скачивается один раз."),
           ("trainable parameters", "обучаемые параметры"), 952_410, "parameters"),
    Lesson("002", "pages/6_Generalization.py", "overfit",
           ("Overfitting and its remedies", "Переобучение и средства от него"),
           ("Task 3 of the seed: make the network overfit. 64-64-64 on 60 noisy points learns them by heart; then close "
            "the gap with L2, dropout or more data.",
            "Задание 3 семинара: добиться переобучения. Сеть 64-64-64 на 60 шумных точках заучивает их; затем закройте "
            "разрыв с помощью L2, dropout или большего объёма данных."),
           ("train − test accuracy gap", "разрыв точности: обучение − тест"), 0.0, "gap",
           ("The seed asks for a gap and prints none: any clear gap above 0 reproduces the task.",
            "Семинар просит получить разрыв, но числа не приводит: любой заметный разрыв больше 0 выполняет задание.")),
    Lesson("003", "pages/1_Playground.py", "planar-flower",
           ("A network against logistic regression", "Нейросеть против логистической регрессии"),
           ("The planar flower: a straight line gets 47 %, four tanh neurons about 90 %. Open the baseline below the "
            "network and compare.",
            "«Цветок»: прямая даёт 47 %, четыре нейрона tanh — около 90 %. Откройте базовую модель под сетью и сравните."),
           ("test accuracy, 4 tanh units", "точность на тесте, 4 нейрона tanh"), 0.90, "test_accuracy"),
    Lesson("004", "pages/3_Digits.py", "digits-seed004",
           ("Hidden units as images, and λ", "Скрытые нейроны как изображения и λ"),
           ("Seed 004's 25 sigmoid units with L2: each unit's weights drawn as a picture. Raise λ and watch them smooth.",
            "25 сигмоидных нейронов с L2 из семинара 004: веса каждого нейрона как картинка. Увеличьте λ и смотрите, "
            "как они сглаживаются."),
           ("training accuracy", "точность на обучении"), 0.989, "train_accuracy",
           ("The seed's 400-25-10 on 5,000 20×20 digits; here 64-25-10 on scikit-learn's 8×8 digits.",
            "В семинаре 400-25-10 на 5000 цифрах 20×20; здесь 64-25-10 на цифрах 8×8 из scikit-learn.")),
)})


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
        from nnlab.metrics import classification_metrics

        data = trainer.data
        return classification_metrics(data.y_test, trainer.predict(data.x_test),
                                      trainer.train_spec.threshold)["balanced_accuracy"]
    raise ValueError(f"Unknown measure {lesson.measure!r}.")
