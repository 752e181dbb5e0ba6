"""Content of the home page, in the session's language."""

from __future__ import annotations

import pandas as pd

from nnlab.ui.i18n import language

# (seed file, English summary, Russian summary, where it lives in NN Lab)
LESSONS = (
    ("000", "World cities: is this city in Russia? Class weights, metric p, maps of TP/TN/FP/FN",
     "Города мира: в России ли город? Веса классов, метрика p, карты TP/TN/FP/FN", "World map"),
    ("001", "Keras basics: bias neurons, parameter counts, optimizers, losses, MNIST",
     "Основы Keras: нейроны смещения, число параметров, оптимизаторы, функции потерь, MNIST",
     "Digits, Optimizers, Losses & backprop"),
    ("002", "The maths of networks: softmax, L2, SGD, backprop by hand, overfitting",
     "Математика сетей: softmax, L2, SGD, обратное распространение вручную, переобучение",
     "Optimizers, Losses & backprop, Generalization"),
    ("003", "Logistic regression vs a 2-layer network on the planar flower",
     "Логистическая регрессия против двухслойной сети на «цветке»", "Playground, Losses & backprop"),
    ("004", "Digits from scratch: hidden units as images, the L2 λ sweep",
     "Цифры с нуля: скрытые нейроны как изображения, перебор λ для L2", "Digits, Losses & backprop"),
)


# (page file, description key, link key, icon): the labs in teaching order, as the home page lists them.
LABS = (
    ("pages/1_Playground.py", "home_playground", "home_open_playground", "▶️"),
    ("pages/2_World_map.py", "home_map", "home_open_map", "🗺️"),
    ("pages/3_Digits.py", "home_digits", "home_open_digits", "✍️"),
    ("pages/4_Optimizers.py", "home_optimizers", "home_open_optimizers", "🏁"),
    ("pages/5_Losses_and_backprop.py", "home_losses", "home_open_losses", "🧮"),
    ("pages/6_Generalization.py", "home_generalization", "home_open_generalization", "🎯"),
)


def lessons_table() -> pd.DataFrame:
    """One row per course lesson: seed, what it teaches, the lab that shows it."""
    russian = language() == "ru"
    return pd.DataFrame(
        [{"seed": seed, ("урок" if russian else "lesson"): ru if russian else en, ("лаборатория" if russian else "lab"): lab}
         for seed, en, ru, lab in LESSONS]
    )
