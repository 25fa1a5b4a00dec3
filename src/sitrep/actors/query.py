"""Questions asked of the actor dictionary by the store, the CLI and the evaluation.

`canonical_names_matching` expands an `--actor NAME` query into the canonical
names whose name or aliases contain it, and `actor_name_matches` tests one stored
name against such a query; `actor_matches` says whether a coded
name and another dataset's name (GTD's `gname`) are the same actor;
`is_named_actor` tells a named group from a generic one ("Unidentified Armed
Group (Iraq)", "Civilians (Iraq)").
"""

from __future__ import annotations

from sitrep.actors.dictionary import ActorDictionary, family_of, load_dictionary, normalise


def _contains(words: tuple[str, ...], query: tuple[str, ...]) -> bool:
    # Every word of the query, in any order: "police iraq" finds "Police Forces of Iraq (2018-)".
    return set(query) <= set(words)


def canonical_names_matching(query: str, dictionary: ActorDictionary | None = None) -> set[str]:
    """Canonical names whose name or any alias contains all the query's words.

    "isis" gives every "Islamic State (...)" branch; "police iraq" gives
    "Police Forces of Iraq (2018-)"; "PMF" gives ACLED's Popular Mobilization
    Forces name. Acronyms match regardless of case here: a user typed them.
    """
    dictionary = dictionary or load_dictionary()
    words = normalise(query)
    if not words:
        return set()
    found: set[str] = set()
    for name in dictionary.entries:
        if _contains(normalise(name), words) or any(
            _contains(normalise(alias), words) for alias in dictionary.aliases_of(name)
        ):
            found.add(name)
    return found


def actor_name_matches(query: str, name: str, dictionary: ActorDictionary | None = None) -> bool:
    """Whether a stored actor name answers an `--actor` query, by its words or its aliases.

    Unlike `canonical_names_matching` this also answers for names formed at run
    time and absent from the dictionary ("Police Forces of Iraq (2018-)",
    "Islamic State (Mali)"): their family's aliases count.
    """
    dictionary = dictionary or load_dictionary()
    words = normalise(query)
    if not words:
        return False
    return _contains(normalise(name), words) or any(
        _contains(normalise(alias), words) for alias in dictionary.aliases_of(name)
    )


def actor_matches(
    coded: str | None, other: str | None, dictionary: ActorDictionary | None = None
) -> bool:
    """True when `other` is the coded name or one of its aliases (case and spelling folded)."""
    if not coded or not other:
        return False
    dictionary = dictionary or load_dictionary()
    target = normalise(other)
    return normalise(coded) == target or any(
        normalise(alias) == target for alias in dictionary.aliases_of(coded)
    )


def is_named_actor(name: str | None, dictionary: ActorDictionary | None = None) -> bool:
    """True for a dictionary actor; False for none, generic families and unresolved mentions."""
    if not name:
        return False
    dictionary = dictionary or load_dictionary()
    generic_families = set(dictionary.generic_index.values())
    family = family_of(name)
    if family in generic_families or name in generic_families:
        return False
    # A mention nothing in the dictionary matched ("An explosion") names no known group.
    return name in dictionary.entries or family in dictionary.family_types
