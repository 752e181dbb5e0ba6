"""A student drags every control to anywhere, its ends included, and presses Step: no page may crash.

Hypothesis draws a value for each widget a page shows (sliders and number inputs at either end or
in between, any option of a select box, switches, any subset of input features), twice so that
widgets which appear only after the first change (a sixth layer's size) are reached too; then it
presses Step. Clear messages (st.error, st.warning) are allowed; an exception element is not.
"""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as hs

from nnlab import spec
from nnlab.errors import LabError
from nnlab.spec import FEATURES
from nnlab.ui import loaders
from nnlab.ui.controls import LEARNING_RATES, POSITIVE_WEIGHTS, PROBLEMS, REGULARIZATION_RATES
from nnlab.ui.i18n import LANGUAGE_KEY, LANGUAGES
from tests.pagetools import open_lab

PAGES = {
    "pages/1_Playground.py": "playground",
    "pages/2_World_map.py": "worldmap",
    "pages/3_Digits.py": "digits",
    "pages/4_Optimizers.py": "optimizers",
    "pages/5_Losses_and_backprop.py": None,
    "pages/6_Generalization.py": "generalization",
    "pages/7_Runs.py": None,
    "pages/8_Experiments.py": None,  # its grid is not started: runs would outlive the test in the worker pool
    "pages/9_Convolution.py": "conv",
}
# Select sliders whose raw options the test knows (AppTest sets them by value, not by label).
SELECT_SLIDER_OPTIONS = {
    "learning_rate": LEARNING_RATES,
    "regularization_rate": REGULARIZATION_RATES,
    "positive_weight": POSITIVE_WEIGHTS,
}
# Raw values a select box may hold: AppTest selects by value, and the page shows formatted labels.
RAW_CANDIDATES = (
    *spec.DATASETS,
    *spec.ACTIVATIONS,
    *spec.OPTIMIZERS,
    *spec.REGULARIZATIONS,
    *spec.LOSSES,
    *spec.INITIALIZERS,
    *spec.LR_SCHEDULES,
    *spec.PADDINGS,
    *PROBLEMS,
    *LANGUAGES,
    "regularization_rate",
    "dropout",
    "train_ratio",
    "hidden_units",
    *range(60),
)
EXAMPLES = int(os.environ.get("NNLAB_FUZZ_EXAMPLES", "4"))  # per page; raise it for a deeper search
RANDOM = bool(os.environ.get("NNLAB_FUZZ_RANDOM"))  # fresh examples each run instead of CI's fixed ones
STEP_LIMIT = 2  # widgets reached in the first pass may reveal others (more layers): a second pass


def numeric_value(data, widget):
    """An end of the widget's range, or a value on its step grid in between."""
    low, high, step = widget.min, widget.max, widget.step or 1
    if isinstance(low, int) and isinstance(high, int) and isinstance(step, int):
        return data.draw(hs.one_of(hs.sampled_from([low, high]), hs.integers(low, high)))
    ticks = int(math.floor((high - low) / step + 1e-9))
    return round(low + step * data.draw(hs.one_of(hs.sampled_from([0, ticks]), hs.integers(0, ticks))), 10)


def raw_options(select) -> list:
    """The values behind a select box's labels (labels that are their own values included)."""

    def label(value):
        try:
            return select.format_func(value)
        except Exception:  # a format function meant for other values
            return None  # never an option: labels are strings

    candidates = [*RAW_CANDIDATES, *select.options]
    return [value for value in dict.fromkeys(candidates) if label(value) in select.options]


def change_widgets(at, data) -> None:
    """Give every (enabled) widget on the page a drawn value, or leave it (also drawn)."""
    for slider in at.slider:
        if not slider.disabled and not isinstance(slider.value, tuple) and data.draw(hs.booleans()):
            slider.set_value(numeric_value(data, slider))
    for number in at.number_input:
        if not number.disabled and number.min is not None and number.max is not None and data.draw(hs.booleans()):
            number.set_value(numeric_value(data, number))
    for select in at.selectbox:
        if select.key == LANGUAGE_KEY:  # relabels every option mid-pass; each language is tested on its own
            continue
        values = raw_options(select)
        if not select.disabled and values and data.draw(hs.booleans()):
            select.set_value(data.draw(hs.sampled_from(values)))
    for radio in at.radio:
        values = raw_options(radio)
        if not radio.disabled and values and data.draw(hs.booleans()):
            radio.set_value(data.draw(hs.sampled_from(values)))
    for select in at.select_slider:
        options = SELECT_SLIDER_OPTIONS.get((select.key or "").split(".")[-1])
        if options and not select.disabled and data.draw(hs.booleans()):
            select.set_value(data.draw(hs.sampled_from(options)))
    for switch in [*at.checkbox, *at.toggle]:
        if not switch.disabled and (switch.key or "").split(".")[-1] != "tensorboard" and data.draw(hs.booleans()):
            switch.set_value(data.draw(hs.booleans()))
    for multiselect in at.multiselect:
        if (multiselect.key or "").endswith(".features") and data.draw(hs.booleans()):
            multiselect.set_value(data.draw(hs.lists(hs.sampled_from(FEATURES), unique=True, max_size=len(FEATURES))))


@pytest.fixture(autouse=True)
def no_cifar_download(monkeypatch):
    """Choosing CIFAR-10 on the Convolution page must not start a 170 MB download in a test: it fails as it does
    offline (the page then says so and goes back to the digits)."""

    def offline():
        raise LabError("error_mnist_offline")

    monkeypatch.setattr(loaders, "shipped_cifar10", offline)


def assert_no_exception(at, what: str) -> None:
    assert not at.exception, f"{what}: {[e.value for e in at.exception]}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.split("_", 1)[1].removesuffix(".py"))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=hs.data())
def test_any_widget_values_then_step_never_crash_the_page(page, data):
    at = open_lab(page)
    for attempt in range(STEP_LIMIT):
        change_widgets(at, data)
        at.run()
        assert_no_exception(at, f"after pass {attempt + 1}")
    step = f"{PAGES[page]}.step"
    if step in {button.key for button in at.button}:  # no Step when the settings cannot build a model
        at.button(key=step).click()
        at.run()
        assert_no_exception(at, "after Step")


def test_the_fuzzer_reaches_every_parity_control():
    """The problem switch, the initialisation and the schedule (issue 19) are among the widgets drawn above:
    each offers raw values the test can set, so a hostile value reaches the page like any other."""
    at = open_lab("pages/1_Playground.py")
    widgets = {w.key.split(".")[-1]: w for w in [*at.selectbox, *at.radio] if w.key}
    for name, values in (("problem", PROBLEMS), ("init", spec.INITIALIZERS), ("lr_schedule", spec.LR_SCHEDULES)):
        assert set(raw_options(widgets[name])) == set(values), name
