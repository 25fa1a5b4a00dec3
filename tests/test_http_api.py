"""The HTTP API against a real SQLite store: reads, filters, writes, limits and error shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, update

import sitrep.api.app as app_module
from api_store import SCRIPT_TITLE, build_store
from sitrep.api.app import Settings, create_app
from sitrep.models import Event
from sitrep.store import open_store
from sitrep.store.query import EventFilter, ListedPage, list_events
from sitrep.store.schema import events

TOKEN = "s3cret-token-value"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "store.db"
    build_store(path).dispose()
    return path


@pytest.fixture(scope="module")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=str(store_path), token=TOKEN))) as test_client:
        yield test_client


def test_events_are_listed_newest_first_on_one_page(client: TestClient) -> None:
    page = client.get("/api/events").json()
    assert len(page["items"]) == 4 and page["next"] is None
    dates = [item["event"]["date"] for item in page["items"]]
    assert dates == sorted(dates, reverse=True)


def test_listed_events_are_the_event_records_as_the_model_writes_them(
    client: TestClient,
) -> None:
    # The list sends the stored JSON without decoding it: it must be what Event encodes.
    for item in client.get("/api/events").json()["items"]:
        assert Event.model_validate(item["event"]).model_dump(mode="json") == item["event"]
        detail = client.get(f"/api/events/{item['uid']}").json()
        assert detail["event"] == item["event"]


@pytest.mark.parametrize(
    ("query", "expected_ids"),
    [
        ("type=Protests", {"kabul-protest"}),
        ("sub_type=Air/drone strike", {"erbil-0", "erbil-7"}),
        ("plover=PROTEST", {"kabul-protest"}),
        ("country=IRQ", {"erbil-0", "erbil-7", "green-zone"}),
        ("admin1=Baghdad", {"green-zone"}),
        ("since=2021-07-15&until=2021-07-25", {"erbil-7", "kabul-protest"}),
        ("near=36.2,44.0,30", {"erbil-0", "erbil-7"}),
        ("min_fatalities=2", {"erbil-0"}),
        ("actor=protesters", {"kabul-protest"}),
        ("text=rockets", {"green-zone"}),
    ],
)
def test_every_filter(client: TestClient, query: str, expected_ids: set[str]) -> None:
    page = client.get(f"/api/events?{query}").json()
    assert {item["document_id"] for item in page["items"]} == expected_ids
    assert page["next"] is None


def test_paging_follows_next_to_the_last_page(client: TestClient) -> None:
    first = client.get("/api/events?limit=3&country=").json()
    assert first["next"] == "/api/events?limit=3&country=&offset=3"
    second = client.get(first["next"]).json()
    assert len(first["items"]) == 3 and len(second["items"]) == 1 and second["next"] is None
    assert {i["uid"] for i in first["items"]}.isdisjoint({i["uid"] for i in second["items"]})
    assert client.get("/api/events?limit=2&offset=2").json()["next"] is None
    assert client.get("/api/events?limit=2&offset=1").json()["next"] == (
        "/api/events?limit=2&offset=3"
    )


def test_one_event_has_its_sources_text_and_evidence(client: TestClient) -> None:
    uid = client.get("/api/events?admin1=Baghdad").json()["items"][0]["uid"]
    detail = client.get(f"/api/events/{uid}").json()
    assert detail["event"]["weapon"] == "rocket"
    (source,) = detail["sources"]
    assert source["title"] == "Two rockets fired near US embassy in Baghdad"
    for item in source["event"]["evidence"]:
        assert source["body"][item["start"] : item["end"]] == item["text"]
    assert "report(s)" in detail["explanation_text"]


def test_documents_list_and_detail(client: TestClient) -> None:
    listing = client.get("/api/documents").json()
    assert listing["total"] == 4
    detail = client.get("/api/documents/kabul-protest").json()
    assert detail["article"]["title"] == SCRIPT_TITLE
    assert [e["event"]["plover_type"] for e in detail["events"]] == ["PROTEST"]


def test_stats_timeline_by_day_fills_empty_days(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["total"] == 4 and stats["period"] == "day"
    timeline = stats["timeline"]
    assert timeline[0]["period"] == "2021-07-10" and timeline[-1]["period"] == "2021-07-29"
    assert len(timeline) == 20
    assert sum(row["count"] for row in timeline) == 4
    assert sum(row["fatalities"] for row in timeline) == 4
    assert {"name": "Iraq", "count": 3} in stats["by_country"]
    weekly = client.get("/api/stats?period=week").json()
    assert weekly["period"] == "week" and weekly["timeline"][0]["period"] == "2021-07-05"


def test_geojson_has_a_point_per_located_happening(client: TestClient) -> None:
    response = client.get("/api/events.geojson?country=Iraq")
    assert response.headers["content-type"].startswith("application/geo+json")
    features = response.json()["features"]
    assert len(features) == 3
    assert all(f["geometry"]["type"] == "Point" for f in features)


def test_trends_endpoint_answers_a_list(client: TestClient) -> None:
    assert client.get("/api/trends").json() == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/events/nope", 404),
        ("/api/documents/nope", 404),
        ("/api/events?limit=0", 422),
        ("/api/events?since=yesterday", 422),
        ("/api/events?near=1,2", 422),
        ("/api/events?near=1,2,-5", 422),
        ("/api/events?near=91,2,5", 422),
        ("/api/events?near=1,2,0", 422),
        ("/api/nothing-here", 404),
    ],
)
def test_errors_have_one_json_shape(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_writes_need_the_token(client: TestClient) -> None:
    document = {"documents": [{"id": "api-1", "text": "Gunmen attacked a checkpoint."}]}
    missing = client.post("/api/documents", json=document)
    wrong = client.post("/api/documents", json=document, headers={"Authorization": "Bearer x"})
    assert missing.status_code == wrong.status_code == 401
    assert TOKEN not in missing.text + wrong.text


def test_writes_are_off_without_a_token(store_path: Path) -> None:
    with TestClient(create_app(Settings(db=str(store_path)))) as no_token:
        response = no_token.post(
            "/api/documents",
            json={"documents": [{"id": "x", "text": "t"}]},
            headers={"Authorization": "Bearer anything"},
        )
    assert response.status_code == 403
    assert "no token" in response.json()["error"]["message"]


def test_posted_document_is_coded_and_stored_once(tmp_path: Path) -> None:
    path = tmp_path / "write.db"
    build_store(path).dispose()
    with TestClient(create_app(Settings(db=str(path), token=TOKEN))) as writer:
        listed_before = writer.get("/api/events?country=Iraq").json()["items"]
        auth = {"Authorization": f"Bearer {TOKEN}"}
        body = {
            "documents": [
                {
                    "id": "api-1",
                    "text": "MOSUL, Iraq — Gunmen attacked a checkpoint on Monday.",
                    "published": "2021-08-02",
                }
            ]
        }
        first = writer.post("/api/documents", json=body, headers=auth)
        again = writer.post("/api/documents", json=body, headers=auth)
        assert first.status_code == 200, first.text
        assert first.json()[0]["stored"] is True
        assert again.json()[0]["stored"] is False
        assert writer.get("/api/documents").json()["total"] == 5
        # The page listed before the write is not served again from the list's cache.
        assert first.json()[0]["events"] >= 1
        listed_after = writer.get("/api/events?country=Iraq").json()["items"]
        assert "api-1" in {item["document_id"] for item in listed_after}
        assert len(listed_after) > len(listed_before)


def test_event_list_cache_is_dropped_when_another_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cached.db"
    build_store(path).dispose()
    reads: list[int] = []

    def counted(connection: Connection, event_filter: EventFilter, limit: int) -> ListedPage:
        reads.append(limit)
        return list_events(connection, event_filter, limit)

    monkeypatch.setattr(app_module, "list_stored_events", counted)
    with TestClient(create_app(Settings(db=str(path)))) as client:
        before = client.get("/api/events?country=IRQ").json()["items"]
        assert client.get("/api/events?country=IRQ").json()["items"] == before
        assert len(reads) == 1  # the second answer came from the cache
        # Another engine stands for an ingest in another process.
        other = open_store(str(path))
        with other.begin() as connection:
            connection.execute(
                update(events)
                .where(events.c.uid == before[0]["uid"])
                .values(location_country="Kuwait", location_iso3="KWT")
            )
        other.dispose()
        after = client.get("/api/events?country=IRQ").json()["items"]
    assert len(reads) == 2
    assert [item["uid"] for item in after] == [item["uid"] for item in before[1:]]


def test_a_kept_page_is_the_answer_the_store_gave_byte_for_byte(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []

    def counted(connection: Connection, event_filter: EventFilter, limit: int) -> ListedPage:
        reads.append(limit)
        return list_events(connection, event_filter, limit)

    monkeypatch.setattr(app_module, "list_stored_events", counted)
    with TestClient(create_app(Settings(db=str(store_path)))) as client:
        answers = [client.get("/api/events?limit=2&country=IRQ") for _ in range(3)]
        # Another spelling of the same query is read anew, and links to its own next page.
        respelled = client.get("/api/events?country=IRQ&limit=2")
    assert len(reads) == 2
    first = answers[0]
    assert first.json()["next"] == "/api/events?limit=2&country=IRQ&offset=2"
    for kept in answers[1:]:
        assert kept.status_code == 200
        assert kept.content == first.content
        assert kept.headers.items() == first.headers.items()
    assert respelled.json()["next"] == "/api/events?country=IRQ&limit=2&offset=2"
    assert respelled.json()["items"] == first.json()["items"]


def test_a_kept_page_still_spends_the_read_budget(store_path: Path) -> None:
    app = create_app(Settings(db=str(store_path), read_rate_per_minute=2))
    with TestClient(app) as limited:
        answers = [limited.get("/api/events?limit=2") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()["error"]["status"] == 429
    assert "retry-after" in answers[2].headers


def test_a_failed_page_is_not_kept(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []

    def failing_first(connection: Connection, event_filter: EventFilter, limit: int) -> ListedPage:
        reads.append(limit)
        if len(reads) == 1:
            raise RuntimeError("store went away")
        return list_events(connection, event_filter, limit)

    monkeypatch.setattr(app_module, "list_stored_events", failing_first)
    app = create_app(Settings(db=str(store_path)))
    with TestClient(app, raise_server_exceptions=False) as client:
        failed = client.get("/api/events?type=Protests")
        answered = client.get("/api/events?type=Protests")
    assert failed.status_code == 500 and failed.json()["error"]["status"] == 500
    assert answered.status_code == 200 and len(reads) == 2
    assert {item["document_id"] for item in answered.json()["items"]} == {"kabul-protest"}


def test_oversized_body_is_refused_with_413(store_path: Path) -> None:
    app = create_app(Settings(db=str(store_path), token=TOKEN, max_body_bytes=1000))
    with TestClient(app) as small:
        response = small.post(
            "/api/documents",
            content=b'{"documents": [{"id": "a", "text": "' + b"x" * 5000 + b'"}]}',
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
    assert response.status_code == 413
    assert response.json()["error"]["status"] == 413


def test_writes_are_rate_limited_per_client(store_path: Path) -> None:
    app = create_app(Settings(db=str(store_path), token=TOKEN, write_rate_per_minute=2))
    with TestClient(app) as limited:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        statuses = [
            limited.post("/api/documents", json={"documents": []}, headers=auth).status_code
            for _ in range(4)
        ]
    # Empty batches are invalid (422) but still spend the client's budget.
    assert statuses[:2] == [422, 422] and statuses[2:] == [429, 429]


def test_dashboard_page_and_assets_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "sitrep" in page.text
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/world.geojson").json()["type"] == "FeatureCollection"


def test_openapi_document_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{uid}", "/api/documents", "/api/stats"} <= set(paths)


def test_more_clients_than_threads_and_connections_all_get_answers(store_path: Path) -> None:
    """60 requests at once over a pool of 2 connections: without the in-flight cap, the
    worker threads blocked on the empty pool starve the requests that hold the connections
    and the waits time out; with it, every request is answered."""
    import asyncio

    import httpx
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{store_path}", pool_size=2, max_overflow=0, pool_timeout=3)
    app = create_app(Settings(db=str(store_path)), engine=engine)

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            responses = await asyncio.gather(
                *(http.get("/api/events", params={"limit": 5}) for _ in range(60))
            )
        return [response.status_code for response in responses]

    assert asyncio.run(burst()) == [200] * 60
    engine.dispose()
