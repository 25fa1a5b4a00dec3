"""Write coded documents into the store, one transaction per document.

`write_document` inserts the document, its near-duplicate links, its events and
their merge into canonical events together, so an interrupted ingest never
leaves half a document behind; `known_inputs` lets a rerun skip what is stored.
"""

from __future__ import annotations

import hashlib
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, Table, func, insert, or_, select, text, update
from sqlalchemy.sql.elements import ColumnElement

from sitrep.merge.events import (
    EventMatch,
    date_range,
    event_family,
    match_events,
    merge_settings,
)
from sitrep.merge.events import type_families as load_type_families
from sitrep.merge.near_duplicates import (
    MinHashSignature,
    band_keys,
    estimated_similarity,
    is_near_duplicate,
)
from sitrep.models import Event
from sitrep.store.records import CodedDocument
from sitrep.store.schema import (
    document_bands,
    document_links,
    documents,
    event_matches,
    events,
    ingest_errors,
    sources,
)

RecordT = TypeVar("RecordT", bound=BaseModel)

# Serialises writers on a shared PostgreSQL store, so two ingests never miss
# each other's events when merging (any constant: the key is ours alone).
PG_WRITE_LOCK_KEY = 0x5172_E907


@dataclass(frozen=True)
class WriteOutcome:
    """What writing one coded document did."""

    written: bool
    events: int = 0
    error: str | None = None


def flatten_record(record: BaseModel, table: Table) -> dict[str, Any]:
    """A record's fields as `table`'s columns, nested records as `<field>_<subfield>`."""

    def walk(values: dict[str, Any], prefix: str) -> Iterable[tuple[str, Any]]:
        for name, value in values.items():
            if isinstance(value, dict):
                yield from walk(value, f"{prefix}{name}_")
            else:
                yield f"{prefix}{name}", value

    columns = table.c.keys()
    return {
        key: value for key, value in walk(record.model_dump(mode="python"), "") if key in columns
    }


def unflatten_record(model: type[RecordT], row: Any) -> RecordT:
    """The inverse of `flatten_record`: `model` rebuilt from `<field>_<subfield>` columns."""
    values = row._mapping

    def collect(record_type: type[BaseModel], prefix: str) -> dict[str, Any] | None:
        fields: dict[str, Any] = {}
        for name, info in record_type.model_fields.items():
            nested = _record_type(info.annotation)
            if nested is not None:
                fields[name] = collect(nested, f"{prefix}{name}_")
            elif f"{prefix}{name}" in values:
                fields[name] = values[f"{prefix}{name}"]
        if prefix and all(value is None for value in fields.values()):
            return None
        return fields

    return model.model_validate(collect(model, "") or {})


def _record_type(annotation: Any) -> type[BaseModel] | None:
    """The pydantic record inside `annotation` (`Dateline | None` -> Dateline), if any."""
    candidates = typing.get_args(annotation) or (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def event_uid(document_input_hash: str, event_id: str) -> str:
    """Store-wide event id; independent of insertion order (canonical ids rely on it)."""
    return hashlib.sha1(f"{document_input_hash}|{event_id}".encode()).hexdigest()[:16]


def known_inputs(connection: Connection, hashes: Iterable[str]) -> set[str]:
    """The input hashes already stored as a document or as a recorded error."""
    wanted = list(set(hashes))
    if not wanted:
        return set()
    found: set[str] = set()
    for table in (documents, ingest_errors):
        rows = connection.execute(select(table.c.input_hash).where(table.c.input_hash.in_(wanted)))
        found.update(row[0] for row in rows)
    return found


def write_document(engine: Engine, coded: CodedDocument) -> WriteOutcome:
    """Store one coded document (or its error) in its own transaction."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK_KEY}
            )
        if known_inputs(connection, [coded.input_hash]):
            return WriteOutcome(written=False)
        if coded.result.errors:
            message = "; ".join(coded.result.errors)
            _insert_error(connection, coded.input_hash, coded.result.id, coded.input_name, message)
            return WriteOutcome(written=True, error=message)
        document_key = _insert_document(connection, coded)
        duplicates = _link_near_duplicates(connection, document_key, coded.minhash)
        count = _insert_events(connection, document_key, coded, duplicates)
    return WriteOutcome(written=True, events=count)


def record_error(
    engine: Engine, input_hash: str, document_id: str | None, input_name: str | None, error: str
) -> None:
    """Record a document that could not be coded or stored; the ingest goes on."""
    with engine.begin() as connection:
        if not known_inputs(connection, [input_hash]):
            _insert_error(connection, input_hash, document_id, input_name, error)


def _insert_error(
    connection: Connection,
    input_hash: str,
    document_id: str | None,
    input_name: str | None,
    error: str,
) -> None:
    connection.execute(
        insert(ingest_errors).values(
            input_hash=input_hash,
            document_id=document_id,
            input_name=input_name,
            error=error,
            created_at=datetime.now(UTC),
        )
    )


def _source_name(coded: CodedDocument) -> str | None:
    if coded.source:
        return coded.source.strip()[:300]
    if coded.url:
        host = urlsplit(coded.url).hostname
        return host.removeprefix("www.") if host else None
    return None


def _source_key(connection: Connection, name: str | None) -> int | None:
    if name is None:
        return None
    found = connection.execute(select(sources.c.id).where(sources.c.name == name)).scalar()
    if found is not None:
        return int(found)
    inserted = connection.execute(insert(sources).values(name=name).returning(sources.c.id))
    return int(inserted.scalar_one())


def _insert_document(connection: Connection, coded: CodedDocument) -> int:
    values = flatten_record(coded.result.article, documents)
    values.update(
        input_hash=coded.input_hash,
        document_id=coded.result.id,
        source_id=_source_key(connection, _source_name(coded)),
        url=coded.url,
        input_name=coded.input_name,
        minhash=coded.minhash,
        ingested_at=datetime.now(UTC),
    )
    inserted = connection.execute(insert(documents).values(**values).returning(documents.c.id))
    return int(inserted.scalar_one())


def _link_near_duplicates(
    connection: Connection, document_key: int, minhash: bytes | None
) -> set[int]:
    """Link this document to every stored near-duplicate; returns their keys."""
    if minhash is None:
        return set()
    signature = MinHashSignature.from_bytes(minhash)
    keys = band_keys(signature)
    candidates = connection.execute(
        select(documents.c.id, documents.c.minhash)
        .where(
            documents.c.id.in_(
                select(document_bands.c.document_id).where(document_bands.c.band_key.in_(keys))
            )
        )
        .order_by(documents.c.id)
    ).all()
    duplicates: set[int] = set()
    for other_key, other_minhash in candidates:
        similarity = estimated_similarity(signature, MinHashSignature.from_bytes(other_minhash))
        if is_near_duplicate(similarity):
            duplicates.add(int(other_key))
            low, high = sorted((int(other_key), document_key))
            connection.execute(
                insert(document_links).values(
                    document_a=low, document_b=high, similarity=similarity
                )
            )
    connection.execute(
        insert(document_bands), [{"band_key": key, "document_id": document_key} for key in keys]
    )
    return duplicates


def _insert_events(
    connection: Connection, document_key: int, coded: CodedDocument, duplicates: set[int]
) -> int:
    stored = coded.result.events
    if not stored:
        return 0
    rows = []
    seen: dict[str, int] = {}
    for event in stored:
        # Two events of one document with the same pipeline id still get two uids.
        repeat = seen[event.event_id] = seen.get(event.event_id, -1) + 1
        key = event.event_id if repeat == 0 else f"{event.event_id}#{repeat}"
        uid = event_uid(coded.input_hash, key)
        row = flatten_record(event, events)
        row.update(
            uid=uid,
            document_id=document_key,
            canonical_uid=uid,
            represents_cluster=True,
            range_start=span[0] if (span := date_range(event)) else None,
            range_end=span[1] if span else None,
            record=event.model_dump(mode="json"),
        )
        rows.append(row)
    # An executemany takes its columns from the first row: give every row every key, or an
    # event after one without actor2 or location would lose its own.
    keys = set().union(*rows)
    rows = [{key: row.get(key) for key in keys} for row in rows]
    connection.execute(insert(events), rows)
    new_uids = [row["uid"] for row in rows]
    for row, event in zip(rows, stored, strict=True):
        for other_uid, match in _matches(connection, document_key, event, duplicates):
            low, high = sorted((row["uid"], other_uid))
            connection.execute(
                insert(event_matches).values(
                    uid_a=low,
                    uid_b=high,
                    rule=match.rule,
                    distance_km=match.distance_km,
                    overlap_days=match.overlap_days,
                    detail=match.detail,
                )
            )
    _recluster(connection, new_uids)
    return len(rows)


def _family_keys(event: Event) -> list[str]:
    family = event_family(event)
    return [key for key, value in load_type_families().items() if value == family]


def _matches(
    connection: Connection, document_key: int, event: Event, duplicates: set[int]
) -> list[tuple[str, EventMatch]]:
    """Stored events of other documents that are the same happening as `event`."""
    if event_family(event) is None:
        return []
    family_keys = _family_keys(event)
    same_family = or_(events.c.event_type.in_(family_keys), events.c.plover_type.in_(family_keys))
    reach: list[ColumnElement[bool]] = []
    if duplicates:
        reach.append(events.c.document_id.in_(sorted(duplicates)))
    span = date_range(event)
    if span is not None and event.location is not None:
        # Stored ranges that overlap this one; none mergeable is longer than
        # max_range_days, which bounds the index scan on range_start.
        settings = merge_settings()
        slack = timedelta(days=settings.date_slack_days)
        longest = timedelta(days=settings.max_range_days)
        in_window = events.c.range_start.between(span[0] - slack - longest, span[1] + slack) & (
            events.c.range_end >= span[0] - slack
        )
        # A place with a country never merges with one of another country or none
        # (merge.events._place_relation): leave those in the table rather than decode
        # every event of the window in every country.
        place = event.location
        same_country = [
            func.lower(column) == value.lower()
            for column, value in (
                (events.c.location_country, place.country),
                (events.c.location_iso3, place.iso3),
            )
            if value
        ]
        reach.append(in_window & or_(*same_country) if place.country else in_window)
    if not reach:
        return []
    candidates = connection.execute(
        select(events.c.uid, events.c.document_id, events.c.record)
        .where(events.c.document_id != document_key, same_family, or_(*reach))
        .order_by(events.c.uid)
    ).all()
    found = []
    for uid, other_document, record in candidates:
        other = Event.model_validate(record)
        match = match_events(event, other, int(other_document) in duplicates)
        if match is not None:
            found.append((str(uid), match))
    return found


def _recluster(connection: Connection, seeds: list[str]) -> None:
    """Give every event reachable from `seeds` its cluster's smallest uid as canonical."""
    done: set[str] = set()
    for seed in sorted(seeds):
        if seed in done:
            continue
        cluster = {seed}
        frontier = [seed]
        while frontier:
            rows = connection.execute(
                select(event_matches.c.uid_a, event_matches.c.uid_b).where(
                    event_matches.c.uid_a.in_(frontier) | event_matches.c.uid_b.in_(frontier)
                )
            ).all()
            neighbours = {uid for row in rows for uid in row} - cluster
            cluster |= neighbours
            frontier = sorted(neighbours)
        done |= cluster
        if cluster == {seed}:
            continue  # matched nothing: it was inserted as its own canonical representative
        members = connection.execute(
            select(events.c.uid, events.c.record).where(events.c.uid.in_(sorted(cluster)))
        ).all()
        representative = min(
            members,
            key=lambda row: representative_rank(str(row.uid), Event.model_validate(row.record)),
        )
        connection.execute(
            update(events)
            .where(events.c.uid.in_(sorted(cluster)))
            .values(
                canonical_uid=min(cluster),
                represents_cluster=events.c.uid == representative.uid,
            )
        )


def representative_rank(uid: str, event: Event) -> tuple[int, int, int, str]:
    """Which member stands for a happening: the most precise place, then date, then the
    most fields filled; the uid breaks ties, so the choice never depends on input order."""
    place = event.location.geo_precision if event.location is not None else 4
    filled = sum(value is not None for value in event.model_dump(exclude={"evidence"}).values())
    return place, event.time_precision or 4, -filled, uid
