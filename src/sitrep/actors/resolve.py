"""Resolve an actor mention to a canonical actor: alias table, then generic nouns, then role rules.

Every step is a table lookup (data/*.tsv) so that a resolution can be explained:
`Resolution.rule` says which table decided and `matched` which words of the
mention it matched. `resolve_actors` (the pipeline stage) writes the result into
`Event.actor1` / `Event.actor2`, keeping the raw mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal, TypeGuard

from sitrep.actors.dictionary import (
    DATA,
    STATE_FAMILIES,
    ActorDictionary,
    family_of,
    load_dictionary,
    normalise,
    state_country,
)
from sitrep.models import ACTOR_TYPES, Actor, Event

ROLE_RULES = DATA / "role_rules.tsv"
GANG_VIOLENCE = DATA / "gang_violence.tsv"
GANG_SIGNS = DATA / "gang_signs.tsv"
BATTLE_ORDER = DATA / "battle_order.tsv"
COMMUNAL_SIGNS = DATA / "communal_signs.tsv"
UNIDENTIFIED_ARMED_GROUP = "Unidentified Armed Group"
Role = Literal["actor1", "actor2"]
Rule = Literal["alias", "acronym", "generic", "unresolved"]
STATE_FORCES = ACTOR_TYPES[1]
EXTERNAL_FORCES = ACTOR_TYPES[8]
CIVILIANS = ACTOR_TYPES[7]
# Longest alias tried: aliases run to about ten words ("Islamic State of Iraq and the Levant").
MAX_ALIAS_WORDS = 12
# A mention may run on past its head: an apposition or aside after a comma, a dash or a
# semicolon ("Abu Sakib, a member of AQIS"), or a leading date the parser kept.
APPOSITION = re.compile(r"\s*(?:[,;]|\s[—–]\s)")
# An apposition that names a different actor related to the head, never the head itself.
ANOTHER_ACTOR = re.compile(
    r"^(?:the |a |an |its |their )?(?:[\w-]+ ){0,2}(?:wing|arm|branch|affiliate|ally|allies|"
    r"rivals?|partners?|successor|splinter|offshoot|leader|head|spokesman|founder|backer|sponsor)"
    r"s? of\b",
    re.IGNORECASE,
)
ARTICLES = frozenset({"The", "A", "An"})
STATE_NAME_WITHOUT_PERIOD = re.compile(r"^(?:Military Forces|Police Forces|Government) of \S")
# One-word mentions that open a sentence capitalised without being a name.
GENERIC_OPENERS = frozenset({"assailants", "attackers", "unknown", "unidentified", "someone"})
RELATIVE_CLAUSE = re.compile(r"\s(?:that|who|which|whom|whose)\b", re.IGNORECASE)
# Words (normalised) that open the target of an attack, not its agent. Every name after one of the
# first is the target's ("targeting a convoy transporting International Coalition supplies"); a name
# within a few words after one of the second is ("the vehicle of BJP candidate ...").
TARGET_VERBS = frozenset(
    {"targeting", "targetting", "targeted", "target", "against", "attacked", "attacking"}
    | {"ambushed", "ambushing", "stormed", "storming", "raided", "raiding"}
)
# The acts of violence a sentence's agent comes before ("Turkish troops killed two PKK militants").
VIOLENT_VERBS = TARGET_VERBS | {
    "killed",
    "killing",
    "wounded",
    "wounding",
    "injured",
    "injuring",
    "shot",
    "hit",
    "struck",
    "kidnapped",
    "abducted",
    "detained",
    "arrested",
    "captured",
    "clashed",
    "fired",
    "shelled",
}
# A place's name ("near Ras Karkar, West Bank") is no actor, even where a unit bears it.
TARGET_PREPOSITIONS = frozenset({"at", "on", "toward", "for", "of", "with", "into", "in", "near"})
TARGET_REACH = 3
# "a Military Police car was shot", "2 Taliban militants were wounded": the name is the patient.
PASSIVE_AUXILIARIES = frozenset({"was", "were", "been", "being"})
# The last word of a place's name, never of an actor's ("Ah Lel Sa Khan village").
PLACE_NOUNS = frozenset(
    {"village", "town", "township", "district", "province", "parish", "county", "municipality"}
    | {"city", "region", "governorate", "subdistrict", "neighborhood", "neighbourhood"}
)
# The state families that fight; "police said" names a source, not a perpetrator.
ARMED_STATE_FAMILIES = frozenset({"Military Forces", "Police Forces"})
REPORTING_VERBS = frozenset(
    {"said", "say", "told", "reported", "stated", "confirmed", "announced", "claimed"}
    | {"accused", "alleged", "blamed"}
)
# "Police responded with gunfire": the side that answers an attack is not the attacker.
RESPONSE_VERBS = frozenset({"responded", "reacted", "retaliated", "returned"})
# What opens a sentence before its subject: a heading ("Arrests:") and a date ("On 2 May 2020,").
SENTENCE_OPENING = re.compile(
    r"^\s*(?:[A-Z][\w ]{0,40}:\s*)?"
    r"(?:(?:On|Around|As reported on|As of|By|Between)\b[^,]{0,60},\s*)?"
)
UNNAMED_WORDS = frozenset({"unidentified", "unknown", "unnamed"})
FORMER_WORDS = frozenset({"former", "ex", "retired"})
# "anti-Houthi forces": the group a mention opposes.
OPPOSED = re.compile(r"\banti-[\w'’]+", re.IGNORECASE)
# A country word next to these names a sponsor, not the actor's country: "pro-Iran", "Saudi-led".
SPONSOR_BEFORE = frozenset({"pro", "anti"})
SPONSOR_AFTER = frozenset(
    {"backed", "led", "supported", "allied", "aligned", "sponsored", "funded"}
)


@dataclass(frozen=True)
class Resolution:
    """A resolved actor and why: the table that decided (`rule`) and the words it matched."""

    actor: Actor | None
    rule: Rule
    matched: str | None = None


@dataclass(frozen=True)
class RoleRule:
    family: str
    when: Literal["always", "missing"]


@cache
def load_role_rules() -> dict[tuple[str, str], RoleRule]:
    rules: dict[tuple[str, str], RoleRule] = {}
    for line in ROLE_RULES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        event_type, role, family, when = line.split("\t")
        if when not in ("always", "missing"):
            raise ValueError(f"role rule {line!r}: `when` must be always or missing")
        rules[(event_type, role)] = RoleRule(
            family=family, when="always" if when == "always" else "missing"
        )
    return rules


@cache
def load_gang_violence() -> tuple[dict[str, str], re.Pattern[str]]:
    """Country -> the gang actor of unnamed organised-crime violence, and the signs of it."""
    countries: dict[str, str] = {}
    for line in GANG_VIOLENCE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            country, name = line.split("\t")
            countries[country] = name
    signs = [
        line.strip()
        for line in GANG_SIGNS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    alternation = "|".join(re.escape(sign) for sign in sorted(signs, key=len, reverse=True))
    return countries, re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


def _gang_instead(
    actor: Actor | None, event: Event, country: str | None, dictionary: ActorDictionary
) -> Actor | None:
    """ "a man was killed in a drive-by shooting" (Mexico): the unnamed perpetrator is a gang."""
    countries, signs = load_gang_violence()
    if actor is None or country not in countries or not signs.search(event.sentence or ""):
        return actor
    if actor.name != dictionary.family_member(UNIDENTIFIED_ARMED_GROUP, country, None):
        return actor
    name = countries[country]
    if name not in dictionary.entries:
        name = dictionary.family_member(name, country, None)
    home = dictionary.country_of(name) or country
    return Actor(
        name=name, type=_type(name, home, country, dictionary), country=home, raw=actor.raw
    )


@cache
def load_communal_signs() -> tuple[tuple[re.Pattern[str], str], ...]:
    signs = []
    for line in COMMUNAL_SIGNS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sign, family = line.split("\t")
            pattern = re.compile(rf"(?<![\w-]){re.escape(sign)}(?![\w-])", re.IGNORECASE)
            signs.append((pattern, family))
    return tuple(signs)


def _communal_instead(
    actor: Actor | None, event: Event, country: str | None, dictionary: ActorDictionary
) -> Actor | None:
    """ "militias from two villages clashed over land": the unnamed group is a communal militia."""
    if actor is None or actor.name != dictionary.family_member(UNIDENTIFIED_ARMED_GROUP, country):
        return actor
    for sign, family in load_communal_signs():
        if sign.search(event.sentence or ""):
            return _family_actor(family, country, None, actor.raw, dictionary)
    return actor


def resolve_mention(
    mention: str,
    country: str | None = None,
    admin1: str | None = None,
    dictionary: ActorDictionary | None = None,
) -> Resolution:
    """Resolve one mention ("IS jihadists", "two policemen") in an event's country (ACLED's)."""
    dictionary = dictionary or load_dictionary()
    if country:
        country = dictionary.countries.canonical(country) or country
    segments = [segment.strip() for segment in APPOSITION.split(mention) if segment.strip()]
    for index, segment in enumerate(segments):
        # "the Conquest Alliance, the political wing of the Hashed" is the alliance, not the
        # Hashed; "Abu Sakib, a member of AQIS" is AQIS.
        if index and ANOTHER_ACTOR.match(segment):
            break
        resolution = _resolve_head(_without_relative_clause(segment), country, admin1, dictionary)
        if resolution is not None and resolution.actor is not None:
            actor = resolution.actor.model_copy(update={"raw": mention})
            return replace(resolution, actor=actor)
    head = _without_relative_clause(segments[0]) if segments else mention.strip()
    return Resolution(Actor(name=head, raw=mention), "unresolved")


def _without_relative_clause(text: str) -> str:
    """ "groups that US and Iraqi officials say are backed by Iran" -> "groups"."""
    relative = RELATIVE_CLAUSE.search(text)
    return text[: relative.start()].strip() if relative and relative.start() else text


def _resolve_head(
    head: str, country: str | None, admin1: str | None, dictionary: ActorDictionary
) -> Resolution | None:
    # "anti-Houthi forces", "the anti-ISIL coalition": the group opposed is not the actor.
    head = OPPOSED.sub(" ", head).strip() or head
    tokens = normalise(head)
    resolution = (
        _named(head, tokens, country, admin1, dictionary)
        or _name_cut_short(head, tokens, country, admin1, dictionary)
        or _generic(tokens, country, admin1, dictionary)
    )
    if resolution is None or resolution.actor is None or not _is_state(resolution.actor.name):
        return resolution
    # "two unidentified forces" are nobody's army; "a former police officer" serves no state.
    # "an unknown number of soldiers" are soldiers.
    following = (*tokens[1:], "")
    qualifiers = {word for word, after in zip(tokens, following, strict=True) if after != "number"}
    for words, family in ((UNNAMED_WORDS, UNIDENTIFIED_ARMED_GROUP), (FORMER_WORDS, "Civilians")):
        if words.intersection(qualifiers):
            actor = _family_actor(family, country, admin1, None, dictionary)
            return Resolution(actor, "generic", resolution.matched)
    return resolution


def _name_cut_short(
    head: str,
    tokens: tuple[str, ...],
    country: str | None,
    admin1: str | None,
    dictionary: ActorDictionary,
) -> Resolution | None:
    """A proper name that opens exactly one actor's alias: "Jamaat Nusrat" is JNIM."""
    words = tokens[1:] if tokens[:1] in (("the",), ("a",), ("an",)) else tokens
    # A name has a capital beyond a sentence-opening article: "the Cooperative", not "The police".
    capitalised = [word for word in head.split() if word[:1].isupper() and word not in ARTICLES]
    if not words or not capitalised:
        return None
    candidates = [words]
    if len(words) > 1 and any(
        (words[-1:], key) in dictionary.generic_index for key in ("", country or "")
    ):
        # "Al Hayash tribesmen": the name before a generic noun opens "Al Hayash Tribal
        # Militia (Yemen)"; not a nationality ("Afghan soldiers" are Afghanistan's army).
        # A capital past the first word: "Security forces" opening a sentence is no name.
        name_words = words[:-1]
        named = any(word[:1].isupper() for word in head.split()[1:-1])
        if named and not dictionary.countries.of_word(" ".join(name_words)):
            candidates.append(name_words)
    for opening in candidates:
        chosen: set[str] = set()
        for target in dictionary.prefix_index.get(opening, []):
            name = _choose([target], opening, country, admin1, dictionary)
            if name:
                chosen.add(name)
        if len(chosen) == 1:
            name = chosen.pop()
            return Resolution(_actor(name, head, country, dictionary), "alias", " ".join(opening))
    return None


def _ngrams(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every run of words of the mention, longest first, then left to right."""
    longest = min(len(tokens), MAX_ALIAS_WORDS)
    return [
        tokens[start : start + size]
        for size in range(longest, 0, -1)
        for start in range(len(tokens) - size + 1)
    ]


def _named(
    mention: str,
    tokens: tuple[str, ...],
    country: str | None,
    admin1: str | None,
    dictionary: ActorDictionary,
) -> Resolution | None:
    for gram in _ngrams(tokens):
        targets = dictionary.alias_index.get(gram)
        if targets:
            chosen = _choose(targets, gram, country, admin1, dictionary)
            if chosen:
                return Resolution(
                    _actor(chosen, mention, country, dictionary), "alias", " ".join(gram)
                )
    pattern = dictionary.acronym_pattern
    match = pattern.search(mention) if pattern else None
    if match:
        acronym = match.group(0)
        chosen = _choose(dictionary.acronym_index[acronym], (acronym,), country, admin1, dictionary)
        if chosen:
            return Resolution(
                _actor(chosen, mention, country, dictionary), "acronym", match.group(0)
            )
    return None


def _choose(
    targets: list[str],
    alias: tuple[str, ...],
    country: str | None,
    admin1: str | None,
    dictionary: ActorDictionary,
) -> str | None:
    """The canonical name an alias means in this country, or None when it means nothing here.

    A family base becomes its member in the country; a country rule can redirect a
    name ("Al Qaeda" in Yemen is AQAP). An alias bound to another country (the
    "Military Police" of Brazil in Turkey) does not count: the generic nouns decide.
    """
    ranked: list[tuple[int, int, str]] = []
    for target in targets:
        only_in = dictionary.local_aliases.get((alias, target))
        if only_in and country not in only_in:
            continue
        entry = dictionary.entries.get(target)
        if entry is None:
            ranked.append((0, 0, dictionary.family_member(target, country, admin1)))
            continue
        ruled = dictionary.country_rules.get((target, country or "", ""))
        if ruled:
            ranked.append((0, 0, ruled))
        elif country and entry.country == country:
            ranked.append((0, -entry.events, target))
        elif entry.country is None:
            ranked.append((1, -entry.events, target))
        else:
            ranked.append((2, -entry.events, target))
    return min(ranked)[2] if ranked else None


def _generic(
    tokens: tuple[str, ...], country: str | None, admin1: str | None, dictionary: ActorDictionary
) -> Resolution | None:
    own_country = _country_in_mention(tokens, dictionary) or country
    # Same length: the rightmost words win, as the head of an English noun phrase comes last.
    for gram in _ngrams_rightmost_first(tokens):
        family = dictionary.generic_index.get(
            (gram, own_country or "")
        ) or dictionary.generic_index.get((gram, ""))
        if family:
            name = dictionary.family_member(
                family, own_country, admin1 if own_country == country else None
            )
            # A country rule may name another country's forces ("soldiers" in Palestine).
            home = dictionary.country_of(name) or own_country
            actor = Actor(name=name, type=_type(name, home, country, dictionary), country=home)
            return Resolution(actor, "generic", " ".join(gram))
    return None


def _ngrams_rightmost_first(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    longest = min(len(tokens), MAX_ALIAS_WORDS)
    return [
        tokens[start : start + size]
        for size in range(longest, 0, -1)
        for start in range(len(tokens) - size, -1, -1)
    ]


def _country_in_mention(tokens: tuple[str, ...], dictionary: ActorDictionary) -> str | None:
    """A demonym or country name in the mention: "Afghan forces", "South Sudanese troops".

    The last word is the actor noun itself, and a sponsor ("pro-Iran", "Saudi-led") is skipped.
    """
    for size in (3, 2, 1):
        for start in range(len(tokens) - size):
            before = tokens[start - 1] if start else ""
            after = tokens[start + size]
            if before in SPONSOR_BEFORE or after in SPONSOR_AFTER:
                continue
            found = dictionary.countries.of_word(" ".join(tokens[start : start + size]))
            if found:
                return found
    return None


def _actor(
    name: str, mention: str | None, country: str | None, dictionary: ActorDictionary
) -> Actor:
    home = dictionary.country_of(name) or country
    return Actor(name=name, type=_type(name, home, country, dictionary), country=home, raw=mention)


def _type(
    name: str, home: str | None, event_country: str | None, dictionary: ActorDictionary
) -> str | None:
    """The interaction code: a state's forces abroad are external forces (ACLED's code 8)."""
    actor_type = dictionary.type_of(name)
    if _is_state(name) and actor_type in (STATE_FORCES, EXTERNAL_FORCES, None):
        abroad = home is not None and event_country is not None and home != event_country
        return EXTERNAL_FORCES if abroad else STATE_FORCES
    return actor_type


def _is_state(name: str) -> bool:
    # "Military Forces of Saudi Arabia": a state's forces even when ACLED's period is unknown
    return (
        state_country(name) is not None
        or family_of(name) in STATE_FAMILIES
        or STATE_NAME_WITHOUT_PERIOD.match(name) is not None
    )


def resolve_event_actors(event: Event, dictionary: ActorDictionary | None = None) -> None:
    """Set canonical `actor1`/`actor2` of one event, keeping each raw mention.

    The attribution is left as the event stage set it (a suspected perpetrator
    stays `suspected`), except that a thing in the perpetrator's slot ("a second
    one" of two rockets) is no stated perpetrator: the slot becomes the role
    rule's family ("Unidentified Armed Group (Iraq)") and the attribution `unknown`.
    """
    dictionary = dictionary or load_dictionary()
    location = event.location
    country = dictionary.countries.canonical(
        location.country if location else None, location.iso3 if location else None
    )
    admin1 = location.admin1 if location else None
    if country is None:
        country = _home_of_named_actors(event, dictionary)
    rules = load_role_rules()
    roles: tuple[Role, ...] = ("actor1", "actor2")
    for role in roles:
        current: Actor | None = getattr(event, role)
        mention = (current.raw or current.name) if current else None
        rule = rules.get((event.event_type or "", role))
        resolved = current
        # Without a country the family still says what the actor is ("Protesters").
        if rule and rule.when == "always":
            resolved = _family_actor(rule.family, country, admin1, mention, dictionary)
        elif mention:
            resolution = resolve_mention(mention, country, admin1, dictionary)
            resolved = resolution.actor
            if _unnamed_people_doing_violence(rule, role, resolution):
                # "a man shot dead two people", "unknown people torched the house": whoever
                # commits the violence is no civilian in ACLED's coding but an unnamed armed
                # actor, the slot's family ("Unidentified Armed Group (Mexico)").
                resolved = _family_actor(rule.family, country, admin1, mention, dictionary)
            elif resolution.rule == "unresolved" and (
                not names_someone(mention) or _names_a_place(mention, event)
            ):
                # "An explosive device", "a second one" (a rocket), "Baja California": the
                # text names no perpetrator, so it cannot have stated one either.
                if rule:
                    resolved = _family_actor(rule.family, country, admin1, mention, dictionary)
                elif _names_a_place(mention, event):
                    resolved = None
                if role == "actor1" and (rule or resolved is None):
                    if event.actor1_attribution == "stated":
                        event.actor1_attribution = "unknown"
                    named = _named_in_sentence(event, mention, country, admin1, dictionary)
                    resolved = named or resolved
        elif rule or role == "actor1":
            if rule:
                resolved = _family_actor(rule.family, country, admin1, None, dictionary)
            if role == "actor1":
                named = _named_in_sentence(event, None, country, admin1, dictionary)
                resolved = named or resolved
        if role == "actor1":
            resolved = _gang_instead(resolved, event, country, dictionary)
            resolved = _communal_instead(resolved, event, country, dictionary)
        setattr(event, role, resolved)
    if _state_comes_first(event, country):
        event.actor1, event.actor2 = event.actor2, event.actor1


@cache
def load_state_first_countries() -> frozenset[str]:
    return frozenset(
        line.strip()
        for line in BATTLE_ORDER.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def _state_comes_first(event: Event, country: str | None) -> bool:
    """Whether to swap a battle's sides so the state's forces are actor1 (battle_order.tsv)."""
    actor1, actor2 = event.actor1, event.actor2
    return (
        event.event_type == "Battles"
        and country in load_state_first_countries()
        and actor2 is not None
        and actor2.type == STATE_FORCES
        and (actor1 is None or actor1.type != STATE_FORCES)
    )


def _named_in_sentence(
    event: Event,
    mention: str | None,
    country: str | None,
    admin1: str | None,
    dictionary: ActorDictionary,
) -> Actor | None:
    """The first actor the event's sentence names by name, other than actor2.

    For an actor1 slot the event stage left empty or filled with a thing ("A shoot-out
    broke out between the Military Police and suspects", "the PMF's rocket shelling
    targeted IS gatherings"): the sentence still names who fought. A name the attack
    aims at, a name in actor2's mention, a place and a patient ("a Military Police car
    was shot") are passed over.
    """
    sentence = event.sentence or ""
    other = (event.actor2.raw or event.actor2.name) if event.actor2 else None
    excluded = resolve_mention(other, country, admin1, dictionary).actor if other else None
    other_words = " ".join(normalise(other or ""))
    words = normalise(sentence)
    for start, gram, targets in _aliases_in(sentence, dictionary):
        # "targeting a convoy of the coalition", "a protest against the SSA-N": the target's.
        if TARGET_VERBS.intersection(words[:start]) or TARGET_PREPOSITIONS.intersection(
            words[max(0, start - TARGET_REACH) : start]
        ):
            continue
        if f" {' '.join(gram)} " in f" {other_words} " or words[start - 1 : start] == ("anti",):
            continue
        after = words[start + len(gram) : start + len(gram) + TARGET_REACH]
        if PASSIVE_AUXILIARIES.intersection(after):
            continue
        name = _choose(targets, gram, country, admin1, dictionary)
        if name and not (excluded and excluded.name == name):
            return _actor(name, mention, country, dictionary)
    actor = _state_forces_in(words, country, admin1, dictionary, excluded)
    actor = actor or _state_forces_as_subject(sentence, country, admin1, dictionary, excluded)
    return actor.model_copy(update={"raw": mention}) if actor else None


def _state_forces_as_subject(
    sentence: str,
    country: str | None,
    admin1: str | None,
    dictionary: ActorDictionary,
    excluded: Actor | None,
) -> Actor | None:
    """The army or police as the sentence's subject: "On 2 May, police in X assaulted a driver".

    Only the words that open the sentence (after its date and a heading) and not before a
    passive or a report ("police said"), where they name a victim or a source instead.
    """
    opening = SENTENCE_OPENING.sub("", sentence, count=1)
    words = normalise(opening)
    if words[:1] in (("the",), ("a",)):
        words = words[1:]
    for size in range(TARGET_REACH, 0, -1):
        family = dictionary.generic_index.get((words[:size], ""))
        if family not in ARMED_STATE_FAMILIES or len(words) <= size:
            continue
        after = words[size : size + TARGET_REACH]
        if (PASSIVE_AUXILIARIES | REPORTING_VERBS | RESPONSE_VERBS).intersection(after):
            return None
        resolution = _generic(words[:size], country, admin1, dictionary)
        actor = resolution.actor if resolution else None
        if actor is not None and (excluded is None or excluded.name != actor.name):
            return actor
        return None
    return None


def _state_forces_in(
    words: tuple[str, ...],
    country: str | None,
    admin1: str | None,
    dictionary: ActorDictionary,
    excluded: Actor | None,
) -> Actor | None:
    """A state's forces named by their country before the sentence's first act of violence.

    "Israeli forces stormed the camp", "Saudi rocket and artillery shelling was reported";
    not "gunmen killed two Afghan soldiers".
    """
    for start in range(len(words)):
        if VIOLENT_VERBS.intersection(words[:start]):
            return None
        if TARGET_PREPOSITIONS.intersection(words[max(0, start - TARGET_REACH) : start]):
            continue
        if not dictionary.countries.of_word(words[start]) or words[start - 1 : start] == ("anti",):
            continue
        window = words[start : start + 1 + TARGET_REACH]
        resolution = _generic(window, country, admin1, dictionary)
        actor = resolution.actor if resolution else None
        if actor is None or not _is_state(actor.name):
            continue
        if excluded is None or excluded.name != actor.name:
            return actor
    return None


def _aliases_in(
    text: str, dictionary: ActorDictionary
) -> list[tuple[int, tuple[str, ...], list[str]]]:
    """Every alias and acronym in a text, by the word it starts at, the longest at each word."""
    tokens = normalise(text)
    found: list[tuple[int, tuple[str, ...], list[str]]] = []
    for start in range(len(tokens)):
        for size in range(min(MAX_ALIAS_WORDS, len(tokens) - start), 0, -1):
            gram = tokens[start : start + size]
            if gram in dictionary.alias_index:
                found.append((start, gram, dictionary.alias_index[gram]))
                break
    if dictionary.acronym_pattern:
        for match in dictionary.acronym_pattern.finditer(text):
            acronym = match.group(0)
            start = len(normalise(text[: match.start()]))
            found.append((start, (acronym,), dictionary.acronym_index[acronym]))
    return sorted(found, key=lambda item: item[0])


def _names_a_place(mention: str, event: Event) -> bool:
    """Whether a mention is a place, not an actor: the event's own place, or "X village"."""
    words = _without_relative_clause(APPOSITION.split(mention, maxsplit=1)[0]).split()
    if words and words[-1].casefold() in PLACE_NOUNS:
        return True
    location = event.location
    head = " ".join(words).casefold()
    places = (location.name, location.admin1, location.country) if location else ()
    return any(place and head == place.casefold() for place in places)


def _unnamed_people_doing_violence(
    rule: RoleRule | None, role: Role, resolution: Resolution
) -> TypeGuard[RoleRule]:
    """Whether actor1 of a violent event is a generic word for people ("a man", "four men")."""
    return (
        role == "actor1"
        and rule is not None
        and rule.when == "missing"
        and resolution.rule == "generic"
        and resolution.actor is not None
        and resolution.actor.type == CIVILIANS
    )


def _home_of_named_actors(event: Event, dictionary: ActorDictionary) -> str | None:
    """Where an unplaced event most likely was: the home of a group it names by name.

    "the NAF rebel forces fired at the governmental positions" is in Ukraine, so its
    victims are "Civilians (Ukraine)". A state's forces abroad (typed External/Other
    Forces: Turkish troops fight in Syria) and generic nouns say nothing of the place.
    """
    for current in (event.actor1, event.actor2):
        mention = (current.raw or current.name) if current else None
        if not mention:
            continue
        resolution = resolve_mention(mention, None, None, dictionary)
        actor = resolution.actor
        if resolution.rule not in ("alias", "acronym") or actor is None or not actor.country:
            continue
        entry = dictionary.entries.get(actor.name)
        if entry is not None and entry.country and entry.type != EXTERNAL_FORCES:
            return entry.country
    return None


def names_someone(mention: str) -> bool:
    """Whether a mention holds a proper name: a capitalised word after its first word."""
    head = _without_relative_clause(APPOSITION.split(mention, maxsplit=1)[0])
    words = head.split()[1:]
    return any(word[:1].isupper() for word in words) or (
        len(head.split()) == 1 and head[:1].isupper() and head.lower() not in GENERIC_OPENERS
    )


def _family_actor(
    family: str,
    country: str | None,
    admin1: str | None,
    mention: str | None,
    dictionary: ActorDictionary,
) -> Actor:
    name = dictionary.family_member(family, country, admin1)
    home = dictionary.country_of(name) or country
    return Actor(name=name, type=_type(name, home, country, dictionary), country=home, raw=mention)
