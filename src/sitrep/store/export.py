"""Stored events out as JSON, CSV with ACLED's column names, GeoJSON and Parquet.

The CSV uses the subset of ACLED's columns sitrep can fill, in ACLED's order
(docs/store.md lists them); `event_id_cnty` is the canonical uid and `source`
every outlet that reported the happening.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

import pycountry

from sitrep.merge.events import event_family
from sitrep.models import ACTOR_TYPES, Actor
from sitrep.store.records import StoredEvent

# ACLED's columns that sitrep fills, in the order ACLED's exports use.
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "iso",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
INTERACTION_CODES = {name: code for code, name in ACTOR_TYPES.items()}


def _iso_numeric(iso3: str | None) -> int | None:
    """ACLED's `iso` is the numeric ISO 3166 code."""
    if not iso3:
        return None
    country = pycountry.countries.get(alpha_3=iso3.upper())
    return int(country.numeric) if country is not None else None


def _inter(actor: Actor | None) -> int | None:
    return INTERACTION_CODES.get(actor.type) if actor and actor.type else None


def acled_row(stored: StoredEvent) -> dict[str, Any]:
    """One event as a row of ACLED's columns (empty where sitrep has no value)."""
    event = stored.event
    day = event.date or event.date_earliest
    location = event.location
    return {
        "event_id_cnty": stored.canonical_uid,
        "event_date": day.isoformat() if day else None,
        "year": day.year if day else None,
        "time_precision": event.time_precision,
        "disorder_type": event_family(event) if event.event_type else None,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "inter1": _inter(event.actor1),
        "actor2": event.actor2.name if event.actor2 else None,
        "inter2": _inter(event.actor2),
        "iso": _iso_numeric(location.iso3 if location else None),
        "country": location.country if location else None,
        "admin1": location.admin1 if location else None,
        "location": location.name if location else None,
        "latitude": location.lat if location else None,
        "longitude": location.lon if location else None,
        "geo_precision": location.geo_precision if location else None,
        "source": "; ".join(stored.sources or [stored.source or stored.document_id]),
        "notes": event.sentence,
        "fatalities": event.fatalities if event.fatalities is not None else 0,
    }


def write_csv(stored_events: Iterable[StoredEvent], stream: IO[str]) -> None:
    writer = csv.DictWriter(stream, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for stored in stored_events:
        writer.writerow(acled_row(stored))


def write_json(stored_events: Iterable[StoredEvent], stream: IO[str]) -> None:
    """A JSON array, written item by item so memory stays flat."""
    stream.write("[")
    for index, stored in enumerate(stored_events):
        stream.write(("\n" if index == 0 else ",\n") + stored.model_dump_json())
    stream.write("\n]\n")


def write_geojson(stored_events: Iterable[StoredEvent], stream: IO[str]) -> None:
    """A FeatureCollection of the events that have coordinates."""
    stream.write('{"type": "FeatureCollection", "features": [')
    first = True
    for stored in stored_events:
        location = stored.event.location
        if location is None or location.lat is None or location.lon is None:
            continue
        feature = {
            "type": "Feature",
            "id": stored.canonical_uid,
            "geometry": {"type": "Point", "coordinates": [location.lon, location.lat]},
            "properties": acled_row(stored),
        }
        stream.write(("\n" if first else ",\n") + json.dumps(feature))
        first = False
    stream.write("\n]}\n")


def write_parquet(stored_events: Iterable[StoredEvent], path: str, batch_rows: int = 5000) -> None:
    """ACLED's columns plus the full record as JSON, written in row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("event_id_cnty", pa.string()),
            ("event_date", pa.string()),
            ("year", pa.int32()),
            ("time_precision", pa.int8()),
            ("disorder_type", pa.string()),
            ("event_type", pa.string()),
            ("sub_event_type", pa.string()),
            ("actor1", pa.string()),
            ("inter1", pa.int8()),
            ("actor2", pa.string()),
            ("inter2", pa.int8()),
            ("iso", pa.int32()),
            ("country", pa.string()),
            ("admin1", pa.string()),
            ("location", pa.string()),
            ("latitude", pa.float64()),
            ("longitude", pa.float64()),
            ("geo_precision", pa.int8()),
            ("source", pa.string()),
            ("notes", pa.string()),
            ("fatalities", pa.int32()),
            ("record", pa.string()),
        ]
    )
    with pq.ParquetWriter(path, schema) as writer:
        rows: list[dict[str, Any]] = []
        written = False
        for stored in stored_events:
            row = acled_row(stored)
            row["record"] = stored.model_dump_json()
            rows.append(row)
            if len(rows) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows, written = [], True
        if rows or not written:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
