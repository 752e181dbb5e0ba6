"""Country names in each language: the cities table names countries in English (GeoNames) next to their ISO
3166 code, and CLDR (through Babel) names every territory in every language, so no translator has to.

No Streamlit here. A country the shipped table does not know (an uploaded file's own spelling) keeps its name.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from babel import Locale

from nnlab.catalogue import DEFAULT_LANGUAGE
from nnlab.data.cities import DEFAULT_CITIES


@lru_cache(maxsize=1)
def iso_codes() -> Mapping[str, str]:
    """English country name -> ISO 3166-1 alpha-2 code, from the shipped cities table's iso2 column."""
    with DEFAULT_CITIES.open(encoding="utf-8", newline="") as file:
        return MappingProxyType({row["country"]: row["iso2"] for row in csv.DictReader(file) if row.get("iso2")})


def country_name(name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """`name` (as the cities table spells it) in `language`: CLDR's territory name, e.g. «Кот-д’Ивуар»
    for Ivory Coast in Russian. English and unknown names are returned as they are."""
    if language == DEFAULT_LANGUAGE:
        return name
    code = iso_codes().get(name)
    return _territories(language).get(code, name) if code else name


@lru_cache(maxsize=8)
def _territories(language: str) -> Mapping[str, str]:
    return Locale.parse(language).territories
