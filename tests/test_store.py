"""The event store: migrations, writes, filters and exports, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import Engine, inspect

from sitrep.cli import main
from sitrep.models import Article, DocumentResult
from sitrep.store import (
    CodedDocument,
    EventFilter,
    Near,
    input_hash,
    open_store,
    query_events,
    repository,
    write_document,
)
from sitrep.store.engine import MIGRATIONS, database_url
from sitrep.store.export import ACLED_COLUMNS, acled_row
from sitrep.store.repository import write_documents
from sitrep.store.schema import include_in_migrations, metadata
from sitrep.store.stats import count_events
from store_corpus import mosul_attack_reports, synthetic_coder, unrelated_reports
from store_fixtures import postgres_store_url, store_rows
from test_merge import coded_documents, store_documents


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        with postgres_store_url() as url:
            yield url


@pytest.fixture
def filled_store(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    store_documents(engine, mosul_attack_reports() + unrelated_reports())
    yield engine
    engine.dispose()


def test_a_plain_path_is_a_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    assert database_url("events.db").startswith("sqlite:///")
    assert database_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    engine = open_store(str(tmp_path / "events.db"))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_migrations_build_exactly_the_schema_the_records_define(store_url: str) -> None:
    engine = open_store(store_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_in_migrations}
        )
        assert compare_metadata(context, metadata) == []
    # Opening again finds the schema at head and changes nothing.
    open_store(store_url).dispose()
    columns = {column["name"] for column in inspect(engine).get_columns("events")}
    assert {"location_lat", "actor1_name", "fatalities", "record"} <= columns
    engine.dispose()


def test_writing_the_same_documents_again_adds_nothing(filled_store: Engine) -> None:
    before = store_rows(filled_store)
    store_documents(filled_store, mosul_attack_reports() + unrelated_reports())
    assert store_rows(filled_store) == before
    assert len(before["documents"]) == 10


def events_matching(engine: Engine, **filters: object) -> list[str]:
    """The sentences of the happenings matching `filters`, sorted."""
    with engine.connect() as connection:
        page = query_events(connection, EventFilter.model_validate({"limit": None, **filters}))
    assert page.total == len(page.events)
    return sorted(stored.event.sentence for stored in page.events)


def test_filters_by_type_place_date_actor_text_and_fatalities(filled_store: Engine) -> None:
    bombs = events_matching(filled_store, event_type="explosions/remote violence")
    assert len(bombs) == 3
    assert len(events_matching(filled_store, sub_event_type="Armed clash")) == 1
    assert len(events_matching(filled_store, plover_type="PROTEST")) == 1
    assert len(events_matching(filled_store, country="IRQ")) == 5
    assert events_matching(filled_store, country="Syria") == []
    assert len(events_matching(filled_store, admin1="Baghdad")) == 1
    assert len(events_matching(filled_store, since=date(2024, 3, 13))) == 1
    assert len(events_matching(filled_store, until=date(2024, 3, 12))) == 4
    # Within 20 km of central Mosul: the bombing (through its Mosul reports), the protest
    # and the later bomb.
    near_mosul = events_matching(filled_store, near=Near(lat=36.34, lon=43.13, km=20))
    assert len(near_mosul) == 3
    assert events_matching(filled_store, near=Near(lat=30.5, lon=47.8, km=50)) == []
    assert events_matching(filled_store, actor="police forces") == [
        "Police clashed with gunmen in Kirkuk on 12 March 2024, killing 4 soldiers, "
        "an officer said."
    ]
    assert len(events_matching(filled_store, text="power cuts")) == 1
    assert len(events_matching(filled_store, text="car bomb")) == 3
    # The Mosul bombing's reports say 7 and 9 dead: it matches through them.
    assert len(events_matching(filled_store, min_fatalities=5)) == 1
    assert len(events_matching(filled_store, min_fatalities=3)) == 3


def test_members_lists_every_report_instead_of_one_row_per_happening(filled_store: Engine) -> None:
    with filled_store.connect() as connection:
        members = query_events(connection, EventFilter(canonical=False, admin1="Nineveh"))
        happenings = query_events(connection, EventFilter(admin1="Nineveh"))
    assert members.total == 8
    assert happenings.total == 3


def test_stats_count_happenings_by_week_country_and_type(filled_store: Engine) -> None:
    with filled_store.connect() as connection:
        counts = count_events(connection, EventFilter())
    assert counts.total == 5
    assert counts.by_week == {"2024-W11": 4, "2024-W12": 1}
    assert counts.by_country == {"Iraq": 5}
    assert counts.by_type["Explosions/Remote violence"] == 3


def test_csv_export_uses_acleds_column_names_in_acleds_order(tmp_path: Path) -> None:
    database = str(tmp_path / "store.db")
    engine = open_store(database)
    store_documents(engine, [unrelated_reports()[0]])
    engine.dispose()
    result = CliRunner().invoke(main, ["events", "--db", database, "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, row = result.output.splitlines()
    assert header == (
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
        "sub_event_type,actor1,inter1,actor2,inter2,iso,country,admin1,location,latitude,"
        "longitude,geo_precision,source,notes,fatalities"
    )
    values = dict(zip(ACLED_COLUMNS, next(csv.reader(io.StringIO(row))), strict=True))
    assert values["event_date"] == "2024-03-12"
    assert values["disorder_type"] == "Political violence"
    assert values["iso"] == "368"
    assert values["location"] == "Baghdad"
    assert values["source"] == "Reuters"
    assert values["fatalities"] == "3"


def test_json_geojson_and_parquet_exports_hold_the_same_events(
    filled_store: Engine, store_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    as_json = runner.invoke(main, ["events", "--db", store_url, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    records = json.loads(as_json.output)
    assert len(records) == 5
    assert {record["event"]["event_type"] for record in records} >= {"Protests", "Battles"}
    geojson = json.loads(
        runner.invoke(main, ["events", "--db", store_url, "--format", "geojson"]).output
    )
    assert geojson["type"] == "FeatureCollection"
    coordinates = sorted(tuple(f["geometry"]["coordinates"]) for f in geojson["features"])
    assert (44.4009, 33.3406) in coordinates
    target = tmp_path / "events.parquet"
    parquet = runner.invoke(
        main, ["events", "--db", store_url, "--format", "parquet", "--output", str(target)]
    )
    assert parquet.exit_code == 0, parquet.output
    table = pq.read_table(target)
    assert table.column_names[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert sorted(table.column("event_id_cnty").to_pylist()) == sorted(
        record["canonical_uid"] for record in records
    )


def test_acled_row_of_a_bare_event_leaves_unknown_columns_empty(filled_store: Engine) -> None:
    with filled_store.connect() as connection:
        page = query_events(connection, EventFilter(plover_type="PROTEST"))
    row = acled_row(page.events[0])
    assert list(row) == list(ACLED_COLUMNS)
    assert row["actor1"] is None and row["inter1"] is None
    assert row["disorder_type"] == "Demonstrations"


def test_events_cli_filters_and_rejects_an_unknown_place(
    filled_store: Engine, store_url: str
) -> None:
    runner = CliRunner()
    near = runner.invoke(
        main, ["events", "--db", store_url, "--near", "33.34,44.40,5", "--format", "json"]
    )
    assert near.exit_code == 0, near.output
    assert [r["event"]["location"]["name"] for r in json.loads(near.output)] == ["Baghdad"]
    # Not "Atlantis": GeoNames knows a town of that name in the Western Cape.
    unknown = runner.invoke(main, ["events", "--db", store_url, "--near", "Qzqzq"])
    assert unknown.exit_code == 2
    assert "unknown place 'Qzqzq'" in unknown.output


def test_an_input_without_source_is_named_by_its_url_host(tmp_path: Path) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    report = unrelated_reports()[0].model_copy(
        update={"source": None, "url": "https://www.example.net/a"}
    )
    store_documents(engine, [report])
    assert [row[-1] for row in store_rows(engine)["documents"]] == ["example.net"]


def test_a_document_the_pipeline_rejected_is_recorded_once_as_an_error(tmp_path: Path) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    failed = CodedDocument(
        input_hash="f" * 64,
        input_name="feed.xml",
        result=DocumentResult(id="bad", article=Article(), errors=["bad: no text"]),
    )
    assert write_document(engine, failed).error == "bad: no text"
    assert not write_document(engine, failed).written
    rows = store_rows(engine)
    assert rows["documents"] == []
    assert rows["ingest_errors"] == [("f" * 64, "bad: no text")]


def test_a_document_that_cannot_be_stored_is_recorded_and_its_batch_kept(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_store(store_url)
    batch = coded_documents(mosul_attack_reports()[:3])
    store_document = repository._insert_document

    def refusing_the_second(connection: Any, coded: CodedDocument) -> int:
        if coded.input_hash == batch[1].input_hash:
            raise ValueError("value out of range")
        return store_document(connection, coded)

    monkeypatch.setattr(repository, "_insert_document", refusing_the_second)
    outcomes = write_documents(engine, batch)
    reason = "could not store: ValueError: value out of range"
    assert [(outcome.written, outcome.error) for outcome in outcomes] == [
        (True, None),
        (True, reason),
        (True, None),
    ]
    rows = store_rows(engine)
    assert sorted(row[0] for row in rows["documents"]) == sorted(
        [batch[0].input_hash, batch[2].input_hash]
    )
    assert rows["ingest_errors"] == [(batch[1].input_hash, reason)]
    # Its events were rolled back with it: every stored event is another document's.
    assert {row[2] for row in rows["events"]} <= {batch[0].input_hash, batch[2].input_hash}
    assert all(not outcome.written for outcome in write_documents(engine, batch))
    engine.dispose()


def test_stats_and_show_commands_print_json(filled_store: Engine, store_url: str) -> None:
    runner = CliRunner()
    stats = runner.invoke(main, ["stats", "--db", store_url, "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.output)["by_type"]["Protests"] == 1
    with filled_store.connect() as connection:
        bombing = query_events(connection, EventFilter(admin1="Nineveh", min_fatalities=5))
    uid = bombing.events[0].canonical_uid
    shown = runner.invoke(main, ["events", "--db", store_url, "show", uid, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    explanation = json.loads(shown.output)
    assert len(explanation["members"]) == 6
    assert {match["rule"] for match in explanation["matches"]} == {
        "near_duplicate_documents",
        "same_happening",
    }
    missing = runner.invoke(main, ["events", "show", "nope", "--db", store_url])
    assert missing.exit_code == 1 and "no event nope" in missing.output


def _upgrade_events_stored_at(
    tmp_path: Path,
    revision: str,
    columns: tuple[str, ...],
    rows: tuple[tuple[str | None, ...], ...],
    read: tuple[str, ...],
) -> list[tuple[object, ...]]:
    """Store one document's events (uid first, then `columns`) at `revision`, upgrade
    to the newest, and read back `read` of each event by uid."""
    database = str(tmp_path / "old.db")
    engine = open_store(database, migrate=False)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.exec_driver_sql(
            "INSERT INTO documents (id, input_hash, document_id, published_inferred, body, "
            "content_hash, ingested_at) VALUES (1, 'h', 'd', 0, 'body', 'c', '2024-03-12')"
        )
        for uid, *values in rows:
            connection.exec_driver_sql(
                "INSERT INTO events (uid, document_id, canonical_uid, represents_cluster, "
                f"event_id, plover_type, {', '.join(columns)}, actor1_attribution, "
                "status, sentence, confidence, record) "
                f"VALUES (?, 1, ?, 1, ?, 'ASSAULT', {', '.join('?' * len(columns))}, "
                "'unknown', 'occurred', '', 0.5, '{}')",
                (uid, uid, uid, *values),
            )
    engine.dispose()
    upgraded = open_store(database)
    with upgraded.connect() as connection:
        stored = connection.exec_driver_sql(
            f"SELECT uid, {', '.join(read)} FROM events ORDER BY uid"
        ).all()
    upgraded.dispose()
    return [tuple(row) for row in stored]


def test_upgrading_a_store_fills_the_date_range_of_events_already_stored(tmp_path: Path) -> None:
    ranges = _upgrade_events_stored_at(
        tmp_path,
        "0002",
        ("date", "date_earliest", "date_latest"),
        (
            ("single", "2024-03-12", None, None),
            ("ranged", None, "2024-03-01", "2024-03-07"),
        ),
        read=("range_start", "range_end"),
    )
    assert ranges == [
        ("ranged", "2024-03-01", "2024-03-07"),
        ("single", "2024-03-12", "2024-03-12"),
    ]


def test_events_of_one_document_with_the_same_pipeline_id_are_both_stored(tmp_path: Path) -> None:
    engine = open_store(str(tmp_path / "store.db"))
    report = unrelated_reports()[0]
    (result,) = synthetic_coder([report])
    twin = result.events[0].model_copy(update={"sentence": "A second event, same id."})
    result.events.append(twin)
    coded = CodedDocument(input_hash=input_hash(report), result=result)
    assert write_document(engine, coded).events == 2
    assert len({uid for uid, *_ in store_rows(engine)["events"]}) == 2


def test_upgrading_a_store_fills_the_folded_place_keys_of_events_already_stored(
    tmp_path: Path,
) -> None:
    keys = _upgrade_events_stored_at(
        tmp_path,
        "0005",
        ("location_name", "location_admin1"),
        (
            ("placed", "MOSUL", "NINAWÁ"),
            ("region", "Ninawá", "Ninawá"),
            ("nowhere", None, None),
        ),
        read=("location_name_folded", "location_admin1_folded"),
    )
    # Python's casefold, which SQLite's lower() is not: the Á folds too.
    assert keys == [
        ("nowhere", None, None),
        ("placed", "mosul", "ninawá"),
        ("region", "ninawá", "ninawá"),
    ]


def test_upgrading_a_store_fills_the_range_scale_of_events_already_stored(tmp_path: Path) -> None:
    scales = _upgrade_events_stored_at(
        tmp_path,
        "0006",
        ("range_start", "range_end"),
        (
            ("day", "2024-03-12", "2024-03-12"),
            ("week", "2024-03-01", "2024-03-07"),
            ("year", "2023-03-01", "2024-03-01"),
            ("undated", None, None),
        ),
        read=("range_scale",),
    )
    # Six days apart is scale 3 (under 8 days), 366 days scale 9 (under 512).
    assert scales == [
        ("day", 0),
        ("undated", None),
        ("week", 3),
        ("year", 9),
    ]
