"""Library errors a Russian student can read (issue 18): errors carry a catalogue key and values.

Every error key the library uses exists in both languages with the same placeholders; no student-facing
module raises an English sentence any more; the English `str()` of an error is what it always was (the
command line prints it); and a bad upload on a Russian page is explained in Russian.
"""

from __future__ import annotations

import ast
import io
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
import scipy.io
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.testing.v1 import AppTest

from nnlab.catalogue import CATALOGUE, placeholders
from nnlab.data.cities import read_cities
from nnlab.data.digits import read_mat
from nnlab.errors import LabError, Phrase
from nnlab.executor import Failed, _call
from nnlab.runfile import read_run_file
from nnlab.spec import DataSpec, Experiment, ModelSpec, SpecError, parse_assignment
from nnlab.ui import i18n
from tests.pagetools import ROOT, open_lab, run

LIBRARY = ROOT / "nnlab"
ERRORS_FILE = "errors.toml"
# Errors that are not a student's to fix, and stay English: a programmer calling the library wrongly
# (scratch, compiled, a message value named like the catalogue's arguments in errors), a translator's
# broken file (catalogue), a lesson plan's own data (lessonplan).
ENGLISH_ONLY = frozenset({"scratch.py", "compiled.py", "catalogue.py", "lessonplan.py", "errors.py"})
KEY = re.compile(r"error_[a-z0-9_]+")


def library_files() -> list[Path]:
    return sorted(path for path in LIBRARY.rglob("*.py") if "ui" not in path.relative_to(LIBRARY).parts[:1])


def keys_in_code() -> dict[str, str]:
    """Every string constant in the library (not nnlab/ui) that is an error key, with the file it is in.

    Keys built at run time must be written out whole somewhere (e.g. spec.SETTING_NAMES), so this finds them."""
    found = {}
    for path in library_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY.fullmatch(node.value):
                found.setdefault(node.value, str(path.relative_to(ROOT)))
    return found


def keys_in_errors_file(language: str) -> set[str]:
    import tomllib

    with (LIBRARY / "locales" / language / ERRORS_FILE).open("rb") as file:
        return set(tomllib.load(file))


def test_every_error_key_in_the_code_exists_in_both_languages_with_the_same_placeholders():
    used = keys_in_code()
    assert len(used) > 100  # the scan finds them at all
    problems = []
    for key, where in used.items():
        if key not in CATALOGUE["en"] or key not in CATALOGUE["ru"]:
            problems.append(
                f"{key} ({where}) missing in {[lang for lang in ('en', 'ru') if key not in CATALOGUE[lang]]}"
            )
        elif placeholders(CATALOGUE["en"][key]) != placeholders(CATALOGUE["ru"][key]):
            problems.append(f"{key}: {placeholders(CATALOGUE['en'][key])} vs {placeholders(CATALOGUE['ru'][key])}")
    assert not problems, problems


def test_the_errors_files_hold_the_same_keys_and_every_one_is_used():
    english, russian = keys_in_errors_file("en"), keys_in_errors_file("ru")
    assert english == russian, english ^ russian
    assert all(KEY.fullmatch(key) for key in english)
    assert english - keys_in_code().keys() == set()  # no text left over from a message that is gone


def test_no_student_facing_module_raises_an_english_sentence():
    """A `raise` whose message is written in the code (an f-string or a sentence) must be a key instead."""
    sentences = []
    for path in library_files():
        if path.name in ENGLISH_ONLY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                first = node.exc.args[0]
                if isinstance(first, ast.JoinedStr) or (
                    isinstance(first, ast.Constant) and isinstance(first.value, str) and " " in first.value
                ):
                    sentences.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not sentences, sentences


def test_every_russian_error_text_is_written_in_russian():
    def words(text: str) -> str:
        return re.sub(r"\{[^}]*\}", " ", text)  # without its placeholders

    untranslated = [
        key
        for key in keys_in_errors_file("ru")
        if CATALOGUE["ru"][key] == CATALOGUE["en"][key]
        or not re.search("[а-яё]", words(CATALOGUE["ru"][key]), re.IGNORECASE)
        and re.search("[a-z]", words(CATALOGUE["en"][key]), re.IGNORECASE)
    ]
    assert not untranslated, untranslated


# --- the English message is what it was before the keys ---------------------------------------------------


def mat(**variables) -> io.BytesIO:
    buffer = io.BytesIO()
    scipy.io.savemat(buffer, variables)
    return io.BytesIO(buffer.getvalue())


def digit_images(count: int = 20) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((count, 400)), (np.arange(count) % 10 + 1).reshape(-1, 1)


ENGLISH = {
    "range": (lambda: Experiment.from_dict({"noise": "3.5"}), "The noise must be between 0 and 1 (got 3.5)."),
    "choice": (
        lambda: Experiment.from_dict({"hidden_layers": "4:foo"}),
        "Unknown activation 'foo'. Choose one of: relu, tanh, sigmoid, linear, elu, softplus.",
    ),
    "no features": (lambda: ModelSpec(features=()), "Pick at least one input feature."),
    "samples": (lambda: DataSpec(samples=5), "Samples must be between 10 and 70,000 (got 5)."),
    "learning rate": (
        lambda: Experiment.from_dict({"learning_rate": "0"}),
        "Learning rate must be above 0 and at most 10 (got 0): with 0 the weights never change.",
    ),
    "cannot read": (
        lambda: Experiment.from_dict({"samples": "many"}),
        "Cannot read samples='many': expected a whole number.",
    ),
    "batch": (
        lambda: Experiment.from_dict({"samples": "20", "batch_size": "50"}),
        "Batch size 50 is larger than the training set (10 points). Use at most 10, or add samples.",
    ),
    "assignment": (lambda: parse_assignment("noise"), "Expected key=value, got 'noise'."),
    "missing columns": (
        lambda: read_cities(io.BytesIO("город;население\nМосква;13\n".encode())),
        (
            "Missing columns: latitude (lat), longitude (lng), country (or a 0/1 label). The file's "
            'columns are: "город", "население". Name them in the first row, e.g. lat,lng,country, and '
            "separate values with commas or semicolons."
        ),
    ),
    "latitude": (
        lambda: read_cities(io.BytesIO(b"lat,lng,country\n55.75,37.62,Russia\n95.5,10,Japan\n")),
        'Latitude must be between -90 and 90, but row 3 of column "lat" is 95.5.',
    ),
    "empty cell": (
        lambda: read_cities(io.BytesIO(b"lat,lng,country\n55.75,,Russia\n1,10,Japan\n")),
        'Column "lng" must hold a number in every row, but row 2 is empty.',
    ),
    "bias column": (
        lambda: read_mat(mat(X=np.ones((5, 401)), y=np.ones((5, 1)))),
        (
            "X has 401 columns, but each row must be one square image: 400 for 20×20 as in seed 004, 64 for "
            "8×8, 784 for 28×28 (sides 4 to 64). Did you add a column of ones for the bias? Remove it (400 "
            "columns)."
        ),
    ),
    "y count": (
        lambda: read_mat(mat(X=digit_images()[0], y=digit_images()[1][:19])),
        "X has 20 images but y has 19 labels: they must have one per image.",
    ),
    "no variable": (
        lambda: read_mat(mat(images=digit_images()[0], y=digit_images()[1])),
        'The file has no variable "X" (the images, one per row). Its variables are: "images", "y".',
    ),
    "run file": (
        lambda: read_run_file(b"not a zip"),
        "This is not a run exported by NN Lab (an .npz file from the Export panel).",
    ),
}


@pytest.mark.parametrize("call, message", ENGLISH.values(), ids=ENGLISH.keys())
def test_the_english_message_is_unchanged(call, message):
    with pytest.raises(ValueError) as caught:
        call()
    assert str(caught.value) == message
    assert isinstance(caught.value, LabError) and caught.value.message("en") == message


def test_an_error_keeps_its_type_key_and_numbers_and_survives_pickling():
    with pytest.raises(SpecError) as caught:
        Experiment.from_dict({"noise": "3.5"})
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, LabError)
    assert error.key == "error_out_of_range" and error.params["got"] == 3.5 and error.params["high"] == 1.0
    assert error.params["what"] == Phrase("error_term_noise")  # a setting's name, translated with the message
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is SpecError and copy.key == error.key and str(copy) == str(error)
    with pytest.raises(TypeError):
        LabError("error_no_features", key="x")  # would clash with the catalogue's own argument


def test_an_error_in_a_worker_comes_back_as_itself():
    failed = pickle.loads(pickle.dumps(_call(Experiment.from_dict, ({"noise": "3.5"},))))  # as from a worker process
    assert isinstance(failed, Failed) and failed.message.startswith("SpecError: The noise must be")
    assert failed.error.message("ru") == "Настройка «шум» должна быть от 0 до 1 (сейчас 3,5)."
    assert _call(int, ("x",)).error is None  # not a student's error: only the message


def test_russian_messages_translate_names_and_write_numbers_the_russian_way():
    with pytest.raises(SpecError) as caught:
        Experiment.from_dict({"noise": "3.5"})
    assert caught.value.message("ru") == "Настройка «шум» должна быть от 0 до 1 (сейчас 3,5)."
    with pytest.raises(SpecError) as caught:
        DataSpec(samples=5)
    assert (
        caught.value.message("ru").replace("\N{NO-BREAK SPACE}", " ")
        == "Число точек должно быть от 10 до 70 000 (сейчас 5)."
    )
    nested = LabError("error_run_bad_settings", error=caught.value)
    assert nested.message("ru").startswith("Настройки запуска неверны. Число точек")
    assert str(nested).startswith("The run's settings are not valid. Samples must be")
    with pytest.raises(LabError) as caught:
        read_cities(io.BytesIO("город;население\nМосква;13\n".encode()))
    assert caught.value.message("ru").startswith(
        "Не хватает столбцов: широта (lat), долгота (lng), страна (или метка 0/1). В файле есть столбцы: "
        "«город», «население»."
    )


# --- a Russian page explains a bad upload in Russian -------------------------------------------------------

# Latin words a Russian error may show: formats and data sets, and names the student must type literally
# (the cities' header names, the .mat file's variables).
ALLOWED = frozenset({"CSV", "UTF", "Excel", "GeoNames", "MNIST", "MATLAB", "Octave", "lat", "lng", "country", "X", "y"})


def latin_words(message: str) -> set[str]:
    return {word for word in re.findall(r"[A-Za-z]+", message) if word not in ALLOWED}


@pytest.fixture
def russian_page(monkeypatch):
    """Open a page in Russian. AppTest formats a radio's value in the test's own thread, which has no session:
    t() would answer in English there and miss the Russian options, so that thread answers in Russian too."""
    session_language = i18n.language
    monkeypatch.setattr(i18n, "language", lambda: session_language() if get_script_run_ctx() is not None else "ru")
    return lambda page: open_lab(page, {"lang": "ru"})


BAD_CITIES = {
    "latitude": b"lat,lng,country\n55.75,37.62,Russia\n95,10,Japan\n",
    "empty": b"",
    "columns": "город;население\nМосква;13\n".encode(),
    "one country": b"lat,lng,country\n55.75,37.62,Russia\n59.9,30.3,Russia\n",
}


@pytest.mark.parametrize("content", BAD_CITIES.values(), ids=BAD_CITIES.keys())
def test_a_bad_city_table_is_explained_in_russian(russian_page, content):
    at = russian_page("pages/2_World_map.py")
    at.radio(key="worldmap.source").set_value("upload")
    run(at)
    at.file_uploader(key="worldmap.upload").set_value([("bad.csv", content, "text/csv")])
    run(at)
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and messages[0].startswith("Этот файл не подходит. "), messages
    assert not latin_words(messages[0].replace("Russia", "")), messages[0]  # the country is the file's own data


BAD_MATS = {
    "one digit": lambda: mat(X=digit_images()[0], y=np.full((20, 1), 7)),
    "y count": lambda: mat(X=digit_images()[0], y=digit_images()[1][:19]),
    "bias column": lambda: mat(X=np.ones((5, 401)), y=np.ones((5, 1))),
}


@pytest.mark.parametrize("make", BAD_MATS.values(), ids=BAD_MATS.keys())
def test_a_bad_digits_upload_is_explained_in_russian(russian_page, make):
    at = russian_page("pages/3_Digits.py")
    at.radio(key="digits.source").set_value("mat")
    run(at)
    at.file_uploader(key="digits.upload").set_value([("bad.mat", make().getvalue(), "application/octet-stream")])
    run(at)
    messages = [e.value for e in at.error]
    assert len(messages) == 1 and messages[0].startswith("Этот файл не подходит. "), messages
    assert not latin_words(messages[0]), messages[0]


def test_a_bad_link_is_explained_in_russian():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update({"lang": "ru", "noise": "3.5", "dataset": "spiral", "samples": "200"})
    at.switch_page("pages/1_Playground.py")
    run(at)
    warnings = [w.value for w in at.warning]
    assert any("Настройка «шум» должна быть от 0 до 1 (сейчас 3,5)" in w for w in warnings), warnings
    # The rest of the link is the teacher's lesson: it is applied, not lost with the one bad setting.
    assert at.selectbox(key="playground.dataset").value == "spiral" and at.slider(key="playground.samples").value == 200
