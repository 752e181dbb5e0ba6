"""Charts a class can read from the back of the room: every axis, legend, title and header at 13 px or more,
and one legend for a row of small boundaries instead of one under each.

Vega-Lite's own defaults are 10–11 px, too small on a projector (issue 20 asks for at least 12 px at
1400 px wide). `readable(chart)` merges the sizes into a chart's top-level configuration (what the
chart configured itself, a legend's orientation say, is kept).
"""

from __future__ import annotations

from types import MappingProxyType

from nnlab.ui.chartview import altair_spec

CHART_FONT = (
    13  # px: the smallest text in a chart on the Optimizers, Losses, Generalization, Runs and Experiments pages
)
# Read-only: shared by every session.
FONTS = (
    ("axis", MappingProxyType({"labelFontSize": CHART_FONT, "titleFontSize": CHART_FONT})),
    ("legend", MappingProxyType({"labelFontSize": CHART_FONT, "titleFontSize": CHART_FONT})),
    ("title", MappingProxyType({"fontSize": CHART_FONT + 1})),
    ("header", MappingProxyType({"labelFontSize": CHART_FONT, "titleFontSize": CHART_FONT})),
)


def readable(chart) -> dict:
    """The Vega-Lite spec of `chart` (an Altair chart or a spec) with axes, legends, titles and facet headers
    at CHART_FONT px or more."""
    spec = dict(chart) if isinstance(chart, dict) else altair_spec(chart)
    config = dict(spec.get("config", {}))
    for part, sizes in FONTS:
        merged = dict(config.get(part, {}))
        for name, size in sizes.items():
            merged[name] = max(size, merged.get(name, 0))
        config[part] = merged
    spec["config"] = config
    return spec
