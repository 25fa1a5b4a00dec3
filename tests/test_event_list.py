"""Event lists: the two page plans agree, counts add up, and SQLite reads the new indexes.

A page is either walked to in `ix_events_newest` order or read through a filter's
index and sorted (`query._page_ids`); the count of a country is two disjoint halves.
Both must give what the plain definition gives, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sitrep.store import EventFilter, Near, open_store, query_events
from sitrep.store import query as store_query
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


def plan(engine: Engine, fields: dict[str, object]) -> str:
    """SQLite's plans of every statement a page of 50 under `fields` runs."""
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
        query_events(connection, EventFilter.model_validate({**fields, "limit": 50}))
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
