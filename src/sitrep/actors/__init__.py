"""Actors: canonical names, types and countries for the actors of each event."""

from __future__ import annotations

from sitrep.models import Event


def resolve_actors(events: list[Event]) -> None:
    """Interface of the actors issue (issue 8)."""
