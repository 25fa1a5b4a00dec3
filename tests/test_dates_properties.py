"""Properties of date resolution over anchors across years, leap days and year ends."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sitrep.dates import date_events, find_timexes, time_precision
from sitrep.models import Article, Event

# Anchors from 1980 to 2040: every leap day and year end in between is reachable.
ANCHORS = st.dates(min_value=date(1980, 1, 1), max_value=date(2040, 12, 31))
YEAR_ENDS = st.integers(1980, 2040).flatmap(
    lambda year: st.sampled_from([date(year, 12, 31), date(year + 1, 1, 1), date(year, 1, 1)])
)
LEAP_DAYS = st.sampled_from([date(year, 2, 29) for year in range(1980, 2041, 4)])
SOME_ANCHOR = st.one_of(ANCHORS, YEAR_ENDS, LEAP_DAYS)

PHRASES = [
    "on Monday",
    "early Thursday",
    "on Sunday night",
    "yesterday",
    "today",
    "tomorrow",
    "last week",
    "last month",
    "earlier this month",
    "two days ago",
    "three weeks ago",
    "this morning",
    "overnight",
    "at dawn",
    "between Saturday and Monday",
    "in recent months",
    "since the first week of July",
    "on 29 February",
    "on Feb. 29",
    "on Dec. 31",
    "on Jan. 1",
    "last year",
    "in the third quarter",
    "last fall",
    "a Saturday",
    "next Tuesday",
    "in January",
    "the weekend",
]


@given(anchor=SOME_ANCHOR, phrase=st.sampled_from(PHRASES), future=st.booleans())
def test_timex_ranges_are_ordered_and_offsets_slice_the_text(
    anchor: date, phrase: str, future: bool
) -> None:
    verb = "will meet" if future else "attacked the base"
    text = f"Officials said the rebels {verb} {phrase}, according to police."
    for timex in find_timexes(text, anchor):
        assert 0 <= timex.start < timex.end <= len(text)
        assert text[timex.start : timex.end] == timex.text
        if timex.earliest is not None or timex.latest is not None:
            assert timex.earliest is not None and timex.latest is not None
            assert timex.earliest <= timex.latest
        if timex.value and re.fullmatch(r"\d{4}-\d\d-\d\d", timex.value):
            assert timex.earliest is not None
            assert timex.earliest <= date.fromisoformat(timex.value) <= timex.latest  # type: ignore[operator]


@given(anchor=SOME_ANCHOR, phrase=st.sampled_from(PHRASES))
def test_event_dates_lie_in_their_range_with_a_consistent_precision(
    anchor: date, phrase: str
) -> None:
    body = f"Rebels attacked the base {phrase}, police said."
    event = Event(plover_type="ASSAULT")
    event._sentence_spans = [(0, len(body))]
    date_events([event], Article(body=body, published=anchor), find_timexes(body, anchor), anchor)
    assert event.date_earliest is not None and event.date_latest is not None
    assert event.date_earliest <= event.date_latest
    if event.date is not None:
        assert event.date_earliest <= event.date <= event.date_latest
    days = (event.date_latest - event.date_earliest).days + 1
    assert event.time_precision == (1 if days == 1 else 2 if days <= 7 else 3)
    assert event.time_precision == time_precision(event.date_earliest, event.date_latest)
    for evidence in event.evidence:
        assert body[evidence.start : evidence.end] == evidence.text


@given(anchor=SOME_ANCHOR, back=st.integers(0, 6))
def test_a_past_weekday_is_the_latest_such_day_on_or_before_the_anchor(
    anchor: date, back: int
) -> None:
    day = anchor - timedelta(days=back)
    name = day.strftime("%A")
    (timex,) = find_timexes(f"Gunmen attacked the town on {name}.", anchor)
    assert timex.earliest == day == timex.latest


@given(day=ANCHORS, gap=st.integers(0, 120))
def test_an_absolute_date_resolves_whatever_the_anchor(day: date, gap: int) -> None:
    text = f"On {day.day} {day.strftime('%B')} {day.year}, troops moved in."
    (timex,) = find_timexes(text, day + timedelta(days=gap))
    assert timex.value == day.isoformat()
    (unanchored,) = find_timexes(text, None)
    assert unanchored.value == day.isoformat()
