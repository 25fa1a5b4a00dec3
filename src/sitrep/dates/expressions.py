"""Date expressions: the pattern table (expressions.tsv over lexicon.tsv) and their resolution.

`find_timexes` finds every expression in a text and resolves it against the
anchor day into a TIMEX3 value and a day range; `sitrep.dates.date_events` and
`sitrep dates` read the resulting `Timex` records.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from sitrep.article.published import latest_year_not_after, latest_year_with_weekday
from sitrep.models import Timex

DATA = Path(__file__).parent
PAST_VERB = re.compile(
    r"\b(?:said|says|announced|told|reported|was|were|had|did|\w+ed)\b", re.IGNORECASE
)
FUTURE_AUXILIARIES = frozenset({"will", "shall", "'ll", "wo", "would"})
SENTENCE_END = re.compile(r"[.!?][\"'’”]?\s+(?=[A-Z\"“])|\n\s*\n")
YEAR_BEFORE = re.compile(
    r"\b(?:the|its|their|his|her|in|since|by|until|till|of|from|before|after)\s+$", re.IGNORECASE
)
COUNTED_AFTER = re.compile(r"\s+(?:people|men|women|children|police|[a-z]+s)\b")
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
MODIFIER_THIRDS = {
    "early": 0,
    "beginning": 0,
    "start": 0,
    "mid": 1,
    "middle": 1,
    "late": 2,
    "end": 2,
}


@dataclass(frozen=True)
class Resolution:
    """What an expression means: a TIMEX3 value and the days it covers."""

    value: str | None
    earliest: date | None = None
    latest: date | None = None


@dataclass(frozen=True)
class Context:
    """What resolution needs beyond the match: the anchor day and the tense of the clause."""

    anchor: date | None
    future: bool
    day_first: bool
    sentence: str
    # The text before the expression back to its paragraph's start (up to 400 chars):
    # "a year earlier" compares quarters when the paragraph speaks of one.
    paragraph: str


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, dict[str, str]]

    def value(self, category: str, word: str) -> str:
        table = self.words[category]
        key = _normal(word)
        return table[key] if key in table else table[key.rstrip(".")]

    def number(self, category: str, word: str) -> int:
        return int(self.value(category, word))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    words: dict[str, dict[str, str]] = {}
    for line in (DATA / "lexicon.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, word, value, *_ = line.split("\t")
        words.setdefault(category, {})[word] = value
    return Lexicon(words)


@lru_cache(maxsize=1)
def patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(kind, compiled pattern) rows of expressions.tsv with the lexicon macros expanded."""
    words = lexicon().words

    def alternation(category: str, abbreviated: bool = False) -> str:
        names = sorted(words[category], key=len, reverse=True)
        # Abbreviations ("Aug.", "Sept.") may take a full stop; a full name's stop ends
        # the sentence and stays out of the expression.
        return "|".join(
            re.escape(name).replace(r"\ ", r"\s+")
            + (r"\.?" if abbreviated and len(name) <= 4 else "")
            for name in names
        )

    macros = {
        "MONTH": rf"(?:{alternation('month', abbreviated=True)})",
        "WEEKDAY": rf"(?:{alternation('weekday')})",
        "NUMBER": rf"(?:{alternation('number')})",
        "ORDINAL": rf"(?:{alternation('ordinal')})",
        "PART": rf"(?:{alternation('part_of_day')})",
        "SEASON": rf"(?:{alternation('season')})",
        "RELDAY": rf"(?:{alternation('relative_day')})",
        "VAGUE": rf"(?:{alternation('vague_period')})",
        "MOD": rf"(?:{alternation('modifier')})",
        "YEAR": r"(?:19|20)\d\d(?![\d%]|[.,]\d)",
        "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)",
    }
    rows = []
    for line in (DATA / "expressions.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, pattern = line.split("\t", 1)
        for name, expansion in macros.items():
            pattern = pattern.replace("{" + name + "}", expansion)
        rows.append((kind, re.compile(rf"(?<![\w'’-])(?:{pattern})(?![\w’-])", re.IGNORECASE)))
    return rows


@lru_cache(maxsize=8)
def cue_pattern(category: str, suffix: str = "") -> re.Pattern[str]:
    """The words of a lexicon category as one pattern, optionally anchored by `suffix`."""
    words = sorted(lexicon().words[category], key=len, reverse=True)
    alternation = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words)
    return re.compile(rf"(?<![\w'])(?:{alternation})(?!\w)\s*{suffix}", re.IGNORECASE)


def find_timexes(text: str, anchor: date | None, doc: Doc | None = None) -> list[Timex]:
    """Every date expression of `text`, resolved against `anchor`; offsets index `text`."""
    day_first = _day_first_convention(text)
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in patterns():
        for match in pattern.finditer(text):
            if _accepted(kind, match):
                found.append((match.start(), match.end(), kind, match))
    # The longest expression wins where several overlap; then the earliest.
    found.sort(key=lambda item: (-(item[1] - item[0]), item[0]))
    taken: list[tuple[int, int, str, re.Match[str]]] = []
    for item in found:
        if all(item[1] <= other[0] or item[0] >= other[1] for other in taken):
            taken.append(item)
    taken.sort(key=lambda item: item[0])
    timexes = []
    for start, end, kind, match in taken:
        sentence = _sentence_around(text, start, end)
        paragraph_start = max(text.rfind("\n\n", 0, start), start - 400, 0)
        context = Context(
            anchor,
            _is_future(text, start, end, doc),
            day_first,
            sentence,
            text[paragraph_start:end],
        )
        resolution = RESOLVERS[kind](match, context)
        timexes.append(
            Timex(
                start=start,
                end=end,
                text=text[start:end],
                value=resolution.value,
                earliest=resolution.earliest,
                latest=resolution.latest,
            )
        )
    return _join_ranges(text, timexes, anchor)


def _accepted(kind: str, match: re.Match[str]) -> bool:
    """Reject readings that are common words, not dates ("may", "march", "a second")."""
    if kind == "month" and not match.group("shift") and not match.group("modifier"):
        word = match.group("month")
        if word.lower().rstrip(".") in {"may", "march", "mar", "jan", "sep", "dec", "oct"}:
            # "May" yes, "may" no; in upper-case wires only the longer "MARCH".
            return word[0].isupper() and (not word.isupper() or len(word) > 3)
        return word[0].isupper()
    if kind == "season" and match.group("season").lower() in {"fall", "spring"}:
        return bool(match.groupdict().get("shift") or match.groupdict().get("year"))
    if kind == "day_month" and match.group("year") is None:
        # "5 May" yes; "two soldiers ... 3 march" no: the month must be capitalised.
        return match.group("month")[0].isupper()
    if kind == "month_day":
        return match.group("month")[0].isupper()
    if kind == "year" and not match.group("modifier"):
        # "about 2000 protesters", "1500 troops": a count, not a year.
        before = match.string[max(0, match.start() - 16) : match.start()]
        after = match.string[match.end() : match.end() + 20]
        if YEAR_BEFORE.search(before):
            return True
        return not (cue_pattern("count_cue", "$").search(before) or COUNTED_AFTER.match(after))
    return True


def _join_ranges(text: str, timexes: list[Timex], anchor: date | None) -> list[Timex]:
    """ "since X" runs from X to the anchor (`date_events` joins "between X and Y")."""
    joined: list[Timex] = []
    index = 0
    while index < len(timexes):
        timex = timexes[index]
        before = text[max(0, timex.start - 8) : timex.start].lower()
        since = re.search(r"\bsince\s+$", before)
        if since and timex.earliest is not None and anchor is not None and timex.earliest <= anchor:
            start = timex.start - len(before) + since.start()
            sentence = _sentence_around(text, timex.start, timex.end)
            # A pluperfect "had been ... since" closes before the reported day.
            pluperfect = re.search(r"\bhad\b", sentence) is not None
            latest = anchor - timedelta(days=1) if pluperfect else anchor
            timex = Timex(
                start=start,
                end=timex.end,
                text=text[start : timex.end],
                value=timex.value,
                earliest=timex.earliest,
                latest=max(latest, timex.earliest),
            )
        joined.append(timex)
        index += 1
    return joined


def _sentence_around(text: str, start: int, end: int) -> str:
    left, right = _sentence_bounds(text, start, end)
    return text[left:right]


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(0, start - 400)
    for boundary in SENTENCE_END.finditer(text, left, start):
        left = boundary.end()
    right_match = SENTENCE_END.search(text, end, end + 400)
    right = right_match.start() + 1 if right_match else min(len(text), end + 400)
    return left, right


def _is_future(text: str, start: int, end: int, doc: Doc | None) -> bool:
    """Whether the clause of the expression speaks of the future: an auxiliary "will" on
    its verb (from the parse), else a future cue nearer to it than any past-tense verb."""
    if doc is not None and doc.text == text:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            head = span.root
            while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
                head = head.head
            if any(child.lower_ in FUTURE_AUXILIARIES for child in head.children):
                return True
            if head.tag_ == "VBD":
                return False
    left, right = _sentence_bounds(text, start, end)
    future_cue = cue_pattern("future_cue")
    cue = _nearest(future_cue.finditer(text, left, right), start, end)
    if cue is None:
        return False
    past = _nearest(
        (
            verb
            for verb in PAST_VERB.finditer(text, left, right)
            if not future_cue.fullmatch(verb[0])
        ),
        start,
        end,
    )
    return past is None or _gap(cue, start, end) < _gap(past, start, end)


def _nearest(matches: Iterable[re.Match[str]], start: int, end: int) -> re.Match[str] | None:
    return min(matches, key=lambda match: _gap(match, start, end), default=None)


def _gap(cue: re.Match[str], start: int, end: int) -> int:
    return start - cue.end() if cue.end() <= start else cue.start() - end


def _day_first_convention(text: str) -> bool:
    """Whether the text writes 05/09/2020 day first: only when one of its dates says so."""
    for match in re.finditer(r"\b([0-3]?\d)/([0-3]?\d)/(?:\d\d){1,2}\b", text):
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return False


# --- ranges and values ------------------------------------------------------------


def _day(value: date) -> Resolution:
    return Resolution(value.isoformat(), value, value)


def _month(year: int, month: int, modifier: str | None = None) -> Resolution:
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    first, last = _narrow(first, last, modifier)
    return Resolution(f"{year:04d}-{month:02d}", first, last)


def _year(year: int, modifier: str | None = None) -> Resolution:
    first, last = _narrow(date(year, 1, 1), date(year, 12, 31), modifier)
    return Resolution(f"{year:04d}", first, last)


def _week(day: date) -> Resolution:
    monday = day - timedelta(days=day.weekday())
    iso = monday.isocalendar()
    return Resolution(f"{iso.year:04d}-W{iso.week:02d}", monday, monday + timedelta(days=6))


def _quarter(year: int, quarter: int) -> Resolution:
    first = date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    last = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Resolution(f"{year:04d}-Q{quarter}", first, last)


def _narrow(first: date, last: date, modifier: str | None) -> tuple[date, date]:
    """ "early"/"mid"/"late" keep a third of the period; "earlier"/"later" stay whole."""
    if not modifier:
        return first, last
    third_text = lexicon().value("modifier", modifier)
    if not third_text.isdigit():
        return first, last
    third = int(third_text)
    length = (last - first).days + 1
    start = first + timedelta(days=length * third // 3)
    end = first + timedelta(days=length * (third + 1) // 3 - 1)
    return start, end


def _shift_months(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _current_quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _two_digit_year(text: str) -> int:
    year = int(text.lstrip("'"))
    if year >= 100:
        return year
    return 1900 + year if year >= 50 else 2000 + year


def _safe_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for_day(month: int, day: int, weekday: int | None, context: Context) -> int | None:
    """The year of a year-less day: the next one when the clause is future; else the one
    nearest the anchor (a weekday, when given, must agree), leaning to the past."""
    anchor = context.anchor
    if anchor is None:
        return None
    if context.future:
        for year in (anchor.year, anchor.year + 1):
            candidate = _safe_day(year, month, day)
            if candidate and candidate >= anchor:
                return year
    candidates = [
        found
        for year in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (found := _safe_day(year, month, day)) is not None
        and (weekday is None or found.weekday() == weekday)
    ]
    if candidates:
        return min(candidates, key=lambda found: _distance(found, anchor)).year
    if weekday is not None:
        return latest_year_with_weekday(month, day, weekday, anchor)
    return latest_year_not_after(month, day, anchor)


def _distance(found: date, anchor: date) -> int:
    """Days from the anchor, future days counted double: news reports the past."""
    days = (found - anchor).days
    return 2 * days if days > 0 else -days


def _year_for_month(month: int, context: Context) -> int | None:
    anchor = context.anchor
    if anchor is None:
        return None
    if context.future:
        return anchor.year if month >= anchor.month else anchor.year + 1
    candidates = [date(year, month, 15) for year in (anchor.year - 1, anchor.year, anchor.year + 1)]
    return min(candidates, key=lambda found: _distance(found, anchor)).year


# --- resolvers, one per kind of expressions.tsv ----------------------------------------


def _resolve_full_date(
    year: int | None, month: int, day: int, weekday: int | None, context: Context
) -> Resolution:
    if year is None:
        year = _year_for_day(month, day, weekday, context)
    if year is None:
        return Resolution(f"XXXX-{month:02d}-{day:02d}")
    found = _safe_day(year, month, day)
    return _day(found) if found else Resolution(None)


def _weekday_number(match: re.Match[str]) -> int | None:
    word = match.groupdict().get("weekday")
    return lexicon().number("weekday", word) if word else None


def resolve_iso_date(match: re.Match[str], context: Context) -> Resolution:
    return _resolve_full_date(
        int(match.group("year")),
        int(match.group("month_number")),
        int(match.group("day")),
        None,
        context,
    )


def resolve_numeric_date(match: re.Match[str], context: Context) -> Resolution:
    first, second = int(match.group("first")), int(match.group("second"))
    day_first = context.day_first or first > 12
    month, day = (second, first) if day_first else (first, second)
    if not 1 <= month <= 12:
        return Resolution(None)
    return _resolve_full_date(_two_digit_year(match.group("year")), month, day, None, context)


def resolve_day_month(match: re.Match[str], context: Context) -> Resolution:
    month = lexicon().number("month", match.group("month").rstrip("."))
    day = int(re.sub(r"\D", "", match.group("day")))
    year_text = match.group("year")
    year = _two_digit_year(year_text) if year_text else None
    return _resolve_full_date(year, month, day, _weekday_number(match), context)


def resolve_month_year(match: re.Match[str], context: Context) -> Resolution:
    month = lexicon().number("month", match.group("month").rstrip("."))
    return _month(int(match.group("year")), month, match.group("modifier"))


def resolve_week_of_month(match: re.Match[str], context: Context) -> Resolution:
    month = lexicon().number("month", match.group("month").rstrip("."))
    year = int(match.group("year")) if match.group("year") else _year_for_month(month, context)
    if year is None:
        return Resolution(f"XXXX-{month:02d}")
    ordinal = lexicon().number("ordinal", match.group("ordinal"))
    last_day = calendar.monthrange(year, month)[1]
    start = 1 + 7 * (ordinal - 1) if ordinal > 0 else last_day - 6
    first = date(year, month, start)
    return Resolution(
        f"{year:04d}-{month:02d}",
        first,
        min(first + timedelta(days=6), date(year, month, last_day)),
    )


def resolve_month(match: re.Match[str], context: Context) -> Resolution:
    month = lexicon().number("month", match.group("month").rstrip("."))
    shift = (match.group("shift") or "").lower()
    anchor = context.anchor
    if anchor is None:
        return Resolution(f"XXXX-{month:02d}")
    if shift in {"last", "past"}:
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif shift in {"next", "coming"}:
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif shift == "this":
        year = anchor.year
    else:
        year = _year_for_month(month, context) or anchor.year
    return _month(year, month, match.group("modifier"))


def resolve_quarter(match: re.Match[str], context: Context) -> Resolution:
    quarter = lexicon().number("ordinal", match.group("ordinal"))
    year_text = match.group("year") or match.group("year_after")
    shift = (match.group("shift") or "").lower()
    year_shift = {"last": -1, "next": 1}.get((match.group("year_shift") or "").lower(), 0)
    anchor = context.anchor
    if year_text:
        year = int(year_text)
    elif anchor is None:
        return Resolution(f"XXXX-Q{quarter}" if quarter > 0 else None)
    elif match.group("year_shift"):
        year = anchor.year + year_shift
    else:
        year = anchor.year if 0 < quarter <= _current_quarter(anchor) else anchor.year - 1
        if shift in {"year-earlier", "year-ago"}:
            year -= 1
        elif shift == "next":
            year += 1
    if quarter < 0:
        quarter = 4
    return _quarter(year, quarter)


def resolve_the_quarter(match: re.Match[str], context: Context) -> Resolution:
    anchor = context.anchor
    if anchor is None:
        return Resolution(None)
    shift = (match.group("shift") or "").lower()
    if shift in {"current"}:
        return _quarter(anchor.year, _current_quarter(anchor))
    # Business news reports on the quarter that has just closed.
    year, quarter = anchor.year, _current_quarter(anchor) - 1
    if quarter == 0:
        year, quarter = year - 1, 4
    if shift in {"year-earlier", "year-ago"}:
        year -= 1
    return _quarter(year, quarter)


def resolve_year_ago(match: re.Match[str], context: Context) -> Resolution:
    anchor = context.anchor
    if anchor is None:
        return Resolution(None)
    if match.group("what") or _speaks_of_quarters(context):
        return _year_ago_quarter(anchor)
    return _year(anchor.year - 1)


def _speaks_of_quarters(context: Context) -> bool:
    return re.search(r"\b(?:quarter|period)\b", context.paragraph, re.IGNORECASE) is not None


def _year_ago_quarter(anchor: date) -> Resolution:
    """Business news compares the quarter just closed with the same one a year before."""
    year, quarter = anchor.year - 1, _current_quarter(anchor) - 1
    return _quarter(year - 1, 4) if quarter == 0 else _quarter(year, quarter)


def resolve_year_end(match: re.Match[str], context: Context) -> Resolution:
    return _day(date(context.anchor.year, 12, 31)) if context.anchor else Resolution(None)


def resolve_the_year(match: re.Match[str], context: Context) -> Resolution:
    return _year(context.anchor.year) if context.anchor else Resolution(None)


def resolve_decade(match: re.Match[str], context: Context) -> Resolution:
    digits = match.group("decade")
    if len(digits) == 2:
        digits = ("19" if int(digits) >= 30 else "20") + digits
    start = int(digits)
    return Resolution(f"{start // 10}X", date(start, 1, 1), date(start + 9, 12, 31))


def resolve_year(match: re.Match[str], context: Context) -> Resolution:
    modifier = match.group("modifier")
    if modifier and modifier.lower() in {"fiscal", "calendar"}:
        modifier = None
    return _year(int(match.group("year")), modifier)


def resolve_season(match: re.Match[str], context: Context) -> Resolution:
    season = lexicon().value("season", match.group("season"))
    groups = match.groupdict()
    anchor = context.anchor
    if groups.get("year"):
        year = int(groups["year"])
    elif anchor is None:
        return Resolution(f"XXXX-{season}")
    else:
        shift = (groups.get("shift") or "this").lower()
        start_month = SEASON_MONTHS[season][0]
        year = anchor.year
        if shift in {"last", "past"}:
            year = anchor.year if start_month < anchor.month - 2 else anchor.year - 1
        elif shift in {"next", "coming"}:
            year = anchor.year if start_month > anchor.month else anchor.year + 1
    first_month, last_month = SEASON_MONTHS[season]
    last_year = year + 1 if last_month < first_month else year
    first = date(year, first_month, 1)
    last = date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])
    return Resolution(f"{year:04d}-{season}", first, last)


def resolve_relative_day(match: re.Match[str], context: Context) -> Resolution:
    if context.anchor is None:
        return Resolution(None)
    offset = lexicon().number("relative_day", match.group("relday"))
    return _day(context.anchor + timedelta(days=offset))


def resolve_weekday_indefinite(match: re.Match[str], context: Context) -> Resolution:
    """ "a Saturday": a weekday with no week; it narrows an event's range, never fixes a day."""
    weekday = _weekday_number(match)
    return Resolution(f"XXXX-WXX-{(weekday or 0) + 1}")


def resolve_weekday(match: re.Match[str], context: Context) -> Resolution:
    weekday = _weekday_number(match)
    anchor = context.anchor
    if anchor is None or weekday is None:
        return Resolution(f"XXXX-WXX-{(weekday or 0) + 1}")
    shift = (match.group("shift") or "").lower()
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if shift in {"next", "coming"}:
        found = anchor + timedelta(days=ahead or 7)
    elif shift in {"last", "past"}:
        found = anchor - timedelta(days=back or 7)
    elif context.future and shift != "this":
        found = anchor + timedelta(days=ahead)
    else:
        found = anchor - timedelta(days=back)
    return _day(found)


def resolve_weekend(match: re.Match[str], context: Context) -> Resolution:
    anchor = context.anchor
    if anchor is None:
        return Resolution("XXXX-WXX-WE")
    shift = (match.group("shift") or "").lower()
    saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
    if shift in {"next", "coming"} or (context.future and shift != "last"):
        saturday = anchor + timedelta(days=(5 - anchor.weekday()) % 7)
    iso = saturday.isocalendar()
    return Resolution(f"{iso.year:04d}-W{iso.week:02d}-WE", saturday, saturday + timedelta(days=1))


def resolve_ago(match: re.Match[str], context: Context) -> Resolution:
    anchor = context.anchor
    if anchor is None:
        return Resolution(None)
    word = match.group("number")
    count = int(word) if word.isdigit() else lexicon().number("number", word)
    unit = match.group("unit").lower()
    direction = -1 if match.group("direction").lower() in {"ago", "earlier", "before"} else 1
    if unit == "day":
        return _day(anchor + timedelta(days=direction * count))
    if unit == "week":
        return _week(anchor + timedelta(days=7 * direction * count))
    if unit == "month":
        year, month = _shift_months(anchor.year, anchor.month, direction * count)
        return _month(year, month)
    if unit == "year":
        if count == 1 and direction < 0 and _speaks_of_quarters(context):
            return _year_ago_quarter(anchor)
        return _year(anchor.year + direction * count)
    decade = (anchor.year + direction * 10 * count) // 10
    return Resolution(f"{decade}X", date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31))


def resolve_relative_period(match: re.Match[str], context: Context) -> Resolution:
    anchor = context.anchor
    if anchor is None:
        return Resolution(None)
    groups = match.groupdict()
    shift = (groups.get("shift") or "this").lower().split()[-1]
    step = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1}.get(shift, 0)
    unit = match.group("unit").lower()
    modifier = groups.get("modifier")
    if unit == "week":
        return _week(anchor + timedelta(days=7 * step))
    if unit == "month":
        year, month = _shift_months(anchor.year, anchor.month, step)
        return _month(year, month, modifier)
    if unit == "year":
        return _year(anchor.year + step, modifier)
    decade = anchor.year // 10 + step
    return Resolution(f"{decade}X", date(decade * 10, 1, 1), date(decade * 10 + 9, 12, 31))


def resolve_part_of_day(match: re.Match[str], context: Context) -> Resolution:
    anchor = context.anchor
    if anchor is None:
        return Resolution(None)
    if match.group("part").lower() == "overnight":
        # The night that ended on the anchor day began the evening before.
        return Resolution(anchor.isoformat(), anchor - timedelta(days=1), anchor)
    return _day(anchor)


def resolve_vague_period(match: re.Match[str], context: Context) -> Resolution:
    anchor = context.anchor
    days = lexicon().number("vague_period", match.group("vague"))
    if anchor is None:
        return Resolution("PAST_REF")
    return Resolution("PAST_REF", anchor - timedelta(days=days), anchor - timedelta(days=1))


def resolve_reference(value: str) -> Callable[[re.Match[str], Context], Resolution]:
    def resolve(match: re.Match[str], context: Context) -> Resolution:
        return Resolution(value)

    return resolve


RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolution]] = {
    "iso_date": resolve_iso_date,
    "numeric_date": resolve_numeric_date,
    "day_month": resolve_day_month,
    "month_day": resolve_day_month,
    "month_year": resolve_month_year,
    "week_of_month": resolve_week_of_month,
    "month": resolve_month,
    "quarter": resolve_quarter,
    "the_quarter": resolve_the_quarter,
    "year_ago": resolve_year_ago,
    "decade": resolve_decade,
    "year": resolve_year,
    "season": resolve_season,
    "relative_day": resolve_relative_day,
    "the_year": resolve_the_year,
    "year_end": resolve_year_end,
    "weekday_indefinite": resolve_weekday_indefinite,
    "weekday": resolve_weekday,
    "weekend": resolve_weekend,
    "ago": resolve_ago,
    "relative_period": resolve_relative_period,
    "part_of_day": resolve_part_of_day,
    "vague_period": resolve_vague_period,
    "present_ref": resolve_reference("PRESENT_REF"),
    "past_ref": resolve_reference("PAST_REF"),
    "future_ref": resolve_reference("FUTURE_REF"),
}


def _normal(word: str) -> str:
    return " ".join(word.lower().split())
