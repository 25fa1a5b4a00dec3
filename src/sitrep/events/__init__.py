"""Event coding: which sentences report a specific happening, and its fields.

`code_events` returns `Event` records with type, status, arguments, casualties,
evidence and `sentence_spans`; dates, places and actors are filled by later stages.
"""

from __future__ import annotations

from spacy.tokens import Doc

from sitrep.models import Article, Event


def code_events(article: Article, doc: Doc) -> list[Event]:
    """Interface of the event-coding issue (issue 3)."""
    return []
