"""Datelines: the place, agency and date that open a wire story.

`find_dateline` matches the first line of a body against `DATELINE_PATTERNS`,
a table of the shapes wires use, and returns a `Dateline` record (place
title-cased) with the span it covers; `parse_date_text` reads its date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sitrep.models import Dateline

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

# Words a dateline uses where a city would stand when none can be given.
NO_PLACE = {"NO CITY", "CLANDESTINE", "UNKNOWN"}
# Small words that stay lower case inside a title-cased place name.
PLACE_PARTICLES = {
    "al", "an", "and", "au", "aux", "da", "de", "del", "della", "der", "des", "di",
    "do", "dos", "du", "el", "en", "es", "la", "las", "le", "les", "los", "of",
    "on", "sur", "the", "upon", "van", "von",
}  # fmt: skip
# Upper-case abbreviations that title-casing must leave alone.
PLACE_ABBREVIATIONS = {"DC", "D.C.", "UAE", "UK", "US", "U.S.", "USA", "USSR", "DRC", "FRG", "GDR"}

_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")  # N.Y., N.C.: state initials stay as written
_MONTH = r"(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_CITY = r"(?P<place>[A-Z][A-Z'’.\-]*(?:[ ][A-Z][A-Z'’.\-]*){0,3})"
_TITLE_CASE_CITY = r"(?P<place>[A-Z][a-z'’.\-]+(?:[ ][A-Z][a-z'’.\-]+){0,2})"
_COUNTRY = r"(?:\s*\((?P<country>[A-Z][A-Z .'’\-]+)\))?"
_REGION = r",\s*(?P<region>[A-Z][A-Za-z.'’\-]*(?:[ ][A-Z][A-Za-z.'’\-]*){0,2})"
_DATE = (
    r",\s*(?P<date_text>"
    rf"{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?"  # July 29 / July 29, 2021
    rf"|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}}|\s+\d{{2}})?"  # 16 NOV 89 / 29 July 2021
    r"|(?i:no date))"
)
# Wires close their agency with ")" and, in some MUC messages, a typo "]".
_AGENCY = r"\s*[(\[](?P<agency>[^()\[\]\n]{2,60})[)\]]"
_DASH = r"\s*(?:—|–|―|--|-|_)(?=\s|$)"
# A bare upper-case city needs a real dash (or the NYT wire's "_"):
# "US TROOPS - ..." is a headline, not a dateline.
_LONG_DASH = r"\s*(?:—|–|―|--|_)(?=\s|$)"

# The shapes of a dateline, most specific first; the first that matches wins.
DATELINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(r"^\s*" + pattern))
    for name, pattern in (
        # BAGHDAD, July 29 (NNN-AGENCIES) —   SAN SALVADOR, 16 NOV 89 (RADIO VENCEREMOS) --
        ("city, date (agency) —", _CITY + _COUNTRY + _DATE + _AGENCY + _DASH),
        # SAN SALVADOR, 3 JAN 90 -- [REPORT] ...
        ("city, date —", _CITY + _COUNTRY + _DATE + _DASH),
        # NAIROBI, Kenya (AP) _
        ("city, region (agency) —", _CITY + _COUNTRY + _REGION + _AGENCY + _DASH),
        # KABUL (Reuters) -
        ("city (agency) —", _CITY + _AGENCY + _DASH),
        # GAZA CITY, Gaza Strip —
        ("city, region —", _CITY + _COUNTRY + _REGION + _DASH),
        # WASHINGTON —
        ("city —", _CITY + _LONG_DASH),
        # Washington (CNN) —
        ("City (agency) —", _TITLE_CASE_CITY + _AGENCY + _DASH),
    )
)


@dataclass(frozen=True)
class DatelineMatch:
    """A dateline and the span of the body it covers (from the line start to its dash)."""

    dateline: Dateline
    start: int
    end: int
    pattern: str


@dataclass(frozen=True)
class DateText:
    """A dateline's date: month and day, and the year when it gives one."""

    month: int
    day: int
    year: int | None


def find_dateline(body: str) -> DatelineMatch | None:
    """The dateline opening `body`'s first line, if that line starts with one."""
    first_line = body.split("\n", 1)[0]
    for name, pattern in DATELINE_PATTERNS:
        match = pattern.match(first_line)
        if match is None:
            continue
        groups = match.groupdict()
        place = _place_name(groups["place"], groups.get("country"), groups.get("region"))
        date_text = groups.get("date_text")
        if date_text is not None and date_text.lower() == "no date":
            date_text = None
        agency = " ".join(groups["agency"].split()) if groups.get("agency") else None
        dateline = Dateline(place=place, agency=agency, date_text=date_text)
        return DatelineMatch(dateline, match.start("place"), match.end(), name)
    return None


def parse_date_text(date_text: str, today: date) -> DateText | None:
    """`July 29` -> (7, 29, None); `16 NOV 89` -> (11, 16, 1989); None when not a date."""
    words = re.findall(r"[A-Za-z]+|\d+", date_text)
    month = next((MONTHS[w.lower()] for w in words if w.lower() in MONTHS), None)
    numbers = [int(w) for w in words if w.isdigit()]
    if month is None or not numbers or not 1 <= numbers[0] <= 31:
        return None
    year: int | None = None
    if len(numbers) > 1:
        year = numbers[1]
        written = [w for w in words if w.isdigit()][1]
        if len(written) == 2:
            year = two_digit_year(year, today)
    return DateText(month=month, day=numbers[0], year=year)


def two_digit_year(short: int, today: date) -> int:
    """`89` -> 1989, `21` -> 2021: the latest of 19xx and 20xx not after today's year."""
    modern = 2000 + short
    return modern if modern <= today.year else 1900 + short


def title_case_place(name: str) -> str:
    """`SAN SALVADOR` -> `San Salvador`, `PORT-AU-PRINCE` -> `Port-au-Prince`."""
    words = []
    for index, word in enumerate(name.split()):
        if word in PLACE_ABBREVIATIONS or _INITIALS.fullmatch(word):
            words.append(word)
            continue
        parts = word.split("-")
        cased = [
            _title_case_word(part, keep_small=index == 0 and position == 0)
            for position, part in enumerate(parts)
        ]
        words.append("-".join(cased))
    return " ".join(words)


def _title_case_word(word: str, keep_small: bool) -> str:
    lower = word.lower()
    if lower in PLACE_PARTICLES and not keep_small:
        return lower
    # N'DJAMENA -> N'Djamena; but ST. JOHN'S -> St. John's
    head, apostrophe, tail = lower.partition("'")
    if apostrophe and len(head) == 1:
        return head.upper() + apostrophe + tail.capitalize()
    return lower.capitalize()


def _place_name(city: str, country: str | None, region: str | None) -> str | None:
    """The place as written: `Nairobi, Kenya`; the country alone for `NO CITY (COLOMBIA)`."""
    parts: list[str] = []
    if " ".join(city.split()) not in NO_PLACE:
        parts.append(title_case_place(city))
    for extra in (country, region):
        if extra:
            parts.append(title_case_place(extra) if extra.isupper() else extra)
    return ", ".join(parts) or None
