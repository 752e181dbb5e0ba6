"""pydeck maps that need no network: shipped borders, the model's surface as one image, cities as dots.

`map_provider=None` means no basemap tiles and no requests; borders come from
`data/countries.geojson`. Cities go out as rounded lng/lat in one layer per outcome with a
constant colour, which keeps tens of thousands of points to a couple of megabytes.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import pydeck as pdk

from nnlab.viz import palette
from nnlab.viz.images import png_data_url

BORDERS_FILE = Path(__file__).resolve().parents[2] / "data" / "countries.geojson"
# Seed 000 coloured TN blue, TP green, FN red, FP black; its green and red look alike to one boy in
# twelve, so the colours come from nnlab.viz.palette (Okabe–Ito) and mistakes also get a ring.
OUTCOME_ALPHA = MappingProxyType({"TN": 170, "TP": 255, "FP": 255, "FN": 255})  # the many TN recede
OUTCOME_COLORS = MappingProxyType(
    {name: palette.rgba(color, OUTCOME_ALPHA[name]) for name, color in palette.OUTCOME_COLORS.items()}
)
OUTLINE_PIXELS = 1.0  # the ring around a mistake: a second cue beside colour
LABEL_COLORS = MappingProxyType({value: palette.rgb(color) for value, color in palette.LABEL_COLORS.items()})
SURFACE_COLOR = palette.rgb(palette.SURFACE)  # violet: the area the model calls "in the country"
BORDER_COLOR = palette.rgb(palette.BORDER_GREY)
LAND_COLOR = palette.rgba(palette.LAND, 90)


@cache
def _borders_text() -> str:
    return BORDERS_FILE.read_text(encoding="utf-8")


def borders() -> dict:
    """Natural Earth 1:110m countries as GeoJSON (a fresh dict: callers may not share one)."""
    return json.loads(_borders_text())


def surface_rgba(probabilities: np.ndarray, threshold: float) -> np.ndarray:
    """(rows, columns, 4) uint8: violet, stronger with the probability, clearly so above the threshold."""
    alpha = np.where(probabilities >= threshold, 0.25 + 0.45 * probabilities, 0.35 * probabilities)
    rgba = np.empty((*probabilities.shape, 4), np.uint8)
    rgba[..., :3] = SURFACE_COLOR
    rgba[..., 3] = (255 * alpha).round().astype(np.uint8)
    return rgba


SURFACE_SMOOTHING = 2  # the image has this many pixels per computed cell each way, interpolated between them


def upsampled(values: np.ndarray, factor: int = SURFACE_SMOOTHING) -> np.ndarray:
    """`values` (rows, columns) on a grid `factor` times finer, bilinear between cell centres: the threshold's
    edge, drawn on it, is a smooth curve instead of steps one cell wide."""
    if factor <= 1:
        return values

    def axis(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        position = np.clip((np.arange(n * factor) + 0.5) / factor - 0.5, 0, n - 1)
        low = np.floor(position).astype(int)
        return low, np.minimum(low + 1, n - 1), position - low

    (r0, r1, fr), (c0, c1, fc) = axis(values.shape[0]), axis(values.shape[1])
    top = values[r0][:, c0] * (1 - fc) + values[r0][:, c1] * fc
    bottom = values[r1][:, c0] * (1 - fc) + values[r1][:, c1] * fc
    return top * (1 - fr[:, None]) + bottom * fr[:, None]


def surface_layer(
    probabilities: np.ndarray, threshold: float, south: float | None = None, north: float | None = None, bounds=None
) -> pdk.Layer:
    """The grid of probabilities as one image stretched over `bounds` (west, south, east, north; an object
    with those attributes, e.g. nnlab.worldmap.Bounds), or over [-180, 180] × [south, north]."""
    corners = (
        [-180.0, south, 180.0, north] if bounds is None else [bounds.west, bounds.south, bounds.east, bounds.north]
    )
    image = png_data_url(surface_rgba(upsampled(probabilities), threshold))
    return pdk.Layer(
        # Quoted: pydeck would otherwise read a bare string as a JavaScript accessor.
        "BitmapLayer",
        id="surface",
        image=f"'{image}'",
        bounds=[float(c) for c in corners],
        opacity=1.0,
    )


def borders_layer() -> pdk.Layer:
    """Country outlines over a faint land fill, so land and sea read apart without a basemap."""
    return pdk.Layer(
        "GeoJsonLayer",
        id="borders",
        data=borders(),
        stroked=True,
        filled=True,
        pickable=False,
        get_fill_color=list(LAND_COLOR),
        get_line_color=list(BORDER_COLOR),
        line_width_min_pixels=0.7,
    )


def city_points(cities: pd.DataFrame, probability: bool = True) -> list[dict]:
    """Rows a deck.gl layer draws: rounded position, and the text its tooltip shows."""
    frame = pd.DataFrame(
        {
            "lng": cities["lng"].round(3),
            "lat": cities["lat"].round(3),
            "city": cities["city"].astype(str),
            "country": cities["country"].astype(str),
        }
    )
    frame["p"] = cities["probability"].map("{:.3f}".format) if probability else "—"
    return frame.to_dict("records")


def points_layer(
    layer_id: str, cities: pd.DataFrame, color: tuple[int, ...], radius: float, outline: tuple[int, ...] | None = None
) -> pdk.Layer:
    """Cities as dots of one colour; `outline` rings each dot (the map's mistakes), None: no ring."""
    ring = (
        {
            "stroked": True,
            "get_line_color": list(outline),
            "get_line_width": OUTLINE_PIXELS,
            "line_width_units": "pixels",
            "line_width_min_pixels": OUTLINE_PIXELS,
        }
        if outline
        else {"stroked": False}
    )
    return pdk.Layer(
        "ScatterplotLayer",
        id=layer_id,
        data=city_points(cities, "probability" in cities.columns),
        get_position=["lng", "lat"],
        get_fill_color=list(color),
        get_radius=radius,
        radius_units="pixels",
        radius_min_pixels=1,
        pickable=True,
        **ring,
    )


OUTCOME_SIZES = MappingProxyType({"TN": 0.6, "TP": 1.0, "FP": 1.1, "FN": 1.4})  # the many TN recede, mistakes stand out
# Before the first epoch every verdict is a guess of random weights: small, faint, unringed dots of one size,
# so that half a continent of false alarms does not read as a result (or hide the map).
UNTRAINED_SIZE = 0.6
UNTRAINED_ALPHA = 110


def outcome_outline(name: str) -> tuple[int, int, int] | None:
    """The ring of an outcome's dots: palette.OUTCOME_OUTLINES (mistakes ringed, hits not)."""
    outline = palette.OUTCOME_OUTLINES[name]
    return palette.rgb(outline) if outline else None


def outcome_layers(predictions: pd.DataFrame, radius: float = 2.5, trained: bool = True) -> list[pdk.Layer]:
    """One layer per TN, TP, FP, FN (mistakes drawn last, on top, larger and ringed); `trained` False: every
    outcome as small faint dots without rings (an untrained model's verdicts mean nothing yet)."""
    if not trained:
        return [
            points_layer(
                f"outcome-{name}",
                predictions[predictions["outcome"] == name],
                palette.rgba(palette.OUTCOME_COLORS[name], UNTRAINED_ALPHA),
                radius * UNTRAINED_SIZE,
            )
            for name in ("TN", "TP", "FP", "FN")
        ]
    return [
        points_layer(
            f"outcome-{name}",
            predictions[predictions["outcome"] == name],
            OUTCOME_COLORS[name],
            radius * OUTCOME_SIZES[name],
            outcome_outline(name),
        )
        for name in ("TN", "TP", "FP", "FN")
    ]


def swatch_url(fill: str, outline: str | None = None, square: bool = False) -> str:
    """A 14-pixel legend mark as an SVG data URL (markdown's named colours cannot show a palette's
    exact hex): a dot, ringed like the map's mistakes when `outline` is given, or a square."""
    stroke = f' stroke="{outline}" stroke-width="2"' if outline else ""
    shape = (
        f'<rect x="1" y="1" width="12" height="12" fill="{fill}" fill-opacity="0.6"/>'
        if square
        else f'<circle cx="7" cy="7" r="{5.5 if outline else 5}" fill="{fill}"{stroke}/>'
    )
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14">{shape}</svg>'
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("ascii")).decode("ascii")


def label_layers(cities: pd.DataFrame, labels: np.ndarray, radius: float = 1.5) -> list[pdk.Layer]:
    """The whole table coloured by the truth: the seed's "full sample" panels."""
    return [points_layer(f"label-{value}", cities[labels == value], LABEL_COLORS[value], radius) for value in (0, 1)]


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: a third of pydeck's size (0.7 MB instead of 2.2 MB for
    Russia's test cities), which is what the browser parses on every live refresh."""

    def to_json(self) -> str:
        return json.dumps(json.loads(super().to_json()), separators=(",", ":"))


def world_deck(layers: list[pdk.Layer], latitude: float, longitude: float, zoom: float, tooltip: str) -> pdk.Deck:
    """A deck with no basemap (no network), the given layers and a text-only tooltip."""
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom, min_zoom=0, max_zoom=10),
        # No basemap and no request. Leave map_style at pydeck's default: an explicit None makes
        # Streamlit fetch Carto's style.
        map_provider=None,
        tooltip={"text": tooltip},  # text, not html: city names from a file are never markup
        views=[pdk.View(type="MapView", controller=True, repeat=False)],
    )
