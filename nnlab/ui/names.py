"""Names from the data and the library, shown in the session's language: countries (CLDR, through Babel), and
the columns and categorical values of the tables the library builds (keys in nnlab/locales/*/tables.toml).

The library's tables keep their identifiers as columns and values (`learning_rate`, `sgd`, `none`): code and
tests read them. Only what the student sees is translated, here: a column `name` is titled by the key
`col_<name>`, a value by the key its column names in VALUE_KEYS (`dataset_circle`, `optimizer_sgd`…)
or `val_<value>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import pandas as pd

from nnlab.catalogue import CATALOGUE
from nnlab.countries import country_name
from nnlab.ui.i18n import language, t

# column -> the prefix of its values' keys (the controls' own names for them)
VALUE_KEYS = MappingProxyType(
    {
        "dataset": "dataset_",
        "optimizer": "optimizer_",
        "regularization": "regularization_",
        "loss": "loss_",
        "set": "val_",
        "layer": "val_",
        "type": "val_",
        "page": "page_",
        "setting": "control_",
    }
)
HIDDEN_LAYER = re.compile(r"hidden_(\d+)")


def shown_country(name: str) -> str:
    """A country of the cities table in the session's language (an uploaded file's own names stay as written)."""
    return country_name(name, language())


def shown_countries(names: Iterable[str]):
    """A selectbox's format_func for these countries: their names looked up now, in the session's language
    (a function that asked for the language later could be called outside the session, as AppTest does)."""
    return {name: shown_country(name) for name in names}.__getitem__


def with_shown_countries(cities: pd.DataFrame) -> pd.DataFrame:
    """`cities` with its country column in the session's language (for the map's tooltips and tables)."""
    if "country" not in cities.columns:
        return cities
    names = {name: shown_country(name) for name in cities["country"].unique()}
    return cities.assign(country=cities["country"].map(names))


def column_title(column: object) -> str:
    """The title of a library table's column in the session's language: its col_ key, or the control's name
    for a setting (learning_rate: «Скорость обучения»), or the identifier if neither is known."""
    name = str(column).replace(" ", "_")
    for key in (f"col_{name}", f"control_{name}"):
        if key in CATALOGUE["en"]:
            return t(key)
    return str(column)


def column_config(frame: pd.DataFrame, configs: Mapping[str, dict] | None = None) -> dict:
    """st.dataframe's column_config for `frame`: every column titled in the session's language, with the
    given configs (formats) kept. The data keeps its identifiers (what tests and downloads read)."""
    configs = dict(configs or {})
    shown = {}
    for column in frame.columns:
        config = dict(configs.get(column) or {})
        config["label"] = column_title(column)
        shown[column] = config
    return shown


def shown_value(value: object, column: str = "") -> object:
    """A categorical value (sgd, none, circle, hidden_1…) in the session's language, where the catalogue has it."""
    if not isinstance(value, str):
        return value
    if column == "country":
        return shown_country(value)
    hidden = HIDDEN_LAYER.fullmatch(value)
    if hidden and column == "layer":
        return t("val_hidden_layer", n=int(hidden.group(1)))
    key = VALUE_KEYS.get(column, "val_") + value.replace(" ", "_").lower()
    return t(key) if key in CATALOGUE["en"] else value


def shown_values(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """`frame` with the categorical values of `columns` in the session's language."""
    return frame.assign(**{c: frame[c].map(lambda v, c=c: shown_value(v, c)) for c in columns if c in frame.columns})
