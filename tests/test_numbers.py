"""Number phrases as news writes them (sitrep.events.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.events.numbers import parse_count

UNIT_WORDS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
]  # fmt: skip
TENS_WORDS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(number: int) -> str:
    """English words for 0..999,999 as a reporter writes them (test oracle, not the parser)."""
    if number < 20:
        return UNIT_WORDS[number]
    if number < 100:
        tens, unit = divmod(number, 10)
        return TENS_WORDS[tens] + (f"-{UNIT_WORDS[unit]}" if unit else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{UNIT_WORDS[hundreds]} hundred" + (f" and {spell(rest)}" if rest else "")
    thousands, rest = divmod(number, 1000)
    return f"{spell(thousands)} thousand" + (f" {spell(rest)}" if rest else "")


@pytest.mark.parametrize(
    ("phrase", "count"),
    [
        ("1,700", 1700),
        ("two", 2),
        ("a dozen", 12),
        ("two dozen", 24),
        ("dozens of", 24),
        ("scores of", 40),
        ("hundreds of", 200),
        ("at least 12", 12),
        ("more than 30", 30),
        ("five to seven", 5),
        ("5-7", 5),
        ("between 5 and 7", 5),
        ("an", 1),
        ("a single", 1),
        ("a few", 3),
        ("a couple of", 2),
        ("some 40", 40),
        ("as many as 12", 12),
        ("no one", 0),
        ("twenty-three", 23),
        ("one hundred and five", 105),
    ],
)
def test_number_phrases(phrase: str, count: int) -> None:
    assert parse_count(phrase) == count


@pytest.mark.parametrize(
    "phrase", ["several", "many", "an unknown number of", "third", "2nd", "the 3rd", "people"]
)
def test_phrases_without_a_figure_give_none(phrase: str) -> None:
    assert parse_count(phrase) is None


def test_conjoined_counts_are_not_read_as_one_number() -> None:
    assert parse_count("three soldiers and five militants") == 3


@given(st.integers(min_value=0, max_value=999_999))
def test_digits_round_trip(number: int) -> None:
    assert parse_count(str(number)) == number
    assert parse_count(f"{number:,}") == number


@given(st.integers(min_value=0, max_value=999_999))
def test_words_round_trip(number: int) -> None:
    assert parse_count(spell(number)) == number


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["at least", "more than"]))
def test_hedged_figure_is_the_figure(number: int, hedge: str) -> None:
    assert parse_count(f"{hedge} {number}") == number
    assert parse_count(f"{hedge} {spell(number)}") == number


@given(st.integers(min_value=1, max_value=9_999), st.integers(min_value=1, max_value=500))
def test_ranges_give_the_lower_bound(low: int, width: int) -> None:
    high = low + width
    assert parse_count(f"{low}-{high}") == low
    assert parse_count(f"{spell(low)} to {spell(high)}") == low
    assert parse_count(f"between {low} and {high}") == low
