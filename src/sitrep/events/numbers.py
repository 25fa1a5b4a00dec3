"""Reading counts of people and things as news writes them: "1,700", "two", "a dozen", "scores of".

`parse_count` turns a number phrase into the count a coder would record;
casualties.py and weapons.py call it on the numeric modifiers they find. The
shape follows spaCy's `lang/en/lex_attrs.py`: small tables, one function.

Conventions, chosen to match how ACLED and GTD code counts:
- "at least N", "more than N", "over N", "about N", "nearly N" -> N (the stated
  figure; coders record it, neither inflated nor discounted);
- a range "five to seven", "5-7", "between 5 and 7", "5 or 6" -> the lower bound;
- "a dozen" -> 12, "dozens of" -> 24 (two dozen, the least plural),
  "scores of" -> 40, "hundreds of" -> 200, "thousands of" -> 2000
  (vague plurals take the smallest value the plural allows);
- "a", "an", "one", "single" -> 1; "a couple of" -> 2; "a few" -> 3;
- "several", "some", "many", "numerous", "an unknown number of" -> None: the
  text gives no figure, and guessing one would invent data;
- ordinals ("the second rocket", "third day") are not counts -> None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Determiners that state a count of one (or none, or two) by themselves.
DETERMINER_COUNTS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "single": 1,
    "lone": 1,
    "both": 2,
    "no": 0,
    "none": 0,
}
UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
MULTIPLIERS: dict[str, int] = {
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "dozen": 12,
    "score": 20,
}
# Plurals of a multiplier used alone ("dozens of", "scores of") mean "at least two of them".
VAGUE_PLURALS: dict[str, int] = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
}
FEW_WORDS: dict[str, int] = {"couple": 2, "pair": 2, "few": 3, "handful": 3}
# Words that say "some number" without a figure; the count is unknown.
UNKNOWN_QUANTITY_WORDS = frozenset(
    {"several", "some", "many", "numerous", "multiple", "unknown", "unspecified", "undisclosed"}
)
ORDINAL_SUFFIX = re.compile(r"^\d+(st|nd|rd|th)$")
DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
DIGIT_RANGE = re.compile(r"^(\d[\d,]*)\s*[-–—]\s*(\d[\d,]*)$")
TOKEN = re.compile(r"\d[\d,]*(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d[\d,]*)?|[A-Za-z]+|[-–—]")


def parse_count(phrase: str | Sequence[str]) -> int | None:
    """The count a number phrase states, or None when it states no figure.

    Accepts the phrase as text or as its words. The first number in the
    phrase wins, so a range yields its lower bound and hedges are skipped.
    """
    words = _words(phrase)
    index = 0
    while index < len(words):
        word = words[index]
        if word in UNKNOWN_QUANTITY_WORDS and not _hedges_figure(words, index):
            return None
        value, consumed = _number_at(words, index)
        if value is not None:
            return value
        index += max(consumed, 1)
    return None


def is_number_word(word: str) -> bool:
    """Whether a single word can start a count ("two", "1,700", "dozens", "a")."""
    lowered = word.lower()
    return bool(
        DIGITS.match(lowered.replace(" ", ""))
        or DIGIT_RANGE.match(lowered)
        or lowered in UNITS
        or lowered in DETERMINER_COUNTS
        or lowered in TENS
        or lowered in VAGUE_PLURALS
        or lowered in FEW_WORDS
        or lowered in ("dozen", "hundred", "thousand", "score")
    )


def _words(phrase: str | Sequence[str]) -> list[str]:
    text = phrase if isinstance(phrase, str) else " ".join(phrase)
    return [w.lower() for w in TOKEN.findall(text)]


def _hedges_figure(words: list[str], index: int) -> bool:
    # "some 40 people", "as many as 12": the vague word only hedges the figure after it.
    following = index + 2 if words[index + 1 : index + 2] == ["as"] else index + 1
    return following < len(words) and _number_at(words, following)[0] is not None


def _number_at(words: list[str], index: int) -> tuple[int | None, int]:
    """The number starting at `words[index]` and how many words it used."""
    word = words[index]
    if ORDINAL_SUFFIX.match(word):
        return None, 1
    digit_range = DIGIT_RANGE.match(word)
    if digit_range:
        return int(digit_range.group(1).replace(",", "")), 1
    if DIGITS.match(word):
        value = int(word.replace(",", ""))
        return _scaled(value, words, index + 1)
    if word in VAGUE_PLURALS:
        return VAGUE_PLURALS[word], 1
    if word in ("a", "an") and index + 1 < len(words):
        following = words[index + 1]
        if following in FEW_WORDS:
            return FEW_WORDS[following], 2
        if following in MULTIPLIERS:
            return _scaled(1, words, index + 1)
        if (
            following in UNITS
            or following in TENS
            or following in UNKNOWN_QUANTITY_WORDS
            or DIGITS.match(following)
        ):
            return None, 1
    if word in FEW_WORDS:
        return FEW_WORDS[word], 1
    if word in DETERMINER_COUNTS:
        return DETERMINER_COUNTS[word], 1
    if word in UNITS or word in TENS:
        return _spelled(words, index)
    if word in ("dozen", "hundred", "thousand"):
        return _scaled(1, words, index)
    return None, 1


def _spelled(words: list[str], index: int) -> tuple[int | None, int]:
    """A number spelled in words: "twenty-three", "one hundred and five", "two thousand"."""
    total = 0
    current = 0
    position = index
    last: str | None = None  # the kind of the previous number word
    while position < len(words):
        word = words[position]
        if word in UNITS:
            if last == "unit" or (last == "tens" and UNITS[word] >= 10):
                break
            current += UNITS[word]
            last = "unit"
        elif word in TENS:
            if last in ("unit", "tens"):
                break
            current += TENS[word]
            last = "tens"
        elif word in ("hundred", "dozen") and last in ("unit", "tens"):
            current *= MULTIPLIERS[word]
            last = "hundred"
        elif word in ("thousand", "million") and last is not None:
            total += max(current, 1) * MULTIPLIERS[word]
            current = 0
            last = "thousand"
        elif not _joins_number(words, position, last):
            break
        position += 1
    if last is None:
        return None, 1
    return total + current, position - index


def _joins_number(words: list[str], position: int, last: str | None) -> bool:
    # "twenty-three" and "one hundred and five" continue; "three soldiers and five" does not.
    if position + 1 >= len(words):
        return False
    following = words[position + 1]
    if words[position] == "-":
        return last == "tens" and following in UNITS
    if words[position] == "and":
        return last in ("hundred", "thousand") and (following in UNITS or following in TENS)
    return False


def _scaled(value: int, words: list[str], position: int) -> tuple[int, int]:
    """`value` times any multiplier words that follow it ("1.7 thousand" aside)."""
    consumed = 1
    while position < len(words) and words[position] in MULTIPLIERS:
        if words[position] == "score" and value == 1:
            value = 20
        else:
            value *= MULTIPLIERS[words[position]]
        position += 1
        consumed += 1
    return value, consumed
