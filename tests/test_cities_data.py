"""City tables and borders: the shipped files read, and every kind of bad upload gets a clear ValueError."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from nnlab.data.cities import DEFAULT_CITIES, read_cities
from nnlab.data.files import MAX_UPLOAD_BYTES

BORDERS = Path(__file__).resolve().parents[1] / "data" / "countries.geojson"
GOOD = "lat,lng,country\n55.7522,37.6156,Russia\n35.685,139.7514,Japan\n"


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return read_cities(DEFAULT_CITIES)


def test_shipped_cities_read_with_russia_and_valid_coordinates(shipped):
    assert list(shipped.columns) == ["city", "country", "lat", "lng"]
    assert 30_000 < len(shipped) < 40_000
    assert (shipped["country"] == "Russia").sum() >= 1_000
    assert shipped["lat"].between(-90, 90).all() and shipped["lng"].between(-180, 180).all()
    assert shipped["lat"].dtype == "float64" and shipped["lng"].dtype == "float64"
    assert list(shipped.index) == list(range(len(shipped)))
    assert (shipped["city"] != "").all() and shipped["country"].nunique() > 200


def test_shipped_file_has_the_documented_columns():
    header = DEFAULT_CITIES.read_text(encoding="utf-8").split("\n", 1)[0]
    assert header == "city,country,iso2,lat,lng,population"


def table(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


LONG_HEADER = ",".join(f"column_{i}_" + "x" * 50 for i in range(15))
BAD_FILES = {
    "empty": (b"", "empty"),
    "blank lines only": (b"\n \n\n", "empty"),
    "header only": (table("lat,lng,country"), "no rows"),
    "binary": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00lat,lng", "CSV UTF-8"),
    "utf-16": ("lat,lng,country\n1,2,A\n".encode("utf-16"), "CSV UTF-8"),
    "cp1251": ("lat,lng,country\n55.75,37.62,Россия\n59.9,30.3,Украина\n".encode("cp1251"), "not UTF-8"),
    "pipe delimiter": (
        table("lat|lng|country", "55.75|37.62|Russia", "35.6|139.7|Japan"),
        r'Missing columns: latitude \(lat\), longitude \(lng\).*"lat\|lng\|country"',
    ),
    "no coordinates": (table("city,north,east,country", "Moscow,55.75,37.62,Russia"), "Missing columns: latitude"),
    "no longitude": (table("lat,x,country", "55.75,37.62,Russia"), r"Missing columns: longitude \(lng\)\."),
    "no country or label": (
        table("city,lat,lng", "Moscow,55.75,37.62", "Tokyo,35.6,139.7"),
        r"Missing columns: country \(or a 0/1 label\)",
    ),
    "NaN lat": (table("lat,lng,country", "55.75,37.62,Russia", "NaN,139.7,Japan"), 'Column "lat".*row 3 has "NaN"'),
    "empty lat": (table("lat,lng,country", "55.75,37.62,Russia", ",139.7,Japan"), 'Column "lat".*row 3 is empty'),
    "text lng": (table("lat,lng,country", "55.75,abc,Russia", "35.6,139.7,Japan"), 'Column "lng".*row 2 has "abc"'),
    "lat 95": (table("lat,lng,country", "95,37.62,Russia", "35.6,139.7,Japan"), "Latitude must be between -90 and 90"),
    "lng -200": (
        table("lat,lng,country", "55.75,37.62,Russia", "35.6,-200,Japan"),
        'Longitude must be between -180 and 180, but row 3 of column "lng" is -200',
    ),
    "one class only": (table("lat,lng,label", "55.75,37.62,1", "35.6,139.7,1"), "needs both classes"),
    "label 2": (
        table("lat,lng,label", "55.75,37.62,1", "35.6,139.7,2"),
        'Column "label" must hold 0 or 1.*row 3 has "2"',
    ),
    "row number counts blank lines": (
        table("lat,lng,country", "", ",,", "55.75,37.62,Russia", "x,1,Japan"),
        'Column "lat".*row 5 has "x"',
    ),
    "header and blank rows": (table("lat,lng,country", ",,", ""), "no rows"),
    "one country": (table("lat,lng,country", "55.75,37.62,Russia", "59.9,30.3, Russia "), "more than one country"),
    "short row": (
        table("city,lat,lng,country", "Moscow,55.75,37.62,Russia", "Tokyo,35.6"),
        'Column "lng".*row 3 is empty',
    ),
    "unclosed quote": (table("lat,lng,country", '"55.75,37.62,Russia', "35.6,139.7,Japan"), 'Column "lat".*row 2'),
    "too many values": (table("lat,lng,country", "55.75,37.62,Russia,extra"), "Row 2 has 4 values.*only 3 columns"),
    "many long columns": (table(LONG_HEADER, ",".join("1" * 15)), r'"column_0_x{30}…".*and 5 more'),
}


@pytest.mark.parametrize("content, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_from_disk_raises_readable_error(tmp_path, content, message):
    path = tmp_path / "cities.csv"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        read_cities(path)


@pytest.mark.parametrize("content, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_upload_raises_the_same_error(content, message):
    with pytest.raises(ValueError, match=message):
        read_cities(io.BytesIO(content))


def test_column_list_in_message_is_truncated():
    with pytest.raises(ValueError) as error:
        read_cities(io.BytesIO(table(LONG_HEADER, ",".join("1" * 15))))
    listed = str(error.value).split("columns are: ")[1].split(" and 5 more")[0]
    names = [name.strip('"') for name in listed.split(", ")]
    assert len(names) == 10 and all(len(name) == 40 for name in names)


def test_upload_over_the_size_limit_is_refused_before_parsing():
    big = io.BytesIO(GOOD.encode() + b"0,0,Nowhere\n" * (11 * 1024 * 1024 // 12))
    assert len(big.getvalue()) > MAX_UPLOAD_BYTES
    with pytest.raises(ValueError, match="larger than 10 MB"):
        read_cities(big)


class UploadedFile(io.BytesIO):
    """Streamlit's UploadedFile in miniature: a BytesIO with a name and a declared size."""

    def __init__(self, data: bytes, name: str = "cities.csv", size: int | None = None):
        super().__init__(data)
        self.name, self.size = name, len(data) if size is None else size


def test_declared_size_over_the_limit_is_refused_without_reading():
    upload = UploadedFile(GOOD.encode(), size=MAX_UPLOAD_BYTES + 1)
    with pytest.raises(ValueError, match="larger than 10 MB"):
        read_cities(upload)
    assert upload.tell() == 0


def test_simplemaps_format_reads():
    header = '"city","city_ascii","lat","lng","country","iso2","iso3","admin_name","capital","population","id"'
    rows = [
        '"Tokyo","Tokyo","35.6897","139.6922","Japan","JP","JPN","Tōkyō","primary","37732000","1392685764"',
        '"Jakarta","Jakarta","-6.1750","106.8275","Indonesia","ID","IDN","Jakarta","primary","33756000","1360771077"',
        '"Moscow","Moscow","55.7558","37.6172","Russia","RU","RUS","Moskva","primary","17332000","1643318494"',
        '"Saint Petersburg","Saint Petersburg","59.9500","30.3167","Russia","RU","RUS","Sankt-Peterburg","admin",'
        '"5384342","1643616350"',
        '"Washington","Washington","38.9047","-77.0163","United States","US","USA","District of Columbia",'
        '"primary","5379184","1840006060"',
    ]
    cities = read_cities(io.BytesIO(table(header, *rows)))
    assert list(cities.columns) == ["city", "country", "lat", "lng"]
    assert cities["city"].tolist()[:2] == ["Tokyo", "Jakarta"]
    assert (cities["country"] == "Russia").sum() == 2
    assert cities.loc[4, "lng"] == pytest.approx(-77.0163)


SEED_ROWS = ("35.685,139.7514,Japan,0", "55.7522,37.6156,Russia,1", "59.9386,30.3141,Russia,1", "40.7143,-74.006,USA,0")


@pytest.mark.parametrize("header", ["0,1,2,3", "lat_,lng_,c,t", ",,,"])
def test_seed_four_column_variant_reads_by_position(header):
    cities = read_cities(io.BytesIO(table(header, *SEED_ROWS)))
    assert list(cities.columns) == ["city", "country", "lat", "lng", "label"]
    assert cities["label"].tolist() == [0, 1, 1, 0] and cities["label"].dtype == "int64"
    assert cities["country"].tolist() == ["Japan", "Russia", "Russia", "USA"]
    assert cities["city"].tolist() == ["row 2", "row 3", "row 4", "row 5"]
    assert cities.loc[0, "lat"] == pytest.approx(35.685)


def test_seed_three_column_variant_has_no_label():
    cities = read_cities(io.BytesIO(table("a,b,c", *(row.rsplit(",", 1)[0] for row in SEED_ROWS))))
    assert "label" not in cities.columns and cities["country"].nunique() == 3


def test_label_only_file_reads_with_empty_countries():
    cities = read_cities(io.BytesIO(table("lat,lng,label", "55.75,37.62,1", "35.6,139.7,0", "35.6,139.7,0")))
    assert cities["label"].tolist() == [1, 0] and cities["label"].dtype == "int64"
    assert (cities["country"] == "").all()
    assert cities.attrs["repeated_rows"] == 1  # the third row repeats the second: it could sit in train and test


def test_label_words_and_country_together():
    cities = read_cities(
        io.BytesIO(
            table(
                "City,Latitude,Longitude,Country,In_Country",
                "Moscow,55.75,37.62,Russia,TRUE",
                "Tokyo,35.6,139.7,Japan,no",
            )
        )
    )
    assert cities["label"].tolist() == [1, 0] and cities["city"].tolist() == ["Moscow", "Tokyo"]


GOOD_VARIANTS = {
    "bom": "\ufeff" + GOOD,
    "semicolons": GOOD.replace(",", ";"),
    "semicolons with decimal commas": "lat;lng;country\n55,7522;37,6156;Russia\n35,685;139,7514;Japan\n",
    "tabs": GOOD.replace(",", "\t"),
    "crlf and padding": GOOD.replace(",", " , ").replace("\n", "\r\n"),
    "russian headers": GOOD.replace("lat,lng,country", "Широта,Долгота,Страна"),
    "blank and trailing cells": "lat,lng,country\n\n55.7522,37.6156,Russia,\n35.685,139.7514,Japan\n",
}


@pytest.mark.parametrize("text", GOOD_VARIANTS.values(), ids=GOOD_VARIANTS.keys())
def test_good_variants_read_the_same(text):
    cities = read_cities(io.BytesIO(text.encode("utf-8")))
    assert cities["country"].tolist() == ["Russia", "Japan"]
    assert cities["lat"].tolist() == pytest.approx([55.7522, 35.685])
    assert cities["lng"].tolist() == pytest.approx([37.6156, 139.7514])


def test_upload_reads_again_on_a_rerun():
    upload = UploadedFile(GOOD.encode())
    first = read_cities(upload)
    pd.testing.assert_frame_equal(read_cities(upload), first)


def test_country_values_are_stripped_and_path_strings_work(tmp_path):
    path = tmp_path / "cities.csv"
    path.write_text('lat,lng,country\n1,2," Russia "\n3,4,Japan\n', encoding="utf-8")
    assert read_cities(str(path))["country"].tolist() == ["Russia", "Japan"]


@pytest.fixture(scope="module")
def borders() -> dict:
    return json.loads(BORDERS.read_text(encoding="utf-8"))


def test_borders_are_a_small_valid_feature_collection(borders):
    assert BORDERS.stat().st_size < 400_000
    assert borders["type"] == "FeatureCollection" and len(borders["features"]) > 150
    for feature in borders["features"]:
        assert feature["type"] == "Feature" and set(feature["properties"]) == {"name"}
        assert feature["properties"]["name"] and feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_border_rings_are_closed_and_in_range(borders):
    for feature in borders["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        assert polygons, feature["properties"]["name"]
        for ring in (ring for polygon in polygons for ring in polygon):
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert all(-180 <= lng <= 180 and -90 <= lat <= 90 for lng, lat in ring)
    assert "Russia" in {feature["properties"]["name"] for feature in borders["features"]}


def test_rows_repeated_verbatim_are_dropped_and_counted():
    text = GOOD + "55.7522,37.6156,Russia\n" + "55.7522,37.6156,Moscow region\n"
    cities = read_cities(io.BytesIO(text.encode()))
    assert len(cities) == 3 and cities.attrs["repeated_rows"] == 1  # same place, other answer: kept
    assert read_cities(io.BytesIO(GOOD.encode())).attrs["repeated_rows"] == 0


def test_the_servers_upload_limit_matches_the_readers():
    import tomllib

    from nnlab.data.files import MAX_UPLOAD_BYTES as IMAGE_LIMIT

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES == IMAGE_LIMIT
