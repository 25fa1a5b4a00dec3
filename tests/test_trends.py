from datetime import date, timedelta

from sitrep.analysis.trends import WeeklyCount, trend_breaks, week_start

MONDAY = date(2021, 5, 3)


def weekly(
    counts: list[int], country: str = "Iraq", event_type: str = "Battles"
) -> list[WeeklyCount]:
    return [
        WeeklyCount(MONDAY + timedelta(weeks=n), country, event_type, count)
        for n, count in enumerate(counts)
    ]


def test_steady_series_has_no_break() -> None:
    assert trend_breaks(weekly([5, 6, 4, 5, 6, 5, 4, 6])) == []


def test_surge_is_flagged_with_its_baseline() -> None:
    (surge,) = trend_breaks(weekly([2, 3, 2, 3, 2, 15]))
    assert surge.direction == "surge"
    assert surge.week == MONDAY + timedelta(weeks=5)
    assert surge.baseline_mean == 2.4
    assert surge.score > 2


def test_attacks_dying_down_is_a_drop() -> None:
    breaks = trend_breaks(weekly([20, 22, 19, 21, 20, 2]))
    assert [b.direction for b in breaks] == ["drop"]


def test_quiet_series_going_quieter_is_not_news() -> None:
    assert trend_breaks(weekly([1, 2, 1, 1, 2, 0])) == []


def test_missing_weeks_count_as_zero_and_short_history_is_ignored() -> None:
    rows = [*weekly([0, 0, 0]), WeeklyCount(MONDAY + timedelta(weeks=4), "Iraq", "Battles", 9)]
    (surge,) = trend_breaks(rows)
    assert surge.baseline_mean == 0 and surge.count == 9


def test_series_are_per_country_and_type() -> None:
    rows = weekly([3, 3, 3, 3, 3], "Iraq") + weekly([0, 0, 0, 0, 8], "Syria")
    assert [b.country for b in trend_breaks(rows)] == ["Syria"]


def test_week_start_is_monday() -> None:
    assert week_start(date(2021, 7, 29)) == date(2021, 7, 26)
