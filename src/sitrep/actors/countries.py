"""Countries as ACLED spells them, read from `data/countries.tsv`.

Actor names carry a country ("Protesters (Iraq)", "Military Forces of the
Philippines (2016-)"); this table turns an event's place (ISO3 code or any
common spelling) and the adjectives of a mention ("Iraqi", "Afghan") into
ACLED's spelling of that country.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

COUNTRY_TABLE = Path(__file__).parent / "data" / "countries.tsv"


@dataclass(frozen=True)
class Countries:
    """Lookups from ISO3 codes, spellings and demonyms to ACLED country names."""

    by_iso3: dict[str, str] = field(default_factory=dict)
    by_spelling: dict[str, str] = field(default_factory=dict)
    by_demonym: dict[str, str] = field(default_factory=dict)
    with_article: frozenset[str] = frozenset()

    def names(self) -> set[str]:
        return set(self.by_iso3.values())

    def canonical(self, country: str | None, iso3: str | None = None) -> str | None:
        """ACLED's spelling of a country given by code or by any spelling; None when unknown."""
        if iso3 and iso3.upper() in self.by_iso3:
            return self.by_iso3[iso3.upper()]
        if country:
            return self.by_spelling.get(country.casefold().strip())
        return None

    def of_word(self, word: str) -> str | None:
        """The country a word of a mention names: a demonym ("Iraqi") or a country name."""
        key = word.casefold()
        return self.by_demonym.get(key) or self.by_spelling.get(key)

    def in_phrase(self, name: str) -> str:
        """The country as it stands after "Forces of": "the Philippines", "Iraq"."""
        return f"the {name}" if name in self.with_article else name


@cache
def load_countries() -> Countries:
    countries = Countries()
    with_article: set[str] = set()
    for line in COUNTRY_TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, iso3, article, variants, demonyms = (line.split("\t") + [""] * 5)[:5]
        countries.by_iso3[iso3] = name
        for spelling in [name, *variants.split("|")]:
            if spelling:
                countries.by_spelling.setdefault(spelling.casefold(), name)
        for demonym in demonyms.split("|"):
            if demonym:
                countries.by_demonym.setdefault(demonym.casefold(), name)
        if article == "the":
            with_article.add(name)
    return Countries(
        by_iso3=countries.by_iso3,
        by_spelling=countries.by_spelling,
        by_demonym=countries.by_demonym,
        with_article=frozenset(with_article),
    )
