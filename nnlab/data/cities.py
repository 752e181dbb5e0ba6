"""Reading city tables — the shipped world cities or a student's upload — into one checked DataFrame.

`read_cities` is the only way in: it finds the columns by name (or, for seed 000's headerless
four-column file, by position), and turns every problem a student's file can have into a
`LabError` (a ValueError) whose message the page shows in the student's language.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

import numpy as np
import pandas as pd

from nnlab.data.files import read_bytes
from nnlab.errors import LabError, Phrase

DEFAULT_CITIES = Path(__file__).resolve().parents[2] / "data" / "worldcities.csv"

# Accepted header names per role, best first; matched case-insensitively after stripping.
COLUMN_NAMES = MappingProxyType(
    {
        "lat": ("lat", "latitude", "широта"),
        "lng": ("lng", "lon", "long", "longitude", "долгота"),
        "country": ("country", "country_name", "страна"),
        "label": ("label", "target", "y", "new_target", "class", "in_country"),
        "city": ("city", "city_ascii", "name", "asciiname", "город"),
    }
)
LABEL_WORDS = MappingProxyType({"0": 0, "1": 1, "false": 0, "true": 1, "no": 0, "yes": 1, "0.0": 0, "1.0": 1})
COORDINATE_LIMITS = MappingProxyType({"lat": ("error_quantity_latitude", 90), "lng": ("error_quantity_longitude", 180)})
DELIMITERS = (",", ";", "\t")  # ties go to the comma
SHOWN_COLUMNS, SHOWN_NAME_LENGTH = 10, 40


@functools.cache
def shipped_cities() -> pd.DataFrame:
    """The GeoNames table in data/, read once per process (a sweep worker reads its own)."""
    return read_cities(DEFAULT_CITIES)


def read_cities(source: str | os.PathLike | BinaryIO) -> pd.DataFrame:
    """city, country, lat, lng (float64) and, if the file has one, label (int64 0/1); one row per city.

    Rows repeated verbatim are dropped; `table.attrs["repeated_rows"]` says how many.

    Without a label column the lab asks "in country X?", so the countries must differ; with one, the
    file's own 0/1 answers are used and must hold both classes.
    """
    header, rows = _parse(_decode(read_bytes(source, "error_cities_too_big")))
    columns = _find_columns(header) or _positional_columns(rows) or {}
    if not {"lat", "lng"} <= columns.keys() or not {"country", "label"} & columns.keys():
        raise _missing_columns(header, columns)
    table = pd.DataFrame(
        {"city": _city_names(rows, columns.get("city")), "country": _countries(rows, columns.get("country"))}
    )
    for role in ("lat", "lng"):
        table[role] = _coordinates(rows, columns[role], role, header)
    if "label" in columns:
        table["label"] = _labels(rows[columns["label"]], _column_title(header, columns["label"], "label"))
    else:
        _check_countries(table["country"])
    # A row repeated verbatim could land in both the training and the test set: keep one, say how many went.
    repeated = table.duplicated(subset=[c for c in table.columns if c != "city" or "city" in columns])  # "row N"
    table = table[~repeated].reset_index(drop=True)
    table.attrs["repeated_rows"] = int(repeated.sum())
    return table


def _decode(data: bytes) -> str:
    """The file as text: UTF-8, with or without Excel's byte-order mark."""
    if b"\0" in data:
        raise LabError("error_cities_not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LabError("error_cities_not_utf8") from None
    if not text.strip():
        raise LabError("error_cities_empty")
    return text


def _delimiter(text: str) -> str:
    """The most frequent of comma, semicolon and tab in the first line, so Excel's `;` files read too."""
    first_line = text.lstrip().split("\n", 1)[0]
    return max(DELIMITERS, key=first_line.count)


def _parse(text: str) -> tuple[list[str], pd.DataFrame]:
    """The header and the cells as text, one column per header field, indexed by the row's line in the file."""
    records = _records(text)
    if not records:
        raise LabError("error_cities_empty")
    header, width = [cell.strip() for cell in records[0][1]], len(records[0][1])
    records = [(line, row) for line, row in records[1:] if any(cell.strip() for cell in row)]  # Excel's blank ",,,"
    if not records:
        raise LabError("error_cities_header_only")
    for line, row in records:
        if any(cell.strip() for cell in row[width:]):  # trailing empty cells, as Excel writes them, are fine
            raise LabError("error_cities_row_too_long", line=line, values=len(row), columns=width)
    cells = [[cell.strip() for cell in row[:width]] + [""] * (width - len(row)) for _, row in records]
    return header, pd.DataFrame(cells, index=[line for line, _ in records], columns=range(width), dtype=str)


def _records(text: str) -> list[tuple[int, list[str]]]:
    """The non-empty lines' rows with their line numbers, so messages can point at the line a spreadsheet shows."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text), skipinitialspace=True)
    records, first_line = [], 1  # a quoted cell may span lines: a row starts after the previous one ends
    try:
        for row in reader:
            if len(row) > 1 or any(cell.strip() for cell in row):
                records.append((first_line, row))
            first_line = reader.line_num + 1
    except csv.Error as error:
        raise LabError("error_cities_not_csv", line=reader.line_num, detail=str(error)) from None
    return records


def _find_columns(header: list[str]) -> dict[str, int] | None:
    """Column number of each role found by name; None when neither coordinate is named."""
    names = [name.strip().lower() for name in header]
    found = {}
    for role, aliases in COLUMN_NAMES.items():
        matches = [names.index(alias) for alias in aliases if alias in names]
        if matches:
            found[role] = matches[0]
    return found if "lat" in found or "lng" in found else None


def _positional_columns(rows: pd.DataFrame) -> dict[str, int] | None:
    """Seed 000's layout (lat, lng, country[, 0/1 label]) when the first columns look like it, else None."""
    if rows.shape[1] < 3 or _mostly_numbers(rows[2]):
        return None
    if not (_mostly_numbers(rows[0]) and _mostly_numbers(rows[1])):
        return None
    columns = {"lat": 0, "lng": 1, "country": 2}
    if rows.shape[1] >= 4 and rows[3].str.lower().isin(list(LABEL_WORDS)).all():
        columns["label"] = 3
    return columns


def _mostly_numbers(cells: pd.Series) -> bool:
    """Whether at least half of a column's cells are numbers (a few bad ones get their own message)."""
    return bool(_numbers(cells).notna().mean() >= 0.5)


def _numbers(cells: pd.Series) -> pd.Series:
    """The cells as float64, NaN where a cell is not a number; a decimal comma counts as a point."""
    return pd.to_numeric(cells.str.replace(",", ".", regex=False), errors="coerce").astype("float64")


def _missing_columns(header: list[str], columns: dict[str, int]) -> LabError:
    """Which needed columns are missing, and the columns the file does have."""
    needed = {"lat": "error_column_latitude", "lng": "error_column_longitude"}
    missing = [Phrase(key) for role, key in needed.items() if role not in columns]
    if "country" not in columns and "label" not in columns:
        missing.append(Phrase("error_column_country"))
    shown = [_shown_cell(name) for name in header]
    listed = tuple(Phrase("error_quoted", text=name) for name in shown[:SHOWN_COLUMNS])
    more = Phrase("error_and_more", count=len(shown) - SHOWN_COLUMNS) if len(shown) > SHOWN_COLUMNS else ""
    return LabError("error_cities_missing_columns", missing=tuple(missing), listed=listed, more=more)


def _column_title(header: list[str], column: int, role: str) -> str:
    """The column's own header name for messages, or the role when the header cell is blank."""
    return header[column] or role


def _coordinates(rows: pd.DataFrame, column: int, role: str, header: list[str]) -> pd.Series:
    """One coordinate column as float64 degrees, after checking every cell is a number in range."""
    title, (quantity, limit) = _column_title(header, column, role), COORDINATE_LIMITS[role]  # quantity: a key
    values = _numbers(rows[column])
    if values.isna().any():
        line = values.isna().idxmax()
        cell = rows.at[line, column]
        problem = Phrase("error_cell_empty") if not cell else Phrase("error_cell_has", cell=_shown_cell(cell))
        raise LabError("error_cities_not_a_number", title=title, line=int(line), problem=problem)
    outside = ~values.between(-limit, limit)
    if outside.any():
        line = outside.idxmax()
        raise LabError(
            "error_cities_coordinate_range",
            quantity=Phrase(quantity),
            limit=limit,
            line=int(line),
            title=title,
            value=float(values[line]),
        )
    return values.reset_index(drop=True)


def _shown_cell(cell: str) -> str:
    """A cell or column name cut to one short line, so a runaway quoted cell does not flood the message."""
    first_line = cell.splitlines()[0] if cell else ""
    if first_line == cell and len(cell) <= SHOWN_NAME_LENGTH:
        return cell
    return first_line[: SHOWN_NAME_LENGTH - 1] + "…"


def _labels(cells: pd.Series, title: str) -> pd.Series:
    """The label column as int64 0/1 (true/false and yes/no accepted), checked to hold both classes."""
    words = cells.str.lower()
    unknown = ~words.isin(list(LABEL_WORDS))
    if unknown.any():
        line = unknown.idxmax()
        cell = _shown_cell(cells[line])
        raise LabError("error_cities_bad_label", title=title, line=int(line), cell=cell)
    labels = words.map(LABEL_WORDS).astype("int64").reset_index(drop=True)
    if labels.nunique() < 2:
        raise LabError("error_cities_one_label", title=title, label=int(labels[0]))
    return labels


def _countries(rows: pd.DataFrame, column: int | None) -> list[str]:
    """Country names, stripped; empty when the file has only a label column."""
    return [""] * len(rows) if column is None else rows[column].tolist()


def _check_countries(countries: pd.Series) -> None:
    """Refuse a one-country table: "in country X or not" would have one answer."""
    named = countries[countries != ""]
    if named.nunique() < 2:
        only = f" ({named.iloc[0]})" if len(named) else ""
        raise LabError("error_cities_one_country", only=only)


def _city_names(rows: pd.DataFrame, column: int | None) -> list[str]:
    """City names, with "row N" (its line in the file) where the file gives none."""
    names = rows[column] if column is not None else pd.Series("", index=rows.index)
    return [name or f"row {line}" for line, name in names.items()]


def city_labels(table: pd.DataFrame, country: str) -> np.ndarray:
    """1 for the target country's cities (or the file's own 0/1 label column), else 0."""
    if "label" in table.columns:
        return table["label"].to_numpy(np.int64)
    labels = (table["country"] == country).to_numpy(np.int64)
    if not labels.any():
        raise LabError("error_cities_no_such_country", country=country)
    if labels.all():
        raise LabError("error_cities_all_in_country", country=country)
    return labels


def country_names(table: pd.DataFrame) -> list[str]:
    """Countries that have at least two cities (a split needs one to train on and one to test)."""
    counts = table["country"].value_counts()
    return sorted(name for name, n in counts.items() if n >= 2 and name)
