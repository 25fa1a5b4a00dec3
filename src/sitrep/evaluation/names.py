"""Name normalisation for scoring: countries, first-level regions, actors, weapons, event types.

Gold sets and sitrep spell the same thing differently ("Ninawa" / "Nineveh
Governorate", "Ivory Coast" / "CIV"); metrics.py compares the keys made here.
The tables are TSV files in `data/` beside this module.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import pycountry

# Words a region's name may carry or drop without naming another region.
ADMIN1_SUFFIXES = (
    "governorate",
    "province",
    "region",
    "state",
    "department",
    "departement",
    "oblast",
    "district",
    "division",
    "prefecture",
    "county",
    "municipality",
    "territory",
    "parish",
    "rayon",
    "raion",
    "republic",
)
ADMIN1_ARTICLES = ("al", "el", "ar", "as", "ash", "at", "ad", "an", "az")
# The same kind words in the region's own language, written before its name in
# GeoNames ("Muhafazat al Hudaydah", "Wilayat-e Baghlan", "Mintaqat `Asir"),
# folded; longest first.
ADMIN1_PREFIXES = (
    ("autonomna", "pokrajina"),
    ("mayorality", "of"),
    ("wilayat", "e"),
    ("muhafazat",),
    ("muhafazah",),
    ("wilayat",),
    ("mintaqat",),
    ("shabiyat",),
    ("ostan", "e"),
    ("velayat", "e"),
)

# ACLED writes the period of a government after state forces: "(2019-)", "(2003-2021)".
ACLED_PERIOD = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")
ARTICLES = {"a", "an", "the"}


def fold(text: str) -> str:
    """Casefold, strip accents and apostrophes, turn other punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"[’'`ʿʾ‘]", "", plain.casefold())
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def tokens(text: str) -> list[str]:
    """Word tokens for overlap scores: folded, without English articles."""
    return [token for token in fold(text).split() if token not in ARTICLES]


def _table(name: str) -> dict[str, str]:
    rows: dict[str, str] = {}
    text = resources.files("sitrep.evaluation").joinpath("data", name).read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, value = line.split("\t")
        rows[fold(key)] = value.strip()
    return rows


@cache
def _country_alternates() -> dict[str, str]:
    return _table("country_alternates.tsv")


@cache
def _admin1_alternates() -> dict[str, str]:
    table = _table("admin1_alternates.tsv")
    return {
        admin1_key(key, alternates=False): admin1_key(value, alternates=False)
        for key, value in table.items()
    }


@cache
def weapon_classes() -> dict[str, str]:
    return _table("weapon_classes.tsv")


@cache
def plover_renames() -> dict[str, str]:
    return {key.upper(): value for key, value in _table("plover_types.tsv").items()}


@cache
def muc4_incident_types() -> dict[str, str]:
    return _table("muc4_incident_types.tsv")


@cache
def country_key(name: str) -> str:
    """ISO 3166 alpha-3 where the name is known, else the folded name."""
    cleaned = name.strip().strip("(?").strip()
    folded = fold(cleaned)
    if folded in _country_alternates():
        return _country_alternates()[folded]
    try:
        country = pycountry.countries.lookup(cleaned)
    except LookupError:
        return folded
    return str(country.alpha_3)


def country_keys(name: str) -> set[str]:
    """Keys of every country a gold value allows ("COLOMBIA / VENEZUELA" allows both)."""
    return {country_key(part) for part in name.split("/") if part.strip()}


def admin1_key(name: str, alternates: bool = True) -> str:
    """A region's name without case, accents, a leading article or a suffix like Governorate."""
    words = fold(name).split()
    while len(words) > 1 and words[-1] in ADMIN1_SUFFIXES:
        words.pop()
    if len(words) > 2 and words[0] in ADMIN1_SUFFIXES and words[1] == "of":
        words = words[2:]
    for prefix in ADMIN1_PREFIXES:
        if len(words) > len(prefix) and tuple(words[: len(prefix)]) == prefix:
            words = words[len(prefix) :]
            break
    if len(words) > 1 and words[0] in ADMIN1_ARTICLES:
        words = words[1:]
    key = " ".join(words)
    if alternates:
        return _admin1_alternates().get(key, key)
    return key


def actor_key(name: str) -> str:
    """An actor's name without case, accents, spacing, a leading article or ACLED's period.

    GTD writes some groups with their article ("The Sabiqun Battalion") and news
    often drops it; the article names no different group.
    """
    words = fold(ACLED_PERIOD.sub(" ", name)).split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def actor_aliases(name: str) -> set[str]:
    """Forms under which a GTD group name counts as named: whole, outside and inside brackets."""
    keys = {actor_key(name)}
    inside = re.findall(r"\(([^()]*)\)", name)
    outside = re.sub(r"\([^()]*\)", " ", name)
    if inside:
        keys.add(actor_key(outside))
        keys.update(actor_key(part) for part in inside)
    return {key for key in keys if key}


def weapon_class(word: str) -> str | None:
    """The GTD weapon class of a weapon word, trying the whole phrase, then its last word."""
    folded = fold(word)
    table = weapon_classes()
    if folded in table:
        return table[folded]
    for candidate in (folded.rstrip("s"), *folded.split()[-1:]):
        if candidate in table:
            return table[candidate]
        if candidate.rstrip("s") in table:
            return table[candidate.rstrip("s")]
    return None


def plover_type(name: str) -> str:
    """A PLOVER type in current spelling."""
    upper = name.strip().upper()
    return plover_renames().get(upper, upper)
