"""Read the gold files of ../shared/eval/ (format in its README) into typed records.

`read_gold` streams one `GoldDocument` per line; `sitrep eval` pairs each with
what the pipeline, the geoparser, the time stage or the place resolver returns.
A line that does not follow the format raises `GoldFormatError` naming file:line.
A span whose offsets do not read its own text is a broken annotation, not a broken
line: with a `warn` callback it is dropped and reported, so the rest still counts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from sitrep.errors import GoldFormatError

GoldKind = Literal["events", "toponyms", "timexes", "place"]

# WikiEvents keeps an Attack mention's arguments only in `raw.arguments`; these
# roles fill the common fields so that attackers, targets and places are scored
# like the other sets' (only for attacks: the other KAIROS types are not coded).
WIKIEVENTS_ATTACK_PREFIX = "Conflict.Attack"
WIKIEVENTS_ROLE_FIELDS: dict[str, str] = {"Attacker": "actor1", "Target": "target"}
WIKIEVENTS_PLACE_ROLE = "Place"


class GoldRecord(BaseModel):
    """Gold records ignore keys they do not score (date_end, context, ...)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class GoldLocation(GoldRecord):
    name: str | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _unnest_name(cls, data: Any) -> Any:
        # The PLOVER conversion keeps eventLoc whole: {"name": {"name": "Basra", ...}}.
        if isinstance(data, dict) and isinstance(data.get("name"), dict):
            data = {**data, "name": data["name"].get("name")}
        return data


class GoldEvent(GoldRecord):
    """One gold event; a null field means the dataset does not give it."""

    event_type: str | None = None
    sub_event_type: str | None = None
    plover_type: str | None = None
    source_type: str | None = None
    status: str | None = None
    date: dt.date | None = None
    date_earliest: dt.date | None = None
    date_latest: dt.date | None = None
    time_precision: int | None = None
    location: GoldLocation | None = None
    actor1: str | None = None
    actor2: str | None = None
    target: str | None = None
    weapon: str | None = None
    fatalities: int | None = None
    injuries: int | None = None
    trigger: str | None = None
    raw: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _empty_location_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("location") == {}:
            data = {**data, "location": None}
        return data

    @property
    def optional(self) -> bool:
        """MUC-4 marks some templates `(OPTIONAL)`: found or not, they cost nothing."""
        template = (self.raw or {}).get("MESSAGE: TEMPLATE")
        return isinstance(template, str) and "OPTIONAL" in template.upper()


class GoldToponym(GoldRecord):
    start: int
    end: int
    text: str
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


class GoldTimex(GoldRecord):
    start: int
    end: int
    text: str
    type: str
    value: str


class GoldPlace(GoldRecord):
    """A UCDP place name with its coordinates (no text)."""

    name: str
    admin1: str | None = None
    country: str | None = None
    lat: float
    lon: float
    where_prec: int | None = None


class GoldDocument(GoldRecord):
    id: str
    dataset: str
    text: str | None = None
    title: str | None = None
    published: dt.date | None = None
    events: list[GoldEvent] | None = None
    toponyms: list[GoldToponym] | None = None
    timexes: list[GoldTimex] | None = None
    place: GoldPlace | None = None

    @property
    def kind(self) -> GoldKind:
        if self.events is not None:
            return "events"
        if self.toponyms is not None:
            return "toponyms"
        if self.timexes is not None:
            return "timexes"
        return "place"


Warn = Callable[[str], None]


def read_gold(path: str | Path, warn: Warn | None = None) -> Iterator[GoldDocument]:
    """Stream the gold documents of one JSONL file, one line at a time.

    Without `warn`, a broken span raises `GoldFormatError`; with it, the span is
    dropped and `warn` gets one line naming file:line.
    """
    source = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; bytes so a bad line is named
    except OSError as error:
        raise GoldFormatError(f"{source}: cannot read ({error.strerror or error})") from None
    with handle:
        for line_number, raw_line in enumerate(handle, start=1):
            where = f"{source}:{line_number}"
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise GoldFormatError(f"{where}: not UTF-8 ({error.reason})") from None
            if line.strip():
                yield parse_gold_line(line, where, warn)


def parse_gold_line(line: str, where: str, warn: Warn | None = None) -> GoldDocument:
    """One gold line to a `GoldDocument`; `where` (file:line) heads any error."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise GoldFormatError(f"{where}: not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict):
        raise GoldFormatError(f"{where}: expected a JSON object, got {type(data).__name__}")
    for key in ("id", "dataset"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise GoldFormatError(f"{where}: missing or empty `{key}`")
    data = _with_place(data, where)
    data = _with_wikievents_arguments(data)
    try:
        document = GoldDocument.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise GoldFormatError(f"{where}: `{field}`: {first['msg']}") from None
    return _check_document(document, where, warn)


def _with_place(data: dict[str, Any], where: str) -> dict[str, Any]:
    """UCDP lines carry the place fields at top level; gather them under `place`."""
    if any(key in data for key in ("events", "toponyms", "timexes")):
        return data
    if "name" not in data or "lat" not in data:
        raise GoldFormatError(
            f"{where}: no `events`, `toponyms`, `timexes` or place fields (`name`, `lat`, `lon`)"
        )
    place_keys = ("name", "admin1", "country", "lat", "lon", "where_prec")
    place = {key: data[key] for key in place_keys if key in data}
    rest = {key: value for key, value in data.items() if key not in place_keys}
    return {**rest, "place": place}


def _with_wikievents_arguments(data: dict[str, Any]) -> dict[str, Any]:
    events = data.get("events")
    if not isinstance(events, list):
        return data
    converted = []
    for event in events:
        raw = event.get("raw") if isinstance(event, dict) else None
        arguments = raw.get("arguments") if isinstance(raw, dict) else None
        source_type = event.get("source_type") if isinstance(event, dict) else None
        is_attack = isinstance(source_type, str) and source_type.startswith(
            WIKIEVENTS_ATTACK_PREFIX
        )
        if not is_attack or not isinstance(arguments, list) or not arguments:
            converted.append(event)
            continue
        event = dict(event)
        by_role: dict[str, list[str]] = {}
        for argument in arguments:
            if isinstance(argument, dict) and isinstance(argument.get("text"), str):
                by_role.setdefault(str(argument.get("role")), []).append(argument["text"])
        for role, field in WIKIEVENTS_ROLE_FIELDS.items():
            if event.get(field) is None and role in by_role:
                event[field] = "; ".join(by_role[role])
        if event.get("location") is None and WIKIEVENTS_PLACE_ROLE in by_role:
            event["location"] = {"name": by_role[WIKIEVENTS_PLACE_ROLE][0]}
        converted.append(event)
    return {**data, "events": converted}


def _check_document(document: GoldDocument, where: str, warn: Warn | None) -> GoldDocument:
    if document.kind != "place" and document.text is None:
        raise GoldFormatError(f"{where}: `text` is missing")
    text = document.text or ""

    def reads_its_text(span: GoldToponym | GoldTimex) -> bool:
        if 0 <= span.start < span.end <= len(text) and text[span.start : span.end] == span.text:
            return True
        problem = (
            f"{where}: span {span.start}-{span.end} ({span.text!r}) does not read its text "
            f"in the document ({len(text)} characters)"
        )
        if warn is None:
            raise GoldFormatError(problem)
        warn(problem + "; dropped")
        return False

    updates: dict[str, Any] = {}
    if document.toponyms is not None:
        updates["toponyms"] = [span for span in document.toponyms if reads_its_text(span)]
    if document.timexes is not None:
        updates["timexes"] = [span for span in document.timexes if reads_its_text(span)]
    return document.model_copy(update=updates) if updates else document
