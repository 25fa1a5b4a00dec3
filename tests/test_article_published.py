from datetime import date

from sitrep.article.published import latest_year_not_after, latest_year_with_weekday

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
