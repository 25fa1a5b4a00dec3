"""Publication-date reasoning shared by the article layer and the time stage.

News often gives "July 29" and "early Thursday" but no year; the year is the
latest one, not after today, in which that day falls on that weekday.
"""

from __future__ import annotations

from datetime import date

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
