"""Names from the data and the library, shown in the session's language: countries (CLDR, through Babel),
and the columns and categorical values of the tables the library builds (keys in nnlab/locales/*/tables.toml)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from nnlab.catalogue import CATALOGUE
from nnlab.countries import country_name
from nnlab.ui.i18n import language, t


def shown_country(name: str) -> str:
    """A country of the cities table in the session's language (an uploaded file's own names stay as written)."""
    return country_name(name, language())


def shown_table(frame: pd.DataFrame, values: Iterable[str] = ()) -> pd.DataFrame:
    """`frame` with each column `name` titled by the key `column_<name>` (spaces as _), and the string cells of
    the `values` columns by `value_<cell>` where the catalogue has one (others stay: names, numbers as text)."""
    shown = frame.copy()
    for column in values:
        if column in shown.columns:
            shown[column] = shown[column].map(shown_value)
    return shown.rename(columns={column: t(column_key(column)) for column in frame.columns
                                 if column_key(column) in CATALOGUE["en"]})


def column_key(column: object) -> str:
    return "column_" + str(column).replace(" ", "_")


def shown_value(value: object) -> object:
    """A categorical value (sgd, none, circle, Dense…) in the session's language, if the catalogue names it."""
    if not isinstance(value, str) or f"value_{value}" not in CATALOGUE["en"]:
        return value
    return t(f"value_{value}")
