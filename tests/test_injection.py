"""No injection: text from users and files (city names, column names) is never rendered as markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "nnlab").rglob("*.py"))]
RAW_HTML = re.compile(r"unsafe_allow_html\s*=\s*True|\bst\.html\(|components\.v1|components\.html|\.to_html\(")
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


# The one raw-HTML call: a constant stylesheet with no text from anywhere (the Playground's phone layout rule).
STYLE_ONLY = ("nnlab/ui/controls.py", "st.html(PHONE_LAST.format(key=key))")


def test_no_page_renders_raw_html():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_HTML.search(line) and (str(path.relative_to(ROOT)), line.strip()) != STYLE_ONLY
    ]
    assert not offenders, offenders


def test_the_one_stylesheet_is_a_style_element_keyed_by_the_page_name():
    from nnlab.ui.controls import PHONE_LAST

    css = PHONE_LAST.format(key="playground-beside-play")
    assert re.fullmatch(r"<style>[^<]*</style>", css), css  # one style element, nothing else
    source = (ROOT / STYLE_ONLY[0]).read_text(encoding="utf-8")
    assert 'key = f"{page}-beside-play"' in source  # the key is the page's own name, never user text


def test_map_tooltips_are_text_so_a_city_name_stays_text():
    from nnlab.viz import maps

    cities = pd.DataFrame(
        {
            "city": [HOSTILE],
            "country": [HOSTILE],
            "lat": [55.75],
            "lng": [37.62],
            "probability": [0.9],
            "outcome": ["TP"],
        }
    )
    deck = maps.world_deck(maps.outcome_layers(cities), 55.0, 37.0, 2.0, "{city}, {country}")
    spec = json.loads(deck.to_json())
    assert deck._tooltip == {"text": "{city}, {country}"}  # what Streamlit sends; deck.gl sets "text" as innerText
    names = [row["city"] for layer in spec["layers"] for row in layer.get("data", [])]
    assert names == [HOSTILE]  # the name travels as data, verbatim, and is never markup
