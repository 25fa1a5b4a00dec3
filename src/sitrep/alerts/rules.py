"""Alert rules, read from a TOML file, and the test of one event against one rule.

A rules file holds `[[rule]]` tables and `[[destination]]` tables:

    [[rule]]
    name = "Violence near Erbil"
    event_types = ["Explosions/Remote violence", "Battles"]
    sub_event_types = ["Air/drone strike"]
    plover_types = ["ASSAULT"]
    near = { lat = 36.19, lon = 44.01, km = 50 }   # area: a point and a radius
    country = "Iraq"                               # area: a country, by name or ISO3
    admin1 = "Erbil"                               # area: a first-level region
    min_fatalities = 1
    actor = "Islamic State"                        # text in the actors' names

    [[destination]]
    webhook = "https://example.org/hook"   # or: jsonl = "alerts.jsonl"   or: stdout = true

Every condition is optional. Every condition a rule names must hold; a rule with
none matches every event.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sitrep.errors import InputError
from sitrep.models import Event

EARTH_RADIUS_KM = 6371.0088


class Circle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    km: float = Field(gt=0)


class AlertRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    event_types: list[str] = Field(default_factory=list)
    sub_event_types: list[str] = Field(default_factory=list)
    plover_types: list[str] = Field(default_factory=list)
    near: Circle | None = None
    country: str | None = None
    admin1: str | None = None
    min_fatalities: int | None = Field(default=None, ge=0)
    actor: str | None = None

    def matches(self, event: Event) -> bool:
        """True when `event` meets every condition this rule names."""
        checks = (
            not self.event_types or event.event_type in self.event_types,
            not self.sub_event_types or event.sub_event_type in self.sub_event_types,
            not self.plover_types or event.plover_type in self.plover_types,
            self.near is None or _within(event, self.near),
            self.country is None or _same_country(event, self.country),
            self.admin1 is None or _same_admin1(event, self.admin1),
            self.min_fatalities is None or (event.fatalities or 0) >= self.min_fatalities,
            self.actor is None or _actor_mentions(event, self.actor),
        )
        return all(checks)


class Destination(BaseModel):
    model_config = ConfigDict(extra="forbid")

    webhook: str | None = None
    jsonl: Path | None = None
    stdout: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> Destination:
        chosen = [self.webhook is not None, self.jsonl is not None, self.stdout]
        if sum(chosen) != 1:
            raise ValueError("a destination names exactly one of webhook, jsonl, stdout")
        return self

    @property
    def key(self) -> str:
        """A stable name for this destination, used to remember what it was sent."""
        if self.webhook is not None:
            return f"webhook:{self.webhook}"
        if self.jsonl is not None:
            return f"jsonl:{self.jsonl}"
        return "stdout"


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: list[AlertRule] = Field(min_length=1)
    destination: list[Destination] = Field(default_factory=lambda: [Destination(stdout=True)])


def load_rules(path: Path) -> RuleSet:
    """Read and check a rules file; any problem is one `InputError` naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(str(path), error.strerror or str(error)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(str(path), f"not valid TOML: {error}") from None
    try:
        return RuleSet.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(str(path), f"{where}: {first['msg']}") from None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _within(event: Event, circle: Circle) -> bool:
    place = event.location
    if place is None or place.lat is None or place.lon is None:
        return False
    return distance_km(place.lat, place.lon, circle.lat, circle.lon) <= circle.km


def _same_country(event: Event, country: str) -> bool:
    place = event.location
    if place is None:
        return False
    wanted = country.casefold()
    return wanted in {(place.country or "").casefold(), (place.iso3 or "").casefold()}


def _same_admin1(event: Event, admin1: str) -> bool:
    place = event.location
    return place is not None and (place.admin1 or "").casefold() == admin1.casefold()


def _actor_mentions(event: Event, text: str) -> bool:
    wanted = text.casefold()
    for actor in (event.actor1, event.actor2):
        if actor is not None and any(
            wanted in (value or "").casefold() for value in (actor.name, actor.raw)
        ):
            return True
    return False
