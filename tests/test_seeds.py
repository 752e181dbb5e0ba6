"""Repeat with 5 seeds: the runs, the band of their curves, the summary, the chart and the page section."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnlab.executor import LocalExecutor
from nnlab.labs import Score, train_and_score
from nnlab.presets import PRESETS
from nnlab.seeds import (
    BAND_COLUMNS,
    METRICS,
    N_SEEDS,
    band,
    init_seeds,
    run_seeds,
    seed_experiments,
    seeded_lab,
    summary,
)
from nnlab.ui.i18n import STRINGS
from nnlab.viz.bands import BAND_LABELS, band_chart, thinned

TINY = PRESETS["playground"].experiment.replace(samples=40, epochs=3, seed=7)


def score(rows, stopped=None, metrics=None) -> Score:
    """A synthetic run: `rows` are (train_loss, test_loss, train_accuracy, test_accuracy) per epoch from 1."""
    history = tuple((epoch, *map(float, row)) for epoch, row in enumerate(rows, start=1))
    return Score({}, metrics or {}, history, 10, 0.1, stopped)


# --- which runs ---------------------------------------------------------------------------------------------


def test_the_seeds_start_at_the_experiments_own_and_wrap_at_the_limit():
    assert init_seeds(TINY) == (7, 8, 9, 10, 11)
    assert init_seeds(TINY.replace(seed=2**31 - 2), 3) == (2**31 - 2, 2**31 - 1, 0)
    assert len(init_seeds(TINY)) == N_SEEDS == 5


def test_every_run_keeps_the_experiment_and_its_data_only_the_initial_seed_changes():
    calls = seed_experiments(TINY, 3)
    assert [(experiment, seed) for experiment, seed, _ in calls] == [(TINY, 7), (TINY, 8), (TINY, 9)]
    first, _ = seeded_lab(TINY, 7)
    other, _ = seeded_lab(TINY, 9)
    for name in ("x_train", "y_train", "x_test", "y_test"):  # the very same points, split the same way
        assert np.array_equal(getattr(first.trainer.data, name), getattr(other.trainer.data, name))
    assert first.experiment == other.experiment == TINY
    assert first.trainer.train_spec.seed == 7 and other.trainer.train_spec.seed == 9
    assert not np.allclose(
        first.trainer.model.get_layer("hidden_1").kernel.numpy(),
        other.trainer.model.get_layer("hidden_1").kernel.numpy(),
    )  # other initial weights


def test_the_page_points_give_the_same_lab_as_the_experiment_makes():
    made, _ = seeded_lab(TINY, 8)
    given, _ = seeded_lab(TINY, 8, made.points)
    assert np.array_equal(made.trainer.data.x_train, given.trainer.data.x_train)
    assert np.array_equal(
        made.trainer.model.get_layer("output").kernel.numpy(), given.trainer.model.get_layer("output").kernel.numpy()
    )


# --- the band -----------------------------------------------------------------------------------------------


def test_the_band_is_the_mean_min_and_max_of_each_metric_per_epoch():
    runs = [
        score([(1.0, 2.0, 0.5, 0.4), (0.8, 1.0, 0.6, 0.5)]),
        score([(3.0, 4.0, 0.7, 0.6), (0.2, 3.0, 0.8, 0.9)]),
        score([(2.0, 0.0, 0.6, 0.8), (0.5, 2.0, 0.7, 0.7)]),
    ]
    table = band(runs)
    assert list(table.columns) == list(BAND_COLUMNS)
    assert list(table["metric"].unique()) == list(METRICS)
    row = table[(table["metric"] == "train_loss") & (table["epoch"] == 1)].iloc[0]
    assert (row["mean"], row["low"], row["high"], row["runs"]) == (pytest.approx(2.0), 1.0, 3.0, 3)
    row = table[(table["metric"] == "test_accuracy") & (table["epoch"] == 2)].iloc[0]
    assert (row["mean"], row["low"], row["high"]) == (pytest.approx(0.7), 0.5, 0.9)
    assert len(table) == 2 * len(METRICS)


def test_a_run_that_diverged_only_counts_for_the_epochs_it_reached():
    runs = [score([(1.0, 1.0, 0.5, 0.5)] * 4), score([(3.0, 3.0, 0.9, 0.9)] * 2, stopped="diverged")]
    table = band(runs)
    loss = table[table["metric"] == "test_loss"].set_index("epoch")
    assert list(loss["runs"]) == [2, 2, 1, 1]
    assert list(loss["mean"]) == [2.0, 2.0, 1.0, 1.0]  # nothing carried forward after the divergence
    assert list(loss["high"]) == [3.0, 3.0, 1.0, 1.0]


def test_no_runs_give_an_empty_band():
    table = band([])
    assert table.empty and list(table.columns) == list(BAND_COLUMNS)


# --- the summary --------------------------------------------------------------------------------------------


def test_the_summary_is_the_final_test_accuracy_over_the_runs():
    finals = [0.80, 0.90, 0.95, 0.85, 1.00]
    facts = summary([score([(1, 1, 0.5, 0.5), (1, 1, 0.5, value)]) for value in finals])
    assert facts.runs == 5 and facts.finals == tuple(finals)
    assert facts.mean == pytest.approx(0.9)
    assert facts.std == pytest.approx(np.std(finals, ddof=1))
    assert (facts.low, facts.high, facts.stopped, facts.diverged) == (0.80, 1.00, (), 0)


def test_a_diverged_run_keeps_its_last_epoch_and_one_without_any_is_only_counted():
    facts = summary(
        [score([(1, 1, 0.5, 0.6)] * 3), score([(1, 1, 0.5, 0.4)], stopped="diverged"), score([], stopped="diverged")]
    )
    assert facts.runs == 3 and facts.finals == (0.6, 0.4)
    assert facts.stopped == (1, 0) and facts.diverged == 2
    lonely = summary([score([(1, 1, 0.5, 0.7)])])
    assert (lonely.mean, lonely.std) == (pytest.approx(0.7), 0.0)
    nothing = summary([score([], stopped="diverged")])
    assert nothing.finals == () and math.isnan(nothing.mean)


# --- the chart ----------------------------------------------------------------------------------------------


def layers_of(spec: dict) -> list[dict]:
    return [layer for panel in spec["hconcat"] for layer in panel["layer"]]


def test_the_chart_has_a_loss_and_an_accuracy_panel_each_a_band_under_a_mean_line():
    runs = [score([(1.0, 2.0, 0.5, 0.4), (0.8, 1.0, 0.6, 0.5)]), score([(3.0, 4.0, 0.7, 0.6), (0.2, 3.0, 0.8, 0.9)])]
    labels = {**BAND_LABELS, "loss": "потери", "train": "обучение", "test": "тест", "low": "минимум"}
    spec = band_chart(band(runs), labels).to_dict()
    assert [panel["title"] for panel in spec["hconcat"]] == ["потери", "accuracy"]
    marks = [layer["mark"]["type"] for layer in layers_of(spec)]
    assert marks == ["area", "area", "line"] * 2  # the train and test bands, then the mean lines
    train_band, test_band, line = spec["hconcat"][0]["layer"]
    assert train_band["encoding"]["y"]["field"] == "low" and train_band["encoding"]["y2"]["field"] == "high"
    assert [b["transform"][0]["filter"]["equal"] for b in (train_band, test_band)] == ["обучение", "тест"]
    assert "минимум" in [tip["title"] for tip in line["encoding"]["tooltip"]]
    assert line["encoding"]["color"]["title"] == line["encoding"]["strokeDash"]["title"]  # one legend
    assert spec["hconcat"][1]["layer"][2]["encoding"]["y"]["scale"]["domain"] == [0, 1]
    shown_sets = {row["set"] for rows in spec["datasets"].values() for row in rows}
    assert shown_sets == {"обучение", "тест"}  # the sets by the labels' words, nothing else


def test_regression_scores_may_fall_below_zero_and_long_runs_are_thinned():
    spec = band_chart(band([score([(1, 1, -0.5, -0.2)] * 3)]), regression=True).to_dict()
    assert "domain" not in spec["hconcat"][1]["layer"][2]["encoding"]["y"]["scale"]
    long = band([score([(1, 1, 0.5, 0.5)] * 2000)])
    assert long["epoch"].nunique() == 2000
    kept = thinned(long, 400)
    assert kept["epoch"].nunique() == 400 and {1, 2000} <= set(kept["epoch"])


# --- a real run through the sweep ---------------------------------------------------------------------------


def test_two_seeds_train_through_the_sweep_and_the_first_is_the_pages_own_run():
    executor = LocalExecutor()  # the pool the page's executor uses too: its workers import TensorFlow once
    results = dict(run_seeds(TINY, 2, executor))
    assert sorted(results) == [0, 1]
    first, second = results[0], results[1]
    assert isinstance(first, Score) and isinstance(second, Score)
    assert [s.settings["init_seed"] for s in (first, second)] == ["7", "8"]
    assert len(first.history) == len(second.history) == 3
    assert first.history != second.history  # other initial weights, other curves
    here = train_and_score(TINY)
    assert [row[4] for row in first.history] == pytest.approx([row[4] for row in here.history], abs=1e-6)
    facts = summary([first, second])
    assert facts.low <= facts.mean <= facts.high and facts.finals == (first.history[-1][4], second.history[-1][4])


# --- the page section ---------------------------------------------------------------------------------------


def seeds_page(settings: dict, language: str = "en") -> None:
    """A page with only the section, on the Playground preset changed by `settings`."""
    import streamlit as st

    from nnlab.presets import PRESETS
    from nnlab.ui.i18n import LANGUAGE_STATE
    from nnlab.ui.seed_bands import seeds_section

    st.session_state[LANGUAGE_STATE] = language
    settings = {**settings, **st.session_state.get("test.changed", {})}  # a setting changed after the runs
    seeds_section("playground", PRESETS["playground"].experiment.replace(**settings))


def open_section(settings: dict, language: str = "en") -> AppTest:
    at = AppTest.from_function(seeds_page, args=(settings, language), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def press(at: AppTest) -> AppTest:
    at.button(key="playground.seeds_button").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def pressed() -> AppTest:
    return press(open_section({"samples": 40, "epochs": 3}))


def test_the_button_trains_five_seeds_and_shows_the_band_and_the_numbers(pressed):
    from nnlab.ui.seed_bands import summary_text

    result = pressed.session_state["playground.seeds"]
    scores = result["scores"]
    assert result["seeds"] == (0, 1, 2, 3, 4) and len(scores) == 5
    assert all(len(s.history) == 3 for s in scores)
    assert len(pressed.get("vega_lite_chart")) + len(pressed.get("arrow_vega_lite_chart")) >= 1
    facts = summary(scores)
    finals = [s.history[-1][4] for s in scores]
    expected = (
        f"Final test accuracy over 5 runs: **{np.mean(finals):.1%} ± {np.std(finals, ddof=1):.1%}** "
        f"(mean ± standard deviation), from {min(finals):.1%} to {max(finals):.1%}."
    )
    shown = [m.value for m in pressed.markdown]
    assert expected in shown and summary_text(facts) == expected
    each = next(c.value for c in pressed.caption if c.value.startswith("Each run's final test value"))
    assert each.count("→") == 5 and f"0 → {finals[0]:.1%}" in each
    assert not pressed.warning  # nothing diverged


def test_the_button_has_a_tooltip_and_a_change_of_settings_is_pointed_out(pressed):
    assert pressed.button(key="playground.seeds_button").help
    assert not pressed.info  # the settings shown are the ones trained
    pressed.session_state["test.changed"] = {"epochs": 4}
    pressed.run()
    stale = STRINGS["seeds_stale"][0]
    assert [i.value for i in pressed.info] == [stale]
    assert pressed.session_state["playground.seeds"]["settings"]["epochs"] == "3"  # the old runs are still shown
    assert pressed.get("vega_lite_chart") or pressed.get("arrow_vega_lite_chart")


def test_russian_numbers_and_words():
    at = press(open_section({"samples": 40, "epochs": 2}, "ru"))
    finals = [s.history[-1][4] for s in at.session_state["playground.seeds"]["scores"]]
    text = next(m.value for m in at.markdown if m.value.startswith("Доля верных ответов"))
    assert "по 5 запускам" in text and "(среднее ± стандартное отклонение)" in text
    low = f"{min(finals) * 100:.1f}".replace(".", ",") + "\N{NO-BREAK SPACE}%"
    assert f"от {low}" in text
    assert at.button(key="playground.seeds_button").label == "Повторить с 5 зёрнами"
    from tests.test_russian_text import chart_texts, english, page_charts, visible_texts

    assert not english(visible_texts(at))
    assert not english(text for spec, data in page_charts(at) for text in chart_texts(spec, data))


def test_regression_is_summarised_by_its_r2():
    at = press(open_section({"dataset": "plane", "samples": 40, "epochs": 3}))
    scores = at.session_state["playground.seeds"]["scores"]
    assert all("r2" in s.metrics for s in scores)
    finals = [s.history[-1][4] for s in scores]
    text = next(m.value for m in at.markdown if m.value.startswith("Final test R²"))
    assert f"from {min(finals):.3f} to {max(finals):.3f}" in text
    panels = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")[:2]]  # side by side, a chart each
    assert [panel["title"] for panel in panels] == ["loss", "R²"]


def test_zero_initial_weights_are_the_same_for_every_seed_and_the_page_says_so():
    at = press(open_section({"samples": 40, "epochs": 2, "init": "zeros"}))
    assert any(c.value.startswith("With zero initialisation every weight starts at zero") for c in at.caption)


def test_a_request_over_the_work_cap_is_refused_with_a_message_and_trains_nothing():
    at = press(open_section({"samples": 400, "epochs": 100_000}))
    assert "playground.seeds" not in at.session_state
    assert any("Not started" in e.value for e in at.error)


def test_a_diverging_setting_says_which_runs_stopped():
    at = press(
        open_section(
            {"samples": 40, "epochs": 30, "learning_rate": 10.0, "optimizer": "sgd", "hidden_layers": "8:relu,8:relu"}
        )
    )
    scores = at.session_state["playground.seeds"]["scores"]
    stopped = [s for s in scores if s.stopped]
    assert stopped and all(len(s.history) < 30 for s in stopped)
    warning = at.warning[0].value
    assert "stopped early because training diverged" in warning
    assert str(len(stopped)) in warning
