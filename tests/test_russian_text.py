"""No English on a Russian page (issue 18): every page opened in Russian, trained one step where it can,
and every visible text and chart label read back; any Latin-script word must be on a short, reviewed list.
Also: every catalogue key the UI asks for exists in both languages with the same placeholders."""

from __future__ import annotations

import ast
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pandas as pd
import pytest
from google.protobuf.message import Message
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.testing.v1 import AppTest

from nnlab.catalogue import CATALOGUE, placeholders
from tests.pagetools import ROOT, open_lab, run

# Latin-script words a Russian page may show, each for a reason. Case does not matter.
ALLOWED = frozenset(
    word.lower()
    for word in (
        # the app, and names of products, libraries, formats and data sources (as the course writes them)
        "NN",
        "Lab",
        "Keras",
        "TensorFlow",
        "TensorBoard",
        "GradientTape",
        "numpy",
        "scikit-learn",
        "Python",
        "CSV",
        "PNG",
        "JPEG",
        "QR",
        "MNIST",
        "CIFAR-10",
        "GeoNames",
        "simplemaps",
        "MATLAB",
        "Natural",
        "Earth",
        "Dask",
        "Jupyter",
        "TF",
        "Playground",
        "Enter",  # Enter: the key, as the keyboard labels it
        # optimizers, activations and layers by the names the course and Keras give them
        "max",
        "pooling",  # «подвыборка (max pooling)»: the seed's MaxPool2D
        "SGD",
        "Adam",
        "RMSprop",
        "Adagrad",
        "NAG",
        "ReLU",
        "tanh",
        "sigmoid",
        "softmax",
        "softplus",
        "ELU",
        "linear",
        "Dense",
        "Dropout",
        "BatchNorm",
        "Conv2D",  # the Convolution lab's summary: Keras's layer types, as Dense above
        "MaxPooling2D",
        "Flatten",
        "Reshape",
        "padding",  # «дополнение (padding)», «подвыборка (max pooling)»: the glossary's terms in brackets
        "pooling",
        "same",  # a convolution's padding, as Keras spells its values (padding="same")
        "valid",
        "Glorot",  # Glorot (and He): initialisers named after their authors, as in Keras
        # metrics and their notation: seed 000's confusion cells and p, the losses' abbreviations, and the English
        # names the glossary keeps in brackets so both terms are known: «Доля верных ответов (accuracy)»
        "TP",
        "TN",
        "FP",
        "FN",
        "TPR",
        "TNR",
        "MSE",
        "MAE",
        "RMSE",
        "F1",
        "accuracy",
        "precision",
        # the random seed: a setting students type as seed= in Keras and numpy
        "seed",
        # a data set's name
        "XOR",
    )
)
# Formulas: one or two letters, with digits or an index (x, xy, W1, db1, x1, y_true), and the functions the
# formulas name.
SYMBOL = re.compile(r"^[A-Za-z]{1,2}\d*$|^[A-Za-z]{1,3}\d+[A-Za-z]?$|^[a-z]_[a-z]+$")
MATHS = frozenset({"cos", "sin", "max"})
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’-]*")
# Not prose: page CSS, math between $, code spans, link targets, raw URLs, HTML tags, Markdown colours and icons,
# numbers in scientific notation (1e-05), and file extensions (.npz, .mat).
NOT_PROSE = re.compile(
    r"<style>.*?</style>|\$\$.*?\$\$|\$[^$\n]*\$|`[^`]*`|\]\([^)]*\)|(?:https?|tcp)://\S+|<[^>]+>|:material/[a-z_]+:"
    r"|:[a-z]+\[|\d+(?:[.,]\d+)?e[-+]?\d+|(?<![\w.])\.[a-z]{2,5}\b",
    re.DOTALL,
)
# Table columns whose values are names from the data, kept as the source spells them.
NAME_COLUMNS = frozenset(
    {"город", "имя"}
)  # GeoNames spells the cities (countries are CLDR's); students type their names


def _allowed(word: str) -> bool:
    word = word.strip("'’-_")
    if not word or word.lower() in ALLOWED or word in MATHS or SYMBOL.match(word):
        return True
    parts = [part for part in re.split(r"[-_]", word) if part]  # relu-BatchNorm-Dropout-64, scikit-learn
    return len(parts) > 1 and all(
        part.isdigit() or part.lower() in ALLOWED or part in MATHS or SYMBOL.match(part) for part in parts
    )


TEXT_FIELDS = frozenset(
    {"label", "body", "options", "help", "placeholder", "text", "caption", "content", "delta_description"}
)


def english(texts: Iterator[str]) -> dict[str, str]:
    """Latin words outside the allowlist, each with one text it was seen in."""
    found: dict[str, str] = {}
    for text in texts:
        for word in WORD.findall(NOT_PROSE.sub(" ", str(text))):
            if not _allowed(word):
                found.setdefault(word, str(text)[:160])
    return found


# --- what a page shows -------------------------------------------------------------------------------------


def _proto_texts(message: Message) -> Iterator[str]:
    for field, value in message.ListFields():
        if field.name in (
            "spec",
            "json",
            "arrow_data",
            "data",
            "columns",
            "code_text",
            "page",
            "icon",
            "id",
            "query_string",
            "default",
            "raw_values",
            "form_id",
            "css_class",
            "url",
        ):
            continue
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from _proto_texts(item)
            elif isinstance(item, str) and field.name in TEXT_FIELDS:
                yield item


def _nodes(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _table_texts(proto, frame: pd.DataFrame) -> Iterator[str]:
    config = json.loads(proto.columns) if getattr(proto, "columns", "") else {}
    for column in frame.columns:
        shown = config.get(str(column), {}).get("label") or column
        if shown is None or (isinstance(config.get(str(column)), dict) and config[str(column)].get("hidden")):
            continue
        yield str(shown)
        if str(shown) in NAME_COLUMNS:
            continue
        values = frame[column]
        if values.dtype == object or isinstance(values.dtype, pd.CategoricalDtype | pd.StringDtype):
            yield from (value for value in values.dropna().unique() if isinstance(value, str))


def visible_texts(at: AppTest) -> Iterator[str]:
    """Every text of the page a student can read: headings, prose, labels, options, tooltips, messages, tables."""
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind in ("latex", "code", "json", "exception") or proto is None or getattr(node, "key", None) == "lang":
            continue  # formulas, links, settings as data, and the language switch (bilingual: «Язык / Language»)
        if kind in ("arrow_data_frame", "dataframe", "table"):
            yield from _table_texts(proto, node.value)
            continue
        if kind == "deck_gl_json_chart":  # the map: its tooltip and the countries its points name
            deck = json.loads(proto.json)
            yield from _title(deck.get("tooltip", {}).get("text"))
            yield from {
                node["country"] for node in _walk(deck.get("layers", [])) if isinstance(node.get("country"), str)
            }
            continue
        if kind == "bidi_component":  # the live player draws its labels, panel and layer titles itself
            layout = json.loads(proto.json or "{}").get("layout") or {}
            yield from (v for v in (layout.get("labels") or {}).values() if isinstance(v, str))
            yield from (panel.get("title", "") for panel in layout.get("panels") or [])
            yield from (layout.get("network") or {}).get("titles", [])
            continue
        if kind in ("arrow_vega_lite_chart", "vega_lite_chart"):
            continue
        if isinstance(proto, Message):
            yield from _proto_texts(proto)


# --- what a chart shows ------------------------------------------------------------------------------------

CHANNELS = (
    "x",
    "y",
    "x2",
    "y2",
    "color",
    "fill",
    "stroke",
    "shape",
    "size",
    "opacity",
    "strokeDash",
    "column",
    "row",
    "facet",
    "theta",
    "radius",
    "text",
    "tooltip",
)
LEGENDS = ("color", "fill", "stroke", "shape", "strokeDash", "column", "row", "facet")


def _walk(node) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _title(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))
    elif isinstance(value, dict):
        yield from _title(value.get("text"))
        yield from _title(value.get("subtitle"))


def chart_texts(spec: dict, data: list[dict] | None = None) -> Iterator[str]:
    """Titles, axis and legend titles (a field without a title shows its own name), tooltip titles,
    legend and header values, and text marks' literal texts of a Vega-Lite spec (`data`: rows Streamlit
    sent beside the spec)."""
    datasets = [row for rows in spec.get("datasets", {}).values() for row in rows] + list(data or [])
    inline = [
        row
        for node in _walk(spec)
        if isinstance(node.get("data"), dict)
        for row in node["data"].get("values", [])
        if isinstance(row, dict)
    ]
    rows = datasets + inline
    for node in _walk(spec):
        if "title" in node and not isinstance(node.get("title"), (dict, list)) or isinstance(node.get("title"), list):
            yield from _title(node.get("title"))
        elif isinstance(node.get("title"), dict):
            yield from _title(node["title"])
        mark = node.get("mark")
        if isinstance(mark, dict) and isinstance(mark.get("text"), str):
            yield mark["text"]
        encoding = node.get("encoding")
        if not isinstance(encoding, dict):
            continue
        for channel in CHANNELS:
            definitions = encoding.get(channel)
            for definition in definitions if isinstance(definitions, list) else [definitions]:
                if not isinstance(definition, dict):
                    continue
                if channel == "text" and isinstance(definition.get("value"), str):
                    yield definition["value"]
                field = definition.get("field")
                if not isinstance(field, str):
                    continue
                hidden = (
                    definition.get("axis", 0) is None
                    or definition.get("legend", 0) is None
                    or definition.get("header", 0) is None
                )
                if "title" not in definition and not hidden and channel not in ("text", "opacity", "size"):
                    yield field  # Vega-Lite titles an untitled field by its name
                if channel in LEGENDS and not hidden and definition.get("type") in ("nominal", "ordinal"):
                    domain = (
                        definition.get("scale", {}).get("domain") if isinstance(definition.get("scale"), dict) else None
                    )
                    values = domain if isinstance(domain, list) else [row.get(field) for row in rows]
                    yield from {v for v in values if isinstance(v, str)}


def page_charts(at: AppTest) -> list[tuple[dict, list[dict]]]:
    """Each chart's spec and the rows of the data sets Streamlit sends beside it."""
    charts = []
    for chart in at.get("vega_lite_chart"):
        rows = [
            row
            for dataset in chart.proto.datasets
            for row in convert_arrow_bytes_to_pandas_df(dataset.data.data).to_dict("records")
        ]
        charts.append((json.loads(chart.proto.spec), rows))
    return charts


# --- the pages ---------------------------------------------------------------------------------------------

# Buttons pressed after the Step: the remedies' runs (comparison and history), seed 003's hand-written
# network (its traces and hidden-size multiples), seed 004's λ sweep.
AFTER_STEP = {
    "pages/6_Generalization.py": ("generalization.remedies_button",),
    "pages/5_Losses_and_backprop.py": ("losses.scratch_button",),
    "pages/3_Digits.py": ("digits.sweep_button",),
    "pages/1_Playground.py": ("playground.seeds_button",),
}
# page -> (link parameters that keep it quick, the key of its Step button or None)
PAGES = {
    "app.py": ({}, None),
    "pages/1_Playground.py": ({}, "playground"),
    "pages/2_World_map.py": ({}, "worldmap"),
    "pages/3_Digits.py": ({"samples": "300", "epochs": "2"}, "digits"),
    "pages/4_Optimizers.py": ({}, "optimizers"),
    "pages/5_Losses_and_backprop.py": ({}, None),
    "pages/6_Generalization.py": ({"epochs": "3"}, "generalization"),
    "pages/7_Runs.py": ({}, None),  # after two finished runs on the Playground: see russian_page
    "pages/9_Convolution.py": ({"samples": "1200", "epochs": "2"}, "conv"),
    "pages/8_Experiments.py": (
        {
            "dataset": "xor",
            "samples": "200",
            "hidden_layers": "4:tanh",
            "epochs": "5",
            "v.values.hidden_units": "2,8",
            "v.values.learning_rate": "0.03,0.3",
            "v.repeats": "1",
        },
        None,
    ),  # a 2×2 grid run to the end: see _experiments_page
}


@contextmanager
def russian_test_thread() -> Iterator[None]:
    """AppTest formats a selectbox's value in the test's own thread, which has no session: t() would answer in
    English there and the value would not be found among the Russian options. The test's thread answers in
    Russian, as the browser sends back what it shows."""
    from nnlab.ui import i18n

    session_language = i18n.language
    i18n.language = lambda: session_language() if get_script_run_ctx() is not None else "ru"
    try:
        yield
    finally:
        i18n.language = session_language


@cache
def russian_page(page: str) -> AppTest:
    query, step_key = PAGES[page]
    query = {**query, "lang": "ru"}
    with russian_test_thread():
        if page == "app.py":
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.query_params.update(query)
            return run(at)
        if page == "pages/7_Runs.py":
            return _runs_page(query)
        if page == "pages/8_Experiments.py":
            return _experiments_page(query)
        at = open_lab(page, query)
        if step_key is not None:
            at.button(key=f"{step_key}.step").click()
            run(at)
        for button in AFTER_STEP.get(page, ()):  # sections a button fills: their tables and charts too
            at.button(key=button).click()
            run(at)
    return at


def _experiments_page(query: dict[str, str], seconds: float = 180) -> AppTest:
    """The Experiments page with its small grid run to the end: the heat map and the best cell's curves show."""
    at = open_lab("pages/8_Experiments.py", query)
    at.button(key="experiments.run").click()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # AppTest never fires the page's timer: rerun until the grid is done
        state = run(at).session_state["experiments.grid_run"]
        if state["batch"] is not None and state["batch"].done:
            return run(at)
        time.sleep(0.5)
    raise AssertionError("the grid did not finish")


def _runs_page(query: dict[str, str]) -> AppTest:
    """The Runs page with two finished runs of two networks: its table, comparison and board all show."""
    at = open_lab("pages/1_Playground.py", {**query, "dataset": "circle", "hidden_layers": "", "epochs": "1"})
    at.button(key="playground.step").click()
    run(at)
    at.slider(key="playground.n_layers").set_value(1)
    run(at).button(key="playground.step").click()
    run(at)
    at.switch_page("pages/7_Runs.py")
    run(at)
    at.text_input(key="runs.name").input("Ada")
    next(b for b in at.get("button") if b.proto.is_form_submitter).click()  # the board's Submit
    return run(at)


@pytest.mark.parametrize("page", PAGES)
def test_a_russian_page_shows_no_english_words(page):
    at = russian_page(page)
    found = english(visible_texts(at))
    assert not found, "\n".join(f"{word}: {seen!r}" for word, seen in sorted(found.items()))


@pytest.mark.parametrize("page", PAGES)
def test_a_russian_pages_charts_show_no_english_words(page):
    at = russian_page(page)
    found = english(text for spec, data in page_charts(at) for text in chart_texts(spec, data))
    assert not found, "\n".join(f"{word}: {seen!r}" for word, seen in sorted(found.items()))


def test_the_sweep_sees_english_when_there_is_some():
    assert set(english(["Доля верных ответов, train/test", "ReLU и tanh, $x_1$", "`code here`"])) == {"train", "test"}
    spec = {
        "encoding": {"color": {"field": "optimizer", "type": "nominal"}},
        "data": {"values": [{"optimizer": "momentum"}]},
    }
    assert set(english(chart_texts(spec))) == {"optimizer", "momentum"}


# --- keys ------------------------------------------------------------------------------------------------------


def _used_keys() -> tuple[set[str], list[str]]:
    """Literal keys passed to t()/text() in nnlab/ui, pages and app.py; and the calls whose key is built at run time."""
    literal, built = set(), []
    files = [*sorted((ROOT / "nnlab" / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
                key = node.args[0]
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    literal.add(key.value)
                else:
                    built.append(f"{path.name}:{node.lineno}")
    return literal, built


def _declared_keys() -> set[str]:
    from nnlab.ui.keys import DYNAMIC_KEYS

    return set(DYNAMIC_KEYS)


def test_keys_built_at_run_time_are_declared():
    _, built = _used_keys()
    assert built, "the pages build keys at run time: nnlab.ui.keys must declare them"
    assert len(_declared_keys()) > 100


def test_every_key_the_pages_use_exists_in_both_languages_with_the_same_placeholders():
    literal, _ = _used_keys()
    keys = literal | _declared_keys()
    missing = {language: sorted(k for k in keys if k not in CATALOGUE[language]) for language in CATALOGUE}
    assert missing == {language: [] for language in CATALOGUE}
    differ = sorted(k for k in keys if placeholders(CATALOGUE["en"][k]) != placeholders(CATALOGUE["ru"][k]))
    assert not differ


def test_every_catalogue_key_has_the_same_placeholders_in_both_languages():
    english_keys, russian_keys = set(CATALOGUE["en"]), set(CATALOGUE["ru"])
    assert english_keys == russian_keys, (sorted(english_keys - russian_keys), sorted(russian_keys - english_keys))
    differ = sorted(k for k in english_keys if placeholders(CATALOGUE["en"][k]) != placeholders(CATALOGUE["ru"][k]))
    assert not differ


def test_every_country_of_the_shipped_table_has_a_russian_name():
    from nnlab.countries import country_name, iso_codes

    assert len(iso_codes()) > 200
    assert not [name for name in iso_codes() if re.search("[A-Za-z]", country_name(name, "ru"))]
    assert country_name("Ivory Coast", "ru") == "Кот-д’Ивуар" and country_name("Russia", "ru") == "Россия"
    assert country_name("Ivory Coast") == "Ivory Coast"  # English as the table spells it
    assert country_name("Atlantis", "ru") == "Atlantis"  # an uploaded file's own name stays


@pytest.mark.parametrize(
    ("page", "radio", "source"),
    [("pages/2_World_map.py", "worldmap.source", "upload"), ("pages/3_Digits.py", "digits.source", "mat")],
)
def test_the_upload_sections_speak_russian(page, radio, source):
    with russian_test_thread():
        at = open_lab(page, {"lang": "ru"})
        at.radio(key=radio).set_value(source)
        run(at)
    assert at.get("file_uploader"), "the upload section shows"
    found = english(visible_texts(at))
    assert not found, "\n".join(f"{word}: {seen!r}" for word, seen in sorted(found.items()))
