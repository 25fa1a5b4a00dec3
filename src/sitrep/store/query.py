"""Query the stored events: one filter record shared by the CLI and the HTTP API.

`query_events(connection, EventFilter)` returns a page of canonical events (one
per happening, with every source that reported it) or, with
`canonical=False`, every member event; `explain_event` gathers what
`sitrep events show ID` prints.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import (
    Connection,
    FromClause,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from sitrep.merge.events import EARTH_RADIUS_KM
from sitrep.models import Event
from sitrep.store.records import EventPage, StoredEvent
from sitrep.store.schema import (
    document_links,
    documents,
    event_matches,
    events,
    longest_range_days,
    sources,
)

FTS_WORD = re.compile(r"\w+")
# Every list's order, newest first; `ix_events_newest` indexes exactly this expression.
NEWEST = func.coalesce(events.c.date, events.c.date_latest, events.c.date_earliest)
ORDER = (NEWEST.desc().nulls_last(), events.c.uid)
# The same order spelled unlike the index's expression: a query ordered by it cannot
# walk ix_events_newest, so SQLite reads the matches through a filter's index and sorts.
SORTED_NEWEST = func.coalesce(events.c.date, events.c.date_latest, events.c.date_earliest, null())
# Up to this many matches a page is sorted rather than walked to in index order, which
# would pass over most of the index to find them.
SORT_AT_MOST = 2000
# A period's matches are all older than the rows a walk passes first; the range indexes
# hold their sort keys.
PERIOD_SORT_AT_MOST = 20_000
# A list page is first looked for among this many newest happenings (`list_events`).
WALK_AT_MOST = 5000


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
    # Spelled as in schema's ix_events_lower_* indexes, so both backends use them.
    return func.lower(column) == value.lower()


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _distance_km(near: Near, dialect: str, table: FromClause) -> ColumnElement[float]:
    """Great-circle distance from `near` to each event's place, computed in SQL."""
    lat = func.radians(table.c.location_lat)
    lon = func.radians(table.c.location_lon)
    lat0, lon0 = math.radians(near.lat), math.radians(near.lon)
    half_chord = func.pow(func.sin((lat - lat0) / 2), 2) + math.cos(lat0) * func.cos(
        lat
    ) * func.pow(func.sin((lon - lon0) / 2), 2)
    # The two-argument minimum is MIN on SQLite and LEAST on PostgreSQL.
    capped = func.least(1.0, half_chord) if dialect == "postgresql" else func.min(1.0, half_chord)
    return 2 * EARTH_RADIUS_KM * func.asin(func.sqrt(capped))


def _near_clause(near: Near, dialect: str, table: FromClause) -> ColumnElement[bool]:
    # A bounding box first so the index on latitude narrows the rows the distance runs on.
    lat_span = near.km / 111.0
    lon_span = near.km / max(1e-6, 111.0 * math.cos(math.radians(near.lat)))
    clauses: list[ColumnElement[bool]] = [
        table.c.location_lat.between(near.lat - lat_span, near.lat + lat_span)
    ]
    if lon_span < 180:
        clauses.append(table.c.location_lon.between(near.lon - lon_span, near.lon + lon_span))
    # The distance last: SQLite tests the terms in order, the cheap box first.
    clauses.append(_distance_km(near, dialect, table) <= near.km)
    return and_(*clauses)


def _text_clause(query: str, dialect: str, table: FromClause) -> ColumnElement[bool]:
    words = FTS_WORD.findall(query)
    if dialect == "sqlite":
        # Each word quoted, so user text is never read as FTS5 syntax.
        fts_query = " ".join(f'"{word}"' for word in words)
        return table.c.id.in_(
            select(text("rowid"))
            .select_from(text("events_fts"))
            .where(text("events_fts MATCH :fts_query").bindparams(fts_query=fts_query))
        )
    if dialect == "postgresql":
        # The configuration is spelled inline so the planner can use the GIN index
        # on to_tsvector('english', sentence) from migration 0001.
        english: ColumnElement[str] = literal_column("'english'::regconfig")
        return func.to_tsvector(english, table.c.sentence).op("@@")(
            func.plainto_tsquery(english, " ".join(words))
        )
    return and_(*(table.c.sentence.ilike(f"%{_escape_like(w)}%", escape="\\") for w in words))


def filter_clauses(
    event_filter: EventFilter,
    dialect: str,
    table: FromClause = events,
    *,
    longest_scale: int | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter over the `events` table (or an alias of it).

    With `longest_scale`, the largest `range_scale` stored (`_longest_range_scale`),
    a period (since and until) is searched scale by scale up to it, each scale a
    bounded range of ix_events_period; without, it is the plain overlap test, which
    a walk of another index tests on its entries.
    """
    f = event_filter
    c = table.c
    clauses: list[ColumnElement[bool]] = []
    if f.event_type:
        clauses.append(_casefold_equals(c.event_type, f.event_type))
    if f.sub_event_type:
        clauses.append(_casefold_equals(c.sub_event_type, f.sub_event_type))
    if f.plover_type:
        clauses.append(_casefold_equals(c.plover_type, f.plover_type))
    if f.country:
        clauses.append(
            or_(
                _casefold_equals(c.location_country, f.country),
                _casefold_equals(c.location_iso3, f.country),
            )
        )
    if f.admin1:
        clauses.append(_casefold_equals(c.location_admin1, f.admin1))
    # An event is in the period when its date range overlaps it.
    if f.since and f.until and longest_scale is not None:
        clauses.append(_period_clause(f.since, f.until, table, longest_scale))
    else:
        if f.since:
            clauses.append(c.range_end >= f.since)
        if f.until:
            clauses.append(c.range_start <= f.until)
    if f.near:
        clauses.append(_near_clause(f.near, dialect, table))
    if f.actor:
        pattern = f"%{_escape_like(f.actor)}%"
        clauses.append(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (c.actor1_name, c.actor1_raw, c.actor2_name, c.actor2_raw)
                )
            )
        )
    if f.text and FTS_WORD.search(f.text):
        clauses.append(_text_clause(f.text, dialect, table))
    if f.min_fatalities is not None:
        clauses.append(c.fatalities >= f.min_fatalities)
    if f.ingested_since is not None:
        recent = select(documents.c.id).where(documents.c.ingested_at >= f.ingested_since)
        clauses.append(c.document_id.in_(recent))
    return clauses


def _period_clause(
    since: date, until: date, table: FromClause, longest_scale: int
) -> ColumnElement[bool]:
    """Ranges that overlap [since, until], one bounded index range per range scale.

    Neither end alone bounds the search (an old period's `range_start <= until` or a
    recent one's `range_end >= since` is most of the store); a range of `scale` that
    overlaps the period starts no earlier than the scale's longest range before it,
    so each term is a seek and a scan of (range_scale, range_start) in ix_events_period.
    """
    c = table.c
    return or_(
        *(
            and_(
                c.range_scale == scale,
                c.range_start.between(_days_before(since, longest_range_days(scale)), until),
                c.range_end >= since,
            )
            for scale in range(longest_scale + 1)
        )
    )


def _days_before(day: date, days: int) -> date:
    return day - timedelta(days=days) if (day - date.min).days > days else date.min


# Made once, as the other statements without a filter's values: building one cost
# more than its look-up.
_LONGEST_RANGE_SCALE = select(func.max(events.c.range_scale))


def _longest_range_scale(connection: Connection, event_filter: EventFilter) -> int | None:
    """The largest range scale stored (one look-up in ix_events_period) if a period asks."""
    if event_filter.since is None or event_filter.until is None:
        return None
    longest = connection.execute(_LONGEST_RANGE_SCALE).scalar()
    return 0 if longest is None else int(longest)


def _base_select() -> Select[Any]:
    return select(
        events.c.uid,
        events.c.canonical_uid,
        # As text, so pydantic parses the JSON itself instead of validating a parsed dict.
        cast(events.c.record, Text).label("record"),
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


def _representative(table: FromClause) -> ColumnElement[bool]:
    return table.c.represents_cluster.is_(True)


def _member(table: FromClause) -> ColumnElement[bool]:
    return table.c.represents_cluster.is_(False)


_REPRESENTATIVES = _representative(events)


def _count(connection: Connection, where: list[ColumnElement[bool]]) -> int:
    return int(
        connection.execute(select(func.count()).select_from(events).where(*where)).scalar_one()
    )


def _count_representatives(
    connection: Connection, event_filter: EventFilter, longest_scale: int | None
) -> int:
    """How many representatives match, counted on the filter indexes alone.

    A country matches a name or an ISO3 code; SQLite answers that OR by reading every
    matching row, so it is counted as two disjoint halves, each an index range.
    """
    dialect = connection.dialect.name
    if not event_filter.country:
        clauses = filter_clauses(event_filter, dialect, longest_scale=longest_scale)
        return _count(connection, [_representative(events), *clauses])
    rest = filter_clauses(
        event_filter.model_copy(update={"country": None}), dialect, longest_scale=longest_scale
    )
    country = event_filter.country.lower()
    name, code = func.lower(events.c.location_country), func.lower(events.c.location_iso3)
    by_name = _count(connection, [_representative(events), *rest, name == country])
    by_code = _count(
        connection,
        [_representative(events), *rest, code == country, name.is_distinct_from(country)],
    )
    return by_name + by_code


# Made once: building an alias's column collection cost more than the query it is in.
_REPRESENTATIVE_ROW = events.alias("representative")
# Whether the store holds any member that is not its cluster's representative: one
# look-up in the partial index ix_events_members (ordered by its first column, or
# SQLite's planner scans another covering index of every row), made once.
_ANY_MEMBER: Select[Any] = (
    select(literal_column("1")).where(_member(events)).order_by(events.c.canonical_uid).limit(1)
)


def _has_members(connection: Connection) -> bool:
    return connection.execute(_ANY_MEMBER).first() is not None


def _matched_through_members(connection: Connection, event_filter: EventFilter) -> list[str]:
    """Happenings whose representative does not match but another member does.

    On SQLite the filters are hidden from the planner (`_walked`): the members are
    read from their own small index (ix_events_members) and each one's
    representative by its cluster, not every match of a filter's index. A store
    without members (nothing merged yet) is answered by one look-up in that index:
    building the filters twice more cost more than the rest of a page.
    """
    if not _has_members(connection):
        return []
    dialect = connection.dialect.name
    representative = _REPRESENTATIVE_ROW
    representative_matches = (
        select(representative.c.id)
        .where(
            representative.c.canonical_uid == events.c.canonical_uid,
            _representative(representative),
            *_walked(dialect, filter_clauses(event_filter, dialect, representative)),
        )
        .exists()
    )
    member_clauses = _walked(dialect, filter_clauses(event_filter, dialect))
    return list(
        connection.execute(
            select(events.c.canonical_uid)
            .where(_member(events), *member_clauses, ~representative_matches)
            .distinct()
        ).scalars()
    )


def _page_ids(
    connection: Connection,
    event_filter: EventFilter,
    selection: _Selection,
    sort: bool,
    limit: int | None,
) -> list[int]:
    """The row ids of the page (rows meeting the selection), in the list's order.

    Walking `ix_events_newest` stops after offset + limit matches and tests the
    filters on the index entries, which is cheap unless few rows match or the
    matches are all old (a period); then (`sort`, from a count) the matches are read
    through a filter's index and sorted.
    """
    where = selection.where
    if sort:
        page = (
            select(events.c.id)
            .where(*selection.conditions())
            .order_by(SORTED_NEWEST.desc().nulls_last(), events.c.uid)
            .offset(event_filter.offset)
            .limit(limit)
        )
        return list(connection.execute(page).scalars())
    page = (
        select(events.c.id)
        .where(*where, *selection.walked)
        .order_by(*ORDER)
        .offset(event_filter.offset)
    )
    if limit is not None:
        page = page.limit(limit)
    return list(connection.execute(page).scalars())


@dataclass(frozen=True)
class _Selection:
    """Which rows stand for the matching happenings: `where` and (if any) `matching`.

    `walked` is the same test as `matching`, spelled for a walk of the order's index
    (`_walked`), with a period as the plain overlap its entries hold.
    """

    clauses: list[ColumnElement[bool]]
    where: list[ColumnElement[bool]]
    matching: ColumnElement[bool] | None
    walked: list[ColumnElement[bool]]
    longest_scale: int | None
    through_members: int

    def conditions(self) -> list[ColumnElement[bool]]:
        return [*self.where, *([self.matching] if self.matching is not None else [])]


def _walked(dialect: str, clauses: list[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """`clauses` as one test that SQLite's planner can answer from no index.

    Without statistics SQLite would rather read every match through a filter's index
    and sort them all; inside COALESCE the filters use no index, so the order's
    index is walked and the filters tested on its entries. PostgreSQL plans from
    its statistics.
    """
    if not clauses:
        return []
    together = and_(*clauses)
    return [func.coalesce(together, False) if dialect == "sqlite" else together]


def _select(connection: Connection, event_filter: EventFilter) -> _Selection:
    dialect = connection.dialect.name
    longest_scale = _longest_range_scale(connection, event_filter)
    clauses = filter_clauses(event_filter, dialect, longest_scale=longest_scale)
    plain = filter_clauses(event_filter, dialect) if longest_scale is not None else clauses
    matching = and_(*clauses) if clauses else None
    if not event_filter.canonical:
        return _Selection(clauses, [], matching, _walked(dialect, plain), longest_scale, 0)
    if matching is None:
        return _Selection(clauses, [_REPRESENTATIVES], None, [], longest_scale, 0)
    # A happening matches when any of its reports does: its representative, or
    # (rarely) only another member. Each cluster has one representative, so the
    # two sets are disjoint.
    through_members = _matched_through_members(connection, event_filter)
    walked = _walked(dialect, plain)
    if through_members:
        in_members = events.c.canonical_uid.in_(through_members)
        matching = or_(matching, in_members)
        walked = _walked(dialect, [or_(and_(*plain), in_members)])
    return _Selection(
        clauses,
        [_REPRESENTATIVES],
        matching,
        walked,
        longest_scale,
        len(through_members),
    )


def representatives_matching(
    connection: Connection, event_filter: EventFilter
) -> list[ColumnElement[bool]]:
    """WHERE clauses of the representative rows of the happenings `event_filter` matches.

    The representatives that match, and (rarely) those whose cluster matches only
    through another member: no subquery over every matching row's cluster.
    """
    selection = _select(connection, event_filter.model_copy(update={"canonical": True}))
    return selection.conditions()


def _total(connection: Connection, event_filter: EventFilter, selection: _Selection) -> int:
    if not event_filter.canonical:
        return _count(connection, selection.clauses)
    if not selection.clauses:
        return _count(connection, selection.where)
    total = _count_representatives(connection, event_filter, selection.longest_scale)
    return total + selection.through_members


def _sort_at_most(event_filter: EventFilter) -> int:
    return PERIOD_SORT_AT_MOST if event_filter.since or event_filter.until else SORT_AT_MOST


def _count_up_to(connection: Connection, where: list[ColumnElement[bool]], most: int) -> int:
    """How many rows meet `where`, counting no further than `most` + 1."""
    found: Select[Any] = (
        select(literal_column("1")).select_from(events).where(*where).limit(most + 1)
    )
    return int(connection.execute(select(func.count()).select_from(found.subquery())).scalar_one())


def _members_of(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """`column IN` the list bound as `name`: on SQLite one JSON array read by json_each.

    An expanding list is spelled anew for each length at every execution; the JSON
    array keeps one statement text, compiled once and cached.
    """
    if dialect != "sqlite":
        listed: ColumnElement[bool] = column.in_(bindparam(name, expanding=True))
        return listed
    values: Select[Any] = select(literal_column("value")).select_from(
        func.json_each(bindparam(name))
    )
    in_array: ColumnElement[bool] = column.in_(values)
    return in_array


def _page_rows_select(dialect: str) -> Select[Any]:
    return _base_select().where(_members_of(events.c.id, "ids", dialect)).order_by(*ORDER)


def _cluster_members_select(dialect: str) -> Select[Any]:
    return (
        select(events.c.canonical_uid, sources.c.name, documents.c.url, documents.c.document_id)
        .select_from(
            events.join(documents, documents.c.id == events.c.document_id).outerjoin(
                sources, sources.c.id == documents.c.source_id
            )
        )
        .where(_members_of(events.c.canonical_uid, "canonical_uids", dialect))
    )


# Built once per backend with their values bound: building a statement per page cost
# more than running it.
_PAGE_ROWS = {dialect: _page_rows_select(dialect) for dialect in ("sqlite", "generic")}
_CLUSTER_MEMBERS = {dialect: _cluster_members_select(dialect) for dialect in ("sqlite", "generic")}


def _bound_list(connection: Connection, values: list[Any]) -> list[Any] | str:
    return json.dumps(values) if connection.dialect.name == "sqlite" else values


def _statement_for(connection: Connection, statements: dict[str, Select[Any]]) -> Select[Any]:
    return statements["sqlite" if connection.dialect.name == "sqlite" else "generic"]


def _page_rows(connection: Connection, ids: list[int]) -> list[Any]:
    # Only the page's rows are read in full (their JSON records), once its ids are known.
    if not ids:
        return []
    statement = _statement_for(connection, _PAGE_ROWS)
    return list(connection.execute(statement, {"ids": _bound_list(connection, ids)}).all())


def query_events(connection: Connection, event_filter: EventFilter) -> EventPage:
    """One page of the events matching `event_filter`, newest first, with their total."""
    selection = _select(connection, event_filter)
    total = _total(connection, event_filter, selection)
    sort = event_filter.limit is not None and total <= _sort_at_most(event_filter)
    rows = _page_rows(
        connection, _page_ids(connection, event_filter, selection, sort, event_filter.limit)
    )
    clusters = _cluster_sources(connection, sorted({row.canonical_uid for row in rows}))
    page = [_stored_event(row, clusters) for row in rows]
    return EventPage(total=total, offset=event_filter.offset, limit=event_filter.limit, events=page)


@dataclass(frozen=True)
class ListedEvent:
    """A happening of a list page with its record as the JSON text the store keeps.

    For an answer that is JSON anyway (the HTTP API's list): decoding 50 records
    into `Event`s only to encode them again was most of such a page's work.
    """

    uid: str
    canonical_uid: str
    document_id: str
    source: str | None
    url: str | None
    published: date | None
    title: str | None
    members: int
    sources: list[str]
    record_json: str


@dataclass(frozen=True)
class ListedPage:
    """A page of a list and whether more matches follow it (no total: no full count)."""

    offset: int
    limit: int
    events: list[ListedEvent]
    more: bool


def list_events(connection: Connection, event_filter: EventFilter, limit: int) -> ListedPage:
    """Like `query_events` for a page of `limit`, without counting every match.

    One row past the page tells whether another follows. Outside a period the page
    is first looked for among the newest `WALK_AT_MOST` representatives, in the
    order's index alone: for any filter that matches more than a few events it is
    there. Otherwise a count that stops at the sorting threshold chooses between
    sorting the matches and walking the whole index, so its cost is bounded however
    many rows match.
    """
    selection = _select(connection, event_filter)
    ids = _newest_page_ids(connection, event_filter, selection, limit + 1)
    if ids is None:
        most = _sort_at_most(event_filter)
        sort = _count_up_to(connection, selection.conditions(), most) <= most
        ids = _page_ids(connection, event_filter, selection, sort, limit + 1)
    rows = _page_rows(connection, ids[:limit])
    clusters = _cluster_sources(connection, sorted({row.canonical_uid for row in rows}))
    listed = [
        ListedEvent(**_listing_fields(row, clusters), record_json=_record_text(row.record))
        for row in rows
    ]
    return ListedPage(offset=event_filter.offset, limit=limit, events=listed, more=len(ids) > limit)


# The date of the representative `WALK_AT_MOST` rows into the order, made once.
_NEWEST_WALKED_BOUND = (
    select(NEWEST)
    .where(_REPRESENTATIVES)
    .order_by(*ORDER)
    .offset(WALK_AT_MOST - 1)
    .limit(1)
    .scalar_subquery()
)


def _newest_page_ids(
    connection: Connection, event_filter: EventFilter, selection: _Selection, limit: int
) -> list[int] | None:
    """The page's ids if the newest `WALK_AT_MOST` happenings hold all of it, else None.

    The walk of the order's index is bounded by the date of the happening that many
    rows in (one index look-up), so it stops even when few rows match; when it finds
    a whole page, these are exactly the page's rows. A period's matches are found
    from ix_events_period in a bounded scan instead: an old period has none among
    the newest, and the walk would have tested all `WALK_AT_MOST` for nothing.
    """
    if not event_filter.canonical or event_filter.offset + limit > WALK_AT_MOST:
        return None
    if event_filter.since is not None and event_filter.until is not None:
        return None
    page = (
        select(events.c.id)
        .where(*selection.where, _NEWEST_WALKED_BOUND <= NEWEST, *selection.walked)
        .order_by(*ORDER)
        .offset(event_filter.offset)
        .limit(limit)
    )
    ids = list(connection.execute(page).scalars())
    return ids if len(ids) == limit else None


def _record_text(record: str | dict[str, Any]) -> str:
    # Text on SQLite and PostgreSQL alike (the select casts it); a dict only from a driver
    # that decodes JSON whatever the cast.
    return record if isinstance(record, str) else json.dumps(record)


def _stored_event(row: Any, clusters: dict[str, tuple[int, list[str]]]) -> StoredEvent:
    return StoredEvent(**_listing_fields(row, clusters), event=_event_record(row.record))


def _listing_fields(row: Any, clusters: dict[str, tuple[int, list[str]]]) -> dict[str, Any]:
    """What a stored and a listed event both say of a row: its ids, document and cluster."""
    members, cluster_sources = clusters.get(row.canonical_uid, (1, []))
    return {
        "uid": row.uid,
        "canonical_uid": row.canonical_uid,
        "document_id": row.document_id,
        "source": row.name,
        "url": row.url,
        "published": row.published,
        "title": row.title,
        "members": members,
        "sources": cluster_sources,
    }


def _event_record(record: str | dict[str, Any]) -> Event:
    return (
        Event.model_validate_json(record)
        if isinstance(record, str)
        else Event.model_validate(record)
    )


def _cluster_sources(
    connection: Connection, canonical_uids: list[str]
) -> dict[str, tuple[int, list[str]]]:
    """Member count and sorted source names (or URLs) of each cluster."""
    if not canonical_uids:
        return {}
    statement = _statement_for(connection, _CLUSTER_MEMBERS)
    rows = connection.execute(
        statement, {"canonical_uids": _bound_list(connection, canonical_uids)}
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
