"""Repeat with 5 seeds: the page's settings trained from five initialisations, drawn as a band.

One run is an anecdote. The runs go through the server's sweep executor (nnlab.ui.run_all,
with its progress bar), on the very points the page shows; only the initial weights and the batch
order change (nnlab.seeds). The result is kept in the session with the settings it was made with,
so a later change of settings is pointed out rather than silently mixed in.
"""

from __future__ import annotations

import streamlit as st

from nnlab.seeds import (
    N_SEEDS,
    SeedSummary,
    band,
    init_seeds,
    seed_experiments,
    summary,
    train_from_seed,
)
from nnlab.spec import Experiment, train_size
from nnlab.ui.batch_runs import affordable, run_all
from nnlab.ui.chartview import show_chart
from nnlab.ui.i18n import chart_labels, number, t
from nnlab.viz.bands import band_chart


def seeds_section(page: str, experiment: Experiment, points=None) -> None:
    """An expander with the button that repeats the run from N_SEEDS seeds, then the band and the numbers.

    `points`: the raw points the page's lab trains on (`lab.points`: own points and clicks included);
    None makes them from the experiment, which is the same data for every generated dataset.
    """
    key = f"{page}.seeds"
    with st.expander(t("seeds_title", n=N_SEEDS), expanded=key in st.session_state, icon=":material/stacks:"):
        st.caption(t("seeds_text", n=N_SEEDS))
        if st.button(
            t("seeds_button", n=N_SEEDS),
            key=f"{page}.seeds_button",
            icon=":material/replay:",
            help=t("seeds_button_help", n=N_SEEDS),
        ):
            _run(page, experiment, points)
        result = st.session_state.get(key)
        if result is not None:
            _show(page, experiment, result)


def _examples_per_epoch(experiment: Experiment, points) -> int:
    if points is not None:
        return len(points.y_train)
    return train_size(experiment.data.samples, experiment.train.train_ratio)


def _run(page: str, experiment: Experiment, points) -> None:
    """Train the N_SEEDS runs through the executor (nothing when the work cap refuses; the last result is kept)."""
    if not affordable(experiment.train.epochs, _examples_per_epoch(experiment, points), N_SEEDS):
        return
    seeds = init_seeds(experiment)
    scores = run_all(
        train_from_seed,
        seed_experiments(experiment, N_SEEDS, points),
        label=lambda index: t("seeds_run_label", seed=seeds[index]),
    )
    if scores is not None:
        st.session_state[f"{page}.seeds"] = {"scores": scores, "seeds": seeds, "settings": experiment.to_dict()}


def _show(page: str, experiment: Experiment, result: dict) -> None:
    scores, seeds = result["scores"], result["seeds"]
    regression = any("r2" in score.metrics for score in scores)  # the lab's evaluate says what it measured
    if result["settings"] != experiment.to_dict():
        st.info(t("seeds_stale"), icon=":material/history:")
    show_chart(
        st,
        band_chart(band(scores), band_labels(regression), regression=regression),
        key=f"{page}.seeds_chart",
        width="content",
    )
    st.caption(t("seeds_chart_caption", n=len(scores)))
    facts = summary(scores)
    st.write(summary_text(facts, regression))
    if facts.finals:
        values = "; ".join(
            f"{seed} → {_written(score.history[-1][4], regression)}"
            for seed, score in zip(seeds, scores)
            if score.history
        )
        st.caption(t("seeds_each", values=values))
    if facts.stopped:
        epochs = ", ".join(number(epoch) for epoch in facts.stopped)
        st.warning(t("seeds_stopped", count=facts.diverged, epochs=epochs), icon="⚠️")
    if experiment.model.init == "zeros":
        st.caption(t("seeds_zeros"))


def band_labels(regression: bool = False) -> dict[str, str]:
    """The chart's words in the session's language: the curves' own, and the band's."""
    labels = {
        **chart_labels(),
        "mean": t("seeds_mean"),
        "low": t("seeds_low"),
        "high": t("seeds_high"),
        "runs": t("seeds_runs"),
    }
    if regression:
        labels["accuracy"] = t("seeds_score_axis")
    return labels


def summary_text(facts: SeedSummary, regression: bool = False) -> str:
    """The sentence under the band: mean ± standard deviation, lowest and highest final test score."""
    if not facts.finals:
        return t("seeds_no_final", runs=facts.runs)
    values = {name: _written(getattr(facts, name), regression) for name in ("mean", "std", "low", "high")}
    return t("seeds_summary_r2" if regression else "seeds_summary_accuracy", runs=len(facts.finals), **values)


def _written(value: float, regression: bool) -> str:
    """A score the session language's way: accuracy as a percentage, R² with three decimals."""
    return number(value, ".3f" if regression else ".1%")
