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
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import (
    BindParameter,
    Connection,
    Date,
    Float,
    FromClause,
    Integer,
    Result,
    Select,
    String,
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

from sitrep.merge import joining_matches
from sitrep.merge.events import EARTH_RADIUS_KM
from sitrep.models import Event
from sitrep.store.records import EventPage, StoredEvent
from sitrep.store.schema import (
    MISDATED,
    document_links,
    documents,
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


# ---- a filter's shape and values ------------------------------------------------
#
# A list's statements are built once per filter shape (which tests it spells, on which
# backend) and kept; each request binds its values and runs them. Building and compiling
# a statement cost about twice what SQLite took to answer it.

# The statements kept, of every plan (`_Plan`) asked for since the process started.
STATEMENTS_KEPT = 512
# The filters compared case-insensitively with one column (the country with two).
CASEFOLDED_FILTERS = ("event_type", "sub_event_type", "plover_type", "admin1")


@dataclass(frozen=True)
class _FilterShape:
    """Which tests of a filter its statements spell; `_filter_values` binds their values."""

    # The filters set, in `EventFilter`'s order.
    tests: tuple[str, ...]
    # With a period (since and until), the largest range scale stored: the period is
    # searched scale by scale up to it (`_period_clause`). None: the plain overlap test.
    longest_scale: int | None
    # Whether the circle of `near` spans fewer than every longitude, so a box bounds them.
    near_longitude_box: bool
    # How many words the text test looks for (one test per word without full text search).
    text_words: int

    def without(self, test: str) -> _FilterShape:
        return replace(self, tests=tuple(name for name in self.tests if name != test))

    def plain(self) -> _FilterShape:
        """The same tests with a period as the plain overlap, which a walk tests on entries."""
        return replace(self, longest_scale=None)


def _filter_shape(event_filter: EventFilter, longest_scale: int | None) -> _FilterShape:
    f = event_filter
    words = FTS_WORD.findall(f.text) if f.text else []
    present = {
        "event_type": bool(f.event_type),
        "sub_event_type": bool(f.sub_event_type),
        "plover_type": bool(f.plover_type),
        "country": bool(f.country),
        "admin1": bool(f.admin1),
        "since": f.since is not None,
        "until": f.until is not None,
        "near": f.near is not None,
        "actor": bool(f.actor),
        "text": bool(words),
        "min_fatalities": f.min_fatalities is not None,
        "ingested_since": f.ingested_since is not None,
    }
    return _FilterShape(
        tests=tuple(name for name, on in present.items() if on),
        longest_scale=longest_scale,
        near_longitude_box=f.near is not None and _near_box(f.near)[1] < 180,
        text_words=len(words),
    )


def _near_box(near: Near) -> tuple[float, float]:
    """Half the height and width, in degrees, of the box around the circle of `near`."""
    return near.km / 111.0, near.km / max(1e-6, 111.0 * math.cos(math.radians(near.lat)))


def _filter_values(event_filter: EventFilter, shape: _FilterShape, dialect: str) -> dict[str, Any]:
    """The values the statements of `shape` bind, by parameter name."""
    f = event_filter
    values: dict[str, Any] = {}
    for name in CASEFOLDED_FILTERS:
        if name in shape.tests:
            values[name] = str(getattr(f, name)).lower()
    if f.country:
        values["country"] = f.country.lower()
    values["since"], values["until"] = f.since, f.until
    if f.since is not None and shape.longest_scale is not None:
        for scale in range(shape.longest_scale + 1):
            values[f"period_from_{scale}"] = _days_before(f.since, longest_range_days(scale))
    if f.near is not None:
        lat_span, lon_span = _near_box(f.near)
        values.update(
            near_lat_low=f.near.lat - lat_span,
            near_lat_high=f.near.lat + lat_span,
            near_lon_low=f.near.lon - lon_span,
            near_lon_high=f.near.lon + lon_span,
            near_lat0=math.radians(f.near.lat),
            near_lon0=math.radians(f.near.lon),
            near_cos_lat0=math.cos(math.radians(f.near.lat)),
            near_km=f.near.km,
        )
    if f.actor:
        values["actor_pattern"] = f"%{_escape_like(f.actor)}%"
    if "text" in shape.tests and f.text:
        values.update(_text_values(FTS_WORD.findall(f.text), dialect))
    values["min_fatalities"] = f.min_fatalities
    values["ingested_since"] = f.ingested_since
    return values


def _text_values(words: list[str], dialect: str) -> dict[str, str]:
    if dialect == "sqlite":
        # Each word quoted, so user text is never read as FTS5 syntax.
        return {"fts_query": " ".join(f'"{word}"' for word in words)}
    if dialect == "postgresql":
        return {"text_words": " ".join(words)}
    return {f"text_word_{number}": f"%{_escape_like(w)}%" for number, w in enumerate(words)}


class _Parameters:
    """The named parameters of a filter's clauses.

    Without values for a statement kept for every filter of a shape (each run binds
    its own); with a filter's values for a statement of a caller's own.
    """

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values = values

    def __call__(
        self, name: str, type_: Any = None, *, expanding: bool = False
    ) -> BindParameter[Any]:
        if self._values is None:
            return bindparam(name, type_=type_, expanding=expanding)
        return bindparam(name, self._values[name], type_=type_, expanding=expanding)


_UNBOUND = _Parameters()


def _casefold_equals(column: Any, name: str, parameters: _Parameters) -> ColumnElement[bool]:
    # Spelled as in schema's ix_events_lower_* indexes, so both backends use them.
    return func.lower(column) == parameters(name, String)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _distance_km(dialect: str, table: FromClause, parameters: _Parameters) -> ColumnElement[float]:
    """Great-circle distance from the point of `near` to each event's place, in SQL."""
    lat = func.radians(table.c.location_lat)
    lon = func.radians(table.c.location_lon)
    lat0, lon0, cos_lat0 = (parameters(f"near_{n}", Float) for n in ("lat0", "lon0", "cos_lat0"))
    half_chord = func.pow(func.sin((lat - lat0) / 2), 2) + cos_lat0 * func.cos(lat) * func.pow(
        func.sin((lon - lon0) / 2), 2
    )
    # The two-argument minimum is MIN on SQLite and LEAST on PostgreSQL.
    capped = func.least(1.0, half_chord) if dialect == "postgresql" else func.min(1.0, half_chord)
    return 2 * EARTH_RADIUS_KM * func.asin(func.sqrt(capped))


def _near_clause(
    shape: _FilterShape, dialect: str, table: FromClause, parameters: _Parameters
) -> ColumnElement[bool]:
    # A bounding box first so the index on latitude narrows the rows the distance runs on.
    clauses: list[ColumnElement[bool]] = [
        table.c.location_lat.between(
            parameters("near_lat_low", Float), parameters("near_lat_high", Float)
        )
    ]
    if shape.near_longitude_box:
        clauses.append(
            table.c.location_lon.between(
                parameters("near_lon_low", Float), parameters("near_lon_high", Float)
            )
        )
    # The distance last: SQLite tests the terms in order, the cheap box first.
    clauses.append(_distance_km(dialect, table, parameters) <= parameters("near_km", Float))
    return and_(*clauses)


def _text_clause(
    shape: _FilterShape, dialect: str, table: FromClause, parameters: _Parameters
) -> ColumnElement[bool]:
    if dialect == "sqlite":
        return table.c.id.in_(
            select(text("rowid"))
            .select_from(text("events_fts"))
            .where(text("events_fts MATCH :fts_query").bindparams(parameters("fts_query", String)))
        )
    if dialect == "postgresql":
        # The configuration is spelled inline so the planner can use the GIN index
        # on to_tsvector('english', sentence) from migration 0001.
        english: ColumnElement[str] = literal_column("'english'::regconfig")
        return func.to_tsvector(english, table.c.sentence).op("@@")(
            func.plainto_tsquery(english, parameters("text_words", String))
        )
    return and_(
        *(
            table.c.sentence.ilike(parameters(f"text_word_{number}", String), escape="\\")
            for number in range(shape.text_words)
        )
    )


def filter_clauses(
    event_filter: EventFilter,
    dialect: str,
    table: FromClause = events,
    *,
    longest_scale: int | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter over the `events` table (or an alias of it).

    With `longest_scale`, the largest `range_scale` stored (`_store_facts`),
    a period (since and until) is searched scale by scale up to it, each scale a
    bounded range of ix_events_period; without, it is the plain overlap test, which
    a walk of another index tests on its entries. The filter's values are bound in
    the clauses, for a statement of the caller's own.
    """
    shape = _filter_shape(event_filter, longest_scale)
    values = _filter_values(event_filter, shape, dialect)
    return _shape_clauses(shape, dialect, table, _Parameters(values))


# The case-insensitive filters a period is sought within, the most selective first,
# each with the columns whose ix_events_lower_* index holds the date range.
PERIOD_SEEKS = (
    ("sub_event_type", ("sub_event_type",)),
    ("admin1", ("location_admin1",)),
    ("event_type", ("event_type",)),
    ("plover_type", ("plover_type",)),
    ("country", ("location_country", "location_iso3")),
)


def _shape_clauses(
    shape: _FilterShape,
    dialect: str,
    table: FromClause,
    parameters: _Parameters = _UNBOUND,
    *,
    representatives: bool = False,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter of `shape`, its values bound by name (`_filter_values`).

    Over `representatives` alone (the caller tests the flag too), a period with a
    case-insensitive filter is sought within that filter's index (`_period_clause`),
    which then holds the filter's test.
    """
    c = table.c
    tests = shape.tests
    seek = _period_seek(shape) if representatives else None
    seeks = [
        and_(_casefold_equals(c[column], seek, parameters), _representative(table))
        for wanted, columns in PERIOD_SEEKS
        if wanted == seek
        for column in columns
    ]
    clauses: list[ColumnElement[bool]] = []
    for name in ("event_type", "sub_event_type", "plover_type"):
        if name in tests and name != seek:
            clauses.append(_casefold_equals(c[name], name, parameters))
    if "country" in tests and seek != "country":
        clauses.append(
            or_(
                _casefold_equals(c.location_country, "country", parameters),
                _casefold_equals(c.location_iso3, "country", parameters),
            )
        )
    if "admin1" in tests and seek != "admin1":
        clauses.append(_casefold_equals(c.location_admin1, "admin1", parameters))
    # An event is in the period when its date range overlaps it.
    if shape.longest_scale is not None:
        clauses.append(_period_clause(table, shape.longest_scale, parameters, seeks))
    else:
        if "since" in tests:
            clauses.append(c.range_end >= parameters("since", Date))
        if "until" in tests:
            clauses.append(c.range_start <= parameters("until", Date))
    if "near" in tests:
        clauses.append(_near_clause(shape, dialect, table, parameters))
    if "actor" in tests:
        pattern = parameters("actor_pattern", String)
        clauses.append(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (c.actor1_name, c.actor1_raw, c.actor2_name, c.actor2_raw)
                )
            )
        )
    if "text" in tests:
        clauses.append(_text_clause(shape, dialect, table, parameters))
    if "min_fatalities" in tests:
        clauses.append(c.fatalities >= parameters("min_fatalities", Integer))
    if "ingested_since" in tests:
        ingested_since = parameters("ingested_since", documents.c.ingested_at.type)
        recent = select(documents.c.id).where(documents.c.ingested_at >= ingested_since)
        clauses.append(c.document_id.in_(recent))
    return clauses


def _period_seek(shape: _FilterShape) -> str | None:
    """The filter of `shape` whose index a period of it is sought in, if any."""
    if shape.longest_scale is None:
        return None
    return next((name for name, _columns in PERIOD_SEEKS if name in shape.tests), None)


def _period_clause(
    table: FromClause,
    longest_scale: int,
    parameters: _Parameters,
    seeks: list[ColumnElement[bool]],
) -> ColumnElement[bool]:
    """Ranges that overlap [since, until], one bounded index range per range scale.

    Neither end alone bounds the search (an old period's `range_start <= until` or a
    recent one's `range_end >= since` is most of the store); a range of `scale` that
    overlaps the period starts no earlier than the scale's longest range before it
    (bound as `period_from_<scale>`), so each term is a seek and a scan of
    (range_scale, range_start) in ix_events_period. With `seeks` (a filter's test of
    one column each, on representatives), each scale's term is spelled within each:
    SQLite seeks a term's whole prefix in that column's ix_events_lower_* index only
    if the term names it; tested apart, the filter's index or the period's is read
    whole for the other.
    """
    c = table.c
    since, until = parameters("since", Date), parameters("until", Date)
    scales = [
        and_(
            c.range_scale == scale,
            c.range_start.between(parameters(f"period_from_{scale}", Date), until),
            c.range_end >= since,
        )
        for scale in range(longest_scale + 1)
    ]
    if not seeks:
        return or_(*scales)
    return or_(*(and_(seek, term) for seek in seeks for term in scales))


def _days_before(day: date, days: int) -> date:
    return day - timedelta(days=days) if (day - date.min).days > days else date.min


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
# Made once: building an alias's column collection cost more than the query it is in.
_REPRESENTATIVE_ROW = events.alias("representative")
# Whether the store holds any member that is not its cluster's representative: one
# look-up in the partial index ix_events_members (ordered by its first column, or
# SQLite's planner scans another covering index of every row), made once.
_ANY_MEMBER: Select[Any] = (
    select(literal_column("1")).where(_member(events)).order_by(events.c.canonical_uid).limit(1)
)


@dataclass(frozen=True)
class _StoreFacts:
    """What a list's plan needs to know of the store, read in one statement."""

    # The largest range scale stored: a period is searched scale by scale up to it.
    longest_scale: int
    # Whether any member is not its cluster's representative: without, a filter needs
    # no search through members, and each happening is its one report.
    has_members: bool


# One look-up in ix_events_period and one in ix_events_members, made once: building a
# statement cost more than its look-up.
_STORE_FACTS = select(
    select(func.max(events.c.range_scale)).scalar_subquery(), _ANY_MEMBER.scalar_subquery()
)


def _store_facts(connection: Connection) -> _StoreFacts:
    longest_scale, any_member = connection.execute(_STORE_FACTS).one()
    return _StoreFacts(int(longest_scale or 0), any_member is not None)


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


@lru_cache(maxsize=STATEMENTS_KEPT)
def _through_members_select(shape: _FilterShape, dialect: str) -> Select[Any]:
    """Happenings whose representative does not match but another member does.

    On SQLite the filters are hidden from the planner (`_walked`): the members are
    read from their own small index (ix_events_members) and each one's
    representative by its cluster, not every match of a filter's index.
    """
    plain = shape.plain()
    representative = _REPRESENTATIVE_ROW
    representative_matches = (
        select(representative.c.id)
        .where(
            representative.c.canonical_uid == events.c.canonical_uid,
            _representative(representative),
            *_walked(dialect, _shape_clauses(plain, dialect, representative)),
        )
        .exists()
    )
    member_clauses = _walked(dialect, _shape_clauses(plain, dialect, events))
    return (
        select(events.c.canonical_uid)
        .where(_member(events), *member_clauses, ~representative_matches)
        .distinct()
    )


@dataclass(frozen=True)
class _Plan:
    """What a list's statements depend on besides the values they bind: each is built once."""

    shape: _FilterShape
    dialect: str
    canonical: bool
    # Whether some happenings match only through a member that is not their representative
    # (their canonical uids bound as `through_members`).
    through_members: bool


@dataclass(frozen=True, eq=False)
class _Selection:
    """Which rows stand for the matching happenings: `where` and (if any) `matching`.

    `walked` is the same test as `matching`, spelled for a walk of the order's index
    (`_walked`), with a period as the plain overlap its entries hold.
    """

    clauses: list[ColumnElement[bool]]
    where: list[ColumnElement[bool]]
    matching: ColumnElement[bool] | None
    walked: list[ColumnElement[bool]]

    def conditions(self) -> list[ColumnElement[bool]]:
        return [*self.where, *([self.matching] if self.matching is not None else [])]


@lru_cache(maxsize=STATEMENTS_KEPT)
def _selection(plan: _Plan) -> _Selection:
    """The selection of a plan's kept statements, its values bound when they run."""
    return _selection_with(plan, _UNBOUND)


def _selection_with(plan: _Plan, parameters: _Parameters) -> _Selection:
    dialect = plan.dialect
    clauses = _shape_clauses(
        plan.shape, dialect, events, parameters, representatives=plan.canonical
    )
    plain = _shape_clauses(plan.shape.plain(), dialect, events, parameters)
    matching = and_(*clauses) if clauses else None
    if not plan.canonical:
        return _Selection(clauses, [], matching, _walked(dialect, plain))
    if matching is None:
        return _Selection(clauses, [_REPRESENTATIVES], None, [])
    # A happening matches when any of its reports does: its representative, or
    # (rarely) only another member. Each cluster has one representative, so the
    # two sets are disjoint.
    walked = _walked(dialect, plain)
    if plan.through_members:
        in_members = _members_of(events.c.canonical_uid, "through_members", dialect, parameters)
        matching = or_(matching, in_members)
        walked = _walked(dialect, [or_(and_(*plain), in_members)])
    return _Selection(clauses, [_REPRESENTATIVES], matching, walked)


@dataclass(frozen=True)
class _BoundFilter:
    """A filter as the plan of its statements and the values they bind."""

    plan: _Plan
    values: dict[str, Any]
    # How many happenings match only through another member than their representative.
    through_members: int
    # Whether any happening of the store has more than one report.
    has_members: bool

    @property
    def selection(self) -> _Selection:
        return _selection(self.plan)

    def run(self, connection: Connection, statement: Select[Any], **more: Any) -> Result[Any]:
        return connection.execute(statement, {**self.values, **more} if more else self.values)


def _bound(connection: Connection, event_filter: EventFilter) -> _BoundFilter:
    """The plan of `event_filter`'s statements, from one or two look-ups, and its values."""
    dialect = connection.dialect.name
    facts = _store_facts(connection)
    period = event_filter.since is not None and event_filter.until is not None
    shape = _filter_shape(event_filter, facts.longest_scale if period else None)
    values = _filter_values(event_filter, shape, dialect)
    through: list[str] = []
    # A store without members (nothing merged yet) needs no search through them: it
    # cost more than the rest of a page.
    if event_filter.canonical and shape.tests and facts.has_members:
        through = list(
            connection.execute(_through_members_select(shape, dialect), values).scalars()
        )
    if through:
        values["through_members"] = _bound_list(dialect, through)
    plan = _Plan(shape, dialect, event_filter.canonical, bool(through))
    return _BoundFilter(plan, values, len(through), facts.has_members)


def representatives_matching(
    connection: Connection, event_filter: EventFilter
) -> list[ColumnElement[bool]]:
    """WHERE clauses of the representative rows of the happenings `event_filter` matches.

    The representatives that match, and (rarely) those whose cluster matches only
    through another member: no subquery over every matching row's cluster. The
    filter's values are bound in the clauses, for a statement of the caller's own.
    """
    bound = _bound(connection, event_filter.model_copy(update={"canonical": True}))
    return _selection_with(bound.plan, _Parameters(bound.values)).conditions()


# ---- the statements of a plan, each built once ----------------------------------

_PAGE_OFFSET = bindparam("page_offset", type_=Integer)
_PAGE_LIMIT = bindparam("page_limit", type_=Integer)


def _count_of(where: list[ColumnElement[bool]]) -> Select[Any]:
    return select(func.count()).select_from(events).where(*where)


@lru_cache(maxsize=STATEMENTS_KEPT)
def _count_selects(plan: _Plan) -> tuple[Select[Any], ...]:
    """Counts whose sum is the number of matching rows (for happenings: representatives).

    Counted on the filter indexes alone. A country matches a name or an ISO3 code;
    SQLite answers that OR by reading every matching row, so it is counted as two
    disjoint halves, each an index range.
    """
    selection = _selection(plan)
    if not plan.canonical:
        return (_count_of(selection.clauses),)
    # A period with a country is sought within the country's two indexes already.
    halves = "country" in plan.shape.tests and _period_seek(plan.shape) is None
    if not selection.clauses or not halves:
        return (_count_of([_REPRESENTATIVES, *selection.clauses]),)
    rest = _shape_clauses(plan.shape.without("country"), plan.dialect, events)
    country = bindparam("country", type_=String)
    name, code = func.lower(events.c.location_country), func.lower(events.c.location_iso3)
    return (
        _count_of([_REPRESENTATIVES, *rest, name == country]),
        _count_of([_REPRESENTATIVES, *rest, code == country, name.is_distinct_from(country)]),
    )


@lru_cache(maxsize=STATEMENTS_KEPT)
def _count_up_to_select(plan: _Plan) -> Select[Any]:
    """How many rows meet the selection, counting no further than `count_most`."""
    found: Select[Any] = (
        select(literal_column("1"))
        .select_from(events)
        .where(*_selection(plan).conditions())
        .limit(bindparam("count_most", type_=Integer))
    )
    return select(func.count()).select_from(found.subquery())


@lru_cache(maxsize=STATEMENTS_KEPT)
def _page_select(plan: _Plan, sort: bool, limited: bool) -> Select[Any]:
    """The row ids of a page, walked to in `ix_events_newest` order or (`sort`) sorted."""
    selection = _selection(plan)
    if sort:
        page = (
            select(events.c.id)
            .where(*selection.conditions())
            .order_by(SORTED_NEWEST.desc().nulls_last(), events.c.uid)
        )
    else:
        page = select(events.c.id).where(*selection.where, *selection.walked).order_by(*ORDER)
    page = page.offset(_PAGE_OFFSET)
    return page.limit(_PAGE_LIMIT) if limited else page


@lru_cache(maxsize=STATEMENTS_KEPT)
def _period_page_selects(plan: _Plan) -> tuple[Select[Any], ...]:
    """The statements of `_period_page_ids`: the walk, the spanning ranges, the misdated.

    Each gives (id, newest, uid) of up to `page_limit` matches, in the list's order.
    """
    assert plan.shape.longest_scale is not None
    selection = _selection(plan)
    c = events.c
    until = bindparam("until", type_=Date)
    walk = (
        select(c.id, NEWEST.label("newest"), c.uid)
        .where(
            *selection.where,
            NEWEST.between(bindparam("walk_from", type_=Date), until),
            *selection.walked,
        )
        .order_by(*ORDER)
        .limit(_PAGE_LIMIT)
    )
    spanning_until = or_(
        *(
            and_(
                c.range_scale == scale,
                c.range_start.between(bindparam(f"spanning_from_{scale}", type_=Date), until),
                c.range_end > until,
            )
            for scale in range(plan.shape.longest_scale + 1)
        )
    )
    outside_walk = (
        # Dated after the period, their range reaching into it.
        and_(spanning_until, until < NEWEST),
        MISDATED,
    )
    others = tuple(
        select(c.id, SORTED_NEWEST.label("newest"), c.uid)
        .where(*selection.where, test, *selection.walked)
        .order_by(SORTED_NEWEST.desc().nulls_last(), c.uid)
        .limit(_PAGE_LIMIT)
        for test in outside_walk
    )
    return (walk, *others)


# The date of the representative `WALK_AT_MOST` rows into the order, made once.
_NEWEST_WALKED_BOUND = (
    select(NEWEST).where(_REPRESENTATIVES).order_by(*ORDER).offset(WALK_AT_MOST - 1).limit(1)
)
# How long a store connection keeps that date before reading it again. Any date gives
# the same pages (a walk that finds a whole page has found exactly it); it only bounds
# how far a walk goes before giving up, so one a few seconds old costs nothing, while
# reading it walked `WALK_AT_MOST` index entries, a seventh of a page's work.
WALK_BOUND_KEPT_SECONDS = 5.0


def _newest_walked_bound(connection: Connection) -> date | None:
    """The date of the `WALK_AT_MOST`th newest happening, as this connection last read it."""
    kept: tuple[date | None, float] | None = connection.info.get("sitrep_newest_walked_bound")
    now = time.monotonic()
    if kept is None or now - kept[1] > WALK_BOUND_KEPT_SECONDS:
        kept = (connection.execute(_NEWEST_WALKED_BOUND).scalar(), now)
        connection.info["sitrep_newest_walked_bound"] = kept
    return kept[0]


@lru_cache(maxsize=STATEMENTS_KEPT)
def _newest_walk_select(plan: _Plan) -> Select[Any]:
    """A page among the newest `WALK_AT_MOST` happenings, in the order's index alone."""
    selection = _selection(plan)
    walked_bound = bindparam("walked_bound", type_=Date)
    return (
        select(events.c.id)
        .where(*selection.where, walked_bound <= NEWEST, *selection.walked)
        .order_by(*ORDER)
        .offset(_PAGE_OFFSET)
        .limit(_PAGE_LIMIT)
    )


def _page_ids(
    connection: Connection,
    event_filter: EventFilter,
    bound: _BoundFilter,
    sort: bool,
    limit: int | None,
) -> list[int]:
    """The row ids of the page (rows meeting the selection), in the list's order.

    Walking `ix_events_newest` stops after offset + limit matches and tests the
    filters on the index entries, which is cheap unless few rows match or the
    matches are all old (a period); then (`sort`, from a count) the matches are read
    through a filter's index and sorted.
    """
    statement = _page_select(bound.plan, sort, limit is not None)
    page = bound.run(connection, statement, page_offset=event_filter.offset, page_limit=limit)
    return list(page.scalars().all())


def _total(connection: Connection, bound: _BoundFilter) -> int:
    counts = (bound.run(connection, count).scalar_one() for count in _count_selects(bound.plan))
    return sum(int(count) for count in counts) + bound.through_members


def _sort_at_most(event_filter: EventFilter) -> int:
    return PERIOD_SORT_AT_MOST if event_filter.since or event_filter.until else SORT_AT_MOST


def _count_up_to(connection: Connection, bound: _BoundFilter, most: int) -> int:
    """How many rows meet the selection, counting no further than `most` + 1."""
    count = bound.run(connection, _count_up_to_select(bound.plan), count_most=most + 1)
    return int(count.scalar_one())


def _members_of(
    column: Any, name: str, dialect: str, parameters: _Parameters = _UNBOUND
) -> ColumnElement[bool]:
    """`column IN` the list bound as `name`: on SQLite one JSON array read by json_each.

    An expanding list is spelled anew for each length at every execution; the JSON
    array keeps one statement text, compiled once and cached.
    """
    if dialect != "sqlite":
        listed: ColumnElement[bool] = column.in_(parameters(name, expanding=True))
        return listed
    values: Select[Any] = select(literal_column("value")).select_from(
        func.json_each(parameters(name))
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


def _bound_list(dialect: str, values: list[Any]) -> list[Any] | str:
    return json.dumps(values) if dialect == "sqlite" else values


def _statement_for(connection: Connection, statements: dict[str, Select[Any]]) -> Select[Any]:
    return statements["sqlite" if connection.dialect.name == "sqlite" else "generic"]


def _page_rows(connection: Connection, ids: list[int]) -> list[Any]:
    # Only the page's rows are read in full (their JSON records), once its ids are known.
    if not ids:
        return []
    statement = _statement_for(connection, _PAGE_ROWS)
    bound_ids = _bound_list(connection.dialect.name, ids)
    return list(connection.execute(statement, {"ids": bound_ids}).all())


def query_events(connection: Connection, event_filter: EventFilter) -> EventPage:
    """One page of the events matching `event_filter`, newest first, with their total."""
    bound = _bound(connection, event_filter)
    total = _total(connection, bound)
    sort = event_filter.limit is not None and total <= _sort_at_most(event_filter)
    rows = _page_rows(
        connection, _page_ids(connection, event_filter, bound, sort, event_filter.limit)
    )
    clusters = _page_clusters(connection, bound, rows)
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


# The fields a listed and a stored event share, in `_listing_fields`' order.
_ListingFields = tuple[
    str, str, str, str | None, str | None, date | None, str | None, int, list[str]
]
_LISTING_FIELDS = tuple(field.name for field in fields(ListedEvent) if field.name != "record_json")


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
    there. A period is walked to from its last day (`_period_page_ids`). Otherwise
    a count that stops at the sorting threshold chooses between sorting the matches
    and walking the whole index, so its cost is bounded however many rows match.
    """
    bound = _bound(connection, event_filter)
    ids = _newest_page_ids(connection, event_filter, bound, limit + 1)
    if ids is None:
        ids = _period_page_ids(connection, event_filter, bound, limit + 1)
    if ids is None:
        most = _sort_at_most(event_filter)
        sort = _count_up_to(connection, bound, most) <= most
        ids = _page_ids(connection, event_filter, bound, sort, limit + 1)
    rows = _page_rows(connection, ids[:limit])
    clusters = _page_clusters(connection, bound, rows)
    listed = [
        ListedEvent(*_listing_fields(row, clusters), _record_text(row.record)) for row in rows
    ]
    return ListedPage(offset=event_filter.offset, limit=limit, events=listed, more=len(ids) > limit)


def _newest_page_ids(
    connection: Connection, event_filter: EventFilter, bound: _BoundFilter, limit: int
) -> list[int] | None:
    """The page's ids if the newest `WALK_AT_MOST` happenings hold all of it, else None.

    The walk of the order's index is bounded by the date of the happening that many
    rows in (`_newest_walked_bound`), so it stops even when few rows match; when it finds
    a whole page, these are exactly the page's rows. A period's matches are found
    from ix_events_period in a bounded scan instead: an old period has none among
    the newest, and the walk would have tested all `WALK_AT_MOST` for nothing.
    """
    if not event_filter.canonical or event_filter.offset + limit > WALK_AT_MOST:
        return None
    if event_filter.since is not None and event_filter.until is not None:
        return None
    page = bound.run(
        connection,
        _newest_walk_select(bound.plan),
        walked_bound=_newest_walked_bound(connection),
        page_offset=event_filter.offset,
        page_limit=limit,
    )
    ids = list(page.scalars().all())
    return ids if len(ids) == limit else None


def _period_page_ids(
    connection: Connection, event_filter: EventFilter, bound: _BoundFilter, limit: int
) -> list[int] | None:
    """A period's page walked to in the order's index from its last day, if the plan allows.

    A happening's date (the order's key) lies within its own range, so one dated on
    or before `until` that overlaps the period is dated no earlier than `since` less
    the longest range stored: the walk of ix_events_newest from `until` down to there
    tests the filters on its entries and stops at the page's end, where counting and
    sorting the period's matches read every one of them (2 ms against under 1 over
    100,000 events, benchmarks/bench_api.py --query-times). The two kinds of
    happening outside that walk are few, each read from its own index: those whose
    range spans `until` while their date falls after it (ix_events_period), and
    those dated outside their own range (ix_events_misdated). None when the plan is
    not for this walk: a filter whose own index seeks the period (`_period_seek`),
    or happenings matched only through other members.
    """
    plan = bound.plan
    shape = plan.shape
    since, until = event_filter.since, event_filter.until
    if (
        not plan.canonical
        or plan.through_members
        or since is None
        or until is None
        or shape.longest_scale is None
        or _period_seek(shape) is not None
    ):
        return None
    wanted = event_filter.offset + limit
    values = {
        "walk_from": _days_before(since, longest_range_days(shape.longest_scale)),
        **{
            f"spanning_from_{scale}": _days_before(until, longest_range_days(scale))
            for scale in range(shape.longest_scale + 1)
        },
    }
    found: dict[int, tuple[Any, str]] = {}
    for statement in _period_page_selects(plan):
        for row in bound.run(connection, statement, **values, page_limit=wanted):
            found[row.id] = (row.newest, row.uid)
    # Newest first, then by uid: the order of ORDER (every match of a period is dated).
    ordered = sorted(found, key=lambda key: found[key][1])
    ordered.sort(key=lambda key: found[key][0], reverse=True)
    return ordered[event_filter.offset : wanted]


def _record_text(record: str | dict[str, Any]) -> str:
    # Text on SQLite and PostgreSQL alike (the select casts it); a dict only from a driver
    # that decodes JSON whatever the cast.
    return record if isinstance(record, str) else json.dumps(record)


def _stored_event(row: Any, clusters: dict[str, tuple[int, list[str]]]) -> StoredEvent:
    fields = dict(zip(_LISTING_FIELDS, _listing_fields(row, clusters), strict=True))
    return StoredEvent(**fields, event=_event_record(row.record))


def _listing_fields(row: Any, clusters: dict[str, tuple[int, list[str]]]) -> _ListingFields:
    """What a stored and a listed event both say of a row: its ids, document and cluster.

    In `ListedEvent`'s order (`_LISTING_FIELDS`): a page's rows unpacked as tuples cost
    a quarter of reading each column by name into a dict of keywords.
    """
    # The columns of `_base_select`, in its order.
    uid, canonical_uid, _record, document_id, url, published, title, source = row
    members, cluster_sources = clusters.get(canonical_uid, (1, []))
    return uid, canonical_uid, document_id, source, url, published, title, members, cluster_sources


def _event_record(record: str | dict[str, Any]) -> Event:
    return (
        Event.model_validate_json(record)
        if isinstance(record, str)
        else Event.model_validate(record)
    )


def _page_clusters(
    connection: Connection, bound: _BoundFilter, rows: list[Any]
) -> dict[str, tuple[int, list[str]]]:
    """Member count and sorted source names (or URLs) of each happening of a page."""
    if not bound.has_members:
        # Each happening is its one report, whose source its page row names.
        return {row.canonical_uid: (1, [row.name or row.url or row.document_id]) for row in rows}
    return _cluster_sources(connection, sorted({row.canonical_uid for row in rows}))


def _cluster_sources(
    connection: Connection, canonical_uids: list[str]
) -> dict[str, tuple[int, list[str]]]:
    """Member count and sorted source names (or URLs) of each cluster."""
    if not canonical_uids:
        return {}
    statement = _statement_for(connection, _CLUSTER_MEMBERS)
    rows = connection.execute(
        statement, {"canonical_uids": _bound_list(connection.dialect.name, canonical_uids)}
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
    member_documents = select(events.c.document_id).where(events.c.uid.in_(uids))
    link_a = documents.alias("link_a")
    link_b = documents.alias("link_b")
    links = connection.execute(
        select(
            document_links.c.document_a,
            document_links.c.document_b,
            link_a.c.document_id,
            link_b.c.document_id,
            document_links.c.similarity,
        )
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
    ).all()
    near = [(str(a), str(b), float(similarity)) for _, _, a, b, similarity in links]
    matches = _joining_matches(
        connection, members, [(int(key_a), int(key_b)) for key_a, key_b, *_ in links]
    )
    representative = connection.execute(
        select(events.c.uid).where(
            events.c.canonical_uid == canonical_uid, events.c.represents_cluster.is_(True)
        )
    ).scalar_one()
    event = next(member for member in members if member.uid == representative)
    return EventExplanation(event=event, members=members, matches=matches, near_duplicates=near)


def _joining_matches(
    connection: Connection, members: list[StoredEvent], linked: list[tuple[int, int]]
) -> list[MatchExplanation]:
    """The rule that joins each member to the happening (`merge.joining_matches`),
    worked out from the members' records and their documents' near-duplicate
    `linked` pairs: the store keeps clusters, not pairs."""
    keys = dict(
        connection.execute(
            select(events.c.uid, events.c.document_id).where(
                events.c.uid.in_([member.uid for member in members])
            )
        ).all()
    )
    joins = joining_matches(
        [(member.uid, int(keys[member.uid]), member.event) for member in members], linked
    )
    return [
        MatchExplanation(
            uid_a=uid_a,
            uid_b=uid_b,
            rule=match.rule,
            distance_km=match.distance_km,
            overlap_days=match.overlap_days,
            detail=match.detail,
        )
        for uid_a, uid_b, match in joins
    ]
