"""Datelines: the wire shapes of the table, title-cased places, and their dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.article.dateline import (
    DateText,
    find_dateline,
    parse_date_text,
    title_case_place,
    two_digit_year,
)

TODAY = date(2026, 11, 28)
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "place", "agency", "date_text", "covered"),
    [
        ("BAGHDAD, July 29 (NNN-AGENCIES) — Two rockets", "Baghdad", "NNN-AGENCIES", "July 29",
         "BAGHDAD, July 29 (NNN-AGENCIES) —"),
        ("SAN SALVADOR, 16 NOV 89 (RADIO VENCEREMOS) -- [TEXT] THE", "San Salvador",
         "RADIO VENCEREMOS", "16 NOV 89", "SAN SALVADOR, 16 NOV 89 (RADIO VENCEREMOS) --"),
        ("KABUL (Reuters) - Taliban fighters", "Kabul", "Reuters", None, "KABUL (Reuters) -"),
        ("WASHINGTON — The Senate", "Washington", None, None, "WASHINGTON —"),
        ("NAIROBI, Kenya (AP) _", "Nairobi, Kenya", "AP", None, "NAIROBI, Kenya (AP) _"),
        ("SAN SALVADOR, 3 JAN 90 -- [REPORT] [ARMED FORCES]", "San Salvador", None, "3 JAN 90",
         "SAN SALVADOR, 3 JAN 90 --"),
        ("MOSCOW (USSR), 11 MAR 90 (TASS) -- [TEXT]", "Moscow, USSR", "TASS", "11 MAR 90",
         "MOSCOW (USSR), 11 MAR 90 (TASS) --"),
        ("NO CITY (COLOMBIA), NO DATE -- [TEXT]", "Colombia", None, None,
         "NO CITY (COLOMBIA), NO DATE --"),
        ("CLANDESTINE, 8 JAN 90 (RADIO VENCEREMOS)-- [TEXT]", None, "RADIO VENCEREMOS", "8 JAN 90",
         "CLANDESTINE, 8 JAN 90 (RADIO VENCEREMOS)--"),
        ("RALEIGH, N.C. (AP) - A new report", "Raleigh, N.C.", "AP", None, "RALEIGH, N.C. (AP) -"),
        ("LOS ANGELES, April 05, 2018 (GLOBE NEWSWIRE) -- Fraud", "Los Angeles", "GLOBE NEWSWIRE",
         "April 05, 2018", "LOS ANGELES, April 05, 2018 (GLOBE NEWSWIRE) --"),
        ("Washington (CNN) — The president", "Washington", "CNN", None, "Washington (CNN) —"),
        ("  DAR ES SALAAM, Tanzania (AP) _", "Dar es Salaam, Tanzania", "AP", None,
         "DAR ES SALAAM, Tanzania (AP) _"),
    ],
)  # fmt: skip
def test_dateline_shapes(
    line: str, place: str | None, agency: str | None, date_text: str | None, covered: str
) -> None:
    match = find_dateline(line)
    assert match is not None
    assert (match.dateline.place, match.dateline.agency, match.dateline.date_text) == (
        place,
        agency,
        date_text,
    )
    assert line[match.start : match.end] == covered


@pytest.mark.parametrize(
    "line",
    [
        "Two rockets fired near US embassy in Baghdad: security source",
        "THE ARCE BATTALION COMMAND HAS REPORTED THAT ABOUT 50 PEASANTS",
        "US TROOPS - the withdrawal begins",
        "Baghdad - Rockets were fired",
        "",
    ],
)
def test_not_datelines(line: str) -> None:
    assert find_dateline(line) is None


def test_only_the_first_line_is_searched() -> None:
    assert find_dateline("Rockets hit base\nKABUL (Reuters) - Taliban") is None


@pytest.mark.parametrize(
    ("name", "cased"),
    [
        ("BAGHDAD", "Baghdad"),
        ("SAN SALVADOR", "San Salvador"),
        ("PORT-AU-PRINCE", "Port-au-Prince"),
        ("N'DJAMENA", "N'Djamena"),
        ("ST. JOHN'S", "St. John's"),
        ("LA PAZ", "La Paz"),
        ("RIO DE JANEIRO", "Rio de Janeiro"),
    ],
)
def test_places_are_title_cased(name: str, cased: str) -> None:
    assert title_case_place(name) == cased


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("July 29", DateText(7, 29, None)),
        ("Sept. 3", DateText(9, 3, None)),
        ("16 NOV 89", DateText(11, 16, 1989)),
        ("3 JAN 90", DateText(1, 3, 1990)),
        ("5 JUN 21", DateText(6, 5, 2021)),
        ("April 05, 2018", DateText(4, 5, 2018)),
        ("29 July 2021", DateText(7, 29, 2021)),
        ("no date", None),
        ("July 45", None),
    ],
)
def test_date_text(text: str, parsed: DateText | None) -> None:
    assert parse_date_text(text, TODAY) == parsed


def test_two_digit_year_is_the_latest_century_not_after_today() -> None:
    assert two_digit_year(26, TODAY) == 2026
    assert two_digit_year(27, TODAY) == 1927
    assert two_digit_year(89, TODAY) == 1989


@given(st.dates(min_value=date(1950, 1, 1), max_value=TODAY), st.booleans())
def test_written_dates_read_back(day: date, upper: bool) -> None:
    month = MONTH_NAMES[day.month - 1]
    us_style = f"{month} {day.day}, {day.year}"
    wire_style = f"{day.day} {month[:3]} {day.year % 100:02d}"
    for text in (us_style, wire_style.upper() if upper else wire_style):
        assert parse_date_text(text, TODAY) == DateText(day.month, day.day, day.year)


@given(st.dates(min_value=date(1990, 1, 1), max_value=TODAY), st.sampled_from(MONTH_NAMES))
def test_a_dateline_with_any_day_is_found(day: date, month: str) -> None:
    line = f"MOGADISHU, {month} {day.day} (HORN-WIRE) — A car bomb exploded."
    match = find_dateline(line)
    assert match is not None and match.dateline.date_text == f"{month} {day.day}"
