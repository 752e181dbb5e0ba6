"""The palette stays apart for colour-blind students, and it is the only place colours are written.

Colour blindness is simulated as Machado, Oliveira & Fernandes (2009) do, at severity 1.0
(dichromacy): a 3×3 matrix applied to linear RGB. Two colours count as distinct when their CIE76
ΔE (the distance in CIE Lab, D65 white) is at least MIN_DELTA_E for normal vision and for each of
deuteranopia, protanopia and tritanopia. The old map's TP green and FN red fail that test, which
shows the test can fail.
"""

from __future__ import annotations

import io
import itertools
import re
import tokenize
from pathlib import Path

import numpy as np
import pytest

from nnlab.viz import images, maps, palette

ROOT = Path(__file__).resolve().parents[1]

# Machado et al. 2009, severity 1.0, for linear RGB (the rows of the published matrices).
MACHADO = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
VISIONS = ("normal", *MACHADO)
# Colours closer than this are easy to confuse at a glance (ΔE ≈ 2.3 is "just noticeable"; the old
# TP/FN pair scored 7 for a deuteranope). The palette's closest simulated pair scores 16.
MIN_DELTA_E = 15.0
OLD_TP, OLD_FN = "#2ca02c", "#d62728"  # the world map's colours before issue 19
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_color: str) -> np.ndarray:
    encoded = np.array(palette.rgb(hex_color)) / 255
    return np.where(encoded <= 0.04045, encoded / 12.92, ((encoded + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ linear / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_color: str, vision: str) -> np.ndarray:
    """The colour's Lab as a dichromat of this kind sees it (clipped back into the display's gamut)."""
    linear = linear_rgb(hex_color)
    if vision != "normal":
        linear = np.clip(np.array(MACHADO[vision]) @ linear, 0, 1)
    return lab(linear)


def delta_e(a: str, b: str, vision: str) -> float:
    return float(np.linalg.norm(seen(a, vision) - seen(b, vision)))


def too_close(colors: dict[str, str]) -> list[str]:
    """Every pair (and vision) closer than MIN_DELTA_E, described for the failure message."""
    return [
        f"{x} {colors[x]} vs {y} {colors[y]} under {vision}: ΔE {delta_e(colors[x], colors[y], vision):.1f}"
        for x, y in itertools.combinations(colors, 2)
        for vision in VISIONS
        if delta_e(colors[x], colors[y], vision) < MIN_DELTA_E
    ]


def test_the_simulation_is_sound():
    # Grey stays grey (each matrix row sums to 1), and red and green collapse for a deuteranope.
    for vision in MACHADO:
        assert delta_e("#808080", "#808080", vision) == 0
        assert np.allclose(seen("#808080", vision), seen("#808080", "normal"), atol=0.5)
    assert delta_e("#ff0000", "#00ff00", "deuteranopia") < delta_e("#ff0000", "#00ff00", "normal") / 2
    assert delta_e("#000000", "#ffffff", "normal") == pytest.approx(100, abs=0.01)


def test_the_old_map_colours_fail_so_the_test_can_fail():
    assert delta_e(OLD_TP, OLD_FN, "normal") > MIN_DELTA_E
    assert delta_e(OLD_TP, OLD_FN, "deuteranopia") < MIN_DELTA_E
    assert too_close({"TP": OLD_TP, "FN": OLD_FN})


@pytest.mark.parametrize("n", range(2, palette.MAX_CLASSES + 1))
def test_class_colours_stay_apart(n):
    colors = palette.class_colors(n)
    assert len(colors) == len(set(colors)) == n
    assert too_close({f"class {i}": c for i, c in enumerate(colors)}) == []


def test_two_classes_keep_tf_playgrounds_orange_and_blue():
    assert palette.class_colors(2) == ["#f59322", "#0877bd"]
    assert palette.class_colors(3)[:2] == [palette.OKABE_ITO["orange"], palette.OKABE_ITO["blue"]]
    assert palette.DIVERGING == ("#f59322", "#ffffff", "#0877bd")
    # Still importable from where it used to live.
    assert images.class_colors is palette.class_colors and images.PALETTE[: palette.MAX_CLASSES] == palette.MANY_CLASSES


def test_more_classes_than_colours_is_refused():
    with pytest.raises(IndexError):
        palette.class_colors(palette.MAX_CLASSES + 1)


def test_outcome_colours_stay_apart_and_mistakes_have_a_second_cue():
    assert set(palette.OUTCOME_COLORS) == {"TP", "TN", "FP", "FN"}
    assert too_close(dict(palette.OUTCOME_COLORS)) == []
    assert palette.OUTCOME_OUTLINES["TP"] is None and palette.OUTCOME_OUTLINES["TN"] is None
    assert palette.OUTCOME_OUTLINES["FP"] and palette.OUTCOME_OUTLINES["FN"]
    # The map draws what the palette says: mistakes ringed and larger, hits plain.
    import pandas as pd

    predictions = pd.DataFrame(
        {
            "lng": [0.0] * 4,
            "lat": [0.0] * 4,
            "city": list("abcd"),
            "country": ["X"] * 4,
            "probability": [0.1, 0.9, 0.8, 0.2],
            "outcome": ["TN", "TP", "FP", "FN"],
        }
    )
    layers = {layer.id: layer for layer in maps.outcome_layers(predictions)}
    for name, color in palette.OUTCOME_COLORS.items():
        layer = layers[f"outcome-{name}"]
        assert tuple(layer.get_fill_color[:3]) == palette.rgb(color)
        assert layer.stroked == (name in ("FP", "FN"))
    assert min(maps.OUTCOME_SIZES["FP"], maps.OUTCOME_SIZES["FN"]) > max(
        maps.OUTCOME_SIZES["TP"], maps.OUTCOME_SIZES["TN"]
    )


def test_other_colour_sets_stay_apart():
    assert too_close(dict(palette.OPTIMIZER_COLORS)) == []
    assert too_close(dict(zip(("train", "test"), palette.train_test_colors()))) == []
    assert too_close({"negative": palette.NEGATIVE, "positive": palette.POSITIVE}) == []
    assert too_close({str(k): v for k, v in palette.LABEL_COLORS.items()}) == []
    # Train and test lines never wear a class's colour, and differ by dash as well.
    assert not set(palette.train_test_colors()) & (set(palette.class_colors(2)) | set(palette.MANY_CLASSES))
    assert palette.train_test_dashes()[0] != palette.train_test_dashes()[1]


# Colours that must stay written where they are, and why.
ALLOWED = {
    # The drawing canvas's ink and paper: the digit model reads white on black, like its training images.
    "nnlab/ui/digits_sections.py": {"#ffffff", "#000000"},
}
HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-zA-Z_])")


def colour_literals(path: Path) -> set[str]:
    """Hex colours written in the file's string literals (comments do not count)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    kinds = {tokenize.STRING} | ({tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set())
    return {match.lower() for token in tokens if token.type in kinds for match in HEX_COLOR.findall(token.string)}


def test_no_colour_is_written_outside_the_palette():
    found = {}
    for folder in ("nnlab/viz", "nnlab/ui"):
        for path in sorted((ROOT / folder).glob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative == "nnlab/viz/palette.py":
                continue
            extra = colour_literals(path) - ALLOWED.get(relative, set())
            if extra:
                found[relative] = sorted(extra)
    assert found == {}, f"use nnlab.viz.palette's names instead of colour literals: {found}"


def test_the_literal_finder_finds_literals():
    sample = ROOT / "nnlab" / "viz" / "palette.py"
    assert "#f59322" in colour_literals(sample) and "#e69f00" in colour_literals(sample)
