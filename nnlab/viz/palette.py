"""NN Lab's one source of colours, chosen so colour-blind students can still tell things apart.

About one boy in twelve has a red–green deficiency: the old palette's TP green and FN red, and
its third and fifth class colours, looked alike to them. So categories here come from Okabe and
Ito's palette (designed to stay apart under deuteranopia, protanopia and tritanopia), two
classes and signed values keep TF Playground's orange and blue (a pair that is safe too), and
the map keeps a second cue beside colour (mistakes are larger and ringed). tests/test_palette.py
simulates the three deficiencies (Machado et al. 2009) and checks every set stays apart.

Colours are hex strings; `rgb(hex)` gives the (r, g, b) that pydeck and numpy want.
Nothing else in nnlab/viz or nnlab/ui writes a colour literal: they use these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

# Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct for the common
# colour-vision deficiencies.
OKABE_ITO = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
)

# TF Playground's orange and blue: class 0 / class 1 with two classes, negative / positive values.
TF_ORANGE = "#f59322"
TF_BLUE = "#0877bd"

# Neutrals: page, ink, and the greys of frames, gaps and muted marks.
WHITE = "#ffffff"
INK = "#111111"  # near-black: test-point rings, outlines of the map's mistakes
TEXT = "#222222"  # dark text on light cells
DARK_GREY = "#333333"
MID_GREY = "#555555"
CURVE_GREY = "#777777"  # the training curve (TF Playground's)
BORDER_GREY = "#5a5a5a"  # country borders on the map
FRAME_GREY = "#9e9e9e"  # a neuron's frame in the network diagram
MUTED = "#b0b0b0"  # bars that are not the answer
GAP_GREY = "#bebebe"  # the gaps between tiles of a mosaic
LAND = "#ebebeb"  # the map's faint land fill (drawn translucent)
ACCENT = OKABE_ITO["reddish_purple"]  # one highlighted series that is neither class nor sign

# The Optimizers page's loss landscape, low to high: greys only, under the optimizers' coloured paths.
LOSS_SHADES = ("#ffffff", "#ededed", "#d9d9d9", "#c4c4c4", "#adadad", "#969696")

POSITIVE, NEGATIVE = TF_BLUE, TF_ORANGE
DIVERGING = (NEGATIVE, WHITE, POSITIVE)  # negative, zero, positive: regression values, weights, neuron maps

TWO_CLASSES = (TF_ORANGE, TF_BLUE)
# Three to six classes: orange and blue stay first (as with two classes), then the colours that keep
# the smallest simulated difference largest for every prefix; yellow is left out (too pale on white).
MANY_CLASSES = tuple(
    OKABE_ITO[name] for name in ("orange", "blue", "sky_blue", "vermillion", "reddish_purple", "bluish_green")
)
MAX_CLASSES = len(MANY_CLASSES)

# The world map's outcomes. Hits are plain dots; mistakes are larger and ringed, so they
# read apart from hits even without colour. TN recedes (sky blue, the many "elsewhere" cities), TP is
# bluish green (the seed's green, safe), FN vermillion (a missed city) and FP yellow (a false alarm,
# bright on the violet surface where every FP lies).
OUTCOME_COLORS = MappingProxyType(
    {
        "TN": OKABE_ITO["sky_blue"],
        "TP": OKABE_ITO["bluish_green"],
        "FP": OKABE_ITO["yellow"],
        "FN": OKABE_ITO["vermillion"],
    }
)
# The rings differ too: FN (few, the misses that matter) in near-black, FP in a dark amber, lighter than black so
# that many false alarms do not turn a continent black, and apart from its yellow fill, from FN's ring and from
# the violet surface under it for every colour vision (tests/test_worldmap.py).
FP_RING = "#7a5200"
OUTCOME_OUTLINES = MappingProxyType({"TN": None, "TP": None, "FP": FP_RING, "FN": INK})
# The truth view (every city by its label) uses the hits' colours: elsewhere as TN, in the country as TP.
LABEL_COLORS = MappingProxyType({0: OUTCOME_COLORS["TN"], 1: OUTCOME_COLORS["TP"]})
SURFACE = "#9467bd"  # violet: the area the model calls "in the country" (translucent, under the dots)


@dataclass(frozen=True)
class LineStyle:
    """How a series is drawn: a colour and a Vega-Lite stroke dash (dash, gap in pixels; (1, 0) = solid)."""

    color: str
    dash: tuple[int, int]


# Loss and accuracy curves, as TF Playground draws them: train grey, test black (the one that matters),
# plus a dash as second cue. No hue at all, so a curve never wears a class's colour from the same page.
TRAIN_TEST = MappingProxyType({"train": LineStyle(CURVE_GREY, (1, 0)), "test": LineStyle(OKABE_ITO["black"], (5, 3))})
# Boundary points: the ring says which set a point belongs to (its fill is its class).
POINT_RINGS = MappingProxyType({"train": WHITE, "test": INK})

# The optimizer race: momentum and Nesterov as two blues (one family), plain SGD black.
OPTIMIZER_COLORS = MappingProxyType(
    {
        "sgd": OKABE_ITO["black"],
        "momentum": OKABE_ITO["blue"],
        "nesterov": OKABE_ITO["sky_blue"],
        "adagrad": OKABE_ITO["reddish_purple"],
        "rmsprop": OKABE_ITO["orange"],
        "adam": OKABE_ITO["vermillion"],
    }
)


def class_colors(n_classes: int) -> list[str]:
    """Hex colour per class: TF Playground's orange and blue for two, Okabe–Ito for three to six.

    More than six classes have no colour that stays apart from the others, so that is refused
    rather than drawn with repeated colours (the toy datasets allow 2 to 6).
    """
    if n_classes < 0 or n_classes > MAX_CLASSES:
        raise IndexError(n_classes)  # a programming error: specs and uploads stop at MAX_CLASSES classes
    return list(TWO_CLASSES[:n_classes] if n_classes <= 2 else MANY_CLASSES[:n_classes])


def train_test_colors() -> list[str]:
    """[train, test] colours, for a Vega-Lite scale's range."""
    return [TRAIN_TEST["train"].color, TRAIN_TEST["test"].color]


def train_test_dashes() -> list[list[int]]:
    """[train, test] stroke dashes, for a Vega-Lite strokeDash scale's range."""
    return [list(TRAIN_TEST["train"].dash), list(TRAIN_TEST["test"].dash)]


def rgb(hex_color: str) -> tuple[int, int, int]:
    """(r, g, b) 0–255 of '#rrggbb': what pydeck layers and numpy rasters take."""
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))


def rgba(hex_color: str, alpha: int = 255) -> tuple[int, int, int, int]:
    """(r, g, b, a) 0–255: a pydeck colour with its opacity."""
    return (*rgb(hex_color), alpha)


def cell_ink(low: str, high: str, share: float) -> str:
    """Black or white text for a cell coloured `share` (0–1) of the way from `low` to `high` (Vega-Lite's
    "rgb" interpolation): whichever has the higher WCAG contrast with the cell."""
    share = min(1.0, max(0.0, share))
    channels = [a + (b - a) * share for a, b in zip(rgb(low), rgb(high))]
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return WHITE if (1.05 / (luminance + 0.05)) > ((luminance + 0.05) / 0.05) else INK
