"""Open an event store by path or URL and bring its schema up to date.

A bare path or `sqlite:///...` opens a SQLite file in WAL mode (the default,
one writer and many readers); `postgresql+psycopg://...` opens a shared
PostgreSQL database. Alembic migrations shipped in this package run on open.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_MATH_FUNCTIONS: tuple[tuple[str, int, Callable[..., float]], ...] = (
    ("radians", 1, math.radians),
    ("sin", 1, math.sin),
    ("cos", 1, math.cos),
    ("asin", 1, math.asin),
    ("sqrt", 1, math.sqrt),
    ("pow", 2, math.pow),
)
# Single-process ingest commits once per document; a second writer waits this long.
SQLITE_BUSY_TIMEOUT_MS = 60_000
# Pages kept per connection (KiB): an insert touches about twenty indexes at keys spread
# over the whole file (hashed uids), and with SQLite's 2 MB default most of those pages
# were read in again for every document. A fixed size, so memory stays flat.
SQLITE_CACHE_KIB = 64 * 1024


def database_url(target: str) -> str:
    """`--db` value to SQLAlchemy URL: a plain path means a SQLite file."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def open_store(target: str, *, migrate: bool = True) -> Engine:
    """An engine on the store at `target`, migrated to the newest schema."""
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if migrate:
        upgrade(engine)
    return engine


def upgrade(engine: Engine) -> None:
    """Run the package's Alembic migrations up to head."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _null_safe(function: Callable[..., float]) -> Callable[..., float | None]:
    """SQL semantics: NULL in, NULL out."""

    def apply(*arguments: float | None) -> float | None:
        return None if None in arguments else function(*arguments)

    return apply


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        try:
            cursor.execute("SELECT sin(0)")
        except sqlite3.OperationalError:
            # SQLite built without its math functions: `--near` needs these.
            for name, arity, function in SQLITE_MATH_FUNCTIONS:
                dbapi_connection.create_function(
                    name, arity, _null_safe(function), deterministic=True
                )
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the write lock up front, so a read-then-write transaction
        # never fails halfway with "database is locked".
        if connection.get_execution_options().get("sitrep_read_only"):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
