"""The event store's tables, derived from the pydantic records in `sitrep.models`.

Documents carry the `Article` fields as columns, events carry the `Event` fields
flattened (`location_lat`, `actor1_name`, ...) for filtering plus the full record
as JSON; the Alembic migrations in `store/migrations` are generated from this
metadata and `tests/test_store.py` checks that they still match it.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    or_,
)
from sqlalchemy.types import TypeEngine

from sitrep.models import Article, Event

# Stable constraint names, so migrations can drop and alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Event columns indexed alone; the filters' indexes are defined below the table.
EVENT_INDEXED_COLUMNS = ("date_earliest", "date_latest", "fatalities")
# Filters that compare case-insensitively (`query.filter_clauses`, the merge's country
# test): indexed on lower(column), which is what they compare.
EVENT_CASEFOLD_COLUMNS = (
    "event_type",
    "sub_event_type",
    "plover_type",
    "location_country",
    "location_iso3",
    "location_admin1",
)
# What the filters of an event list test, carried in its ordering index.
EVENT_LIST_FILTER_COLUMNS = (
    "canonical_uid",
    *EVENT_CASEFOLD_COLUMNS,
    "range_start",
    "range_end",
    "location_lat",
    "location_lon",
    "fatalities",
)


def _scalar_type(annotation: Any) -> TypeEngine[Any] | None:
    """The SQL type of a scalar pydantic annotation; None for anything else."""
    if annotation is bool:
        return Boolean()
    if annotation is int:
        return Integer()
    if annotation is float:
        return Float()
    if annotation is str:
        return Text()
    if annotation is dt.date:
        return Date()
    if typing.get_origin(annotation) is Literal:
        values = typing.get_args(annotation)
        if all(isinstance(value, int) for value in values):
            return Integer()
        return String(max(len(str(value)) for value in values))
    return None


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def model_columns(
    model: type[BaseModel], prefix: str = "", *, lists_as_json: bool, skip: frozenset[str]
) -> list[Column[Any]]:
    """Columns for every field of `model`, nested records flattened as `<field>_<subfield>`.

    List fields become JSON columns when `lists_as_json`, else they live only in
    the record JSON kept beside the columns.
    """
    columns: list[Column[Any]] = []
    for name, field in model.model_fields.items():
        if name in skip:
            continue
        column_name = f"{prefix}{name}"
        annotation, optional = _unwrap_optional(field.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns.extend(
                model_columns(
                    annotation, f"{column_name}_", lists_as_json=lists_as_json, skip=frozenset()
                )
            )
            continue
        if typing.get_origin(annotation) in (list, dict):
            if lists_as_json:
                columns.append(Column(column_name, JSON(), nullable=True))
            continue
        sql_type = _scalar_type(annotation)
        if sql_type is None:
            raise TypeError(f"no column type for {model.__name__}.{name}: {field.annotation}")
        # Nested records are optional as a whole, so their fields are nullable too.
        columns.append(Column(column_name, sql_type, nullable=True if prefix else optional))
    return columns


def range_scale(start: dt.date | None, end: dt.date | None) -> int | None:
    """0 for a one-day range, else the bit length of its days: shorter than 2**scale days."""
    if start is None or end is None:
        return None
    return abs((end - start).days).bit_length()


def longest_range_days(scale: int) -> int:
    """Days between the ends of the longest range of `scale`."""
    return (1 << scale) - 1


def _range_scale_of_row(context: Any) -> int | None:
    # An insert's default, from the row's own ends (the writer sets those alone).
    row = context.get_current_parameters()
    return range_scale(_as_date(row.get("range_start")), _as_date(row.get("range_end")))


def _as_date(value: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False, unique=True),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    # Hash of what the caller handed in (text, title, url, source): the idempotency key.
    Column("input_hash", String(64), nullable=False, unique=True),
    Column("document_id", Text, nullable=False),
    Column("source_id", ForeignKey("sources.id"), nullable=True, index=True),
    Column("url", Text, nullable=True),
    Column("input_name", Text, nullable=True),
    *model_columns(Article, lists_as_json=True, skip=frozenset()),
    # MinHash signature of the body's shingles, for near-duplicate search.
    Column("minhash", LargeBinary, nullable=True),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)
Index("ix_documents_content_hash", documents.c.content_hash)
Index("ix_documents_published", documents.c.published)

# LSH bands of each document's MinHash: documents sharing a band are candidates.
document_bands = Table(
    "document_bands",
    metadata,
    Column("band_key", String(32), primary_key=True),
    Column("document_id", ForeignKey("documents.id"), primary_key=True),
)

# Near-duplicate pairs (wire copies, updates), stored once with document_a < document_b.
document_links = Table(
    "document_links",
    metadata,
    Column("document_a", ForeignKey("documents.id"), primary_key=True),
    Column("document_b", ForeignKey("documents.id"), primary_key=True, index=True),
    Column("similarity", Float, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    # Store-wide id: hash of the document's input hash and the pipeline's event_id.
    Column("uid", String(16), nullable=False, unique=True),
    Column("document_id", ForeignKey("documents.id"), nullable=False, index=True),
    # The canonical event (the smallest member uid) of the cluster this event is in.
    Column("canonical_uid", String(16), nullable=False, index=True),
    # The one member of the cluster whose values stand for the happening in queries.
    Column("represents_cluster", Boolean, nullable=False),
    *model_columns(Event, lists_as_json=False, skip=frozenset()),
    # The date range with a lone date as both ends, so overlap queries use one index.
    Column("range_start", Date, nullable=True),
    Column("range_end", Date, nullable=True),
    # How long the range is, on a doubling scale (`range_scale`), filled from the two
    # ends on insert: a period's matches of one scale start in a window no longer than
    # the period plus that scale's longest range, one bounded scan of ix_events_period.
    Column("range_scale", Integer, nullable=True, default=_range_scale_of_row),
    # The place's name and admin1 casefolded, as the merge compares them
    # (`merge.events._place_relation`), so the candidate search tests them in SQL:
    # SQLite's lower() folds ASCII alone.
    Column("location_name_folded", Text, nullable=True),
    Column("location_admin1_folded", Text, nullable=True),
    Column("record", JSON(), nullable=False),
)
for _name in EVENT_INDEXED_COLUMNS:
    Index(f"ix_events_{_name}", events.c[_name])

# The order of every event list, newest first (`query.ORDER`; SQLite's DESC puts NULLs
# last, as the query asks), with the flag and the columns the filters test, so a page
# walks this index in order and reads only the rows it returns.
Index(
    "ix_events_newest",
    func.coalesce(events.c.date, events.c.date_latest, events.c.date_earliest).desc(),
    events.c.uid,
    events.c.represents_cluster,
    *(events.c[name] for name in EVENT_LIST_FILTER_COLUMNS),
)
# Counts of matching happenings read these alone: lower(column) for the case-insensitive
# filters (the ISO3 one with the country name, which its count tests too), the date
# range from either end (an old period is narrow from its start, a recent one from its
# end; the merge's candidate search reads the first) and the bounding box of `near`.
# A filter's value and a period are one seek of (lower(column), represents_cluster,
# range_scale, range_start) per range scale (`query._period_clause`), not a scan of
# either alone.
for _name in EVENT_CASEFOLD_COLUMNS:
    Index(
        f"ix_events_lower_{_name}",
        func.lower(events.c[_name]),
        events.c.represents_cluster,
        events.c.range_scale,
        events.c.range_start,
        events.c.range_end,
        # SQLite (3.40) reads an index alone only if it holds every column the query
        # names, bare: the ISO3 half of a country's count also tests the name.
        *((events.c.location_iso3, events.c.location_country) if _name == "location_iso3" else ()),
        events.c.fatalities,
    )
for _name, _first, _second in (
    ("ix_events_range_start", events.c.range_start, events.c.range_end),
    ("ix_events_range_end", events.c.range_end, events.c.range_start),
):
    Index(
        _name,
        _first,
        _second,
        events.c.represents_cluster,
        # The order's columns: a period's matches are sorted from the index alone.
        events.c.date,
        events.c.date_latest,
        events.c.date_earliest,
        events.c.uid,
    )
# A period's matches, scale by scale: (scale, range_start) bounds each scan to the window
# where that scale's ranges can overlap the period (`query._period_clause`); the rest
# are the order's columns, so the page is sorted from the index alone.
Index(
    "ix_events_period",
    events.c.range_scale,
    events.c.range_start,
    events.c.range_end,
    events.c.represents_cluster,
    events.c.date,
    events.c.date_latest,
    events.c.date_earliest,
    events.c.uid,
)
# The members that are not their cluster's representative, with what the filters test:
# a happening also matches through them (`query._matched_through_members`).
Index(
    "ix_events_members",
    *(events.c[name] for name in EVENT_LIST_FILTER_COLUMNS),
    sqlite_where=events.c.represents_cluster.is_(False),
    postgresql_where=events.c.represents_cluster.is_(False),
)
Index("ix_events_place", events.c.location_lat, events.c.location_lon, events.c.represents_cluster)
# The events dated outside their own date range (an extraction that put the date before
# the earliest day, a range with reversed ends): few, if any. A period's walk of
# ix_events_newest from its last day finds every other event (`query._period_page_ids`);
# a query reads these from here by repeating MISDATED, which SQLite needs spelled alike.
_NEWEST_KEY = func.coalesce(events.c.date, events.c.date_latest, events.c.date_earliest)
MISDATED = or_(events.c.range_start > _NEWEST_KEY, events.c.range_end < _NEWEST_KEY)
Index("ix_events_misdated", events.c.range_start, sqlite_where=MISDATED, postgresql_where=MISDATED)
# Each cluster's representative, sought by canonical uid (`repository._REPRESENTATIVES`):
# a happening may have thousands of members, which ix_events_canonical_uid would all read.
REPRESENTS = events.c.represents_cluster.is_(True)
Index(
    "ix_events_representative",
    events.c.canonical_uid,
    sqlite_where=REPRESENTS,
    postgresql_where=REPRESENTS,
)
# The merge's candidate search (`repository`): a country's events in a date window, one
# seek per range scale, since a short range starts in a window of a few days.
for _name, _column in (
    ("ix_events_merge_country", events.c.location_country),
    ("ix_events_merge_iso3", events.c.location_iso3),
):
    Index(
        _name, func.lower(_column), events.c.range_scale, events.c.range_start, events.c.range_end
    )

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("input_hash", String(64), nullable=False),
    Column("document_id", Text, nullable=True),
    Column("input_name", Text, nullable=True),
    Column("error", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("input_hash"),
)

# What `sitrep watch` delivered: one row per (rule, happening, destination), holding the
# version of the happening last delivered there, so each alert goes out once and a
# changed happening (new deaths, new sources) goes out as an update.
alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("rule", String(200), primary_key=True),
    Column("canonical_uid", String(16), primary_key=True),
    Column("destination", String(500), primary_key=True),
    Column("version", String(64), nullable=False),
    Column("alert_id", String(64), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
)

# The full-text index is created by hand in migration 0001, apart from the metadata:
# FTS5 tables on SQLite, an expression index on PostgreSQL.
FULL_TEXT_TABLE_PREFIX = "events_fts"
FULL_TEXT_INDEX = "ix_events_sentence_tsv"


def include_in_migrations(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's filter: leave the full-text index out of schema comparisons."""
    if type_ == "table":
        return not (name or "").startswith(FULL_TEXT_TABLE_PREFIX)
    return not (type_ == "index" and name == FULL_TEXT_INDEX)
