"""Request limits of the API: a cap on body size, on requests in flight, and a per-client rate.

The size cap refuses a declared Content-Length over the limit before reading and
counts the bytes of a streamed body as they arrive, answering 413 in the API's
JSON error shape (Starlette's own limiter answers plain text). The rate limiter
is a token bucket per client address, refilled continuously. The in-flight cap
keeps requests that wait for a store connection waiting in the event loop, not in
a worker thread: with more clients than threads, threads blocked on an empty
connection pool would starve the requests that hold the connections.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    """ASGI middleware: 413 for a request body over `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"error": {"status": 413, "message": f"request body over {self.max_bytes} bytes"}}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class InFlightLimit:
    """ASGI middleware: at most `max_requests` HTTP requests handled at once; the rest queue."""

    def __init__(self, app: ASGIApp, max_requests: int) -> None:
        self.app = app
        self.max_requests = max_requests
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:  # made in the server's event loop, on first use
            self._slots = asyncio.Semaphore(self.max_requests)
        async with self._slots:
            await self.app(scope, receive, send)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """At most `per_minute` requests per client, with bursts up to the same number."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Take one token for `client`, or raise 429 with Retry-After."""
        wait = self.take(client)
        if wait is not None:
            raise HTTPException(
                429, "too many requests; slow down", headers={"Retry-After": str(int(wait) + 1)}
            )

    def take(self, client: str) -> float | None:
        """Take one token for `client`: None if there was one, else the seconds until one."""
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.setdefault(client, _Bucket(self.capacity, now))
            bucket.tokens = min(
                self.capacity, bucket.tokens + (now - bucket.updated) * self.refill_per_second
            )
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return None
            return (1 - bucket.tokens) / self.refill_per_second
