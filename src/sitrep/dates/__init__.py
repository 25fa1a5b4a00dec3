"""Time: date expressions in the body, resolved against the article's anchor date.

`anchor_date` picks the reference day, `find_timexes` (expressions.py) finds and
resolves expressions; `date_events` sets each event's `date`, `date_earliest`,
`date_latest` and `time_precision` from its own sentences, with the evidence.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import pairwise

from sitrep.article.dateline import parse_date_text
from sitrep.article.published import date_from_day_month, latest_year_not_after
from sitrep.dates.expressions import find_timexes, lexicon, patterns
from sitrep.models import Article, Event, Timex

__all__ = ["anchor_date", "date_events", "dateline_date", "find_timexes", "time_precision"]

# A report with no time phrase happened on the anchor day or in the week before it.
UNDATED_WINDOW_DAYS = 6
# The time of a report, not of the event: "said on Wednesday", "told AFP on Monday",
# "Wednesday's statement"; such a phrase dates an event only when nothing else does.
# The verbs are lexicon.tsv's `reporting_verb` rows; "told" takes its hearer first.
REPORTED_BEFORE = re.compile(
    r"\b(?:"
    + "|".join(sorted(lexicon().words["reporting_verb"], key=len, reverse=True))
    + r")(?:(?<=told)\s+[\w.-]+(?:\s+[\w.-]+)?)?\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)
REPORTED_AFTER = re.compile(
    r"(?:'s|’s)?\s*(?:statement|press\s+conference|briefing)\b", re.IGNORECASE
)


def anchor_date(article: Article, today: date | None = None) -> date | None:
    """The reference date: the dateline's date, else `published`, else None.

    A dateline without a year ("July 29") takes it from `published` when known,
    else from the lead's weekday as the article layer infers it ("early Thursday").
    """
    dateline = article.dateline
    if dateline is not None and dateline.date_text:
        found = dateline_date(dateline.date_text, article.body, article.published, today)
        if found is not None:
            return found
    return article.published


def dateline_date(
    date_text: str, body: str = "", published: date | None = None, today: date | None = None
) -> date | None:
    """The day of a dateline's date text ("July 29", "3 JAN 90") by the article layer's rules."""
    bound = published or today or date.today()
    day = parse_date_text(date_text, bound)
    if day is None:
        return None
    if day.year is None and published is not None:
        year = latest_year_not_after(day.month, day.day, published)
        return date(year, day.month, day.day) if year is not None else None
    at = body.find(date_text)
    lead = body[at + len(date_text) :].strip().split("\n\n", 1)[0] if at >= 0 else body
    return date_from_day_month(day.month, day.day, day.year, lead, bound).value


def time_precision(earliest: date, latest: date) -> int:
    """ACLED precision of a range: 1 one day, 2 up to a week, 3 beyond."""
    days = (latest - earliest).days + 1
    return 1 if days <= 1 else 2 if days <= 7 else 3


def date_events(
    events: list[Event], article: Article, timexes: list[Timex], anchor: date | None
) -> None:
    """Date each event from the expressions in its own sentences.

    The narrowest specific expression wins; an indefinite weekday ("a Saturday")
    narrows it to the weekdays it allows; background periods ("in recent
    months") never date an event. With none, the note's lead date
    ("01/01/2021: ...") or the anchor with a week's range; with no anchor, nothing.
    """
    body = article.body
    lead = _lead_date(body, timexes)
    for event in events:
        spans = event.sentence_spans or _sentence_span(body, event.sentence)
        own = [t for t in timexes if any(s <= t.start and t.end <= e for s, e in spans)]
        _date_event(event, body, own, lead, anchor, _dateline_span(article))


def _date_event(
    event: Event,
    body: str,
    own: list[Timex],
    lead: Timex | None,
    anchor: date | None,
    dateline: tuple[int, int] | None,
) -> None:
    specific = _join_spans(body, [t for t in own if _specific(t)])
    weekday = next((t for t in own if t.value and t.value.startswith("XXXX-WXX-")), None)
    if specific:
        chosen = min(
            specific,
            key=lambda t: (_reporting_time(body, t), (t.latest - t.earliest).days, t.start),  # type: ignore[operator]
        )
        assert chosen.earliest is not None and chosen.latest is not None
        earliest, latest = chosen.earliest, chosen.latest
        if anchor is not None and event.status == "occurred" and earliest <= anchor < latest:
            latest = anchor  # what has occurred lies no later than the report
        if weekday is not None and weekday.value:
            earliest, latest = _narrow_to_weekday(earliest, latest, int(weekday.value[-1]) - 1)
            event.add_evidence("date", body, weekday.start, weekday.end)
        _set(event, earliest, latest, earliest if earliest == latest else None)
        event.add_evidence("date", body, chosen.start, chosen.end)
        return
    if lead is not None and lead.earliest is not None:
        _set(event, lead.earliest, lead.earliest, lead.earliest)
        event.add_evidence("date", body, lead.start, lead.end)
        return
    if anchor is None:
        return
    # No time phrase: a present-perfect ("has killed") or plain report belongs to the
    # anchor day, within the week before it; the dateline's date is the evidence.
    _set(event, anchor - timedelta(days=UNDATED_WINDOW_DAYS), anchor, anchor)
    if dateline is not None:
        event.add_evidence("date", body, *dateline)


def _dateline_span(article: Article) -> tuple[int, int] | None:
    """Where the dateline's date text stands in the body's opening, if it does."""
    date_text = article.dateline.date_text if article.dateline else None
    if not date_text:
        return None
    start = article.body.find(date_text, 0, 200)
    return (start, start + len(date_text)) if start >= 0 else None


def _reporting_time(body: str, timex: Timex) -> bool:
    """ "police said on Wednesday": the day of the report, not of the event."""
    before = body[max(0, timex.start - 40) : timex.start]
    after = body[timex.end : timex.end + 30]
    return bool(REPORTED_BEFORE.search(before) or REPORTED_AFTER.match(after))


def _set(event: Event, earliest: date, latest: date, day: date | None) -> None:
    event.date = day
    event.date_earliest = earliest
    event.date_latest = latest
    precision = time_precision(earliest, latest)
    event.time_precision = 1 if precision == 1 else 2 if precision == 2 else 3


def _specific(timex: Timex) -> bool:
    """A range that can date an event: not a present/past/future reference."""
    return (
        timex.earliest is not None
        and timex.latest is not None
        and not (timex.value or "").endswith("_REF")
    )


def _join_spans(body: str, timexes: list[Timex]) -> list[Timex]:
    """ "between Saturday and Monday", "from 1 to 3 May": one range from the first to the last."""
    joined = list(timexes)
    for first, second in pairwise(timexes):
        before = body[max(0, first.start - 9) : first.start].lower()
        link = body[first.end : second.start]
        if (
            re.search(r"\b(?:between|from)\s+$", before)
            and re.fullmatch(r",?\s+(?:and|to|until|till|through)\s+", link)
            and first.earliest is not None
            and second.latest is not None
            and first.earliest <= second.latest
        ):
            start = first.start - len(before) + before.rindex(before.split()[-1])
            joined.append(
                Timex(
                    start=start,
                    end=second.end,
                    text=body[start : second.end],
                    value=None,
                    earliest=first.earliest,
                    latest=second.latest,
                )
            )
            joined.remove(first)
            joined.remove(second)
    return joined


def _narrow_to_weekday(earliest: date, latest: date, weekday: int) -> tuple[date, date]:
    first = earliest + timedelta(days=(weekday - earliest.weekday()) % 7)
    last = latest - timedelta(days=(latest.weekday() - weekday) % 7)
    return (first, last) if first <= last else (earliest, latest)


def _lead_date(body: str, timexes: list[Timex]) -> Timex | None:
    """A full date opening the note ("01/01/2021: ...", "On 9 May 2020, ..."): the
    date of every event of a summary that does not give its own."""
    opening = len(body) - len(body.lstrip())
    for timex in timexes[:1]:
        prefix = body[opening : timex.start].strip().lower()
        if prefix in {"", "on"} and timex.earliest is not None and timex.earliest == timex.latest:
            return timex
    return None


def _sentence_span(body: str, sentence: str) -> list[tuple[int, int]]:
    start = body.find(sentence) if sentence else -1
    return [(start, start + len(sentence))] if start >= 0 else []


# Compile the pattern table when the stage is imported, not inside the first document.
patterns()
