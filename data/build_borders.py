"""Build data/countries.geojson: Natural Earth 1:110m admin-0 country borders (public domain).

Dev-time only: `pip install pyogrio "shapely>=2.1"`, then `python data/build_borders.py`.
The source is the `naturalearth_lowres` shapefile that pyogrio's wheel carries as a test fixture
(copied by pyogrio from GeoPandas, which took it from Natural Earth's 1:110m admin-0 countries).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import shapely
from pyogrio.raw import read

OUTPUT = Path(__file__).resolve().parent / "countries.geojson"
FIXTURES = Path(pyogrio.__file__).resolve().parent / "tests" / "fixtures"
SOURCE = FIXTURES / "naturalearth_lowres" / "naturalearth_lowres.shp"
DECIMALS = 2  # about 1 km: finer than a 1:110m border is drawn


def rounded_ring(ring) -> list[list[float]]:
    """The ring's points rounded to DECIMALS, dropping points that rounding made repeat."""
    points = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring]
    return [point for index, point in enumerate(points) if index == 0 or point != points[index - 1]]


def rounded_polygons(geometry) -> list[list[list[list[float]]]]:
    """The geometry's polygons as rounded rings; rings that rounding shrank below a triangle are dropped."""
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    result = []
    for polygon in polygons:
        rings = [rounded_ring(ring.coords) for ring in [polygon.exterior, *polygon.interiors]]
        if len(rings[0]) >= 4:  # a closed triangle has 4 positions; a smaller outer ring vanishes at this scale
            result.append([ring for ring in rings if len(ring) >= 4])
    return result


def geojson_geometry(polygons: list) -> dict:
    """A Polygon when the country is one piece, else a MultiPolygon."""
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def features() -> list[dict]:
    """One GeoJSON feature per country, keeping only its `name`, sorted by name."""
    if not SOURCE.exists():
        raise SystemExit(f"{SOURCE} is missing: install a pyogrio wheel that ships its test fixtures")
    meta, _, geometries, fields = read(SOURCE)
    names = fields[list(meta["fields"]).index("name")]
    collected = []
    for name, wkb in zip(names, geometries):
        # Snapping to the grid first keeps rings valid where plain rounding would make them cross;
        # RFC 7946 wants outer rings counter-clockwise, while shapefiles store them clockwise.
        snapped = shapely.set_precision(shapely.from_wkb(wkb), 10**-DECIMALS)
        snapped = shapely.orient_polygons(snapped, exterior_cw=False)
        geometry = geojson_geometry(rounded_polygons(snapped))
        collected.append({"type": "Feature", "properties": {"name": str(name)}, "geometry": geometry})
    return sorted(collected, key=lambda feature: feature["properties"]["name"])


def main() -> None:
    """Write the compact GeoJSON and report its feature count and size."""
    collection = {"type": "FeatureCollection", "features": features()}
    OUTPUT.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(collection['features'])} countries written to {OUTPUT.name}; {OUTPUT.stat().st_size / 1000:.0f} kB")


if __name__ == "__main__":
    main()
