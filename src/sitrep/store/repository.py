"""Write coded documents into the store, each whole or not at all.

`write_document` inserts the document, its near-duplicate links, its events and
their merge into canonical events in one transaction (`write_documents` does a
batch in one), so an interrupted ingest never leaves half a document behind;
`known_inputs` lets a rerun skip what is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Engine,
    Table,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    union_all,
    update,
)

from sitrep.merge.events import (
    date_range,
    event_family,
    match_events,
    merge_settings,
)
from sitrep.merge.events import type_families as load_type_families
from sitrep.merge.near_duplicates import (
    band_keys,
    is_near_duplicate,
    signature_similarities,
)
from sitrep.models import Event
from sitrep.store.records import CodedDocument
from sitrep.store.schema import (
    REPRESENTS,
    document_bands,
    document_links,
    documents,
    events,
    ingest_errors,
    longest_range_days,
    sources,
)

RecordT = TypeVar("RecordT", bound=BaseModel)

# Serialises writers on a shared PostgreSQL store, so two ingests never miss
# each other's events when merging (any constant: the key is ours alone).
PG_WRITE_LOCK_KEY = 0x5172_E907
_PG_WRITE_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_KNOWN_INPUTS = union_all(
    *(
        select(table.c.input_hash).where(
            table.c.input_hash.in_(bindparam("hashes", expanding=True))
        )
        for table in (documents, ingest_errors)
    )
)


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

    columns = _column_names(table)
    return {
        key: value for key, value in walk(record.model_dump(mode="python"), "") if key in columns
    }


@lru_cache(maxsize=8)
def _column_names(table: Table) -> frozenset[str]:
    return frozenset(table.c.keys())


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
    wanted = sorted(set(hashes))
    if not wanted:
        return set()
    rows = connection.execute(_KNOWN_INPUTS, {"hashes": wanted})
    return {row[0] for row in rows}


def write_document(engine: Engine, coded: CodedDocument) -> WriteOutcome:
    """Store one coded document (or its error) in its own transaction."""
    with engine.begin() as connection:
        _take_write_lock(connection)
        return _write(connection, coded)


def write_documents(engine: Engine, batch: Sequence[CodedDocument]) -> list[WriteOutcome]:
    """Store coded documents in one transaction.

    One commit for many documents is what keeps the store's writer ahead of the
    coders. A kill at any point leaves either the whole batch or none of it, so a
    rerun never finds half a document. When a document cannot be stored the whole
    transaction is rolled back and the batch is written again one document to a
    transaction, so that the failure is recorded against its own document and the
    others are kept: a savepoint per document would cost every batch what only a
    failing one needs.
    """
    try:
        with engine.begin() as connection:
            _take_write_lock(connection)
            stored = known_inputs(connection, (coded.input_hash for coded in batch))
            outcomes = []
            for coded in batch:
                if coded.input_hash in stored:
                    outcomes.append(WriteOutcome(written=False))
                    continue
                stored.add(coded.input_hash)
                outcomes.append(_write_new(connection, coded))
            return outcomes
    except Exception:
        pass  # written again below, one document at a time
    return [write_or_record_failure(engine, coded) for coded in batch]


def write_or_record_failure(engine: Engine, coded: CodedDocument) -> WriteOutcome:
    """`write_document`, with a failure to store recorded against the document (an
    error that stops recording it too, a lost connection or a full disk, is raised)."""
    try:
        return write_document(engine, coded)
    except Exception as error:
        reason = f"could not store: {type(error).__name__}: {error}"
        record_error(engine, coded.input_hash, coded.result.id, coded.input_name, reason)
        return WriteOutcome(written=True, error=reason)


def _take_write_lock(connection: Connection) -> None:
    # SQLite writers take the lock with BEGIN IMMEDIATE (store.engine).
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_WRITE_LOCK, {"key": PG_WRITE_LOCK_KEY})


def _write(connection: Connection, coded: CodedDocument) -> WriteOutcome:
    if known_inputs(connection, [coded.input_hash]):
        return WriteOutcome(written=False)
    return _write_new(connection, coded)


def _write_new(connection: Connection, coded: CodedDocument) -> WriteOutcome:
    """Store a coded document whose input is not stored yet."""
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
    found = connection.execute(_SOURCE_KEY, {"name": name}).scalar()
    if found is not None:
        return int(found)
    inserted = connection.execute(_INSERT_SOURCE, {"name": name})
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
    inserted = connection.execute(_INSERT_DOCUMENT, values)
    return int(inserted.scalar_one())


def _link_near_duplicates(
    connection: Connection, document_key: int, minhash: bytes | None
) -> set[int]:
    """Link this document to every stored near-duplicate; returns their keys."""
    if minhash is None:
        return set()
    keys = band_keys(minhash)
    candidates = connection.execute(_NEAR_DUPLICATE_CANDIDATES, {"band_keys": keys}).all()
    duplicates: set[int] = set()
    links = []
    similarities = signature_similarities(minhash, [other for _, other in candidates])
    for (other_key, _), similarity in zip(candidates, similarities, strict=True):
        if is_near_duplicate(similarity):
            duplicates.add(int(other_key))
            low, high = sorted((int(other_key), document_key))
            links.append({"document_a": low, "document_b": high, "similarity": similarity})
    if links:
        connection.execute(insert(document_links), links)
    connection.execute(
        insert(document_bands), [{"band_key": key, "document_id": document_key} for key in keys]
    )
    return duplicates


# Tuples rather than dataclasses: a document decodes a candidate for every stored
# event it may merge with, and building a tuple costs a fraction of a frozen dataclass.
class StoredActor(NamedTuple):
    name: str


class StoredPlace(NamedTuple):
    name: str
    admin1: str | None
    country: str | None
    iso3: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    geo_precision: int


class Candidate(NamedTuple):
    """A stored event the new ones may merge with, as the columns `match_events` reads
    (a `MergeableEvent`), with where it is stored and the cluster it is in.

    Its dates are its stored range: the merge reads an event's dates through
    `merge.events.date_range` alone, which the range is (`_insert_events`), so the
    search fetches two dates where the event has three.
    """

    uid: str
    document_key: int
    canonical_uid: str
    range_start: dt.date | None
    range_end: dt.date | None
    event_type: str | None
    sub_event_type: str | None
    plover_type: str
    date: dt.date | None
    date_earliest: dt.date | None
    date_latest: dt.date | None
    actor1: StoredActor | None
    actor2: StoredActor | None
    location: StoredPlace | None


# What the merge reads of a stored event: its record stays undecoded, since a
# document's candidates are many and the few that merge are ranked by their record.
_CANDIDATE_COLUMNS = (
    events.c.uid,
    events.c.document_id,
    events.c.canonical_uid,
    events.c.event_type,
    events.c.sub_event_type,
    events.c.plover_type,
    events.c.range_start,
    events.c.range_end,
    events.c.actor1_name,
    events.c.actor2_name,
    events.c.location_name,
    events.c.location_admin1,
    events.c.location_country,
    events.c.location_iso3,
    events.c.location_lat,
    events.c.location_lon,
    events.c.location_geonameid,
    events.c.location_geo_precision,
)
_SAME_FAMILY = or_(
    events.c.event_type.in_(bindparam("families", expanding=True)),
    events.c.plover_type.in_(bindparam("plover_families", expanding=True)),
)
# Statements built once: each document runs them, and building SQL costs more than running it.
_SOURCE_KEY = select(sources.c.id).where(sources.c.name == bindparam("name"))
_INSERT_SOURCE = insert(sources).returning(sources.c.id)
_INSERT_DOCUMENT = insert(documents).returning(documents.c.id)
_NEAR_DUPLICATE_CANDIDATES = (
    select(documents.c.id, documents.c.minhash)
    .where(
        documents.c.id.in_(
            select(document_bands.c.document_id).where(
                document_bands.c.band_key.in_(bindparam("band_keys", expanding=True))
            )
        )
    )
    .order_by(documents.c.id)
)
_CANDIDATES_OF_DOCUMENTS = select(*_CANDIDATE_COLUMNS).where(
    events.c.document_id.in_(bindparam("duplicates", expanding=True)), _SAME_FAMILY
)
_IN_OTHER_DOCUMENTS_AND_FAMILY = (
    (events.c.document_id != bindparam("document_key"))
    & _SAME_FAMILY
    & (events.c.range_end >= bindparam("end_low"))
)


def _mergeable_scales() -> list[int]:
    """The range scales (`schema.range_scale`) of every stored range that can share days
    with a new one: none longer than max_range_days merges, nor a reversed one whose
    ends are more than date_slack_days apart."""
    settings = merge_settings()
    farthest_ends = max(settings.max_range_days - 1, settings.date_slack_days, 0)
    return list(range(farthest_ends.bit_length() + 1))


_MERGEABLE_SCALES = _mergeable_scales()
# How many days before the lowest range_end of a document's window a stored range of
# each scale may start: its ends are at most this far apart (a reversed range, which
# starts after it ends, starts after that end anyway).
_SCALE_REACH = {
    scale: timedelta(
        days=min(longest_range_days(scale), max(merge_settings().max_range_days - 1, 0))
    )
    for scale in _MERGEABLE_SCALES
}


def _starts_in_window(scale: int | None) -> ColumnElement[bool]:
    """Stored ranges of `scale` that start where one sharing days with a new range must
    (`_SCALE_REACH`); None: the ranges stored without a scale (by hand), in the window
    of the longest mergeable range."""
    is_scale: ColumnElement[bool]
    start_low: BindParameter[Any]
    if scale is None:
        is_scale = events.c.range_scale.is_(None)
        start_low = bindparam("start_low")
    else:
        is_scale = events.c.range_scale == scale
        start_low = bindparam(f"start_low_{scale}")
    return is_scale & events.c.range_start.between(start_low, bindparam("start_high"))


def _starts_in_windows(among: ColumnElement[bool] | None = None) -> list[ColumnElement[bool]]:
    # One term per scale, each a seek of (among, range_scale, range_start) in an index.
    return [
        _starts_in_window(scale) if among is None else among & _starts_in_window(scale)
        for scale in [*_MERGEABLE_SCALES, None]
    ]


# Stored ranges that may share days with the new ones, scale by scale: a range of scale
# s is shorter than 2**s days, so it starts at most that many days before the earliest
# new start, and most stored ranges are a day long. A scan of range_start alone would
# read every range that starts up to max_range_days earlier.
_CANDIDATES_IN_WINDOW = select(*_CANDIDATE_COLUMNS).where(
    _IN_OTHER_DOCUMENTS_AND_FAMILY & or_(*_starts_in_windows())
)


def _sql_literal(value: str) -> ColumnElement[Any]:
    """`value` written into a statement rather than bound (see `_row_family`)."""
    return literal_column("'" + value.replace("'", "''") + "'")


def _row_family() -> ColumnElement[Any]:
    """`merge.events.event_family` in SQL: the ACLED type's family, else the PLOVER
    type's. The names are written into the statement, not bound: a bound value costs
    each search more than SQLite takes to test it."""
    families = load_type_families()

    def family_of(column: ColumnElement[Any]) -> ColumnElement[Any]:
        whens = [(_sql_literal(key), _sql_literal(family)) for key, family in families.items()]
        return case(*whens, value=column)

    return case(
        (
            events.c.event_type.in_([_sql_literal(key) for key in families]),
            family_of(events.c.event_type),
        ),
        else_=family_of(events.c.plover_type),
    )


# The document's families, each with the date window of its own events. The search
# seeks the window of all its events, which for a document of several families (an
# attack, the statements about it, the displacement it caused) holds many rows that
# no event of the row's own family may merge with, and fetching a row costs more
# than testing it in SQL.
_FAMILY_NAMES = sorted(set(load_type_families().values()))
_FAMILY_WINDOW_TEST = case(
    *(
        (
            _sql_literal(family),
            events.c.range_start.between(
                bindparam(f"family_start_low_{slot}", type_=events.c.range_start.type),
                bindparam(f"family_start_high_{slot}", type_=events.c.range_start.type),
            )
            & (
                events.c.range_end
                >= bindparam(f"family_end_low_{slot}", type_=events.c.range_end.type)
            ),
        )
        for slot, family in enumerate(_FAMILY_NAMES)
    ),
    value=_row_family(),
)


def _family_window_values(
    windows: Sequence[tuple[str, tuple[dt.date, dt.date, dt.date]]],
) -> dict[str, Any]:
    """The values of `_FAMILY_WINDOW_TEST` for events' (family, window): each family's
    widest window, and for a family the document has none of, a window holding no date."""
    values: dict[str, Any] = {}
    for slot, family in enumerate(_FAMILY_NAMES):
        own = [window for name, window in windows if name == family]
        values.update(
            {
                f"family_start_low_{slot}": min((w[0] for w in own), default=dt.date.max),
                f"family_start_high_{slot}": max((w[1] for w in own), default=dt.date.min),
                f"family_end_low_{slot}": min((w[2] for w in own), default=dt.date.max),
            }
        )
    return values


# A place with a country never merges with one of another country or none
# (merge.events._place_relation): leave those in the table rather than decode
# every event of the window in every country. The country is repeated inside each
# branch of the OR so that SQLite searches each by (country, scale, range_start) with
# the ix_events_merge_* indexes instead of reading the country's events of every date.
_CANDIDATES_IN_WINDOW_AND_COUNTRIES = select(*_CANDIDATE_COLUMNS).where(
    _IN_OTHER_DOCUMENTS_AND_FAMILY
    & or_(
        *_starts_in_windows(
            func.lower(events.c.location_country).in_(bindparam("countries", expanding=True))
        ),
        *_starts_in_windows(
            func.lower(events.c.location_iso3).in_(bindparam("iso3s", expanding=True))
        ),
    )
)
_REPRESENTATIVES = select(events.c.uid, events.c.canonical_uid, events.c.record).where(
    events.c.canonical_uid.in_(bindparam("canonical_uids", expanding=True)),
    REPRESENTS,  # ix_events_representative's condition, as it is spelled there
)
_MEMBERS = select(events.c.uid, events.c.canonical_uid, events.c.record).where(
    events.c.canonical_uid.in_(bindparam("canonical_uids", expanding=True))
)
_MOVE_CLUSTER = (
    update(events)
    .where(events.c.canonical_uid == bindparam("old_canonical"))
    .values(canonical_uid=bindparam("new_canonical"))
)
_SET_REPRESENTATIVE = (
    update(events)
    .where(events.c.uid == bindparam("member"))
    .values(represents_cluster=bindparam("represents"))
)


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
            location_name_folded=_folded(event.location.name) if event.location else None,
            location_admin1_folded=_folded(event.location.admin1) if event.location else None,
            record=event.model_dump(mode="json"),
        )
        rows.append(row)
    reaches = _reaches(_candidates(connection, document_key, stored, duplicates))
    # The rows a test reached, decoded once for all the document's events.
    decoded: dict[str, Candidate] = {}
    matched = [_joined_clusters(event, reaches, duplicates, decoded) for event in stored]
    _merge_clusters(connection, rows, matched)
    # An executemany takes its columns from the first row: give every row every key, or an
    # event after one without actor2 or location would lose its own.
    keys = set().union(*rows)
    connection.execute(insert(events), [{key: row.get(key) for key in keys} for row in rows])
    return len(rows)


@lru_cache(maxsize=64)
def _family_keys(family: str) -> frozenset[str]:
    return frozenset(key for key, value in load_type_families().items() if value == family)


def _window(event: Event) -> tuple[dt.date, dt.date, dt.date] | None:
    """(lowest range_start, highest range_start, lowest range_end) a stored event needs to
    share days with `event`; None when `event` is undated or unplaced, so merges only
    with its near-duplicates."""
    span = date_range(event)
    if span is None or event.location is None:
        return None
    settings = merge_settings()
    slack = timedelta(days=settings.date_slack_days)
    longest = timedelta(days=settings.max_range_days)
    return span[0] - slack - longest, span[1] + slack, span[0] - slack


def _candidates(
    connection: Connection, document_key: int, stored: list[Event], duplicates: set[int]
) -> list[Any]:
    """Every stored event of another document that any of `stored` may merge with,
    as rows of `_CANDIDATE_COLUMNS` in uid order.

    One query for the document's near-duplicates and one for the dates and countries
    of all its events: `_matches` then picks each event's own from these.
    """
    families = {family for event in stored if (family := event_family(event)) is not None}
    if not families:
        return []
    family_keys = sorted(set().union(*(_family_keys(family) for family in families)))
    same_family = {"families": family_keys, "plover_families": family_keys}
    rows: list[Any] = []
    if duplicates:
        rows += connection.execute(
            _CANDIDATES_OF_DOCUMENTS, {**same_family, "duplicates": sorted(duplicates)}
        ).all()
    placed = [
        (event, family, window)
        for event in stored
        if (family := event_family(event)) is not None and (window := _window(event)) is not None
    ]
    if placed:
        end_low = min(window[2] for _, _, window in placed)
        window_values = {
            **same_family,
            "document_key": document_key,
            "start_low": min(window[0] for _, _, window in placed),
            "start_high": max(window[1] for _, _, window in placed),
            "end_low": end_low,
            **{f"start_low_{scale}": end_low - reach for scale, reach in _SCALE_REACH.items()},
        }
        places = [event.location for event, _, _ in placed if event.location is not None]
        countries = {place.country.lower() for place in places if place.country}
        reach = _place_reach(places, merge_settings().max_distance_km)
        by_country = all(place.country for place in places)
        if by_country:
            window_values.update(
                countries=sorted(countries),
                iso3s=sorted({place.iso3.lower() for place in places if place.iso3}),
            )
        if reach is not None:
            window_values.update(reach)
        window_values.update(
            _family_window_values([(family, window) for _, family, window in placed])
        )
        search = _CANDIDATE_SEARCHES[by_country, reach is not None]
        rows += connection.execute(search, window_values).all()
    unique = {row.uid: row for row in rows}
    return [unique[uid] for uid in sorted(unique)]


# Degrees of latitude in a km, rounded up: a box this wide holds every point within
# the distance (`_place_reach`).
_DEGREES_PER_KM = 1 / 111.0


def _folded(text: str | None) -> str | None:
    """A name as the merge compares it (`merge.events._same_text`), stored beside it."""
    return None if text is None else text.casefold()


def _place_test() -> ColumnElement[bool]:
    """The SQL half of `_place_reach`: one statement for every document, its values
    bound, since building and compiling a test per document cost more than running it."""
    column = events.c
    precise = column.location_geo_precision < 3
    region = column.location_geo_precision >= 3
    has_point = column.location_lat.is_not(None) & column.location_lon.is_not(None)

    def among(name: str) -> Any:
        return bindparam(name, expanding=True)

    boxes = [
        precise
        & column.location_lat.between(bindparam(f"lat_low_{slot}"), bindparam(f"lat_high_{slot}"))
        & column.location_lon.between(bindparam(f"lon_low_{slot}"), bindparam(f"lon_high_{slot}"))
        for slot in range(_PLACE_BOXES)
    ]
    return and_(
        column.location_name.is_not(None),
        or_(
            column.location_geo_precision.is_(None),
            column.location_name_folded.is_(None),
            column.location_admin1_folded.is_(None) & column.location_admin1.is_not(None),
            column.location_geonameid.in_(among("geonameids")),
            column.location_admin1_folded.in_(among("region_admin1s")),
            region & column.location_admin1_folded.in_(among("precise_admin1s")),
            precise & column.location_name_folded.in_(among("unpointed_names")),
            precise & ~has_point & column.location_name_folded.in_(among("pointed_names")),
            *boxes,
        ),
    )


# Bounding boxes the place test has room for; a document with more precise places
# than this shares the last box among the rest (a wider box keeps more, never fewer).
_PLACE_BOXES = 3
# An empty box slot: no latitude lies between 1 and -1 read this way round.
_NO_BOX = (1.0, -1.0, 1.0, -1.0)
_PLACE_TEST = _place_test()
# The candidate search by (every place has a country, the place test applies).
_CANDIDATE_SEARCHES = {
    (False, False): _CANDIDATES_IN_WINDOW.where(_FAMILY_WINDOW_TEST),
    (False, True): _CANDIDATES_IN_WINDOW.where(_FAMILY_WINDOW_TEST, _PLACE_TEST),
    (True, False): _CANDIDATES_IN_WINDOW_AND_COUNTRIES.where(_FAMILY_WINDOW_TEST),
    (True, True): _CANDIDATES_IN_WINDOW_AND_COUNTRIES.where(_FAMILY_WINDOW_TEST, _PLACE_TEST),
}


def _place_reach(places: Sequence[Any], max_km: float) -> dict[str, Any] | None:
    """The values of `_PLACE_TEST` that keep every stored place that
    `merge.events._place_relation` could relate to one of `places` (a superset:
    `match_events` decides), or None when no test may be made.

    A stored place relates to a new one only by the same geonameid, by both being
    precise (precision 1 or 2) and within `max_km` (a bounding box here), by both being
    precise and of the same name when a point is missing, or by the same admin1 when
    one of them is a region-level place (precision 3). Names and admin1s are compared
    casefolded, on the columns that hold them so (`location_*_folded`); a stored place
    without them (written before they were, by hand) stays in.
    """
    lat_reach = max_km * _DEGREES_PER_KM * 1.01
    boxes: list[tuple[float, float, float, float]] = []
    pointed_names: set[str] = set()
    unpointed_names: set[str] = set()
    for place in places:
        if place.geo_precision >= 3:
            continue
        if place.lat is None or place.lon is None:
            # No distance: a precise stored place relates by its name alone.
            unpointed_names.add(place.name.casefold())
            continue
        pointed_names.add(place.name.casefold())
        cos_lat = math.cos(math.radians(min(89.0, abs(place.lat) + lat_reach)))
        lon_reach = lat_reach / max(cos_lat, 0.01)
        if abs(place.lon) + lon_reach >= 180.0:
            return None  # the box would cross the antimeridian
        box = (
            place.lat - lat_reach,
            place.lat + lat_reach,
            place.lon - lon_reach,
            place.lon + lon_reach,
        )
        if box not in boxes:
            boxes.append(box)
    values: dict[str, Any] = {
        "geonameids": sorted({place.geonameid for place in places if place.geonameid is not None}),
        # Same admin1, when the new place or the stored one is region-level.
        "region_admin1s": _folded_admin1s(places, region_level=True),
        "precise_admin1s": _folded_admin1s(places, region_level=False),
        "unpointed_names": sorted(unpointed_names),
        "pointed_names": sorted(pointed_names),
    }
    for slot, (lat_low, lat_high, lon_low, lon_high) in enumerate(_box_slots(boxes)):
        values.update(
            {
                f"lat_low_{slot}": lat_low,
                f"lat_high_{slot}": lat_high,
                f"lon_low_{slot}": lon_low,
                f"lon_high_{slot}": lon_high,
            }
        )
    return values


def _folded_admin1s(places: Sequence[Any], *, region_level: bool) -> list[str]:
    return sorted(
        {
            place.admin1.casefold()
            for place in places
            if place.admin1 is not None and (place.geo_precision >= 3) == region_level
        }
    )


def _box_slots(
    boxes: list[tuple[float, float, float, float]],
) -> list[tuple[float, float, float, float]]:
    """`boxes` fitted to the `_PLACE_BOXES` slots: the last covers those left over."""
    if len(boxes) > _PLACE_BOXES:
        rest = boxes[_PLACE_BOXES - 1 :]
        cover = (
            min(box[0] for box in rest),
            max(box[1] for box in rest),
            min(box[2] for box in rest),
            max(box[3] for box in rest),
        )
        boxes = [*boxes[: _PLACE_BOXES - 1], cover]
    return boxes + [_NO_BOX] * (_PLACE_BOXES - len(boxes))


def _candidate(row: Any) -> Candidate:
    location = None
    if row.location_name is not None:
        location = StoredPlace(
            name=row.location_name,
            admin1=row.location_admin1,
            country=row.location_country,
            iso3=row.location_iso3,
            lat=row.location_lat,
            lon=row.location_lon,
            geonameid=row.location_geonameid,
            geo_precision=row.location_geo_precision,
        )
    return Candidate(
        uid=str(row.uid),
        document_key=int(row.document_id),
        canonical_uid=str(row.canonical_uid),
        range_start=row.range_start,
        range_end=row.range_end,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        plover_type=row.plover_type,
        date=None,
        date_earliest=row.range_start,
        date_latest=row.range_end,
        actor1=None if row.actor1_name is None else StoredActor(row.actor1_name),
        actor2=None if row.actor2_name is None else StoredActor(row.actor2_name),
        location=location,
    )


class _Reach(NamedTuple):
    """What an event's own search tests of a candidate row (`_matches`), worked out
    once per row for all of a document's events: the row, its type family, its
    date range and its lowered country and ISO3 (None without a place)."""

    row: Any
    family: str | None
    range_start: dt.date | None
    range_end: dt.date | None
    country: str | None
    iso3: str | None


def _reaches(candidate_rows: list[Any]) -> list[_Reach]:
    reaches = []
    for row in candidate_rows:
        placed = row.location_name is not None
        country, iso3 = (row.location_country, row.location_iso3) if placed else (None, None)
        reaches.append(
            _Reach(
                row=row,
                family=event_family(row),
                range_start=row.range_start,
                range_end=row.range_end,
                country=None if country is None else country.lower(),
                iso3=None if iso3 is None else iso3.lower(),
            )
        )
    return reaches


def _joined_clusters(
    event: Event, reaches: list[_Reach], duplicates: set[int], decoded: dict[str, Candidate]
) -> list[Candidate]:
    """One stored event of each cluster that is the same happening as `event`.

    Each candidate is held to `event`'s own search (its near-duplicates, or its date
    window and country) before the rules are tried, as if searched for it alone; only
    a row that passes is decoded (into `decoded`, shared by the document's events).
    A row of another family is passed over: `match_events` merges within one family.
    Once `event` matches a member of a cluster, the cluster's other members are not
    tested: one match joins the clusters, which are what the store keeps (the pairs
    are worked out again when a happening is explained, `query.explain_event`).
    """
    family = event_family(event)
    if family is None:
        return []
    window = _window(event)
    place = event.location
    country = place.country.lower() if place is not None and place.country else None
    iso3 = place.iso3.lower() if place is not None and place.iso3 else None
    found: dict[str, Candidate] = {}
    for reach in reaches:
        row = reach.row
        if reach.family != family or row.canonical_uid in found:
            continue
        near_duplicate = row.document_id in duplicates
        if not near_duplicate and not _in_reach(reach, window, country, iso3):
            continue
        candidate = decoded.get(row.uid)
        if candidate is None:
            candidate = decoded[row.uid] = _candidate(row)
        if match_events(event, candidate, near_duplicate) is not None:
            found[row.canonical_uid] = candidate
    return list(found.values())


def _in_reach(
    reach: _Reach,
    window: tuple[dt.date, dt.date, dt.date] | None,
    country: str | None,
    iso3: str | None,
) -> bool:
    """Whether a candidate row lies in an event's own date window and country."""
    if window is None or reach.range_start is None or reach.range_end is None:
        return False
    if not window[0] <= reach.range_start <= window[1] or reach.range_end < window[2]:
        return False
    if country is None and iso3 is None:
        return True
    return (country is not None and reach.country == country) or (
        iso3 is not None and reach.iso3 == iso3
    )


def _merge_clusters(
    connection: Connection,
    rows: list[dict[str, Any]],
    matched: list[list[Candidate]],
) -> None:
    """Join the new events to the clusters they matched, before they are inserted.

    Every stored cluster already has its smallest uid as canonical and exactly one
    representative, so the joined cluster's canonical is the smallest of the joined
    canonicals and the new uids, and its representative the best of the joined
    representatives and the new events: no walk over the members, no member
    re-read. `rows` get their canonical_uid and represents_cluster here.
    """
    # Union-find over the new uids and the canonical uids of the clusters they touch.
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = node = parent[parent[node]]
        return node

    old_canonicals: set[str] = set()
    for row, found in zip(rows, matched, strict=True):
        for candidate in found:
            old_canonicals.add(candidate.canonical_uid)
            low, high = sorted((root(row["uid"]), root(candidate.canonical_uid)))
            parent[high] = low
    if not old_canonicals:
        return  # every new event is a cluster of its own, as inserted
    broken, ranked = _stored_representatives(connection, sorted(old_canonicals))
    for row in rows:
        ranked.append((record_rank(row["uid"], row["record"]), row["uid"], row["uid"]))
    best: dict[str, tuple[tuple[int, int, int, str], str]] = {}
    for rank, uid, cluster in ranked:
        top = root(cluster)
        if top not in best or rank < best[top][0]:
            best[top] = (rank, uid)
    moves = [
        {"old_canonical": canonical, "new_canonical": root(canonical)}
        for canonical in sorted(old_canonicals)
        if root(canonical) != canonical
    ]
    if moves:
        connection.execute(_MOVE_CLUSTER, moves)
    new_uids = {row["uid"] for row in rows}
    changes = [
        {"member": uid, "represents": best[root(cluster)][1] == uid}
        for _, uid, cluster in ranked
        if uid not in new_uids and (cluster in broken or best[root(cluster)][1] != uid)
    ]
    if changes:
        connection.execute(_SET_REPRESENTATIVE, changes)
    for row in rows:
        top = root(row["uid"])
        row["canonical_uid"] = top
        row["represents_cluster"] = best[top][1] == row["uid"]


def _stored_representatives(
    connection: Connection, canonical_uids: list[str]
) -> tuple[set[str], list[tuple[tuple[int, int, int, str], str, str]]]:
    """The clusters to repair, and (rank, uid, canonical uid) of each stored
    cluster's representative.

    A cluster without exactly one representative (which no writer leaves, but a
    store may have been edited by hand) has all its members ranked instead, and
    is repaired.
    """
    rows = connection.execute(_REPRESENTATIVES, {"canonical_uids": canonical_uids}).all()
    per_cluster: dict[str, int] = {}
    for row in rows:
        per_cluster[row.canonical_uid] = per_cluster.get(row.canonical_uid, 0) + 1
    broken = sorted(uid for uid in canonical_uids if per_cluster.get(uid) != 1)
    if broken:
        rows = [row for row in rows if row.canonical_uid not in broken]
        rows += connection.execute(_MEMBERS, {"canonical_uids": broken}).all()
    return set(broken), [
        (record_rank(str(row.uid), row.record), str(row.uid), str(row.canonical_uid))
        for row in rows
    ]


def representative_rank(uid: str, event: Event) -> tuple[int, int, int, str]:
    """Which member stands for a happening: the most precise place, then date, then the
    most fields filled; the uid breaks ties, so the choice never depends on input order."""
    place = event.location.geo_precision if event.location is not None else 4
    filled = sum(value is not None for value in event.model_dump(exclude={"evidence"}).values())
    return place, event.time_precision or 4, -filled, uid


def record_rank(uid: str, record: dict[str, Any]) -> tuple[int, int, int, str]:
    """`representative_rank` of an event's JSON record, read without decoding it: a
    record with every field, as the writer stores them, ranks as its event would."""
    if record.keys() != _EVENT_FIELDS:
        return representative_rank(uid, Event.model_validate(record))
    location = record["location"]
    place = location["geo_precision"] if location is not None else 4
    filled = sum(value is not None for key, value in record.items() if key != "evidence")
    return place, record["time_precision"] or 4, -filled, uid


_EVENT_FIELDS = frozenset(Event.model_fields)
