"""Stores for the tests: a SQLite file, or a throwaway schema on the PostgreSQL test server.

PostgreSQL tests share one server with other test runs, so each gets its own
schema (through libpq's search_path option) and drops it afterwards. Without
the server they skip locally and fail in CI, where the server must be there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import OperationalError

from sitrep.store.schema import (
    document_links,
    documents,
    events,
    ingest_errors,
    sources,
)

POSTGRES_SERVER = os.environ.get(
    "SITREP_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def postgres_store_url() -> Iterator[str]:
    """A URL whose connections see only a fresh schema of their own."""
    admin = create_engine(POSTGRES_SERVER)
    schema = f"sitrep_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as error:
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL test server not reachable: {error}")
    try:
        yield f"{POSTGRES_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def store_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row that matters, by content (no serial ids or timestamps), sorted."""
    link_a = documents.alias("a")
    link_b = documents.alias("b")
    with engine.connect() as connection:
        queries = {
            "documents": select(
                documents.c.input_hash,
                documents.c.document_id,
                documents.c.content_hash,
                documents.c.title,
                documents.c.url,
                sources.c.name,
            ).select_from(documents.outerjoin(sources, sources.c.id == documents.c.source_id)),
            "events": select(
                events.c.uid,
                events.c.canonical_uid,
                documents.c.input_hash,
                events.c.event_type,
                events.c.location_name,
                events.c.fatalities,
            ).select_from(events.join(documents, documents.c.id == events.c.document_id)),
            "document_links": select(
                link_a.c.input_hash, link_b.c.input_hash, document_links.c.similarity
            ).select_from(
                document_links.join(link_a, link_a.c.id == document_links.c.document_a).join(
                    link_b, link_b.c.id == document_links.c.document_b
                )
            ),
            "ingest_errors": select(ingest_errors.c.input_hash, ingest_errors.c.error),
        }
        rows = {
            name: sorted(tuple(row) for row in connection.execute(query))
            for name, query in queries.items()
        }
    # A link joins two documents in the order their serial ids happen to have.
    rows["document_links"] = sorted(
        (*sorted((a, b)), similarity) for a, b, similarity in rows["document_links"]
    )
    return rows
