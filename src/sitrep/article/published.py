"""Publication-date reasoning shared by the article layer and the time stage.

News often gives "July 29" and "early Thursday" but no year; the year is the
latest one, not after today, in which that day falls on that weekday.
`parse_published` reads a caller's date; `date_from_day_month` turns a
dateline's day into the article's `published`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# How far back to look for a year consistent with a day and a weekday: the
# weekday of a date repeats within at most 11 years (28 across leap days).
YEARS_SEARCHED = 28


def latest_year_with_weekday(month: int, day: int, weekday: int, today: date) -> int | None:
    """The latest year in which `month`/`day` falls on `weekday` (Monday=0), not after today."""
    for year in range(today.year, today.year - YEARS_SEARCHED - 1, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:  # 29 February in a common year
            continue
        if candidate <= today and candidate.weekday() == weekday:
            return year
    return None


def latest_year_not_after(month: int, day: int, today: date) -> int | None:
    """The latest year in which `month`/`day` is not after today (no weekday known)."""
    for year in range(today.year, today.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return year
    return None


# Weekday names as news writes them (Monday=0, as `date.weekday()`).
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class PublicationDate:
    """The article's `published` date and whether sitrep inferred its year."""

    value: date | None
    inferred: bool = False


def parse_published(value: str) -> date:
    """A caller's or a page's date: `YYYY-MM-DD` or full ISO 8601 (`2021-07-29T08:00:00Z`).

    Raises ValueError for anything else.
    """
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.fromisoformat(text).date()


def first_weekday(text: str) -> int | None:
    """The first weekday named in `text` ("early Thursday" -> 3), if any."""
    match = _WEEKDAY.search(text)
    return WEEKDAYS[match.group(1).lower()] if match else None


def date_from_day_month(
    month: int, day: int, year: int | None, lead: str, today: date
) -> PublicationDate:
    """A dateline's day as a full date.

    With a year, as written. Without, the latest year not after today in which
    the day falls on the first weekday of the lead paragraph (the wire's "early
    Thursday" is the dateline's day), or, with no weekday, the latest year not
    after today; both flagged inferred.
    """
    if year is not None:
        try:
            return PublicationDate(date(year, month, day))
        except ValueError:  # 31 June: the dateline is damaged, not a date
            return PublicationDate(None)
    weekday = first_weekday(lead)
    inferred_year = None
    if weekday is not None:
        inferred_year = latest_year_with_weekday(month, day, weekday, today)
    if inferred_year is None:
        inferred_year = latest_year_not_after(month, day, today)
    if inferred_year is None:
        return PublicationDate(None)
    return PublicationDate(date(inferred_year, month, day), inferred=True)
