"""A small real store for the API, dashboard and alert tests: coded documents with known events.

Each document is written through `store.write_document`, the path ingest uses, so
the API reads exactly what an ingest would have stored. One article carries a
`<script>` element in its title and body to prove the dashboard shows it as text.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine

from sitrep.merge import sign_body
from sitrep.models import Actor, Article, DocumentResult, Event, InputDocument, Location
from sitrep.store import input_hash, open_store, write_document
from sitrep.store.records import CodedDocument

ERBIL = Location(
    name="Erbil", admin1="Erbil", country="Iraq", iso3="IRQ", lat=36.19, lon=44.01, geo_precision=1
)
GREEN_ZONE = Location(
    name="Green Zone", admin1="Baghdad", country="Iraq", iso3="IRQ", lat=33.30, lon=44.39
)
KABUL = Location(
    name="Kabul", admin1="Kabul", country="Afghanistan", iso3="AFG", lat=34.53, lon=69.17
)
SCRIPT_TITLE = "Protest in Kabul <script>window.__pwned = 1</script>"


def _event(body: str, sentence: str, place_cue: str, **fields: object) -> Event:
    start = body.index(sentence)
    event = Event.model_validate({"plover_type": "ASSAULT", "sentence": sentence, **fields})
    event.add_evidence("sentence", body, start, start + len(sentence))
    for field, cue in (("fatalities", "killing"), ("location", place_cue)):
        if cue in sentence:
            at = body.index(cue, start)
            event.add_evidence(field, body, at, at + len(cue))
    return event


def _document(
    doc_id: str, title: str, body: str, published: date, events: list[Event]
) -> CodedDocument:
    for number, event in enumerate(events):
        event.event_id = hashlib.sha1(f"{doc_id}|{number}".encode()).hexdigest()[:16]
    article = Article(
        title=title,
        body=body,
        published=published,
        language="en",
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
    )
    document = InputDocument(id=doc_id, text=body, title=title, source="Test Wire")
    signature = sign_body(body)
    return CodedDocument(
        input_hash=input_hash(document),
        input_name="fixture",
        source="Test Wire",
        url=f"https://news.example/{doc_id}",
        result=DocumentResult(id=doc_id, article=article, events=events),
        minhash=signature.to_bytes() if signature else None,
    )


def fixture_documents() -> list[CodedDocument]:
    """Four documents: two Erbil strikes a week apart, a Green Zone rocket attack, a protest."""
    base = date(2021, 7, 10)
    documents = []
    for offset, killed in ((0, 3), (7, 1)):
        day = base + timedelta(days=offset)
        body = (
            f"ERBIL, Iraq — A drone strike hit an air base near Erbil on {day:%d %B %Y}, "
            f"killing {killed} people, officials said."
        )
        sentence = body.split(" — ", 1)[1]
        documents.append(
            _document(
                f"erbil-{offset}",
                f"Drone strike near Erbil kills {killed}",
                body,
                day,
                [
                    _event(
                        body,
                        sentence,
                        "Erbil",
                        event_type="Explosions/Remote violence",
                        sub_event_type="Air/drone strike",
                        date=day,
                        date_earliest=day,
                        date_latest=day,
                        time_precision=1,
                        location=ERBIL,
                        fatalities=killed,
                        weapon="drone",
                    )
                ],
            )
        )
    rockets_day = date(2021, 7, 29)
    rockets = (
        "BAGHDAD, July 29 — Two rockets were fired early Thursday against Baghdad's Green Zone, "
        "without causing any casualties."
    )
    documents.append(
        _document(
            "green-zone",
            "Two rockets fired near US embassy in Baghdad",
            rockets,
            rockets_day,
            [
                _event(
                    rockets,
                    rockets.split(" — ", 1)[1],
                    "Green Zone",
                    event_type="Explosions/Remote violence",
                    sub_event_type="Shelling/artillery/missile attack",
                    date=rockets_day,
                    date_earliest=rockets_day,
                    date_latest=rockets_day,
                    time_precision=1,
                    location=GREEN_ZONE,
                    fatalities=0,
                    injuries=0,
                    weapon="rocket",
                    weapon_count=2,
                )
            ],
        )
    )
    protest_day = date(2021, 7, 20)
    protest = (
        "KABUL — Hundreds protested in Kabul on Tuesday carrying signs that read "
        "<script>window.__pwned = 1</script> and <b>bold</b>."
    )
    documents.append(
        _document(
            "kabul-protest",
            SCRIPT_TITLE,
            protest,
            protest_day,
            [
                _event(
                    protest,
                    protest.split(" — ", 1)[1],
                    "Kabul",
                    plover_type="PROTEST",
                    event_type="Protests",
                    sub_event_type="Peaceful protest",
                    date=protest_day,
                    date_earliest=protest_day,
                    date_latest=protest_day,
                    time_precision=1,
                    location=KABUL,
                    actor1=Actor(name="Protesters (Afghanistan)", type="Protesters"),
                )
            ],
        )
    )
    return documents


def build_store(path: Path) -> Engine:
    """A SQLite store at `path` holding `fixture_documents()`."""
    engine = open_store(str(path))
    for coded in fixture_documents():
        write_document(engine, coded)
    return engine
