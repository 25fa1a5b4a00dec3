"""Counts of stored happenings (canonical events) by ISO week, country and event type."""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel
from sqlalchemy import Connection, func, select

from sitrep.store.query import EventFilter, representatives_matching
from sitrep.store.schema import events

UNKNOWN = "(unknown)"


class EventCounts(BaseModel):
    total: int
    by_week: dict[str, int]
    by_country: dict[str, int]
    by_type: dict[str, int]


def iso_week(day: date | None) -> str:
    if day is None:
        return UNKNOWN
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def count_events(connection: Connection, event_filter: EventFilter) -> EventCounts:
    """Counts over the canonical events matching `event_filter`."""
    day = func.coalesce(events.c.date, events.c.date_earliest, events.c.date_latest)
    rows = connection.execute(
        select(day, events.c.location_country, events.c.event_type, events.c.plover_type).where(
            *representatives_matching(connection, event_filter)
        )
    )
    weeks: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    types: Counter[str] = Counter()
    total = 0
    for when, country, event_type, plover_type in rows:
        total += 1
        weeks[iso_week(when)] += 1
        countries[country or UNKNOWN] += 1
        types[event_type or f"({plover_type})"] += 1
    return EventCounts(
        total=total,
        by_week=dict(sorted(weeks.items())),
        by_country=dict(countries.most_common()),
        by_type=dict(types.most_common()),
    )
