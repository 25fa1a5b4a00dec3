"""Flags weeks whose event count for a country and type breaks from its recent baseline.

The method, kept simple so an analyst can check it by hand: for each (country,
event type) series of weekly counts, the baseline is the mean of the previous
BASELINE_WEEKS weeks (weeks with no events count as 0; at least MIN_HISTORY_WEEKS
of history are needed). Counts are treated as Poisson, so the expected spread is
sqrt(mean), floored at 1. A week is a `surge` when its count exceeds the mean by
more than THRESHOLD spreads, and a `drop` when it falls below it by more than
THRESHOLD spreads while the baseline mean is at least MIN_MEAN_FOR_DROP (a quiet
week after a quiet month is not news). This is the change the seed story reports:
"attacks almost daily ... had died down".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

BASELINE_WEEKS = 8
MIN_HISTORY_WEEKS = 4
THRESHOLD = 2.0
MIN_MEAN_FOR_DROP = 3.0


@dataclass(frozen=True)
class WeeklyCount:
    week: date  # the Monday that starts the week
    country: str
    event_type: str
    count: int


@dataclass(frozen=True)
class TrendBreak:
    week: date
    country: str
    event_type: str
    count: int
    baseline_mean: float
    spread: float
    direction: Literal["surge", "drop"]

    @property
    def score(self) -> float:
        """How many spreads the week is away from its baseline."""
        return (self.count - self.baseline_mean) / self.spread


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def trend_breaks(counts: Iterable[WeeklyCount]) -> list[TrendBreak]:
    """Every week that breaks from its series' baseline, newest first."""
    series: dict[tuple[str, str], dict[date, int]] = defaultdict(dict)
    for row in counts:
        key = (row.country, row.event_type)
        monday = week_start(row.week)
        series[key][monday] = series[key].get(monday, 0) + row.count
    breaks: list[TrendBreak] = []
    for (country, event_type), by_week in series.items():
        first, last = min(by_week), max(by_week)
        weeks = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
        values = [by_week.get(week, 0) for week in weeks]
        for index in range(MIN_HISTORY_WEEKS, len(weeks)):
            history = values[max(0, index - BASELINE_WEEKS) : index]
            mean = sum(history) / len(history)
            spread = max(1.0, math.sqrt(mean))
            count = values[index]
            direction: Literal["surge", "drop"] | None = None
            if count - mean > THRESHOLD * spread:
                direction = "surge"
            elif mean - count > THRESHOLD * spread and mean >= MIN_MEAN_FOR_DROP:
                direction = "drop"
            if direction is not None:
                breaks.append(
                    TrendBreak(weeks[index], country, event_type, count, mean, spread, direction)
                )
    breaks.sort(key=lambda item: (item.week, item.country, item.event_type), reverse=True)
    return breaks
