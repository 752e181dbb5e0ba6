"""Every visible string in English and Russian; `t(key)` picks the session's language."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import streamlit as st

LANGUAGES = MappingProxyType({"en": "English", "ru": "Русский"})
LANGUAGE_KEY = "lang"

STRINGS: Mapping[str, tuple[str, str]] = MappingProxyType({
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
    "home_lessons": ("Lessons", "Уроки"),
    "home_lessons_text": ("One lesson per course document (seed). Each button opens its lab with the lesson's settings and shows the seed's published figure beside the live one. Share it with the class from the lab's Share panel.",
                          "По уроку на каждый документ курса (seed). Кнопка открывает лабораторную с настройками урока и показывает опубликованное в семинаре число рядом с живым. Поделитесь уроком с классом через панель «Поделиться»."),
    "home_lessons_map": ("Where each seed's topics live in NN Lab", "Где темы каждого семинара в NN Lab"),
    "lesson_label": ("Lesson {seed}", "Урок {seed}"),
    "lesson_open": ("Open lesson", "Открыть урок"),
    "lesson_seed_value": ("Seed {seed} published", "Опубликовано в семинаре {seed}"),
    "lesson_ours": ("This run, now", "Этот запуск сейчас"),
    "lesson_not_yet": ("Press Play to measure it.", "Нажмите «Пуск», чтобы измерить."),
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
    "dataset_digits": ("8×8 digits (scikit-learn, 1,797)", "Цифры 8×8 (scikit-learn, 1797)"),
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
    "busy_step": ("The server is busy training for other students; press Step again in a moment.",
                  "Сервер занят обучением у других студентов; нажмите «Шаг» ещё раз чуть позже."),
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
    # world map lab (seed 000)
    "map_title": ("World map", "Карта мира"),
    "map_intro": (
        "Seed 000's lesson, live: a network sees only a city's latitude and longitude and answers "
        "\"is it in this country?\". Train it, then watch p, the map and the mistakes.",
        "Урок 000 вживую: сеть видит только широту и долготу города и отвечает, «в этой ли он стране». "
        "Обучите её и смотрите на p, карту и ошибки.",
    ),
    "home_map": (
        "**World map** — seed 000: is this city in country X? Class weights, the decision threshold, "
        "p = ½(TPR + TNR) against plain accuracy, TP/TN/FP/FN on a world map with borders, the cost "
        "of the model in multiplications, and the stability of p over repeated runs.",
        "**Карта мира** — урок 000: в стране X ли этот город? Веса классов, порог решения, "
        "p = ½(TPR + TNR) против обычной точности, TP/TN/FP/FN на карте мира с границами, стоимость "
        "модели в умножениях и устойчивость p при повторных запусках.",
    ),
    "home_open_map": ("Open the world map", "Открыть карту мира"),
    "source": ("Cities", "Города"),
    "source_shipped": ("GeoNames: 34,006 cities with 15,000+ people", "GeoNames: 34 006 городов от 15 000 жителей"),
    "source_upload": ("Upload a CSV", "Загрузить CSV"),
    "upload": ("City table (CSV)", "Таблица городов (CSV)"),
    "upload_help": (
        "Columns found by name: lat/latitude, lng/lon/longitude, and country (or a 0/1 label). "
        "simplemaps' worldcities.csv works as it is. Up to 10 MB.",
        "Столбцы ищутся по имени: lat/latitude, lng/lon/longitude и country (или метка 0/1). "
        "worldcities.csv от simplemaps подходит как есть. До 10 МБ.",
    ),
    "upload_rejected": ("This file cannot be used: {error} The previous cities stay in use.",
                        "Этот файл не подходит: {error} Остаются прежние города."),
    "upload_using": ("Using {name}: {rows:,} cities.", "Используется {name}: {rows:,} городов."),
    "upload_repeated": ("{count:,} rows repeated another row exactly and were dropped: a city listed twice could land in both the training and the test set.",
                        "{count:,} строк в точности повторяли другие и отброшены: город, записанный дважды, мог бы попасть и в обучающую, и в тестовую выборку."),
    "own_labels": ("The file has its own 0/1 label column: the model learns that label.",
                   "В файле есть свой столбец меток 0/1: модель учит эту метку."),
    "own_label": ("label 1", "метка 1"),
    "country": ("Country", "Страна"),
    "country_help": ("The class to find: cities of this country are 1, all others 0.",
                     "Искомый класс: города этой страны — 1, все остальные — 0."),
    "preset_cities-reference": ("Seed's net", "Сеть урока"),
    "preset_cities-minimal": ("Smallest net", "Мини-сеть"),
    "layer_batch_norm": ("Batch norm after layer {n}", "Нормализация после слоя {n}"),
    "class_weight": ("Class weight (country : elsewhere)", "Вес класса (страна : остальные)"),
    "class_weight_help": (
        "How much one city of the country counts against one city elsewhere in the loss. "
        "\"Balanced\" makes both classes weigh the same in total. Applies to the coming epochs.",
        "Во сколько раз город страны важнее остальных в функции потерь. «Сбалансированно» уравнивает "
        "суммарный вес классов. Действует на следующие эпохи.",
    ),
    "balanced": ("balanced", "сбалансированно"),
    "threshold": ("Decision threshold", "Порог решения"),
    "threshold_help": (
        "A city counts as \"in the country\" when the model's probability reaches this value. "
        "Lower finds more of the country's cities (recall) at the price of false alarms (precision).",
        "Город считается «в стране», когда вероятность модели не меньше порога. Ниже порог — больше "
        "найденных городов страны (полнота) ценой ложных тревог (точность).",
    ),
    "metric_p": ("p (balanced)", "p (сбаланс.)"),
    "metric_p_help": ("Balanced accuracy, the course's metric: p = ½(TP/(TP+FN) + TN/(TN+FP)), the mean of "
                      "both classes' hit rates.",
                      "Сбалансированная точность, метрика курса: p = ½(TP/(TP+FN) + TN/(TN+FP)), среднее долей "
                      "верных ответов по обоим классам."),
    "accuracy": ("Accuracy", "Точность (accuracy)"),
    "accuracy_help": ("Share of all test cities answered right: dominated by the many \"no\" cities.",
                      "Доля верных ответов по всем тестовым городам: её определяют многочисленные «нет»."),
    "vs_always_no": ("{points:+.1f} pt vs \"no\"", "{points:+.1f} п. п. к «нет»"),
    "always_no": ("Always \"no\"", "Всегда «нет»"),
    "always_no_help": ("Accuracy of a model that never says yes: the bar plain accuracy has to beat.",
                       "Точность модели, которая всегда отвечает «нет»: планка для обычной точности."),
    "precision": ("Precision", "Точность (precision)"),
    "precision_help": ("Of the cities called \"in the country\", the share that are.",
                       "Из городов, названных «в стране», доля действительно в ней."),
    "recall": ("Recall", "Полнота"),
    "recall_help": ("Of the country's cities, the share found.", "Из городов страны — доля найденных."),
    "f1_and_counts": ("F1 {f1:.3f} · TP {TP} · TN {TN} · FP {FP} · FN {FN}",
                      "F1 {f1:.3f} · TP {TP} · TN {TN} · FP {FP} · FN {FN}"),
    "map": ("Map", "Карта"),
    "map_help": ("Drag to pan, scroll to zoom; hover a city for its name and the model's probability. "
                 "Borders: Natural Earth, drawn without any map service.",
                 "Перетаскивайте карту, масштабируйте колесом; наведите на город — имя и вероятность модели. "
                 "Границы: Natural Earth, без картографических сервисов."),
    "view": ("View", "Вид"),
    "view_world": ("World", "Весь мир"),
    "view_country": ("{country}", "{country}"),
    "points": ("Cities", "Города"),
    "points_test": ("Test: TP/TN/FP/FN", "Тест: TP/TN/FP/FN"),
    "points_truth": ("All: the truth", "Все: как на самом деле"),
    "surface": ("Model", "Модель"),
    "surface_help": ("Shade the world by the model's probability of \"in the country\".",
                     "Закрасить мир по вероятности «в стране», которую даёт модель."),
    "surface_legend": ("the model says yes (probability ≥ {threshold:g})", "модель говорит «да» (вероятность ≥ {threshold:g})"),
    "map_tooltip": ("{city}, {country}\nprobability {p}", "{city}, {country}\nвероятность {p}"),
    "class_elsewhere": ("elsewhere", "другие страны"),
    "class_in": ("in {country}", "{country}"),
    "mistakes": ("Most confident mistakes", "Самые уверенные ошибки"),
    "mistakes_help": ("False alarms the model was surest of, and the country's cities it was surest were not.",
                      "Ложные тревоги, в которых модель была увереннее всего, и города страны, которые она "
                      "увереннее всего отвергла."),
    "no_mistakes": ("No mistakes on the test cities.", "На тестовых городах ошибок нет."),
    "column_city": ("city", "город"),
    "column_country": ("country", "страна"),
    "column_outcome": ("verdict", "исход"),
    "column_lat": ("lat", "широта"),
    "column_lng": ("lng", "долгота"),
    "column_probability": ("probability", "вероятность"),
    "lesson_accuracy_title": ("Why p and not accuracy?", "Почему p, а не точность?"),
    "lesson_accuracy_text": (
        "About 3 % of the world's cities are in Russia. A \"model\" that always answers *no* is right "
        "97 % of the time and has never found a single Russian city. The course's metric\n\n"
        "p = ½ · (TP / (TP + FN) + TN / (TN + FP))\n\n"
        "averages the hit rate of each class, so always-no scores 0.5. Two levers fix the imbalance: "
        "the **class weight** makes each of the country's cities count more in the loss while training, "
        "and the **threshold** moves the line between yes and no afterwards. Try weight 1:1, then 1:20, "
        "and watch FN turn into TP and FP appear along the border.",
        "Около 3 % городов мира находятся в России. «Модель», которая всегда отвечает *нет*, права в 97 % "
        "случаев и не нашла ни одного российского города. Метрика курса\n\n"
        "p = ½ · (TP / (TP + FN) + TN / (TN + FP))\n\n"
        "усредняет долю верных ответов по каждому классу, и «всегда нет» получает 0,5. Дисбаланс лечат "
        "два рычага: **вес класса** усиливает города страны в функции потерь при обучении, а **порог** "
        "сдвигает границу между «да» и «нет» после него. Попробуйте вес 1:1, затем 1:20 и посмотрите, "
        "как FN превращаются в TP, а вдоль границы появляются FP.",
    ),
    "stability_title": ("Stability: repeat runs until the mean p stops moving",
                        "Устойчивость: повторять запуски, пока среднее p не перестанет меняться"),
    "stability_text": (
        "One run's p depends on the split and the initial weights. As in seed 000, train the current "
        "network again and again, each time on a new split, until {patience} runs in a row leave the mean p "
        "unchanged at two decimals. Every run's mistakes are pooled on the map below.",
        "p одного запуска зависит от разбиения и начальных весов. Как в уроке 000, обучаем текущую сеть "
        "снова и снова, каждый раз на новом разбиении, пока {patience} запусков подряд не оставят среднее p "
        "неизменным до двух знаков. Ошибки всех запусков собираются на карте ниже.",
    ),
    "max_runs": ("At most this many runs", "Не больше запусков"),
    "stability_start": ("Start", "Начать"),
    "stop": ("Stop", "Стоп"),
    "stability_settings": ("Each run: the sidebar's network, {epochs} epochs.",
                           "Каждый запуск: сеть с панели, {epochs} эпох."),
    "stability_empty": ("No runs yet.", "Запусков пока нет."),
    "runs": ("Runs", "Запуски"),
    "last_p": ("p, last run", "p последнего запуска"),
    "mean_p": ("mean p", "среднее p"),
    "streak": ("Unchanged", "Без изменений"),
    "streak_help": ("Runs in a row after which the mean p, rounded to 0.01, stayed the same.",
                    "Сколько запусков подряд среднее p, округлённое до 0,01, не менялось."),
    "stability_done": ("Done after {runs} runs: mean p = {mean:.4f}.", "Готово за {runs} запусков: среднее p = {mean:.4f}."),
    "pooled_mistakes": ("All runs' mistakes: {fp} false alarms (FP), {fn} missed cities (FN).",
                        "Ошибки всех запусков: {fp} ложных тревог (FP), {fn} пропущенных городов (FN)."),
    "run_axis": ("run", "запуск"),
    "cost_title": ("What the model costs: parameters and multiplications", "Во что обходится модель: параметры и умножения"),
    "cost_text": (
        "Every multiplication of training, counted from the formulas as Keras computes them: each layer "
        "forward and backward per city, batch norm's statistics and the optimizer's update per step.",
        "Все умножения обучения, подсчитанные по формулам, как их вычисляет Keras: каждый слой вперёд и "
        "назад на каждый город, статистики нормализации и обновление оптимизатора на каждом шаге.",
    ),
    "column_layer": ("layer", "слой"),
    "column_parameters": ("parameters", "параметры"),
    "column_forward": ("× forward / city", "× вперёд / город"),
    "column_backward": ("× backward / city", "× назад / город"),
    "column_per_step": ("× per step", "× на шаг"),
    "cost_per_sample": ("per city", "на город"),
    "cost_per_step": ("per step", "на шаг"),
    "cost_per_step_help": ("One batch: its cities forward and back, then one optimizer update.",
                           "Один батч: его города вперёд и назад, затем одно обновление оптимизатора."),
    "cost_per_epoch": ("per epoch", "на эпоху"),
    "cost_per_run": ("per run ({epochs} epochs)", "на запуск ({epochs} эпох)"),
    "cost_seed": (
        "Seed 000 counted this network by hand as **{hand:,}** multiplications for the run; the exact count is "
        "**{exact:,}** ({ratio:,.0f}×). The seed multiplied one city's work by the batch size ({batch}) where an "
        "epoch processes all {n_train:,} training cities in {steps:,} steps, charged the optimizer per city "
        "instead of per step, and discounted dropout although the dropped units are still multiplied by zero.",
        "В уроке 000 эта сеть посчитана вручную как **{hand:,}** умножений за запуск; точный подсчёт — "
        "**{exact:,}** ({ratio:,.0f}×). В уроке работа на один город умножена на размер батча ({batch}), хотя "
        "эпоха проходит все {n_train:,} обучающих городов за {steps:,} шагов, оптимизатор посчитан на каждый "
        "город, а не на шаг, а dropout вычтен, хотя выключенные нейроны всё равно умножаются на ноль.",
    ),
    # digits lab (seeds 001 and 004)
    "digits_title": ("Digits", "Цифры"),
    "digits_intro": (
        "Seeds 001 and 004: a dense network reads handwritten digits. Each first-layer unit weighs every "
        "pixel, so its weights drawn as a picture show what it looks for. Train, sweep L2's λ, draw a digit.",
        "Уроки 001 и 004: полносвязная сеть читает рукописные цифры. Каждый нейрон первого слоя взвешивает "
        "каждый пиксель, и его веса, нарисованные картинкой, показывают, что он ищет. Обучите, переберите λ "
        "для L2, нарисуйте цифру.",
    ),
    "home_digits": (
        "**Digits** — seeds 001 and 004: a dense network on handwritten digits (8×8, MNIST or the seed's "
        ".mat file), every hidden unit's weights drawn as an image while it trains, the model summary with "
        "weights and biases, seed 004's λ sweep, misclassified digits, and a canvas to draw your own.",
        "**Цифры** — уроки 001 и 004: полносвязная сеть на рукописных цифрах (8×8, MNIST или .mat-файл урока), "
        "веса каждого скрытого нейрона картинкой во время обучения, сводка модели с весами и смещениями, "
        "перебор λ из урока 004, ошибки сети и холст, чтобы нарисовать свою цифру.",
    ),
    "home_open_digits": ("Open the digits lab", "Открыть лабораторную с цифрами"),
    "digits_source": ("Images", "Изображения"),
    "digits_source_digits": ("8×8 digits (scikit-learn, 1,797)", "Цифры 8×8 (scikit-learn, 1797)"),
    "digits_source_mnist": ("MNIST 28×28 (70,000; downloaded once)", "MNIST 28×28 (70 000; скачивается один раз)"),
    "digits_source_mat": ("Upload seed 004's .mat file", "Загрузить .mat-файл урока 004"),
    "upload_mat": ("MATLAB file with X and y", "Файл MATLAB с X и y"),
    "upload_mat_help": ("Like ex4data1.mat: X holds one 20×20 image per row (column-major), y the digit "
                        "with 10 meaning 0. Up to 10 MB.",
                        "Как ex4data1.mat: в X по строке на изображение 20×20 (по столбцам), в y цифра, где 10 "
                        "означает 0. До 10 МБ."),
    "upload_rejected_images": ("This file cannot be used: {error} The previous images stay in use.",
                               "Этот файл не подходит: {error} Остаются прежние изображения."),
    "upload_images_using": ("Using {name}: {rows:,} images of {side}×{side}.",
                            "Используется {name}: {rows:,} изображений {side}×{side}."),
    "images": ("Images used", "Сколько изображений"),
    "mnist_offline": ("{error} Using the 8×8 digits instead.",
                      "MNIST нет на этой машине, и скачать его не удалось (нет интернета?). Используются цифры 8×8."),
    "preset_digits-mlp": ("Preset: 64 relu units, Adam", "Пресет: 64 нейрона relu, Adam"),
    "preset_digits-seed004": ("Preset: seed 004's 25 sigmoid units, L2", "Пресет: 25 sigmoid из урока 004, L2"),
    "preset_mnist-seed001": ("Preset: seed 001's MNIST 800-400", "Пресет: MNIST 800-400 из урока 001"),
    "layer_bias": ("Bias in layer {n}", "Смещение в слое {n}"),
    "layer_bias_help": ("Off removes this layer's bias neuron: the parameter count drops by exactly its units.",
                        "Выключение убирает нейрон смещения слоя: параметров становится ровно на число его нейронов меньше."),
    "train_accuracy": ("Train accuracy", "Точность (обучение)"),
    "hidden_units": ("What the first hidden layer sees", "Что видит первый скрытый слой"),
    "hidden_units_help": ("Each tile is one unit's weights, one per pixel: blue pixels push it up, orange "
                          "pixels down, white ones do not matter. Each tile has its own colour scale, as in seed 004.",
                          "Каждая плитка — веса одного нейрона, по одному на пиксель: синие пиксели его "
                          "возбуждают, оранжевые подавляют, белые безразличны. У каждой плитки своя шкала, "
                          "как в уроке 004."),
    "hidden_units_caption": ("{units} units, as in seed 004's 5×5 grid", "{units} нейронов, как сетка 5×5 в уроке 004"),
    "no_hidden_layer": ("No hidden layer: add one to see its units.", "Скрытых слоёв нет: добавьте слой, чтобы увидеть его нейроны."),
    "gallery": ("Misclassified test digits", "Ошибки на тестовых цифрах"),
    "gallery_help": ("The wrong answers the model was surest of: true → predicted (probability).",
                     "Неверные ответы, в которых модель была увереннее всего: верно → ответ (вероятность)."),
    "gallery_caption": ("{true} → {predicted} ({probability:.0%})", "{true} → {predicted} ({probability:.0%})"),
    "gallery_empty": ("No test digit is misclassified.", "Ни одной ошибки на тестовых цифрах."),
    "summary_title": ("Model summary: weights, biases, parameters", "Сводка модели: веса, смещения, параметры"),
    "summary_total": (
        "{total:,} parameters in all, {biases:,} of them biases: without bias neurons the same layers would "
        "have {without:,} (seed 001's 784-300-10: 238,510 with the hidden bias, 238,210 without).",
        "Всего {total:,} параметров, из них {biases:,} смещений: без нейронов смещения те же слои имели бы "
        "{without:,} (в уроке 001 сеть 784-300-10: 238 510 со смещением скрытого слоя и 238 210 без него).",
    ),
    "sweep_title": ("Seed 004's λ sweep: regularization against accuracy", "Перебор λ из урока 004: регуляризация и точность"),
    "sweep_text": (
        "The same network trained {epochs} epochs at λ = 0, 0.001, 0.01, 1, 10 and 30, with the seed's cost "
        "J + λ/(2m)·Σθ² (biases not penalised). Watch training accuracy fall past λ = 1 and the units' "
        "pictures become smoother and fainter.",
        "Та же сеть, {epochs} эпох при λ = 0; 0,001; 0,01; 1; 10 и 30, со стоимостью из урока J + λ/(2m)·Σθ² "
        "(смещения не штрафуются). Точность на обучении падает после λ = 1, а картинки нейронов становятся "
        "глаже и бледнее.",
    ),
    "sweep_button": ("Run the sweep", "Запустить перебор"),
    "sweep_running": ("Training at λ = {lam:g}…", "Обучение при λ = {lam:g}…"),
    "sweep_caption": ("λ = {lam:g}: train {train:.1%}", "λ = {lam:g}: обучение {train:.1%}"),
    "draw_title": ("Draw a digit", "Нарисуйте цифру"),
    "draw_help": ("Draw with the mouse (or upload a photo of a digit); it is cropped, centred and scaled "
                  "to the model's input size, like the training images.",
                  "Рисуйте мышью (или загрузите фото цифры): рисунок обрезается, центрируется и "
                  "уменьшается до размера входа модели, как обучающие изображения."),
    "digit_picture": ("…or a picture of a digit", "…или фото цифры"),
    "digit_picture_help": ("PNG or JPEG; dark ink on light paper works.", "PNG или JPEG; тёмные чернила на светлой бумаге подойдут."),
    "digit_picture_bad": ("This is not an image NN Lab can read (PNG or JPEG).",
                          "Это не изображение, которое NN Lab может прочитать (PNG или JPEG)."),
    "draw_empty": ("Nothing drawn yet.", "Пока ничего не нарисовано."),
    "draw_scaled": ("what the model sees ({side}×{side})", "что видит модель ({side}×{side})"),
    "draw_answer": ("The model reads", "Модель читает"),
    "draw_answer_help": ("with probability {probability:.1%}", "с вероятностью {probability:.1%}"),
    "probability_axis": ("probability", "вероятность"),
    # optimizers and losses pages (seeds 001, 002, 003, 004)
    'optimizers_title': ('Optimizers', 'Оптимизаторы'),
    'optimizers_intro': ('One network, one dataset, the same starting weights: only the optimizer differs. Race them live, then watch each walk a 2-D surface.', 'Одна сеть, одни данные, одинаковые начальные веса: различается только оптимизатор. Устройте гонку, а затем посмотрите, как каждый идёт по двумерной поверхности.'),
    'section_race': ('Race', 'Гонка'),
    'racers': ('Optimizers', 'Оптимизаторы'),
    'racers_help': ('Each trains its own copy of the network from identical initial weights and identical shuffles.', 'Каждый обучает свою копию сети с одинаковыми начальными весами и одинаковым перемешиванием.'),
    'racer_rate': ('Learning rate: {optimizer}', 'Скорость обучения: {optimizer}'),
    'target_accuracy': ('Target test accuracy', 'Целевая точность на тесте'),
    'leader': ('Ahead (test accuracy)', 'Впереди (точность на тесте)'),
    'no_racers': ('Pick at least one optimizer in the sidebar.', 'Выберите хотя бы один оптимизатор на боковой панели.'),
    'race_tab': ('Race', 'Гонка'),
    'landscape_tab': ('Landscapes', 'Поверхности'),
    'column_optimizer': ('optimizer', 'оптимизатор'),
    'column_epochs_to_target': ('epochs to target', 'эпох до цели'),
    'column_seconds_to_target': ('seconds to target', 'секунд до цели'),
    'column_diverged': ('diverged', 'разошёлся'),
    'optimizer_axis': ('optimizer', 'оптимизатор'),
    'surface_choice': ('Surface', 'Поверхность'),
    'rate_scale': ('Learning rates', 'Скорости обучения'),
    'rate_scale_help': ('Each optimizer starts from a rate that works on this surface; scale them all together.', 'У каждого оптимизатора своя подходящая скорость; здесь их можно умножить все вместе.'),
    'landscape_steps': ('Steps', 'Шагов'),
    'replay_step': ('Replay: step', 'Повтор: шаг'),
    'replay_help': ('Drag to replay the walks step by step.', 'Перетащите, чтобы повторить путь шаг за шагом.'),
    'column_value': ('f at the end', 'f в конце'),
    'column_distance': ('distance to minimum', 'до минимума'),
    'column_reached': ('steps to within 0.1', 'шагов до 0,1'),
    'losses_page_title': ('Losses & backprop', 'Потери и обратное распространение'),
    'losses_intro': ('The arithmetic under training, each piece checked twice: by hand (numpy) and by Keras/TensorFlow.', 'Арифметика обучения, каждый шаг проверен дважды: вручную (numpy) и в Keras/TensorFlow.'),
    'tab_losses': ('Loss functions', 'Функции потерь'),
    'tab_activations': ('Activations', 'Активации'),
    'tab_scratch': ('A network by hand', 'Сеть вручную'),
    'tab_gradcheck': ('Gradient check', 'Проверка градиентов'),
    'tab_graph': ('Backprop on a graph', 'Граф вычислений'),
    'losses_title': ("Seed 001's worked examples", 'Примеры из урока 001'),
    'column_example': ('example', 'пример'),
    'column_agree': ('numpy = Keras', 'numpy = Keras'),
    'column_seed': ('seed printed', 'в уроке'),
    'column_note': ('note', 'примечание'),
    'edit_predictions': ("Change the binary example's predictions: both computations follow.", 'Измените предсказания бинарного примера: оба расчёта пересчитаются.'),
    'fill_every_cell': ('Fill in every cell.', 'Заполните все ячейки.'),
    'bce_numpy': ('BCE by hand (numpy)', 'BCE вручную (numpy)'),
    'bce_keras': ('BCE in Keras', 'BCE в Keras'),
    'true_label': ('True label', 'Истинная метка'),
    'predicted_value': ('predicted value ŷ', 'предсказание ŷ'),
    'activations_title': ('Activations and their derivatives', 'Функции активации и их производные'),
    'activations': ('Activations', 'Активации'),
    'activation_column': ('activation', 'активация'),
    'saturates': ('derivative below 0.01 (learning stalls) on [−5, 5]', 'производная меньше 0,01 (обучение стоит) на [−5, 5]'),
    'scratch_title': ("Seed 003's network, written by hand", 'Сеть из урока 003, написанная вручную'),
    'scratch_text': ("A 2-4-1 network in numpy: tanh hidden layer, sigmoid output, cross-entropy, 10,000 full-batch steps at rate 1.2, weights N(0, 1) after `np.random.seed(2)`. The seed's backprop has a slip: `db1 = 1/m·np.sum(dZ1)` sums over the hidden units too, giving every hidden bias the same gradient. The correct gradient sums over the examples only (`axis=1`). Both traces are below: the slip changes the costs in the fourth decimal and the accuracy not at all — which is why it went unnoticed, and why a gradient check would have caught it.", 'Сеть 2-4-1 на numpy: скрытый слой tanh, выход sigmoid, перекрёстная энтропия, 10 000 шагов по всей выборке со скоростью 1,2, веса N(0, 1) после `np.random.seed(2)`. В обратном проходе урока ошибка: `db1 = 1/m·np.sum(dZ1)` суммирует и по скрытым нейронам, и все смещения получают одинаковый градиент. Правильно — суммировать только по примерам (`axis=1`). Ниже обе траектории: ошибка меняет стоимость в четвёртом знаке и не меняет точность — поэтому её не заметили, а проверка градиентов поймала бы.'),
    'scratch_button': ('Train both versions (10,000 steps)', 'Обучить обе версии (10 000 шагов)'),
    'scratch_running': ('Training in numpy…', 'Обучение на numpy…'),
    'scratch_accuracy': ('4 tanh units (numpy)', '4 нейрона tanh (numpy)'),
    'logistic_accuracy': ('Logistic regression', 'Логистическая регрессия'),
    'initial_cost': ('Cost at iteration 0', 'Стоимость на итерации 0'),
    'initial_cost_help': ('Seed 003 printed 1.127380.', 'В уроке 003 напечатано 1.127380.'),
    'iteration': ('iteration', 'итерация'),
    'trace_seed': ("cost, seed's db1 (as printed)", 'стоимость, db1 урока (как напечатано)'),
    'trace_correct': ('cost, correct db1', 'стоимость, правильный db1'),
    'sweep_sizes_title': ('Hidden-layer size: 1, 2, 3, 4, 5, 20, 50 units', 'Размер скрытого слоя: 1, 2, 3, 4, 5, 20, 50 нейронов'),
    'sweep_size_caption': ('{n} units: {accuracy:.1%}', '{n} нейронов: {accuracy:.1%}'),
    'gradcheck_title': ("Seed 004's gradient check", 'Проверка градиентов из урока 004'),
    'gradcheck_text': ("Each parameter nudged by ±ε = 1e-4: (J(θ+ε) − J(θ−ε)) / 2ε against backprop's gradient, on a small 3-4-1 network. Relative difference ‖numeric − backprop‖ / (‖numeric‖ + ‖backprop‖) below 1e-7 means backprop is right.", 'Каждый параметр сдвигается на ±ε = 1e-4: (J(θ+ε) − J(θ−ε)) / 2ε сравнивается с градиентом обратного прохода на маленькой сети 3-4-1. Относительная разница ‖численный − аналитический‖ / (‖численный‖ + ‖аналитический‖) меньше 1e-7 значит, что обратный проход верен.'),
    'use_seed_db1': ("Use the seed's db1", 'Взять db1 из урока'),
    'use_seed_db1_help': ("Switch on to watch the check catch seed 003's slip.", 'Включите, чтобы проверка поймала ошибку урока 003.'),
    'relative_difference': ('Relative difference', 'Относительная разница'),
    'relative_difference_help': ('Over every sampled parameter.', 'По всем выбранным параметрам.'),
    'gradcheck_pass': ('Backprop agrees with the numeric gradient.', 'Обратный проход совпадает с численным градиентом.'),
    'gradcheck_fail': ('Backprop disagrees with the numeric gradient: look at the rows with a large error.', 'Обратный проход расходится с численным градиентом: смотрите строки с большой ошибкой.'),
    'graph_title': ('Seed 002: backprop on f(x, w) = 1 + e^(w1·x + w0)', 'Урок 002: обратный проход для f(x, w) = 1 + e^(w1·x + w0)'),
    'node': ('node', 'узел'),
    'formula': ('formula', 'формула'),
    'forward': ('forward value', 'прямой проход'),
    'backward': ('∂f/∂node (by hand)', '∂f/∂узел (вручную)'),
    'home_optimizers': ('**Optimizers** — six optimizers race on one network from the same starting weights, live; and the real Keras optimizers walk test surfaces (valley, Rosenbrock, Beale, saddle, local minima).', '**Оптимизаторы** — гонка шести оптимизаторов на одной сети с одинаковыми начальными весами, вживую; и настоящие оптимизаторы Keras на тестовых поверхностях (овраг, Розенброк, Бил, седло, локальные минимумы).'),
    'home_open_optimizers': ('Open the optimizers', 'Открыть оптимизаторы'),
    'home_losses': ("**Losses & backprop** — seed 001's losses by hand and by Keras, activations, seed 003's network in numpy with its db1 slip, seed 004's gradient check, and seed 002's computation graph.", '**Потери и обратное распространение** — функции потерь урока 001 вручную и в Keras, активации, сеть урока 003 на numpy с ошибкой в db1, проверка градиентов урока 004 и граф вычислений урока 002.'),
    'home_open_losses': ('Open losses & backprop', 'Открыть потери и обратное распространение'),
    # generalization page (seed 002)
    'generalization_title': ('Generalization', 'Обобщение'),
    'generalization_intro': ('A large network on a few points, or a few digit images, learns them by heart: train accuracy climbs to 100 %, test accuracy does not. Pick the data, shrink the training share, watch the curves part, then try the remedies: which ones work depends on the data.', 'Большая сеть на нескольких точках или нескольких изображениях цифр заучивает их наизусть: точность на обучении растёт до 100 %, на тесте — нет. Выберите данные, уменьшите обучающую долю, посмотрите, как расходятся кривые, и попробуйте лекарства: какие из них помогают, зависит от данных.'),
    'gap': ('Train − test', 'Обучение − тест'),
    'gap_help': ('The generalization gap: how much better the network does on the points it trained on.', 'Разрыв обобщения: насколько лучше сеть работает на точках, на которых обучалась.'),
    'overfitting': ('overfitting', 'переобучение'),
    'generalizes': ('generalizes', 'обобщает'),
    'remedies_title': ('Remedies, compared', 'Лекарства, сравнение'),
    'remedies_text': ("Each chosen remedy retrains the same network from the same start; the baseline runs too, and every run's train (solid) and test (dashed) accuracy is overlaid.", 'Каждое выбранное лекарство заново обучает ту же сеть с того же начала; базовый запуск тоже, и точность каждого запуска на обучении (сплошная) и тесте (пунктир) наложены друг на друга.'),
    'remedies': ('Remedies', 'Лекарства'),
    'remedy_baseline': ('no remedy', 'без лекарства'),
    'remedy_l2': ('L2', 'L2'),
    'remedy_l1': ('L1', 'L1'),
    'remedy_dropout': ('dropout', 'dropout'),
    'remedy_batch_norm': ('batch norm', 'нормализация батча'),
    'remedy_early_stopping': ('early stopping', 'ранняя остановка'),
    'remedy_more_data': ('more data', 'больше данных'),
    'remedy_augmentation': ('augmentation', 'аугментация'),
    'augmentation_points': ('Augmentation adds three copies of every training point, each moved by Gaussian noise (σ = 1 data unit).', 'Аугментация добавляет три копии каждой обучающей точки, сдвинутые гауссовым шумом (σ = 1 единица данных).'),
    'augmentation_preview': ('Augmentation: each training image (left) gets {copies} copies, turned by up to ±10° and moved by up to ±0.5 pixel. scikit-learn\'s digits are already centred, so larger moves make images unlike any test image.', 'Аугментация: каждое обучающее изображение (слева) получает {copies} копии, повёрнутые до ±10° и сдвинутые до ±0,5 пикселя. Цифры scikit-learn уже отцентрированы, поэтому бо́льшие сдвиги дают картинки, не похожие ни на одну тестовую.'),
    'overfit_units_help': ("Each square is one first-layer unit's weight per pixel. A network that memorises few images has noisy pictures; L2 (seed 004's λ) smooths them.", 'Каждый квадрат — веса одного нейрона первого слоя по пикселям. У сети, запоминающей немногие изображения, картинки шумные; L2 (λ из урока 004) их сглаживает.'),
    'remedies_button': ('Train the comparison', 'Обучить для сравнения'),
    'training_run': ('Training: {run}…', 'Обучение: {run}…'),
    'tensorboard': ('Write TensorBoard logs', 'Писать логи TensorBoard'),
    'tensorboard_help': ('Each run writes its curves as TensorBoard event files into a folder of this session.', 'Каждый запуск пишет кривые в файлы событий TensorBoard в папку этой сессии.'),
    'tensorboard_where': ('Logs of this session: {folder}. Open them with the command above.', 'Логи этой сессии: {folder}. Откройте их командой выше.'),
    'run_column': ('run', 'запуск'),
    'multiples_title': ('Small multiples: one setting, several values', 'Малые множества: одна настройка, несколько значений'),
    'sweep_setting': ('Setting', 'Настройка'),
    'sweep_regularization_rate': ('L2 rate', 'Коэффициент L2'),
    'sweep_dropout': ('dropout', 'dropout'),
    'sweep_train_ratio': ('training share', 'доля обучения'),
    'sweep_hidden_units': ('units per hidden layer', 'нейронов в скрытом слое'),
    'multiples_button': ('Train the sweep', 'Обучить перебор'),
    'multiples_running': ('Training one network per value…', 'Обучение сети для каждого значения…'),
    'multiple_caption': ('{label}: train {train:.0%} · test {test:.0%}', '{label}: обучение {train:.0%} · тест {test:.0%}'),
    'history_title': ('Run history', 'История запусков'),
    'history_empty': ('No finished runs yet: train a comparison or a sweep.', 'Завершённых запусков пока нет: обучите сравнение или перебор.'),
    'compare_first': ('Compare', 'Сравнить'),
    'compare_second': ('with', 'с'),
    'compare_caption': ('train {train:.1%} · test {test:.1%} · {seconds:.1f} s', 'обучение {train:.1%} · тест {test:.1%} · {seconds:.1f} с'),
    'home_generalization': ("**Generalization** — seed 002's overfitting task: a big network on few points, live train and test curves parting, remedies compared, small multiples, run history, TensorBoard logs.", '**Обобщение** — задача урока 002 о переобучении: большая сеть на нескольких точках, расходящиеся кривые обучения и теста, сравнение лекарств, малые множества, история запусков, логи TensorBoard.'),
    'home_open_generalization': ('Open generalization', 'Открыть обобщение'),
    "work_capped": ("This run stops at epoch {cap:,}, not {epochs:,}: one request may train at most {limit} examples (epochs × training examples), so that one session cannot hold a shared server for a whole lesson. Use fewer epochs or less data to train to the end.",
                    "Этот запуск остановится на эпохе {cap:,}, а не {epochs:,}: один запрос может обучать не более чем на {limit} примерах (эпохи × обучающие примеры), чтобы одна сессия не занимала общий сервер весь урок. Уменьшите число эпох или данных, чтобы обучить до конца."),
    "work_refused": ("Not started: {runs} runs of {epochs:,} epochs on {examples:,} training examples is more than the {limit} examples one request may train on a shared server. Use at most {cap:,} epochs, or less data; the results shown are kept.",
                     "Не запущено: {runs} запусков по {epochs:,} эпох на {examples:,} обучающих примерах — больше {limit} примеров, разрешённых одному запросу на общем сервере. Используйте не больше {cap:,} эпох или меньше данных; показанные результаты сохранены."),
    "control_dataset": ('Dataset', 'Набор данных'),
    "control_classes": ('Classes', 'Классы'),
    "control_samples": ('Number of points/images', 'Число точек/изображений'),
    "control_noise": ('Noise', 'Шум'),
    "control_train_ratio": ('Training share', 'Доля обучения'),
    "control_seed": ('Seed', 'Seed'),
    "control_features": ('Input features', 'Входные признаки'),
    "control_hidden_layers": ('Hidden layers and neurons', 'Скрытые слои и нейроны'),
    "control_dropout": ('Dropout', 'Dropout'),
    "control_batch_norm": ('Batch norm', 'Батч-нормализация'),
    "control_use_bias": ('Biases', 'Смещения'),
    "control_optimizer": ('Optimizer', 'Оптимизатор'),
    "control_learning_rate": ('Learning rate', 'Скорость обучения'),
    "control_momentum": ('Momentum', 'Момент'),
    "control_batch_size": ('Batch size', 'Размер батча'),
    "control_regularization": ('Regularization', 'Регуляризация'),
    "control_regularization_rate": ('Regularization rate λ', 'Коэффициент регуляризации λ'),
    "control_loss": ('Loss', 'Функция потерь'),
    "control_epochs": ('Epochs', 'Эпохи'),
    "control_positive_weight": ('Class weight', 'Вес класса'),
    "racer_rate_help": ("Each optimizer's own step size: a fair race gives each the rate that suits it.",
                        "Собственный шаг каждого оптимизатора: в честной гонке у каждого подходящая ему скорость."),
    "target_accuracy_help": ("The test accuracy that counts as arriving.", "Точность на тесте, которая считается финишем."),
    "landscape_steps_help": ("How many updates each optimizer makes on the surface.", "Сколько шагов делает каждый оптимизатор на поверхности."),
    # maths view
    "maths_title": ("Inside a neuron: z = Σ wᵢ·xᵢ + b, a = φ(z)", "Внутри нейрона: z = Σ wᵢ·xᵢ + b, a = φ(z)"),
    "maths_text": ("Choose a neuron (the output neuron too, with its bias) and a test point: the sum and the activation with the model's current numbers. Press Step and watch them change.",
                   "Выберите нейрон (включая выходной, с его смещением) и тестовую точку: сумма и активация с текущими числами модели. Нажмите «Шаг» и смотрите, как они меняются."),
    "maths_layer": ("Hidden layer {n} ({units} neurons)", "Скрытый слой {n} ({units} нейронов)"),
    "maths_output": ("Output", "Выход"),
    "maths_pick_layer": ("Layer", "Слой"),
    "maths_pick_neuron": ("Neuron", "Нейрон"),
    "maths_pick_point": ("Test point", "Тестовая точка"),
    "maths_point_help": ("The number of a point of the test set.", "Номер точки тестовой выборки."),
    "maths_point": ("Point ({x1:.3f}, {x2:.3f}), true class: {label}.", "Точка ({x1:.3f}, {x2:.3f}), истинный класс: {label}."),
    "maths_scaled": ("x̃ are the inputs after scaling to mean 0 and variance 1 on the training set (part of the model).",
                     "x̃ — входы после приведения к среднему 0 и дисперсии 1 по обучающей выборке (часть модели)."),
    "maths_softmax": ("softmax: a is this neuron's share, e^z divided by the sum of e^z over all output neurons.",
                      "softmax: a — доля этого нейрона, e^z, делённое на сумму e^z по всем выходным нейронам."),
    "maths_sigmoid_output": ("The output neuron's a is the probability of class 1: {p:.1%}.",
                             "a выходного нейрона — вероятность класса 1: {p:.1%}."),
    # runs page
    "runs_title": ("Runs", "Запуски"),
    "runs_intro": ("Every run you trained to the end in this session, in every lab. Sort the table by any column, compare two runs, and enter the class's challenge: the smallest network that still reaches the target.",
                   "Все запуски этой сессии, обученные до конца, во всех лабораторных. Сортируйте таблицу по любому столбцу, сравните два запуска и примите участие в соревновании класса: самая маленькая сеть, которая всё ещё достигает цели."),
    "runs_history": ("This session's runs", "Запуски этой сессии"),
    "runs_empty": ("No finished runs yet: train a lab to its last epoch (Play, or Step until the end) and it appears here.",
                   "Пока нет завершённых запусков: обучите лабораторную до последней эпохи («Пуск» или «Шаг» до конца), и запуск появится здесь."),
    "runs_sort_hint": ("Click a column's header to sort by it.", "Нажмите на заголовок столбца, чтобы отсортировать."),
    "runs_compare": ("Two runs side by side", "Два запуска рядом"),
    "runs_seconds": ("Seconds", "Секунды"),
    "board_title": ("Class challenge: fewest parameters above a target", "Соревнование класса: меньше всего параметров выше цели"),
    "board_text": ("Submit a run under a name; the board ranks runs on the same dataset that reach the target test accuracy by how few parameters they need. It is shared by everyone on this server and forgotten when the server restarts.",
                   "Отправьте запуск под своим именем; таблица упорядочивает запуски на тех же данных, достигшие целевой точности на тесте, по числу параметров. Она общая для всех на этом сервере и очищается при перезапуске."),
    "board_name": ("Your name or nickname", "Имя или псевдоним"),
    "board_run": ("Run", "Запуск"),
    "board_submit": ("Submit", "Отправить"),
    "board_submitted": ("On the board.", "Добавлено в таблицу."),
    "board_empty": ("Nobody has submitted a run yet.", "Пока никто не отправил запуск."),
    "board_none_above": ("No run on this dataset reaches {target:.0%} yet.", "На этих данных пока ни один запуск не достиг {target:.0%}."),
    # share, export, import
    "share_title": ("Share this lesson: link and QR code", "Поделиться уроком: ссылка и QR-код"),
    "share_text": ("The link opens this page with exactly these settings, seed and language. Tick the controls students should not change: the link hides them and keeps their values.",
                   "Ссылка открывает эту страницу ровно с этими настройками, seed и языком. Отметьте элементы, которые студентам менять не нужно: по ссылке они скрыты, а их значения сохранены."),
    "share_hide": ("Hide for the lesson", "Скрыть на уроке"),
    "share_hide_help": ("Only students opening the link lose these controls; your page keeps them.",
                        "Элементы пропадут только у тех, кто откроет ссылку; у вас они останутся."),
    "share_qr": ("Scan to open the lesson", "Отсканируйте, чтобы открыть урок"),
    "share_steps": ("**On the projector:** show this QR code; students scan it or type the link.\n\n**On a shared server** the link's host must be the server's address students can reach, not `localhost`: start it with `streamlit run app.py --server.address 0.0.0.0` and open the page by the machine's network address before copying.",
                    "**На проекторе:** покажите этот QR-код; студенты сканируют его или вводят ссылку.\n\n**На общем сервере** в ссылке должен быть адрес сервера, доступный студентам, а не `localhost`: запустите `streamlit run app.py --server.address 0.0.0.0` и откройте страницу по сетевому адресу машины, прежде чем копировать."),
    "export_title": ("Export this run", "Экспорт запуска"),
    "export_text": ("The run as it is now ({epochs} epochs). Each file is made when you press its button.",
                    "Запуск в текущем состоянии ({epochs} эпох). Каждый файл создаётся при нажатии кнопки."),
    "export_script": ("Python script", "Скрипт на Python"),
    "export_script_help": ("A runnable Keras script that rebuilds this exact run (same split, seeds and batches) and prints its test metrics. Train at least one epoch first.",
                           "Готовый скрипт на Keras, который повторяет этот запуск (то же разбиение, seed и батчи) и печатает метрики на тесте. Сначала обучите хотя бы одну эпоху."),
    "export_run": ("Run file (.npz)", "Файл запуска (.npz)"),
    "export_run_help": ("Settings and weights in one file: import it here later to continue or inspect the run.",
                        "Настройки и веса в одном файле: импортируйте его сюда позже, чтобы продолжить или изучить запуск."),
    "export_keras": ("Keras model (.keras)", "Модель Keras (.keras)"),
    "export_keras_help": ("For keras.saving.load_model in your own notebook.", "Для keras.saving.load_model в вашем ноутбуке."),
    "export_data": ("Data and split (CSV)", "Данные и разбиение (CSV)"),
    "export_data_help": ("Every example the network saw: inputs, label and whether it was train or test.",
                         "Все примеры, которые видела сеть: входы, метка и часть (обучение или тест)."),
    "export_history": ("Training history (CSV)", "История обучения (CSV)"),
    "export_history_help": ("Loss and accuracy on both sets after every epoch.", "Потери и точность на обеих частях после каждой эпохи."),
    "export_chart_curves": ("Curves (PNG)", "Кривые (PNG)"),
    "export_chart_boundary": ("Boundary (PNG)", "Граница (PNG)"),
    "export_chart_confusion": ("Confusion matrix (PNG)", "Матрица ошибок (PNG)"),
    "import_run": ("Import a run exported from NN Lab (.npz)", "Импорт запуска, экспортированного из NN Lab (.npz)"),
    "import_help": ("The settings are checked like a link's and the model is rebuilt from them; only the weight numbers are read from the file.",
                    "Настройки проверяются, как у ссылки, и модель строится по ним заново; из файла читаются только числа весов."),
    "import_done": ("Imported {name}: the settings are in the controls and the model has the weights it had after {epochs} epochs. Press Play to continue training it.",
                    "Импортирован {name}: настройки перенесены в элементы управления, а модель получила веса после {epochs} эпох. Нажмите «Пуск», чтобы продолжить обучение."),
    "import_other_page": ("it was trained on the {dataset} data, which this page does not offer: import it on that data's lab.",
                          "он обучен на данных {dataset}, которых нет на этой странице: импортируйте его в лабораторной с этими данными."),
    "import_too_big": ("its network is larger than this page's controls allow (at most {layers} layers of {units} neurons).",
                       "его сеть больше, чем позволяют элементы этой страницы (не больше {layers} слоёв по {units} нейронов)."),
    "import_no_layer_bn": ("it uses batch norm on single layers, which only the World map page offers.",
                           "в нём батч-нормализация отдельных слоёв, которая есть только на странице карты мира."),
    "import_no_class_weight": ("it uses class weights, which only the World map page offers.",
                               "в нём веса классов, которые есть только на странице карты мира."),
    "import_failed": ("This run cannot be imported: {error} Your current run is unchanged.",
                      "Этот запуск нельзя импортировать: {error} Текущий запуск не изменился."),
    # tooltips on every control
    "dataset_help": ("Which points to classify. Circle and XOR need curved boundaries; spiral is the hardest.",
                     "Какие точки классифицировать. Для круга и XOR нужна кривая граница; спираль — самая трудная."),
    "classes_help": ("How many colours of points. More than two uses a softmax output.",
                     "Сколько цветов у точек. Больше двух — выход softmax."),
    "samples_help": ("How many points in all, before the train/test split.",
                     "Сколько всего точек до разбиения на обучение и тест."),
    "noise_help": ("How far points stray from their class's shape; noisy data is where overfitting shows.",
                   "Насколько точки отходят от формы своего класса; на шумных данных видно переобучение."),
    "train_ratio_help": ("The share of points the network trains on; the rest only measure it.",
                         "Доля точек, на которых сеть учится; остальные только проверяют её."),
    "regenerate_help": ("A new seed: new points, a new split and new starting weights.",
                        "Новый seed: новые точки, новое разбиение и новые начальные веса."),
    "images_help": ("How many images to use; fewer training images make overfitting easy to see.",
                    "Сколько изображений использовать; с меньшим числом легче увидеть переобучение."),
    "hidden_layers_help": ("Layers between the inputs and the output. Zero hidden layers is logistic regression.",
                           "Слои между входами и выходом. Без скрытых слоёв это логистическая регрессия."),
    "units_help": ("Neurons in this layer: more can draw more complicated boundaries, and memorise more.",
                   "Нейроны слоя: чем больше, тем сложнее граница — и тем легче запомнить данные."),
    "activation_help": ("The function each neuron applies to its sum z: relu = max(0, z), tanh and sigmoid saturate.",
                        "Функция, которую нейрон применяет к сумме z: relu = max(0, z), tanh и sigmoid насыщаются."),
    "dropout_help": ("While training, each hidden neuron is switched off with this probability: a remedy for overfitting.",
                     "При обучении каждый скрытый нейрон выключается с этой вероятностью: средство от переобучения."),
    "batch_norm_help": ("Rescale each hidden layer's outputs per batch: often trains faster and more stably.",
                        "Нормировать выходы скрытых слоёв по батчу: часто обучение быстрее и стабильнее."),
    "use_bias_help": ("Give every neuron a bias b in z = Σ w·x + b. Without it, every boundary passes through the origin.",
                      "Смещение b в z = Σ w·x + b у каждого нейрона. Без него каждая граница проходит через начало координат."),
    "optimizer_help": ("How the weights move down the gradient. Compare them on the Optimizers page.",
                       "Как веса движутся по градиенту. Сравните их на странице «Оптимизаторы»."),
    "momentum_help": ("How much of the previous step each step keeps: smooths zig-zags.",
                      "Какую долю прошлого шага сохраняет каждый шаг: сглаживает зигзаги."),
    "batch_size_help": ("Examples per weight update. 1 is pure SGD: noisy but many steps per epoch.",
                        "Примеров на одно обновление весов. 1 — чистый SGD: шумно, но много шагов за эпоху."),
    "regularization_help": ("A penalty on large weights added to the loss: L2 smooths, L1 zeroes weights out.",
                            "Штраф за большие веса в функции потерь: L2 сглаживает, L1 обнуляет веса."),
    "regularization_rate_help": ("λ, the weight of the penalty: too high and the network cannot fit anything.",
                                 "λ — вес штрафа: слишком большой, и сеть ничего не выучит."),
    "loss_help": ("What training minimises: cross-entropy for probabilities, squared error as TF Playground.",
                  "Что минимизирует обучение: перекрёстная энтропия для вероятностей, квадрат ошибки как в TF Playground."),
    "epochs_help": ("Passes over the training set before Play stops by itself.",
                    "Проходы по обучающим данным, после которых «Пуск» останавливается сам."),
    "share_hint": ("The address bar holds every setting: copy it to share this experiment.",
                   "В адресной строке все настройки: скопируйте её, чтобы поделиться экспериментом."),
})


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
        "true": t("true"), "predicted": t("predicted"), "count": t("count"), "run": t("run_axis"),
        "probability": t("probability_axis"), "optimizer": t("optimizer_axis"),
    }
