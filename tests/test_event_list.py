"""Event lists: the two page plans agree, counts add up, and SQLite reads the new indexes.

A page is either walked to in `ix_events_newest` order or read through a filter's
index and sorted (`query._page_ids`); the count of a country is two disjoint halves.
Both must give what the plain definition gives, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from sitrep.models import Event
from sitrep.store import EventFilter, Near, open_store, query_events
from sitrep.store import query as store_query
from sitrep.store.query import list_events
from sitrep.store.repository import flatten_record
from sitrep.store.schema import documents, events
from store_corpus import mosul_attack_reports, unrelated_reports
from store_fixtures import postgres_store_url
from test_merge import store_documents

FILTERS = [
    {},
    {"event_type": "explosions/remote violence"},
    {"country": "IRQ"},
    {"country": "iraq", "min_fatalities": 3},
    {"since": date(2024, 3, 11), "until": date(2024, 3, 13)},
    {"near": Near(lat=36.34, lon=43.13, km=20)},
    {"min_fatalities": 5},
    {"text": "car bomb"},
    {"admin1": "Nineveh", "canonical": False},
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def filled_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    def filled(url: str) -> Engine:
        engine = open_store(url)
        store_documents(engine, mosul_attack_reports() + unrelated_reports())
        return engine

    if request.param == "sqlite":
        engine = filled(str(tmp_path / "store.db"))
        yield engine
        engine.dispose()
    else:
        with postgres_store_url() as url:
            engine = filled(url)
            yield engine
            engine.dispose()


def pages(engine: Engine, fields: dict[str, object], size: int) -> list[list[str]]:
    """Every page of `size` of the filter, as uids, and the whole list as the last item."""
    with engine.connect() as connection:
        everything = query_events(connection, EventFilter.model_validate({**fields, "limit": None}))
        result = []
        for offset in range(0, everything.total + 1, size):
            page = query_events(
                connection,
                EventFilter.model_validate({**fields, "limit": size, "offset": offset}),
            )
            assert page.total == everything.total
            result.append([stored.uid for stored in page.events])
    return [*result, [stored.uid for stored in everything.events]]


@pytest.mark.parametrize("fields", FILTERS, ids=lambda fields: ",".join(fields) or "none")
def test_a_walked_page_and_a_sorted_page_are_the_same_page(
    filled_store: Engine, fields: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_query, "SORT_AT_MOST", -1)
    monkeypatch.setattr(store_query, "PERIOD_SORT_AT_MOST", -1)
    walked = pages(filled_store, fields, 2)
    monkeypatch.setattr(store_query, "SORT_AT_MOST", 10**9)
    monkeypatch.setattr(store_query, "PERIOD_SORT_AT_MOST", 10**9)
    sorted_here = pages(filled_store, fields, 2)
    assert walked == sorted_here
    # The pages, laid end to end, are the whole list.
    assert [uid for page in walked[:-1] for uid in page] == walked[-1]


def test_a_country_counts_by_name_or_code_once_whatever_the_case(filled_store: Engine) -> None:
    with filled_store.connect() as connection:
        totals = {
            country: query_events(connection, EventFilter(country=country, limit=1)).total
            for country in ("Iraq", "IRAQ", "irq", "IRQ")
        }
        listed = query_events(connection, EventFilter(country="Iraq", limit=None))
    assert set(totals.values()) == {listed.total}
    assert listed.total == len(listed.events) == 5


def test_a_happening_counts_once_however_many_of_its_reports_match(
    filled_store: Engine,
) -> None:
    # Two reports of the Mosul bombing say 7 and 9 dead: one happening, two matching reports.
    with filled_store.connect() as connection:
        page = query_events(connection, EventFilter(min_fatalities=5, limit=10))
        members = query_events(connection, EventFilter(min_fatalities=5, canonical=False))
    assert page.total == len(page.events) == 1
    assert members.total > page.total
    assert {stored.canonical_uid for stored in members.events} == {page.events[0].canonical_uid}


def plan(engine: Engine, fields: dict[str, object], lister: Any = query_events) -> str:
    """SQLite's plans of every statement a page of 50 under `fields` runs (by `lister`)."""
    plans: list[str] = []
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None

        def explain(
            conn: object, cursor: object, statement: str, parameters: object, *_: object
        ) -> None:
            if statement.startswith("SELECT"):
                rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
                plans.append(" | ".join(str(row[3]) for row in rows))

        from sqlalchemy import event

        event.listen(connection, "before_cursor_execute", explain)
        page_filter = EventFilter.model_validate({**fields, "limit": 50})
        if lister is query_events:
            query_events(connection, page_filter)
        else:
            lister(connection, page_filter, 50)
        event.remove(connection, "before_cursor_execute", explain)
    return "\n".join(plans)


def test_sqlite_counts_on_the_filter_indexes_and_walks_the_order_index(tmp_path: Path) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    # Enough rows that a page of 50 is walked to rather than sorted.
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(store_query, "SORT_AT_MOST", -1)
    try:
        by_type = plan(engine, {"event_type": "Battles"})
        by_code = plan(engine, {"country": "IRQ"})
        unfiltered = plan(engine, {})
    finally:
        monkeypatch.undo()
        engine.dispose()
    assert "ix_events_lower_event_type" in by_type
    assert "ix_events_lower_location_country" in by_code
    assert "ix_events_lower_location_iso3" in by_code
    for plans in (by_type, by_code, unfiltered):
        assert "SCAN events USING INDEX ix_events_newest" in plans
        # No plan reads every row of the table.
        assert "SCAN events\n" not in plans + "\n"


# Ranges of every length up to a year and a half, so every scale to 10 is stored.
RANGE_DAYS = [0, 0, 1, 2, 3, 5, 8, 13, 30, 31, 32, 90, 200, 365, 500]
PERIODS = [
    (date(2024, 3, 11), date(2024, 3, 13)),
    (date(2024, 2, 1), date(2024, 2, 29)),
    (date(2023, 1, 1), date(2023, 1, 1)),
    (date(2020, 1, 1), date(2030, 1, 1)),
    (date(2025, 6, 1), date(2025, 6, 30)),
]


def add_ranged_events(engine: Engine) -> dict[str, tuple[date, date]]:
    """Representatives ending on many days with ranges of `RANGE_DAYS`, by uid."""
    ranges = {}
    with engine.begin() as connection:
        document_key = connection.execute(select(documents.c.id).limit(1)).scalar_one()
        rows = []
        for number in range(90):
            end = date(2024, 3, 20) - timedelta(days=number * 7)
            start = end - timedelta(days=RANGE_DAYS[number % len(RANGE_DAYS)])
            uid = f"ranged{number:010d}"
            ranges[uid] = (start, end)
            event = Event(
                event_id=uid,
                plover_type="ASSAULT",
                date_earliest=start,
                date_latest=end,
                sentence=f"Ranged event {number}.",
            )
            rows.append(
                {
                    "uid": uid,
                    "document_id": document_key,
                    "canonical_uid": uid,
                    "represents_cluster": True,
                    "range_start": start,
                    "range_end": end,
                    "record": event.model_dump(mode="json"),
                    **flatten_record(event, events),
                }
            )
        # Inserted as the store's writer inserts: the schema fills range_scale.
        connection.execute(insert(events), rows)
    return ranges


@pytest.mark.parametrize("period", PERIODS, ids=lambda period: f"{period[0]}..{period[1]}")
def test_a_period_lists_exactly_the_ranges_that_overlap_it_whatever_their_length(
    filled_store: Engine, period: tuple[date, date]
) -> None:
    ranges = add_ranged_events(filled_store)
    since, until = period
    overlapping = {uid for uid, (start, end) in ranges.items() if start <= until and end >= since}
    with filled_store.connect() as connection:
        stored = query_events(connection, EventFilter(since=since, until=until, limit=None))
        listed = list_events(connection, EventFilter(since=since, until=until), 1000)
    assert {event.uid for event in stored.events if event.uid in ranges} == overlapping
    assert [event.uid for event in listed.events] == [event.uid for event in stored.events]


# A period with a case-insensitive filter: sought within the filter's index.
PERIOD_FILTERS = [
    {"plover_type": "assault"},
    {"event_type": "Explosions/Remote violence"},
    {"country": "irq"},
    {"country": "Iraq", "admin1": "NINEVEH"},
    {"plover_type": "ASSAULT", "min_fatalities": 3},
]


@pytest.mark.parametrize("period", PERIODS[:3], ids=lambda period: f"{period[0]}..{period[1]}")
@pytest.mark.parametrize("fields", PERIOD_FILTERS, ids=lambda fields: ",".join(fields))
def test_a_period_with_a_filter_lists_what_the_plain_overlap_test_finds(
    filled_store: Engine, period: tuple[date, date], fields: dict[str, object]
) -> None:
    add_ranged_events(filled_store)
    since, until = period
    period_filter = EventFilter.model_validate({**fields, "since": since, "until": until})
    with filled_store.connect() as connection:
        stored = query_events(connection, period_filter.model_copy(update={"limit": None}))
        listed = list_events(connection, period_filter, 1000)
        # Without the largest range scale, filter_clauses spells the plain overlap test.
        plain = connection.execute(
            select(events.c.canonical_uid).where(
                *store_query.filter_clauses(period_filter, connection.dialect.name)
            )
        ).scalars()
        expected = set(plain)
    assert {event.canonical_uid for event in stored.events} == expected
    assert stored.total == len(expected)
    assert [event.uid for event in listed.events] == [event.uid for event in stored.events]


def test_sqlite_seeks_a_period_within_a_filters_index(tmp_path: Path) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    store_documents(engine, mosul_attack_reports())
    add_ranged_events(engine)
    period = {"since": date(2024, 2, 1), "until": date(2024, 2, 29)}
    try:
        by_type = plan(engine, {**period, "plover_type": "ASSAULT"})
        by_country = plan(engine, {**period, "country": "IRQ"})
    finally:
        engine.dispose()
    seek = (
        "(<expr>=? AND represents_cluster=? AND range_scale=? AND range_start>? AND range_start<?)"
    )
    assert f"ix_events_lower_plover_type {seek}" in by_type
    assert f"ix_events_lower_location_country {seek}" in by_country
    assert f"ix_events_lower_location_iso3 {seek}" in by_country
    for plans in (by_type, by_country):
        assert "SCAN events\n" not in plans + "\n"


def test_sqlite_reads_a_period_scale_by_scale_from_the_period_index(tmp_path: Path) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    store_documents(engine, mosul_attack_reports())
    add_ranged_events(engine)
    try:
        plans = plan(engine, {"since": date(2024, 2, 1), "until": date(2024, 2, 29)})
    finally:
        engine.dispose()
    assert "ix_events_period (range_scale=? AND range_start>? AND range_start<?)" in plans
    assert "SCAN events\n" not in plans + "\n"


@pytest.mark.parametrize("fields", FILTERS, ids=lambda fields: ",".join(fields) or "none")
def test_a_store_of_lone_reports_lists_what_a_merged_store_would(
    tmp_path: Path, fields: dict[str, object]
) -> None:
    # Nothing merged: no member but representatives, so the through-members search is skipped.
    engine = open_store(str(tmp_path / "store.db"))
    store_documents(engine, unrelated_reports())
    try:
        with engine.connect() as connection:
            assert not store_query._store_facts(connection).has_members
            whole = query_events(connection, EventFilter.model_validate({**fields, "limit": None}))
            listed = list_events(connection, EventFilter.model_validate(fields), 1000)
            plain = connection.execute(
                select(events.c.uid).where(
                    events.c.represents_cluster.is_(True),
                    *store_query.filter_clauses(
                        EventFilter.model_validate(fields), connection.dialect.name
                    ),
                )
            ).scalars()
            expected = set(plain) if fields.get("canonical", True) else None
    finally:
        engine.dispose()
    assert [event.uid for event in listed.events] == [event.uid for event in whole.events]
    if expected is not None:
        assert {event.uid for event in whole.events} == expected


def test_a_merged_store_has_members(filled_store: Engine) -> None:
    with filled_store.connect() as connection:
        assert store_query._store_facts(connection).has_members


def test_sqlite_reads_a_page_and_its_clusters_by_json_array_as_by_expanding_list(
    tmp_path: Path,
) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    store_documents(engine, mosul_attack_reports() + unrelated_reports())
    try:
        with engine.connect() as connection:
            ids = list(connection.execute(select(events.c.id)).scalars())
            uids = sorted({*connection.execute(select(events.c.canonical_uid)).scalars()})
            read = {
                spelling: (
                    connection.execute(store_query._PAGE_ROWS[spelling], {"ids": bound}).all(),
                    sorted(
                        connection.execute(
                            store_query._CLUSTER_MEMBERS[spelling], {"canonical_uids": names}
                        ).all()
                    ),
                )
                for spelling, bound, names in (
                    ("sqlite", json.dumps(ids), json.dumps(uids)),
                    ("generic", ids, uids),
                )
            }
    finally:
        engine.dispose()
    assert len(read["generic"][0]) == len(ids) > 1
    assert read["sqlite"] == read["generic"]


# Filters of one shape each: the statements built for the first serve the others with
# their own values bound (`query._FilterShape`), in any order.
SAME_SHAPES = [
    [
        {"event_type": "Battles"},
        {"event_type": "PROTESTS"},
        {"event_type": "explosions/remote violence"},
    ],
    [{"admin1": "Kirkuk"}, {"admin1": "nineveh"}, {"admin1": "Baghdad"}],
    # The Mosul bombing's representative says 7 dead, a later report 9: 8 matches through it.
    [{"min_fatalities": 3}, {"min_fatalities": 8}, {"min_fatalities": 0}],
    [{"admin1": "Nineveh", "min_fatalities": 5}, {"admin1": "Baghdad", "min_fatalities": 1}],
]


def reported(event: Event, fields: dict[str, object]) -> bool:
    """Whether one report meets the filter `fields`, by the filters' own definitions."""
    location = event.location
    wanted = {
        "event_type": event.event_type,
        "admin1": location.admin1 if location else None,
    }
    for name, actual in wanted.items():
        if name in fields and (actual or "").lower() != str(fields[name]).lower():
            return False
    least = fields.get("min_fatalities")
    return not isinstance(least, int) or (
        event.fatalities is not None and event.fatalities >= least
    )


@pytest.mark.parametrize("shape", SAME_SHAPES, ids=lambda shape: ",".join(shape[0]))
def test_filters_of_one_shape_each_get_their_own_happenings(
    filled_store: Engine, shape: list[dict[str, object]]
) -> None:
    with filled_store.connect() as connection:
        reports = query_events(connection, EventFilter(canonical=False, limit=None)).events
        happenings = query_events(connection, EventFilter(limit=None)).events
        representative = {stored.canonical_uid: stored.uid for stored in happenings}
        answers = set()
        for fields in [*shape, *reversed(shape)]:
            expected = {
                representative[stored.canonical_uid]
                for stored in reports
                if reported(stored.event, fields)
            }
            stored = query_events(connection, EventFilter.model_validate({**fields, "limit": None}))
            listed = list_events(connection, EventFilter.model_validate(fields), 1000)
            assert {event.uid for event in stored.events} == expected, fields
            assert stored.total == len(expected)
            assert [event.uid for event in listed.events] == [event.uid for event in stored.events]
            answers.add(frozenset(expected))
    # Each filter of the shape has happenings of its own: none answered with another's.
    assert len(answers) == len(shape)


def add_dated_events(engine: Engine) -> dict[str, tuple[date, date]]:
    """Representatives whose date is not the last day of their range, by uid.

    Dated after the days they span, before them, within a range whose ends are
    reversed, and on the last day of a range that reaches back into a period.
    """
    cases = {
        # uid: (date, earliest, latest)
        "dated_before": (date(2024, 1, 1), date(2024, 2, 5), date(2024, 2, 10)),
        "dated_after": (date(2024, 6, 1), date(2024, 2, 5), date(2024, 2, 6)),
        "reversed_ends": (None, date(2024, 2, 10), date(2024, 2, 3)),
        "spans_until": (date(2024, 2, 20), date(2024, 2, 1), date(2024, 2, 20)),
        "inside_range": (date(2024, 2, 7), date(2024, 2, 6), date(2024, 2, 9)),
    }
    ranges = {}
    with engine.begin() as connection:
        document_key = connection.execute(select(documents.c.id).limit(1)).scalar_one()
        rows = []
        for uid, (day, earliest, latest) in cases.items():
            event = Event(
                event_id=uid,
                plover_type="ASSAULT",
                date=day,
                date_earliest=earliest,
                date_latest=latest,
                sentence=f"An event {uid}.",
            )
            ranges[uid] = (earliest, latest)
            rows.append(
                {
                    "uid": uid,
                    "document_id": document_key,
                    "canonical_uid": uid,
                    "represents_cluster": True,
                    "range_start": earliest,
                    "range_end": latest,
                    "record": event.model_dump(mode="json"),
                    **flatten_record(event, events),
                }
            )
        connection.execute(insert(events), rows)
    return ranges


# Periods each of `add_dated_events`' events overlaps, in part or in whole.
DATED_PERIODS = [
    (date(2024, 2, 7), date(2024, 2, 8)),
    (date(2024, 2, 4), date(2024, 2, 4)),
    (date(2024, 2, 12), date(2024, 2, 15)),
    (date(2023, 12, 25), date(2024, 1, 2)),
    (date(2024, 1, 1), date(2024, 12, 31)),
]


@pytest.mark.parametrize("period", DATED_PERIODS, ids=lambda period: f"{period[0]}..{period[1]}")
def test_a_period_walked_from_its_last_day_lists_events_dated_outside_it(
    filled_store: Engine, period: tuple[date, date]
) -> None:
    ranges = add_dated_events(filled_store)
    ranges.update(add_ranged_events(filled_store))
    since, until = period
    overlapping = {uid for uid, (start, end) in ranges.items() if start <= until and end >= since}
    period_filter = EventFilter(since=since, until=until)
    with filled_store.connect() as connection:
        stored = query_events(connection, period_filter.model_copy(update={"limit": None}))
        everything = list_events(connection, period_filter, 1000)
        paged = [
            listed.uid
            for offset in range(0, len(stored.events) + 2, 2)
            for listed in list_events(
                connection, period_filter.model_copy(update={"offset": offset}), 2
            ).events
        ]
    expected = [event.uid for event in stored.events]
    assert {uid for uid in expected if uid in ranges} == overlapping
    assert [listed.uid for listed in everything.events] == expected
    assert paged == expected


def test_sqlite_walks_a_period_from_its_last_day_and_reads_the_misdated_from_their_index(
    tmp_path: Path,
) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    store_documents(engine, unrelated_reports())
    add_dated_events(engine)
    try:
        plans = plan(
            engine, {"since": date(2024, 2, 1), "until": date(2024, 2, 29)}, lister=list_events
        )
    finally:
        engine.dispose()
    assert "ix_events_newest (<expr>>? AND <expr><?)" in plans
    assert "ix_events_misdated" in plans
    assert "SCAN events\n" not in plans + "\n"
