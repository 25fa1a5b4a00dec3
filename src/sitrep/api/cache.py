"""Pages of the event list kept for repeated queries, dropped as soon as the store changes.

SQLite counts the commits other connections make (`PRAGMA data_version`): one
connection of the cache's own, which never writes, reads that count before every
look-up, so a commit by this server, another worker or another process (an
ingest) empties the cache before any request that starts after it. A page
computed while a commit landed is kept under the older version, which no later
request asks for. Other databases have no such count: there nothing is cached.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from sqlalchemy import Engine

PageT = TypeVar("PageT")


class StoreVersion:
    """How many commits the SQLite store behind an engine has seen, read on demand."""

    def __init__(self, path: str) -> None:
        # Read-only and never in a transaction: it only asks for the count.
        self._connection = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
        )
        self._lock = threading.Lock()

    def current(self) -> int:
        with self._lock:
            return int(self._connection.execute("PRAGMA data_version").fetchone()[0])


class PageCache(Generic[PageT]):
    """The last `entries` pages asked for, valid while the store's version is unchanged."""

    def __init__(self, version: StoreVersion | None, entries: int) -> None:
        self._version = version
        self._entries = entries
        self._pages: OrderedDict[tuple[int, str], PageT] = OrderedDict()
        self._seen: int | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_store(cls, store: Engine, entries: int) -> PageCache[PageT]:
        path = store.url.database
        on_file = store.dialect.name == "sqlite" and path not in (None, "", ":memory:")
        if not on_file or entries <= 0:
            return cls(None, 0)
        return cls(StoreVersion(str(path)), entries)

    def version(self) -> int | None:
        """The store's version now (None when nothing is cached); older pages are dropped."""
        if self._version is None:
            return None
        version = self._version.current()
        with self._lock:
            if version != self._seen:
                self._pages.clear()
                self._seen = version
        return version

    def get(self, version: int | None, key: str) -> PageT | None:
        if version is None:
            return None
        with self._lock:
            page = self._pages.get((version, key))
            if page is not None:
                self._pages.move_to_end((version, key))
            return page

    def put(self, version: int | None, key: str, page: PageT) -> None:
        if version is None:
            return
        with self._lock:
            if version != self._seen:  # the store changed while the page was read
                return
            self._pages[(version, key)] = page
            while len(self._pages) > self._entries:
                self._pages.popitem(last=False)
