"""Load benchmark of the HTTP API: concurrent clients on GET /api/events over a large SQLite store.

    PYTHONPATH=src python benchmarks/bench_api.py [--events 100000] [--clients 50]
                                                  [--requests 2000] [--db PATH]
                                                  [--query-times N] [--workers N]
                                                  [--list-cache N]

Builds (or reuses, with --db) a SQLite store of N events spread over 30 places,
two years and every event type, written as rows through the store's own schema
(one document per two events, each event its own happening: the merge is not
what is measured). Then serves it with uvicorn in a separate process and sends
--requests requests from --clients concurrent clients, each a page of 50 events
under a random mix of the dashboard's filters. Prints p50/p95/p99 latency and
requests per second. Server and clients share this machine's cores, so the
figures are conservative (the clients speak just enough HTTP/1.1 to cost little);
`--query-times N` times the store's queries alone (the CLI's `query_events` and
the API's `list_events`), one query at a time, over the same mix.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
from sqlalchemy import Connection, insert

from sitrep.models import Actor, Article, Event, Location
from sitrep.store import open_store
from sitrep.store.query import EventFilter, Near, list_events, query_events
from sitrep.store.repository import flatten_record
from sitrep.store.schema import documents, events, sources

PLACES = [
    (name, country, iso3, lat + dlat, lon + dlon)
    for (name, country, iso3, lat, lon) in [
        ("Baghdad", "Iraq", "IRQ", 33.34, 44.40),
        ("Mosul", "Iraq", "IRQ", 36.34, 43.12),
        ("Erbil", "Iraq", "IRQ", 36.19, 44.01),
        ("Kabul", "Afghanistan", "AFG", 34.53, 69.17),
        ("Kandahar", "Afghanistan", "AFG", 31.61, 65.71),
        ("Mogadishu", "Somalia", "SOM", 2.04, 45.34),
        ("Maiduguri", "Nigeria", "NGA", 11.85, 13.16),
        ("Gao", "Mali", "MLI", 16.27, -0.04),
        ("Aleppo", "Syria", "SYR", 36.20, 37.16),
        ("Sanaa", "Yemen", "YEM", 15.35, 44.21),
    ]
    for (dlat, dlon) in [(0.0, 0.0), (0.3, 0.2), (-0.4, 0.5)]
]
TYPES = [
    ("Battles", "Armed clash", "ASSAULT"),
    ("Explosions/Remote violence", "Air/drone strike", "ASSAULT"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "ASSAULT"),
    ("Violence against civilians", "Attack", "ASSAULT"),
    ("Protests", "Peaceful protest", "PROTEST"),
    ("Riots", "Violent demonstration", "PROTEST"),
    ("Strategic developments", "Arrests", "COERCE"),
]
START = date(2023, 1, 1)


def build_store(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    engine = open_store(str(path))
    now = datetime.now(UTC)
    with engine.begin() as connection:
        source_id = connection.execute(
            insert(sources).values(name="Bench Wire")
        ).inserted_primary_key[0]
        for first in range(0, count, 2):
            body = f"Benchmark article {first}: " + "violence was reported. " * 20
            article = Article(
                title=f"Report {first}",
                body=body,
                published=START + timedelta(days=first * 730 // count),
                language="en",
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
            )
            document_key = connection.execute(
                insert(documents).values(
                    input_hash=hashlib.sha256(f"bench{first}".encode()).hexdigest(),
                    document_id=f"bench-{first}",
                    source_id=source_id,
                    url=f"https://bench.example/{first}",
                    ingested_at=now,
                    **flatten_record(article, documents),
                )
            ).inserted_primary_key[0]
            rows = []
            for number in (first, first + 1):
                name, country, iso3, lat, lon = rng.choice(PLACES)
                event_type, sub_event_type, plover = rng.choice(TYPES)
                day = START + timedelta(days=rng.randrange(730))
                event = Event(
                    event_id=f"{number:016x}",
                    event_type=event_type,
                    sub_event_type=sub_event_type,
                    plover_type=plover,
                    date=day,
                    date_earliest=day,
                    date_latest=day,
                    time_precision=1,
                    location=Location(name=name, country=country, iso3=iso3, lat=lat, lon=lon),
                    actor1=Actor(name=rng.choice(["Islamic State", "Police Forces", "Protesters"])),
                    fatalities=rng.choice([0, 0, 0, 1, 2, 3, 5, 12]),
                    sentence=f"Event {number} in {name}.",
                )
                uid = f"{number:016x}"
                rows.append(
                    {
                        "uid": uid,
                        "document_id": document_key,
                        "canonical_uid": uid,
                        "represents_cluster": True,
                        # As the store's writer fills them: without them no period matches.
                        "range_start": day,
                        "range_end": day,
                        "record": event.model_dump(mode="json"),
                        **flatten_record(event, events),
                    }
                )
            connection.execute(insert(events), rows)
    engine.dispose()


def random_query(rng: random.Random) -> dict[str, str]:
    params: dict[str, str] = {"limit": "50"}
    _name, country, iso3, lat, lon = rng.choice(PLACES)
    choice = rng.randrange(6)
    if choice == 0:
        params["type"] = rng.choice(TYPES)[0]
    elif choice == 1:
        params["country"] = rng.choice([country, iso3])
    elif choice == 2:
        since = START + timedelta(days=rng.randrange(700))
        params["since"] = since.isoformat()
        params["until"] = (since + timedelta(days=30)).isoformat()
    elif choice == 3:
        params["near"] = f"{lat},{lon},50"
    elif choice == 4:
        params["min_fatalities"] = str(rng.choice([1, 5, 10]))
        params["country"] = country
    return params


async def load(base_url: str, clients: int, requests: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(requests):
        queue.put_nowait(number)
    address = httpx.URL(base_url)

    async def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        connection = _KeepAlive(address.host, address.port or 80)
        try:
            while True:
                try:
                    queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                target = "/api/events?" + urlencode(random_query(rng))
                started = time.perf_counter()
                try:
                    status = await asyncio.wait_for(connection.get(target), CLIENT_TIMEOUT)
                    failed = status != 200
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    # A request past the timeout (or a broken connection) is an error with
                    # its full wait counted, not the end of the run.
                    failed = True
                    connection.close()
                latencies.append(time.perf_counter() - started)
                errors += failed
        finally:
            connection.close()

    await asyncio.gather(*(client(seed) for seed in range(clients)))
    return latencies, errors


CLIENT_TIMEOUT = 60.0


class _KeepAlive:
    """One persistent HTTP/1.1 connection that sends GETs and reads whole answers.

    httpx's client spent about as much CPU per request as the server on this
    machine's shared cores; this one does only what the load needs (status line,
    Content-Length, body), so the cores go to the server being measured.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, target: str) -> int:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._streams
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(":", 1) for line in header_lines if ":" in line)
        lengths = [v for k, v in headers.items() if k.strip().lower() == "content-length"]
        if not lengths:
            raise ValueError("an answer without Content-Length")
        await reader.readexactly(int(lengths[0]))
        return int(status_line.split()[1])

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


def store_filter(params: dict[str, str]) -> EventFilter:
    """The store's filter for one benchmark query string, as the API would parse it."""
    near = None
    if "near" in params:
        lat, lon, km = (float(part) for part in params["near"].split(","))
        near = Near(lat=lat, lon=lon, km=km)
    return EventFilter(
        event_type=params.get("type"),
        country=params.get("country"),
        since=date.fromisoformat(params["since"]) if "since" in params else None,
        until=date.fromisoformat(params["until"]) if "until" in params else None,
        near=near,
        min_fatalities=int(params["min_fatalities"]) if "min_fatalities" in params else None,
        limit=int(params["limit"]),
    )


def time_queries(path: Path, count: int, seed: int = 1) -> None:
    """Time the store's queries alone over the benchmark's query mix.

    `query_events` (the CLI's, with a total) and `list_events` (what GET /api/events
    asks, without one), SQL and record handling; one connection, one query at a
    time: a figure that the load on the machine moves far less than the HTTP latencies,
    and the process's CPU time per query, which it moves less still (SQLite runs in
    this process; the mean CPU time bounds the requests per second of one worker).
    """
    engine = open_store(str(path))
    queries: list[tuple[str, Callable[[Connection, EventFilter], object]]] = [
        ("query_events", query_events),
        ("list_events", lambda connection, f: list_events(connection, f, f.limit or 50)),
    ]
    with engine.connect().execution_options(sitrep_read_only=True) as connection:
        for name, run in queries:
            rng = random.Random(seed)
            by_kind: dict[str, list[float]] = {}
            cpu_by_kind: dict[str, list[float]] = {}
            for _ in range(count):
                params = random_query(rng)
                kind = "+".join(sorted(key for key in params if key != "limit")) or "(none)"
                started, cpu_started = time.perf_counter(), time.process_time()
                run(connection, store_filter(params))
                by_kind.setdefault(kind, []).append(time.perf_counter() - started)
                cpu_by_kind.setdefault(kind, []).append(time.process_time() - cpu_started)
                connection.rollback()
            every = sorted(elapsed for times in by_kind.values() for elapsed in times)
            for kind, times in sorted(by_kind.items()):
                median = _ms(statistics.median(times))
                cpu = _ms(statistics.median(cpu_by_kind[kind]))
                print(f"{name} {kind:22s} n={len(times):4d} median {median}  cpu {cpu}")
            every_cpu = [elapsed for times in cpu_by_kind.values() for elapsed in times]
            print(
                f"{name} all: median {_ms(statistics.median(every))}  "
                f"p95 {_ms(every[int(len(every) * 0.95)])}  max {_ms(every[-1])}  "
                f"cpu mean {_ms(statistics.mean(every_cpu))}"
            )
    engine.dispose()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--db", type=Path, default=None, help="reuse or keep this store")
    parser.add_argument("--workers", type=int, default=1, help="`sitrep serve --workers`")
    parser.add_argument(
        "--list-cache", type=int, default=None, help="`sitrep serve --list-cache` (0: off)"
    )
    parser.add_argument("--server-log", type=Path, help="write the server's stderr here")
    parser.add_argument(
        "--query-times",
        type=int,
        metavar="N",
        help="instead of the load, time N queries of the mix in this process, one at a time",
    )
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench-api.db"
    if not path.exists():
        started = time.perf_counter()
        build_store(path, args.events)
        print(f"store: {args.events} events written in {time.perf_counter() - started:.1f} s")
    if args.query_times:
        time_queries(path, args.query_times)
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "sitrep", "serve", "--db", str(path), "--port", str(port)),
            *(("--workers", str(args.workers)) if args.workers > 1 else ()),
            *(("--list-cache", str(args.list_cache)) if args.list_cache is not None else ()),
        ],
        stderr=args.server_log.open("w") if args.server_log else subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base_url}/api/events?limit=1", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not come up")
            time.sleep(0.2)
        started = time.perf_counter()
        latencies, errors = asyncio.run(load(base_url, args.clients, args.requests))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"GET /api/events over {args.events} events, {args.clients} concurrent clients, "
        f"{len(latencies)} requests ({errors} errors)"
    )
    print(
        f"latency p50 {quantiles[49] * 1000:.1f} ms  p95 {quantiles[94] * 1000:.1f} ms  "
        f"p99 {quantiles[98] * 1000:.1f} ms  max {latencies[-1] * 1000:.1f} ms"
    )
    print(f"throughput {len(latencies) / elapsed:.1f} requests/s")


if __name__ == "__main__":
    main()
