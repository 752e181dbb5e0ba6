"""Every visible string in English and Russian; `t(key)` picks the session's language."""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"en": "English", "ru": "Русский"}
LANGUAGE_KEY = "lang"

STRINGS: dict[str, tuple[str, str]] = {
    # home
    "app_title": ("NN Lab", "NN Lab"),
    "home_tagline": (
        "An interactive neural-network classroom: set layers, activations and the optimizer with sliders, "
        "train real Keras models live and see what they learned.",
        "Интерактивный класс нейросетей: задайте слои, активации и оптимизатор ползунками, обучайте "
        "настоящие модели Keras в реальном времени и смотрите, чему они научились.",
    ),
    "home_labs": ("Labs", "Лабораторные"),
    "home_playground": (
        "**Playground** — 2-D datasets, live decision boundary, every neuron's map, the network "
        "with its weights and biases, loss and accuracy curves, a confusion matrix, and seed 003's "
        "lesson: logistic regression against a small network.",
        "**Песочница** — двумерные данные, граница решений в реальном времени, карта каждого нейрона, "
        "сеть с весами и смещениями, кривые потерь и точности, матрица ошибок и урок 003: логистическая "
        "регрессия против маленькой сети.",
    ),
    "home_open_playground": ("Open the Playground", "Открыть песочницу"),
    "home_how": ("How to use it", "Как пользоваться"),
    "home_how_text": (
        "1. Pick a dataset and the inputs in the sidebar.\n2. Shape the network: layers, neurons, activations.\n"
        "3. Press **Play** and watch the boundary form; **Step** trains one epoch, **Reset** starts over.\n"
        "4. Copy the address bar: the link reproduces the experiment exactly, seed included.",
        "1. Выберите набор данных и входные признаки на боковой панели.\n2. Задайте сеть: слои, нейроны, "
        "активации.\n3. Нажмите **Пуск** и смотрите, как формируется граница; **Шаг** обучает одну эпоху, "
        "**Сброс** начинает заново.\n4. Скопируйте адрес страницы: ссылка в точности воспроизводит "
        "эксперимент, включая seed.",
    ),
    "home_lessons": ("Course lessons behind the labs", "Уроки курса, на которых построены лабораторные"),
    "language": ("Language", "Язык"),
    # playground page
    "playground_title": ("Playground", "Песочница"),
    "playground_intro": (
        "Train a small network on 2-D points and watch it carve the plane. Colours show the predicted "
        "class; white-ringed dots are training points, dark-ringed ones are test points.",
        "Обучите небольшую сеть на точках плоскости и посмотрите, как она делит плоскость. Цвет — "
        "предсказанный класс; точки с белой обводкой — обучающие, с тёмной — тестовые.",
    ),
    "section_data": ("Data", "Данные"),
    "section_features": ("Inputs", "Входы"),
    "section_network": ("Network", "Сеть"),
    "section_training": ("Training", "Обучение"),
    "dataset": ("Dataset", "Набор данных"),
    "dataset_circle": ("Circle", "Круг"),
    "dataset_xor": ("XOR", "XOR"),
    "dataset_gauss": ("Two Gaussians", "Два гауссиана"),
    "dataset_spiral": ("Spiral", "Спираль"),
    "dataset_moons": ("Moons", "Полумесяцы"),
    "dataset_flower": ("Planar flower (seed 003)", "Цветок (урок 003)"),
    "classes": ("Classes", "Классы"),
    "samples": ("Points", "Точек"),
    "noise": ("Noise", "Шум"),
    "train_ratio": ("Training share, %", "Доля обучающих, %"),
    "seed": ("Seed", "Seed (зерно)"),
    "seed_help": (
        "One number drives the data, the split, the initial weights and the shuffling.",
        "Одно число задаёт данные, разбиение, начальные веса и перемешивание.",
    ),
    "regenerate": ("New data", "Новые данные"),
    "features": ("Input features", "Входные признаки"),
    "features_help": (
        "What the first layer sees. Squares and products let even one layer draw circles.",
        "Что видит первый слой. Квадраты и произведения позволяют даже одному слою рисовать окружности.",
    ),
    "hidden_layers": ("Hidden layers", "Скрытые слои"),
    "layer_units": ("Layer {n}: neurons", "Нейронов в слое {n}"),
    "layer_activation": ("Layer {n}: activation", "Активация {n}"),
    "dropout": ("Dropout", "Dropout (прореживание)"),
    "batch_norm": ("Batch normalization", "Батч-нормализация"),
    "use_bias": ("Bias neurons", "Нейроны смещения"),
    "optimizer": ("Optimizer", "Оптимизатор"),
    "optimizer_sgd": ("SGD", "SGD"),
    "optimizer_momentum": ("SGD + momentum", "SGD + момент"),
    "optimizer_nesterov": ("Nesterov", "Нестеров"),
    "optimizer_adagrad": ("Adagrad", "Adagrad"),
    "optimizer_rmsprop": ("RMSprop", "RMSprop"),
    "optimizer_adam": ("Adam", "Adam"),
    "learning_rate": ("Learning rate", "Скорость обучения"),
    "learning_rate_help": (
        "Changing it keeps the model and carries on training, as in TF Playground.",
        "Изменение сохраняет модель и продолжает обучение, как в TF Playground.",
    ),
    "momentum": ("Momentum", "Момент"),
    "batch_size": ("Batch size", "Размер батча"),
    "regularization": ("Regularization", "Регуляризация"),
    "regularization_none": ("None", "Нет"),
    "regularization_l1": ("L1", "L1"),
    "regularization_l2": ("L2", "L2"),
    "regularization_rate": ("Regularization rate", "Коэффициент регуляризации"),
    "loss": ("Loss", "Функция потерь"),
    "loss_cross_entropy": ("Cross-entropy", "Перекрёстная энтропия"),
    "loss_squared_error": ("Squared error", "Квадратичная ошибка"),
    "epochs": ("Stop after epochs", "Остановиться после эпох"),
    "bad_setting": ("This setting cannot work: {error} The last valid settings stay in use.",
                    "Такая настройка не сработает: {error} Используются последние верные настройки."),
    "bad_link": ("This link has a setting I cannot read ({error}); showing the defaults instead.",
                 "В ссылке есть настройка, которую не удалось прочитать ({error}); показаны значения по умолчанию."),
    "building": ("Building the network…", "Строю сеть…"),
    # transport
    "play": ("Play", "Пуск"),
    "pause": ("Pause", "Пауза"),
    "nav_home": ("Home", "Главная"),
    "step": ("Step", "Шаг"),
    "step_help": ("Train exactly one epoch.", "Обучить ровно одну эпоху."),
    "reset": ("Reset", "Сброс"),
    "reset_help": ("Back to the initial weights (same seed).", "Вернуться к начальным весам (тот же seed)."),
    "epoch": ("Epoch", "Эпоха"),
    "train_loss": ("Train loss", "Потери (обуч.)"),
    "test_loss": ("Test loss", "Потери (тест)"),
    "test_accuracy": ("Test accuracy", "Точность (тест)"),
    "balanced_accuracy": ("Balanced accuracy p", "Сбалансированная точность p"),
    "parameters": ("Parameters", "Параметры"),
    "diverged": (
        "Training diverged at epoch {epoch}: the loss exploded. The learning rate ({lr:g}) is too high for "
        "this network — lower it and press Reset.",
        "Обучение разошлось на эпохе {epoch}: потери взорвались. Скорость обучения ({lr:g}) слишком велика "
        "для этой сети — уменьшите её и нажмите «Сброс».",
    ),
    "finished": ("Stopped at the epoch limit ({epochs}). Raise it to train further.",
                 "Остановлено на пределе эпох ({epochs}). Увеличьте его, чтобы продолжить."),
    "busy": ("The server is busy training for other students; trying again…",
             "Сервер занят обучением у других студентов; пробую снова…"),
    # pictures
    "boundary": ("Decision boundary", "Граница решений"),
    "show_test": ("Show test points", "Показать тестовые точки"),
    "discretize": ("Discretize output", "Дискретный вывод"),
    "network": ("The network", "Сеть"),
    "network_help": (
        "Each square is a neuron drawn as its output over the plane (blue high, orange low). Lines are "
        "weights: blue positive, orange negative, thicker is larger. The small square at a neuron's corner "
        "is its bias — the output neuron has one too. Hover for numbers.",
        "Каждый квадрат — нейрон, нарисованный как его выход на плоскости (синий — больше, оранжевый — "
        "меньше). Линии — веса: синие положительные, оранжевые отрицательные, толще — больше. Маленький "
        "квадрат в углу нейрона — его смещение, оно есть и у выходного нейрона. Наведите мышь, чтобы увидеть числа.",
    ),
    "curves": ("Loss and accuracy", "Потери и точность"),
    "confusion": ("Confusion matrix (test set)", "Матрица ошибок (тестовая выборка)"),
    "untrained": ("Press Play or Step to start training.", "Нажмите «Пуск» или «Шаг», чтобы начать обучение."),
    "baseline_title": ("Seed 003: logistic regression vs a network", "Урок 003: логистическая регрессия против сети"),
    "baseline_text": (
        "Logistic regression draws one straight line, so on the planar flower it is right about half the "
        "time (the lesson reports 47 %), while 4 tanh neurons reach about 90 %.",
        "Логистическая регрессия проводит одну прямую, поэтому на «цветке» она права примерно в половине "
        "случаев (в уроке — 47 %), а 4 нейрона с tanh достигают около 90 %.",
    ),
    "baseline_button": ("Fit logistic regression on these points", "Обучить логистическую регрессию на этих точках"),
    "baseline_result": (
        "Logistic regression: train accuracy {train:.0%}, test accuracy {test:.0%}. The network: test accuracy {net}.",
        "Логистическая регрессия: точность на обучении {train:.0%}, на тесте {test:.0%}. Сеть: точность на тесте {net}.",
    ),
    "flower_preset": ("Load seed 003's setup (flower, 4 tanh)", "Загрузить настройки урока 003 (цветок, 4 tanh)"),
    "inputs": ("inputs", "входы"),
    "output": ("output", "выход"),
    "layer_title": ("{units} {activation}", "{units} {activation}"),
    "train": ("train", "обуч."),
    "test": ("test", "тест"),
    "loss_axis": ("loss", "потери"),
    "accuracy_axis": ("accuracy", "точность"),
    "epoch_axis": ("epoch", "эпоха"),
    "set": ("set", "выборка"),
    "class": ("class", "класс"),
    "class_name": ("class {n}", "класс {n}"),
    "true": ("true class", "истинный класс"),
    "predicted": ("predicted class", "предсказанный класс"),
    "count": ("count", "число"),
    "share_hint": ("The address bar holds every setting: copy it to share this experiment.",
                   "В адресной строке все настройки: скопируйте её, чтобы поделиться экспериментом."),
}


def language() -> str:
    """The session's language code ('en' unless chosen otherwise)."""
    return st.session_state.get(LANGUAGE_KEY, "en")


def t(key: str, **values: object) -> str:
    """The string `key` in the session's language, formatted with `values`."""
    english, russian = STRINGS[key]
    text = russian if language() == "ru" else english
    return text.format(**values) if values else text


def chart_labels() -> dict[str, str]:
    """Words the charts show, in the session's language."""
    return {
        "epoch": t("epoch_axis"), "loss": t("loss_axis"), "accuracy": t("accuracy_axis"),
        "train": t("train"), "test": t("test"), "set": t("set"), "class": t("class"),
        "true": t("true"), "predicted": t("predicted"), "count": t("count"),
    }
