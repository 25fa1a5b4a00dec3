"""Answers of the event list kept for repeated queries, dropped as soon as the store changes.

SQLite counts the commits other connections make (`PRAGMA data_version`): one
connection of the cache's own, which never writes, reads that count before every
look-up, so a commit by this server, another worker or another process (an
ingest) empties the cache before any request that starts after it. An answer
computed while a commit landed is kept under the older version, which no later
request asks for. Other databases have no such count: there nothing is cached.
`KeptAnswers` is the ASGI middleware that sends a kept answer before any routing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep.api.limits import RateLimiter

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


@dataclass(frozen=True)
class KeptAnswer:
    """A whole 200 answer: its headers and body, sent again as they were."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class KeptAnswers:
    """ASGI middleware: GET `path` answered from `answers` by its exact query string.

    A repeated page is sent with no routing, no validation of its query and no trip
    to a worker thread, which were most of its cost once the page itself was kept;
    a first one goes on to the app and its 200 answer is kept. The answer holds the
    link to the next page, which the query string alone decides. A client out of
    read budget goes on to the app, which refuses it.
    """

    def __init__(
        self,
        app: ASGIApp,
        answers: PageCache[KeptAnswer],
        path: str,
        reads: RateLimiter | None,
    ) -> None:
        self.app = app
        self.answers = answers
        self.path = path
        self.reads = reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        version = self.answers.version()
        if version is None:
            await self.app(scope, receive, send)
            return
        key = scope["query_string"].decode("latin-1")
        kept = self.answers.get(version, key)
        if kept is not None and self._admitted(scope):
            await send({"type": "http.response.start", "status": 200, "headers": kept.headers})
            await send({"type": "http.response.body", "body": kept.body})
            return
        start: Message | None = None
        body: list[bytes] = []

        async def keeping_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start and start["status"] == 200:
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    answer = KeptAnswer(list(start.get("headers", [])), b"".join(body))
                    self.answers.put(version, key, answer)
            await send(message)

        await self.app(scope, receive, keeping_send)

    def _admitted(self, scope: Scope) -> bool:
        if self.reads is None:
            return True
        client = scope.get("client")
        return self.reads.take(client[0] if client else "unknown") is None
