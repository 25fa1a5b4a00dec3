from datetime import date

import pytest

from sitrep.article.published import (
    PublicationDate,
    date_from_day_month,
    first_weekday,
    latest_year_not_after,
    latest_year_with_weekday,
    parse_published,
)

THURSDAY = 3


def test_seed_story_july_29_thursday_is_2021() -> None:
    assert latest_year_with_weekday(7, 29, THURSDAY, today=date(2026, 11, 28)) == 2021


def test_today_itself_counts() -> None:
    today = date(2026, 11, 28)
    assert latest_year_with_weekday(11, 28, today.weekday(), today) == 2026


def test_future_day_this_year_is_skipped() -> None:
    assert latest_year_not_after(12, 25, today=date(2026, 11, 28)) == 2025


def test_leap_day_needs_a_leap_year() -> None:
    year = latest_year_with_weekday(2, 29, date(2024, 2, 29).weekday(), today=date(2026, 11, 28))
    assert year == 2024


def test_first_weekday_of_the_lead() -> None:
    assert first_weekday("Two rockets were fired early Thursday, and on Saturday ...") == THURSDAY
    assert first_weekday("FIGHTING CONTINUED ON SUNDAY") == 6
    assert first_weekday("Sundays are quiet") is None


def test_day_month_with_weekday_is_inferred() -> None:
    found = date_from_day_month(7, 29, None, "fired early Thursday", date(2026, 11, 28))
    assert found == PublicationDate(date(2021, 7, 29), inferred=True)


def test_day_month_without_weekday_is_the_latest_year_not_after_today() -> None:
    found = date_from_day_month(12, 25, None, "fired at dawn", date(2026, 11, 28))
    assert found == PublicationDate(date(2025, 12, 25), inferred=True)


def test_day_month_with_year_is_as_written() -> None:
    found = date_from_day_month(11, 16, 1989, "on Thursday", date(2026, 11, 28))
    assert found == PublicationDate(date(1989, 11, 16), inferred=False)


def test_impossible_day_is_no_date() -> None:
    assert date_from_day_month(6, 31, 1990, "", date(2026, 11, 28)).value is None


def test_parse_published_takes_dates_and_full_iso() -> None:
    assert parse_published("2021-07-29") == date(2021, 7, 29)
    assert parse_published(" 2021-07-29T08:00:00Z ") == date(2021, 7, 29)
    with pytest.raises(ValueError):
        parse_published("29/07/2021")
