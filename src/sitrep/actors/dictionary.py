"""The actor dictionary: canonical names in ACLED's style, their types, countries and aliases.

Loaded once from the data files beside this module (`data/acled_actors.tsv`,
generated from ACLED's own strings; `data/actors.tsv` and `data/aliases.tsv`,
kept by hand; `data/generic_mentions.tsv` and `data/country_rules.tsv`, the
rules for vague mentions). The resolver (`resolve.py`), `sitrep actors` and the
store's `--actor` query all read it through `load_dictionary()`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from sitrep.actors.countries import Countries, load_countries
from sitrep.models import ACTOR_TYPES

DATA = Path(__file__).parent / "data"
GENERATED_ACTORS = DATA / "acled_actors.tsv"
HAND_ACTORS = DATA / "actors.tsv"
ALIASES = DATA / "aliases.tsv"
GENERIC_MENTIONS = DATA / "generic_mentions.tsv"
COUNTRY_RULES = DATA / "country_rules.tsv"

# State forces are named after the country and the period of its government:
# "Military Forces of Iraq (2018-)", "Police Forces of the Philippines (2016-)".
STATE_FAMILIES = ("Military Forces", "Police Forces", "Government")
_STATE_NAME = re.compile(
    r"^(?P<family>Military Forces|Police Forces|Government) of (?:the )?"
    r"(?P<country>.+?) (?P<period>\(\d{4}-\d{0,4}\))(?: (?P<unit>.+))?$"
)
_ACRONYM_NAME = re.compile(r"^(?P<acronym>[^:]{2,24}): (?P<long>.+)$")
_FAMILY_NAME = re.compile(r"^(?P<family>.+) \((?P<country>[^()]+)\)$")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class ActorEntry:
    """One canonical actor: ACLED-style `name`, `type` (models.ACTOR_TYPES), home `country`."""

    name: str
    type: str
    country: str | None
    aliases: tuple[str, ...] = ()
    events: int = 0
    source: str = "hand"


@dataclass
class ActorDictionary:
    """Every canonical actor with its aliases, and the tables for generic mentions."""

    entries: dict[str, ActorEntry] = field(default_factory=dict)
    # normalised alias tokens -> canonical names or family bases it may stand for
    alias_index: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    # all-capital acronyms ("IS", "PMF") matched case-sensitively, never lower-cased
    acronym_index: dict[str, list[str]] = field(default_factory=dict)
    # family base ("Islamic State") -> the hand aliases that stand for every member
    family_aliases: dict[str, set[str]] = field(default_factory=dict)
    # family base ("Protesters", "Islamic State") -> type of its members
    family_types: dict[str, str] = field(default_factory=dict)
    # (family, country, admin1 or "") -> canonical name, e.g. ("Islamic State", "Nigeria", "")
    country_rules: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # country -> the period of its state forces in ACLED's names, "(2018-)"
    state_periods: dict[str, str] = field(default_factory=dict)
    # (normalised generic words, country or "") -> family: ("gunmen",) -> Unidentified Armed Group
    generic_index: dict[tuple[tuple[str, ...], str], str] = field(default_factory=dict)
    # (alias key, name) -> the only countries where the alias means that name: a state's sub-units
    # ("Military Police" of Brazil) and hand aliases with a country ("Saudi forces" in Yemen)
    local_aliases: dict[tuple[tuple[str, ...], str], set[str]] = field(default_factory=dict)
    # the opening words of every alias (all but its last word) -> the names it may stand for:
    # a name cut short by the parser ("Jamaat Nusrat", "the Coalition of Patriots")
    prefix_index: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    # every all-capital acronym as one case-sensitive, whole-word pattern, longest first
    acronym_pattern: re.Pattern[str] | None = None
    countries: Countries = field(default_factory=Countries)

    def aliases_of(self, name: str) -> set[str]:
        """Every alias of a canonical name, its family's aliases included."""
        entry = self.entries.get(name)
        found = set(entry.aliases) if entry else set()
        family = family_of(name)
        if family:
            found |= self.family_aliases.get(family, set())
        return found

    def family_member(self, family: str, country: str | None, admin1: str | None = None) -> str:
        """The name a family takes in a country: a rule, a state name or "Family (Country)"."""
        if country is None:
            return family
        for key in ((family, country, (admin1 or "").casefold()), (family, country, "")):
            if key in self.country_rules:
                return self.country_rules[key]
        if family in STATE_FAMILIES:
            period = self.state_periods.get(country)
            stem = f"{family} of {self.countries.in_phrase(country)}"
            return f"{stem} {period}" if period else stem
        return f"{family} ({country})"

    def country_of(self, name: str) -> str | None:
        """The home country of a name, in the dictionary or formed from a family."""
        entry = self.entries.get(name)
        if entry:
            return entry.country
        inside = _FAMILY_NAME.match(name)
        if inside and inside.group("country") in self.countries.names():
            return inside.group("country")
        return state_country(name)

    def type_of(self, name: str) -> str | None:
        entry = self.entries.get(name)
        if entry:
            return entry.type
        # A family member ("Protesters (Chad)") or, without a country, the family itself.
        family = family_of(name) or name
        return self.family_types.get(family)


def normalise(text: str) -> tuple[str, ...]:
    """Text as matching tokens: ASCII-folded, lower case, apostrophes dropped, plurals cut."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = re.sub(r"['’`ʼ]", "", folded.casefold())
    return tuple(_stem(word) for word in _WORD.findall(folded))


def _stem(word: str) -> str:
    # A crude plural cut applied to both aliases and mentions, so it only has to be consistent.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def state_country(name: str) -> str | None:
    """The country of a state-force name ("Police Forces of the Philippines (2016-)"), else None."""
    state = _STATE_NAME.match(name)
    return state.group("country") if state else None


def family_of(name: str) -> str | None:
    """The family a canonical name belongs to: "Protesters (Iraq)" -> "Protesters"."""
    state = _STATE_NAME.match(name)
    if state and not state.group("unit"):
        return state.group("family")
    plain = _FAMILY_NAME.match(name)
    return plain.group("family") if plain else None


def derived_aliases(name: str) -> list[str]:
    """Aliases that ACLED's own name spells out: acronym, long form, sub-unit, family base."""
    aliases = [name]
    acronym = _ACRONYM_NAME.match(name)
    if acronym:
        short, long = acronym.group("acronym"), acronym.group("long")
        # GTD and the press write "Long Name (ACRONYM)" where ACLED writes "ACRONYM: Long Name".
        aliases += [short, long, f"{long} ({short})", *short.split("/")]
    state = _STATE_NAME.match(name)
    if state and not state.group("unit"):
        aliases.append(name[: -len(state.group("period")) - 1])
    if state and state.group("unit"):
        unit = state.group("unit")
        aliases.append(unit)
        unit_acronym = _ACRONYM_NAME.match(unit)
        if unit_acronym:
            aliases += [unit_acronym.group("acronym"), unit_acronym.group("long")]
    return list(dict.fromkeys(aliases))


def _rows(path: Path, width: int) -> list[list[str]]:
    """The rows of a TSV data file, comments skipped, short rows padded to `width` cells."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cells = [cell.strip() for cell in line.split("\t")]
            rows.append(cells + [""] * (width - len(cells)))
    return rows


def alias_key(alias: str) -> tuple[str, ...]:
    """How an alias is looked up: acronyms as written ("IS"), other aliases normalised."""
    return (alias,) if _is_acronym(alias) else normalise(alias)


def _is_acronym(alias: str) -> bool:
    letters = alias.replace("-", "").replace("/", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 6


@cache
def load_dictionary() -> ActorDictionary:
    """The dictionary, read once from the data files."""
    countries = load_countries()
    dictionary = ActorDictionary(countries=countries)
    valid_types = set(ACTOR_TYPES.values())
    rows: list[tuple[str, str, str, int, str]] = []
    for cells in _rows(GENERATED_ACTORS, 4):
        rows.append((cells[0], cells[1], cells[2], int(cells[3] or 0), "acled-train"))
    for cells in _rows(HAND_ACTORS, 4):
        rows.append((cells[0], cells[1], cells[2], 0, "hand"))
    hand_aliases: dict[str, list[str]] = defaultdict(list)
    for name, alias, only_in, *_ in _rows(ALIASES, 3):
        hand_aliases[name].append(alias)
        if only_in:
            dictionary.local_aliases.setdefault((alias_key(alias), name), set()).add(only_in)

    family_type_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for name, actor_type, country, events, source in rows:
        if actor_type not in valid_types:
            raise ValueError(
                f"actor {name!r}: type {actor_type!r} is not an ACLED interaction code"
            )
        if name in dictionary.entries:
            # A hand row on a generated name corrects its type or country after review.
            dictionary.entries[name] = replace(
                dictionary.entries[name], type=actor_type, country=country or None, source=source
            )
            continue
        dictionary.entries[name] = ActorEntry(
            name=name,
            type=actor_type,
            country=country or None,
            aliases=tuple(dict.fromkeys(derived_aliases(name) + hand_aliases.get(name, []))),
            events=events,
            source=source,
        )
        family = family_of(name)
        if family and family not in STATE_FAMILIES and name.endswith(f"({country})"):
            # Only "Family (Country)" names make a family that can be formed for another country.
            family_type_counts[family][actor_type] += max(events, 1)
    # A country's state forces share the period of its government, so a police name can borrow
    # the army's; names with a sub-unit ("... (2016-) Supreme Political Council") only as a last
    # resort.
    by_frequency = sorted(dictionary.entries.values(), key=lambda entry: -entry.events)
    for with_unit in (False, True):
        for entry in by_frequency:
            state = _STATE_NAME.match(entry.name)
            if state and bool(state.group("unit")) == with_unit:
                dictionary.state_periods.setdefault(state.group("country"), state.group("period"))
    for family, counts in family_type_counts.items():
        dictionary.family_types[family] = counts.most_common(1)[0][0]
    for family in STATE_FAMILIES:
        dictionary.family_types[family] = ACTOR_TYPES[1]

    for family, country, admin1, name, *_ in _rows(COUNTRY_RULES, 4):
        dictionary.country_rules[(family, country, admin1.casefold())] = name
    for words, family, country, *_ in _rows(GENERIC_MENTIONS, 3):
        for form in words.split("|"):
            key = (normalise(form), country)
            if dictionary.generic_index.get(key, family) != family:
                raise ValueError(
                    f"generic mention {form!r} has two families in {country or 'any country'}"
                )
            dictionary.generic_index[key] = family
        dictionary.family_types.setdefault(family, ACTOR_TYPES[3])

    # Index every alias; an alias row on a family base ("Islamic State") stands for the family.
    targets: dict[str, list[str]] = {
        name: list(entry.aliases) for name, entry in dictionary.entries.items()
    }
    for name, family_aliases in hand_aliases.items():
        if name not in dictionary.entries:
            if name not in dictionary.family_types:
                raise ValueError(f"alias row names {name!r}, neither an actor nor a family")
            targets[name] = [name, *family_aliases]
            dictionary.family_aliases[name] = set(family_aliases)
    for name in dictionary.entries:
        state = _STATE_NAME.match(name)
        if state and state.group("unit"):
            for alias in derived_aliases(name)[1:]:
                if alias not in hand_aliases.get(name, []):
                    key = (alias_key(alias), name)
                    dictionary.local_aliases.setdefault(key, set()).add(state.group("country"))
    for name, names_aliases in targets.items():
        for alias in names_aliases:
            if _is_acronym(alias):
                bucket = dictionary.acronym_index.setdefault(alias, [])
            else:
                bucket = dictionary.alias_index.setdefault(alias_key(alias), [])
            if name not in bucket:
                bucket.append(name)
    for alias_words, names in dictionary.alias_index.items():
        for size in range(1, len(alias_words)):
            opening = dictionary.prefix_index.setdefault(alias_words[:size], [])
            opening.extend(name for name in names if name not in opening)
    if dictionary.acronym_index:
        acronyms = sorted(dictionary.acronym_index, key=len, reverse=True)
        alternation = "|".join(re.escape(acronym) for acronym in acronyms)
        # Case-sensitive, whole words only: "IS" the group, never "is" the verb.
        dictionary.acronym_pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    return dictionary
