"""The HTTP API and the dashboard, one FastAPI app over an event store.

Read endpoints take the same filters as `sitrep events` (the store's `EventFilter`)
and page their answers; `POST /api/documents` codes and stores articles and needs
the operator's bearer token (writing is off when none is set). Every error is JSON
of one shape, `{"error": {"status", "message"}}`, with no stack trace and no token.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Annotated, Any, Literal

import orjson
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.pool import QueuePool
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep.analysis.trends import WeeklyCount, trend_breaks, week_start
from sitrep.api.cache import KeptAnswer, KeptAnswers, PageCache
from sitrep.api.limits import BodySizeLimit, InFlightLimit, RateLimiter
from sitrep.models import Article, Event, InputDocument
from sitrep.store.engine import open_store
from sitrep.store.query import (
    EventExplanation,
    EventFilter,
    ListedPage,
    Near,
    explain_event,
    query_events,
    representatives_matching,
)
from sitrep.store.query import list_events as list_stored_events
from sitrep.store.repository import unflatten_record
from sitrep.store.schema import documents, events, sources

log = logging.getLogger(__name__)

MAX_PAGE = 1000
# Larger than any death toll, small enough for every database integer type.
MAX_COUNT = 1_000_000_000
# LAT,LON,KM with latitude in [-90, 90], longitude in [-180, 180] and a positive radius,
# so that every string the OpenAPI document admits is a valid circle.
_LAT = r"-?(?:90(?:\.0+)?|[1-8]?\d(?:\.\d+)?)"
_LON = r"-?(?:180(?:\.0+)?|(?:1[0-7]\d|[1-9]?\d)(?:\.\d+)?)"
_KM = r"(?:0*[1-9]\d*(?:\.\d+)?|0*\.\d*[1-9]\d*|0+\.\d*[1-9]\d*)"
NEAR_PATTERN = rf"^{_LAT},{_LON},{_KM}$"
MAX_DOCUMENTS_PER_POST = 100
DAY_TIMELINE_MAX_DAYS = 120
# Requests in flight when the store's pool has no fixed size (past it, requests queue).
DEFAULT_IN_FLIGHT = 32
STATIC = resources.files("sitrep.dashboard") / "static"
SQLITE_MMAP_BYTES = 1 << 30


class Settings(BaseModel):
    """What the operator sets when starting the server."""

    db: str
    token: str | None = None
    max_body_bytes: int = 5 * 1024 * 1024
    write_rate_per_minute: int = 60
    read_rate_per_minute: int | None = None
    # Pages of GET /api/events kept until the store next changes (SQLite only; 0: none).
    list_cache_entries: int = 512


# ---- response records ------------------------------------------------------


class EventItem(BaseModel):
    """One happening in a list: its representative record, store ids and sources."""

    uid: str
    canonical_uid: str
    members: int
    sources: list[str]
    document_id: str
    title: str | None
    published: date | None
    event: Event


class EventList(BaseModel):
    """A page of happenings; `next` is the path of the following page, null on the last.

    No total: counting every match cost more than the page (`GET /api/stats` counts).
    """

    offset: int
    limit: int
    next: str | None
    items: list[EventItem]


class SourceText(BaseModel):
    """One report of a happening: the article text and the evidence of its event."""

    uid: str
    document_id: str
    title: str | None
    source: str | None
    url: str | None
    published: date | None
    body: str
    event: Event


class EventDetail(BaseModel):
    uid: str
    canonical_uid: str
    event: Event
    sources: list[SourceText]
    explanation: EventExplanation
    explanation_text: str


class DocumentSummary(BaseModel):
    document_id: str
    title: str | None
    published: date | None
    source: str | None
    url: str | None
    language: str | None


class DocumentList(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[DocumentSummary]


class DocumentEvent(BaseModel):
    uid: str
    canonical_uid: str
    event: Event


class DocumentDetail(BaseModel):
    document_id: str
    source: str | None
    url: str | None
    article: Article
    events: list[DocumentEvent]


class PeriodCount(BaseModel):
    period: date
    until: date
    count: int
    fatalities: int


class NamedCount(BaseModel):
    name: str
    count: int


class Stats(BaseModel):
    total: int
    period: Literal["day", "week"]
    timeline: list[PeriodCount]
    by_type: list[NamedCount]
    by_plover: list[NamedCount]
    by_country: list[NamedCount]


class TrendItem(BaseModel):
    week: date
    country: str
    event_type: str
    count: int
    baseline_mean: float
    direction: Literal["surge", "drop"]
    score: float


class DocumentsIn(BaseModel):
    documents: list[InputDocument] = Field(min_length=1, max_length=MAX_DOCUMENTS_PER_POST)


class StoredOutcome(BaseModel):
    document_id: str
    stored: bool
    events: int
    error: str | None = None


class ErrorBody(BaseModel):
    status: int
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 413, 422, 429)
}


# ---- filters ---------------------------------------------------------------


async def event_filter(
    type: Annotated[str | None, Query(description="ACLED event type")] = None,
    sub_type: Annotated[str | None, Query(description="ACLED sub-event type")] = None,
    plover: Annotated[str | None, Query(description="PLOVER event type")] = None,
    country: Annotated[str | None, Query(description="country name or ISO3")] = None,
    admin1: Annotated[str | None, Query(description="first-level region")] = None,
    since: Annotated[date | None, Query(description="on or after YYYY-MM-DD")] = None,
    until: Annotated[date | None, Query(description="on or before YYYY-MM-DD")] = None,
    near: Annotated[
        str | None, Query(description="LAT,LON,KM: a point and a radius", pattern=NEAR_PATTERN)
    ] = None,
    actor: Annotated[str | None, Query(description="text in an actor's name")] = None,
    text: Annotated[str | None, Query(description="words in the event's sentence")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=MAX_COUNT)] = None,
) -> EventFilter:
    """The query string of every event endpoint, as the store's filter record.

    Async only so that FastAPI calls it in the event loop: it does no I/O, and a
    worker thread's round trip cost more than building the record.
    """
    return EventFilter(
        event_type=type,
        sub_event_type=sub_type,
        plover_type=plover,
        country=country,
        admin1=admin1,
        since=since,
        until=until,
        near=_parse_near(near) if near else None,
        actor=actor,
        text=text,
        min_fatalities=min_fatalities,
    )


def _parse_near(value: str) -> Near:
    lat, lon, km = (float(part) for part in value.split(","))  # NEAR_PATTERN checked the shape
    return Near(lat=lat, lon=lon, km=km)


Filters = Annotated[EventFilter, Depends(event_filter)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


# ---- dependencies ----------------------------------------------------------


def check_read_budget(request: Request) -> None:
    """429 when the client has spent its read budget (none is set by default)."""
    reads: RateLimiter | None = request.app.state.reads
    if reads is not None:
        reads.check(_client(request))


def read_connection(request: Request) -> Iterator[Connection]:
    """A read-only connection to the store, after the client's read budget is checked."""
    check_read_budget(request)
    store: Engine = request.app.state.store
    with store.connect().execution_options(sitrep_read_only=True) as connection:
        yield connection


def require_writer(request: Request) -> None:
    """Writes need the operator's bearer token (compared in constant time) and budget."""
    settings: Settings = request.app.state.settings
    if not settings.token:
        raise HTTPException(403, "writing is off on this server: the operator set no token")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.token.encode("utf-8")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode("utf-8"), expected):
        raise HTTPException(401, "a valid bearer token is needed to write")
    request.app.state.writes.check(_client(request))


Read = Annotated[Connection, Depends(read_connection)]


# ---- the app ---------------------------------------------------------------


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The API and dashboard over the store `settings.db`."""
    store = engine if engine is not None else _tuned_for_reads(open_store(settings.db))
    app = FastAPI(
        title="sitrep",
        summary="Coded, geocoded, deduplicated political and security events.",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    reads = RateLimiter(settings.read_rate_per_minute) if settings.read_rate_per_minute else None
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(InFlightLimit, max_requests=_connection_capacity(store))
    # Outside the in-flight cap: a kept page needs no store connection.
    listing_cache: PageCache[KeptAnswer] = PageCache.for_store(store, settings.list_cache_entries)
    app.add_middleware(KeptAnswers, answers=listing_cache, path="/api/events", reads=reads)
    app.state.settings = settings
    app.state.store = store
    app.state.writes = RateLimiter(settings.write_rate_per_minute)
    app.state.reads = reads
    # Pages read from the store at once: past the pool's kept connections each read
    # would open (and parse the schema of) a connection and close it again; a page
    # from the cache waits for none of these.
    listing_reads = asyncio.Semaphore(_kept_connections(store))
    pages_in_loop = _pages_in_loop(store)
    _install_error_handlers(app)

    @app.get("/api/events", response_model=EventList, responses=ERRORS, tags=["events"])
    async def list_events(
        request: Request, filters: Filters, limit: Limit = 100, offset: Offset = 0
    ) -> Response:
        """Happenings matching the filters, newest first, one per canonical event."""
        check_read_budget(request)
        page_filter = filters.model_copy(update={"offset": offset})
        if pages_in_loop:
            page = _encoded_page(store, page_filter, limit)
        else:
            async with listing_reads:
                # One trip to a worker thread for the whole page: the store's calls block.
                page = await run_in_threadpool(_encoded_page, store, page_filter, limit)
        following = request.url.include_query_params(offset=offset + limit) if page.more else None
        return Response(
            page.json(f"{following.path}?{following.query}" if following else None),
            media_type="application/json",
        )

    @app.get(
        "/api/events.geojson",
        responses={
            **ERRORS,
            200: {
                "content": {"application/geo+json": {"schema": {"type": "object"}}},
                "description": "A GeoJSON FeatureCollection of points",
            },
        },
        response_class=JSONResponse,
        tags=["events"],
    )
    def events_geojson(
        connection: Read, filters: Filters, limit: Annotated[int, Query(ge=1, le=50_000)] = 10_000
    ) -> JSONResponse:
        """The matching happenings with coordinates, as a GeoJSON FeatureCollection."""
        from sitrep.store.export import acled_row

        page = query_events(connection, filters.model_copy(update={"limit": limit}))
        features = [
            {
                "type": "Feature",
                "id": stored.canonical_uid,
                "geometry": {
                    "type": "Point",
                    "coordinates": [stored.event.location.lon, stored.event.location.lat],
                },
                "properties": acled_row(stored),
            }
            for stored in page.events
            if stored.event.location is not None
            and stored.event.location.lat is not None
            and stored.event.location.lon is not None
        ]
        return JSONResponse(
            {"type": "FeatureCollection", "features": features},
            media_type="application/geo+json",
        )

    @app.get("/api/events/{uid}", response_model=EventDetail, responses=ERRORS, tags=["events"])
    def get_event(connection: Read, uid: str) -> EventDetail:
        """One happening with every source's text, its evidence, and why reports were merged."""
        from sitrep.cli.events import format_explanation

        explanation = explain_event(connection, uid)
        if explanation is None:
            raise HTTPException(404, f"no event {uid}")
        texts = _source_texts(connection, [member.uid for member in explanation.members])
        return EventDetail(
            uid=uid,
            canonical_uid=explanation.event.canonical_uid,
            event=explanation.event.event,
            sources=[texts[member.uid] for member in explanation.members if member.uid in texts],
            explanation=explanation,
            explanation_text=format_explanation(explanation),
        )

    @app.get("/api/documents", response_model=DocumentList, responses=ERRORS, tags=["documents"])
    def list_documents(connection: Read, limit: Limit = 100, offset: Offset = 0) -> DocumentList:
        """Stored documents, newest ingested first."""
        total = connection.execute(select(func.count()).select_from(documents)).scalar_one()
        rows = connection.execute(
            _document_select().order_by(documents.c.id.desc()).limit(limit).offset(offset)
        ).all()
        items = [
            DocumentSummary(
                document_id=row.document_id,
                title=row.title,
                published=row.published,
                source=row.name,
                url=row.url,
                language=row.language,
            )
            for row in rows
        ]
        return DocumentList(total=int(total), offset=offset, limit=limit, items=items)

    @app.get(
        "/api/documents/{document_id}",
        response_model=DocumentDetail,
        responses=ERRORS,
        tags=["documents"],
    )
    def get_document(connection: Read, document_id: str) -> DocumentDetail:
        """One stored document: its article record and its events."""
        row = connection.execute(
            _document_select().where(documents.c.document_id == document_id).limit(1)
        ).first()
        if row is None:
            raise HTTPException(404, f"no document {document_id}")
        article = unflatten_record(Article, row)
        members = connection.execute(
            select(events.c.uid, events.c.canonical_uid, events.c.record)
            .where(events.c.document_id == row.id)
            .order_by(events.c.id)
        ).all()
        return DocumentDetail(
            document_id=row.document_id,
            source=row.name,
            url=row.url,
            article=article,
            events=[
                DocumentEvent(
                    uid=member.uid,
                    canonical_uid=member.canonical_uid,
                    event=Event.model_validate(member.record),
                )
                for member in members
            ],
        )

    @app.get("/api/stats", response_model=Stats, responses=ERRORS, tags=["stats"])
    def stats(
        connection: Read,
        filters: Filters,
        period: Annotated[Literal["auto", "day", "week"], Query()] = "auto",
    ) -> Stats:
        """Counts of happenings per day or week, per type, PLOVER type and country."""
        return _stats(connection, filters, period)

    @app.get("/api/trends", response_model=list[TrendItem], responses=ERRORS, tags=["stats"])
    def trends(connection: Read, filters: Filters) -> list[TrendItem]:
        """Weeks whose count for a country and type breaks from the recent baseline."""
        return [
            TrendItem(
                week=item.week,
                country=item.country,
                event_type=item.event_type,
                count=item.count,
                baseline_mean=round(item.baseline_mean, 2),
                direction=item.direction,
                score=round(item.score, 2),
            )
            for item in trend_breaks(weekly_counts(connection, filters))
        ]

    @app.post(
        "/api/documents",
        response_model=list[StoredOutcome],
        responses=ERRORS,
        tags=["documents"],
        dependencies=[Depends(require_writer)],
    )
    def post_documents(payload: DocumentsIn) -> list[StoredOutcome]:
        """Code and store articles (RECORDS.md input documents); needs the bearer token."""
        from sitrep.ingest.runner import PendingDocument, code_documents
        from sitrep.store.records import input_hash
        from sitrep.store.repository import write_document

        pending = [
            PendingDocument(input_name="api", input_hash=input_hash(item), document=item)
            for item in payload.documents
        ]
        outcomes = []
        for coded in code_documents(pending):
            outcome = write_document(store, coded)
            outcomes.append(
                StoredOutcome(
                    document_id=coded.result.id,
                    stored=outcome.written and outcome.error is None,
                    events=outcome.events,
                    error=outcome.error,
                )
            )
        return outcomes

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"), media_type="text/html")

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


# ---- helpers ---------------------------------------------------------------


def _pages_in_loop(store: Engine) -> bool:
    """Whether list pages are read in the event loop itself rather than in worker threads.

    Sent to worker threads, a page that missed the cache waited for the GIL behind
    the stream of cached answers the loop kept sending, and those waits were the
    slow tail (benchmarks/bench_api.py). In the loop, requests are answered in the
    order they came. On SQLite a page is a few milliseconds of work in this process,
    bounded by the list's plan (`store.query.list_events`); a store on another host
    is waited for over the network, and there a thread waits instead of the loop.
    """
    return store.dialect.name == "sqlite"


def _kept_connections(store: Engine) -> int:
    """How many connections the store's pool keeps open between requests."""
    pool = store.pool
    return max(1, pool.size()) if isinstance(pool, QueuePool) else DEFAULT_IN_FLIGHT


def _connection_capacity(store: Engine) -> int:
    """How many connections the store's pool hands out at once (its size plus overflow)."""
    pool = store.pool
    if isinstance(pool, QueuePool):
        overflow = int(getattr(pool, "_max_overflow", 0))  # public only as a constructor argument
        if overflow >= 0:
            return max(1, pool.size() + overflow)
    return DEFAULT_IN_FLIGHT


def _tuned_for_reads(store: Engine) -> Engine:
    """A SQLite store's connections map the file into memory for the server's many reads.

    Each connection's own page cache is small (2 MB) and private; a shared mapping
    lets every connection read the indexes without copying their pages.
    """
    if store.dialect.name != "sqlite":
        return store

    @event.listens_for(store, "connect")
    def _map_file(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")

    # The connection the migrations ran on was opened before the listener.
    store.dispose()
    return store


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class EncodedPage:
    """A list page as the JSON of an `EventList` but its `next`, which the request spells.

    Encoded in the worker thread that read it; the event loop only joins the link in.
    """

    offset: int
    limit: int
    more: bool
    items_json: bytes

    def json(self, following: str | None) -> bytes:
        return b"".join(
            (
                b'{"offset":%d,"limit":%d,"next":' % (self.offset, self.limit),
                orjson.dumps(following),
                b',"items":',
                self.items_json,
                b"}",
            )
        )


def _encoded_page(store: Engine, event_filter: EventFilter, limit: int) -> EncodedPage:
    with store.connect().execution_options(sitrep_read_only=True) as connection:
        page = list_stored_events(connection, event_filter, limit)
    return EncodedPage(page.offset, page.limit, page.more, _items_json(page))


def _items_json(page: ListedPage) -> bytes:
    """The `items` of an `EventList`, each event the record text the store keeps, not re-encoded."""
    return orjson.dumps(
        [
            {
                "uid": listed.uid,
                "canonical_uid": listed.canonical_uid,
                "members": listed.members,
                "sources": listed.sources,
                "document_id": listed.document_id,
                "title": listed.title,
                "published": listed.published,
                "event": orjson.Fragment(listed.record_json),
            }
            for listed in page.events
        ]
    )


def _document_select() -> Any:
    return select(documents, sources.c.name).select_from(
        documents.outerjoin(sources, sources.c.id == documents.c.source_id)
    )


def _source_texts(connection: Connection, uids: list[str]) -> dict[str, SourceText]:
    rows = connection.execute(
        select(
            events.c.uid,
            events.c.record,
            documents.c.document_id,
            documents.c.title,
            documents.c.url,
            documents.c.published,
            documents.c.body,
            sources.c.name,
        )
        .select_from(
            events.join(documents, documents.c.id == events.c.document_id).outerjoin(
                sources, sources.c.id == documents.c.source_id
            )
        )
        .where(events.c.uid.in_(uids))
    ).all()
    return {
        row.uid: SourceText(
            uid=row.uid,
            document_id=row.document_id,
            title=row.title,
            source=row.name,
            url=row.url,
            published=row.published,
            body=row.body or "",
            event=Event.model_validate(row.record),
        )
        for row in rows
    }


# A happening's day in the timeline: its date, else the first day it may have been.
_DAY = func.coalesce(events.c.date, events.c.date_earliest, events.c.date_latest)


def _representatives(connection: Connection, filters: EventFilter) -> Any:
    """Rows of (day, country, event_type, plover_type, fatalities) of matching happenings."""
    return connection.execute(
        select(
            _DAY,
            events.c.location_country,
            events.c.event_type,
            events.c.plover_type,
            events.c.fatalities,
        ).where(*representatives_matching(connection, filters))
    )


def _stats(connection: Connection, filters: EventFilter, period: str) -> Stats:
    # Counted in SQL: bringing every matching row of a long history into Python to count
    # it took seconds for 100,000 events.
    where = representatives_matching(connection, filters)
    per_day = [
        (_as_date(day_value) if day_value is not None else None, count, fatalities or 0)
        for day_value, count, fatalities in connection.execute(
            select(_DAY, func.count(), func.sum(events.c.fatalities)).where(*where).group_by(_DAY)
        )
    ]
    days = [day for day, _count, _fatalities in per_day if day is not None]
    if period == "auto":
        span = (max(days) - min(days)).days if days else 0
        period = "day" if span <= DAY_TIMELINE_MAX_DAYS else "week"
    counts: Counter[date] = Counter()
    deaths: Counter[date] = Counter()
    for day, count, fatalities in per_day:
        if day is None:
            continue
        bucket = day if period == "day" else week_start(day)
        counts[bucket] += count
        deaths[bucket] += fatalities
    timeline = []
    if counts:
        step = timedelta(days=1 if period == "day" else 7)
        bucket, last = min(counts), max(counts)
        while bucket <= last:
            timeline.append(
                PeriodCount(
                    period=bucket,
                    until=bucket + step - timedelta(days=1),
                    count=counts[bucket],
                    fatalities=deaths[bucket],
                )
            )
            bucket += step

    def named(column: Any) -> list[NamedCount]:
        rows = connection.execute(select(column, func.count()).where(*where).group_by(column))
        present = [(name, count) for name, count in rows if name]
        return [
            NamedCount(name=name, count=count)
            for name, count in sorted(present, key=lambda pair: (-pair[1], pair[0]))
        ]

    return Stats(
        total=sum(count for _day, count, _fatalities in per_day),
        period="day" if period == "day" else "week",
        timeline=timeline,
        by_type=named(events.c.event_type),
        by_plover=named(events.c.plover_type),
        by_country=named(events.c.location_country),
    )


def weekly_counts(connection: Connection, filters: EventFilter) -> list[WeeklyCount]:
    """Happenings per (week, country, event type), the input of trend detection."""
    buckets: dict[tuple[date, str, str], int] = defaultdict(int)
    for day_value, country, event_type, plover_type, _fatalities in _representatives(
        connection, filters
    ):
        if day_value is None or country is None:
            continue
        key = (week_start(_as_date(day_value)), country, event_type or f"({plover_type})")
        buckets[key] += 1
    return [
        WeeklyCount(week, country, kind, count) for (week, country, kind), count in buckets.items()
    ]


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[no-any-return]


def _install_error_handlers(app: FastAPI) -> None:
    def error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        response = error(exc.status_code, str(exc.detail))
        if exc.status_code == 429 and exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return error(422, f"{where}: {first.get('msg')}" if where else str(first.get("msg")))

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> Response:
        log.error("request failed: %s", type(exc).__name__)
        return error(500, "internal error")
