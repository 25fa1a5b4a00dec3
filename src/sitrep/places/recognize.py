"""Toponym recognition: spaCy's place entities, gazetteer matches and curated site names.

`find_mentions` returns place mentions with character offsets into the text
and the cues around them ("X province", "near X", "from X") that resolution
(`sitrep.places.resolve`) and event linking (`sitrep.places.link`) read.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from sitrep.places.fold import fold
from sitrep.places.gazetteer import Gazetteer

DATA_DIR = Path(__file__).parent / "data"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Words that may sit inside a multi-word place name without a capital ("Beir al-Abd").
NAME_CONNECTORS = frozenset(
    {
        "of",
        "al",
        "el",
        "de",
        "del",
        "la",
        "le",
        "-",
        "ad",
        "ar",
        "as",
        "an",
        "ash",
        "at",
        "az",
        "du",
        "des",
        "da",
        "dos",
        "do",
        "on",
        "upon",
        "bin",
        "ibn",
        "e",  # the Persian ezafe ("Kut e Abdollah", "Masjed e Soleyman")
        "'s",
        "the",  # "Democratic Republic of the Congo"
        "and",  # "Trinidad and Tobago": only whole gazetteer names are kept
    }
)
LONGEST_NAME_TOKENS = 6
_NOT_PLACE_ENTITIES = frozenset(
    {
        "DATE",
        "TIME",
        "CARDINAL",
        "ORDINAL",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "PRODUCT",
    }
)
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE|An|AN|A)\s+")
# English articles never start a name, even where the gazetteer's folding drops
# an Arabic "an" ("An Albany man" is a man of Albany; "An MoD spokesman").
_ENGLISH_ARTICLES = frozenset({"a", "an", "the"})
_TRAILING_POSSESSIVE = re.compile(r"(?:'s|’s|'|-+|–)$")
_NEAR = re.compile(
    r"(?:\bnear|\boutside|\boutskirts of|\bnorth of|\bsouth of|\beast of|\bwest of|"
    r"\bkm from|\bkilometres from|\bkilometers from|\bmiles from|\bclose to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass
class Mention:
    """A place name in a text, before resolution."""

    start: int
    end: int
    text: str
    source: str  # "ner", "gazetteer", "site", "dateline" or "demonym"
    kind: str | None = None  # "admin", "admin2" or "town" from a cue word after the name
    entity: str = ""  # spaCy's entity label of the name's first word ("ORG", "PERSON", "")
    lookup: str | None = None  # the name looked up, if not the text ("Oakport" of "Oakport Twp.")
    near: bool = False  # "near X", "outside X": the place is close to X, not X itself
    not_here: bool = False  # "from X", "a visit to X": X is not where the sentence happens
    locative: bool = False  # "in X", "the village of X", "X district": the words say X is a place
    context_only: bool = False  # "W.Va. 61": a road's state, read as the story's context only
    town_body: bool = False  # "Laconia police", "a Paris man", "Whitestown Town Hall": a town
    in_dateline: bool = False  # "NEW YORK (AP) —": a dateline names a town, not its state

    @property
    def name(self) -> str:
        """The name that resolution looks up."""
        return self.lookup or self.text


@lru_cache(maxsize=1)
def common_word_places() -> frozenset[str]:
    """Folded place names that are also ordinary words; matched only when spaCy agrees."""
    lines = (DATA_DIR / "common_word_places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line) for line in lines if line.strip() and not line.startswith("#"))


def _tsv(file_name: str) -> list[dict[str, str]]:
    with (DATA_DIR / file_name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@lru_cache(maxsize=1)
def place_cues() -> dict[str, str]:
    """Cue word after a name -> the kind of place it says ("province" -> "admin")."""
    return {row["cue"]: row["kind"] for row in _tsv("place_cues.tsv")}


@lru_cache(maxsize=1)
def _not_here_pattern() -> re.Pattern[str]:
    cues = sorted((row["cue"] for row in _tsv("not_here_cues.tsv")), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, cues)) + r")\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=1)
def _site_pattern() -> re.Pattern[str]:
    """Every curated site and region name, longest first, as one case-insensitive pattern."""
    names: set[str] = set()
    for file_name in ("sites.tsv", "regions.tsv"):
        for row in _tsv(file_name):
            names.add(row["name"])
            names.update(filter(None, row["alternates"].split("|")))
    alternatives = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(name).replace(r"\ ", r"[\s-]+") for name in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def find_mentions(text: str, doc: Doc, gazetteer: Gazetteer) -> list[Mention]:
    """Place mentions of `text` (which `doc` parsed), without overlaps, in text order."""
    found: list[Mention] = []
    for match in _site_pattern().finditer(text):
        # "the Middle East": the name is the mention, not its article; "central
        # Asia", "east Africa" are the continent with a word before it.
        site = _trimmed(text, match.start(), match.end(), "site")
        if site and site.text[0].isupper():
            found.append(site)
    person = _person_tokens(doc, gazetteer)
    full_name_words = {
        t.lower_
        for e in doc.ents
        if e.label_ == "PERSON" and len(e) > 1 and not _is_a_major_place(text, e, gazetteer)
        for t in e
    } - {t.lower_ for e in doc.ents if e.label_ in PLACE_LABELS and len(e) > 1 for t in e}
    for entity in doc.ents:
        if entity.label_ in PLACE_LABELS:
            if len(entity) == 1 and (
                entity.start in person
                or _after_a_title(doc, entity[0])
                or entity[0].lower_ in full_name_words
                or _heads_an_administration(doc, entity[0])
                or (_speaks(doc, entity[0]) and not _names_a_major_place(entity.text, gazetteer))
                or _named_as_kin(doc, entity[0])
            ):
                continue  # "coach Ripley", "Nadia Moayyad … Nadia", "Petrova said"
            if entity.label_ != "GPE" and fold(entity.text) in common_word_places():
                continue  # "the Gulf", "the North's government": a common word as an area
            mention = _trimmed(text, entity.start_char, entity.end_char, "ner")
            if mention and gazetteer.is_known(mention.text):
                found.append(mention)
    found.extend(_gazetteer_matches(text, doc, gazetteer, full_name_words))
    found.extend(_dateline_mentions(text, gazetteer))
    found.extend(_county_list_mentions(text, gazetteer))
    found.extend(m for m in _demonym_mentions(text) if not _names_a_person_or_tongue(doc, m))
    kept = _without_overlaps(found)
    datelines = {(m.start(1), m.end(1)) for m in _DATELINE.finditer(text)}
    suffixes = name_suffixes()
    named: list[Mention] = []
    for mention in kept:
        following = _SUFFIX_WORD.match(text, mention.end)
        effect = suffixes.get(following.group(1)) if following else None
        if effect == "drop" and mention.source != "site":
            continue  # "Flanders Road", "Webb Center"
        if effect == "extend" and following and not _CAPITAL_NEXT.match(text, following.end()):
            stop = following.end()
            if text[stop - 1] == "." and len(following.group(1)) > 4:
                stop -= 1  # "Washington Township." ends a sentence; "Twp." is an abbreviation
            whole = text[mention.start : stop]
            mention.lookup = None if gazetteer.is_known(whole) else mention.name
            mention.kind = place_cues().get(following.group(1).lower(), mention.kind)
            mention.end, mention.text = stop, whole
        if (
            mention.text.endswith(" City")
            and _CAPITAL_NEXT.match(text, mention.end)
            and gazetteer.is_known(mention.text[: -len(" City")])
        ):
            # "Dublin City Schools", "Springfield City Council": the town's name.
            mention.end -= len(" City")
            mention.text = text[mention.start : mention.end]
        if mention.source != "demonym" and (full_stop := _abbreviation_end(text, mention)):
            mention.end, mention.text = full_stop, text[mention.start : full_stop]
        # "W.Va. 61", "KY 52": a numbered highway, though its state is still context.
        mention.context_only = _names_a_state_route(text, mention)
        mention.in_dateline = (mention.start, mention.end) in datelines
        _read_cues(text, mention, gazetteer)
        named.append(mention)
    return named


_CAPITAL_DISTRICT = re.compile(r" D\.C\.(?![\w.])")
_AFTER_FULL_STOP = re.compile(r"\.[ \t]*[a-z]")
_DOTTED = re.compile(r"(?:[A-Z][a-z]{0,3}\.)+[A-Z][a-z]{0,3}")


def _abbreviation_end(text: str, mention: Mention) -> int | None:
    """Where an abbreviated name really ends: its full stop ("W.Va.", "Phila. man",
    "Calif.") or the District after the capital ("Washington D.C."; after a comma
    the District is a name of its own)."""
    if mention.text == "Washington" and (district := _CAPITAL_DISTRICT.match(text, mention.end)):
        return district.end()
    if not text.startswith(".", mention.end):
        return None
    dotted = bool(_DOTTED.fullmatch(mention.text))
    abbreviated = dotted or f"{mention.text}." in _state_abbreviations()
    short = len(mention.text) <= 5 and bool(_AFTER_FULL_STOP.match(text, mention.end))
    return mention.end + 1 if abbreviated or short else None


_ROUTE_NUMBER = re.compile(r"[ \t]+\d{1,3}(?![\d,.:/-]\d)\b")
# Postal codes written before a route number ("KY 52", "NC 9"): a state's road.
_POSTAL_CODE = re.compile(r"[A-Z]{2}")


def _names_a_state_route(text: str, mention: Mention) -> bool:
    """ "W.Va. 61", "Ky. 80", "KY 52": an abbreviated state before a number is a highway.

    Only abbreviations: "Ohio 45, Michigan 23" is a score of two teams."""
    if not _ROUTE_NUMBER.match(text, mention.end):
        return False
    return mention.text in _state_abbreviations() or bool(_POSTAL_CODE.fullmatch(mention.text))


@lru_cache(maxsize=1)
def _state_abbreviations() -> frozenset[str]:
    return frozenset(row["abbreviation"] for row in _tsv("us_state_abbreviations.tsv"))


# A capitalised word right after a name, with an abbreviation's full stop ("Twp.").
_SUFFIX_WORD = re.compile(r"[ \t]+([A-Z][a-z]+)(?:\.(?=\s|$))?(?![\w-])")
_CAPITAL_NEXT = re.compile(r"[ \t]+[A-Z]")


@lru_cache(maxsize=1)
def name_suffixes() -> dict[str, str]:
    """Capitalised word after a name -> "drop" (a street, a building) or "extend" (part of it)."""
    return {row["word"]: row["effect"] for row in _tsv("name_suffixes.tsv")}


# "… maintenance. TORRINGTON — City Council": a capitalised place opening a story
# (or a sentence after the headline) before a dash is the story's dateline.
_DATELINE = re.compile(
    r"(?:^|(?<=[.!?\"”]\s)|(?<=\n))"
    r"([A-Z][A-Z'.]+(?:[ -][A-Z][A-Z'.]+){0,3})"
    r"(?=(?:,[ \t]*[A-Z][A-Za-z.]{1,12})?(?:[ \t]*\([A-Za-z]{2,10}\))?[ \t]*(?:—|--|–|-|:)\s)"
)


def _dateline_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Dateline places in capitals ("TORRINGTON —"): spaCy rarely tags them, and they are small."""
    stop = common_word_places()
    return [
        Mention(m.start(1), m.end(1), m.group(1), "dateline")
        for m in _DATELINE.finditer(text)
        if fold(m.group(1)) not in stop and gazetteer.is_known(m.group(1))
    ]


_COUNTY_NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?"
_COUNTY_LIST = re.compile(
    rf"(?:{_COUNTY_NAME}(?:,\s+|,?\s+and\s+|\s*/\s*))+{_COUNTY_NAME}\s+(counties|parishes)\b"
)
_LISTED = re.compile(_COUNTY_NAME)
_COUNTY_WORD = {"counties": "County", "parishes": "Parish"}


def _county_list_mentions(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """ "Barrow, Jackson and Madison counties": each name is a county (looked up as one)."""
    mentions: list[Mention] = []
    for listing in _COUNTY_LIST.finditer(text):
        word = _COUNTY_WORD[listing.group(1)]
        for name in _LISTED.finditer(text, listing.start(), listing.start(1)):
            county = f"{name.group(0)} {word}"
            if name.group(0) != "and" and gazetteer.is_known(county):
                mention = Mention(name.start(), name.end(), name.group(0), "county", "admin2")
                mention.lookup = county
                mentions.append(mention)
    return mentions


def _trimmed(text: str, start: int, end: int, source: str) -> Mention | None:
    span = text[start:end]
    if article := _LEADING_ARTICLE.match(span):
        start += article.end()
    span = text[start:end]
    if possessive := _TRAILING_POSSESSIVE.search(span):
        end -= len(possessive.group(0))
    if end <= start:
        return None
    return Mention(start, end, text[start:end], source)


def _is_capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


def _gazetteer_matches(
    text: str, doc: Doc, gazetteer: Gazetteer, full_name_words: set[str]
) -> list[Mention]:
    """Longest capitalised token runs that the gazetteer knows, skipping people's names.

    A lone word of a full name elsewhere in the story ("Emilie Holroyd …
    Holroyd served") or a leader before "administration" is the person, unless
    a place preposition stands before it ("moved to Jackson").
    """
    stop = common_word_places()
    person = _person_tokens(doc, gazetteer)
    matches: list[Mention] = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if not _is_capitalised(token) or token.i in person or token.lower_ in _ENGLISH_ARTICLES:
            i += 1
            continue
        matched = False
        for j in range(min(len(doc), i + LONGEST_NAME_TOKENS), i, -1):
            tokens = doc[i:j]
            if not _is_capitalised(tokens[-1]) or any(
                not _is_capitalised(t) and t.lower_ not in NAME_CONNECTORS for t in tokens
            ):
                continue
            if any(t.i in person for t in tokens):
                continue
            start, end = tokens.start_char, tokens.end_char
            # A dash glued to the name ("PLEASANTON, Calif.--") is punctuation.
            end -= len(text[start:end]) - len(text[start:end].rstrip("-–—"))
            name = text[start:end]
            if fold(name) in stop:
                continue
            # A lone word must be a proper noun outside dates, numbers and the
            # tail of an organisation's name ("Conquest Alliance" is no town).
            if len(tokens) == 1 and (
                _reads_as_a_person(doc, token)
                or (
                    (token.lower_ in full_name_words or _heads_an_administration(doc, token))
                    and not _after_a_place_preposition(doc, token)
                    and not _names_a_country_or_state(token.text, gazetteer)
                )
                or token.pos_ != "PROPN"
                or token.is_stop
                or (
                    token.ent_type_ in _NOT_PLACE_ENTITIES
                    and not _mistagged_place(doc, token)
                    # No product or date is called "Mauritius": the small model's mistake.
                    and not _names_a_country(token.text, gazetteer)
                )
                or (token.ent_type_ == "ORG" and not _heads_organisation(doc, token))
            ):
                continue
            if gazetteer.is_known(name):
                matches.append(Mention(start, end, name, "gazetteer", entity=token.ent_type_))
                i = j
                matched = True
                break
        if not matched:
            i += 1
    return matches


PERSON_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "president",
        "senator",
        "judge",
        "coach",
        "officer",
        "sgt",
        "lt",
        "capt",
        "chief",
        "director",
        "minister",
        "mayor",
        "sheriff",
    }
)


SPEECH_VERBS = frozenset({"say", "tell", "add", "explain", "note", "write", "recall", "ask"})


def _reads_as_a_person(doc: Doc, token: Token) -> bool:
    """ "Sen. Ripley", "Hughes said": a lone name with a title before it or a speech verb after.

    Any other verb proves nothing: towns try, plan, report and raise goals
    ("Fargo tried to speed up the dike-building").
    """
    return _after_a_title(doc, token) or _speaks(doc, token) or _named_as_kin(doc, token)


def _speaks(doc: Doc, token: Token) -> bool:
    """ "Petrova said", "Nadia Moayyad said": a name (and a capitalised surname after
    it) before a speech verb, unless a place preposition stands before it ("doctors
    in Montpellier said")."""
    if _after_a_place_preposition(doc, token):
        return False
    after = token.i + 1
    if (
        after < len(doc)
        and token.is_alpha
        and _is_capitalised(doc[after])
        and doc[after].pos_ == "PROPN"
        and not doc[after].is_sent_start
    ):
        after += 1  # "Adrian Dunbar added", not "Harrisburg, Pa. Smith said"
    return after < len(doc) and doc[after].lemma_ in SPEECH_VERBS


# Kinship words before a first name in apposition: "his wife, Julia", "girlfriend Olivia".
KIN_WORDS = frozenset(
    {
        "wife",
        "husband",
        "son",
        "sons",
        "daughter",
        "daughters",
        "brother",
        "sister",
        "mother",
        "father",
        "girlfriend",
        "boyfriend",
        "fiancée",
        "fiancee",
        "fiancé",
        "partner",
        "widow",
        "grandson",
        "granddaughter",
    }
)


def _named_as_kin(doc: Doc, token: Token) -> bool:
    """ "Rozen's wife, Julia", "daughters North and Chicago": a name right after a kinship
    word (with a comma, or as the second of two names joined by "and")."""
    i = token.i - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
    elif i >= 1 and doc[i].lower_ == "and" and _is_capitalised(doc[i - 1]):
        i -= 2
    return i >= 0 and doc[i].lower_ in KIN_WORDS


def _heads_an_administration(doc: Doc, token: Token) -> bool:
    """ "the Obama administration": a leader's name, not a town."""
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return after is not None and after.lower_ == "administration"


def _after_a_title(doc: Doc, token: Token) -> bool:
    before = doc[token.i - 1].lower_.rstrip(".") if token.i > 0 else ""
    return before in PERSON_TITLES


def _heads_organisation(doc: Doc, token: Token) -> bool:
    """A place that names an organisation ("the Minnesota Department of Transportation",
    "University of Nebraska") rather than the tail of one ("Conquest Alliance")."""
    if token.ent_iob_ == "B":
        return True
    previous = doc[token.i - 1]
    return previous.ent_type_ == "ORG" and (
        (previous.ent_iob_ == "B" and previous.lower_ in {"the", "a", "an"})
        or previous.lower_ == "of"
    )


def _person_tokens(doc: Doc, gazetteer: Gazetteer) -> set[int]:
    """Tokens of people's names.

    The small spaCy model tags many lone town names as PERSON ("Alexandria
    police"); a lone PERSON word counts as a person only when it is also part
    of a full name in the story ("Bob Hughes … Hughes said") or is followed by
    a speech verb. A "full name" that is wholly a country, a state or a city
    ("Sri Lanka's former president", "in Ciudad Juarez") is the place.
    """
    text = doc.text
    full_names = [
        e
        for e in doc.ents
        if e.label_ == "PERSON"
        and len(e) > 1
        and not (_in_place_chain(text, e.start_char, e.end_char) and not _in_a_list_of_people(e))
        and not _is_a_major_place(text, e, gazetteer)
    ]
    name_words = {t.lower_ for e in full_names for t in e}
    tokens = {t.i for e in full_names for t in e}
    for entity in doc.ents:
        if entity.label_ == "PERSON" and len(entity) == 1:
            following = doc[entity.end] if entity.end < len(doc) else None
            speaks = following is not None and following.lemma_ in {"say", "tell", "add"}
            if entity[0].lower_ in name_words or speaks:
                tokens.add(entity.start)
    return tokens


# A city this size is what a two-word "person" means when the words are wholly its name.
MAJOR_PLACE_POPULATION = 100_000


def _is_a_major_place(text: str, entity: Span, gazetteer: Gazetteer) -> bool:
    """Whether an entity's words (less a possessive) are wholly the name of a country,
    a state or a big city: no person is called "Sri Lanka" or "Ciudad Juarez"."""
    mention = _trimmed(text, entity.start_char, entity.end_char, "ner")
    if mention is None or fold(mention.text) in common_word_places():
        return False
    return any(
        place.feature in ("PCLI", "ADM1") or place.population >= MAJOR_PLACE_POPULATION
        for place in gazetteer.candidates(mention.text)
        if place.by_main_name
    )


# Prepositions after which a lone proper noun that spaCy calls a date or a
# product ("captured in Chattanooga", "forces in Manbij") is a place.
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "from", "to", "into"})


def _names_a_major_place(name: str, gazetteer: Gazetteer) -> bool:
    """A country, a state or a big city: "Russia said", "Washington said" are metonyms."""
    return any(
        p.by_main_name and (p.feature in ("PCLI", "ADM1") or p.population >= MAJOR_PLACE_POPULATION)
        for p in gazetteer.candidates(name)
    )


def _names_a_country(name: str, gazetteer: Gazetteer) -> bool:
    return fold(name) not in common_word_places() and any(
        p.feature == "PCLI" and p.by_main_name for p in gazetteer.candidates(name)
    )


def _names_a_country_or_state(name: str, gazetteer: Gazetteer) -> bool:
    return any(p.feature in ("PCLI", "ADM1") and p.by_main_name for p in gazetteer.candidates(name))


def _after_a_place_preposition(doc: Doc, token: Token) -> bool:
    return token.i > 0 and doc[token.i - 1].lower_ in _PLACE_PREPOSITIONS


def _mistagged_place(doc: Doc, token: Token) -> bool:
    """A one-word DATE, PRODUCT… entity right after a place preposition and before
    no other name: the small model's mistake for a town ("in Manbij near the border")."""
    if not _after_a_place_preposition(doc, token):
        return False
    single = token.ent_iob_ == "B" and (token.i + 1 >= len(doc) or doc[token.i + 1].ent_iob_ != "I")
    return single and token.lower_ not in common_word_places()


def _in_a_list_of_people(entity: Span) -> bool:
    """ "Boyd J. Jones, Marsha J. Moore, Cathy Shannon": a comma chain of names with an
    initial or beside another full name is a list of people, not of places."""
    doc = entity.doc
    if any(len(t.text) <= 3 and t.text.endswith(".") and t.text[0].isupper() for t in entity):
        return True
    neighbours = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
    return any(0 < e.start - entity.end <= 1 or 0 < entity.start - e.end <= 1 for e in neighbours)


_CHAIN_BEFORE = re.compile(r"(?:,|\bin|\bat|\bnear)\s*$")
_CHAIN_AFTER = re.compile(r"\s*,\s+[A-Z]")


def _in_place_chain(text: str, start: int, end: int) -> bool:
    """ "…, Ras al-Ain, Al Hasakah, Syria": a name inside a comma chain of places is no person."""
    return bool(_CHAIN_BEFORE.search(text[max(0, start - 8) : start])) and bool(
        _CHAIN_AFTER.match(text, end)
    )


_SOURCE_RANK = {"site": 0, "county": 0, "ner": 1, "dateline": 1, "demonym": 2, "gazetteer": 3}


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest mention where several overlap; sites, then spaCy, break ties."""
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), _SOURCE_RANK[m.source]))
    kept: list[Mention] = []
    for mention in ordered:
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|outside|around|across|into|toward|towards|through|"
    r"(?:village|town|city|district|province|region|area|outskirts|suburb) of)"
    r"|,)\s+(?:the\s+)?$"
)


# What only a town has or is the home of, right after its name: its police, council,
# town hall and library, and its people ("a Laconia man", "Dublin residents").
_TOWN_BODY = re.compile(
    r"[ \t]+(?:[Pp]olice|[Ff]irefighters|City Council|Town Council|Town Hall|City Hall"
    r"|Public Library|Township|[Rr]esidents|man|woman|teen|boy|girl|native)\b(?![ \t]+[A-Z])"
)


def _read_cues(text: str, mention: Mention, gazetteer: Gazetteer) -> None:
    """Set the kind cue after the name and the near / not-here cues before it."""
    if following := _NEXT_WORD.match(text, mention.end):
        cue = following.group(1).lower()
        kind = place_cues().get(cue)
        if kind:
            mention.kind = kind
            # "Avoyelles Parish" is itself a gazetteer name: take the whole of it.
            stop = following.end()
            if text[stop - 1] == "." and len(following.group(1)) > 4:
                stop -= 1  # "Washington Township." ends a sentence; "Twp." is an abbreviation
            whole = text[mention.start : stop]
            if kind != "town" and following.group(1)[0].isupper() and gazetteer.is_known(whole):
                mention.end, mention.text = stop, whole
    mention.town_body = bool(_TOWN_BODY.match(text, mention.end))
    mention.near = is_near(text, mention.start)
    mention.not_here = is_not_here(text, mention.start)
    mention.locative = bool(
        mention.kind or _LOCATIVE.search(text[max(0, mention.start - 30) : mention.start])
    )


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """ "Iraqi" -> "IQ": adjectives and nouns of nationality and the country they name."""
    return {row["demonym"]: row["country"] for row in _tsv("demonyms.tsv")}


@lru_cache(maxsize=1)
def demonym_pattern() -> re.Pattern[str]:
    words = sorted(demonyms(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, words)) + r")s?(?![\w])")


def _demonym_mentions(text: str) -> list[Mention]:
    """Nationality adjectives: LGL and GeoWebNews annotate "Georgian", "Sudanese" as the country.

    Only the adjective itself is the mention; resolution maps it to the country.
    A plural ("Canadians") names people, which GeoWebNews and GeoVirus never count.
    """
    return [
        Mention(m.start(), m.end(), m.group(0), "demonym")
        for m in demonym_pattern().finditer(text)
        if m.group(1) not in {"US", "U.S."}  # abbreviations are country names, found already
        and m.group(0) == m.group(1)  # "Canadians", "Saudis": people, not the country
    ]


def _names_a_person_or_tongue(doc: Doc, mention: Mention) -> bool:
    """ "Monica French", "speaks Spanish": a nationality word in a person's full name
    or that spaCy reads as a language."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    token = span[0]
    in_full_name = token.ent_type_ == "PERSON" and any(
        e.label_ == "PERSON" and len(e) > 1 and e.start <= token.i < e.end for e in doc.ents
    )
    return in_full_name or token.ent_type_ == "LANGUAGE"


def is_near(text: str, start: int) -> bool:
    """Whether the words before `start` say "near", "outside", "north of"…"""
    return bool(_NEAR.search(text[max(0, start - 40) : start]))


def is_not_here(text: str, start: int) -> bool:
    """Whether the words before `start` make the place an origin or a trip ("from X")."""
    return bool(_not_here_pattern().search(text[max(0, start - 40) : start]))


_CURRENCY = re.compile(
    r"\s+(?:dollars?|pounds?|lira|liras|euros?|dinars?|rials?|riyals?|pesos?|rupees?|yuan|"
    r"roubles?|rubles?|francs?|shillings?|nairas?|cedis?|kwachas?|birr|afghanis?)\b",
    re.IGNORECASE,
)


def names_a_currency(text: str, end: int) -> bool:
    """Whether a currency word follows a country's name ending at `end` ("the US dollar")."""
    return bool(_CURRENCY.match(text, end))
