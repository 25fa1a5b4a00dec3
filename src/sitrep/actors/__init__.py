"""Actors: canonical names, types and countries for the actors of each event.

The last coding stage of the pipeline (pipeline.py): each event's `actor1` and
`actor2` arrive as raw mentions from the event stage and leave with ACLED's
canonical name, interaction type and country (dictionary.py, resolve.py, the
tables in data/). The store and `sitrep actors` use the same dictionary to match
`--actor NAME` queries against canonical names and aliases (query.py).
"""

from __future__ import annotations

from sitrep.actors.dictionary import ActorDictionary, ActorEntry, load_dictionary
from sitrep.actors.query import (
    actor_matches,
    actor_name_matches,
    canonical_names_matching,
    is_named_actor,
)
from sitrep.actors.resolve import Resolution, resolve_event_actors, resolve_mention
from sitrep.models import Event

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "Resolution",
    "actor_matches",
    "actor_name_matches",
    "canonical_names_matching",
    "is_named_actor",
    "load_dictionary",
    "resolve_actors",
    "resolve_event_actors",
    "resolve_mention",
]


def resolve_actors(events: list[Event]) -> None:
    """Give every event's actors their canonical name, type and country (in place)."""
    dictionary = load_dictionary()
    for event in events:
        resolve_event_actors(event, dictionary)
