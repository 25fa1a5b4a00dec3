"""Query the stored events: one filter record shared by the CLI and the HTTP API.

`query_events(connection, EventFilter)` returns a page of canonical events (one
per happening, with every source that reported it) or, with
`canonical=False`, every member event; `explain_event` gathers what
`sitrep events show ID` prints.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Select, and_, func, literal_column, or_, select, text
from sqlalchemy.sql.elements import ColumnElement

from sitrep.merge.events import EARTH_RADIUS_KM
from sitrep.models import Event
from sitrep.store.records import EventPage, StoredEvent
from sitrep.store.schema import document_links, documents, event_matches, events, sources

FTS_WORD = re.compile(r"\w+")


class Near(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    km: float = Field(gt=0)


class EventFilter(BaseModel):
    """Every filter of `sitrep events` (and of the API's /events); None means any."""

    event_type: str | None = None
    sub_event_type: str | None = None
    plover_type: str | None = None
    country: str | None = None
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    near: Near | None = None
    actor: str | None = None
    text: str | None = None
    min_fatalities: int | None = None
    # Only happenings with a report ingested at or after this moment (`sitrep watch`).
    ingested_since: datetime | None = None
    canonical: bool = True
    limit: int | None = 100
    offset: int = 0


def _casefold_equals(column: Any, value: str) -> ColumnElement[bool]:
    return func.lower(column) == value.lower()


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _distance_km(near: Near, dialect: str) -> ColumnElement[float]:
    """Great-circle distance from `near` to each event's place, computed in SQL."""
    lat = func.radians(events.c.location_lat)
    lon = func.radians(events.c.location_lon)
    lat0, lon0 = math.radians(near.lat), math.radians(near.lon)
    half_chord = func.pow(func.sin((lat - lat0) / 2), 2) + math.cos(lat0) * func.cos(
        lat
    ) * func.pow(func.sin((lon - lon0) / 2), 2)
    # The two-argument minimum is MIN on SQLite and LEAST on PostgreSQL.
    capped = func.least(1.0, half_chord) if dialect == "postgresql" else func.min(1.0, half_chord)
    return 2 * EARTH_RADIUS_KM * func.asin(func.sqrt(capped))


def _near_clause(near: Near, dialect: str) -> ColumnElement[bool]:
    # A bounding box first so the index on latitude narrows the rows the distance runs on.
    lat_span = near.km / 111.0
    lon_span = near.km / max(1e-6, 111.0 * math.cos(math.radians(near.lat)))
    clauses = [
        events.c.location_lat.between(near.lat - lat_span, near.lat + lat_span),
        _distance_km(near, dialect) <= near.km,
    ]
    if lon_span < 180:
        clauses.append(events.c.location_lon.between(near.lon - lon_span, near.lon + lon_span))
    return and_(*clauses)


def _text_clause(query: str, dialect: str) -> ColumnElement[bool]:
    words = FTS_WORD.findall(query)
    if dialect == "sqlite":
        # Each word quoted, so user text is never read as FTS5 syntax.
        fts_query = " ".join(f'"{word}"' for word in words)
        return events.c.id.in_(
            select(text("rowid"))
            .select_from(text("events_fts"))
            .where(text("events_fts MATCH :fts_query").bindparams(fts_query=fts_query))
        )
    if dialect == "postgresql":
        # The configuration is spelled inline so the planner can use the GIN index
        # on to_tsvector('english', sentence) from migration 0001.
        english: ColumnElement[str] = literal_column("'english'::regconfig")
        return func.to_tsvector(english, events.c.sentence).op("@@")(
            func.plainto_tsquery(english, " ".join(words))
        )
    return and_(*(events.c.sentence.ilike(f"%{_escape_like(w)}%", escape="\\") for w in words))


def filter_clauses(event_filter: EventFilter, dialect: str) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter over the `events` table."""
    f = event_filter
    clauses: list[ColumnElement[bool]] = []
    if f.event_type:
        clauses.append(_casefold_equals(events.c.event_type, f.event_type))
    if f.sub_event_type:
        clauses.append(_casefold_equals(events.c.sub_event_type, f.sub_event_type))
    if f.plover_type:
        clauses.append(_casefold_equals(events.c.plover_type, f.plover_type))
    if f.country:
        clauses.append(
            or_(
                _casefold_equals(events.c.location_country, f.country),
                _casefold_equals(events.c.location_iso3, f.country),
            )
        )
    if f.admin1:
        clauses.append(_casefold_equals(events.c.location_admin1, f.admin1))
    # An event is in the period when its date range overlaps it.
    if f.since:
        clauses.append(events.c.range_end >= f.since)
    if f.until:
        clauses.append(events.c.range_start <= f.until)
    if f.near:
        clauses.append(_near_clause(f.near, dialect))
    if f.actor:
        pattern = f"%{_escape_like(f.actor)}%"
        clauses.append(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        events.c.actor1_name,
                        events.c.actor1_raw,
                        events.c.actor2_name,
                        events.c.actor2_raw,
                    )
                )
            )
        )
    if f.text and FTS_WORD.search(f.text):
        clauses.append(_text_clause(f.text, dialect))
    if f.min_fatalities is not None:
        clauses.append(events.c.fatalities >= f.min_fatalities)
    if f.ingested_since is not None:
        recent = select(documents.c.id).where(documents.c.ingested_at >= f.ingested_since)
        clauses.append(events.c.document_id.in_(recent))
    return clauses


def _base_select() -> Select[Any]:
    return select(
        events.c.uid,
        events.c.canonical_uid,
        events.c.record,
        documents.c.document_id,
        documents.c.url,
        documents.c.published,
        documents.c.title,
        sources.c.name,
    ).select_from(
        events.join(documents, documents.c.id == events.c.document_id).outerjoin(
            sources, sources.c.id == documents.c.source_id
        )
    )


def query_events(connection: Connection, event_filter: EventFilter) -> EventPage:
    """One page of the events matching `event_filter`, newest first."""
    clauses = filter_clauses(event_filter, connection.dialect.name)
    where: list[ColumnElement[bool]] = list(clauses)
    if event_filter.canonical:
        # A happening matches when any of its reports does; its representative report shows it.
        where = [events.c.represents_cluster.is_(True)]
        if clauses:
            where.append(events.c.canonical_uid.in_(select(events.c.canonical_uid).where(*clauses)))
    total = connection.execute(select(func.count()).select_from(events).where(*where)).scalar_one()
    newest = func.coalesce(events.c.date, events.c.date_latest, events.c.date_earliest)
    order = (newest.desc().nulls_last(), events.c.uid)
    # The page's row ids first, sorted on the small columns alone; then only those rows'
    # records are read (sorting every match with its JSON record cost seconds at 100,000).
    page_ids = select(events.c.id).where(*where).order_by(*order).offset(event_filter.offset)
    if event_filter.limit is not None:
        page_ids = page_ids.limit(event_filter.limit)
    ids = list(connection.execute(page_ids).scalars())
    rows = (
        connection.execute(_base_select().where(events.c.id.in_(ids)).order_by(*order)).all()
        if ids
        else []
    )
    clusters = _cluster_sources(connection, sorted({row.canonical_uid for row in rows}))
    page = [_stored_event(row, clusters) for row in rows]
    return EventPage(
        total=int(total), offset=event_filter.offset, limit=event_filter.limit, events=page
    )


def _stored_event(row: Any, clusters: dict[str, tuple[int, list[str]]]) -> StoredEvent:
    members, cluster_sources = clusters.get(row.canonical_uid, (1, []))
    return StoredEvent(
        uid=row.uid,
        canonical_uid=row.canonical_uid,
        document_id=row.document_id,
        source=row.name,
        url=row.url,
        published=row.published,
        title=row.title,
        members=members,
        sources=cluster_sources,
        event=Event.model_validate(row.record),
    )


def _cluster_sources(
    connection: Connection, canonical_uids: list[str]
) -> dict[str, tuple[int, list[str]]]:
    """Member count and sorted source names (or URLs) of each cluster."""
    if not canonical_uids:
        return {}
    rows = connection.execute(
        select(events.c.canonical_uid, sources.c.name, documents.c.url, documents.c.document_id)
        .select_from(
            events.join(documents, documents.c.id == events.c.document_id).outerjoin(
                sources, sources.c.id == documents.c.source_id
            )
        )
        .where(events.c.canonical_uid.in_(canonical_uids))
    ).all()
    counts: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    for canonical_uid, name, url, document_id in rows:
        counts[canonical_uid] = counts.get(canonical_uid, 0) + 1
        names.setdefault(canonical_uid, set()).add(name or url or document_id)
    return {uid: (counts[uid], sorted(names[uid])) for uid in counts}


class MatchExplanation(BaseModel):
    uid_a: str
    uid_b: str
    rule: str
    distance_km: float | None
    overlap_days: int | None
    detail: dict[str, Any]


class EventExplanation(BaseModel):
    """Everything `sitrep events show ID` prints about one happening."""

    event: StoredEvent
    members: list[StoredEvent]
    matches: list[MatchExplanation]
    near_duplicates: list[tuple[str, str, float]]


def explain_event(connection: Connection, uid: str) -> EventExplanation | None:
    """The event `uid` (or the cluster it is canonical of), its members and why they merged."""
    canonical_uid = connection.execute(
        select(events.c.canonical_uid).where(events.c.uid == uid)
    ).scalar()
    if canonical_uid is None:
        return None
    rows = connection.execute(
        _base_select().where(events.c.canonical_uid == canonical_uid).order_by(events.c.uid)
    ).all()
    clusters = _cluster_sources(connection, [canonical_uid])
    members = [_stored_event(row, clusters) for row in rows]
    uids = [member.uid for member in members]
    matches = [
        MatchExplanation(
            uid_a=row.uid_a,
            uid_b=row.uid_b,
            rule=row.rule,
            distance_km=row.distance_km,
            overlap_days=row.overlap_days,
            detail=row.detail,
        )
        for row in connection.execute(
            select(event_matches)
            .where(event_matches.c.uid_a.in_(uids))
            .order_by(event_matches.c.uid_a, event_matches.c.uid_b)
        )
    ]
    member_documents = select(events.c.document_id).where(events.c.uid.in_(uids))
    link_a = documents.alias("link_a")
    link_b = documents.alias("link_b")
    near = [
        (str(a), str(b), float(similarity))
        for a, b, similarity in connection.execute(
            select(link_a.c.document_id, link_b.c.document_id, document_links.c.similarity)
            .select_from(
                document_links.join(link_a, link_a.c.id == document_links.c.document_a).join(
                    link_b, link_b.c.id == document_links.c.document_b
                )
            )
            .where(
                document_links.c.document_a.in_(member_documents),
                document_links.c.document_b.in_(member_documents),
            )
            .order_by(link_a.c.document_id, link_b.c.document_id)
        )
    ]
    representative = connection.execute(
        select(events.c.uid).where(
            events.c.canonical_uid == canonical_uid, events.c.represents_cluster.is_(True)
        )
    ).scalar_one()
    event = next(member for member in members if member.uid == representative)
    return EventExplanation(event=event, members=members, matches=matches, near_duplicates=near)
