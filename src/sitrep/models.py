"""The records that cross sitrep's edge, as ../shared/docs/RECORDS.md names them.

These pydantic models are the single definition of the input document, the
article, the event record and the per-document output; the JSON Schema, the
database mapping and the API schema all derive from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Attribution = Literal["stated", "claimed", "suspected", "unknown"]
Status = Literal["occurred", "attempted", "threatened", "planned", "denied"]
TimePrecision = Literal[1, 2, 3]
GeoPrecision = Literal[1, 2, 3]

ACLED_SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
EVENT_TYPE_OF_SUB_EVENT: dict[str, str] = {
    sub: event_type for event_type, subs in ACLED_SUB_EVENT_TYPES.items() for sub in subs
}
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


# ACLED's eight interaction codes; `Actor.type` holds the name.
ACTOR_TYPES: dict[int, str] = {
    1: "State Forces",
    2: "Rebel Groups",
    3: "Political Militias",
    4: "Identity Militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other Forces",
}


class Record(BaseModel):
    """Base of every record: unknown keys are an error on output models."""

    model_config = ConfigDict(extra="forbid")


class InputDocument(BaseModel):
    """One document as a caller hands it in (RECORDS.md, input)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None


class Dateline(Record):
    place: str | None = None
    agency: str | None = None
    date_text: str | None = None


class Article(Record):
    title: str | None = None
    dateline: Dateline | None = None
    published: dt.date | None = None
    published_inferred: bool = False
    language: str | None = None
    body: str = ""
    removed: list[str] = Field(default_factory=list)
    content_hash: str = ""


class Actor(Record):
    """An actor as coded: canonical `name`, ACLED `type` (ACTOR_TYPES), `country`, `raw` mention."""

    name: str
    type: str | None = None
    country: str | None = None
    raw: str | None = None


class Location(Record):
    name: str
    admin1: str | None = None
    country: str | None = None
    iso3: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    geo_precision: GeoPrecision = 1


class Evidence(Record):
    """A span of `article.body` that set one field of an event."""

    field: str
    start: int
    end: int
    text: str


class Event(Record):
    event_id: str = ""
    event_type: str | None = None
    sub_event_type: str | None = None
    plover_type: str
    plover_mode: str | None = None
    date: dt.date | None = None
    date_earliest: dt.date | None = None
    date_latest: dt.date | None = None
    time_precision: TimePrecision | None = None
    actor1: Actor | None = None
    actor1_attribution: Attribution = "unknown"
    actor2: Actor | None = None
    target: str | None = None
    location: Location | None = None
    weapon: str | None = None
    weapon_count: int | None = None
    fatalities: int | None = None
    injuries: int | None = None
    status: Status = "occurred"
    sentence: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)

    # Character spans of `article.body` (start, end) of every sentence merged
    # into this event; later stages (dates, places, actors) read their cues
    # from these sentences only. Not part of the output record.
    _sentence_spans: list[tuple[int, int]] = PrivateAttr(default_factory=list)

    @property
    def sentence_spans(self) -> list[tuple[int, int]]:
        return self._sentence_spans

    def add_evidence(self, field: str, body: str, start: int, end: int) -> None:
        """Record that `body[start:end]` set `field`, once per span."""
        item = Evidence(field=field, start=start, end=end, text=body[start:end])
        if item not in self.evidence:
            self.evidence.append(item)


class DocumentResult(Record):
    """What sitrep writes for one input document (RECORDS.md, output)."""

    id: str
    article: Article
    events: list[Event] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)


class Toponym(Record):
    """A place mention in a text and what it resolved to (`sitrep geocode`)."""

    start: int
    end: int
    text: str
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    admin1: str | None = None
    country: str | None = None
    feature: str | None = None


class Timex(Record):
    """A date expression in a text and its resolution (`sitrep dates`)."""

    start: int
    end: int
    text: str
    value: str | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
