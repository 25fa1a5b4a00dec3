"""Places: an offline gazetteer, toponym recognition and resolution, event-place linking.

`geoparse` finds and resolves the place mentions of an article; `locate_events`
sets each event's `location` from the places its own sentences name.
"""

from __future__ import annotations

from spacy.tokens import Doc

from sitrep.models import Article, Event, Toponym


def geocode_text(text: str, doc: Doc | None = None) -> list[Toponym]:
    """Interface of the places issue (issue 4): toponyms with offsets into `text`."""
    return []


def resolve_place_name(name: str, country: str | None = None) -> Toponym | None:
    """Interface of the places issue (issue 4): one place name to its best gazetteer entry."""
    return None


def geoparse(article: Article, doc: Doc) -> list[Toponym]:
    """Interface of the places issue (issue 4)."""
    return []


def locate_events(events: list[Event], article: Article, toponyms: list[Toponym]) -> None:
    """Interface of the places issue (issue 4)."""
